/* api_session: signing in and out over the API (POST/DELETE /api/v1/session)
 * and "who am I" (GET /api/v1/me). Login itself (constant work, throttling,
 * cookie, TOTP) is app_login's; this file only speaks JSON around it.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"

/* {"user", "org", "role", "memberships"} for user_id acting in org_id; with
 * only_org, memberships elsewhere are left out (an API token acts in its own
 * organisation and must not learn the creator's other tenants). */
static int me_json(http_req *req, store_conn *c, int64_t user_id, int64_t org_id, int only_org,
                   json_t **out)
{
    core_arena *a = http_req_arena(req);
    store_user u;
    int rc = store_user_get(c, a, user_id, &u);
    if (rc != CORE_OK)
        return rc;
    store_membership *ms = NULL;
    size_t n = 0;
    rc = store_membership_list(c, a, user_id, &ms, &n);
    if (rc != CORE_OK)
        return rc;
    json_t *o = json_object();
    json_t *list = json_array();
    if (!o || !list) {
        json_decref(o);
        json_decref(list);
        return CORE_NOMEM;
    }
    json_object_set_new(o, "user", api_user_json(&u));
    json_object_set_new(o, "org", json_null());
    json_object_set_new(o, "role", json_null());
    for (size_t i = 0; i < n; i++) {
        if (only_org && ms[i].org.id != org_id)
            continue;
        json_t *m = json_pack("{s:o, s:s}", "org", api_org_json(&ms[i].org),
                              "role", core_role_name(ms[i].role));
        if (m)
            json_array_append_new(list, m);
        if (ms[i].org.id == org_id) {
            json_object_set_new(o, "org", api_org_json(&ms[i].org));
            json_object_set_new(o, "role", json_string(core_role_name(ms[i].role)));
        }
    }
    json_object_set_new(o, "memberships", list);
    *out = o;
    return CORE_OK;
}

int api_session_create(http_req *req)
{
    static const char *const allowed[] = {"email", "password", "totp", NULL};
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *email, *password, *totp;
    if (api_get_email(req, body, "email", &email) != CORE_OK ||
        api_get_string(req, body, "password", API_REQUIRED, 1, 1024, &password) != CORE_OK ||
        api_get_string(req, body, "totp", API_OPTIONAL, 1, 16, &totp) != CORE_OK)
        return CORE_OK;

    app_login_result r = app_login(req, email, password);
    if (r == APP_LOGIN_TOTP_NEEDED) {
        if (!totp) {
            /* No half-signed-in session is left behind: the client sends
             * the password again with the code. */
            app_logout(req);
            api_problem_ext(req, 401, "Second factor required",
                "This account uses a one-time code; send it as \"totp\" with the password.",
                "/totp", json_pack("{s:b}", "totp_required", 1));
            return CORE_OK;
        }
        int trc = app_login_totp(req, totp);
        if (trc == CORE_CONFLICT) {
            r = APP_LOGIN_THROTTLED;
        } else if (trc != CORE_OK && trc != CORE_DENIED && trc != CORE_INVALID) {
            app_logout(req);
            return api_fail(req, NULL, trc, NULL);   /* storage trouble: 503 */
        } else if (trc != CORE_OK) {
            app_logout(req);
            api_problem_ext(req, 401, "Wrong one-time code",
                "The one-time code is not valid; try the current one.",
                "/totp", json_pack("{s:b}", "totp_required", 1));
            return CORE_OK;
        } else {
            r = APP_LOGIN_OK;
        }
    }
    if (r == APP_LOGIN_UNAVAILABLE)
        return api_fail(req, NULL, CORE_BUSY, NULL);   /* 503, Retry-After; not the throttle */
    if (r == APP_LOGIN_THROTTLED) {
        app_ctx *ctx = app_ctx_of(req);
        char secs[32];
        snprintf(secs, sizeof secs, "%lld",
                 (long long)(ctx && ctx->cfg.login_lock_s > 0 ? ctx->cfg.login_lock_s : 60));
        http_res_header(req, "Retry-After", secs);
        http_res_problem(req, 429, "Too Many Requests",
                         "Too many failed sign-in attempts; try again later.", NULL);
        return CORE_OK;
    }
    if (r != APP_LOGIN_OK) {
        /* Wrong e-mail, wrong password and disabled accounts get one answer. */
        http_res_problem(req, 401, "Unauthorized", "The e-mail address or password is not correct.",
                         NULL);
        return CORE_OK;
    }

    /* app_login has refreshed the principal with the new session. */
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    int64_t user_id = p ? p->user_id : 0;
    int64_t org_id = p ? p->org_id : 0;
    if (user_id <= 0) {
        store_user u;
        rc = store_user_get_by_email(c, http_req_arena(req), email, &u);
        if (rc != CORE_OK)
            return api_fail(req, c, rc, NULL);
        user_id = u.id;
    }
    json_t *o = NULL;
    rc = me_json(req, c, user_id, org_id, 0, &o);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_object_set_new(o, "csrf_token", p && p->csrf_token ? json_string(p->csrf_token) : json_null());
    api_reply(req, 200, o);
    return CORE_OK;
}

int api_session_delete(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    if (!p->session_hash) {
        http_res_problem(req, 409, "Conflict",
                         "This request is not authenticated by a session; API tokens are revoked instead.",
                         NULL);
        return CORE_OK;
    }
    int rc = app_logout(req);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    http_res_status(req, 204);
    return CORE_OK;
}

int api_me_get(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *o = NULL;
    rc = me_json(req, c, p->user_id, p->org_id, p->token_id > 0, &o);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    /* The role the request acts with (a token's user acts in the token's org). */
    json_object_set_new(o, "role", json_string(core_role_name(p->role)));
    json_object_set_new(o, "auth", json_string(p->token_id > 0 ? "token" : "session"));
    if (p->token_id > 0) {
        json_object_set_new(o, "token_id", json_integer(p->token_id));
        json_object_set_new(o, "scopes", api_scopes_json(p->scopes));
    } else {
        json_object_set_new(o, "csrf_token", p->csrf_token ? json_string(p->csrf_token) : json_null());
    }
    api_reply(req, 200, o);
    return CORE_OK;
}
