/* http_metrics: process-wide Prometheus metrics, text format 0.0.4.
 *
 * Series are keyed by route pattern (never the raw path: unknown paths all
 * count as route="unmatched", so cardinality stays bounded by the route
 * table). Registries are append-only linked lists: lookups walk them without
 * a lock, inserts take a mutex; the counters themselves are relaxed atomics,
 * so recording a request never blocks. Entries live until the process ends.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "http/http_internal.h"

#define NBUCKETS 14
#define NMETHODS 7
#define NSTATUS 500     /* 100..599 */

static const double bucket_le[NBUCKETS] = {
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10
};
static const char *const method_label[NMETHODS] = {
    "GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OTHER"
};

typedef struct hist {
    _Atomic uint64_t bucket[NBUCKETS];  /* not cumulative; summed when rendered */
    _Atomic uint64_t count;
    _Atomic uint64_t sum_ns;
} hist;

struct http_metric_route {
    struct http_metric_route *next;
    char *name;
    hist h;
    _Atomic uint64_t *counts;           /* [NMETHODS][NSTATUS]; NULL for storage ops */
};

static _Atomic(struct http_metric_route *) routes_head;
static _Atomic(struct http_metric_route *) ops_head;
static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static _Atomic int64_t inflight;
static double start_time;

__attribute__((constructor)) static void metrics_start_time(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    start_time = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct http_metric_route *find(_Atomic(struct http_metric_route *) *head, const char *name)
{
    for (struct http_metric_route *m = atomic_load_explicit(head, memory_order_acquire); m; m = m->next)
        if (strcmp(m->name, name) == 0) return m;
    return NULL;
}

static struct http_metric_route *lookup(_Atomic(struct http_metric_route *) *head, const char *name,
                                        int with_counts)
{
    struct http_metric_route *m = find(head, name);
    if (m) return m;
    pthread_mutex_lock(&reg_lock);
    m = find(head, name);
    if (!m) {
        m = calloc(1, sizeof *m);
        if (m) {
            m->name = strdup(name);
            if (with_counts) m->counts = calloc((size_t)NMETHODS * NSTATUS, sizeof *m->counts);
            if (!m->name || (with_counts && !m->counts)) {
                free(m->name);
                free(m->counts);
                free(m);
                m = NULL;
            } else {
                m->next = atomic_load_explicit(head, memory_order_relaxed);
                atomic_store_explicit(head, m, memory_order_release);
            }
        }
    }
    pthread_mutex_unlock(&reg_lock);
    return m;
}

struct http_metric_route *http_metrics_route(const char *pattern)
{
    return lookup(&routes_head, pattern ? pattern : "unmatched", 1);
}

static void hist_observe(hist *h, double seconds)
{
    if (seconds < 0) seconds = 0;
    for (int i = 0; i < NBUCKETS; i++) {
        if (seconds <= bucket_le[i]) {
            atomic_fetch_add_explicit(&h->bucket[i], 1, memory_order_relaxed);
            break;
        }
    }
    atomic_fetch_add_explicit(&h->count, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&h->sum_ns, (uint64_t)(seconds * 1e9), memory_order_relaxed);
}

static int method_index(http_method m)
{
    switch (m) {
    case HTTP_GET: return 0;
    case HTTP_HEAD: return 1;
    case HTTP_POST: return 2;
    case HTTP_PUT: return 3;
    case HTTP_PATCH: return 4;
    case HTTP_DELETE: return 5;
    }
    return 6;
}

void http_metrics_request(struct http_metric_route *m, http_method method, int status, double seconds)
{
    if (!m) return;
    if (status < 100 || status > 599) status = 500;
    atomic_fetch_add_explicit(&m->counts[method_index(method) * NSTATUS + (status - 100)], 1,
                              memory_order_relaxed);
    hist_observe(&m->h, seconds);
}

void http_metrics_inflight(int delta)
{
    atomic_fetch_add_explicit(&inflight, delta, memory_order_relaxed);
}

void http_metrics_observe_storage(void *ud, const char *op, double seconds)
{
    (void)ud;
    struct http_metric_route *m = lookup(&ops_head, op ? op : "unknown", 0);
    if (m) hist_observe(&m->h, seconds);
}

/* Label value escaping per the text format: backslash, quote, newline. */
static void put_label(core_buf *b, const char *s)
{
    for (; *s; s++) {
        if (*s == '\\') core_buf_puts(b, "\\\\");
        else if (*s == '"') core_buf_puts(b, "\\\"");
        else if (*s == '\n') core_buf_puts(b, "\\n");
        else core_buf_putc(b, *s);
    }
}

static void render_hist(core_buf *b, const char *metric, const char *label, const char *value, hist *h)
{
    uint64_t cum = 0;
    uint64_t count = atomic_load_explicit(&h->count, memory_order_relaxed);
    for (int i = 0; i < NBUCKETS; i++) {
        cum += atomic_load_explicit(&h->bucket[i], memory_order_relaxed);
        if (cum > count) cum = count;
        core_buf_printf(b, "%s_bucket{%s=\"", metric, label);
        put_label(b, value);
        core_buf_printf(b, "\",le=\"%g\"} %llu\n", bucket_le[i], (unsigned long long)cum);
    }
    core_buf_printf(b, "%s_bucket{%s=\"", metric, label);
    put_label(b, value);
    core_buf_printf(b, "\",le=\"+Inf\"} %llu\n", (unsigned long long)count);
    core_buf_printf(b, "%s_sum{%s=\"", metric, label);
    put_label(b, value);
    core_buf_printf(b, "\"} %.9f\n",
                    (double)atomic_load_explicit(&h->sum_ns, memory_order_relaxed) / 1e9);
    core_buf_printf(b, "%s_count{%s=\"", metric, label);
    put_label(b, value);
    core_buf_printf(b, "\"} %llu\n", (unsigned long long)count);
}

int http_metrics_render(core_buf *b)
{
    if (!b) return CORE_INVALID;
    struct http_metric_route *head = atomic_load_explicit(&routes_head, memory_order_acquire);
    struct http_metric_route *ops = atomic_load_explicit(&ops_head, memory_order_acquire);

    core_buf_puts(b, "# HELP http_requests_total HTTP requests by route pattern, method and status.\n"
                     "# TYPE http_requests_total counter\n");
    for (struct http_metric_route *m = head; m; m = m->next) {
        for (int mi = 0; mi < NMETHODS; mi++) {
            for (int s = 0; s < NSTATUS; s++) {
                uint64_t v = atomic_load_explicit(&m->counts[mi * NSTATUS + s], memory_order_relaxed);
                if (!v) continue;
                core_buf_puts(b, "http_requests_total{route=\"");
                put_label(b, m->name);
                core_buf_printf(b, "\",method=\"%s\",status=\"%d\"} %llu\n", method_label[mi], s + 100,
                                (unsigned long long)v);
            }
        }
    }
    core_buf_puts(b, "# HELP http_request_duration_seconds HTTP request duration by route pattern.\n"
                     "# TYPE http_request_duration_seconds histogram\n");
    for (struct http_metric_route *m = head; m; m = m->next)
        if (atomic_load_explicit(&m->h.count, memory_order_relaxed))
            render_hist(b, "http_request_duration_seconds", "route", m->name, &m->h);
    core_buf_puts(b, "# HELP store_operation_duration_seconds Storage operation duration by operation.\n"
                     "# TYPE store_operation_duration_seconds histogram\n");
    for (struct http_metric_route *m = ops; m; m = m->next)
        render_hist(b, "store_operation_duration_seconds", "op", m->name, &m->h);
    core_buf_printf(b, "# HELP http_requests_in_flight HTTP requests being served.\n"
                       "# TYPE http_requests_in_flight gauge\n"
                       "http_requests_in_flight %lld\n",
                    (long long)atomic_load_explicit(&inflight, memory_order_relaxed));
    core_buf_printf(b, "# HELP process_start_time_seconds Start time of the process since the Unix epoch.\n"
                       "# TYPE process_start_time_seconds gauge\n"
                       "process_start_time_seconds %.3f\n", start_time);
    return b->oom ? CORE_NOMEM : CORE_OK;
}
