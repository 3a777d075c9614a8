/* repo_misc: sessions, API tokens, products and settings.
 *
 * Sessions and tokens are looked up by the BLAKE2b of their secret (the
 * secret itself is never stored). Token and product reads and changes that
 * take an org id filter by it in SQL, so an id from another organisation
 * behaves exactly like an id that does not exist.
 */
#include <string.h>

#include "store/store_db.h"

#define SESSION_COLS "id_hash, user_id, COALESCE(org_id, 0), csrf_token, totp_pending, created_at," \
                     " last_seen_at"
#define TOKEN_COLS "id, org_id, user_id, name, token_hash, scopes, created_at, expires_at," \
                   " revoked_at, last_used_at"
#define PRODUCT_COLS "id, org_id, slug, name, kind, description, created_at"

static const sdb_sql q_session_create = {Q_SESSION_CREATE, "session_create",
    "INSERT INTO sessions (id_hash, user_id, org_id, csrf_token, totp_pending, created_at,"
    " last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?)", NULL};
static const sdb_sql q_session_get = {Q_SESSION_GET, "session_get",
    "SELECT " SESSION_COLS " FROM sessions WHERE id_hash = ?", NULL};
static const sdb_sql q_session_touch = {Q_SESSION_TOUCH, "session_touch",
    "UPDATE sessions SET last_seen_at = ? WHERE id_hash = ?", NULL};
static const sdb_sql q_session_set_org = {Q_SESSION_SET_ORG, "session_set_org",
    "UPDATE sessions SET org_id = ? WHERE id_hash = ?", NULL};
static const sdb_sql q_session_totp_done = {Q_SESSION_TOTP_DONE, "session_set_totp_done",
    "UPDATE sessions SET totp_pending = 0 WHERE id_hash = ?", NULL};
static const sdb_sql q_session_delete = {Q_SESSION_DELETE, "session_delete",
    "DELETE FROM sessions WHERE id_hash = ?", NULL};
static const sdb_sql q_session_delete_user = {Q_SESSION_DELETE_USER, "session_delete_user",
    "DELETE FROM sessions WHERE user_id = ?", NULL};
static const sdb_sql q_session_purge = {Q_SESSION_PURGE, "session_purge",
    "DELETE FROM sessions WHERE last_seen_at < ? OR created_at < ?", NULL};

static const sdb_sql q_token_create = {Q_TOKEN_CREATE, "token_create",
    "INSERT INTO api_tokens (org_id, user_id, name, token_hash, scopes, created_at, expires_at,"
    " revoked_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_token_get_hash = {Q_TOKEN_GET_HASH, "token_get_by_hash",
    "SELECT " TOKEN_COLS " FROM api_tokens WHERE token_hash = ?", NULL};
static const sdb_sql q_token_list = {Q_TOKEN_LIST, "token_list",
    "SELECT " TOKEN_COLS " FROM api_tokens WHERE org_id = ? ORDER BY id", NULL};
static const sdb_sql q_token_revoke = {Q_TOKEN_REVOKE, "token_revoke",
    "UPDATE api_tokens SET revoked_at = ? WHERE org_id = ? AND id = ? AND revoked_at = 0", NULL};
static const sdb_sql q_token_touch = {Q_TOKEN_TOUCH, "token_touch",
    "UPDATE api_tokens SET last_used_at = ? WHERE id = ?", NULL};

static const sdb_sql q_product_create = {Q_PRODUCT_CREATE, "product_create",
    "INSERT INTO products (org_id, slug, name, kind, description, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_product_get = {Q_PRODUCT_GET, "product_get",
    "SELECT " PRODUCT_COLS " FROM products WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_product_list = {Q_PRODUCT_LIST, "product_list",
    "SELECT " PRODUCT_COLS " FROM products WHERE org_id = ? ORDER BY id", NULL};

static const sdb_sql q_setting_get = {Q_SETTING_GET, "setting_get",
    "SELECT value FROM settings WHERE key = ?", NULL};
