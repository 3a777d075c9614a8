/* register: hrdd's human rights due diligence register as a service
 * (UNGP 16-21, issue 4). Shared by the API (src/api/api_dd*.c), the staff
 * and public pages (src/web/web_dd*.c), the CLI (src/cli/cmd_register.c)
 * and the demo data (src/cli/demo_register.c).
 *
 * One reg_service per process; thread-safe (each call takes its own store
 * connection, and a write its own transaction).
 *
 * Design
 * - The records are the store's (src/store/store_dd.h): callers fill a
 *   store_dd_* struct and pass it in; the service validates it against the
 *   pure rules of src/dd (vocabulary, ratings, rights catalogue, due dates,
 *   fatigue, feedback) and never re-implements them.
 * - Every operation takes the principal acting (user, org, role). Reads need
 *   CORE_PERM_DD_READ, writes CORE_PERM_DD_EDIT, approvals (policy versions,
 *   assessments) CORE_PERM_DD_APPROVE, i.e. hr_lead or admin only: any other
 *   role gets CORE_DENIED even when the call does not come through a route
 *   (CLI, demo, import). A record of another organisation is CORE_NOTFOUND,
 *   exactly like a missing one.
 * - Validation names the field at fault as a JSON pointer relative to the
 *   record ("/scale", "/rights/1" = the 2nd token of rights, "/scope_id")
 *   with a message key (reg.err.*, in src/web/i18n/en.dd.json) and an English
 *   detail: CORE_INVALID. A reference (scope_id, impact_id, action_id,
 *   stakeholder_id, policy_id, case_id, parent_id, product_id, owner_id,
 *   impact_ids tokens) that does not exist in the same organisation is
 *   CORE_INVALID naming that field (never CORE_NOTFOUND: the record acted on
 *   exists, its input is wrong).
 * - Every write is one transaction together with its audit entry (object
 *   types "dd_policy", "dd_scope", "dd_impact", "dd_assessment", "dd_action",
 *   "dd_indicator", "dd_stakeholder", "dd_engagement", "dd_register" for an
 *   import; actions "create", "update", "approve", "complete", "measure",
 *   "communicate", "link_policy", "link_grievance", "import"); the audit
 *   detail holds ids and enum values only, never free text.
 * - Dates the register reasons about are day numbers (dd.h; "YYYY-MM-DD" in
 *   JSON, see reg_day_format / grv_date_parse); "today" comes from the
 *   service clock (reg_options.now).
 *
 * Strings in out structs live in the arena passed in. Status codes: CORE_OK,
 * CORE_INVALID (err filled), CORE_NOTFOUND, CORE_DENIED (role), CORE_CONFLICT
 * (state does not allow it: an approved policy version is not edited, an
 * assessment is approved once, a slug or link already exists), CORE_BUSY,
 * CORE_ERR, CORE_NOMEM.
 */
#ifndef HRDD_REGISTER_H
#define HRDD_REGISTER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"
#include "dd/dd.h"
#include "store/store.h"

typedef struct reg_service reg_service;

#define REG_MAX_TEXT 20000           /* bytes of a long free text (body_md, description, ...) */
#define REG_MAX_LINE 300             /* bytes of a title, name, slug-like or list text */

typedef struct reg_options {
    int64_t (*now)(void);            /* unix seconds; NULL = time(NULL). Tests inject a clock. */
    dd_policy dd;                    /* periodic interval, event delays, due-soon window,
                                        fatigue_per_quarter (dd_policy_defaults) */
} reg_options;
void reg_options_defaults(reg_options *o);

/* opt may be NULL (defaults). CORE_INVALID when opt->dd is invalid. */
int reg_open(reg_service **out, store *st, const reg_options *opt);
void reg_close(reg_service *svc);
int64_t reg_now(const reg_service *svc);
int64_t reg_today(const reg_service *svc);     /* day number of reg_now (UTC) */
const reg_options *reg_options_of(const reg_service *svc);

