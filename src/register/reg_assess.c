/* reg_assess: assessments (human rights impact assessments and due
 * diligence reviews) per scope object, each with the trigger that caused it;
 * due dates from dd_assessment_due (periodic: from the scope object's last
 * completion), status from dd_due_eval, the due list and its reminder
 * counts, completion with findings, approval by hr_lead or admin only, and
 * the reminders the server logs with its periodic time-limit check.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "register/reg_internal.h"

/* Day of the last completion of an assessment of this scope object, -1 = none. */
static int last_completed(reg_tx *tx, int64_t scope_id, int64_t *day)
{
    store_dd_assessment *as = NULL;
    size_t n = 0;
    *day = -1;
    int rc = store_dd_assessment_list(tx->c, tx->a, tx->pr->org_id, scope_id, &as, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++)
        if (strcmp(as[i].status, "open") != 0 && as[i].completed_day > *day)
            *day = as[i].completed_day;
    return rc;
}

static int assess_refs(reg_tx *tx, const store_dd_assessment *x, reg_error *err)
{
    store_dd_scope s;
    int rc = store_dd_scope_get(tx->c, tx->a, tx->pr->org_id, x->scope_id, &s);
    if (rc == CORE_NOTFOUND)
        return reg_fail(err, "/scope_id", "reg.err.reference", "no such scope object");
    if (rc == CORE_OK && x->impact_id > 0) {
        store_dd_impact i;
        rc = store_dd_impact_get(tx->c, tx->a, tx->pr->org_id, x->impact_id, &i);
        if (rc == CORE_NOTFOUND)
            return reg_fail(err, "/impact_id", "reg.err.reference", "no such impact");
    }
    return rc;
}

int reg_assess_insert(reg_tx *tx, store_dd_assessment *x)
{
    dd_trigger t;
    if (dd_trigger_parse(x->trigger, &t) != CORE_OK)
        return CORE_INVALID;
    int64_t last = -1;
    int rc = t == DD_TRIG_PERIODIC ? last_completed(tx, x->scope_id, &last) : CORE_OK;
    if (rc == CORE_OK)
        rc = dd_assessment_due(t, x->event_day, last, &tx->svc->opt.dd, &x->due_day);
    if (rc != CORE_OK)
        return rc;
    x->id = 0;
    x->org_id = tx->pr->org_id;
    x->status = "open";
    x->completed_day = -1;
    x->approved_by = 0;
    x->approved_at = 0;
    x->created_at = x->updated_at = 0;
    if (x->trigger_note && !*x->trigger_note)
        x->trigger_note = NULL;
    if (x->summary && !*x->summary)
        x->summary = NULL;
    rc = store_dd_assessment_create(tx->c, x);
    if (rc == CORE_OK)
        rc = reg_audit(tx, "dd_assessment", x->id, "create",
                       core_arena_printf(tx->a, "scope=%lld trigger=%s impact=%lld",
                                         (long long)x->scope_id, x->trigger,
                                         (long long)x->impact_id));
    return rc;
}

int reg_assessment_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_assessment *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_assessment(x, "", err, NULL);
    if (rc == CORE_OK)
        rc = assess_refs(&tx, x, err);
    if (rc == CORE_OK)
        rc = reg_assess_insert(&tx, x);
    return reg_tx_end(&tx, rc);
}

static int get_open(reg_tx *tx, int64_t id, store_dd_assessment *cur, const char *want,
                    reg_error *err)
{
    int rc = store_dd_assessment_get(tx->c, tx->a, tx->pr->org_id, id, cur);
    if (rc == CORE_OK && strcmp(cur->status, want) != 0) {
        reg_fail(err, "/status", "reg.err.state",
                 !strcmp(want, "open") ? "the assessment is no longer open"
                                       : "only a completed assessment can be approved");
        rc = CORE_CONFLICT;
    }
    return rc;
}

int reg_assessment_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_assessment *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_assessment cur;
    rc = get_open(&tx, x->id, &cur, "open", err);
    if (rc == CORE_OK)
        rc = reg_check_text(err, "", "trigger_note", x->trigger_note, 0, REG_MAX_TEXT);
    if (rc == CORE_OK)
        rc = reg_check_text(err, "", "summary", x->summary, 0, REG_MAX_TEXT);
    if (rc == CORE_OK) {
        cur.trigger_note = x->trigger_note && *x->trigger_note ? x->trigger_note : NULL;
        cur.summary = x->summary && *x->summary ? x->summary : NULL;
        rc = store_dd_assessment_update(tx.c, &cur);
        if (rc == CORE_OK)
            *x = cur;
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_assessment", x->id, "update", NULL);
    return reg_tx_end(&tx, rc);
}

