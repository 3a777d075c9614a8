/* test_dd: the pure rules of src/dd, table-driven: vocabulary names and
 * parsing, the response each involvement implies (UNGP 19/22), rating
 * validation naming the field, severity and likelihood, the prioritisation
 * order (severity before likelihood, then each documented tie-break) and
 * its total-order laws over pseudo-random triples, rubric keys, policy
 * checks, assessment due dates and their status, calendar quarters and
 * engagement fatigue across year boundaries, least-squares trends and
 * on-track status, the grievance feedback rule, and the integrity of the
 * compiled-in rights catalogue.
 * cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "dd/dd.h"
#include "grievance/grievance.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

static int64_t day_of(const char *ymd)
{
    int64_t d = 0;
    assert_int_equal(grv_date_parse(ymd, &d), CORE_OK);
    return d;
}

/* A small deterministic generator (xorshift64*) so failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (unsigned)((rng_state * 0x2545F4914F6CDD1Dull) >> 33) % n;
}

/* ---- vocabulary ---- */

typedef struct names_case {
    const char *(*name)(int);
    int (*parse)(const char *, int *);
    int count;
    const char *expect[8];
} names_case;

#define NAMES(type, prefix, count, ...)                                                           \
    static const char *prefix##_n(int v) { return prefix##_name((type)v); }                       \
    static int prefix##_p(const char *s, int *o)                                                   \
    {                                                                                              \
        type t;                                                                                    \
        int rc = prefix##_parse(s, &t);                                                            \
        if (rc == CORE_OK) *o = (int)t;                                                            \
        return rc;                                                                                 \
    }
NAMES(dd_status, dd_status, 0)
NAMES(dd_involvement, dd_involvement, 0)
NAMES(dd_phase, dd_phase, 0)
NAMES(dd_evidence, dd_evidence, 0)
NAMES(dd_trigger, dd_trigger, 0)
NAMES(dd_direction, dd_direction, 0)

static const names_case name_cases[] = {
    {dd_status_n, dd_status_p, DD_STATUS__COUNT, {"potential", "possibly_actual", "actual"}},
    {dd_involvement_n, dd_involvement_p, DD_INVOLVEMENT__COUNT, {"cause", "contribute", "directly_linked"}},
    {dd_phase_n, dd_phase_p, DD_PHASE__COUNT,
     {"design", "development", "marketing", "sale_or_licensing", "deployment", "use"}},
    {dd_evidence_n, dd_evidence_p, DD_EV__COUNT,
     {"assessment", "grievance", "stakeholder_input", "media", "audit"}},
    {dd_trigger_n, dd_trigger_p, DD_TRIG__COUNT,
     {"new_activity", "major_change", "environment_change", "periodic", "grievance"}},
    {dd_direction_n, dd_direction_p, DD_DIR__COUNT, {"increase", "decrease", "maintain"}},
};

static void test_names(void **state)
{
    (void)state;
    for (size_t c = 0; c < N(name_cases); c++) {
        const names_case *nc = &name_cases[c];
        int count = 0;
        while (count < 8 && nc->expect[count]) count++;
        assert_int_equal(count, nc->count);
        for (int i = 0; i < nc->count; i++) {
            int v = -1;
            assert_string_equal(nc->name(i), nc->expect[i]);
            assert_int_equal(nc->parse(nc->expect[i], &v), CORE_OK);
            assert_int_equal(v, i);
        }
        int v = -1;
        assert_null(nc->name(nc->count));
        assert_null(nc->name(-1));
        assert_int_equal(nc->parse("bogus", &v), CORE_INVALID);
        assert_int_equal(nc->parse(NULL, &v), CORE_INVALID);
        assert_int_equal(nc->parse("", &v), CORE_INVALID);
    }
    assert_string_equal(dd_trend_name(DD_TREND_FLAT), "flat");
    assert_string_equal(dd_track_name(DD_TRACK_OFF_TRACK), "off_track");
    assert_string_equal(dd_due_status_name(DD_DUE_LATE), "late");
    assert_string_equal(dd_due_status_name(DD_DUE_SOON), "due_soon");
    assert_null(dd_trend_name(DD_TREND__COUNT));
    for (int t = 0; t < DD_TRIG__COUNT; t++)
        assert_int_equal(dd_trigger_is_event((dd_trigger)t), t != DD_TRIG_PERIODIC);
    assert_int_equal(dd_trigger_is_event(DD_TRIG__COUNT), 0);
}

static void test_involvement_response(void **state)
{
    (void)state;
    static const struct {
        dd_involvement v;
        const char *expect[4];
    } rows[] = {
        {DD_CAUSE, {"cease_or_prevent", "remedy"}},
        {DD_CONTRIBUTE, {"cease_or_prevent_contribution", "use_leverage", "remedy"}},
        {DD_DIRECTLY_LINKED, {"use_leverage", "may_cooperate_in_remedy"}},
    };
    for (size_t i = 0; i < N(rows); i++) {
        const char *names[5];
        unsigned mask = dd_involvement_response(rows[i].v);
        size_t n = dd_response_names(mask, names);
        size_t want = 0;
        while (want < 4 && rows[i].expect[want]) want++;
        assert_int_equal(n, want);
        for (size_t k = 0; k < n; k++) assert_string_equal(names[k], rows[i].expect[k]);
    }
    /* directly linked: never required to provide remedy itself */
    assert_false(dd_involvement_response(DD_DIRECTLY_LINKED) & DD_RESP_REMEDY);
    assert_int_equal(dd_involvement_response(DD_INVOLVEMENT__COUNT), 0);
    assert_string_equal(dd_response_name(DD_RESP_USE_LEVERAGE), "use_leverage");
    assert_null(dd_response_name(DD_RESP_USE_LEVERAGE | DD_RESP_REMEDY));
    assert_null(dd_response_name(0));
    assert_null(dd_response_name(1u << 5));
    const char *all[5];
    assert_int_equal(dd_response_names(DD_RESP__ALL, all), 5);
}

