/* rmd_remedy: remedies (proposed by staff, accepted or rejected by the
 * complainant through the receipt, implemented with evidence) and
 * collective cases (grievances about one systemic harm handled as one).
 *
 * A collective has its own random key, wrapped like a case key (reference
 * "collective:<created_at>:<title>", both immutable), for its description.
 * An action on a collective runs as one transaction per member case: each
 * case gets its own event and audit entry, and a member whose state does not
 * allow the step (or whose reviewer must differ) is skipped, not failed.
 */
#include <string.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

static int propose_in(rmd_tx *tx, const char *type, const char *description, int64_t *remedy_id)
{
    int rc = rmd_tx_apply(tx, GRV_ACT_PROPOSE_REMEDY, GRV_BY_STAFF, NULL, NULL);
    char *enc = NULL;
    if (rc == CORE_OK)
        rc = rmd_seal_text(tx->key, tx->g.reference, "remedy_description", description, tx->a, &enc);
    store_grievance_remedy r;
    memset(&r, 0, sizeof r);
    r.case_id = tx->g.id;
    r.org_id = tx->g.org_id;
    r.type = type;
    r.state = "proposed";
    r.enc_description = enc;
    r.proposed_by = tx->actor ? tx->actor->user_id : 0;
    r.proposed_at = tx->now;
    if (rc == CORE_OK)
        rc = store_grievance_remedy_add(tx->c, &r);
    if (rc == CORE_OK && remedy_id)
        *remedy_id = r.id;
    return rc;
}

