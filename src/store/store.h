/* store: the one storage interface of hrdd, over two engines.
 *
 * store_open() takes a SQLite file path (embedded default; WAL, foreign keys,
 * busy timeout) or a postgresql:// URL (libpq). Either way the caller gets a
 * pool of connections; a request takes one with store_acquire() and gives it
 * back with store_release(). Repository functions below are written once,
 * over a small prepared-statement layer (store_db.h, private to this module)
 * with one driver per engine: no SQL is ever built from input.
 *
 * Records are caller-owned structs; strings in them point into the arena the
 * caller passes (or, for inputs, into caller memory). Every record but the
 * user account belongs to one organisation, and every function that reads or
 * changes such a record takes the org id and filters by it: a query can never
 * reach another tenant's rows by id alone.
 */
#ifndef HRDD_STORE_H
#define HRDD_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

#define STORE_SCHEMA_VERSION 6       /* highest migration this binary knows */

typedef struct store store;          /* pool + engine */
typedef struct store_conn store_conn;

/* Called after each statement with its duration, for /metrics. May be NULL. */
typedef void (*store_observer)(void *ud, const char *op, double seconds);

typedef struct store_options {
    const char *url;                 /* path, "file:..." or "postgresql://..." */
    int pool_size;                   /* connections; 0 -> 8 */
    int busy_timeout_ms;             /* wait for a connection / a lock; 0 -> 5000 */
    store_observer observer;
    void *observer_ud;
} store_options;

int store_open(store **out, const store_options *opt);
void store_close(store *s);
const char *store_engine(const store *s);        /* "sqlite" or "postgresql" */

/* Migrations. store_migrate applies every pending step in one transaction per
 * step; CORE_SCHEMA_NEWER if the database is newer than STORE_SCHEMA_VERSION.
 * store_open itself never migrates; store_check_schema tells whether the
 * database is usable as it is (CORE_OK, CORE_SCHEMA_NEWER, or CORE_INVALID
 * when migrations are pending). */
int store_migrate(store *s, int *from_version, int *to_version);
int store_schema_version(store *s, int *version);
int store_check_schema(store *s);

int store_acquire(store *s, store_conn **out);   /* CORE_BUSY after busy_timeout_ms */
void store_release(store *s, store_conn *c);     /* rolls back an open transaction */

/* The last engine error on this connection ("" if none): statement name,
 * SQLSTATE (PostgreSQL) and the primary message, never row values. */
const char *store_errmsg(const store_conn *c);

/* Why storage last answered CORE_BUSY on this thread, as a short fixed text
 * ("storage: database is locked", "storage: disk full", "storage: connection
 * lost", ...; never a statement or a value), or NULL. The first cause since
 * the last reset is kept; take returns it and resets. A server thread resets
 * it before each request (app_authorize) so the access log can name it. */
const char *store_busy_cause_take(void);
void store_busy_cause_reset(void);

int store_begin(store_conn *c);                  /* read-write transaction */
int store_commit(store_conn *c);
int store_rollback(store_conn *c);

/* ---- organisations (tenants) ---- */
typedef struct store_org {
    int64_t id;
    const char *slug;                /* unique, [a-z0-9-] */
    const char *name;
    const char *kind;                /* "company" or "sector_body" */
    int64_t parent_id;               /* sector body a member company belongs to; 0 = none */
    const char *description;         /* may be NULL */
    int64_t created_at;              /* unix seconds */
} store_org;

int store_org_create(store_conn *c, store_org *o);                 /* sets o->id, created_at */
int store_org_get(store_conn *c, core_arena *a, int64_t id, store_org *out);
int store_org_get_by_slug(store_conn *c, core_arena *a, const char *slug, store_org *out);
int store_org_list(store_conn *c, core_arena *a, store_org **out, size_t *n);     /* by id */
int store_org_first(store_conn *c, core_arena *a, store_org *out); /* lowest id: the installation's own org */
int store_org_update(store_conn *c, const store_org *o);            /* name, description */

