/* repo_mechanism: the directory of external mechanisms, referrals of cases
 * to them, and the record of time-limit notifications already sent.
 *
 * Mechanisms with org_id 0 are the installation-wide shared directory; an
 * organisation reads its own entries plus the shared ones (org_id = ? OR
 * org_id = 0) and changes only the exact namespace it names. Referrals and
 * notifications are per organisation and every statement filters by org id.
 * Encrypted referral fields arrive here already as ciphertext (base64 text).
 */
#include <string.h>

#include "store/store_db.h"

#define MECH_COLS "id, org_id, slug, kind, subkind, name, jurisdictions, subjects, languages," \
                  " email, phone, address, website, intake_url, time_limit_text, last_verified," \
                  " source, created_at, updated_at"
#define REF_COLS "id, org_id, case_id, mechanism_id, kind, consent_given, consent_contact," \
                 " enc_consent_text, consent_at, state, enc_outcome, created_at, updated_at"

static const sdb_sql q_mech_create = {Q_MECH_CREATE, "mechanism_create",
    "INSERT INTO mechanisms (org_id, slug, kind, subkind, name, jurisdictions, subjects, languages,"
    " email, phone, address, website, intake_url, time_limit_text, last_verified, source,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id", NULL};
static const sdb_sql q_mech_update = {Q_MECH_UPDATE, "mechanism_update",
    "UPDATE mechanisms SET kind = ?, subkind = ?, name = ?, jurisdictions = ?, subjects = ?,"
    " languages = ?, email = ?, phone = ?, address = ?, website = ?, intake_url = ?,"
    " time_limit_text = ?, last_verified = ?, source = ?, updated_at = ?"
    " WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_mech_get = {Q_MECH_GET, "mechanism_get",
    "SELECT " MECH_COLS " FROM mechanisms WHERE id = ? AND (org_id = ? OR org_id = 0)", NULL};
static const sdb_sql q_mech_get_slug = {Q_MECH_GET_SLUG, "mechanism_get_by_slug",
    "SELECT " MECH_COLS " FROM mechanisms WHERE org_id = ? AND slug = ?", NULL};
static const sdb_sql q_mech_list = {Q_MECH_LIST, "mechanism_list",
    "SELECT " MECH_COLS " FROM mechanisms WHERE org_id = 0 ORDER BY name, id", NULL};
static const sdb_sql q_mech_list_org = {Q_MECH_LIST_ORG, "mechanism_list_org",
    "SELECT " MECH_COLS " FROM mechanisms WHERE org_id = ? OR org_id = 0 ORDER BY name, id", NULL};

static const sdb_sql q_ref_create = {Q_REFERRAL_CREATE, "referral_create",
    "INSERT INTO grievance_referrals (org_id, case_id, mechanism_id, kind, consent_given,"
    " consent_contact, enc_consent_text, consent_at, state, enc_outcome, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_ref_get = {Q_REFERRAL_GET, "referral_get",
    "SELECT " REF_COLS " FROM grievance_referrals WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ref_list = {Q_REFERRAL_LIST, "referral_list",
    "SELECT " REF_COLS " FROM grievance_referrals WHERE org_id = ? AND case_id = ? ORDER BY id", NULL};
static const sdb_sql q_ref_update = {Q_REFERRAL_UPDATE, "referral_update",
    "UPDATE grievance_referrals SET state = ?, enc_outcome = ?, updated_at = ?"
    " WHERE org_id = ? AND id = ?", NULL};

static const sdb_sql q_sla_add = {Q_SLA_NOTE_ADD, "sla_note_add",
    "INSERT INTO sla_notifications (org_id, case_id, clock, status, due_at, notified_at, recipients)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (org_id, case_id, clock, status, due_at) DO NOTHING"
    " RETURNING id", NULL};
static const sdb_sql q_sla_delete = {Q_SLA_NOTE_DELETE, "sla_note_delete",
    "DELETE FROM sla_notifications WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_sla_list = {Q_SLA_NOTE_LIST, "sla_note_list",
    "SELECT id, org_id, case_id, clock, status, due_at, notified_at, recipients"
    " FROM sla_notifications WHERE org_id = ? AND case_id = ? ORDER BY id", NULL};

