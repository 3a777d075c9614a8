/* api_internal: what the API's handler files share (private to src/api).
 *
 * JSON renderings of store records (never a password hash, token hash or TOTP
 * secret), strict body parsing (unknown members are a 400 naming the field),
 * typed field readers that answer 422 with a JSON pointer on bad input, and
 * the connection/transaction pattern every state change follows.
 */
#ifndef HRDD_API_INTERNAL_H
#define HRDD_API_INTERNAL_H

#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/core.h"
#include "grievance/grievance.h"
#include "http/http.h"
#include "remedy/remedy.h"
#include "store/store.h"

/* ---- renderings (new references) ---- */
json_t *api_time_json(int64_t unix_s);                 /* RFC 3339 UTC string, null for 0 */
json_t *api_org_json(const store_org *o);
json_t *api_user_json(const store_user *u);
json_t *api_member_json(const store_member *m);
json_t *api_token_json(const store_token *t);
json_t *api_product_json(const store_product *p);
json_t *api_audit_json(const store_audit_entry *e);
json_t *api_scopes_json(const char *scopes);           /* "read write" -> ["read","write"] */

/* ---- responses ---- */
void api_reply(http_req *req, int status, json_t *body);   /* steals body; 500 on NULL */
/* Problem whose "field" is "/<member>" (JSON pointer, escaped). */
void api_problem_member(http_req *req, int status, const char *title, const char *detail,
                        const char *member);
/* Problem with extra members merged in (extra is stolen, may be NULL). */
void api_problem_ext(http_req *req, int status, const char *title, const char *detail,
                     const char *field, json_t *extra);
void api_not_found(http_req *req);
void api_no_memory(http_req *req);

/* ---- input ---- */
/* The request body as a JSON object whose members all appear in allowed
 * (NULL-terminated). NULL with the response set on any failure. Borrowed:
 * released with the request. */
json_t *api_body(http_req *req, const char *const *allowed);

enum { API_OPTIONAL = 0, API_REQUIRED = 1 };
/* String member: present and a string of min..max bytes, no control
 * characters. Absent optional -> *out = NULL and CORE_OK. On bad input sets a
 * 422 naming the member and returns CORE_INVALID. */
int api_get_string(http_req *req, json_t *obj, const char *key, int required, size_t min,
                   size_t max, const char **out);
/* Like api_get_string but multi-line text is allowed (\n, \r, \t). */
int api_get_text(http_req *req, json_t *obj, const char *key, int required, size_t max,
                 const char **out);
int api_get_bool(http_req *req, json_t *obj, const char *key, int *present, int *out);
int api_get_int(http_req *req, json_t *obj, const char *key, int64_t min, int64_t max,
                int *present, int64_t *out);
/* A role name other than "none". */
int api_get_role(http_req *req, json_t *obj, const char *key, int required, int *present,
                 core_role *out);
/* Lower-cased, validated e-mail address (in the request arena). */
int api_get_email(http_req *req, json_t *obj, const char *key, const char **out);

/* Numeric path parameter; anything else answers 404 (no such object). */
int api_path_id(http_req *req, const char *name, int64_t *out);
/* Optional query parameter as an integer in [min, max]; 400 naming it otherwise. */
int api_query_int(http_req *req, const char *name, int64_t min, int64_t max, int64_t dflt,
                  int64_t *out);

/* ---- storage ---- */
/* Takes a connection and opens a transaction; on failure the response is set. */
int api_tx_begin(http_req *req, store_conn **c);
/* Commits and releases; on failure sets the response. Returns CORE_OK or the failure. */
int api_tx_commit(http_req *req, store_conn *c);
/* Releases c (rolling back) and, unless a response is already set, maps rc
 * to a response via app_fail. Always returns CORE_OK (handler convention). */
int api_fail(http_req *req, store_conn *c, int rc, const char *field);

