/* test_reg_io: export -> import into an EMPTY database -> export equals the
 * first export byte for byte (the Done-when round trip); an import with
 * errors stores nothing and lists every path; an import into a target that
 * lacks users, products and cases; CSV quoting; the published outputs. */
#include <math.h>

#include "test_register.h"

#include "../store/test_engines.h"

#define PR(f, i) (&(f)->p[(i)])
#define OK(call)                                                                                  \
    do {                                                                                          \
        reg_error e_;                                                                             \
        memset(&e_, 0, sizeof e_);                                                                \
        int rc_ = (call);                                                                         \
        if (rc_ != CORE_OK)                                                                       \
            fail_msg("%s:%d: %s -> %d %s", __FILE__, __LINE__, #call, rc_,                        \
                     e_.field ? e_.field : "");                                                   \
    } while (0)

/* A register using every record kind and field. */
static void build_full(tfx *f)
{
    const reg_principal *an = PR(f, P_ANALYST), *hr = PR(f, P_HR);
    core_arena *a = &f->a;
    g_now = T0 + 150 * DAY;
    store_dd_policy p1 = {.title = "Human rights policy", .body_md = "# Commitment\n\nWe respect \"all\" rights.",
                          .scope_rights = "", .own_operations = 1, .business_partners = 1, .end_use = 1};
    OK(reg_policy_create(f->svc, a, an, &p1, &e_));
    OK(reg_policy_approve(f->svc, a, hr, p1.id, &e_));
    store_dd_policy_comm cm = {.policy_id = p1.id, .day = D0 + 3, .channel = "website",
                               .audience = "public", .note = "Published with a press note"};
    OK(reg_policy_communicate(f->svc, a, an, &cm, &e_));
    store_dd_policy_comm cm2 = {.policy_id = p1.id, .day = D0 + 1, .channel = "training",
                                .audience = "staff"};
    OK(reg_policy_communicate(f->svc, a, an, &cm2, &e_));
    store_dd_policy_link pl = {.policy_id = p1.id, .title = "Supplier code of conduct",
                               .url = "https://example.org/suppliers", .function = "procurement"};
    OK(reg_policy_link_add(f->svc, a, an, &pl, &e_));
    store_dd_policy_link pl2 = {.policy_id = p1.id, .title = "Content policy"};
    OK(reg_policy_link_add(f->svc, a, an, &pl2, &e_));
    store_dd_policy p2 = {.title = "Human rights policy (2027 draft)", .body_md = "Draft",
                          .scope_rights = "UDHR-19 ICCPR-17", .own_operations = 1};
    OK(reg_policy_create(f->svc, a, an, &p2, &e_));

    /* scope objects: created so that their id order differs from name order */
    store_dd_scope s1 = {.slug = "zeta-chat", .kind = "product", .name = "Zeta chat",
                         .description = "Messaging, with, commas", .phase = "use",
                         .countries = "DE KE", .markers = "mass_data children_users",
                         .product_id = f->product};
    OK(reg_scope_create(f->svc, a, an, &s1, &e_));
    store_dd_scope s2 = {.slug = "agency", .kind = "state_agency", .name = "A ministry",
                         .phase = "sale_or_licensing", .countries = "ET",
                         .markers = "surveillance_to_state state_customer"};
    OK(reg_scope_create(f->svc, a, an, &s2, &e_));
    store_dd_scope s3 = {.slug = "face-match", .kind = "feature", .name = "Face match",
                         .phase = "design", .countries = "", .markers = "automated_decisions",
                         .parent_id = s1.id};
    OK(reg_scope_create(f->svc, a, an, &s3, &e_));

    store_dd_impact i1 = impact_tpl(s1.id);
    i1.title = "Disclosure of user data to authorities";
    i1.description = "Line one\nline two";
    i1.affected_groups = "Users";
    i1.vulnerable_groups = "Journalists, activists";
    i1.countries = "KE";
    i1.involvement = "contribute";
    i1.business_model = 1;
    i1.competing_rights = "Security vs privacy";
    i1.evidence = "assessment media";
    OK(reg_impact_create(f->svc, a, an, &i1, &e_));
    store_dd_impact i2 = impact_tpl(s2.id);
    i2.title = "Surveillance of protesters";
    i2.status = "actual";
    i2.likelihood = 0;
    i2.involvement = "directly_linked";
    i2.rights = "ICCPR-21 ICCPR-22 UDHR-20";
    OK(reg_impact_create(f->svc, a, an, &i2, &e_));
    store_dd_impact i3 = impact_tpl(s3.id);
    i3.title = "Misidentification";
    i3.rights = "ICCPR-26";
    OK(reg_impact_create(f->svc, a, an, &i3, &e_));
    i3.scale = 5;                                    /* an update (updated_at moves) */
    OK(reg_impact_update(f->svc, a, an, &i3, &e_));

    int64_t c1 = fx_case(f, f->org, "G-RTRIP001");
    int64_t c2 = fx_case(f, f->org, "G-RTRIP002");
    reg_link_result lr;
    OK(reg_impact_link_grievance(f->svc, a, an, i1.id, c1, &lr, &e_));   /* queues a reassessment */
    OK(reg_impact_link_grievance(f->svc, a, an, i2.id, c1, &lr, &e_));
    OK(reg_impact_link_grievance(f->svc, a, an, i1.id, c2, &lr, &e_));

    store_dd_assessment as1 = {.scope_id = s1.id, .kind = "hria", .trigger = "periodic",
                               .trigger_note = "Yearly", .event_day = D0 + 10};
    OK(reg_assessment_create(f->svc, a, an, &as1, &e_));
    int64_t found[] = {i3.id, i1.id};
    OK(reg_assessment_complete(f->svc, a, an, as1.id, D0 + 40, "Two salient issues", found, 2, &e_));
    OK(reg_assessment_approve(f->svc, a, hr, as1.id, &e_));
    store_dd_assessment as2 = {.scope_id = s2.id, .kind = "dd_review", .trigger = "new_activity",
                               .event_day = D0 + 300, .impact_id = i2.id};
    OK(reg_assessment_create(f->svc, a, an, &as2, &e_));

    store_dd_action ac1 = {.impact_id = i1.id, .kind = "use_leverage", .title = "Transparency on requests",
                           .description = "=cmd|' /C calc'!A0", .owner_id = f->users[P_HR],
                           .function = "legal", .due_day = D0 + 200, .status = "in_progress",
                           .integration = "Request review in the legal runbook"};
    OK(reg_action_create(f->svc, a, an, &ac1, &e_));
    store_dd_action ac2 = {.impact_id = i2.id, .kind = "end_relationship", .title = "Exit contract",
                           .owner_name = "Sales director", .function = "sales", .due_day = -1,
                           .status = "planned"};
    OK(reg_action_create(f->svc, a, an, &ac2, &e_));

    store_dd_indicator in1 = {.impact_id = i1.id, .name = "Requests challenged", .unit = "%",
                              .direction = "increase", .target = 80.5, .target_day = D0 + 365};
    OK(reg_indicator_create(f->svc, a, an, &in1, &e_));
    store_dd_indicator in2 = {.action_id = ac1.id, .name = "Review time", .unit = "days",
                              .direction = "maintain", .target = 3, .tolerance = 0.25,
                              .target_day = -1};
    OK(reg_indicator_create(f->svc, a, an, &in2, &e_));
    for (int m = 0; m < 6; m++) {
        store_dd_measure ms = {.indicator_id = in1.id, .day = D0 + 25 * m, .value = 40 + m * 7.3,
                               .note = m == 2 ? "audited" : NULL};
        OK(reg_measure_put(f->svc, a, an, &ms, &e_));
    }
    store_dd_measure ms2 = {.indicator_id = in2.id, .day = D0 + 100, .value = 0.1};
    OK(reg_measure_put(f->svc, a, an, &ms2, &e_));

    store_dd_stakeholder sh1 = {.name = "Zeta users' council", .kind = "affected_group",
                                .region = "East Africa", .countries = "KE UG", .global_south = 1,
                                .contact = "Secretary, by Signal"};
    OK(reg_stakeholder_create(f->svc, a, an, &sh1, &e_));
    store_dd_stakeholder sh2 = {.name = "Access Lab", .kind = "organisation", .countries = ""};
    OK(reg_stakeholder_create(f->svc, a, an, &sh2, &e_));
    char ids[64];
    snprintf(ids, sizeof ids, "%lld %lld", (long long)i3.id, (long long)i1.id);
    store_dd_engagement en1 = {.stakeholder_id = sh1.id, .day = D0 + 30, .step = "assess",
                               .topics = "Data requests", .format = "consultation",
                               .outcome = "Concerns recorded", .follow_up = "Report back in Q2",
                               .impact_ids = ids};
    OK(reg_engagement_create(f->svc, a, an, &en1, NULL, &e_));
    store_dd_engagement en2 = {.stakeholder_id = sh2.id, .day = D0 + 20, .step = "identify",
                               .topics = "Face match", .format = "written", .impact_ids = ""};
    OK(reg_engagement_create(f->svc, a, an, &en2, NULL, &e_));
}

