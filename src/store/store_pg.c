/* store_pg: the PostgreSQL (libpq) driver of the statement layer.
 *
 * Each pool slot holds one PGconn. A statement is PQprepare'd once per
 * connection under the name "hrdd_q<id>" (after `?` -> $n rewriting) and run
 * with PQexecPrepared in text format; the whole result is kept and stepped
 * through row by row. A connection found broken on acquire is PQreset and its
 * prepared statements are marked for re-preparation. SQLSTATE classes map to
 * core status codes (23505 unique -> CORE_CONFLICT, lock/serialization,
 * a lost connection, shutdown and insufficient resources -> CORE_BUSY, which
 * the server answers with 503 and Retry-After). A read or BEGIN that finds
 * the connection lost reconnects and runs again; any other write does not.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store/store_db.h"

typedef struct pg_stmt {
    sdb_stmt base;
    int prepared;
    int nparams;
    const char *vals[SDB_MAX_PARAMS];
    char num[SDB_MAX_PARAMS][32];      /* an int64, or a double as %.17g */
    PGresult *res;
    int row;                         /* next row to return */
    int nrows;
    int executed;
} pg_stmt;

static int lost(PGconn *pc)
{
    if (PQstatus(pc) == CONNECTION_OK)
        return CORE_ERR;
    sdb_busy_cause("storage: connection lost");
    return CORE_BUSY;
}

static int map_result(PGconn *pc, PGresult *res)
{
    /* No result or no SQLSTATE on a dead connection: the server went away
     * (restart, crash, network). Try again: the pool reconnects. */
    if (!res)
        return lost(pc);
    ExecStatusType st = PQresultStatus(res);
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        return CORE_OK;
    const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (!state)
        return lost(pc);
    /* 08: connection exception; 57P01-57P03: shutdown, crash, starting up;
     * 53: insufficient resources (disk full, out of memory, too many
     * connections) */
    if (strncmp(state, "08", 2) == 0 || strncmp(state, "57P0", 4) == 0) {
        sdb_busy_cause("storage: connection lost");
        return CORE_BUSY;
    }
    if (strncmp(state, "53", 2) == 0) {
        sdb_busy_cause(strcmp(state, "53100") == 0 ? "storage: disk full" : "storage: insufficient resources");
        return CORE_BUSY;
    }
    if (strcmp(state, "23505") == 0)
        return CORE_CONFLICT;
    if (strcmp(state, "23503") == 0 || strcmp(state, "23502") == 0 || strcmp(state, "23514") == 0 ||
        strcmp(state, "22P02") == 0 || strcmp(state, "22003") == 0)
        return CORE_INVALID;
    if (strcmp(state, "40001") == 0 || strcmp(state, "40P01") == 0 || strcmp(state, "55P03") == 0 ||
        strcmp(state, "57014") == 0) {
        sdb_busy_cause(state[0] == '4' ? "storage: transaction conflict" : "storage: database is locked");
        return CORE_BUSY;
    }
    if (strcmp(state, "P0001") == 0)   /* RAISE EXCEPTION: append-only trigger */
        return CORE_DENIED;
    return CORE_ERR;
}

/* Keeps the SQLSTATE and the primary message only: DETAIL lines can quote
 * row values, which must not end up in logs. */
static void note(store_conn *c, const char *what, PGresult *res)
{
    const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
    const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
    if (!msg) {
        msg = PQerrorMessage(c->h);
    }
    snprintf(c->err, sizeof c->err, "%s: %s%s%s", what, state ? state : "", state ? " " : "",
             msg ? msg : "unknown error");
    size_t n = strlen(c->err);
    while (n && (c->err[n - 1] == '\n' || c->err[n - 1] == '\r'))
        c->err[--n] = '\0';
}

