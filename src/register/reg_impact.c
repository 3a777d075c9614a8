/* reg_impact: scope objects (products, services, features, business
 * relationships), impacts with their salience, the prioritised list
 * (dd_priority_cmp: severity before likelihood, then the documented
 * tie-breaks), the heat map (severity band x likelihood) and the grievance
 * link (dd_grievance_feedback: a grievance on a potential impact makes it
 * possibly actual and queues one reassessment).
 */
#include <stdlib.h>
#include <string.h>

#include "register/reg_internal.h"

/* ---- scope objects ---- */

static int scope_refs(reg_tx *tx, const store_dd_scope *s, reg_error *err)
{
    if (s->product_id > 0) {
        store_product p;
        int rc = store_product_get(tx->c, tx->a, tx->pr->org_id, s->product_id, &p);
        if (rc == CORE_NOTFOUND)
            return reg_fail(err, "/product_id", "reg.err.reference", "no such product");
        if (rc != CORE_OK)
            return rc;
    }
    if (s->parent_id > 0) {
        store_dd_scope parent;
        int rc = store_dd_scope_get(tx->c, tx->a, tx->pr->org_id, s->parent_id, &parent);
        if (rc == CORE_NOTFOUND || (rc == CORE_OK && s->id > 0 && parent.id == s->id))
            return reg_fail(err, "/parent_id", "reg.err.reference", "no such scope object");
        if (rc != CORE_OK)
            return rc;
    }
    return CORE_OK;
}

static void scope_defaults(store_dd_scope *s)
{
    if (!s->countries)
        s->countries = "";
    if (!s->markers)
        s->markers = "";
    if (s->description && !*s->description)
        s->description = NULL;
}

static int slug_taken(reg_tx *tx, const store_dd_scope *s, reg_error *err)
{
    store_dd_scope other;
    int rc = store_dd_scope_get_by_slug(tx->c, tx->a, tx->pr->org_id, s->slug, &other);
    if (rc == CORE_OK && other.id != s->id) {
        reg_fail(err, "/slug", "reg.err.duplicate", "a scope object with this slug exists");
        return CORE_CONFLICT;
    }
    return rc == CORE_NOTFOUND ? CORE_OK : rc;
}

int reg_scope_create(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope *s,
                     reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    s->id = 0;
    rc = reg_valid_scope(s, "", err, NULL);
    if (rc == CORE_OK)
        rc = scope_refs(&tx, s, err);
    if (rc == CORE_OK)
        rc = slug_taken(&tx, s, err);
    if (rc == CORE_OK) {
        scope_defaults(s);
        s->org_id = pr->org_id;
        s->created_at = s->updated_at = 0;
        rc = store_dd_scope_create(tx.c, s);
        if (rc == CORE_CONFLICT)
            reg_fail(err, "/slug", "reg.err.duplicate", "a scope object with this slug exists");
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_scope", s->id, "create", core_arena_printf(a, "kind=%s", s->kind));
    return reg_tx_end(&tx, rc);
}

int reg_scope_update(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope *s,
                     reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_scope cur;
    rc = store_dd_scope_get(tx.c, a, pr->org_id, s->id, &cur);
    if (rc == CORE_OK)
        rc = reg_valid_scope(s, "", err, NULL);
    if (rc == CORE_OK)
        rc = scope_refs(&tx, s, err);
    if (rc == CORE_OK)
        rc = slug_taken(&tx, s, err);
    if (rc == CORE_OK) {
        scope_defaults(s);
        s->org_id = pr->org_id;
        s->created_at = cur.created_at;
        rc = store_dd_scope_update(tx.c, s);
        if (rc == CORE_CONFLICT)
            reg_fail(err, "/slug", "reg.err.duplicate", "a scope object with this slug exists");
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_scope", s->id, "update", NULL);
    return reg_tx_end(&tx, rc);
}

int reg_scope_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                  store_dd_scope *out)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_scope_get(tx.c, a, pr->org_id, id, out);
    return reg_tx_end(&tx, rc);
}

int reg_scope_get_by_slug(reg_service *svc, core_arena *a, const reg_principal *pr,
                          const char *slug, store_dd_scope *out)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = slug ? store_dd_scope_get_by_slug(tx.c, a, pr->org_id, slug, out) : CORE_NOTFOUND;
    return reg_tx_end(&tx, rc);
}

