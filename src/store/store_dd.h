/* store_dd: the storage interface of the due diligence register (issue 4);
 * part of the store module's interface (included by store.h, never on its own).
 *
 * Every record belongs to one organisation and every call is scoped by
 * org_id (a record of another organisation is CORE_NOTFOUND). Lists of
 * short tokens (rights, countries, groups of markers, evidence kinds) are
 * stored as one space-separated text ("ICCPR-17 UDHR-19", "DE FR"); the
 * register service (src/register) validates them against src/dd before
 * they get here. Dates the register reasons about are day numbers (dd.h);
 * created_at / updated_at / approved_at are Unix seconds (sdb_now). Free
 * text is stored as given (the register holds no complainant data: a
 * grievance link stores only the case id). Enumerated values are the
 * snake_case names of dd.h (dd_status_name, ...), or the lists given here.
 *
 * create: sets id (and created_at / updated_at when the struct has them;
 * a non-zero value given by the caller, e.g. an import, is kept);
 * CORE_CONFLICT on a unique key. update: by (org_id, id), CORE_NOTFOUND when
 * no row changed; bumps updated_at. list: in the order given per call.
 * A reference (scope_id, impact_id, policy_id, case_id, ...) to a record of
 * another organisation, or to none, is CORE_NOTFOUND on create and update;
 * a value outside a vocabulary or a range the schema checks is CORE_INVALID.
 */
#ifndef HRDD_STORE_DD_H
#define HRDD_STORE_DD_H

/* ---- policy commitments (UNGP 16): versioned documents ---- */
typedef struct store_dd_policy {
    int64_t id;
    int64_t org_id;
    int64_t version;                 /* 1, 2, ... per org; unique (org_id, version);
                                      * 0 on create = the org's next number */
    const char *title;
    const char *body_md;             /* Markdown */
    const char *scope_rights;        /* right ids, or "" = all internationally recognised rights */
    int own_operations;              /* scope flags, 0/1 */
    int business_partners;
    int end_use;
    const char *status;              /* "draft", "approved", "superseded" */
    int64_t created_by;              /* user id */
    int64_t created_at;
    int64_t approved_by;             /* 0 = not approved */
    int64_t approved_at;             /* Unix seconds, 0 = not approved */
    const char *approved_role;       /* "hr_lead" / "admin", NULL until approved */
} store_dd_policy;

int store_dd_policy_create(store_conn *c, store_dd_policy *p);
int store_dd_policy_update(store_conn *c, store_dd_policy *p);          /* text, scope, status, approval */
int store_dd_policy_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_policy *out);
int store_dd_policy_list(store_conn *c, core_arena *a, int64_t org_id, store_dd_policy **out,
                         size_t *n);                                     /* version descending */

typedef struct store_dd_policy_comm {    /* how and to whom a version was communicated */
    int64_t id;
    int64_t org_id;
    int64_t policy_id;
    int64_t day;
    const char *channel;             /* "website", "intranet", "training", "supplier_code", "email", "other" */
    const char *audience;            /* "staff", "business_partners", "users", "public", "investors", "other" */
    const char *note;                /* may be NULL */
    int64_t created_at;
} store_dd_policy_comm;
int store_dd_policy_comm_add(store_conn *c, store_dd_policy_comm *m);
int store_dd_policy_comm_list(store_conn *c, core_arena *a, int64_t org_id, int64_t policy_id,
                              store_dd_policy_comm **out, size_t *n);    /* by day */

typedef struct store_dd_policy_link {    /* operational policy that embeds the commitment */
    int64_t id;
    int64_t org_id;
    int64_t policy_id;
    const char *title;
    const char *url;                 /* may be NULL */
    const char *function;            /* company function (see store_dd_action), may be NULL */
} store_dd_policy_link;
int store_dd_policy_link_add(store_conn *c, store_dd_policy_link *l);
int store_dd_policy_link_list(store_conn *c, core_arena *a, int64_t org_id, int64_t policy_id,
                              store_dd_policy_link **out, size_t *n);   /* by id */

