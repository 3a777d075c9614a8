/* api_grv_util: what the grievance handlers share: the service and actor of
 * a request, the mapping of service statuses to problems, intake bodies, and
 * the JSON renderings of cases.
 *
 * Two renderings of a case exist and never mix: the staff view (everything,
 * internal notes and staff identities included) and the public view the
 * complainant gets with the receipt, built only from rmd_case_public (which
 * the service fills without internal events or staff identities); the public
 * renderers take no staff field even when the struct has one.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api_internal.h"

rmd_service *api_rmd(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    if (!ctx || !ctx->remedy) {
        http_res_problem(req, 503, "Service Unavailable",
                         "The grievance mechanism is not available on this server.", NULL);
        return NULL;
    }
    return ctx->remedy;
}

void api_actor(http_req *req, rmd_actor *out)
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

void api_peer(http_req *req, rmd_peer *out)
{
    out->addr = http_req_peer(req);
    out->retry_after_s = 0;
}

int api_rmd_fail(http_req *req, int rc, const grv_error *err)
{
    if (http_res_is_set(req))
        return CORE_OK;
    switch (rc) {
    case CORE_INVALID:
        if (err && err->key && strstr(err->key, "unknown"))
            http_res_problem(req, 400, "Unknown field", err->detail, err->field);
        else
            http_res_problem(req, 422, "Invalid field",
                             err && err->detail ? err->detail : "The request is not valid.",
                             err ? err->field : NULL);
        break;
    case CORE_NOTFOUND:
        api_not_found(req);
        break;
    case CORE_DENIED:
        http_res_problem(req, 403, "Forbidden", "You may not do this on this case.", NULL);
        break;
    case CORE_CONFLICT:
        http_res_problem(req, 409, "Conflict",
                         "The case is not in a state that allows this, or it changed meanwhile.", NULL);
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

int api_base64_decode(http_req *req, const char *b64, unsigned char **out, size_t *len)
{
    size_t n = strlen(b64);
    size_t cap = n / 4 * 3 + 3;
    unsigned char *bin = core_arena_alloc(http_req_arena(req), cap);
    *out = NULL;
    *len = 0;
    if (!bin)
        return CORE_NOMEM;
    size_t got = 0;
    if (sodium_base642bin(bin, cap, b64, n, " \r\n", &got, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 &&
        sodium_base642bin(bin, cap, b64, n, " \r\n", &got, NULL, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0)
        return CORE_INVALID;
    if (got == 0)
        return CORE_INVALID;
    *out = bin;
    *len = got;
    return CORE_OK;
}

#define API_MAX_INTAKE_FILES 20

/* "attachments": [{"filename": "...", "data": "<base64>"}]; removed from obj. */
static int intake_files(http_req *req, json_t *obj, rmd_upload **files, size_t *nfiles)
{
    core_arena *a = http_req_arena(req);
    *files = NULL;
    *nfiles = 0;
    json_t *arr = json_object_get(obj, "attachments");
    if (!arr)
        return CORE_OK;
    if (!json_is_array(arr) || json_array_size(arr) > API_MAX_INTAKE_FILES) {
        api_problem_member(req, 422, "Invalid field",
                           "\"attachments\" must be a list of at most 20 {\"filename\", \"data\"} objects.",
                           "attachments");
        return CORE_INVALID;
    }
    size_t n = json_array_size(arr);
    rmd_upload *up = n ? core_arena_alloc(a, n * sizeof *up) : NULL;
    if (n && !up) {
        api_no_memory(req);
        return CORE_NOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(arr, i);
        const char *ptr = core_arena_printf(a, "/attachments/%zu", i);
        json_t *fn = json_is_object(it) ? json_object_get(it, "filename") : NULL;
        json_t *data = json_is_object(it) ? json_object_get(it, "data") : NULL;
        int extra = 0;
        if (json_is_object(it)) {
            const char *k;
            json_t *v;
            json_object_foreach(it, k, v)
                if (strcmp(k, "filename") != 0 && strcmp(k, "data") != 0)
                    extra = 1;
        }
        if (!json_is_object(it) || extra || !json_is_string(data) ||
            (fn && !json_is_null(fn) && (!json_is_string(fn) || json_string_length(fn) > 255 ||
                                         strlen(json_string_value(fn)) != json_string_length(fn)))) {
            http_res_problem(req, 422, "Invalid field",
                             "Each attachment is {\"filename\": \"...\", \"data\": \"<base64>\"}.", ptr);
            return CORE_INVALID;
        }
        unsigned char *bin;
        size_t len;
        int rc = api_base64_decode(req, json_string_value(data), &bin, &len);
        if (rc != CORE_OK) {
            http_res_problem(req, 422, "Invalid field", "\"data\" must be non-empty base64 (RFC 4648).",
                             core_arena_printf(a, "%s/data", ptr));
            return rc;
        }
        /* copied: the array is removed from obj (and freed) below */
        up[i].filename = fn && json_is_string(fn) ? core_arena_strdup(a, json_string_value(fn)) : NULL;
        if (fn && json_is_string(fn) && !up[i].filename) {
            api_no_memory(req);
            return CORE_NOMEM;
        }
        up[i].data = bin;
        up[i].len = len;
    }
    *files = up;
    *nfiles = n;
    json_object_del(obj, "attachments");
    return CORE_OK;
}

