/* rmd_case: the staff side of a case: the queue, the full case view, and
 * every step a handler takes (workflow actions, assignment, recusal,
 * internal notes, messages and questions to the complainant, triage, clock
 * extensions, files).
 *
 * Reading needs CORE_PERM_CASES_READ, changing CORE_PERM_CASES_HANDLE; a
 * case of another organisation is CORE_NOTFOUND (every query is scoped by
 * actor->org_id) and a handler who recused themselves gets CORE_DENIED.
 * Each change is one transaction with its event and audit entry.
 */
#include <string.h>

#include "remedy/rmd_internal.h"

void rmd_filter_init(rmd_filter *f)
{
    memset(f, 0, sizeof *f);
    f->state = -1;
    f->category = -1;
    f->limit = 200;
}

int rmd_case_list(rmd_service *svc, core_arena *a, const rmd_actor *actor, const rmd_filter *f,
                  rmd_case_summary **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    rmd_filter def;
    if (!f) {
        rmd_filter_init(&def);
        f = &def;
    }
    if (f->due_within_days < 0 || f->limit < 0 || f->offset < 0 || f->limit > 1000)
        return CORE_INVALID;
    if ((f->state >= 0 && f->state >= GRV_STATE__COUNT) ||
        (f->category >= 0 && f->category >= GRV_CAT__COUNT))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance_filter sf;
    memset(&sf, 0, sizeof sf);
    sf.state = f->state >= 0 ? grv_state_name((grv_state)f->state) : NULL;
    sf.open_only = f->open_only;
    sf.category = f->category >= 0 ? grv_category_name((grv_category)f->category) : NULL;
    sf.channel = f->channel;
    sf.assigned_user_id = f->mine ? (actor->user_id > 0 ? actor->user_id : -1) : f->assigned_to;
    sf.unassigned = f->unassigned;
    sf.collective_id = f->collective_id;
    if (f->overdue)
        sf.due_before = tx.now;
    if (f->due_within_days > 0)
        sf.due_before = tx.now + (int64_t)f->due_within_days * RMD_DAY;
    sf.hide_recused = actor->user_id;  /* a recused handler does not see the case */
    sf.limit = f->limit;
    sf.offset = f->offset;
    store_grievance *rows = NULL;
    size_t nrows = 0;
    rc = store_grievance_list(tx.c, a, actor->org_id, &sf, &rows, &nrows);
    rmd_case_summary *s = NULL;
    if (rc == CORE_OK && nrows) {
        s = core_arena_alloc(a, nrows * sizeof *s);
        if (!s)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < nrows; i++)
        rmd_summary_from_row(&rows[i], tx.now, tx.policy.due_soon_days, &s[i]);
    rc = rmd_tx_end(&tx, rc, 0);
    if (rc == CORE_OK) {
        *out = s;
        *n = nrows;
    }
    return rc;
}

static int open_field(rmd_tx *tx, const char *field, const char *b64, const char **out)
{
    char *p = NULL;
    int rc = rmd_unseal(tx->key, tx->g.reference, field, b64, tx->a, &p, NULL);
    *out = p;
    return rc;
}