/* ---- staff accounts and memberships ---- */
typedef struct store_user {
    int64_t id;
    const char *email;               /* unique, lower-cased by the caller */
    const char *display_name;
    const char *pw_hash;             /* argon2id string */
    const char *totp_secret;         /* base32, NULL when no second factor */
    int disabled;
    int failed_logins;               /* consecutive */
    int64_t locked_until;            /* unix seconds; 0 = not locked */
    int64_t created_at;
    int64_t last_login_at;
} store_user;

typedef struct store_member {        /* a user as seen from one organisation */
    store_user user;
    core_role role;
} store_member;

typedef struct store_membership {    /* an organisation as seen from one user */
    store_org org;
    core_role role;
} store_membership;

int store_user_create(store_conn *c, store_user *u);                /* sets u->id, created_at; CORE_CONFLICT on email */
int store_user_get(store_conn *c, core_arena *a, int64_t id, store_user *out);
int store_user_get_by_email(store_conn *c, core_arena *a, const char *email, store_user *out);
int store_user_list_all(store_conn *c, core_arena *a, store_user **out, size_t *n);
int store_user_set_password(store_conn *c, int64_t user_id, const char *pw_hash);
int store_user_set_disabled(store_conn *c, int64_t user_id, int disabled);
int store_user_set_totp(store_conn *c, int64_t user_id, const char *secret_or_null);
int store_user_set_display_name(store_conn *c, int64_t user_id, const char *name);
/* Records a login attempt: success resets failed_logins and sets last_login_at;
 * failure increments failed_logins and sets locked_until (0 to leave as is). */
int store_user_login_result(store_conn *c, int64_t user_id, int success, int64_t now,
                            int64_t locked_until);

int store_member_set(store_conn *c, int64_t org_id, int64_t user_id, core_role role); /* upsert */
int store_member_remove(store_conn *c, int64_t org_id, int64_t user_id);
int store_member_get(store_conn *c, core_arena *a, int64_t org_id, int64_t user_id, store_member *out);
int store_member_list(store_conn *c, core_arena *a, int64_t org_id, store_member **out, size_t *n);
int store_membership_list(store_conn *c, core_arena *a, int64_t user_id,
                          store_membership **out, size_t *n);

/* ---- sessions (staff, cookie) ---- */
typedef struct store_session {
    const char *id_hash;             /* BLAKE2b of the cookie value; the value itself is never stored */
    int64_t user_id;
    int64_t org_id;                  /* current organisation (switcher) */
    const char *csrf_token;
    int totp_pending;                /* 1 until the second factor is given */
    int64_t created_at;
    int64_t last_seen_at;
} store_session;

int store_session_create(store_conn *c, const store_session *s);
int store_session_get(store_conn *c, core_arena *a, const char *id_hash, store_session *out);
int store_session_touch(store_conn *c, const char *id_hash, int64_t now);
int store_session_set_org(store_conn *c, const char *id_hash, int64_t org_id);
int store_session_set_totp_done(store_conn *c, const char *id_hash);
int store_session_delete(store_conn *c, const char *id_hash);
int store_session_delete_user(store_conn *c, int64_t user_id);   /* all of a user's sessions */
int store_session_purge(store_conn *c, int64_t idle_before, int64_t created_before);

/* ---- API tokens (machine clients) ---- */
typedef struct store_token {
    int64_t id;
    int64_t org_id;
    int64_t user_id;                 /* who created it; acts with that user's role, capped by scopes */
    const char *name;
    const char *token_hash;          /* BLAKE2b of the token; the token itself is shown once */
    const char *scopes;              /* space-separated: "read", "write", "metrics" */
    int64_t created_at;
    int64_t expires_at;              /* 0 = never */
    int64_t revoked_at;              /* 0 = active */
    int64_t last_used_at;
} store_token;

int store_token_create(store_conn *c, store_token *t);             /* sets t->id, created_at */
int store_token_get_by_hash(store_conn *c, core_arena *a, const char *token_hash, store_token *out);
int store_token_list(store_conn *c, core_arena *a, int64_t org_id, store_token **out, size_t *n);
int store_token_revoke(store_conn *c, int64_t org_id, int64_t token_id, int64_t now); /* CORE_NOTFOUND if not in org */
int store_token_touch(store_conn *c, int64_t token_id, int64_t now);

