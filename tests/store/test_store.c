/* test_store: the storage suite, run unchanged against both engines.
 *
 * Every test runs first against SQLite (a fresh temporary file) and then,
 * when HRDD_TEST_PG_URL is set, against PostgreSQL (public schema dropped and
 * recreated before each test). HRDD_REQUIRE_PG=1 without a URL is a failure.
 * Tampering tests edit audit rows over a raw connection (sqlite3 / libpq)
 * after dropping the append-only triggers: the application has no way to.
 */
#include "test_store.h"

/* ---- raw connections, for set-up and tampering only ---- */

int raw_exec(fx *f, const char *sql)
{
    return te_raw_run(f->pg, f->url, sql, NULL);
}

static void observe(void *ud, const char *op, double seconds)
{
    fx *f = ud;
    assert_non_null(op);
    assert_true(seconds >= 0);
    __atomic_add_fetch(&f->observed, 1, __ATOMIC_RELAXED);
}

int open_store(fx *f, int pool, int busy_ms, store **out)
{
    store_options o = {.url = f->url, .pool_size = pool, .busy_timeout_ms = busy_ms,
                       .observer = observe, .observer_ud = f};
    return store_open(out, &o);
}

static int setup(void **state)
{
    const engine *e = *state;
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    te_db_fresh(e, "store", f->dir, f->url);
    assert_int_equal(open_store(f, 4, 5000, &f->s), CORE_OK);
    core_arena_init(&f->a);
    *state = f;
    return 0;
}