/* ---- salience ---- */

typedef struct rating_case {
    dd_status status;
    int scale, scope, irr, lik;
    const char *bad;          /* NULL = valid */
    int severity, likelihood;
} rating_case;

static const rating_case rating_cases[] = {
    {DD_POTENTIAL, 1, 1, 1, 1, NULL, 3, 1},
    {DD_POTENTIAL, 5, 5, 5, 5, NULL, 15, 5},
    {DD_POSSIBLY_ACTUAL, 3, 2, 4, 2, NULL, 9, 2},
    {DD_ACTUAL, 4, 3, 2, 0, NULL, 9, 5},       /* actual: certain */
    {DD_ACTUAL, 4, 3, 2, 1, NULL, 9, 5},       /* a stored likelihood is ignored */
    {DD_POTENTIAL, 0, 1, 1, 1, "scale", 0, 0},
    {DD_POTENTIAL, 6, 1, 1, 1, "scale", 0, 0},
    {DD_POTENTIAL, 1, 0, 1, 1, "scope", 0, 0},
    {DD_POTENTIAL, 1, 9, 1, 1, "scope", 0, 0},
    {DD_POTENTIAL, 1, 1, 0, 1, "irremediable", 0, 0},
    {DD_POTENTIAL, 1, 1, -1, 1, "irremediable", 0, 0},
    {DD_POTENTIAL, 1, 1, 1, 0, "likelihood", 0, 0},   /* potential needs a likelihood */
    {DD_POSSIBLY_ACTUAL, 1, 1, 1, 0, "likelihood", 0, 0},
    {DD_POTENTIAL, 1, 1, 1, 6, "likelihood", 0, 0},
    {DD_ACTUAL, 1, 1, 1, 6, "likelihood", 0, 0},
    {DD_STATUS__COUNT, 1, 1, 1, 1, "status", 0, 0},
};

static void test_ratings(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(rating_cases); i++) {
        const rating_case *c = &rating_cases[i];
        dd_rating r = {.id = 1, .status = c->status, .scale = c->scale, .scope = c->scope,
                       .irremediable = c->irr, .likelihood = c->lik};
        const char *field = "unset";
        int rc = dd_rating_validate(&r, &field);
        if (c->bad) {
            assert_int_equal(rc, CORE_INVALID);
            assert_string_equal(field, c->bad);
        } else {
            assert_int_equal(rc, CORE_OK);
            assert_null(field);
        }
        assert_int_equal(dd_severity(&r), c->severity);
        assert_int_equal(dd_likelihood(&r), c->likelihood);
    }
    const char *field = NULL;
    assert_int_equal(dd_rating_validate(NULL, &field), CORE_INVALID);
    assert_int_equal(dd_severity(NULL), 0);
    static const int bands[][2] = {{2, 0}, {3, 1}, {4, 1}, {5, 2}, {6, 2}, {7, 3}, {9, 3},
                                   {10, 4}, {12, 4}, {13, 5}, {15, 5}, {16, 0}};
    for (size_t i = 0; i < N(bands); i++) assert_int_equal(dd_severity_band(bands[i][0]), bands[i][1]);
}

#define R(idv, st, sc, sp, ir, li) \
    {.id = (idv), .status = (st), .scale = (sc), .scope = (sp), .irremediable = (ir), .likelihood = (li)}

typedef struct cmp_case {
    const char *why;
    dd_rating first, second;  /* first must come before second */
} cmp_case;

