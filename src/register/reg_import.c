/* reg_import: reads a register document (reg_export's format) into an
 * organisation that holds no register yet. All or nothing.
 *
 * Phase 1 (no database): every record is read with type checks, its
 * references checked against the document (1-based positions in range; a
 * parent scope object must come earlier), uniqueness inside the document
 * (slugs, policy versions, grievance links), then the same record rules as
 * the single operations (reg_valid_* with a sink, so EVERY failure is
 * reported with its JSON path, "/impacts/3/rights/0"). Any error: nothing
 * is stored.
 * Phase 2 (one transaction): the organisation must be empty; users (by
 * e-mail, members of the org), products (by slug) and grievance cases (by
 * reference) are resolved: those the target lacks become "none" (a link is
 * skipped) with a warning; then every record is created in document order
 * with its exported timestamps and states, and one audit entry is written.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grievance/grievance.h"
#include "register/reg_internal.h"

enum { A_POL = 0, A_SC, A_IMP, A_AS, A_AC, A_IND, A_SH, A_EN, A_LN, A__COUNT };
static const char *const arrays[A__COUNT] = {"policies", "scope_objects", "impacts", "assessments",
                                             "actions", "indicators", "stakeholders",
                                             "engagements", "grievance_links"};

typedef struct imp_ctx {
    core_arena *a;
    reg_sink *errs;
    reg_sink *warns;
    int64_t today;
    int nomem;
} imp_ctx;

static void err_at(imp_ctx *c, const char *path, const char *key, const char *detail)
{
    reg_error e;
    memset(&e, 0, sizeof e);
    e.field = path;
    e.key = key;
    e.detail = detail;
    if (reg_sink_push(c->errs, &e) != CORE_OK)
        c->nomem = 1;
}

static void warn_at(imp_ctx *c, const char *path, const char *key, const char *detail)
{
    reg_error e;
    memset(&e, 0, sizeof e);
    e.field = path;
    e.key = key;
    e.detail = detail;
    if (reg_sink_push(c->warns, &e) != CORE_OK)
        c->nomem = 1;
}

static const char *pathf(imp_ctx *c, const char *base, const char *key)
{
    const char *p = core_arena_printf(c->a, "%s/%s", base, key);
    if (!p)
        c->nomem = 1;
    return p ? p : "";
}

/* Members not in allowed[] are errors (typos would otherwise be lost silently). */
static void check_members(imp_ctx *c, json_t *o, const char *base, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (!strcmp(k, allowed[i]))
                ok = 1;
        if (!ok)
            err_at(c, pathf(c, base, k), "reg.err.json", "unknown member");
    }
}

static const char *get_str(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "a string");
        return NULL;
    }
    return json_string_value(v);
}

static int64_t get_int(imp_ctx *c, json_t *o, const char *base, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return dflt;
    if (!json_is_integer(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "an integer");
        return dflt;
    }
    return (int64_t)json_integer_value(v);
}

static int get_bool(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "true or false");
        return 0;
    }
    return json_is_true(v);
}

static double get_real(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "a number");
        return 0;
    }
    return json_number_value(v);
}

/* "YYYY-MM-DD" or null (-1). A bad date: error, -2 (so the record rules do
 * not report it again as missing). */
static int64_t get_day(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return -1;
    int64_t d = -1;
    if (!json_is_string(v) || grv_date_parse(json_string_value(v), &d) != CORE_OK || d < 0) {
        err_at(c, pathf(c, base, key), "reg.err.date", "a date YYYY-MM-DD");
        return -2;
    }
    return d;
}

/* Array of short tokens (no spaces) joined with single spaces. */
static const char *get_tokens(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return "";
    if (!json_is_array(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "an array of strings");
        return "";
    }
    core_buf b;
    core_buf_init(&b);
    size_t i;
    json_t *e;
    int ok = 1;
    json_array_foreach(v, i, e) {
        const char *s = json_is_string(e) ? json_string_value(e) : NULL;
        if (!s || !*s || strchr(s, ' ') || strlen(s) > 64) {
            const char *p = core_arena_printf(c->a, "%s/%s/%zu", base, key, i);
            err_at(c, p ? p : "", "reg.err.json", "a non-empty string without spaces");
            ok = 0;
            continue;
        }
        core_buf_printf(&b, "%s%s", b.len ? " " : "", s);
    }
    const char *out = ok ? core_arena_strdup(c->a, b.data ? b.data : "") : "";
    core_buf_cleanup(&b);
    if (!out) {
        c->nomem = 1;
        return "";
    }
    return out;
}

