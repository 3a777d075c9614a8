/* web_dd_impact: the register's overview and its impacts. /register shows
 * the salience heat map (severity band x likelihood, each cell a link to
 * its impacts) and the prioritised salient issues; /register/impacts the
 * whole list in priority order (optionally one heat map cell); the impact
 * form (new and edit: rights picker grouped by digital-harm tag, the rubric
 * text of every rating level, evidence); POST /register/impacts/{id} with an
 * "op": save (edit), action (add one), indicator (add one), measure (record
 * a value). The impact page itself is in web_dd_impact_page.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

/* ---- shared rows ---- */

static json_t *impact_row(http_req *req, const reg_impact_view *v)
{
    const char *lang = web_lang(req);
    return json_pack("{s:I, s:I, s:s, s:s, s:s, s:i, s:i, s:s, s:s, s:s}", "id", (json_int_t)v->impact.id,
                     "rank", (json_int_t)v->rank, "title", v->impact.title ? v->impact.title : "",
                     "status", web_dd_label(lang, "status", v->impact.status), "status_name",
                     v->impact.status ? v->impact.status : "", "severity", v->severity, "likelihood", v->likelihood,
                     "rights", v->impact.rights ? v->impact.rights : "",
                     "involvement", web_dd_label(lang, "involvement", v->impact.involvement),
                     "scope", v->scope_name ? v->scope_name : "");
}

static int64_t query_int(http_req *req, const char *name)
{
    return web_dd_id(http_req_query(req, name));
}

/* ---- overview ---- */

int web_handle_dd_overview(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_impact_view *vs = NULL;
    size_t n = 0, nover = 0, nsoon = 0, ndue = 0;
    reg_heatmap hm;
    reg_assessment_view *due = NULL;
    int rc = reg_impact_list(svc, a, &pr, 0, REG_SORT_SALIENCE, &vs, &n);
    if (rc == CORE_OK)
        rc = reg_heatmap_get(svc, a, &pr, 0, &hm);
    if (rc == CORE_OK)
        rc = reg_assessment_due_list(svc, a, &pr, &due, &ndue, &nover, &nsoon);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_heatmap h;
    memset(&h, 0, sizeof h);
    h.title = web_msg(lang, "dd.heat.title");
    h.desc = web_msg(lang, "dd.heat.desc");
    h.row_label = web_msg(lang, "dd.heat.band");
    h.col_label = web_msg(lang, "dd.impact.likelihood");
    h.href_prefix = "/register/impacts?";
    static const char *const BANDS[] = {"dd.band.1", "dd.band.2", "dd.band.3", "dd.band.4", "dd.band.5"};
    json_t *cells = json_array();
    for (int b = 0; b < 5; b++) {
        h.band_names[b] = web_msg(lang, BANDS[b]);
        for (int l = 0; l < 5; l++) {
            h.count[b][l] = (int)hm.cells[b][l].count;
            if (hm.cells[b][l].count)
                json_array_append_new(cells, json_pack("{s:i, s:i, s:I}", "band", b + 1, "likelihood", l + 1,
                                                       "count", (json_int_t)hm.cells[b][l].count));
        }
    }
    core_buf b;
    core_buf_init(&b);
    if (web_svg_heatmap(&b, "heatmap-svg", &h) == CORE_OK)
        json_object_set_new(ctx, "heatmap", json_string(core_buf_cstr(&b)));
    core_buf_cleanup(&b);
    json_object_set_new(ctx, "cells", cells);
    json_t *rows = json_array();
    for (size_t i = 0; i < n && i < 10; i++)
        json_array_append_new(rows, impact_row(req, &vs[i]));
    web_mark_ends(rows);
    json_object_set_new(ctx, "impacts", rows);
    json_object_set_new(ctx, "nimpacts", json_integer((json_int_t)n));
    json_object_set_new(ctx, "noverdue", json_integer((json_int_t)nover));
    json_object_set_new(ctx, "nsoon", json_integer((json_int_t)nsoon));
    json_object_set_new(ctx, "can_edit", json_boolean(core_authz_allows(pr.role, CORE_PERM_DD_EDIT)));
    return web_dd_page(req, 200, "dd_overview", "dd.overview.title", ctx);
}

