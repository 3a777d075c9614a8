/* test_server: the route table and the running server.
 *
 * Unit: srv_routes() is one table (built-ins first, then API, then web),
 * built once even when many threads ask at the same time, and every route in
 * it is accepted by the router (valid pattern, no duplicate); the secret file
 * path rules. Live (spawning the built binary): `hrdd serve` on port 0 logs
 * its URL, answers /healthz, protects /metrics, stops cleanly on SIGTERM and
 * SIGINT; `hrdd demo` seeds once, keeps its credentials in a 0600 file,
 * serves, lets the seeded admin sign in, and on a second run just serves.
 * With HRDD_TEST_PG_URL, serve also runs against PostgreSQL.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "api/api.h"
#include "server/server.h"
#include "web/web.h"
#include "../cli/runner.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})

/* ---- unit ---- */

static void test_routes_table(void **state)
{
    (void)state;
    size_t n = 0, n2 = 0;
    const http_route *r = srv_routes(&n);
    assert_non_null(r);
    assert_true(n > 2);
    assert_ptr_equal(srv_routes(&n2), r);
    assert_int_equal(n2, n);
    assert_string_equal(r[0].pattern, "/healthz");
    assert_int_equal(r[0].perm, CORE_PERM_PUBLIC);
    assert_ptr_equal(r[0].handler, http_handle_healthz);
    assert_string_equal(r[1].pattern, "/metrics");
    assert_int_equal(r[1].perm, CORE_PERM_METRICS);
    assert_ptr_equal(r[1].handler, http_handle_metrics);
    size_t na = 0, nw = 0;
    const http_route *api = api_routes(&na);
    const http_route *web = web_routes(&nw);
    assert_int_equal(n, 2 + na + nw);
    for (size_t i = 0; i < na; i++) assert_string_equal(r[2 + i].pattern, api[i].pattern);
    for (size_t i = 0; i < nw; i++) assert_string_equal(r[2 + na + i].pattern, web[i].pattern);
    for (size_t i = 0; i < n; i++) {
        assert_non_null(r[i].handler);
        assert_non_null(r[i].summary);
        assert_true(r[i].summary[0] != '\0');
        assert_int_equal(r[i].pattern[0], '/');
        assert_true((int)r[i].perm >= 0 && r[i].perm < CORE_PERM__COUNT);
        assert_true(r[i].methods != 0);
    }
    http_router router;
    http_router_init(&router);
    assert_int_equal(http_router_add_all(&router, r, n), CORE_OK);
    core_arena a;
    core_arena_init(&a);
    http_match m;
    assert_int_equal(http_router_match(&router, &a, HTTP_GET, "/healthz", &m), CORE_OK);
    assert_ptr_equal(m.route->handler, http_handle_healthz);
    assert_int_equal(http_router_match(&router, &a, HTTP_GET, "/no/such/route", &m), CORE_NOTFOUND);
    core_arena_cleanup(&a);
    http_router_cleanup(&router);
}

typedef struct routes_slot {
    size_t n;
    const http_route *r;
} routes_slot;

static void *routes_thread(void *arg)
{
    routes_slot *s = arg;
    s->r = srv_routes(&s->n);
    return NULL;
}

/* Run in a fresh process so that the table is not built yet: the threads race to build it. */
static void test_routes_once(void **state)
{
    (void)state;
    enum { T = 8 };
    pthread_t th[T];
    routes_slot slots[T];
    for (int i = 0; i < T; i++) pthread_create(&th[i], NULL, routes_thread, &slots[i]);
    for (int i = 0; i < T; i++) pthread_join(th[i], NULL);
    size_t n = 0;
    const http_route *r = srv_routes(&n);
    for (int i = 0; i < T; i++) {
        assert_int_equal(slots[i].n, n);
        assert_ptr_equal(slots[i].r, r);
    }
}

