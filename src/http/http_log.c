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

/* JSON string escaping; bytes >= 0x80 pass through (inputs are UTF-8-checked
 * or our own), control characters become \u00XX. */
static void put_json_str(core_buf *b, const char *s)
{
    core_buf_putc(b, '"');
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"') core_buf_puts(b, "\\\"");
        else if (c == '\\') core_buf_puts(b, "\\\\");
        else if (c == '\n') core_buf_puts(b, "\\n");
        else if (c < 0x20 || c == 0x7f) core_buf_printf(b, "\\u%04x", c);
        else core_buf_putc(b, (char)c);
    }
    core_buf_putc(b, '"');
}

static void put_head(core_buf *b, http_log_level level)
{
    struct timespec ts;
    struct tm tm;
    char when[32];
    clock_gettime(CLOCK_REALTIME, &ts);
    gmtime_r(&ts.tv_sec, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%S", &tm);
    core_buf_printf(b, "{\"ts\":\"%s.%03ldZ\",\"level\":\"%s\"", when, ts.tv_nsec / 1000000L,
                    level_name(level));
}

static void emit(core_buf *b)
{
    core_buf_puts(b, "}\n");
    if (!b->oom) {
        const char *p = core_buf_cstr(b);
        size_t left = b->len;
        while (left) {
            ssize_t w = write(STDERR_FILENO, p, left);
            if (w <= 0) break;
            p += w;
            left -= (size_t)w;
        }
    }
    core_buf_cleanup(b);
}

void http_log(http_log_level level, const char *msg, const char *detail)
{
    if (!enabled(level)) return;
    core_buf b;
    core_buf_init(&b);
    put_head(&b, level);
    core_buf_puts(&b, ",\"msg\":");
    put_json_str(&b, msg ? msg : "");
    if (detail) {
        core_buf_puts(&b, ",\"detail\":");
        put_json_str(&b, detail);
    }
    emit(&b);
}

void http_log_request(http_req *req, double seconds)
{
    http_log_level level = req->status >= 500 ? HTTP_LOG_ERROR : HTTP_LOG_INFO;
    if (!enabled(level)) return;
    core_buf b;
    core_buf_init(&b);
    put_head(&b, level);
    core_buf_puts(&b, ",\"msg\":\"request\",\"request_id\":");
    put_json_str(&b, req->id);
    core_buf_puts(&b, ",\"method\":");
    put_json_str(&b, req->method ? http_method_name(req->method) : "OTHER");
    core_buf_puts(&b, ",\"route\":");
    put_json_str(&b, req->route ? req->route->pattern : "unmatched");
    core_buf_printf(&b, ",\"status\":%d,\"duration_ms\":%.3f", req->status, seconds * 1000.0);
    /* fields were pushed in front; print them in order of addition */
    const http_kv *f[64];
    size_t nf = 0;
    for (const http_kv *k = req->log_fields; k && nf < 64; k = k->next) f[nf++] = k;
    while (nf--) {
        core_buf_putc(&b, ',');
        put_json_str(&b, f[nf]->name);
        core_buf_putc(&b, ':');
        put_json_str(&b, f[nf]->value);
    }
    emit(&b);
}