static void quiet_notices(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_exec(store_conn *c, const char *sql)
{
    PGresult *res = PQexec(c->h, sql);
    int rc = map_result(c->h, res);
    if (rc != CORE_OK)
        note(c, "exec", res);
    PQclear(res);
    return rc;
}

static int pg_open(store_conn *c, const char *url, int busy_ms)
{
    PGconn *pc = PQconnectdb(url);
    if (!pc || PQstatus(pc) != CONNECTION_OK) {
        if (pc) {
            fprintf(stderr, "store: postgresql: %s", PQerrorMessage(pc));
            PQfinish(pc);
        }
        return CORE_ERR;
    }
    PQsetNoticeProcessor(pc, quiet_notices, NULL);
    c->h = pc;
    char sql[128];
    snprintf(sql, sizeof sql,
             "SET lock_timeout = %d; SET client_min_messages = warning; SET extra_float_digits = 3",
             busy_ms);
    int rc = pg_exec(c, sql);
    if (rc != CORE_OK) {
        PQfinish(pc);
        c->h = NULL;
    }
    return rc;
}

static void pg_close(store_conn *c)
{
    for (int i = 0; i < Q__COUNT; i++) {
        pg_stmt *s = (pg_stmt *)c->stmts[i];
        if (s) {
            PQclear(s->res);
            free(s);
            c->stmts[i] = NULL;
        }
    }
    PQfinish(c->h);
    c->h = NULL;
}

static int pg_check(store_conn *c)
{
    if (PQstatus(c->h) == CONNECTION_OK)
        return CORE_OK;
    PQreset(c->h);
    /* a new session: nothing is prepared there any more */
    for (int i = 0; i < Q__COUNT; i++) {
        pg_stmt *s = (pg_stmt *)c->stmts[i];
        if (s)
            s->prepared = 0;
    }
    if (PQstatus(c->h) != CONNECTION_OK)
        return CORE_ERR;
    PQsetNoticeProcessor(c->h, quiet_notices, NULL);
    char sql[128];
    snprintf(sql, sizeof sql,
             "SET lock_timeout = %d; SET client_min_messages = warning; SET extra_float_digits = 3",
             c->s->busy_ms);
    return pg_exec(c, sql);
}

static int ensure_prepared(store_conn *c, pg_stmt *s)
{
    if (s->prepared)
        return CORE_OK;
    const sdb_sql *q = s->base.q;
    int n = 0;
    char *sql = sdb_pg_rewrite(q->pg_sql ? q->pg_sql : q->sql, &n);
    if (!sql)
        return CORE_NOMEM;
    if (n > SDB_MAX_PARAMS) {
        free(sql);
        return CORE_ERR;
    }
    char name[32];
    snprintf(name, sizeof name, "hrdd_q%d", q->id);
    PGresult *res = PQprepare(c->h, name, sql, n, NULL);
    free(sql);
    int rc = map_result(c->h, res);
    if (rc != CORE_OK)
        note(c, q->name, res);
    PQclear(res);
    if (rc != CORE_OK)
        return rc;
    s->prepared = 1;
    s->nparams = n;
    return CORE_OK;
}

/* The connection died (server restart, idle kill) outside a transaction:
 * reconnect now rather than fail this request. */
static int lost_and_reset(store_conn *c)
{
    return PQstatus(c->h) != CONNECTION_OK && !c->in_tx && pg_check(c) == CORE_OK;
}

static int pg_prepare(store_conn *c, const sdb_sql *q, sdb_stmt **out)
{
    pg_stmt *s = (pg_stmt *)c->stmts[q->id];
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return CORE_NOMEM;
        s->base.c = c;
        s->base.q = q;
        c->stmts[q->id] = &s->base;
    }
    int rc = ensure_prepared(c, s);
    if (rc != CORE_OK && lost_and_reset(c))
        rc = ensure_prepared(c, s);     /* nothing ran yet: always safe to retry */
    if (rc != CORE_OK)
        return rc;
    for (int i = 0; i < SDB_MAX_PARAMS; i++)
        s->vals[i] = NULL;
    s->executed = 0;
    *out = &s->base;
    return CORE_OK;
}

static int pg_bind_text(sdb_stmt *st, int i, const char *v)
{
    pg_stmt *s = (pg_stmt *)st;
    if (i < 1 || i > s->nparams)
        return CORE_ERR;
    s->vals[i - 1] = v;
    return CORE_OK;
}

static int pg_bind_int64(sdb_stmt *st, int i, int64_t v)
{
    pg_stmt *s = (pg_stmt *)st;
    if (i < 1 || i > s->nparams)
        return CORE_ERR;
    snprintf(s->num[i - 1], sizeof s->num[i - 1], "%" PRId64, v);
    s->vals[i - 1] = s->num[i - 1];
    return CORE_OK;
}