static void test_secret_path(void **state)
{
    (void)state;
    char out[256];
    assert_int_equal(srv_secret_path("data/hrdd.db", NULL, out, sizeof out), CORE_OK);
    assert_string_equal(out, "data/hrdd.db.secret");
    assert_int_equal(srv_secret_path("file:/x/h.db?mode=rwc", NULL, out, sizeof out), CORE_OK);
    assert_string_equal(out, "/x/h.db.secret");
    assert_int_equal(srv_secret_path("data/hrdd.db", "/etc/hrdd/secret", out, sizeof out), CORE_OK);
    assert_string_equal(out, "/etc/hrdd/secret");
    assert_int_equal(srv_secret_path("postgresql://h/db", NULL, out, sizeof out), CORE_INVALID);
    assert_int_equal(srv_secret_path("postgres://h/db", NULL, out, sizeof out), CORE_INVALID);
    assert_int_equal(srv_secret_path("postgresql://h/db", "/s", out, sizeof out), CORE_OK);
    assert_int_equal(srv_secret_path(NULL, NULL, out, sizeof out), CORE_INVALID);
    char tiny[8];
    assert_int_equal(srv_secret_path("a-long-name.db", NULL, tiny, sizeof tiny), CORE_ERR);
    assert_true(srv_is_postgres_url("postgresql://x"));
    assert_false(srv_is_postgres_url("/var/lib/hrdd.db"));
    assert_false(srv_is_postgres_url(NULL));
}

/* ---- live ---- */

typedef struct fx {
    char dir[256];
    char db[300];
    char pw[300];
} fx;

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    run_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->db, sizeof f->db, "%s/t.db", f->dir);
    run_write(f->dir, "pw", "correct horse battery staple\n", f->pw, sizeof f->pw);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    run_rmtree(f->dir);
    free(f);
    return 0;
}

