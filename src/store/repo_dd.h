/* repo_dd: private helpers shared by the due diligence repositories
 * (repo_dd_*.c); never included outside src/store.
 *
 * A reference to another register record (or to a product or a case) is
 * checked within the caller's organisation before any write, so an id of
 * another organisation is CORE_NOTFOUND, exactly like a missing one, and a
 * PostgreSQL transaction is never aborted by a foreign-key error the caller
 * could have been told about. The composite foreign keys of schema_dd.h
 * stay behind this as the second line.
 */
#ifndef HRDD_STORE_REPO_DD_H
#define HRDD_STORE_REPO_DD_H

#include "store/store_db.h"

typedef enum dd_ref_kind {
    DD_REF_POLICY = 0, DD_REF_SCOPE, DD_REF_IMPACT, DD_REF_ASSESS, DD_REF_ACTION,
    DD_REF_IND, DD_REF_SH, DD_REF_PRODUCT, DD_REF_CASE, DD_REF__COUNT
} dd_ref_kind;

/* CORE_OK when the record id exists in org_id, CORE_NOTFOUND when it does
 * not (or id <= 0), or the engine's error. */
int dd_ref_check(store_conn *c, dd_ref_kind k, int64_t org_id, int64_t id);
/* The same for an optional reference: 0 is "none" and always CORE_OK. */
int dd_ref_opt(store_conn *c, dd_ref_kind k, int64_t org_id, int64_t id);

/* Copies text column i into *out; returns 1 when a non-NULL value could not
 * be copied (out of memory), 0 otherwise. Readers OR the results. */
int dd_dup(sdb_stmt *st, core_arena *a, int i, const char **out);

/* A text that must be present: "" for NULL when a column is NOT NULL
 * DEFAULT '' (countries, markers, evidence, ...). */
const char *dd_nz(const char *s);

/* 0/1 flags: any non-zero value is 1. */
int dd_b01(int v);

#endif
