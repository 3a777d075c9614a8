/* Live tests: a real server on 127.0.0.1 port 0 with test routes, driven by a
 * tiny HTTP/1.1 client over POSIX sockets (each request sends
 * "Connection: close" and reads to EOF). Covers security headers on every
 * status, problem+json shapes, JSON body errors, limits (413, big headers),
 * unknown methods, HEAD, slow-client timeout, metrics, the authorize hook and
 * that the server keeps serving after each bad request.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"

static http_server *srv;
static int port;

/* ---- test routes ---- */
static int h_hello(http_req *req)
{
    http_res_text(req, 200, "hello");
    return CORE_OK;
}

static int h_item(http_req *req)
{
    http_res_json(req, 200, json_pack("{s:s}", "id", http_req_param(req, "id")));
    return CORE_OK;
}

static int h_item_new(http_req *req)
{
    http_res_json(req, 200, json_pack("{s:s}", "form", "new"));
    return CORE_OK;
}

static int h_echo(http_req *req)
{
    json_t *j = http_req_json(req);
    if (!j) return CORE_INVALID;
    json_t *name = json_object_get(j, "name");
    if (!json_is_string(name)) {
        http_res_problem(req, 422, "Unprocessable Content", "name is required", "/name");
        return CORE_INVALID;
    }
    http_res_json(req, 201, json_pack("{s:O}", "name", name));
    return CORE_OK;
}

static int h_fail(http_req *req)
{
    http_res_header(req, "X-Leak", "should not survive");
    return CORE_ERR;
}

static int h_query(http_req *req)
{
    const char *q = http_req_query(req, "q");
    const char *c = http_req_cookie(req, "sid");
    http_res_cookie(req, "seen", "1", 60, 0);
    http_res_cookie(req, "old", NULL, 0, HTTP_COOKIE_DELETE);
    json_t *all = json_array();   /* every parameter in order, via http_req_query_nth */
    const char *n, *v;
    for (size_t i = 0; http_req_query_nth(req, i, &n, &v) == CORE_OK; i++)
        json_array_append_new(all, json_pack("[s,s]", n, v));
    http_res_json(req, 200, json_pack("{s:s?,s:s?,s:o}", "q", q, "sid", c, "all", all));
    return CORE_OK;
}

static int h_form(http_req *req)
{
    const char *v = http_req_form(req, "v");
    http_res_text(req, 200, v ? v : "(none)");
    return CORE_OK;
}

static int h_private(http_req *req)
{
    http_res_text(req, 200, (const char *)http_req_user(req));
    return CORE_OK;
}

static int h_static(http_req *req)
{
    http_res_header(req, "Cache-Control", "public, max-age=3600");
    http_res_body(req, 200, "text/css", "a{}", 3);
    return CORE_OK;
}

static int h_typed(http_req *req)
{
    http_res_problem_type(req, 409, "email-taken", "Conflict", "That address is in use.", "/email");
    return CORE_CONFLICT;
}

static int h_redirect(http_req *req)
{
    http_res_redirect(req, 303, "/hello");
    return CORE_OK;
}

static int h_download(http_req *req)
{
    const char *n = http_req_param(req, "name");
    http_res_download(req, strcmp(n, "none") ? n : NULL, 7, strcmp(n, "typed") ? NULL : "image/png", "x", 1);
    return CORE_OK;
}

