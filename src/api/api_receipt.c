/* api_receipt: the public side of the grievance mechanism, no account
 * needed: filing a grievance (the installation's first organisation, or a
 * named one), and everything a complainant does with the receipt: status,
 * messages, further information, files, the remedy decision, appeal,
 * withdrawal, rating and the erasure of the complainant's personal data.
 *
 * The receipt travels in the JSON body, never in a URL. Every wrong receipt,
 * well formed or not, gets the same 404 body (the service does the same work
 * for each); past the failure limit of a source (or of everyone) wrong
 * receipts get 429 with Retry-After, while a valid receipt always works.
 * Nothing here logs a body, a receipt or the peer address.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api_internal.h"

#define RECEIPT_MAX_INPUT 64        /* longer is certainly not a receipt: a plain 422 */

/* ---- filing ---- */

static int file_in(http_req *req, int64_t org_id)
{
    rmd_service *svc = api_rmd(req);
    if (!svc)
        return CORE_OK;
    grv_intake in;
    rmd_upload *files = NULL;
    size_t nfiles = 0;
    if (!api_intake_body(req, 0, &in, &files, &nfiles))
        return CORE_OK;
    if (!in.channel)
        in.channel = "api";
    rmd_filed f;
    grv_error err;
    memset(&err, 0, sizeof err);
    int rc = rmd_file_with(svc, http_req_arena(req), org_id, &in, NULL, files, nfiles, &f, &err);
    if (rc != CORE_OK) {
        grv_error e2 = err;
        if (err.field)
            e2.field = core_arena_strdup(http_req_arena(req), err.field);
        return api_rmd_fail(req, rc, &e2);
    }
    json_t *o = json_pack("{s:s, s:s, s:s, s:o, s:o}",
        "receipt", f.receipt,
        "reference", f.reference,
        "state", grv_state_name(f.state),
        "created_at", api_time_json(f.created_at),
        "acknowledge_by", api_time_json(f.ack_due_at));
    sodium_memzero(f.receipt, sizeof f.receipt);
    api_reply(req, 201, o);
    return CORE_OK;
}

int api_grievance_file(http_req *req)
{
    return file_in(req, 0);
}

int api_grievance_file_org(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    if (p->org_id <= 0) {
        api_not_found(req);
        return CORE_OK;
    }
    return file_in(req, p->org_id);
}

/* ---- receipt ---- */

/* The body's "receipt" (and the other allowed members). NULL with the response set. */
static json_t *receipt_body(http_req *req, const char *const *allowed, const char **receipt)
{
    json_t *body = api_body(req, allowed);
    if (!body)
        return NULL;
    json_t *v = json_object_get(body, "receipt");
    if (!v || !json_is_string(v) || json_string_length(v) > RECEIPT_MAX_INPUT ||
        strlen(json_string_value(v)) != json_string_length(v)) {
        api_problem_member(req, 422, "Invalid field",
                           "\"receipt\" is required: the code you were given when you filed.",
                           "receipt");
        return NULL;
    }
    *receipt = json_string_value(v);
    return body;
}

/* Wrong receipt (404, one body for all) or throttled (429). */
static int receipt_fail(http_req *req, int rc, const rmd_peer *peer, const grv_error *err)
{
    if (rc == CORE_NOTFOUND) {
        http_res_problem(req, 404, "Not Found",
                         "No grievance matches this receipt. Check the code and try again.", NULL);
        return CORE_OK;
    }
    if (rc == CORE_BUSY && peer->retry_after_s > 0) {   /* else: the server is busy (503) */
        char secs[24];
        snprintf(secs, sizeof secs, "%lld", (long long)peer->retry_after_s);
        http_res_header(req, "Retry-After", secs);
        http_res_problem(req, 429, "Too Many Requests",
                         "Too many wrong receipts. Wait a while before trying again.", NULL);
        return CORE_OK;
    }
    return api_rmd_fail(req, rc, err);
}

/* Answers 200 with the complainant's view of the case; what = RMD_PUB_* parts
 * (the thread, remedies and files cost queries and decryption: the status
 * read, the most frequent request, leaves them out unless asked). */
static int reply_view(http_req *req, rmd_service *svc, const char *receipt, rmd_peer *peer, unsigned what)
{
    rmd_case_public cp;
    memset(&cp, 0, sizeof cp);
    int rc = rmd_receipt_open(svc, http_req_arena(req), receipt, peer, what, &cp);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, peer, NULL);
    api_reply(req, 200, api_case_public_json(&cp, what));
    return CORE_OK;
}

