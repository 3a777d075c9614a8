/* schema_as: the tables of migration step 6, the assessment engine:
 * methodology versions, assessed entities, assessments, answers (issue 6).
 * AS_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 *
 * Every table carries org_id and every reference between assessment records
 * is a composite foreign key (org_id, x_id) -> parent(org_id, id), so no row
 * can point into another organisation. A methodology version keeps its YAML
 * source: assessments keep the exact version they were answered against.
 * The two-person rule of the review is repeated as a CHECK (the reviewer and
 * the finaliser are never the same user). Answers are unique per
 * (assessment, element, level) and go with their assessment (ON DELETE
 * CASCADE).
 */
#ifndef HRDD_STORE_SCHEMA_AS_H
#define HRDD_STORE_SCHEMA_AS_H

#define AS_TABLES(pk)                                                                       \
    "CREATE TABLE as_methodologies ("                                                       \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " slug TEXT NOT NULL,"                                                                  \
    " version TEXT NOT NULL,"                                                               \
    " name TEXT NOT NULL,"                                                                  \
    " source_format TEXT NOT NULL CHECK (source_format IN ('yaml','json')),"                \
    " source TEXT NOT NULL,"                                                                \
    " created_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, slug, version),"                                                      \
    " UNIQUE (org_id, id));"                                                                \
    "CREATE TABLE as_entities ("                                                            \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " kind TEXT NOT NULL CHECK (kind IN ('company','mechanism','proposal','supplier')),"    \
    " slug TEXT NOT NULL,"                                                                  \
    " name TEXT NOT NULL,"                                                                  \
    " attributes TEXT NOT NULL DEFAULT '{}',"                                               \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, slug),"                                                               \
    " UNIQUE (org_id, id));"                                                                \
    "CREATE INDEX as_entities_list ON as_entities(org_id, name, id);"                       \
    "CREATE TABLE as_assessments ("                                                         \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " entity_id BIGINT NOT NULL,"                                                           \
    " methodology_id BIGINT NOT NULL,"                                                      \
    " period TEXT NOT NULL,"                                                                \
    " status TEXT NOT NULL CHECK (status IN ('answered','reviewed','final')),"              \
    " summary TEXT,"                                                                        \
    " created_by BIGINT REFERENCES users(id),"                                              \
    " reviewed_by BIGINT REFERENCES users(id),"                                             \
    " reviewed_at BIGINT NOT NULL DEFAULT 0,"                                               \
    " finalised_by BIGINT REFERENCES users(id),"                                            \
    " finalised_at BIGINT NOT NULL DEFAULT 0,"                                              \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " CHECK (reviewed_by IS NULL OR finalised_by IS NULL OR reviewed_by <> finalised_by),"  \
    " UNIQUE (entity_id, methodology_id, period),"                                          \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, entity_id) REFERENCES as_entities(org_id, id),"                  \
    " FOREIGN KEY (org_id, methodology_id) REFERENCES as_methodologies(org_id, id));"       \
    "CREATE INDEX as_assessments_list ON as_assessments(org_id, entity_id, period, id);"    \
    "CREATE INDEX as_assessments_meth ON as_assessments(org_id, methodology_id);"           \
    "CREATE TABLE as_answers ("                                                             \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " assessment_id BIGINT NOT NULL,"                                                       \
    " element TEXT NOT NULL,"                                                               \
    " level TEXT NOT NULL,"                                                                 \
    " value TEXT NOT NULL,"                                                                 \
    " evidence_url TEXT,"                                                                   \
    " evidence_quote TEXT,"                                                                 \
    " evidence_document TEXT,"                                                              \
    " note TEXT,"                                                                           \
    " answered_by BIGINT REFERENCES users(id),"                                             \
    " updated_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (assessment_id, element, level),"                                              \
    " FOREIGN KEY (org_id, assessment_id) REFERENCES as_assessments(org_id, id)"            \
    "  ON DELETE CASCADE);"

#endif
