/* rpt_data: one organisation's report data for a period (the stored cells
 * summed over the days, the trend by day, the government requests, the
 * grievance statistics the caller computed) and its JSON form, which the
 * API serves and the HTML pages render.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "report/report.h"

static int leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int rpt_day_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1970 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= mdays[m - 1] + (m == 2 && leap(y));
}

int64_t rpt_day_epoch(const char *day)
{
    if (!rpt_day_valid(day))
        return 0;
    int y = (int)strtol(day, NULL, 10), m = (int)strtol(day + 5, NULL, 10);
    int d = (int)strtol(day + 8, NULL, 10);
    /* days from civil (Howard Hinnant's algorithm) */
    y -= m <= 2;
    int era = y / 400;
    int yoe = y - era * 400;
    int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    int64_t days = (int64_t)era * 146097 + doe - 719468;
    return days * 86400;
}

void rpt_today(char out[11])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 11, "%Y-%m-%d", &tm);
}

int rpt_load(store_conn *c, core_arena *a, const store_org *org, const char *from,
             const char *to, const json_t *grievances, rpt_data *out)
{
    memset(out, 0, sizeof *out);
    if ((from && *from && !rpt_day_valid(from)) || (to && *to && !rpt_day_valid(to)) ||
        (from && to && *from && *to && strcmp(from, to) > 0))
        return CORE_INVALID;
    out->org_slug = org->slug;
    out->org_name = org->name;
    out->grievances = grievances;
    char today[11];
    rpt_today(today);
    out->today = core_arena_strdup(a, today);
    int64_t total = 0;
    int rc = store_tr_agg_range(c, a, org->id, &out->first_day, &out->last_day, &total);
    if (rc != CORE_OK)
        return rc;
    out->from = from && *from ? from : (*out->first_day ? out->first_day : out->today);
    out->to = to && *to ? to : (*out->last_day ? out->last_day : out->today);
    if (strcmp(out->from, out->to) > 0)
        out->to = out->from;
    rc = store_tr_agg_sum(c, a, org->id, out->from, out->to, &out->cells, &out->ncells);
    if (rc == CORE_OK)
        rc = store_tr_agg_trend(c, a, org->id, out->from, out->to, &out->trend, &out->ntrend);
    if (rc == CORE_OK)
        /* government requests carry their own periods: without a period asked
         * for, every imported line counts */
        rc = store_tr_gov_list(c, a, org->id, from && *from ? from : NULL,
                               to && *to ? to : NULL, &out->gov, &out->ngov);
    return rc;
}

/* ---- JSON ---- */

static void add_count(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer((v ? json_integer_value(v) : 0) + n));
}

static int cmp_kc(const void *x, const void *y)
{
    const json_t *a = *(json_t *const *)x, *b = *(json_t *const *)y;
    json_int_t na = json_integer_value(json_object_get(a, "count"));
    json_int_t nb = json_integer_value(json_object_get(b, "count"));
    if (na != nb)
        return na > nb ? -1 : 1;
    return strcmp(json_string_value(json_object_get(a, "key")),
                  json_string_value(json_object_get(b, "key")));
}

/* {"k": n, ...} -> [{"key": k, "count": n}] largest first; consumes obj. */
static json_t *ranked(json_t *obj)
{
    size_t n = json_object_size(obj), i = 0;
    json_t **v = calloc(n ? n : 1, sizeof *v);
    json_t *arr = json_array();
    const char *k;
    json_t *val;
    if (!v || !arr) {
        free(v);
        json_decref(obj);
        return arr;
    }
    json_object_foreach(obj, k, val)
        v[i++] = json_pack("{s:s, s:I}", "key", k, "count", json_integer_value(val));
    qsort(v, n, sizeof *v, cmp_kc);
    for (i = 0; i < n; i++)
        json_array_append_new(arr, v[i]);
    free(v);
    json_decref(obj);
    return arr;
}

json_t *rpt_json(const rpt_data *d)
{
    json_t *cat = json_object(), *ground = json_object(), *restr = json_object(),
           *plat = json_object(), *src = json_object(), *ctype = json_object(),
           *terr = json_object();
    int64_t total = 0, detect = 0, fully = 0, partially = 0, notauto = 0;
    for (size_t i = 0; i < d->ncells; i++) {
        const store_tr_agg *c = &d->cells[i];
        if (!strcmp(c->dim, "total")) {
            total += c->n;
            add_count(cat, c->category, c->n);
            add_count(ground, c->ground, c->n);
            add_count(plat, c->platform, c->n);
            add_count(src, c->source, c->n);
            if (c->auto_detect)
                detect += c->n;
            if (!strcmp(c->auto_decision, "AUTOMATED_DECISION_FULLY"))
                fully += c->n;
            else if (!strcmp(c->auto_decision, "AUTOMATED_DECISION_PARTIALLY"))
                partially += c->n;
            else if (!strcmp(c->auto_decision, "AUTOMATED_DECISION_NOT_AUTOMATED"))
                notauto += c->n;
        } else if (!strcmp(c->dim, "restriction") && *c->value) {
            add_count(restr, c->value, c->n);
        } else if (!strcmp(c->dim, "content_type")) {
            add_count(ctype, *c->value ? c->value : "(none)", c->n);
        } else if (!strcmp(c->dim, "territorial_scope")) {
            add_count(terr, *c->value ? c->value : "(none)", c->n);
        }
    }
    json_t *trend = json_array();
    for (size_t i = 0; i < d->ntrend; i++)
        json_array_append_new(trend, json_pack("{s:s, s:I}", "day", d->trend[i].day, "count",
                                               (json_int_t)d->trend[i].n));
    json_t *out = json_pack(
        "{s:{s:s, s:s}, s:{s:s, s:s}, s:s, s:{s:I, s:s, s:s},"
        " s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:{s:I, s:I, s:I, s:I, s:o, s:o}, s:o, s:o, s:O}",
        "org", "slug", d->org_slug ? d->org_slug : "", "name", d->org_name ? d->org_name : "",
        "period", "from", d->from, "to", d->to, "generated", d->today,
        "statements", "total", (json_int_t)total, "first_day", d->first_day, "last_day",
        d->last_day,
        "by_category", ranked(cat), "by_ground", ranked(ground), "by_restriction", ranked(restr),
        "by_platform", ranked(plat), "by_source", ranked(src), "by_content_type", ranked(ctype),
        "by_territorial_scope", ranked(terr),
        "automated", "detection", (json_int_t)detect, "fully", (json_int_t)fully, "partially",
        (json_int_t)partially, "not_automated", (json_int_t)notauto, "share_fully",
        total ? json_real((double)fully / (double)total) : json_null(), "share_detection",
        total ? json_real((double)detect / (double)total) : json_null(),
        "trend", trend, "government_requests", rpt_gov_json(d->gov, d->ngov),
        "grievances", d->grievances ? (json_t *)d->grievances : json_null());
    return out;
}
