/* rmd_receipt: everything a complainant does with their receipt.
 *
 * Each call resolves the receipt first (rmd_tx_receipt: a wrong code is
 * CORE_NOTFOUND, or CORE_BUSY once its source or everyone is over the
 * failure limit; a valid code is never throttled). The status read takes no
 * transaction and writes nothing. What the complainant sees is the public
 * view: public events only, no staff identity, no internal note.
 *
 * The plain status read (what = 0, the most frequent public request) is one
 * statement: the case's plain columns and its clocks by receipt hash
 * (store_receipt_status_get), plus the org's cached policy; it reads no
 * ciphertext and unwraps no key. A miss ends exactly as every other receipt
 * path does (rmd_receipt_miss), so a wrong receipt looks the same whatever
 * was asked.
 */
#include <string.h>

#include "remedy/rmd_internal.h"

static int can(grv_state s, grv_action a)
{
    grv_state to;
    return grv_transition(s, a, GRV_BY_COMPLAINANT, &to) == CORE_OK;
}

/* What the complainant may do in state st (satisfaction: 0 = not rated). */
static void public_can(grv_state st, int satisfaction, rmd_case_public *out)
{
    out->can_message = !grv_state_is_final(st);
    out->can_decide_remedy = st == GRV_REMEDY_PROPOSED;
    out->can_appeal = can(st, GRV_ACT_APPEAL);
    out->can_withdraw = can(st, GRV_ACT_WITHDRAW);
    out->can_rate = (st == GRV_CLOSED || st == GRV_REMEDY_IMPLEMENTED) && satisfaction == 0;
}

/* An erased case: nothing more to do. */
static void public_can_none(rmd_case_public *out)
{
    out->can_message = out->can_decide_remedy = out->can_appeal = out->can_withdraw = out->can_rate = 0;
}

/* The plain status read (no thread, remedies or files): one statement. */
static int open_status(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                       rmd_case_public *out)
{
    int64_t now = rmd_now(svc);
    char h[CRY_HASH_HEX_LEN + 1];
    int valid = rmd_receipt_hash(svc, receipt, h) == CORE_OK;
    store_conn *c = NULL;
    int rc = store_acquire(svc->st, &c);
    if (rc != CORE_OK)
        return rc;
    /* a malformed code is looked up too (under a hash no receipt has), so
     * every wrong code costs the same */
    store_receipt_status s;
    rc = store_receipt_status_get(c, a, h, &s);
    if (rc == CORE_OK && !valid)
        rc = CORE_NOTFOUND;
    if (rc == CORE_NOTFOUND) {
        store_release(svc->st, c);
        return rmd_receipt_miss(svc, peer, now);
    }
    grv_policy policy;
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, c, s.org_id, &policy, NULL);   /* cached */
    grv_state st = GRV_RECEIVED;
    grv_state_parse(s.state, &st);
    if (rc == CORE_OK && grv_state_is_final(st))   /* only a final case can be erased */
        rc = store_grievance_erased(c, s.org_id, s.id, &out->erased_at);
    store_release(svc->st, c);
    if (rc != CORE_OK)
        return rc;
    out->reference = s.reference;
    out->state = st;
    out->state_name = grv_state_name(st);
    out->state_key = grv_state_public_key(st);
    out->category = s.category;
    out->language = s.language;
    out->created_at = s.created_at;
    out->updated_at = s.updated_at;
    out->waiting_on_complainant = s.waiting_on_complainant;
    out->satisfaction = s.satisfaction;
    rmd_clock_views(s.clocks, s.nclocks, now, policy.due_soon_days, out->clocks, &out->nclocks);
    public_can(st, s.satisfaction, out);
    if (out->erased_at)
        public_can_none(out);
    return CORE_OK;
}

