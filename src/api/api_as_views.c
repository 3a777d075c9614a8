/* api_as_views: the assessment engine's outputs over the API (issue 6):
 * scorecards (JSON and CSV, unrounded scores with their half-up rounded
 * form), element-level changes since the previous assessment, ranking tables,
 * two entities compared, the UNGP 31 evidence computed from the grievance
 * data, the investor portfolio, and the public scorecards (final assessments
 * only, without staff identities or researcher notes).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_as.h"
#include "api/api_internal.h"
#include "assess/assess.h"

static void reply_csv(http_req *req, core_buf *b, const char *filename)
{
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
    http_res_header(req, "Content-Disposition", disp);
    http_res_body(req, 200, "text/csv; charset=utf-8", b->data ? b->data : "", b->len);
}

static int load_scorecard(http_req *req, const char *param, asm_scorecard *sc)
{
    int64_t id;
    if (api_path_id(req, param, &id) != CORE_OK)
        return CORE_NOTFOUND;
    asm_actor ac;
    api_as_actor(req, &ac);
    int rc = asm_wf_scorecard(api_as_store(req), http_req_arena(req), &ac, ac.org_id, id, 0, sc);
    if (rc != CORE_OK)
        api_as_fail(req, rc, NULL);
    return rc;
}

int api_as_scorecard(http_req *req)
{
    asm_scorecard sc;
    if (load_scorecard(req, "id", &sc) != CORE_OK)
        return CORE_OK;
    api_reply(req, 200, asm_scorecard_json(&sc, 1));
    return CORE_OK;
}

int api_as_scorecard_csv(http_req *req)
{
    asm_scorecard sc;
    if (load_scorecard(req, "id", &sc) != CORE_OK)
        return CORE_OK;
    core_buf b;
    core_buf_init(&b);
    asm_scorecard_csv(&sc, 1, &b);
    reply_csv(req, &b, "scorecard.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

int api_as_changes(http_req *req)
{
    asm_scorecard sc;
    if (load_scorecard(req, "id", &sc) != CORE_OK)
        return CORE_OK;
    asm_change *ch = NULL;
    size_t n = 0;
    int rc = asm_wf_changes(&sc, api_as_store(req), http_req_arena(req), &ch, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s?, s:s?, s:s?}", "element", ch[i].element, "level",
                                               ch[i].level, "before", ch[i].before, "after", ch[i].after, "why",
                                               ch[i].note));
    json_t *prev = sc.has_previous ? json_pack("{s:I, s:s?}", "id", (json_int_t)sc.previous.id, "period",
                                               sc.previous.period)
                                   : json_null();
    api_reply(req, 200, json_pack("{s:o, s:o}", "previous", prev, "items", items));
    return CORE_OK;
}

/* ---- ranking ---- */

static int load_ranking(http_req *req, const asm_methodology **m, asm_rank_row **rows, size_t *n)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_NOTFOUND;
    const char *period = http_req_query(req, "period");
    const char *fo = http_req_query(req, "final");
    asm_actor ac;
    api_as_actor(req, &ac);
    int rc = asm_wf_ranking(api_as_store(req), http_req_arena(req), &ac, ac.org_id, id, period,
                            fo && !strcmp(fo, "1"), m, rows, n);
    if (rc != CORE_OK)
        api_as_fail(req, rc, NULL);
    return rc;
}

int api_as_ranking(http_req *req)
{
    const asm_methodology *m;
    asm_rank_row *rows;
    size_t n;
    if (load_ranking(req, &m, &rows, &n) != CORE_OK)
        return CORE_OK;
    api_reply(req, 200, asm_ranking_json(m, rows, n));
    return CORE_OK;
}

