/* ing_sor: the statement-of-reasons schema of the DSA Transparency Database.
 *
 * Two dump layouts: V2 (current, 38 columns) and V1 (37 columns, without
 * content_id_ean), told apart by the header row. Each column has a kind
 * (free text, enumeration, array of an enumeration, date, Yes/No, ...) and
 * each data row is validated field by field, then against the rules that
 * join fields (a restriction must be given; the ground's explanation).
 *
 * V1 -> V2 category mapping (applied to category and category_addition of
 * every file, so consumers only ever see V2 values; the Commission's 2025
 * schema change renamed two categories and dissolved two whose keywords
 * moved to the new "cyber violence" category):
 *   STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE   -> STATEMENT_CATEGORY_OTHER_VIOLATION_TC
 *   STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS -> STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS
 *   STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR    -> STATEMENT_CATEGORY_CYBER_VIOLENCE
 *   STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT -> STATEMENT_CATEGORY_CYBER_VIOLENCE
 * Every other V1 category exists unchanged in V2. Keywords
 * (category_specification) are validated against the union of both
 * versions' lists and kept as given.
 */
#include "ingest/ing_internal.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* ---- enumerations ---- */
static const char *const E_VIS[] = {
    "DECISION_VISIBILITY_CONTENT_REMOVED", "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER", NULL};
static const char *const E_MON[] = {"DECISION_MONETARY_SUSPENSION", "DECISION_MONETARY_TERMINATION",
                                    "DECISION_MONETARY_OTHER", NULL};
static const char *const E_PROV[] = {
    "DECISION_PROVISION_PARTIAL_SUSPENSION", "DECISION_PROVISION_TOTAL_SUSPENSION",
    "DECISION_PROVISION_PARTIAL_TERMINATION", "DECISION_PROVISION_TOTAL_TERMINATION", NULL};
static const char *const E_ACC[] = {"DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED", NULL};
static const char *const E_ATYPE[] = {"ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE", NULL};
static const char *const E_GROUND[] = {"DECISION_GROUND_ILLEGAL_CONTENT",
                                       "DECISION_GROUND_INCOMPATIBLE_CONTENT", NULL};
static const char *const E_YESNO[] = {"Yes", "No", NULL};
/* V2 categories first (ids 1..16); V1-only names after, mapped below. */
static const char *const E_CAT[] = {
    "STATEMENT_CATEGORY_ANIMAL_WELFARE", "STATEMENT_CATEGORY_CONSUMER_INFORMATION",
    "STATEMENT_CATEGORY_CYBER_VIOLENCE", "STATEMENT_CATEGORY_CYBER_VIOLENCE_AGAINST_WOMEN",
    "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "STATEMENT_CATEGORY_INTELLECTUAL_PROPERTY_INFRINGEMENTS",
    "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "STATEMENT_CATEGORY_NOT_SPECIFIED_NOTICE", "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "STATEMENT_CATEGORY_PROTECTION_OF_MINORS", "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "STATEMENT_CATEGORY_SCAMS_AND_FRAUD", "STATEMENT_CATEGORY_SELF_HARM",
    "STATEMENT_CATEGORY_UNSAFE_AND_PROHIBITED_PRODUCTS", "STATEMENT_CATEGORY_VIOLENCE",
    /* V1 only */
    "STATEMENT_CATEGORY_SCOPE_OF_PLATFORM_SERVICE", "STATEMENT_CATEGORY_UNSAFE_AND_ILLEGAL_PRODUCTS",
    "STATEMENT_CATEGORY_NON_CONSENSUAL_BEHAVIOUR",
    "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT", NULL};
#define CAT_V2_COUNT 16
/* V1-only id (17..20) -> V2 id */
static const uint16_t CAT_V1_TO_V2[] = {10 /* OTHER_VIOLATION_TC */, 15 /* UNSAFE_AND_PROHIBITED */,
                                        3 /* CYBER_VIOLENCE */, 3 /* CYBER_VIOLENCE */};
