/* api_tokens: API tokens of the organisation (machine clients). The clear
 * token is returned once, at creation; only its keyed hash is stored (by
 * app_token_create, which also records the audit entry). Listing never shows
 * hashes; revoking is scoped to the organisation.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"

int api_tokens_list(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_token *ts = NULL;
    size_t n = 0;
    rc = store_token_list(c, http_req_arena(req), p->org_id, &ts, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        json_array_append_new(items, api_token_json(&ts[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

/* ["read","write"] -> "read write" (each known, no repeats). */
static int scopes_of(http_req *req, json_t *v, const char **out)
{
    static const char *const known[] = {"read", "write", "metrics"};
    int seen[3] = {0, 0, 0};
    if (!json_is_array(v) || json_array_size(v) == 0 || json_array_size(v) > 3) {
        api_problem_member(req, 422, "Invalid field",
                           "\"scopes\" must be a non-empty array of \"read\", \"write\", \"metrics\".",
                           "scopes");
        return CORE_INVALID;
    }
    size_t i;
    json_t *s;
    json_array_foreach(v, i, s) {
        int k = -1;
        for (int j = 0; j < 3 && json_is_string(s); j++)
            if (strcmp(json_string_value(s), known[j]) == 0)
                k = j;
        if (k < 0 || seen[k]) {
            http_res_problem(req, 422, "Invalid field",
                             "Each scope must be one of \"read\", \"write\", \"metrics\", given once.",
                             core_arena_printf(http_req_arena(req), "/scopes/%zu", i));
            return CORE_INVALID;
        }
        seen[k] = 1;
    }
    core_buf b;
    core_buf_init(&b);
    for (int j = 0; j < 3; j++)
        if (seen[j]) {
            if (b.len)
                core_buf_putc(&b, ' ');
            core_buf_puts(&b, known[j]);
        }
    *out = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return *out ? CORE_OK : CORE_NOMEM;
}

int api_tokens_create(http_req *req)
{
    static const char *const allowed[] = {"name", "scopes", "expires_in_days", NULL};
    const app_principal *p = app_principal_of(req);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *name, *scopes = NULL;
    int has_days;
    int64_t days = 0;
    if (api_get_string(req, body, "name", API_REQUIRED, 1, 100, &name) != CORE_OK ||
        api_get_int(req, body, "expires_in_days", 1, 3650, &has_days, &days) != CORE_OK)
        return CORE_OK;
    json_t *sv = json_object_get(body, "scopes");
    if (!sv) {
        api_problem_member(req, 422, "Invalid field", "\"scopes\" is required.", "scopes");
        return CORE_OK;
    }
    if (scopes_of(req, sv, &scopes) != CORE_OK) {
        if (!http_res_is_set(req))
            api_no_memory(req);
        return CORE_OK;
    }
    int64_t expires_at = has_days ? api_now(req) + days * 86400 : 0;

    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_token t = {0};
    const char *clear = NULL;
    int rc = app_token_create(req, c, name, scopes, expires_at, &t, &clear);
    if (rc == CORE_INVALID) {
        app_conn_release(req, c);
        http_res_problem(req, 422, "Invalid field", "The token name, scopes or expiry are not valid.",
                         NULL);
        return CORE_OK;
    }
    if (rc != CORE_OK || !clear)
        return api_fail(req, c, rc == CORE_OK ? CORE_ERR : rc, NULL);
    json_t *o = api_token_json(&t);
    if (!o)
        return api_fail(req, c, CORE_NOMEM, NULL);
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(o);
        return CORE_OK;
    }
    json_object_set_new(o, "token", json_string(clear));
    api_location(req, "/api/v1/orgs/%s/tokens/%lld", p->org_slug ? p->org_slug : "", (long long)t.id);
    http_res_header(req, "Cache-Control", "no-store");
    api_reply(req, 201, o);
    return CORE_OK;
}

int api_token_delete(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    /* Find it among the org's tokens (scoped), for the before digest. */
    store_token *ts = NULL;
    size_t n = 0;
    int rc = store_token_list(c, a, p->org_id, &ts, &n);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    store_token *t = NULL;
    for (size_t i = 0; i < n; i++)
        if (ts[i].id == id)
            t = &ts[i];
    if (!t)
        return api_fail(req, c, CORE_NOTFOUND, NULL);
    if (t->revoked_at != 0) {
        app_conn_release(req, c);
        http_res_status(req, 204);
        return CORE_OK;
    }
    json_t *before = api_token_json(t);
    int64_t now = api_now(req);
    rc = store_token_revoke(c, p->org_id, id, now);
    t->revoked_at = now;
    json_t *after = api_token_json(t);
    if (rc == CORE_OK && (!before || !after))
        rc = CORE_NOMEM;
    char ids[32];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    if (rc == CORE_OK)
        rc = app_audit(req, c, p->org_id, "token", ids, "revoke", before, after);
    json_decref(before);
    json_decref(after);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    if (api_tx_commit(req, c) != CORE_OK)
        return CORE_OK;
    http_res_status(req, 204);
    return CORE_OK;
}
