/* reg_import_store: phase 2 of the register import and its entry points.
 * All or nothing: after phase 1 (reg_import.c) found no error, one
 * transaction: the organisation must hold no register yet; users (members
 * of the org by e-mail), products (by slug) and grievance cases (by
 * reference) are resolved, those the target lacks becoming "none" (a link is
 * skipped) with a warning; every record is created in document order with
 * its exported timestamps and states, then one audit entry ("dd_register",
 * "import"). Approved records arrive approved, so importing needs hr_lead or
 * admin.
 */
#include <stdio.h>
#include <string.h>

#include "register/reg_import.h"

typedef struct reg_imp_users {
    const char *emails[64];
    int64_t ids[64];
    size_t n;
} reg_imp_users;

/* ---- phase 2: the store ---- */

/* The id of a member of the org by e-mail; 0 (with a warning) when the
 * target has no such member. */
static int user_of(reg_imp_ctx *c, reg_tx *tx, reg_imp_users *u, const char *email,
                   const char *path, int64_t *id)
{
    *id = 0;
    if (!email)
        return CORE_OK;
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->emails[i], email)) {
            *id = u->ids[i];
            if (!*id)
                reg_imp_warn(c, path, "reg.warn.user", "no such member here: stored as none");
            return CORE_OK;
        }
    store_user su;
    int rc = store_user_get_by_email(tx->c, c->a, email, &su);
    if (rc == CORE_OK) {
        store_member m;
        rc = store_member_get(tx->c, c->a, tx->pr->org_id, su.id, &m);
        if (rc == CORE_OK)
            *id = su.id;
    }
    if (rc != CORE_OK && rc != CORE_NOTFOUND)
        return rc;
    if (!*id)
        reg_imp_warn(c, path, "reg.warn.user", "no such member here: stored as none");
    if (u->n < 64) {
        u->emails[u->n] = email;
        u->ids[u->n++] = *id;
    }
    return CORE_OK;
}

static int org_empty(reg_tx *tx)
{
    core_arena *a = tx->a;
    int64_t org = tx->pr->org_id;
    store_dd_policy *p;
    store_dd_scope *s;
    store_dd_stakeholder *h;
    size_t n1 = 0, n2 = 0, n3 = 0;
    int rc = store_dd_policy_list(tx->c, a, org, &p, &n1);
    if (rc == CORE_OK)
        rc = store_dd_scope_list(tx->c, a, org, &s, &n2);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx->c, a, org, &h, &n3);
    if (rc == CORE_OK && n1 + n2 + n3 > 0)
        rc = CORE_CONFLICT;
    return rc;
}

#define CHK(x)                                                                                    \
    do {                                                                                          \
        rc = (x);                                                                                 \
        if (rc != CORE_OK)                                                                        \
            return rc;                                                                            \
    } while (0)

