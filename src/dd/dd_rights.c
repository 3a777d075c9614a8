/* dd_rights: the rights catalogue through dd.h. The tables themselves are
 * generated at build time from rights.json (gen_rights.py ->
 * dd_rights_table.c); this file only looks things up in them. Lookups are
 * linear: the catalogue has about a hundred entries and callers (forms,
 * validation of an impact's rights) make a handful of lookups per request.
 */
#include "dd/dd.h"

#include <string.h>

#include "dd/dd_rights_table.h"

const dd_right *dd_rights(size_t *n)
{
    if (n)
        *n = dd_right_count;
    return dd_right_table;
}

const dd_right *dd_right_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < dd_right_count; i++) {
        if (strcmp(dd_right_table[i].id, id) == 0)
            return &dd_right_table[i];
    }
    return NULL;
}

int dd_right_has_tag(const dd_right *r, const char *tag)
{
    if (!r || !tag)
        return 0;
    for (size_t i = 0; i < r->ntags; i++) {
        if (strcmp(r->tags[i], tag) == 0)
            return 1;
    }
    return 0;
}

size_t dd_rights_with_tag(const char *tag, const dd_right **out, size_t max)
{
    if (!dd_tag_valid(tag))
        return 0;
    size_t n = 0;
    for (size_t i = 0; i < dd_right_count; i++) {
        if (!dd_right_has_tag(&dd_right_table[i], tag))
            continue;
        if (out && n < max)
            out[n] = &dd_right_table[i];
        n++;
    }
    return n;
}

const char *const *dd_tags(size_t *n)
{
    if (n)
        *n = dd_tag_count;
    return dd_tag_table;
}

int dd_tag_valid(const char *tag)
{
    return dd_tag_key(tag) != NULL;
}

const char *dd_tag_key(const char *tag)
{
    if (!tag)
        return NULL;
    for (size_t i = 0; i < dd_tag_count; i++) {
        if (strcmp(dd_tag_table[i], tag) == 0)
            return dd_tag_key_table[i];
    }
    return NULL;
}

const char *dd_tag_label(const char *tag)
{
    if (!tag)
        return NULL;
    for (size_t i = 0; i < dd_tag_count; i++) {
        if (strcmp(dd_tag_table[i], tag) == 0)
            return dd_tag_label_table[i];
    }
    return NULL;
}

const dd_instrument *dd_instruments(size_t *n)
{
    if (n)
        *n = dd_instrument_count;
    return dd_instrument_table;
}

const dd_instrument *dd_instrument_find(const char *id)
{
    if (!id)
        return NULL;
    for (size_t i = 0; i < dd_instrument_count; i++) {
        if (strcmp(dd_instrument_table[i].id, id) == 0)
            return &dd_instrument_table[i];
    }
    return NULL;
}
