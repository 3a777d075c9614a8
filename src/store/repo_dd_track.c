/* repo_dd_track: tracking and engagement records of the due diligence
 * register: indicators and their measurements, stakeholders and
 * engagements, and the links from grievance cases to impacts.
 *
 * Every statement filters by org_id; an indicator's impact or action, a
 * measurement's indicator, an engagement's stakeholder and a link's impact
 * and case are checked in the same organisation first (repo_dd.h), so
 * another organisation's id is CORE_NOTFOUND. Doubles go through the
 * driver's exact binding (sdb_double / sdb_col_double). A measurement for
 * an (indicator, day) already measured replaces it in place (upsert, same
 * id); a link already made is CORE_CONFLICT without an engine error.
 */
#include <string.h>

#include "store/repo_dd.h"

#define IND_COLS "id, org_id, COALESCE(impact_id, 0), COALESCE(action_id, 0), name, unit," \
                 " direction, target, tolerance, target_day, created_at"
#define SH_COLS "id, org_id, name, kind, region, countries, global_south, contact, created_at"
#define ENG_COLS "id, org_id, stakeholder_id, day, step, topics, format, outcome, follow_up," \
                 " impact_ids, created_at"

static const sdb_sql q_ind_create = {Q_DD_IND_CREATE, "dd_indicator_create",
    "INSERT INTO dd_indicators (org_id, impact_id, action_id, name, unit, direction, target,"
    " tolerance, target_day, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_ind_update = {Q_DD_IND_UPDATE, "dd_indicator_update",
    "UPDATE dd_indicators SET impact_id = ?, action_id = ?, name = ?, unit = ?, direction = ?,"
    " target = ?, tolerance = ?, target_day = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ind_get = {Q_DD_IND_GET, "dd_indicator_get",
    "SELECT " IND_COLS " FROM dd_indicators WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ind_list = {Q_DD_IND_LIST, "dd_indicator_list",
    "SELECT " IND_COLS " FROM dd_indicators WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR impact_id = ?)"
    " AND (CAST(? AS BIGINT) = 0 OR action_id = ?) ORDER BY id", NULL};

static const sdb_sql q_measure_put = {Q_DD_MEASURE_PUT, "dd_measure_put",
    "INSERT INTO dd_measures (org_id, indicator_id, day, value, note, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (indicator_id, day) DO UPDATE SET"
    " value = excluded.value, note = excluded.note, created_at = excluded.created_at"
    " RETURNING id", NULL};
static const sdb_sql q_measure_list = {Q_DD_MEASURE_LIST, "dd_measure_list",
    "SELECT id, org_id, indicator_id, day, value, note, created_at FROM dd_measures"
    " WHERE org_id = ? AND indicator_id = ? ORDER BY day", NULL};

static const sdb_sql q_sh_create = {Q_DD_SH_CREATE, "dd_stakeholder_create",
    "INSERT INTO dd_stakeholders (org_id, name, kind, region, countries, global_south, contact,"
    " created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_sh_update = {Q_DD_SH_UPDATE, "dd_stakeholder_update",
    "UPDATE dd_stakeholders SET name = ?, kind = ?, region = ?, countries = ?, global_south = ?,"
    " contact = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_sh_get = {Q_DD_SH_GET, "dd_stakeholder_get",
    "SELECT " SH_COLS " FROM dd_stakeholders WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_sh_list = {Q_DD_SH_LIST, "dd_stakeholder_list",
    "SELECT " SH_COLS " FROM dd_stakeholders WHERE org_id = ? ORDER BY name, id", NULL};

static const sdb_sql q_eng_create = {Q_DD_ENG_CREATE, "dd_engagement_create",
    "INSERT INTO dd_engagements (org_id, stakeholder_id, day, step, topics, format, outcome,"
    " follow_up, impact_ids, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_eng_list = {Q_DD_ENG_LIST, "dd_engagement_list",
    "SELECT " ENG_COLS " FROM dd_engagements WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR stakeholder_id = ?) ORDER BY day, id", NULL};

static const sdb_sql q_link_add = {Q_DD_LINK_ADD, "dd_link_add",
    "INSERT INTO dd_grievance_links (org_id, impact_id, case_id, linked_by, linked_at)"
    " VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING case_id", NULL};
static const sdb_sql q_link_list = {Q_DD_LINK_LIST, "dd_link_list",
    "SELECT org_id, impact_id, case_id, COALESCE(linked_by, 0), linked_at"
    " FROM dd_grievance_links WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR impact_id = ?)"
    " AND (CAST(? AS BIGINT) = 0 OR case_id = ?)"
    " ORDER BY linked_at, impact_id, case_id", NULL};

/* ---- indicators ---- */

static int ind_valid(const store_dd_indicator *x)
{
    return x->org_id > 0 && x->impact_id >= 0 && x->action_id >= 0 &&
           (x->impact_id > 0) != (x->action_id > 0) && x->name && x->name[0] && x->unit &&
           x->direction && x->tolerance >= 0;
}