int rmd_case_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                 rmd_case *out)
{
    memset(out, 0, sizeof *out);
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_READ, case_id, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance *g = &tx.g;
    rc = rmd_tx_clocks(&tx);
    if (rc == CORE_OK) {
        /* the nearest running clock, as in the queue */
        for (size_t i = 0; i < tx.nclocks; i++) {
            if (tx.clocks[i].stopped_at)
                continue;
            if (!g->next_due_at || tx.clocks[i].due_at < g->next_due_at) {
                g->next_due_at = tx.clocks[i].due_at;
                g->next_due_clock = tx.clocks[i].kind;
            }
        }
        rmd_summary_from_row(g, tx.now, tx.policy.due_soon_days, &out->s);
        rmd_clock_views(tx.clocks, tx.nclocks, tx.now, tx.policy.due_soon_days, out->clocks,
                        &out->nclocks);
    }
    out->language = g->language;
    out->incident_date = g->incident_date;
    out->decision_date = g->decision_date;
    out->affected = g->affected;
    out->affected_count = g->affected_count;
    out->triage = (grv_triage){g->scale, g->scope, g->irremediable, g->urgent, g->vulnerable};
    out->previous_handler_id = g->previous_handler_id;
    out->acknowledged_at = g->acknowledged_at;
    out->closed_at = g->closed_at;
    out->satisfaction = g->satisfaction;
    if (rc == CORE_OK)
        rc = open_field(&tx, "narrative", g->enc_narrative, &out->narrative);
    if (rc == CORE_OK)
        rc = open_field(&tx, "product_text", g->enc_product_text, &out->product_text);
    if (rc == CORE_OK)
        rc = open_field(&tx, "rights_text", g->enc_rights_text, &out->rights_text);
    if (rc == CORE_OK)
        rc = open_field(&tx, "vulnerable_group", g->enc_vulnerable_group, &out->vulnerable_group);
    if (rc == CORE_OK)
        rc = open_field(&tx, "outcome_sought", g->enc_outcome_sought, &out->outcome_sought);
    if (rc == CORE_OK)
        rc = open_field(&tx, "contact_name", g->enc_contact_name, &out->contact_name);
    if (rc == CORE_OK)
        rc = open_field(&tx, "contact_email", g->enc_contact_email, &out->contact_email);
    if (rc == CORE_OK)
        rc = open_field(&tx, "contact_phone", g->enc_contact_phone, &out->contact_phone);
    if (rc == CORE_OK)
        rc = open_field(&tx, "partner", g->enc_partner, &out->partner);
    if (rc == CORE_OK)
        rc = open_field(&tx, "rating_comment", g->enc_rating_comment, &out->rating_comment);
    if (rc == CORE_OK && g->product_id > 0) {
        store_product p;
        int prc = store_product_get(tx.c, a, g->org_id, g->product_id, &p);
        if (prc == CORE_OK) {
            out->product_slug = p.slug;
            out->product_name = p.name;
        } else if (prc != CORE_NOTFOUND) {
            rc = prc;
        }
    }
    if (rc == CORE_OK) {
        store_grievance_event *ev = NULL;
        size_t n = 0;
        rc = store_grievance_event_list(tx.c, a, g->org_id, g->id, 0, &ev, &n);
        if (rc == CORE_OK)
            rc = rmd_events_view(tx.key, g, ev, n, 0, a, &out->events, &out->nevents);
    }
    if (rc == CORE_OK) {
        store_grievance_remedy *r = NULL;
        size_t n = 0;
        rc = store_grievance_remedy_list(tx.c, a, g->org_id, g->id, &r, &n);
        if (rc == CORE_OK)
            rc = rmd_remedies_view(tx.key, g, r, n, a, &out->remedies);
        out->nremedies = rc == CORE_OK ? n : 0;
    }
    if (rc == CORE_OK) {
        store_grievance_attachment *t = NULL;
        size_t n = 0;
        rc = store_grievance_attachment_list(tx.c, a, g->org_id, g->id, 0, &t, &n);
        if (rc == CORE_OK)
            rc = rmd_attachments_view(tx.key, g, t, n, a, &out->attachments);
        out->nattachments = rc == CORE_OK ? n : 0;
    }
    if (rc == CORE_OK)
        rc = store_grievance_recusal_list(tx.c, a, g->org_id, g->id, &out->recused, &out->nrecused);
    return rmd_tx_end(&tx, rc, 0);
}

