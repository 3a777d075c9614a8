/* test_assess: the pure parts of the assessment engine: the methodology
 * loader (every schema error at file:line:column), the scoring rules (N/A
 * left out, reversed elements, exclusions by entity kind and service kind,
 * scoring scopes, sub-indicators, weights, conditional credit, half-up
 * rounding), the YAML writer round trip, the shipped methodologies, CSV.
 */
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "assess/asm_int.h"

static core_arena A;

static int setup(void **st)
{
    (void)st;
    core_arena_init(&A);
    return 0;
}

static int teardown(void **st)
{
    (void)st;
    core_arena_cleanup(&A);
    return 0;
}

static asm_methodology *load_ok(const char *text)
{
    asm_methodology *m = NULL;
    asm_error err;
    int rc = asm_load_yaml(&A, "t.yaml", text, strlen(text), &m, &err);
    if (rc != CORE_OK) {
        char b[600];
        asm_error_format(&err, b, sizeof b);
        print_error("unexpected load error: %s\n", b);
    }
    assert_int_equal(rc, CORE_OK);
    return m;
}

/* The formatted error must start with want. */
static void load_err(const char *text, const char *want)
{
    asm_methodology *m = NULL;
    asm_error err;
    int rc = asm_load_yaml(&A, "broken.yaml", text, strlen(text), &m, &err);
    char b[600];
    asm_error_format(&err, b, sizeof b);
    if (rc != CORE_INVALID || strncmp(b, want, strlen(want)) != 0)
        print_error("got rc %d '%s'\nwant '%s'\n", rc, b, want);
    assert_int_equal(rc, CORE_INVALID);
    assert_null(m);
    assert_int_equal(strncmp(b, want, strlen(want)), 0);
}

#define HEAD                                                                                       \
    "methodology:\n"                                                                               \
    "  id: t\n"                                                                                    \
    "  name: Test\n"                                                                               \
    "  version: \"1\"\n"                                                                           \
    "  levels: true\n"                                                                             \
    "scales:\n"                                                                                    \
    "  - id: s\n"                                                                                  \
    "    choices:\n"                                                                               \
    "      - {key: yes, points: 100}\n"                                                            \
    "      - {key: partial, points: 50}\n"                                                         \
    "      - {key: no, points: 0}\n"                                                               \
    "      - {key: nd, points: 0, reversed_points: 0}\n"                                           \
    "      - {key: na, na: true}\n"                                                                \
    "categories:\n"                                                                                \
    "  - {id: A, label: Alpha}\n"                                                                  \
    "  - {id: B, label: Beta}\n"

static const char *const T_METH = HEAD
    "indicators:\n"
    "  - id: A1\n"
    "    category: A\n"
    "    label: One\n"
    "    scope: entity\n"
    "    elements:\n"
    "      - {id: A1.1, text: q}\n"
    "      - {id: A1.2, text: q, reversed: true}\n"
    "      - {id: A1.3, text: q, exclude_kinds: [telecom]}\n"
    "  - id: A2\n"
    "    category: A\n"
    "    label: Two\n"
    "    indicators:\n"
    "      - id: A2a\n"
    "        label: Two a\n"
    "        scope: full\n"
    "        elements:\n"
    "          - {id: A2a.1, text: q}\n"
    "      - id: A2b\n"
    "        label: Two b\n"
    "        scope: services\n"
    "        elements:\n"
    "          - {id: A2b.1, text: q, exclude_services: [mobile]}\n"
    "          - {id: A2b.2, text: q}\n"
    "  - id: B1\n"
    "    category: B\n"
    "    label: Three\n"
    "    exclude_kinds: [internet]\n"
    "    elements:\n"
    "      - {id: B1.1, text: q}\n"
    "      - {id: B1.2, text: q, credit_if: {element: B1.1, in: [yes, partial], else: 0}}\n"
    "      - {id: B1.3, text: q, credit_if: {element: B1.1, in: [yes], else: na}}\n";

/* ---- loader: broken files ---- */
static void t_err_syntax(void **st)
{
    (void)st;
    load_err("methodology:\n  id: t\n  name: [unclosed\n", "broken.yaml:4:1: YAML syntax error");
    load_err("methodology: {id: x\nscales: [\n", "broken.yaml:2:7: YAML syntax error");
    load_err("methodology:\n  id: t\n name: x\n", "broken.yaml:3:2: YAML syntax error");
}

