/* web_as_score: the outputs of the assessment engine as pages: the
 * scorecard of one assessment (total, status, change since the previous
 * assessment, SVG bars per category and per indicator drawn on the server
 * with web_svg_bar_chart, the UNGP 31 elements evidenced from the grievance
 * data with their links, indicator tables), the ranking table of a
 * methodology with a form to compare two entities, the comparison page,
 * CSV exports of all three, and the public scorecards (/scorecards: final
 * assessments only, of every organisation, no staff identity).
 * Scores are shown rounded half up; the CSV carries them unrounded as well.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "web/web.h"
#include "web/web_as.h"
#include "web/web_internal.h"

static int64_t param_id(http_req *req, const char *name)
{
    int64_t id = 0;
    const char *v = http_req_param(req, name);
    if (!v || core_parse_int64(v, &id) != CORE_OK || id <= 0)
        return 0;
    return id;
}

static int64_t query_id(http_req *req, const char *name)
{
    int64_t id = 0;
    const char *v = http_req_query(req, name);
    if (!v || core_parse_int64(v, &id) != CORE_OK || id <= 0)
        return 0;
    return id;
}

/* one bar chart into charts */
static void chart(http_req *req, json_t *charts, const char *id, const char *title_key, const web_bar *bars, size_t n)
{
    if (!n)
        return;
    core_buf b;
    core_buf_init(&b);
    const char *lang = web_lang(req);
    if (web_svg_bar_chart(&b, id, web_msg(lang, title_key), web_msg(lang, "as.chart_desc"), bars, n, lang) == CORE_OK)
        json_array_append_new(charts, json_pack("{s:s, s:s, s:s}", "id", id, "title", web_msg(lang, title_key),
                                                "svg", core_buf_cstr(&b)));
    core_buf_cleanup(&b);
}

static void bar_set(http_req *req, web_bar *b, const char *label, int has, double v)
{
    b->label = label;
    b->value = has && isfinite(v) && v > 0 ? v : 0;
    b->value_text = web_as_score(req, has, v);
}

/* ---- automatic evidence rows ---- */

static const char *source_short(const char *src)
{
    const char *dot = src ? strchr(src, '.') : NULL;
    return dot ? dot + 1 : src ? src : "";
}

static const char *measured(http_req *req, const char *source, json_t *facts)
{
    const char *s = source_short(source);
    if (!strcmp(s, "ack_in_time")) {
        json_t *share = json_object_get(facts, "share");
        if (!json_is_number(share))
            return web_msg(web_lang(req), "as.auto.m_none");
        json_t *f = json_deep_copy(facts);
        json_object_set_new(f, "pct", json_integer(lround(json_number_value(share) * 100)));
        const char *r = web_as_fill(req, "as.auto.m_share", f);
        json_decref(f);
        return r;
    }
    if (!strcmp(s, "rules_published"))
        return web_as_fill(req, "as.auto.m_rules", facts);
    if (!strcmp(s, "appeal_available"))
        return web_as_fill(req, "as.auto.m_appeal", facts);
    if (!strcmp(s, "languages"))
        return web_as_fill(req, "as.auto.m_languages", facts);
    if (!strcmp(s, "outcomes_published"))
        return web_as_fill(req, "as.auto.m_outcomes", facts);
    if (!strcmp(s, "satisfaction"))
        return json_is_number(json_object_get(facts, "mean")) ? web_as_fill(req, "as.auto.m_satisfaction", facts)
                                                               : web_as_fill(req, "as.auto.m_no_rating", facts);
    char key[96];                       /* the register's sources: one sentence each */
    snprintf(key, sizeof key, "as.auto.m_%s", s);
    return web_msg(web_lang(req), key) != key ? web_as_fill(req, key, facts) : "";
}

static const char *choice_label(const asm_methodology *m, const char *element, const char *value)
{
    int ei = asm_find_element(m, element);
    if (ei < 0 || !value)
        return value ? value : "";
    const asm_scale *s = &m->scales[m->elements[ei].scale];
    int ci = asm_find_choice(s, value);
    return ci >= 0 && s->choices[ci].label ? s->choices[ci].label : value;
}

