/* fuzz_http: libFuzzer target for the parts of the HTTP request path hrdd
 * implements itself (libmicrohttpd parses the request line and headers):
 * routing against the full route table, percent-decoding of the path, the
 * query string, the Cookie header and the body (urlencoded or multipart).
 *
 * Input is a readable pseudo request, so seeds are easy to write:
 *   METHOD /path?query\n
 *   Name: value\n          (Cookie and Content-Type are used; others ignored)
 *   \n
 *   body
 * Everything lives in one arena that dies with the input: no leaks, no I/O.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "http/http.h"
#include "http/http_internal.h"
#include "server/server.h"

static http_router router;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    size_t n = 0;
    const http_route *routes = srv_routes(&n);
    http_router_init(&router);
    if (http_router_add_all(&router, routes, n) != CORE_OK)
        abort();
    return 0;
}

static http_method method_of(const char *s, size_t n)
{
    static const struct { const char *name; http_method m; } tab[] = {
        {"GET", HTTP_GET}, {"HEAD", HTTP_HEAD}, {"POST", HTTP_POST},
        {"PUT", HTTP_PUT}, {"PATCH", HTTP_PATCH}, {"DELETE", HTTP_DELETE},
    };
    for (size_t i = 0; i < sizeof tab / sizeof tab[0]; i++)
        if (strlen(tab[i].name) == n && memcmp(tab[i].name, s, n) == 0)
            return tab[i].m;
    return HTTP_GET;
}

/* One line of buf starting at *pos (without its LF, CR stripped), NUL-terminated in place. */
static char *next_line(char *buf, size_t size, size_t *pos, size_t *len)
{
    if (*pos >= size)
        return NULL;
    char *s = buf + *pos;
    char *nl = memchr(s, '\n', size - *pos);
    size_t l = nl ? (size_t)(nl - s) : size - *pos;
    *pos += l + (nl ? 1 : 0);
    if (l && s[l - 1] == '\r')
        l--;
    s[l] = 0;
    *len = l;
    return s;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *buf = malloc(size + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, size);
    buf[size] = 0;
    core_arena a;
    core_arena_init(&a);

    size_t pos = 0, len = 0;
    char *line = next_line(buf, size, &pos, &len);
    const char *ctype = NULL;
    if (line) {
        /* request line: METHOD SP target */
        char *sp = memchr(line, ' ', len);
        http_method m = method_of(line, sp ? (size_t)(sp - line) : len);
        char *target = sp ? sp + 1 : line + len;
        char *q = strchr(target, '?');
        if (q)
            *q++ = 0;
        http_match match;
        int rc = http_router_match(&router, &a, m, target, &match);
        if (rc == CORE_OK) {
            for (size_t i = 0; i < match.nparams; i++)
                if (!match.names[i] || !match.values[i])
                    abort();
        }
        (void)http_pct_decode(&a, target, strlen(target), 0);
        if (q) {
            http_kv *kv = NULL;
            if (http_parse_urlencoded(&a, q, strlen(q), &kv) == CORE_OK)
                (void)http_kv_get(kv, "lang", 0);
        }
        /* headers up to an empty line */
        char *h;
        while ((h = next_line(buf, size, &pos, &len)) != NULL && len > 0) {
            char *colon = strchr(h, ':');
            if (!colon)
                continue;
            *colon = 0;
            const char *v = colon + 1;
            while (*v == ' ' || *v == '\t')
                v++;
            if (strcasecmp(h, "Cookie") == 0) {
                http_kv *ck = NULL;
                if (http_parse_cookies(&a, v, &ck) == CORE_OK)
                    (void)http_kv_get(ck, "hrdd_session", 0);
            } else if (strcasecmp(h, "Content-Type") == 0) {
                ctype = v;
            }
        }
    }
    /* body: the rest of the input (may contain NULs) */
    const char *body = buf + pos;
    size_t blen = pos <= size ? size - pos : 0;
    if (ctype && strncasecmp(ctype, "multipart/form-data", 19) == 0) {
        http_multipart_limits lim;
        http_multipart_limits_default(&lim);
        http_part *parts = NULL;
        size_t n = 0;
        if (http_multipart_parse(&a, ctype, body, blen, &lim, &parts, &n) == CORE_OK) {
            for (size_t i = 0; i < n; i++)
                if (!parts[i].name || (parts[i].len && !parts[i].data))
                    abort();
        }
    } else {
        http_kv *form = NULL;
        (void)http_parse_urlencoded(&a, body, blen, &form);
    }
    core_arena_cleanup(&a);
    free(buf);
    return 0;
}