/* ---- products and services catalogue (scope objects; extended by later work) ---- */
typedef struct store_product {
    int64_t id;
    int64_t org_id;
    const char *slug;
    const char *name;
    const char *kind;                /* "product", "service" or "feature" */
    const char *description;
    int64_t created_at;
} store_product;

int store_product_create(store_conn *c, store_product *p);
int store_product_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_product *out);
int store_product_list(store_conn *c, core_arena *a, int64_t org_id, store_product **out, size_t *n);

/* ---- audit trail: append-only, hash-chained ---- */
typedef struct store_audit_entry {
    int64_t seq;                     /* 1, 2, 3 ... over the whole installation */
    int64_t at;                      /* unix seconds */
    int64_t org_id;                  /* 0 for installation-wide events */
    int64_t actor_user_id;           /* 0 when not a staff member (system, CLI, anonymous) */
    const char *actor;               /* "user:12", "cli", "system", "token:4", "public" */
    const char *object_type;         /* "user", "org", "session", "token", ... */
    const char *object_id;
    const char *action;              /* "create", "update", "disable", "login", ... */
    const char *before_digest;       /* BLAKE2b hex of the object before, or NULL */
    const char *after_digest;        /* BLAKE2b hex of the object after, or NULL */
    const char *prev_hash;           /* hash of entry seq-1 ("" for seq 1) */
    const char *hash;                /* BLAKE2b over prev_hash and every field above */
} store_audit_entry;

/* Appends e (seq, prev_hash and hash are computed here and written back into
 * e, pointing into a). Serialises with concurrent appenders. Call inside the
 * transaction of the change it records, so both commit or neither does. */
int store_audit_append(store_conn *c, core_arena *a, store_audit_entry *e);
/* Newest first; org_id 0 lists every org (installation-wide auditors only). */
int store_audit_list(store_conn *c, core_arena *a, int64_t org_id, int64_t before_seq, int limit,
                     store_audit_entry **out, size_t *n);
/* Recomputes the whole chain. CORE_OK, or CORE_CORRUPT with *first_bad set to
 * the first entry whose hash or link does not hold (or a missing seq). */
int store_audit_verify(store_conn *c, int64_t *checked, int64_t *first_bad);
/* The hash of an entry, exactly as append and verify compute it. */
void store_audit_hash(const store_audit_entry *e, char out[65]);

/* ---- settings (installation-wide key/value, e.g. instance name) ---- */
int store_setting_get(store_conn *c, core_arena *a, const char *key, const char **value);
int store_setting_set(store_conn *c, const char *key, const char *value);

/* ---- grievance mechanism (issue 3; src/remedy is the only caller) ----
 * Every sensitive value arrives here already encrypted by src/remedy
 * (columns enc_*: base64 of nonce || XChaCha20-Poly1305 ciphertext); the
 * store never sees clear text of a narrative, contact detail, message, note
 * or attachment. States, kinds and clock names are the grievance module's
 * names as TEXT. Every function takes the org id and filters by it, except
 * the receipt lookup (the receipt hash names the case in any org). */
typedef struct store_grievance {
    int64_t id;
    int64_t org_id;
    const char *reference;           /* "G-XXXXXXXX", unique */
    const char *receipt_hash;        /* keyed BLAKE2b hex of the normalised receipt, unique */
    const char *state;               /* grv_state_name */
    const char *category;            /* grv_category_name */
    const char *channel;
    const char *language;
    const char *country;             /* may be NULL */
    const char *incident_date;       /* may be NULL */
    const char *decision_date;       /* may be NULL */
    const char *affected;            /* may be NULL */
    int64_t affected_count;
    const char *contact_preference;
    int64_t product_id;              /* 0 = none */
    const char *enc_narrative;       /* ciphertexts; NULL when the field is empty */
    const char *enc_product_text;
    const char *enc_rights_text;
    const char *enc_vulnerable_group;
    const char *enc_outcome_sought;
    const char *enc_contact_name;
    const char *enc_contact_email;
    const char *enc_contact_phone;
    const char *enc_partner;
    const char *enc_rating_comment;
    const char *wrapped_key;         /* the case key under the org's KEK */
    int64_t key_version;
    int scale, scope, irremediable, urgent, vulnerable;   /* triage; 0 = untriaged */
    int severity;
    int priority;
    int64_t assigned_user_id;        /* 0 = nobody */
    int64_t previous_handler_id;     /* handler before an appeal */
    int64_t last_handler_id;         /* last staff member who moved the case */
    int64_t collective_id;           /* 0 = none */
    int waiting_on_complainant;
    int satisfaction;                /* 0 = not rated */
    int64_t created_at, updated_at, acknowledged_at, closed_at;
    int64_t row_version;             /* optimistic concurrency: bumped by every update */
    /* list rows only (store_grievance_list): the nearest running clock */
    int64_t next_due_at;             /* 0 = none */
    const char *next_due_clock;      /* clock name or NULL */
} store_grievance;

