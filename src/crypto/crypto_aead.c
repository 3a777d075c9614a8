/* crypto_aead: envelope encryption for data at rest (grievance cases).
 *
 * Subkeys from the server secret with crypto_kdf_derive_from_key; fields
 * sealed with XChaCha20-Poly1305-IETF under a random 24-byte nonce (random
 * nonces are safe at this size: 192 bits), associated data binding each
 * ciphertext to its row and field. The stored text is standard padded
 * base64 of nonce || ciphertext||tag. Every failure to open (bad base64,
 * short text, wrong key or associated data, altered byte) is CORE_CORRUPT
 * and never leaves partial plaintext behind. Temporary plaintext copies are
 * wiped before they are freed.
 */
#include "crypto/crypto.h"

#include "core/core.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define NONCE crypto_aead_xchacha20poly1305_ietf_NPUBBYTES
#define TAG crypto_aead_xchacha20poly1305_ietf_ABYTES
#define B64 sodium_base64_VARIANT_ORIGINAL

_Static_assert(NONCE == CRY_AEAD_NONCE_LEN, "nonce length");
_Static_assert(TAG == CRY_AEAD_TAG_LEN, "tag length");
_Static_assert(crypto_aead_xchacha20poly1305_ietf_KEYBYTES == CRY_KEY_LEN, "key length");
_Static_assert(crypto_kdf_KEYBYTES == CRY_SECRET_LEN, "kdf root length");
_Static_assert(crypto_kdf_CONTEXTBYTES == CRY_KDF_CTX_LEN, "kdf context length");

int cry_kdf_subkey(const unsigned char root[CRY_SECRET_LEN], uint64_t id, const char ctx[8],
                   unsigned char out[32])
{
    if (!root || !ctx || !out)
        return CORE_INVALID;
    if (crypto_kdf_derive_from_key(out, 32, id, ctx, root) != 0)
        return CORE_ERR;
    return CORE_OK;
}

void cry_key_new(unsigned char key[CRY_KEY_LEN])
{
    crypto_aead_xchacha20poly1305_ietf_keygen(key);
}

static size_t ad_len(const char *ad)
{
    return ad ? strlen(ad) : 0;
}

/* Seals into a malloc'd base64 string; *len its length without NUL. */
static int seal_b64(const unsigned char *key, const char *ad, const void *pt, size_t n,
                    char **b64, size_t *len)
{
    if (!key || (n && !pt))
        return CORE_INVALID;
    if (n > SIZE_MAX / 2 - NONCE - TAG || n > crypto_aead_xchacha20poly1305_ietf_MESSAGEBYTES_MAX)
        return CORE_INVALID;
    size_t rawlen = NONCE + n + TAG;
    unsigned char *raw = malloc(rawlen);
    if (!raw)
        return CORE_NOMEM;
    randombytes_buf(raw, NONCE);
    unsigned long long clen = 0;
    crypto_aead_xchacha20poly1305_ietf_encrypt(raw + NONCE, &clen, pt ? pt : (const void *)"",
                                               (unsigned long long)n, (const unsigned char *)ad,
                                               (unsigned long long)ad_len(ad), NULL, raw, key);
    size_t blen = sodium_base64_encoded_len(rawlen, B64);
    char *out = malloc(blen);
    if (!out) {
        free(raw);
        return CORE_NOMEM;
    }
    sodium_bin2base64(out, blen, raw, rawlen, B64);
    free(raw);
    *b64 = out;
    *len = strlen(out);
    return CORE_OK;
}

int cry_aead_seal(const unsigned char key[32], const char *ad, const void *pt, size_t n,
                  core_buf *out_b64)
{
    if (!out_b64)
        return CORE_INVALID;
    char *b64 = NULL;
    size_t len = 0;
    int rc = seal_b64(key, ad, pt, n, &b64, &len);
    if (rc != CORE_OK)
        return rc;
    rc = core_buf_append(out_b64, b64, len);
    free(b64);
    return rc == CORE_OK ? CORE_OK : CORE_NOMEM;
}

int cry_aead_seal_arena(const unsigned char key[32], const char *ad, const void *pt, size_t n,
                        core_arena *a, char **out_b64)
{
    if (!a || !out_b64)
        return CORE_INVALID;
    char *b64 = NULL;
    size_t len = 0;
    int rc = seal_b64(key, ad, pt, n, &b64, &len);
    if (rc != CORE_OK)
        return rc;
    *out_b64 = core_arena_strndup(a, b64, len);
    free(b64);
    return *out_b64 ? CORE_OK : CORE_NOMEM;
}

/* Decodes base64 (padding optional) into a malloc'd buffer. */
static int b64_to_bin(const char *in, size_t inlen, unsigned char **out, size_t *n)
{
    size_t cap = inlen / 4 * 3 + 3;
    unsigned char *bin = malloc(cap ? cap : 1);
    if (!bin)
        return CORE_NOMEM;
    size_t got = 0;
    const char *end = NULL;
    int variant = (inlen % 4 == 0) ? B64 : sodium_base64_VARIANT_ORIGINAL_NO_PADDING;
    if (sodium_base642bin(bin, cap, in, inlen, NULL, &got, &end, variant) != 0 ||
        end != in + inlen) {
        free(bin);
        return CORE_INVALID;
    }
    *out = bin;
    *n = got;
    return CORE_OK;
}

