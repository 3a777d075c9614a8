/* test_grievance_intake: reading and checking an intake (src/grievance
 * grv_intake.c, grv_values.c, dates in grv_clock.c): the smallest valid
 * body, every member's wrong type, unknown members (as JSON pointers),
 * NUL inside strings, every field's invalid values and limits, contact
 * rules per preference, dates (calendar, future, leap years), the
 * moderation window, channels and partners, collecting all errors,
 * vocabularies, countries, language tags and file sniffing.
 * cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "grievance/grievance.h"

#define NOW 1767268800   /* 2026-01-01T12:00:00Z */

/* Parses json text, reads and validates; returns the status and fills err. */
static int run(const char *text, grv_error *err)
{
    json_error_t je;
    json_t *o = json_loads(text, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
    if (!o)
        fail_msg("bad test JSON: %s: %s", text, je.text);
    grv_intake in;
    memset(err, 0, sizeof *err);
    int rc = grv_intake_from_json(o, &in, err);
    if (rc == CORE_OK)
        rc = grv_intake_validate(&in, NOW, NULL, err);
    json_decref(o);
    return rc;
}

static void expect_err(const char *text, const char *field, const char *key)
{
    grv_error e;
    int rc = run(text, &e);
    if (rc != CORE_INVALID)
        fail_msg("accepted: %s", text);
    if (strcmp(e.field, field) != 0 || (key && strcmp(e.key, key) != 0))
        fail_msg("%s: got %s %s, want %s %s", text, e.field, e.key, field, key ? key : "*");
    assert_non_null(e.detail);
}

static void expect_ok(const char *text)
{
    grv_error e;
    if (run(text, &e) != CORE_OK)
        fail_msg("refused: %s: %s %s (%s)", text, e.field, e.key, e.detail);
}

#define MIN "\"narrative\": \"My account was closed.\", \"contact_preference\": \"anonymous\""

static void test_smallest_and_full(void **state)
{
    (void)state;
    expect_ok("{" MIN "}");
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s, s:s, s:s,"
                          " s:s, s:s, s:s, s:s, s:s, s:s, s:[]}",
                          "narrative", "Mon compte a été fermé.\r\n\tDepuis.", "category",
                          "content_moderation", "product", "photo-app", "product_text",
                          "the old app", "country", "FR", "incident_date", "2025-12-01",
                          "decision_date", "2025-12-02", "affected", "group",
                          "affected_count", (json_int_t)40, "rights_text", "freedom of expression",
                          "vulnerable_group", "journalists", "outcome_sought", "account back",
                          "contact_preference", "named", "contact_name", "Amélie Dupont",
                          "contact_email", "amelie@example.org", "contact_phone",
                          "+33 6 12 34 56 78", "language", "fr-FR", "channel", "partner",
                          "partner", "Ligue des droits", "attachments");
    assert_non_null(o);
    grv_intake in;
    grv_error e;
    assert_int_equal(grv_intake_from_json(o, &in, &e), CORE_OK);
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, &e), CORE_OK);
    assert_string_equal(in.category, "content_moderation");
    assert_string_equal(in.contact_name, "Amélie Dupont");
    assert_int_equal(in.affected_count, 40);
    assert_string_equal(in.partner, "Ligue des droits");
    json_decref(o);
    /* null reads as absent */
    expect_ok("{" MIN ", \"country\": null, \"contact_email\": null, \"attachments\": null}");
    /* empty optional strings are absent too */
    expect_ok("{" MIN ", \"country\": \"\", \"contact_email\": \"\", \"language\": \"\"}");
}

