/* web_svg: small server-side SVG charts for the staff dashboards. No script
 * and no style attribute (the CSP allows neither inline): colours come from
 * presentation attributes (fill=) and classes of app.css. Accessible: the
 * chart is role="img" labelled by its <title> and <desc>, every bar carries a
 * text label and its value as text (never colour alone), and each bar has its
 * own <title> for pointer users. Every label is HTML/XML-escaped; a long
 * label is shortened with an ellipsis in the drawing only.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web_internal.h"

#define ROW_H 28
#define BAR_H 18
#define LABEL_W 200
#define BAR_W 320
#define VALUE_W 90
#define PAD 8

static int id_ok(const char *id)
{
    if (!id || !*id || strlen(id) > 40)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
            return 0;
    return 1;
}

#define LABEL_MAX 26   /* characters that fit in LABEL_W at 14 px */

/* The visible label: at most LABEL_MAX characters (UTF-8 aware) and an
 * ellipsis; the full text stays in the bar's <title>, the <desc> and the
 * table next to the chart. */
static int put_label(core_buf *b, const char *s)
{
    size_t chars = 0, i = 0, cut = 0;
    for (; s[i]; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80 && chars++ == LABEL_MAX - 1)
            cut = i;
    if (chars <= LABEL_MAX)
        return core_buf_html(b, s);
    while (cut > 0 && s[cut - 1] == ' ')
        cut--;
    char *t = strndup(s, cut);
    if (!t)
        return CORE_NOMEM;
    int rc = core_buf_html(b, t);
    free(t);
    return rc | core_buf_puts(b, "\xe2\x80\xa6");
}

/* A value in the chart's language ("12,5" in French). */
static int put_num(core_buf *b, const char *lang, double x)
{
    core_arena a;
    core_arena_init(&a);
    const char *s = web_fmt_num(&a, lang, x);
    int rc = s ? core_buf_html(b, s) : CORE_NOMEM;
    core_arena_cleanup(&a);
    return rc;
}

int web_svg_bar_chart(core_buf *b, const char *id, const char *title, const char *desc,
                      const web_bar *bars, size_t n, const char *lang)
{
    if (!b || !id_ok(id) || !title || (n && !bars))
        return CORE_INVALID;
    double max = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(bars[i].value) || bars[i].value < 0)
            return CORE_INVALID;
        if (bars[i].value > max)
            max = bars[i].value;
    }
    int width = LABEL_W + BAR_W + VALUE_W + 2 * PAD;
    int height = (int)(n ? n : 1) * ROW_H + 2 * PAD;
    int rc = core_buf_printf(b,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart\" role=\"img\" "
        "viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" aria-labelledby=\"%s-title %s-desc\">",
        width, height, width, height, id, id);
    rc |= core_buf_printf(b, "<title id=\"%s-title\">", id);
    rc |= core_buf_html(b, title);
    rc |= core_buf_printf(b, "</title><desc id=\"%s-desc\">", id);
    /* the description lists every value, so the chart reads well as text */
    if (desc && *desc) {
        rc |= core_buf_html(b, desc);
        rc |= core_buf_puts(b, " ");
    }
    for (size_t i = 0; i < n; i++) {
        rc |= core_buf_html(b, bars[i].label ? bars[i].label : "");
        rc |= core_buf_puts(b, ": ");
        if (bars[i].value_text)
            rc |= core_buf_html(b, bars[i].value_text);
        else
            rc |= put_num(b, lang, bars[i].value);
        rc |= core_buf_puts(b, i + 1 < n ? "; " : ".");
    }
    rc |= core_buf_puts(b, "</desc>");
    rc |= core_buf_printf(b, "<rect class=\"chart-bg\" x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>",
                          width, height);
    for (size_t i = 0; i < n; i++) {
        int y = PAD + (int)i * ROW_H;
        int w = max > 0 ? (int)lround(bars[i].value / max * BAR_W) : 0;
        if (bars[i].value > 0 && w < 2)
            w = 2;                               /* a non-zero value stays visible */
        rc |= core_buf_printf(b, "<g class=\"bar\"><title>");
        rc |= core_buf_html(b, bars[i].label ? bars[i].label : "");
        rc |= core_buf_puts(b, ": ");
        if (bars[i].value_text)
            rc |= core_buf_html(b, bars[i].value_text);
        else
            rc |= put_num(b, lang, bars[i].value);
        rc |= core_buf_printf(b, "</title><text x=\"%d\" y=\"%d\" text-anchor=\"end\" "
                              "dominant-baseline=\"middle\" fill=\"#1b1f24\" font-size=\"14\">",
                              LABEL_W, y + ROW_H / 2);
        rc |= put_label(b, bars[i].label ? bars[i].label : "");
        rc |= core_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#0b4f8a\"/>",
                              LABEL_W + PAD, y + (ROW_H - BAR_H) / 2, w, BAR_H);
        rc |= core_buf_printf(b, "<text x=\"%d\" y=\"%d\" dominant-baseline=\"middle\" fill=\"#1b1f24\" "
                              "font-size=\"14\">", LABEL_W + 2 * PAD + w, y + ROW_H / 2);
        if (bars[i].value_text)
            rc |= core_buf_html(b, bars[i].value_text);
        else
            rc |= put_num(b, lang, bars[i].value);
        rc |= core_buf_puts(b, "</text></g>");
    }
    rc |= core_buf_puts(b, "</svg>");
    return rc ? CORE_NOMEM : CORE_OK;
}
