/* test_core: unit tests for src/core (arena, buf, status, roles, authz
 * policy, validators). cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"

/* ---- status ---- */

static void test_strerror(void **state)
{
    (void)state;
    int codes[] = {CORE_OK, CORE_ERR, CORE_NOTFOUND, CORE_CONFLICT, CORE_INVALID, CORE_DENIED,
                   CORE_NOMEM, CORE_BUSY, CORE_SCHEMA_NEWER, CORE_CORRUPT};
    for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
        const char *m = core_strerror(codes[i]);
        assert_non_null(m);
        assert_true(strlen(m) > 0);
        assert_string_not_equal(m, "unknown status");
        for (size_t j = 0; j < i; j++)
            assert_string_not_equal(m, core_strerror(codes[j]));
    }
    assert_string_equal(core_strerror(12345), "unknown status");
    assert_string_equal(core_strerror(CORE_OK), "ok");
}

/* ---- arena ---- */

static void test_arena_basic(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    assert_null(a.head);
    assert_int_equal(a.used_total, 0);
    char *p = core_arena_alloc(&a, 10);
    assert_non_null(p);
    assert_int_equal((uintptr_t)p % 16, 0);
    for (int i = 0; i < 10; i++)
        assert_int_equal(p[i], 0);
    memset(p, 'x', 10);
    char *q = core_arena_alloc(&a, 1);
    assert_non_null(q);
    assert_int_equal((uintptr_t)q % 16, 0);
    assert_ptr_not_equal(p, q);
    assert_true(a.used_total >= 11);
    char *z = core_arena_alloc(&a, 0);
    assert_non_null(z);
    core_arena_cleanup(&a);
    assert_null(a.head);
    assert_int_equal(a.used_total, 0);
    /* cleanup of an empty arena and double cleanup are fine */
    core_arena_cleanup(&a);
}

static void test_arena_many_and_large(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    char *ptrs[2000];
    for (int i = 0; i < 2000; i++) {
        size_t n = (size_t)(i % 97) + 1;
        ptrs[i] = core_arena_alloc(&a, n);
        assert_non_null(ptrs[i]);
        assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
        memset(ptrs[i], i & 0xff, n);
    }
    for (int i = 0; i < 2000; i++) {
        size_t n = (size_t)(i % 97) + 1;
        for (size_t k = 0; k < n; k++)
            assert_int_equal((unsigned char)ptrs[i][k], i & 0xff);
    }
    char *small1 = core_arena_alloc(&a, 8);
    unsigned char *big = core_arena_alloc(&a, 1 << 20);
    assert_non_null(big);
    assert_int_equal((uintptr_t)big % 16, 0);
    for (size_t k = 0; k < (1u << 20); k++)
        assert_int_equal(big[k], 0);
    memset(big, 0xab, 1 << 20);
    /* after a large allocation small ones keep going */
    char *small2 = core_arena_alloc(&a, 8);
    assert_non_null(small1);
    assert_non_null(small2);
    assert_true(a.used_total >= (1u << 20));
    size_t before = a.used_total;
    assert_non_null(core_arena_alloc(&a, 17));
    assert_int_equal(a.used_total - before, 32);   /* rounded to the alignment */
    /* absurd size fails cleanly */
    assert_null(core_arena_alloc(&a, SIZE_MAX));
    assert_null(core_arena_alloc(&a, SIZE_MAX - 8));
    core_arena_cleanup(&a);
}

static void test_arena_first_alloc_large(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    char *big = core_arena_alloc(&a, 100000);
    assert_non_null(big);
    char *s = core_arena_alloc(&a, 16);
    assert_non_null(s);
    assert_true(s < big || s >= big + 100000);
    core_arena_cleanup(&a);
}

