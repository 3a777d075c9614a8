/* Unit tests for the http module without a network: router (parameters,
 * literal precedence, 404, 405 with allowed methods, percent-decoding and bad
 * encodings, pattern validation) and the input parsers (query/form, cookies),
 * plus the Prometheus rendering.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/http_internal.h"

static int h_dummy(http_req *req) { (void)req; return CORE_OK; }

static const http_route routes[] = {
    { HTTP_GET, "/", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "root" },
    { HTTP_GET | HTTP_POST, "/orgs/{org}", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "org" },
    { HTTP_GET, "/orgs/new", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "new org form" },
    { HTTP_DELETE, "/orgs/{org}/users/{id}", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_API, "user" },
    { HTTP_GET, "/orgs/{org}/users/me", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_API, "me" },
    { HTTP_PUT, "/orgs/{org}/users/{id}", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_API, "user put" },
};

static int setup(void **state)
{
    http_router *r = test_malloc(sizeof *r);
    http_router_init(r);
    assert_int_equal(http_router_add_all(r, routes, sizeof routes / sizeof routes[0]), CORE_OK);
    *state = r;
    return 0;
}

static int teardown(void **state)
{
    http_router *r = *state;
    http_router_cleanup(r);
    test_free(r);
    return 0;
}

static void test_params(void **state)
{
    http_router *r = *state;
    core_arena a;
    http_match m;
    core_arena_init(&a);
    assert_int_equal(http_router_match(r, &a, HTTP_DELETE, "/orgs/acme/users/42", &m), CORE_OK);
    assert_string_equal(m.route->summary, "user");
    assert_int_equal(m.nparams, 2);
    assert_string_equal(m.names[0], "org");
    assert_string_equal(m.values[0], "acme");
    assert_string_equal(m.names[1], "id");
    assert_string_equal(m.values[1], "42");
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/", &m), CORE_OK);
    assert_string_equal(m.route->summary, "root");
    assert_int_equal(m.nparams, 0);
    core_arena_cleanup(&a);
}

static void test_literal_wins(void **state)
{
    http_router *r = *state;
    core_arena a;
    http_match m;
    core_arena_init(&a);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/new", &m), CORE_OK);
    assert_string_equal(m.route->summary, "new org form");
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/other", &m), CORE_OK);
    assert_string_equal(m.route->summary, "org");
    /* POST /orgs/new: the literal route has no POST, the parameter route does */
    assert_int_equal(http_router_match(r, &a, HTTP_POST, "/orgs/new", &m), CORE_OK);
    assert_string_equal(m.route->summary, "org");
    assert_string_equal(m.values[0], "new");
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/x/users/me", &m), CORE_OK);
    assert_string_equal(m.route->summary, "me");
    core_arena_cleanup(&a);
}

static void test_notfound_and_405(void **state)
{
    http_router *r = *state;
    core_arena a;
    http_match m;
    core_arena_init(&a);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/nope", &m), CORE_NOTFOUND);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/acme/", &m), CORE_NOTFOUND); /* exact */
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs//users/1", &m), CORE_NOTFOUND);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs", &m), CORE_NOTFOUND);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "", &m), CORE_NOTFOUND);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/a/users/1", &m), CORE_DENIED);
    assert_int_equal(m.allowed, HTTP_DELETE | HTTP_PUT);
    assert_int_equal(http_router_match(r, &a, HTTP_DELETE, "/", &m), CORE_DENIED);
    assert_int_equal(m.allowed, HTTP_GET | HTTP_HEAD);
    /* HEAD is served by GET routes */
    assert_int_equal(http_router_match(r, &a, HTTP_HEAD, "/orgs/new", &m), CORE_OK);
    assert_string_equal(m.route->summary, "new org form");
    core_arena_cleanup(&a);
}

