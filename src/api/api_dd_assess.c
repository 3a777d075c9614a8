/* api_dd_assess: assessing and acting, under /api/v1/orgs/{org}:
 * assessments per scope object with their trigger and computed due date
 * (the due list: overdue first, with reminder counts), findings,
 * completion and approval (hr_lead / admin only); actions on impacts
 * (prevent, mitigate, remediate, use leverage, suspend or end a
 * relationship) with owner, company function, due date and evidence of
 * integration; indicators with their measurements, trend and on-track
 * status.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

static void location(http_req *req, const char *what, int64_t id)
{
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/%s/%lld", p->org_slug ? p->org_slug : "", what, (long long)id);
}

/* ---- assessments ---- */

static int reply_assessment(http_req *req, api_dd_ctx *d, int64_t id, int status)
{
    reg_assessment_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_assessment_get(d->svc, d->a, &d->pr, id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (status == 201)
        location(req, "assessments", id);
    api_reply(req, status, api_dd_assessment_json(&v));
    return CORE_OK;
}

static int list_assessments(http_req *req, int due)
{
    api_dd_ctx d;
    size_t from, to, n = 0, noverdue = 0, nsoon = 0;
    int64_t scope_id = 0;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK ||
        (!due && api_dd_query_id(req, "scope_id", &scope_id) != CORE_OK))
        return CORE_OK;
    reg_assessment_view *vs = NULL;
    int rc = due ? reg_assessment_due_list(d.svc, d.a, &d.pr, &vs, &n, &noverdue, &nsoon)
                 : reg_assessment_list(d.svc, d.a, &d.pr, scope_id, &vs, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_assessment_json(&vs[i]));
    if (!items) {
        api_no_memory(req);
        return CORE_OK;
    }
    char today[11];
    reg_day_format(reg_today(d.svc), today);
    api_reply(req, 200, due ? json_pack("{s:o, s:I, s:I, s:s}", "items", items, "overdue", (json_int_t)noverdue,
                                        "due_soon", (json_int_t)nsoon, "today", today)
                            : json_pack("{s:o}", "items", items));
    return CORE_OK;
}

int api_dd_assessments_list(http_req *req)
{
    return list_assessments(req, 0);
}

int api_dd_assessments_due(http_req *req)
{
    return list_assessments(req, 1);
}

int api_dd_assessments_create(http_req *req)
{
    static const char *const allowed[] = {"scope_id", "kind", "trigger", "trigger_note", "event_day",
                                          "impact_id", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_assessment x;
    memset(&x, 0, sizeof x);
    x.org_id = d.pr.org_id;
    int present = 0, dpresent = 0, ipresent = 0;
    if (api_get_int(req, body, "scope_id", 1, INT64_MAX, &present, &x.scope_id) != CORE_OK ||
        api_get_string(req, body, "kind", API_OPTIONAL, 1, 32, &x.kind) != CORE_OK ||
        api_get_string(req, body, "trigger", API_REQUIRED, 1, 32, &x.trigger) != CORE_OK ||
        api_get_text(req, body, "trigger_note", API_OPTIONAL, REG_MAX_TEXT, &x.trigger_note) != CORE_OK ||
        api_dd_day(req, body, "event_day", 0, &dpresent, &x.event_day) != CORE_OK ||
        api_dd_ref(req, body, "impact_id", &ipresent, &x.impact_id) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"scope_id\" is required.", "scope_id");
        return CORE_OK;
    }
    if (!x.kind)
        x.kind = "dd_review";
    if (!dpresent)
        x.event_day = reg_today(d.svc);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_assessment_create(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_assessment(req, &d, x.id, 201);
}

int api_dd_assessment_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    return reply_assessment(req, &d, d.id, 200);
}

