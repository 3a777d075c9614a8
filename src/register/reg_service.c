/* reg_service: the register service object, its clock, the per-call
 * transaction (permission check, connection, transaction, audit) and day
 * formatting.
 *
 * A call opens a reg_tx: the principal's permission is checked first
 * (CORE_DENIED before any database work), then a pooled connection is taken
 * and, for writes, a transaction begun; reg_tx_end commits on success and
 * rolls back otherwise, so a write and its audit entry land together or not
 * at all. The audit entry carries the object type, id and action; its
 * after_digest is the BLAKE2b of a short detail text (ids and enum values),
 * never free text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "crypto/crypto.h"
#include "register/reg_internal.h"

static int64_t default_now(void)
{
    return (int64_t)time(NULL);
}

void reg_options_defaults(reg_options *o)
{
    memset(o, 0, sizeof *o);
    o->now = default_now;
    dd_policy_defaults(&o->dd);
}

int reg_open(reg_service **out, store *st, const reg_options *opt)
{
    *out = NULL;
    if (!st)
        return CORE_INVALID;
    reg_service *svc = calloc(1, sizeof *svc);
    if (!svc)
        return CORE_NOMEM;
    svc->st = st;
    if (opt)
        svc->opt = *opt;
    else
        reg_options_defaults(&svc->opt);
    if (!svc->opt.now)
        svc->opt.now = default_now;
    const char *field = NULL;
    if (dd_policy_validate(&svc->opt.dd, &field) != CORE_OK) {
        free(svc);
        return CORE_INVALID;
    }
    *out = svc;
    return CORE_OK;
}

void reg_close(reg_service *svc)
{
    free(svc);
}

int64_t reg_now(const reg_service *svc)
{
    return svc->opt.now();
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    if ((a % b) != 0 && ((a < 0) != (b < 0)))
        q--;
    return q;
}

int64_t reg_today(const reg_service *svc)
{
    return floor_div(reg_now(svc), 86400);
}

const reg_options *reg_options_of(const reg_service *svc)
{
    return &svc->opt;
}

/* Civil date of a day number (Howard Hinnant's algorithm, public domain
 * description; written from the arithmetic). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (unsigned)(doy - (153 * mp + 2) / 5 + 1);
    *m = (unsigned)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

void reg_day_format(int64_t day, char out[11])
{
    out[0] = '\0';
    if (day < 0)                     /* -1 = none (the register holds no date before 1970) */
        return;
    int64_t y;
    unsigned m, d;
    civil_from_days(day, &y, &m, &d);
    if (y < 1900 || y > 9999)
        return;
    snprintf(out, 11, "%04d-%02u-%02u", (int)y, m, d);
}

void reg_month_of(int64_t unix_s, int *year, int *month)
{
    int64_t y;
    unsigned m, d;
    civil_from_days(floor_div(unix_s, 86400), &y, &m, &d);
    *year = (int)y;
    *month = (int)m;
}

/* ---- per-call transaction ---- */

static const char *actor_label(core_arena *a, const reg_principal *pr)
{
    if (pr->label)
        return pr->label;
    if (pr->user_id > 0)
        return core_arena_printf(a, "user:%lld", (long long)pr->user_id);
    return "system";
}

static int tx_connect(reg_tx *tx, int write)
{
    int rc = store_acquire(tx->svc->st, &tx->c);
    if (rc != CORE_OK) {
        tx->c = NULL;
        return rc;
    }
    if (write) {
        rc = store_begin(tx->c);
        if (rc != CORE_OK) {
            store_release(tx->svc->st, tx->c);
            tx->c = NULL;
            return rc;
        }
        tx->in_tx = 1;
    }
    return CORE_OK;
}

int reg_tx_open(reg_service *svc, core_arena *a, const reg_principal *pr, core_perm perm,
                int write, reg_tx *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->svc = svc;
    tx->a = a;
    tx->pr = pr;
    tx->now = reg_now(svc);
    tx->today = floor_div(tx->now, 86400);
    if (!pr || pr->org_id <= 0 || !core_authz_allows(pr->role, perm))
        return CORE_DENIED;
    tx->actor = actor_label(a, pr);
    if (!tx->actor)
        return CORE_NOMEM;
    return tx_connect(tx, write);
}

int reg_tx_open_public(reg_service *svc, core_arena *a, reg_tx *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->svc = svc;
    tx->a = a;
    tx->now = reg_now(svc);
    tx->today = floor_div(tx->now, 86400);
    tx->actor = "public";
    return tx_connect(tx, 0);
}

int reg_tx_end(reg_tx *tx, int rc)
{
    if (!tx->c)
        return rc;
    if (tx->in_tx) {
        if (rc == CORE_OK)
            rc = store_commit(tx->c);
        if (rc != CORE_OK)
            store_rollback(tx->c);
    }
    store_release(tx->svc->st, tx->c);
    tx->c = NULL;
    tx->in_tx = 0;
    return rc;
}

int reg_audit(reg_tx *tx, const char *object_type, int64_t object_id, const char *action,
              const char *detail)
{
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = tx->now;
    e.org_id = tx->pr ? tx->pr->org_id : 0;
    e.actor = tx->actor ? tx->actor : "system";
    e.actor_user_id = tx->pr && tx->pr->user_id > 0 ? tx->pr->user_id : 0;
    e.object_type = object_type;
    e.object_id = core_arena_printf(tx->a, "%lld", (long long)object_id);
    e.action = action;
    char h[CRY_HASH_HEX_LEN + 1];
    if (detail) {
        cry_hash_hex(detail, strlen(detail), h);
        e.after_digest = h;
    }
    if (!e.object_id)
        return CORE_NOMEM;
    return store_audit_append(tx->c, tx->a, &e);
}
