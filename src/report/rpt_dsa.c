/* rpt_dsa: the harmonised transparency report templates of Annex I of
 * Implementing Regulation (EU) 2024/2835, filled from the stored aggregates.
 *
 * Each part is written with its official header and rows (rpt_dsa_tables.h,
 * generated from the official CSV templates). Placeholders are replaced:
 * "YYYY-MM-DD/YYYY-MM-DD" by the period, the "Other" keyword description
 * and every value the data cannot give are left empty (never invented).
 * The member-state row "AT, [...], SE" of part 3 becomes one row per
 * member state; the "[...]" language rows of parts 8-10 are left out.
 *
 * What is filled, and from what (statements of reasons: tr_agg cells):
 *  1 summary: provider name (the org), publication date (today), period.
 *  3 orders: TOTAL category rows only: orders to act = government removal
 *    demands, items = accounts/items specified, orders to provide
 *    information = user-data requests; from EU member states only (Scope
 *    TOTAL = sum of them). Median times stay empty.
 *  4 notices: statements following a notice (source Article 16 or trusted
 *    flagger): actions on the basis of the law (ground illegal content) and
 *    of the terms and conditions (ground incompatible), with the trusted
 *    flagger columns from source trusted flagger. Notices received, items
 *    and median times are not in statements of reasons: empty.
 *  5/6 own initiative (source voluntary) with ground illegal (5) or
 *    incompatible with the terms (6), per category and keyword
 *    (category_specification): measures, measures after automated detection
 *    (automated_detection = Yes), and each restriction type column from the
 *    decision_visibility / _monetary / _provision / _account values.
 *  7 internal complaints: from the grievance mechanism (remedy statistics of
 *    the cases filed in the period): total = cases filed, upheld = appeals
 *    upheld, reversed = appeals reopened on review, median time = median days
 *    to closure; a contextual note says so. Everything else empty.
 *  8 automated means: measures with automated_decision fully automated /
 *    not automated, in total, own initiative (voluntary), notices (Article
 *    16 + trusted flagger) and trusted flagger notices. Accuracy: empty.
 *  2 is the category list as published; 9-11 carry no data: empty values.
 */
#include <stdio.h>
#include <string.h>

#include "report/report.h"
#include "report/rpt_dsa_tables.h"

#define GROUND_ILLEGAL "DECISION_GROUND_ILLEGAL_CONTENT"
#define GROUND_TC "DECISION_GROUND_INCOMPATIBLE_CONTENT"
#define SRC_ART16 "SOURCE_ARTICLE_16"
#define SRC_TF "SOURCE_TRUSTED_FLAGGER"
#define SRC_VOL "SOURCE_VOLUNTARY"

static const char *const eu27[] = {"AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI",
                                   "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
                                   "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE"};

const char *rpt_dsa_part_name(int part)
{
    return part >= 1 && part <= RPT_DSA_PARTS ? dsa_parts[part - 1].name : NULL;
}

int rpt_dsa_header(int part, const char *const **cols, size_t *ncols)
{
    if (part < 1 || part > RPT_DSA_PARTS)
        return CORE_INVALID;
    *cols = dsa_parts[part - 1].hdr;
    *ncols = dsa_parts[part - 1].ncols;
    return CORE_OK;
}

/* ---- CSV writing ---- */

static int put_field(core_buf *b, const char *s)
{
    int quote = 0;
    for (const char *p = s; *p; p++)
        if (*p == ',' || *p == '"' || *p == '\n' || *p == '\r')
            quote = 1;
    if (!quote)
        return core_buf_puts(b, s);
    int rc = core_buf_putc(b, '"');
    for (const char *p = s; rc == CORE_OK && *p; p++)
        rc = *p == '"' ? core_buf_puts(b, "\"\"") : core_buf_putc(b, *p);
    return rc == CORE_OK ? core_buf_putc(b, '"') : rc;
}

static int put_row(core_buf *b, const char *const *cells, size_t n)
{
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        if (i)
            rc = core_buf_putc(b, ',');
        if (rc == CORE_OK)
            rc = put_field(b, cells[i] ? cells[i] : "");
    }
    return rc == CORE_OK ? core_buf_putc(b, '\n') : rc;
}

/* ---- sums over the cells ---- */

