/* api_dd_scope: what due diligence covers and who it listens to, under
 * /api/v1/orgs/{org}: scope objects (products, services and features;
 * business relationships: customers, State agencies, suppliers, partners,
 * investees) with lifecycle phase, countries and high-risk markers;
 * stakeholders (with region and a global-South flag; the contact note is
 * staff-only) and engagements, whose creation answers the engagement
 * fatigue warning beside the stored record.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

/* ---- scope objects ---- */

static const char *const scope_members[] = {"slug", "kind", "name", "description", "phase", "countries",
                                            "markers", "product_id", "parent_id", NULL};

static int read_scope(http_req *req, json_t *body, int create, store_dd_scope *s)
{
    const char *slug = NULL, *kind = NULL, *name = NULL, *desc = NULL, *phase = NULL;
    const char *countries = NULL, *markers = NULL;
    if (api_get_string(req, body, "slug", create, 1, 64, &slug) != CORE_OK ||
        api_get_string(req, body, "kind", create, 1, 32, &kind) != CORE_OK ||
        api_get_string(req, body, "name", create, 1, REG_MAX_LINE, &name) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, REG_MAX_TEXT, &desc) != CORE_OK ||
        api_get_string(req, body, "phase", create, 1, 32, &phase) != CORE_OK ||
        api_dd_tokens(req, body, "countries", 0, 250, &countries) != CORE_OK ||
        api_dd_tokens(req, body, "markers", 0, 20, &markers) != CORE_OK)
        return CORE_INVALID;
    if (slug)
        s->slug = slug;
    if (kind)
        s->kind = kind;
    if (name)
        s->name = name;
    if (desc || json_is_null(json_object_get(body, "description")))
        s->description = desc;
    if (phase)
        s->phase = phase;
    if (countries)
        s->countries = countries;
    else if (create)
        s->countries = "";
    if (markers)
        s->markers = markers;
    else if (create)
        s->markers = "";
    int present = 0;
    int64_t id = 0;
    if (api_dd_ref(req, body, "product_id", &present, &id) != CORE_OK)
        return CORE_INVALID;
    if (present)
        s->product_id = id;
    if (api_dd_ref(req, body, "parent_id", &present, &id) != CORE_OK)
        return CORE_INVALID;
    if (present)
        s->parent_id = id;
    return CORE_OK;
}

int api_dd_scopes_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK)
        return CORE_OK;
    const char *kind = http_req_query(req, "kind");
    store_dd_scope *xs = NULL;
    int rc = reg_scope_list(d.svc, d.a, &d.pr, &xs, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!kind || (xs[i].kind && strcmp(xs[i].kind, kind) == 0))
            xs[m++] = xs[i];
    api_dd_page(req, m, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_scope_json(&xs[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_scopes_create(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, scope_members)))
        return CORE_OK;
    store_dd_scope s;
    memset(&s, 0, sizeof s);
    s.org_id = d.pr.org_id;
    if (read_scope(req, body, 1, &s) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_scope_create(d.svc, d.a, &d.pr, &s, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    store_dd_scope out;
    if (reg_scope_get(d.svc, d.a, &d.pr, s.id, &out) == CORE_OK)
        s = out;
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/scope-objects/%lld", p->org_slug ? p->org_slug : "", (long long)s.id);
    api_reply(req, 201, api_dd_scope_json(&s));
    return CORE_OK;
}

int api_dd_scope_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    store_dd_scope s;
    int rc = reg_scope_get(d.svc, d.a, &d.pr, d.id, &s);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_scope_json(&s));
    return CORE_OK;
}

int api_dd_scope_patch(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, scope_members)))
        return CORE_OK;
    store_dd_scope s;
    int rc = reg_scope_get(d.svc, d.a, &d.pr, d.id, &s);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_scope(req, body, 0, &s) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_scope_update(d.svc, d.a, &d.pr, &s, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    rc = reg_scope_get(d.svc, d.a, &d.pr, d.id, &s);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_scope_json(&s));
    return CORE_OK;
}

/* ---- stakeholders ---- */

static const char *const stakeholder_members[] = {"name", "kind", "region", "countries", "global_south",
                                                  "contact", NULL};

static int read_stakeholder(http_req *req, json_t *body, int create, store_dd_stakeholder *x)
{
    const char *name = NULL, *kind = NULL, *region = NULL, *countries = NULL, *contact = NULL;
    if (api_get_string(req, body, "name", create, 1, REG_MAX_LINE, &name) != CORE_OK ||
        api_get_string(req, body, "kind", create, 1, 32, &kind) != CORE_OK ||
        api_get_string(req, body, "region", API_OPTIONAL, 1, REG_MAX_LINE, &region) != CORE_OK ||
        api_dd_tokens(req, body, "countries", 0, 250, &countries) != CORE_OK ||
        api_get_text(req, body, "contact", API_OPTIONAL, REG_MAX_TEXT, &contact) != CORE_OK)
        return CORE_INVALID;
    if (name)
        x->name = name;
    if (kind)
        x->kind = kind;
    if (region || json_is_null(json_object_get(body, "region")))
        x->region = region;
    if (countries)
        x->countries = countries;
    else if (create)
        x->countries = "";
    if (contact || json_is_null(json_object_get(body, "contact")))
        x->contact = contact;
    int present = 0, v = 0;
    if (api_get_bool(req, body, "global_south", &present, &v) != CORE_OK)
        return CORE_INVALID;
    if (present)
        x->global_south = v;
    return CORE_OK;
}

