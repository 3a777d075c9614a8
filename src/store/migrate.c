/* migrate: numbered schema steps, per engine where the SQL differs.
 *
 * schema_version holds one row per applied step (version, applied_at); the
 * current version is the highest. Each step runs in its own transaction with
 * the row that records it, so a failed step leaves the previous version.
 * On PostgreSQL an advisory lock keeps two migrating processes apart; on
 * SQLite BEGIN IMMEDIATE does. Times are BIGINT unix seconds, strings TEXT.
 * audit_log is append-only: triggers refuse UPDATE and DELETE (tests that
 * tamper on purpose drop the triggers first over a raw connection).
 */
#include <stdlib.h>
#include <string.h>

#include "store/store_db.h"
#include "store/schema_dd.h"
#include "store/schema_tr.h"
#include "store/schema_as.h"

typedef struct step {
    int version;
    const char *sqlite;
    const char *pg;
} step;

#define COMMON_TABLES(ID, REF)                                                              \
    "CREATE TABLE memberships ("                                                          \
    " org_id BIGINT NOT NULL REFERENCES orgs(id) ON DELETE CASCADE,"                      \
    " user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"                    \
    " role TEXT NOT NULL,"                                                                \
    " PRIMARY KEY (org_id, user_id));"                                                    \
    "CREATE INDEX memberships_user ON memberships(user_id);"                              \
    "CREATE TABLE sessions ("                                                             \
    " id_hash TEXT PRIMARY KEY,"                                                          \
    " user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,"                    \
    " org_id BIGINT REFERENCES orgs(id) ON DELETE SET NULL,"                              \
    " csrf_token TEXT NOT NULL,"                                                          \
    " totp_pending INTEGER NOT NULL DEFAULT 0,"                                           \
    " created_at BIGINT NOT NULL,"                                                        \
    " last_seen_at BIGINT NOT NULL);"                                                     \
    "CREATE INDEX sessions_user ON sessions(user_id);"                                    \
    "CREATE TABLE api_tokens ("                                                           \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " user_id BIGINT NOT NULL REFERENCES users(id),"                                      \
    " name TEXT NOT NULL,"                                                                \
    " token_hash TEXT NOT NULL UNIQUE,"                                                   \
    " scopes TEXT NOT NULL,"                                                              \
    " created_at BIGINT NOT NULL,"                                                        \
    " expires_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " revoked_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " last_used_at BIGINT NOT NULL DEFAULT 0);"                                           \
    "CREATE INDEX api_tokens_org ON api_tokens(org_id, id);"                              \
    "CREATE TABLE products ("                                                             \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " slug TEXT NOT NULL,"                                                                \
    " name TEXT NOT NULL,"                                                                \
    " kind TEXT NOT NULL CHECK (kind IN ('product','service','feature')),"                \
    " description TEXT,"                                                                  \
    " created_at BIGINT NOT NULL,"                                                        \
    " UNIQUE (org_id, slug));"                                                            \
    "CREATE TABLE audit_log ("                                                            \
    " seq " REF ","                                                                       \
    " at BIGINT NOT NULL,"                                                                \
    " org_id BIGINT NOT NULL DEFAULT 0,"                                                  \
    " actor_user_id BIGINT NOT NULL DEFAULT 0,"                                           \
    " actor TEXT NOT NULL,"                                                               \
    " object_type TEXT NOT NULL,"                                                         \
    " object_id TEXT NOT NULL,"                                                           \
    " action TEXT NOT NULL,"                                                              \
    " before_digest TEXT,"                                                                \
    " after_digest TEXT,"                                                                 \
    " prev_hash TEXT NOT NULL,"                                                           \
    " hash TEXT NOT NULL);"                                                               \
    "CREATE INDEX audit_log_org ON audit_log(org_id, seq);"                               \
    "CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);"

