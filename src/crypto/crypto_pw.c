/* crypto_pw: library start-up, randomness, tokens and password hashing.
 *
 * Passwords are hashed with argon2id through crypto_pwhash_str_alg, which
 * embeds salt and cost in the stored string, so verification needs nothing
 * else and cry_password_needs_rehash can tell when the configured cost has
 * changed. The cost is process-wide and is set once at start-up.
 */
#include "crypto/crypto.h"

#include "core/core.h"

#include <sodium.h>
#include <string.h>

/* Longest password we accept: argon2 takes any length, but hashing a huge
 * body is wasted work an attacker could ask for. */
#define CRY_PASSWORD_MAX 4096

static unsigned long long pw_opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
static size_t pw_memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;

_Static_assert(CRY_PWHASH_MAX >= crypto_pwhash_STRBYTES, "CRY_PWHASH_MAX too small");
_Static_assert(CRY_TOKEN_LEN + 1 ==
                   sodium_base64_ENCODED_LEN(32, sodium_base64_VARIANT_URLSAFE_NO_PADDING),
               "CRY_TOKEN_LEN does not match 32 bytes of base64url");

int cry_init(void)
{
    return sodium_init() < 0 ? CORE_ERR : CORE_OK;
}

void cry_random_bytes(void *buf, size_t n)
{
    randombytes_buf(buf, n);
}

int cry_random_token(char out[CRY_TOKEN_LEN + 1])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    sodium_bin2base64(out, CRY_TOKEN_LEN + 1, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    return CORE_OK;
}

int cry_set_pwhash_cost(const char *level)
{
    if (!level || strcmp(level, "interactive") == 0) {
        pw_opslimit = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE;
        pw_memlimit = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE;
    } else if (strcmp(level, "moderate") == 0) {
        pw_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MODERATE;
        pw_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MODERATE;
    } else if (strcmp(level, "min") == 0) {
        pw_opslimit = crypto_pwhash_argon2id_OPSLIMIT_MIN;
        pw_memlimit = crypto_pwhash_argon2id_MEMLIMIT_MIN;
    } else {
        return CORE_INVALID;
    }
    return CORE_OK;
}

int cry_password_hash(const char *password, char out[CRY_PWHASH_MAX])
{
    if (!password)
        return CORE_INVALID;
    size_t n = strnlen(password, CRY_PASSWORD_MAX + 1);
    if (n > CRY_PASSWORD_MAX)
        return CORE_INVALID;
    memset(out, 0, CRY_PWHASH_MAX);
    if (crypto_pwhash_str_alg(out, password, n, pw_opslimit, pw_memlimit,
                              crypto_pwhash_ALG_ARGON2ID13) != 0)
        return CORE_NOMEM;   /* the only documented failure is memory */
    return CORE_OK;
}

int cry_password_verify(const char *stored_hash, const char *password)
{
    if (!stored_hash || !password)
        return CORE_DENIED;
    size_t n = strnlen(password, CRY_PASSWORD_MAX + 1);
    if (n > CRY_PASSWORD_MAX)
        return CORE_DENIED;
    if (strnlen(stored_hash, CRY_PWHASH_MAX) >= CRY_PWHASH_MAX)
        return CORE_DENIED;
    /* only argon2id hashes are ours; refuse anything else outright */
    if (strncmp(stored_hash, crypto_pwhash_argon2id_STRPREFIX,
                strlen(crypto_pwhash_argon2id_STRPREFIX)) != 0)
        return CORE_DENIED;
    return crypto_pwhash_str_verify(stored_hash, password, n) == 0 ? CORE_OK : CORE_DENIED;
}

int cry_password_needs_rehash(const char *stored_hash)
{
    if (!stored_hash || strnlen(stored_hash, CRY_PWHASH_MAX) >= CRY_PWHASH_MAX)
        return 1;
    return crypto_pwhash_argon2id_str_needs_rehash(stored_hash, pw_opslimit, pw_memlimit) != 0;
}

int cry_memeq(const void *a, const void *b, size_t n)
{
    if (n == 0)
        return 1;
    return sodium_memcmp(a, b, n) == 0;
}
