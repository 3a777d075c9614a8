/* test_remedy_flow: the workflow of a case end to end, time limits with the
 * injected clock, appeals, recusal, collective cases and org scoping. */
#include "test_remedy.h"

static const rmd_clock_view *clock_of(const rmd_clock_view *v, size_t n, grv_clock_kind k)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].clock.kind == k)
            return &v[i];
    return NULL;
}

static int thread_has(const rmd_case_public *p, const char *text)
{
    for (size_t i = 0; i < p->nthread; i++)
        if (p->thread[i].body && strstr(p->thread[i].body, text))
            return 1;
    return 0;
}

void t_full_flow(void **state)
{
    rfx *f = *state;
    char rc_[GRV_RECEIPT_TEXT + 1];
    int64_t id = file_simple(f, "My account was suspended without any reason given.", NULL, rc_);
    assert_true(id > 0);
    rmd_peer peer = {"10.0.0.1", 0};
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rc_, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_int_equal(p.state, GRV_RECEIVED);
    assert_string_equal(p.state_name, "received");
    const rmd_clock_view *ack = clock_of(p.clocks, p.nclocks, GRV_CLOCK_ACK);
    assert_non_null(ack);
    assert_int_equal(ack->clock.due_at, T0 + 7 * DAY);

    g_now += DAY;
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h1, id, f->u_h1), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ACKNOWLEDGE, NULL,
                                  "We have received your grievance."), CORE_OK);
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->h1, id, "INTERNAL-NOTE-SECRET"), CORE_OK);
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->h1, id, "Which country are you in?", 1),
                     CORE_OK);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rc_, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_int_equal(p.state, GRV_ACKNOWLEDGED);
    assert_true(p.waiting_on_complainant);
    const rmd_clock_view *fb = clock_of(p.clocks, p.nclocks, GRV_CLOCK_FEEDBACK);
    assert_non_null(fb);
    assert_int_equal(fb->status, GRV_CLOCK_PAUSED);
    assert_int_equal(clock_of(p.clocks, p.nclocks, GRV_CLOCK_ACK)->status, GRV_CLOCK_MET);
    int64_t due_before = fb->clock.due_at;
    assert_int_equal(due_before, T0 + DAY + 90 * DAY);
    assert_true(thread_has(&p, "Which country"));
    assert_false(thread_has(&p, "INTERNAL-NOTE-SECRET"));
    for (size_t i = 0; i < p.nthread; i++) {
        assert_int_equal(p.thread[i].actor_user_id, 0);
        assert_null(p.thread[i].actor_name);
        assert_int_equal(p.thread[i].visibility, RMD_VIS_PUBLIC);
    }

    g_now += 3 * DAY;                 /* the complainant answers three days later */
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, rc_, &peer, "I am in Kenya."), CORE_OK);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rc_, &peer, RMD_PUB_THREAD, &p), CORE_OK);
    assert_false(p.waiting_on_complainant);
    fb = clock_of(p.clocks, p.nclocks, GRV_CLOCK_FEEDBACK);
    assert_int_equal(fb->status, GRV_CLOCK_RUNNING);
    assert_int_equal(fb->clock.due_at, due_before + 3 * DAY);
    assert_true(thread_has(&p, "Kenya"));

    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ASSESS, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_INVESTIGATE, NULL, NULL), CORE_OK);
    /* a complainant-only action is refused to staff */
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_WITHDRAW, NULL, NULL), CORE_DENIED);
    /* remedy before any proposal: nothing to decide */
    assert_int_equal(rmd_receipt_remedy_decision(f->svc, &f->a, rc_, &peer, 1, NULL), CORE_CONFLICT);
    assert_int_equal(rmd_remedy_propose(f->svc, &f->a, &f->h1, id, "no-such-type", "x", NULL),
                     CORE_INVALID);
    int64_t rid = 0;
    assert_int_equal(rmd_remedy_propose(f->svc, &f->a, &f->h1, id, "restitution",
                                        "Your account will be restored.", &rid), CORE_OK);
    assert_true(rid > 0);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rc_, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_int_equal(p.state, GRV_REMEDY_PROPOSED);
    assert_true(p.can_decide_remedy);
    assert_int_equal(p.nremedies, 1);
    assert_string_equal(p.remedies[0].description, "Your account will be restored.");
    assert_int_equal(clock_of(p.clocks, p.nclocks, GRV_CLOCK_FEEDBACK)->status, GRV_CLOCK_MET);
    assert_int_equal(rmd_receipt_rate(f->svc, &f->a, rc_, &peer, 4, NULL), CORE_CONFLICT);

    assert_int_equal(rmd_receipt_remedy_decision(f->svc, &f->a, rc_, &peer, 1, "Thank you"), CORE_OK);
    assert_int_equal(rmd_remedy_implement(f->svc, &f->a, &f->h1, id, ""), CORE_INVALID);
    assert_int_equal(rmd_remedy_implement(f->svc, &f->a, &f->h1, id, "Account restored on 5 Jan."),
                     CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_CLOSE, NULL, "Closed."), CORE_OK);
    assert_int_equal(rmd_receipt_rate(f->svc, &f->a, rc_, &peer, 9, NULL), CORE_INVALID);
    assert_int_equal(rmd_receipt_rate(f->svc, &f->a, rc_, &peer, 4, "Good enough"), CORE_OK);
    assert_int_equal(rmd_receipt_rate(f->svc, &f->a, rc_, &peer, 5, NULL), CORE_CONFLICT);
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, rc_, &peer, "late"), CORE_CONFLICT);

    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rc_, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_int_equal(p.state, GRV_CLOSED);
    assert_int_equal(p.satisfaction, 4);
    assert_false(p.can_rate);
    assert_int_equal(p.remedies[0].state, RMD_REMEDY_IMPLEMENTED);
    assert_string_equal(p.remedies[0].complainant_comment, "Thank you");
    assert_false(thread_has(&p, "INTERNAL-NOTE-SECRET"));

    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_string_equal(c.narrative, "My account was suspended without any reason given.");
    assert_null(c.contact_email);
    assert_int_equal(c.satisfaction, 4);
    assert_string_equal(c.rating_comment, "Good enough");
    int note = 0, staff_named = 0;
    for (size_t i = 0; i < c.nevents; i++) {
        if (c.events[i].body && strcmp(c.events[i].body, "INTERNAL-NOTE-SECRET") == 0) {
            note = 1;
            assert_int_equal(c.events[i].visibility, RMD_VIS_INTERNAL);
        }
        if (c.events[i].actor_user_id == f->u_h1 && c.events[i].actor_name)
            staff_named = 1;
    }
    assert_true(note);
    assert_true(staff_named);
    assert_true(c.acknowledged_at > 0 && c.closed_at > 0);
    /* the audit trail has the steps, and still verifies */
    store_conn *sc;
    assert_int_equal(store_acquire(f->s, &sc), CORE_OK);
    int64_t checked = 0, bad = 0;
    assert_int_equal(store_audit_verify(sc, &checked, &bad), CORE_OK);
    assert_true(checked >= 12);
    store_release(f->s, sc);
    /* hr_lead reads, cannot act; analyst neither */
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->hr, id, &c), CORE_OK);
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->hr, id, "x"), CORE_DENIED);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->analyst, id, &c), CORE_DENIED);
}

