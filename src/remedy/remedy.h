/* remedy: hrdd's operational grievance mechanism as a service (UNGP 29-31).
 *
 * One rmd_service per process, shared by the API, the web pages and the CLI;
 * thread-safe (each call takes its own store connection and transaction).
 *
 * Design
 * - Intake (rmd_file): validate (grv_intake_validate + database checks such
 *   as the product slug), create a random 32-byte case key, encrypt every
 *   sensitive field under it, generate the receipt and the public reference,
 *   start the clocks of the category (grv_clocks_for), and store the case,
 *   its clocks, a "received" event and an audit entry in ONE transaction;
 *   the function returns only after the commit (the 201 is then durable).
 * - Keys: the root secret (32 bytes, kept outside the database: the server
 *   secret file) derives, with crypto_kdf_derive_from_key, a receipt-lookup
 *   key (context "hrddrcpt") and, per organisation and key version, a
 *   key-encryption key (context "hrddkek_", subkey id = version << 48 | org).
 *   The case key is stored wrapped (XChaCha20-Poly1305 under the KEK, the
 *   associated data binding it to org, version and reference) with its key
 *   version. Field ciphertexts are base64(nonce || ct) TEXT, associated data
 *   "case:<reference>:<field>" (the reference is unique and immutable and,
 *   unlike the row id, known before the insert: one statement per case), so
 *   ciphertexts cannot be moved between cases or fields. Staff never hold
 *   keys: a handler leaving needs no re-keying; rotation re-wraps case keys
 *   under a new KEK version (rmd_rotate_keys). A stolen database (and its WAL)
 *   reveals no narrative, contact data, message, note or attachment; a
 *   compromised running server does (documented trade-off).
 * - Receipt: 100 random bits, "XXXXX-XXXXX-XXXXX-XXXXX" (grv_receipt_format),
 *   shown once; stored only as keyed BLAKE2b under the receipt-lookup key,
 *   which is the lookup index (no argon2 on this path: the code itself has
 *   100 bits, so a fast keyed hash is enough and costs microseconds).
 * - Receipt throttling: the lookup is done first; a valid receipt always
 *   works. A failed lookup is counted per source (peer address hashed with a
 *   per-process random key, in memory only) and globally; past either limit
 *   failures answer CORE_BUSY (HTTP 429 with Retry-After) instead of
 *   CORE_NOTFOUND (404). Every wrong code costs the same work.
 * - Workflow: every state change goes through grv_transition, is one
 *   transaction with an event (actor, time, reason, plain-language key for
 *   the complainant) and an audit entry (object "grievance", id = case id,
 *   no content). Optimistic concurrency: a case changed by someone else
 *   between read and write gives CORE_CONFLICT (retry).
 * - Authorization inside the service as well as at the routes: reading cases
 *   needs CORE_PERM_CASES_READ, changing them CORE_PERM_CASES_HANDLE (else
 *   CORE_DENIED); every call is scoped by actor->org_id and a case of another
 *   organisation answers CORE_NOTFOUND, exactly like a missing one. A
 *   recused handler gets CORE_DENIED on that case.
 *
 * The module's own files share src/remedy/rmd_internal.h (service struct,
 * key model, per-case transaction helpers).
 *
 * Strings in out structs live in the arena passed in. Status codes: CORE_OK,
 * CORE_INVALID (bad input; grv_error names the field when one is passed),
 * CORE_NOTFOUND, CORE_DENIED, CORE_CONFLICT (state does not allow it / raced),
 * CORE_BUSY (throttled or pool exhausted), CORE_ERR, CORE_NOMEM.
 */
#ifndef HRDD_REMEDY_H
#define HRDD_REMEDY_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "grievance/grievance.h"
#include "store/store.h"

typedef struct rmd_service rmd_service;

#define RMD_MAX_TEXT 20000           /* bytes of any free text (message, note, reason, ...) */
#define RMD_MAX_COMPLAINANT_POSTS 200 /* messages + further information per case (CORE_CONFLICT past it) */
#define RMD_REFERENCE_LEN 10         /* "G-XXXXXXXX" */