static const char *const E_KEYWORD[] = {
    "KEYWORD_ANIMAL_HARM", "KEYWORD_UNLAWFUL_SALE_ANIMALS", "KEYWORD_HIDDEN_ADVERTISEMENT",
    "KEYWORD_INSUFFICIENT_INFORMATION_ON_TRADERS", "KEYWORD_MISLEADING_INFO_CONSUMER_RIGHTS",
    "KEYWORD_MISLEADING_INFO_GOODS_SERVICES", "KEYWORD_NONCOMPLIANCE_PRICING",
    "KEYWORD_CYBER_BULLYING_INTIMIDATION", "KEYWORD_CYBER_HARASSMENT", "KEYWORD_CYBER_INCITEMENT",
    "KEYWORD_CYBER_STALKING", "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING",
    "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE", "KEYWORD_BULLYING_AGAINST_GIRLS",
    "KEYWORD_CYBER_HARASSMENT_AGAINST_WOMEN", "KEYWORD_CYBER_STALKING_AGAINST_WOMEN",
    "KEYWORD_FEMALE_GENDERED_DISINFORMATION", "KEYWORD_INCITEMENT_AGAINST_WOMEN",
    "KEYWORD_NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN",
    "KEYWORD_NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN", "KEYWORD_BIOMETRIC_DATA_BREACH",
    "KEYWORD_MISSING_PROCESSING_GROUND", "KEYWORD_RIGHT_TO_BE_FORGOTTEN",
    "KEYWORD_DATA_FALSIFICATION", "KEYWORD_DEFAMATION", "KEYWORD_DISCRIMINATION",
    "KEYWORD_HATE_SPEECH", "KEYWORD_COPYRIGHT_INFRINGEMENT", "KEYWORD_DESIGN_INFRINGEMENT",
    "KEYWORD_GEOGRAPHIC_INDICATIONS_INFRINGEMENT", "KEYWORD_PATENT_INFRINGEMENT",
    "KEYWORD_TRADE_SECRET_INFRINGEMENT", "KEYWORD_TRADEMARK_INFRINGEMENT", "KEYWORD_DISINFORMATION",
    "KEYWORD_MISINFORMATION", "KEYWORD_MISINFORMATION_DISINFORMATION", "KEYWORD_VIOLATION_EU_LAW",
    "KEYWORD_VIOLATION_NATIONAL_LAW", "KEYWORD_FOREIGN_INFORMATION_MANIPULATION",
    "KEYWORD_NON_CONSENSUAL_ITEMS_DEEPFAKE", "KEYWORD_ONLINE_BULLYING_INTIMIDATION",
    "KEYWORD_STALKING", "KEYWORD_ADULT_SEXUAL_MATERIAL", "KEYWORD_IMAGE_BASED_SEXUAL_ABUSE",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS_MINORS", "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL",
    "KEYWORD_CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE", "KEYWORD_GROOMING_SEXUAL_ENTICEMENT_MINORS",
    "KEYWORD_UNSAFE_CHALLENGES", "KEYWORD_ILLEGAL_ORGANIZATIONS", "KEYWORD_RISK_ENVIRONMENTAL_DAMAGE",
    "KEYWORD_RISK_PUBLIC_HEALTH", "KEYWORD_TERRORIST_CONTENT", "KEYWORD_INAUTHENTIC_ACCOUNTS",
    "KEYWORD_INAUTHENTIC_LISTINGS", "KEYWORD_INAUTHENTIC_USER_REVIEWS",
    "KEYWORD_IMPERSONATION_ACCOUNT_HIJACKING", "KEYWORD_PHISHING", "KEYWORD_PYRAMID_SCHEMES",
    "KEYWORD_CONTENT_PROMOTING_EATING_DISORDERS", "KEYWORD_SELF_MUTILATION", "KEYWORD_SUICIDE",
    "KEYWORD_AGE_SPECIFIC_RESTRICTIONS", "KEYWORD_GEOGRAPHICAL_REQUIREMENTS",
    "KEYWORD_GOODS_SERVICES_NOT_PERMITTED", "KEYWORD_LANGUAGE_REQUIREMENTS", "KEYWORD_NUDITY",
    "KEYWORD_INSUFFICIENT_INFORMATION_TRADERS", "KEYWORD_PROHIBITED_PRODUCTS",
    "KEYWORD_UNSAFE_PRODUCTS", "KEYWORD_REGULATED_GOODS_SERVICES", "KEYWORD_DANGEROUS_TOYS",
    "KEYWORD_COORDINATED_HARM", "KEYWORD_GENDER_BASED_VIOLENCE", "KEYWORD_HUMAN_EXPLOITATION",
    "KEYWORD_HUMAN_TRAFFICKING", "KEYWORD_INCITEMENT_VIOLENCE_HATRED",
    "KEYWORD_TRAFFICKING_WOMEN_GIRLS", "KEYWORD_OTHER", NULL};
