/* web_as: the assessment engine's pages (issue 6), private to src/web:
 * web_as.c (home, entities, new assessments, methodology), web_as_answer.c
 * (answering and review), web_as_score.c (scorecards, ranking, comparison,
 * CSV exports, public scorecards), web_as_portfolio.c (investor view).
 */
#ifndef HRDD_WEB_AS_H
#define HRDD_WEB_AS_H

#include <jansson.h>

#include "assess/assess.h"
#include "http/http.h"

/* ---- shared (web_as.c) ---- */
void web_as_actor(http_req *req, asm_actor *out);
store *web_as_store(http_req *req);
/* "42", or the catalogue's "n/a" when has is 0. Into the arena. */
const char *web_as_score(http_req *req, int has, double v);
/* Sends the error page for a service status (404, 403, 409, 503, 500). Returns CORE_OK. */
int web_as_fail(http_req *req, int rc);
/* A catalogue sentence with {name} replaced by the facts' members. */
const char *web_as_fill(http_req *req, const char *key, json_t *facts);
/* Sends b as a CSV download named filename. */
void web_as_csv(http_req *req, core_buf *b, const char *filename);
/* Automatic-evidence rows of a scorecard for as_scorecard.html (live = 1
 * computes what is not answered yet from the grievance data). */
json_t *web_as_auto_rows(http_req *req, const asm_scorecard *sc, int live);

int web_handle_as_home(http_req *req);
int web_handle_as_entity_add(http_req *req);
int web_handle_as_assessment_add(http_req *req);
int web_handle_as_methodology(http_req *req);
int web_handle_as_assessment(http_req *req);
int web_handle_as_assessment_post(http_req *req);
int web_handle_as_scorecard(http_req *req);
int web_handle_as_scorecard_csv(http_req *req);
int web_handle_as_ranking(http_req *req);
int web_handle_as_ranking_csv(http_req *req);
int web_handle_as_compare(http_req *req);
int web_handle_as_compare_csv(http_req *req);
int web_handle_as_portfolio(http_req *req);
int web_handle_as_holding(http_req *req);
int web_handle_as_public_list(http_req *req);
int web_handle_as_public(http_req *req);
int web_handle_as_public_csv(http_req *req);

#endif
