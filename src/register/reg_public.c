/* reg_public: the published outputs of the register, for anyone (no
 * principal): the impact assessment summary of one product or service and
 * the company report (policy, salient issues, how each is managed,
 * tracking). Only approved content is published: the current approved
 * policy version, APPROVED assessments, and as salient issues the impacts
 * those assessments recorded as findings. Never published: staff
 * identities (created_by, approved_by, action owners), stakeholder names
 * and contact notes, case references, internal notes (trigger notes).
 */
#include <string.h>

#include "register/reg_internal.h"

typedef struct pub_data {
    reg_impact_view *iv;             /* priority order */
    size_t niv;
    store_dd_assessment *as;
    size_t nas;
    store_dd_scope *sc;
    size_t nsc;
    store_dd_action *ac;
    size_t nac;
    store_dd_grievance_link *ln;
    size_t nln;
} pub_data;

static int load(reg_tx *tx, int64_t org, pub_data *d)
{
    memset(d, 0, sizeof *d);
    int rc = reg_impact_views(tx, org, 0, REG_SORT_SALIENCE, &d->iv, &d->niv);
    if (rc == CORE_OK)
        rc = store_dd_assessment_list(tx->c, tx->a, org, 0, &d->as, &d->nas);
    if (rc == CORE_OK)
        rc = store_dd_scope_list(tx->c, tx->a, org, &d->sc, &d->nsc);
    if (rc == CORE_OK)
        rc = store_dd_action_list(tx->c, tx->a, org, 0, &d->ac, &d->nac);
    if (rc == CORE_OK)
        rc = store_dd_link_list(tx->c, tx->a, org, 0, 0, &d->ln, &d->nln);
    return rc;
}

/* Is scope object id s, or its parent, in the set {root}? root 0 = any. */
static int in_scope(const pub_data *d, int64_t s, int64_t root)
{
    if (!root || s == root)
        return 1;
    for (size_t k = 0; k < d->nsc; k++)
        if (d->sc[k].id == s)
            return d->sc[k].parent_id == root;
    return 0;
}

/* published[i] = 1 when impact view i is a finding of an approved
 * assessment of the root scope object (0 = any). */
static int published_set(reg_tx *tx, int64_t org, const pub_data *d, int64_t root,
                         unsigned char *published)
{
    memset(published, 0, d->niv ? d->niv : 1);
    for (size_t k = 0; k < d->nas; k++) {
        if (strcmp(d->as[k].status, "approved") != 0 || !in_scope(d, d->as[k].scope_id, root))
            continue;
        int64_t *f = NULL;
        size_t nf = 0;
        int rc = store_dd_finding_list(tx->c, tx->a, org, d->as[k].id, &f, &nf);
        if (rc != CORE_OK)
            return rc;
        for (size_t j = 0; j < nf; j++)
            for (size_t i = 0; i < d->niv; i++)
                if (d->iv[i].impact.id == f[j])
                    published[i] = 1;
    }
    return CORE_OK;
}