json_t *api_intake_body(http_req *req, int staff, grv_intake *in, rmd_upload **files, size_t *nfiles)
{
    json_t *obj = http_req_json(req);
    if (!obj)
        return NULL;
    if (intake_files(req, obj, files, nfiles) != CORE_OK)
        return NULL;
    if (!staff) {
        /* channel and partner are set by staff recording a grievance only */
        static const char *const staff_only[] = {"channel", "partner", NULL};
        for (size_t i = 0; staff_only[i]; i++)
            if (json_object_get(obj, staff_only[i])) {
                api_problem_member(req, 400, "Unknown field",
                    core_arena_printf(http_req_arena(req),
                        "The member \"%s\" is not accepted by this endpoint.", staff_only[i]),
                    staff_only[i]);
                return NULL;
            }
    }
    grv_error err;
    memset(&err, 0, sizeof err);
    memset(in, 0, sizeof *in);
    int rc = grv_intake_from_json(obj, in, &err);
    if (rc != CORE_OK) {
        /* err.field may point into err.buf: copy before err goes out of scope */
        grv_error e2 = err;
        if (err.field)
            e2.field = core_arena_strdup(http_req_arena(req), err.field);
        api_rmd_fail(req, rc, &e2);
        return NULL;
    }
    return obj;
}

/* ---- renderings ---- */

static json_t *sn(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *id_or_null(int64_t id)
{
    return id > 0 ? json_integer(id) : json_null();
}

json_t *api_clocks_json(const rmd_clock_view *c, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        const grv_clock *k = &c[i].clock;
        json_array_append_new(a, json_pack("{s:s, s:o, s:o, s:s, s:b, s:I, s:o}",
            "clock", c[i].name ? c[i].name : grv_clock_name(k->kind),
            "started_at", api_time_json(k->started_at),
            "due_at", api_time_json(k->due_at),
            "status", grv_clock_status_name(c[i].status),
            "paused", k->paused_since > 0 ? 1 : 0,
            "extended_days", (json_int_t)(k->extended_by / 86400),
            "stopped_at", api_time_json(k->stopped_at)));
    }
    return a;
}

json_t *api_remedy_json(const rmd_remedy *r, int staff)
{
    json_t *o = json_pack("{s:I, s:s, s:o, s:s, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)r->id,
        "type", r->type ? r->type : "other",
        "description", sn(r->description),
        "state", rmd_remedy_state_name(r->state),
        "comment", sn(r->complainant_comment),
        "proposed_at", api_time_json(r->proposed_at),
        "decided_at", api_time_json(r->decided_at),
        "implemented_at", api_time_json(r->implemented_at));
    if (o && staff)
        json_object_set_new(o, "evidence", sn(r->evidence));
    return o;
}

json_t *api_attachment_json(const rmd_attachment *at)
{
    return json_pack("{s:I, s:o, s:o, s:I, s:s, s:o}",
        "id", (json_int_t)at->id,
        "filename", sn(at->filename),
        "content_type", sn(at->mime),
        "size", (json_int_t)at->size,
        "from", at->uploaded_by ? at->uploaded_by : "complainant",
        "created_at", api_time_json(at->created_at));
}

static const char *actor_kind_name(grv_actor_kind k)
{
    switch (k) {
    case GRV_BY_STAFF: return "staff";
    case GRV_BY_COMPLAINANT: return "complainant";
    default: return "system";
    }
}

