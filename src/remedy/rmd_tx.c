/* rmd_tx: one case under change, the way every service call touches it.
 *
 * A call opens an rmd_tx (connection, transaction when it writes, the case
 * row of the actor's org or of the receipt, the unwrapped case key and the
 * org's policy), changes the case through the helpers below (events,
 * clocks, workflow steps, attachments), and ends it with rmd_tx_end, which
 * writes the case row (optimistically: CORE_CONFLICT if someone changed it
 * meanwhile) and commits, or rolls everything back. The case key is wiped
 * at the end.
 */
#include <string.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

static const char *actor_label(core_arena *a, const rmd_actor *actor)
{
    if (actor->label)
        return actor->label;
    if (actor->user_id > 0)
        return core_arena_printf(a, "user:%lld", (long long)actor->user_id);
    return "system";
}

static void tx_abort(rmd_tx *tx)
{
    if (tx->c) {
        if (tx->in_tx)
            store_rollback(tx->c);
        store_release(tx->svc->st, tx->c);
    }
    tx->c = NULL;
    tx->in_tx = 0;
    sodium_memzero(tx->key, sizeof tx->key);
}

static int tx_connect(rmd_tx *tx, int write)
{
    int rc = store_acquire(tx->svc->st, &tx->c);
    if (rc != CORE_OK) {
        tx->c = NULL;
        return rc;
    }
    if (write) {
        rc = store_begin(tx->c);
        if (rc != CORE_OK) {
            tx_abort(tx);
            return rc;
        }
        tx->in_tx = 1;
    }
    return CORE_OK;
}

int rmd_tx_open(rmd_service *svc, core_arena *a, const rmd_actor *actor, core_perm perm,
                int write, rmd_tx *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->svc = svc;
    tx->a = a;
    tx->actor = actor;
    tx->now = rmd_now(svc);
    if (!rmd_may(actor, perm))
        return CORE_DENIED;
    tx->audit_actor = actor_label(a, actor);
    if (!tx->audit_actor)
        return CORE_NOMEM;
    int rc = tx_connect(tx, write);
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, tx->c, actor->org_id, &tx->policy, NULL);
    if (rc != CORE_OK)
        tx_abort(tx);
    return rc;
}

static int is_final_name(const char *name)
{
    grv_state st = GRV_RECEIVED;
    return name && grv_state_parse(name, &st) == CORE_OK && grv_state_is_final(st);
}

int rmd_tx_staff(rmd_service *svc, core_arena *a, const rmd_actor *actor, core_perm perm,
                 int64_t case_id, int write, rmd_tx *tx)
{
    int rc = rmd_tx_open(svc, a, actor, perm, write, tx);
    if (rc != CORE_OK)
        return rc;
    rc = store_grievance_get(tx->c, a, actor->org_id, case_id, &tx->g);
    if (rc == CORE_OK && write && is_final_name(tx->g.state)) {
        /* an erased case (rmd_erase.c) takes no new content or step */
        int64_t erased = 0;
        rc = store_grievance_erased(tx->c, actor->org_id, case_id, &erased);
        if (rc == CORE_OK && erased)
            rc = CORE_CONFLICT;
    }
    if (rc == CORE_OK && actor->user_id > 0) {
        int barred = 0;
        rc = store_grievance_recused(tx->c, actor->org_id, case_id, actor->user_id, &barred);
        if (rc == CORE_OK && barred)
            rc = CORE_DENIED;
    }
    if (rc == CORE_OK)
        rc = rmd_case_key(svc, &tx->g, tx->key);
    if (rc != CORE_OK)
        tx_abort(tx);
    return rc;
}

int rmd_receipt_miss(rmd_service *svc, rmd_peer *peer, int64_t now)
{
    int64_t retry = 0;
    int rc = rmd_throttle_fail(svc->thr, peer ? peer->addr : NULL, now, &retry);
    if (peer)
        peer->retry_after_s = rc == CORE_BUSY ? retry : 0;
    return rc;
}

int rmd_tx_receipt(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                   int write, rmd_tx *tx)
{
    memset(tx, 0, sizeof *tx);
    tx->svc = svc;
    tx->a = a;
    tx->now = rmd_now(svc);
    tx->audit_actor = "public";
    char h[CRY_HASH_HEX_LEN + 1];
    int valid = rmd_receipt_hash(svc, receipt, h) == CORE_OK;
    int rc = tx_connect(tx, write);
    if (rc != CORE_OK)
        return rc;
    /* A malformed code is looked up too (under a hash no receipt has), so
     * every wrong code costs the same. */
    rc = store_grievance_get_by_receipt(tx->c, a, h, &tx->g);
    if (rc == CORE_OK && !valid)
        rc = CORE_NOTFOUND;
    if (rc == CORE_NOTFOUND) {
        tx_abort(tx);
        return rmd_receipt_miss(svc, peer, tx->now);
    }
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, tx->c, tx->g.org_id, &tx->policy, NULL);
    if (rc == CORE_OK && write && is_final_name(tx->g.state)) {
        /* an erased case (rmd_erase.c) takes no further complainant action */
        int64_t erased = 0;
        rc = store_grievance_erased(tx->c, tx->g.org_id, tx->g.id, &erased);
        if (rc == CORE_OK && erased)
            rc = CORE_CONFLICT;
    }
    if (rc == CORE_OK)
        rc = rmd_case_key(svc, &tx->g, tx->key);
    if (rc != CORE_OK)
        tx_abort(tx);
    return rc;
}

