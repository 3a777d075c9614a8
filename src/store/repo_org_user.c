/* repo_org_user: organisations, staff accounts and memberships.
 *
 * Organisations and users are the two installation-wide records; memberships
 * tie them together with a role (stored as its name, core_role_name). All
 * SQL is constant with `?` placeholders; results are copied into the
 * caller's arena.
 */
#include <string.h>

#include "store/store_db.h"

#define ORG_COLS "id, slug, name, kind, COALESCE(parent_id, 0), description, created_at"
#define USER_COLS "id, email, display_name, pw_hash, totp_secret, disabled, failed_logins," \
                  " locked_until, created_at, last_login_at"
#define USER_COLS_U "u.id, u.email, u.display_name, u.pw_hash, u.totp_secret, u.disabled," \
                    " u.failed_logins, u.locked_until, u.created_at, u.last_login_at"
#define ORG_COLS_O "o.id, o.slug, o.name, o.kind, COALESCE(o.parent_id, 0), o.description, o.created_at"

static const sdb_sql q_org_create = {Q_ORG_CREATE, "org_create",
    "INSERT INTO orgs (slug, name, kind, parent_id, description, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_org_get = {Q_ORG_GET, "org_get",
    "SELECT " ORG_COLS " FROM orgs WHERE id = ?", NULL};
static const sdb_sql q_org_get_slug = {Q_ORG_GET_SLUG, "org_get_by_slug",
    "SELECT " ORG_COLS " FROM orgs WHERE slug = ?", NULL};
static const sdb_sql q_org_list = {Q_ORG_LIST, "org_list",
    "SELECT " ORG_COLS " FROM orgs ORDER BY id", NULL};
static const sdb_sql q_org_first = {Q_ORG_FIRST, "org_first",
    "SELECT " ORG_COLS " FROM orgs ORDER BY id LIMIT 1", NULL};
static const sdb_sql q_org_update = {Q_ORG_UPDATE, "org_update",
    "UPDATE orgs SET name = ?, description = ? WHERE id = ?", NULL};

static const sdb_sql q_user_create = {Q_USER_CREATE, "user_create",
    "INSERT INTO users (email, display_name, pw_hash, totp_secret, disabled, failed_logins,"
    " locked_until, created_at, last_login_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_user_get = {Q_USER_GET, "user_get",
    "SELECT " USER_COLS " FROM users WHERE id = ?", NULL};
static const sdb_sql q_user_get_email = {Q_USER_GET_EMAIL, "user_get_by_email",
    "SELECT " USER_COLS " FROM users WHERE email = ?", NULL};
static const sdb_sql q_user_list = {Q_USER_LIST, "user_list_all",
    "SELECT " USER_COLS " FROM users ORDER BY id", NULL};
static const sdb_sql q_user_set_pw = {Q_USER_SET_PW, "user_set_password",
    "UPDATE users SET pw_hash = ? WHERE id = ?", NULL};
static const sdb_sql q_user_set_disabled = {Q_USER_SET_DISABLED, "user_set_disabled",
    "UPDATE users SET disabled = ? WHERE id = ?", NULL};
static const sdb_sql q_user_set_totp = {Q_USER_SET_TOTP, "user_set_totp",
    "UPDATE users SET totp_secret = ? WHERE id = ?", NULL};
static const sdb_sql q_user_set_name = {Q_USER_SET_NAME, "user_set_display_name",
    "UPDATE users SET display_name = ? WHERE id = ?", NULL};
static const sdb_sql q_user_login_ok = {Q_USER_LOGIN_OK, "user_login_ok",
    "UPDATE users SET failed_logins = 0, locked_until = 0, last_login_at = ? WHERE id = ?", NULL};
static const sdb_sql q_user_login_fail = {Q_USER_LOGIN_FAIL, "user_login_fail",
    "UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", NULL};
static const sdb_sql q_user_login_fail_lock = {Q_USER_LOGIN_FAIL_LOCK, "user_login_fail",
    "UPDATE users SET failed_logins = failed_logins + 1, locked_until = ? WHERE id = ?", NULL};

static const sdb_sql q_member_set = {Q_MEMBER_SET, "member_set",
    "INSERT INTO memberships (org_id, user_id, role) VALUES (?, ?, ?)"
    " ON CONFLICT (org_id, user_id) DO UPDATE SET role = excluded.role", NULL};
static const sdb_sql q_member_remove = {Q_MEMBER_REMOVE, "member_remove",
    "DELETE FROM memberships WHERE org_id = ? AND user_id = ?", NULL};
static const sdb_sql q_member_get = {Q_MEMBER_GET, "member_get",
    "SELECT " USER_COLS_U ", m.role FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.org_id = ? AND m.user_id = ?", NULL};
