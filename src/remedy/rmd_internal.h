/* rmd_internal: what the files of src/remedy share (never included outside
 * the module): the service struct, the key model (KEK derivation, case key
 * wrapping, field sealing), the per-case transaction helpers, events,
 * clocks, audit, and the in-memory receipt throttle.
 *
 * Ecosystem files (mechanisms, referrals, stats, SLA) may use:
 * rmd_store(), rmd_case_key(), rmd_seal(), rmd_unseal() and rmd_audit().
 */
#ifndef HRDD_RMD_INTERNAL_H
#define HRDD_RMD_INTERNAL_H

#include <pthread.h>

#include "remedy/remedy.h"

#define RMD_DAY 86400
#define RMD_CACHE_SLOTS 64
#define RMD_CACHE_TTL_S 10

typedef struct rmd_org_cache {
    int64_t org_id;                  /* 0 = free */
    int64_t fetched_at;
    grv_policy policy;
    int64_t kek_version;
} rmd_org_cache;

typedef struct rmd_throttle rmd_throttle;
typedef struct rmd_group rmd_group;     /* group commit of intake (rmd_intake.c) */

struct rmd_service {
    store *st;
    rmd_options opt;
    unsigned char root[CRY_SECRET_LEN];
    unsigned char receipt_key[CRY_KEY_LEN];
    pthread_mutex_t mu;              /* guards cache and first_org */
    rmd_org_cache cache[RMD_CACHE_SLOTS];
    int64_t first_org;
    rmd_throttle *thr;
    rmd_group *group;
};

/* ---- service basics (remedy.c) ---- */
store *rmd_store(rmd_service *svc);
/* The org's policy and current KEK version (cached a few seconds).
 * CORE_NOTFOUND when the org does not exist. */
int rmd_org_info(rmd_service *svc, store_conn *c, int64_t org_id, grv_policy *p,
                 int64_t *kek_version);
void rmd_org_forget(rmd_service *svc, int64_t org_id);
int rmd_first_org(rmd_service *svc, store_conn *c, int64_t *org_id);
int rmd_may(const rmd_actor *actor, core_perm perm);     /* 1 allowed */

/* ---- throttle (remedy.c) ---- */
int rmd_throttle_new(rmd_throttle **out, const rmd_options *o);
void rmd_throttle_free(rmd_throttle *t);
/* Counts a failed lookup from peer; CORE_BUSY (with *retry_after) when the
 * peer or everyone is over the limit, CORE_NOTFOUND otherwise. */
int rmd_throttle_fail(rmd_throttle *t, const char *peer, int64_t now, int64_t *retry_after);

/* ---- group commit (rmd_intake.c) ---- */
int rmd_group_new(rmd_group **out);
void rmd_group_free(rmd_group *g);

/* ---- keys (rmd_crypto.c) ---- */
void rmd_kek(const rmd_service *svc, int64_t org_id, int64_t version, unsigned char kek[32]);
int rmd_wrap_key(const rmd_service *svc, int64_t org_id, int64_t version, const char *reference,
                 const unsigned char key[32], char out[CRY_WRAPPED_KEY_LEN + 1]);
int rmd_unwrap_key(const rmd_service *svc, int64_t org_id, int64_t version, const char *reference,
                   const char *wrapped, unsigned char key[32]);
/* The case key of g (unwrapped under its org's KEK of g->key_version). */
int rmd_case_key(const rmd_service *svc, const store_grievance *g, unsigned char key[32]);
/* Seal / unseal text under a case key; associated data "case:<reference>:<field>".
 * rmd_seal: NULL or "" text -> *out NULL, CORE_OK. rmd_unseal: NULL b64 -> *out NULL. */
int rmd_seal(const unsigned char key[32], const char *reference, const char *field,
             const void *data, size_t n, core_arena *a, char **out);
int rmd_seal_text(const unsigned char key[32], const char *reference, const char *field,
                  const char *text, core_arena *a, char **out);
int rmd_unseal(const unsigned char key[32], const char *reference, const char *field,
             const char *b64, core_arena *a, char **out, size_t *n);
/* Keyed BLAKE2b hex of the normalised receipt; CORE_INVALID if it cannot be a receipt. */
int rmd_receipt_hash(const rmd_service *svc, const char *receipt, char out[CRY_HASH_HEX_LEN + 1]);