static const http_route routes[] = {
    { HTTP_GET, "/dl/{name}", h_download, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "download" },
    { HTTP_GET, "/hello", h_hello, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "hello" },
    { HTTP_GET, "/healthz", http_handle_healthz, CORE_PERM_PUBLIC, HTTP_KIND_API, "health" },
    { HTTP_GET, "/metrics", http_handle_metrics, CORE_PERM_PUBLIC, HTTP_KIND_API, "metrics" },
    { HTTP_GET | HTTP_DELETE, "/api/items/{id}", h_item, CORE_PERM_PUBLIC, HTTP_KIND_API, "item" },
    { HTTP_GET, "/api/items/new", h_item_new, CORE_PERM_PUBLIC, HTTP_KIND_API, "new" },
    { HTTP_POST, "/api/echo", h_echo, CORE_PERM_PUBLIC, HTTP_KIND_API, "echo" },
    { HTTP_GET, "/api/fail", h_fail, CORE_PERM_PUBLIC, HTTP_KIND_API, "fail" },
    { HTTP_GET, "/page/fail", h_fail, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "fail page" },
    { HTTP_GET, "/api/query", h_query, CORE_PERM_PUBLIC, HTTP_KIND_API, "query" },
    { HTTP_POST, "/form", h_form, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "form" },
    { HTTP_GET, "/api/private", h_private, CORE_PERM_SIGNED_IN, HTTP_KIND_API, "private" },
    { HTTP_GET, "/static/app.css", h_static, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "static" },
    { HTTP_GET, "/api/typed", h_typed, CORE_PERM_PUBLIC, HTTP_KIND_API, "typed problem" },
    { HTTP_GET, "/go", h_redirect, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "redirect" },
};

static int authorize(http_req *req, const http_route *route)
{
    if (route->perm == CORE_PERM_PUBLIC) return CORE_OK;
    const char *who = http_req_header(req, "X-Test-User");
    if (!who) {
        http_res_problem(req, 403, "Forbidden", "no user", NULL);
        return CORE_DENIED;
    }
    http_req_set_user(req, core_arena_strdup(http_req_arena(req), who));
    http_req_log_field(req, "user", who);
    return CORE_OK;
}

static int finished;
static void finish(http_req *req)
{
    (void)req;
    __atomic_add_fetch(&finished, 1, __ATOMIC_RELAXED);
}

/* ---- tiny client ---- */
typedef struct resp {
    int status;
    char *raw;          /* whole response */
    char *body;         /* points into raw */
    size_t body_len;
} resp;

static int connect_server(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = { .tv_sec = 10 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    return fd;
}

static void send_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return;   /* the server may close early (413): that is fine */
        p += w;
        n -= (size_t)w;
    }
}

static void read_resp(int fd, resp *r)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    for (;;) {
        if (len + 1024 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        ssize_t n = recv(fd, buf + len, cap - len - 1, 0);
        if (n <= 0) break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    r->raw = buf;
    r->status = 0;
    if (len > 12 && strncmp(buf, "HTTP/1.", 7) == 0) r->status = (int)strtol(buf + 9, NULL, 10);
    char *sep = strstr(buf, "\r\n\r\n");
    r->body = sep ? sep + 4 : buf + len;
    r->body_len = (size_t)(buf + len - r->body);
}

static void request_raw(const char *raw, size_t n, resp *r)
{
    int fd = connect_server();
    send_all(fd, raw, n);
    shutdown(fd, SHUT_WR);
    read_resp(fd, r);
    close(fd);
}

static void request(const char *method, const char *path, const char *headers, const char *body, resp *r)
{
    char *req = NULL;
    size_t blen = body ? strlen(body) : 0;
    int n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\n%s%s\r\n%s", method, path,
                     headers ? headers : "", body ? "" : "", body ? body : "");
    assert_true(n > 0);
    if (body) {
        free(req);
        n = asprintf(&req, "%s %s HTTP/1.1\r\nHost: test\r\nConnection: close\r\nContent-Length: %zu\r\n%s\r\n%s",
                     method, path, blen, headers ? headers : "", body);
        assert_true(n > 0);
    }
    request_raw(req, (size_t)n, r);
    free(req);
}

static void resp_free(resp *r)
{
    free(r->raw);
    memset(r, 0, sizeof *r);
}

/* Header value (case-insensitive name) copied into out; NULL if absent. */
static const char *header(const resp *r, const char *name, char *out, size_t outsz)
{
    const char *p = strstr(r->raw, "\r\n");
    size_t nl = strlen(name);
    while (p && p < r->body) {
        p += 2;
        if (strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1;
            while (*v == ' ') v++;
            const char *e = strstr(v, "\r\n");
            size_t l = e ? (size_t)(e - v) : strlen(v);
            if (l >= outsz) l = outsz - 1;
            memcpy(out, v, l);
            out[l] = '\0';
            return out;
        }
        p = strstr(p, "\r\n");
    }
    return NULL;
}

