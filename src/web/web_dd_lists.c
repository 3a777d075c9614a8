/* web_dd_lists: the register's lists. Scope objects (/register/scope:
 * products, services, features and business relationships with phase,
 * countries and high-risk markers, and the form to add one), every action
 * (/register/actions, with a status change form, and /register/actions/{id}
 * to edit one: owner, due date, evidence of integration), every indicator
 * (/register/indicators: status, trend, chart, the form to record a
 * measurement), the coverage view
 * (/register/coverage: which salient impacts had input from affected groups
 * or their representatives) and the CSV downloads (/register/export/{list}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

/* ---- scope objects ---- */

static const char *const SCOPE_FIELDS[] = {"slug", "kind", "name", "description", "phase", "countries", NULL};

static int scope_page(http_req *req, int status, json_t *ctx, int64_t edit_id)
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
    size_t n = 0;
    int rc = reg_scope_list(svc, a, &pr, &sc, &n);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    if (edit_id) {
        store_dd_scope cur;
        int found = 0;
        for (size_t i = 0; i < n; i++)
            if (sc[i].id == edit_id) {
                cur = sc[i];
                found = 1;
            }
        if (!found) {
            json_decref(ctx);
            web_error_page(req, 404, "error.not_found");
            return CORE_OK;
        }
        if (!json_object_get(ctx, "form")) {
            json_t *f = json_pack("{s:s, s:s, s:s, s:s, s:s, s:s}", "slug", cur.slug ? cur.slug : "",
                                  "kind", cur.kind ? cur.kind : "", "name", cur.name ? cur.name : "",
                                  "description", cur.description ? cur.description : "", "phase",
                                  cur.phase ? cur.phase : "", "countries", cur.countries ? cur.countries : "");
            for (size_t i = 0; WEB_DD_MARKERS[i]; i++)
                if (web_dd_has_token(cur.markers, WEB_DD_MARKERS[i])) {
                    char name[64];
                    snprintf(name, sizeof name, "marker_%s", WEB_DD_MARKERS[i]);
                    json_object_set_new(f, name, json_string("1"));
                }
            json_object_set_new(ctx, "form", f);
        }
        char action[64];
        snprintf(action, sizeof action, "/register/scope/%lld", (long long)edit_id);
        json_object_set_new(ctx, "editing", json_true());
        json_object_set_new(ctx, "form_action", json_string(action));
        json_object_set_new(ctx, "submit", json_string(web_msg(lang, "dd.form.save")));
    } else {
        json_object_set_new(ctx, "form_action", json_string("/register/scope"));
        json_object_set_new(ctx, "submit", json_string(web_msg(lang, "dd.scope.add_submit")));
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)sc[i].id,
            "slug", sc[i].slug ? sc[i].slug : "", "name", sc[i].name ? sc[i].name : "",
            "kind", web_dd_label(lang, "scope_kind", sc[i].kind), "phase", web_dd_label(lang, "phase", sc[i].phase),
            "countries", sc[i].countries ? sc[i].countries : "", "markers", web_dd_labels(req, "marker", sc[i].markers),
            "description", sc[i].description ? sc[i].description : ""));
    web_mark_ends(rows);
    json_object_set_new(ctx, "scopes", rows);
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    if (can_edit) {
        json_t *f = json_array();
        json_array_append_new(f, web_dd_text(req, ctx, "name", "dd.scope.name", web_dd_val(ctx, "name", ""), NULL));
        json_array_append_new(f, web_dd_text(req, ctx, "slug", "dd.scope.slug", web_dd_val(ctx, "slug", ""),
                                             "dd.scope.slug_hint"));
        json_array_append_new(f, web_dd_select(req, ctx, "kind", "dd.scope.kind",
            web_dd_opts(lang, "scope_kind", WEB_DD_SCOPE_KINDS, web_dd_val(ctx, "kind", "product"), 0), NULL));
        json_array_append_new(f, web_dd_select(req, ctx, "phase", "dd.scope.phase",
            web_dd_opts(lang, "phase", WEB_DD_PHASES, web_dd_val(ctx, "phase", "use"), 0), NULL));
        json_array_append_new(f, web_dd_text(req, ctx, "countries", "dd.impact.countries",
                                             web_dd_val(ctx, "countries", ""), "dd.form.hint_countries"));
        json_array_append_new(f, web_dd_area(req, ctx, "description", "dd.scope.description",
                                             web_dd_val(ctx, "description", ""), NULL, 3));
        json_object_set_new(ctx, "fields", f);
        json_t *form = json_object_get(ctx, "form");
        json_t *marks = json_array();
        for (size_t i = 0; WEB_DD_MARKERS[i]; i++) {
            char name[64];
            snprintf(name, sizeof name, "marker_%s", WEB_DD_MARKERS[i]);
            json_array_append_new(marks, web_dd_check(name, web_dd_label(lang, "marker", WEB_DD_MARKERS[i]),
                                                      json_string_value(json_object_get(form, name)) != NULL));
        }
        json_object_set_new(ctx, "markers", marks);
    }
    return web_dd_page(req, status, "dd_scope", edit_id ? "dd.scope.edit_title" : "dd.scope.title", ctx);
}