int rmd_tx_end(rmd_tx *tx, int rc, int dirty)
{
    if (!tx->c)
        return rc;
    if (rc == CORE_OK && dirty) {
        tx->g.updated_at = tx->now;
        rc = store_grievance_update(tx->c, &tx->g);
    }
    if (tx->in_tx) {
        if (rc == CORE_OK)
            rc = store_commit(tx->c);
        else
            store_rollback(tx->c);
        tx->in_tx = 0;
    }
    store_release(tx->svc->st, tx->c);
    tx->c = NULL;
    sodium_memzero(tx->key, sizeof tx->key);
    return rc;
}

/* ---- clocks ---- */

static int clock_kind_parse(const char *name, grv_clock_kind *k)
{
    for (int i = 0; i < GRV_CLOCK__COUNT; i++) {
        if (name && strcmp(name, grv_clock_name((grv_clock_kind)i)) == 0) {
            *k = (grv_clock_kind)i;
            return CORE_OK;
        }
    }
    return CORE_INVALID;
}

void rmd_clock_from_row(const store_grievance_clock *r, grv_clock *k)
{
    memset(k, 0, sizeof *k);
    grv_clock_kind kind = GRV_CLOCK_ACK;
    clock_kind_parse(r->kind, &kind);
    k->kind = kind;
    k->started_at = r->started_at;
    k->due_at = r->due_at;
    k->paused_since = r->paused_since;
    k->paused_total = r->paused_total;
    k->extended_by = r->extended_by;
    k->stopped_at = r->stopped_at;
}

int rmd_tx_clocks(rmd_tx *tx)
{
    if (tx->clocks)
        return CORE_OK;
    return store_grievance_clock_list(tx->c, tx->a, tx->g.org_id, tx->g.id, &tx->clocks,
                                      &tx->nclocks);
}

int rmd_tx_clock_save(rmd_tx *tx, const grv_clock *k)
{
    store_grievance_clock r = {tx->g.id, grv_clock_name(k->kind), k->started_at, k->due_at,
                               k->paused_since, k->paused_total, k->extended_by, k->stopped_at};
    int rc = store_grievance_clock_put(tx->c, tx->g.org_id, &r);
    if (rc != CORE_OK)
        return rc;
    /* Keep the loaded copy in step. */
    for (size_t i = 0; i < tx->nclocks; i++) {
        if (strcmp(tx->clocks[i].kind, r.kind) == 0) {
            tx->clocks[i] = r;
            tx->clocks[i].kind = grv_clock_name(k->kind);
            return CORE_OK;
        }
    }
    store_grievance_clock *g = core_arena_alloc(tx->a, (tx->nclocks + 1) * sizeof *g);
    if (!g)
        return CORE_NOMEM;
    if (tx->nclocks)
        memcpy(g, tx->clocks, tx->nclocks * sizeof *g);
    g[tx->nclocks++] = r;
    tx->clocks = g;
    return CORE_OK;
}

int rmd_tx_pause(rmd_tx *tx)
{
    int rc = rmd_tx_clocks(tx);
    for (size_t i = 0; rc == CORE_OK && i < tx->nclocks; i++) {
        grv_clock k;
        rmd_clock_from_row(&tx->clocks[i], &k);
        if (k.stopped_at || k.paused_since)
            continue;
        grv_clock_pause(&k, tx->now);
        rc = rmd_tx_clock_save(tx, &k);
    }
    if (rc == CORE_OK)
        tx->g.waiting_on_complainant = 1;
    return rc;
}

int rmd_tx_resume(rmd_tx *tx)
{
    int rc = rmd_tx_clocks(tx);
    for (size_t i = 0; rc == CORE_OK && i < tx->nclocks; i++) {
        grv_clock k;
        rmd_clock_from_row(&tx->clocks[i], &k);
        if (!k.paused_since || k.stopped_at)
            continue;
        grv_clock_resume(&k, tx->now);
        rc = rmd_tx_clock_save(tx, &k);
    }
    if (rc == CORE_OK)
        tx->g.waiting_on_complainant = 0;
    return rc;
}