static void t_err_unknown_key(void **st)
{
    (void)st;
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    colour: red\n"
                  "    elements:\n      - {id: A1.1, text: q}\n",
             "broken.yaml:21:5: unknown key 'colour' in indicator");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q, wieght: 2}\n",
             "broken.yaml:22:29: unknown key 'wieght' in element");
    load_err("methodology:\n  id: t\n  name: y\n  version: 1\n  bogus: 2\n",
             "broken.yaml:5:3: unknown key 'bogus' in methodology");
    load_err("extra: 1\nmethodology: {}\n", "broken.yaml:1:1: unknown key 'extra' in the file");
}

static void t_err_dangling(void **st)
{
    (void)st;
    load_err(HEAD "indicators:\n  - id: A1\n    category: Z\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q}\n",
             "broken.yaml:19:15: indicator 'A1': no category 'Z'");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q, scale: nope}\n",
             "broken.yaml:22:36: element 'A1.1': no scale 'nope'");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q}\n"
                  "      - {id: A1.2, text: q, credit_if: {element: A9.9, in: [yes], else: 0}}\n",
             "broken.yaml:23:50: credit_if of 'A1.2': no element 'A9.9'");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q}\n"
                  "      - {id: A1.2, text: q, credit_if: {element: A1.1, in: [maybe], else: 0}}\n",
             "broken.yaml:23:61: credit_if of 'A1.2': scale 's' has no choice 'maybe'");
    /* default_scale naming nothing */
    load_err("methodology: {id: t, name: n, version: '1', default_scale: zz}\n"
             "scales: [{id: s, choices: [{key: y, points: 1}]}]\ncategories: [{id: A, label: A}]\n"
             "indicators: [{id: I, category: A, label: I, elements: [{id: e, text: q}]}]\n",
             "broken.yaml:1:60: default_scale: no scale 'zz'");
}

static void t_err_scale_points(void **st)
{
    (void)st;
    load_err("methodology: {id: t, name: n, version: '1'}\nscales:\n  - id: s\n    choices:\n"
             "      - {key: yes}\n",
             "broken.yaml:5:9: choice 'yes' of scale 's' has no points");
    load_err("methodology: {id: t, name: n, version: '1'}\nscales:\n  - id: s\n    choices:\n"
             "      - {key: na, na: true}\n",
             "broken.yaml:5:7: scale 's' has no choice with points");
    load_err("methodology: {id: t, name: n, version: '1'}\nscales:\n  - id: s\n    label: empty\n",
             "broken.yaml:3:5: scale 's' has no choices");
    load_err("methodology: {id: t, name: n, version: '1'}\nscales:\n  - id: s\n    choices:\n"
             "      - {key: yes, points: lots}\n",
             "broken.yaml:5:28: 'points' of choice: 'lots' is not a number");
}

static void t_err_other(void **st)
{
    (void)st;
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    elements:\n"
                  "      - {id: A1.1, text: q}\n  - id: A1\n    category: A\n    label: Again\n"
                  "    elements:\n      - {id: A1.2, text: q}\n",
             "broken.yaml:23:9: duplicate indicator id 'A1'");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n",
             "broken.yaml:18:5: indicator 'A1' has neither elements nor sub-indicators");
    load_err(HEAD "indicators:\n  - id: A1\n    category: A\n    label: One\n    scope: planet\n"
                  "    elements:\n      - {id: A1.1, text: q}\n",
             "broken.yaml:21:12: scope of indicator: 'planet' is not one of entity, full, services");
    load_err("methodology: &a {id: t}\nscales: *a\n", "broken.yaml:2:9: aliases are not supported");
    load_err("- a\n- b\n", "broken.yaml:1:1: a methodology file must be a mapping");
    load_err("", "broken.yaml:1:1: missing key 'methodology'");
}

/* ---- scoring ---- */
static const asm_service SVC[] = {{"Mobile", "mobile"}, {"Web", "web"}};

static asm_score score(const asm_methodology *m, const char *kind, const asm_answer *ans, size_t n)
{
    asm_subject s = {.id = "e", .kind = "company", .subkind = kind, .has_opcom = 1, .services = SVC,
                     .n_services = 2};
    asm_score sc;
    assert_int_equal(asm_score_entity(&A, m, &s, ans, n, &sc), CORE_OK);
    return sc;
}

#define NEAR(a, b) assert_true(fabs((a) - (b)) < 1e-9)

