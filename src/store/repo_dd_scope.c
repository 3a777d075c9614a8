/* repo_dd_scope: scope objects (products, services, features, business
 * relationships) and the impacts that arise from them.
 *
 * Every statement filters by org_id; references (a scope's product and
 * parent, an impact's scope) are checked in the same organisation first
 * (repo_dd.h), so another organisation's id is CORE_NOTFOUND. A duplicate
 * slug is CORE_CONFLICT without an engine error on create (ON CONFLICT DO
 * NOTHING), so a PostgreSQL transaction stays usable. Optional ids are NULL
 * in the table and 0 in the structs.
 */
#include <string.h>

#include "store/repo_dd.h"

#define SCOPE_COLS "id, org_id, slug, kind, name, description, phase, countries, markers," \
                   " COALESCE(product_id, 0), COALESCE(parent_id, 0), created_at, updated_at"
#define IMPACT_COLS "id, org_id, scope_id, title, description, status, rights, affected_groups," \
                    " vulnerable_groups, countries, involvement, business_model, scale, scope,"  \
                    " irremediable, likelihood, competing_rights, evidence,"                    \
                    " COALESCE(created_by, 0), created_at, updated_at"

static const sdb_sql q_scope_create = {Q_DD_SCOPE_CREATE, "dd_scope_create",
    "INSERT INTO dd_scopes (org_id, slug, kind, name, description, phase, countries, markers,"
    " product_id, parent_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT DO NOTHING RETURNING id", NULL};
static const sdb_sql q_scope_update = {Q_DD_SCOPE_UPDATE, "dd_scope_update",
    "UPDATE dd_scopes SET slug = ?, kind = ?, name = ?, description = ?, phase = ?,"
    " countries = ?, markers = ?, product_id = ?, parent_id = ?, updated_at = ?"
    " WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_scope_get = {Q_DD_SCOPE_GET, "dd_scope_get",
    "SELECT " SCOPE_COLS " FROM dd_scopes WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_scope_get_slug = {Q_DD_SCOPE_GET_SLUG, "dd_scope_get_by_slug",
    "SELECT " SCOPE_COLS " FROM dd_scopes WHERE org_id = ? AND slug = ?", NULL};
static const sdb_sql q_scope_list = {Q_DD_SCOPE_LIST, "dd_scope_list",
    "SELECT " SCOPE_COLS " FROM dd_scopes WHERE org_id = ? ORDER BY name, id", NULL};

static const sdb_sql q_impact_create = {Q_DD_IMPACT_CREATE, "dd_impact_create",
    "INSERT INTO dd_impacts (org_id, scope_id, title, description, status, rights,"
    " affected_groups, vulnerable_groups, countries, involvement, business_model, scale, scope,"
    " irremediable, likelihood, competing_rights, evidence, created_by, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_impact_update = {Q_DD_IMPACT_UPDATE, "dd_impact_update",
    "UPDATE dd_impacts SET scope_id = ?, title = ?, description = ?, status = ?, rights = ?,"
    " affected_groups = ?, vulnerable_groups = ?, countries = ?, involvement = ?,"
    " business_model = ?, scale = ?, scope = ?, irremediable = ?, likelihood = ?,"
    " competing_rights = ?, evidence = ?, updated_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_impact_get = {Q_DD_IMPACT_GET, "dd_impact_get",
    "SELECT " IMPACT_COLS " FROM dd_impacts WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_impact_list = {Q_DD_IMPACT_LIST, "dd_impact_list",
    "SELECT " IMPACT_COLS " FROM dd_impacts WHERE org_id = ?"
    " AND (CAST(? AS BIGINT) = 0 OR scope_id = ?) ORDER BY id", NULL};

/* ---- scope objects ---- */

static int scope_valid(const store_dd_scope *s)
{
    return s->org_id > 0 && s->slug && core_slug_valid(s->slug) && s->kind && s->name &&
           s->name[0] && s->phase && s->product_id >= 0 && s->parent_id >= 0 &&
           (s->parent_id == 0 || s->parent_id != s->id);
}