static void ok(const char *const *args, const char *const *env)
{
    run_result r;
    run_hrdd(&r, args, env, NULL);
    if (r.status != 0) fprintf(stderr, "# %s: exit %d: %s%s\n", args[0], r.status, r.out, r.err);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

/* Port from the "listening" log line. */
static int listening_port(const char *log)
{
    const char *u = strstr(log, "\"url\":\"http://127.0.0.1:");
    if (!u) return 0;
    return (int)strtol(u + strlen("\"url\":\"http://127.0.0.1:"), NULL, 10);
}

/* One HTTP/1.1 request over a fresh connection; returns the status code and
 * the whole response in *resp (heap). */
static int http(int port, const char *method, const char *path, const char *headers, const char *body, char **resp)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char req[4096];
    int n = snprintf(req, sizeof req,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n%s%s"
                     "Content-Length: %zu\r\n\r\n%s",
                     method, path, headers ? headers : "", "", body ? strlen(body) : 0, body ? body : "");
    assert_true(n > 0 && (size_t)n < sizeof req);
    assert_int_equal(write(fd, req, (size_t)n), n);
    size_t cap = 65536, len = 0;
    char *buf = malloc(cap);
    ssize_t got;
    while ((got = read(fd, buf + len, cap - len - 1)) > 0) {
        len += (size_t)got;
        if (len + 1 >= cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = '\0';
    close(fd);
    int status = 0;
    if (strncmp(buf, "HTTP/1.1 ", 9) == 0) status = (int)strtol(buf + 9, NULL, 10);
    if (resp) *resp = buf;
    else free(buf);
    return status;
}

static void serve_and_stop(const char *const *args, const char *const *env, int sig)
{
    run_child c;
    assert_int_equal(run_start(&c, args, env), 0);
    char *log = NULL;
    int found = run_wait_for(&c, "\"msg\":\"listening\"", 20000, &log);
    if (found != 0) fprintf(stderr, "# serve log: %s\n", log);
    assert_int_equal(found, 0);
    int port = listening_port(log);
    assert_true(port > 0);
    char *resp = NULL;
    assert_int_equal(http(port, "GET", "/healthz", NULL, NULL, &resp), 200);
    assert_non_null(strstr(resp, "{\"status\":\"ok\"}"));
    assert_non_null(strstr(resp, "X-Content-Type-Options: nosniff"));
    free(resp);
    int st = http(port, "GET", "/metrics", NULL, NULL, NULL);
    assert_true(st == 401 || st == 403);
    assert_int_equal(http(port, "GET", "/no-such-page", NULL, NULL, NULL), 404);
    int code = run_stop(&c, sig);
    if (code != 0) fprintf(stderr, "# serve exit %d, log: %s\n", code, log);
    assert_int_equal(code, 0);
    free(log);
}

static void test_serve_sqlite(void **state)
{
    fx *f = *state;
    ok(ARGS("init", "--db", f->db, "--org", "Kestrel Social", "--admin-email", "admin@kestrel.example",
            "--admin-password-file", f->pw), NULL);
    serve_and_stop(ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0"), NULL, SIGTERM);
    char envdb[400];
    snprintf(envdb, sizeof envdb, "HRDD_DB=%s", f->db);
    serve_and_stop(ARGS("serve", "--listen", "127.0.0.1:0", "--threads", "2"), ENV(envdb), SIGINT);
}

/* Signs in over the JSON API; returns the HTTP status. */
static int sign_in(int port, const char *email, const char *password)
{
    char body[512];
    snprintf(body, sizeof body, "{\"email\":\"%s\",\"password\":\"%s\"}", email, password);
    return http(port, "POST", "/api/v1/session", "Content-Type: application/json\r\n", body, NULL);
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) return NULL;
    char *buf = calloc(1, 65536);
    size_t n = fread(buf, 1, 65535, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* The password of email in the credentials file. */
static void creds_password(const char *creds, const char *email, char *out, size_t n)
{
    out[0] = '\0';
    const char *line = strstr(creds, email);
    assert_non_null(line);
    line += strlen(email);
    while (*line == ' ') line++;
    size_t len = strcspn(line, " \n");
    snprintf(out, n, "%.*s", (int)len, line);
}

static char *sql_one(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

static void test_demo(void **state)
{
    fx *f = *state;
    char db[320], creds[320];
    snprintf(db, sizeof db, "%s/demo-data/hrdd.db", f->dir);
    snprintf(creds, sizeof creds, "%s/demo-data/credentials.txt", f->dir);
    char *first = NULL;
    for (int round = 0; round < 2; round++) {
        run_child c;
        assert_int_equal(run_start(&c, ARGS("demo", "--db", db, "--listen", "127.0.0.1:0"), NULL), 0);
        char *log = NULL;
        int found = run_wait_for(&c, "\"msg\":\"listening\"", 60000, &log);
        if (found != 0) fprintf(stderr, "# demo log: %s\n", log);
        assert_int_equal(found, 0);
        int port = listening_port(log);
        assert_true(port > 0);
        assert_int_equal(round == 0, strstr(log, "seeding") != NULL);   /* seeds once */

        struct stat sb;
        assert_int_equal(stat(creds, &sb), 0);
        assert_int_equal(sb.st_mode & 0777, 0600);
        char *text = read_file(creds);
        assert_non_null(text);
        static const char *const emails[] = {"admin@kestrel.example", "hr.lead@kestrel.example",
                                             "case.handler@kestrel.example", "analyst@kestrel.example",
                                             "auditor@kestrel.example", "secretariat@dta.example"};
        for (size_t i = 0; i < sizeof emails / sizeof emails[0]; i++) assert_non_null(strstr(text, emails[i]));
        if (round == 0) first = strdup(text);
        else assert_string_equal(first, text);          /* same accounts, same passwords */

        char pw[64];
        creds_password(text, "admin@kestrel.example", pw, sizeof pw);
        assert_int_equal(strlen(pw), 19);
        assert_int_equal(sign_in(port, "admin@kestrel.example", pw), 200);
        creds_password(text, "auditor@kestrel.example", pw, sizeof pw);
        assert_int_equal(sign_in(port, "auditor@kestrel.example", pw), 200);
        assert_int_not_equal(sign_in(port, "auditor@kestrel.example", "wrong password"), 200);
        free(text);
        int code = run_stop(&c, SIGTERM);
        if (code != 0) fprintf(stderr, "# demo exit %d, log: %s\n", code, log);
        assert_int_equal(code, 0);
        free(log);
    }
    free(first);

    char *n = sql_one(db, "SELECT count(*) FROM orgs");
    assert_string_equal(n, "2");
    free(n);
    n = sql_one(db, "SELECT kind FROM orgs WHERE slug = 'dta'");
    assert_string_equal(n, "sector_body");
    free(n);
    n = sql_one(db, "SELECT count(*) FROM users");
    assert_string_equal(n, "6");
    free(n);
    n = sql_one(db, "SELECT count(*) FROM products p JOIN orgs o ON o.id = p.org_id WHERE o.slug = 'kestrel'");
    assert_true(strtol(n, NULL, 10) >= 5);
    free(n);
    n = sql_one(db, "SELECT count(*) FROM memberships m JOIN users u ON u.id = m.user_id"
                    " WHERE u.email = 'admin@kestrel.example'");
    assert_string_equal(n, "2");                        /* the org switcher shows two */
    free(n);
    n = sql_one(db, "SELECT count(DISTINCT role) FROM memberships m JOIN orgs o ON o.id = m.org_id"
                    " WHERE o.slug = 'kestrel'");
    assert_string_equal(n, "5");                        /* one account per role */
    free(n);
    run_result r;
    run_hrdd(&r, ARGS("audit", "verify", "--db", db), NULL, NULL);
    assert_int_equal(r.status, 0);
    run_result_free(&r);
}

static void pg_quiet(void *arg, const char *message)
{
    (void)arg;
    (void)message;
}

static void pg_exec(const char *url, const char *sql)
{
    PGconn *c = PQconnectdb(url);
    PQsetNoticeProcessor(c, pg_quiet, NULL);
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *res = PQexec(c, sql);
    int good = PQresultStatus(res) == PGRES_COMMAND_OK;
    if (!good) fprintf(stderr, "# pg: %s", PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
    assert_true(good);
}

static void test_serve_postgresql(void **state)
{
    fx *f = *state;
    const char *base = getenv("HRDD_TEST_PG_URL");
    if (!base || !base[0]) {
        if (getenv("HRDD_REQUIRE_PG") && strcmp(getenv("HRDD_REQUIRE_PG"), "1") == 0)
            fail_msg("HRDD_REQUIRE_PG=1 but HRDD_TEST_PG_URL is not set");
        skip();
    }
    /* a database of our own on the test server */
    const char *scheme = strstr(base, "://");
    assert_non_null(scheme);
    const char *slash = strchr(scheme + 3, '/');
    assert_non_null(slash);
    const char *query = strchr(slash, '?');
    char url[1024];
    snprintf(url, sizeof url, "%.*s/hrdd_server_test%s", (int)(slash - base), base, query ? query : "");
    pg_exec(base, "DROP DATABASE IF EXISTS hrdd_server_test WITH (FORCE)");
    pg_exec(base, "CREATE DATABASE hrdd_server_test");
    char secret[320], envsecret[400];
    snprintf(secret, sizeof secret, "%s/pg.secret", f->dir);
    snprintf(envsecret, sizeof envsecret, "HRDD_SECRET_FILE=%s", secret);
    ok(ARGS("init", "--db", url, "--org", "Kestrel Social", "--admin-email", "admin@kestrel.example",
            "--admin-password-file", f->pw), ENV(envsecret));
    serve_and_stop(ARGS("serve", "--db", url, "--listen", "127.0.0.1:0"), ENV(envsecret), SIGTERM);
    pg_exec(base, "DROP DATABASE IF EXISTS hrdd_server_test WITH (FORCE)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_once),
        cmocka_unit_test(test_routes_table),
        cmocka_unit_test(test_secret_path),
        cmocka_unit_test_setup_teardown(test_serve_sqlite, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_demo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_serve_postgresql, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
