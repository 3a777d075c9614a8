/* repo_dd_ref: same-organisation reference checks and small readers shared
 * by the due diligence repositories (repo_dd.h).
 *
 * One counting statement per referenced table, always filtered by org_id,
 * so "exists in this organisation" is the only question a caller can ask.
 */
#include "store/repo_dd.h"

static const sdb_sql q_refs[DD_REF__COUNT] = {
    {Q_DD_REF_POLICY, "dd_ref_policy",
     "SELECT count(*) FROM dd_policies WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_SCOPE, "dd_ref_scope",
     "SELECT count(*) FROM dd_scopes WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_IMPACT, "dd_ref_impact",
     "SELECT count(*) FROM dd_impacts WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_ASSESS, "dd_ref_assessment",
     "SELECT count(*) FROM dd_assessments WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_ACTION, "dd_ref_action",
     "SELECT count(*) FROM dd_actions WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_IND, "dd_ref_indicator",
     "SELECT count(*) FROM dd_indicators WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_SH, "dd_ref_stakeholder",
     "SELECT count(*) FROM dd_stakeholders WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_PRODUCT, "dd_ref_product",
     "SELECT count(*) FROM products WHERE org_id = ? AND id = ?", NULL},
    {Q_DD_REF_CASE, "dd_ref_case",
     "SELECT count(*) FROM grievances WHERE org_id = ? AND id = ?", NULL},
};

int dd_ref_check(store_conn *c, dd_ref_kind k, int64_t org_id, int64_t id)
{
    if (k < 0 || k >= DD_REF__COUNT)
        return CORE_INVALID;
    if (org_id <= 0 || id <= 0)
        return CORE_NOTFOUND;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_refs[k], &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, id);
    int64_t n = 0;
    rc = sdb_fetch_int(st, &n, CORE_ERR);
    if (rc != CORE_OK)
        return rc;
    return n > 0 ? CORE_OK : CORE_NOTFOUND;
}

int dd_ref_opt(store_conn *c, dd_ref_kind k, int64_t org_id, int64_t id)
{
    return id == 0 ? CORE_OK : dd_ref_check(c, k, org_id, id);
}

int dd_dup(sdb_stmt *st, core_arena *a, int i, const char **out)
{
    *out = sdb_col_dup(st, a, i);
    return (*out == NULL && !sdb_col_null(st, i)) ? 1 : 0;
}

const char *dd_nz(const char *s)
{
    return s ? s : "";
}

int dd_b01(int v)
{
    return v ? 1 : 0;
}
