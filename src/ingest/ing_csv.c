/* ing_csv: RFC 4180 scanning over in-memory blocks.
 *
 * Framing (ing_csv_frame) finds record ends: an LF with an even number of
 * quotes before it in the record (quote parity; a "" escape counts twice, so
 * it never changes parity). It runs 16 bytes at a time with SSE2 where the
 * compiler targets it, a byte loop otherwise. Splitting (ing_csv_split)
 * then walks one record: quoted fields end at a quote not followed by
 * another, unquoted fields at the next comma; a quote inside an unquoted
 * field or text after a closing quote is broken quoting (the record is
 * rejected). Fields are (pointer, length, escaped) views into the block:
 * no allocation, no copy unless a field holds "" escapes and is used.
 * ing_utf8_check validates a whole block (ASCII fast path) so the per-row
 * work only happens on the rare block that holds a fault.
 */
#include "ingest/ing_internal.h"

#include <string.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#define ING_SSE2 1
#endif

/* Index of the first byte in [i, n) equal to a or b or c (n if none). */
static inline size_t scan3(const char *p, size_t i, size_t n, char a, char b, char c)
{
#ifdef ING_SSE2
    const __m128i va = _mm_set1_epi8(a), vb = _mm_set1_epi8(b), vc = _mm_set1_epi8(c);
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_or_si128(
            _mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)), _mm_cmpeq_epi8(v, vc)));
        if (m) return i + (size_t)__builtin_ctz(m);
        i += 16;
    }
#endif
    while (i < n && p[i] != a && p[i] != b && p[i] != c) i++;
    return i;
}

#ifdef ING_SSE2
static inline uint64_t mask64(const char *p, __m128i c)
{
    uint64_t m0 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)p), c));
    uint64_t m1 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 16)), c));
    uint64_t m2 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 32)), c));
    uint64_t m3 = (uint32_t)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(p + 48)), c));
    return m0 | m1 << 16 | m2 << 32 | m3 << 48;
}
#endif

size_t ing_csv_frame(const char *p, size_t n, uint64_t *rows)
{
    size_t i = 0, last = 0;
    uint64_t r = 0, inq = 0;   /* all ones while inside quotes */
#ifdef ING_SSE2
    /* 64 bytes at a time: bit j of the prefix XOR of the quote mask says
       whether byte j is inside quotes; newlines outside end records. */
    const __m128i vq = _mm_set1_epi8('"'), vn = _mm_set1_epi8('\n');
    for (; i + 64 <= n; i += 64) {
        uint64_t q = mask64(p + i, vq), nl = mask64(p + i, vn);
        uint64_t x = q;
        x ^= x << 1;
        x ^= x << 2;
        x ^= x << 4;
        x ^= x << 8;
        x ^= x << 16;
        x ^= x << 32;
        x ^= inq;
        uint64_t ends = nl & ~x;
        if (ends) {
            r += (uint64_t)__builtin_popcountll(ends);
            last = i + 64 - (size_t)__builtin_clzll(ends);
        }
        inq = (uint64_t)((int64_t)x >> 63);
    }
#endif
    int q = inq != 0;
    for (; i < n; i++) {
        if (p[i] == '"') q ^= 1;
        else if (p[i] == '\n' && !q) {
            r++;
            last = i + 1;
        }
    }
    *rows = r;
    return last;
}

size_t ing_csv_record_end(const char *p, size_t n)
{
    int q = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == '"') q ^= 1;
        else if (p[i] == '\n' && !q) return i + 1;
    }
    return n;
}

