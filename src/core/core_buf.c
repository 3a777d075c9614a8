/* core_buf: growable heap byte buffer, always NUL-terminated once it holds
 * data.
 *
 * Appends grow the buffer geometrically. The first failed growth sets the
 * sticky oom flag; from then on every append fails with CORE_NOMEM, so a
 * caller may append many pieces and check once at the end. The HTML and URL
 * helpers are the escaping that templates and redirects rely on.
 */
#include "core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void core_buf_init(core_buf *b)
{
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
    b->oom = 0;
}

void core_buf_cleanup(core_buf *b)
{
    free(b->data);
    core_buf_init(b);
}

void core_buf_reset(core_buf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
    b->oom = 0;
}

/* Makes room for extra more bytes plus the terminating NUL. */
static int grow(core_buf *b, size_t extra)
{
    if (b->oom)
        return CORE_NOMEM;
    if (extra > SIZE_MAX - b->len - 1) {
        b->oom = 1;
        return CORE_NOMEM;
    }
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return CORE_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) {
        if (cap > SIZE_MAX / 2) {
            cap = need;
            break;
        }
        cap *= 2;
    }
    char *d = realloc(b->data, cap);
    if (!d) {
        b->oom = 1;
        return CORE_NOMEM;
    }
    b->data = d;
    b->cap = cap;
    return CORE_OK;
}

int core_buf_append(core_buf *b, const void *p, size_t n)
{
    int rc = grow(b, n);
    if (rc != CORE_OK)
        return rc;
    if (n)
        memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
    return CORE_OK;
}

int core_buf_puts(core_buf *b, const char *s)
{
    if (!s)
        return CORE_INVALID;
    return core_buf_append(b, s, strlen(s));
}

int core_buf_putc(core_buf *b, char c)
{
    return core_buf_append(b, &c, 1);
}

int core_buf_printf(core_buf *b, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) {
        va_end(ap);
        return CORE_ERR;
    }
    int rc = grow(b, (size_t)n);
    if (rc == CORE_OK) {
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
    return rc;
}

int core_buf_html(core_buf *b, const char *s)
{
    if (!s)
        return CORE_INVALID;
    const char *run = s;
    for (const char *p = s;; p++) {
        const char *rep = NULL;
        switch (*p) {
        case '&': rep = "&amp;"; break;
        case '<': rep = "&lt;"; break;
        case '>': rep = "&gt;"; break;
        case '"': rep = "&quot;"; break;
        case '\'': rep = "&#39;"; break;
        case '/': rep = "&#47;"; break;
        case '\0': break;
        default: continue;
        }
        if (p > run && core_buf_append(b, run, (size_t)(p - run)) != CORE_OK)
            return CORE_NOMEM;
        if (!rep)
            break;
        if (core_buf_puts(b, rep) != CORE_OK)
            return CORE_NOMEM;
        run = p + 1;
    }
    /* make sure an empty string still yields a valid, allocated buffer */
    return core_buf_append(b, "", 0);
}

/* Percent-encodes everything except RFC 3986 unreserved characters. */
int core_buf_urlencode(core_buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    if (!s)
        return CORE_INVALID;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        int plain = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' || c == '~';
        int rc;
        if (plain) {
            rc = core_buf_putc(b, (char)c);
        } else {
            char esc[3] = {'%', hex[c >> 4], hex[c & 15]};
            rc = core_buf_append(b, esc, 3);
        }
        if (rc != CORE_OK)
            return rc;
    }
    return core_buf_append(b, "", 0);
}

const char *core_buf_cstr(const core_buf *b)
{
    return b->data ? b->data : "";
}

char *core_buf_steal(core_buf *b)
{
    char *d = NULL;
    if (!b->oom) {
        d = b->data;
        b->data = NULL;
        if (!d) {
            d = malloc(1);
            if (d)
                d[0] = '\0';
        }
    }
    free(b->data);
    core_buf_init(b);
    return d;
}
