/* asm_portfolio: the investor view (assess-app part of assess.h): the
 * companies an organisation holds, each with its latest score, its salient
 * human rights risks and the engagement notes. A holding is kept in the
 * entity's attributes ("held": true, "salient_risks": [...],
 * "engagement_notes": "..."), next to what scoring reads there (subkind,
 * opcom, services), so no table of its own is needed; the risks are typed by
 * the investor, or come from the organisation's own register when the entity
 * stands for the organisation itself (attribute "self": true: the five most salient
 * impacts in the register's priority order, for readers of the register).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "assess/asm_wf_internal.h"
#include "register/register.h"

static int latest_scored(store_conn *c, core_arena *a, int64_t org_id, asm_holding *h)
{
    store_as_assessment *list = NULL;
    size_t n = 0;
    int rc = store_as_assessment_list(c, a, org_id, h->entity.id, 0, &list, &n);
    if (rc != CORE_OK)
        return rc;
    /* newest period first; the first that scores wins */
    for (size_t round = 0; round < n; round++) {
        const store_as_assessment *best = NULL;
        for (size_t i = 0; i < n; i++) {
            if (list[i].id < 0)
                continue;
            if (!best || strcmp(list[i].period, best->period) > 0 ||
                (strcmp(list[i].period, best->period) == 0 && list[i].id > best->id))
                best = &list[i];
        }
        if (!best)
            break;
        store_as_methodology row;
        const asm_methodology *m = NULL;
        asm_score sc;
        if (asm_wf_methodology_c(c, a, org_id, best->methodology_id, &row, &m) == CORE_OK &&
            asm_wf_score_stored(c, a, org_id, best, &h->entity, m, NULL, NULL, &sc) == CORE_OK && sc.has_total) {
            h->has_score = 1;
            h->latest = *best;
            h->methodology = m->name ? m->name : row.name;
            h->total = sc.total;
            return CORE_OK;
        }
        ((store_as_assessment *)best)->id = -1;       /* skip it next round */
    }
    return CORE_OK;
}

/* The register's most salient impacts (priority order) as risk lines. */
static void register_risks(struct reg_service *reg, core_arena *a, const asm_actor *ac, asm_holding *h)
{
    reg_principal pr = {.user_id = ac->user_id, .org_id = ac->org_id, .role = ac->role, .label = ac->label};
    reg_impact_view *v = NULL;
    size_t n = 0;
    if (!reg || !core_authz_allows(ac->role, CORE_PERM_DD_READ) ||
        reg_impact_list(reg, a, &pr, 0, REG_SORT_SALIENCE, &v, &n) != CORE_OK || n == 0)
        return;
    size_t k = n < 5 ? n : 5;
    const char **risks = core_arena_alloc(a, (k + 1) * sizeof *risks);
    if (!risks)
        return;
    for (size_t i = 0; i < k; i++)
        risks[i] = v[i].impact.title;
    h->risks = risks;
    h->n_risks = k;
    h->risks_from_register = 1;
}

int asm_wf_portfolio(store *st, struct reg_service *reg, core_arena *a, const asm_actor *ac, asm_holding **out,
                     size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    store_as_entity *es = NULL;
    size_t ne = 0;
    rc = store_as_entity_list(c, a, ac->org_id, NULL, &es, &ne);
    asm_holding *hs = rc == CORE_OK ? core_arena_alloc(a, (ne + 1) * sizeof *hs) : NULL;
    if (rc == CORE_OK && !hs)
        rc = CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; rc == CORE_OK && i < ne; i++) {
        json_t *attrs = json_loads(es[i].attributes ? es[i].attributes : "{}", 0, NULL);
        if (!json_is_true(json_object_get(attrs, "held"))) {
            json_decref(attrs);
            continue;
        }
        asm_holding *h = &hs[k++];
        h->entity = es[i];
        json_t *risks = json_object_get(attrs, "salient_risks");
        size_t nr = json_array_size(risks);
        h->risks = core_arena_alloc(a, (nr + 1) * sizeof *h->risks);
        for (size_t r = 0; h->risks && r < nr; r++)
            if (json_is_string(json_array_get(risks, r)))
                h->risks[h->n_risks++] = core_arena_strdup(a, json_string_value(json_array_get(risks, r)));
        const char *notes = json_string_value(json_object_get(attrs, "engagement_notes"));
        h->notes = notes && *notes ? core_arena_strdup(a, notes) : NULL;
        int self = json_is_true(json_object_get(attrs, "self"));
        json_decref(attrs);
        if (self)
            register_risks(reg, a, ac, h);
        rc = latest_scored(c, a, ac->org_id, h);
    }
    store_release(st, c);
    if (rc == CORE_OK) {
        *out = hs;
        *n = k;
    }
    return rc;
}