int cry_aead_open(const unsigned char key[32], const char *ad, const char *b64, core_arena *a,
                  char **pt, size_t *n)
{
    if (!key || !b64 || !a || !pt)
        return CORE_INVALID;
    *pt = NULL;
    if (n)
        *n = 0;
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    int rc = b64_to_bin(b64, strlen(b64), &raw, &rawlen);
    if (rc == CORE_NOMEM)
        return rc;
    if (rc != CORE_OK)
        return CORE_CORRUPT;
    if (rawlen < NONCE + TAG) {
        free(raw);
        return CORE_CORRUPT;
    }
    size_t mlen_max = rawlen - NONCE - TAG;
    char *m = core_arena_alloc(a, mlen_max + 1);
    if (!m) {
        free(raw);
        return CORE_NOMEM;
    }
    unsigned long long mlen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt((unsigned char *)m, &mlen, NULL, raw + NONCE,
                                                   (unsigned long long)(rawlen - NONCE),
                                                   (const unsigned char *)ad,
                                                   (unsigned long long)ad_len(ad), raw, key) != 0) {
        sodium_memzero(m, mlen_max + 1);
        free(raw);
        return CORE_CORRUPT;
    }
    free(raw);
    m[mlen] = '\0';
    *pt = m;
    if (n)
        *n = (size_t)mlen;
    return CORE_OK;
}

int cry_key_wrap(const unsigned char kek[32], const char *ad, const unsigned char key[32],
                 char *out_b64, size_t outsz)
{
    if (!kek || !key || !out_b64)
        return CORE_INVALID;
    if (outsz < CRY_WRAPPED_KEY_LEN + 1)
        return CORE_ERR;
    char *b64 = NULL;
    size_t len = 0;
    int rc = seal_b64(kek, ad, key, CRY_KEY_LEN, &b64, &len);
    if (rc != CORE_OK)
        return rc;
    if (len != CRY_WRAPPED_KEY_LEN) {
        free(b64);
        return CORE_ERR;
    }
    memcpy(out_b64, b64, len + 1);
    free(b64);
    return CORE_OK;
}

int cry_key_unwrap(const unsigned char kek[32], const char *ad, const char *b64,
                   unsigned char key[32])
{
    if (!kek || !b64 || !key)
        return CORE_INVALID;
    if (strlen(b64) != CRY_WRAPPED_KEY_LEN)
        return CORE_CORRUPT;
    unsigned char raw[NONCE + CRY_KEY_LEN + TAG + 3];
    size_t got = 0;
    const char *end = NULL;
    if (sodium_base642bin(raw, sizeof raw, b64, CRY_WRAPPED_KEY_LEN, NULL, &got, &end, B64) != 0 ||
        got != NONCE + CRY_KEY_LEN + TAG)
        return CORE_CORRUPT;
    unsigned char k[CRY_KEY_LEN];
    unsigned long long klen = 0;
    if (crypto_aead_xchacha20poly1305_ietf_decrypt(k, &klen, NULL, raw + NONCE,
                                                   CRY_KEY_LEN + TAG, (const unsigned char *)ad,
                                                   (unsigned long long)ad_len(ad), raw, kek) != 0 ||
        klen != CRY_KEY_LEN) {
        sodium_memzero(k, sizeof k);
        return CORE_CORRUPT;
    }
    memcpy(key, k, CRY_KEY_LEN);
    sodium_memzero(k, sizeof k);
    return CORE_OK;
}

size_t cry_base64_encoded_len(size_t n)
{
    return (n + 2) / 3 * 4;
}

int cry_base64_encode(const void *in, size_t n, core_buf *out)
{
    if (!out || (n && !in))
        return CORE_INVALID;
    if (n > SIZE_MAX / 2)
        return CORE_INVALID;
    size_t blen = sodium_base64_encoded_len(n, B64);
    char *b64 = malloc(blen);
    if (!b64)
        return CORE_NOMEM;
    sodium_bin2base64(b64, blen, n ? in : (const void *)"", n, B64);
    int rc = core_buf_append(out, b64, strlen(b64));
    free(b64);
    return rc == CORE_OK ? CORE_OK : CORE_NOMEM;
}

int cry_base64_decode(const char *in, size_t inlen, core_arena *a, unsigned char **out, size_t *n)
{
    if (!in || !a || !out)
        return CORE_INVALID;
    *out = NULL;
    if (n)
        *n = 0;
    if (memchr(in, '\0', inlen))
        return CORE_INVALID;
    unsigned char *bin = NULL;
    size_t got = 0;
    int rc = b64_to_bin(in, inlen, &bin, &got);
    if (rc != CORE_OK)
        return rc;
    unsigned char *dst = core_arena_alloc(a, got + 1);
    if (!dst) {
        sodium_memzero(bin, got);
        free(bin);
        return CORE_NOMEM;
    }
    memcpy(dst, bin, got);
    dst[got] = 0;
    sodium_memzero(bin, got);
    free(bin);
    *out = dst;
    if (n)
        *n = got;
    return CORE_OK;
}
