/* crypto_sha1: SHA-1 (FIPS 180-4, section 6.1) and HMAC (RFC 2104).
 *
 * Written from the standards for TOTP only. The state keeps the five 32-bit
 * chaining words, a partial 64-byte block and the total length; the final
 * step appends 0x80, zero bytes up to 56 mod 64, then the bit length as a
 * 64-bit big-endian number.
 */
#include "crypto/crypto_sha1.h"

#include <sodium.h>
#include <string.h>

static uint32_t rotl(uint32_t x, unsigned k)
{
    return (x << k) | (x >> (32 - k));
}

static void compress(uint32_t h[5], const unsigned char blk[CRY_SHA1_BLOCK])
{
    uint32_t w[80];
    for (int t = 0; t < 16; t++)
        w[t] = ((uint32_t)blk[4 * t] << 24) | ((uint32_t)blk[4 * t + 1] << 16) |
               ((uint32_t)blk[4 * t + 2] << 8) | (uint32_t)blk[4 * t + 3];
    for (int t = 16; t < 80; t++)
        w[t] = rotl(w[t - 3] ^ w[t - 8] ^ w[t - 14] ^ w[t - 16], 1);

    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int t = 0; t < 80; t++) {
        uint32_t f, k;
        if (t < 20) {
            f = (b & c) ^ (~b & d);             /* Ch */
            k = 0x5a827999u;
        } else if (t < 40) {
            f = b ^ c ^ d;                      /* Parity */
            k = 0x6ed9eba1u;
        } else if (t < 60) {
            f = (b & c) ^ (b & d) ^ (c & d);    /* Maj */
            k = 0x8f1bbcdcu;
        } else {
            f = b ^ c ^ d;
            k = 0xca62c1d6u;
        }
        uint32_t tmp = rotl(a, 5) + f + e + k + w[t];
        e = d;
        d = c;
        c = rotl(b, 30);
        b = a;
        a = tmp;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
    sodium_memzero(w, sizeof w);
}

void cry_sha1_init(cry_sha1_ctx *c)
{
    c->h[0] = 0x67452301u;
    c->h[1] = 0xefcdab89u;
    c->h[2] = 0x98badcfeu;
    c->h[3] = 0x10325476u;
    c->h[4] = 0xc3d2e1f0u;
    c->total = 0;
    c->fill = 0;
}

void cry_sha1_update(cry_sha1_ctx *c, const void *data, size_t n)
{
    const unsigned char *p = data;
    c->total += n;
    while (n > 0) {
        size_t take = CRY_SHA1_BLOCK - c->fill;
        if (take > n)
            take = n;
        memcpy(c->block + c->fill, p, take);
        c->fill += take;
        p += take;
        n -= take;
        if (c->fill == CRY_SHA1_BLOCK) {
            compress(c->h, c->block);
            c->fill = 0;
        }
    }
}

void cry_sha1_final(cry_sha1_ctx *c, unsigned char out[CRY_SHA1_LEN])
{
    uint64_t bits = c->total * 8;
    unsigned char pad = 0x80;
    cry_sha1_update(c, &pad, 1);
    pad = 0;
    while (c->fill != 56)
        cry_sha1_update(c, &pad, 1);
    unsigned char len[8];
    for (int i = 0; i < 8; i++)
        len[i] = (unsigned char)(bits >> (56 - 8 * i));
    cry_sha1_update(c, len, 8);
    for (int i = 0; i < 5; i++) {
        out[4 * i] = (unsigned char)(c->h[i] >> 24);
        out[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
        out[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
        out[4 * i + 3] = (unsigned char)c->h[i];
    }
    sodium_memzero(c, sizeof *c);
}

void cry_sha1(const void *data, size_t n, unsigned char out[CRY_SHA1_LEN])
{
    cry_sha1_ctx c;
    cry_sha1_init(&c);
    cry_sha1_update(&c, data, n);
    cry_sha1_final(&c, out);
}

/* HMAC(K, m) = H((K0 ^ opad) || H((K0 ^ ipad) || m)), K0 being the key
 * (hashed first when longer than a block) zero-padded to the block size. */
void cry_hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
                   unsigned char out[CRY_SHA1_LEN])
{
    unsigned char k0[CRY_SHA1_BLOCK] = {0};
    unsigned char pad[CRY_SHA1_BLOCK];
    unsigned char inner[CRY_SHA1_LEN];
    cry_sha1_ctx c;

    if (keylen > CRY_SHA1_BLOCK)
        cry_sha1(key, keylen, k0);
    else if (keylen > 0)
        memcpy(k0, key, keylen);

    for (int i = 0; i < CRY_SHA1_BLOCK; i++)
        pad[i] = k0[i] ^ 0x36;
    cry_sha1_init(&c);
    cry_sha1_update(&c, pad, sizeof pad);
    cry_sha1_update(&c, msg, n);
    cry_sha1_final(&c, inner);

    for (int i = 0; i < CRY_SHA1_BLOCK; i++)
        pad[i] = k0[i] ^ 0x5c;
    cry_sha1_init(&c);
    cry_sha1_update(&c, pad, sizeof pad);
    cry_sha1_update(&c, inner, sizeof inner);
    cry_sha1_final(&c, out);

    sodium_memzero(k0, sizeof k0);
    sodium_memzero(pad, sizeof pad);
    sodium_memzero(inner, sizeof inner);
}
