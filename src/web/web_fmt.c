/* web_fmt: dates, times and numbers in the conventions of the page language,
 * from small built-in tables (after CLDR's medium date and decimal formats)
 * so that output never depends on the locales installed on the machine.
 *
 *   lang  date               time                        1234567.5      45 %
 *   en    2026-11-28         2026-11-28 14:05 UTC        1,234,567.5    45%
 *   fr    28 nov. 2026       28 nov. 2026, 14:05 UTC     1 234 567,5    45 %   (U+202F)
 *   es    28 nov 2026        28 nov 2026, 14:05 UTC      1.234.567,5    45 %   (U+00A0)
 *   ru    28 нояб. 2026 г.   28 нояб. 2026 г., 14:05 UTC 1 234 567,5    45 %   (U+00A0)
 *   zh    2026年11月28日      2026年11月28日 14:05 UTC      1,234,567.5    45%
 *   ar    28 نوفمبر 2026      28 نوفمبر 2026، 14:05 UTC    1,234,567.5    45%
 *
 * English keeps ISO 8601 dates (unambiguous for an international audience,
 * and what the staff exports use). Arabic keeps Western digits. Spanish, like
 * CLDR, does not group four-digit numbers (1234, but 12.345). An unknown
 * language is formatted as English.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "web/web.h"
#include "web/web_internal.h"

typedef struct fmt_lang {
    const char *lang;
    const char *dir;
    const char *name;            /* the language's own name */
    const char *group;           /* thousands separator */
    const char *decimal;
    const char *pct;             /* between the number and "%" */
    int min_group;               /* digits before grouping starts: 4, or 5 for es */
    const char *months[12];      /* NULL: numeric ISO date */
    const char *date_fmt;        /* printf: day, month name, year (positional via order) */
    int ymd;                     /* 1: year, month number, day (zh) */
    const char *time_sep;        /* between date and time */
} fmt_lang;

#define NNBSP "\xe2\x80\xaf"     /* U+202F narrow no-break space */
#define NBSP "\xc2\xa0"          /* U+00A0 no-break space */

static const fmt_lang LANGS[] = {
    {"en", "ltr", "English", ",", ".", "", 4, {NULL}, NULL, 0, " "},
    {"ar", "rtl", "العربية", ",", ".", "", 4,
     {"يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
      "نوفمبر", "ديسمبر"}, "%d %s %d", 0, "، "},
    {"es", "ltr", "Español", ".", ",", NBSP, 5,
     {"ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sept", "oct", "nov", "dic"},
     "%d %s %d", 0, ", "},
    {"fr", "ltr", "Français", NNBSP, ",", NNBSP, 4,
     {"janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.",
      "déc."}, "%d %s %d", 0, ", "},
    {"ru", "ltr", "Русский", NBSP, ",", NBSP, 4,
     {"янв.", "февр.", "мар.", "апр.", "мая", "июн.", "июл.", "авг.", "сент.", "окт.", "нояб.",
      "дек."}, "%d %s %d г.", 0, ", "},
    {"zh", "ltr", "中文", ",", ".", "", 4, {NULL}, "%d年%d月%d日", 1, " "},
};

static const fmt_lang *lang_of(const char *lang)
{
    for (size_t i = 0; lang && i < sizeof LANGS / sizeof LANGS[0]; i++)
        if (strcmp(LANGS[i].lang, lang) == 0)
            return &LANGS[i];
    return &LANGS[0];
}

const char *web_lang_dir(const char *lang)
{
    return lang_of(lang)->dir;
}

const char *web_lang_name(const char *lang)
{
    const fmt_lang *l = lang_of(lang);
    return lang && strcmp(l->lang, lang) == 0 ? l->name : lang ? lang : "";
}