static const char *const E_CTYPE[] = {
    "CONTENT_TYPE_APP", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE", "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO", "CONTENT_TYPE_OTHER",
    NULL};
/* Territorial scope: the EEA member states. */
static const char *const E_TERR[] = {
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IS", "IT", "LI", "LT", "LU", "LV", "MT", "NL", "NO", "PL", "PT", "RO", "SE", "SI", "SK", NULL};
static const char *const E_SOURCE[] = {"SOURCE_ARTICLE_16", "SOURCE_TRUSTED_FLAGGER",
                                       "SOURCE_TYPE_OTHER_NOTIFICATION", "SOURCE_VOLUNTARY", NULL};
static const char *const E_AUTODEC[] = {"AUTOMATED_DECISION_FULLY", "AUTOMATED_DECISION_PARTIALLY",
                                        "AUTOMATED_DECISION_NOT_AUTOMATED", NULL};

typedef enum kind { K_TEXT, K_UUID, K_ENUM, K_ARRAY, K_DATE, K_LANG, K_EAN } kind;

typedef struct col_info {
    const char *name;
    kind k;
    const char *const *e;            /* enumeration (K_ENUM, K_ARRAY) */
    uint8_t required;                /* 1 = must be non-empty */
} col_info;

static const col_info COLS[ING_C__COUNT] = {
    [ING_C_UUID] = {"uuid", K_UUID, NULL, 1},
    [ING_C_DECISION_VISIBILITY] = {"decision_visibility", K_ARRAY, E_VIS, 0},
    [ING_C_DECISION_VISIBILITY_OTHER] = {"decision_visibility_other", K_TEXT, NULL, 0},
    [ING_C_END_DATE_VISIBILITY_RESTRICTION] = {"end_date_visibility_restriction", K_DATE, NULL, 0},
    [ING_C_DECISION_MONETARY] = {"decision_monetary", K_ENUM, E_MON, 0},
    [ING_C_DECISION_MONETARY_OTHER] = {"decision_monetary_other", K_TEXT, NULL, 0},
    [ING_C_END_DATE_MONETARY_RESTRICTION] = {"end_date_monetary_restriction", K_DATE, NULL, 0},
    [ING_C_DECISION_PROVISION] = {"decision_provision", K_ENUM, E_PROV, 0},
    [ING_C_END_DATE_SERVICE_RESTRICTION] = {"end_date_service_restriction", K_DATE, NULL, 0},
    [ING_C_DECISION_ACCOUNT] = {"decision_account", K_ENUM, E_ACC, 0},
    [ING_C_END_DATE_ACCOUNT_RESTRICTION] = {"end_date_account_restriction", K_DATE, NULL, 0},
    [ING_C_ACCOUNT_TYPE] = {"account_type", K_ENUM, E_ATYPE, 0},
    [ING_C_DECISION_GROUND] = {"decision_ground", K_ENUM, E_GROUND, 1},
    [ING_C_DECISION_GROUND_REFERENCE_URL] = {"decision_ground_reference_url", K_TEXT, NULL, 0},
    [ING_C_ILLEGAL_CONTENT_LEGAL_GROUND] = {"illegal_content_legal_ground", K_TEXT, NULL, 0},
    [ING_C_ILLEGAL_CONTENT_EXPLANATION] = {"illegal_content_explanation", K_TEXT, NULL, 0},
    [ING_C_INCOMPATIBLE_CONTENT_GROUND] = {"incompatible_content_ground", K_TEXT, NULL, 0},
    [ING_C_INCOMPATIBLE_CONTENT_EXPLANATION] = {"incompatible_content_explanation", K_TEXT, NULL, 0},
    [ING_C_INCOMPATIBLE_CONTENT_ILLEGAL] = {"incompatible_content_illegal", K_ENUM, E_YESNO, 0},
    [ING_C_CATEGORY] = {"category", K_ENUM, E_CAT, 1},
    [ING_C_CATEGORY_ADDITION] = {"category_addition", K_ARRAY, E_CAT, 0},
    [ING_C_CATEGORY_SPECIFICATION] = {"category_specification", K_ARRAY, E_KEYWORD, 0},
    [ING_C_CATEGORY_SPECIFICATION_OTHER] = {"category_specification_other", K_TEXT, NULL, 0},
    [ING_C_CONTENT_TYPE] = {"content_type", K_ARRAY, E_CTYPE, 1},
    [ING_C_CONTENT_TYPE_OTHER] = {"content_type_other", K_TEXT, NULL, 0},
    [ING_C_CONTENT_LANGUAGE] = {"content_language", K_LANG, NULL, 0},
    [ING_C_CONTENT_DATE] = {"content_date", K_DATE, NULL, 0},
    [ING_C_CONTENT_ID_EAN] = {"content_id_ean", K_EAN, NULL, 0},
    [ING_C_TERRITORIAL_SCOPE] = {"territorial_scope", K_ARRAY, E_TERR, 0},
    [ING_C_APPLICATION_DATE] = {"application_date", K_DATE, NULL, 1},
    [ING_C_DECISION_FACTS] = {"decision_facts", K_TEXT, NULL, 0},
    [ING_C_SOURCE_TYPE] = {"source_type", K_ENUM, E_SOURCE, 1},
    [ING_C_SOURCE_IDENTITY] = {"source_identity", K_TEXT, NULL, 0},
    [ING_C_AUTOMATED_DETECTION] = {"automated_detection", K_ENUM, E_YESNO, 1},
    [ING_C_AUTOMATED_DECISION] = {"automated_decision", K_ENUM, E_AUTODEC, 1},
    [ING_C_PLATFORM_NAME] = {"platform_name", K_TEXT, NULL, 1},
    [ING_C_PLATFORM_UID] = {"platform_uid", K_TEXT, NULL, 0},
    [ING_C_CREATED_AT] = {"created_at", K_DATE, NULL, 1},
};

const char *ing_col_name(ing_col c)
{
    return (unsigned)c < ING_C__COUNT ? COLS[c].name : "";
}

int ing_col_parse(const char *name, ing_col *out)
{
    for (int i = 0; i < ING_C__COUNT; i++)
        if (name && strcmp(name, COLS[i].name) == 0) {
            *out = (ing_col)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

int ing_col_is_array(ing_col c)
{
    return (unsigned)c < ING_C__COUNT && COLS[c].k == K_ARRAY;
}

int ing_col_is_day(ing_col c)
{
    return c == ING_C_CREATED_AT || c == ING_C_APPLICATION_DATE;
}

unsigned ing_enum_count(ing_col c)
{
    if ((unsigned)c >= ING_C__COUNT || !COLS[c].e)
        return 0;
    if (COLS[c].e == E_CAT)
        return CAT_V2_COUNT;
    unsigned n = 0;
    while (COLS[c].e[n]) n++;
    return n;
}

const char *ing_enum_name(ing_col c, unsigned eid)
{
    if (eid == 0 || (unsigned)c >= ING_C__COUNT || !COLS[c].e)
        return "";
    return COLS[c].e[eid - 1];
}

/* ---- dates ---- */
int32_t ing_days_from_civil(int y, unsigned m, unsigned d)
{
    /* Howard Hinnant's days_from_civil (public domain algorithm). */
    y -= m <= 2;
    const int era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? (unsigned)-3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int32_t)doe - 719468;
}

void ing_day_format(int32_t z, char out[11])
{
    z += 719468;
    const int era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int y = (int)yoe + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
    if (y < 0 || y > 9999) y = 0;
    snprintf(out, 11, "%04d-%02u-%02u", y, m % 100, d % 100);
}

static int dig(const char *p, size_t n, unsigned *v)
{
    unsigned x = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)p[i] - '0';
        if (c > 9) return 0;
        x = x * 10 + c;
    }
    *v = x;
    return 1;
}