typedef struct rmd_options {
    int64_t (*now)(void);            /* unix seconds; NULL = time(NULL). Tests inject a clock. */
    /* receipt-lookup throttle (failed lookups only; sliding windows, in memory) */
    int receipt_peer_max;            /* failures per source per window; default 10 */
    int64_t receipt_peer_window_s;   /* default 900 */
    int receipt_global_max;          /* failures over all sources per window; default 1000 */
    int64_t receipt_global_window_s; /* default 60 */
    size_t max_attachment_bytes;     /* default 5 MiB */
    int max_attachments_per_case;    /* default 20 */
    /* Durability of intake on SQLite: 1 (default) = synchronous=FULL for the
     * filing commit, so a power loss never loses a returned receipt;
     * concurrent filings share one commit (group commit), so the sync is
     * paid once per batch. 0 = NORMAL (a crash of the process still loses
     * nothing committed; a power loss may lose the last commits). */
    int durable_intake;
    /* notifications (used by the SLA part, helper "ecosystem") */
    const char *sendmail_command;    /* e.g. "/usr/sbin/sendmail -t"; NULL = none */
    const char *mail_sink_path;      /* tests: append each message to this file instead */
    const char *mail_from;           /* From: header; default "hrdd@localhost" */
    const char *base_url;            /* for links in notifications; may be NULL */
} rmd_options;

void rmd_options_defaults(rmd_options *o);

/* root: the installation's server secret. opt may be NULL (defaults). */
int rmd_open(rmd_service **out, store *st, const unsigned char root[CRY_SECRET_LEN],
             const rmd_options *opt);
void rmd_close(rmd_service *svc);
int64_t rmd_now(const rmd_service *svc);
const rmd_options *rmd_options_of(const rmd_service *svc);

/* A staff member acting (or the CLI / system with role ADMIN, user_id 0). */
typedef struct rmd_actor {
    int64_t user_id;                 /* 0 for the CLI / system */
    int64_t org_id;                  /* the organisation acted in */
    core_role role;
    const char *label;               /* audit actor: "user:12", "token:3", "cli", "system" */
} rmd_actor;

/* A complainant's request source, for throttling (never stored, never logged). */
typedef struct rmd_peer {
    const char *addr;                /* remote address as text; NULL = unknown (one shared bucket) */
    int64_t retry_after_s;           /* out: set with CORE_BUSY */
} rmd_peer;

/* ---- shared views ---- */
typedef struct rmd_clock_view {
    grv_clock clock;
    grv_clock_status status;         /* evaluated at the call's "now" */
    const char *name;                /* grv_clock_name */
} rmd_clock_view;

typedef enum rmd_visibility {
    RMD_VIS_PUBLIC = 0,              /* complainant sees it (in plain language) */
    RMD_VIS_INTERNAL                 /* staff only: notes, assignment, triage, recusal */
} rmd_visibility;

typedef struct rmd_event {
    int64_t id;
    int64_t at;
    const char *kind;                /* "received", "transition", "message", "question",
                                        "reply", "info", "attachment", "note", "assign",
                                        "recuse", "triage", "extend", "remedy", "rating",
                                        "collective" */
    const char *action;              /* grv_action_name for transitions, else NULL */
    int from_state;                  /* grv_state, -1 when not a transition */
    int to_state;
    grv_actor_kind actor_kind;
    int64_t actor_user_id;           /* 0 in public views and for the complainant/system */
    const char *actor_name;          /* staff display name (staff views only), else NULL */
    rmd_visibility visibility;
    const char *body;                /* decrypted text (message, reason, note); may be NULL */
    const char *public_key;          /* message-catalogue key of the plain-language text */
    int64_t attachment_id;           /* > 0 for "attachment" events */
} rmd_event;

typedef enum rmd_remedy_state {
    RMD_REMEDY_PROPOSED = 0, RMD_REMEDY_ACCEPTED, RMD_REMEDY_REJECTED, RMD_REMEDY_IMPLEMENTED
} rmd_remedy_state;
const char *rmd_remedy_state_name(rmd_remedy_state s);

typedef struct rmd_remedy {
    int64_t id;
    const char *type;                /* grv_remedy_types(): "apology", "restitution", ... */
    const char *description;         /* decrypted */
    rmd_remedy_state state;
    const char *complainant_comment; /* decrypted, with the decision; may be NULL */
    const char *evidence;            /* decrypted, when implemented */
    int64_t proposed_at, decided_at, implemented_at;
} rmd_remedy;

typedef struct rmd_attachment {
    int64_t id;
    int64_t event_id;
    const char *filename;            /* decrypted; may be NULL */
    const char *mime;                /* sniffed type */
    int64_t size;
    const char *uploaded_by;         /* "complainant" or "staff" */
    rmd_visibility visibility;
    int64_t created_at;
    const unsigned char *data;       /* decrypted bytes: only from rmd_*_attachment_get */
} rmd_attachment;

