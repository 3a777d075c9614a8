/* grievance: the domain rules of hrdd's operational grievance mechanism, as
 * pure functions (no I/O, no clock, no database): the case workflow and who
 * may take each step, legal time limits as clocks that pause and extend,
 * triage into a priority, the receipt code a complainant writes down, and
 * validation of an intake. Callers pass "now" in; everything is testable.
 *
 * Sources: UNGP 29-31; Directive (EU) 2019/1937 art. 9 (acknowledge in 7
 * days, feedback in 3 months); DSA art. 20 (complaints accepted for 6 months
 * after the decision); GDPR art. 12(3) (1 month, extendable by 2).
 */
#ifndef HRDD_GRIEVANCE_H
#define HRDD_GRIEVANCE_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"

/* ---- workflow ---- */
typedef enum grv_state {
    GRV_RECEIVED = 0,
    GRV_ACKNOWLEDGED,
    GRV_IN_ASSESSMENT,
    GRV_INADMISSIBLE,          /* with reasons and other routes offered */
    GRV_IN_INVESTIGATION,
    GRV_REMEDY_PROPOSED,
    GRV_REMEDY_ACCEPTED,
    GRV_REMEDY_REJECTED,
    GRV_REMEDY_IMPLEMENTED,
    GRV_CLOSED,
    GRV_REFERRED,              /* sent to another mechanism */
    GRV_ESCALATED,             /* taken up with an outside body while the case goes on */
    GRV_WITHDRAWN,             /* by the complainant */
    GRV_APPEALED,              /* reopened; reviewed by a different handler */
    GRV_STATE__COUNT
} grv_state;

typedef enum grv_action {
    GRV_ACT_ACKNOWLEDGE = 0,   /* received -> acknowledged */
    GRV_ACT_ASSESS,            /* acknowledged -> in_assessment */
    GRV_ACT_DECLARE_INADMISSIBLE, /* in_assessment -> inadmissible (reason required) */
    GRV_ACT_INVESTIGATE,       /* in_assessment | escalated -> in_investigation */
    GRV_ACT_PROPOSE_REMEDY,    /* in_investigation | remedy_rejected -> remedy_proposed */
    GRV_ACT_ACCEPT_REMEDY,     /* complainant: remedy_proposed -> remedy_accepted */
    GRV_ACT_REJECT_REMEDY,     /* complainant: remedy_proposed -> remedy_rejected */
    GRV_ACT_IMPLEMENT_REMEDY,  /* remedy_accepted -> remedy_implemented (evidence required) */
    GRV_ACT_CLOSE,             /* remedy_implemented | inadmissible | remedy_rejected | referred | withdrawn -> closed */
    GRV_ACT_REFER,             /* any open state -> referred */
    GRV_ACT_ESCALATE,          /* in_assessment | in_investigation | remedy_rejected -> escalated */
    GRV_ACT_WITHDRAW,          /* complainant: any state but closed/withdrawn -> withdrawn */
    GRV_ACT_APPEAL,            /* complainant: inadmissible | remedy_rejected | closed -> appealed */
    GRV_ACT_REVIEW_APPEAL,     /* appealed -> in_assessment (reopened) by a handler other than the previous one */
    GRV_ACT_UPHOLD,            /* appealed -> closed (decision upheld, reasons required) */
    GRV_ACT__COUNT
} grv_action;

typedef enum grv_actor_kind { GRV_BY_STAFF = 0, GRV_BY_COMPLAINANT, GRV_BY_SYSTEM } grv_actor_kind;

const char *grv_state_name(grv_state s);               /* "received", "in_assessment", ... */
int grv_state_parse(const char *s, grv_state *out);
const char *grv_action_name(grv_action a);             /* "acknowledge", "propose_remedy", ... */
int grv_action_parse(const char *s, grv_action *out);
/* Message-catalogue key of the plain-language text the complainant sees for a
 * state ("grv.state.<name>.public"). */