long ing_csv_split(const char *p, size_t n, ing_field *f, size_t max, size_t *used,
                   const char **reason)
{
    size_t i = 0, nf = 0;
    for (;;) {
        if (i < n && p[i] == '"') {
            size_t start = ++i;
            uint8_t esc = 0;
            /* A JSON array ("[""A"",""B""]"): jump to its first ']' when a
               closing quote and a separator follow it. Its items hold no ']'
               and are validated item by item afterwards, so a malformed
               field is still rejected; the record's end comes from the
               framing either way. */
            if (i < n && p[i] == '[') {
                const char *rb = memchr(p + i, ']', n - i);
                size_t k = rb ? (size_t)(rb - p) : n;
                if (k + 1 < n && p[k + 1] == '"' &&
                    (k + 2 == n || p[k + 2] == ',' || p[k + 2] == '\n' || p[k + 2] == '\r')) {
                    esc = k > i + 1;
                    i = k + 2;
                    goto quoted_done;
                }
            }
            for (;;) {
                size_t k = scan3(p, i, n, '"', '"', '"');
                if (k >= n) {
                    *reason = "unterminated quoted field";
                    *used = n;
                    return -1;
                }
                i = k + 1;
                if (i < n && p[i] == '"') {
                    esc = 1;
                    i++;
                    continue;
                }
                break;
            }
        quoted_done:
            if (nf < max) {
                f[nf].p = p + start;
                f[nf].len = (uint32_t)(i - 1 - start);
                f[nf].esc = esc;
            }
            nf++;
            if (i == n || (p[i] == '\r' && i + 1 == n)) {
                *used = n;
                return (long)nf;
            }
            if (p[i] == '\n' || (p[i] == '\r' && p[i + 1] == '\n')) {
                *used = i + 1 + (p[i] == '\r');
                return (long)nf;
            }
            if (p[i] != ',') {
                *reason = "text after a closing quote";
                *used = i + ing_csv_record_end(p + i, n - i);
                return -1;
            }
            i++;
            continue;
        }
        size_t start = i;
        i = scan3(p, i, n, ',', '\n', '"');
        if (i < n && p[i] == '"') {
            *reason = "quote inside an unquoted field";
            *used = i + ing_csv_record_end(p + i, n - i);
            return -1;
        }
        size_t end = i;
        if (end > start && p[end - 1] == '\r' && (i == n || p[i] == '\n')) end--;
        if (nf < max) {
            f[nf].p = p + start;
            f[nf].len = (uint32_t)(end - start);
            f[nf].esc = 0;
        }
        nf++;
        if (i >= n) {
            *used = n;
            return (long)nf;
        }
        if (p[i] == '\n') {
            *used = i + 1;
            return (long)nf;
        }
        i++;   /* the comma; a comma at the very end makes one more empty field */
    }
}

size_t ing_csv_unescape(const ing_field *f, char *dst)
{
    const char *s = f->p, *e = f->p + f->len;
    char *d = dst;
    while (s < e) {
        const char *q = memchr(s, '"', (size_t)(e - s));
        size_t chunk = q ? (size_t)(q - s) + 1 : (size_t)(e - s);
        memcpy(d, s, chunk);
        d += chunk;
        s += chunk;
        if (q && s < e && *s == '"') s++;   /* skip the second quote of "" */
    }
    return (size_t)(d - dst);
}

/* Validates one multi-byte sequence at p[i]; returns its length or 0. */
static size_t utf8_seq(const unsigned char *p, size_t i, size_t n)
{
    unsigned char c = p[i];
    size_t len;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) { len = 2; cp = c & 0x1Fu; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { len = 3; cp = c & 0x0Fu; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { len = 4; cp = c & 0x07u; min = 0x10000; }
    else return 0;
    if (n - i < len) return 0;
    for (size_t k = 1; k < len; k++) {
        unsigned char cc = p[i + k];
        if ((cc & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (cc & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return len;
}

size_t ing_utf8_check(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
#ifdef ING_SSE2
        const __m128i zero = _mm_setzero_si128();
        while (i + 16 <= n) {
            __m128i v = _mm_loadu_si128((const __m128i *)(p + i));
            unsigned m = (unsigned)_mm_movemask_epi8(v) |
                         (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, zero));
            if (m) {
                i += (size_t)__builtin_ctz(m);
                break;
            }
            i += 16;
        }
        if (i >= n) break;
#endif
        unsigned char c = p[i];
        if (c == 0) return i;
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t len = utf8_seq(p, i, n);
        if (!len) return i;
        i += len;
    }
    return n;
}
