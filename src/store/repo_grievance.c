/* repo_grievance: the grievance mechanism's tables (migration step 2).
 *
 * Cases, their clocks, timeline events, recusals, remedies and attachments
 * (collective cases and policies: repo_collective.c). Every sensitive
 * value arrives already encrypted by src/remedy (enc_* columns), so nothing
 * here ever handles a clear narrative or contact detail. Every statement but
 * the receipt lookup filters by org_id, so an id of another tenant behaves
 * like a missing one. A case update is optimistic (row_version), so two
 * handlers acting at once cannot silently overwrite each other.
 */
#include <string.h>

#include "store/store_db.h"

#define GRV_COLS                                                                           \
    "id, org_id, reference, receipt_hash, state, category, channel, language, country,"   \
    " incident_date, decision_date, affected, affected_count, contact_preference,"        \
    " COALESCE(product_id, 0), enc_narrative, enc_product_text, enc_rights_text,"         \
    " enc_vulnerable_group, enc_outcome_sought, enc_contact_name, enc_contact_email,"     \
    " enc_contact_phone, enc_partner, enc_rating_comment, wrapped_key, key_version,"      \
    " scale, scope, irremediable, urgent, vulnerable, severity, priority,"                \
    " COALESCE(assigned_user_id, 0), COALESCE(previous_handler_id, 0),"                   \
    " COALESCE(last_handler_id, 0), COALESCE(collective_id, 0), waiting_on_complainant,"  \
    " satisfaction, created_at, updated_at, acknowledged_at, closed_at, row_version"

static const sdb_sql q_create = {Q_GRV_CREATE, "grievance_create",
    "INSERT INTO grievances (org_id, reference, receipt_hash, state, category, channel,"
    " language, country, incident_date, decision_date, affected, affected_count,"
    " contact_preference, product_id, enc_narrative, enc_product_text, enc_rights_text,"
    " enc_vulnerable_group, enc_outcome_sought, enc_contact_name, enc_contact_email,"
    " enc_contact_phone, enc_partner, wrapped_key, key_version, priority, created_at,"
    " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
    " ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_get = {Q_GRV_GET, "grievance_get",
    "SELECT " GRV_COLS " FROM grievances WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_get_ref = {Q_GRV_GET_REF, "grievance_get_by_reference",
    "SELECT " GRV_COLS " FROM grievances WHERE org_id = ? AND reference = ?", NULL};
static const sdb_sql q_get_receipt = {Q_GRV_GET_RECEIPT, "grievance_get_by_receipt",
    "SELECT " GRV_COLS " FROM grievances WHERE receipt_hash = ?", NULL};
static const sdb_sql q_update = {Q_GRV_UPDATE, "grievance_update",
    "UPDATE grievances SET state = ?, enc_rating_comment = ?, wrapped_key = ?, key_version = ?,"
    " scale = ?, scope = ?, irremediable = ?, urgent = ?, vulnerable = ?, severity = ?,"
    " priority = ?, assigned_user_id = ?, previous_handler_id = ?, last_handler_id = ?,"
    " collective_id = ?, waiting_on_complainant = ?, satisfaction = ?, updated_at = ?,"
    " acknowledged_at = ?, closed_at = ?, row_version = row_version + 1"
    " WHERE org_id = ? AND id = ? AND row_version = ?", NULL};
