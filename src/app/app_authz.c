/* app_authz: app_authorize, the http_config.authorize hook, the one place
 * where hrdd decides whether a request may reach its handler.
 *
 * Flow: resolve who is asking (Bearer token, else session cookie, else
 * anonymous) into an app_principal in the request arena; for routes with an
 * "{org}" parameter, switch to that organisation and the caller's role there
 * (not a member -> 404, never 403); then core_authz_allows(role, perm), capped
 * by token scopes; then CSRF for state-changing requests carried by a session
 * cookie (anonymous ones must at least not come from another origin).
 * Requests without any credential on routes without {org} never touch the
 * database (healthz, static assets, the login page).
 */
#include <string.h>
#include <strings.h>

#include "app/app_internal.h"

/* ---- small helpers ---- */

int app_scope_has(const char *scopes, const char *want)
{
    if (!scopes) return 0;
    size_t wl = strlen(want);
    const char *s = scopes;
    while (*s) {
        while (*s == ' ') s++;
        const char *e = s;
        while (*e && *e != ' ') e++;
        if ((size_t)(e - s) == wl && memcmp(s, want, wl) == 0) return 1;
        s = e;
    }
    return 0;
}

static int state_changing(http_req *req)
{
    http_method m = http_req_method(req);
    return m != HTTP_GET && m != HTTP_HEAD;
}

static int route_has_org(const http_route *r)
{
    return r && r->pattern && strstr(r->pattern, "{org}") != NULL;
}

/* A path we may send the browser back to after login: local, absolute, no
 * scheme-relative "//" or backslash tricks, no control characters. */
static int local_path(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\') return 0;
    for (const unsigned char *s = (const unsigned char *)p; *s; s++)
        if (*s < 0x20 || *s == 0x7f || *s == '\\') return 0;
    return 1;
}

static int deny_anonymous(http_req *req, const http_route *route)
{
    if (route->kind == HTTP_KIND_HTML) {
        const char *path = http_req_path(req);
        core_buf b;
        core_buf_init(&b);
        core_buf_puts(&b, "/login");
        if (local_path(path) && strcmp(path, "/login") != 0) {
            core_buf_puts(&b, "?next=");
            core_buf_urlencode(&b, path);
        }
        http_res_redirect(req, 303, b.oom ? "/login" : core_buf_cstr(&b));
        core_buf_cleanup(&b);
    } else {
        http_res_header(req, "WWW-Authenticate", "Bearer");
        http_res_problem(req, 401, "Unauthorized", "Sign in or present a valid API token.", NULL);
    }
    return CORE_DENIED;
}

static int deny_token(http_req *req, const char *detail)
{
    http_res_header(req, "WWW-Authenticate", "Bearer error=\"invalid_token\"");
    http_res_problem(req, 401, "Unauthorized", detail, NULL);
    return CORE_DENIED;
}

static int deny_notfound(http_req *req)
{
    app_error(req, 404, "Not Found", NULL, NULL);
    return CORE_NOTFOUND;
}

static int deny_forbidden(http_req *req, const char *detail, const char *field)
{
    app_error(req, 403, "Forbidden", detail, field);
    return CORE_DENIED;
}

/* Origin, when a browser sends one, must name this host. */
/* A state-changing request without a session must come from our own pages.
 * Browsers say so in Sec-Fetch-Site; under "Referrer-Policy: no-referrer"
 * Chromium sends "Origin: null" on form posts, so an opaque origin is judged
 * by Sec-Fetch-Site alone. Non-browser clients send neither header. */
static int origin_ok(http_req *req)
{
    const char *site = http_req_header(req, "Sec-Fetch-Site");
    if (site && strcasecmp(site, "same-origin") != 0 && strcasecmp(site, "none") != 0)
        return 0;            /* cross-site or same-site (another subdomain) */
    const char *origin = http_req_header(req, "Origin");
    if (!origin) return 1;
    if (strcmp(origin, "null") == 0) return site != NULL;
    const char *host = http_req_header(req, "Host");
    if (!host || !*host) return 0;
    const char *o = origin;
    if (strncasecmp(o, "https://", 8) == 0) o += 8;
    else if (strncasecmp(o, "http://", 7) == 0) o += 7;
    else return 0;
    return strcasecmp(o, host) == 0;
}

static void set_org(app_principal *p, const store_org *o)
{
    p->org_id = o->id;
    p->org_slug = o->slug;
    p->org_name = o->name;
}

static int load_org(store_conn *c, core_arena *a, int64_t id, app_principal *p)
{
    store_org o;
    int rc = store_org_get(c, a, id, &o);
    if (rc == CORE_OK) set_org(p, &o);
    return rc;
}