int reg_scope_list(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope **out,
                   size_t *n)
{
    reg_tx tx;
    *out = NULL;
    *n = 0;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_scope_list(tx.c, a, pr->org_id, out, n);
    return reg_tx_end(&tx, rc);
}

/* ---- impacts ---- */

static void impact_defaults(store_dd_impact *i)
{
    if (!i->countries)
        i->countries = "";
    if (!i->evidence)
        i->evidence = "";
    if (i->description && !*i->description)
        i->description = NULL;
    if (i->affected_groups && !*i->affected_groups)
        i->affected_groups = NULL;
    if (i->vulnerable_groups && !*i->vulnerable_groups)
        i->vulnerable_groups = NULL;
    if (i->competing_rights && !*i->competing_rights)
        i->competing_rights = NULL;
}

static int impact_refs(reg_tx *tx, const store_dd_impact *i, reg_error *err)
{
    store_dd_scope s;
    int rc = store_dd_scope_get(tx->c, tx->a, tx->pr->org_id, i->scope_id, &s);
    if (rc == CORE_NOTFOUND)
        return reg_fail(err, "/scope_id", "reg.err.reference", "no such scope object");
    return rc;
}

int reg_impact_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_impact *i, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_impact(i, "", err, NULL);
    if (rc == CORE_OK)
        rc = impact_refs(&tx, i, err);
    if (rc == CORE_OK) {
        impact_defaults(i);
        i->id = 0;
        i->org_id = pr->org_id;
        i->created_by = pr->user_id;
        i->created_at = i->updated_at = 0;
        rc = store_dd_impact_create(tx.c, i);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_impact", i->id, "create",
                       core_arena_printf(a, "status=%s involvement=%s", i->status, i->involvement));
    return reg_tx_end(&tx, rc);
}

int reg_impact_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_impact *i, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_impact cur;
    rc = store_dd_impact_get(tx.c, a, pr->org_id, i->id, &cur);
    if (rc == CORE_OK)
        rc = reg_valid_impact(i, "", err, NULL);
    if (rc == CORE_OK)
        rc = impact_refs(&tx, i, err);
    if (rc == CORE_OK) {
        impact_defaults(i);
        i->org_id = pr->org_id;
        i->created_by = cur.created_by;
        i->created_at = cur.created_at;
        rc = store_dd_impact_update(tx.c, i);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_impact", i->id, "update",
                       core_arena_printf(a, "status=%s", i->status));
    return reg_tx_end(&tx, rc);
}

void reg_impact_derive(reg_impact_view *v)
{
    reg_rating_of(&v->impact, &v->rating);
    v->severity = dd_severity(&v->rating);
    v->likelihood = dd_likelihood(&v->rating);
    v->band = dd_severity_band(v->severity);
    dd_involvement inv;
    v->response = v->impact.involvement && dd_involvement_parse(v->impact.involvement, &inv) == CORE_OK
                      ? dd_involvement_response(inv)
                      : 0;
}

static int view_cmp(const void *pa, const void *pb)
{
    const reg_impact_view *a = pa, *b = pb;
    return dd_priority_cmp(&a->rating, &b->rating);
}

void reg_impact_sort(reg_impact_view *v, size_t n)
{
    if (n > 1)
        qsort(v, n, sizeof *v, view_cmp);
    for (size_t i = 0; i < n; i++)
        v[i].rank = i + 1;
}