/* Who acts. The API and web pass the app principal; the CLI acts as
 * CORE_ROLE_ADMIN with user_id 0 (label "cli"). */
typedef struct reg_principal {
    int64_t user_id;                 /* 0 for the CLI / system */
    int64_t org_id;                  /* the organisation acted in */
    core_role role;
    const char *label;               /* audit actor: "user:12", "token:3", "cli"; NULL = "user:<id>" or "system" */
} reg_principal;

/* The field at fault. */
typedef struct reg_error {
    const char *field;               /* JSON pointer: "/likelihood", "/rights/0", "/impacts/3/rights/0" */
    const char *key;                 /* message key: "reg.err.required", "reg.err.range", "reg.err.unknown_right", ... */
    const char *detail;              /* English, for the API and the CLI */
    char buf[160];                   /* field may point here: keep the reg_error where it was filled */
} reg_error;

/* Message keys used in reg_error.key:
 *   reg.err.required      missing / empty
 *   reg.err.too_long      longer than REG_MAX_LINE / REG_MAX_TEXT
 *   reg.err.range         number out of range (ratings 1-5, tolerance >= 0, ...)
 *   reg.err.enum          not one of the allowed values
 *   reg.err.unknown_right not in the rights catalogue
 *   reg.err.country       not an ISO 3166-1 alpha-2 code (two upper-case letters)
 *   reg.err.date          bad day / date
 *   reg.err.reference     dangling reference (no such record in this organisation)
 *   reg.err.slug          slug syntax (lower-case letters, digits, '-', 1-64)
 *   reg.err.duplicate     already exists (slug, link)
 *   reg.err.state         the record's state does not allow it (approved policy, approved assessment)
 *   reg.err.role          approval by a role other than hr_lead / admin
 *   reg.err.json          import: malformed JSON or wrong JSON type
 */

/* ---- day helpers ---- */
/* "YYYY-MM-DD" of a day number; out needs 11 bytes. day < 0 gives "". */
void reg_day_format(int64_t day, char out[11]);

/* ================= policy commitments (UNGP 16) ================= */

/* Creates a new draft version (version = highest + 1, status "draft",
 * created_by = principal). Fields read: title, body_md, scope_rights,
 * own_operations, business_partners, end_use. Sets p->id, version. */
int reg_policy_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_policy *p, reg_error *err);
/* Edits a draft (same fields); an approved or superseded version: CORE_CONFLICT. */
int reg_policy_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_policy *p, reg_error *err);
/* hr_lead / admin only (else CORE_DENIED, err->key "reg.err.role").
 * Draft -> approved (approved_by, approved_at, approved_role); the
 * previously approved version becomes "superseded". Not a draft: CORE_CONFLICT. */
int reg_policy_approve(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t policy_id,
                       reg_error *err);
int reg_policy_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                    store_dd_policy **out, size_t *n);                  /* version descending */

typedef struct reg_policy_view {
    store_dd_policy policy;
    store_dd_policy_comm *comms;     /* by day */
    size_t ncomms;
    store_dd_policy_link *links;     /* by id */
    size_t nlinks;
    const char *approved_by_name;    /* display name (staff views), NULL if none */
} reg_policy_view;
int reg_policy_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t policy_id,
                   reg_policy_view *out);
/* The current approved version with its history (every approved or
 * superseded version, newest first). PUBLIC: no principal; org_id given.
 * CORE_NOTFOUND when no version was ever approved. */
typedef struct reg_policy_public {
    store_dd_policy current;         /* created_by / approved_by zeroed (no staff identities) */
    store_dd_policy *history;        /* approved + superseded, version descending (current first) */
    size_t nhistory;
} reg_policy_public;
int reg_policy_public_get(reg_service *svc, core_arena *a, int64_t org_id, reg_policy_public *out);

/* channel / audience: see store_dd_policy_comm. Sets m->id. */
int reg_policy_communicate(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_policy_comm *m, reg_error *err);
/* An operational policy embedding the commitment. Sets l->id. */
int reg_policy_link_add(reg_service *svc, core_arena *a, const reg_principal *pr,
                        store_dd_policy_link *l, reg_error *err);

