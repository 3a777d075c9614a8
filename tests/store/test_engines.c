/* test_engines: the two-engine harness of the store and remedy suites
 * (test_engines.h): raw connections for set-up and tampering, a private
 * PostgreSQL database per run, and the SQLite-then-PostgreSQL test table.
 */
#include "test_engines.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

int te_raw_run(int pg, const char *url, const char *sql, int64_t *n)
{
    if (pg) {
        PGconn *pc = PQconnectdb(url);
        if (PQstatus(pc) != CONNECTION_OK) {
            fprintf(stderr, "raw: %s", PQerrorMessage(pc));
            PQfinish(pc);
            return -1;
        }
        PQsetNoticeProcessor(pc, quiet, NULL);
        PGresult *r = PQexec(pc, sql);
        int st = PQresultStatus(r);
        int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
        if (ok && n && st == PGRES_TUPLES_OK && PQntuples(r) > 0)
            *n = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
        PQclear(r);
        PQfinish(pc);
        return ok ? 0 : -1;
    }
    sqlite3 *db;
    if (sqlite3_open(url, &db) != SQLITE_OK) {
        sqlite3_close(db);
        return -1;
    }
    sqlite3_busy_timeout(db, 5000);
    int rc;
    if (n) {
        sqlite3_stmt *st;
        rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
        if (rc == SQLITE_OK) {
            rc = sqlite3_step(st);
            if (rc == SQLITE_ROW)
                *n = sqlite3_column_int64(st, 0);
            rc = (rc == SQLITE_ROW || rc == SQLITE_DONE) ? SQLITE_OK : rc;
            sqlite3_finalize(st);
        }
    } else {
        rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    }
    sqlite3_close(db);
    return rc == SQLITE_OK ? 0 : -1;
}

void te_db_fresh(const te_engine *e, const char *name, char dir[64], char url[512])
{
    if (e->pg) {
        snprintf(url, 512, "%s", e->url);
        const char *reset = "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public";
        assert_int_equal(te_raw_run(1, url, reset, NULL), 0);
        return;
    }
    snprintf(dir, 64, "/tmp/hrdd-%s-XXXXXX", name);
    assert_non_null(mkdtemp(dir));
    snprintf(url, 512, "%s/test.db", dir);
}

void te_db_remove(int pg, const char *dir, const char *url)
{
    if (pg)
        return;
    char p[600];
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        snprintf(p, sizeof p, "%s%s", url, sfx[i]);
        unlink(p);
    }
    rmdir(dir);
}

/* A database of our own on the server url points at. Falls back to the given
 * database if we may not create one. */
static char pg_db[64];
static char pg_url[512];

static const char *pg_private_url(const char *url, const char *db_prefix)
{
    snprintf(pg_db, sizeof pg_db, "%s_%ld_%ld", db_prefix, (long)getpid(), (long)time(NULL));
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    const char *scheme = strstr(url, "://");
    if (!scheme || te_raw_run(1, url, sql, NULL) != 0) {
        pg_db[0] = '\0';
        return url;
    }
    const char *host = scheme + 3;
    const char *slash = strchr(host, '/');
    const char *query = strchr(host, '?');
    if (query && slash && query < slash)
        slash = NULL;
    size_t prefix = slash ? (size_t)(slash - url) : (query ? (size_t)(query - url) : strlen(url));
    snprintf(pg_url, sizeof pg_url, "%.*s/%s%s", (int)prefix, url, pg_db, query ? query : "");
    return pg_url;
}

static void pg_private_drop(const char *suite, const char *url)
{
    if (!pg_db[0])
        return;
    char sql[160];
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
    if (te_raw_run(1, url, sql, NULL) != 0)
        fprintf(stderr, "test_%s: could not drop database %s\n", suite, pg_db);
}

static void t_pg_required(void **state)
{
    (void)state;
    fail_msg("HRDD_REQUIRE_PG=1 but HRDD_TEST_PG_URL is not set");
}

enum { NAME_MAX_LEN = 80 };

int te_run(const char *suite, const char *db_prefix, const te_def *defs, size_t nd,
           CMFixtureFunction setup, CMFixtureFunction teardown)
{
    static te_engine eng_sqlite = {0, NULL};
    static te_engine eng_pg = {1, NULL};
    struct CMUnitTest *tests = calloc(2 * nd + 1, sizeof *tests);
    char (*names)[NAME_MAX_LEN] = calloc(2 * nd + 1, sizeof *names);
    if (!tests || !names) {
        free(tests);
        free(names);
        return 1;
    }
    size_t n = 0;
    const char *pg = getenv("HRDD_TEST_PG_URL");
    const char *req = getenv("HRDD_REQUIRE_PG");
    eng_pg.url = pg && *pg ? pg_private_url(pg, db_prefix) : NULL;
    for (int e = 0; e < 2; e++) {
        te_engine *en = e ? &eng_pg : &eng_sqlite;
        if (e && !en->url)
            break;
        for (size_t i = 0; i < nd; i++) {
            snprintf(names[n], sizeof names[n], "%s: %s", e ? "postgresql" : "sqlite",
                     defs[i].name);
            tests[n] = (struct CMUnitTest){.name = names[n], .test_func = defs[i].fn,
                                           .setup_func = defs[i].setup ? defs[i].setup : setup,
                                           .teardown_func = teardown, .initial_state = en};
            n++;
        }
    }
    if (!eng_pg.url && req && strcmp(req, "1") == 0)
        tests[n++] = (struct CMUnitTest){.name = "postgresql: required",
                                         .test_func = t_pg_required};
    int failed = _cmocka_run_group_tests(suite, tests, n, NULL, NULL);
    if (eng_pg.url)
        pg_private_drop(suite, pg);
    free(names);
    free(tests);
    return failed;
}