static const sdb_sql q_stats_clocks = {Q_STATS_CLOCKS, "stats_clocks",
    "SELECT case_id, kind, due_at, paused_since, stopped_at FROM grievance_clocks"
    " WHERE org_id = ? ORDER BY case_id, kind", NULL};
static const sdb_sql q_stats_remedies = {Q_STATS_REMEDIES, "stats_remedies",
    "SELECT case_id, type, state FROM grievance_remedies WHERE org_id = ? ORDER BY case_id, id", NULL};
static const sdb_sql q_stats_steps = {Q_STATS_STEPS, "stats_appeal_steps",
    "SELECT case_id, action FROM grievance_events WHERE org_id = ? AND kind = 'transition'"
    " AND action IN ('appeal', 'review_appeal', 'uphold') ORDER BY case_id, id", NULL};

/* ---- mechanisms ---- */

static int mech_valid(const store_mechanism *m)
{
    return m->slug && core_slug_valid(m->slug) && m->kind && m->subkind && m->name && m->name[0] &&
           m->jurisdictions && m->subjects && m->org_id >= 0;
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

static int read_mech(sdb_stmt *st, core_arena *a, void *row)
{
    store_mechanism *m = row;
    memset(m, 0, sizeof *m);
    m->id = sdb_col_int(st, 0);
    m->org_id = sdb_col_int(st, 1);
    m->slug = sdb_col_dup(st, a, 2);
    m->kind = sdb_col_dup(st, a, 3);
    m->subkind = sdb_col_dup(st, a, 4);
    m->name = sdb_col_dup(st, a, 5);
    m->jurisdictions = sdb_col_dup(st, a, 6);
    m->subjects = sdb_col_dup(st, a, 7);
    m->languages = sdb_col_dup(st, a, 8);
    m->email = sdb_col_dup(st, a, 9);
    m->phone = sdb_col_dup(st, a, 10);
    m->address = sdb_col_dup(st, a, 11);
    m->website = sdb_col_dup(st, a, 12);
    m->intake_url = sdb_col_dup(st, a, 13);
    m->time_limit_text = sdb_col_dup(st, a, 14);
    m->last_verified = sdb_col_dup(st, a, 15);
    m->source = sdb_col_dup(st, a, 16);
    m->created_at = sdb_col_int(st, 17);
    m->updated_at = sdb_col_int(st, 18);
    return (m->slug && m->kind && m->subkind && m->name && m->jurisdictions && m->subjects &&
            m->languages) ? CORE_OK : CORE_NOMEM;
}

/* Binds the mutable columns from index i on; returns the next index. */
static int bind_mech_body(sdb_stmt *st, int i, const store_mechanism *m)
{
    sdb_text(st, i++, m->kind);
    sdb_text(st, i++, m->subkind);
    sdb_text(st, i++, m->name);
    sdb_text(st, i++, m->jurisdictions);
    sdb_text(st, i++, m->subjects);
    sdb_text(st, i++, nz(m->languages));
    sdb_text(st, i++, m->email);
    sdb_text(st, i++, m->phone);
    sdb_text(st, i++, m->address);
    sdb_text(st, i++, m->website);
    sdb_text(st, i++, m->intake_url);
    sdb_text(st, i++, m->time_limit_text);
    sdb_text(st, i++, m->last_verified);
    sdb_text(st, i++, m->source);
    return i;
}

int store_mechanism_create(store_conn *c, store_mechanism *m)
{
    if (!mech_valid(m))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_mech_create, &st);
    if (rc != CORE_OK)
        return rc;
    int64_t now = sdb_now();
    if (!m->created_at)
        m->created_at = now;
    if (!m->updated_at)
        m->updated_at = m->created_at;
    sdb_int(st, 1, m->org_id);
    sdb_text(st, 2, m->slug);
    int i = bind_mech_body(st, 3, m);
    sdb_int(st, i++, m->created_at);
    sdb_int(st, i, m->updated_at);
    return sdb_fetch_int(st, &m->id, CORE_ERR);
}

int store_mechanism_update(store_conn *c, store_mechanism *m)
{
    if (!m->id || !mech_valid(m))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_mech_update, &st);
    if (rc != CORE_OK)
        return rc;
    m->updated_at = sdb_now();
    int i = bind_mech_body(st, 1, m);
    sdb_int(st, i++, m->updated_at);
    sdb_int(st, i++, m->org_id);
    sdb_int(st, i, m->id);
    return sdb_run(st, 1);
}

