/* web_dd_engage: stakeholder engagement (/register/stakeholders): the
 * stakeholders (organisations, affected groups, experts, representatives,
 * with region and a global-South flag), their engagements (date, step of
 * the cycle, topics, format, outcome, follow-up, impacts discussed) and the
 * forms to add both. Recording an engagement that takes one stakeholder
 * over the per-quarter limit stores it and shows the fatigue warning on the
 * page that answers (200, not a redirect, so the warning and its figures
 * are in front of the person who recorded it).
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

static const char *const SH_FIELDS[] = {"sh_name", "sh_kind", "sh_region", "sh_countries", "sh_global_south",
                                        "sh_contact", NULL};
static const char *const EN_FIELDS[] = {"e_stakeholder", "e_day", "e_step", "e_topics", "e_format", "e_outcome",
                                        "e_follow_up", NULL};

static int page(http_req *req, int status, json_t *ctx)
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
    store_dd_stakeholder *sh = NULL;
    store_dd_engagement *en = NULL;
    reg_impact_view *imps = NULL;
    size_t nsh = 0, nen = 0, nimps = 0;
    int rc = reg_stakeholder_list(svc, a, &pr, &sh, &nsh);
    if (rc == CORE_OK)
        rc = reg_engagement_list(svc, a, &pr, 0, &en, &nen);
    if (rc == CORE_OK)
        rc = reg_impact_list(svc, a, &pr, 0, REG_SORT_SALIENCE, &imps, &nimps);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *rows = json_array();
    for (size_t i = 0; i < nsh; i++) {
        size_t count = 0;
        for (size_t k = 0; k < nen; k++)
            count += en[k].stakeholder_id == sh[i].id;
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:s, s:I}", "id", (json_int_t)sh[i].id,
            "name", sh[i].name ? sh[i].name : "", "kind", web_dd_label(lang, "sh_kind", sh[i].kind),
            "region", sh[i].region ? sh[i].region : "", "countries", sh[i].countries ? sh[i].countries : "",
            "global_south", sh[i].global_south, "contact", sh[i].contact ? sh[i].contact : "",
            "engagements", (json_int_t)count));
    }
    web_mark_ends(rows);
    json_object_set_new(ctx, "stakeholders", rows);
    json_t *erows = json_array();
    for (size_t k = nen; k-- > 0;) {            /* newest first */
        const char *who = "";
        for (size_t i = 0; i < nsh; i++)
            if (sh[i].id == en[k].stakeholder_id)
                who = sh[i].name;
        json_array_append_new(erows, json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "date", web_dd_date(a, lang, en[k].day),
            "stakeholder", who ? who : "", "step", web_dd_label(lang, "step", en[k].step),
            "format", web_dd_label(lang, "format", en[k].format), "topics", en[k].topics ? en[k].topics : "",
            "outcome", en[k].outcome ? en[k].outcome : "", "follow_up", en[k].follow_up ? en[k].follow_up : ""));
    }
    web_mark_ends(erows);
    json_object_set_new(ctx, "engagements", erows);
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    if (can_edit) {
        json_t *f = json_array();
        json_array_append_new(f, web_dd_text(req, ctx, "sh_name", "dd.stakeholder.name", web_dd_val(ctx, "sh_name", ""), NULL));
        json_array_append_new(f, web_dd_select(req, ctx, "sh_kind", "dd.stakeholder.kind",
            web_dd_opts(lang, "sh_kind", WEB_DD_SH_KINDS, web_dd_val(ctx, "sh_kind", "organisation"), 0), NULL));
        json_array_append_new(f, web_dd_text(req, ctx, "sh_region", "dd.stakeholder.region",
                                             web_dd_val(ctx, "sh_region", ""), NULL));
        json_array_append_new(f, web_dd_text(req, ctx, "sh_countries", "dd.impact.countries",
                                             web_dd_val(ctx, "sh_countries", ""), "dd.form.hint_countries"));
        json_array_append_new(f, web_dd_check("sh_global_south", web_msg(lang, "dd.stakeholder.global_south"),
                                              *web_dd_val(ctx, "sh_global_south", "") != '\0'));
        json_array_append_new(f, web_dd_area(req, ctx, "sh_contact", "dd.stakeholder.contact",
                                             web_dd_val(ctx, "sh_contact", ""), "dd.stakeholder.contact_hint", 2));
        json_object_set_new(ctx, "sh_fields", f);

        const char *sel = web_dd_val(ctx, "e_stakeholder", "");
        json_t *so = json_array();
        json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.form.choose"),
                                            "selected", !*sel));
        for (size_t i = 0; i < nsh; i++) {
            char v[24];
            snprintf(v, sizeof v, "%lld", (long long)sh[i].id);
            json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", v, "label", sh[i].name, "selected",
                                                strcmp(v, sel) == 0));
        }
        json_t *e = json_array();
        json_array_append_new(e, web_dd_select(req, ctx, "e_stakeholder", "dd.engagement.stakeholder", so, NULL));
        json_array_append_new(e, web_dd_input(req, ctx, "e_day", "dd.engagement.day",
                                              web_dd_val(ctx, "e_day", web_dd_day(a, reg_today(svc))), "date", NULL));
        json_array_append_new(e, web_dd_select(req, ctx, "e_step", "dd.engagement.step",
            web_dd_opts(lang, "step", WEB_DD_STEPS, web_dd_val(ctx, "e_step", "identify"), 0), NULL));
        json_array_append_new(e, web_dd_select(req, ctx, "e_format", "dd.engagement.format",
            web_dd_opts(lang, "format", WEB_DD_FORMATS, web_dd_val(ctx, "e_format", "meeting"), 0), NULL));
        json_array_append_new(e, web_dd_area(req, ctx, "e_topics", "dd.engagement.topics",
                                             web_dd_val(ctx, "e_topics", ""), NULL, 2));
        json_array_append_new(e, web_dd_area(req, ctx, "e_outcome", "dd.engagement.outcome",
                                             web_dd_val(ctx, "e_outcome", ""), NULL, 2));
        json_array_append_new(e, web_dd_area(req, ctx, "e_follow_up", "dd.engagement.follow_up",
                                             web_dd_val(ctx, "e_follow_up", ""), NULL, 2));
        json_object_set_new(ctx, "e_fields", e);
        json_t *form = json_object_get(ctx, "form");
        json_t *ic = json_array();
        for (size_t i = 0; i < nimps; i++) {
            char name[40];
            snprintf(name, sizeof name, "e_impact_%lld", (long long)imps[i].impact.id);
            json_array_append_new(ic, web_dd_check(name, imps[i].impact.title,
                                                   json_string_value(json_object_get(form, name)) != NULL));
        }
        json_object_set_new(ctx, "impact_choices", ic);
    }
    return web_dd_page(req, status, "dd_stakeholders", "dd.stakeholders.title", ctx);
}

