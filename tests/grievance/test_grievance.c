/* test_grievance: the pure rules of src/grievance: every (state, action,
 * actor) triple against an expectation table written from the header's
 * comments (by name, independently of the implementation's table), names
 * and parsing, clocks with injected times (due soon, overdue, paused and
 * resumed, extended and its maximum, met and missed, which actions start
 * and stop them), triage severity, priority and queue order, receipt and
 * reference formats and normalisation, 100 random receipts all distinct.
 * cmocka; TAP with CMOCKA_MESSAGE_OUTPUT=TAP. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "grievance/grievance.h"

#define DAY 86400
#define T0 1767225600   /* 2026-01-01T00:00:00Z */

/* ---- workflow ---- */

typedef struct expect {
    const char *action;
    const char *by;          /* "staff" or "complainant" */
    const char *from[14];    /* NULL-terminated */
    const char *to;
} expect;

static const expect table[] = {
    {"acknowledge", "staff", {"received"}, "acknowledged"},
    {"assess", "staff", {"acknowledged"}, "in_assessment"},
    {"declare_inadmissible", "staff", {"in_assessment"}, "inadmissible"},
    {"investigate", "staff", {"in_assessment", "escalated"}, "in_investigation"},
    {"propose_remedy", "staff", {"in_investigation", "remedy_rejected"}, "remedy_proposed"},
    {"accept_remedy", "complainant", {"remedy_proposed"}, "remedy_accepted"},
    {"reject_remedy", "complainant", {"remedy_proposed"}, "remedy_rejected"},
    {"implement_remedy", "staff", {"remedy_accepted"}, "remedy_implemented"},
    {"close", "staff",
     {"remedy_implemented", "inadmissible", "remedy_rejected", "referred", "withdrawn"},
     "closed"},
    {"refer", "staff",
     {"received", "acknowledged", "in_assessment", "inadmissible", "in_investigation",
      "remedy_proposed", "remedy_accepted", "remedy_rejected", "remedy_implemented", "escalated",
      "appealed"},
     "referred"},
    {"escalate", "staff", {"in_assessment", "in_investigation", "remedy_rejected"}, "escalated"},
    {"withdraw", "complainant",
     {"received", "acknowledged", "in_assessment", "inadmissible", "in_investigation",
      "remedy_proposed", "remedy_accepted", "remedy_rejected", "remedy_implemented", "referred",
      "escalated", "appealed"},
     "withdrawn"},
    {"appeal", "complainant", {"inadmissible", "remedy_rejected", "closed"}, "appealed"},
    {"review_appeal", "staff", {"appealed"}, "in_assessment"},
    {"uphold", "staff", {"appealed"}, "closed"},
};

static const char *const all_states[] = {
    "received", "acknowledged", "in_assessment", "inadmissible", "in_investigation",
    "remedy_proposed", "remedy_accepted", "remedy_rejected", "remedy_implemented", "closed",
    "referred", "escalated", "withdrawn", "appealed"};

static void test_names_roundtrip(void **state)
{
    (void)state;
    assert_int_equal(sizeof all_states / sizeof *all_states, GRV_STATE__COUNT);
    for (int i = 0; i < GRV_STATE__COUNT; i++) {
        grv_state s;
        assert_string_equal(grv_state_name((grv_state)i), all_states[i]);
        assert_int_equal(grv_state_parse(all_states[i], &s), CORE_OK);
        assert_int_equal(s, i);
        char key[64];
        snprintf(key, sizeof key, "grv.state.%s.public", all_states[i]);
        assert_string_equal(grv_state_public_key((grv_state)i), key);
    }
    assert_int_equal(sizeof table / sizeof *table, GRV_ACT__COUNT);
    for (int i = 0; i < GRV_ACT__COUNT; i++) {
        grv_action a;
        assert_int_equal(grv_action_parse(grv_action_name((grv_action)i), &a), CORE_OK);
        assert_int_equal(a, i);
    }
    grv_state s;
    grv_action a;
    assert_int_equal(grv_state_parse("Received", &s), CORE_INVALID);
    assert_int_equal(grv_state_parse("", &s), CORE_INVALID);
    assert_int_equal(grv_state_parse(NULL, &s), CORE_INVALID);
    assert_int_equal(grv_action_parse("ack", &a), CORE_INVALID);
    assert_string_equal(grv_state_name(GRV_STATE__COUNT), "unknown");
    assert_string_equal(grv_action_name(GRV_ACT__COUNT), "unknown");
    assert_null(grv_state_public_key(GRV_STATE__COUNT));
    assert_true(grv_state_is_final(GRV_CLOSED));
    assert_true(grv_state_is_final(GRV_WITHDRAWN));
    for (int i = 0; i < GRV_STATE__COUNT; i++)
        if (i != GRV_CLOSED && i != GRV_WITHDRAWN)
            assert_false(grv_state_is_final((grv_state)i));
}

