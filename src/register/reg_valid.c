/* reg_valid: the register's input rules that need no database: text
 * lengths, enumerated values, rights and country lists, slugs, ratings
 * (dd_rating_validate), days. Every failure names the member as a JSON
 * pointer under a prefix ("" for one record, "/impacts/3" in an import), so
 * the single operations and the import report the same fields. References
 * to other records are checked by the callers, against the database or the
 * import document.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "grievance/grievance.h"
#include "register/reg_internal.h"

const char *const reg_scope_kinds[] = {"product", "service", "feature", "customer", "end_user",
                                       "state_agency", "supplier", "partner", "investee", NULL};
const char *const reg_markers[] = {"surveillance_to_state", "state_customer", "conflict_affected",
                                   "high_risk_area", "children_users", "automated_decisions",
                                   "mass_data", NULL};
const char *const reg_policy_statuses[] = {"draft", "approved", "superseded", NULL};
const char *const reg_comm_channels[] = {"website", "intranet", "training", "supplier_code",
                                         "email", "other", NULL};
const char *const reg_comm_audiences[] = {"staff", "business_partners", "users", "public",
                                          "investors", "other", NULL};
const char *const reg_assessment_kinds[] = {"hria", "dd_review", NULL};
const char *const reg_assessment_statuses[] = {"open", "completed", "approved", NULL};
const char *const reg_action_kinds[] = {"prevent", "mitigate", "remediate", "use_leverage",
                                        "suspend_relationship", "end_relationship", NULL};
const char *const reg_functions[] = {"product", "engineering", "trust_and_safety", "legal",
                                     "sales", "procurement", "human_rights", "other", NULL};
const char *const reg_action_statuses[] = {"planned", "in_progress", "done", "cancelled", NULL};
const char *const reg_stakeholder_kinds[] = {"organisation", "affected_group", "expert",
                                             "representative", NULL};
const char *const reg_steps[] = {"identify", "assess", "act", "track", "communicate", "remedy",
                                 NULL};
const char *const reg_formats[] = {"meeting", "workshop", "survey", "interview", "consultation",
                                   "written", "other", NULL};
const char *const reg_impact_statuses[] = {"potential", "possibly_actual", "actual", NULL};
const char *const reg_involvements[] = {"cause", "contribute", "directly_linked", NULL};
const char *const reg_phases[] = {"design", "development", "marketing", "sale_or_licensing",
                                  "deployment", "use", NULL};
const char *const reg_triggers[] = {"new_activity", "major_change", "environment_change",
                                    "periodic", "grievance", NULL};
const char *const reg_directions[] = {"increase", "decrease", "maintain", NULL};

static const char *const evidence_kinds[] = {"assessment", "grievance", "stakeholder_input",
                                              "media", "audit", NULL};

#define DAY_MAX 2932896              /* 9999-12-31 */

int reg_sink_push(reg_sink *sink, const reg_error *e)
{
    if (sink->n == sink->cap) {
        size_t cap = sink->cap ? sink->cap * 2 : 16;
        reg_error *v = core_arena_alloc(sink->a, cap * sizeof *v);
        if (!v)
            return CORE_NOMEM;
        if (sink->n)
            memcpy(v, sink->list, sink->n * sizeof *v);
        sink->list = v;
        sink->cap = cap;
    }
    reg_error *d = &sink->list[sink->n];
    memset(d, 0, sizeof *d);
    d->field = core_arena_strdup(sink->a, e->field ? e->field : "");
    d->key = e->key;
    d->detail = e->detail;
    if (!d->field)
        return CORE_NOMEM;
    sink->n++;
    return CORE_OK;
}

int reg_fail(reg_error *err, const char *field, const char *key, const char *detail)
{
    if (err) {
        err->field = field;
        err->key = key;
        err->detail = detail;
    }
    return CORE_INVALID;
}

int reg_failf(reg_error *err, const char *key, const char *detail, const char *fmt, ...)
{
    if (err) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err->buf, sizeof err->buf, fmt, ap);
        va_end(ap);
        err->field = err->buf;
        err->key = key;
        err->detail = detail;
    }
    return CORE_INVALID;
}

static int member_fail(reg_error *err, const char *prefix, const char *member, const char *key,
                       const char *detail)
{
    return reg_failf(err, key, detail, "%s/%s", prefix ? prefix : "", member);
}

