/* grv_intake: reading and checking a grievance as the complainant (or a
 * handler recording one) submits it.
 *
 * grv_intake_from_json is strict about shape: the body must be an object,
 * every member must be known (else "/<name>", grv.err.unknown), of
 * its type (string; affected_count an integer; else grv.err.type), and
 * strings must not hide a NUL (\u0000). JSON null reads as "not given".
 * "attachments" is the one member read elsewhere (the service decodes the
 * files): it must be an array or null and is skipped here.
 *
 * grv_intake_validate checks the values without the database; an empty
 * string counts as "not given" for optional fields (HTML forms send them).
 * Texts: valid UTF-8 (forms are not checked by jansson), no control
 * characters but \n \r \t (and those only in multi-line texts), narrative
 * 1..20000 bytes and not blank, other texts <= 2000 bytes, names, e-mail
 * addresses, phone numbers and partner names single-line and <= 254 bytes.
 * Contact: anonymous allows no contact field; confidential and named need an
 * e-mail address (core_email_valid) or a phone number (>= 5 digits); named
 * needs the name too. Dates: YYYY-MM-DD, real calendar dates, not after
 * today (UTC, one day of slack for time zones ahead of UTC). A
 * content_moderation complaint needs decision_date within the policy's
 * window (DSA art. 20). channel partner needs partner; partner is refused on
 * any other channel. Which channels a route may use (web/api publicly,
 * the others only when staff record the grievance) is the service's check.
 */
#include "grievance/grievance.h"

#include <stdio.h>
#include <string.h>

#define NARRATIVE_MAX 20000
#define TEXT_MAX 2000
#define LINE_MAX_BYTES 254
#define PHONE_MIN_DIGITS 5
#define AFFECTED_MAX 10000000000LL   /* more than everyone alive */

enum ftype { F_STR, F_INT, F_SKIP_ARRAY };

typedef struct field {
    const char *name;
    enum ftype type;
    size_t off;
} field;

#define STR(m) {#m, F_STR, offsetof(grv_intake, m)}
static const field fields[] = {
    STR(narrative),        STR(category),       STR(product),        STR(product_text),
    STR(country),          STR(incident_date),  STR(decision_date),  STR(affected),
    {"affected_count", F_INT, offsetof(grv_intake, affected_count)},
    STR(rights_text),      STR(vulnerable_group), STR(outcome_sought), STR(contact_preference),
    STR(contact_name),     STR(contact_email),  STR(contact_phone),  STR(language),
    STR(channel),          STR(partner),
    {"attachments", F_SKIP_ARRAY, 0},
};

/* ---- error collection ---- */
typedef struct errs {
    grv_error *e;
    size_t max, n;
} errs;

static int add_err(errs *es, const char *fieldp, const char *key, const char *detail)
{
    if (es->n < es->max && es->e) {
        grv_error *e = &es->e[es->n];
        e->field = fieldp;
        e->key = key;
        e->detail = detail;
        e->buf[0] = '\0';
    }
    es->n++;
    return CORE_INVALID;
}

static void set_err(grv_error *err, const char *fieldp, const char *key, const char *detail)
{
    if (!err)
        return;
    err->field = fieldp;
    err->key = key;
    err->detail = detail;
    err->buf[0] = '\0';
}

/* "/" + name as a JSON pointer (~ -> ~0, / -> ~1), truncated at a UTF-8
 * boundary to fit err->buf. */
static void pointer_of(grv_error *err, const char *name)
{
    size_t o = 0, cap = sizeof err->buf;
    err->buf[o++] = '/';
    const unsigned char *p = (const unsigned char *)name;
    while (*p) {
        size_t clen = *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 1;
        size_t out = (*p == '~' || *p == '/') ? 2 : clen;
        if (strnlen((const char *)p, clen) < clen)
            break;
        if (o + out > cap - 4) {
            memcpy(err->buf + o, "...", 3);
            o += 3;
            break;
        }
        if (*p == '~' || *p == '/') {
            err->buf[o++] = '~';
            err->buf[o++] = *p == '~' ? '0' : '1';
        } else {
            memcpy(err->buf + o, p, clen);
            o += clen;
        }
        p += clen;
    }
    err->buf[o] = '\0';
    err->field = err->buf;
}

static const char *static_pointer(const char *name)
{
    static const char *const ptrs[] = {
        "/narrative",      "/category",         "/product",        "/product_text",
        "/country",        "/incident_date",    "/decision_date",  "/affected",
        "/affected_count", "/rights_text",      "/vulnerable_group", "/outcome_sought",
        "/contact_preference", "/contact_name", "/contact_email",  "/contact_phone",
        "/language",       "/channel",          "/partner",        "/attachments",
    };
    for (size_t i = 0; i < sizeof ptrs / sizeof *ptrs; i++)
        if (strcmp(ptrs[i] + 1, name) == 0)
            return ptrs[i];
    return "";
}

