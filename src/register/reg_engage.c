/* reg_engage: stakeholders (organisations, affected groups, experts,
 * representatives; region, global-South flag, staff-only contact note),
 * engagements (day, step of the cycle, topics, format, outcome, follow-up,
 * impacts discussed), the engagement fatigue warning (dd_fatigue_check per
 * calendar quarter: the engagement is stored, the warning returned) and the
 * coverage view (which salient impacts had input from affected groups or
 * their representatives).
 */
#include <string.h>

#include "register/reg_internal.h"

static void stakeholder_defaults(store_dd_stakeholder *x)
{
    if (!x->countries)
        x->countries = "";
    if (x->region && !*x->region)
        x->region = NULL;
    if (x->contact && !*x->contact)
        x->contact = NULL;
}

int reg_stakeholder_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_stakeholder *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_stakeholder(x, "", err, NULL);
    if (rc == CORE_OK) {
        stakeholder_defaults(x);
        x->id = 0;
        x->org_id = pr->org_id;
        x->created_at = 0;
        rc = store_dd_stakeholder_create(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_stakeholder", x->id, "create",
                       core_arena_printf(a, "kind=%s", x->kind));
    return reg_tx_end(&tx, rc);
}

int reg_stakeholder_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_stakeholder *x, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_stakeholder cur;
    rc = store_dd_stakeholder_get(tx.c, a, pr->org_id, x->id, &cur);
    if (rc == CORE_OK)
        rc = reg_valid_stakeholder(x, "", err, NULL);
    if (rc == CORE_OK) {
        stakeholder_defaults(x);
        x->org_id = pr->org_id;
        x->created_at = cur.created_at;
        rc = store_dd_stakeholder_update(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_stakeholder", x->id, "update", NULL);
    return reg_tx_end(&tx, rc);
}

int reg_stakeholder_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                        store_dd_stakeholder *out)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_stakeholder_get(tx.c, a, pr->org_id, id, out);
    return reg_tx_end(&tx, rc);
}

int reg_stakeholder_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_stakeholder **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_stakeholder_list(tx.c, a, pr->org_id, out, n);
    return reg_tx_end(&tx, rc);
}

/* Fatigue of a stakeholder for an engagement on day, within tx. */
static int fatigue_of(reg_tx *tx, int64_t stakeholder_id, int64_t day, reg_fatigue *out)
{
    memset(out, 0, sizeof *out);
    store_dd_engagement *en = NULL;
    size_t n = 0;
    int rc = store_dd_engagement_list(tx->c, tx->a, tx->pr->org_id, stakeholder_id, &en, &n);
    if (rc != CORE_OK)
        return rc;
    int64_t *days = core_arena_alloc(tx->a, (n ? n : 1) * sizeof *days);
    if (!days)
        return CORE_NOMEM;
    for (size_t i = 0; i < n; i++)
        days[i] = en[i].day;
    out->limit = tx->svc->opt.dd.fatigue_per_quarter;
    rc = dd_fatigue_check(days, n, day, out->limit, &out->check);
    if (rc == CORE_OK)
        out->warning = out->check.exceeds;
    return rc;
}

int reg_fatigue_get(reg_service *svc, core_arena *a, const reg_principal *pr,
                    int64_t stakeholder_id, int64_t day, reg_fatigue *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_stakeholder s;
    rc = store_dd_stakeholder_get(tx.c, a, pr->org_id, stakeholder_id, &s);
    if (rc == CORE_OK)
        rc = fatigue_of(&tx, stakeholder_id, day < 0 ? tx.today : day, out);
    return reg_tx_end(&tx, rc);
}

