/* test_reg_rules: validation with the field at fault, approval and edit
 * roles, organisation isolation, prioritisation and the heat map, the
 * grievance feedback with one queued reassessment, the fatigue warning,
 * due dates and the due list, tracking and coverage, audit entries. */
#include <math.h>

#include "test_register.h"

#define PR(f, i) (&(f)->p[(i)])

static size_t n_impacts(tfx *f)
{
    reg_impact_view *v;
    size_t n;
    assert_int_equal(reg_impact_list(f->svc, &f->a, PR(f, P_ADMIN), 0, REG_SORT_ID, &v, &n),
                     CORE_OK);
    return n;
}

/* Expect CORE_INVALID (or rc) naming field with key. */
#define EXPECT_FIELD(call, want_rc, want_field, want_key)                                         \
    do {                                                                                          \
        reg_error e_;                                                                             \
        memset(&e_, 0, sizeof e_);                                                                \
        reg_error *err = &e_;                                                                     \
        int rc_ = (call);                                                                         \
        if (rc_ != (want_rc) || !e_.field || strcmp(e_.field, (want_field)) != 0 ||               \
            ((want_key) && (!e_.key || strcmp(e_.key, (want_key)) != 0)))                         \
            fail_msg("%s:%d: rc %d field %s key %s (want %d %s %s)", __FILE__, __LINE__, rc_,    \
                     e_.field ? e_.field : "-", e_.key ? e_.key : "-", (want_rc), (want_field),   \
                     (want_key) ? (want_key) : "-");                                              \
        (void)err;                                                                                \
    } while (0)

void t_validation_impact(void **state)
{
    tfx *f = *state;
    int64_t sc = mk_scope(f, "chat", "product");
    const reg_principal *an = PR(f, P_ANALYST);
    store_dd_impact i;
#define BAD(mutate, field, key)                                                                   \
    do {                                                                                          \
        i = impact_tpl(sc);                                                                       \
        mutate;                                                                                   \
        EXPECT_FIELD(reg_impact_create(f->svc, &f->a, an, &i, err), CORE_INVALID, field, key);    \
    } while (0)
    BAD(i.scale = 0, "/scale", "reg.err.range");
    BAD(i.scale = 6, "/scale", "reg.err.range");
    BAD(i.scope = -1, "/scope", "reg.err.range");
    BAD(i.irremediable = 9, "/irremediable", "reg.err.range");
    BAD(i.likelihood = 0, "/likelihood", "reg.err.range");
    BAD(i.likelihood = 6, "/likelihood", "reg.err.range");
    BAD(i.rights = "ICCPR-17 XX-99", "/rights/1", "reg.err.unknown_right");
    BAD(i.rights = "", "/rights", "reg.err.required");
    BAD(i.rights = NULL, "/rights", "reg.err.required");
    BAD(i.status = "maybe", "/status", "reg.err.enum");
    BAD(i.involvement = "caused", "/involvement", "reg.err.enum");
    BAD(i.countries = "DE ke", "/countries/1", "reg.err.country");
    BAD(i.countries = "DE QQ", "/countries/1", "reg.err.country"); /* shape right, no such country */
    BAD(i.evidence = "assessment rumour", "/evidence/1", "reg.err.enum");
    BAD(i.title = "  ", "/title", "reg.err.required");
    BAD(i.business_model = 2, "/business_model", "reg.err.range");
    BAD(i.scope_id = 0, "/scope_id", "reg.err.required");
    BAD(i.scope_id = 99999, "/scope_id", "reg.err.reference");
    char longt[REG_MAX_LINE + 2];
    memset(longt, 'a', sizeof longt - 1);
    longt[sizeof longt - 1] = '\0';
    BAD(i.title = longt, "/title", "reg.err.too_long");
    assert_int_equal(n_impacts(f), 0);   /* nothing stored */
    /* an actual impact may leave likelihood at 0 (it counts as 5) */
    i = impact_tpl(sc);
    i.status = "actual";
    i.likelihood = 0;
    reg_error e;
    assert_int_equal(reg_impact_create(f->svc, &f->a, an, &i, &e), CORE_OK);
    reg_impact_view v;
    assert_int_equal(reg_impact_get(f->svc, &f->a, an, i.id, &v), CORE_OK);
    assert_int_equal(v.likelihood, 5);
    assert_int_equal(v.severity, 8);
    assert_int_equal(v.band, 3);
    assert_int_equal(v.response, DD_RESP_CEASE_OR_PREVENT | DD_RESP_REMEDY);
    /* update: same rules, unknown id is NOTFOUND */
    i.scale = 7;
    EXPECT_FIELD(reg_impact_update(f->svc, &f->a, an, &i, err), CORE_INVALID, "/scale",
                 "reg.err.range");
    i.scale = 5;
    i.id = 4242;
    assert_int_equal(reg_impact_update(f->svc, &f->a, an, &i, &e), CORE_NOTFOUND);
#undef BAD
}

