/* assess: the assessment engine (issue 6): methodologies as data, a pure
 * scoring engine, and the glue to the store.
 *
 * A methodology (asm_methodology) is loaded from a YAML file (asm_load_yaml:
 * libyaml events, a schema check, every error as "file:line:column: message")
 * into a caller's arena; it is immutable afterwards and may be shared by
 * threads. Its parts are addressed by index (category, parent indicator,
 * scale) so scoring does no string lookups but one hash per answer.
 *
 * Scoring (asm_score_entity) is pure: a methodology and an in-memory answer
 * set (asm_subject + asm_answer[]) give level, indicator, category and total
 * scores, unrounded. The rules (RDR 2020 methodology section 6, generalised):
 *   element points: the scale choice's points; reversed elements score the
 *     choice's reversed_points (default: scale max - points); a choice marked na, an element excluded for the
 *     entity's kind or a level's service kind, or an unanswered element is
 *     left out of every average; a conditional-credit rule may turn an
 *     element's credit into fixed points or N/A when another element's answer
 *     is not in a list.
 *   level score = mean (weighted by element weight, default 1) of the
 *     non-N/A elements at that level; no such element -> the level is N/A.
 *   leaf indicator = mean of the non-N/A level scores in its scoring scope
 *     (ENTITY: the entity-wide level only; FULL: entity, operating company
 *     and every service; SERVICES: services only).
 *   parent indicator = mean (weighted) of its non-N/A sub-indicators.
 *   category = mean (weighted) of its non-N/A top-level indicators.
 *   total = mean of ALL non-N/A top-level indicators (ASM_TOTAL_INDICATORS,
 *     the default), weighted by indicator weight (ASM_TOTAL_WEIGHTED), or the
 *     weighted mean of the category scores (ASM_TOTAL_CATEGORIES).
 *   Nothing is rounded; asm_round_half_up is for output only.
 *
 * Levels: an answer names its level as "group" (the entity as a whole, RDR's
 * Group), "opcom" (operating company) or the name of one of the entity's
 * services (asm_service). Methodologies without levels answer at "group".
 */
#ifndef HRDD_ASSESS_H
#define HRDD_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/core.h"
#include "store/store.h"

/* ================= methodology model ================= */

#define ASM_LEVEL_GROUP "group"
#define ASM_LEVEL_OPCOM "opcom"

typedef enum asm_scope {
    ASM_SCOPE_ENTITY = 0,            /* "entity" (alias "company"): the group level only */
    ASM_SCOPE_FULL,                  /* "full": group, opcom and every service */
    ASM_SCOPE_SERVICES               /* "services": services only */
} asm_scope;

typedef enum asm_total_mode {
    ASM_TOTAL_INDICATORS = 0,        /* "indicators": mean of all top-level indicators */
    ASM_TOTAL_WEIGHTED,              /* "weighted": weighted by indicator weight */
    ASM_TOTAL_CATEGORIES             /* "categories": weighted mean of category scores */
} asm_total_mode;

typedef struct asm_choice {          /* one answer option of a scale */
    const char *key;                 /* "yes", "partial", "no", "no_disclosure", "na" */
    const char *label;
    double points;                   /* meaningless when na */
    double reversed_points;          /* points on a reversed element: default max_points - points
                                      * (RDR: "no disclosure found" stays 0 either way) */
    int na;                          /* 1: left out of every average */
} asm_choice;

typedef struct asm_scale {
    const char *id;
    const char *label;               /* may be NULL */
    asm_choice *choices;
    size_t n_choices;
    double max_points;               /* highest points of a non-na choice (for reversal) */
} asm_scale;

typedef struct asm_credit_rule {     /* conditional credit of one element */
    int source;                      /* element index (asm_methodology.elements) the rule reads */
    const char **values;             /* credit only when source's answer (same level) is one of these */
    size_t n_values;
    int otherwise_na;                /* 1: else the element is N/A ... */
    double otherwise_points;         /* ... 0: else it scores these points */
} asm_credit_rule;

