/* rpt_ingest: stored mode. Statements of reasons read by the ingest module
 * (ing_run, one record at a time, in input order) are counted into per-day
 * aggregate cells (schema_tr.h) of one organisation, in one transaction:
 *   - a statement already in tr_seen (by uuid; platform + puid when it has
 *     no uuid) is a duplicate and adds nothing, so re-ingest is idempotent;
 *   - a new one adds 1 to its 'total' cell and to one cell per value of its
 *     keywords, restriction types (visibility values, monetary, provision,
 *     account), keyword x restriction pairs, content types and territorial
 *     scope (an empty list counts once under "");
 *   - cells are summed in memory (a small open-addressing table keyed by the
 *     cell's fields) and written with upserts when the table grows past
 *     CELLS_FLUSH entries and at the end, so memory stays bounded by the
 *     distinct cells, not the rows.
 * The run is recorded in tr_ingests (running -> done / partial / failed).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ingest/ingest.h"
#include "report/report.h"

#define CELLS_FLUSH 100000
#define SEP '\x1f'

typedef struct cell {
    char *key;                       /* fields joined by SEP; NULL = empty slot */
    uint64_t hash;
    int64_t n;
} cell;

typedef struct cells {
    cell *v;
    size_t cap, len;
} cells;

#define FNV_BASIS 1469598103934665603ull

/* FNV-1a over n bytes, continuing from h (FNV_BASIS to start). */
static uint64_t fnv(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ull;
    }
    return h;
}

static void cells_free(cells *t)
{
    for (size_t i = 0; i < t->cap; i++)
        free(t->v[i].key);
    free(t->v);
    memset(t, 0, sizeof *t);
}

static int cells_grow(cells *t)
{
    size_t ncap = t->cap ? t->cap * 2 : 1024;
    cell *nv = calloc(ncap, sizeof *nv);
    if (!nv)
        return CORE_NOMEM;
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->v[i].key)
            continue;
        size_t j = t->v[i].hash & (ncap - 1);
        while (nv[j].key)
            j = (j + 1) & (ncap - 1);
        nv[j] = t->v[i];
    }
    free(t->v);
    t->v = nv;
    t->cap = ncap;
    return CORE_OK;
}

static int cells_add(cells *t, const char *key, size_t klen, uint64_t h)
{
    if ((t->len + 1) * 2 > t->cap && cells_grow(t) != CORE_OK)
        return CORE_NOMEM;
    size_t j = h & (t->cap - 1);
    while (t->v[j].key) {
        if (t->v[j].hash == h && !strncmp(t->v[j].key, key, klen) && !t->v[j].key[klen]) {
            t->v[j].n++;
            return CORE_OK;
        }
        j = (j + 1) & (t->cap - 1);
    }
    char *k = malloc(klen + 1);
    if (!k)
        return CORE_NOMEM;
    memcpy(k, key, klen);
    k[klen] = 0;
    t->v[j] = (cell){k, h, 1};
    t->len++;
    return CORE_OK;
}

/* ---- the consumer ---- */

typedef struct ictx {
    store_conn *c;
    const rpt_ingest_opts *o;
    cells t;
    rpt_ingest_result *res;
    int rc;                          /* first store error */
    char base[1024];                 /* day..auto_decision joined, then SEP */
    size_t blen;
    uint64_t bhash;                  /* FNV-1a state after base */
} ictx;

static void put_str(char *buf, size_t cap, size_t *len, const char *p, size_t n)
{
    if (*len + 1 >= cap)
        return;
    if (n > cap - 1 - *len)
        n = cap - 1 - *len;
    if (n && !memchr(p, SEP, n)) {
        memcpy(buf + *len, p, n);
        *len += n;
        return;
    }
    for (size_t i = 0; i < n; i++)
        buf[(*len)++] = p[i] == SEP ? ' ' : p[i];
}

static int add_cell(ictx *x, const char *dim, const char *v, size_t vn, const char *v2, size_t vn2)
{
    char k[1600];
    size_t len = x->blen;
    memcpy(k, x->base, len);
    put_str(k, sizeof k, &len, dim, strlen(dim));
    if (len + 1 < sizeof k)
        k[len++] = SEP;
    put_str(k, sizeof k, &len, v, vn);
    if (v2) {
        if (len + 1 < sizeof k)
            k[len++] = '|';
        put_str(k, sizeof k, &len, v2, vn2);
    }
    return cells_add(&x->t, k, len, fnv(x->bhash, k + x->blen, len - x->blen));
}

