/* api_products: the organisation's catalogue of products, services and
 * features (the scope objects later work attaches risks and grievances to).
 * Reads and writes are scoped to the principal's organisation.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_internal.h"

int api_products_list(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_product *ps = NULL;
    size_t n = 0;
    rc = store_product_list(c, http_req_arena(req), p->org_id, &ps, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        json_array_append_new(items, api_product_json(&ps[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_products_create(http_req *req)
{
    static const char *const allowed[] = {"slug", "name", "kind", "description", NULL};
    const app_principal *p = app_principal_of(req);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    const char *slug, *name, *kind, *desc;
    if (api_get_string(req, body, "slug", API_REQUIRED, 1, 63, &slug) != CORE_OK ||
        api_get_string(req, body, "name", API_REQUIRED, 1, 200, &name) != CORE_OK ||
        api_get_string(req, body, "kind", API_OPTIONAL, 1, 16, &kind) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, 4000, &desc) != CORE_OK)
        return CORE_OK;
    if (!core_slug_valid(slug)) {
        api_problem_member(req, 422, "Invalid field",
                           "\"slug\" must be lower-case letters, digits and '-', not starting with '-'.",
                           "slug");
        return CORE_OK;
    }
    if (!kind)
        kind = "product";
    if (strcmp(kind, "product") != 0 && strcmp(kind, "service") != 0 && strcmp(kind, "feature") != 0) {
        api_problem_member(req, 422, "Invalid field",
                           "\"kind\" must be one of product, service, feature.", "kind");
        return CORE_OK;
    }

    store_conn *c = NULL;
    if (api_tx_begin(req, &c) != CORE_OK)
        return CORE_OK;
    store_product pr = {0};
    pr.org_id = p->org_id;
    pr.slug = slug;
    pr.name = name;
    pr.kind = kind;
    pr.description = desc;
    int rc = store_product_create(c, &pr);
    if (rc == CORE_CONFLICT) {
        app_conn_release(req, c);
        api_problem_member(req, 409, "Conflict",
                           "A product with this slug already exists in the organisation.", "slug");
        return CORE_OK;
    }
    if (rc != CORE_OK)
        return api_fail(req, c, rc, NULL);
    json_t *after = api_product_json(&pr);
    if (!after)
        return api_fail(req, c, CORE_NOMEM, NULL);
    char id[32];
    snprintf(id, sizeof id, "%lld", (long long)pr.id);
    rc = app_audit(req, c, p->org_id, "product", id, "create", NULL, after);
    if (rc != CORE_OK) {
        json_decref(after);
        return api_fail(req, c, rc, NULL);
    }
    if (api_tx_commit(req, c) != CORE_OK) {
        json_decref(after);
        return CORE_OK;
    }
    api_location(req, "/api/v1/orgs/%s/products/%lld", p->org_slug ? p->org_slug : "",
                 (long long)pr.id);
    api_reply(req, 201, after);
    return CORE_OK;
}

int api_product_get(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    store_conn *c = NULL;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    store_product pr;
    rc = store_product_get(c, http_req_arena(req), p->org_id, id, &pr);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        return api_fail(req, NULL, rc, NULL);
    api_reply(req, 200, api_product_json(&pr));
    return CORE_OK;
}
