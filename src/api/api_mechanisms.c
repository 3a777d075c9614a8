/* api_mechanisms: the directory of external mechanisms (courts, data
 * protection authorities, ombudsmen, OECD contact points, ...), the remedy
 * pathway of a case, referrals to those bodies with the complainant's
 * consent, the package handed to them, and the grievance statistics.
 *
 * The public directory (/api/v1/mechanisms/public) is what the mechanism's
 * published rules page shows: the other routes open to a person. The
 * referral package comes from the service, which builds it without internal
 * notes and without staff identities; this file only wraps it.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_internal.h"

/* ---- directory ---- */

/* country / subject / kind query parameters. CORE_OK or a 400 set. */
static int read_filter(http_req *req, rmd_mechanism_filter *f)
{
    memset(f, 0, sizeof *f);
    f->country = http_req_query(req, "country");
    f->subject = http_req_query(req, "subject");
    f->kind = http_req_query(req, "kind");
    if (f->country && (strlen(f->country) != 2 ||
                       !((f->country[0] | 0x20) >= 'a' && (f->country[0] | 0x20) <= 'z') ||
                       !((f->country[1] | 0x20) >= 'a' && (f->country[1] | 0x20) <= 'z'))) {
        http_res_problem(req, 400, "Invalid query parameter",
                         "\"country\" must be an ISO 3166-1 alpha-2 code.", "country");
        return CORE_INVALID;
    }
    if (f->subject) {
        size_t n = strlen(f->subject);
        int ok = n >= 1 && n <= 64;
        for (const char *s = f->subject; ok && *s; s++)
            ok = (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_' || *s == '-';
        if (!ok) {
            http_res_problem(req, 400, "Invalid query parameter",
                             "\"subject\" must be one subject word such as data_protection.", "subject");
            return CORE_INVALID;
        }
    }
    if (f->kind && !rmd_mechanism_kind_valid(f->kind)) {
        http_res_problem(req, 400, "Invalid query parameter",
                         "\"kind\" must be judicial, state_non_judicial or non_state.", "kind");
        return CORE_INVALID;
    }
    return CORE_OK;
}

static json_t *mechanism_json(const rmd_mechanism *m, int public_view, int pathway)
{
    json_t *o = rmd_mechanism_json(&m->m, public_view);
    if (o && pathway) {
        json_object_set_new(o, "relevance", json_integer(m->relevance));
        json_object_set_new(o, "match", m->match ? json_string(m->match) : json_null());
    }
    return o;
}

static void reply_list(http_req *req, const rmd_mechanism *ms, size_t n, int public_view, int pathway)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, mechanism_json(&ms[i], public_view, pathway));
    api_reply(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
}

int api_mechanisms_public(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    rmd_mechanism_filter f;
    if (!svc || read_filter(req, &f) != CORE_OK)
        return CORE_OK;
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    int rc = rmd_mechanism_list_public(svc, http_req_arena(req), 0, &f, &ms, &n);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    reply_list(req, ms, n, 1, 0);
    return CORE_OK;
}

int api_mechanisms_list(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    rmd_mechanism_filter f;
    if (!svc || read_filter(req, &f) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    int rc = rmd_mechanism_list(svc, http_req_arena(req), &actor, &f, &ms, &n);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    reply_list(req, ms, n, 0, 0);
    return CORE_OK;
}

int api_mechanisms_create(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    if (!svc)
        return CORE_OK;
    json_t *body = http_req_json(req);
    if (!body)
        return CORE_OK;
    int shared = 0;
    json_t *sh = json_object_get(body, "shared");
    if (sh) {
        if (!json_is_boolean(sh)) {
            api_problem_member(req, 422, "Invalid field", "\"shared\" must be true or false.", "shared");
            return CORE_OK;
        }
        shared = json_is_true(sh);
        json_object_del(body, "shared");
    }
    store_mechanism m;
    memset(&m, 0, sizeof m);
    grv_error err;
    memset(&err, 0, sizeof err);
    int rc = rmd_mechanism_from_json(body, http_req_arena(req), 1, &m, &err);
    if (rc != CORE_OK) {
        grv_error e2 = err;
        if (err.field)
            e2.field = core_arena_strdup(http_req_arena(req), err.field);
        return api_rmd_fail(req, rc, &e2);
    }
    rmd_actor actor;
    api_actor(req, &actor);
    rc = rmd_mechanism_create(svc, http_req_arena(req), &actor, &m, shared);
    if (rc == CORE_CONFLICT) {
        api_problem_member(req, 409, "Conflict", "A mechanism with this slug already exists.", "slug");
        return CORE_OK;
    }
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_location(req, "/api/v1/mechanisms/%lld", (long long)m.id);
    api_reply(req, 201, rmd_mechanism_json(&m, 0));
    return CORE_OK;
}

int api_mechanism_get(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_mechanism m;
    memset(&m, 0, sizeof m);
    int rc = rmd_mechanism_get(svc, http_req_arena(req), &actor, id, &m);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, rmd_mechanism_json(&m.m, 0));
    return CORE_OK;
}

