/* core_status: status code messages, role and permission names, and the
 * authorization policy.
 *
 * The policy is one static table indexed [role][perm]. Every route names
 * exactly one permission and every principal carries exactly one role, so
 * "who may do what" is answered here and nowhere else. Anything out of range
 * is denied.
 */
#include "core/core.h"

#include <string.h>

const char *core_strerror(int status)
{
    switch (status) {
    case CORE_OK: return "ok";
    case CORE_ERR: return "unexpected failure";
    case CORE_NOTFOUND: return "not found";
    case CORE_CONFLICT: return "conflict";
    case CORE_INVALID: return "invalid input";
    case CORE_DENIED: return "not allowed";
    case CORE_NOMEM: return "out of memory";
    case CORE_BUSY: return "busy, try again";
    case CORE_SCHEMA_NEWER: return "database schema is newer than this binary";
    case CORE_CORRUPT: return "integrity check failed";
    default: return "unknown status";
    }
}

static const char *const role_names[CORE_ROLE__COUNT] = {
    [CORE_ROLE_NONE] = "none",
    [CORE_ROLE_ADMIN] = "admin",
    [CORE_ROLE_HR_LEAD] = "hr_lead",
    [CORE_ROLE_CASE_HANDLER] = "case_handler",
    [CORE_ROLE_ANALYST] = "analyst",
    [CORE_ROLE_AUDITOR] = "auditor",
};

static const char *const perm_names[CORE_PERM__COUNT] = {
    [CORE_PERM_PUBLIC] = "public",
    [CORE_PERM_SIGNED_IN] = "signed_in",
    [CORE_PERM_ORG_READ] = "org_read",
    [CORE_PERM_USERS_MANAGE] = "users_manage",
    [CORE_PERM_ORG_MANAGE] = "org_manage",
    [CORE_PERM_AUDIT_READ] = "audit_read",
    [CORE_PERM_TOKENS_MANAGE] = "tokens_manage",
    [CORE_PERM_METRICS] = "metrics",
    [CORE_PERM_CASES_READ] = "cases_read",
    [CORE_PERM_CASES_HANDLE] = "cases_handle",
    [CORE_PERM_STATS_READ] = "stats_read",
    [CORE_PERM_MECHANISMS_MANAGE] = "mechanisms_manage",
    [CORE_PERM_DD_READ] = "dd_read",
    [CORE_PERM_DD_EDIT] = "dd_edit",
    [CORE_PERM_DD_APPROVE] = "dd_approve",
    [CORE_PERM_TR_READ] = "tr_read",
    [CORE_PERM_TR_MANAGE] = "tr_manage",
    [CORE_PERM_ASSESS_READ] = "assess_read",
    [CORE_PERM_ASSESS_EDIT] = "assess_edit",
    [CORE_PERM_ASSESS_PUBLISH] = "assess_publish",
};

const char *core_role_name(core_role r)
{
    if ((int)r < 0 || r >= CORE_ROLE__COUNT)
        return "none";
    return role_names[r];
}

/* Only real roles parse: "none" is what an absent membership is called, it
 * is never something one can be given. */
int core_role_parse(const char *s, core_role *out)
{
    if (!s)
        return CORE_INVALID;
    for (int r = CORE_ROLE_NONE + 1; r < CORE_ROLE__COUNT; r++) {
        if (strcmp(s, role_names[r]) == 0) {
            if (out)
                *out = (core_role)r;
            return CORE_OK;
        }
    }
    return CORE_INVALID;
}

const char *core_perm_name(core_perm p)
{
    if ((int)p < 0 || p >= CORE_PERM__COUNT)
        return "unknown";
    return perm_names[p];
}

/* 1 = allowed. Rows are roles, columns are permissions, in enum order:
 *                 PUBLIC SIGNED ORG_RD USERS ORG_MG AUDIT TOKENS METRICS
 *                 CASES_RD CASES_HANDLE STATS_RD MECHANISMS
 *                 DD_RD DD_EDIT DD_APPROVE TR_RD TR_MG AS_RD AS_EDIT AS_PUB */
static const unsigned char policy[CORE_ROLE__COUNT][CORE_PERM__COUNT] = {
    [CORE_ROLE_NONE]         = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0},
    [CORE_ROLE_ADMIN]        = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1},
    [CORE_ROLE_HR_LEAD]      = {1, 1, 1, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 0, 1, 1, 1},
    [CORE_ROLE_CASE_HANDLER] = {1, 1, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 0, 0},
    [CORE_ROLE_ANALYST]      = {1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 1, 0, 1, 1, 1, 1, 0},
    [CORE_ROLE_AUDITOR]      = {1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0},
};

int core_authz_allows(core_role role, core_perm perm)
{
    if ((int)role < 0 || role >= CORE_ROLE__COUNT)
        return 0;
    if ((int)perm < 0 || perm >= CORE_PERM__COUNT)
        return 0;
    return policy[role][perm] ? 1 : 0;
}