int reg_engagement_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_engagement *x, reg_fatigue *fatigue, reg_error *err)
{
    reg_fatigue fat;
    memset(&fat, 0, sizeof fat);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_engagement(x, "", tx.today, err, NULL);
    if (rc == CORE_OK) {
        store_dd_stakeholder s;
        rc = store_dd_stakeholder_get(tx.c, a, pr->org_id, x->stakeholder_id, &s);
        if (rc == CORE_NOTFOUND)
            rc = reg_fail(err, "/stakeholder_id", "reg.err.reference", "no such stakeholder");
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    if (rc == CORE_OK)
        rc = reg_parse_ids(a, x->impact_ids, "", "impact_ids", &ids, &nids, err);
    for (size_t i = 0; rc == CORE_OK && i < nids; i++) {
        store_dd_impact imp;
        rc = store_dd_impact_get(tx.c, a, pr->org_id, ids[i], &imp);
        if (rc == CORE_NOTFOUND)
            rc = reg_failf(err, "reg.err.reference", "no such impact", "/impact_ids/%zu", i);
    }
    if (rc == CORE_OK)
        rc = fatigue_of(&tx, x->stakeholder_id, x->day, &fat);
    if (rc == CORE_OK) {
        /* normalised id list: single spaces */
        core_buf b;
        core_buf_init(&b);
        for (size_t i = 0; i < nids; i++)
            core_buf_printf(&b, "%s%lld", i ? " " : "", (long long)ids[i]);
        x->impact_ids = core_arena_strdup(a, b.data ? b.data : "");
        core_buf_cleanup(&b);
        if (!x->impact_ids)
            rc = CORE_NOMEM;
    }
    if (rc == CORE_OK) {
        if (x->outcome && !*x->outcome)
            x->outcome = NULL;
        if (x->follow_up && !*x->follow_up)
            x->follow_up = NULL;
        x->id = 0;
        x->org_id = pr->org_id;
        x->created_at = 0;
        rc = store_dd_engagement_create(tx.c, x);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_engagement", x->id, "create",
                       core_arena_printf(a, "stakeholder=%lld step=%s fatigue=%d",
                                         (long long)x->stakeholder_id, x->step, fat.warning));
    rc = reg_tx_end(&tx, rc);
    if (rc == CORE_OK && fatigue)
        *fatigue = fat;
    return rc;
}

int reg_engagement_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                        int64_t stakeholder_id, store_dd_engagement **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_engagement_list(tx.c, a, pr->org_id, stakeholder_id, out, n);
    return reg_tx_end(&tx, rc);
}

int reg_coverage_get(reg_service *svc, core_arena *a, const reg_principal *pr,
                     reg_coverage_row **out, size_t *n, size_t *ncovered)
{
    *out = NULL;
    *n = 0;
    if (ncovered)
        *ncovered = 0;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    reg_impact_view *iv = NULL;
    size_t niv = 0;
    store_dd_engagement *en = NULL;
    size_t nen = 0;
    store_dd_stakeholder *sh = NULL;
    size_t nsh = 0;
    rc = reg_impact_views(&tx, pr->org_id, 0, REG_SORT_SALIENCE, &iv, &niv);
    if (rc == CORE_OK)
        rc = store_dd_engagement_list(tx.c, a, pr->org_id, 0, &en, &nen);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx.c, a, pr->org_id, &sh, &nsh);
    reg_coverage_row *rows = NULL;
    if (rc == CORE_OK) {
        rows = core_arena_alloc(a, (niv ? niv : 1) * sizeof *rows);
        if (!rows)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < niv; i++) {
        reg_coverage_row *r = &rows[i];
        r->impact = iv[i];
        r->last_day = -1;
        for (size_t k = 0; k < nen; k++) {
            if (!reg_ids_contain(en[k].impact_ids, iv[i].impact.id))
                continue;
            r->engagements++;
            const char *kind = "";
            for (size_t s = 0; s < nsh; s++)
                if (sh[s].id == en[k].stakeholder_id)
                    kind = sh[s].kind;
            if (!strcmp(kind, "affected_group") || !strcmp(kind, "representative")) {
                r->affected_input++;
                if (en[k].day > r->last_day)
                    r->last_day = en[k].day;
            }
        }
        r->covered = r->affected_input > 0;
        if (r->covered && ncovered)
            (*ncovered)++;
    }
    if (rc == CORE_OK) {
        *out = rows;
        *n = niv;
    }
    return reg_tx_end(&tx, rc);
}