/* ================= scope objects ================= */

/* Fields: slug, kind, name, description, phase, countries, markers,
 * product_id (0 or a product of the org), parent_id (0 or a scope object of
 * the org; only for kind "feature"). Slug taken: CORE_CONFLICT with
 * err "/slug" reg.err.duplicate. */
int reg_scope_create(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope *s,
                     reg_error *err);
int reg_scope_update(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope *s,
                     reg_error *err);
int reg_scope_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                  store_dd_scope *out);
int reg_scope_get_by_slug(reg_service *svc, core_arena *a, const reg_principal *pr,
                          const char *slug, store_dd_scope *out);
int reg_scope_list(reg_service *svc, core_arena *a, const reg_principal *pr, store_dd_scope **out,
                   size_t *n);                                          /* by name */

/* ================= impacts ================= */

/* Fields: scope_id, title, description, status, rights (>= 1 catalogue id),
 * affected_groups, vulnerable_groups, countries, involvement,
 * business_model, scale, scope, irremediable, likelihood (0 allowed when
 * actual), competing_rights, evidence (dd_evidence tokens, may be "").
 * created_by = principal. */
int reg_impact_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_impact *i, reg_error *err);
int reg_impact_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_impact *i, reg_error *err);

/* An impact with what the rules derive from it. */
typedef struct reg_impact_view {
    store_dd_impact impact;
    dd_rating rating;
    int severity;                    /* 3-15 (dd_severity) */
    int likelihood;                  /* dd_likelihood: 5 when actual */
    int band;                        /* dd_severity_band 1-5 */
    unsigned response;               /* dd_involvement_response bits */
    size_t rank;                     /* 1-based position in the prioritised list (0 in unsorted lists) */
    const char *scope_slug;
    const char *scope_name;
    const char *scope_kind;
    size_t nlinks;                   /* linked grievances */
    size_t nactions;
    int reassessment_open;           /* an open assessment with impact_id = this impact exists */
} reg_impact_view;

typedef enum reg_sort { REG_SORT_ID = 0, REG_SORT_SALIENCE } reg_sort;
/* scope_id 0 = all. REG_SORT_SALIENCE: dd_priority_cmp order (severity
 * before likelihood, then the documented tie-breaks), rank set. */
int reg_impact_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                    reg_sort sort, reg_impact_view **out, size_t *n);
int reg_impact_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                   reg_impact_view *out);

/* Heat map: rows severity band 1-5, columns likelihood 1-5 (cells[band-1][likelihood-1]). */
typedef struct reg_heat_cell {
    int band;
    int likelihood;
    size_t count;
    int64_t *impact_ids;             /* in priority order */
} reg_heat_cell;
typedef struct reg_heatmap {
    reg_heat_cell cells[5][5];
    size_t total;
    size_t max_count;                /* largest cell count (for shading) */
} reg_heatmap;
int reg_heatmap_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                    reg_heatmap *out);

/* Link a grievance case (same org; else CORE_INVALID "/case_id") to an
 * impact and apply dd_grievance_feedback: potential -> possibly_actual and a
 * reassessment queued (an assessment of the impact's scope object with
 * trigger "grievance", impact_id set, event day today, due by
 * dd_assessment_due) unless one is already open for that impact. The pair
 * already linked: CORE_CONFLICT ("/case_id", reg.err.duplicate). One
 * transaction, audit "dd_impact" "link_grievance". */
typedef struct reg_link_result {
    dd_status old_status;
    dd_status new_status;
    int64_t reassessment_id;         /* the queued assessment, or the one already open; 0 = none */
    int queued;                      /* 1 when this call created the reassessment */
} reg_link_result;
int reg_impact_link_grievance(reg_service *svc, core_arena *a, const reg_principal *pr,
                              int64_t impact_id, int64_t case_id, reg_link_result *out,
                              reg_error *err);
