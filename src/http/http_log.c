/* http_log: JSON-lines logs on stderr.
 *
 * One line per request: ts, level, request_id, method, route (the pattern,
 * never the raw path, so identifiers in public URLs are not logged), status,
 * duration_ms and fields added with http_req_log_field. Never the client
 * address, the query string or any body. Each line is written with a single
 * write(2) so lines from concurrent threads do not interleave.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "http/http_internal.h"

static _Atomic int log_level = HTTP_LOG_INFO;
static _Atomic int log_quiet;

void http_log_set_level(http_log_level level)
{
    atomic_store(&log_level, (int)level);
}

void http_log_set_quiet(int quiet)
{
    atomic_store(&log_quiet, quiet ? 1 : 0);
}

int http_log_parse_level(const char *s, http_log_level *out)
{
    static const char *const names[] = { "debug", "info", "warn", "error", "off" };
    for (int i = 0; s && i < 5; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = (http_log_level)i;
            return CORE_OK;
        }
    }
    return CORE_INVALID;
}

static const char *level_name(http_log_level l)
{
    switch (l) {
    case HTTP_LOG_DEBUG: return "debug";
    case HTTP_LOG_INFO: return "info";
    case HTTP_LOG_WARN: return "warn";
    case HTTP_LOG_ERROR: return "error";
    default: return "off";
    }
}

static int enabled(http_log_level l)
{
    return !atomic_load_explicit(&log_quiet, memory_order_relaxed) &&
           (int)l >= atomic_load_explicit(&log_level, memory_order_relaxed) && l < HTTP_LOG_OFF;
}

/* A line is built in a fixed stack buffer (no allocation per request); a
 * line that would not fit is cut at a field boundary and marked truncated. */
typedef struct lbuf {
    char d[2048];
    size_t n;
    size_t safe;    /* end of the last complete field */
    int full;
} lbuf;

static void mark(lbuf *b)
{
    if (!b->full) b->safe = b->n;
}

static void put(lbuf *b, const char *s, size_t n)
{
    if (b->full) return;
    if (n > sizeof b->d - 64 - b->n) {   /* keep room for the closing fields */
        b->full = 1;
        return;
    }
    memcpy(b->d + b->n, s, n);
    b->n += n;
}

static void puts_(lbuf *b, const char *s)
{
    put(b, s, strlen(s));
}

/* JSON string escaping; bytes >= 0x80 pass through (inputs are UTF-8-checked
 * or our own), control characters become \u00XX. */
static void put_json_str(lbuf *b, const char *s)
{
    char tmp[512];
    size_t o = 0;
    tmp[o++] = '"';
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (o + 8 >= sizeof tmp) break;            /* over-long values are cut */
        if (c == '"' || c == '\\') {
            tmp[o++] = '\\';
            tmp[o++] = (char)c;
        } else if (c == '\n') {
            tmp[o++] = '\\';
            tmp[o++] = 'n';
        } else if (c < 0x20 || c == 0x7f) {
            o += (size_t)snprintf(tmp + o, sizeof tmp - o, "\\u%04x", c);
        } else {
            tmp[o++] = (char)c;
        }
    }
    tmp[o++] = '"';
    put(b, tmp, o);
}

static void put_head(lbuf *b, http_log_level level)
{
    /* the date part is formatted once per second per thread (gmtime_r takes a lock) */
    static _Thread_local time_t cached_sec = (time_t)-1;
    static _Thread_local char cached[80];
    struct timespec ts;
    char head[96];
    clock_gettime(CLOCK_REALTIME, &ts);
    if (ts.tv_sec != cached_sec) {
        struct tm tm;
        gmtime_r(&ts.tv_sec, &tm);
        snprintf(cached, sizeof cached, "%04d-%02d-%02dT%02d:%02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1,
                 tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
        cached_sec = ts.tv_sec;
    }
    int n = snprintf(head, sizeof head, "{\"ts\":\"%s.%03dZ\",\"level\":\"%s\"", cached,
                     (int)(ts.tv_nsec / 1000000L), level_name(level));
    if (n > 0) put(b, head, (size_t)n < sizeof head ? (size_t)n : sizeof head - 1);
}

static void emit(lbuf *b)
{
    static const char trunc[] = ",\"truncated\":true}\n";
    if (b->full) {
        b->n = b->safe;
        memcpy(b->d + b->n, trunc, sizeof trunc - 1);
        b->n += sizeof trunc - 1;
    } else {
        b->d[b->n++] = '}';
        b->d[b->n++] = '\n';
    }
    const char *p = b->d;
    size_t left = b->n;
    while (left) {
        ssize_t w = write(STDERR_FILENO, p, left);
        if (w <= 0) break;
        p += w;
        left -= (size_t)w;
    }
}

void http_log(http_log_level level, const char *msg, const char *detail)
{
    if (!enabled(level)) return;
    lbuf b;
    b.n = b.safe = 0;
    b.full = 0;
    put_head(&b, level);
    mark(&b);
    puts_(&b, ",\"msg\":");
    put_json_str(&b, msg ? msg : "");
    mark(&b);
    if (detail) {
        puts_(&b, ",\"detail\":");
        put_json_str(&b, detail);
    }
    emit(&b);
}

void http_log_request(http_req *req, double seconds)
{
    http_log_level level = req->status >= 500 ? HTTP_LOG_ERROR : HTTP_LOG_INFO;
    if (!enabled(level)) return;
    lbuf b;
    char num[64];
    b.n = b.safe = 0;
    b.full = 0;
    put_head(&b, level);
    mark(&b);
    puts_(&b, ",\"msg\":\"request\",\"request_id\":");
    put_json_str(&b, req->id);
    puts_(&b, ",\"method\":");
    put_json_str(&b, req->method ? http_method_name(req->method) : "OTHER");
    puts_(&b, ",\"route\":");
    put_json_str(&b, req->route ? req->route->pattern : "unmatched");
    long long us = (long long)(seconds * 1e6 + 0.5);
    int n = snprintf(num, sizeof num, ",\"status\":%d,\"duration_ms\":%lld.%03lld", req->status, us / 1000,
                     us % 1000);
    if (n > 0 && (size_t)n < sizeof num) put(&b, num, (size_t)n);
    mark(&b);
    /* fields were pushed in front; print them in order of addition */
    const http_kv *f[64];
    size_t nf = 0;
    for (const http_kv *k = req->log_fields; k && nf < 64; k = k->next) f[nf++] = k;
    while (nf--) {
        puts_(&b, ",");
        put_json_str(&b, f[nf]->name);
        puts_(&b, ":");
        put_json_str(&b, f[nf]->value);
        mark(&b);
    }
    emit(&b);
}
