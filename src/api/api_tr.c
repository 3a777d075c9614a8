/* api_tr: transparency endpoints (issue 5).
 * Public, per organisation (no account; nothing in them identifies anyone):
 *   GET /api/v1/transparency/{org}             the JSON report (?from=&to=)
 *   GET /api/v1/transparency/{org}/dsa/{part}  Annex I part 1-11 as CSV ("all": every part)
 *   GET /api/v1/transparency/{org}/requests    government requests report
 * Staff:
 *   GET  /api/v1/transparency/{org}/ingests    ingest runs (TR_READ)
 *   POST /api/v1/transparency/{org}/requests   import government requests
 *        (TR_MANAGE; JSON {"requests": [...]} or text/csv in the format of
 *        report.h); a bad line is a 422 problem whose field points at it
 *        ("/requests/3/country"; for CSV "/country" with the line in detail).
 * Reports are computed from the stored aggregates, never from raw rows; the
 * grievance figures are the mechanism's published ones (k = 5).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "api/api_internal.h"
#include "api/api_tr.h"
#include "remedy/remedy.h"
#include "report/report.h"

static int period(http_req *req, const char **from, const char **to)
{
    *from = http_req_query(req, "from");
    *to = http_req_query(req, "to");
    if (*from && !**from)
        *from = NULL;
    if (*to && !**to)
        *to = NULL;
    if (*from && !rpt_day_valid(*from)) {
        http_res_problem(req, 400, "Bad query", "from must be a date YYYY-MM-DD", "from");
        return CORE_INVALID;
    }
    if (*to && !rpt_day_valid(*to)) {
        http_res_problem(req, 400, "Bad query", "to must be a date YYYY-MM-DD", "to");
        return CORE_INVALID;
    }
    if (*from && *to && strcmp(*from, *to) > 0) {
        http_res_problem(req, 400, "Bad query", "from must not be after to", "from");
        return CORE_INVALID;
    }
    return CORE_OK;
}

/* Loads the report data of the route's org; 0 on success (else answered). */
static int load(http_req *req, rpt_data *d, json_t **gs)
{
    const app_principal *p = app_principal_of(req);
    const char *from, *to;
    *gs = NULL;
    if (period(req, &from, &to) != CORE_OK)
        return -1;
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return -1;
    }
    store_org org = {.id = p->org_id, .slug = p->org_slug, .name = p->org_name};
    rc = rpt_load(c, http_req_arena(req), &org, from, to, NULL, d);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return -1;
    }
    app_ctx *ctx = app_ctx_of(req);
    if (ctx->remedy) {
        int64_t t0 = rpt_day_epoch(d->from), t1 = rpt_day_epoch(d->to);
        if (rmd_stats_public(ctx->remedy, http_req_arena(req), p->org_id, t0,
                             t1 ? t1 + 86400 : 0, gs) == CORE_OK)
            d->grievances = *gs;
    }
    return 0;
}

int api_tr_report(http_req *req)
{
    rpt_data d;
    json_t *gs;
    if (load(req, &d, &gs))
        return CORE_OK;
    json_t *j = rpt_json(&d);
    json_decref(gs);
    api_reply(req, 200, j);
    return CORE_OK;
}

int api_tr_dsa(http_req *req)
{
    const char *ps = http_req_param(req, "part");
    int64_t part = 0;
    if (strcmp(ps, "all") &&
        (core_parse_int64(ps, &part) != CORE_OK || part < 1 || part > RPT_DSA_PARTS)) {
        api_not_found(req);
        return CORE_OK;
    }
    rpt_data d;
    json_t *gs;
    if (load(req, &d, &gs))
        return CORE_OK;
    core_buf b;
    core_buf_init(&b);
    int rc = rpt_dsa_csv(&d, (int)part, &b);
    json_decref(gs);
    if (rc != CORE_OK) {
        core_buf_cleanup(&b);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s-dsa-%s-%s.csv\"",
             app_principal_of(req)->org_slug, part ? rpt_dsa_part_name((int)part) : "all", d.to);
    http_res_header(req, "Content-Disposition", disp);
    http_res_body(req, 200, "text/csv; charset=utf-8", b.data, b.len);
    core_buf_cleanup(&b);
    return CORE_OK;
}

