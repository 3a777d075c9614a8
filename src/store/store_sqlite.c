/* store_sqlite: the SQLite driver of the statement layer.
 *
 * One sqlite3 handle per pool slot, opened with SQLITE_OPEN_NOMUTEX: the pool
 * guarantees that only one thread uses a connection at a time. WAL journal,
 * foreign keys on, synchronous=NORMAL, busy timeout from the options.
 * Lock timeouts, a full disk and I/O errors are CORE_BUSY ("try again": the
 * server answers 503 with Retry-After); SQLite rolls such a transaction back.
 * Statements are prepared once per connection with SQLITE_PREPARE_PERSISTENT
 * and reset after each use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "store/store_db.h"

typedef struct sl_stmt {
    sdb_stmt base;
    sqlite3_stmt *st;
} sl_stmt;

static int map_err(int rc)
{
    switch (rc & 0xff) {
    case SQLITE_OK:
        return CORE_OK;
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_PROTOCOL:
        sdb_busy_cause("storage: database is locked");
        return CORE_BUSY;
    /* the disk is full, a write failed (EFBIG past a file-size limit, EIO)
     * or a file could not be opened: nothing was stored, and the same
     * request may succeed once the operator has made room */
    case SQLITE_FULL:
        sdb_busy_cause("storage: disk full");
        return CORE_BUSY;
    case SQLITE_IOERR:
        sdb_busy_cause("storage: write failed");
        return CORE_BUSY;
    case SQLITE_CANTOPEN:
        sdb_busy_cause("storage: cannot open the database");
        return CORE_BUSY;
    case SQLITE_NOMEM:
        return CORE_NOMEM;
    case SQLITE_CONSTRAINT:
        switch (rc) {
        case SQLITE_CONSTRAINT_UNIQUE:
        case SQLITE_CONSTRAINT_PRIMARYKEY:
            return CORE_CONFLICT;
        case SQLITE_CONSTRAINT_TRIGGER:
            return CORE_DENIED;
        default:
            return CORE_INVALID;   /* foreign key, check, not null */
        }
    default:
        return CORE_ERR;
    }
}

static int note(store_conn *c, const char *what, int rc)
{
    snprintf(c->err, sizeof c->err, "%s: %s", what, sqlite3_errmsg(c->h));
    int e = map_err(rc);
    return e == CORE_OK ? CORE_ERR : e;
}

static int sl_exec(store_conn *c, const char *sql)
{
    int rc = sqlite3_exec(c->h, sql, NULL, NULL, NULL);
    return rc == SQLITE_OK ? CORE_OK : note(c, "exec", rc);
}

static int sl_open(store_conn *c, const char *url, int busy_ms)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(url, &db, flags, NULL);
    if (rc != SQLITE_OK) {
        fprintf(stderr, "store: sqlite: %s: %s\n", url, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return CORE_ERR;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, busy_ms);
    c->h = db;
    rc = sl_exec(c, "PRAGMA journal_mode=WAL; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL;");
    if (rc != CORE_OK) {
        fprintf(stderr, "store: sqlite: %s: %s\n", url, c->err);
        sqlite3_close(db);
        c->h = NULL;
    }
    return rc;
}

static void sl_close(store_conn *c)
{
    for (int i = 0; i < Q__COUNT; i++) {
        sl_stmt *s = (sl_stmt *)c->stmts[i];
        if (s) {
            sqlite3_finalize(s->st);
            free(s);
            c->stmts[i] = NULL;
        }
    }
    sqlite3_close(c->h);
    c->h = NULL;
}

static int sl_check(store_conn *c)
{
    return c->h ? CORE_OK : CORE_ERR;
}

static int sl_prepare(store_conn *c, const sdb_sql *q, sdb_stmt **out)
{
    sl_stmt *s = (sl_stmt *)c->stmts[q->id];
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s)
            return CORE_NOMEM;
        int rc = sqlite3_prepare_v3(c->h, q->sql, -1, SQLITE_PREPARE_PERSISTENT, &s->st, NULL);
        if (rc != SQLITE_OK) {
            free(s);
            return note(c, q->name, rc);
        }
        s->base.c = c;
        s->base.q = q;
        c->stmts[q->id] = &s->base;
    }
    *out = &s->base;
    return CORE_OK;
}

static int sl_bind_text(sdb_stmt *st, int i, const char *v)
{
    return map_err(sqlite3_bind_text(((sl_stmt *)st)->st, i, v, -1, SQLITE_STATIC));
}

static int sl_bind_int64(sdb_stmt *st, int i, int64_t v)
{
    return map_err(sqlite3_bind_int64(((sl_stmt *)st)->st, i, v));
}

static int sl_bind_null(sdb_stmt *st, int i)
{
    return map_err(sqlite3_bind_null(((sl_stmt *)st)->st, i));
}

static int sl_bind_double(sdb_stmt *st, int i, double v)
{
    return map_err(sqlite3_bind_double(((sl_stmt *)st)->st, i, v));
}

static int sl_step(sdb_stmt *st)
{
    int rc = sqlite3_step(((sl_stmt *)st)->st);
    if (rc == SQLITE_ROW)
        return SDB_ROW;
    if (rc == SQLITE_DONE)
        return SDB_DONE;
    return note(st->c, st->q->name, rc);
}

static const char *sl_col_text(sdb_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(((sl_stmt *)st)->st, i);
}

static int64_t sl_col_int64(sdb_stmt *st, int i)
{
    return sqlite3_column_int64(((sl_stmt *)st)->st, i);
}

static double sl_col_double(sdb_stmt *st, int i)
{
    return sqlite3_column_double(((sl_stmt *)st)->st, i);
}

static int sl_col_null(sdb_stmt *st, int i)
{
    return sqlite3_column_type(((sl_stmt *)st)->st, i) == SQLITE_NULL;
}

static int64_t sl_changes(sdb_stmt *st)
{
    return sqlite3_changes64(st->c->h);
}

static void sl_finish(sdb_stmt *st)
{
    sqlite3_reset(((sl_stmt *)st)->st);
    sqlite3_clear_bindings(((sl_stmt *)st)->st);
}

const sdb_driver sdb_sqlite_driver = {
    .name = "sqlite",
    .open = sl_open,
    .close = sl_close,
    .check = sl_check,
    .exec = sl_exec,
    .prepare = sl_prepare,
    .bind_text = sl_bind_text,
    .bind_int64 = sl_bind_int64,
    .bind_null = sl_bind_null,
    .bind_double = sl_bind_double,
    .step = sl_step,
    .col_text = sl_col_text,
    .col_int64 = sl_col_int64,
    .col_null = sl_col_null,
    .col_double = sl_col_double,
    .changes = sl_changes,
    .finish = sl_finish,
};