/* ---- list ---- */

int web_handle_dd_impacts(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_impact_view *vs = NULL;
    size_t n = 0;
    int rc = reg_impact_list(svc, a, &pr, query_int(req, "scope"), REG_SORT_SALIENCE, &vs, &n);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int64_t band = query_int(req, "band"), lik = query_int(req, "likelihood");
    const char *q_status = http_req_query(req, "status");
    if (q_status && !*q_status)
        q_status = NULL;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        if ((band && vs[i].band != band) || (lik && vs[i].likelihood != lik))
            continue;
        if (q_status && (!vs[i].impact.status || strcmp(vs[i].impact.status, q_status) != 0))
            continue;
        json_array_append_new(rows, impact_row(req, &vs[i]));
    }
    if (band || lik) {
        char f[160];
        snprintf(f, sizeof f, "%s %lld, %s %lld", web_msg(web_lang(req), "dd.heat.band"), (long long)band,
                 web_msg(web_lang(req), "dd.impact.likelihood"), (long long)lik);
        json_object_set_new(ctx, "filter", json_string(f));
    }
    /* the filter form (GET, works without JavaScript) */
    const char *lang = web_lang(req);
    store_dd_scope *sc = NULL;
    size_t nsc = 0;
    json_t *so = json_array();
    int64_t q_scope = query_int(req, "scope");
    json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.impacts.any"),
                                        "selected", !q_scope));
    if (reg_scope_list(svc, a, &pr, &sc, &nsc) == CORE_OK)
        for (size_t i = 0; i < nsc; i++) {
            char v[24];
            snprintf(v, sizeof v, "%lld", (long long)sc[i].id);
            json_array_append_new(so, json_pack("{s:s, s:s, s:b}", "value", v, "label", sc[i].name ? sc[i].name : "",
                                                "selected", sc[i].id == q_scope));
        }
    json_object_set_new(ctx, "scope_opts", so);
    json_t *st = web_dd_opts(lang, "status", WEB_DD_STATUSES, q_status, 0);
    json_array_insert_new(st, 0, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.impacts.any"),
                                           "selected", !q_status));
    json_object_set_new(ctx, "status_opts", st);
    json_object_set_new(ctx, "count", json_string(web_msg_n(req, "dd.impacts.count", (long long)json_array_size(rows))));
    web_mark_ends(rows);
    json_object_set_new(ctx, "impacts", rows);
    json_object_set_new(ctx, "can_edit", json_boolean(core_authz_allows(pr.role, CORE_PERM_DD_EDIT)));
    return web_dd_page(req, 200, "dd_impacts", "dd.impacts.title", ctx);
}

/* ---- form ---- */

static const char *const IMPACT_FIELDS[] = {"scope_id", "title", "description", "status", "involvement",
                                            "business_model", "countries", "affected_groups",
                                            "vulnerable_groups", "scale", "scope", "irremediable", "likelihood",
                                            "competing_rights", NULL};

static json_t *rating_field(http_req *req, json_t *ctx, const char *dim, const char *label_key, int none_ok)
{
    const char *lang = web_lang(req);
    const char *sel = web_dd_val(ctx, dim, "");
    json_t *opts = json_array();
    json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                          web_msg(lang, none_ok ? "dd.form.likelihood_none" : "dd.form.choose"),
                                          "selected", !*sel));
    json_t *rub = json_array();
    for (int l = 1; l <= 5; l++) {
        const char *k = dd_rubric_key(dim, l);
        char v[4], lab[300], hk[64];
        snprintf(v, sizeof v, "%d", l);
        snprintf(lab, sizeof lab, "%d · %s", l, k ? web_msg(lang, k) : "");
        snprintf(hk, sizeof hk, "dd.rubric_help.%s.%d", dim, l);
        json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", v, "label", lab, "selected",
                                              strcmp(sel, v) == 0));
        json_array_append_new(rub, json_pack("{s:i, s:s, s:s}", "level", l, "text", k ? web_msg(lang, k) : "",
                                             "help", web_msg(lang, hk)));
    }
    char hint[48];
    snprintf(hint, sizeof hint, "dd.form.hint_%s", dim);
    json_t *f = web_dd_select(req, ctx, dim, label_key, opts, hint);
    json_object_set_new(f, "rubric", rub);
    return f;
}

