/* test_store_dd.h: shared fixture of the due diligence register storage
 * suite (test_store_dd.c runs it; test_store_dd_track.c holds the tracking,
 * engagement and grievance-link tests). */
#ifndef HRDD_TEST_STORE_DD_H
#define HRDD_TEST_STORE_DD_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "test_engines.h"

typedef struct dfx {
    int pg;
    char dir[64];
    char url[512];
    store *s;
    store_conn *c;
    core_arena a;
    int64_t org, org2, user, user2;
} dfx;

int64_t dd_mk_scope(dfx *f, int64_t org, const char *slug, const char *name);
int64_t dd_mk_impact(dfx *f, int64_t org, int64_t scope, const char *title);
int64_t dd_mk_case(dfx *f, int64_t org, const char *ref);
/* Runs sql over a raw connection (foreign keys on for SQLite); 0 or -1. */
int dd_raw(dfx *f, const char *sql);

void t_dd_indicators(void **state);
void t_dd_measures(void **state);
void t_dd_doubles_exact(void **state);
void t_dd_stakeholders(void **state);
void t_dd_engagements(void **state);
void t_dd_links(void **state);

#endif