static const cmp_case cmp_cases[] = {
    {"severity before likelihood", R(9, DD_POTENTIAL, 4, 4, 4, 1), R(1, DD_POTENTIAL, 4, 4, 3, 5)},
    {"severity before actual status", R(9, DD_POTENTIAL, 5, 5, 5, 1), R(1, DD_ACTUAL, 5, 5, 4, 0)},
    {"higher severity first", R(9, DD_POTENTIAL, 3, 3, 3, 3), R(1, DD_POTENTIAL, 2, 3, 3, 3)},
    {"same severity: likelihood", R(9, DD_POTENTIAL, 3, 3, 3, 4), R(1, DD_POTENTIAL, 3, 3, 3, 3)},
    {"actual counts as likely 5", R(9, DD_ACTUAL, 3, 3, 3, 0), R(1, DD_POTENTIAL, 3, 3, 3, 4)},
    {"same severity and likelihood: irremediable", R(9, DD_POTENTIAL, 2, 3, 4, 3),
     R(1, DD_POTENTIAL, 4, 2, 3, 3)},
    {"then scope", R(9, DD_POTENTIAL, 2, 4, 3, 3), R(1, DD_POTENTIAL, 3, 3, 3, 3)},
    {"then scope (2)", R(9, DD_POTENTIAL, 1, 5, 3, 3), R(1, DD_POTENTIAL, 2, 4, 3, 3)},
    {"then actual before possibly actual", R(9, DD_ACTUAL, 3, 3, 3, 0), R(1, DD_POSSIBLY_ACTUAL, 3, 3, 3, 5)},
    {"then possibly actual before potential", R(9, DD_POSSIBLY_ACTUAL, 3, 3, 3, 5),
     R(1, DD_POTENTIAL, 3, 3, 3, 5)},
    {"then actual before potential", R(9, DD_ACTUAL, 3, 3, 3, 2), R(1, DD_POTENTIAL, 3, 3, 3, 5)},
    {"then id", R(1, DD_POTENTIAL, 3, 3, 3, 3), R(2, DD_POTENTIAL, 3, 3, 3, 3)},
    {"negative ids order too", R(-5, DD_ACTUAL, 1, 1, 1, 0), R(3, DD_ACTUAL, 1, 1, 1, 0)},
    {"valid before invalid", R(9, DD_POTENTIAL, 1, 1, 1, 1), R(1, DD_POTENTIAL, 5, 5, 5, 0)},
    {"invalid ones by id", R(1, DD_POTENTIAL, 9, 1, 1, 1), R(2, DD_POTENTIAL, 5, 5, 5, 0)},
};

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void test_priority_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < N(cmp_cases); i++) {
        const cmp_case *c = &cmp_cases[i];
        if (dd_priority_cmp(&c->first, &c->second) >= 0 || dd_priority_cmp(&c->second, &c->first) <= 0)
            fail_msg("rule '%s' does not hold", c->why);
    }
    dd_rating a = R(7, DD_POTENTIAL, 2, 2, 2, 2);
    assert_int_equal(dd_priority_cmp(&a, &a), 0);
    /* an array sorted with qsort follows the rules */
    dd_rating v[N(cmp_cases) * 2];
    for (size_t i = 0; i < N(cmp_cases); i++) {
        v[2 * i] = cmp_cases[i].second;
        v[2 * i + 1] = cmp_cases[i].first;
    }
    qsort(v, N(v), sizeof v[0], dd_priority_qsort);
    for (size_t i = 1; i < N(v); i++) assert_true(dd_priority_cmp(&v[i - 1], &v[i]) <= 0);
}

static dd_rating random_rating(int64_t id)
{
    dd_rating r;
    r.id = id;
    r.status = (dd_status)rnd(3);
    r.scale = 1 + (int)rnd(5);
    r.scope = 1 + (int)rnd(5);
    r.irremediable = 1 + (int)rnd(5);
    r.likelihood = r.status == DD_ACTUAL ? (int)rnd(6) : 1 + (int)rnd(5);
    if (rnd(20) == 0) r.scale = 7; /* now and then an invalid one */
    return r;
}

static void test_priority_total_order(void **state)
{
    (void)state;
    for (int k = 0; k < 20000; k++) {
        dd_rating t[3];
        for (int i = 0; i < 3; i++) t[i] = random_rating((int64_t)rnd(4)); /* ids often equal */
        for (int i = 0; i < 3; i++) {
            assert_int_equal(dd_priority_cmp(&t[i], &t[i]), 0);
            for (int j = 0; j < 3; j++) {
                int ij = sign(dd_priority_cmp(&t[i], &t[j]));
                assert_int_equal(ij, -sign(dd_priority_cmp(&t[j], &t[i])));
                /* equal only when nothing tells them apart */
                if (ij == 0 && t[i].id == t[j].id && dd_rating_validate(&t[i], NULL) == CORE_OK &&
                    dd_rating_validate(&t[j], NULL) == CORE_OK) {
                    assert_int_equal(t[i].scale, t[j].scale);
                    assert_int_equal(t[i].scope, t[j].scope);
                    assert_int_equal(t[i].irremediable, t[j].irremediable);
                    assert_int_equal(t[i].status, t[j].status);
                    assert_int_equal(dd_likelihood(&t[i]), dd_likelihood(&t[j]));
                }
                if (ij == 0) assert_int_equal(t[i].id, t[j].id);
                for (int m = 0; m < 3; m++) {
                    int jm = sign(dd_priority_cmp(&t[j], &t[m]));
                    int im = sign(dd_priority_cmp(&t[i], &t[m]));
                    if (ij <= 0 && jm <= 0) assert_true(im <= 0);   /* transitivity */
                    if (ij == 0 && jm == 0) assert_int_equal(im, 0);
                }
            }
        }
    }
    /* distinct ids: never equal; a sorted array has severity non-increasing */
    dd_rating v[300];
    for (size_t i = 0; i < N(v); i++) {
        v[i] = random_rating((int64_t)i);
        v[i].scale = 1 + (int)rnd(5);
    }
    qsort(v, N(v), sizeof v[0], dd_priority_qsort);
    for (size_t i = 1; i < N(v); i++) {
        assert_true(dd_priority_cmp(&v[i - 1], &v[i]) < 0);
        assert_true(dd_severity(&v[i - 1]) >= dd_severity(&v[i]));
        if (dd_severity(&v[i - 1]) == dd_severity(&v[i]))
            assert_true(dd_likelihood(&v[i - 1]) >= dd_likelihood(&v[i]));
    }
}

