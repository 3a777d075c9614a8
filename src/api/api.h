/* api: the JSON API under /api/v1 (jansson), and its OpenAPI 3.1 document.
 *
 * Every handler reads its principal (app_principal_of), which app_authorize
 * has already checked against the route's permission, validates its input
 * with problem+json naming the field at fault, does its work in one store
 * transaction with an audit entry for each change, and answers JSON.
 *
 * The grievance mechanism's handlers (api_receipt.c public side, api_cases.c
 * staff side, api_mechanisms.c directory/pathway/referrals/statistics,
 * api_attachments.c files) are thin over the rmd_* service (src/remedy),
 * which does the work in its own transactions, checks permissions again and
 * scopes every case by organisation. Public routes carry the receipt in the
 * JSON body, never in a URL, and nothing here logs a body or an address.
 */
#ifndef HRDD_API_H
#define HRDD_API_H

#include <stddef.h>

#include "http/http.h"

/* The API's routes, in a static table. */
const http_route *api_routes(size_t *n);

/* The OpenAPI document (docs/openapi.json, embedded at build time). */
const char *api_openapi_json(size_t *len);

#endif
