/* web_users: the members of the current organisation (list for readers;
 * add, change role, disable for those who manage users) and the products and
 * services catalogue. Every change runs in one transaction with its audit
 * entry; every lookup is scoped to the principal's organisation, so an id
 * from another tenant is simply "not found".
 */
#include <ctype.h>
#include <string.h>

#include "app/app.h"
#include "crypto/crypto.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

#define PASSWORD_MIN 12
#define PASSWORD_MAX 1024

json_t *web_role_options(const char *lang, core_role sel)
{
    json_t *opts = json_array();
    for (int r = CORE_ROLE_ADMIN; r < CORE_ROLE__COUNT; r++)
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", core_role_name((core_role)r),
                                              "label", web_role_label(lang, (core_role)r),
                                              "selected", r == (int)sel));
    return opts;
}

static json_t *member_json(core_arena *a, const char *lang, const store_member *m)
{
    json_t *o = json_pack("{s:I, s:s?, s:s?, s:s, s:s, s:b, s:s}", "id", (json_int_t)m->user.id,
                          "name", m->user.display_name, "email", m->user.email,
                          "role_label", web_role_label(lang, m->role),
                          "status_label", web_msg(lang, m->user.disabled ? "users.disabled" : "users.active"),
                          "disabled", m->user.disabled,
                          "last_login", m->user.last_login_at ? web_fmt_time(a, lang, m->user.last_login_at)
                                                              : web_msg(lang, "users.never"));
    if (o)
        json_object_set_new(o, "roles", web_role_options(lang, m->role));
    return o;
}

/* Renders the users page; ctx may carry form values and errors. */
static int users_page(http_req *req, int status, json_t *ctx)
{
    const app_principal *p = app_principal_of(req);
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_member *ms = NULL;
    size_t n = 0;
    int rc = store_member_list(c, a, p->org_id, &ms, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *m = member_json(a, lang, &ms[i]);
        if (m && ms[i].user.id == p->user_id)
            json_object_set_new(m, "self", json_true());   /* no form to lock oneself out */
        json_array_append_new(list, m);
    }
    json_object_set_new(ctx, "members", list);
    json_object_set_new(ctx, "can_manage", json_boolean(core_authz_allows(p->role, CORE_PERM_USERS_MANAGE)));
    if (!json_object_get(ctx, "new_roles"))
        json_object_set_new(ctx, "new_roles", web_role_options(lang, CORE_ROLE_ANALYST));
    return web_page(req, status, "users", "users.title", ctx);
}

int web_handle_users(http_req *req)
{
    return users_page(req, 200, NULL);
}

static json_t *user_after(const store_user *u, core_role role)
{
    return json_pack("{s:I, s:s?, s:s?, s:b, s:s}", "id", (json_int_t)u->id, "email", u->email,
                     "display_name", u->display_name, "disabled", u->disabled, "role",
                     core_role_name(role));
}

/* Adds a member. A new e-mail address creates the account (name and
 * password required); an existing account is added as a member without
 * touching its name or password (as the API does). */
