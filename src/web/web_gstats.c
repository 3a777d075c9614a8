/* web_gstats: the grievance statistics dashboard (/grievance-stats), for
 * every role holding CORE_PERM_STATS_READ (analysts included: it shows no
 * case content). The figures come from rmd_stats (JSON); every breakdown (an
 * object of name -> count) becomes an accessible SVG bar chart drawn on the
 * server (web_svg.c) next to the same figures as a table; medians, 90th
 * percentiles, shares within the time limits and satisfaction are labelled
 * facts. Counts below the privacy threshold arrive as null: shown as text.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "web/web.h"
#include "web/web_internal.h"

/* Adds one bar chart (plus its table) for a {"counts": {name: n|null}} or a
 * plain {name: n|null} object; values labelled through prefix. */
static void add_chart(http_req *req, json_t *charts, const char *title_key, json_t *obj, const char *prefix)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *counts = json_object_get(obj, "counts");
    if (!counts)
        counts = obj;
    size_t n = json_object_size(counts), i = 0;
    if (!json_is_object(counts) || n == 0)
        return;
    web_bar *bars = core_arena_alloc(a, n * sizeof *bars);
    if (!bars)
        return;
    json_t *rows = json_array();
    const char *k;
    json_t *v;
    json_object_foreach(counts, k, v) {
        bars[i].label = prefix ? web_label(lang, prefix, k) : k;
        bars[i].value = json_is_number(v) ? json_number_value(v) : 0;
        if (!(bars[i].value >= 0) || !isfinite(bars[i].value))
            bars[i].value = 0;
        bars[i].value_text = json_is_number(v) ? web_fmt_num(a, lang, bars[i].value)
                                               : web_msg(lang, "gstats.suppressed");
        json_array_append_new(rows, json_pack("{s:s, s:s}", "label", bars[i].label, "value", bars[i].value_text));
        i++;
    }
    char id[32];
    snprintf(id, sizeof id, "chart-%zu", json_array_size(charts) + 1);
    core_buf b;
    core_buf_init(&b);
    const char *title = web_msg(lang, title_key);
    if (web_svg_bar_chart(&b, id, title, web_msg(lang, "gstats.chart_desc"), bars, n, lang) == CORE_OK)
        json_array_append_new(charts, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "title", title, "svg",
                                                core_buf_cstr(&b), "rows", rows));
    else
        json_decref(rows);
    core_buf_cleanup(&b);
}

static void fact(http_req *req, json_t *facts, const char *key, const char *value)
{
    json_array_append_new(facts, json_pack("{s:s, s:s}", "label", web_msg(web_lang(req), key), "value", value));
}

static void fact_days(http_req *req, json_t *facts, const char *key, json_t *v)
{
    const char *lang = web_lang(req);
    fact(req, facts, key, json_is_number(v) ? web_fmt_dec(http_req_arena(req), lang, json_number_value(v), 1)
                                            : web_msg(lang, "gstats.none"));
}

static void fact_share(http_req *req, json_t *facts, const char *key, json_t *clock)
{
    json_t *share = json_object_get(clock, "share");
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const char *text = web_msg(lang, "gstats.none");
    if (json_is_number(share))
        text = core_arena_printf(a, "%s (%s / %s)", web_fmt_pct(a, lang, json_number_value(share) * 100, 0),
                                 web_fmt_int(a, lang, json_integer_value(json_object_get(clock, "met"))),
                                 web_fmt_int(a, lang, json_integer_value(json_object_get(clock, "decided"))));
    fact(req, facts, key, text);
}

json_t *web_gstats_facts(http_req *req, json_t *st)
{
    json_t *facts = json_array();
    fact(req, facts, "gstats.total",
         web_fmt_int(http_req_arena(req), web_lang(req), json_integer_value(json_object_get(st, "total"))));
    json_t *wl = json_object_get(st, "within_limit");
    fact_share(req, facts, "gstats.ack_within", json_object_get(wl, "acknowledge"));
    fact_share(req, facts, "gstats.answered_within", json_object_get(wl, "feedback"));
    fact_share(req, facts, "gstats.dsr_within", json_object_get(wl, "answer_request"));
    json_t *ack = json_object_get(st, "days_to_acknowledgement");
    json_t *clo = json_object_get(st, "days_to_closure");
    fact_days(req, facts, "gstats.ack_median", json_object_get(ack, "median_days"));
    fact_days(req, facts, "gstats.ack_p90", json_object_get(ack, "p90_days"));
    fact_days(req, facts, "gstats.close_median", json_object_get(clo, "median_days"));
    fact_days(req, facts, "gstats.close_p90", json_object_get(clo, "p90_days"));
    json_t *sat = json_object_get(st, "satisfaction");
    fact_days(req, facts, "gstats.satisfaction_mean", json_object_get(sat, "mean"));
    return facts;
}

int web_handle_gstats(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    rmd_actor actor;
    web_actor(req, &actor);
    json_t *st = NULL;
    int rc = rmd_stats(svc, http_req_arena(req), &actor, 0, 0, &st);
    if (rc != CORE_OK) {
        if (rc == CORE_DENIED)
            web_error_page(req, 403, "error.forbidden");
        else
            app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx) {
        json_decref(st);
        return CORE_NOMEM;
    }
    json_t *charts = json_array();
    json_t *facts = web_gstats_facts(req, st);
    json_t *ap = json_object_get(st, "appeals");
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    fact(req, facts, "gstats.appeals",
         core_arena_printf(a, "%s / %s / %s / %s", web_fmt_int(a, lang, json_integer_value(json_object_get(ap, "filed"))),
                           web_fmt_int(a, lang, json_integer_value(json_object_get(ap, "reopened"))),
                           web_fmt_int(a, lang, json_integer_value(json_object_get(ap, "upheld"))),
                           web_fmt_int(a, lang, json_integer_value(json_object_get(ap, "pending")))));
    add_chart(req, charts, "gstats.by_state", json_object_get(st, "by_state"), "grv.state");
    add_chart(req, charts, "gstats.by_category", json_object_get(st, "by_category"), "grv.category");
    add_chart(req, charts, "gstats.by_channel", json_object_get(st, "by_channel"), "grv.channel");
    add_chart(req, charts, "gstats.by_country", json_object_get(st, "by_country"), "country");
    add_chart(req, charts, "gstats.by_product", json_object_get(st, "by_product"), NULL);
    add_chart(req, charts, "gstats.remedies", json_object_get(json_object_get(st, "remedies"), "by_type"), "grv.remedy");
    add_chart(req, charts, "gstats.remedy_states",
              json_object_get(json_object_get(st, "remedies"), "by_state"), "grv.remedy_state");
    add_chart(req, charts, "gstats.satisfaction", json_object_get(json_object_get(st, "satisfaction"), "distribution"), NULL);
    json_decref(st);
    json_object_set_new(ctx, "charts", charts);
    json_object_set_new(ctx, "facts", facts);
    return web_page(req, 200, "gstats", "gstats.title", ctx);
}
