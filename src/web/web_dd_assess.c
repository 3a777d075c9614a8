/* web_dd_assess: assessments (human rights impact assessments and due
 * diligence reviews). /register/assessments: the due list (overdue first,
 * with the written status, never colour alone), every assessment, and the
 * form to start one with its trigger; /register/assessments/{id}: details,
 * findings (impacts identified or reviewed), the complete form (open ones)
 * and the approve button, shown only to roles holding DD_APPROVE (hr_lead,
 * admin); the route and the service refuse everyone else anyway.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

static json_t *assessment_row(http_req *req, const reg_assessment_view *v)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const store_dd_assessment *x = &v->assessment;
    const char *dn = dd_due_status_name(v->due);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:s}",
        "id", (json_int_t)x->id, "kind", web_dd_label(lang, "assess_kind", x->kind),
        "trigger", web_dd_label(lang, "trigger", x->trigger), "scope", v->scope_name ? v->scope_name : "",
        "due", web_dd_date(a, lang, x->due_day), "due_name", dn, "due_status", web_dd_label(lang, "due", dn),
        "status", web_dd_label(lang, "assess_status", x->status), "status_name", x->status ? x->status : "",
        "impact", v->impact_title ? v->impact_title : "", "days_overdue", (json_int_t)v->days_overdue,
        "event", web_dd_date(a, lang, x->event_day), "completed", web_dd_date(a, lang, x->completed_day));
}

static const char *const NEW_FIELDS[] = {"scope_id", "kind", "trigger", "trigger_note", "event_day", NULL};

static int list_page(http_req *req, int status, json_t *ctx)
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
    reg_assessment_view *due = NULL, *all = NULL;
    size_t ndue = 0, nall = 0, nover = 0, nsoon = 0, nsc = 0;
    store_dd_scope *sc = NULL;
    int rc = reg_assessment_due_list(svc, a, &pr, &due, &ndue, &nover, &nsoon);
    if (rc == CORE_OK)
        rc = reg_assessment_list(svc, a, &pr, 0, &all, &nall);
    if (rc == CORE_OK)
        rc = reg_scope_list(svc, a, &pr, &sc, &nsc);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *d = json_array(), *l = json_array();
    for (size_t i = 0; i < ndue; i++)
        json_array_append_new(d, assessment_row(req, &due[i]));
    for (size_t i = 0; i < nall; i++)
        json_array_append_new(l, assessment_row(req, &all[i]));
    web_mark_ends(d);
    web_mark_ends(l);
    json_object_set_new(ctx, "due", d);
    json_object_set_new(ctx, "all", l);
    json_object_set_new(ctx, "reminder", json_string(web_msg_n(req, "dd.assessments.reminder", (long long)nover)));
    json_object_set_new(ctx, "noverdue", json_integer((json_int_t)nover));
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    if (can_edit) {
        const char *sel = web_dd_val(ctx, "scope_id", "");
        json_t *so = json_array();
        json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.form.choose"),
                                            "selected", !*sel));
        for (size_t i = 0; i < nsc; i++) {
            char v[24];
            snprintf(v, sizeof v, "%lld", (long long)sc[i].id);
            json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", v, "label", sc[i].name, "selected",
                                                strcmp(sel, v) == 0));
        }
        json_t *f = json_array();
        json_array_append_new(f, web_dd_select(req, ctx, "scope_id", "dd.impact.scope_object", so, NULL));
        json_array_append_new(f, web_dd_select(req, ctx, "kind", "dd.assessment.kind",
            web_dd_opts(lang, "assess_kind", WEB_DD_ASSESS_KINDS, web_dd_val(ctx, "kind", "hria"), 0), NULL));
        json_array_append_new(f, web_dd_select(req, ctx, "trigger", "dd.assessment.trigger",
            web_dd_opts(lang, "trigger", WEB_DD_TRIGGERS, web_dd_val(ctx, "trigger", "new_activity"), 0),
            "dd.assessment.trigger_hint"));
        json_array_append_new(f, web_dd_input(req, ctx, "event_day", "dd.assessment.event_day",
                                              web_dd_val(ctx, "event_day", web_dd_day(a, reg_today(svc))), "date",
                                              "dd.assessment.event_hint"));
        json_array_append_new(f, web_dd_area(req, ctx, "trigger_note", "dd.assessment.trigger_note",
                                             web_dd_val(ctx, "trigger_note", ""), NULL, 2));
        json_object_set_new(ctx, "fields", f);
    }
    return web_dd_page(req, status, "dd_assessments", "dd.assessments.title", ctx);
}

int web_handle_dd_assessments(http_req *req)
{
    return list_page(req, 200, NULL);
}

int web_handle_dd_assessment_add(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_dd_keep(req, ctx, NEW_FIELDS);
    store_dd_assessment x;
    memset(&x, 0, sizeof x);
    x.scope_id = web_dd_id(web_form(req, "scope_id"));
    x.kind = web_form(req, "kind");
    x.trigger = web_form(req, "trigger");
    x.trigger_note = *web_form(req, "trigger_note") ? web_form(req, "trigger_note") : NULL;
    if (web_dd_parse_day(web_form(req, "event_day"), reg_today(svc), &x.event_day) != CORE_OK) {
        web_add_error(req, ctx, "event_day", "reg.err.date");
        return list_page(req, 400, ctx);
    }
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_assessment_create(svc, http_req_arena(req), &pr, &x, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/assessments/%lld", (long long)x.id);
        web_dd_redirect(req, loc, "dd_assessment_added");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, "", "scope_id");
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
    reg_assessment_view v;
    reg_impact_view *imps = NULL;
    size_t nimps = 0;
    int rc = reg_assessment_get(svc, a, &pr, id, &v);
    if (rc == CORE_OK)
        rc = reg_impact_list(svc, a, &pr, v.assessment.scope_id, REG_SORT_SALIENCE, &imps, &nimps);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *row = assessment_row(req, &v);
    json_object_set_new(row, "summary", json_string(v.assessment.summary ? v.assessment.summary : ""));
    json_object_set_new(row, "note", json_string(v.assessment.trigger_note ? v.assessment.trigger_note : ""));
    json_object_set_new(ctx, "a", row);
    int is_open = v.assessment.status && strcmp(v.assessment.status, "open") == 0;
    int is_completed = v.assessment.status && strcmp(v.assessment.status, "completed") == 0;
    json_t *fi = json_array(), *choices = json_array();
    for (size_t i = 0; i < nimps; i++) {
        int found = 0;
        for (size_t k = 0; k < v.nfindings; k++)
            found |= v.findings[k] == imps[i].impact.id;
        json_t *r = json_pack("{s:I, s:s, s:i, s:i, s:s}", "id", (json_int_t)imps[i].impact.id, "title",
                              imps[i].impact.title ? imps[i].impact.title : "", "severity", imps[i].severity,
                              "likelihood", imps[i].likelihood, "status",
                              web_dd_label(lang, "status", imps[i].impact.status));
        if (found)
            json_array_append_new(fi, r);
        else
            json_decref(r);
        char name[40];
        snprintf(name, sizeof name, "finding_%lld", (long long)imps[i].impact.id);
        json_array_append_new(choices, web_dd_check(name, imps[i].impact.title, found));
    }
    json_object_set_new(ctx, "findings", fi);
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_complete", json_boolean(can_edit && is_open));
    json_object_set_new(ctx, "can_approve", json_boolean(is_completed && core_authz_allows(pr.role, CORE_PERM_DD_APPROVE)));
    json_object_set_new(ctx, "awaiting_approval", json_boolean(is_completed));
    if (can_edit && is_open) {
        json_object_set_new(ctx, "finding_choices", choices);
        json_t *f = json_array();
        json_array_append_new(f, web_dd_input(req, ctx, "completed_day", "dd.assessment.completed_day",
                                              web_dd_val(ctx, "completed_day", web_dd_day(a, reg_today(svc))), "date", NULL));
        json_array_append_new(f, web_dd_area(req, ctx, "summary", "dd.assessment.summary",
                                             web_dd_val(ctx, "summary", v.assessment.summary ? v.assessment.summary : ""),
                                             "dd.assessment.summary_hint", 5));
        json_object_set_new(ctx, "fields", f);
    } else {
        json_decref(choices);
    }
    json_object_set_new(ctx, "new_impact_scope", json_integer(v.assessment.scope_id));
    return web_dd_page(req, status, "dd_assessment", "dd.assessment.title", ctx);
}

int web_handle_dd_assessment(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return one_page(req, 200, id, NULL);
}

int web_handle_dd_assessment_post(http_req *req)
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
    static const char *const KEEP[] = {"completed_day", "summary", NULL};
    web_dd_keep(req, ctx, KEEP);
    reg_error err;
    memset(&err, 0, sizeof err);
    int64_t day;
    if (web_dd_parse_day(web_form(req, "completed_day"), -1, &day) != CORE_OK) {
        web_add_error(req, ctx, "completed_day", "reg.err.date");
        return one_page(req, 400, id, ctx);
    }
    /* findings: the checked impacts of the assessment's scope object */
    reg_assessment_view v;
    reg_impact_view *imps = NULL;
    size_t nimps = 0;
    int rc = reg_assessment_get(svc, a, &pr, id, &v);
    if (rc == CORE_OK)
        rc = reg_impact_list(svc, a, &pr, v.assessment.scope_id, REG_SORT_ID, &imps, &nimps);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    int64_t *fs = nimps ? core_arena_alloc(a, nimps * sizeof *fs) : NULL;
    size_t nf = 0;
    for (size_t i = 0; fs && i < nimps; i++) {
        char name[40];
        snprintf(name, sizeof name, "finding_%lld", (long long)imps[i].impact.id);
        if (*web_form(req, name))
            fs[nf++] = imps[i].impact.id;
    }
    const char *summary = web_form(req, "summary");
    rc = reg_assessment_complete(svc, a, &pr, id, day, *summary ? summary : NULL, fs, nf, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/assessments/%lld", (long long)id);
        web_dd_redirect(req, loc, "dd_assessment_completed");
        return CORE_OK;
    }
    if (err.field && strncmp(err.field, "/findings", 9) == 0)
        err.field = "/summary";
    int st = web_dd_fail(req, ctx, rc, &err, "", "summary");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return one_page(req, st, id, ctx);
}

int web_handle_dd_assessment_approve(http_req *req)
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
    int rc = reg_assessment_approve(svc, http_req_arena(req), &pr, id, &err);
    if (rc == CORE_OK) {
        char loc[64];
        snprintf(loc, sizeof loc, "/register/assessments/%lld", (long long)id);
        web_dd_redirect(req, loc, "dd_assessment_approved");
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