static const sdb_sql q_list = {Q_GRV_LIST, "grievance_list",
    "SELECT id, org_id, reference, state, category, channel, language, country,"
    " contact_preference, product_id, scale, scope, irremediable, urgent, vulnerable,"
    " severity, priority, assigned_user_id, collective_id, waiting_on_complainant,"
    " satisfaction, created_at, updated_at, acknowledged_at, closed_at, row_version,"
    " next_due, next_kind, previous_handler_id FROM ("
    "SELECT g.id, g.org_id, g.reference, g.state, g.category, g.channel, g.language,"
    " g.country, g.contact_preference, COALESCE(g.product_id, 0) AS product_id, g.scale,"
    " g.scope, g.irremediable, g.urgent, g.vulnerable, g.severity, g.priority,"
    " COALESCE(g.assigned_user_id, 0) AS assigned_user_id,"
    " COALESCE(g.collective_id, 0) AS collective_id, g.waiting_on_complainant,"
    " g.satisfaction, g.created_at, g.updated_at, g.acknowledged_at, g.closed_at,"
    " g.row_version, COALESCE(g.previous_handler_id, 0) AS previous_handler_id,"
    " (SELECT k.due_at FROM grievance_clocks k WHERE k.case_id = g.id AND k.stopped_at = 0"
    "  ORDER BY k.due_at LIMIT 1) AS next_due,"
    " (SELECT k.kind FROM grievance_clocks k WHERE k.case_id = g.id AND k.stopped_at = 0"
    "  ORDER BY k.due_at LIMIT 1) AS next_kind"
    " FROM grievances g WHERE g.org_id = ?"
    " AND (CAST(? AS TEXT) IS NULL OR g.state = ?)"
    " AND (? = 0 OR g.state NOT IN ('closed', 'withdrawn'))"
    " AND (CAST(? AS TEXT) IS NULL OR g.category = ?)"
    " AND (CAST(? AS TEXT) IS NULL OR g.channel = ?)"
    " AND (CAST(? AS BIGINT) = 0 OR g.assigned_user_id = ?)"
    " AND (? = 0 OR g.assigned_user_id IS NULL)"
    " AND (CAST(? AS BIGINT) = 0 OR g.collective_id = ?)"
    " AND (CAST(? AS BIGINT) = 0 OR EXISTS (SELECT 1 FROM grievance_clocks d"
    "  WHERE d.case_id = g.id AND d.stopped_at = 0 AND d.paused_since = 0 AND d.due_at < ?))"
    " AND NOT EXISTS (SELECT 1 FROM grievance_recusals r WHERE r.case_id = g.id AND r.user_id = ?)"
    ") q ORDER BY priority, severity DESC, COALESCE(next_due, 9223372036854775807), id"
    " LIMIT ? OFFSET ?", NULL};
static const sdb_sql q_keys = {Q_GRV_KEYS, "grievance_keys",
    "SELECT id, reference, wrapped_key, key_version FROM grievances WHERE org_id = ? ORDER BY id",
    NULL};
static const sdb_sql q_set_key = {Q_GRV_SET_KEY, "grievance_set_key",
    "UPDATE grievances SET wrapped_key = ?, key_version = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_product_slug = {Q_GRV_PRODUCT_SLUG, "grievance_product_by_slug",
    "SELECT id FROM products WHERE org_id = ? AND slug = ?", NULL};
static const sdb_sql q_sync_full = {Q_GRV_SYNC_FULL, "grievance_sync_full",
    "PRAGMA synchronous=FULL", "SELECT 1"};
static const sdb_sql q_sync_normal = {Q_GRV_SYNC_NORMAL, "grievance_sync_normal",
    "PRAGMA synchronous=NORMAL", "SELECT 1"};

static const sdb_sql q_clock_put = {Q_GRV_CLOCK_PUT, "grievance_clock_put",
    "INSERT INTO grievance_clocks (case_id, org_id, kind, started_at, due_at, paused_since,"
    " paused_total, extended_by, stopped_at)"
    " SELECT id, org_id, ?, ?, ?, ?, ?, ?, ? FROM grievances WHERE org_id = ? AND id = ?"
    " ON CONFLICT (case_id, kind) DO UPDATE SET started_at = excluded.started_at,"
    " due_at = excluded.due_at, paused_since = excluded.paused_since,"
    " paused_total = excluded.paused_total, extended_by = excluded.extended_by,"
    " stopped_at = excluded.stopped_at", NULL};
static const sdb_sql q_clock_list = {Q_GRV_CLOCK_LIST, "grievance_clock_list",
    "SELECT case_id, kind, started_at, due_at, paused_since, paused_total, extended_by,"
    " stopped_at FROM grievance_clocks WHERE +org_id = ? AND case_id = ? ORDER BY started_at, kind",
    NULL};

#define EVENT_COLS "e.id, e.case_id, e.org_id, e.at, e.kind, e.action, e.from_state, e.to_state," \
                   " e.actor_kind, COALESCE(e.actor_user_id, 0), e.internal, e.enc_body,"          \
                   " e.public_key, COALESCE(e.attachment_id, 0)"
static const sdb_sql q_event_add = {Q_GRV_EVENT_ADD, "grievance_event_add",
    "INSERT INTO grievance_events (case_id, org_id, at, kind, action, from_state, to_state,"
    " actor_kind, actor_user_id, internal, enc_body, public_key, attachment_id)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_event_list = {Q_GRV_EVENT_LIST, "grievance_event_list",
    "SELECT " EVENT_COLS ", u.display_name FROM grievance_events e"
    " LEFT JOIN users u ON u.id = e.actor_user_id"
    " WHERE e.org_id = ? AND e.case_id = ? ORDER BY e.id", NULL};