int api_dd_assessment_patch(http_req *req)
{
    static const char *const allowed[] = {"trigger_note", "summary", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    reg_assessment_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_assessment_get(d.svc, d.a, &d.pr, d.id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    const char *note = NULL, *summary = NULL;
    if (api_get_text(req, body, "trigger_note", API_OPTIONAL, REG_MAX_TEXT, &note) != CORE_OK ||
        api_get_text(req, body, "summary", API_OPTIONAL, REG_MAX_TEXT, &summary) != CORE_OK)
        return CORE_OK;
    if (note || json_is_null(json_object_get(body, "trigger_note")))
        v.assessment.trigger_note = note;
    if (summary || json_is_null(json_object_get(body, "summary")))
        v.assessment.summary = summary;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_assessment_update(d.svc, d.a, &d.pr, &v.assessment, &err);
    if (rc == CORE_CONFLICT && !err.field)
        err.field = "/status";
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_assessment(req, &d, d.id, 200);
}

int api_dd_assessment_findings(http_req *req)
{
    static const char *const allowed[] = {"impact_id", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    reg_assessment_view v;   /* the assessment first: another organisation's id is a 404 */
    memset(&v, 0, sizeof v);
    int grc = reg_assessment_get(d.svc, d.a, &d.pr, d.id, &v);
    if (grc != CORE_OK)
        return api_reg_fail(req, grc, NULL);
    if (!(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t impact_id = 0;
    if (api_get_int(req, body, "impact_id", 1, INT64_MAX, &present, &impact_id) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"impact_id\" is required.", "impact_id");
        return CORE_OK;
    }
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_assessment_add_finding(d.svc, d.a, &d.pr, d.id, impact_id, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_assessment(req, &d, d.id, 200);
}

int api_dd_assessment_complete(http_req *req)
{
    static const char *const allowed[] = {"completed_day", "summary", "findings", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || api_dd_body_opt(req, allowed, &body) != CORE_OK)
        return CORE_OK;
    int present = 0;
    int64_t day = -1;
    const char *summary = NULL;
    if (api_dd_day(req, body, "completed_day", 1, &present, &day) != CORE_OK ||
        api_get_text(req, body, "summary", API_OPTIONAL, REG_MAX_TEXT, &summary) != CORE_OK)
        return CORE_OK;
    json_t *f = json_object_get(body, "findings");
    size_t nf = 0;
    int64_t *ids = NULL;
    if (f && !json_is_null(f)) {
        if (!json_is_array(f) || json_array_size(f) > 1000) {
            api_problem_member(req, 422, "Invalid field", "\"findings\" must be a list of impact ids.", "findings");
            return CORE_OK;
        }
        nf = json_array_size(f);
        ids = nf ? core_arena_alloc(d.a, nf * sizeof *ids) : NULL;
        if (nf && !ids) {
            api_no_memory(req);
            return CORE_OK;
        }
        for (size_t i = 0; i < nf; i++) {
            json_t *it = json_array_get(f, i);
            if (!json_is_integer(it) || json_integer_value(it) <= 0) {
                http_res_problem(req, 422, "Invalid field", "Each finding is a positive impact id.",
                                 core_arena_printf(d.a, "/findings/%zu", i));
                return CORE_OK;
            }
            ids[i] = (int64_t)json_integer_value(it);
        }
    }
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_assessment_complete(d.svc, d.a, &d.pr, d.id, day, summary, ids, nf, &err);
    if (rc == CORE_CONFLICT && !err.field)
        err.field = "/status";
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_assessment(req, &d, d.id, 200);
}

int api_dd_assessment_approve(http_req *req)
{
    static const char *const allowed[] = {NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || api_dd_body_opt(req, allowed, &body) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_assessment_approve(d.svc, d.a, &d.pr, d.id, &err);
    if (rc == CORE_CONFLICT && !err.field)
        err.field = "/status";
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_assessment(req, &d, d.id, 200);
}

/* ---- actions ---- */

static const char *const action_members[] = {"impact_id", "kind", "title", "description", "owner_id",
                                             "owner_name", "function", "due_day", "status", "integration",
                                             NULL};

static int read_action(http_req *req, json_t *body, int create, store_dd_action *x)
{
    const char *kind = NULL, *title = NULL, *desc = NULL, *owner = NULL, *fn = NULL, *status = NULL;
    const char *integ = NULL;
    int present = 0;
    int64_t v = 0;
    if (api_get_int(req, body, "impact_id", 1, INT64_MAX, &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->impact_id = v;
    else if (create) {
        api_problem_member(req, 422, "Invalid field", "\"impact_id\" is required.", "impact_id");
        return CORE_INVALID;
    }
    if (api_get_string(req, body, "kind", create, 1, 32, &kind) != CORE_OK ||
        api_get_string(req, body, "title", create, 1, REG_MAX_LINE, &title) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, REG_MAX_TEXT, &desc) != CORE_OK ||
        api_get_string(req, body, "owner_name", API_OPTIONAL, 1, REG_MAX_LINE, &owner) != CORE_OK ||
        api_get_string(req, body, "function", create, 1, 32, &fn) != CORE_OK ||
        api_get_string(req, body, "status", API_OPTIONAL, 1, 32, &status) != CORE_OK ||
        api_get_text(req, body, "integration", API_OPTIONAL, REG_MAX_TEXT, &integ) != CORE_OK)
        return CORE_INVALID;
    if (kind)
        x->kind = kind;
    if (title)
        x->title = title;
    if (desc || json_is_null(json_object_get(body, "description")))
        x->description = desc;
    if (owner || json_is_null(json_object_get(body, "owner_name")))
        x->owner_name = owner;
    if (fn)
        x->function = fn;
    if (status)
        x->status = status;
    else if (create)
        x->status = "planned";
    if (integ || json_is_null(json_object_get(body, "integration")))
        x->integration = integ;
    if (api_dd_ref(req, body, "owner_id", &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->owner_id = v;
    if (api_dd_day(req, body, "due_day", 1, &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->due_day = v;
    else if (create)
        x->due_day = -1;
    return CORE_OK;
}

int api_dd_actions_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    int64_t impact_id;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK ||
        api_dd_query_id(req, "impact_id", &impact_id) != CORE_OK)
        return CORE_OK;
    store_dd_action *xs = NULL;
    int rc = reg_action_list(d.svc, d.a, &d.pr, impact_id, &xs, &n);
    if (rc == CORE_NOTFOUND)
        n = 0;
    else if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_action_json(&xs[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_actions_create(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, action_members)))
        return CORE_OK;
    store_dd_action x;
    memset(&x, 0, sizeof x);
    x.org_id = d.pr.org_id;
    if (read_action(req, body, 1, &x) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_action_create(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    store_dd_action out;
    if (reg_action_get(d.svc, d.a, &d.pr, x.id, &out) == CORE_OK)
        x = out;
    location(req, "actions", x.id);
    api_reply(req, 201, api_dd_action_json(&x));
    return CORE_OK;
}

int api_dd_action_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    store_dd_action x;
    int rc = reg_action_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_action_json(&x));
    return CORE_OK;
}

int api_dd_action_patch(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, action_members)))
        return CORE_OK;
    store_dd_action x;
    int rc = reg_action_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_action(req, body, 0, &x) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_action_update(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    rc = reg_action_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_action_json(&x));
    return CORE_OK;
}

/* ---- indicators ---- */

static const char *const indicator_members[] = {"impact_id", "action_id", "name", "unit", "direction", "target",
                                                "tolerance", "target_day", NULL};

static int read_indicator(http_req *req, json_t *body, int create, store_dd_indicator *x)
{
    int present = 0;
    int64_t v = 0;
    if (api_dd_ref(req, body, "impact_id", &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->impact_id = v;
    if (api_dd_ref(req, body, "action_id", &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->action_id = v;
    const char *name = NULL, *unit = NULL, *dir = NULL;
    if (api_get_string(req, body, "name", create, 1, REG_MAX_LINE, &name) != CORE_OK ||
        api_get_string(req, body, "unit", create, 1, 32, &unit) != CORE_OK ||
        api_get_string(req, body, "direction", create, 1, 32, &dir) != CORE_OK)
        return CORE_INVALID;
    if (name)
        x->name = name;
    if (unit)
        x->unit = unit;
    if (dir)
        x->direction = dir;
    double num = 0;
    if (api_dd_number(req, body, "target", &present, &num) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->target = num;
    else if (create) {
        api_problem_member(req, 422, "Invalid field", "\"target\" is required.", "target");
        return CORE_INVALID;
    }
    if (api_dd_number(req, body, "tolerance", &present, &num) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->tolerance = num;
    if (api_dd_day(req, body, "target_day", 1, &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->target_day = v;
    else if (create)
        x->target_day = -1;
    return CORE_OK;
}

static int reply_indicator(http_req *req, api_dd_ctx *d, int64_t id, int status)
{
    reg_indicator_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_indicator_get(d->svc, d->a, &d->pr, id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (status == 201)
        location(req, "indicators", id);
    api_reply(req, status, api_dd_indicator_json(&v, 1));
    return CORE_OK;
}

int api_dd_indicators_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    int64_t impact_id, action_id;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK ||
        api_dd_query_id(req, "impact_id", &impact_id) != CORE_OK ||
        api_dd_query_id(req, "action_id", &action_id) != CORE_OK)
        return CORE_OK;
    reg_indicator_view *vs = NULL;
    int rc = reg_indicator_list(d.svc, d.a, &d.pr, impact_id, action_id, &vs, &n);
    if (rc == CORE_NOTFOUND)
        n = 0;
    else if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_indicator_json(&vs[i], 0));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_indicators_create(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, indicator_members)))
        return CORE_OK;
    store_dd_indicator x;
    memset(&x, 0, sizeof x);
    x.org_id = d.pr.org_id;
    if (read_indicator(req, body, 1, &x) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_indicator_create(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_indicator(req, &d, x.id, 201);
}

int api_dd_indicator_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    return reply_indicator(req, &d, d.id, 200);
}

int api_dd_indicator_patch(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, indicator_members)))
        return CORE_OK;
    reg_indicator_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_indicator_get(d.svc, d.a, &d.pr, d.id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_indicator(req, body, 0, &v.indicator) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_indicator_update(d.svc, d.a, &d.pr, &v.indicator, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_indicator(req, &d, d.id, 200);
}

int api_dd_indicator_measure(http_req *req)
{
    static const char *const allowed[] = {"day", "value", "note", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    reg_indicator_view v;    /* the indicator first: another organisation's id is a 404 */
    memset(&v, 0, sizeof v);
    int grc = reg_indicator_get(d.svc, d.a, &d.pr, d.id, &v);
    if (grc != CORE_OK)
        return api_reg_fail(req, grc, NULL);
    if (!(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_measure m;
    memset(&m, 0, sizeof m);
    m.org_id = d.pr.org_id;
    m.indicator_id = d.id;
    int dpresent = 0, vpresent = 0;
    if (api_dd_day(req, body, "day", 0, &dpresent, &m.day) != CORE_OK ||
        api_dd_number(req, body, "value", &vpresent, &m.value) != CORE_OK ||
        api_get_text(req, body, "note", API_OPTIONAL, REG_MAX_TEXT, &m.note) != CORE_OK)
        return CORE_OK;
    if (!vpresent) {
        api_problem_member(req, 422, "Invalid field", "\"value\" is required.", "value");
        return CORE_OK;
    }
    if (!dpresent)
        m.day = reg_today(d.svc);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_measure_put(d.svc, d.a, &d.pr, &m, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_indicator(req, &d, d.id, 201);
}
