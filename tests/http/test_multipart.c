/* tests/http multipart: the multipart/form-data parser (RFC 7578) on its own:
 * valid bodies (text fields, files, a preamble and epilogue, quoted and
 * escaped parameters, empty file inputs, Windows paths), binary file content
 * holding CRLF, NUL and near-boundary lines, malformed bodies (each a
 * CORE_INVALID) and every limit (CORE_DENIED); plus the per-route body limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "http/http.h"
#include "http/http_internal.h"

#define CT "multipart/form-data; boundary=XyZ"

static int parse(core_arena *a, const char *ct, const char *body, size_t len, const http_multipart_limits *lim,
                 http_part **p, size_t *n)
{
    return http_multipart_parse(a, ct, body, len, lim, p, n);
}

static int parse_s(core_arena *a, const char *body, http_part **p, size_t *n)
{
    return parse(a, CT, body, strlen(body), NULL, p, n);
}

static void test_text_fields(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const char *body =
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"narrative\"\r\n\r\n"
        "Line one\r\nline two\r\n"
        "--XyZ\r\n"
        "content-disposition: FORM-DATA; name=contact_preference\r\n\r\n"
        "anonymous\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"empty\"\r\n\r\n"
        "\r\n"
        "--XyZ\r\n"
        "Content-Disposition: form-data; name=\"caf\xc3\xa9 %22q%22\"\r\n\r\n"
        "\xc3\xa9t\xc3\xa9\r\n"
        "--XyZ--\r\n";
    http_part *p = NULL;
    size_t n = 0;
    assert_int_equal(parse_s(&a, body, &p, &n), CORE_OK);
    assert_int_equal(n, 4);
    assert_string_equal(p[0].name, "narrative");
    assert_null(p[0].filename);
    assert_string_equal(p[0].data, "Line one\r\nline two");
    assert_int_equal(p[0].len, 18);
    assert_string_equal(p[1].name, "contact_preference");
    assert_string_equal(p[1].data, "anonymous");
    assert_string_equal(p[2].name, "empty");
    assert_string_equal(p[2].data, "");
    assert_string_equal(p[3].name, "caf\xc3\xa9 %22q%22");
    assert_string_equal(p[3].data, "\xc3\xa9t\xc3\xa9");
    core_arena_cleanup(&a);
}

static void test_preamble_epilogue_padding(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const char *body =
        "This is a preamble --XyZ not a delimiter\r\n"
        "--XyZ  \t\r\n"                         /* transport padding */
        "Content-Disposition: form-data; name=\"a\"\r\n\r\n"
        "1\r\n"
        "--XyZ--epilogue is ignored\r\n--XyZ\r\n";
    http_part *p = NULL;
    size_t n = 0;
    assert_int_equal(parse_s(&a, body, &p, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].data, "1");
    /* quoted boundary with spaces and specials */
    const char *ct = "multipart/form-data; charset=utf-8; boundary=\"a b'()+_,-./:=?\"";
    const char *b2 = "--a b'()+_,-./:=?\r\nContent-Disposition: form-data; name=x\r\n\r\nv\r\n--a b'()+_,-./:=?--";
    assert_int_equal(parse(&a, ct, b2, strlen(b2), NULL, &p, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].data, "v");
    /* no parts at all */
    assert_int_equal(parse_s(&a, "--XyZ--", &p, &n), CORE_OK);
    assert_int_equal(n, 0);
    core_arena_cleanup(&a);
}