static json_t *state_or_null(int s)
{
    return s >= 0 && s < GRV_STATE__COUNT ? json_string(grv_state_name((grv_state)s)) : json_null();
}

json_t *api_event_json(const rmd_event *e, int staff)
{
    json_t *o = json_pack("{s:I, s:o, s:s, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)e->id,
        "at", api_time_json(e->at),
        "kind", e->kind ? e->kind : "event",
        "action", sn(e->action),
        "state", state_or_null(e->to_state),
        "text", sn(e->body),
        "text_key", sn(e->public_key),
        "attachment_id", id_or_null(e->attachment_id));
    if (!o)
        return NULL;
    if (staff) {
        json_object_set_new(o, "from_state", state_or_null(e->from_state));
        json_object_set_new(o, "actor", json_pack("{s:s, s:o, s:o}",
            "kind", actor_kind_name(e->actor_kind),
            "user_id", id_or_null(e->actor_user_id),
            "name", sn(e->actor_name)));
        json_object_set_new(o, "visibility", json_string(e->visibility == RMD_VIS_PUBLIC ? "public" : "internal"));
    } else {
        /* who, without any identity: the person, the mechanism, or the system */
        json_object_set_new(o, "from", json_string(
            e->actor_kind == GRV_BY_COMPLAINANT ? "complainant" :
            e->actor_kind == GRV_BY_STAFF ? "mechanism" : "system"));
    }
    return o;
}

json_t *api_case_summary_json(const rmd_case_summary *s)
{
    json_t *next = json_null();
    if (s->next_due_at > 0 && s->next_due_kind >= 0 && s->next_due_kind < GRV_CLOCK__COUNT)
        next = json_pack("{s:s, s:o, s:s}",
            "clock", grv_clock_name((grv_clock_kind)s->next_due_kind),
            "due_at", api_time_json(s->next_due_at),
            "status", grv_clock_status_name(s->next_due_status));
    return json_pack("{s:I, s:s, s:s, s:s, s:o, s:o, s:o, s:o, s:i, s:i, s:b, s:b, s:o, s:o, s:b,"
                     " s:o, s:o, s:o}",
        "id", (json_int_t)s->id,
        "reference", s->reference ? s->reference : "",
        "state", grv_state_name(s->state),
        "category", grv_category_name(s->category),
        "channel", sn(s->channel),
        "country", sn(s->country),
        "product_id", id_or_null(s->product_id),
        "contact_preference", sn(s->contact_preference),
        "severity", s->severity,
        "priority", s->priority,
        "urgent", s->urgent ? 1 : 0,
        "vulnerable", s->vulnerable ? 1 : 0,
        "assigned_user_id", id_or_null(s->assigned_user_id),
        "collective_id", id_or_null(s->collective_id),
        "waiting_on_complainant", s->waiting_on_complainant ? 1 : 0,
        "created_at", api_time_json(s->created_at),
        "updated_at", api_time_json(s->updated_at),
        "next_due", next ? next : json_null());
}

#define SET(o, k, v) json_object_set_new((o), (k), (v))

