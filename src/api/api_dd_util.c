/* api_dd_util: what the register's handlers share: the service and the
 * principal of a request, service statuses as problems, body readers for
 * the register's JSON conventions (token arrays, id arrays, days, numbers,
 * references) and the renderings of its records.
 *
 * Renderings list their members explicitly (an allow-list). Staff views
 * carry staff-only members (stakeholder contact notes, owners, creators);
 * the public outputs are rendered by the service (reg_*_json) from structs
 * that have none of them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

reg_service *api_reg(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    if (!ctx || !ctx->reg) {
        http_res_problem(req, 503, "Service Unavailable",
                         "The due diligence register is not available on this server.", NULL);
        return NULL;
    }
    return ctx->reg;
}

void api_reg_principal(http_req *req, reg_principal *out)
{
    const app_principal *p = app_principal_of(req);
    memset(out, 0, sizeof *out);
    out->user_id = p->user_id;
    out->org_id = p->org_id;
    out->role = p->role;
    if (p->token_id > 0)
        out->label = core_arena_printf(http_req_arena(req), "token:%lld", (long long)p->token_id);
    else
        out->label = core_arena_printf(http_req_arena(req), "user:%lld", (long long)p->user_id);
}

int api_dd_begin(http_req *req, api_dd_ctx *d, const char *id_param)
{
    memset(d, 0, sizeof *d);
    d->svc = api_reg(req);
    if (!d->svc)
        return CORE_ERR;
    api_reg_principal(req, &d->pr);
    d->a = http_req_arena(req);
    if (id_param && api_path_id(req, id_param, &d->id) != CORE_OK)
        return CORE_NOTFOUND;
    return CORE_OK;
}

int api_reg_fail(http_req *req, int rc, const reg_error *err)
{
    if (http_res_is_set(req))
        return CORE_OK;
    const char *field = err && err->field && err->field[0] ? err->field : NULL;
    const char *detail = err && err->detail ? err->detail : NULL;
    switch (rc) {
    case CORE_INVALID:
        http_res_problem(req, 422, "Invalid field", detail ? detail : "The request is not valid.", field);
        break;
    case CORE_DENIED:
        http_res_problem(req, 403, "Forbidden",
                         detail ? detail : "Your role may not do this (approval needs hr_lead or admin).",
                         field);
        break;
    case CORE_CONFLICT:
        http_res_problem(req, 409, "Conflict",
                         detail ? detail : "The record's state does not allow this, or it already exists.",
                         field);
        break;
    case CORE_NOTFOUND:
        api_not_found(req);
        break;
    case CORE_NOMEM:
        api_no_memory(req);
        break;
    default:
        app_fail(req, rc == CORE_OK ? CORE_ERR : rc, NULL);
        break;
    }
    return CORE_OK;
}

/* ---- readers ---- */

static void invalid_at(http_req *req, const char *pointer, const char *detail)
{
    http_res_problem(req, 422, "Invalid field", detail, pointer);
}

static int token_ok(const char *s, size_t n)
{
    if (n == 0 || n > 64 || strlen(s) != n || !core_utf8_valid(s, n))
        return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p <= 0x20 || *p == 0x7f)
            return 0;
    return 1;
}

int api_dd_tokens(http_req *req, json_t *obj, const char *key, int required, size_t max_items,
                  const char **out)
{
    core_arena *a = http_req_arena(req);
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) {
            invalid_at(req, core_arena_printf(a, "/%s", key), core_arena_printf(a, "\"%s\" is required.", key));
            return CORE_INVALID;
        }
        return CORE_OK;
    }
    if (!json_is_array(v) || json_array_size(v) > max_items) {
        invalid_at(req, core_arena_printf(a, "/%s", key),
                   core_arena_printf(a, "\"%s\" must be a list of at most %zu strings.", key, max_items));
        return CORE_INVALID;
    }
    core_buf b;
    core_buf_init(&b);
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_string(it) || !token_ok(json_string_value(it), json_string_length(it))) {
            core_buf_cleanup(&b);
            invalid_at(req, core_arena_printf(a, "/%s/%zu", key, i),
                       core_arena_printf(a, "Each item of \"%s\" must be a short code without spaces.", key));
            return CORE_INVALID;
        }
        if (i)
            core_buf_putc(&b, ' ');
        core_buf_puts(&b, json_string_value(it));
    }
    *out = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    if (!*out) {
        api_no_memory(req);
        return CORE_NOMEM;
    }
    return CORE_OK;
}