int store_mechanism_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_mechanism *out)
{
    return sdb_fetch_one_by(c, &q_mech_get, id, org_id, a, read_mech, out);
}

int store_mechanism_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                                store_mechanism *out)
{
    if (!slug)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_mech_get_slug, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, slug);
    return sdb_fetch_one(st, a, read_mech, out);
}

int store_mechanism_list(store_conn *c, core_arena *a, int64_t org_id, store_mechanism **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, org_id ? &q_mech_list_org : &q_mech_list, &st);
    if (rc != CORE_OK)
        return rc;
    if (org_id)
        sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_mech, sizeof **out, (void **)out, n);
}

/* ---- referrals ---- */

static int ref_kind_valid(const char *k)
{
    return k && (!strcmp(k, "referral") || !strcmp(k, "escalation") || !strcmp(k, "parallel"));
}

static int ref_state_valid(const char *s)
{
    static const char *const states[] = {"proposed", "sent", "acknowledged", "decided", "closed"};
    for (size_t i = 0; s && i < sizeof states / sizeof states[0]; i++)
        if (!strcmp(s, states[i]))
            return 1;
    return 0;
}

static int read_ref(sdb_stmt *st, core_arena *a, void *row)
{
    store_referral *r = row;
    memset(r, 0, sizeof *r);
    r->id = sdb_col_int(st, 0);
    r->org_id = sdb_col_int(st, 1);
    r->case_id = sdb_col_int(st, 2);
    r->mechanism_id = sdb_col_int(st, 3);
    r->kind = sdb_col_dup(st, a, 4);
    r->consent_given = (int)sdb_col_int(st, 5);
    r->consent_contact = (int)sdb_col_int(st, 6);
    r->enc_consent_text = sdb_col_dup(st, a, 7);
    r->consent_at = sdb_col_int(st, 8);
    r->state = sdb_col_dup(st, a, 9);
    r->enc_outcome = sdb_col_dup(st, a, 10);
    r->created_at = sdb_col_int(st, 11);
    r->updated_at = sdb_col_int(st, 12);
    if ((!sdb_col_null(st, 7) && !r->enc_consent_text) || (!sdb_col_null(st, 10) && !r->enc_outcome))
        return CORE_NOMEM;
    return (r->kind && r->state) ? CORE_OK : CORE_NOMEM;
}

int store_referral_create(store_conn *c, store_referral *r)
{
    if (!r->org_id || !r->case_id || !r->mechanism_id || !ref_kind_valid(r->kind))
        return CORE_INVALID;
    if (!r->state)
        r->state = "proposed";
    if (!ref_state_valid(r->state))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ref_create, &st);
    if (rc != CORE_OK)
        return rc;
    if (!r->created_at)
        r->created_at = sdb_now();
    r->updated_at = r->created_at;
    sdb_int(st, 1, r->org_id);
    sdb_int(st, 2, r->case_id);
    sdb_int(st, 3, r->mechanism_id);
    sdb_text(st, 4, r->kind);
    sdb_int(st, 5, r->consent_given ? 1 : 0);
    sdb_int(st, 6, r->consent_contact ? 1 : 0);
    sdb_text(st, 7, r->enc_consent_text);
    sdb_int(st, 8, r->consent_at);
    sdb_text(st, 9, r->state);
    sdb_text(st, 10, r->enc_outcome);
    sdb_int(st, 11, r->created_at);
    sdb_int(st, 12, r->updated_at);
    return sdb_fetch_int(st, &r->id, CORE_ERR);
}

int store_referral_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_referral *out)
{
    return sdb_fetch_one_by(c, &q_ref_get, org_id, id, a, read_ref, out);
}

int store_referral_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                        store_referral **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_ref_list, org_id, case_id, a, read_ref, sizeof **out,
                            (void **)out, n);
}

