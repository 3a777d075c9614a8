/* ing_run: the ingestion pipeline.
 *
 * The calling thread reads (and, for archives, inflates) each input into
 * fixed-size blocks, frames them at the last complete record (quote
 * parity, ing_csv_frame), carries the partial tail into the next block and
 * queues the block with its first row number. Worker threads split, check
 * UTF-8, validate (ing_sor_row) and count (ing_agg_local_add) or hand the
 * record to the consumer. Results are committed in block order, so rejects
 * come out in input order and row numbers are exact. Memory: nbuf blocks
 * (workers + 2) of block_size, one record scratch per worker, the zip
 * buffers of the nesting depth; nothing grows with the input.
 *
 * A record with an unterminated quote can swallow what follows; once the
 * open record is longer than ING_MAX_RECORD (or the input ends inside it)
 * its first line is rejected and framing resumes on the next line.
 */
#include "ingest/ing_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

typedef struct blk {
    char *buf;
    size_t cap, off, len;
    uint64_t row_base, rows, seq, nrej;
    int forced, done;
    core_buf rej;                    /* packed: row (8) col (ptr) reason\0 */
    struct blk *next;
} blk;

typedef struct worker {
    pthread_t th;
    struct run *run;
    ing_row row;
    ing_agg_local *agg;
} worker;

#define MAXW 8

typedef struct run {
    const ing_opts *o;
    ing_stats *st;
    pthread_mutex_t mu;
    pthread_cond_t cv_work, cv_free;
    blk *bufs;
    unsigned nbuf, nw;
    blk *freelist;
    blk **queue;                     /* ring of nbuf */
    unsigned qh, qn;
    blk **slot;                      /* by seq % nbuf */
    uint64_t next_seq, next_commit;
    int stop, abort_rc;
    worker w[MAXW];
    /* current stream */
    ing_schema schema;
    const char *source;
    uint64_t rows_in_file;
    /* progress */
    uint64_t bytes, total;
    struct timespec t0, tlast;
    uint64_t rows_done;
} run;

static double since(const struct timespec *a)
{
    struct timespec b;
    clock_gettime(CLOCK_MONOTONIC, &b);
    return (double)(b.tv_sec - a->tv_sec) + (double)(b.tv_nsec - a->tv_nsec) / 1e9;
}

static void progress(run *r, int force)
{
    if (!r->o->on_progress) return;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    double dt = (double)(now.tv_sec - r->tlast.tv_sec) + (double)(now.tv_nsec - r->tlast.tv_nsec) / 1e9;
    if (!force && dt < 0.25) return;
    r->tlast = now;
    ing_progress p = {.rows = r->rows_done, .bytes = r->bytes, .total_bytes = r->total,
                      .seconds = since(&r->t0)};
    r->o->on_progress(r->o->progress_ctx, &p);
}

/* ---- rejects ---- */
static void rej_add(blk *b, uint64_t row, const char *col, const char *reason)
{
    core_buf_append(&b->rej, &row, sizeof row);
    core_buf_append(&b->rej, &col, sizeof col);
    core_buf_append(&b->rej, reason, strlen(reason) + 1);
    b->nrej++;
}

/* Under r->mu: commits finished blocks in order. */
static void commit_ready(run *r)
{
    for (;;) {
        blk *b = r->slot[r->next_commit % r->nbuf];
        if (!b || b->seq != r->next_commit || !b->done) return;
        r->slot[r->next_commit % r->nbuf] = NULL;
        /* no rejects: data is NULL (NULL + 0 is undefined behaviour) */
        const char *p = b->rej.data, *e = p ? p + b->rej.len : NULL;
        while (p && p < e) {
            uint64_t row;
            const char *col;
            memcpy(&row, p, sizeof row);
            memcpy(&col, p + sizeof row, sizeof col);
            const char *reason = p + sizeof row + sizeof col;
            if (r->o->on_reject) {
                ing_reject rj = {.source = r->source, .row = row, .column = col, .reason = reason};
                r->o->on_reject(r->o->reject_ctx, &rj);
            }
            p = reason + strlen(reason) + 1;
        }
        r->st->rows_read += b->rows;
        r->st->rows_rejected += b->nrej;
        r->rows_done += b->rows;
        core_buf_reset(&b->rej);
        b->next = r->freelist;
        r->freelist = b;
        r->next_commit++;
        pthread_cond_broadcast(&r->cv_free);
    }
}

