/* crypto_sha1: SHA-1 and HMAC-SHA1, internal to the crypto module.
 *
 * libsodium has no SHA-1, and TOTP (RFC 6238) as implemented by every
 * authenticator app is HMAC-SHA1. SHA-1 is used for nothing else here.
 */
#ifndef HRDD_CRYPTO_SHA1_H
#define HRDD_CRYPTO_SHA1_H

#include <stddef.h>
#include <stdint.h>

#define CRY_SHA1_LEN 20
#define CRY_SHA1_BLOCK 64

typedef struct cry_sha1_ctx {
    uint32_t h[5];
    uint64_t total;                 /* bytes fed so far */
    unsigned char block[CRY_SHA1_BLOCK];
    size_t fill;                    /* bytes waiting in block */
} cry_sha1_ctx;

void cry_sha1_init(cry_sha1_ctx *c);
void cry_sha1_update(cry_sha1_ctx *c, const void *data, size_t n);
void cry_sha1_final(cry_sha1_ctx *c, unsigned char out[CRY_SHA1_LEN]);
void cry_sha1(const void *data, size_t n, unsigned char out[CRY_SHA1_LEN]);
void cry_hmac_sha1(const void *key, size_t keylen, const void *msg, size_t n,
                   unsigned char out[CRY_SHA1_LEN]);

/* HOTP/TOTP core with a chosen digit count (6..8), for the RFC test vectors. */
int cry_totp_code_digits(const unsigned char *key, size_t keylen, int64_t unix_time,
                         int digits, char *out, size_t outsz);

#endif
