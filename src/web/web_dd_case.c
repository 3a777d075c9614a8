/* web_dd_case: grievances feed due diligence, from the staff case page. The
 * case page (web_cases.c) asks for a small panel: the impacts this case is
 * linked to and, for roles that may edit the register, a form to link it to
 * one more. POST /cases/{id}/impacts (DD_EDIT) links it through the register
 * service, which applies the feedback rule (a potential impact becomes
 * possibly actual and a reassessment is queued) and answers with a notice
 * on the case page.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

void web_dd_case_panel(http_req *req, json_t *ctx, int64_t case_id)
{
    const app_principal *p = app_principal_of(req);
    app_ctx *ac = app_ctx_of(req);
    if (!ac || !ac->reg || !core_authz_allows(p->role, CORE_PERM_DD_READ))
        return;
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_link_view *links = NULL;
    size_t nl = 0;
    if (reg_link_list(ac->reg, a, &pr, 0, case_id, &links, &nl) != CORE_OK)
        return;
    json_t *panel = json_object();
    json_t *ls = json_array();
    for (size_t i = 0; i < nl; i++)
        json_array_append_new(ls, json_pack("{s:I, s:s}", "impact_id", (json_int_t)links[i].link.impact_id, "title",
                                            links[i].impact_title ? links[i].impact_title : ""));
    json_object_set_new(panel, "links", ls);
    reg_impact_view *vs = NULL;
    size_t n = 0;
    if (core_authz_allows(p->role, CORE_PERM_DD_EDIT) &&
        reg_impact_list(ac->reg, a, &pr, 0, REG_SORT_SALIENCE, &vs, &n) == CORE_OK && n > 0) {
        const char *lang = web_lang(req);
        json_t *opts = json_array();
        for (size_t i = 0; i < n; i++) {
            char v[24], lab[400];
            snprintf(v, sizeof v, "%lld", (long long)vs[i].impact.id);
            snprintf(lab, sizeof lab, "%s (%s)", vs[i].impact.title ? vs[i].impact.title : "",
                     web_dd_label(lang, "status", vs[i].impact.status));
            json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", v, "label", lab, "selected", 0));
        }
        json_object_set_new(panel, "impacts", opts);
    }
    json_object_set_new(ctx, "dd_link", panel);
}

int web_handle_dd_case_link(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    int64_t case_id = web_dd_id(http_req_param(req, "id"));
    int64_t impact_id = web_dd_id(web_form(req, "impact_id"));
    if (!case_id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_link_result res;
    memset(&res, 0, sizeof res);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = impact_id ? reg_impact_link_grievance(svc, http_req_arena(req), &pr, impact_id, case_id, &res, &err)
                       : CORE_INVALID;
    char loc[64];
    snprintf(loc, sizeof loc, "/cases/%lld", (long long)case_id);
    if (rc == CORE_OK) {
        web_dd_redirect(req, loc, res.queued ? "dd_linked_reassess" : "dd_linked");
        return CORE_OK;
    }
    if (rc == CORE_CONFLICT) {
        web_dd_redirect(req, loc, "dd_link_exists");
        return CORE_OK;
    }
    if (rc == CORE_INVALID) {
        /* a case of another organisation or an unknown impact: nothing linked */
        web_error_page(req, 400, "dd.error.link");
        return CORE_OK;
    }
    web_dd_error(req, rc);
    return CORE_OK;
}
