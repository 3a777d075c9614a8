/* crypto_hash: BLAKE2b-256 digests (plain, keyed, incremental) and the hex
 * and base32 codecs.
 *
 * The incremental hasher is what the audit chain uses: each field is fed
 * with an 8-byte little-endian length prefix so that ("ab","c") and
 * ("a","bc") hash differently, and NULL (length UINT64_MAX, no bytes) differs
 * from "".
 */
#include "crypto/crypto.h"

#include "core/core.h"

#include <sodium.h>
#include <string.h>

#define DIGEST_LEN 32

_Static_assert(sizeof(crypto_generichash_state) <= sizeof(((cry_hasher *)0)->state),
               "cry_hasher too small for crypto_generichash_state");

static void to_hex(const unsigned char *d, size_t n, char *out)
{
    static const char hex[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        out[2 * i] = hex[d[i] >> 4];
        out[2 * i + 1] = hex[d[i] & 15];
    }
    out[2 * n] = '\0';
}

void cry_hash_hex(const void *data, size_t n, char out[CRY_HASH_HEX_LEN + 1])
{
    unsigned char d[DIGEST_LEN];
    crypto_generichash(d, sizeof d, data, n, NULL, 0);
    to_hex(d, sizeof d, out);
}

void cry_keyed_hash_hex(const unsigned char key[CRY_SECRET_LEN], const void *data, size_t n,
                        char out[CRY_HASH_HEX_LEN + 1])
{
    unsigned char d[DIGEST_LEN];
    crypto_generichash(d, sizeof d, data, n, key, CRY_SECRET_LEN);
    to_hex(d, sizeof d, out);
}

static crypto_generichash_state *st(cry_hasher *h)
{
    return (crypto_generichash_state *)(void *)h->state;
}

void cry_hasher_init(cry_hasher *h)
{
    crypto_generichash_init(st(h), NULL, 0, DIGEST_LEN);
}

void cry_hasher_update(cry_hasher *h, const void *data, size_t n)
{
    crypto_generichash_update(st(h), data, n);
}

void cry_hasher_field(cry_hasher *h, const char *s)
{
    uint64_t len = s ? (uint64_t)strlen(s) : UINT64_MAX;
    unsigned char le[8];
    for (int i = 0; i < 8; i++)
        le[i] = (unsigned char)(len >> (8 * i));
    crypto_generichash_update(st(h), le, sizeof le);
    if (s)
        crypto_generichash_update(st(h), (const unsigned char *)s, (unsigned long long)len);
}

void cry_hasher_final_hex(cry_hasher *h, char out[CRY_HASH_HEX_LEN + 1])
{
    unsigned char d[DIGEST_LEN];
    crypto_generichash_final(st(h), d, sizeof d);
    to_hex(d, sizeof d, out);
    sodium_memzero(h->state, sizeof h->state);
}

int cry_hex_encode(const void *in, size_t n, char *out, size_t outsz)
{
    if (!out || (n && !in))
        return CORE_INVALID;
    if (n > (SIZE_MAX - 1) / 2 || outsz < 2 * n + 1)
        return CORE_ERR;
    to_hex(in, n, out);
    return CORE_OK;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int cry_hex_decode(const char *in, unsigned char *out, size_t outsz, size_t *outlen)
{
    if (!in)
        return CORE_INVALID;
    size_t n = strlen(in);
    if (n % 2)
        return CORE_INVALID;
    for (size_t i = 0; i < n; i++)
        if (hexval(in[i]) < 0)
            return CORE_INVALID;
    if (outsz < n / 2 || (n && !out))
        return CORE_ERR;
    for (size_t i = 0; i < n / 2; i++)
        out[i] = (unsigned char)(hexval(in[2 * i]) << 4 | hexval(in[2 * i + 1]));
    if (outlen)
        *outlen = n / 2;
    return CORE_OK;
}

static const char b32_alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

int cry_base32_encode(const void *in, size_t n, char *out, size_t outsz)
{
    if (!out || (n && !in))
        return CORE_INVALID;
    if (n > (SIZE_MAX - 8) / 8)
        return CORE_ERR;
    size_t need = (n * 8 + 4) / 5;
    if (outsz < need + 1)
        return CORE_ERR;
    const unsigned char *p = in;
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 8) | p[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = b32_alphabet[(acc >> (bits - 5)) & 31];
            bits -= 5;
        }
        acc &= (1u << bits) - 1;
    }
    if (bits > 0)
        out[o++] = b32_alphabet[(acc << (5 - bits)) & 31];
    out[o] = '\0';
    return CORE_OK;
}

static int b32val(char c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a';
    if (c >= '2' && c <= '7') return c - '2' + 26;
    return -1;
}

/* Accepts upper or lower case and trailing '=' padding (authenticator apps
 * and users are not consistent). Refuses lengths no encoder produces and
 * non-zero leftover bits, so every secret has exactly one spelling. */
int cry_base32_decode(const char *in, unsigned char *out, size_t outsz, size_t *outlen)
{
    if (!in)
        return CORE_INVALID;
    size_t n = strlen(in);
    while (n > 0 && in[n - 1] == '=')
        n--;
    size_t rem = n % 8;
    if (rem == 1 || rem == 3 || rem == 6)
        return CORE_INVALID;
    for (size_t i = 0; i < n; i++)
        if (b32val(in[i]) < 0)
            return CORE_INVALID;
    size_t need = n * 5 / 8;
    uint32_t acc = 0;
    int bits = 0;
    size_t o = 0;
    /* first pass validates the trailing bits before anything is written */
    for (size_t i = 0; i < n; i++) {
        acc = ((acc << 5) | (uint32_t)b32val(in[i])) & 0xffff;
        bits += 5;
        if (bits >= 8)
            bits -= 8;
    }
    if (bits > 0 && (acc & ((1u << bits) - 1)) != 0)
        return CORE_INVALID;
    if (outsz < need || (need && !out))
        return CORE_ERR;
    acc = 0;
    bits = 0;
    for (size_t i = 0; i < n; i++) {
        acc = (acc << 5) | (uint32_t)b32val(in[i]);
        bits += 5;
        if (bits >= 8) {
            out[o++] = (unsigned char)(acc >> (bits - 8));
            bits -= 8;
            acc &= (1u << bits) - 1;
        }
    }
    if (outlen)
        *outlen = o;
    return CORE_OK;
}