static int form_page(http_req *req, int status, json_t *ctx, int64_t id)
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
    store_dd_scope *sc = NULL;
    size_t nsc = 0;
    int rc = reg_scope_list(svc, a, &pr, &sc, &nsc);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    const char *sel_scope = web_dd_val(ctx, "scope_id", http_req_query(req, "scope") ? http_req_query(req, "scope") : "");
    json_t *sopts = json_array();
    json_array_append_new(sopts, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.form.choose"),
                                           "selected", !*sel_scope));
    for (size_t i = 0; i < nsc; i++) {
        char v[24];
        snprintf(v, sizeof v, "%lld", (long long)sc[i].id);
        char lab[400];
        snprintf(lab, sizeof lab, "%s (%s)", sc[i].name, web_dd_label(lang, "scope_kind", sc[i].kind));
        json_array_append_new(sopts, json_pack("{s:s, s:s, s:b}", "value", v, "label", lab, "selected",
                                               strcmp(v, sel_scope) == 0));
    }
    json_t *what = json_array();
    json_array_append_new(what, web_dd_select(req, ctx, "scope_id", "dd.impact.scope_object", sopts,
                                              "dd.form.hint_scope_object"));
    json_array_append_new(what, web_dd_text(req, ctx, "title", "dd.impact.title", web_dd_val(ctx, "title", ""), NULL));
    json_array_append_new(what, web_dd_area(req, ctx, "description", "dd.impact.description",
                                            web_dd_val(ctx, "description", ""), NULL, 4));
    json_array_append_new(what, web_dd_select(req, ctx, "status", "dd.impact.status",
        web_dd_opts(lang, "status", WEB_DD_STATUSES, web_dd_val(ctx, "status", "potential"), 0), "dd.form.hint_status"));
    json_array_append_new(what, web_dd_select(req, ctx, "involvement", "dd.impact.involvement",
        web_dd_opts(lang, "involvement", WEB_DD_INVOLVEMENTS, web_dd_val(ctx, "involvement", "cause"), 0),
        "dd.form.hint_involvement"));
    json_array_append_new(what, web_dd_check("business_model", web_msg(lang, "dd.impact.business_model"),
                                             *web_dd_val(ctx, "business_model", "") != '\0'));
    json_array_append_new(what, web_dd_text(req, ctx, "countries", "dd.impact.countries",
                                            web_dd_val(ctx, "countries", ""), "dd.form.hint_countries"));
    json_array_append_new(what, web_dd_area(req, ctx, "affected_groups", "dd.impact.affected_groups",
                                            web_dd_val(ctx, "affected_groups", ""), NULL, 2));
    json_array_append_new(what, web_dd_area(req, ctx, "vulnerable_groups", "dd.impact.vulnerable_groups",
                                            web_dd_val(ctx, "vulnerable_groups", ""), "dd.form.hint_vulnerable", 2));
    json_object_set_new(ctx, "what", what);

    /* rights picker: each right once, under its first digital-harm tag */
    size_t ntags = 0, nr = 0;
    const char *const *tags = dd_tags(&ntags);
    const dd_right *rights = dd_rights(&nr);
    json_t *groups = json_array();
    for (size_t t = 0; t <= ntags; t++) {
        json_t *items = json_array();
        int open = 0;
        for (size_t i = 0; i < nr; i++) {
            const dd_right *r = &rights[i];
            int mine = t < ntags ? (r->ntags > 0 && strcmp(r->tags[0], tags[t]) == 0) : r->ntags == 0;
            if (!mine)
                continue;
            char name[64], lab[400];
            snprintf(name, sizeof name, "right_%s", r->id);
            snprintf(lab, sizeof lab, "%s · %s", r->id, r->title);
            int on = *web_dd_val(ctx, name, "") != '\0';
            open |= on;
            json_array_append_new(items, web_dd_check(name, lab, on));
        }
        if (json_array_size(items) == 0) {
            json_decref(items);
            continue;
        }
        const char *k = t < ntags ? dd_tag_key(tags[t]) : "dd.form.rights_other";
        json_array_append_new(groups, json_pack("{s:s, s:I, s:b, s:o}", "label", web_msg(lang, k), "count",
                                                (json_int_t)json_array_size(items), "open", open, "items", items));
    }
    json_object_set_new(ctx, "right_groups", groups);

    json_t *rating = json_array();
    json_array_append_new(rating, rating_field(req, ctx, "scale", "dd.impact.scale", 0));
    json_array_append_new(rating, rating_field(req, ctx, "scope", "dd.impact.scope", 0));
    json_array_append_new(rating, rating_field(req, ctx, "irremediable", "dd.impact.irremediable", 0));
    json_array_append_new(rating, rating_field(req, ctx, "likelihood", "dd.impact.likelihood", 1));
    json_object_set_new(ctx, "rating", rating);

    json_t *context = json_array();
    json_array_append_new(context, web_dd_area(req, ctx, "competing_rights", "dd.impact.competing_rights",
                                               web_dd_val(ctx, "competing_rights", ""), "dd.form.hint_competing", 3));
    json_object_set_new(ctx, "context", context);
    json_t *ev = json_array();
    for (size_t i = 0; WEB_DD_EVIDENCE[i]; i++) {
        char name[48];
        snprintf(name, sizeof name, "ev_%s", WEB_DD_EVIDENCE[i]);
        json_array_append_new(ev, web_dd_check(name, web_dd_label(lang, "evidence", WEB_DD_EVIDENCE[i]),
                                               *web_dd_val(ctx, name, "") != '\0'));
    }
    json_object_set_new(ctx, "evidence", ev);
    char action[64];
    if (id)
        snprintf(action, sizeof action, "/register/impacts/%lld", (long long)id);
    else
        snprintf(action, sizeof action, "/register/impacts");
    json_object_set_new(ctx, "action", json_string(action));
    json_object_set_new(ctx, "submit", json_string(web_msg(lang, id ? "dd.form.save" : "dd.form.create")));
    return web_dd_page(req, status, "dd_impact_form", id ? "dd.impact.edit_title" : "dd.impacts.new_title", ctx);
}