static int store_doc(reg_imp_ctx *c, reg_tx *tx, reg_imp_doc *d, reg_import_result *res)
{
    core_arena *a = c->a;
    int64_t org = tx->pr->org_id;
    int rc = CORE_OK;
    reg_imp_users *u = core_arena_alloc(a, sizeof *u);
    int64_t *sc_ids = reg_imp_alloc(c, d->n[A_SC], sizeof *sc_ids);
    int64_t *imp_ids = reg_imp_alloc(c, d->n[A_IMP], sizeof *imp_ids);
    int64_t *ac_ids = reg_imp_alloc(c, d->n[A_AC], sizeof *ac_ids);
    int64_t *sh_ids = reg_imp_alloc(c, d->n[A_SH], sizeof *sh_ids);
    if (!u || c->nomem)
        return CORE_NOMEM;
    store_product *prods = NULL;
    size_t nprods = 0;
    CHK(store_product_list(tx->c, a, org, &prods, &nprods));

    for (size_t i = 0; i < d->n[A_POL]; i++) {
        reg_imp_policy *ip = &d->pol[i];
        const char *b = core_arena_printf(a, "/policies/%zu", i);
        store_dd_policy p = ip->p;
        p.org_id = org;
        CHK(user_of(c, tx, u, ip->created_by, reg_imp_path(c, b, "created_by"), &p.created_by));
        CHK(user_of(c, tx, u, ip->approved_by, reg_imp_path(c, b, "approved_by"), &p.approved_by));
        CHK(store_dd_policy_create(tx->c, &p));
        for (size_t k = 0; k < ip->ncomms; k++) {
            store_dd_policy_comm m = ip->comms[k];
            m.org_id = org;
            m.policy_id = p.id;
            CHK(store_dd_policy_comm_add(tx->c, &m));
        }
        for (size_t k = 0; k < ip->nlinks; k++) {
            store_dd_policy_link l = ip->links[k];
            l.org_id = org;
            l.policy_id = p.id;
            CHK(store_dd_policy_link_add(tx->c, &l));
        }
        res->counts[A_POL]++;
    }
    for (size_t i = 0; i < d->n[A_SC]; i++) {
        reg_imp_scope *is = &d->sc[i];
        store_dd_scope s = is->s;
        s.org_id = org;
        s.parent_id = is->parent ? sc_ids[is->parent - 1] : 0;
        s.product_id = 0;
        if (is->product) {
            for (size_t k = 0; k < nprods; k++)
                if (!strcmp(prods[k].slug, is->product))
                    s.product_id = prods[k].id;
            if (!s.product_id)
                reg_imp_warn(c, reg_imp_path(c, core_arena_printf(a, "/scope_objects/%zu", i), "product"),
                        "reg.warn.product", "no such product here: stored as none");
        }
        CHK(store_dd_scope_create(tx->c, &s));
        sc_ids[i] = s.id;
        res->counts[A_SC]++;
    }
    for (size_t i = 0; i < d->n[A_IMP]; i++) {
        reg_imp_impact *ii = &d->imp[i];
        store_dd_impact x = ii->i;
        x.org_id = org;
        x.scope_id = sc_ids[ii->scope - 1];
        CHK(user_of(c, tx, u, ii->created_by,
                    reg_imp_path(c, core_arena_printf(a, "/impacts/%zu", i), "created_by"), &x.created_by));
        CHK(store_dd_impact_create(tx->c, &x));
        imp_ids[i] = x.id;
        res->counts[A_IMP]++;
    }
    for (size_t i = 0; i < d->n[A_AS]; i++) {
        reg_imp_assess *ia = &d->as[i];
        store_dd_assessment x = ia->x;
        x.org_id = org;
        x.scope_id = sc_ids[ia->scope - 1];
        x.impact_id = ia->impact ? imp_ids[ia->impact - 1] : 0;
        CHK(user_of(c, tx, u, ia->approved_by,
                    reg_imp_path(c, core_arena_printf(a, "/assessments/%zu", i), "approved_by"),
                    &x.approved_by));
        if (!ia->due_given) {
            dd_trigger t;
            CHK(dd_trigger_parse(x.trigger, &t));
            CHK(dd_assessment_due(t, x.event_day, -1, &tx->svc->opt.dd, &x.due_day));
        }
        CHK(store_dd_assessment_create(tx->c, &x));
        for (size_t k = 0; k < ia->nfindings; k++)
            CHK(store_dd_finding_add(tx->c, org, x.id, imp_ids[ia->findings[k] - 1]));
        res->counts[A_AS]++;
    }
    for (size_t i = 0; i < d->n[A_AC]; i++) {
        reg_imp_action *ia = &d->ac[i];
        store_dd_action x = ia->x;
        x.org_id = org;
        x.impact_id = imp_ids[ia->impact - 1];
        CHK(user_of(c, tx, u, ia->owner,
                    reg_imp_path(c, core_arena_printf(a, "/actions/%zu", i), "owner"), &x.owner_id));
        CHK(store_dd_action_create(tx->c, &x));
        ac_ids[i] = x.id;
        res->counts[A_AC]++;
    }
    for (size_t i = 0; i < d->n[A_IND]; i++) {
        reg_imp_ind *ii = &d->ind[i];
        store_dd_indicator x = ii->x;
        x.org_id = org;
        x.impact_id = ii->impact ? imp_ids[ii->impact - 1] : 0;
        x.action_id = ii->action ? ac_ids[ii->action - 1] : 0;
        CHK(store_dd_indicator_create(tx->c, &x));
        for (size_t k = 0; k < ii->nms; k++) {
            store_dd_measure m = ii->ms[k];
            m.org_id = org;
            m.indicator_id = x.id;
            CHK(store_dd_measure_put(tx->c, &m));
        }
        res->counts[A_IND]++;
    }
    for (size_t i = 0; i < d->n[A_SH]; i++) {
        store_dd_stakeholder x = d->sh[i];
        x.org_id = org;
        CHK(store_dd_stakeholder_create(tx->c, &x));
        sh_ids[i] = x.id;
        res->counts[A_SH]++;
    }
    for (size_t i = 0; i < d->n[A_EN]; i++) {
        reg_imp_eng *ie = &d->en[i];
        store_dd_engagement x = ie->x;
        x.org_id = org;
        x.stakeholder_id = sh_ids[ie->stakeholder - 1];
        core_buf b;
        core_buf_init(&b);
        for (size_t k = 0; k < ie->nimpacts; k++)
            core_buf_printf(&b, "%s%lld", k ? " " : "", (long long)imp_ids[ie->impacts[k] - 1]);
        x.impact_ids = core_arena_strdup(a, b.data ? b.data : "");
        core_buf_cleanup(&b);
        if (!x.impact_ids)
            return CORE_NOMEM;
        CHK(store_dd_engagement_create(tx->c, &x));
        res->counts[A_EN]++;
    }
    for (size_t i = 0; i < d->n[A_LN]; i++) {
        reg_imp_link *il = &d->ln[i];
        const char *b = core_arena_printf(a, "/grievance_links/%zu", i);
        store_grievance g;
        rc = store_grievance_get_by_reference(tx->c, a, org, il->reference, &g);
        if (rc == CORE_NOTFOUND) {
            reg_imp_warn(c, reg_imp_path(c, b, "case"), "reg.warn.case", "no such case here: link skipped");
            continue;
        }
        if (rc != CORE_OK)
            return rc;
        store_dd_grievance_link l = {.org_id = org, .impact_id = imp_ids[il->impact - 1],
                                     .case_id = g.id, .linked_at = il->linked_at};
        CHK(user_of(c, tx, u, il->linked_by, reg_imp_path(c, b, "linked_by"), &l.linked_by));
        CHK(store_dd_link_add(tx->c, &l));
        res->counts[A_LN]++;
    }
    return c->nomem ? CORE_NOMEM : CORE_OK;
}