/* ---- events and audit ---- */

static const char *actor_kind_name(grv_actor_kind by)
{
    return by == GRV_BY_STAFF ? "staff" : by == GRV_BY_COMPLAINANT ? "complainant" : "system";
}

int rmd_tx_event(rmd_tx *tx, const char *kind, int action, int from, int to, grv_actor_kind by,
                 int internal, const char *text, const char *public_key, int64_t attachment_id,
                 int64_t *event_id)
{
    store_grievance_event e;
    memset(&e, 0, sizeof e);
    e.case_id = tx->g.id;
    e.org_id = tx->g.org_id;
    e.at = tx->now;
    e.kind = kind;
    e.action = action >= 0 ? grv_action_name((grv_action)action) : NULL;
    e.from_state = from >= 0 ? grv_state_name((grv_state)from) : NULL;
    e.to_state = to >= 0 ? grv_state_name((grv_state)to) : NULL;
    e.actor_kind = actor_kind_name(by);
    e.actor_user_id = (by == GRV_BY_STAFF && tx->actor) ? tx->actor->user_id : 0;
    e.internal = internal;
    e.public_key = public_key;
    e.attachment_id = attachment_id;
    char *body = NULL;
    char field[48];
    snprintf(field, sizeof field, "event:%s", kind);
    int rc = rmd_seal_text(tx->key, tx->g.reference, field, text, tx->a, &body);
    if (rc != CORE_OK)
        return rc;
    e.enc_body = body;
    rc = store_grievance_event_add(tx->c, &e);
    if (rc == CORE_OK && event_id)
        *event_id = e.id;
    return rc;
}

int rmd_tx_audit(rmd_tx *tx, const char *action)
{
    return rmd_audit(tx->c, tx->a, tx->g.org_id, tx->audit_actor,
                     tx->actor ? tx->actor->user_id : 0, tx->now, tx->g.id, action, tx->g.state);
}

int rmd_text_ok(const char *s, int required)
{
    if (!s || !*s)
        return !required;
    size_t n = strlen(s);
    return n <= RMD_MAX_TEXT && core_utf8_valid(s, n);
}

/* ---- workflow step ---- */

/* Reasons the complainant reads with the step when no public text is given. */
static int reason_is_public(grv_action a)
{
    return a == GRV_ACT_DECLARE_INADMISSIBLE || a == GRV_ACT_UPHOLD;
}