static int scope_refs(store_conn *c, const store_dd_scope *s)
{
    int rc = dd_ref_opt(c, DD_REF_PRODUCT, s->org_id, s->product_id);
    if (rc == CORE_OK)
        rc = dd_ref_opt(c, DD_REF_SCOPE, s->org_id, s->parent_id);
    return rc;
}

static int read_scope(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_scope *s = row;
    memset(s, 0, sizeof *s);
    int bad = 0;
    s->id = sdb_col_int(st, 0);
    s->org_id = sdb_col_int(st, 1);
    bad |= dd_dup(st, a, 2, &s->slug);
    bad |= dd_dup(st, a, 3, &s->kind);
    bad |= dd_dup(st, a, 4, &s->name);
    bad |= dd_dup(st, a, 5, &s->description);
    bad |= dd_dup(st, a, 6, &s->phase);
    bad |= dd_dup(st, a, 7, &s->countries);
    bad |= dd_dup(st, a, 8, &s->markers);
    s->product_id = sdb_col_int(st, 9);
    s->parent_id = sdb_col_int(st, 10);
    s->created_at = sdb_col_int(st, 11);
    s->updated_at = sdb_col_int(st, 12);
    return bad ? CORE_NOMEM : CORE_OK;
}

int store_dd_scope_create(store_conn *c, store_dd_scope *s)
{
    if (!scope_valid(s))
        return CORE_INVALID;
    int rc = scope_refs(c, s);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_scope_create, &st)) != CORE_OK)
        return rc;
    if (!s->created_at)
        s->created_at = sdb_now();
    if (!s->updated_at)
        s->updated_at = s->created_at;
    sdb_int(st, 1, s->org_id);
    sdb_text(st, 2, s->slug);
    sdb_text(st, 3, s->kind);
    sdb_text(st, 4, s->name);
    sdb_text(st, 5, s->description);
    sdb_text(st, 6, s->phase);
    sdb_text(st, 7, dd_nz(s->countries));
    sdb_text(st, 8, dd_nz(s->markers));
    sdb_id_or_null(st, 9, s->product_id);
    sdb_id_or_null(st, 10, s->parent_id);
    sdb_int(st, 11, s->created_at);
    sdb_int(st, 12, s->updated_at);
    return sdb_fetch_int(st, &s->id, CORE_CONFLICT);   /* no row: the slug is taken */
}

int store_dd_scope_update(store_conn *c, store_dd_scope *s)
{
    if (s->id <= 0 || !scope_valid(s))
        return CORE_INVALID;
    int rc = scope_refs(c, s);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_scope_update, &st)) != CORE_OK)
        return rc;
    s->updated_at = sdb_now();
    sdb_text(st, 1, s->slug);
    sdb_text(st, 2, s->kind);
    sdb_text(st, 3, s->name);
    sdb_text(st, 4, s->description);
    sdb_text(st, 5, s->phase);
    sdb_text(st, 6, dd_nz(s->countries));
    sdb_text(st, 7, dd_nz(s->markers));
    sdb_id_or_null(st, 8, s->product_id);
    sdb_id_or_null(st, 9, s->parent_id);
    sdb_int(st, 10, s->updated_at);
    sdb_int(st, 11, s->org_id);
    sdb_int(st, 12, s->id);
    return sdb_run(st, 1);
}

int store_dd_scope_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_scope *out)
{
    return sdb_fetch_one_by(c, &q_scope_get, org_id, id, a, read_scope, out);
}

int store_dd_scope_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                               store_dd_scope *out)
{
    if (!slug)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_scope_get_slug, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, slug);
    return sdb_fetch_one(st, a, read_scope, out);
}

int store_dd_scope_list(store_conn *c, core_arena *a, int64_t org_id, store_dd_scope **out,
                        size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_scope_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_scope, sizeof **out, (void **)out, n);
}

/* ---- impacts ---- */

static int impact_valid(const store_dd_impact *i)
{
    return i->org_id > 0 && i->scope_id > 0 && i->title && i->title[0] && i->status &&
           i->rights && i->rights[0] && i->involvement && i->created_by >= 0;
}

