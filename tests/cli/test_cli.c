/* test_cli: the `hrdd` binary end to end, spawned with posix_spawn (no
 * shell): help for every command, usage errors and exit codes, init and the
 * user and org commands, configuration precedence (flag > env > file >
 * default) and config file errors with line:column, `audit verify` before
 * and after a one-byte edit of every audit row (raw SQL through libsqlite3),
 * migrations refused on a newer schema, `routes --json`, and serve's
 * refusals, the no-echo password prompt on a pty. The same init/user/audit checks run against PostgreSQL when
 * HRDD_TEST_PG_URL is set (a separate database, created and dropped here).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>
#include <libpq-fe.h>
#include <sodium.h>
#include <sqlite3.h>

#include "store/store.h"
#include "runner.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})
#define ENV(...) ((const char *const[]){__VA_ARGS__, NULL})

#define PASSWORD "correct horse battery staple"

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
    run_write(f->dir, "pw", PASSWORD "\n", f->pw, sizeof f->pw);
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

/* Runs and checks the exit status; prints the output on a mismatch. */
static void expect_run(run_result *r, int status, const char *const *args, const char *const *env)
{
    run_hrdd(r, args, env, NULL);
    if (r->status != status) {
        fprintf(stderr, "# hrdd");
        for (const char *const *a = args; *a; a++) fprintf(stderr, " %s", *a);
        fprintf(stderr, "\n# exit %d (expected %d)\n# stdout: %s\n# stderr: %s\n", r->status, status, r->out, r->err);
    }
    assert_int_equal(r->status, status);
}

static void ok(const char *const *args)
{
    run_result r;
    expect_run(&r, 0, args, NULL);
    run_result_free(&r);
}

static void init_db(fx *f)
{
    ok(ARGS("init", "--db", f->db, "--org", "Kestrel Social", "--admin-email", "Admin@Kestrel.example",
            "--admin-password-file", f->pw));
}

static void sql_exec(const char *db, const char *sql)
{
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    char *err = NULL;
    int rc = sqlite3_exec(h, sql, NULL, NULL, &err);
    if (rc != SQLITE_OK) fprintf(stderr, "# sqlite: %s\n", err ? err : "?");
    sqlite3_free(err);
    sqlite3_close(h);
    assert_int_equal(rc, SQLITE_OK);
}

static char *sql_text(const char *db, const char *sql, const char *param)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    if (param) sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
    char *out = NULL;
    if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0)) out = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(h);
    return out;
}

/* ---- help and usage ---- */

static const char *const commands[] = {
    "init", "serve", "migrate", "user add", "user list", "user disable", "user enable", "user passwd",
    "user role", "org add", "org list", "audit verify", "audit list", "routes", "config", "demo",
    "version", "help", "mechanisms import", "mechanisms list", "sla check", "rights list",
};

