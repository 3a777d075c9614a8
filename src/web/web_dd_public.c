/* web_dd_public: the register's published pages, for anyone (no account):
 * /orgs/{org}/human-rights-policy (the current approved policy commitment
 * and the history of approved versions), /orgs/{org}/human-rights-report
 * (the company report: policy, salient issues and how each is managed,
 * tracking with trend charts, remedy: the grievance mechanism and its public
 * figures) and /orgs/{org}/products/{slug}/human-rights (the impact
 * assessment summary of one product or service). The service returns only
 * approved content, without staff names, contact notes, stakeholder names
 * or case references; these pages show nothing else.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "register/register.h"
#include "remedy/remedy.h"
#include "web/web.h"
#include "web/web_dd.h"

/* The organisation of the path, or 0 after sending the 404/503 page. */
static int64_t path_org(http_req *req, store_org *org)
{
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK) {
        web_error_page(req, 503, "error.busy");
        return 0;
    }
    const char *slug = http_req_param(req, "org");
    int rc = slug ? store_org_get_by_slug(c, http_req_arena(req), slug, org) : CORE_NOTFOUND;
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return 0;
    }
    return org->id;
}

static json_t *policy_json(http_req *req, const store_dd_policy *p)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    return json_pack("{s:I, s:s, s:s, s:s, s:s, s:b, s:b, s:b}", "version", (json_int_t)p->version,
                     "title", p->title ? p->title : "", "body", p->body_md ? p->body_md : "",
                     "approved", web_dd_date(a, lang, p->approved_at > 0 ? p->approved_at / 86400 : -1),
                     "scope_rights", p->scope_rights && *p->scope_rights ? p->scope_rights : web_msg(lang, "dd.policy.all_rights"),
                     "own_operations", p->own_operations, "business_partners", p->business_partners, "end_use", p->end_use);
}

static json_t *issues_json(http_req *req, const reg_public_issue *is, size_t n)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const reg_public_issue *x = &is[i];
        json_t *resp = json_array();
        for (size_t k = 0; k < x->nresponses; k++)
            json_array_append_new(resp, json_string(web_dd_label(lang, "response", x->responses[k])));
        json_t *rights = json_array();
        for (const char *p = x->rights ? x->rights : ""; *p;) {
            while (*p == ' ')
                p++;
            size_t l = strcspn(p, " ");
            if (!l)
                break;
            char rid[64];
            snprintf(rid, sizeof rid, "%.*s", (int)(l < 63 ? l : 63), p);
            const dd_right *r = dd_right_find(rid);
            json_array_append_new(rights, json_string(r ? r->label : rid));
            p += l;
        }
        json_t *acts = json_array();
        for (size_t k = 0; k < x->nactions; k++)
            json_array_append_new(acts, json_pack("{s:s, s:s, s:s, s:s, s:s}", "title", x->actions[k].title ? x->actions[k].title : "",
                "kind", web_dd_label(lang, "action_kind", x->actions[k].kind),
                "function", web_dd_label(lang, "function", x->actions[k].function),
                "status", web_dd_label(lang, "action_status", x->actions[k].status), "due", web_dd_date(a, lang, x->actions[k].due_day)));
        json_t *inds = json_array();
        for (size_t k = 0; k < x->nindicators; k++) {
            const reg_public_indicator *d = &x->indicators[k];
            web_trend_point *pts = d->npoints ? core_arena_alloc(a, d->npoints * sizeof *pts) : NULL;
            for (size_t j = 0; pts && j < d->npoints; j++) {
                pts[j].day = d->points[j].day;
                pts[j].value = d->points[j].value;
            }
            char id[48], title[400], target[200];
            snprintf(id, sizeof id, "pub-%zu-%zu", i + 1, k + 1);
            snprintf(title, sizeof title, "%s (%s)", d->name ? d->name : "", d->unit ? d->unit : "");
            snprintf(target, sizeof target, "%s %s %s", web_dd_label(lang, "direction", d->direction),
                     web_fmt_num(a, lang, d->target), d->unit ? d->unit : "");
            core_buf b;
            core_buf_init(&b);
            const char *svg = "";
            if (web_svg_trend(&b, id, title, web_msg(lang, "dd.indicator.chart_desc"), pts, pts ? d->npoints : 0, 1,
                              d->target, web_msg(lang, "dd.indicator.target"), lang) == CORE_OK)
                svg = core_arena_strdup(a, core_buf_cstr(&b));
            core_buf_cleanup(&b);
            const char *track = dd_track_name(d->track);
            json_array_append_new(inds, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}", "name", d->name ? d->name : "",
                "target_text", target, "track", web_dd_label(lang, "track", track), "track_name", track, "svg", svg,
                "trend", web_dd_label(lang, "trend", dd_trend_name(d->trend))));
        }
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:o, s:o, s:i, s:i, s:s, s:o, s:o, s:I}",
            "rank", (json_int_t)x->rank, "title", x->title ? x->title : "", "description", x->description ? x->description : "",
            "status", web_dd_label(lang, "status", x->status), "affected", x->affected_groups ? x->affected_groups : "",
            "countries", x->countries ? x->countries : "", "involvement", web_dd_label(lang, "involvement", x->involvement),
            "responses", resp, "rights", rights, "severity", x->severity, "likelihood", x->likelihood,
            "scope", x->scope_name ? x->scope_name : "", "actions", acts, "indicators", inds,
            "grievances", (json_int_t)x->ngrievances));
    }
    return arr;
}