int reg_check_text(reg_error *err, const char *prefix, const char *member, const char *s,
                   int required, size_t max)
{
    if (!s || !*s) {
        if (required)
            return member_fail(err, prefix, member, "reg.err.required", "required");
        return CORE_OK;
    }
    size_t n = strlen(s);
    if (n > max)
        return member_fail(err, prefix, member, "reg.err.too_long", "too long");
    if (!core_utf8_valid(s, n))
        return member_fail(err, prefix, member, "reg.err.required", "not valid UTF-8 text");
    if (required) {
        size_t i = 0;
        while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r' || s[i] == '\n'))
            i++;
        if (i == n)
            return member_fail(err, prefix, member, "reg.err.required", "required");
    }
    return CORE_OK;
}

static int in_list(const char *s, const char *const *allowed)
{
    for (size_t i = 0; allowed[i]; i++)
        if (!strcmp(s, allowed[i]))
            return 1;
    return 0;
}

int reg_check_enum(reg_error *err, const char *prefix, const char *member, const char *s,
                   const char *const *allowed)
{
    if (!s || !*s)
        return member_fail(err, prefix, member, "reg.err.required", "required");
    if (!in_list(s, allowed))
        return member_fail(err, prefix, member, "reg.err.enum", "not one of the allowed values");
    return CORE_OK;
}

/* Walks space-separated tokens of s; calls ok(token, len) for each; on the
 * first failure names "<prefix>/<member>/<i>". */
typedef int (*token_ok)(const char *tok, size_t len, const void *ud);

static int walk_tokens(reg_error *err, const char *prefix, const char *member, const char *s,
                       token_ok ok, const void *ud, const char *key, const char *detail,
                       size_t *count)
{
    size_t i = 0;
    const char *p = s ? s : "";
    if (strlen(p) > REG_MAX_TEXT)
        return member_fail(err, prefix, member, "reg.err.too_long", "too long");
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (!ok(p, (size_t)(e - p), ud))
            return reg_failf(err, key, detail, "%s/%s/%zu", prefix ? prefix : "", member, i);
        i++;
        p = e;
    }
    if (count)
        *count = i;
    return CORE_OK;
}

static int right_ok(const char *tok, size_t len, const void *ud)
{
    (void)ud;
    char buf[64];
    if (len == 0 || len >= sizeof buf)
        return 0;
    memcpy(buf, tok, len);
    buf[len] = '\0';
    return dd_right_find(buf) != NULL;
}

int reg_check_rights(reg_error *err, const char *prefix, const char *member, const char *s,
                     int required)
{
    size_t n = 0;
    int rc = walk_tokens(err, prefix, member, s, right_ok, NULL, "reg.err.unknown_right",
                         "not a right of the catalogue", &n);
    if (rc != CORE_OK)
        return rc;
    if (required && n == 0)
        return member_fail(err, prefix, member, "reg.err.required", "at least one right");
    return CORE_OK;
}

static int country_ok(const char *tok, size_t len, const void *ud)
{
    (void)ud;
    char cc[3] = {0};
    if (len != 2)
        return 0;
    memcpy(cc, tok, 2);
    return grv_country_valid(cc);
}

int reg_check_countries(reg_error *err, const char *prefix, const char *member, const char *s)
{
    return walk_tokens(err, prefix, member, s, country_ok, NULL, "reg.err.country",
                       "not an ISO 3166-1 alpha-2 code", NULL);
}

static int listed_ok(const char *tok, size_t len, const void *ud)
{
    const char *const *allowed = ud;
    for (size_t i = 0; allowed[i]; i++)
        if (strlen(allowed[i]) == len && !memcmp(allowed[i], tok, len))
            return 1;
    return 0;
}

int reg_check_tokens(reg_error *err, const char *prefix, const char *member, const char *s,
                     const char *const *allowed)
{
    return walk_tokens(err, prefix, member, s, listed_ok, allowed, "reg.err.enum",
                       "not one of the allowed values", NULL);
}

int reg_check_evidence(reg_error *err, const char *prefix, const char *member, const char *s)
{
    return reg_check_tokens(err, prefix, member, s, evidence_kinds);
}

int reg_check_slug(reg_error *err, const char *prefix, const char *member, const char *s)
{
    if (!s || !*s)
        return member_fail(err, prefix, member, "reg.err.required", "required");
    if (strlen(s) > 64 || !core_slug_valid(s))
        return member_fail(err, prefix, member, "reg.err.slug",
                           "lower-case letters, digits and '-', at most 63");
    return CORE_OK;
}

int reg_check_range(reg_error *err, const char *prefix, const char *member, int64_t v, int64_t lo,
                    int64_t hi)
{
    if (v < lo || v > hi)
        return member_fail(err, prefix, member, "reg.err.range", "out of range");
    return CORE_OK;
}