static void test_shape(void **state)
{
    (void)state;
    expect_err("{" MIN ", \"colour\": \"red\"}", "/colour", "grv.err.unknown");
    expect_err("{" MIN ", \"a/b~c\": 1}", "/a~1b~0c", "grv.err.unknown");
    expect_err("{" MIN ", \"Narrative\": \"x\"}", "/Narrative", "grv.err.unknown");
    /* a very long unknown name is cut, still a pointer */
    char big[400];
    char name[301];
    memset(name, 'x', 300);
    name[300] = 0;
    snprintf(big, sizeof big, "{\"%s\": 1}", name);
    grv_error e;
    assert_int_equal(run(big, &e), CORE_INVALID);
    assert_string_equal(e.key, "grv.err.unknown");
    assert_true(strlen(e.field) < sizeof e.buf);
    assert_int_equal(e.field[0], '/');
    assert_non_null(strstr(e.field, "..."));
    /* wrong types for every member */
    const char *strs[] = {"narrative", "category", "product", "product_text", "country",
                          "incident_date", "decision_date", "affected", "rights_text",
                          "vulnerable_group", "outcome_sought", "contact_preference",
                          "contact_name", "contact_email", "contact_phone", "language",
                          "channel", "partner"};
    const char *wrong[] = {"1", "true", "[]", "{}", "1.5"};
    for (size_t i = 0; i < sizeof strs / sizeof *strs; i++)
        for (size_t w = 0; w < sizeof wrong / sizeof *wrong; w++) {
            char t[256], f[64];
            snprintf(t, sizeof t, "{\"%s\": %s}", strs[i], wrong[w]);
            snprintf(f, sizeof f, "/%s", strs[i]);
            expect_err(t, f, "grv.err.type");
        }
    expect_err("{" MIN ", \"affected_count\": \"3\"}", "/affected_count", "grv.err.type");
    expect_err("{" MIN ", \"affected_count\": 3.5}", "/affected_count", "grv.err.type");
    expect_err("{" MIN ", \"affected_count\": true}", "/affected_count", "grv.err.type");
    expect_err("{" MIN ", \"attachments\": {}}", "/attachments", "grv.err.type");
    expect_err("{" MIN ", \"attachments\": \"a\"}", "/attachments", "grv.err.type");
    /* not an object */
    const char *roots[] = {"[]", "\"text\"", "3", "null"};
    for (size_t i = 0; i < sizeof roots / sizeof *roots; i++) {
        json_t *o = json_loads(roots[i], JSON_DECODE_ANY, NULL);
        grv_intake in;
        assert_int_equal(grv_intake_from_json(o, &in, &e), CORE_INVALID);
        assert_string_equal(e.field, "");
        assert_string_equal(e.key, "grv.err.type");
        json_decref(o);
    }
    /* NUL hidden in a string */
    expect_err("{\"narrative\": \"a\\u0000b\", \"contact_preference\": \"anonymous\"}", "/narrative",
               "grv.err.control_chars");
}

static void test_narrative(void **state)
{
    (void)state;
    expect_err("{\"contact_preference\": \"anonymous\"}", "/narrative", "grv.err.required");
    expect_err("{\"narrative\": \"\", \"contact_preference\": \"anonymous\"}", "/narrative",
               "grv.err.required");
    expect_err("{\"narrative\": \" \\n\\t \", \"contact_preference\": \"anonymous\"}", "/narrative",
               "grv.err.required");
    expect_err("{\"narrative\": null, \"contact_preference\": \"anonymous\"}", "/narrative",
               "grv.err.required");
    expect_err("{\"narrative\": \"bell\\u0007\", \"contact_preference\": \"anonymous\"}",
               "/narrative", "grv.err.control_chars");
    expect_err("{\"narrative\": \"esc\\u001b[31m\", \"contact_preference\": \"anonymous\"}",
               "/narrative", "grv.err.control_chars");
    expect_err("{\"narrative\": \"del\\u007f\", \"contact_preference\": \"anonymous\"}",
               "/narrative", "grv.err.control_chars");
    expect_err("{\"narrative\": \"c1\\u0085\", \"contact_preference\": \"anonymous\"}",
               "/narrative", "grv.err.control_chars");
    expect_ok("{\"narrative\": \"lines\\r\\nand\\ttabs \\u00e9\\u4e2d\\ud83d\\ude00\", "
              "\"contact_preference\": \"anonymous\"}");
    /* 20000 bytes fine, 20001 too long (multi-byte characters count in bytes) */
    grv_intake in;
    memset(&in, 0, sizeof in);
    in.contact_preference = "anonymous";
    char *s = malloc(20002);
    memset(s, 'a', 20000);
    s[20000] = 0;
    in.narrative = s;
    grv_error e;
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, &e), CORE_OK);
    s[20000] = 'b';
    s[20001] = 0;
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, &e), CORE_INVALID);
    assert_string_equal(e.field, "/narrative");
    assert_string_equal(e.key, "grv.err.too_long");
    memcpy(s + 19998, "\xc3\xa9", 3);     /* 19998 + 2 bytes = 20000 */
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, &e), CORE_OK);
    /* invalid UTF-8 (forms do not go through jansson) */
    in.narrative = "caf\xe9";
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, &e), CORE_INVALID);
    assert_string_equal(e.key, "grv.err.utf8");
    free(s);
}

