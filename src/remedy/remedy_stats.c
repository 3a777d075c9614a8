/* remedy_stats: statistics of one organisation's grievance mechanism, for
 * transparency and the UNGP 31 criteria (GET /api/v1/grievances/stats, the
 * staff dashboard, the published figures).
 *
 * Computed exactly from the rows of the cases filed in [from, to): clear
 * columns only (state, category, product, country, channel, language, times,
 * satisfaction) of the case rows, then the org's clocks, remedy types and
 * states, and appeal steps in one query each (store_stats_*), kept for the
 * cases of the period. No case content is read and nothing identifies a
 * complainant.
 *   - counts by state, category (the right concerned, as the mechanism
 *     classifies it), product (catalogue slug; "none"), country ("unknown"),
 *     channel and language;
 *   - per clock: decided (stopped, or past due), met (stopped by the due
 *     date) and share = met / decided (null when nothing is decided);
 *   - days (fractional) from filing to acknowledgement and to closure:
 *     count, median and 90th percentile by nearest rank (sorted ascending,
 *     the value at 1-based rank ceil(p * n / 100)), mean;
 *   - remedies by type and by state; appeals filed, reopened on review,
 *     upheld, pending; satisfaction count, mean and 1-5 distribution.
 * k-anonymity: in every breakdown ("by_*" and the satisfaction
 * distribution), a count c with 0 < c < k is replaced by null and added to
 * "suppressed" of that breakdown. Staff default k = 0; the public view uses
 * k = 5 and leaves out channel and language.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "remedy/remedy_eco.h"

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return a < b ? -1 : a > b;
}

int rmd_percentile(double *v, size_t n, int pct, double *out)
{
    if (!v || !n || pct <= 0 || pct > 100)
        return CORE_INVALID;
    qsort(v, n, sizeof *v, cmp_double);
    size_t rank = ((size_t)pct * n + 99) / 100;   /* ceil(pct * n / 100), >= 1 */
    if (rank < 1)
        rank = 1;
    *out = v[rank - 1];
    return CORE_OK;
}

static void inc(json_t *obj, const char *key)
{
    json_t *v = json_object_get(obj, key);
    json_object_set_new(obj, key, json_integer(v ? json_integer_value(v) + 1 : 1));
}

/* Replaces counts below k by null; returns the breakdown with "suppressed". */
static json_t *suppress(json_t *counts, int k)
{
    json_t *out = json_object();
    json_int_t hidden = 0;
    const char *key;
    json_t *v;
    json_object_foreach(counts, key, v) {
        json_int_t c = json_integer_value(v);
        if (k > 0 && c > 0 && c < k) {
            json_object_set_new(out, key, json_null());
            hidden += c;
        } else {
            json_object_set_new(out, key, json_integer(c));
        }
    }
    json_decref(counts);
    json_t *wrap = json_pack("{s:o, s:I}", "counts", out, "suppressed", hidden);
    return wrap;
}

static json_t *durations(double *v, size_t n)
{
    if (!n)
        return json_pack("{s:i, s:n, s:n, s:n}", "count", 0, "median_days", "p90_days", "mean_days");
    double sum = 0, med = 0, p90 = 0;
    for (size_t i = 0; i < n; i++)
        sum += v[i];
    rmd_percentile(v, n, 50, &med);
    rmd_percentile(v, n, 90, &p90);
    return json_pack("{s:I, s:f, s:f, s:f}", "count", (json_int_t)n, "median_days", med, "p90_days",
                     p90, "mean_days", sum / (double)n);
}

typedef struct clock_tally {
    json_int_t decided, met;
} clock_tally;

static int grow_d(core_arena *a, double **arr, size_t n, size_t *cap)
{
    if (n < *cap)
        return CORE_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    double *g = core_arena_alloc(a, nc * sizeof *g);
    if (!g)
        return CORE_NOMEM;
    if (n)
        memcpy(g, *arr, n * sizeof *g);
    *arr = g;
    *cap = nc;
    return CORE_OK;
}