/* A second, empty database on the fixture's engine. */
typedef struct target {
    int pg;
    char dir[64];
    char url[512];
    char db[64];
    tfx t;
} target;

static void target_open(tfx *f, target *tg)
{
    memset(tg, 0, sizeof *tg);
    tg->pg = f->pg;
    if (!f->pg) {
        snprintf(tg->dir, sizeof tg->dir, "/tmp/hrdd-regt-XXXXXX");
        assert_non_null(mkdtemp(tg->dir));
        snprintf(tg->url, sizeof tg->url, "%s/test.db", tg->dir);
    } else {
        static int counter;
        snprintf(tg->db, sizeof tg->db, "hrdd_regt_%ld_%d", (long)getpid(), ++counter);
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", tg->db);
        te_raw_run(1, f->url, sql, NULL);
        snprintf(sql, sizeof sql, "CREATE DATABASE %s", tg->db);
        assert_int_equal(te_raw_run(1, f->url, sql, NULL), 0);
        const char *host = strstr(f->url, "://");
        assert_non_null(host);
        host += 3;
        const char *slash = strchr(host, '/');
        const char *query = strchr(host, '?');
        if (query && slash && query < slash)
            slash = NULL;
        size_t prefix = slash ? (size_t)(slash - f->url)
                              : (query ? (size_t)(query - f->url) : strlen(f->url));
        snprintf(tg->url, sizeof tg->url, "%.*s/%s%s", (int)prefix, f->url, tg->db,
                 query ? query : "");
    }
    tfx *t = &tg->t;
    t->pg = f->pg;
    snprintf(t->url, sizeof t->url, "%s", tg->url);
    store_options so = {.url = tg->url, .pool_size = 2, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&t->s, &so), CORE_OK);
    assert_int_equal(store_migrate(t->s, NULL, NULL), CORE_OK);
    core_arena_init(&t->a);
    fx_populate(t);
    reg_options o;
    reg_options_defaults(&o);
    o.now = fx_now;
    assert_int_equal(reg_open(&t->svc, t->s, &o), CORE_OK);
}