static void test_arena_strings(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    assert_null(core_arena_strdup(&a, NULL));
    assert_null(core_arena_strndup(&a, NULL, 3));
    char *s = core_arena_strdup(&a, "hello");
    assert_string_equal(s, "hello");
    assert_string_equal(core_arena_strdup(&a, ""), "");
    assert_string_equal(core_arena_strndup(&a, "hello", 3), "hel");
    assert_string_equal(core_arena_strndup(&a, "hi", 10), "hi");
    assert_string_equal(core_arena_strndup(&a, "hi", 0), "");
    assert_string_equal(core_arena_printf(&a, "%s-%d-%05.1f", "x", 42, 3.14159), "x-42-003.1");
    assert_string_equal(core_arena_printf(&a, "%s", ""), "");
    char longer[20000];
    memset(longer, 'q', sizeof longer - 1);
    longer[sizeof longer - 1] = '\0';
    char *l = core_arena_printf(&a, "<%s>", longer);
    assert_non_null(l);
    assert_int_equal(strlen(l), sizeof longer + 1);
    assert_int_equal(l[0], '<');
    assert_int_equal(l[sizeof longer], '>');
    core_arena_cleanup(&a);
}

/* ---- buf ---- */

static void test_buf_basic(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    assert_null(b.data);
    assert_string_equal(core_buf_cstr(&b), "");
    assert_int_equal(core_buf_puts(&b, "abc"), CORE_OK);
    assert_int_equal(core_buf_putc(&b, 'd'), CORE_OK);
    assert_int_equal(core_buf_append(&b, "efgh", 2), CORE_OK);
    assert_int_equal(core_buf_printf(&b, "[%d|%s]", -7, "z"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "abcdef[-7|z]");
    assert_int_equal(b.len, 12);
    assert_int_equal(core_buf_append(&b, NULL, 0), CORE_OK);
    assert_int_equal(b.len, 12);
    assert_int_equal(core_buf_puts(&b, NULL), CORE_INVALID);
    core_buf_reset(&b);
    assert_int_equal(b.len, 0);
    assert_non_null(b.data);
    assert_string_equal(core_buf_cstr(&b), "");
    assert_int_equal(core_buf_puts(&b, "x"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "x");
    core_buf_cleanup(&b);
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    core_buf_cleanup(&b);
}

static void test_buf_grow_and_binary(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(core_buf_putc(&b, (char)('a' + i % 26)), CORE_OK);
    assert_int_equal(b.len, 100000);
    assert_true(b.cap > b.len);
    assert_int_equal(b.data[b.len], '\0');
    for (int i = 0; i < 100000; i++)
        assert_int_equal(b.data[i], 'a' + i % 26);
    core_buf_reset(&b);
    const char bin[] = {'a', '\0', 'b'};
    assert_int_equal(core_buf_append(&b, bin, 3), CORE_OK);
    assert_int_equal(b.len, 3);
    assert_memory_equal(b.data, bin, 3);
    assert_int_equal(b.data[3], '\0');
    char big[5000];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    core_buf_reset(&b);
    assert_int_equal(core_buf_printf(&b, "%s%s", big, big), CORE_OK);
    assert_int_equal(b.len, 2 * (sizeof big - 1));
    core_buf_cleanup(&b);
}

static void test_buf_oom_sticky(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(core_buf_puts(&b, "ok"), CORE_OK);
    /* an impossible size sets the sticky flag without touching content */
    assert_int_equal(core_buf_append(&b, "x", SIZE_MAX - 1), CORE_NOMEM);
    assert_true(b.oom);
    assert_int_equal(core_buf_puts(&b, "more"), CORE_NOMEM);
    assert_string_equal(core_buf_cstr(&b), "ok");
    /* steal after oom gives NULL and resets */
    assert_null(core_buf_steal(&b));
    assert_null(b.data);
    assert_false(b.oom);
    assert_int_equal(core_buf_puts(&b, "again"), CORE_OK);
    core_buf_reset(&b);
    assert_false(b.oom);
    /* printf and html also honour the sticky flag */
    b.oom = 1;
    assert_int_equal(core_buf_printf(&b, "%d", 1), CORE_NOMEM);
    assert_int_equal(core_buf_html(&b, "<"), CORE_NOMEM);
    assert_int_equal(core_buf_urlencode(&b, " "), CORE_NOMEM);
    assert_string_equal(core_buf_cstr(&b), "");
    core_buf_reset(&b);
    core_buf_cleanup(&b);
    /* reset before any append is harmless */
    core_buf_reset(&b);
    assert_null(b.data);
    core_buf_cleanup(&b);
}

static void test_buf_steal(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    char *s = core_buf_steal(&b);
    assert_non_null(s);
    assert_string_equal(s, "");
    free(s);
    core_buf_puts(&b, "taken");
    s = core_buf_steal(&b);
    assert_string_equal(s, "taken");
    assert_null(b.data);
    assert_int_equal(b.len, 0);
    assert_int_equal(b.cap, 0);
    assert_string_equal(core_buf_cstr(&b), "");
    free(s);
    core_buf_cleanup(&b);
}

static void test_buf_html(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(core_buf_html(&b, "<script>alert('x' & \"y\")</script>"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b),
                        "&lt;script&gt;alert(&#39;x&#39; &amp; &quot;y&quot;)&lt;&#47;script&gt;");
    core_buf_reset(&b);
    assert_int_equal(core_buf_html(&b, ""), CORE_OK);
    assert_non_null(b.data);
    assert_string_equal(core_buf_cstr(&b), "");
    assert_int_equal(core_buf_html(&b, "plain text, \xc3\xa9t\xc3\xa9"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "plain text, \xc3\xa9t\xc3\xa9");
    core_buf_reset(&b);
    assert_int_equal(core_buf_html(&b, "&&"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "&amp;&amp;");
    core_buf_reset(&b);
    core_buf_puts(&b, "pre:");
    assert_int_equal(core_buf_html(&b, "a>b"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "pre:a&gt;b");
    assert_int_equal(core_buf_html(&b, NULL), CORE_INVALID);
    core_buf_cleanup(&b);
}

static void test_buf_urlencode(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(core_buf_urlencode(&b, "a b&c=d/e?f#g"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "a%20b%26c%3Dd%2Fe%3Ff%23g");
    core_buf_reset(&b);
    assert_int_equal(core_buf_urlencode(&b, "AZaz09-._~"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "AZaz09-._~");
    core_buf_reset(&b);
    assert_int_equal(core_buf_urlencode(&b, "\xc3\xa9+%"), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "%C3%A9%2B%25");
    core_buf_reset(&b);
    assert_int_equal(core_buf_urlencode(&b, ""), CORE_OK);
    assert_string_equal(core_buf_cstr(&b), "");
    assert_int_equal(core_buf_urlencode(&b, NULL), CORE_INVALID);
    core_buf_cleanup(&b);
}

/* ---- roles and authz ---- */

static void test_roles(void **state)
{
    (void)state;
    const char *names[] = {"none", "admin", "hr_lead", "case_handler", "analyst", "auditor"};
    assert_int_equal(CORE_ROLE__COUNT, 6);
    for (int r = 0; r < CORE_ROLE__COUNT; r++) {
        assert_string_equal(core_role_name((core_role)r), names[r]);
        core_role out = CORE_ROLE_NONE;
        if (r == CORE_ROLE_NONE) {
            assert_int_equal(core_role_parse("none", &out), CORE_INVALID);
        } else {
            assert_int_equal(core_role_parse(names[r], &out), CORE_OK);
            assert_int_equal(out, r);
        }
    }
    core_role out = CORE_ROLE_AUDITOR;
    assert_int_equal(core_role_parse("Admin", &out), CORE_INVALID);
    assert_int_equal(core_role_parse("admin ", &out), CORE_INVALID);
    assert_int_equal(core_role_parse("", &out), CORE_INVALID);
    assert_int_equal(core_role_parse(NULL, &out), CORE_INVALID);
    assert_int_equal(core_role_parse("superuser", &out), CORE_INVALID);
    assert_int_equal(out, CORE_ROLE_AUDITOR);   /* untouched on failure */
    assert_string_equal(core_role_name(CORE_ROLE__COUNT), "none");
    assert_string_equal(core_role_name((core_role)-1), "none");
}

static void test_perm_names(void **state)
{
    (void)state;
    const char *names[] = {"public", "signed_in", "org_read", "users_manage",
                           "org_manage", "audit_read", "tokens_manage", "metrics",
                           "cases_read", "cases_handle", "stats_read", "mechanisms_manage",
                           "dd_read", "dd_edit", "dd_approve", "tr_read", "tr_manage",
                           "assess_read", "assess_edit", "assess_publish"};
    assert_int_equal(CORE_PERM__COUNT, 20);
    for (int p = 0; p < CORE_PERM__COUNT; p++)
        assert_string_equal(core_perm_name((core_perm)p), names[p]);
    assert_string_equal(core_perm_name(CORE_PERM__COUNT), "unknown");
}

/* The expected policy written out independently of the implementation. */
static int expected(core_role r, core_perm p)
{
    switch (p) {
    case CORE_PERM_PUBLIC:
        return 1;
    case CORE_PERM_SIGNED_IN:
        return r != CORE_ROLE_NONE;
    case CORE_PERM_ORG_READ:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_HR_LEAD || r == CORE_ROLE_AUDITOR;
    case CORE_PERM_AUDIT_READ:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_AUDITOR;
    case CORE_PERM_USERS_MANAGE:
    case CORE_PERM_ORG_MANAGE:
    case CORE_PERM_TOKENS_MANAGE:
    case CORE_PERM_METRICS:
        return r == CORE_ROLE_ADMIN;
    case CORE_PERM_CASES_READ:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_HR_LEAD || r == CORE_ROLE_CASE_HANDLER;
    case CORE_PERM_CASES_HANDLE:
    case CORE_PERM_MECHANISMS_MANAGE:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_CASE_HANDLER;
    case CORE_PERM_STATS_READ:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_HR_LEAD || r == CORE_ROLE_CASE_HANDLER ||
               r == CORE_ROLE_ANALYST;
    case CORE_PERM_DD_READ:
    case CORE_PERM_TR_READ:
    case CORE_PERM_ASSESS_READ:
        return r != CORE_ROLE_NONE;
    case CORE_PERM_DD_EDIT:
    case CORE_PERM_ASSESS_EDIT:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_HR_LEAD || r == CORE_ROLE_ANALYST;
    case CORE_PERM_DD_APPROVE:
    case CORE_PERM_ASSESS_PUBLISH:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_HR_LEAD;
    case CORE_PERM_TR_MANAGE:
        return r == CORE_ROLE_ADMIN || r == CORE_ROLE_ANALYST;
    default:
        return 0;
    }
}

static void test_authz_every_cell(void **state)
{
    (void)state;
    int allowed = 0;
    for (int r = 0; r < CORE_ROLE__COUNT; r++) {
        for (int p = 0; p < CORE_PERM__COUNT; p++) {
            int got = core_authz_allows((core_role)r, (core_perm)p);
            if (got != expected((core_role)r, (core_perm)p))
                fail_msg("role %s perm %s: got %d", core_role_name((core_role)r),
                         core_perm_name((core_perm)p), got);
            allowed += got;
        }
    }
    /* 6 public + 5 signed_in + 3 org_read + 2 audit + 4 admin-only + 3 cases_read
     * + 2 cases_handle + 4 stats_read + 2 mechanisms_manage + 3 x 5 *_read
     * + 2 x 3 dd_edit/assess_edit + 2 x 2 dd_approve/assess_publish + 2 tr_manage */
    assert_int_equal(allowed, 58);
}

static void test_authz_spot_and_range(void **state)
{
    (void)state;
    assert_true(core_authz_allows(CORE_ROLE_NONE, CORE_PERM_PUBLIC));
    assert_false(core_authz_allows(CORE_ROLE_NONE, CORE_PERM_SIGNED_IN));
    assert_true(core_authz_allows(CORE_ROLE_AUDITOR, CORE_PERM_AUDIT_READ));
    assert_false(core_authz_allows(CORE_ROLE_AUDITOR, CORE_PERM_USERS_MANAGE));
    assert_false(core_authz_allows(CORE_ROLE_HR_LEAD, CORE_PERM_AUDIT_READ));
    assert_false(core_authz_allows(CORE_ROLE_CASE_HANDLER, CORE_PERM_ORG_READ));
    assert_false(core_authz_allows(CORE_ROLE_ANALYST, CORE_PERM_METRICS));
    assert_true(core_authz_allows(CORE_ROLE_ADMIN, CORE_PERM_METRICS));
    /* out of range is denied, never an out-of-bounds read */
    assert_false(core_authz_allows(CORE_ROLE__COUNT, CORE_PERM_PUBLIC));
    assert_false(core_authz_allows((core_role)-1, CORE_PERM_PUBLIC));
    assert_false(core_authz_allows(CORE_ROLE_ADMIN, CORE_PERM__COUNT));
    assert_false(core_authz_allows(CORE_ROLE_ADMIN, (core_perm)-1));
    assert_false(core_authz_allows((core_role)1000, (core_perm)1000));
}

/* ---- UTF-8 ---- */

static int u8(const char *s)
{
    return core_utf8_valid(s, strlen(s));
}

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(u8(""));
    assert_true(core_utf8_valid(NULL, 0));
    assert_false(core_utf8_valid(NULL, 1));
    assert_true(u8("plain ascii ~\x7f"));
    assert_true(u8("\xc2\x80"));                 /* U+0080, smallest 2-byte */
    assert_true(u8("\xdf\xbf"));                 /* U+07FF */
    assert_true(u8("\xe0\xa0\x80"));             /* U+0800, smallest 3-byte */
    assert_true(u8("\xed\x9f\xbf"));             /* U+D7FF, just below surrogates */
    assert_true(u8("\xee\x80\x80"));             /* U+E000, just above */
    assert_true(u8("\xef\xbf\xbd"));             /* U+FFFD */
    assert_true(u8("\xef\xbf\xbf"));             /* U+FFFF (noncharacter, still valid) */
    assert_true(u8("\xf0\x90\x80\x80"));         /* U+10000 */
    assert_true(u8("\xf4\x8f\xbf\xbf"));         /* U+10FFFF */
    assert_true(u8("Men\xc5\x9f" "ei, \xe4\xba\xba\xe6\xa8\xa9, \xd8\xad\xd9\x82\xd9\x88\xd9\x82"));
    assert_true(u8("\xf0\x9f\x98\x80 emoji"));
}

static void test_utf8_invalid(void **state)
{
    (void)state;
    /* NUL inside the given length */
    assert_false(core_utf8_valid("a\0b", 3));
    assert_true(core_utf8_valid("a\0b", 1));
    /* overlong encodings */
    assert_false(u8("\xc0\xaf"));                /* '/' in 2 bytes */
    assert_false(u8("\xc1\xbf"));
    assert_false(u8("\xc0\x80"));                /* NUL, modified UTF-8 */
    assert_false(u8("\xe0\x80\xaf"));            /* '/' in 3 bytes */
    assert_false(u8("\xe0\x9f\xbf"));            /* U+07FF in 3 bytes */
    assert_false(u8("\xf0\x80\x80\xaf"));        /* '/' in 4 bytes */
    assert_false(u8("\xf0\x8f\xbf\xbf"));        /* U+FFFF in 4 bytes */
    /* surrogates */
    assert_false(u8("\xed\xa0\x80"));            /* U+D800 */
    assert_false(u8("\xed\xbf\xbf"));            /* U+DFFF */
    assert_false(u8("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
    /* beyond U+10FFFF and bytes that never occur */
    assert_false(u8("\xf4\x90\x80\x80"));        /* U+110000 */
    assert_false(u8("\xf5\x80\x80\x80"));
    assert_false(u8("\xf8\x88\x80\x80\x80"));    /* 5-byte form */
    assert_false(u8("\xfc\x84\x80\x80\x80\x80"));/* 6-byte form */
    assert_false(u8("\xfe"));
    assert_false(u8("\xff"));
    /* stray continuation bytes */
    assert_false(u8("\x80"));
    assert_false(u8("a\xbf"));
    assert_false(u8("\xc3\xa9\xa9"));
    /* truncated sequences */
    assert_false(u8("\xc3"));
    assert_false(u8("\xe2\x82"));
    assert_false(u8("\xf0\x9f\x98"));
    assert_false(core_utf8_valid("\xc3\xa9", 1)); /* cut by the length */
    assert_false(u8("\xe2\x82" "a"));             /* continuation replaced by ASCII */
    assert_false(u8("\xf0\x9f" "\xc3\xa9"));
    /* latin-1 text is not UTF-8 */
    assert_false(u8("caf\xe9"));
}

/* ---- e-mail ---- */

static void test_email(void **state)
{
    (void)state;
    const char *good[] = {
        "a@b.co", "jane.doe@example.org", "x+tag@sub.example.com", "o'brien@example.ie",
        "user_name-1@ex-ample.org", "1@2.example", "a.b.c@d.e.f",
        "!#$%&'*+-/=?^_`{|}~@example.org", "\xc3\xa9l\xc3\xa8ve@\xc3\xa9" "cole.fr",
    };
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
        if (!core_email_valid(good[i]))
            fail_msg("should be valid: %s", good[i]);
    const char *bad[] = {
        "", "plain", "@example.org", "user@", "user@@example.org", "a@b@example.org",
        "user@localhost", ".user@example.org", "user.@example.org", "us..er@example.org",
        "user@.example.org", "user@example..org", "user@example.org.", "user@-example.org",
        "user@example-.org", "user@exa_mple.org", "us er@example.org", "user@exam ple.org",
        "\"quoted\"@example.org", "user@[192.0.2.1]", "user(comment)@example.org",
        "user@example.org\n", "us\ter@example.org", "user<x>@example.org",
        "user@example.org,other@example.org", "caf\xe9@example.org", "a\xc0\xaf@example.org",
        "user\\x@example.org",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (core_email_valid(bad[i]))
            fail_msg("should be invalid: %s", bad[i]);
    assert_false(core_email_valid(NULL));
}

static void test_email_lengths(void **state)
{
    (void)state;
    char s[400];
    /* local part: 64 ok, 65 not */
    memset(s, 'a', 64);
    snprintf(s + 64, sizeof s - 64, "@example.org");
    assert_true(core_email_valid(s));
    memset(s, 'a', 65);
    snprintf(s + 65, sizeof s - 65, "@example.org");
    assert_false(core_email_valid(s));
    /* label: 63 ok, 64 not */
    snprintf(s, sizeof s, "a@");
    memset(s + 2, 'b', 63);
    snprintf(s + 65, sizeof s - 65, ".org");
    assert_true(core_email_valid(s));
    snprintf(s, sizeof s, "a@");
    memset(s + 2, 'b', 64);
    snprintf(s + 66, sizeof s - 66, ".org");
    assert_false(core_email_valid(s));
    /* total: exactly 254 ok, 255 not. "a@" + labels of 49 + '.' */
    size_t n = 0;
    s[n++] = 'a';
    s[n++] = '@';
    while (n < 254) {
        size_t label = 49;
        if (254 - n < label + 1)
            label = 254 - n - 1;
        if (n > 2)
            s[n++] = '.';
        memset(s + n, 'c', label);
        n += label;
    }
    s[n] = '\0';
    assert_int_equal(strlen(s), 254);
    assert_true(core_email_valid(s));
    s[n++] = 'c';
    s[n] = '\0';
    assert_int_equal(strlen(s), 255);
    assert_false(core_email_valid(s));
}

/* ---- slugs ---- */

static void test_slug(void **state)
{
    (void)state;
    assert_true(core_slug_valid("a"));
    assert_true(core_slug_valid("acme"));
    assert_true(core_slug_valid("acme-textiles-2024"));
    assert_true(core_slug_valid("0"));
    assert_true(core_slug_valid("a--b"));
    assert_true(core_slug_valid("trailing-"));
    assert_false(core_slug_valid(NULL));
    assert_false(core_slug_valid(""));
    assert_false(core_slug_valid("-lead"));
    assert_false(core_slug_valid("-"));
    assert_false(core_slug_valid("Acme"));
    assert_false(core_slug_valid("acme_textiles"));
    assert_false(core_slug_valid("acme textiles"));
    assert_false(core_slug_valid("acme.org"));
    assert_false(core_slug_valid("acme/x"));
    assert_false(core_slug_valid("../etc"));
    assert_false(core_slug_valid("caf\xc3\xa9"));
    assert_false(core_slug_valid("acme\n"));
    char s[80];
    memset(s, 'a', 63);
    s[63] = '\0';
    assert_true(core_slug_valid(s));
    s[63] = 'a';
    s[64] = '\0';
    assert_false(core_slug_valid(s));
}

/* ---- integers ---- */

static void test_parse_int64_ok(void **state)
{
    (void)state;
    int64_t v = 99;
    assert_int_equal(core_parse_int64("0", &v), CORE_OK);
    assert_int_equal(v, 0);
    assert_int_equal(core_parse_int64("-0", &v), CORE_OK);
    assert_int_equal(v, 0);
    assert_int_equal(core_parse_int64("42", &v), CORE_OK);
    assert_int_equal(v, 42);
    assert_int_equal(core_parse_int64("-17", &v), CORE_OK);
    assert_int_equal(v, -17);
    assert_int_equal(core_parse_int64("007", &v), CORE_OK);
    assert_int_equal(v, 7);
    assert_int_equal(core_parse_int64("9223372036854775807", &v), CORE_OK);
    assert_true(v == INT64_MAX);
    assert_int_equal(core_parse_int64("-9223372036854775808", &v), CORE_OK);
    assert_true(v == INT64_MIN);
    assert_int_equal(core_parse_int64("9223372036854775806", &v), CORE_OK);
    assert_true(v == INT64_MAX - 1);
    assert_int_equal(core_parse_int64("-9223372036854775807", &v), CORE_OK);
    assert_true(v == INT64_MIN + 1);
    assert_int_equal(core_parse_int64("000000000000000000000000000001", &v), CORE_OK);
    assert_int_equal(v, 1);
    assert_int_equal(core_parse_int64("123", NULL), CORE_OK);
}

static void test_parse_int64_bad(void **state)
{
    (void)state;
    const char *bad[] = {
        "", "-", "+", "+1", " 1", "1 ", "1\n", "\t1", "1a", "a1", "0x10", "1e3", "1.0", "1,000",
        "--1", "-+1", "9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "-99999999999999999999", "18446744073709551616",
        "92233720368547758070", "\xd9\xa1",   /* ARABIC-INDIC DIGIT ONE */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v = 1234;
        if (core_parse_int64(bad[i], &v) != CORE_INVALID)
            fail_msg("should be invalid: '%s'", bad[i]);
        assert_int_equal(v, 1234);   /* untouched */
    }
    assert_int_equal(core_parse_int64(NULL, NULL), CORE_INVALID);
}

/* ---- constant-time string compare ---- */

static void test_consttime_streq(void **state)
{
    (void)state;
    assert_true(core_consttime_streq("", ""));
    assert_true(core_consttime_streq("secret", "secret"));
    assert_false(core_consttime_streq("secret", "secreT"));
    assert_false(core_consttime_streq("secret", "secret2"));
    assert_false(core_consttime_streq("secret2", "secret"));
    assert_false(core_consttime_streq("", "a"));
    assert_false(core_consttime_streq("a", ""));
    assert_false(core_consttime_streq("xbc", "abc"));
    assert_false(core_consttime_streq(NULL, "a"));
    assert_false(core_consttime_streq("a", NULL));
    assert_false(core_consttime_streq(NULL, NULL));
    /* a prefix followed by what looks like padding is still different */
    assert_false(core_consttime_streq("ab", "ab\x01"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror),
        cmocka_unit_test(test_arena_basic),
        cmocka_unit_test(test_arena_many_and_large),
        cmocka_unit_test(test_arena_first_alloc_large),
        cmocka_unit_test(test_arena_strings),
        cmocka_unit_test(test_buf_basic),
        cmocka_unit_test(test_buf_grow_and_binary),
        cmocka_unit_test(test_buf_oom_sticky),
        cmocka_unit_test(test_buf_steal),
        cmocka_unit_test(test_buf_html),
        cmocka_unit_test(test_buf_urlencode),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_perm_names),
        cmocka_unit_test(test_authz_every_cell),
        cmocka_unit_test(test_authz_spot_and_range),
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_invalid),
        cmocka_unit_test(test_email),
        cmocka_unit_test(test_email_lengths),
        cmocka_unit_test(test_slug),
        cmocka_unit_test(test_parse_int64_ok),
        cmocka_unit_test(test_parse_int64_bad),
        cmocka_unit_test(test_consttime_streq),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