static void test_other_texts(void **state)
{
    (void)state;
    const char *fields[] = {"product_text", "rights_text", "vulnerable_group", "outcome_sought"};
    char *big = malloc(2002 + 200);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++) {
        char f[64];
        snprintf(f, sizeof f, "/%s", fields[i]);
        for (int len = 2000; len <= 2001; len++) {
            int o = snprintf(big, 200, "{" MIN ", \"%s\": \"", fields[i]);
            memset(big + o, 'x', (size_t)len);
            memcpy(big + o + len, "\"}", 3);
            if (len == 2000)
                expect_ok(big);
            else
                expect_err(big, f, "grv.err.too_long");
        }
        char t[256];
        snprintf(t, sizeof t, "{" MIN ", \"%s\": \"two\\nlines ok\"}", fields[i]);
        expect_ok(t);
        snprintf(t, sizeof t, "{" MIN ", \"%s\": \"nul\\u0001\"}", fields[i]);
        expect_err(t, f, "grv.err.control_chars");
    }
    free(big);
}

static void test_contact(void **state)
{
    (void)state;
    /* anonymous: no contact field at all */
    expect_err("{" MIN ", \"contact_name\": \"Ann\"}", "/contact_name", "grv.err.contact_anonymous");
    expect_err("{" MIN ", \"contact_email\": \"a@b.org\"}", "/contact_email",
               "grv.err.contact_anonymous");
    expect_err("{" MIN ", \"contact_phone\": \"+41 79 123 45 67\"}", "/contact_phone",
               "grv.err.contact_anonymous");
#define N "\"narrative\": \"x\", "
    /* confidential: email or phone */
    expect_err("{" N "\"contact_preference\": \"confidential\"}", "/contact_email",
               "grv.err.contact_missing");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_name\": \"Ann\"}",
               "/contact_email", "grv.err.contact_missing");
    expect_ok("{" N "\"contact_preference\": \"confidential\", \"contact_email\": \"a@b.org\"}");
    expect_ok("{" N "\"contact_preference\": \"confidential\", \"contact_phone\": \"0791234567\"}");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_email\": \"not-an-email\"}",
               "/contact_email", "grv.err.email");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_email\": \"a@@b.org\"}",
               "/contact_email", "grv.err.email");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_phone\": \"call me\"}",
               "/contact_phone", "grv.err.phone");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_phone\": \"1234\"}",
               "/contact_phone", "grv.err.phone");
    expect_err("{" N "\"contact_preference\": \"confidential\", \"contact_phone\": \"12345\\n6\"}",
               "/contact_phone", "grv.err.control_chars");
    /* named: a name as well */
    expect_err("{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\"}",
               "/contact_name", "grv.err.required");
    expect_ok("{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\", "
              "\"contact_name\": \"Ann Li\"}");
    expect_err("{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\", "
               "\"contact_name\": \"Ann\\nLi\"}",
               "/contact_name", "grv.err.control_chars");
    expect_err("{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\", "
               "\"contact_name\": \"Ann\\tLi\"}",
               "/contact_name", "grv.err.control_chars");
    /* preference itself */
    expect_err("{" N "\"contact_preference\": \"secret\"}", "/contact_preference", "grv.err.preference");
    expect_err("{\"narrative\": \"x\"}", "/contact_preference", "grv.err.required");
    expect_err("{" N "\"contact_preference\": \"Anonymous\"}", "/contact_preference",
               "grv.err.preference");
    /* name and email length 254 */
    char t[1024], name[300];
    memset(name, 'n', 254);
    name[254] = 0;
    snprintf(t, sizeof t, "{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\", "
             "\"contact_name\": \"%s\"}", name);
    expect_ok(t);
    memset(name, 'n', 255);
    name[255] = 0;
    snprintf(t, sizeof t, "{" N "\"contact_preference\": \"named\", \"contact_email\": \"a@b.org\", "
             "\"contact_name\": \"%s\"}", name);
    expect_err(t, "/contact_name", "grv.err.too_long");
    char email[300];
    memset(email, 'a', 60);
    email[60] = '@';
    memset(email + 61, 'b', 200);
    memcpy(email + 251, ".org", 5);          /* 255 bytes */
    snprintf(t, sizeof t, "{" N "\"contact_preference\": \"confidential\", \"contact_email\": \"%s\"}",
             email);
    expect_err(t, "/contact_email", "grv.err.email");
