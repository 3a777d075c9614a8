/* app_session: staff login (password, throttling, account lock, optional TOTP
 * second factor), logout, the organisation switcher, and API token creation.
 *
 * Sessions: the cookie holds 256 random bits (base64url); the database holds
 * only their BLAKE2b, with a separate random CSRF token. Every login creates a
 * fresh session id and drops any session the browser presented (no fixation);
 * completing the TOTP step rotates the id again. Failed logins are counted
 * per account in the database (lock after cfg.login_max_failures) and in
 * memory per peer address, per e-mail and globally (app_throttle); only
 * successful logins go to the audit trail.
 */
#include <ctype.h>
#include <string.h>

#include <sodium.h>

#include "app/app_internal.h"

static char *lower_dup(core_arena *a, const char *s)
{
    char *d = core_arena_strdup(a, s ? s : "");
    if (!d) return NULL;
    for (char *q = d; *q; q++) *q = (char)tolower((unsigned char)*q);
    return d;
}

static json_t *user_json(int64_t id, const char *email)
{
    return json_pack("{s:I, s:s}", "id", (json_int_t)id, "email", email ? email : "");
}

/* Creates a session row; cookie receives the clear value. */
static int session_new(store_conn *c, core_arena *a, int64_t user_id, int64_t org_id, int totp_pending,
                       int64_t now, char cookie[CRY_TOKEN_LEN + 1], store_session *out)
{
    char csrf[CRY_TOKEN_LEN + 1];
    char hash[CRY_HASH_HEX_LEN + 1];
    if (cry_random_token(cookie) != CORE_OK || cry_random_token(csrf) != CORE_OK) return CORE_ERR;
    cry_hash_hex(cookie, strlen(cookie), hash);
    memset(out, 0, sizeof *out);
    out->id_hash = core_arena_strdup(a, hash);
    out->csrf_token = core_arena_strdup(a, csrf);
    if (!out->id_hash || !out->csrf_token) return CORE_NOMEM;
    out->user_id = user_id;
    out->org_id = org_id;
    out->totp_pending = totp_pending;
    out->created_at = now;
    out->last_seen_at = now;
    return store_session_create(c, out);
}

/* The organisation a fresh session starts in: the member org with the lowest id. */
static int first_org(store_conn *c, core_arena *a, int64_t user_id, int64_t *org_id, core_role *role,
                     const char **slug, const char **name)
{
    store_membership *ms = NULL;
    size_t n = 0;
    *org_id = 0;
    *role = CORE_ROLE_NONE;
    int rc = store_membership_list(c, a, user_id, &ms, &n);
    if (rc != CORE_OK) return rc;
    for (size_t i = 0; i < n; i++) {
        if (*org_id == 0 || ms[i].org.id < *org_id) {
            *org_id = ms[i].org.id;
            *role = ms[i].role;
            *slug = ms[i].org.slug;
            *name = ms[i].org.name;
        }
    }
    return CORE_OK;
}

static void drop_presented_session(http_req *req, store_conn *c)
{
    const char *old = http_req_cookie(req, APP_SESSION_COOKIE);
    if (old && *old) {
        char h[CRY_HASH_HEX_LEN + 1];
        cry_hash_hex(old, strlen(old), h);
        (void)store_session_delete(c, h);
    }
}