/* Restriction values of a record: visibility items, then the three scalars. */
static size_t restrictions(const ing_rec *r, ing_str *out, size_t cap)
{
    size_t n = 0;
    for (unsigned i = 0; i < r->narr[ING_C_DECISION_VISIBILITY] && n < cap; i++)
        if (r->arr[ING_C_DECISION_VISIBILITY][i].len)
            out[n++] = r->arr[ING_C_DECISION_VISIBILITY][i];
    const ing_col sc[] = {ING_C_DECISION_MONETARY, ING_C_DECISION_PROVISION, ING_C_DECISION_ACCOUNT};
    for (size_t i = 0; i < 3 && n < cap; i++)
        if (r->f[sc[i]].len)
            out[n++] = r->f[sc[i]];
    return n;
}

static int add_array(ictx *x, const ing_rec *r, ing_col col, const char *dim)
{
    int rc = CORE_OK;
    unsigned n = r->arr[col] ? r->narr[col] : 0;
    for (unsigned i = 0; rc == CORE_OK && i < n; i++)
        rc = add_cell(x, dim, r->arr[col][i].p, r->arr[col][i].len, NULL, 0);
    if (rc == CORE_OK && !n)
        rc = add_cell(x, dim, "", 0, NULL, 0);
    return rc;
}

static char *dup_str(core_arena *a, ing_str s)
{
    return core_arena_strndup(a, s.p ? s.p : "", s.len);
}

/* Space-separated list of an array column (kept rows). */
static char *join_arr(core_arena *a, const ing_rec *r, ing_col col)
{
    core_buf b;
    core_buf_init(&b);
    unsigned n = r->arr[col] ? r->narr[col] : 0;
    for (unsigned i = 0; i < n; i++) {
        if (i)
            core_buf_putc(&b, ' ');
        core_buf_append(&b, r->arr[col][i].p, r->arr[col][i].len);
    }
    char *s = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s;
}

static int keep_row(ictx *x, const ing_rec *r, const char *sid, const char *day)
{
    core_arena a;
    core_arena_init(&a);
    ing_str rs[ING_MAX_ARRAY + 3];
    size_t nr = restrictions(r, rs, sizeof rs / sizeof *rs);
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; i < nr; i++) {
        if (i)
            core_buf_putc(&b, ' ');
        core_buf_append(&b, rs[i].p, rs[i].len);
    }
    store_tr_statement s = {
        .sid = sid, .day = day,
        .platform = dup_str(&a, r->f[ING_C_PLATFORM_NAME]),
        .platform_uid = dup_str(&a, r->f[ING_C_PLATFORM_UID]),
        .ground = dup_str(&a, r->f[ING_C_DECISION_GROUND]),
        .category = dup_str(&a, r->f[ING_C_CATEGORY]),
        .keywords = join_arr(&a, r, ING_C_CATEGORY_SPECIFICATION),
        .restrictions = core_buf_cstr(&b),
        .content_type = join_arr(&a, r, ING_C_CONTENT_TYPE),
        .territorial_scope = join_arr(&a, r, ING_C_TERRITORIAL_SCOPE),
        .source = dup_str(&a, r->f[ING_C_SOURCE_TYPE]),
        .auto_detect = r->f[ING_C_AUTOMATED_DETECTION].len == 3 &&
                       !memcmp(r->f[ING_C_AUTOMATED_DETECTION].p, "Yes", 3),
        .auto_decision = dup_str(&a, r->f[ING_C_AUTOMATED_DECISION]),
        .created_at = dup_str(&a, r->f[ING_C_CREATED_AT]),
    };
    int rc = store_tr_statement_put(x->c, x->o->org_id, &s);
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
    return rc;
}

