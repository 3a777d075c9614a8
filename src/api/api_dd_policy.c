/* api_dd_policy: policy commitments (UNGP 16) under
 * /api/v1/orgs/{org}/policy-commitments: versioned Markdown documents,
 * edited as drafts, approved by hr_lead or admin (the route needs
 * dd_approve and the service checks the role again), with records of how
 * and to whom each version was communicated and the operational policies
 * that embed it; and the PUBLIC /human-rights-policy (current approved
 * version and its history, no staff identities).
 */
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

static void location(http_req *req, int64_t id)
{
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/policy-commitments/%lld", p->org_slug ? p->org_slug : "",
                 (long long)id);
}

/* The version {id} exists in the organisation (else 404): checked before the
 * body, so another organisation's id answers like a missing one. */
static int policy_exists(http_req *req, api_dd_ctx *d)
{
    reg_policy_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_policy_get(d->svc, d->a, &d->pr, d->id, &v);
    if (rc != CORE_OK)
        api_reg_fail(req, rc, NULL);
    return rc;
}

static int reply_policy(http_req *req, api_dd_ctx *d, int64_t id, int status)
{
    reg_policy_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_policy_get(d->svc, d->a, &d->pr, id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *o = api_dd_policy_json(&v.policy);
    json_t *comms = json_array(), *links = json_array();
    for (size_t i = 0; comms && i < v.ncomms; i++)
        json_array_append_new(comms, api_dd_comm_json(&v.comms[i]));
    for (size_t i = 0; links && i < v.nlinks; i++)
        json_array_append_new(links, api_dd_plink_json(&v.links[i]));
    if (!o || !comms || !links) {
        json_decref(o);
        json_decref(comms);
        json_decref(links);
        api_no_memory(req);
        return CORE_OK;
    }
    json_object_set_new(o, "communications", comms);
    json_object_set_new(o, "links", links);
    json_object_set_new(o, "approved_by_name", v.approved_by_name ? json_string(v.approved_by_name) : json_null());
    if (status == 201)
        location(req, id);
    api_reply(req, status, o);
    return CORE_OK;
}

int api_dd_policies_list(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, NULL) != CORE_OK)
        return CORE_OK;
    store_dd_policy *ps = NULL;
    size_t n = 0, from, to;
    if (api_dd_page(req, 0, &from, &to) != CORE_OK)
        return CORE_OK;
    int rc = reg_policy_list(d.svc, d.a, &d.pr, &ps, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_policy_json(&ps[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

/* The editable members of a version, overlaid on p (absent = keep). */
static int read_policy(http_req *req, json_t *body, int create, store_dd_policy *p)
{
    const char *title = NULL, *md = NULL, *rights = NULL;
    if (api_get_string(req, body, "title", create, 1, REG_MAX_LINE, &title) != CORE_OK ||
        api_get_text(req, body, "body_md", create, REG_MAX_TEXT, &md) != CORE_OK ||
        api_dd_tokens(req, body, "scope_rights", 0, 200, &rights) != CORE_OK)
        return CORE_INVALID;
    if (title)
        p->title = title;
    if (md)
        p->body_md = md;
    if (rights)
        p->scope_rights = rights;
    else if (create)
        p->scope_rights = "";
    static const char *const flags[] = {"own_operations", "business_partners", "end_use"};
    int *dst[] = {&p->own_operations, &p->business_partners, &p->end_use};
    for (size_t i = 0; i < 3; i++) {
        int present = 0, v = 0;
        if (api_get_bool(req, body, flags[i], &present, &v) != CORE_OK)
            return CORE_INVALID;
        if (present)
            *dst[i] = v;
        else if (create)
            *dst[i] = 1;
    }
    return CORE_OK;
}

int api_dd_policies_create(http_req *req)
{
    static const char *const allowed[] = {"title", "body_md", "scope_rights", "own_operations",
                                          "business_partners", "end_use", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_policy p;
    memset(&p, 0, sizeof p);
    p.org_id = d.pr.org_id;
    if (read_policy(req, body, 1, &p) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_create(d.svc, d.a, &d.pr, &p, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_policy(req, &d, p.id, 201);
}

int api_dd_policy_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    return reply_policy(req, &d, d.id, 200);
}

int api_dd_policy_patch(http_req *req)
{
    static const char *const allowed[] = {"title", "body_md", "scope_rights", "own_operations",
                                          "business_partners", "end_use", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    reg_policy_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_policy_get(d.svc, d.a, &d.pr, d.id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_policy(req, body, 0, &v.policy) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_policy_update(d.svc, d.a, &d.pr, &v.policy, &err);
    if (rc == CORE_CONFLICT && !err.field)
        err.field = "/status";
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_policy(req, &d, d.id, 200);
}

int api_dd_policy_approve(http_req *req)
{
    static const char *const allowed[] = {NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || api_dd_body_opt(req, allowed, &body) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_approve(d.svc, d.a, &d.pr, d.id, &err);
    if (rc == CORE_CONFLICT && !err.field)
        err.field = "/status";
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_policy(req, &d, d.id, 200);
}

int api_dd_policy_communicate(http_req *req)
{
    static const char *const allowed[] = {"day", "channel", "audience", "note", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || policy_exists(req, &d) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_policy_comm m;
    memset(&m, 0, sizeof m);
    m.org_id = d.pr.org_id;
    m.policy_id = d.id;
    int present = 0;
    if (api_dd_day(req, body, "day", 0, &present, &m.day) != CORE_OK ||
        api_get_string(req, body, "channel", API_REQUIRED, 1, 32, &m.channel) != CORE_OK ||
        api_get_string(req, body, "audience", API_REQUIRED, 1, 32, &m.audience) != CORE_OK ||
        api_get_text(req, body, "note", API_OPTIONAL, REG_MAX_TEXT, &m.note) != CORE_OK)
        return CORE_OK;
    if (!present)
        m.day = reg_today(d.svc);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_communicate(d.svc, d.a, &d.pr, &m, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    location(req, d.id);
    api_reply(req, 201, api_dd_comm_json(&m));
    return CORE_OK;
}

int api_dd_policy_link(http_req *req)
{
    static const char *const allowed[] = {"title", "url", "function", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || policy_exists(req, &d) != CORE_OK ||
        !(body = api_body(req, allowed)))
        return CORE_OK;
    store_dd_policy_link l;
    memset(&l, 0, sizeof l);
    l.org_id = d.pr.org_id;
    l.policy_id = d.id;
    if (api_get_string(req, body, "title", API_REQUIRED, 1, REG_MAX_LINE, &l.title) != CORE_OK ||
        api_get_string(req, body, "url", API_OPTIONAL, 1, 2000, &l.url) != CORE_OK ||
        api_get_string(req, body, "function", API_OPTIONAL, 1, 32, &l.function) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_link_add(d.svc, d.a, &d.pr, &l, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    location(req, d.id);
    api_reply(req, 201, api_dd_plink_json(&l));
    return CORE_OK;
}

/* ---- public ---- */

/* A version as published: no creator, approver or approver role. */
static json_t *public_version(const store_dd_policy *p)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:b, s:b, s:b, s:o, s:o}",
        "version", (json_int_t)p->version,
        "title", p->title ? json_string(p->title) : json_null(),
        "body_md", p->body_md ? json_string(p->body_md) : json_null(),
        "scope_rights", api_dd_tokens_json(p->scope_rights),
        "own_operations", p->own_operations ? 1 : 0,
        "business_partners", p->business_partners ? 1 : 0,
        "end_use", p->end_use ? 1 : 0,
        "status", p->status ? json_string(p->status) : json_null(),
        "approved_at", api_time_json(p->approved_at));
}

int api_dd_policy_public(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    reg_service *svc = api_reg(req);
    if (!svc)
        return CORE_OK;
    if (p->org_id <= 0) {
        api_not_found(req);
        return CORE_OK;
    }
    reg_policy_public pub;
    memset(&pub, 0, sizeof pub);
    int rc = reg_policy_public_get(svc, http_req_arena(req), p->org_id, &pub);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *hist = json_array();
    for (size_t i = 0; hist && i < pub.nhistory; i++)
        json_array_append_new(hist, public_version(&pub.history[i]));
    json_t *o = hist ? json_pack("{s:o, s:o, s:o}", "organisation",
                                 json_pack("{s:s, s:s}", "slug", p->org_slug ? p->org_slug : "",
                                           "name", p->org_name ? p->org_name : ""),
                                 "current", public_version(&pub.current), "history", hist)
                     : NULL;
    api_reply(req, 200, o);
    return CORE_OK;
}
