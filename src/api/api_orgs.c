/* api_orgs: organisations (tenants). Lists only the caller's memberships;
 * reads and changes only the organisation app_authorize resolved ({org} or
 * the current one); a sector body creates member companies under itself.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"

int api_orgs_list(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_membership *ms = NULL;
    size_t n = 0;
    rc = store_membership_list(c, a, p->user_id, &ms, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        /* An API token acts in its own organisation only. */
        if (p->token_id > 0 && ms[i].org.id != p->org_id)
            continue;
        json_t *o = api_org_json(&ms[i].org);
        if (o) {
            json_object_set_new(o, "role", json_string(core_role_name(ms[i].role)));
            json_object_set_new(o, "current", json_boolean(ms[i].org.id == p->org_id));
        }
        json_array_append_new(items, o);
    }
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_orgs_create(http_req *req)
{
    static const char *const allowed[] = {"slug", "name", "description", NULL};
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *slug, *name, *desc;
    if (api_get_string(req, body, "slug", API_REQUIRED, 1, 63, &slug) != CORE_OK ||
        api_get_string(req, body, "name", API_REQUIRED, 1, 200, &name) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, 4000, &desc) != CORE_OK)
        return CORE_OK;
    if (!core_slug_valid(slug)) {
        api_problem_member(req, 422, "Invalid field",
                           "\"slug\" must be lower-case letters, digits and '-', not starting with '-'.",
                           "slug");
        return CORE_OK;
    }

    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_org parent;
    int rc = store_org_get(c, a, p->org_id, &parent);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    if (!parent.kind || strcmp(parent.kind, "sector_body") != 0) {
        app_conn_release(req, c);
        http_res_problem(req, 409, "Conflict",
                         "Only a sector body can create member organisations.", NULL);
        return CORE_OK;
    }
    store_org o = {0};
    o.slug = slug;
    o.name = name;
    o.kind = "company";
    o.parent_id = parent.id;
    o.description = desc;
    rc = store_org_create(c, &o);
    if (rc == CORE_CONFLICT) {
        app_conn_release(req, c);
        api_problem_member(req, 409, "Conflict", "An organisation with this slug already exists.",
                           "slug");
        return CORE_OK;
    }
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    rc = store_member_set(c, o.id, p->user_id, CORE_ROLE_ADMIN);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    json_t *after = api_org_json(&o);
    if (!after)
        return api_fail(req, c, CORE_NOMEM, NULL);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)o.id);
    /* Recorded in the new organisation and in the sector body that made it. */
    rc = app_audit(req, c, o.id, "org", id, "create", NULL, after);
    if (rc == CORE_OK)
        rc = app_audit(req, c, parent.id, "org", id, "create_member_org", NULL, after);
    if (rc == CORE_OK) {
        char uid[32];
        snprintf(uid, sizeof uid, "%lld", (long long)p->user_id);
        json_t *m = json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)o.id, "user_id",
                              (json_int_t)p->user_id, "role", "admin");
        rc = app_audit(req, c, o.id, "user", uid, "add_member", NULL, m);
        json_decref(m);
    }
    if (rc != CORE_OK) {
        json_decref(after);
        return api_fail(req, c, rc, NULL);
    }
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(after);
        return CORE_OK;
    }
    api_location(req, "/api/v1/orgs/%s", o.slug);
    json_object_set_new(after, "role", json_string("admin"));
    api_reply(req, 201, after);
    return CORE_OK;
}

int api_org_get(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_org o;
    rc = store_org_get(c, http_req_arena(req), p->org_id, &o);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    api_reply(req, 200, api_org_json(&o));
    return CORE_OK;
}

int api_org_patch(http_req *req)
{
    static const char *const allowed[] = {"name", "description", NULL};
    const app_principal *p = app_principal_of(req);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *name, *desc;
    if (api_get_string(req, body, "name", API_OPTIONAL, 1, 200, &name) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, 4000, &desc) != CORE_OK)
        return CORE_OK;
    int clear_desc = json_is_null(json_object_get(body, "description"));

    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_org o;
    int rc = store_org_get(c, http_req_arena(req), p->org_id, &o);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    json_t *before = api_org_json(&o);
    if (name)
        o.name = name;
    if (desc)
        o.description = desc;
    else if (clear_desc)
        o.description = NULL;
    json_t *after = api_org_json(&o);
    if (!before || !after) {
        json_decref(before);
        json_decref(after);
        return api_fail(req, c, CORE_NOMEM, NULL);
    }
    rc = store_org_update(c, &o);
    if (rc == CORE_OK && !json_equal(before, after)) {
        char id[32];
        snprintf(id, sizeof id, "%lld", (long long)o.id);
        rc = app_audit(req, c, o.id, "org", id, "update", before, after);
    }
    json_decref(before);
    if (rc != CORE_OK) {
        json_decref(after);
        return api_fail(req, c, rc, NULL);
    }
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(after);
        return CORE_OK;
    }
    api_reply(req, 200, after);
    return CORE_OK;
}
