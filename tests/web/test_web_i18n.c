/* tests/web/test_web_i18n: the languages of the web module. Formatting of
 * dates, times and numbers per language (web_fmt.c), the choice of language
 * (?lang=, cookie, Accept-Language), the layout's language switcher and
 * text direction, and a stylesheet without physical left/right properties
 * (so that the Arabic layout mirrors).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "core/core.h"
#include "web/web.h"
#include "web/web_internal.h"

#define NNBSP "\xe2\x80\xaf"
#define NBSP "\xc2\xa0"

/* 2026-11-28 14:05:09 UTC */
static const int64_t T = 1795874709;

static void test_dates(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    assert_string_equal(web_fmt_date(&a, "en", T), "2026-11-28");
    assert_string_equal(web_fmt_date(&a, "fr", T), "28 nov. 2026");
    assert_string_equal(web_fmt_date(&a, "es", T), "28 nov 2026");
    assert_string_equal(web_fmt_date(&a, "ru", T), "28 нояб. 2026 г.");
    assert_string_equal(web_fmt_date(&a, "zh", T), "2026年11月28日");
    assert_string_equal(web_fmt_date(&a, "ar", T), "28 نوفمبر 2026");
    assert_string_equal(web_fmt_date(&a, "xx", T), "2026-11-28");       /* unknown: English */
    assert_string_equal(web_fmt_date(&a, NULL, T), "2026-11-28");
    assert_string_equal(web_fmt_date(&a, "fr", 0), "");
    assert_string_equal(web_fmt_date(&a, "fr", -5), "");
    /* every month of the French table, and a single-digit day */
    assert_string_equal(web_fmt_date(&a, "fr", 1780747200), "6 juin 2026");
    assert_string_equal(web_fmt_date(&a, "ru", 1780747200), "6 июн. 2026 г.");

    assert_string_equal(web_fmt_time(&a, "en", T), "2026-11-28 14:05 UTC");
    assert_string_equal(web_fmt_time(&a, "fr", T), "28 nov. 2026, 14:05 UTC");
    assert_string_equal(web_fmt_time(&a, "es", T), "28 nov 2026, 14:05 UTC");
    assert_string_equal(web_fmt_time(&a, "zh", T), "2026年11月28日 14:05 UTC");
    assert_string_equal(web_fmt_time(&a, "ar", T), "28 نوفمبر 2026، 14:05 UTC");
    assert_string_equal(web_fmt_time(&a, "ru", 0), "");
    /* the ISO helpers are unchanged (audit trail, exports) */
    assert_string_equal(web_time(&a, T), "2026-11-28 14:05 UTC");
    assert_string_equal(web_date(&a, T), "2026-11-28");
    core_arena_cleanup(&a);
}

static void test_numbers(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    assert_string_equal(web_fmt_int(&a, "en", 1234567), "1,234,567");
    assert_string_equal(web_fmt_int(&a, "fr", 1234567), "1" NNBSP "234" NNBSP "567");
    assert_string_equal(web_fmt_int(&a, "ru", 1234567), "1" NBSP "234" NBSP "567");
    assert_string_equal(web_fmt_int(&a, "es", 1234567), "1.234.567");
    assert_string_equal(web_fmt_int(&a, "es", 1234), "1234");          /* CLDR: min grouping 2 */
    assert_string_equal(web_fmt_int(&a, "es", 12345), "12.345");
    assert_string_equal(web_fmt_int(&a, "zh", 1234), "1,234");
    assert_string_equal(web_fmt_int(&a, "ar", 1234), "1,234");          /* Western digits */
    assert_string_equal(web_fmt_int(&a, "en", 999), "999");
    assert_string_equal(web_fmt_int(&a, "en", 0), "0");
    assert_string_equal(web_fmt_int(&a, "en", -1234), "-1,234");
    assert_string_equal(web_fmt_int(&a, "en", INT64_MIN), "-9,223,372,036,854,775,808");

    assert_string_equal(web_fmt_dec(&a, "en", 1234.56, 1), "1,234.6");
    assert_string_equal(web_fmt_dec(&a, "fr", 1234.56, 1), "1" NNBSP "234,6");
    assert_string_equal(web_fmt_dec(&a, "es", 12.5, 1), "12,5");
    assert_string_equal(web_fmt_dec(&a, "ru", 0.25, 2), "0,25");
    assert_string_equal(web_fmt_dec(&a, "en", -0.04, 1), "0.0");       /* no "-0.0" */
    assert_string_equal(web_fmt_dec(&a, "en", -2.5, 1), "-2.5");
    assert_string_equal(web_fmt_dec(&a, "en", 3.0, 0), "3");

    assert_string_equal(web_fmt_num(&a, "en", 42), "42");
    assert_string_equal(web_fmt_num(&a, "fr", 4200), "4" NNBSP "200");
    assert_string_equal(web_fmt_num(&a, "fr", 4.5), "4,5");
    assert_string_equal(web_fmt_num(&a, "en", 4.25), "4.25");
    assert_string_equal(web_fmt_num(&a, "fr", 0.125), "0,125");
    assert_string_equal(web_fmt_num(&a, "es", 12345.5), "12.345,5");
    assert_string_equal(web_fmt_num(&a, "en", 1e-7), "0.00");              /* tiny: not "1e-07" */

    assert_string_equal(web_fmt_pct(&a, "en", 45, 0), "45%");
    assert_string_equal(web_fmt_pct(&a, "fr", 57.5, 1), "57,5" NNBSP "%");
    assert_string_equal(web_fmt_pct(&a, "es", 57.5, 1), "57,5" NBSP "%");
    assert_string_equal(web_fmt_pct(&a, "ru", 100, 0), "100" NBSP "%");
    assert_string_equal(web_fmt_pct(&a, "zh", 45, 0), "45%");
    core_arena_cleanup(&a);
}

