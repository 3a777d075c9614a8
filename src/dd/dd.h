/* dd: the domain rules of hrdd's human rights due diligence register
 * (UNGP 17-24), as pure functions (no I/O, no clock, no database): the
 * vocabulary of impacts (actual or potential, involvement and the response
 * it implies, lifecycle phase, evidence, assessment triggers), salience and
 * the order in which impacts are prioritised, assessment due dates,
 * stakeholder engagement fatigue per calendar quarter, indicator trends and
 * on-track status, the grievance-to-impact feedback rule, and the rights
 * catalogue shipped inside the binary (generated from rights.json).
 *
 * Dates are day numbers (days since 1970-01-01, as grv_date_parse gives,
 * so years 1900-9999 are what callers should pass);
 * callers pass "today" in. Rubrics: rubric.md in this folder.
 */
#ifndef HRDD_DD_H
#define HRDD_DD_H

#include <stddef.h>
#include <stdint.h>

#include "core/core.h"

/* ---- vocabulary (every enum has _name -> "snake_case" and _parse ->
 * CORE_OK / CORE_INVALID; names are the API and storage values) ---- */

/* What is known of an impact. possibly_actual: a potential impact that a
 * grievance suggests has happened, pending reassessment. */
typedef enum dd_status { DD_POTENTIAL = 0, DD_POSSIBLY_ACTUAL, DD_ACTUAL, DD_STATUS__COUNT } dd_status;
const char *dd_status_name(dd_status s);              /* potential possibly_actual actual */
int dd_status_parse(const char *s, dd_status *out);

/* UNGP 13 and 19: how the company is involved. */
typedef enum dd_involvement {
    DD_CAUSE = 0,            /* its own activities cause the impact */
    DD_CONTRIBUTE,           /* it contributes, alone or with others */
    DD_DIRECTLY_LINKED,      /* linked to its products or services by a business relationship */
    DD_INVOLVEMENT__COUNT
} dd_involvement;
const char *dd_involvement_name(dd_involvement v);    /* cause contribute directly_linked */
int dd_involvement_parse(const char *s, dd_involvement *out);

/* Responses, as bits (UNGP 19 and 22). */
enum {
    DD_RESP_CEASE_OR_PREVENT = 1u << 0,              /* stop or prevent the impact itself */
    DD_RESP_CEASE_OR_PREVENT_CONTRIBUTION = 1u << 1, /* stop or prevent its own contribution */
    DD_RESP_USE_LEVERAGE = 1u << 2,                  /* use (or build) leverage over others */
    DD_RESP_REMEDY = 1u << 3,                        /* provide remedy or cooperate in providing it */
    DD_RESP_MAY_COOPERATE_IN_REMEDY = 1u << 4,       /* may take a role in remedy; not required to provide it */
    DD_RESP__ALL = (1u << 5) - 1
};
/* cause            -> cease_or_prevent | remedy
 * contribute       -> cease_or_prevent_contribution | use_leverage | remedy
 * directly_linked  -> use_leverage | may_cooperate_in_remedy
 * 0 for an unknown value. */
unsigned dd_involvement_response(dd_involvement v);
/* Name of one response bit ("cease_or_prevent", ...); NULL if not exactly one known bit. */
const char *dd_response_name(unsigned bit);
/* Fills names[] with the names of the bits set in mask, in bit order; returns how many. */
size_t dd_response_names(unsigned mask, const char *names[5]);

typedef enum dd_phase {
    DD_PHASE_DESIGN = 0, DD_PHASE_DEVELOPMENT, DD_PHASE_MARKETING, DD_PHASE_SALE_OR_LICENSING,
    DD_PHASE_DEPLOYMENT, DD_PHASE_USE, DD_PHASE__COUNT
} dd_phase;
const char *dd_phase_name(dd_phase p);  /* design development marketing sale_or_licensing deployment use */
int dd_phase_parse(const char *s, dd_phase *out);

typedef enum dd_evidence {
    DD_EV_ASSESSMENT = 0, DD_EV_GRIEVANCE, DD_EV_STAKEHOLDER_INPUT, DD_EV_MEDIA, DD_EV_AUDIT,
    DD_EV__COUNT
} dd_evidence;
const char *dd_evidence_name(dd_evidence e); /* assessment grievance stakeholder_input media audit */
int dd_evidence_parse(const char *s, dd_evidence *out);

/* Why an assessment is due (UNGP 18, seed §33). grievance: queued by the
 * feedback rule below (an event trigger like the first three). */
typedef enum dd_trigger {
    DD_TRIG_NEW_ACTIVITY = 0,   /* a new activity or business relationship */
    DD_TRIG_MAJOR_CHANGE,       /* a major decision or change in the activity */
    DD_TRIG_ENVIRONMENT_CHANGE, /* a change in the operating environment */
    DD_TRIG_PERIODIC,           /* periodically, through the life of the activity */
    DD_TRIG_GRIEVANCE,          /* a grievance linked to a potential impact */
    DD_TRIG__COUNT
} dd_trigger;
const char *dd_trigger_name(dd_trigger t); /* new_activity major_change environment_change periodic grievance */
int dd_trigger_parse(const char *s, dd_trigger *out);
int dd_trigger_is_event(dd_trigger t);     /* 1 for all but periodic */