/* A reference: 1..max, or null (0) when allowed. earlier: must be < self. */
static size_t get_ref(imp_ctx *c, json_t *o, const char *base, const char *key, size_t max,
                      int required)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            err_at(c, pathf(c, base, key), "reg.err.required", "required");
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        (size_t)json_integer_value(v) > max) {
        err_at(c, pathf(c, base, key), "reg.err.reference", "no such record in the document");
        return 0;
    }
    return (size_t)json_integer_value(v);
}

static json_t *get_array(imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        err_at(c, pathf(c, base, key), "reg.err.json", "an array");
        return NULL;
    }
    return v;
}

/* ---- the parsed document ---- */

typedef struct imp_policy {
    store_dd_policy p;
    const char *created_by, *approved_by;    /* e-mails */
    store_dd_policy_comm *comms;
    size_t ncomms;
    store_dd_policy_link *links;
    size_t nlinks;
} imp_policy;
typedef struct imp_scope {
    store_dd_scope s;
    const char *product;
    size_t parent;
} imp_scope;
typedef struct imp_impact {
    store_dd_impact i;
    size_t scope;
    const char *created_by;
} imp_impact;
typedef struct imp_assess {
    store_dd_assessment x;
    size_t scope, impact;
    const char *approved_by;
    size_t *findings;
    size_t nfindings;
    int due_given;
} imp_assess;
typedef struct imp_action {
    store_dd_action x;
    size_t impact;
    const char *owner;
} imp_action;
typedef struct imp_ind {
    store_dd_indicator x;
    size_t impact, action;
    store_dd_measure *ms;
    size_t nms;
} imp_ind;
typedef struct imp_eng {
    store_dd_engagement x;
    size_t stakeholder;
    size_t *impacts;
    size_t nimpacts;
} imp_eng;
typedef struct imp_link {
    size_t impact;
    const char *reference;
    const char *linked_by;
    int64_t linked_at;
} imp_link;

typedef struct imp_doc {
    imp_policy *pol;
    imp_scope *sc;
    imp_impact *imp;
    imp_assess *as;
    imp_action *ac;
    imp_ind *ind;
    store_dd_stakeholder *sh;
    imp_eng *en;
    imp_link *ln;
    size_t n[A__COUNT];
} imp_doc;

static void *alloc_n(imp_ctx *c, size_t n, size_t size)
{
    void *p = core_arena_alloc(c->a, (n ? n : 1) * size);
    if (!p)
        c->nomem = 1;
    return p;
}

static const char *const pol_members[] = {"version", "title", "body_md", "scope_rights",
    "own_operations", "business_partners", "end_use", "status", "created_by", "created_at",
    "approved_by", "approved_at", "approved_role", "communications", "links", NULL};
static const char *const comm_members[] = {"day", "channel", "audience", "note", "created_at", NULL};
static const char *const plink_members[] = {"title", "url", "function", NULL};
static const char *const sc_members[] = {"slug", "kind", "name", "description", "phase",
    "countries", "markers", "product", "parent", "created_at", "updated_at", NULL};
static const char *const imp_members[] = {"scope_object", "title", "description", "status",
    "rights", "affected_groups", "vulnerable_groups", "countries", "involvement",
    "business_model", "scale", "scope", "irremediable", "likelihood", "competing_rights",
    "evidence", "created_by", "created_at", "updated_at", NULL};
static const char *const as_members[] = {"scope_object", "kind", "trigger", "trigger_note",
    "event_day", "due_day", "status", "completed_day", "summary", "impact", "approved_by",
    "approved_at", "created_at", "updated_at", "findings", NULL};
static const char *const ac_members[] = {"impact", "kind", "title", "description", "owner",
    "owner_name", "function", "due_day", "status", "integration", "created_at", "updated_at",
    NULL};
static const char *const ind_members[] = {"impact", "action", "name", "unit", "direction",
    "target", "tolerance", "target_day", "created_at", "measurements", NULL};
static const char *const ms_members[] = {"day", "value", "note", "created_at", NULL};
static const char *const sh_members[] = {"name", "kind", "region", "countries", "global_south",
    "contact", "created_at", NULL};
static const char *const en_members[] = {"stakeholder", "day", "step", "topics", "format",
    "outcome", "follow_up", "impacts", "created_at", NULL};
static const char *const ln_members[] = {"impact", "case", "linked_by", "linked_at", NULL};

