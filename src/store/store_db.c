/* store_db: engine-neutral wrappers over the driver table (store_db.h).
 *
 * Adds what every statement needs whatever the engine: a sticky bind error so
 * repositories can bind without checking each call, the elapsed time reported
 * to the observer when the statement is finished, and arena copies of text
 * columns.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_db.h"

static double elapsed(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int64_t sdb_now(void)
{
    return (int64_t)time(NULL);
}

int sdb_prep(store_conn *c, const sdb_sql *q, sdb_stmt **out)
{
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int rc = c->drv->prepare(c, q, out);
    if (rc != CORE_OK)
        return rc;
    (*out)->t0 = t0;
    (*out)->err = CORE_OK;
    return CORE_OK;
}

void sdb_text(sdb_stmt *st, int i, const char *v)
{
    int rc = v ? st->c->drv->bind_text(st, i, v) : st->c->drv->bind_null(st, i);
    if (rc != CORE_OK && st->err == CORE_OK)
        st->err = rc;
}

void sdb_int(sdb_stmt *st, int i, int64_t v)
{
    int rc = st->c->drv->bind_int64(st, i, v);
    if (rc != CORE_OK && st->err == CORE_OK)
        st->err = rc;
}

void sdb_id_or_null(sdb_stmt *st, int i, int64_t v)
{
    int rc = v ? st->c->drv->bind_int64(st, i, v) : st->c->drv->bind_null(st, i);
    if (rc != CORE_OK && st->err == CORE_OK)
        st->err = rc;
}

void sdb_double(sdb_stmt *st, int i, double v)
{
    int rc = st->c->drv->bind_double(st, i, v);
    if (rc != CORE_OK && st->err == CORE_OK)
        st->err = rc;
}

int sdb_step(sdb_stmt *st)
{
    if (st->err != CORE_OK)
        return st->err;
    return st->c->drv->step(st);
}

const char *sdb_col_text(sdb_stmt *st, int i)
{
    return st->c->drv->col_text(st, i);
}

char *sdb_col_dup(sdb_stmt *st, core_arena *a, int i)
{
    const char *v = st->c->drv->col_text(st, i);
    return v ? core_arena_strdup(a, v) : NULL;
}

int64_t sdb_col_int(sdb_stmt *st, int i)
{
    return st->c->drv->col_int64(st, i);
}

double sdb_col_double(sdb_stmt *st, int i)
{
    return st->c->drv->col_double(st, i);
}

int sdb_col_null(sdb_stmt *st, int i)
{
    return st->c->drv->col_null(st, i);
}

int64_t sdb_changes(sdb_stmt *st)
{
    return st->c->drv->changes(st);
}

void sdb_finish(sdb_stmt *st)
{
    store *s = st->c->s;
    st->c->drv->finish(st);
    if (s->observer)
        s->observer(s->observer_ud, st->q->name, elapsed(&st->t0));
}

int sdb_run(sdb_stmt *st, int want_row_change)
{
    int rc = sdb_step(st);
    if (rc == SDB_ROW || rc == SDB_DONE)
        rc = CORE_OK;
    if (rc == CORE_OK && want_row_change && sdb_changes(st) == 0)
        rc = CORE_NOTFOUND;
    sdb_finish(st);
    return rc;
}

void *sdb_grow(core_arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap)
        return arr;
    size_t ncap = *cap ? *cap * 2 : 8;
    if (ncap > SIZE_MAX / elem)
        return NULL;
    void *p = core_arena_alloc(a, ncap * elem);
    if (!p)
        return NULL;
    if (arr && n)
        memcpy(p, arr, n * elem);
    *cap = ncap;
    return p;
}

int sdb_fetch_one(sdb_stmt *st, core_arena *a, sdb_reader read, void *row)
{
    int rc = sdb_step(st);
    if (rc == SDB_ROW)
        rc = read(st, a, row);
    else if (rc == SDB_DONE)
        rc = CORE_NOTFOUND;
    sdb_finish(st);
    return rc;
}

int sdb_fetch_all(sdb_stmt *st, core_arena *a, sdb_reader read, size_t elem, void **out, size_t *n)
{
    size_t cap = 0, count = 0;
    char *arr = NULL;
    int rc;
    *out = NULL;
    *n = 0;
    while ((rc = sdb_step(st)) == SDB_ROW) {
        char *g = sdb_grow(a, arr, count, &cap, elem);
        if (!g) {
            rc = CORE_NOMEM;
            break;
        }
        arr = g;
        if ((rc = read(st, a, arr + count * elem)) != CORE_OK)
            break;
        count++;
    }
    sdb_finish(st);
    if (rc != SDB_DONE)
        return rc;
    *out = arr;
    *n = count;
    return CORE_OK;
}

int sdb_fetch_one_by(store_conn *c, const sdb_sql *q, int64_t p1, int64_t p2, core_arena *a,
                     sdb_reader read, void *row)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, p1);
    sdb_int(st, 2, p2);
    return sdb_fetch_one(st, a, read, row);
}

int sdb_read_id(sdb_stmt *st, core_arena *a, void *row)
{
    (void)a;
    *(int64_t *)row = sdb_col_int(st, 0);
    return CORE_OK;
}

int sdb_fetch_all_by(store_conn *c, const sdb_sql *q, int64_t p1, int64_t p2, core_arena *a,
                     sdb_reader read, size_t elem, void **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, p1);
    sdb_int(st, 2, p2);
    return sdb_fetch_all(st, a, read, elem, out, n);
}

int sdb_fetch_int(sdb_stmt *st, int64_t *v, int if_none)
{
    int rc = sdb_step(st);
    if (rc == SDB_ROW) {
        *v = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = if_none;
    }
    sdb_finish(st);
    return rc;
}

char *sdb_pg_rewrite(const char *sql, int *nparams)
{
    size_t len = strlen(sql), qs = 0;
    for (size_t i = 0; i < len; i++)
        if (sql[i] == '?')
            qs++;
    char *out = malloc(len + qs * 4 + 1);   /* "?" -> "$nn" (at most 99 params) */
    if (!out)
        return NULL;
    size_t o = 0;
    int n = 0;
    char quote = 0;
    for (size_t i = 0; i < len; i++) {
        char ch = sql[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            out[o++] = ch;
        } else if (ch == '\'' || ch == '"') {
            quote = ch;
            out[o++] = ch;
        } else if (ch == '?') {
            if (++n > 99) {                 /* far beyond SDB_MAX_PARAMS anyway */
                free(out);
                return NULL;
            }
            int w = snprintf(out + o, 5, "$%d", n);
            o += (size_t)w;
        } else {
            out[o++] = ch;
        }
    }
    out[o] = '\0';
    *nparams = n;
    return out;
}