static const sdb_sql q_event_list_pub = {Q_GRV_EVENT_LIST_PUB, "grievance_event_list_public",
    "SELECT " EVENT_COLS ", NULL FROM grievance_events e"
    " WHERE e.org_id = ? AND e.case_id = ? AND e.internal = 0 ORDER BY e.id", NULL};

static const sdb_sql q_recusal_add = {Q_GRV_RECUSAL_ADD, "grievance_recusal_add",
    "INSERT INTO grievance_recusals (case_id, org_id, user_id, at, enc_reason)"
    " SELECT id, org_id, ?, ?, ? FROM grievances WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_recused = {Q_GRV_RECUSED, "grievance_recused",
    "SELECT count(*) FROM grievance_recusals WHERE org_id = ? AND case_id = ? AND user_id = ?",
    NULL};
static const sdb_sql q_recusal_list = {Q_GRV_RECUSAL_LIST, "grievance_recusal_list",
    "SELECT user_id FROM grievance_recusals WHERE org_id = ? AND case_id = ? ORDER BY user_id",
    NULL};

#define REMEDY_COLS "id, case_id, org_id, type, state, enc_description, enc_comment," \
                    " enc_evidence, COALESCE(proposed_by, 0), proposed_at, decided_at,"  \
                    " implemented_at"
static const sdb_sql q_remedy_add = {Q_GRV_REMEDY_ADD, "grievance_remedy_add",
    "INSERT INTO grievance_remedies (case_id, org_id, type, state, enc_description,"
    " proposed_by, proposed_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_remedy_update = {Q_GRV_REMEDY_UPDATE, "grievance_remedy_update",
    "UPDATE grievance_remedies SET state = ?, enc_comment = ?, enc_evidence = ?,"
    " decided_at = ?, implemented_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_remedy_list = {Q_GRV_REMEDY_LIST, "grievance_remedy_list",
    "SELECT " REMEDY_COLS " FROM grievance_remedies WHERE org_id = ? AND case_id = ? ORDER BY id",
    NULL};

#define ATT_COLS "id, case_id, org_id, COALESCE(event_id, 0), mime, size, enc_name, uploaded_by," \
                 " internal, created_at"
