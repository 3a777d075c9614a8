/* repo_dd_policy: the policy commitment (UNGP 16) as numbered versions per
 * organisation, how each version was communicated, and the operational
 * policies that embed it.
 *
 * Every statement filters by org_id; a communication or link names a
 * version of the same organisation (checked first, repo_dd.h), so another
 * organisation's id is CORE_NOTFOUND. A version number already used is
 * CORE_CONFLICT without an engine error (ON CONFLICT DO NOTHING); version 0
 * on create takes the next number of the organisation. Approval (who, when,
 * with which role) is written by update; the register service decides who
 * may approve.
 */
#include <string.h>

#include "store/repo_dd.h"

#define POLICY_COLS "id, org_id, version, title, body_md, scope_rights, own_operations,"   \
                    " business_partners, end_use, status, COALESCE(created_by, 0),"        \
                    " created_at, COALESCE(approved_by, 0), approved_at, approved_role"

static const sdb_sql q_policy_create = {Q_DD_POLICY_CREATE, "dd_policy_create",
    "INSERT INTO dd_policies (org_id, version, title, body_md, scope_rights, own_operations,"
    " business_partners, end_use, status, created_by, created_at, approved_by, approved_at,"
    " approved_role) VALUES (?, CASE WHEN CAST(? AS BIGINT) > 0 THEN CAST(? AS BIGINT) ELSE"
    " (SELECT COALESCE(MAX(version), 0) + 1 FROM dd_policies WHERE org_id = ?) END,"
    " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id, version", NULL};
static const sdb_sql q_policy_update = {Q_DD_POLICY_UPDATE, "dd_policy_update",
    "UPDATE dd_policies SET title = ?, body_md = ?, scope_rights = ?, own_operations = ?,"
    " business_partners = ?, end_use = ?, status = ?, approved_by = ?, approved_at = ?,"
    " approved_role = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_policy_get = {Q_DD_POLICY_GET, "dd_policy_get",
    "SELECT " POLICY_COLS " FROM dd_policies WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_policy_list = {Q_DD_POLICY_LIST, "dd_policy_list",
    "SELECT " POLICY_COLS " FROM dd_policies WHERE org_id = ? ORDER BY version DESC", NULL};

static const sdb_sql q_comm_add = {Q_DD_PCOMM_ADD, "dd_policy_comm_add",
    "INSERT INTO dd_policy_comms (org_id, policy_id, day, channel, audience, note, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_comm_list = {Q_DD_PCOMM_LIST, "dd_policy_comm_list",
    "SELECT id, org_id, policy_id, day, channel, audience, note, created_at FROM dd_policy_comms"
    " WHERE org_id = ? AND policy_id = ? ORDER BY day, id", NULL};
static const sdb_sql q_link_add = {Q_DD_PLINK_ADD, "dd_policy_link_add",
    "INSERT INTO dd_policy_links (org_id, policy_id, title, url, function)"
    " VALUES (?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_link_list = {Q_DD_PLINK_LIST, "dd_policy_link_list",
    "SELECT id, org_id, policy_id, title, url, function FROM dd_policy_links"
    " WHERE org_id = ? AND policy_id = ? ORDER BY id", NULL};

/* ---- versions ---- */

static int policy_valid(const store_dd_policy *p)
{
    return p->org_id > 0 && p->version >= 0 && p->title && p->title[0] && p->body_md &&
           p->status && p->created_by >= 0 && p->approved_by >= 0;
}

static int read_policy(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_policy *p = row;
    memset(p, 0, sizeof *p);
    int bad = 0;
    p->id = sdb_col_int(st, 0);
    p->org_id = sdb_col_int(st, 1);
    p->version = sdb_col_int(st, 2);
    bad |= dd_dup(st, a, 3, &p->title);
    bad |= dd_dup(st, a, 4, &p->body_md);
    bad |= dd_dup(st, a, 5, &p->scope_rights);
    p->own_operations = (int)sdb_col_int(st, 6);
    p->business_partners = (int)sdb_col_int(st, 7);
    p->end_use = (int)sdb_col_int(st, 8);
    bad |= dd_dup(st, a, 9, &p->status);
    p->created_by = sdb_col_int(st, 10);
    p->created_at = sdb_col_int(st, 11);
    p->approved_by = sdb_col_int(st, 12);
    p->approved_at = sdb_col_int(st, 13);
    bad |= dd_dup(st, a, 14, &p->approved_role);
    return bad ? CORE_NOMEM : CORE_OK;
}

/* Binds title .. status from index k on; returns the next index. */
static int bind_policy_body(sdb_stmt *st, int k, const store_dd_policy *p)
{
    sdb_text(st, k++, p->title);
    sdb_text(st, k++, p->body_md);
    sdb_text(st, k++, dd_nz(p->scope_rights));
    sdb_int(st, k++, dd_b01(p->own_operations));
    sdb_int(st, k++, dd_b01(p->business_partners));
    sdb_int(st, k++, dd_b01(p->end_use));
    sdb_text(st, k++, p->status);
    return k;
}