static void test_every_transition(void **state)
{
    (void)state;
    const grv_actor_kind actors[] = {GRV_BY_STAFF, GRV_BY_COMPLAINANT, GRV_BY_SYSTEM};
    int ok = 0, conflicts = 0, denied = 0;
    for (size_t t = 0; t < sizeof table / sizeof *table; t++) {
        grv_action a;
        assert_int_equal(grv_action_parse(table[t].action, &a), CORE_OK);
        grv_actor_kind owner = strcmp(table[t].by, "staff") == 0 ? GRV_BY_STAFF : GRV_BY_COMPLAINANT;
        assert_int_equal(grv_action_actor(a), owner);
        grv_state want_to;
        assert_int_equal(grv_state_parse(table[t].to, &want_to), CORE_OK);
        for (int s = 0; s < GRV_STATE__COUNT; s++) {
            int allowed = 0;
            for (int k = 0; table[t].from[k]; k++)
                if (strcmp(table[t].from[k], all_states[s]) == 0)
                    allowed = 1;
            for (size_t ai = 0; ai < 3; ai++) {
                grv_state to = (grv_state)99;
                int rc = grv_transition((grv_state)s, a, actors[ai], &to);
                if (actors[ai] != owner) {
                    if (rc != CORE_DENIED)
                        fail_msg("%s from %s by actor %zu: %d, want DENIED", table[t].action,
                                 all_states[s], ai, rc);
                    assert_int_equal(to, 99);
                    denied++;
                } else if (allowed) {
                    if (rc != CORE_OK || to != want_to)
                        fail_msg("%s from %s: %d -> %s, want %s", table[t].action, all_states[s],
                                 rc, grv_state_name(to), table[t].to);
                    ok++;
                } else {
                    if (rc != CORE_CONFLICT)
                        fail_msg("%s from %s: %d, want CONFLICT", table[t].action, all_states[s], rc);
                    assert_int_equal(to, 99);
                    conflicts++;
                }
            }
        }
    }
    assert_int_equal(ok + conflicts + denied, GRV_ACT__COUNT * GRV_STATE__COUNT * 3);
    assert_int_equal(ok, 46);
    /* out of range */
    grv_state to;
    assert_int_equal(grv_transition(GRV_STATE__COUNT, GRV_ACT_ASSESS, GRV_BY_STAFF, &to),
                     CORE_INVALID);
    assert_int_equal(grv_transition(GRV_RECEIVED, GRV_ACT__COUNT, GRV_BY_STAFF, &to), CORE_INVALID);
    /* to may be NULL */
    assert_int_equal(grv_transition(GRV_RECEIVED, GRV_ACT_ACKNOWLEDGE, GRV_BY_STAFF, NULL), CORE_OK);
}

static void test_reasons(void **state)
{
    (void)state;
    const char *need[] = {"declare_inadmissible", "refer", "escalate", "uphold", "appeal"};
    for (int i = 0; i < GRV_ACT__COUNT; i++) {
        int want = 0;
        for (size_t k = 0; k < sizeof need / sizeof *need; k++)
            if (strcmp(need[k], grv_action_name((grv_action)i)) == 0)
                want = 1;
        assert_int_equal(!!grv_action_needs_reason((grv_action)i), want);
    }
    assert_int_equal(grv_action_needs_reason(GRV_ACT__COUNT), 0);
}