/* ---- salience (UNGP 14 and 24; rubric.md) ---- */

/* Ratings of one impact. scale, scope, irremediable: 1-5 each. likelihood:
 * 1-5, required unless status is actual (an actual impact counts as
 * certain, 5, whatever is stored; 0 is allowed there). id: the caller's
 * identifier, the last tie-break. */
typedef struct dd_rating {
    int64_t id;
    dd_status status;
    int scale;
    int scope;
    int irremediable;
    int likelihood;
} dd_rating;

/* CORE_OK, or CORE_INVALID with *field set to the offending member
 * ("scale", "scope", "irremediable", "likelihood", "status"); field may be NULL. */
int dd_rating_validate(const dd_rating *r, const char **field);
/* scale + scope + irremediable, 3-15; 0 when the rating is invalid. */
int dd_severity(const dd_rating *r);
/* 5 for actual, else likelihood; 0 when invalid. */
int dd_likelihood(const dd_rating *r);
/* Severity band 1-5 for a heat map row: 3-4 -> 1, 5-6 -> 2, 7-9 -> 3,
 * 10-12 -> 4, 13-15 -> 5; 0 when invalid. */
int dd_severity_band(int severity);

/* Prioritisation: <0 when a comes first. A total order:
 *   1. severity, higher first (severity ranks before likelihood, UNGP 24)
 *   2. likelihood (actual = 5), higher first
 *   3. irremediable character, higher first
 *   4. scope, higher first
 *   5. scale, higher first (implied by 1, 3 and 4; kept for clarity)
 *   6. status: actual, then possibly_actual, then potential
 *   7. id, lower first
 * Invalid ratings sort after every valid one (then by id). */
int dd_priority_cmp(const dd_rating *a, const dd_rating *b);
/* For qsort over an array of dd_rating. */
int dd_priority_qsort(const void *a, const void *b);
/* Message key of a rubric level: dimension "scale" | "scope" |
 * "irremediable" | "likelihood", level 1-5 -> "dd.rubric.<dimension>.<level>". */
const char *dd_rubric_key(const char *dimension, int level);

/* ---- assessment due dates ---- */

typedef struct dd_policy {
    int periodic_days;                  /* 365: periodic reassessment interval */
    int event_days[DD_TRIG__COUNT];     /* 0: event triggers due on the event day; periodic unused */
    int due_soon_days;                  /* 30: "due soon" window */
    int fatigue_per_quarter;            /* 3: engagements with one organisation per quarter */
} dd_policy;
void dd_policy_defaults(dd_policy *p);
/* CORE_INVALID with *field ("periodic_days", "event_days", "due_soon_days",
 * "fatigue_per_quarter") when a value is out of range
 * (periodic 1-3660, event 0-365, soon 0-365, fatigue 1-100). */
int dd_policy_validate(const dd_policy *p, const char **field);

/* Day an assessment is due. periodic: last_completed + periodic_days, or
 * event_day (due now) when none was completed yet (last_completed < 0 =
 * none); event triggers: event_day + event_days[t] (for new_activity the
 * event day is the planned start: assess before it begins). p NULL =
 * defaults. CORE_INVALID for an unknown trigger or invalid policy. */
int dd_assessment_due(dd_trigger t, int64_t event_day, int64_t last_completed, const dd_policy *p,
                      int64_t *due_day);

typedef enum dd_due_status {
    DD_DUE_UPCOMING = 0,   /* open, more than due_soon_days away */
    DD_DUE_SOON,           /* open, due within due_soon_days (or today) */
    DD_DUE_OVERDUE,        /* open, past its due day */
    DD_DUE_MET,            /* completed on or before the due day */
    DD_DUE_LATE,           /* completed after the due day */
    DD_DUE__COUNT
} dd_due_status;
const char *dd_due_status_name(dd_due_status s); /* upcoming due_soon overdue met late */
/* completed_day < 0 = still open. */
dd_due_status dd_due_eval(int64_t due_day, int64_t today, int64_t completed_day, int due_soon_days);
/* Days past due for an open assessment (0 if not overdue). */
int64_t dd_days_overdue(int64_t due_day, int64_t today);

/* ---- stakeholder engagement fatigue (seed §42) ---- */

/* Calendar quarter of a day: *year and *quarter (1-4). */
void dd_quarter_of(int64_t day, int64_t *year, int *quarter);
/* First day of a quarter; CORE_INVALID for a quarter outside 1-4. */
int dd_quarter_start(int64_t year, int quarter, int64_t *day);

typedef struct dd_fatigue {
    int64_t year;            /* quarter of the proposed engagement */
    int quarter;
    size_t count;            /* engagements already in that quarter */
    int exceeds;             /* count + 1 > max_per_quarter */
} dd_fatigue;
/* days: the dates of one organisation's engagements (any order, may repeat).
 * Would an engagement on new_day exceed max_per_quarter? CORE_INVALID when
 * max_per_quarter < 1 or days is NULL with n > 0. */