int reg_check_day(reg_error *err, const char *prefix, const char *member, int64_t day,
                  int allow_none, int64_t not_after)
{
    if (day == -1 && allow_none)
        return CORE_OK;
    if (day < 0 || day > DAY_MAX)
        return member_fail(err, prefix, member, "reg.err.date", "not a valid date");
    if (not_after >= 0 && day > not_after)
        return member_fail(err, prefix, member, "reg.err.date", "in the future");
    return CORE_OK;
}

static int flag(reg_error *err, const char *prefix, const char *member, int v)
{
    return reg_check_range(err, prefix, member, v, 0, 1);
}

/* ---- records ---- */

/* Each record check either stops at the first failure (sink NULL: err
 * names it) or, with a sink (the import), records every failure and goes on. */
#define BEGIN                                                                                     \
    reg_error local_;                                                                             \
    int bad_ = 0;                                                                                 \
    if (!err)                                                                                     \
        err = &local_
#define TRY(x)                                                                                    \
    do {                                                                                          \
        int rc_ = (x);                                                                            \
        if (rc_ != CORE_OK) {                                                                     \
            if (!sink || rc_ != CORE_INVALID)                                                     \
                return rc_;                                                                       \
            if (reg_sink_push(sink, err) != CORE_OK)                                              \
                return CORE_NOMEM;                                                                \
            bad_ = 1;                                                                             \
        }                                                                                         \
    } while (0)
#define END return bad_ ? CORE_INVALID : CORE_OK

int reg_valid_policy(const store_dd_policy *p, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_text(err, prefix, "title", p->title, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "body_md", p->body_md, 1, REG_MAX_TEXT));
    TRY(reg_check_rights(err, prefix, "scope_rights", p->scope_rights, 0));
    TRY(flag(err, prefix, "own_operations", p->own_operations));
    TRY(flag(err, prefix, "business_partners", p->business_partners));
    TRY(flag(err, prefix, "end_use", p->end_use));
    END;
}

int reg_valid_comm(const store_dd_policy_comm *m, const char *prefix, int64_t today, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_day(err, prefix, "day", m->day, 0, today));
    TRY(reg_check_enum(err, prefix, "channel", m->channel, reg_comm_channels));
    TRY(reg_check_enum(err, prefix, "audience", m->audience, reg_comm_audiences));
    TRY(reg_check_text(err, prefix, "note", m->note, 0, REG_MAX_TEXT));
    END;
}

static int url_ok(const char *u)
{
    return !strncmp(u, "https://", 8) || !strncmp(u, "http://", 7) || u[0] == '/';
}

int reg_valid_link(const store_dd_policy_link *l, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_text(err, prefix, "title", l->title, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "url", l->url, 0, 2000));
    if (l->url && *l->url && (!url_ok(l->url) || strpbrk(l->url, " \t\r\n\"<>")))
        TRY(member_fail(err, prefix, "url", "reg.err.enum", "an http(s) URL or a path"));
    if (l->function && *l->function)
        TRY(reg_check_enum(err, prefix, "function", l->function, reg_functions));
    END;
}

int reg_valid_scope(const store_dd_scope *s, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_slug(err, prefix, "slug", s->slug));
    TRY(reg_check_enum(err, prefix, "kind", s->kind, reg_scope_kinds));
    TRY(reg_check_text(err, prefix, "name", s->name, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "description", s->description, 0, REG_MAX_TEXT));
    TRY(reg_check_enum(err, prefix, "phase", s->phase, reg_phases));
    TRY(reg_check_countries(err, prefix, "countries", s->countries));
    TRY(reg_check_tokens(err, prefix, "markers", s->markers, reg_markers));
    if (s->parent_id < 0)
        TRY(member_fail(err, prefix, "parent_id", "reg.err.reference", "no such scope object"));
    if (s->parent_id > 0 && (!s->kind || strcmp(s->kind, "feature") != 0))
        TRY(member_fail(err, prefix, "parent_id", "reg.err.reference",
                           "only a feature has a parent product"));
    if (s->product_id < 0)
        TRY(member_fail(err, prefix, "product_id", "reg.err.reference", "no such product"));
    END;
}

static const char *const rating_fields[] = {"scale", "scope", "irremediable", "likelihood",
                                            "status", NULL};