/* Builds the views of impacts[] (scope names, counts) within an open tx. */
static int build_views(reg_tx *tx, int64_t org, store_dd_impact *imp, size_t n,
                       reg_impact_view **out)
{
    core_arena *a = tx->a;
    reg_impact_view *v = core_arena_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    store_dd_scope *sc = NULL;
    size_t nsc = 0;
    store_dd_grievance_link *ln = NULL;
    size_t nln = 0;
    store_dd_action *ac = NULL;
    size_t nac = 0;
    store_dd_assessment *as = NULL;
    size_t nas = 0;
    int rc = CORE_OK;
    if (n) {
        rc = store_dd_scope_list(tx->c, a, org, &sc, &nsc);
        if (rc == CORE_OK)
            rc = store_dd_link_list(tx->c, a, org, n == 1 ? imp[0].id : 0, 0, &ln, &nln);
        if (rc == CORE_OK)
            rc = store_dd_action_list(tx->c, a, org, n == 1 ? imp[0].id : 0, &ac, &nac);
        if (rc == CORE_OK)
            rc = store_dd_assessment_list(tx->c, a, org, 0, &as, &nas);
    }
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        memset(&v[i], 0, sizeof v[i]);
        v[i].impact = imp[i];
        reg_impact_derive(&v[i]);
        for (size_t k = 0; k < nsc; k++)
            if (sc[k].id == imp[i].scope_id) {
                v[i].scope_slug = sc[k].slug;
                v[i].scope_name = sc[k].name;
                v[i].scope_kind = sc[k].kind;
            }
        for (size_t k = 0; k < nln; k++)
            v[i].nlinks += ln[k].impact_id == imp[i].id;
        for (size_t k = 0; k < nac; k++)
            v[i].nactions += ac[k].impact_id == imp[i].id;
        for (size_t k = 0; k < nas; k++)
            if (as[k].impact_id == imp[i].id && !strcmp(as[k].status, "open"))
                v[i].reassessment_open = 1;
    }
    *out = v;
    return rc;
}

int reg_impact_views(reg_tx *tx, int64_t org_id, int64_t scope_id, reg_sort sort,
                     reg_impact_view **out, size_t *n)
{
    store_dd_impact *imp = NULL;
    *out = NULL;
    *n = 0;
    int rc = store_dd_impact_list(tx->c, tx->a, org_id, scope_id, &imp, n);
    if (rc == CORE_OK && *n)
        rc = build_views(tx, org_id, imp, *n, out);
    if (rc == CORE_OK && !*n)
        *out = core_arena_alloc(tx->a, sizeof **out);
    if (rc == CORE_OK && !*out)
        rc = CORE_NOMEM;
    if (rc == CORE_OK && sort == REG_SORT_SALIENCE)
        reg_impact_sort(*out, *n);
    return rc;
}

int reg_impact_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                    reg_sort sort, reg_impact_view **out, size_t *n)
{
    reg_tx tx;
    *out = NULL;
    *n = 0;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_impact_views(&tx, pr->org_id, scope_id, sort, out, n);
    return reg_tx_end(&tx, rc);
}

int reg_impact_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                   reg_impact_view *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_impact imp;
    rc = store_dd_impact_get(tx.c, a, pr->org_id, id, &imp);
    reg_impact_view *v = NULL;
    if (rc == CORE_OK)
        rc = build_views(&tx, pr->org_id, &imp, 1, &v);
    if (rc == CORE_OK) {
        *out = *v;
        /* rank among all impacts of the org */
        reg_impact_view *all = NULL;
        size_t n = 0;
        rc = reg_impact_views(&tx, pr->org_id, 0, REG_SORT_SALIENCE, &all, &n);
        for (size_t i = 0; rc == CORE_OK && i < n; i++)
            if (all[i].impact.id == id)
                out->rank = all[i].rank;
    }
    return reg_tx_end(&tx, rc);
}

int reg_heatmap_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                    reg_heatmap *out)
{
    memset(out, 0, sizeof *out);
    for (int b = 0; b < 5; b++)
        for (int l = 0; l < 5; l++) {
            out->cells[b][l].band = b + 1;
            out->cells[b][l].likelihood = l + 1;
        }
    reg_impact_view *v = NULL;
    size_t n = 0;
    int rc = reg_impact_list(svc, a, pr, scope_id, REG_SORT_SALIENCE, &v, &n);
    if (rc != CORE_OK)
        return rc;
    for (size_t i = 0; i < n; i++) {
        if (v[i].band < 1 || v[i].band > 5 || v[i].likelihood < 1 || v[i].likelihood > 5)
            continue;
        reg_heat_cell *c = &out->cells[v[i].band - 1][v[i].likelihood - 1];
        if (!c->impact_ids) {
            c->impact_ids = core_arena_alloc(a, n * sizeof *c->impact_ids);
            if (!c->impact_ids)
                return CORE_NOMEM;
        }
        c->impact_ids[c->count++] = v[i].impact.id;
        out->total++;
        if (c->count > out->max_count)
            out->max_count = c->count;
    }
    return CORE_OK;
}

