/* http_req: request accessors.
 *
 * Inputs are parsed lazily and cached in the request arena: query string (the
 * server already rejected undecodable ones), cookies (from the Cookie header,
 * parsed here), urlencoded forms and JSON bodies (jansson, duplicates
 * rejected). Failures of http_req_json become 400/415 problems right away so
 * handlers only have to return when it gives NULL.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <microhttpd.h>

#include "http/http_internal.h"

core_arena *http_req_arena(http_req *req) { return req ? &req->arena : NULL; }
void *http_req_app(http_req *req) { return req && req->srv ? req->srv->cfg.app : NULL; }
http_method http_req_method(const http_req *req) { return req ? req->method : 0; }
const char *http_req_path(const http_req *req) { return req ? req->path : NULL; }
const http_route *http_req_route(const http_req *req) { return req ? req->route : NULL; }
const char *http_req_id(const http_req *req) { return req ? req->id : NULL; }
int http_req_behind_tls(const http_req *req) { return req && req->srv ? req->srv->cfg.behind_tls : 0; }
void http_req_set_user(http_req *req, void *user) { if (req) req->user = user; }
void *http_req_user(const http_req *req) { return req ? req->user : NULL; }

const char *http_req_param(http_req *req, const char *name)
{
    if (!req || !name) return NULL;
    for (size_t i = 0; i < req->match.nparams; i++)
        if (strcmp(req->match.names[i], name) == 0) return req->match.values[i];
    return NULL;
}

typedef struct query_ctx {
    http_req *req;
    http_kv **tail;
    int bad;
} query_ctx;

static enum MHD_Result query_iter(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_ctx *q = cls;
    if (!key) return MHD_YES;
    char *k = http_pct_decode(&q->req->arena, key, strlen(key), 1);
    char *v = value ? http_pct_decode(&q->req->arena, value, strlen(value), 1)
                    : core_arena_strdup(&q->req->arena, "");
    http_kv *kv = core_arena_alloc(&q->req->arena, sizeof *kv);
    if (!k || !v || !kv) {
        q->bad = 1;
        return MHD_NO;
    }
    kv->name = k;
    kv->value = v;
    *q->tail = kv;
    q->tail = &kv->next;
    return MHD_YES;
}

/* Parses (once) the query arguments; CORE_INVALID when one does not decode. */
int http_req_parse_query(http_req *req)
{
    if (req->query_parsed) return req->query_parsed > 0 ? CORE_OK : CORE_INVALID;
    query_ctx q = { req, &req->query, 0 };
    if (req->conn) MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, query_iter, &q);
    req->query_parsed = q.bad ? -1 : 1;
    return q.bad ? CORE_INVALID : CORE_OK;
}

const char *http_req_query(http_req *req, const char *name)
{
    if (!req || !name || http_req_parse_query(req) != CORE_OK) return NULL;
    return http_kv_get(req->query, name, 0);
}

int http_req_query_nth(http_req *req, size_t idx, const char **name, const char **value)
{
    if (!req || !name || !value || http_req_parse_query(req) != CORE_OK) return CORE_NOTFOUND;
    const http_kv *kv = req->query;
    for (; kv && idx > 0; idx--) kv = kv->next;
    if (!kv) return CORE_NOTFOUND;
    *name = kv->name;
    *value = kv->value;
    return CORE_OK;
}

const char *http_req_header(http_req *req, const char *name)
{
    if (!req || !name || !req->conn) return NULL;
    return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

const char *http_req_cookie(http_req *req, const char *name)
{
    if (!req || !name) return NULL;
    if (!req->cookies_parsed) {
        req->cookies_parsed = 1;
        const char *h = http_req_header(req, "Cookie");
        if (h && http_parse_cookies(&req->arena, h, &req->cookies) != CORE_OK) req->cookies = NULL;
    }
    return http_kv_get(req->cookies, name, 0);
}

const char *http_req_body(http_req *req, size_t *len)
{
    if (len) *len = req ? req->body_len : 0;
    if (!req) return NULL;
    return req->body ? req->body : "";
}

/* Media type of the request without parameters equals want (case-insensitive)? */
static int media_type_is(http_req *req, const char *want)
{
    const char *ct = http_req_header(req, "Content-Type");
    if (!ct) return 0;
    while (*ct == ' ' || *ct == '\t') ct++;
    size_t n = strcspn(ct, "; \t");
    return n == strlen(want) && strncasecmp(ct, want, n) == 0;
}

const char *http_req_form(http_req *req, const char *name)
{
    if (!req || !name) return NULL;
    if (!req->form_parsed) {
        req->form_parsed = 1;
        if (media_type_is(req, "application/x-www-form-urlencoded") &&
            http_parse_urlencoded(&req->arena, req->body, req->body_len, &req->form) != CORE_OK)
            req->form = NULL;
        if (http_req_parse_multipart(req) != CORE_OK)
            req->form = NULL;
    }
    return http_kv_get(req->form, name, 0);
}

json_t *http_req_json(http_req *req)
{
    if (!req) return NULL;
    if (req->json) return req->json;
    if (!media_type_is(req, "application/json")) {
        http_res_problem(req, 415, "Unsupported Media Type", "Send the body as application/json.", NULL);
        return NULL;
    }
    if (!core_utf8_valid(req->body ? req->body : "", req->body_len)) {
        http_res_problem(req, 400, "Bad Request", "The body is not valid UTF-8.", NULL);
        return NULL;
    }
    json_error_t err;
    json_t *j = json_loadb(req->body ? req->body : "", req->body_len, JSON_REJECT_DUPLICATES, &err);
    if (!j) {
        char *d = core_arena_printf(&req->arena, "Invalid JSON at line %d, column %d: %s", err.line,
                                    err.column, err.text);
        http_res_problem(req, 400, "Bad Request", d ? d : "Invalid JSON.", NULL);
        return NULL;
    }
    if (!json_is_object(j)) {
        json_decref(j);
        http_res_problem(req, 400, "Bad Request", "The body must be a JSON object.", "");
        return NULL;
    }
    req->json = j;
    return j;
}

const char *http_req_peer(http_req *req)
{
    if (!req || !req->conn) return NULL;
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(req->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return NULL;
    char buf[INET6_ADDRSTRLEN];
    const struct sockaddr *sa = ci->client_addr;
    const char *r = NULL;
    if (sa->sa_family == AF_INET)
        r = inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf, sizeof buf);
    else if (sa->sa_family == AF_INET6)
        r = inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf, sizeof buf);
    return r ? core_arena_strdup(&req->arena, buf) : NULL;
}

void http_req_log_field(http_req *req, const char *key, const char *value)
{
    if (!req || !key || !value) return;
    http_kv *kv = core_arena_alloc(&req->arena, sizeof *kv);
    if (!kv) return;
    kv->name = core_arena_strdup(&req->arena, key);
    kv->value = core_arena_strdup(&req->arena, value);
    if (!kv->name || !kv->value) return;
    kv->next = req->log_fields;
    req->log_fields = kv;
}