static int ind_refs(store_conn *c, const store_dd_indicator *x)
{
    int rc = dd_ref_opt(c, DD_REF_IMPACT, x->org_id, x->impact_id);
    if (rc == CORE_OK)
        rc = dd_ref_opt(c, DD_REF_ACTION, x->org_id, x->action_id);
    return rc;
}

static int read_ind(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_indicator *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    x->impact_id = sdb_col_int(st, 2);
    x->action_id = sdb_col_int(st, 3);
    bad |= dd_dup(st, a, 4, &x->name);
    bad |= dd_dup(st, a, 5, &x->unit);
    bad |= dd_dup(st, a, 6, &x->direction);
    x->target = sdb_col_double(st, 7);
    x->tolerance = sdb_col_double(st, 8);
    x->target_day = sdb_col_int(st, 9);
    x->created_at = sdb_col_int(st, 10);
    return bad ? CORE_NOMEM : CORE_OK;
}

/* Binds impact_id .. target_day from index k on; returns the next index. */
static int bind_ind_body(sdb_stmt *st, int k, const store_dd_indicator *x)
{
    sdb_id_or_null(st, k++, x->impact_id);
    sdb_id_or_null(st, k++, x->action_id);
    sdb_text(st, k++, x->name);
    sdb_text(st, k++, x->unit);
    sdb_text(st, k++, x->direction);
    sdb_double(st, k++, x->target);
    sdb_double(st, k++, x->tolerance);
    sdb_int(st, k++, x->target_day < 0 ? -1 : x->target_day);
    return k;
}

int store_dd_indicator_create(store_conn *c, store_dd_indicator *x)
{
    if (!ind_valid(x))
        return CORE_INVALID;
    int rc = ind_refs(c, x);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_ind_create, &st)) != CORE_OK)
        return rc;
    if (!x->created_at)
        x->created_at = sdb_now();
    sdb_int(st, 1, x->org_id);
    int k = bind_ind_body(st, 2, x);
    sdb_int(st, k, x->created_at);
    return sdb_fetch_int(st, &x->id, CORE_ERR);
}

int store_dd_indicator_update(store_conn *c, store_dd_indicator *x)
{
    if (x->id <= 0 || !ind_valid(x))
        return CORE_INVALID;
    int rc = ind_refs(c, x);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_ind_update, &st)) != CORE_OK)
        return rc;
    int k = bind_ind_body(st, 1, x);
    sdb_int(st, k++, x->org_id);
    sdb_int(st, k, x->id);
    return sdb_run(st, 1);
}

int store_dd_indicator_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                           store_dd_indicator *out)
{
    return sdb_fetch_one_by(c, &q_ind_get, org_id, id, a, read_ind, out);
}

int store_dd_indicator_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                            int64_t action_id, store_dd_indicator **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ind_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, impact_id);
    sdb_int(st, 3, impact_id);
    sdb_int(st, 4, action_id);
    sdb_int(st, 5, action_id);
    return sdb_fetch_all(st, a, read_ind, sizeof **out, (void **)out, n);
}

/* ---- measurements ---- */

int store_dd_measure_put(store_conn *c, store_dd_measure *m)
{
    if (m->org_id <= 0 || m->indicator_id <= 0)
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_IND, m->org_id, m->indicator_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_measure_put, &st)) != CORE_OK)
        return rc;
    if (!m->created_at)
        m->created_at = sdb_now();
    sdb_int(st, 1, m->org_id);
    sdb_int(st, 2, m->indicator_id);
    sdb_int(st, 3, m->day);
    sdb_double(st, 4, m->value);
    sdb_text(st, 5, m->note);
    sdb_int(st, 6, m->created_at);
    return sdb_fetch_int(st, &m->id, CORE_ERR);
}

static int read_measure(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_measure *m = row;
    memset(m, 0, sizeof *m);
    m->id = sdb_col_int(st, 0);
    m->org_id = sdb_col_int(st, 1);
    m->indicator_id = sdb_col_int(st, 2);
    m->day = sdb_col_int(st, 3);
    m->value = sdb_col_double(st, 4);
    int bad = dd_dup(st, a, 5, &m->note);
    m->created_at = sdb_col_int(st, 6);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_measure_list(store_conn *c, core_arena *a, int64_t org_id, int64_t indicator_id,
                          store_dd_measure **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_measure_list, org_id, indicator_id, a, read_measure,
                            sizeof **out, (void **)out, n);
}

/* ---- stakeholders ---- */

static int sh_valid(const store_dd_stakeholder *x)
{
    return x->org_id > 0 && x->name && x->name[0] && x->kind;
}

static int read_sh(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_stakeholder *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    bad |= dd_dup(st, a, 2, &x->name);
    bad |= dd_dup(st, a, 3, &x->kind);
    bad |= dd_dup(st, a, 4, &x->region);
    bad |= dd_dup(st, a, 5, &x->countries);
    x->global_south = (int)sdb_col_int(st, 6);
    bad |= dd_dup(st, a, 7, &x->contact);
    x->created_at = sdb_col_int(st, 8);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_stakeholder_create(store_conn *c, store_dd_stakeholder *x)
{
    if (!sh_valid(x))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_sh_create, &st);
    if (rc != CORE_OK)
        return rc;
    if (!x->created_at)
        x->created_at = sdb_now();
    sdb_int(st, 1, x->org_id);
    sdb_text(st, 2, x->name);
    sdb_text(st, 3, x->kind);
    sdb_text(st, 4, x->region);
    sdb_text(st, 5, dd_nz(x->countries));
    sdb_int(st, 6, dd_b01(x->global_south));
    sdb_text(st, 7, x->contact);
    sdb_int(st, 8, x->created_at);
    return sdb_fetch_int(st, &x->id, CORE_ERR);
}

