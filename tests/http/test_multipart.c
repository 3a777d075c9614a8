/* tests/http multipart: the multipart/form-data parser (RFC 7578) on its own:
 * valid bodies (text fields, files, a preamble and epilogue, quoted and
 * escaped parameters, empty file inputs, Windows paths), binary file content
 * holding CRLF, NUL and near-boundary lines, malformed bodies (each a
 * CORE_INVALID) and every limit (CORE_DENIED); plus the per-route body limit
 * registry.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

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
    http_route r = {HTTP_POST, "/upload-test", NULL, CORE_PERM_PUBLIC, HTTP_KIND_HTML, ""};
    http_route other = {HTTP_POST, "/other-test", NULL, CORE_PERM_PUBLIC, HTTP_KIND_HTML, ""};
    assert_int_equal(http_route_max_body(&r, 100), 100);
    http_set_route_max_body("/upload-test", 6 * 1024 * 1024);
    assert_int_equal(http_route_max_body(&r, 100), 6 * 1024 * 1024);
    assert_int_equal(http_route_max_body(&other, 100), 100);
    assert_int_equal(http_route_max_body(NULL, 100), 100);
    http_set_route_max_body("/upload-test", 1000);
    assert_int_equal(http_route_max_body(&r, 100), 1000);
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
    };
    return cmocka_run_group_tests_name("http_multipart", tests, NULL, NULL);
}
