/* http: the HTTP server (libmicrohttpd, thread pool on epoll), the router,
 * requests and responses, problem+json errors, security headers, limits,
 * Prometheus metrics and JSON-lines access logs.
 *
 * Knows nothing of hrdd's domain: routes come in as a table, each naming the
 * permission it needs; one hook (http_config.authorize) decides every route
 * before its handler runs. Each request gets an arena that dies with it.
 */
#ifndef HRDD_HTTP_H
#define HRDD_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"

typedef enum http_method {
    HTTP_GET = 1, HTTP_HEAD = 2, HTTP_POST = 4, HTTP_PUT = 8, HTTP_PATCH = 16, HTTP_DELETE = 32
} http_method;

typedef enum http_kind {
    HTTP_KIND_API = 0,      /* JSON; errors as application/problem+json */
    HTTP_KIND_HTML = 1      /* pages; errors as an HTML error page */
} http_kind;

typedef struct http_req http_req;

/* A handler fills the response (http_res_*) and returns CORE_OK; any other
 * return without a response set becomes a 500 problem (logged, never a crash). */
typedef int (*http_handler)(http_req *req);

typedef struct http_route {
    unsigned methods;       /* HTTP_GET | ... (HEAD is implied by GET) */
    const char *pattern;    /* "/api/v1/orgs/{org}/users/{id}"; segments in braces are parameters */
    http_handler handler;
    core_perm perm;         /* what the caller must hold; checked by http_config.authorize */
    http_kind kind;
    const char *summary;    /* one line, for the OpenAPI test and docs */
    size_t max_body;        /* body limit of this route (e.g. an upload form); 0 = http_config.max_body */
} http_route;

/* ---- router (usable on its own, e.g. by tests) ---- */
#define HTTP_MAX_PARAMS 8
typedef struct http_match {
    const http_route *route;
    size_t nparams;
    const char *names[HTTP_MAX_PARAMS];   /* parameter names (without braces), in the arena */
    const char *values[HTTP_MAX_PARAMS];  /* percent-decoded, allocated in the arena */
    unsigned allowed;                     /* on 405: methods the path accepts */
} http_match;

typedef struct http_router {
    http_route *routes;
    size_t n, cap;
} http_router;

void http_router_init(http_router *r);
void http_router_cleanup(http_router *r);
int http_router_add(http_router *r, const http_route *route);   /* CORE_INVALID on a bad pattern or duplicate */
int http_router_add_all(http_router *r, const http_route *routes, size_t n);
/* CORE_OK, CORE_NOTFOUND (no path) or CORE_DENIED (path exists, method not: 405, see m->allowed). */
int http_router_match(const http_router *r, core_arena *a, http_method method, const char *path,
                      http_match *m);
const char *http_method_name(http_method m);

/* ---- server ---- */
typedef struct http_config {
    const char *listen;             /* "127.0.0.1:8080", "[::1]:8080", ":8080" */
    int threads;                    /* 0 -> number of cores */
    size_t max_body;                /* bytes; 0 -> 1 MiB */
    size_t max_header;              /* bytes for all headers; 0 -> 16 KiB */
    unsigned timeout_s;             /* idle connection timeout, and the time a connection has to
                                       send a request's headers (http_deadline.c); 0 -> 15 */
    unsigned max_connections;       /* simultaneous connections; 0 -> 1000 (less when RLIMIT_NOFILE is lower) */
    int behind_tls;                 /* HSTS and Secure cookies */
    void *app;                      /* handed to handlers via http_req_app */
    /* Called for every matched route before its handler. Returns CORE_OK to
     * go on; otherwise it has set the response (401/403/redirect) and the
     * handler does not run. NULL means every route is public. */
    int (*authorize)(http_req *req, const http_route *route);
    /* Called once per request after the handler, before the log line; may be NULL. */
    void (*finish)(http_req *req);
} http_config;

typedef struct http_server http_server;

/* From a successful start on, SIGINT and SIGTERM are blocked in the calling
 * thread (they stay pending for http_wait_for_signal instead of killing the
 * process); http_server_stop, called from the same thread, restores the mask. */