static void test_help_every_command(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        char words[2][32] = {"", ""};
        const char *sp = strchr(commands[i], ' ');
        if (sp) {
            snprintf(words[0], sizeof words[0], "%.*s", (int)(sp - commands[i]), commands[i]);
            snprintf(words[1], sizeof words[1], "%s", sp + 1);
        } else {
            snprintf(words[0], sizeof words[0], "%s", commands[i]);
        }
        char usage[64];
        snprintf(usage, sizeof usage, "Usage: hrdd %s", commands[i]);
        run_result r;
        if (sp) expect_run(&r, 0, ARGS(words[0], words[1], "--help"), NULL);
        else expect_run(&r, 0, ARGS(words[0], "--help"), NULL);
        assert_non_null(strstr(r.out, usage));
        assert_non_null(strstr(r.out, "Options:"));
        assert_non_null(strstr(r.out, "Examples:"));
        assert_non_null(strstr(r.out, "Exit status"));
        run_result_free(&r);
        if (sp) expect_run(&r, 0, ARGS("help", words[0], words[1]), NULL);
        else expect_run(&r, 0, ARGS("help", words[0]), NULL);
        assert_non_null(strstr(r.out, usage));
        run_result_free(&r);
    }
    run_result r;
    expect_run(&r, 0, ARGS("--help"), NULL);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) assert_non_null(strstr(r.out, commands[i]));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("help"), NULL);
    assert_non_null(strstr(r.out, "Commands:"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("user", "--help"), NULL);
    assert_non_null(strstr(r.out, "passwd"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("help", "audit"), NULL);
    assert_non_null(strstr(r.out, "verify"));
    run_result_free(&r);
}

static void test_usage_errors(void **state)
{
    fx *f = *state;
    run_result r;
    expect_run(&r, 2, ARGS("--bogus"), NULL);
    run_result_free(&r);
    expect_run(&r, 2, ARGS("frobnicate"), NULL);
    assert_non_null(strstr(r.err, "unknown command 'frobnicate'"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("user"), NULL);
    run_result_free(&r);
    expect_run(&r, 2, ARGS("user", "frob"), NULL);
    assert_non_null(strstr(r.err, "unknown subcommand 'frob'"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("user", "list", "--nope"), NULL);
    assert_non_null(strstr(r.err, "hrdd: user list: unknown option '--nope'"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("init", "--org", "X", "--admin-email", "a@b.example", "--admin-password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "hrdd: init: no database given"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("init", "--db", f->db, "--org"), NULL);
    assert_non_null(strstr(r.err, "needs a value"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("init", "--db", f->db, "--org", "X", "--admin-email", "not-an-email",
                           "--admin-password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "not a valid e-mail"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("init", "--db", f->db, "--org", "X", "--org-kind", "club", "--admin-email",
                           "a@b.example", "--admin-password-file", f->pw), NULL);
    run_result_free(&r);
    /* no password file, stdin not a terminal */
    expect_run(&r, 2, ARGS("init", "--db", f->db, "--org", "X", "--admin-email", "a@b.example"), NULL);
    assert_non_null(strstr(r.err, "--admin-password-file FILE is required"));
    run_result_free(&r);
    /* nothing was created by the failed attempts */
    struct stat sb;
    assert_int_not_equal(stat(f->db, &sb), 0);
    /* commands on a missing database fail (1) with a clear message */
    expect_run(&r, 1, ARGS("user", "list", "--db", f->db), NULL);
    assert_non_null(strstr(r.err, "does not exist"));
    run_result_free(&r);
    assert_int_not_equal(stat(f->db, &sb), 0);
}

static void test_version(void **state)
{
    (void)state;
    run_result r;
    expect_run(&r, 0, ARGS("version"), NULL);
    assert_true(strncmp(r.out, "hrdd ", 5) == 0);
    run_result_free(&r);
    expect_run(&r, 0, ARGS("--version"), NULL);
    assert_true(strncmp(r.out, "hrdd ", 5) == 0);
    run_result_free(&r);
    expect_run(&r, 0, ARGS("version", "--verbose"), NULL);
    assert_non_null(strstr(r.out, "schema version"));
    run_result_free(&r);
}

/* ---- init, users, organisations ---- */

static json_t *run_json(const char *const *args)
{
    run_result r;
    expect_run(&r, 0, args, NULL);
    json_error_t e;
    json_t *v = json_loads(r.out, 0, &e);
    if (!v) fprintf(stderr, "# not JSON (%s): %s\n", e.text, r.out);
    assert_non_null(v);
    run_result_free(&r);
    return v;
}

static json_t *find_by(json_t *arr, const char *key, const char *value)
{
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        const char *v = json_string_value(json_object_get(o, key));
        if (v && strcmp(v, value) == 0) return o;
    }
    return NULL;
}

static void test_init_and_users(void **state)
{
    fx *f = *state;
    init_db(f);
    struct stat sb;
    char secret[320];
    snprintf(secret, sizeof secret, "%s.secret", f->db);
    assert_int_equal(stat(secret, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(stat(f->db, &sb), 0);
    assert_int_equal(sb.st_mode & 0077, 0);

    run_result r;
    expect_run(&r, 1, ARGS("init", "--db", f->db, "--org", "Again", "--admin-email", "x@y.example",
                           "--admin-password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "already initialised"));
    run_result_free(&r);

    ok(ARGS("user", "add", "--db", f->db, "--email", "Noor@Kestrel.example", "--role", "case_handler",
            "--name", "Noor Haddad", "--password-file", f->pw));
    /* "-" reads stdin (here /dev/null): an empty password is refused */
    expect_run(&r, 2, ARGS("user", "add", "--db", f->db, "--email", "auditor@kestrel.example", "--role",
                           "auditor", "--org", "kestrel-social", "--password-file", "-"), NULL);
    run_result_free(&r);
    char *n = sql_text(f->db, "SELECT count(*) FROM users", NULL);
    assert_string_equal(n, "2");
    free(n);

    expect_run(&r, 1, ARGS("user", "add", "--db", f->db, "--email", "noor@kestrel.example", "--role", "analyst",
                           "--password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "already exists"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("user", "add", "--db", f->db, "--email", "x@kestrel.example", "--role", "boss",
                           "--password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "unknown role"));
    run_result_free(&r);
    char shortpw[320];
    run_write(f->dir, "short", "abc\n", shortpw, sizeof shortpw);
    expect_run(&r, 2, ARGS("user", "add", "--db", f->db, "--email", "x@kestrel.example", "--role", "analyst",
                           "--password-file", shortpw), NULL);
    assert_non_null(strstr(r.err, "at least 8"));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("user", "add", "--db", f->db, "--email", "x@kestrel.example", "--role", "analyst",
                           "--org", "nowhere", "--password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "no organisation with slug 'nowhere'"));
    run_result_free(&r);

    json_t *list = run_json(ARGS("user", "list", "--db", f->db, "--org", "kestrel-social", "--json"));
    assert_int_equal(json_array_size(list), 2);
    json_t *noor = find_by(list, "email", "noor@kestrel.example");
    assert_non_null(noor);
    assert_string_equal(json_string_value(json_object_get(noor, "role")), "case_handler");
    assert_string_equal(json_string_value(json_object_get(noor, "display_name")), "Noor Haddad");
    assert_true(json_is_false(json_object_get(noor, "disabled")));
    json_t *admin = find_by(list, "email", "admin@kestrel.example");
    assert_non_null(admin);
    assert_string_equal(json_string_value(json_object_get(admin, "role")), "admin");
    json_decref(list);

    /* text output lists both */
    expect_run(&r, 0, ARGS("user", "list", "--db", f->db), NULL);
    assert_non_null(strstr(r.out, "noor@kestrel.example"));
    assert_non_null(strstr(r.out, "kestrel-social:admin"));
    run_result_free(&r);

    /* disable, enable */
    ok(ARGS("user", "disable", "--db", f->db, "--email", "noor@kestrel.example"));
    list = run_json(ARGS("user", "list", "--db", f->db, "--json"));
    assert_true(json_is_true(json_object_get(find_by(list, "email", "noor@kestrel.example"), "disabled")));
    json_decref(list);
    ok(ARGS("user", "enable", "--db", f->db, "--email", "noor@kestrel.example"));
    list = run_json(ARGS("user", "list", "--db", f->db, "--json"));
    assert_true(json_is_false(json_object_get(find_by(list, "email", "noor@kestrel.example"), "disabled")));
    json_decref(list);
    expect_run(&r, 1, ARGS("user", "disable", "--db", f->db, "--email", "ghost@kestrel.example"), NULL);
    assert_non_null(strstr(r.err, "no user with e-mail ghost@kestrel.example"));
    run_result_free(&r);

    /* passwd: the stored hash verifies the new password only */
    char newpw[320];
    run_write(f->dir, "newpw", "another long passphrase\n", newpw, sizeof newpw);
    char *h = sql_text(f->db, "SELECT pw_hash FROM users WHERE email = ?", "noor@kestrel.example");
    assert_non_null(h);
    assert_int_equal(crypto_pwhash_str_verify(h, PASSWORD, strlen(PASSWORD)), 0);
    free(h);
    ok(ARGS("user", "passwd", "--db", f->db, "--email", "noor@kestrel.example", "--password-file", newpw));
    h = sql_text(f->db, "SELECT pw_hash FROM users WHERE email = ?", "noor@kestrel.example");
    assert_int_equal(crypto_pwhash_str_verify(h, "another long passphrase", 23), 0);
    assert_int_not_equal(crypto_pwhash_str_verify(h, PASSWORD, strlen(PASSWORD)), 0);
    free(h);
    /* the password can also come from stdin */
    const char *const args[] = {"user", "passwd", "--db", f->db, "--email", "noor@kestrel.example",
                                "--password-file", "-", NULL};
    run_hrdd(&r, args, NULL, "from standard input\n");
    assert_int_equal(r.status, 0);
    run_result_free(&r);
    h = sql_text(f->db, "SELECT pw_hash FROM users WHERE email = ?", "noor@kestrel.example");
    assert_int_equal(crypto_pwhash_str_verify(h, "from standard input", 19), 0);
    free(h);

    /* every change above is in the audit trail, by "cli" */
    char *cnt = sql_text(f->db, "SELECT count(*) FROM audit_log WHERE actor = 'cli'", NULL);
    char *all = sql_text(f->db, "SELECT count(*) FROM audit_log", NULL);
    assert_string_equal(cnt, all);
    assert_true(strtol(cnt, NULL, 10) >= 9);
    free(cnt);
    free(all);
    char *pwa = sql_text(f->db, "SELECT count(*) FROM audit_log WHERE action = 'password'", NULL);
    assert_string_equal(pwa, "2");
    free(pwa);
}

static void test_orgs_and_roles(void **state)
{
    fx *f = *state;
    init_db(f);
    ok(ARGS("org", "add", "--db", f->db, "--name", "Digital Trust Alliance", "--slug", "dta", "--kind",
            "sector_body", "--admin-email", "admin@kestrel.example"));
    ok(ARGS("org", "add", "--db", f->db, "--name", "Wren Travel", "--parent", "dta"));
    run_result r;
    expect_run(&r, 1, ARGS("org", "add", "--db", f->db, "--name", "Other", "--slug", "dta"), NULL);
    assert_non_null(strstr(r.err, "already exists"));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("org", "add", "--db", f->db, "--name", "Sub", "--parent", "wren-travel"), NULL);
    assert_non_null(strstr(r.err, "not a sector body"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("org", "add", "--db", f->db, "--name", "Bad", "--slug", "Bad Slug"), NULL);
    run_result_free(&r);

    json_t *orgs = run_json(ARGS("org", "list", "--db", f->db, "--json"));
    assert_int_equal(json_array_size(orgs), 3);
    json_t *dta = find_by(orgs, "slug", "dta");
    json_t *wren = find_by(orgs, "slug", "wren-travel");
    assert_non_null(dta);
    assert_non_null(wren);
    assert_string_equal(json_string_value(json_object_get(dta, "kind")), "sector_body");
    assert_string_equal(json_string_value(json_object_get(wren, "kind")), "company");
    assert_int_equal(json_integer_value(json_object_get(wren, "parent_id")),
                     json_integer_value(json_object_get(dta, "id")));
    json_decref(orgs);

    ok(ARGS("user", "add", "--db", f->db, "--email", "jonas@dta.example", "--role", "analyst", "--org", "dta",
            "--password-file", f->pw));
    ok(ARGS("user", "role", "--db", f->db, "--email", "jonas@dta.example", "--org", "wren-travel", "--role", "auditor"));
    json_t *users = run_json(ARGS("user", "list", "--db", f->db, "--json"));
    json_t *jonas = find_by(users, "email", "jonas@dta.example");
    assert_non_null(jonas);
    assert_int_equal(json_array_size(json_object_get(jonas, "memberships")), 2);
    json_decref(users);
    json_t *members = run_json(ARGS("user", "list", "--db", f->db, "--org", "dta", "--json"));
    assert_int_equal(json_array_size(members), 2);   /* kestrel's admin and jonas */
    json_decref(members);
    ok(ARGS("user", "role", "--db", f->db, "--email", "jonas@dta.example", "--org", "wren-travel", "--remove"));
    members = run_json(ARGS("user", "list", "--db", f->db, "--org", "wren-travel", "--json"));
    assert_int_equal(json_array_size(members), 0);
    json_decref(members);
    expect_run(&r, 1, ARGS("user", "role", "--db", f->db, "--email", "jonas@dta.example", "--org", "wren-travel",
                           "--remove"), NULL);
    run_result_free(&r);
    ok(ARGS("audit", "verify", "--db", f->db));
    json_t *audit = run_json(ARGS("audit", "list", "--db", f->db, "--org", "dta", "--json"));
    assert_true(json_array_size(audit) >= 3);
    json_decref(audit);
}

/* ---- configuration ---- */

static json_t *config_of(fx *f, const char *const *args, const char *const *env, int expect)
{
    (void)f;
    run_result r;
    expect_run(&r, expect, args, env);
    json_t *v = expect == 0 ? json_loads(r.out, 0, NULL) : NULL;
    if (expect == 0) assert_non_null(v);
    run_result_free(&r);
    return v;
}

static void expect_key(json_t *cfg, const char *key, const char *value, const char *source)
{
    json_t *k = json_object_get(json_object_get(cfg, "keys"), key);
    assert_non_null(k);
    const char *v = json_string_value(json_object_get(k, "value"));
    const char *s = json_string_value(json_object_get(k, "source"));
    if (!v || strcmp(v, value) != 0 || strcmp(s, source) != 0)
        fprintf(stderr, "# %s = %s (%s), expected %s (%s)\n", key, v ? v : "(null)", s, value, source);
    assert_non_null(v);
    assert_string_equal(v, value);
    assert_string_equal(s, source);
}

static void test_config_precedence(void **state)
{
    fx *f = *state;
    char conf[320];
    run_write(f->dir, "hrdd.conf",
              "# hrdd configuration\n"
              "db = /var/lib/hrdd/file.db\n"
              "  listen = 127.0.0.1:1111\n"
              "threads = 3\n"
              "behind_tls = yes\n"
              "secret_file = \" /path with spaces \"\n"
              "\n",
              conf, sizeof conf);

    /* defaults only */
    json_t *c = config_of(f, ARGS("config", "--json"), NULL, 0);
    expect_key(c, "listen", "127.0.0.1:8080", "default");
    expect_key(c, "threads", "0", "default");
    assert_true(json_is_null(json_object_get(json_object_get(json_object_get(c, "keys"), "db"), "value")));
    json_decref(c);

    /* file over defaults */
    c = config_of(f, ARGS("config", "--json", "--config", conf), NULL, 0);
    expect_key(c, "db", "/var/lib/hrdd/file.db", "file");
    expect_key(c, "listen", "127.0.0.1:1111", "file");
    expect_key(c, "threads", "3", "file");
    expect_key(c, "behind_tls", "yes", "file");
    expect_key(c, "secret_file", " /path with spaces ", "file");
    expect_key(c, "pool_size", "0", "default");
    json_decref(c);

    /* environment over file; HRDD_CONFIG names the file */
    char envconf[400];
    snprintf(envconf, sizeof envconf, "HRDD_CONFIG=%s", conf);
    c = config_of(f, ARGS("config", "--json"), ENV(envconf, "HRDD_LISTEN=127.0.0.1:2222", "HRDD_DB=env.db"), 0);
    expect_key(c, "listen", "127.0.0.1:2222", "env");
    expect_key(c, "db", "env.db", "env");
    expect_key(c, "threads", "3", "file");
    json_decref(c);

    /* flags over environment over file */
    c = config_of(f, ARGS("config", "--json", "--config", conf, "--listen", "127.0.0.1:3333", "--db=flag.db"),
                  ENV("HRDD_LISTEN=127.0.0.1:2222", "HRDD_DB=env.db", "HRDD_THREADS=5"), 0);
    expect_key(c, "listen", "127.0.0.1:3333", "flag");
    expect_key(c, "db", "flag.db", "flag");
    expect_key(c, "threads", "5", "env");
    expect_key(c, "behind_tls", "yes", "file");
    json_decref(c);

    /* boolean flag */
    c = config_of(f, ARGS("config", "--json", "--behind-tls"), NULL, 0);
    expect_key(c, "behind_tls", "true", "flag");
    json_decref(c);

    /* passwords in URLs are not shown */
    c = config_of(f, ARGS("config", "--json", "--db", "postgresql://hrdd:s3cret@db.example/hrdd"), NULL, 0);
    expect_key(c, "db", "postgresql://hrdd:***@db.example/hrdd", "flag");
    json_decref(c);

    /* the precedence is the one the commands use: init writes where --db says, not the file */
    run_write(f->dir, "hrdd.conf", "db = /nonexistent/dir/file.db\n", conf, sizeof conf);
    char db2[320];
    snprintf(db2, sizeof db2, "%s/flag.db", f->dir);
    char envdb[400];
    snprintf(envdb, sizeof envdb, "HRDD_DB=%s/env.db", f->dir);
    run_result r;
    expect_run(&r, 0, ARGS("init", "--config", conf, "--db", db2, "--org", "K", "--admin-email", "a@k.example",
                           "--admin-password-file", f->pw), ENV(envdb));
    run_result_free(&r);
    struct stat sb;
    assert_int_equal(stat(db2, &sb), 0);
    /* and the environment's database when there is no flag */
    expect_run(&r, 0, ARGS("init", "--config", conf, "--org", "K", "--admin-email", "a@k.example",
                           "--admin-password-file", f->pw), ENV(envdb));
    run_result_free(&r);
    char envfile[320];
    snprintf(envfile, sizeof envfile, "%s/env.db", f->dir);
    assert_int_equal(stat(envfile, &sb), 0);
}

static void expect_config_error(fx *f, const char *text, const char *where, const char *what)
{
    char conf[320], msg[512];
    run_write(f->dir, "bad.conf", text, conf, sizeof conf);
    run_result r;
    expect_run(&r, 2, ARGS("config", "--config", conf), NULL);
    snprintf(msg, sizeof msg, "hrdd: %s:%s: %s", conf, where, what);
    if (!strstr(r.err, msg)) fprintf(stderr, "# expected '%s' in '%s'\n", msg, r.err);
    assert_non_null(strstr(r.err, msg));
    run_result_free(&r);
    /* the same file fails every command that reads configuration */
    expect_run(&r, 2, ARGS("user", "list", "--config", conf), NULL);
    assert_non_null(strstr(r.err, msg));
    run_result_free(&r);
}

static void test_config_errors(void **state)
{
    fx *f = *state;
    expect_config_error(f, "db = a.db\nbogus = 1\n", "2:1", "unknown key 'bogus'");
    expect_config_error(f, "# c\n\n   listen 127.0.0.1:80\n", "3:11", "expected '=' after key 'listen'");
    expect_config_error(f, "threads = many\n", "1:11", "invalid value for threads");
    expect_config_error(f, "db = a\ndb = b\n", "2:1", "duplicate key 'db'");
    expect_config_error(f, "listen = \"127.0.0.1:80\n", "1:10", "unterminated quoted value");
    expect_config_error(f, "secret-file = x\n", "1:1", "unknown key 'secret-file'");
    expect_config_error(f, "behind_tls = perhaps\n", "1:14", "invalid value for behind_tls");
    expect_config_error(f, "= x\n", "1:1", "expected a key");
    /* environment and flag errors name their origin */
    run_result r;
    expect_run(&r, 2, ARGS("config"), ENV("HRDD_THREADS=lots"));
    assert_non_null(strstr(r.err, "hrdd: HRDD_THREADS: invalid value for threads"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("config", "--listen", "nowhere"), NULL);
    assert_non_null(strstr(r.err, "hrdd: --listen: invalid value for listen"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("config", "--pwhash-cost", "huge"), NULL);
    run_result_free(&r);
    /* a named config file that does not exist */
    expect_run(&r, 2, ARGS("config", "--config", "/nonexistent/hrdd.conf"), NULL);
    assert_non_null(strstr(r.err, "cannot read config file"));
    run_result_free(&r);
}

/* ---- audit trail ---- */

static int audit_count(const char *db)
{
    char *n = sql_text(db, "SELECT count(*) FROM audit_log", NULL);
    int v = n ? (int)strtol(n, NULL, 10) : 0;
    free(n);
    return v;
}

/* Replaces the first byte of a text column of entry seq ('x', or 'y' if it
 * was an 'x'): a one-byte edit. */
static void audit_flip(const char *db, const char *column, int seq)
{
    char sql[512];
    snprintf(sql, sizeof sql,
             "UPDATE audit_log SET %s = (CASE WHEN substr(%s, 1, 1) = 'x' THEN 'y' ELSE 'x' END)"
             " || substr(%s, 2) WHERE seq = %d",
             column, column, column, seq);
    sql_exec(db, sql);
}

static void audit_restore(const char *db, const char *column, int seq, const char *value)
{
    sqlite3 *h = NULL;
    sqlite3_stmt *st = NULL;
    char sql[256];
    snprintf(sql, sizeof sql, "UPDATE audit_log SET %s = ? WHERE seq = ?", column);
    assert_int_equal(sqlite3_open(db, &h), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(h, sql, -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, value, -1, SQLITE_TRANSIENT);
    sqlite3_bind_int(st, 2, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
    sqlite3_close(h);
}

static void test_audit_verify_tamper(void **state)
{
    fx *f = *state;
    init_db(f);
    ok(ARGS("user", "add", "--db", f->db, "--email", "noor@kestrel.example", "--role", "case_handler",
            "--password-file", f->pw));
    ok(ARGS("user", "disable", "--db", f->db, "--email", "noor@kestrel.example"));
    int n = audit_count(f->db);
    assert_true(n >= 6);
    run_result r;
    expect_run(&r, 0, ARGS("audit", "verify", "--db", f->db), NULL);
    char want[128];
    snprintf(want, sizeof want, "audit chain OK: %d entries", n);
    assert_non_null(strstr(r.out, want));
    run_result_free(&r);

    /* the application cannot change history: the triggers refuse */
    sqlite3 *h = NULL;
    assert_int_equal(sqlite3_open(f->db, &h), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(h, "UPDATE audit_log SET action = 'x' WHERE seq = 1", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(h);

    /* an attacker with the file can: drop the triggers, then edit one byte of
     * one column of one row at a time; verify names that row and exits 1 */
    sql_exec(f->db, "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;");
    static const char *const columns[] = {"actor", "object_type", "object_id", "action", "hash", "prev_hash",
                                          "after_digest"};
    for (int seq = 1; seq <= n; seq++) {
        for (size_t ci = 0; ci < sizeof columns / sizeof columns[0]; ci++) {
            char check[160];
            snprintf(check, sizeof check, "SELECT %s FROM audit_log WHERE seq = %d", columns[ci], seq);
            char *v = sql_text(f->db, check, NULL);
            if (!v || !v[0]) {     /* NULL digest or "" prev_hash of entry 1: nothing to flip */
                free(v);
                continue;
            }
            audit_flip(f->db, columns[ci], seq);
            expect_run(&r, 1, ARGS("audit", "verify", "--db", f->db), NULL);
            snprintf(want, sizeof want, "audit chain broken at entry %d\n", seq);
            if (!strstr(r.out, want)) fprintf(stderr, "# %s of %d: %s%s", columns[ci], seq, r.out, r.err);
            assert_non_null(strstr(r.out, want));
            run_result_free(&r);
            audit_restore(f->db, columns[ci], seq, v);
            free(v);
        }
        /* the time column too (an integer: one digit) */
        char sql[160];
        snprintf(sql, sizeof sql, "UPDATE audit_log SET at = at + 1 WHERE seq = %d", seq);
        sql_exec(f->db, sql);
        expect_run(&r, 1, ARGS("audit", "verify", "--db", f->db), NULL);
        snprintf(want, sizeof want, "audit chain broken at entry %d\n", seq);
        assert_non_null(strstr(r.out, want));
        run_result_free(&r);
        snprintf(sql, sizeof sql, "UPDATE audit_log SET at = at - 1 WHERE seq = %d", seq);
        sql_exec(f->db, sql);
    }
    /* restored: the chain holds again */
    expect_run(&r, 0, ARGS("audit", "verify", "--db", f->db), NULL);
    run_result_free(&r);
    /* deleting an entry in the middle breaks the chain at the gap */
    snprintf(want, sizeof want, "DELETE FROM audit_log WHERE seq = %d", n / 2);
    sql_exec(f->db, want);
    expect_run(&r, 1, ARGS("audit", "verify", "--db", f->db), NULL);
    assert_non_null(strstr(r.out, "audit chain broken at entry"));
    run_result_free(&r);
}

/* ---- migrations and serve's refusals ---- */

static void test_migrate_and_newer_schema(void **state)
{
    fx *f = *state;
    run_result r;
    /* an empty SQLite database: migrations pending */
    sql_exec(f->db, "CREATE TABLE unrelated (x INTEGER)");
    expect_run(&r, 1, ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0"), NULL);
    assert_non_null(strstr(r.err, "migrations pending"));
    assert_non_null(strstr(r.err, "hrdd migrate"));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("user", "list", "--db", f->db), NULL);
    assert_non_null(strstr(r.err, "hrdd migrate"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("migrate", "--db", f->db, "--status"), NULL);
    assert_non_null(strstr(r.out, "pending"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("migrate", "--db", f->db), NULL);
    assert_non_null(strstr(r.out, "migrated schema from version 0 to"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("migrate", "--db", f->db), NULL);
    assert_non_null(strstr(r.out, "up to date"));
    run_result_free(&r);
    /* migrated but no organisation: serve asks for init */
    expect_run(&r, 1, ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0"), NULL);
    assert_non_null(strstr(r.err, "hrdd init"));
    run_result_free(&r);
    /* init completes a migrated database */
    init_db(f);

    /* a schema newer than this binary: refused by migrate, serve and the rest */
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO schema_version (version, applied_at) VALUES (%d, 0)",
             STORE_SCHEMA_VERSION + 1);
    sql_exec(f->db, sql);
    char *before = sql_text(f->db, "SELECT count(*) FROM schema_version", NULL);
    expect_run(&r, 1, ARGS("migrate", "--db", f->db), NULL);
    assert_non_null(strstr(r.err, "newer than this hrdd"));
    run_result_free(&r);
    char *after = sql_text(f->db, "SELECT count(*) FROM schema_version", NULL);
    assert_string_equal(before, after);
    free(before);
    free(after);
    expect_run(&r, 1, ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0"), NULL);
    assert_non_null(strstr(r.err, "newer than this hrdd"));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("user", "add", "--db", f->db, "--email", "z@kestrel.example", "--role", "analyst",
                           "--password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "newer than this hrdd"));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("init", "--db", f->db, "--org", "X", "--admin-email", "x@y.example",
                           "--admin-password-file", f->pw), NULL);
    run_result_free(&r);
}

static void test_serve_refusals(void **state)
{
    fx *f = *state;
    run_result r;
    expect_run(&r, 1, ARGS("serve", "--db", f->db), NULL);
    assert_non_null(strstr(r.err, "does not exist"));
    run_result_free(&r);
    struct stat sb;
    assert_int_not_equal(stat(f->db, &sb), 0);   /* serve never creates a database */
    init_db(f);
    char secret[320];
    snprintf(secret, sizeof secret, "%s.secret", f->db);
    remove(secret);
    expect_run(&r, 1, ARGS("serve", "--db", f->db, "--listen", "127.0.0.1:0"), NULL);
    assert_non_null(strstr(r.err, "server secret"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("serve", "--db", "postgresql://nobody@127.0.0.1:1/none"), NULL);
    assert_non_null(strstr(r.err, "--secret-file"));
    run_result_free(&r);
}

/* ---- routes ---- */

/* mechanisms import / list and sla check (helper "ecosystem"): the 57 real
 * records, idempotent; a broken file as file:line:column; the cron check. */
static void test_mechanisms_and_sla(void **state)
{
    fx *f = *state;
    init_db(f);
    const char *root = getenv("HRDD_SOURCE_ROOT");
    char dir[1024], bad[600], sink[600];
    snprintf(dir, sizeof dir, "%s/../shared/data/remedy-mechanisms/data-protection-authorities",
             root ? root : ".");
    run_result r;
    expect_run(&r, 0, ARGS("mechanisms", "import", "--db", f->db, dir), NULL);
    assert_non_null(strstr(r.out, "57 file(s): 57 created, 0 updated, 0 unchanged, 0 failed"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("mechanisms", "import", "--db", f->db, "--verified", "2026-01-15", dir), NULL);
    assert_non_null(strstr(r.out, "57 file(s): 0 created, 57 updated"));
    run_result_free(&r);
    run_write(f->dir, "bad.json", "{\n  \"slug\": \"x\",\n  \"name\" 1\n}\n", bad, sizeof bad);
    expect_run(&r, 1, ARGS("mechanisms", "import", "--db", f->db, bad), NULL);
    assert_non_null(strstr(r.err, "bad.json:3:"));
    assert_non_null(strstr(r.out, "1 failed"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("mechanisms", "import", "--db", f->db, "--verified", "2026-02-30", dir), NULL);
    run_result_free(&r);
    json_t *list = run_json(ARGS("mechanisms", "list", "--db", f->db, "--json", "--country", "de"));
    assert_true(json_array_size(list) >= 20);
    size_t i;
    json_t *m;
    json_array_foreach(list, i, m) {
        assert_string_equal(json_string_value(json_array_get(json_object_get(m, "jurisdictions"), 0)), "DE");
        assert_string_equal(json_string_value(json_object_get(m, "last_verified")), "2026-01-15");
    }
    json_decref(list);
    expect_run(&r, 0, ARGS("mechanisms", "list", "--db", f->db, "--country", "FR"), NULL);
    assert_non_null(strstr(r.out, "frcnil"));
    assert_null(strstr(r.out, "debfdi"));
    run_result_free(&r);
    snprintf(sink, sizeof sink, "%s/mail.jsonl", f->dir);
    expect_run(&r, 0, ARGS("sla", "check", "--db", f->db, "--notify-file", sink, "--now", "1767225600"), NULL);
    assert_non_null(strstr(r.out, "0 overdue"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("sla", "check", "--db", f->db, "--notify-file", sink, "--sendmail", "true"), NULL);
    run_result_free(&r);
}

static void test_routes_json(void **state)
{
    (void)state;
    json_t *routes = run_json(ARGS("routes", "--json"));
    assert_true(json_is_array(routes));
    assert_true(json_array_size(routes) >= 2);
    size_t i;
    json_t *o;
    int healthz = 0, metrics = 0;
    json_array_foreach(routes, i, o) {
        const char *m = json_string_value(json_object_get(o, "method"));
        const char *p = json_string_value(json_object_get(o, "pattern"));
        const char *perm = json_string_value(json_object_get(o, "perm"));
        const char *kind = json_string_value(json_object_get(o, "kind"));
        assert_non_null(m);
        assert_non_null(p);
        assert_non_null(perm);
        assert_non_null(kind);
        assert_non_null(json_string_value(json_object_get(o, "summary")));
        assert_true(strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0 || strcmp(m, "POST") == 0 ||
                    strcmp(m, "PUT") == 0 || strcmp(m, "PATCH") == 0 || strcmp(m, "DELETE") == 0);
        assert_true(strcmp(kind, "api") == 0 || strcmp(kind, "html") == 0);
        assert_int_equal(p[0], '/');
        if (strcmp(p, "/healthz") == 0 && strcmp(m, "GET") == 0 && strcmp(perm, "public") == 0) healthz++;
        if (strcmp(p, "/metrics") == 0 && strcmp(m, "GET") == 0 && strcmp(perm, "metrics") == 0) metrics++;
        /* one object per (method, pattern) */
        for (size_t j = i + 1; j < json_array_size(routes); j++) {
            json_t *q = json_array_get(routes, j);
            assert_false(strcmp(m, json_string_value(json_object_get(q, "method"))) == 0 &&
                         strcmp(p, json_string_value(json_object_get(q, "pattern"))) == 0);
        }
    }
    assert_int_equal(healthz, 1);
    assert_int_equal(metrics, 1);
    json_decref(routes);
    run_result r;
    expect_run(&r, 0, ARGS("routes"), NULL);
    assert_non_null(strstr(r.out, "/healthz"));
    run_result_free(&r);
}

/* ---- the rights catalogue (no database needed) ---- */

static void test_rights_list(void **state)
{
    (void)state;
    json_t *all = run_json(ARGS("rights", "list", "--json"));
    assert_true(json_is_array(all));
    assert_true(json_array_size(all) >= 80);
    json_t *r = find_by(all, "id", "ICCPR-17");
    assert_non_null(r);
    assert_string_equal(json_string_value(json_object_get(r, "instrument")), "ICCPR");
    assert_string_equal(json_string_value(json_object_get(r, "article")), "17");
    assert_non_null(json_string_value(json_object_get(r, "label")));
    assert_non_null(find_by(all, "id", "ILO-C87"));
    assert_non_null(find_by(all, "id", "UDHR-19"));
    size_t all_n = json_array_size(all);
    json_decref(all);
    /* --tag keeps exactly the rights with that tag */
    json_t *priv = run_json(ARGS("rights", "list", "--tag", "privacy", "--json"));
    assert_true(json_array_size(priv) >= 3 && json_array_size(priv) < all_n);
    size_t i;
    json_t *o;
    json_array_foreach(priv, i, o) {
        json_t *tags = json_object_get(o, "tags");
        int has = 0;
        for (size_t k = 0; k < json_array_size(tags); k++)
            if (strcmp(json_string_value(json_array_get(tags, k)), "privacy") == 0) has = 1;
        assert_true(has);
    }
    assert_non_null(find_by(priv, "id", "ICCPR-17"));
    assert_null(find_by(priv, "id", "ILO-C87"));
    json_decref(priv);
    run_result res;
    expect_run(&res, 0, ARGS("rights", "list", "--tag", "work"), NULL);
    assert_non_null(strstr(res.out, "ILO-C87"));
    assert_null(strstr(res.out, "ICCPR-17 "));
    run_result_free(&res);
    expect_run(&res, 0, ARGS("rights", "list"), NULL);
    assert_non_null(strstr(res.out, "UDHR-19"));
    assert_non_null(strstr(res.out, "[privacy]"));
    run_result_free(&res);
    expect_run(&res, 2, ARGS("rights", "list", "--tag", "bogus"), NULL);
    assert_non_null(strstr(res.err, "unknown tag 'bogus'"));
    assert_non_null(strstr(res.err, "political_participation"));
    run_result_free(&res);
    expect_run(&res, 2, ARGS("rights", "list", "extra"), NULL);
    run_result_free(&res);
}

/* ---- the password prompt on a terminal ---- */

/* Reads fd until text contains needle or timeout; returns 0 when found. */
static int read_until(int fd, char *buf, size_t cap, size_t *len, const char *needle, int timeout_ms)
{
    while (!strstr(buf, needle)) {
        struct pollfd pf = {fd, POLLIN, 0};
        if (poll(&pf, 1, timeout_ms) <= 0) return -1;
        ssize_t got = read(fd, buf + *len, cap - *len - 1);
        if (got <= 0) return -1;
        *len += (size_t)got;
        buf[*len] = '\0';
    }
    return 0;
}

/* Runs `user add` with a pty as stdin, typing first and second at the prompts.
 * Returns the exit status; *echo gets what the terminal showed (heap). */
static int prompt_run(fx *f, const char *email, const char *first, const char *second, char **echo, int expect)
{
    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    fcntl(master, F_SETFD, FD_CLOEXEC);
    fcntl(slave, F_SETFD, FD_CLOEXEC);
    int pe[2];
    assert_int_equal(pipe2(pe, O_CLOEXEC), 0);
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    pid_t pid = run_spawn_fds(ARGS("user", "add", "--db", f->db, "--email", email, "--role", "analyst"), NULL,
                              slave, devnull, pe[1]);
    assert_true(pid > 0);
    close(slave);
    close(devnull);
    close(pe[1]);
    char err[4096] = "";
    size_t elen = 0;
    assert_int_equal(read_until(pe[0], err, sizeof err, &elen, "Password: ", 20000), 0);
    assert_int_equal(write(master, first, strlen(first)), (ssize_t)strlen(first));
    assert_int_equal(write(master, "\n", 1), 1);
    assert_int_equal(read_until(pe[0], err, sizeof err, &elen, "Password (again): ", 20000), 0);
    assert_int_equal(write(master, second, strlen(second)), (ssize_t)strlen(second));
    assert_int_equal(write(master, "\n", 1), 1);
    (void)read_until(pe[0], err, sizeof err, &elen, "\x01never", 20000);   /* to EOF */
    int status = run_wait(pid);
    char shown[4096] = "";
    size_t slen = 0;
    (void)read_until(master, shown, sizeof shown, &slen, "\x01never", 200);
    close(master);
    close(pe[0]);
    *echo = strdup(shown);
    if (status != expect) fprintf(stderr, "# prompt run: exit %d: %s\n", status, err);
    return status;
}

static void test_password_prompt(void **state)
{
    fx *f = *state;
    init_db(f);
    char *echo = NULL;
    assert_int_equal(prompt_run(f, "tty@kestrel.example", "typed at a terminal", "typed at a terminal", &echo, 0), 0);
    assert_null(strstr(echo, "typed at a terminal"));     /* never echoed */
    free(echo);
    char *h = sql_text(f->db, "SELECT pw_hash FROM users WHERE email = ?", "tty@kestrel.example");
    assert_non_null(h);
    assert_int_equal(crypto_pwhash_str_verify(h, "typed at a terminal", 19), 0);
    free(h);
    /* the confirmation must match */
    assert_int_equal(prompt_run(f, "tty2@kestrel.example", "first attempt!", "second attempt", &echo, 2), 2);
    free(echo);
    char *n = sql_text(f->db, "SELECT count(*) FROM users WHERE email = ?", "tty2@kestrel.example");
    assert_string_equal(n, "0");
    free(n);
}

/* ---- PostgreSQL ---- */

/* A database of our own on the test server: URL with its path replaced. */
static int pg_url(const char *base, const char *dbname, char *out, size_t n)
{
    const char *scheme = strstr(base, "://");
    if (!scheme) return -1;
    const char *slash = strchr(scheme + 3, '/');
    const char *query = strchr(scheme + 3, '?');
    size_t head = slash ? (size_t)(slash - base) : (query ? (size_t)(query - base) : strlen(base));
    snprintf(out, n, "%.*s/%s%s", (int)head, base, dbname, query ? query : "");
    return 0;
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
    if (PQstatus(c) != CONNECTION_OK) fprintf(stderr, "# pg: %s", PQerrorMessage(c));
    assert_int_equal(PQstatus(c), CONNECTION_OK);
    PGresult *res = PQexec(c, sql);
    int okk = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK;
    if (!okk) fprintf(stderr, "# pg: %s: %s", sql, PQerrorMessage(c));
    PQclear(res);
    PQfinish(c);
    assert_true(okk);
}

static void test_postgresql(void **state)
{
    fx *f = *state;
    const char *base = getenv("HRDD_TEST_PG_URL");
    if (!base || !base[0]) {
        if (getenv("HRDD_REQUIRE_PG") && strcmp(getenv("HRDD_REQUIRE_PG"), "1") == 0)
            fail_msg("HRDD_REQUIRE_PG=1 but HRDD_TEST_PG_URL is not set");
        skip();
    }
    char url[1024];
    assert_int_equal(pg_url(base, "hrdd_cli_test", url, sizeof url), 0);
    pg_exec(base, "DROP DATABASE IF EXISTS hrdd_cli_test WITH (FORCE)");
    pg_exec(base, "CREATE DATABASE hrdd_cli_test");

    char secret[320];
    snprintf(secret, sizeof secret, "%s/pg.secret", f->dir);
    run_result r;
    /* PostgreSQL needs an explicit secret file */
    expect_run(&r, 2, ARGS("init", "--db", url, "--org", "Kestrel Social", "--org-slug", "kestrel",
                           "--admin-email", "admin@kestrel.example", "--admin-password-file", f->pw), NULL);
    assert_non_null(strstr(r.err, "--secret-file"));
    run_result_free(&r);
    char envsecret[400];
    snprintf(envsecret, sizeof envsecret, "HRDD_SECRET_FILE=%s", secret);
    expect_run(&r, 0, ARGS("init", "--db", url, "--org", "Kestrel Social", "--org-slug", "kestrel",
                           "--admin-email", "admin@kestrel.example", "--admin-password-file", f->pw),
               ENV(envsecret));
    assert_non_null(strstr(r.out, "PostgreSQL"));
    run_result_free(&r);
    struct stat sb;
    assert_int_equal(stat(secret, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    expect_run(&r, 1, ARGS("init", "--db", url, "--secret-file", secret, "--org", "Again", "--admin-email",
                           "x@y.example", "--admin-password-file", f->pw), NULL);
    run_result_free(&r);

    ok(ARGS("user", "add", "--db", url, "--email", "noor@kestrel.example", "--role", "case_handler",
            "--password-file", f->pw));
    ok(ARGS("org", "add", "--db", url, "--name", "Digital Trust Alliance", "--slug", "dta", "--kind", "sector_body",
            "--admin-email", "admin@kestrel.example"));
    ok(ARGS("user", "disable", "--db", url, "--email", "noor@kestrel.example"));
    ok(ARGS("user", "passwd", "--db", url, "--email", "noor@kestrel.example", "--password-file", f->pw));
    json_t *list = run_json(ARGS("user", "list", "--db", url, "--json"));
    assert_int_equal(json_array_size(list), 2);
    json_t *noor = find_by(list, "email", "noor@kestrel.example");
    assert_non_null(noor);
    assert_true(json_is_true(json_object_get(noor, "disabled")));
    json_t *admin = find_by(list, "email", "admin@kestrel.example");
    assert_int_equal(json_array_size(json_object_get(admin, "memberships")), 2);
    json_decref(list);

    expect_run(&r, 0, ARGS("audit", "verify", "--db", url), NULL);
    assert_non_null(strstr(r.out, "audit chain OK: "));
    run_result_free(&r);
    /* one-byte edit of entry 3 over a raw connection, triggers dropped first */
    pg_exec(url, "DROP TRIGGER audit_log_no_change ON audit_log");
    pg_exec(url, "UPDATE audit_log SET action = 'x' || substr(action, 2) WHERE seq = 3");
    expect_run(&r, 1, ARGS("audit", "verify", "--db", url), NULL);
    assert_non_null(strstr(r.out, "audit chain broken at entry 3\n"));
    run_result_free(&r);

    /* newer schema refused */
    char sql[128];
    snprintf(sql, sizeof sql, "INSERT INTO schema_version (version, applied_at) VALUES (%d, 0)",
             STORE_SCHEMA_VERSION + 1);
    pg_exec(url, sql);
    expect_run(&r, 1, ARGS("migrate", "--db", url), NULL);
    assert_non_null(strstr(r.err, "newer than this hrdd"));
    run_result_free(&r);

    pg_exec(base, "DROP DATABASE IF EXISTS hrdd_cli_test WITH (FORCE)");
}

int main(void)
{
    if (sodium_init() < 0) return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_help_every_command, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_usage_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_version, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_init_and_users, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_orgs_and_roles, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_mechanisms_and_sla, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_config_precedence, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_config_errors, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_audit_verify_tamper, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_migrate_and_newer_schema, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_serve_refusals, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_routes_json, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_rights_list, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_password_prompt, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_postgresql, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
