/* web_tr.h: transparency pages (web_tr.c): the public page of an
 * organisation, the staff page, and the standalone HTML report that
 * `hrdd transparency report --format html` prints. */
#ifndef HRDD_WEB_TR_H
#define HRDD_WEB_TR_H

#include <jansson.h>

#include "core/core.h"
#include "http/http.h"

/* A self-contained HTML document (inline SVG charts, no scripts, no external
 * resources) of a report in the rpt_json form. */
int web_tr_report_html(const json_t *report, const char *lang, core_buf *out);

int web_handle_tr_public(http_req *req);         /* GET  /orgs/{org}/transparency (public) */
int web_handle_tr_staff(http_req *req);          /* GET  /transparency (TR_READ) */
int web_handle_tr_requests(http_req *req);       /* POST /transparency/requests (TR_MANAGE) */

#endif
