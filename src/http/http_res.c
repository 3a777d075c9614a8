/* http_res: building responses.
 *
 * Handlers record status, headers and body (copied into the request arena);
 * http_res_queue turns that into one MHD_Response when the request is done,
 * adding the security headers every response carries (errors included) unless
 * the handler set that header itself (e.g. Cache-Control on static assets).
 * Errors come as RFC 9457 problem+json, or as an HTML page for page routes and
 * for unknown paths outside /api/ (rendered by a hook the web module sets).
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "http/http_internal.h"

static const char *const security_headers[][2] = {
    { "Content-Security-Policy",
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
      "form-action 'self'; frame-ancestors 'none'; base-uri 'none'" },
    { "X-Content-Type-Options", "nosniff" },
    { "Referrer-Policy", "no-referrer" },
    { "X-Frame-Options", "DENY" },
    { "Cross-Origin-Opener-Policy", "same-origin" },
    { "Cross-Origin-Resource-Policy", "same-origin" },
    { "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()" },
    { "Cache-Control", "no-store" },
};

static _Atomic(http_html_error_fn) html_error_fn;

void http_set_html_error(http_html_error_fn fn)
{
    atomic_store(&html_error_fn, fn);
}

const char *http_status_title(int status)
{
    switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 202: return "Accepted";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 303: return "See Other";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 308: return "Permanent Redirect";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 406: return "Not Acceptable";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 411: return "Length Required";
    case 412: return "Precondition Failed";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 422: return "Unprocessable Content";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    }
    return "Error";
}

static int token_ok(const char *s)
{
    if (!s || !*s) return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && !strchr("!#$%&'*+-.^_`|~", *s)) return 0;
    return 1;
}

static int value_ok(const char *s)
{
    if (!s) return 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c < 0x20 && c != '\t') || c == 0x7f) return 0;
    }
    return 1;
}

static int valid_status(int status)
{
    return status >= 100 && status <= 599;
}

void http_res_status(http_req *req, int status)
{
    if (!req) return;
    req->status = valid_status(status) ? status : 500;
    req->res_set = 1;
}

static void add_header(http_req *req, const char *name, const char *value)
{
    http_kv *kv = core_arena_alloc(&req->arena, sizeof *kv);
    if (!kv) return;
    kv->name = core_arena_strdup(&req->arena, name);
    kv->value = core_arena_strdup(&req->arena, value);
    if (!kv->name || !kv->value) return;
    if (!req->res_tail) req->res_tail = &req->res_headers;
    *req->res_tail = kv;
    req->res_tail = &kv->next;
}

void http_res_header(http_req *req, const char *name, const char *value)
{
    if (!req || !token_ok(name) || !value_ok(value)) {
        http_log(HTTP_LOG_WARN, "invalid response header dropped", name && token_ok(name) ? name : NULL);
        return;
    }
    if (strcasecmp(name, "Content-Type") == 0) {
        req->content_type = core_arena_strdup(&req->arena, value);
        return;
    }
    if (strcasecmp(name, "Content-Length") == 0) return;   /* MHD computes it */
    add_header(req, name, value);
}

void http_res_body(http_req *req, int status, const char *content_type, const void *data, size_t len)
{
    if (!req) return;
    char *copy = core_arena_alloc(&req->arena, len + 1);
    if (!copy) {
        req->res_body = NULL;
        req->res_len = 0;
        req->content_type = NULL;
        http_res_status(req, 500);
        return;
    }
    if (len && data) memcpy(copy, data, len);
    else len = 0;
    req->res_body = copy;
    req->res_len = len;
    if (content_type && value_ok(content_type))
        req->content_type = core_arena_strdup(&req->arena, content_type);
    http_res_status(req, status);
}