static void test_decoding(void **state)
{
    http_router *r = *state;
    core_arena a;
    http_match m;
    core_arena_init(&a);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/a%20b%2Fc", &m), CORE_OK);
    assert_string_equal(m.values[0], "a b/c");
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%C3%A9t%C3%A9", &m), CORE_OK);
    assert_string_equal(m.values[0], "\xc3\xa9t\xc3\xa9");
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/a+b", &m), CORE_OK);
    assert_string_equal(m.values[0], "a+b");                 /* '+' is literal in paths */
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%zz", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%4", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/abc%", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%00", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%FF", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%C3", &m), CORE_INVALID);
    assert_int_equal(http_router_match(r, &a, HTTP_GET, "/orgs/%ED%A0%80", &m), CORE_INVALID);
    core_arena_cleanup(&a);
}

static void test_bad_patterns(void **state)
{
    (void)state;
    http_router r;
    http_router_init(&r);
    http_route rt = { HTTP_GET, "/a/{x}", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_API, "" };
    assert_int_equal(http_router_add(&r, &rt), CORE_OK);
    assert_int_equal(http_router_add(&r, &rt), CORE_INVALID);               /* duplicate */
    rt.pattern = "/a/{y}";
    assert_int_equal(http_router_add(&r, &rt), CORE_INVALID);               /* same shape */
    rt.methods = HTTP_POST;
    assert_int_equal(http_router_add(&r, &rt), CORE_OK);                    /* other method */
    rt.methods = HTTP_GET;
    const char *bad[] = { "", "a", "/a/", "//", "/a//b", "/{}", "/{a", "/a{b}", "/{a-b}", "/a b",
                          "/%41", "/{a}/{b}/{c}/{d}/{e}/{f}/{g}/{h}/{i}" };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        rt.pattern = bad[i];
        assert_int_equal(http_router_add(&r, &rt), CORE_INVALID);
    }
    rt.pattern = NULL;
    assert_int_equal(http_router_add(&r, &rt), CORE_INVALID);
    rt.pattern = "/ok";
    rt.handler = NULL;
    assert_int_equal(http_router_add(&r, &rt), CORE_INVALID);
    assert_int_equal(r.n, 2);
    http_router_cleanup(&r);
}

static void test_urlencoded(void **state)
{
    (void)state;
    core_arena a;
    http_kv *l;
    core_arena_init(&a);
    const char *s = "a=1&b=x+y%21&&c&d=&a=2&e=%C3%A9";
    assert_int_equal(http_parse_urlencoded(&a, s, strlen(s), &l), CORE_OK);
    assert_string_equal(http_kv_get(l, "a", 0), "1");
    assert_string_equal(http_kv_get(l, "b", 0), "x y!");
    assert_string_equal(http_kv_get(l, "c", 0), "");
    assert_string_equal(http_kv_get(l, "d", 0), "");
    assert_string_equal(http_kv_get(l, "e", 0), "\xc3\xa9");
    assert_null(http_kv_get(l, "zz", 0));
    assert_int_equal(http_parse_urlencoded(&a, "a=%G0", 5, &l), CORE_INVALID);
    assert_int_equal(http_parse_urlencoded(&a, "a=%00", 5, &l), CORE_INVALID);
    assert_int_equal(http_parse_urlencoded(&a, "a=%FE", 5, &l), CORE_INVALID);
    assert_int_equal(http_parse_urlencoded(&a, "", 0, &l), CORE_OK);
    assert_null(l);
    core_arena_cleanup(&a);
}

static void test_cookies(void **state)
{
    (void)state;
    core_arena a;
    http_kv *l;
    core_arena_init(&a);
    assert_int_equal(http_parse_cookies(&a, "sid=abc; theme=\"dark\";  x = y ;bad; =v; e=", &l), CORE_OK);
    assert_string_equal(http_kv_get(l, "sid", 0), "abc");
    assert_string_equal(http_kv_get(l, "theme", 0), "dark");
    assert_string_equal(http_kv_get(l, "x", 0), "y");
    assert_string_equal(http_kv_get(l, "e", 0), "");
    assert_null(http_kv_get(l, "bad", 0));
    assert_null(http_kv_get(l, "SID", 0));
    assert_int_equal(http_parse_cookies(&a, "", &l), CORE_OK);
    assert_null(l);
    core_arena_cleanup(&a);
}

