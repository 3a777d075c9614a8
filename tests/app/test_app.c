/* app suite: app_authorize, sessions, login, TOTP, CSRF, tokens and audit,
 * end to end: a real SQLite store in a temporary directory, a live http
 * server on 127.0.0.1 (port 0) with one test route per permission (API and
 * HTML, with and without {org}), driven over sockets by tclient. The clock is
 * the fake g_now so that expiry and locks can be tested without waiting.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "app/app.h"
#include "tclient.h"

/* ---- fixture ---- */
static _Atomic int64_t g_now = 1700000000;
static int64_t fake_now(void) { return atomic_load(&g_now); }
static void advance(int64_t s) { atomic_fetch_add(&g_now, s); }

static char g_dir[256];
static store *g_store;
static app_ctx g_ctx;
static http_server *g_srv;
static int g_port;
static int64_t g_alpha, g_beta;
static int64_t g_users[CORE_ROLE__COUNT];   /* alpha member per role (index by core_role) */
static int64_t g_beta_admin, g_both, g_disabled, g_totp, g_loner;
static char g_totp_secret[CRY_TOTP_SECRET_LEN + 1];
static const char *PASSWORD = "correct horse battery staple";

#define NROUTES (CORE_PERM__COUNT * 3 + 16)
static http_route g_routes[NROUTES];
static size_t g_nroutes;
static char g_patterns[NROUTES][96];

static int h_echo(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    json_t *o = json_pack("{s:I, s:I, s:s, s:I}", "user", (json_int_t)p->user_id, "org", (json_int_t)p->org_id,
                          "role", core_role_name(p->role), "token", (json_int_t)p->token_id);
    http_res_json(req, 200, o);
    return CORE_OK;
}

static int h_login(http_req *req)
{
    app_login_result r = app_login(req, http_req_form(req, "email"), http_req_form(req, "password"));
    const app_principal *p = app_principal_of(req);
    http_res_json(req, 200, json_pack("{s:i, s:s?}", "result", (int)r, "csrf", p->csrf_token));
    return CORE_OK;
}

static int h_totp(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int pending = p->totp_pending;
    int rc = app_login_totp(req, http_req_form(req, "code"));
    p = app_principal_of(req);
    http_res_json(req, 200, json_pack("{s:i, s:i, s:s?}", "rc", rc, "pending", pending, "csrf", p->csrf_token));
    return CORE_OK;
}

static int h_logout(http_req *req)
{
    int rc = app_logout(req);
    http_res_json(req, 200, json_pack("{s:i}", "rc", rc));
    return CORE_OK;
}

static int h_switch(http_req *req)
{
    int64_t id = 0;
    const char *s = http_req_form(req, "org");
    if (!s || core_parse_int64(s, &id) != CORE_OK) {
        app_fail(req, CORE_INVALID, "org");
        return CORE_OK;
    }
    int rc = app_switch_org(req, id);
    if (rc != CORE_OK) {
        app_fail(req, rc, "org");
        return CORE_OK;
    }
    return h_echo(req);
}

static int h_token(http_req *req)
{
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) return CORE_OK;
    int64_t exp = 0;
    const char *e = http_req_form(req, "expires");
    if (e) core_parse_int64(e, &exp);
    store_token t;
    const char *clear = NULL;
    int rc = store_begin(c);
    if (rc == CORE_OK) rc = app_token_create(req, c, http_req_form(req, "name"), http_req_form(req, "scopes"),
                                             exp, &t, &clear);
    if (rc == CORE_OK) rc = store_commit(c);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, "scopes");
        return CORE_OK;
    }
    http_res_json(req, 201, json_pack("{s:s, s:I, s:s}", "token", clear, "id", (json_int_t)t.id, "scopes", t.scopes));
    return CORE_OK;
}

static int h_fail(http_req *req)
{
    int64_t code = 0;
    core_parse_int64(http_req_param(req, "code"), &code);
    app_fail(req, (int)-code, "x");
    return CORE_OK;
}

static void add_route(unsigned methods, const char *pattern, http_handler h, core_perm perm, http_kind kind)
{
    assert_true(g_nroutes < NROUTES);
    snprintf(g_patterns[g_nroutes], sizeof g_patterns[0], "%s", pattern);
    g_routes[g_nroutes] = (http_route){ methods, g_patterns[g_nroutes], h, perm, kind, "test" };
    g_nroutes++;
}

static void build_routes(void)
{
    char p[96];
    for (int perm = 0; perm < CORE_PERM__COUNT; perm++) {
        const char *n = core_perm_name((core_perm)perm);
        snprintf(p, sizeof p, "/t/api/%s", n);
        add_route(HTTP_GET | HTTP_POST, p, h_echo, (core_perm)perm, HTTP_KIND_API);
        snprintf(p, sizeof p, "/t/html/%s", n);
        add_route(HTTP_GET | HTTP_POST, p, h_echo, (core_perm)perm, HTTP_KIND_HTML);
        snprintf(p, sizeof p, "/t/org/{org}/%s", n);
        add_route(HTTP_GET | HTTP_POST, p, h_echo, (core_perm)perm, HTTP_KIND_API);
    }
    add_route(HTTP_GET | HTTP_POST, "/t/horg/{org}/org_read", h_echo, CORE_PERM_ORG_READ, HTTP_KIND_HTML);
    add_route(HTTP_POST, "/t/login", h_login, CORE_PERM_PUBLIC, HTTP_KIND_API);
    add_route(HTTP_POST, "/t/totp", h_totp, CORE_PERM_PUBLIC, HTTP_KIND_API);
    add_route(HTTP_POST, "/t/logout", h_logout, CORE_PERM_PUBLIC, HTTP_KIND_API);
    add_route(HTTP_POST, "/t/switch", h_switch, CORE_PERM_SIGNED_IN, HTTP_KIND_API);
    add_route(HTTP_POST, "/t/tokens", h_token, CORE_PERM_TOKENS_MANAGE, HTTP_KIND_API);
    add_route(HTTP_GET, "/t/fail/{code}", h_fail, CORE_PERM_PUBLIC, HTTP_KIND_API);
    add_route(HTTP_GET, "/t/failhtml/{code}", h_fail, CORE_PERM_PUBLIC, HTTP_KIND_HTML);
}