/* ---- scope objects: products, services, features, business relationships ---- */
typedef struct store_dd_scope {
    int64_t id;
    int64_t org_id;
    const char *slug;                /* unique per org */
    const char *kind;                /* "product", "service", "feature", "customer", "end_user",
                                      * "state_agency", "supplier", "partner", "investee" */
    const char *name;
    const char *description;         /* may be NULL */
    const char *phase;               /* dd_phase_name */
    const char *countries;           /* ISO 3166-1 alpha-2 codes, "" = global */
    const char *markers;             /* high-risk markers: "surveillance_to_state", "state_customer",
                                      * "conflict_affected", "high_risk_area", "children_users",
                                      * "automated_decisions", "mass_data" */
    int64_t product_id;              /* the grievance catalogue's product (store_product), 0 = none */
    int64_t parent_id;               /* feature -> its product, 0 = none */
    int64_t created_at;
    int64_t updated_at;
} store_dd_scope;
int store_dd_scope_create(store_conn *c, store_dd_scope *s);
int store_dd_scope_update(store_conn *c, store_dd_scope *s);
int store_dd_scope_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_scope *out);
int store_dd_scope_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                               store_dd_scope *out);
int store_dd_scope_list(store_conn *c, core_arena *a, int64_t org_id, store_dd_scope **out,
                        size_t *n);                                      /* by name */

/* ---- impacts ---- */
typedef struct store_dd_impact {
    int64_t id;
    int64_t org_id;
    int64_t scope_id;                /* the scope object it arises from (required) */
    const char *title;
    const char *description;         /* may be NULL */
    const char *status;              /* dd_status_name: potential possibly_actual actual */
    const char *rights;              /* right ids (dd_right_find), at least one */
    const char *affected_groups;     /* free text, may be NULL */
    const char *vulnerable_groups;   /* free text, may be NULL */
    const char *countries;           /* "" = global */
    const char *involvement;         /* dd_involvement_name */
    int business_model;              /* 0/1: driven by the business model */
    int scale, scope, irremediable;  /* 1-5 (rubric.md) */
    int likelihood;                  /* 1-5; 0 allowed when actual */
    const char *competing_rights;    /* note on competing rights, may be NULL */
    const char *evidence;            /* dd_evidence_name tokens */
    int64_t created_by;
    int64_t created_at;
    int64_t updated_at;
} store_dd_impact;
int store_dd_impact_create(store_conn *c, store_dd_impact *i);
int store_dd_impact_update(store_conn *c, store_dd_impact *i);
int store_dd_impact_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_impact *out);
/* scope_id 0 = every scope object; by id (the service sorts by salience). */
int store_dd_impact_list(store_conn *c, core_arena *a, int64_t org_id, int64_t scope_id,
                         store_dd_impact **out, size_t *n);

/* ---- assessments (HRIA / due diligence reviews) per scope object ---- */
typedef struct store_dd_assessment {
    int64_t id;
    int64_t org_id;
    int64_t scope_id;
    const char *kind;                /* "hria", "dd_review" */
    const char *trigger;             /* dd_trigger_name */
    const char *trigger_note;        /* what happened, may be NULL */
    int64_t event_day;               /* the triggering event (or the planned start) */
    int64_t due_day;                 /* computed by dd_assessment_due */
    const char *status;              /* "open", "completed", "approved" */
    int64_t completed_day;           /* -1 = open */
    const char *summary;             /* findings summary (publishable), may be NULL */
    int64_t impact_id;               /* a reassessment queued for one impact (grievance trigger), 0 = none */
    int64_t approved_by;             /* 0 = not approved */
    int64_t approved_at;
    int64_t created_at;
    int64_t updated_at;
} store_dd_assessment;
int store_dd_assessment_create(store_conn *c, store_dd_assessment *x);
int store_dd_assessment_update(store_conn *c, store_dd_assessment *x);
int store_dd_assessment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                            store_dd_assessment *out);
/* scope_id 0 = all; by due_day then id. */
int store_dd_assessment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t scope_id,
                             store_dd_assessment **out, size_t *n);
/* Findings: impacts an assessment identified or reviewed (unique pair:
 * CORE_CONFLICT when already recorded); impact ids ascending. */
int store_dd_finding_add(store_conn *c, int64_t org_id, int64_t assessment_id, int64_t impact_id);
int store_dd_finding_list(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id,
                          int64_t **impact_ids, size_t *n);

/* ---- actions ---- */
typedef struct store_dd_action {
    int64_t id;
    int64_t org_id;
    int64_t impact_id;
    const char *kind;                /* "prevent", "mitigate", "remediate", "use_leverage",
                                      * "suspend_relationship", "end_relationship" */
    const char *title;
    const char *description;         /* may be NULL */
    int64_t owner_id;                /* user id, 0 = none */
    const char *owner_name;          /* display name when no account, may be NULL */
    const char *function;            /* "product", "engineering", "trust_and_safety", "legal",
                                      * "sales", "procurement", "human_rights", "other" */
    int64_t due_day;                 /* -1 = none */
    const char *status;              /* "planned", "in_progress", "done", "cancelled" */
    const char *integration;         /* evidence of integration into processes, may be NULL */
    int64_t created_at;
    int64_t updated_at;
} store_dd_action;
int store_dd_action_create(store_conn *c, store_dd_action *x);
int store_dd_action_update(store_conn *c, store_dd_action *x);
int store_dd_action_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_dd_action *out);
/* impact_id 0 = all; by due_day (none last) then id. */
int store_dd_action_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                         store_dd_action **out, size_t *n);