void t_validation_others(void **state)
{
    tfx *f = *state;
    const reg_principal *an = PR(f, P_ANALYST);
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t imp = mk_impact(f, sc, "potential", 3, 3, 3, 3);
    reg_error e;
    /* scope objects */
    store_dd_scope s = {.slug = "Bad Slug", .kind = "product", .name = "x", .phase = "use"};
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/slug", "reg.err.slug");
    s.slug = "ok";
    s.kind = "gadget";
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/kind", "reg.err.enum");
    s.kind = "product";
    s.phase = "later";
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/phase", "reg.err.enum");
    s.phase = "design";
    s.markers = "mass_data spying";
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/markers/1", "reg.err.enum");
    s.markers = "";
    s.parent_id = sc;
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/parent_id",
                 "reg.err.reference");
    s.kind = "feature";
    s.parent_id = 777;
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/parent_id",
                 "reg.err.reference");
    s.parent_id = sc;
    s.product_id = 999;
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_INVALID, "/product_id",
                 "reg.err.reference");
    s.product_id = f->product;
    assert_int_equal(reg_scope_create(f->svc, &f->a, an, &s, &e), CORE_OK);
    s.id = 0;
    s.slug = "chat";
    EXPECT_FIELD(reg_scope_create(f->svc, &f->a, an, &s, err), CORE_CONFLICT, "/slug",
                 "reg.err.duplicate");
    /* actions */
    store_dd_action ac = {.impact_id = imp, .kind = "mitigate", .title = "Limit retention",
                          .function = "engineering", .due_day = -1, .status = "planned"};
    ac.impact_id = 555;
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/impact_id",
                 "reg.err.reference");
    ac.impact_id = imp;
    ac.kind = "pray";
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/kind", "reg.err.enum");
    ac.kind = "mitigate";
    ac.function = "marketing";
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/function", "reg.err.enum");
    ac.function = "legal";
    ac.status = "someday";
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/status", "reg.err.enum");
    ac.status = "planned";
    ac.owner_id = f->users[P_OTHER];     /* a user of another org */
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/owner_id",
                 "reg.err.reference");
    ac.owner_id = f->users[P_HR];
    ac.due_day = -5;
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, an, &ac, err), CORE_INVALID, "/due_day", "reg.err.date");
    ac.due_day = D0 + 30;
    assert_int_equal(reg_action_create(f->svc, &f->a, an, &ac, &e), CORE_OK);
    /* indicators and measurements */
    store_dd_indicator ind = {.impact_id = imp, .action_id = ac.id, .name = "Reports",
                              .unit = "reports", .direction = "decrease", .target = 5,
                              .target_day = -1};
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/impact_id",
                 "reg.err.required");
    ind.impact_id = 0;
    ind.action_id = 0;
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/impact_id",
                 "reg.err.required");
    ind.action_id = 8888;
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/action_id",
                 "reg.err.reference");
    ind.action_id = ac.id;
    ind.tolerance = -1;
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/tolerance",
                 "reg.err.range");
    ind.tolerance = 0;
    ind.direction = "sideways";
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/direction",
                 "reg.err.enum");
    ind.direction = "decrease";
    ind.target = NAN;
    EXPECT_FIELD(reg_indicator_create(f->svc, &f->a, an, &ind, err), CORE_INVALID, "/target",
                 "reg.err.range");
    ind.target = 5;
    assert_int_equal(reg_indicator_create(f->svc, &f->a, an, &ind, &e), CORE_OK);
    store_dd_measure m = {.indicator_id = ind.id, .day = D0 + 1, .value = 3};
    EXPECT_FIELD(reg_measure_put(f->svc, &f->a, an, &m, err), CORE_INVALID, "/day", "reg.err.date");
    m.day = D0;
    m.value = INFINITY;
    EXPECT_FIELD(reg_measure_put(f->svc, &f->a, an, &m, err), CORE_INVALID, "/value", "reg.err.range");
    m.value = 3;
    m.indicator_id = 31337;
    EXPECT_FIELD(reg_measure_put(f->svc, &f->a, an, &m, err), CORE_INVALID, "/indicator_id",
                 "reg.err.reference");
    /* stakeholders and engagements */
    store_dd_stakeholder sh = {.name = "Digital rights NGO", .kind = "lobby"};
    EXPECT_FIELD(reg_stakeholder_create(f->svc, &f->a, an, &sh, err), CORE_INVALID, "/kind",
                 "reg.err.enum");
    sh.kind = "organisation";
    sh.countries = "KE UG x";
    EXPECT_FIELD(reg_stakeholder_create(f->svc, &f->a, an, &sh, err), CORE_INVALID, "/countries/2",
                 "reg.err.country");
    sh.countries = "KE";
    assert_int_equal(reg_stakeholder_create(f->svc, &f->a, an, &sh, &e), CORE_OK);
    store_dd_engagement en = {.stakeholder_id = 999, .day = D0, .step = "assess",
                              .topics = "retention", .format = "meeting", .impact_ids = ""};
    EXPECT_FIELD(reg_engagement_create(f->svc, &f->a, an, &en, NULL, err), CORE_INVALID,
                 "/stakeholder_id", "reg.err.reference");
    en.stakeholder_id = sh.id;
    en.step = "celebrate";
    EXPECT_FIELD(reg_engagement_create(f->svc, &f->a, an, &en, NULL, err), CORE_INVALID, "/step",
                 "reg.err.enum");
    en.step = "assess";
    char ids[64];
    snprintf(ids, sizeof ids, "%lld 424242", (long long)imp);
    en.impact_ids = ids;
    EXPECT_FIELD(reg_engagement_create(f->svc, &f->a, an, &en, NULL, err), CORE_INVALID,
                 "/impact_ids/1", "reg.err.reference");
    en.impact_ids = "abc";
    EXPECT_FIELD(reg_engagement_create(f->svc, &f->a, an, &en, NULL, err), CORE_INVALID,
                 "/impact_ids/0", "reg.err.reference");
    en.impact_ids = "";
    en.day = D0 + 3;
    EXPECT_FIELD(reg_engagement_create(f->svc, &f->a, an, &en, NULL, err), CORE_INVALID, "/day",
                 "reg.err.date");
    /* assessments */
    store_dd_assessment as = {.scope_id = sc, .kind = "hria", .trigger = "whim", .event_day = D0};
    EXPECT_FIELD(reg_assessment_create(f->svc, &f->a, an, &as, err), CORE_INVALID, "/trigger",
                 "reg.err.enum");
    as.trigger = "periodic";
    as.scope_id = 1234;
    EXPECT_FIELD(reg_assessment_create(f->svc, &f->a, an, &as, err), CORE_INVALID, "/scope_id",
                 "reg.err.reference");
    as.scope_id = sc;
    as.impact_id = 1234;
    EXPECT_FIELD(reg_assessment_create(f->svc, &f->a, an, &as, err), CORE_INVALID, "/impact_id",
                 "reg.err.reference");
    as.impact_id = 0;
    as.kind = "audit";
    EXPECT_FIELD(reg_assessment_create(f->svc, &f->a, an, &as, err), CORE_INVALID, "/kind", "reg.err.enum");
    /* policies */
    store_dd_policy p = {.title = "", .body_md = "We respect human rights."};
    EXPECT_FIELD(reg_policy_create(f->svc, &f->a, an, &p, err), CORE_INVALID, "/title", "reg.err.required");
    p.title = "Human rights policy";
    p.scope_rights = "UDHR-19 NOPE-1";
    EXPECT_FIELD(reg_policy_create(f->svc, &f->a, an, &p, err), CORE_INVALID, "/scope_rights/1",
                 "reg.err.unknown_right");
    p.scope_rights = "";
    assert_int_equal(reg_policy_create(f->svc, &f->a, an, &p, &e), CORE_OK);
    assert_int_equal(p.version, 1);
    store_dd_policy_comm cm = {.policy_id = p.id, .day = D0, .channel = "fax", .audience = "staff"};
    EXPECT_FIELD(reg_policy_communicate(f->svc, &f->a, an, &cm, err), CORE_INVALID, "/channel",
                 "reg.err.enum");
    cm.channel = "intranet";
    cm.policy_id = 99;
    EXPECT_FIELD(reg_policy_communicate(f->svc, &f->a, an, &cm, err), CORE_INVALID, "/policy_id",
                 "reg.err.reference");
    store_dd_policy_link pl = {.policy_id = p.id, .title = "Supplier code",
                               .url = "javascript:alert(1)"};
    EXPECT_FIELD(reg_policy_link_add(f->svc, &f->a, an, &pl, err), CORE_INVALID, "/url", "reg.err.enum");
    pl.url = "https://example.org/code";
    pl.function = "astrology";
    EXPECT_FIELD(reg_policy_link_add(f->svc, &f->a, an, &pl, err), CORE_INVALID, "/function",
                 "reg.err.enum");
}

