/* repo_erase: erasing the personal data of one grievance (retention policy,
 * or the complainant's own request through the receipt).
 *
 * What goes: every sealed column a person could be identified by (narrative,
 * product and rights texts, vulnerable group, outcome sought, contact name,
 * e-mail and phone, partner, rating comment), the incident and decision
 * dates, every event body (messages, questions, answers, notes, reasons),
 * every remedy text (description, the complainant's comment, evidence),
 * every attachment row (name and data), recusal reasons, and referral
 * consent texts and outcomes. The case key is replaced by the caller (a new
 * random key wraps the marker narrative), so copies of old ciphertexts left
 * in free pages or the WAL no longer open with the installation's keys.
 *
 * What stays: the plain columns the statistics and transparency reports
 * read (state, category, channel, language, country, product, contact
 * preference, affected, triage, times, satisfaction), the clocks, the event
 * skeleton (kind, action, states, times; no body) and the remedy types and
 * states. An erased case is one with an event of kind "erased" (written by
 * src/remedy in the same transaction), so no schema change is needed.
 */
#include "store/store_db.h"

static const sdb_sql q_case = {Q_ER_CASE, "erase_case",
    "UPDATE grievances SET enc_narrative = ?, enc_product_text = NULL, enc_rights_text = NULL,"
    " enc_vulnerable_group = NULL, enc_outcome_sought = NULL, enc_contact_name = NULL,"
    " enc_contact_email = NULL, enc_contact_phone = NULL, enc_partner = NULL,"
    " enc_rating_comment = NULL, incident_date = NULL, decision_date = NULL,"
    " wrapped_key = ?, key_version = ?, updated_at = ?, row_version = row_version + 1"
    " WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_events = {Q_ER_EVENTS, "erase_events",
    "UPDATE grievance_events SET enc_body = NULL, attachment_id = NULL"
    " WHERE org_id = ? AND case_id = ?", NULL};
static const sdb_sql q_remedies = {Q_ER_REMEDIES, "erase_remedies",
    "UPDATE grievance_remedies SET enc_description = NULL, enc_comment = NULL, enc_evidence = NULL"
    " WHERE org_id = ? AND case_id = ?", NULL};
static const sdb_sql q_attach = {Q_ER_ATTACH, "erase_attachments",
    "DELETE FROM grievance_attachments WHERE org_id = ? AND case_id = ?", NULL};
static const sdb_sql q_recusals = {Q_ER_RECUSALS, "erase_recusals",
    "UPDATE grievance_recusals SET enc_reason = NULL WHERE org_id = ? AND case_id = ?", NULL};
static const sdb_sql q_referrals = {Q_ER_REFERRALS, "erase_referrals",
    "UPDATE grievance_referrals SET enc_consent_text = NULL, enc_outcome = NULL"
    " WHERE org_id = ? AND case_id = ?", NULL};
static const sdb_sql q_due = {Q_ER_DUE, "erase_due",
    "SELECT g.id FROM grievances g WHERE g.org_id = ? AND g.state IN ('closed', 'withdrawn')"
    " AND g.closed_at > 0 AND g.closed_at < ? AND NOT EXISTS (SELECT 1 FROM grievance_events e"
    " WHERE e.case_id = g.id AND e.kind = 'erased') ORDER BY g.id", NULL};
static const sdb_sql q_erased = {Q_ER_ERASED, "erase_when",
    "SELECT at FROM grievance_events WHERE org_id = ? AND case_id = ? AND kind = 'erased'"
    " ORDER BY id LIMIT 1", NULL};

static int by_case(store_conn *c, const sdb_sql *q, int64_t org_id, int64_t case_id)
{
    sdb_stmt *st = NULL;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, case_id);
    return sdb_run(st, 0);
}

int store_grievance_erase(store_conn *c, int64_t org_id, int64_t case_id, const char *enc_narrative,
                          const char *wrapped_key, int64_t key_version, int64_t now)
{
    if (!enc_narrative || !wrapped_key)
        return CORE_INVALID;
    sdb_stmt *st = NULL;
    int rc = sdb_prep(c, &q_case, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, enc_narrative);
    sdb_text(st, 2, wrapped_key);
    sdb_int(st, 3, key_version);
    sdb_int(st, 4, now);
    sdb_int(st, 5, org_id);
    sdb_int(st, 6, case_id);
    rc = sdb_run(st, 1);
    const sdb_sql *rest[] = {&q_events, &q_remedies, &q_attach, &q_recusals, &q_referrals};
    for (size_t i = 0; rc == CORE_OK && i < sizeof rest / sizeof rest[0]; i++)
        rc = by_case(c, rest[i], org_id, case_id);
    return rc;
}

int store_grievance_erase_due(store_conn *c, core_arena *a, int64_t org_id, int64_t closed_before,
                              int64_t **case_ids, size_t *n)
{
    return sdb_fetch_all_by(c, &q_due, org_id, closed_before, a, sdb_read_id, sizeof **case_ids,
                            (void **)case_ids, n);
}

int store_grievance_erased(store_conn *c, int64_t org_id, int64_t case_id, int64_t *erased_at)
{
    *erased_at = 0;
    sdb_stmt *st = NULL;
    int rc = sdb_prep(c, &q_erased, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, case_id);
    rc = sdb_fetch_int(st, erased_at, CORE_OK);
    return rc;
}