/* The template engine writes a real number in the page language (web_fmt_num);
 * integers stay plain digits (they also serve as ids in links). */
static void test_template_reals(void **state)
{
    (void)state;
    static const char src[] = "{{r}}|{{big}}|{{n}}|{{{r}}}";
    web_tpl *t = NULL;
    char err[128];
    assert_int_equal(web_tpl_compile("reals", src, strlen(src), &t, err, sizeof err), CORE_OK);
    json_t *ctx = json_pack("{s:f, s:f, s:I}", "r", 12.5, "big", 1234.25, "n", (json_int_t)12345);
    static const struct { const char *lang, *want; } C[] = {
        {"en", "12.5|1,234.25|12345|12.5"},
        {"fr", "12,5|1" NNBSP "234,25|12345|12,5"},
        {"es", "12,5|1234,25|12345|12,5"},
        {"ar", "12.5|1,234.25|12345|12.5"},
    };
    for (size_t i = 0; i < sizeof C / sizeof C[0]; i++) {
        core_buf b;
        core_buf_init(&b);
        assert_int_equal(web_tpl_render(t, &b, ctx, C[i].lang, NULL, NULL), CORE_OK);
        if (strcmp(core_buf_cstr(&b), C[i].want) != 0)
            fail_msg("%s: got [%s], want [%s]", C[i].lang, core_buf_cstr(&b), C[i].want);
        core_buf_cleanup(&b);
    }
    json_decref(ctx);
    web_tpl_free(t);
}

static void test_lang_names_and_dir(void **state)
{
    (void)state;
    assert_string_equal(web_lang_dir("ar"), "rtl");
    assert_string_equal(web_lang_dir("en"), "ltr");
    assert_string_equal(web_lang_dir("fr"), "ltr");
    assert_string_equal(web_lang_dir(NULL), "ltr");
    assert_string_equal(web_lang_name("ar"), "العربية");
    assert_string_equal(web_lang_name("zh"), "中文");
    assert_string_equal(web_lang_name("en"), "English");
    assert_string_equal(web_lang_name("fr"), "Français");
    assert_string_equal(web_lang_name("ru"), "Русский");
    assert_string_equal(web_lang_name("es"), "Español");
    assert_string_equal(web_lang_name("xx"), "xx");
}

static int embedded(const char *lang)
{
    size_t n = 0;
    const char *const *l = web_langs(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(l[i], lang) == 0)
            return 1;
    return 0;
}

static void test_lang_choice(void **state)
{
    (void)state;
    assert_string_equal(web_lang_pick(NULL, NULL, NULL), "en");
    assert_string_equal(web_lang(NULL), "en");
    assert_string_equal(web_lang_pick(NULL, NULL, "xx, de;q=0.9"), "en");
    assert_string_equal(web_lang_pick(NULL, NULL, "*"), "en");
    if (!embedded("fr") || !embedded("es") || !embedded("ar"))
        skip();
    /* Accept-Language: highest q among the available ones, region ignored */
    assert_string_equal(web_lang_pick(NULL, NULL, "fr-CA,fr;q=0.9,en;q=0.8"), "fr");
    assert_string_equal(web_lang_pick(NULL, NULL, "de-DE, es;q=0.5, en;q=0.4"), "es");
    assert_string_equal(web_lang_pick(NULL, NULL, "en;q=0.3, ar;q=0.7"), "ar");
    assert_string_equal(web_lang_pick(NULL, NULL, "fr;q=0"), "en");
    assert_string_equal(web_lang_pick(NULL, NULL, "ES"), "es");
    /* the cookie beats the header, ?lang= beats both; unknown values are ignored */
    assert_string_equal(web_lang_pick(NULL, "ar", "fr"), "ar");
    assert_string_equal(web_lang_pick("es", "ar", "fr"), "es");
    assert_string_equal(web_lang_pick("xx", "ar", "fr"), "ar");
    assert_string_equal(web_lang_pick("", "zz", "fr"), "fr");
    assert_string_equal(web_lang_pick("fr-BE", NULL, NULL), "fr");
    assert_string_equal(web_lang_pick("\"><script>", NULL, NULL), "en");
}

