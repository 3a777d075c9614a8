/* web_account: the signed-in user's own account (password, TOTP second
 * factor), the organisation's API tokens and its audit trail. A new token is
 * shown exactly once, on the response that created it (never stored clear).
 */
#include <string.h>

#include "app/app.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024
#define AUDIT_PAGE 50

static int64_t now_s(http_req *req)
{
    return app_ctx_of(req)->now();
}

/* ---- account ---- */

static int account_page(http_req *req, int status, json_t *ctx, const char *pending_secret)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_user u;
    int rc = store_user_get(c, a, p->user_id, &u);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    int enabled = u.totp_secret && *u.totp_secret;
    json_object_set_new(ctx, "totp_enabled", json_boolean(enabled));
    if (!enabled) {
        char secret[CRY_TOTP_SECRET_LEN + 1];
        if (pending_secret && strlen(pending_secret) == CRY_TOTP_SECRET_LEN)
            snprintf(secret, sizeof secret, "%s", pending_secret);
        else if (cry_totp_new_secret(secret) != CORE_OK) {
            json_decref(ctx);
            app_fail(req, CORE_ERR, NULL);
            return CORE_OK;
        }
        core_buf uri;
        core_buf_init(&uri);
        core_buf_puts(&uri, "otpauth://totp/");
        core_buf_urlencode(&uri, "hrdd:");
        core_buf_urlencode(&uri, u.email ? u.email : "");
        core_buf_puts(&uri, "?secret=");
        core_buf_puts(&uri, secret);
        core_buf_puts(&uri, "&issuer=hrdd&algorithm=SHA1&digits=6&period=30");
        json_object_set_new(ctx, "totp_secret", json_string(secret));
        json_object_set_new(ctx, "totp_uri", json_string(core_buf_cstr(&uri)));
        core_buf_cleanup(&uri);
    }
    return web_page(req, status, "account", "account.title", ctx);
}

int web_handle_account(http_req *req)
{
    return account_page(req, 200, NULL, NULL);
}

int web_handle_password(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    const char *current = http_req_form(req, "current");
    const char *npw = http_req_form(req, "new_password");
    const char *confirm = http_req_form(req, "confirm");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    size_t nl = npw ? strlen(npw) : 0;
    if (!current || !*current)
        web_add_error(req, ctx, "current", "account.error.current");
    if (nl < PASSWORD_MIN || nl > PASSWORD_MAX)
        web_add_error(req, ctx, "new_password", "users.error.password");
    else if (!confirm || strcmp(npw, confirm) != 0)
        web_add_error(req, ctx, "confirm", "account.error.confirm");
    if (json_object_get(ctx, "errors"))
        return account_page(req, 400, ctx, NULL);

    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_user u;
    char hash[CRY_PWHASH_MAX];
    int wrong = 0;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_user_get(c, a, p->user_id, &u);
    if (rc == CORE_OK && cry_password_verify(u.pw_hash, current) != CORE_OK)
        wrong = 1;
    if (rc == CORE_OK && !wrong)
        rc = cry_password_hash(npw, hash);
    if (rc == CORE_OK && !wrong)
        rc = store_user_set_password(c, p->user_id, hash);
    /* every session of the account ends, this one included: a stolen
     * session must not outlive the password it was opened with */
    if (rc == CORE_OK && !wrong)
        rc = store_session_delete_user(c, p->user_id);
    if (rc == CORE_OK && !wrong)
        rc = web_audit(req, c, p->org_id, "user", p->user_id, "password", NULL, NULL);
    if (rc == CORE_OK && !wrong)
        rc = store_commit(c);
    app_conn_release(req, c);
    memset(hash, 0, sizeof hash);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (wrong) {
        web_add_error(req, ctx, "current", "account.error.current_wrong");
        return account_page(req, 400, ctx, NULL);
    }
    json_decref(ctx);
    http_res_cookie(req, APP_SESSION_COOKIE, "", 0, HTTP_COOKIE_DELETE);
    web_redirect(req, "/login?notice=password_changed");
    return CORE_OK;
}

int web_handle_totp_setup(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    const char *action = web_form(req, "action");
    const char *code = web_form(req, "code");
    const char *secret = web_form(req, "secret");
    int enable = strcmp(action, "enable") == 0;
    if (!enable && strcmp(action, "disable") != 0) {
        web_error_page(req, 400, "error.bad_request");
        return CORE_OK;
    }
    unsigned char raw[64];
    size_t rawlen = 0;
    if (enable && (strlen(secret) != CRY_TOTP_SECRET_LEN ||
                   cry_base32_decode(secret, raw, sizeof raw, &rawlen) != CORE_OK)) {
        web_error_page(req, 400, "error.bad_request");
        return CORE_OK;
    }
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    store_user u;
    int wrong = 0, state_changed = 0;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_user_get(c, a, p->user_id, &u);
    if (rc == CORE_OK) {
        int enabled = u.totp_secret && *u.totp_secret;
        if (enabled == enable)
            state_changed = 1;          /* already done (e.g. a second tab) */
        else if (cry_totp_verify(enable ? secret : u.totp_secret, code, now_s(req)) != CORE_OK)
            wrong = 1;
    }
    if (rc == CORE_OK && !wrong && !state_changed)
        rc = store_user_set_totp(c, p->user_id, enable ? secret : NULL);
    if (rc == CORE_OK && !wrong && !state_changed)
        rc = web_audit(req, c, p->org_id, "user", p->user_id, enable ? "totp_enable" : "totp_disable",
                       NULL, NULL);
    if (rc == CORE_OK && !wrong && !state_changed)
        rc = store_commit(c);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (wrong) {
        json_t *ctx = web_ctx(req);
        if (!ctx)
            return CORE_NOMEM;
        web_add_error(req, ctx, "code", "account.error.code");
        return account_page(req, 400, ctx, enable ? secret : NULL);
    }
    web_redirect(req, enable ? "/account?notice=totp_enabled" : "/account?notice=totp_disabled");
    return CORE_OK;
}