static const sdb_sql q_setting_set = {Q_SETTING_SET, "setting_set",
    "INSERT INTO settings (key, value) VALUES (?, ?)"
    " ON CONFLICT (key) DO UPDATE SET value = excluded.value", NULL};

/* Runs q with one text key and optionally one int before it. */
static int run_key(store_conn *c, const sdb_sql *q, const char *key, int with_int, int64_t v,
                   int want_change)
{
    if (!key)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    int i = 1;
    if (with_int)
        sdb_int(st, i++, v);
    sdb_text(st, i, key);
    return sdb_run(st, want_change);
}

/* ---- sessions ---- */

int store_session_create(store_conn *c, const store_session *s)
{
    if (!s->id_hash || !s->csrf_token || !s->user_id)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_session_create, &st);
    if (rc != CORE_OK)
        return rc;
    int64_t now = sdb_now();
    sdb_text(st, 1, s->id_hash);
    sdb_int(st, 2, s->user_id);
    sdb_id_or_null(st, 3, s->org_id);
    sdb_text(st, 4, s->csrf_token);
    sdb_int(st, 5, s->totp_pending ? 1 : 0);
    sdb_int(st, 6, s->created_at ? s->created_at : now);
    sdb_int(st, 7, s->last_seen_at ? s->last_seen_at : now);
    return sdb_run(st, 0);
}

int store_session_get(store_conn *c, core_arena *a, const char *id_hash, store_session *out)
{
    if (!id_hash)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_session_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, id_hash);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        memset(out, 0, sizeof *out);
        out->id_hash = sdb_col_dup(st, a, 0);
        out->user_id = sdb_col_int(st, 1);
        out->org_id = sdb_col_int(st, 2);
        out->csrf_token = sdb_col_dup(st, a, 3);
        out->totp_pending = (int)sdb_col_int(st, 4);
        out->created_at = sdb_col_int(st, 5);
        out->last_seen_at = sdb_col_int(st, 6);
        rc = (out->id_hash && out->csrf_token) ? CORE_OK : CORE_NOMEM;
    } else if (rc == SDB_DONE) {
        rc = CORE_NOTFOUND;
    }
    sdb_finish(st);
    return rc;
}

int store_session_touch(store_conn *c, const char *id_hash, int64_t now)
{
    return run_key(c, &q_session_touch, id_hash, 1, now, 1);
}

int store_session_set_org(store_conn *c, const char *id_hash, int64_t org_id)
{
    if (!id_hash)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_session_set_org, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_id_or_null(st, 1, org_id);
    sdb_text(st, 2, id_hash);
    return sdb_run(st, 1);
}

int store_session_set_totp_done(store_conn *c, const char *id_hash)
{
    return run_key(c, &q_session_totp_done, id_hash, 0, 0, 1);
}

int store_session_delete(store_conn *c, const char *id_hash)
{
    return run_key(c, &q_session_delete, id_hash, 0, 0, 0);
}

int store_session_delete_user(store_conn *c, int64_t user_id)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_session_delete_user, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, user_id);
    return sdb_run(st, 0);
}

int store_session_purge(store_conn *c, int64_t idle_before, int64_t created_before)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_session_purge, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, idle_before);
    sdb_int(st, 2, created_before);
    return sdb_run(st, 0);
}

/* ---- API tokens ---- */

static int read_token(sdb_stmt *st, core_arena *a, void *row)
{
    store_token *t = row;
    memset(t, 0, sizeof *t);
    t->id = sdb_col_int(st, 0);
    t->org_id = sdb_col_int(st, 1);
    t->user_id = sdb_col_int(st, 2);
    t->name = sdb_col_dup(st, a, 3);
    t->token_hash = sdb_col_dup(st, a, 4);
    t->scopes = sdb_col_dup(st, a, 5);
    t->created_at = sdb_col_int(st, 6);
    t->expires_at = sdb_col_int(st, 7);
    t->revoked_at = sdb_col_int(st, 8);
    t->last_used_at = sdb_col_int(st, 9);
    return (t->name && t->token_hash && t->scopes) ? CORE_OK : CORE_NOMEM;
}