const char *grv_state_public_key(grv_state s);
int grv_state_is_final(grv_state s);                   /* closed, withdrawn */
/* CORE_OK with *to set, CORE_CONFLICT if the action is not possible from
 * 'from', CORE_DENIED if this kind of actor may not take it. */
int grv_transition(grv_state from, grv_action a, grv_actor_kind by, grv_state *to);
int grv_action_needs_reason(grv_action a);             /* inadmissible, refer, escalate, uphold, appeal, withdraw? */

/* ---- time limits ---- */
typedef enum grv_category {
    GRV_CAT_GENERAL = 0,
    GRV_CAT_CONTENT_MODERATION,   /* complaint against a moderation decision (DSA art. 20) */
    GRV_CAT_DATA_PROTECTION,      /* data-subject request (GDPR art. 12) */
    GRV_CAT_WHISTLEBLOWING,       /* report under Directive 2019/1937 */
    GRV_CAT__COUNT
} grv_category;
const char *grv_category_name(grv_category c);
int grv_category_parse(const char *s, grv_category *out);

typedef struct grv_policy {           /* per organisation; days */
    int ack_days;                     /* 7 */
    int feedback_days;                /* 90: 3 months from acknowledgement */
    int moderation_window_days;       /* 183: complaint accepted for 6 months after the decision */
    int dsr_days;                     /* 30: data-subject request answered within 1 month */
    int dsr_extension_days;           /* 60: extendable by 2 months with notice */
    int due_soon_days;                /* 7: "due within N days" default */
} grv_policy;
void grv_policy_defaults(grv_policy *p);

typedef enum grv_clock_kind { GRV_CLOCK_ACK = 0, GRV_CLOCK_FEEDBACK, GRV_CLOCK_DSR, GRV_CLOCK__COUNT } grv_clock_kind;
const char *grv_clock_name(grv_clock_kind k);          /* "acknowledge", "feedback", "answer_request" */

/* One clock of one case. Times are unix seconds; 0 = not set. */
typedef struct grv_clock {
    grv_clock_kind kind;
    int64_t started_at;
    int64_t due_at;                   /* started_at + limit + extensions (pauses push it further) */
    int64_t paused_since;             /* > 0 while waiting for the complainant */
    int64_t paused_total;             /* seconds paused so far, already added to due_at */
    int64_t extended_by;              /* seconds of extension granted */
    int64_t stopped_at;               /* the step it measures was taken */
} grv_clock;

typedef enum grv_clock_status {
    GRV_CLOCK_RUNNING = 0, GRV_CLOCK_DUE_SOON, GRV_CLOCK_OVERDUE, GRV_CLOCK_PAUSED,
    GRV_CLOCK_MET, GRV_CLOCK_MISSED
} grv_clock_status;
const char *grv_clock_status_name(grv_clock_status s);

void grv_clock_start(grv_clock *c, grv_clock_kind k, int64_t now, int limit_days);
void grv_clock_pause(grv_clock *c, int64_t now);       /* no-op if paused or stopped */
void grv_clock_resume(grv_clock *c, int64_t now);      /* adds the paused span to due_at */
int grv_clock_extend(grv_clock *c, int days, int max_days); /* CORE_INVALID past max_days in total */
void grv_clock_stop(grv_clock *c, int64_t now);
grv_clock_status grv_clock_eval(const grv_clock *c, int64_t now, int due_soon_days);
/* Which clocks a case of this category starts on filing, and which action stops each. */
int grv_clocks_for(grv_category cat, const grv_policy *p, grv_clock_kind kinds[GRV_CLOCK__COUNT],
                   int limits_days[GRV_CLOCK__COUNT]);
/* The acknowledgement clock stops on ACKNOWLEDGE; feedback starts on ACKNOWLEDGE
 * and stops on the first substantive step (inadmissible, propose_remedy, refer,
 * close); the data-subject clock runs from filing to the same steps. */
