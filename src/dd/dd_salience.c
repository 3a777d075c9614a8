/* dd_salience: severity and the prioritisation of impacts (UNGP 14, 17 and
 * 24). Severity is judged by scale, scope and irremediable character, each
 * rated 1-5 against rubric.md, and is their sum (3-15), the same scale as a
 * grievance's triage severity so both read alike. Likelihood (1-5) matters
 * for potential impacts only; an actual impact is certain (5).
 *
 * dd_priority_cmp is a total order: every key is compared in turn and the
 * caller's id breaks the last tie, so sorting is deterministic and any two
 * distinct ratings with distinct ids compare non-equal. Severity comes
 * before likelihood: a grave but unlikely impact ranks above a likely but
 * minor one, as UNGP 24 asks.
 */
#include "dd/dd.h"

#include <string.h>

static int in_range(int v)
{
    return v >= 1 && v <= 5;
}

int dd_rating_validate(const dd_rating *r, const char **field)
{
    const char *bad = NULL;
    if (!r)
        bad = "status";
    else if ((int)r->status < 0 || r->status >= DD_STATUS__COUNT)
        bad = "status";
    else if (!in_range(r->scale))
        bad = "scale";
    else if (!in_range(r->scope))
        bad = "scope";
    else if (!in_range(r->irremediable))
        bad = "irremediable";
    else if (r->status == DD_ACTUAL ? !(r->likelihood == 0 || in_range(r->likelihood))
                                    : !in_range(r->likelihood))
        bad = "likelihood";
    if (field)
        *field = bad;
    return bad ? CORE_INVALID : CORE_OK;
}

int dd_severity(const dd_rating *r)
{
    if (dd_rating_validate(r, NULL) != CORE_OK)
        return 0;
    return r->scale + r->scope + r->irremediable;
}

int dd_likelihood(const dd_rating *r)
{
    if (dd_rating_validate(r, NULL) != CORE_OK)
        return 0;
    return r->status == DD_ACTUAL ? 5 : r->likelihood;
}

int dd_severity_band(int severity)
{
    if (severity < 3 || severity > 15)
        return 0;
    if (severity <= 4)
        return 1;
    if (severity <= 6)
        return 2;
    if (severity <= 9)
        return 3;
    if (severity <= 12)
        return 4;
    return 5;
}

/* Higher first: <0 when x > y. */
static int desc(int x, int y)
{
    return x > y ? -1 : x < y ? 1 : 0;
}

static int status_rank(dd_status s)
{
    return s == DD_ACTUAL ? 0 : s == DD_POSSIBLY_ACTUAL ? 1 : 2;
}

int dd_priority_cmp(const dd_rating *a, const dd_rating *b)
{
    int va = dd_rating_validate(a, NULL) == CORE_OK, vb = dd_rating_validate(b, NULL) == CORE_OK;
    int c;
    if (va != vb)
        return va ? -1 : 1;
    if (va) {
        if ((c = desc(dd_severity(a), dd_severity(b))) != 0)
            return c;
        if ((c = desc(dd_likelihood(a), dd_likelihood(b))) != 0)
            return c;
        if ((c = desc(a->irremediable, b->irremediable)) != 0)
            return c;
        if ((c = desc(a->scope, b->scope)) != 0)
            return c;
        if ((c = desc(a->scale, b->scale)) != 0)
            return c;
        if ((c = -desc(status_rank(a->status), status_rank(b->status))) != 0)
            return c;
    }
    int64_t ia = a ? a->id : 0, ib = b ? b->id : 0;
    return ia < ib ? -1 : ia > ib ? 1 : 0;
}

int dd_priority_qsort(const void *a, const void *b)
{
    return dd_priority_cmp(a, b);
}

static const char *const rubric_keys[4][5] = {
    {"dd.rubric.scale.1", "dd.rubric.scale.2", "dd.rubric.scale.3", "dd.rubric.scale.4",
     "dd.rubric.scale.5"},
    {"dd.rubric.scope.1", "dd.rubric.scope.2", "dd.rubric.scope.3", "dd.rubric.scope.4",
     "dd.rubric.scope.5"},
    {"dd.rubric.irremediable.1", "dd.rubric.irremediable.2", "dd.rubric.irremediable.3",
     "dd.rubric.irremediable.4", "dd.rubric.irremediable.5"},
    {"dd.rubric.likelihood.1", "dd.rubric.likelihood.2", "dd.rubric.likelihood.3",
     "dd.rubric.likelihood.4", "dd.rubric.likelihood.5"},
};
static const char *const dimensions[4] = {"scale", "scope", "irremediable", "likelihood"};

const char *dd_rubric_key(const char *dimension, int level)
{
    if (!dimension || !in_range(level))
        return NULL;
    for (int d = 0; d < 4; d++) {
        if (strcmp(dimension, dimensions[d]) == 0)
            return rubric_keys[d][level - 1];
    }
    return NULL;
}
