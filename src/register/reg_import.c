/* reg_import: phase 1 of the register import (reg_import_store.c has phase
 * 2 and the entry points): reads a document of reg_export's format with
 * type checks, checks every reference against the document (1-based
 * positions in range; a parent scope object must come earlier), uniqueness
 * inside the document (slugs, policy versions, grievance links, one
 * measurement per day), then the same record rules as the single operations
 * (reg_valid_* with a sink), so that EVERY failure is reported with its
 * JSON path ("/impacts/3/rights/0"). Nothing here touches the database.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "grievance/grievance.h"
#include "register/reg_import.h"

static const char *const arrays[A__COUNT] = {"policies", "scope_objects", "impacts", "assessments",
                                             "actions", "indicators", "stakeholders",
                                             "engagements", "grievance_links"};

void reg_imp_err(reg_imp_ctx *c, const char *path, const char *key, const char *detail)
{
    reg_error e;
    memset(&e, 0, sizeof e);
    e.field = path;
    e.key = key;
    e.detail = detail;
    if (reg_sink_push(c->errs, &e) != CORE_OK)
        c->nomem = 1;
}

void reg_imp_warn(reg_imp_ctx *c, const char *path, const char *key, const char *detail)
{
    reg_error e;
    memset(&e, 0, sizeof e);
    e.field = path;
    e.key = key;
    e.detail = detail;
    if (reg_sink_push(c->warns, &e) != CORE_OK)
        c->nomem = 1;
}

const char *reg_imp_path(reg_imp_ctx *c, const char *base, const char *key)
{
    const char *p = core_arena_printf(c->a, "%s/%s", base, key);
    if (!p)
        c->nomem = 1;
    return p ? p : "";
}

/* Members not in allowed[] are errors (typos would otherwise be lost silently). */
static void check_members(reg_imp_ctx *c, json_t *o, const char *base, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        int ok = 0;
        for (size_t i = 0; allowed[i]; i++)
            if (!strcmp(k, allowed[i]))
                ok = 1;
        if (!ok)
            reg_imp_err(c, reg_imp_path(c, base, k), "reg.err.json", "unknown member");
    }
}

static const char *get_str(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_string(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "a string");
        return NULL;
    }
    return json_string_value(v);
}

static int64_t get_int(reg_imp_ctx *c, json_t *o, const char *base, const char *key, int64_t dflt)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return dflt;
    if (!json_is_integer(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "an integer");
        return dflt;
    }
    return (int64_t)json_integer_value(v);
}

static int get_bool(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_boolean(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "true or false");
        return 0;
    }
    return json_is_true(v);
}

static double get_real(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return 0;
    if (!json_is_number(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "a number");
        return 0;
    }
    return json_number_value(v);
}

/* "YYYY-MM-DD" or null (-1). A bad date: error, -2 (so the record rules do
 * not report it again as missing). */
static int64_t get_day(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return -1;
    int64_t d = -1;
    if (!json_is_string(v) || grv_date_parse(json_string_value(v), &d) != CORE_OK || d < 0) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.date", "a date YYYY-MM-DD");
        return -2;
    }
    return d;
}

/* Array of short tokens (no spaces) joined with single spaces. */
static const char *get_tokens(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return "";
    if (!json_is_array(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "an array of strings");
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
            reg_imp_err(c, p ? p : "", "reg.err.json", "a non-empty string without spaces");
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
static size_t get_ref(reg_imp_ctx *c, json_t *o, const char *base, const char *key, size_t max,
                      int required)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v)) {
        if (required)
            reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.required", "required");
        return 0;
    }
    if (!json_is_integer(v) || json_integer_value(v) < 1 ||
        (size_t)json_integer_value(v) > max) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.reference", "no such record in the document");
        return 0;
    }
    return (size_t)json_integer_value(v);
}

