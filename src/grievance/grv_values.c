/* grv_values: the closed vocabularies of the grievance mechanism and the
 * checks on single values: categories, channels, who is affected, contact
 * preferences, remedy types, countries (the current ISO 3166-1 alpha-2
 * codes, 249 of them, built in so no table lives in the database), language
 * tag shape, and the sniffing of uploaded files from their magic bytes.
 */
#include "grievance/grievance.h"

#include <string.h>

static int in_list(const char *s, const char *const *list, size_t n)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return 1;
    return 0;
}
#define IN(s, list) in_list((s), (list), sizeof(list) / sizeof *(list))

/* ---- categories ---- */
static const char *const category_names[GRV_CAT__COUNT] = {"general", "content_moderation",
                                                           "data_protection", "whistleblowing"};

const char *grv_category_name(grv_category c)
{
    return (unsigned)c < GRV_CAT__COUNT ? category_names[c] : "unknown";
}

int grv_category_parse(const char *s, grv_category *out)
{
    if (!s || !out)
        return CORE_INVALID;
    for (int i = 0; i < GRV_CAT__COUNT; i++)
        if (strcmp(s, category_names[i]) == 0) {
            *out = (grv_category)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

/* ---- small enumerations ---- */
static const char *const channels[] = {"web", "api", "phone", "letter", "email", "partner"};
static const char *const staff_channels[] = {"phone", "letter", "email", "partner"};
static const char *const affected[] = {"self", "someone_else", "group"};
static const char *const contact_prefs[] = {"anonymous", "confidential", "named"};

int grv_channel_valid(const char *ch) { return IN(ch, channels); }
int grv_channel_is_staff(const char *ch) { return IN(ch, staff_channels); }
int grv_affected_valid(const char *s) { return IN(s, affected); }
int grv_contact_preference_valid(const char *s) { return IN(s, contact_prefs); }

/* ---- remedies (UNGP 25 commentary; Basic Principles on the Right to a
 * Remedy, 2005: restitution, compensation, rehabilitation, satisfaction,
 * guarantees of non-repetition) ---- */
static const char *const remedy_types[] = {"apology",         "restitution",    "rehabilitation",
                                           "compensation",    "data_correction", "non_repetition",
                                           "other"};

int grv_remedy_type_valid(const char *type) { return IN(type, remedy_types); }

const char *const *grv_remedy_types(size_t *n)
{
    if (n)
        *n = sizeof remedy_types / sizeof *remedy_types;
    return remedy_types;
}

/* ---- countries: ISO 3166-1 alpha-2, officially assigned codes ---- */
static const char countries[] =
    "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ "
    "BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ "
    "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ "
    "DE DJ DK DM DO DZ "
    "EC EE EG EH ER ES ET "
    "FI FJ FK FM FO FR "
    "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY "
    "HK HM HN HR HT HU "
    "ID IE IL IM IN IO IQ IR IS IT "
    "JE JM JO JP "
    "KE KG KH KI KM KN KP KR KW KY KZ "
    "LA LB LC LI LK LR LS LT LU LV LY "
    "MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ "
    "NA NC NE NF NG NI NL NO NP NR NU NZ "
    "OM "
    "PA PE PF PG PH PK PL PM PN PR PS PT PW PY "
    "QA "
    "RE RO RS RU RW "
    "SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ "
    "TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ "
    "UA UG UM US UY UZ "
    "VA VC VE VG VI VN VU "
    "WF WS "
    "YE YT "
    "ZA ZM ZW";

int grv_country_valid(const char *cc)
{
    if (!cc || strnlen(cc, 3) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' || cc[1] > 'Z')
        return 0;
    for (const char *p = countries; *p; p += (p[2] ? 3 : 2))
        if (p[0] == cc[0] && p[1] == cc[1])
            return 1;
    return 0;
}

/* ---- language tags: the shape of BCP 47 (not the registry) ---- */
static int is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static int is_alnum(char c)
{
    return is_alpha(c) || (c >= '0' && c <= '9');
}

int grv_language_valid(const char *tag)
{
    if (!tag)
        return 0;
    size_t n = strnlen(tag, 36);
    if (n < 2 || n > 35)
        return 0;
    size_t i = 0, len = 0;
    while (i < n && tag[i] != '-') {
        if (!is_alpha(tag[i]))
            return 0;
        i++;
        len++;
    }
    if (len < 2 || len > 3)
        return 0;
    while (i < n) {                       /* at a '-' */
        i++;
        len = 0;
        while (i < n && tag[i] != '-') {
            if (!is_alnum(tag[i]))
                return 0;
            i++;
            len++;
        }
        if (len < 1 || len > 8)
            return 0;
    }
    return 1;
}

/* ---- uploaded files ---- */
const char *grv_sniff_type(const void *data, size_t n)
{
    const unsigned char *d = data;
    if (!d || n == 0)
        return NULL;
    if (n >= 5 && memcmp(d, "%PDF-", 5) == 0)
        return "application/pdf";
    if (n >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0)
        return "image/png";
    if (n >= 3 && d[0] == 0xFF && d[1] == 0xD8 && d[2] == 0xFF)
        return "image/jpeg";
    if (n >= 6 && (memcmp(d, "GIF87a", 6) == 0 || memcmp(d, "GIF89a", 6) == 0))
        return "image/gif";
    if (n >= 12 && memcmp(d, "RIFF", 4) == 0 && memcmp(d + 8, "WEBP", 4) == 0)
        return "image/webp";
    if (!core_utf8_valid((const char *)d, n))
        return NULL;
    for (size_t i = 0; i < n; i++)       /* text, not binary that happens to be UTF-8 */
        if (d[i] < 0x20 && d[i] != '\t' && d[i] != '\n' && d[i] != '\v' && d[i] != '\f' &&
            d[i] != '\r')
            return NULL;
    return "text/plain";
}