typedef struct asm_element {
    const char *id;                  /* unique in the methodology: "G1.1", "legit.1" */
    const char *text;                /* the question */
    int indicator;                   /* index into asm_methodology.indicators */
    int scale;                       /* index into asm_methodology.scales */
    int reversed;                    /* scores the choices' reversed_points */
    double weight;                   /* default 1 */
    const char **exclude_kinds;      /* entity kinds / subkinds for which it is N/A */
    size_t n_exclude_kinds;
    const char **exclude_services;   /* service kinds for which it is N/A at that level */
    size_t n_exclude_services;
    const char *automatic;           /* source key hrdd computes it from ("grievance.ack_in_time"), or NULL */
    const char *guidance;            /* may be NULL */
    asm_credit_rule *credit;         /* NULL when unconditional */
} asm_element;

typedef struct asm_indicator {
    const char *id;                  /* "G1", "G4a" */
    const char *label;
    const char *description;         /* may be NULL */
    int category;                    /* index into asm_methodology.categories */
    int parent;                      /* index of the parent indicator, -1 for top level */
    asm_scope scope;
    double weight;                   /* default 1 */
    const char **exclude_kinds;      /* entity kinds / subkinds for which it is N/A */
    size_t n_exclude_kinds;
    int *children;                   /* sub-indicator indexes (file order) */
    size_t n_children;
    int *elements;                   /* element indexes (file order); none when it has children */
    size_t n_elements;
} asm_indicator;

typedef struct asm_category {
    const char *id;                  /* "G" */
    const char *label;
    double weight;                   /* default 1 (ASM_TOTAL_CATEGORIES) */
} asm_category;

typedef struct asm_methodology {
    const char *id;                  /* slug: "rdr-2020", "ungp31" */
    const char *name;
    const char *version;             /* "2020.1"; assessments keep the version they used */
    const char *description;         /* may be NULL */
    const char *attribution;         /* may be NULL */
    const char **entity_kinds;       /* which entities it assesses: "company", "mechanism", "proposal", "supplier" */
    size_t n_entity_kinds;
    int has_levels;                  /* 1: answers may be at opcom / service levels */
    asm_total_mode total_mode;
    asm_scale *scales;
    size_t n_scales;
    asm_category *categories;
    size_t n_categories;
    asm_indicator *indicators;       /* parents before their children, file order */
    size_t n_indicators;
    asm_element *elements;           /* all elements, indicator by indicator */
    size_t n_elements;
    void *index;                     /* private: element id hash (arena) */
} asm_methodology;

/* ---- loader ---- */
typedef struct asm_error {
    char file[256];
    int line;                        /* 1-based; 0 when unknown */
    int column;                      /* 1-based */
    char message[256];
} asm_error;

/* Parses and checks text (len bytes; need not be NUL-terminated). file names
 * the source in errors. CORE_OK with *out in a; CORE_INVALID with *err
 * filled (syntax error, unknown key, missing key, wrong type, duplicate id,
 * dangling reference to a scale / category / indicator / element, a scale
 * without points, a bad number). */
int asm_load_yaml(core_arena *a, const char *file, const char *text, size_t len,
                  asm_methodology **out, asm_error *err);
/* Reads a file and calls asm_load_yaml; CORE_ERR (err set) when unreadable. */
int asm_load_file(core_arena *a, const char *path, asm_methodology **out, asm_error *err);
/* "file:line:column: message" into buf (always NUL-terminated). */
void asm_error_format(const asm_error *err, char *buf, size_t n);

/* Element / indicator / category / scale choice by id; -1 if none. */
int asm_find_element(const asm_methodology *m, const char *id);
int asm_find_indicator(const asm_methodology *m, const char *id);
int asm_find_category(const asm_methodology *m, const char *id);
int asm_find_choice(const asm_scale *s, const char *key);

