/* test_store.h: shared fixture of the storage suite (test_store.c runs it,
 * test_store_audit.c holds the audit-chain tests). */
#ifndef HRDD_TEST_STORE_H
#define HRDD_TEST_STORE_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pthread.h>

#include <cmocka.h>
#include <libpq-fe.h>
#include <sqlite3.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "store/store_db.h"
#include "test_engines.h"

typedef te_engine engine;

typedef struct fx {
    int pg;
    char dir[64];
    char url[512];
    store *s;
    store_conn *c;
    core_arena a;
    int observed;
} fx;

int raw_exec(fx *f, const char *sql);
int open_store(fx *f, int pool, int busy_ms, store **out);
int64_t mk_org(store_conn *c, const char *slug);
int64_t mk_user(store_conn *c, const char *email);

void t_audit_basic(void **state);
void t_audit_many(void **state);
void t_audit_concurrent(void **state);
void t_audit_tamper_each_column(void **state);
void t_audit_tamper_delete_and_swap(void **state);
/* test_store_mechanism.c (ecosystem) */
void t_mechanisms(void **state);
void t_referrals(void **state);
void t_sla_notes(void **state);
void t_stats_bulk(void **state);

#endif
