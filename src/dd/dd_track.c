/* dd_track: tracking the effectiveness of responses (UNGP 20) and the rule
 * by which grievances feed due diligence.
 *
 * An indicator has a direction (increase, decrease, maintain), a target and
 * optionally a target day. The trend of a series is the sign of its
 * ordinary least-squares slope (value per day), computed on days relative
 * to the first point to keep the sums small; a fitted change over the whole
 * span below 1e-9 of the series' magnitude counts as flat. The status
 * compares the latest measurement with the target, then asks whether the
 * trend moves toward it and, with a target day, whether the straight-line
 * projection from the latest value gets there in time.
 *
 * Grievance feedback: a grievance linked to a potential impact is a sign
 * that it may have happened; the impact becomes possibly_actual and a
 * reassessment is queued with the grievance trigger (seed §33, UNGP 29).
 */
#include "dd/dd.h"

#include <math.h>

dd_trend dd_trend_of(const dd_point *pts, size_t n, double *slope)
{
    if (slope)
        *slope = 0.0;
    if (!pts || n < 2)
        return DD_TREND_NONE;
    int64_t d0 = pts[0].day, dmin = pts[0].day, dmax = pts[0].day;
    double mx = 0.0, my = 0.0, ymax = 0.0;
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(pts[i].value))
            return DD_TREND_NONE;
        mx += (double)(pts[i].day - d0);
        my += pts[i].value;
        if (fabs(pts[i].value) > ymax)
            ymax = fabs(pts[i].value);
        if (pts[i].day < dmin)
            dmin = pts[i].day;
        if (pts[i].day > dmax)
            dmax = pts[i].day;
    }
    if (dmin == dmax)
        return DD_TREND_NONE;
    mx /= (double)n;
    my /= (double)n;
    double sxx = 0.0, sxy = 0.0;
    for (size_t i = 0; i < n; i++) {
        double dx = (double)(pts[i].day - d0) - mx;
        sxx += dx * dx;
        sxy += dx * (pts[i].value - my);
    }
    if (!(sxx > 0.0))
        return DD_TREND_NONE;
    double s = sxy / sxx;
    if (!isfinite(s))
        return DD_TREND_NONE;
    if (slope)
        *slope = s;
    double change = s * (double)(dmax - dmin);
    if (fabs(change) <= 1e-9 * (ymax > 1.0 ? ymax : 1.0))
        return DD_TREND_FLAT;
    return s > 0 ? DD_TREND_UP : DD_TREND_DOWN;
}

/* Is value on the target for this indicator? */
static int reaches(const dd_indicator *ind, double v)
{
    switch (ind->direction) {
    case DD_DIR_INCREASE:
        return v >= ind->target;
    case DD_DIR_DECREASE:
        return v <= ind->target;
    default:
        return fabs(v - ind->target) <= ind->tolerance;
    }
}

dd_track dd_track_eval(const dd_indicator *ind, const dd_point *pts, size_t n)
{
    if (!ind || !pts || n == 0 || (int)ind->direction < 0 || ind->direction >= DD_DIR__COUNT ||
        !isfinite(ind->target) || !isfinite(ind->tolerance) || ind->tolerance < 0)
        return DD_TRACK_NO_DATA;
    size_t li = 0;
    for (size_t i = 1; i < n; i++) {
        if (pts[i].day >= pts[li].day)
            li = i;
    }
    double latest = pts[li].value;
    if (!isfinite(latest))
        return DD_TRACK_NO_DATA;
    if (reaches(ind, latest))
        return DD_TRACK_MET;
    double slope = 0.0;
    dd_trend t = dd_trend_of(pts, n, &slope);
    int toward;
    switch (ind->direction) {
    case DD_DIR_INCREASE:
        toward = t == DD_TREND_UP;
        break;
    case DD_DIR_DECREASE:
        toward = t == DD_TREND_DOWN;
        break;
    default:
        toward = (latest < ind->target && t == DD_TREND_UP) || (latest > ind->target && t == DD_TREND_DOWN);
        break;
    }
    if (!toward)
        return DD_TRACK_OFF_TRACK;
    if (ind->target_day >= 0) {
        if (ind->target_day < pts[li].day)
            return DD_TRACK_OFF_TRACK;
        double proj = latest + slope * (double)(ind->target_day - pts[li].day);
        int ok;
        if (ind->direction == DD_DIR_MAINTAIN)
            ok = latest < ind->target ? proj >= ind->target - ind->tolerance
                                      : proj <= ind->target + ind->tolerance;
        else
            ok = reaches(ind, proj);
        if (!ok)
            return DD_TRACK_OFF_TRACK;
    }
    return DD_TRACK_ON_TRACK;
}

int dd_grievance_feedback(dd_status current, dd_feedback *out)
{
    if (!out)
        return CORE_INVALID;
    switch (current) {
    case DD_POTENTIAL:
    case DD_POSSIBLY_ACTUAL:
        out->status = DD_POSSIBLY_ACTUAL;
        out->reassess = 1;
        out->trigger = DD_TRIG_GRIEVANCE;
        return CORE_OK;
    case DD_ACTUAL:
        out->status = DD_ACTUAL;
        out->reassess = 0;
        out->trigger = DD_TRIG_GRIEVANCE;
        return CORE_OK;
    default:
        return CORE_INVALID;
    }
}