static void t_score_rules(void **st)
{
    (void)st;
    asm_methodology *m = load_ok(T_METH);
    int a1 = asm_find_indicator(m, "A1"), a2 = asm_find_indicator(m, "A2"), a2a = asm_find_indicator(m, "A2a"),
        a2b = asm_find_indicator(m, "A2b"), b1 = asm_find_indicator(m, "B1");
    const asm_answer ans[] = {
        {"A1.1", "group", "yes"},        /* 100 */
        {"A1.2", "group", "yes"},        /* reversed: 0 */
        {"A1.3", "group", "partial"},    /* 50, excluded for telecom */
        {"A1.1", "opcom", "no"},         /* out of scope (entity) */
        {"A2a.1", "group", "yes"},       /* 100 */
        {"A2a.1", "opcom", "na"},        /* N/A: left out */
        {"A2a.1", "Mobile", "partial"},  /* 50 */
        {"A2a.1", "Web", "no"},          /* 0 */
        {"A2b.1", "Mobile", "yes"},      /* excluded for mobile */
        {"A2b.2", "Mobile", "partial"},  /* 50 */
        {"A2b.1", "Web", "yes"},         /* 100 */
        {"A2b.2", "Web", "nd"},          /* 0 */
        {"A2b.2", "group", "yes"},       /* out of scope (services) */
        {"B1.1", "group", "partial"},    /* 50 */
        {"B1.2", "group", "yes"},        /* 100: credit since B1.1 in [yes, partial] */
        {"B1.3", "group", "yes"},        /* N/A: B1.1 is not yes */
        {"X.1", "group", "yes"},         /* unknown element */
        {"A1.1", "Nowhere", "yes"},      /* unknown level */
        {"A1.1", "group", "maybe"},      /* unknown choice */
    };
    size_t n = sizeof ans / sizeof ans[0];

    asm_score sc = score(m, "internet", ans, n);
    assert_int_equal(sc.n_unknown, 3);
    NEAR(sc.indicators[a1].score, (100 + 0 + 50) / 3.0);
    assert_int_equal(sc.indicators[a1].n_levels, 1);
    NEAR(sc.indicators[a2a].score, (100 + 50 + 0) / 3.0);           /* opcom N/A left out */
    assert_int_equal(sc.indicators[a2a].n_levels, 4);
    assert_false(sc.indicators[a2a].levels[1].has);
    NEAR(sc.indicators[a2b].score, (50 + 50) / 2.0);                /* Mobile 50, Web (100+0)/2 */
    NEAR(sc.indicators[a2].score, (50 + 50) / 2.0);
    assert_false(sc.indicators[b1].has);                            /* excluded for internet */
    NEAR(sc.categories[0], (50 + 50) / 2.0);
    assert_false(sc.category_has[1]);
    NEAR(sc.total, 50);

    sc = score(m, "telecom", ans, n);
    NEAR(sc.indicators[a1].score, 50);                              /* A1.3 excluded */
    NEAR(sc.indicators[b1].score, 75);                              /* B1.3 N/A by credit rule */
    NEAR(sc.categories[1], 75);
    NEAR(sc.total, (50 + 50 + 75) / 3.0);                           /* mean of ALL top-level indicators */
    assert_true(fabs(sc.total - (sc.categories[0] + sc.categories[1]) / 2) > 1);   /* not the mean of categories */

    /* credit rule "else: 0" when the source is not in the list */
    const asm_answer ans2[] = {{"B1.1", "group", "no"}, {"B1.2", "group", "yes"}, {"B1.3", "group", "yes"}};
    sc = score(m, "telecom", ans2, 3);
    NEAR(sc.indicators[b1].score, 0);                               /* B1.1 0, B1.2 0 by rule, B1.3 N/A */

    /* nothing answered: every score N/A */
    sc = score(m, "telecom", NULL, 0);
    assert_false(sc.has_total);
    assert_false(sc.indicators[a1].has);

    /* JSON: null for N/A, unrounded numbers */
    sc = score(m, "internet", ans, n);
    json_t *j = asm_score_json(&sc);
    assert_non_null(j);
    assert_true(json_is_null(json_object_get(json_object_get(j, "categories"), "B")));
    NEAR(json_real_value(json_object_get(json_object_get(j, "indicators"), "A1")), 50);
    NEAR(json_real_value(json_object_get(json_object_get(json_object_get(j, "levels"), "A2a"), "Mobile")), 50);
    json_decref(j);
}