/* A whole happy path and an appeal path, step by step. */
static void test_paths(void **state)
{
    (void)state;
    struct step { grv_action a; grv_actor_kind by; grv_state to; } happy[] = {
        {GRV_ACT_ACKNOWLEDGE, GRV_BY_STAFF, GRV_ACKNOWLEDGED},
        {GRV_ACT_ASSESS, GRV_BY_STAFF, GRV_IN_ASSESSMENT},
        {GRV_ACT_INVESTIGATE, GRV_BY_STAFF, GRV_IN_INVESTIGATION},
        {GRV_ACT_PROPOSE_REMEDY, GRV_BY_STAFF, GRV_REMEDY_PROPOSED},
        {GRV_ACT_REJECT_REMEDY, GRV_BY_COMPLAINANT, GRV_REMEDY_REJECTED},
        {GRV_ACT_ESCALATE, GRV_BY_STAFF, GRV_ESCALATED},
        {GRV_ACT_INVESTIGATE, GRV_BY_STAFF, GRV_IN_INVESTIGATION},
        {GRV_ACT_PROPOSE_REMEDY, GRV_BY_STAFF, GRV_REMEDY_PROPOSED},
        {GRV_ACT_ACCEPT_REMEDY, GRV_BY_COMPLAINANT, GRV_REMEDY_ACCEPTED},
        {GRV_ACT_IMPLEMENT_REMEDY, GRV_BY_STAFF, GRV_REMEDY_IMPLEMENTED},
        {GRV_ACT_CLOSE, GRV_BY_STAFF, GRV_CLOSED},
        {GRV_ACT_APPEAL, GRV_BY_COMPLAINANT, GRV_APPEALED},
        {GRV_ACT_REVIEW_APPEAL, GRV_BY_STAFF, GRV_IN_ASSESSMENT},
        {GRV_ACT_DECLARE_INADMISSIBLE, GRV_BY_STAFF, GRV_INADMISSIBLE},
        {GRV_ACT_APPEAL, GRV_BY_COMPLAINANT, GRV_APPEALED},
        {GRV_ACT_UPHOLD, GRV_BY_STAFF, GRV_CLOSED},
    };
    grv_state s = GRV_RECEIVED;
    for (size_t i = 0; i < sizeof happy / sizeof *happy; i++) {
        grv_state to;
        assert_int_equal(grv_transition(s, happy[i].a, happy[i].by, &to), CORE_OK);
        assert_int_equal(to, happy[i].to);
        s = to;
    }
    grv_state to;
    assert_int_equal(grv_transition(GRV_CLOSED, GRV_ACT_WITHDRAW, GRV_BY_COMPLAINANT, &to),
                     CORE_CONFLICT);
    assert_int_equal(grv_transition(GRV_RECEIVED, GRV_ACT_ACKNOWLEDGE, GRV_BY_COMPLAINANT, &to),
                     CORE_DENIED);
    assert_int_equal(grv_transition(GRV_REMEDY_PROPOSED, GRV_ACT_ACCEPT_REMEDY, GRV_BY_STAFF, &to),
                     CORE_DENIED);
}

/* ---- clocks ---- */

static void test_policy_defaults(void **state)
{
    (void)state;
    grv_policy p;
    grv_policy_defaults(&p);
    assert_int_equal(p.ack_days, 7);
    assert_int_equal(p.feedback_days, 90);
    assert_int_equal(p.moderation_window_days, 183);
    assert_int_equal(p.dsr_days, 30);
    assert_int_equal(p.dsr_extension_days, 60);
    assert_int_equal(p.due_soon_days, 7);
    assert_string_equal(grv_clock_name(GRV_CLOCK_ACK), "acknowledge");
    assert_string_equal(grv_clock_name(GRV_CLOCK_FEEDBACK), "feedback");
    assert_string_equal(grv_clock_name(GRV_CLOCK_DSR), "answer_request");
    const char *st[] = {"running", "due_soon", "overdue", "paused", "met", "missed"};
    for (int i = 0; i <= GRV_CLOCK_MISSED; i++)
        assert_string_equal(grv_clock_status_name((grv_clock_status)i), st[i]);
    assert_int_equal(grv_clock_limit_days(GRV_CLOCK_ACK, &p), 7);
    assert_int_equal(grv_clock_limit_days(GRV_CLOCK_FEEDBACK, &p), 90);
    assert_int_equal(grv_clock_limit_days(GRV_CLOCK_DSR, &p), 30);
    assert_int_equal(grv_clock_max_extension_days(GRV_CLOCK_DSR, &p), 60);
    assert_int_equal(grv_clock_max_extension_days(GRV_CLOCK_ACK, &p), 0);
    assert_int_equal(grv_clock_limit_days(GRV_CLOCK_ACK, NULL), 7);
}

static void test_clock_running_due_soon_overdue(void **state)
{
    (void)state;
    grv_clock c;
    grv_clock_start(&c, GRV_CLOCK_FEEDBACK, T0, 90);
    assert_int_equal(c.kind, GRV_CLOCK_FEEDBACK);
    assert_int_equal(c.started_at, T0);
    assert_int_equal(c.due_at, T0 + 90LL * DAY);
    assert_int_equal(grv_clock_eval(&c, T0, 7), GRV_CLOCK_RUNNING);
    assert_int_equal(grv_clock_eval(&c, T0 + 82LL * DAY, 7), GRV_CLOCK_RUNNING);
    assert_int_equal(grv_clock_eval(&c, T0 + 83LL * DAY - 1, 7), GRV_CLOCK_RUNNING);
    assert_int_equal(grv_clock_eval(&c, T0 + 83LL * DAY, 7), GRV_CLOCK_DUE_SOON);
    assert_int_equal(grv_clock_eval(&c, T0 + 90LL * DAY, 7), GRV_CLOCK_DUE_SOON);
    assert_int_equal(grv_clock_eval(&c, T0 + 90LL * DAY + 1, 7), GRV_CLOCK_OVERDUE);
    /* due soon window is the caller's: 30 days */
    assert_int_equal(grv_clock_eval(&c, T0 + 61LL * DAY, 30), GRV_CLOCK_DUE_SOON);
    assert_int_equal(grv_clock_eval(&c, T0 + 61LL * DAY, 0), GRV_CLOCK_RUNNING);
}

