/* app: what every hrdd route shares: the application context, who is asking
 * (the principal), the one authorization decision per route, staff sessions,
 * API tokens, login with throttling and the optional TOTP second factor, CSRF,
 * and recording state changes in the audit trail.
 *
 * Authentication: a session cookie ("hrdd_session", 256-bit random; only its
 * BLAKE2b is stored) or "Authorization: Bearer <token>" (API tokens, hashed at
 * rest, scoped). Authorization: app_authorize() is the http_config.authorize
 * hook; it resolves the principal, checks core_authz_allows(role, route->perm)
 * and, for state-changing requests authenticated by cookie, the CSRF token
 * (form field "csrf" or header "X-CSRF-Token"). Handlers never re-decide.
 */
#ifndef HRDD_APP_H
#define HRDD_APP_H

#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "http/http.h"
#include "store/store.h"

#define APP_SESSION_COOKIE "hrdd_session"
#define APP_TOTP_PENDING_S 600       /* a session waiting for its TOTP code lives 10 min at most */

typedef struct app_config {
    int64_t session_idle_s;          /* default 30 min */
    int64_t session_absolute_s;      /* default 12 h */
    int login_max_failures;          /* per account before lock; default 5 */
    int64_t login_lock_s;            /* default 15 min */
    int behind_tls;
    /* In-memory throttle of failed logins (sliding window, never persisted;
     * peer addresses are kept only as keyed hashes). */
    int login_peer_max;              /* failures per peer address per window; default 10 */
    int64_t login_peer_window_s;     /* default 15 min */
    int login_global_max;            /* failures over all peers per window; default 1000 */
    int64_t login_global_window_s;   /* default 1 min */
} app_config;

void app_config_defaults(app_config *c);

typedef struct app_throttle app_throttle;   /* in-memory failed-login limiter (per peer and global) */

typedef struct app_ctx {
    store *store;
    app_config cfg;
    unsigned char secret[CRY_SECRET_LEN];
    app_throttle *throttle;
    struct rmd_service *remedy;      /* the grievance mechanism (src/remedy); set by the server */
    struct reg_service *reg;         /* the due diligence register (src/register); set by the server */
    int64_t (*now)(void);            /* clock; tests may replace it */
    char dummy_pw_hash[CRY_PWHASH_MAX]; /* verified against when the account does not exist */
} app_ctx;

int app_ctx_init(app_ctx *ctx, store *s, const app_config *cfg, const unsigned char secret[CRY_SECRET_LEN]);
void app_ctx_cleanup(app_ctx *ctx);

/* Who is asking. Set by app_authorize for every request (anonymous too). */
typedef struct app_principal {
    int64_t user_id;                 /* 0 = anonymous */
    const char *email;
    const char *display_name;
    int64_t org_id;                  /* current organisation; 0 if none */
    const char *org_slug;
    const char *org_name;
    core_role role;                  /* role in org_id; CORE_ROLE_NONE if anonymous */
    int64_t token_id;                /* > 0 when authenticated by API token */
    const char *scopes;              /* token scopes, NULL for sessions */
    const char *session_hash;        /* NULL for tokens and anonymous */
    const char *csrf_token;          /* session's CSRF token, to put in forms; set whenever a
                                        session exists (TOTP-pending ones too): every
                                        state-changing form must carry it as field "csrf" */
    /* A session that passed the password but still owes the TOTP code: the
     * principal stays anonymous (user_id 0, role NONE) except for these two
     * fields; the TOTP form route (perm PUBLIC) checks totp_pending and calls
     * app_login_totp. */
    int totp_pending;
    int64_t pending_user_id;
} app_principal;

/* The http_config.authorize hook. */
int app_authorize(http_req *req, const http_route *route);
/* The principal of a request: never NULL once app_authorize has run. */
const app_principal *app_principal_of(http_req *req);
app_ctx *app_ctx_of(http_req *req);

/* Routes with an "{org}" parameter (slug or numeric id) act on that
 * organisation: app_authorize resolves it, looks up the user's membership
 * there and decides with that role, so principal->org_id is the route's org
 * when the handler runs. Not a member (or no such org) -> 404, never 403, so
 * that nobody learns which other tenants exist. An API token only ever acts
 * in its own organisation. */

/* ---- login, sessions, tokens ---- */
typedef enum app_login_result {
    APP_LOGIN_OK = 0,
    APP_LOGIN_TOTP_NEEDED,           /* session created with totp_pending = 1 */
    APP_LOGIN_BAD,                   /* wrong email or password (one answer for both) */
    APP_LOGIN_THROTTLED,             /* too many failures; try later (429) */
    APP_LOGIN_DISABLED,
    APP_LOGIN_UNAVAILABLE            /* storage trouble (locked, full, unreachable): 503 */
} app_login_result;

/* app_login, app_login_totp, app_logout and app_switch_org take their own
 * store connection and transaction: do not call them while holding one.
 * They update the request's principal, so a page rendered afterwards in the
 * same request sees the new session (and its CSRF token). */
/* Verifies credentials (constant work whether or not the account exists),
 * applies throttling, creates a session and sets its cookie on req. Any
 * session cookie the request carried is deleted (no fixation). Only the
 * success is audited ("login"); failures are counted (account lock, throttle). */
app_login_result app_login(http_req *req, const char *email, const char *password);
/* Completes a pending session: CORE_OK (new session id and CSRF token, cookie
 * replaced), CORE_DENIED (wrong code), CORE_CONFLICT (throttled: too many
 * attempts), CORE_BUSY or another store status (storage trouble: 503),
 * CORE_INVALID (no pending session). */
int app_login_totp(http_req *req, const char *code);
int app_logout(http_req *req);                                    /* deletes session, clears cookie */
int app_switch_org(http_req *req, int64_t org_id);               /* must be a member; else CORE_NOTFOUND */

/* Creates an API token for the principal's org; *token_out is the clear token
 * (shown once, in the arena). scopes: space-separated subset of "read write metrics"
 * (stored in that canonical order). Call within c's open transaction (it appends
 * the audit entry). CORE_INVALID on a bad name, scope or expiry. */
int app_token_create(http_req *req, store_conn *c, const char *name, const char *scopes,
                     int64_t expires_at, store_token *out, const char **token_out);

/* ---- audit helper ---- */
/* Appends an audit entry for the principal of req (or "cli"/"system" when req
 * is NULL), within c's open transaction. before/after are JSON values of the
 * object (digested, never stored), either may be NULL. */
int app_audit(http_req *req, store_conn *c, int64_t org_id, const char *object_type,
              const char *object_id, const char *action, json_t *before, json_t *after);
/* Digest helper shared by the CLI: BLAKE2b hex of the canonical JSON dump. */
void app_json_digest(json_t *v, char out[CRY_HASH_HEX_LEN + 1]);

/* Acquire a connection for a handler; on failure sets a 503 problem. */
int app_conn(http_req *req, store_conn **out);
void app_conn_release(http_req *req, store_conn *c);

/* Maps a store status to a response (404, 409, 503, 500) with a problem body
 * or the HTML error page, according to the route kind. */
void app_fail(http_req *req, int status_code_core, const char *field);
/* For a 503: adds the storage cause of this request (store_busy_cause_take,
 * a fixed text such as "storage: database is locked") to its access-log line
 * as "cause", once. No request content, no client address. */
void app_log_busy_cause(http_req *req);

#endif