/* Writes m as YAML that asm_load_yaml reads back to the same model (used to
 * store a methodology built by the RDR import). CORE_OK or CORE_NOMEM. */
int asm_write_yaml(const asm_methodology *m, core_buf *out);
/* The methodology as JSON (id, name, version, scales, categories,
 * indicators with their elements), for the API. NULL on OOM. */
json_t *asm_methodology_json(const asm_methodology *m);

/* ---- shipped methodologies (YAML compiled in from src/assess/methodologies) ---- */
typedef struct asm_shipped {
    const char *id;                  /* "rdr-2020", "ungp31", "ungp-proposal", "ungprf-self", "supplier-dd" */
    const char *file;                /* "rdr-2020.yaml" */
    const char *yaml;
    size_t len;
} asm_shipped;

size_t asm_shipped_count(void);
const asm_shipped *asm_shipped_at(size_t i);
const asm_shipped *asm_shipped_find(const char *id);          /* NULL if none */
int asm_shipped_load(core_arena *a, const char *id, asm_methodology **out, asm_error *err);

/* ================= scoring (pure) ================= */

typedef struct asm_service {         /* a level below the group: one service of the entity */
    const char *name;                /* the level name in answers: "Taobao.com" */
    const char *kind;                /* service kind: "eCommerce", "pda", "mobile" */
} asm_service;

typedef struct asm_subject {         /* what is assessed, as scoring sees it */
    const char *id;                  /* entity slug */
    const char *kind;                /* "company", "mechanism", "proposal", "supplier" */
    const char *subkind;             /* e.g. company kind "telecom" / "internet"; may be NULL */
    int has_opcom;                   /* 1: an operating company level exists */
    const asm_service *services;
    size_t n_services;
} asm_subject;

typedef struct asm_answer {
    const char *element;             /* element id */
    const char *level;               /* "group", "opcom" or a service name */
    const char *value;               /* choice key of the element's scale */
} asm_answer;

typedef struct asm_level_score {
    const char *level;               /* "group", "opcom" or service name */
    double score;                    /* valid when has */
    int has;                         /* 0: N/A (no scored element) */
} asm_level_score;

typedef struct asm_indicator_score {
    double score;                    /* valid when has */
    int has;                         /* 0: N/A (excluded, or nothing scored) */
    asm_level_score *levels;         /* leaf indicators: the levels of its scope */
    size_t n_levels;
} asm_indicator_score;

typedef struct asm_score {
    const asm_methodology *m;
    const char *entity;              /* subject id */
    double total;
    int has_total;
    double *categories;              /* [m->n_categories] */
    int *category_has;
    asm_indicator_score *indicators; /* [m->n_indicators], same order as m->indicators */
    size_t n_unknown;                /* answers naming an unknown element/level/choice (ignored) */
} asm_score;

/* Scores one entity. Every allocation comes from a. CORE_OK, CORE_NOMEM. */
int asm_score_entity(core_arena *a, const asm_methodology *m, const asm_subject *s,
                     const asm_answer *answers, size_t n_answers, asm_score *out);

/* Half-up rounding to an integer (12.5 -> 13), with a 1e-9 tolerance so
 * that 12.4999999999 from float sums rounds like 12.5. Output only. */
long asm_round_half_up(double v);

/* {"entity": id, "total": n|null, "categories": {...}, "indicators": {...},
 * "levels": {"G1": {"group": n, ...}, ...}} (unrounded); NULL on OOM. */
json_t *asm_score_json(const asm_score *s);

/* ================= store glue ================= */

/* Builds the asm_subject of a stored entity (kind, subkind, services and
 * opcom from its attributes JSON: {"subkind": "...", "opcom": true,
 * "services": [{"name": "...", "kind": "..."}]}), in a. */
int asm_subject_from_entity(core_arena *a, const store_as_entity *e, asm_subject *out);

