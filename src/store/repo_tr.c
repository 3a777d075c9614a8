/* repo_tr: the transparency tables of migration step 5 (schema_tr.h): the
 * seen-statement set that makes re-ingest idempotent, the per-day aggregate
 * cells (added to with an upsert, summed over a period for the reports),
 * kept rows, ingest runs and government requests. Org-scoped like every
 * repository; the same SQL runs on both engines (ON CONFLICT upserts).
 */
#include <string.h>

#include "store/store_db.h"

#define DAY_MIN "0000-00-00"
#define DAY_MAX "9999-99-99"
#define AGG_KEY "platform, ground, category, source, auto_detect, auto_decision, dim, value"

static const sdb_sql q_seen_add = {Q_TR_SEEN_ADD, "tr_seen_add",
    "INSERT INTO tr_seen (org_id, sid) VALUES (?, ?) ON CONFLICT (org_id, sid) DO NOTHING", NULL};
static const sdb_sql q_agg_add = {Q_TR_AGG_ADD, "tr_agg_add",
    "INSERT INTO tr_agg (org_id, day, " AGG_KEY ", n) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id, day, " AGG_KEY ") DO UPDATE SET n = tr_agg.n + excluded.n", NULL};
static const sdb_sql q_agg_sum = {Q_TR_AGG_SUM, "tr_agg_sum",
    "SELECT " AGG_KEY ", CAST(SUM(n) AS BIGINT) FROM tr_agg"
    " WHERE org_id = ? AND day >= ? AND day <= ? GROUP BY " AGG_KEY " ORDER BY " AGG_KEY, NULL};
static const sdb_sql q_agg_trend = {Q_TR_AGG_TREND, "tr_agg_trend",
    "SELECT day, CAST(SUM(n) AS BIGINT) FROM tr_agg"
    " WHERE org_id = ? AND dim = 'total' AND day >= ? AND day <= ? GROUP BY day ORDER BY day", NULL};
static const sdb_sql q_agg_range = {Q_TR_AGG_RANGE, "tr_agg_range",
    "SELECT COALESCE(MIN(day), ''), COALESCE(MAX(day), ''), CAST(COALESCE(SUM(n), 0) AS BIGINT)"
    " FROM tr_agg WHERE org_id = ? AND dim = 'total'", NULL};
static const sdb_sql q_stmt_put = {Q_TR_STMT_PUT, "tr_statement_put",
    "INSERT INTO tr_statements (org_id, sid, day, platform, platform_uid, ground, category,"
    " keywords, restrictions, content_type, territorial_scope, source, auto_detect,"
    " auto_decision, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id, sid) DO NOTHING", NULL};
static const sdb_sql q_stmt_count = {Q_TR_STMT_COUNT, "tr_statement_count",
    "SELECT count(*) FROM tr_statements WHERE org_id = ?", NULL};

#define INGEST_COLS "id, org_id, source, started_at, finished_at, rows_read, rows_new," \
                    " rows_duplicate, rows_rejected, status"
static const sdb_sql q_ingest_create = {Q_TR_INGEST_CREATE, "tr_ingest_create",
    "INSERT INTO tr_ingests (org_id, source, started_at, status) VALUES (?, ?, ?, 'running')"
    " RETURNING id", NULL};
static const sdb_sql q_ingest_finish = {Q_TR_INGEST_FINISH, "tr_ingest_finish",
    "UPDATE tr_ingests SET finished_at = ?, rows_read = ?, rows_new = ?, rows_duplicate = ?,"
    " rows_rejected = ?, status = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ingest_list = {Q_TR_INGEST_LIST, "tr_ingest_list",
    "SELECT " INGEST_COLS " FROM tr_ingests WHERE org_id = ? ORDER BY id DESC LIMIT ?", NULL};

#define GOV_COLS "id, org_id, kind, period_start, period_end, country, authority_type," \
                 " legal_process, requests, accounts, complied_bp, updated_at"
static const sdb_sql q_gov_put = {Q_TR_GOV_PUT, "tr_gov_put",
    "INSERT INTO tr_gov_requests (org_id, kind, period_start, period_end, country,"
    " authority_type, legal_process, requests, accounts, complied_bp, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id, kind, period_start, period_end, country, authority_type,"
    " legal_process) DO UPDATE SET requests = excluded.requests, accounts = excluded.accounts,"
    " complied_bp = excluded.complied_bp, updated_at = excluded.updated_at RETURNING id", NULL};