#undef N
}

static void test_enumerations(void **state)
{
    (void)state;
    const char *cats[] = {"general", "content_moderation", "data_protection", "whistleblowing"};
    for (int i = 0; i < GRV_CAT__COUNT; i++) {
        grv_category c;
        assert_string_equal(grv_category_name((grv_category)i), cats[i]);
        assert_int_equal(grv_category_parse(cats[i], &c), CORE_OK);
        assert_int_equal(c, i);
    }
    grv_category c;
    assert_int_equal(grv_category_parse("other", &c), CORE_INVALID);
    expect_ok("{" MIN ", \"category\": \"data_protection\"}");
    expect_ok("{" MIN ", \"category\": \"whistleblowing\"}");
    expect_err("{" MIN ", \"category\": \"misc\"}", "/category", "grv.err.category");
    expect_ok("{" MIN ", \"affected\": \"someone_else\", \"affected_count\": 1}");
    expect_err("{" MIN ", \"affected\": \"me\"}", "/affected", "grv.err.affected");
    expect_err("{" MIN ", \"affected_count\": -1}", "/affected_count", "grv.err.count");
    expect_err("{" MIN ", \"affected_count\": 10000000001}", "/affected_count", "grv.err.count");
    expect_ok("{" MIN ", \"affected_count\": 0}");
    expect_ok("{" MIN ", \"product\": \"photo-app-2\"}");
    expect_err("{" MIN ", \"product\": \"Photo App\"}", "/product", "grv.err.product");
    expect_err("{" MIN ", \"product\": \"-x\"}", "/product", "grv.err.product");
    /* channels and partners */
    const char *ch[] = {"web", "api", "phone", "letter", "email"};
    for (size_t i = 0; i < sizeof ch / sizeof *ch; i++) {
        char t[256];
        snprintf(t, sizeof t, "{" MIN ", \"channel\": \"%s\"}", ch[i]);
        expect_ok(t);
        assert_true(grv_channel_valid(ch[i]));
        assert_int_equal(grv_channel_is_staff(ch[i]), i >= 2);
        snprintf(t, sizeof t, "{" MIN ", \"channel\": \"%s\", \"partner\": \"NGO\"}", ch[i]);
        expect_err(t, "/partner", "grv.err.partner");
    }
    assert_true(grv_channel_is_staff("partner"));
    expect_err("{" MIN ", \"partner\": \"NGO\"}", "/partner", "grv.err.partner");
    expect_err("{" MIN ", \"channel\": \"partner\"}", "/partner", "grv.err.partner");
    expect_ok("{" MIN ", \"channel\": \"partner\", \"partner\": \"Access Now\"}");
    expect_err("{" MIN ", \"channel\": \"partner\", \"partner\": \"A\\nB\"}", "/partner",
               "grv.err.control_chars");
    expect_err("{" MIN ", \"channel\": \"fax\"}", "/channel", "grv.err.channel");
    assert_false(grv_channel_valid("WEB"));
    assert_false(grv_channel_valid(NULL));
    assert_true(grv_affected_valid("group"));
    assert_false(grv_affected_valid(""));
    assert_true(grv_contact_preference_valid("named"));
    /* remedy types */
    size_t n = 0;
    const char *const *types = grv_remedy_types(&n);
    assert_int_equal(n, 7);
    for (size_t i = 0; i < n; i++)
        assert_true(grv_remedy_type_valid(types[i]));
    assert_true(grv_remedy_type_valid("compensation"));
    assert_true(grv_remedy_type_valid("non_repetition"));
    assert_false(grv_remedy_type_valid("money"));
    assert_false(grv_remedy_type_valid(NULL));
}