static const sdb_sql q_member_list = {Q_MEMBER_LIST, "member_list",
    "SELECT " USER_COLS_U ", m.role FROM memberships m JOIN users u ON u.id = m.user_id"
    " WHERE m.org_id = ? ORDER BY u.id", NULL};
static const sdb_sql q_membership_list = {Q_MEMBERSHIP_LIST, "membership_list",
    "SELECT " ORG_COLS_O ", m.role FROM memberships m JOIN orgs o ON o.id = m.org_id"
    " WHERE m.user_id = ? ORDER BY o.id", NULL};

/* ---- organisations ---- */

static int read_org(sdb_stmt *st, core_arena *a, int base, store_org *o)
{
    memset(o, 0, sizeof *o);
    o->id = sdb_col_int(st, base + 0);
    o->slug = sdb_col_dup(st, a, base + 1);
    o->name = sdb_col_dup(st, a, base + 2);
    o->kind = sdb_col_dup(st, a, base + 3);
    o->parent_id = sdb_col_int(st, base + 4);
    o->description = sdb_col_dup(st, a, base + 5);
    o->created_at = sdb_col_int(st, base + 6);
    return (o->slug && o->name && o->kind) ? CORE_OK : CORE_NOMEM;
}

static int read_org_row(sdb_stmt *st, core_arena *a, void *row)
{
    return read_org(st, a, 0, row);
}

static int kind_valid(const char *k, const char *a, const char *b, const char *c)
{
    return k && (strcmp(k, a) == 0 || strcmp(k, b) == 0 || (c && strcmp(k, c) == 0));
}

int store_org_create(store_conn *c, store_org *o)
{
    if (!o->slug || !core_slug_valid(o->slug) || !o->name ||
        !kind_valid(o->kind, "company", "sector_body", NULL))
        return CORE_INVALID;
    if (!o->created_at)
        o->created_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_org_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, o->slug);
    sdb_text(st, 2, o->name);
    sdb_text(st, 3, o->kind);
    sdb_id_or_null(st, 4, o->parent_id);
    sdb_text(st, 5, o->description);
    sdb_int(st, 6, o->created_at);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        o->id = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_ERR;
    }
    sdb_finish(st);
    return rc;
}

static int org_one(store_conn *c, core_arena *a, const sdb_sql *q, int64_t id, const char *key,
                   store_org *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    if (key)
        sdb_text(st, 1, key);
    else if (q->id == Q_ORG_GET)
        sdb_int(st, 1, id);
    return sdb_fetch_one(st, a, read_org_row, out);
}

int store_org_get(store_conn *c, core_arena *a, int64_t id, store_org *out)
{
    return org_one(c, a, &q_org_get, id, NULL, out);
}

int store_org_get_by_slug(store_conn *c, core_arena *a, const char *slug, store_org *out)
{
    if (!slug)
        return CORE_INVALID;
    return org_one(c, a, &q_org_get_slug, 0, slug, out);
}

int store_org_first(store_conn *c, core_arena *a, store_org *out)
{
    return org_one(c, a, &q_org_first, 0, NULL, out);
}

int store_org_list(store_conn *c, core_arena *a, store_org **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_org_list, &st);
    if (rc != CORE_OK)
        return rc;
    return sdb_fetch_all(st, a, read_org_row, sizeof **out, (void **)out, n);
}

int store_org_update(store_conn *c, const store_org *o)
{
    if (!o->name)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_org_update, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, o->name);
    sdb_text(st, 2, o->description);
    sdb_int(st, 3, o->id);
    return sdb_run(st, 1);
}

/* ---- users ---- */

static int read_user(sdb_stmt *st, core_arena *a, void *row)
{
    store_user *u = row;
    memset(u, 0, sizeof *u);
    u->id = sdb_col_int(st, 0);
    u->email = sdb_col_dup(st, a, 1);
    u->display_name = sdb_col_dup(st, a, 2);
    u->pw_hash = sdb_col_dup(st, a, 3);
    u->totp_secret = sdb_col_dup(st, a, 4);
    u->disabled = (int)sdb_col_int(st, 5);
    u->failed_logins = (int)sdb_col_int(st, 6);
    u->locked_until = sdb_col_int(st, 7);
    u->created_at = sdb_col_int(st, 8);
    u->last_login_at = sdb_col_int(st, 9);
    return (u->email && u->display_name && u->pw_hash) ? CORE_OK : CORE_NOMEM;
}

