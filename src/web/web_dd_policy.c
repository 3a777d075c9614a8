/* web_dd_policy: the policy commitment (UNGP 16) for staff. /register/policies
 * lists the versions (newest first) with the form for a new draft;
 * /register/policies/{id} shows one version (text, scope, approval), how and
 * to whom it was communicated and the operational policies that embed it,
 * with forms for those ("op": comm, link, save for a draft) and the approve
 * button for roles holding DD_APPROVE only.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

static const char *const POLICY_FIELDS[] = {"title", "body_md", "scope_rights", "own_operations",
                                            "business_partners", "end_use", NULL};

static void policy_fields(http_req *req, json_t *ctx)
{
    const char *lang = web_lang(req);
    json_t *f = json_array();
    json_array_append_new(f, web_dd_text(req, ctx, "title", "dd.policy.title_field", web_dd_val(ctx, "title", ""), NULL));
    json_array_append_new(f, web_dd_area(req, ctx, "body_md", "dd.policy.body", web_dd_val(ctx, "body_md", ""),
                                         "dd.policy.body_hint", 12));
    json_array_append_new(f, web_dd_text(req, ctx, "scope_rights", "dd.policy.scope_rights",
                                         web_dd_val(ctx, "scope_rights", ""), "dd.policy.scope_rights_hint"));
    json_array_append_new(f, web_dd_check("own_operations", web_msg(lang, "dd.policy.own_operations"),
                                          *web_dd_val(ctx, "own_operations", "") != '\0'));
    json_array_append_new(f, web_dd_check("business_partners", web_msg(lang, "dd.policy.business_partners"),
                                          *web_dd_val(ctx, "business_partners", "") != '\0'));
    json_array_append_new(f, web_dd_check("end_use", web_msg(lang, "dd.policy.end_use"),
                                          *web_dd_val(ctx, "end_use", "") != '\0'));
    json_object_set_new(ctx, "fields", f);
}

static void read_policy(http_req *req, json_t *ctx, store_dd_policy *p)
{
    web_dd_keep(req, ctx, POLICY_FIELDS);
    p->title = web_form(req, "title");
    p->body_md = web_form(req, "body_md");
    p->scope_rights = web_form(req, "scope_rights");
    p->own_operations = *web_form(req, "own_operations") != '\0';
    p->business_partners = *web_form(req, "business_partners") != '\0';
    p->end_use = *web_form(req, "end_use") != '\0';
}

/* Only web links and site paths become href values (never javascript: or data:). */
static int url_ok(const char *u)
{
    return u && (strncmp(u, "https://", 8) == 0 || strncmp(u, "http://", 7) == 0 || web_local_path_ok(u));
}

static json_t *policy_row(http_req *req, const store_dd_policy *p)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "id", (json_int_t)p->id,
                     "version", (json_int_t)p->version, "title", p->title ? p->title : "",
                     "status", web_dd_label(lang, "policy_status", p->status), "status_name", p->status ? p->status : "",
                     "approved", web_fmt_time(a, web_lang(req), p->approved_at), "body", p->body_md ? p->body_md : "",
                     "scope_rights", p->scope_rights && *p->scope_rights ? p->scope_rights : web_msg(lang, "dd.policy.all_rights"),
                     "own_operations", p->own_operations, "business_partners", p->business_partners,
                     "end_use", p->end_use);
}

static int list_page(http_req *req, int status, json_t *ctx)
{
    reg_service *svc = web_reg(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    reg_principal pr;
    web_reg_principal(req, &pr);
    store_dd_policy *ps = NULL;
    size_t n = 0;
    int rc = reg_policy_list(svc, http_req_arena(req), &pr, &ps, &n);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, policy_row(req, &ps[i]));
    web_mark_ends(rows);
    json_object_set_new(ctx, "policies", rows);
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    if (can_edit)
        policy_fields(req, ctx);
    const app_principal *p = app_principal_of(req);
    json_object_set_new(ctx, "org_slug", json_string(p->org_slug ? p->org_slug : ""));
    return web_dd_page(req, status, "dd_policies", "dd.policies.title", ctx);
}