void http_res_download(http_req *req, const char *filename, long long id, const char *content_type,
                       const void *data, size_t len)
{
    char name[72];
    size_t o = 0;
    for (const char *p = filename ? filename : ""; *p && o < 64; p++) {
        char ch = *p;
        int safe = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                   ch == '.' || ch == '-' || ch == '_';
        name[o++] = safe ? ch : '_';
    }
    name[o] = '\0';
    if (name[0] == '.' || name[0] == '\0')
        snprintf(name, sizeof name, "file-%lld", id);
    char disp[96];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", name);
    http_res_header(req, "Content-Disposition", disp);
    http_res_header(req, "Content-Security-Policy", "sandbox; default-src 'none'");
    http_res_header(req, "Cache-Control", "no-store");
    http_res_body(req, 200, content_type && *content_type ? content_type : "application/octet-stream", data, len);
}

void http_res_text(http_req *req, int status, const char *text)
{
    if (!text) text = "";
    http_res_body(req, status, "text/plain; charset=utf-8", text, strlen(text));
}

void http_res_html(http_req *req, int status, const char *html, size_t len)
{
    http_res_body(req, status, "text/html; charset=utf-8", html, html ? len : 0);
}

static void set_json_body(http_req *req, int status, json_t *body, const char *ctype)
{
    size_t n = json_dumpb(body, NULL, 0, JSON_COMPACT);
    char *buf = n ? core_arena_alloc(&req->arena, n + 1) : NULL;
    if (!buf || json_dumpb(body, buf, n, JSON_COMPACT) != n) {
        static const char fallback[] =
            "{\"type\":\"about:blank\",\"title\":\"Internal Server Error\",\"status\":500}";
        req->res_body = fallback;
        req->res_len = sizeof fallback - 1;
        req->content_type = "application/problem+json";
        http_res_status(req, 500);
        return;
    }
    req->res_body = buf;
    req->res_len = n;
    req->content_type = ctype;
    http_res_status(req, status);
}

void http_res_json(http_req *req, int status, json_t *body)
{
    if (!req) {
        json_decref(body);
        return;
    }
    if (!body) {
        http_res_problem(req, 500, "Internal Server Error", NULL, NULL);
        return;
    }
    set_json_body(req, status, body, "application/json");
    json_decref(body);
}

void http_res_problem(http_req *req, int status, const char *title, const char *detail,
                      const char *field)
{
    http_res_problem_type(req, status, NULL, title, detail, field);
}

void http_res_problem_type(http_req *req, int status, const char *type_suffix, const char *title,
                           const char *detail, const char *field)
{
    if (!req) return;
    char type[128] = "about:blank";
    if (type_suffix && core_slug_valid(type_suffix))
        snprintf(type, sizeof type, "https://hrdd.dev/problems/%s", type_suffix);
    if (!valid_status(status)) status = 500;
    json_t *o = json_object();
    if (o) {
        json_object_set_new(o, "type", json_string(type));
        json_object_set_new(o, "title", json_string(title ? title : http_status_title(status)));
        json_object_set_new(o, "status", json_integer(status));
        if (detail) json_object_set_new(o, "detail", json_string(detail));
        if (req->path) json_object_set_new(o, "instance", json_string(req->path));
        if (field) json_object_set_new(o, "field", json_string(field));
        set_json_body(req, status, o, "application/problem+json");
        json_decref(o);
    } else {
        static const char fallback[] = "{\"type\":\"about:blank\",\"title\":\"Error\"}";
        req->res_body = fallback;
        req->res_len = sizeof fallback - 1;
        req->content_type = "application/problem+json";
        http_res_status(req, status);
    }
}

static void default_html_error(http_req *req, int status, const char *title)
{
    core_buf b;
    core_buf_init(&b);
    core_buf_printf(&b, "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>%d ", status);
    core_buf_html(&b, title);
    core_buf_printf(&b, "</title></head><body><main><h1>%d ", status);
    core_buf_html(&b, title);
    core_buf_puts(&b, "</h1></main></body></html>\n");
    if (b.oom) http_res_text(req, status, title);
    else http_res_html(req, status, core_buf_cstr(&b), b.len);
    core_buf_cleanup(&b);
}

