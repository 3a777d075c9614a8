/* test_assess_app: the pure parts of the assessment application (assess-app
 * section of assess.h): the UNGP 31 evidence thresholds of asm_auto_compute
 * (every source, the N/A cases, the k threshold that keeps a handful of
 * ratings off a published scorecard, unknown sources skipped), the CSV
 * outputs (RFC 4180 quoting and the formula guard on text cells, numbers
 * unrounded plus the half-up rounded column), and the comparison JSON.
 * Storage-backed workflow rules are covered end to end on both engines by
 * tests/integration/assess.test.mjs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <string.h>

#include <cmocka.h>

#include "assess/assess.h"

static const asm_methodology *ungp31(core_arena *a)
{
    asm_methodology *m = NULL;
    asm_error err;
    assert_int_equal(asm_shipped_load(a, "ungp31", &m, &err), CORE_OK);
    return m;
}

static const asm_auto_item *item(const asm_auto *au, const char *source)
{
    for (size_t i = 0; i < au->n; i++)
        if (!strcmp(au->items[i].source, source))
            return &au->items[i];
    return NULL;
}

static const char *value_of(core_arena *a, const char *stats_json, const char *source, const char *const *ui)
{
    json_t *st = json_loads(stats_json, 0, NULL);
    assert_non_null(st);
    asm_auto au;
    assert_int_equal(asm_auto_compute(a, ungp31(a), st, 7, 90, ui, 5, &au), CORE_OK);
    const asm_auto_item *it = item(&au, source);
    const char *v = it ? core_arena_strdup(a, it->value) : NULL;
    asm_auto_cleanup(&au);
    json_decref(st);
    return v;
}

static void test_auto_thresholds(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    static const char *const en[] = {"en", NULL};
#define ACK(met, dec) "{\"within_limit\": {\"acknowledge\": {\"met\": " #met ", \"decided\": " #dec "}}}"
    assert_string_equal(value_of(&a, ACK(9, 10), "grievance.ack_in_time", en), "yes");
    assert_string_equal(value_of(&a, ACK(5, 10), "grievance.ack_in_time", en), "partial");
    assert_string_equal(value_of(&a, ACK(4, 10), "grievance.ack_in_time", en), "no");
    assert_string_equal(value_of(&a, ACK(0, 0), "grievance.ack_in_time", en), "na");
#undef ACK
#define SAT(n, mean) "{\"satisfaction\": {\"count\": " #n ", \"mean\": " #mean "}}"
    assert_string_equal(value_of(&a, SAT(4, 4.5), "grievance.satisfaction", en), "na");   /* under k = 5 */
    assert_string_equal(value_of(&a, SAT(5, 4.2), "grievance.satisfaction", en), "yes");
    assert_string_equal(value_of(&a, SAT(9, 3.5), "grievance.satisfaction", en), "partial");
    assert_string_equal(value_of(&a, SAT(9, 2.0), "grievance.satisfaction", en), "no");
    assert_string_equal(value_of(&a, SAT(0, null), "grievance.satisfaction", en), "na");
#undef SAT
    assert_string_equal(value_of(&a, "{\"by_language\": {\"counts\": {\"en\": 3}}}", "grievance.languages", en), "partial");
    assert_string_equal(value_of(&a, "{\"by_language\": {\"counts\": {\"en\": 1, \"fr\": 2}}}", "grievance.languages", en),
                        "yes");
    static const char *const two[] = {"en", "fr", NULL};
    assert_string_equal(value_of(&a, "{}", "grievance.languages", two), "yes");
    assert_string_equal(value_of(&a, "{\"total\": 0}", "grievance.outcomes_published", en), "partial");
    assert_string_equal(value_of(&a, "{\"total\": 3}", "grievance.outcomes_published", en), "yes");
    assert_string_equal(value_of(&a, "{}", "grievance.rules_published", en), "yes");
    assert_string_equal(value_of(&a, "{}", "grievance.appeal_available", en), "yes");
    core_arena_cleanup(&a);
}