/* ---- intake ---- */
typedef struct rmd_filed {
    char receipt[GRV_RECEIPT_TEXT + 1];  /* clear, shown once, never stored */
    char reference[RMD_REFERENCE_LEN + 1];
    int64_t case_id;
    int64_t org_id;
    grv_state state;                 /* GRV_RECEIVED */
    int64_t created_at;
    int64_t ack_due_at;              /* due date of the acknowledgement clock (0 if none) */
} rmd_filed;

/* Files a grievance in org_id (0 = the installation's first organisation).
 * staff NULL: public intake (channel "web"/"api" only; the caller sets
 * in->channel, default "web"). staff non-NULL (CASES_HANDLE in org_id, which
 * is then staff->org_id): a grievance recorded from a phone call, letter,
 * e-mail or partner organisation, with that channel. CORE_INVALID with err
 * naming the field on bad input (nothing stored); CORE_NOTFOUND for an
 * unknown org. */
int rmd_file(rmd_service *svc, core_arena *a, int64_t org_id, const grv_intake *in,
             const rmd_actor *staff, rmd_filed *out, grv_error *err);

/* Files sent with the grievance (the intake form): stored in the same
 * transaction, so a refused file (type, size, count; err->field
 * "/attachments/<i>") leaves nothing stored. */
typedef struct rmd_upload {
    const char *filename;            /* may be NULL */
    const void *data;
    size_t len;
} rmd_upload;
int rmd_file_with(rmd_service *svc, core_arena *a, int64_t org_id, const grv_intake *in,
                  const rmd_actor *staff, const rmd_upload *files, size_t nfiles,
                  rmd_filed *out, grv_error *err);

/* ---- complainant side (by receipt) ----
 * Every function resolves the receipt first: wrong -> CORE_NOTFOUND, or
 * CORE_BUSY (peer->retry_after_s set) when that source or everyone is over
 * the failure limit. A valid receipt is never throttled. */
enum {
    RMD_PUB_THREAD = 1,              /* public events with their texts */
    RMD_PUB_REMEDIES = 2,
    RMD_PUB_ATTACHMENTS = 4,
    RMD_PUB_ALL = 7
};

typedef struct rmd_case_public {
    const char *reference;
    grv_state state;
    const char *state_name;          /* grv_state_name */
    const char *state_key;           /* grv_state_public_key: plain-language text */
    const char *category;
    const char *language;
    int64_t created_at, updated_at;
    int waiting_on_complainant;      /* a handler asked a question */
    rmd_clock_view clocks[GRV_CLOCK__COUNT];
    size_t nclocks;
    rmd_event *thread;               /* RMD_PUB_THREAD: public events, oldest first,
                                        no staff identity, no internal note */
    size_t nthread;
    rmd_remedy *remedies;            /* RMD_PUB_REMEDIES */
    size_t nremedies;
    rmd_attachment *attachments;     /* RMD_PUB_ATTACHMENTS: public ones, without data */
    size_t nattachments;
    int satisfaction;                /* 0 = not rated */
    int64_t erased_at;               /* personal data erased at (0 = not erased); nothing may be done then */
    /* what the complainant may do now */
    int can_message, can_decide_remedy, can_appeal, can_withdraw, can_rate;
} rmd_case_public;

/* Read path: no writes (fast; the status API). what = RMD_PUB_* flags (0 = state and clocks). */
int rmd_receipt_open(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                     unsigned what, rmd_case_public *out);
/* Internal: the case a receipt names (for the ecosystem's receipt-side views). */
int rmd_receipt_resolve(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        int64_t *org_id, int64_t *case_id);

/* A message to the handlers; if they were waiting for an answer, the paused
 * clocks resume (kind "reply"). */
int rmd_receipt_message(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        const char *text);
/* Further information about the grievance (kind "info"); also resumes clocks. */
int rmd_receipt_add_info(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                         const char *text);
/* A file (type sniffed with grv_sniff_type; CORE_INVALID when too big or of a
 * refused type). *attachment_id may be NULL. */
int rmd_receipt_attach(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                       const char *filename, const void *data, size_t len, int64_t *attachment_id);
/* Public attachments of the case (the complainant's own and those staff shared). */
int rmd_receipt_attachment_get(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                               int64_t attachment_id, rmd_attachment *out);
/* Accept (1) or reject (0) the proposed remedy; comment optional. CORE_CONFLICT if none is proposed. */
int rmd_receipt_remedy_decision(rmd_service *svc, core_arena *a, const char *receipt,
                                rmd_peer *peer, int accept, const char *comment);