json_t *api_case_json(const rmd_case *c)
{
    json_t *o = api_case_summary_json(&c->s);
    if (!o)
        return NULL;
    SET(o, "language", sn(c->language));
    SET(o, "incident_date", sn(c->incident_date));
    SET(o, "decision_date", sn(c->decision_date));
    SET(o, "affected", sn(c->affected));
    SET(o, "affected_count", c->affected_count > 0 ? json_integer(c->affected_count) : json_null());
    SET(o, "product", c->product_slug ? json_pack("{s:s, s:o}", "slug", c->product_slug,
                                                  "name", sn(c->product_name)) : json_null());
    SET(o, "narrative", sn(c->narrative));
    SET(o, "product_text", sn(c->product_text));
    SET(o, "rights_text", sn(c->rights_text));
    SET(o, "vulnerable_group", sn(c->vulnerable_group));
    SET(o, "outcome_sought", sn(c->outcome_sought));
    SET(o, "contact", (c->contact_name || c->contact_email || c->contact_phone)
        ? json_pack("{s:o, s:o, s:o}", "name", sn(c->contact_name), "email", sn(c->contact_email),
                    "phone", sn(c->contact_phone))
        : json_null());
    SET(o, "partner", sn(c->partner));
    SET(o, "triage", json_pack("{s:i, s:i, s:i, s:b, s:b}",
        "scale", c->triage.scale, "scope", c->triage.scope, "irremediable", c->triage.irremediable,
        "urgent", c->triage.urgent ? 1 : 0, "vulnerable", c->triage.vulnerable ? 1 : 0));
    SET(o, "previous_handler_id", id_or_null(c->previous_handler_id));
    SET(o, "acknowledged_at", api_time_json(c->acknowledged_at));
    SET(o, "closed_at", api_time_json(c->closed_at));
    SET(o, "satisfaction", c->satisfaction > 0 ? json_integer(c->satisfaction) : json_null());
    SET(o, "rating_comment", sn(c->rating_comment));
    SET(o, "clocks", api_clocks_json(c->clocks, c->nclocks));
    json_t *ev = json_array();
    for (size_t i = 0; ev && i < c->nevents; i++)
        json_array_append_new(ev, api_event_json(&c->events[i], 1));
    SET(o, "events", ev ? ev : json_array());
    json_t *rem = json_array();
    for (size_t i = 0; rem && i < c->nremedies; i++)
        json_array_append_new(rem, api_remedy_json(&c->remedies[i], 1));
    SET(o, "remedies", rem ? rem : json_array());
    json_t *att = json_array();
    for (size_t i = 0; att && i < c->nattachments; i++)
        json_array_append_new(att, api_attachment_json(&c->attachments[i]));
    SET(o, "attachments", att ? att : json_array());
    json_t *rec = json_array();
    for (size_t i = 0; rec && i < c->nrecused; i++)
        json_array_append_new(rec, json_integer(c->recused[i]));
    SET(o, "recused", rec ? rec : json_array());
    return o;
}

json_t *api_case_public_json(const rmd_case_public *c, unsigned what)
{
    json_t *o = json_pack("{s:s, s:s, s:o, s:o, s:o, s:o, s:o, s:b}",
        "reference", c->reference ? c->reference : "",
        "state", grv_state_name(c->state),
        "state_key", sn(c->state_key),
        "category", sn(c->category),
        "language", sn(c->language),
        "created_at", api_time_json(c->created_at),
        "updated_at", api_time_json(c->updated_at),
        "waiting_on_complainant", c->waiting_on_complainant ? 1 : 0);
    if (!o)
        return NULL;
    SET(o, "clocks", api_clocks_json(c->clocks, c->nclocks));
    if (what & RMD_PUB_THREAD) {
        json_t *th = json_array();
        for (size_t i = 0; th && i < c->nthread; i++)
            if (c->thread[i].visibility == RMD_VIS_PUBLIC)      /* belt and braces */
                json_array_append_new(th, api_event_json(&c->thread[i], 0));
        SET(o, "thread", th ? th : json_array());
    }
    if (what & RMD_PUB_REMEDIES) {
        json_t *rem = json_array();
        for (size_t i = 0; rem && i < c->nremedies; i++)
            json_array_append_new(rem, api_remedy_json(&c->remedies[i], 0));
        SET(o, "remedies", rem ? rem : json_array());
    }
    if (what & RMD_PUB_ATTACHMENTS) {
        json_t *att = json_array();
        for (size_t i = 0; att && i < c->nattachments; i++)
            if (c->attachments[i].visibility == RMD_VIS_PUBLIC)
                json_array_append_new(att, api_attachment_json(&c->attachments[i]));
        SET(o, "attachments", att ? att : json_array());
    }
    SET(o, "satisfaction", c->satisfaction > 0 ? json_integer(c->satisfaction) : json_null());
    SET(o, "erased_at", c->erased_at ? api_time_json(c->erased_at) : json_null());
    SET(o, "can", json_pack("{s:b, s:b, s:b, s:b, s:b, s:b}",
        "message", c->can_message ? 1 : 0,
        "decide_remedy", c->can_decide_remedy ? 1 : 0,
        "appeal", c->can_appeal ? 1 : 0,
        "withdraw", c->can_withdraw ? 1 : 0,
        "rate", c->can_rate ? 1 : 0,
        "erase", c->erased_at ? 0 : 1));
    return o;
}

json_t *api_policy_json(const grv_policy *p)
{
    return json_pack("{s:i, s:i, s:i, s:i, s:i, s:i}",
        "ack_days", p->ack_days,
        "feedback_days", p->feedback_days,
        "moderation_window_days", p->moderation_window_days,
        "dsr_days", p->dsr_days,
        "dsr_extension_days", p->dsr_extension_days,
        "due_soon_days", p->due_soon_days);
}
