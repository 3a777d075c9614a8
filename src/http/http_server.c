/* http_server: libmicrohttpd daemon (epoll, internal thread pool) and the
 * request life cycle.
 *
 * First callback: allocate the request (and its arena), validate the path and
 * query (UTF-8, percent-encoding), route (404/405/400), check Content-Length
 * against max_body (413); such an error is sent at once only when a body is
 * pending (MHD then closes the connection, which is what we want there).
 * Upload callbacks: accumulate the body up to max_body; beyond it the rest is
 * drained and a 413 sent. Final callback: authorize hook, handler, finish
 * hook, response. Completion notification: metrics, access log, free.
 * MHD's URL unescaping is switched off so the router sees the raw path and can
 * reject bad escapes itself.
 */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <microhttpd.h>

#include "http/http_internal.h"

#define DRAIN_FACTOR 4      /* drain at most this many times max_body after the limit */

static double elapsed(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Request ids: 96 bits from a per-thread generator (splitmix64) seeded from
 * getrandom once per thread, so a request costs no system call. Ids are for
 * correlation only and carry no authority. */
static uint64_t next_rand(void)
{
    static _Thread_local uint64_t state;
    static _Thread_local int seeded;
    if (!seeded) {
        if (getrandom(&state, sizeof state, 0) != (ssize_t)sizeof state) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            state = (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec + (uint64_t)(uintptr_t)&state;
        }
        seeded = 1;
    }
    uint64_t z = (state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static void new_id(char out[25])
{
    static const char hex[] = "0123456789abcdef";
    uint64_t a = next_rand(), b = next_rand();
    for (int i = 0; i < 16; i++) out[i] = hex[(a >> (4 * i)) & 15];
    for (int i = 0; i < 8; i++) out[16 + i] = hex[(b >> (4 * i)) & 15];
    out[24] = '\0';
}

/* 1 known method (m set, 0 for OPTIONS/TRACE/CONNECT), 0 unknown (501). */
static int parse_method(const char *s, http_method *m)
{
    static const struct { const char *n; http_method m; } known[] = {
        { "GET", HTTP_GET }, { "HEAD", HTTP_HEAD }, { "POST", HTTP_POST }, { "PUT", HTTP_PUT },
        { "PATCH", HTTP_PATCH }, { "DELETE", HTTP_DELETE }, { "OPTIONS", 0 }, { "TRACE", 0 },
        { "CONNECT", 0 },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        if (s && strcmp(s, known[i].n) == 0) {
            *m = known[i].m;
            return 1;
        }
    }
    *m = 0;
    return 0;
}

static void set_allow(http_req *req, unsigned allowed)
{
    char buf[64];
    size_t o = 0;
    buf[0] = '\0';
    static const http_method order[] = { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE };
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        if (!(allowed & (unsigned)order[i])) continue;
        int n = snprintf(buf + o, sizeof buf - o, "%s%s", o ? ", " : "", http_method_name(order[i]));
        if (n < 0 || (size_t)n >= sizeof buf - o) break;
        o += (size_t)n;
    }
    http_res_header(req, "Allow", buf);
}

/* The framing headers of a request: every Content-Length and Transfer-Encoding. */
typedef struct framing {
    int n_cl, n_te, cl_differ;
    const char *cl, *te;
} framing;

static enum MHD_Result count_framing(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    framing *f = cls;
    if (!key) return MHD_YES;
    if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH) == 0) {
        if (f->n_cl++ && (!value || !f->cl || strcmp(value, f->cl) != 0)) f->cl_differ = 1;
        if (!f->cl) f->cl = value;
    } else if (strcasecmp(key, MHD_HTTP_HEADER_TRANSFER_ENCODING) == 0) {
        f->n_te++;
        f->te = value;
    }
    return MHD_YES;
}

/* 1 when a body follows. *bad: 0 fine, 400 invalid or ambiguous framing,
 * 501 a transfer coding other than chunked. Ambiguous framing (Content-Length
 * with Transfer-Encoding, Content-Lengths that differ, several
 * Transfer-Encodings) is what request smuggling through a proxy rests on
 * (RFC 9112 6.3): it is refused and the connection closed. */
