/* audit: the append-only, hash-chained audit trail.
 *
 * Entry n stores hash_n = BLAKE2b-256 over length-prefixed fields (domain
 * "hrdd-audit-v1", seq, at, org_id, actor_user_id as decimal, actor,
 * object_type, object_id, action, before_digest, after_digest, prev_hash),
 * with prev_hash = hash_{n-1} ("" for seq 1). Appends are serialised: on
 * SQLite the caller's transaction already holds the write lock (store_begin
 * is BEGIN IMMEDIATE); on PostgreSQL a transaction-scoped advisory lock is
 * taken before the last entry is read. seq is the primary key, so even a
 * bug in that serialisation could only fail an append, never fork the chain.
 * Verification walks every row in seq order and stops at the first row whose
 * seq, link or hash does not hold. There is no update or delete function,
 * and triggers in the schema refuse both.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "store/store_db.h"

#define AUDIT_DOMAIN "hrdd-audit-v1"
#define AUDIT_COLS "seq, at, org_id, actor_user_id, actor, object_type, object_id, action," \
                   " before_digest, after_digest, prev_hash, hash"

static const sdb_sql q_lock = {Q_AUDIT_LOCK, "audit_lock",
    "SELECT 1", "SELECT pg_advisory_xact_lock(7268202)"};
static const sdb_sql q_last = {Q_AUDIT_LAST, "audit_last",
    "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", NULL};
static const sdb_sql q_insert = {Q_AUDIT_INSERT, "audit_append",
    "INSERT INTO audit_log (" AUDIT_COLS ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", NULL};
static const sdb_sql q_list_all = {Q_AUDIT_LIST_ALL, "audit_list",
    "SELECT " AUDIT_COLS " FROM audit_log WHERE seq < ? ORDER BY seq DESC LIMIT ?", NULL};
static const sdb_sql q_list_org = {Q_AUDIT_LIST_ORG, "audit_list",
    "SELECT " AUDIT_COLS " FROM audit_log WHERE org_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?",
    NULL};
static const sdb_sql q_walk = {Q_AUDIT_WALK, "audit_verify",
    "SELECT " AUDIT_COLS " FROM audit_log WHERE seq > ? ORDER BY seq LIMIT 1000", NULL};

static void field_int(cry_hasher *h, int64_t v)
{
    char b[24];
    snprintf(b, sizeof b, "%" PRId64, v);
    cry_hasher_field(h, b);
}

void store_audit_hash(const store_audit_entry *e, char out[65])
{
    cry_hasher h;
    cry_hasher_init(&h);
    cry_hasher_field(&h, AUDIT_DOMAIN);
    field_int(&h, e->seq);
    field_int(&h, e->at);
    field_int(&h, e->org_id);
    field_int(&h, e->actor_user_id);
    cry_hasher_field(&h, e->actor);
    cry_hasher_field(&h, e->object_type);
    cry_hasher_field(&h, e->object_id);
    cry_hasher_field(&h, e->action);
    cry_hasher_field(&h, e->before_digest);
    cry_hasher_field(&h, e->after_digest);
    cry_hasher_field(&h, e->prev_hash);
    cry_hasher_final_hex(&h, out);
}

static int one_step(store_conn *c, const sdb_sql *q)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    rc = sdb_step(st);
    sdb_finish(st);
    return rc < 0 ? rc : CORE_OK;
}

static int append_locked(store_conn *c, core_arena *a, store_audit_entry *e)
{
    int rc = c->engine == SDB_PG ? one_step(c, &q_lock) : CORE_OK;
    if (rc != CORE_OK)
        return rc;
    sdb_stmt *st;
    if ((rc = sdb_prep(c, &q_last, &st)) != CORE_OK)
        return rc;
    int64_t last = 0;
    char *prev = NULL;
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        last = sdb_col_int(st, 0);
        prev = sdb_col_dup(st, a, 1);
        rc = prev ? CORE_OK : CORE_NOMEM;
    } else if (rc == SDB_DONE) {
        prev = core_arena_strdup(a, "");
        rc = prev ? CORE_OK : CORE_NOMEM;
    }
    sdb_finish(st);
    if (rc != CORE_OK)
        return rc;

    e->seq = last + 1;
    e->prev_hash = prev;
    if (!e->at)
        e->at = sdb_now();
    char *hash = core_arena_alloc(a, CRY_HASH_HEX_LEN + 1);
    if (!hash)
        return CORE_NOMEM;
    store_audit_hash(e, hash);
    e->hash = hash;

    if ((rc = sdb_prep(c, &q_insert, &st)) != CORE_OK)
        return rc;
    sdb_int(st, 1, e->seq);
    sdb_int(st, 2, e->at);
    sdb_int(st, 3, e->org_id);
    sdb_int(st, 4, e->actor_user_id);
    sdb_text(st, 5, e->actor);
    sdb_text(st, 6, e->object_type);
    sdb_text(st, 7, e->object_id);
    sdb_text(st, 8, e->action);
    sdb_text(st, 9, e->before_digest);
    sdb_text(st, 10, e->after_digest);
    sdb_text(st, 11, e->prev_hash);
    sdb_text(st, 12, e->hash);
    return sdb_run(st, 0);
}

int store_audit_append(store_conn *c, core_arena *a, store_audit_entry *e)
{
    if (!e->actor || !e->object_type || !e->object_id || !e->action)
        return CORE_INVALID;
    int own = !c->in_tx;
    int rc;
    if (own && (rc = store_begin(c)) != CORE_OK)
        return rc;
    rc = append_locked(c, a, e);
    if (own) {
        if (rc == CORE_OK)
            rc = store_commit(c);
        else
            store_rollback(c);
    }
    return rc;
}

static int read_entry(sdb_stmt *st, core_arena *a, void *row)
{
    store_audit_entry *e = row;
    memset(e, 0, sizeof *e);
    e->seq = sdb_col_int(st, 0);
    e->at = sdb_col_int(st, 1);
    e->org_id = sdb_col_int(st, 2);
    e->actor_user_id = sdb_col_int(st, 3);
    e->actor = sdb_col_dup(st, a, 4);
    e->object_type = sdb_col_dup(st, a, 5);
    e->object_id = sdb_col_dup(st, a, 6);
    e->action = sdb_col_dup(st, a, 7);
    e->before_digest = sdb_col_dup(st, a, 8);
    e->after_digest = sdb_col_dup(st, a, 9);
    e->prev_hash = sdb_col_dup(st, a, 10);
    e->hash = sdb_col_dup(st, a, 11);
    return (e->actor && e->object_type && e->object_id && e->action && e->prev_hash && e->hash)
               ? CORE_OK : CORE_NOMEM;
}

int store_audit_list(store_conn *c, core_arena *a, int64_t org_id, int64_t before_seq, int limit,
                     store_audit_entry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (limit <= 0 || limit > 1000)
        limit = limit <= 0 ? 50 : 1000;
    if (before_seq <= 0)
        before_seq = INT64_MAX;
    sdb_stmt *st;
    int rc = sdb_prep(c, org_id ? &q_list_org : &q_list_all, &st);
    if (rc != CORE_OK)
        return rc;
    int i = 1;
    if (org_id)
        sdb_int(st, i++, org_id);
    sdb_int(st, i++, before_seq);
    sdb_int(st, i, limit);
    return sdb_fetch_all(st, a, read_entry, sizeof **out, (void **)out, n);
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* Walks the chain in pages of 1000 (bounded memory on PostgreSQL, short
 * statements on SQLite). Starts below any possible seq, so a forged row with
 * seq 0 or below is caught too. */
