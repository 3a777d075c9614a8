/* web_svg_dd: the due diligence register's two server-side SVG charts, in the
 * style of web_svg.c (role="img" labelled by <title>/<desc>, every value
 * also written as text, no script and no style attribute, labels escaped).
 * A heat map whose cells are links is role="group" instead: an image's
 * content is presentational, so links inside it would reach no one; each
 * linked cell is then named by its own <title>.
 *
 * The salience heat map is a 5 x 5 grid: rows are severity bands (5, the
 * most severe, on top), columns likelihood 1-5. Each cell shows its count;
 * a cell with impacts is a link to the list of those impacts. The fill gets
 * darker with the band + likelihood, but the count is the information.
 *
 * The trend chart draws an indicator's measurements as a line with dots over
 * time (x = day number, y = value), the target as a dashed line, and the
 * first and last dates and the value range as axis text.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "web/web_dd.h"

static int id_ok(const char *id)
{
    if (!id || !*id || strlen(id) > 40)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

static int head(core_buf *b, const char *id, const char *role, int w, int h, const char *title)
{
    int rc = core_buf_printf(b,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"%s\" "
        "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-labelledby=\"%s-title %s-desc\">",
        role, w, h, w, h, id, id);
    rc |= core_buf_printf(b, "<title id=\"%s-title\">", id);
    rc |= core_buf_html(b, title);
    rc |= core_buf_printf(b, "</title><desc id=\"%s-desc\">", id);
    return rc;
}

/* ---- heat map ---- */

#define HM_CELL 64
#define HM_LEFT 150
#define HM_TOP 32
#define HM_BOTTOM 56

static const char *const HM_FILL[] = {"#f3f6f9", "#fff4dc", "#ffe0b2", "#f8b98b", "#e8846a", "#c9473a"};

int web_svg_heatmap(core_buf *b, const char *id, const web_heatmap *hm)
{
    if (!b || !id_ok(id) || !hm || !hm->title)
        return CORE_INVALID;
    int w = HM_LEFT + 5 * HM_CELL + 16, h = HM_TOP + 5 * HM_CELL + HM_BOTTOM;
    int rc = head(b, id, hm->href_prefix ? "group" : "img", w, h, hm->title);
    if (hm->desc && *hm->desc) {
        rc |= core_buf_html(b, hm->desc);
        rc |= core_buf_puts(b, " ");
    }
    /* the description names every non-empty cell, so the chart reads as text */
    for (int band = 5; band >= 1; band--)
        for (int l = 1; l <= 5; l++)
            if (hm->count[band - 1][l - 1] > 0) {
                rc |= core_buf_html(b, hm->row_label ? hm->row_label : "");
                rc |= core_buf_printf(b, " %d, ", band);
                rc |= core_buf_html(b, hm->col_label ? hm->col_label : "");
                rc |= core_buf_printf(b, " %d: %d. ", l, hm->count[band - 1][l - 1]);
            }
    rc |= core_buf_puts(b, "</desc>");
    rc |= core_buf_printf(b, "<rect class=\"chart-bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
                          w, h);
    rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1b1f24\" font-size=\"14\" "
                          "font-weight=\"700\">", HM_LEFT - 8, HM_TOP - 12);
    rc |= core_buf_html(b, hm->row_label ? hm->row_label : "");
    rc |= core_buf_puts(b, "</text>");
    for (int band = 5; band >= 1; band--) {
        int y = HM_TOP + (5 - band) * HM_CELL;
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\" "
                              "fill=\"#1b1f24\" font-size=\"14\">", HM_LEFT - 8, y + HM_CELL / 2);
        rc |= core_buf_html(b, hm->band_names[band - 1] ? hm->band_names[band - 1] : "");
        rc |= core_buf_puts(b, "</text>");
        for (int l = 1; l <= 5; l++) {
            int x = HM_LEFT + (l - 1) * HM_CELL;
            int n = hm->count[band - 1][l - 1];
            int heat = n > 0 ? (band + l) / 2 : 0;
            if (heat > 5)
                heat = 5;
            const char *fg = heat >= 4 ? "#ffffff" : "#1b1f24";
            int linked = n > 0 && hm->href_prefix;
            if (linked)
                rc |= core_buf_printf(b, "<a href=\"%sband=%d&amp;likelihood=%d\">", hm->href_prefix, band, l);
            /* the title names the link when there is one, else the cell */
            rc |= core_buf_puts(b, linked ? "<title>" : "<g class=\"cell\"><title>");
            rc |= core_buf_html(b, hm->row_label ? hm->row_label : "");
            rc |= core_buf_printf(b, " %d, ", band);
            rc |= core_buf_html(b, hm->col_label ? hm->col_label : "");
            rc |= core_buf_printf(b, " %d: %d</title>", l, n);
            if (linked)
                rc |= core_buf_puts(b, "<g class=\"cell\">");
            rc |= core_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" "
                                  "stroke=\"#8a949e\"/>", x, y, HM_CELL - 2, HM_CELL - 2, HM_FILL[heat]);
            if (n > 0)
                rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" dominant-baseline=\"middle\" "
                                      "fill=\"%s\" font-size=\"18\" font-weight=\"700\">%d</text>",
                                      x + HM_CELL / 2 - 1, y + HM_CELL / 2, fg, n);
            rc |= core_buf_puts(b, "</g>");
            if (linked)
                rc |= core_buf_puts(b, "</a>");
        }
    }
    int yb = HM_TOP + 5 * HM_CELL;
    for (int l = 1; l <= 5; l++)
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1b1f24\" "
                              "font-size=\"14\">%d</text>", HM_LEFT + (l - 1) * HM_CELL + HM_CELL / 2 - 1, yb + 20, l);
    rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\" fill=\"#1b1f24\" font-size=\"14\">",
                          HM_LEFT + 5 * HM_CELL / 2, yb + 44);
    rc |= core_buf_html(b, hm->col_label ? hm->col_label : "");
    rc |= core_buf_puts(b, "</text></svg>");
    return rc ? CORE_NOMEM : CORE_OK;
}

