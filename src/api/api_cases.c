/* api_cases: the staff side of the grievance mechanism under
 * /api/v1/orgs/{org}/cases: the queue with its filters, grievances recorded
 * by staff (phone, letter, e-mail, partner), the case with its timeline, and
 * every step on it (workflow actions, assignment, recusal, internal notes,
 * messages and questions to the complainant, triage, clock extensions,
 * remedies), plus collective cases and the organisation's time-limit policy.
 *
 * Handlers are thin: read and check the body (422 naming the field), call
 * the rmd_* service with the principal as actor (the service checks the
 * permission again and scopes every read by the organisation, so another
 * organisation's case answers 404 exactly like a missing one), and answer
 * with the case as it now is.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"

typedef struct case_req {
    rmd_service *svc;
    rmd_actor actor;
    int64_t id;
} case_req;

/* Service, actor and the {id} of the case. CORE_OK or the response is set. */
static int begin(http_req *req, case_req *cr, int with_id)
{
    cr->svc = api_rmd(req);
    if (!cr->svc)
        return CORE_ERR;
    api_actor(req, &cr->actor);
    cr->id = 0;
    if (with_id && api_path_id(req, "id", &cr->id) != CORE_OK)
        return CORE_NOTFOUND;
    return CORE_OK;
}

static int reply_case(http_req *req, case_req *cr, int status)
{
    rmd_case c;
    memset(&c, 0, sizeof c);
    int rc = rmd_case_get(cr->svc, http_req_arena(req), &cr->actor, cr->id, &c);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, status, api_case_json(&c));
    return CORE_OK;
}

/* A service failure whose CORE_INVALID is about one member. */
static int fail_member(http_req *req, int rc, const char *member, const char *detail)
{
    grv_error e = {0};
    e.field = core_arena_printf(http_req_arena(req), "/%s", member);
    e.detail = detail;
    return api_rmd_fail(req, rc, &e);
}

/* ---- queue ---- */

static int query_flag(http_req *req, const char *name, int *out)
{
    int64_t v;
    if (api_query_int(req, name, 0, 1, 0, &v) != CORE_OK)
        return CORE_INVALID;
    *out = (int)v;
    return CORE_OK;
}

int api_cases_list(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 0) != CORE_OK)
        return CORE_OK;
    rmd_filter f;
    rmd_filter_init(&f);
    const char *v = http_req_query(req, "state");
    if (v) {
        grv_state st;
        if (grv_state_parse(v, &st) != CORE_OK) {
            http_res_problem(req, 400, "Invalid query parameter", "\"state\" is not a case state.", "state");
            return CORE_OK;
        }
        f.state = (int)st;
    }
    v = http_req_query(req, "category");
    if (v) {
        grv_category cat;
        if (grv_category_parse(v, &cat) != CORE_OK) {
            http_res_problem(req, 400, "Invalid query parameter", "\"category\" is not a category.", "category");
            return CORE_OK;
        }
        f.category = (int)cat;
    }
    v = http_req_query(req, "channel");
    if (v) {
        if (!grv_channel_valid(v)) {
            http_res_problem(req, 400, "Invalid query parameter", "\"channel\" is not a channel.", "channel");
            return CORE_OK;
        }
        f.channel = v;
    }
    int64_t n;
    if (api_query_int(req, "assigned_to", 0, INT64_MAX, 0, &n) != CORE_OK)
        return CORE_OK;
    f.assigned_to = n;
    if (api_query_int(req, "collective_id", 0, INT64_MAX, 0, &n) != CORE_OK)
        return CORE_OK;
    f.collective_id = n;
    if (api_query_int(req, "due_within_days", 0, 3650, 0, &n) != CORE_OK)
        return CORE_OK;
    f.due_within_days = (int)n;
    if (api_query_int(req, "limit", 1, 500, 200, &n) != CORE_OK)
        return CORE_OK;
    f.limit = (int)n;
    if (api_query_int(req, "offset", 0, 1000000, 0, &n) != CORE_OK)
        return CORE_OK;
    f.offset = (int)n;
    if (query_flag(req, "mine", &f.mine) != CORE_OK || query_flag(req, "unassigned", &f.unassigned) != CORE_OK ||
        query_flag(req, "overdue", &f.overdue) != CORE_OK || query_flag(req, "open", &f.open_only) != CORE_OK)
        return CORE_OK;

    rmd_case_summary *items = NULL;
    size_t count = 0;
    int rc = rmd_case_list(cr.svc, http_req_arena(req), &cr.actor, &f, &items, &count);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *a = json_array();
    for (size_t i = 0; a && i < count; i++)
        json_array_append_new(a, api_case_summary_json(&items[i]));
    api_reply(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
    return CORE_OK;
}