typedef struct flt {
    const char *ground;              /* NULL = any */
    const char *src1, *src2;         /* NULL = any source; else one of them */
    const char *category;            /* NULL = any */
    int auto_detect;                 /* -1 any */
    const char *auto_decision;       /* NULL any */
    const char *dim;
    const char *value;               /* NULL = any value of dim */
    const char *value2;              /* or this one */
} flt;

typedef struct fill_ctx {
    const rpt_data *d;
    core_arena *a;
    const char *category;            /* STATEMENT_CATEGORY_ of the current block, NULL = TOTAL */
    const store_tr_agg **idx;        /* the cells of the dimensions below, by (dim, value) */
    size_t nidx;
} fill_ctx;

static int cmp_cell(const void *x, const void *y)
{
    const store_tr_agg *a = *(const store_tr_agg *const *)x, *b = *(const store_tr_agg *const *)y;
    int c = strcmp(a->dim, b->dim);
    return c ? c : strcmp(a->value, b->value);
}

/* The cells the templates use (total, keyword, restriction, kw_restriction),
 * sorted by (dim, value) so that each sum scans one range. */
static int build_index(fill_ctx *x)
{
    const rpt_data *d = x->d;
    x->idx = core_arena_alloc(x->a, (d->ncells ? d->ncells : 1) * sizeof *x->idx);
    if (!x->idx)
        return CORE_NOMEM;
    x->nidx = 0;
    for (size_t i = 0; i < d->ncells; i++) {
        const char *dim = d->cells[i].dim;
        if (!strcmp(dim, "total") || !strcmp(dim, "keyword") || !strcmp(dim, "restriction") ||
            !strcmp(dim, "kw_restriction"))
            x->idx[x->nidx++] = &d->cells[i];
    }
    qsort(x->idx, x->nidx, sizeof *x->idx, cmp_cell);
    return CORE_OK;
}

