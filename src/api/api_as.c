/* api_as: the assessment engine's records over JSON (issue 6):
 * methodologies, assessed entities, assessments, answers with evidence and
 * the review workflow (answered -> reviewed -> final by two different
 * people). Every handler goes through the workflow service (asm_wf_*), which
 * checks the permissions again and scopes every record to the route's
 * organisation; bad input answers 422 with the JSON pointer of the member at
 * fault, an unknown member 400.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_as.h"
#include "api/api_internal.h"
#include "assess/assess.h"

/* ---- shared with api_as_views.c ---- */

void api_as_actor(http_req *req, asm_actor *out)
{
    const app_principal *p = app_principal_of(req);
    memset(out, 0, sizeof *out);
    out->user_id = p->user_id;
    out->org_id = p->org_id;
    out->role = p->role;
    out->label = p->token_id > 0 ? core_arena_printf(http_req_arena(req), "token:%lld", (long long)p->token_id)
                                 : core_arena_printf(http_req_arena(req), "user:%lld", (long long)p->user_id);
}

store *api_as_store(http_req *req)
{
    return app_ctx_of(req)->store;
}

int api_as_fail(http_req *req, int rc, const asm_wf_error *err)
{
    if (http_res_is_set(req))
        return CORE_OK;
    const char *field = err && err->field[0] ? err->field : NULL;
    const char *reason = err && err->reason[0] ? err->reason : NULL;
    switch (rc) {
    case CORE_INVALID:
        http_res_problem(req, 422, "Invalid field", reason ? reason : "The request is not valid.", field);
        break;
    case CORE_NOTFOUND:
        api_not_found(req);
        break;
    case CORE_DENIED:
        http_res_problem(req, 403, "Forbidden", reason ? reason : "You may not do this.", field);
        break;
    case CORE_CONFLICT:
        http_res_problem(req, 409, "Conflict",
                         reason ? reason : "The assessment is not in a state that allows this, or it exists.", field);
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

json_t *api_as_entity_json(const store_as_entity *e)
{
    json_t *attrs = json_loads(e->attributes ? e->attributes : "{}", 0, NULL);
    if (!attrs)
        attrs = json_object();
    return json_pack("{s:I, s:s?, s:s?, s:s?, s:o, s:o, s:o}", "id", (json_int_t)e->id, "kind", e->kind, "slug",
                     e->slug, "name", e->name, "attributes", attrs, "created_at", api_time_json(e->created_at),
                     "updated_at", api_time_json(e->updated_at));
}

json_t *api_as_assessment_json(const store_as_assessment *s)
{
    return json_pack("{s:I, s:I, s:I, s:s?, s:s?, s:s?, s:I, s:I, s:o, s:I, s:o, s:o, s:o}", "id", (json_int_t)s->id,
                     "entity_id", (json_int_t)s->entity_id, "methodology_id", (json_int_t)s->methodology_id,
                     "period", s->period, "status", s->status, "summary", s->summary,
                     "created_by", (json_int_t)s->created_by, "reviewed_by", (json_int_t)s->reviewed_by,
                     "reviewed_at", api_time_json(s->reviewed_at), "finalised_by", (json_int_t)s->finalised_by,
                     "finalised_at", api_time_json(s->finalised_at), "created_at", api_time_json(s->created_at),
                     "updated_at", api_time_json(s->updated_at));
}

static json_t *answer_json(const store_as_answer *w)
{
    return json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:I, s:o}", "element", w->element, "level", w->level,
                     "value", w->value, "evidence_url", w->evidence_url, "evidence_quote", w->evidence_quote,
                     "evidence_document", w->evidence_document, "note", w->note,
                     "answered_by", (json_int_t)w->answered_by, "updated_at", api_time_json(w->updated_at));
}

/* ---- methodologies ---- */

int api_as_methodologies(http_req *req)
{
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_meth_info *ms = NULL;
    size_t n = 0;
    int rc = asm_wf_methodologies(api_as_store(req), http_req_arena(req), &ac, &ms, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:I, s:b}", "id",
                                               ms[i].id ? json_integer(ms[i].id) : json_null(), "slug", ms[i].slug,
                                               "version", ms[i].version, "name", ms[i].name, "description",
                                               ms[i].description, "entity_kinds", ms[i].entity_kinds,
                                               "assessments", (json_int_t)ms[i].n_assessments,
                                               "stored", ms[i].id != 0));
    api_reply(req, 200, json_pack("{s:o}", "items", items));
    return CORE_OK;
}

int api_as_methodology_get(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_methodology row;
    const asm_methodology *m = NULL;
    int rc = asm_wf_methodology(api_as_store(req), http_req_arena(req), &ac, id, &row, &m);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *o = asm_methodology_json(m);
    if (o) {
        json_object_set_new(o, "stored_id", json_integer(row.id));
        json_object_set_new(o, "created_at", api_time_json(row.created_at));
    }
    api_reply(req, 200, o);
    return CORE_OK;
}

/* ---- entities ---- */

