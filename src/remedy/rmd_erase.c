/* rmd_erase: erasure of a case's personal data, by retention policy or on
 * the complainant's request through the receipt (see remedy.h).
 *
 * erase_tx runs inside a case transaction (rmd_tx): a new random case key,
 * wrapped under the org's current KEK, seals the marker narrative; the store
 * clears every other sealed column and deletes the attachments
 * (store_grievance_erase); a public "erased" event (no body) and an audit
 * entry (action "erase", object the case, the policy and the list of fields
 * in the action text, never any content) commit with it. The retention
 * policy of an organisation is the installation setting
 * "retention.closed_cases_months.<org id>" (no schema change); months are
 * calendar months before now (UTC).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

static int erase_tx(rmd_tx *tx, const char *policy)
{
    int64_t ver = 0;
    grv_policy p;
    int rc = rmd_org_info(tx->svc, tx->c, tx->g.org_id, &p, &ver);
    if (rc != CORE_OK)
        return rc;
    if (ver < 1)
        ver = 1;
    unsigned char key[32];
    cry_random_bytes(key, sizeof key);
    char *wrapped = core_arena_alloc(tx->a, CRY_WRAPPED_KEY_LEN + 1);
    char *enc = NULL;
    rc = wrapped ? rmd_wrap_key(tx->svc, tx->g.org_id, ver, tx->g.reference, key, wrapped) : CORE_NOMEM;
    if (rc == CORE_OK)
        rc = rmd_seal_text(key, tx->g.reference, "narrative", RMD_ERASED_MARKER, tx->a, &enc);
    if (rc == CORE_OK)
        rc = store_grievance_erase(tx->c, tx->g.org_id, tx->g.id, enc, wrapped, ver, tx->now);
    if (rc == CORE_OK) {
        memcpy(tx->key, key, sizeof key);
        tx->g.wrapped_key = wrapped;
        tx->g.key_version = ver;
        tx->g.row_version++;
        rc = rmd_tx_event(tx, "erased", -1, -1, -1, GRV_BY_SYSTEM, 0, NULL, "receipt.erased", 0, NULL);
    }
    sodium_memzero(key, sizeof key);
    if (rc == CORE_OK) {
        const char *action = core_arena_printf(tx->a, "erase policy=%s fields=%s", policy, RMD_ERASED_FIELDS);
        rc = action ? rmd_audit(tx->c, tx->a, tx->g.org_id, tx->audit_actor,
                                tx->actor ? tx->actor->user_id : 0, tx->now, tx->g.id, action, "erased")
                    : CORE_NOMEM;
    }
    return rc;
}

int rmd_receipt_erase(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                      int *withdrawn)
{
    if (withdrawn)
        *withdrawn = 0;
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc == CORE_CONFLICT)
        return CORE_OK;                    /* erased already */
    if (rc != CORE_OK)
        return rc;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(tx.g.state, &st);
    if (!grv_state_is_final(st)) {
        rc = rmd_tx_apply(&tx, GRV_ACT_WITHDRAW, GRV_BY_COMPLAINANT, NULL, NULL);
        if (rc == CORE_OK) {
            tx.g.updated_at = tx.now;
            rc = store_grievance_update(tx.c, &tx.g);
        }
        if (rc == CORE_OK && withdrawn)
            *withdrawn = 1;
    }
    if (rc == CORE_OK)
        rc = erase_tx(&tx, "complainant_request");
    return rmd_tx_end(&tx, rc, 0);
}

/* ---- retention policy ---- */

static void setting_key(int64_t org_id, char out[64])
{
    snprintf(out, 64, "retention.closed_cases_months.%lld", (long long)org_id);
}

static int months_of(store_conn *c, core_arena *a, int64_t org_id, int *months)
{
    char key[64];
    setting_key(org_id, key);
    const char *v = NULL;
    *months = 0;
    int rc = store_setting_get(c, a, key, &v);
    if (rc == CORE_NOTFOUND)
        return CORE_OK;
    if (rc == CORE_OK && v) {
        long m = strtol(v, NULL, 10);
        *months = (m > 0 && m <= RMD_RETENTION_MAX_MONTHS) ? (int)m : 0;
    }
    return rc;
}

int rmd_retention_get(rmd_service *svc, const rmd_actor *actor, int *months)
{
    *months = 0;
    if (!rmd_may(actor, CORE_PERM_ORG_READ))
        return CORE_DENIED;
    store_conn *c = NULL;
    int rc = store_acquire(rmd_store(svc), &c);
    if (rc != CORE_OK)
        return rc;
    core_arena a;
    core_arena_init(&a);
    rc = months_of(c, &a, actor->org_id, months);
    core_arena_cleanup(&a);
    store_release(rmd_store(svc), c);
    return rc;
}

