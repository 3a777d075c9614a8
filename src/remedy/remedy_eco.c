/* remedy_eco: the private helpers of the ecosystem files (remedy_eco.h) over
 * the service internals (rmd_internal.h): store connections and
 * transactions, generic audit entries with JSON digests, and case-field
 * sealing under the case key (the key is wiped after each use).
 */
#include <string.h>

#include <sodium.h>

#include "remedy/remedy_eco.h"
#include "remedy/rmd_internal.h"

int eco_acquire(rmd_service *svc, store_conn **c)
{
    if (!svc)
        return CORE_INVALID;
    return store_acquire(rmd_store(svc), c);
}

void eco_release(rmd_service *svc, store_conn *c)
{
    if (c)
        store_release(rmd_store(svc), c);
}

int eco_begin(rmd_service *svc, store_conn **c)
{
    int rc = eco_acquire(svc, c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(*c);
    if (rc != CORE_OK) {
        eco_release(svc, *c);
        *c = NULL;
    }
    return rc;
}

int eco_finish(rmd_service *svc, store_conn *c, int rc)
{
    if (rc == CORE_OK)
        rc = store_commit(c);
    if (rc != CORE_OK)
        store_rollback(c);
    eco_release(svc, c);
    return rc;
}

int eco_audit(store_conn *c, core_arena *a, int64_t org_id, const char *actor, int64_t now,
              const char *object_type, const char *object_id, const char *action,
              const char *before_digest, const char *after_digest)
{
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = now;
    e.org_id = org_id;
    e.actor = actor ? actor : "system";
    if (!strncmp(e.actor, "user:", 5)) {
        int64_t uid = 0;
        if (core_parse_int64(e.actor + 5, &uid) == CORE_OK)
            e.actor_user_id = uid;
    }
    e.object_type = object_type;
    e.object_id = object_id ? object_id : "";
    e.action = action;
    e.before_digest = before_digest;
    e.after_digest = after_digest;
    return store_audit_append(c, a, &e);
}

const char *eco_digest_json(json_t *v, core_arena *a)
{
    if (!v)
        return NULL;
    char *s = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
    if (!s)
        return NULL;
    char hex[CRY_HASH_HEX_LEN + 1];
    cry_hash_hex(s, strlen(s), hex);
    free(s);
    return core_arena_strdup(a, hex);
}

const char *eco_digest_mech(const store_mechanism *m, core_arena *a)
{
    if (!m)
        return NULL;
    json_t *j = rmd_mechanism_json(m, 0);
    const char *d = eco_digest_json(j, a);
    json_decref(j);
    return d;
}

int eco_seal(rmd_service *svc, store_conn *c, core_arena *a, const store_grievance *g,
             const char *field, const char *text, char **out_b64)
{
    (void)c;
    unsigned char key[32];
    int rc = rmd_case_key(svc, g, key);
    if (rc == CORE_OK)
        rc = rmd_seal_text(key, g->reference, field, text, a, out_b64);
    sodium_memzero(key, sizeof key);
    return rc;
}

int eco_open(rmd_service *svc, store_conn *c, core_arena *a, const store_grievance *g,
             const char *field, const char *b64, char **out)
{
    (void)c;
    unsigned char key[32];
    size_t n = 0;
    int rc = rmd_case_key(svc, g, key);
    if (rc == CORE_OK)
        rc = rmd_unseal(key, g->reference, field, b64, a, out, &n);
    sodium_memzero(key, sizeof key);
    return rc;
}
