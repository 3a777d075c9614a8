/* store: the pool of connections and transactions, over either engine.
 *
 * store_open picks the driver from the URL (postgresql:// or postgres:// ->
 * libpq, anything else -> a SQLite path or file: URI) and opens pool_size
 * connections up front. store_acquire waits on a condition variable up to
 * busy_timeout_ms for a free slot (CORE_BUSY after that) and reconnects a
 * broken PostgreSQL connection (CORE_BUSY while that fails); store_release
 * rolls back whatever the caller left open. On SQLite store_begin is BEGIN
 * IMMEDIATE, so every transaction takes the write lock up front: that is what
 * serialises audit appends and avoids upgrade deadlocks.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_db.h"

static const sdb_sql q_begin = {Q_BEGIN, "begin", "BEGIN IMMEDIATE", "BEGIN"};
static const sdb_sql q_commit = {Q_COMMIT, "commit", "COMMIT", NULL};
static const sdb_sql q_rollback = {Q_ROLLBACK, "rollback", "ROLLBACK", NULL};

static int is_pg_url(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

int store_open(store **out, const store_options *opt)
{
    *out = NULL;
    if (!opt || !opt->url || !*opt->url)
        return CORE_INVALID;
    store *s = calloc(1, sizeof *s);
    if (!s)
        return CORE_NOMEM;
    s->engine = is_pg_url(opt->url) ? SDB_PG : SDB_SQLITE;
    s->drv = s->engine == SDB_PG ? &sdb_pg_driver : &sdb_sqlite_driver;
    s->url = strdup(opt->url);
    s->n = opt->pool_size > 0 ? opt->pool_size : 8;
    if (strcmp(opt->url, ":memory:") == 0)
        s->n = 1;                    /* each connection would see its own database */
    s->busy_ms = opt->busy_timeout_ms > 0 ? opt->busy_timeout_ms : 5000;
    s->observer = opt->observer;
    s->observer_ud = opt->observer_ud;
    s->conns = calloc((size_t)s->n, sizeof *s->conns);
    if (!s->url || !s->conns) {
        free(s->url);
        free(s->conns);
        free(s);
        return CORE_NOMEM;
    }
    pthread_mutex_init(&s->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&s->cv, &ca);
    pthread_condattr_destroy(&ca);
    for (int i = 0; i < s->n; i++) {
        store_conn *c = &s->conns[i];
        c->s = s;
        c->drv = s->drv;
        c->engine = s->engine;
        int rc = s->drv->open(c, s->url, s->busy_ms);
        if (rc != CORE_OK) {
            store_close(s);
            return rc;
        }
    }
    *out = s;
    return CORE_OK;
}

void store_close(store *s)
{
    if (!s)
        return;
    for (int i = 0; i < s->n; i++)
        if (s->conns[i].h)
            s->drv->close(&s->conns[i]);
    pthread_cond_destroy(&s->cv);
    pthread_mutex_destroy(&s->mu);
    free(s->conns);
    free(s->url);
    free(s);
}

const char *store_errmsg(const store_conn *c)
{
    return c && c->err[0] ? c->err : "";
}

static _Thread_local const char *busy_cause;

void sdb_busy_cause(const char *cause)
{
    if (!busy_cause)
        busy_cause = cause;
}

const char *store_busy_cause_take(void)
{
    const char *c = busy_cause;
    busy_cause = NULL;
    return c;
}

void store_busy_cause_reset(void)
{
    busy_cause = NULL;
}

const char *store_engine(const store *s)
{
    return s->engine == SDB_PG ? "postgresql" : "sqlite";
}

int store_acquire(store *s, store_conn **out)
{
    struct timespec deadline;
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += s->busy_ms / 1000;
    deadline.tv_nsec += (long)(s->busy_ms % 1000) * 1000000L;
    if (deadline.tv_nsec >= 1000000000L) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000L;
    }
    store_conn *c = NULL;
    pthread_mutex_lock(&s->mu);
    for (;;) {
        for (int i = 0; i < s->n; i++) {
            if (!s->conns[i].in_use) {
                c = &s->conns[i];
                c->in_use = 1;
                break;
            }
        }
        if (c)
            break;
        if (pthread_cond_timedwait(&s->cv, &s->mu, &deadline) == ETIMEDOUT) {
            /* one last look: a release may have raced the timeout */
            for (int i = 0; i < s->n && !c; i++)
                if (!s->conns[i].in_use) {
                    c = &s->conns[i];
                    c->in_use = 1;
                }
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    if (!c) {
        sdb_busy_cause("storage: no free connection");
        return CORE_BUSY;
    }
    if (s->drv->check(c) != CORE_OK) {
        store_release(s, c);
        sdb_busy_cause("storage: connection lost");
        return CORE_BUSY;            /* the database is unreachable for now */
    }
    *out = c;
    return CORE_OK;
}

void store_release(store *s, store_conn *c)
{
    if (!c)
        return;
    if (c->in_tx)
        store_rollback(c);
    pthread_mutex_lock(&s->mu);
    c->in_use = 0;
    pthread_cond_signal(&s->cv);
    pthread_mutex_unlock(&s->mu);
}

static int tx_stmt(store_conn *c, const sdb_sql *q)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    return sdb_run(st, 0);
}

int store_begin(store_conn *c)
{
    if (c->in_tx)
        return CORE_INVALID;
    int rc = tx_stmt(c, &q_begin);
    if (rc == CORE_OK)
        c->in_tx = 1;
    return rc;
}

int store_commit(store_conn *c)
{
    if (!c->in_tx)
        return CORE_INVALID;
    /* PostgreSQL turns COMMIT of a failed transaction into a silent ROLLBACK */
    if (c->engine == SDB_PG && PQtransactionStatus(c->h) == PQTRANS_INERROR) {
        tx_stmt(c, &q_rollback);
        c->in_tx = 0;
        return CORE_ERR;
    }
    int rc = tx_stmt(c, &q_commit);
    if (rc == CORE_OK) {
        c->in_tx = 0;
    } else {
        /* a failed COMMIT leaves SQLite's transaction open (busy) and PG's
         * aborted; either way the caller's work is gone */
        tx_stmt(c, &q_rollback);
        c->in_tx = 0;
    }
    return rc;
}

int store_rollback(store_conn *c)
{
    if (!c->in_tx)
        return CORE_OK;
    int rc = tx_stmt(c, &q_rollback);
    c->in_tx = 0;
    return rc;
}
