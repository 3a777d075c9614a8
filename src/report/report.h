/* report: transparency reports of one organisation (issue 5), over the
 * stored aggregates of statements of reasons, the grievance mechanism's
 * statistics and the imported government requests.
 *
 * Data flow:
 *   statements (CSV / zip / JSON) --ing_run--> rpt_ingest --> tr_seen (uuid,
 *   idempotent), tr_agg (per-day cells), tr_statements (--keep-rows)
 *   tr_agg + tr_gov_requests + remedy stats --rpt_load--> rpt_data
 *   rpt_data --> rpt_json (the JSON report; the HTML page renders it),
 *                rpt_dsa_csv (Annex I tables of Implementing Regulation
 *                (EU) 2024/2835 in their official columns),
 *                rpt_gov_json (government requests by period and country).
 *
 * Nothing is invented: a template cell the data cannot fill stays empty.
 * How each filled cell is computed is written next to it in rpt_dsa.c and
 * in docs/ARCHITECTURE.md ("Transparency reports").
 */
#ifndef HRDD_REPORT_H
#define HRDD_REPORT_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"
#include "store/store.h"

/* ---- stored ingest ---- */
typedef struct rpt_ingest_opts {
    int64_t org_id;
    int keep_rows;                   /* also keep the rows (tr_statements) */
    const char *source_name;         /* for tr_ingests; NULL = the paths joined */
    /* rejected rows (from the ingest module); may be NULL */
    void (*on_reject)(void *ctx, const char *source, uint64_t row, const char *column,
                      const char *reason);
    void *reject_ctx;
    /* progress (rows, bytes, total bytes, seconds); may be NULL */
    void (*on_progress)(void *ctx, uint64_t rows, uint64_t bytes, uint64_t total, double secs);
    void *progress_ctx;
} rpt_ingest_opts;

typedef struct rpt_ingest_result {
    int64_t ingest_id;               /* tr_ingests row */
    uint64_t rows_read, rows_new, rows_duplicate, rows_rejected;
} rpt_ingest_result;

/* Reads every input (CSV, nested zip, JSON; see ingest.h) and adds the new
 * statements to the org's aggregates in one transaction: CORE_OK (some rows
 * may be rejected: see res), CORE_INVALID for a file-level fault (err names
 * file and offset; nothing of the run is kept, the run is recorded as
 * failed), or a store error. */
int rpt_ingest(store *st, const rpt_ingest_opts *o, const char *const *paths, size_t npaths,
               rpt_ingest_result *res, char *err, size_t errlen);
int rpt_ingest_mem(store *st, const rpt_ingest_opts *o, const char *name, const void *data,
                   size_t len, rpt_ingest_result *res, char *err, size_t errlen);

/* ---- loaded report data ---- */
typedef struct rpt_data {
    const char *org_slug, *org_name;
    const char *from, *to;           /* the period, "YYYY-MM-DD"; from the data when not given */
    const char *first_day, *last_day;/* days with data overall ("" when none) */
    store_tr_agg *cells;             /* summed over the period */
    size_t ncells;
    store_tr_day *trend;
    size_t ntrend;
    store_tr_gov *gov;
    size_t ngov;
    const json_t *grievances;        /* remedy stats for the period (borrowed), or NULL */
    const char *today;               /* publication date "YYYY-MM-DD" */
} rpt_data;

/* Loads the period from..to (NULL = all days with data; government requests:
 * every line whose period overlaps the one asked for, all without one). Strings and arrays
 * live in the arena. grievances is borrowed (caller keeps it alive). */
int rpt_load(store_conn *c, core_arena *a, const store_org *org, const char *from,
             const char *to, const json_t *grievances, rpt_data *out);

/* Day "YYYY-MM-DD" check (a real calendar day): 1 / 0. */
int rpt_day_valid(const char *s);
/* Unix seconds at 00:00 UTC of a valid day (for remedy stats periods). */
int64_t rpt_day_epoch(const char *day);
/* Today (UTC) as "YYYY-MM-DD". */
void rpt_today(char out[11]);

/* The JSON report (caller json_decref):
 * {"org": {slug, name}, "period": {from, to}, "statements": {total, first_day,
 *  last_day}, "by_category", "by_ground", "by_restriction", "by_platform",
 *  "by_source", "by_content_type", "by_territorial_scope": [{"key", "count"}]
 *  (largest first), "automated": {detection, fully, partially, not_automated,
 *  share_fully}, "trend": [{"day", "count"}], "government_requests": (as
 *  rpt_gov_json), "grievances": (remedy stats) or null}. */
json_t *rpt_json(const rpt_data *d);

/* ---- DSA Annex I templates ---- */
#define RPT_DSA_PARTS 11
/* Official name of part n (1..11), e.g. "own_initiative_illegal"; NULL if out of range. */
const char *rpt_dsa_part_name(int part);
/* The official header of part n: *cols and *ncols; CORE_INVALID if out of range. */
int rpt_dsa_header(int part, const char *const **cols, size_t *ncols);
/* Part n as CSV (RFC 4180 quoting, LF line ends like the official templates, UTF-8),
 * header first; part 0 = every part, separated by an empty line. */
int rpt_dsa_csv(const rpt_data *d, int part, core_buf *out);

/* ---- government requests ---- */
/* Import format (CSV with this header, or JSON {"requests": [ {...} ]} / [ {...} ]):
 *   kind               user_data | removal
 *   period_start       YYYY-MM-DD
 *   period_end         YYYY-MM-DD (>= period_start)
 *   country            ISO 3166-1 alpha-2, upper case ("DE")
 *   authority_type     law_enforcement | judicial | regulatory | executive | other
 *   legal_process      court_order | warrant | subpoena | administrative_order |
 *                      emergency | mlat | other
 *   requests           integer >= 0
 *   accounts_specified integer >= 0 (accounts or items named in the requests)
 *   complied_percent   0..100, at most two decimals: share of the requests where
 *                      some data was produced (user_data) or some action taken (removal)
 * A line with the same (kind, period, country, authority, process) replaces
 * the earlier figures. All lines are checked before any is stored. */
#define RPT_GOV_CSV_HEADER "kind,period_start,period_end,country,authority_type,legal_process," \
                           "requests,accounts_specified,complied_percent"
typedef struct rpt_gov_error {
    size_t line;                     /* 1-based data line / array index + 1; 0 = the document */
    char field[40];                  /* column name, "" = the document */
    char reason[160];
} rpt_gov_error;

/* Parses and validates (CORE_INVALID with *e filled at the first fault), then
 * stores every line in one transaction. *stored = lines stored. */
int rpt_gov_import(store_conn *c, int64_t org_id, const char *data, size_t len,
                   size_t *stored, rpt_gov_error *e);
/* Government requests for the report:
 * {"user_data": {"total": {requests, accounts, complied_percent},
 *                "by_country": [{country, requests, accounts, complied_percent}],
 *                "by_period": [{period_start, period_end, total, by_country}],
 *                "lines": [{period_start, period_end, country, authority_type,
 *                           legal_process, requests, accounts, complied_percent}]},
 *  "removal": {...same...}}. complied_percent of a sum is request-weighted. */
json_t *rpt_gov_json(const store_tr_gov *g, size_t n);
/* The same as CSV in the import format (round-trips through rpt_gov_import). */
int rpt_gov_csv(const store_tr_gov *g, size_t n, core_buf *out);

#endif
