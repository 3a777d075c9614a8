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

/* ---- envelope encryption (grievance case data at rest) ----
 * Root key = the server secret (never in the database). Subkeys come from
 * crypto_kdf_derive_from_key (BLAKE2b): a receipt-lookup key, and per
 * organisation a key-encryption key (KEK) per key version. Each case has a
 * random 32-byte data key, stored wrapped under its org's KEK. Fields are
 * sealed with XChaCha20-Poly1305-IETF (random 24-byte nonce) with associated
 * data binding the ciphertext to its row and field ("case:<id>:<field>"), so
 * ciphertexts cannot be moved between rows or fields.
 *
 * Text form: standard base64 (RFC 4648 section 4, alphabet A-Z a-z 0-9 + /,
 * with '=' padding: sodium_base64_VARIANT_ORIGINAL) of nonce || ciphertext
 * (ciphertext includes the 16-byte tag). The same codec serves attachments
 * sent in JSON. ad may be NULL (no associated data). Failures to
 * authenticate (wrong key, wrong ad, any altered byte, malformed text) are
 * CORE_CORRUPT; nothing of the plaintext is returned then. */
#define CRY_KEY_LEN 32
#define CRY_KDF_CTX_LEN 8            /* crypto_kdf_CONTEXTBYTES */
#define CRY_AEAD_NONCE_LEN 24
#define CRY_AEAD_TAG_LEN 16
#define CRY_WRAPPED_KEY_LEN 96       /* base64 of 24 + 32 + 16 bytes, without NUL */

struct core_buf;
struct core_arena;

/* Derives subkey number id under an 8-character context (not necessarily
 * NUL-terminated, e.g. "hrddrcpt", "hrddkek1"). CORE_OK or CORE_INVALID. */
int cry_kdf_subkey(const unsigned char root[CRY_SECRET_LEN], uint64_t id, const char ctx[8],
                   unsigned char out[32]);
/* A fresh random data key. */
void cry_key_new(unsigned char key[CRY_KEY_LEN]);
/* Seals n bytes of pt; APPENDS the base64 text to out_b64 (reset it first if
 * it is reused). CORE_OK, CORE_INVALID (NULL key or out) or CORE_NOMEM. */
int cry_aead_seal(const unsigned char key[32], const char *ad, const void *pt, size_t n,
                  struct core_buf *out_b64);
/* Same, with the NUL-terminated base64 text allocated in the arena. */
int cry_aead_seal_arena(const unsigned char key[32], const char *ad, const void *pt, size_t n,
                        struct core_arena *a, char **out_b64);
/* Opens the base64 text. On CORE_OK *pt is the plaintext, NUL-terminated,
 * allocated in the arena, and *n its length (n may be NULL). CORE_CORRUPT
 * on authentication failure or malformed text, CORE_NOMEM, CORE_INVALID. */
int cry_aead_open(const unsigned char key[32], const char *ad, const char *b64,
                  struct core_arena *a, char **pt, size_t *n);
/* Key wrapping = sealing a 32-byte key under a KEK; out_b64 gets
 * CRY_WRAPPED_KEY_LEN characters and a NUL (outsz >= CRY_WRAPPED_KEY_LEN + 1,
 * else CORE_ERR). Unwrap fails with CORE_CORRUPT like cry_aead_open. */
int cry_key_wrap(const unsigned char kek[32], const char *ad, const unsigned char key[32],
                 char *out_b64, size_t outsz);
int cry_key_unwrap(const unsigned char kek[32], const char *ad, const char *b64,
                   unsigned char key[32]);

/* Standard base64 with padding (see above). encode APPENDS to out.
 * decode accepts the text with or without '=' padding, nothing else
 * (no whitespace, no URL-safe alphabet); the bytes are allocated in the
 * arena with a NUL after them (not counted in *n). CORE_INVALID on bad text. */
size_t cry_base64_encoded_len(size_t n);                 /* without NUL */
int cry_base64_encode(const void *in, size_t n, struct core_buf *out);
int cry_base64_decode(const char *in, size_t inlen, struct core_arena *a, unsigned char **out,
                      size_t *n);

#endif