static int bind_policy_approval(sdb_stmt *st, int k, const store_dd_policy *p)
{
    sdb_id_or_null(st, k++, p->approved_by);
    /* The approval time and role stand without the approver: an imported
     * version approved by someone who is not a member here keeps its date. */
    sdb_int(st, k++, p->approved_at > 0 ? p->approved_at : 0);
    sdb_text(st, k++, p->approved_at > 0 ? p->approved_role : NULL);
    return k;
}

int store_dd_policy_create(store_conn *c, store_dd_policy *p)
{
    if (!policy_valid(p))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_policy_create, &st);
    if (rc != CORE_OK)
        return rc;
    if (!p->created_at)
        p->created_at = sdb_now();
    sdb_int(st, 1, p->org_id);
    sdb_int(st, 2, p->version);
    sdb_int(st, 3, p->version);
    sdb_int(st, 4, p->org_id);
    int k = bind_policy_body(st, 5, p);
    sdb_id_or_null(st, k++, p->created_by);
    sdb_int(st, k++, p->created_at);
    bind_policy_approval(st, k, p);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        p->id = sdb_col_int(st, 0);
        p->version = sdb_col_int(st, 1);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_CONFLICT;                  /* no row: the version number is taken */
    }
    sdb_finish(st);
    return rc;
}

int store_dd_policy_update(store_conn *c, store_dd_policy *p)
{
    if (p->id <= 0 || !policy_valid(p))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_policy_update, &st);
    if (rc != CORE_OK)
        return rc;
    int k = bind_policy_body(st, 1, p);
    k = bind_policy_approval(st, k, p);
    sdb_int(st, k++, p->org_id);
    sdb_int(st, k, p->id);
    return sdb_run(st, 1);
}

int store_dd_policy_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_policy *out)
{
    return sdb_fetch_one_by(c, &q_policy_get, org_id, id, a, read_policy, out);
}

int store_dd_policy_list(store_conn *c, core_arena *a, int64_t org_id, store_dd_policy **out,
                         size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_policy_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_policy, sizeof **out, (void **)out, n);
}

/* ---- communications ---- */

int store_dd_policy_comm_add(store_conn *c, store_dd_policy_comm *m)
{
    if (m->org_id <= 0 || !m->channel || !m->audience)
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_POLICY, m->org_id, m->policy_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_comm_add, &st)) != CORE_OK)
        return rc;
    if (!m->created_at)
        m->created_at = sdb_now();
    sdb_int(st, 1, m->org_id);
    sdb_int(st, 2, m->policy_id);
    sdb_int(st, 3, m->day);
    sdb_text(st, 4, m->channel);
    sdb_text(st, 5, m->audience);
    sdb_text(st, 6, m->note);
    sdb_int(st, 7, m->created_at);
    return sdb_fetch_int(st, &m->id, CORE_ERR);
}

static int read_comm(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_policy_comm *m = row;
    memset(m, 0, sizeof *m);
    int bad = 0;
    m->id = sdb_col_int(st, 0);
    m->org_id = sdb_col_int(st, 1);
    m->policy_id = sdb_col_int(st, 2);
    m->day = sdb_col_int(st, 3);
    bad |= dd_dup(st, a, 4, &m->channel);
    bad |= dd_dup(st, a, 5, &m->audience);
    bad |= dd_dup(st, a, 6, &m->note);
    m->created_at = sdb_col_int(st, 7);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_policy_comm_list(store_conn *c, core_arena *a, int64_t org_id, int64_t policy_id,
                              store_dd_policy_comm **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_comm_list, org_id, policy_id, a, read_comm, sizeof **out,
                            (void **)out, n);
}

/* ---- operational policies that embed the commitment ---- */

int store_dd_policy_link_add(store_conn *c, store_dd_policy_link *l)
{
    if (l->org_id <= 0 || !l->title || !l->title[0])
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_POLICY, l->org_id, l->policy_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_link_add, &st)) != CORE_OK)
        return rc;
    sdb_int(st, 1, l->org_id);
    sdb_int(st, 2, l->policy_id);
    sdb_text(st, 3, l->title);
    sdb_text(st, 4, l->url);
    sdb_text(st, 5, l->function);
    return sdb_fetch_int(st, &l->id, CORE_ERR);
}

static int read_link(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_policy_link *l = row;
    memset(l, 0, sizeof *l);
    int bad = 0;
    l->id = sdb_col_int(st, 0);
    l->org_id = sdb_col_int(st, 1);
    l->policy_id = sdb_col_int(st, 2);
    bad |= dd_dup(st, a, 3, &l->title);
    bad |= dd_dup(st, a, 4, &l->url);
    bad |= dd_dup(st, a, 5, &l->function);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_policy_link_list(store_conn *c, core_arena *a, int64_t org_id, int64_t policy_id,
                              store_dd_policy_link **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_link_list, org_id, policy_id, a, read_link, sizeof **out,
                            (void **)out, n);
}
