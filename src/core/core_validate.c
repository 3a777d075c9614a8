/* core_validate: pure validators over bytes (UTF-8, e-mail, slugs, integers)
 * and a constant-time string comparison.
 *
 * These are the checks applied to untrusted input before it reaches storage
 * or templates, so they are strict: UTF-8 must be shortest-form without
 * surrogates or NUL, integers must be plain decimal that fits int64.
 */
#include "core/core.h"

#include <string.h>

int core_utf8_valid(const char *s, size_t n)
{
    if (!s)
        return n == 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        unsigned char c = p[i];
        if (c == 0)
            return 0;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len;
        uint32_t cp, min;
        if (c >= 0xC2 && c <= 0xDF) {
            len = 2; cp = c & 0x1F; min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            len = 3; cp = c & 0x0F; min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            len = 4; cp = c & 0x07; min = 0x10000;
        } else {
            return 0;   /* continuation byte, C0/C1 overlong lead, F5..FF */
        }
        if (n - i < len)
            return 0;   /* truncated */
        for (size_t k = 1; k < len; k++) {
            unsigned char cc = p[i + k];
            if ((cc & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (cc & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += len;
    }
    return 1;
}

static int is_atext(unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return 1;
    if (c >= 0x80)
        return 1;   /* internationalised local parts (RFC 6531); UTF-8 checked separately */
    return strchr("!#$%&'*+-/=?^_`{|}~", c) != NULL && c != 0;
}

static int is_label_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '-' || c >= 0x80;
}

/* A plausible dot-atom addr-spec: local@domain, local part of atext runs
 * separated by single dots (<= 64 bytes), domain of at least two labels of
 * letters, digits and inner hyphens (<= 63 bytes each), whole <= 254 bytes.
 * Quoted local parts and address literals are refused. */
int core_email_valid(const char *s)
{
    if (!s)
        return 0;
    size_t n = strnlen(s, 255);
    if (n == 0 || n > 254 || !core_utf8_valid(s, n))
        return 0;
    const char *at = strchr(s, '@');
    if (!at || strchr(at + 1, '@'))
        return 0;
    size_t local_len = (size_t)(at - s);
    if (local_len == 0 || local_len > 64)
        return 0;
    for (size_t i = 0; i < local_len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '.') {
            if (i == 0 || i == local_len - 1 || s[i - 1] == '.')
                return 0;
        } else if (!is_atext(c)) {
            return 0;
        }
    }
    const char *d = at + 1;
    size_t labels = 0, label_len = 0;
    for (const char *p = d;; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == '.' || c == '\0') {
            if (label_len == 0 || label_len > 63 || p[-1] == '-')
                return 0;
            labels++;
            label_len = 0;
            if (c == '\0')
                break;
        } else if (is_label_char(c)) {
            if (label_len == 0 && c == '-')
                return 0;
            label_len++;
        } else {
            return 0;
        }
    }
    return labels >= 2;
}

int core_slug_valid(const char *s)
{
    if (!s || s[0] == '\0' || s[0] == '-')
        return 0;
    size_t i = 0;
    for (; s[i]; i++) {
        char c = s[i];
        if (i >= 63)
            return 0;
        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            return 0;
    }
    return 1;
}

/* Optional '-', then one or more ASCII digits, nothing else (no spaces, no
 * '+', no hex). Leading zeros are accepted. Out of range is invalid. */
int core_parse_int64(const char *s, int64_t *out)
{
    if (!s)
        return CORE_INVALID;
    int neg = 0;
    if (*s == '-') {
        neg = 1;
        s++;
    }
    if (*s == '\0')
        return CORE_INVALID;
    /* accumulate as a negative number: its range includes INT64_MIN */
    int64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return CORE_INVALID;
        int d = *s - '0';
        if (v < (INT64_MIN + d) / 10)
            return CORE_INVALID;
        v = v * 10 - d;
    }
    if (!neg) {
        if (v == INT64_MIN)
            return CORE_INVALID;
        v = -v;
    }
    if (out)
        *out = v;
    return CORE_OK;
}

/* Runs over every byte of a; the result depends on all of them. Time
 * depends on strlen(a) and strlen(b) only, never on where they differ. */
int core_consttime_streq(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    size_t la = strlen(a), lb = strlen(b);
    volatile unsigned char diff = (unsigned char)(la != lb);
    for (size_t i = 0; i < la; i++) {
        unsigned char cb = (unsigned char)(i < lb ? b[i] : 0);
        diff |= (unsigned char)(a[i] ^ cb);
    }
    return diff == 0;
}