int api_as_ranking_csv(http_req *req)
{
    const asm_methodology *m;
    asm_rank_row *rows;
    size_t n;
    if (load_ranking(req, &m, &rows, &n) != CORE_OK)
        return CORE_OK;
    core_buf b;
    core_buf_init(&b);
    asm_ranking_csv(m, rows, n, &b);
    reply_csv(req, &b, "ranking.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

/* ---- comparison of two assessments (?a=ID&b=ID) ---- */

static int load_pair(http_req *req, asm_scorecard *x, asm_scorecard *y)
{
    int64_t ida, idb;
    if (api_query_int(req, "a", 1, INT64_MAX, 0, &ida) != CORE_OK ||
        api_query_int(req, "b", 1, INT64_MAX, 0, &idb) != CORE_OK)
        return CORE_INVALID;
    if (!ida || !idb) {
        http_res_problem(req, 400, "Invalid query parameter", "\"a\" and \"b\" name two assessments.",
                         ida ? "b" : "a");
        return CORE_INVALID;
    }
    asm_actor ac;
    api_as_actor(req, &ac);
    int rc = asm_wf_scorecard(api_as_store(req), http_req_arena(req), &ac, ac.org_id, ida, 0, x);
    if (rc == CORE_OK)
        rc = asm_wf_scorecard(api_as_store(req), http_req_arena(req), &ac, ac.org_id, idb, 0, y);
    if (rc != CORE_OK)
        api_as_fail(req, rc, NULL);
    return rc;
}

int api_as_compare(http_req *req)
{
    asm_scorecard x, y;
    if (load_pair(req, &x, &y) != CORE_OK)
        return CORE_OK;
    api_reply(req, 200, asm_compare_json(&x, &y));
    return CORE_OK;
}

int api_as_compare_csv(http_req *req)
{
    asm_scorecard x, y;
    if (load_pair(req, &x, &y) != CORE_OK)
        return CORE_OK;
    core_buf b;
    core_buf_init(&b);
    asm_compare_csv(&x, &y, &b);
    reply_csv(req, &b, "comparison.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

/* ---- automatic evidence ---- */

static json_t *auto_json(const asm_auto *au)
{
    json_t *items = json_array();
    for (size_t i = 0; i < au->n; i++)
        json_array_append_new(items, json_pack("{s:s, s:s, s:s, s:s, s:O}", "element", au->items[i].element,
                                               "source", au->items[i].source, "value", au->items[i].value,
                                               "evidence_url", au->items[i].url, "facts", au->items[i].facts));
    return json_pack("{s:o}", "items", items);
}

int api_as_auto_get(http_req *req)
{
    asm_scorecard sc;
    if (load_scorecard(req, "id", &sc) != CORE_OK)
        return CORE_OK;
    rmd_service *rmd = api_rmd(req);
    if (!rmd)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_auto au;
    int rc = asm_auto_evidence(rmd, app_ctx_of(req)->reg, http_req_arena(req), &ac, sc.m, NULL, &au);
    if (rc != CORE_OK) {
        asm_auto_cleanup(&au);
        return api_as_fail(req, rc, NULL);
    }
    json_t *o = auto_json(&au);
    asm_auto_cleanup(&au);
    api_reply(req, 200, o);
    return CORE_OK;
}

int api_as_auto_fill(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    rmd_service *rmd = api_rmd(req);
    if (!rmd)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    size_t filled = 0;
    int rc = asm_wf_auto_fill(api_as_store(req), rmd, app_ctx_of(req)->reg, http_req_arena(req), &ac, id, NULL, &filled);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_reply(req, 200, json_pack("{s:I}", "filled", (json_int_t)filled));
    return CORE_OK;
}

/* ---- portfolio ---- */

int api_as_portfolio(http_req *req)
{
    asm_actor ac;
    api_as_actor(req, &ac);
    asm_holding *h = NULL;
    size_t n = 0;
    int rc = asm_wf_portfolio(api_as_store(req), app_ctx_of(req)->reg, http_req_arena(req), &ac, &h, &n);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    api_reply(req, 200, asm_portfolio_json(h, n));
    return CORE_OK;
}

int api_as_holding_put(http_req *req)
{
    static const char *const allowed[] = {"salient_risks", "engagement_notes", NULL};
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    asm_actor ac;
    api_as_actor(req, &ac);
    store_as_entity ent;                        /* the path names it: 404 before any body check */
    int rc = asm_wf_entity_get(api_as_store(req), http_req_arena(req), &ac, id, &ent);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *body = api_body(req, allowed);
    if (!body)
        return CORE_OK;
    json_t *arr = json_object_get(body, "salient_risks");
    size_t n = json_array_size(arr);
    if (arr && !json_is_array(arr)) {
        api_problem_member(req, 422, "Invalid field", "\"salient_risks\" must be an array of strings.", "salient_risks");
        return CORE_OK;
    }
    const char **risks = core_arena_alloc(http_req_arena(req), (n + 1) * sizeof *risks);
    if (!risks)
        return api_as_fail(req, CORE_NOMEM, NULL);
    for (size_t i = 0; i < n; i++) {
        risks[i] = json_string_value(json_array_get(arr, i));
        if (!risks[i]) {
            char ptr[48];
            snprintf(ptr, sizeof ptr, "/salient_risks/%zu", i);
            http_res_problem(req, 422, "Invalid field", "Each salient risk is a string.", ptr);
            return CORE_OK;
        }
    }
    const char *notes = NULL;
    if (api_get_text(req, body, "engagement_notes", API_OPTIONAL, 20000, &notes) != CORE_OK)
        return CORE_OK;
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    rc = asm_wf_holding_put(api_as_store(req), http_req_arena(req), &ac, id, risks, n, notes, &err);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, &err);
    return api_as_portfolio(req);
}

/* ---- public scorecards (final assessments of every organisation) ---- */

int api_as_public_list(http_req *req)
{
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_OK;
    store_org *orgs = NULL;
    size_t no = 0;
    int rc = store_org_list(c, a, &orgs, &no);
    json_t *items = json_array();
    for (size_t o = 0; rc == CORE_OK && o < no; o++) {
        store_as_assessment *list = NULL;
        size_t n = 0;
        if (store_as_assessment_list(c, a, orgs[o].id, 0, 0, &list, &n) != CORE_OK)
            continue;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(list[i].status, "final") != 0)
                continue;
            store_as_entity e;
            store_as_methodology mr;
            if (store_as_entity_get(c, a, orgs[o].id, list[i].entity_id, &e) != CORE_OK ||
                store_as_methodology_get(c, a, orgs[o].id, list[i].methodology_id, &mr) != CORE_OK)
                continue;
            json_array_append_new(items, json_pack("{s:I, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:o}", "id",
                                                   (json_int_t)list[i].id, "organisation", orgs[o].name, "entity",
                                                   e.name, "kind", e.kind, "methodology", mr.name, "version",
                                                   mr.version, "period", list[i].period, "finalised_at",
                                                   api_time_json(list[i].finalised_at)));
        }
    }
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(items);
        return api_as_fail(req, rc, NULL);
    }
    api_reply(req, 200, json_pack("{s:o}", "items", items));
    return CORE_OK;
}