/* Links of an impact (impact_id) or of a case (case_id; for the case page),
 * or all (both 0). Each with the case reference for display. */
typedef struct reg_link_view {
    store_dd_grievance_link link;
    const char *case_reference;      /* "G-XXXXXXXX" */
    const char *impact_title;
} reg_link_view;
int reg_link_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                  int64_t case_id, reg_link_view **out, size_t *n);

/* ================= assessments ================= */

/* Fields: scope_id, kind ("hria", "dd_review"), trigger (dd_trigger_name),
 * trigger_note, event_day, impact_id (0 or an impact of the org). The
 * service sets status "open", completed_day -1 and due_day =
 * dd_assessment_due(trigger, event_day, last completed assessment of that
 * scope object or -1, options). */
int reg_assessment_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_assessment *x, reg_error *err);
/* Open assessments only (CORE_CONFLICT otherwise): trigger_note, summary. */
int reg_assessment_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_assessment *x, reg_error *err);
/* Findings: impacts the assessment identified or reviewed (same org, else
 * CORE_INVALID "/impact_id"); already there: CORE_OK (idempotent). */
int reg_assessment_add_finding(reg_service *svc, core_arena *a, const reg_principal *pr,
                               int64_t assessment_id, int64_t impact_id, reg_error *err);
/* open -> completed on day (< 0 = today; not in the future: "/completed_day"),
 * summary (may be NULL = keep), finding impact ids (may be 0 of them, added
 * like reg_assessment_add_finding, err "/findings/<i>"). */
int reg_assessment_complete(reg_service *svc, core_arena *a, const reg_principal *pr,
                            int64_t assessment_id, int64_t day, const char *summary,
                            const int64_t *findings, size_t nfindings, reg_error *err);
/* hr_lead / admin only (CORE_DENIED, "reg.err.role"); completed -> approved.
 * An open one: CORE_CONFLICT ("/status", reg.err.state). */
int reg_assessment_approve(reg_service *svc, core_arena *a, const reg_principal *pr,
                           int64_t assessment_id, reg_error *err);

typedef struct reg_assessment_view {
    store_dd_assessment assessment;
    dd_due_status due;               /* dd_due_eval at today */
    int64_t days_overdue;            /* dd_days_overdue (0 unless overdue) */
    const char *scope_slug;
    const char *scope_name;
    const char *impact_title;        /* when impact_id set */
    int64_t *findings;               /* impact ids */
    size_t nfindings;                /* filled by reg_assessment_get only (0 in lists) */
} reg_assessment_view;
int reg_assessment_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                       reg_assessment_view *out);
/* scope_id 0 = all; by due_day then id. */
int reg_assessment_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t scope_id,
                        reg_assessment_view **out, size_t *n);
/* The due list: open assessments only, overdue first (most days overdue
 * first), then due_soon, then upcoming, each by due_day then id. Also the
 * reminders: *noverdue and *nsoon count them (either may be NULL). */
int reg_assessment_due_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                            reg_assessment_view **out, size_t *n, size_t *noverdue, size_t *nsoon);

/* Reminders (the system, no principal; run by the server's periodic check
 * next to the grievance time limits): every organisation with overdue or
 * due-soon open assessments, with the counts, by org id. */
typedef struct reg_reminder {
    int64_t org_id;
    const char *org_slug;
    size_t open, overdue, due_soon;
    int64_t oldest_due_day;          /* the earliest due day among the overdue, -1 = none */
} reg_reminder;
int reg_reminders(reg_service *svc, core_arena *a, reg_reminder **out, size_t *n);
/* One line for a log: "acme: 2 overdue, 1 due soon; other: ..." (truncated to n). */
void reg_reminders_summary(const reg_reminder *r, size_t count, char *buf, size_t n);

/* ================= actions ================= */

/* Fields: impact_id, kind, title, description, owner_id (0 or a member of
 * the org), owner_name, function, due_day (-1 none), status, integration. */