void t_approval_roles(void **state)
{
    tfx *f = *state;
    reg_error e;
    int64_t sc = mk_scope(f, "chat", "product");
    /* every role tries to approve a draft policy and a completed assessment */
    static const int roles[] = {P_HANDLER, P_ANALYST, P_AUDITOR, P_HR, P_ADMIN};
    int64_t prev_policy = 0;
    for (size_t k = 0; k < sizeof roles / sizeof roles[0]; k++) {
        int r = roles[k];
        int allowed = r == P_HR || r == P_ADMIN;
        store_dd_policy p = {.title = "Policy", .body_md = "Text", .own_operations = 1};
        assert_int_equal(reg_policy_create(f->svc, &f->a, PR(f, P_ANALYST), &p, &e), CORE_OK);
        memset(&e, 0, sizeof e);
        int rc = reg_policy_approve(f->svc, &f->a, PR(f, r), p.id, &e);
        store_dd_assessment as = {.scope_id = sc, .kind = "hria", .trigger = "major_change",
                                  .event_day = D0};
        assert_int_equal(reg_assessment_create(f->svc, &f->a, PR(f, P_ANALYST), &as, &e), CORE_OK);
        assert_int_equal(reg_assessment_complete(f->svc, &f->a, PR(f, P_ANALYST), as.id, -1,
                                                 "Findings", NULL, 0, &e), CORE_OK);
        memset(&e, 0, sizeof e);
        int rc2 = reg_assessment_approve(f->svc, &f->a, PR(f, r), as.id, &e);
        reg_policy_view pv;
        assert_int_equal(reg_policy_get(f->svc, &f->a, PR(f, P_ADMIN), p.id, &pv), CORE_OK);
        reg_assessment_view av;
        assert_int_equal(reg_assessment_get(f->svc, &f->a, PR(f, P_ADMIN), as.id, &av), CORE_OK);
        if (allowed) {
            assert_int_equal(rc, CORE_OK);
            assert_int_equal(rc2, CORE_OK);
            assert_string_equal(pv.policy.status, "approved");
            assert_int_equal(pv.policy.approved_by, f->users[r]);
            assert_int_equal(pv.policy.approved_at, g_now);
            assert_string_equal(pv.policy.approved_role, r == P_HR ? "hr_lead" : "admin");
            assert_string_equal(av.assessment.status, "approved");
            assert_int_equal(av.assessment.approved_by, f->users[r]);
            if (prev_policy) {   /* the earlier approved version is superseded */
                reg_policy_view old;
                assert_int_equal(reg_policy_get(f->svc, &f->a, PR(f, P_ADMIN), prev_policy, &old),
                                 CORE_OK);
                assert_string_equal(old.policy.status, "superseded");
            }
            prev_policy = p.id;
            /* approving again: not a draft / not completed */
            assert_int_equal(reg_policy_approve(f->svc, &f->a, PR(f, r), p.id, &e), CORE_CONFLICT);
            assert_string_equal(e.field, "/status");
            assert_int_equal(reg_assessment_approve(f->svc, &f->a, PR(f, r), as.id, &e),
                             CORE_CONFLICT);
        } else {
            assert_int_equal(rc, CORE_DENIED);
            assert_int_equal(rc2, CORE_DENIED);
            assert_string_equal(e.key, "reg.err.role");
            assert_string_equal(pv.policy.status, "draft");
            assert_string_equal(av.assessment.status, "completed");
        }
    }
    /* the CLI acts as admin without a user */
    store_dd_policy p = {.title = "Policy", .body_md = "Text"};
    assert_int_equal(reg_policy_create(f->svc, &f->a, PR(f, P_CLI), &p, &e), CORE_OK);
    assert_int_equal(reg_policy_approve(f->svc, &f->a, PR(f, P_CLI), p.id, &e), CORE_OK);
    /* an approved version is not edited; an open assessment is not approved */
    p.title = "Changed";
    assert_int_equal(reg_policy_update(f->svc, &f->a, PR(f, P_ADMIN), &p, &e), CORE_CONFLICT);
    store_dd_assessment as = {.scope_id = sc, .kind = "dd_review", .trigger = "periodic",
                              .event_day = D0};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, PR(f, P_ANALYST), &as, &e), CORE_OK);
    assert_int_equal(reg_assessment_approve(f->svc, &f->a, PR(f, P_HR), as.id, &e), CORE_CONFLICT);
    /* the public policy: the latest approved, history without drafts, no identities */
    reg_policy_public pub;
    assert_int_equal(reg_policy_public_get(f->svc, &f->a, f->org, &pub), CORE_OK);
    assert_int_equal(pub.current.id, p.id);
    assert_int_equal(pub.current.approved_by, 0);
    assert_int_equal(pub.current.created_by, 0);
    assert_int_equal(pub.nhistory, 3);   /* hr's, admin's, cli's; drafts left out */
    assert_int_equal(reg_policy_public_get(f->svc, &f->a, f->org2, &pub), CORE_NOTFOUND);
}

