/* repo_dd_assess: assessments (HRIA / due diligence reviews) per scope
 * object, their findings (the impacts each one identified or reviewed) and
 * the actions taken on impacts.
 *
 * Every statement filters by org_id; the scope object, the impact a
 * reassessment was queued for, an action's impact and owner are checked in
 * the same organisation before a write (repo_dd.h), so another
 * organisation's id is CORE_NOTFOUND. A finding already recorded is
 * CORE_CONFLICT without an engine error (ON CONFLICT DO NOTHING). Lists
 * follow the header: assessments by due day, actions by due day with the
 * undated ones last.
 */
#include <string.h>

#include "store/repo_dd.h"

#define ASSESS_COLS "id, org_id, scope_id, kind, trigger_kind, trigger_note, event_day, due_day," \
                    " status, completed_day, summary, COALESCE(impact_id, 0),"                   \
                    " COALESCE(approved_by, 0), approved_at, created_at, updated_at"
#define ACTION_COLS "id, org_id, impact_id, kind, title, description, COALESCE(owner_id, 0)," \
                    " owner_name, function, due_day, status, integration, created_at, updated_at"

static const sdb_sql q_assess_create = {Q_DD_ASSESS_CREATE, "dd_assessment_create",
    "INSERT INTO dd_assessments (org_id, scope_id, kind, trigger_kind, trigger_note, event_day,"
    " due_day, status, completed_day, summary, impact_id, approved_by, approved_at, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_assess_update = {Q_DD_ASSESS_UPDATE, "dd_assessment_update",
    "UPDATE dd_assessments SET scope_id = ?, kind = ?, trigger_kind = ?, trigger_note = ?,"
    " event_day = ?, due_day = ?, status = ?, completed_day = ?, summary = ?, impact_id = ?,"
    " approved_by = ?, approved_at = ?, updated_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_assess_get = {Q_DD_ASSESS_GET, "dd_assessment_get",
    "SELECT " ASSESS_COLS " FROM dd_assessments WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_assess_list = {Q_DD_ASSESS_LIST, "dd_assessment_list",
    "SELECT " ASSESS_COLS " FROM dd_assessments WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR scope_id = ?) ORDER BY due_day, id", NULL};

static const sdb_sql q_finding_add = {Q_DD_FINDING_ADD, "dd_finding_add",
    "INSERT INTO dd_findings (org_id, assessment_id, impact_id) VALUES (?, ?, ?)"
    " ON CONFLICT DO NOTHING RETURNING impact_id", NULL};
static const sdb_sql q_finding_list = {Q_DD_FINDING_LIST, "dd_finding_list",
    "SELECT impact_id FROM dd_findings WHERE org_id = ? AND assessment_id = ?"
    " ORDER BY impact_id", NULL};

static const sdb_sql q_action_create = {Q_DD_ACTION_CREATE, "dd_action_create",
    "INSERT INTO dd_actions (org_id, impact_id, kind, title, description, owner_id, owner_name,"
    " function, due_day, status, integration, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_action_update = {Q_DD_ACTION_UPDATE, "dd_action_update",
    "UPDATE dd_actions SET impact_id = ?, kind = ?, title = ?, description = ?, owner_id = ?,"
    " owner_name = ?, function = ?, due_day = ?, status = ?, integration = ?, updated_at = ?"
    " WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_action_get = {Q_DD_ACTION_GET, "dd_action_get",
    "SELECT " ACTION_COLS " FROM dd_actions WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_action_list = {Q_DD_ACTION_LIST, "dd_action_list",
    "SELECT " ACTION_COLS " FROM dd_actions WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR impact_id = ?)"
    " ORDER BY CASE WHEN due_day < 0 THEN 1 ELSE 0 END, due_day, id", NULL};

/* ---- assessments ---- */

static int assess_valid(const store_dd_assessment *x)
{
    return x->org_id > 0 && x->scope_id > 0 && x->kind && x->trigger && x->status &&
           x->impact_id >= 0 && x->approved_by >= 0;
}

