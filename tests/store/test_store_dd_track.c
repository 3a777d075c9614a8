/* test_store_dd_track: indicators, measurements (one per indicator and day,
 * replaced in place; values stored bit for bit), stakeholders, engagements
 * and grievance links of the due diligence register, on both engines
 * (fixture in test_store_dd.c). */
#include <float.h>
#include <math.h>

#include "test_store_dd.h"

static int64_t mk_action(dfx *f, int64_t org, int64_t impact)
{
    store_dd_action a = {.org_id = org, .impact_id = impact, .kind = "mitigate",
                         .title = "An action", .function = "product", .due_day = -1,
                         .status = "planned"};
    assert_int_equal(store_dd_action_create(f->c, &a), CORE_OK);
    return a.id;
}

void t_dd_indicators(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");
    int64_t a1 = mk_action(f, f->org, i1);
    int64_t ao = mk_action(f, f->org2, io);

    store_dd_indicator k1 = {.org_id = f->org, .impact_id = i1, .name = "Requests refused",
                             .unit = "%", .direction = "increase", .target = 95.5,
                             .tolerance = 0, .target_day = 20800};
    store_dd_indicator k2 = {.org_id = f->org, .action_id = a1, .name = "Median response",
                             .unit = "days", .direction = "maintain", .target = 0.1 + 0.2,
                             .tolerance = 1.0 / 3.0, .target_day = -1};
    assert_int_equal(store_dd_indicator_create(f->c, &k1), CORE_OK);
    assert_int_equal(store_dd_indicator_create(f->c, &k2), CORE_OK);
    assert_true(k1.id > 0 && k1.created_at > 0);
    store_dd_indicator ko = {.org_id = f->org2, .impact_id = io, .name = "Other",
                             .unit = "reports", .direction = "decrease", .target = 1,
                             .target_day = -1};
    assert_int_equal(store_dd_indicator_create(f->c, &ko), CORE_OK);

    store_dd_indicator x = k1;
    x.impact_id = io;                                     /* org2's impact */
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_NOTFOUND);
    x.impact_id = 0;
    x.action_id = ao;                                     /* org2's action */
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_NOTFOUND);
    x.action_id = a1;
    x.impact_id = i1;                                     /* both set */
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_INVALID);
    x.action_id = 0;
    x.impact_id = 0;                                      /* neither */
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_INVALID);
    x.impact_id = i1;
    x.tolerance = -1;
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_INVALID);
    x.tolerance = 0;
    x.direction = "sideways";
    assert_int_equal(store_dd_indicator_create(f->c, &x), CORE_INVALID);

    store_dd_indicator g;
    assert_int_equal(store_dd_indicator_get(f->c, &f->a, f->org, k2.id, &g), CORE_OK);
    assert_int_equal(g.impact_id, 0);
    assert_int_equal(g.action_id, a1);
    assert_string_equal(g.name, "Median response");
    assert_string_equal(g.unit, "days");
    assert_string_equal(g.direction, "maintain");
    assert_true(g.target == 0.1 + 0.2);                   /* bit for bit */
    assert_true(g.tolerance == 1.0 / 3.0);
    assert_int_equal(g.target_day, -1);
    assert_int_equal(store_dd_indicator_get(f->c, &f->a, f->org, k1.id, &g), CORE_OK);
    assert_int_equal(g.impact_id, i1);
    assert_int_equal(g.action_id, 0);
    assert_true(g.target == 95.5);
    assert_int_equal(g.target_day, 20800);
    assert_int_equal(store_dd_indicator_get(f->c, &f->a, f->org2, k1.id, &g), CORE_NOTFOUND);

    store_dd_indicator *list;
    size_t n;
    assert_int_equal(store_dd_indicator_list(f->c, &f->a, f->org, 0, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, k1.id);
    assert_int_equal(list[1].id, k2.id);
    assert_int_equal(store_dd_indicator_list(f->c, &f->a, f->org, i1, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, k1.id);
    assert_int_equal(store_dd_indicator_list(f->c, &f->a, f->org, 0, a1, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, k2.id);
    assert_int_equal(store_dd_indicator_list(f->c, &f->a, f->org, io, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_indicator_list(f->c, &f->a, f->org2, 0, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, ko.id);

    k1.target = 99.25;
    k1.name = "Unlawful requests refused";
    k1.direction = "decrease";
    k1.target_day = -7;                                   /* any negative: none */
    assert_int_equal(store_dd_indicator_update(f->c, &k1), CORE_OK);
    assert_int_equal(store_dd_indicator_get(f->c, &f->a, f->org, k1.id, &g), CORE_OK);
    assert_true(g.target == 99.25);
    assert_string_equal(g.name, "Unlawful requests refused");
    assert_string_equal(g.direction, "decrease");
    assert_int_equal(g.target_day, -1);
    store_dd_indicator wrong = k1;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_indicator_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = k1;
    wrong.id = 999999;
    assert_int_equal(store_dd_indicator_update(f->c, &wrong), CORE_NOTFOUND);
}

void t_dd_measures(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");
    store_dd_indicator k = {.org_id = f->org, .impact_id = i1, .name = "Share", .unit = "%",
                            .direction = "increase", .target = 90, .target_day = -1};
    assert_int_equal(store_dd_indicator_create(f->c, &k), CORE_OK);
    store_dd_indicator ko = {.org_id = f->org2, .impact_id = io, .name = "Other", .unit = "%",
                             .direction = "increase", .target = 90, .target_day = -1};
    assert_int_equal(store_dd_indicator_create(f->c, &ko), CORE_OK);

    store_dd_measure m1 = {.org_id = f->org, .indicator_id = k.id, .day = 20420, .value = 61.7,
                           .note = "Quarterly review"};
    store_dd_measure m2 = {.org_id = f->org, .indicator_id = k.id, .day = 20390, .value = 55};
    assert_int_equal(store_dd_measure_put(f->c, &m1), CORE_OK);
    assert_int_equal(store_dd_measure_put(f->c, &m2), CORE_OK);
    assert_true(m1.id > 0 && m2.id > 0 && m1.id != m2.id && m1.created_at > 0);
    store_dd_measure mo = {.org_id = f->org2, .indicator_id = ko.id, .day = 20420, .value = 1};
    assert_int_equal(store_dd_measure_put(f->c, &mo), CORE_OK);

    store_dd_measure x = m1;
    x.org_id = f->org2;                                   /* org2 writing org1's indicator */
    assert_int_equal(store_dd_measure_put(f->c, &x), CORE_NOTFOUND);
    x = m1;
    x.indicator_id = ko.id;
    assert_int_equal(store_dd_measure_put(f->c, &x), CORE_NOTFOUND);
    x.indicator_id = 999999;
    assert_int_equal(store_dd_measure_put(f->c, &x), CORE_NOTFOUND);

    store_dd_measure *list;
    size_t n;
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org, k.id, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].day, 20390);                 /* by day */
    assert_true(list[0].value == 55);
    assert_null(list[0].note);
    assert_int_equal(list[1].day, 20420);
    assert_true(list[1].value == 61.7);
    assert_string_equal(list[1].note, "Quarterly review");
    assert_int_equal(list[1].indicator_id, k.id);
    assert_int_equal(list[1].org_id, f->org);

    /* the same day again replaces the value (same row), nothing is added */
    store_dd_measure again = {.org_id = f->org, .indicator_id = k.id, .day = 20420,
                              .value = 63.25, .created_at = 1764300000};
    assert_int_equal(store_dd_measure_put(f->c, &again), CORE_OK);
    assert_int_equal(again.id, m1.id);
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org, k.id, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_true(list[1].value == 63.25);
    assert_null(list[1].note);                            /* the note is replaced too */
    assert_int_equal(list[1].created_at, 1764300000);
    assert_int_equal(list[1].id, m1.id);

    /* the other org's series is untouched and invisible */
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org2, k.id, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org, ko.id, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org2, ko.id, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_true(list[0].value == 1);
}

/* Awkward doubles go in and come out bit for bit, on both engines. */
void t_dd_doubles_exact(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    store_dd_indicator k = {.org_id = f->org, .impact_id = i1, .name = "Exact", .unit = "x",
                            .direction = "maintain", .target = DBL_MAX, .tolerance = DBL_MIN,
                            .target_day = -1};
    assert_int_equal(store_dd_indicator_create(f->c, &k), CORE_OK);
    store_dd_indicator g;
    assert_int_equal(store_dd_indicator_get(f->c, &f->a, f->org, k.id, &g), CORE_OK);
    assert_memory_equal(&g.target, &k.target, sizeof(double));
    assert_memory_equal(&g.tolerance, &k.tolerance, sizeof(double));

    double fixed[] = {0.1 + 0.2, 1.0 / 3.0, -2.0 / 3.0, 1e-300, -2.2250738585072014e-308,
                      4.9406564584124654e-324, DBL_MAX, -DBL_MAX, 123456789.123456789,
                      9007199254740993.0, 0.0, 100.0, 2.5e-5, 0.7 * 3, 1e22, 5e-324 * 3};
    enum { NF = sizeof fixed / sizeof fixed[0], NR = 120 };
    double vals[NF + NR];
    memcpy(vals, fixed, sizeof fixed);
    uint64_t seed = 0x9E3779B97F4A7C15ull;               /* deterministic bit patterns */
    for (int i = 0; i < NR; i++) {
        double d;
        do {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            memcpy(&d, &seed, sizeof d);
        } while (!isfinite(d));
        vals[NF + i] = (i % 3 == 0) ? (double)(seed % 1000003) / 7.0 : d;
    }
    for (int i = 0; i < NF + NR; i++) {
        store_dd_measure m = {.org_id = f->org, .indicator_id = k.id, .day = 10000 + i,
                              .value = vals[i]};
        assert_int_equal(store_dd_measure_put(f->c, &m), CORE_OK);
    }
    store_dd_measure *list;
    size_t n;
    assert_int_equal(store_dd_measure_list(f->c, &f->a, f->org, k.id, &list, &n), CORE_OK);
    assert_int_equal(n, NF + NR);
    for (int i = 0; i < NF + NR; i++) {
        assert_int_equal(list[i].day, 10000 + i);
        if (memcmp(&list[i].value, &vals[i], sizeof(double)) != 0)
            fail_msg("value %d: stored %.17g, read %.17g", i, vals[i], list[i].value);
    }
}

void t_dd_stakeholders(void **state)
{
    dfx *f = *state;
    store_dd_stakeholder h1 = {.org_id = f->org, .name = "Digital Rights Kenya",
                               .kind = "organisation", .region = "East Africa",
                               .countries = "KE UG", .global_south = 1,
                               .contact = "Programme lead, via Signal"};
    store_dd_stakeholder h2 = {.org_id = f->org, .name = "Content moderators' union",
                               .kind = "representative"};
    store_dd_stakeholder h3 = {.org_id = f->org, .name = "Affected users panel",
                               .kind = "affected_group", .global_south = 5};
    assert_int_equal(store_dd_stakeholder_create(f->c, &h1), CORE_OK);
    assert_int_equal(store_dd_stakeholder_create(f->c, &h2), CORE_OK);
    assert_int_equal(store_dd_stakeholder_create(f->c, &h3), CORE_OK);
    assert_true(h1.id > 0 && h1.created_at > 0);
    store_dd_stakeholder ho = {.org_id = f->org2, .name = "Other", .kind = "expert"};
    assert_int_equal(store_dd_stakeholder_create(f->c, &ho), CORE_OK);
    store_dd_stakeholder x = h2;
    x.kind = "lobbyist";
    assert_int_equal(store_dd_stakeholder_create(f->c, &x), CORE_INVALID);
    x.kind = "expert";
    x.name = "";
    assert_int_equal(store_dd_stakeholder_create(f->c, &x), CORE_INVALID);

    store_dd_stakeholder g;
    assert_int_equal(store_dd_stakeholder_get(f->c, &f->a, f->org, h1.id, &g), CORE_OK);
    assert_string_equal(g.name, "Digital Rights Kenya");
    assert_string_equal(g.kind, "organisation");
    assert_string_equal(g.region, "East Africa");
    assert_string_equal(g.countries, "KE UG");
    assert_int_equal(g.global_south, 1);
    assert_string_equal(g.contact, "Programme lead, via Signal");
    assert_int_equal(store_dd_stakeholder_get(f->c, &f->a, f->org, h2.id, &g), CORE_OK);
    assert_null(g.region);
    assert_null(g.contact);
    assert_string_equal(g.countries, "");
    assert_int_equal(g.global_south, 0);
    assert_int_equal(store_dd_stakeholder_get(f->c, &f->a, f->org, h3.id, &g), CORE_OK);
    assert_int_equal(g.global_south, 1);
    assert_int_equal(store_dd_stakeholder_get(f->c, &f->a, f->org2, h1.id, &g), CORE_NOTFOUND);

    store_dd_stakeholder *list;
    size_t n;
    assert_int_equal(store_dd_stakeholder_list(f->c, &f->a, f->org, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].name, "Affected users panel");   /* by name */
    assert_string_equal(list[1].name, "Content moderators' union");
    assert_string_equal(list[2].name, "Digital Rights Kenya");
    assert_int_equal(store_dd_stakeholder_list(f->c, &f->a, f->org2, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, ho.id);

    h1.contact = NULL;
    h1.region = "Eastern Africa";
    h1.global_south = 0;
    assert_int_equal(store_dd_stakeholder_update(f->c, &h1), CORE_OK);
    assert_int_equal(store_dd_stakeholder_get(f->c, &f->a, f->org, h1.id, &g), CORE_OK);
    assert_null(g.contact);
    assert_string_equal(g.region, "Eastern Africa");
    assert_int_equal(g.global_south, 0);
    store_dd_stakeholder wrong = h1;
    wrong.org_id = f->org2;
    assert_int_equal(store_dd_stakeholder_update(f->c, &wrong), CORE_NOTFOUND);
    wrong = h1;
    wrong.id = 999999;
    assert_int_equal(store_dd_stakeholder_update(f->c, &wrong), CORE_NOTFOUND);
}

void t_dd_engagements(void **state)
{
    dfx *f = *state;
    store_dd_stakeholder h1 = {.org_id = f->org, .name = "A", .kind = "organisation"};
    store_dd_stakeholder h2 = {.org_id = f->org, .name = "B", .kind = "affected_group"};
    store_dd_stakeholder ho = {.org_id = f->org2, .name = "C", .kind = "expert"};
    assert_int_equal(store_dd_stakeholder_create(f->c, &h1), CORE_OK);
    assert_int_equal(store_dd_stakeholder_create(f->c, &h2), CORE_OK);
    assert_int_equal(store_dd_stakeholder_create(f->c, &ho), CORE_OK);

    store_dd_engagement e1 = {.org_id = f->org, .stakeholder_id = h1.id, .day = 20400,
                              .step = "identify", .topics = "State requests",
                              .format = "workshop", .outcome = "Two new impacts raised",
                              .follow_up = "Share the draft assessment", .impact_ids = "3 7"};
    store_dd_engagement e2 = {.org_id = f->org, .stakeholder_id = h2.id, .day = 20380,
                              .step = "assess", .topics = "Moderation appeals",
                              .format = "interview"};
    store_dd_engagement e3 = {.org_id = f->org, .stakeholder_id = h1.id, .day = 20380,
                              .step = "track", .topics = "Follow-up", .format = "written"};
    assert_int_equal(store_dd_engagement_create(f->c, &e1), CORE_OK);
    assert_int_equal(store_dd_engagement_create(f->c, &e2), CORE_OK);
    assert_int_equal(store_dd_engagement_create(f->c, &e3), CORE_OK);
    assert_true(e1.id > 0 && e1.created_at > 0);
    store_dd_engagement x = e1;
    x.stakeholder_id = ho.id;                             /* org2's stakeholder */
    assert_int_equal(store_dd_engagement_create(f->c, &x), CORE_NOTFOUND);
    x = e1;
    x.org_id = f->org2;
    assert_int_equal(store_dd_engagement_create(f->c, &x), CORE_NOTFOUND);
    x = e1;
    x.format = "tweet";
    assert_int_equal(store_dd_engagement_create(f->c, &x), CORE_INVALID);
    x.format = "other";
    x.step = "celebrate";
    assert_int_equal(store_dd_engagement_create(f->c, &x), CORE_INVALID);
    store_dd_engagement eo = {.org_id = f->org2, .stakeholder_id = ho.id, .day = 1,
                              .step = "remedy", .topics = "t", .format = "consultation"};
    assert_int_equal(store_dd_engagement_create(f->c, &eo), CORE_OK);

    store_dd_engagement *list;
    size_t n;
    assert_int_equal(store_dd_engagement_list(f->c, &f->a, f->org, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].id, e2.id);                  /* day 20380, lower id */
    assert_int_equal(list[1].id, e3.id);                  /* day 20380 */
    assert_int_equal(list[2].id, e1.id);
    assert_string_equal(list[2].step, "identify");
    assert_string_equal(list[2].topics, "State requests");
    assert_string_equal(list[2].format, "workshop");
    assert_string_equal(list[2].outcome, "Two new impacts raised");
    assert_string_equal(list[2].follow_up, "Share the draft assessment");
    assert_string_equal(list[2].impact_ids, "3 7");
    assert_int_equal(list[2].stakeholder_id, h1.id);
    assert_int_equal(list[2].day, 20400);
    assert_null(list[0].outcome);
    assert_null(list[0].follow_up);
    assert_string_equal(list[0].impact_ids, "");
    assert_int_equal(store_dd_engagement_list(f->c, &f->a, f->org, h1.id, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].id, e3.id);
    assert_int_equal(list[1].id, e1.id);
    assert_int_equal(store_dd_engagement_list(f->c, &f->a, f->org, ho.id, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_engagement_list(f->c, &f->a, f->org2, h1.id, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_engagement_list(f->c, &f->a, f->org2, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(list[0].id, eo.id);
}

void t_dd_links(void **state)
{
    dfx *f = *state;
    int64_t s1 = dd_mk_scope(f, f->org, "chat", "Chat");
    int64_t so = dd_mk_scope(f, f->org2, "chat", "Chat");
    int64_t i1 = dd_mk_impact(f, f->org, s1, "Impact one");
    int64_t i2 = dd_mk_impact(f, f->org, s1, "Impact two");
    int64_t io = dd_mk_impact(f, f->org2, so, "Other org impact");
    int64_t c1 = dd_mk_case(f, f->org, "G-AAAAAAAA");
    int64_t c2 = dd_mk_case(f, f->org, "G-CCCCCCCC");
    int64_t co = dd_mk_case(f, f->org2, "G-BBBBBBBB");

    store_dd_grievance_link l1 = {.org_id = f->org, .impact_id = i1, .case_id = c1,
                                  .linked_by = f->user, .linked_at = 1764300300};
    store_dd_grievance_link l2 = {.org_id = f->org, .impact_id = i2, .case_id = c1,
                                  .linked_by = 0, .linked_at = 1764300100};
    store_dd_grievance_link l3 = {.org_id = f->org, .impact_id = i1, .case_id = c2,
                                  .linked_by = f->user2, .linked_at = 1764300200};
    assert_int_equal(store_dd_link_add(f->c, &l1), CORE_OK);
    assert_int_equal(store_dd_link_add(f->c, &l2), CORE_OK);
    assert_int_equal(store_dd_link_add(f->c, &l3), CORE_OK);
    store_dd_grievance_link dup = l1;
    dup.linked_at = 1764309999;
    assert_int_equal(store_dd_link_add(f->c, &dup), CORE_CONFLICT);   /* the pair again */
    store_dd_grievance_link x = l1;
    x.case_id = co;                                       /* org2's case */
    assert_int_equal(store_dd_link_add(f->c, &x), CORE_NOTFOUND);
    x = l1;
    x.impact_id = io;                                     /* org2's impact */
    assert_int_equal(store_dd_link_add(f->c, &x), CORE_NOTFOUND);
    x = l1;
    x.org_id = f->org2;
    assert_int_equal(store_dd_link_add(f->c, &x), CORE_NOTFOUND);
    x.impact_id = io;
    x.case_id = co;
    x.linked_at = 0;                                      /* 0: now */
    assert_int_equal(store_dd_link_add(f->c, &x), CORE_OK);

    store_dd_grievance_link *list;
    size_t n;
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, 0, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(list[0].impact_id, i2);              /* by linked_at */
    assert_int_equal(list[0].linked_by, 0);
    assert_int_equal(list[1].case_id, c2);
    assert_int_equal(list[2].impact_id, i1);
    assert_int_equal(list[2].case_id, c1);
    assert_int_equal(list[2].linked_by, f->user);
    assert_int_equal(list[2].linked_at, 1764300300);
    assert_int_equal(list[2].org_id, f->org);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, i1, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].case_id, c2);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, 0, c1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(list[0].impact_id, i2);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, i1, c1, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, io, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org, 0, co, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_dd_link_list(f->c, &f->a, f->org2, 0, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_true(list[0].linked_at > 0);
}