int store_token_create(store_conn *c, store_token *t)
{
    if (!t->org_id || !t->user_id || !t->name || !t->token_hash || !t->scopes)
        return CORE_INVALID;
    if (!t->created_at)
        t->created_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_token_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, t->org_id);
    sdb_int(st, 2, t->user_id);
    sdb_text(st, 3, t->name);
    sdb_text(st, 4, t->token_hash);
    sdb_text(st, 5, t->scopes);
    sdb_int(st, 6, t->created_at);
    sdb_int(st, 7, t->expires_at);
    sdb_int(st, 8, t->revoked_at);
    sdb_int(st, 9, t->last_used_at);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        t->id = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_ERR;
    }
    sdb_finish(st);
    return rc;
}

int store_token_get_by_hash(store_conn *c, core_arena *a, const char *token_hash, store_token *out)
{
    if (!token_hash)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_token_get_hash, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, token_hash);
    return sdb_fetch_one(st, a, read_token, out);
}

int store_token_list(store_conn *c, core_arena *a, int64_t org_id, store_token **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_token_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_token, sizeof **out, (void **)out, n);
}

int store_token_revoke(store_conn *c, int64_t org_id, int64_t token_id, int64_t now)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_token_revoke, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, now ? now : sdb_now());
    sdb_int(st, 2, org_id);
    sdb_int(st, 3, token_id);
    return sdb_run(st, 1);
}

int store_token_touch(store_conn *c, int64_t token_id, int64_t now)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_token_touch, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, now);
    sdb_int(st, 2, token_id);
    return sdb_run(st, 1);
}

/* ---- products ---- */

static int read_product(sdb_stmt *st, core_arena *a, void *row)
{
    store_product *p = row;
    memset(p, 0, sizeof *p);
    p->id = sdb_col_int(st, 0);
    p->org_id = sdb_col_int(st, 1);
    p->slug = sdb_col_dup(st, a, 2);
    p->name = sdb_col_dup(st, a, 3);
    p->kind = sdb_col_dup(st, a, 4);
    p->description = sdb_col_dup(st, a, 5);
    p->created_at = sdb_col_int(st, 6);
    return (p->slug && p->name && p->kind) ? CORE_OK : CORE_NOMEM;
}

int store_product_create(store_conn *c, store_product *p)
{
    if (!p->org_id || !p->slug || !core_slug_valid(p->slug) || !p->name || !p->kind ||
        (strcmp(p->kind, "product") != 0 && strcmp(p->kind, "service") != 0 &&
         strcmp(p->kind, "feature") != 0))
        return CORE_INVALID;
    if (!p->created_at)
        p->created_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_product_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, p->org_id);
    sdb_text(st, 2, p->slug);
    sdb_text(st, 3, p->name);
    sdb_text(st, 4, p->kind);
    sdb_text(st, 5, p->description);
    sdb_int(st, 6, p->created_at);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        p->id = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_ERR;
    }
    sdb_finish(st);
    return rc;
}

int store_product_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_product *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_product_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, id);
    return sdb_fetch_one(st, a, read_product, out);
}

int store_product_list(store_conn *c, core_arena *a, int64_t org_id, store_product **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_product_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_product, sizeof **out, (void **)out, n);
}

/* ---- settings ---- */

int store_setting_get(store_conn *c, core_arena *a, const char *key, const char **value)
{
    if (!key)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_setting_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, key);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        *value = sdb_col_dup(st, a, 0);
        rc = *value ? CORE_OK : CORE_NOMEM;
    } else if (rc == SDB_DONE) {
        rc = CORE_NOTFOUND;
    }
    sdb_finish(st);
    return rc;
}

int store_setting_set(store_conn *c, const char *key, const char *value)
{
    if (!key || !value)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_setting_set, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, key);
    sdb_text(st, 2, value);
    return sdb_run(st, 0);
}
