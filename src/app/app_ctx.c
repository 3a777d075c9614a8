/* app_ctx: the application context, configuration defaults, the principal
 * accessors, connection helpers, the status -> response mapping, and the
 * audit helper that every state change goes through.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "app/app_internal.h"

void app_config_defaults(app_config *c)
{
    memset(c, 0, sizeof *c);
    c->session_idle_s = 30 * 60;
    c->session_absolute_s = 12 * 3600;
    c->login_max_failures = 5;
    c->login_lock_s = 15 * 60;
    c->behind_tls = 0;
    c->login_peer_max = 10;
    c->login_peer_window_s = 15 * 60;
    c->login_global_max = 1000;
    c->login_global_window_s = 60;
}

static int64_t app_clock(void)
{
    return (int64_t)time(NULL);
}

int64_t app_now(const app_ctx *ctx)
{
    return (ctx && ctx->now) ? ctx->now() : app_clock();
}

int app_ctx_init(app_ctx *ctx, store *s, const app_config *cfg, const unsigned char secret[CRY_SECRET_LEN])
{
    memset(ctx, 0, sizeof *ctx);
    if (cry_init() != CORE_OK) return CORE_ERR;
    app_config d;
    app_config_defaults(&d);
    if (cfg) {
        ctx->cfg = *cfg;
        if (ctx->cfg.session_idle_s <= 0) ctx->cfg.session_idle_s = d.session_idle_s;
        if (ctx->cfg.session_absolute_s <= 0) ctx->cfg.session_absolute_s = d.session_absolute_s;
        if (ctx->cfg.login_max_failures <= 0) ctx->cfg.login_max_failures = d.login_max_failures;
        if (ctx->cfg.login_lock_s <= 0) ctx->cfg.login_lock_s = d.login_lock_s;
        if (ctx->cfg.login_peer_max <= 0) ctx->cfg.login_peer_max = d.login_peer_max;
        if (ctx->cfg.login_peer_window_s <= 0) ctx->cfg.login_peer_window_s = d.login_peer_window_s;
        if (ctx->cfg.login_global_max <= 0) ctx->cfg.login_global_max = d.login_global_max;
        if (ctx->cfg.login_global_window_s <= 0) ctx->cfg.login_global_window_s = d.login_global_window_s;
    } else {
        ctx->cfg = d;
    }
    ctx->store = s;
    ctx->now = app_clock;
    if (secret) memcpy(ctx->secret, secret, CRY_SECRET_LEN);
    else cry_random_bytes(ctx->secret, CRY_SECRET_LEN);
    /* A hash of a random password nobody knows, with the current cost: logins
     * for unknown accounts verify against it so they take as long as real ones. */
    char pw[CRY_TOKEN_LEN + 1];
    if (cry_random_token(pw) != CORE_OK) return CORE_ERR;
    int rc = cry_password_hash(pw, ctx->dummy_pw_hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != CORE_OK) return rc;
    rc = app_throttle_new(&ctx->throttle, &ctx->cfg, ctx->secret);
    if (rc != CORE_OK) return rc;
    return CORE_OK;
}

void app_ctx_cleanup(app_ctx *ctx)
{
    if (!ctx) return;
    app_throttle_free(ctx->throttle);
    ctx->throttle = NULL;
    sodium_memzero(ctx->secret, sizeof ctx->secret);
}

app_ctx *app_ctx_of(http_req *req)
{
    return req ? (app_ctx *)http_req_app(req) : NULL;
}

app_principal *app_principal_mut(http_req *req)
{
    app_principal *p = http_req_user(req);
    if (!p) {
        p = core_arena_alloc(http_req_arena(req), sizeof *p);
        if (p) {
            p->role = CORE_ROLE_NONE;
            http_req_set_user(req, p);
        }
    }
    return p;
}

const app_principal *app_principal_of(http_req *req)
{
    static const app_principal anonymous = { .role = CORE_ROLE_NONE };
    const app_principal *p = app_principal_mut(req);
    return p ? p : &anonymous;
}

/* ---- errors ---- */

void app_error(http_req *req, int status, const char *title, const char *detail, const char *field)
{
    const http_route *r = http_req_route(req);
    if (r && r->kind == HTTP_KIND_HTML) http_error(req, status, title, detail);   /* the web's error page */
    else http_res_problem(req, status, title, detail, field);
}

void app_log_busy_cause(http_req *req)
{
    const char *cause = store_busy_cause_take();
    if (cause) http_req_log_field(req, "cause", cause);
}

void app_fail(http_req *req, int st, const char *field)
{
    int status;
    const char *title;
    switch (st) {
    case CORE_NOTFOUND: status = 404; title = "Not Found"; break;
    case CORE_CONFLICT: status = 409; title = "Conflict"; break;
    case CORE_INVALID: status = 400; title = "Bad Request"; break;
    case CORE_DENIED: status = 403; title = "Forbidden"; break;
    case CORE_BUSY:
        status = 503;
        title = "Service Unavailable";
        http_res_header(req, "Retry-After", "1");
        app_log_busy_cause(req);
        break;
    default: status = 500; title = "Internal Server Error"; field = NULL; break;
    }
    app_error(req, status, title, NULL, field);
}

int app_conn(http_req *req, store_conn **out)
{
    *out = NULL;
    app_ctx *ctx = app_ctx_of(req);
    if (!ctx || !ctx->store) {
        app_fail(req, CORE_ERR, NULL);
        return CORE_ERR;
    }
    int rc = store_acquire(ctx->store, out);
    if (rc != CORE_OK) {
        *out = NULL;
        app_fail(req, CORE_BUSY, NULL);   /* any pool failure: try again */
        return rc;
    }
    return CORE_OK;
}

void app_conn_release(http_req *req, store_conn *c)
{
    app_ctx *ctx = app_ctx_of(req);
    if (c && ctx && ctx->store) store_release(ctx->store, c);
}

/* ---- audit ---- */

void app_json_digest(json_t *v, char out[CRY_HASH_HEX_LEN + 1])
{
    out[0] = '\0';
    if (!v) return;
    char *s = json_dumps(v, JSON_SORT_KEYS | JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) return;
    cry_hash_hex(s, strlen(s), out);
    free(s);
}

int app_audit(http_req *req, store_conn *c, int64_t org_id, const char *object_type,
              const char *object_id, const char *action, json_t *before, json_t *after)
{
    if (!c || !object_type || !action) return CORE_INVALID;
    char bd[CRY_HASH_HEX_LEN + 1], ad[CRY_HASH_HEX_LEN + 1];
    app_json_digest(before, bd);
    app_json_digest(after, ad);
    core_arena local;
    core_arena_init(&local);
    core_arena *a = req ? http_req_arena(req) : &local;
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.org_id = org_id;
    e.object_type = object_type;
    e.object_id = object_id ? object_id : "";
    e.action = action;
    e.before_digest = before ? bd : NULL;
    e.after_digest = after ? ad : NULL;
    if (!req) {
        e.at = app_clock();
        e.actor = "cli";
    } else {
        const app_principal *p = app_principal_of(req);
        e.at = app_now(app_ctx_of(req));
        e.actor_user_id = p->user_id;
        if (p->token_id > 0) e.actor = core_arena_printf(a, "token:%lld", (long long)p->token_id);
        else if (p->user_id > 0) e.actor = core_arena_printf(a, "user:%lld", (long long)p->user_id);
        else e.actor = "public";
    }
    int rc = e.actor ? store_audit_append(c, a, &e) : CORE_NOMEM;
    core_arena_cleanup(&local);
    return rc;
}