int store_user_create(store_conn *c, store_user *u)
{
    if (!u->email || !u->display_name || !u->pw_hash)
        return CORE_INVALID;
    if (!u->created_at)
        u->created_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_user_create, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, u->email);
    sdb_text(st, 2, u->display_name);
    sdb_text(st, 3, u->pw_hash);
    sdb_text(st, 4, u->totp_secret);
    sdb_int(st, 5, u->disabled ? 1 : 0);
    sdb_int(st, 6, u->failed_logins);
    sdb_int(st, 7, u->locked_until);
    sdb_int(st, 8, u->created_at);
    sdb_int(st, 9, u->last_login_at);
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        u->id = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_ERR;
    }
    sdb_finish(st);
    return rc;
}

static int user_one(store_conn *c, core_arena *a, const sdb_sql *q, int64_t id, const char *email,
                    store_user *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    if (email)
        sdb_text(st, 1, email);
    else
        sdb_int(st, 1, id);
    return sdb_fetch_one(st, a, read_user, out);
}

int store_user_get(store_conn *c, core_arena *a, int64_t id, store_user *out)
{
    return user_one(c, a, &q_user_get, id, NULL, out);
}

int store_user_get_by_email(store_conn *c, core_arena *a, const char *email, store_user *out)
{
    if (!email)
        return CORE_INVALID;
    return user_one(c, a, &q_user_get_email, 0, email, out);
}

int store_user_list_all(store_conn *c, core_arena *a, store_user **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_user_list, &st);
    if (rc != CORE_OK)
        return rc;
    return sdb_fetch_all(st, a, read_user, sizeof **out, (void **)out, n);
}

static int user_set_text(store_conn *c, const sdb_sql *q, int64_t id, const char *v)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, v);
    sdb_int(st, 2, id);
    return sdb_run(st, 1);
}

static int user_set_int(store_conn *c, const sdb_sql *q, int64_t id, int64_t v)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, v);
    sdb_int(st, 2, id);
    return sdb_run(st, 1);
}

int store_user_set_password(store_conn *c, int64_t user_id, const char *pw_hash)
{
    if (!pw_hash)
        return CORE_INVALID;
    return user_set_text(c, &q_user_set_pw, user_id, pw_hash);
}

int store_user_set_disabled(store_conn *c, int64_t user_id, int disabled)
{
    return user_set_int(c, &q_user_set_disabled, user_id, disabled ? 1 : 0);
}

int store_user_set_totp(store_conn *c, int64_t user_id, const char *secret_or_null)
{
    return user_set_text(c, &q_user_set_totp, user_id, secret_or_null);
}

int store_user_set_display_name(store_conn *c, int64_t user_id, const char *name)
{
    if (!name)
        return CORE_INVALID;
    return user_set_text(c, &q_user_set_name, user_id, name);
}

int store_user_login_result(store_conn *c, int64_t user_id, int success, int64_t now,
                            int64_t locked_until)
{
    if (success)
        return user_set_int(c, &q_user_login_ok, user_id, now);
    if (locked_until)
        return user_set_int(c, &q_user_login_fail_lock, user_id, locked_until);
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_user_login_fail, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, user_id);
    return sdb_run(st, 1);
}

/* ---- memberships ---- */

int store_member_set(store_conn *c, int64_t org_id, int64_t user_id, core_role role)
{
    if (role <= CORE_ROLE_NONE || role >= CORE_ROLE__COUNT)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_member_set, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, user_id);
    sdb_text(st, 3, core_role_name(role));
    return sdb_run(st, 0);
}

int store_member_remove(store_conn *c, int64_t org_id, int64_t user_id)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_member_remove, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, user_id);
    return sdb_run(st, 1);
}

static int read_member(sdb_stmt *st, core_arena *a, void *row)
{
    store_member *m = row;
    int rc = read_user(st, a, &m->user);
    if (rc != CORE_OK)
        return rc;
    const char *r = sdb_col_text(st, 10);
    if (!r || core_role_parse(r, &m->role) != CORE_OK)
        m->role = CORE_ROLE_NONE;
    return CORE_OK;
}

int store_member_get(store_conn *c, core_arena *a, int64_t org_id, int64_t user_id, store_member *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_member_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, user_id);
    return sdb_fetch_one(st, a, read_member, out);
}

int store_member_list(store_conn *c, core_arena *a, int64_t org_id, store_member **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_member_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_member, sizeof **out, (void **)out, n);
}

static int read_membership(sdb_stmt *st, core_arena *a, void *row)
{
    store_membership *m = row;
    int rc = read_org(st, a, 0, &m->org);
    const char *r = sdb_col_text(st, 7);
    if (!r || core_role_parse(r, &m->role) != CORE_OK)
        m->role = CORE_ROLE_NONE;
    return rc;
}

int store_membership_list(store_conn *c, core_arena *a, int64_t user_id,
                          store_membership **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_membership_list, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, user_id);
    return sdb_fetch_all(st, a, read_membership, sizeof **out, (void **)out, n);
}
