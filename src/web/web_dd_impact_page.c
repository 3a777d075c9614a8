/* web_dd_impact_page: one impact (/register/impacts/{id}): its ratings with
 * the rubric text of each level, severity, likelihood and rank, the
 * response its involvement implies (UNGP 19/22), rights, actions (and the
 * form to add one), indicators with their trend chart (SVG), on-track
 * status and the form to record a measurement, the linked grievances per
 * month, stakeholder feedback (engagements naming the impact) and the
 * assessments of its scope object.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

json_t *web_dd_action_rows(http_req *req, const store_dd_action *x, size_t n, int link)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:I, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:b}",
            "id", (json_int_t)x[i].id, "impact_id", (json_int_t)x[i].impact_id,
            "title", x[i].title ? x[i].title : "", "kind", web_dd_label(lang, "action_kind", x[i].kind),
            "function", web_dd_label(lang, "function", x[i].function), "owner", x[i].owner_name ? x[i].owner_name : "",
            "due", web_dd_date(a, lang, x[i].due_day), "status", web_dd_label(lang, "action_status", x[i].status),
            "status_name", x[i].status ? x[i].status : "", "integration", x[i].integration ? x[i].integration : "",
            "impact_link", link));
    web_mark_ends(rows);
    return rows;
}

/* An indicator as shown: target, status, trend, chart and measurements. */
json_t *web_dd_indicator_row(http_req *req, const reg_indicator_view *v)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const store_dd_indicator *x = &v->indicator;
    char target[200];
    snprintf(target, sizeof target, "%s %s %s", web_dd_label(lang, "direction", x->direction),
             web_fmt_num(a, lang, x->target), x->unit ? x->unit : "");
    if (x->target_day >= 0) {
        size_t l = strlen(target);
        snprintf(target + l, sizeof target - l, " · %s", web_dd_date(a, lang, x->target_day));
    }
    web_trend_point *pts = v->nmeasures ? core_arena_alloc(a, v->nmeasures * sizeof *pts) : NULL;
    json_t *ms = json_array();
    for (size_t i = 0; i < v->nmeasures; i++) {
        const char *val = web_fmt_num(a, lang, v->measures[i].value);
        json_array_append_new(ms, json_pack("{s:s, s:s, s:s}", "day", web_dd_date(a, lang, v->measures[i].day), "value",
                                            val, "note", v->measures[i].note ? v->measures[i].note : ""));
        if (pts) {
            pts[i].day = v->measures[i].day;
            pts[i].value = v->measures[i].value;
        }
    }
    char id[40];
    snprintf(id, sizeof id, "chart-ind-%lld", (long long)x->id);
    core_buf b;
    core_buf_init(&b);
    char title[400];
    snprintf(title, sizeof title, "%s (%s)", x->name ? x->name : "", x->unit ? x->unit : "");
    const char *svg = "";
    if (web_svg_trend(&b, id, title, web_msg(lang, "dd.indicator.chart_desc"), pts, pts ? v->nmeasures : 0, 1,
                      x->target, web_msg(lang, "dd.indicator.target"), lang) == CORE_OK)
        svg = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    const char *track = dd_track_name(v->track), *trend = dd_trend_name(v->trend);
    char action[80];
    snprintf(action, sizeof action, "/register/indicators/%lld/measurements", (long long)x->id);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:o, s:s, s:s, s:b}", "id", (json_int_t)x->id,
                     "name", x->name ? x->name : "", "unit", x->unit ? x->unit : "", "target_text", target,
                     "track", web_dd_label(lang, "track", track), "track_name", track,
                     "trend", web_dd_label(lang, "trend", trend), "svg", svg, "measures", ms, "error", "",
                     "measure_action", action, "measure_op", 0);
}