json_t *web_as_auto_rows(http_req *req, const asm_scorecard *sc, int live)
{
    const asm_methodology *m = sc->m;
    const char *lang = web_lang(req);
    json_t *rows = json_array();
    asm_auto au;
    memset(&au, 0, sizeof au);
    int have_live = 0;
    if (live && app_ctx_of(req)->remedy) {
        asm_actor ac;
        web_as_actor(req, &ac);
        size_t nl = 0;
        const char *const *langs = web_langs(&nl);
        have_live = asm_auto_evidence(app_ctx_of(req)->remedy, app_ctx_of(req)->reg, http_req_arena(req), &ac, m, langs, &au) == CORE_OK;
    }
    for (size_t i = 0; i < m->n_elements; i++) {
        const asm_element *e = &m->elements[i];
        if (!e->automatic)
            continue;
        const store_as_answer *w = NULL;
        for (size_t k = 0; k < sc->n_answers; k++)
            if (!strcmp(sc->answers[k].element, e->id) && !strcmp(sc->answers[k].level, ASM_LEVEL_GROUP))
                w = &sc->answers[k];
        const asm_auto_item *it = NULL;
        for (size_t k = 0; have_live && k < au.n; k++)
            if (!strcmp(au.items[k].element, e->id))
                it = &au.items[k];
        json_t *facts = NULL;
        const char *value = NULL, *url = NULL;
        if (w && w->note && !strncmp(w->note, "automatic:", 10)) {
            facts = json_loads(w->evidence_quote ? w->evidence_quote : "{}", 0, NULL);
            value = w->value;
            url = w->evidence_url;
        } else if (it) {
            facts = json_incref(it->facts);
            value = it->value;
            url = it->url;
        } else if (w) {
            value = w->value;
            url = w->evidence_url;
        }
        if (!live && url && !strcmp(url, "/grievance-stats"))
            url = "/mechanism";           /* the public sees the published statistics there */
        if (!live && url && !strncmp(url, "/register", 9))
            url = NULL;                   /* staff pages only */
        char key[96];
        snprintf(key, sizeof key, "as.auto.%s", source_short(e->automatic));
        const char *label = web_msg(lang, key);
        int safe = url && (!strncmp(url, "https://", 8) || !strncmp(url, "http://", 7) ||
                           (url[0] == '/' && url[1] != '/' && url[1] != '\\'));
        json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s?, s:s}", "element", e->id, "label",
                                              label == key ? e->id : label, "measured",
                                              facts ? measured(req, e->automatic, facts) : "",
                                              "answer", value ? choice_label(m, e->id, value) : web_msg(lang, "as.none"),
                                              "url", safe ? url : NULL, "url_label",
                                              web_msg(lang, !url ? "as.none"
                                                            : !strcmp(url, "/grievance-stats") ? "as.auto.link_stats"
                                                            : !strncmp(url, "/register", 9) ? "as.auto.link_register"
                                                                                              : "as.auto.link_rules")));
        json_decref(facts);
    }
    asm_auto_cleanup(&au);
    return rows;
}

/* ---- scorecard ---- */