void t_time_limits(void **state)
{
    rfx *f = *state;
    int64_t id = file_simple(f, "Time limit case", NULL, NULL);
    rmd_filter fl;
    rmd_filter_init(&fl);
    fl.overdue = 1;
    rmd_case_summary *s;
    size_t n;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    rmd_case c;
    g_now = T0 + 6 * DAY;              /* due in one day: due soon (policy: 7 days) */
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_int_equal(c.clocks[0].status, GRV_CLOCK_DUE_SOON);
    rmd_filter_init(&fl);
    fl.due_within_days = 2;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].next_due_kind, GRV_CLOCK_ACK);
    assert_int_equal(s[0].next_due_status, GRV_CLOCK_DUE_SOON);
    g_now = T0 + 8 * DAY;              /* past the acknowledgement limit */
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_int_equal(c.clocks[0].status, GRV_CLOCK_OVERDUE);
    rmd_filter_init(&fl);
    fl.overdue = 1;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(s[0].id, id);
    assert_int_equal(s[0].next_due_status, GRV_CLOCK_OVERDUE);
    /* acknowledging late: the clock stops as missed; feedback starts */
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ACKNOWLEDGE, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    for (size_t i = 0; i < c.nclocks; i++) {
        if (c.clocks[i].clock.kind == GRV_CLOCK_ACK)
            assert_int_equal(c.clocks[i].status, GRV_CLOCK_MISSED);
        else
            assert_int_equal(c.clocks[i].status, GRV_CLOCK_RUNNING);
    }
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    /* a paused clock is never overdue; it resumes with the time added */
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->h1, id, "A question", 1), CORE_OK);
    g_now += 100 * DAY;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_true(c.s.waiting_on_complainant);
    int64_t fb_due = 0;
    for (size_t i = 0; i < c.nclocks; i++)
        if (c.clocks[i].clock.kind == GRV_CLOCK_FEEDBACK) {
            assert_int_equal(c.clocks[i].status, GRV_CLOCK_PAUSED);
            fb_due = c.clocks[i].clock.due_at;
        }
    assert_int_equal(fb_due, T0 + 8 * DAY + 90 * DAY);
    /* the acknowledgement clock cannot be extended; feedback neither (policy) */
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_ACK, 5, "notice"),
                     CORE_INVALID);
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_DSR, 5, "notice"),
                     CORE_CONFLICT);   /* a general case has no DSR clock */
}