static int flush(ictx *x)
{
    for (size_t i = 0; i < x->t.cap; i++) {
        if (!x->t.v[i].key)
            continue;
        /* day, platform, ground, category, source, detect, decision, dim, value */
        char *f[9] = {0};
        size_t nf = 0;
        char *p = x->t.v[i].key;
        f[nf++] = p;
        for (; *p && nf < 9; p++)
            if (*p == SEP) {
                *p = 0;
                f[nf++] = p + 1;
            }
        if (nf != 9)
            return CORE_ERR;
        store_tr_agg g = {.day = f[0], .platform = f[1], .ground = f[2], .category = f[3],
                          .source = f[4], .auto_detect = f[5][0] == '1', .auto_decision = f[6],
                          .dim = f[7], .value = f[8], .n = x->t.v[i].n};
        int rc = store_tr_agg_add(x->c, x->o->org_id, &g);
        if (rc != CORE_OK)
            return rc;
    }
    cells_free(&x->t);
    return CORE_OK;
}

static int on_record(void *ctx, const ing_rec *r)
{
    ictx *x = ctx;
    char sid[600];
    const ing_str *u = &r->f[ING_C_UUID];
    if (u->len && u->len < sizeof sid) {
        memcpy(sid, u->p, u->len);
        sid[u->len] = 0;
    } else {
        snprintf(sid, sizeof sid, "%.*s\x1f%.*s", (int)(r->f[ING_C_PLATFORM_NAME].len & 0xff),
                 r->f[ING_C_PLATFORM_NAME].p ? r->f[ING_C_PLATFORM_NAME].p : "",
                 (int)(r->f[ING_C_PLATFORM_UID].len & 0x1ff),
                 r->f[ING_C_PLATFORM_UID].p ? r->f[ING_C_PLATFORM_UID].p : "");
    }
    int rc = store_tr_seen_add(x->c, x->o->org_id, sid);
    if (rc == CORE_CONFLICT) {
        x->res->rows_duplicate++;
        return CORE_OK;
    }
    if (rc != CORE_OK) {
        x->rc = rc;
        return rc;
    }
    x->res->rows_new++;
    char day[11];
    ing_day_format(r->application_day != INT32_MIN ? r->application_day : r->created_day, day);
    size_t len = 0;
    char *b = x->base;
    const size_t cap = sizeof x->base - 8;   /* room for the separators */
    put_str(b, cap, &len, day, strlen(day));
    const ing_col base[] = {ING_C_PLATFORM_NAME, ING_C_DECISION_GROUND, ING_C_CATEGORY,
                            ING_C_SOURCE_TYPE};
    for (size_t i = 0; i < sizeof base / sizeof *base; i++) {
        b[len++] = SEP;
        put_str(b, cap, &len, r->f[base[i]].p, r->f[base[i]].len);
    }
    int detect = r->f[ING_C_AUTOMATED_DETECTION].len == 3 &&
                 !memcmp(r->f[ING_C_AUTOMATED_DETECTION].p, "Yes", 3);
    b[len++] = SEP;
    b[len++] = detect ? '1' : '0';
    b[len++] = SEP;
    put_str(b, cap, &len, r->f[ING_C_AUTOMATED_DECISION].p, r->f[ING_C_AUTOMATED_DECISION].len);
    b[len++] = SEP;
    x->blen = len;
    x->bhash = fnv(FNV_BASIS, b, len);

    rc = add_cell(x, "total", "", 0, NULL, 0);
    if (rc == CORE_OK)
        rc = add_array(x, r, ING_C_CATEGORY_SPECIFICATION, "keyword");
    ing_str rs[ING_MAX_ARRAY + 3];
    size_t nr = restrictions(r, rs, sizeof rs / sizeof *rs);
    for (size_t i = 0; rc == CORE_OK && i < nr; i++)
        rc = add_cell(x, "restriction", rs[i].p, rs[i].len, NULL, 0);
    if (rc == CORE_OK && !nr)
        rc = add_cell(x, "restriction", "", 0, NULL, 0);
    unsigned nk = r->arr[ING_C_CATEGORY_SPECIFICATION] ? r->narr[ING_C_CATEGORY_SPECIFICATION] : 0;
    for (unsigned k = 0; rc == CORE_OK && k < (nk ? nk : 1); k++) {
        ing_str kw = nk ? r->arr[ING_C_CATEGORY_SPECIFICATION][k] : (ing_str){"", 0};
        for (size_t i = 0; rc == CORE_OK && i < (nr ? nr : 1); i++)
            rc = add_cell(x, "kw_restriction", kw.p, kw.len, nr ? rs[i].p : "", nr ? rs[i].len : 0);
    }
    if (rc == CORE_OK)
        rc = add_array(x, r, ING_C_CONTENT_TYPE, "content_type");
    if (rc == CORE_OK)
        rc = add_array(x, r, ING_C_TERRITORIAL_SCOPE, "territorial_scope");
    if (rc == CORE_OK && x->o->keep_rows)
        rc = keep_row(x, r, sid, day);
    if (rc == CORE_OK && x->t.len >= CELLS_FLUSH)
        rc = flush(x);
    if (rc != CORE_OK)
        x->rc = rc;
    return rc;
}