/* Sets id, row_version = 1. CORE_CONFLICT when the reference or receipt hash
 * is taken (the caller rolls back and retries with new ones). */
int store_grievance_create(store_conn *c, store_grievance *g);
int store_grievance_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_grievance *out);
int store_grievance_get_by_reference(store_conn *c, core_arena *a, int64_t org_id,
                                     const char *reference, store_grievance *out);
/* Any org: the receipt is the complainant's only credential. */
int store_grievance_get_by_receipt(store_conn *c, core_arena *a, const char *receipt_hash,
                                   store_grievance *out);
/* Writes every mutable column (state, enc_rating_comment, wrapped_key,
 * key_version, triage, priority, handlers, collective, waiting, satisfaction,
 * times) where org_id, id and row_version match; bumps g->row_version.
 * CORE_CONFLICT if the row changed meanwhile, CORE_NOTFOUND if not in org. */
int store_grievance_update(store_conn *c, store_grievance *g);

typedef struct store_grievance_filter {
    const char *state;               /* NULL = any */
    int open_only;                   /* state not in (closed, withdrawn) */
    const char *category;            /* NULL = any */
    const char *channel;             /* NULL = any */
    int64_t assigned_user_id;        /* 0 = any */
    int unassigned;
    int64_t collective_id;           /* 0 = any */
    int64_t due_before;              /* 0 = any; else a running, unpaused clock due before it */
    int64_t hide_recused;            /* user id: leave out the cases this user recused from; 0 = none */
    int limit;                       /* 0 = 200 */
    int offset;
} store_grievance_filter;

/* Summary rows (enc_* and wrapped_key NULL), next_due_* filled; ordered by
 * priority, severity descending, nearest due clock, id. */
int store_grievance_list(store_conn *c, core_arena *a, int64_t org_id,
                         const store_grievance_filter *f, store_grievance **out, size_t *n);
/* Every case of the org with its wrapped key only (key rotation). */
int store_grievance_keys(store_conn *c, core_arena *a, int64_t org_id, store_grievance **out,
                         size_t *n);
int store_grievance_set_key(store_conn *c, int64_t org_id, int64_t id, const char *wrapped_key,
                            int64_t key_version);
/* SQLite: synchronous=FULL (full = 1) or back to NORMAL for this connection,
 * around a commit that must survive a power loss (intake); PostgreSQL: no-op
 * (synchronous_commit stays on). Call outside a transaction. */
int store_grievance_durable(store_conn *c, int full);
/* The id of the org's catalogue product with this slug (CORE_NOTFOUND). */
int store_grievance_product_id(store_conn *c, int64_t org_id, const char *slug, int64_t *id);

typedef struct store_grievance_clock {
    int64_t case_id;
    const char *kind;                /* grv_clock_name */
    int64_t started_at, due_at, paused_since, paused_total, extended_by, stopped_at;
} store_grievance_clock;

int store_grievance_clock_put(store_conn *c, int64_t org_id, const store_grievance_clock *k); /* upsert by (case, kind) */
int store_grievance_clock_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                               store_grievance_clock **out, size_t *n);

