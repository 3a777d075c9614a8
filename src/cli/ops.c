/* ops: the state changes more than one command makes (init, demo, org add,
 * user add), each appending its audit entry (actor "cli") in the caller's
 * transaction, so the change and its record commit together or not at all.
 * The audit entry carries digests of the object before and after, never the
 * object itself; password hashes only enter as part of a digest.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

json_t *cli_org_json(const store_org *o)
{
    return json_pack("{s:I, s:s, s:s, s:s, s:I, s:s?}", "id", (json_int_t)o->id, "slug", o->slug,
                     "name", o->name, "kind", o->kind, "parent_id", (json_int_t)o->parent_id,
                     "description", o->description);
}

json_t *cli_user_json(const store_user *u)
{
    return json_pack("{s:I, s:s, s:s, s:b, s:b}", "id", (json_int_t)u->id, "email", u->email,
                     "display_name", u->display_name ? u->display_name : "", "disabled", u->disabled,
                     "totp", u->totp_secret != NULL);
}

static void cli_id(int64_t id, char *buf, size_t n)
{
    snprintf(buf, n, "%lld", (long long)id);
}

int cli_op_org_create(store_conn *c, store_org *o)
{
    int rc = store_org_create(c, o);
    if (rc != CORE_OK) return rc;
    char id[24];
    cli_id(o->id, id, sizeof id);
    json_t *after = cli_org_json(o);
    rc = app_audit(NULL, c, o->id, "org", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

int cli_op_user_create(store_conn *c, int64_t org_id, store_user *u)
{
    int rc = store_user_create(c, u);
    if (rc != CORE_OK) return rc;
    char id[24];
    cli_id(u->id, id, sizeof id);
    json_t *after = cli_user_json(u);
    rc = app_audit(NULL, c, org_id, "user", id, "create", NULL, after);
    json_decref(after);
    return rc;
}

int cli_op_member_set(store_conn *c, core_arena *a, int64_t org_id, int64_t user_id, core_role role)
{
    store_member old;
    memset(&old, 0, sizeof old);
    int had = store_member_get(c, a, org_id, user_id, &old);
    if (had != CORE_OK && had != CORE_NOTFOUND) return had;
    int rc = store_member_set(c, org_id, user_id, role);
    if (rc != CORE_OK) return rc;
    char id[24];
    cli_id(user_id, id, sizeof id);
    json_t *before = had == CORE_OK
        ? json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)org_id, "user_id", (json_int_t)user_id,
                    "role", core_role_name(old.role))
        : NULL;
    json_t *after = json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)org_id, "user_id",
                              (json_int_t)user_id, "role", core_role_name(role));
    rc = app_audit(NULL, c, org_id, "membership", id, had == CORE_OK ? "update" : "create", before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}
