/* test_engines.h: the two-engine harness shared by the store and remedy
 * suites. Every test runs first against SQLite, then against PostgreSQL when
 * HRDD_TEST_PG_URL is set, in a database of the suite's own on that server
 * (so suites sharing the server in parallel never disturb each other's
 * per-test schema reset); HRDD_REQUIRE_PG=1 without a URL is a failure.
 * A test's initial state is the te_engine it runs against. */
#ifndef HRDD_TEST_ENGINES_H
#define HRDD_TEST_ENGINES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

typedef struct te_engine {
    int pg;
    const char *url;                 /* PG url (NULL for SQLite) */
} te_engine;

typedef struct te_def {
    const char *name;
    CMUnitTestFunction fn;
    CMFixtureFunction setup;         /* NULL: the suite's default setup */
} te_def;

/* Runs sql over a raw connection (sqlite3 file path or libpq url), for
 * set-up and tampering only; with n, the first column of the first row goes
 * to *n. 0 or -1. */
int te_raw_run(int pg, const char *url, const char *sql, int64_t *n);

/* Gives a test a fresh database on engine e: for PostgreSQL url is e's url
 * with the public schema recreated; for SQLite dir is a new directory
 * /tmp/hrdd-<name>-XXXXXX and url <dir>/test.db. Fails the test otherwise. */
void te_db_fresh(const te_engine *e, const char *name, char dir[64], char url[512]);
/* Removes what te_db_fresh made for SQLite (the file, its -wal and -shm,
 * the directory); nothing for PostgreSQL. */
void te_db_remove(int pg, const char *dir, const char *url);

/* Runs defs on both engines as cmocka group `suite`; the private PostgreSQL
 * database is named <db_prefix>_<pid>_<time> and dropped at the end. Returns
 * the number of failed tests. */
int te_run(const char *suite, const char *db_prefix, const te_def *defs, size_t nd,
           CMFixtureFunction setup, CMFixtureFunction teardown);

#endif