void t_dsr_extend(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    int64_t id = file_simple(f, "Please give me a copy of my data", "data_protection", r);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    const rmd_clock_view *d = clock_of(c.clocks, c.nclocks, GRV_CLOCK_DSR);
    assert_non_null(d);
    assert_int_equal(d->clock.due_at, T0 + 30 * DAY);
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_DSR, 30, ""), CORE_INVALID);
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_DSR, 30,
                                     "We need more time: many systems hold your data."), CORE_OK);
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_DSR, 31, "more"),
                     CORE_INVALID);    /* 60 days in total at most */
    assert_int_equal(rmd_case_extend(f->svc, &f->a, &f->h1, id, GRV_CLOCK_DSR, 30, "more"), CORE_OK);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    d = clock_of(c.clocks, c.nclocks, GRV_CLOCK_DSR);
    assert_int_equal(d->clock.due_at, T0 + 90 * DAY);
    assert_int_equal(d->clock.extended_by, 60 * DAY);
    g_now = T0 + 45 * DAY;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_int_equal(clock_of(c.clocks, c.nclocks, GRV_CLOCK_DSR)->status, GRV_CLOCK_RUNNING);
    /* the notice reached the complainant */
    rmd_peer peer = {"10.0.0.2", 0};
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &peer, RMD_PUB_THREAD, &p), CORE_OK);
    int seen = 0;
    for (size_t i = 0; i < p.nthread; i++)
        if (p.thread[i].body && strstr(p.thread[i].body, "many systems"))
            seen = 1;
    assert_true(seen);
}

void t_appeal_other_handler(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    rmd_peer peer = {"10.0.0.3", 0};
    int64_t id = file_simple(f, "Appeal case", NULL, r);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h1, id, f->u_h1), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ACKNOWLEDGE, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ASSESS, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_DECLARE_INADMISSIBLE, NULL, NULL),
                     CORE_INVALID);    /* reasons required */
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_DECLARE_INADMISSIBLE,
                                  "Outside our products; see the data protection authority.", NULL),
                     CORE_OK);
    assert_int_equal(rmd_receipt_appeal(f->svc, &f->a, r, &peer, ""), CORE_INVALID);
    assert_int_equal(rmd_receipt_appeal(f->svc, &f->a, r, &peer, "It is your app."), CORE_OK);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h2, id, &c), CORE_OK);
    assert_int_equal(c.s.state, GRV_APPEALED);
    assert_int_equal(c.previous_handler_id, f->u_h1);
    assert_int_equal(c.s.assigned_user_id, 0);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h2, id, f->u_h1), CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_REVIEW_APPEAL, NULL, NULL),
                     CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_UPHOLD, "no", NULL), CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h2, id, GRV_ACT_REVIEW_APPEAL, NULL,
                                  "Your case is reopened."), CORE_OK);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h2, id, &c), CORE_OK);
    assert_int_equal(c.s.state, GRV_IN_ASSESSMENT);
    assert_int_equal(c.s.assigned_user_id, f->u_h2);
    assert_int_equal(clock_of(c.clocks, c.nclocks, GRV_CLOCK_FEEDBACK)->status, GRV_CLOCK_RUNNING);
    /* the inadmissibility reasons were shown to the complainant */
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &peer, RMD_PUB_THREAD, &p), CORE_OK);
    int seen = 0;
    for (size_t i = 0; i < p.nthread; i++)
        if (p.thread[i].body && strstr(p.thread[i].body, "data protection authority"))
            seen = 1;
    assert_true(seen);
}

/* The handler who decided is barred from the appeal even when another
 * handler was assigned: both the assigned and the deciding handler are out. */
