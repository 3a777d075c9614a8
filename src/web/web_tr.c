/* web_tr: transparency pages (issue 5).
 * - /orgs/{org}/transparency (public): the organisation's statements of
 *   reasons by category, restriction type, automation, territorial scope and
 *   day (accessible SVG bar charts drawn on the server, each with its table),
 *   government requests by country, the grievance mechanism's published
 *   figures (k = 5) and the DSA Annex I CSV downloads. From the stored
 *   aggregates only; nothing identifies a person.
 * - /transparency (staff, TR_READ): ingest runs and, for TR_MANAGE, the
 *   government requests import form (POST /transparency/requests).
 * - web_tr_report_html: the same report as one self-contained HTML file
 *   for `hrdd transparency report --format html`.
 */
#include <stdio.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "report/report.h"
#include "web/web.h"
#include "web/web_internal.h"
#include "web/web_tr.h"

#define MAX_BARS 30

/* "STATEMENT_CATEGORY_SCAMS_AND_FRAUD" -> "Scams and fraud": the schema's
 * enumeration without its prefix, in words (country codes stay as they are). */
static const char *humanize(core_arena *a, const char *k)
{
    static const char *const prefixes[] = {
        "STATEMENT_CATEGORY_", "DECISION_VISIBILITY_CONTENT_", "DECISION_VISIBILITY_",
        "DECISION_MONETARY_", "DECISION_PROVISION_", "DECISION_ACCOUNT_", "DECISION_GROUND_",
        "AUTOMATED_DECISION_", "SOURCE_TYPE_", "SOURCE_", "CONTENT_TYPE_", NULL};
    size_t n = strlen(k);
    if (n <= 3)
        return core_arena_strdup(a, k);
    for (int i = 0; prefixes[i]; i++) {
        size_t pl = strlen(prefixes[i]);
        if (n > pl && !strncmp(k, prefixes[i], pl)) {
            k += pl;
            break;
        }
    }
    char *out = core_arena_strdup(a, k);
    if (!out)
        return k;
    for (char *p = out; *p; p++) {
        if (*p == '_')
            *p = ' ';
        else if (p != out && *p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    }
    return out;
}

/* Bars of a [{key|day, count}] array (at most MAX_BARS, the rest summed as "other"). */
static size_t bars_of(core_arena *a, const json_t *arr, const char *keyname, web_bar *bars,
                      const char *other)
{
    size_t n = 0, i;
    json_t *it;
    double rest = 0;
    json_array_foreach(arr, i, it) {
        double v = (double)json_integer_value(json_object_get(it, "count"));
        if (n < MAX_BARS - 1 || json_array_size(arr) <= MAX_BARS) {
            const char *k = json_string_value(json_object_get(it, keyname));
            bars[n].label = k && *k ? (strcmp(keyname, "key") ? core_arena_strdup(a, k) : humanize(a, k))
                                    : "(none)";
            bars[n].value = v;
            bars[n].value_text = NULL;
            n++;
        } else {
            rest += v;
        }
    }
    if (rest > 0) {
        bars[n].label = other;
        bars[n].value = rest;
        bars[n].value_text = NULL;
        n++;
    }
    return n;
}

typedef struct chart_def {
    const char *key;                 /* member of the report */
    const char *keyname;             /* "key" or "day" */
    const char *title;               /* message key */
} chart_def;

static const chart_def charts_def[] = {
    {"by_category", "key", "tr.chart_category"},
    {"by_restriction", "key", "tr.chart_restriction"},
    {"automated_bars", "key", "tr.chart_automated"},
    {"by_territorial_scope", "key", "tr.chart_territorial"},
    {"trend", "day", "tr.chart_trend"},
    {"by_ground", "key", "tr.chart_ground"},
    {"by_source", "key", "tr.chart_source"},
};

static json_t *automated_bars(const json_t *rep)
{
    const json_t *au = json_object_get(rep, "automated");
    return json_pack("[{s:s, s:I}, {s:s, s:I}, {s:s, s:I}, {s:s, s:I}]",
                     "key", "AUTOMATED_DECISION_FULLY", "count",
                     json_integer_value(json_object_get(au, "fully")),
                     "key", "AUTOMATED_DECISION_PARTIALLY", "count",
                     json_integer_value(json_object_get(au, "partially")),
                     "key", "AUTOMATED_DECISION_NOT_AUTOMATED", "count",
                     json_integer_value(json_object_get(au, "not_automated")),
                     "key", "automated_detection = Yes", "count",
                     json_integer_value(json_object_get(au, "detection")));
}

/* [{id, title, svg, rows: [{label, value}]}] for the report's charts. */
static json_t *charts_json(core_arena *a, const char *lang, const json_t *rep)
{
    json_t *out = json_array();
    if (!json_integer_value(json_object_get(json_object_get(rep, "statements"), "total")))
        return out;
    json_t *auto_arr = automated_bars(rep);
    web_bar bars[MAX_BARS + 1];
    for (size_t c = 0; c < sizeof charts_def / sizeof *charts_def; c++) {
        const json_t *arr = strcmp(charts_def[c].key, "automated_bars")
                                ? json_object_get(rep, charts_def[c].key) : auto_arr;
        if (!json_array_size(arr))
            continue;
        size_t n = bars_of(a, arr, charts_def[c].keyname, bars, web_msg(lang, "tr.other"));
        char id[32];
        snprintf(id, sizeof id, "tr-chart-%zu", c + 1);
        core_buf b;
        core_buf_init(&b);
        const char *title = web_msg(lang, charts_def[c].title);
        if (web_svg_bar_chart(&b, id, title, web_msg(lang, "tr.chart_desc"), bars, n, lang) == CORE_OK) {
            json_t *rows = json_array();
            for (size_t i = 0; i < n; i++)
                json_array_append_new(rows, json_pack("{s:s, s:s}", "label", bars[i].label,
                                                      "value", web_fmt_num(a, lang, bars[i].value)));
            json_array_append_new(out, json_pack("{s:s, s:s, s:s, s:o}", "id", id, "title", title,
                                                 "svg", core_buf_cstr(&b), "rows", rows));
        }
        core_buf_cleanup(&b);
    }
    json_decref(auto_arr);
    return out;
}

static const char *pct_text(core_arena *a, const char *lang, const json_t *v)
{
    return json_is_number(v) ? web_fmt_pct(a, lang, json_number_value(v), 1) : "–";
}

static json_t *country_rows(core_arena *a, const char *lang, const json_t *sm)
{
    json_t *rows = json_array();
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(sm, "by_country"), i, it)
        json_array_append_new(rows, json_pack(
            "{s:s, s:s, s:s, s:s}", "country", json_string_value(json_object_get(it, "country")),
            "requests", web_fmt_int(a, lang, json_integer_value(json_object_get(it, "requests"))),
            "accounts", web_fmt_int(a, lang, json_integer_value(json_object_get(it, "accounts"))),
            "complied", pct_text(a, lang, json_object_get(it, "complied_percent"))));
    const json_t *t = json_object_get(sm, "total");
    json_array_append_new(rows, json_pack(
        "{s:s, s:s, s:s, s:s}", "country", web_msg(lang, "tr.total"),
        "requests", web_fmt_int(a, lang, json_integer_value(json_object_get(t, "requests"))),
        "accounts", web_fmt_int(a, lang, json_integer_value(json_object_get(t, "accounts"))),
        "complied", pct_text(a, lang, json_object_get(t, "complied_percent"))));
    return rows;
}

