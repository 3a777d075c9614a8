/* test_crypto_aead: envelope encryption of src/crypto/crypto_aead.c: KDF
 * subkeys (deterministic, distinct per id and context), seal/open round
 * trips (empty, text, 1 MiB binary), every way opening must fail with
 * CORE_CORRUPT (wrong key, wrong or missing associated data, each byte
 * altered, truncation, bad base64), key wrapping, and the base64 codec
 * (RFC 4648 test vectors, padding optional on input, refusals).
 * cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "crypto/crypto.h"

static const unsigned char root[CRY_SECRET_LEN] = {
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};

static int setup(void **state)
{
    (void)state;
    return cry_init() == CORE_OK ? 0 : -1;
}

static void test_kdf_subkeys(void **state)
{
    (void)state;
    unsigned char a[32], b[32], c[32], d[32], e[32];
    assert_int_equal(cry_kdf_subkey(root, 1, "hrddkek1", a), CORE_OK);
    assert_int_equal(cry_kdf_subkey(root, 1, "hrddkek1", b), CORE_OK);
    assert_memory_equal(a, b, 32);
    assert_int_equal(cry_kdf_subkey(root, 2, "hrddkek1", c), CORE_OK);
    assert_memory_not_equal(a, c, 32);
    assert_int_equal(cry_kdf_subkey(root, 1, "hrddrcpt", d), CORE_OK);
    assert_memory_not_equal(a, d, 32);
    unsigned char other[CRY_SECRET_LEN];
    memcpy(other, root, sizeof other);
    other[0] ^= 1;
    assert_int_equal(cry_kdf_subkey(other, 1, "hrddkek1", e), CORE_OK);
    assert_memory_not_equal(a, e, 32);
    assert_memory_not_equal(a, root, 32);
    assert_int_equal(cry_kdf_subkey(NULL, 1, "hrddkek1", e), CORE_INVALID);
    assert_int_equal(cry_kdf_subkey(root, 1, NULL, e), CORE_INVALID);
}

static void test_seal_open_roundtrip(void **state)
{
    (void)state;
    unsigned char key[CRY_KEY_LEN];
    cry_key_new(key);
    const char *msg = "Mon compte a été suspendu sans explication.\nالحساب";
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(cry_aead_seal(key, "case:7:narrative", msg, strlen(msg), &b), CORE_OK);
    const char *ct = core_buf_cstr(&b);
    /* nonce + ciphertext + tag, standard base64 */
    assert_int_equal(strlen(ct), cry_base64_encoded_len(24 + strlen(msg) + 16));
    assert_null(strstr(ct, "compte"));
    for (const char *p = ct; *p; p++)
        assert_non_null(strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=", *p));

    core_arena a;
    core_arena_init(&a);
    char *pt = NULL;
    size_t n = 0;
    assert_int_equal(cry_aead_open(key, "case:7:narrative", ct, &a, &pt, &n), CORE_OK);
    assert_int_equal(n, strlen(msg));
    assert_string_equal(pt, msg);

    /* two seals of the same text differ (random nonce) */
    core_buf b2;
    core_buf_init(&b2);
    assert_int_equal(cry_aead_seal(key, "case:7:narrative", msg, strlen(msg), &b2), CORE_OK);
    assert_string_not_equal(core_buf_cstr(&b2), ct);

    /* the arena variant opens the same way; NULL ad is "no ad" */
    char *ct2 = NULL;
    assert_int_equal(cry_aead_seal_arena(key, NULL, "x", 1, &a, &ct2), CORE_OK);
    assert_int_equal(cry_aead_open(key, NULL, ct2, &a, &pt, NULL), CORE_OK);
    assert_string_equal(pt, "x");
    /* NULL ad and "" ad are the same associated data (zero bytes) */
    assert_int_equal(cry_aead_open(key, "", ct2, &a, &pt, NULL), CORE_OK);

    core_buf_cleanup(&b);
    core_buf_cleanup(&b2);
    core_arena_cleanup(&a);
}