/* ---- the worker ---- */
static const char *field_at(const ing_field *f, long nf, ing_schema s, const char *at)
{
    long j = 0;
    for (int c = 0; c < ING_C__COUNT && j < nf; c++) {
        if (s == ING_SCHEMA_V1 && c == ING_C_CONTENT_ID_EAN) continue;
        if (at >= f[j].p && at <= f[j].p + f[j].len) return ing_col_name((ing_col)c);
        j++;
    }
    return "";
}

static void work_block(worker *w, blk *b)
{
    run *r = w->run;
    const char *p = b->buf + b->off;
    size_t n = b->len - b->off, pos = 0;
    int utf8_ok = ing_utf8_check(p, n) == n;
    uint64_t row = b->row_base;
    ing_field f[ING_C__COUNT + 1];
    char reason[160];
    while (pos < n) {
        row++;
        size_t used;
        const char *why = NULL;
        long nf = ing_csv_split(p + pos, n - pos, f, ING_C__COUNT + 1, &used, &why);
        if (b->forced) used = n - pos;
        const char *rec = p + pos;
        pos += used;
        if (!utf8_ok) {
            size_t bad = ing_utf8_check(rec, used);
            if (bad != used) {
                const char *col = nf > 0 ? field_at(f, nf, r->schema, rec + bad) : "";
                snprintf(reason, sizeof reason, "invalid UTF-8 at byte %zu of the row", bad + 1);
                rej_add(b, row, col, reason);
                continue;
            }
        }
        if (nf < 0 || b->forced) {
            rej_add(b, row, "", why ? why : "unterminated quoted field");
            continue;
        }
        const char *col = "";
        w->row.rec.row = row;
        w->row.rec.source = r->source;
        w->row.rec.created_day = INT32_MIN;
        w->row.rec.application_day = INT32_MIN;
        if (ing_sor_row(&w->row, r->schema, f, (size_t)nf, &col, reason, sizeof reason) != CORE_OK) {
            rej_add(b, row, col, reason);
            continue;
        }
        if (w->agg && ing_agg_local_add(w->agg, &w->row) != CORE_OK) {
            r->abort_rc = CORE_NOMEM;
            return;
        }
        if (r->o->on_record) {
            int rc = r->o->on_record(r->o->record_ctx, &w->row.rec);
            if (rc != CORE_OK) {
                r->abort_rc = rc;
                return;
            }
        }
    }
}

static void *worker_main(void *arg)
{
    worker *w = arg;
    run *r = w->run;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (r->qn == 0 && !r->stop) pthread_cond_wait(&r->cv_work, &r->mu);
        if (r->qn == 0) {
            pthread_mutex_unlock(&r->mu);
            return NULL;
        }
        blk *b = r->queue[r->qh];
        r->qh = (r->qh + 1) % r->nbuf;
        r->qn--;
        int skip = r->abort_rc != CORE_OK;
        pthread_mutex_unlock(&r->mu);
        if (!skip) work_block(w, b);
        pthread_mutex_lock(&r->mu);
        b->done = 1;
        commit_ready(r);
        pthread_mutex_unlock(&r->mu);
    }
}

static blk *get_free(run *r)
{
    pthread_mutex_lock(&r->mu);
    while (!r->freelist) pthread_cond_wait(&r->cv_free, &r->mu);
    blk *b = r->freelist;
    r->freelist = b->next;
    pthread_mutex_unlock(&r->mu);
    b->off = b->len = 0;
    b->rows = b->nrej = 0;
    b->forced = b->done = 0;
    return b;
}

static void put_free(run *r, blk *b)
{
    pthread_mutex_lock(&r->mu);
    b->next = r->freelist;
    r->freelist = b;
    pthread_cond_broadcast(&r->cv_free);
    pthread_mutex_unlock(&r->mu);
}