/* ---- audit ---- */
int rmd_audit(store_conn *c, core_arena *a, int64_t org_id, const char *actor,
              int64_t actor_user_id, int64_t now, int64_t case_id, const char *action,
              const char *after_state);

/* ---- one case under change (rmd_tx.c) ---- */
typedef struct rmd_tx {
    rmd_service *svc;
    core_arena *a;
    store_conn *c;
    int64_t now;
    store_grievance g;
    unsigned char key[32];
    grv_policy policy;
    store_grievance_clock *clocks;   /* loaded on demand (rmd_tx_clocks) */
    size_t nclocks;
    const rmd_actor *actor;          /* NULL for the complainant */
    const char *audit_actor;         /* "user:12", "public", ... */
    int in_tx;                       /* a transaction is open on c */
} rmd_tx;

/* Acquire (+ begin when write) + load the case of actor's org
 * (CORE_NOTFOUND), check the permission (CORE_DENIED) and the recusal
 * (CORE_DENIED), unwrap the key. On failure nothing stays acquired. */
int rmd_tx_staff(rmd_service *svc, core_arena *a, const rmd_actor *actor, core_perm perm,
                 int64_t case_id, int write, rmd_tx *tx);
/* A receipt that names no case (nothing may stay acquired): counts the
 * failure for peer (may be NULL); CORE_NOTFOUND, or CORE_BUSY with
 * peer->retry_after_s set. Every receipt path ends a miss here. */
int rmd_receipt_miss(rmd_service *svc, rmd_peer *peer, int64_t now);
/* Same by receipt, with throttling of failures (peer may be NULL). */
int rmd_tx_receipt(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                   int write, rmd_tx *tx);
/* Just the connection (+ transaction), for calls that load no case yet. */
int rmd_tx_open(rmd_service *svc, core_arena *a, const rmd_actor *actor, core_perm perm,
                int write, rmd_tx *tx);
/* Writes the case row (if dirty), commits on rc == CORE_OK else rolls back;
 * releases. Returns the final status. */
int rmd_tx_end(rmd_tx *tx, int rc, int dirty);

int rmd_tx_clocks(rmd_tx *tx);
int rmd_tx_clock_save(rmd_tx *tx, const grv_clock *k);
void rmd_clock_from_row(const store_grievance_clock *r, grv_clock *k);
int rmd_tx_pause(rmd_tx *tx);           /* pause every running clock; waiting = 1 */
int rmd_tx_resume(rmd_tx *tx);          /* resume paused clocks; waiting = 0 */

/* Adds an event; text (may be NULL) is sealed. by: GRV_BY_*. */
int rmd_tx_event(rmd_tx *tx, const char *kind, int action, int from, int to, grv_actor_kind by,
                 int internal, const char *text, const char *public_key, int64_t attachment_id,
                 int64_t *event_id);
/* A workflow step: transition, clocks, handler bookkeeping, events, audit.
 * by = GRV_BY_STAFF (tx->actor) or GRV_BY_COMPLAINANT. */
int rmd_tx_apply(rmd_tx *tx, grv_action action, grv_actor_kind by, const char *reason,
                 const char *public_text);
int rmd_tx_audit(rmd_tx *tx, const char *action);
/* Stores an encrypted attachment and its event; vis internal for staff-only files. */
int rmd_tx_attach(rmd_tx *tx, const char *filename, const void *data, size_t len,
                  grv_actor_kind by, int internal, int64_t *attachment_id, const char **field_err);

/* ---- views (rmd_view.c) ---- */
void rmd_clock_views(const store_grievance_clock *rows, size_t n, int64_t now, int due_soon_days,
                     rmd_clock_view out[GRV_CLOCK__COUNT], size_t *nout);
int rmd_events_view(const unsigned char key[32], const store_grievance *g,
                    const store_grievance_event *rows, size_t n, int public_view, core_arena *a,
                    rmd_event **out, size_t *nout);
int rmd_remedies_view(const unsigned char key[32], const store_grievance *g,
                      const store_grievance_remedy *rows, size_t n, core_arena *a,
                      rmd_remedy **out);
int rmd_attachments_view(const unsigned char key[32], const store_grievance *g,
                         const store_grievance_attachment *rows, size_t n, core_arena *a,
                         rmd_attachment **out);
void rmd_summary_from_row(const store_grievance *g, int64_t now, int due_soon_days,
                          rmd_case_summary *s);
int rmd_text_ok(const char *s, int required);           /* UTF-8, <= RMD_MAX_TEXT */

#endif