static int resolve_org(store_conn *c, core_arena *a, const char *param, store_org *out)
{
    int64_t id;
    if (core_parse_int64(param, &id) == CORE_OK) return id > 0 ? store_org_get(c, a, id, out) : CORE_NOTFOUND;
    if (!core_slug_valid(param)) return CORE_NOTFOUND;
    return store_org_get_by_slug(c, a, param, out);
}

static core_role role_in(store_conn *c, core_arena *a, int64_t org_id, int64_t user_id, int *err)
{
    store_member m;
    int rc = store_member_get(c, a, org_id, user_id, &m);
    if (rc == CORE_OK) return m.role;
    if (rc != CORE_NOTFOUND) *err = rc;
    return CORE_ROLE_NONE;
}

/* ---- identities ---- */

/* Bearer token: CORE_OK with p filled, or a response set (401) and an error. */
static int auth_token(http_req *req, app_ctx *ctx, store_conn *c, const char *authz, app_principal *p)
{
    core_arena *a = http_req_arena(req);
    if (strncasecmp(authz, "Bearer ", 7) != 0) return deny_token(req, "Unsupported authorization scheme.");
    const char *tok = authz + 7;
    while (*tok == ' ') tok++;
    size_t n = strlen(tok);
    while (n > 0 && tok[n - 1] == ' ') n--;
    if (n == 0 || n > 256) return deny_token(req, "Invalid or expired token.");
    char hash[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex(tok, n, hash);
    store_token t;
    int rc = store_token_get_by_hash(c, a, hash, &t);
    if (rc == CORE_NOTFOUND) return deny_token(req, "Invalid or expired token.");
    if (rc != CORE_OK) { app_fail(req, rc, NULL); return rc; }
    int64_t now = app_now(ctx);
    if (t.revoked_at != 0 || (t.expires_at != 0 && t.expires_at <= now))
        return deny_token(req, "Invalid or expired token.");
    store_user u;
    rc = store_user_get(c, a, t.user_id, &u);
    if (rc == CORE_NOTFOUND || (rc == CORE_OK && u.disabled)) return deny_token(req, "Invalid or expired token.");
    if (rc != CORE_OK) { app_fail(req, rc, NULL); return rc; }
    int err = CORE_OK;
    p->role = role_in(c, a, t.org_id, u.id, &err);
    if (err == CORE_OK) err = load_org(c, a, t.org_id, p);
    if (err != CORE_OK) { app_fail(req, err, NULL); return err; }
    p->user_id = u.id;
    p->email = u.email;
    p->display_name = u.display_name;
    p->token_id = t.id;
    p->scopes = t.scopes ? t.scopes : "";
    if (now - t.last_used_at >= 60) (void)store_token_touch(c, t.id, now);  /* coarse: no write per request */
    return CORE_OK;
}

/* Session cookie: CORE_OK with p filled (or left anonymous when the session is
 * unknown, expired, pending TOTP or its user disabled). */
static int auth_session(http_req *req, app_ctx *ctx, store_conn *c, const char *cookie, app_principal *p)
{
    core_arena *a = http_req_arena(req);
    size_t n = strlen(cookie);
    if (n == 0 || n > 256) return CORE_OK;
    char hash[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex(cookie, n, hash);
    store_session s;
    int rc = store_session_get(c, a, hash, &s);
    if (rc == CORE_NOTFOUND) return CORE_OK;
    if (rc != CORE_OK) { app_fail(req, rc, NULL); return rc; }
    int64_t now = app_now(ctx);
    if (now - s.last_seen_at > ctx->cfg.session_idle_s || now - s.created_at > ctx->cfg.session_absolute_s ||
        (s.totp_pending && now - s.created_at > APP_TOTP_PENDING_S)) {
        (void)store_session_delete(c, hash);
        return CORE_OK;
    }
    store_user u;
    rc = store_user_get(c, a, s.user_id, &u);
    if (rc == CORE_NOTFOUND || (rc == CORE_OK && u.disabled)) {
        (void)store_session_delete(c, hash);
        return CORE_OK;
    }
    if (rc != CORE_OK) { app_fail(req, rc, NULL); return rc; }
    p->session_hash = core_arena_strdup(a, hash);
    p->csrf_token = s.csrf_token;
    if (now - s.last_seen_at >= 10) (void)store_session_touch(c, hash, now);   /* coarse: few writes */
    if (s.totp_pending) {
        p->totp_pending = 1;
        p->pending_user_id = u.id;
        return CORE_OK;               /* anonymous until the second factor */
    }
    p->user_id = u.id;
    p->email = u.email;
    p->display_name = u.display_name;
    if (s.org_id > 0) {
        int err = CORE_OK;
        p->role = role_in(c, a, s.org_id, u.id, &err);
        if (err == CORE_OK) {
            err = load_org(c, a, s.org_id, p);
            if (err == CORE_NOTFOUND) { p->role = CORE_ROLE_NONE; err = CORE_OK; }
        }
        if (err != CORE_OK) { app_fail(req, err, NULL); return err; }
    }
    return CORE_OK;
}

/* The route's {org}: the caller acts there with the role held there. */
static int auth_route_org(http_req *req, store_conn *c, const http_route *route, const char *param,
                          app_principal *p)
{
    core_arena *a = http_req_arena(req);
    int public_route = route->perm == CORE_PERM_PUBLIC;
    store_org o;
    int rc = resolve_org(c, a, param, &o);
    if (rc == CORE_NOTFOUND) return deny_notfound(req);
    if (rc != CORE_OK) { app_fail(req, rc, NULL); return rc; }
    if (p->user_id == 0) {                  /* anonymous on a public route */
        set_org(p, &o);
        p->role = CORE_ROLE_NONE;
        return CORE_OK;
    }
    if (p->token_id > 0) {                  /* a token acts in its own org only */
        if (o.id != p->org_id) {
            if (!public_route) return deny_notfound(req);
            p->role = CORE_ROLE_NONE;
        }
        set_org(p, &o);
        return CORE_OK;
    }
    int err = CORE_OK;
    core_role r = role_in(c, a, o.id, p->user_id, &err);
    if (err != CORE_OK) { app_fail(req, err, NULL); return err; }
    if (r == CORE_ROLE_NONE && !public_route) return deny_notfound(req);
    set_org(p, &o);
    p->role = r;
    return CORE_OK;
}

static int csrf_ok(http_req *req, const app_principal *p)
{
    const char *sent = http_req_header(req, "X-CSRF-Token");
    if (!sent) sent = http_req_form(req, "csrf");
    return sent && p->csrf_token && *p->csrf_token && core_consttime_streq(sent, p->csrf_token);
}

/* ---- the hook ---- */

int app_authorize(http_req *req, const http_route *route)
{
    store_busy_cause_reset();   /* this thread's last request may have left one */
    app_ctx *ctx = app_ctx_of(req);
    app_principal *p = app_principal_mut(req);
    if (!ctx || !p || !route) {
        http_res_problem(req, 500, "Internal Server Error", NULL, NULL);
        return CORE_ERR;
    }
    const int public_route = route->perm == CORE_PERM_PUBLIC;
    const char *authz = http_req_header(req, "Authorization");
    const char *cookie = authz ? NULL : http_req_cookie(req, APP_SESSION_COOKIE);
    const char *org_param = route_has_org(route) ? http_req_param(req, "org") : NULL;

    if (authz || cookie || (org_param && public_route)) {
        store_conn *c = NULL;
        int rc = store_acquire(ctx->store, &c);
        if (rc != CORE_OK) {
            app_fail(req, CORE_BUSY, NULL);
            return rc;
        }
        if (authz) rc = auth_token(req, ctx, c, authz, p);
        else if (cookie) rc = auth_session(req, ctx, c, cookie, p);
        if (rc == CORE_OK && org_param && (p->user_id > 0 || public_route))
            rc = auth_route_org(req, c, route, org_param, p);
        store_release(ctx->store, c);
        if (rc != CORE_OK) return rc;
    }
    if (p->user_id > 0) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)p->user_id);
        http_req_log_field(req, "user", id);
    }

    if (public_route) {
        if (state_changing(req) && p->token_id == 0) {
            if (p->session_hash) {
                if (!csrf_ok(req, p)) return deny_forbidden(req, "CSRF token missing or invalid", "csrf");
            } else if (!origin_ok(req)) {
                return deny_forbidden(req, "Cross-origin request refused", NULL);
            }
        }
        return CORE_OK;
    }
    if (p->user_id == 0) return deny_anonymous(req, route);

    if (p->token_id > 0) {
        if (route->perm == CORE_PERM_METRICS) {
            /* /metrics: a token with the "metrics" scope, whose creator is still a member. */
            if (app_scope_has(p->scopes, "metrics") && p->role != CORE_ROLE_NONE) return CORE_OK;
            return deny_forbidden(req, "The token lacks the \"metrics\" scope.", NULL);
        }
        const char *need = state_changing(req) ? "write" : "read";
        if (!app_scope_has(p->scopes, need))
            return deny_forbidden(req, state_changing(req) ? "The token lacks the \"write\" scope."
                                                           : "The token lacks the \"read\" scope.", NULL);
    }
    if (!core_authz_allows(p->role, route->perm))
        return deny_forbidden(req, "Your role does not allow this.", NULL);
    if (state_changing(req) && p->token_id == 0 && !csrf_ok(req, p))
        return deny_forbidden(req, "CSRF token missing or invalid", "csrf");
    return CORE_OK;
}