int reg_action_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_action *x, reg_error *err);
int reg_action_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_action *x, reg_error *err);
int reg_action_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                   store_dd_action *out);
int reg_action_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                    store_dd_action **out, size_t *n);

/* ================= indicators, measurements, tracking ================= */

/* Fields: impact_id XOR action_id (both or neither: "/impact_id"), name,
 * unit, direction, target, tolerance (>= 0), target_day (-1 none). */
int reg_indicator_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_indicator *x, reg_error *err);
int reg_indicator_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_indicator *x, reg_error *err);
/* Records a value (finite; "/value") on a day (not in the future; "/day");
 * the same day again replaces it. Audit "dd_indicator" "measure". */
int reg_measure_put(reg_service *svc, core_arena *a, const reg_principal *pr,
                    store_dd_measure *m, reg_error *err);

typedef struct reg_indicator_view {
    store_dd_indicator indicator;
    store_dd_measure *measures;      /* by day */
    size_t nmeasures;
    dd_trend trend;                  /* dd_trend_of */
    double slope;                    /* per day */
    dd_track track;                  /* dd_track_eval */
    int has_latest;
    double latest;                   /* the latest value when has_latest */
    int64_t latest_day;
} reg_indicator_view;
int reg_indicator_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                      reg_indicator_view *out);
/* impact_id / action_id 0 = no filter. */
int reg_indicator_list(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                       int64_t action_id, reg_indicator_view **out, size_t *n);

/* Tracking of one impact: its indicators and those of its actions, the
 * linked grievances per month, and stakeholder feedback (engagements that
 * name the impact). */
typedef struct reg_month_count {
    int year;
    int month;                       /* 1-12 */
    size_t count;
} reg_month_count;
typedef struct reg_tracking {
    reg_indicator_view *indicators;  /* the impact's, then its actions', by id */
    size_t nindicators;
    reg_month_count *grievances;     /* per calendar month (UTC of linked_at), every month from the
                                        first link to the current month, zeros included */
    size_t nmonths;
    size_t ngrievances;              /* total links */
    store_dd_engagement *feedback;   /* engagements naming the impact, by day */
    size_t nfeedback;
    const char **feedback_stakeholders; /* name of each feedback[i]'s stakeholder */
} reg_tracking;
int reg_tracking_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t impact_id,
                     reg_tracking *out);

/* ================= stakeholders and engagements ================= */

/* Fields: name, kind, region, countries, global_south, contact (staff only). */
int reg_stakeholder_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_stakeholder *x, reg_error *err);
int reg_stakeholder_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_stakeholder *x, reg_error *err);
int reg_stakeholder_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t id,
                        store_dd_stakeholder *out);
int reg_stakeholder_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                         store_dd_stakeholder **out, size_t *n);

/* Fields: stakeholder_id, day (not in the future), step, topics, format,
 * outcome, follow_up, impact_ids (impacts of the org, "/impact_ids/<i>").
 * The engagement is stored; fatigue (may be NULL) tells whether it took the
 * stakeholder over options.dd.fatigue_per_quarter in its quarter
 * (dd_fatigue_check over the stakeholder's earlier engagements; the check
 * applies to every stakeholder kind, the warning matters for organisations). */
typedef struct reg_fatigue {
    int warning;                     /* 1: more than the limit this quarter (including this one) */
    dd_fatigue check;                /* quarter and the count before this engagement */
    int limit;                       /* fatigue_per_quarter */
} reg_fatigue;
int reg_engagement_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                          store_dd_engagement *x, reg_fatigue *fatigue, reg_error *err);
/* stakeholder_id 0 = all; by day then id. */
int reg_engagement_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                        int64_t stakeholder_id, store_dd_engagement **out, size_t *n);
/* Would a new engagement with this stakeholder on day exceed the limit? (for forms) */
int reg_fatigue_get(reg_service *svc, core_arena *a, const reg_principal *pr,
                    int64_t stakeholder_id, int64_t day, reg_fatigue *out);