int api_dd_ids(http_req *req, json_t *obj, const char *key, size_t max_items, const char **out)
{
    core_arena *a = http_req_arena(req);
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return CORE_OK;
    if (!json_is_array(v) || json_array_size(v) > max_items) {
        invalid_at(req, core_arena_printf(a, "/%s", key),
                   core_arena_printf(a, "\"%s\" must be a list of at most %zu ids.", key, max_items));
        return CORE_INVALID;
    }
    core_buf b;
    core_buf_init(&b);
    size_t i;
    json_t *it;
    json_array_foreach(v, i, it) {
        if (!json_is_integer(it) || json_integer_value(it) <= 0) {
            core_buf_cleanup(&b);
            invalid_at(req, core_arena_printf(a, "/%s/%zu", key, i),
                       core_arena_printf(a, "Each item of \"%s\" must be a positive integer id.", key));
            return CORE_INVALID;
        }
        char num[32];
        snprintf(num, sizeof num, "%s%lld", i ? " " : "", (long long)json_integer_value(it));
        core_buf_puts(&b, num);
    }
    *out = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    if (!*out) {
        api_no_memory(req);
        return CORE_NOMEM;
    }
    return CORE_OK;
}

int api_dd_day(http_req *req, json_t *obj, const char *key, int nullable, int *present, int64_t *out)
{
    core_arena *a = http_req_arena(req);
    *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return CORE_OK;
    if (json_is_null(v) && nullable) {
        *present = 1;
        *out = -1;
        return CORE_OK;
    }
    int64_t d;
    if (!json_is_string(v) || json_string_length(v) != 10 || grv_date_parse(json_string_value(v), &d) != CORE_OK) {
        invalid_at(req, core_arena_printf(a, "/%s", key),
                   core_arena_printf(a, "\"%s\" must be a date YYYY-MM-DD%s.", key, nullable ? " or null" : ""));
        return CORE_INVALID;
    }
    *present = 1;
    *out = d;
    return CORE_OK;
}

int api_dd_number(http_req *req, json_t *obj, const char *key, int *present, double *out)
{
    *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return CORE_OK;
    if (!json_is_number(v) || !isfinite(json_number_value(v))) {
        core_arena *a = http_req_arena(req);
        invalid_at(req, core_arena_printf(a, "/%s", key), core_arena_printf(a, "\"%s\" must be a number.", key));
        return CORE_INVALID;
    }
    *present = 1;
    *out = json_number_value(v);
    return CORE_OK;
}

int api_dd_ref(http_req *req, json_t *obj, const char *key, int *present, int64_t *out)
{
    *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return CORE_OK;
    if (json_is_null(v)) {
        *present = 1;
        *out = 0;
        return CORE_OK;
    }
    if (!json_is_integer(v) || json_integer_value(v) <= 0) {
        core_arena *a = http_req_arena(req);
        invalid_at(req, core_arena_printf(a, "/%s", key),
                   core_arena_printf(a, "\"%s\" must be a positive integer id or null.", key));
        return CORE_INVALID;
    }
    *present = 1;
    *out = (int64_t)json_integer_value(v);
    return CORE_OK;
}

int api_dd_body_opt(http_req *req, const char *const *allowed, json_t **out)
{
    size_t len = 0;
    const char *raw = http_req_body(req, &len);
    *out = NULL;
    if (!raw || len == 0)
        return CORE_OK;
    *out = api_body(req, allowed);
    return *out ? CORE_OK : CORE_INVALID;
}

