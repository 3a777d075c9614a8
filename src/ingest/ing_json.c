/* ing_json: statements of reasons in the JSON submission format.
 *
 * The database's API takes one statement object, or a batch
 * {"statements": [ ... ]}; a bare array of statements is accepted too.
 * Each statement becomes the same row view as a CSV row (V2 columns):
 * scalar members are strings, the five array columns JSON arrays of
 * strings, "puid" is the platform_uid, "content_id": {"EAN-13": "..."} the
 * content_id_ean; then the same validation runs (ing_sor_row_json), so a
 * JSON statement and its CSV dump row are judged alike. Rejects carry the
 * statement's 1-based position in the batch as the row.
 */
#include "ingest/ing_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Builds the fields of one statement into buf; CORE_INVALID with col/reason. */
static int fields_of(const json_t *st, ing_field *f, char *buf, size_t cap, const char **col,
                     char *reason, size_t rl)
{
    size_t used = 0;
    if (!json_is_object(st)) {
        *col = "";
        snprintf(reason, rl, "a statement must be a JSON object");
        return CORE_INVALID;
    }
    for (int c = 0; c < ING_C__COUNT; c++) {
        const char *name = ing_col_name((ing_col)c);
        const json_t *v = json_object_get(st, name);
        if (c == ING_C_PLATFORM_UID && !v) v = json_object_get(st, "puid");
        if (c == ING_C_CONTENT_ID_EAN && !v) {
            const json_t *cid = json_object_get(st, "content_id");
            v = json_is_object(cid) ? json_object_get(cid, "EAN-13") : NULL;
        }
        f[c].p = "";
        f[c].len = 0;
        f[c].esc = 0;
        if (!v || json_is_null(v)) continue;
        if (ing_col_is_array((ing_col)c)) {
            if (!json_is_array(v)) {
                *col = name;
                snprintf(reason, rl, "must be an array of strings");
                return CORE_INVALID;
            }
            char *start = buf + used;
            size_t i;
            const json_t *it;
            int n = snprintf(buf + used, cap - used, "[");
            used += (size_t)n;
            json_array_foreach(v, i, it) {
                const char *s = json_string_value(it);
                if (!s || strchr(s, '"') || strchr(s, '\\') || used + strlen(s) + 4 >= cap) {
                    *col = name;
                    snprintf(reason, rl, "must be an array of strings");
                    return CORE_INVALID;
                }
                n = snprintf(buf + used, cap - used, "%s\"%s\"", i ? "," : "", s);
                used += (size_t)n;
            }
            if (used + 2 >= cap) return CORE_NOMEM;
            buf[used++] = ']';
            f[c].p = start;
            f[c].len = (uint32_t)(buf + used - start);
            continue;
        }
        if (!json_is_string(v)) {
            *col = name;
            snprintf(reason, rl, "must be a string");
            return CORE_INVALID;
        }
        size_t n = json_string_length(v);
        const char *s = json_string_value(v);
        if (!core_utf8_valid(s, n)) {
            *col = name;
            snprintf(reason, rl, "invalid UTF-8");
            return CORE_INVALID;
        }
        f[c].p = s;
        f[c].len = (uint32_t)n;
    }
    return CORE_OK;
}

int ing_json_read(const char *name, const char *data, size_t len, ing_row *row, ing_row_fn on_row,
                  ing_rej_fn on_rej, void *ctx, uint64_t *rows, char *err, size_t errlen)
{
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    *rows = 0;
    if (!doc) {
        snprintf(err, errlen, "%s: offset %d: not JSON (%s)", name, je.position, je.text);
        return CORE_INVALID;
    }
    const json_t *list = doc;
    if (json_is_object(doc) && json_is_array(json_object_get(doc, "statements")))
        list = json_object_get(doc, "statements");
    size_t n = json_is_array(list) ? json_array_size(list) : 1;
    int rc = CORE_OK;
    for (size_t i = 0; i < n && rc == CORE_OK; i++) {
        const json_t *st = json_is_array(list) ? json_array_get(list, i) : list;
        ing_field f[ING_C__COUNT];
        const char *col = "";
        char reason[160];
        (*rows)++;
        /* array texts go to the upper half of the scratch; unescaping uses none */
        char *abuf = row->scratch + ING_MAX_RECORD;
        int v = fields_of(st, f, abuf, ING_MAX_RECORD, &col, reason, sizeof reason);
        if (v == CORE_NOMEM) {
            col = "";
            snprintf(reason, sizeof reason, "statement too large");
            v = CORE_INVALID;
        }
        if (v == CORE_OK) {
            row->rec.row = i + 1;
            row->rec.source = name;
            v = ing_sor_row_json(row, f, &col, reason, sizeof reason);
        }
        if (v != CORE_OK) {
            on_rej(ctx, i + 1, col, reason);
            continue;
        }
        rc = on_row(ctx, row);
        if (rc != CORE_OK) snprintf(err, errlen, "%s: the consumer stopped the run", name);
    }
    json_decref(doc);
    return rc;
}

int ing_sor_check_json(const json_t *stmt, char *column, size_t collen, char *reason,
                       size_t reasonlen)
{
    ing_row *row = calloc(1, sizeof *row);
    char *scratch = malloc(ING_MAX_RECORD);
    if (!row || !scratch) {
        free(row);
        free(scratch);
        return CORE_NOMEM;
    }
    row->scratch = scratch;
    ing_field f[ING_C__COUNT];
    const char *col = "";
    int rc = fields_of(stmt, f, scratch, ING_MAX_RECORD, &col, reason, reasonlen);
    if (rc == CORE_OK) rc = ing_sor_row_json(row, f, &col, reason, reasonlen);
    if (rc == CORE_NOMEM) {
        snprintf(reason, reasonlen, "statement too large");
        rc = CORE_INVALID;
    }
    snprintf(column, collen, "%s", rc == CORE_OK ? "" : col);
    free(scratch);
    free(row);
    return rc;
}