int web_handle_user_add(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const char *email_in = web_form(req, "email");
    const char *name = web_form(req, "display_name");
    const char *password = http_req_form(req, "password");
    const char *role_s = web_form(req, "role");
    core_role role = CORE_ROLE_NONE;

    char *email = core_arena_strdup(a, email_in);
    for (char *q = email; q && *q; q++)
        *q = (char)tolower((unsigned char)*q);

    json_t *ctx = web_ctx(req);
    if (!ctx || !email) {
        json_decref(ctx);
        return CORE_NOMEM;
    }
    int utf_ok = core_utf8_valid(email_in, strlen(email_in)) && core_utf8_valid(name, strlen(name));
    json_object_set_new(ctx, "form", json_pack("{s:s, s:s}", "email", utf_ok ? email_in : "",
                                               "display_name", utf_ok ? name : ""));
    if (!core_email_valid(email))
        web_add_error(req, ctx, "email", "users.error.email");
    /* what is wrong whether or not the account exists is reported at once */
    if (strlen(name) > 200 || !core_utf8_valid(name, strlen(name)))
        web_add_error(req, ctx, "display_name", "users.error.name");
    if (password && *password && (strlen(password) < PASSWORD_MIN || strlen(password) > PASSWORD_MAX))
        web_add_error(req, ctx, "password", "users.error.password");
    if (core_role_parse(role_s, &role) != CORE_OK || role == CORE_ROLE_NONE)
        web_add_error(req, ctx, "role", "users.error.role");
    else
        json_object_set_new(ctx, "new_roles", web_role_options(lang, role));
    if (json_object_get(ctx, "errors"))
        return users_page(req, 400, ctx);

    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_user existing;
    int rc = store_user_get_by_email(c, a, email, &existing);
    int exists = rc == CORE_OK;
    if (rc != CORE_OK && rc != CORE_NOTFOUND) {
        app_conn_release(req, c);
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!exists) {
        size_t pl = password ? strlen(password) : 0;
        if (!*name || strlen(name) > 200 || !core_utf8_valid(name, strlen(name)))
            web_add_error(req, ctx, "display_name", "users.error.name");
        if (pl < PASSWORD_MIN || pl > PASSWORD_MAX)
            web_add_error(req, ctx, "password", "users.error.password");
        if (json_object_get(ctx, "errors")) {
            app_conn_release(req, c);
            return users_page(req, 400, ctx);
        }
    }

    /* argon2id is slow: hash before the transaction so no write lock is held */
    char hash[CRY_PWHASH_MAX] = "";
    if (!exists && cry_password_hash(password, hash) != CORE_OK) {
        app_conn_release(req, c);
        json_decref(ctx);
        app_fail(req, CORE_ERR, NULL);
        return CORE_OK;
    }
    store_user u = existing;
    int already = 0;
    rc = store_begin(c);
    if (rc == CORE_OK && exists) {
        store_member cur;
        rc = store_member_get(c, a, p->org_id, existing.id, &cur);
        if (rc == CORE_OK)
            already = 1;
        else if (rc == CORE_NOTFOUND)
            rc = CORE_OK;
    } else if (rc == CORE_OK) {
        memset(&u, 0, sizeof u);
        u.email = email;
        u.display_name = name;
        u.pw_hash = hash;
        rc = store_user_create(c, &u);
    }
    if (rc == CORE_OK && !already)
        rc = store_member_set(c, p->org_id, u.id, role);
    if (rc == CORE_OK && !already)
        rc = web_audit(req, c, p->org_id, "user", u.id, exists ? "add_member" : "create", NULL,
                       user_after(&u, role));
    if (rc == CORE_OK && !already)
        rc = store_commit(c);
    app_conn_release(req, c);
    memset(hash, 0, sizeof hash);
    if (already || rc == CORE_CONFLICT) {
        web_add_error(req, ctx, "email", already ? "users.error.member" : "users.error.exists");
        return users_page(req, 409, ctx);
    }
    json_decref(ctx);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    web_redirect(req, exists ? "/users?notice=member_added" : "/users?notice=user_added");
    return CORE_OK;
}

int web_handle_user_update(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    int64_t uid;
    core_role role;
    const char *status = web_form(req, "status");
    if (core_parse_int64(http_req_param(req, "id"), &uid) != CORE_OK || uid <= 0) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    if (core_role_parse(web_form(req, "role"), &role) != CORE_OK || role == CORE_ROLE_NONE ||
        (strcmp(status, "active") != 0 && strcmp(status, "disabled") != 0)) {
        web_error_page(req, 400, "error.bad_request");
        return CORE_OK;
    }
    int disable = strcmp(status, "disabled") == 0;
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    const char *refusal = NULL;
    store_member m;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_member_get(c, a, p->org_id, uid, &m);     /* scoped: other tenants are 404 */
    if (rc == CORE_OK && uid == p->user_id && (disable || role != m.role))
        refusal = "users.error.self";
    if (rc == CORE_OK && !refusal && disable && !m.user.disabled) {
        /* Disabling is account-wide: only allowed for accounts that belong to
         * this organisation alone, so one tenant cannot lock out another's staff. */
        store_membership *ms = NULL;
        size_t n = 0;
        rc = store_membership_list(c, a, uid, &ms, &n);
        if (rc == CORE_OK && n > 1)
            refusal = "users.error.other_orgs";
    }
    if (rc == CORE_OK && !refusal) {
        json_t *before = user_after(&m.user, m.role);
        if (role != m.role) {
            rc = store_member_set(c, p->org_id, uid, role);
            if (rc == CORE_OK) {
                store_user after = m.user;
                rc = web_audit(req, c, p->org_id, "membership", uid, "update", json_deep_copy(before),
                               user_after(&after, role));
            }
        }
        if (rc == CORE_OK && disable != m.user.disabled) {
            rc = store_user_set_disabled(c, uid, disable);
            if (rc == CORE_OK && disable)
                rc = store_session_delete_user(c, uid);
            if (rc == CORE_OK) {
                store_user after = m.user;
                after.disabled = disable;
                rc = web_audit(req, c, p->org_id, "user", uid, disable ? "disable" : "enable",
                               json_deep_copy(before), user_after(&after, role));
            }
        }
        json_decref(before);
    }
    if (rc == CORE_OK && !refusal)
        rc = store_commit(c);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (refusal) {
        json_t *ctx = web_ctx(req);
        if (!ctx)
            return CORE_NOMEM;
        char field[32];
        snprintf(field, sizeof field, "role-%lld", (long long)uid);
        web_add_error(req, ctx, field, refusal);
        return users_page(req, 409, ctx);
    }
    web_redirect(req, "/users?notice=user_updated");
    return CORE_OK;
}