/* One table per kind and period (the form platforms publish), newest first. */
static json_t *gov_json(core_arena *a, const char *lang, const json_t *rep)
{
    json_t *out = json_array();
    const json_t *g = json_object_get(rep, "government_requests");
    const char *kinds[] = {"user_data", "removal"};
    const char *titles[] = {"tr.gov_user_data", "tr.gov_removal"};
    for (int k = 0; k < 2; k++) {
        const json_t *periods = json_object_get(json_object_get(g, kinds[k]), "by_period");
        size_t np = json_array_size(periods);
        if (!np)
            json_array_append_new(out, json_pack("{s:s, s:n}", "title", web_msg(lang, titles[k]), "rows"));
        for (size_t i = np; i-- > 0;) {
            const json_t *sm = json_array_get(periods, i);
            const char *title = core_arena_printf(
                a, "%s, %s – %s", web_msg(lang, titles[k]),
                json_string_value(json_object_get(sm, "period_start")),
                json_string_value(json_object_get(sm, "period_end")));
            json_array_append_new(out, json_pack("{s:s, s:o}", "title", title, "rows",
                                                 country_rows(a, lang, sm)));
        }
    }
    return out;
}

static json_t *facts_json(core_arena *a, const char *lang, const json_t *rep)
{
    const json_t *st = json_object_get(rep, "statements"), *au = json_object_get(rep, "automated");
    json_t *f = json_array();
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.statements"), "value",
                                       web_fmt_int(a, lang, json_integer_value(json_object_get(st, "total")))));
    const json_t *sf = json_object_get(au, "share_fully"), *sd = json_object_get(au, "share_detection");
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.share_fully"), "value",
                                       json_is_number(sf) ? web_fmt_pct(a, lang, json_number_value(sf) * 100, 1) : "–"));
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.share_detection"), "value",
                                       json_is_number(sd) ? web_fmt_pct(a, lang, json_number_value(sd) * 100, 1) : "–"));
    return f;
}