static void assert_header(const resp *r, const char *name, const char *want)
{
    char v[512];
    const char *got = header(r, name, v, sizeof v);
    if (!got) fail_msg("missing header %s in:\n%s", name, r->raw);
    if (want && strcmp(got, want) != 0) fail_msg("header %s: got '%s' want '%s'", name, got, want);
}

static void assert_security_headers(const resp *r)
{
    assert_header(r, "Content-Security-Policy",
                  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
                  "form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    assert_header(r, "X-Content-Type-Options", "nosniff");
    assert_header(r, "Referrer-Policy", "no-referrer");
    assert_header(r, "X-Frame-Options", "DENY");
    assert_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    assert_header(r, "Cross-Origin-Resource-Policy", "same-origin");
    assert_header(r, "X-Request-Id", NULL);
    char v[512];
    assert_non_null(header(r, "Permissions-Policy", v, sizeof v));
    assert_non_null(strstr(v, "camera=()"));
    assert_non_null(strstr(v, "microphone=()"));
    assert_non_null(strstr(v, "geolocation=()"));
    assert_null(header(r, "Strict-Transport-Security", v, sizeof v));
}

/* The server still answers after whatever came before. */
static void assert_alive(void)
{
    resp r;
    request("GET", "/healthz", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "{\"status\":\"ok\"}");
    resp_free(&r);
}

static json_t *body_json(const resp *r)
{
    json_error_t e;
    json_t *j = json_loadb(r->body, r->body_len, 0, &e);
    if (!j) fail_msg("bad JSON body: %s", r->body);
    return j;
}

static void assert_problem(const resp *r, int status, const char *path, const char *field)
{
    assert_int_equal(r->status, status);
    assert_header(r, "Content-Type", "application/problem+json");
    json_t *j = body_json(r);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "about:blank");
    assert_non_null(json_string_value(json_object_get(j, "title")));
    assert_int_equal(json_integer_value(json_object_get(j, "status")), status);
    assert_string_equal(json_string_value(json_object_get(j, "instance")), path);
    if (field) assert_string_equal(json_string_value(json_object_get(j, "field")), field);
    else assert_null(json_object_get(j, "field"));
    json_decref(j);
}