static void on_reject(void *ctx, const ing_reject *rj)
{
    const rpt_ingest_opts *o = ctx;
    if (o->on_reject)
        o->on_reject(o->reject_ctx, rj->source, rj->row, rj->column, rj->reason);
}

static void on_progress(void *ctx, const ing_progress *p)
{
    const rpt_ingest_opts *o = ctx;
    if (o->on_progress)
        o->on_progress(o->progress_ctx, p->rows, p->bytes, p->total_bytes, p->seconds);
}

static int run(store *st, const rpt_ingest_opts *o, const char *const *paths, size_t npaths,
               const char *name, const void *data, size_t len, rpt_ingest_result *res, char *err,
               size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (errlen)
        err[0] = 0;
    if (!o || !o->org_id)
        return CORE_INVALID;
    store_conn *c;
    int rc = store_acquire(st, &c);
    if (rc != CORE_OK)
        return rc;
    core_buf src;
    core_buf_init(&src);
    if (o->source_name)
        core_buf_puts(&src, o->source_name);
    else if (name)
        core_buf_puts(&src, name);
    else
        for (size_t i = 0; i < npaths; i++)
            core_buf_printf(&src, "%s%s", i ? ", " : "", paths[i]);
    store_tr_ingest run = {.org_id = o->org_id, .source = core_buf_cstr(&src)};
    rc = store_tr_ingest_create(c, &run);
    if (rc == CORE_OK)
        rc = store_begin(c);
    if (rc != CORE_OK) {
        core_buf_cleanup(&src);
        store_release(st, c);
        return rc;
    }
    res->ingest_id = run.id;
    ictx x = {.c = c, .o = o, .res = res};
    ing_opts io = {.threads = 1, .on_record = on_record, .record_ctx = &x,
                   .on_reject = on_reject, .reject_ctx = (void *)o,
                   .on_progress = on_progress, .progress_ctx = (void *)o};
    ing_stats stats = {0};
    rc = data ? ing_run_mem(name, data, len, &io, &stats, err, errlen)
              : ing_run(paths, npaths, &io, &stats, err, errlen);
    if (x.rc != CORE_OK)
        rc = x.rc;
    if (rc == CORE_OK)
        rc = flush(&x);
    cells_free(&x.t);
    res->rows_read = stats.rows_read;
    res->rows_rejected = stats.rows_rejected;
    if (rc == CORE_OK)
        rc = store_commit(c);
    else
        store_rollback(c);
    if (rc != CORE_OK) {
        res->rows_new = res->rows_duplicate = 0;
        if (errlen && !err[0])
            snprintf(err, errlen, "store: %s", store_errmsg(c));
    }
    run.rows_read = (int64_t)res->rows_read;
    run.rows_new = (int64_t)res->rows_new;
    run.rows_duplicate = (int64_t)res->rows_duplicate;
    run.rows_rejected = (int64_t)res->rows_rejected;
    run.status = rc != CORE_OK ? "failed" : res->rows_rejected ? "partial" : "done";
    int frc = store_tr_ingest_finish(c, &run);
    if (rc == CORE_OK)
        rc = frc;
    core_buf_cleanup(&src);
    store_release(st, c);
    return rc;
}

int rpt_ingest(store *st, const rpt_ingest_opts *o, const char *const *paths, size_t npaths,
               rpt_ingest_result *res, char *err, size_t errlen)
{
    return run(st, o, paths, npaths, NULL, NULL, 0, res, err, errlen);
}

int rpt_ingest_mem(store *st, const rpt_ingest_opts *o, const char *name, const void *data,
                   size_t len, rpt_ingest_result *res, char *err, size_t errlen)
{
    return run(st, o, NULL, 0, name ? name : "upload", data ? data : "", len, res, err, errlen);
}
