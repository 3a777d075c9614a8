/* ing_agg: streaming aggregation with grouping sets, partial results, merge.
 *
 * Each worker counts into its own tables (ing_agg_local): per grouping set
 * an open-addressing table keyed by a tuple of 32-bit value ids. Enumerated
 * values use their enumeration index, days their day number, and free text
 * (platform_name, ...) an id interned in a per-worker string map, so the
 * per-row cost is a few integer hashes. A row counts once per combination
 * of its values in the set: array columns contribute each item (or "" once
 * when empty). At the end the tuples are turned into strings and folded
 * into the aggregation's string-keyed maps (key = the set's values,
 * length-prefixed), which is also what merge fills from partial results,
 * so one output path serves both.
 */
#include "ingest/ing_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- string map ---- */
typedef struct sm_ent {
    const char *k;
    uint32_t kn;
    uint64_t h, v;
} sm_ent;

struct ing_sm_slot {
    uint32_t idx;                    /* entry + 1; 0 = empty */
};

static uint64_t hash_bytes(const char *p, size_t n)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)p[i]) * 0x100000001b3ull;
    return h ^ (h >> 29);
}

void ing_strmap_init(ing_strmap *m)
{
    memset(m, 0, sizeof *m);
    core_arena_init(&m->keys);
}

void ing_strmap_cleanup(ing_strmap *m)
{
    free(m->slots);
    free(m->ents);
    core_arena_cleanup(&m->keys);
    memset(m, 0, sizeof *m);
}

static int sm_grow(ing_strmap *m)
{
    size_t ncap = m->cap ? m->cap * 2 : 64;
    struct ing_sm_slot *ns = calloc(ncap, sizeof *ns);
    if (!ns) return CORE_NOMEM;
    for (size_t i = 0; i < m->n; i++) {
        size_t j = m->ents[i].h & (ncap - 1);
        while (ns[j].idx) j = (j + 1) & (ncap - 1);
        ns[j].idx = (uint32_t)i + 1;
    }
    free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return CORE_OK;
}

uint64_t *ing_strmap_get(ing_strmap *m, const char *k, size_t kn)
{
    if ((m->n + 1) * 4 > m->cap * 3 && sm_grow(m) != CORE_OK) return NULL;
    uint64_t h = hash_bytes(k, kn);
    size_t j = h & (m->cap - 1);
    while (m->slots[j].idx) {
        sm_ent *e = &m->ents[m->slots[j].idx - 1];
        if (e->h == h && e->kn == kn && memcmp(e->k, k, kn) == 0) return &e->v;
        j = (j + 1) & (m->cap - 1);
    }
    if (m->n == m->ecap) {
        size_t nc = m->ecap ? m->ecap * 2 : 64;
        sm_ent *ne = realloc(m->ents, nc * sizeof *ne);
        if (!ne) return NULL;
        m->ents = ne;
        m->ecap = nc;
    }
    char *kc = core_arena_alloc(&m->keys, kn + 1);
    if (!kc) return NULL;
    memcpy(kc, k, kn);
    sm_ent *e = &m->ents[m->n];
    e->k = kc;
    e->kn = (uint32_t)kn;
    e->h = h;
    e->v = 0;
    m->slots[j].idx = (uint32_t)++m->n;
    return &e->v;
}

size_t ing_strmap_count(const ing_strmap *m)
{
    return m->n;
}

int ing_strmap_at(const ing_strmap *m, size_t i, const char **k, size_t *kn, uint64_t *v)
{
    if (i >= m->n) return 0;
    *k = m->ents[i].k;
    *kn = m->ents[i].kn;
    *v = m->ents[i].v;
    return 1;
}

/* ---- results (shared by aggregation and merge) ---- */
typedef struct res {
    size_t nsets;
    ing_col cols[ING_MAX_SETS][ING_MAX_BY];
    size_t ncols[ING_MAX_SETS];
    ing_strmap map[ING_MAX_SETS];
    uint64_t rows_read, rows_rejected;
} res;

struct ing_agg {
    res r;
};

static void res_init(res *r)
{
    memset(r, 0, sizeof *r);
    for (size_t i = 0; i < ING_MAX_SETS; i++) ing_strmap_init(&r->map[i]);
}

static void res_cleanup(res *r)
{
    for (size_t i = 0; i < ING_MAX_SETS; i++) ing_strmap_cleanup(&r->map[i]);
}

