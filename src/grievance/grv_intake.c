/* grv_intake: validation of a grievance intake (temporary: being written). */
#include "grievance/grievance.h"

#include <string.h>

int grv_intake_from_json(json_t *obj, grv_intake *in, grv_error *err)
{
    if (!in)
        return CORE_INVALID;
    memset(in, 0, sizeof *in);
    if (!json_is_object(obj)) {
        if (err)
            *err = (grv_error){.field = "", .key = "grv.err.type", .detail = "must be an object"};
        return CORE_INVALID;
    }
    json_t *n = json_object_get(obj, "narrative");
    json_t *c = json_object_get(obj, "contact_preference");
    in->narrative = json_string_value(n);
    in->contact_preference = json_string_value(c);
    return CORE_OK;
}

int grv_intake_validate(const grv_intake *in, int64_t now, const grv_policy *p, grv_error *err)
{
    (void)now;
    (void)p;
    if (!in || !in->narrative || !*in->narrative) {
        if (err)
            *err = (grv_error){.field = "/narrative", .key = "grv.err.required", .detail = "required"};
        return CORE_INVALID;
    }
    return CORE_OK;
}

static const char *const remedy_types[] = {"apology", "restitution", "rehabilitation",
                                           "compensation", "data_correction", "non_repetition",
                                           "other"};

int grv_remedy_type_valid(const char *type)
{
    if (!type)
        return 0;
    for (size_t i = 0; i < sizeof remedy_types / sizeof *remedy_types; i++)
        if (strcmp(type, remedy_types[i]) == 0)
            return 1;
    return 0;
}

const char *const *grv_remedy_types(size_t *n)
{
    if (n)
        *n = sizeof remedy_types / sizeof *remedy_types;
    return remedy_types;
}

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

const char *grv_sniff_type(const void *data, size_t n)
{
    (void)data;
    (void)n;
    return NULL;
}
int grv_country_valid(const char *cc) { (void)cc; return 0; }
int grv_language_valid(const char *tag) { (void)tag; return 0; }
int grv_channel_valid(const char *ch) { (void)ch; return 0; }
int grv_channel_is_staff(const char *ch) { (void)ch; return 0; }
int grv_affected_valid(const char *s) { (void)s; return 0; }
int grv_contact_preference_valid(const char *s) { (void)s; return 0; }