/* ---- tests ---- */
static void test_ok_and_headers(void **state)
{
    (void)state;
    resp r;
    request("GET", "/hello", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hello");
    assert_security_headers(&r);
    assert_header(&r, "Cache-Control", "no-store");
    assert_header(&r, "Content-Type", "text/plain; charset=utf-8");
    resp_free(&r);
    request("GET", "/static/app.css", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Cache-Control", "public, max-age=3600");
    assert_null(strstr(r.raw, "no-store"));
    resp_free(&r);
    request("GET", "/go", NULL, NULL, &r);
    assert_int_equal(r.status, 303);
    assert_header(&r, "Location", "/hello");
    assert_security_headers(&r);
    resp_free(&r);
}

/* http_res_download: a header-safe name, never rendered in our origin. */
static void test_download(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"/dl/report%20(1).pdf", "attachment; filename=\"report__1_.pdf\""},
        {"/dl/%22%3B%20x%3D%22.html", "attachment; filename=\"___x__.html\""},
        {"/dl/.htaccess", "attachment; filename=\"file-7\""},
        {"/dl/none", "attachment; filename=\"file-7\""},
        {"/dl/caf%C3%A9.png", "attachment; filename=\"caf__.png\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r;
        request("GET", cases[i][0], NULL, NULL, &r);
        assert_int_equal(r.status, 200);
        assert_header(&r, "Content-Disposition", cases[i][1]);
        assert_header(&r, "Content-Security-Policy", "sandbox; default-src 'none'");
        assert_header(&r, "Content-Type", "application/octet-stream");
        assert_header(&r, "Cache-Control", "no-store");
        resp_free(&r);
    }
    resp r;
    request("GET", "/dl/typed", NULL, NULL, &r);
    assert_header(&r, "Content-Type", "image/png");
    assert_header(&r, "Content-Disposition", "attachment; filename=\"typed\"");
    resp_free(&r);
}

static void test_404(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/nope", NULL, NULL, &r);
    assert_problem(&r, 404, "/api/nope", NULL);
    assert_security_headers(&r);
    resp_free(&r);
    request("GET", "/nope/<script>", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_header(&r, "Content-Type", "text/html; charset=utf-8");
    assert_null(strstr(r.body, "<script>"));
    assert_security_headers(&r);
    resp_free(&r);
    request("GET", "/hello/", NULL, NULL, &r);      /* exact match only */
    assert_int_equal(r.status, 404);
    resp_free(&r);
    assert_alive();
}

static void test_405(void **state)
{
    (void)state;
    resp r;
    request("POST", "/api/items/7", NULL, "", &r);
    assert_problem(&r, 405, "/api/items/7", NULL);
    assert_header(&r, "Allow", "GET, HEAD, DELETE");
    assert_security_headers(&r);
    resp_free(&r);
    request("POST", "/api/nothing-here", "Content-Type: application/json\r\n", "{\"a\":1}", &r);
    assert_problem(&r, 404, "/api/nothing-here", NULL);   /* decided before the body */
    assert_security_headers(&r);
    resp_free(&r);
    request("OPTIONS", "/hello", NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    assert_header(&r, "Allow", "GET, HEAD");
    assert_header(&r, "Content-Type", "text/html; charset=utf-8");
    resp_free(&r);
    assert_alive();
}

static void test_params_and_literal(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/items/a%20b%2F%C3%A9", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *j = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "a b/\xc3\xa9");
    json_decref(j);
    resp_free(&r);
    request("GET", "/api/items/new", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "\"form\":\"new\""));
    resp_free(&r);
    const char *bad[] = { "/api/items/%zz", "/api/items/%FF", "/api/items/%00", "/api/items/%C3" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        request("GET", bad[i], NULL, NULL, &r);
        assert_problem(&r, 400, bad[i], NULL);
        assert_security_headers(&r);
        resp_free(&r);
    }
    request("GET", "/hello?q=%FF", NULL, NULL, &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    request_raw("GET /hello\xff HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 47, &r);
    assert_true(r.status == 0 || r.status == 400 || r.status == 404);   /* MHD may just close */
    resp_free(&r);
    assert_alive();
}

static void test_query_cookies_form(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/query?q=caf%C3%A9+au+lait&x=1&q=a%26b", "Cookie: a=1; sid=s3cr3t\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    json_t *j = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "q")), "caf\xc3\xa9 au lait");
    assert_string_equal(json_string_value(json_object_get(j, "sid")), "s3cr3t");
    json_t *all = json_object_get(j, "all");
    assert_int_equal(json_array_size(all), 3);
    assert_string_equal(json_string_value(json_array_get(json_array_get(all, 0), 1)), "caf\xc3\xa9 au lait");
    assert_string_equal(json_string_value(json_array_get(json_array_get(all, 1), 0)), "x");
    assert_string_equal(json_string_value(json_array_get(json_array_get(all, 2), 0)), "q");
    assert_string_equal(json_string_value(json_array_get(json_array_get(all, 2), 1)), "a&b");
    json_decref(j);
    assert_non_null(strstr(r.raw, "Set-Cookie: seen=1; Path=/; Max-Age=60; HttpOnly; SameSite=Strict\r\n"));
    assert_non_null(strstr(r.raw, "Set-Cookie: old=; Path=/; Max-Age=0"));
    assert_null(strstr(r.raw, "Secure"));
    resp_free(&r);
    request("POST", "/form", "Content-Type: application/x-www-form-urlencoded\r\n", "a=1&v=hi+there%21", &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "hi there!");
    resp_free(&r);
    request("POST", "/form", "Content-Type: text/plain\r\n", "v=1", &r);
    assert_string_equal(r.body, "(none)");
    resp_free(&r);
}

static void test_json_bodies(void **state)
{
    (void)state;
    resp r;
    const char *ct = "Content-Type: application/json; charset=utf-8\r\n";
    request("POST", "/api/echo", ct, "{\"name\":\"Ana\"}", &r);
    assert_int_equal(r.status, 201);
    assert_string_equal(r.body, "{\"name\":\"Ana\"}");
    assert_security_headers(&r);
    resp_free(&r);

    request("POST", "/api/echo", ct, "{\"other\":1}", &r);
    assert_problem(&r, 422, "/api/echo", "/name");
    resp_free(&r);

    request("POST", "/api/echo", ct, "{\"name\":\n  \"x\",,}", &r);
    assert_problem(&r, 400, "/api/echo", NULL);
    json_t *j = body_json(&r);
    assert_non_null(strstr(json_string_value(json_object_get(j, "detail")), "line 2"));
    assert_non_null(strstr(json_string_value(json_object_get(j, "detail")), "column"));
    json_decref(j);
    resp_free(&r);

    request("POST", "/api/echo", ct, "{\"name\":\"\xff\xfe\"}", &r);
    assert_problem(&r, 400, "/api/echo", NULL);
    assert_non_null(strstr(r.body, "UTF-8"));
    resp_free(&r);

    request("POST", "/api/echo", ct, "[1,2]", &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);

    request("POST", "/api/echo", ct, "{\"name\":\"a\",\"name\":\"b\"}", &r);
    assert_problem(&r, 400, "/api/echo", NULL);
    resp_free(&r);

    request("POST", "/api/echo", "Content-Type: text/plain\r\n", "{\"name\":\"a\"}", &r);
    assert_problem(&r, 415, "/api/echo", NULL);
    resp_free(&r);

    request("POST", "/api/echo", ct, "", &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    assert_alive();
}

static void test_typed_problem_and_host(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/typed", NULL, NULL, &r);
    assert_int_equal(r.status, 409);
    assert_header(&r, "Content-Type", "application/problem+json");
    json_t *j = body_json(&r);
    assert_string_equal(json_string_value(json_object_get(j, "type")), "https://hrdd.dev/problems/email-taken");
    assert_string_equal(json_string_value(json_object_get(j, "field")), "/email");
    assert_string_equal(json_string_value(json_object_get(j, "detail")), "That address is in use.");
    assert_string_equal(json_string_value(json_object_get(j, "instance")), "/api/typed");
    json_decref(j);
    resp_free(&r);
    const char *nohost = "GET /hello HTTP/1.1\r\nConnection: close\r\n\r\n";
    request_raw(nohost, strlen(nohost), &r);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    const char *space = "GET /hel lo HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    request_raw(space, strlen(space), &r);
    assert_true(r.status == 0 || r.status == 400);
    resp_free(&r);
    assert_alive();
}

static void test_500(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/fail", NULL, NULL, &r);
    assert_problem(&r, 500, "/api/fail", NULL);
    assert_security_headers(&r);
    assert_null(strstr(r.raw, "X-Leak"));
    resp_free(&r);
    request("GET", "/page/fail", NULL, NULL, &r);
    assert_int_equal(r.status, 500);
    assert_header(&r, "Content-Type", "text/html; charset=utf-8");
    assert_security_headers(&r);
    resp_free(&r);
    assert_alive();
}

static void test_413(void **state)
{
    (void)state;
    resp r;
    size_t n = 70000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    memset(big, 'a', n);
    big[n] = '\0';
    request("POST", "/api/echo", "Content-Type: application/json\r\n", big, &r);
    assert_problem(&r, 413, "/api/echo", NULL);
    assert_security_headers(&r);
    resp_free(&r);
    /* chunked, no Content-Length: caught while accumulating */
    char *chunked = NULL;
    int len = asprintf(&chunked, "POST /form HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
                                 "Content-Type: application/x-www-form-urlencoded\r\n"
                                 "Transfer-Encoding: chunked\r\n\r\n%zx\r\n%s\r\n0\r\n\r\n", n, big);
    assert_true(len > 0);
    request_raw(chunked, (size_t)len, &r);
    assert_int_equal(r.status, 413);
    assert_header(&r, "Content-Type", "text/html; charset=utf-8");
    assert_security_headers(&r);
    resp_free(&r);
    free(chunked);
    free(big);
    /* Expect: 100-continue with a too-large length: 413 before any body is sent */
    const char *expect = "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n"
                         "Content-Length: 10000000\r\nExpect: 100-continue\r\n\r\n";
    int fd = connect_server();
    send_all(fd, expect, strlen(expect));
    read_resp(fd, &r);
    close(fd);
    assert_problem(&r, 413, "/api/echo", NULL);
    assert_null(strstr(r.raw, "100 Continue"));
    resp_free(&r);
    assert_alive();
}

static void test_big_headers(void **state)
{
    (void)state;
    resp r;
    size_t n = 40000;
    char *h = malloc(n + 32);
    assert_non_null(h);
    memcpy(h, "X-Big: ", 7);
    memset(h + 7, 'b', n);
    memcpy(h + 7 + n, "\r\n", 3);
    request("GET", "/hello", h, NULL, &r);
    assert_true(r.status == 431 || r.status == 400 || r.status == 413);
    resp_free(&r);
    /* within max_header (8 KiB in this suite): served */
    memset(h + 7, 'b', 6000);
    memcpy(h + 7 + 6000, "\r\n", 3);
    request("GET", "/hello", h, NULL, &r);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    free(h);
    assert_alive();
}

static void test_unknown_method_and_head(void **state)
{
    (void)state;
    resp r;
    request("BREW", "/hello", NULL, NULL, &r);
    assert_int_equal(r.status, 501);
    assert_security_headers(&r);
    resp_free(&r);
    request("HEAD", "/hello", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.body_len, 0);
    assert_security_headers(&r);
    resp_free(&r);
    assert_alive();
}

static void test_authorize(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/private", NULL, NULL, &r);
    assert_problem(&r, 403, "/api/private", NULL);
    assert_security_headers(&r);
    resp_free(&r);
    request("GET", "/api/private", "X-Test-User: alice\r\n", NULL, &r);
    assert_int_equal(r.status, 200);
    assert_string_equal(r.body, "alice");
    resp_free(&r);
    assert_true(__atomic_load_n(&finished, __ATOMIC_RELAXED) > 0);
}

static void test_slow_client(void **state)
{
    (void)state;
    int fd = connect_server();
    send_all(fd, "GET /hello HTTP/1.1\r\nHost: t\r\n", 30);
    struct pollfd p = { .fd = fd, .events = POLLIN };
    time_t t0 = time(NULL);
    int rc = poll(&p, 1, 5000);
    assert_int_equal(rc, 1);                 /* the server closed the connection */
    char c;
    ssize_t n = recv(fd, &c, 1, 0);
    assert_true(n <= 0);
    assert_true(time(NULL) - t0 <= 4);
    close(fd);
    assert_alive();
}

/* Request smuggling: ambiguous framing gets 400 (an unknown transfer coding
 * 501) and the connection is closed, so a request hidden behind it is never
 * answered; equal repeated Content-Lengths are fine. */
static void test_ambiguous_framing(void **state)
{
    (void)state;
    static const struct { const char *head; int status; } cases[] = {
        { "Content-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400 },
        { "Transfer-Encoding: chunked\r\nContent-Length: 4\r\n\r\n0\r\n\r\n", 400 },
        { "Content-Length: 2\r\nContent-Length: 40\r\n\r\n{}", 400 },
        { "Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n\r\n0\r\n\r\n", 400 },
        { "Transfer-Encoding: xchunked\r\n\r\n{}", 501 },
        { "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}", 0 },    /* accepted: whatever echo says */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *raw = NULL;
        int n = asprintf(&raw, "POST /api/echo HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n%s"
                               "GET /hello HTTP/1.1\r\nHost: t\r\n\r\n", cases[i].head);
        assert_true(n > 0);
        resp r;
        request_raw(raw, (size_t)n, &r);
        /* One response only when the framing was refused: the hidden GET is dropped. */
        const char *second = strstr(r.raw + 1, "HTTP/1.1 ");
        if (cases[i].status) {
            assert_int_equal(r.status, cases[i].status);
            assert_null(second);
        } else {
            assert_true(r.status != 400 && r.status != 501);
            assert_non_null(second);
        }
        resp_free(&r);
        free(raw);
    }
    assert_alive();
}

static void test_metrics(void **state)
{
    (void)state;
    resp r;
    request("GET", "/api/items/123", NULL, NULL, &r);
    resp_free(&r);
    request("GET", "/no/such/thing/42", NULL, NULL, &r);
    resp_free(&r);
    request("GET", "/metrics", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Content-Type", "text/plain; version=0.0.4; charset=utf-8");
    assert_non_null(strstr(r.body, "http_requests_total{route=\"/hello\",method=\"GET\",status=\"200\"} "));
    assert_non_null(strstr(r.body, "http_requests_total{route=\"/api/items/{id}\",method=\"GET\",status=\"200\"} "));
    assert_non_null(strstr(r.body, "http_requests_total{route=\"unmatched\",method=\"GET\",status=\"404\"} "));
    assert_non_null(strstr(r.body, "http_request_duration_seconds_bucket{route=\"/hello\",le=\"+Inf\"} "));
    assert_non_null(strstr(r.body, "http_requests_in_flight 1\n"));
    assert_non_null(strstr(r.body, "process_start_time_seconds "));
    assert_null(strstr(r.body, "/no/such"));
    assert_null(strstr(r.body, "/api/items/123"));
    resp_free(&r);
}

static void test_keepalive(void **state)
{
    (void)state;
    /* two requests on one connection */
    int fd = connect_server();
    const char *two = "GET /healthz HTTP/1.1\r\nHost: t\r\n\r\nGET /hello HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send_all(fd, two, strlen(two));
    resp r;
    read_resp(fd, &r);
    close(fd);
    assert_int_equal(r.status, 200);
    if (!strstr(r.body, "hello")) fail_msg("raw: [%s]", r.raw);
    resp_free(&r);
}

static void test_behind_tls(void **state)
{
    (void)state;
    http_config cfg = { .listen = "127.0.0.1:0", .threads = 1, .behind_tls = 1 };
    http_server *s2;
    assert_int_equal(http_server_start(&s2, &cfg, routes, sizeof routes / sizeof routes[0]), CORE_OK);
    int saved = port;
    port = http_server_port(s2);
    resp r;
    request("GET", "/api/query", NULL, NULL, &r);
    assert_int_equal(r.status, 200);
    assert_header(&r, "Strict-Transport-Security", "max-age=63072000; includeSubDomains");
    assert_non_null(strstr(r.raw, "SameSite=Strict; Secure"));
    resp_free(&r);
    port = saved;
    http_server_stop(s2);
}

static void test_config_errors(void **state)
{
    (void)state;
    http_server *s2 = NULL;
    http_config cfg = { .listen = "nonsense" };
    assert_int_equal(http_server_start(&s2, &cfg, routes, 1), CORE_INVALID);
    cfg.listen = "127.0.0.1:99999";
    assert_int_equal(http_server_start(&s2, &cfg, routes, 1), CORE_INVALID);
    cfg.listen = "::1:80";
    assert_int_equal(http_server_start(&s2, &cfg, routes, 1), CORE_INVALID);
    http_route dup[2] = { routes[0], routes[0] };
    cfg.listen = "127.0.0.1:0";
    assert_int_equal(http_server_start(&s2, &cfg, dup, 2), CORE_INVALID);
    assert_null(s2);
    cfg.listen = ":0";
    assert_int_equal(http_server_start(&s2, &cfg, routes, 1), CORE_OK);
    assert_true(http_server_port(s2) > 0);
    assert_non_null(http_server_router(s2));
    http_server_stop(s2);
}

static void custom_html_error(http_req *req, int status, const char *title)
{
    char *page = core_arena_printf(http_req_arena(req), "<p>custom %d %s</p>", status, title);
    http_res_html(req, status, page, strlen(page));
}

static void test_html_error_hook(void **state)
{
    (void)state;
    resp r;
    http_set_html_error(custom_html_error);
    request("GET", "/elsewhere", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_string_equal(r.body, "<p>custom 404 Not Found</p>");
    assert_security_headers(&r);
    resp_free(&r);
    request("DELETE", "/hello", NULL, NULL, &r);
    assert_int_equal(r.status, 405);
    assert_string_equal(r.body, "<p>custom 405 Method Not Allowed</p>");
    resp_free(&r);
    request("GET", "/api/elsewhere", NULL, NULL, &r);      /* API paths keep problem+json */
    assert_problem(&r, 404, "/api/elsewhere", NULL);
    resp_free(&r);
    http_set_html_error(NULL);
    request("GET", "/elsewhere", NULL, NULL, &r);
    assert_int_equal(r.status, 404);
    assert_non_null(strstr(r.body, "<h1>404 Not Found</h1>"));
    resp_free(&r);
}

static void test_ipv6_listen(void **state)
{
    (void)state;
    http_server *s6 = NULL;
    http_config cfg = { .listen = "[::1]:0", .threads = 1 };
    if (http_server_start(&s6, &cfg, routes, sizeof routes / sizeof routes[0]) != CORE_OK) {
        /* no IPv6 loopback here; cmocka's skip() prints "not ok # SKIP", which
         * meson's TAP parser counts as a failure, so just pass */
        printf("# IPv6 loopback unavailable, not tested\n");
        return;
    }
    int p6 = http_server_port(s6);
    assert_true(p6 > 0);
    int fd = socket(AF_INET6, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in6 a = { .sin6_family = AF_INET6, .sin6_port = htons((uint16_t)p6) };
    a.sin6_addr = in6addr_loopback;
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    const char *rq = "GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n";
    send_all(fd, rq, strlen(rq));
    resp r;
    read_resp(fd, &r);
    close(fd);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    http_server_stop(s6);
}

static void *send_term(void *arg)
{
    struct timespec ts = { 0, 100 * 1000 * 1000 };
    nanosleep(&ts, NULL);
    pthread_kill(*(pthread_t *)arg, SIGTERM);
    return NULL;
}

static void test_wait_for_signal(void **state)
{
    (void)state;
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, &old);
    pthread_t self = pthread_self(), t;
    assert_int_equal(pthread_create(&t, NULL, send_term, &self), 0);
    http_wait_for_signal();                 /* returns once SIGTERM arrives */
    pthread_join(t, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static int setup(void **state)
{
    (void)state;
    http_config cfg = { .listen = "127.0.0.1:0", .threads = 2, .max_body = 64 * 1024,
                        .max_header = 8 * 1024, .timeout_s = 1, .authorize = authorize, .finish = finish };
    if (http_server_start(&srv, &cfg, routes, sizeof routes / sizeof routes[0]) != CORE_OK) return -1;
    port = http_server_port(srv);
    return port > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    http_server_stop(srv);
    return 0;
}

int main(void)
{
    http_log_set_quiet(getenv("HTTP_TEST_LOG") == NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ok_and_headers),
        cmocka_unit_test(test_download),
        cmocka_unit_test(test_404),
        cmocka_unit_test(test_405),
        cmocka_unit_test(test_params_and_literal),
        cmocka_unit_test(test_query_cookies_form),
        cmocka_unit_test(test_json_bodies),
        cmocka_unit_test(test_typed_problem_and_host),
        cmocka_unit_test(test_500),
        cmocka_unit_test(test_413),
        cmocka_unit_test(test_big_headers),
        cmocka_unit_test(test_unknown_method_and_head),
        cmocka_unit_test(test_authorize),
        cmocka_unit_test(test_slow_client),
        cmocka_unit_test(test_ambiguous_framing),
        cmocka_unit_test(test_metrics),
        cmocka_unit_test(test_keepalive),
        cmocka_unit_test(test_behind_tls),
        cmocka_unit_test(test_config_errors),
        cmocka_unit_test(test_html_error_hook),
        cmocka_unit_test(test_ipv6_listen),
        cmocka_unit_test(test_wait_for_signal),
    };
    return cmocka_run_group_tests_name("http_live", tests, setup, teardown);
}