int grv_intake_from_json(json_t *obj, grv_intake *in, grv_error *err)
{
    if (!in)
        return CORE_INVALID;
    memset(in, 0, sizeof *in);
    if (!json_is_object(obj)) {
        set_err(err, "", "grv.err.type", "the body must be a JSON object");
        return CORE_INVALID;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const field *f = NULL;
        for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
            if (strcmp(fields[i].name, key) == 0) {
                f = &fields[i];
                break;
            }
        if (!f) {
            if (err) {
                set_err(err, NULL, "grv.err.unknown", "unknown member");
                pointer_of(err, key);
            }
            return CORE_INVALID;
        }
        const char *ptr = static_pointer(f->name);
        if (json_is_null(v))
            continue;
        switch (f->type) {
        case F_STR: {
            if (!json_is_string(v)) {
                set_err(err, ptr, "grv.err.type", "must be a string");
                return CORE_INVALID;
            }
            const char *s = json_string_value(v);
            if (strlen(s) != json_string_length(v)) {
                set_err(err, ptr, "grv.err.control_chars", "must not contain control characters");
                return CORE_INVALID;
            }
            *(const char **)(void *)((char *)in + f->off) = s;
            break;
        }
        case F_INT:
            if (!json_is_integer(v)) {
                set_err(err, ptr, "grv.err.type", "must be an integer");
                return CORE_INVALID;
            }
            in->affected_count = (int64_t)json_integer_value(v);
            break;
        case F_SKIP_ARRAY:
            if (!json_is_array(v)) {
                set_err(err, ptr, "grv.err.type", "must be an array");
                return CORE_INVALID;
            }
            break;
        }
    }
    return CORE_OK;
}

/* ---- value checks ---- */

static int given(const char *s)
{
    return s && *s;
}

/* NULL when fine; else the error key (and *detail). */
static const char *text_problem(const char *s, size_t max, int multiline, const char **detail)
{
    size_t n = strnlen(s, max + 1);
    if (n > max) {
        *detail = max == NARRATIVE_MAX ? "too long (at most 20000 bytes)"
                  : max == TEXT_MAX    ? "too long (at most 2000 bytes)"
                                       : "too long (at most 254 bytes)";
        return "grv.err.too_long";
    }
    if (!core_utf8_valid(s, n)) {
        *detail = "must be valid UTF-8";
        return "grv.err.utf8";
    }
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        int ctl = c < 0x20 || c == 0x7F ||
                  (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] >= 0x80 &&
                   (unsigned char)s[i + 1] <= 0x9F);
        if (ctl && multiline && (c == '\n' || c == '\r' || c == '\t'))
            ctl = 0;
        if (ctl) {
            *detail = multiline ? "must not contain control characters"
                                : "must be a single line without control characters";
            return "grv.err.control_chars";
        }
    }
    return NULL;
}

static void check_text(errs *es, const char *ptr, const char *s, size_t max, int multiline)
{
    if (!given(s))
        return;
    const char *detail = NULL;
    const char *key = text_problem(s, max, multiline, &detail);
    if (key)
        add_err(es, ptr, key, detail);
}

static int blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t')
            return 0;
    return 1;
}

static int phone_ok(const char *s)
{
    int digits = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= '0' && c <= '9')
            digits++;
    }
    return digits >= PHONE_MIN_DIGITS;
}

static void check_date(errs *es, const char *ptr, const char *s, int64_t now)
{
    int64_t day;
    if (grv_date_parse(s, &day) != CORE_OK) {
        add_err(es, ptr, "grv.err.date", "must be a calendar date YYYY-MM-DD");
        return;
    }
    if (day > grv_day_of(now) + 1)
        add_err(es, ptr, "grv.err.future", "must not be in the future");
}

