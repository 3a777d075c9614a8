/* http_parse: byte-level parsing of request inputs: percent-decoding (strict:
 * a bad escape, a decoded NUL or invalid UTF-8 is an error, never silently
 * passed on), urlencoded key/value lists (query strings and form bodies) and
 * the Cookie header. Everything lands in the request arena.
 */
#include <string.h>
#include <strings.h>

#include "http/http_internal.h"

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

char *http_pct_decode(core_arena *a, const char *s, size_t n, int plus_space)
{
    if (!a || (!s && n)) return NULL;
    char *out = core_arena_alloc(a, n + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            if (i + 2 >= n) return NULL;
            int h = hexval(s[i + 1]), l = hexval(s[i + 2]);
            if (h < 0 || l < 0) return NULL;
            out[o++] = (char)(h * 16 + l);
            i += 2;
        } else if (c == '+' && plus_space) {
            out[o++] = ' ';
        } else {
            out[o++] = c;
        }
    }
    out[o] = '\0';
    if (!core_utf8_valid(out, o)) return NULL;   /* also rejects NUL */
    return out;
}

const char *http_kv_get(const http_kv *l, const char *name, int case_insensitive)
{
    if (!name) return NULL;
    for (; l; l = l->next)
        if (case_insensitive ? strcasecmp(l->name, name) == 0 : strcmp(l->name, name) == 0)
            return l->value;
    return NULL;
}

int http_parse_urlencoded(core_arena *a, const char *s, size_t n, http_kv **out)
{
    *out = NULL;
    http_kv *head = NULL, **tail = &head;
    size_t i = 0;
    while (s && i < n) {
        size_t j = i;
        while (j < n && s[j] != '&') j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && s[eq] != '=') eq++;
            char *k = http_pct_decode(a, s + i, eq - i, 1);
            char *v = eq < j ? http_pct_decode(a, s + eq + 1, j - eq - 1, 1)
                             : core_arena_strdup(a, "");
            if (!k || !v) return CORE_INVALID;
            http_kv *kv = core_arena_alloc(a, sizeof *kv);
            if (!kv) return CORE_NOMEM;
            kv->name = k;
            kv->value = v;
            *tail = kv;
            tail = &kv->next;
        }
        i = j + 1;
    }
    *out = head;
    return CORE_OK;
}

int http_parse_cookies(core_arena *a, const char *s, http_kv **out)
{
    *out = NULL;
    http_kv *head = NULL, **tail = &head;
    while (s && *s) {
        while (*s == ' ' || *s == '\t' || *s == ';') s++;
        if (!*s) break;
        const char *end = strchr(s, ';');
        size_t len = end ? (size_t)(end - s) : strlen(s);
        const char *eq = memchr(s, '=', len);
        if (eq && eq > s) {
            size_t kl = (size_t)(eq - s);
            while (kl && (s[kl - 1] == ' ' || s[kl - 1] == '\t')) kl--;
            const char *v = eq + 1;
            size_t vl = len - (size_t)(v - s);
            while (vl && (*v == ' ' || *v == '\t')) { v++; vl--; }
            while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) vl--;
            if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') { v++; vl -= 2; }
            http_kv *kv = core_arena_alloc(a, sizeof *kv);
            char *k = core_arena_strndup(a, s, kl);
            char *val = core_arena_strndup(a, v, vl);
            if (!kv || !k || !val) return CORE_NOMEM;
            kv->name = k;
            kv->value = val;
            *tail = kv;
            tail = &kv->next;
        }
        s += len;
    }
    *out = head;
    return CORE_OK;
}
