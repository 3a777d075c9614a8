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
 *
 * Grievance mechanism wiring: serve opens the remedy service (a grievance is
 * filed over HTTP with the smallest anonymous body -> 201 with a receipt, its
 * status read back, a wrong receipt -> 404 problem+json; the narrative is not
 * in the database files), on both engines; the time-limit options are in
 * --help and validated; the demo seeds grievances in every state (a
 * collective case, overdue clocks, the mechanisms directory when the shared
 * data folder is there) and its credentials file holds two working receipts.
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
#include <jansson.h>
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

/* The JSON body of a response (heap), or NULL. */
static json_t *resp_json(const char *resp)
{
    const char *b = resp ? strstr(resp, "\r\n\r\n") : NULL;
    if (!b) return NULL;
    return json_loads(b + 4, 0, NULL);
}

/* Reads the state of a case by its receipt; returns the HTTP status, the
 * state in out when 200. */
static int receipt_state(int port, const char *receipt, char *out, size_t n)
{
    char body[256], *resp = NULL;
    snprintf(body, sizeof body, "{\"receipt\":\"%s\"}", receipt);
    int st = http(port, "POST", "/api/v1/receipt/status", "Content-Type: application/json\r\n", body, &resp);
    out[0] = '\0';
    json_t *j = resp_json(resp);
    if (st == 200) {
        assert_non_null(j);
        const char *state = json_string_value(json_object_get(j, "state"));
        assert_non_null(state);
        snprintf(out, n, "%s", state);
    } else if (st == 404) {
        assert_non_null(strstr(resp, "application/problem+json"));
    }
    json_decref(j);
    free(resp);
    return st;
}

/* Files the smallest anonymous grievance over HTTP, reads its state back,
 * and checks a wrong receipt. The receipt goes to receipt (>= 24 bytes). */