void t_edit_roles(void **state)
{
    tfx *f = *state;
    reg_error e;
    int64_t sc = mk_scope(f, "chat", "product");
    static const int roles[] = {P_ADMIN, P_HR, P_HANDLER, P_ANALYST, P_AUDITOR};
    for (size_t k = 0; k < 5; k++) {
        int r = roles[k];
        store_dd_impact i = impact_tpl(sc);
        int rc = reg_impact_create(f->svc, &f->a, PR(f, r), &i, &e);
        int may = r == P_ADMIN || r == P_HR || r == P_ANALYST;
        assert_int_equal(rc, may ? CORE_OK : CORE_DENIED);
        reg_impact_view *v;
        size_t n;
        /* every staff role reads */
        assert_int_equal(reg_impact_list(f->svc, &f->a, PR(f, r), 0, REG_SORT_SALIENCE, &v, &n),
                         CORE_OK);
    }
    assert_int_equal(n_impacts(f), 3);
    /* no role: denied */
    reg_principal none = {f->users[P_ADMIN], f->org, CORE_ROLE_NONE, NULL};
    reg_impact_view *v;
    size_t n;
    assert_int_equal(reg_impact_list(f->svc, &f->a, &none, 0, REG_SORT_ID, &v, &n), CORE_DENIED);
    /* import needs hr_lead / admin */
    reg_import_result res;
    assert_int_equal(reg_import_text(f->svc, &f->a, PR(f, P_ANALYST), "{}", 2, &res), CORE_DENIED);
}