/* %.17g round-trips every finite double; float8in parses it exactly. */
static int pg_bind_double(sdb_stmt *st, int i, double v)
{
    pg_stmt *s = (pg_stmt *)st;
    if (i < 1 || i > s->nparams)
        return CORE_ERR;
    snprintf(s->num[i - 1], sizeof s->num[i - 1], "%.17g", v);
    s->vals[i - 1] = s->num[i - 1];
    return CORE_OK;
}

static int pg_bind_null(sdb_stmt *st, int i)
{
    pg_stmt *s = (pg_stmt *)st;
    if (i < 1 || i > s->nparams)
        return CORE_ERR;
    s->vals[i - 1] = NULL;
    return CORE_OK;
}

static int pg_step(sdb_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    if (!s->executed) {
        char name[32];
        snprintf(name, sizeof name, "hrdd_q%d", st->q->id);
        PQclear(s->res);
        s->res = PQexecPrepared(st->c->h, name, s->nparams, s->vals, NULL, NULL, 0);
        s->executed = 1;
        int rc = map_result(st->c->h, s->res);
        /* A read or a BEGIN may be retried on a fresh connection; a write
         * may not (it could have committed before the connection went
         * away). A BEGIN is the first statement of a transaction, so it is
         * not inside one yet. */
        const char *sql = st->q->pg_sql ? st->q->pg_sql : st->q->sql;
        int again = strncmp(sql, "SELECT", 6) == 0 || st->q->id == Q_BEGIN;
        if (rc != CORE_OK && again && lost_and_reset(st->c) && ensure_prepared(st->c, s) == CORE_OK) {
            PQclear(s->res);
            s->res = PQexecPrepared(st->c->h, name, s->nparams, s->vals, NULL, NULL, 0);
            rc = map_result(st->c->h, s->res);
        }
        if (rc != CORE_OK) {
            note(st->c, st->q->name, s->res);
            PQclear(s->res);
            s->res = NULL;
            return rc;
        }
        s->row = -1;
        s->nrows = PQntuples(s->res);
    }
    if (!s->res)
        return CORE_ERR;
    if (s->row + 1 < s->nrows) {
        s->row++;
        return SDB_ROW;
    }
    s->row = s->nrows;
    return SDB_DONE;
}

static const char *pg_col_text(sdb_stmt *st, int i)
{
    pg_stmt *s = (pg_stmt *)st;
    if (!s->res || s->row < 0 || s->row >= s->nrows || PQgetisnull(s->res, s->row, i))
        return NULL;
    return PQgetvalue(s->res, s->row, i);
}

static int64_t pg_col_int64(sdb_stmt *st, int i)
{
    const char *v = pg_col_text(st, i);
    if (!v)
        return 0;
    return strtoll(v, NULL, 10);
}

/* float8out (extra_float_digits >= 1, the default since PostgreSQL 12)
 * prints the shortest text that reads back as the same double. */
static double pg_col_double(sdb_stmt *st, int i)
{
    const char *v = pg_col_text(st, i);
    return v ? strtod(v, NULL) : 0.0;
}

static int pg_col_null(sdb_stmt *st, int i)
{
    return pg_col_text(st, i) == NULL;
}

static int64_t pg_changes(sdb_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    if (!s->res)
        return 0;
    const char *t = PQcmdTuples(s->res);
    return t && *t ? strtoll(t, NULL, 10) : 0;
}

static void pg_finish(sdb_stmt *st)
{
    pg_stmt *s = (pg_stmt *)st;
    PQclear(s->res);
    s->res = NULL;
    s->executed = 0;
    for (int i = 0; i < SDB_MAX_PARAMS; i++)
        s->vals[i] = NULL;
}

const sdb_driver sdb_pg_driver = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .check = pg_check,
    .exec = pg_exec,
    .prepare = pg_prepare,
    .bind_text = pg_bind_text,
    .bind_int64 = pg_bind_int64,
    .bind_null = pg_bind_null,
    .bind_double = pg_bind_double,
    .step = pg_step,
    .col_text = pg_col_text,
    .col_int64 = pg_col_int64,
    .col_null = pg_col_null,
    .col_double = pg_col_double,
    .changes = pg_changes,
    .finish = pg_finish,
};