int ing_parse_date(const char *p, size_t n, int32_t *day)
{
    unsigned y, m, d, hh, mm, ss;
    if (n != 10 && n != 19) return CORE_INVALID;
    if (!dig(p, 4, &y) || p[4] != '-' || !dig(p + 5, 2, &m) || p[7] != '-' || !dig(p + 8, 2, &d))
        return CORE_INVALID;
    if (n == 19) {
        if (p[10] != ' ' || !dig(p + 11, 2, &hh) || p[13] != ':' || !dig(p + 14, 2, &mm) ||
            p[16] != ':' || !dig(p + 17, 2, &ss) || hh > 23 || mm > 59 || ss > 60)
            return CORE_INVALID;
    }
    static const unsigned char mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || y > 2999 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
        return CORE_INVALID;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return CORE_INVALID;
    *day = ing_days_from_civil((int)y, m, d);
    return CORE_OK;
}

/* ---- enumeration lookup: a small hash index per table, built once ---- */
#define EIX 512
typedef struct enum_ix {
    const char *const *e;
    uint16_t slot[EIX];              /* value id; 0 = empty */
    uint8_t len[128];
} enum_ix;

static const char *const *const ALL_ENUMS[] = {E_VIS, E_MON, E_PROV, E_ACC, E_ATYPE, E_GROUND, E_YESNO,
                                               E_CAT, E_KEYWORD, E_CTYPE, E_TERR, E_SOURCE, E_AUTODEC};