static json_t *grievance_facts(core_arena *a, const char *lang, const json_t *rep)
{
    const json_t *g = json_object_get(rep, "grievances");
    if (!json_is_object(g))
        return json_null();
    json_t *f = json_array();
    const json_t *clo = json_object_get(g, "days_to_closure"), *ap = json_object_get(g, "appeals");
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.grv_total"), "value",
                                       web_fmt_int(a, lang, json_integer_value(json_object_get(g, "total")))));
    const json_t *med = json_object_get(clo, "median_days");
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.grv_median"), "value",
                                       json_is_number(med) ? web_fmt_dec(a, lang, json_number_value(med), 1) : "–"));
    json_array_append_new(f, json_pack("{s:s, s:s}", "label", web_msg(lang, "tr.grv_appeals"), "value",
                                       core_arena_printf(a, "%lld / %lld / %lld",
                                                         (long long)json_integer_value(json_object_get(ap, "filed")),
                                                         (long long)json_integer_value(json_object_get(ap, "upheld")),
                                                         (long long)json_integer_value(json_object_get(ap, "reopened")))));
    return f;
}

int web_handle_tr_public(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    const char *from = http_req_query(req, "from"), *to = http_req_query(req, "to");
    if ((from && *from && !rpt_day_valid(from)) || (to && *to && !rpt_day_valid(to))) {
        web_error_page(req, 400, "tr.bad_period");
        return CORE_OK;
    }
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    store_org org = {.id = p->org_id, .slug = p->org_slug, .name = p->org_name};
    rpt_data d;
    rc = rpt_load(c, a, &org, from, to, NULL, &d);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        if (rc == CORE_INVALID)
            web_error_page(req, 400, "tr.bad_period");
        else
            app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *gs = NULL;
    app_ctx *actx = app_ctx_of(req);
    if (actx->remedy) {
        int64_t t0 = rpt_day_epoch(d.from), t1 = rpt_day_epoch(d.to);
        if (rmd_stats_public(actx->remedy, a, p->org_id, t0, t1 ? t1 + 86400 : 0, &gs) == CORE_OK)
            d.grievances = gs;
    }
    json_t *rep = rpt_json(&d);
    json_decref(gs);
    json_t *ctx = web_ctx(req);
    if (!rep || !ctx) {
        json_decref(rep);
        json_decref(ctx);
        return CORE_NOMEM;
    }
    json_t *dl = json_array();
    for (int part = 1; part <= RPT_DSA_PARTS; part++)
        json_array_append_new(dl, json_pack(
            "{s:s, s:s}", "href",
            core_arena_printf(a, "/api/v1/transparency/%s/dsa/%d?from=%s&to=%s", p->org_slug, part, d.from, d.to),
            "label", core_arena_printf(a, "%s %d: %s", web_msg(lang, "tr.dsa_part"), part, rpt_dsa_part_name(part))));
    json_array_append_new(dl, json_pack("{s:s, s:s}", "href",
                                        core_arena_printf(a, "/api/v1/transparency/%s?from=%s&to=%s", p->org_slug, d.from, d.to),
                                        "label", web_msg(lang, "tr.json_report")));
    json_object_set_new(ctx, "org_name", json_string(p->org_name));
    json_object_set_new(ctx, "from", json_string(d.from));
    json_object_set_new(ctx, "to", json_string(d.to));
    json_object_set_new(ctx, "facts", facts_json(a, lang, rep));
    json_object_set_new(ctx, "charts", charts_json(a, lang, rep));
    json_object_set_new(ctx, "gov", gov_json(a, lang, rep));
    json_object_set_new(ctx, "grievance_facts", grievance_facts(a, lang, rep));
    json_object_set_new(ctx, "downloads", dl);
    json_decref(rep);
    return web_page(req, 200, "tr_public", "tr.public_title", ctx);
}

