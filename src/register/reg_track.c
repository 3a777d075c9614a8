/* reg_track: actions on impacts (prevent, mitigate, remediate, use
 * leverage, suspend or end a relationship; owner, function, due date,
 * status, evidence of integration), indicators per impact or action with
 * their measurements, and effectiveness tracking (UNGP 20): trend
 * (dd_trend_of) and on-track status (dd_track_eval) per indicator, linked
 * grievances per month and stakeholder feedback beside them.
 */
#include <stdlib.h>
#include <string.h>

#include "register/reg_internal.h"

/* ---- actions ---- */

static int action_refs(reg_tx *tx, const store_dd_action *x, reg_error *err)
{
    store_dd_impact i;
    int rc = store_dd_impact_get(tx->c, tx->a, tx->pr->org_id, x->impact_id, &i);
    if (rc == CORE_NOTFOUND)
        return reg_fail(err, "/impact_id", "reg.err.reference", "no such impact");
    if (rc == CORE_OK && x->owner_id > 0) {
        store_member m;
        rc = store_member_get(tx->c, tx->a, tx->pr->org_id, x->owner_id, &m);
        if (rc == CORE_NOTFOUND)
            return reg_fail(err, "/owner_id", "reg.err.reference", "not a member of this organisation");
    }
    return rc;
}

static void action_defaults(store_dd_action *x)
{
    if (x->description && !*x->description)
        x->description = NULL;
    if (x->owner_name && !*x->owner_name)
        x->owner_name = NULL;
    if (x->integration && !*x->integration)
        x->integration = NULL;
}

int reg_action_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_action *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_action(x, "", err, NULL);
    if (rc == CORE_OK)
        rc = action_refs(&tx, x, err);
    if (rc == CORE_OK) {
        action_defaults(x);
        x->id = 0;
        x->org_id = pr->org_id;
        x->created_at = x->updated_at = 0;
        rc = store_dd_action_create(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_action", x->id, "create",
                       core_arena_printf(a, "impact=%lld kind=%s", (long long)x->impact_id, x->kind));
    return reg_tx_end(&tx, rc);
}

int reg_action_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_action *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_action cur;
    rc = store_dd_action_get(tx.c, a, pr->org_id, x->id, &cur);
    if (rc == CORE_OK)
        rc = reg_valid_action(x, "", err, NULL);
    if (rc == CORE_OK)
        rc = action_refs(&tx, x, err);
    if (rc == CORE_OK) {
        action_defaults(x);
        x->org_id = pr->org_id;
        x->created_at = cur.created_at;
        rc = store_dd_action_update(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_action", x->id, "update",
                       core_arena_printf(a, "status=%s", x->status));
    return reg_tx_end(&tx, rc);
}

int reg_action_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                   store_dd_action *out)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_action_get(tx.c, a, pr->org_id, id, out);
    return reg_tx_end(&tx, rc);
}

int reg_action_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                    store_dd_action **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_action_list(tx.c, a, pr->org_id, impact_id, out, n);
    return reg_tx_end(&tx, rc);
}

/* ---- indicators ---- */

static int indicator_refs(reg_tx *tx, const store_dd_indicator *x, reg_error *err)
{
    int rc;
    if (x->impact_id > 0) {
        store_dd_impact i;
        rc = store_dd_impact_get(tx->c, tx->a, tx->pr->org_id, x->impact_id, &i);
        if (rc == CORE_NOTFOUND)
            return reg_fail(err, "/impact_id", "reg.err.reference", "no such impact");
    } else {
        store_dd_action ac;
        rc = store_dd_action_get(tx->c, tx->a, tx->pr->org_id, x->action_id, &ac);
        if (rc == CORE_NOTFOUND)
            return reg_fail(err, "/action_id", "reg.err.reference", "no such action");
    }
    return rc;
}

int reg_indicator_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_indicator *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_indicator(x, "", err, NULL);
    if (rc == CORE_OK)
        rc = indicator_refs(&tx, x, err);
    if (rc == CORE_OK) {
        x->id = 0;
        x->org_id = pr->org_id;
        x->created_at = 0;
        rc = store_dd_indicator_create(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_indicator", x->id, "create",
                       core_arena_printf(a, "impact=%lld action=%lld", (long long)x->impact_id,
                                         (long long)x->action_id));
    return reg_tx_end(&tx, rc);
}