/* First index whose (dim, value) is >= the key (value NULL: the dim's first). */
static size_t lower(const fill_ctx *x, const char *dim, const char *value)
{
    size_t lo = 0, hi = x->nidx;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const store_tr_agg *c = x->idx[mid];
        int cmp = strcmp(c->dim, dim);
        if (!cmp && value)
            cmp = strcmp(c->value, value);
        if (cmp < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int64_t sum_range(const fill_ctx *x, const flt *f, const char *value)
{
    int64_t n = 0;
    for (size_t i = lower(x, f->dim, value); i < x->nidx; i++) {
        const store_tr_agg *c = x->idx[i];
        if (strcmp(c->dim, f->dim) || (value && strcmp(c->value, value)))
            break;
        if (f->ground && strcmp(c->ground, f->ground))
            continue;
        if (f->src1 && strcmp(c->source, f->src1) && (!f->src2 || strcmp(c->source, f->src2)))
            continue;
        if (f->category && strcmp(c->category, f->category))
            continue;
        if (f->auto_detect >= 0 && c->auto_detect != f->auto_detect)
            continue;
        if (f->auto_decision && strcmp(c->auto_decision, f->auto_decision))
            continue;
        n += c->n;
    }
    return n;
}

static int64_t sum(const fill_ctx *x, const flt *f)
{
    int64_t n = sum_range(x, f, f->value);
    if (f->value && f->value2 && strcmp(f->value, f->value2))
        n += sum_range(x, f, f->value2);
    return n;
}

/* restriction columns of parts 5 and 6 -> one or two decision values */
typedef struct restr_col {
    const char *col;                 /* official column name, trimmed */
    const char *v1, *v2;
} restr_col;

static const restr_col restr_cols[] = {
    {"Visibility restriction Removal", "DECISION_VISIBILITY_CONTENT_REMOVED", NULL},
    {"Visibility restriction Disable", "DECISION_VISIBILITY_CONTENT_DISABLED", NULL},
    {"Visibility restriction Demoted", "DECISION_VISIBILITY_CONTENT_DEMOTED", NULL},
    {"Visibility restriction Age restricted", "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED", NULL},
    {"Visibility restriction Interaction restricted",
     "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED", NULL},
    {"Visibility restriction Labelled", "DECISION_VISIBILITY_CONTENT_LABELLED", NULL},
    {"Visibility restriction Other", "DECISION_VISIBILITY_OTHER", NULL},
    {"Monetary restriction Suspension", "DECISION_MONETARY_SUSPENSION", NULL},
    {"Monetary restriction Termination", "DECISION_MONETARY_TERMINATION", NULL},
    {"Monetary restriction Other", "DECISION_MONETARY_OTHER", NULL},
    {"Provision of the service Suspension", "DECISION_PROVISION_PARTIAL_SUSPENSION",
     "DECISION_PROVISION_TOTAL_SUSPENSION"},
    {"Provision of the service Termination", "DECISION_PROVISION_PARTIAL_TERMINATION",
     "DECISION_PROVISION_TOTAL_TERMINATION"},
    {"Account restriction Suspension", "DECISION_ACCOUNT_SUSPENDED", NULL},
    {"Account restriction Termination", "DECISION_ACCOUNT_TERMINATED", NULL},
};

/* Column name without trailing spaces / no-break spaces equals want. */
static int col_is(const char *col, const char *want)
{
    size_t n = strlen(want);
    if (strncmp(col, want, n))
        return 0;
    const unsigned char *p = (const unsigned char *)col + n;
    while (*p) {
        if (*p == ' ')
            p++;
        else if (p[0] == 0xc2 && p[1] == 0xa0)   /* no-break space */
            p += 2;
        else
            return 0;
    }
    return 1;
}

static int is_keyword(const char *k)
{
    return !strncmp(k, "KEYWORD_", 8);
}

static const char *num(core_arena *a, int64_t n)
{
    return core_arena_printf(a, "%lld", (long long)n);
}

/* One restriction-type / measure count for a parts 5/6/4 row. kw: keyword or NULL. */
static int64_t cat_sum(const fill_ctx *x, const char *kw, flt f, const char *v1, const char *v2)
{
    f.category = x->category;
    if (!v1) {
        f.dim = kw ? "keyword" : "total";
        f.value = kw;
        return sum(x, &f);
    }
    if (!kw) {
        f.dim = "restriction";
        f.value = v1;
        f.value2 = v2;
        return sum(x, &f);
    }
    char k1[160], k2[160];
    snprintf(k1, sizeof k1, "%s|%s", kw, v1);
    snprintf(k2, sizeof k2, "%s|%s", kw, v2 ? v2 : v1);
    f.dim = "kw_restriction";
    f.value = k1;
    f.value2 = k2;
    return sum(x, &f);
}

static const char *fill_own(const fill_ctx *x, const char *key, const char *col, const char *ground)
{
    const char *kw = is_keyword(key) ? key : NULL;
    flt f = {.ground = ground, .src1 = SRC_VOL, .auto_detect = -1};
    if (col_is(col, "Number of measures taken at the provider's own initiative"))
        return num(x->a, cat_sum(x, kw, f, NULL, NULL));
    if (col_is(col, "Number of measures taken after detection with solely automated means")) {
        f.auto_detect = 1;
        return num(x->a, cat_sum(x, kw, f, NULL, NULL));
    }
    for (size_t i = 0; i < sizeof restr_cols / sizeof *restr_cols; i++)
        if (col_is(col, restr_cols[i].col))
            return num(x->a, cat_sum(x, kw, f, restr_cols[i].v1, restr_cols[i].v2));
    return NULL;
}

static const char *fill_notices(const fill_ctx *x, const char *key, const char *col)
{
    const char *kw = is_keyword(key) ? key : NULL;
    flt f = {.src1 = SRC_ART16, .src2 = SRC_TF, .auto_detect = -1};
    flt tf = {.src1 = SRC_TF, .auto_detect = -1};
    if (col_is(col, "Number of actions taken on the basis of the law")) {
        f.ground = GROUND_ILLEGAL;
        return num(x->a, cat_sum(x, kw, f, NULL, NULL));
    }
    if (col_is(col, "Number of actions taken on the basis of the law (Trusted Flagger notices)")) {
        tf.ground = GROUND_ILLEGAL;
        return num(x->a, cat_sum(x, kw, tf, NULL, NULL));
    }
    if (col_is(col, "Number of actions taken on the basis of the terms and conditions of the service")) {
        f.ground = GROUND_TC;
        return num(x->a, cat_sum(x, kw, f, NULL, NULL));
    }
    if (col_is(col, "Number of actions taken on the basis of the terms and conditions of the service"
                    " (Trusted Flagger notices)")) {
        tf.ground = GROUND_TC;
        return num(x->a, cat_sum(x, kw, tf, NULL, NULL));
    }
    return NULL;
}

/* Government requests of EU member states (country NULL = all 27). */
static int is_eu(const char *cc)
{
    for (size_t i = 0; i < sizeof eu27 / sizeof *eu27; i++)
        if (!strcmp(cc, eu27[i]))
            return 1;
    return 0;
}

static int64_t gov_sum(const rpt_data *d, const char *kind, const char *country, int accounts)
{
    int64_t n = 0;
    for (size_t i = 0; i < d->ngov; i++) {
        const store_tr_gov *g = &d->gov[i];
        if (strcmp(g->kind, kind) || !is_eu(g->country) || (country && strcmp(g->country, country)))
            continue;
        n += accounts ? g->accounts : g->requests;
    }
    return n;
}

static const char *fill_orders(const fill_ctx *x, const char *key, const char *country,
                               const char *col)
{
    if (strcmp(key, "TOTAL"))
        return NULL;                 /* requests carry no category */
    if (col_is(col, "Number of orders to act against illegal content received"))
        return num(x->a, gov_sum(x->d, "removal", country, 0));
    if (col_is(col, "Number of specific items of information included in the total number of"
                    " orders to act against illegal content"))
        return num(x->a, gov_sum(x->d, "removal", country, 1));
    if (col_is(col, "Number of orders to provide information"))
        return num(x->a, gov_sum(x->d, "user_data", country, 0));
    return NULL;
}

static const char *fill_automated(const fill_ctx *x, const char *indicator, const char *scope)
{
    flt f = {.auto_detect = -1, .dim = "total"};
    if (col_is(indicator, "Number of measures solely taken by automated means") ||
        col_is(indicator, "Number of notices solely processed by automated means"))
        f.auto_decision = "AUTOMATED_DECISION_FULLY";
    else if (col_is(indicator, "Number of measures not taken by automated means") ||
             col_is(indicator, "Number of notices not processed by automated means"))
        f.auto_decision = "AUTOMATED_DECISION_NOT_AUTOMATED";
    else
        return NULL;
    if (col_is(scope, "Own-initiative"))
        f.src1 = SRC_VOL;
    else if (col_is(scope, "NAM Total")) {
        f.src1 = SRC_ART16;
        f.src2 = SRC_TF;
    } else if (col_is(scope, "NAM Trusted Flagger"))
        f.src1 = SRC_TF;
    else if (!col_is(scope, "Total number"))
        return NULL;                 /* per-language rows: not in the data */
    return num(x->a, sum(x, &f));
}

static const json_t *jpath(const json_t *o, const char *k1, const char *k2)
{
    const json_t *v = o ? json_object_get(o, k1) : NULL;
    return v && k2 ? json_object_get(v, k2) : v;
}

static const char *fill_complaints(const fill_ctx *x, const char *indicator, const char *scope,
                                   int context)
{
    const json_t *g = x->d->grievances;
    if (!g || !col_is(indicator, "Number of complaints submitted to the internal-complaints mechanism"))
        return NULL;
    const json_t *v = NULL;
    const char *note = NULL;
    if (col_is(scope, "Total number")) {
        v = jpath(g, "total", NULL);
        note = "Grievances filed with the organisation's grievance mechanism in the period";
    } else if (col_is(scope, "Decisions upheld")) {
        v = jpath(g, "appeals", "upheld");
        note = "Appeals of grievance decisions in which the decision was upheld";
    } else if (col_is(scope, "Decisions reversed")) {
        v = jpath(g, "appeals", "reopened");
        note = "Appeals of grievance decisions reopened on review";
    } else if (col_is(scope, "Median time")) {
        v = jpath(g, "days_to_closure", "median_days");
        note = "Median days from filing to closure";
    }
    if (!v || json_is_null(v))
        return NULL;
    if (context)
        return note;
    if (json_is_integer(v))
        return num(x->a, (int64_t)json_integer_value(v));
    if (json_is_real(v))
        return core_arena_printf(x->a, "%.1f", json_real_value(v));
    return NULL;
}

/* Index of the column named want (trimmed), or -1. */
static int col_index(const dsa_part *p, const char *want)
{
    for (size_t i = 0; i < p->ncols; i++)
        if (col_is(p->hdr[i], want))
            return (int)i;
    return -1;
}

static const char *service_name(const rpt_data *d)
{
    const char *one = NULL;
    for (size_t i = 0; i < d->ncells; i++) {
        if (strcmp(d->cells[i].dim, "total"))
            continue;
        if (one && strcmp(one, d->cells[i].platform))
            return d->org_name;      /* several platforms: the provider */
        one = d->cells[i].platform;
    }
    return one && *one ? one : d->org_name;
}

static int write_part(const rpt_data *d, core_arena *a, int part, core_buf *out)
{
    const dsa_part *p = &dsa_parts[part - 1];
    const char **cells = core_arena_alloc(a, p->ncols * sizeof *cells);
    if (!cells)
        return CORE_NOMEM;
    int rc = put_row(out, p->hdr, p->ncols);
    char period[32];
    snprintf(period, sizeof period, "%s/%s", d->from, d->to);
    int c_service = col_index(p, "Service"), c_period = col_index(p, "Reporting period");
    int c_other = col_index(p, "Description of the sub-category \"Other\"");
    int c_scope = col_index(p, "Scope"), c_ind = col_index(p, "Indicator");
    int c_value = col_index(p, "Value");
    fill_ctx x = {.d = d, .a = a};
    if (rc == CORE_OK)
        rc = build_index(&x);
    for (size_t r = 0; rc == CORE_OK && r < p->nrows; r++) {
        const char *const *row = p->rows + r * p->ncols;
        const char *key = p->ncols > 3 ? row[3] : "";
        if ((part >= 3 && part <= 6)) {
            if (!strcmp(key, "TOTAL"))
                x.category = NULL;
            else if (!is_keyword(key))
                x.category = key;
        }
        int expand = part == 3 && c_scope >= 0 && strcmp(row[c_scope], "TOTAL");
        size_t reps = expand ? sizeof eu27 / sizeof *eu27 : 1;
        for (size_t k = 0; rc == CORE_OK && k < reps; k++) {
            const char *country = expand ? eu27[k] : NULL;
            for (size_t i = 0; i < p->ncols; i++) {
                const char *t = row[i], *v = t;
                if ((int)i == c_service)
                    v = part == 2 ? t : service_name(d);
                else if ((int)i == c_period)
                    v = period;
                else if ((int)i == c_other)
                    v = "";                              /* not in the data */
                else if ((int)i == c_scope && expand)
                    v = country;
                else if (part == 2 || (int)i < 4 || (int)i == c_scope || (int)i == c_ind)
                    v = t;                               /* key cells as published */
                else {
                    v = NULL;
                    switch (part) {
                    case 1:
                        v = NULL;
                        break;
                    case 3:
                        v = fill_orders(&x, key, country, p->hdr[i]);
                        break;
                    case 4:
                        v = fill_notices(&x, key, p->hdr[i]);
                        break;
                    case 5:
                        v = fill_own(&x, key, p->hdr[i], GROUND_ILLEGAL);
                        break;
                    case 6:
                        v = fill_own(&x, key, p->hdr[i], GROUND_TC);
                        break;
                    case 7:
                        v = fill_complaints(&x, row[c_ind], row[c_scope], (int)i != c_value);
                        break;
                    case 8:
                        v = (int)i == c_value ? fill_automated(&x, row[c_ind], row[c_scope]) : NULL;
                        break;
                    default:
                        break;
                    }
                }
                cells[i] = v ? v : "";
            }
            if (part == 1) {                             /* Indicator, Value */
                const char *ind = row[2];
                const char *v = "";
                if (col_is(ind, "Name of the service provider"))
                    v = d->org_name;
                else if (col_is(ind, "Date of the publication of the report"))
                    v = d->today;
                else if (col_is(ind, "Starting date of reporting period"))
                    v = d->from;
                else if (col_is(ind, "Ending date of reporting period"))
                    v = d->to;
                cells[1] = d->org_name;
                cells[3] = v;
            }
            if (part == 11)
                cells[p->ncols - 1] = "";                /* "Free text" placeholder */
            rc = put_row(out, cells, p->ncols);
        }
    }
    return rc;
}

int rpt_dsa_csv(const rpt_data *d, int part, core_buf *out)
{
    if (part < 0 || part > RPT_DSA_PARTS)
        return CORE_INVALID;
    core_arena a;
    core_arena_init(&a);
    int rc = CORE_OK;
    for (int n = part ? part : 1; rc == CORE_OK && n <= (part ? part : RPT_DSA_PARTS); n++) {
        if (n > 1 && !part)
            rc = core_buf_putc(out, '\n');
        if (rc == CORE_OK)
            rc = write_part(d, &a, n, out);
    }
    core_arena_cleanup(&a);
    return rc;
}
