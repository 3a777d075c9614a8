/* api_users: staff of one organisation (its memberships). Every read and
 * change goes through store_member_* with the principal's org id, so a user
 * id from another organisation is simply "not found". Adding an e-mail that
 * already has an account only adds a membership: an admin of one tenant never
 * sets the password, name or disabled state of an account another tenant
 * shares (409); they change its role here or remove it from their org.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"
#include "crypto/crypto.h"

#define API_PASSWORD_MIN 12
#define API_PASSWORD_MAX 1024

static void id_str(char out[32], int64_t id)
{
    snprintf(out, 32, "%lld", (long long)id);
}

int api_users_list(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_member *ms = NULL;
    size_t n = 0;
    rc = store_member_list(c, http_req_arena(req), p->org_id, &ms, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        json_array_append_new(items, api_member_json(&ms[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_users_create(http_req *req)
{
    static const char *const allowed[] = {"email", "display_name", "role", "password", NULL};
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *email, *name, *password;
    core_role role;
    int has_role;
    if (api_get_email(req, body, "email", &email) != CORE_OK ||
        api_get_string(req, body, "display_name", API_OPTIONAL, 1, 200, &name) != CORE_OK ||
        api_get_role(req, body, "role", API_REQUIRED, &has_role, &role) != CORE_OK ||
        api_get_string(req, body, "password", API_OPTIONAL, API_PASSWORD_MIN, API_PASSWORD_MAX,
                       &password) != CORE_OK)
        return CORE_OK;

    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_user existing;
    rc = store_user_get_by_email(c, a, email, &existing);
    if (rc != CORE_OK && rc != CORE_NOTFOUND)
        return api_fail(req, c, rc, NULL);
    int exists = rc == CORE_OK;

    /* Hash before the transaction: argon2id is slow and must not hold a write lock. */
    char pwhash[CRY_PWHASH_MAX];
    char generated[CRY_TOKEN_LEN + 1] = "";
    if (!exists) {
        if (!name) {
            app_conn_release(req, c);
            api_problem_member(req, 422, "Invalid field",
                               "\"display_name\" is required for a new account.", "display_name");
            return CORE_OK;
        }
        if (!password) {
            if (cry_random_token(generated) != CORE_OK)
                return api_fail(req, c, CORE_ERR, NULL);
            password = generated;
        }
        if (cry_password_hash(password, pwhash) != CORE_OK)
            return api_fail(req, c, CORE_ERR, NULL);
    }

    rc = store_begin(c);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    store_member m = {0};
    int created = 0;
    if (exists) {
        store_member cur;
        rc = store_member_get(c, a, p->org_id, existing.id, &cur);
        if (rc == CORE_OK) {
            app_conn_release(req, c);
            api_problem_member(req, 409, "Conflict",
                               "This person is already a member of the organisation.", "email");
            return CORE_OK;
        }
        if (rc != CORE_NOTFOUND)
            return api_fail(req, c, rc, NULL);
        m.user = existing;
    } else {
        m.user.email = email;
        m.user.display_name = name;
        m.user.pw_hash = pwhash;
        rc = store_user_create(c, &m.user);
        if (rc == CORE_CONFLICT) {
            app_conn_release(req, c);
            api_problem_member(req, 409, "Conflict", "An account with this e-mail address was just created; try again.",
                               "email");
            return CORE_OK;
        }
        if (rc != CORE_OK)
            return api_fail(req, c, rc, NULL);
        created = 1;
    }
    m.role = role;
    rc = store_member_set(c, p->org_id, m.user.id, role);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    json_t *after = api_member_json(&m);
    if (!after)
        return api_fail(req, c, CORE_NOMEM, NULL);
    char id[32];
    id_str(id, m.user.id);
    rc = app_audit(req, c, p->org_id, "user", id, created ? "create" : "add_member", NULL, after);
    if (rc != CORE_OK) {
        json_decref(after);
        return api_fail(req, c, rc, NULL);
    }
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(after);
        return CORE_OK;
    }
    json_object_set_new(after, "created", json_boolean(created));
    if (generated[0])
        json_object_set_new(after, "initial_password", json_string(generated));
    api_location(req, "/api/v1/orgs/%s/users/%lld", p->org_slug ? p->org_slug : "", (long long)m.user.id);
    api_reply(req, 201, after);
    return CORE_OK;
}

int api_user_get(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int64_t uid;
    if (api_path_id(req, "id", &uid) != CORE_OK)
        return CORE_OK;
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_member m;
    rc = store_member_get(c, http_req_arena(req), p->org_id, uid, &m);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    api_reply(req, 200, api_member_json(&m));
    return CORE_OK;
}

