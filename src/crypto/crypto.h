/* crypto: every cryptographic operation hrdd performs, all on libsodium.
 *
 * Passwords: argon2id (crypto_pwhash_str). Tokens and session ids: 256-bit
 * random, base64url. Digests: BLAKE2b-256 (crypto_generichash), hex. Keyed
 * digests (receipts, token lookup) use a server secret kept outside the
 * database. TOTP per RFC 6238 (HMAC-SHA1, 30 s, 6 digits) with a base32 secret.
 */
#ifndef HRDD_CRYPTO_H
#define HRDD_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRY_HASH_HEX_LEN 64          /* BLAKE2b-256 as hex, without NUL */
#define CRY_TOKEN_LEN 43             /* 32 random bytes as unpadded base64url */
#define CRY_PWHASH_MAX 128           /* crypto_pwhash_STRBYTES */
#define CRY_SECRET_LEN 32
#define CRY_TOTP_SECRET_LEN 32       /* base32 chars for 20 random bytes */

int cry_init(void);                  /* sodium_init; CORE_OK or CORE_ERR; idempotent */

/* Fills out (CRY_TOKEN_LEN + 1 bytes) with a fresh random token. */
int cry_random_token(char out[CRY_TOKEN_LEN + 1]);
void cry_random_bytes(void *buf, size_t n);

/* Password hashing. cry_set_pwhash_cost("interactive" default | "moderate" |
 * "min" for tests only) sets the argon2id cost for new hashes. */
int cry_set_pwhash_cost(const char *level);
int cry_password_hash(const char *password, char out[CRY_PWHASH_MAX]);
int cry_password_verify(const char *stored_hash, const char *password); /* CORE_OK or CORE_DENIED */
int cry_password_needs_rehash(const char *stored_hash);                 /* 1 if cost changed */

/* BLAKE2b-256. */
void cry_hash_hex(const void *data, size_t n, char out[CRY_HASH_HEX_LEN + 1]);
void cry_keyed_hash_hex(const unsigned char key[CRY_SECRET_LEN], const void *data, size_t n,
                        char out[CRY_HASH_HEX_LEN + 1]);

/* Incremental BLAKE2b-256 (the audit chain feeds fields one by one).
 * The state is opaque storage large enough for crypto_generichash_state. */
typedef struct cry_hasher {
    _Alignas(64) unsigned char state[512];
} cry_hasher;
void cry_hasher_init(cry_hasher *h);
void cry_hasher_update(cry_hasher *h, const void *data, size_t n);
/* Feeds a length-prefixed field (8-byte little-endian length, then bytes), so
 * that field boundaries are unambiguous. NULL is fed as length UINT64_MAX. */
void cry_hasher_field(cry_hasher *h, const char *s);
void cry_hasher_final_hex(cry_hasher *h, char out[CRY_HASH_HEX_LEN + 1]);

/* Hex and base32 (RFC 4648, no padding). Return CORE_INVALID on bad input or
 * CORE_ERR when out is too small. */
int cry_hex_encode(const void *in, size_t n, char *out, size_t outsz);
int cry_hex_decode(const char *in, unsigned char *out, size_t outsz, size_t *outlen);
int cry_base32_encode(const void *in, size_t n, char *out, size_t outsz);
int cry_base32_decode(const char *in, unsigned char *out, size_t outsz, size_t *outlen);

/* TOTP (RFC 6238). secret_b32 is base32. */
int cry_totp_new_secret(char out[CRY_TOTP_SECRET_LEN + 1]);
int cry_totp_code(const char *secret_b32, int64_t unix_time, char out[7]);
/* CORE_OK if code matches the step of now or one step either side. */
int cry_totp_verify(const char *secret_b32, const char *code, int64_t now);

/* Constant-time comparison of equal-length buffers: 1 equal, 0 not. */
int cry_memeq(const void *a, const void *b, size_t n);

/* Server secret: 32 bytes kept in a file (mode 0600) outside the database.
 * cry_secret_load creates the file when create is non-zero and it is absent. */
int cry_secret_load(const char *path, int create, unsigned char out[CRY_SECRET_LEN]);

#endif