static json_t *get_array(reg_imp_ctx *c, json_t *o, const char *base, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (!v || json_is_null(v))
        return NULL;
    if (!json_is_array(v)) {
        reg_imp_err(c, reg_imp_path(c, base, key), "reg.err.json", "an array");
        return NULL;
    }
    return v;
}

void *reg_imp_alloc(reg_imp_ctx *c, size_t n, size_t size)
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

/* Each record: an object; base "<parent>/<array>/<i>" (parent "" for the
 * top-level arrays). Returns NULL (error given) if not. */
static json_t *record(reg_imp_ctx *c, json_t *arr, size_t i, const char *parent, const char *name,
                      const char **base)
{
    json_t *o = json_array_get(arr, i);
    *base = core_arena_printf(c->a, "%s/%s/%zu", parent, name, i);
    if (!*base) {
        c->nomem = 1;
        *base = "";
    }
    if (!json_is_object(o)) {
        reg_imp_err(c, *base, "reg.err.json", "an object");
        return NULL;
    }
    return o;
}

/* A record's nested array `name` (absent: none): its records are read with
 * record(..., b, name, ...). Returns zeroed storage for *n items of size
 * each, NULL when there are none or memory ran out. */
static void *nested(reg_imp_ctx *c, json_t *o, const char *b, const char *name, size_t size,
                    json_t **arr, size_t *n)
{
    *arr = get_array(c, o, b, name);
    *n = *arr ? json_array_size(*arr) : 0;
    return *n ? reg_imp_alloc(c, *n, size) : NULL;
}

static void read_policies(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_POL];
    d->pol = reg_imp_alloc(c, n, sizeof *d->pol);
    size_t napproved = 0;
    for (size_t i = 0; d->pol && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "policies", &b);
        reg_imp_policy *ip = &d->pol[i];
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
            reg_imp_err(c, reg_imp_path(c, b, "status"), "reg.err.enum", "draft, approved or superseded");
        else if (!p->status)
            reg_imp_err(c, reg_imp_path(c, b, "status"), "reg.err.required", "required");
        if (p->version < 1)
            reg_imp_err(c, reg_imp_path(c, b, "version"), "reg.err.range", "1 or more");
        for (size_t k = 0; k < i; k++)
            if (d->pol[k].p.version == p->version && p->version >= 1)
                reg_imp_err(c, reg_imp_path(c, b, "version"), "reg.err.duplicate", "version given twice");
        int approved = p->status && strcmp(p->status, "draft") != 0;
        if (p->status && !strcmp(p->status, "approved"))
            napproved++;
        if (approved && (!p->approved_role || (strcmp(p->approved_role, "hr_lead") &&
                                               strcmp(p->approved_role, "admin"))))
            reg_imp_err(c, reg_imp_path(c, b, "approved_role"), "reg.err.enum", "hr_lead or admin");
        if (!approved && p->approved_role)
            reg_imp_err(c, reg_imp_path(c, b, "approved_role"), "reg.err.state", "a draft is not approved");
        if (p->created_at < 0)
            reg_imp_err(c, reg_imp_path(c, b, "created_at"), "reg.err.range", "Unix seconds");
        if (p->approved_at < 0)
            reg_imp_err(c, reg_imp_path(c, b, "approved_at"), "reg.err.range", "Unix seconds");
        json_t *ca, *la;
        ip->comms = nested(c, o, b, "communications", sizeof *ip->comms, &ca, &ip->ncomms);
        for (size_t k = 0; ip->comms && k < ip->ncomms; k++) {
            const char *cb;
            json_t *co = record(c, ca, k, b, "communications", &cb);
            store_dd_policy_comm *m = &ip->comms[k];
            if (!co)
                continue;
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
        ip->links = nested(c, o, b, "links", sizeof *ip->links, &la, &ip->nlinks);
        for (size_t k = 0; ip->links && k < ip->nlinks; k++) {
            const char *lb;
            json_t *lo = record(c, la, k, b, "links", &lb);
            store_dd_policy_link *l = &ip->links[k];
            if (!lo)
                continue;
            check_members(c, lo, lb, plink_members);
            l->title = get_str(c, lo, lb, "title");
            l->url = get_str(c, lo, lb, "url");
            l->function = get_str(c, lo, lb, "function");
            reg_valid_link(l, lb, NULL, c->errs);
        }
    }
    if (napproved > 1)
        reg_imp_err(c, "/policies", "reg.err.state", "at most one approved version");
}