/* Each record: an object; base "/<array>/<i>". Returns NULL (error given) if not. */
static json_t *record(imp_ctx *c, json_t *arr, size_t i, const char *name, const char **base)
{
    json_t *o = json_array_get(arr, i);
    *base = core_arena_printf(c->a, "/%s/%zu", name, i);
    if (!*base) {
        c->nomem = 1;
        *base = "";
    }
    if (!json_is_object(o)) {
        err_at(c, *base, "reg.err.json", "an object");
        return NULL;
    }
    return o;
}

static void read_policies(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_POL];
    d->pol = alloc_n(c, n, sizeof *d->pol);
    size_t napproved = 0;
    for (size_t i = 0; d->pol && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "policies", &b);
        imp_policy *ip = &d->pol[i];
        memset(ip, 0, sizeof *ip);
        if (!o)
            continue;
        check_members(c, o, b, pol_members);
        store_dd_policy *p = &ip->p;
        p->version = get_int(c, o, b, "version", 0);
        p->title = get_str(c, o, b, "title");
        p->body_md = get_str(c, o, b, "body_md");
        p->scope_rights = get_tokens(c, o, b, "scope_rights");
        p->own_operations = get_bool(c, o, b, "own_operations");
        p->business_partners = get_bool(c, o, b, "business_partners");
        p->end_use = get_bool(c, o, b, "end_use");
        p->status = get_str(c, o, b, "status");
        ip->created_by = get_str(c, o, b, "created_by");
        p->created_at = get_int(c, o, b, "created_at", 0);
        ip->approved_by = get_str(c, o, b, "approved_by");
        p->approved_at = get_int(c, o, b, "approved_at", 0);
        p->approved_role = get_str(c, o, b, "approved_role");
        reg_valid_policy(p, b, NULL, c->errs);
        if (p->status && reg_check_enum(NULL, b, "status", p->status, reg_policy_statuses) != CORE_OK)
            err_at(c, pathf(c, b, "status"), "reg.err.enum", "draft, approved or superseded");
        else if (!p->status)
            err_at(c, pathf(c, b, "status"), "reg.err.required", "required");
        if (p->version < 1)
            err_at(c, pathf(c, b, "version"), "reg.err.range", "1 or more");
        for (size_t k = 0; k < i; k++)
            if (d->pol[k].p.version == p->version && p->version >= 1)
                err_at(c, pathf(c, b, "version"), "reg.err.duplicate", "version given twice");
        int approved = p->status && strcmp(p->status, "draft") != 0;
        if (p->status && !strcmp(p->status, "approved"))
            napproved++;
        if (approved && (!p->approved_role || (strcmp(p->approved_role, "hr_lead") &&
                                               strcmp(p->approved_role, "admin"))))
            err_at(c, pathf(c, b, "approved_role"), "reg.err.enum", "hr_lead or admin");
        if (!approved && p->approved_role)
            err_at(c, pathf(c, b, "approved_role"), "reg.err.state", "a draft is not approved");
        if (p->created_at < 0)
            err_at(c, pathf(c, b, "created_at"), "reg.err.range", "Unix seconds");
        if (p->approved_at < 0)
            err_at(c, pathf(c, b, "approved_at"), "reg.err.range", "Unix seconds");
        json_t *ca = get_array(c, o, b, "communications");
        ip->ncomms = ca ? json_array_size(ca) : 0;
        ip->comms = alloc_n(c, ip->ncomms, sizeof *ip->comms);
        for (size_t k = 0; ip->comms && k < ip->ncomms; k++) {
            const char *cb = core_arena_printf(c->a, "%s/communications/%zu", b, k);
            json_t *co = json_array_get(ca, k);
            store_dd_policy_comm *m = &ip->comms[k];
            memset(m, 0, sizeof *m);
            if (!cb || !json_is_object(co)) {
                err_at(c, cb ? cb : "", "reg.err.json", "an object");
                continue;
            }
            check_members(c, co, cb, comm_members);
            m->day = get_day(c, co, cb, "day");
            m->channel = get_str(c, co, cb, "channel");
            m->audience = get_str(c, co, cb, "audience");
            m->note = get_str(c, co, cb, "note");
            m->created_at = get_int(c, co, cb, "created_at", 0);
            if (m->day == -2)
                m->day = 0;
            reg_valid_comm(m, cb, c->today, NULL, c->errs);
        }
        json_t *la = get_array(c, o, b, "links");
        ip->nlinks = la ? json_array_size(la) : 0;
        ip->links = alloc_n(c, ip->nlinks, sizeof *ip->links);
        for (size_t k = 0; ip->links && k < ip->nlinks; k++) {
            const char *lb = core_arena_printf(c->a, "%s/links/%zu", b, k);
            json_t *lo = json_array_get(la, k);
            store_dd_policy_link *l = &ip->links[k];
            memset(l, 0, sizeof *l);
            if (!lb || !json_is_object(lo)) {
                err_at(c, lb ? lb : "", "reg.err.json", "an object");
                continue;
            }
            check_members(c, lo, lb, plink_members);
            l->title = get_str(c, lo, lb, "title");
            l->url = get_str(c, lo, lb, "url");
            l->function = get_str(c, lo, lb, "function");
            reg_valid_link(l, lb, NULL, c->errs);
        }
    }
    if (napproved > 1)
        err_at(c, "/policies", "reg.err.state", "at most one approved version");
}