int web_handle_dd_policies(http_req *req)
{
    return list_page(req, 200, NULL);
}

int web_handle_dd_policy_add(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    store_dd_policy p;
    memset(&p, 0, sizeof p);
    read_policy(req, ctx, &p);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_create(svc, http_req_arena(req), &pr, &p, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/policies/%lld", (long long)p.id);
        web_dd_redirect(req, loc, "dd_policy_saved");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, "", "title");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return list_page(req, st, ctx);
}

static int one_page(http_req *req, int status, int64_t id, json_t *ctx)
{
    reg_service *svc = web_reg(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_policy_view v;
    int rc = reg_policy_get(svc, a, &pr, id, &v);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *row = policy_row(req, &v.policy);
    json_object_set_new(row, "approved_by", json_string(v.approved_by_name ? v.approved_by_name : ""));
    json_object_set_new(row, "approved_role", json_string(v.policy.approved_role ? web_role_label(lang,
        strcmp(v.policy.approved_role, "admin") == 0 ? CORE_ROLE_ADMIN : CORE_ROLE_HR_LEAD) : ""));
    json_object_set_new(ctx, "p", row);
    json_t *cs = json_array();
    for (size_t i = 0; i < v.ncomms; i++)
        json_array_append_new(cs, json_pack("{s:s, s:s, s:s, s:s}", "date", web_dd_date(a, lang, v.comms[i].day),
            "channel", web_dd_label(lang, "channel", v.comms[i].channel),
            "audience", web_dd_label(lang, "audience", v.comms[i].audience), "note", v.comms[i].note ? v.comms[i].note : ""));
    json_object_set_new(ctx, "comms", cs);
    json_t *ls = json_array();
    for (size_t i = 0; i < v.nlinks; i++)
        json_array_append_new(ls, json_pack("{s:s, s:s, s:s}", "title", v.links[i].title ? v.links[i].title : "",
            "url", url_ok(v.links[i].url) ? v.links[i].url : "", "function",
            v.links[i].function ? web_dd_label(lang, "function", v.links[i].function) : ""));
    json_object_set_new(ctx, "links", ls);
    int is_draft = v.policy.status && strcmp(v.policy.status, "draft") == 0;
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "is_draft", json_boolean(is_draft));
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    json_object_set_new(ctx, "can_approve", json_boolean(is_draft && core_authz_allows(pr.role, CORE_PERM_DD_APPROVE)));
    if (can_edit) {
        json_t *c = json_array();
        json_array_append_new(c, web_dd_input(req, ctx, "c_day", "dd.comm.day",
                                              web_dd_val(ctx, "c_day", web_dd_day(a, reg_today(svc))), "date", NULL));
        json_array_append_new(c, web_dd_select(req, ctx, "c_channel", "dd.comm.channel",
            web_dd_opts(lang, "channel", WEB_DD_CHANNELS, web_dd_val(ctx, "c_channel", "website"), 0), NULL));
        json_array_append_new(c, web_dd_select(req, ctx, "c_audience", "dd.comm.audience",
            web_dd_opts(lang, "audience", WEB_DD_AUDIENCES, web_dd_val(ctx, "c_audience", "public"), 0), NULL));
        json_array_append_new(c, web_dd_text(req, ctx, "c_note", "dd.comm.note", web_dd_val(ctx, "c_note", ""), NULL));
        json_object_set_new(ctx, "comm_fields", c);
        json_t *l = json_array();
        json_array_append_new(l, web_dd_text(req, ctx, "l_title", "dd.link.title", web_dd_val(ctx, "l_title", ""), NULL));
        json_array_append_new(l, web_dd_input(req, ctx, "l_url", "dd.link.url", web_dd_val(ctx, "l_url", ""), "url", NULL));
        json_array_append_new(l, web_dd_select(req, ctx, "l_function", "dd.action.function",
            web_dd_opts(lang, "function", WEB_DD_FUNCTIONS, web_dd_val(ctx, "l_function", ""), 1), NULL));
        json_object_set_new(ctx, "link_fields", l);
        if (is_draft) {
            if (!json_object_get(ctx, "form")) {
                json_t *f = json_object();
                json_object_set_new(f, "title", json_string(v.policy.title ? v.policy.title : ""));
                json_object_set_new(f, "body_md", json_string(v.policy.body_md ? v.policy.body_md : ""));
                json_object_set_new(f, "scope_rights", json_string(v.policy.scope_rights ? v.policy.scope_rights : ""));
                json_object_set_new(f, "own_operations", json_string(v.policy.own_operations ? "1" : ""));
                json_object_set_new(f, "business_partners", json_string(v.policy.business_partners ? "1" : ""));
                json_object_set_new(f, "end_use", json_string(v.policy.end_use ? "1" : ""));
                json_object_set_new(ctx, "form", f);
            }
            policy_fields(req, ctx);
        }
    }
    return web_dd_page(req, status, "dd_policy", "dd.policy.title", ctx);
}

