/* demo_transparency: the transparency part of `hrdd demo`'s seed. Kestrel
 * Social gets two weeks of synthetic statements of reasons (the DSA dump
 * CSV layout, V2), generated here from a fixed seed with plausible shares
 * (mostly terms-and-conditions decisions, mostly automated, a few notices
 * and trusted flaggers) and fed through the real stored-ingest path
 * (rpt_ingest_mem: the same validation and aggregation as a dump), plus a
 * half-year of government requests through the documented import. The
 * generator is a small xorshift: demo data, not secrets.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/demo.h"
#include "report/report.h"

#define DEMO_DAYS 14
#define DEMO_PER_DAY 240

static const char header[] =
    "uuid,decision_visibility,decision_visibility_other,end_date_visibility_restriction,"
    "decision_monetary,decision_monetary_other,end_date_monetary_restriction,decision_provision,"
    "end_date_service_restriction,decision_account,end_date_account_restriction,account_type,"
    "decision_ground,decision_ground_reference_url,illegal_content_legal_ground,"
    "illegal_content_explanation,incompatible_content_ground,incompatible_content_explanation,"
    "incompatible_content_illegal,category,category_addition,category_specification,"
    "category_specification_other,content_type,content_type_other,content_language,content_date,"
    "content_id_ean,territorial_scope,application_date,decision_facts,source_type,source_identity,"
    "automated_detection,automated_decision,platform_name,platform_uid,created_at\n";

typedef struct demo_cat {
    const char *category, *keyword;
    int weight, illegal_pct;         /* share of decisions on the ground of illegality */
} demo_cat;