static json_t *scorecard_ctx(http_req *req, const asm_scorecard *sc, int public_view)
{
    const asm_methodology *m = sc->m;
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *ctx = web_ctx(req);
    json_object_set_new(ctx, "entity", json_pack("{s:s?}", "name", sc->entity.name));
    json_object_set_new(ctx, "methodology", json_pack("{s:s?, s:s?}", "name", m->name, "version", m->version));
    json_object_set_new(ctx, "period", json_string(sc->as.period ? sc->as.period : ""));
    json_object_set_new(ctx, "total", json_string(web_as_score(req, sc->score.has_total, sc->score.total)));
    json_object_set_new(ctx, "status", json_string(sc->as.status));
    json_object_set_new(ctx, "status_label", json_string(web_label(lang, "as.status", sc->as.status)));
    if (sc->as.finalised_at)
        json_object_set_new(ctx, "finalised_at", json_string(web_fmt_date(a, web_lang(req), sc->as.finalised_at)));
    if (m->attribution)
        json_object_set_new(ctx, "attribution", json_string(m->attribution));
    int show_change = sc->has_previous && sc->previous_score.has_total && sc->score.has_total;
    if (show_change) {
        long d = asm_round_half_up(sc->score.total) - asm_round_half_up(sc->previous_score.total);
        json_object_set_new(ctx, "change", json_string(core_arena_printf(a, "%+ld", d)));
        json_t *f = json_pack("{s:s}", "period", sc->previous.period ? sc->previous.period : "");
        json_object_set_new(ctx, "change_from", json_string(web_as_fill(req, "as.change_from", f)));
        json_decref(f);
    }
    if (public_view) {
        json_object_set_new(ctx, "csv_url", json_string(core_arena_printf(a, "/scorecards/%lld/scorecard.csv",
                                                                         (long long)sc->as.id)));
        json_object_set_new(ctx, "json_url", json_string(core_arena_printf(a, "/api/v1/scorecards/%lld",
                                                                          (long long)sc->as.id)));
    } else {
        const app_principal *p = app_principal_of(req);
        json_object_set_new(ctx, "csv_url", json_string(core_arena_printf(a, "/assess/scorecards/%lld/scorecard.csv",
                                                                         (long long)sc->as.id)));
        json_object_set_new(ctx, "json_url", json_string(core_arena_printf(a, "/api/v1/orgs/%s/assess/assessments/%lld/scorecard",
                                                                          p->org_slug ? p->org_slug : "", (long long)sc->as.id)));
        json_object_set_new(ctx, "staff_url", json_string(core_arena_printf(a, "/assess/assessments/%lld", (long long)sc->as.id)));
    }
    json_t *autos = web_as_auto_rows(req, sc, !public_view);
    if (json_array_size(autos))
        json_object_set_new(ctx, "automatic", autos);
    else
        json_decref(autos);
    /* charts */
    json_t *charts = json_array();
    web_bar *cb = core_arena_alloc(a, (m->n_categories + 1) * sizeof *cb);
    web_bar *ib = core_arena_alloc(a, (m->n_indicators + 1) * sizeof *ib);
    size_t ni = 0;
    for (size_t i = 0; cb && i < m->n_categories; i++)
        bar_set(req, &cb[i], core_arena_printf(a, "%s %s", m->categories[i].id, m->categories[i].label ? m->categories[i].label : ""),
                sc->score.category_has[i], sc->score.categories[i]);
    for (size_t i = 0; ib && i < m->n_indicators; i++)
        if (m->indicators[i].parent < 0)
            bar_set(req, &ib[ni++], m->indicators[i].id, sc->score.indicators[i].has, sc->score.indicators[i].score);
    if (cb)
        chart(req, charts, "sc-categories", "as.chart.categories", cb, m->n_categories);
    if (ib)
        chart(req, charts, "sc-indicators", "as.chart.indicators", ib, ni);
    json_object_set_new(ctx, "charts", charts);
    /* tables */
    json_t *cats = json_array();
    for (size_t c = 0; c < m->n_categories; c++) {
        json_t *inds = json_array();
        for (size_t i = 0; i < m->n_indicators; i++) {
            const asm_indicator *ind = &m->indicators[i];
            if (ind->category != (int)c)
                continue;
            const char *change = NULL;
            if (show_change) {
                int pi = asm_find_indicator(sc->previous_score.m, ind->id);
                if (pi >= 0 && sc->previous_score.indicators[pi].has && sc->score.indicators[i].has)
                    change = core_arena_printf(a, "%+ld", asm_round_half_up(sc->score.indicators[i].score) -
                                                              asm_round_half_up(sc->previous_score.indicators[pi].score));
            }
            json_array_append_new(inds, json_pack("{s:s, s:s?, s:s, s:s}", "id", ind->id, "name",
                                                  ind->parent >= 0 ? core_arena_printf(a, "— %s", ind->label ? ind->label : "") : ind->label,
                                                  "score", web_as_score(req, sc->score.indicators[i].has, sc->score.indicators[i].score),
                                                  "change", change ? change : ""));
        }
        json_array_append_new(cats, json_pack("{s:s, s:s?, s:s, s:o, s:b}", "id", m->categories[c].id, "name",
                                              m->categories[c].label, "score",
                                              web_as_score(req, sc->score.category_has[c], sc->score.categories[c]),
                                              "indicators", inds, "show_change", show_change));
    }
    json_object_set_new(ctx, "categories", cats);
    return ctx;
}