int grv_clock_stops_on(grv_clock_kind k, grv_action a);
/* DSA art. 20: a moderation complaint filed more than window days after the
 * decision date is out of time (CORE_INVALID). Dates "YYYY-MM-DD". */
int grv_moderation_in_time(const char *decision_date, int64_t now, const grv_policy *p);

/* ---- triage ---- */
typedef struct grv_triage {
    int scale;                        /* 1-5: how grave (rubric in docs) */
    int scope;                        /* 1-5: how many people */
    int irremediable;                 /* 1-5: how hard to put right */
    int urgent;                       /* imminent harm */
    int vulnerable;                   /* affects a vulnerable group */
} grv_triage;
int grv_triage_valid(const grv_triage *t);             /* 0 values mean "not triaged yet" */
/* Severity 3-15 (0 untriaged). Priority: 1 (first) to 4; urgent -> 1; then by
 * severity, vulnerable raising one level. Queues sort by priority, then
 * severity descending, then the nearest due clock. */
int grv_severity(const grv_triage *t);
int grv_priority(const grv_triage *t);
/* The 1-5 rubric text keys ("grv.rubric.scale.3", ...), for pages and docs. */
const char *grv_rubric_key(const char *dimension, int level);

/* ---- receipt code ----
 * 20 Crockford base32 characters (100 bits), shown as XXXXX-XXXXX-XXXXX-XXXXX.
 * Normalisation accepts lower case, spaces and hyphens, and reads I/L as 1
 * and O as 0. The public reference is "G-" + 8 Crockford characters. */
#define GRV_RECEIPT_CHARS 20
#define GRV_RECEIPT_TEXT 23           /* with hyphens */
#define GRV_RECEIPT_BYTES 13          /* random bytes consumed (top 4 bits of the last unused) */
int grv_receipt_format(const unsigned char bytes[GRV_RECEIPT_BYTES], char out[GRV_RECEIPT_TEXT + 1]);
int grv_receipt_normalize(const char *in, char out[GRV_RECEIPT_CHARS + 1]); /* CORE_INVALID */
int grv_reference_format(const unsigned char bytes[5], char out[11]);

/* ---- intake ---- */
typedef struct grv_error {            /* the field at fault, as a JSON pointer */
    const char *field;                /* "/narrative" */
    const char *key;                  /* message key "grv.err.required" ... */
    const char *detail;               /* English detail for the API */
    /* storage for a field built from the input (an unknown member's name,
     * as a JSON pointer, truncated): field may point here, so keep the
     * grv_error where it was filled while you use field. */
    char buf[96];
} grv_error;

typedef struct grv_intake {
    const char *narrative;            /* required, 1..20000 bytes */
    const char *category;             /* grv_category name; default "general" */
    const char *product;              /* a product slug of the org's catalogue, or NULL */
    const char *product_text;         /* free text when not in the catalogue */
    const char *country;              /* ISO 3166-1 alpha-2, upper case */
    const char *incident_date;        /* YYYY-MM-DD, not in the future */
    const char *decision_date;        /* content_moderation: when the person was told of the decision */
    const char *affected;             /* "self", "someone_else", "group" */
    int64_t affected_count;           /* estimate; 0 unknown */
    const char *rights_text;          /* rights at stake in plain language */
    const char *vulnerable_group;     /* self-identified */
    const char *outcome_sought;
    const char *contact_preference;   /* "anonymous", "confidential", "named": required */
    const char *contact_name;         /* not allowed when anonymous */
    const char *contact_email;
    const char *contact_phone;
    const char *language;             /* BCP 47 tag, e.g. "en", "fr", "ar"; default "en" */
    const char *channel;              /* "web", "api", "phone", "letter", "email", "partner"; staff only but web/api */
    const char *partner;              /* the partner organisation when channel = partner */
} grv_intake;