int reg_valid_impact(const store_dd_impact *i, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    if (i->scope_id <= 0)
        TRY(member_fail(err, prefix, "scope_id", "reg.err.required", "required"));
    TRY(reg_check_text(err, prefix, "title", i->title, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "description", i->description, 0, REG_MAX_TEXT));
    TRY(reg_check_enum(err, prefix, "status", i->status, reg_impact_statuses));
    TRY(reg_check_rights(err, prefix, "rights", i->rights, 1));
    TRY(reg_check_text(err, prefix, "affected_groups", i->affected_groups, 0, REG_MAX_TEXT));
    TRY(reg_check_text(err, prefix, "vulnerable_groups", i->vulnerable_groups, 0, REG_MAX_TEXT));
    TRY(reg_check_countries(err, prefix, "countries", i->countries));
    TRY(reg_check_enum(err, prefix, "involvement", i->involvement, reg_involvements));
    TRY(flag(err, prefix, "business_model", i->business_model));
    /* every dimension on its own (so an import reports each), then the
     * rule itself (dd_rating_validate) for what is left */
    int ratings_ok = 1;
    const struct { const char *name; int v; } dims[] = {
        {"scale", i->scale}, {"scope", i->scope}, {"irremediable", i->irremediable}};
    for (size_t k = 0; k < 3; k++)
        if (dims[k].v < 1 || dims[k].v > 5) {
            ratings_ok = 0;
            TRY(member_fail(err, prefix, dims[k].name, "reg.err.range", "1-5"));
        }
    dd_rating r;
    reg_rating_of(i, &r);
    const char *field = NULL;
    if (ratings_ok && r.status != DD_STATUS__COUNT && dd_rating_validate(&r, &field) != CORE_OK) {
        const char *f = "likelihood";
        for (size_t k = 0; field && rating_fields[k]; k++)
            if (!strcmp(field, rating_fields[k]))
                f = rating_fields[k];
        TRY(member_fail(err, prefix, f, "reg.err.range",
                        !strcmp(f, "likelihood") ? "1-5 (0 only for an actual impact)" : "1-5"));
    }
    TRY(reg_check_text(err, prefix, "competing_rights", i->competing_rights, 0, REG_MAX_TEXT));
    TRY(reg_check_evidence(err, prefix, "evidence", i->evidence));
    END;
}

int reg_valid_assessment(const store_dd_assessment *x, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    if (x->scope_id <= 0)
        TRY(member_fail(err, prefix, "scope_id", "reg.err.required", "required"));
    TRY(reg_check_enum(err, prefix, "kind", x->kind, reg_assessment_kinds));
    TRY(reg_check_enum(err, prefix, "trigger", x->trigger, reg_triggers));
    TRY(reg_check_text(err, prefix, "trigger_note", x->trigger_note, 0, REG_MAX_TEXT));
    TRY(reg_check_day(err, prefix, "event_day", x->event_day, 0, -1));
    TRY(reg_check_text(err, prefix, "summary", x->summary, 0, REG_MAX_TEXT));
    if (x->impact_id < 0)
        TRY(member_fail(err, prefix, "impact_id", "reg.err.reference", "no such impact"));
    END;
}

int reg_valid_action(const store_dd_action *x, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    if (x->impact_id <= 0)
        TRY(member_fail(err, prefix, "impact_id", "reg.err.required", "required"));
    TRY(reg_check_enum(err, prefix, "kind", x->kind, reg_action_kinds));
    TRY(reg_check_text(err, prefix, "title", x->title, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "description", x->description, 0, REG_MAX_TEXT));
    if (x->owner_id < 0)
        TRY(member_fail(err, prefix, "owner_id", "reg.err.reference", "no such member"));
    TRY(reg_check_text(err, prefix, "owner_name", x->owner_name, 0, REG_MAX_LINE));
    TRY(reg_check_enum(err, prefix, "function", x->function, reg_functions));
    TRY(reg_check_day(err, prefix, "due_day", x->due_day, 1, -1));
    TRY(reg_check_enum(err, prefix, "status", x->status, reg_action_statuses));
    TRY(reg_check_text(err, prefix, "integration", x->integration, 0, REG_MAX_TEXT));
    END;
}

int reg_valid_indicator(const store_dd_indicator *x, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    if ((x->impact_id > 0) == (x->action_id > 0) || x->impact_id < 0 || x->action_id < 0)
        TRY(member_fail(err, prefix, "impact_id", "reg.err.required",
                           "exactly one of impact_id and action_id"));
    TRY(reg_check_text(err, prefix, "name", x->name, 1, REG_MAX_LINE));
    TRY(reg_check_text(err, prefix, "unit", x->unit, 1, 40));
    TRY(reg_check_enum(err, prefix, "direction", x->direction, reg_directions));
    if (!isfinite(x->target) || fabs(x->target) > 1e15)
        TRY(member_fail(err, prefix, "target", "reg.err.range", "a finite number"));
    if (!isfinite(x->tolerance) || x->tolerance < 0 || x->tolerance > 1e15)
        TRY(member_fail(err, prefix, "tolerance", "reg.err.range", "a number >= 0"));
    TRY(reg_check_day(err, prefix, "target_day", x->target_day, 1, -1));
    END;
}