static void test_metrics_render(void **state)
{
    (void)state;
    http_metrics_observe_storage(NULL, "user_get", 0.002);
    http_metrics_observe_storage(NULL, "user_get", 20.0);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(http_metrics_render(&b), CORE_OK);
    const char *t = core_buf_cstr(&b);
    assert_non_null(strstr(t, "# TYPE http_requests_total counter\n"));
    assert_non_null(strstr(t, "store_operation_duration_seconds_bucket{op=\"user_get\",le=\"0.001\"} 0\n"));
    assert_non_null(strstr(t, "store_operation_duration_seconds_bucket{op=\"user_get\",le=\"0.0025\"} 1\n"));
    assert_non_null(strstr(t, "store_operation_duration_seconds_bucket{op=\"user_get\",le=\"10\"} 1\n"));
    assert_non_null(strstr(t, "store_operation_duration_seconds_bucket{op=\"user_get\",le=\"+Inf\"} 2\n"));
    assert_non_null(strstr(t, "store_operation_duration_seconds_count{op=\"user_get\"} 2\n"));
    assert_non_null(strstr(t, "process_start_time_seconds "));
    assert_non_null(strstr(t, "http_requests_in_flight 0\n"));
    /* every line is a comment or "name{labels} value" in text format 0.0.4 */
    struct http_metric_route *m = http_metrics_route("/x/{id}");
    http_metrics_request(m, HTTP_POST, 201, 0.003);
    http_metrics_request(http_metrics_route(NULL), (http_method)0, 404, 0.0001);
    core_buf_reset(&b);
    assert_int_equal(http_metrics_render(&b), CORE_OK);
    regex_t re;
    assert_int_equal(regcomp(&re, "^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\\{([a-z_]+=\"([^\"\\\\]|\\\\.)*\",?)+\\})? "
                                  "[0-9.e+-]+)$", REG_EXTENDED | REG_NOSUB), 0);
    char *copy = strdup(core_buf_cstr(&b)), *save = NULL;
    assert_non_null(copy);
    assert_true(b.len > 0 && core_buf_cstr(&b)[b.len - 1] == '\n');
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
        if (regexec(&re, line, 0, NULL, 0) != 0) fail_msg("bad exposition line: %s", line);
    regfree(&re);
    free(copy);
    t = core_buf_cstr(&b);
    assert_non_null(strstr(t, "http_requests_total{route=\"/x/{id}\",method=\"POST\",status=\"201\"} 1\n"));
    assert_non_null(strstr(t, "http_requests_total{route=\"unmatched\",method=\"OTHER\",status=\"404\"} 1\n"));
    assert_non_null(strstr(t, "http_request_duration_seconds_bucket{route=\"/x/{id}\",le=\"0.0025\"} 0\n"));
    assert_non_null(strstr(t, "http_request_duration_seconds_bucket{route=\"/x/{id}\",le=\"0.005\"} 1\n"));
    /* one TYPE line per family */
    assert_null(strstr(strstr(t, "# TYPE http_requests_total") + 1, "# TYPE http_requests_total"));
    core_buf_cleanup(&b);
}

static void test_method_names(void **state)
{
    (void)state;
    assert_string_equal(http_method_name(HTTP_GET), "GET");
    assert_string_equal(http_method_name(HTTP_PATCH), "PATCH");
    assert_string_equal(http_method_name((http_method)0), "OTHER");
}

/* Runs fn with stderr redirected to a temp file; returns what was written (malloc'ed). */
static char *capture_stderr(void (*fn)(void))
{
    char path[] = "/tmp/http_log_testXXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    unlink(path);
    int saved = dup(2);
    dup2(fd, 2);
    http_log_set_quiet(0);
    fn();
    http_log_set_quiet(1);
    dup2(saved, 2);
    close(saved);
    off_t n = lseek(fd, 0, SEEK_END);
    char *out = calloc(1, (size_t)n + 1);
    assert_non_null(out);
    assert_int_equal(pread(fd, out, (size_t)n, 0), n);
    close(fd);
    return out;
}