static int res_add_set(res *r, const ing_col *cols, size_t n)
{
    if (r->nsets == ING_MAX_SETS || n > ING_MAX_BY) return CORE_INVALID;
    for (size_t i = 0; i < n; i++)
        for (size_t j = i + 1; j < n; j++)
            if (cols[i] == cols[j]) return CORE_INVALID;
    for (size_t s = 0; s < r->nsets; s++)
        if (r->ncols[s] == n && (n == 0 || memcmp(r->cols[s], cols, n * sizeof *cols) == 0))
            return CORE_INVALID;
    if (n) memcpy(r->cols[r->nsets], cols, n * sizeof *cols);
    r->ncols[r->nsets] = n;
    r->nsets++;
    return CORE_OK;
}

/* key = for each value: 4-byte length + bytes */
static int key_put(core_buf *k, const char *v, size_t n)
{
    uint32_t l = (uint32_t)n;
    core_buf_append(k, &l, 4);
    return core_buf_append(k, v, n);
}

static size_t key_split(const char *k, size_t kn, const char **v, size_t *vn, size_t max)
{
    size_t i = 0, n = 0;
    while (i + 4 <= kn && n < max) {
        uint32_t l;
        memcpy(&l, k + i, 4);
        v[n] = k + i + 4;
        vn[n] = l;
        n++;
        i += 4 + l;
    }
    return n;
}

int ing_agg_new(ing_agg **out)
{
    ing_agg *a = malloc(sizeof *a);
    if (!a) return CORE_NOMEM;
    res_init(&a->r);
    *out = a;
    return CORE_OK;
}

void ing_agg_free(ing_agg *a)
{
    if (!a) return;
    res_cleanup(&a->r);
    free(a);
}

int ing_agg_add_set(ing_agg *a, const ing_col *cols, size_t ncols)
{
    for (size_t i = 0; i < ncols; i++)
        if ((unsigned)cols[i] >= ING_C__COUNT) return CORE_INVALID;
    return res_add_set(&a->r, cols, ncols);
}

int ing_agg_add_set_str(ing_agg *a, const char *csv_cols, char *err, size_t errlen)
{
    ing_col cols[ING_MAX_BY];
    size_t n = 0;
    const char *p = csv_cols;
    while (p && *p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        char name[64];
        if (len == 0 || len >= sizeof name) {
            snprintf(err, errlen, "bad column list '%s'", csv_cols);
            return CORE_INVALID;
        }
        memcpy(name, p, len);
        name[len] = 0;
        if (n == ING_MAX_BY) {
            snprintf(err, errlen, "more than %d columns in one --by", ING_MAX_BY);
            return CORE_INVALID;
        }
        if (ing_col_parse(name, &cols[n]) != CORE_OK) {
            snprintf(err, errlen, "unknown column '%s'", name);
            return CORE_INVALID;
        }
        n++;
        p = e ? e + 1 : NULL;
    }
    if (ing_agg_add_set(a, cols, n) != CORE_OK) {
        snprintf(err, errlen, "column list '%s' repeats a column or a set (or too many sets)",
                 csv_cols);
        return CORE_INVALID;
    }
    return CORE_OK;
}

void ing_agg_need(const ing_agg *a, uint8_t need[ING_C__COUNT])
{
    for (size_t s = 0; s < a->r.nsets; s++)
        for (size_t c = 0; c < a->r.ncols[s]; c++)
            if (!ing_col_is_array(a->r.cols[s][c])) need[a->r.cols[s][c]] = 1;   /* arrays count by id */
}

/* ---- per-worker tables ---- */
typedef struct lset {
    size_t w;                        /* tuple width */
    uint32_t *keys;                  /* cap * w */
    uint64_t *cnt;                   /* cap; 0 = empty slot */
    size_t cap, n;
} lset;

struct ing_agg_local {
    const ing_agg *a;
    lset set[ING_MAX_SETS];
    ing_strmap text[ING_C__COUNT];   /* interned free-text values (id = index + 1) */
};