static void test_rubric_keys(void **state)
{
    (void)state;
    static const char *const dims[] = {"scale", "scope", "irremediable", "likelihood"};
    for (size_t d = 0; d < N(dims); d++) {
        for (int l = 1; l <= 5; l++) {
            char want[64];
            snprintf(want, sizeof want, "dd.rubric.%s.%d", dims[d], l);
            assert_string_equal(dd_rubric_key(dims[d], l), want);
        }
        assert_null(dd_rubric_key(dims[d], 0));
        assert_null(dd_rubric_key(dims[d], 6));
    }
    assert_null(dd_rubric_key("gravity", 3));
    assert_null(dd_rubric_key(NULL, 3));
}

/* ---- assessment due dates ---- */

static void test_policy(void **state)
{
    (void)state;
    dd_policy p;
    dd_policy_defaults(&p);
    assert_int_equal(p.periodic_days, 365);
    assert_int_equal(p.due_soon_days, 30);
    assert_int_equal(p.fatigue_per_quarter, 3);
    for (int t = 0; t < DD_TRIG__COUNT; t++) assert_int_equal(p.event_days[t], 0);
    const char *field = "x";
    assert_int_equal(dd_policy_validate(&p, &field), CORE_OK);
    assert_null(field);
    static const struct {
        int periodic, event, soon, fatigue;
        const char *bad;
    } rows[] = {
        {0, 0, 30, 3, "periodic_days"}, {3661, 0, 30, 3, "periodic_days"}, {90, -1, 30, 3, "event_days"},
        {90, 366, 30, 3, "event_days"}, {90, 0, -1, 3, "due_soon_days"},   {90, 0, 30, 0, "fatigue_per_quarter"},
        {90, 0, 30, 101, "fatigue_per_quarter"}, {3660, 365, 365, 100, NULL}, {1, 0, 0, 1, NULL},
    };
    for (size_t i = 0; i < N(rows); i++) {
        dd_policy q;
        dd_policy_defaults(&q);
        q.periodic_days = rows[i].periodic;
        q.event_days[DD_TRIG_MAJOR_CHANGE] = rows[i].event;
        q.due_soon_days = rows[i].soon;
        q.fatigue_per_quarter = rows[i].fatigue;
        int rc = dd_policy_validate(&q, &field);
        assert_int_equal(rc, rows[i].bad ? CORE_INVALID : CORE_OK);
        if (rows[i].bad) assert_string_equal(field, rows[i].bad);
    }
    assert_int_equal(dd_policy_validate(NULL, &field), CORE_INVALID);
}

