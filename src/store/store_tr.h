/* store_tr: the storage interface of transparency (issue 5): the seen-statement
 * set, per-day aggregates of statements of reasons, kept rows, ingest runs and
 * government requests; part of the store module's interface (included by
 * store.h, never on its own). Tables: schema_tr.h. Every call is scoped by
 * org_id. Days are "YYYY-MM-DD" text (compares in date order).
 */
#ifndef HRDD_STORE_TR_H
#define HRDD_STORE_TR_H

/* Marks a statement seen: CORE_OK when new, CORE_CONFLICT when the org had it. */
int store_tr_seen_add(store_conn *c, int64_t org_id, const char *sid);

/* One aggregate cell (a tr_agg row). */
typedef struct store_tr_agg {
    const char *day;                 /* "YYYY-MM-DD"; NULL in period sums */
    const char *platform;
    const char *ground;              /* DECISION_GROUND_... */
    const char *category;            /* STATEMENT_CATEGORY_... (V2 names) */
    const char *source;              /* SOURCE_... */
    int auto_detect;                 /* 0/1 */
    const char *auto_decision;       /* AUTOMATED_DECISION_... */
    const char *dim;                 /* "total", "keyword", "restriction", ... */
    const char *value;
    int64_t n;
} store_tr_agg;

/* Adds a->n to the cell (creating it). */
int store_tr_agg_add(store_conn *c, int64_t org_id, const store_tr_agg *a);
/* Sums of every cell over the days from..to (inclusive; NULL = open), summed
 * over days (day = NULL in the results), ordered by the key. */
int store_tr_agg_sum(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                     const char *to, store_tr_agg **out, size_t *n);
/* Statements per day (dim 'total') over from..to, by day. */
typedef struct store_tr_day {
    const char *day;
    int64_t n;
} store_tr_day;
int store_tr_agg_trend(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                       const char *to, store_tr_day **out, size_t *n);
/* First and last day with data and the statement count ("" / 0 when none). */
int store_tr_agg_range(store_conn *c, core_arena *a, int64_t org_id, const char **first,
                       const char **last, int64_t *total);

/* A kept row (--keep-rows). Arrays as space-separated values. */
typedef struct store_tr_statement {
    const char *sid;
    const char *day;
    const char *platform;
    const char *platform_uid;
    const char *ground;
    const char *category;
    const char *keywords;
    const char *restrictions;
    const char *content_type;
    const char *territorial_scope;
    const char *source;
    int auto_detect;
    const char *auto_decision;
    const char *created_at;
} store_tr_statement;
int store_tr_statement_put(store_conn *c, int64_t org_id, const store_tr_statement *s);
int store_tr_statement_count(store_conn *c, int64_t org_id, int64_t *n);

/* Ingest runs. */
typedef struct store_tr_ingest {
    int64_t id;
    int64_t org_id;
    const char *source;              /* file names as given, joined by ", " */
    int64_t started_at, finished_at; /* Unix seconds */
    int64_t rows_read, rows_new, rows_duplicate, rows_rejected;
    const char *status;              /* running, done, partial (rejects), failed */
} store_tr_ingest;
int store_tr_ingest_create(store_conn *c, store_tr_ingest *r);      /* sets id */
int store_tr_ingest_finish(store_conn *c, const store_tr_ingest *r); /* counts, status */
int store_tr_ingest_list(store_conn *c, core_arena *a, int64_t org_id, int limit,
                         store_tr_ingest **out, size_t *n);         /* newest first */

/* Government requests. */
typedef struct store_tr_gov {
    int64_t id;
    int64_t org_id;
    const char *kind;                /* "user_data" or "removal" */
    const char *period_start;        /* YYYY-MM-DD */
    const char *period_end;
    const char *country;             /* ISO 3166-1 alpha-2 */
    const char *authority_type;
    const char *legal_process;
    int64_t requests;
    int64_t accounts;                /* accounts / items specified */
    int64_t complied_bp;             /* basis points 0..10000 */
    int64_t updated_at;
} store_tr_gov;
/* Inserts or replaces the figures of one (kind, period, country, authority,
 * process) line. */
int store_tr_gov_put(store_conn *c, store_tr_gov *g);
/* Lines whose period overlaps from..to (NULL = open), by kind, period, country. */
int store_tr_gov_list(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                      const char *to, store_tr_gov **out, size_t *n);

#endif