static void read_scopes(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_SC];
    d->sc = alloc_n(c, n, sizeof *d->sc);
    for (size_t i = 0; d->sc && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "scope_objects", &b);
        imp_scope *is = &d->sc[i];
        memset(is, 0, sizeof *is);
        if (!o)
            continue;
        check_members(c, o, b, sc_members);
        store_dd_scope *s = &is->s;
        s->slug = get_str(c, o, b, "slug");
        s->kind = get_str(c, o, b, "kind");
        s->name = get_str(c, o, b, "name");
        s->description = get_str(c, o, b, "description");
        s->phase = get_str(c, o, b, "phase");
        s->countries = get_tokens(c, o, b, "countries");
        s->markers = get_tokens(c, o, b, "markers");
        is->product = get_str(c, o, b, "product");
        is->parent = get_ref(c, o, b, "parent", n, 0);
        if (is->parent && is->parent >= i + 1) {
            err_at(c, pathf(c, b, "parent"), "reg.err.reference",
                   "the parent must come earlier in the document");
            is->parent = 0;
        }
        s->created_at = get_int(c, o, b, "created_at", 0);
        s->updated_at = get_int(c, o, b, "updated_at", 0);
        s->parent_id = (int64_t)is->parent;
        reg_valid_scope(s, b, NULL, c->errs);
        for (size_t k = 0; s->slug && k < i; k++)
            if (d->sc[k].s.slug && !strcmp(d->sc[k].s.slug, s->slug))
                err_at(c, pathf(c, b, "slug"), "reg.err.duplicate", "slug given twice");
    }
}

static void read_impacts(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_IMP];
    d->imp = alloc_n(c, n, sizeof *d->imp);
    for (size_t i = 0; d->imp && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "impacts", &b);
        imp_impact *ii = &d->imp[i];
        memset(ii, 0, sizeof *ii);
        if (!o)
            continue;
        check_members(c, o, b, imp_members);
        store_dd_impact *x = &ii->i;
        ii->scope = get_ref(c, o, b, "scope_object", d->n[A_SC], 1);
        x->scope_id = 1;                 /* placeholder: the reference is checked above */
        x->title = get_str(c, o, b, "title");
        x->description = get_str(c, o, b, "description");
        x->status = get_str(c, o, b, "status");
        x->rights = get_tokens(c, o, b, "rights");
        x->affected_groups = get_str(c, o, b, "affected_groups");
        x->vulnerable_groups = get_str(c, o, b, "vulnerable_groups");
        x->countries = get_tokens(c, o, b, "countries");
        x->involvement = get_str(c, o, b, "involvement");
        x->business_model = get_bool(c, o, b, "business_model");
        x->scale = (int)get_int(c, o, b, "scale", 0);
        x->scope = (int)get_int(c, o, b, "scope", 0);
        x->irremediable = (int)get_int(c, o, b, "irremediable", 0);
        x->likelihood = (int)get_int(c, o, b, "likelihood", 0);
        x->competing_rights = get_str(c, o, b, "competing_rights");
        x->evidence = get_tokens(c, o, b, "evidence");
        ii->created_by = get_str(c, o, b, "created_by");
        x->created_at = get_int(c, o, b, "created_at", 0);
        x->updated_at = get_int(c, o, b, "updated_at", 0);
        reg_valid_impact(x, b, NULL, c->errs);
    }
}