static void t_score_weights(void **st)
{
    (void)st;
    const char *y = "methodology: {id: w, name: W, version: '1', total: weighted}\n"
                    "scales: [{id: s, choices: [{key: y, points: 100}, {key: n, points: 0}, {key: h, points: 40}]}]\n"
                    "categories: [{id: A, label: A}, {id: B, label: B, weight: 3}]\n"
                    "indicators:\n"
                    "  - {id: I1, category: A, label: I1, weight: 3, elements: [{id: e1, text: q}]}\n"
                    "  - {id: I2, category: A, label: I2, elements: [{id: e2, text: q, weight: 3}, {id: e3, text: q}]}\n"
                    "  - {id: I3, category: B, label: I3, elements: [{id: e4, text: q}]}\n";
    asm_methodology *m = load_ok(y);
    const asm_answer ans[] = {{"e1", "group", "y"}, {"e2", "group", "n"}, {"e3", "group", "y"}, {"e4", "group", "h"}};
    asm_subject s = {.id = "x", .kind = "supplier"};
    asm_score sc;
    assert_int_equal(asm_score_entity(&A, m, &s, ans, 4, &sc), CORE_OK);
    NEAR(sc.indicators[1].score, 25);                               /* (3*0 + 100) / 4 */
    NEAR(sc.categories[0], (3 * 100 + 25) / 4.0);
    NEAR(sc.total, (3 * 100 + 25 + 40) / 5.0);
    /* by categories */
    m->total_mode = ASM_TOTAL_CATEGORIES;
    assert_int_equal(asm_score_entity(&A, m, &s, ans, 4, &sc), CORE_OK);
    NEAR(sc.total, (81.25 + 3 * 40) / 4.0);
    /* plain mean of indicators */
    m->total_mode = ASM_TOTAL_INDICATORS;
    assert_int_equal(asm_score_entity(&A, m, &s, ans, 4, &sc), CORE_OK);
    NEAR(sc.total, (100 + 25 + 40) / 3.0);
}

static void t_round(void **st)
{
    (void)st;
    assert_int_equal(asm_round_half_up(12.5), 13);
    assert_int_equal(asm_round_half_up(13.5), 14);                  /* not banker's rounding */
    assert_int_equal(asm_round_half_up(0.5), 1);
    assert_int_equal(asm_round_half_up(26.449232585596224), 26);
    assert_int_equal(asm_round_half_up(12.49), 12);
    assert_int_equal(asm_round_half_up(0.1 * 3 * 250 / 3 * 0.5 + 25 - 12.5), 25);   /* float noise */
    assert_int_equal(asm_round_half_up(62.5 - 1e-12), 63);
    assert_int_equal(asm_round_half_up(0), 0);
    assert_int_equal(asm_round_half_up(100), 100);
}

/* ---- writer round trip, JSON, shipped ---- */
static void t_roundtrip(void **st)
{
    (void)st;
    asm_methodology *m = load_ok(T_METH);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(asm_write_yaml(m, &b), CORE_OK);
    asm_methodology *m2 = load_ok(core_buf_cstr(&b));
    core_buf c;
    core_buf_init(&c);
    assert_int_equal(asm_write_yaml(m2, &c), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), core_buf_cstr(&c));
    json_t *j1 = asm_methodology_json(m), *j2 = asm_methodology_json(m2);
    assert_true(json_equal(j1, j2));
    assert_int_equal(json_array_size(json_object_get(j1, "indicators")), 3);
    json_decref(j1);
    json_decref(j2);
    core_buf_cleanup(&b);
    core_buf_cleanup(&c);
}

static void t_shipped(void **st)
{
    (void)st;
    static const char *const want[] = {"rdr-2020", "ungp31", "ungp-proposal", "ungprf-self", "supplier-dd"};
    assert_int_equal(asm_shipped_count(), sizeof want / sizeof want[0]);
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        asm_methodology *m = NULL;
        asm_error err;
        int rc = asm_shipped_load(&A, want[i], &m, &err);
        if (rc != CORE_OK) {
            char b[600];
            asm_error_format(&err, b, sizeof b);
            print_error("%s: %s\n", want[i], b);
        }
        assert_int_equal(rc, CORE_OK);
        assert_string_equal(m->id, want[i]);
        assert_true(m->n_indicators > 0 && m->n_elements > 0);
        core_buf b;
        core_buf_init(&b);
        assert_int_equal(asm_write_yaml(m, &b), CORE_OK);
        asm_methodology *m2 = load_ok(core_buf_cstr(&b));
        assert_int_equal(m2->n_elements, m->n_elements);
        core_buf_cleanup(&b);
        /* a full set of "yes" answers scores 100 (or the reversed elements' points) */
        asm_subject s = {.id = "x", .kind = m->n_entity_kinds ? m->entity_kinds[0] : "company"};
        asm_answer *ans = core_arena_alloc(&A, m->n_elements * sizeof *ans);
        for (size_t k = 0; k < m->n_elements; k++) {
            ans[k].element = m->elements[k].id;
            ans[k].level = "group";
            ans[k].value = m->scales[m->elements[k].scale].choices[0].key;
        }
        asm_score sc;
        assert_int_equal(asm_score_entity(&A, m, &s, ans, m->n_elements, &sc), CORE_OK);
        assert_true(sc.has_total);
        assert_true(sc.total > 0 && sc.total <= 100);
    }
    assert_null(asm_shipped_find("nope"));
    asm_methodology *m;
    assert_int_equal(asm_shipped_load(&A, "nope", &m, NULL), CORE_NOTFOUND);
    /* UNGP 31: the six automatically evidenced elements */
    assert_int_equal(asm_shipped_load(&A, "ungp31", &m, NULL), CORE_OK);
    size_t autos = 0;
    for (size_t k = 0; k < m->n_elements; k++) autos += m->elements[k].automatic != NULL;
    assert_int_equal(autos, 6);
    assert_int_equal(m->n_indicators, 8);
}