static void test_clock_met_missed(void **state)
{
    (void)state;
    grv_clock c;
    grv_clock_start(&c, GRV_CLOCK_ACK, T0, 7);
    grv_clock_stop(&c, T0 + 3 * DAY);
    assert_int_equal(c.stopped_at, T0 + 3 * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 100LL * DAY, 7), GRV_CLOCK_MET);
    grv_clock_stop(&c, T0 + 50 * DAY);                  /* second stop is a no-op */
    assert_int_equal(c.stopped_at, T0 + 3 * DAY);
    grv_clock_start(&c, GRV_CLOCK_ACK, T0, 7);
    grv_clock_stop(&c, T0 + 7 * DAY);                   /* exactly on the due time: met */
    assert_int_equal(grv_clock_eval(&c, T0 + 8 * DAY, 7), GRV_CLOCK_MET);
    grv_clock_start(&c, GRV_CLOCK_ACK, T0, 7);
    assert_int_equal(grv_clock_eval(&c, T0 + 8 * DAY, 7), GRV_CLOCK_OVERDUE);
    grv_clock_stop(&c, T0 + 8 * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 9 * DAY, 7), GRV_CLOCK_MISSED);
    /* a stopped clock can be neither paused nor extended */
    grv_clock_pause(&c, T0 + 9 * DAY);
    assert_int_equal(c.paused_since, 0);
    assert_int_equal(grv_clock_extend(&c, 5, 60), CORE_CONFLICT);
}

static void test_clock_pause_resume(void **state)
{
    (void)state;
    grv_clock c;
    grv_clock_start(&c, GRV_CLOCK_FEEDBACK, T0, 90);
    grv_clock_pause(&c, T0 + 10 * DAY);                 /* a question to the complainant */
    assert_int_equal(c.paused_since, T0 + 10 * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 200LL * DAY, 7), GRV_CLOCK_PAUSED);
    grv_clock_pause(&c, T0 + 12 * DAY);                 /* no-op while paused */
    assert_int_equal(c.paused_since, T0 + 10 * DAY);
    grv_clock_resume(&c, T0 + 25 * DAY);                /* answered 15 days later */
    assert_int_equal(c.paused_since, 0);
    assert_int_equal(c.paused_total, 15 * DAY);
    assert_int_equal(c.due_at, T0 + 105LL * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 91LL * DAY, 7), GRV_CLOCK_RUNNING);
    assert_int_equal(grv_clock_eval(&c, T0 + 100LL * DAY, 7), GRV_CLOCK_DUE_SOON);
    assert_int_equal(grv_clock_eval(&c, T0 + 106LL * DAY, 7), GRV_CLOCK_OVERDUE);
    grv_clock_resume(&c, T0 + 30 * DAY);                /* no-op when running */
    assert_int_equal(c.due_at, T0 + 105LL * DAY);
    /* a second pause adds up */
    grv_clock_pause(&c, T0 + 40 * DAY);
    grv_clock_resume(&c, T0 + 42 * DAY);
    assert_int_equal(c.paused_total, 17 * DAY);
    assert_int_equal(c.due_at, T0 + 107LL * DAY);
    /* stopping while paused counts the pause: met, although past the first due date */
    grv_clock_pause(&c, T0 + 100LL * DAY);
    grv_clock_stop(&c, T0 + 120LL * DAY);
    assert_int_equal(c.due_at, T0 + 127LL * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 130LL * DAY, 7), GRV_CLOCK_MET);
    /* an overdue clock, paused, shows paused; resumed, overdue again */
    grv_clock_start(&c, GRV_CLOCK_ACK, T0, 7);
    grv_clock_pause(&c, T0 + 9 * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 10 * DAY, 7), GRV_CLOCK_PAUSED);
    grv_clock_resume(&c, T0 + 10 * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 10 * DAY, 7), GRV_CLOCK_OVERDUE);
}