static int wants_html(const http_req *req)
{
    if (req->route) return req->route->kind == HTTP_KIND_HTML;
    const char *p = req->path ? req->path : "";
    return !(strncmp(p, "/api/", 5) == 0 || strcmp(p, "/api") == 0);
}

void http_error(http_req *req, int status, const char *title, const char *detail)
{
    if (!req) return;
    if (!title) title = http_status_title(status);
    if (wants_html(req)) {
        http_html_error_fn fn = atomic_load(&html_error_fn);
        req->res_set = 0;
        if (fn) fn(req, status, title);
        if (!req->res_set) default_html_error(req, status, title);
        req->status = status;
    } else {
        http_res_problem(req, status, title, detail, NULL);
    }
}

void http_res_redirect(http_req *req, int status, const char *location)
{
    if (!req) return;
    if (!location || !*location || !value_ok(location)) {
        http_res_problem(req, 500, "Internal Server Error", NULL, NULL);
        return;
    }
    if (status != 301 && status != 302 && status != 303 && status != 307 && status != 308)
        status = 303;
    add_header(req, "Location", location);
    req->res_body = "";
    req->res_len = 0;
    req->content_type = NULL;
    http_res_status(req, status);
}

static int cookie_value_ok(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' || c == ';' || c == '\\') return 0;
    }
    return 1;
}

void http_res_cookie(http_req *req, const char *name, const char *value, long max_age, unsigned flags)
{
    if (!req || !token_ok(name)) return;
    int del = (flags & HTTP_COOKIE_DELETE) != 0;
    if (del || !value) value = "";
    if (!cookie_value_ok(value)) {
        http_log(HTTP_LOG_WARN, "invalid cookie value dropped", name);
        return;
    }
    const char *secure = req->srv && req->srv->cfg.behind_tls ? "; Secure" : "";
    const char *site = (flags & HTTP_COOKIE_LAX) ? "Lax" : "Strict";
    char *h;
    if (del)
        h = core_arena_printf(&req->arena, "%s=; Path=/; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT; "
                              "HttpOnly; SameSite=%s%s", name, site, secure);
    else if (max_age > 0)
        h = core_arena_printf(&req->arena, "%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=%s%s",
                              name, value, max_age, site, secure);
    else
        h = core_arena_printf(&req->arena, "%s=%s; Path=/; HttpOnly; SameSite=%s%s", name, value, site, secure);
    if (h) add_header(req, "Set-Cookie", h);
}

int http_res_is_set(const http_req *req)
{
    return req && req->res_set;
}

static int overridden(const http_req *req, const char *name)
{
    for (const http_kv *k = req->res_headers; k; k = k->next)
        if (strcasecmp(k->name, name) == 0) return 1;
    return 0;
}

int http_res_queue(http_req *req)
{
    const void *body = req->res_body ? req->res_body : "";
    struct MHD_Response *r =
        MHD_create_response_from_buffer(req->res_len, (void *)body, MHD_RESPMEM_PERSISTENT);
    if (!r) return MHD_NO;
    for (size_t i = 0; i < sizeof security_headers / sizeof security_headers[0]; i++)
        if (!req->res_headers || !overridden(req, security_headers[i][0]))
            MHD_add_response_header(r, security_headers[i][0], security_headers[i][1]);
    if (req->srv && req->srv->cfg.behind_tls && !overridden(req, "Strict-Transport-Security"))
        MHD_add_response_header(r, "Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    MHD_add_response_header(r, "X-Request-Id", req->id);
    if (req->content_type) MHD_add_response_header(r, "Content-Type", req->content_type);
    for (const http_kv *k = req->res_headers; k; k = k->next)
        MHD_add_response_header(r, k->name, k->value);
    enum MHD_Result ret = MHD_queue_response(req->conn, (unsigned)req->status, r);
    MHD_destroy_response(r);
    return ret;
}
