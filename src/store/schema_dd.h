/* schema_dd: the tables of migration step 4, the due diligence register (issue 4).
 * DD_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 *
 * Every table carries org_id, and every reference between register records
 * is a composite foreign key (org_id, x_id) -> parent(org_id, id): a row can
 * never point at another organisation's record, even if a repository check
 * were skipped. The same holds for the grievance catalogue's products and for
 * cases (unique indexes on (org_id, id) make them valid parent keys). Optional
 * references are NULL (the structs' 0). CHECK constraints repeat the
 * vocabularies of src/dd and the header store_dd.h and the rubric ranges as a
 * second line of defence behind the register service's validation. Doubles
 * are DOUBLE PRECISION (REAL affinity on SQLite): stored bit for bit.
 * Indexes follow the lists: each starts with org_id and then the filter and
 * the order of its list.
 */
#ifndef HRDD_STORE_SCHEMA_DD_H
#define HRDD_STORE_SCHEMA_DD_H

#define DD_B01(col) " " col " INTEGER NOT NULL DEFAULT 0 CHECK (" col " IN (0, 1)),"
#define DD_FUNCTIONS "('product','engineering','trust_and_safety','legal','sales','procurement'," \
                     "'human_rights','other')"

#define DD_TABLES(pk)                                                                       \
    "CREATE UNIQUE INDEX products_org_key ON products(org_id, id);"                          \
    "CREATE UNIQUE INDEX grievances_org_key ON grievances(org_id, id);"                      \
    "CREATE TABLE dd_policies ("                                                            \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " version BIGINT NOT NULL CHECK (version >= 1),"                                        \
    " title TEXT NOT NULL,"                                                                 \
    " body_md TEXT NOT NULL,"                                                               \
    " scope_rights TEXT NOT NULL DEFAULT '',"                                               \
    DD_B01("own_operations") DD_B01("business_partners") DD_B01("end_use")                  \
    " status TEXT NOT NULL CHECK (status IN ('draft','approved','superseded')),"            \
    " created_by BIGINT REFERENCES users(id),"                                              \
    " created_at BIGINT NOT NULL,"                                                          \
    " approved_by BIGINT REFERENCES users(id),"                                             \
    " approved_at BIGINT NOT NULL DEFAULT 0,"                                               \
    " approved_role TEXT CHECK (approved_role IN ('hr_lead','admin')),"                     \
    " UNIQUE (org_id, version),"                                                            \
    " UNIQUE (org_id, id));"                                                                \
    "CREATE TABLE dd_policy_comms ("                                                        \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " policy_id BIGINT NOT NULL,"                                                           \
    " day BIGINT NOT NULL,"                                                                 \
    " channel TEXT NOT NULL CHECK (channel IN"                                              \
    "  ('website','intranet','training','supplier_code','email','other')),"                 \
    " audience TEXT NOT NULL CHECK (audience IN"                                            \
    "  ('staff','business_partners','users','public','investors','other')),"                \
    " note TEXT,"                                                                           \
    " created_at BIGINT NOT NULL,"                                                          \
    " FOREIGN KEY (org_id, policy_id) REFERENCES dd_policies(org_id, id));"                 \
    "CREATE INDEX dd_policy_comms_list ON dd_policy_comms(org_id, policy_id, day);"         \
    "CREATE TABLE dd_policy_links ("                                                        \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " policy_id BIGINT NOT NULL,"                                                           \
    " title TEXT NOT NULL,"                                                                 \
    " url TEXT,"                                                                            \
    " function TEXT CHECK (function IN " DD_FUNCTIONS "),"                                  \
    " FOREIGN KEY (org_id, policy_id) REFERENCES dd_policies(org_id, id));"                 \
    "CREATE INDEX dd_policy_links_list ON dd_policy_links(org_id, policy_id, id);"          \
    "CREATE TABLE dd_scopes ("                                                              \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " slug TEXT NOT NULL,"                                                                  \
    " kind TEXT NOT NULL CHECK (kind IN ('product','service','feature','customer',"         \
    "  'end_user','state_agency','supplier','partner','investee')),"                        \
    " name TEXT NOT NULL,"                                                                  \
    " description TEXT,"                                                                    \
    " phase TEXT NOT NULL CHECK (phase IN ('design','development','marketing',"             \
    "  'sale_or_licensing','deployment','use')),"                                           \
    " countries TEXT NOT NULL DEFAULT '',"                                                  \
    " markers TEXT NOT NULL DEFAULT '',"                                                    \
    " product_id BIGINT,"                                                                   \
    " parent_id BIGINT,"                                                                    \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, slug),"                                                               \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, product_id) REFERENCES products(org_id, id),"                    \
    " FOREIGN KEY (org_id, parent_id) REFERENCES dd_scopes(org_id, id));"                   \
    "CREATE INDEX dd_scopes_list ON dd_scopes(org_id, name);"                               \
    "CREATE TABLE dd_impacts ("                                                             \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " scope_id BIGINT NOT NULL,"                                                            \
    " title TEXT NOT NULL,"                                                                 \
    " description TEXT,"                                                                    \
    " status TEXT NOT NULL CHECK (status IN ('potential','possibly_actual','actual')),"     \
    " rights TEXT NOT NULL CHECK (rights <> ''),"                                           \
    " affected_groups TEXT,"                                                                \
    " vulnerable_groups TEXT,"                                                              \
    " countries TEXT NOT NULL DEFAULT '',"                                                  \
    " involvement TEXT NOT NULL CHECK (involvement IN"                                      \
    "  ('cause','contribute','directly_linked')),"                                          \
    DD_B01("business_model")                                                                \
    " scale INTEGER NOT NULL CHECK (scale BETWEEN 1 AND 5),"                                \
    " scope INTEGER NOT NULL CHECK (scope BETWEEN 1 AND 5),"                                \
    " irremediable INTEGER NOT NULL CHECK (irremediable BETWEEN 1 AND 5),"                  \
    " likelihood INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5"                        \
    "  OR (likelihood = 0 AND status = 'actual')),"                                         \
    " competing_rights TEXT,"                                                               \
    " evidence TEXT NOT NULL DEFAULT '',"                                                   \
    " created_by BIGINT REFERENCES users(id),"                                              \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, scope_id) REFERENCES dd_scopes(org_id, id));"                    \
    "CREATE INDEX dd_impacts_scope ON dd_impacts(org_id, scope_id, id);"                    \
    "CREATE TABLE dd_assessments ("                                                         \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " scope_id BIGINT NOT NULL,"                                                            \
    " kind TEXT NOT NULL CHECK (kind IN ('hria','dd_review')),"                             \
    " trigger_kind TEXT NOT NULL CHECK (trigger_kind IN ('new_activity','major_change',"    \
    "  'environment_change','periodic','grievance')),"                                      \
    " trigger_note TEXT,"                                                                   \
    " event_day BIGINT NOT NULL,"                                                           \
    " due_day BIGINT NOT NULL,"                                                             \
    " status TEXT NOT NULL CHECK (status IN ('open','completed','approved')),"              \
    " completed_day BIGINT NOT NULL DEFAULT -1,"                                            \
    " summary TEXT,"                                                                        \
    " impact_id BIGINT,"                                                                    \
    " approved_by BIGINT REFERENCES users(id),"                                             \
    " approved_at BIGINT NOT NULL DEFAULT 0,"                                               \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " CHECK (status = 'open' OR completed_day >= 0),"                                       \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, scope_id) REFERENCES dd_scopes(org_id, id),"                     \
    " FOREIGN KEY (org_id, impact_id) REFERENCES dd_impacts(org_id, id));"                  \
    "CREATE INDEX dd_assessments_due ON dd_assessments(org_id, due_day, id);"               \
    "CREATE INDEX dd_assessments_scope ON dd_assessments(org_id, scope_id, due_day);"       \
    "CREATE INDEX dd_assessments_impact ON dd_assessments(org_id, impact_id);"              \
    "CREATE TABLE dd_findings ("                                                            \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " assessment_id BIGINT NOT NULL,"                                                       \
    " impact_id BIGINT NOT NULL,"                                                           \
    " PRIMARY KEY (assessment_id, impact_id),"                                              \
    " FOREIGN KEY (org_id, assessment_id) REFERENCES dd_assessments(org_id, id),"           \
    " FOREIGN KEY (org_id, impact_id) REFERENCES dd_impacts(org_id, id));"                  \
    "CREATE INDEX dd_findings_impact ON dd_findings(org_id, impact_id);"                    \
    "CREATE TABLE dd_actions ("                                                             \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " impact_id BIGINT NOT NULL,"                                                           \
    " kind TEXT NOT NULL CHECK (kind IN ('prevent','mitigate','remediate','use_leverage',"  \
    "  'suspend_relationship','end_relationship')),"                                        \
    " title TEXT NOT NULL,"                                                                 \
    " description TEXT,"                                                                    \
    " owner_id BIGINT REFERENCES users(id),"                                                \
    " owner_name TEXT,"                                                                     \
    " function TEXT NOT NULL CHECK (function IN " DD_FUNCTIONS "),"                         \
    " due_day BIGINT NOT NULL DEFAULT -1,"                                                  \
    " status TEXT NOT NULL CHECK (status IN ('planned','in_progress','done','cancelled')),"  \
    " integration TEXT,"                                                                    \
    " created_at BIGINT NOT NULL,"                                                          \
    " updated_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, impact_id) REFERENCES dd_impacts(org_id, id));"                  \
    "CREATE INDEX dd_actions_impact ON dd_actions(org_id, impact_id, due_day);"             \
    "CREATE TABLE dd_indicators ("                                                          \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " impact_id BIGINT,"                                                                    \
    " action_id BIGINT,"                                                                    \
    " name TEXT NOT NULL,"                                                                  \
    " unit TEXT NOT NULL,"                                                                  \
    " direction TEXT NOT NULL CHECK (direction IN ('increase','decrease','maintain')),"     \
    " target DOUBLE PRECISION NOT NULL,"                                                    \
    " tolerance DOUBLE PRECISION NOT NULL DEFAULT 0 CHECK (tolerance >= 0),"                \
    " target_day BIGINT NOT NULL DEFAULT -1,"                                               \
    " created_at BIGINT NOT NULL,"                                                          \
    " CHECK ((impact_id IS NULL AND action_id IS NOT NULL)"                                 \
    "  OR (impact_id IS NOT NULL AND action_id IS NULL)),"                                  \
    " UNIQUE (org_id, id),"                                                                 \
    " FOREIGN KEY (org_id, impact_id) REFERENCES dd_impacts(org_id, id),"                   \
    " FOREIGN KEY (org_id, action_id) REFERENCES dd_actions(org_id, id));"                  \
    "CREATE INDEX dd_indicators_impact ON dd_indicators(org_id, impact_id);"                \
    "CREATE INDEX dd_indicators_action ON dd_indicators(org_id, action_id);"                \
    "CREATE TABLE dd_measures ("                                                            \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " indicator_id BIGINT NOT NULL,"                                                        \
    " day BIGINT NOT NULL,"                                                                 \
    " value DOUBLE PRECISION NOT NULL,"                                                     \
    " note TEXT,"                                                                           \
    " created_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (indicator_id, day),"                                                          \
    " FOREIGN KEY (org_id, indicator_id) REFERENCES dd_indicators(org_id, id));"            \
    "CREATE INDEX dd_measures_list ON dd_measures(org_id, indicator_id, day);"              \
    "CREATE TABLE dd_stakeholders ("                                                        \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " name TEXT NOT NULL,"                                                                  \
    " kind TEXT NOT NULL CHECK (kind IN"                                                    \
    "  ('organisation','affected_group','expert','representative')),"                      \
    " region TEXT,"                                                                         \
    " countries TEXT NOT NULL DEFAULT '',"                                                  \
    DD_B01("global_south")                                                                  \
    " contact TEXT,"                                                                        \
    " created_at BIGINT NOT NULL,"                                                          \
    " UNIQUE (org_id, id));"                                                                \
    "CREATE INDEX dd_stakeholders_list ON dd_stakeholders(org_id, name);"                   \
    "CREATE TABLE dd_engagements ("                                                         \
    " id " pk ","                                                                           \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " stakeholder_id BIGINT NOT NULL,"                                                      \
    " day BIGINT NOT NULL,"                                                                 \
    " step TEXT NOT NULL CHECK (step IN"                                                    \
    "  ('identify','assess','act','track','communicate','remedy')),"                        \
    " topics TEXT NOT NULL,"                                                                \
    " format TEXT NOT NULL CHECK (format IN ('meeting','workshop','survey','interview',"    \
    "  'consultation','written','other')),"                                                 \
    " outcome TEXT,"                                                                        \
    " follow_up TEXT,"                                                                      \
    " impact_ids TEXT NOT NULL DEFAULT '',"                                                 \
    " created_at BIGINT NOT NULL,"                                                          \
    " FOREIGN KEY (org_id, stakeholder_id) REFERENCES dd_stakeholders(org_id, id));"        \
    "CREATE INDEX dd_engagements_day ON dd_engagements(org_id, day, id);"                   \
    "CREATE INDEX dd_engagements_sh ON dd_engagements(org_id, stakeholder_id, day);"        \
    "CREATE TABLE dd_grievance_links ("                                                     \
    " org_id BIGINT NOT NULL REFERENCES orgs(id),"                                          \
    " impact_id BIGINT NOT NULL,"                                                           \
    " case_id BIGINT NOT NULL,"                                                             \
    " linked_by BIGINT REFERENCES users(id),"                                               \
    " linked_at BIGINT NOT NULL,"                                                           \
    " PRIMARY KEY (impact_id, case_id),"                                                    \
    " FOREIGN KEY (org_id, impact_id) REFERENCES dd_impacts(org_id, id),"                   \
    " FOREIGN KEY (org_id, case_id) REFERENCES grievances(org_id, id));"                    \
    "CREATE INDEX dd_grievance_links_org ON dd_grievance_links(org_id, linked_at);"         \
    "CREATE INDEX dd_grievance_links_case ON dd_grievance_links(org_id, case_id);"

#endif