static const sdb_sql q_att_add = {Q_GRV_ATT_ADD, "grievance_attachment_add",
    "INSERT INTO grievance_attachments (case_id, org_id, event_id, mime, size, enc_name,"
    " enc_data, uploaded_by, internal, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " RETURNING id", NULL};
static const sdb_sql q_att_set_event = {Q_GRV_ATT_SET_EVENT, "grievance_attachment_set_event",
    "UPDATE grievance_attachments SET event_id = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_att_get = {Q_GRV_ATT_GET, "grievance_attachment_get",
    "SELECT " ATT_COLS ", enc_data FROM grievance_attachments"
    " WHERE org_id = ? AND case_id = ? AND id = ?", NULL};
static const sdb_sql q_att_list = {Q_GRV_ATT_LIST, "grievance_attachment_list",
    "SELECT " ATT_COLS ", NULL FROM grievance_attachments WHERE org_id = ? AND case_id = ?"
    " ORDER BY id", NULL};
static const sdb_sql q_att_list_pub = {Q_GRV_ATT_LIST_PUB, "grievance_attachment_list_public",
    "SELECT " ATT_COLS ", NULL FROM grievance_attachments WHERE org_id = ? AND case_id = ?"
    " AND internal = 0 ORDER BY id", NULL};
static const sdb_sql q_att_count = {Q_GRV_ATT_COUNT, "grievance_attachment_count",
    "SELECT count(*) FROM grievance_attachments WHERE org_id = ? AND case_id = ?", NULL};

/* ---- cases ---- */

static int read_grievance(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance *g = row;
    memset(g, 0, sizeof *g);
    int i = 0;
    g->id = sdb_col_int(st, i++);
    g->org_id = sdb_col_int(st, i++);
    g->reference = sdb_col_dup(st, a, i++);
    g->receipt_hash = sdb_col_dup(st, a, i++);
    g->state = sdb_col_dup(st, a, i++);
    g->category = sdb_col_dup(st, a, i++);
    g->channel = sdb_col_dup(st, a, i++);
    g->language = sdb_col_dup(st, a, i++);
    g->country = sdb_col_dup(st, a, i++);
    g->incident_date = sdb_col_dup(st, a, i++);
    g->decision_date = sdb_col_dup(st, a, i++);
    g->affected = sdb_col_dup(st, a, i++);
    g->affected_count = sdb_col_int(st, i++);
    g->contact_preference = sdb_col_dup(st, a, i++);
    g->product_id = sdb_col_int(st, i++);
    g->enc_narrative = sdb_col_dup(st, a, i++);
    g->enc_product_text = sdb_col_dup(st, a, i++);
    g->enc_rights_text = sdb_col_dup(st, a, i++);
    g->enc_vulnerable_group = sdb_col_dup(st, a, i++);
    g->enc_outcome_sought = sdb_col_dup(st, a, i++);
    g->enc_contact_name = sdb_col_dup(st, a, i++);
    g->enc_contact_email = sdb_col_dup(st, a, i++);
    g->enc_contact_phone = sdb_col_dup(st, a, i++);
    g->enc_partner = sdb_col_dup(st, a, i++);
    g->enc_rating_comment = sdb_col_dup(st, a, i++);
    g->wrapped_key = sdb_col_dup(st, a, i++);
    g->key_version = sdb_col_int(st, i++);
    g->scale = (int)sdb_col_int(st, i++);
    g->scope = (int)sdb_col_int(st, i++);
    g->irremediable = (int)sdb_col_int(st, i++);
    g->urgent = (int)sdb_col_int(st, i++);
    g->vulnerable = (int)sdb_col_int(st, i++);
    g->severity = (int)sdb_col_int(st, i++);
    g->priority = (int)sdb_col_int(st, i++);
    g->assigned_user_id = sdb_col_int(st, i++);
    g->previous_handler_id = sdb_col_int(st, i++);
    g->last_handler_id = sdb_col_int(st, i++);
    g->collective_id = sdb_col_int(st, i++);
    g->waiting_on_complainant = (int)sdb_col_int(st, i++);
    g->satisfaction = (int)sdb_col_int(st, i++);
    g->created_at = sdb_col_int(st, i++);
    g->updated_at = sdb_col_int(st, i++);
    g->acknowledged_at = sdb_col_int(st, i++);
    g->closed_at = sdb_col_int(st, i++);
    g->row_version = sdb_col_int(st, i++);
    return (g->reference && g->state && g->category && g->channel && g->language &&
            g->contact_preference && g->wrapped_key) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_create(store_conn *c, store_grievance *g)
{
    if (!g->org_id || !g->reference || !g->receipt_hash || !g->state || !g->category ||
        !g->channel || !g->language || !g->contact_preference || !g->enc_narrative ||
        !g->wrapped_key)
        return CORE_INVALID;
    if (!g->created_at)
        g->created_at = sdb_now();
    if (!g->updated_at)
        g->updated_at = g->created_at;
    if (!g->priority)
        g->priority = 3;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_create, &st);
    if (rc != CORE_OK)
        return rc;
    int i = 1;
    sdb_int(st, i++, g->org_id);
    sdb_text(st, i++, g->reference);
    sdb_text(st, i++, g->receipt_hash);
    sdb_text(st, i++, g->state);
    sdb_text(st, i++, g->category);
    sdb_text(st, i++, g->channel);
    sdb_text(st, i++, g->language);
    sdb_text(st, i++, g->country);
    sdb_text(st, i++, g->incident_date);
    sdb_text(st, i++, g->decision_date);
    sdb_text(st, i++, g->affected);
    sdb_int(st, i++, g->affected_count);
    sdb_text(st, i++, g->contact_preference);
    sdb_id_or_null(st, i++, g->product_id);
    sdb_text(st, i++, g->enc_narrative);
    sdb_text(st, i++, g->enc_product_text);
    sdb_text(st, i++, g->enc_rights_text);
    sdb_text(st, i++, g->enc_vulnerable_group);
    sdb_text(st, i++, g->enc_outcome_sought);
    sdb_text(st, i++, g->enc_contact_name);
    sdb_text(st, i++, g->enc_contact_email);
    sdb_text(st, i++, g->enc_contact_phone);
    sdb_text(st, i++, g->enc_partner);
    sdb_text(st, i++, g->wrapped_key);
    sdb_int(st, i++, g->key_version);
    sdb_int(st, i++, g->priority);
    sdb_int(st, i++, g->created_at);
    sdb_int(st, i++, g->updated_at);
    rc = sdb_fetch_int(st, &g->id, CORE_ERR);
    if (rc == CORE_OK)
        g->row_version = 1;
    return rc;
}

int store_grievance_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_grievance *out)
{
    return sdb_fetch_one_by(c, &q_get, org_id, id, a, read_grievance, out);
}