int rmd_receipt_open(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                     unsigned what, rmd_case_public *out)
{
    if (!out)
        return CORE_INVALID;
    memset(out, 0, sizeof *out);
    if (!(what & RMD_PUB_ALL))
        return open_status(svc, a, receipt, peer, out);
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance *g = &tx.g;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(g->state, &st);
    out->reference = g->reference;
    out->state = st;
    out->state_name = grv_state_name(st);
    out->state_key = grv_state_public_key(st);
    out->category = g->category;
    out->language = g->language;
    out->created_at = g->created_at;
    out->updated_at = g->updated_at;
    out->waiting_on_complainant = g->waiting_on_complainant;
    out->satisfaction = g->satisfaction;
    rc = rmd_tx_clocks(&tx);
    if (rc == CORE_OK)
        rmd_clock_views(tx.clocks, tx.nclocks, tx.now, tx.policy.due_soon_days, out->clocks,
                        &out->nclocks);
    if (rc == CORE_OK && (what & RMD_PUB_THREAD)) {
        store_grievance_event *ev = NULL;
        size_t n = 0;
        rc = store_grievance_event_list(tx.c, a, g->org_id, g->id, 1, &ev, &n);
        if (rc == CORE_OK)
            rc = rmd_events_view(tx.key, g, ev, n, 1, a, &out->thread, &out->nthread);
    }
    if (rc == CORE_OK && (what & RMD_PUB_REMEDIES)) {
        store_grievance_remedy *r = NULL;
        size_t n = 0;
        rc = store_grievance_remedy_list(tx.c, a, g->org_id, g->id, &r, &n);
        if (rc == CORE_OK)
            rc = rmd_remedies_view(tx.key, g, r, n, a, &out->remedies);
        out->nremedies = rc == CORE_OK ? n : 0;
    }
    if (rc == CORE_OK && (what & RMD_PUB_ATTACHMENTS)) {
        store_grievance_attachment *t = NULL;
        size_t n = 0;
        rc = store_grievance_attachment_list(tx.c, a, g->org_id, g->id, 1, &t, &n);
        if (rc == CORE_OK)
            rc = rmd_attachments_view(tx.key, g, t, n, a, &out->attachments);
        out->nattachments = rc == CORE_OK ? n : 0;
    }
    if (rc == CORE_OK && grv_state_is_final(st))
        rc = store_grievance_erased(tx.c, g->org_id, g->id, &out->erased_at);
    public_can(st, g->satisfaction, out);
    if (out->erased_at)
        public_can_none(out);
    return rmd_tx_end(&tx, rc, 0);
}

int rmd_receipt_resolve(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        int64_t *org_id, int64_t *case_id)
{
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    if (org_id)
        *org_id = tx.g.org_id;
    if (case_id)
        *case_id = tx.g.id;
    return rmd_tx_end(&tx, CORE_OK, 0);
}

/* A message or further information; answers resume the paused clocks. */
static int post(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                const char *text, const char *kind)
{
    if (!rmd_text_ok(text, 1))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(tx.g.state, &st);
    if (grv_state_is_final(st))
        return rmd_tx_end(&tx, CORE_CONFLICT, 0);
    /* a receipt holder cannot grow a case without bound */
    store_grievance_event *ev = NULL;
    size_t nev = 0, posts = 0;
    rc = store_grievance_event_list(tx.c, a, tx.g.org_id, tx.g.id, 0, &ev, &nev);
    for (size_t i = 0; rc == CORE_OK && i < nev; i++)
        if (ev[i].actor_kind && strcmp(ev[i].actor_kind, "complainant") == 0 &&
            (strcmp(ev[i].kind, "message") == 0 || strcmp(ev[i].kind, "reply") == 0 ||
             strcmp(ev[i].kind, "info") == 0))
            posts++;
    if (rc != CORE_OK)
        return rmd_tx_end(&tx, rc, 0);
    if (posts >= RMD_MAX_COMPLAINANT_POSTS)
        return rmd_tx_end(&tx, CORE_CONFLICT, 0);
    const char *k = kind;
    if (tx.g.waiting_on_complainant) {
        rc = rmd_tx_resume(&tx);
        if (strcmp(kind, "message") == 0)
            k = "reply";
    }
    if (rc == CORE_OK)
        rc = rmd_tx_event(&tx, k, -1, -1, -1, GRV_BY_COMPLAINANT, 0, text, NULL, 0, NULL);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, k);
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_receipt_message(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        const char *text)
{
    return post(svc, a, receipt, peer, text, "message");
}

int rmd_receipt_add_info(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                         const char *text)
{
    return post(svc, a, receipt, peer, text, "info");
}