ing_agg_local *ing_agg_local_new(const ing_agg *a)
{
    ing_agg_local *l = calloc(1, sizeof *l);
    if (!l) return NULL;
    l->a = a;
    for (size_t c = 0; c < ING_C__COUNT; c++) ing_strmap_init(&l->text[c]);
    for (size_t s = 0; s < a->r.nsets; s++) {
        lset *t = &l->set[s];
        t->w = a->r.ncols[s] ? a->r.ncols[s] : 1;
        t->cap = 256;
        t->keys = calloc(t->cap * t->w, sizeof *t->keys);
        t->cnt = calloc(t->cap, sizeof *t->cnt);
        if (!t->keys || !t->cnt) {
            ing_agg_local_free(l);
            return NULL;
        }
    }
    return l;
}

void ing_agg_local_free(ing_agg_local *l)
{
    if (!l) return;
    for (size_t s = 0; s < ING_MAX_SETS; s++) {
        free(l->set[s].keys);
        free(l->set[s].cnt);
    }
    for (size_t c = 0; c < ING_C__COUNT; c++) ing_strmap_cleanup(&l->text[c]);
    free(l);
}

static inline uint64_t tuple_hash(const uint32_t *k, size_t w)
{
    uint64_t h = 0x9e3779b97f4a7c15ull;
    for (size_t i = 0; i < w; i++) {
        h ^= k[i];
        h *= 0xff51afd7ed558ccdull;
        h ^= h >> 32;
    }
    return h;
}

static int lset_grow(lset *t)
{
    size_t ncap = t->cap * 2;
    uint32_t *nk = calloc(ncap * t->w, sizeof *nk);
    uint64_t *nc = calloc(ncap, sizeof *nc);
    if (!nk || !nc) {
        free(nk);
        free(nc);
        return CORE_NOMEM;
    }
    for (size_t i = 0; i < t->cap; i++) {
        if (!t->cnt[i]) continue;
        size_t j = tuple_hash(t->keys + i * t->w, t->w) & (ncap - 1);
        while (nc[j]) j = (j + 1) & (ncap - 1);
        memcpy(nk + j * t->w, t->keys + i * t->w, t->w * sizeof *nk);
        nc[j] = t->cnt[i];
    }
    free(t->keys);
    free(t->cnt);
    t->keys = nk;
    t->cnt = nc;
    t->cap = ncap;
    return CORE_OK;
}

static inline int key_eq(const uint32_t *a, const uint32_t *b, size_t w)
{
    uint32_t d = 0;
    for (size_t i = 0; i < w; i++) d |= a[i] ^ b[i];
    return d == 0;
}

static inline int lset_add(lset *t, const uint32_t *k)
{
    size_t mask = t->cap - 1;
    size_t j = tuple_hash(k, t->w) & mask;
    for (;;) {
        if (!t->cnt[j]) break;
        if (key_eq(t->keys + j * t->w, k, t->w)) {
            t->cnt[j]++;
            return CORE_OK;
        }
        j = (j + 1) & mask;
    }
    if ((t->n + 1) * 4 > t->cap * 3) {
        if (lset_grow(t) != CORE_OK) return CORE_NOMEM;
        return lset_add(t, k);
    }
    memcpy(t->keys + j * t->w, k, t->w * sizeof *k);
    t->cnt[j] = 1;
    t->n++;
    return CORE_OK;
}

/* Value ids of column c in this row: 1 for scalars, the items for arrays. */
static int col_ids(ing_agg_local *l, const ing_row *row, ing_col c, uint32_t *ids, size_t *n)
{
    const ing_rec *r = &row->rec;
    if (r->arr[c]) {
        unsigned k = r->narr[c];
        if (k == 0) {
            ids[0] = 0;
            *n = 1;
            return CORE_OK;
        }
        for (unsigned i = 0; i < k; i++) ids[i] = row->aeid[c][i];
        *n = k;
        return CORE_OK;
    }
    *n = 1;
    if (c == ING_C_CREATED_AT || c == ING_C_APPLICATION_DATE) {
        int32_t d = c == ING_C_CREATED_AT ? r->created_day : r->application_day;
        ids[0] = d == INT32_MIN ? 0 : (uint32_t)(d + 1);
        return CORE_OK;
    }
    if (row->eid[c] != ING_EID_NONE) {
        ids[0] = row->eid[c];
        return CORE_OK;
    }
    if (r->f[c].len == 0) {
        ids[0] = 0;
        return CORE_OK;
    }
    ing_strmap *m = &l->text[c];
    uint64_t *v = ing_strmap_get(m, r->f[c].p, r->f[c].len);
    if (!v) return CORE_NOMEM;
    if (*v == 0) *v = ing_strmap_count(m);
    ids[0] = (uint32_t)*v;
    return CORE_OK;
}