int store_dd_stakeholder_update(store_conn *c, store_dd_stakeholder *x)
{
    if (x->id <= 0 || !sh_valid(x))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_sh_update, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, x->name);
    sdb_text(st, 2, x->kind);
    sdb_text(st, 3, x->region);
    sdb_text(st, 4, dd_nz(x->countries));
    sdb_int(st, 5, dd_b01(x->global_south));
    sdb_text(st, 6, x->contact);
    sdb_int(st, 7, x->org_id);
    sdb_int(st, 8, x->id);
    return sdb_run(st, 1);
}

int store_dd_stakeholder_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                             store_dd_stakeholder *out)
{
    return sdb_fetch_one_by(c, &q_sh_get, org_id, id, a, read_sh, out);
}

int store_dd_stakeholder_list(store_conn *c, core_arena *a, int64_t org_id,
                              store_dd_stakeholder **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_sh_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_sh, sizeof **out, (void **)out, n);
}

/* ---- engagements ---- */

int store_dd_engagement_create(store_conn *c, store_dd_engagement *x)
{
    if (x->org_id <= 0 || x->stakeholder_id <= 0 || !x->step || !x->topics || !x->format)
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_SH, x->org_id, x->stakeholder_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_eng_create, &st)) != CORE_OK)
        return rc;
    if (!x->created_at)
        x->created_at = sdb_now();
    sdb_int(st, 1, x->org_id);
    sdb_int(st, 2, x->stakeholder_id);
    sdb_int(st, 3, x->day);
    sdb_text(st, 4, x->step);
    sdb_text(st, 5, x->topics);
    sdb_text(st, 6, x->format);
    sdb_text(st, 7, x->outcome);
    sdb_text(st, 8, x->follow_up);
    sdb_text(st, 9, dd_nz(x->impact_ids));
    sdb_int(st, 10, x->created_at);
    return sdb_fetch_int(st, &x->id, CORE_ERR);
}

static int read_eng(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_engagement *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    x->stakeholder_id = sdb_col_int(st, 2);
    x->day = sdb_col_int(st, 3);
    bad |= dd_dup(st, a, 4, &x->step);
    bad |= dd_dup(st, a, 5, &x->topics);
    bad |= dd_dup(st, a, 6, &x->format);
    bad |= dd_dup(st, a, 7, &x->outcome);
    bad |= dd_dup(st, a, 8, &x->follow_up);
    bad |= dd_dup(st, a, 9, &x->impact_ids);
    x->created_at = sdb_col_int(st, 10);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_engagement_list(store_conn *c, core_arena *a, int64_t org_id, int64_t stakeholder_id,
                             store_dd_engagement **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_eng_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, stakeholder_id);
    sdb_int(st, 3, stakeholder_id);
    return sdb_fetch_all(st, a, read_eng, sizeof **out, (void **)out, n);
}

/* ---- grievance links ---- */

int store_dd_link_add(store_conn *c, const store_dd_grievance_link *l)
{
    if (l->org_id <= 0 || l->impact_id <= 0 || l->case_id <= 0 || l->linked_by < 0)
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_IMPACT, l->org_id, l->impact_id);
    if (rc == CORE_OK)
        rc = dd_ref_check(c, DD_REF_CASE, l->org_id, l->case_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_link_add, &st)) != CORE_OK)
        return rc;
    sdb_int(st, 1, l->org_id);
    sdb_int(st, 2, l->impact_id);
    sdb_int(st, 3, l->case_id);
    sdb_id_or_null(st, 4, l->linked_by);
    sdb_int(st, 5, l->linked_at ? l->linked_at : sdb_now());
    int64_t got = 0;
    return sdb_fetch_int(st, &got, CORE_CONFLICT);   /* no row: the pair is already linked */
}

static int read_link(sdb_stmt *st, core_arena *a, void *row)
{
    (void)a;
    store_dd_grievance_link *l = row;
    memset(l, 0, sizeof *l);
    l->org_id = sdb_col_int(st, 0);
    l->impact_id = sdb_col_int(st, 1);
    l->case_id = sdb_col_int(st, 2);
    l->linked_by = sdb_col_int(st, 3);
    l->linked_at = sdb_col_int(st, 4);
    return CORE_OK;
}

int store_dd_link_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                       int64_t case_id, store_dd_grievance_link **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_link_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, impact_id);
    sdb_int(st, 3, impact_id);
    sdb_int(st, 4, case_id);
    sdb_int(st, 5, case_id);
    return sdb_fetch_all(st, a, read_link, sizeof **out, (void **)out, n);
}