static void test_auto_items_and_facts(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const asm_methodology *m = ungp31(&a);
    json_t *st = json_loads("{\"total\": 18, \"within_limit\": {\"acknowledge\": {\"met\": 16, \"decided\": 17}},"
                            "\"satisfaction\": {\"count\": 2, \"mean\": 5.0}, \"appeals\": {\"filed\": 1},"
                            "\"remedies\": {\"by_state\": {\"counts\": {\"implemented\": 2}}}}", 0, NULL);
    asm_auto au;
    assert_int_equal(asm_auto_compute(&a, m, st, 7, 90, NULL, 5, &au), CORE_OK);
    size_t expect = 0;
    for (size_t i = 0; i < m->n_elements; i++)
        expect += m->elements[i].automatic != NULL;
    assert_int_equal(au.n, expect);
    assert_int_equal(au.n, 6);
    for (size_t i = 0; i < au.n; i++) {
        int e = asm_find_element(m, au.items[i].element);
        assert_true(e >= 0);
        assert_string_equal(m->elements[e].automatic, au.items[i].source);
        assert_true(asm_find_choice(&m->scales[m->elements[e].scale], au.items[i].value) >= 0);
        assert_true(!strcmp(au.items[i].url, "/grievance-stats") || !strcmp(au.items[i].url, "/mechanism"));
        assert_non_null(au.items[i].facts);
    }
    const asm_auto_item *ack = item(&au, "grievance.ack_in_time");
    assert_int_equal(json_integer_value(json_object_get(ack->facts, "met")), 16);
    assert_int_equal(json_integer_value(json_object_get(ack->facts, "limit_days")), 7);
    assert_true(fabs(json_real_value(json_object_get(ack->facts, "share")) - 16.0 / 17) < 1e-12);
    const asm_auto_item *sat = item(&au, "grievance.satisfaction");
    assert_true(json_is_null(json_object_get(sat->facts, "mean")));   /* 2 ratings: no mean published */
    assert_int_equal(json_integer_value(json_object_get(item(&au, "grievance.outcomes_published")->facts, "implemented")), 2);
    asm_auto_cleanup(&au);
    json_decref(st);
    core_arena_cleanup(&a);
}

static void test_auto_register(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    asm_methodology *m = NULL;
    asm_error err;
    assert_int_equal(asm_shipped_load(&a, "ungprf-self", &m, &err), CORE_OK);
    json_t *doc = json_loads(
        "{\"policies\": [{\"version\": 1, \"status\": \"approved\", \"communications\": [{}]}, {\"status\": \"draft\"}],"
        "\"impacts\": [{\"status\": \"actual\", \"scale\": 4, \"scope\": 3, \"likelihood\": 0},"
        "             {\"status\": \"potential\", \"scale\": 4, \"scope\": 3, \"likelihood\": 0}],"
        "\"engagements\": [{\"impacts\": []}],"
        "\"assessments\": [{\"due_day\": \"2026-01-10\", \"completed_day\": \"2026-01-09\"},"
        "                 {\"due_day\": \"2026-02-10\", \"completed_day\": \"2026-03-01\"},"
        "                 {\"due_day\": \"2026-12-31\", \"completed_day\": null}],"
        "\"actions\": [{\"status\": \"done\", \"due_day\": \"2025-01-01\"}, {\"status\": \"planned\", \"due_day\": \"2026-01-01\"}],"
        "\"indicators\": [], \"grievance_links\": [{}]}", 0, NULL);
    assert_non_null(doc);
    asm_auto au;
    json_t *none = json_object();
    assert_int_equal(asm_auto_compute(&a, m, none, 7, 90, NULL, 5, &au), CORE_OK);
    json_decref(none);
    assert_int_equal(au.n, 0);                        /* no grievance source in this methodology */
    assert_int_equal(asm_auto_compute_register(&a, m, doc, "2026-06-01", &au), CORE_OK);
    assert_int_equal(au.n, 8);
    assert_string_equal(item(&au, "register.policy_approved")->value, "established");
    assert_string_equal(item(&au, "register.policy_communicated")->value, "developing");   /* one communication */
    assert_string_equal(item(&au, "register.impacts_prioritised")->value, "developing");   /* the potential one lacks a likelihood */
    assert_string_equal(item(&au, "register.engagement_recorded")->value, "developing");
    assert_string_equal(item(&au, "register.assessments_on_time")->value, "developing");   /* 1 of 2; the open one is not due */
    assert_string_equal(item(&au, "register.actions_on_track")->value, "developing");      /* 1 of 2 */
    assert_string_equal(item(&au, "register.indicators_tracked")->value, "absent");
    assert_string_equal(item(&au, "register.grievance_links")->value, "established");
    assert_string_equal(item(&au, "register.grievance_links")->url, "/register");
    asm_auto_cleanup(&au);
    json_decref(doc);
    core_arena_cleanup(&a);
}