int web_handle_dd_public_policy(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    store_org org;
    if (!path_org(req, &org))
        return CORE_OK;
    reg_policy_public pp;
    int rc = reg_policy_public_get(svc, http_req_arena(req), org.id, &pp);
    if (rc != CORE_OK && rc != CORE_NOTFOUND) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "org_name", json_string(org.name ? org.name : ""));
    json_object_set_new(ctx, "org_slug", json_string(org.slug ? org.slug : ""));
    if (rc == CORE_OK) {
        json_object_set_new(ctx, "policy", policy_json(req, &pp.current));
        json_t *h = json_array();
        for (size_t i = 0; i < pp.nhistory; i++)
            json_array_append_new(h, policy_json(req, &pp.history[i]));
        json_object_set_new(ctx, "history", h);
    }
    return web_page(req, rc == CORE_OK ? 200 : 404, "dd_public_policy", "dd.public.policy_title", ctx);
}

int web_handle_dd_public_report(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    store_org org;
    if (!path_org(req, &org))
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    reg_company_report r;
    int rc = reg_company_report_get(svc, a, org.id, &r);
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "org_name", json_string(org.name ? org.name : ""));
    json_object_set_new(ctx, "org_slug", json_string(org.slug ? org.slug : ""));
    if (r.has_policy)
        json_object_set_new(ctx, "policy", policy_json(req, &r.policy));
    json_object_set_new(ctx, "issues", issues_json(req, r.issues, r.nissues));
    json_t *ps = json_array();
    for (size_t i = 0; i < r.nproducts; i++)
        json_array_append_new(ps, json_pack("{s:s, s:s}", "slug", r.products[i], "name",
                                            r.product_names && r.product_names[i] ? r.product_names[i] : r.products[i]));
    json_object_set_new(ctx, "products", ps);
    json_object_set_new(ctx, "nengagements", json_integer((json_int_t)r.nengagements));
    json_object_set_new(ctx, "nsouth", json_integer((json_int_t)r.nstakeholders_global_south));
    json_object_set_new(ctx, "generated", json_string(web_dd_date(a, web_lang(req), r.generated_day)));
    app_ctx *ac = app_ctx_of(req);
    json_t *st = NULL;
    if (ac && ac->remedy && rmd_stats_public(ac->remedy, a, org.id, 0, 0, &st) == CORE_OK && json_is_object(st))
        json_object_set_new(ctx, "stats", web_gstats_facts(req, st));
    json_decref(st);
    return web_page(req, 200, "dd_public_report", "dd.public.report_title", ctx);
}

int web_handle_dd_public_product(http_req *req)
{
    reg_service *svc = web_reg(req);
    if (!svc)
        return CORE_OK;
    store_org org;
    if (!path_org(req, &org))
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    reg_product_summary s;
    const char *slug = http_req_param(req, "slug");
    int rc = slug ? reg_product_summary_get(svc, a, org.id, slug, &s) : CORE_NOTFOUND;
    if (rc != CORE_OK) {
        web_dd_error(req, rc);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "org_name", json_string(org.name ? org.name : ""));
    json_object_set_new(ctx, "org_slug", json_string(org.slug ? org.slug : ""));
    json_object_set_new(ctx, "product", json_pack("{s:s, s:s, s:s, s:s, s:s}", "name", s.name ? s.name : "",
        "kind", web_dd_label(lang, "scope_kind", s.kind), "description", s.description ? s.description : "",
        "phase", web_dd_label(lang, "phase", s.phase), "countries", s.countries ? s.countries : ""));
    json_t *as = json_array();
    for (size_t i = 0; i < s.nassessments; i++)
        json_array_append_new(as, json_pack("{s:s, s:s, s:s, s:s}", "kind", web_dd_label(lang, "assess_kind", s.assessments[i].kind),
            "trigger", web_dd_label(lang, "trigger", s.assessments[i].trigger),
            "completed", web_dd_date(a, lang, s.assessments[i].completed_day), "summary",
            s.assessments[i].summary ? s.assessments[i].summary : ""));
    json_object_set_new(ctx, "assessments", as);
    json_object_set_new(ctx, "issues", issues_json(req, s.issues, s.nissues));
    return web_page(req, 200, "dd_public_product", "dd.public.product_title", ctx);
}