/* ctx.form from an impact (edit) */
static void form_of(json_t *ctx, const store_dd_impact *im)
{
    json_t *f = json_object();
    char buf[24];
    snprintf(buf, sizeof buf, "%lld", (long long)im->scope_id);
    json_object_set_new(f, "scope_id", json_string(buf));
    json_object_set_new(f, "title", json_string(im->title ? im->title : ""));
    json_object_set_new(f, "description", json_string(im->description ? im->description : ""));
    json_object_set_new(f, "status", json_string(im->status ? im->status : ""));
    json_object_set_new(f, "involvement", json_string(im->involvement ? im->involvement : ""));
    json_object_set_new(f, "business_model", json_string(im->business_model ? "1" : ""));
    json_object_set_new(f, "countries", json_string(im->countries ? im->countries : ""));
    json_object_set_new(f, "affected_groups", json_string(im->affected_groups ? im->affected_groups : ""));
    json_object_set_new(f, "vulnerable_groups", json_string(im->vulnerable_groups ? im->vulnerable_groups : ""));
    json_object_set_new(f, "competing_rights", json_string(im->competing_rights ? im->competing_rights : ""));
    static const char *const R[] = {"scale", "scope", "irremediable", "likelihood"};
    int vals[] = {im->scale, im->scope, im->irremediable, im->likelihood};
    for (int i = 0; i < 4; i++) {
        snprintf(buf, sizeof buf, "%d", vals[i]);
        json_object_set_new(f, R[i], json_string(vals[i] ? buf : ""));
    }
    for (const char *p = im->rights ? im->rights : ""; *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char key[80];
        snprintf(key, sizeof key, "right_%.*s", (int)(n < 60 ? n : 60), p);
        json_object_set_new(f, key, json_string("1"));
        p += n;
    }
    for (size_t i = 0; WEB_DD_EVIDENCE[i]; i++)
        if (web_dd_has_token(im->evidence, WEB_DD_EVIDENCE[i])) {
            char key[48];
            snprintf(key, sizeof key, "ev_%s", WEB_DD_EVIDENCE[i]);
            json_object_set_new(f, key, json_string("1"));
        }
    json_object_set_new(ctx, "form", f);
}

