/* grv_clock: legal time limits as clocks, and calendar dates.
 *
 * A clock starts with due = start + limit days. Pausing (waiting for the
 * complainant) records when; resuming adds the paused span to due_at and to
 * paused_total. Extensions add whole days, up to a maximum in total
 * (GDPR art. 12(3): 1 month + 2). Stopping records when the measured step
 * was taken (a paused clock is resumed first, so the pause still counts).
 * Evaluation: stopped -> MET if stopped_at <= due_at, else MISSED; paused ->
 * PAUSED; now > due_at -> OVERDUE; due within due_soon_days -> DUE_SOON;
 * else RUNNING. A day is 86400 seconds (limits are counted in UTC days).
 *
 * Which clocks run: every case starts ACK on filing, data_protection also
 * DSR; FEEDBACK starts on ACKNOWLEDGE (grv_clock_starts_on). ACK stops on
 * acknowledge (or refer); FEEDBACK and DSR stop on the first substantive
 * step: declare_inadmissible, propose_remedy, refer, close. Withdraw stops
 * every clock (nothing is owed any more).
 *
 * Dates: days_from_civil is the well-known proleptic Gregorian era
 * computation (pure integer arithmetic, no time zone, no libc).
 */
#include "grievance/grievance.h"

#include <string.h>

#define DAY 86400

static const char *const clock_names[GRV_CLOCK__COUNT] = {"acknowledge", "feedback",
                                                           "answer_request"};
static const char *const status_names[] = {"running", "due_soon", "overdue",
                                           "paused",  "met",      "missed"};

void grv_policy_defaults(grv_policy *p)
{
    if (!p)
        return;
    p->ack_days = 7;
    p->feedback_days = 90;
    p->moderation_window_days = 183;
    p->dsr_days = 30;
    p->dsr_extension_days = 60;
    p->due_soon_days = 7;
}

const char *grv_clock_name(grv_clock_kind k)
{
    return (unsigned)k < GRV_CLOCK__COUNT ? clock_names[k] : "unknown";
}

const char *grv_clock_status_name(grv_clock_status s)
{
    return (unsigned)s <= GRV_CLOCK_MISSED ? status_names[s] : "unknown";
}

void grv_clock_start(grv_clock *c, grv_clock_kind k, int64_t now, int limit_days)
{
    if (!c)
        return;
    memset(c, 0, sizeof *c);
    c->kind = k;
    c->started_at = now;
    c->due_at = now + (int64_t)(limit_days > 0 ? limit_days : 0) * DAY;
}

void grv_clock_pause(grv_clock *c, int64_t now)
{
    if (!c || c->paused_since > 0 || c->stopped_at > 0)
        return;
    c->paused_since = now > 0 ? now : 1;
}

void grv_clock_resume(grv_clock *c, int64_t now)
{
    if (!c || c->paused_since <= 0)
        return;
    int64_t span = now - c->paused_since;
    if (span < 0)
        span = 0;
    c->paused_total += span;
    c->due_at += span;
    c->paused_since = 0;
}

int grv_clock_extend(grv_clock *c, int days, int max_days)
{
    if (!c || days <= 0 || max_days < 0)
        return CORE_INVALID;
    if (c->stopped_at > 0)
        return CORE_CONFLICT;
    int64_t add = (int64_t)days * DAY;
    if (c->extended_by + add > (int64_t)max_days * DAY)
        return CORE_INVALID;
    c->extended_by += add;
    c->due_at += add;
    return CORE_OK;
}

void grv_clock_stop(grv_clock *c, int64_t now)
{
    if (!c || c->stopped_at > 0)
        return;
    grv_clock_resume(c, now);
    c->stopped_at = now > 0 ? now : 1;
}

grv_clock_status grv_clock_eval(const grv_clock *c, int64_t now, int due_soon_days)
{
    if (!c)
        return GRV_CLOCK_RUNNING;
    if (c->stopped_at > 0)
        return c->stopped_at <= c->due_at ? GRV_CLOCK_MET : GRV_CLOCK_MISSED;
    if (c->paused_since > 0)
        return GRV_CLOCK_PAUSED;
    if (now > c->due_at)
        return GRV_CLOCK_OVERDUE;
    if (c->due_at - now <= (int64_t)(due_soon_days > 0 ? due_soon_days : 0) * DAY)
        return GRV_CLOCK_DUE_SOON;
    return GRV_CLOCK_RUNNING;
}