/* ---- trend ---- */

#define TR_W 560
#define TR_H 240
#define TR_LEFT 70
#define TR_RIGHT 20
#define TR_TOP 16
#define TR_BOTTOM 40

/* A register day (days since 1970-01-01) as a date in lang; "" for day < 0. */
static const char *day_text(core_arena *a, const char *lang, int64_t day)
{
    const char *s = day >= 0 ? web_fmt_date(a, lang, day * 86400) : "";
    return s ? s : "";
}

/* A value in lang; axis labels round to four significant digits first. */
static const char *num_text(core_arena *a, const char *lang, double x, int round4)
{
    if (round4) {
        char g[32];
        snprintf(g, sizeof g, "%.4g", x);
        x = strtod(g, NULL);
    }
    const char *s = web_fmt_num(a, lang, x);
    return s ? s : "";
}

/* The drawing (web_svg_trend checked the arguments; a holds the texts). */
static int trend_body(core_buf *b, core_arena *a, const char *id, const char *title, const char *desc,
                      const web_trend_point *pts, size_t n, int has_target, double target,
                      const char *target_label, const char *lang)
{
    for (size_t i = 0; i < n; i++)
        if (!isfinite(pts[i].value))
            return CORE_INVALID;
    int rc = head(b, id, "img", TR_W, TR_H, title);
    if (desc && *desc) {
        rc |= core_buf_html(b, desc);
        rc |= core_buf_puts(b, " ");
    }
    for (size_t i = 0; i < n; i++)
        rc |= core_buf_printf(b, "%s: %s%s", day_text(a, lang, pts[i].day), num_text(a, lang, pts[i].value, 0),
                              i + 1 < n ? "; " : ".");
    if (has_target) {
        rc |= core_buf_puts(b, " ");
        rc |= core_buf_html(b, target_label ? target_label : "");
        rc |= core_buf_printf(b, ": %s.", num_text(a, lang, target, 0));
    }
    rc |= core_buf_puts(b, "</desc>");
    rc |= core_buf_printf(b, "<rect class=\"chart-bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
                          TR_W, TR_H);
    double lo = has_target ? target : 0, hi = has_target ? target : 0;
    int64_t d0 = 0, d1 = 0;
    for (size_t i = 0; i < n; i++) {
        if ((i == 0 && !has_target) || pts[i].value < lo)
            lo = pts[i].value;
        if ((i == 0 && !has_target) || pts[i].value > hi)
            hi = pts[i].value;
        if (i == 0 || pts[i].day < d0)
            d0 = pts[i].day;
        if (i == 0 || pts[i].day > d1)
            d1 = pts[i].day;
    }
    if (hi - lo < 1e-9) {
        hi += 1;
        lo -= 1;
    }
    double pad = (hi - lo) * 0.08;
    hi += pad;
    lo -= pad;
    int pw = TR_W - TR_LEFT - TR_RIGHT, ph = TR_H - TR_TOP - TR_BOTTOM;
#define PX(day) (TR_LEFT + (d1 > d0 ? (double)((day) - d0) / (double)(d1 - d0) * pw : pw / 2.0))
#define PY(v) (TR_TOP + (hi - (v)) / (hi - lo) * ph)
    /* axes */
    rc |= core_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8a949e\"/>", TR_LEFT, TR_TOP,
                          TR_LEFT, TR_TOP + ph);
    rc |= core_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#8a949e\"/>", TR_LEFT,
                          TR_TOP + ph, TR_LEFT + pw, TR_TOP + ph);
    rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\" "
                          "fill=\"#1b1f24\" font-size=\"12\">%s</text>", TR_LEFT - 6, TR_TOP, num_text(a, lang, hi, 1));
    rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" dominant-baseline=\"middle\" "
                          "fill=\"#1b1f24\" font-size=\"12\">%s</text>", TR_LEFT - 6, TR_TOP + ph,
                          num_text(a, lang, lo, 1));
    if (n > 0) {
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" fill=\"#1b1f24\" font-size=\"12\">%s</text>", TR_LEFT,
                              TR_H - 12, day_text(a, lang, d0));
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\" fill=\"#1b1f24\" "
                              "font-size=\"12\">%s</text>", TR_LEFT + pw, TR_H - 12, day_text(a, lang, d1));
    }
    if (has_target) {
        double ty = PY(target);
        rc |= core_buf_printf(b, "<g class=\"target\"><line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" "
                              "stroke=\"#2e7d32\" stroke-width=\"2\" stroke-dasharray=\"6 4\"/>",
                              TR_LEFT, ty, TR_LEFT + pw, ty);
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" fill=\"#2e7d32\" font-size=\"12\">",
                              TR_LEFT + pw, ty - 4);
        rc |= core_buf_html(b, target_label ? target_label : "");
        rc |= core_buf_printf(b, " %s</text></g>", num_text(a, lang, target, 0));
    }
    if (n > 1) {
        rc |= core_buf_puts(b, "<polyline class=\"trend-line\" fill=\"none\" stroke=\"#0b4f8a\" stroke-width=\"2\" points=\"");
        for (size_t i = 0; i < n; i++)
            rc |= core_buf_printf(b, "%s%.1f,%.1f", i ? " " : "", PX(pts[i].day), PY(pts[i].value));
        rc |= core_buf_puts(b, "\"/>");
    }
    for (size_t i = 0; i < n; i++)
        rc |= core_buf_printf(b, "<g class=\"point\"><title>%s: %s</title><circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
                              "fill=\"#0b4f8a\"/></g>", day_text(a, lang, pts[i].day),
                              num_text(a, lang, pts[i].value, 0), PX(pts[i].day), PY(pts[i].value));
#undef PX
#undef PY
    rc |= core_buf_puts(b, "</svg>");
    return rc ? CORE_NOMEM : CORE_OK;
}

int web_svg_trend(core_buf *b, const char *id, const char *title, const char *desc,
                  const web_trend_point *pts, size_t n, int has_target, double target,
                  const char *target_label, const char *lang)
{
    if (!b || !id_ok(id) || !title || (n && !pts) || (has_target && !isfinite(target)))
        return CORE_INVALID;
    core_arena fa;   /* the formatted dates and numbers */
    core_arena_init(&fa);
    int rc = trend_body(b, &fa, id, title, desc, pts, n, has_target, target, target_label, lang);
    core_arena_cleanup(&fa);
    return rc;
}