#define NENUMS (sizeof ALL_ENUMS / sizeof ALL_ENUMS[0])
static enum_ix IX[NENUMS];
static pthread_once_t ix_once = PTHREAD_ONCE_INIT;

static inline unsigned ehash(const char *p, size_t n)
{
    unsigned char a = (unsigned char)p[n - 1], b = (unsigned char)p[n > 2 ? n - 3 : 0],
                  c = (unsigned char)p[n / 2];
    return ((unsigned)n * 131u + a * 31u + b * 7u + c * 17u) & (EIX - 1);
}

static const enum_ix *COL_IX[ING_C__COUNT];

static void ix_build(void)
{
    for (size_t k = 0; k < NENUMS; k++) {
        enum_ix *x = &IX[k];
        x->e = ALL_ENUMS[k];
        for (unsigned i = 0; x->e[i]; i++) {
            size_t n = strlen(x->e[i]);
            x->len[i] = (uint8_t)n;
            unsigned h = ehash(x->e[i], n);
            while (x->slot[h]) h = (h + 1) & (EIX - 1);
            x->slot[h] = (uint16_t)(i + 1);
        }
    }
    for (int c = 0; c < ING_C__COUNT; c++)
        for (size_t k = 0; k < NENUMS; k++)
            if (COLS[c].e == IX[k].e) COL_IX[c] = &IX[k];
}

/* callers have run pthread_once(&ix_once, ix_build) */
static unsigned enum_find(ing_col c, const char *p, size_t n)
{
    const enum_ix *x = COL_IX[c];
    const char *const *e = COLS[c].e;
    if (!x || n == 0 || n > 127) return 0;
    for (unsigned h = ehash(p, n);; h = (h + 1) & (EIX - 1)) {
        unsigned id = x->slot[h];
        if (!id) return 0;
        if (x->len[id - 1] == n && memcmp(e[id - 1], p, n) == 0) return id;
    }
}