int ing_agg_local_add(ing_agg_local *l, const ing_row *row)
{
    const res *R = &l->a->r;
    uint32_t ids[ING_MAX_BY][ING_MAX_ARRAY];
    size_t nids[ING_MAX_BY], at[ING_MAX_BY];
    uint32_t key[ING_MAX_BY];
    for (size_t s = 0; s < R->nsets; s++) {
        size_t w = R->ncols[s];
        lset *t = &l->set[s];
        if (w == 0) {
            key[0] = 0;
            if (lset_add(t, key) != CORE_OK) return CORE_NOMEM;
            continue;
        }
        for (size_t i = 0; i < w; i++) {
            if (col_ids(l, row, R->cols[s][i], ids[i], &nids[i]) != CORE_OK) return CORE_NOMEM;
            at[i] = 0;
            key[i] = ids[i][0];
        }
        for (;;) {
            if (lset_add(t, key) != CORE_OK) return CORE_NOMEM;
            size_t i = w;
            while (i > 0) {
                i--;
                if (++at[i] < nids[i]) {
                    key[i] = ids[i][at[i]];
                    break;
                }
                at[i] = 0;
                key[i] = ids[i][0];
                if (i == 0) goto next_set;
            }
        }
    next_set:;
    }
    return CORE_OK;
}

static void id_str(const ing_agg_local *l, ing_col c, uint32_t id, char day[11], const char **v,
                   size_t *n)
{
    if (id == 0) {
        *v = "";
        *n = 0;
        return;
    }
    if (ing_col_is_day(c)) {
        ing_day_format((int32_t)id - 1, day);
        *v = day;
        *n = 10;
        return;
    }
    if (ing_enum_count(c)) {
        *v = ing_enum_name(c, id);
        *n = strlen(*v);
        return;
    }
    const char *k;
    size_t kn;
    uint64_t cnt;
    ing_strmap_at(&l->text[c], id - 1, &k, &kn, &cnt);
    *v = k;
    *n = kn;
}

int ing_agg_local_fold(ing_agg *a, ing_agg_local *l)
{
    core_buf k;
    core_buf_init(&k);
    res *R = &a->r;
    for (size_t s = 0; s < R->nsets; s++) {
        lset *t = &l->set[s];
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->cnt[i]) continue;
            core_buf_reset(&k);
            for (size_t c = 0; c < R->ncols[s]; c++) {
                char day[11];
                const char *v;
                size_t n;
                id_str(l, R->cols[s][c], t->keys[i * t->w + c], day, &v, &n);
                key_put(&k, v, n);
            }
            if (k.oom) goto oom;
            uint64_t *cnt = ing_strmap_get(&R->map[s], k.data ? k.data : "", k.len);
            if (!cnt) goto oom;
            *cnt += t->cnt[i];
            t->cnt[i] = 0;
        }
        t->n = 0;
    }
    core_buf_cleanup(&k);
    return CORE_OK;
oom:
    core_buf_cleanup(&k);
    return CORE_NOMEM;
}

int ing_agg_add(ing_agg *a, const ing_rec *rec)
{
    /* slow path for records from elsewhere: re-derive the enumeration ids */
    ing_row *row = calloc(1, sizeof *row);
    if (!row) return CORE_NOMEM;
    row->rec = *rec;
    for (int c = 0; c < ING_C__COUNT; c++) {
        char reason[8];
        row->eid[c] = ING_EID_NONE;
        if (ing_enum_count((ing_col)c) && !rec->arr[c])
            ing_sor_value((ing_col)c, rec->f[c].p, rec->f[c].len, &row->eid[c], reason, sizeof reason);
        for (unsigned i = 0; rec->arr[c] && i < rec->narr[c] && i < ING_MAX_ARRAY; i++)
            ing_sor_value((ing_col)c, rec->arr[c][i].p, rec->arr[c][i].len, &row->aeid[c][i], reason,
                          sizeof reason);
    }
    ing_agg_local *l = ing_agg_local_new(a);
    int rc = l ? ing_agg_local_add(l, row) : CORE_NOMEM;
    if (rc == CORE_OK) rc = ing_agg_local_fold(a, l);
    ing_agg_local_free(l);
    free(row);
    return rc;
}

/* ---- output ---- */
typedef struct gref {
    const char *k;
    size_t kn;
    uint64_t v;
} gref;