int rmd_remedy_propose(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                       const char *type, const char *description, int64_t *remedy_id)
{
    if (!type || !grv_remedy_type_valid(type) || !rmd_text_ok(description, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = propose_in(&tx, type, description, remedy_id);
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_remedy_implement(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                         const char *evidence)
{
    if (!rmd_text_ok(evidence, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance_remedy *r = NULL, *acc = NULL;
    size_t n = 0;
    rc = store_grievance_remedy_list(tx.c, a, tx.g.org_id, tx.g.id, &r, &n);
    for (size_t i = n; rc == CORE_OK && i > 0 && !acc; i--)
        if (strcmp(r[i - 1].state, "accepted") == 0)
            acc = &r[i - 1];
    if (rc == CORE_OK && !acc)
        rc = CORE_CONFLICT;
    if (rc == CORE_OK)
        rc = rmd_tx_apply(&tx, GRV_ACT_IMPLEMENT_REMEDY, GRV_BY_STAFF, NULL, NULL);
    char *enc = NULL;
    if (rc == CORE_OK)
        rc = rmd_seal_text(tx.key, tx.g.reference, "remedy_evidence", evidence, a, &enc);
    if (rc == CORE_OK) {
        acc->state = "implemented";
        acc->enc_evidence = enc;
        acc->implemented_at = tx.now;
        rc = store_grievance_remedy_update(tx.c, acc);
    }
    return rmd_tx_end(&tx, rc, 1);
}

/* ---- collective cases ---- */

static const char *coll_ref(core_arena *a, int64_t created_at, const char *title)
{
    return core_arena_printf(a, "collective:%lld:%s", (long long)created_at, title);
}

static int coll_audit(store_conn *c, core_arena *a, const rmd_actor *actor, int64_t now,
                      int64_t id, const char *action)
{
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = now;
    e.org_id = actor->org_id;
    e.actor_user_id = actor->user_id;
    e.actor = actor->label ? actor->label : "system";
    e.object_type = "collective_case";
    e.object_id = core_arena_printf(a, "%lld", (long long)id);
    e.action = action;
    return e.object_id ? store_audit_append(c, a, &e) : CORE_NOMEM;
}

int rmd_collective_create(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                          const char *title, const char *description, int64_t *collective_id)
{
    if (!title || !*title || strlen(title) > 200 || !rmd_text_ok(title, 1) ||
        !rmd_text_ok(description, 0))
        return CORE_INVALID;
    rmd_tx tx;
    int64_t kekv = 1;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_HANDLE, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_org_info(svc, tx.c, actor->org_id, NULL, &kekv);
    store_collective k;
    memset(&k, 0, sizeof k);
    k.org_id = actor->org_id;
    k.title = title;
    k.key_version = kekv;
    k.created_at = tx.now;
    k.updated_at = tx.now;
    const char *ref = coll_ref(a, tx.now, title);
    char *wrapped = core_arena_alloc(a, CRY_WRAPPED_KEY_LEN + 1);
    if (!ref || !wrapped)
        rc = CORE_NOMEM;
    cry_key_new(tx.key);
    char *enc = NULL;
    if (rc == CORE_OK)
        rc = rmd_wrap_key(svc, actor->org_id, kekv, ref, tx.key, wrapped);
    if (rc == CORE_OK)
        rc = rmd_seal_text(tx.key, ref, "description", description, a, &enc);
    k.wrapped_key = wrapped;
    k.enc_description = enc;
    if (rc == CORE_OK)
        rc = store_collective_create(tx.c, &k);
    if (rc == CORE_OK)
        rc = coll_audit(tx.c, a, actor, tx.now, k.id, "create");
    rc = rmd_tx_end(&tx, rc, 0);
    if (rc == CORE_OK && collective_id)
        *collective_id = k.id;
    return rc;
}

int rmd_collective_add(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                       int64_t collective_id)
{
    if (collective_id < 0)
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    if (collective_id > 0) {
        store_collective k;
        rc = store_collective_get(tx.c, a, actor->org_id, collective_id, &k);
        if (rc == CORE_OK)
            rc = store_collective_touch(tx.c, actor->org_id, collective_id, tx.now);
    }
    int64_t old = tx.g.collective_id;
    if (rc == CORE_OK && old > 0 && old != collective_id)
        rc = store_collective_touch(tx.c, actor->org_id, old, tx.now);
    if (rc == CORE_OK) {
        tx.g.collective_id = collective_id;
        char body[48];
        snprintf(body, sizeof body, "collective:%lld", (long long)collective_id);
        rc = rmd_tx_event(&tx, "collective", -1, -1, -1, GRV_BY_STAFF, 1, body, NULL, 0, NULL);
    }
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, collective_id ? "collective_add" : "collective_remove");
    return rmd_tx_end(&tx, rc, 1);
}

static int coll_fill(rmd_service *svc, store_conn *c, core_arena *a, const store_collective *k,
                     rmd_collective *out)
{
    memset(out, 0, sizeof *out);
    out->id = k->id;
    out->title = k->title;
    out->created_at = k->created_at;
    out->updated_at = k->updated_at;
    const char *ref = coll_ref(a, k->created_at, k->title);
    if (!ref)
        return CORE_NOMEM;
    unsigned char key[32];
    int rc = rmd_unwrap_key(svc, k->org_id, k->key_version, ref, k->wrapped_key, key);
    char *d = NULL;
    if (rc == CORE_OK)
        rc = rmd_unseal(key, ref, "description", k->enc_description, a, &d, NULL);
    sodium_memzero(key, sizeof key);
    out->description = d;
    if (rc == CORE_OK)
        rc = store_collective_members(c, a, k->org_id, k->id, &out->case_ids, &out->ncases);
    return rc;
}

int rmd_collective_get(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       int64_t collective_id, rmd_collective *out)
{
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_collective k;
    rc = store_collective_get(tx.c, a, actor->org_id, collective_id, &k);
    if (rc == CORE_OK)
        rc = coll_fill(svc, tx.c, a, &k, out);
    return rmd_tx_end(&tx, rc, 0);
}

int rmd_collective_list(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                        rmd_collective **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_collective *rows = NULL;
    size_t nrows = 0;
    rc = store_collective_list(tx.c, a, actor->org_id, &rows, &nrows);
    rmd_collective *v = NULL;
    if (rc == CORE_OK && nrows && !(v = core_arena_alloc(a, nrows * sizeof *v)))
        rc = CORE_NOMEM;
    for (size_t i = 0; rc == CORE_OK && i < nrows; i++)
        rc = coll_fill(svc, tx.c, a, &rows[i], &v[i]);
    rc = rmd_tx_end(&tx, rc, 0);
    if (rc == CORE_OK) {
        *out = v;
        *n = nrows;
    }
    return rc;
}

static int members(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t collective_id,
                   int64_t **ids, size_t *n)
{
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_HANDLE, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_collective k;
    rc = store_collective_get(tx.c, a, actor->org_id, collective_id, &k);
    if (rc == CORE_OK)
        rc = store_collective_members(tx.c, a, actor->org_id, collective_id, ids, n);
    return rmd_tx_end(&tx, rc, 0);
}

/* Skipped, not failed: the member's state or reviewer rule does not allow it. */
static int skippable(int rc)
{
    return rc == CORE_CONFLICT || rc == CORE_DENIED;
}

int rmd_collective_act(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       int64_t collective_id, grv_action action, const char *reason,
                       const char *public_text, int *applied, int *skipped)
{
    int ap = 0, sk = 0;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = members(svc, a, actor, collective_id, &ids, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        int r = rmd_case_act(svc, a, actor, ids[i], action, reason, public_text);
        if (r == CORE_OK)
            ap++;
        else if (skippable(r))
            sk++;
        else
            rc = r;
    }
    if (applied)
        *applied = ap;
    if (skipped)
        *skipped = sk;
    return rc;
}

int rmd_collective_propose(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                           int64_t collective_id, const char *type, const char *description,
                           int *applied, int *skipped)
{
    if (!type || !grv_remedy_type_valid(type) || !rmd_text_ok(description, 1))
        return CORE_INVALID;
    int ap = 0, sk = 0;
    int64_t *ids = NULL;
    size_t n = 0;
    int rc = members(svc, a, actor, collective_id, &ids, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        int r = rmd_remedy_propose(svc, a, actor, ids[i], type, description, NULL);
        if (r == CORE_OK)
            ap++;
        else if (skippable(r))
            sk++;
        else
            rc = r;
    }
    if (applied)
        *applied = ap;
    if (skipped)
        *skipped = sk;
    return rc;
}