typedef struct store_grievance_event {
    int64_t id;
    int64_t case_id;
    int64_t org_id;
    int64_t at;
    const char *kind;                /* "received", "transition", "message", "note", ... */
    const char *action;              /* grv_action_name or NULL */
    const char *from_state;          /* NULL when not a transition */
    const char *to_state;
    const char *actor_kind;          /* "staff", "complainant", "system" */
    int64_t actor_user_id;           /* 0 unless staff */
    int internal;                    /* 1 = never shown to the complainant */
    const char *enc_body;            /* may be NULL */
    const char *public_key;          /* message key of the plain-language text, may be NULL */
    int64_t attachment_id;           /* 0 = none */
    const char *actor_name;          /* list only: staff display name, NULL otherwise */
} store_grievance_event;

int store_grievance_event_add(store_conn *c, store_grievance_event *e);       /* sets id */
int store_grievance_event_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                               int public_only, store_grievance_event **out, size_t *n); /* oldest first */

int store_grievance_recusal_add(store_conn *c, int64_t org_id, int64_t case_id, int64_t user_id,
                                int64_t at, const char *enc_reason);  /* CORE_CONFLICT if already */
int store_grievance_recused(store_conn *c, int64_t org_id, int64_t case_id, int64_t user_id,
                            int *yes);
int store_grievance_recusal_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                 int64_t **user_ids, size_t *n);

typedef struct store_grievance_remedy {
    int64_t id;
    int64_t case_id;
    int64_t org_id;
    const char *type;
    const char *state;               /* "proposed", "accepted", "rejected", "implemented" */
    const char *enc_description;
    const char *enc_comment;         /* the complainant's, with the decision */
    const char *enc_evidence;
    int64_t proposed_by;
    int64_t proposed_at, decided_at, implemented_at;
} store_grievance_remedy;

int store_grievance_remedy_add(store_conn *c, store_grievance_remedy *r);     /* sets id */
int store_grievance_remedy_update(store_conn *c, const store_grievance_remedy *r); /* state, texts, times */
int store_grievance_remedy_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                store_grievance_remedy **out, size_t *n);     /* oldest first */

typedef struct store_grievance_attachment {
    int64_t id;
    int64_t case_id;
    int64_t org_id;
    int64_t event_id;                /* 0 = none */
    const char *mime;
    int64_t size;                    /* clear size in bytes */
    const char *enc_name;            /* may be NULL */
    const char *enc_data;            /* NULL in lists */
    const char *uploaded_by;         /* "complainant" or "staff" */
    int internal;
    int64_t created_at;
} store_grievance_attachment;

int store_grievance_attachment_add(store_conn *c, store_grievance_attachment *t);   /* sets id */
int store_grievance_attachment_set_event(store_conn *c, int64_t org_id, int64_t id, int64_t event_id);
int store_grievance_attachment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                   int64_t id, store_grievance_attachment *out);      /* with data */
int store_grievance_attachment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                    int public_only, store_grievance_attachment **out, size_t *n);
int store_grievance_attachment_count(store_conn *c, int64_t org_id, int64_t case_id, int64_t *n);

typedef struct store_collective {
    int64_t id;
    int64_t org_id;
    const char *title;
    const char *enc_description;     /* may be NULL */
    const char *wrapped_key;
    int64_t key_version;
    int64_t created_at, updated_at;
} store_collective;

int store_collective_create(store_conn *c, store_collective *k);             /* sets id */
int store_collective_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_collective *out);
int store_collective_list(store_conn *c, core_arena *a, int64_t org_id, store_collective **out,
                          size_t *n);                                          /* by id */
int store_collective_touch(store_conn *c, int64_t org_id, int64_t id, int64_t now);
/* Member case ids, by id. */
int store_collective_members(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                             int64_t **case_ids, size_t *n);

typedef struct store_grievance_policy {  /* mirrors grv_policy (days) */
    int ack_days, feedback_days, moderation_window_days, dsr_days, dsr_extension_days, due_soon_days;
    int64_t updated_at;
} store_grievance_policy;