static void read_scopes(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_SC];
    d->sc = reg_imp_alloc(c, n, sizeof *d->sc);
    for (size_t i = 0; d->sc && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "scope_objects", &b);
        reg_imp_scope *is = &d->sc[i];
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
            reg_imp_err(c, reg_imp_path(c, b, "parent"), "reg.err.reference",
                   "the parent must come earlier in the document");
            is->parent = 0;
        }
        s->created_at = get_int(c, o, b, "created_at", 0);
        s->updated_at = get_int(c, o, b, "updated_at", 0);
        s->parent_id = (int64_t)is->parent;
        reg_valid_scope(s, b, NULL, c->errs);
        for (size_t k = 0; s->slug && k < i; k++)
            if (d->sc[k].s.slug && !strcmp(d->sc[k].s.slug, s->slug))
                reg_imp_err(c, reg_imp_path(c, b, "slug"), "reg.err.duplicate", "slug given twice");
    }
}

static void read_impacts(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_IMP];
    d->imp = reg_imp_alloc(c, n, sizeof *d->imp);
    for (size_t i = 0; d->imp && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "impacts", &b);
        reg_imp_impact *ii = &d->imp[i];
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

static size_t *read_refs(reg_imp_ctx *c, json_t *o, const char *b, const char *key, size_t max,
                         size_t *count)
{
    json_t *fa = get_array(c, o, b, key);
    *count = fa ? json_array_size(fa) : 0;
    size_t *v = reg_imp_alloc(c, *count, sizeof *v);
    for (size_t k = 0; v && k < *count; k++) {
        json_t *e = json_array_get(fa, k);
        v[k] = 0;
        if (!json_is_integer(e) || json_integer_value(e) < 1 || (size_t)json_integer_value(e) > max) {
            const char *p = core_arena_printf(c->a, "%s/%s/%zu", b, key, k);
            reg_imp_err(c, p ? p : "", "reg.err.reference", "no such impact in the document");
            continue;
        }
        v[k] = (size_t)json_integer_value(e);
        for (size_t j = 0; j < k; j++)
            if (v[j] == v[k]) {
                const char *p = core_arena_printf(c->a, "%s/%s/%zu", b, key, k);
                reg_imp_err(c, p ? p : "", "reg.err.duplicate", "given twice");
            }
    }
    return v;
}

static void read_assessments(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_AS];
    d->as = reg_imp_alloc(c, n, sizeof *d->as);
    for (size_t i = 0; d->as && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "assessments", &b);
        reg_imp_assess *ia = &d->as[i];
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
            reg_imp_err(c, reg_imp_path(c, b, "status"), "reg.err.required", "required");
        else if (reg_check_enum(NULL, b, "status", x->status, reg_assessment_statuses) != CORE_OK)
            reg_imp_err(c, reg_imp_path(c, b, "status"), "reg.err.enum", "open, completed or approved");
        else if (!strcmp(x->status, "open") && x->completed_day >= 0)
            reg_imp_err(c, reg_imp_path(c, b, "completed_day"), "reg.err.state", "an open assessment is not completed");
        else if (strcmp(x->status, "open") != 0 && x->completed_day == -1)
            reg_imp_err(c, reg_imp_path(c, b, "completed_day"), "reg.err.required", "required when completed");
        if (x->completed_day == -2)
            x->completed_day = 0;
        if (x->due_day == -2)
            x->due_day = 0;
    }
}