/* The organisation holding a final assessment id, or 0. */
int64_t api_as_public_org(http_req *req, int64_t id)
{
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (store_acquire(api_as_store(req), &c) != CORE_OK)
        return 0;
    store_org *orgs = NULL;
    size_t no = 0;
    int64_t found = 0;
    if (store_org_list(c, a, &orgs, &no) == CORE_OK)
        for (size_t o = 0; o < no && !found; o++) {
            store_as_assessment s;
            if (store_as_assessment_get(c, a, orgs[o].id, id, &s) == CORE_OK && !strcmp(s.status, "final"))
                found = orgs[o].id;
        }
    store_release(api_as_store(req), c);
    return found;
}

int api_as_public_get(http_req *req)
{
    int64_t id;
    if (api_path_id(req, "id", &id) != CORE_OK)
        return CORE_OK;
    int64_t org = api_as_public_org(req, id);
    if (!org) {
        api_not_found(req);
        return CORE_OK;
    }
    asm_scorecard sc;
    int rc = asm_wf_scorecard(api_as_store(req), http_req_arena(req), NULL, org, id, 1, &sc);
    if (rc != CORE_OK)
        return api_as_fail(req, rc, NULL);
    json_t *o = asm_scorecard_json(&sc, 0);
    json_t *as = json_object_get(o, "assessment");
    json_object_del(as, "reviewed_by");               /* no staff identity in public */
    json_object_del(as, "finalised_by");
    api_reply(req, 200, o);
    return CORE_OK;
}