int web_handle_as_scorecard(http_req *req)
{
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_scorecard sc;
    int rc = asm_wf_scorecard(web_as_store(req), http_req_arena(req), &ac, ac.org_id, param_id(req, "id"), 0, &sc);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    return web_page(req, 200, "as_scorecard", "as.title.scorecard", scorecard_ctx(req, &sc, 0));
}

int web_handle_as_scorecard_csv(http_req *req)
{
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_scorecard sc;
    int rc = asm_wf_scorecard(web_as_store(req), http_req_arena(req), &ac, ac.org_id, param_id(req, "id"), 0, &sc);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_buf b;
    core_buf_init(&b);
    asm_scorecard_csv(&sc, 1, &b);
    web_as_csv(req, &b, "scorecard.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

/* ---- ranking ---- */

static int load_ranking(http_req *req, int64_t *mid, const asm_methodology **m, asm_rank_row **rows, size_t *n)
{
    asm_actor ac;
    web_as_actor(req, &ac);
    *mid = query_id(req, "methodology");
    const char *period = http_req_query(req, "period");
    return asm_wf_ranking(web_as_store(req), http_req_arena(req), &ac, ac.org_id, *mid, period, 0, m, rows, n);
}

static json_t *assessment_opts(http_req *req, const asm_rank_row *rows, size_t n, int64_t sel)
{
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "value", (json_int_t)rows[i].as.id, "label",
                                             core_arena_printf(http_req_arena(req), "%s (%s)", rows[i].entity.name,
                                                               rows[i].as.period),
                                             "selected", rows[i].as.id == sel));
    return arr;
}

int web_handle_as_ranking(http_req *req)
{
    int64_t mid;
    const asm_methodology *m = NULL;
    asm_rank_row *rows = NULL;
    size_t n = 0;
    int rc = load_ranking(req, &mid, &m, &rows, &n);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_arena *a = http_req_arena(req);
    json_t *ctx = web_ctx(req);
    const char *period = http_req_query(req, "period");
    json_object_set_new(ctx, "methodology", json_pack("{s:s?, s:s?}", "name", m->name, "version", m->version));
    if (period && *period)
        json_object_set_new(ctx, "period", json_string(period));
    if (m->attribution)
        json_object_set_new(ctx, "attribution", json_string(m->attribution));
    json_object_set_new(ctx, "csv_url", json_string(core_arena_printf(a, "/assess/ranking.csv?methodology=%lld", (long long)mid)));
    json_object_set_new(ctx, "compare_action", json_string("/assess/compare"));
    json_t *cats = json_array();
    for (size_t c = 0; c < m->n_categories; c++)
        json_array_append_new(cats, json_pack("{s:s, s:s?}", "id", m->categories[c].id, "name", m->categories[c].label));
    json_object_set_new(ctx, "categories", cats);
    json_t *list = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *cs = json_array();
        for (size_t c = 0; c < m->n_categories; c++)
            json_array_append_new(cs, json_string(web_as_score(req, rows[i].score.category_has[c], rows[i].score.categories[c])));
        json_array_append_new(list, json_pack("{s:i, s:s?, s:s, s:s, s:o}", "rank", rows[i].rank, "entity",
                                              rows[i].entity.name, "href",
                                              core_arena_printf(a, "/assess/scorecards/%lld", (long long)rows[i].as.id),
                                              "total", web_as_score(req, rows[i].score.has_total, rows[i].score.total),
                                              "cats", cs));
    }
    web_mark_ends(list);
    json_object_set_new(ctx, "rows", list);
    json_object_set_new(ctx, "can_compare", json_boolean(n >= 2));
    json_object_set_new(ctx, "options_a", assessment_opts(req, rows, n, n ? rows[0].as.id : 0));
    json_object_set_new(ctx, "options_b", assessment_opts(req, rows, n, n > 1 ? rows[1].as.id : 0));
    return web_page(req, 200, "as_ranking", "as.title.ranking", ctx);
}