static int64_t mk_user(store_conn *c, const char *email, int disabled, const char *totp)
{
    char h[CRY_PWHASH_MAX];
    assert_int_equal(cry_password_hash(PASSWORD, h), CORE_OK);
    store_user u = { .email = email, .display_name = email, .pw_hash = h, .totp_secret = totp,
                     .disabled = disabled };
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    return u.id;
}

static int64_t mk_org(store_conn *c, const char *slug)
{
    store_org o = { .slug = slug, .name = slug, .kind = "company" };
    assert_int_equal(store_org_create(c, &o), CORE_OK);
    return o.id;
}

static int group_setup(void **state)
{
    (void)state;
    assert_int_equal(cry_init(), CORE_OK);
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    if (!getenv("HRDD_TEST_VERBOSE")) http_log_set_quiet(1);
    snprintf(g_dir, sizeof g_dir, "/tmp/hrdd-app-test-XXXXXX");
    assert_non_null(mkdtemp(g_dir));
    char db[320];
    snprintf(db, sizeof db, "%s/app.db", g_dir);
    store_options so = { .url = db, .pool_size = 4 };
    assert_int_equal(store_open(&g_store, &so), CORE_OK);
    int from = 0, to = 0;
    assert_int_equal(store_migrate(g_store, &from, &to), CORE_OK);

    store_conn *c;
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    g_alpha = mk_org(c, "alpha");
    g_beta = mk_org(c, "beta");
    for (int r = 1; r < CORE_ROLE__COUNT; r++) {
        char email[64];
        snprintf(email, sizeof email, "%s@alpha.test", core_role_name((core_role)r));
        g_users[r] = mk_user(c, email, 0, NULL);
        assert_int_equal(store_member_set(c, g_alpha, g_users[r], (core_role)r), CORE_OK);
    }
    g_beta_admin = mk_user(c, "admin@beta.test", 0, NULL);
    assert_int_equal(store_member_set(c, g_beta, g_beta_admin, CORE_ROLE_ADMIN), CORE_OK);
    g_both = mk_user(c, "both@alpha.test", 0, NULL);
    assert_int_equal(store_member_set(c, g_alpha, g_both, CORE_ROLE_ADMIN), CORE_OK);
    assert_int_equal(store_member_set(c, g_beta, g_both, CORE_ROLE_ANALYST), CORE_OK);
    g_disabled = mk_user(c, "disabled@alpha.test", 1, NULL);
    assert_int_equal(store_member_set(c, g_alpha, g_disabled, CORE_ROLE_ADMIN), CORE_OK);
    assert_int_equal(cry_totp_new_secret(g_totp_secret), CORE_OK);
    g_totp = mk_user(c, "totp@alpha.test", 0, g_totp_secret);
    assert_int_equal(store_member_set(c, g_alpha, g_totp, CORE_ROLE_ANALYST), CORE_OK);
    g_loner = mk_user(c, "loner@alpha.test", 0, NULL);
    store_release(g_store, c);

    app_config cfg;
    app_config_defaults(&cfg);
    unsigned char secret[CRY_SECRET_LEN];
    cry_random_bytes(secret, sizeof secret);
    assert_int_equal(app_ctx_init(&g_ctx, g_store, &cfg, secret), CORE_OK);
    g_ctx.now = fake_now;

    build_routes();
    http_config hc = { .listen = "127.0.0.1:0", .threads = 2, .app = &g_ctx, .authorize = app_authorize };
    assert_int_equal(http_server_start(&g_srv, &hc, g_routes, g_nroutes), CORE_OK);
    g_port = http_server_port(g_srv);
    assert_true(g_port > 0);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    http_server_stop(g_srv);
    app_ctx_cleanup(&g_ctx);
    store_close(g_store);
    char p[320];
    const char *files[] = { "app.db", "app.db-wal", "app.db-shm" };
    for (size_t i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s/%s", g_dir, files[i]);
        unlink(p);
    }
    rmdir(g_dir);
    return 0;
}

/* Each test starts a day later: throttle windows and sessions of earlier tests are gone. */
static int test_setup(void **state)
{
    (void)state;
    advance(86400);
    return 0;
}

/* ---- helpers ---- */
typedef struct sess {
    char cookie[CRY_TOKEN_LEN + 1];
    char hash[CRY_HASH_HEX_LEN + 1];
    char csrf[CRY_TOKEN_LEN + 1];
} sess;

/* A session straight in the store (as if logged in now). */
static void mk_session(sess *s, int64_t user, int64_t org, int pending)
{
    assert_int_equal(cry_random_token(s->cookie), CORE_OK);
    assert_int_equal(cry_random_token(s->csrf), CORE_OK);
    cry_hash_hex(s->cookie, strlen(s->cookie), s->hash);
    store_session ss = { .id_hash = s->hash, .user_id = user, .org_id = org, .csrf_token = s->csrf,
                         .totp_pending = pending, .created_at = fake_now(), .last_seen_at = fake_now() };
    store_conn *c;
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_session_create(c, &ss), CORE_OK);
    store_release(g_store, c);
}

/* Request with an optional session cookie (+ CSRF header when csrf non-NULL) or bearer token. */
static int req(const char *method, const char *path, const char *cookie, const char *csrf, const char *bearer,
               const char *body, tc_res *out)
{
    char h[1024];
    int n = 0;
    h[0] = '\0';
    if (cookie) n += snprintf(h + n, sizeof h - (size_t)n, "Cookie: %s=%s\r\n", APP_SESSION_COOKIE, cookie);
    if (csrf) n += snprintf(h + n, sizeof h - (size_t)n, "X-CSRF-Token: %s\r\n", csrf);
    if (bearer) n += snprintf(h + n, sizeof h - (size_t)n, "Authorization: Bearer %s\r\n", bearer);
    assert_int_equal(tc_request(g_port, method, path, h, body, out), 0);
    return out->status;
}