int web_handle_dd_scope(http_req *req)
{
    return scope_page(req, 200, NULL, 0);
}

int web_handle_dd_scope_edit(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return scope_page(req, 200, NULL, id);
}

/* Add (id 0) or update a scope object from the form. */
static int scope_save(http_req *req, int64_t id)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    reg_principal pr;
    web_reg_principal(req, &pr);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_dd_keep(req, ctx, SCOPE_FIELDS);
    store_dd_scope s;
    memset(&s, 0, sizeof s);
    core_arena *a = http_req_arena(req);
    int rc = CORE_OK;
    if (id)
        rc = reg_scope_get(svc, a, &pr, id, &s);   /* keeps product_id and parent_id */
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    s.slug = web_form(req, "slug");
    s.kind = web_form(req, "kind");
    s.name = web_form(req, "name");
    s.description = *web_form(req, "description") ? web_form(req, "description") : NULL;
    s.phase = web_form(req, "phase");
    s.countries = web_form(req, "countries");
    s.markers = web_dd_checked(req, "marker_", WEB_DD_MARKERS);
    json_t *form = json_object_get(ctx, "form");
    for (size_t i = 0; WEB_DD_MARKERS[i]; i++) {
        char name[64];
        snprintf(name, sizeof name, "marker_%s", WEB_DD_MARKERS[i]);
        if (*web_form(req, name))
            json_object_set_new(form, name, json_string("1"));
    }
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = id ? reg_scope_update(svc, a, &pr, &s, &err) : reg_scope_create(svc, a, &pr, &s, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        web_dd_redirect(req, "/register/scope", id ? "dd_saved" : "dd_scope_added");
        return CORE_OK;
    }
    int st = web_dd_fail(req, ctx, rc, &err, "", "name");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return scope_page(req, st, ctx, id);
}

int web_handle_dd_scope_add(http_req *req)
{
    return scope_save(req, 0);
}

int web_handle_dd_scope_update(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return scope_save(req, id);
}

/* ---- actions ---- */

int web_handle_dd_actions(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    const char *lang = web_lang(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    store_dd_action *x = NULL;
    size_t n = 0;
    int rc = reg_action_list(svc, http_req_arena(req), &pr, 0, &x, &n);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *rows = web_dd_action_rows(req, x, n, 1);
    int can_edit = core_authz_allows(pr.role, CORE_PERM_DD_EDIT);
    for (size_t i = 0; can_edit && i < json_array_size(rows); i++) {
        json_t *r = json_array_get(rows, i);
        json_object_set_new(r, "states", web_dd_opts(lang, "action_status", WEB_DD_ACTION_STATES,
                                                     json_string_value(json_object_get(r, "status_name")), 0));
    }
    json_object_set_new(ctx, "actions", rows);
    json_object_set_new(ctx, "can_edit", json_boolean(can_edit));
    return web_dd_page(req, 200, "dd_actions", "dd.actions.title", ctx);
}

static const char *const ACTION_FIELDS[] = {"a_kind", "a_title", "a_description", "a_function", "a_due",
                                            "a_owner", "a_status", "a_integration", NULL};

/* The edit form of one action; ctx.form holds the entries (or the action's values). */
static int action_page(http_req *req, int status, int64_t id, json_t *ctx)
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
    store_dd_action x;
    int rc = reg_action_get(svc, a, &pr, id, &x);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    if (!json_object_get(ctx, "form"))
        json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s}",
            "a_kind", x.kind ? x.kind : "", "a_title", x.title ? x.title : "",
            "a_description", x.description ? x.description : "", "a_function", x.function ? x.function : "",
            "a_due", web_dd_date(a, lang, x.due_day), "a_owner", x.owner_name ? x.owner_name : "",
            "a_status", x.status ? x.status : "", "a_integration", x.integration ? x.integration : ""));
    json_t *f = json_array();
    json_array_append_new(f, web_dd_text(req, ctx, "a_title", "dd.action.title", web_dd_val(ctx, "a_title", ""), NULL));
    json_array_append_new(f, web_dd_select(req, ctx, "a_kind", "dd.action.kind",
        web_dd_opts(lang, "action_kind", WEB_DD_ACTION_KINDS, web_dd_val(ctx, "a_kind", ""), 0), NULL));
    json_array_append_new(f, web_dd_area(req, ctx, "a_description", "dd.impact.description",
                                         web_dd_val(ctx, "a_description", ""), NULL, 3));
    json_array_append_new(f, web_dd_select(req, ctx, "a_function", "dd.action.function",
        web_dd_opts(lang, "function", WEB_DD_FUNCTIONS, web_dd_val(ctx, "a_function", ""), 0), NULL));
    json_array_append_new(f, web_dd_text(req, ctx, "a_owner", "dd.action.owner", web_dd_val(ctx, "a_owner", ""), NULL));
    json_array_append_new(f, web_dd_input(req, ctx, "a_due", "dd.action.due", web_dd_val(ctx, "a_due", ""), "date", NULL));
    json_array_append_new(f, web_dd_select(req, ctx, "a_status", "dd.action.status",
        web_dd_opts(lang, "action_status", WEB_DD_ACTION_STATES, web_dd_val(ctx, "a_status", ""), 0), NULL));
    json_array_append_new(f, web_dd_area(req, ctx, "a_integration", "dd.action.integration",
                                         web_dd_val(ctx, "a_integration", ""), "dd.action.integration_hint", 3));
    json_object_set_new(ctx, "fields", f);
    json_object_set_new(ctx, "action_id", json_integer(id));
    json_object_set_new(ctx, "impact_id", json_integer(x.impact_id));
    return web_dd_page(req, status, "dd_action_edit", "dd.action.edit_title", ctx);
}

