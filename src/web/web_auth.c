/* web_auth: signing in and out, the TOTP step, the organisation switcher and
 * the dashboard. Credentials are checked by app_login (constant work,
 * throttled); this file only turns results into pages and redirects. Error
 * messages never tell whether an account exists.
 */
#include <string.h>

#include "app/app.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

static const app_principal *me(http_req *req)
{
    return app_principal_of(req);
}

int web_handle_root(http_req *req)
{
    const app_principal *p = me(req);
    web_redirect(req, p && p->user_id ? "/dashboard" : "/login");
    return CORE_OK;
}

static const char *next_of(http_req *req, const char *v)
{
    (void)req;
    return web_local_path_ok(v) && strcmp(v, "/logout") != 0 ? v : NULL;
}

static int login_page(http_req *req, int status, json_t *ctx)
{
    return web_page(req, status, "login", "login.title", ctx);
}

int web_handle_login_form(http_req *req)
{
    const app_principal *p = me(req);
    const char *next = next_of(req, http_req_query(req, "next"));
    if (p && p->user_id) {
        web_redirect(req, next ? next : "/dashboard");
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (ctx && next)
        json_object_set_new(ctx, "next", json_string(next));
    return login_page(req, 200, ctx);
}

int web_handle_login(http_req *req)
{
    const char *email = web_form(req, "email");
    const char *password = http_req_form(req, "password");
    const char *next = next_of(req, web_form(req, "next"));
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "email", json_string(core_utf8_valid(email, strlen(email)) ? email : ""));
    if (next)
        json_object_set_new(ctx, "next", json_string(next));
    if (!*email || !core_email_valid(email))
        web_add_error(req, ctx, "email", "login.error.email");
    if (!password || !*password)
        web_add_error(req, ctx, "password", "login.error.password");
    if (json_object_get(ctx, "errors"))
        return login_page(req, 400, ctx);

    switch (app_login(req, email, password)) {
    case APP_LOGIN_OK:
        json_decref(ctx);
        web_redirect(req, next ? next : "/dashboard");
        return CORE_OK;
    case APP_LOGIN_TOTP_NEEDED:
        json_decref(ctx);
        web_redirect(req, "/login/totp");
        return CORE_OK;
    case APP_LOGIN_THROTTLED:
        web_add_error(req, ctx, "email", "login.error.throttled");
        return login_page(req, 429, ctx);
    case APP_LOGIN_UNAVAILABLE:
        /* storage trouble: the 503 error page with Retry-After, not the throttle */
        json_decref(ctx);
        app_fail(req, CORE_BUSY, NULL);
        return CORE_OK;
    case APP_LOGIN_DISABLED:
    case APP_LOGIN_BAD:
    default:
        /* One answer for a wrong email, a wrong password and a disabled account. */
        web_add_error(req, ctx, "password", "login.error.bad");
        return login_page(req, 401, ctx);
    }
}

int web_handle_totp_form(http_req *req)
{
    const app_principal *p = me(req);
    if (p && p->user_id) {
        web_redirect(req, "/dashboard");
        return CORE_OK;
    }
    if (!p || !p->totp_pending) {
        web_redirect(req, "/login");
        return CORE_OK;
    }
    return web_page(req, 200, "login_totp", "totp.title", NULL);
}

int web_handle_totp(http_req *req)
{
    const app_principal *p = me(req);
    if (!p || !p->totp_pending) {
        web_redirect(req, "/login");
        return CORE_OK;
    }
    const char *code = web_form(req, "code");
    int rc = app_login_totp(req, code);
    if (rc == CORE_OK) {
        web_redirect(req, "/dashboard");
        return CORE_OK;
    }
    if (rc == CORE_INVALID) {
        web_redirect(req, "/login");
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    if (rc != CORE_DENIED && rc != CORE_CONFLICT) {
        json_decref(ctx);
        app_fail(req, rc, NULL);   /* storage trouble: 503 with Retry-After */
        return CORE_OK;
    }
    web_add_error(req, ctx, "code", rc == CORE_CONFLICT ? "login.error.throttled" : "totp.error.bad");
    return web_page(req, rc == CORE_CONFLICT ? 429 : 401, "login_totp", "totp.title", ctx);
}

int web_handle_logout(http_req *req)
{
    app_logout(req);
    web_redirect(req, "/login?notice=signed_out");
    return CORE_OK;
}

int web_handle_org_switch(http_req *req)
{
    int64_t org;
    if (core_parse_int64(web_form(req, "org"), &org) != CORE_OK || org <= 0) {
        web_error_page(req, 400, "error.bad_request");
        return CORE_OK;
    }
    int rc = app_switch_org(req, org);
    if (rc == CORE_NOTFOUND) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    web_redirect(req, "/dashboard?notice=org_switched");
    return CORE_OK;
}

int web_handle_dashboard(http_req *req)
{
    const app_principal *p = me(req);
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    store_org org;
    store_member *members = NULL;
    store_product *products = NULL;
    store_audit_entry *entries = NULL;
    size_t nm = 0, np = 0, ne = 0;
    int can_audit = core_authz_allows(p->role, CORE_PERM_AUDIT_READ);
    int rc = store_org_get(c, a, p->org_id, &org);
    if (rc == CORE_OK)
        rc = store_member_list(c, a, p->org_id, &members, &nm);
    if (rc == CORE_OK)
        rc = store_product_list(c, a, p->org_id, &products, &np);
    if (rc == CORE_OK && can_audit)
        rc = store_audit_list(c, a, p->org_id, 0, 5, &entries, &ne);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    char kind_key[64];
    snprintf(kind_key, sizeof kind_key, "org.kind.%s", org.kind ? org.kind : "company");
    json_object_set_new(ctx, "org", json_pack("{s:s?, s:s}", "name", org.name, "kind_label",
                                              web_msg(lang, kind_key)));
    json_object_set_new(ctx, "members", json_integer((json_int_t)nm));
    json_object_set_new(ctx, "products", json_integer((json_int_t)np));
    json_object_set_new(ctx, "can_users", json_boolean(core_authz_allows(p->role, CORE_PERM_ORG_READ)));
    json_object_set_new(ctx, "can_audit", json_boolean(can_audit));
    if (can_audit)
        json_object_set_new(ctx, "audit", web_audit_rows(a, entries, ne, members, nm));
    return web_page(req, 200, "dashboard", "dashboard.title", ctx);
}