static void test_due_dates(void **state)
{
    (void)state;
    static const struct {
        dd_trigger t;
        const char *event;
        const char *last;      /* NULL = never completed */
        int periodic, within;  /* policy: periodic_days, event_days[t] (0 = defaults) */
        const char *due;
    } rows[] = {
        {DD_TRIG_PERIODIC, "2026-03-01", "2025-06-30", 0, 0, "2026-06-30"},
        {DD_TRIG_PERIODIC, "2026-03-01", "2024-02-29", 0, 0, "2025-02-28"}, /* 365 days after a leap day */
        {DD_TRIG_PERIODIC, "2026-03-01", "2025-12-15", 90, 0, "2026-03-15"},
        {DD_TRIG_PERIODIC, "2026-03-01", NULL, 0, 0, "2026-03-01"},          /* never assessed: now */
        {DD_TRIG_NEW_ACTIVITY, "2026-05-01", "2025-12-01", 0, 0, "2026-05-01"}, /* before it starts */
        {DD_TRIG_MAJOR_CHANGE, "2026-02-10", NULL, 0, 0, "2026-02-10"},
        {DD_TRIG_MAJOR_CHANGE, "2026-02-10", NULL, 0, 30, "2026-03-12"},
        {DD_TRIG_ENVIRONMENT_CHANGE, "2025-12-20", "2025-01-01", 0, 14, "2026-01-03"},
        {DD_TRIG_GRIEVANCE, "2026-01-31", NULL, 0, 7, "2026-02-07"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        dd_policy p;
        dd_policy_defaults(&p);
        if (rows[i].periodic) p.periodic_days = rows[i].periodic;
        p.event_days[rows[i].t] = rows[i].within;
        int64_t due = 0;
        assert_int_equal(dd_assessment_due(rows[i].t, day_of(rows[i].event),
                                           rows[i].last ? day_of(rows[i].last) : -1, &p, &due), CORE_OK);
        if (due != day_of(rows[i].due)) fail_msg("row %zu: due %lld, want %s", i, (long long)due, rows[i].due);
    }
    int64_t due = 0;
    assert_int_equal(dd_assessment_due(DD_TRIG_PERIODIC, 100, 10, NULL, &due), CORE_OK);
    assert_int_equal(due, 375);
    assert_int_equal(dd_assessment_due(DD_TRIG__COUNT, 100, 10, NULL, &due), CORE_INVALID);
    dd_policy bad;
    dd_policy_defaults(&bad);
    bad.periodic_days = 0;
    assert_int_equal(dd_assessment_due(DD_TRIG_PERIODIC, 100, 10, &bad, &due), CORE_INVALID);
    assert_int_equal(dd_assessment_due(DD_TRIG_PERIODIC, 100, 10, NULL, NULL), CORE_INVALID);
}

static void test_due_status(void **state)
{
    (void)state;
    static const struct {
        const char *due, *today, *done;
        int soon;
        dd_due_status want;
        int64_t overdue;
    } rows[] = {
        {"2026-06-30", "2026-01-01", NULL, 30, DD_DUE_UPCOMING, 0},
        {"2026-06-30", "2026-05-31", NULL, 30, DD_DUE_SOON, 0},    /* exactly 30 days away */
        {"2026-06-30", "2026-05-30", NULL, 30, DD_DUE_UPCOMING, 0},
        {"2026-06-30", "2026-06-30", NULL, 30, DD_DUE_SOON, 0},    /* due today: not yet overdue */
        {"2026-06-30", "2026-06-30", NULL, 0, DD_DUE_SOON, 0},
        {"2026-06-30", "2026-07-01", NULL, 30, DD_DUE_OVERDUE, 1},
        {"2025-12-31", "2026-02-01", NULL, 30, DD_DUE_OVERDUE, 32},
        {"2026-06-30", "2026-09-01", "2026-06-30", 30, DD_DUE_MET, 0},
        {"2026-06-30", "2026-09-01", "2026-07-02", 30, DD_DUE_LATE, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        int64_t due = day_of(rows[i].due), today = day_of(rows[i].today);
        int64_t done = rows[i].done ? day_of(rows[i].done) : -1;
        assert_int_equal(dd_due_eval(due, today, done, rows[i].soon), rows[i].want);
        if (!rows[i].done) assert_int_equal(dd_days_overdue(due, today), rows[i].overdue);
    }
}

/* ---- quarters and engagement fatigue ---- */

static void test_quarters(void **state)
{
    (void)state;
    static const struct {
        const char *date;
        int64_t year;
        int q;
        const char *start;
    } rows[] = {
        {"1900-01-01", 1900, 1, "1900-01-01"}, {"1969-12-31", 1969, 4, "1969-10-01"},
        {"1970-01-01", 1970, 1, "1970-01-01"}, {"2000-02-29", 2000, 1, "2000-01-01"},
        {"2024-03-31", 2024, 1, "2024-01-01"}, {"2024-04-01", 2024, 2, "2024-04-01"},
        {"2024-06-30", 2024, 2, "2024-04-01"}, {"2024-07-01", 2024, 3, "2024-07-01"},
        {"2024-09-30", 2024, 3, "2024-07-01"}, {"2024-10-01", 2024, 4, "2024-10-01"},
        {"2024-12-31", 2024, 4, "2024-10-01"}, {"2025-01-01", 2025, 1, "2025-01-01"},
        {"2100-03-01", 2100, 1, "2100-01-01"}, {"9999-12-31", 9999, 4, "9999-10-01"},
    };
    for (size_t i = 0; i < N(rows); i++) {
        int64_t y = 0, start = 0;
        int q = 0;
        dd_quarter_of(day_of(rows[i].date), &y, &q);
        if (y != rows[i].year || q != rows[i].q)
            fail_msg("%s: %lld Q%d, want %lld Q%d", rows[i].date, (long long)y, q, (long long)rows[i].year, rows[i].q);
        assert_int_equal(dd_quarter_start(y, q, &start), CORE_OK);
        assert_int_equal(start, day_of(rows[i].start));
    }
    /* every day of 1999-2001 agrees with its month */
    for (int64_t d = day_of("1999-01-01"); d <= day_of("2001-12-31"); d++) {
        int64_t y;
        int q;
        dd_quarter_of(d, &y, &q);
        int64_t qs, qn;
        assert_int_equal(dd_quarter_start(y, q, &qs), CORE_OK);
        if (q == 4) dd_quarter_start(y + 1, 1, &qn);
        else dd_quarter_start(y, q + 1, &qn);
        assert_true(qs <= d && d < qn);
    }
    int64_t s;
    assert_int_equal(dd_quarter_start(2026, 0, &s), CORE_INVALID);
    assert_int_equal(dd_quarter_start(2026, 5, &s), CORE_INVALID);
}

static void test_fatigue(void **state)
{
    (void)state;
    static const struct {
        const char *past[6];
        const char *next;
        int max;
        size_t count;
        int exceeds;
        int64_t year;
        int q;
    } rows[] = {
        {{NULL}, "2026-01-15", 1, 0, 0, 2026, 1},
        {{"2026-01-15"}, "2026-02-01", 1, 1, 1, 2026, 1},
        {{"2025-10-01", "2025-11-01", "2025-12-31"}, "2026-01-01", 3, 0, 0, 2026, 1}, /* new year, new quarter */
        {{"2025-10-01", "2025-11-01", "2025-12-31"}, "2025-12-31", 3, 3, 1, 2025, 4},
        {{"2025-10-01", "2025-11-01", "2025-12-31"}, "2025-12-31", 4, 3, 0, 2025, 4},
        {{"2026-01-01", "2026-03-31", "2026-04-01"}, "2026-03-15", 2, 2, 1, 2026, 1},
        {{"2026-01-01", "2026-03-31", "2026-04-01"}, "2026-06-30", 2, 1, 0, 2026, 2},
        {{"2025-02-01", "2025-02-02"}, "2026-02-03", 2, 0, 0, 2026, 1},              /* same quarter, other year */
        {{"2026-07-04", "2026-07-04", "2026-07-04"}, "2026-07-04", 3, 3, 1, 2026, 3}, /* repeats count */
    };
    for (size_t i = 0; i < N(rows); i++) {
        int64_t days[6];
        size_t n = 0;
        while (n < 6 && rows[i].past[n]) {
            days[n] = day_of(rows[i].past[n]);
            n++;
        }
        dd_fatigue f;
        memset(&f, 0xff, sizeof f);
        assert_int_equal(dd_fatigue_check(days, n, day_of(rows[i].next), rows[i].max, &f), CORE_OK);
        if (f.count != rows[i].count || f.exceeds != rows[i].exceeds)
            fail_msg("row %zu: count %zu exceeds %d", i, f.count, f.exceeds);
        assert_int_equal(f.year, rows[i].year);
        assert_int_equal(f.quarter, rows[i].q);
    }
    dd_fatigue f;
    int64_t d = 0;
    assert_int_equal(dd_fatigue_check(&d, 1, 0, 0, &f), CORE_INVALID);
    assert_int_equal(dd_fatigue_check(NULL, 1, 0, 3, &f), CORE_INVALID);
    assert_int_equal(dd_fatigue_check(NULL, 0, 0, 3, &f), CORE_OK);
    assert_int_equal(dd_fatigue_check(&d, 1, 0, 3, NULL), CORE_INVALID);
}

/* ---- indicators ---- */

typedef struct series {
    size_t n;
    dd_point p[8];
} series;

static void test_trend(void **state)
{
    (void)state;
    static const struct {
        series s;
        dd_trend want;
        double slope;   /* checked when not NAN */
    } rows[] = {
        {{0, {{0, 0}}}, DD_TREND_NONE, 0},
        {{1, {{10, 5}}}, DD_TREND_NONE, 0},
        {{2, {{10, 5}, {10, 7}}}, DD_TREND_NONE, 0},                       /* one day only */
        {{3, {{0, 1}, {1, 2}, {2, 3}}}, DD_TREND_UP, 1.0},
        {{3, {{2, 3}, {0, 1}, {1, 2}}}, DD_TREND_UP, 1.0},                 /* any order */
        {{4, {{0, 10}, {30, 8}, {60, 6}, {90, 4}}}, DD_TREND_DOWN, -2.0 / 30.0},
        {{3, {{0, 4}, {30, 4}, {60, 4}}}, DD_TREND_FLAT, 0.0},
        {{4, {{0, 1}, {1, 3}, {2, 1}, {3, 3}}}, DD_TREND_UP, 0.4},          /* noisy but rising */
        {{4, {{0, 5}, {1, 1}, {2, 5}, {3, 1}}}, DD_TREND_DOWN, -0.8},
        {{3, {{20000, 1e6}, {20030, 1e6}, {20060, 1e6 + 1e-7}}}, DD_TREND_FLAT, NAN}, /* below 1e-9 relative */
        {{3, {{0, 1}, {1, NAN}, {2, 3}}}, DD_TREND_NONE, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        double slope = 99;
        dd_trend t = dd_trend_of(rows[i].s.n ? rows[i].s.p : NULL, rows[i].s.n, &slope);
        if (t != rows[i].want) fail_msg("row %zu: %s, want %s", i, dd_trend_name(t), dd_trend_name(rows[i].want));
        if (!isnan(rows[i].slope)) assert_true(fabs(slope - rows[i].slope) < 1e-9);
    }
    assert_int_equal(dd_trend_of(rows[3].s.p, 3, NULL), DD_TREND_UP);
}

static void test_track(void **state)
{
    (void)state;
    static const struct {
        dd_direction dir;
        double target, tol;
        int64_t target_day;
        series s;
        dd_track want;
    } rows[] = {
        {DD_DIR_INCREASE, 90, 0, -1, {0, {{0, 0}}}, DD_TRACK_NO_DATA},
        {DD_DIR_INCREASE, 90, 0, -1, {2, {{0, 80}, {30, 92}}}, DD_TRACK_MET},
        {DD_DIR_INCREASE, 90, 0, -1, {3, {{0, 70}, {30, 75}, {60, 80}}}, DD_TRACK_ON_TRACK},
        {DD_DIR_INCREASE, 90, 0, -1, {3, {{0, 80}, {30, 75}, {60, 70}}}, DD_TRACK_OFF_TRACK},
        {DD_DIR_INCREASE, 90, 0, -1, {3, {{0, 80}, {30, 80}, {60, 80}}}, DD_TRACK_OFF_TRACK}, /* flat */
        {DD_DIR_INCREASE, 90, 0, -1, {1, {{0, 80}}}, DD_TRACK_OFF_TRACK},                     /* one point */
        {DD_DIR_INCREASE, 90, 0, 120, {3, {{0, 70}, {30, 75}, {60, 80}}}, DD_TRACK_ON_TRACK}, /* 80+60/6 = 90 */
        {DD_DIR_INCREASE, 90, 0, 100, {3, {{0, 70}, {30, 75}, {60, 80}}}, DD_TRACK_OFF_TRACK},/* too slow */
        {DD_DIR_INCREASE, 90, 0, 30, {3, {{0, 70}, {30, 75}, {60, 80}}}, DD_TRACK_OFF_TRACK}, /* past its day */
        {DD_DIR_DECREASE, 5, 0, -1, {3, {{0, 20}, {30, 15}, {60, 10}}}, DD_TRACK_ON_TRACK},
        {DD_DIR_DECREASE, 5, 0, -1, {3, {{0, 20}, {30, 15}, {60, 5}}}, DD_TRACK_MET},
        {DD_DIR_DECREASE, 5, 0, -1, {3, {{0, 10}, {30, 15}, {60, 20}}}, DD_TRACK_OFF_TRACK},
        {DD_DIR_DECREASE, 5, 0, 90, {3, {{0, 20}, {30, 15}, {60, 10}}}, DD_TRACK_ON_TRACK},   /* 10-5 = 5 */
        {DD_DIR_MAINTAIN, 50, 2, -1, {3, {{0, 51}, {30, 49}, {60, 51.5}}}, DD_TRACK_MET},
        {DD_DIR_MAINTAIN, 50, 2, -1, {3, {{0, 40}, {30, 43}, {60, 46}}}, DD_TRACK_ON_TRACK},  /* coming back up */
        {DD_DIR_MAINTAIN, 50, 2, -1, {3, {{0, 60}, {30, 57}, {60, 55}}}, DD_TRACK_ON_TRACK},  /* coming back down */
        {DD_DIR_MAINTAIN, 50, 2, -1, {3, {{0, 50}, {30, 53}, {60, 56}}}, DD_TRACK_OFF_TRACK}, /* drifting away */
        {DD_DIR_MAINTAIN, 50, 2, 70, {3, {{0, 40}, {30, 43}, {60, 46}}}, DD_TRACK_OFF_TRACK}, /* 47 < 48 */
        {DD_DIR_MAINTAIN, 50, 2, 80, {3, {{0, 40}, {30, 43}, {60, 46}}}, DD_TRACK_ON_TRACK},  /* 48 */
        /* the latest is the highest day, whatever the order; on a tie the last given */
        {DD_DIR_INCREASE, 90, 0, -1, {3, {{60, 95}, {0, 70}, {30, 80}}}, DD_TRACK_MET},
        {DD_DIR_INCREASE, 90, 0, -1, {3, {{0, 70}, {60, 95}, {60, 85}}}, DD_TRACK_ON_TRACK},
    };
    for (size_t i = 0; i < N(rows); i++) {
        dd_indicator ind = {.direction = rows[i].dir, .target = rows[i].target, .tolerance = rows[i].tol,
                            .target_day = rows[i].target_day};
        dd_track t = dd_track_eval(&ind, rows[i].s.p, rows[i].s.n);
        if (t != rows[i].want) fail_msg("row %zu: %s, want %s", i, dd_track_name(t), dd_track_name(rows[i].want));
    }
    dd_point p = {0, 1};
    dd_indicator bad = {.direction = DD_DIR_MAINTAIN, .target = 1, .tolerance = -1, .target_day = -1};
    assert_int_equal(dd_track_eval(&bad, &p, 1), DD_TRACK_NO_DATA);
    assert_int_equal(dd_track_eval(NULL, &p, 1), DD_TRACK_NO_DATA);
}

/* ---- grievance feedback ---- */

static void test_grievance_feedback(void **state)
{
    (void)state;
    static const struct {
        dd_status from, to;
        int reassess;
    } rows[] = {
        {DD_POTENTIAL, DD_POSSIBLY_ACTUAL, 1},
        {DD_POSSIBLY_ACTUAL, DD_POSSIBLY_ACTUAL, 1},
        {DD_ACTUAL, DD_ACTUAL, 0},
    };
    for (size_t i = 0; i < N(rows); i++) {
        dd_feedback fb;
        assert_int_equal(dd_grievance_feedback(rows[i].from, &fb), CORE_OK);
        assert_int_equal(fb.status, rows[i].to);
        assert_int_equal(fb.reassess, rows[i].reassess);
        assert_int_equal(fb.trigger, DD_TRIG_GRIEVANCE);
        if (fb.reassess) {
            /* the queued reassessment is an event trigger: due on the day (defaults) */
            assert_true(dd_trigger_is_event(fb.trigger));
            int64_t due = 0;
            assert_int_equal(dd_assessment_due(fb.trigger, 20500, 20000, NULL, &due), CORE_OK);
            assert_int_equal(due, 20500);
        }
    }
    dd_feedback fb;
    assert_int_equal(dd_grievance_feedback(DD_STATUS__COUNT, &fb), CORE_INVALID);
    assert_int_equal(dd_grievance_feedback(DD_POTENTIAL, NULL), CORE_INVALID);
    /* a possibly actual impact keeps its rating and ranks after an actual one, before a potential one */
    dd_rating a = R(3, DD_ACTUAL, 3, 3, 3, 0), pa = R(2, DD_POSSIBLY_ACTUAL, 3, 3, 3, 5),
              po = R(1, DD_POTENTIAL, 3, 3, 3, 5);
    assert_true(dd_priority_cmp(&a, &pa) < 0);
    assert_true(dd_priority_cmp(&pa, &po) < 0);
}

/* ---- rights catalogue ---- */

static const char *const ten_tags[] = {"privacy", "expression_information", "non_discrimination",
                                       "assembly_association", "liberty_fair_trial", "health",
                                       "standard_of_living", "work", "children", "political_participation"};
static const char *const must_have[] = {
    "UDHR-19", "UDHR-12", "ICCPR-17", "ICCPR-19", "ICCPR-21", "ICCPR-22", "ICCPR-25", "ICCPR-26",
    "ICESCR-11", "ICESCR-12", "CRC-16", "CRC-17", "CERD-5", "CEDAW-11", "CRPD-9", "ILO-C29",
    "ILO-C87", "ILO-C98", "ILO-C100", "ILO-C105", "ILO-C111", "ILO-C138", "ILO-C182", "ILO-C155",
    "ILO-C187"};
static const char *const instruments[] = {"UDHR", "ICCPR", "ICESCR", "CRC", "CERD", "CEDAW", "CRPD", "ILO"};

static void test_catalogue(void **state)
{
    (void)state;
    size_t nt = 0;
    const char *const *tags = dd_tags(&nt);
    assert_int_equal(nt, N(ten_tags));
    for (size_t i = 0; i < nt; i++) {
        assert_string_equal(tags[i], ten_tags[i]);
        assert_true(dd_tag_valid(ten_tags[i]));
        char key[64];
        snprintf(key, sizeof key, "dd.tag.%s", ten_tags[i]);
        assert_string_equal(dd_tag_key(ten_tags[i]), key);
        assert_true(dd_tag_label(ten_tags[i]) && strlen(dd_tag_label(ten_tags[i])) >= 4);
    }
    assert_string_equal(dd_tag_label("privacy"), "Privacy and personal data");
    assert_null(dd_tag_label("bogus"));
    assert_null(dd_tag_key("bogus"));
    assert_false(dd_tag_valid("Privacy"));
    assert_false(dd_tag_valid(NULL));
    size_t ni = 0;
    const dd_instrument *ins = dd_instruments(&ni);
    assert_int_equal(ni, N(instruments));
    for (size_t i = 0; i < N(instruments); i++) {
        const dd_instrument *f = dd_instrument_find(instruments[i]);
        assert_non_null(f);
        assert_true(strlen(f->name) > 10);
        assert_true(f->year >= 1948 && f->year <= 2006);
    }
    assert_null(dd_instrument_find("ECHR"));
    (void)ins;

    size_t n = 0;
    const dd_right *all = dd_rights(&n);
    assert_true(n >= 80);
    size_t tag_use[10] = {0}, per_inst[8] = {0};
    for (size_t i = 0; i < n; i++) {
        const dd_right *r = &all[i];
        assert_non_null(r->id);
        assert_true(r->instrument && r->instrument[0] && r->article && r->article[0]);
        assert_true(r->title && strlen(r->title) >= 5 && r->label && strlen(r->label) >= 5);
        char want[32];
        snprintf(want, sizeof want, "%s-%s", r->instrument, r->article);
        assert_string_equal(r->id, want);
        assert_non_null(dd_instrument_find(r->instrument));
        for (size_t k = 0; k < N(instruments); k++)
            if (strcmp(r->instrument, instruments[k]) == 0) per_inst[k]++;
        assert_ptr_equal(dd_right_find(r->id), r);
        for (size_t j = i + 1; j < n; j++) assert_string_not_equal(r->id, all[j].id);
        for (size_t t = 0; t < r->ntags; t++) {
            assert_true(dd_tag_valid(r->tags[t]));
            assert_true(dd_right_has_tag(r, r->tags[t]));
            for (size_t u = t + 1; u < r->ntags; u++) assert_string_not_equal(r->tags[t], r->tags[u]);
            for (size_t k = 0; k < N(ten_tags); k++)
                if (strcmp(r->tags[t], ten_tags[k]) == 0) tag_use[k]++;
        }
    }
    for (size_t k = 0; k < N(ten_tags); k++) {
        if (tag_use[k] == 0) fail_msg("tag %s is never used", ten_tags[k]);
        const dd_right *out[200];
        size_t m = dd_rights_with_tag(ten_tags[k], out, N(out));
        assert_int_equal(m, tag_use[k]);
        for (size_t j = 0; j < m; j++) {
            assert_true(dd_right_has_tag(out[j], ten_tags[k]));
            if (j) assert_true(out[j - 1] < out[j]); /* catalogue order */
        }
        /* a short buffer: the count is still the total */
        const dd_right *one[1] = {NULL};
        assert_int_equal(dd_rights_with_tag(ten_tags[k], one, 1), m);
        assert_ptr_equal(one[0], out[0]);
        assert_int_equal(dd_rights_with_tag(ten_tags[k], NULL, 0), m);
    }
    for (size_t k = 0; k < N(instruments); k++) {
        if (per_inst[k] == 0) fail_msg("no right of %s", instruments[k]);
    }
    for (size_t i = 0; i < N(must_have); i++) {
        if (!dd_right_find(must_have[i])) fail_msg("%s missing", must_have[i]);
    }
    const dd_right *p = dd_right_find("ICCPR-17");
    assert_true(dd_right_has_tag(p, "privacy"));
    assert_false(dd_right_has_tag(p, "work"));
    assert_true(dd_right_has_tag(dd_right_find("ILO-C87"), "assembly_association"));
    assert_null(dd_right_find("iccpr-17"));
    assert_null(dd_right_find("ICCPR-99"));
    assert_null(dd_right_find(NULL));
    assert_int_equal(dd_rights_with_tag("bogus", NULL, 0), 0);
    assert_int_equal(dd_rights_with_tag(NULL, NULL, 0), 0);
    assert_false(dd_right_has_tag(NULL, "privacy"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_involvement_response),
        cmocka_unit_test(test_ratings),
        cmocka_unit_test(test_priority_rules),
        cmocka_unit_test(test_priority_total_order),
        cmocka_unit_test(test_rubric_keys),
        cmocka_unit_test(test_policy),
        cmocka_unit_test(test_due_dates),
        cmocka_unit_test(test_due_status),
        cmocka_unit_test(test_quarters),
        cmocka_unit_test(test_fatigue),
        cmocka_unit_test(test_trend),
        cmocka_unit_test(test_track),
        cmocka_unit_test(test_grievance_feedback),
        cmocka_unit_test(test_catalogue),
    };
    return cmocka_run_group_tests_name("dd", tests, NULL, NULL);
}