int api_cases_create(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 0) != CORE_OK)
        return CORE_OK;
    grv_intake in;
    rmd_upload *files = NULL;
    size_t nfiles = 0;
    if (!api_intake_body(req, 1, &in, &files, &nfiles))
        return CORE_OK;
    if (!in.channel) {
        api_problem_member(req, 422, "Invalid field",
            "\"channel\" is required: how the grievance was received (phone, letter, email, partner).",
            "channel");
        return CORE_OK;
    }
    rmd_filed f;
    grv_error err;
    memset(&err, 0, sizeof err);
    int rc = rmd_file_with(cr.svc, http_req_arena(req), cr.actor.org_id, &in, &cr.actor, files, nfiles, &f, &err);
    if (rc != CORE_OK) {
        grv_error e2 = err;
        if (err.field)
            e2.field = core_arena_strdup(http_req_arena(req), err.field);
        return api_rmd_fail(req, rc, &e2);
    }
    json_t *o = json_pack("{s:I, s:s, s:s, s:s, s:o, s:o}",
        "id", (json_int_t)f.case_id,
        "receipt", f.receipt,
        "reference", f.reference,
        "state", grv_state_name(f.state),
        "created_at", api_time_json(f.created_at),
        "acknowledge_by", api_time_json(f.ack_due_at));
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/cases/%lld", p->org_slug ? p->org_slug : "", (long long)f.case_id);
    api_reply(req, 201, o);
    return CORE_OK;
}

int api_case_get(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 1) != CORE_OK)
        return CORE_OK;
    return reply_case(req, &cr, 200);
}

int api_case_events(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 1) != CORE_OK)
        return CORE_OK;
    rmd_case c;
    memset(&c, 0, sizeof c);
    int rc = rmd_case_get(cr.svc, http_req_arena(req), &cr.actor, cr.id, &c);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *a = json_array();
    for (size_t i = 0; a && i < c.nevents; i++)
        json_array_append_new(a, api_event_json(&c.events[i], 1));
    api_reply(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
    return CORE_OK;
}

/* ---- steps ---- */

int api_case_actions(http_req *req)
{
    static const char *const allowed[] = {"action", "reason", "public_text", NULL};
    case_req cr;
    json_t *body;
    const char *action, *reason, *public_text;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_string(req, body, "action", API_REQUIRED, 1, 32, &action) != CORE_OK ||
        api_get_text(req, body, "reason", API_OPTIONAL, RMD_MAX_TEXT, &reason) != CORE_OK ||
        api_get_text(req, body, "public_text", API_OPTIONAL, RMD_MAX_TEXT, &public_text) != CORE_OK)
        return CORE_OK;
    grv_action act;
    if (grv_action_parse(action, &act) != CORE_OK) {
        api_problem_member(req, 422, "Invalid field", "\"action\" is not a workflow action.", "action");
        return CORE_OK;
    }
    if (act == GRV_ACT_PROPOSE_REMEDY || act == GRV_ACT_IMPLEMENT_REMEDY) {
        api_problem_member(req, 422, "Invalid field",
            "Remedies are proposed with POST .../remedies and implemented with POST .../remedies/{rid}/implement.",
            "action");
        return CORE_OK;
    }
    if (grv_action_actor(act) != GRV_BY_STAFF) {
        api_problem_member(req, 422, "Invalid field",
            "Only the complainant takes this step (with the receipt).", "action");
        return CORE_OK;
    }
    if (grv_action_needs_reason(act) && (!reason || !*reason)) {
        api_problem_member(req, 422, "Invalid field", "This step needs a \"reason\".", "reason");
        return CORE_OK;
    }
    int rc = rmd_case_act(cr.svc, http_req_arena(req), &cr.actor, cr.id, act, reason, public_text);
    if (rc != CORE_OK)
        return fail_member(req, rc, "reason", "The reason is missing or not valid.");
    return reply_case(req, &cr, 200);
}