int http_server_start(http_server **out, const http_config *cfg, const http_route *routes, size_t n);
void http_server_stop(http_server *s);     /* stops accepting, waits for in-flight requests */
int http_server_port(const http_server *s); /* bound port (for listen ":0" in tests) */
const http_router *http_server_router(const http_server *s);

/* Blocks until SIGINT or SIGTERM (sigwait; the signals are blocked first). */
void http_wait_for_signal(void);

/* ---- request ---- */
core_arena *http_req_arena(http_req *req);
void *http_req_app(http_req *req);
http_method http_req_method(const http_req *req);
const char *http_req_path(const http_req *req);
const http_route *http_req_route(const http_req *req);          /* NULL before routing */
const char *http_req_id(const http_req *req);                   /* random per request; also in X-Request-Id */
const char *http_req_param(http_req *req, const char *name);    /* path parameter */
const char *http_req_query(http_req *req, const char *name);    /* first value, decoded */
/* The idx-th query parameter in request order (repeats included), decoded:
 * CORE_OK with *name and *value (alive for the request), CORE_NOTFOUND past
 * the last one or when the query does not decode. */
int http_req_query_nth(http_req *req, size_t idx, const char **name, const char **value);
const char *http_req_header(http_req *req, const char *name);   /* case-insensitive */
const char *http_req_cookie(http_req *req, const char *name);
const char *http_req_body(http_req *req, size_t *len);          /* raw body, NUL-terminated */
/* Form field, decoded: application/x-www-form-urlencoded, or a text part of
 * multipart/form-data; NULL if absent (or if the body is malformed). */
const char *http_req_form(http_req *req, const char *name);
/* multipart/form-data: CORE_OK (or not multipart), CORE_INVALID (malformed:
 * answer 400) or CORE_DENIED (a part count or size limit: answer 413). */
int http_req_form_status(http_req *req);
/* A file part of a multipart/form-data body: CORE_OK with the file name (last
 * path component, may be ""), its bytes (pointing into the body, alive for the
 * request) and length; CORE_NOTFOUND if no file was sent under that name (an
 * empty file input counts as none); CORE_INVALID/CORE_DENIED as above.
 * _nth gives the idx-th file of that name (an input with "multiple"). */
int http_req_file(http_req *req, const char *name, const char **filename, const void **data,
                  size_t *len);
int http_req_file_nth(http_req *req, const char *name, size_t idx, const char **filename,
                      const void **data, size_t *len);
/* Parses the body as a JSON object. On failure sets a 400/415 problem
 * (invalid JSON with line/column, invalid UTF-8, not an object, wrong content
 * type) and returns NULL. The object is released with the request. */
json_t *http_req_json(http_req *req);
/* The peer address, for throttling only. Never log it for public routes. */
const char *http_req_peer(http_req *req);
int http_req_behind_tls(const http_req *req);
/* Per-request slot for the authorize hook to pass state (e.g. the principal) to handlers. */
void http_req_set_user(http_req *req, void *user);
void *http_req_user(const http_req *req);
/* A field to add to the access log line (e.g. "user": "12"). Copied. */
void http_req_log_field(http_req *req, const char *key, const char *value);

/* ---- response ---- */
void http_res_status(http_req *req, int status);
void http_res_header(http_req *req, const char *name, const char *value);   /* copied */
/* Body is copied into the arena. */
void http_res_body(http_req *req, int status, const char *content_type, const void *data, size_t len);
void http_res_text(http_req *req, int status, const char *text);
void http_res_html(http_req *req, int status, const char *html, size_t len);
void http_res_json(http_req *req, int status, json_t *body);    /* steals the reference */
/* RFC 9457 problem: type "about:blank" unless type_suffix given (then
 * "https://hrdd.dev/problems/<suffix>"); "field" names the input at fault
 * (JSON pointer such as "/email"), or NULL. */
void http_res_problem(http_req *req, int status, const char *title, const char *detail,
                      const char *field);
/* The same with type "https://hrdd.dev/problems/<type_suffix>" (suffix: [a-z0-9-]). */
void http_res_problem_type(http_req *req, int status, const char *type_suffix, const char *title,
                           const char *detail, const char *field);