int reg_indicator_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_indicator *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_indicator cur;
    rc = store_dd_indicator_get(tx.c, a, pr->org_id, x->id, &cur);
    if (rc == CORE_OK)
        rc = reg_valid_indicator(x, "", err, NULL);
    if (rc == CORE_OK)
        rc = indicator_refs(&tx, x, err);
    if (rc == CORE_OK) {
        x->org_id = pr->org_id;
        x->created_at = cur.created_at;
        rc = store_dd_indicator_update(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_indicator", x->id, "update", NULL);
    return reg_tx_end(&tx, rc);
}

int reg_measure_put(reg_service *svc, core_arena *a, const reg_principal *pr,
                    store_dd_measure *m, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_indicator ind;
    rc = store_dd_indicator_get(tx.c, a, pr->org_id, m->indicator_id, &ind);
    if (rc == CORE_NOTFOUND)
        rc = reg_fail(err, "/indicator_id", "reg.err.reference", "no such indicator");
    if (rc == CORE_OK)
        rc = reg_valid_measure(m, "", tx.today, err, NULL);
    if (rc == CORE_OK) {
        m->id = 0;
        m->org_id = pr->org_id;
        m->created_at = 0;
        if (m->note && !*m->note)
            m->note = NULL;
        rc = store_dd_measure_put(tx.c, m);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_indicator", m->indicator_id, "measure",
                       core_arena_printf(a, "day=%lld", (long long)m->day));
    return reg_tx_end(&tx, rc);
}

/* Fills v from an indicator and its measurements (by day). */
int reg_indicator_eval(core_arena *a, const store_dd_indicator *ind, store_dd_measure *ms,
                       size_t n, reg_indicator_view *v)
{
    memset(v, 0, sizeof *v);
    v->indicator = *ind;
    v->measures = ms;
    v->nmeasures = n;
    dd_point *pts = core_arena_alloc(a, (n ? n : 1) * sizeof *pts);
    if (!pts)
        return CORE_NOMEM;
    for (size_t i = 0; i < n; i++) {
        pts[i].day = ms[i].day;
        pts[i].value = ms[i].value;
        if (!v->has_latest || ms[i].day >= v->latest_day) {
            v->has_latest = 1;
            v->latest_day = ms[i].day;
            v->latest = ms[i].value;
        }
    }
    v->trend = dd_trend_of(pts, n, &v->slope);
    dd_indicator di;
    memset(&di, 0, sizeof di);
    if (dd_direction_parse(ind->direction, &di.direction) != CORE_OK)
        di.direction = DD_DIR_MAINTAIN;
    di.target = ind->target;
    di.tolerance = ind->tolerance;
    di.target_day = ind->target_day;
    v->track = dd_track_eval(&di, pts, n);
    return CORE_OK;
}

static int view_list(reg_tx *tx, int64_t org, int64_t impact_id, int64_t action_id,
                     reg_indicator_view **out, size_t *n)
{
    store_dd_indicator *inds = NULL;
    size_t k = 0;
    *out = NULL;
    *n = 0;
    int rc = store_dd_indicator_list(tx->c, tx->a, org, impact_id, action_id, &inds, &k);
    if (rc != CORE_OK)
        return rc;
    reg_indicator_view *v = core_arena_alloc(tx->a, (k ? k : 1) * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    for (size_t i = 0; rc == CORE_OK && i < k; i++) {
        store_dd_measure *ms = NULL;
        size_t nm = 0;
        rc = store_dd_measure_list(tx->c, tx->a, org, inds[i].id, &ms, &nm);
        if (rc == CORE_OK)
            rc = reg_indicator_eval(tx->a, &inds[i], ms, nm, &v[i]);
    }
    if (rc == CORE_OK) {
        *out = v;
        *n = k;
    }
    return rc;
}

int reg_indicator_views(reg_tx *tx, int64_t org, int64_t impact_id, int64_t action_id,
                        reg_indicator_view **out, size_t *n)
{
    return view_list(tx, org, impact_id, action_id, out, n);
}

int reg_indicator_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                      reg_indicator_view *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_indicator ind;
    rc = store_dd_indicator_get(tx.c, a, pr->org_id, id, &ind);
    store_dd_measure *ms = NULL;
    size_t nm = 0;
    if (rc == CORE_OK)
        rc = store_dd_measure_list(tx.c, a, pr->org_id, id, &ms, &nm);
    if (rc == CORE_OK)
        rc = reg_indicator_eval(a, &ind, ms, nm, out);
    return reg_tx_end(&tx, rc);
}

int reg_indicator_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                       int64_t action_id, reg_indicator_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = view_list(&tx, pr->org_id, impact_id, action_id, out, n);
    return reg_tx_end(&tx, rc);
}

/* ---- tracking ---- */

/* Does the space-separated id list name id? */
int reg_ids_contain(const char *list, int64_t id)
{
    const char *p = list ? list : "";
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        char *end = NULL;
        long long v = strtoll(p, &end, 10);
        if (end == p)
            return 0;
        if (v == id)
            return 1;
        p = end;
        while (*p && *p != ' ')
            p++;
    }
    return 0;
}