void t_org_isolation(void **state)
{
    tfx *f = *state;
    reg_error e;
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t imp = mk_impact(f, sc, "potential", 3, 3, 3, 3);
    const reg_principal *other = PR(f, P_OTHER);
    reg_impact_view v;
    assert_int_equal(reg_impact_get(f->svc, &f->a, other, imp, &v), CORE_NOTFOUND);
    store_dd_scope s;
    assert_int_equal(reg_scope_get(f->svc, &f->a, other, sc, &s), CORE_NOTFOUND);
    /* another org's records are dangling references here */
    store_dd_impact i = impact_tpl(sc);
    EXPECT_FIELD(reg_impact_create(f->svc, &f->a, other, &i, err), CORE_INVALID, "/scope_id",
                 "reg.err.reference");
    store_dd_action ac = {.impact_id = imp, .kind = "prevent", .title = "t", .function = "legal",
                          .due_day = -1, .status = "planned"};
    EXPECT_FIELD(reg_action_create(f->svc, &f->a, other, &ac, err), CORE_INVALID, "/impact_id",
                 "reg.err.reference");
    int64_t case_other = fx_case(f, f->org2, "G-OTHER001");
    reg_link_result lr;
    EXPECT_FIELD(reg_impact_link_grievance(f->svc, &f->a, PR(f, P_ANALYST), imp, case_other, &lr, err),
                 CORE_INVALID, "/case_id", "reg.err.reference");
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, other, imp, case_other, &lr, &e),
                     CORE_NOTFOUND);
    /* lists stay within the org */
    reg_impact_view *list;
    size_t n;
    assert_int_equal(reg_impact_list(f->svc, &f->a, other, 0, REG_SORT_ID, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
}

void t_priority(void **state)
{
    tfx *f = *state;
    int64_t sc = mk_scope(f, "chat", "product");
    /* severity before likelihood: 5+5+5 unlikely beats 2+2+2 certain */
    int64_t severe_rare = mk_impact(f, sc, "potential", 5, 5, 5, 1);
    int64_t mild_certain = mk_impact(f, sc, "potential", 2, 2, 2, 5);
    /* equal severity 9: likelihood decides */
    int64_t s9_l2 = mk_impact(f, sc, "potential", 3, 3, 3, 2);
    int64_t s9_l4 = mk_impact(f, sc, "potential", 3, 3, 3, 4);
    /* equal severity and likelihood: irremediable decides, then status, then id */
    int64_t s9_l4_irr4 = mk_impact(f, sc, "potential", 2, 3, 4, 4);
    int64_t actual9 = mk_impact(f, sc, "actual", 3, 3, 3, 0);  /* likelihood counts as 5 */
    int64_t tie_a = mk_impact(f, sc, "potential", 1, 1, 1, 1);
    int64_t tie_b = mk_impact(f, sc, "potential", 1, 1, 1, 1);
    reg_impact_view *v;
    size_t n;
    assert_int_equal(reg_impact_list(f->svc, &f->a, PR(f, P_AUDITOR), 0, REG_SORT_SALIENCE, &v, &n),
                     CORE_OK);
    assert_int_equal(n, 8);
    int64_t want[] = {severe_rare, actual9, s9_l4_irr4, s9_l4, s9_l2, mild_certain, tie_a, tie_b};
    for (size_t i = 0; i < n; i++) {
        assert_int_equal(v[i].impact.id, want[i]);
        assert_int_equal(v[i].rank, i + 1);
    }
    reg_impact_view one;
    assert_int_equal(reg_impact_get(f->svc, &f->a, PR(f, P_AUDITOR), s9_l4, &one), CORE_OK);
    assert_int_equal(one.rank, 4);
    /* heat map: band x likelihood */
    reg_heatmap hm;
    assert_int_equal(reg_heatmap_get(f->svc, &f->a, PR(f, P_AUDITOR), 0, &hm), CORE_OK);
    assert_int_equal(hm.total, 8);
    assert_int_equal(hm.cells[4][0].count, 1);            /* severity 15 -> band 5, likelihood 1 */
    assert_int_equal(hm.cells[4][0].impact_ids[0], severe_rare);
    assert_int_equal(hm.cells[2][3].count, 2);            /* severity 9 -> band 3, likelihood 4 */
    assert_int_equal(hm.cells[2][3].impact_ids[0], s9_l4_irr4);
    assert_int_equal(hm.cells[2][4].count, 1);            /* the actual one */
    assert_int_equal(hm.cells[0][0].count, 2);            /* severity 3 -> band 1 */
    assert_int_equal(hm.max_count, 2);
    assert_int_equal(hm.cells[1][4].band, 2);
    assert_int_equal(hm.cells[1][4].likelihood, 5);
}

void t_grievance_feedback(void **state)
{
    tfx *f = *state;
    reg_error e;
    const reg_principal *an = PR(f, P_ANALYST);
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t imp = mk_impact(f, sc, "potential", 4, 3, 3, 2);
    int64_t c1 = fx_case(f, f->org, "G-CASE0001");
    int64_t c2 = fx_case(f, f->org, "G-CASE0002");
    int64_t c3 = fx_case(f, f->org, "G-CASE0003");
    g_now = T0 + 10 * DAY + 3600;
    reg_link_result r;
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, an, imp, c1, &r, &e), CORE_OK);
    assert_int_equal(r.old_status, DD_POTENTIAL);
    assert_int_equal(r.new_status, DD_POSSIBLY_ACTUAL);
    assert_int_equal(r.queued, 1);
    assert_true(r.reassessment_id > 0);
    reg_impact_view v;
    assert_int_equal(reg_impact_get(f->svc, &f->a, an, imp, &v), CORE_OK);
    assert_string_equal(v.impact.status, "possibly_actual");
    assert_non_null(strstr(v.impact.evidence, "grievance"));
    assert_int_equal(v.nlinks, 1);
    assert_int_equal(v.reassessment_open, 1);
    reg_assessment_view av;
    assert_int_equal(reg_assessment_get(f->svc, &f->a, an, r.reassessment_id, &av), CORE_OK);
    assert_string_equal(av.assessment.trigger, "grievance");
    assert_int_equal(av.assessment.impact_id, imp);
    assert_int_equal(av.assessment.scope_id, sc);
    assert_int_equal(av.assessment.event_day, D0 + 10);
    assert_int_equal(av.assessment.due_day, D0 + 10);   /* event triggers: due on the event day */
    assert_string_equal(av.assessment.status, "open");
    /* a second grievance: still possibly actual, the open reassessment is reused */
    int64_t first = r.reassessment_id;
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, an, imp, c2, &r, &e), CORE_OK);
    assert_int_equal(r.old_status, DD_POSSIBLY_ACTUAL);
    assert_int_equal(r.new_status, DD_POSSIBLY_ACTUAL);
    assert_int_equal(r.queued, 0);
    assert_int_equal(r.reassessment_id, first);
    reg_assessment_view *list;
    size_t n;
    assert_int_equal(reg_assessment_list(f->svc, &f->a, an, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    /* the same case twice: conflict */
    EXPECT_FIELD(reg_impact_link_grievance(f->svc, &f->a, an, imp, c1, &r, err), CORE_CONFLICT,
                 "/case_id", "reg.err.duplicate");
    /* unknown case */
    EXPECT_FIELD(reg_impact_link_grievance(f->svc, &f->a, an, imp, 987654, &r, err), CORE_INVALID,
                 "/case_id", "reg.err.reference");
    /* once the reassessment is done, a new grievance queues a new one */
    assert_int_equal(reg_assessment_complete(f->svc, &f->a, an, first, -1, "Confirmed", &imp, 1, &e),
                     CORE_OK);
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, an, imp, c3, &r, &e), CORE_OK);
    assert_int_equal(r.queued, 1);
    assert_true(r.reassessment_id != first);
    /* an actual impact: the grievance is evidence, no reassessment */
    int64_t act = mk_impact(f, sc, "actual", 3, 3, 3, 0);
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, an, act, c1, &r, &e), CORE_OK);
    assert_int_equal(r.new_status, DD_ACTUAL);
    assert_int_equal(r.queued, 0);
    assert_int_equal(r.reassessment_id, 0);
    /* links as the case page sees them */
    reg_link_view *lv;
    assert_int_equal(reg_link_list(f->svc, &f->a, an, 0, c1, &lv, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(lv[0].case_reference, "G-CASE0001");
    /* tracking counts the links per month */
    reg_tracking tr;
    g_now = T0 + 70 * DAY;
    assert_int_equal(reg_tracking_get(f->svc, &f->a, an, imp, &tr), CORE_OK);
    assert_int_equal(tr.ngrievances, 3);
    assert_int_equal(tr.nmonths, 3);                      /* January to March, zeros included */
    assert_int_equal(tr.grievances[0].month, 1);
    assert_int_equal(tr.grievances[0].count, 3);
    assert_int_equal(tr.grievances[2].count, 0);
    /* nothing for analysts who may not edit: an auditor cannot link */
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, PR(f, P_AUDITOR), act, c2, &r, &e),
                     CORE_DENIED);
}

