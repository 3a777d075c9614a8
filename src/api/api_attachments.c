/* api_attachments: files of a case. Staff add files (shared with the
 * complainant or internal) and download any file of a case they may read;
 * the complainant downloads the case's public files with the receipt (in
 * the body, as everywhere on the public side).
 *
 * Downloads are the decrypted bytes with the type sniffed at upload (never
 * the client's claim), always as an attachment (Content-Disposition), under
 * the server's nosniff and CSP headers, with a file name reduced to safe
 * characters so nothing from the complainant reaches a header unfiltered.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "api/api_internal.h"

void api_file_reply(http_req *req, const rmd_attachment *at)
{
    http_res_download(req, at->filename, (long long)at->id, at->mime, at->data, at->data ? (size_t)at->size : 0);
}

int api_case_attachment_get(http_req *req)
{
    rmd_service *svc = api_rmd(req);
    int64_t id, aid;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK || api_path_id(req, "aid", &aid) != CORE_OK)
        return CORE_OK;
    rmd_actor actor;
    api_actor(req, &actor);
    rmd_attachment at;
    memset(&at, 0, sizeof at);
    int rc = rmd_case_attachment_get(svc, http_req_arena(req), &actor, id, aid, &at);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    api_file_reply(req, &at);
    return CORE_OK;
}

int api_case_attachments_create(http_req *req)
{
    static const char *const allowed[] = {"filename", "data", "public", NULL};
    rmd_service *svc = api_rmd(req);
    int64_t id;
    json_t *body;
    const char *filename, *b64;
    if (!svc || api_path_id(req, "id", &id) != CORE_OK || !(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0, pub = 0;
    if (api_get_string(req, body, "filename", API_OPTIONAL, 1, 255, &filename) != CORE_OK ||
        api_get_text(req, body, "data", API_REQUIRED, (size_t)1 << 30, &b64) != CORE_OK ||
        api_get_bool(req, body, "public", &present, &pub) != CORE_OK)
        return CORE_OK;
    unsigned char *bin;
    size_t len;
    int rc = api_base64_decode(req, b64, &bin, &len);
    if (rc == CORE_NOMEM) {
        api_no_memory(req);
        return CORE_OK;
    }
    if (rc != CORE_OK) {
        api_problem_member(req, 422, "Invalid field", "\"data\" must be non-empty base64 (RFC 4648).", "data");
        return CORE_OK;
    }
    rmd_actor actor;
    api_actor(req, &actor);
    int64_t aid = 0;
    rc = rmd_case_attach(svc, http_req_arena(req), &actor, id, filename, bin, len,
                         pub ? RMD_VIS_PUBLIC : RMD_VIS_INTERNAL, &aid);
    sodium_memzero(bin, len);
    if (rc != CORE_OK) {
        grv_error e = {0};
        e.field = "/data";
        e.detail = "The file is too large, of a type that is not accepted, or one too many.";
        return api_rmd_fail(req, rc, &e);
    }
    rmd_case c;
    memset(&c, 0, sizeof c);
    rc = rmd_case_get(svc, http_req_arena(req), &actor, id, &c);
    if (rc != CORE_OK)
        return api_rmd_fail(req, rc, NULL);
    for (size_t i = 0; i < c.nattachments; i++)
        if (c.attachments[i].id == aid) {
            json_t *o = api_attachment_json(&c.attachments[i]);
            if (o)
                json_object_set_new(o, "public", json_boolean(c.attachments[i].visibility == RMD_VIS_PUBLIC));
            api_reply(req, 201, o);
            return CORE_OK;
        }
    return api_rmd_fail(req, CORE_ERR, NULL);
}