static void file_and_check(int port, const char *narrative, char *receipt)
{
    char body[512], *resp = NULL;
    snprintf(body, sizeof body, "{\"narrative\":\"%s\",\"contact_preference\":\"anonymous\"}", narrative);
    int st = http(port, "POST", "/api/v1/grievances", "Content-Type: application/json\r\n", body, &resp);
    if (st != 201) fprintf(stderr, "# POST /api/v1/grievances: %s\n", resp);
    assert_int_equal(st, 201);
    json_t *j = resp_json(resp);
    assert_non_null(j);
    const char *r = json_string_value(json_object_get(j, "receipt"));
    const char *ref = json_string_value(json_object_get(j, "reference"));
    assert_non_null(r);
    assert_non_null(ref);
    assert_int_equal(strlen(r), 23);
    assert_int_equal(strncmp(ref, "G-", 2), 0);
    snprintf(receipt, 24, "%s", r);
    json_decref(j);
    free(resp);
    char state[64];
    assert_int_equal(receipt_state(port, receipt, state, sizeof state), 200);
    assert_string_equal(state, "received");
    /* a wrong code: 404 problem+json (the first failures are not throttled) */
    assert_int_equal(receipt_state(port, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ", state, sizeof state), 404);
}

/* 1 if needle occurs in the bytes of path (a missing file has none). */
static int file_has(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return 0;
    size_t cap = 1 << 20, len = 0, got;
    char *buf = malloc(cap);
    while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    fclose(fp);
    int found = memmem(buf, len, needle, strlen(needle)) != NULL;
    free(buf);
    return found;
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

/* serve with the time-limit options: the grievance service is open, a
 * grievance is filed and read back; the narrative is not stored in clear. */
static void test_serve_grievance(void **state)
{
    fx *f = *state;
    ok(ARGS("init", "--db", f->db, "--org", "Kestrel Social", "--admin-email", "admin@kestrel.example",
            "--admin-password-file", f->pw), NULL);
    char notify[320], envnotify[400];
    snprintf(notify, sizeof notify, "%s/notify.jsonl", f->dir);
    snprintf(envnotify, sizeof envnotify, "HRDD_NOTIFY_FILE=%s", notify);
    run_child c;
    assert_int_equal(run_start(&c, ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0", "--sla-interval", "1"),
                               ENV(envnotify)), 0);
    char *log = NULL;
    int found = run_wait_for(&c, "\"msg\":\"listening\"", 20000, &log);
    if (found != 0) fprintf(stderr, "# serve log: %s\n", log);
    assert_int_equal(found, 0);
    int port = listening_port(log);
    assert_true(port > 0);
    char receipt[24];
    file_and_check(port, "Serve wiring test: the moderators removed my post about Lake Turkana", receipt);
    /* the time-limit thread runs a few seconds after start-up: the new case's
     * acknowledgement is due within 7 days, so the admin is notified once */
    found = run_wait_for(&c, "\"msg\":\"time limits checked\"", 20000, &log);
    if (found != 0) fprintf(stderr, "# serve log: %s\n", log);
    assert_int_equal(found, 0);
    assert_true(file_has(notify, "G-"));
    assert_true(file_has(notify, "admin@kestrel.example"));
    assert_false(file_has(notify, "Lake Turkana"));     /* never case content */
    assert_false(file_has(notify, receipt));
    assert_int_equal(run_stop(&c, SIGTERM), 0);
    assert_null(strstr(log, receipt));                  /* never a receipt in the log */
    free(log);
    char wal[340];
    snprintf(wal, sizeof wal, "%s-wal", f->db);
    assert_false(file_has(f->db, "Lake Turkana"));
    assert_false(file_has(wal, "Lake Turkana"));
}

static void test_serve_options(void **state)
{
    (void)state;
    run_result r;
    run_hrdd(&r, ARGS("serve", "--help"), NULL, NULL);
    assert_int_equal(r.status, 0);
    static const char *const want[] = {"--sla-interval MINUTES", "--notify-file FILE", "--sendmail COMMAND",
                                       "HRDD_SLA_INTERVAL", "HRDD_NOTIFY_FILE", "HRDD_SENDMAIL"};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        if (!strstr(r.out, want[i])) fprintf(stderr, "# missing %s in:\n%s", want[i], r.out);
        assert_non_null(strstr(r.out, want[i]));
    }
    run_result_free(&r);
    run_hrdd(&r, ARGS("serve", "--db", "x.db", "--sla-interval", "-5"), NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "sla_interval"));
    run_result_free(&r);
    run_hrdd(&r, ARGS("serve", "--db", "x.db", "--sla-interval", "soon"), NULL, NULL);
    assert_int_equal(r.status, 2);
    run_result_free(&r);
    run_hrdd(&r, ARGS("serve", "--db", "x.db", "--notify-file", "n.jsonl", "--sendmail", "/usr/sbin/sendmail -t"),
             NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "not both"));
    run_result_free(&r);
    run_hrdd(&r, ARGS("config", "--json"), ENV("HRDD_SLA_INTERVAL=30", "HRDD_SENDMAIL=/usr/sbin/sendmail -t -i"),
             NULL);
    assert_int_equal(r.status, 0);
    assert_non_null(strstr(r.out, "/usr/sbin/sendmail -t -i"));
    assert_non_null(strstr(r.out, "30"));
    run_result_free(&r);
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
        const char *mech = getenv("HRDD_MECH_DIR") ? getenv("HRDD_MECH_DIR") : "/nonexistent";
        assert_int_equal(run_start(&c, ARGS("demo", "--db", db, "--listen", "127.0.0.1:0", "--mechanisms", mech),
                                   NULL), 0);
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
        /* the two demo receipts work: a proposed remedy, a question waiting */
        const char *rc = strstr(text, "Demo receipts");
        assert_non_null(rc);
        static const char *const expect[] = {"remedy_proposed", "acknowledged"};
        for (int i = 0; i < 2; i++) {
            rc = strstr(rc, "\n  G-");
            assert_non_null(rc);
            rc += 3;
            const char *code = rc + strcspn(rc, " ");
            code += strspn(code, " ");
            char receipt[24], st[64];
            snprintf(receipt, sizeof receipt, "%.23s", code);
            assert_int_equal(receipt_state(port, receipt, st, sizeof st), 200);
            assert_string_equal(st, expect[i]);
        }
        free(text);
        if (round == 0) {
            /* the overdue demo clocks are notified to the handlers, into a file */
            found = run_wait_for(&c, "\"msg\":\"time limits checked\"", 20000, &log);
            if (found != 0) fprintf(stderr, "# demo log: %s\n", log);
            assert_int_equal(found, 0);
            char notify[340];
            snprintf(notify, sizeof notify, "%s/demo-data/notifications.jsonl", f->dir);
            assert_true(file_has(notify, "case.handler@kestrel.example"));
            assert_true(file_has(notify, "overdue"));
            assert_false(file_has(notify, "Heinrich"));
        }
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
    /* the grievances: every state, every channel, several countries */
    n = sql_one(db, "SELECT count(DISTINCT state) FROM grievances");
    assert_string_equal(n, "14");
    free(n);
    n = sql_one(db, "SELECT count(*) FROM grievances");
    assert_true(strtol(n, NULL, 10) >= 18);
    free(n);
    n = sql_one(db, "SELECT group_concat(channel) FROM (SELECT DISTINCT channel FROM grievances ORDER BY channel)");
    assert_string_equal(n, "letter,partner,phone,web");
    free(n);
    n = sql_one(db, "SELECT count(DISTINCT category) FROM grievances");
    assert_string_equal(n, "4");
    free(n);
    n = sql_one(db, "SELECT count(DISTINCT country) FROM grievances");
    assert_true(strtol(n, NULL, 10) >= 6);
    free(n);
    n = sql_one(db, "SELECT count(*) FROM grievances g JOIN collective_cases c ON c.id = g.collective_id");
    assert_string_equal(n, "3");
    free(n);
    n = sql_one(db, "SELECT count(*) FROM grievance_clocks k JOIN grievances g ON g.id = k.case_id"
                    " WHERE k.stopped_at = 0 AND k.paused_since = 0 AND k.due_at < strftime('%s','now')"
                    " AND g.state NOT IN ('closed', 'withdrawn')");
    assert_true(strtol(n, NULL, 10) >= 2);             /* overdue clocks */
    free(n);
    n = sql_one(db, "SELECT count(*) FROM grievance_events WHERE internal = 1");
    assert_true(strtol(n, NULL, 10) >= 3);             /* notes */
    free(n);
    const char *mech = getenv("HRDD_MECH_DIR");
    struct stat mb;
    if (mech && stat(mech, &mb) == 0) {
        n = sql_one(db, "SELECT count(*) FROM mechanisms WHERE subkind = 'data_protection_authority'");
        assert_true(strtol(n, NULL, 10) >= 50);
        free(n);
        n = sql_one(db, "SELECT count(*) FROM grievance_referrals WHERE kind = 'referral' AND consent_given = 1");
        assert_string_equal(n, "1");
        free(n);
    }
    /* no complainant's name, e-mail or story in clear in the files */
    char wal[340];
    snprintf(wal, sizeof wal, "%s-wal", db);
    static const char *const secrets[] = {"Heinrich Vogel", "lucia.romero@example.org", "a brick", "food bank"};
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        assert_false(file_has(db, secrets[i]));
        assert_false(file_has(wal, secrets[i]));
    }
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
    /* the grievance service over PostgreSQL */
    run_child c;
    assert_int_equal(run_start(&c, ARGS("serve", "--db", url, "--listen", "127.0.0.1:0"), ENV(envsecret)), 0);
    char *log = NULL;
    assert_int_equal(run_wait_for(&c, "\"msg\":\"listening\"", 20000, &log), 0);
    int port = listening_port(log);
    assert_true(port > 0);
    char receipt[24];
    file_and_check(port, "Serve wiring test over PostgreSQL", receipt);
    assert_int_equal(run_stop(&c, SIGTERM), 0);
    free(log);
    pg_exec(base, "DROP DATABASE IF EXISTS hrdd_server_test WITH (FORCE)");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routes_once),
        cmocka_unit_test(test_routes_table),
        cmocka_unit_test(test_secret_path),
        cmocka_unit_test_setup_teardown(test_serve_sqlite, fx_setup, fx_teardown),
        cmocka_unit_test(test_serve_options),
        cmocka_unit_test_setup_teardown(test_serve_grievance, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_demo, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_serve_postgresql, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("server", tests, NULL, NULL);
}