/* ---- grievances feed due diligence ---- */

int reg_impact_link_grievance(reg_service *svc, core_arena *a, const reg_principal *pr,
                              int64_t impact_id, int64_t case_id, reg_link_result *out,
                              reg_error *err)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_impact imp;
    rc = store_dd_impact_get(tx.c, a, pr->org_id, impact_id, &imp);
    store_grievance g;
    if (rc == CORE_OK) {
        rc = case_id > 0 ? store_grievance_get(tx.c, a, pr->org_id, case_id, &g) : CORE_NOTFOUND;
        if (rc == CORE_NOTFOUND)
            rc = reg_fail(err, "/case_id", "reg.err.reference", "no such grievance case");
    }
    dd_feedback fb;
    if (rc == CORE_OK) {
        if (dd_status_parse(imp.status, &out->old_status) != CORE_OK ||
            dd_grievance_feedback(out->old_status, &fb) != CORE_OK)
            rc = CORE_ERR;
    }
    if (rc == CORE_OK) {
        store_dd_grievance_link l = {.org_id = pr->org_id, .impact_id = impact_id,
                                     .case_id = case_id, .linked_by = pr->user_id,
                                     .linked_at = tx.now};
        rc = store_dd_link_add(tx.c, &l);
        if (rc == CORE_CONFLICT)
            reg_fail(err, "/case_id", "reg.err.duplicate", "this case is already linked");
    }
    if (rc == CORE_OK) {
        out->new_status = fb.status;
        if (fb.status != out->old_status) {
            imp.status = dd_status_name(fb.status);
            if (!strstr(imp.evidence ? imp.evidence : "", "grievance"))
                imp.evidence = *imp.evidence ? core_arena_printf(a, "%s grievance", imp.evidence)
                                             : "grievance";
            rc = store_dd_impact_update(tx.c, &imp);
        }
    }
    if (rc == CORE_OK && fb.reassess) {
        store_dd_assessment *as = NULL;
        size_t nas = 0;
        rc = store_dd_assessment_list(tx.c, a, pr->org_id, imp.scope_id, &as, &nas);
        for (size_t i = 0; rc == CORE_OK && i < nas; i++)
            if (as[i].impact_id == impact_id && !strcmp(as[i].status, "open"))
                out->reassessment_id = as[i].id;
        if (rc == CORE_OK && !out->reassessment_id) {
            store_dd_assessment x;
            memset(&x, 0, sizeof x);
            x.scope_id = imp.scope_id;
            x.kind = "dd_review";
            x.trigger = dd_trigger_name(fb.trigger);
            x.trigger_note = NULL;
            x.event_day = tx.today;
            x.impact_id = impact_id;
            rc = reg_assess_insert(&tx, &x);
            if (rc == CORE_OK) {
                out->reassessment_id = x.id;
                out->queued = 1;
            }
        }
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_impact", impact_id, "link_grievance",
                       core_arena_printf(a, "case=%lld status=%s reassessment=%lld",
                                         (long long)case_id, dd_status_name(out->new_status),
                                         (long long)out->reassessment_id));
    return reg_tx_end(&tx, rc);
}

int reg_link_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                  int64_t case_id, reg_link_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_grievance_link *l = NULL;
    size_t k = 0;
    rc = store_dd_link_list(tx.c, a, pr->org_id, impact_id, case_id, &l, &k);
    reg_link_view *v = NULL;
    if (rc == CORE_OK) {
        v = core_arena_alloc(a, (k ? k : 1) * sizeof *v);
        if (!v)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < k; i++) {
        v[i].link = l[i];
        store_grievance g;
        if (store_grievance_get(tx.c, a, pr->org_id, l[i].case_id, &g) == CORE_OK)
            v[i].case_reference = g.reference;
        store_dd_impact imp;
        if (store_dd_impact_get(tx.c, a, pr->org_id, l[i].impact_id, &imp) == CORE_OK)
            v[i].impact_title = imp.title;
    }
    if (rc == CORE_OK) {
        *out = v;
        *n = k;
    }
    return reg_tx_end(&tx, rc);
}