int dd_fatigue_check(const int64_t *days, size_t n, int64_t new_day, int max_per_quarter,
                     dd_fatigue *out);

/* ---- indicators and effectiveness tracking (UNGP 20) ---- */

typedef enum dd_direction { DD_DIR_INCREASE = 0, DD_DIR_DECREASE, DD_DIR_MAINTAIN, DD_DIR__COUNT } dd_direction;
const char *dd_direction_name(dd_direction d);  /* increase decrease maintain */
int dd_direction_parse(const char *s, dd_direction *out);

typedef struct dd_point {
    int64_t day;
    double value;
} dd_point;

typedef enum dd_trend { DD_TREND_NONE = 0, DD_TREND_UP, DD_TREND_DOWN, DD_TREND_FLAT, DD_TREND__COUNT } dd_trend;
const char *dd_trend_name(dd_trend t);          /* none up down flat */
/* Least-squares slope (value per day) over the series (any order). NONE
 * when fewer than two points or all on one day; FLAT when the fitted
 * change over the whole span is within 1e-9 of the series' magnitude.
 * slope may be NULL. Non-finite values: NONE. */
dd_trend dd_trend_of(const dd_point *pts, size_t n, double *slope);

typedef struct dd_indicator {
    dd_direction direction;
    double target;
    double tolerance;        /* maintain: |latest - target| <= tolerance is on target; >= 0 */
    int64_t target_day;      /* when the target should be reached; < 0 = no date */
} dd_indicator;

typedef enum dd_track {
    DD_TRACK_NO_DATA = 0,    /* no measurement */
    DD_TRACK_MET,            /* the latest value reaches (or, maintain, holds) the target */
    DD_TRACK_ON_TRACK,       /* moving toward the target (and, with a target day, projected to reach it) */
    DD_TRACK_OFF_TRACK,      /* not moving toward it, or projected to miss it */
    DD_TRACK__COUNT
} dd_track;
const char *dd_track_name(dd_track t);          /* no_data met on_track off_track */
/* Status from the latest measurement (highest day; on equal days the last
 * in the array) and the trend. With a target_day, on_track needs the
 * projection latest + slope * (target_day - latest day) to reach the target
 * (a past target day not met is off_track). One point, not met: off_track. */
dd_track dd_track_eval(const dd_indicator *ind, const dd_point *pts, size_t n);

/* ---- grievances feed due diligence (UNGP 20, 29) ---- */

typedef struct dd_feedback {
    dd_status status;        /* the impact's new status */
    int reassess;            /* 1: queue a reassessment with trigger */
    dd_trigger trigger;      /* DD_TRIG_GRIEVANCE when reassess */
} dd_feedback;
/* A grievance is linked to an impact with status current:
 *   potential       -> possibly_actual, reassess (trigger grievance)
 *   possibly_actual -> possibly_actual, reassess (the caller keeps one open
 *                      reassessment per impact)
 *   actual          -> actual, no reassessment (the grievance is evidence
 *                      and a remedy matter)
 * CORE_INVALID for an unknown status. */
int dd_grievance_feedback(dd_status current, dd_feedback *out);

/* ---- rights catalogue (rights.json, compiled in) ---- */

typedef struct dd_instrument {
    const char *id;          /* "ICCPR" */
    const char *name;        /* "International Covenant on Civil and Political Rights" */
    int year;                /* adopted */
} dd_instrument;

typedef struct dd_right {
    const char *id;          /* "ICCPR-17", "UDHR-19", "ILO-C87" */
    const char *instrument;  /* dd_instrument id: "ICCPR", "ILO" */
    const char *article;     /* "17"; for ILO the convention, "C87" */
    const char *title;       /* short title, staff-facing */
    const char *label;       /* plain language, for public forms */
    const char *const *tags; /* digital-harm tags (dd_tags) */
    size_t ntags;
} dd_right;

/* The whole catalogue, in catalogue order (instrument, then article). */
const dd_right *dd_rights(size_t *n);
/* Exact id (case-sensitive); NULL if unknown. */
const dd_right *dd_right_find(const char *id);
/* Rights carrying tag, in catalogue order: up to max go to out (out may be
 * NULL with max 0); returns how many there are in all (0 for an unknown tag). */
size_t dd_rights_with_tag(const char *tag, const dd_right **out, size_t max);
/* The ten digital-harm tags: privacy expression_information
 * non_discrimination assembly_association liberty_fair_trial health
 * standard_of_living work children political_participation. */
const char *const *dd_tags(size_t *n);
int dd_tag_valid(const char *tag);
/* Message key of a tag's label ("dd.tag.<tag>"); NULL if unknown. */
const char *dd_tag_key(const char *tag);
/* The English label of a tag from rights.json ("Privacy and personal
 * data"), for when no message catalogue is at hand; NULL if unknown. */
const char *dd_tag_label(const char *tag);
const dd_instrument *dd_instruments(size_t *n);
const dd_instrument *dd_instrument_find(const char *id);
/* 1 when right r carries tag, else 0. */
int dd_right_has_tag(const dd_right *r, const char *tag);

#endif
