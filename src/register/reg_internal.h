/* reg_internal: what the register module's files share (service struct,
 * the per-call transaction, validation helpers, the audit helper). Not part
 * of the interface (register.h). */
#ifndef HRDD_REG_INTERNAL_H
#define HRDD_REG_INTERNAL_H

#include "register/register.h"

struct reg_service {
    store *st;
    reg_options opt;
};

/* One call: a connection, and a transaction when it writes. */
typedef struct reg_tx {
    reg_service *svc;
    core_arena *a;
    const reg_principal *pr;
    store_conn *c;
    int in_tx;
    int64_t now;
    int64_t today;
    const char *actor;               /* audit actor label */
} reg_tx;

/* Checks perm for pr (CORE_DENIED), takes a connection, begins when write. */
int reg_tx_open(reg_service *svc, core_arena *a, const reg_principal *pr, core_perm perm,
                int write, reg_tx *tx);
/* Public reads: no principal. */
int reg_tx_open_public(reg_service *svc, core_arena *a, reg_tx *tx);
/* Commits when rc == CORE_OK and a transaction is open, else rolls back;
 * releases the connection. Returns rc, or the commit's failure. */
int reg_tx_end(reg_tx *tx, int rc);
/* Audit entry in the call's transaction: object type, id, action, detail
 * (ids and enum values only; may be NULL). */
int reg_audit(reg_tx *tx, const char *object_type, int64_t object_id, const char *action,
              const char *detail);

/* ---- validation (reg_valid.c); each fills err and returns CORE_INVALID ---- */
/* Collects errors (the import): copies of reg_error with field in the arena. */
typedef struct reg_sink {
    core_arena *a;
    reg_error *list;
    size_t n, cap;
} reg_sink;
int reg_sink_push(reg_sink *sink, const reg_error *e);
int reg_fail(reg_error *err, const char *field, const char *key, const char *detail);
/* field built with a printf format into err->buf */
int reg_failf(reg_error *err, const char *key, const char *detail, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* prefix: "" for single calls, "/impacts/3" in an import; every check below
 * names prefix + "/" + member. */
int reg_check_text(reg_error *err, const char *prefix, const char *member, const char *s,
                   int required, size_t max);
int reg_check_enum(reg_error *err, const char *prefix, const char *member, const char *s,
                   const char *const *allowed);
int reg_check_rights(reg_error *err, const char *prefix, const char *member, const char *s,
                     int required);
int reg_check_countries(reg_error *err, const char *prefix, const char *member, const char *s);
int reg_check_tokens(reg_error *err, const char *prefix, const char *member, const char *s,
                     const char *const *allowed);
int reg_check_evidence(reg_error *err, const char *prefix, const char *member, const char *s);
int reg_check_slug(reg_error *err, const char *prefix, const char *member, const char *s);
int reg_check_range(reg_error *err, const char *prefix, const char *member, int64_t v, int64_t lo,
                    int64_t hi);
int reg_check_day(reg_error *err, const char *prefix, const char *member, int64_t day,
                  int allow_none, int64_t not_after);

/* The pure record checks (no database), shared by the single operations and
 * the import. today for "not in the future" checks. sink NULL: stop at the
 * first failure (err); else push every failure and go on (err may be NULL). */
int reg_valid_policy(const store_dd_policy *p, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_comm(const store_dd_policy_comm *m, const char *prefix, int64_t today, reg_error *err,
                 reg_sink *sink);
int reg_valid_link(const store_dd_policy_link *l, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_scope(const store_dd_scope *s, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_impact(const store_dd_impact *i, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_assessment(const store_dd_assessment *x, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_action(const store_dd_action *x, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_indicator(const store_dd_indicator *x, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_measure(const store_dd_measure *m, const char *prefix, int64_t today, reg_error *err,
                 reg_sink *sink);
int reg_valid_stakeholder(const store_dd_stakeholder *x, const char *prefix, reg_error *err,
                 reg_sink *sink);
int reg_valid_engagement(const store_dd_engagement *x, const char *prefix, int64_t today,
                         reg_error *err,
                 reg_sink *sink);

/* Allowed values (NULL-terminated). */
extern const char *const reg_scope_kinds[];
extern const char *const reg_markers[];
extern const char *const reg_policy_statuses[];
extern const char *const reg_comm_channels[];
extern const char *const reg_comm_audiences[];
extern const char *const reg_assessment_kinds[];
extern const char *const reg_assessment_statuses[];
extern const char *const reg_action_kinds[];
extern const char *const reg_functions[];
extern const char *const reg_action_statuses[];
extern const char *const reg_stakeholder_kinds[];
extern const char *const reg_steps[];
extern const char *const reg_formats[];
extern const char *const reg_impact_statuses[];
extern const char *const reg_involvements[];
extern const char *const reg_phases[];
extern const char *const reg_triggers[];
extern const char *const reg_directions[];

/* Space-separated tokens: splits s (arena copy) into *out; returns count. */
size_t reg_tokens(core_arena *a, const char *s, const char ***out);
/* "1 2 3" -> ids; CORE_INVALID (err "/<member>/<i>") on a bad token. */
int reg_parse_ids(core_arena *a, const char *s, const char *prefix, const char *member,
                  int64_t **ids, size_t *n, reg_error *err);

/* Year and month (1-12, UTC) of a Unix time. */
void reg_month_of(int64_t unix_s, int *year, int *month);
/* A rating from a stored impact (status parsed; unknown status -> invalid rating). */
void reg_rating_of(const store_dd_impact *i, dd_rating *r);
/* Fills a view's derived members (rating, severity, ...); not scope / counts. */
void reg_impact_derive(reg_impact_view *v);
/* Impact views of an org (scope_id 0 = all) within an open tx. */
int reg_impact_views(reg_tx *tx, int64_t org_id, int64_t scope_id, reg_sort sort,
                     reg_impact_view **out, size_t *n);
/* Creates an open assessment (status, completed_day, due_day computed from
 * x->trigger, x->event_day and the scope's last completion) with its audit
 * entry, inside tx. Validates like reg_assessment_create. */
int reg_assess_insert(reg_tx *tx, store_dd_assessment *x);
/* Indicator view from an indicator and its measurements (by day). */
int reg_indicator_eval(core_arena *a, const store_dd_indicator *ind, store_dd_measure *ms,
                       size_t n, reg_indicator_view *v);
/* Indicator views of an org within an open tx (impact_id / action_id filters). */
int reg_indicator_views(reg_tx *tx, int64_t org, int64_t impact_id, int64_t action_id,
                        reg_indicator_view **out, size_t *n);
/* 1 when the space-separated decimal id list names id. */
int reg_ids_contain(const char *list, int64_t id);
/* Grievance links per month, first link's month to now's month, zeros included. */
int reg_month_counts(core_arena *a, const store_dd_grievance_link *ln, size_t n, int64_t now,
                     reg_month_count **out, size_t *nmonths);
/* The export document of org within an open tx (reg_export.c). */
int reg_export_tx(reg_tx *tx, int64_t org, json_t **out);
/* Sort views by dd_priority_cmp and set rank. */
void reg_impact_sort(reg_impact_view *v, size_t n);

#endif