int store_grievance_policy_get(store_conn *c, int64_t org_id, store_grievance_policy *out); /* CORE_NOTFOUND = defaults */
int store_grievance_policy_set(store_conn *c, int64_t org_id, const store_grievance_policy *p); /* upsert */

/* ---- external mechanisms, referrals, time-limit notifications (ecosystem) ----
 * Mechanisms form a directory of outside bodies a case can be referred to.
 * org_id 0 is the installation-wide shared directory (e.g. the data
 * protection authorities imported with `hrdd mechanisms import`); an org may
 * add its own. Reads by an org see its own entries and the shared ones;
 * changes are by exact org_id (0 for shared entries). Slugs are unique per
 * org_id. List fields (jurisdictions, subjects, languages) are space-separated
 * words. */
typedef struct store_mechanism {
    int64_t id;
    int64_t org_id;                  /* 0 = installation-wide */
    const char *slug;
    const char *kind;                /* "judicial", "state_non_judicial", "non_state" */
    const char *subkind;             /* "data_protection_authority", "court", "ombudsman", ... */
    const char *name;
    const char *jurisdictions;       /* "DE", "FR BE", "EU" */
    const char *subjects;            /* "data_protection privacy" */
    const char *languages;           /* "de en" */
    const char *email, *phone, *address, *website, *intake_url;   /* may be NULL */
    const char *time_limit_text;     /* may be NULL */
    const char *last_verified;       /* YYYY-MM-DD or NULL */
    const char *source;              /* where the entry came from, may be NULL */
    int64_t created_at;
    int64_t updated_at;
} store_mechanism;

int store_mechanism_create(store_conn *c, store_mechanism *m);  /* sets id, times; CORE_CONFLICT on slug */
int store_mechanism_update(store_conn *c, store_mechanism *m);  /* by (org_id, id); sets updated_at */
int store_mechanism_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_mechanism *out);
/* Exactly in org_id's own namespace (0 = shared). */
int store_mechanism_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                                store_mechanism *out);
/* Own (org_id) and shared entries, by name; org_id 0 lists the shared ones only. */
int store_mechanism_list(store_conn *c, core_arena *a, int64_t org_id, store_mechanism **out, size_t *n);

typedef struct store_referral {      /* a case sent to, or run in parallel with, a mechanism */
    int64_t id;
    int64_t org_id;
    int64_t case_id;
    int64_t mechanism_id;
    const char *kind;                /* "referral", "escalation", "parallel" */
    int consent_given;               /* the complainant agreed to the referral */
    int consent_contact;             /* ... and to their contact data going with it */
    const char *enc_consent_text;    /* ciphertext (case key), may be NULL */
    int64_t consent_at;              /* when the consent was recorded; 0 = none */
    const char *state;               /* "proposed", "sent", "acknowledged", "decided", "closed" */
    const char *enc_outcome;         /* ciphertext, may be NULL */
    int64_t created_at;
    int64_t updated_at;
} store_referral;

int store_referral_create(store_conn *c, store_referral *r);    /* sets id, times */
int store_referral_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_referral *out);
int store_referral_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                        store_referral **out, size_t *n);       /* by id */
int store_referral_update(store_conn *c, store_referral *r);    /* state, enc_outcome; sets updated_at */

/* One notification sent about a clock of a case reaching a status
 * ("due_soon", "overdue") for a given due date: recorded once, so a clock is
 * notified once per status change (an extension moves due_at: new status). */
typedef struct store_sla_note {
    int64_t id;
    int64_t org_id;
    int64_t case_id;
    const char *clock;               /* grv_clock_name */
    const char *status;              /* "due_soon", "overdue" */
    int64_t due_at;
    int64_t notified_at;
    int recipients;
} store_sla_note;

/* CORE_OK when recorded now (sets nt->id), CORE_CONFLICT when this (case,
 * clock, status, due_at) was already recorded. */
int store_sla_note_add(store_conn *c, store_sla_note *nt);
int store_sla_note_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                        store_sla_note **out, size_t *n);
/* Withdraws a claim (the message could not be sent: retried next run). */
int store_sla_note_delete(store_conn *c, int64_t org_id, int64_t id);

/* Statistics in bulk (one query each over the whole org, rows ordered by
 * case id), so figures for many cases need no query per case. */