static int has_body(struct MHD_Connection *conn, uint64_t *clen, int *bad)
{
    *bad = 0;
    *clen = 0;
    framing f = {0};
    MHD_get_connection_values(conn, MHD_HEADER_KIND, count_framing, &f);
    if ((f.n_cl && f.n_te) || f.cl_differ || f.n_te > 1) {
        *bad = 400;
        return 1;
    }
    if (f.n_te && (!f.te || strcasecmp(f.te, "chunked") != 0)) {
        *bad = 501;
        return 1;
    }
    const char *cl = f.cl;
    if (cl) {
        int64_t v;
        if (core_parse_int64(cl, &v) != CORE_OK || v < 0) {
            *bad = 400;
            return 1;
        }
        *clen = (uint64_t)v;
        return v > 0;
    }
    return f.n_te > 0;
}

/* Everything decided before the body: returns 1 when a response is set. */
static int begin(http_req *req, int *body)
{
    http_server *s = req->srv;
    int known = parse_method(req->method_name, &req->method);
    const char *path = req->path;
    uint64_t clen;
    int bad;
    *body = has_body(req->conn, &clen, &bad);
    if (bad == 501) {      /* *body is 1: answered at once, then the connection is closed */
        http_error(req, 501, "Not Implemented", "This transfer coding is not supported.");
        return 1;
    }
    if (bad) {
        http_error(req, 400, "Bad Request", "Invalid or ambiguous Content-Length or Transfer-Encoding.");
        return 1;
    }
    if (!known) {
        http_error(req, 501, "Not Implemented", "This method is not supported.");
        return 1;
    }
    if (!path || path[0] != '/' || !core_utf8_valid(path, strlen(path)) ||
        (strchr(path, '%') && !http_pct_decode(&req->arena, path, strlen(path), 0))) {
        http_error(req, 400, "Bad Request", "The request path is not valid.");
        return 1;
    }
    if (http_req_parse_query(req) != CORE_OK) {
        http_error(req, 400, "Bad Request", "The query string is not valid.");
        return 1;
    }
    int rc = http_router_match(&s->router, &req->arena, req->method, path, &req->match);
    if (rc == CORE_NOTFOUND) {
        http_error(req, 404, "Not Found", "No such resource.");
        return 1;
    }
    if (rc == CORE_DENIED) {
        http_error(req, 405, "Method Not Allowed", "The resource does not accept this method.");
        set_allow(req, req->match.allowed);
        return 1;
    }
    if (req->match.route) {
        req->route = req->match.route;
        req->metric = s->route_metrics[req->route - s->router.routes];
    }
    if (rc != CORE_OK) {
        http_error(req, 400, "Bad Request", "A path parameter is not valid.");
        return 1;
    }
    if (clen > http_route_max_body(req->route, s->cfg.max_body)) {
        http_error(req, 413, "Content Too Large", "The request body is too large.");
        return 1;
    }
    return 0;
}

static void dispatch(http_req *req)
{
    const http_config *cfg = &req->srv->cfg;
    req->dispatched = 1;
    if (req->too_large) {
        http_error(req, 413, "Content Too Large", "The request body is too large.");
        return;
    }
    if (cfg->authorize) {
        int rc = cfg->authorize(req, req->route);
        if (rc != CORE_OK) {
            if (!req->res_set) {
                http_log(HTTP_LOG_ERROR, "authorize hook denied without a response", req->route->pattern);
                http_error(req, 500, "Internal Server Error", NULL);
            }
            return;
        }
    }
    int rc = req->route->handler(req);
    if (!req->res_set) {
        http_log(HTTP_LOG_ERROR, rc == CORE_OK ? "handler set no response" : "handler failed",
                 core_strerror(rc));
        req->res_headers = NULL;
        req->res_tail = NULL;
        http_error(req, 500, "Internal Server Error", NULL);
    }
}

