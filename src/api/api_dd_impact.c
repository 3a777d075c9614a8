/* api_dd_impact: impacts on human rights under /api/v1/orgs/{org}/impacts
 * (actual or potential, rights from the catalogue, involvement and the
 * response it implies, salience ratings with severity before likelihood),
 * the grievance link (a case of the organisation; a potential impact
 * becomes possibly_actual and a reassessment is queued once), tracking,
 * and the register's views: the prioritised salient issues, the heat map
 * (severity band x likelihood) and the coverage of affected groups' input.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_dd.h"

static const char *const impact_members[] = {
    "scope_id", "title", "description", "status", "rights", "affected_groups", "vulnerable_groups",
    "countries", "involvement", "business_model", "scale", "scope", "irremediable", "likelihood",
    "competing_rights", "evidence", NULL};

/* Overlays the body on i (absent members keep their value). */
static int read_impact(http_req *req, json_t *body, int create, store_dd_impact *i)
{
    const char *title = NULL, *desc = NULL, *status = NULL, *rights = NULL, *affected = NULL;
    const char *vulnerable = NULL, *countries = NULL, *involvement = NULL, *competing = NULL;
    const char *evidence = NULL;
    if (api_get_string(req, body, "title", create, 1, REG_MAX_LINE, &title) != CORE_OK ||
        api_get_text(req, body, "description", API_OPTIONAL, REG_MAX_TEXT, &desc) != CORE_OK ||
        api_get_string(req, body, "status", create, 1, 32, &status) != CORE_OK ||
        api_dd_tokens(req, body, "rights", create, 100, &rights) != CORE_OK ||
        api_get_text(req, body, "affected_groups", API_OPTIONAL, REG_MAX_TEXT, &affected) != CORE_OK ||
        api_get_text(req, body, "vulnerable_groups", API_OPTIONAL, REG_MAX_TEXT, &vulnerable) != CORE_OK ||
        api_dd_tokens(req, body, "countries", 0, 250, &countries) != CORE_OK ||
        api_get_string(req, body, "involvement", create, 1, 32, &involvement) != CORE_OK ||
        api_get_text(req, body, "competing_rights", API_OPTIONAL, REG_MAX_TEXT, &competing) != CORE_OK ||
        api_dd_tokens(req, body, "evidence", 0, 20, &evidence) != CORE_OK)
        return CORE_INVALID;
#define KEEP(f, v)                                                   \
    do {                                                             \
        if ((v) || json_is_null(json_object_get(body, #f)))          \
            i->f = (v);                                              \
    } while (0)
    if (title)
        i->title = title;
    KEEP(description, desc);
    if (status)
        i->status = status;
    if (rights)
        i->rights = rights;
    KEEP(affected_groups, affected);
    KEEP(vulnerable_groups, vulnerable);
    if (countries)
        i->countries = countries;
    else if (create)
        i->countries = "";
    if (involvement)
        i->involvement = involvement;
    KEEP(competing_rights, competing);
    if (evidence)
        i->evidence = evidence;
    else if (create)
        i->evidence = "";
#undef KEEP
    int present = 0, b = 0;
    if (api_get_bool(req, body, "business_model", &present, &b) != CORE_OK)
        return CORE_INVALID;
    if (present)
        i->business_model = b;
    int64_t id = 0;
    if (api_get_int(req, body, "scope_id", 1, INT64_MAX, &present, &id) != CORE_OK)
        return CORE_INVALID;
    if (present)
        i->scope_id = id;
    else if (create) {
        api_problem_member(req, 422, "Invalid field", "\"scope_id\" is required: the scope object the impact "
                           "arises from.", "scope_id");
        return CORE_INVALID;
    }
    /* Ratings: integers; the range (1-5, likelihood 0 when actual) is the
     * service's rule, so a 7 gets its 422 from there naming the field. */
    static const char *const ratings[] = {"scale", "scope", "irremediable", "likelihood"};
    int *dst[] = {&i->scale, &i->scope, &i->irremediable, &i->likelihood};
    for (size_t k = 0; k < 4; k++) {
        int64_t v = 0;
        if (api_get_int(req, body, ratings[k], -1000, 1000, &present, &v) != CORE_OK)
            return CORE_INVALID;
        if (present)
            *dst[k] = (int)v;
        else if (create && k < 3) {
            api_problem_member(req, 422, "Invalid field",
                               core_arena_printf(http_req_arena(req), "\"%s\" is required (1-5).", ratings[k]),
                               ratings[k]);
            return CORE_INVALID;
        }
    }
    return CORE_OK;
}

static int reply_impact(http_req *req, api_dd_ctx *d, int64_t id, int status)
{
    reg_impact_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_impact_get(d->svc, d->a, &d->pr, id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *o = api_dd_impact_json(&v);
    if (o && status != 201) {
        /* the impact page's neighbours: actions and linked grievances */
        store_dd_action *xs = NULL;
        size_t n = 0;
        json_t *acts = json_array();
        if (acts && reg_action_list(d->svc, d->a, &d->pr, id, &xs, &n) == CORE_OK)
            for (size_t k = 0; k < n; k++)
                json_array_append_new(acts, api_dd_action_json(&xs[k]));
        reg_link_view *ls = NULL;
        size_t nl = 0;
        json_t *links = json_array();
        if (links && reg_link_list(d->svc, d->a, &d->pr, id, 0, &ls, &nl) == CORE_OK)
            for (size_t k = 0; k < nl; k++)
                json_array_append_new(links, api_dd_link_json(&ls[k]));
        json_object_set_new(o, "action_list", acts ? acts : json_array());
        json_object_set_new(o, "grievance_links", links ? links : json_array());
    }
    if (status == 201) {
        const app_principal *p = app_principal_of(req);
        api_location(req, "/api/v1/orgs/%s/impacts/%lld", p->org_slug ? p->org_slug : "", (long long)id);
    }
    api_reply(req, status, o);
    return CORE_OK;
}

int api_dd_impacts_list(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    int64_t scope_id;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK ||
        api_dd_query_id(req, "scope_id", &scope_id) != CORE_OK)
        return CORE_OK;
    reg_sort sort = REG_SORT_ID;
    const char *s = http_req_query(req, "sort");
    if (s && strcmp(s, "salience") == 0)
        sort = REG_SORT_SALIENCE;
    else if (s && strcmp(s, "id") != 0) {
        http_res_problem(req, 400, "Invalid query parameter", "\"sort\" must be salience or id.", "sort");
        return CORE_OK;
    }
    const char *status = http_req_query(req, "status");
    dd_status st;
    if (status && dd_status_parse(status, &st) != CORE_OK) {
        http_res_problem(req, 400, "Invalid query parameter",
                         "\"status\" must be potential, possibly_actual or actual.", "status");
        return CORE_OK;
    }
    reg_impact_view *vs = NULL;
    int rc = reg_impact_list(d.svc, d.a, &d.pr, scope_id, sort, &vs, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (!status || (vs[i].impact.status && strcmp(vs[i].impact.status, status) == 0))
            vs[m++] = vs[i];
    api_dd_page(req, m, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++)
        json_array_append_new(items, api_dd_impact_json(&vs[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_impacts_create(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || !(body = api_body(req, impact_members)))
        return CORE_OK;
    store_dd_impact i;
    memset(&i, 0, sizeof i);
    i.org_id = d.pr.org_id;
    if (read_impact(req, body, 1, &i) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_impact_create(d.svc, d.a, &d.pr, &i, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_impact(req, &d, i.id, 201);
}

int api_dd_impact_get(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    return reply_impact(req, &d, d.id, 200);
}

int api_dd_impact_patch(http_req *req)
{
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK || !(body = api_body(req, impact_members)))
        return CORE_OK;
    reg_impact_view v;
    memset(&v, 0, sizeof v);
    int rc = reg_impact_get(d.svc, d.a, &d.pr, d.id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    if (read_impact(req, body, 0, &v.impact) != CORE_OK)
        return CORE_OK;
    reg_error err;
    memset(&err, 0, sizeof err);
    rc = reg_impact_update(d.svc, d.a, &d.pr, &v.impact, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    return reply_impact(req, &d, d.id, 200);
}

int api_dd_impact_link(http_req *req)
{
    static const char *const allowed[] = {"case_id", "reference", NULL};
    api_dd_ctx d;
    json_t *body;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    reg_impact_view v;       /* the impact first: another organisation's id is a 404 */
    memset(&v, 0, sizeof v);
    int grc = reg_impact_get(d.svc, d.a, &d.pr, d.id, &v);
    if (grc != CORE_OK)
        return api_reg_fail(req, grc, NULL);
    if (!(body = api_body(req, allowed)))
        return CORE_OK;
    int present = 0;
    int64_t case_id = 0;
    const char *ref = NULL;
    if (api_get_int(req, body, "case_id", 1, INT64_MAX, &present, &case_id) != CORE_OK ||
        api_get_string(req, body, "reference", API_OPTIONAL, 1, 32, &ref) != CORE_OK)
        return CORE_OK;
    if (!present && ref) {
        /* a case by its public reference (what staff see on the case page) */
        store_conn *c = NULL;
        int rc = app_conn(req, &c);
        if (rc != CORE_OK)
            return api_fail(req, NULL, rc, NULL);
        store_grievance g;
        rc = store_grievance_get_by_reference(c, d.a, d.pr.org_id, ref, &g);
        app_conn_release(req, c);
        if (rc == CORE_NOTFOUND) {
            api_problem_member(req, 422, "Invalid field", "No case with this reference in the organisation.",
                               "reference");
            return CORE_OK;
        }
        if (rc != CORE_OK)
            return api_fail(req, NULL, rc, NULL);
        case_id = g.id;
        present = 1;
    }
    if (!present) {
        api_problem_member(req, 422, "Invalid field", "\"case_id\" (or \"reference\") is required.", "case_id");
        return CORE_OK;
    }
    reg_link_result r;
    memset(&r, 0, sizeof r);
    reg_error err;
    memset(&err, 0, sizeof err);
    int rc = reg_impact_link_grievance(d.svc, d.a, &d.pr, d.id, case_id, &r, &err);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, &err);
    json_t *o = json_pack("{s:I, s:I, s:s, s:s, s:o, s:b}",
        "impact_id", (json_int_t)d.id,
        "case_id", (json_int_t)case_id,
        "old_status", dd_status_name(r.old_status),
        "status", dd_status_name(r.new_status),
        "reassessment_id", r.reassessment_id > 0 ? json_integer(r.reassessment_id) : json_null(),
        "reassessment_queued", r.queued ? 1 : 0);
    const app_principal *p = app_principal_of(req);
    api_location(req, "/api/v1/orgs/%s/impacts/%lld/grievances", p->org_slug ? p->org_slug : "",
                 (long long)d.id);
    api_reply(req, 201, o);
    return CORE_OK;
}

int api_dd_impact_links(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    reg_impact_view v;
    int rc = reg_impact_get(d.svc, d.a, &d.pr, d.id, &v);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    reg_link_view *ls = NULL;
    size_t n = 0;
    rc = reg_link_list(d.svc, d.a, &d.pr, d.id, 0, &ls, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++)
        json_array_append_new(items, api_dd_link_json(&ls[i]));
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_impact_tracking(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, "id") != CORE_OK)
        return CORE_OK;
    reg_tracking t;
    memset(&t, 0, sizeof t);
    int rc = reg_tracking_get(d.svc, d.a, &d.pr, d.id, &t);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *ind = json_array(), *months = json_array(), *fb = json_array();
    for (size_t i = 0; ind && i < t.nindicators; i++)
        json_array_append_new(ind, api_dd_indicator_json(&t.indicators[i], 1));
    for (size_t i = 0; months && i < t.nmonths; i++) {
        char ym[16];
        snprintf(ym, sizeof ym, "%04d-%02d", t.grievances[i].year, t.grievances[i].month);
        json_array_append_new(months, json_pack("{s:s, s:I}", "month", ym, "count",
                                                (json_int_t)t.grievances[i].count));
    }
    for (size_t i = 0; fb && i < t.nfeedback; i++) {
        json_t *e = api_dd_engagement_json(&t.feedback[i]);
        if (e)
            json_object_set_new(e, "stakeholder_name",
                                t.feedback_stakeholders && t.feedback_stakeholders[i]
                                    ? json_string(t.feedback_stakeholders[i]) : json_null());
        json_array_append_new(fb, e);
    }
    json_t *o = ind && months && fb
        ? json_pack("{s:I, s:o, s:o, s:I, s:o}", "impact_id", (json_int_t)d.id, "indicators", ind,
                    "grievances_per_month", months, "grievances", (json_int_t)t.ngrievances,
                    "feedback", fb)
        : NULL;
    if (!o) {
        json_decref(ind);
        json_decref(months);
        json_decref(fb);
    }
    api_reply(req, 200, o);
    return CORE_OK;
}

/* ---- register views ---- */

int api_dd_salient(http_req *req)
{
    api_dd_ctx d;
    size_t from, to, n = 0;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_page(req, 0, &from, &to) != CORE_OK)
        return CORE_OK;
    reg_impact_view *vs = NULL;
    int rc = reg_impact_list(d.svc, d.a, &d.pr, 0, REG_SORT_SALIENCE, &vs, &n);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    api_dd_page(req, n, &from, &to);
    json_t *items = json_array();
    for (size_t i = from; items && i < to; i++) {
        const reg_impact_view *v = &vs[i];
        const char *names[5];
        size_t nr = dd_response_names(v->response, names);
        json_t *resp = json_array();
        for (size_t k = 0; resp && k < nr; k++)
            json_array_append_new(resp, json_string(names[k]));
        json_array_append_new(items, json_pack(
            "{s:I, s:I, s:s?, s:s?, s:o, s:s?, s:i, s:i, s:i, s:o, s:I, s:I, s:o}",
            "rank", (json_int_t)v->rank,
            "impact_id", (json_int_t)v->impact.id,
            "title", v->impact.title,
            "status", v->impact.status,
            "rights", api_dd_tokens_json(v->impact.rights),
            "involvement", v->impact.involvement,
            "severity", v->severity,
            "likelihood", v->likelihood,
            "band", v->band,
            "responses", resp ? resp : json_array(),
            "actions", (json_int_t)v->nactions,
            "grievances", (json_int_t)v->nlinks,
            "scope_object", json_pack("{s:I, s:s?, s:s?}", "id", (json_int_t)v->impact.scope_id,
                                      "slug", v->scope_slug, "name", v->scope_name)));
    }
    api_reply(req, 200, items ? json_pack("{s:o}", "items", items) : NULL);
    return CORE_OK;
}

int api_dd_heatmap(http_req *req)
{
    api_dd_ctx d;
    int64_t scope_id;
    if (api_dd_begin(req, &d, NULL) != CORE_OK || api_dd_query_id(req, "scope_id", &scope_id) != CORE_OK)
        return CORE_OK;
    reg_heatmap h;
    memset(&h, 0, sizeof h);
    int rc = reg_heatmap_get(d.svc, d.a, &d.pr, scope_id, &h);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *cells = json_array();
    for (int b = 0; cells && b < 5; b++)
        for (int l = 0; l < 5; l++) {
            const reg_heat_cell *c = &h.cells[b][l];
            json_t *ids = json_array();
            for (size_t k = 0; ids && k < c->count; k++)
                json_array_append_new(ids, json_integer(c->impact_ids[k]));
            json_array_append_new(cells, json_pack("{s:i, s:i, s:I, s:o}", "band", b + 1, "likelihood", l + 1,
                                                   "count", (json_int_t)c->count,
                                                   "impact_ids", ids ? ids : json_array()));
        }
    api_reply(req, 200, cells ? json_pack("{s:I, s:I, s:o}", "total", (json_int_t)h.total, "max_count",
                                          (json_int_t)h.max_count, "cells", cells) : NULL);
    return CORE_OK;
}

int api_dd_coverage(http_req *req)
{
    api_dd_ctx d;
    if (api_dd_begin(req, &d, NULL) != CORE_OK)
        return CORE_OK;
    reg_coverage_row *rows = NULL;
    size_t n = 0, covered = 0;
    int rc = reg_coverage_get(d.svc, d.a, &d.pr, &rows, &n, &covered);
    if (rc != CORE_OK)
        return api_reg_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; items && i < n; i++) {
        const reg_coverage_row *r = &rows[i];
        json_array_append_new(items, json_pack("{s:I, s:I, s:s?, s:i, s:I, s:I, s:b, s:o}",
            "rank", (json_int_t)r->impact.rank,
            "impact_id", (json_int_t)r->impact.impact.id,
            "title", r->impact.impact.title,
            "severity", r->impact.severity,
            "engagements", (json_int_t)r->engagements,
            "affected_input", (json_int_t)r->affected_input,
            "covered", r->covered ? 1 : 0,
            "last_day", api_dd_day_json(r->last_day)));
    }
    api_reply(req, 200, items ? json_pack("{s:I, s:I, s:o}", "impacts", (json_int_t)n, "covered",
                                          (json_int_t)covered, "items", items) : NULL);
    return CORE_OK;
}