int rmd_case_find(rmd_service *svc, core_arena *a, const rmd_actor *actor, const char *reference,
                  int64_t *case_id)
{
    rmd_tx tx;
    int rc = rmd_tx_open(svc, a, actor, CORE_PERM_CASES_READ, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance g;
    rc = store_grievance_get_by_reference(tx.c, a, actor->org_id, reference, &g);
    if (rc == CORE_OK)
        *case_id = g.id;
    return rmd_tx_end(&tx, rc, 0);
}

int rmd_case_act(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                 grv_action action, const char *reason, const char *public_text)
{
    if ((unsigned)action >= GRV_ACT__COUNT)
        return CORE_INVALID;
    if (action == GRV_ACT_PROPOSE_REMEDY || action == GRV_ACT_IMPLEMENT_REMEDY)
        return CORE_INVALID;           /* rmd_remedy_propose / rmd_remedy_implement */
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_tx_apply(&tx, action, GRV_BY_STAFF, reason, public_text);
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_assign(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    int64_t user_id)
{
    if (user_id < 0)
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    if (user_id > 0) {
        store_member m;
        rc = store_member_get(tx.c, a, actor->org_id, user_id, &m);
        if (rc == CORE_NOTFOUND ||
            (rc == CORE_OK && (!core_authz_allows(m.role, CORE_PERM_CASES_HANDLE) || m.user.disabled)))
            rc = CORE_INVALID;
        int barred = 0;
        if (rc == CORE_OK)
            rc = store_grievance_recused(tx.c, actor->org_id, case_id, user_id, &barred);
        if (rc == CORE_OK && barred)
            rc = CORE_DENIED;
        if (rc == CORE_OK && strcmp(tx.g.state, grv_state_name(GRV_APPEALED)) == 0 &&
            user_id == tx.g.previous_handler_id)
            rc = CORE_DENIED;
    }
    if (rc == CORE_OK) {
        tx.g.assigned_user_id = user_id;
        char who[32];
        snprintf(who, sizeof who, "user:%lld", (long long)user_id);
        rc = rmd_tx_event(&tx, "assign", -1, -1, -1, GRV_BY_STAFF, 1, user_id ? who : NULL, NULL,
                          0, NULL);
    }
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, user_id ? "assign" : "unassign");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_recuse(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const char *reason)
{
    if (!actor || actor->user_id <= 0 || !reason || !*reason || !rmd_text_ok(reason, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_READ, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    char *enc = NULL;
    rc = rmd_seal_text(tx.key, tx.g.reference, "recusal", reason, a, &enc);
    if (rc == CORE_OK)
        rc = store_grievance_recusal_add(tx.c, actor->org_id, case_id, actor->user_id, tx.now, enc);
    if (rc == CORE_OK && tx.g.assigned_user_id == actor->user_id)
        tx.g.assigned_user_id = 0;
    if (rc == CORE_OK)
        rc = rmd_tx_event(&tx, "recuse", -1, -1, -1, GRV_BY_STAFF, 1, reason, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "recuse");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_note(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                  const char *text)
{
    if (!rmd_text_ok(text, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_tx_event(&tx, "note", -1, -1, -1, GRV_BY_STAFF, 1, text, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "note");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_message(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                     const char *text, int ask)
{
    if (!rmd_text_ok(text, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(tx.g.state, &st);
    if (grv_state_is_final(st))
        return rmd_tx_end(&tx, CORE_CONFLICT, 0);
    if (ask)
        rc = rmd_tx_pause(&tx);
    if (rc == CORE_OK)
        rc = rmd_tx_event(&tx, ask ? "question" : "message", -1, -1, -1, GRV_BY_STAFF, 0, text,
                          NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, ask ? "ask" : "message");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_triage(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const grv_triage *t)
{
    if (!t || !grv_triage_valid(t) || !t->scale || !t->scope || !t->irremediable)
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    tx.g.scale = t->scale;
    tx.g.scope = t->scope;
    tx.g.irremediable = t->irremediable;
    tx.g.urgent = t->urgent ? 1 : 0;
    tx.g.vulnerable = t->vulnerable ? 1 : 0;
    tx.g.severity = grv_severity(t);
    tx.g.priority = grv_priority(t);
    char body[96];
    snprintf(body, sizeof body, "scale %d, scope %d, irremediable %d%s%s", t->scale, t->scope,
             t->irremediable, t->urgent ? ", urgent" : "", t->vulnerable ? ", vulnerable group" : "");
    rc = rmd_tx_event(&tx, "triage", -1, -1, -1, GRV_BY_STAFF, 1, body, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "triage");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_extend(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    grv_clock_kind kind, int days, const char *notice)
{
    if ((unsigned)kind >= GRV_CLOCK__COUNT || days <= 0 || !rmd_text_ok(notice, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_tx_clocks(&tx);
    grv_clock k;
    int found = 0;
    for (size_t i = 0; rc == CORE_OK && i < tx.nclocks; i++) {
        if (strcmp(tx.clocks[i].kind, grv_clock_name(kind)) == 0) {
            rmd_clock_from_row(&tx.clocks[i], &k);
            found = 1;
        }
    }
    if (rc == CORE_OK && !found)
        rc = CORE_CONFLICT;
    int max = grv_clock_max_extension_days(kind, &tx.policy);
    if (rc == CORE_OK && max <= 0)
        rc = CORE_INVALID;
    if (rc == CORE_OK)
        rc = grv_clock_extend(&k, days, max);
    if (rc == CORE_OK)
        rc = rmd_tx_clock_save(&tx, &k);
    if (rc == CORE_OK)
        rc = rmd_tx_event(&tx, "extend", -1, -1, -1, GRV_BY_STAFF, 0, notice, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "extend");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_attach(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                    const char *filename, const void *data, size_t len, rmd_visibility vis,
                    int64_t *attachment_id)
{
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_tx_attach(&tx, filename, data, len, GRV_BY_STAFF, vis == RMD_VIS_INTERNAL,
                       attachment_id, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "attach");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_case_attachment_get(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                            int64_t case_id, int64_t attachment_id, rmd_attachment *out)
{
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_READ, case_id, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance_attachment t;
    rc = store_grievance_attachment_get(tx.c, a, tx.g.org_id, tx.g.id, attachment_id, &t);
    rmd_attachment *v = NULL;
    if (rc == CORE_OK)
        rc = rmd_attachments_view(tx.key, &tx.g, &t, 1, a, &v);
    if (rc == CORE_OK)
        *out = v[0];
    return rmd_tx_end(&tx, rc, 0);
}