static enum MHD_Result respond(http_req *req)
{
    const http_config *cfg = &req->srv->cfg;
    req->dispatched = 1;
    if (!req->res_set) http_error(req, 500, "Internal Server Error", NULL);
    if (cfg->finish && !req->finished) {
        req->finished = 1;
        cfg->finish(req);
    }
    enum MHD_Result r = (enum MHD_Result)http_res_queue(req);
    if (r == MHD_YES) req->queued = 1;
    return r;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    http_server *s = cls;
    http_req *req = *con_cls;
    if (!req) {
        req = calloc(1, sizeof *req);
        if (!req) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &req->start);
        core_arena_init(&req->arena);
        *con_cls = req;
        http_metrics_inflight(1);
        req->srv = s;
        req->conn = conn;
        req->status = 500;
        req->method_name = method;
        req->path = url;
        new_id(req->id);
        /* The head is complete; a body still runs against the deadline
         * (http_deadline.c), the handler does not. */
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
        req->dl = ci ? (http_dl_conn *)ci->socket_context : NULL;
        /* MHD closes the connection after a response queued from this first
         * call, so only answer early when that is wanted: an error while a
         * body is still on its way. Everything else answers on the next call. */
        int body;
        if (begin(req, &body) && body) return respond(req);
        if (!body) http_deadline_busy(s->deadline, req->dl, 1);
        return MHD_YES;
    }
    if (*upload_data_size) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        http_deadline_progress(s->deadline, req->dl, n);
        if (req->dispatched) return MHD_YES;
        size_t limit = http_route_max_body(req->route, s->cfg.max_body);
        if (req->too_large || req->body_len + n > limit) {
            if (!req->too_large) {
                /* Try to answer right away; MHD 0.9.75 refuses a response in
                 * the middle of an upload, then we drain and answer at the end. */
                req->too_large = 1;
                http_error(req, 413, "Content Too Large", "The request body is too large.");
                if (http_res_queue(req) == MHD_YES) {
                    req->queued = 1;
                    req->dispatched = 1;
                    return MHD_YES;
                }
            }
            req->discarded += n;
            return req->discarded > DRAIN_FACTOR * limit ? MHD_NO : MHD_YES;
        }
        if (req->body_len + n + 1 > req->body_cap) {
            size_t nc = req->body_cap ? req->body_cap : 1024;
            while (nc < req->body_len + n + 1) nc *= 2;
            if (nc > limit + 1) nc = limit + 1;
            char *nb = realloc(req->body, nc);
            if (!nb) return MHD_NO;
            req->body = nb;
            req->body_cap = nc;
        }
        memcpy(req->body + req->body_len, upload_data, n);
        req->body_len += n;
        req->body[req->body_len] = '\0';
        return MHD_YES;
    }
    http_deadline_busy(s->deadline, req->dl, 1);   /* the whole body is in */
    if (req->dispatched) return MHD_YES;
    if (!req->res_set) dispatch(req);
    return respond(req);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    http_server *s = cls;
    http_req *req = con_cls ? *con_cls : NULL;
    if (!req) return;
    *con_cls = NULL;
    http_deadline_busy(s->deadline, req->dl, 0);
    if (s->cfg.finish && !req->finished) {
        req->finished = 1;
        s->cfg.finish(req);
    }
    if (!req->queued) req->status = 499;     /* client went away first */
    double secs = elapsed(&req->start);
    http_metrics_request(req->metric ? req->metric : s->unmatched, req->method, req->status, secs);
    http_log_request(req, secs);
    http_metrics_inflight(-1);
    json_decref(req->json);
    free(req->body);
    core_arena_cleanup(&req->arena);
    free(req);
}

/* Connection start and end: the request-head deadline's entries. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe)
{
    http_server *s = cls;
    if (toe == MHD_CONNECTION_NOTIFY_STARTED) {
        const union MHD_ConnectionInfo *ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
        *socket_context = ci ? http_deadline_add(s->deadline, ci->connect_fd) : NULL;
    } else if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
        http_deadline_remove(s->deadline, *socket_context);
        *socket_context = NULL;
    }
}

/* The connection cap: as configured (1000 by default), but leaving room
 * under the open-file limit for the database and the listening socket. */
static unsigned connection_limit(const http_config *cfg)
{
    unsigned n = cfg->max_connections ? cfg->max_connections : 1000;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY) {
        rlim_t room = rl.rlim_cur > 128 ? rl.rlim_cur - 64 : rl.rlim_cur / 2;
        if ((rlim_t)n > room) n = (unsigned)room;
    }
    if (n < (unsigned)cfg->threads) n = (unsigned)cfg->threads;
    return n ? n : 1;
}