static size_t *read_refs(imp_ctx *c, json_t *o, const char *b, const char *key, size_t max,
                         size_t *count)
{
    json_t *fa = get_array(c, o, b, key);
    *count = fa ? json_array_size(fa) : 0;
    size_t *v = alloc_n(c, *count, sizeof *v);
    for (size_t k = 0; v && k < *count; k++) {
        json_t *e = json_array_get(fa, k);
        v[k] = 0;
        if (!json_is_integer(e) || json_integer_value(e) < 1 || (size_t)json_integer_value(e) > max) {
            const char *p = core_arena_printf(c->a, "%s/%s/%zu", b, key, k);
            err_at(c, p ? p : "", "reg.err.reference", "no such impact in the document");
            continue;
        }
        v[k] = (size_t)json_integer_value(e);
        for (size_t j = 0; j < k; j++)
            if (v[j] == v[k]) {
                const char *p = core_arena_printf(c->a, "%s/%s/%zu", b, key, k);
                err_at(c, p ? p : "", "reg.err.duplicate", "given twice");
            }
    }
    return v;
}

static void read_assessments(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_AS];
    d->as = alloc_n(c, n, sizeof *d->as);
    for (size_t i = 0; d->as && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "assessments", &b);
        imp_assess *ia = &d->as[i];
        memset(ia, 0, sizeof *ia);
        if (!o)
            continue;
        check_members(c, o, b, as_members);
        store_dd_assessment *x = &ia->x;
        ia->scope = get_ref(c, o, b, "scope_object", d->n[A_SC], 1);
        x->scope_id = 1;
        x->kind = get_str(c, o, b, "kind");
        x->trigger = get_str(c, o, b, "trigger");
        x->trigger_note = get_str(c, o, b, "trigger_note");
        x->event_day = get_day(c, o, b, "event_day");
        x->due_day = get_day(c, o, b, "due_day");
        ia->due_given = x->due_day >= 0;
        x->status = get_str(c, o, b, "status");
        x->completed_day = get_day(c, o, b, "completed_day");
        x->summary = get_str(c, o, b, "summary");
        ia->impact = get_ref(c, o, b, "impact", d->n[A_IMP], 0);
        ia->approved_by = get_str(c, o, b, "approved_by");
        x->approved_at = get_int(c, o, b, "approved_at", 0);
        x->created_at = get_int(c, o, b, "created_at", 0);
        x->updated_at = get_int(c, o, b, "updated_at", 0);
        ia->findings = read_refs(c, o, b, "findings", d->n[A_IMP], &ia->nfindings);
        if (x->event_day == -2)
            x->event_day = 0;
        reg_valid_assessment(x, b, NULL, c->errs);
        if (!x->status)
            err_at(c, pathf(c, b, "status"), "reg.err.required", "required");
        else if (reg_check_enum(NULL, b, "status", x->status, reg_assessment_statuses) != CORE_OK)
            err_at(c, pathf(c, b, "status"), "reg.err.enum", "open, completed or approved");
        else if (!strcmp(x->status, "open") && x->completed_day >= 0)
            err_at(c, pathf(c, b, "completed_day"), "reg.err.state", "an open assessment is not completed");
        else if (strcmp(x->status, "open") != 0 && x->completed_day == -1)
            err_at(c, pathf(c, b, "completed_day"), "reg.err.required", "required when completed");
        if (x->completed_day == -2)
            x->completed_day = 0;
        if (x->due_day == -2)
            x->due_day = 0;
    }
}

static void read_actions(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_AC];
    d->ac = alloc_n(c, n, sizeof *d->ac);
    for (size_t i = 0; d->ac && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "actions", &b);
        imp_action *ia = &d->ac[i];
        memset(ia, 0, sizeof *ia);
        if (!o)
            continue;
        check_members(c, o, b, ac_members);
        store_dd_action *x = &ia->x;
        ia->impact = get_ref(c, o, b, "impact", d->n[A_IMP], 1);
        x->impact_id = 1;
        x->kind = get_str(c, o, b, "kind");
        x->title = get_str(c, o, b, "title");
        x->description = get_str(c, o, b, "description");
        ia->owner = get_str(c, o, b, "owner");
        x->owner_name = get_str(c, o, b, "owner_name");
        x->function = get_str(c, o, b, "function");
        x->due_day = get_day(c, o, b, "due_day");
        x->status = get_str(c, o, b, "status");
        x->integration = get_str(c, o, b, "integration");
        x->created_at = get_int(c, o, b, "created_at", 0);
        x->updated_at = get_int(c, o, b, "updated_at", 0);
        if (x->due_day == -2)
            x->due_day = -1;
        reg_valid_action(x, b, NULL, c->errs);
    }
}