app_login_result app_login(http_req *req, const char *email, const char *password)
{
    app_ctx *ctx = app_ctx_of(req);
    app_principal *p = app_principal_mut(req);
    core_arena *a = http_req_arena(req);
    if (!ctx || !p) return APP_LOGIN_THROTTLED;
    const int64_t now = app_now(ctx);
    const char *peer = http_req_peer(req);
    char *em = lower_dup(a, email);
    if (!em || !password) return APP_LOGIN_BAD;
    if (strlen(em) > 254 || strlen(password) > 1024) return APP_LOGIN_BAD;

    if (app_throttle_blocked(ctx->throttle, APP_THR_PEER, peer ? peer : "", now) ||
        app_throttle_blocked(ctx->throttle, APP_THR_ACCOUNT, em, now))
        return APP_LOGIN_THROTTLED;

    store_conn *c = NULL;
    if (store_acquire(ctx->store, &c) != CORE_OK) return APP_LOGIN_UNAVAILABLE;
    store_user u;
    int rc = store_user_get_by_email(c, a, em, &u);
    if (rc != CORE_OK && rc != CORE_NOTFOUND) {
        store_release(ctx->store, c);
        return APP_LOGIN_UNAVAILABLE;   /* storage trouble, not the throttle */
    }
    const int found = rc == CORE_OK;
    if (found && u.locked_until > now) {
        store_release(ctx->store, c);
        return APP_LOGIN_THROTTLED;
    }
    /* Exactly one argon2id verification whether or not the account exists. */
    int ok = cry_password_verify(found && u.pw_hash ? u.pw_hash : ctx->dummy_pw_hash, password) == CORE_OK;
    if (!found || !ok) {
        app_throttle_fail(ctx->throttle, APP_THR_PEER, peer ? peer : "", now);
        app_throttle_fail(ctx->throttle, APP_THR_ACCOUNT, em, now);
        if (found) {
            int failed = u.failed_logins + 1;
            int64_t lock = failed >= ctx->cfg.login_max_failures ? now + ctx->cfg.login_lock_s : 0;
            (void)store_user_login_result(c, u.id, 0, now, lock);
        }
        store_release(ctx->store, c);
        return APP_LOGIN_BAD;
    }
    if (u.disabled) {
        store_release(ctx->store, c);
        return APP_LOGIN_DISABLED;
    }

    const int pending = u.totp_secret && *u.totp_secret;
    int64_t org_id = 0;
    core_role role = CORE_ROLE_NONE;
    const char *slug = NULL, *name = NULL;
    char cookie[CRY_TOKEN_LEN + 1];
    store_session s;
    rc = store_begin(c);
    if (rc == CORE_OK) {
        drop_presented_session(req, c);
        rc = first_org(c, a, u.id, &org_id, &role, &slug, &name);
    }
    if (rc == CORE_OK) rc = session_new(c, a, u.id, org_id, pending, now, cookie, &s);
    if (rc == CORE_OK) rc = store_user_login_result(c, u.id, 1, now, 0);
    if (rc == CORE_OK && cry_password_needs_rehash(u.pw_hash)) {
        char h[CRY_PWHASH_MAX];
        if (cry_password_hash(password, h) == CORE_OK) rc = store_user_set_password(c, u.id, h);
    }
    if (rc == CORE_OK && !pending) {
        p->user_id = u.id;      /* the audit entry names the user who signed in */
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)u.id);
        json_t *after = user_json(u.id, u.email);
        rc = app_audit(req, c, org_id, "user", idbuf, "login", NULL, after);
        json_decref(after);
    }
    if (rc == CORE_OK) rc = store_commit(c);
    store_release(ctx->store, c);
    if (rc != CORE_OK) {
        memset(p, 0, sizeof *p);
        p->role = CORE_ROLE_NONE;
        sodium_memzero(cookie, sizeof cookie);
        return APP_LOGIN_UNAVAILABLE;   /* storage trouble: 503, "try later" */
    }
    http_res_cookie(req, APP_SESSION_COOKIE, cookie, 0, 0);
    sodium_memzero(cookie, sizeof cookie);

    memset(p, 0, sizeof *p);
    p->session_hash = s.id_hash;
    p->csrf_token = s.csrf_token;
    if (pending) {
        p->totp_pending = 1;
        p->pending_user_id = u.id;
        p->role = CORE_ROLE_NONE;
        return APP_LOGIN_TOTP_NEEDED;
    }
    p->user_id = u.id;
    p->email = u.email;
    p->display_name = u.display_name;
    p->org_id = org_id;
    p->org_slug = slug;
    p->org_name = name;
    p->role = role;
    return APP_LOGIN_OK;
}