/* Current time per the app clock. */
int64_t api_now(http_req *req);
/* "/api/v1/orgs/<slug>/..." for Location headers. */
void api_location(http_req *req, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- handlers (one file per resource) ---- */
int api_openapi_get(http_req *req);
int api_session_create(http_req *req);
int api_session_delete(http_req *req);
int api_me_get(http_req *req);
int api_orgs_list(http_req *req);
int api_orgs_create(http_req *req);
int api_org_get(http_req *req);
int api_org_patch(http_req *req);
int api_users_list(http_req *req);
int api_users_create(http_req *req);
int api_user_get(http_req *req);
int api_user_patch(http_req *req);
int api_user_delete(http_req *req);
int api_products_list(http_req *req);
int api_products_create(http_req *req);
int api_product_get(http_req *req);
int api_tokens_list(http_req *req);
int api_tokens_create(http_req *req);
int api_token_delete(http_req *req);
int api_audit_list(http_req *req);

/* ---- grievance mechanism (api_grv_util.c, api_grievances.c, api_receipt.c,
 * api_cases.c, api_mechanisms.c, api_stats.c) ---- */
/* The service, or NULL with a 503 problem set. */
rmd_service *api_rmd(http_req *req);
/* The principal as a service actor ("user:<id>" / "token:<id>"). */
void api_actor(http_req *req, rmd_actor *out);
/* The request's source for the receipt throttle (never stored or logged). */
void api_peer(http_req *req, rmd_peer *out);
/* Maps a service status to a response: CORE_INVALID with err (may be NULL)
 * -> 422 naming err->field (400 for an unknown member), CORE_NOTFOUND -> 404,
 * CORE_DENIED -> 403, CORE_CONFLICT -> 409, CORE_BUSY -> 503, else 500.
 * Always returns CORE_OK (handler convention). */
int api_rmd_fail(http_req *req, int rc, const grv_error *err);
/* Reads the JSON body for grv_intake_from_json, with optional "attachments"
 * ([{"filename", "data" (base64)}], decoded into the arena): NULL with the
 * response set. */
json_t *api_intake_body(http_req *req, int staff, grv_intake *in, rmd_upload **files, size_t *nfiles);
/* Decodes base64 (standard alphabet, padding optional, whitespace ignored)
 * into the arena: CORE_OK, or CORE_INVALID (bad input or empty). */
int api_base64_decode(http_req *req, const char *b64, unsigned char **out, size_t *len);

/* renderings (new references; NULL on no memory) */
json_t *api_clocks_json(const rmd_clock_view *c, size_t n);
json_t *api_remedy_json(const rmd_remedy *r, int staff);
json_t *api_attachment_json(const rmd_attachment *at);
json_t *api_event_json(const rmd_event *e, int staff);
json_t *api_case_summary_json(const rmd_case_summary *s);
json_t *api_case_json(const rmd_case *c);
/* The complainant's view; what = RMD_PUB_* parts to include. */
json_t *api_case_public_json(const rmd_case_public *c, unsigned what);
json_t *api_policy_json(const grv_policy *p);

int api_grievance_file(http_req *req);
int api_grievance_file_org(http_req *req);
int api_receipt_status(http_req *req);
int api_receipt_messages(http_req *req);
int api_receipt_info(http_req *req);
int api_receipt_attachments(http_req *req);
int api_receipt_remedy(http_req *req);
int api_receipt_appeal(http_req *req);
int api_receipt_withdraw(http_req *req);
int api_receipt_erase(http_req *req);
int api_retention_get(http_req *req);
int api_retention_put(http_req *req);
int api_receipt_rating(http_req *req);
int api_cases_list(http_req *req);
int api_cases_create(http_req *req);
int api_case_get(http_req *req);
int api_case_events(http_req *req);
int api_case_actions(http_req *req);
int api_case_assign(http_req *req);
int api_case_recuse(http_req *req);
int api_case_notes(http_req *req);
int api_case_messages(http_req *req);
int api_case_triage(http_req *req);
int api_case_extend(http_req *req);
int api_case_remedies(http_req *req);
int api_case_remedy_implement(http_req *req);
int api_collectives_create(http_req *req);
int api_collective_add_case(http_req *req);
int api_policy_get(http_req *req);
int api_policy_put(http_req *req);
int api_mechanisms_public(http_req *req);
int api_mechanisms_list(http_req *req);
int api_mechanisms_create(http_req *req);
int api_case_pathway(http_req *req);
int api_case_referrals(http_req *req);
int api_referral_package(http_req *req);
int api_grievance_stats(http_req *req);
int api_receipt_attachment_get(http_req *req);
int api_case_attachment_get(http_req *req);
int api_case_attachments_create(http_req *req);
int api_collectives_list(http_req *req);
int api_collective_get(http_req *req);
int api_collective_actions(http_req *req);
int api_case_referrals_list(http_req *req);
int api_case_referral_patch(http_req *req);
int api_mechanism_get(http_req *req);
int api_mechanism_patch(http_req *req);
/* A file download: the decrypted bytes, sniffed type, safe Content-Disposition. */
void api_file_reply(http_req *req, const rmd_attachment *at);

#endif