int rmd_receipt_attach(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                       const char *filename, const void *data, size_t len, int64_t *attachment_id)
{
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(tx.g.state, &st);
    if (grv_state_is_final(st))
        return rmd_tx_end(&tx, CORE_CONFLICT, 0);
    rc = rmd_tx_attach(&tx, filename, data, len, GRV_BY_COMPLAINANT, 0, attachment_id, NULL);
    if (rc == CORE_OK && tx.g.waiting_on_complainant)
        rc = rmd_tx_resume(&tx);
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "attach");
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_receipt_attachment_get(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                               int64_t attachment_id, rmd_attachment *out)
{
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 0, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance_attachment t;
    rc = store_grievance_attachment_get(tx.c, a, tx.g.org_id, tx.g.id, attachment_id, &t);
    if (rc == CORE_OK && t.internal)
        rc = CORE_NOTFOUND;
    rmd_attachment *v = NULL;
    if (rc == CORE_OK)
        rc = rmd_attachments_view(tx.key, &tx.g, &t, 1, a, &v);
    if (rc == CORE_OK)
        *out = v[0];
    return rmd_tx_end(&tx, rc, 0);
}

/* The remedy currently proposed (latest), or CORE_CONFLICT. */
static int proposed_remedy(rmd_tx *tx, store_grievance_remedy *out)
{
    store_grievance_remedy *r = NULL;
    size_t n = 0;
    int rc = store_grievance_remedy_list(tx->c, tx->a, tx->g.org_id, tx->g.id, &r, &n);
    if (rc != CORE_OK)
        return rc;
    for (size_t i = n; i > 0; i--) {
        if (strcmp(r[i - 1].state, "proposed") == 0) {
            *out = r[i - 1];
            return CORE_OK;
        }
    }
    return CORE_CONFLICT;
}

int rmd_receipt_remedy_decision(rmd_service *svc, core_arena *a, const char *receipt,
                                rmd_peer *peer, int accept, const char *comment)
{
    if (!rmd_text_ok(comment, 0))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    store_grievance_remedy r;
    rc = proposed_remedy(&tx, &r);
    if (rc == CORE_OK)
        rc = rmd_tx_apply(&tx, accept ? GRV_ACT_ACCEPT_REMEDY : GRV_ACT_REJECT_REMEDY,
                          GRV_BY_COMPLAINANT, comment, NULL);
    char *enc = NULL;
    if (rc == CORE_OK)
        rc = rmd_seal_text(tx.key, tx.g.reference, "remedy_comment", comment, a, &enc);
    if (rc == CORE_OK) {
        r.state = accept ? "accepted" : "rejected";
        r.enc_comment = enc;
        r.decided_at = tx.now;
        rc = store_grievance_remedy_update(tx.c, &r);
    }
    return rmd_tx_end(&tx, rc, 1);
}

static int complainant_step(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                            grv_action action, const char *reason)
{
    if (!rmd_text_ok(reason, 0))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    rc = rmd_tx_apply(&tx, action, GRV_BY_COMPLAINANT, reason, NULL);
    return rmd_tx_end(&tx, rc, 1);
}

int rmd_receipt_appeal(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                       const char *reason)
{
    if (!reason || !*reason)
        return CORE_INVALID;
    return complainant_step(svc, a, receipt, peer, GRV_ACT_APPEAL, reason);
}

int rmd_receipt_withdraw(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                         const char *reason)
{
    return complainant_step(svc, a, receipt, peer, GRV_ACT_WITHDRAW, reason);
}

int rmd_receipt_rate(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                     int satisfaction, const char *comment)
{
    if (satisfaction < 1 || satisfaction > 5 || !rmd_text_ok(comment, 0))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_receipt(svc, a, receipt, peer, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    grv_state st = GRV_RECEIVED;
    grv_state_parse(tx.g.state, &st);
    if ((st != GRV_CLOSED && st != GRV_REMEDY_IMPLEMENTED) || tx.g.satisfaction != 0)
        return rmd_tx_end(&tx, CORE_CONFLICT, 0);
    char *enc = NULL;
    rc = rmd_seal_text(tx.key, tx.g.reference, "rating_comment", comment, a, &enc);
    if (rc == CORE_OK) {
        tx.g.satisfaction = satisfaction;
        tx.g.enc_rating_comment = enc;
        rc = rmd_tx_event(&tx, "rating", -1, -1, -1, GRV_BY_COMPLAINANT, 0, comment, NULL, 0, NULL);
    }
    if (rc == CORE_OK)
        rc = rmd_tx_audit(&tx, "rate");
    return rmd_tx_end(&tx, rc, 1);
}