static void read_indicators(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_IND];
    d->ind = alloc_n(c, n, sizeof *d->ind);
    for (size_t i = 0; d->ind && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "indicators", &b);
        imp_ind *ii = &d->ind[i];
        memset(ii, 0, sizeof *ii);
        if (!o)
            continue;
        check_members(c, o, b, ind_members);
        store_dd_indicator *x = &ii->x;
        ii->impact = get_ref(c, o, b, "impact", d->n[A_IMP], 0);
        ii->action = get_ref(c, o, b, "action", d->n[A_AC], 0);
        json_t *vi = json_object_get(o, "impact"), *va = json_object_get(o, "action");
        int has_i = vi && !json_is_null(vi), has_a = va && !json_is_null(va);
        if (has_i == has_a)
            err_at(c, pathf(c, b, "impact"), "reg.err.required",
                   "exactly one of impact and action");
        x->impact_id = 1;
        x->action_id = 0;
        x->name = get_str(c, o, b, "name");
        x->unit = get_str(c, o, b, "unit");
        x->direction = get_str(c, o, b, "direction");
        x->target = get_real(c, o, b, "target");
        x->tolerance = get_real(c, o, b, "tolerance");
        x->target_day = get_day(c, o, b, "target_day");
        x->created_at = get_int(c, o, b, "created_at", 0);
        if (x->target_day == -2)
            x->target_day = -1;
        reg_valid_indicator(x, b, NULL, c->errs);
        json_t *ma = get_array(c, o, b, "measurements");
        ii->nms = ma ? json_array_size(ma) : 0;
        ii->ms = alloc_n(c, ii->nms, sizeof *ii->ms);
        for (size_t k = 0; ii->ms && k < ii->nms; k++) {
            const char *mb = core_arena_printf(c->a, "%s/measurements/%zu", b, k);
            json_t *mo = json_array_get(ma, k);
            store_dd_measure *m = &ii->ms[k];
            memset(m, 0, sizeof *m);
            if (!mb || !json_is_object(mo)) {
                err_at(c, mb ? mb : "", "reg.err.json", "an object");
                continue;
            }
            check_members(c, mo, mb, ms_members);
            m->day = get_day(c, mo, mb, "day");
            m->value = get_real(c, mo, mb, "value");
            m->note = get_str(c, mo, mb, "note");
            m->created_at = get_int(c, mo, mb, "created_at", 0);
            if (m->day == -2)
                m->day = 0;
            reg_valid_measure(m, mb, c->today, NULL, c->errs);
            for (size_t j = 0; j < k; j++)
                if (ii->ms[j].day == m->day)
                    err_at(c, pathf(c, mb, "day"), "reg.err.duplicate", "one value per day");
        }
    }
}

static void read_stakeholders(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_SH];
    d->sh = alloc_n(c, n, sizeof *d->sh);
    for (size_t i = 0; d->sh && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "stakeholders", &b);
        store_dd_stakeholder *x = &d->sh[i];
        memset(x, 0, sizeof *x);
        if (!o)
            continue;
        check_members(c, o, b, sh_members);
        x->name = get_str(c, o, b, "name");
        x->kind = get_str(c, o, b, "kind");
        x->region = get_str(c, o, b, "region");
        x->countries = get_tokens(c, o, b, "countries");
        x->global_south = get_bool(c, o, b, "global_south");
        x->contact = get_str(c, o, b, "contact");
        x->created_at = get_int(c, o, b, "created_at", 0);
        reg_valid_stakeholder(x, b, NULL, c->errs);
    }
}

static void read_engagements(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_EN];
    d->en = alloc_n(c, n, sizeof *d->en);
    for (size_t i = 0; d->en && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "engagements", &b);
        imp_eng *ie = &d->en[i];
        memset(ie, 0, sizeof *ie);
        if (!o)
            continue;
        check_members(c, o, b, en_members);
        store_dd_engagement *x = &ie->x;
        ie->stakeholder = get_ref(c, o, b, "stakeholder", d->n[A_SH], 1);
        x->stakeholder_id = 1;
        x->day = get_day(c, o, b, "day");
        x->step = get_str(c, o, b, "step");
        x->topics = get_str(c, o, b, "topics");
        x->format = get_str(c, o, b, "format");
        x->outcome = get_str(c, o, b, "outcome");
        x->follow_up = get_str(c, o, b, "follow_up");
        ie->impacts = read_refs(c, o, b, "impacts", d->n[A_IMP], &ie->nimpacts);
        x->impact_ids = "";
        x->created_at = get_int(c, o, b, "created_at", 0);
        if (x->day == -2)
            x->day = 0;
        reg_valid_engagement(x, b, c->today, NULL, c->errs);
    }
}