int web_handle_dd_action_edit(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return action_page(req, 200, id, NULL);
}

/* op=save: the whole action from the edit form; otherwise the status
 * alone (the quick form of the actions list). */
int web_handle_dd_action_post(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    int64_t id = web_dd_id(http_req_param(req, "id"));
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    store_dd_action x;
    int rc = id ? reg_action_get(svc, a, &pr, id, &x) : CORE_NOTFOUND;
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    reg_error err;
    memset(&err, 0, sizeof err);
    if (strcmp(web_form(req, "op"), "save") != 0) {
        x.status = web_form(req, "status");
        rc = reg_action_update(svc, a, &pr, &x, &err);
        if (rc == CORE_OK)
            web_dd_redirect(req, "/register/actions", "dd_saved");
        else
            web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    web_dd_keep(req, ctx, ACTION_FIELDS);
    x.kind = web_form(req, "a_kind");
    x.title = web_form(req, "a_title");
    x.description = *web_form(req, "a_description") ? web_form(req, "a_description") : NULL;
    x.function = web_form(req, "a_function");
    x.owner_name = *web_form(req, "a_owner") ? web_form(req, "a_owner") : NULL;
    x.status = web_form(req, "a_status");
    x.integration = *web_form(req, "a_integration") ? web_form(req, "a_integration") : NULL;
    if (web_dd_parse_day(web_form(req, "a_due"), -1, &x.due_day) != CORE_OK) {
        web_add_error(req, ctx, "a_due", "reg.err.date");
        return action_page(req, 400, id, ctx);
    }
    rc = reg_action_update(svc, a, &pr, &x, &err);
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[64];
        snprintf(loc, sizeof loc, "/register/impacts/%lld", (long long)x.impact_id);
        web_dd_redirect(req, loc, "dd_saved");
        return CORE_OK;
    }
    if (err.field && strcmp(err.field, "/due_day") == 0)
        err.field = "/due";
    else if (err.field && strcmp(err.field, "/owner_name") == 0)
        err.field = "/owner";
    int st = web_dd_fail(req, ctx, rc, &err, "a_", "a_title");
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return action_page(req, st, id, ctx);
}

/* ---- indicators ---- */