static size_t enum_len(const char *const *e, unsigned id)
{
    pthread_once(&ix_once, ix_build);
    for (size_t k = 0; k < NENUMS; k++)
        if (IX[k].e == e) return IX[k].len[id - 1];
    return strlen(e[id - 1]);
}

static void why(char *reason, size_t rl, const char *what, const char *p, size_t n)
{
    if (n > 60) n = 60;
    /* the value is quoted back only when it is short printable ASCII */
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)p[i] < 0x20 || (unsigned char)p[i] > 0x7e || p[i] == '\'') {
            snprintf(reason, rl, "%s", what);
            return;
        }
    snprintf(reason, rl, "%s '%.*s'", what, (int)n, p);
}

static int uuid_ok(const char *p, size_t n)
{
    if (n != 36) return 0;
    for (size_t i = 0; i < 36; i++) {
        char c = p[i];
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (c != '-') return 0;
        } else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
            return 0;
        }
    }
    return 1;
}

/* Enumerated value with the V1 category mapping. */
static int enum_value(ing_col c, const char *p, size_t n, uint16_t *eid, char *reason, size_t rl)
{
    unsigned id = n ? enum_find(c, p, n) : 0;
    if (n && !id) {
        why(reason, rl, "unknown value", p, n);
        return CORE_INVALID;
    }
    if (COLS[c].e == E_CAT && id > CAT_V2_COUNT)
        id = CAT_V1_TO_V2[id - CAT_V2_COUNT - 1];
    *eid = (uint16_t)id;
    return CORE_OK;
}