/* Reads a JSON object into in (strings point into obj). Unknown members,
 * wrong types and invalid values fail with err set (CORE_INVALID). */
int grv_intake_from_json(json_t *obj, grv_intake *in, grv_error *err);
/* Checks the rules that do not need the database. now for date checks. */
int grv_intake_validate(const grv_intake *in, int64_t now, const grv_policy *p, grv_error *err);

/* Remedy forms (seed: apology, restitution, rehabilitation, compensation,
 * correction or deletion of data, guarantee of non-repetition, other). */
int grv_remedy_type_valid(const char *type);
const char *const *grv_remedy_types(size_t *n);

/* ---- additions (helper "grievance") ---- */

/* The kind of actor that may take an action: accept_remedy, reject_remedy,
 * withdraw and appeal are the complainant's; every other action is staff's;
 * the system takes none (grv_transition checks the actor before the state,
 * so a wrong actor is CORE_DENIED whatever the state). */
grv_actor_kind grv_action_actor(grv_action a);
/* Which clocks an action starts: FEEDBACK starts on ACKNOWLEDGE (the 3 months
 * of Directive 2019/1937 art. 9 run from the acknowledgement); ACK (and DSR
 * for data_protection) start on filing, see grv_clocks_for. 1 or 0. */
int grv_clock_starts_on(grv_clock_kind k, grv_action a);
/* The limit of a clock under a policy (ACK ack_days, FEEDBACK feedback_days,
 * DSR dsr_days) and the most it may be extended in total (DSR:
 * dsr_extension_days; the others 0 = not extendable). */
int grv_clock_limit_days(grv_clock_kind k, const grv_policy *p);
int grv_clock_max_extension_days(grv_clock_kind k, const grv_policy *p);
/* Queue order: <0 when case a comes first. Priority ascending, then severity
 * descending, then nearest due time (0 = no running clock, last). */
int grv_queue_cmp(const grv_triage *a, int64_t due_a, const grv_triage *b, int64_t due_b);

/* Calendar dates, proleptic Gregorian, without the C library's time zones.
 * grv_date_parse: "YYYY-MM-DD" (exactly), year 1900-9999, a real calendar
 * date; *days = days since 1970-01-01. CORE_INVALID otherwise. */
int64_t grv_days_from_civil(int64_t y, unsigned m, unsigned d);
int grv_date_parse(const char *s, int64_t *days);
/* Whole UTC days since the epoch of a unix time (floor). */
int64_t grv_day_of(int64_t unix_seconds);

/* Value checks used by intake, for other callers (forms, filters). 1 or 0. */
int grv_country_valid(const char *cc);          /* current ISO 3166-1 alpha-2, upper case */
int grv_language_valid(const char *tag);        /* BCP 47 shape: ll[l](-xxxxxxxx)*, <= 35 */
int grv_channel_valid(const char *ch);          /* web api phone letter email partner */
int grv_channel_is_staff(const char *ch);       /* phone letter email partner: staff-recorded */
int grv_affected_valid(const char *s);          /* self someone_else group */
int grv_contact_preference_valid(const char *s);/* anonymous confidential named */

/* The type of an uploaded file from its first bytes, never from what the
 * client claims: "application/pdf" (%PDF-), "image/png", "image/jpeg",
 * "image/gif" (GIF87a/GIF89a), "image/webp" (RIFF....WEBP), "text/plain"
 * (non-empty, valid UTF-8, no NUL nor other C0 control but \t \n \v \f \r),
 * or NULL (refused). */
const char *grv_sniff_type(const void *data, size_t n);

/* Like grv_intake_validate, but collects up to max errors (forms show each
 * next to its field); *n = how many were found (may exceed max). */
int grv_intake_validate_all(const grv_intake *in, int64_t now, const grv_policy *p,
                            grv_error *errv, size_t max, size_t *n);
/* grv_intake_from_json also accepts a member "attachments" (array or null)
 * without reading it: the service decodes the files itself. */

#endif