/* Members absent keep their values; the slug and namespace never change. */
int api_mechanism_patch(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    json_t *body = http_req_json(req);
    if (!body)
        return CORE_OK;
    if (json_object_get(body, "slug") || json_object_get(body, "shared")) {
        const char *k = json_object_get(body, "slug") ? "slug" : "shared";
        api_problem_member(req, 400, "Unknown field", "The slug and namespace of a mechanism cannot change.", k);
        return CORE_OK;
    }
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_mechanism cur;
    memset(&cur, 0, sizeof cur);
    int rc = rmd_mechanism_get(svc, http_req_arena(req), &actor, id, &cur);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    store_mechanism m = cur.m;
    grv_error err;
    memset(&err, 0, sizeof err);
    rc = rmd_mechanism_from_json(body, http_req_arena(req), 0, &m, &err);
    if (rc != CORE_OK) {
        grv_error e2 = err;
        if (err.field)
            e2.field = core_arena_strdup(http_req_arena(req), err.field);
        return api_rmd_fail(req, rc, &e2);
    }
    m.id = id;
    rc = rmd_mechanism_update(svc, http_req_arena(req), &actor, &m);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/kind";
        e.detail = "kind, subkind, name, jurisdictions and subjects must stay valid and non-empty.";
        return api_rmd_fail(req, rc, &e);
    }
    rc = rmd_mechanism_get(svc, http_req_arena(req), &actor, id, &cur);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, rmd_mechanism_json(&cur.m, 0));
    return CORE_OK;
}

/* ---- pathway and referrals ---- */

int api_case_pathway(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    int rc = rmd_pathway(svc, http_req_arena(req), &actor, id, &ms, &n);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    reply_list(req, ms, n, 0, 1);
    return CORE_OK;
}

static json_t *referral_json(const rmd_referral *r)
{
    return json_pack("{s:I, s:I, s:o, s:s, s:{s:b, s:b, s:o, s:o}, s:s, s:o, s:o, s:o}",
        "id", (json_int_t)r->id,
        "case_id", (json_int_t)r->case_id,
        "mechanism", rmd_mechanism_json(&r->mechanism, 0),
        "kind", r->kind ? r->kind : "referral",
        "consent",
            "given", r->consent_given ? 1 : 0,
            "share_contact", r->consent_contact ? 1 : 0,
            "text", r->consent_text ? json_string(r->consent_text) : json_null(),
            "at", api_time_json(r->consent_at),
        "state", r->state ? r->state : "proposed",
        "outcome", r->outcome ? json_string(r->outcome) : json_null(),
        "created_at", api_time_json(r->created_at),
        "updated_at", api_time_json(r->updated_at));
}

int api_case_referrals(http_req *req)
{
    static const char *const allowed[] = {"mechanism_id", "kind", "consent", NULL};
    rmd_service *svc = api_rmd(req);
    int64_t id;
    json_t *body;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t mid = 0;
    const char *kind;
    if (api_get_int(req, body, "mechanism_id", 1, INT64_MAX, &present, &mid) != CORE_OK ||
        api_get_string(req, body, "kind", API_OPTIONAL, 1, 16, &kind) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"mechanism_id\" is required.", "mechanism_id");
        return CORE_OK;
    }
    if (!kind)
        kind = "referral";
    if (strcmp(kind, "referral") != 0 && strcmp(kind, "escalation") != 0 && strcmp(kind, "parallel") != 0) {
        api_problem_member(req, 422, "Invalid field", "\"kind\" must be referral, escalation or parallel.", "kind");
        return CORE_OK;
    }
    rmd_consent consent = {0};
    json_t *cj = json_object_get(body, "consent");
    if (cj && !json_is_null(cj)) {
        if (!json_is_object(cj)) {
            api_problem_member(req, 422, "Invalid field", "\"consent\" must be an object.", "consent");
            return CORE_OK;
        }
        const char *key;
        json_t *val;
        json_object_foreach(cj, key, val) {
            if (strcmp(key, "given") != 0 && strcmp(key, "share_contact") != 0 && strcmp(key, "text") != 0) {
                http_res_problem(req, 400, "Unknown field", "\"consent\" takes given, share_contact and text.",
                                 "/consent");
                return CORE_OK;
            }
        }
        int p1 = 0, p2 = 0;
        if (api_get_bool(req, cj, "given", &p1, &consent.given) != CORE_OK ||
            api_get_bool(req, cj, "share_contact", &p2, &consent.share_contact) != CORE_OK ||
            api_get_text(req, cj, "text", API_OPTIONAL, RMD_MAX_TEXT, &consent.text) != CORE_OK)
            return CORE_OK;
    }
    rmd_actor actor;
    api_actor(req, &actor);
    int64_t rid = 0;
    int rc = rmd_referral_create(svc, http_req_arena(req), &actor, id, mid, kind, &consent, &rid);
    if (rc == CORE_INVALID) {
        api_problem_member(req, 422, "Invalid field",
                           "A referral needs the complainant's recorded consent (consent.given).", "consent");
        return CORE_OK;
    }
    if (rc == CORE_NOTFOUND) {
        /* the case, or the mechanism: the case is checked first by the service */
        rmd_case c;
        memset(&c, 0, sizeof c);
        if (rmd_case_get(svc, http_req_arena(req), &actor, id, &c) == CORE_OK) {
            api_problem_member(req, 422, "Invalid field", "No such mechanism.", "mechanism_id");
            return CORE_OK;
        }
    }
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    rmd_referral r;
    memset(&r, 0, sizeof r);
    rc = rmd_referral_get(svc, http_req_arena(req), &actor, rid, &r);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 201, referral_json(&r));
    return CORE_OK;
}