int web_handle_as_ranking_csv(http_req *req)
{
    int64_t mid;
    const asm_methodology *m = NULL;
    asm_rank_row *rows = NULL;
    size_t n = 0;
    int rc = load_ranking(req, &mid, &m, &rows, &n);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_buf b;
    core_buf_init(&b);
    asm_ranking_csv(m, rows, n, &b);
    web_as_csv(req, &b, "ranking.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

/* ---- comparison ---- */

static int load_pair(http_req *req, asm_scorecard *x, asm_scorecard *y)
{
    asm_actor ac;
    web_as_actor(req, &ac);
    int64_t ia = query_id(req, "a"), ib = query_id(req, "b");
    if (!ia || !ib)
        return CORE_NOTFOUND;
    int rc = asm_wf_scorecard(web_as_store(req), http_req_arena(req), &ac, ac.org_id, ia, 0, x);
    if (rc == CORE_OK)
        rc = asm_wf_scorecard(web_as_store(req), http_req_arena(req), &ac, ac.org_id, ib, 0, y);
    return rc;
}

static const char *diff_text(http_req *req, int ha, double a, int hb, double b)
{
    if (!ha || !hb)
        return "";
    return core_arena_printf(http_req_arena(req), "%+ld", asm_round_half_up(a) - asm_round_half_up(b));
}

int web_handle_as_compare(http_req *req)
{
    asm_scorecard x, y;
    int rc = load_pair(req, &x, &y);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_arena *a = http_req_arena(req);
    const asm_methodology *m = x.m;
    json_t *ctx = web_ctx(req);
    json_object_set_new(ctx, "a", json_pack("{s:s?, s:s, s:s}", "name", x.entity.name, "total",
                                            web_as_score(req, x.score.has_total, x.score.total), "href",
                                            core_arena_printf(a, "/assess/scorecards/%lld", (long long)x.as.id)));
    json_object_set_new(ctx, "b", json_pack("{s:s?, s:s, s:s}", "name", y.entity.name, "total",
                                            web_as_score(req, y.score.has_total, y.score.total), "href",
                                            core_arena_printf(a, "/assess/scorecards/%lld", (long long)y.as.id)));
    json_object_set_new(ctx, "csv_url", json_string(core_arena_printf(a, "/assess/compare.csv?a=%lld&b=%lld",
                                                                     (long long)x.as.id, (long long)y.as.id)));
    json_t *rows = json_array();
    json_array_append_new(rows, json_pack("{s:b, s:s, s:s, s:s, s:s, s:s}", "category", 1, "id", "",
                                          "name", web_msg(web_lang(req), "as.total"), "a",
                                          web_as_score(req, x.score.has_total, x.score.total), "b",
                                          web_as_score(req, y.score.has_total, y.score.total), "diff",
                                          diff_text(req, x.score.has_total, x.score.total, y.score.has_total, y.score.total)));
    web_bar *bars = core_arena_alloc(a, (2 * m->n_categories + 1) * sizeof *bars);
    size_t nb = 0;
    for (size_t c = 0; c < m->n_categories; c++) {
        int j = asm_find_category(y.m, m->categories[c].id);
        int hb = j >= 0 && y.score.category_has[j];
        double vb = j >= 0 ? y.score.categories[j] : 0;
        json_array_append_new(rows, json_pack("{s:b, s:s, s:s?, s:s, s:s, s:s}", "category", 1, "id", m->categories[c].id,
                                              "name", m->categories[c].label, "a",
                                              web_as_score(req, x.score.category_has[c], x.score.categories[c]), "b",
                                              web_as_score(req, hb, vb), "diff",
                                              diff_text(req, x.score.category_has[c], x.score.categories[c], hb, vb)));
        if (bars) {
            bar_set(req, &bars[nb++], core_arena_printf(a, "%s · %s", m->categories[c].id, x.entity.name),
                    x.score.category_has[c], x.score.categories[c]);
            bar_set(req, &bars[nb++], core_arena_printf(a, "%s · %s", m->categories[c].id, y.entity.name), hb, vb);
        }
        for (size_t i = 0; i < m->n_indicators; i++) {
            if (m->indicators[i].category != (int)c)
                continue;
            int k = asm_find_indicator(y.m, m->indicators[i].id);
            int hk = k >= 0 && y.score.indicators[k].has;
            double vk = k >= 0 ? y.score.indicators[k].score : 0;
            json_array_append_new(rows, json_pack("{s:b, s:s, s:s?, s:s, s:s, s:s}", "category", 0, "id",
                                                  m->indicators[i].id, "name", m->indicators[i].label, "a",
                                                  web_as_score(req, x.score.indicators[i].has, x.score.indicators[i].score),
                                                  "b", web_as_score(req, hk, vk), "diff",
                                                  diff_text(req, x.score.indicators[i].has, x.score.indicators[i].score, hk, vk)));
        }
    }
    json_object_set_new(ctx, "rows", rows);
    json_t *charts = json_array();
    if (bars)
        chart(req, charts, "cmp-categories", "as.compare.chart", bars, nb);
    json_object_set_new(ctx, "charts", charts);
    return web_page(req, 200, "as_compare", "as.title.compare", ctx);
}

int web_handle_as_compare_csv(http_req *req)
{
    asm_scorecard x, y;
    int rc = load_pair(req, &x, &y);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_buf b;
    core_buf_init(&b);
    asm_compare_csv(&x, &y, &b);
    web_as_csv(req, &b, "comparison.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}

/* ---- public scorecards ---- */

/* Final assessments of every organisation: calls fn for each. */
static int each_final(http_req *req, int (*fn)(http_req *, store_conn *, int64_t org, const store_as_assessment *, void *),
                      void *ud)
{
    core_arena *a = http_req_arena(req);
    store_conn *c;
    if (store_acquire(web_as_store(req), &c) != CORE_OK)
        return CORE_BUSY;
    store_org *orgs = NULL;
    size_t no = 0;
    int rc = store_org_list(c, a, &orgs, &no);
    for (size_t o = 0; rc == CORE_OK && o < no; o++) {
        store_as_assessment *list = NULL;
        size_t n = 0;
        if (store_as_assessment_list(c, a, orgs[o].id, 0, 0, &list, &n) != CORE_OK)
            continue;
        for (size_t i = 0; i < n; i++)
            if (!strcmp(list[i].status, "final") && fn(req, c, orgs[o].id, &list[i], ud))
                break;
    }
    store_release(web_as_store(req), c);
    return rc;
}

static int list_one(http_req *req, store_conn *c, int64_t org, const store_as_assessment *s, void *ud)
{
    json_t *rows = ud;
    core_arena *a = http_req_arena(req);
    store_as_entity e;
    store_as_methodology mr;
    if (store_as_entity_get(c, a, org, s->entity_id, &e) == CORE_OK &&
        store_as_methodology_get(c, a, org, s->methodology_id, &mr) == CORE_OK)
        json_array_append_new(rows, json_pack("{s:I, s:s?, s:s, s:s?}", "id", (json_int_t)s->id, "entity", e.name,
                                              "methodology", core_arena_printf(a, "%s %s", mr.name, mr.version),
                                              "period", s->period));
    return 0;
}

int web_handle_as_public_list(http_req *req)
{
    json_t *rows = json_array();
    int rc = each_final(req, list_one, rows);
    if (rc != CORE_OK) {
        json_decref(rows);
        return web_as_fail(req, rc);
    }
    web_mark_ends(rows);
    json_t *ctx = web_ctx(req);
    json_object_set_new(ctx, "scorecards", rows);
    return web_page(req, 200, "as_public", "as.title.public", ctx);
}

typedef struct find_ud {
    int64_t id, org;
} find_ud;

static int find_one(http_req *req, store_conn *c, int64_t org, const store_as_assessment *s, void *ud)
{
    (void)req;
    (void)c;
    find_ud *f = ud;
    if (s->id != f->id)
        return 0;
    f->org = org;
    return 1;
}

static int public_scorecard(http_req *req, asm_scorecard *sc)
{
    find_ud f = {param_id(req, "id"), 0};
    if (!f.id || each_final(req, find_one, &f) != CORE_OK || !f.org)
        return CORE_NOTFOUND;
    return asm_wf_scorecard(web_as_store(req), http_req_arena(req), NULL, f.org, f.id, 1, sc);
}

int web_handle_as_public(http_req *req)
{
    asm_scorecard sc;
    int rc = public_scorecard(req, &sc);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    return web_page(req, 200, "as_scorecard", "as.title.scorecard", scorecard_ctx(req, &sc, 1));
}

int web_handle_as_public_csv(http_req *req)
{
    asm_scorecard sc;
    int rc = public_scorecard(req, &sc);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    core_buf b;
    core_buf_init(&b);
    asm_scorecard_csv(&sc, 0, &b);
    web_as_csv(req, &b, "scorecard.csv");
    core_buf_cleanup(&b);
    return CORE_OK;
}