static int assess_refs(store_conn *c, const store_dd_assessment *x)
{
    int rc = dd_ref_check(c, DD_REF_SCOPE, x->org_id, x->scope_id);
    if (rc == CORE_OK)
        rc = dd_ref_opt(c, DD_REF_IMPACT, x->org_id, x->impact_id);
    return rc;
}

static int read_assess(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_assessment *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    x->scope_id = sdb_col_int(st, 2);
    bad |= dd_dup(st, a, 3, &x->kind);
    bad |= dd_dup(st, a, 4, &x->trigger);
    bad |= dd_dup(st, a, 5, &x->trigger_note);
    x->event_day = sdb_col_int(st, 6);
    x->due_day = sdb_col_int(st, 7);
    bad |= dd_dup(st, a, 8, &x->status);
    x->completed_day = sdb_col_int(st, 9);
    bad |= dd_dup(st, a, 10, &x->summary);
    x->impact_id = sdb_col_int(st, 11);
    x->approved_by = sdb_col_int(st, 12);
    x->approved_at = sdb_col_int(st, 13);
    x->created_at = sdb_col_int(st, 14);
    x->updated_at = sdb_col_int(st, 15);
    return bad ? CORE_NOMEM : CORE_OK;
}

/* Binds scope_id .. approved_at from index k on; returns the next index. */
static int bind_assess_body(sdb_stmt *st, int k, const store_dd_assessment *x)
{
    sdb_int(st, k++, x->scope_id);
    sdb_text(st, k++, x->kind);
    sdb_text(st, k++, x->trigger);
    sdb_text(st, k++, x->trigger_note);
    sdb_int(st, k++, x->event_day);
    sdb_int(st, k++, x->due_day);
    sdb_text(st, k++, x->status);
    sdb_int(st, k++, x->completed_day);
    sdb_text(st, k++, x->summary);
    sdb_id_or_null(st, k++, x->impact_id);
    sdb_id_or_null(st, k++, x->approved_by);
    sdb_int(st, k++, x->approved_at);
    return k;
}

int store_dd_assessment_create(store_conn *c, store_dd_assessment *x)
{
    if (!assess_valid(x))
        return CORE_INVALID;
    int rc = assess_refs(c, x);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_assess_create, &st)) != CORE_OK)
        return rc;
    if (!x->created_at)
        x->created_at = sdb_now();
    if (!x->updated_at)
        x->updated_at = x->created_at;
    sdb_int(st, 1, x->org_id);
    int k = bind_assess_body(st, 2, x);
    sdb_int(st, k++, x->created_at);
    sdb_int(st, k, x->updated_at);
    return sdb_fetch_int(st, &x->id, CORE_ERR);
}

int store_dd_assessment_update(store_conn *c, store_dd_assessment *x)
{
    if (x->id <= 0 || !assess_valid(x))
        return CORE_INVALID;
    int rc = assess_refs(c, x);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_assess_update, &st)) != CORE_OK)
        return rc;
    x->updated_at = sdb_now();
    int k = bind_assess_body(st, 1, x);
    sdb_int(st, k++, x->updated_at);
    sdb_int(st, k++, x->org_id);
    sdb_int(st, k, x->id);
    return sdb_run(st, 1);
}

int store_dd_assessment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                            store_dd_assessment *out)
{
    return sdb_fetch_one_by(c, &q_assess_get, org_id, id, a, read_assess, out);
}

int store_dd_assessment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t scope_id,
                             store_dd_assessment **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_assess_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, scope_id);
    sdb_int(st, 3, scope_id);
    return sdb_fetch_all(st, a, read_assess, sizeof **out, (void **)out, n);
}

/* ---- findings ---- */