static int status_of(const char *method, const char *path, const char *cookie, const char *csrf,
                     const char *bearer, const char *body)
{
    tc_res r;
    int st = req(method, path, cookie, csrf, bearer, body, &r);
    tc_res_free(&r);
    return st;
}

static json_int_t json_field(const tc_res *r, const char *key)
{
    json_error_t e;
    json_t *o = json_loads(r->body, 0, &e);
    assert_non_null(o);
    json_int_t v = json_integer_value(json_object_get(o, key));
    json_decref(o);
    return v;
}

static int expected(core_role role, int anonymous, core_perm perm, http_kind kind)
{
    if (perm == CORE_PERM_PUBLIC) return 200;
    if (anonymous) return kind == HTTP_KIND_HTML ? 303 : 401;
    return core_authz_allows(role, perm) ? 200 : 403;
}

/* ---- every permission x every role (and anonymous) ---- */
static void test_matrix(void **state)
{
    (void)state;
    for (int role = 0; role < CORE_ROLE__COUNT; role++) {
        sess s;
        int anon = role == CORE_ROLE_NONE;
        if (!anon) mk_session(&s, g_users[role], g_alpha, 0);
        for (int perm = 0; perm < CORE_PERM__COUNT; perm++) {
            const char *pn = core_perm_name((core_perm)perm);
            char path[128];
            int want = expected((core_role)role, anon, (core_perm)perm, HTTP_KIND_API);
            snprintf(path, sizeof path, "/t/api/%s", pn);
            assert_int_equal(status_of("GET", path, anon ? NULL : s.cookie, NULL, NULL, NULL), want);
            assert_int_equal(status_of("POST", path, anon ? NULL : s.cookie, anon ? NULL : s.csrf, NULL, "a=1"),
                             want);
            snprintf(path, sizeof path, "/t/org/alpha/%s", pn);
            assert_int_equal(status_of("GET", path, anon ? NULL : s.cookie, NULL, NULL, NULL), want);
            snprintf(path, sizeof path, "/t/html/%s", pn);
            assert_int_equal(status_of("GET", path, anon ? NULL : s.cookie, NULL, NULL, NULL),
                             expected((core_role)role, anon, (core_perm)perm, HTTP_KIND_HTML));
        }
    }
    /* The policy itself, spot-checked independently of core's table. */
    assert_true(core_authz_allows(CORE_ROLE_ADMIN, CORE_PERM_USERS_MANAGE));
    assert_true(core_authz_allows(CORE_ROLE_AUDITOR, CORE_PERM_AUDIT_READ));
    assert_false(core_authz_allows(CORE_ROLE_ANALYST, CORE_PERM_USERS_MANAGE));
    assert_false(core_authz_allows(CORE_ROLE_AUDITOR, CORE_PERM_TOKENS_MANAGE));
    assert_false(core_authz_allows(CORE_ROLE_NONE, CORE_PERM_SIGNED_IN));
}