int web_handle_dd_policy(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return one_page(req, 200, id, NULL);
}

int web_handle_dd_policy_post(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    const char *op = web_form(req, "op");
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = CORE_INVALID;
    const char *prefix = "", *dflt = "op";
    if (strcmp(op, "comm") == 0) {
        static const char *const K[] = {"c_day", "c_channel", "c_audience", "c_note", NULL};
        web_dd_keep(req, ctx, K);
        store_dd_policy_comm m;
        memset(&m, 0, sizeof m);
        m.policy_id = id;
        m.channel = web_form(req, "c_channel");
        m.audience = web_form(req, "c_audience");
        m.note = *web_form(req, "c_note") ? web_form(req, "c_note") : NULL;
        prefix = "c_";
        dflt = "c_channel";
        if (web_dd_parse_day(web_form(req, "c_day"), reg_today(svc), &m.day) != CORE_OK) {
            web_add_error(req, ctx, "c_day", "reg.err.date");
            return one_page(req, 400, id, ctx);
        }
        rc = reg_policy_communicate(svc, a, &pr, &m, &err);
    } else if (strcmp(op, "link") == 0) {
        static const char *const K[] = {"l_title", "l_url", "l_function", NULL};
        web_dd_keep(req, ctx, K);
        store_dd_policy_link l;
        memset(&l, 0, sizeof l);
        l.policy_id = id;
        l.title = web_form(req, "l_title");
        l.url = *web_form(req, "l_url") ? web_form(req, "l_url") : NULL;
        l.function = *web_form(req, "l_function") ? web_form(req, "l_function") : NULL;
        prefix = "l_";
        dflt = "l_title";
        rc = reg_policy_link_add(svc, a, &pr, &l, &err);
    } else if (strcmp(op, "save") == 0) {
        store_dd_policy p;
        memset(&p, 0, sizeof p);
        read_policy(req, ctx, &p);
        p.id = id;
        dflt = "title";
        rc = reg_policy_update(svc, a, &pr, &p, &err);
    }
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/policies/%lld", (long long)id);
        web_dd_redirect(req, loc, "dd_policy_saved");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, prefix, dflt);
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return one_page(req, st, id, ctx);
}

int web_handle_dd_policy_approve(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_policy_approve(svc, http_req_arena(req), &pr, id, &err);
    if (rc == CORE_OK) {
        char loc[64];
        snprintf(loc, sizeof loc, "/register/policies/%lld", (long long)id);
        web_dd_redirect(req, loc, "dd_policy_approved");
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    err.field = NULL;               /* the approve button is the field */
    int st = web_dd_fail(req, ctx, rc, &err, "", "approve");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return one_page(req, st, id, ctx);
}