int api_case_assign(http_req *req)
{
    static const char *const allowed[] = {"user_id", NULL};
    case_req cr;
    json_t *body;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t uid = 0;
    if (api_get_int(req, body, "user_id", 0, INT64_MAX, &present, &uid) != CORE_OK)
        return CORE_OK;
    if (!present && !json_is_null(json_object_get(body, "user_id"))) {
        api_problem_member(req, 422, "Invalid field",
                           "\"user_id\" is required (null or 0 unassigns).", "user_id");
        return CORE_OK;
    }
    int rc = rmd_case_assign(cr.svc, http_req_arena(req), &cr.actor, cr.id, uid);
    if (rc != CORE_OK)
        return fail_member(req, rc, "user_id", "The user is not a case handler or admin of the organisation.");
    return reply_case(req, &cr, 200);
}

int api_case_recuse(http_req *req)
{
    static const char *const allowed[] = {"reason", NULL};
    case_req cr;
    json_t *body;
    const char *reason;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_text(req, body, "reason", API_REQUIRED, RMD_MAX_TEXT, &reason) != CORE_OK)
        return CORE_OK;
    int rc = rmd_case_recuse(cr.svc, http_req_arena(req), &cr.actor, cr.id, reason);
    if (rc != CORE_OK)
        return fail_member(req, rc, "reason", "The reason is missing or not valid.");
    http_res_status(req, 204);       /* the actor may no longer read the case */
    return CORE_OK;
}

int api_case_notes(http_req *req)
{
    static const char *const allowed[] = {"text", NULL};
    case_req cr;
    json_t *body;
    const char *text;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_text(req, body, "text", API_REQUIRED, RMD_MAX_TEXT, &text) != CORE_OK)
        return CORE_OK;
    int rc = rmd_case_note(cr.svc, http_req_arena(req), &cr.actor, cr.id, text);
    if (rc != CORE_OK)
        return fail_member(req, rc, "text", "The note is not valid.");
    return reply_case(req, &cr, 200);
}

int api_case_messages(http_req *req)
{
    static const char *const allowed[] = {"text", "ask", NULL};
    case_req cr;
    json_t *body;
    const char *text;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0, ask = 0;
    if (api_get_text(req, body, "text", API_REQUIRED, RMD_MAX_TEXT, &text) != CORE_OK ||
        api_get_bool(req, body, "ask", &present, &ask) != CORE_OK)
        return CORE_OK;
    int rc = rmd_case_message(cr.svc, http_req_arena(req), &cr.actor, cr.id, text, ask);
    if (rc != CORE_OK)
        return fail_member(req, rc, "text", "The message is not valid.");
    return reply_case(req, &cr, 200);
}

int api_case_triage(http_req *req)
{
    static const char *const allowed[] = {"scale", "scope", "irremediable", "urgent", "vulnerable", NULL};
    case_req cr;
    json_t *body;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    static const char *const dims[] = {"scale", "scope", "irremediable"};
    int64_t v[3];
    for (size_t i = 0; i < 3; i++) {
        int present = 0;
        if (api_get_int(req, body, dims[i], 1, 5, &present, &v[i]) != CORE_OK)
            return CORE_OK;
        if (!present) {
            api_problem_member(req, 422, "Invalid field",
                core_arena_printf(http_req_arena(req), "\"%s\" is required (1-5).", dims[i]), dims[i]);
            return CORE_OK;
        }
    }
    grv_triage t = {0};
    int p1 = 0, p2 = 0;
    if (api_get_bool(req, body, "urgent", &p1, &t.urgent) != CORE_OK ||
        api_get_bool(req, body, "vulnerable", &p2, &t.vulnerable) != CORE_OK)
        return CORE_OK;
    t.scale = (int)v[0];
    t.scope = (int)v[1];
    t.irremediable = (int)v[2];
    int rc = rmd_case_triage(cr.svc, http_req_arena(req), &cr.actor, cr.id, &t);
    if (rc != CORE_OK)
        return fail_member(req, rc, "scale", "The triage values are not valid.");
    return reply_case(req, &cr, 200);
}