int rmd_tx_apply(rmd_tx *tx, grv_action action, grv_actor_kind by, const char *reason,
                 const char *public_text)
{
    grv_state from, to;
    if (grv_state_parse(tx->g.state, &from) != CORE_OK)
        return CORE_CORRUPT;
    if (!rmd_text_ok(reason, 0) || !rmd_text_ok(public_text, 0))
        return CORE_INVALID;
    int rc = grv_transition(from, action, by, &to);
    if (rc != CORE_OK)
        return rc;
    if (grv_action_needs_reason(action) && (!reason || !*reason))
        return CORE_INVALID;
    int64_t uid = (by == GRV_BY_STAFF && tx->actor) ? tx->actor->user_id : 0;
    if ((action == GRV_ACT_REVIEW_APPEAL || action == GRV_ACT_UPHOLD) && uid > 0 &&
        uid == tx->g.previous_handler_id)
        return CORE_DENIED;            /* an appeal is reviewed by someone else */

    /* clocks: stop what this step answers, start what it opens */
    rc = rmd_tx_clocks(tx);
    for (size_t i = 0; rc == CORE_OK && i < tx->nclocks; i++) {
        grv_clock k;
        rmd_clock_from_row(&tx->clocks[i], &k);
        if (k.stopped_at)
            continue;
        if (grv_clock_stops_on(k.kind, action) || grv_state_is_final(to)) {
            grv_clock_stop(&k, tx->now);
            rc = rmd_tx_clock_save(tx, &k);
        }
    }
    for (int kk = 0; rc == CORE_OK && kk < GRV_CLOCK__COUNT; kk++) {
        grv_clock_kind kind = (grv_clock_kind)kk;
        int start = grv_clock_starts_on(kind, action) ||
                    (action == GRV_ACT_REVIEW_APPEAL && kind == GRV_CLOCK_FEEDBACK);
        if (!start)
            continue;
        grv_clock k;
        grv_clock_start(&k, kind, tx->now, grv_clock_limit_days(kind, &tx->policy));
        rc = rmd_tx_clock_save(tx, &k);
    }
    if (rc != CORE_OK)
        return rc;

    /* handlers, times, waiting */
    if (uid > 0)
        tx->g.last_handler_id = uid;
    if (action == GRV_ACT_APPEAL) {
        tx->g.previous_handler_id = tx->g.assigned_user_id ? tx->g.assigned_user_id
                                                           : tx->g.last_handler_id;
        /* the handler who took the last decision may not review it either:
         * when that is not the assigned handler kept above, a recusal bars them */
        if (tx->g.last_handler_id > 0 && tx->g.last_handler_id != tx->g.previous_handler_id) {
            char *enc = NULL;
            rc = rmd_seal_text(tx->key, tx->g.reference, "recusal", "decided the case under appeal",
                               tx->a, &enc);
            if (rc == CORE_OK)
                rc = store_grievance_recusal_add(tx->c, tx->g.org_id, tx->g.id, tx->g.last_handler_id,
                                                 tx->now, enc);
            if (rc == CORE_CONFLICT)
                rc = CORE_OK;          /* already recused */
            if (rc != CORE_OK)
                return rc;
        }
        tx->g.assigned_user_id = 0;
        tx->g.closed_at = 0;
    }
    if (action == GRV_ACT_REVIEW_APPEAL && uid > 0)
        tx->g.assigned_user_id = uid;
    if (action == GRV_ACT_ACKNOWLEDGE)
        tx->g.acknowledged_at = tx->now;
    if (grv_state_is_final(to)) {
        tx->g.closed_at = tx->now;
        tx->g.waiting_on_complainant = 0;
    }
    tx->g.state = grv_state_name(to);

    /* what the complainant reads, and the internal record of the reason */
    const char *body = public_text;
    if (!body && (by == GRV_BY_COMPLAINANT || reason_is_public(action)))
        body = reason;
    rc = rmd_tx_event(tx, "transition", (int)action, (int)from, (int)to, by, 0, body,
                      grv_state_public_key(to), 0, NULL);
    if (rc == CORE_OK && by == GRV_BY_STAFF && reason && *reason && body != reason)
        rc = rmd_tx_event(tx, "reason", (int)action, -1, -1, by, 1, reason, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(tx, grv_action_name(action));
    return rc;
}

/* ---- attachments ---- */

static const char *base_name(const char *f)
{
    if (!f)
        return NULL;
    const char *b = f;
    for (const char *p = f; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return *b ? b : NULL;
}

int rmd_tx_attach(rmd_tx *tx, const char *filename, const void *data, size_t len,
                  grv_actor_kind by, int internal, int64_t *attachment_id, const char **field_err)
{
    const rmd_options *o = &tx->svc->opt;
    if (field_err)
        *field_err = "grv.err.file_type";
    if (!data || len == 0)
        return CORE_INVALID;
    if (len > o->max_attachment_bytes) {
        if (field_err)
            *field_err = "grv.err.file_too_big";
        return CORE_INVALID;
    }
    const char *mime = grv_sniff_type(data, len);
    if (!mime)
        return CORE_INVALID;
    const char *name = base_name(filename);
    if (name && (strlen(name) > 255 || !core_utf8_valid(name, strlen(name)))) {
        if (field_err)
            *field_err = "grv.err.file_name";
        return CORE_INVALID;
    }
    int64_t count = 0;
    int rc = store_grievance_attachment_count(tx->c, tx->g.org_id, tx->g.id, &count);
    if (rc != CORE_OK)
        return rc;
    if (count >= o->max_attachments_per_case) {
        if (field_err)
            *field_err = "grv.err.too_many_files";
        return CORE_INVALID;
    }
    if (field_err)
        *field_err = NULL;
    store_grievance_attachment t;
    memset(&t, 0, sizeof t);
    t.case_id = tx->g.id;
    t.org_id = tx->g.org_id;
    t.mime = mime;
    t.size = (int64_t)len;
    t.uploaded_by = by == GRV_BY_COMPLAINANT ? "complainant" : "staff";
    t.internal = internal;
    t.created_at = tx->now;
    char *enc = NULL, *enc_name = NULL;
    rc = rmd_seal(tx->key, tx->g.reference, "attachment", data, len, tx->a, &enc);
    if (rc == CORE_OK)
        rc = rmd_seal_text(tx->key, tx->g.reference, "attachment_name", name, tx->a, &enc_name);
    t.enc_data = enc;
    t.enc_name = enc_name;
    if (rc == CORE_OK)
        rc = store_grievance_attachment_add(tx->c, &t);
    int64_t ev = 0;
    if (rc == CORE_OK)
        rc = rmd_tx_event(tx, "attachment", -1, -1, -1, by, internal, NULL, NULL, t.id, &ev);
    if (rc == CORE_OK)
        rc = store_grievance_attachment_set_event(tx->c, tx->g.org_id, t.id, ev);
    if (rc == CORE_OK && attachment_id)
        *attachment_id = t.id;
    return rc;
}