static void test_binary_file(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    /* content with CRLF, NUL, high bytes, a "--XyZ" that is not at a line
     * start, and "\r\n--XyY" (a near miss) */
    static const unsigned char content[] = {
        0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, '\r', '\n', '\r', 'x',
        '-', '-', 'X', 'y', 'Z', 0xff, 0xfe, '\r', '\n', '-', '-', 'X', 'y', 'Y', '\r', '\n', 0};
    char body[512];
    size_t len = 0;
    const char *h = "--XyZ\r\nContent-Disposition: form-data; name=\"attachment\"; filename=\"C:\\Users\\me\\photo.png\"\r\n"
                    "Content-Type: image/png\r\n\r\n";
    memcpy(body + len, h, strlen(h));
    len += strlen(h);
    memcpy(body + len, content, sizeof content);
    len += sizeof content;
    const char *t = "\r\n--XyZ\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nok\r\n--XyZ--\r\n";
    memcpy(body + len, t, strlen(t));
    len += strlen(t);
    http_part *p = NULL;
    size_t n = 0;
    assert_int_equal(parse(&a, CT, body, len, NULL, &p, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(p[0].name, "attachment");
    assert_string_equal(p[0].filename, "photo.png");
    assert_string_equal(p[0].content_type, "image/png");
    assert_int_equal(p[0].len, sizeof content);
    assert_memory_equal(p[0].data, content, sizeof content);
    assert_string_equal(p[1].data, "ok");
    /* an empty file input: filename="" and no content */
    const char *e = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"\"\r\n"
                    "Content-Type: application/octet-stream\r\n\r\n\r\n--XyZ--";
    assert_int_equal(parse_s(&a, e, &p, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].filename, "");
    assert_int_equal(p[0].len, 0);
    /* a part with no headers at all is malformed (no name) */
    assert_int_equal(parse_s(&a, "--XyZ\r\n\r\nx\r\n--XyZ--", &p, &n), CORE_INVALID);
    core_arena_cleanup(&a);
}

static void test_malformed(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    http_part *p;
    size_t n;
    static const char *const bad_ct[] = {
        NULL, "", "multipart/form-data", "multipart/form-data; boundary=",
        "multipart/mixed; boundary=XyZ", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=\"unterminated",
        "multipart/form-data; boundary=bad\x01char",
        "multipart/form-data; boundary=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "multipart/form-data; boundary=\"ends with space \"", NULL};
    const char *ok = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--";
    for (size_t i = 1; bad_ct[i]; i++)
        assert_int_equal(parse(&a, bad_ct[i], ok, strlen(ok), NULL, &p, &n), CORE_INVALID);
    assert_int_equal(parse(&a, NULL, ok, strlen(ok), NULL, &p, &n), CORE_INVALID);

    static const char *const bad[] = {
        "",                                                            /* empty */
        "no delimiter at all",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1",    /* no close delimiter */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ", /* nor here */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n1\r\n--XyZ--",  /* no blank line */
        "--XyZ\r\nContent-Type: text/plain\r\n\r\n1\r\n--XyZ--",       /* no disposition */
        "--XyZ\r\nContent-Disposition: attachment; name=a\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data\r\n\r\n1\r\n--XyZ--", /* no name */
        "--XyZ\r\nContent-Disposition: form-data; name=\"\"\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=\"a\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\n1\r\n--XyZ--",  /* folding */
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\nNo colon here\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a b\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a; =x\r\n\r\n1\r\n--XyZ--",
        "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n\xff\xfe\r\n--XyZ--",   /* text not UTF-8 */
        "--XyZjunk\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--",
        "--XyZ\nContent-Disposition: form-data; name=a\n\n1\n--XyZ--",                 /* bare LF */
        NULL};
    for (size_t i = 0; bad[i]; i++) {
        int rc = parse_s(&a, bad[i], &p, &n);
        if (rc != CORE_INVALID)
            fail_msg("case %zu: got %d, want CORE_INVALID", i, rc);
    }
    /* a NUL inside a text field */
    const char nul[] = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\na\0b\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, nul, sizeof nul - 1, NULL, &p, &n), CORE_INVALID);
    core_arena_cleanup(&a);
}

static void test_limits(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    http_part *p;
    size_t n;
    http_multipart_limits lim;
    http_multipart_limits_default(&lim);
    assert_int_equal(lim.max_parts, 64);
    lim.max_parts = 2;
    lim.max_field = 4;
    lim.max_file = 8;
    lim.max_files = 1;
    lim.max_header = 80;
    const char *two = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
                      "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, two, strlen(two), &lim, &p, &n), CORE_OK);
    assert_int_equal(n, 2);
    const char *three = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
                        "--XyZ\r\nContent-Disposition: form-data; name=b\r\n\r\n2\r\n"
                        "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n3\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, three, strlen(three), &lim, &p, &n), CORE_DENIED);
    const char *field = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n12345\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, field, strlen(field), &lim, &p, &n), CORE_DENIED);
    const char *file_ok = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n12345678\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, file_ok, strlen(file_ok), &lim, &p, &n), CORE_OK);
    const char *file_big = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n123456789\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, file_big, strlen(file_big), &lim, &p, &n), CORE_DENIED);
    const char *files2 = "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n1\r\n"
                         "--XyZ\r\nContent-Disposition: form-data; name=f; filename=y\r\n\r\n2\r\n--XyZ--";
    assert_int_equal(parse(&a, CT, files2, strlen(files2), &lim, &p, &n), CORE_DENIED);
    char hdr[400];
    snprintf(hdr, sizeof hdr, "--XyZ\r\nContent-Disposition: form-data; name=a\r\nX-Long: %0100d\r\n\r\n1\r\n--XyZ--", 0);
    assert_int_equal(parse(&a, CT, hdr, strlen(hdr), &lim, &p, &n), CORE_DENIED);
    core_arena_cleanup(&a);
}