int api_dd_page(http_req *req, size_t n, size_t *from, size_t *to)
{
    int64_t limit, offset;
    if (api_query_int(req, "limit", 1, 500, 200, &limit) != CORE_OK ||
        api_query_int(req, "offset", 0, 1000000, 0, &offset) != CORE_OK)
        return CORE_INVALID;
    *from = (size_t)offset < n ? (size_t)offset : n;
    *to = *from + (size_t)limit < n ? *from + (size_t)limit : n;
    return CORE_OK;
}

int api_dd_query_id(http_req *req, const char *name, int64_t *out)
{
    return api_query_int(req, name, 1, INT64_MAX, 0, out);
}

/* ---- renderings ---- */

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

json_t *api_dd_day_json(int64_t day)
{
    if (day < 0)
        return json_null();
    char buf[11];
    reg_day_format(day, buf);
    return buf[0] ? json_string(buf) : json_null();
}

json_t *api_dd_tokens_json(const char *s)
{
    return api_scopes_json(s);
}

json_t *api_dd_ids_json(const char *s)
{
    json_t *a = json_array();
    if (!a || !s)
        return a;
    const char *p = s;
    while (*p) {
        while (*p == ' ')
            p++;
        if (!*p)
            break;
        int64_t v = 0;
        while (*p >= '0' && *p <= '9' && v < INT64_MAX / 10)
            v = v * 10 + (*p++ - '0');
        while (*p && *p != ' ')
            p++;
        if (v > 0)
            json_array_append_new(a, json_integer(v));
    }
    return a;
}

json_t *api_dd_policy_json(const store_dd_policy *p)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:b, s:b, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)p->id,
        "version", (json_int_t)p->version,
        "title", str_or_null(p->title),
        "body_md", str_or_null(p->body_md),
        "scope_rights", api_dd_tokens_json(p->scope_rights),
        "own_operations", p->own_operations ? 1 : 0,
        "business_partners", p->business_partners ? 1 : 0,
        "end_use", p->end_use ? 1 : 0,
        "status", str_or_null(p->status),
        "created_by", id_or_null(p->created_by),
        "created_at", api_time_json(p->created_at),
        "approved_by", id_or_null(p->approved_by),
        "approved_at", api_time_json(p->approved_at),
        "approved_role", str_or_null(p->approved_role));
}

json_t *api_dd_comm_json(const store_dd_policy_comm *m)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)m->id,
        "policy_id", (json_int_t)m->policy_id,
        "day", api_dd_day_json(m->day),
        "channel", str_or_null(m->channel),
        "audience", str_or_null(m->audience),
        "note", str_or_null(m->note),
        "created_at", api_time_json(m->created_at));
}

json_t *api_dd_plink_json(const store_dd_policy_link *l)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o}",
        "id", (json_int_t)l->id,
        "policy_id", (json_int_t)l->policy_id,
        "title", str_or_null(l->title),
        "url", str_or_null(l->url),
        "function", str_or_null(l->function));
}

json_t *api_dd_scope_json(const store_dd_scope *s)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)s->id,
        "slug", str_or_null(s->slug),
        "kind", str_or_null(s->kind),
        "name", str_or_null(s->name),
        "description", str_or_null(s->description),
        "phase", str_or_null(s->phase),
        "countries", api_dd_tokens_json(s->countries),
        "markers", api_dd_tokens_json(s->markers),
        "product_id", id_or_null(s->product_id),
        "parent_id", id_or_null(s->parent_id),
        "created_at", api_time_json(s->created_at),
        "updated_at", api_time_json(s->updated_at));
}

static json_t *responses_json(unsigned mask)
{
    const char *names[5];
    size_t n = dd_response_names(mask, names);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_string(names[i]));
    return a;
}