int store_dd_finding_add(store_conn *c, int64_t org_id, int64_t assessment_id, int64_t impact_id)
{
    int rc = dd_ref_check(c, DD_REF_ASSESS, org_id, assessment_id);
    if (rc == CORE_OK)
        rc = dd_ref_check(c, DD_REF_IMPACT, org_id, impact_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_finding_add, &st)) != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, assessment_id);
    sdb_int(st, 3, impact_id);
    int64_t got = 0;
    return sdb_fetch_int(st, &got, CORE_CONFLICT);   /* no row: already a finding */
}

int store_dd_finding_list(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id,
                          int64_t **impact_ids, size_t *n)
{
    return sdb_fetch_all_by(c, &q_finding_list, org_id, assessment_id, a, sdb_read_id,
                            sizeof **impact_ids, (void **)impact_ids, n);
}

/* ---- actions ---- */

static int action_valid(const store_dd_action *x)
{
    return x->org_id > 0 && x->impact_id > 0 && x->kind && x->title && x->title[0] &&
           x->function && x->status && x->owner_id >= 0;
}

static int read_action(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_action *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    x->impact_id = sdb_col_int(st, 2);
    bad |= dd_dup(st, a, 3, &x->kind);
    bad |= dd_dup(st, a, 4, &x->title);
    bad |= dd_dup(st, a, 5, &x->description);
    x->owner_id = sdb_col_int(st, 6);
    bad |= dd_dup(st, a, 7, &x->owner_name);
    bad |= dd_dup(st, a, 8, &x->function);
    x->due_day = sdb_col_int(st, 9);
    bad |= dd_dup(st, a, 10, &x->status);
    bad |= dd_dup(st, a, 11, &x->integration);
    x->created_at = sdb_col_int(st, 12);
    x->updated_at = sdb_col_int(st, 13);
    return bad ? CORE_NOMEM : CORE_OK;
}

/* Binds impact_id .. integration from index k on; returns the next index. */
static int bind_action_body(sdb_stmt *st, int k, const store_dd_action *x)
{
    sdb_int(st, k++, x->impact_id);
    sdb_text(st, k++, x->kind);
    sdb_text(st, k++, x->title);
    sdb_text(st, k++, x->description);
    sdb_id_or_null(st, k++, x->owner_id);
    sdb_text(st, k++, x->owner_name);
    sdb_text(st, k++, x->function);
    sdb_int(st, k++, x->due_day < 0 ? -1 : x->due_day);
    sdb_text(st, k++, x->status);
    sdb_text(st, k++, x->integration);
    return k;
}

int store_dd_action_create(store_conn *c, store_dd_action *x)
{
    if (!action_valid(x))
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_IMPACT, x->org_id, x->impact_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_action_create, &st)) != CORE_OK)
        return rc;
    if (!x->created_at)
        x->created_at = sdb_now();
    if (!x->updated_at)
        x->updated_at = x->created_at;
    sdb_int(st, 1, x->org_id);
    int k = bind_action_body(st, 2, x);
    sdb_int(st, k++, x->created_at);
    sdb_int(st, k, x->updated_at);
    return sdb_fetch_int(st, &x->id, CORE_ERR);
}

int store_dd_action_update(store_conn *c, store_dd_action *x)
{
    if (x->id <= 0 || !action_valid(x))
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_IMPACT, x->org_id, x->impact_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_action_update, &st)) != CORE_OK)
        return rc;
    x->updated_at = sdb_now();
    int k = bind_action_body(st, 1, x);
    sdb_int(st, k++, x->updated_at);
    sdb_int(st, k++, x->org_id);
    sdb_int(st, k, x->id);
    return sdb_run(st, 1);
}

int store_dd_action_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_action *out)
{
    return sdb_fetch_one_by(c, &q_action_get, org_id, id, a, read_action, out);
}

int store_dd_action_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                         store_dd_action **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_action_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, impact_id);
    sdb_int(st, 3, impact_id);
    return sdb_fetch_all(st, a, read_action, sizeof **out, (void **)out, n);
}