int app_login_totp(http_req *req, const char *code)
{
    app_ctx *ctx = app_ctx_of(req);
    app_principal *p = app_principal_mut(req);
    core_arena *a = http_req_arena(req);
    if (!ctx || !p || !p->totp_pending || !p->session_hash || p->pending_user_id <= 0) return CORE_INVALID;
    const int64_t now = app_now(ctx);
    const char *peer = http_req_peer(req);
    store_conn *c = NULL;
    int rc = store_acquire(ctx->store, &c);
    if (rc != CORE_OK) return CORE_BUSY;
    store_user u;
    store_session old;
    rc = store_user_get(c, a, p->pending_user_id, &u);
    if (rc == CORE_OK) rc = store_session_get(c, a, p->session_hash, &old);
    if (rc != CORE_OK || !u.totp_secret || !*u.totp_secret || u.disabled) {
        store_release(ctx->store, c);
        return rc == CORE_OK || rc == CORE_NOTFOUND ? CORE_INVALID : rc;
    }
    if (app_throttle_blocked(ctx->throttle, APP_THR_PEER, peer ? peer : "", now) ||
        app_throttle_blocked(ctx->throttle, APP_THR_ACCOUNT, u.email, now)) {
        store_release(ctx->store, c);
        return CORE_CONFLICT;   /* throttled; CORE_BUSY means storage trouble */
    }
    if (!code || cry_totp_verify(u.totp_secret, code, now) != CORE_OK) {
        app_throttle_fail(ctx->throttle, APP_THR_PEER, peer ? peer : "", now);
        app_throttle_fail(ctx->throttle, APP_THR_ACCOUNT, u.email, now);
        store_release(ctx->store, c);
        return CORE_DENIED;
    }
    /* Second factor given: a new session id replaces the pending one. */
    char cookie[CRY_TOKEN_LEN + 1];
    store_session s;
    const char *old_hash = p->session_hash;
    core_role role = CORE_ROLE_NONE;
    store_org o;
    int have_org = 0;
    rc = store_begin(c);
    if (rc == CORE_OK) rc = store_session_delete(c, old_hash);
    if (rc == CORE_OK) rc = session_new(c, a, u.id, old.org_id, 0, now, cookie, &s);
    if (rc == CORE_OK && old.org_id > 0) {
        store_member m;
        if (store_member_get(c, a, old.org_id, u.id, &m) == CORE_OK) role = m.role;
        have_org = store_org_get(c, a, old.org_id, &o) == CORE_OK;
    }
    if (rc == CORE_OK) {
        p->user_id = u.id;
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)u.id);
        json_t *after = user_json(u.id, u.email);
        rc = app_audit(req, c, old.org_id, "user", idbuf, "login", NULL, after);
        json_decref(after);
    }
    if (rc == CORE_OK) rc = store_commit(c);
    store_release(ctx->store, c);
    if (rc != CORE_OK) {
        p->user_id = 0;
        sodium_memzero(cookie, sizeof cookie);
        return rc;
    }
    http_res_cookie(req, APP_SESSION_COOKIE, cookie, 0, 0);
    sodium_memzero(cookie, sizeof cookie);
    memset(p, 0, sizeof *p);
    p->user_id = u.id;
    p->email = u.email;
    p->display_name = u.display_name;
    p->session_hash = s.id_hash;
    p->csrf_token = s.csrf_token;
    p->role = role;
    if (have_org) {
        p->org_id = o.id;
        p->org_slug = o.slug;
        p->org_name = o.name;
    }
    return CORE_OK;
}

int app_logout(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    app_principal *p = app_principal_mut(req);
    if (!ctx || !p) return CORE_ERR;
    http_res_cookie(req, APP_SESSION_COOKIE, "", 0, HTTP_COOKIE_DELETE);
    if (!p->session_hash) return CORE_OK;
    store_conn *c = NULL;
    int rc = store_acquire(ctx->store, &c);
    if (rc != CORE_OK) return rc;
    rc = store_begin(c);
    if (rc == CORE_OK) rc = store_session_delete(c, p->session_hash);
    if (rc == CORE_NOTFOUND) rc = CORE_OK;
    if (rc == CORE_OK && p->user_id > 0) {
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)p->user_id);
        rc = app_audit(req, c, p->org_id, "user", idbuf, "logout", NULL, NULL);
    }
    if (rc == CORE_OK) rc = store_commit(c);
    store_release(ctx->store, c);
    if (rc == CORE_OK) {
        memset(p, 0, sizeof *p);
        p->role = CORE_ROLE_NONE;
    }
    return rc;
}

int app_switch_org(http_req *req, int64_t org_id)
{
    app_ctx *ctx = app_ctx_of(req);
    app_principal *p = app_principal_mut(req);
    core_arena *a = http_req_arena(req);
    if (!ctx || !p || p->user_id <= 0 || !p->session_hash || p->token_id > 0) return CORE_DENIED;
    if (org_id <= 0) return CORE_NOTFOUND;
    store_conn *c = NULL;
    int rc = store_acquire(ctx->store, &c);
    if (rc != CORE_OK) return rc;
    store_member m;
    store_org o;
    rc = store_member_get(c, a, org_id, p->user_id, &m);
    if (rc == CORE_OK) rc = store_org_get(c, a, org_id, &o);
    if (rc == CORE_OK) rc = store_begin(c);
    if (rc == CORE_OK) rc = store_session_set_org(c, p->session_hash, org_id);
    if (rc == CORE_OK) {
        char idbuf[24];
        snprintf(idbuf, sizeof idbuf, "%lld", (long long)p->user_id);
        json_t *before = json_pack("{s:I}", "org_id", (json_int_t)p->org_id);
        json_t *after = json_pack("{s:I}", "org_id", (json_int_t)org_id);
        rc = app_audit(req, c, org_id, "user", idbuf, "switch_org", before, after);
        json_decref(before);
        json_decref(after);
    }
    if (rc == CORE_OK) rc = store_commit(c);
    store_release(ctx->store, c);
    if (rc != CORE_OK) return rc;
    p->org_id = o.id;
    p->org_slug = o.slug;
    p->org_name = o.name;
    p->role = m.role;
    return CORE_OK;
}