json_t *api_dd_impact_json(const reg_impact_view *v)
{
    const store_dd_impact *i = &v->impact;
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:b}",
        "id", (json_int_t)i->id,
        "scope_id", (json_int_t)i->scope_id,
        "scope_object", json_pack("{s:I, s:o, s:o, s:o}", "id", (json_int_t)i->scope_id,
                                  "slug", str_or_null(v->scope_slug), "name", str_or_null(v->scope_name),
                                  "kind", str_or_null(v->scope_kind)),
        "title", str_or_null(i->title),
        "description", str_or_null(i->description),
        "status", str_or_null(i->status),
        "rights", api_dd_tokens_json(i->rights),
        "affected_groups", str_or_null(i->affected_groups),
        "vulnerable_groups", str_or_null(i->vulnerable_groups),
        "countries", api_dd_tokens_json(i->countries),
        "involvement", str_or_null(i->involvement),
        "responses", responses_json(v->response),
        "business_model", i->business_model ? 1 : 0);
    if (!o)
        return NULL;
    json_t *more = json_pack("{s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:o, s:o, s:o, s:I, s:I, s:b, s:o, s:o, s:o}",
        "scale", i->scale,
        "scope", i->scope,
        "irremediable", i->irremediable,
        "likelihood", i->likelihood,
        "severity", v->severity,
        "effective_likelihood", v->likelihood,
        "band", v->band,
        "rank", v->rank > 0 ? json_integer((json_int_t)v->rank) : json_null(),
        "competing_rights", str_or_null(i->competing_rights),
        "evidence", api_dd_tokens_json(i->evidence),
        "grievances", (json_int_t)v->nlinks,
        "actions", (json_int_t)v->nactions,
        "reassessment_open", v->reassessment_open ? 1 : 0,
        "created_by", id_or_null(i->created_by),
        "created_at", api_time_json(i->created_at),
        "updated_at", api_time_json(i->updated_at));
    if (!more) {
        json_decref(o);
        return NULL;
    }
    json_object_update(o, more);
    json_decref(more);
    return o;
}

json_t *api_dd_assessment_json(const reg_assessment_view *v)
{
    const store_dd_assessment *x = &v->assessment;
    json_t *o = json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:I}",
        "id", (json_int_t)x->id,
        "scope_id", (json_int_t)x->scope_id,
        "scope_object", json_pack("{s:I, s:o, s:o}", "id", (json_int_t)x->scope_id,
                                  "slug", str_or_null(v->scope_slug), "name", str_or_null(v->scope_name)),
        "kind", str_or_null(x->kind),
        "trigger", str_or_null(x->trigger),
        "trigger_note", str_or_null(x->trigger_note),
        "event_day", api_dd_day_json(x->event_day),
        "due_day", api_dd_day_json(x->due_day),
        "due_status", json_string(dd_due_status_name(v->due)),
        "status", str_or_null(x->status),
        "completed_day", api_dd_day_json(x->completed_day),
        "days_overdue", (json_int_t)v->days_overdue);
    if (!o)
        return NULL;
    json_t *f = json_array();
    for (size_t k = 0; f && k < v->nfindings; k++)
        json_array_append_new(f, json_integer(v->findings[k]));
    json_t *more = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "summary", str_or_null(x->summary),
        "impact_id", id_or_null(x->impact_id),
        "impact_title", str_or_null(v->impact_title),
        "findings", f ? f : json_array(),
        "approved_by", id_or_null(x->approved_by),
        "approved_at", api_time_json(x->approved_at),
        "created_at", api_time_json(x->created_at),
        "updated_at", api_time_json(x->updated_at));
    if (!more) {
        json_decref(o);
        return NULL;
    }
    json_object_update(o, more);
    json_decref(more);
    return o;
}

