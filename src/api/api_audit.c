/* api_audit: the organisation's audit trail, newest first, paged by
 * sequence number (?before=seq&limit=n, limit at most 500). Entries carry
 * digests and hashes only: the objects themselves are never stored here.
 */
#include "api/api_internal.h"

#define API_AUDIT_DEFAULT_LIMIT 100
#define API_AUDIT_MAX_LIMIT 500

int api_audit_list(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int64_t before, limit;
    if (api_query_int(req, "before", 1, INT64_MAX, 0, &before) != CORE_OK ||
        api_query_int(req, "limit", 1, API_AUDIT_MAX_LIMIT, API_AUDIT_DEFAULT_LIMIT, &limit) != CORE_OK)
        return CORE_OK;
    if (p->org_id <= 0) {     /* never the installation-wide listing (org 0) */
        api_not_found(req);
        return CORE_OK;
    }
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_audit_entry *es = NULL;
    size_t n = 0;
    rc = store_audit_list(c, http_req_arena(req), p->org_id, before, (int)limit, &es, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        json_array_append_new(items, api_audit_json(&es[i]));
    json_t *next = n > 0 && (int64_t)n == limit ? json_integer(es[n - 1].seq) : json_null();
    api_reply(req, 200, items ? json_pack("{s:o, s:o}", "items", items, "next_before", next) : NULL);
    return CORE_OK;
}