static void read_links(imp_ctx *c, json_t *arr, imp_doc *d)
{
    size_t n = d->n[A_LN];
    d->ln = alloc_n(c, n, sizeof *d->ln);
    for (size_t i = 0; d->ln && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "grievance_links", &b);
        imp_link *il = &d->ln[i];
        memset(il, 0, sizeof *il);
        if (!o)
            continue;
        check_members(c, o, b, ln_members);
        il->impact = get_ref(c, o, b, "impact", d->n[A_IMP], 1);
        il->reference = get_str(c, o, b, "case");
        il->linked_by = get_str(c, o, b, "linked_by");
        il->linked_at = get_int(c, o, b, "linked_at", 0);
        if (!il->reference || !*il->reference || strlen(il->reference) > 64)
            err_at(c, pathf(c, b, "case"), "reg.err.required", "a case reference");
        if (il->linked_at < 0)
            err_at(c, pathf(c, b, "linked_at"), "reg.err.range", "Unix seconds");
        for (size_t k = 0; il->reference && k < i; k++)
            if (d->ln[k].impact == il->impact && d->ln[k].reference &&
                !strcmp(d->ln[k].reference, il->reference))
                err_at(c, pathf(c, b, "case"), "reg.err.duplicate", "linked twice");
    }
}

static int read_doc(imp_ctx *c, json_t *doc, imp_doc *d)
{
    memset(d, 0, sizeof *d);
    if (!json_is_object(doc)) {
        err_at(c, "", "reg.err.json", "a JSON object");
        return CORE_INVALID;
    }
    static const char *const top[] = {"format", "version", "policies", "scope_objects", "impacts",
                                      "assessments", "actions", "indicators", "stakeholders",
                                      "engagements", "grievance_links", NULL};
    check_members(c, doc, "", top);
    const char *fmt = get_str(c, doc, "", "format");
    if (!fmt || strcmp(fmt, "hrdd-register") != 0)
        err_at(c, "/format", "reg.err.json", "\"hrdd-register\"");
    if (get_int(c, doc, "", "version", 0) != 1)
        err_at(c, "/version", "reg.err.json", "1");
    json_t *arr[A__COUNT];
    for (int k = 0; k < A__COUNT; k++) {
        arr[k] = get_array(c, doc, "", arrays[k]);
        d->n[k] = arr[k] ? json_array_size(arr[k]) : 0;
    }
    read_policies(c, arr[A_POL], d);
    read_scopes(c, arr[A_SC], d);
    read_impacts(c, arr[A_IMP], d);
    read_assessments(c, arr[A_AS], d);
    read_actions(c, arr[A_AC], d);
    read_indicators(c, arr[A_IND], d);
    read_stakeholders(c, arr[A_SH], d);
    read_engagements(c, arr[A_EN], d);
    read_links(c, arr[A_LN], d);
    if (c->nomem)
        return CORE_NOMEM;
    return c->errs->n ? CORE_INVALID : CORE_OK;
}

/* ---- phase 2: the store ---- */

typedef struct imp_users {
    const char *emails[64];
    int64_t ids[64];
    size_t n;
} imp_users;

/* The id of a member of the org by e-mail; 0 (with a warning) when the
 * target has no such member. */