int rmd_receipt_appeal(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                       const char *reason);   /* reason required */
int rmd_receipt_withdraw(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                         const char *reason); /* reason optional */
/* Satisfaction 1-5 with an optional comment; once the case is closed or the
 * remedy implemented; once only (CORE_CONFLICT afterwards). */
int rmd_receipt_rate(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                     int satisfaction, const char *comment);

/* ---- staff side ---- */
typedef struct rmd_filter {
    int state;                       /* grv_state, -1 = any */
    int open_only;                   /* exclude closed and withdrawn */
    int category;                    /* grv_category, -1 = any */
    const char *channel;             /* NULL = any */
    int64_t assigned_to;             /* user id, 0 = any */
    int mine;                        /* assigned to the actor */
    int unassigned;
    int overdue;                     /* a running clock is past due */
    int due_within_days;             /* a running clock is due before now + N days (overdue included); 0 = no filter */
    int64_t collective_id;           /* 0 = any */
    int limit;                       /* 0 = 200 */
    int offset;
} rmd_filter;
void rmd_filter_init(rmd_filter *f);   /* everything "any", limit 200 */

typedef struct rmd_case_summary {
    int64_t id;
    const char *reference;
    grv_state state;
    grv_category category;
    const char *channel;
    const char *country;             /* may be NULL */
    int64_t product_id;              /* 0 = none */
    const char *contact_preference;
    const char *language;            /* BCP 47 tag the complainant chose (may be NULL) */
    int severity;                    /* 0 = untriaged */
    int priority;                    /* 1 first .. 4 */
    int urgent, vulnerable;
    int64_t assigned_user_id;        /* 0 = nobody */
    int64_t collective_id;
    int waiting_on_complainant;
    int64_t created_at, updated_at;
    int64_t next_due_at;             /* nearest running clock, 0 = none */
    int next_due_kind;               /* grv_clock_kind, -1 = none */
    grv_clock_status next_due_status;
} rmd_case_summary;

/* The queue: ordered by priority, then severity (descending), then the
 * nearest due clock. Needs CASES_READ. Cases the actor recused from are
 * left out. */
int rmd_case_list(rmd_service *svc, core_arena *a, const rmd_actor *actor, const rmd_filter *f,
                  rmd_case_summary **out, size_t *n);

typedef struct rmd_case {
    rmd_case_summary s;
    /* clear columns */
    const char *language;
    const char *incident_date, *decision_date;   /* YYYY-MM-DD or NULL */
    const char *affected;            /* "self", "someone_else", "group" or NULL */
    int64_t affected_count;
    const char *product_slug, *product_name;     /* NULL when no catalogue product */
    /* decrypted (NULL when empty; contact fields NULL for anonymous cases) */
    const char *narrative;
    const char *product_text, *rights_text, *vulnerable_group, *outcome_sought;
    const char *contact_name, *contact_email, *contact_phone;
    const char *partner;
    const char *rating_comment;
    grv_triage triage;
    int64_t previous_handler_id;     /* handled before an appeal; may not review it */
    int64_t acknowledged_at, closed_at;
    int satisfaction;
    rmd_clock_view clocks[GRV_CLOCK__COUNT];
    size_t nclocks;
    rmd_event *events;               /* the whole timeline, internal notes included */
    size_t nevents;
    rmd_remedy *remedies;
    size_t nremedies;
    rmd_attachment *attachments;     /* without data */
    size_t nattachments;
    int64_t *recused;                /* user ids barred from the case */
    size_t nrecused;
} rmd_case;

int rmd_case_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                 rmd_case *out);
int rmd_case_find(rmd_service *svc, core_arena *a, const rmd_actor *actor, const char *reference,
                  int64_t *case_id);

/* A workflow step by staff (grv_transition with GRV_BY_STAFF). reason is
 * required where grv_action_needs_reason says so (internal record, shown to
 * the complainant as well when public_text is NULL for inadmissible/uphold);
 * public_text, optional, is the message the complainant reads with the step.
 * REVIEW_APPEAL or UPHOLD by the previous handler -> CORE_DENIED;
 * REVIEW_APPEAL assigns the case to the reviewer and restarts the feedback
 * clock. Steps that answer a clock stop it (grv_clock_stops_on); a final
 * state stops every clock. Propose/implement a remedy with the rmd_remedy_* calls. */