int reg_import_json(reg_service *svc, core_arena *a, const reg_principal *pr, json_t *doc,
                    reg_import_result *res)
{
    memset(res, 0, sizeof *res);
    if (!pr || (pr->role != CORE_ROLE_HR_LEAD && pr->role != CORE_ROLE_ADMIN))
        return CORE_DENIED;
    reg_sink errs = {.a = a}, warns = {.a = a};
    reg_imp_ctx c = {.a = a, .errs = &errs, .warns = &warns, .today = reg_today(svc)};
    reg_imp_doc d;
    int rc = reg_imp_read(&c, doc, &d);
    if (rc == CORE_OK) {
        reg_tx tx;
        rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_APPROVE, 1, &tx);
        if (rc != CORE_OK)
            return rc;
        rc = org_empty(&tx);
        if (rc == CORE_CONFLICT)
            reg_imp_err(&c, "", "reg.err.state", "the organisation already holds a register");
        if (rc == CORE_OK)
            rc = store_doc(&c, &tx, &d, res);
        if (rc == CORE_OK)
            rc = reg_audit(&tx, "dd_register", pr->org_id, "import",
                           core_arena_printf(a, "policies=%zu scopes=%zu impacts=%zu links=%zu",
                                             res->counts[A_POL], res->counts[A_SC],
                                             res->counts[A_IMP], res->counts[A_LN]));
        rc = reg_tx_end(&tx, rc);
        if (rc != CORE_OK) {
            memset(res->counts, 0, sizeof res->counts);
            warns.n = 0;
        }
    }
    res->errors = errs.list;
    res->nerrors = errs.n;
    res->warnings = warns.list;
    res->nwarnings = warns.n;
    return rc;
}

int reg_import_text(reg_service *svc, core_arena *a, const reg_principal *pr, const char *text,
                    size_t len, reg_import_result *res)
{
    memset(res, 0, sizeof *res);
    if (!pr || (pr->role != CORE_ROLE_HR_LEAD && pr->role != CORE_ROLE_ADMIN))
        return CORE_DENIED;
    json_error_t je;
    json_t *doc = json_loadb(text, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc) {
        reg_error *e = core_arena_alloc(a, sizeof *e);
        if (!e)
            return CORE_NOMEM;
        e->field = core_arena_printf(a, "%d:%d", je.line, je.column);
        e->key = "reg.err.json";
        e->detail = core_arena_strdup(a, je.text);
        if (!e->field || !e->detail)
            return CORE_NOMEM;
        res->errors = e;
        res->nerrors = 1;
        return CORE_INVALID;
    }
    int rc = reg_import_json(svc, a, pr, doc, res);
    json_decref(doc);
    return rc;
}