/* MHD would decode %XX in the path; keep it raw so the router can be strict. */
static size_t keep_escapes(void *cls, struct MHD_Connection *c, char *s)
{
    (void)cls;
    (void)c;
    return strlen(s);
}

static int parse_listen(const char *listen, struct sockaddr_storage *ss, int *ipv6, uint16_t *port)
{
    char host[256];
    const char *colon, *hs, *he;
    if (!listen || !*listen) return CORE_INVALID;
    if (listen[0] == '[') {
        const char *rb = strchr(listen, ']');
        if (!rb || rb[1] != ':') return CORE_INVALID;
        hs = listen + 1;
        he = rb;
        colon = rb + 1;
    } else {
        colon = strrchr(listen, ':');
        if (!colon) return CORE_INVALID;
        hs = listen;
        he = colon;
        if (memchr(hs, ':', (size_t)(he - hs))) return CORE_INVALID;   /* bare IPv6 needs brackets */
    }
    int64_t p;
    if (core_parse_int64(colon + 1, &p) != CORE_OK || p < 0 || p > 65535) return CORE_INVALID;
    *port = (uint16_t)p;
    size_t hl = (size_t)(he - hs);
    if (hl >= sizeof host) return CORE_INVALID;
    memcpy(host, hs, hl);
    host[hl] = '\0';
    memset(ss, 0, sizeof *ss);
    if (hl == 0) {
        struct sockaddr_in *in = (struct sockaddr_in *)(void *)ss;
        in->sin_family = AF_INET;
        in->sin_addr.s_addr = htonl(INADDR_ANY);
        in->sin_port = htons(*port);
        *ipv6 = 0;
        return CORE_OK;
    }
    struct addrinfo hints = { .ai_flags = AI_PASSIVE, .ai_socktype = SOCK_STREAM }, *res = NULL;
    if (getaddrinfo(host, NULL, &hints, &res) != 0 || !res) return CORE_INVALID;
    int rc = CORE_INVALID;
    if (res->ai_family == AF_INET && res->ai_addrlen <= sizeof *ss) {
        memcpy(ss, res->ai_addr, res->ai_addrlen);
        ((struct sockaddr_in *)(void *)ss)->sin_port = htons(*port);
        *ipv6 = 0;
        rc = CORE_OK;
    } else if (res->ai_family == AF_INET6 && res->ai_addrlen <= sizeof *ss) {
        memcpy(ss, res->ai_addr, res->ai_addrlen);
        ((struct sockaddr_in6 *)(void *)ss)->sin6_port = htons(*port);
        *ipv6 = 1;
        rc = CORE_OK;
    }
    freeaddrinfo(res);
    return rc;
}