int api_dd_stakeholders_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK)
        return CORE_OK;
    store_dd_stakeholder *xs = NULL;
    int rc = reg_stakeholder_list(d.svc, d.a, &d.pr, &xs, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_stakeholder_json(&xs[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_stakeholders_create(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, stakeholder_members)))
        return CORE_OK;
    store_dd_stakeholder x;
    memset(&x, 0, sizeof x);
    x.org_id = d.pr.org_id;
    if (read_stakeholder(req, body, 1, &x) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_stakeholder_create(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    store_dd_stakeholder out;
    if (reg_stakeholder_get(d.svc, d.a, &d.pr, x.id, &out) == CORE_OK)
        x = out;
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/stakeholders/%lld", p->org_slug ? p->org_slug : "", (long long)x.id);
    api_reply(req, 201, api_dd_stakeholder_json(&x));
    return CORE_OK;
}

int api_dd_stakeholder_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    store_dd_stakeholder x;
    int rc = reg_stakeholder_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_stakeholder_json(&x));
    return CORE_OK;
}

int api_dd_stakeholder_patch(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, stakeholder_members)))
        return CORE_OK;
    store_dd_stakeholder x;
    int rc = reg_stakeholder_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_stakeholder(req, body, 0, &x) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_stakeholder_update(d.svc, d.a, &d.pr, &x, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    rc = reg_stakeholder_get(d.svc, d.a, &d.pr, d.id, &x);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_stakeholder_json(&x));
    return CORE_OK;
}

int api_dd_stakeholder_fatigue(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    int64_t day = reg_today(d.svc);
    const char *q = http_req_query(req, "day");
    if (q && grv_date_parse(q, &day) != CORE_OK) {
        http_res_problem(req, 400, "Invalid query parameter", "\"day\" must be a date YYYY-MM-DD.", "day");
        return CORE_OK;
    }
    reg_fatigue f;
    memset(&f, 0, sizeof f);
    int rc = reg_fatigue_get(d.svc, d.a, &d.pr, d.id, day, &f);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, api_dd_fatigue_json(&f));
    return CORE_OK;
}

/* ---- engagements ---- */

int api_dd_engagements_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    int64_t sid;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK ||
        api_dd_query_id(req, "stakeholder_id", &sid) != CORE_OK)
        return CORE_OK;
    store_dd_engagement *xs = NULL;
    int rc = reg_engagement_list(d.svc, d.a, &d.pr, sid, &xs, &n);
    if (rc == CORE_NOTFOUND)
        n = 0;
    else if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_engagement_json(&xs[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_engagements_create(http_req *req)
{
    static const char *const allowed[] = {"stakeholder_id", "day", "step", "topics", "format", "outcome",
                                          "follow_up", "impact_ids", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_engagement x;
    memset(&x, 0, sizeof x);
    x.org_id = d.pr.org_id;
    int present = 0, dpresent = 0;
    if (api_get_int(req, body, "stakeholder_id", 1, INT64_MAX, &present, &x.stakeholder_id) != CORE_OK ||
        api_dd_day(req, body, "day", 0, &dpresent, &x.day) != CORE_OK ||
        api_get_string(req, body, "step", API_REQUIRED, 1, 32, &x.step) != CORE_OK ||
        api_get_text(req, body, "topics", API_REQUIRED, REG_MAX_TEXT, &x.topics) != CORE_OK ||
        api_get_string(req, body, "format", API_REQUIRED, 1, 32, &x.format) != CORE_OK ||
        api_get_text(req, body, "outcome", API_OPTIONAL, REG_MAX_TEXT, &x.outcome) != CORE_OK ||
        api_get_text(req, body, "follow_up", API_OPTIONAL, REG_MAX_TEXT, &x.follow_up) != CORE_OK ||
        api_dd_ids(req, body, "impact_ids", 100, &x.impact_ids) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"stakeholder_id\" is required.", "stakeholder_id");
        return CORE_OK;
    }
    if (!dpresent)
        x.day = reg_today(d.svc);
    if (!x.impact_ids)
        x.impact_ids = "";
    reg_fatigue f;
    memset(&f, 0, sizeof f);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_engagement_create(d.svc, d.a, &d.pr, &x, &f, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    json_t *o = api_dd_engagement_json(&x);
    if (o)
        json_object_set_new(o, "fatigue", api_dd_fatigue_json(&f));
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/engagements?stakeholder_id=%lld", p->org_slug ? p->org_slug : "",
                 (long long)x.stakeholder_id);
    api_reply(req, 201, o);
    return CORE_OK;
}