static void test_layout_switcher(void **state)
{
    (void)state;
    json_t *ctx = json_pack("{s:s, s:s, s:s, s:s, s:[{s:s, s:s, s:s, s:b, s:b}, {s:s, s:s, s:s, s:b, s:b}]}",
                            "lang", "ar", "dir", "rtl", "title", "T", "content", "<p>C</p>", "langs",
                            "code", "ar", "name", "العربية", "href", "/report?lang=ar", "current", 1, "rtl", 1,
                            "code", "fr", "name", "Français", "href", "/report?lang=fr", "current", 0, "rtl", 0);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(web_render(&b, "layout", ctx, "ar"), CORE_OK);
    const char *h = core_buf_cstr(&b);
    assert_non_null(strstr(h, "<html lang=\"ar\" dir=\"rtl\">"));
    assert_non_null(strstr(h, "class=\"lang-switch\""));
    assert_non_null(strstr(h, "hreflang=\"fr\" lang=\"fr\">Français</a>"));
    assert_non_null(strstr(h, "hreflang=\"ar\" lang=\"ar\" dir=\"rtl\" aria-current=\"true\">العربية</a>"));
    assert_null(strstr(h, "aria-current=\"true\">Français"));
    assert_non_null(strstr(h, "aria-label=\"اللغة\"") || strstr(h, "aria-label=\"Language\""));
    json_decref(ctx);
    core_buf_cleanup(&b);
}

/* The switcher keeps the page's query (filters) with only lang replaced,
 * re-encoded from the decoded parameters so nothing unsafe is reflected. */
static void test_lang_href(void **state)
{
    (void)state;
    core_arena a;
    core_arena_init(&a);
    const char *n[] = {"state", "lang", "overdue", "q", "x\"y", "", "state"};
    const char *v[] = {"received", "ar", "1", "a&b=c <script>\"'", "é /", "z", "closed"};
    assert_string_equal(web_lang_href(&a, "/cases", n, v, 7, "fr"),
                        "/cases?state=received&overdue=1&q=a%26b%3Dc%20%3Cscript%3E%22%27&x%22y=%C3%A9%20%2F"
                        "&state=closed&lang=fr");
    assert_string_equal(web_lang_href(&a, "/report", NULL, NULL, 0, "ar"), "/report?lang=ar");
    assert_string_equal(web_lang_href(&a, "/", n + 1, v + 1, 1, "es"), "/?lang=es");
    /* an overlong query keeps what fits and still ends with the language */
    char big[1500];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *bn[] = {"a", "b", "c"};
    const char *bv[] = {big, big, "1"};
    const char *h = web_lang_href(&a, "/impacts", bn, bv, 3, "zh");
    assert_true(strlen(h) < 2100);
    assert_non_null(strstr(h, "/impacts?a=aaa"));
    assert_null(strstr(h, "&b="));
    assert_non_null(strstr(h, "&lang=zh"));
    core_arena_cleanup(&a);
}

/* app.css uses logical properties only, so dir="rtl" mirrors the layout. */
static void test_css_logical(void **state)
{
    (void)state;
    const web_embedded *css = web_static_find("app.css");
    assert_non_null(css);
    static const char *const physical[] = {
        "margin-left", "margin-right", "padding-left", "padding-right", "border-left", "border-right",
        "text-align: left", "text-align: right", "float: left", "float: right", " left:", " right:",
        ";left:", ";right:", "{left:", "{right:", NULL};
    for (size_t i = 0; physical[i]; i++)
        if (strstr(css->data, physical[i]))
            fail_msg("app.css uses the physical property \"%s\"; use its logical form", physical[i]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_lang_names_and_dir),
        cmocka_unit_test(test_lang_choice),
        cmocka_unit_test(test_layout_switcher),
        cmocka_unit_test(test_lang_href),
        cmocka_unit_test(test_template_reals),
        cmocka_unit_test(test_css_logical),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