#define ORGS_USERS(ID)                                                                    \
    "CREATE TABLE orgs ("                                                                 \
    " id " ID ","                                                                         \
    " slug TEXT NOT NULL UNIQUE,"                                                         \
    " name TEXT NOT NULL,"                                                                \
    " kind TEXT NOT NULL CHECK (kind IN ('company','sector_body')),"                      \
    " parent_id BIGINT REFERENCES orgs(id),"                                              \
    " description TEXT,"                                                                  \
    " created_at BIGINT NOT NULL);"                                                       \
    "CREATE INDEX orgs_parent ON orgs(parent_id);"                                        \
    "CREATE TABLE users ("                                                                \
    " id " ID ","                                                                         \
    " email TEXT NOT NULL UNIQUE,"                                                        \
    " display_name TEXT NOT NULL,"                                                        \
    " pw_hash TEXT NOT NULL,"                                                             \
    " totp_secret TEXT,"                                                                  \
    " disabled INTEGER NOT NULL DEFAULT 0,"                                               \
    " failed_logins INTEGER NOT NULL DEFAULT 0,"                                          \
    " locked_until BIGINT NOT NULL DEFAULT 0,"                                            \
    " created_at BIGINT NOT NULL,"                                                        \
    " last_login_at BIGINT NOT NULL DEFAULT 0);"

/* Step 2 (issue 3): the grievance mechanism. Every enc_* column holds
 * base64(nonce || XChaCha20-Poly1305 ciphertext) written by src/remedy; no
 * clear narrative, contact detail, message, note or file is ever stored. */