static int gref_cmp(const void *x, const void *y)
{
    const gref *a = x, *b = y;
    const char *va[ING_MAX_BY], *vb[ING_MAX_BY];
    size_t la[ING_MAX_BY], lb[ING_MAX_BY];
    size_t na = key_split(a->k, a->kn, va, la, ING_MAX_BY);
    size_t nb = key_split(b->k, b->kn, vb, lb, ING_MAX_BY);
    for (size_t i = 0; i < na && i < nb; i++) {
        size_t m = la[i] < lb[i] ? la[i] : lb[i];
        int c = memcmp(va[i], vb[i], m);
        if (c) return c;
        if (la[i] != lb[i]) return la[i] < lb[i] ? -1 : 1;
    }
    return (na > nb) - (na < nb);
}

static gref *sorted(const ing_strmap *m)
{
    size_t n = ing_strmap_count(m);
    gref *g = malloc((n ? n : 1) * sizeof *g);
    if (!g) return NULL;
    for (size_t i = 0; i < n; i++) ing_strmap_at(m, i, &g[i].k, &g[i].kn, &g[i].v);
    qsort(g, n, sizeof *g, gref_cmp);
    return g;
}

static json_t *res_json(const res *R)
{
    json_t *o = json_object(), *groups = json_array(), *sets = json_array();
    if (!o || !groups || !sets) goto oom;
    json_object_set_new(o, "rows_read", json_integer((json_int_t)R->rows_read));
    json_object_set_new(o, "rows_rejected", json_integer((json_int_t)R->rows_rejected));
    for (size_t s = 0; s < R->nsets; s++) {
        json_t *cols = json_array();
        for (size_t c = 0; c < R->ncols[s]; c++)
            json_array_append_new(cols, json_string(ing_col_name(R->cols[s][c])));
        json_array_append_new(sets, cols);
        gref *g = sorted(&R->map[s]);
        if (!g) goto oom;
        for (size_t i = 0; i < ing_strmap_count(&R->map[s]); i++) {
            const char *v[ING_MAX_BY];
            size_t vn[ING_MAX_BY];
            key_split(g[i].k, g[i].kn, v, vn, ING_MAX_BY);
            json_t *row = json_object();
            for (size_t c = 0; c < R->ncols[s]; c++)
                json_object_set_new(row, ing_col_name(R->cols[s][c]), json_stringn(v[c], vn[c]));
            json_object_set_new(row, "count", json_integer((json_int_t)g[i].v));
            json_array_append_new(groups, row);
        }
        free(g);
    }
    json_object_set_new(o, "groups", groups);
    json_object_set_new(o, "sets", sets);
    return o;
oom:
    json_decref(o);
    json_decref(groups);
    json_decref(sets);
    return NULL;
}

static void csv_cell(core_buf *out, const char *v, size_t n)
{
    if (n && (memchr(v, ',', n) || memchr(v, '"', n) || memchr(v, '\n', n) || memchr(v, '\r', n))) {
        core_buf_putc(out, '"');
        for (size_t i = 0; i < n; i++) {
            if (v[i] == '"') core_buf_putc(out, '"');
            core_buf_putc(out, v[i]);
        }
        core_buf_putc(out, '"');
    } else {
        core_buf_append(out, v, n);
    }
}

static int res_csv(const res *R, core_buf *out)
{
    for (size_t s = 0; s < R->nsets; s++) {
        if (s) core_buf_putc(out, '\n');
        for (size_t c = 0; c < R->ncols[s]; c++)
            core_buf_printf(out, "%s,", ing_col_name(R->cols[s][c]));
        core_buf_puts(out, "count\n");
        gref *g = sorted(&R->map[s]);
        if (!g) return CORE_NOMEM;
        for (size_t i = 0; i < ing_strmap_count(&R->map[s]); i++) {
            const char *v[ING_MAX_BY];
            size_t vn[ING_MAX_BY];
            key_split(g[i].k, g[i].kn, v, vn, ING_MAX_BY);
            for (size_t c = 0; c < R->ncols[s]; c++) {
                csv_cell(out, v[c], vn[c]);
                core_buf_putc(out, ',');
            }
            core_buf_printf(out, "%llu\n", (unsigned long long)g[i].v);
        }
        free(g);
    }
    return out->oom ? CORE_NOMEM : CORE_OK;
}