int api_case_extend(http_req *req)
{
    static const char *const allowed[] = {"clock", "days", "notice", NULL};
    case_req cr;
    json_t *body;
    const char *clock, *notice;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t days = 0;
    if (api_get_string(req, body, "clock", API_REQUIRED, 1, 32, &clock) != CORE_OK ||
        api_get_int(req, body, "days", 1, 366, &present, &days) != CORE_OK ||
        api_get_text(req, body, "notice", API_REQUIRED, RMD_MAX_TEXT, &notice) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"days\" is required.", "days");
        return CORE_OK;
    }
    int kind = -1;
    for (int k = 0; k < GRV_CLOCK__COUNT; k++)
        if (strcmp(grv_clock_name((grv_clock_kind)k), clock) == 0)
            kind = k;
    if (kind < 0) {
        api_problem_member(req, 422, "Invalid field",
                           "\"clock\" must be one of acknowledge, feedback, answer_request.", "clock");
        return CORE_OK;
    }
    int rc = rmd_case_extend(cr.svc, http_req_arena(req), &cr.actor, cr.id, (grv_clock_kind)kind,
                             (int)days, notice);
    if (rc != CORE_OK)
        return fail_member(req, rc, "days",
                           "This clock is not running, cannot be extended, or not by that much.");
    return reply_case(req, &cr, 200);
}

/* ---- remedies ---- */

int api_case_remedies(http_req *req)
{
    static const char *const allowed[] = {"type", "description", NULL};
    case_req cr;
    json_t *body;
    const char *type, *desc;
    if (begin(req, &cr, 1) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_string(req, body, "type", API_REQUIRED, 1, 32, &type) != CORE_OK ||
        api_get_text(req, body, "description", API_REQUIRED, RMD_MAX_TEXT, &desc) != CORE_OK)
        return CORE_OK;
    if (!grv_remedy_type_valid(type)) {
        api_problem_member(req, 422, "Invalid field", "\"type\" is not a remedy type.", "type");
        return CORE_OK;
    }
    int64_t rid = 0;
    int rc = rmd_remedy_propose(cr.svc, http_req_arena(req), &cr.actor, cr.id, type, desc, &rid);
    if (rc != CORE_OK)
        return fail_member(req, rc, "description", "The remedy is not valid.");
    rmd_case c;
    memset(&c, 0, sizeof c);
    rc = rmd_case_get(cr.svc, http_req_arena(req), &cr.actor, cr.id, &c);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    for (size_t i = 0; i < c.nremedies; i++)
        if (c.remedies[i].id == rid) {
            api_reply(req, 201, api_remedy_json(&c.remedies[i], 1));
            return CORE_OK;
        }
    return api_rmd_fail(req, CORE_ERR, NULL);
}

int api_case_remedy_implement(http_req *req)
{
    static const char *const allowed[] = {"evidence", NULL};
    case_req cr;
    json_t *body;
    const char *evidence;
    int64_t rid;
    if (begin(req, &cr, 1) != CORE_OK || api_path_id(req, "rid", &rid) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_text(req, body, "evidence", API_REQUIRED, RMD_MAX_TEXT, &evidence) != CORE_OK)
        return CORE_OK;
    if (!*evidence) {
        api_problem_member(req, 422, "Invalid field", "\"evidence\" must not be empty.", "evidence");
        return CORE_OK;
    }
    rmd_case c;
    memset(&c, 0, sizeof c);
    int rc = rmd_case_get(cr.svc, http_req_arena(req), &cr.actor, cr.id, &c);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    const rmd_remedy *r = NULL;
    for (size_t i = 0; i < c.nremedies; i++)
        if (c.remedies[i].id == rid)
            r = &c.remedies[i];
    if (!r) {
        api_not_found(req);
        return CORE_OK;
    }
    if (r->state != RMD_REMEDY_ACCEPTED) {
        http_res_problem(req, 409, "Conflict", "Only an accepted remedy can be implemented.", NULL);
        return CORE_OK;
    }
    rc = rmd_remedy_implement(cr.svc, http_req_arena(req), &cr.actor, cr.id, evidence);
    if (rc != CORE_OK)
        return fail_member(req, rc, "evidence", "The evidence is not valid.");
    return reply_case(req, &cr, 200);
}