static void test_principal_and_redirect(void **state)
{
    (void)state;
    sess s;
    mk_session(&s, g_users[CORE_ROLE_AUDITOR], g_alpha, 0);
    tc_res r;
    assert_int_equal(req("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "user"), g_users[CORE_ROLE_AUDITOR]);
    assert_int_equal(json_field(&r, "org"), g_alpha);
    assert_non_null(strstr(r.body, "\"auditor\""));
    tc_res_free(&r);
    char loc[256];
    assert_int_equal(req("GET", "/t/html/org_read", NULL, NULL, NULL, NULL, &r), 303);
    assert_non_null(tc_header(&r, "Location", loc, sizeof loc));
    assert_string_equal(loc, "/login?next=%2Ft%2Fhtml%2Forg_read");
    tc_res_free(&r);
    assert_int_equal(req("GET", "/t/api/org_read", NULL, NULL, NULL, NULL, &r), 401);
    assert_non_null(strstr(r.body, "Unauthorized"));
    tc_res_free(&r);
}

/* ---- {org} routes ---- */
static void test_route_org(void **state)
{
    (void)state;
    sess a, b, both;
    mk_session(&a, g_users[CORE_ROLE_ADMIN], g_alpha, 0);
    mk_session(&b, g_beta_admin, g_beta, 0);
    mk_session(&both, g_both, g_alpha, 0);
    assert_int_equal(status_of("GET", "/t/org/alpha/org_read", b.cookie, NULL, NULL, NULL), 404);
    assert_int_equal(status_of("GET", "/t/org/beta/org_read", a.cookie, NULL, NULL, NULL), 404);
    assert_int_equal(status_of("GET", "/t/org/nosuch/org_read", a.cookie, NULL, NULL, NULL), 404);
    assert_int_equal(status_of("GET", "/t/org/NOT..A_SLUG/org_read", a.cookie, NULL, NULL, NULL), 404);
    assert_int_equal(status_of("GET", "/t/org/alpha/org_read", NULL, NULL, NULL, NULL), 401);
    char path[64];
    snprintf(path, sizeof path, "/t/org/%lld/org_read", (long long)g_alpha);
    assert_int_equal(status_of("GET", path, a.cookie, NULL, NULL, NULL), 200);
    snprintf(path, sizeof path, "/t/org/%lld/org_read", (long long)g_beta);
    assert_int_equal(status_of("GET", path, a.cookie, NULL, NULL, NULL), 404);
    /* Member of both: the route's org decides, with the role held there. */
    tc_res r;
    assert_int_equal(req("GET", "/t/org/beta/signed_in", both.cookie, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_beta);
    assert_non_null(strstr(r.body, "\"analyst\""));
    tc_res_free(&r);
    assert_int_equal(status_of("GET", "/t/org/beta/users_manage", both.cookie, NULL, NULL, NULL), 403);
    assert_int_equal(status_of("GET", "/t/org/alpha/users_manage", both.cookie, NULL, NULL, NULL), 200);
    /* HTML kind: the error page, not a problem */
    char ct[128];
    assert_int_equal(req("GET", "/t/horg/beta/org_read", a.cookie, NULL, NULL, NULL, &r), 404);
    assert_non_null(tc_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/html"));
    tc_res_free(&r);
    assert_int_equal(status_of("GET", "/t/horg/alpha/org_read", a.cookie, NULL, NULL, NULL), 200);
    assert_int_equal(status_of("GET", "/t/horg/beta/org_read", NULL, NULL, NULL, NULL), 303);
    /* Public {org} route: anonymous gets the org, unknown org 404. */
    assert_int_equal(req("GET", "/t/org/beta/public", NULL, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_beta);
    tc_res_free(&r);
    assert_int_equal(status_of("GET", "/t/org/nosuch/public", NULL, NULL, NULL, NULL), 404);
}

/* ---- CSRF and Origin ---- */
static void test_csrf(void **state)
{
    (void)state;
    sess s;
    mk_session(&s, g_users[CORE_ROLE_ADMIN], g_alpha, 0);
    tc_res r;
    assert_int_equal(req("POST", "/t/api/org_manage", s.cookie, NULL, NULL, "a=1", &r), 403);
    assert_non_null(strstr(r.body, "CSRF token missing or invalid"));
    assert_non_null(strstr(r.body, "csrf"));
    tc_res_free(&r);
    assert_int_equal(status_of("POST", "/t/api/org_manage", s.cookie, "wrong-token", NULL, "a=1"), 403);
    assert_int_equal(status_of("POST", "/t/api/org_manage", s.cookie, "", NULL, "a=1"), 403);
    assert_int_equal(status_of("POST", "/t/api/org_manage", s.cookie, s.csrf, NULL, "a=1"), 200);
    char body[128];
    snprintf(body, sizeof body, "a=1&csrf=%s", s.csrf);
    assert_int_equal(status_of("POST", "/t/api/org_manage", s.cookie, NULL, NULL, body), 200);
    assert_int_equal(status_of("POST", "/t/api/org_manage", s.cookie, NULL, NULL, "csrf=nope"), 403);
    char ct[128];
    assert_int_equal(req("POST", "/t/html/org_manage", s.cookie, NULL, NULL, "a=1", &r), 403);
    assert_non_null(tc_header(&r, "Content-Type", ct, sizeof ct));
    assert_non_null(strstr(ct, "text/html"));
    tc_res_free(&r);
    assert_int_equal(status_of("POST", "/t/html/org_manage", s.cookie, NULL, NULL, body), 200);
    /* Public state-changing route with a session: CSRF still required. */
    assert_int_equal(status_of("POST", "/t/api/public", s.cookie, NULL, NULL, "a=1"), 403);
    assert_int_equal(status_of("POST", "/t/api/public", s.cookie, s.csrf, NULL, "a=1"), 200);
    /* Without a session: exempt, but not from another origin. */
    assert_int_equal(status_of("POST", "/t/api/public", NULL, NULL, NULL, "a=1"), 200);
    char hdr[256];
    snprintf(hdr, sizeof hdr, "Origin: http://127.0.0.1:%d\r\n", g_port);
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public", hdr, "a=1", &r), 0);
    assert_int_equal(r.status, 200);
    tc_res_free(&r);
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public", "Origin: https://evil.example\r\n", "a=1", &r), 0);
    assert_int_equal(r.status, 403);
    tc_res_free(&r);
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public", "Origin: null\r\n", "a=1", &r), 0);
    assert_int_equal(r.status, 403);
    tc_res_free(&r);
    /* Chromium under Referrer-Policy: no-referrer posts our own forms with
     * "Origin: null"; Sec-Fetch-Site then tells same-origin from cross-site. */
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public",
                                "Origin: null\r\nSec-Fetch-Site: same-origin\r\n", "a=1", &r), 0);
    assert_int_equal(r.status, 200);
    tc_res_free(&r);
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public",
                                "Origin: null\r\nSec-Fetch-Site: cross-site\r\n", "a=1", &r), 0);
    assert_int_equal(r.status, 403);
    tc_res_free(&r);
    assert_int_equal(tc_request(g_port, "POST", "/t/api/public", "Sec-Fetch-Site: same-site\r\n", "a=1", &r), 0);
    assert_int_equal(r.status, 403);
    tc_res_free(&r);
}

/* ---- API tokens ---- */
static const char *make_token(const sess *admin, const char *scopes, int64_t expires, char *out, size_t n,
                              int64_t *id)
{
    char body[256];
    snprintf(body, sizeof body, "name=ci&scopes=%s&expires=%lld", scopes, (long long)expires);
    tc_res r;
    assert_int_equal(req("POST", "/t/tokens", admin->cookie, admin->csrf, NULL, body, &r), 201);
    json_t *o = json_loads(r.body, 0, NULL);
    assert_non_null(o);
    snprintf(out, n, "%s", json_string_value(json_object_get(o, "token")));
    if (id) *id = json_integer_value(json_object_get(o, "id"));
    json_decref(o);
    tc_res_free(&r);
    return out;
}

static void test_tokens(void **state)
{
    (void)state;
    sess adm, badm;
    mk_session(&adm, g_users[CORE_ROLE_ADMIN], g_alpha, 0);
    mk_session(&badm, g_beta_admin, g_beta, 0);
    char rd[64], wr[64], rw[64], mt[64], ex[64];
    int64_t rd_id;
    make_token(&adm, "read", 0, rd, sizeof rd, &rd_id);
    make_token(&adm, "write", 0, wr, sizeof wr, NULL);
    make_token(&adm, "write+read", 0, rw, sizeof rw, NULL);
    make_token(&adm, "metrics", 0, mt, sizeof mt, NULL);
    make_token(&adm, "read", fake_now() + 3600, ex, sizeof ex, NULL);
    /* bad scopes / name / expiry */
    assert_int_equal(status_of("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=x&scopes=admin"), 400);
    assert_int_equal(status_of("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=x&scopes=read+read"), 400);
    assert_int_equal(status_of("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=x&scopes="), 400);
    assert_int_equal(status_of("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=&scopes=read"), 400);
    assert_int_equal(status_of("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=x&scopes=read&expires=5"),
                     400);
    /* canonical scope order */
    tc_res r;
    assert_int_equal(req("POST", "/t/tokens", adm.cookie, adm.csrf, NULL, "name=x&scopes=metrics+write+read", &r),
                     201);
    assert_non_null(strstr(r.body, "\"read write metrics\""));
    tc_res_free(&r);

    /* scope caps the role: read -> GET, write -> other methods; no CSRF needed */
    assert_int_equal(req("GET", "/t/api/org_read", NULL, NULL, rd, NULL, &r), 200);
    assert_int_equal(json_field(&r, "token"), rd_id);
    assert_int_equal(json_field(&r, "org"), g_alpha);
    tc_res_free(&r);
    assert_int_equal(status_of("POST", "/t/api/org_read", NULL, NULL, rd, "a=1"), 403);
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, wr, NULL), 403);
    assert_int_equal(status_of("POST", "/t/api/org_manage", NULL, NULL, wr, "a=1"), 200);
    assert_int_equal(status_of("GET", "/t/api/users_manage", NULL, NULL, rw, NULL), 200);
    assert_int_equal(status_of("GET", "/t/api/metrics", NULL, NULL, mt, NULL), 200);
    assert_int_equal(status_of("GET", "/t/api/metrics", NULL, NULL, rd, NULL), 403);
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, mt, NULL), 403);
    /* a token acts in its own org only */
    assert_int_equal(status_of("GET", "/t/org/alpha/org_read", NULL, NULL, rd, NULL), 200);
    assert_int_equal(status_of("GET", "/t/org/beta/org_read", NULL, NULL, rd, NULL), 404);
    char btok[64];
    make_token(&badm, "read", 0, btok, sizeof btok, NULL);
    assert_int_equal(status_of("GET", "/t/org/alpha/org_read", NULL, NULL, btok, NULL), 404);
    assert_int_equal(status_of("GET", "/t/org/beta/org_read", NULL, NULL, btok, NULL), 200);
    /* unknown, malformed */
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, "not-a-token", NULL), 401);
    assert_int_equal(status_of("GET", "/t/api/public", NULL, NULL, "not-a-token", NULL), 401);
    assert_int_equal(tc_request(g_port, "GET", "/t/api/org_read", "Authorization: Basic eDp5\r\n", NULL, &r), 0);
    assert_int_equal(r.status, 401);
    tc_res_free(&r);
    /* last use recorded; hashed at rest */
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    char h[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex(rd, strlen(rd), h);
    store_token t;
    assert_int_equal(store_token_get_by_hash(c, &a, h, &t), CORE_OK);
    assert_true(t.last_used_at > 0);
    assert_string_equal(t.token_hash, h);
    /* revoked */
    assert_int_equal(store_token_revoke(c, g_alpha, rd_id, fake_now()), CORE_OK);
    store_release(g_store, c);
    core_arena_cleanup(&a);
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, rd, NULL), 401);
    /* expired */
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, ex, NULL), 200);
    advance(3601);
    assert_int_equal(status_of("GET", "/t/api/org_read", NULL, NULL, ex, NULL), 401);
    /* a token mints tokens only within its own scopes */
    assert_int_equal(status_of("POST", "/t/tokens", NULL, NULL, wr, "name=x&scopes=read"), 403);
    assert_int_equal(status_of("POST", "/t/tokens", NULL, NULL, wr, "name=x&scopes=write+metrics"), 403);
    assert_int_equal(status_of("POST", "/t/tokens", NULL, NULL, wr, "name=x&scopes=write"), 201);
    /* tokens manage needs admin; an analyst cannot create one */
    sess an;
    mk_session(&an, g_users[CORE_ROLE_ANALYST], g_alpha, 0);
    assert_int_equal(status_of("POST", "/t/tokens", an.cookie, an.csrf, NULL, "name=x&scopes=read"), 403);
}