static void validate(const grv_intake *in, int64_t now, const grv_policy *p, errs *es)
{
    grv_policy def;
    if (!p) {
        grv_policy_defaults(&def);
        p = &def;
    }

    /* narrative */
    if (!given(in->narrative) || blank(in->narrative))
        add_err(es, "/narrative", "grv.err.required", "is required");
    else
        check_text(es, "/narrative", in->narrative, NARRATIVE_MAX, 1);

    /* category */
    grv_category cat = GRV_CAT_GENERAL;
    if (given(in->category) && grv_category_parse(in->category, &cat) != CORE_OK)
        add_err(es, "/category", "grv.err.category",
                "must be one of general, content_moderation, data_protection, whistleblowing");

    /* product */
    if (given(in->product) && !core_slug_valid(in->product))
        add_err(es, "/product", "grv.err.product", "must be a product identifier from the catalogue");
    check_text(es, "/product_text", in->product_text, TEXT_MAX, 1);

    /* where and when */
    if (given(in->country) && !grv_country_valid(in->country))
        add_err(es, "/country", "grv.err.country", "must be an ISO 3166-1 alpha-2 country code");
    if (given(in->incident_date))
        check_date(es, "/incident_date", in->incident_date, now);
    if (given(in->decision_date)) {
        size_t before = es->n;
        check_date(es, "/decision_date", in->decision_date, now);
        if (es->n == before && cat == GRV_CAT_CONTENT_MODERATION &&
            grv_moderation_in_time(in->decision_date, now, p) != CORE_OK)
            add_err(es, "/decision_date", "grv.err.out_of_time",
                    "the complaint period after this decision has ended");
    } else if (cat == GRV_CAT_CONTENT_MODERATION) {
        add_err(es, "/decision_date", "grv.err.required",
                "is required for a complaint about a moderation decision");
    }

    /* who is affected */
    if (given(in->affected) && !grv_affected_valid(in->affected))
        add_err(es, "/affected", "grv.err.affected", "must be one of self, someone_else, group");
    if (in->affected_count < 0 || in->affected_count > AFFECTED_MAX)
        add_err(es, "/affected_count", "grv.err.count",
                "must be a number of people from 0 (unknown) up");

    check_text(es, "/rights_text", in->rights_text, TEXT_MAX, 1);
    check_text(es, "/vulnerable_group", in->vulnerable_group, TEXT_MAX, 1);
    check_text(es, "/outcome_sought", in->outcome_sought, TEXT_MAX, 1);

    /* contact */
    const char *pref = in->contact_preference;
    if (!given(pref)) {
        add_err(es, "/contact_preference", "grv.err.required", "is required");
    } else if (!grv_contact_preference_valid(pref)) {
        add_err(es, "/contact_preference", "grv.err.preference",
                "must be one of anonymous, confidential, named");
    } else if (strcmp(pref, "anonymous") == 0) {
        if (given(in->contact_name))
            add_err(es, "/contact_name", "grv.err.contact_anonymous",
                    "an anonymous grievance takes no contact details");
        if (given(in->contact_email))
            add_err(es, "/contact_email", "grv.err.contact_anonymous",
                    "an anonymous grievance takes no contact details");
        if (given(in->contact_phone))
            add_err(es, "/contact_phone", "grv.err.contact_anonymous",
                    "an anonymous grievance takes no contact details");
    } else {
        if (!given(in->contact_email) && !given(in->contact_phone))
            add_err(es, "/contact_email", "grv.err.contact_missing",
                    "give an e-mail address or a phone number");
        if (strcmp(pref, "named") == 0 && !given(in->contact_name))
            add_err(es, "/contact_name", "grv.err.required", "is required for a named grievance");
    }
    if (strcmp(pref ? pref : "", "anonymous") != 0) {
        check_text(es, "/contact_name", in->contact_name, LINE_MAX_BYTES, 0);
        if (given(in->contact_email) && !core_email_valid(in->contact_email))
            add_err(es, "/contact_email", "grv.err.email", "must be an e-mail address");
        if (given(in->contact_phone)) {
            size_t before = es->n;
            check_text(es, "/contact_phone", in->contact_phone, LINE_MAX_BYTES, 0);
            if (es->n == before && !phone_ok(in->contact_phone))
                add_err(es, "/contact_phone", "grv.err.phone",
                        "must be a phone number (at least 5 digits)");
        }
    }

    /* language */
    if (given(in->language) && !grv_language_valid(in->language))
        add_err(es, "/language", "grv.err.language", "must be a language tag such as en or pt-BR");

    /* channel */
    if (given(in->channel) && !grv_channel_valid(in->channel))
        add_err(es, "/channel", "grv.err.channel",
                "must be one of web, api, phone, letter, email, partner");
    int partner_channel = given(in->channel) && strcmp(in->channel, "partner") == 0;
    if (partner_channel && !given(in->partner))
        add_err(es, "/partner", "grv.err.partner", "is required when the channel is partner");
    else if (!partner_channel && given(in->partner))
        add_err(es, "/partner", "grv.err.partner", "only for the channel partner");
    else
        check_text(es, "/partner", in->partner, LINE_MAX_BYTES, 0);
}

int grv_intake_validate(const grv_intake *in, int64_t now, const grv_policy *p, grv_error *err)
{
    size_t n = 0;
    return grv_intake_validate_all(in, now, p, err, err ? 1 : 0, &n);
}

int grv_intake_validate_all(const grv_intake *in, int64_t now, const grv_policy *p,
                            grv_error *errv, size_t max, size_t *n)
{
    if (n)
        *n = 0;
    if (!in) {
        if (errv && max)
            set_err(&errv[0], "", "grv.err.invalid", "no grievance");
        if (n)
            *n = 1;
        return CORE_INVALID;
    }
    errs es = {errv, max, 0};
    validate(in, now, p, &es);
    if (n)
        *n = es.n;
    return es.n ? CORE_INVALID : CORE_OK;
}