static void test_seal_appends(void **state)
{
    (void)state;
    unsigned char key[CRY_KEY_LEN];
    cry_key_new(key);
    core_buf b;
    core_buf_init(&b);
    core_buf_puts(&b, "prefix:");
    assert_int_equal(cry_aead_seal(key, "ad", "hi", 2, &b), CORE_OK);
    assert_memory_equal(core_buf_cstr(&b), "prefix:", 7);
    core_arena a;
    core_arena_init(&a);
    char *pt;
    assert_int_equal(cry_aead_open(key, "ad", core_buf_cstr(&b) + 7, &a, &pt, NULL), CORE_OK);
    assert_string_equal(pt, "hi");
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_empty_plaintext(void **state)
{
    (void)state;
    unsigned char key[CRY_KEY_LEN];
    cry_key_new(key);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(cry_aead_seal(key, "case:1:notes", NULL, 0, &b), CORE_OK);
    assert_int_equal(strlen(core_buf_cstr(&b)), cry_base64_encoded_len(40));
    core_arena a;
    core_arena_init(&a);
    char *pt = NULL;
    size_t n = 99;
    assert_int_equal(cry_aead_open(key, "case:1:notes", core_buf_cstr(&b), &a, &pt, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_string_equal(pt, "");
    assert_int_equal(cry_aead_open(key, "case:2:notes", core_buf_cstr(&b), &a, &pt, &n),
                     CORE_CORRUPT);
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_large_plaintext(void **state)
{
    (void)state;
    unsigned char key[CRY_KEY_LEN];
    cry_key_new(key);
    size_t n = (1u << 20) + 3;          /* 1 MiB and a bit, binary with NULs */
    unsigned char *data = malloc(n);
    assert_non_null(data);
    cry_random_bytes(data, n);
    data[10] = 0;
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(cry_aead_seal(key, "case:9:attachment:1", data, n, &b), CORE_OK);
    core_arena a;
    core_arena_init(&a);
    char *pt = NULL;
    size_t got = 0;
    assert_int_equal(cry_aead_open(key, "case:9:attachment:1", core_buf_cstr(&b), &a, &pt, &got),
                     CORE_OK);
    assert_int_equal(got, n);
    assert_memory_equal(pt, data, n);
    assert_int_equal(pt[n], 0);
    free(data);
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_open_failures(void **state)
{
    (void)state;
    unsigned char key[CRY_KEY_LEN], other[CRY_KEY_LEN];
    cry_key_new(key);
    cry_key_new(other);
    const char *msg = "the handler must never see this in the database";
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(cry_aead_seal(key, "case:3:narrative", msg, strlen(msg), &b), CORE_OK);
    const char *ct = core_buf_cstr(&b);
    core_arena a;
    core_arena_init(&a);
    char *pt = (char *)"unchanged";

    assert_int_equal(cry_aead_open(other, "case:3:narrative", ct, &a, &pt, NULL), CORE_CORRUPT);
    assert_null(pt);
    assert_int_equal(cry_aead_open(key, "case:4:narrative", ct, &a, &pt, NULL), CORE_CORRUPT);
    assert_int_equal(cry_aead_open(key, "case:3:contact_email", ct, &a, &pt, NULL), CORE_CORRUPT);
    assert_int_equal(cry_aead_open(key, NULL, ct, &a, &pt, NULL), CORE_CORRUPT);

    /* every byte of the decoded nonce||ciphertext||tag, flipped one at a time */
    unsigned char *raw = NULL;
    size_t rawlen = 0;
    assert_int_equal(cry_base64_decode(ct, strlen(ct), &a, &raw, &rawlen), CORE_OK);
    assert_int_equal(rawlen, 24 + strlen(msg) + 16);
    for (size_t i = 0; i < rawlen; i++) {
        raw[i] ^= 0x01;
        core_buf t;
        core_buf_init(&t);
        assert_int_equal(cry_base64_encode(raw, rawlen, &t), CORE_OK);
        assert_int_equal(cry_aead_open(key, "case:3:narrative", core_buf_cstr(&t), &a, &pt, NULL),
                         CORE_CORRUPT);
        core_buf_cleanup(&t);
        raw[i] ^= 0x01;
    }
    /* truncated (whole bytes), too short for nonce + tag, empty, not base64 */
    core_buf t;
    core_buf_init(&t);
    assert_int_equal(cry_base64_encode(raw, rawlen - 1, &t), CORE_OK);
    assert_int_equal(cry_aead_open(key, "case:3:narrative", core_buf_cstr(&t), &a, &pt, NULL),
                     CORE_CORRUPT);
    core_buf_reset(&t);
    assert_int_equal(cry_base64_encode(raw, 39, &t), CORE_OK);
    assert_int_equal(cry_aead_open(key, "case:3:narrative", core_buf_cstr(&t), &a, &pt, NULL),
                     CORE_CORRUPT);
    core_buf_cleanup(&t);
    assert_int_equal(cry_aead_open(key, "case:3:narrative", "", &a, &pt, NULL), CORE_CORRUPT);
    assert_int_equal(cry_aead_open(key, "case:3:narrative", "@@@@", &a, &pt, NULL), CORE_CORRUPT);
    char *mangled = core_arena_strdup(&a, ct);
    mangled[5] = '*';
    assert_int_equal(cry_aead_open(key, "case:3:narrative", mangled, &a, &pt, NULL), CORE_CORRUPT);
    /* and the right call still works */
    assert_int_equal(cry_aead_open(key, "case:3:narrative", ct, &a, &pt, NULL), CORE_OK);
    assert_string_equal(pt, msg);
    assert_int_equal(cry_aead_open(NULL, "x", ct, &a, &pt, NULL), CORE_INVALID);
    assert_int_equal(cry_aead_seal(key, "x", "a", 1, NULL), CORE_INVALID);
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_key_wrap(void **state)
{
    (void)state;
    unsigned char kek[32], dk[32], got[32];
    assert_int_equal(cry_kdf_subkey(root, 1, "hrddkek1", kek), CORE_OK);
    cry_key_new(dk);
    char w[CRY_WRAPPED_KEY_LEN + 1];
    assert_int_equal(cry_key_wrap(kek, "org:1:v1:case:5", dk, w, sizeof w), CORE_OK);
    assert_int_equal(strlen(w), CRY_WRAPPED_KEY_LEN);
    assert_int_equal(cry_key_unwrap(kek, "org:1:v1:case:5", w, got), CORE_OK);
    assert_memory_equal(got, dk, 32);
    /* wrong ad, wrong kek, altered text, short buffer */
    memset(got, 0, sizeof got);
    assert_int_equal(cry_key_unwrap(kek, "org:1:v1:case:6", w, got), CORE_CORRUPT);
    unsigned char kek2[32];
    assert_int_equal(cry_kdf_subkey(root, 2, "hrddkek1", kek2), CORE_OK);
    assert_int_equal(cry_key_unwrap(kek2, "org:1:v1:case:5", w, got), CORE_CORRUPT);
    char w2[CRY_WRAPPED_KEY_LEN + 1];
    memcpy(w2, w, sizeof w2);
    w2[40] = w2[40] == 'A' ? 'B' : 'A';
    assert_int_equal(cry_key_unwrap(kek, "org:1:v1:case:5", w2, got), CORE_CORRUPT);
    assert_int_equal(cry_key_unwrap(kek, "org:1:v1:case:5", "short", got), CORE_CORRUPT);
    unsigned char zero[32] = {0};
    assert_memory_equal(got, zero, 32);      /* failures leave the key untouched */
    char small[CRY_WRAPPED_KEY_LEN];
    assert_int_equal(cry_key_wrap(kek, "x", dk, small, sizeof small), CORE_ERR);
    /* rewrapping under a new KEK version (rotation) */
    char w3[CRY_WRAPPED_KEY_LEN + 1];
    assert_int_equal(cry_key_unwrap(kek, "org:1:v1:case:5", w, got), CORE_OK);
    assert_int_equal(cry_key_wrap(kek2, "org:1:v2:case:5", got, w3, sizeof w3), CORE_OK);
    assert_int_equal(cry_key_unwrap(kek2, "org:1:v2:case:5", w3, got), CORE_OK);
    assert_memory_equal(got, dk, 32);
}

static void test_base64(void **state)
{
    (void)state;
    /* RFC 4648 section 10 */
    static const char *const vec[][2] = {
        {"", ""},         {"f", "Zg=="},         {"fo", "Zm8="},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg=="}, {"fooba", "Zm9vYmE="}, {"foobar", "Zm9vYmFy"},
    };
    core_arena a;
    core_arena_init(&a);
    for (size_t i = 0; i < sizeof vec / sizeof *vec; i++) {
        core_buf b;
        core_buf_init(&b);
        assert_int_equal(cry_base64_encode(vec[i][0], strlen(vec[i][0]), &b), CORE_OK);
        assert_string_equal(core_buf_cstr(&b), vec[i][1]);
        assert_int_equal(cry_base64_encoded_len(strlen(vec[i][0])), strlen(vec[i][1]));
        core_buf_cleanup(&b);
        unsigned char *out = NULL;
        size_t n = 99;
        assert_int_equal(cry_base64_decode(vec[i][1], strlen(vec[i][1]), &a, &out, &n), CORE_OK);
        assert_int_equal(n, strlen(vec[i][0]));
        assert_string_equal((char *)out, vec[i][0]);
    }
    unsigned char *out = NULL;
    size_t n = 0;
    /* padding optional */
    assert_int_equal(cry_base64_decode("Zg", 2, &a, &out, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(cry_base64_decode("Zm9vYmE", 7, &a, &out, &n), CORE_OK);
    assert_int_equal(n, 5);
    /* binary with + and / */
    const unsigned char bin[] = {0xfb, 0xff, 0xbf, 0x00};
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(cry_base64_encode(bin, sizeof bin, &b), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "+/+/AA==");
    core_buf_cleanup(&b);
    assert_int_equal(cry_base64_decode("+/+/AA==", 8, &a, &out, &n), CORE_OK);
    assert_int_equal(n, 4);
    assert_memory_equal(out, bin, 4);
    /* refusals: URL-safe alphabet, whitespace, bad padding, impossible length, NUL */
    assert_int_equal(cry_base64_decode("-_-_AA==", 8, &a, &out, &n), CORE_INVALID);
    assert_int_equal(cry_base64_decode("Zm9v Yg==", 9, &a, &out, &n), CORE_INVALID);
    assert_int_equal(cry_base64_decode("Zg=", 3, &a, &out, &n), CORE_INVALID);
    assert_int_equal(cry_base64_decode("Z", 1, &a, &out, &n), CORE_INVALID);
    assert_int_equal(cry_base64_decode("Zm9v\0Yg==", 9, &a, &out, &n), CORE_INVALID);
    assert_int_equal(cry_base64_decode("Zg==Zg==", 8, &a, &out, &n), CORE_INVALID);
    assert_null(out);
    /* the length given is honoured (not the NUL) */
    assert_int_equal(cry_base64_decode("Zm9vYmFy", 4, &a, &out, &n), CORE_OK);
    assert_string_equal((char *)out, "foo");
    core_arena_cleanup(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kdf_subkeys),
        cmocka_unit_test(test_seal_open_roundtrip),
        cmocka_unit_test(test_seal_appends),
        cmocka_unit_test(test_empty_plaintext),
        cmocka_unit_test(test_large_plaintext),
        cmocka_unit_test(test_open_failures),
        cmocka_unit_test(test_key_wrap),
        cmocka_unit_test(test_base64),
    };
    return cmocka_run_group_tests_name("crypto_aead", tests, setup, NULL);
}