static int referral_of_case(http_req *req, rmd_service *svc, const rmd_actor *actor, int64_t id,
                            int64_t rid, rmd_referral *r)
{
    memset(r, 0, sizeof *r);
    int rc = rmd_referral_get(svc, http_req_arena(req), actor, rid, r);
    if (rc == CORE_OK && r->case_id != id)
        rc = CORE_NOTFOUND;
    return rc;
}

int api_case_referrals_list(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_referral *rs = NULL;
    size_t n = 0;
    int rc = rmd_referral_list(svc, http_req_arena(req), &actor, id, &rs, &n);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, referral_json(&rs[i]));
    api_reply(req, 200, a ? json_pack("{s:o}", "items", a) : NULL);
    return CORE_OK;
}

int api_case_referral_patch(http_req *req)
{
    static const char *const allowed[] = {"state", "outcome", NULL};
    rmd_service *svc = api_rmd(req);
    int64_t id, rid;
    json_t *body;
    const char *state, *outcome;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK || api_path_id(req, "rid", &rid) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    if (api_get_string(req, body, "state", API_OPTIONAL, 1, 16, &state) != CORE_OK ||
        api_get_text(req, body, "outcome", API_OPTIONAL, RMD_MAX_TEXT, &outcome) != CORE_OK)
        return CORE_OK;
    static const char *const states[] = {"proposed", "sent", "acknowledged", "decided", "closed", NULL};
    int ok = state == NULL;
    for (size_t i = 0; !ok && states[i]; i++)
        ok = strcmp(states[i], state) == 0;
    if (!ok) {
        api_problem_member(req, 422, "Invalid field",
                           "\"state\" must be proposed, sent, acknowledged, decided or closed.", "state");
        return CORE_OK;
    }
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_referral r;
    int rc = referral_of_case(req, svc, &actor, id, rid, &r);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    rc = rmd_referral_update(svc, http_req_arena(req), &actor, rid, state ? state : r.state, outcome);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/state";
        e.detail = "The state or outcome is not valid.";
        return api_rmd_fail(req, rc, &e);
    }
    rc = referral_of_case(req, svc, &actor, id, rid, &r);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, referral_json(&r));
    return CORE_OK;
}

int api_referral_package(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id, rid;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK || api_path_id(req, "rid", &rid) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_referral r;
    memset(&r, 0, sizeof r);
    int rc = rmd_referral_get(svc, http_req_arena(req), &actor, rid, &r);
    if (rc == CORE_OK && r.case_id != id)
        rc = CORE_NOTFOUND;
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *pkg = NULL;
    char *summary = NULL;
    rc = rmd_referral_package(svc, http_req_arena(req), &actor, rid, &pkg, &summary);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    json_t *o = json_pack("{s:o, s:s}", "package", pkg, "summary", summary ? summary : "");
    free(summary);
    api_reply(req, 200, o);
    return CORE_OK;
}

/* ---- statistics ---- */

/* "from"/"to" as YYYY-MM-DD (UTC days); to is inclusive. */
static int date_query(http_req *req, const char *name, int end, int64_t *out)
{
    const char *v = http_req_query(req, name);
    *out = 0;
    if (!v)
        return CORE_OK;
    int64_t days;
    if (grv_date_parse(v, &days) != CORE_OK) {
        http_res_problem(req, 400, "Invalid query parameter",
                         core_arena_printf(http_req_arena(req), "\"%s\" must be a date YYYY-MM-DD.", name), name);
        return CORE_INVALID;
    }
    *out = (days + (end ? 1 : 0)) * 86400;
    return CORE_OK;
}

int api_grievance_stats(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t from, to;
    if (!svc || date_query(req, "from", 0, &from) != CORE_OK || date_query(req, "to", 1, &to) != CORE_OK)
        return CORE_OK;
    if (from && to && to <= from) {
        http_res_problem(req, 400, "Invalid query parameter", "\"to\" must not be before \"from\".", "to");
        return CORE_OK;
    }
    const app_principal *p = app_principal_of(req);
    if (p->org_id <= 0) {
        api_not_found(req);
        return CORE_OK;
    }
    rmd_actor actor;
    api_actor(req, &actor);
    json_t *stats = NULL;
    int rc = rmd_stats(svc, http_req_arena(req), &actor, from, to, &stats);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_reply(req, 200, stats);
    return CORE_OK;
}