static void read_actions(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_AC];
    d->ac = reg_imp_alloc(c, n, sizeof *d->ac);
    for (size_t i = 0; d->ac && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "actions", &b);
        reg_imp_action *ia = &d->ac[i];
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

static void read_indicators(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_IND];
    d->ind = reg_imp_alloc(c, n, sizeof *d->ind);
    for (size_t i = 0; d->ind && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "indicators", &b);
        reg_imp_ind *ii = &d->ind[i];
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
            reg_imp_err(c, reg_imp_path(c, b, "impact"), "reg.err.required",
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
        json_t *ma;
        ii->ms = nested(c, o, b, "measurements", sizeof *ii->ms, &ma, &ii->nms);
        for (size_t k = 0; ii->ms && k < ii->nms; k++) {
            const char *mb;
            json_t *mo = record(c, ma, k, b, "measurements", &mb);
            store_dd_measure *m = &ii->ms[k];
            if (!mo)
                continue;
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
                    reg_imp_err(c, reg_imp_path(c, mb, "day"), "reg.err.duplicate", "one value per day");
        }
    }
}

static void read_stakeholders(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_SH];
    d->sh = reg_imp_alloc(c, n, sizeof *d->sh);
    for (size_t i = 0; d->sh && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "stakeholders", &b);
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

static void read_engagements(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_EN];
    d->en = reg_imp_alloc(c, n, sizeof *d->en);
    for (size_t i = 0; d->en && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "engagements", &b);
        reg_imp_eng *ie = &d->en[i];
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

static void read_links(reg_imp_ctx *c, json_t *arr, reg_imp_doc *d)
{
    size_t n = d->n[A_LN];
    d->ln = reg_imp_alloc(c, n, sizeof *d->ln);
    for (size_t i = 0; d->ln && i < n; i++) {
        const char *b;
        json_t *o = record(c, arr, i, "", "grievance_links", &b);
        reg_imp_link *il = &d->ln[i];
        memset(il, 0, sizeof *il);
        if (!o)
            continue;
        check_members(c, o, b, ln_members);
        il->impact = get_ref(c, o, b, "impact", d->n[A_IMP], 1);
        il->reference = get_str(c, o, b, "case");
        il->linked_by = get_str(c, o, b, "linked_by");
        il->linked_at = get_int(c, o, b, "linked_at", 0);
        if (!il->reference || !*il->reference || strlen(il->reference) > 64)
            reg_imp_err(c, reg_imp_path(c, b, "case"), "reg.err.required", "a case reference");
        if (il->linked_at < 0)
            reg_imp_err(c, reg_imp_path(c, b, "linked_at"), "reg.err.range", "Unix seconds");
        for (size_t k = 0; il->reference && k < i; k++)
            if (d->ln[k].impact == il->impact && d->ln[k].reference &&
                !strcmp(d->ln[k].reference, il->reference))
                reg_imp_err(c, reg_imp_path(c, b, "case"), "reg.err.duplicate", "linked twice");
    }
}

int reg_imp_read(reg_imp_ctx *c, json_t *doc, reg_imp_doc *d)
{
    memset(d, 0, sizeof *d);
    if (!json_is_object(doc)) {
        reg_imp_err(c, "", "reg.err.json", "a JSON object");
        return CORE_INVALID;
    }
    static const char *const top[] = {"format", "version", "policies", "scope_objects", "impacts",
                                      "assessments", "actions", "indicators", "stakeholders",
                                      "engagements", "grievance_links", NULL};
    check_members(c, doc, "", top);
    const char *fmt = get_str(c, doc, "", "format");
    if (!fmt || strcmp(fmt, "hrdd-register") != 0)
        reg_imp_err(c, "/format", "reg.err.json", "\"hrdd-register\"");
    if (get_int(c, doc, "", "version", 0) != 1)
        reg_imp_err(c, "/version", "reg.err.json", "1");
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