static int add_finding(reg_tx *tx, int64_t assessment_id, int64_t impact_id, const char *field,
                       reg_error *err)
{
    store_dd_impact i;
    int rc = impact_id > 0 ? store_dd_impact_get(tx->c, tx->a, tx->pr->org_id, impact_id, &i)
                           : CORE_NOTFOUND;
    if (rc == CORE_NOTFOUND)
        return reg_fail(err, field, "reg.err.reference", "no such impact");
    if (rc != CORE_OK)
        return rc;
    int64_t *ids = NULL;
    size_t n = 0;
    rc = store_dd_finding_list(tx->c, tx->a, tx->pr->org_id, assessment_id, &ids, &n);
    for (size_t k = 0; rc == CORE_OK && k < n; k++)
        if (ids[k] == impact_id)
            return CORE_OK;
    if (rc == CORE_OK)
        rc = store_dd_finding_add(tx->c, tx->pr->org_id, assessment_id, impact_id);
    if (rc == CORE_CONFLICT)
        rc = CORE_OK;
    return rc;
}

int reg_assessment_add_finding(reg_service *svc, core_arena *a, const reg_principal *pr,
                               int64_t assessment_id, int64_t impact_id, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_assessment cur;
    rc = store_dd_assessment_get(tx.c, a, pr->org_id, assessment_id, &cur);
    if (rc == CORE_OK && !strcmp(cur.status, "approved")) {
        reg_fail(err, "/status", "reg.err.state", "the assessment is approved");
        rc = CORE_CONFLICT;
    }
    if (rc == CORE_OK)
        rc = add_finding(&tx, assessment_id, impact_id, "/impact_id", err);
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_assessment", assessment_id, "finding",
                       core_arena_printf(a, "impact=%lld", (long long)impact_id));
    return reg_tx_end(&tx, rc);
}

int reg_assessment_complete(reg_service *svc, core_arena *a, const reg_principal *pr,
                            int64_t assessment_id, int64_t day, const char *summary,
                            const int64_t *findings, size_t nfindings, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_assessment cur;
    rc = get_open(&tx, assessment_id, &cur, "open", err);
    if (day < 0)
        day = tx.today;
    if (rc == CORE_OK)
        rc = reg_check_day(err, "", "completed_day", day, 0, tx.today);
    if (rc == CORE_OK)
        rc = reg_check_text(err, "", "summary", summary, 0, REG_MAX_TEXT);
    for (size_t i = 0; rc == CORE_OK && i < nfindings; i++) {
        char *field = core_arena_printf(a, "/findings/%zu", i);
        rc = field ? add_finding(&tx, assessment_id, findings[i], field, err) : CORE_NOMEM;
    }
    if (rc == CORE_OK) {
        cur.status = "completed";
        cur.completed_day = day;
        if (summary)
            cur.summary = *summary ? summary : NULL;
        rc = store_dd_assessment_update(tx.c, &cur);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_assessment", assessment_id, "complete",
                       core_arena_printf(a, "findings=%zu", nfindings));
    return reg_tx_end(&tx, rc);
}

int reg_assessment_approve(reg_service *svc, core_arena *a, const reg_principal *pr,
                           int64_t assessment_id, reg_error *err)
{
    if (!pr || (pr->role != CORE_ROLE_HR_LEAD && pr->role != CORE_ROLE_ADMIN)) {
        reg_fail(err, "/role", "reg.err.role", "only hr_lead or admin approve assessments");
        return CORE_DENIED;
    }
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_APPROVE, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_assessment cur;
    rc = get_open(&tx, assessment_id, &cur, "completed", err);
    if (rc == CORE_OK) {
        cur.status = "approved";
        cur.approved_by = pr->user_id;
        cur.approved_at = tx.now;
        rc = store_dd_assessment_update(tx.c, &cur);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_assessment", assessment_id, "approve",
                       core_arena_printf(a, "role=%s", core_role_name(pr->role)));
    return reg_tx_end(&tx, rc);
}

/* ---- views ---- */

static void view_of(reg_tx *tx, const store_dd_assessment *x, const store_dd_scope *sc, size_t nsc,
                    const store_dd_impact *imp, size_t nimp, reg_assessment_view *v)
{
    memset(v, 0, sizeof *v);
    v->assessment = *x;
    v->due = dd_due_eval(x->due_day, tx->today, x->completed_day, tx->svc->opt.dd.due_soon_days);
    v->days_overdue = x->completed_day < 0 ? dd_days_overdue(x->due_day, tx->today) : 0;
    for (size_t k = 0; k < nsc; k++)
        if (sc[k].id == x->scope_id) {
            v->scope_slug = sc[k].slug;
            v->scope_name = sc[k].name;
        }
    for (size_t k = 0; x->impact_id > 0 && k < nimp; k++)
        if (imp[k].id == x->impact_id)
            v->impact_title = imp[k].title;
}

