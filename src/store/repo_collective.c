/* repo_collective: collective cases (grievances about one systemic harm,
 * handled as one) and the per-organisation time-limit policies of the
 * grievance mechanism (migration step 2). Org-scoped like every repository:
 * an id of another organisation behaves like a missing one. The collective's
 * description arrives encrypted by src/remedy.
 */
#include <string.h>

#include "store/store_db.h"

#define COLL_COLS "id, org_id, title, enc_description, wrapped_key, key_version, created_at," \
                  " updated_at"
static const sdb_sql q_coll_create = {Q_COLL_CREATE, "collective_create",
    "INSERT INTO collective_cases (org_id, title, enc_description, wrapped_key, key_version,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_coll_get = {Q_COLL_GET, "collective_get",
    "SELECT " COLL_COLS " FROM collective_cases WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_coll_list = {Q_COLL_LIST, "collective_list",
    "SELECT " COLL_COLS " FROM collective_cases WHERE org_id = ? ORDER BY id", NULL};
static const sdb_sql q_coll_touch = {Q_COLL_TOUCH, "collective_touch",
    "UPDATE collective_cases SET updated_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_coll_members = {Q_COLL_MEMBERS, "collective_members",
    "SELECT id FROM grievances WHERE org_id = ? AND collective_id = ? ORDER BY id", NULL};

static const sdb_sql q_policy_get = {Q_GRV_POLICY_GET, "grievance_policy_get",
    "SELECT ack_days, feedback_days, moderation_window_days, dsr_days, dsr_extension_days,"
    " due_soon_days, updated_at FROM grievance_policies WHERE org_id = ?", NULL};
static const sdb_sql q_policy_set = {Q_GRV_POLICY_SET, "grievance_policy_set",
    "INSERT INTO grievance_policies (org_id, ack_days, feedback_days, moderation_window_days,"
    " dsr_days, dsr_extension_days, due_soon_days, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (org_id) DO UPDATE SET ack_days = excluded.ack_days,"
    " feedback_days = excluded.feedback_days,"
    " moderation_window_days = excluded.moderation_window_days,"
    " dsr_days = excluded.dsr_days, dsr_extension_days = excluded.dsr_extension_days,"
    " due_soon_days = excluded.due_soon_days, updated_at = excluded.updated_at", NULL};

/* ---- collective cases ---- */

int store_collective_create(store_conn *c, store_collective *k)
{
    if (!k->org_id || !k->title || !k->wrapped_key)
        return CORE_INVALID;
    if (!k->created_at)
        k->created_at = sdb_now();
    if (!k->updated_at)
        k->updated_at = k->created_at;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_coll_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, k->org_id);
    sdb_text(st, 2, k->title);
    sdb_text(st, 3, k->enc_description);
    sdb_text(st, 4, k->wrapped_key);
    sdb_int(st, 5, k->key_version);
    sdb_int(st, 6, k->created_at);
    sdb_int(st, 7, k->updated_at);
    return sdb_fetch_int(st, &k->id, CORE_ERR);
}

static int read_coll(sdb_stmt *st, core_arena *a, void *row)
{
    store_collective *k = row;
    memset(k, 0, sizeof *k);
    k->id = sdb_col_int(st, 0);
    k->org_id = sdb_col_int(st, 1);
    k->title = sdb_col_dup(st, a, 2);
    k->enc_description = sdb_col_dup(st, a, 3);
    k->wrapped_key = sdb_col_dup(st, a, 4);
    k->key_version = sdb_col_int(st, 5);
    k->created_at = sdb_col_int(st, 6);
    k->updated_at = sdb_col_int(st, 7);
    return (k->title && k->wrapped_key) ? CORE_OK : CORE_NOMEM;
}

int store_collective_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_collective *out)
{
    return sdb_fetch_one_by(c, &q_coll_get, org_id, id, a, read_coll, out);
}

int store_collective_list(store_conn *c, core_arena *a, int64_t org_id, store_collective **out,
                          size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_coll_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_coll, sizeof **out, (void **)out, n);
}

int store_collective_touch(store_conn *c, int64_t org_id, int64_t id, int64_t now)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_coll_touch, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, now ? now : sdb_now());
    sdb_int(st, 2, org_id);
    sdb_int(st, 3, id);
    return sdb_run(st, 1);
}

int store_collective_members(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                             int64_t **case_ids, size_t *n)
{
    return sdb_fetch_all_by(c, &q_coll_members, org_id, id, a, sdb_read_id, sizeof **case_ids,
                            (void **)case_ids, n);
}

/* ---- policies ---- */

static int read_policy(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance_policy *p = row;
    (void)a;
    p->ack_days = (int)sdb_col_int(st, 0);
    p->feedback_days = (int)sdb_col_int(st, 1);
    p->moderation_window_days = (int)sdb_col_int(st, 2);
    p->dsr_days = (int)sdb_col_int(st, 3);
    p->dsr_extension_days = (int)sdb_col_int(st, 4);
    p->due_soon_days = (int)sdb_col_int(st, 5);
    p->updated_at = sdb_col_int(st, 6);
    return CORE_OK;
}

int store_grievance_policy_get(store_conn *c, int64_t org_id, store_grievance_policy *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_policy_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_one(st, NULL, read_policy, out);
}

int store_grievance_policy_set(store_conn *c, int64_t org_id, const store_grievance_policy *p)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_policy_set, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, p->ack_days);
    sdb_int(st, 3, p->feedback_days);
    sdb_int(st, 4, p->moderation_window_days);
    sdb_int(st, 5, p->dsr_days);
    sdb_int(st, 6, p->dsr_extension_days);
    sdb_int(st, 7, p->due_soon_days);
    sdb_int(st, 8, p->updated_at ? p->updated_at : sdb_now());
    return sdb_run(st, 0);
}