static int issue_of(reg_tx *tx, int64_t org, const pub_data *d, const reg_impact_view *v,
                    size_t rank, reg_public_issue *out)
{
    core_arena *a = tx->a;
    memset(out, 0, sizeof *out);
    const store_dd_impact *x = &v->impact;
    out->impact_id = x->id;
    out->rank = rank;
    out->title = x->title;
    out->description = x->description;
    out->status = x->status;
    out->rights = x->rights;
    out->affected_groups = x->affected_groups;
    out->countries = x->countries;
    out->involvement = x->involvement;
    out->responses = core_arena_alloc(a, 5 * sizeof *out->responses);
    if (!out->responses)
        return CORE_NOMEM;
    const char *names[5];
    out->nresponses = dd_response_names(v->response, names);
    for (size_t k = 0; k < out->nresponses; k++)
        out->responses[k] = names[k];
    out->severity = v->severity;
    out->likelihood = v->likelihood;
    out->band = v->band;
    out->scope_slug = v->scope_slug;
    out->scope_name = v->scope_name;
    size_t na = 0;
    for (size_t k = 0; k < d->nac; k++)
        na += d->ac[k].impact_id == x->id && strcmp(d->ac[k].status, "cancelled") != 0;
    out->actions = core_arena_alloc(a, (na ? na : 1) * sizeof *out->actions);
    if (!out->actions)
        return CORE_NOMEM;
    for (size_t k = 0; k < d->nac; k++) {
        const store_dd_action *ac = &d->ac[k];
        if (ac->impact_id != x->id || !strcmp(ac->status, "cancelled"))
            continue;
        reg_public_action *pa = &out->actions[out->nactions++];
        pa->kind = ac->kind;
        pa->title = ac->title;
        pa->function = ac->function;
        pa->status = ac->status;
        pa->due_day = ac->due_day;
    }
    /* indicators of the impact and of its actions */
    reg_indicator_view *iv = NULL;
    size_t niv = 0;
    int rc = reg_indicator_views(tx, org, x->id, 0, &iv, &niv);
    if (rc != CORE_OK)
        return rc;
    size_t cap = niv;
    reg_indicator_view **extra = core_arena_alloc(a, (d->nac ? d->nac : 1) * sizeof *extra);
    size_t *nextra = core_arena_alloc(a, (d->nac ? d->nac : 1) * sizeof *nextra);
    if (!extra || !nextra)
        return CORE_NOMEM;
    for (size_t k = 0; k < d->nac; k++) {
        extra[k] = NULL;
        nextra[k] = 0;
        if (d->ac[k].impact_id != x->id)
            continue;
        rc = reg_indicator_views(tx, org, 0, d->ac[k].id, &extra[k], &nextra[k]);
        if (rc != CORE_OK)
            return rc;
        cap += nextra[k];
    }
    out->indicators = core_arena_alloc(a, (cap ? cap : 1) * sizeof *out->indicators);
    if (!out->indicators)
        return CORE_NOMEM;
    for (size_t k = 0; k <= d->nac; k++) {
        reg_indicator_view *src = k == 0 ? iv : extra[k - 1];
        size_t ns = k == 0 ? niv : nextra[k - 1];
        for (size_t j = 0; j < ns; j++) {
            reg_public_indicator *pi = &out->indicators[out->nindicators++];
            const reg_indicator_view *s = &src[j];
            pi->name = s->indicator.name;
            pi->unit = s->indicator.unit;
            pi->direction = s->indicator.direction;
            pi->target = s->indicator.target;
            pi->target_day = s->indicator.target_day;
            pi->trend = s->trend;
            pi->track = s->track;
            pi->points = core_arena_alloc(a, (s->nmeasures ? s->nmeasures : 1) * sizeof *pi->points);
            if (!pi->points)
                return CORE_NOMEM;
            for (size_t m = 0; m < s->nmeasures; m++) {
                pi->points[m].day = s->measures[m].day;
                pi->points[m].value = s->measures[m].value;
            }
            pi->npoints = s->nmeasures;
        }
    }
    for (size_t k = 0; k < d->nln; k++)
        out->ngrievances += d->ln[k].impact_id == x->id;
    return CORE_OK;
}

static int issues_of(reg_tx *tx, int64_t org, const pub_data *d, int64_t root,
                     reg_public_issue **out, size_t *n)
{
    unsigned char *pub = core_arena_alloc(tx->a, d->niv ? d->niv : 1);
    reg_public_issue *v = core_arena_alloc(tx->a, (d->niv ? d->niv : 1) * sizeof *v);
    if (!pub || !v)
        return CORE_NOMEM;
    int rc = published_set(tx, org, d, root, pub);
    size_t k = 0;
    for (size_t i = 0; rc == CORE_OK && i < d->niv; i++)
        if (pub[i]) {
            rc = issue_of(tx, org, d, &d->iv[i], k + 1, &v[k]);
            k++;
        }
    *out = v;
    *n = k;
    return rc;
}