int rmd_case_act(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                 grv_action action, const char *reason, const char *public_text);
/* user_id 0 unassigns. The assignee must be a case_handler or admin of the
 * org (CORE_INVALID), not recused (CORE_DENIED) and, for an appealed case,
 * not the previous handler (CORE_DENIED). */
int rmd_case_assign(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    int64_t user_id);
/* The actor declares a conflict of interest: unassigned if assigned, and
 * barred from the case from then on (reason required, internal). */
int rmd_case_recuse(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const char *reason);
int rmd_case_note(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                  const char *text);      /* internal, never shown to the complainant */
/* A message to the complainant. ask = 1: a question; running clocks pause
 * and the case waits for the complainant until they answer. */
int rmd_case_message(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                     const char *text, int ask);
int rmd_case_triage(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const grv_triage *t);  /* sets severity and priority */
/* Extends a running clock by days, with a notice to the complainant
 * (required). At most grv_clock_max_extension_days in total (DSR:
 * dsr_extension_days; the others cannot be extended: CORE_INVALID);
 * CORE_CONFLICT when the clock is stopped or was never started. */
int rmd_case_extend(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    grv_clock_kind kind, int days, const char *notice);
/* Staff attachment (visibility public: the complainant sees it). */
int rmd_case_attach(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const char *filename, const void *data, size_t len, rmd_visibility vis,
                    int64_t *attachment_id);
int rmd_case_attachment_get(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                            int64_t case_id, int64_t attachment_id, rmd_attachment *out);

/* ---- remedy ---- */
/* Proposes a remedy of a type from grv_remedy_types() and moves the case to
 * remedy_proposed (from in_investigation or remedy_rejected). */
int rmd_remedy_propose(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                       const char *type, const char *description, int64_t *remedy_id);
/* The accepted remedy was carried out (evidence required): remedy_implemented. */
int rmd_remedy_implement(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                         const char *evidence);

/* ---- collective cases ----
 * Grievances about the same systemic harm, assessed, remedied and referred as
 * one: an action on the collective is applied to every member case where the
 * workflow allows it; each complainant keeps a private thread (messages stay
 * per case). The title is a staff label (no personal data); the description
 * is encrypted under the collective's own key. */
typedef struct rmd_collective {
    int64_t id;
    const char *title;
    const char *description;         /* decrypted */
    int64_t created_at, updated_at;
    int64_t *case_ids;
    size_t ncases;
} rmd_collective;

int rmd_collective_create(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                          const char *title, const char *description, int64_t *collective_id);
/* collective_id 0 removes the case from its collective. */
int rmd_collective_add(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                       int64_t collective_id);
int rmd_collective_get(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       int64_t collective_id, rmd_collective *out);
int rmd_collective_list(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                        rmd_collective **out, size_t *n);   /* case_ids filled too */
/* Applies action to each member case; *applied / *skipped count cases moved /
 * not in a state allowing it (either may be NULL). CORE_OK even if some were
 * skipped; each applied case gets its own event and audit entry. */
int rmd_collective_act(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       int64_t collective_id, grv_action action, const char *reason,
                       const char *public_text, int *applied, int *skipped);
/* Proposes the same remedy to every member case that allows it (a
 * remedy row per case, so each complainant decides for themselves). */
int rmd_collective_propose(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                           int64_t collective_id, const char *type, const char *description,
                           int *applied, int *skipped);

/* ---- per-organisation time-limit policy ---- */
/* Defaults (grv_policy_defaults) when the org has none. Needs CASES_READ or STATS_READ. */
int rmd_policy_get(rmd_service *svc, const rmd_actor *actor, grv_policy *out);
/* For public pages (the mechanism's published rules): no actor needed. */
int rmd_policy_public(rmd_service *svc, int64_t org_id, grv_policy *out);
/* Needs CORE_PERM_ORG_MANAGE; CORE_INVALID for a non-positive or absurd value. */
int rmd_policy_set(rmd_service *svc, core_arena *a, const rmd_actor *actor, const grv_policy *p);

/* ---- keys ---- */
/* Re-wraps every case key of the actor's org under a new KEK version
 * (admin). *rewrapped may be NULL. */
int rmd_rotate_keys(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t *rewrapped);