int reg_valid_measure(const store_dd_measure *m, const char *prefix, int64_t today, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_day(err, prefix, "day", m->day, 0, today));
    if (!isfinite(m->value) || fabs(m->value) > 1e15)
        TRY(member_fail(err, prefix, "value", "reg.err.range", "a finite number"));
    TRY(reg_check_text(err, prefix, "note", m->note, 0, REG_MAX_TEXT));
    END;
}

int reg_valid_stakeholder(const store_dd_stakeholder *x, const char *prefix, reg_error *err, reg_sink *sink)
{
    BEGIN;
    TRY(reg_check_text(err, prefix, "name", x->name, 1, REG_MAX_LINE));
    TRY(reg_check_enum(err, prefix, "kind", x->kind, reg_stakeholder_kinds));
    TRY(reg_check_text(err, prefix, "region", x->region, 0, REG_MAX_LINE));
    TRY(reg_check_countries(err, prefix, "countries", x->countries));
    TRY(flag(err, prefix, "global_south", x->global_south));
    TRY(reg_check_text(err, prefix, "contact", x->contact, 0, REG_MAX_TEXT));
    END;
}

static int id_ok(const char *tok, size_t len, const void *ud)
{
    (void)ud;
    if (len == 0 || len > 18 || tok[0] == '0')
        return 0;
    for (size_t i = 0; i < len; i++)
        if (tok[i] < '0' || tok[i] > '9')
            return 0;
    return 1;
}

int reg_valid_engagement(const store_dd_engagement *x, const char *prefix, int64_t today,
                         reg_error *err, reg_sink *sink)
{
    BEGIN;
    if (x->stakeholder_id <= 0)
        TRY(member_fail(err, prefix, "stakeholder_id", "reg.err.required", "required"));
    TRY(reg_check_day(err, prefix, "day", x->day, 0, today));
    TRY(reg_check_enum(err, prefix, "step", x->step, reg_steps));
    TRY(reg_check_text(err, prefix, "topics", x->topics, 1, REG_MAX_TEXT));
    TRY(reg_check_enum(err, prefix, "format", x->format, reg_formats));
    TRY(reg_check_text(err, prefix, "outcome", x->outcome, 0, REG_MAX_TEXT));
    TRY(reg_check_text(err, prefix, "follow_up", x->follow_up, 0, REG_MAX_TEXT));
    TRY(walk_tokens(err, prefix, "impact_ids", x->impact_ids, id_ok, NULL, "reg.err.reference",
                    "not an impact id", NULL));
    END;
}

/* ---- tokens ---- */

size_t reg_tokens(core_arena *a, const char *s, const char ***out)
{
    *out = NULL;
    if (!s)
        return 0;
    size_t n = 0;
    for (const char *p = s; *p;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        n++;
        while (*p && *p != ' ')
            p++;
    }
    if (!n)
        return 0;
    const char **v = core_arena_alloc(a, n * sizeof *v);
    if (!v)
        return 0;
    size_t i = 0;
    for (const char *p = s; *p && i < n;) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        v[i++] = core_arena_strndup(a, p, (size_t)(e - p));
        p = e;
    }
    *out = v;
    return n;
}

int reg_parse_ids(core_arena *a, const char *s, const char *prefix, const char *member,
                  int64_t **ids, size_t *n, reg_error *err)
{
    const char **tok = NULL;
    size_t k = reg_tokens(a, s, &tok);
    *ids = NULL;
    *n = 0;
    if (!k)
        return CORE_OK;
    int64_t *v = core_arena_alloc(a, k * sizeof *v);
    if (!v || !tok)
        return CORE_NOMEM;
    for (size_t i = 0; i < k; i++) {
        if (!tok[i] || core_parse_int64(tok[i], &v[i]) != CORE_OK || v[i] <= 0)
            return reg_failf(err, "reg.err.reference", "not an impact id", "%s/%s/%zu",
                             prefix ? prefix : "", member, i);
    }
    *ids = v;
    *n = k;
    return CORE_OK;
}

/* ---- ratings ---- */

void reg_rating_of(const store_dd_impact *i, dd_rating *r)
{
    memset(r, 0, sizeof *r);
    r->id = i->id;
    dd_status st;
    if (!i->status || dd_status_parse(i->status, &st) != CORE_OK)
        st = DD_STATUS__COUNT;
    r->status = st;
    r->scale = i->scale;
    r->scope = i->scope;
    r->irremediable = i->irremediable;
    r->likelihood = i->likelihood;
}