int api_as_entities(http_req *req)
{
    asm_actor ac;
    api_as_actor(req, &ac);
    const char *kind = http_req_query(req, "kind");
    if (kind && *kind && !asm_wf_entity_kind_valid(kind)) {
        http_res_problem(req, 400, "Invalid query parameter",
                         "\"kind\" must be company, mechanism, proposal or supplier.", "kind");
        return CORE_OK;
    }
    store_as_entity *es = NULL;
    size_t n = 0;
    int rc = asm_wf_entity_list(api_as_store(req), http_req_arena(req), &ac, kind && *kind ? kind : NULL, &es, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, api_as_entity_json(&es[i]));
    api_reply(req, 200, json_pack("{s:o}", "items", items));
    return CORE_OK;
}

/* "attributes" as JSON text in the arena (object only). */
static int read_attributes(http_req *req, json_t *body, const char **out)
{
    json_t *v = json_object_get(body, "attributes");
    *out = NULL;
    if (!v)
        return CORE_OK;
    if (!json_is_object(v)) {
        api_problem_member(req, 422, "Invalid field", "\"attributes\" must be an object.", "attributes");
        return CORE_INVALID;
    }
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    *out = s ? core_arena_strdup(http_req_arena(req), s) : NULL;
    free(s);
    return *out ? CORE_OK : CORE_NOMEM;
}

