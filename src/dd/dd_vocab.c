/* dd_vocab: the names of the register's vocabulary (status, involvement,
 * responses, lifecycle phase, evidence, triggers, direction, trend, track)
 * and the response each kind of involvement implies under UNGP 19 and 22:
 * a company that causes an impact ceases or prevents it and provides
 * remedy; one that contributes ceases or prevents its contribution, uses
 * its leverage over the others and takes part in remedy; one directly
 * linked through a business relationship uses leverage and may cooperate in
 * remedy without being required to provide it.
 *
 * Each name table is indexed by the enum; parse is a linear search (the
 * lists are tiny).
 */
#include "dd/dd.h"

#include <string.h>

static int parse_in(const char *s, const char *const *names, int n, int *out)
{
    if (!s)
        return CORE_INVALID;
    for (int i = 0; i < n; i++) {
        if (strcmp(s, names[i]) == 0) {
            *out = i;
            return CORE_OK;
        }
    }
    return CORE_INVALID;
}

#define NAME_FN(type, prefix, count, table)                                                    \
    const char *prefix##_name(type v)                                                          \
    {                                                                                          \
        return (int)v >= 0 && (int)v < (count) ? table[v] : NULL;                              \
    }                                                                                          \
    int prefix##_parse(const char *s, type *out)                                               \
    {                                                                                          \
        int i;                                                                                 \
        if (!out || parse_in(s, table, (count), &i) != CORE_OK)                                \
            return CORE_INVALID;                                                               \
        *out = (type)i;                                                                        \
        return CORE_OK;                                                                        \
    }

static const char *const status_names[DD_STATUS__COUNT] = {"potential", "possibly_actual", "actual"};
static const char *const involvement_names[DD_INVOLVEMENT__COUNT] = {"cause", "contribute",
                                                                     "directly_linked"};
static const char *const phase_names[DD_PHASE__COUNT] = {
    "design", "development", "marketing", "sale_or_licensing", "deployment", "use"};
static const char *const evidence_names[DD_EV__COUNT] = {"assessment", "grievance",
                                                         "stakeholder_input", "media", "audit"};
static const char *const trigger_names[DD_TRIG__COUNT] = {
    "new_activity", "major_change", "environment_change", "periodic", "grievance"};
static const char *const direction_names[DD_DIR__COUNT] = {"increase", "decrease", "maintain"};

NAME_FN(dd_status, dd_status, DD_STATUS__COUNT, status_names)
NAME_FN(dd_involvement, dd_involvement, DD_INVOLVEMENT__COUNT, involvement_names)
NAME_FN(dd_phase, dd_phase, DD_PHASE__COUNT, phase_names)
NAME_FN(dd_evidence, dd_evidence, DD_EV__COUNT, evidence_names)
NAME_FN(dd_trigger, dd_trigger, DD_TRIG__COUNT, trigger_names)
NAME_FN(dd_direction, dd_direction, DD_DIR__COUNT, direction_names)

int dd_trigger_is_event(dd_trigger t)
{
    return (int)t >= 0 && t < DD_TRIG__COUNT && t != DD_TRIG_PERIODIC;
}

static const char *const trend_names[DD_TREND__COUNT] = {"none", "up", "down", "flat"};
static const char *const track_names[DD_TRACK__COUNT] = {"no_data", "met", "on_track", "off_track"};
static const char *const due_names[DD_DUE__COUNT] = {"upcoming", "due_soon", "overdue", "met", "late"};

const char *dd_trend_name(dd_trend t)
{
    return (int)t >= 0 && t < DD_TREND__COUNT ? trend_names[t] : NULL;
}

const char *dd_track_name(dd_track t)
{
    return (int)t >= 0 && t < DD_TRACK__COUNT ? track_names[t] : NULL;
}

const char *dd_due_status_name(dd_due_status s)
{
    return (int)s >= 0 && s < DD_DUE__COUNT ? due_names[s] : NULL;
}

/* ---- involvement -> response ---- */

static const char *const response_names[] = {"cease_or_prevent", "cease_or_prevent_contribution",
                                             "use_leverage", "remedy", "may_cooperate_in_remedy"};

unsigned dd_involvement_response(dd_involvement v)
{
    switch (v) {
    case DD_CAUSE:
        return DD_RESP_CEASE_OR_PREVENT | DD_RESP_REMEDY;
    case DD_CONTRIBUTE:
        return DD_RESP_CEASE_OR_PREVENT_CONTRIBUTION | DD_RESP_USE_LEVERAGE | DD_RESP_REMEDY;
    case DD_DIRECTLY_LINKED:
        return DD_RESP_USE_LEVERAGE | DD_RESP_MAY_COOPERATE_IN_REMEDY;
    default:
        return 0;
    }
}

const char *dd_response_name(unsigned bit)
{
    for (unsigned i = 0; i < 5; i++) {
        if (bit == 1u << i)
            return response_names[i];
    }
    return NULL;
}

size_t dd_response_names(unsigned mask, const char *names[5])
{
    size_t n = 0;
    for (unsigned i = 0; i < 5; i++) {
        if (mask & (1u << i))
            names[n++] = response_names[i];
    }
    return n;
}