int rmd_retention_set(rmd_service *svc, core_arena *a, const rmd_actor *actor, int months)
{
    if (months < 0 || months > RMD_RETENTION_MAX_MONTHS)
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_ORG_MANAGE, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    char key[64], val[16];
    setting_key(actor->org_id, key);
    snprintf(val, sizeof val, "%d", months);
    rc = store_setting_set(tx.c, key, val);
    if (rc == CORE_OK) {
        store_audit_entry e;
        memset(&e, 0, sizeof e);
        e.at = tx.now;
        e.org_id = actor->org_id;
        e.actor_user_id = actor->user_id;
        e.actor = tx.audit_actor;
        e.object_type = "retention_policy";
        e.object_id = core_arena_printf(a, "%lld", (long long)actor->org_id);
        e.action = core_arena_printf(a, "set closed_cases_months=%d", months);
        rc = (e.object_id && e.action) ? store_audit_append(tx.c, a, &e) : CORE_NOMEM;
    }
    return rmd_tx_end(&tx, rc, 0);
}

/* now minus months calendar months (UTC), day clamped to the month's end. */
static int64_t months_before(int64_t now, int months)
{
    time_t t = (time_t)now;
    struct tm tm;
    gmtime_r(&t, &tm);
    int mon = tm.tm_mon - months;
    tm.tm_year += mon >= 0 ? mon / 12 : (mon - 11) / 12;
    tm.tm_mon = ((mon % 12) + 12) % 12;
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = tm.tm_year + 1900;
    int dim = days[tm.tm_mon];
    if (tm.tm_mon == 1 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        dim = 28;
    if (tm.tm_mday > dim)
        tm.tm_mday = dim;
    return (int64_t)timegm(&tm);
}

static int erase_one(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                     int months)
{
    rmd_tx tx;
    /* CORE_CONFLICT: erased meanwhile (rmd_tx_staff refuses an erased case) */
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    char policy[48];
    snprintf(policy, sizeof policy, "retention:%d_months", months);
    rc = erase_tx(&tx, policy);
    return rmd_tx_end(&tx, rc, 0);
}

int rmd_retention_run(rmd_service *svc, core_arena *a, int64_t now, const char *actor_label,
                      rmd_retention_report *out)
{
    memset(out, 0, sizeof *out);
    store_conn *c = NULL;
    int rc = store_acquire(rmd_store(svc), &c);
    if (rc != CORE_OK)
        return rc;
    store_org *orgs = NULL;
    size_t norgs = 0;
    rc = store_org_list(c, a, &orgs, &norgs);
    typedef struct due { int64_t org_id; int months; int64_t *ids; size_t n; } due;
    due *todo = rc == CORE_OK && norgs ? core_arena_alloc(a, norgs * sizeof *todo) : NULL;
    if (rc == CORE_OK && norgs && !todo)
        rc = CORE_NOMEM;
    size_t ntodo = 0;
    for (size_t i = 0; rc == CORE_OK && i < norgs; i++) {
        int months = 0;
        rc = months_of(c, a, orgs[i].id, &months);
        if (rc != CORE_OK || months <= 0)
            continue;
        out->orgs++;
        due *d = &todo[ntodo++];
        d->org_id = orgs[i].id;
        d->months = months;
        rc = store_grievance_erase_due(c, a, orgs[i].id, months_before(now, months), &d->ids, &d->n);
    }
    store_release(rmd_store(svc), c);
    if (rc != CORE_OK)
        return rc;
    size_t total = 0;
    for (size_t i = 0; i < ntodo; i++)
        total += todo[i].n;
    out->case_ids = total ? core_arena_alloc(a, total * sizeof *out->case_ids) : NULL;
    if (total && !out->case_ids)
        return CORE_NOMEM;
    for (size_t i = 0; i < ntodo; i++) {
        rmd_actor actor = {0, todo[i].org_id, CORE_ROLE_ADMIN, actor_label ? actor_label : "system"};
        for (size_t j = 0; j < todo[i].n; j++) {
            int e = erase_one(svc, a, &actor, todo[i].ids[j], todo[i].months);
            if (e == CORE_OK) {
                out->erased++;
                out->case_ids[out->ncase_ids++] = todo[i].ids[j];
            } else if (e != CORE_CONFLICT) {
                out->failed++;
            }
        }
    }
    return CORE_OK;
}
