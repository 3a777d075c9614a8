/* api_dd_export: the register as data, under /api/v1/orgs/{org}: the
 * whole register as one JSON document (export; import into an organisation
 * with no register yet, all or nothing: a 422 lists every error with its
 * JSON path and nothing is stored), CSV exports of each list (RFC 4180,
 * text/csv), and the two PUBLIC outputs: the company's human rights report
 * and the impact assessment summary of one product (approved content only,
 * rendered by the service without staff names, contact notes, stakeholder
 * names or case references).
 */
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

/* Content-Disposition for a download named <org>-<what>.<ext> (slug-safe). */
static void disposition(http_req *req, const char *what, const char *ext)
{
    const app_principal *p = app_principal_of(req);
    const char *slug = p->org_slug && core_slug_valid(p->org_slug) ? p->org_slug : "org";
    const char *v = core_arena_printf(http_req_arena(req), "attachment; filename=\"%s-%s.%s\"", slug, what, ext);
    if (v)
        http_res_header(req, "Content-Disposition", v);
}

int api_dd_export(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, NULL) != CORE_OK)
        return CORE_OK;
    char *text = NULL;
    size_t len = 0;
    int rc = reg_export_text(d.svc, d.a, &d.pr, &text, &len);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (http_req_query(req, "download"))
        disposition(req, "register", "json");
    http_res_body(req, 200, "application/json", text, len);
    return CORE_OK;
}

static json_t *errors_json(const reg_error *es, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++)
        json_array_append_new(a, json_pack("{s:s, s:s?, s:s?}", "field", es[i].field ? es[i].field : "/",
                                           "key", es[i].key, "detail", es[i].detail));
    return a;
}

int api_dd_import(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, NULL) != CORE_OK)
        return CORE_OK;
    json_t *doc = http_req_json(req);
    if (!doc)
        return CORE_OK;               /* 400/415 set: not JSON, or not an object */
    reg_import_result res;
    memset(&res, 0, sizeof res);
    int rc = reg_import_json(d.svc, d.a, &d.pr, doc, &res);
    if (rc == CORE_INVALID && res.nerrors > 0) {
        json_t *errs = errors_json(res.errors, res.nerrors);
        const char *detail = core_arena_printf(d.a, "The document has %zu error%s; nothing was imported.",
                                               res.nerrors, res.nerrors == 1 ? "" : "s");
        api_problem_ext(req, 422, "Invalid register document", detail,
                        res.errors[0].field ? res.errors[0].field : "/",
                        errs ? json_pack("{s:o}", "errors", errs) : NULL);
        return CORE_OK;
    }
    if (rc == CORE_CONFLICT) {
        reg_error e;
        memset(&e, 0, sizeof e);
        e.field = res.nerrors && res.errors[0].field ? res.errors[0].field : "/";
        e.detail = "The organisation already holds a register: import only into an empty one.";
        return api_reg_fail(req, rc, &e);
    }
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, res.nerrors ? &res.errors[0] : NULL);
    static const char *const arrays[9] = {"policies", "scope_objects", "impacts", "assessments", "actions",
                                          "indicators", "stakeholders", "engagements", "grievance_links"};
    json_t *counts = json_object();
    for (size_t i = 0; counts && i < 9; i++)
        json_object_set_new(counts, arrays[i], json_integer((json_int_t)res.counts[i]));
    json_t *warn = errors_json(res.warnings, res.nwarnings);
    json_t *o = counts && warn ? json_pack("{s:o, s:o}", "imported", counts, "warnings", warn) : NULL;
    if (!o) {
        json_decref(counts);
        json_decref(warn);
    }
    api_reply(req, 201, o);
    return CORE_OK;
}

int api_dd_csv(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, NULL) != CORE_OK)
        return CORE_OK;
    reg_csv_list which;
    const char *name = http_req_param(req, "list");
    if (!name || reg_csv_list_parse(name, &which) != CORE_OK) {
        api_not_found(req);
        return CORE_OK;
    }
    char *text = NULL;
    size_t len = 0;
    int rc = reg_csv(d.svc, d.a, &d.pr, which, &text, &len);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    disposition(req, reg_csv_list_name(which), "csv");
    http_res_body(req, 200, "text/csv; charset=utf-8", text, len);
    return CORE_OK;
}

/* ---- public ---- */

int api_dd_report_public(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    reg_service *svc = api_reg(req);
    if (!svc)
        return CORE_OK;
    if (p->org_id <= 0) {
        api_not_found(req);
        return CORE_OK;
    }
    reg_company_report r;
    memset(&r, 0, sizeof r);
    int rc = reg_company_report_get(svc, http_req_arena(req), p->org_id, &r);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *o = reg_company_report_json(&r);
    if (o)
        json_object_set_new(o, "organisation", json_pack("{s:s, s:s}", "slug", p->org_slug ? p->org_slug : "",
                                                         "name", p->org_name ? p->org_name : ""));
    api_reply(req, 200, o);
    return CORE_OK;
}

int api_dd_summary_public(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    reg_service *svc = api_reg(req);
    if (!svc)
        return CORE_OK;
    const char *slug = http_req_param(req, "slug");
    if (p->org_id <= 0 || !slug || !slug[0] || strlen(slug) > 64 ||
        strspn(slug, "abcdefghijklmnopqrstuvwxyz0123456789-") != strlen(slug)) {
        api_not_found(req);
        return CORE_OK;
    }
    reg_product_summary s;
    memset(&s, 0, sizeof s);
    int rc = reg_product_summary_get(svc, http_req_arena(req), p->org_id, slug, &s);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_reply(req, 200, reg_product_summary_json(&s));
    return CORE_OK;
}
