/* tests/web/test_web_catalogues: catalogue completeness. Every embedded
 * non-English catalogue (web_langs()) must have exactly English's keys (none
 * missing, none extra) and, for each key, the same set of {placeholders} as
 * English (so that no number or name silently disappears from a sentence).
 * Every problem is printed before the test fails, so a translator sees the
 * whole list at once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "web/web.h"

#define MAX_PH 16

/* The sorted, unique {name} placeholders of s (name: [a-z0-9_]+). */
static size_t placeholders(const char *s, char out[][40])
{
    size_t n = 0;
    for (const char *p = strchr(s, '{'); p; p = strchr(p + 1, '{')) {
        size_t len = strspn(p + 1, "abcdefghijklmnopqrstuvwxyz0123456789_");
        if (len == 0 || len >= 40 || p[1 + len] != '}')
            continue;
        char name[40];
        memcpy(name, p + 1, len);
        name[len] = '\0';
        size_t i = 0;
        while (i < n && strcmp(out[i], name) < 0)
            i++;
        if (i < n && strcmp(out[i], name) == 0)
            continue;
        if (n == MAX_PH)
            break;
        memmove(out[i + 1], out[i], (n - i) * sizeof out[0]);
        memcpy(out[i], name, len + 1);
        n++;
    }
    return n;
}

static int has_key(const char *const *keys, size_t n, const char *k)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(k, keys[mid]);
        if (r == 0)
            return 1;
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return 0;
}

static void test_placeholder_parser(void **state)
{
    (void)state;
    char ph[MAX_PH][40];
    assert_int_equal(placeholders("no placeholders", ph), 0);
    assert_int_equal(placeholders("{n} of {k}, {n} again, {Not} {a-b} {}", ph), 2);
    assert_string_equal(ph[0], "k");
    assert_string_equal(ph[1], "n");
    assert_int_equal(placeholders("{pct} % ({met} / {decided}", ph), 3);
    assert_string_equal(ph[0], "decided");
}

/* The catalogue table itself: English is embedded, the language list is
 * NULL-terminated, keys are sorted and unique (lookups bisect), no message is
 * empty, and the fallbacks hold (unknown language -> English, unknown key ->
 * the key). (Folded in from tests/web/test_web.c, which had an older copy.) */
static void test_catalogue_basics(void **state)
{
    (void)state;
    size_t nl = 0;
    const char *const *langs = web_langs(&nl);
    assert_true(nl >= 1);
    int has_en = 0;
    for (size_t i = 0; i < nl; i++)
        has_en |= strcmp(langs[i], "en") == 0;
    assert_true(has_en);
    assert_null(langs[nl]);
    for (size_t l = 0; l < nl; l++) {
        size_t n = 0;
        const char *const *keys = web_msg_keys(langs[l], &n);
        assert_non_null(keys);
        for (size_t j = 0; j < n; j++) {
            if (j > 0 && strcmp(keys[j - 1], keys[j]) >= 0)
                fail_msg("catalogue %s: keys not sorted/unique at %s", langs[l], keys[j]);
            if (web_msg(langs[l], keys[j])[0] == '\0')
                fail_msg("catalogue %s: key %s is empty", langs[l], keys[j]);
        }
    }
    assert_string_equal(web_msg("xx", "login.submit"), web_msg("en", "login.submit"));
    assert_string_equal(web_msg("en", "zz.unknown"), "zz.unknown");
    assert_string_equal(web_msg(NULL, "login.submit"), web_msg("en", "login.submit"));
    assert_string_equal(web_msg("en", NULL), "");
    size_t nx = 7;
    assert_null(web_msg_keys("xx", &nx));
    assert_int_equal(nx, 0);
}

static void test_catalogues_complete(void **state)
{
    (void)state;
    size_t nl = 0, nen = 0;
    const char *const *langs = web_langs(&nl);
    const char *const *en = web_msg_keys("en", &nen);
    assert_non_null(en);
    assert_true(nen > 100);
    size_t problems = 0;
    for (size_t l = 0; l < nl; l++) {
        if (strcmp(langs[l], "en") == 0)
            continue;
        size_t n = 0, missing = 0, extra = 0, ph_diff = 0;
        const char *const *keys = web_msg_keys(langs[l], &n);
        assert_non_null(keys);
        for (size_t i = 0; i < nen; i++) {
            if (!has_key(keys, n, en[i])) {
                if (missing++ < 20)
                    print_message("catalogue %s: missing key %s\n", langs[l], en[i]);
                continue;
            }
            char a[MAX_PH][40], b[MAX_PH][40];
            size_t na = placeholders(web_msg("en", en[i]), a);
            size_t nb = placeholders(web_msg(langs[l], en[i]), b);
            int same = na == nb;
            for (size_t k = 0; same && k < na; k++)
                same = strcmp(a[k], b[k]) == 0;
            if (!same && ph_diff++ < 20)
                print_message("catalogue %s: key %s has placeholders other than English's\n", langs[l], en[i]);
        }
        for (size_t j = 0; j < n; j++)
            if (!has_key(en, nen, keys[j]) && extra++ < 20)
                print_message("catalogue %s: key %s is not in English\n", langs[l], keys[j]);
        if (missing || extra || ph_diff)
            print_message("catalogue %s: %zu missing, %zu extra, %zu with other placeholders (of %zu keys)\n",
                          langs[l], missing, extra, ph_diff, nen);
        problems += missing + extra + ph_diff;
    }
    if (problems)
        fail_msg("%zu catalogue problems (listed above)", problems);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholder_parser),
        cmocka_unit_test(test_catalogue_basics),
        cmocka_unit_test(test_catalogues_complete),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
