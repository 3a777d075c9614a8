/* ingest: streaming ingestion of DSA statements of reasons (issue 5).
 *
 * Readers, from the bytes up:
 * - ing_src: a byte source (a file descriptor, a memory block, or the
 *   inflated data of a zip entry), read in large blocks; no stdio.
 * - ing_zip: a streaming zip reader over an ing_src: local file headers in
 *   order, stored and deflate entries (zlib raw inflate), data descriptors,
 *   zip64 sizes, CRC-32 checked; stops at the central directory. A nested
 *   zip is read from the inflated stream of its entry (never unpacked to
 *   disk). Faults name the offset in the archive.
 * - CSV: RFC 4180 (quoted fields, "" escapes, embedded newlines, LF or
 *   CRLF), a first header row, every row checked for its column count and
 *   for valid UTF-8. Rows are framed by a byte-class state machine over
 *   fixed-size blocks (no per-field malloc); a record longer than
 *   ING_MAX_RECORD (an unterminated quote) is rejected and reading resumes
 *   at the next line.
 * - Statements of reasons: the DSA Transparency Database schema, V2
 *   (current, 38 columns) or V1 (37 columns: no content_id_ean), detected
 *   from the header row. Every field is validated (enumerations, dates
 *   "YYYY-MM-DD HH:MM:SS", JSON arrays inside CSV, required fields and the
 *   schema's conditional rules); V1 categories are mapped onto V2 (the
 *   mapping is in ing_sor.c and docs/ARCHITECTURE.md), so consumers see V2
 *   values only. The JSON submission format (one statement object, or
 *   {"statements": [...]} as the database's API takes them) gives the same
 *   record view.
 *
 * Pipeline: ing_run reads every input in turn (plain CSV, .zip with any
 * nesting, .json), hands complete-row blocks to worker threads, and calls
 * the consumer for each valid record and for each rejected row (row number,
 * column, reason). Aggregation (ing_agg) is one consumer; "report" (stored
 * mode) is another. Memory is fixed by the block size and the number of
 * blocks in flight, whatever the input size (plus the groups of an
 * aggregation, which grow with the number of distinct keys, not rows).
 *
 * Status: CORE_OK; CORE_INVALID for a file-level fault (bad archive,
 * unknown header, truncated input): the message names the file and the
 * offset; CORE_ERR for I/O or memory failures.
 */
#ifndef HRDD_INGEST_H
#define HRDD_INGEST_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"

/* ---- columns of the dump layout (V2 order; V1 lacks ING_C_CONTENT_ID_EAN) ---- */
typedef enum ing_col {
    ING_C_UUID = 0,
    ING_C_DECISION_VISIBILITY,               /* array */
    ING_C_DECISION_VISIBILITY_OTHER,
    ING_C_END_DATE_VISIBILITY_RESTRICTION,   /* date */
    ING_C_DECISION_MONETARY,
    ING_C_DECISION_MONETARY_OTHER,
    ING_C_END_DATE_MONETARY_RESTRICTION,     /* date */
    ING_C_DECISION_PROVISION,
    ING_C_END_DATE_SERVICE_RESTRICTION,      /* date */
    ING_C_DECISION_ACCOUNT,
    ING_C_END_DATE_ACCOUNT_RESTRICTION,      /* date */
    ING_C_ACCOUNT_TYPE,
    ING_C_DECISION_GROUND,
    ING_C_DECISION_GROUND_REFERENCE_URL,
    ING_C_ILLEGAL_CONTENT_LEGAL_GROUND,
    ING_C_ILLEGAL_CONTENT_EXPLANATION,
    ING_C_INCOMPATIBLE_CONTENT_GROUND,
    ING_C_INCOMPATIBLE_CONTENT_EXPLANATION,
    ING_C_INCOMPATIBLE_CONTENT_ILLEGAL,      /* Yes / No / empty */
    ING_C_CATEGORY,
    ING_C_CATEGORY_ADDITION,                 /* array */
    ING_C_CATEGORY_SPECIFICATION,            /* array */
    ING_C_CATEGORY_SPECIFICATION_OTHER,
    ING_C_CONTENT_TYPE,                      /* array */
    ING_C_CONTENT_TYPE_OTHER,
    ING_C_CONTENT_LANGUAGE,
    ING_C_CONTENT_DATE,                      /* date */
    ING_C_CONTENT_ID_EAN,                    /* V2 only */
    ING_C_TERRITORIAL_SCOPE,                 /* array */
    ING_C_APPLICATION_DATE,                  /* date; groups by day */
    ING_C_DECISION_FACTS,
    ING_C_SOURCE_TYPE,
    ING_C_SOURCE_IDENTITY,
    ING_C_AUTOMATED_DETECTION,               /* Yes / No */
    ING_C_AUTOMATED_DECISION,
    ING_C_PLATFORM_NAME,
    ING_C_PLATFORM_UID,
    ING_C_CREATED_AT,                        /* date; groups by day */
    ING_C__COUNT
} ing_col;