int http_server_start(http_server **out, const http_config *cfg, const http_route *routes, size_t n)
{
    if (!out || !cfg) return CORE_INVALID;
    *out = NULL;
    struct sockaddr_storage ss;
    int ipv6 = 0;
    uint16_t port = 0;
    if (parse_listen(cfg->listen, &ss, &ipv6, &port) != CORE_OK) {
        http_log(HTTP_LOG_ERROR, "invalid listen address", cfg->listen);
        return CORE_INVALID;
    }
    http_server *s = calloc(1, sizeof *s);
    if (!s) return CORE_NOMEM;
    s->cfg = *cfg;
    if (!s->cfg.max_body) s->cfg.max_body = 1024 * 1024;
    if (!s->cfg.max_header) s->cfg.max_header = 16 * 1024;
    if (!s->cfg.timeout_s) s->cfg.timeout_s = 15;
    if (s->cfg.threads <= 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        s->cfg.threads = nc > 0 ? (int)nc : 2;
    }
    s->listen = strdup(cfg->listen);
    s->cfg.listen = s->listen;
    http_router_init(&s->router);
    int rc = s->listen ? http_router_add_all(&s->router, routes, n) : CORE_NOMEM;
    if (rc != CORE_OK) {
        http_log(HTTP_LOG_ERROR, "invalid route table", NULL);
        http_server_stop(s);
        return rc;
    }
    s->route_metrics = calloc(s->router.n ? s->router.n : 1, sizeof *s->route_metrics);
    s->unmatched = http_metrics_route(NULL);
    if (!s->route_metrics || !s->unmatched) {
        http_server_stop(s);
        return CORE_NOMEM;
    }
    for (size_t i = 0; i < s->router.n; i++) {
        s->route_metrics[i] = http_metrics_route(s->router.routes[i].pattern);
        if (!s->route_metrics[i]) {
            http_server_stop(s);
            return CORE_NOMEM;
        }
    }
    /* SIGINT/SIGTERM stay blocked in this thread from now on, so a signal
     * that arrives before http_wait_for_signal waits stays pending instead of
     * killing the process; http_server_stop restores the mask. MHD's threads
     * inherit the mask and never take these signals (nor SIGPIPE). */
    sigset_t term, pipe_set, old;
    sigemptyset(&term);
    sigaddset(&term, SIGINT);
    sigaddset(&term, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &term, &s->saved_mask);
    s->owner = pthread_self();
    s->mask_saved = 1;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    if (http_deadline_start(&s->deadline, s->cfg.timeout_s) != CORE_OK) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        http_log(HTTP_LOG_ERROR, "server start failed", "cannot start the request-head watcher");
        http_server_stop(s);
        return CORE_ERR;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO;
    if (ipv6) flags |= MHD_USE_IPv6;
    s->d = MHD_start_daemon(flags, port, NULL, NULL, on_request, s,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
                            MHD_OPTION_THREAD_POOL_SIZE, (unsigned)s->cfg.threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)s->cfg.timeout_s,
                            MHD_OPTION_CONNECTION_LIMIT, connection_limit(&s->cfg),
                            MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
                            MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(s->cfg.max_header + 4096),
                            MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
                            MHD_OPTION_UNESCAPE_CALLBACK, keep_escapes, NULL,
                            MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u,
                            MHD_OPTION_STRICT_FOR_CLIENT, 1,   /* Host required, no spaces in URLs */
                            MHD_OPTION_END);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    if (!s->d) {
        char msg[128];
        snprintf(msg, sizeof msg, "cannot listen on %s (%s)", s->listen, strerror(errno));
        http_log(HTTP_LOG_ERROR, "server start failed", msg);
        http_server_stop(s);
        return CORE_ERR;
    }
    *out = s;
    return CORE_OK;
}

void http_server_stop(http_server *s)
{
    if (!s) return;
    if (s->d) {
        MHD_quiesce_daemon(s->d);
        MHD_stop_daemon(s->d);
    }
    http_deadline_stop(s->deadline);
    if (s->mask_saved && pthread_equal(s->owner, pthread_self()))
        pthread_sigmask(SIG_SETMASK, &s->saved_mask, NULL);
    http_router_cleanup(&s->router);
    free(s->route_metrics);
    free(s->listen);
    free(s);
}

int http_server_port(const http_server *s)
{
    if (!s || !s->d) return -1;
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    return di ? (int)di->port : -1;
}

const http_router *http_server_router(const http_server *s)
{
    return s ? &s->router : NULL;
}

void http_wait_for_signal(void)
{
    sigset_t set;
    int sig = 0;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    while (sigwait(&set, &sig) != 0 || (sig != SIGINT && sig != SIGTERM)) {
    }
}

/* ---- built-in handlers ---- */

int http_handle_healthz(http_req *req)
{
    static const char ok[] = "{\"status\":\"ok\"}";
    if (!req) return CORE_INVALID;
    /* static body: no copy, no JSON encoding */
    req->res_body = ok;
    req->res_len = sizeof ok - 1;
    req->content_type = "application/json";
    http_res_status(req, 200);
    return CORE_OK;
}

int http_handle_metrics(http_req *req)
{
    core_buf b;
    core_buf_init(&b);
    int rc = http_metrics_render(&b);
    if (rc == CORE_OK) http_res_body(req, 200, "text/plain; version=0.0.4; charset=utf-8", b.data, b.len);
    core_buf_cleanup(&b);
    return rc;
}
