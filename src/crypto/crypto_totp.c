/* crypto_totp: time-based one-time passwords (RFC 6238 over RFC 4226 HOTP).
 *
 * Counter = floor(unix_time / 30) as 8 bytes big-endian, HMAC-SHA1 with the
 * decoded base32 secret, dynamic truncation, modulo 10^digits, zero-padded.
 * Verification accepts the current step and one step either side, checks
 * all three without early exit and compares in constant time. Refusing a
 * code that was already used is the caller's job (it knows the last step).
 */
#include "crypto/crypto.h"
#include "crypto/crypto_sha1.h"

#include "core/core.h"

#include <sodium.h>
#include <string.h>

#define TOTP_STEP 30
#define TOTP_DIGITS 6
#define TOTP_KEY_MAX 64

int cry_totp_code_digits(const unsigned char *key, size_t keylen, int64_t unix_time,
                         int digits, char *out, size_t outsz)
{
    static const uint32_t mod[] = {1000000u, 10000000u, 100000000u};
    if (digits < 6 || digits > 8 || !out || outsz < (size_t)digits + 1 || unix_time < 0)
        return CORE_INVALID;
    uint64_t counter = (uint64_t)unix_time / TOTP_STEP;
    unsigned char msg[8], mac[CRY_SHA1_LEN];
    for (int i = 0; i < 8; i++)
        msg[i] = (unsigned char)(counter >> (56 - 8 * i));
    cry_hmac_sha1(key, keylen, msg, sizeof msg, mac);
    unsigned off = mac[CRY_SHA1_LEN - 1] & 0x0f;
    uint32_t bin = ((uint32_t)(mac[off] & 0x7f) << 24) | ((uint32_t)mac[off + 1] << 16) |
                   ((uint32_t)mac[off + 2] << 8) | (uint32_t)mac[off + 3];
    uint32_t v = bin % mod[digits - 6];
    for (int i = digits - 1; i >= 0; i--) {
        out[i] = (char)('0' + v % 10);
        v /= 10;
    }
    out[digits] = '\0';
    sodium_memzero(mac, sizeof mac);
    return CORE_OK;
}

static int decode_secret(const char *secret_b32, unsigned char key[TOTP_KEY_MAX], size_t *keylen)
{
    if (!secret_b32 || !*secret_b32)
        return CORE_INVALID;
    if (cry_base32_decode(secret_b32, key, TOTP_KEY_MAX, keylen) != CORE_OK || *keylen == 0)
        return CORE_INVALID;
    return CORE_OK;
}

int cry_totp_new_secret(char out[CRY_TOTP_SECRET_LEN + 1])
{
    unsigned char raw[20];
    randombytes_buf(raw, sizeof raw);
    int rc = cry_base32_encode(raw, sizeof raw, out, CRY_TOTP_SECRET_LEN + 1);
    sodium_memzero(raw, sizeof raw);
    return rc;
}

int cry_totp_code(const char *secret_b32, int64_t unix_time, char out[7])
{
    unsigned char key[TOTP_KEY_MAX];
    size_t keylen = 0;
    int rc = decode_secret(secret_b32, key, &keylen);
    if (rc == CORE_OK)
        rc = cry_totp_code_digits(key, keylen, unix_time, TOTP_DIGITS, out, 7);
    sodium_memzero(key, sizeof key);
    return rc;
}

int cry_totp_verify(const char *secret_b32, const char *code, int64_t now)
{
    if (!code || strlen(code) != TOTP_DIGITS)
        return CORE_DENIED;
    for (int i = 0; i < TOTP_DIGITS; i++)
        if (code[i] < '0' || code[i] > '9')
            return CORE_DENIED;
    if (now < TOTP_STEP)
        return CORE_INVALID;
    unsigned char key[TOTP_KEY_MAX];
    size_t keylen = 0;
    int rc = decode_secret(secret_b32, key, &keylen);
    if (rc != CORE_OK)
        return rc;
    int match = 0;
    for (int d = -1; d <= 1; d++) {
        char want[TOTP_DIGITS + 1];
        if (cry_totp_code_digits(key, keylen, now + d * TOTP_STEP, TOTP_DIGITS, want,
                                 sizeof want) != CORE_OK) {
            sodium_memzero(key, sizeof key);
            return CORE_ERR;
        }
        match |= sodium_memcmp(want, code, TOTP_DIGITS) == 0;
        sodium_memzero(want, sizeof want);
    }
    sodium_memzero(key, sizeof key);
    return match ? CORE_OK : CORE_DENIED;
}