/* ---- products and services ---- */

static const char *const KINDS[] = {"product", "service", "feature"};

static json_t *kind_options(const char *lang, const char *sel)
{
    json_t *opts = json_array();
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++) {
        char key[48];
        snprintf(key, sizeof key, "product.kind.%s", KINDS[i]);
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", KINDS[i], "label",
                                              web_msg(lang, key), "selected",
                                              sel && strcmp(sel, KINDS[i]) == 0));
    }
    return opts;
}

static int products_page(http_req *req, int status, json_t *ctx)
{
    const app_principal *p = app_principal_of(req);
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_product *ps = NULL;
    size_t n = 0;
    int rc = store_product_list(c, a, p->org_id, &ps, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        char key[48];
        snprintf(key, sizeof key, "product.kind.%s", ps[i].kind ? ps[i].kind : "");
        json_array_append_new(list, json_pack("{s:I, s:s?, s:s?, s:s, s:s?}", "id", (json_int_t)ps[i].id,
                                              "name", ps[i].name, "slug", ps[i].slug, "kind_label",
                                              web_msg(lang, key), "description", ps[i].description));
    }
    web_mark_ends(list);
    json_object_set_new(ctx, "products", list);
    json_object_set_new(ctx, "can_manage", json_boolean(core_authz_allows(p->role, CORE_PERM_ORG_MANAGE)));
    if (!json_object_get(ctx, "kinds"))
        json_object_set_new(ctx, "kinds", kind_options(lang, "product"));
    return web_page(req, status, "products", "products.title", ctx);
}

int web_handle_products(http_req *req)
{
    return products_page(req, 200, NULL);
}

int web_handle_product_add(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    const char *lang = web_lang(req);
    const char *name = web_form(req, "name");
    const char *slug = web_form(req, "slug");
    const char *kind = web_form(req, "kind");
    const char *desc = web_form(req, "description");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int utf_ok = core_utf8_valid(name, strlen(name)) && core_utf8_valid(slug, strlen(slug)) &&
                 core_utf8_valid(desc, strlen(desc));
    json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s}", "name", utf_ok ? name : "",
                                               "slug", utf_ok ? slug : "", "description", utf_ok ? desc : ""));
    json_object_set_new(ctx, "kinds", kind_options(lang, kind));
    if (!*name || strlen(name) > 200 || !core_utf8_valid(name, strlen(name)))
        web_add_error(req, ctx, "name", "products.error.name");
    if (!core_slug_valid(slug))
        web_add_error(req, ctx, "slug", "products.error.slug");
    int kind_ok = 0;
    for (size_t i = 0; i < sizeof KINDS / sizeof KINDS[0]; i++)
        kind_ok |= strcmp(kind, KINDS[i]) == 0;
    if (!kind_ok)
        web_add_error(req, ctx, "kind", "products.error.kind");
    if (strlen(desc) > 4000 || !core_utf8_valid(desc, strlen(desc)))
        web_add_error(req, ctx, "description", "products.error.description");
    if (json_object_get(ctx, "errors"))
        return products_page(req, 400, ctx);

    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    store_product pr;
    memset(&pr, 0, sizeof pr);
    pr.org_id = p->org_id;
    pr.name = name;
    pr.slug = slug;
    pr.kind = kind;
    pr.description = *desc ? desc : NULL;
    int rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_product_create(c, &pr);
    if (rc == CORE_OK)
        rc = web_audit(req, c, p->org_id, "product", pr.id, "create", NULL,
                       json_pack("{s:s, s:s, s:s, s:s?}", "name", name, "slug", slug, "kind", kind,
                                 "description", pr.description));
    if (rc == CORE_OK)
        rc = store_commit(c);
    app_conn_release(req, c);
    if (rc == CORE_CONFLICT) {
        web_add_error(req, ctx, "slug", "products.error.exists");
        return products_page(req, 409, ctx);
    }
    json_decref(ctx);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    web_redirect(req, "/products?notice=product_added");
    return CORE_OK;
}