static int grow_id(core_arena *a, int64_t **arr, size_t n, size_t *cap)
{
    if (n < *cap)
        return CORE_OK;
    size_t nc = *cap ? *cap * 2 : 64;
    int64_t *g = core_arena_alloc(a, nc * sizeof *g);
    if (!g)
        return CORE_NOMEM;
    if (n)
        memcpy(g, *arr, n * sizeof *g);
    *arr = g;
    *cap = nc;
    return CORE_OK;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

/* Is case id among the cases of the period (ids sorted)? */
static int in_period(const int64_t *ids, size_t n, int64_t id)
{
    return n && bsearch(&id, ids, n, sizeof *ids, cmp_id) != NULL;
}

static const char *product_slug(const store_product *ps, size_t np, int64_t id)
{
    if (!id)
        return "none";
    for (size_t i = 0; i < np; i++)
        if (ps[i].id == id)
            return ps[i].slug;
    return "other";
}

static int compute(store_conn *c, core_arena *a, int64_t org_id, const rmd_stats_options *o,
                   int64_t now, json_t **out)
{
    store_product *ps;
    size_t np;
    int rc = store_product_list(c, a, org_id, &ps, &np);
    if (rc != CORE_OK)
        return rc;
    json_t *by_state = json_object(), *by_cat = json_object(), *by_product = json_object(),
           *by_country = json_object(), *by_channel = json_object(), *by_lang = json_object(),
           *rem_type = json_object(), *rem_state = json_object(), *sat_dist = json_object();
    clock_tally tally[GRV_CLOCK__COUNT];
    memset(tally, 0, sizeof tally);
    double *ack = NULL, *closure = NULL;
    int64_t *ids = NULL;
    size_t nids = 0, cids = 0;
    size_t nack = 0, cack = 0, nclose = 0, cclose = 0;
    json_int_t total = 0, sat_n = 0, sat_sum = 0, appeals = 0, reopened = 0, upheld = 0;
    for (int s = 1; s <= 5; s++) {
        char key[2] = {(char)('0' + s), 0};
        json_object_set_new(sat_dist, key, json_integer(0));
    }
    const int page = 500;
    for (int offset = 0; rc == CORE_OK; offset += page) {
        store_grievance_filter f = {.limit = page, .offset = offset};
        store_grievance *gs;
        size_t ng;
        rc = store_grievance_list(c, a, org_id, &f, &gs, &ng);
        if (rc != CORE_OK)
            break;
        for (size_t i = 0; rc == CORE_OK && i < ng; i++) {
            const store_grievance *g = &gs[i];
            if ((o->from && g->created_at < o->from) || (o->to && g->created_at >= o->to))
                continue;
            total++;
            inc(by_state, g->state);
            inc(by_cat, g->category);
            inc(by_product, product_slug(ps, np, g->product_id));
            inc(by_country, g->country && *g->country ? g->country : "unknown");
            inc(by_channel, g->channel);
            inc(by_lang, g->language);
            if (g->acknowledged_at > 0 && (rc = grow_d(a, &ack, nack, &cack)) == CORE_OK)
                ack[nack++] = (double)(g->acknowledged_at - g->created_at) / 86400.0;
            if (rc == CORE_OK && g->closed_at > 0 && (rc = grow_d(a, &closure, nclose, &cclose)) == CORE_OK)
                closure[nclose++] = (double)(g->closed_at - g->created_at) / 86400.0;
            if (g->satisfaction >= 1 && g->satisfaction <= 5) {
                char key[2] = {(char)('0' + g->satisfaction), 0};
                inc(sat_dist, key);
                sat_n++;
                sat_sum += g->satisfaction;
            }
            if (rc == CORE_OK && (rc = grow_id(a, &ids, nids, &cids)) == CORE_OK)
                ids[nids++] = g->id;
        }
        if (rc != CORE_OK || ng < (size_t)page)
            break;
    }
    /* clocks, remedies and appeal steps of the org in one query each */
    if (rc == CORE_OK && nids)
        qsort(ids, nids, sizeof *ids, cmp_id);
    store_stats_row *rows = NULL;
    size_t nrows = 0;
    if (rc == CORE_OK)
        rc = store_stats_clocks(c, a, org_id, &rows, &nrows);
    for (size_t j = 0; rc == CORE_OK && j < nrows; j++) {
        if (!in_period(ids, nids, rows[j].case_id))
            continue;
        for (int k = 0; k < GRV_CLOCK__COUNT; k++) {
            if (strcmp(rows[j].a, grv_clock_name((grv_clock_kind)k)))
                continue;
            if (rows[j].stopped_at > 0) {
                tally[k].decided++;
                tally[k].met += rows[j].stopped_at <= rows[j].due_at;
            } else if (rows[j].paused_since == 0 && rows[j].due_at < now) {
                tally[k].decided++;          /* running and already late: missed */
            }
        }
    }
    if (rc == CORE_OK)
        rc = store_stats_remedies(c, a, org_id, &rows, &nrows);
    for (size_t j = 0; rc == CORE_OK && j < nrows; j++) {
        if (!in_period(ids, nids, rows[j].case_id))
            continue;
        inc(rem_type, rows[j].a);
        inc(rem_state, rows[j].b ? rows[j].b : "unknown");
    }
    if (rc == CORE_OK)
        rc = store_stats_appeal_steps(c, a, org_id, &rows, &nrows);
    for (size_t j = 0; rc == CORE_OK && j < nrows; j++) {
        if (!in_period(ids, nids, rows[j].case_id))
            continue;
        if (!strcmp(rows[j].a, "appeal"))
            appeals++;
        else if (!strcmp(rows[j].a, "review_appeal"))
            reopened++;
        else if (!strcmp(rows[j].a, "uphold"))
            upheld++;
    }
    json_t *clocks = json_object();
    for (int k = 0; k < GRV_CLOCK__COUNT; k++) {
        json_t *share = tally[k].decided ? json_real((double)tally[k].met / (double)tally[k].decided)
                                         : json_null();
        json_object_set_new(clocks, grv_clock_name((grv_clock_kind)k),
                            json_pack("{s:I, s:I, s:o}", "decided", tally[k].decided, "met",
                                      tally[k].met, "share", share));
    }
    json_t *ack_j = durations(ack, nack), *close_j = durations(closure, nclose);
    int k = o->k_threshold;
    json_t *res = json_pack(
        "{s:I, s:I, s:I, s:i, s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o,"
        " s:{s:o, s:o}, s:{s:I, s:I, s:I, s:I}, s:{s:I, s:o, s:o}}",
        "org_id", (json_int_t)org_id, "from", (json_int_t)o->from, "to", (json_int_t)o->to,
        "k_threshold", k, "total", total, "by_state", suppress(by_state, k), "by_category",
        suppress(by_cat, k), "by_product", suppress(by_product, k), "by_country",
        suppress(by_country, k), "within_limit", clocks, "days_to_acknowledgement", ack_j,
        "days_to_closure", close_j, "remedies", "by_type", suppress(rem_type, k), "by_state",
        suppress(rem_state, k), "appeals", "filed", appeals, "reopened", reopened, "upheld", upheld,
        "pending", appeals - reopened - upheld > 0 ? appeals - reopened - upheld : 0,
        "satisfaction", "count", sat_n, "mean", sat_n ? json_real((double)sat_sum / (double)sat_n) : json_null(),
        "distribution", suppress(sat_dist, k));
    if (res && !o->public_view) {
        json_object_set_new(res, "by_channel", suppress(by_channel, k));
        json_object_set_new(res, "by_language", suppress(by_lang, k));
    } else {
        json_decref(by_channel);
        json_decref(by_lang);
    }
    if (res && o->public_view)
        json_object_del(res, "org_id");
    if (rc != CORE_OK || !res) {
        json_decref(res);
        return rc != CORE_OK ? rc : CORE_NOMEM;
    }
    *out = res;
    return CORE_OK;
}

static int run(rmd_service *svc, core_arena *a, int64_t org_id, const rmd_stats_options *o,
               json_t **out)
{
    *out = NULL;
    if (o->k_threshold < 0 || (o->from && o->to && o->to < o->from))
        return CORE_INVALID;
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    rc = compute(c, a, org_id, o, rmd_now(svc), out);
    eco_release(svc, c);
    return rc;
}

int rmd_stats_ex(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                 const rmd_stats_options *o, json_t **out)
{
    *out = NULL;
    if (!actor || !core_authz_allows(actor->role, CORE_PERM_STATS_READ))
        return CORE_DENIED;
    return run(svc, a, actor->org_id, o, out);
}

int rmd_stats(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t from, int64_t to,
              json_t **out)
{
    rmd_stats_options o = {.from = from, .to = to};
    return rmd_stats_ex(svc, a, actor, &o, out);
}

int rmd_stats_public(rmd_service *svc, core_arena *a, int64_t org_id, int64_t from, int64_t to,
                     json_t **out)
{
    rmd_stats_options o = {.from = from, .to = to, .k_threshold = 5, .public_view = 1};
    return run(svc, a, org_id, &o, out);
}