int web_handle_dd_impact_new(http_req *req)
{
    return form_page(req, 200, web_ctx(req), 0);
}

int web_handle_dd_impact_edit(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    int64_t id = web_dd_id(http_req_param(req, "id"));
    reg_impact_view v;
    int rc = id ? reg_impact_get(svc, http_req_arena(req), &pr, id, &v) : CORE_NOTFOUND;
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    form_of(ctx, &v.impact);
    return form_page(req, 200, ctx, id);
}

static int rating_of(const char *s)
{
    int64_t v = web_dd_id(s);
    return v >= 1 && v <= 99 ? (int)v : (*s ? 99 : 0);   /* anything else: out of range, named by the service */
}

/* Reads the impact form into im and keeps the entries in ctx.form. */
static void read_impact(http_req *req, json_t *ctx, store_dd_impact *im)
{
    web_dd_keep(req, ctx, IMPACT_FIELDS);
    json_t *form = json_object_get(ctx, "form");
    im->scope_id = web_dd_id(web_form(req, "scope_id"));
    im->title = web_form(req, "title");
    im->description = *web_form(req, "description") ? web_form(req, "description") : NULL;
    im->status = web_form(req, "status");
    im->involvement = web_form(req, "involvement");
    im->business_model = *web_form(req, "business_model") != '\0';
    im->countries = web_form(req, "countries");
    im->affected_groups = *web_form(req, "affected_groups") ? web_form(req, "affected_groups") : NULL;
    im->vulnerable_groups = *web_form(req, "vulnerable_groups") ? web_form(req, "vulnerable_groups") : NULL;
    im->competing_rights = *web_form(req, "competing_rights") ? web_form(req, "competing_rights") : NULL;
    im->scale = rating_of(web_form(req, "scale"));
    im->scope = rating_of(web_form(req, "scope"));
    im->irremediable = rating_of(web_form(req, "irremediable"));
    im->likelihood = rating_of(web_form(req, "likelihood"));
    size_t nr = 0;
    const dd_right *rights = dd_rights(&nr);
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; i < nr; i++) {
        char key[64];
        snprintf(key, sizeof key, "right_%s", rights[i].id);
        if (*web_form(req, key)) {
            if (b.len)
                core_buf_puts(&b, " ");
            core_buf_puts(&b, rights[i].id);
            json_object_set_new(form, key, json_string("1"));
        }
    }
    im->rights = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    im->evidence = web_dd_checked(req, "ev_", WEB_DD_EVIDENCE);
    for (size_t i = 0; WEB_DD_EVIDENCE[i]; i++) {
        char key[48];
        snprintf(key, sizeof key, "ev_%s", WEB_DD_EVIDENCE[i]);
        if (*web_form(req, key))
            json_object_set_new(form, key, json_string("1"));
    }
}

int web_handle_dd_impact_create(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    store_dd_impact im;
    memset(&im, 0, sizeof im);
    read_impact(req, ctx, &im);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_impact_create(svc, http_req_arena(req), &pr, &im, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/impacts/%lld", (long long)im.id);
        web_dd_redirect(req, loc, "dd_impact_saved");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, "", "title");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return form_page(req, st, ctx, 0);
}

/* ---- POST /register/impacts/{id} ---- */

static const char *const ACTION_FIELDS[] = {"a_kind", "a_title", "a_description", "a_function", "a_due",
                                            "a_owner", "a_status", "a_integration", NULL};
static const char *const IND_FIELDS[] = {"i_name", "i_unit", "i_direction", "i_target", "i_tolerance",
                                         "i_target_day", NULL};

