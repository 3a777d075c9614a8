/* schema_tr: the tables of migration step 5, transparency (issue 5).
 * TR_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 *
 * - tr_seen: one row per statement of reasons already counted for an org
 *   (its uuid, or "platform\x1fpuid" when a statement has no uuid), so that
 *   ingesting the same rows again adds nothing (idempotent re-ingest).
 * - tr_agg: per-day aggregates. The key is the statement's day (of its
 *   application_date, else created_at), platform, decision ground, category,
 *   source type, automated detection (0/1) and automated decision, plus one
 *   (dim, value) pair: dim 'total' (value '') counts statements; 'keyword',
 *   'restriction', 'kw_restriction' ("KEYWORD|DECISION_..."), 'content_type'
 *   and 'territorial_scope' count each value of the row's array once (an
 *   empty array counts once under ''). Reports over any period sum these
 *   rows and never rescan raw data.
 * - tr_statements: the rows themselves, only with `--keep-rows` (the
 *   columns the reports use; free-text columns are not kept).
 * - tr_ingests: one row per ingest run (source name, counts, status), for the
 *   staff page.
 * - tr_gov_requests: government requests for user data ('user_data') and
 *   removal demands ('removal') per period, country, authority type and legal
 *   process; complied_bp is the share of requests where some data was produced
 *   or some action taken, in basis points (0..10000).
 */
#ifndef HRDD_STORE_SCHEMA_TR_H
#define HRDD_STORE_SCHEMA_TR_H

#define TR_TABLES(pk)                                                                     \
    "CREATE TABLE tr_seen ("                                                              \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " sid TEXT NOT NULL,"                                                                 \
    " PRIMARY KEY (org_id, sid));"                                                        \
    "CREATE TABLE tr_agg ("                                                               \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " day TEXT NOT NULL,"                                                                 \
    " platform TEXT NOT NULL,"                                                            \
    " ground TEXT NOT NULL,"                                                              \
    " category TEXT NOT NULL,"                                                            \
    " source TEXT NOT NULL,"                                                              \
    " auto_detect INTEGER NOT NULL,"                                                      \
    " auto_decision TEXT NOT NULL,"                                                       \
    " dim TEXT NOT NULL,"                                                                 \
    " value TEXT NOT NULL,"                                                               \
    " n BIGINT NOT NULL,"                                                                 \
    " PRIMARY KEY (org_id, day, platform, ground, category, source, auto_detect,"         \
    "  auto_decision, dim, value));"                                                      \
    "CREATE INDEX tr_agg_dim ON tr_agg(org_id, dim, day);"                                \
    "CREATE TABLE tr_statements ("                                                        \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " sid TEXT NOT NULL,"                                                                 \
    " day TEXT NOT NULL,"                                                                 \
    " platform TEXT NOT NULL,"                                                            \
    " platform_uid TEXT NOT NULL DEFAULT '',"                                             \
    " ground TEXT NOT NULL,"                                                              \
    " category TEXT NOT NULL,"                                                            \
    " keywords TEXT NOT NULL DEFAULT '',"                                                 \
    " restrictions TEXT NOT NULL DEFAULT '',"                                             \
    " content_type TEXT NOT NULL DEFAULT '',"                                             \
    " territorial_scope TEXT NOT NULL DEFAULT '',"                                        \
    " source TEXT NOT NULL,"                                                              \
    " auto_detect INTEGER NOT NULL,"                                                      \
    " auto_decision TEXT NOT NULL,"                                                       \
    " created_at TEXT NOT NULL DEFAULT '',"                                               \
    " PRIMARY KEY (org_id, sid));"                                                        \
    "CREATE TABLE tr_ingests ("                                                           \
    " id " pk ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " source TEXT NOT NULL,"                                                              \
    " started_at BIGINT NOT NULL,"                                                        \
    " finished_at BIGINT NOT NULL DEFAULT 0,"                                             \
    " rows_read BIGINT NOT NULL DEFAULT 0,"                                               \
    " rows_new BIGINT NOT NULL DEFAULT 0,"                                                \
    " rows_duplicate BIGINT NOT NULL DEFAULT 0,"                                          \
    " rows_rejected BIGINT NOT NULL DEFAULT 0,"                                           \
    " status TEXT NOT NULL CHECK (status IN ('running','done','partial','failed')));"   \
    "CREATE INDEX tr_ingests_org ON tr_ingests(org_id, id);"                              \
    "CREATE TABLE tr_gov_requests ("                                                      \
    " id " pk ","                                                                         \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                        \
    " kind TEXT NOT NULL CHECK (kind IN ('user_data','removal')),"                        \
    " period_start TEXT NOT NULL,"                                                        \
    " period_end TEXT NOT NULL,"                                                          \
    " country TEXT NOT NULL,"                                                             \
    " authority_type TEXT NOT NULL,"                                                      \
    " legal_process TEXT NOT NULL,"                                                       \
    " requests BIGINT NOT NULL,"                                                          \
    " accounts BIGINT NOT NULL,"                                                          \
    " complied_bp BIGINT NOT NULL,"                                                       \
    " updated_at BIGINT NOT NULL,"                                                        \
    " UNIQUE (org_id, kind, period_start, period_end, country, authority_type,"          \
    "  legal_process));"

#endif