static void test_country_language(void **state)
{
    (void)state;
    const char *good[] = {"AD", "ZW", "FR", "DE", "US", "GB", "SS", "BQ", "CW", "SX",
                          "PS", "TW", "AX", "EH", "KP", "MF", "UM"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!grv_country_valid(good[i]))
            fail_msg("refused %s", good[i]);
    /* UK/EU reserved, AN YU CS ZR TP withdrawn, XK user-assigned (Kosovo) */
    const char *bad[] = {"fr", "UK", "EU", "AN", "YU", "CS", "ZR", "TP", "XK", "F", "FRA", "",
                         "1A", "AA", "ZZ", "QQ"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (grv_country_valid(bad[i]))
            fail_msg("accepted %s", bad[i]);
    assert_false(grv_country_valid(NULL));
    /* the list has exactly 249 codes */
    int count = 0;
    char cc[3] = {0};
    for (char a = 'A'; a <= 'Z'; a++)
        for (char b = 'A'; b <= 'Z'; b++) {
            cc[0] = a;
            cc[1] = b;
            count += grv_country_valid(cc);
        }
    assert_int_equal(count, 249);
    expect_ok("{" MIN ", \"country\": \"BR\"}");
    expect_err("{" MIN ", \"country\": \"br\"}", "/country", "grv.err.country");
    expect_err("{" MIN ", \"country\": \"Brazil\"}", "/country", "grv.err.country");

    const char *langs[] = {"en", "fr", "ar", "pt-BR", "zh-Hant-TW", "sr-Latn", "es-419", "fil",
                           "de-CH-1901", "EN"};
    for (size_t i = 0; i < sizeof langs / sizeof *langs; i++)
        if (!grv_language_valid(langs[i]))
            fail_msg("refused %s", langs[i]);
    const char *badl[] = {"e", "english", "en_US", "en-", "-en", "en--US", "1en", "en-abcdefghi",
                          "en US", "", "abcd", "en-aaaaaaaa-bbbbbbbb-cccccccc-dddddddd"};
    for (size_t i = 0; i < sizeof badl / sizeof *badl; i++)
        if (grv_language_valid(badl[i]))
            fail_msg("accepted %s", badl[i]);
    expect_ok("{" MIN ", \"language\": \"ar\"}");
    expect_err("{" MIN ", \"language\": \"arabic\"}", "/language", "grv.err.language");
}

static void test_dates(void **state)
{
    (void)state;
    int64_t d;
    assert_int_equal(grv_date_parse("1970-01-01", &d), CORE_OK);
    assert_int_equal(d, 0);
    assert_int_equal(grv_date_parse("2026-01-01", &d), CORE_OK);
    assert_int_equal(d, 20454);
    assert_int_equal(grv_date_parse("2000-02-29", &d), CORE_OK);  /* 400-year leap */
    assert_int_equal(d, 11016);
    assert_int_equal(grv_date_parse("2024-02-29", &d), CORE_OK);
    assert_int_equal(grv_date_parse("1900-01-01", &d), CORE_OK);
    assert_int_equal(d, -25567);
    const char *bad[] = {"1900-02-29", "2025-02-29", "2026-13-01", "2026-00-10", "2026-04-31",
                         "2026-01-00", "2026-1-01", "26-01-01", "2026/01/01", "2026-01-01T00",
                         "1899-12-31", "", "abcd-ef-gh", "2026-01-0a", " 2026-01-01"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (grv_date_parse(bad[i], &d) == CORE_OK)
            fail_msg("accepted %s", bad[i]);
    /* civil <-> days for a run of days: consecutive and matching month lengths */
    int64_t prev = grv_days_from_civil(1999, 12, 31);
    for (int y = 2000; y <= 2030; y++)
        for (unsigned m = 1; m <= 12; m++) {
            unsigned ml = m == 2 ? ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28)
                          : (m == 4 || m == 6 || m == 9 || m == 11) ? 30 : 31;
            for (unsigned dd = 1; dd <= ml; dd++) {
                int64_t x = grv_days_from_civil(y, m, dd);
                assert_int_equal(x, prev + 1);
                prev = x;
            }
        }
    assert_int_equal(grv_day_of(0), 0);
    assert_int_equal(grv_day_of(86399), 0);
    assert_int_equal(grv_day_of(86400), 1);
    assert_int_equal(grv_day_of(-1), -1);
    assert_int_equal(grv_day_of(NOW), 20454);

    expect_ok("{" MIN ", \"incident_date\": \"2025-12-31\"}");
    expect_ok("{" MIN ", \"incident_date\": \"2026-01-01\"}");
    expect_ok("{" MIN ", \"incident_date\": \"2026-01-02\"}");    /* ahead of UTC */
    expect_err("{" MIN ", \"incident_date\": \"2026-01-03\"}", "/incident_date",
               "grv.err.future");
    expect_err("{" MIN ", \"incident_date\": \"2030-01-01\"}", "/incident_date",
               "grv.err.future");
    expect_err("{" MIN ", \"incident_date\": \"2025-02-29\"}", "/incident_date", "grv.err.date");
    expect_err("{" MIN ", \"incident_date\": \"31/12/2025\"}", "/incident_date", "grv.err.date");
    expect_err("{" MIN ", \"decision_date\": \"2025-13-01\"}", "/decision_date", "grv.err.date");
}

static void test_moderation(void **state)
{
    (void)state;
#define CM MIN ", \"category\": \"content_moderation\""
    expect_err("{" CM "}", "/decision_date", "grv.err.required");
    expect_ok("{" CM ", \"decision_date\": \"2025-07-02\"}");
    expect_err("{" CM ", \"decision_date\": \"2025-07-01\"}", "/decision_date",
               "grv.err.out_of_time");
    expect_err("{" CM ", \"decision_date\": \"2026-06-01\"}", "/decision_date",
               "grv.err.future");
    /* other categories do not apply the window */
    expect_ok("{" MIN ", \"decision_date\": \"2020-01-01\"}");
#undef CM
    /* a policy with a longer window */
    grv_intake in;
    memset(&in, 0, sizeof in);
    in.narrative = "x";
    in.contact_preference = "anonymous";
    in.category = "content_moderation";
    in.decision_date = "2025-01-01";
    grv_policy p;
    grv_policy_defaults(&p);
    grv_error e;
    assert_int_equal(grv_intake_validate(&in, NOW, &p, &e), CORE_INVALID);
    p.moderation_window_days = 400;
    assert_int_equal(grv_intake_validate(&in, NOW, &p, &e), CORE_OK);
}

static void test_collect_all(void **state)
{
    (void)state;
    grv_intake in;
    memset(&in, 0, sizeof in);
    in.country = "XX";
    in.language = "english";
    in.contact_preference = "anonymous";
    in.contact_email = "a@b.org";
    in.incident_date = "2026-02-30";
    grv_error errs[8];
    size_t n = 0;
    assert_int_equal(grv_intake_validate_all(&in, NOW, NULL, errs, 8, &n), CORE_INVALID);
    assert_int_equal(n, 5);
    const char *want[] = {"/narrative", "/country", "/incident_date", "/contact_email", "/language"};
    for (size_t i = 0; i < 5; i++)
        assert_string_equal(errs[i].field, want[i]);
    /* fewer slots than errors: the count still says how many */
    assert_int_equal(grv_intake_validate_all(&in, NOW, NULL, errs, 2, &n), CORE_INVALID);
    assert_int_equal(n, 5);
    assert_string_equal(errs[1].field, "/country");
    assert_int_equal(grv_intake_validate_all(&in, NOW, NULL, NULL, 0, &n), CORE_INVALID);
    assert_int_equal(n, 5);
    assert_int_equal(grv_intake_validate(&in, NOW, NULL, NULL), CORE_INVALID);
    in.narrative = "now fine";
    in.country = "CH";
    in.language = "de-CH";
    in.contact_email = NULL;
    in.incident_date = "2025-02-28";
    assert_int_equal(grv_intake_validate_all(&in, NOW, NULL, errs, 8, &n), CORE_OK);
    assert_int_equal(n, 0);
    grv_error e;
    assert_int_equal(grv_intake_validate(NULL, NOW, NULL, &e), CORE_INVALID);
}

static void test_sniff(void **state)
{
    (void)state;
    assert_string_equal(grv_sniff_type("%PDF-1.7\n...", 12), "application/pdf");
    assert_string_equal(grv_sniff_type("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), "image/png");
    assert_string_equal(grv_sniff_type("\xff\xd8\xff\xe0\0\x10JFIF", 10), "image/jpeg");
    assert_string_equal(grv_sniff_type("GIF89a\x01\0", 8), "image/gif");
    assert_string_equal(grv_sniff_type("GIF87a", 6), "image/gif");
    assert_string_equal(grv_sniff_type("RIFF\x24\0\0\0WEBPVP8 ", 16), "image/webp");
    assert_string_equal(grv_sniff_type("Hello,\nworld \xc3\xa9", 15), "text/plain");
    assert_string_equal(grv_sniff_type("x", 1), "text/plain");
    /* refused */
    assert_null(grv_sniff_type("", 0));
    assert_null(grv_sniff_type(NULL, 5));
    assert_null(grv_sniff_type("RIFF\x24\0\0\0WAVEfmt ", 16));      /* audio */
    assert_null(grv_sniff_type("\x89PNG\r\n", 6));                  /* truncated signature */
    assert_string_equal(grv_sniff_type("GIF90a", 6), "text/plain");  /* not a GIF */
    assert_string_equal(grv_sniff_type("%PDF", 4), "text/plain");    /* not a PDF */
    assert_null(grv_sniff_type("MZ\x90\0\x03", 5));                  /* executable */
    assert_null(grv_sniff_type("PK\x03\x04", 4));                    /* zip */
    assert_null(grv_sniff_type("\x1b[2J", 4));                       /* terminal escape */
    assert_string_equal(grv_sniff_type("a\tb\r\n\f", 6), "text/plain");
    assert_null(grv_sniff_type("text\0with nul", 13));
    assert_null(grv_sniff_type("caf\xe9", 4));                       /* Latin-1 */
    assert_null(grv_sniff_type("\xff\xd8", 2));
    /* the client's idea of the type plays no part: HTML is only text */
    assert_string_equal(grv_sniff_type("<html><script>", 14), "text/plain");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_smallest_and_full),
        cmocka_unit_test(test_shape),
        cmocka_unit_test(test_narrative),
        cmocka_unit_test(test_other_texts),
        cmocka_unit_test(test_contact),
        cmocka_unit_test(test_enumerations),
        cmocka_unit_test(test_country_language),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_moderation),
        cmocka_unit_test(test_collect_all),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests_name("grievance_intake", tests, NULL, NULL);
}