static void submit(run *r, blk *b)
{
    b->row_base = r->rows_in_file;
    r->rows_in_file += b->rows;
    pthread_mutex_lock(&r->mu);
    b->seq = r->next_seq++;
    r->slot[b->seq % r->nbuf] = b;
    r->queue[(r->qh + r->qn) % r->nbuf] = b;
    r->qn++;
    pthread_cond_signal(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
}

static int start_workers(run *r)
{
    r->stop = 0;
    for (unsigned i = 0; i < r->nw; i++)
        if (pthread_create(&r->w[i].th, NULL, worker_main, &r->w[i]) != 0) {
            r->nw = i;   /* run with the ones that started */
            return i ? CORE_OK : CORE_ERR;
        }
    return CORE_OK;
}

static void stop_workers(run *r)
{
    pthread_mutex_lock(&r->mu);
    r->stop = 1;
    pthread_cond_broadcast(&r->cv_work);
    pthread_mutex_unlock(&r->mu);
    for (unsigned i = 0; i < r->nw; i++) pthread_join(r->w[i].th, NULL);
}

/* ---- one CSV stream ---- */
static int quote_parity(const char *p, size_t n)
{
    int q = 0;
    const char *e = p + n;
    while ((p = memchr(p, '"', (size_t)(e - p)))) {
        q ^= 1;
        p++;
    }
    return q;
}

static int read_csv(run *r, ing_src *src, const char *name, char *err, size_t errlen)
{
    r->source = name;
    r->rows_in_file = 0;
    r->st->files++;
    blk *cur = get_free(r);
    int eof = 0, first = 1, rc = CORE_OK;
    size_t start = 0;
    if (start_workers(r) != CORE_OK) {
        put_free(r, cur);
        snprintf(err, errlen, "cannot start threads");
        return CORE_ERR;
    }
    for (;;) {
        while (cur->len < cur->cap && !eof) {
            long n = src->read(src->ctx, cur->buf + cur->len, cur->cap - cur->len);
            if (n < 0) {
                snprintf(err, errlen, "%s: read error at offset %llu", name,
                         (unsigned long long)(src->offset));
                rc = CORE_INVALID;
                goto out;
            }
            if (n == 0) eof = 1;
            cur->len += (size_t)n;
        }
        if (first) {
            first = 0;
            if (cur->len >= 3 && memcmp(cur->buf, "\xEF\xBB\xBF", 3) == 0) start = 3;
            ing_field f[ING_C__COUNT + 1];
            size_t used;
            const char *why = NULL;
            long nf = ing_csv_split(cur->buf + start, cur->len - start, f, ING_C__COUNT + 1, &used, &why);
            if (cur->len == start) {
                snprintf(err, errlen, "%s: empty file (no header row)", name);
                rc = CORE_INVALID;
                goto out;
            }
            if (nf < 0 || (size_t)nf > ING_C__COUNT || ing_sor_header(f, (size_t)nf, &r->schema) != CORE_OK) {
                snprintf(err, errlen, "%s: offset 0: the header row is neither the V1 nor the V2 "
                         "statement-of-reasons layout", name);
                rc = CORE_INVALID;
                goto out;
            }
            start += used;
        }
        uint64_t rows = 0;
        size_t last = start + ing_csv_frame(cur->buf + start, cur->len - start, &rows);
        if (last > start) {
            blk *nb = get_free(r);
            nb->len = cur->len - last;
            memcpy(nb->buf, cur->buf + last, nb->len);
            cur->off = start;
            cur->len = last;
            cur->rows = rows;
            submit(r, cur);
            cur = nb;
            start = 0;
            progress(r, 0);
            if (r->abort_rc != CORE_OK) break;
            continue;
        }
        size_t tail = cur->len - start;
        if (tail == 0 && eof) break;
        if (eof && !quote_parity(cur->buf + start, tail)) {
            /* a last record without its final LF */
            cur->off = start;
            cur->rows = 1;
            submit(r, cur);
            cur = NULL;
            break;
        }
        if (!eof && tail <= ING_MAX_RECORD && cur->len < cur->cap) continue;
        /* unterminated quote (or a record over ING_MAX_RECORD): reject its first line */
        const char *nl = memchr(cur->buf + start, '\n', tail);
        if (!nl && !eof) {
            snprintf(err, errlen, "%s: a line longer than %u bytes near row %llu", name,
                     ING_MAX_RECORD, (unsigned long long)(r->rows_in_file + 1));
            rc = CORE_INVALID;
            goto out;
        }
        size_t cut = nl ? (size_t)(nl - cur->buf) + 1 : cur->len;
        blk *nb = get_free(r);
        nb->len = cur->len - cut;
        memcpy(nb->buf, cur->buf + cut, nb->len);
        cur->off = start;
        cur->len = cut;
        cur->rows = 1;
        cur->forced = 1;
        submit(r, cur);
        cur = nb;
        start = 0;
    }
out:
    if (cur) put_free(r, cur);
    stop_workers(r);
    if (rc == CORE_OK && r->abort_rc != CORE_OK) {
        rc = r->abort_rc;
        snprintf(err, errlen, "%s: the consumer stopped the run", name);
    }
    progress(r, 1);
    return rc;
}

/* ---- sources ---- */
typedef struct fdsrc {
    int fd;
    uint64_t *bytes;                 /* input bytes consumed (progress, stats) */
} fdsrc;

static long fd_read(void *ctx, void *buf, size_t n)
{
    fdsrc *s = ctx;
    for (;;) {
        ssize_t k = read(s->fd, buf, n);
        if (k < 0 && errno == EINTR) continue;
        if (k > 0) *s->bytes += (uint64_t)k;
        return (long)k;
    }
}

typedef struct memsrc {
    const char *p;
    size_t n, pos;
    uint64_t *bytes;
} memsrc;

static long mem_read(void *ctx, void *buf, size_t n)
{
    memsrc *m = ctx;
    size_t k = m->n - m->pos < n ? m->n - m->pos : n;
    memcpy(buf, m->p + m->pos, k);
    m->pos += k;
    *m->bytes += k;
    return (long)k;
}

/* ---- JSON ---- */
typedef struct jctx {
    run *r;
    uint64_t rej;
} jctx;

static int json_row(void *ctx, ing_row *row)
{
    jctx *j = ctx;
    run *r = j->r;
    if (r->o->agg && ing_agg_local_add(r->w[0].agg, row) != CORE_OK) return CORE_NOMEM;
    if (r->o->on_record) return r->o->on_record(r->o->record_ctx, &row->rec);
    return CORE_OK;
}

static void json_rej(void *ctx, uint64_t row, const char *col, const char *reason)
{
    jctx *j = ctx;
    j->rej++;
    if (j->r->o->on_reject) {
        ing_reject rj = {.source = j->r->source, .row = row, .column = col, .reason = reason};
        j->r->o->on_reject(j->r->o->reject_ctx, &rj);
    }
}

#define JSON_MAX (64u << 20)

static int read_json(run *r, ing_src *src, const char *name, char *err, size_t errlen)
{
    core_buf b;
    core_buf_init(&b);
    char tmp[64 << 10];
    long n;
    while ((n = src->read(src->ctx, tmp, sizeof tmp)) > 0) {
        if (b.len + (size_t)n > JSON_MAX) {
            core_buf_cleanup(&b);
            snprintf(err, errlen, "%s: JSON input larger than %u MiB", name, JSON_MAX >> 20);
            return CORE_INVALID;
        }
        if (core_buf_append(&b, tmp, (size_t)n) != CORE_OK) {
            core_buf_cleanup(&b);
            return CORE_NOMEM;
        }
    }
    if (n < 0) {
        core_buf_cleanup(&b);
        snprintf(err, errlen, "%s: read error", name);
        return CORE_INVALID;
    }
    r->source = name;
    r->st->files++;
    jctx j = {.r = r};
    uint64_t rows = 0;
    int rc = ing_json_read(name, b.data ? b.data : "", b.len, &r->w[0].row, json_row, json_rej, &j,
                           &rows, err, errlen);
    core_buf_cleanup(&b);
    r->st->rows_read += rows;
    r->st->rows_rejected += j.rej;
    r->rows_done += rows;
    return rc;
}

/* ---- archives ---- */
static int ends_with(const char *s, const char *suf)
{
    size_t a = strlen(s), b = strlen(suf);
    return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static int read_zip(run *r, ing_src *src, const char *name, int depth, char *err,
                    size_t errlen)
{
    if (depth > 4) {
        snprintf(err, errlen, "%s: archives nested more than 4 deep", name);
        return CORE_INVALID;
    }
    ing_zip *z;
    if (ing_zip_open(&z, src) != CORE_OK) return CORE_NOMEM;
    int rc;
    ing_zip_entry e;
    char sub[1024];
    char zerr[300];
    zerr[0] = 0;
    while ((rc = ing_zip_next(z, &e, zerr, sizeof zerr)) == CORE_OK) {
        size_t nl = strlen(e.name);
        if (nl && e.name[nl - 1] == '/') continue;   /* directory */
        snprintf(sub, sizeof sub, "%.500s:%.500s", name, e.name);
        ing_src es;
        ing_zip_entry_src(z, &es);
        if (ends_with(e.name, ".zip")) rc = read_zip(r, &es, sub, depth + 1, err, errlen);
        else if (ends_with(e.name, ".json")) rc = read_json(r, &es, sub, err, errlen);
        else rc = read_csv(r, &es, sub, err, errlen);
        if (rc == CORE_INVALID && strstr(err, "read error") && strcmp(ing_zip_error(z), "unknown fault"))
            snprintf(err, errlen, "%s: %s", name, ing_zip_error(z));   /* the entry's own fault */
        if (rc != CORE_OK) break;
    }
    if (rc == CORE_NOTFOUND) rc = CORE_OK;
    else if (rc != CORE_OK && !err[0]) snprintf(err, errlen, "%s: %s", name, zerr);
    ing_zip_close(z);
    return rc;
}

/* ---- entry points ---- */
static int run_init(run *r, const ing_opts *o, ing_stats *st)
{
    memset(r, 0, sizeof *r);
    r->o = o;
    r->st = st;
    memset(st, 0, sizeof *st);
    unsigned nw = o->threads;
    if (nw == 0) {
        long c = sysconf(_SC_NPROCESSORS_ONLN);
        nw = c > 0 ? (unsigned)c : 1;
    }
    if (nw > MAXW) nw = MAXW;
    if (o->on_record) nw = 1;
    r->nw = nw;
    r->nbuf = nw + 2;
    size_t bs = o->block_size ? o->block_size : ING_BLOCK_DEFAULT;
    if (bs < 2u * ING_MAX_RECORD + 4096) bs = 2u * ING_MAX_RECORD + 4096;
    r->bufs = calloc(r->nbuf, sizeof *r->bufs);
    r->queue = calloc(r->nbuf, sizeof *r->queue);
    r->slot = calloc(r->nbuf, sizeof *r->slot);
    if (!r->bufs || !r->queue || !r->slot) return CORE_NOMEM;
    for (unsigned i = 0; i < r->nbuf; i++) {
        r->bufs[i].buf = malloc(bs);
        if (!r->bufs[i].buf) return CORE_NOMEM;
        r->bufs[i].cap = bs;
        core_buf_init(&r->bufs[i].rej);
        r->bufs[i].next = r->freelist;
        r->freelist = &r->bufs[i];
    }
    for (unsigned i = 0; i < nw; i++) {
        r->w[i].run = r;
        r->w[i].row.scratch = malloc(bs);
        if (!r->w[i].row.scratch) return CORE_NOMEM;
        if (o->on_record) memset(r->w[i].row.need, 1, sizeof r->w[i].row.need);
        else if (o->agg) ing_agg_need(o->agg, r->w[i].row.need);
        if (o->agg) {
            r->w[i].agg = ing_agg_local_new(o->agg);
            if (!r->w[i].agg) return CORE_NOMEM;
        }
    }
    pthread_mutex_init(&r->mu, NULL);
    pthread_cond_init(&r->cv_work, NULL);
    pthread_cond_init(&r->cv_free, NULL);
    clock_gettime(CLOCK_MONOTONIC, &r->t0);
    r->tlast = r->t0;
    return CORE_OK;
}

static int run_finish(run *r, int rc)
{
    for (unsigned i = 0; i < MAXW; i++) {
        if (r->w[i].agg) {
            if (rc == CORE_OK && r->o->agg && ing_agg_local_fold(r->o->agg, r->w[i].agg) != CORE_OK)
                rc = CORE_NOMEM;
            ing_agg_local_free(r->w[i].agg);
        }
        free(r->w[i].row.scratch);
    }
    if (r->bufs)
        for (unsigned i = 0; i < r->nbuf; i++) {
            free(r->bufs[i].buf);
            core_buf_cleanup(&r->bufs[i].rej);
        }
    free(r->bufs);
    free(r->queue);
    free(r->slot);
    pthread_mutex_destroy(&r->mu);
    pthread_cond_destroy(&r->cv_work);
    pthread_cond_destroy(&r->cv_free);
    r->st->bytes = r->bytes;
    return rc;
}

static int read_any(run *r, ing_src *src, int kind, const char *name, char *err, size_t errlen)
{
    if (kind == 'z') return read_zip(r, src, name, 0, err, errlen);
    if (kind == 'j') return read_json(r, src, name, err, errlen);
    return read_csv(r, src, name, err, errlen);
}

static int sniff(const unsigned char *p, size_t n)
{
    if (n >= 4 && memcmp(p, "PK\3\4", 4) == 0) return 'z';
    size_t i = 0;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < n && (p[i] == ' ' || p[i] == '\n' || p[i] == '\r' || p[i] == '\t')) i++;
    if (i < n && (p[i] == '{' || p[i] == '[')) return 'j';
    return 'c';
}

int ing_run(const char *const *paths, size_t npaths, const ing_opts *opts, ing_stats *stats,
            char *err, size_t errlen)
{
    run r;
    err[0] = 0;
    int rc = run_init(&r, opts, stats);
    if (rc != CORE_OK) return run_finish(&r, rc);
    for (size_t i = 0; i < npaths; i++) {
        struct stat sb;
        if (strcmp(paths[i], "-") != 0 && stat(paths[i], &sb) == 0 && S_ISREG(sb.st_mode))
            r.total += (uint64_t)sb.st_size;
    }
    for (size_t i = 0; i < npaths && rc == CORE_OK; i++) {
        const char *path = paths[i];
        int fd = strcmp(path, "-") == 0 ? 0 : open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            snprintf(err, errlen, "%s: %s", path, strerror(errno));
            rc = CORE_INVALID;
            break;
        }
        int kind = 'c';
        if (fd != 0) {
            unsigned char head[8];
            ssize_t k = pread(fd, head, sizeof head, 0);
            kind = sniff(head, k > 0 ? (size_t)k : 0);
#ifdef POSIX_FADV_SEQUENTIAL
            posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
        }
        fdsrc fs = {.fd = fd, .bytes = &r.bytes};
        ing_src src = {.read = fd_read, .ctx = &fs};
        rc = read_any(&r, &src, kind, path, err, errlen);
        if (fd != 0) close(fd);
    }
    return run_finish(&r, rc);
}

int ing_run_mem(const char *name, const void *data, size_t len, const ing_opts *opts,
                ing_stats *stats, char *err, size_t errlen)
{
    run r;
    err[0] = 0;
    int rc = run_init(&r, opts, stats);
    if (rc != CORE_OK) return run_finish(&r, rc);
    r.total = len;
    memsrc m = {.p = data, .n = len, .bytes = &r.bytes};
    ing_src src = {.read = mem_read, .ctx = &m};
    rc = read_any(&r, &src, sniff(data, len < 8 ? len : 8), name, err, errlen);
    return run_finish(&r, rc);
}