static void target_close(tfx *f, target *tg)
{
    reg_close(tg->t.svc);
    store_close(tg->t.s);
    core_arena_cleanup(&tg->t.a);
    if (tg->pg) {
        char sql[128];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", tg->db);
        te_raw_run(1, f->url, sql, NULL);
    } else {
        te_db_remove(0, tg->dir, tg->url);
    }
}

static void dump_errors(const reg_import_result *r)
{
    for (size_t i = 0; i < r->nerrors; i++)
        fprintf(stderr, "  error %s %s %s\n", r->errors[i].field, r->errors[i].key,
                r->errors[i].detail ? r->errors[i].detail : "");
    for (size_t i = 0; i < r->nwarnings; i++)
        fprintf(stderr, "  warning %s %s\n", r->warnings[i].field, r->warnings[i].key);
}

void t_roundtrip(void **state)
{
    tfx *f = *state;
    build_full(f);
    char *a_text;
    size_t a_len;
    assert_int_equal(reg_export_text(f->svc, &f->a, PR(f, P_AUDITOR), &a_text, &a_len), CORE_OK);
    /* the document holds what was built */
    json_error_t je;
    json_t *doc = json_loads(a_text, 0, &je);
    assert_non_null(doc);
    assert_int_equal(json_array_size(json_object_get(doc, "policies")), 2);
    assert_int_equal(json_array_size(json_object_get(doc, "scope_objects")), 3);
    assert_int_equal(json_array_size(json_object_get(doc, "impacts")), 3);
    assert_int_equal(json_array_size(json_object_get(doc, "assessments")), 3);   /* + the queued one */
    assert_int_equal(json_array_size(json_object_get(doc, "grievance_links")), 3);
    json_t *sc0 = json_array_get(json_object_get(doc, "scope_objects"), 0);
    assert_string_equal(json_string_value(json_object_get(sc0, "slug")), "zeta-chat");  /* id order */
    assert_string_equal(json_string_value(json_object_get(sc0, "product")), "chat-app");
    json_t *sc2 = json_array_get(json_object_get(doc, "scope_objects"), 2);
    assert_int_equal(json_integer_value(json_object_get(sc2, "parent")), 1);
    json_t *ac0 = json_array_get(json_object_get(doc, "actions"), 0);
    assert_string_equal(json_string_value(json_object_get(ac0, "owner")), "hr@acme.test");
    json_decref(doc);

    /* a second export is identical (stable order) */
    char *again;
    assert_int_equal(reg_export_text(f->svc, &f->a, PR(f, P_ADMIN), &again, NULL), CORE_OK);
    assert_string_equal(a_text, again);

    /* into an empty database with the same users, product and cases */
    target tg;
    target_open(f, &tg);
    fx_case(&tg.t, tg.t.org, "G-RTRIP002");
    fx_case(&tg.t, tg.t.org, "G-RTRIP001");
    reg_import_result res;
    int rc = reg_import_text(tg.t.svc, &tg.t.a, &tg.t.p[P_HR], a_text, a_len, &res);
    if (rc != CORE_OK || res.nwarnings)
        dump_errors(&res);
    assert_int_equal(rc, CORE_OK);
    assert_int_equal(res.nwarnings, 0);
    assert_int_equal(res.counts[0], 2);
    assert_int_equal(res.counts[2], 3);
    assert_int_equal(res.counts[8], 3);
    char *b_text;
    size_t b_len;
    assert_int_equal(reg_export_text(tg.t.svc, &tg.t.a, &tg.t.p[P_AUDITOR], &b_text, &b_len),
                     CORE_OK);
    if (strcmp(a_text, b_text) != 0) {
        size_t k = 0;
        while (a_text[k] && a_text[k] == b_text[k])
            k++;
        fprintf(stderr, "first difference at %zu:\n--- a\n%.200s\n--- b\n%.200s\n", k,
                a_text + (k > 80 ? k - 80 : 0), b_text + (k > 80 ? k - 80 : 0));
    }
    assert_int_equal(a_len, b_len);
    assert_string_equal(a_text, b_text);
    /* the imported register works like the original: same prioritised list */
    reg_impact_view *va, *vb;
    size_t na, nb;
    assert_int_equal(reg_impact_list(f->svc, &f->a, PR(f, P_ADMIN), 0, REG_SORT_SALIENCE, &va, &na),
                     CORE_OK);
    assert_int_equal(reg_impact_list(tg.t.svc, &tg.t.a, &tg.t.p[P_ADMIN], 0, REG_SORT_SALIENCE,
                                     &vb, &nb), CORE_OK);
    assert_int_equal(na, nb);
    for (size_t i = 0; i < na; i++)
        assert_string_equal(va[i].impact.title, vb[i].impact.title);
    /* one audit entry for the import; a second import is refused (not empty) */
    assert_int_equal(fx_count(&tg.t, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dd_register'"),
                     1);
    rc = reg_import_text(tg.t.svc, &tg.t.a, &tg.t.p[P_ADMIN], a_text, a_len, &res);
    assert_int_equal(rc, CORE_CONFLICT);
    assert_int_equal(res.nerrors, 1);
    assert_string_equal(res.errors[0].field, "");
    target_close(f, &tg);
}

static int has_error(const reg_import_result *r, const char *path, const char *key)
{
    for (size_t i = 0; i < r->nerrors; i++)
        if (!strcmp(r->errors[i].field, path) && (!key || !strcmp(r->errors[i].key, key)))
            return 1;
    return 0;
}

void t_import_errors(void **state)
{
    tfx *f = *state;
    build_full(f);
    json_t *doc;
    assert_int_equal(reg_export_json(f->svc, &f->a, PR(f, P_ADMIN), &doc), CORE_OK);
    json_t *imps = json_object_get(doc, "impacts");
    json_t *i0 = json_array_get(imps, 0);
    json_array_set_new(json_object_get(i0, "rights"), 0, json_string("XX-1"));
    json_object_set_new(i0, "scale", json_integer(9));
    json_object_set_new(json_array_get(imps, 2), "likelihood", json_integer(0));
    json_object_set_new(json_array_get(json_object_get(doc, "actions"), 1), "impact", json_integer(99));
    json_object_set_new(json_array_get(json_object_get(doc, "scope_objects"), 0), "colour",
                        json_string("red"));
    json_object_set_new(json_array_get(json_object_get(doc, "assessments"), 0), "event_day",
                        json_string("2026-13-01"));
    json_t *en0 = json_array_get(json_object_get(doc, "engagements"), 0);
    json_array_append_new(json_object_get(en0, "impacts"), json_integer(77));
    json_t *ind0 = json_array_get(json_object_get(doc, "indicators"), 0);
    json_object_set_new(json_array_get(json_object_get(ind0, "measurements"), 1), "value",
                        json_string("lots"));
    json_object_set_new(json_array_get(json_object_get(doc, "stakeholders"), 1), "kind",
                        json_string("crowd"));
    json_object_set_new(json_array_get(json_object_get(doc, "scope_objects"), 1), "slug",
                        json_string("zeta-chat"));
    /* into org2 (empty) as its admin */
    reg_principal adm2 = {f->users[P_OTHER], f->org2, CORE_ROLE_ADMIN, "user:x"};
    reg_import_result res;
    int rc = reg_import_json(f->svc, &f->a, &adm2, doc, &res);
    assert_int_equal(rc, CORE_INVALID);
    assert_true(has_error(&res, "/impacts/0/rights/0", "reg.err.unknown_right"));
    assert_true(has_error(&res, "/impacts/0/scale", "reg.err.range"));
    assert_true(has_error(&res, "/impacts/2/likelihood", "reg.err.range"));
    assert_true(has_error(&res, "/actions/1/impact", "reg.err.reference"));
    assert_true(has_error(&res, "/scope_objects/0/colour", "reg.err.json"));
    assert_true(has_error(&res, "/scope_objects/1/slug", "reg.err.duplicate"));
    assert_true(has_error(&res, "/assessments/0/event_day", "reg.err.date"));
    assert_true(has_error(&res, "/engagements/0/impacts/2", "reg.err.reference"));
    assert_true(has_error(&res, "/indicators/0/measurements/1/value", "reg.err.json"));
    assert_true(has_error(&res, "/stakeholders/1/kind", "reg.err.enum"));
    if (res.nerrors != 10)
        dump_errors(&res);
    assert_int_equal(res.nerrors, 10);
    /* nothing stored */
    char sql[160];
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM dd_impacts WHERE org_id = %lld", (long long)f->org2);
    assert_int_equal(fx_count(f, sql), 0);
    snprintf(sql, sizeof sql, "SELECT COUNT(*) FROM dd_policies WHERE org_id = %lld", (long long)f->org2);
    assert_int_equal(fx_count(f, sql), 0);
    json_decref(doc);
    /* not JSON: line and column */
    const char *broken = "{\n  \"format\": \"hrdd-register\",\n  \"version\": 1,,\n}";
    rc = reg_import_text(f->svc, &f->a, &adm2, broken, strlen(broken), &res);
    assert_int_equal(rc, CORE_INVALID);
    assert_int_equal(res.nerrors, 1);
    assert_string_equal(res.errors[0].field, "3:16");
    assert_string_equal(res.errors[0].key, "reg.err.json");
    /* wrong shapes */
    const char *wrong = "{\"format\": \"other\", \"version\": 2, \"impacts\": {}, \"policies\": [3]}";
    rc = reg_import_text(f->svc, &f->a, &adm2, wrong, strlen(wrong), &res);
    assert_int_equal(rc, CORE_INVALID);
    assert_true(has_error(&res, "/format", NULL));
    assert_true(has_error(&res, "/version", NULL));
    assert_true(has_error(&res, "/impacts", "reg.err.json"));
    assert_true(has_error(&res, "/policies/0", "reg.err.json"));
    /* nested records that are not objects, and a nested member that is not an array */
    const char *nest = "{\"format\": \"hrdd-register\", \"version\": 1, \"policies\": [{\"title\": \"P\","
                       " \"body_md\": \"x\", \"status\": \"draft\", \"version\": 1, \"communications\": [7],"
                       " \"links\": {}}], \"indicators\": [{\"name\": \"i\", \"measurements\": [[1]]}]}";
    rc = reg_import_text(f->svc, &f->a, &adm2, nest, strlen(nest), &res);
    assert_int_equal(rc, CORE_INVALID);
    assert_true(has_error(&res, "/policies/0/communications/0", "reg.err.json"));
    assert_true(has_error(&res, "/policies/0/links", "reg.err.json"));
    assert_true(has_error(&res, "/indicators/0/measurements/0", "reg.err.json"));
    /* an empty register imports fine */
    const char *empty = "{\"format\": \"hrdd-register\", \"version\": 1}";
    assert_int_equal(reg_import_text(f->svc, &f->a, &adm2, empty, strlen(empty), &res), CORE_OK);
}

void t_import_missing(void **state)
{
    tfx *f = *state;
    build_full(f);
    char *text;
    size_t len;
    assert_int_equal(reg_export_text(f->svc, &f->a, PR(f, P_ADMIN), &text, &len), CORE_OK);
    /* org2: none of acme's members, no product "chat-app", no cases */
    reg_principal adm2 = {f->users[P_OTHER], f->org2, CORE_ROLE_ADMIN, "user:x"};
    reg_import_result res;
    assert_int_equal(reg_import_text(f->svc, &f->a, &adm2, text, len, &res), CORE_OK);
    assert_int_equal(res.counts[2], 3);
    assert_int_equal(res.counts[8], 0);                   /* links skipped */
    int links = 0, product = 0, users = 0;
    for (size_t i = 0; i < res.nwarnings; i++) {
        links += !strcmp(res.warnings[i].key, "reg.warn.case");
        product += !strcmp(res.warnings[i].key, "reg.warn.product");
        users += !strcmp(res.warnings[i].key, "reg.warn.user");
    }
    assert_int_equal(links, 3);
    assert_int_equal(product, 1);
    assert_true(users >= 3);
    assert_string_equal(res.warnings[0].field, "/policies/0/created_by");
    reg_principal an2 = PR(f, P_OTHER)[0];
    reg_impact_view *v;
    size_t n;
    assert_int_equal(reg_impact_list(f->svc, &f->a, &an2, 0, REG_SORT_SALIENCE, &v, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(v[0].impact.created_by, 0);
    /* the approved version keeps its approval date and role without its approver */
    store_dd_policy *pl;
    size_t np, approved = 0;
    assert_int_equal(reg_policy_list(f->svc, &f->a, &an2, &pl, &np), CORE_OK);
    for (size_t i = 0; i < np; i++)
        if (!strcmp(pl[i].status, "approved")) {
            approved++;
            assert_int_equal(pl[i].approved_by, 0);
            assert_true(pl[i].approved_at > 0);
            assert_non_null(pl[i].approved_role);
            assert_string_equal(pl[i].approved_role, "hr_lead");
        }
    assert_int_equal(approved, 1);
}

static int contains(const char *hay, const char *needle)
{
    return strstr(hay, needle) != NULL;
}

void t_csv(void **state)
{
    tfx *f = *state;
    build_full(f);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(reg_csv_field(&b, "plain"), CORE_OK);
    core_buf_putc(&b, '|');
    reg_csv_field(&b, "a,b");
    core_buf_putc(&b, '|');
    reg_csv_field(&b, "say \"hi\"");
    core_buf_putc(&b, '|');
    reg_csv_field(&b, "two\nlines");
    core_buf_putc(&b, '|');
    reg_csv_field(&b, "=1+2");
    core_buf_putc(&b, '|');
    reg_csv_field(&b, NULL);
    core_buf_putc(&b, '\0');
    assert_string_equal(b.data, "plain|\"a,b\"|\"say \"\"hi\"\"\"|\"two\nlines\"|\"'=1+2\"|");
    core_buf_cleanup(&b);
    char *csv;
    size_t len;
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_IMPACTS, &csv, &len), CORE_OK);
    assert_true(!strncmp(csv, "rank,id,scope_object,title,status,rights,", 41));
    assert_true(contains(csv, "\r\n1,"));
    assert_true(contains(csv, "\"Line one\nline two\"") == 0);   /* description is not a column */
    assert_true(contains(csv, "\"Journalists, activists\""));
    assert_int_equal(len, strlen(csv));
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_ACTIONS, &csv, &len), CORE_OK);
    assert_true(contains(csv, "\"'=cmd|' /C calc'!A0\""));       /* formula guard */
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_INDICATORS, &csv, &len), CORE_OK);
    size_t rows = 0;
    for (const char *p = csv; (p = strstr(p, "\r\n")); p += 2)
        rows++;
    assert_int_equal(rows, 1 + 6 + 1);                   /* header, 6 + 1 measurements */
    assert_true(contains(csv, ",80.5,"));
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_ASSESSMENTS, &csv, &len), CORE_OK);
    assert_true(contains(csv, "zeta-chat"));
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_STAKEHOLDERS, &csv, &len), CORE_OK);
    assert_true(contains(csv, "Zeta users' council"));
    assert_int_equal(reg_csv(f->svc, &f->a, PR(f, P_AUDITOR), REG_CSV_ENGAGEMENTS, &csv, &len), CORE_OK);
    assert_true(contains(csv, "Report back in Q2"));
    reg_csv_list l;
    assert_int_equal(reg_csv_list_parse("engagements", &l), CORE_OK);
    assert_int_equal(l, REG_CSV_ENGAGEMENTS);
    assert_int_equal(reg_csv_list_parse("people", &l), CORE_INVALID);
    assert_string_equal(reg_csv_list_name(REG_CSV_INDICATORS), "indicators");
    reg_principal none = {0, f->org, CORE_ROLE_NONE, NULL};
    assert_int_equal(reg_csv(f->svc, &f->a, &none, REG_CSV_IMPACTS, &csv, &len), CORE_DENIED);
}