#define GRIEVANCE_TABLES(ID)                                                              \
    "CREATE TABLE collective_cases ("                                                     \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " title TEXT NOT NULL,"                                                               \
    " enc_description TEXT,"                                                              \
    " wrapped_key TEXT NOT NULL,"                                                         \
    " key_version BIGINT NOT NULL,"                                                       \
    " created_at BIGINT NOT NULL,"                                                        \
    " updated_at BIGINT NOT NULL);"                                                       \
    "CREATE INDEX collective_cases_org ON collective_cases(org_id, id);"                  \
    "CREATE TABLE grievances ("                                                           \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " reference TEXT NOT NULL UNIQUE,"                                                    \
    " receipt_hash TEXT NOT NULL UNIQUE,"                                                 \
    " state TEXT NOT NULL,"                                                               \
    " category TEXT NOT NULL,"                                                            \
    " channel TEXT NOT NULL,"                                                             \
    " language TEXT NOT NULL,"                                                            \
    " country TEXT,"                                                                      \
    " incident_date TEXT,"                                                                \
    " decision_date TEXT,"                                                                \
    " affected TEXT,"                                                                     \
    " affected_count BIGINT NOT NULL DEFAULT 0,"                                          \
    " contact_preference TEXT NOT NULL"                                                   \
    "  CHECK (contact_preference IN ('anonymous','confidential','named')),"              \
    " product_id BIGINT REFERENCES products(id),"                                         \
    " enc_narrative TEXT NOT NULL,"                                                       \
    " enc_product_text TEXT,"                                                             \
    " enc_rights_text TEXT,"                                                              \
    " enc_vulnerable_group TEXT,"                                                         \
    " enc_outcome_sought TEXT,"                                                           \
    " enc_contact_name TEXT,"                                                             \
    " enc_contact_email TEXT,"                                                            \
    " enc_contact_phone TEXT,"                                                            \
    " enc_partner TEXT,"                                                                  \
    " enc_rating_comment TEXT,"                                                           \
    " wrapped_key TEXT NOT NULL,"                                                         \
    " key_version BIGINT NOT NULL,"                                                       \
    " scale INTEGER NOT NULL DEFAULT 0,"                                                  \
    " scope INTEGER NOT NULL DEFAULT 0,"                                                  \
    " irremediable INTEGER NOT NULL DEFAULT 0,"                                           \
    " urgent INTEGER NOT NULL DEFAULT 0,"                                                 \
    " vulnerable INTEGER NOT NULL DEFAULT 0,"                                             \
    " severity INTEGER NOT NULL DEFAULT 0,"                                               \
    " priority INTEGER NOT NULL DEFAULT 3,"                                               \
    " assigned_user_id BIGINT REFERENCES users(id),"                                      \
    " previous_handler_id BIGINT REFERENCES users(id),"                                   \
    " last_handler_id BIGINT REFERENCES users(id),"                                       \
    " collective_id BIGINT REFERENCES collective_cases(id),"                              \
    " waiting_on_complainant INTEGER NOT NULL DEFAULT 0,"                                 \
    " satisfaction INTEGER NOT NULL DEFAULT 0,"                                           \
    " created_at BIGINT NOT NULL,"                                                        \
    " updated_at BIGINT NOT NULL,"                                                        \
    " acknowledged_at BIGINT NOT NULL DEFAULT 0,"                                         \
    " closed_at BIGINT NOT NULL DEFAULT 0,"                                               \
    " row_version BIGINT NOT NULL DEFAULT 1);"                                            \
    "CREATE INDEX grievances_queue ON grievances(org_id, state, priority);"               \
    "CREATE INDEX grievances_assigned ON grievances(org_id, assigned_user_id);"           \
    "CREATE INDEX grievances_collective ON grievances(org_id, collective_id);"            \
    "CREATE TABLE grievance_clocks ("                                                     \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " kind TEXT NOT NULL,"                                                                \
    " started_at BIGINT NOT NULL,"                                                        \
    " due_at BIGINT NOT NULL,"                                                            \
    " paused_since BIGINT NOT NULL DEFAULT 0,"                                            \
    " paused_total BIGINT NOT NULL DEFAULT 0,"                                            \
    " extended_by BIGINT NOT NULL DEFAULT 0,"                                             \
    " stopped_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " PRIMARY KEY (case_id, kind));"                                                      \
    "CREATE INDEX grievance_clocks_due ON grievance_clocks(org_id, stopped_at, due_at);"  \
    "CREATE TABLE grievance_events ("                                                     \
    " id " ID ","                                                                         \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " at BIGINT NOT NULL,"                                                                \
    " kind TEXT NOT NULL,"                                                                \
    " action TEXT,"                                                                       \
    " from_state TEXT,"                                                                   \
    " to_state TEXT,"                                                                     \
    " actor_kind TEXT NOT NULL CHECK (actor_kind IN ('staff','complainant','system')),"   \
    " actor_user_id BIGINT REFERENCES users(id),"                                         \
    " internal INTEGER NOT NULL DEFAULT 0,"                                               \
    " enc_body TEXT,"                                                                     \
    " public_key TEXT,"                                                                   \
    " attachment_id BIGINT);"                                                             \
    "CREATE INDEX grievance_events_case ON grievance_events(case_id, id);"                \
    "CREATE TABLE grievance_recusals ("                                                   \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " user_id BIGINT NOT NULL REFERENCES users(id),"                                      \
    " at BIGINT NOT NULL,"                                                                \
    " enc_reason TEXT,"                                                                   \
    " PRIMARY KEY (case_id, user_id));"                                                   \
    "CREATE TABLE grievance_remedies ("                                                   \
    " id " ID ","                                                                         \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " type TEXT NOT NULL,"                                                                \
    " state TEXT NOT NULL"                                                                \
    "  CHECK (state IN ('proposed','accepted','rejected','implemented')),"               \
    " enc_description TEXT,"                                                              \
    " enc_comment TEXT,"                                                                  \
    " enc_evidence TEXT,"                                                                 \
    " proposed_by BIGINT REFERENCES users(id),"                                           \
    " proposed_at BIGINT NOT NULL,"                                                       \
    " decided_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " implemented_at BIGINT NOT NULL DEFAULT 0);"                                         \
    "CREATE INDEX grievance_remedies_case ON grievance_remedies(case_id, id);"            \
    "CREATE TABLE grievance_attachments ("                                                \
    " id " ID ","                                                                         \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " event_id BIGINT,"                                                                   \
    " mime TEXT NOT NULL,"                                                                \
    " size BIGINT NOT NULL,"                                                              \
    " enc_name TEXT,"                                                                     \
    " enc_data TEXT NOT NULL,"                                                            \
    " uploaded_by TEXT NOT NULL CHECK (uploaded_by IN ('complainant','staff')),"          \
    " internal INTEGER NOT NULL DEFAULT 0,"                                               \
    " created_at BIGINT NOT NULL);"                                                       \
    "CREATE INDEX grievance_attachments_case ON grievance_attachments(case_id, id);"      \
    "CREATE TABLE grievance_policies ("                                                   \
    " org_id BIGINT PRIMARY KEY REFERENCES orgs(id),"                                     \
    " ack_days INTEGER NOT NULL,"                                                         \
    " feedback_days INTEGER NOT NULL,"                                                    \
    " moderation_window_days INTEGER NOT NULL,"                                           \
    " dsr_days INTEGER NOT NULL,"                                                         \
    " dsr_extension_days INTEGER NOT NULL,"                                               \
    " due_soon_days INTEGER NOT NULL,"                                                    \
    " updated_at BIGINT NOT NULL);"

/* Step 3 (issue 3, ecosystem): the directory of external mechanisms (org_id 0
 * = the installation-wide shared directory, so no foreign key on it),
 * referrals of cases to them and parallel proceedings (consent and outcome
 * encrypted by src/remedy under the case key), and the record of time-limit
 * notifications already sent (one per case, clock, status and due date). */
#define ECOSYSTEM_TABLES(ID)                                                              \
    "CREATE TABLE mechanisms ("                                                           \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL DEFAULT 0,"                                                  \
    " slug TEXT NOT NULL,"                                                                \
    " kind TEXT NOT NULL CHECK (kind IN ('judicial','state_non_judicial','non_state')),"  \
    " subkind TEXT NOT NULL,"                                                             \
    " name TEXT NOT NULL,"                                                                \
    " jurisdictions TEXT NOT NULL,"                                                       \
    " subjects TEXT NOT NULL,"                                                            \
    " languages TEXT NOT NULL DEFAULT '',"                                                \
    " email TEXT,"                                                                        \
    " phone TEXT,"                                                                        \
    " address TEXT,"                                                                      \
    " website TEXT,"                                                                      \
    " intake_url TEXT,"                                                                   \
    " time_limit_text TEXT,"                                                              \
    " last_verified TEXT,"                                                                \
    " source TEXT,"                                                                       \
    " created_at BIGINT NOT NULL,"                                                        \
    " updated_at BIGINT NOT NULL,"                                                        \
    " UNIQUE (org_id, slug));"                                                            \
    "CREATE TABLE grievance_referrals ("                                                  \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " mechanism_id BIGINT NOT NULL REFERENCES mechanisms(id),"                            \
    " kind TEXT NOT NULL CHECK (kind IN ('referral','escalation','parallel')),"           \
    " consent_given INTEGER NOT NULL DEFAULT 0,"                                          \
    " consent_contact INTEGER NOT NULL DEFAULT 0,"                                        \
    " enc_consent_text TEXT,"                                                             \
    " consent_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " state TEXT NOT NULL"                                                                \
    "  CHECK (state IN ('proposed','sent','acknowledged','decided','closed')),"          \
    " enc_outcome TEXT,"                                                                  \
    " created_at BIGINT NOT NULL,"                                                        \
    " updated_at BIGINT NOT NULL);"                                                       \
    "CREATE INDEX grievance_referrals_case ON grievance_referrals(org_id, case_id, id);"   \
    "CREATE TABLE sla_notifications ("                                                    \
    " id " ID ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " case_id BIGINT NOT NULL REFERENCES grievances(id),"                                 \
    " clock TEXT NOT NULL,"                                                               \
    " status TEXT NOT NULL,"                                                              \
    " due_at BIGINT NOT NULL,"                                                            \
    " notified_at BIGINT NOT NULL,"                                                       \
    " recipients INTEGER NOT NULL DEFAULT 0,"                                             \
    " UNIQUE (org_id, case_id, clock, status, due_at));"

static const step steps[] = {
    {1,
     ORGS_USERS("INTEGER PRIMARY KEY")
     COMMON_TABLES("INTEGER PRIMARY KEY", "INTEGER PRIMARY KEY")
     "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;"
     "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log"
     " BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;",
     ORGS_USERS("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
     COMMON_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY", "BIGINT PRIMARY KEY")
     "CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS"
     " $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$;"
     "CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log"
     " FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();"
     "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log"
     " FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();"},
    {2,
     GRIEVANCE_TABLES("INTEGER PRIMARY KEY"),
     GRIEVANCE_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
    {3,
     ECOSYSTEM_TABLES("INTEGER PRIMARY KEY"),
     ECOSYSTEM_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
    {4,   /* due diligence register (schema_dd.h) */
     DD_TABLES("INTEGER PRIMARY KEY"),
     DD_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
    {5,   /* transparency: statements of reasons, aggregates, government requests (schema_tr.h) */
     TR_TABLES("INTEGER PRIMARY KEY"),
     TR_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
    {6,   /* assessment engine: methodologies, assessments, answers (schema_as.h) */
     AS_TABLES("INTEGER PRIMARY KEY"),
     AS_TABLES("BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY")},
};

static const char create_version_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)";

static const sdb_sql q_exists = {Q_SCHEMA_EXISTS, "schema_exists",
    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'",
    "SELECT count(*) FROM information_schema.tables"
    " WHERE table_schema = current_schema() AND table_name = 'schema_version'"};
static const sdb_sql q_version = {Q_SCHEMA_VERSION, "schema_version",
    "SELECT COALESCE(MAX(version), 0) FROM schema_version", NULL};
static const sdb_sql q_mark = {Q_SCHEMA_MARK, "schema_mark",
    "INSERT INTO schema_version (version, applied_at) VALUES (?, ?)", NULL};
static const sdb_sql q_lock = {Q_MIGRATE_LOCK, "migrate_lock",
    "SELECT 1", "SELECT pg_advisory_xact_lock(7268201)"};

static int one_int(store_conn *c, const sdb_sql *q, int64_t *v)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, q, &st);
    if (rc != CORE_OK)
        return rc;
    rc = sdb_step(st);
    if (rc == SDB_ROW) {
        *v = sdb_col_int(st, 0);
        rc = CORE_OK;
    } else if (rc == SDB_DONE) {
        rc = CORE_NOTFOUND;
    }
    sdb_finish(st);
    return rc;
}

static int read_version(store_conn *c, int *version)
{
    int64_t n = 0, v = 0;
    int rc = one_int(c, &q_exists, &n);
    if (rc != CORE_OK)
        return rc;
    if (n == 0) {
        *version = 0;
        return CORE_OK;
    }
    rc = one_int(c, &q_version, &v);
    if (rc == CORE_OK)
        *version = (int)v;
    return rc;
}

int store_schema_version(store *s, int *version)
{
    store_conn *c;
    int rc = store_acquire(s, &c);
    if (rc != CORE_OK)
        return rc;
    rc = read_version(c, version);
    store_release(s, c);
    return rc;
}

int store_check_schema(store *s)
{
    int v = 0;
    int rc = store_schema_version(s, &v);
    if (rc != CORE_OK)
        return rc;
    if (v > STORE_SCHEMA_VERSION)
        return CORE_SCHEMA_NEWER;
    return v == STORE_SCHEMA_VERSION ? CORE_OK : CORE_INVALID;
}

/* Applies one step if the database (read under the lock) still needs it. */
static int apply_step(store_conn *c, const step *sp, int *now_version)
{
    int rc = store_begin(c);
    if (rc != CORE_OK)
        return rc;
    sdb_stmt *st;
    int64_t dummy;
    rc = one_int(c, &q_lock, &dummy);
    if (rc == CORE_OK)
        rc = c->drv->exec(c, create_version_sql);
    int v = 0;
    if (rc == CORE_OK)
        rc = read_version(c, &v);
    if (rc == CORE_OK && v > STORE_SCHEMA_VERSION)
        rc = CORE_SCHEMA_NEWER;
    if (rc == CORE_OK && v >= sp->version) {
        *now_version = v;
        return store_rollback(c);
    }
    if (rc == CORE_OK && v != sp->version - 1)
        rc = CORE_ERR;
    if (rc == CORE_OK)
        rc = c->drv->exec(c, c->engine == SDB_PG ? sp->pg : sp->sqlite);
    if (rc == CORE_OK && (rc = sdb_prep(c, &q_mark, &st)) == CORE_OK) {
        sdb_int(st, 1, sp->version);
        sdb_int(st, 2, sdb_now());
        rc = sdb_run(st, 0);
    }
    if (rc == CORE_OK)
        rc = store_commit(c);
    else
        store_rollback(c);
    if (rc == CORE_OK)
        *now_version = sp->version;
    return rc;
}

int store_migrate(store *s, int *from_version, int *to_version)
{
    store_conn *c;
    int rc = store_acquire(s, &c);
    if (rc != CORE_OK)
        return rc;
    int v = 0;
    rc = read_version(c, &v);
    if (rc == CORE_OK && from_version)
        *from_version = v;
    if (rc == CORE_OK && v > STORE_SCHEMA_VERSION)
        rc = CORE_SCHEMA_NEWER;
    for (size_t i = 0; rc == CORE_OK && i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i].version > v)
            rc = apply_step(c, &steps[i], &v);
    if (rc == CORE_OK && to_version)
        *to_version = v;
    store_release(s, c);
    return rc;
}