void http_res_redirect(http_req *req, int status, const char *location);
/* A file to save, never to render in our origin: 200 with the given type
 * (application/octet-stream when NULL or empty), "attachment" with a
 * header-safe name (only [A-Za-z0-9._-] kept, others '_', at most 64; a name
 * that is empty or starts with '.' becomes "file-<id>"), a sandbox CSP and
 * no caching. The data is copied. */
void http_res_download(http_req *req, const char *filename, long long id, const char *content_type,
                       const void *data, size_t len);
/* HTTP_COOKIE_LAX: SameSite=Lax, for a preference that carries no authority
 * and should hold when arriving from another site (the language). */
typedef enum http_cookie_flags { HTTP_COOKIE_DELETE = 1, HTTP_COOKIE_LAX = 2 } http_cookie_flags;
/* Always HttpOnly, Path=/, SameSite=Strict unless HTTP_COOKIE_LAX; Secure when
 * behind TLS. max_age 0 = session cookie. */
void http_res_cookie(http_req *req, const char *name, const char *value, long max_age, unsigned flags);
int http_res_is_set(const http_req *req);

/* ---- multipart/form-data parser (RFC 7578), usable on its own ---- */
typedef struct http_part {
    const char *name;               /* the form field name (UTF-8) */
    const char *filename;           /* NULL for a text field; "" for an empty file input */
    const char *content_type;       /* as sent, or NULL */
    const char *data;               /* text: NUL-terminated copy in the arena; file: into the body */
    size_t len;
} http_part;
typedef struct http_multipart_limits {
    size_t max_parts;               /* 64 */
    size_t max_field;               /* bytes of one text field: 256 KiB */
    size_t max_file;                /* bytes of one file: 64 MiB (the body limit bounds it first,
                                       so a handler can name an oversize file next to its field) */
    size_t max_files;               /* non-empty file parts: 8 */
    size_t max_header;              /* bytes of one part's header block: 4 KiB */
} http_multipart_limits;
void http_multipart_limits_default(http_multipart_limits *l);
/* Parses body[0..len) sent with content_type ("multipart/form-data;
 * boundary=..."). lim NULL = defaults. CORE_INVALID if malformed (also: a
 * text field that is not UTF-8 or holds NUL), CORE_DENIED past a limit. */
int http_multipart_parse(core_arena *a, const char *content_type, const char *body, size_t len,
                         const http_multipart_limits *lim, http_part **parts, size_t *n);

/* ---- metrics (process-wide) ---- */
void http_metrics_observe_storage(void *ud, const char *op, double seconds); /* a store_observer */
/* Renders the Prometheus text exposition into b. */
int http_metrics_render(core_buf *b);

/* ---- error pages and logs ---- */
/* Renders the HTML error page for routes of kind HTML and for 404/405 outside
 * /api/. The function must set the response (e.g. http_res_html). NULL
 * restores the built-in minimal page. Process-wide; set before serving. */
typedef void (*http_html_error_fn)(http_req *req, int status, const char *title);
void http_set_html_error(http_html_error_fn fn);
/* An error response in the form the route calls for: the HTML error page (above)
 * for HTML routes and non-API paths, else a problem+json (title NULL = the
 * status's standard title). Used by app_fail and app_authorize. */
void http_error(http_req *req, int status, const char *title, const char *detail);

typedef enum http_log_level {
    HTTP_LOG_DEBUG = 0, HTTP_LOG_INFO = 1, HTTP_LOG_WARN = 2, HTTP_LOG_ERROR = 3, HTTP_LOG_OFF = 4
} http_log_level;
void http_log_set_level(http_log_level level);          /* default INFO */
int http_log_parse_level(const char *s, http_log_level *out);   /* "debug", ...; CORE_INVALID */
void http_log_set_quiet(int quiet);                     /* tests: nothing on stderr */
/* One JSON line {"ts","level","msg", "detail"?} on stderr. Never pass bodies or client IPs. */
void http_log(http_log_level level, const char *msg, const char *detail);

/* Built-in handlers the route table may use. */
int http_handle_healthz(http_req *req);   /* 200 {"status":"ok"} */
int http_handle_metrics(http_req *req);   /* text/plain; version=0.0.4 */

#endif