int api_tr_requests_get(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    const char *from, *to;
    if (period(req, &from, &to) != CORE_OK)
        return CORE_OK;
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    store_tr_gov *g = NULL;
    size_t n = 0;
    rc = store_tr_gov_list(c, http_req_arena(req), p->org_id, from, to, &g, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    api_reply(req, 200, rpt_gov_json(g, n));
    return CORE_OK;
}

int api_tr_requests_import(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    size_t len = 0;
    const char *body = http_req_body(req, &len);
    const char *ct = http_req_header(req, "Content-Type");
    int csv = ct && !strncmp(ct, "text/csv", 8);
    if (!csv && (!ct || strncmp(ct, "application/json", 16))) {
        http_res_problem(req, 415, "Unsupported Media Type",
                         "send application/json or text/csv", NULL);
        return CORE_OK;
    }
    size_t i = 0;
    while (i < len && (body[i] == ' ' || body[i] == '\n' || body[i] == '\r' || body[i] == '\t'))
        i++;
    if (csv && i < len && (body[i] == '{' || body[i] == '[')) {
        http_res_problem(req, 400, "Bad request", "the body is JSON, not CSV", NULL);
        return CORE_OK;
    }
    if (!csv && i < len && body[i] != '{' && body[i] != '[') {
        http_res_problem(req, 400, "Bad request", "the body is not JSON", NULL);
        return CORE_OK;
    }
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    size_t stored = 0;
    rpt_gov_error e;
    rc = rpt_gov_import(c, p->org_id, body ? body : "", len, &stored, &e);
    if (rc == CORE_OK) {
        json_t *d = json_pack("{s:I}", "lines", (json_int_t)stored);
        rc = app_audit(req, c, p->org_id, "gov_requests", NULL, "import", NULL, d);
        json_decref(d);
    }
    app_conn_release(req, c);
    if (rc == CORE_INVALID) {
        char field[96], detail[256];
        if (!csv && e.line && e.field[0])
            snprintf(field, sizeof field, "/requests/%zu/%s", e.line - 1, e.field);
        else if (!csv && e.line)
            snprintf(field, sizeof field, "/requests/%zu", e.line - 1);
        else if (e.field[0])
            snprintf(field, sizeof field, "/%s", e.field);
        else
            snprintf(field, sizeof field, "/requests");
        if (e.line)
            snprintf(detail, sizeof detail, "line %zu: %s %s", e.line,
                     e.field[0] ? e.field : "", e.reason);
        else
            snprintf(detail, sizeof detail, "%s%s%s", e.field, e.field[0] ? " " : "", e.reason);
        api_problem_ext(req, 422, "Invalid field", detail, field,
                        json_pack("{s:I}", "line", (json_int_t)e.line));
        return CORE_OK;
    }
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    api_reply(req, 200, json_pack("{s:I}", "imported", (json_int_t)stored));
    return CORE_OK;
}

int api_tr_ingests(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    store_tr_ingest *v = NULL;
    size_t n = 0;
    rc = store_tr_ingest_list(c, http_req_arena(req), p->org_id, 50, &v, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack(
            "{s:I, s:s, s:o, s:o, s:I, s:I, s:I, s:I, s:s}", "id", (json_int_t)v[i].id, "source",
            v[i].source, "started_at", api_time_json(v[i].started_at), "finished_at",
            api_time_json(v[i].finished_at), "rows_read", (json_int_t)v[i].rows_read, "rows_new",
            (json_int_t)v[i].rows_new, "rows_duplicate", (json_int_t)v[i].rows_duplicate,
            "rows_rejected", (json_int_t)v[i].rows_rejected, "status", v[i].status));
    api_reply(req, 200, json_pack("{s:o}", "ingests", arr));
    return CORE_OK;
}