int asm_wf_holding_put(store *st, core_arena *a, const asm_actor *ac, int64_t entity_id,
                       const char *const *risks, size_t n_risks, const char *notes, asm_wf_error *err)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    if (n_risks > 50) {
        asm_wf_seterr(err, "/salient_risks", "as.err.required", "at most 50 salient risks");
        return CORE_INVALID;
    }
    for (size_t i = 0; i < n_risks; i++)
        if (!asm_wf_text_ok(risks[i], 1, 500)) {
            char f[48];
            snprintf(f, sizeof f, "/salient_risks/%zu", i);
            asm_wf_seterr(err, f, "as.err.required", "a risk: 1 to 500 bytes of UTF-8");
            return CORE_INVALID;
        }
    if (notes && !asm_wf_text_ok(notes, 0, 20000)) {
        asm_wf_seterr(err, "/engagement_notes", "as.err.required", "notes: at most 20000 bytes of UTF-8");
        return CORE_INVALID;
    }
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_entity e;
    if (rc == CORE_OK) {
        rc = store_as_entity_get(c, a, ac->org_id, entity_id, &e);   /* CORE_NOTFOUND: the caller's 404 */
        if (rc == CORE_NOTFOUND)
            asm_wf_seterr(err, "/entity", "as.err.entity", "no such entity");
    }
    json_t *attrs = NULL;
    if (rc == CORE_OK) {
        attrs = json_loads(e.attributes ? e.attributes : "{}", 0, NULL);
        if (!json_is_object(attrs)) {
            json_decref(attrs);
            attrs = json_object();
        }
        json_t *arr = json_array();
        for (size_t i = 0; i < n_risks; i++)
            json_array_append_new(arr, json_string(risks[i]));
        json_object_set_new(attrs, "held", json_true());
        json_object_set_new(attrs, "salient_risks", arr);
        if (notes && *notes)
            json_object_set_new(attrs, "engagement_notes", json_string(notes));
        else
            json_object_del(attrs, "engagement_notes");
        char *dump = json_dumps(attrs, JSON_COMPACT | JSON_SORT_KEYS);
        e.attributes = dump ? core_arena_strdup(a, dump) : NULL;
        free(dump);
        json_decref(attrs);
        rc = e.attributes ? store_as_entity_update(c, &e) : CORE_NOMEM;
    }
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "as_entity", entity_id, "holding");
    return asm_wf_finish(st, c, rc);
}

json_t *asm_portfolio_json(const asm_holding *h, size_t n)
{
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *risks = json_array();
        for (size_t r = 0; r < h[i].n_risks; r++)
            json_array_append_new(risks, json_string(h[i].risks[r]));
        json_t *latest = json_null();
        if (h[i].has_score)
            latest = json_pack("{s:I, s:s?, s:s?, s:f, s:I}", "assessment_id", (json_int_t)h[i].latest.id,
                               "methodology", h[i].methodology, "period", h[i].latest.period, "total", h[i].total,
                               "rounded", (json_int_t)asm_round_half_up(h[i].total));
        json_array_append_new(items, json_pack("{s:I, s:s?, s:s?, s:s?, s:o, s:s?, s:o}", "entity_id",
                                               (json_int_t)h[i].entity.id, "slug", h[i].entity.slug, "name",
                                               h[i].entity.name, "kind", h[i].entity.kind, "salient_risks", risks,
                                               "engagement_notes", h[i].notes, "latest", latest));
        json_object_set_new(json_array_get(items, i), "risks_from_register", json_boolean(h[i].risks_from_register));
    }
    return json_pack("{s:o}", "items", items);
}