static int user_of(imp_ctx *c, reg_tx *tx, imp_users *u, const char *email, const char *path,
                   int64_t *id)
{
    *id = 0;
    if (!email)
        return CORE_OK;
    for (size_t i = 0; i < u->n; i++)
        if (!strcmp(u->emails[i], email)) {
            *id = u->ids[i];
            if (!*id)
                warn_at(c, path, "reg.warn.user", "no such member here: stored as none");
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
        warn_at(c, path, "reg.warn.user", "no such member here: stored as none");
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

static int store_doc(imp_ctx *c, reg_tx *tx, imp_doc *d, reg_import_result *res)
{
    core_arena *a = c->a;
    int64_t org = tx->pr->org_id;
    int rc = CORE_OK;
    imp_users *u = core_arena_alloc(a, sizeof *u);
    int64_t *sc_ids = alloc_n(c, d->n[A_SC], sizeof *sc_ids);
    int64_t *imp_ids = alloc_n(c, d->n[A_IMP], sizeof *imp_ids);
    int64_t *ac_ids = alloc_n(c, d->n[A_AC], sizeof *ac_ids);
    int64_t *sh_ids = alloc_n(c, d->n[A_SH], sizeof *sh_ids);
    if (!u || c->nomem)
        return CORE_NOMEM;
    store_product *prods = NULL;
    size_t nprods = 0;
    CHK(store_product_list(tx->c, a, org, &prods, &nprods));

    for (size_t i = 0; i < d->n[A_POL]; i++) {
        imp_policy *ip = &d->pol[i];
        const char *b = core_arena_printf(a, "/policies/%zu", i);
        store_dd_policy p = ip->p;
        p.org_id = org;
        CHK(user_of(c, tx, u, ip->created_by, pathf(c, b, "created_by"), &p.created_by));
        CHK(user_of(c, tx, u, ip->approved_by, pathf(c, b, "approved_by"), &p.approved_by));
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
        imp_scope *is = &d->sc[i];
        store_dd_scope s = is->s;
        s.org_id = org;
        s.parent_id = is->parent ? sc_ids[is->parent - 1] : 0;
        s.product_id = 0;
        if (is->product) {
            for (size_t k = 0; k < nprods; k++)
                if (!strcmp(prods[k].slug, is->product))
                    s.product_id = prods[k].id;
            if (!s.product_id)
                warn_at(c, pathf(c, core_arena_printf(a, "/scope_objects/%zu", i), "product"),
                        "reg.warn.product", "no such product here: stored as none");
        }
        CHK(store_dd_scope_create(tx->c, &s));
        sc_ids[i] = s.id;
        res->counts[A_SC]++;
    }
    for (size_t i = 0; i < d->n[A_IMP]; i++) {
        imp_impact *ii = &d->imp[i];
        store_dd_impact x = ii->i;
        x.org_id = org;
        x.scope_id = sc_ids[ii->scope - 1];
        CHK(user_of(c, tx, u, ii->created_by,
                    pathf(c, core_arena_printf(a, "/impacts/%zu", i), "created_by"), &x.created_by));
        CHK(store_dd_impact_create(tx->c, &x));
        imp_ids[i] = x.id;
        res->counts[A_IMP]++;
    }
    for (size_t i = 0; i < d->n[A_AS]; i++) {
        imp_assess *ia = &d->as[i];
        store_dd_assessment x = ia->x;
        x.org_id = org;
        x.scope_id = sc_ids[ia->scope - 1];
        x.impact_id = ia->impact ? imp_ids[ia->impact - 1] : 0;
        CHK(user_of(c, tx, u, ia->approved_by,
                    pathf(c, core_arena_printf(a, "/assessments/%zu", i), "approved_by"),
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
        imp_action *ia = &d->ac[i];
        store_dd_action x = ia->x;
        x.org_id = org;
        x.impact_id = imp_ids[ia->impact - 1];
        CHK(user_of(c, tx, u, ia->owner,
                    pathf(c, core_arena_printf(a, "/actions/%zu", i), "owner"), &x.owner_id));
        CHK(store_dd_action_create(tx->c, &x));
        ac_ids[i] = x.id;
        res->counts[A_AC]++;
    }
    for (size_t i = 0; i < d->n[A_IND]; i++) {
        imp_ind *ii = &d->ind[i];
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
        imp_eng *ie = &d->en[i];
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
        imp_link *il = &d->ln[i];
        const char *b = core_arena_printf(a, "/grievance_links/%zu", i);
        store_grievance g;
        rc = store_grievance_get_by_reference(tx->c, a, org, il->reference, &g);
        if (rc == CORE_NOTFOUND) {
            warn_at(c, pathf(c, b, "case"), "reg.warn.case", "no such case here: link skipped");
            continue;
        }
        if (rc != CORE_OK)
            return rc;
        store_dd_grievance_link l = {.org_id = org, .impact_id = imp_ids[il->impact - 1],
                                     .case_id = g.id, .linked_at = il->linked_at};
        CHK(user_of(c, tx, u, il->linked_by, pathf(c, b, "linked_by"), &l.linked_by));
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
    imp_ctx c = {.a = a, .errs = &errs, .warns = &warns, .today = reg_today(svc)};
    imp_doc d;
    int rc = read_doc(&c, doc, &d);
    if (rc == CORE_OK) {
        reg_tx tx;
        rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_APPROVE, 1, &tx);
        if (rc != CORE_OK)
            return rc;
        rc = org_empty(&tx);
        if (rc == CORE_CONFLICT)
            err_at(&c, "", "reg.err.state", "the organisation already holds a register");
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