static void log_some(void)
{
    http_log(HTTP_LOG_INFO, "hello \"world\"", "line\nbreak\x01");
    http_log(HTTP_LOG_DEBUG, "hidden at info", NULL);
    struct http_req req;
    memset(&req, 0, sizeof req);
    core_arena_init(&req.arena);
    memcpy(req.id, "0123456789abcdef01234567", 25);
    req.method = HTTP_POST;
    req.status = 201;
    http_route rt = { HTTP_POST, "/api/v1/cases/{id}", h_dummy, CORE_PERM_PUBLIC, HTTP_KIND_API, "" };
    req.route = &rt;
    req.path = "/api/v1/cases/secret-id-42";
    http_req_log_field(&req, "user", "12");
    http_req_log_field(&req, "org", "acme");
    http_log_request(&req, 0.0125);
    /* far too many long fields: the line is cut but stays valid JSON */
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    for (int i = 0; i < 20; i++) http_req_log_field(&req, "k", big);
    http_log_request(&req, 0.001);
    core_arena_cleanup(&req.arena);
}

static void test_log_lines(void **state)
{
    (void)state;
    char *out = capture_stderr(log_some);
    char *save = NULL;
    int lines = 0;
    for (char *line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        json_error_t e;
        json_t *j = json_loads(line, 0, &e);
        if (!j) fail_msg("not JSON: %s", line);
        assert_non_null(json_string_value(json_object_get(j, "ts")));
        if (lines == 0) {
            assert_string_equal(json_string_value(json_object_get(j, "msg")), "hello \"world\"");
            assert_string_equal(json_string_value(json_object_get(j, "detail")), "line\nbreak\x01");
            assert_string_equal(json_string_value(json_object_get(j, "level")), "info");
        } else if (lines == 1) {
            assert_string_equal(json_string_value(json_object_get(j, "route")), "/api/v1/cases/{id}");
            assert_string_equal(json_string_value(json_object_get(j, "method")), "POST");
            assert_int_equal(json_integer_value(json_object_get(j, "status")), 201);
            assert_string_equal(json_string_value(json_object_get(j, "request_id")), "0123456789abcdef01234567");
            assert_string_equal(json_string_value(json_object_get(j, "user")), "12");
            assert_string_equal(json_string_value(json_object_get(j, "org")), "acme");
            assert_true(json_real_value(json_object_get(j, "duration_ms")) > 12.0);
            assert_null(strstr(line, "secret-id-42"));
        } else {
            assert_true(json_is_true(json_object_get(j, "truncated")));
        }
        json_decref(j);
        lines++;
    }
    assert_int_equal(lines, 3);
    free(out);
}

static void test_log_levels(void **state)
{
    (void)state;
    http_log_level l;
    assert_int_equal(http_log_parse_level("warn", &l), CORE_OK);
    assert_int_equal(l, HTTP_LOG_WARN);
    assert_int_equal(http_log_parse_level("loud", &l), CORE_INVALID);
    assert_int_equal(http_log_parse_level(NULL, &l), CORE_INVALID);
    http_log_set_level(HTTP_LOG_ERROR);
    char *out = capture_stderr(log_some);
    assert_string_equal(out, "");
    free(out);
    http_log_set_level(HTTP_LOG_INFO);
}

int main(void)
{
    http_log_set_quiet(1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_params, setup, teardown),
        cmocka_unit_test_setup_teardown(test_literal_wins, setup, teardown),
        cmocka_unit_test_setup_teardown(test_notfound_and_405, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decoding, setup, teardown),
        cmocka_unit_test(test_bad_patterns),
        cmocka_unit_test(test_urlencoded),
        cmocka_unit_test(test_cookies),
        cmocka_unit_test(test_metrics_render),
        cmocka_unit_test(test_method_names),
        cmocka_unit_test(test_log_lines),
        cmocka_unit_test(test_log_levels),
    };
    return cmocka_run_group_tests_name("http_unit", tests, NULL, NULL);
}