/* ==== mechanisms, referrals, statistics, SLA (helper "ecosystem") ====
 *
 * Directory of external mechanisms (UNGP 25-28, seed §57-59): judicial,
 * State-based non-judicial and non-State bodies a person can turn to instead
 * of, or besides, the organisation's own mechanism. org_id 0 entries are the
 * installation-wide shared directory (admins of any org may edit them when
 * they hold CORE_PERM_MECHANISMS_MANAGE and the role admin); an org's own
 * entries need CORE_PERM_MECHANISMS_MANAGE. Reading needs CORE_PERM_SIGNED_IN.
 *
 * Pathway (rmd_pathway*): the mechanisms open for a case, by jurisdiction and
 * subject, most relevant first.
 *   Jurisdiction: the case country itself (score 30); "EU" for a country of
 *   the EU, "EEA" for a country of the EEA (built-in lists, score 20); "ALL"
 *   (international, score 10). A case without a country matches only "ALL".
 *   Subject, by category:
 *     data_protection     -> subjects data_protection or privacy (3)
 *     content_moderation  -> subject content_moderation (3), or an
 *                            out_of_court_body (DSA art. 21, 3), expression (2)
 *     whistleblowing      -> whistleblowing (3), labour (2)
 *     general             -> every subject: general-purpose bodies first
 *                            (subjects human_rights/general, subkinds nhri,
 *                            ombudsman, oecd_ncp: 2), any other body 1.
 *   Relevance = jurisdiction + subject score; ties by kind (State-based
 *   non-judicial, non-State, judicial), then name.
 * Referrals: a referral needs the complainant's recorded consent (CORE_INVALID
 * without it; escalation and parallel proceedings do not); creating one of
 * kind "referral" moves the case to "referred" (GRV_ACT_REFER) in the same
 * transaction. The package given to the outside body holds the case as the
 * complainant told it, the public thread (messages both ways, no internal
 * note), remedy history, the consent record and the mechanism; never a staff
 * name, e-mail or user id; contact data only with consent_contact.
 * Statistics: computed from rows (no case content). Durations in days
 * (fractional); median and 90th percentile by the nearest-rank method:
 * sort ascending, take the value at rank ceil(p/100 * n) (1-based). Breakdown
 * counts below k (k-anonymity threshold; staff default 0 = none, public 5)
 * are reported as null and counted in "suppressed".
 * Time-limit checks (rmd_sla_check): every org, every running unpaused clock
 * of an open case, evaluated with grv_clock_eval and the org's due_soon_days;
 * "due_soon" and "overdue" are notified once per (case, clock, status,
 * due date) to the assigned handler, or to every case_handler of the org
 * (admins when there is none) when nobody is assigned. Messages go through
 * rmd_options.sendmail_command (posix_spawn, message on stdin; never a shell)
 * or, when mail_sink_path is set, as one JSON line each appended to that file.
 * A message holds the case reference, the clock, the due date and a link path
 * ("/cases/<id>", the staff case page, prefixed with base_url), never case content.
 */
typedef struct rmd_mechanism {
    store_mechanism m;
    int relevance;                   /* pathway only: higher first; 0 in lists */
    const char *match;               /* pathway only: "country", "eu", "eea" or "international" */
} rmd_mechanism;

typedef struct rmd_mechanism_filter {
    const char *country;             /* ISO 3166-1 alpha-2 (any case); NULL = any */
    const char *subject;             /* one subject word; NULL = any */
    const char *kind;                /* NULL = any */
} rmd_mechanism_filter;

int rmd_mechanism_kind_valid(const char *kind);        /* judicial, state_non_judicial, non_state */
int rmd_mechanism_subkind_valid(const char *subkind);  /* court, data_protection_authority, ... */
int rmd_date_valid(const char *ymd);                   /* YYYY-MM-DD, a real date */
int rmd_eu_member(const char *cc);                     /* 1 for EU member states (any case) */
int rmd_eea_member(const char *cc);                    /* EU + IS, LI, NO */
/* 1 if the space-separated list has word (case-insensitive). */
int rmd_words_has(const char *list, const char *word);
/* Does m match the filter (country by jurisdiction, EU/EEA/ALL included)? */
int rmd_mechanism_matches(const store_mechanism *m, const rmd_mechanism_filter *f);
/* JSON views: public = only what a complainant may see (no ids of orgs, no
 * source or times). Caller decrefs. */