void t_public(void **state)
{
    tfx *f = *state;
    reg_error e;
    reg_product_summary ps;
    reg_company_report cr;
    assert_int_equal(reg_company_report_get(f->svc, &f->a, f->org, &cr), CORE_OK);
    assert_int_equal(cr.has_policy, 0);
    assert_int_equal(cr.nissues, 0);
    build_full(f);
    /* the product summary: approved assessment of zeta-chat with findings
     * i3 (of its feature face-match) and i1 */
    assert_int_equal(reg_product_summary_get(f->svc, &f->a, f->org, "zeta-chat", &ps), CORE_OK);
    assert_int_equal(ps.nassessments, 1);
    assert_string_equal(ps.assessments[0].summary, "Two salient issues");
    assert_int_equal(ps.nissues, 2);
    assert_string_equal(ps.issues[0].title, "Misidentification");   /* severity 11 before 8 */
    assert_int_equal(ps.issues[0].rank, 1);
    assert_string_equal(ps.issues[1].title, "Disclosure of user data to authorities");
    assert_int_equal(ps.issues[1].rank, 2);
    assert_int_equal(ps.issues[1].nactions, 1);
    assert_int_equal(ps.issues[1].nindicators, 2);
    assert_int_equal(ps.issues[1].indicators[0].npoints, 6);
    assert_int_equal(ps.issues[1].ngrievances, 2);
    assert_int_equal(ps.issues[1].nresponses, 3);   /* contribute: prevent contribution, leverage, remedy */
    /* no approved assessment: not published */
    assert_int_equal(reg_product_summary_get(f->svc, &f->a, f->org, "agency", &ps), CORE_NOTFOUND);
    assert_int_equal(reg_product_summary_get(f->svc, &f->a, f->org, "nope", &ps), CORE_NOTFOUND);
    assert_int_equal(reg_product_summary_get(f->svc, &f->a, f->org2, "zeta-chat", &ps), CORE_NOTFOUND);
    assert_int_equal(reg_product_summary_get(f->svc, &f->a, f->org, "zeta-chat", &ps), CORE_OK);
    json_t *j = reg_product_summary_json(&ps);
    char *s = json_dumps(j, 0);
    assert_non_null(s);
    assert_false(contains(s, "acme.test"));              /* no staff identities */
    assert_false(contains(s, "Signal"));                 /* no contact notes */
    assert_false(contains(s, "G-RTRIP"));                /* no case references */
    assert_false(contains(s, "Yearly"));                 /* no internal trigger note */
    assert_true(contains(s, "\"salient_issues\""));
    free(s);
    json_decref(j);
    /* the company report: approved policy, the published issues only */
    assert_int_equal(reg_company_report_get(f->svc, &f->a, f->org, &cr), CORE_OK);
    assert_int_equal(cr.has_policy, 1);
    assert_int_equal(cr.policy.version, 1);
    assert_int_equal(cr.policy.approved_by, 0);
    assert_int_equal(cr.nissues, 2);                     /* "Surveillance of protesters" is not a finding */
    assert_int_equal(cr.nproducts, 1);                   /* zeta-chat (its feature has no assessment of its own) */
    assert_string_equal(cr.products[0], "zeta-chat");
    assert_int_equal(cr.nstakeholders_global_south, 1);
    assert_int_equal(cr.nengagements, 2);
    j = reg_company_report_json(&cr);
    s = json_dumps(j, 0);
    assert_false(contains(s, "acme.test"));
    assert_false(contains(s, "Sales director"));
    assert_false(contains(s, "Access Lab"));
    assert_false(contains(s, "Draft"));                  /* the draft version stays internal */
    free(s);
    json_decref(j);
    /* approving the draft publishes it and supersedes version 1 */
    store_dd_policy *pl;
    size_t n;
    assert_int_equal(reg_policy_list(f->svc, &f->a, PR(f, P_ADMIN), &pl, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(pl[0].version, 2);
    assert_int_equal(reg_policy_approve(f->svc, &f->a, PR(f, P_ADMIN), pl[0].id, &e), CORE_OK);
    assert_int_equal(reg_company_report_get(f->svc, &f->a, f->org, &cr), CORE_OK);
    assert_int_equal(cr.policy.version, 2);
}