int web_dd_impact_page(http_req *req, int status, int64_t id, json_t *ctx)
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
    reg_impact_view v;
    store_dd_action *acts = NULL;
    size_t nacts = 0, nass = 0, nlinks = 0;
    reg_tracking tr;
    memset(&tr, 0, sizeof tr);
    reg_assessment_view *ass = NULL;
    reg_link_view *links = NULL;
    int rc = reg_impact_get(svc, a, &pr, id, &v);
    if (rc == CORE_OK)
        rc = reg_action_list(svc, a, &pr, id, &acts, &nacts);
    if (rc == CORE_OK)
        rc = reg_tracking_get(svc, a, &pr, id, &tr);
    if (rc == CORE_OK)
        rc = reg_assessment_list(svc, a, &pr, v.impact.scope_id, &ass, &nass);
    if (rc == CORE_OK)
        rc = reg_link_list(svc, a, &pr, id, 0, &links, &nlinks);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    const store_dd_impact *im = &v.impact;
    json_t *rl = json_array();
    for (const char *p = im->rights ? im->rights : ""; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char rid[64];
        snprintf(rid, sizeof rid, "%.*s", (int)(n < 63 ? n : 63), p);
        const dd_right *r = dd_right_find(rid);
        json_array_append_new(rl, json_pack("{s:s, s:s}", "id", rid, "title", r ? r->title : ""));
        p += n;
    }
    const char *resp[5];
    size_t nresp = dd_response_names(v.response, resp);
    json_t *rs = json_array();
    for (size_t i = 0; i < nresp; i++)
        json_array_append_new(rs, json_string(web_dd_label(lang, "response", resp[i])));
    json_t *ratings = json_array();
    static const char *const DIMS[] = {"scale", "scope", "irremediable", "likelihood"};
    int levels[] = {im->scale, im->scope, im->irremediable, im->likelihood};
    for (int i = 0; i < 4; i++) {
        char lk[48];
        snprintf(lk, sizeof lk, "dd.impact.%s", DIMS[i]);
        const char *k = dd_rubric_key(DIMS[i], levels[i]);
        json_array_append_new(ratings, json_pack("{s:s, s:i, s:s}", "label", web_msg(lang, lk), "level", levels[i],
                                                 "text", k ? web_msg(lang, k) : web_msg(lang, "dd.form.likelihood_none")));
    }
    json_t *jim = json_pack("{s:I, s:s, s:s, s:s, s:I, s:i, s:i, s:s, s:s, s:o, s:b, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o}",
        "id", (json_int_t)im->id, "title", im->title ? im->title : "",
        "status", web_dd_label(lang, "status", im->status), "status_name", im->status ? im->status : "",
        "rank", (json_int_t)v.rank, "severity", v.severity, "likelihood", v.likelihood,
        "scope", v.scope_name ? v.scope_name : "", "involvement", web_dd_label(lang, "involvement", im->involvement),
        "responses", rs, "business_model", im->business_model, "countries", im->countries ? im->countries : "",
        "affected_groups", im->affected_groups ? im->affected_groups : "",
        "vulnerable_groups", im->vulnerable_groups ? im->vulnerable_groups : "",
        "evidence", web_dd_labels(req, "evidence", im->evidence),
        "description", im->description ? im->description : "",
        "competing_rights", im->competing_rights ? im->competing_rights : "", "rights_list", rl, "ratings", ratings);
    json_object_set_new(ctx, "impact", jim);
    json_object_set_new(ctx, "page_title", json_string(im->title ? im->title : ""));
    json_object_set_new(ctx, "actions", web_dd_action_rows(req, acts, nacts, 0));

    int64_t err_id = json_integer_value(json_object_get(ctx, "measure_error_id"));
    const char *err_msg = json_string_value(json_object_get(ctx, "measure_error"));
    json_t *inds = json_array();
    for (size_t i = 0; i < tr.nindicators; i++) {
        json_t *row = web_dd_indicator_row(req, &tr.indicators[i]);
        if (err_msg && tr.indicators[i].indicator.id == err_id)
            json_object_set_new(row, "error", json_string(err_msg));
        /* recorded from here, the answer comes back to this impact */
        char back[64];
        snprintf(back, sizeof back, "/register/impacts/%lld", (long long)id);
        json_object_set_new(row, "measure_action", json_string(back));
        json_object_set_new(row, "measure_op", json_true());
        json_array_append_new(inds, row);
    }
    json_object_set_new(ctx, "indicators", inds);
    json_object_set_new(ctx, "today", json_string(web_dd_day(a, reg_today(svc))));
    json_t *months = json_array();
    for (size_t i = 0; i < tr.nmonths; i++) {
        char m[16];
        snprintf(m, sizeof m, "%04d-%02d", tr.grievances[i].year, tr.grievances[i].month);
        json_array_append_new(months, json_pack("{s:s, s:I}", "month", m, "count", (json_int_t)tr.grievances[i].count));
    }
    web_mark_ends(months);
    json_object_set_new(ctx, "grievance_months", months);
    /* the same counts as a bar chart, beside the indicators (UNGP 20) */
    web_bar *bars = tr.nmonths ? core_arena_alloc(a, tr.nmonths * sizeof *bars) : NULL;
    for (size_t i = 0; bars && i < tr.nmonths; i++) {
        bars[i].label = json_string_value(json_object_get(json_array_get(months, i), "month"));
        bars[i].value = (double)tr.grievances[i].count;
        bars[i].value_text = NULL;
    }
    if (bars) {
        core_buf gb;
        core_buf_init(&gb);
        if (web_svg_bar_chart(&gb, "chart-grievances", web_msg(lang, "dd.impact.grievances"),
                              web_msg(lang, "dd.impact.grievances_hint"), bars, tr.nmonths, lang) == CORE_OK)
            json_object_set_new(ctx, "grievance_svg", json_string(core_buf_cstr(&gb)));
        core_buf_cleanup(&gb);
    }
    json_t *cases = json_array();
    for (size_t i = 0; i < nlinks; i++)
        json_array_append_new(cases, json_pack("{s:I, s:s, s:s}", "case_id", (json_int_t)links[i].link.case_id,
                                               "reference", links[i].case_reference ? links[i].case_reference : "",
                                               "date", web_fmt_time(a, web_lang(req), links[i].link.linked_at)));
    json_object_set_new(ctx, "cases", cases);
    json_object_set_new(ctx, "can_cases", json_boolean(core_authz_allows(pr.role, CORE_PERM_CASES_READ)));
    json_t *fb = json_array();
    for (size_t i = 0; i < tr.nfeedback; i++)
        json_array_append_new(fb, json_pack("{s:s, s:s, s:s, s:s, s:s}", "date", web_dd_date(a, lang, tr.feedback[i].day),
            "stakeholder", tr.feedback_stakeholders && tr.feedback_stakeholders[i] ? tr.feedback_stakeholders[i] : "",
            "step", web_dd_label(lang, "step", tr.feedback[i].step), "topics", tr.feedback[i].topics ? tr.feedback[i].topics : "",
            "outcome", tr.feedback[i].outcome ? tr.feedback[i].outcome : ""));
    json_object_set_new(ctx, "feedback", fb);
    json_t *aj = json_array();
    for (size_t i = 0; i < nass; i++) {
        const char *dn = dd_due_status_name(ass[i].due);
        json_array_append_new(aj, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)ass[i].assessment.id,
            "trigger", web_dd_label(lang, "trigger", ass[i].assessment.trigger),
            "due", web_dd_date(a, lang, ass[i].assessment.due_day), "due_name", dn, "due_status", web_dd_label(lang, "due", dn)));
    }
    json_object_set_new(ctx, "assessments", aj);

    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    if (can_edit) {
        json_t *af = json_array();
        json_array_append_new(af, web_dd_text(req, ctx, "a_title", "dd.action.title", web_dd_val(ctx, "a_title", ""), NULL));
        json_array_append_new(af, web_dd_select(req, ctx, "a_kind", "dd.action.kind",
            web_dd_opts(lang, "action_kind", WEB_DD_ACTION_KINDS, web_dd_val(ctx, "a_kind", "prevent"), 0), NULL));
        json_array_append_new(af, web_dd_select(req, ctx, "a_function", "dd.action.function",
            web_dd_opts(lang, "function", WEB_DD_FUNCTIONS, web_dd_val(ctx, "a_function", "product"), 0), NULL));
        json_array_append_new(af, web_dd_text(req, ctx, "a_owner", "dd.action.owner", web_dd_val(ctx, "a_owner", ""), NULL));
        json_array_append_new(af, web_dd_input(req, ctx, "a_due", "dd.action.due", web_dd_val(ctx, "a_due", ""), "date", NULL));
        json_array_append_new(af, web_dd_select(req, ctx, "a_status", "dd.action.status",
            web_dd_opts(lang, "action_status", WEB_DD_ACTION_STATES, web_dd_val(ctx, "a_status", "planned"), 0), NULL));
        json_array_append_new(af, web_dd_area(req, ctx, "a_integration", "dd.action.integration",
                                              web_dd_val(ctx, "a_integration", ""), "dd.action.integration_hint", 2));
        json_object_set_new(ctx, "action_fields", af);
        json_t *inf = json_array();
        json_array_append_new(inf, web_dd_text(req, ctx, "i_name", "dd.indicator.name", web_dd_val(ctx, "i_name", ""), NULL));
        json_array_append_new(inf, web_dd_text(req, ctx, "i_unit", "dd.indicator.unit", web_dd_val(ctx, "i_unit", ""),
                                               "dd.indicator.unit_hint"));
        json_array_append_new(inf, web_dd_select(req, ctx, "i_direction", "dd.indicator.direction",
            web_dd_opts(lang, "direction", WEB_DD_DIRECTIONS, web_dd_val(ctx, "i_direction", "decrease"), 0), NULL));
        json_array_append_new(inf, web_dd_input(req, ctx, "i_target", "dd.indicator.target", web_dd_val(ctx, "i_target", ""),
                                                "number", NULL));
        json_array_append_new(inf, web_dd_input(req, ctx, "i_tolerance", "dd.indicator.tolerance",
                                                web_dd_val(ctx, "i_tolerance", ""), "number", "dd.indicator.tolerance_hint"));
        json_array_append_new(inf, web_dd_input(req, ctx, "i_target_day", "dd.indicator.target_day",
                                                web_dd_val(ctx, "i_target_day", ""), "date", NULL));
        json_object_set_new(ctx, "indicator_fields", inf);
    }
    return web_dd_page(req, status, "dd_impact", im->title ? im->title : "dd.impact.title", ctx);
}

int web_handle_dd_impact(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return web_dd_impact_page(req, 200, id, NULL);
}
