/* api_tr.h: the transparency handlers (api_tr.c), listed in api_routes.c. */
#ifndef HRDD_API_TR_H
#define HRDD_API_TR_H

#include "http/http.h"

int api_tr_report(http_req *req);          /* GET  /api/v1/transparency/{org} (public) */
int api_tr_dsa(http_req *req);             /* GET  .../{org}/dsa/{part} (public CSV) */
int api_tr_requests_get(http_req *req);    /* GET  .../{org}/requests (public) */
int api_tr_requests_import(http_req *req); /* POST .../{org}/requests (TR_MANAGE) */
int api_tr_ingests(http_req *req);         /* GET  .../{org}/ingests (TR_READ) */

#endif