void t_appeal_decider_barred(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    rmd_peer peer = {"10.0.0.4", 0};
    int64_t id = file_simple(f, "Appeal case decided by someone else", NULL, r);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h1, id, f->u_h1), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ACKNOWLEDGE, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ASSESS, NULL, NULL), CORE_OK);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h2, id, GRV_ACT_DECLARE_INADMISSIBLE,
                                  "Outside our products.", NULL), CORE_OK);
    assert_int_equal(rmd_receipt_appeal(f->svc, &f->a, r, &peer, "Please look again."), CORE_OK);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->admin, id, &c), CORE_OK);
    assert_int_equal(c.previous_handler_id, f->u_h1);
    /* neither the assigned handler nor the one who decided may review */
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_REVIEW_APPEAL, NULL, NULL),
                     CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h2, id, GRV_ACT_REVIEW_APPEAL, NULL, NULL),
                     CORE_DENIED);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->admin, id, f->u_h2), CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->admin, id, GRV_ACT_REVIEW_APPEAL, NULL,
                                  "Reopened by an independent reviewer."), CORE_OK);
}

void t_recusal(void **state)
{
    rfx *f = *state;
    int64_t id = file_simple(f, "Recusal case", NULL, NULL);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h1, id, f->u_h1), CORE_OK);
    assert_int_equal(rmd_case_recuse(f->svc, &f->a, &f->h1, id, ""), CORE_INVALID);
    assert_int_equal(rmd_case_recuse(f->svc, &f->a, &f->h1, id, "My brother works on this team."),
                     CORE_OK);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_DENIED);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_ACKNOWLEDGE, NULL, NULL),
                     CORE_DENIED);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h2, id, f->u_h1), CORE_DENIED);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h2, id, f->u_analyst), CORE_INVALID);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h2, id, f->u_other), CORE_INVALID);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h2, id, &c), CORE_OK);
    assert_int_equal(c.s.assigned_user_id, 0);
    assert_int_equal(c.nrecused, 1);
    assert_int_equal(c.recused[0], f->u_h1);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->h2, id, f->u_h2), CORE_OK);
    rmd_filter fl;
    rmd_filter_init(&fl);
    fl.mine = 1;
    rmd_case_summary *s;
    size_t n;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h2, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    /* the recused handler's queue leaves the case out; others see it */
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, NULL, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h2, NULL, &s, &n), CORE_OK);
    assert_int_equal(n, 1);
}

