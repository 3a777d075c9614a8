/* grv_workflow: the case state machine of the grievance mechanism.
 *
 * One table says, for each action, which actor kind takes it and from which
 * states it is possible and where it leads; grv_transition reads it. The
 * actor is checked first (a complainant asking for a staff action is
 * CORE_DENIED in any state), then the state (CORE_CONFLICT). "Open" for
 * refer means every state but closed, withdrawn and referred. Final states
 * (closed, withdrawn) leave the queues and stop clocks; a closed case may
 * still be appealed and a withdrawn one formally closed, as the header says.
 */
#include "grievance/grievance.h"

#include <string.h>

static const char *const state_names[GRV_STATE__COUNT] = {
    "received", "acknowledged", "in_assessment", "inadmissible", "in_investigation",
    "remedy_proposed", "remedy_accepted", "remedy_rejected", "remedy_implemented", "closed",
    "referred", "escalated", "withdrawn", "appealed",
};

static const char *const state_keys[GRV_STATE__COUNT] = {
    "grv.state.received.public",        "grv.state.acknowledged.public",
    "grv.state.in_assessment.public",   "grv.state.inadmissible.public",
    "grv.state.in_investigation.public", "grv.state.remedy_proposed.public",
    "grv.state.remedy_accepted.public", "grv.state.remedy_rejected.public",
    "grv.state.remedy_implemented.public", "grv.state.closed.public",
    "grv.state.referred.public",        "grv.state.escalated.public",
    "grv.state.withdrawn.public",       "grv.state.appealed.public",
};

static const char *const action_names[GRV_ACT__COUNT] = {
    "acknowledge", "assess", "declare_inadmissible", "investigate", "propose_remedy",
    "accept_remedy", "reject_remedy", "implement_remedy", "close", "refer", "escalate",
    "withdraw", "appeal", "review_appeal", "uphold",
};

#define S(x) (1u << (x))
#define ALL_STATES ((1u << GRV_STATE__COUNT) - 1u)

typedef struct rule {
    grv_actor_kind by;
    unsigned from;            /* bit set of states */
    grv_state to;
    int reason;               /* a reason is required */
} rule;

static const rule rules[GRV_ACT__COUNT] = {
    [GRV_ACT_ACKNOWLEDGE] = {GRV_BY_STAFF, S(GRV_RECEIVED), GRV_ACKNOWLEDGED, 0},
    [GRV_ACT_ASSESS] = {GRV_BY_STAFF, S(GRV_ACKNOWLEDGED), GRV_IN_ASSESSMENT, 0},
    [GRV_ACT_DECLARE_INADMISSIBLE] = {GRV_BY_STAFF, S(GRV_IN_ASSESSMENT), GRV_INADMISSIBLE, 1},
    [GRV_ACT_INVESTIGATE] = {GRV_BY_STAFF, S(GRV_IN_ASSESSMENT) | S(GRV_ESCALATED),
                             GRV_IN_INVESTIGATION, 0},
    [GRV_ACT_PROPOSE_REMEDY] = {GRV_BY_STAFF, S(GRV_IN_INVESTIGATION) | S(GRV_REMEDY_REJECTED),
                                GRV_REMEDY_PROPOSED, 0},
    [GRV_ACT_ACCEPT_REMEDY] = {GRV_BY_COMPLAINANT, S(GRV_REMEDY_PROPOSED), GRV_REMEDY_ACCEPTED, 0},
    [GRV_ACT_REJECT_REMEDY] = {GRV_BY_COMPLAINANT, S(GRV_REMEDY_PROPOSED), GRV_REMEDY_REJECTED, 0},
    [GRV_ACT_IMPLEMENT_REMEDY] = {GRV_BY_STAFF, S(GRV_REMEDY_ACCEPTED), GRV_REMEDY_IMPLEMENTED, 0},
    [GRV_ACT_CLOSE] = {GRV_BY_STAFF,
                       S(GRV_REMEDY_IMPLEMENTED) | S(GRV_INADMISSIBLE) | S(GRV_REMEDY_REJECTED) |
                           S(GRV_REFERRED) | S(GRV_WITHDRAWN),
                       GRV_CLOSED, 0},
    [GRV_ACT_REFER] = {GRV_BY_STAFF,
                       ALL_STATES & ~(S(GRV_CLOSED) | S(GRV_WITHDRAWN) | S(GRV_REFERRED)),
                       GRV_REFERRED, 1},
    [GRV_ACT_ESCALATE] = {GRV_BY_STAFF,
                          S(GRV_IN_ASSESSMENT) | S(GRV_IN_INVESTIGATION) | S(GRV_REMEDY_REJECTED),
                          GRV_ESCALATED, 1},
    [GRV_ACT_WITHDRAW] = {GRV_BY_COMPLAINANT, ALL_STATES & ~(S(GRV_CLOSED) | S(GRV_WITHDRAWN)),
                          GRV_WITHDRAWN, 0},
    [GRV_ACT_APPEAL] = {GRV_BY_COMPLAINANT,
                        S(GRV_INADMISSIBLE) | S(GRV_REMEDY_REJECTED) | S(GRV_CLOSED),
                        GRV_APPEALED, 1},
    [GRV_ACT_REVIEW_APPEAL] = {GRV_BY_STAFF, S(GRV_APPEALED), GRV_IN_ASSESSMENT, 0},
    [GRV_ACT_UPHOLD] = {GRV_BY_STAFF, S(GRV_APPEALED), GRV_CLOSED, 1},
};

const char *grv_state_name(grv_state s)
{
    return (unsigned)s < GRV_STATE__COUNT ? state_names[s] : "unknown";
}

int grv_state_parse(const char *s, grv_state *out)
{
    if (!s || !out)
        return CORE_INVALID;
    for (int i = 0; i < GRV_STATE__COUNT; i++)
        if (strcmp(s, state_names[i]) == 0) {
            *out = (grv_state)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

const char *grv_action_name(grv_action a)
{
    return (unsigned)a < GRV_ACT__COUNT ? action_names[a] : "unknown";
}

int grv_action_parse(const char *s, grv_action *out)
{
    if (!s || !out)
        return CORE_INVALID;
    for (int i = 0; i < GRV_ACT__COUNT; i++)
        if (strcmp(s, action_names[i]) == 0) {
            *out = (grv_action)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

const char *grv_state_public_key(grv_state s)
{
    return (unsigned)s < GRV_STATE__COUNT ? state_keys[s] : NULL;
}

int grv_state_is_final(grv_state s)
{
    return s == GRV_CLOSED || s == GRV_WITHDRAWN;
}

grv_actor_kind grv_action_actor(grv_action a)
{
    return (unsigned)a < GRV_ACT__COUNT ? rules[a].by : GRV_BY_SYSTEM;
}

int grv_transition(grv_state from, grv_action a, grv_actor_kind by, grv_state *to)
{
    if ((unsigned)from >= GRV_STATE__COUNT || (unsigned)a >= GRV_ACT__COUNT)
        return CORE_INVALID;
    const rule *r = &rules[a];
    if (by != r->by)
        return CORE_DENIED;
    if (!(r->from & S(from)))
        return CORE_CONFLICT;
    if (to)
        *to = r->to;
    return CORE_OK;
}

int grv_action_needs_reason(grv_action a)
{
    return (unsigned)a < GRV_ACT__COUNT ? rules[a].reason : 0;
}