void t_fatigue(void **state)
{
    tfx *f = *state;
    reg_error e;
    const reg_principal *an = PR(f, P_ANALYST);
    store_dd_stakeholder sh = {.name = "Kenyan digital rights network", .kind = "organisation",
                               .region = "East Africa", .countries = "KE", .global_south = 1};
    assert_int_equal(reg_stakeholder_create(f->svc, &f->a, an, &sh, &e), CORE_OK);
    g_now = T0 + 80 * DAY;                               /* 2026-03-22 */
    int64_t days[] = {D0 + 5, D0 + 40, D0 + 60, D0 + 70, D0 + 79};
    for (size_t i = 0; i < 5; i++) {
        store_dd_engagement en = {.stakeholder_id = sh.id, .day = days[i], .step = "assess",
                                  .topics = "content moderation", .format = "meeting",
                                  .impact_ids = ""};
        reg_fatigue fat;
        assert_int_equal(reg_engagement_create(f->svc, &f->a, an, &en, &fat, &e), CORE_OK);
        assert_int_equal(fat.limit, 3);
        assert_int_equal(fat.check.quarter, 1);
        assert_int_equal(fat.check.count, i);
        assert_int_equal(fat.warning, i >= 3);          /* the 4th and 5th of the quarter */
    }
    store_dd_engagement *list;
    size_t n;
    assert_int_equal(reg_engagement_list(f->svc, &f->a, an, sh.id, &list, &n), CORE_OK);
    assert_int_equal(n, 5);                               /* stored despite the warning */
    /* next quarter starts afresh */
    g_now = T0 + 100 * DAY;
    reg_fatigue fat;
    assert_int_equal(reg_fatigue_get(f->svc, &f->a, an, sh.id, D0 + 95, &fat), CORE_OK);
    assert_int_equal(fat.check.quarter, 2);
    assert_int_equal(fat.warning, 0);
    assert_int_equal(reg_fatigue_get(f->svc, &f->a, an, sh.id, D0 + 10, &fat), CORE_OK);
    assert_int_equal(fat.warning, 1);
    /* a configured limit */
    reg_service *svc2;
    reg_options o;
    reg_options_defaults(&o);
    o.now = fx_now;
    o.dd.fatigue_per_quarter = 10;
    assert_int_equal(reg_open(&svc2, f->s, &o), CORE_OK);
    assert_int_equal(reg_fatigue_get(svc2, &f->a, an, sh.id, D0 + 10, &fat), CORE_OK);
    assert_int_equal(fat.warning, 0);
    reg_close(svc2);
    o.dd.fatigue_per_quarter = 0;
    assert_int_equal(reg_open(&svc2, f->s, &o), CORE_INVALID);
}

