/* test_remedy: the grievance service suite, run against both engines.
 *
 * Every test runs first against SQLite (a fresh temporary file) and then,
 * when HRDD_TEST_PG_URL is set, against PostgreSQL (in a private database on
 * that server, public schema recreated before each test). The fixture makes
 * two organisations, staff in every role that matters, a catalogue product,
 * and a service whose clock is the global g_now.
 */
#include "test_remedy.h"

#include "../store/test_engines.h"

int64_t g_now = T0;

static int64_t fake_now(void)
{
    return g_now;
}

typedef te_engine engine;

int raw_count(rfx *f, const char *sql, int64_t *n)
{
    *n = -1;
    return te_raw_run(f->pg, f->url, sql, n);
}

int raw_exec_sql(rfx *f, const char *sql)
{
    return te_raw_run(f->pg, f->url, sql, NULL);
}

static int64_t mk_user(store_conn *c, const char *email)
{
    store_user u = {.email = email, .display_name = email, .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    return u.id;
}

static void mk_actor(rfx *f, int i, rmd_actor *a, int64_t uid, int64_t org, core_role role)
{
    snprintf(f->labels[i], sizeof f->labels[i], "user:%lld", (long long)uid);
    *a = (rmd_actor){uid, org, role, f->labels[i]};
}

static int setup(void **state)
{
    const engine *e = *state;
    rfx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    g_now = T0;
    te_db_fresh(e, "remedy", f->dir, f->url);
    store_options so = {.url = f->url, .pool_size = 4, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&f->s, &so), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    core_arena_init(&f->a);
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org o1 = {.slug = "acme", .name = "Acme", .kind = "company"};
    store_org o2 = {.slug = "other", .name = "Other", .kind = "company"};
    assert_int_equal(store_org_create(c, &o1), CORE_OK);
    assert_int_equal(store_org_create(c, &o2), CORE_OK);
    f->org = o1.id;
    f->org2 = o2.id;
    f->u_h1 = mk_user(c, "h1@acme.test");
    f->u_h2 = mk_user(c, "h2@acme.test");
    f->u_hr = mk_user(c, "hr@acme.test");
    f->u_analyst = mk_user(c, "an@acme.test");
    f->u_admin = mk_user(c, "admin@acme.test");
    f->u_other = mk_user(c, "h@other.test");
    assert_int_equal(store_member_set(c, f->org, f->u_h1, CORE_ROLE_CASE_HANDLER), CORE_OK);
    assert_int_equal(store_member_set(c, f->org, f->u_h2, CORE_ROLE_CASE_HANDLER), CORE_OK);
    assert_int_equal(store_member_set(c, f->org, f->u_hr, CORE_ROLE_HR_LEAD), CORE_OK);
    assert_int_equal(store_member_set(c, f->org, f->u_analyst, CORE_ROLE_ANALYST), CORE_OK);
    assert_int_equal(store_member_set(c, f->org, f->u_admin, CORE_ROLE_ADMIN), CORE_OK);
    assert_int_equal(store_member_set(c, f->org2, f->u_other, CORE_ROLE_CASE_HANDLER), CORE_OK);
    store_product p = {.org_id = f->org, .slug = "chat-app", .name = "Chat app", .kind = "product"};
    assert_int_equal(store_product_create(c, &p), CORE_OK);
    store_release(f->s, c);
    mk_actor(f, 0, &f->h1, f->u_h1, f->org, CORE_ROLE_CASE_HANDLER);
    mk_actor(f, 1, &f->h2, f->u_h2, f->org, CORE_ROLE_CASE_HANDLER);
    mk_actor(f, 2, &f->hr, f->u_hr, f->org, CORE_ROLE_HR_LEAD);
    mk_actor(f, 3, &f->analyst, f->u_analyst, f->org, CORE_ROLE_ANALYST);
    mk_actor(f, 4, &f->admin, f->u_admin, f->org, CORE_ROLE_ADMIN);
    mk_actor(f, 5, &f->other, f->u_other, f->org2, CORE_ROLE_CASE_HANDLER);
    unsigned char root[CRY_SECRET_LEN];
    cry_random_bytes(root, sizeof root);
    rmd_options o;
    rmd_options_defaults(&o);
    o.now = fake_now;
    o.receipt_peer_max = 5;
    o.receipt_global_max = 40;
    o.max_attachment_bytes = 64 * 1024;
    assert_int_equal(rmd_open(&f->svc, f->s, root, &o), CORE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    rfx *f = *state;
    rmd_close(f->svc);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

int64_t file_simple(rfx *f, const char *narrative, const char *category,
                    char receipt[GRV_RECEIPT_TEXT + 1])
{
    grv_intake in = {0};
    in.narrative = narrative;
    in.contact_preference = "anonymous";
    in.category = category;
    rmd_filed out;
    grv_error err;
    int rc = rmd_file(f->svc, &f->a, 0, &in, NULL, &out, &err);
    if (rc != CORE_OK)
        fail_msg("rmd_file: %d %s %s", rc, err.field ? err.field : "", err.detail ? err.detail : "");
    if (receipt)
        snprintf(receipt, GRV_RECEIPT_TEXT + 1, "%s", out.receipt);
    return out.case_id;
}

static const te_def defs[] = {
    {"full_flow", t_full_flow, NULL},
    {"time_limits", t_time_limits, NULL},
    {"dsr_extend", t_dsr_extend, NULL},
    {"appeal_other_handler", t_appeal_other_handler, NULL},
    {"appeal_decider_barred", t_appeal_decider_barred, NULL},
    {"recusal", t_recusal, NULL},
    {"collective", t_collective, NULL},
    {"org_scoping", t_org_scoping, NULL},
    {"raw_scan", t_raw_scan, NULL},
    {"wrong_receipt", t_wrong_receipt, NULL},
    {"post_cap", t_post_cap, NULL},
    {"throttle", t_throttle, NULL},
    {"no_half_write", t_no_half_write, NULL},
    {"attachments", t_attachments, NULL},
    {"policy_and_rotation", t_policy_and_rotation, NULL},
    {"queue_order", t_queue_order, NULL},
    {"staff_recorded", t_staff_recorded, NULL},
    {"concurrent_intake", t_concurrent_intake, NULL},
    {"erase_retention", t_erase_retention, NULL},
    {"erase_receipt", t_erase_receipt, NULL},
};

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    return te_run("remedy", "hrdd_remedy", defs, sizeof defs / sizeof defs[0], setup, teardown);
}