static int staff_page(http_req *req, int status, json_t *ctx)
{
    const app_principal *p = app_principal_of(req);
    core_arena *a = http_req_arena(req);
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    store_tr_ingest *v = NULL;
    size_t n = 0;
    rc = store_tr_ingest_list(c, a, p->org_id, 20, &v, &n);
    app_conn_release(req, c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(rows, json_pack(
            "{s:s, s:s, s:I, s:I, s:I, s:I, s:s}", "started", web_fmt_time(a, web_lang(req), v[i].started_at),
            "source", v[i].source, "rows_read", (json_int_t)v[i].rows_read, "rows_new",
            (json_int_t)v[i].rows_new, "rows_duplicate", (json_int_t)v[i].rows_duplicate,
            "rows_rejected", (json_int_t)v[i].rows_rejected, "status", v[i].status));
    json_object_set_new(ctx, "ingests", n ? rows : json_null());
    if (!n)
        json_decref(rows);
    json_object_set_new(ctx, "can_manage", json_boolean(core_authz_allows(p->role, CORE_PERM_TR_MANAGE)));
    json_object_set_new(ctx, "header", json_string(RPT_GOV_CSV_HEADER));
    json_object_set_new(ctx, "public_url", json_string(core_arena_printf(a, "/orgs/%s/transparency", p->org_slug)));
    return web_page(req, status, "tr_staff", "tr.staff_title", ctx);
}

int web_handle_tr_staff(http_req *req)
{
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    const char *done = http_req_query(req, "imported");
    if (done && *done)
        json_object_set_new(ctx, "notice", json_string(web_msg(web_lang(req), "tr.imported")));
    return staff_page(req, 200, ctx);
}

int web_handle_tr_requests(http_req *req)
{
    const app_principal *p = app_principal_of(req);
    const char *data = web_form(req, "data");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    store_conn *c;
    int rc = app_conn(req, &c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    size_t stored = 0;
    rpt_gov_error e;
    rc = rpt_gov_import(c, p->org_id, data, strlen(data), &stored, &e);
    if (rc == CORE_OK) {
        json_t *d = json_pack("{s:I}", "lines", (json_int_t)stored);
        rc = app_audit(req, c, p->org_id, "gov_requests", NULL, "import", NULL, d);
        json_decref(d);
    }
    app_conn_release(req, c);
    if (rc == CORE_OK) {
        json_decref(ctx);
        web_redirect(req, "/transparency?imported=1");
        return CORE_OK;
    }
    if (rc != CORE_INVALID) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    char msg[300];
    if (e.line)
        snprintf(msg, sizeof msg, "%s %zu: %s %s", web_msg(web_lang(req), "tr.line"), e.line, e.field, e.reason);
    else
        snprintf(msg, sizeof msg, "%s %s", e.field, e.reason);
    json_t *errs = json_array();
    json_array_append_new(errs, json_pack("{s:s, s:s}", "field", "data", "message", msg));
    json_object_set_new(ctx, "errors", errs);
    json_object_set_new(ctx, "error_data", json_true());
    json_object_set_new(ctx, "data", json_string(data));
    return staff_page(req, 422, ctx);
}

/* ---- standalone HTML ---- */

int web_tr_report_html(const json_t *rep, const char *lang, core_buf *out)
{
    core_arena a;
    core_arena_init(&a);
    const json_t *org = json_object_get(rep, "org"), *per = json_object_get(rep, "period");
    const char *name = json_string_value(json_object_get(org, "name"));
    int rc = core_buf_puts(out, "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>");
    core_buf_html(out, web_msg(lang, "tr.public_title"));
    core_buf_puts(out, " – ");
    core_buf_html(out, name ? name : "");
    core_buf_puts(out, "</title>\n<style>body{font-family:sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
                       "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.2rem .5rem;text-align:left}"
                       "svg{max-width:100%;height:auto}</style>\n</head>\n<body>\n<h1>");
    core_buf_html(out, web_msg(lang, "tr.public_title"));
    core_buf_puts(out, " – ");
    core_buf_html(out, name ? name : "");
    core_buf_puts(out, "</h1>\n<p>");
    core_buf_html(out, web_msg(lang, "tr.period"));
    core_buf_printf(out, ": %s – %s</p>\n<dl>\n",
                    json_string_value(json_object_get(per, "from")), json_string_value(json_object_get(per, "to")));
    json_t *facts = facts_json(&a, lang, rep);
    size_t i;
    json_t *it;
    json_array_foreach(facts, i, it) {
        core_buf_puts(out, "<dt>");
        core_buf_html(out, json_string_value(json_object_get(it, "label")));
        core_buf_puts(out, "</dt><dd>");
        core_buf_html(out, json_string_value(json_object_get(it, "value")));
        core_buf_puts(out, "</dd>\n");
    }
    json_decref(facts);
    core_buf_puts(out, "</dl>\n");
    json_t *charts = charts_json(&a, lang, rep);
    json_array_foreach(charts, i, it) {
        core_buf_puts(out, "<section>\n<h2>");
        core_buf_html(out, json_string_value(json_object_get(it, "title")));
        core_buf_puts(out, "</h2>\n");
        core_buf_puts(out, json_string_value(json_object_get(it, "svg")));   /* built escaped */
        core_buf_puts(out, "\n</section>\n");
    }
    json_decref(charts);
    json_t *gov = gov_json(&a, lang, rep);
    core_buf_puts(out, "<h2>");
    core_buf_html(out, web_msg(lang, "tr.gov_title"));
    core_buf_puts(out, "</h2>\n");
    json_array_foreach(gov, i, it) {
        core_buf_puts(out, "<h3>");
        core_buf_html(out, json_string_value(json_object_get(it, "title")));
        core_buf_puts(out, "</h3>\n");
        const json_t *rows = json_object_get(it, "rows");
        if (!json_array_size(rows)) {
            core_buf_puts(out, "<p>");
            core_buf_html(out, web_msg(lang, "tr.gov_none"));
            core_buf_puts(out, "</p>\n");
            continue;
        }
        core_buf_puts(out, "<table><thead><tr>");
        const char *h[] = {"tr.country", "tr.requests", "tr.accounts", "tr.complied"};
        const char *k[] = {"country", "requests", "accounts", "complied"};
        for (int j = 0; j < 4; j++) {
            core_buf_puts(out, "<th scope=\"col\">");
            core_buf_html(out, web_msg(lang, h[j]));
            core_buf_puts(out, "</th>");
        }
        core_buf_puts(out, "</tr></thead><tbody>\n");
        size_t r;
        json_t *row;
        json_array_foreach(rows, r, row) {
            core_buf_puts(out, "<tr>");
            for (int j = 0; j < 4; j++) {
                core_buf_puts(out, j ? "<td>" : "<th scope=\"row\">");
                core_buf_html(out, json_string_value(json_object_get(row, k[j])));
                core_buf_puts(out, j ? "</td>" : "</th>");
            }
            core_buf_puts(out, "</tr>\n");
        }
        core_buf_puts(out, "</tbody></table>\n");
    }
    json_decref(gov);
    json_t *gf = grievance_facts(&a, lang, rep);
    if (json_is_array(gf)) {
        core_buf_puts(out, "<h2>");
        core_buf_html(out, web_msg(lang, "tr.grievances"));
        core_buf_puts(out, "</h2>\n<dl>\n");
        json_array_foreach(gf, i, it) {
            core_buf_puts(out, "<dt>");
            core_buf_html(out, json_string_value(json_object_get(it, "label")));
            core_buf_puts(out, "</dt><dd>");
            core_buf_html(out, json_string_value(json_object_get(it, "value")));
            core_buf_puts(out, "</dd>\n");
        }
        core_buf_puts(out, "</dl>\n");
    }
    json_decref(gf);
    rc = core_buf_puts(out, "</body>\n</html>\n");
    core_arena_cleanup(&a);
    return rc;
}