int reg_product_summary_get(reg_service *svc, core_arena *a, int64_t org_id, const char *slug,
                            reg_product_summary *out)
{
    memset(out, 0, sizeof *out);
    if (!slug)
        return CORE_NOTFOUND;
    reg_tx tx;
    int rc = reg_tx_open_public(svc, a, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_scope s;
    rc = store_dd_scope_get_by_slug(tx.c, a, org_id, slug, &s);
    pub_data d;
    if (rc == CORE_OK)
        rc = load(&tx, org_id, &d);
    if (rc == CORE_OK) {
        out->slug = s.slug;
        out->name = s.name;
        out->kind = s.kind;
        out->description = s.description;
        out->phase = s.phase;
        out->countries = s.countries;
        out->assessments = core_arena_alloc(a, (d.nas ? d.nas : 1) * sizeof *out->assessments);
        if (!out->assessments)
            rc = CORE_NOMEM;
    }
    /* approved ones, newest approval first */
    for (size_t k = d.nas; rc == CORE_OK && k-- > 0;) {
        const store_dd_assessment *x = &d.as[k];
        if (strcmp(x->status, "approved") != 0 || !in_scope(&d, x->scope_id, s.id))
            continue;
        size_t j = out->nassessments++;
        while (j > 0 && out->assessments[j - 1].approved_at < x->approved_at) {
            out->assessments[j] = out->assessments[j - 1];
            j--;
        }
        reg_public_assessment *pa = &out->assessments[j];
        pa->kind = x->kind;
        pa->trigger = x->trigger;
        pa->completed_day = x->completed_day;
        pa->approved_at = x->approved_at;
        pa->summary = x->summary;
    }
    if (rc == CORE_OK && out->nassessments == 0)
        rc = CORE_NOTFOUND;
    if (rc == CORE_OK)
        rc = issues_of(&tx, org_id, &d, s.id, &out->issues, &out->nissues);
    return reg_tx_end(&tx, rc);
}

int reg_company_report_get(reg_service *svc, core_arena *a, int64_t org_id,
                           reg_company_report *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open_public(svc, a, &tx);
    if (rc != CORE_OK)
        return rc;
    store_org org;
    rc = store_org_get(tx.c, a, org_id, &org);
    out->generated_day = tx.today;
    store_dd_policy *pol = NULL;
    size_t npol = 0;
    if (rc == CORE_OK)
        rc = store_dd_policy_list(tx.c, a, org_id, &pol, &npol);
    for (size_t i = 0; rc == CORE_OK && i < npol; i++)
        if (!out->has_policy && !strcmp(pol[i].status, "approved")) {
            out->has_policy = 1;
            out->policy = pol[i];
            out->policy.created_by = 0;
            out->policy.approved_by = 0;
        }
    pub_data d;
    if (rc == CORE_OK)
        rc = load(&tx, org_id, &d);
    if (rc == CORE_OK)
        rc = issues_of(&tx, org_id, &d, 0, &out->issues, &out->nissues);
    if (rc == CORE_OK) {
        out->products = core_arena_alloc(a, (d.nsc ? d.nsc : 1) * sizeof *out->products);
        out->product_names = core_arena_alloc(a, (d.nsc ? d.nsc : 1) * sizeof *out->product_names);
        if (!out->products || !out->product_names)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < d.nsc; i++) {
        int has = 0;
        for (size_t k = 0; k < d.nas; k++)
            if (!strcmp(d.as[k].status, "approved") && in_scope(&d, d.as[k].scope_id, d.sc[i].id))
                has = 1;
        if (has) {
            out->products[out->nproducts] = d.sc[i].slug;
            out->product_names[out->nproducts++] = d.sc[i].name;
        }
    }
    store_dd_engagement *en = NULL;
    size_t nen = 0;
    store_dd_stakeholder *sh = NULL;
    size_t nsh = 0;
    if (rc == CORE_OK)
        rc = store_dd_engagement_list(tx.c, a, org_id, 0, &en, &nen);
    if (rc == CORE_OK)
        rc = store_dd_stakeholder_list(tx.c, a, org_id, &sh, &nsh);
    for (size_t i = 0; rc == CORE_OK && i < nen; i++)
        out->nengagements += en[i].day > tx.today - 365 && en[i].day <= tx.today;
    for (size_t i = 0; rc == CORE_OK && i < nsh; i++)
        out->nstakeholders_global_south += sh[i].global_south != 0;
    return reg_tx_end(&tx, rc);
}

/* ---- JSON ---- */

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jday(int64_t day)
{
    char b[11];
    reg_day_format(day, b);
    return b[0] ? json_string(b) : json_null();
}

static json_t *jlist(const char *s)
{
    json_t *arr = json_array();
    const char *p = s ? s : "";
    while (arr && *p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p)
            json_array_append_new(arr, json_stringn(p, (size_t)(e - p)));
        p = e;
    }
    return arr;
}