static void test_clock_extend(void **state)
{
    (void)state;
    grv_policy p;
    grv_policy_defaults(&p);
    grv_clock c;
    grv_clock_start(&c, GRV_CLOCK_DSR, T0, p.dsr_days);
    int max = grv_clock_max_extension_days(GRV_CLOCK_DSR, &p);
    assert_int_equal(grv_clock_eval(&c, T0 + 31 * DAY, 7), GRV_CLOCK_OVERDUE);
    assert_int_equal(grv_clock_extend(&c, 30, max), CORE_OK);
    assert_int_equal(c.extended_by, 30 * DAY);
    assert_int_equal(c.due_at, T0 + 60LL * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 31 * DAY, 7), GRV_CLOCK_RUNNING);
    assert_int_equal(grv_clock_extend(&c, 30, max), CORE_OK);
    assert_int_equal(c.due_at, T0 + 90LL * DAY);
    /* beyond 60 days in total: refused, nothing changed */
    assert_int_equal(grv_clock_extend(&c, 1, max), CORE_INVALID);
    assert_int_equal(c.due_at, T0 + 90LL * DAY);
    assert_int_equal(c.extended_by, 60 * DAY);
    /* in one go beyond the maximum */
    grv_clock_start(&c, GRV_CLOCK_DSR, T0, p.dsr_days);
    assert_int_equal(grv_clock_extend(&c, 61, max), CORE_INVALID);
    assert_int_equal(c.due_at, T0 + 30LL * DAY);
    assert_int_equal(grv_clock_extend(&c, 0, max), CORE_INVALID);
    assert_int_equal(grv_clock_extend(&c, -3, max), CORE_INVALID);
    /* a clock without extensions */
    grv_clock_start(&c, GRV_CLOCK_ACK, T0, 7);
    assert_int_equal(grv_clock_extend(&c, 1, grv_clock_max_extension_days(GRV_CLOCK_ACK, &p)),
                     CORE_INVALID);
    /* extension and pause combine */
    grv_clock_start(&c, GRV_CLOCK_DSR, T0, 30);
    grv_clock_pause(&c, T0 + DAY);
    grv_clock_resume(&c, T0 + 6 * DAY);
    assert_int_equal(grv_clock_extend(&c, 60, 60), CORE_OK);
    assert_int_equal(c.due_at, T0 + 95LL * DAY);
    grv_clock_stop(&c, T0 + 95LL * DAY);
    assert_int_equal(grv_clock_eval(&c, T0 + 96LL * DAY, 7), GRV_CLOCK_MET);
}

static void test_clocks_for_and_steps(void **state)
{
    (void)state;
    grv_policy p;
    grv_policy_defaults(&p);
    p.ack_days = 5;
    grv_clock_kind k[GRV_CLOCK__COUNT];
    int lim[GRV_CLOCK__COUNT];
    const grv_category one_clock[] = {GRV_CAT_GENERAL, GRV_CAT_WHISTLEBLOWING,
                                      GRV_CAT_CONTENT_MODERATION};
    for (size_t i = 0; i < 3; i++) {
        assert_int_equal(grv_clocks_for(one_clock[i], &p, k, lim), 1);
        assert_int_equal(k[0], GRV_CLOCK_ACK);
        assert_int_equal(lim[0], 5);
    }
    assert_int_equal(grv_clocks_for(GRV_CAT_DATA_PROTECTION, &p, k, lim), 2);
    assert_int_equal(k[0], GRV_CLOCK_ACK);
    assert_int_equal(k[1], GRV_CLOCK_DSR);
    assert_int_equal(lim[1], 30);
    assert_int_equal(grv_clocks_for(GRV_CAT__COUNT, &p, k, lim), 0);

    /* starts: only feedback, only on acknowledge */
    for (int c = 0; c < GRV_CLOCK__COUNT; c++)
        for (int a = 0; a < GRV_ACT__COUNT; a++)
            assert_int_equal(grv_clock_starts_on((grv_clock_kind)c, (grv_action)a),
                             c == GRV_CLOCK_FEEDBACK && a == GRV_ACT_ACKNOWLEDGE);
    /* stops */
    const grv_action fb_stops[] = {GRV_ACT_DECLARE_INADMISSIBLE, GRV_ACT_PROPOSE_REMEDY,
                                   GRV_ACT_REFER, GRV_ACT_CLOSE, GRV_ACT_WITHDRAW};
    for (int a = 0; a < GRV_ACT__COUNT; a++) {
        int want_ack = a == GRV_ACT_ACKNOWLEDGE || a == GRV_ACT_REFER || a == GRV_ACT_WITHDRAW;
        int want_fb = 0;
        for (size_t i = 0; i < sizeof fb_stops / sizeof *fb_stops; i++)
            if (fb_stops[i] == (grv_action)a)
                want_fb = 1;
        assert_int_equal(grv_clock_stops_on(GRV_CLOCK_ACK, (grv_action)a), want_ack);
        assert_int_equal(grv_clock_stops_on(GRV_CLOCK_FEEDBACK, (grv_action)a), want_fb);
        assert_int_equal(grv_clock_stops_on(GRV_CLOCK_DSR, (grv_action)a), want_fb);
    }
}