json_t *api_dd_action_json(const store_dd_action *x)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)x->id,
        "impact_id", (json_int_t)x->impact_id,
        "kind", str_or_null(x->kind),
        "title", str_or_null(x->title),
        "description", str_or_null(x->description),
        "owner_id", id_or_null(x->owner_id),
        "owner_name", str_or_null(x->owner_name),
        "function", str_or_null(x->function),
        "due_day", api_dd_day_json(x->due_day),
        "status", str_or_null(x->status),
        "integration", str_or_null(x->integration),
        "created_at", api_time_json(x->created_at),
        "updated_at", api_time_json(x->updated_at));
}

json_t *api_dd_indicator_json(const reg_indicator_view *v, int with_measures)
{
    const store_dd_indicator *x = &v->indicator;
    json_t *o = json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:f, s:f, s:o, s:s, s:s, s:o, s:o, s:I, s:o}",
        "id", (json_int_t)x->id,
        "impact_id", id_or_null(x->impact_id),
        "action_id", id_or_null(x->action_id),
        "name", str_or_null(x->name),
        "unit", str_or_null(x->unit),
        "direction", str_or_null(x->direction),
        "target", x->target,
        "tolerance", x->tolerance,
        "target_day", api_dd_day_json(x->target_day),
        "trend", dd_trend_name(v->trend),
        "track", dd_track_name(v->track),
        "latest", v->has_latest ? json_real(v->latest) : json_null(),
        "latest_day", v->has_latest ? api_dd_day_json(v->latest_day) : json_null(),
        "measurements_count", (json_int_t)v->nmeasures,
        "created_at", api_time_json(x->created_at));
    if (!o || !with_measures)
        return o;
    json_t *m = json_array();
    for (size_t i = 0; m && i < v->nmeasures; i++) {
        const store_dd_measure *s = &v->measures[i];
        json_array_append_new(m, json_pack("{s:o, s:f, s:o}", "day", api_dd_day_json(s->day), "value", s->value,
                                           "note", str_or_null(s->note)));
    }
    json_object_set_new(o, "measurements", m ? m : json_array());
    json_object_set_new(o, "slope_per_day", isfinite(v->slope) ? json_real(v->slope) : json_null());
    return o;
}

json_t *api_dd_stakeholder_json(const store_dd_stakeholder *x)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:b, s:o, s:o}",
        "id", (json_int_t)x->id,
        "name", str_or_null(x->name),
        "kind", str_or_null(x->kind),
        "region", str_or_null(x->region),
        "countries", api_dd_tokens_json(x->countries),
        "global_south", x->global_south ? 1 : 0,
        "contact", str_or_null(x->contact),
        "created_at", api_time_json(x->created_at));
}

json_t *api_dd_engagement_json(const store_dd_engagement *x)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)x->id,
        "stakeholder_id", (json_int_t)x->stakeholder_id,
        "day", api_dd_day_json(x->day),
        "step", str_or_null(x->step),
        "topics", str_or_null(x->topics),
        "format", str_or_null(x->format),
        "outcome", str_or_null(x->outcome),
        "follow_up", str_or_null(x->follow_up),
        "impact_ids", api_dd_ids_json(x->impact_ids),
        "created_at", api_time_json(x->created_at));
}

json_t *api_dd_link_json(const reg_link_view *l)
{
    return json_pack("{s:I, s:I, s:o, s:o, s:o, s:o}",
        "impact_id", (json_int_t)l->link.impact_id,
        "case_id", (json_int_t)l->link.case_id,
        "case_reference", str_or_null(l->case_reference),
        "impact_title", str_or_null(l->impact_title),
        "linked_by", id_or_null(l->link.linked_by),
        "linked_at", api_time_json(l->link.linked_at));
}

json_t *api_dd_fatigue_json(const reg_fatigue *f)
{
    return json_pack("{s:b, s:I, s:i, s:I, s:i}",
        "warning", f->warning ? 1 : 0,
        "year", (json_int_t)f->check.year,
        "quarter", f->check.quarter,
        "count_before", (json_int_t)f->check.count,
        "limit", f->limit);
}
