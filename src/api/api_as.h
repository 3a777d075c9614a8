/* api_as: the assessment engine's API handlers (issue 6; api_as.c,
 * api_as_views.c), private to src/api: included by api_routes.c.
 */
#ifndef HRDD_API_AS_H
#define HRDD_API_AS_H

#include "assess/assess.h"
#include "http/http.h"

/* ---- shared by the assessment handlers (api_as.c) ---- */
void api_as_actor(http_req *req, asm_actor *out);
store *api_as_store(http_req *req);
/* Maps a workflow status to a problem (422/403/409 naming err->field). Returns CORE_OK. */
int api_as_fail(http_req *req, int rc, const asm_wf_error *err);
json_t *api_as_entity_json(const store_as_entity *e);
json_t *api_as_assessment_json(const store_as_assessment *s);

int api_as_methodologies(http_req *req);
int api_as_methodology_get(http_req *req);
int api_as_entities(http_req *req);
int api_as_entity_create(http_req *req);
int api_as_entity_get(http_req *req);
int api_as_entity_patch(http_req *req);
int api_as_assessments(http_req *req);
int api_as_assessment_create(http_req *req);
int api_as_assessment_get(http_req *req);
int api_as_assessment_delete(http_req *req);
int api_as_answers_put(http_req *req);
int api_as_review(http_req *req);
int api_as_finalise(http_req *req);
int api_as_reopen(http_req *req);
int api_as_auto_get(http_req *req);
int api_as_auto_fill(http_req *req);
int api_as_scorecard(http_req *req);
int api_as_scorecard_csv(http_req *req);
int api_as_changes(http_req *req);
int api_as_ranking(http_req *req);
int api_as_ranking_csv(http_req *req);
int api_as_compare(http_req *req);
int api_as_compare_csv(http_req *req);
int api_as_portfolio(http_req *req);
int api_as_holding_put(http_req *req);
int api_as_public_list(http_req *req);
int api_as_public_get(http_req *req);

#endif