static void test_moderation_window(void **state)
{
    (void)state;
    grv_policy p;
    grv_policy_defaults(&p);
    int64_t now = T0 + 12 * 3600;                    /* 2026-01-01 noon */
    assert_int_equal(grv_moderation_in_time("2026-01-01", now, &p), CORE_OK);
    assert_int_equal(grv_moderation_in_time("2025-07-02", now, &p), CORE_OK);   /* 183 days */
    assert_int_equal(grv_moderation_in_time("2025-07-01", now, &p), CORE_INVALID); /* 184 */
    assert_int_equal(grv_moderation_in_time("2026-01-02", now, &p), CORE_OK);   /* time zones */
    assert_int_equal(grv_moderation_in_time("2026-01-03", now, &p), CORE_INVALID);
    assert_int_equal(grv_moderation_in_time("2026-02-30", now, &p), CORE_INVALID);
    assert_int_equal(grv_moderation_in_time("yesterday", now, &p), CORE_INVALID);
    assert_int_equal(grv_moderation_in_time(NULL, now, &p), CORE_INVALID);
    p.moderation_window_days = 10;
    assert_int_equal(grv_moderation_in_time("2025-12-20", now, &p), CORE_INVALID);
    assert_int_equal(grv_moderation_in_time("2025-12-22", now, NULL), CORE_OK);
}

/* ---- triage ---- */

static grv_triage tri(int scale, int scope, int irr, int urgent, int vuln)
{
    grv_triage t = {scale, scope, irr, urgent, vuln};
    return t;
}

static void test_triage(void **state)
{
    (void)state;
    grv_triage t = tri(0, 0, 0, 0, 0);
    assert_true(grv_triage_valid(&t));
    assert_int_equal(grv_severity(&t), 0);
    assert_int_equal(grv_priority(&t), 3);
    t = tri(1, 1, 1, 0, 0);
    assert_true(grv_triage_valid(&t));
    assert_int_equal(grv_severity(&t), 3);
    assert_int_equal(grv_priority(&t), 4);
    t = tri(5, 5, 5, 0, 0);
    assert_int_equal(grv_severity(&t), 15);
    assert_int_equal(grv_priority(&t), 1);
    /* boundaries */
    struct { int sev3[3]; int prio; } b[] = {
        {{1, 2, 2}, 4}, {{2, 2, 2}, 3}, {{3, 3, 2}, 3}, {{3, 3, 3}, 2},
        {{4, 4, 3}, 2}, {{4, 4, 4}, 1},
    };
    for (size_t i = 0; i < sizeof b / sizeof *b; i++) {
        t = tri(b[i].sev3[0], b[i].sev3[1], b[i].sev3[2], 0, 0);
        assert_int_equal(grv_priority(&t), b[i].prio);
        t.vulnerable = 1;
        assert_int_equal(grv_priority(&t), b[i].prio > 1 ? b[i].prio - 1 : 1);
        t.urgent = 1;
        assert_int_equal(grv_priority(&t), 1);
    }
    t = tri(0, 0, 0, 1, 0);
    assert_int_equal(grv_priority(&t), 1);
    t = tri(0, 0, 0, 0, 1);
    assert_int_equal(grv_priority(&t), 2);
    /* invalid */
    grv_triage bad[] = {tri(6, 1, 1, 0, 0), tri(1, 0, 1, 0, 0), tri(-1, 1, 1, 0, 0),
                        tri(1, 1, 1, 2, 0), tri(1, 1, 1, 0, -1), tri(3, 3, 0, 0, 0)};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_false(grv_triage_valid(&bad[i]));
        assert_int_equal(grv_severity(&bad[i]), 0);
    }
    assert_false(grv_triage_valid(NULL));
    /* rubric keys */
    assert_string_equal(grv_rubric_key("scale", 3), "grv.rubric.scale.3");
    assert_string_equal(grv_rubric_key("scope", 1), "grv.rubric.scope.1");
    assert_string_equal(grv_rubric_key("irremediable", 5), "grv.rubric.irremediable.5");
    assert_null(grv_rubric_key("scale", 0));
    assert_null(grv_rubric_key("scale", 6));
    assert_null(grv_rubric_key("gravity", 2));
    assert_null(grv_rubric_key(NULL, 2));
}