static int parse_num(const char *s, double *out)
{
    if (!s || !*s)
        return CORE_INVALID;
    char *end = NULL;
    double v = strtod(s, &end);
    if (!end || *end)
        return CORE_INVALID;
    *out = v;
    return CORE_OK;
}

int web_dd_impact_page(http_req *req, int status, int64_t id, json_t *ctx);

int web_handle_dd_impact_post(http_req *req)
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
    const char *notice = "dd_saved", *prefix = "", *dflt = "op";
    if (strcmp(op, "save") == 0) {
        store_dd_impact im;
        memset(&im, 0, sizeof im);
        read_impact(req, ctx, &im);
        im.id = id;
        rc = reg_impact_update(svc, a, &pr, &im, &err);
        if (rc != CORE_OK) {
            int st = web_dd_fail(req, ctx, rc, &err, "", "title");
            if (!st) {
                json_decref(ctx);
                return CORE_OK;
            }
            return form_page(req, st, ctx, id);
        }
        notice = "dd_impact_saved";
    } else if (strcmp(op, "action") == 0) {
        web_dd_keep(req, ctx, ACTION_FIELDS);
        store_dd_action x;
        memset(&x, 0, sizeof x);
        x.impact_id = id;
        x.kind = web_form(req, "a_kind");
        x.title = web_form(req, "a_title");
        x.description = *web_form(req, "a_description") ? web_form(req, "a_description") : NULL;
        x.function = web_form(req, "a_function");
        x.owner_name = *web_form(req, "a_owner") ? web_form(req, "a_owner") : NULL;
        x.status = *web_form(req, "a_status") ? web_form(req, "a_status") : "planned";
        x.integration = *web_form(req, "a_integration") ? web_form(req, "a_integration") : NULL;
        prefix = "a_";
        dflt = "a_title";
        if (web_dd_parse_day(web_form(req, "a_due"), -1, &x.due_day) != CORE_OK) {
            web_add_error(req, ctx, "a_due", "reg.err.date");
            return web_dd_impact_page(req, 400, id, ctx);
        }
        rc = reg_action_create(svc, a, &pr, &x, &err);
        notice = "dd_action_added";
        if (err.field && strcmp(err.field, "/due_day") == 0)
            err.field = "/due";
        if (err.field && strcmp(err.field, "/owner_name") == 0)
            err.field = "/owner";
    } else if (strcmp(op, "indicator") == 0) {
        web_dd_keep(req, ctx, IND_FIELDS);
        store_dd_indicator x;
        memset(&x, 0, sizeof x);
        x.impact_id = id;
        x.name = web_form(req, "i_name");
        x.unit = web_form(req, "i_unit");
        x.direction = web_form(req, "i_direction");
        prefix = "i_";
        dflt = "i_name";
        if (parse_num(web_form(req, "i_target"), &x.target) != CORE_OK) {
            web_add_error(req, ctx, "i_target", "dd.error.number");
            return web_dd_impact_page(req, 400, id, ctx);
        }
        if (*web_form(req, "i_tolerance") && parse_num(web_form(req, "i_tolerance"), &x.tolerance) != CORE_OK) {
            web_add_error(req, ctx, "i_tolerance", "dd.error.number");
            return web_dd_impact_page(req, 400, id, ctx);
        }
        if (web_dd_parse_day(web_form(req, "i_target_day"), -1, &x.target_day) != CORE_OK) {
            web_add_error(req, ctx, "i_target_day", "reg.err.date");
            return web_dd_impact_page(req, 400, id, ctx);
        }
        rc = reg_indicator_create(svc, a, &pr, &x, &err);
        notice = "dd_indicator_added";
    } else if (strcmp(op, "measure") == 0) {
        int st = web_dd_measure(req, ctx, web_dd_id(web_form(req, "indicator_id")));
        if (!st) {
            json_decref(ctx);
            return CORE_OK;
        }
        if (st != 200)
            return web_dd_impact_page(req, st, id, ctx);
        rc = CORE_OK;
        notice = "dd_measured";
    }
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/impacts/%lld", (long long)id);
        web_dd_redirect(req, loc, notice);
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, prefix, dflt);
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return web_dd_impact_page(req, st, id, ctx);
}