static int read_impact(sdb_stmt *st, core_arena *a, void *row)
{
    store_dd_impact *x = row;
    memset(x, 0, sizeof *x);
    int bad = 0;
    x->id = sdb_col_int(st, 0);
    x->org_id = sdb_col_int(st, 1);
    x->scope_id = sdb_col_int(st, 2);
    bad |= dd_dup(st, a, 3, &x->title);
    bad |= dd_dup(st, a, 4, &x->description);
    bad |= dd_dup(st, a, 5, &x->status);
    bad |= dd_dup(st, a, 6, &x->rights);
    bad |= dd_dup(st, a, 7, &x->affected_groups);
    bad |= dd_dup(st, a, 8, &x->vulnerable_groups);
    bad |= dd_dup(st, a, 9, &x->countries);
    bad |= dd_dup(st, a, 10, &x->involvement);
    x->business_model = (int)sdb_col_int(st, 11);
    x->scale = (int)sdb_col_int(st, 12);
    x->scope = (int)sdb_col_int(st, 13);
    x->irremediable = (int)sdb_col_int(st, 14);
    x->likelihood = (int)sdb_col_int(st, 15);
    bad |= dd_dup(st, a, 16, &x->competing_rights);
    bad |= dd_dup(st, a, 17, &x->evidence);
    x->created_by = sdb_col_int(st, 18);
    x->created_at = sdb_col_int(st, 19);
    x->updated_at = sdb_col_int(st, 20);
    return bad ? CORE_NOMEM : CORE_OK;
}

/* Binds the mutable columns from index k on (scope_id .. evidence). */
static int bind_impact_body(sdb_stmt *st, int k, const store_dd_impact *x)
{
    sdb_int(st, k++, x->scope_id);
    sdb_text(st, k++, x->title);
    sdb_text(st, k++, x->description);
    sdb_text(st, k++, x->status);
    sdb_text(st, k++, x->rights);
    sdb_text(st, k++, x->affected_groups);
    sdb_text(st, k++, x->vulnerable_groups);
    sdb_text(st, k++, dd_nz(x->countries));
    sdb_text(st, k++, x->involvement);
    sdb_int(st, k++, dd_b01(x->business_model));
    sdb_int(st, k++, x->scale);
    sdb_int(st, k++, x->scope);
    sdb_int(st, k++, x->irremediable);
    sdb_int(st, k++, x->likelihood);
    sdb_text(st, k++, x->competing_rights);
    sdb_text(st, k++, dd_nz(x->evidence));
    return k;
}

int store_dd_impact_create(store_conn *c, store_dd_impact *i)
{
    if (!impact_valid(i))
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_SCOPE, i->org_id, i->scope_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_impact_create, &st)) != CORE_OK)
        return rc;
    if (!i->created_at)
        i->created_at = sdb_now();
    if (!i->updated_at)
        i->updated_at = i->created_at;
    sdb_int(st, 1, i->org_id);
    int k = bind_impact_body(st, 2, i);
    sdb_id_or_null(st, k++, i->created_by);
    sdb_int(st, k++, i->created_at);
    sdb_int(st, k, i->updated_at);
    return sdb_fetch_int(st, &i->id, CORE_ERR);
}

int store_dd_impact_update(store_conn *c, store_dd_impact *i)
{
    if (i->id <= 0 || !impact_valid(i))
        return CORE_INVALID;
    int rc = dd_ref_check(c, DD_REF_SCOPE, i->org_id, i->scope_id);
    sdb_stmt *st;
    if (rc != CORE_OK || (rc = sdb_prep(c, &q_impact_update, &st)) != CORE_OK)
        return rc;
    i->updated_at = sdb_now();
    int k = bind_impact_body(st, 1, i);
    sdb_int(st, k++, i->updated_at);
    sdb_int(st, k++, i->org_id);
    sdb_int(st, k, i->id);
    return sdb_run(st, 1);
}

int store_dd_impact_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_impact *out)
{
    return sdb_fetch_one_by(c, &q_impact_get, org_id, id, a, read_impact, out);
}

int store_dd_impact_list(store_conn *c, core_arena *a, int64_t org_id, int64_t scope_id,
                         store_dd_impact **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_impact_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, scope_id);
    sdb_int(st, 3, scope_id);
    return sdb_fetch_all(st, a, read_impact, sizeof **out, (void **)out, n);
}
