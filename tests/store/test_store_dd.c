/* test_store_dd: the due diligence register's storage (migration step 4,
 * src/store/repo_dd*.c) on both engines: SQLite (temporary file) and, when
 * HRDD_TEST_PG_URL is set, PostgreSQL (a private database, public schema
 * recreated per test). Every function of store_dd.h is exercised here or in
 * test_store_dd_track.c: round trips of every field (NULL optionals
 * included), organisation isolation (another organisation's ids are
 * CORE_NOTFOUND, lists never leak), update of a missing record, unique
 * keys, list orders, and the schema's second line of defence (CHECK
 * constraints and composite foreign keys refuse what the repository would
 * never write). */
#include "test_store_dd.h"

static int setup(void **state)
{
    const te_engine *e = *state;
    dfx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    te_db_fresh(e, "sdd", f->dir, f->url);
    store_options o = {.url = f->url, .pool_size = 2, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&f->s, &o), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    assert_int_equal(store_acquire(f->s, &f->c), CORE_OK);
    core_arena_init(&f->a);
    store_org o1 = {.slug = "kestrel", .name = "Kestrel", .kind = "company"};
    store_org o2 = {.slug = "other", .name = "Other", .kind = "company"};
    assert_int_equal(store_org_create(f->c, &o1), CORE_OK);
    assert_int_equal(store_org_create(f->c, &o2), CORE_OK);
    f->org = o1.id;
    f->org2 = o2.id;
    store_user u = {.email = "lead@kestrel.test", .display_name = "Lead", .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(f->c, &u), CORE_OK);
    f->user = u.id;
    store_user u2 = {.email = "analyst@kestrel.test", .display_name = "Analyst",
                     .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(f->c, &u2), CORE_OK);
    f->user2 = u2.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    dfx *f = *state;
    store_release(f->s, f->c);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

/* ---- helpers ---- */

int dd_raw(dfx *f, const char *sql)
{
    if (f->pg)
        return te_raw_run(1, f->url, sql, NULL);
    char buf[2048];
    snprintf(buf, sizeof buf, "PRAGMA foreign_keys=ON; %s", sql);
    return te_raw_run(0, f->url, buf, NULL);
}

int64_t dd_mk_scope(dfx *f, int64_t org, const char *slug, const char *name)
{
    store_dd_scope s = {.org_id = org, .slug = slug, .kind = "product", .name = name,
                        .phase = "use", .countries = "", .markers = ""};
    assert_int_equal(store_dd_scope_create(f->c, &s), CORE_OK);
    assert_true(s.id > 0);
    return s.id;
}

int64_t dd_mk_impact(dfx *f, int64_t org, int64_t scope, const char *title)
{
    store_dd_impact i = {.org_id = org, .scope_id = scope, .title = title, .status = "potential",
                         .rights = "UDHR-12", .countries = "", .involvement = "cause",
                         .scale = 3, .scope = 3, .irremediable = 2, .likelihood = 4,
                         .evidence = "assessment"};
    assert_int_equal(store_dd_impact_create(f->c, &i), CORE_OK);
    assert_true(i.id > 0);
    return i.id;
}

int64_t dd_mk_case(dfx *f, int64_t org, const char *ref)
{
    store_grievance g = {.org_id = org, .reference = ref, .receipt_hash = ref,
                         .state = "received", .category = "general", .channel = "web",
                         .language = "en", .contact_preference = "anonymous",
                         .enc_narrative = "Y2lwaGVydGV4dA==", .wrapped_key = "d3JhcHBlZA==",
                         .key_version = 1};
    assert_int_equal(store_grievance_create(f->c, &g), CORE_OK);
    assert_true(g.id > 0);
    return g.id;
}

/* ---- policy commitments ---- */

static void t_policies(void **state)
{
    dfx *f = *state;
    store_dd_policy p = {.org_id = f->org, .title = "Human rights policy",
                         .body_md = "We respect **all** internationally recognised rights.",
                         .scope_rights = "", .own_operations = 1, .business_partners = 1,
                         .end_use = 0, .status = "draft", .created_by = f->user};
    assert_int_equal(store_dd_policy_create(f->c, &p), CORE_OK);
    assert_true(p.id > 0 && p.created_at > 0);
    assert_int_equal(p.version, 1);                       /* 0 = next number */
    store_dd_policy p2 = p;
    p2.version = 0;
    p2.title = "Human rights policy (2)";
    p2.scope_rights = "ICCPR-17 UDHR-19";
    p2.end_use = 7;                                       /* any non-zero flag is 1 */
    p2.created_by = 0;
    assert_int_equal(store_dd_policy_create(f->c, &p2), CORE_OK);
    assert_int_equal(p2.version, 2);
    store_dd_policy dup = p;
    dup.version = 2;                                      /* (org, version) is unique */
    assert_int_equal(store_dd_policy_create(f->c, &dup), CORE_CONFLICT);
    dup.org_id = f->org2;                                 /* in another org it is free */
    dup.created_by = 0;
    assert_int_equal(store_dd_policy_create(f->c, &dup), CORE_OK);
    assert_int_equal(dup.version, 2);
    store_dd_policy bad = p;
    bad.version = 9;
    bad.status = "published";                             /* CHECK: not a status */
    assert_int_equal(store_dd_policy_create(f->c, &bad), CORE_INVALID);
    bad.status = NULL;
    assert_int_equal(store_dd_policy_create(f->c, &bad), CORE_INVALID);

    store_dd_policy g;
    assert_int_equal(store_dd_policy_get(f->c, &f->a, f->org, p2.id, &g), CORE_OK);
    assert_int_equal(g.version, 2);
    assert_string_equal(g.title, "Human rights policy (2)");
    assert_string_equal(g.scope_rights, "ICCPR-17 UDHR-19");
    assert_int_equal(g.own_operations, 1);
    assert_int_equal(g.end_use, 1);
    assert_int_equal(g.created_by, 0);
    assert_int_equal(g.approved_by, 0);
    assert_int_equal(g.approved_at, 0);
    assert_null(g.approved_role);
    assert_int_equal(store_dd_policy_get(f->c, &f->a, f->org2, p2.id, &g), CORE_NOTFOUND);
    assert_int_equal(store_dd_policy_get(f->c, &f->a, f->org, 999999, &g), CORE_NOTFOUND);

    store_dd_policy *list;
    size_t n;
    assert_int_equal(store_dd_policy_list(f->c, &f->a, f->org, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].version, 2);                 /* version descending */
    assert_int_equal(list[1].version, 1);
    assert_string_equal(list[1].body_md, "We respect **all** internationally recognised rights.");
    assert_int_equal(list[1].created_by, f->user);
    assert_int_equal(store_dd_policy_list(f->c, &f->a, f->org2, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, dup.id);

    /* approval and supersession are updates */
    p.status = "approved";
    p.approved_by = f->user;
    p.approved_at = 1764300000;
    p.approved_role = "hr_lead";
    assert_int_equal(store_dd_policy_update(f->c, &p), CORE_OK);
    assert_int_equal(store_dd_policy_get(f->c, &f->a, f->org, p.id, &g), CORE_OK);
    assert_string_equal(g.status, "approved");
    assert_int_equal(g.approved_by, f->user);
    assert_int_equal(g.approved_at, 1764300000);
    assert_string_equal(g.approved_role, "hr_lead");
    assert_int_equal(g.version, 1);
    p.approved_role = "analyst";                          /* CHECK: approvers only */
    assert_int_equal(store_dd_policy_update(f->c, &p), CORE_INVALID);
    p.approved_role = "admin";
    p.status = "superseded";
    assert_int_equal(store_dd_policy_update(f->c, &p), CORE_OK);
    store_dd_policy wrong = p;
    wrong.org_id = f->org2;                               /* another org's id */
    assert_int_equal(store_dd_policy_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = p;
    wrong.id = 999999;
    assert_int_equal(store_dd_policy_update(f->c, &wrong), CORE_NOTFOUND);

    /* communications: by day; the policy must be the org's own */
    store_dd_policy_comm m1 = {.org_id = f->org, .policy_id = p.id, .day = 20400,
                               .channel = "website", .audience = "public",
                               .note = "Published on the corporate site"};
    store_dd_policy_comm m2 = {.org_id = f->org, .policy_id = p.id, .day = 20390,
                               .channel = "training", .audience = "staff"};
    assert_int_equal(store_dd_policy_comm_add(f->c, &m1), CORE_OK);
    assert_int_equal(store_dd_policy_comm_add(f->c, &m2), CORE_OK);
    assert_true(m1.id > 0 && m2.id > 0 && m1.created_at > 0);
    store_dd_policy_comm m3 = m1;
    m3.org_id = f->org2;                                  /* org2 naming org1's version */
    assert_int_equal(store_dd_policy_comm_add(f->c, &m3), CORE_NOTFOUND);
    m3 = m1;
    m3.channel = "fax";
    assert_int_equal(store_dd_policy_comm_add(f->c, &m3), CORE_INVALID);
    store_dd_policy_comm *ml;
    assert_int_equal(store_dd_policy_comm_list(f->c, &f->a, f->org, p.id, &ml, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ml[0].id, m2.id);                    /* by day */
    assert_int_equal(ml[0].day, 20390);
    assert_string_equal(ml[0].channel, "training");
    assert_string_equal(ml[0].audience, "staff");
    assert_null(ml[0].note);
    assert_string_equal(ml[1].note, "Published on the corporate site");
    assert_int_equal(store_dd_policy_comm_list(f->c, &f->a, f->org2, p.id, &ml, &n), CORE_OK);
    assert_int_equal(n, 0);

    /* operational policies: by id */
    store_dd_policy_link l1 = {.org_id = f->org, .policy_id = p.id,
                               .title = "Law enforcement request policy",
                               .url = "https://kestrel.example/le", .function = "legal"};
    store_dd_policy_link l2 = {.org_id = f->org, .policy_id = p.id, .title = "Supplier code"};
    assert_int_equal(store_dd_policy_link_add(f->c, &l1), CORE_OK);
    assert_int_equal(store_dd_policy_link_add(f->c, &l2), CORE_OK);
    store_dd_policy_link l3 = l1;
    l3.org_id = f->org2;
    assert_int_equal(store_dd_policy_link_add(f->c, &l3), CORE_NOTFOUND);
    l3 = l1;
    l3.function = "marketing";                            /* CHECK: not a function */
    assert_int_equal(store_dd_policy_link_add(f->c, &l3), CORE_INVALID);
    store_dd_policy_link *ll;
    assert_int_equal(store_dd_policy_link_list(f->c, &f->a, f->org, p.id, &ll, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ll[0].id, l1.id);
    assert_string_equal(ll[0].url, "https://kestrel.example/le");
    assert_string_equal(ll[0].function, "legal");
    assert_string_equal(ll[1].title, "Supplier code");
    assert_null(ll[1].url);
    assert_null(ll[1].function);
    assert_int_equal(store_dd_policy_link_list(f->c, &f->a, f->org2, p.id, &ll, &n), CORE_OK);
    assert_int_equal(n, 0);
}

/* ---- scope objects ---- */

static void t_scopes(void **state)
{
    dfx *f = *state;
    store_product prod = {.org_id = f->org, .slug = "chat", .name = "Kestrel Chat",
                          .kind = "product"};
    assert_int_equal(store_product_create(f->c, &prod), CORE_OK);
    store_product prod2 = {.org_id = f->org2, .slug = "chat", .name = "Other Chat",
                           .kind = "product"};
    assert_int_equal(store_product_create(f->c, &prod2), CORE_OK);

    store_dd_scope s = {.org_id = f->org, .slug = "chat", .kind = "product", .name = "Chat",
                        .description = "Messaging app", .phase = "use", .countries = "DE KE",
                        .markers = "mass_data children_users", .product_id = prod.id};
    assert_int_equal(store_dd_scope_create(f->c, &s), CORE_OK);
    assert_true(s.id > 0 && s.created_at > 0 && s.updated_at == s.created_at);
    store_dd_scope feat = {.org_id = f->org, .slug = "chat-translate", .kind = "feature",
                           .name = "Auto-translate", .phase = "development",
                           .parent_id = s.id};                    /* NULL countries -> "" */
    assert_int_equal(store_dd_scope_create(f->c, &feat), CORE_OK);
    store_dd_scope agency = {.org_id = f->org, .slug = "agency", .kind = "state_agency",
                             .name = "A ministry", .phase = "sale_or_licensing",
                             .countries = "XX", .markers = "surveillance_to_state state_customer",
                             .created_at = 1700000000, .updated_at = 1700000500};
    assert_int_equal(store_dd_scope_create(f->c, &agency), CORE_OK);
    assert_int_equal(agency.created_at, 1700000000);      /* kept as given (import) */

    /* unique slug per org; free in another org */
    store_dd_scope dup = s;
    dup.product_id = 0;
    assert_int_equal(store_dd_scope_create(f->c, &dup), CORE_CONFLICT);
    dup.org_id = f->org2;
    assert_int_equal(store_dd_scope_create(f->c, &dup), CORE_OK);
    /* references must be the org's own */
    store_dd_scope x = {.org_id = f->org, .slug = "x", .kind = "product", .name = "X",
                        .phase = "use", .product_id = prod2.id};
    assert_int_equal(store_dd_scope_create(f->c, &x), CORE_NOTFOUND);
    x.product_id = 0;
    x.parent_id = dup.id;                                 /* org2's scope */
    assert_int_equal(store_dd_scope_create(f->c, &x), CORE_NOTFOUND);
    x.parent_id = 0;
    x.kind = "country";                                   /* CHECK: not a kind */
    assert_int_equal(store_dd_scope_create(f->c, &x), CORE_INVALID);
    x.kind = "product";
    x.phase = "retired";
    assert_int_equal(store_dd_scope_create(f->c, &x), CORE_INVALID);
    x.phase = "use";
    x.slug = "Not A Slug";
    assert_int_equal(store_dd_scope_create(f->c, &x), CORE_INVALID);

    store_dd_scope g;
    assert_int_equal(store_dd_scope_get(f->c, &f->a, f->org, s.id, &g), CORE_OK);
    assert_string_equal(g.slug, "chat");
    assert_string_equal(g.kind, "product");
    assert_string_equal(g.name, "Chat");
    assert_string_equal(g.description, "Messaging app");
    assert_string_equal(g.phase, "use");
    assert_string_equal(g.countries, "DE KE");
    assert_string_equal(g.markers, "mass_data children_users");
    assert_int_equal(g.product_id, prod.id);
    assert_int_equal(g.parent_id, 0);
    assert_int_equal(store_dd_scope_get(f->c, &f->a, f->org, feat.id, &g), CORE_OK);
    assert_null(g.description);
    assert_string_equal(g.countries, "");
    assert_string_equal(g.markers, "");
    assert_int_equal(g.parent_id, s.id);
    assert_int_equal(g.product_id, 0);
    assert_int_equal(store_dd_scope_get(f->c, &f->a, f->org2, s.id, &g), CORE_NOTFOUND);
    assert_int_equal(store_dd_scope_get_by_slug(f->c, &f->a, f->org, "agency", &g), CORE_OK);
    assert_int_equal(g.id, agency.id);
    assert_int_equal(g.updated_at, 1700000500);
    assert_int_equal(store_dd_scope_get_by_slug(f->c, &f->a, f->org2, "agency", &g), CORE_NOTFOUND);
    assert_int_equal(store_dd_scope_get_by_slug(f->c, &f->a, f->org2, "chat", &g), CORE_OK);
    assert_int_equal(g.id, dup.id);

    store_dd_scope *list;
    size_t n;
    assert_int_equal(store_dd_scope_list(f->c, &f->a, f->org, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "A ministry");      /* by name */
    assert_string_equal(list[1].name, "Auto-translate");
    assert_string_equal(list[2].name, "Chat");
    assert_int_equal(store_dd_scope_list(f->c, &f->a, f->org2, &list, &n), CORE_OK);
    assert_int_equal(n, 1);

    /* update */
    agency.name = "Ministry of the Interior";
    agency.description = "Customer since 2024";
    agency.phase = "deployment";
    agency.slug = "ministry";
    assert_int_equal(store_dd_scope_update(f->c, &agency), CORE_OK);
    assert_true(agency.updated_at > 1700000500);
    assert_int_equal(store_dd_scope_get(f->c, &f->a, f->org, agency.id, &g), CORE_OK);
    assert_string_equal(g.slug, "ministry");
    assert_string_equal(g.name, "Ministry of the Interior");
    assert_string_equal(g.phase, "deployment");
    assert_int_equal(g.created_at, 1700000000);
    feat.parent_id = feat.id;                             /* its own parent */
    assert_int_equal(store_dd_scope_update(f->c, &feat), CORE_INVALID);
    feat.parent_id = s.id;
    feat.slug = "chat";                                   /* taken */
    assert_int_equal(store_dd_scope_update(f->c, &feat), CORE_CONFLICT);
    store_dd_scope wrong = agency;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_scope_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = agency;
    wrong.id = 999999;
    assert_int_equal(store_dd_scope_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = agency;
    wrong.product_id = prod2.id;
    assert_int_equal(store_dd_scope_update(f->c, &wrong), CORE_NOTFOUND);
}

/* ---- impacts ---- */

static void t_impacts(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t s2 = dd_mk_scope(f, f->org, "feed", "Feed");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    store_dd_impact i = {.org_id = f->org, .scope_id = s1,
                         .title = "Message content disclosed to a State agency",
                         .description = "Requests without judicial oversight",
                         .status = "actual", .rights = "ICCPR-17 UDHR-12",
                         .affected_groups = "Users in the country",
                         .vulnerable_groups = "Journalists, human rights defenders",
                         .countries = "XX", .involvement = "contribute", .business_model = 1,
                         .scale = 5, .scope = 4, .irremediable = 5, .likelihood = 0,
                         .competing_rights = "Security of persons (ICCPR-9)",
                         .evidence = "grievance media", .created_by = f->user};
    assert_int_equal(store_dd_impact_create(f->c, &i), CORE_OK);
    assert_true(i.id > 0 && i.created_at > 0 && i.updated_at == i.created_at);
    int64_t i2 = dd_mk_impact(f, f->org, s2, "Feed amplifies hate speech");
    int64_t i3 = dd_mk_impact(f, f->org, s1, "Spam reports silence activists");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");

    store_dd_impact g;
    assert_int_equal(store_dd_impact_get(f->c, &f->a, f->org, i.id, &g), CORE_OK);
    assert_int_equal(g.scope_id, s1);
    assert_string_equal(g.title, "Message content disclosed to a State agency");
    assert_string_equal(g.description, "Requests without judicial oversight");
    assert_string_equal(g.status, "actual");
    assert_string_equal(g.rights, "ICCPR-17 UDHR-12");
    assert_string_equal(g.affected_groups, "Users in the country");
    assert_string_equal(g.vulnerable_groups, "Journalists, human rights defenders");
    assert_string_equal(g.countries, "XX");
    assert_string_equal(g.involvement, "contribute");
    assert_int_equal(g.business_model, 1);
    assert_int_equal(g.scale, 5);
    assert_int_equal(g.scope, 4);
    assert_int_equal(g.irremediable, 5);
    assert_int_equal(g.likelihood, 0);
    assert_string_equal(g.competing_rights, "Security of persons (ICCPR-9)");
    assert_string_equal(g.evidence, "grievance media");
    assert_int_equal(g.created_by, f->user);
    assert_int_equal(store_dd_impact_get(f->c, &f->a, f->org, i2, &g), CORE_OK);
    assert_null(g.description);
    assert_null(g.affected_groups);
    assert_null(g.vulnerable_groups);
    assert_null(g.competing_rights);
    assert_int_equal(g.created_by, 0);
    assert_int_equal(g.business_model, 0);
    assert_int_equal(store_dd_impact_get(f->c, &f->a, f->org2, i.id, &g), CORE_NOTFOUND);
    assert_int_equal(store_dd_impact_get(f->c, &f->a, f->org, io, &g), CORE_NOTFOUND);

    /* references and ranges */
    store_dd_impact x = i;
    x.scope_id = so;                                      /* org2's scope */
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_NOTFOUND);
    x.scope_id = 0;
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.scope_id = s1;
    x.scale = 6;                                          /* CHECK 1-5 */
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.scale = 0;
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.scale = 3;
    x.status = "potential";                               /* likelihood 0 only when actual */
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.likelihood = 6;
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.likelihood = 2;
    x.involvement = "benefit";
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.involvement = "directly_linked";
    x.status = "speculative";
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);
    x.status = "possibly_actual";
    x.rights = "";
    assert_int_equal(store_dd_impact_create(f->c, &x), CORE_INVALID);

    /* lists: by id, filtered by scope, never another org's */
    store_dd_impact *list;
    size_t n;
    assert_int_equal(store_dd_impact_list(f->c, &f->a, f->org, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, i.id);
    assert_int_equal(list[1].id, i2);
    assert_int_equal(list[2].id, i3);
    assert_int_equal(store_dd_impact_list(f->c, &f->a, f->org, s1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[1].id, i3);
    assert_int_equal(store_dd_impact_list(f->c, &f->a, f->org, so, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_impact_list(f->c, &f->a, f->org2, s1, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_impact_list(f->c, &f->a, f->org2, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, io);

    /* update: every field but the creation */
    i.scope_id = s2;
    i.status = "possibly_actual";
    i.likelihood = 3;
    i.description = NULL;
    i.competing_rights = NULL;
    i.rights = "UDHR-19";
    i.evidence = "";
    i.created_by = f->user2;                              /* not an update column */
    int64_t created = i.created_at;
    assert_int_equal(store_dd_impact_update(f->c, &i), CORE_OK);
    assert_int_equal(store_dd_impact_get(f->c, &f->a, f->org, i.id, &g), CORE_OK);
    assert_int_equal(g.scope_id, s2);
    assert_string_equal(g.status, "possibly_actual");
    assert_int_equal(g.likelihood, 3);
    assert_null(g.description);
    assert_null(g.competing_rights);
    assert_string_equal(g.rights, "UDHR-19");
    assert_string_equal(g.evidence, "");
    assert_int_equal(g.created_by, f->user);
    assert_int_equal(g.created_at, created);
    store_dd_impact wrong = i;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_impact_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = i;
    wrong.id = 999999;
    assert_int_equal(store_dd_impact_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = i;
    wrong.scope_id = so;
    assert_int_equal(store_dd_impact_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = i;
    wrong.irremediable = 9;
    assert_int_equal(store_dd_impact_update(f->c, &wrong), CORE_INVALID);
}

/* ---- assessments and findings ---- */

static void t_assessments(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t s2 = dd_mk_scope(f, f->org, "feed", "Feed");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");

    store_dd_assessment a1 = {.org_id = f->org, .scope_id = s1, .kind = "hria",
                              .trigger = "new_activity", .trigger_note = "Launch in XX",
                              .event_day = 20400, .due_day = 20430, .status = "open",
                              .completed_day = -1};
    store_dd_assessment a2 = {.org_id = f->org, .scope_id = s2, .kind = "dd_review",
                              .trigger = "grievance", .event_day = 20380, .due_day = 20410,
                              .status = "open", .completed_day = -1, .impact_id = i1};
    store_dd_assessment a3 = {.org_id = f->org, .scope_id = s1, .kind = "dd_review",
                              .trigger = "periodic", .event_day = 20000, .due_day = 20410,
                              .status = "open", .completed_day = -1};
    assert_int_equal(store_dd_assessment_create(f->c, &a1), CORE_OK);
    assert_int_equal(store_dd_assessment_create(f->c, &a2), CORE_OK);
    assert_int_equal(store_dd_assessment_create(f->c, &a3), CORE_OK);
    assert_true(a1.id > 0 && a1.created_at > 0 && a1.updated_at == a1.created_at);
    store_dd_assessment ao = {.org_id = f->org2, .scope_id = so, .kind = "hria",
                              .trigger = "periodic", .event_day = 1, .due_day = 2,
                              .status = "open", .completed_day = -1};
    assert_int_equal(store_dd_assessment_create(f->c, &ao), CORE_OK);

    store_dd_assessment x = a1;
    x.scope_id = so;
    assert_int_equal(store_dd_assessment_create(f->c, &x), CORE_NOTFOUND);
    x.scope_id = s1;
    x.impact_id = io;
    assert_int_equal(store_dd_assessment_create(f->c, &x), CORE_NOTFOUND);
    x.impact_id = 0;
    x.trigger = "whim";
    assert_int_equal(store_dd_assessment_create(f->c, &x), CORE_INVALID);
    x.trigger = "periodic";
    x.kind = "audit";
    assert_int_equal(store_dd_assessment_create(f->c, &x), CORE_INVALID);
    x.kind = "hria";
    x.status = "completed";                               /* completed needs its day */
    assert_int_equal(store_dd_assessment_create(f->c, &x), CORE_INVALID);

    store_dd_assessment g;
    assert_int_equal(store_dd_assessment_get(f->c, &f->a, f->org, a1.id, &g), CORE_OK);
    assert_int_equal(g.scope_id, s1);
    assert_string_equal(g.kind, "hria");
    assert_string_equal(g.trigger, "new_activity");
    assert_string_equal(g.trigger_note, "Launch in XX");
    assert_int_equal(g.event_day, 20400);
    assert_int_equal(g.due_day, 20430);
    assert_string_equal(g.status, "open");
    assert_int_equal(g.completed_day, -1);
    assert_null(g.summary);
    assert_int_equal(g.impact_id, 0);
    assert_int_equal(g.approved_by, 0);
    assert_int_equal(g.approved_at, 0);
    assert_int_equal(store_dd_assessment_get(f->c, &f->a, f->org, a2.id, &g), CORE_OK);
    assert_null(g.trigger_note);
    assert_int_equal(g.impact_id, i1);
    assert_string_equal(g.trigger, "grievance");
    assert_int_equal(store_dd_assessment_get(f->c, &f->a, f->org2, a1.id, &g), CORE_NOTFOUND);

    store_dd_assessment *list;
    size_t n;
    assert_int_equal(store_dd_assessment_list(f->c, &f->a, f->org, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, a2.id);                  /* due 20410, lower id */
    assert_int_equal(list[1].id, a3.id);                  /* due 20410 */
    assert_int_equal(list[2].id, a1.id);                  /* due 20430 */
    assert_int_equal(store_dd_assessment_list(f->c, &f->a, f->org, s1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, a3.id);
    assert_int_equal(store_dd_assessment_list(f->c, &f->a, f->org, so, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_assessment_list(f->c, &f->a, f->org2, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, ao.id);

    /* complete, then approve */
    a1.status = "completed";
    a1.completed_day = 20425;
    a1.summary = "Two salient impacts; mitigation agreed.";
    assert_int_equal(store_dd_assessment_update(f->c, &a1), CORE_OK);
    a1.status = "approved";
    a1.approved_by = f->user;
    a1.approved_at = 1764300000;
    assert_int_equal(store_dd_assessment_update(f->c, &a1), CORE_OK);
    assert_int_equal(store_dd_assessment_get(f->c, &f->a, f->org, a1.id, &g), CORE_OK);
    assert_string_equal(g.status, "approved");
    assert_int_equal(g.completed_day, 20425);
    assert_string_equal(g.summary, "Two salient impacts; mitigation agreed.");
    assert_int_equal(g.approved_by, f->user);
    assert_int_equal(g.approved_at, 1764300000);
    assert_true(g.updated_at >= g.created_at);
    store_dd_assessment wrong = a1;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_assessment_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = a1;
    wrong.id = 999999;
    assert_int_equal(store_dd_assessment_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = a1;
    wrong.impact_id = io;
    assert_int_equal(store_dd_assessment_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = a1;
    wrong.status = "open";
    wrong.completed_day = -1;
    wrong.summary = NULL;
    wrong.approved_by = 0;
    assert_int_equal(store_dd_assessment_update(f->c, &wrong), CORE_OK);   /* reopened */
    assert_int_equal(store_dd_assessment_get(f->c, &f->a, f->org, a1.id, &g), CORE_OK);
    assert_null(g.summary);
    assert_int_equal(g.approved_by, 0);

    /* findings: unique pair, same org, by impact id */
    int64_t i2 = dd_mk_impact(f, f->org, s1, "Impact two");
    assert_int_equal(store_dd_finding_add(f->c, f->org, a1.id, i2), CORE_OK);
    assert_int_equal(store_dd_finding_add(f->c, f->org, a1.id, i1), CORE_OK);
    assert_int_equal(store_dd_finding_add(f->c, f->org, a1.id, i1), CORE_CONFLICT);
    assert_int_equal(store_dd_finding_add(f->c, f->org, a1.id, io), CORE_NOTFOUND);
    assert_int_equal(store_dd_finding_add(f->c, f->org, ao.id, i1), CORE_NOTFOUND);
    assert_int_equal(store_dd_finding_add(f->c, f->org2, a1.id, i1), CORE_NOTFOUND);
    assert_int_equal(store_dd_finding_add(f->c, f->org, a1.id, 999999), CORE_NOTFOUND);
    int64_t *ids;
    assert_int_equal(store_dd_finding_list(f->c, &f->a, f->org, a1.id, &ids, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ids[0], i1 < i2 ? i1 : i2);
    assert_int_equal(ids[1], i1 < i2 ? i2 : i1);
    assert_int_equal(store_dd_finding_list(f->c, &f->a, f->org2, a1.id, &ids, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_finding_list(f->c, &f->a, f->org, a2.id, &ids, &n), CORE_OK);
    assert_int_equal(n, 0);
}

/* ---- actions ---- */

static void t_actions(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    int64_t i2 = dd_mk_impact(f, f->org, s1, "Impact two");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");

    store_dd_action a1 = {.org_id = f->org, .impact_id = i1, .kind = "mitigate",
                          .title = "Transparency report on State requests",
                          .description = "Publish twice a year", .owner_id = f->user,
                          .function = "legal", .due_day = 20500, .status = "planned",
                          .integration = "Part of the legal team's quarterly plan"};
    store_dd_action a2 = {.org_id = f->org, .impact_id = i1, .kind = "use_leverage",
                          .title = "Raise with the agency", .owner_name = "Country manager",
                          .function = "sales", .due_day = -1, .status = "in_progress"};
    store_dd_action a3 = {.org_id = f->org, .impact_id = i2, .kind = "prevent",
                          .title = "Rate limit mass reports", .function = "trust_and_safety",
                          .due_day = 20450, .status = "done"};
    assert_int_equal(store_dd_action_create(f->c, &a1), CORE_OK);
    assert_int_equal(store_dd_action_create(f->c, &a2), CORE_OK);
    assert_int_equal(store_dd_action_create(f->c, &a3), CORE_OK);
    assert_true(a1.id > 0 && a1.created_at > 0 && a1.updated_at == a1.created_at);
    store_dd_action ao = {.org_id = f->org2, .impact_id = io, .kind = "remediate",
                          .title = "Other", .function = "other", .due_day = 1,
                          .status = "planned"};
    assert_int_equal(store_dd_action_create(f->c, &ao), CORE_OK);

    store_dd_action x = a1;
    x.impact_id = io;
    assert_int_equal(store_dd_action_create(f->c, &x), CORE_NOTFOUND);
    x.impact_id = i1;
    x.kind = "ignore";
    assert_int_equal(store_dd_action_create(f->c, &x), CORE_INVALID);
    x.kind = "end_relationship";
    x.function = "finance";
    assert_int_equal(store_dd_action_create(f->c, &x), CORE_INVALID);
    x.function = "procurement";
    x.status = "forgotten";
    assert_int_equal(store_dd_action_create(f->c, &x), CORE_INVALID);
    x.status = "cancelled";
    x.owner_id = 999999;                                  /* no such user */
    assert_int_equal(store_dd_action_create(f->c, &x), CORE_INVALID);

    store_dd_action g;
    assert_int_equal(store_dd_action_get(f->c, &f->a, f->org, a1.id, &g), CORE_OK);
    assert_int_equal(g.impact_id, i1);
    assert_string_equal(g.kind, "mitigate");
    assert_string_equal(g.title, "Transparency report on State requests");
    assert_string_equal(g.description, "Publish twice a year");
    assert_int_equal(g.owner_id, f->user);
    assert_null(g.owner_name);
    assert_string_equal(g.function, "legal");
    assert_int_equal(g.due_day, 20500);
    assert_string_equal(g.status, "planned");
    assert_string_equal(g.integration, "Part of the legal team's quarterly plan");
    assert_int_equal(store_dd_action_get(f->c, &f->a, f->org, a2.id, &g), CORE_OK);
    assert_int_equal(g.owner_id, 0);
    assert_string_equal(g.owner_name, "Country manager");
    assert_null(g.description);
    assert_null(g.integration);
    assert_int_equal(g.due_day, -1);
    assert_int_equal(store_dd_action_get(f->c, &f->a, f->org2, a1.id, &g), CORE_NOTFOUND);

    store_dd_action *list;
    size_t n;
    assert_int_equal(store_dd_action_list(f->c, &f->a, f->org, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, a3.id);                  /* due 20450 */
    assert_int_equal(list[1].id, a1.id);                  /* due 20500 */
    assert_int_equal(list[2].id, a2.id);                  /* no due day: last */
    assert_int_equal(store_dd_action_list(f->c, &f->a, f->org, i1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, a1.id);
    assert_int_equal(store_dd_action_list(f->c, &f->a, f->org, io, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_action_list(f->c, &f->a, f->org2, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);

    a2.status = "done";
    a2.due_day = 20460;
    a2.owner_id = f->user2;
    a2.owner_name = NULL;
    a2.impact_id = i2;
    assert_int_equal(store_dd_action_update(f->c, &a2), CORE_OK);
    assert_int_equal(store_dd_action_get(f->c, &f->a, f->org, a2.id, &g), CORE_OK);
    assert_string_equal(g.status, "done");
    assert_int_equal(g.due_day, 20460);
    assert_int_equal(g.owner_id, f->user2);
    assert_null(g.owner_name);
    assert_int_equal(g.impact_id, i2);
    store_dd_action wrong = a2;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_action_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = a2;
    wrong.id = 999999;
    assert_int_equal(store_dd_action_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = a2;
    wrong.impact_id = io;
    assert_int_equal(store_dd_action_update(f->c, &wrong), CORE_NOTFOUND);
}

/* ---- the schema's second line: what no repository call would write ---- */

static void t_schema_guards(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    char sql[512];
    /* an impact of org2 pointing at org1's scope: composite foreign key */
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_impacts (org_id, scope_id, title, status, rights, involvement,"
             " scale, scope, irremediable, likelihood, created_at, updated_at)"
             " VALUES (%lld, %lld, 't', 'potential', 'UDHR-3', 'cause', 1, 1, 1, 1, 1, 1)",
             (long long)f->org2, (long long)s1);
    assert_int_equal(dd_raw(f, sql), -1);
    snprintf(sql, sizeof sql,                             /* the same in org1 is fine */
             "INSERT INTO dd_impacts (org_id, scope_id, title, status, rights, involvement,"
             " scale, scope, irremediable, likelihood, created_at, updated_at)"
             " VALUES (%lld, %lld, 't', 'potential', 'UDHR-3', 'cause', 1, 1, 1, 1, 1, 1)",
             (long long)f->org, (long long)s1);
    assert_int_equal(dd_raw(f, sql), 0);
    /* a link from org2 to org1's impact and org2's case */
    int64_t case2 = dd_mk_case(f, f->org2, "G-BBBBBBBB");
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_grievance_links (org_id, impact_id, case_id, linked_at)"
             " VALUES (%lld, %lld, %lld, 1)", (long long)f->org2, (long long)i1,
             (long long)case2);
    assert_int_equal(dd_raw(f, sql), -1);
    int64_t case1 = dd_mk_case(f, f->org, "G-AAAAAAAA");
    snprintf(sql, sizeof sql,                             /* all in org1: fine */
             "INSERT INTO dd_grievance_links (org_id, impact_id, case_id, linked_at)"
             " VALUES (%lld, %lld, %lld, 1)", (long long)f->org, (long long)i1,
             (long long)case1);
    assert_int_equal(dd_raw(f, sql), 0);
    /* an indicator on both an impact and an action, and on neither */
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_indicators (org_id, impact_id, action_id, name, unit, direction,"
             " target, created_at) VALUES (%lld, NULL, NULL, 'n', '%%', 'increase', 1, 1)",
             (long long)f->org);
    assert_int_equal(dd_raw(f, sql), -1);
    /* a negative tolerance */
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_indicators (org_id, impact_id, name, unit, direction, target,"
             " tolerance, created_at) VALUES (%lld, %lld, 'n', '%%', 'maintain', 1, -0.5, 1)",
             (long long)f->org, (long long)i1);
    assert_int_equal(dd_raw(f, sql), -1);
    snprintf(sql, sizeof sql,                             /* tolerance 0.5: fine */
             "INSERT INTO dd_indicators (org_id, impact_id, name, unit, direction, target,"
             " tolerance, created_at) VALUES (%lld, %lld, 'n', '%%', 'maintain', 1, 0.5, 1)",
             (long long)f->org, (long long)i1);
    assert_int_equal(dd_raw(f, sql), 0);
    /* a flag that is not 0/1 */
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_stakeholders (org_id, name, kind, global_south, created_at)"
             " VALUES (%lld, 'n', 'expert', 2, 1)", (long long)f->org);
    assert_int_equal(dd_raw(f, sql), -1);
    snprintf(sql, sizeof sql,
             "INSERT INTO dd_stakeholders (org_id, name, kind, global_south, created_at)"
             " VALUES (%lld, 'n', 'expert', 1, 1)", (long long)f->org);
    assert_int_equal(dd_raw(f, sql), 0);
}

static const te_def defs[] = {
    {"dd_policies", t_policies, NULL},
    {"dd_scopes", t_scopes, NULL},
    {"dd_impacts", t_impacts, NULL},
    {"dd_assessments", t_assessments, NULL},
    {"dd_actions", t_actions, NULL},
    {"dd_indicators", t_dd_indicators, NULL},
    {"dd_measures", t_dd_measures, NULL},
    {"dd_doubles_exact", t_dd_doubles_exact, NULL},
    {"dd_stakeholders", t_dd_stakeholders, NULL},
    {"dd_engagements", t_dd_engagements, NULL},
    {"dd_links", t_dd_links, NULL},
    {"dd_schema_guards", t_schema_guards, NULL},
};

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    return te_run("store_dd", "hrdd_sdd", defs, sizeof defs / sizeof defs[0], setup, teardown);
}