/* Every truncation and a sweep of byte substitutions of a shipped file either
 * loads or fails with CORE_INVALID and a position inside the text: never a
 * crash, a leak (ASan) or an error without a place. */
static void t_mutations(void **st)
{
    (void)st;
    const asm_shipped *sh = asm_shipped_find("ungp31");
    assert_non_null(sh);
    char *buf = malloc(sh->len + 1);
    assert_non_null(buf);
    static const char subst[] = {':', '-', '[', '{', '"', '\'', '\n', ' ', '*', '&', '#', 'x', '\t'};
    size_t loads = 0, errors = 0;
    for (size_t cut = 0; cut <= sh->len; cut += 3) {
        for (size_t k = 0; k < sizeof subst + 1; k++) {
            memcpy(buf, sh->yaml, sh->len);
            size_t len = sh->len;
            if (k == sizeof subst) len = cut;            /* truncation */
            else if (cut < sh->len) buf[cut] = subst[k]; /* one byte replaced */
            else continue;
            core_arena a;
            core_arena_init(&a);
            asm_methodology *m = NULL;
            asm_error err;
            int rc = asm_load_yaml(&a, "m.yaml", buf, len, &m, &err);
            if (rc == CORE_OK) {
                loads++;
                assert_non_null(m);
            } else {
                errors++;
                assert_int_equal(rc, CORE_INVALID);
                assert_true(err.line >= 1 && err.column >= 1);
                assert_true(err.line <= 400);
            }
            core_arena_cleanup(&a);
        }
        if (cut > 2000) cut += 9;                        /* sparser after the head */
    }
    free(buf);
    printf("# mutations: %zu loaded, %zu refused with a position\n", loads, errors);
    assert_true(errors > 0 && loads > 0);
}

static void t_csv(void **st)
{
    (void)st;
    const char *t = "\xEF\xBB\xBF" "a,b,c\r\n1,\"x, \"\"y\"\"\",\r\n\"multi\nline\",2,NA\n";
    asm_csv c;
    assert_int_equal(asm_csv_parse(&A, t, strlen(t), &c), CORE_OK);
    assert_int_equal(c.nrows, 3);
    assert_int_equal(asm_csv_col(&c, "c"), 2);
    assert_int_equal(asm_csv_col(&c, "z"), -1);
    assert_string_equal(asm_csv_get(&c, 1, 1), "x, \"y\"");
    assert_string_equal(asm_csv_get(&c, 1, 2), "");
    assert_string_equal(asm_csv_get(&c, 2, 0), "multi\nline");
    assert_string_equal(asm_csv_get(&c, 2, 2), "NA");
    assert_string_equal(asm_csv_get(&c, 9, 0), "");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_err_syntax, setup, teardown),
        cmocka_unit_test_setup_teardown(t_err_unknown_key, setup, teardown),
        cmocka_unit_test_setup_teardown(t_err_dangling, setup, teardown),
        cmocka_unit_test_setup_teardown(t_err_scale_points, setup, teardown),
        cmocka_unit_test_setup_teardown(t_err_other, setup, teardown),
        cmocka_unit_test_setup_teardown(t_score_rules, setup, teardown),
        cmocka_unit_test_setup_teardown(t_score_weights, setup, teardown),
        cmocka_unit_test_setup_teardown(t_round, setup, teardown),
        cmocka_unit_test_setup_teardown(t_roundtrip, setup, teardown),
        cmocka_unit_test_setup_teardown(t_shipped, setup, teardown),
        cmocka_unit_test_setup_teardown(t_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(t_mutations, setup, teardown),
    };
    return cmocka_run_group_tests_name("assess", tests, NULL, NULL);
}