int api_receipt_status(http_req *req)
{
    static const char *const allowed[] = {"receipt", "detail", "pathway", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    int present = 0, detail = 0, pathway = 0;
    if (api_get_bool(req, body, "detail", &present, &detail) != CORE_OK ||
        api_get_bool(req, body, "pathway", &present, &pathway) != CORE_OK)
        return CORE_OK;
    unsigned what = detail ? RMD_PUB_ALL : 0;
    rmd_peer peer;
    api_peer(req, &peer);
    if (!pathway)
        return reply_view(req, svc, receipt, &peer, what);
    /* with the other routes open to the person (mechanisms for the case) */
    rmd_case_public cp;
    memset(&cp, 0, sizeof cp);
    int rc = rmd_receipt_open(svc, http_req_arena(req), receipt, &peer, what, &cp);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    rc = rmd_pathway_receipt(svc, http_req_arena(req), receipt, &peer, &ms, &n);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    json_t *o = api_case_public_json(&cp, what);
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) {
        json_t *m = rmd_mechanism_json(&ms[i].m, 1);
        if (m)
            json_object_set_new(m, "match", ms[i].match ? json_string(ms[i].match) : json_null());
        json_array_append_new(a, m);
    }
    if (o && a)
        json_object_set_new(o, "pathway", a);
    else
        json_decref(a);
    api_reply(req, 200, o);
    return CORE_OK;
}