json_t *rmd_mechanism_json(const store_mechanism *m, int public_view);
/* Reads a staff edit (API / web): slug, kind, subkind, name, jurisdictions,
 * subjects required on create; lists as arrays or space-separated strings.
 * Strings land in a. On update, members absent keep m's values. */
int rmd_mechanism_from_json(json_t *obj, core_arena *a, int creating, store_mechanism *m,
                            grv_error *err);
/* Audit entry (object "mechanism") with digests of before/after. */
int rmd_mechanism_audit(store_conn *c, core_arena *a, const char *actor, int64_t now,
                        const store_mechanism *before, const store_mechanism *after);

int rmd_mechanism_list(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       const rmd_mechanism_filter *f, rmd_mechanism **out, size_t *n);
int rmd_mechanism_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t id,
                      rmd_mechanism *out);
/* shared: 1 = installation-wide entry (admin only). Sets m->id. CORE_CONFLICT on a taken slug. */
int rmd_mechanism_create(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         store_mechanism *m, int shared);
/* m->id names the entry; its namespace cannot change. */
int rmd_mechanism_update(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         store_mechanism *m);

/* Public directory view (the published rules page: "other routes open to
 * you"): shared + org entries matching f, no actor needed. */
int rmd_mechanism_list_public(rmd_service *svc, core_arena *a, int64_t org_id,
                              const rmd_mechanism_filter *f, rmd_mechanism **out, size_t *n);

/* Import (`hrdd mechanisms import`): see remedy_mech_import.c. */
typedef void (*rmd_import_error_fn)(void *ud, const char *file, int line, int column,
                                    const char *msg);
typedef struct rmd_import_stats {
    const char *verified;            /* in: last_verified date to set (YYYY-MM-DD) or NULL */
    int files, created, updated, unchanged, failed;
} rmd_import_stats;
/* path: a file or a directory (*.json, *.schema.json skipped, one level of
 * subdirectories). Runs in the caller's transaction on c. CORE_OK even when
 * some files failed (st->failed); CORE_NOTFOUND when path does not exist. */
int rmd_mechanism_import(store_conn *c, core_arena *a, int64_t org_id, const char *path,
                         const char *actor, int64_t now, rmd_import_error_fn on_error, void *ud,
                         rmd_import_stats *st);

/* ---- pathway ---- */
int rmd_pathway(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                rmd_mechanism **out, size_t *n);
/* Without a case: for the public rules page (country may be NULL). */
int rmd_pathway_public(rmd_service *svc, core_arena *a, int64_t org_id, const char *country,
                       grv_category cat, rmd_mechanism **out, size_t *n);
/* For the receipt page: the pathway of the receipt's case (throttled like
 * every receipt call). */
int rmd_pathway_receipt(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        rmd_mechanism **out, size_t *n);
/* Pure ranking used by the three above (exported for tests). */
int rmd_pathway_rank(core_arena *a, const store_mechanism *all, size_t nall, const char *country,
                     grv_category cat, rmd_mechanism **out, size_t *n);

/* ---- referrals and parallel proceedings ---- */
typedef struct rmd_referral {
    int64_t id;
    int64_t case_id;
    store_mechanism mechanism;
    const char *kind;                /* "referral", "escalation", "parallel" */
    int consent_given, consent_contact;
    const char *consent_text;        /* decrypted, may be NULL */
    int64_t consent_at;
    const char *state;               /* proposed, sent, acknowledged, decided, closed */
    const char *outcome;             /* decrypted, may be NULL */
    int64_t created_at, updated_at;
} rmd_referral;

typedef struct rmd_consent {
    int given;                       /* the complainant agreed to the referral */
    int share_contact;               /* ... and to their contact data going with it */
    const char *text;                /* how and when consent was given (encrypted at rest) */
} rmd_consent;

/* Needs CASES_HANDLE. kind "referral" requires consent->given (CORE_INVALID)
 * and moves the case to referred (CORE_CONFLICT if the state does not allow
 * it); "escalation" and "parallel" only record the proceedings. */
int rmd_referral_create(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                        int64_t mechanism_id, const char *kind, const rmd_consent *consent,
                        int64_t *referral_id);
/* state: proposed|sent|acknowledged|decided|closed; outcome NULL keeps it. */
int rmd_referral_update(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                        int64_t referral_id, const char *state, const char *outcome);
int rmd_referral_list(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                      rmd_referral **out, size_t *n);
int rmd_referral_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t referral_id,
                     rmd_referral *out);
/* The package for the outside body (CASES_HANDLE; the export is audited).
 * *package: caller json_decref; *summary_text: caller free(). */