void t_collective(void **state)
{
    rfx *f = *state;
    char r[3][GRV_RECEIPT_TEXT + 1];
    int64_t id[3];
    for (int i = 0; i < 3; i++)
        id[i] = file_simple(f, "The face filter fails on dark skin.", NULL, r[i]);
    int64_t cid = 0;
    assert_int_equal(rmd_collective_create(f->svc, &f->a, &f->h1, "", NULL, &cid), CORE_INVALID);
    assert_int_equal(rmd_collective_create(f->svc, &f->a, &f->h1, "Face filter bias",
                                           "Systemic: the model was not trained on darker skin.",
                                           &cid), CORE_OK);
    for (int i = 0; i < 3; i++)
        assert_int_equal(rmd_collective_add(f->svc, &f->a, &f->h1, id[i], cid), CORE_OK);
    assert_int_equal(rmd_collective_add(f->svc, &f->a, &f->other, id[0], cid), CORE_NOTFOUND);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id[0], GRV_ACT_ACKNOWLEDGE, NULL, NULL), CORE_OK);
    int ap = -1, sk = -1;
    assert_int_equal(rmd_collective_act(f->svc, &f->a, &f->h1, cid, GRV_ACT_ACKNOWLEDGE, NULL,
                                        "Received, handled together with similar reports.", &ap, &sk),
                     CORE_OK);
    assert_int_equal(ap, 2);
    assert_int_equal(sk, 1);
    assert_int_equal(rmd_collective_act(f->svc, &f->a, &f->h1, cid, GRV_ACT_ASSESS, NULL, NULL, &ap, &sk), CORE_OK);
    assert_int_equal(ap, 3);
    assert_int_equal(rmd_collective_act(f->svc, &f->a, &f->h1, cid, GRV_ACT_INVESTIGATE, NULL, NULL, &ap, &sk), CORE_OK);
    assert_int_equal(rmd_collective_propose(f->svc, &f->a, &f->h1, cid, "non_repetition",
                                            "We retrain the model and audit it.", &ap, &sk), CORE_OK);
    assert_int_equal(ap, 3);
    /* a private message to one complainant stays in that thread */
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->h1, id[1], "PRIVATE-TO-SECOND", 0), CORE_OK);
    rmd_peer peer = {"10.0.0.4", 0};
    rmd_case_public p;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rmd_receipt_open(f->svc, &f->a, r[i], &peer, RMD_PUB_ALL, &p), CORE_OK);
        assert_int_equal(p.state, GRV_REMEDY_PROPOSED);
        assert_int_equal(p.nremedies, 1);
        int seen = 0;
        for (size_t k = 0; k < p.nthread; k++)
            if (p.thread[k].body && strstr(p.thread[k].body, "PRIVATE-TO-SECOND"))
                seen = 1;
        assert_int_equal(seen, i == 1);
    }
    /* each complainant decides for themselves */
    assert_int_equal(rmd_receipt_remedy_decision(f->svc, &f->a, r[0], &peer, 1, NULL), CORE_OK);
    assert_int_equal(rmd_receipt_remedy_decision(f->svc, &f->a, r[1], &peer, 0, "Not enough"), CORE_OK);
    rmd_collective k;
    assert_int_equal(rmd_collective_get(f->svc, &f->a, &f->hr, cid, &k), CORE_OK);
    assert_string_equal(k.title, "Face filter bias");
    assert_string_equal(k.description, "Systemic: the model was not trained on darker skin.");
    assert_int_equal(k.ncases, 3);
    rmd_collective *list;
    size_t n;
    assert_int_equal(rmd_collective_list(f->svc, &f->a, &f->h1, &list, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rmd_collective_get(f->svc, &f->a, &f->other, cid, &k), CORE_NOTFOUND);
    rmd_filter fl;
    rmd_filter_init(&fl);
    fl.collective_id = cid;
    rmd_case_summary *s;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_int_equal(rmd_collective_add(f->svc, &f->a, &f->h1, id[2], 0), CORE_OK);
    assert_int_equal(rmd_collective_get(f->svc, &f->a, &f->h1, cid, &k), CORE_OK);
    assert_int_equal(k.ncases, 2);
}

void t_org_scoping(void **state)
{
    rfx *f = *state;
    int64_t id = file_simple(f, "Scoped case", NULL, NULL);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->other, id, &c), CORE_NOTFOUND);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->other, id, GRV_ACT_ACKNOWLEDGE, NULL, NULL),
                     CORE_NOTFOUND);
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->other, id, "x"), CORE_NOTFOUND);
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->other, id, "x", 1), CORE_NOTFOUND);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->other, id, f->u_other), CORE_NOTFOUND);
    assert_int_equal(rmd_remedy_propose(f->svc, &f->a, &f->other, id, "apology", "x", NULL),
                     CORE_NOTFOUND);
    grv_triage t = {3, 3, 3, 0, 0};
    assert_int_equal(rmd_case_triage(f->svc, &f->a, &f->other, id, &t), CORE_NOTFOUND);
    rmd_case_summary *s;
    size_t n = 9;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->other, NULL, &s, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, NULL, &s, &n), CORE_OK);
    assert_int_equal(n, 1);
    int64_t found = 0;
    assert_int_equal(rmd_case_find(f->svc, &f->a, &f->h1, s[0].reference, &found), CORE_OK);
    assert_int_equal(found, id);
    assert_int_equal(rmd_case_find(f->svc, &f->a, &f->other, s[0].reference, &found), CORE_NOTFOUND);
    /* roles: analyst and no-role actors are refused before any lookup */
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->analyst, NULL, &s, &n), CORE_DENIED);
    rmd_actor nobody = {f->u_h1, f->org, CORE_ROLE_NONE, "user:x"};
    assert_int_equal(rmd_case_get(f->svc, &f->a, &nobody, id, &c), CORE_DENIED);
    /* a grievance filed in the named org lands there */
    grv_intake in = {.narrative = "For the other org", .contact_preference = "anonymous"};
    rmd_filed out;
    assert_int_equal(rmd_file(f->svc, &f->a, f->org2, &in, NULL, &out, NULL), CORE_OK);
    assert_int_equal(out.org_id, f->org2);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->other, out.case_id, &c), CORE_OK);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, out.case_id, &c), CORE_NOTFOUND);
    assert_int_equal(rmd_file(f->svc, &f->a, 999999, &in, NULL, &out, NULL), CORE_NOTFOUND);
}