int api_as_entity_create(http_req *req)
{
    static const char *const allowed[] = {"kind", "slug", "name", "attributes", NULL};
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    store_as_entity e;
    memset(&e, 0, sizeof e);
    if (api_get_string(req, body, "kind", API_REQUIRED, 1, 32, &e.kind) != CORE_OK ||
        api_get_string(req, body, "slug", API_REQUIRED, 1, 63, &e.slug) != CORE_OK ||
        api_get_string(req, body, "name", API_REQUIRED, 1, 200, &e.name) != CORE_OK ||
        read_attributes(req, body, &e.attributes) != CORE_OK)
        return http_res_is_set(req) ? CORE_OK : api_as_fail(req, CORE_NOMEM, NULL);
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int rc = asm_wf_entity_create(api_as_store(req), http_req_arena(req), &ac, &e, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    api_location(req, "/assess/entities/%lld", (long long)e.id);
    api_reply(req, 201, api_as_entity_json(&e));
    return CORE_OK;
}

int api_as_entity_get(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_entity e;
    int rc = asm_wf_entity_get(api_as_store(req), http_req_arena(req), &ac, id, &e);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_reply(req, 200, api_as_entity_json(&e));
    return CORE_OK;
}

int api_as_entity_patch(http_req *req)
{
    static const char *const allowed[] = {"kind", "name", "attributes", NULL};
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_entity e;
    int rc = asm_wf_entity_get(api_as_store(req), http_req_arena(req), &ac, id, &e);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    const char *kind = NULL, *name = NULL, *attrs = NULL;
    if (api_get_string(req, body, "kind", API_OPTIONAL, 1, 32, &kind) != CORE_OK ||
        api_get_string(req, body, "name", API_OPTIONAL, 1, 200, &name) != CORE_OK ||
        read_attributes(req, body, &attrs) != CORE_OK)
        return http_res_is_set(req) ? CORE_OK : api_as_fail(req, CORE_NOMEM, NULL);
    if (kind)
        e.kind = kind;
    if (name)
        e.name = name;
    if (attrs)
        e.attributes = attrs;
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    rc = asm_wf_entity_update(api_as_store(req), http_req_arena(req), &ac, &e, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    rc = asm_wf_entity_get(api_as_store(req), http_req_arena(req), &ac, id, &e);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_reply(req, 200, api_as_entity_json(&e));
    return CORE_OK;
}

/* ---- assessments ---- */

int api_as_assessments(http_req *req)
{
    int64_t entity_id, methodology_id;
    if (api_query_int(req, "entity_id", 1, INT64_MAX, 0, &entity_id) != CORE_OK ||
        api_query_int(req, "methodology_id", 1, INT64_MAX, 0, &methodology_id) != CORE_OK)
        return CORE_OK;
    const char *status = http_req_query(req, "status");
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_assessment *list = NULL;
    size_t n = 0;
    int rc = asm_wf_assessment_list(api_as_store(req), http_req_arena(req), &ac, entity_id, methodology_id, &list, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        if (!status || !*status || !strcmp(status, list[i].status))
            json_array_append_new(items, api_as_assessment_json(&list[i]));
    api_reply(req, 200, json_pack("{s:o}", "items", items));
    return CORE_OK;
}

int api_as_assessment_create(http_req *req)
{
    static const char *const allowed[] = {"entity_id", "methodology", "version", "period", NULL};
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    asm_wf_new in;
    memset(&in, 0, sizeof in);
    int present = 0;
    if (api_get_int(req, body, "entity_id", 1, INT64_MAX, &present, &in.entity_id) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"entity_id\" is required.", "entity_id");
        return CORE_OK;
    }
    if (api_get_string(req, body, "methodology", API_REQUIRED, 1, 63, &in.methodology) != CORE_OK ||
        api_get_string(req, body, "version", API_OPTIONAL, 1, 63, &in.version) != CORE_OK ||
        api_get_string(req, body, "period", API_REQUIRED, 1, 32, &in.period) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int64_t id = 0;
    int rc = asm_wf_assessment_create(api_as_store(req), http_req_arena(req), &ac, &in, &id, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    store_as_assessment s;
    rc = asm_wf_assessment_get(api_as_store(req), http_req_arena(req), &ac, id, &s);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_location(req, "/assess/assessments/%lld", (long long)id);
    api_reply(req, 201, api_as_assessment_json(&s));
    return CORE_OK;
}

int api_as_assessment_get(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_assessment s;
    core_arena *a = http_req_arena(req);
    int rc = asm_wf_assessment_get(api_as_store(req), a, &ac, id, &s);
    store_as_answer *ans = NULL;
    size_t n = 0;
    if (rc == CORE_OK)
        rc = asm_wf_answers_list(api_as_store(req), a, &ac, id, &ans, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *o = api_as_assessment_json(&s);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, answer_json(&ans[i]));
    json_object_set_new(o, "answers", arr);
    api_reply(req, 200, o);
    return CORE_OK;
}

int api_as_assessment_delete(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    int rc = asm_wf_assessment_delete(api_as_store(req), http_req_arena(req), &ac, id);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    http_res_status(req, 204);
    return CORE_OK;
}

/* {"answers": [{"element", "level", "value" (null removes), "evidence_url",
 * "evidence_quote", "evidence_document", "note"}]} */
int api_as_answers_put(http_req *req)
{
    static const char *const allowed[] = {"answers", NULL};
    static const char *const members[] = {"element", "level", "value", "evidence_url", "evidence_quote",
                                          "evidence_document", "note", NULL};
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_assessment cur;                    /* the path names it: 404 before any body check */
    int rc = asm_wf_assessment_get(api_as_store(req), http_req_arena(req), &ac, id, &cur);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    json_t *arr = json_object_get(body, "answers");
    size_t n = json_array_size(arr);
    if (!json_is_array(arr) || n == 0 || n > 5000) {
        api_problem_member(req, 422, "Invalid field", "\"answers\" must be an array of 1 to 5000 answers.", "answers");
        return CORE_OK;
    }
    core_arena *a = http_req_arena(req);
    asm_wf_answer *in = core_arena_alloc(a, n * sizeof *in);
    if (!in)
        return api_as_fail(req, CORE_NOMEM, NULL);
    for (size_t i = 0; i < n; i++) {
        json_t *o = json_array_get(arr, i);
        char ptr[64];
        if (!json_is_object(o)) {
            snprintf(ptr, sizeof ptr, "/answers/%zu", i);
            http_res_problem(req, 422, "Invalid field", "Each answer must be an object.", ptr);
            return CORE_OK;
        }
        const char *key;
        json_t *v;
        json_object_foreach(o, key, v) {
            int ok = 0;
            for (size_t k = 0; members[k]; k++)
                ok |= strcmp(members[k], key) == 0;
            snprintf(ptr, sizeof ptr, "/answers/%zu/%.30s", i, key);
            if (!ok) {
                http_res_problem(req, 400, "Unknown field", "This member is not accepted in an answer.", ptr);
                return CORE_OK;
            }
            if (!json_is_string(v) && !(json_is_null(v) && !strcmp(key, "value"))) {
                http_res_problem(req, 422, "Invalid field", "Answer members are strings (value may be null).", ptr);
                return CORE_OK;
            }
        }
        in[i].element = json_string_value(json_object_get(o, "element"));
        in[i].level = json_string_value(json_object_get(o, "level"));
        in[i].value = json_string_value(json_object_get(o, "value"));
        in[i].evidence_url = json_string_value(json_object_get(o, "evidence_url"));
        in[i].evidence_quote = json_string_value(json_object_get(o, "evidence_quote"));
        in[i].evidence_document = json_string_value(json_object_get(o, "evidence_document"));
        in[i].note = json_string_value(json_object_get(o, "note"));
        if (!json_object_get(o, "value")) {
            snprintf(ptr, sizeof ptr, "/answers/%zu/value", i);
            http_res_problem(req, 422, "Invalid field", "\"value\" is required (null removes the answer).", ptr);
            return CORE_OK;
        }
    }
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    rc = asm_wf_answers_put(api_as_store(req), a, &ac, id, in, n, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    return api_as_assessment_get(req);
}

static int transition(http_req *req, const char *to)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    size_t len = 0;
    http_req_body(req, &len);
    if (len) {                                  /* an empty object or nothing */
        static const char *const none[] = {NULL};
        if (!api_body(req, none))
            return CORE_OK;
    }
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int rc = asm_wf_transition(api_as_store(req), http_req_arena(req), &ac, id, to, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    store_as_assessment s;
    rc = asm_wf_assessment_get(api_as_store(req), http_req_arena(req), &ac, id, &s);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_reply(req, 200, api_as_assessment_json(&s));
    return CORE_OK;
}

int api_as_review(http_req *req)
{
    return transition(req, "reviewed");
}

int api_as_finalise(http_req *req)
{
    return transition(req, "final");
}

int api_as_reopen(http_req *req)
{
    return transition(req, "answered");
}