/* Links per calendar month from the first link's month to now's month. */
int reg_month_counts(core_arena *a, const store_dd_grievance_link *ln, size_t n, int64_t now,
                     reg_month_count **out, size_t *nmonths)
{
    *out = NULL;
    *nmonths = 0;
    if (!n)
        return CORE_OK;
    int64_t first = ln[0].linked_at;
    for (size_t i = 1; i < n; i++)
        if (ln[i].linked_at < first)
            first = ln[i].linked_at;
    int y0, m0, y1, m1;
    reg_month_of(first, &y0, &m0);
    reg_month_of(now > first ? now : first, &y1, &m1);
    int64_t span = (int64_t)(y1 - y0) * 12 + (m1 - m0) + 1;
    if (span < 1)
        span = 1;
    if (span > 1200)
        span = 1200;
    reg_month_count *v = core_arena_alloc(a, (size_t)span * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    for (int64_t k = 0; k < span; k++) {
        int64_t mm = (int64_t)m0 - 1 + k;
        v[k].year = (int)(y0 + mm / 12);
        v[k].month = (int)(mm % 12) + 1;
    }
    for (size_t i = 0; i < n; i++) {
        int y, m;
        reg_month_of(ln[i].linked_at, &y, &m);
        int64_t k = (int64_t)(y - y0) * 12 + (m - m0);
        if (k >= 0 && k < span)
            v[k].count++;
    }
    *out = v;
    *nmonths = (size_t)span;
    return CORE_OK;
}

int reg_tracking_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                     reg_tracking *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    int64_t org = pr->org_id;
    store_dd_impact imp;
    rc = store_dd_impact_get(tx.c, a, org, impact_id, &imp);
    reg_indicator_view *iv = NULL;
    size_t niv = 0;
    store_dd_action *ac = NULL;
    size_t nac = 0;
    if (rc == CORE_OK)
        rc = view_list(&tx, org, impact_id, 0, &iv, &niv);
    if (rc == CORE_OK)
        rc = store_dd_action_list(tx.c, a, org, impact_id, &ac, &nac);
    /* the impact's indicators, then each action's */
    reg_indicator_view **parts = NULL;
    size_t *nparts = NULL;
    if (rc == CORE_OK) {
        parts = core_arena_alloc(a, (nac + 1) * sizeof *parts);
        nparts = core_arena_alloc(a, (nac + 1) * sizeof *nparts);
        if (!parts || !nparts)
            rc = CORE_NOMEM;
    }
    size_t total = niv;
    for (size_t i = 0; rc == CORE_OK && i < nac; i++) {
        rc = view_list(&tx, org, 0, ac[i].id, &parts[i], &nparts[i]);
        total += nparts[i];
    }
    if (rc == CORE_OK) {
        out->indicators = core_arena_alloc(a, (total ? total : 1) * sizeof *out->indicators);
        if (!out->indicators)
            rc = CORE_NOMEM;
    }
    if (rc == CORE_OK) {
        for (size_t i = 0; i < niv; i++)
            out->indicators[out->nindicators++] = iv[i];
        for (size_t i = 0; i < nac; i++)
            for (size_t k = 0; k < nparts[i]; k++)
                out->indicators[out->nindicators++] = parts[i][k];
    }
    store_dd_grievance_link *ln = NULL;
    size_t nln = 0;
    if (rc == CORE_OK)
        rc = store_dd_link_list(tx.c, a, org, impact_id, 0, &ln, &nln);
    if (rc == CORE_OK) {
        out->ngrievances = nln;
        rc = reg_month_counts(a, ln, nln, tx.now, &out->grievances, &out->nmonths);
    }
    store_dd_engagement *en = NULL;
    size_t nen = 0;
    store_dd_stakeholder *sh = NULL;
    size_t nsh = 0;
    if (rc == CORE_OK)
        rc = store_dd_engagement_list(tx.c, a, org, 0, &en, &nen);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx.c, a, org, &sh, &nsh);
    if (rc == CORE_OK) {
        out->feedback = core_arena_alloc(a, (nen ? nen : 1) * sizeof *out->feedback);
        out->feedback_stakeholders =
            core_arena_alloc(a, (nen ? nen : 1) * sizeof *out->feedback_stakeholders);
        if (!out->feedback || !out->feedback_stakeholders)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < nen; i++) {
        if (!reg_ids_contain(en[i].impact_ids, impact_id))
            continue;
        out->feedback[out->nfeedback] = en[i];
        out->feedback_stakeholders[out->nfeedback] = "";
        for (size_t k = 0; k < nsh; k++)
            if (sh[k].id == en[i].stakeholder_id)
                out->feedback_stakeholders[out->nfeedback] = sh[k].name;
        out->nfeedback++;
    }
    return reg_tx_end(&tx, rc);
}