int store_grievance_get_by_reference(store_conn *c, core_arena *a, int64_t org_id,
                                     const char *reference, store_grievance *out)
{
    if (!reference)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_get_ref, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, reference);
    return sdb_fetch_one(st, a, read_grievance, out);
}

int store_grievance_get_by_receipt(store_conn *c, core_arena *a, const char *receipt_hash,
                                   store_grievance *out)
{
    if (!receipt_hash)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_get_receipt, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, receipt_hash);
    return sdb_fetch_one(st, a, read_grievance, out);
}

int store_grievance_update(store_conn *c, store_grievance *g)
{
    if (!g->state || !g->wrapped_key)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_update, &st);
    if (rc != CORE_OK)
        return rc;
    int i = 1;
    sdb_text(st, i++, g->state);
    sdb_text(st, i++, g->enc_rating_comment);
    sdb_text(st, i++, g->wrapped_key);
    sdb_int(st, i++, g->key_version);
    sdb_int(st, i++, g->scale);
    sdb_int(st, i++, g->scope);
    sdb_int(st, i++, g->irremediable);
    sdb_int(st, i++, g->urgent);
    sdb_int(st, i++, g->vulnerable);
    sdb_int(st, i++, g->severity);
    sdb_int(st, i++, g->priority);
    sdb_id_or_null(st, i++, g->assigned_user_id);
    sdb_id_or_null(st, i++, g->previous_handler_id);
    sdb_id_or_null(st, i++, g->last_handler_id);
    sdb_id_or_null(st, i++, g->collective_id);
    sdb_int(st, i++, g->waiting_on_complainant);
    sdb_int(st, i++, g->satisfaction);
    sdb_int(st, i++, g->updated_at ? g->updated_at : sdb_now());
    sdb_int(st, i++, g->acknowledged_at);
    sdb_int(st, i++, g->closed_at);
    sdb_int(st, i++, g->org_id);
    sdb_int(st, i++, g->id);
    sdb_int(st, i++, g->row_version);
    rc = sdb_run(st, 1);
    if (rc == CORE_NOTFOUND) {
        /* Missing (or another org's) or changed meanwhile: tell them apart. */
        core_arena a;
        core_arena_init(&a);
        store_grievance cur;
        int r2 = store_grievance_get(c, &a, g->org_id, g->id, &cur);
        core_arena_cleanup(&a);
        return r2 == CORE_OK ? CORE_CONFLICT : r2;
    }
    if (rc == CORE_OK)
        g->row_version++;
    return rc;
}