const char *ing_col_name(ing_col c);             /* "decision_visibility" */
int ing_col_parse(const char *name, ing_col *out); /* CORE_INVALID if unknown */
int ing_col_is_array(ing_col c);                 /* 1 for the five JSON-array columns */
int ing_col_is_day(ing_col c);                   /* 1 for created_at, application_date */

typedef enum ing_schema { ING_SCHEMA_V1 = 1, ING_SCHEMA_V2 = 2 } ing_schema;

/* ---- record view (valid rows only; pointers valid during the callback) ---- */
typedef struct ing_str {
    const char *p;                   /* unescaped UTF-8, not NUL-terminated */
    size_t len;                      /* 0 = empty field */
} ing_str;

#define ING_MAX_ARRAY 64             /* more items in one array field: row rejected */

typedef struct ing_rec {
    ing_schema schema;               /* of the file it came from */
    uint64_t row;                    /* 1-based data row within its file */
    const char *source;              /* "day.zip:part-00000.csv.zip:chunk.csv" */
    ing_str f[ING_C__COUNT];         /* every column (V2 names; V1 categories mapped);
                                        array fields hold the raw JSON text */
    /* array columns parsed: item i of column c is arr[c][i] (unquoted) */
    ing_str *arr[ING_C__COUNT];      /* NULL for non-array columns */
    unsigned narr[ING_C__COUNT];
    int32_t created_day;             /* days since 1970-01-01 of created_at */
    int32_t application_day;         /* of application_date; INT32_MIN if empty */
} ing_rec;

/* "YYYY-MM-DD" of a day number into out (>= 11 bytes). */
void ing_day_format(int32_t day, char out[11]);

/* ---- rejects ---- */
typedef struct ing_reject {
    const char *source;              /* file (and archive entry path) */
    uint64_t row;                    /* 1-based data row; 0 = header or file level */
    const char *column;              /* column name, or "" when not one column */
    const char *reason;              /* "unknown value 'X'", "expected 38 columns, got 37" */
} ing_reject;

/* ---- the pipeline ---- */
typedef struct ing_progress {
    uint64_t rows;                   /* rows read so far (valid + rejected) */
    uint64_t bytes;                  /* input bytes consumed (compressed for archives) */
    uint64_t total_bytes;            /* sum of input file sizes (0 if unknown, e.g. stdin) */
    double seconds;                  /* since the start */
} ing_progress;

typedef struct ing_opts {
    unsigned threads;                /* parsing threads; 0 = number of CPUs (at most 8) */
    size_t block_size;               /* 0 = default (ING_BLOCK_DEFAULT) */
    /* consumer: called for every valid record. With on_record set the
       pipeline runs ONE parsing thread and calls it in input order. */
    int (*on_record)(void *ctx, const ing_rec *rec);   /* non-CORE_OK stops the run */
    void *record_ctx;
    /* rejects, in input order, from one thread at a time */
    void (*on_reject)(void *ctx, const ing_reject *rj);
    void *reject_ctx;
    /* progress: called about 4 times a second from the reading thread */
    void (*on_progress)(void *ctx, const ing_progress *p);
    void *progress_ctx;
    struct ing_agg *agg;             /* optional aggregation fed by the workers */
} ing_opts;

#define ING_BLOCK_DEFAULT (4u << 20)
#define ING_MAX_RECORD (1u << 20)

typedef struct ing_stats {
    uint64_t rows_read;              /* data rows seen (valid + rejected) */
    uint64_t rows_rejected;
    uint64_t bytes;                  /* input bytes consumed */
    unsigned files;                  /* CSV/JSON files read (archive members included) */
} ing_stats;

/* Reads every input path in turn ("-" = stdin, CSV). The kind comes from
 * the content: "PK\3\4" = zip, '{' or '[' = JSON, otherwise CSV. Returns
 * CORE_OK when every file was read to its end (rows may have been rejected:
 * see stats), CORE_INVALID on a file-level fault (err names the file and
 * the offset; processing stops), CORE_ERR on I/O or memory failure. */
int ing_run(const char *const *paths, size_t npaths, const ing_opts *opts, ing_stats *stats,
            char *err, size_t errlen);