int store_audit_verify(store_conn *c, int64_t *checked, int64_t *first_bad)
{
    *checked = 0;
    *first_bad = 0;
    char prev[CRY_HASH_HEX_LEN + 1] = "";
    int64_t expect = 1, after = INT64_MIN;
    for (;;) {
        sdb_stmt *st;
        int rc = sdb_prep(c, &q_walk, &st);
        if (rc != CORE_OK)
            return rc;
        sdb_int(st, 1, after);
        int rows = 0;
        while ((rc = sdb_step(st)) == SDB_ROW) {
            rows++;
            store_audit_entry e = {
                .seq = sdb_col_int(st, 0),
                .at = sdb_col_int(st, 1),
                .org_id = sdb_col_int(st, 2),
                .actor_user_id = sdb_col_int(st, 3),
                .actor = sdb_col_text(st, 4),
                .object_type = sdb_col_text(st, 5),
                .object_id = sdb_col_text(st, 6),
                .action = sdb_col_text(st, 7),
                .before_digest = sdb_col_text(st, 8),
                .after_digest = sdb_col_text(st, 9),
                .prev_hash = sdb_col_text(st, 10),
                .hash = sdb_col_text(st, 11),
            };
            if (e.seq != expect) {        /* a gap, a duplicate or a reordering */
                *first_bad = expect;
                rc = CORE_CORRUPT;
                break;
            }
            char h[CRY_HASH_HEX_LEN + 1];
            store_audit_hash(&e, h);
            if (strcmp(nz(e.prev_hash), prev) != 0 || strcmp(nz(e.hash), h) != 0) {
                *first_bad = e.seq;
                rc = CORE_CORRUPT;
                break;
            }
            memcpy(prev, h, sizeof prev);
            (*checked)++;
            after = e.seq;
            expect++;
        }
        sdb_finish(st);
        if (rc != SDB_DONE)
            return rc;
        if (rows == 0)
            return CORE_OK;
    }
}