static int read_list_row(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance *g = row;
    memset(g, 0, sizeof *g);
    int i = 0;
    g->id = sdb_col_int(st, i++);
    g->org_id = sdb_col_int(st, i++);
    g->reference = sdb_col_dup(st, a, i++);
    g->state = sdb_col_dup(st, a, i++);
    g->category = sdb_col_dup(st, a, i++);
    g->channel = sdb_col_dup(st, a, i++);
    g->language = sdb_col_dup(st, a, i++);
    g->country = sdb_col_dup(st, a, i++);
    g->contact_preference = sdb_col_dup(st, a, i++);
    g->product_id = sdb_col_int(st, i++);
    g->scale = (int)sdb_col_int(st, i++);
    g->scope = (int)sdb_col_int(st, i++);
    g->irremediable = (int)sdb_col_int(st, i++);
    g->urgent = (int)sdb_col_int(st, i++);
    g->vulnerable = (int)sdb_col_int(st, i++);
    g->severity = (int)sdb_col_int(st, i++);
    g->priority = (int)sdb_col_int(st, i++);
    g->assigned_user_id = sdb_col_int(st, i++);
    g->collective_id = sdb_col_int(st, i++);
    g->waiting_on_complainant = (int)sdb_col_int(st, i++);
    g->satisfaction = (int)sdb_col_int(st, i++);
    g->created_at = sdb_col_int(st, i++);
    g->updated_at = sdb_col_int(st, i++);
    g->acknowledged_at = sdb_col_int(st, i++);
    g->closed_at = sdb_col_int(st, i++);
    g->row_version = sdb_col_int(st, i++);
    g->next_due_at = sdb_col_int(st, i++);
    g->next_due_clock = sdb_col_dup(st, a, i++);
    g->previous_handler_id = sdb_col_int(st, i++);
    return (g->reference && g->state && g->category && g->channel && g->language &&
            g->contact_preference) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_list(store_conn *c, core_arena *a, int64_t org_id,
                         const store_grievance_filter *f, store_grievance **out, size_t *n)
{
    store_grievance_filter none;
    if (!f) {
        memset(&none, 0, sizeof none);
        f = &none;
    }
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_list, &st);
    if (rc != CORE_OK)
        return rc;
    int i = 1;
    sdb_int(st, i++, org_id);
    sdb_text(st, i++, f->state);
    sdb_text(st, i++, f->state);
    sdb_int(st, i++, f->open_only ? 1 : 0);
    sdb_text(st, i++, f->category);
    sdb_text(st, i++, f->category);
    sdb_text(st, i++, f->channel);
    sdb_text(st, i++, f->channel);
    sdb_int(st, i++, f->assigned_user_id);
    sdb_int(st, i++, f->assigned_user_id);
    sdb_int(st, i++, f->unassigned ? 1 : 0);
    sdb_int(st, i++, f->collective_id);
    sdb_int(st, i++, f->collective_id);
    sdb_int(st, i++, f->due_before);
    sdb_int(st, i++, f->due_before);
    sdb_int(st, i++, f->hide_recused);
    sdb_int(st, i++, f->limit > 0 ? f->limit : 200);
    sdb_int(st, i++, f->offset > 0 ? f->offset : 0);
    return sdb_fetch_all(st, a, read_list_row, sizeof **out, (void **)out, n);
}

static int read_key_row(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance *g = row;
    memset(g, 0, sizeof *g);
    g->id = sdb_col_int(st, 0);
    g->reference = sdb_col_dup(st, a, 1);
    g->wrapped_key = sdb_col_dup(st, a, 2);
    g->key_version = sdb_col_int(st, 3);
    return (g->reference && g->wrapped_key) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_keys(store_conn *c, core_arena *a, int64_t org_id, store_grievance **out,
                         size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_keys, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    rc = sdb_fetch_all(st, a, read_key_row, sizeof **out, (void **)out, n);
    for (size_t k = 0; rc == CORE_OK && k < *n; k++)
        (*out)[k].org_id = org_id;
    return rc;
}

int store_grievance_set_key(store_conn *c, int64_t org_id, int64_t id, const char *wrapped_key,
                            int64_t key_version)
{
    if (!wrapped_key)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_set_key, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, wrapped_key);
    sdb_int(st, 2, key_version);
    sdb_int(st, 3, org_id);
    sdb_int(st, 4, id);
    return sdb_run(st, 1);
}

int store_grievance_durable(store_conn *c, int full)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, full ? &q_sync_full : &q_sync_normal, &st);
    if (rc != CORE_OK)
        return rc;
    rc = sdb_step(st);
    sdb_finish(st);
    return rc < 0 ? rc : CORE_OK;
}

int store_grievance_product_id(store_conn *c, int64_t org_id, const char *slug, int64_t *id)
{
    if (!slug)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_product_slug, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, slug);
    return sdb_fetch_int(st, id, CORE_NOTFOUND);
}

/* ---- clocks ---- */

int store_grievance_clock_put(store_conn *c, int64_t org_id, const store_grievance_clock *k)
{
    if (!k->kind || !k->case_id)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_clock_put, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, k->kind);
    sdb_int(st, 2, k->started_at);
    sdb_int(st, 3, k->due_at);
    sdb_int(st, 4, k->paused_since);
    sdb_int(st, 5, k->paused_total);
    sdb_int(st, 6, k->extended_by);
    sdb_int(st, 7, k->stopped_at);
    sdb_int(st, 8, org_id);
    sdb_int(st, 9, k->case_id);
    return sdb_run(st, 1);
}

static int read_clock(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance_clock *k = row;
    memset(k, 0, sizeof *k);
    k->case_id = sdb_col_int(st, 0);
    k->kind = sdb_col_dup(st, a, 1);
    k->started_at = sdb_col_int(st, 2);
    k->due_at = sdb_col_int(st, 3);
    k->paused_since = sdb_col_int(st, 4);
    k->paused_total = sdb_col_int(st, 5);
    k->extended_by = sdb_col_int(st, 6);
    k->stopped_at = sdb_col_int(st, 7);
    return k->kind ? CORE_OK : CORE_NOMEM;
}

