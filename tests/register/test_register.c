/* test_register: the due diligence register service suite, run against
 * both engines (tests/store/test_engines.c). The fixture makes two
 * organisations, one member per staff role of the first, an analyst of the
 * second, a catalogue product, and a service whose clock is g_now.
 */
#include "test_register.h"

#include "../store/test_engines.h"
#include "crypto/crypto.h"

int64_t g_now = T0;

int64_t fx_now(void)
{
    return g_now;
}

static int64_t mk_user(store_conn *c, const char *email)
{
    store_user u = {.email = email, .display_name = email, .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    return u.id;
}

void fx_populate(tfx *f)
{
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org o1 = {.slug = "acme", .name = "Acme", .kind = "company"};
    store_org o2 = {.slug = "other", .name = "Other", .kind = "company"};
    assert_int_equal(store_org_create(c, &o1), CORE_OK);
    assert_int_equal(store_org_create(c, &o2), CORE_OK);
    f->org = o1.id;
    f->org2 = o2.id;
    static const char *const emails[P__COUNT] = {"admin@acme.test", "hr@acme.test",
        "handler@acme.test", "analyst@acme.test", "auditor@acme.test", "analyst@other.test", NULL};
    static const core_role roles[P__COUNT] = {CORE_ROLE_ADMIN, CORE_ROLE_HR_LEAD,
        CORE_ROLE_CASE_HANDLER, CORE_ROLE_ANALYST, CORE_ROLE_AUDITOR, CORE_ROLE_ANALYST,
        CORE_ROLE_ADMIN};
    for (int i = 0; i < P__COUNT; i++) {
        int64_t org = i == P_OTHER ? f->org2 : f->org;
        f->users[i] = emails[i] ? mk_user(c, emails[i]) : 0;
        if (emails[i])
            assert_int_equal(store_member_set(c, org, f->users[i], roles[i]), CORE_OK);
        if (f->users[i])
            snprintf(f->labels[i], sizeof f->labels[i], "user:%lld", (long long)f->users[i]);
        else
            snprintf(f->labels[i], sizeof f->labels[i], "cli");
        f->p[i] = (reg_principal){f->users[i], org, roles[i], f->labels[i]};
    }
    store_product p = {.org_id = f->org, .slug = "chat-app", .name = "Chat app", .kind = "product"};
    assert_int_equal(store_product_create(c, &p), CORE_OK);
    f->product = p.id;
    store_release(f->s, c);
}

int64_t fx_case(tfx *f, int64_t org, const char *reference)
{
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    char hash[80];
    snprintf(hash, sizeof hash, "receipt-%s-%lld", reference, (long long)org);
    store_grievance g = {.org_id = org, .reference = reference, .receipt_hash = hash,
                         .state = "received", .category = "general", .channel = "web",
                         .language = "en", .contact_preference = "anonymous",
                         .enc_narrative = "x", .wrapped_key = "x", .key_version = 1};
    assert_int_equal(store_grievance_create(c, &g), CORE_OK);
    store_release(f->s, c);
    return g.id;
}

int64_t fx_count(tfx *f, const char *sql)
{
    int64_t n = -1;
    assert_int_equal(te_raw_run(f->pg, f->url, sql, &n), 0);
    return n;
}

int64_t mk_scope(tfx *f, const char *slug, const char *kind)
{
    store_dd_scope s = {.slug = slug, .kind = kind, .name = slug, .phase = "use",
                        .countries = "DE KE", .markers = ""};
    reg_error err;
    int rc = reg_scope_create(f->svc, &f->a, &f->p[P_ANALYST], &s, &err);
    if (rc != CORE_OK)
        fail_msg("scope %s: %d %s", slug, rc, err.field ? err.field : "");
    return s.id;
}

store_dd_impact impact_tpl(int64_t scope)
{
    store_dd_impact i = {.scope_id = scope, .title = "Profiling of users", .status = "potential",
                         .rights = "ICCPR-17 UDHR-12", .countries = "", .involvement = "cause",
                         .scale = 3, .scope = 3, .irremediable = 2, .likelihood = 3,
                         .evidence = "assessment"};
    return i;
}

int64_t mk_impact(tfx *f, int64_t scope, const char *status, int scale, int scope_r, int irr,
                  int likelihood)
{
    store_dd_impact i = impact_tpl(scope);
    i.status = status;
    i.scale = scale;
    i.scope = scope_r;
    i.irremediable = irr;
    i.likelihood = likelihood;
    reg_error err;
    int rc = reg_impact_create(f->svc, &f->a, &f->p[P_ANALYST], &i, &err);
    if (rc != CORE_OK)
        fail_msg("impact: %d %s", rc, err.field ? err.field : "");
    return i.id;
}

static int setup(void **state)
{
    const te_engine *e = *state;
    tfx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    g_now = T0;
    te_db_fresh(e, "register", f->dir, f->url);
    store_options so = {.url = f->url, .pool_size = 4, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&f->s, &so), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    core_arena_init(&f->a);
    fx_populate(f);
    reg_options o;
    reg_options_defaults(&o);
    o.now = fx_now;
    assert_int_equal(reg_open(&f->svc, f->s, &o), CORE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    tfx *f = *state;
    reg_close(f->svc);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

static const te_def defs[] = {
    {"validation_impact", t_validation_impact, NULL},
    {"validation_others", t_validation_others, NULL},
    {"approval_roles", t_approval_roles, NULL},
    {"edit_roles", t_edit_roles, NULL},
    {"org_isolation", t_org_isolation, NULL},
    {"priority", t_priority, NULL},
    {"grievance_feedback", t_grievance_feedback, NULL},
    {"fatigue", t_fatigue, NULL},
    {"due", t_due, NULL},
    {"tracking", t_tracking, NULL},
    {"roundtrip", t_roundtrip, NULL},
    {"import_errors", t_import_errors, NULL},
    {"import_missing", t_import_missing, NULL},
    {"csv", t_csv, NULL},
    {"public", t_public, NULL},
    {"audit", t_audit, NULL},
};

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    return te_run("register", "hrdd_register", defs, sizeof defs / sizeof defs[0], setup,
                  teardown);
}