/* Loads the methodology version of a stored row (its YAML source). */
int asm_methodology_from_row(core_arena *a, const store_as_methodology *row, asm_methodology **out,
                             asm_error *err);

/* Scores one stored assessment: loads its methodology, entity and answers
 * (org-scoped; CORE_NOTFOUND when not in org). *m_out may be NULL. */
int asm_score_assessment(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id,
                         const asm_methodology **m_out, asm_score *out);

/* ---- RDR import (`hrdd assess import-rdr`) ---- */
typedef struct asm_rdr_stats {
    const char *methodology;         /* slug */
    const char *version;
    int year;
    size_t companies;
    size_t indicators;
    size_t elements;
    size_t answers;
    size_t exclusions_relaxed;       /* (element, kind) exclusions the data contradicts, dropped */
} asm_rdr_stats;

/* Reads the RDR layout in dir (indicators/<ID>/elements.json,
 * <YEAR>-company-specs.csv, -service-specs.csv, -element-specs.csv,
 * -indicator-specs.csv, -indicator-excludes.csv; the year is found from the
 * file names), builds the methodology "rdr-<YEAR>" (stored as YAML), one
 * entity per company (kind "company", subkind telecom/internet, services),
 * one assessment per company (period "<YEAR>", status "final") and every
 * answer, in one transaction, in org org_id. Re-importing the same year
 * replaces the methodology version's assessments. CORE_INVALID with msg
 * (file and reason) on bad data. */
int asm_rdr_import(store_conn *c, core_arena *a, int64_t org_id, const char *dir, asm_rdr_stats *st,
                   char *msg, size_t msg_len);

/* ===== (assess-app: workflow service section below this line) ===== */

/* ================= workflow service (assess-app) =================
 *
 * What the API, the pages and the CLI share on top of the engine: entities,
 * assessments and their answers with evidence, the review workflow, the
 * scorecard, ranking and comparison views, the automatic UNGP 31 evidence
 * computed from the grievance data, and the investor portfolio.
 *
 * Every call takes a store (it acquires its own connection; changes are one
 * transaction with an audit entry, object "assessment"/"as_entity", no
 * content) and an actor; records are scoped by actor->org_id (another org's
 * record is CORE_NOTFOUND, like a missing one). Permissions are checked here
 * as well as at the routes: reading needs CORE_PERM_ASSESS_READ, changing
 * CORE_PERM_ASSESS_EDIT, finalising CORE_PERM_ASSESS_PUBLISH (else
 * CORE_DENIED).
 * Workflow: answered -> reviewed (ASSESS_EDIT) -> final (ASSESS_PUBLISH), by
 * two different people: the finaliser may not be the reviewer (CORE_DENIED,
 * err->field "/status"); answers change only while "answered"
 * (CORE_CONFLICT); reviewed -> answered reopens; final is frozen (a new
 * period is a new assessment). Methodologies are referenced by slug (and
 * optional version): a shipped methodology not yet stored in the org is
 * stored on first use (its YAML, the version it declares).
 * Comparison with the previous assessment: the same entity and methodology
 * slug, the newest assessment created before this one; per element and
 * level the answer before and now, with the researcher's note as "why".
 * Public views (public_only = 1) see final assessments only.
 */
struct rmd_service;

typedef struct asm_actor {
    int64_t user_id;                 /* 0 = CLI / system */
    int64_t org_id;
    core_role role;
    const char *label;               /* audit actor: "user:12", "token:3", "cli" */
} asm_actor;

typedef struct asm_wf_error {
    char field[64];                  /* JSON pointer of the bad member ("/period", "/answers/3/value") */
    char reason[160];                /* English, for the problem detail */
    const char *key;                 /* message-catalogue key for pages ("as.err.period") */
} asm_wf_error;