void t_due(void **state)
{
    tfx *f = *state;
    reg_error e;
    const reg_principal *an = PR(f, P_ANALYST);
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t sc2 = mk_scope(f, "state-customer", "state_agency");
    g_now = T0 + 100 * DAY;
    int64_t today = D0 + 100;
    /* new activity planned in 20 days: due then (due soon) */
    store_dd_assessment a1 = {.scope_id = sc2, .kind = "hria", .trigger = "new_activity",
                              .event_day = today + 20};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, an, &a1, &e), CORE_OK);
    assert_int_equal(a1.due_day, today + 20);
    /* a major change 10 days ago: overdue by 10 */
    store_dd_assessment a2 = {.scope_id = sc, .kind = "dd_review", .trigger = "major_change",
                              .event_day = today - 10};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, an, &a2, &e), CORE_OK);
    /* periodic with no completion yet: due at once (its event day) */
    store_dd_assessment a3 = {.scope_id = sc, .kind = "hria", .trigger = "periodic",
                              .event_day = today - 3};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, an, &a3, &e), CORE_OK);
    assert_int_equal(a3.due_day, today - 3);
    /* an environment change in 60 days: upcoming */
    store_dd_assessment a4 = {.scope_id = sc2, .kind = "hria", .trigger = "environment_change",
                              .event_day = today + 60};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, an, &a4, &e), CORE_OK);
    reg_assessment_view *v;
    size_t n, nover, nsoon;
    assert_int_equal(reg_assessment_due_list(f->svc, &f->a, an, &v, &n, &nover, &nsoon), CORE_OK);
    assert_int_equal(n, 4);
    assert_int_equal(nover, 2);
    assert_int_equal(nsoon, 1);
    assert_int_equal(v[0].assessment.id, a2.id);          /* most overdue first */
    assert_int_equal(v[0].due, DD_DUE_OVERDUE);
    assert_int_equal(v[0].days_overdue, 10);
    assert_int_equal(v[1].assessment.id, a3.id);
    assert_int_equal(v[1].days_overdue, 3);
    assert_int_equal(v[2].assessment.id, a1.id);
    assert_int_equal(v[2].due, DD_DUE_SOON);
    assert_int_equal(v[3].assessment.id, a4.id);
    assert_int_equal(v[3].due, DD_DUE_UPCOMING);
    assert_string_equal(v[3].scope_slug, "state-customer");
    /* the reminders the server logs: only organisations with something due */
    reg_reminder *rem;
    size_t nrem;
    assert_int_equal(reg_reminders(f->svc, &f->a, &rem, &nrem), CORE_OK);
    assert_int_equal(nrem, 1);
    assert_int_equal(rem[0].org_id, f->org);
    assert_int_equal(rem[0].open, 4);
    assert_int_equal(rem[0].overdue, 2);
    assert_int_equal(rem[0].due_soon, 1);
    assert_int_equal(rem[0].oldest_due_day, today - 10);
    char line[128];
    reg_reminders_summary(rem, nrem, line, sizeof line);
    assert_string_equal(line, "acme: 2 overdue, 1 due soon");
    reg_reminders_summary(rem, nrem, line, 8);
    assert_string_equal(line, "acme: 2");
    /* completing: not in the future; then the next periodic is due a year later */
    EXPECT_FIELD(reg_assessment_complete(f->svc, &f->a, an, a3.id, today + 1, NULL, NULL, 0, err),
                 CORE_INVALID, "/completed_day", "reg.err.date");
    int64_t bad[] = {424242};
    EXPECT_FIELD(reg_assessment_complete(f->svc, &f->a, an, a3.id, today, NULL, bad, 1, err),
                 CORE_INVALID, "/findings/0", "reg.err.reference");
    assert_int_equal(reg_assessment_complete(f->svc, &f->a, an, a3.id, today, "Done", NULL, 0, &e),
                     CORE_OK);
    assert_int_equal(reg_assessment_complete(f->svc, &f->a, an, a3.id, today, "Again", NULL, 0, &e),
                     CORE_CONFLICT);
    store_dd_assessment a5 = {.scope_id = sc, .kind = "hria", .trigger = "periodic",
                              .event_day = today};
    assert_int_equal(reg_assessment_create(f->svc, &f->a, an, &a5, &e), CORE_OK);
    assert_int_equal(a5.due_day, today + 365);
    reg_assessment_view one;
    assert_int_equal(reg_assessment_get(f->svc, &f->a, an, a3.id, &one), CORE_OK);
    assert_int_equal(one.due, DD_DUE_LATE);
    assert_int_equal(reg_assessment_due_list(f->svc, &f->a, an, &v, &n, &nover, &nsoon), CORE_OK);
    assert_int_equal(n, 4);
    assert_int_equal(nover, 1);
    /* a shorter interval configured */
    reg_service *svc2;
    reg_options o;
    reg_options_defaults(&o);
    o.now = fx_now;
    o.dd.periodic_days = 90;
    assert_int_equal(reg_open(&svc2, f->s, &o), CORE_OK);
    store_dd_assessment a6 = {.scope_id = sc, .kind = "hria", .trigger = "periodic",
                              .event_day = today};
    assert_int_equal(reg_assessment_create(svc2, &f->a, an, &a6, &e), CORE_OK);
    assert_int_equal(a6.due_day, today + 90);
    reg_close(svc2);
}