/* setup + migrate + one connection */
static int setup_ready(void **state)
{
    setup(state);
    fx *f = *state;
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    assert_int_equal(store_acquire(f->s, &f->c), CORE_OK);
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    if (f->c)
        store_release(f->s, f->c);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

/* ---- helpers that build records ---- */

int64_t mk_org(store_conn *c, const char *slug)
{
    store_org o = {.slug = slug, .name = slug, .kind = "company"};
    assert_int_equal(store_org_create(c, &o), CORE_OK);
    assert_true(o.id > 0);
    return o.id;
}

int64_t mk_user(store_conn *c, const char *email)
{
    store_user u = {.email = email, .display_name = "Someone", .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    assert_true(u.id > 0);
    return u.id;
}

/* ---- migrations ---- */

static void t_migrate_fresh(void **state)
{
    fx *f = *state;
    int v = -1, from = -1, to = -1;
    assert_int_equal(store_schema_version(f->s, &v), CORE_OK);
    assert_int_equal(v, 0);
    assert_int_equal(store_check_schema(f->s), CORE_INVALID);
    assert_int_equal(store_migrate(f->s, &from, &to), CORE_OK);
    assert_int_equal(from, 0);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    assert_int_equal(store_check_schema(f->s), CORE_OK);
    assert_int_equal(store_schema_version(f->s, &v), CORE_OK);
    assert_int_equal(v, STORE_SCHEMA_VERSION);
    assert_string_equal(store_engine(f->s), f->pg ? "postgresql" : "sqlite");
}

static void t_migrate_idempotent(void **state)
{
    fx *f = *state;
    int from = -1, to = -1;
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    assert_int_equal(store_migrate(f->s, &from, &to), CORE_OK);
    assert_int_equal(from, STORE_SCHEMA_VERSION);
    assert_int_equal(to, STORE_SCHEMA_VERSION);
    /* a second store (a restarted process) sees the same */
    store *s2;
    assert_int_equal(open_store(f, 1, 1000, &s2), CORE_OK);
    assert_int_equal(store_check_schema(s2), CORE_OK);
    assert_int_equal(store_migrate(s2, &from, &to), CORE_OK);
    assert_int_equal(from, to);
    store_close(s2);
}

static void t_migrate_newer_refused(void **state)
{
    fx *f = *state;
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    assert_int_equal(raw_exec(f, "INSERT INTO schema_version (version, applied_at) VALUES (99, 0)"), 0);
    int from = 0, v = 0;
    assert_int_equal(store_migrate(f->s, &from, NULL), CORE_SCHEMA_NEWER);
    assert_int_equal(from, 99);
    assert_int_equal(store_check_schema(f->s), CORE_SCHEMA_NEWER);
    assert_int_equal(store_schema_version(f->s, &v), CORE_OK);
    assert_int_equal(v, 99);
}

/* ---- organisations ---- */

static void t_orgs(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    store_org none;
    assert_int_equal(store_org_first(c, &f->a, &none), CORE_NOTFOUND);
    store_org body = {.slug = "fair-tech", .name = "Fair Tech Initiative", .kind = "sector_body",
                      .description = "A sector body"};
    assert_int_equal(store_org_create(c, &body), CORE_OK);
    assert_true(body.created_at > 0);
    store_org co = {.slug = "acme", .name = "Acme Social", .kind = "company", .parent_id = body.id};
    assert_int_equal(store_org_create(c, &co), CORE_OK);
    assert_true(co.id > body.id);

    store_org g;
    assert_int_equal(store_org_get(c, &f->a, co.id, &g), CORE_OK);
    assert_string_equal(g.slug, "acme");
    assert_string_equal(g.name, "Acme Social");
    assert_string_equal(g.kind, "company");
    assert_int_equal(g.parent_id, body.id);
    assert_null(g.description);
    assert_int_equal(g.created_at, co.created_at);
    assert_int_equal(store_org_get_by_slug(c, &f->a, "fair-tech", &g), CORE_OK);
    assert_int_equal(g.id, body.id);
    assert_int_equal(g.parent_id, 0);
    assert_string_equal(g.description, "A sector body");
    assert_int_equal(store_org_get_by_slug(c, &f->a, "nope", &g), CORE_NOTFOUND);
    assert_int_equal(store_org_get(c, &f->a, 9999, &g), CORE_NOTFOUND);
    assert_int_equal(store_org_first(c, &f->a, &g), CORE_OK);
    assert_int_equal(g.id, body.id);

    store_org *list;
    size_t n;
    assert_int_equal(store_org_list(c, &f->a, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, body.id);
    assert_int_equal(list[1].id, co.id);

    store_org up = co;
    up.name = "Acme Social Ltd";
    up.description = "Updated";
    assert_int_equal(store_org_update(c, &up), CORE_OK);
    assert_int_equal(store_org_get(c, &f->a, co.id, &g), CORE_OK);
    assert_string_equal(g.name, "Acme Social Ltd");
    assert_string_equal(g.description, "Updated");
    up.id = 9999;
    assert_int_equal(store_org_update(c, &up), CORE_NOTFOUND);

    store_org dup = {.slug = "acme", .name = "Other", .kind = "company"};
    assert_int_equal(store_org_create(c, &dup), CORE_CONFLICT);
    store_org bad = {.slug = "Bad Slug", .name = "x", .kind = "company"};
    assert_int_equal(store_org_create(c, &bad), CORE_INVALID);
    store_org badkind = {.slug = "k", .name = "x", .kind = "club"};
    assert_int_equal(store_org_create(c, &badkind), CORE_INVALID);
    /* unknown parent: foreign key */
    store_org orphan = {.slug = "orphan", .name = "x", .kind = "company", .parent_id = 777};
    assert_int_equal(store_org_create(c, &orphan), CORE_INVALID);
    assert_true(f->observed > 0);
}

/* ---- users ---- */

static void t_users(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    store_user u = {.email = "ana@example.org", .display_name = "Ana", .pw_hash = "$argon2id$h1"};
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    store_user u2 = {.email = "ben@example.org", .display_name = "Ben", .pw_hash = "$argon2id$h2",
                     .totp_secret = "JBSWY3DPEHPK3PXP"};
    assert_int_equal(store_user_create(c, &u2), CORE_OK);
    store_user dup = {.email = "ana@example.org", .display_name = "Other", .pw_hash = "x"};
    assert_int_equal(store_user_create(c, &dup), CORE_CONFLICT);
    assert_non_null(strstr(store_errmsg(c), "user_create"));
    assert_null(strstr(store_errmsg(c), "ana@example.org"));   /* no row values */

    store_user g;
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_string_equal(g.email, "ana@example.org");
    assert_string_equal(g.display_name, "Ana");
    assert_string_equal(g.pw_hash, "$argon2id$h1");
    assert_null(g.totp_secret);
    assert_int_equal(g.disabled, 0);
    assert_int_equal(g.failed_logins, 0);
    assert_int_equal(g.locked_until, 0);
    assert_int_equal(g.last_login_at, 0);
    assert_int_equal(g.created_at, u.created_at);
    assert_int_equal(store_user_get_by_email(c, &f->a, "ben@example.org", &g), CORE_OK);
    assert_int_equal(g.id, u2.id);
    assert_string_equal(g.totp_secret, "JBSWY3DPEHPK3PXP");
    assert_int_equal(store_user_get_by_email(c, &f->a, "nobody@example.org", &g), CORE_NOTFOUND);
    assert_int_equal(store_user_get(c, &f->a, 4242, &g), CORE_NOTFOUND);

    store_user *all;
    size_t n;
    assert_int_equal(store_user_list_all(c, &f->a, &all, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(all[0].id, u.id);
    assert_int_equal(all[1].id, u2.id);

    assert_int_equal(store_user_set_password(c, u.id, "$argon2id$new"), CORE_OK);
    assert_int_equal(store_user_set_disabled(c, u.id, 1), CORE_OK);
    assert_int_equal(store_user_set_totp(c, u.id, "ABCDEFGH"), CORE_OK);
    assert_int_equal(store_user_set_display_name(c, u.id, "Ana María"), CORE_OK);
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_string_equal(g.pw_hash, "$argon2id$new");
    assert_int_equal(g.disabled, 1);
    assert_string_equal(g.totp_secret, "ABCDEFGH");
    assert_string_equal(g.display_name, "Ana María");
    assert_int_equal(store_user_set_totp(c, u.id, NULL), CORE_OK);
    assert_int_equal(store_user_set_disabled(c, u.id, 0), CORE_OK);
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_null(g.totp_secret);
    assert_int_equal(g.disabled, 0);
    assert_int_equal(store_user_set_password(c, 4242, "x"), CORE_NOTFOUND);

    assert_int_equal(store_user_login_result(c, u.id, 0, 1000, 0), CORE_OK);
    assert_int_equal(store_user_login_result(c, u.id, 0, 1001, 0), CORE_OK);
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_int_equal(g.failed_logins, 2);
    assert_int_equal(g.locked_until, 0);
    assert_int_equal(store_user_login_result(c, u.id, 0, 1002, 1900), CORE_OK);
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_int_equal(g.failed_logins, 3);
    assert_int_equal(g.locked_until, 1900);
    assert_int_equal(store_user_login_result(c, u.id, 0, 1003, 0), CORE_OK); /* leaves the lock */
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_int_equal(g.locked_until, 1900);
    assert_int_equal(store_user_login_result(c, u.id, 1, 2000, 0), CORE_OK);
    assert_int_equal(store_user_get(c, &f->a, u.id, &g), CORE_OK);
    assert_int_equal(g.failed_logins, 0);
    assert_int_equal(g.last_login_at, 2000);
}

/* ---- memberships ---- */

static void t_members(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t u1 = mk_user(c, "a@example.org"), u2 = mk_user(c, "b@example.org");
    assert_int_equal(store_member_set(c, o1, u1, CORE_ROLE_ADMIN), CORE_OK);
    assert_int_equal(store_member_set(c, o1, u2, CORE_ROLE_ANALYST), CORE_OK);
    assert_int_equal(store_member_set(c, o2, u1, CORE_ROLE_AUDITOR), CORE_OK);
    assert_int_equal(store_member_set(c, o1, u2, CORE_ROLE_CASE_HANDLER), CORE_OK); /* upsert */
    assert_int_equal(store_member_set(c, o1, u2, CORE_ROLE_NONE), CORE_INVALID);
    assert_int_equal(store_member_set(c, o1, 9999, CORE_ROLE_ADMIN), CORE_INVALID); /* no such user */

    store_member m;
    assert_int_equal(store_member_get(c, &f->a, o1, u2, &m), CORE_OK);
    assert_int_equal(m.role, CORE_ROLE_CASE_HANDLER);
    assert_int_equal(m.user.id, u2);
    assert_string_equal(m.user.email, "b@example.org");
    assert_int_equal(store_member_get(c, &f->a, o2, u2, &m), CORE_NOTFOUND);

    store_member *ml;
    size_t n;
    assert_int_equal(store_member_list(c, &f->a, o1, &ml, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ml[0].user.id, u1);
    assert_int_equal(ml[0].role, CORE_ROLE_ADMIN);
    assert_int_equal(ml[1].user.id, u2);
    store_membership *ms;
    assert_int_equal(store_membership_list(c, &f->a, u1, &ms, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(ms[0].org.id, o1);
    assert_string_equal(ms[0].org.slug, "one");
    assert_int_equal(ms[0].role, CORE_ROLE_ADMIN);
    assert_int_equal(ms[1].org.id, o2);
    assert_int_equal(ms[1].role, CORE_ROLE_AUDITOR);

    assert_int_equal(store_member_remove(c, o1, u2), CORE_OK);
    assert_int_equal(store_member_remove(c, o1, u2), CORE_NOTFOUND);
    assert_int_equal(store_member_list(c, &f->a, o1, &ml, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_membership_list(c, &f->a, u2, &ms, &n), CORE_OK);
    assert_int_equal(n, 0);
}

/* ---- sessions ---- */

static void t_sessions(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t u1 = mk_user(c, "a@example.org"), u2 = mk_user(c, "b@example.org");
    store_session s1 = {.id_hash = "h1", .user_id = u1, .org_id = o1, .csrf_token = "csrf1",
                        .totp_pending = 1, .created_at = 100, .last_seen_at = 100};
    store_session s2 = {.id_hash = "h2", .user_id = u1, .org_id = 0, .csrf_token = "csrf2",
                        .created_at = 500, .last_seen_at = 500};
    store_session s3 = {.id_hash = "h3", .user_id = u2, .org_id = o2, .csrf_token = "csrf3",
                        .created_at = 50, .last_seen_at = 900};
    assert_int_equal(store_session_create(c, &s1), CORE_OK);
    assert_int_equal(store_session_create(c, &s2), CORE_OK);
    assert_int_equal(store_session_create(c, &s3), CORE_OK);
    assert_int_equal(store_session_create(c, &s1), CORE_CONFLICT);

    store_session g;
    assert_int_equal(store_session_get(c, &f->a, "h1", &g), CORE_OK);
    assert_string_equal(g.id_hash, "h1");
    assert_int_equal(g.user_id, u1);
    assert_int_equal(g.org_id, o1);
    assert_string_equal(g.csrf_token, "csrf1");
    assert_int_equal(g.totp_pending, 1);
    assert_int_equal(g.created_at, 100);
    assert_int_equal(store_session_get(c, &f->a, "h2", &g), CORE_OK);
    assert_int_equal(g.org_id, 0);
    assert_int_equal(store_session_get(c, &f->a, "zz", &g), CORE_NOTFOUND);

    assert_int_equal(store_session_touch(c, "h1", 300), CORE_OK);
    assert_int_equal(store_session_set_org(c, "h1", o2), CORE_OK);
    assert_int_equal(store_session_set_totp_done(c, "h1"), CORE_OK);
    assert_int_equal(store_session_get(c, &f->a, "h1", &g), CORE_OK);
    assert_int_equal(g.last_seen_at, 300);
    assert_int_equal(g.org_id, o2);
    assert_int_equal(g.totp_pending, 0);
    assert_int_equal(store_session_touch(c, "zz", 300), CORE_NOTFOUND);

    /* purge: idle before 400 (h1 at 300) or created before 60 (h3) */
    assert_int_equal(store_session_purge(c, 400, 60), CORE_OK);
    assert_int_equal(store_session_get(c, &f->a, "h1", &g), CORE_NOTFOUND);
    assert_int_equal(store_session_get(c, &f->a, "h3", &g), CORE_NOTFOUND);
    assert_int_equal(store_session_get(c, &f->a, "h2", &g), CORE_OK);

    assert_int_equal(store_session_create(c, &s1), CORE_OK);
    assert_int_equal(store_session_delete(c, "h1"), CORE_OK);
    assert_int_equal(store_session_get(c, &f->a, "h1", &g), CORE_NOTFOUND);
    assert_int_equal(store_session_create(c, &s1), CORE_OK);
    assert_int_equal(store_session_delete_user(c, u1), CORE_OK);
    assert_int_equal(store_session_get(c, &f->a, "h1", &g), CORE_NOTFOUND);
    assert_int_equal(store_session_get(c, &f->a, "h2", &g), CORE_NOTFOUND);
}

/* ---- tokens ---- */

static void t_tokens(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t u1 = mk_user(c, "a@example.org");
    store_token t = {.org_id = o1, .user_id = u1, .name = "ci", .token_hash = "th1",
                     .scopes = "read write", .expires_at = 5000};
    assert_int_equal(store_token_create(c, &t), CORE_OK);
    assert_true(t.id > 0);
    assert_true(t.created_at > 0);
    store_token t2 = {.org_id = o1, .user_id = u1, .name = "metrics", .token_hash = "th2",
                      .scopes = "metrics"};
    assert_int_equal(store_token_create(c, &t2), CORE_OK);
    store_token dup = {.org_id = o2, .user_id = u1, .name = "x", .token_hash = "th1", .scopes = "read"};
    assert_int_equal(store_token_create(c, &dup), CORE_CONFLICT);

    store_token g;
    assert_int_equal(store_token_get_by_hash(c, &f->a, "th1", &g), CORE_OK);
    assert_int_equal(g.id, t.id);
    assert_int_equal(g.org_id, o1);
    assert_int_equal(g.user_id, u1);
    assert_string_equal(g.name, "ci");
    assert_string_equal(g.scopes, "read write");
    assert_int_equal(g.expires_at, 5000);
    assert_int_equal(g.revoked_at, 0);
    assert_int_equal(store_token_get_by_hash(c, &f->a, "nope", &g), CORE_NOTFOUND);

    store_token *l;
    size_t n;
    assert_int_equal(store_token_list(c, &f->a, o1, &l, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].id, t.id);
    assert_int_equal(l[1].id, t2.id);

    assert_int_equal(store_token_touch(c, t.id, 777), CORE_OK);
    assert_int_equal(store_token_revoke(c, o2, t.id, 800), CORE_NOTFOUND);   /* wrong org */
    assert_int_equal(store_token_get_by_hash(c, &f->a, "th1", &g), CORE_OK);
    assert_int_equal(g.revoked_at, 0);
    assert_int_equal(g.last_used_at, 777);
    assert_int_equal(store_token_revoke(c, o1, t.id, 800), CORE_OK);
    assert_int_equal(store_token_get_by_hash(c, &f->a, "th1", &g), CORE_OK);
    assert_int_equal(g.revoked_at, 800);
    assert_int_equal(store_token_revoke(c, o1, 9999, 800), CORE_NOTFOUND);
    assert_int_equal(store_token_touch(c, 9999, 1), CORE_NOTFOUND);
}

/* ---- products ---- */

static void t_products(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    store_product p = {.org_id = o1, .slug = "feed", .name = "News feed", .kind = "feature",
                       .description = "Ranked posts"};
    assert_int_equal(store_product_create(c, &p), CORE_OK);
    store_product p2 = {.org_id = o1, .slug = "ads", .name = "Ads", .kind = "service"};
    assert_int_equal(store_product_create(c, &p2), CORE_OK);
    store_product dup = {.org_id = o1, .slug = "feed", .name = "Again", .kind = "product"};
    assert_int_equal(store_product_create(c, &dup), CORE_CONFLICT);
    store_product other = {.org_id = o2, .slug = "feed", .name = "Theirs", .kind = "product"};
    assert_int_equal(store_product_create(c, &other), CORE_OK);     /* same slug, other org */
    store_product bad = {.org_id = o1, .slug = "x", .name = "x", .kind = "gadget"};
    assert_int_equal(store_product_create(c, &bad), CORE_INVALID);

    store_product g;
    assert_int_equal(store_product_get(c, &f->a, o1, p.id, &g), CORE_OK);
    assert_string_equal(g.slug, "feed");
    assert_string_equal(g.name, "News feed");
    assert_string_equal(g.kind, "feature");
    assert_string_equal(g.description, "Ranked posts");
    assert_int_equal(g.org_id, o1);
    store_product *l;
    size_t n;
    assert_int_equal(store_product_list(c, &f->a, o1, &l, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(l[0].id, p.id);
    assert_int_equal(l[1].id, p2.id);
    assert_null(l[1].description);
}

/* ---- settings ---- */

static void t_settings(void **state)
{
    fx *f = *state;
    const char *v = NULL;
    assert_int_equal(store_setting_get(f->c, &f->a, "instance_name", &v), CORE_NOTFOUND);
    assert_int_equal(store_setting_set(f->c, "instance_name", "First"), CORE_OK);
    assert_int_equal(store_setting_set(f->c, "instance_name", "Second"), CORE_OK);
    assert_int_equal(store_setting_get(f->c, &f->a, "instance_name", &v), CORE_OK);
    assert_string_equal(v, "Second");
}

/* ---- organisation scoping ---- */

static void t_org_scoping(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t a = mk_org(c, "org-a"), b = mk_org(c, "org-b");
    int64_t ua = mk_user(c, "a@example.org"), ub = mk_user(c, "b@example.org");
    assert_int_equal(store_member_set(c, a, ua, CORE_ROLE_ADMIN), CORE_OK);
    assert_int_equal(store_member_set(c, b, ub, CORE_ROLE_ADMIN), CORE_OK);
    store_product pa = {.org_id = a, .slug = "secret", .name = "A's", .kind = "product"};
    assert_int_equal(store_product_create(c, &pa), CORE_OK);
    store_token ta = {.org_id = a, .user_id = ua, .name = "a", .token_hash = "tha", .scopes = "read"};
    assert_int_equal(store_token_create(c, &ta), CORE_OK);
    core_arena *ar = &f->a;
    store_audit_entry ea = {.org_id = a, .actor_user_id = ua, .actor = "user:1", .object_type = "product",
                            .object_id = "1", .action = "create"};
    assert_int_equal(store_audit_append(c, ar, &ea), CORE_OK);

    store_product gp;
    assert_int_equal(store_product_get(c, ar, b, pa.id, &gp), CORE_NOTFOUND);
    store_product *pl;
    size_t n;
    assert_int_equal(store_product_list(c, ar, b, &pl, &n), CORE_OK);
    assert_int_equal(n, 0);
    store_token *tl;
    assert_int_equal(store_token_list(c, ar, b, &tl, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_token_revoke(c, b, ta.id, 5), CORE_NOTFOUND);
    store_member m;
    assert_int_equal(store_member_get(c, ar, b, ua, &m), CORE_NOTFOUND);
    store_member *ml;
    assert_int_equal(store_member_list(c, ar, b, &ml, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ml[0].user.id, ub);
    store_audit_entry *al;
    assert_int_equal(store_audit_list(c, ar, b, 0, 50, &al, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_audit_list(c, ar, a, 0, 50, &al, &n), CORE_OK);
    assert_int_equal(n, 1);
    /* and the owner still sees its own */
    assert_int_equal(store_product_get(c, ar, a, pa.id, &gp), CORE_OK);
    assert_int_equal(store_token_list(c, ar, a, &tl, &n), CORE_OK);
    assert_int_equal(n, 1);
}

/* ---- pool and transactions ---- */

static void t_pool_busy(void **state)
{
    fx *f = *state;
    store *s;
    assert_int_equal(open_store(f, 2, 200, &s), CORE_OK);
    store_conn *c1, *c2, *c3;
    assert_int_equal(store_acquire(s, &c1), CORE_OK);
    assert_int_equal(store_acquire(s, &c2), CORE_OK);
    assert_true(c1 != c2);
    store_busy_cause_reset();
    assert_int_equal(store_acquire(s, &c3), CORE_BUSY);
    /* the access log's "cause": a fixed text, taken once */
    assert_string_equal(store_busy_cause_take(), "storage: no free connection");
    assert_null(store_busy_cause_take());
    if (!f->pg) {
        /* SQLite: a writer holds the lock past the busy timeout */
        assert_int_equal(store_begin(c1), CORE_OK);
        assert_int_equal(store_begin(c2), CORE_BUSY);
        assert_string_equal(store_busy_cause_take(), "storage: database is locked");
        assert_int_equal(store_rollback(c1), CORE_OK);
        assert_int_equal(store_begin(c2), CORE_OK);
        assert_int_equal(store_rollback(c2), CORE_OK);
        assert_null(store_busy_cause_take());
    }
    store_release(s, c1);
    assert_int_equal(store_acquire(s, &c3), CORE_OK);
    assert_true(c3 == c1);
    store_release(s, c2);
    store_release(s, c3);
    store_close(s);
}

static void t_release_rolls_back(void **state)
{
    fx *f = *state;
    assert_int_equal(store_begin(f->c), CORE_OK);
    assert_int_equal(store_begin(f->c), CORE_INVALID);
    mk_org(f->c, "gone");
    store_release(f->s, f->c);
    assert_int_equal(store_acquire(f->s, &f->c), CORE_OK);
    store_org g;
    assert_int_equal(store_org_get_by_slug(f->c, &f->a, "gone", &g), CORE_NOTFOUND);
    assert_int_equal(store_begin(f->c), CORE_OK);
    mk_org(f->c, "kept");
    assert_int_equal(store_commit(f->c), CORE_OK);
    assert_int_equal(store_org_get_by_slug(f->c, &f->a, "kept", &g), CORE_OK);
    assert_int_equal(store_begin(f->c), CORE_OK);
    mk_org(f->c, "rolled");
    assert_int_equal(store_rollback(f->c), CORE_OK);
    assert_int_equal(store_org_get_by_slug(f->c, &f->a, "rolled", &g), CORE_NOTFOUND);
}

static void kill_backend(fx *f)
{
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%d)", PQbackendPID(f->c->h));
    assert_int_equal(raw_exec(f, sql), 0);
    usleep(50 * 1000);
}

static void t_pg_reconnect(void **state)
{
    fx *f = *state;
    if (!f->pg)
        return;  /* SQLite connections cannot break this way */
    store_org g;
    int64_t o = mk_org(f->c, "before");
    /* a read outside a transaction reconnects and retries transparently */
    kill_backend(f);
    assert_int_equal(store_org_get(f->c, &f->a, o, &g), CORE_OK);
    /* a write is never retried once sent (it may have committed): it
     * fails ... (mk_org first, so the INSERT is prepared on this session;
     * a failed prepare is retried, as nothing ran yet) */
    mk_org(f->c, "prepared");
    kill_backend(f);
    store_org o2 = {.slug = "lost", .name = "x", .kind = "company"};
    /* ... as CORE_BUSY (the server answers 503 with Retry-After) ... */
    store_busy_cause_reset();
    assert_int_equal(store_org_create(f->c, &o2), CORE_BUSY);
    assert_string_equal(store_busy_cause_take(), "storage: connection lost");
    /* ... and the next statement (here a read) works again */
    assert_int_equal(store_org_get(f->c, &f->a, o, &g), CORE_OK);
    /* a BEGIN on a lost connection reconnects and runs again (nothing ran
     * yet), so the first write after a server restart does not fail */
    assert_int_equal(store_begin(f->c), CORE_OK);
    assert_int_equal(store_rollback(f->c), CORE_OK);
    kill_backend(f);
    assert_int_equal(store_begin(f->c), CORE_OK);
    mk_org(f->c, "begun");
    assert_int_equal(store_commit(f->c), CORE_OK);
    assert_int_equal(store_org_get_by_slug(f->c, &f->a, "begun", &g), CORE_OK);
    /* inside a transaction nothing is retried; release/acquire recovers */
    assert_int_equal(store_begin(f->c), CORE_OK);
    kill_backend(f);
    assert_int_equal(store_org_get(f->c, &f->a, o, &g), CORE_BUSY);
    store_release(f->s, f->c);
    f->c = NULL;
    /* every slot is free, so the pool hands out the broken one first */
    assert_int_equal(store_acquire(f->s, &f->c), CORE_OK);
    mk_org(f->c, "after");
    assert_int_equal(store_org_first(f->c, &f->a, &g), CORE_OK);
    assert_int_equal(g.id, o);
}

static void t_pg_rewrite(void **state)
{
    fx *f = *state;
    int n = -1;
    char *r = sdb_pg_rewrite("SELECT a FROM t WHERE x = ? AND y = '?' AND \"q?\" = ? LIMIT ?", &n);
    assert_non_null(r);
    assert_string_equal(r, "SELECT a FROM t WHERE x = $1 AND y = '?' AND \"q?\" = $2 LIMIT $3");
    assert_int_equal(n, 3);
    free(r);
    r = sdb_pg_rewrite("SELECT 1", &n);
    assert_string_equal(r, "SELECT 1");
    assert_int_equal(n, 0);
    free(r);
    /* every statement reports to the observer; statements are cached, so
     * running one twice reuses the same handle */
    int before = f->observed;
    store_org g;
    (void)store_org_first(f->c, &f->a, &g);
    sdb_stmt *h1 = f->c->stmts[Q_ORG_FIRST];
    (void)store_org_first(f->c, &f->a, &g);
    assert_non_null(h1);
    assert_ptr_equal(h1, f->c->stmts[Q_ORG_FIRST]);
    assert_int_equal(f->observed, before + 2);
    if (!f->pg) {   /* WAL journal in effect */
        char p[600];
        snprintf(p, sizeof p, "%s-wal", f->url);
        assert_int_equal(access(p, F_OK), 0);
    }
}

static const te_def defs[] = {
    {"migrate_fresh", t_migrate_fresh, setup},
    {"migrate_idempotent", t_migrate_idempotent, setup},
    {"migrate_newer_refused", t_migrate_newer_refused, setup},
    {"orgs", t_orgs, setup_ready},
    {"users", t_users, setup_ready},
    {"members", t_members, setup_ready},
    {"sessions", t_sessions, setup_ready},
    {"tokens", t_tokens, setup_ready},
    {"products", t_products, setup_ready},
    {"settings", t_settings, setup_ready},
    {"org_scoping", t_org_scoping, setup_ready},
    {"pool_busy", t_pool_busy, setup_ready},
    {"release_rolls_back", t_release_rolls_back, setup_ready},
    {"pg_reconnect", t_pg_reconnect, setup_ready},
    {"statement_layer", t_pg_rewrite, setup_ready},
    {"audit_basic", t_audit_basic, setup_ready},
    {"audit_many", t_audit_many, setup_ready},
    {"audit_concurrent", t_audit_concurrent, setup_ready},
    {"audit_tamper_each_column", t_audit_tamper_each_column, setup_ready},
    {"audit_tamper_delete_and_swap", t_audit_tamper_delete_and_swap, setup_ready},
    {"mechanisms", t_mechanisms, setup_ready},
    {"referrals", t_referrals, setup_ready},
    {"sla_notes", t_sla_notes, setup_ready},
    {"stats_bulk", t_stats_bulk, setup_ready},
};

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    return te_run("store", "hrdd_store", defs, sizeof defs / sizeof defs[0], setup, teardown);
}