static const sdb_sql q_gov_list = {Q_TR_GOV_LIST, "tr_gov_list",
    "SELECT " GOV_COLS " FROM tr_gov_requests WHERE org_id = ? AND period_end >= ?"
    " AND period_start <= ? ORDER BY kind, period_start, period_end, country, authority_type,"
    " legal_process", NULL};

int store_tr_seen_add(store_conn *c, int64_t org_id, const char *sid)
{
    if (!org_id || !sid || !*sid)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_seen_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, sid);
    rc = sdb_run(st, 1);
    return rc == CORE_NOTFOUND ? CORE_CONFLICT : rc;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

int store_tr_agg_add(store_conn *c, int64_t org_id, const store_tr_agg *g)
{
    if (!org_id || !g->day || !g->dim)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_agg_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, g->day);
    sdb_text(st, 3, nz(g->platform));
    sdb_text(st, 4, nz(g->ground));
    sdb_text(st, 5, nz(g->category));
    sdb_text(st, 6, nz(g->source));
    sdb_int(st, 7, g->auto_detect ? 1 : 0);
    sdb_text(st, 8, nz(g->auto_decision));
    sdb_text(st, 9, g->dim);
    sdb_text(st, 10, nz(g->value));
    sdb_int(st, 11, g->n);
    return sdb_run(st, 0);
}

static int read_agg(sdb_stmt *st, core_arena *a, void *row)
{
    store_tr_agg *g = row;
    memset(g, 0, sizeof *g);
    g->platform = sdb_col_dup(st, a, 0);
    g->ground = sdb_col_dup(st, a, 1);
    g->category = sdb_col_dup(st, a, 2);
    g->source = sdb_col_dup(st, a, 3);
    g->auto_detect = (int)sdb_col_int(st, 4);
    g->auto_decision = sdb_col_dup(st, a, 5);
    g->dim = sdb_col_dup(st, a, 6);
    g->value = sdb_col_dup(st, a, 7);
    g->n = sdb_col_int(st, 8);
    return (g->platform && g->ground && g->category && g->source && g->auto_decision && g->dim &&
            g->value) ? CORE_OK : CORE_NOMEM;
}

int store_tr_agg_sum(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                     const char *to, store_tr_agg **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_agg_sum, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, from && *from ? from : DAY_MIN);
    sdb_text(st, 3, to && *to ? to : DAY_MAX);
    return sdb_fetch_all(st, a, read_agg, sizeof **out, (void **)out, n);
}

static int read_day(sdb_stmt *st, core_arena *a, void *row)
{
    store_tr_day *d = row;
    d->day = sdb_col_dup(st, a, 0);
    d->n = sdb_col_int(st, 1);
    return d->day ? CORE_OK : CORE_NOMEM;
}

int store_tr_agg_trend(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                       const char *to, store_tr_day **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_agg_trend, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, from && *from ? from : DAY_MIN);
    sdb_text(st, 3, to && *to ? to : DAY_MAX);
    return sdb_fetch_all(st, a, read_day, sizeof **out, (void **)out, n);
}

int store_tr_agg_range(store_conn *c, core_arena *a, int64_t org_id, const char **first,
                       const char **last, int64_t *total)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_agg_range, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        *first = sdb_col_dup(st, a, 0);
        *last = sdb_col_dup(st, a, 1);
        *total = sdb_col_int(st, 2);
        rc = (*first && *last) ? CORE_OK : CORE_NOMEM;
    } else if (rc == SDB_DONE) {
        rc = CORE_ERR;
    }
    sdb_finish(st);
    return rc;
}

int store_tr_statement_put(store_conn *c, int64_t org_id, const store_tr_statement *s)
{
    if (!org_id || !s->sid || !s->day)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_stmt_put, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, s->sid);
    sdb_text(st, 3, s->day);
    sdb_text(st, 4, nz(s->platform));
    sdb_text(st, 5, nz(s->platform_uid));
    sdb_text(st, 6, nz(s->ground));
    sdb_text(st, 7, nz(s->category));
    sdb_text(st, 8, nz(s->keywords));
    sdb_text(st, 9, nz(s->restrictions));
    sdb_text(st, 10, nz(s->content_type));
    sdb_text(st, 11, nz(s->territorial_scope));
    sdb_text(st, 12, nz(s->source));
    sdb_int(st, 13, s->auto_detect ? 1 : 0);
    sdb_text(st, 14, nz(s->auto_decision));
    sdb_text(st, 15, nz(s->created_at));
    return sdb_run(st, 0);
}