void t_tracking(void **state)
{
    tfx *f = *state;
    reg_error e;
    const reg_principal *an = PR(f, P_ANALYST);
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t imp = mk_impact(f, sc, "actual", 4, 4, 3, 0);
    int64_t imp2 = mk_impact(f, sc, "potential", 2, 2, 2, 2);
    store_dd_action ac = {.impact_id = imp, .kind = "mitigate", .title = "Appeals within 7 days",
                          .function = "trust_and_safety", .due_day = D0 + 200,
                          .status = "in_progress", .owner_name = "T&S lead"};
    assert_int_equal(reg_action_create(f->svc, &f->a, an, &ac, &e), CORE_OK);
    store_dd_indicator i1 = {.impact_id = imp, .name = "Wrongful removals", .unit = "%",
                             .direction = "decrease", .target = 2, .target_day = -1};
    assert_int_equal(reg_indicator_create(f->svc, &f->a, an, &i1, &e), CORE_OK);
    store_dd_indicator i2 = {.action_id = ac.id, .name = "Appeal time", .unit = "days",
                             .direction = "decrease", .target = 7, .target_day = -1};
    assert_int_equal(reg_indicator_create(f->svc, &f->a, an, &i2, &e), CORE_OK);
    g_now = T0 + 200 * DAY;
    for (int m = 0; m < 6; m++) {
        store_dd_measure ms = {.indicator_id = i1.id, .day = D0 + 30 * m, .value = 10 - m};
        assert_int_equal(reg_measure_put(f->svc, &f->a, an, &ms, &e), CORE_OK);
        store_dd_measure ms2 = {.indicator_id = i2.id, .day = D0 + 30 * m, .value = 20 + m};
        assert_int_equal(reg_measure_put(f->svc, &f->a, an, &ms2, &e), CORE_OK);
    }
    /* the same day again replaces the value */
    store_dd_measure again = {.indicator_id = i1.id, .day = D0 + 150, .value = 4.5, .note = "revised"};
    assert_int_equal(reg_measure_put(f->svc, &f->a, an, &again, &e), CORE_OK);
    reg_indicator_view iv;
    assert_int_equal(reg_indicator_get(f->svc, &f->a, an, i1.id, &iv), CORE_OK);
    assert_int_equal(iv.nmeasures, 6);
    assert_true(iv.has_latest);
    assert_true(iv.latest == 4.5);
    assert_int_equal(iv.latest_day, D0 + 150);
    assert_int_equal(iv.trend, DD_TREND_DOWN);
    assert_int_equal(iv.track, DD_TRACK_ON_TRACK);
    reg_tracking tr;
    assert_int_equal(reg_tracking_get(f->svc, &f->a, an, imp, &tr), CORE_OK);
    assert_int_equal(tr.nindicators, 2);
    assert_int_equal(tr.indicators[0].indicator.id, i1.id);
    assert_int_equal(tr.indicators[1].indicator.id, i2.id);
    assert_int_equal(tr.indicators[1].trend, DD_TREND_UP);
    assert_int_equal(tr.indicators[1].track, DD_TRACK_OFF_TRACK);
    assert_int_equal(tr.ngrievances, 0);
    assert_int_equal(tr.nmonths, 0);
    /* stakeholder feedback and coverage */
    store_dd_stakeholder ngo = {.name = "Expert panel", .kind = "expert"};
    store_dd_stakeholder grp = {.name = "Moderated creators", .kind = "affected_group",
                                .global_south = 1};
    assert_int_equal(reg_stakeholder_create(f->svc, &f->a, an, &ngo, &e), CORE_OK);
    assert_int_equal(reg_stakeholder_create(f->svc, &f->a, an, &grp, &e), CORE_OK);
    char both[64];
    snprintf(both, sizeof both, "%lld  %lld", (long long)imp2, (long long)imp);
    store_dd_engagement e1 = {.stakeholder_id = ngo.id, .day = D0 + 20, .step = "assess",
                              .topics = "removals", .format = "interview", .impact_ids = both};
    assert_int_equal(reg_engagement_create(f->svc, &f->a, an, &e1, NULL, &e), CORE_OK);
    char only[32];
    snprintf(only, sizeof only, "%lld", (long long)imp);
    store_dd_engagement e2 = {.stakeholder_id = grp.id, .day = D0 + 40, .step = "track",
                              .topics = "appeals", .format = "workshop", .impact_ids = only,
                              .outcome = "Appeals too slow"};
    assert_int_equal(reg_engagement_create(f->svc, &f->a, an, &e2, NULL, &e), CORE_OK);
    assert_int_equal(reg_tracking_get(f->svc, &f->a, an, imp, &tr), CORE_OK);
    assert_int_equal(tr.nfeedback, 2);
    assert_string_equal(tr.feedback_stakeholders[1], "Moderated creators");
    reg_coverage_row *rows;
    size_t n, ncov;
    assert_int_equal(reg_coverage_get(f->svc, &f->a, an, &rows, &n, &ncov), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ncov, 1);
    assert_int_equal(rows[0].impact.impact.id, imp);      /* priority order */
    assert_int_equal(rows[0].engagements, 2);
    assert_int_equal(rows[0].affected_input, 1);
    assert_int_equal(rows[0].covered, 1);
    assert_int_equal(rows[0].last_day, D0 + 40);
    assert_int_equal(rows[1].covered, 0);
    assert_int_equal(rows[1].engagements, 1);
    assert_int_equal(rows[1].last_day, -1);
}

void t_audit(void **state)
{
    tfx *f = *state;
    reg_error e;
    int64_t sc = mk_scope(f, "chat", "product");
    int64_t imp = mk_impact(f, sc, "potential", 3, 3, 3, 3);
    int64_t c1 = fx_case(f, f->org, "G-AUDIT001");
    reg_link_result r;
    assert_int_equal(reg_impact_link_grievance(f->svc, &f->a, PR(f, P_ANALYST), imp, c1, &r, &e),
                     CORE_OK);
    store_dd_policy p = {.title = "Policy", .body_md = "Text"};
    assert_int_equal(reg_policy_create(f->svc, &f->a, PR(f, P_ANALYST), &p, &e), CORE_OK);
    assert_int_equal(reg_policy_approve(f->svc, &f->a, PR(f, P_HR), p.id, &e), CORE_OK);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dd_scope'"), 1);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dd_impact'"
                                 " AND action = 'link_grievance'"), 1);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log WHERE object_type = 'dd_assessment'"
                                 " AND action = 'create'"), 1);
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT actor_user_id FROM audit_log WHERE object_type = 'dd_policy'"
             " AND action = 'approve'");
    assert_int_equal(fx_count(f, sql), f->users[P_HR]);
    /* a refused write leaves no audit entry and no row */
    int64_t before = fx_count(f, "SELECT COUNT(*) FROM audit_log");
    store_dd_impact bad = impact_tpl(sc);
    bad.scale = 0;
    assert_int_equal(reg_impact_create(f->svc, &f->a, PR(f, P_ANALYST), &bad, &e), CORE_INVALID);
    assert_int_equal(fx_count(f, "SELECT COUNT(*) FROM audit_log"), before);
    int64_t chain = 0, first_bad = 0;
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    assert_int_equal(store_audit_verify(c, &chain, &first_bad), CORE_OK);
    store_release(f->s, c);
}