static json_t *issue_json(const reg_public_issue *x)
{
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer((json_int_t)x->rank));
    json_object_set_new(o, "title", jstr(x->title));
    json_object_set_new(o, "description", jstr(x->description));
    json_object_set_new(o, "status", jstr(x->status));
    json_object_set_new(o, "rights", jlist(x->rights));
    json_object_set_new(o, "affected_groups", jstr(x->affected_groups));
    json_object_set_new(o, "countries", jlist(x->countries));
    json_object_set_new(o, "involvement", jstr(x->involvement));
    json_t *rs = json_array();
    for (size_t k = 0; rs && k < x->nresponses; k++)
        json_array_append_new(rs, json_string(x->responses[k]));
    json_object_set_new(o, "responses", rs);
    json_object_set_new(o, "severity", json_integer(x->severity));
    json_object_set_new(o, "likelihood", json_integer(x->likelihood));
    json_object_set_new(o, "severity_band", json_integer(x->band));
    json_object_set_new(o, "scope_object", jstr(x->scope_slug));
    json_object_set_new(o, "scope_name", jstr(x->scope_name));
    json_t *as = json_array();
    for (size_t k = 0; as && k < x->nactions; k++) {
        json_t *a = json_object();
        json_object_set_new(a, "kind", jstr(x->actions[k].kind));
        json_object_set_new(a, "title", jstr(x->actions[k].title));
        json_object_set_new(a, "function", jstr(x->actions[k].function));
        json_object_set_new(a, "status", jstr(x->actions[k].status));
        json_object_set_new(a, "due", jday(x->actions[k].due_day));
        json_array_append_new(as, a);
    }
    json_object_set_new(o, "actions", as);
    json_t *is = json_array();
    for (size_t k = 0; is && k < x->nindicators; k++) {
        const reg_public_indicator *pi = &x->indicators[k];
        json_t *i = json_object();
        json_object_set_new(i, "name", jstr(pi->name));
        json_object_set_new(i, "unit", jstr(pi->unit));
        json_object_set_new(i, "direction", jstr(pi->direction));
        json_object_set_new(i, "target", json_real(pi->target));
        json_object_set_new(i, "target_date", jday(pi->target_day));
        json_object_set_new(i, "trend", json_string(dd_trend_name(pi->trend)));
        json_object_set_new(i, "status", json_string(dd_track_name(pi->track)));
        json_t *pts = json_array();
        for (size_t m = 0; pts && m < pi->npoints; m++) {
            json_t *p = json_object();
            json_object_set_new(p, "date", jday(pi->points[m].day));
            json_object_set_new(p, "value", json_real(pi->points[m].value));
            json_array_append_new(pts, p);
        }
        json_object_set_new(i, "measurements", pts);
        json_array_append_new(is, i);
    }
    json_object_set_new(o, "indicators", is);
    json_object_set_new(o, "linked_grievances", json_integer((json_int_t)x->ngrievances));
    return o;
}

static json_t *issues_json(const reg_public_issue *v, size_t n)
{
    json_t *arr = json_array();
    for (size_t i = 0; arr && i < n; i++)
        json_array_append_new(arr, issue_json(&v[i]));
    return arr;
}

json_t *reg_product_summary_json(const reg_product_summary *s)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    json_object_set_new(o, "slug", jstr(s->slug));
    json_object_set_new(o, "name", jstr(s->name));
    json_object_set_new(o, "kind", jstr(s->kind));
    json_object_set_new(o, "description", jstr(s->description));
    json_object_set_new(o, "phase", jstr(s->phase));
    json_object_set_new(o, "countries", jlist(s->countries));
    json_t *as = json_array();
    for (size_t k = 0; as && k < s->nassessments; k++) {
        const reg_public_assessment *pa = &s->assessments[k];
        json_t *a = json_object();
        json_object_set_new(a, "kind", jstr(pa->kind));
        json_object_set_new(a, "trigger", jstr(pa->trigger));
        json_object_set_new(a, "completed", jday(pa->completed_day));
        json_object_set_new(a, "approved_at", json_integer(pa->approved_at));
        json_object_set_new(a, "summary", jstr(pa->summary));
        json_array_append_new(as, a);
    }
    json_object_set_new(o, "assessments", as);
    json_object_set_new(o, "salient_issues", issues_json(s->issues, s->nissues));
    return o;
}

json_t *reg_company_report_json(const reg_company_report *r)
{
    json_t *o = json_object();
    if (!o)
        return NULL;
    if (r->has_policy) {
        json_t *p = json_object();
        json_object_set_new(p, "version", json_integer(r->policy.version));
        json_object_set_new(p, "title", jstr(r->policy.title));
        json_object_set_new(p, "body_md", jstr(r->policy.body_md));
        json_object_set_new(p, "scope_rights", jlist(r->policy.scope_rights));
        json_object_set_new(p, "own_operations", json_boolean(r->policy.own_operations));
        json_object_set_new(p, "business_partners", json_boolean(r->policy.business_partners));
        json_object_set_new(p, "end_use", json_boolean(r->policy.end_use));
        json_object_set_new(p, "approved_at", json_integer(r->policy.approved_at));
        json_object_set_new(p, "approved_role", jstr(r->policy.approved_role));
        json_object_set_new(o, "policy", p);
    } else {
        json_object_set_new(o, "policy", json_null());
    }
    json_object_set_new(o, "salient_issues", issues_json(r->issues, r->nissues));
    json_t *ps = json_array();
    for (size_t k = 0; ps && k < r->nproducts; k++) {
        json_t *p = json_object();
        json_object_set_new(p, "slug", jstr(r->products[k]));
        json_object_set_new(p, "name", jstr(r->product_names[k]));
        json_array_append_new(ps, p);
    }
    json_object_set_new(o, "product_summaries", ps);
    json_t *e = json_object();
    json_object_set_new(e, "engagements_last_year", json_integer((json_int_t)r->nengagements));
    json_object_set_new(e, "global_south_stakeholders",
                        json_integer((json_int_t)r->nstakeholders_global_south));
    json_object_set_new(o, "stakeholder_engagement", e);
    json_object_set_new(o, "generated", jday(r->generated_day));
    return o;
}