/* Coverage: for each impact in priority order, whether it had input from
 * stakeholders of kind affected_group or representative (engagements naming it). */
typedef struct reg_coverage_row {
    reg_impact_view impact;
    size_t engagements;              /* engagements naming the impact, any stakeholder kind */
    size_t affected_input;           /* of those, with an affected_group or representative */
    int covered;                     /* affected_input > 0 */
    int64_t last_day;                /* latest such affected input, -1 = none */
} reg_coverage_row;
int reg_coverage_get(reg_service *svc, core_arena *a, const reg_principal *pr,
                     reg_coverage_row **out, size_t *n, size_t *ncovered);

/* ================= published outputs (PUBLIC: no principal) =================
 * Only approved content: the current approved policy version; the impacts
 * published are the findings of APPROVED assessments (an impact no approved
 * assessment reviewed stays internal); actions without owner identity;
 * never staff names, contact notes, stakeholder names or case references. */

typedef struct reg_public_action {
    const char *kind;
    const char *title;
    const char *function;
    const char *status;
    int64_t due_day;                 /* -1 none */
} reg_public_action;

typedef struct reg_public_indicator {
    const char *name;
    const char *unit;
    const char *direction;
    double target;
    int64_t target_day;
    dd_point *points;                /* by day */
    size_t npoints;
    dd_trend trend;
    dd_track track;
} reg_public_indicator;

typedef struct reg_public_issue {    /* one salient issue as published */
    int64_t impact_id;
    size_t rank;                     /* 1-based among the published issues */
    const char *title;
    const char *description;
    const char *status;
    const char *rights;              /* right ids, space-separated */
    const char *affected_groups;
    const char *countries;
    const char *involvement;
    const char **responses;          /* dd_response_names of the involvement */
    size_t nresponses;
    int severity, likelihood, band;
    const char *scope_slug;
    const char *scope_name;
    reg_public_action *actions;
    size_t nactions;
    reg_public_indicator *indicators;
    size_t nindicators;
    size_t ngrievances;              /* linked grievances (count only) */
} reg_public_issue;

typedef struct reg_public_assessment {
    const char *kind;
    const char *trigger;
    int64_t completed_day;
    int64_t approved_at;
    const char *summary;
} reg_public_assessment;

/* The impact assessment summary of one product / service (a scope object by
 * slug; its features included). CORE_NOTFOUND for an unknown slug or when
 * it has no approved assessment. */
typedef struct reg_product_summary {
    const char *slug;
    const char *name;
    const char *kind;
    const char *description;
    const char *phase;
    const char *countries;
    reg_public_assessment *assessments;  /* approved, newest first */
    size_t nassessments;
    reg_public_issue *issues;        /* published findings, priority order */
    size_t nissues;
} reg_product_summary;
int reg_product_summary_get(reg_service *svc, core_arena *a, int64_t org_id, const char *slug,
                            reg_product_summary *out);

/* The company report: policy, salient issues and how each is managed,
 * tracking, remedy (grievance statistics come from the remedy service; the
 * page links /report). Always CORE_OK for an existing org (parts may be empty). */
typedef struct reg_company_report {
    int has_policy;
    store_dd_policy policy;          /* current approved version (identities zeroed) */
    reg_public_issue *issues;        /* priority order */
    size_t nissues;
    const char **products;           /* slugs with a published summary */
    const char **product_names;
    size_t nproducts;
    size_t nengagements;             /* engagements in the last 365 days (count only) */
    size_t nstakeholders_global_south;
    int64_t generated_day;
} reg_company_report;
int reg_company_report_get(reg_service *svc, core_arena *a, int64_t org_id,
                           reg_company_report *out);

/* JSON forms of the two published outputs (the API returns them as is;
 * caller owns the reference). */
json_t *reg_product_summary_json(const reg_product_summary *s);
json_t *reg_company_report_json(const reg_company_report *r);

/* ================= export / import ================= */

