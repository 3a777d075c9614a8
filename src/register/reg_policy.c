/* reg_policy: policy commitments (UNGP 16): versioned Markdown documents,
 * drafts edited freely, approval by hr_lead or admin only (the role is
 * checked here as well as at the route: the CLI, the demo and imports come
 * through here too), how and to whom each version was communicated, the
 * operational policies that embed it, and the public view (the current
 * approved version and its history, without staff identities).
 */
#include <stdio.h>
#include <string.h>

#include "register/reg_internal.h"

static int may_approve(const reg_principal *pr)
{
    return pr && (pr->role == CORE_ROLE_HR_LEAD || pr->role == CORE_ROLE_ADMIN);
}

int reg_policy_create(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_policy *p, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = reg_valid_policy(p, "", err, NULL);
    store_dd_policy *all = NULL;
    size_t n = 0;
    if (rc == CORE_OK)
        rc = store_dd_policy_list(tx.c, a, pr->org_id, &all, &n);
    if (rc == CORE_OK) {
        int64_t top = 0;
        for (size_t i = 0; i < n; i++)
            if (all[i].version > top)
                top = all[i].version;
        p->id = 0;
        p->org_id = pr->org_id;
        p->version = top + 1;
        p->status = "draft";
        p->created_by = pr->user_id;
        p->created_at = 0;
        p->approved_by = 0;
        p->approved_at = 0;
        p->approved_role = NULL;
        if (!p->scope_rights)
            p->scope_rights = "";
        rc = store_dd_policy_create(tx.c, p);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_policy", p->id, "create",
                       core_arena_printf(a, "version=%lld", (long long)p->version));
    return reg_tx_end(&tx, rc);
}

int reg_policy_update(reg_service *svc, core_arena *a, const reg_principal *pr,
                      store_dd_policy *p, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_policy cur;
    rc = store_dd_policy_get(tx.c, a, pr->org_id, p->id, &cur);
    if (rc == CORE_OK && strcmp(cur.status, "draft") != 0) {
        reg_fail(err, "/status", "reg.err.state", "only a draft version can be edited");
        rc = CORE_CONFLICT;
    }
    if (rc == CORE_OK)
        rc = reg_valid_policy(p, "", err, NULL);
    if (rc == CORE_OK) {
        cur.title = p->title;
        cur.body_md = p->body_md;
        cur.scope_rights = p->scope_rights ? p->scope_rights : "";
        cur.own_operations = p->own_operations;
        cur.business_partners = p->business_partners;
        cur.end_use = p->end_use;
        rc = store_dd_policy_update(tx.c, &cur);
        if (rc == CORE_OK)
            *p = cur;
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_policy", p->id, "update", NULL);
    return reg_tx_end(&tx, rc);
}

int reg_policy_approve(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t policy_id,
                       reg_error *err)
{
    if (!may_approve(pr)) {
        reg_fail(err, "/role", "reg.err.role", "only hr_lead or admin approve policy versions");
        return CORE_DENIED;
    }
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_APPROVE, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_policy cur;
    rc = store_dd_policy_get(tx.c, a, pr->org_id, policy_id, &cur);
    if (rc == CORE_OK && strcmp(cur.status, "draft") != 0) {
        reg_fail(err, "/status", "reg.err.state", "only a draft version can be approved");
        rc = CORE_CONFLICT;
    }
    store_dd_policy *all = NULL;
    size_t n = 0;
    if (rc == CORE_OK)
        rc = store_dd_policy_list(tx.c, a, pr->org_id, &all, &n);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        if (all[i].id != policy_id && !strcmp(all[i].status, "approved")) {
            all[i].status = "superseded";
            rc = store_dd_policy_update(tx.c, &all[i]);
            if (rc == CORE_OK)
                rc = reg_audit(&tx, "dd_policy", all[i].id, "supersede", NULL);
        }
    }
    if (rc == CORE_OK) {
        cur.status = "approved";
        cur.approved_by = pr->user_id;
        cur.approved_at = tx.now;
        cur.approved_role = core_role_name(pr->role);
        rc = store_dd_policy_update(tx.c, &cur);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_policy", policy_id, "approve",
                       core_arena_printf(a, "version=%lld role=%s", (long long)cur.version,
                                         core_role_name(pr->role)));
    return reg_tx_end(&tx, rc);
}