typedef struct qitem {
    const char *name;
    grv_triage t;
    int64_t due;
} qitem;

static int qcmp(const void *a, const void *b)
{
    const qitem *x = a, *y = b;
    return grv_queue_cmp(&x->t, x->due, &y->t, y->due);
}

static void test_queue_order(void **state)
{
    (void)state;
    qitem q[] = {
        {"low", tri(1, 1, 1, 0, 0), T0 + DAY},
        {"untriaged", tri(0, 0, 0, 0, 0), T0 + 5 * DAY},
        {"urgent-mild", tri(1, 1, 1, 1, 0), T0 + 9 * DAY},
        {"grave", tri(5, 4, 4, 0, 0), T0 + 9 * DAY},
        {"grave-sooner", tri(4, 4, 5, 0, 0), T0 + 2 * DAY},
        {"mid-vulnerable", tri(3, 3, 3, 0, 1), T0 + 3 * DAY},
        {"mid", tri(3, 3, 3, 0, 0), 0},
        {"mid-due", tri(3, 3, 3, 0, 0), T0 + 30 * DAY},
        {"worst", tri(5, 5, 5, 0, 0), T0 + 50 * DAY},
    };
    qsort(q, sizeof q / sizeof *q, sizeof *q, qcmp);
    const char *want[] = {"worst", "grave-sooner", "grave", "mid-vulnerable", "urgent-mild",
                          "mid-due", "mid", "untriaged", "low"};
    /* priority 1: worst (15), grave (13, due +9), grave-sooner (13, due +2),
     * mid-vulnerable (9 -> 2 -> 1), urgent-mild (3, urgent -> 1) ordered by
     * severity: 15, 13, 13, 9, 3; ties by due time. Priority 2: mid-due and
     * mid (9), the one with a due time first. Priority 3: untriaged. 4: low. */
    for (size_t i = 0; i < sizeof want / sizeof *want; i++)
        assert_string_equal(q[i].name, want[i]);
    grv_triage a = tri(2, 2, 2, 0, 0);
    assert_int_equal(grv_queue_cmp(&a, 5, &a, 5), 0);
}

