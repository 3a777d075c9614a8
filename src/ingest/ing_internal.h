/* ing_internal: what the ingest module's files share (not part of the API).
 *
 * - ing_field: one CSV field as found in the input (pointer into the block,
 *   length, whether it was quoted and holds "" escapes).
 * - ing_row: the record view plus the enumeration index of every validated
 *   value (so the aggregation counts enumerated values without hashing).
 * - ing_strmap: a string -> uint64 open-addressing map (group keys,
 *   interned values, merge).
 */
#ifndef HRDD_ING_INTERNAL_H
#define HRDD_ING_INTERNAL_H

#include <stdint.h>
#include <stddef.h>

#include "ingest/ingest.h"

typedef struct ing_field {
    const char *p;
    uint32_t len;
    uint8_t esc;                     /* quoted with "" inside: needs unescaping */
} ing_field;

/* Enumerated value ids: 0 = empty, k = k-th value (1-based) of the column's
 * table; ING_EID_NONE for free-text columns. */
#define ING_EID_NONE 0xFFFFu

typedef struct ing_row {
    ing_rec rec;
    uint16_t eid[ING_C__COUNT];                   /* scalar columns */
    uint16_t aeid[ING_C__COUNT][ING_MAX_ARRAY];   /* array items */
    ing_str items[5][ING_MAX_ARRAY];              /* backing of rec.arr */
    char *scratch;                                /* unescaped fields (ING_MAX_RECORD) */
    uint8_t need[ING_C__COUNT];                   /* 0: a quoted field may stay escaped */
    size_t scratch_len;
} ing_row;

/* ---- schema (ing_sor.c) ---- */
/* Validates the fields of one data row of a file in `schema` and fills row.
 * On a fault returns CORE_INVALID with *col (a column name or "") and the
 * reason written into reason. */
int ing_sor_row(ing_row *row, ing_schema schema, const ing_field *f, size_t nf,
                const char **col, char *reason, size_t reasonlen);
/* The JSON submission form: uuid, platform_name and created_at are set by
 * the database, so they may be missing (created_at then = application_date). */
int ing_sor_row_json(ing_row *row, const ing_field *f, const char **col, char *reason,
                     size_t reasonlen);
/* Header row -> schema (CORE_INVALID if it is neither layout). */
int ing_sor_header(const ing_field *f, size_t nf, ing_schema *out);
/* Number of enumerated values of column c (0 for free text); their names. */
unsigned ing_enum_count(ing_col c);
const char *ing_enum_name(ing_col c, unsigned eid); /* eid 1-based; "" for 0 */
/* Validates one value of column c given as a string (JSON path); fills
 * *eid. CORE_INVALID with a reason. */
int ing_sor_value(ing_col c, const char *p, size_t n, uint16_t *eid, char *reason,
                  size_t reasonlen);
int32_t ing_days_from_civil(int y, unsigned m, unsigned d);
/* "YYYY-MM-DD" or "YYYY-MM-DD HH:MM:SS" -> day number; CORE_INVALID if not. */
int ing_parse_date(const char *p, size_t n, int32_t *day);

/* ---- CSV (ing_csv.c) ---- */
/* Splits the record at the start of [p, p+n) into at most max fields (more
 * are counted, not stored); *used = its length including the LF (or up to
 * n). Returns the number of fields, or -1 on broken quoting (reason set;
 * *used is then the record's end by quote parity, as the framing sees it). */
long ing_csv_split(const char *p, size_t n, ing_field *f, size_t max, size_t *used,
                   const char **reason);
/* Offset after the first LF at even quote parity, or n. */
size_t ing_csv_record_end(const char *p, size_t n);
/* Unescapes a field into dst (a quoted field's "" -> "); returns length. */
size_t ing_csv_unescape(const ing_field *f, char *dst);
/* Scans [p, p+n) (starting at a record start) for complete records: returns the offset just after the last record end
 * (LF outside quotes) and the number of records in *rows; 0 if none. */
size_t ing_csv_frame(const char *p, size_t n, uint64_t *rows);
/* Offset of the first byte that makes [p, p+n) invalid UTF-8 (or holds a
 * NUL), or n if valid. */
size_t ing_utf8_check(const char *p, size_t n);

/* ---- string map (ing_agg.c) ---- */
typedef struct ing_strmap {
    struct ing_sm_slot *slots;
    struct sm_ent *ents;
    size_t cap, n, ecap;
    core_arena keys;
} ing_strmap;

void ing_strmap_init(ing_strmap *m);
void ing_strmap_cleanup(ing_strmap *m);
/* Finds or inserts key; returns a pointer to its value (0 when new), or
 * NULL on OOM. *idx (optional) = insertion index (stable). */
uint64_t *ing_strmap_get(ing_strmap *m, const char *k, size_t kn);
/* Iterates: returns 1 with key/value while i < n (insertion order). */
size_t ing_strmap_count(const ing_strmap *m);
int ing_strmap_at(const ing_strmap *m, size_t i, const char **k, size_t *kn, uint64_t *v);

/* ---- aggregation internals (ing_agg.c) ---- */
typedef struct ing_agg_local ing_agg_local;   /* one worker's tables */
ing_agg_local *ing_agg_local_new(const ing_agg *a);
void ing_agg_local_free(ing_agg_local *l);
int ing_agg_local_add(ing_agg_local *l, const ing_row *row);
/* Folds a worker's tables into the aggregation (under no lock: call after
 * the workers are joined). */
int ing_agg_local_fold(ing_agg *a, ing_agg_local *l);
/* Marks the columns some grouping set uses. */
void ing_agg_need(const ing_agg *a, uint8_t need[ING_C__COUNT]);

/* ---- JSON submissions (ing_json.c) ---- */
typedef int (*ing_row_fn)(void *ctx, ing_row *row);
typedef void (*ing_rej_fn)(void *ctx, uint64_t row, const char *col, const char *reason);
int ing_json_read(const char *name, const char *data, size_t len, ing_row *row,
                  ing_row_fn on_row, ing_rej_fn on_rej, void *ctx, uint64_t *rows,
                  char *err, size_t errlen);

#endif
