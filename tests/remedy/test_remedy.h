/* test_remedy.h: the fixture of the grievance service suite (test_remedy.c
 * runs every test against SQLite, then PostgreSQL when HRDD_TEST_PG_URL is
 * set; the tests live in test_remedy_*.c). The clock is injected: tests set
 * g_now and the service sees it. */
#ifndef HRDD_TEST_REMEDY_H
#define HRDD_TEST_REMEDY_H

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
#include "grievance/grievance.h"
#include "remedy/remedy.h"
#include "store/store.h"

#define DAY 86400
#define T0 1767225600LL              /* 2026-01-01 00:00:00 UTC */

extern int64_t g_now;

typedef struct rfx {
    int pg;
    char dir[64];
    char url[512];
    store *s;
    rmd_service *svc;
    core_arena a;
    int64_t org, org2;
    int64_t u_h1, u_h2, u_hr, u_analyst, u_admin, u_other;
    rmd_actor h1, h2, hr, analyst, admin, other;   /* other: a handler of org2 */
    char labels[6][32];
} rfx;

int raw_count(rfx *f, const char *sql, int64_t *n);   /* first column of the first row */
int raw_exec_sql(rfx *f, const char *sql);
/* Files an anonymous grievance with this narrative in f->org; receipt out. */
int64_t file_simple(rfx *f, const char *narrative, const char *category, char receipt[GRV_RECEIPT_TEXT + 1]);

void t_full_flow(void **state);
void t_time_limits(void **state);
void t_dsr_extend(void **state);
void t_appeal_other_handler(void **state);
void t_appeal_decider_barred(void **state);
void t_recusal(void **state);
void t_collective(void **state);
void t_org_scoping(void **state);
void t_raw_scan(void **state);
void t_wrong_receipt(void **state);
void t_post_cap(void **state);
void t_throttle(void **state);
void t_no_half_write(void **state);
void t_attachments(void **state);
void t_policy_and_rotation(void **state);
void t_queue_order(void **state);
void t_staff_recorded(void **state);
void t_concurrent_intake(void **state);
void t_erase_retention(void **state);   /* test_remedy_erase.c */
void t_erase_receipt(void **state);

#endif