/* ---- methodologies ---- */
typedef struct asm_meth_info {
    int64_t id;                      /* stored row id; 0 = shipped, not stored in this org yet */
    const char *slug, *version, *name, *description;
    const char *entity_kinds;        /* space-separated */
    size_t n_assessments;
} asm_meth_info;

/* Stored versions of the org (newest first per slug), then shipped ones not stored yet. */
int asm_wf_methodologies(store *st, core_arena *a, const asm_actor *ac, asm_meth_info **out, size_t *n);
/* The parsed methodology of a stored row, cached per process (rows are immutable). */
int asm_wf_methodology(store *st, core_arena *a, const asm_actor *ac, int64_t id,
                       store_as_methodology *row, const asm_methodology **m);
/* Same within an open connection, no permission check (internal and public views). */
int asm_wf_methodology_c(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                         store_as_methodology *row, const asm_methodology **m);
/* slug (+ version or NULL = newest); install = 1 stores a shipped one when missing (inside c's transaction). */
int asm_wf_methodology_resolve(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                               const char *version, int install, store_as_methodology *row);

/* ---- entities ---- */
int asm_wf_entity_kind_valid(const char *kind);   /* company, mechanism, proposal, supplier */
/* Validates kind, slug (core_slug_valid), name (1-200), attributes (JSON object text or NULL = "{}");
 * sets e->id. CORE_CONFLICT on a taken slug (err->field "/slug"). */
int asm_wf_entity_create(store *st, core_arena *a, const asm_actor *ac, store_as_entity *e,
                         asm_wf_error *err);
int asm_wf_entity_update(store *st, core_arena *a, const asm_actor *ac, store_as_entity *e,
                         asm_wf_error *err);
int asm_wf_entity_list(store *st, core_arena *a, const asm_actor *ac, const char *kind,
                       store_as_entity **out, size_t *n);
int asm_wf_entity_get(store *st, core_arena *a, const asm_actor *ac, int64_t id, store_as_entity *out);

/* ---- assessments ---- */
typedef struct asm_wf_new {
    int64_t entity_id;
    const char *methodology;         /* slug */
    const char *version;             /* NULL = newest (or the shipped one) */
    const char *period;              /* [A-Za-z0-9-]{1,32} */
} asm_wf_new;

/* The methodology must assess the entity's kind (err "/methodology"). CORE_CONFLICT when
 * (entity, methodology version, period) exists. */
int asm_wf_assessment_create(store *st, core_arena *a, const asm_actor *ac, const asm_wf_new *in,
                             int64_t *id, asm_wf_error *err);
int asm_wf_assessment_get(store *st, core_arena *a, const asm_actor *ac, int64_t id,
                          store_as_assessment *out);
/* entity_id / methodology_id 0 = any. */
int asm_wf_assessment_list(store *st, core_arena *a, const asm_actor *ac, int64_t entity_id,
                           int64_t methodology_id, store_as_assessment **out, size_t *n);
/* Only while "answered" (CORE_CONFLICT otherwise). */
int asm_wf_assessment_delete(store *st, core_arena *a, const asm_actor *ac, int64_t id);

typedef struct asm_wf_answer {
    const char *element, *level;     /* level NULL = "group" */
    const char *value;               /* choice key; NULL removes the answer */
    const char *evidence_url;        /* http(s) only */
    const char *evidence_quote, *evidence_document, *note;
} asm_wf_answer;

/* Checks every answer first (element of the methodology, level of the
 * entity when the methodology has levels, value of the element's scale,
 * URL; err->field "/answers/<i>/<member>"), then stores all in one
 * transaction. CORE_CONFLICT unless the status is "answered". */
int asm_wf_answers_put(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                       const asm_wf_answer *in, size_t n, asm_wf_error *err);
int asm_wf_answers_list(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                        store_as_answer **out, size_t *n);

/* to: "reviewed" (from answered, ASSESS_EDIT), "final" (from reviewed,
 * ASSESS_PUBLISH, by someone other than the reviewer), "answered" (from
 * reviewed: reopen). CORE_CONFLICT for a move the status does not allow. */