typedef struct store_stats_row {
    int64_t case_id;
    const char *a;                   /* clock kind | remedy type | action */
    const char *b;                   /* NULL | remedy state | NULL */
    int64_t due_at, paused_since, stopped_at;   /* clocks only */
} store_stats_row;
int store_stats_clocks(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out, size_t *n);
int store_stats_remedies(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out, size_t *n);
/* Transition events whose action is appeal, review_appeal or uphold. */
int store_stats_appeal_steps(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out,
                             size_t *n);

/* ---- the complainant's status read (repo_receipt_read.c) ----
 * The case's plain columns and its clocks in one statement (no ciphertext,
 * no wrapped key): what a receipt status answer needs. */
typedef struct store_receipt_status {
    int64_t id, org_id;
    const char *reference, *state, *category, *language;
    int64_t created_at, updated_at;
    int waiting_on_complainant;
    int satisfaction;                /* 0 = not rated */
    store_grievance_clock *clocks;   /* ordered by started_at, kind */
    size_t nclocks;
} store_receipt_status;
/* CORE_NOTFOUND when no case has this receipt hash. */
int store_receipt_status_get(store_conn *c, core_arena *a, const char *receipt_hash,
                             store_receipt_status *out);

/* ---- erasure of a case's personal data (repo_erase.c) ----
 * store_grievance_erase, inside the caller's transaction: replaces the
 * narrative with enc_narrative (a marker sealed under the new case key
 * wrapped_key) and clears every other sealed column, the incident and
 * decision dates, every event body, remedy text, recusal reason and
 * referral consent/outcome, and deletes the case's attachments. The plain
 * columns the statistics read stay. The caller adds the "erased" event and
 * the audit entry in the same transaction. CORE_NOTFOUND if not in org. */
int store_grievance_erase(store_conn *c, int64_t org_id, int64_t case_id, const char *enc_narrative,
                          const char *wrapped_key, int64_t key_version, int64_t now);
/* Closed or withdrawn cases of the org closed before closed_before and not
 * yet erased, by id. */
int store_grievance_erase_due(store_conn *c, core_arena *a, int64_t org_id, int64_t closed_before,
                              int64_t **case_ids, size_t *n);
/* When the case was erased (its first "erased" event), 0 if never. */
int store_grievance_erased(store_conn *c, int64_t org_id, int64_t case_id, int64_t *erased_at);

/* ---- backup and restore (store_backup.c) ----
 * store_backup: an online, consistent copy of the open database into path
 * (a new file). SQLite: the online backup API into a new SQLite file, in
 * steps of pages_per_step pages (0 = 256) with the source's lock released
 * between steps, so writers wait only milliseconds. PostgreSQL: pg_dump
 * --format=custom (found in PATH or /usr/lib/postgresql/<v>/bin; CORE_NOTFOUND
 * with msg set when absent). msg (may be NULL) receives a message on failure. */
int store_backup(store *s, const char *path, int pages_per_step, char *msg, size_t msgsz);
/* What a backup file is: "sqlite" or "postgresql" (pg_dump custom format),
 * or NULL when neither. */
const char *store_backup_kind(const char *path);
/* Checks a SQLite backup file without changing it: PRAGMA integrity_check
 * and its schema version (*version; 0 when it has none). CORE_CORRUPT with
 * msg set when the check fails. */
int store_backup_check(const char *path, int *version, char *msg, size_t msgsz);
/* Restores backup file path into the database at url (which must be empty
 * unless force): SQLite through the backup API (from the file into url),
 * PostgreSQL through pg_restore (--clean --if-exists with force). The caller
 * opens the store afterwards, migrates and audits. */
int store_restore(const char *url, const char *path, int force, char *msg, size_t msgsz);
/* 1 when the database at url holds hrdd data (a schema_version table with a
 * row), 0 when it is empty or missing; negative CORE_* on error. */
int store_url_has_data(const char *url);

/* The storage of later modules, one part header each. */
#include "store/store_dd.h"
#include "store/store_tr.h"
#include "store/store_as.h"

#endif