/* Same over one memory block (tests, API uploads); name is used in messages. */
int ing_run_mem(const char *name, const void *data, size_t len, const ing_opts *opts,
                ing_stats *stats, char *err, size_t errlen);

/* ---- aggregation ----
 * An aggregation has one or more grouping sets, each a list of columns
 * (like SQL GROUPING SETS). For each valid row and each set, the row counts
 * once per combination of its values: an array column contributes each of
 * its items once (an empty array contributes "" once, so totals add up);
 * created_at / application_date group by day ("YYYY-MM-DD"). Counts are
 * exact (uint64). Thread-safe for the pipeline's workers (each worker has
 * its own table, merged at the end). */
typedef struct ing_agg ing_agg;

#define ING_MAX_BY 16                /* columns in one grouping set */
#define ING_MAX_SETS 16

int ing_agg_new(ing_agg **out);
void ing_agg_free(ing_agg *a);
/* Adds a grouping set ("platform_name,category"); "" = a set with no
 * columns (just the total). CORE_INVALID for unknown or repeated columns. */
int ing_agg_add_set(ing_agg *a, const ing_col *cols, size_t ncols);
int ing_agg_add_set_str(ing_agg *a, const char *csv_cols, char *err, size_t errlen);
/* Counts one record into every set (single-threaded use; ing_run uses the
 * per-worker path internally). */
int ing_agg_add(ing_agg *a, const ing_rec *rec);

/* Result: the JSON output contract
 *   {"rows_read": N, "rows_rejected": M,
 *    "groups": [{"<col>": "<value>", ..., "count": n}, ...]}
 * with groups sorted by set, then by values (byte order). With more than one
 * set, each group carries only its set's columns; the document then also has
 * "sets": [["col", ...], ...] (a partial result always has it, so merge
 * knows the sets). Caller json_decref()s. */
json_t *ing_agg_json(const ing_agg *a, const ing_stats *st);
/* CSV form: per set, a header "col,...,count" then one line per group
 * (sets separated by an empty line). */
int ing_agg_csv(const ing_agg *a, core_buf *out);

/* ---- partial results and merge ----
 * A partial result is the JSON above (with "sets"). Merging adds the
 * counts of equal groups and the row counters; all partials must have the
 * same sets (CORE_INVALID otherwise; err says which file). */
typedef struct ing_merge {
    json_t *sets;                    /* from the first partial */
    uint64_t rows_read, rows_rejected;
    void *groups;                    /* internal: key -> count */
} ing_merge;

void ing_merge_init(ing_merge *m);
void ing_merge_cleanup(ing_merge *m);
int ing_merge_add(ing_merge *m, const json_t *partial, char *err, size_t errlen);
json_t *ing_merge_json(const ing_merge *m);     /* same contract as ing_agg_json */
int ing_merge_csv(const ing_merge *m, core_buf *out);

/* ---- lower-level readers (used by ing_run; exposed for tests) ---- */

/* Byte source. read returns bytes read (0 = end), or -1 with err set. */
typedef struct ing_src {
    long (*read)(void *ctx, void *buf, size_t n);
    void *ctx;
    uint64_t offset;                 /* bytes returned so far */
} ing_src;

typedef struct ing_zip_entry {
    char name[512];
    uint64_t csize, usize;           /* 0 when only known from a data descriptor */
    int method;                      /* 0 stored, 8 deflate */
    uint64_t header_offset;          /* of its local header in the archive */
} ing_zip_entry;

typedef struct ing_zip ing_zip;
/* Opens a streaming reader over src (not owned). */
int ing_zip_open(ing_zip **out, ing_src *src);
void ing_zip_close(ing_zip *z);
/* Next entry: CORE_OK, CORE_NOTFOUND at the end (central directory), or
 * CORE_INVALID (err says what and where). Skips the rest of the previous
 * entry (checking its CRC). */
int ing_zip_next(ing_zip *z, ing_zip_entry *e, char *err, size_t errlen);
/* Reads the current entry's data: bytes read, 0 at its end (CRC and sizes
 * checked), -1 on a fault (ing_zip_error). */
long ing_zip_read(ing_zip *z, void *buf, size_t n);
const char *ing_zip_error(const ing_zip *z);
/* An ing_src over the current entry (for nested archives and CSV members). */
void ing_zip_entry_src(ing_zip *z, ing_src *out);

/* Validation of one statement given as JSON (submission format); fills a
 * reject (first fault) and returns CORE_INVALID, or CORE_OK. */
int ing_sor_check_json(const json_t *stmt, char *column, size_t collen, char *reason,
                       size_t reasonlen);

#endif