int store_grievance_clock_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                               store_grievance_clock **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_clock_list, org_id, case_id, a, read_clock, sizeof **out,
                            (void **)out, n);
}

/* ---- events ---- */

int store_grievance_event_add(store_conn *c, store_grievance_event *e)
{
    if (!e->case_id || !e->org_id || !e->kind || !e->actor_kind)
        return CORE_INVALID;
    if (!e->at)
        e->at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_event_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, e->case_id);
    sdb_int(st, 2, e->org_id);
    sdb_int(st, 3, e->at);
    sdb_text(st, 4, e->kind);
    sdb_text(st, 5, e->action);
    sdb_text(st, 6, e->from_state);
    sdb_text(st, 7, e->to_state);
    sdb_text(st, 8, e->actor_kind);
    sdb_id_or_null(st, 9, e->actor_user_id);
    sdb_int(st, 10, e->internal ? 1 : 0);
    sdb_text(st, 11, e->enc_body);
    sdb_text(st, 12, e->public_key);
    sdb_id_or_null(st, 13, e->attachment_id);
    return sdb_fetch_int(st, &e->id, CORE_ERR);
}

static int read_event(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance_event *e = row;
    memset(e, 0, sizeof *e);
    e->id = sdb_col_int(st, 0);
    e->case_id = sdb_col_int(st, 1);
    e->org_id = sdb_col_int(st, 2);
    e->at = sdb_col_int(st, 3);
    e->kind = sdb_col_dup(st, a, 4);
    e->action = sdb_col_dup(st, a, 5);
    e->from_state = sdb_col_dup(st, a, 6);
    e->to_state = sdb_col_dup(st, a, 7);
    e->actor_kind = sdb_col_dup(st, a, 8);
    e->actor_user_id = sdb_col_int(st, 9);
    e->internal = (int)sdb_col_int(st, 10);
    e->enc_body = sdb_col_dup(st, a, 11);
    e->public_key = sdb_col_dup(st, a, 12);
    e->attachment_id = sdb_col_int(st, 13);
    e->actor_name = sdb_col_dup(st, a, 14);
    return (e->kind && e->actor_kind) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_event_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                               int public_only, store_grievance_event **out, size_t *n)
{
    return sdb_fetch_all_by(c, public_only ? &q_event_list_pub : &q_event_list, org_id, case_id, a,
                            read_event, sizeof **out, (void **)out, n);
}

/* ---- recusals ---- */

int store_grievance_recusal_add(store_conn *c, int64_t org_id, int64_t case_id, int64_t user_id,
                                int64_t at, const char *enc_reason)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_recusal_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, user_id);
    sdb_int(st, 2, at ? at : sdb_now());
    sdb_text(st, 3, enc_reason);
    sdb_int(st, 4, org_id);
    sdb_int(st, 5, case_id);
    return sdb_run(st, 1);
}

int store_grievance_recused(store_conn *c, int64_t org_id, int64_t case_id, int64_t user_id,
                            int *yes)
{
    *yes = 0;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_recused, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, case_id);
    sdb_int(st, 3, user_id);
    int64_t n = 0;
    rc = sdb_fetch_int(st, &n, CORE_ERR);
    *yes = n > 0;
    return rc;
}

int store_grievance_recusal_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                 int64_t **user_ids, size_t *n)
{
    return sdb_fetch_all_by(c, &q_recusal_list, org_id, case_id, a, sdb_read_id, sizeof **user_ids,
                            (void **)user_ids, n);
}

/* ---- remedies ---- */

int store_grievance_remedy_add(store_conn *c, store_grievance_remedy *r)
{
    if (!r->case_id || !r->org_id || !r->type || !r->state)
        return CORE_INVALID;
    if (!r->proposed_at)
        r->proposed_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_remedy_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, r->case_id);
    sdb_int(st, 2, r->org_id);
    sdb_text(st, 3, r->type);
    sdb_text(st, 4, r->state);
    sdb_text(st, 5, r->enc_description);
    sdb_id_or_null(st, 6, r->proposed_by);
    sdb_int(st, 7, r->proposed_at);
    return sdb_fetch_int(st, &r->id, CORE_ERR);
}