/* The whole register of the principal's org as one JSON document:
 *   {"format": "hrdd-register", "version": 1,
 *    "policies": [...], "scope_objects": [...], "impacts": [...],
 *    "assessments": [...], "actions": [...], "indicators": [...],
 *    "stakeholders": [...], "engagements": [...], "grievance_links": [...]}
 * Every array in id order; every field of the store structs. References
 * between records are 1-based positions in the target array ("scope": 2,
 * "impact": 5, "parent": 1, "impact_ids": [1, 3]), users by e-mail
 * (null when none), products by slug, cases by reference; days
 * "YYYY-MM-DD" (null for none), times Unix seconds. Member order inside
 * objects is fixed. Needs DD_READ. Caller owns the reference. */
int reg_export_json(reg_service *svc, core_arena *a, const reg_principal *pr, json_t **out);
/* The same serialized (indent 2, fixed key order, trailing newline): the
 * byte-for-byte comparable form. *text in the arena. */
int reg_export_text(reg_service *svc, core_arena *a, const reg_principal *pr, char **text,
                    size_t *len);

/* Import a document of reg_export_json's shape into the principal's org,
 * which must hold no register yet (any dd record: CORE_CONFLICT, error "/"
 * reg.err.state). All or nothing: every record is validated first (the same
 * rules as the single operations, plus references in range), EVERY error is
 * reported with its path ("/impacts/3/rights/0", "/actions/0/impact"), and
 * nothing is stored when there is one; otherwise everything is stored in one
 * transaction with one audit entry ("dd_register" "import"). Users that are
 * not members of the org map to none; grievance links whose case reference
 * is not in the org are skipped and reported in warnings (the cases are not
 * part of the register). Approved records stay approved: importing needs
 * DD_APPROVE (hr_lead / admin), else CORE_DENIED. Importing into an empty
 * org then exporting gives the same text as the original export (provided
 * the same users and cases exist). */
typedef struct reg_import_result {
    reg_error *errors;               /* every error, in document order (fields in the arena) */
    size_t nerrors;
    reg_error *warnings;             /* skipped grievance links */
    size_t nwarnings;
    size_t counts[9];                /* records stored per array, in the document's order above */
} reg_import_result;
/* doc: parsed JSON (borrowed). CORE_INVALID with res->errors when anything
 * is wrong. */
int reg_import_json(reg_service *svc, core_arena *a, const reg_principal *pr, json_t *doc,
                    reg_import_result *res);
/* text: the document; a JSON syntax error is one error with field
 * "line:column" (e.g. "3:17") and key reg.err.json. */
int reg_import_text(reg_service *svc, core_arena *a, const reg_principal *pr, const char *text,
                    size_t len, reg_import_result *res);

/* ================= CSV exports (RFC 4180: CRLF, quotes doubled) ================= */
typedef enum reg_csv_list {
    REG_CSV_IMPACTS = 0,             /* priority order, with severity, likelihood, band, rank */
    REG_CSV_ACTIONS,
    REG_CSV_ASSESSMENTS,
    REG_CSV_INDICATORS,              /* one row per measurement (indicator columns repeated;
                                        an indicator without measurements: one row, empty value) */
    REG_CSV_STAKEHOLDERS,
    REG_CSV_ENGAGEMENTS,
    REG_CSV__COUNT
} reg_csv_list;
const char *reg_csv_list_name(reg_csv_list l);   /* impacts actions assessments indicators stakeholders engagements */
int reg_csv_list_parse(const char *s, reg_csv_list *out);
/* The list as CSV with a header row; *text in the arena. Needs DD_READ. */
int reg_csv(reg_service *svc, core_arena *a, const reg_principal *pr, reg_csv_list which,
            char **text, size_t *len);
/* One RFC 4180 field appended to b (quoted when it holds , " CR or LF, or
 * starts with = + - @ (spreadsheet formula guard: prefixed with ')). */
int reg_csv_field(core_buf *b, const char *s);

#endif
