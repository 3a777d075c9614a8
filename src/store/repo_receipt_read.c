/* repo_receipt_read: the complainant's status read in one statement.
 *
 * The most frequent public request (POST /api/v1/receipt/status without
 * "detail") needs the case's plain columns and its clocks, nothing sealed:
 * one LEFT JOIN by receipt hash returns them together (one row per clock,
 * or one row with NULL clock columns for a case without clocks), so the read
 * is one round trip and, on SQLite, one read snapshot. The same `?` SQL runs
 * on both engines. No ciphertext and no wrapped key are read.
 *
 * `+k.org_id` keeps SQLite (without ANALYZE statistics) on the clocks'
 * primary key (case_id, kind): a plain `k.org_id =` lets it pick
 * grievance_clocks_due (org_id, ...) and walk every clock of the org for
 * each request (61 reads/s instead of tens of thousands at 50,000 cases).
 */
#include <string.h>

#include "store/store_db.h"

static const sdb_sql q_status = {Q_RCPT_STATUS, "receipt_status",
    "SELECT g.id, g.org_id, g.reference, g.state, g.category, g.language, g.created_at,"
    " g.updated_at, g.waiting_on_complainant, g.satisfaction, k.kind, k.started_at,"
    " k.due_at, k.paused_since, k.paused_total, k.extended_by, k.stopped_at"
    " FROM grievances g LEFT JOIN grievance_clocks k ON k.case_id = g.id AND +k.org_id = g.org_id"
    " WHERE g.receipt_hash = ? ORDER BY k.started_at, k.kind", NULL};

/* Reads the case columns of the current row into *out. */
static int read_case(sdb_stmt *st, core_arena *a, store_receipt_status *out)
{
    out->id = sdb_col_int(st, 0);
    out->org_id = sdb_col_int(st, 1);
    out->reference = sdb_col_dup(st, a, 2);
    out->state = sdb_col_dup(st, a, 3);
    out->category = sdb_col_dup(st, a, 4);
    out->language = sdb_col_dup(st, a, 5);
    out->created_at = sdb_col_int(st, 6);
    out->updated_at = sdb_col_int(st, 7);
    out->waiting_on_complainant = (int)sdb_col_int(st, 8);
    out->satisfaction = (int)sdb_col_int(st, 9);
    if (!out->reference || !out->state)
        return CORE_NOMEM;                  /* both NOT NULL in the schema */
    if ((sdb_col_text(st, 4) && !out->category) || (sdb_col_text(st, 5) && !out->language))
        return CORE_NOMEM;
    return CORE_OK;
}

/* Reads the clock columns of the current row (kind not NULL). */
static int read_clock(sdb_stmt *st, core_arena *a, int64_t case_id, store_grievance_clock *k)
{
    memset(k, 0, sizeof *k);
    k->case_id = case_id;
    k->kind = sdb_col_dup(st, a, 10);
    k->started_at = sdb_col_int(st, 11);
    k->due_at = sdb_col_int(st, 12);
    k->paused_since = sdb_col_int(st, 13);
    k->paused_total = sdb_col_int(st, 14);
    k->extended_by = sdb_col_int(st, 15);
    k->stopped_at = sdb_col_int(st, 16);
    return k->kind ? CORE_OK : CORE_NOMEM;
}

int store_receipt_status_get(store_conn *c, core_arena *a, const char *receipt_hash,
                             store_receipt_status *out)
{
    memset(out, 0, sizeof *out);
    if (!receipt_hash)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_status, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, receipt_hash);
    size_t cap = 0, n = 0;
    store_grievance_clock *arr = NULL;
    int rows = 0;
    while ((rc = sdb_step(st)) == SDB_ROW) {
        if (rows++ == 0 && (rc = read_case(st, a, out)) != CORE_OK)
            break;
        if (sdb_col_null(st, 10))
            continue;                       /* LEFT JOIN: the case has no clock */
        store_grievance_clock *g = sdb_grow(a, arr, n, &cap, sizeof *arr);
        if (!g) {
            rc = CORE_NOMEM;
            break;
        }
        arr = g;
        if ((rc = read_clock(st, a, out->id, &arr[n])) != CORE_OK)
            break;
        n++;
    }
    sdb_finish(st);
    if (rc != SDB_DONE) {
        memset(out, 0, sizeof *out);
        return rc;
    }
    if (rows == 0)
        return CORE_NOTFOUND;
    out->clocks = arr;
    out->nclocks = n;
    return CORE_OK;
}