int web_handle_dd_stakeholders(http_req *req)
{
    return page(req, 200, NULL);
}

int web_handle_dd_stakeholder_add(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_dd_keep(req, ctx, SH_FIELDS);
    store_dd_stakeholder x;
    memset(&x, 0, sizeof x);
    x.name = web_form(req, "sh_name");
    x.kind = web_form(req, "sh_kind");
    x.region = *web_form(req, "sh_region") ? web_form(req, "sh_region") : NULL;
    x.countries = web_form(req, "sh_countries");
    x.global_south = *web_form(req, "sh_global_south") != '\0';
    x.contact = *web_form(req, "sh_contact") ? web_form(req, "sh_contact") : NULL;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_stakeholder_create(svc, http_req_arena(req), &pr, &x, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        web_dd_redirect(req, "/register/stakeholders", "dd_stakeholder_added");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, "sh_", "sh_name");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return page(req, st, ctx);
}

int web_handle_dd_engagement_add(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_dd_keep(req, ctx, EN_FIELDS);
    store_dd_engagement x;
    memset(&x, 0, sizeof x);
    x.stakeholder_id = web_dd_id(web_form(req, "e_stakeholder"));
    x.step = web_form(req, "e_step");
    x.format = web_form(req, "e_format");
    x.topics = web_form(req, "e_topics");
    x.outcome = *web_form(req, "e_outcome") ? web_form(req, "e_outcome") : NULL;
    x.follow_up = *web_form(req, "e_follow_up") ? web_form(req, "e_follow_up") : NULL;
    if (web_dd_parse_day(web_form(req, "e_day"), reg_today(svc), &x.day) != CORE_OK) {
        web_add_error(req, ctx, "e_day", "reg.err.date");
        return page(req, 400, ctx);
    }
    /* impacts discussed: the checked e_impact_<id> boxes */
    reg_impact_view *imps = NULL;
    size_t nimps = 0;
    int rc = reg_impact_list(svc, a, &pr, 0, REG_SORT_ID, &imps, &nimps);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *form = json_object_get(ctx, "form");
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; i < nimps; i++) {
        char name[40];
        snprintf(name, sizeof name, "e_impact_%lld", (long long)imps[i].impact.id);
        if (*web_form(req, name)) {
            core_buf_printf(&b, "%s%lld", b.len ? " " : "", (long long)imps[i].impact.id);
            json_object_set_new(form, name, json_string("1"));
        }
    }
    x.impact_ids = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    reg_fatigue fat;
    memset(&fat, 0, sizeof fat);
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_engagement_create(svc, a, &pr, &x, &fat, &err);
    if (rc == CORE_OK && !fat.warning) {
        json_decref(ctx);
        web_dd_redirect(req, "/register/stakeholders", "dd_engagement_added");
        return CORE_OK;
    }
    if (rc == CORE_OK) {
        /* stored, with the warning: a fresh page (the form empty again) */
        json_decref(ctx);
        if (!(ctx = web_ctx(req)))
            return CORE_NOMEM;
        char w[400];
        snprintf(w, sizeof w, "%s %zu / %d (%lld Q%d)", web_msg(web_lang(req), "dd.engagement.fatigue"),
                 fat.check.count + 1, fat.limit, (long long)fat.check.year, fat.check.quarter);
        json_object_set_new(ctx, "fatigue", json_string(w));
        return page(req, 200, ctx);
    }
    if (err.field && strcmp(err.field, "/stakeholder_id") == 0)
        err.field = "/stakeholder";
    else if (err.field && strncmp(err.field, "/impact_ids", 11) == 0)
        err.field = "/topics";
    int st = web_dd_fail(req, ctx, rc, &err, "e_", "e_topics");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return page(req, st, ctx);
}
