/* reg_export: the whole register of one organisation as one JSON document
 * (the format import reads back; see register.h).
 *
 * Stable by construction: every array in id order (ids grow with insertion,
 * and import inserts in array order, so an import into an empty
 * organisation gives the same order back); members in a fixed order;
 * references as 1-based positions in the target array, users by e-mail,
 * products by slug, grievance cases by reference (ids differ between
 * databases, these do not); days as "YYYY-MM-DD", times as Unix seconds.
 * Grievance links sort by (linked_at, impact position, case reference).
 */
#include <stdlib.h>
#include <string.h>

#include "register/reg_internal.h"

/* ---- JSON helpers ---- */

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jday(int64_t day)
{
    if (day < 0)
        return json_null();
    char b[11];
    reg_day_format(day, b);
    return b[0] ? json_string(b) : json_null();
}

static json_t *jtokens(core_arena *a, const char *s)
{
    const char **tok = NULL;
    size_t n = reg_tokens(a, s, &tok);
    json_t *arr = json_array();
    for (size_t i = 0; arr && tok && i < n; i++)
        json_array_append_new(arr, json_string(tok[i]));
    return arr;
}

static json_t *jpos(size_t pos)
{
    return pos ? json_integer((json_int_t)pos) : json_null();
}

/* 1-based position of id in ids[0..n), 0 if absent or id <= 0. */
static size_t pos_of(const int64_t *ids, size_t n, int64_t id)
{
    if (id <= 0)
        return 0;
    size_t lo = 0, hi = n;
    while (lo < hi) {               /* ids are sorted ascending */
        size_t mid = (lo + hi) / 2;
        if (ids[mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && ids[lo] == id ? lo + 1 : 0;
}

/* ---- user e-mails (small cache) ---- */

typedef struct user_cache {
    int64_t ids[64];
    const char *emails[64];
    size_t n;
} user_cache;

static json_t *juser(reg_tx *tx, user_cache *uc, int64_t id)
{
    if (id <= 0)
        return json_null();
    for (size_t i = 0; i < uc->n; i++)
        if (uc->ids[i] == id)
            return jstr(uc->emails[i]);
    store_user u;
    const char *email = NULL;
    if (store_user_get(tx->c, tx->a, id, &u) == CORE_OK)
        email = u.email;
    if (uc->n < 64) {
        uc->ids[uc->n] = id;
        uc->emails[uc->n++] = email;
    }
    return jstr(email);
}

/* ---- sorting ---- */

#define BY_ID(name, type)                                                                         \
    static int name(const void *pa, const void *pb)                                               \
    {                                                                                             \
        const type *a = pa, *b = pb;                                                              \
        return a->id < b->id ? -1 : a->id > b->id;                                                \
    }
BY_ID(policy_cmp, store_dd_policy)
BY_ID(scope_cmp, store_dd_scope)
BY_ID(impact_cmp, store_dd_impact)
BY_ID(assess_cmp, store_dd_assessment)
BY_ID(action_cmp, store_dd_action)
BY_ID(ind_cmp, store_dd_indicator)
BY_ID(sh_cmp, store_dd_stakeholder)
BY_ID(eng_cmp, store_dd_engagement)
BY_ID(comm_cmp, store_dd_policy_comm)
BY_ID(plink_cmp, store_dd_policy_link)

static int size_cmp(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    return a < b ? -1 : a > b;
}

typedef struct link_row {
    store_dd_grievance_link l;
    size_t impact_pos;
    const char *reference;
} link_row;

static int link_cmp(const void *pa, const void *pb)
{
    const link_row *a = pa, *b = pb;
    if (a->l.linked_at != b->l.linked_at)
        return a->l.linked_at < b->l.linked_at ? -1 : 1;
    if (a->impact_pos != b->impact_pos)
        return a->impact_pos < b->impact_pos ? -1 : 1;
    return strcmp(a->reference ? a->reference : "", b->reference ? b->reference : "");
}

#define SORT(arr, n, cmp)                                                                         \
    do {                                                                                          \
        if ((n) > 1)                                                                              \
            qsort((arr), (n), sizeof *(arr), cmp);                                                \
    } while (0)

static int64_t *ids_of(core_arena *a, const void *base, size_t n, size_t stride)
{
    int64_t *v = core_arena_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v)
        return NULL;
    for (size_t i = 0; i < n; i++)
        v[i] = *(const int64_t *)((const char *)base + i * stride); /* id is the first member */
    return v;
}

/* ---- the document ---- */

typedef struct reg_dump {
    store_dd_policy *pol;
    size_t npol;
    store_dd_scope *sc;
    size_t nsc;
    store_dd_impact *imp;
    size_t nimp;
    store_dd_assessment *as;
    size_t nas;
    store_dd_action *ac;
    size_t nac;
    store_dd_indicator *ind;
    size_t nind;
    store_dd_stakeholder *sh;
    size_t nsh;
    store_dd_engagement *en;
    size_t nen;
    store_dd_grievance_link *ln;
    size_t nln;
} reg_dump;

static int reg_dump_load(reg_tx *tx, int64_t org, reg_dump *d)
{
    memset(d, 0, sizeof *d);
    core_arena *a = tx->a;
    int rc = store_dd_policy_list(tx->c, a, org, &d->pol, &d->npol);
    if (rc == CORE_OK)
        rc = store_dd_scope_list(tx->c, a, org, &d->sc, &d->nsc);
    if (rc == CORE_OK)
        rc = store_dd_impact_list(tx->c, a, org, 0, &d->imp, &d->nimp);
    if (rc == CORE_OK)
        rc = store_dd_assessment_list(tx->c, a, org, 0, &d->as, &d->nas);
    if (rc == CORE_OK)
        rc = store_dd_action_list(tx->c, a, org, 0, &d->ac, &d->nac);
    if (rc == CORE_OK)
        rc = store_dd_indicator_list(tx->c, a, org, 0, 0, &d->ind, &d->nind);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx->c, a, org, &d->sh, &d->nsh);
    if (rc == CORE_OK)
        rc = store_dd_engagement_list(tx->c, a, org, 0, &d->en, &d->nen);
    if (rc == CORE_OK)
        rc = store_dd_link_list(tx->c, a, org, 0, 0, &d->ln, &d->nln);
    if (rc != CORE_OK)
        return rc;
    SORT(d->pol, d->npol, policy_cmp);
    SORT(d->sc, d->nsc, scope_cmp);
    SORT(d->imp, d->nimp, impact_cmp);
    SORT(d->as, d->nas, assess_cmp);
    SORT(d->ac, d->nac, action_cmp);
    SORT(d->ind, d->nind, ind_cmp);
    SORT(d->sh, d->nsh, sh_cmp);
    SORT(d->en, d->nen, eng_cmp);
    return CORE_OK;
}

#define SET(o, k, v) json_object_set_new((o), (k), (v))

static json_t *policies_json(reg_tx *tx, user_cache *uc, const reg_dump *d, int *rc)
{
    core_arena *a = tx->a;
    json_t *arr = json_array();
    for (size_t i = 0; arr && *rc == CORE_OK && i < d->npol; i++) {
        const store_dd_policy *p = &d->pol[i];
        json_t *o = json_object();
        SET(o, "version", json_integer(p->version));
        SET(o, "title", jstr(p->title));
        SET(o, "body_md", jstr(p->body_md));
        SET(o, "scope_rights", jtokens(a, p->scope_rights));
        SET(o, "own_operations", json_boolean(p->own_operations));
        SET(o, "business_partners", json_boolean(p->business_partners));
        SET(o, "end_use", json_boolean(p->end_use));
        SET(o, "status", jstr(p->status));
        SET(o, "created_by", juser(tx, uc, p->created_by));
        SET(o, "created_at", json_integer(p->created_at));
        SET(o, "approved_by", juser(tx, uc, p->approved_by));
        SET(o, "approved_at", json_integer(p->approved_at));
        SET(o, "approved_role", jstr(p->approved_role));
        store_dd_policy_comm *cm = NULL;
        size_t ncm = 0;
        store_dd_policy_link *lk = NULL;
        size_t nlk = 0;
        *rc = store_dd_policy_comm_list(tx->c, a, p->org_id, p->id, &cm, &ncm);
        if (*rc == CORE_OK)
            *rc = store_dd_policy_link_list(tx->c, a, p->org_id, p->id, &lk, &nlk);
        SORT(cm, ncm, comm_cmp);
        SORT(lk, nlk, plink_cmp);
        json_t *ca = json_array();
        for (size_t k = 0; ca && k < ncm; k++) {
            json_t *c = json_object();
            SET(c, "day", jday(cm[k].day));
            SET(c, "channel", jstr(cm[k].channel));
            SET(c, "audience", jstr(cm[k].audience));
            SET(c, "note", jstr(cm[k].note));
            SET(c, "created_at", json_integer(cm[k].created_at));
            json_array_append_new(ca, c);
        }
        SET(o, "communications", ca);
        json_t *la = json_array();
        for (size_t k = 0; la && k < nlk; k++) {
            json_t *l = json_object();
            SET(l, "title", jstr(lk[k].title));
            SET(l, "url", jstr(lk[k].url));
            SET(l, "function", jstr(lk[k].function));
            json_array_append_new(la, l);
        }
        SET(o, "links", la);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *scopes_json(reg_tx *tx, const reg_dump *d, const int64_t *sc_ids)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nsc; i++) {
        const store_dd_scope *s = &d->sc[i];
        json_t *o = json_object();
        SET(o, "slug", jstr(s->slug));
        SET(o, "kind", jstr(s->kind));
        SET(o, "name", jstr(s->name));
        SET(o, "description", jstr(s->description));
        SET(o, "phase", jstr(s->phase));
        SET(o, "countries", jtokens(tx->a, s->countries));
        SET(o, "markers", jtokens(tx->a, s->markers));
        const char *product = NULL;
        store_product p;
        if (s->product_id > 0 &&
            store_product_get(tx->c, tx->a, s->org_id, s->product_id, &p) == CORE_OK)
            product = p.slug;
        SET(o, "product", jstr(product));
        SET(o, "parent", jpos(pos_of(sc_ids, d->nsc, s->parent_id)));
        SET(o, "created_at", json_integer(s->created_at));
        SET(o, "updated_at", json_integer(s->updated_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *impacts_json(reg_tx *tx, user_cache *uc, const reg_dump *d, const int64_t *sc_ids)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nimp; i++) {
        const store_dd_impact *x = &d->imp[i];
        json_t *o = json_object();
        SET(o, "scope_object", jpos(pos_of(sc_ids, d->nsc, x->scope_id)));
        SET(o, "title", jstr(x->title));
        SET(o, "description", jstr(x->description));
        SET(o, "status", jstr(x->status));
        SET(o, "rights", jtokens(tx->a, x->rights));
        SET(o, "affected_groups", jstr(x->affected_groups));
        SET(o, "vulnerable_groups", jstr(x->vulnerable_groups));
        SET(o, "countries", jtokens(tx->a, x->countries));
        SET(o, "involvement", jstr(x->involvement));
        SET(o, "business_model", json_boolean(x->business_model));
        SET(o, "scale", json_integer(x->scale));
        SET(o, "scope", json_integer(x->scope));
        SET(o, "irremediable", json_integer(x->irremediable));
        SET(o, "likelihood", json_integer(x->likelihood));
        SET(o, "competing_rights", jstr(x->competing_rights));
        SET(o, "evidence", jtokens(tx->a, x->evidence));
        SET(o, "created_by", juser(tx, uc, x->created_by));
        SET(o, "created_at", json_integer(x->created_at));
        SET(o, "updated_at", json_integer(x->updated_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *assessments_json(reg_tx *tx, user_cache *uc, const reg_dump *d,
                                const int64_t *sc_ids, const int64_t *imp_ids, int *rc)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && *rc == CORE_OK && i < d->nas; i++) {
        const store_dd_assessment *x = &d->as[i];
        json_t *o = json_object();
        SET(o, "scope_object", jpos(pos_of(sc_ids, d->nsc, x->scope_id)));
        SET(o, "kind", jstr(x->kind));
        SET(o, "trigger", jstr(x->trigger));
        SET(o, "trigger_note", jstr(x->trigger_note));
        SET(o, "event_day", jday(x->event_day));
        SET(o, "due_day", jday(x->due_day));
        SET(o, "status", jstr(x->status));
        SET(o, "completed_day", jday(x->completed_day));
        SET(o, "summary", jstr(x->summary));
        SET(o, "impact", jpos(pos_of(imp_ids, d->nimp, x->impact_id)));
        SET(o, "approved_by", juser(tx, uc, x->approved_by));
        SET(o, "approved_at", json_integer(x->approved_at));
        SET(o, "created_at", json_integer(x->created_at));
        SET(o, "updated_at", json_integer(x->updated_at));
        int64_t *f = NULL;
        size_t nf = 0;
        *rc = store_dd_finding_list(tx->c, tx->a, x->org_id, x->id, &f, &nf);
        size_t *pos = core_arena_alloc(tx->a, (nf ? nf : 1) * sizeof *pos);
        if (!pos)
            *rc = CORE_NOMEM;
        for (size_t k = 0; *rc == CORE_OK && k < nf; k++)
            pos[k] = pos_of(imp_ids, d->nimp, f[k]);
        if (*rc == CORE_OK && nf > 1) /* by position: independent of the engine's order */
            qsort(pos, nf, sizeof *pos, size_cmp);
        json_t *fa = json_array();
        for (size_t k = 0; fa && *rc == CORE_OK && k < nf; k++)
            json_array_append_new(fa, jpos(pos[k]));
        SET(o, "findings", fa);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *actions_json(reg_tx *tx, user_cache *uc, const reg_dump *d, const int64_t *imp_ids)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nac; i++) {
        const store_dd_action *x = &d->ac[i];
        json_t *o = json_object();
        SET(o, "impact", jpos(pos_of(imp_ids, d->nimp, x->impact_id)));
        SET(o, "kind", jstr(x->kind));
        SET(o, "title", jstr(x->title));
        SET(o, "description", jstr(x->description));
        SET(o, "owner", juser(tx, uc, x->owner_id));
        SET(o, "owner_name", jstr(x->owner_name));
        SET(o, "function", jstr(x->function));
        SET(o, "due_day", jday(x->due_day));
        SET(o, "status", jstr(x->status));
        SET(o, "integration", jstr(x->integration));
        SET(o, "created_at", json_integer(x->created_at));
        SET(o, "updated_at", json_integer(x->updated_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *indicators_json(reg_tx *tx, const reg_dump *d, const int64_t *imp_ids,
                               const int64_t *ac_ids, int *rc)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && *rc == CORE_OK && i < d->nind; i++) {
        const store_dd_indicator *x = &d->ind[i];
        json_t *o = json_object();
        SET(o, "impact", jpos(pos_of(imp_ids, d->nimp, x->impact_id)));
        SET(o, "action", jpos(pos_of(ac_ids, d->nac, x->action_id)));
        SET(o, "name", jstr(x->name));
        SET(o, "unit", jstr(x->unit));
        SET(o, "direction", jstr(x->direction));
        SET(o, "target", json_real(x->target));
        SET(o, "tolerance", json_real(x->tolerance));
        SET(o, "target_day", jday(x->target_day));
        SET(o, "created_at", json_integer(x->created_at));
        store_dd_measure *ms = NULL;
        size_t nm = 0;
        *rc = store_dd_measure_list(tx->c, tx->a, x->org_id, x->id, &ms, &nm);
        json_t *ma = json_array();
        for (size_t k = 0; ma && *rc == CORE_OK && k < nm; k++) {
            json_t *m = json_object();
            SET(m, "day", jday(ms[k].day));
            SET(m, "value", json_real(ms[k].value));
            SET(m, "note", jstr(ms[k].note));
            SET(m, "created_at", json_integer(ms[k].created_at));
            json_array_append_new(ma, m);
        }
        SET(o, "measurements", ma);
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *stakeholders_json(reg_tx *tx, const reg_dump *d)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nsh; i++) {
        const store_dd_stakeholder *x = &d->sh[i];
        json_t *o = json_object();
        SET(o, "name", jstr(x->name));
        SET(o, "kind", jstr(x->kind));
        SET(o, "region", jstr(x->region));
        SET(o, "countries", jtokens(tx->a, x->countries));
        SET(o, "global_south", json_boolean(x->global_south));
        SET(o, "contact", jstr(x->contact));
        SET(o, "created_at", json_integer(x->created_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *engagements_json(reg_tx *tx, const reg_dump *d, const int64_t *sh_ids,
                                const int64_t *imp_ids)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nen; i++) {
        const store_dd_engagement *x = &d->en[i];
        json_t *o = json_object();
        SET(o, "stakeholder", jpos(pos_of(sh_ids, d->nsh, x->stakeholder_id)));
        SET(o, "day", jday(x->day));
        SET(o, "step", jstr(x->step));
        SET(o, "topics", jstr(x->topics));
        SET(o, "format", jstr(x->format));
        SET(o, "outcome", jstr(x->outcome));
        SET(o, "follow_up", jstr(x->follow_up));
        const char **tok = NULL;
        size_t nt = reg_tokens(tx->a, x->impact_ids, &tok);
        json_t *ia = json_array();
        for (size_t k = 0; ia && tok && k < nt; k++) {
            int64_t id = 0;
            if (core_parse_int64(tok[k], &id) == CORE_OK)
                json_array_append_new(ia, jpos(pos_of(imp_ids, d->nimp, id)));
        }
        SET(o, "impacts", ia);
        SET(o, "created_at", json_integer(x->created_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

static json_t *links_json(reg_tx *tx, user_cache *uc, const reg_dump *d, const int64_t *imp_ids,
                          int *rc)
{
    link_row *rows = core_arena_alloc(tx->a, (d->nln ? d->nln : 1) * sizeof *rows);
    if (!rows) {
        *rc = CORE_NOMEM;
        return NULL;
    }
    for (size_t i = 0; i < d->nln; i++) {
        rows[i].l = d->ln[i];
        rows[i].impact_pos = pos_of(imp_ids, d->nimp, d->ln[i].impact_id);
        rows[i].reference = NULL;
        store_grievance g;
        if (store_grievance_get(tx->c, tx->a, d->ln[i].org_id, d->ln[i].case_id, &g) == CORE_OK)
            rows[i].reference = g.reference;
    }
    SORT(rows, d->nln, link_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < d->nln; i++) {
        json_t *o = json_object();
        SET(o, "impact", jpos(rows[i].impact_pos));
        SET(o, "case", jstr(rows[i].reference));
        SET(o, "linked_by", juser(tx, uc, rows[i].l.linked_by));
        SET(o, "linked_at", json_integer(rows[i].l.linked_at));
        json_array_append_new(arr, o);
    }
    return arr;
}

int reg_export_tx(reg_tx *tx, int64_t org, json_t **out)
{
    *out = NULL;
    reg_dump d;
    int rc = reg_dump_load(tx, org, &d);
    if (rc != CORE_OK)
        return rc;
    core_arena *a = tx->a;
    int64_t *sc_ids = ids_of(a, d.sc, d.nsc, sizeof *d.sc);
    int64_t *imp_ids = ids_of(a, d.imp, d.nimp, sizeof *d.imp);
    int64_t *ac_ids = ids_of(a, d.ac, d.nac, sizeof *d.ac);
    int64_t *sh_ids = ids_of(a, d.sh, d.nsh, sizeof *d.sh);
    user_cache *uc = core_arena_alloc(a, sizeof *uc);
    if (!sc_ids || !imp_ids || !ac_ids || !sh_ids || !uc)
        return CORE_NOMEM;
    json_t *doc = json_object();
    if (!doc)
        return CORE_NOMEM;
    SET(doc, "format", json_string("hrdd-register"));
    SET(doc, "version", json_integer(1));
    SET(doc, "policies", policies_json(tx, uc, &d, &rc));
    SET(doc, "scope_objects", scopes_json(tx, &d, sc_ids));
    SET(doc, "impacts", impacts_json(tx, uc, &d, sc_ids));
    if (rc == CORE_OK)
        SET(doc, "assessments", assessments_json(tx, uc, &d, sc_ids, imp_ids, &rc));
    SET(doc, "actions", actions_json(tx, uc, &d, imp_ids));
    if (rc == CORE_OK)
        SET(doc, "indicators", indicators_json(tx, &d, imp_ids, ac_ids, &rc));
    SET(doc, "stakeholders", stakeholders_json(tx, &d));
    SET(doc, "engagements", engagements_json(tx, &d, sh_ids, imp_ids));
    if (rc == CORE_OK)
        SET(doc, "grievance_links", links_json(tx, uc, &d, imp_ids, &rc));
    if (rc == CORE_OK && json_object_size(doc) != 11)
        rc = CORE_NOMEM;             /* a member failed to build */
    if (rc != CORE_OK) {
        json_decref(doc);
        return rc;
    }
    *out = doc;
    return CORE_OK;
}

int reg_export_json(reg_service *svc, core_arena *a, const reg_principal *pr, json_t **out)
{
    *out = NULL;
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_export_tx(&tx, pr->org_id, out);
    return reg_tx_end(&tx, rc);
}

int reg_export_text(reg_service *svc, core_arena *a, const reg_principal *pr, char **text,
                    size_t *len)
{
    *text = NULL;
    if (len)
        *len = 0;
    json_t *doc = NULL;
    int rc = reg_export_json(svc, a, pr, &doc);
    if (rc != CORE_OK)
        return rc;
    char *s = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(17));
    json_decref(doc);
    if (!s)
        return CORE_NOMEM;
    *text = core_arena_printf(a, "%s\n", s);
    free(s);
    if (!*text)
        return CORE_NOMEM;
    if (len)
        *len = strlen(*text);
    return CORE_OK;
}
