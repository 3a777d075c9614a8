/* http_internal: what the http module's files share and nobody else sees.
 *
 * The request struct lives here: one per HTTP request, calloc'ed at the first
 * libmicrohttpd callback and freed in the completion notification together
 * with its arena, its upload buffer and its parsed JSON body. The response a
 * handler builds is kept as plain data (status, header list, body pointer into
 * the arena) and only turned into an MHD_Response when the request finishes.
 */
#ifndef HRDD_HTTP_INTERNAL_H
#define HRDD_HTTP_INTERNAL_H

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <time.h>

#include "http/http.h"

struct MHD_Connection;
struct MHD_Daemon;
struct http_metric_route;

/* http_deadline.c: the time a connection has to send a request head (see there). */
typedef struct http_deadline http_deadline;
typedef struct http_dl_conn http_dl_conn;
int http_deadline_start(http_deadline **out, unsigned secs);   /* starts the watcher thread */
void http_deadline_stop(http_deadline *d);                      /* NULL is fine */
http_dl_conn *http_deadline_add(http_deadline *d, int fd);      /* a new connection; NULL on no memory */
void http_deadline_remove(http_deadline *d, http_dl_conn *c);   /* before the socket is closed */
void http_deadline_busy(http_deadline *d, http_dl_conn *c, int busy);  /* handler running (1), request done (0) */
void http_deadline_progress(http_deadline *d, http_dl_conn *c, size_t bytes);  /* body bytes received */
unsigned long http_deadline_cut(http_deadline *d);              /* connections shut down so far */

struct http_server {
    struct MHD_Daemon *d;
    http_config cfg;
    char *listen;                   /* copy of cfg.listen */
    http_router router;
    struct http_metric_route **route_metrics;   /* parallel to router.routes */
    struct http_metric_route *unmatched;
    pthread_t owner;                /* thread that started the server */
    sigset_t saved_mask;            /* its signal mask before the start */
    int mask_saved;
    http_deadline *deadline;        /* request-head deadline (slowloris) */
};

typedef struct http_kv {
    const char *name;
    const char *value;
    struct http_kv *next;
} http_kv;

struct http_req {
    struct http_server *srv;
    struct MHD_Connection *conn;
    core_arena arena;
    http_method method;             /* 0 for a method the router does not know */
    const char *method_name;        /* as sent */
    const char *path;               /* raw (still percent-encoded) */
    const http_route *route;
    struct http_metric_route *metric;
    http_match match;
    char id[25];
    void *user;
    struct timespec start;
    http_dl_conn *dl;               /* its connection's deadline entry, or NULL */

    /* upload */
    char *body;                     /* heap, NUL-terminated */
    size_t body_len, body_cap;
    size_t discarded;               /* bytes dropped after the limit was hit */
    int too_large;
    int dispatched;                 /* handler already ran (or an early error was queued) */
    int queued;                     /* a response went to MHD */
    int finished;                   /* cfg.finish was called */

    /* lazily parsed inputs */
    http_kv *query;
    int query_parsed;
    http_kv *cookies;
    int cookies_parsed;
    http_kv *form;
    int form_parsed;
    json_t *json;
    http_part *parts;               /* multipart/form-data (http_multipart.c) */
    size_t nparts;
    int mp_parsed, mp_status;

    /* response */
    int res_set;
    int status;
    http_kv *res_headers;           /* in the arena, in order of addition */
    http_kv **res_tail;
    const char *content_type;
    const void *res_body;
    size_t res_len;

    http_kv *log_fields;
};

/* ---- url / form / cookie parsing (http_parse.c) ---- */
/* Percent-decodes s[0..n) into the arena. plus_space turns '+' into ' '.
 * Returns NULL on invalid escapes, a decoded NUL, invalid UTF-8 or OOM. */
char *http_pct_decode(core_arena *a, const char *s, size_t n, int plus_space);
/* Parses "a=1&b=2" into a list (values decoded). CORE_INVALID on a bad escape. */
int http_parse_urlencoded(core_arena *a, const char *s, size_t n, http_kv **out);
/* Parses a Cookie header ("a=b; c=d") into a list; quotes around values are stripped. */
int http_parse_cookies(core_arena *a, const char *s, http_kv **out);
/* Parses the query arguments once; CORE_INVALID when one does not decode. */
int http_req_parse_query(http_req *req);
const char *http_kv_get(const http_kv *l, const char *name, int case_insensitive);

/* ---- multipart (http_multipart.c) ---- */
/* Parses a multipart/form-data body once (no-op for other types), appending
 * its text fields to req->form; CORE_OK, CORE_INVALID or CORE_DENIED. */
int http_req_parse_multipart(http_req *req);
/* The body limit of a route: its max_body, else dflt. */
size_t http_route_max_body(const http_route *r, size_t dflt);

/* ---- responses (http_res.c) ---- */
/* Error in the format the route (or, without a route, the path) calls for. */
void http_error(http_req *req, int status, const char *title, const char *detail);
/* Builds the MHD_Response and queues it; returns the MHD result. */
int http_res_queue(http_req *req);
const char *http_status_title(int status);

/* ---- metrics (http_metrics.c) ---- */
struct http_metric_route *http_metrics_route(const char *pattern);  /* "unmatched" for NULL */
void http_metrics_request(struct http_metric_route *m, http_method method, int status, double seconds);
void http_metrics_inflight(int delta);

/* ---- logging (http_log.c) ---- */
void http_log_request(http_req *req, double seconds);

#endif