int store_grievance_remedy_update(store_conn *c, const store_grievance_remedy *r)
{
    if (!r->state)
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_remedy_update, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_text(st, 1, r->state);
    sdb_text(st, 2, r->enc_comment);
    sdb_text(st, 3, r->enc_evidence);
    sdb_int(st, 4, r->decided_at);
    sdb_int(st, 5, r->implemented_at);
    sdb_int(st, 6, r->org_id);
    sdb_int(st, 7, r->id);
    return sdb_run(st, 1);
}

static int read_remedy(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance_remedy *r = row;
    memset(r, 0, sizeof *r);
    r->id = sdb_col_int(st, 0);
    r->case_id = sdb_col_int(st, 1);
    r->org_id = sdb_col_int(st, 2);
    r->type = sdb_col_dup(st, a, 3);
    r->state = sdb_col_dup(st, a, 4);
    r->enc_description = sdb_col_dup(st, a, 5);
    r->enc_comment = sdb_col_dup(st, a, 6);
    r->enc_evidence = sdb_col_dup(st, a, 7);
    r->proposed_by = sdb_col_int(st, 8);
    r->proposed_at = sdb_col_int(st, 9);
    r->decided_at = sdb_col_int(st, 10);
    r->implemented_at = sdb_col_int(st, 11);
    return (r->type && r->state) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_remedy_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                store_grievance_remedy **out, size_t *n)
{
    return sdb_fetch_all_by(c, &q_remedy_list, org_id, case_id, a, read_remedy, sizeof **out,
                            (void **)out, n);
}

/* ---- attachments ---- */

int store_grievance_attachment_add(store_conn *c, store_grievance_attachment *t)
{
    if (!t->case_id || !t->org_id || !t->mime || !t->enc_data || !t->uploaded_by)
        return CORE_INVALID;
    if (!t->created_at)
        t->created_at = sdb_now();
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_att_add, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, t->case_id);
    sdb_int(st, 2, t->org_id);
    sdb_id_or_null(st, 3, t->event_id);
    sdb_text(st, 4, t->mime);
    sdb_int(st, 5, t->size);
    sdb_text(st, 6, t->enc_name);
    sdb_text(st, 7, t->enc_data);
    sdb_text(st, 8, t->uploaded_by);
    sdb_int(st, 9, t->internal ? 1 : 0);
    sdb_int(st, 10, t->created_at);
    return sdb_fetch_int(st, &t->id, CORE_ERR);
}

int store_grievance_attachment_set_event(store_conn *c, int64_t org_id, int64_t id, int64_t event_id)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_att_set_event, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_id_or_null(st, 1, event_id);
    sdb_int(st, 2, org_id);
    sdb_int(st, 3, id);
    return sdb_run(st, 1);
}

static int read_att(sdb_stmt *st, core_arena *a, void *row)
{
    store_grievance_attachment *t = row;
    memset(t, 0, sizeof *t);
    t->id = sdb_col_int(st, 0);
    t->case_id = sdb_col_int(st, 1);
    t->org_id = sdb_col_int(st, 2);
    t->event_id = sdb_col_int(st, 3);
    t->mime = sdb_col_dup(st, a, 4);
    t->size = sdb_col_int(st, 5);
    t->enc_name = sdb_col_dup(st, a, 6);
    t->uploaded_by = sdb_col_dup(st, a, 7);
    t->internal = (int)sdb_col_int(st, 8);
    t->created_at = sdb_col_int(st, 9);
    t->enc_data = sdb_col_dup(st, a, 10);
    return (t->mime && t->uploaded_by) ? CORE_OK : CORE_NOMEM;
}

int store_grievance_attachment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                   int64_t id, store_grievance_attachment *out)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_att_get, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, case_id);
    sdb_int(st, 3, id);
    return sdb_fetch_one(st, a, read_att, out);
}

int store_grievance_attachment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                                    int public_only, store_grievance_attachment **out, size_t *n)
{
    return sdb_fetch_all_by(c, public_only ? &q_att_list_pub : &q_att_list, org_id, case_id, a,
                            read_att, sizeof **out, (void **)out, n);
}

int store_grievance_attachment_count(store_conn *c, int64_t org_id, int64_t case_id, int64_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_att_count, &st);
    if (rc != CORE_OK)
        return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, case_id);
    return sdb_fetch_int(st, n, CORE_ERR);
}