/* Validates a scope list; writes the canonical form ("read write metrics" order). */
static int scopes_canonical(core_arena *a, const char *in, const char **out)
{
    static const char *const known[] = { "read", "write", "metrics" };
    int seen[3] = { 0, 0, 0 };
    if (!in) return CORE_INVALID;
    const char *s = in;
    int any = 0;
    while (*s) {
        while (*s == ' ') s++;
        if (!*s) break;
        const char *e = s;
        while (*e && *e != ' ') e++;
        size_t n = (size_t)(e - s);
        int k = -1;
        for (int i = 0; i < 3; i++)
            if (strlen(known[i]) == n && memcmp(known[i], s, n) == 0) k = i;
        if (k < 0 || seen[k]) return CORE_INVALID;
        seen[k] = 1;
        any = 1;
        s = e;
    }
    if (!any) return CORE_INVALID;
    char *o = core_arena_printf(a, "%s%s%s%s%s", seen[0] ? "read" : "",
                                seen[0] && (seen[1] || seen[2]) ? " " : "", seen[1] ? "write" : "",
                                seen[1] && seen[2] ? " " : "", seen[2] ? "metrics" : "");
    if (!o) return CORE_NOMEM;
    *out = o;
    return CORE_OK;
}

int app_token_create(http_req *req, store_conn *c, const char *name, const char *scopes,
                     int64_t expires_at, store_token *out, const char **token_out)
{
    app_ctx *ctx = app_ctx_of(req);
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    if (!ctx || !c || !out || !token_out) return CORE_INVALID;
    if (p->user_id <= 0 || p->org_id <= 0) return CORE_DENIED;
    const int64_t now = app_now(ctx);
    size_t nl = name ? strlen(name) : 0;
    if (nl == 0 || nl > 100 || !core_utf8_valid(name, nl)) return CORE_INVALID;
    const char *canon = NULL;
    int rc = scopes_canonical(a, scopes, &canon);
    if (rc != CORE_OK) return rc;
    if (expires_at < 0 || (expires_at != 0 && expires_at <= now)) return CORE_INVALID;
    if (p->token_id > 0) {
        /* A token may mint tokens only within its own scopes (no escalation). */
        static const char *const all[] = { "read", "write", "metrics" };
        for (size_t i = 0; i < 3; i++)
            if (app_scope_has(canon, all[i]) && !app_scope_has(p->scopes, all[i])) return CORE_DENIED;
    }

    char tok[CRY_TOKEN_LEN + 1];
    char hash[CRY_HASH_HEX_LEN + 1];
    if (cry_random_token(tok) != CORE_OK) return CORE_ERR;
    cry_hash_hex(tok, strlen(tok), hash);
    memset(out, 0, sizeof *out);
    out->org_id = p->org_id;
    out->user_id = p->user_id;
    out->name = core_arena_strdup(a, name);
    out->token_hash = core_arena_strdup(a, hash);
    out->scopes = canon;
    out->expires_at = expires_at;
    char *clear = core_arena_strdup(a, tok);
    sodium_memzero(tok, sizeof tok);
    if (!out->name || !out->token_hash || !clear) return CORE_NOMEM;
    rc = store_token_create(c, out);
    if (rc != CORE_OK) return rc;
    char idbuf[24];
    snprintf(idbuf, sizeof idbuf, "%lld", (long long)out->id);
    json_t *after = json_pack("{s:I, s:s, s:s, s:I, s:I}", "id", (json_int_t)out->id, "name", out->name,
                              "scopes", canon, "user_id", (json_int_t)out->user_id,
                              "expires_at", (json_int_t)expires_at);
    rc = app_audit(req, c, p->org_id, "token", idbuf, "create", NULL, after);
    json_decref(after);
    if (rc != CORE_OK) return rc;
    *token_out = clear;
    return CORE_OK;
}