static const demo_cat cats[] = {
    {"STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "KEYWORD_INAUTHENTIC_ACCOUNTS", 26, 10},
    {"STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH", "KEYWORD_HATE_SPEECH", 18, 25},
    {"STATEMENT_CATEGORY_OTHER_VIOLATION_TC", "KEYWORD_NUDITY", 16, 0},
    {"STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS", 10, 15},
    {"STATEMENT_CATEGORY_CYBER_VIOLENCE", "KEYWORD_CYBER_HARASSMENT", 9, 20},
    {"STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS", "KEYWORD_COPYRIGHT_INFRINGEMENT", 8, 90},
    {"STATEMENT_CATEGORY_VIOLENCE", "KEYWORD_INCITEMENT_VIOLENCE_HATRED", 5, 30},
    {"STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS", "KEYWORD_RIGHT_TO_BE_FORGOTTEN", 3, 80},
    {"STATEMENT_CATEGORY_SELF_HARM", "KEYWORD_SUICIDE", 3, 0},
    {"STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
     "KEYWORD_MISINFORMATION_DISINFORMATION", 2, 10},
};

static const char *const restrictions[] = {
    "\"[\"\"DECISION_VISIBILITY_CONTENT_REMOVED\"\"]\",,,,,,,,,",
    "\"[\"\"DECISION_VISIBILITY_CONTENT_DEMOTED\"\"]\",,,,,,,,,",
    "\"[\"\"DECISION_VISIBILITY_CONTENT_LABELLED\"\"]\",,,,,,,,,",
    "\"[\"\"DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED\"\"]\",,,,,,,,,",
    ",,,,,,,,DECISION_ACCOUNT_SUSPENDED,",
    "\"[\"\"DECISION_VISIBILITY_CONTENT_REMOVED\"\"]\",,,,,,,,DECISION_ACCOUNT_TERMINATED,",
    ",,,DECISION_MONETARY_SUSPENSION,,,,,,",
};
static const int restriction_w[] = {46, 18, 10, 8, 9, 5, 4};

static const char *const scopes[] = {
    "\"[\"\"AT\"\",\"\"BE\"\",\"\"BG\"\",\"\"CY\"\",\"\"CZ\"\",\"\"DE\"\",\"\"DK\"\",\"\"EE\"\",\"\"ES\"\","
    "\"\"FI\"\",\"\"FR\"\",\"\"GR\"\",\"\"HR\"\",\"\"HU\"\",\"\"IE\"\",\"\"IT\"\",\"\"LT\"\",\"\"LU\"\","
    "\"\"LV\"\",\"\"MT\"\",\"\"NL\"\",\"\"PL\"\",\"\"PT\"\",\"\"RO\"\",\"\"SE\"\",\"\"SI\"\",\"\"SK\"\"]\"",
    "\"[\"\"DE\"\"]\"", "\"[\"\"FR\"\"]\"", "\"[\"\"PL\"\"]\"", "\"[\"\"DE\"\",\"\"AT\"\"]\"",
};
static const int scope_w[] = {62, 14, 10, 7, 7};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t next(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int pick(const int *w, int n)
{
    int total = 0;
    for (int i = 0; i < n; i++)
        total += w[i];
    int v = (int)(next() % (uint64_t)total);
    for (int i = 0; i < n; i++) {
        if (v < w[i])
            return i;
        v -= w[i];
    }
    return n - 1;
}

static int pct(int p)
{
    return (int)(next() % 100) < p;
}

static int demo_csv(core_buf *b)
{
    int rc = core_buf_puts(b, header);
    time_t now = time(NULL);
    int cw[sizeof cats / sizeof *cats];
    for (size_t i = 0; i < sizeof cats / sizeof *cats; i++)
        cw[i] = cats[i].weight;
    for (int d = DEMO_DAYS; rc == CORE_OK && d >= 1; d--) {
        time_t t = now - (time_t)d * 86400;
        struct tm tm;
        gmtime_r(&t, &tm);
        char day[11];
        strftime(day, sizeof day, "%Y-%m-%d", &tm);
        int n = DEMO_PER_DAY + (int)(next() % 60) - 30;
        for (int i = 0; rc == CORE_OK && i < n; i++) {
            const demo_cat *c = &cats[pick(cw, (int)(sizeof cats / sizeof *cats))];
            int illegal = pct(c->illegal_pct);
            int src = (int)(next() % 100);
            const char *source = src < 84 ? "SOURCE_VOLUNTARY"
                                 : src < 95 ? "SOURCE_ARTICLE_16"
                                 : src < 98 ? "SOURCE_TRUSTED_FLAGGER" : "SOURCE_TYPE_OTHER_NOTIFICATION";
            int manual = !strcmp(source, "SOURCE_VOLUNTARY") ? pct(12) : pct(55);
            const char *decision = manual ? "AUTOMATED_DECISION_NOT_AUTOMATED"
                                   : pct(8) ? "AUTOMATED_DECISION_PARTIALLY" : "AUTOMATED_DECISION_FULLY";
            const char *detect = !strcmp(source, "SOURCE_VOLUNTARY") && !manual ? "Yes" : pct(20) ? "Yes" : "No";
            uint64_t u1 = next(), u2 = next();
            rc = core_buf_printf(
                b,
                "%08x-%04x-4%03x-a%03x-%012llx,%s,%s,%s,,%s,%s,%s,%s,,%s,,\"[\"\"%s\"\"]\",,"
                "\"[\"\"%s\"\"]\",,%s,,,%s,%s 00:00:00,\"Automated and human review of the content.\","
                "%s,,%s,%s,Kestrel Social,ks-%llu,%s 00:00:00\n",
                (unsigned)(u1 >> 32), (unsigned)(u1 & 0xffff), (unsigned)((u1 >> 16) & 0xfff),
                (unsigned)(u2 & 0xfff), (unsigned long long)(u2 >> 16 & 0xffffffffffffull),
                restrictions[pick(restriction_w, 7)],
                pct(85) ? "ACCOUNT_TYPE_PRIVATE" : "ACCOUNT_TYPE_BUSINESS",
                illegal ? "DECISION_GROUND_ILLEGAL_CONTENT" : "DECISION_GROUND_INCOMPATIBLE_CONTENT",
                illegal ? "Applicable national law" : "",
                illegal ? "The content is illegal under the law applicable in the member state." : "",
                illegal ? "" : "Community guidelines",
                illegal ? "" : "The content breaks Kestrel Social's community guidelines.",
                c->category, c->keyword,
                pct(70) ? "CONTENT_TYPE_TEXT" : pct(60) ? "CONTENT_TYPE_IMAGE" : "CONTENT_TYPE_VIDEO",
                pct(50) ? "EN" : pct(50) ? "DE" : "FR",
                scopes[pick(scope_w, 5)], day, source, detect, decision,
                (unsigned long long)(next() % 100000000ull), day);
        }
    }
    return rc;
}

int demo_seed_transparency(cli_run *r, store *s, const demo_staff *staff)
{
    core_buf b;
    core_buf_init(&b);
    int rc = demo_csv(&b);
    rpt_ingest_result res = {0};
    char err[256] = "";
    if (rc == CORE_OK) {
        rpt_ingest_opts o = {.org_id = staff->org_id, .source_name = "demo statements of reasons"};
        rc = rpt_ingest_mem(s, &o, "demo.csv", b.data, b.len, &res, err, sizeof err);
    }
    core_buf_cleanup(&b);
    if (rc != CORE_OK || res.rows_rejected) {
        cli_err(r, "demo statements of reasons: %s %s (%llu rejected)", core_strerror(rc), err,
                (unsigned long long)res.rows_rejected);
        return rc != CORE_OK ? rc : CORE_ERR;
    }
    /* the last complete half-year of government requests */
    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    int y = tm.tm_year + 1900, h2 = tm.tm_mon >= 6;
    char from[24], to[24];
    if (h2) {
        snprintf(from, sizeof from, "%04d-01-01", y);
        snprintf(to, sizeof to, "%04d-06-30", y);
    } else {
        snprintf(from, sizeof from, "%04d-07-01", y - 1);
        snprintf(to, sizeof to, "%04d-12-31", y - 1);
    }
    char csv[2048];
    snprintf(csv, sizeof csv,
             RPT_GOV_CSV_HEADER "\n"
             "user_data,%s,%s,DE,law_enforcement,court_order,142,198,64.8\n"
             "user_data,%s,%s,DE,law_enforcement,emergency,9,9,88.9\n"
             "user_data,%s,%s,FR,judicial,warrant,61,77,55.7\n"
             "user_data,%s,%s,PL,law_enforcement,subpoena,23,31,39.1\n"
             "user_data,%s,%s,US,law_enforcement,mlat,12,15,25\n"
             "removal,%s,%s,DE,regulatory,administrative_order,31,54,83.9\n"
             "removal,%s,%s,FR,judicial,court_order,8,11,100\n"
             "removal,%s,%s,TR,executive,administrative_order,17,40,0\n",
             from, to, from, to, from, to, from, to, from, to, from, to, from, to, from, to);
    store_conn *c;
    rc = store_acquire(s, &c);
    if (rc != CORE_OK)
        return rc;
    size_t stored = 0;
    rpt_gov_error e;
    rc = rpt_gov_import(c, staff->org_id, csv, strlen(csv), &stored, &e);
    store_release(s, c);
    if (rc != CORE_OK)
        cli_err(r, "demo government requests: line %zu %s %s", e.line, e.field, e.reason);
    return rc;
}
