/* web_as_portfolio: the investor portfolio page (/assess/portfolio): the
 * companies held with their latest score (linked to the scorecard), salient
 * human rights risks and engagement notes, and a form to add or update a
 * holding (risks one per line). Storage and rules: asm_wf_portfolio.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "web/web.h"
#include "web/web_as.h"
#include "web/web_internal.h"

static int page(http_req *req, int status, json_t *ctx)
{
    core_arena *a = http_req_arena(req);
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_holding *h = NULL;
    size_t n = 0;
    store_as_entity *es = NULL;
    size_t ne = 0;
    int rc = asm_wf_portfolio(web_as_store(req), app_ctx_of(req)->reg, a, &ac, &h, &n);
    if (rc == CORE_OK)
        rc = asm_wf_entity_list(web_as_store(req), a, &ac, "company", &es, &ne);
    if (rc != CORE_OK) {
        json_decref(ctx);
        return web_as_fail(req, rc);
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *risks = json_array();
        for (size_t r = 0; r < h[i].n_risks; r++)
            json_array_append_new(risks, json_string(h[i].risks[r]));
        json_array_append_new(rows, json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:o, s:s?, s:b}", "name", h[i].entity.name,
                                              "score", h[i].has_score ? web_as_score(req, 1, h[i].total) : NULL,
                                              "href", h[i].has_score ? core_arena_printf(a, "/assess/scorecards/%lld", (long long)h[i].latest.id) : NULL,
                                              "methodology", h[i].methodology, "period", h[i].has_score ? h[i].latest.period : NULL,
                                              "risks", risks, "notes", h[i].notes, "from_register",
                                              h[i].risks_from_register));
    }
    web_mark_ends(rows);
    json_object_set_new(ctx, "holdings", rows);
    json_t *opts = json_array();
    int64_t sel = 0;
    const char *sv = json_string_value(json_object_get(json_object_get(ctx, "form"), "entity"));
    if (sv)
        core_parse_int64(sv, &sel);
    for (size_t i = 0; i < ne; i++)
        json_array_append_new(opts, json_pack("{s:I, s:s?, s:b}", "value", (json_int_t)es[i].id, "label", es[i].name,
                                              "selected", es[i].id == sel));
    json_object_set_new(ctx, "entity_opts", opts);
    json_object_set_new(ctx, "can_edit", json_boolean(core_authz_allows(ac.role, CORE_PERM_ASSESS_EDIT)));
    return web_page(req, status, "as_portfolio", "as.title.portfolio", ctx);
}

int web_handle_as_portfolio(http_req *req)
{
    return page(req, 200, NULL);
}

int web_handle_as_holding(http_req *req)
{
    core_arena *a = http_req_arena(req);
    int64_t eid = 0;
    if (core_parse_int64(web_form(req, "entity"), &eid) != CORE_OK)
        eid = 0;
    /* risks: one per non-empty line */
    const char *text = web_form(req, "risks");
    size_t cap = 1;
    for (const char *p = text; *p; p++)
        cap += *p == '\n';
    const char **risks = core_arena_alloc(a, (cap + 1) * sizeof *risks);
    size_t n = 0;
    char *copy = core_arena_strdup(a, text);
    char *save = NULL;
    for (char *t = copy ? strtok_r(copy, "\r\n", &save) : NULL; risks && t; t = strtok_r(NULL, "\r\n", &save)) {
        while (*t == ' ' || *t == '\t')
            t++;
        if (*t)
            risks[n++] = t;
    }
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int rc = risks ? asm_wf_holding_put(web_as_store(req), a, &ac, eid, risks, n, web_form(req, "notes"), &err) : CORE_NOMEM;
    if (rc == CORE_INVALID || rc == CORE_NOTFOUND) {
        json_t *ctx = web_ctx(req);
        json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s}", "entity", web_form(req, "entity"), "risks", text,
                                                   "notes", web_form(req, "notes")));
        web_add_error(req, ctx, strncmp(err.field, "/entity", 7) == 0 ? "entity" : "risks",
                      err.key ? err.key : "as.err.required");
        return page(req, rc == CORE_NOTFOUND ? 404 : 400, ctx);
    }
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    web_redirect(req, "/assess/portfolio?notice=as_holding");
    return CORE_OK;
}