/* ---- receipts ---- */

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static void test_receipt_format(void **state)
{
    (void)state;
    unsigned char zero[GRV_RECEIPT_BYTES] = {0};
    char out[GRV_RECEIPT_TEXT + 1];
    assert_int_equal(grv_receipt_format(zero, out), CORE_OK);
    assert_string_equal(out, "00000-00000-00000-00000");
    unsigned char ones[GRV_RECEIPT_BYTES];
    memset(ones, 0xff, sizeof ones);
    assert_int_equal(grv_receipt_format(ones, out), CORE_OK);
    assert_string_equal(out, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZZ");
    /* low 4 bits of the last byte are not used */
    ones[12] = 0xf0;
    char out2[GRV_RECEIPT_TEXT + 1];
    assert_int_equal(grv_receipt_format(ones, out2), CORE_OK);
    assert_string_equal(out, out2);
    ones[12] = 0xe0;
    assert_int_equal(grv_receipt_format(ones, out2), CORE_OK);
    assert_string_equal(out2, "ZZZZZ-ZZZZZ-ZZZZZ-ZZZZY");
    /* big-endian 5-bit groups: 0x08 = 00001000 -> "1" then "0..." */
    unsigned char b[GRV_RECEIPT_BYTES] = {0x08, 0x86, 0x42};
    /* 00001 00010 00011 00100 0010.. -> 1 2 3 4 */
    assert_int_equal(grv_receipt_format(b, out), CORE_OK);
    assert_memory_equal(out, "12344", 5);
    assert_int_equal(strlen(out), GRV_RECEIPT_TEXT);
    assert_int_equal(grv_receipt_format(NULL, out), CORE_INVALID);

    char ref[11];
    unsigned char rb[5] = {0xff, 0xff, 0xff, 0xff, 0xff};
    assert_int_equal(grv_reference_format(rb, ref), CORE_OK);
    assert_string_equal(ref, "G-ZZZZZZZZ");
    unsigned char rz[5] = {0};
    assert_int_equal(grv_reference_format(rz, ref), CORE_OK);
    assert_string_equal(ref, "G-00000000");
    assert_int_equal(grv_reference_format(NULL, ref), CORE_INVALID);
}

static void test_receipt_normalize(void **state)
{
    (void)state;
    char n[GRV_RECEIPT_CHARS + 1];
    assert_int_equal(grv_receipt_normalize("ABCDE-FGHJK-MNPQR-STVWX", n), CORE_OK);
    assert_string_equal(n, "ABCDEFGHJKMNPQRSTVWX");
    assert_int_equal(grv_receipt_normalize("abcde fghjk mnpqr stvwx", n), CORE_OK);
    assert_string_equal(n, "ABCDEFGHJKMNPQRSTVWX");
    assert_int_equal(grv_receipt_normalize("  abcdefghjkmnpqrstvwx\n", n), CORE_OK);
    assert_string_equal(n, "ABCDEFGHJKMNPQRSTVWX");
    /* I and L read as 1, O as 0 (both cases) */
    assert_int_equal(grv_receipt_normalize("IiLlO-o0000-11111-ZZZZZ", n), CORE_OK);
    assert_string_equal(n, "111100000011111ZZZZZ");
    assert_int_equal(grv_receipt_normalize("1111o-00000-11111-zzzzz", n), CORE_OK);
    assert_string_equal(n, "111100000011111ZZZZZ");
    /* wrong lengths */
    assert_int_equal(grv_receipt_normalize("ABCDE-FGHJK-MNPQR-STVW", n), CORE_INVALID);
    assert_string_equal(n, "");
    assert_int_equal(grv_receipt_normalize("ABCDE-FGHJK-MNPQR-STVWXY", n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize("", n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize("-----", n), CORE_INVALID);
    /* invalid characters: U, punctuation, non-ASCII */
    assert_int_equal(grv_receipt_normalize("ABCDE-FGHJK-MNPQR-STVWU", n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize("ABCDE_FGHJK_MNPQR_STVWX", n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize("ABCDE-FGHJK-MNPQR-STVW\xc3\xa9", n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize("ABCDE.FGHJK.MNPQR.STVWX", n), CORE_INVALID);
    /* too long input refused even if mostly separators */
    char longs[200];
    memset(longs, ' ', sizeof longs - 21);
    memcpy(longs + sizeof longs - 21, "ABCDEFGHJKMNPQRSTVWX", 21);
    assert_int_equal(grv_receipt_normalize(longs, n), CORE_INVALID);
    assert_int_equal(grv_receipt_normalize(NULL, n), CORE_INVALID);
    /* a formatted receipt normalises to itself without hyphens */
    unsigned char r[GRV_RECEIPT_BYTES];
    cry_random_bytes(r, sizeof r);
    char f[GRV_RECEIPT_TEXT + 1];
    assert_int_equal(grv_receipt_format(r, f), CORE_OK);
    assert_int_equal(grv_receipt_normalize(f, n), CORE_OK);
    char nohyph[GRV_RECEIPT_CHARS + 1];
    size_t o = 0;
    for (const char *p = f; *p; p++)
        if (*p != '-')
            nohyph[o++] = *p;
    nohyph[o] = 0;
    assert_string_equal(n, nohyph);
}

static int cmpstr(const void *a, const void *b)
{
    return strcmp((const char *)a, (const char *)b);
}

static void test_random_receipts_distinct(void **state)
{
    (void)state;
    char r[100][GRV_RECEIPT_TEXT + 1];
    for (int i = 0; i < 100; i++) {
        unsigned char b[GRV_RECEIPT_BYTES];
        cry_random_bytes(b, sizeof b);
        assert_int_equal(grv_receipt_format(b, r[i]), CORE_OK);
        assert_int_equal(strlen(r[i]), GRV_RECEIPT_TEXT);
        for (int k = 0; k < GRV_RECEIPT_TEXT; k++) {
            if (k % 6 == 5)
                assert_int_equal(r[i][k], '-');
            else
                assert_non_null(strchr(crockford, r[i][k]));
        }
    }
    qsort(r, 100, sizeof r[0], cmpstr);
    for (int i = 1; i < 100; i++)
        assert_string_not_equal(r[i - 1], r[i]);
}

int main(void)
{
    if (cry_init() != CORE_OK)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names_roundtrip),
        cmocka_unit_test(test_every_transition),
        cmocka_unit_test(test_reasons),
        cmocka_unit_test(test_paths),
        cmocka_unit_test(test_policy_defaults),
        cmocka_unit_test(test_clock_running_due_soon_overdue),
        cmocka_unit_test(test_clock_met_missed),
        cmocka_unit_test(test_clock_pause_resume),
        cmocka_unit_test(test_clock_extend),
        cmocka_unit_test(test_clocks_for_and_steps),
        cmocka_unit_test(test_moderation_window),
        cmocka_unit_test(test_triage),
        cmocka_unit_test(test_queue_order),
        cmocka_unit_test(test_receipt_format),
        cmocka_unit_test(test_receipt_normalize),
        cmocka_unit_test(test_random_receipts_distinct),
    };
    return cmocka_run_group_tests_name("grievance", tests, NULL, NULL);
}