json_t *ing_agg_json(const ing_agg *a, const ing_stats *st)
{
    res *R = (res *)&a->r;
    R->rows_read = st ? st->rows_read : 0;
    R->rows_rejected = st ? st->rows_rejected : 0;
    return res_json(R);
}

int ing_agg_csv(const ing_agg *a, core_buf *out)
{
    return res_csv(&a->r, out);
}

/* ---- merge ---- */
void ing_merge_init(ing_merge *m)
{
    memset(m, 0, sizeof *m);
}

void ing_merge_cleanup(ing_merge *m)
{
    if (m->groups) {
        res_cleanup(m->groups);
        free(m->groups);
    }
    json_decref(m->sets);
    memset(m, 0, sizeof *m);
}

int ing_merge_add(ing_merge *m, const json_t *p, char *err, size_t errlen)
{
    json_t *sets = json_object_get(p, "sets"), *groups = json_object_get(p, "groups");
    json_t *rr = json_object_get(p, "rows_read"), *rj = json_object_get(p, "rows_rejected");
    if (!json_is_array(sets) || !json_is_array(groups) || !json_is_integer(rr) ||
        !json_is_integer(rj) || json_integer_value(rr) < 0 || json_integer_value(rj) < 0) {
        snprintf(err, errlen, "not a partial result (rows_read, rows_rejected, groups, sets)");
        return CORE_INVALID;
    }
    if (!m->groups) {
        res *R = malloc(sizeof *R);
        if (!R) return CORE_NOMEM;
        res_init(R);
        m->groups = R;
        size_t i;
        json_t *s;
        json_array_foreach(sets, i, s) {
            ing_col cols[ING_MAX_BY];
            size_t n = 0, j;
            json_t *c;
            if (!json_is_array(s) || json_array_size(s) > ING_MAX_BY) goto badsets;
            json_array_foreach(s, j, c) {
                if (ing_col_parse(json_string_value(c), &cols[n]) != CORE_OK) goto badsets;
                n++;
            }
            if (res_add_set(R, cols, n) != CORE_OK) goto badsets;
        }
        m->sets = json_deep_copy(sets);
    } else if (!json_equal(m->sets, sets)) {
        snprintf(err, errlen, "its grouping sets differ from the first partial's");
        return CORE_INVALID;
    }
    res *R = m->groups;
    size_t i;
    json_t *g;
    core_buf k;
    core_buf_init(&k);
    json_array_foreach(groups, i, g) {
        json_t *cnt = json_object_get(g, "count");
        if (!json_is_object(g) || !json_is_integer(cnt) || json_integer_value(cnt) < 0) goto badgroup;
        size_t want = json_object_size(g) - 1, s;
        for (s = 0; s < R->nsets; s++) {
            if (R->ncols[s] != want) continue;
            size_t c;
            for (c = 0; c < want; c++)
                if (!json_is_string(json_object_get(g, ing_col_name(R->cols[s][c])))) break;
            if (c == want) break;
        }
        if (s == R->nsets) goto badgroup;
        core_buf_reset(&k);
        for (size_t c = 0; c < want; c++) {
            json_t *v = json_object_get(g, ing_col_name(R->cols[s][c]));
            key_put(&k, json_string_value(v), json_string_length(v));
        }
        uint64_t *slot = k.oom ? NULL : ing_strmap_get(&R->map[s], k.data ? k.data : "", k.len);
        if (!slot) {
            core_buf_cleanup(&k);
            return CORE_NOMEM;
        }
        *slot += (uint64_t)json_integer_value(cnt);
    }
    core_buf_cleanup(&k);
    m->rows_read += (uint64_t)json_integer_value(rr);
    m->rows_rejected += (uint64_t)json_integer_value(rj);
    return CORE_OK;
badgroup:
    core_buf_cleanup(&k);
    snprintf(err, errlen, "group %zu does not match any grouping set", i + 1);
    return CORE_INVALID;
badsets:
    snprintf(err, errlen, "bad \"sets\" (unknown column or repeated set)");
    return CORE_INVALID;
}

json_t *ing_merge_json(const ing_merge *m)
{
    if (!m->groups) return NULL;
    res *R = m->groups;
    R->rows_read = m->rows_read;
    R->rows_rejected = m->rows_rejected;
    return res_json(R);
}

int ing_merge_csv(const ing_merge *m, core_buf *out)
{
    if (!m->groups) return CORE_INVALID;
    return res_csv(m->groups, out);
}