static int list_views(reg_tx *tx, int64_t scope_id, reg_assessment_view **out, size_t *n)
{
    store_dd_assessment *as = NULL;
    store_dd_scope *sc = NULL;
    store_dd_impact *imp = NULL;
    size_t nas = 0, nsc = 0, nimp = 0;
    int64_t org = tx->pr->org_id;
    int rc = store_dd_assessment_list(tx->c, tx->a, org, scope_id, &as, &nas);
    if (rc == CORE_OK)
        rc = store_dd_scope_list(tx->c, tx->a, org, &sc, &nsc);
    if (rc == CORE_OK)
        rc = store_dd_impact_list(tx->c, tx->a, org, 0, &imp, &nimp);
    if (rc != CORE_OK)
        return rc;
    reg_assessment_view *v = core_arena_alloc(tx->a, (nas ? nas : 1) * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    for (size_t i = 0; i < nas; i++)
        view_of(tx, &as[i], sc, nsc, imp, nimp, &v[i]);
    *out = v;
    *n = nas;
    return CORE_OK;
}

int reg_assessment_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                       reg_assessment_view *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_assessment x;
    rc = store_dd_assessment_get(tx.c, a, pr->org_id, id, &x);
    store_dd_scope s;
    store_dd_impact imp;
    size_t nimp = 0;
    if (rc == CORE_OK)
        rc = store_dd_scope_get(tx.c, a, pr->org_id, x.scope_id, &s);
    if (rc == CORE_OK && x.impact_id > 0 &&
        store_dd_impact_get(tx.c, a, pr->org_id, x.impact_id, &imp) == CORE_OK)
        nimp = 1;
    if (rc == CORE_OK) {
        view_of(&tx, &x, &s, 1, &imp, nimp, out);
        rc = store_dd_finding_list(tx.c, a, pr->org_id, id, &out->findings, &out->nfindings);
    }
    return reg_tx_end(&tx, rc);
}

int reg_assessment_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                        reg_assessment_view **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = list_views(&tx, scope_id, out, n);
    return reg_tx_end(&tx, rc);
}

static int due_rank(dd_due_status s)
{
    return s == DD_DUE_OVERDUE ? 0 : s == DD_DUE_SOON ? 1 : 2;
}

static int due_cmp(const void *pa, const void *pb)
{
    const reg_assessment_view *a = pa, *b = pb;
    int ra = due_rank(a->due), rb = due_rank(b->due);
    if (ra != rb)
        return ra < rb ? -1 : 1;
    if (a->assessment.due_day != b->assessment.due_day)
        return a->assessment.due_day < b->assessment.due_day ? -1 : 1;
    return a->assessment.id < b->assessment.id ? -1 : a->assessment.id > b->assessment.id;
}

int reg_assessment_due_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                            reg_assessment_view **out, size_t *n, size_t *noverdue, size_t *nsoon)
{
    *out = NULL;
    *n = 0;
    if (noverdue)
        *noverdue = 0;
    if (nsoon)
        *nsoon = 0;
    reg_assessment_view *all = NULL;
    size_t k = 0;
    int rc = reg_assessment_list(svc, a, pr, 0, &all, &k);
    if (rc != CORE_OK)
        return rc;
    size_t m = 0;
    for (size_t i = 0; i < k; i++)
        if (all[i].assessment.completed_day < 0 && !strcmp(all[i].assessment.status, "open"))
            all[m++] = all[i];
    if (m > 1)
        qsort(all, m, sizeof *all, due_cmp);
    for (size_t i = 0; i < m; i++) {
        if (noverdue && all[i].due == DD_DUE_OVERDUE)
            (*noverdue)++;
        if (nsoon && all[i].due == DD_DUE_SOON)
            (*nsoon)++;
    }
    *out = all;
    *n = m;
    return CORE_OK;
}

/* ---- reminders ---- */

int reg_reminders(reg_service *svc, core_arena *a, reg_reminder **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    store_conn *c = NULL;
    int rc = store_acquire(svc->st, &c);
    if (rc != CORE_OK)
        return rc;
    store_org *orgs = NULL;
    size_t norgs = 0;
    rc = store_org_list(c, a, &orgs, &norgs);
    store_release(svc->st, c);
    if (rc != CORE_OK)
        return rc;
    reg_reminder *v = core_arena_alloc(a, (norgs ? norgs : 1) * sizeof *v);
    if (!v)
        return CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < norgs; i++) {
        /* the system reads as an administrator of each organisation */
        reg_principal sys = {0, orgs[i].id, CORE_ROLE_ADMIN, "system"};
        reg_assessment_view *due = NULL;
        size_t nd = 0, nover = 0, nsoon = 0;
        rc = reg_assessment_due_list(svc, a, &sys, &due, &nd, &nover, &nsoon);
        if (rc != CORE_OK)
            return rc;
        if (!nover && !nsoon)
            continue;
        reg_reminder *r = &v[k++];
        memset(r, 0, sizeof *r);
        r->org_id = orgs[i].id;
        r->org_slug = orgs[i].slug;
        r->open = nd;
        r->overdue = nover;
        r->due_soon = nsoon;
        r->oldest_due_day = nover ? due[0].assessment.due_day : -1;
    }
    *out = v;
    *n = k;
    return CORE_OK;
}

void reg_reminders_summary(const reg_reminder *r, size_t count, char *buf, size_t n)
{
    if (!n)
        return;
    buf[0] = '\0';
    size_t off = 0;
    for (size_t i = 0; i < count && off < n; i++) {
        int w = snprintf(buf + off, n - off, "%s%s: %zu overdue, %zu due soon", i ? "; " : "",
                         r[i].org_slug ? r[i].org_slug : "?", r[i].overdue, r[i].due_soon);
        if (w < 0)
            break;
        off += (size_t)w;
    }
}