int reg_policy_list(reg_service *svc, core_arena *a, const reg_principal *pr,
                    store_dd_policy **out, size_t *n)
{
    reg_tx tx;
    *out = NULL;
    *n = 0;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_policy_list(tx.c, a, pr->org_id, out, n);
    return reg_tx_end(&tx, rc);
}

int reg_policy_get(reg_service *svc, core_arena *a, const reg_principal *pr, int64_t policy_id,
                   reg_policy_view *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_dd_policy_get(tx.c, a, pr->org_id, policy_id, &out->policy);
    if (rc == CORE_OK)
        rc = store_dd_policy_comm_list(tx.c, a, pr->org_id, policy_id, &out->comms, &out->ncomms);
    if (rc == CORE_OK)
        rc = store_dd_policy_link_list(tx.c, a, pr->org_id, policy_id, &out->links, &out->nlinks);
    if (rc == CORE_OK && out->policy.approved_by > 0) {
        store_user u;
        if (store_user_get(tx.c, a, out->policy.approved_by, &u) == CORE_OK)
            out->approved_by_name = u.display_name && *u.display_name ? u.display_name : u.email;
    }
    return reg_tx_end(&tx, rc);
}

static void strip_identities(store_dd_policy *p)
{
    p->created_by = 0;
    p->approved_by = 0;
}

int reg_policy_public_get(reg_service *svc, core_arena *a, int64_t org_id, reg_policy_public *out)
{
    memset(out, 0, sizeof *out);
    reg_tx tx;
    int rc = reg_tx_open_public(svc, a, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_policy *all = NULL;
    size_t n = 0;
    rc = store_dd_policy_list(tx.c, a, org_id, &all, &n);
    rc = reg_tx_end(&tx, rc);
    if (rc != CORE_OK)
        return rc;
    out->history = core_arena_alloc(a, (n ? n : 1) * sizeof *out->history);
    if (!out->history)
        return CORE_NOMEM;
    int found = 0;
    for (size_t i = 0; i < n; i++) {
        if (!strcmp(all[i].status, "draft"))
            continue;
        strip_identities(&all[i]);
        out->history[out->nhistory++] = all[i];
        if (!found && !strcmp(all[i].status, "approved")) {
            out->current = all[i];
            found = 1;
        }
    }
    return found ? CORE_OK : CORE_NOTFOUND;
}

int reg_policy_communicate(reg_service *svc, core_arena *a, const reg_principal *pr,
                           store_dd_policy_comm *m, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_policy p;
    rc = store_dd_policy_get(tx.c, a, pr->org_id, m->policy_id, &p);
    if (rc == CORE_NOTFOUND)
        rc = reg_fail(err, "/policy_id", "reg.err.reference", "no such policy version");
    if (rc == CORE_OK)
        rc = reg_valid_comm(m, "", tx.today, err, NULL);
    if (rc == CORE_OK) {
        m->id = 0;
        m->org_id = pr->org_id;
        m->created_at = 0;
        rc = store_dd_policy_comm_add(tx.c, m);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_policy", m->policy_id, "communicate",
                       core_arena_printf(a, "comm=%lld channel=%s audience=%s", (long long)m->id,
                                         m->channel, m->audience));
    return reg_tx_end(&tx, rc);
}

int reg_policy_link_add(reg_service *svc, core_arena *a, const reg_principal *pr,
                        store_dd_policy_link *l, reg_error *err)
{
    reg_tx tx;
    int rc = reg_tx_open(svc, a, pr, CORE_PERM_DD_EDIT, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_dd_policy p;
    rc = store_dd_policy_get(tx.c, a, pr->org_id, l->policy_id, &p);
    if (rc == CORE_NOTFOUND)
        rc = reg_fail(err, "/policy_id", "reg.err.reference", "no such policy version");
    if (rc == CORE_OK)
        rc = reg_valid_link(l, "", err, NULL);
    if (rc == CORE_OK) {
        l->id = 0;
        l->org_id = pr->org_id;
        if (l->function && !*l->function)
            l->function = NULL;
        if (l->url && !*l->url)
            l->url = NULL;
        rc = store_dd_policy_link_add(tx.c, l);
    }
    if (rc == CORE_OK)
        rc = reg_audit(&tx, "dd_policy", l->policy_id, "link_policy",
                       core_arena_printf(a, "link=%lld", (long long)l->id));
    return reg_tx_end(&tx, rc);
}