static int date_into(const fmt_lang *l, int64_t t, char *buf, size_t n, struct tm *tm)
{
    time_t tt = (time_t)t;
    if (t <= 0 || !gmtime_r(&tt, tm))
        return -1;
    int y = tm->tm_year + 1900, m = tm->tm_mon + 1, d = tm->tm_mday;
    int w;
    if (l->ymd)
        w = snprintf(buf, n, l->date_fmt, y, m, d);
    else if (l->months[0])
        w = snprintf(buf, n, l->date_fmt, d, l->months[m - 1], y);
    else
        w = snprintf(buf, n, "%04d-%02d-%02d", y, m, d);
    return w < 0 || (size_t)w >= n ? -1 : 0;
}

const char *web_fmt_date(core_arena *a, const char *lang, int64_t t)
{
    char buf[64];
    struct tm tm;
    if (date_into(lang_of(lang), t, buf, sizeof buf, &tm) != 0)
        return "";
    return core_arena_strdup(a, buf);
}

const char *web_fmt_time(core_arena *a, const char *lang, int64_t t)
{
    const fmt_lang *l = lang_of(lang);
    char buf[64];
    struct tm tm;
    if (date_into(l, t, buf, sizeof buf, &tm) != 0)
        return "";
    return core_arena_printf(a, "%s%s%02d:%02d UTC", buf, l->time_sep, tm.tm_hour, tm.tm_min);
}

/* Groups the digits of an unsigned decimal string with l's separator. */
static void group_into(core_buf *b, const fmt_lang *l, const char *digits)
{
    size_t n = strlen(digits);
    int group = n >= (size_t)l->min_group;
    for (size_t i = 0; i < n; i++) {
        if (group && i > 0 && (n - i) % 3 == 0)
            core_buf_puts(b, l->group);
        core_buf_putc(b, digits[i]);
    }
}

static const char *number(core_arena *a, const fmt_lang *l, double x, int decimals)
{
    if (decimals < 0)
        decimals = 0;
    if (decimals > 6)
        decimals = 6;
    if (!isfinite(x))
        return "–";
    char raw[80];
    snprintf(raw, sizeof raw, "%.*f", decimals, fabs(x));
    int neg = x < 0 && strspn(raw, "0.") != strlen(raw);    /* no "-0" */
    char *dot = strchr(raw, '.');
    if (dot)
        *dot = '\0';
    core_buf b;
    core_buf_init(&b);
    if (neg)
        core_buf_puts(&b, "-");
    group_into(&b, l, raw);
    if (dot) {
        core_buf_puts(&b, l->decimal);
        core_buf_puts(&b, dot + 1);
    }
    const char *s = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s ? s : "";
}

const char *web_fmt_int(core_arena *a, const char *lang, long long n)
{
    const fmt_lang *l = lang_of(lang);
    char raw[32];
    unsigned long long u = n < 0 ? 0ULL - (unsigned long long)n : (unsigned long long)n;
    snprintf(raw, sizeof raw, "%llu", u);
    core_buf b;
    core_buf_init(&b);
    if (n < 0)
        core_buf_puts(&b, "-");
    group_into(&b, l, raw);
    const char *s = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s ? s : "";
}

const char *web_fmt_dec(core_arena *a, const char *lang, double x, int decimals)
{
    return number(a, lang_of(lang), x, decimals);
}

const char *web_fmt_num(core_arena *a, const char *lang, double x)
{
    if (isfinite(x) && x == floor(x) && fabs(x) < 1e15)
        return web_fmt_int(a, lang, (long long)x);
    /* as many decimals as "%g" shows (six significant digits), at most six */
    char g[48];
    snprintf(g, sizeof g, "%.6g", x);
    const char *dot = strchr(g, '.');
    int decimals = dot && !strchr(g, 'e') ? (int)strlen(dot + 1) : 2;
    return number(a, lang_of(lang), x, decimals);
}

const char *web_fmt_pct(core_arena *a, const char *lang, double pct, int decimals)
{
    const fmt_lang *l = lang_of(lang);
    return core_arena_printf(a, "%s%s%%", number(a, l, pct, decimals), l->pct);
}
