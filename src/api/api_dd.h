/* api_dd: the due diligence register's JSON API (issue 4), private to
 * src/api. Handlers are thin over the reg_* service (src/register), which
 * validates, checks the role again (approvals by hr_lead / admin only),
 * scopes every record by organisation and writes one transaction with its
 * audit entry per change.
 *
 * JSON conventions of these routes (beside the API's usual ones: lists are
 * {"items": [...]} with ?limit= (1-500, default 200) and ?offset=, problems
 * name the field at fault as a JSON pointer):
 * - lists of short tokens (rights, countries, markers, evidence) are JSON
 *   arrays of strings; "/rights/1" names the second one;
 * - dates the register reasons about are "YYYY-MM-DD" (null = none), record
 *   times are RFC 3339;
 * - references are ids (scope_id, impact_id, ...); a dangling one is a 422
 *   naming it; an approval by the wrong role a 403.
 * Public outputs (policy, company report, product summary) carry only
 * approved content and never staff names, contact notes or case references.
 */
#ifndef HRDD_API_DD_H
#define HRDD_API_DD_H

#include "api/api_internal.h"
#include "register/register.h"

/* ---- shared (api_dd_util.c) ---- */
/* What every handler starts with: the service, the principal, the request
 * arena and (id_param not NULL) the numeric path parameter (404 otherwise). */
typedef struct api_dd_ctx {
    reg_service *svc;
    reg_principal pr;
    core_arena *a;
    int64_t id;
} api_dd_ctx;
/* CORE_OK, or the response is set. */
int api_dd_begin(http_req *req, api_dd_ctx *d, const char *id_param);
/* The service, or NULL with a 503 problem set. */
reg_service *api_reg(http_req *req);
/* The request's principal as the service's. */
void api_reg_principal(http_req *req, reg_principal *out);
/* Maps a service status to a problem: CORE_INVALID -> 422 naming err->field,
 * CORE_DENIED -> 403, CORE_CONFLICT -> 409 (naming err->field when set),
 * CORE_NOTFOUND -> 404, CORE_BUSY -> 503, else 500. Returns CORE_OK. */
int api_reg_fail(http_req *req, int rc, const reg_error *err);

/* Body readers (422 naming the member, or "/member/i" for an element). */
/* JSON array of token strings -> "a b c" (each 1-64 bytes, no spaces or
 * control characters, at most max_items). Absent: *out NULL (required: 422). */
int api_dd_tokens(http_req *req, json_t *obj, const char *key, int required, size_t max_items,
                  const char **out);
/* JSON array of positive integers -> "1 2 3". */
int api_dd_ids(http_req *req, json_t *obj, const char *key, size_t max_items, const char **out);
/* "YYYY-MM-DD" -> day number; null -> -1 when nullable (else 422). */
int api_dd_day(http_req *req, json_t *obj, const char *key, int nullable, int *present,
               int64_t *out);
/* A finite JSON number (integer or real). */
int api_dd_number(http_req *req, json_t *obj, const char *key, int *present, double *out);
/* Positive id or null (-> 0). */
int api_dd_ref(http_req *req, json_t *obj, const char *key, int *present, int64_t *out);
/* A body that may be left out (approve, complete): an empty body is no
 * members (*out NULL, which every reader above takes as "absent"); else
 * api_body. CORE_OK, or the response is set. */
int api_dd_body_opt(http_req *req, const char *const *allowed, json_t **out);
/* ?limit= and ?offset= over n items: [*from, *to). CORE_OK or 400 set. */
int api_dd_page(http_req *req, size_t n, size_t *from, size_t *to);
/* Optional positive id query parameter (0 = absent). */
int api_dd_query_id(http_req *req, const char *name, int64_t *out);

/* Renderings (new references). */
json_t *api_dd_day_json(int64_t day);                 /* "YYYY-MM-DD" or null for < 0 */
json_t *api_dd_tokens_json(const char *s);            /* "a b" -> ["a","b"] */
json_t *api_dd_ids_json(const char *s);               /* "1 2" -> [1,2] */
json_t *api_dd_policy_json(const store_dd_policy *p);
json_t *api_dd_comm_json(const store_dd_policy_comm *m);
json_t *api_dd_plink_json(const store_dd_policy_link *l);
json_t *api_dd_scope_json(const store_dd_scope *s);
json_t *api_dd_impact_json(const reg_impact_view *v);
json_t *api_dd_assessment_json(const reg_assessment_view *v);
json_t *api_dd_action_json(const store_dd_action *x);
json_t *api_dd_indicator_json(const reg_indicator_view *v, int with_measures);
json_t *api_dd_stakeholder_json(const store_dd_stakeholder *x);
json_t *api_dd_engagement_json(const store_dd_engagement *x);
json_t *api_dd_link_json(const reg_link_view *l);
json_t *api_dd_fatigue_json(const reg_fatigue *f);

/* ---- handlers ---- */
/* api_dd_policy.c */
int api_dd_policies_list(http_req *req);
int api_dd_policies_create(http_req *req);
int api_dd_policy_get(http_req *req);
int api_dd_policy_patch(http_req *req);
int api_dd_policy_approve(http_req *req);
int api_dd_policy_communicate(http_req *req);
int api_dd_policy_link(http_req *req);
int api_dd_policy_public(http_req *req);
/* api_dd_scope.c */
int api_dd_scopes_list(http_req *req);
int api_dd_scopes_create(http_req *req);
int api_dd_scope_get(http_req *req);
int api_dd_scope_patch(http_req *req);
int api_dd_stakeholders_list(http_req *req);
int api_dd_stakeholders_create(http_req *req);
int api_dd_stakeholder_get(http_req *req);
int api_dd_stakeholder_patch(http_req *req);
int api_dd_stakeholder_fatigue(http_req *req);
int api_dd_engagements_list(http_req *req);
int api_dd_engagements_create(http_req *req);
/* api_dd_impact.c */
int api_dd_impacts_list(http_req *req);
int api_dd_impacts_create(http_req *req);
int api_dd_impact_get(http_req *req);
int api_dd_impact_patch(http_req *req);
int api_dd_impact_link(http_req *req);
int api_dd_impact_links(http_req *req);
int api_dd_impact_tracking(http_req *req);
int api_dd_heatmap(http_req *req);
int api_dd_salient(http_req *req);
int api_dd_coverage(http_req *req);
/* api_dd_assess.c */
int api_dd_assessments_list(http_req *req);
int api_dd_assessments_create(http_req *req);
int api_dd_assessments_due(http_req *req);
int api_dd_assessment_get(http_req *req);
int api_dd_assessment_patch(http_req *req);
int api_dd_assessment_findings(http_req *req);
int api_dd_assessment_complete(http_req *req);
int api_dd_assessment_approve(http_req *req);
int api_dd_actions_list(http_req *req);
int api_dd_actions_create(http_req *req);
int api_dd_action_get(http_req *req);
int api_dd_action_patch(http_req *req);
int api_dd_indicators_list(http_req *req);
int api_dd_indicators_create(http_req *req);
int api_dd_indicator_get(http_req *req);
int api_dd_indicator_patch(http_req *req);
int api_dd_indicator_measure(http_req *req);
/* api_dd_export.c */
int api_dd_export(http_req *req);
int api_dd_import(http_req *req);
int api_dd_csv(http_req *req);
int api_dd_report_public(http_req *req);
int api_dd_summary_public(http_req *req);

#endif