/* ---- API tokens ---- */

static int tokens_page(http_req *req, int status, json_t *ctx)
{
    const app_principal *p = app_principal_of(req);
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_token *ts = NULL;
    size_t n = 0;
    int rc = store_token_list(c, a, p->org_id, &ts, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    int64_t now = now_s(req);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        const store_token *t = &ts[i];
        int expired = t->expires_at && t->expires_at <= now;
        const char *st = t->revoked_at ? "tokens.revoked" : expired ? "tokens.expired" : "tokens.active";
        json_array_append_new(list, json_pack("{s:I, s:s?, s:s?, s:s, s:s, s:s, s:s, s:b}",
            "id", (json_int_t)t->id, "name", t->name, "scopes", t->scopes,
            "created", web_fmt_time(a, web_lang(req), t->created_at),
            "expires", t->expires_at ? web_fmt_time(a, web_lang(req), t->expires_at) : web_msg(lang, "tokens.never"),
            "last_used", t->last_used_at ? web_fmt_time(a, web_lang(req), t->last_used_at) : web_msg(lang, "tokens.never_used"),
            "status_label", web_msg(lang, st), "active", !t->revoked_at && !expired));
    }
    web_mark_ends(list);
    json_object_set_new(ctx, "tokens", list);
    return web_page(req, status, "tokens", "tokens.title", ctx);
}

int web_handle_tokens(http_req *req)
{
    return tokens_page(req, 200, NULL);
}

int web_handle_token_add(http_req *req)
{
    const char *name = web_form(req, "name");
    const char *days_s = web_form(req, "days");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int utf_ok = core_utf8_valid(name, strlen(name)) && core_utf8_valid(days_s, strlen(days_s));
    json_object_set_new(ctx, "form", json_pack("{s:s, s:s}", "name", utf_ok ? name : "",
                                               "days", utf_ok ? days_s : ""));
    char scopes[32] = "";
    size_t sl = 0;
    static const char *const SC[] = {"read", "write", "metrics"};
    for (size_t i = 0; i < 3; i++) {
        char field[24];
        snprintf(field, sizeof field, "scope_%s", SC[i]);
        if (*web_form(req, field))
            sl += (size_t)snprintf(scopes + sl, sizeof scopes - sl, "%s%s", sl ? " " : "", SC[i]);
    }
    int64_t days = 0;
    if (!*name || strlen(name) > 100 || !core_utf8_valid(name, strlen(name)))
        web_add_error(req, ctx, "name", "tokens.error.name");
    if (!*scopes)
        web_add_error(req, ctx, "scopes", "tokens.error.scopes");
    if (*days_s && (core_parse_int64(days_s, &days) != CORE_OK || days < 1 || days > 3650))
        web_add_error(req, ctx, "days", "tokens.error.days");
    if (json_object_get(ctx, "errors"))
        return tokens_page(req, 400, ctx);

    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_token tok;
    const char *clear = NULL;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = app_token_create(req, c, name, scopes, days ? now_s(req) + days * 86400 : 0, &tok, &clear);
    if (rc == CORE_OK)
        rc = store_commit(c);
    app_conn_release(req, c);
    if (rc == CORE_INVALID) {
        web_add_error(req, ctx, "name", "tokens.error.name");
        return tokens_page(req, 400, ctx);
    }
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_object_set_new(ctx, "new_token", json_string(clear));
    json_object_set_new(ctx, "form", json_object());
    return tokens_page(req, 201, ctx);
}

int web_handle_token_revoke(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int64_t id;
    if (core_parse_int64(http_req_param(req, "id"), &id) != CORE_OK || id <= 0) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_token_revoke(c, p->org_id, id, now_s(req));    /* scoped to the org */
    if (rc == CORE_OK)
        rc = web_audit(req, c, p->org_id, "token", id, "revoke", NULL, NULL);
    if (rc == CORE_OK)
        rc = store_commit(c);
    app_conn_release(req, c);
    if (rc == CORE_NOTFOUND) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    web_redirect(req, "/tokens?notice=token_revoked");
    return CORE_OK;
}

/* ---- audit trail ---- */

int web_handle_audit(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    int64_t before = 0;
    const char *bq = http_req_query(req, "before");
    if (bq && (core_parse_int64(bq, &before) != CORE_OK || before < 0))
        before = 0;
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    store_audit_entry *es = NULL;
    store_member *ms = NULL;
    size_t n = 0, nm = 0;
    int rc = store_audit_list(c, a, p->org_id, before, AUDIT_PAGE, &es, &n);
    if (rc == CORE_OK)
        rc = store_member_list(c, a, p->org_id, &ms, &nm);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "audit", web_audit_rows(a, es, n, ms, nm));
    if (n == AUDIT_PAGE && es[n - 1].seq > 1)
        json_object_set_new(ctx, "older", json_integer((json_int_t)es[n - 1].seq));
    return web_page(req, 200, "audit", "audit.title", ctx);
}