int ing_sor_value(ing_col c, const char *p, size_t n, uint16_t *eid, char *reason, size_t rl)
{
    pthread_once(&ix_once, ix_build);
    int32_t day;
    *eid = ING_EID_NONE;
    switch (COLS[c].k) {
    case K_ENUM:
    case K_ARRAY:
        return enum_value(c, p, n, eid, reason, rl);
    case K_UUID:
        if (n && !uuid_ok(p, n)) { why(reason, rl, "not a uuid", p, n); return CORE_INVALID; }
        return CORE_OK;
    case K_DATE:
        if (n && ing_parse_date(p, n, &day) != CORE_OK) {
            why(reason, rl, "bad date", p, n);
            return CORE_INVALID;
        }
        return CORE_OK;
    case K_LANG:
        if (n && !(n == 2 && p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z')) {
            why(reason, rl, "not a language code", p, n);
            return CORE_INVALID;
        }
        return CORE_OK;
    case K_EAN:
        for (size_t i = 0; i < n; i++)
            if (p[i] < '0' || p[i] > '9') n = 1;   /* forces the fault below */
        if (n && (n < 8 || n > 14)) {
            why(reason, rl, "not an EAN", p, n);
            return CORE_INVALID;
        }
        return CORE_OK;
    case K_TEXT:
        return CORE_OK;
    }
    return CORE_OK;
}

/* ---- header ---- */
int ing_sor_header(const ing_field *f, size_t nf, ing_schema *out)
{
    ing_schema s;
    if (nf == ING_C__COUNT) s = ING_SCHEMA_V2;
    else if (nf == ING_C__COUNT - 1) s = ING_SCHEMA_V1;
    else return CORE_INVALID;
    size_t j = 0;
    for (int c = 0; c < ING_C__COUNT; c++) {
        if (s == ING_SCHEMA_V1 && c == ING_C_CONTENT_ID_EAN) continue;
        const char *name = COLS[c].name;
        size_t n = strlen(name);
        if (f[j].len != n || memcmp(f[j].p, name, n) != 0) return CORE_INVALID;
        j++;
    }
    *out = s;
    return CORE_OK;
}

/* ---- arrays: a JSON array of strings, e.g. ["AT","BE"] ---- */
static int parse_array(ing_row *row, ing_col c, ing_str *val, int esc, char *reason, size_t rl)
{
    const size_t ql = esc ? 2 : 1;   /* a quote is "" inside a still-escaped CSV field */
    static const int slot_of[ING_C__COUNT] = {
        [ING_C_DECISION_VISIBILITY] = 0, [ING_C_CATEGORY_ADDITION] = 1,
        [ING_C_CATEGORY_SPECIFICATION] = 2, [ING_C_CONTENT_TYPE] = 3,
        [ING_C_TERRITORIAL_SCOPE] = 4};
    ing_str *items = row->items[slot_of[c]];
    ing_rec *r = &row->rec;
    r->arr[c] = items;
    r->narr[c] = 0;
    const char *p = val->p, *e = val->p + val->len;
    if (val->len == 0) return CORE_OK;
    while (p < e && (*p == ' ')) p++;
    if (p == e || *p != '[') goto bad;
    p++;
    unsigned n = 0;
    for (;;) {
        while (p < e && *p == ' ') p++;
        if (p < e && *p == ']' && n == 0) { p++; break; }
        if (p + ql > e || *p != '"' || (esc && p[1] != '"')) goto bad;
        p += ql;
        const char *s = p;
        while (p < e && *p != '"' && *p != '\\') p++;
        if (p + ql > e || *p != '"' || (esc && p[1] != '"')) goto bad;   /* no escapes in enumerations */
        if (n == ING_MAX_ARRAY) {
            snprintf(reason, rl, "more than %d items", ING_MAX_ARRAY);
            return CORE_INVALID;
        }
        size_t len = (size_t)(p - s);
        uint16_t id;
        if (len == 0 || enum_value(c, s, len, &id, reason, rl) != CORE_OK) {
            if (len == 0) snprintf(reason, rl, "empty item");
            return CORE_INVALID;
        }
        /* a mapped V1 category is shown under its V2 name */
        items[n].p = COLS[c].e == E_CAT ? E_CAT[id - 1] : s;
        items[n].len = COLS[c].e == E_CAT ? enum_len(E_CAT, id) : len;
        row->aeid[c][n] = id;
        n++;
        p += ql;
        while (p < e && *p == ' ') p++;
        if (p < e && *p == ',') { p++; continue; }
        if (p < e && *p == ']') { p++; break; }
        goto bad;
    }
    while (p < e && *p == ' ') p++;
    if (p != e) goto bad;
    r->narr[c] = n;
    return CORE_OK;
bad:
    why(reason, rl, "not a JSON array of strings", val->p, val->len);
    return CORE_INVALID;
}

static int sor_row(ing_row *row, ing_schema schema, const ing_field *f, size_t nf,
                   const char **col, char *reason, size_t rl, int json);

int ing_sor_row(ing_row *row, ing_schema schema, const ing_field *f, size_t nf,
                const char **col, char *reason, size_t rl)
{
    return sor_row(row, schema, f, nf, col, reason, rl, 0);
}

int ing_sor_row_json(ing_row *row, const ing_field *f, const char **col, char *reason, size_t rl)
{
    int rc = sor_row(row, ING_SCHEMA_V2, f, ING_C__COUNT, col, reason, rl, 1);
    if (rc == CORE_OK && row->rec.created_day == INT32_MIN)
        row->rec.created_day = row->rec.application_day;
    return rc;
}

static int sor_row(ing_row *row, ing_schema schema, const ing_field *f, size_t nf,
                   const char **col, char *reason, size_t rl, int json)
{
    ing_rec *r = &row->rec;
    pthread_once(&ix_once, ix_build);
    const size_t want = schema == ING_SCHEMA_V2 ? ING_C__COUNT : ING_C__COUNT - 1;
    if (nf != want) {
        *col = "";
        snprintf(reason, rl, "expected %zu columns, got %zu", want, nf);
        return CORE_INVALID;
    }
    r->schema = schema;
    r->created_day = INT32_MIN;
    r->application_day = INT32_MIN;
    char *sp = row->scratch;
    size_t j = 0;
    for (int c = 0; c < ING_C__COUNT; c++) {
        ing_str *v = &r->f[c];
        r->arr[c] = NULL;
        r->narr[c] = 0;
        if (schema == ING_SCHEMA_V1 && c == ING_C_CONTENT_ID_EAN) {
            v->p = "";
            v->len = 0;
            row->eid[c] = ING_EID_NONE;
            continue;
        }
        const ing_field *fd = &f[j++];
        int raw_esc = 0;
        if (fd->esc && !row->need[c]) {
            v->p = fd->p;   /* not used by the consumer: left escaped */
            v->len = fd->len;
            raw_esc = 1;
        } else if (fd->esc) {
            v->p = sp;
            v->len = ing_csv_unescape(fd, sp);
            sp += v->len;
        } else {
            v->p = fd->p;
            v->len = fd->len;
        }
        const col_info *ci = &COLS[c];
        if (ci->required && v->len == 0 &&
            !(json && (c == ING_C_UUID || c == ING_C_PLATFORM_NAME || c == ING_C_CREATED_AT))) {
            *col = ci->name;
            snprintf(reason, rl, "required");
            return CORE_INVALID;
        }
        if (ci->k == K_ARRAY) {
            row->eid[c] = ING_EID_NONE;
            if (parse_array(row, (ing_col)c, v, raw_esc, reason, rl) != CORE_OK) {
                *col = ci->name;
                return CORE_INVALID;
            }
            if (ci->required && r->narr[c] == 0) {
                *col = ci->name;
                snprintf(reason, rl, "required");
                return CORE_INVALID;
            }
            continue;
        }
        if (ci->k == K_TEXT) {
            row->eid[c] = ING_EID_NONE;
            continue;
        }
        if (ci->k == K_DATE) {
            int32_t day = INT32_MIN;
            row->eid[c] = ING_EID_NONE;
            if (v->len && ing_parse_date(v->p, v->len, &day) != CORE_OK) {
                *col = ci->name;
                why(reason, rl, "bad date", v->p, v->len);
                return CORE_INVALID;
            }
            if (c == ING_C_CREATED_AT) r->created_day = day;
            else if (c == ING_C_APPLICATION_DATE) r->application_day = day;
            continue;
        }
        int vr = ci->k == K_ENUM ? enum_value((ing_col)c, v->p, v->len, &row->eid[c], reason, rl)
                                 : ing_sor_value((ing_col)c, v->p, v->len, &row->eid[c], reason, rl);
        if (vr != CORE_OK) {
            *col = ci->name;
            return CORE_INVALID;
        }
        if (c == ING_C_CATEGORY && row->eid[c]) {
            v->p = E_CAT[row->eid[c] - 1];
            v->len = enum_len(E_CAT, row->eid[c]);
        }
    }
    row->scratch_len = (size_t)(sp - row->scratch);
    /* rules joining fields */
    if (r->narr[ING_C_DECISION_VISIBILITY] == 0 && !r->f[ING_C_DECISION_MONETARY].len &&
        !r->f[ING_C_DECISION_PROVISION].len && !r->f[ING_C_DECISION_ACCOUNT].len) {
        *col = "decision_visibility";
        snprintf(reason, rl, "no restriction (decision_visibility, decision_monetary, "
                             "decision_provision or decision_account)");
        return CORE_INVALID;
    }
    if (row->eid[ING_C_DECISION_GROUND] == 1 && !r->f[ING_C_ILLEGAL_CONTENT_LEGAL_GROUND].len) {
        *col = "illegal_content_legal_ground";
        snprintf(reason, rl, "required when decision_ground is DECISION_GROUND_ILLEGAL_CONTENT");
        return CORE_INVALID;
    }
    if (row->eid[ING_C_DECISION_GROUND] == 2 && !r->f[ING_C_INCOMPATIBLE_CONTENT_GROUND].len) {
        *col = "incompatible_content_ground";
        snprintf(reason, rl, "required when decision_ground is DECISION_GROUND_INCOMPATIBLE_CONTENT");
        return CORE_INVALID;
    }
    return CORE_OK;
}