/* A scorecard of the shipped UNGP 31 methodology built in memory. */
static void scorecard(core_arena *a, asm_scorecard *sc, const char *name, const asm_answer *ans, size_t n)
{
    memset(sc, 0, sizeof *sc);
    sc->m = ungp31(a);
    sc->entity.name = name;
    sc->entity.slug = "x";
    sc->entity.kind = "mechanism";
    sc->as.id = 7;
    sc->as.period = "2026";
    sc->as.status = "final";
    sc->mrow.slug = "ungp31";
    sc->mrow.version = sc->m->version;
    asm_subject subj = {.id = "x", .kind = "mechanism"};
    assert_int_equal(asm_score_entity(a, sc->m, &subj, ans, n, &sc->score), CORE_OK);
    store_as_answer *w = core_arena_alloc(a, (n + 1) * sizeof *w);
    for (size_t i = 0; i < n; i++) {
        w[i].element = ans[i].element;
        w[i].level = ans[i].level;
        w[i].value = ans[i].value;
        w[i].note = i == 0 ? "=1+2, \"quoted\"" : NULL;
    }
    sc->answers = w;
    sc->n_answers = n;
}

static void test_csv(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const asm_answer ans[] = {{"legit.1", "group", "yes"}, {"legit.2", "group", "partial"}, {"access.1", "group", "no"}};
    asm_scorecard sc;
    scorecard(&a, &sc, "=HYPERLINK(\"http://x\"),Inc", ans, 3);
    assert_true(sc.score.has_total);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(asm_scorecard_csv(&sc, 1, &b), CORE_OK);
    const char *s = core_buf_cstr(&b);
    assert_non_null(strstr(s, "entity,period,methodology,version,type,id,name,level,score,rounded,previous,answer,evidence_url,note\r\n"));
    /* the formula guard and RFC 4180 quoting */
    assert_non_null(strstr(s, "\"'=HYPERLINK(\"\"http://x\"\"),Inc\",2026,ungp31,"));
    assert_null(strstr(s, "\n=HYPERLINK"));
    assert_non_null(strstr(s, ",answer,legit.1,,group,,,,yes,,\"'=1+2, \"\"quoted\"\"\"\r\n"));
    /* total: unrounded, then half up */
    char want[96];
    snprintf(want, sizeof want, ",total,total,Total,,%.6f,%ld,", sc.score.total, asm_round_half_up(sc.score.total));
    assert_non_null(strstr(s, want));
    /* every line ends in CRLF */
    for (const char *p = s; (p = strchr(p, '\n')); p++)
        assert_true(p > s && p[-1] == '\r');
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_compare(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const asm_answer x[] = {{"legit.1", "group", "yes"}, {"access.1", "group", "yes"}};
    const asm_answer y[] = {{"legit.1", "group", "no"}, {"access.1", "group", "partial"}};
    asm_scorecard sx, sy;
    scorecard(&a, &sx, "X", x, 2);
    scorecard(&a, &sy, "Y", y, 2);
    json_t *j = asm_compare_json(&sx, &sy);
    assert_non_null(j);
    json_t *rows = json_object_get(j, "rows");
    size_t ncat = 0, nind = 0;
    for (size_t i = 0; i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        const char *kind = json_string_value(json_object_get(r, "kind"));
        ncat += !strcmp(kind, "category");
        nind += !strcmp(kind, "indicator");
        json_t *ja = json_object_get(r, "a"), *jb = json_object_get(r, "b"), *jd = json_object_get(r, "difference");
        if (json_is_number(ja) && json_is_number(jb))
            assert_true(fabs(json_number_value(jd) - (json_number_value(ja) - json_number_value(jb))) < 1e-9);
        else
            assert_true(json_is_null(jd));
    }
    assert_int_equal(ncat, sx.m->n_categories);
    assert_int_equal(nind, sx.m->n_indicators);
    json_t *total = json_array_get(rows, 0);
    assert_string_equal(json_string_value(json_object_get(total, "kind")), "total");
    assert_true(json_number_value(json_object_get(total, "difference")) > 0);
    json_decref(j);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(asm_compare_csv(&sx, &sy, &b), CORE_OK);
    assert_int_equal(strncmp(core_buf_cstr(&b), "type,id,name,X,Y,difference\r\ntotal,total,Total,", 45), 0);
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auto_thresholds),
        cmocka_unit_test(test_auto_items_and_facts),
        cmocka_unit_test(test_auto_register),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_compare),
    };
    return cmocka_run_group_tests_name("assess_app", tests, NULL, NULL);
}