int asm_wf_transition(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                      const char *to, asm_wf_error *err);

/* ---- scores and views ---- */
typedef struct asm_scorecard {
    store_as_assessment as;
    store_as_entity entity;
    store_as_methodology mrow;
    const asm_methodology *m;
    asm_score score;
    store_as_answer *answers;
    size_t n_answers;
    int has_previous;                /* a previous assessment of the same entity and methodology slug */
    store_as_assessment previous;
    asm_score previous_score;        /* valid when has_previous */
} asm_scorecard;

/* org-scoped; public_only = 1: final assessments only (else CORE_NOTFOUND);
 * actor NULL = public (no permission check). */
int asm_wf_scorecard(store *st, core_arena *a, const asm_actor *ac, int64_t org_id,
                     int64_t assessment_id, int public_only, asm_scorecard *out);
/* JSON: assessment, entity, methodology, total/categories/indicators both
 * unrounded ("score") and rounded half up ("rounded"), levels, answers with
 * evidence (include_answers), previous total. NULL on OOM. */
json_t *asm_scorecard_json(const asm_scorecard *sc, int include_answers);
/* CSV (RFC 4180): a row per category and indicator: kind,id,name,score,rounded,previous
 * then, when include_answers, a row per answer. */
int asm_scorecard_csv(const asm_scorecard *sc, int include_answers, core_buf *out);

typedef struct asm_rank_row {
    store_as_assessment as;
    store_as_entity entity;
    asm_score score;
    int rank;                        /* 1-based, ties share a rank (by rounded total) */
} asm_rank_row;

/* The latest assessment of each entity for the methodology row (period NULL = any;
 * final_only for public views), scored, highest total first. */
int asm_wf_ranking(store *st, core_arena *a, const asm_actor *ac, int64_t org_id, int64_t methodology_id,
                   const char *period, int final_only, const asm_methodology **m,
                   asm_rank_row **out, size_t *n);
json_t *asm_ranking_json(const asm_methodology *m, const asm_rank_row *rows, size_t n);
int asm_ranking_csv(const asm_methodology *m, const asm_rank_row *rows, size_t n, core_buf *out);

/* Two scorecards side by side (category and indicator scores, difference a - b). */
json_t *asm_compare_json(const asm_scorecard *x, const asm_scorecard *y);
int asm_compare_csv(const asm_scorecard *x, const asm_scorecard *y, core_buf *out);

typedef struct asm_change {
    const char *element, *level;
    const char *before, *after;      /* choice keys; NULL = not answered */
    const char *note;                /* the current answer's note: why it changed */
} asm_change;

/* Element-level changes between sc's previous assessment and sc (empty when none). */
int asm_wf_changes(const asm_scorecard *sc, store *st, core_arena *a, asm_change **out, size_t *n);

/* ---- automatic evidence (UNGP 31, from the grievance data) ----
 * Sources (asm_element.automatic):
 *   grievance.ack_in_time     share acknowledged within the time limit: >= 90 % yes,
 *                             >= 50 % partial, else no; none decided: na
 *   grievance.rules_published the rules page with time limits (/mechanism): yes
 *   grievance.appeal_available appeal to a different handler built into the workflow: yes
 *   grievance.languages       interface languages + languages grievances came in: >= 2 yes, 1 partial
 *   grievance.outcomes_published published statistics with outcomes (k-anonymous): yes when any case, else partial
 *   grievance.satisfaction    mean rating: >= 4 yes, >= 3 partial, else no; fewer ratings than
 *                             public_k (5): na, no mean (it would reveal individual ratings)
 * Each item links its evidence (/grievance-stats for staff, /mechanism public). */