int rmd_referral_package(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         int64_t referral_id, json_t **package, char **summary_text);

/* ---- statistics ---- */
typedef struct rmd_stats_options {
    int64_t from, to;                /* cases filed in [from, to); 0 = open end */
    int k_threshold;                 /* breakdown counts below k suppressed; 0 = none */
    int public_view;                 /* the published subset (no channel/language detail) */
} rmd_stats_options;

/* Needs CORE_PERM_STATS_READ. k = 0. Caller json_decref. */
int rmd_stats(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t from, int64_t to,
              json_t **out);
int rmd_stats_ex(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                 const rmd_stats_options *o, json_t **out);
/* The mechanism's published statistics: no actor, k = 5 unless o says more. */
int rmd_stats_public(rmd_service *svc, core_arena *a, int64_t org_id, int64_t from, int64_t to,
                     json_t **out);
/* Nearest-rank percentile of n values (sorted in place); CORE_INVALID if n == 0. */
int rmd_percentile(double *v, size_t n, int pct, double *out);

/* ---- time-limit checks ---- */
typedef struct rmd_sla_item {
    int64_t org_id, case_id;
    const char *reference;
    const char *clock;               /* grv_clock_name */
    const char *status;              /* "due_soon" or "overdue" */
    int64_t due_at;
    int notified;                    /* 1 = notified in this run, 0 = already notified before */
    int recipients;
} rmd_sla_item;

typedef struct rmd_sla_report {
    size_t orgs, clocks;             /* checked */
    size_t due_soon, overdue;        /* found now */
    size_t notified, already, failed;/* notifications sent, skipped (sent before), failed */
    rmd_sla_item *items;             /* in a */
    size_t nitems;
} rmd_sla_report;

/* Every organisation; safe to run concurrently (the record of what was sent
 * is claimed in the database before sending). CORE_OK even when some
 * notifications failed (out->failed; they are retried on the next run). */
int rmd_sla_check(rmd_service *svc, core_arena *a, int64_t now, rmd_sla_report *out);
/* One line: "checked N clocks in M orgs: X overdue, Y due soon; Z notified ..." */
void rmd_sla_summary(const rmd_sla_report *r, char *buf, size_t n);

/* ---- erasure of personal data and retention (rmd_erase.c) ----
 * One routine erases a case's personal data (store_grievance_erase: every
 * sealed text, attachments, incident and decision dates) under a new random
 * case key (the old key is gone, so stray copies of old ciphertexts no
 * longer open), adds a public "erased" event and an audit entry (action
 * "erase", object the case id: the policy and the fields erased, never the
 * content), all in one transaction. The plain columns the statistics read
 * stay, so the figures before and after are equal. An erased case takes no
 * further write, by the complainant or by staff (CORE_CONFLICT). */
#define RMD_ERASED_FIELDS "narrative,product_text,rights_text,vulnerable_group,outcome_sought," \
    "contact_name,contact_email,contact_phone,partner,rating_comment,incident_date,decision_date," \
    "event_bodies,remedy_texts,attachments,recusal_reasons,referral_texts"
#define RMD_ERASED_MARKER "[personal data erased]"

/* The complainant's request. An open case is first withdrawn by the
 * complainant (the warning is the caller's), then erased; *withdrawn (may be
 * NULL) tells whether that happened. Erasing an erased case is CORE_OK. */
int rmd_receipt_erase(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                      int *withdrawn);
/* Retention policy of actor's org: erase the personal data of cases closed
 * (or withdrawn) more than months ago; 0 = keep (no policy). get needs
 * ORG_READ, set ORG_MANAGE (admin); set is audited. */
#define RMD_RETENTION_MAX_MONTHS 1200
int rmd_retention_get(rmd_service *svc, const rmd_actor *actor, int *months);
int rmd_retention_set(rmd_service *svc, core_arena *a, const rmd_actor *actor, int months);
typedef struct rmd_retention_report {
    size_t orgs;                     /* organisations with a policy */
    size_t erased;                   /* cases erased now */
    size_t failed;
    int64_t *case_ids;               /* erased now (in a) */
    size_t ncase_ids;
} rmd_retention_report;
/* Every organisation with a policy: erases each case due at now (one
 * transaction per case; actor label e.g. "system" or "cli"). */
int rmd_retention_run(rmd_service *svc, core_arena *a, int64_t now, const char *actor_label,
                      rmd_retention_report *out);


#endif