static int indicators_page(http_req *req, int status, json_t *ctx)
{
    reg_service *svc = web_reg(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    core_arena *a = http_req_arena(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_indicator_view *v = NULL;
    size_t n = 0;
    int rc = reg_indicator_list(svc, a, &pr, 0, 0, &v, &n);
    if (rc != CORE_OK) {
        json_decref(ctx);
        web_dd_error(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    int64_t err_id = json_integer_value(json_object_get(ctx, "measure_error_id"));
    const char *err_msg = json_string_value(json_object_get(ctx, "measure_error"));
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *r = web_dd_indicator_row(req, &v[i]);
        json_object_set_new(r, "impact_id", json_integer(v[i].indicator.impact_id));
        json_object_set_new(r, "action_id", json_integer(v[i].indicator.action_id));
        if (err_msg && v[i].indicator.id == err_id)
            json_object_set_new(r, "error", json_string(err_msg));
        json_array_append_new(rows, r);
    }
    json_object_set_new(ctx, "indicators", rows);
    json_object_set_new(ctx, "today", json_string(web_dd_day(a, reg_today(svc))));
    json_object_set_new(ctx, "can_edit", json_boolean(core_authz_allows(pr.role, CORE_PERM_DD_EDIT)));
    return web_dd_page(req, status, "dd_indicators", "dd.indicators.title", ctx);
}

int web_handle_dd_indicators(http_req *req)
{
    return indicators_page(req, 200, NULL);
}

int web_dd_measure(http_req *req, json_t *ctx, int64_t indicator_id)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return 0;
    const char *lang = web_lang(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    store_dd_measure m;
    memset(&m, 0, sizeof m);
    m.indicator_id = indicator_id;
    m.note = *web_form(req, "note") ? web_form(req, "note") : NULL;
    char field[48];
    snprintf(field, sizeof field, "m-value-%lld", (long long)indicator_id);
    const char *key = NULL;
    reg_error err;
    memset(&err, 0, sizeof err);
    char *end = NULL;
    const char *vs = web_form(req, "value");
    m.value = strtod(vs, &end);
    int rc = CORE_INVALID;
    if (!*vs || !end || *end)
        key = "dd.error.number";
    else if (web_dd_parse_day(web_form(req, "day"), reg_today(svc), &m.day) != CORE_OK)
        key = "reg.err.date";
    else if ((rc = reg_measure_put(svc, http_req_arena(req), &pr, &m, &err)) == CORE_OK)
        return 200;
    else if (rc == CORE_INVALID || rc == CORE_CONFLICT)
        key = err.key && web_msg(lang, err.key) != err.key ? err.key : "dd.error.invalid";
    else {
        web_dd_error(req, rc);
        return 0;
    }
    web_add_error(req, ctx, field, key);
    json_object_set_new(ctx, "measure_error_id", json_integer(indicator_id));
    json_object_set_new(ctx, "measure_error", json_string(web_msg(lang, key)));
    return 400;
}

int web_handle_dd_indicator_measure(http_req *req)
{
    int64_t id = web_dd_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int st = web_dd_measure(req, ctx, id);
    if (st == 200) {
        json_decref(ctx);
        web_dd_redirect(req, "/register/indicators", "dd_measured");
        return CORE_OK;
    }
    if (!st) {
        json_decref(ctx);
        return CORE_OK;
    }
    return indicators_page(req, st, ctx);
}

/* ---- coverage ---- */

int web_handle_dd_coverage(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    reg_principal pr;
    web_reg_principal(req, &pr);
    reg_coverage_row *rows = NULL;
    size_t n = 0, ncov = 0;
    int rc = reg_coverage_get(svc, a, &pr, &rows, &n, &ncov);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:I, s:s, s:i, s:I, s:I, s:b, s:s, s:s}",
            "id", (json_int_t)rows[i].impact.impact.id, "rank", (json_int_t)rows[i].impact.rank,
            "title", rows[i].impact.impact.title ? rows[i].impact.impact.title : "", "severity", rows[i].impact.severity,
            "engagements", (json_int_t)rows[i].engagements, "affected", (json_int_t)rows[i].affected_input,
            "covered", rows[i].covered, "covered_text", web_msg(lang, rows[i].covered ? "dd.coverage.yes" : "dd.coverage.no"),
            "last_day", web_dd_date(a, lang, rows[i].last_day)));
    web_mark_ends(arr);
    json_object_set_new(ctx, "rows", arr);
    char sum[160];
    snprintf(sum, sizeof sum, "%zu / %zu", ncov, n);
    json_object_set_new(ctx, "summary", json_string(sum));
    return web_dd_page(req, 200, "dd_coverage", "dd.coverage.title", ctx);
}

/* ---- CSV ---- */

int web_handle_dd_csv(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    const char *file = http_req_param(req, "file");
    char name[40] = "";
    size_t fl = file ? strlen(file) : 0;
    if (fl > 4 && fl < sizeof name && strcmp(file + fl - 4, ".csv") == 0)
        snprintf(name, sizeof name, "%.*s", (int)(fl - 4), file);
    reg_csv_list which;
    if (!*name || reg_csv_list_parse(name, &which) != CORE_OK) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    reg_principal pr;
    web_reg_principal(req, &pr);
    char *text = NULL;
    size_t len = 0;
    int rc = reg_csv(svc, http_req_arena(req), &pr, which, &text, &len);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    char cd[96];
    snprintf(cd, sizeof cd, "attachment; filename=\"%s.csv\"", name);
    http_res_header(req, "Content-Disposition", cd);
    http_res_header(req, "Cache-Control", "no-store");
    http_res_body(req, 200, "text/csv; charset=utf-8", text ? text : "", text ? len : 0);
    return CORE_OK;
}