int store_tr_statement_count(store_conn *c, int64_t org_id, int64_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_stmt_count, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_int(st, n, CORE_ERR);
}

int store_tr_ingest_create(store_conn *c, store_tr_ingest *r)
{
    if (!r->org_id || !r->source)
        return CORE_INVALID;
    if (!r->started_at)
        r->started_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ingest_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, r->org_id);
    sdb_text(st, 2, r->source);
    sdb_int(st, 3, r->started_at);
    return sdb_fetch_int(st, &r->id, CORE_ERR);
}

int store_tr_ingest_finish(store_conn *c, const store_tr_ingest *r)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ingest_finish, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, r->finished_at ? r->finished_at : sdb_now());
    sdb_int(st, 2, r->rows_read);
    sdb_int(st, 3, r->rows_new);
    sdb_int(st, 4, r->rows_duplicate);
    sdb_int(st, 5, r->rows_rejected);
    sdb_text(st, 6, r->status ? r->status : "done");
    sdb_int(st, 7, r->org_id);
    sdb_int(st, 8, r->id);
    return sdb_run(st, 1);
}

static int read_ingest(sdb_stmt *st, core_arena *a, void *row)
{
    store_tr_ingest *r = row;
    memset(r, 0, sizeof *r);
    r->id = sdb_col_int(st, 0);
    r->org_id = sdb_col_int(st, 1);
    r->source = sdb_col_dup(st, a, 2);
    r->started_at = sdb_col_int(st, 3);
    r->finished_at = sdb_col_int(st, 4);
    r->rows_read = sdb_col_int(st, 5);
    r->rows_new = sdb_col_int(st, 6);
    r->rows_duplicate = sdb_col_int(st, 7);
    r->rows_rejected = sdb_col_int(st, 8);
    r->status = sdb_col_dup(st, a, 9);
    return (r->source && r->status) ? CORE_OK : CORE_NOMEM;
}

int store_tr_ingest_list(store_conn *c, core_arena *a, int64_t org_id, int limit,
                         store_tr_ingest **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_ingest_list, org_id, limit > 0 ? limit : 50, a, read_ingest,
                            sizeof **out, (void **)out, n);
}

int store_tr_gov_put(store_conn *c, store_tr_gov *g)
{
    if (!g->org_id || !g->kind || !g->period_start || !g->period_end || !g->country ||
        !g->authority_type || !g->legal_process)
        return CORE_INVALID;
    if (!g->updated_at)
        g->updated_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_gov_put, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, g->org_id);
    sdb_text(st, 2, g->kind);
    sdb_text(st, 3, g->period_start);
    sdb_text(st, 4, g->period_end);
    sdb_text(st, 5, g->country);
    sdb_text(st, 6, g->authority_type);
    sdb_text(st, 7, g->legal_process);
    sdb_int(st, 8, g->requests);
    sdb_int(st, 9, g->accounts);
    sdb_int(st, 10, g->complied_bp);
    sdb_int(st, 11, g->updated_at);
    return sdb_fetch_int(st, &g->id, CORE_ERR);
}

static int read_gov(sdb_stmt *st, core_arena *a, void *row)
{
    store_tr_gov *g = row;
    memset(g, 0, sizeof *g);
    g->id = sdb_col_int(st, 0);
    g->org_id = sdb_col_int(st, 1);
    g->kind = sdb_col_dup(st, a, 2);
    g->period_start = sdb_col_dup(st, a, 3);
    g->period_end = sdb_col_dup(st, a, 4);
    g->country = sdb_col_dup(st, a, 5);
    g->authority_type = sdb_col_dup(st, a, 6);
    g->legal_process = sdb_col_dup(st, a, 7);
    g->requests = sdb_col_int(st, 8);
    g->accounts = sdb_col_int(st, 9);
    g->complied_bp = sdb_col_int(st, 10);
    g->updated_at = sdb_col_int(st, 11);
    return (g->kind && g->period_start && g->period_end && g->country && g->authority_type &&
            g->legal_process) ? CORE_OK : CORE_NOMEM;
}

int store_tr_gov_list(store_conn *c, core_arena *a, int64_t org_id, const char *from,
                      const char *to, store_tr_gov **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_gov_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, from && *from ? from : DAY_MIN);
    sdb_text(st, 3, to && *to ? to : DAY_MAX);
    return sdb_fetch_all(st, a, read_gov, sizeof **out, (void **)out, n);
}