int grv_clock_limit_days(grv_clock_kind k, const grv_policy *p)
{
    grv_policy d;
    if (!p) {
        grv_policy_defaults(&d);
        p = &d;
    }
    switch (k) {
    case GRV_CLOCK_ACK: return p->ack_days;
    case GRV_CLOCK_FEEDBACK: return p->feedback_days;
    case GRV_CLOCK_DSR: return p->dsr_days;
    default: return 0;
    }
}

int grv_clock_max_extension_days(grv_clock_kind k, const grv_policy *p)
{
    grv_policy d;
    if (!p) {
        grv_policy_defaults(&d);
        p = &d;
    }
    return k == GRV_CLOCK_DSR ? p->dsr_extension_days : 0;
}

int grv_clocks_for(grv_category cat, const grv_policy *p, grv_clock_kind kinds[GRV_CLOCK__COUNT],
                   int limits_days[GRV_CLOCK__COUNT])
{
    if (!kinds || !limits_days || (unsigned)cat >= GRV_CAT__COUNT)
        return 0;
    int n = 0;
    kinds[n] = GRV_CLOCK_ACK;
    limits_days[n++] = grv_clock_limit_days(GRV_CLOCK_ACK, p);
    if (cat == GRV_CAT_DATA_PROTECTION) {
        kinds[n] = GRV_CLOCK_DSR;
        limits_days[n++] = grv_clock_limit_days(GRV_CLOCK_DSR, p);
    }
    return n;
}

int grv_clock_starts_on(grv_clock_kind k, grv_action a)
{
    return k == GRV_CLOCK_FEEDBACK && a == GRV_ACT_ACKNOWLEDGE;
}

int grv_clock_stops_on(grv_clock_kind k, grv_action a)
{
    if (a == GRV_ACT_WITHDRAW)
        return (unsigned)k < GRV_CLOCK__COUNT;
    switch (k) {
    case GRV_CLOCK_ACK:
        return a == GRV_ACT_ACKNOWLEDGE || a == GRV_ACT_REFER;
    case GRV_CLOCK_FEEDBACK:
    case GRV_CLOCK_DSR:
        return a == GRV_ACT_DECLARE_INADMISSIBLE || a == GRV_ACT_PROPOSE_REMEDY ||
               a == GRV_ACT_REFER || a == GRV_ACT_CLOSE;
    default:
        return 0;
    }
}

/* ---- dates ---- */

int64_t grv_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;                                       /* [0, 399] */
    int64_t mp = m > 2 ? (int64_t)m - 3 : (int64_t)m + 9;            /* March = 0 */
    int64_t doy = (153 * mp + 2) / 5 + (int64_t)d - 1;                /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;              /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

int64_t grv_day_of(int64_t t)
{
    return t >= 0 ? t / DAY : -((-t + DAY - 1) / DAY);
}

static int is_leap(int64_t y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int grv_date_parse(const char *s, int64_t *days)
{
    if (!s || strnlen(s, 11) != 10 || s[4] != '-' || s[7] != '-')
        return CORE_INVALID;
    int v[8], k = 0;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7)
            continue;
        if (s[i] < '0' || s[i] > '9')
            return CORE_INVALID;
        v[k++] = s[i] - '0';
    }
    int64_t y = v[0] * 1000 + v[1] * 100 + v[2] * 10 + v[3];
    unsigned m = (unsigned)(v[4] * 10 + v[5]), d = (unsigned)(v[6] * 10 + v[7]);
    static const unsigned mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return CORE_INVALID;
    unsigned maxd = mdays[m - 1] + (m == 2 && is_leap(y));
    if (d > maxd)
        return CORE_INVALID;
    if (days)
        *days = grv_days_from_civil(y, m, d);
    return CORE_OK;
}

int grv_moderation_in_time(const char *decision_date, int64_t now, const grv_policy *p)
{
    grv_policy def;
    if (!p) {
        grv_policy_defaults(&def);
        p = &def;
    }
    int64_t day;
    if (grv_date_parse(decision_date, &day) != CORE_OK)
        return CORE_INVALID;
    int64_t today = grv_day_of(now);
    if (day > today + 1)                 /* a date in the future (one day of time-zone slack) */
        return CORE_INVALID;
    if (today - day > p->moderation_window_days)
        return CORE_INVALID;
    return CORE_OK;
}