typedef struct asm_auto_item {
    const char *element;             /* element id */
    const char *source;              /* asm_element.automatic */
    const char *value;               /* choice key ("yes", "partial", "no", "na") */
    const char *url;                 /* the page that shows the evidence */
    json_t *facts;                   /* measured figures (borrowed from out->facts) */
} asm_auto_item;

typedef struct asm_auto {
    asm_auto_item *items;
    size_t n;
    json_t *facts;                   /* owns the facts; asm_auto_cleanup releases it */
} asm_auto;

/* Pure: the items of m's automatic elements from rmd_stats JSON (staff
 * view), the policy days, the interface languages (NULL-terminated) and the
 * public k. Unknown sources are skipped. */
int asm_auto_compute(core_arena *a, const asm_methodology *m, json_t *stats, int ack_days,
                     int feedback_days, const char *const *ui_langs, int public_k, asm_auto *out);
/* Register sources (ungprf-self), from reg_export_json's document and today's
 * "YYYY-MM-DD"; appends to out (filled by asm_auto_compute first):
 *   register.policy_approved      an approved policy commitment: yes; a draft only: partial; none: no
 *   register.policy_communicated  communications of the approved policy: >= 2 yes, 1 partial, 0 no
 *   register.impacts_prioritised  impacts rated for scale, scope and likelihood: all yes, some partial, none no
 *   register.engagement_recorded  engagements naming impacts: yes; engagements only: partial; none: no
 *   register.assessments_on_time  completed by their due day among completed + overdue open ones:
 *                                 >= 90 % yes, >= 50 % partial, else no; none: na
 *   register.actions_on_track     done or not yet due: >= 90 % yes, >= 50 % partial, else no; none: no
 *   register.indicators_tracked   with a target and a measurement: same thresholds; none: no
 *   register.grievance_links      grievances linked to impacts: yes, else no
 * Links: /register (staff pages). */
int asm_auto_compute_register(core_arena *a, const asm_methodology *m, json_t *regdoc, const char *today,
                              asm_auto *out);
/* Reads the statistics and policy of ac's org through the grievance service,
 * and (reg non-NULL) its due diligence register. */
struct reg_service;
int asm_auto_evidence(struct rmd_service *rmd, struct reg_service *reg, core_arena *a, const asm_actor *ac,
                      const asm_methodology *m, const char *const *ui_langs, asm_auto *out);
void asm_auto_cleanup(asm_auto *au);
/* Writes the items as answers (answered_by 0, note "automatic: <source>",
 * evidence_url the item's url) of an "answered" assessment; *filled may be NULL. */
int asm_wf_auto_fill(store *st, struct rmd_service *rmd, struct reg_service *reg, core_arena *a, const asm_actor *ac,
                     int64_t assessment_id, const char *const *ui_langs, size_t *filled);

/* ---- investor portfolio (entity attributes "held", "salient_risks", "engagement_notes") ---- */
typedef struct asm_holding {
    store_as_entity entity;
    const char **risks;              /* salient risks */
    size_t n_risks;
    const char *notes;               /* engagement notes; may be NULL */
    int risks_from_register;         /* the risks are the register's salient impacts */
    int has_score;
    store_as_assessment latest;      /* the newest scored assessment */
    const char *methodology;         /* its methodology name */
    double total;
} asm_holding;

/* reg may be NULL; with it, an entity standing for the organisation itself
 * (attribute "self": true) takes its salient risks from the register (the
 * top impacts in priority order), risks_from_register set. */
struct reg_service;
int asm_wf_portfolio(store *st, struct reg_service *reg, core_arena *a, const asm_actor *ac, asm_holding **out,
                     size_t *n);
/* Marks the entity held with its risks (one per line or array) and notes. */
int asm_wf_holding_put(store *st, core_arena *a, const asm_actor *ac, int64_t entity_id,
                       const char *const *risks, size_t n_risks, const char *notes, asm_wf_error *err);
json_t *asm_portfolio_json(const asm_holding *h, size_t n);


#endif