/* ---- collective cases ---- */

static json_t *collective_json(const rmd_collective *k)
{
    json_t *ids = json_array();
    for (size_t i = 0; ids && i < k->ncases; i++)
        json_array_append_new(ids, json_integer(k->case_ids[i]));
    return json_pack("{s:I, s:s, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)k->id,
        "title", k->title ? k->title : "",
        "description", k->description ? json_string(k->description) : json_null(),
        "created_at", api_time_json(k->created_at),
        "updated_at", api_time_json(k->updated_at),
        "case_ids", ids);
}

int api_collectives_create(http_req *req)
{
    static const char *const allowed[] = {"title", "description", NULL};
    case_req cr;
    json_t *body;
    const char *title, *desc;
    if (begin(req, &cr, 0) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_string(req, body, "title", API_REQUIRED, 1, 200, &title) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, RMD_MAX_TEXT, &desc) != CORE_OK)
        return CORE_OK;
    int64_t id = 0;
    int rc = rmd_collective_create(cr.svc, http_req_arena(req), &cr.actor, title, desc, &id);
    if (rc != CORE_OK)
        return fail_member(req, rc, "title", "The title is not valid.");
    rmd_collective k;
    memset(&k, 0, sizeof k);
    rc = rmd_collective_get(cr.svc, http_req_arena(req), &cr.actor, id, &k);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 201, collective_json(&k));
    return CORE_OK;
}

int api_collective_add_case(http_req *req)
{
    static const char *const allowed[] = {"case_id", NULL};
    case_req cr;
    json_t *body;
    int64_t cid;
    if (begin(req, &cr, 0) != CORE_OK || api_path_id(req, "cid", &cid) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t case_id = 0;
    if (api_get_int(req, body, "case_id", 1, INT64_MAX, &present, &case_id) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"case_id\" is required.", "case_id");
        return CORE_OK;
    }
    rmd_collective k;
    memset(&k, 0, sizeof k);
    int rc = rmd_collective_get(cr.svc, http_req_arena(req), &cr.actor, cid, &k);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    rc = rmd_collective_add(cr.svc, http_req_arena(req), &cr.actor, case_id, cid);
    if (rc == CORE_NOTFOUND)
        return fail_member(req, CORE_INVALID, "case_id", "No such case in this organisation.");
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    memset(&k, 0, sizeof k);
    rc = rmd_collective_get(cr.svc, http_req_arena(req), &cr.actor, cid, &k);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, collective_json(&k));
    return CORE_OK;
}

/* ---- time-limit policy ---- */

int api_policy_get(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 0) != CORE_OK)
        return CORE_OK;
    grv_policy p;
    int rc = rmd_policy_get(cr.svc, &cr.actor, &p);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, api_policy_json(&p));
    return CORE_OK;
}

int api_policy_put(http_req *req)
{
    static const char *const allowed[] = {"ack_days", "feedback_days", "moderation_window_days", "dsr_days",
                                          "dsr_extension_days", "due_soon_days", NULL};
    case_req cr;
    json_t *body;
    if (begin(req, &cr, 0) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    grv_policy p;
    int rc = rmd_policy_get(cr.svc, &cr.actor, &p);
    if (rc == CORE_DENIED)               /* ORG_MANAGE without CASES_READ: start from the defaults */
        rc = rmd_policy_public(cr.svc, cr.actor.org_id, &p);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    struct { const char *key; int *dst; int64_t min, max; } fields[] = {
        {"ack_days", &p.ack_days, 1, 365},
        {"feedback_days", &p.feedback_days, 1, 730},
        {"moderation_window_days", &p.moderation_window_days, 1, 3650},
        {"dsr_days", &p.dsr_days, 1, 365},
        {"dsr_extension_days", &p.dsr_extension_days, 0, 365},
        {"due_soon_days", &p.due_soon_days, 0, 90},
    };
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        int present = 0;
        int64_t v = 0;
        if (api_get_int(req, body, fields[i].key, fields[i].min, fields[i].max, &present, &v) != CORE_OK)
            return CORE_OK;
        if (present)
            *fields[i].dst = (int)v;
    }
    rc = rmd_policy_set(cr.svc, http_req_arena(req), &cr.actor, &p);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, api_policy_json(&p));
    return CORE_OK;
}