int store_referral_update(store_conn *c, store_referral *r)
{
    if (!r->org_id || !r->id || !ref_state_valid(r->state))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ref_update, &st);
    if (rc != CORE_OK)
        return rc;
    r->updated_at = sdb_now();
    sdb_text(st, 1, r->state);
    sdb_text(st, 2, r->enc_outcome);
    sdb_int(st, 3, r->updated_at);
    sdb_int(st, 4, r->org_id);
    sdb_int(st, 5, r->id);
    return sdb_run(st, 1);
}

/* ---- time-limit notifications ---- */

int store_sla_note_add(store_conn *c, store_sla_note *nt)
{
    if (!nt->org_id || !nt->case_id || !nt->clock || !nt->status)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_sla_add, &st);
    if (rc != CORE_OK)
        return rc;
    if (!nt->notified_at)
        nt->notified_at = sdb_now();
    sdb_int(st, 1, nt->org_id);
    sdb_int(st, 2, nt->case_id);
    sdb_text(st, 3, nt->clock);
    sdb_text(st, 4, nt->status);
    sdb_int(st, 5, nt->due_at);
    sdb_int(st, 6, nt->notified_at);
    sdb_int(st, 7, nt->recipients);
    return sdb_fetch_int(st, &nt->id, CORE_CONFLICT);   /* no row: notified before */
}

int store_sla_note_delete(store_conn *c, int64_t org_id, int64_t id)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_sla_delete, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, id);
    return sdb_run(st, 1);
}

static int read_note(sdb_stmt *st, core_arena *a, void *row)
{
    store_sla_note *nt = row;
    memset(nt, 0, sizeof *nt);
    nt->id = sdb_col_int(st, 0);
    nt->org_id = sdb_col_int(st, 1);
    nt->case_id = sdb_col_int(st, 2);
    nt->clock = sdb_col_dup(st, a, 3);
    nt->status = sdb_col_dup(st, a, 4);
    nt->due_at = sdb_col_int(st, 5);
    nt->notified_at = sdb_col_int(st, 6);
    nt->recipients = (int)sdb_col_int(st, 7);
    return (nt->clock && nt->status) ? CORE_OK : CORE_NOMEM;
}

int store_sla_note_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                        store_sla_note **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_sla_list, org_id, case_id, a, read_note, sizeof **out,
                            (void **)out, n);
}

/* ---- statistics in bulk ---- */

static int read_stats_clock(sdb_stmt *st, core_arena *a, void *row)
{
    store_stats_row *r = row;
    memset(r, 0, sizeof *r);
    r->case_id = sdb_col_int(st, 0);
    r->a = sdb_col_dup(st, a, 1);
    r->due_at = sdb_col_int(st, 2);
    r->paused_since = sdb_col_int(st, 3);
    r->stopped_at = sdb_col_int(st, 4);
    return r->a ? CORE_OK : CORE_NOMEM;
}

static int read_stats_pair(sdb_stmt *st, core_arena *a, void *row)
{
    store_stats_row *r = row;
    memset(r, 0, sizeof *r);
    r->case_id = sdb_col_int(st, 0);
    r->a = sdb_col_dup(st, a, 1);
    r->b = sdb_col_null(st, 2) ? NULL : sdb_col_dup(st, a, 2);
    return r->a ? CORE_OK : CORE_NOMEM;
}

static int read_stats_one(sdb_stmt *st, core_arena *a, void *row)
{
    store_stats_row *r = row;
    memset(r, 0, sizeof *r);
    r->case_id = sdb_col_int(st, 0);
    r->a = sdb_col_dup(st, a, 1);
    return r->a ? CORE_OK : CORE_NOMEM;
}

static int stats_rows(store_conn *c, core_arena *a, const sdb_sql *q, sdb_reader rd, int64_t org_id,
                      store_stats_row **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, rd, sizeof **out, (void **)out, n);
}

int store_stats_clocks(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out, size_t *n)
{
    return stats_rows(c, a, &q_stats_clocks, read_stats_clock, org_id, out, n);
}

int store_stats_remedies(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out, size_t *n)
{
    return stats_rows(c, a, &q_stats_remedies, read_stats_pair, org_id, out, n);
}

int store_stats_appeal_steps(store_conn *c, core_arena *a, int64_t org_id, store_stats_row **out,
                             size_t *n)
{
    return stats_rows(c, a, &q_stats_steps, read_stats_one, org_id, out, n);
}
