/* test_crypto: unit tests for src/crypto against published vectors (FIPS
 * 180 SHA-1 examples, RFC 2202 HMAC-SHA1, RFC 4648 base32, RFC 6238 TOTP,
 * BLAKE2b) plus passwords, tokens, the audit-chain field encoding and the
 * server secret file. cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "crypto/crypto_sha1.h"

static void hexof(const unsigned char *d, size_t n, char *out)
{
    assert_int_equal(cry_hex_encode(d, n, out, 2 * n + 1), CORE_OK);
}

/* ---- SHA-1 and HMAC-SHA1 ---- */

static void test_sha1_vectors(void **state)
{
    (void)state;
    unsigned char d[CRY_SHA1_LEN];
    char hex[41];
    cry_sha1("", 0, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
    cry_sha1("abc", 3, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "a9993e364706816aba3e25717850c26c9cd0d89d");
    const char *two = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    cry_sha1(two, strlen(two), d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
    /* one million 'a', fed in uneven pieces */
    cry_sha1_ctx c;
    cry_sha1_init(&c);
    char chunk[1000];
    memset(chunk, 'a', sizeof chunk);
    size_t left = 1000000, step = 1;
    while (left) {
        size_t n = step < left ? step : left;
        if (n > sizeof chunk)
            n = sizeof chunk;
        cry_sha1_update(&c, chunk, n);
        left -= n;
        step = step * 3 + 1;
        if (step > 997)
            step = 7;
    }
    cry_sha1_final(&c, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

static void test_sha1_block_boundaries(void **state)
{
    (void)state;
    /* lengths around the 55/56/64-byte padding edges: incremental == one-shot */
    unsigned char msg[200];
    for (size_t i = 0; i < sizeof msg; i++)
        msg[i] = (unsigned char)(i * 7 + 1);
    size_t lens[] = {0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 200};
    for (size_t k = 0; k < sizeof lens / sizeof lens[0]; k++) {
        unsigned char a[CRY_SHA1_LEN], b[CRY_SHA1_LEN];
        cry_sha1(msg, lens[k], a);
        cry_sha1_ctx c;
        cry_sha1_init(&c);
        for (size_t i = 0; i < lens[k]; i++)
            cry_sha1_update(&c, msg + i, 1);
        cry_sha1_final(&c, b);
        assert_memory_equal(a, b, sizeof a);
    }
    /* 56 bytes of 'a' against an independently known digest */
    unsigned char d[CRY_SHA1_LEN];
    char hex[41];
    char s64[64];
    memset(s64, 'a', sizeof s64);
    cry_sha1(s64, 64, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "0098ba824b5c16427bd7a1122a5a442a25ec644d");
}

static void test_hmac_sha1_rfc2202(void **state)
{
    (void)state;
    unsigned char d[CRY_SHA1_LEN];
    char hex[41];
    unsigned char k1[20];
    memset(k1, 0x0b, sizeof k1);
    cry_hmac_sha1(k1, sizeof k1, "Hi There", 8, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "b617318655057264e28bc0b6fb378c8ef146be00");

    const char *m2 = "what do ya want for nothing?";
    cry_hmac_sha1("Jefe", 4, m2, strlen(m2), d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");

    unsigned char k3[20], m3[50];
    memset(k3, 0xaa, sizeof k3);
    memset(m3, 0xdd, sizeof m3);
    cry_hmac_sha1(k3, sizeof k3, m3, sizeof m3, d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "125d7342b9ac11cd91a39af48aa17b4f63f175d3");

    unsigned char k6[80];
    memset(k6, 0xaa, sizeof k6);
    const char *m6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    cry_hmac_sha1(k6, sizeof k6, m6, strlen(m6), d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "aa4ae5e15272d00e95705637ce8a3b55ed402112");

    const char *m7 = "Test Using Larger Than Block-Size Key and Larger Than One Block-Size Data";
    cry_hmac_sha1(k6, sizeof k6, m7, strlen(m7), d);
    hexof(d, sizeof d, hex);
    assert_string_equal(hex, "e8e99d0f45237d786d6bbaa7965c7808bbff1a91");
}

/* ---- TOTP ---- */

static const char *rfc_secret = "12345678901234567890";
static const int64_t rfc_times[] = {59, 1111111109, 1111111111, 1234567890, 2000000000};
static const char *rfc_codes8[] = {"94287082", "07081804", "14050471", "89005924", "69279037"};

static void test_totp_rfc6238_8_digits(void **state)
{
    (void)state;
    for (size_t i = 0; i < 5; i++) {
        char out[9];
        assert_int_equal(cry_totp_code_digits((const unsigned char *)rfc_secret, 20,
                                              rfc_times[i], 8, out, sizeof out), CORE_OK);
        assert_string_equal(out, rfc_codes8[i]);
    }
    char out[9];
    assert_int_equal(cry_totp_code_digits((const unsigned char *)rfc_secret, 20, 59, 5, out,
                                          sizeof out), CORE_INVALID);
    assert_int_equal(cry_totp_code_digits((const unsigned char *)rfc_secret, 20, 59, 8, out, 8),
                     CORE_INVALID);
    assert_int_equal(cry_totp_code_digits((const unsigned char *)rfc_secret, 20, -1, 6, out,
                                          sizeof out), CORE_INVALID);
}

static void test_totp_rfc6238_6_digits(void **state)
{
    (void)state;
    char b32[64];
    assert_int_equal(cry_base32_encode(rfc_secret, 20, b32, sizeof b32), CORE_OK);
    assert_string_equal(b32, "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
    for (size_t i = 0; i < 5; i++) {
        char out[7];
        assert_int_equal(cry_totp_code(b32, rfc_times[i], out), CORE_OK);
        assert_string_equal(out, rfc_codes8[i] + 2);
    }
    /* lower case secret gives the same code */
    char out[7];
    assert_int_equal(cry_totp_code("gezdgnbvgy3tqojqgezdgnbvgy3tqojq", 59, out), CORE_OK);
    assert_string_equal(out, "287082");
    /* steps: 0..29 share a code, 30 starts the next */
    char a[7], b[7];
    assert_int_equal(cry_totp_code(b32, 1111111110, a), CORE_OK);
    assert_int_equal(cry_totp_code(b32, 1111111139, b), CORE_OK);
    assert_string_equal(a, b);
    assert_int_equal(cry_totp_code(b32, 1111111140, b), CORE_OK);
    assert_string_not_equal(a, b);
    /* bad secrets */
    assert_int_equal(cry_totp_code(NULL, 59, out), CORE_INVALID);
    assert_int_equal(cry_totp_code("", 59, out), CORE_INVALID);
    assert_int_equal(cry_totp_code("not base32!", 59, out), CORE_INVALID);
    assert_int_equal(cry_totp_code("A", 59, out), CORE_INVALID);
}

static void test_totp_verify(void **state)
{
    (void)state;
    const char *b32 = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    int64_t now = 1234567890;           /* code 005924 */
    assert_int_equal(cry_totp_verify(b32, "005924", now), CORE_OK);
    char prev[7], next[7], far[7], farther[7];
    cry_totp_code(b32, now - 30, prev);
    cry_totp_code(b32, now + 30, next);
    cry_totp_code(b32, now - 60, far);
    cry_totp_code(b32, now + 60, farther);
    assert_int_equal(cry_totp_verify(b32, prev, now), CORE_OK);
    assert_int_equal(cry_totp_verify(b32, next, now), CORE_OK);
    if (strcmp(far, prev) && strcmp(far, next) && strcmp(far, "005924"))
        assert_int_equal(cry_totp_verify(b32, far, now), CORE_DENIED);
    if (strcmp(farther, prev) && strcmp(farther, next) && strcmp(farther, "005924"))
        assert_int_equal(cry_totp_verify(b32, farther, now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, "005925", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, "05924", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, "0059240", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, "00592a", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, " 05924", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, "", now), CORE_DENIED);
    assert_int_equal(cry_totp_verify(b32, NULL, now), CORE_DENIED);
    assert_int_equal(cry_totp_verify("bad!", "005924", now), CORE_INVALID);
    /* a clock before the first step cannot have a previous step */
    assert_int_equal(cry_totp_verify(b32, "287082", 10), CORE_INVALID);
    /* wrong secret, right format */
    assert_int_equal(cry_totp_verify("MZXW6YTBOI", "005924", now), CORE_DENIED);
}

static void test_totp_new_secret(void **state)
{
    (void)state;
    char a[CRY_TOTP_SECRET_LEN + 1], b[CRY_TOTP_SECRET_LEN + 1];
    assert_int_equal(cry_totp_new_secret(a), CORE_OK);
    assert_int_equal(cry_totp_new_secret(b), CORE_OK);
    assert_int_equal(strlen(a), CRY_TOTP_SECRET_LEN);
    assert_string_not_equal(a, b);
    unsigned char raw[40];
    size_t n = 0;
    assert_int_equal(cry_base32_decode(a, raw, sizeof raw, &n), CORE_OK);
    assert_int_equal(n, 20);
    char code[7];
    assert_int_equal(cry_totp_code(a, 1700000000, code), CORE_OK);
    assert_int_equal(cry_totp_verify(a, code, 1700000000), CORE_OK);
}

/* ---- base32 and hex ---- */

static void test_base32_rfc4648(void **state)
{
    (void)state;
    const char *plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    const char *enc[] = {"", "MY", "MZXQ", "MZXW6", "MZXW6YQ", "MZXW6YTB", "MZXW6YTBOI"};
    const char *padded[] = {"", "MY======", "MZXQ====", "MZXW6===", "MZXW6YQ=", "MZXW6YTB",
                            "MZXW6YTBOI======"};
    for (size_t i = 0; i < 7; i++) {
        char out[32];
        assert_int_equal(cry_base32_encode(plain[i], strlen(plain[i]), out, sizeof out), CORE_OK);
        assert_string_equal(out, enc[i]);
        unsigned char dec[32];
        size_t n = 99;
        assert_int_equal(cry_base32_decode(enc[i], dec, sizeof dec, &n), CORE_OK);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(dec, plain[i], n);
        n = 99;
        assert_int_equal(cry_base32_decode(padded[i], dec, sizeof dec, &n), CORE_OK);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(dec, plain[i], n);
    }
}

static void test_base32_errors_and_roundtrip(void **state)
{
    (void)state;
    unsigned char dec[64];
    size_t n;
    assert_int_equal(cry_base32_decode(NULL, dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_base32_decode("M", dec, sizeof dec, &n), CORE_INVALID);     /* len 1 */
    assert_int_equal(cry_base32_decode("MZX", dec, sizeof dec, &n), CORE_INVALID);   /* len 3 */
    assert_int_equal(cry_base32_decode("MZXW6Y", dec, sizeof dec, &n), CORE_INVALID);/* len 6 */
    assert_int_equal(cry_base32_decode("MZ", dec, sizeof dec, &n), CORE_INVALID);    /* bits */
    assert_int_equal(cry_base32_decode("MY1=", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_base32_decode("MY8", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_base32_decode("M Y", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_base32_decode("MY=A", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_base32_decode("mzxw6ytboi", dec, sizeof dec, &n), CORE_OK);
    assert_int_equal(n, 6);
    assert_memory_equal(dec, "foobar", 6);
    /* out too small */
    assert_int_equal(cry_base32_decode("MZXW6YTBOI", dec, 5, &n), CORE_ERR);
    assert_int_equal(cry_base32_decode("MZXW6YTBOI", dec, 6, NULL), CORE_OK);
    char out[16];
    assert_int_equal(cry_base32_encode("foobar", 6, out, 10), CORE_ERR);
    assert_int_equal(cry_base32_encode("foobar", 6, out, 11), CORE_OK);
    assert_int_equal(cry_base32_encode(NULL, 3, out, sizeof out), CORE_INVALID);
    /* every byte value, every length up to 40 */
    unsigned char src[40];
    for (size_t i = 0; i < sizeof src; i++)
        src[i] = (unsigned char)(255 - i * 13);
    for (size_t len = 0; len <= sizeof src; len++) {
        char e[80];
        assert_int_equal(cry_base32_encode(src, len, e, sizeof e), CORE_OK);
        assert_int_equal(strlen(e), (len * 8 + 4) / 5);
        n = 0;
        assert_int_equal(cry_base32_decode(e, dec, sizeof dec, &n), CORE_OK);
        assert_int_equal(n, len);
        assert_memory_equal(dec, src, len);
    }
}

static void test_hex(void **state)
{
    (void)state;
    char out[16];
    unsigned char in[] = {0x00, 0x01, 0xab, 0xff};
    assert_int_equal(cry_hex_encode(in, 4, out, sizeof out), CORE_OK);
    assert_string_equal(out, "0001abff");
    assert_int_equal(cry_hex_encode(in, 4, out, 8), CORE_ERR);
    assert_int_equal(cry_hex_encode(in, 4, out, 9), CORE_OK);
    assert_int_equal(cry_hex_encode(in, 0, out, 1), CORE_OK);
    assert_string_equal(out, "");
    unsigned char dec[8];
    size_t n = 0;
    assert_int_equal(cry_hex_decode("0001abff", dec, sizeof dec, &n), CORE_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(dec, in, 4);
    assert_int_equal(cry_hex_decode("0001ABFF", dec, sizeof dec, &n), CORE_OK);
    assert_memory_equal(dec, in, 4);
    assert_int_equal(cry_hex_decode("", dec, sizeof dec, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(cry_hex_decode("abc", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_hex_decode("zz", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_hex_decode("0x00", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_hex_decode(" 0", dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_hex_decode(NULL, dec, sizeof dec, &n), CORE_INVALID);
    assert_int_equal(cry_hex_decode("0001abff", dec, 3, &n), CORE_ERR);
}

/* ---- BLAKE2b and the audit-chain hasher ---- */

static void test_blake2b(void **state)
{
    (void)state;
    char h[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex("", 0, h);
    assert_string_equal(h, "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8");
    cry_hash_hex("abc", 3, h);
    assert_string_equal(h, "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319");
    assert_int_equal(strlen(h), CRY_HASH_HEX_LEN);

    unsigned char k1[CRY_SECRET_LEN] = {1}, k2[CRY_SECRET_LEN] = {2};
    char a[CRY_HASH_HEX_LEN + 1], b[CRY_HASH_HEX_LEN + 1], c[CRY_HASH_HEX_LEN + 1];
    cry_keyed_hash_hex(k1, "abc", 3, a);
    cry_keyed_hash_hex(k1, "abc", 3, b);
    cry_keyed_hash_hex(k2, "abc", 3, c);
    assert_string_equal(a, b);
    assert_string_not_equal(a, c);
    assert_string_not_equal(a, h);
}

static void test_hasher_incremental(void **state)
{
    (void)state;
    char one[CRY_HASH_HEX_LEN + 1], inc[CRY_HASH_HEX_LEN + 1];
    const char *msg = "the quick brown fox jumps over the lazy dog";
    cry_hash_hex(msg, strlen(msg), one);
    cry_hasher h;
    cry_hasher_init(&h);
    size_t len = strlen(msg);
    for (size_t i = 0; i < len; i += 5)
        cry_hasher_update(&h, msg + i, len - i < 5 ? len - i : 5);
    cry_hasher_final_hex(&h, inc);
    assert_string_equal(one, inc);
}

static void test_hasher_field_encoding(void **state)
{
    (void)state;
    /* a field is 8-byte little-endian length then the bytes */
    char f[CRY_HASH_HEX_LEN + 1], m[CRY_HASH_HEX_LEN + 1];
    cry_hasher h;
    cry_hasher_init(&h);
    cry_hasher_field(&h, "abc");
    cry_hasher_field(&h, "");
    cry_hasher_field(&h, NULL);
    cry_hasher_final_hex(&h, f);
    unsigned char manual[8 + 3 + 8 + 8] = {3, 0, 0, 0, 0, 0, 0, 0, 'a', 'b', 'c',
                                           0, 0, 0, 0, 0, 0, 0, 0,
                                           0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    cry_hash_hex(manual, sizeof manual, m);
    assert_string_equal(f, m);

    /* boundaries are unambiguous */
    char x[CRY_HASH_HEX_LEN + 1], y[CRY_HASH_HEX_LEN + 1];
    cry_hasher_init(&h);
    cry_hasher_field(&h, "ab");
    cry_hasher_field(&h, "c");
    cry_hasher_final_hex(&h, x);
    cry_hasher_init(&h);
    cry_hasher_field(&h, "a");
    cry_hasher_field(&h, "bc");
    cry_hasher_final_hex(&h, y);
    assert_string_not_equal(x, y);
    /* NULL differs from "" */
    cry_hasher_init(&h);
    cry_hasher_field(&h, NULL);
    cry_hasher_final_hex(&h, x);
    cry_hasher_init(&h);
    cry_hasher_field(&h, "");
    cry_hasher_final_hex(&h, y);
    assert_string_not_equal(x, y);
    /* deterministic */
    cry_hasher_init(&h);
    cry_hasher_field(&h, "");
    cry_hasher_final_hex(&h, x);
    assert_string_equal(x, y);
    /* a 300-byte field: length 300 = 0x2c 0x01 little-endian */
    char big[301];
    memset(big, 'z', 300);
    big[300] = '\0';
    cry_hasher_init(&h);
    cry_hasher_field(&h, big);
    cry_hasher_final_hex(&h, x);
    unsigned char pre[308] = {0x2c, 0x01, 0, 0, 0, 0, 0, 0};
    memset(pre + 8, 'z', 300);
    cry_hash_hex(pre, sizeof pre, y);
    assert_string_equal(x, y);
}

/* ---- tokens, randomness, memeq ---- */

static void test_tokens(void **state)
{
    (void)state;
    char a[CRY_TOKEN_LEN + 1], b[CRY_TOKEN_LEN + 1];
    assert_int_equal(cry_random_token(a), CORE_OK);
    assert_int_equal(cry_random_token(b), CORE_OK);
    assert_int_equal(strlen(a), CRY_TOKEN_LEN);
    assert_string_not_equal(a, b);
    for (size_t i = 0; i < CRY_TOKEN_LEN; i++) {
        char c = a[i];
        int ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                 c == '-' || c == '_';
        assert_true(ok);
    }
    unsigned char r1[32] = {0}, r2[32] = {0}, zero[32] = {0};
    cry_random_bytes(r1, sizeof r1);
    cry_random_bytes(r2, sizeof r2);
    assert_false(cry_memeq(r1, r2, sizeof r1));
    assert_false(cry_memeq(r1, zero, sizeof r1));
    cry_random_bytes(r1, 0);
}

static void test_memeq(void **state)
{
    (void)state;
    assert_true(cry_memeq("abc", "abc", 3));
    assert_false(cry_memeq("abc", "abd", 3));
    assert_false(cry_memeq("xbc", "abc", 3));
    assert_true(cry_memeq("abc", "abd", 2));
    assert_true(cry_memeq("a", "b", 0));
}

/* ---- passwords ---- */

static void test_pwhash_cost_levels(void **state)
{
    (void)state;
    assert_int_equal(cry_set_pwhash_cost("interactive"), CORE_OK);
    assert_int_equal(cry_set_pwhash_cost("moderate"), CORE_OK);
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    assert_int_equal(cry_set_pwhash_cost("maximum"), CORE_INVALID);
    assert_int_equal(cry_set_pwhash_cost(""), CORE_INVALID);
    assert_int_equal(cry_set_pwhash_cost("MIN"), CORE_INVALID);
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
}

static void test_password_hash_verify(void **state)
{
    (void)state;
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    char h1[CRY_PWHASH_MAX], h2[CRY_PWHASH_MAX];
    assert_int_equal(cry_password_hash("correct horse battery staple", h1), CORE_OK);
    assert_int_equal(cry_password_hash("correct horse battery staple", h2), CORE_OK);
    assert_true(strncmp(h1, "$argon2id$", 10) == 0);
    assert_string_not_equal(h1, h2);   /* fresh salt each time */
    assert_true(strlen(h1) < CRY_PWHASH_MAX);
    assert_int_equal(cry_password_verify(h1, "correct horse battery staple"), CORE_OK);
    assert_int_equal(cry_password_verify(h2, "correct horse battery staple"), CORE_OK);
    assert_int_equal(cry_password_verify(h1, "correct horse battery stapl"), CORE_DENIED);
    assert_int_equal(cry_password_verify(h1, "Correct horse battery staple"), CORE_DENIED);
    assert_int_equal(cry_password_verify(h1, ""), CORE_DENIED);
    assert_int_equal(cry_password_verify(h1, NULL), CORE_DENIED);
    assert_int_equal(cry_password_verify(NULL, "x"), CORE_DENIED);
    assert_int_equal(cry_password_verify("", "x"), CORE_DENIED);
    assert_int_equal(cry_password_verify("$argon2id$garbage", "x"), CORE_DENIED);
    assert_int_equal(cry_password_verify("plaintext", "plaintext"), CORE_DENIED);
    /* tampered hash */
    char t[CRY_PWHASH_MAX];
    memcpy(t, h1, sizeof t);
    size_t len = strlen(t);
    t[len - 2] = t[len - 2] == 'A' ? 'B' : 'A';
    assert_int_equal(cry_password_verify(t, "correct horse battery staple"), CORE_DENIED);
    /* UTF-8 and empty passwords hash fine (policy is the caller's) */
    assert_int_equal(cry_password_hash("p\xc3\xa4ssw\xc3\xb6rd", h1), CORE_OK);
    assert_int_equal(cry_password_verify(h1, "p\xc3\xa4ssw\xc3\xb6rd"), CORE_OK);
    assert_int_equal(cry_password_verify(h1, "passwort"), CORE_DENIED);
    assert_int_equal(cry_password_hash("", h1), CORE_OK);
    assert_int_equal(cry_password_verify(h1, ""), CORE_OK);
    assert_int_equal(cry_password_hash(NULL, h1), CORE_INVALID);
    /* absurdly long passwords are refused, not hashed */
    char *huge = malloc(100000);
    assert_non_null(huge);
    memset(huge, 'p', 99999);
    huge[99999] = '\0';
    assert_int_equal(cry_password_hash(huge, h1), CORE_INVALID);
    assert_int_equal(cry_password_verify(h2, huge), CORE_DENIED);
    free(huge);
}

static void test_password_needs_rehash(void **state)
{
    (void)state;
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    char h[CRY_PWHASH_MAX];
    assert_int_equal(cry_password_hash("pw", h), CORE_OK);
    assert_int_equal(cry_password_needs_rehash(h), 0);
    assert_int_equal(cry_set_pwhash_cost("interactive"), CORE_OK);
    assert_int_equal(cry_password_needs_rehash(h), 1);
    /* verification does not depend on the configured cost */
    assert_int_equal(cry_password_verify(h, "pw"), CORE_OK);
    assert_int_equal(cry_password_needs_rehash("garbage"), 1);
    assert_int_equal(cry_password_needs_rehash(NULL), 1);
    assert_int_equal(cry_set_pwhash_cost("min"), CORE_OK);
    assert_int_equal(cry_password_needs_rehash(h), 0);
}

/* ---- server secret file ---- */

static char tmpdir[64];

static int setup_tmpdir(void **state)
{
    (void)state;
    snprintf(tmpdir, sizeof tmpdir, "/tmp/hrdd-crypto-test-XXXXXX");
    return mkdtemp(tmpdir) ? 0 : -1;
}

static int teardown_tmpdir(void **state)
{
    (void)state;
    const char *names[] = {"secret", "short", "long", "loose", "link", "dir", "other"};
    char p[128];
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        snprintf(p, sizeof p, "%s/%s", tmpdir, names[i]);
        if (unlink(p) != 0)
            rmdir(p);
    }
    return rmdir(tmpdir);
}

static void write_file(const char *path, const void *data, size_t n, mode_t mode)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, n), (ssize_t)n);
    assert_int_equal(fchmod(fd, mode), 0);
    close(fd);
}

static void test_secret_create_and_load(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof path, "%s/secret", tmpdir);
    unsigned char a[CRY_SECRET_LEN], b[CRY_SECRET_LEN], zero[CRY_SECRET_LEN] = {0};
    assert_int_equal(cry_secret_load(path, 0, a), CORE_NOTFOUND);
    assert_int_equal(access(path, F_OK), -1);
    mode_t old = umask(0);   /* creation must not depend on the umask */
    assert_int_equal(cry_secret_load(path, 1, a), CORE_OK);
    umask(old);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 07777, 0600);
    assert_int_equal(sb.st_size, CRY_SECRET_LEN);
    assert_false(cry_memeq(a, zero, sizeof a));
    /* loading again (with or without create) gives the same bytes */
    assert_int_equal(cry_secret_load(path, 0, b), CORE_OK);
    assert_memory_equal(a, b, sizeof a);
    assert_int_equal(cry_secret_load(path, 1, b), CORE_OK);
    assert_memory_equal(a, b, sizeof a);
    /* a second secret in another file differs */
    snprintf(path, sizeof path, "%s/other", tmpdir);
    assert_int_equal(cry_secret_load(path, 1, b), CORE_OK);
    assert_false(cry_memeq(a, b, sizeof a));
    assert_int_equal(cry_secret_load(NULL, 1, b), CORE_INVALID);
    assert_int_equal(cry_secret_load("", 1, b), CORE_INVALID);
}

static void test_secret_refusals(void **state)
{
    (void)state;
    char path[128];
    unsigned char key[CRY_SECRET_LEN];
    unsigned char data[64];
    memset(data, 7, sizeof data);

    snprintf(path, sizeof path, "%s/short", tmpdir);
    write_file(path, data, 31, 0600);
    assert_int_equal(cry_secret_load(path, 1, key), CORE_INVALID);
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_size, 31);   /* never overwritten */

    snprintf(path, sizeof path, "%s/long", tmpdir);
    write_file(path, data, 33, 0600);
    assert_int_equal(cry_secret_load(path, 1, key), CORE_INVALID);

    snprintf(path, sizeof path, "%s/loose", tmpdir);
    write_file(path, data, 32, 0640);
    assert_int_equal(cry_secret_load(path, 0, key), CORE_DENIED);
    chmod(path, 0604);
    assert_int_equal(cry_secret_load(path, 0, key), CORE_DENIED);
    chmod(path, 0602);
    assert_int_equal(cry_secret_load(path, 0, key), CORE_DENIED);
    chmod(path, 0400);
    assert_int_equal(cry_secret_load(path, 0, key), CORE_OK);
    assert_memory_equal(key, data, 32);

    char link[128];
    snprintf(link, sizeof link, "%s/link", tmpdir);
    assert_int_equal(symlink(path, link), 0);
    assert_int_not_equal(cry_secret_load(link, 0, key), CORE_OK);
    assert_int_not_equal(cry_secret_load(link, 1, key), CORE_OK);

    snprintf(path, sizeof path, "%s/dir", tmpdir);
    assert_int_equal(mkdir(path, 0700), 0);
    assert_int_not_equal(cry_secret_load(path, 1, key), CORE_OK);

    snprintf(path, sizeof path, "%s/missing-dir/secret", tmpdir);
    assert_int_equal(cry_secret_load(path, 1, key), CORE_ERR);
}

int main(void)
{
    if (cry_init() != CORE_OK || cry_init() != CORE_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sha1_vectors),
        cmocka_unit_test(test_sha1_block_boundaries),
        cmocka_unit_test(test_hmac_sha1_rfc2202),
        cmocka_unit_test(test_totp_rfc6238_8_digits),
        cmocka_unit_test(test_totp_rfc6238_6_digits),
        cmocka_unit_test(test_totp_verify),
        cmocka_unit_test(test_totp_new_secret),
        cmocka_unit_test(test_base32_rfc4648),
        cmocka_unit_test(test_base32_errors_and_roundtrip),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_blake2b),
        cmocka_unit_test(test_hasher_incremental),
        cmocka_unit_test(test_hasher_field_encoding),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_memeq),
        cmocka_unit_test(test_pwhash_cost_levels),
        cmocka_unit_test(test_password_hash_verify),
        cmocka_unit_test(test_password_needs_rehash),
        cmocka_unit_test_setup_teardown(test_secret_create_and_load, setup_tmpdir,
                                        teardown_tmpdir),
        cmocka_unit_test_setup_teardown(test_secret_refusals, setup_tmpdir, teardown_tmpdir),
    };
    return cmocka_run_group_tests_name("crypto", tests, NULL, NULL);
}