/* A public file of the case: {"receipt", "id"} -> the bytes. */
int api_receipt_attachment_get(http_req *req)
{
    static const char *const allowed[] = {"receipt", "id", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    int present = 0;
    int64_t id = 0;
    if (api_get_int(req, body, "id", 1, INT64_MAX, &present, &id) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"id\" is required: the file's id.", "id");
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    /* the receipt first (one failure counted for a wrong one), then the file */
    rmd_case_public cp;
    memset(&cp, 0, sizeof cp);
    int rc = rmd_receipt_open(svc, http_req_arena(req), receipt, &peer, 0, &cp);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    rmd_attachment at;
    memset(&at, 0, sizeof at);
    rc = rmd_receipt_attachment_get(svc, http_req_arena(req), receipt, &peer, id, &at);
    if (rc == CORE_NOTFOUND) {
        http_res_problem(req, 404, "Not Found", "No such file in this case.", "/id");
        return CORE_OK;
    }
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    api_file_reply(req, &at);
    return CORE_OK;
}

/* Text member through the usual reader (422 naming it). */
static int text_member(http_req *req, json_t *body, const char *key, int required, const char **out)
{
    return api_get_text(req, body, key, required, RMD_MAX_TEXT, out);
}

typedef int (*text_fn)(rmd_service *, core_arena *, const char *, rmd_peer *, const char *);

static int receipt_text(http_req *req, const char *key, int required, text_fn fn)
{
    const char *const allowed[] = {"receipt", key, NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt, *text;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    if (text_member(req, body, key, required, &text) != CORE_OK)
        return CORE_OK;
    if (required && text && !*text) {
        api_problem_member(req, 422, "Invalid field",
                           core_arena_printf(http_req_arena(req), "\"%s\" must not be empty.", key), key);
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    int rc = fn(svc, http_req_arena(req), receipt, &peer, text);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = core_arena_printf(http_req_arena(req), "/%s", key);
        e.detail = "The text is not valid.";
        return receipt_fail(req, rc, &peer, &e);
    }
    return reply_view(req, svc, receipt, &peer, RMD_PUB_ALL);
}

int api_receipt_messages(http_req *req)
{
    return receipt_text(req, "text", 1, rmd_receipt_message);
}

int api_receipt_info(http_req *req)
{
    return receipt_text(req, "text", 1, rmd_receipt_add_info);
}

int api_receipt_appeal(http_req *req)
{
    return receipt_text(req, "reason", 1, rmd_receipt_appeal);
}

int api_receipt_withdraw(http_req *req)
{
    return receipt_text(req, "reason", 0, rmd_receipt_withdraw);
}

/* Erasure of the complainant's personal data: {"receipt", "confirm": true}
 * (the confirmation is required; an open case is withdrawn first). Answers
 * the status view with erased_at set and "withdrawn". */
int api_receipt_erase(http_req *req)
{
    static const char *const allowed[] = {"receipt", "confirm", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    int present = 0, confirm = 0;
    if (api_get_bool(req, body, "confirm", &present, &confirm) != CORE_OK)
        return CORE_OK;
    if (!confirm) {
        api_problem_member(req, 422, "Confirmation required",
                           "\"confirm\" must be true: erasure cannot be undone, and an open grievance is "
                           "withdrawn first.", "confirm");
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    int withdrawn = 0;
    int rc = rmd_receipt_erase(svc, http_req_arena(req), receipt, &peer, &withdrawn);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    rmd_case_public cp;
    memset(&cp, 0, sizeof cp);
    rc = rmd_receipt_open(svc, http_req_arena(req), receipt, &peer, 0, &cp);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    json_t *o = api_case_public_json(&cp, 0);
    if (o)
        json_object_set_new(o, "withdrawn", json_boolean(withdrawn));
    api_reply(req, 200, o);
    return CORE_OK;
}

int api_receipt_remedy(http_req *req)
{
    static const char *const allowed[] = {"receipt", "decision", "comment", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt, *decision, *comment;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    if (api_get_string(req, body, "decision", API_REQUIRED, 1, 16, &decision) != CORE_OK ||
        api_get_text(req, body, "comment", API_OPTIONAL, RMD_MAX_TEXT, &comment) != CORE_OK)
        return CORE_OK;
    int accept = strcmp(decision, "accept") == 0;
    if (!accept && strcmp(decision, "reject") != 0) {
        api_problem_member(req, 422, "Invalid field", "\"decision\" must be \"accept\" or \"reject\".",
                           "decision");
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    int rc = rmd_receipt_remedy_decision(svc, http_req_arena(req), receipt, &peer, accept, comment);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/comment";
        e.detail = "The comment is not valid.";
        return receipt_fail(req, rc, &peer, &e);
    }
    return reply_view(req, svc, receipt, &peer, RMD_PUB_ALL);
}

int api_receipt_rating(http_req *req)
{
    static const char *const allowed[] = {"receipt", "satisfaction", "comment", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt, *comment;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    int present = 0;
    int64_t sat = 0;
    if (api_get_int(req, body, "satisfaction", 1, 5, &present, &sat) != CORE_OK ||
        api_get_text(req, body, "comment", API_OPTIONAL, RMD_MAX_TEXT, &comment) != CORE_OK)
        return CORE_OK;
    if (!present) {
        api_problem_member(req, 422, "Invalid field",
                           "\"satisfaction\" is required: 1 (not at all) to 5 (fully).", "satisfaction");
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    int rc = rmd_receipt_rate(svc, http_req_arena(req), receipt, &peer, (int)sat, comment);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/satisfaction";
        e.detail = "The rating is not valid.";
        return receipt_fail(req, rc, &peer, &e);
    }
    return reply_view(req, svc, receipt, &peer, RMD_PUB_ALL);
}

int api_receipt_attachments(http_req *req)
{
    static const char *const allowed[] = {"receipt", "filename", "data", NULL};
    rmd_service *svc = api_rmd(req);
    const char *receipt, *filename, *b64;
    json_t *body;
    if (!svc || !(body = receipt_body(req, allowed, &receipt)))
        return CORE_OK;
    if (api_get_string(req, body, "filename", API_OPTIONAL, 1, 255, &filename) != CORE_OK ||
        api_get_text(req, body, "data", API_REQUIRED, (size_t)1 << 30, &b64) != CORE_OK)
        return CORE_OK;
    unsigned char *bin;
    size_t len;
    int drc = api_base64_decode(req, b64, &bin, &len);
    if (drc == CORE_NOMEM) {
        api_no_memory(req);
        return CORE_OK;
    }
    if (drc != CORE_OK) {
        api_problem_member(req, 422, "Invalid field", "\"data\" must be non-empty base64 (RFC 4648).", "data");
        return CORE_OK;
    }
    rmd_peer peer;
    api_peer(req, &peer);
    int64_t aid = 0;
    int rc = rmd_receipt_attach(svc, http_req_arena(req), receipt, &peer, filename, bin, len, &aid);
    sodium_memzero(bin, len);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/data";
        e.detail = "The file is too large, of a type that is not accepted, or one too many.";
        return receipt_fail(req, rc, &peer, &e);
    }
    rmd_case_public cp;
    memset(&cp, 0, sizeof cp);
    rc = rmd_receipt_open(svc, http_req_arena(req), receipt, &peer, RMD_PUB_ATTACHMENTS, &cp);
    if (rc != CORE_OK)
        return receipt_fail(req, rc, &peer, NULL);
    for (size_t i = 0; i < cp.nattachments; i++)
        if (cp.attachments[i].id == aid) {
            api_reply(req, 201, api_attachment_json(&cp.attachments[i]));
            return CORE_OK;
        }
    api_reply(req, 201, json_pack("{s:I, s:o, s:o, s:I, s:s, s:o}", "id", (json_int_t)aid,
        "filename", filename ? json_string(filename) : json_null(), "content_type", json_null(),
        "size", (json_int_t)len, "from", "complainant", "created_at", json_null()));
    return CORE_OK;
}