int api_user_patch(http_req *req)
{
    static const char *const allowed[] = {"role", "disabled", "display_name", NULL};
    const app_principal *p = app_principal_of(req);
    int64_t uid;
    if (api_path_id(req, "id", &uid) != CORE_OK)
        return CORE_OK;
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    core_role role;
    int has_role, has_disabled, disabled = 0;
    const char *name;
    if (api_get_role(req, body, "role", API_OPTIONAL, &has_role, &role) != CORE_OK ||
        api_get_bool(req, body, "disabled", &has_disabled, &disabled) != CORE_OK ||
        api_get_string(req, body, "display_name", API_OPTIONAL, 1, 200, &name) != CORE_OK)
        return CORE_OK;
    if (uid == p->user_id) {
        if (has_role && role != CORE_ROLE_ADMIN && p->role == CORE_ROLE_ADMIN) {
            api_problem_member(req, 409, "Conflict",
                               "You cannot remove your own administrator role; ask another administrator.",
                               "role");
            return CORE_OK;
        }
        if (has_disabled && disabled) {
            api_problem_member(req, 409, "Conflict", "You cannot disable your own account.",
                               "disabled");
            return CORE_OK;
        }
    }

    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_member m;
    int rc = store_member_get(c, http_req_arena(req), p->org_id, uid, &m);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    /* The account itself (disabled, name) is shared by every organisation
     * it belongs to: only an organisation that has it alone may change it. */
    int account_change = (has_disabled && disabled != m.user.disabled) ||
        (name && strcmp(name, m.user.display_name ? m.user.display_name : "") != 0);
    if (account_change) {
        store_membership *ms = NULL;
        size_t n = 0;
        rc = store_membership_list(c, http_req_arena(req), uid, &ms, &n);
        if (rc != CORE_OK)
            return api_fail(req, c, rc, NULL);
        for (size_t i = 0; i < n; i++)
            if (ms[i].org.id != p->org_id) {
                app_conn_release(req, c);
                api_problem_member(req, 409, "Conflict",
                    "This account also belongs to another organisation; change its role or "
                    "remove it from this organisation instead.",
                    has_disabled ? "disabled" : "display_name");
                return CORE_OK;
            }
    }
    json_t *before = api_member_json(&m);
    char id[32];
    id_str(id, uid);
    const char *action = "update";
    if (has_role && role != m.role) {
        rc = store_member_set(c, p->org_id, uid, role);
        m.role = role;
        action = "role_change";
    }
    if (rc == CORE_OK && has_disabled && disabled != m.user.disabled) {
        rc = store_user_set_disabled(c, uid, disabled);
        if (rc == CORE_OK && disabled)
            rc = store_session_delete_user(c, uid);
        m.user.disabled = disabled;
        action = disabled ? "disable" : "enable";
    }
    if (rc == CORE_OK && name && strcmp(name, m.user.display_name ? m.user.display_name : "") != 0) {
        rc = store_user_set_display_name(c, uid, name);
        m.user.display_name = name;
    }
    json_t *after = api_member_json(&m);
    if (rc == CORE_OK && (!before || !after))
        rc = CORE_NOMEM;
    if (rc == CORE_OK && !json_equal(before, after))
        rc = app_audit(req, c, p->org_id, "user", id, action, before, after);
    json_decref(before);
    if (rc != CORE_OK) {
        json_decref(after);
        return api_fail(req, c, rc, NULL);
    }
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(after);
        return CORE_OK;
    }
    api_reply(req, 200, after);
    return CORE_OK;
}

int api_user_delete(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int64_t uid;
    if (api_path_id(req, "id", &uid) != CORE_OK)
        return CORE_OK;
    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_member m;
    int rc = store_member_get(c, http_req_arena(req), p->org_id, uid, &m);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    if (uid == p->user_id) {
        app_conn_release(req, c);
        http_res_problem(req, 409, "Conflict",
                         "You cannot remove yourself from the organisation; ask another administrator.",
                         NULL);
        return CORE_OK;
    }
    json_t *before = api_member_json(&m);
    if (!before)
        return api_fail(req, c, CORE_NOMEM, NULL);
    rc = store_member_remove(c, p->org_id, uid);
    char id[32];
    id_str(id, uid);
    if (rc == CORE_OK)
        rc = app_audit(req, c, p->org_id, "user", id, "remove_member", before, NULL);
    json_decref(before);
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    if (api_tx_commit(req, c) != CORE_OK)
        return CORE_OK;
    http_res_status(req, 204);
    return CORE_OK;
}