/* A large binary file made of CRLF pairs and dashes, to exercise the search. */
static void test_large_binary(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    size_t flen = 3 * 1024 * 1024;
    static char body[3 * 1024 * 1024 + 512];
    const char *h = "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"b.bin\"\r\n\r\n";
    size_t len = strlen(h);
    memcpy(body, h, len);
    for (size_t i = 0; i < flen; i++)
        body[len + i] = "\r\n--XyY-\0"[i % 9];
    len += flen;
    const char *t = "\r\n--XyZ--\r\n";
    memcpy(body + len, t, strlen(t));
    len += strlen(t);
    http_part *p;
    size_t n;
    assert_int_equal(parse(&a, CT, body, len, NULL, &p, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(p[0].len, flen);
    assert_ptr_equal(p[0].data, body + strlen(h));     /* no copy of the file */
    core_arena_cleanup(&a);
}

static void test_route_limits(void **state)
{
    (void)state;
    http_route r = {HTTP_POST, "/upload-test", NULL, CORE_PERM_PUBLIC, HTTP_KIND_HTML, "", 6 * 1024 * 1024};
    http_route other = {HTTP_POST, "/other-test", NULL, CORE_PERM_PUBLIC, HTTP_KIND_HTML, ""};
    assert_int_equal(http_route_max_body(&r, 100), 6 * 1024 * 1024);
    assert_int_equal(http_route_max_body(&other, 100), 100);
    assert_int_equal(http_route_max_body(NULL, 100), 100);
}

/* ---- live: a server with a small default max_body and one upload route ---- */

static int h_upload(http_req *req)
{
    int st = http_req_form_status(req);
    if (st != CORE_OK) {
        http_res_text(req, st == CORE_DENIED ? 413 : 400, "bad form");
        return CORE_OK;
    }
    const char *fn = NULL;
    const void *data = NULL;
    size_t len = 0;
    int rc = http_req_file(req, "f", &fn, &data, &len);
    const char *note = http_req_form(req, "note");
    char out[200];
    snprintf(out, sizeof out, "rc=%d name=%s len=%zu note=%s", rc, fn ? fn : "-", len, note ? note : "-");
    http_res_text(req, 200, out);
    return CORE_OK;
}

static const http_route live_routes[] = {
    {HTTP_POST, "/upload", h_upload, CORE_PERM_PUBLIC, HTTP_KIND_API, "upload", 256 * 1024},
    {HTTP_POST, "/small", h_upload, CORE_PERM_PUBLIC, HTTP_KIND_API, "default limit"},
};

/* Sends one request with a multipart body of a file of flen bytes; returns
 * the status and copies the response body into out. */
static int post_file(int port, const char *path, size_t flen, char *out, size_t outsz)
{
    const char *head = "--B0\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhi\r\n"
                       "--B0\r\nContent-Disposition: form-data; name=\"f\"; filename=\"x.bin\"\r\n\r\n";
    const char *tail = "\r\n--B0--\r\n";
    size_t blen = strlen(head) + flen + strlen(tail);
    char *body = malloc(blen);
    assert_non_null(body);
    memcpy(body, head, strlen(head));
    for (size_t i = 0; i < flen; i++)
        body[strlen(head) + i] = "\r\n\0x-"[i % 5];
    memcpy(body + strlen(head) + flen, tail, strlen(tail));
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in sa = {0};
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
    char hdr[300];
    int hl = snprintf(hdr, sizeof hdr, "POST %s HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
                      "Content-Type: multipart/form-data; boundary=B0\r\nContent-Length: %zu\r\n\r\n", path, blen);
    assert_int_equal(send(fd, hdr, (size_t)hl, MSG_NOSIGNAL), hl);
    size_t sent = 0;
    while (sent < blen) {
        ssize_t w = send(fd, body + sent, blen - sent, MSG_NOSIGNAL);
        if (w <= 0)
            break;                       /* the server may answer 413 and close early */
        sent += (size_t)w;
    }
    free(body);
    static char resp[65536];
    size_t got = 0;
    ssize_t r;
    while (got < sizeof resp - 1 && (r = recv(fd, resp + got, sizeof resp - 1 - got, 0)) > 0)
        got += (size_t)r;
    resp[got] = '\0';
    close(fd);
    int status = 0;
    sscanf(resp, "HTTP/1.1 %d", &status);
    const char *b = strstr(resp, "\r\n\r\n");
    snprintf(out, outsz, "%s", b ? b + 4 : "");
    return status;
}

static void test_live_route_limit(void **state)
{
    (void)state;
    http_log_set_quiet(1);
    http_config cfg = {.listen = "127.0.0.1:0", .threads = 2, .max_body = 4096};
    http_server *s = NULL;
    assert_int_equal(http_server_start(&s, &cfg, live_routes, 2), CORE_OK);
    int port = http_server_port(s);
    char out[256];
    /* the upload route takes 100 KiB although the server default is 4 KiB */
    assert_int_equal(post_file(port, "/upload", 100 * 1024, out, sizeof out), 200);
    assert_string_equal(out, "rc=0 name=x.bin len=102400 note=hi");
    /* a small file on the default route is fine, a big one is 413 */
    assert_int_equal(post_file(port, "/small", 1000, out, sizeof out), 200);
    assert_string_equal(out, "rc=0 name=x.bin len=1000 note=hi");
    assert_int_equal(post_file(port, "/small", 8000, out, sizeof out), 413);
    /* and the upload route has its own ceiling */
    assert_int_equal(post_file(port, "/upload", 300 * 1024, out, sizeof out), 413);
    http_server_stop(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_fields),
        cmocka_unit_test(test_preamble_epilogue_padding),
        cmocka_unit_test(test_binary_file),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_large_binary),
        cmocka_unit_test(test_route_limits),
        cmocka_unit_test(test_live_route_limit),
    };
    return cmocka_run_group_tests_name("http_multipart", tests, NULL, NULL);
}