/* ---- retention policy: erase closed cases' personal data after N months ---- */

int api_retention_get(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 0) != CORE_OK)
        return CORE_OK;
    int months = 0;
    int rc = rmd_retention_get(cr.svc, &cr.actor, &months);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, json_pack("{s:i}", "closed_cases_months", months));
    return CORE_OK;
}

int api_retention_put(http_req *req)
{
    static const char *const allowed[] = {"closed_cases_months", NULL};
    case_req cr;
    json_t *body;
    if (begin(req, &cr, 0) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t v = 0;
    if (api_get_int(req, body, "closed_cases_months", 0, RMD_RETENTION_MAX_MONTHS, &present, &v) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"closed_cases_months\" is required (0 = keep).",
                           "closed_cases_months");
        return CORE_OK;
    }
    int rc = rmd_retention_set(cr.svc, http_req_arena(req), &cr.actor, (int)v);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, json_pack("{s:i}", "closed_cases_months", (int)v));
    return CORE_OK;
}

/* ---- collective cases: list, one, an action on all ---- */

int api_collectives_list(http_req *req)
{
    case_req cr;
    if (begin(req, &cr, 0) != CORE_OK)
        return CORE_OK;
    rmd_collective *ks = NULL;
    size_t n = 0;
    int rc = rmd_collective_list(cr.svc, http_req_arena(req), &cr.actor, &ks, &n);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, collective_json(&ks[i]));
    api_reply(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
    return CORE_OK;
}

int api_collective_get(http_req *req)
{
    case_req cr;
    int64_t cid;
    if (begin(req, &cr, 0) != CORE_OK || api_path_id(req, "cid", &cid) != CORE_OK)
        return CORE_OK;
    rmd_collective k;
    memset(&k, 0, sizeof k);
    int rc = rmd_collective_get(cr.svc, http_req_arena(req), &cr.actor, cid, &k);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, collective_json(&k));
    return CORE_OK;
}

int api_collective_actions(http_req *req)
{
    static const char *const allowed[] = {"action", "reason", "public_text", NULL};
    case_req cr;
    json_t *body;
    int64_t cid;
    const char *action, *reason, *public_text;
    if (begin(req, &cr, 0) != CORE_OK || api_path_id(req, "cid", &cid) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_string(req, body, "action", API_REQUIRED, 1, 32, &action) != CORE_OK ||
        api_get_text(req, body, "reason", API_OPTIONAL, RMD_MAX_TEXT, &reason) != CORE_OK ||
        api_get_text(req, body, "public_text", API_OPTIONAL, RMD_MAX_TEXT, &public_text) != CORE_OK)
        return CORE_OK;
    grv_action act;
    if (grv_action_parse(action, &act) != CORE_OK || grv_action_actor(act) != GRV_BY_STAFF ||
        act == GRV_ACT_PROPOSE_REMEDY || act == GRV_ACT_IMPLEMENT_REMEDY) {
        api_problem_member(req, 422, "Invalid field", "\"action\" is not a staff workflow action.", "action");
        return CORE_OK;
    }
    if (grv_action_needs_reason(act) && (!reason || !*reason)) {
        api_problem_member(req, 422, "Invalid field", "This step needs a \"reason\".", "reason");
        return CORE_OK;
    }
    int applied = 0, skipped = 0;
    int rc = rmd_collective_act(cr.svc, http_req_arena(req), &cr.actor, cid, act, reason, public_text,
                                &applied, &skipped);
    if (rc != CORE_OK)
        return fail_member(req, rc, "reason", "The reason is missing or not valid.");
    rmd_collective k;
    memset(&k, 0, sizeof k);
    rc = rmd_collective_get(cr.svc, http_req_arena(req), &cr.actor, cid, &k);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, json_pack("{s:o, s:i, s:i}", "collective", collective_json(&k),
                                  "applied", applied, "skipped", skipped));
    return CORE_OK;
}
