/* test_register.h: the fixture of the due diligence register suite
 * (test_register.c runs every test against SQLite, then PostgreSQL when
 * HRDD_TEST_PG_URL is set; the tests live in test_reg_*.c). The clock is
 * injected: tests set g_now and the service sees it. */
#ifndef HRDD_TEST_REGISTER_H
#define HRDD_TEST_REGISTER_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "register/register.h"
#include "store/store.h"

#define DAY 86400
#define T0 1767225600LL              /* 2026-01-01 00:00:00 UTC */
#define D0 (T0 / DAY)                /* its day number */

extern int64_t g_now;

enum { P_ADMIN = 0, P_HR, P_HANDLER, P_ANALYST, P_AUDITOR, P_OTHER, P_CLI, P__COUNT };

typedef struct tfx {
    int pg;
    char dir[64];
    char url[512];
    store *s;
    reg_service *svc;
    core_arena a;
    int64_t org, org2;
    int64_t product;                 /* catalogue product "chat-app" of org */
    int64_t users[P__COUNT];
    reg_principal p[P__COUNT];       /* P_OTHER: an analyst of org2; P_CLI: admin, user 0 */
    char labels[P__COUNT][32];
} tfx;

/* Sets up a store at url (migrated) with the orgs, users, memberships and
 * product of the fixture; fills f (not svc). */
void fx_populate(tfx *f);
int64_t fx_now(void);
/* A grievance case row with this reference in org (store only: the register
 * needs the case to exist, not its content). */
int64_t fx_case(tfx *f, int64_t org, const char *reference);
/* First column of the first row of sql on the fixture's database. */
int64_t fx_count(tfx *f, const char *sql);

/* record builders with valid defaults */
int64_t mk_scope(tfx *f, const char *slug, const char *kind);
int64_t mk_impact(tfx *f, int64_t scope, const char *status, int scale, int scope_r, int irr,
                  int likelihood);
store_dd_impact impact_tpl(int64_t scope);

void t_validation_impact(void **state);
void t_validation_others(void **state);
void t_approval_roles(void **state);
void t_edit_roles(void **state);
void t_org_isolation(void **state);
void t_priority(void **state);
void t_grievance_feedback(void **state);
void t_fatigue(void **state);
void t_due(void **state);
void t_tracking(void **state);
void t_roundtrip(void **state);
void t_import_errors(void **state);
void t_import_missing(void **state);
void t_csv(void **state);
void t_public(void **state);
void t_audit(void **state);

#endif