/* ---- indicators and measurements ---- */
typedef struct store_dd_indicator {
    int64_t id;
    int64_t org_id;
    int64_t impact_id;               /* exactly one of impact_id / action_id is set */
    int64_t action_id;
    const char *name;
    const char *unit;                /* "%", "days", "reports", ... */
    const char *direction;           /* dd_direction_name */
    double target;
    double tolerance;                /* maintain only; >= 0 */
    int64_t target_day;              /* -1 = none */
    int64_t created_at;
} store_dd_indicator;
int store_dd_indicator_create(store_conn *c, store_dd_indicator *x);
int store_dd_indicator_update(store_conn *c, store_dd_indicator *x);
int store_dd_indicator_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                           store_dd_indicator *out);
/* impact_id / action_id 0 = no filter on it; by id. */
int store_dd_indicator_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                            int64_t action_id, store_dd_indicator **out, size_t *n);

typedef struct store_dd_measure {
    int64_t id;
    int64_t org_id;
    int64_t indicator_id;
    int64_t day;
    double value;                    /* stored exactly (REAL / DOUBLE PRECISION) */
    const char *note;                /* source or comment, may be NULL */
    int64_t created_at;
} store_dd_measure;
/* One value per (indicator, day): a second one for the same day replaces it
 * (value, note, created_at; m->id is the existing row's id). */
int store_dd_measure_put(store_conn *c, store_dd_measure *m);
int store_dd_measure_list(store_conn *c, core_arena *a, int64_t org_id, int64_t indicator_id,
                          store_dd_measure **out, size_t *n);           /* by day */

/* ---- stakeholders and engagements ---- */
typedef struct store_dd_stakeholder {
    int64_t id;
    int64_t org_id;
    const char *name;
    const char *kind;                /* "organisation", "affected_group", "expert", "representative" */
    const char *region;              /* free text ("East Africa"), may be NULL */
    const char *countries;           /* "" = none given */
    int global_south;                /* 0/1 */
    const char *contact;             /* staff-only contact note, may be NULL */
    int64_t created_at;
} store_dd_stakeholder;
int store_dd_stakeholder_create(store_conn *c, store_dd_stakeholder *x);
int store_dd_stakeholder_update(store_conn *c, store_dd_stakeholder *x);
int store_dd_stakeholder_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                             store_dd_stakeholder *out);
int store_dd_stakeholder_list(store_conn *c, core_arena *a, int64_t org_id,
                              store_dd_stakeholder **out, size_t *n);   /* by name */

typedef struct store_dd_engagement {
    int64_t id;
    int64_t org_id;
    int64_t stakeholder_id;
    int64_t day;
    const char *step;                /* cycle step: "identify", "assess", "act", "track",
                                      * "communicate", "remedy" */
    const char *topics;              /* free text */
    const char *format;              /* "meeting", "workshop", "survey", "interview",
                                      * "consultation", "written", "other" */
    const char *outcome;             /* may be NULL */
    const char *follow_up;           /* may be NULL */
    const char *impact_ids;          /* impacts discussed, space-separated decimal ids ("" = none) */
    int64_t created_at;
} store_dd_engagement;
int store_dd_engagement_create(store_conn *c, store_dd_engagement *x);
/* stakeholder_id 0 = all; by day then id. */
int store_dd_engagement_list(store_conn *c, core_arena *a, int64_t org_id, int64_t stakeholder_id,
                             store_dd_engagement **out, size_t *n);

/* ---- grievances feed due diligence ---- */
typedef struct store_dd_grievance_link {
    int64_t org_id;
    int64_t impact_id;
    int64_t case_id;                 /* grievances.id of the same org */
    int64_t linked_by;               /* user id */
    int64_t linked_at;               /* Unix seconds */
} store_dd_grievance_link;
/* CORE_CONFLICT when the pair is already linked. */
int store_dd_link_add(store_conn *c, const store_dd_grievance_link *l);
/* impact_id 0 = all of the org; case_id 0 = no filter; by linked_at. */
int store_dd_link_list(store_conn *c, core_arena *a, int64_t org_id, int64_t impact_id,
                       int64_t case_id, store_dd_grievance_link **out, size_t *n);

#endif
