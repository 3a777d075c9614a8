/* dd_schedule: when an assessment is due (UNGP 18: before a new activity or
 * relationship, before major decisions or changes, on changes in the
 * operating environment, and periodically) and how close or late it is;
 * and the engagement-fatigue rule (seed §42: the same few organisations
 * asked again and again) counted per calendar quarter.
 *
 * All dates are day numbers. Calendar arithmetic reuses the grievance
 * module's proleptic Gregorian grv_days_from_civil (no C library time
 * zones): the quarter of a day is found by comparing it with the first day
 * of each quarter of its year.
 */
#include "dd/dd.h"

#include "grievance/grievance.h"

void dd_policy_defaults(dd_policy *p)
{
    if (!p)
        return;
    p->periodic_days = 365;
    for (int i = 0; i < DD_TRIG__COUNT; i++)
        p->event_days[i] = 0;
    p->due_soon_days = 30;
    p->fatigue_per_quarter = 3;
}

int dd_policy_validate(const dd_policy *p, const char **field)
{
    const char *bad = NULL;
    if (!p || p->periodic_days < 1 || p->periodic_days > 3660)
        bad = "periodic_days";
    else if (p->due_soon_days < 0 || p->due_soon_days > 365)
        bad = "due_soon_days";
    else if (p->fatigue_per_quarter < 1 || p->fatigue_per_quarter > 100)
        bad = "fatigue_per_quarter";
    else {
        for (int i = 0; i < DD_TRIG__COUNT; i++) {
            if (p->event_days[i] < 0 || p->event_days[i] > 365)
                bad = "event_days";
        }
    }
    if (field)
        *field = bad;
    return bad ? CORE_INVALID : CORE_OK;
}

int dd_assessment_due(dd_trigger t, int64_t event_day, int64_t last_completed, const dd_policy *p,
                      int64_t *due_day)
{
    dd_policy def;
    if (!p) {
        dd_policy_defaults(&def);
        p = &def;
    }
    if ((int)t < 0 || t >= DD_TRIG__COUNT || !due_day || dd_policy_validate(p, NULL) != CORE_OK)
        return CORE_INVALID;
    if (t == DD_TRIG_PERIODIC)
        *due_day = last_completed >= 0 ? last_completed + p->periodic_days : event_day;
    else
        *due_day = event_day + p->event_days[t];
    return CORE_OK;
}

dd_due_status dd_due_eval(int64_t due_day, int64_t today, int64_t completed_day, int due_soon_days)
{
    if (completed_day >= 0)
        return completed_day <= due_day ? DD_DUE_MET : DD_DUE_LATE;
    if (today > due_day)
        return DD_DUE_OVERDUE;
    if (due_day - today <= (int64_t)(due_soon_days > 0 ? due_soon_days : 0))
        return DD_DUE_SOON;
    return DD_DUE_UPCOMING;
}

int64_t dd_days_overdue(int64_t due_day, int64_t today)
{
    return today > due_day ? today - due_day : 0;
}

/* ---- calendar quarters ---- */

void dd_quarter_of(int64_t day, int64_t *year, int *quarter)
{
    /* An estimate of the year, then corrected by the first days of years. */
    int64_t y = 1970 + (day >= 0 ? day / 365 : -((-day + 364) / 365));
    while (grv_days_from_civil(y, 1, 1) > day)
        y--;
    while (grv_days_from_civil(y + 1, 1, 1) <= day)
        y++;
    int q = 1;
    for (int k = 2; k <= 4; k++) {
        if (grv_days_from_civil(y, (unsigned)(3 * (k - 1) + 1), 1) <= day)
            q = k;
    }
    if (year)
        *year = y;
    if (quarter)
        *quarter = q;
}

int dd_quarter_start(int64_t year, int quarter, int64_t *day)
{
    if (quarter < 1 || quarter > 4 || !day)
        return CORE_INVALID;
    *day = grv_days_from_civil(year, (unsigned)(3 * (quarter - 1) + 1), 1);
    return CORE_OK;
}

int dd_fatigue_check(const int64_t *days, size_t n, int64_t new_day, int max_per_quarter,
                     dd_fatigue *out)
{
    if (!out || max_per_quarter < 1 || (!days && n > 0))
        return CORE_INVALID;
    int64_t y;
    int q;
    dd_quarter_of(new_day, &y, &q);
    int64_t from, to;
    dd_quarter_start(y, q, &from);
    if (q == 4)
        dd_quarter_start(y + 1, 1, &to);
    else
        dd_quarter_start(y, q + 1, &to);
    size_t count = 0;
    for (size_t i = 0; i < n; i++) {
        if (days[i] >= from && days[i] < to)
            count++;
    }
    out->year = y;
    out->quarter = q;
    out->count = count;
    out->exceeds = count + 1 > (size_t)max_per_quarter;
    return CORE_OK;
}