/* ---- sessions: idle and absolute expiry, logout ---- */
static int session_exists(const char *hash)
{
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    store_session s;
    int rc = store_session_get(c, &a, hash, &s);
    store_release(g_store, c);
    core_arena_cleanup(&a);
    return rc == CORE_OK;
}

static void test_session_idle(void **state)
{
    (void)state;
    sess s;
    mk_session(&s, g_users[CORE_ROLE_ANALYST], g_alpha, 0);
    advance(29 * 60);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 200);
    advance(29 * 60);   /* touched above, so still within the idle limit */
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 200);
    advance(30 * 60 + 1);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 401);
    assert_false(session_exists(s.hash));
}

static void test_session_absolute(void **state)
{
    (void)state;
    sess s;
    mk_session(&s, g_users[CORE_ROLE_ANALYST], g_alpha, 0);
    for (int i = 0; i < 12 * 3; i++) {      /* active every 20 min for 12 hours */
        advance(20 * 60);
        assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 200);
    }
    advance(60);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 401);
    assert_false(session_exists(s.hash));
}

static void test_membership_removed(void **state)
{
    (void)state;
    store_conn *c;
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    int64_t u = mk_user(c, "temp@alpha.test", 0, NULL);
    assert_int_equal(store_member_set(c, g_alpha, u, CORE_ROLE_ADMIN), CORE_OK);
    store_release(g_store, c);
    sess s;
    mk_session(&s, u, g_alpha, 0);
    assert_int_equal(status_of("GET", "/t/api/users_manage", s.cookie, NULL, NULL, NULL), 200);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_member_remove(c, g_alpha, u), CORE_OK);
    store_release(g_store, c);
    assert_int_equal(status_of("GET", "/t/api/users_manage", s.cookie, NULL, NULL, NULL), 403);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 403);
    assert_int_equal(status_of("GET", "/t/org/alpha/signed_in", s.cookie, NULL, NULL, NULL), 404);
    /* disabled later: the session stops working at once */
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_member_set(c, g_alpha, u, CORE_ROLE_ADMIN), CORE_OK);
    store_release(g_store, c);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 200);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_user_set_disabled(c, u, 1), CORE_OK);
    store_release(g_store, c);
    assert_int_equal(status_of("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL), 401);
}

/* ---- login ---- */
static int login(const char *email, const char *password, const char *old_cookie, char *cookie, size_t n,
                 char *csrf, size_t cn)
{
    char body[512];
    core_buf b;
    core_buf_init(&b);
    core_buf_puts(&b, "email=");
    core_buf_urlencode(&b, email);
    core_buf_puts(&b, "&password=");
    core_buf_urlencode(&b, password);
    snprintf(body, sizeof body, "%s", core_buf_cstr(&b));
    core_buf_cleanup(&b);
    tc_res r;
    assert_int_equal(req("POST", "/t/login", old_cookie, NULL, NULL, body, &r), 200);
    int res = (int)json_field(&r, "result");
    if (cookie) {
        cookie[0] = '\0';
        tc_set_cookie(&r, APP_SESSION_COOKIE, cookie, n);
    }
    if (csrf) {
        json_t *o = json_loads(r.body, 0, NULL);
        const char *v = json_string_value(json_object_get(o, "csrf"));
        snprintf(csrf, cn, "%s", v ? v : "");
        json_decref(o);
    }
    tc_res_free(&r);
    return res;
}

static void test_login_logout(void **state)
{
    (void)state;
    char ck[128], csrf[64];
    assert_int_equal(login("ADMIN@Alpha.test", PASSWORD, NULL, ck, sizeof ck, csrf, sizeof csrf), APP_LOGIN_OK);
    assert_int_equal(strlen(ck), CRY_TOKEN_LEN);
    tc_res r;
    assert_int_equal(req("GET", "/t/api/users_manage", ck, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_alpha);   /* first membership */
    tc_res_free(&r);
    /* only the hash is stored */
    char h[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex(ck, strlen(ck), h);
    assert_true(session_exists(h));
    assert_false(session_exists(ck));
    /* the login is audited */
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    store_audit_entry *es;
    size_t n;
    assert_int_equal(store_audit_list(c, &a, 0, 0, 1, &es, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(es[0].action, "login");
    assert_string_equal(es[0].object_type, "user");
    char actor[32];
    snprintf(actor, sizeof actor, "user:%lld", (long long)g_users[CORE_ROLE_ADMIN]);
    assert_string_equal(es[0].actor, actor);
    int64_t checked = 0, bad = 0;
    assert_int_equal(store_audit_verify(c, &checked, &bad), CORE_OK);
    store_release(g_store, c);
    core_arena_cleanup(&a);
    /* logout needs the CSRF token, then the cookie is dead */
    assert_int_equal(status_of("POST", "/t/logout", ck, NULL, NULL, "x=1"), 403);
    assert_int_equal(req("POST", "/t/logout", ck, csrf, NULL, "x=1", &r), 200);
    assert_int_equal(json_field(&r, "rc"), CORE_OK);
    char del[128];
    assert_non_null(tc_set_cookie(&r, APP_SESSION_COOKIE, del, sizeof del));
    assert_string_equal(del, "");
    tc_res_free(&r);
    assert_false(session_exists(h));
    assert_int_equal(status_of("GET", "/t/api/signed_in", ck, NULL, NULL, NULL), 401);
}

static void test_login_bad_and_disabled(void **state)
{
    (void)state;
    char ck[128];
    assert_int_equal(login("analyst@alpha.test", "wrong", NULL, ck, sizeof ck, NULL, 0), APP_LOGIN_BAD);
    assert_string_equal(ck, "");
    assert_int_equal(login("nobody@alpha.test", PASSWORD, NULL, ck, sizeof ck, NULL, 0), APP_LOGIN_BAD);
    assert_int_equal(login("disabled@alpha.test", "wrong", NULL, NULL, 0, NULL, 0), APP_LOGIN_BAD);
    assert_int_equal(login("disabled@alpha.test", PASSWORD, NULL, ck, sizeof ck, NULL, 0), APP_LOGIN_DISABLED);
    assert_string_equal(ck, "");
    /* a user without any membership signs in but holds no role */
    char csrf[64];
    assert_int_equal(login("loner@alpha.test", PASSWORD, NULL, ck, sizeof ck, csrf, sizeof csrf), APP_LOGIN_OK);
    assert_int_equal(status_of("GET", "/t/api/public", ck, NULL, NULL, NULL), 200);
    assert_int_equal(status_of("GET", "/t/api/signed_in", ck, NULL, NULL, NULL), 403);
    /* failures reset by a success */
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(login("analyst@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0), APP_LOGIN_OK);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    store_user u;
    assert_int_equal(store_user_get(c, &a, g_users[CORE_ROLE_ANALYST], &u), CORE_OK);
    assert_int_equal(u.failed_logins, 0);
    assert_int_equal(u.last_login_at, fake_now());
    store_release(g_store, c);
    core_arena_cleanup(&a);
}

static void test_account_lock(void **state)
{
    (void)state;
    for (int i = 0; i < 5; i++)
        assert_int_equal(login("hr_lead@alpha.test", "nope", NULL, NULL, 0, NULL, 0), APP_LOGIN_BAD);
    assert_int_equal(login("hr_lead@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0), APP_LOGIN_THROTTLED);
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    store_user u;
    assert_int_equal(store_user_get(c, &a, g_users[CORE_ROLE_HR_LEAD], &u), CORE_OK);
    assert_int_equal(u.failed_logins, 5);
    assert_true(u.locked_until > fake_now());
    store_release(g_store, c);
    core_arena_cleanup(&a);
    /* an unknown account gets the same answer after as many failures */
    for (int i = 0; i < 5; i++)
        assert_int_equal(login("ghost@alpha.test", "nope", NULL, NULL, 0, NULL, 0), APP_LOGIN_BAD);
    assert_int_equal(login("ghost@alpha.test", "nope", NULL, NULL, 0, NULL, 0), APP_LOGIN_THROTTLED);
    advance(15 * 60 + 1);
    assert_int_equal(login("hr_lead@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0), APP_LOGIN_OK);
}

static void test_peer_throttle(void **state)
{
    (void)state;
    for (int i = 0; i < 10; i++) {
        char email[64];
        snprintf(email, sizeof email, "probe%d@alpha.test", i);
        assert_int_equal(login(email, "x", NULL, NULL, 0, NULL, 0), APP_LOGIN_BAD);
    }
    /* this address is now throttled, even with the right password */
    assert_int_equal(login("case_handler@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0), APP_LOGIN_THROTTLED);
    advance(2 * 15 * 60);
    assert_int_equal(login("case_handler@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0), APP_LOGIN_OK);
}

static void test_session_fixation(void **state)
{
    (void)state;
    sess old;
    mk_session(&old, g_users[CORE_ROLE_AUDITOR], g_alpha, 0);
    char ck[128];
    assert_int_equal(status_of("GET", "/t/api/signed_in", old.cookie, NULL, NULL, NULL), 200);
    /* the login form posted with the old session carries its CSRF token */
    char body[256];
    snprintf(body, sizeof body, "email=auditor%%40alpha.test&password=correct+horse+battery+staple&csrf=%s",
             old.csrf);
    tc_res r;
    assert_int_equal(req("POST", "/t/login", old.cookie, NULL, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "result"), APP_LOGIN_OK);
    assert_non_null(tc_set_cookie(&r, APP_SESSION_COOKIE, ck, sizeof ck));
    tc_res_free(&r);
    assert_string_not_equal(ck, old.cookie);
    assert_int_equal(status_of("GET", "/t/api/signed_in", old.cookie, NULL, NULL, NULL), 401);
    assert_int_equal(status_of("GET", "/t/api/signed_in", ck, NULL, NULL, NULL), 200);
    /* a cookie the server never issued is ignored, never adopted */
    assert_int_equal(status_of("GET", "/t/api/signed_in", "attacker-chosen-value", NULL, NULL, NULL), 401);
}

static void test_totp(void **state)
{
    (void)state;
    char ck[128], csrf[64];
    assert_int_equal(login("totp@alpha.test", PASSWORD, NULL, ck, sizeof ck, csrf, sizeof csrf),
                     APP_LOGIN_TOTP_NEEDED);
    assert_true(strlen(ck) > 0);
    /* pending: anonymous everywhere but the TOTP form */
    assert_int_equal(status_of("GET", "/t/api/signed_in", ck, NULL, NULL, NULL), 401);
    assert_int_equal(status_of("GET", "/t/org/alpha/signed_in", ck, NULL, NULL, NULL), 401);
    /* wrong code, missing CSRF */
    char good[7], bad[7];
    assert_int_equal(cry_totp_code(g_totp_secret, fake_now(), good), CORE_OK);
    memcpy(bad, good, sizeof bad);
    bad[5] = good[5] == '9' ? '0' : (char)(good[5] + 1);
    char body[160];
    snprintf(body, sizeof body, "code=%s", good);
    assert_int_equal(status_of("POST", "/t/totp", ck, NULL, NULL, body), 403);
    tc_res r;
    snprintf(body, sizeof body, "code=%s", bad);
    assert_int_equal(req("POST", "/t/totp", ck, csrf, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "pending"), 1);
    assert_int_equal(json_field(&r, "rc"), CORE_DENIED);
    tc_res_free(&r);
    snprintf(body, sizeof body, "code=%s", good);
    assert_int_equal(req("POST", "/t/totp", ck, csrf, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "rc"), CORE_OK);
    char ck2[128];
    assert_non_null(tc_set_cookie(&r, APP_SESSION_COOKIE, ck2, sizeof ck2));
    tc_res_free(&r);
    assert_string_not_equal(ck, ck2);
    assert_int_equal(status_of("GET", "/t/api/signed_in", ck, NULL, NULL, NULL), 401);
    assert_int_equal(req("GET", "/t/api/signed_in", ck2, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "user"), g_totp);
    tc_res_free(&r);
    /* a pending session lapses after APP_TOTP_PENDING_S */
    char ck3[128], csrf3[64];
    assert_int_equal(login("totp@alpha.test", PASSWORD, NULL, ck3, sizeof ck3, csrf3, sizeof csrf3),
                     APP_LOGIN_TOTP_NEEDED);
    advance(APP_TOTP_PENDING_S + 1);
    assert_int_equal(cry_totp_code(g_totp_secret, fake_now(), good), CORE_OK);
    snprintf(body, sizeof body, "code=%s&csrf=%s", good, csrf3);
    assert_int_equal(req("POST", "/t/totp", ck3, NULL, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "rc"), CORE_INVALID);
    tc_res_free(&r);
    snprintf(body, sizeof body, "code=%s", good);
    /* no pending session: the TOTP step is refused */
    assert_int_equal(req("POST", "/t/totp", NULL, NULL, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "rc"), CORE_INVALID);
    tc_res_free(&r);
}

/* A hash made at an older cost is upgraded at the next successful login. */
static void test_rehash(void **state)
{
    (void)state;
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    store_user before, after;
    assert_int_equal(store_user_get(c, &a, g_users[CORE_ROLE_CASE_HANDLER], &before), CORE_OK);
    store_release(g_store, c);
    assert_int_equal(cry_set_pwhash_cost("interactive"), CORE_OK);
    assert_int_equal(cry_password_needs_rehash(before.pw_hash), 1);
    int res = login("case_handler@alpha.test", PASSWORD, NULL, NULL, 0, NULL, 0);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_user_get(c, &a, g_users[CORE_ROLE_CASE_HANDLER], &after), CORE_OK);
    store_release(g_store, c);
    int again = cry_password_needs_rehash(after.pw_hash);
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    assert_int_equal(res, APP_LOGIN_OK);
    assert_string_not_equal(before.pw_hash, after.pw_hash);
    assert_int_equal(again, 0);
    assert_int_equal(cry_password_verify(after.pw_hash, PASSWORD), CORE_OK);
    core_arena_cleanup(&a);
}

/* ---- organisation switcher ---- */
static void test_switch_org(void **state)
{
    (void)state;
    sess s;
    mk_session(&s, g_both, g_alpha, 0);
    char body[64];
    snprintf(body, sizeof body, "org=%lld", (long long)g_beta);
    assert_int_equal(status_of("POST", "/t/switch", s.cookie, NULL, NULL, body), 403);   /* CSRF */
    tc_res r;
    assert_int_equal(req("POST", "/t/switch", s.cookie, s.csrf, NULL, body, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_beta);
    tc_res_free(&r);
    assert_int_equal(req("GET", "/t/api/signed_in", s.cookie, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_beta);
    assert_non_null(strstr(r.body, "\"analyst\""));
    tc_res_free(&r);
    assert_int_equal(status_of("GET", "/t/api/users_manage", s.cookie, NULL, NULL, NULL), 403);
    /* not a member there -> 404 */
    sess t;
    mk_session(&t, g_users[CORE_ROLE_ADMIN], g_alpha, 0);
    assert_int_equal(status_of("POST", "/t/switch", t.cookie, t.csrf, NULL, body), 404);
    assert_int_equal(status_of("POST", "/t/switch", t.cookie, t.csrf, NULL, "org=999999"), 404);
    assert_int_equal(req("GET", "/t/api/signed_in", t.cookie, NULL, NULL, NULL, &r), 200);
    assert_int_equal(json_field(&r, "org"), g_alpha);
    tc_res_free(&r);
}

/* ---- app_fail mapping ---- */
static void test_fail_mapping(void **state)
{
    (void)state;
    static const struct { int code; int status; } m[] = {
        { CORE_NOTFOUND, 404 }, { CORE_CONFLICT, 409 }, { CORE_INVALID, 400 }, { CORE_BUSY, 503 },
        { CORE_DENIED, 403 }, { CORE_ERR, 500 }, { CORE_CORRUPT, 500 },
    };
    for (size_t i = 0; i < sizeof m / sizeof m[0]; i++) {
        char path[64], ct[128], ra[16];
        tc_res r;
        snprintf(path, sizeof path, "/t/fail/%d", -m[i].code);
        assert_int_equal(req("GET", path, NULL, NULL, NULL, NULL, &r), m[i].status);
        assert_non_null(tc_header(&r, "Content-Type", ct, sizeof ct));
        assert_non_null(strstr(ct, "application/problem+json"));
        if (m[i].code == CORE_BUSY) assert_non_null(tc_header(&r, "Retry-After", ra, sizeof ra));
        tc_res_free(&r);
        snprintf(path, sizeof path, "/t/failhtml/%d", -m[i].code);
        assert_int_equal(req("GET", path, NULL, NULL, NULL, NULL, &r), m[i].status);
        assert_non_null(tc_header(&r, "Content-Type", ct, sizeof ct));
        assert_non_null(strstr(ct, "text/html"));
        tc_res_free(&r);
    }
}

/* ---- audit helper and digest ---- */
static void test_audit_helper(void **state)
{
    (void)state;
    json_t *a = json_pack("{s:i, s:s}", "b", 1, "a", "x");
    json_t *b = json_pack("{s:s, s:i}", "a", "x", "b", 1);
    char da[CRY_HASH_HEX_LEN + 1], db[CRY_HASH_HEX_LEN + 1];
    app_json_digest(a, da);
    app_json_digest(b, db);
    assert_int_equal(strlen(da), CRY_HASH_HEX_LEN);
    assert_string_equal(da, db);
    char expect[CRY_HASH_HEX_LEN + 1];
    const char *canon = "{\"a\":\"x\",\"b\":1}";
    cry_hash_hex(canon, strlen(canon), expect);
    assert_string_equal(da, expect);

    store_conn *c;
    core_arena ar;
    core_arena_init(&ar);
    assert_int_equal(store_acquire(g_store, &c), CORE_OK);
    assert_int_equal(store_begin(c), CORE_OK);
    assert_int_equal(app_audit(NULL, c, g_alpha, "org", "1", "update", a, b), CORE_OK);
    assert_int_equal(store_commit(c), CORE_OK);
    store_audit_entry *es;
    size_t n;
    assert_int_equal(store_audit_list(c, &ar, g_alpha, 0, 1, &es, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(es[0].actor, "cli");
    assert_string_equal(es[0].action, "update");
    assert_string_equal(es[0].before_digest, da);
    assert_string_equal(es[0].after_digest, da);
    assert_int_equal(es[0].actor_user_id, 0);
    store_release(g_store, c);
    core_arena_cleanup(&ar);
    json_decref(a);
    json_decref(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_matrix, test_setup),
        cmocka_unit_test_setup(test_principal_and_redirect, test_setup),
        cmocka_unit_test_setup(test_route_org, test_setup),
        cmocka_unit_test_setup(test_csrf, test_setup),
        cmocka_unit_test_setup(test_tokens, test_setup),
        cmocka_unit_test_setup(test_session_idle, test_setup),
        cmocka_unit_test_setup(test_session_absolute, test_setup),
        cmocka_unit_test_setup(test_membership_removed, test_setup),
        cmocka_unit_test_setup(test_login_logout, test_setup),
        cmocka_unit_test_setup(test_login_bad_and_disabled, test_setup),
        cmocka_unit_test_setup(test_account_lock, test_setup),
        cmocka_unit_test_setup(test_peer_throttle, test_setup),
        cmocka_unit_test_setup(test_session_fixation, test_setup),
        cmocka_unit_test_setup(test_totp, test_setup),
        cmocka_unit_test_setup(test_rehash, test_setup),
        cmocka_unit_test_setup(test_switch_org, test_setup),
        cmocka_unit_test_setup(test_fail_mapping, test_setup),
        cmocka_unit_test_setup(test_audit_helper, test_setup),
    };
    return cmocka_run_group_tests_name("app", tests, group_setup, group_teardown);
}
