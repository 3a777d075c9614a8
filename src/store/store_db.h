/* store_db: the private prepared-statement layer under the repositories.
 *
 * Every statement is a compile-time constant (sdb_sql) with `?` placeholders
 * and a small integer id; the PostgreSQL driver rewrites `?` to $1..$n when it
 * prepares. Each connection prepares a statement the first time it is used and
 * keeps it (sqlite3_prepare_v3 PERSISTENT / PQprepare under a name derived from
 * the id), so no call after the first pays for parsing. One driver per engine
 * fills in the sdb_driver table; the sdb_* wrappers add timing (observer) and
 * the sticky bind error. Pool, connections and transactions live in store.c.
 */
#ifndef HRDD_STORE_DB_H
#define HRDD_STORE_DB_H

#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "store/store.h"

/* Statement ids: one per constant in the repositories. */
enum {
    Q_BEGIN, Q_COMMIT, Q_ROLLBACK,
    Q_SCHEMA_EXISTS, Q_SCHEMA_VERSION, Q_SCHEMA_MARK, Q_MIGRATE_LOCK,
    Q_ORG_CREATE, Q_ORG_GET, Q_ORG_GET_SLUG, Q_ORG_LIST, Q_ORG_FIRST, Q_ORG_UPDATE,
    Q_USER_CREATE, Q_USER_GET, Q_USER_GET_EMAIL, Q_USER_LIST, Q_USER_SET_PW,
    Q_USER_SET_DISABLED, Q_USER_SET_TOTP, Q_USER_SET_NAME, Q_USER_LOGIN_OK,
    Q_USER_LOGIN_FAIL, Q_USER_LOGIN_FAIL_LOCK,
    Q_MEMBER_SET, Q_MEMBER_REMOVE, Q_MEMBER_GET, Q_MEMBER_LIST, Q_MEMBERSHIP_LIST,
    Q_SESSION_CREATE, Q_SESSION_GET, Q_SESSION_TOUCH, Q_SESSION_SET_ORG,
    Q_SESSION_TOTP_DONE, Q_SESSION_DELETE, Q_SESSION_DELETE_USER, Q_SESSION_PURGE,
    Q_TOKEN_CREATE, Q_TOKEN_GET_HASH, Q_TOKEN_LIST, Q_TOKEN_REVOKE, Q_TOKEN_TOUCH,
    Q_PRODUCT_CREATE, Q_PRODUCT_GET, Q_PRODUCT_LIST,
    Q_AUDIT_LOCK, Q_AUDIT_LAST, Q_AUDIT_INSERT, Q_AUDIT_LIST_ALL, Q_AUDIT_LIST_ORG,
    Q_AUDIT_WALK,
    Q_SETTING_GET, Q_SETTING_SET,
    /* grievance mechanism (repo_grievance.c) */
    Q_GRV_CREATE, Q_GRV_GET, Q_GRV_GET_REF, Q_GRV_GET_RECEIPT, Q_GRV_UPDATE, Q_GRV_LIST,
    Q_GRV_KEYS, Q_GRV_SET_KEY, Q_GRV_SYNC_FULL, Q_GRV_SYNC_NORMAL,
    Q_GRV_CLOCK_PUT, Q_GRV_CLOCK_LIST, Q_GRV_EVENT_ADD, Q_GRV_EVENT_LIST, Q_GRV_EVENT_LIST_PUB,
    Q_GRV_RECUSAL_ADD, Q_GRV_RECUSED, Q_GRV_RECUSAL_LIST,
    Q_GRV_REMEDY_ADD, Q_GRV_REMEDY_UPDATE, Q_GRV_REMEDY_LIST,
    Q_GRV_ATT_ADD, Q_GRV_ATT_SET_EVENT, Q_GRV_ATT_GET, Q_GRV_ATT_LIST, Q_GRV_ATT_LIST_PUB,
    Q_GRV_ATT_COUNT,
    Q_COLL_CREATE, Q_COLL_GET, Q_COLL_LIST, Q_COLL_TOUCH, Q_COLL_MEMBERS,
    Q_GRV_POLICY_GET, Q_GRV_POLICY_SET,
    Q_GRV_PRODUCT_SLUG,
    Q_MECH_CREATE, Q_MECH_UPDATE, Q_MECH_GET, Q_MECH_GET_SLUG, Q_MECH_LIST, Q_MECH_LIST_ORG, /* ecosystem */
    Q_REFERRAL_CREATE, Q_REFERRAL_GET, Q_REFERRAL_LIST, Q_REFERRAL_UPDATE, Q_SLA_NOTE_ADD, Q_SLA_NOTE_LIST,
    Q_STATS_CLOCKS, Q_STATS_REMEDIES, Q_STATS_STEPS, Q_SLA_NOTE_DELETE,
    Q_RCPT_STATUS,                   /* repo_receipt_read.c */
    /* due diligence register (repo_dd*.c) */
    Q_DD_POLICY_CREATE, Q_DD_POLICY_UPDATE, Q_DD_POLICY_GET, Q_DD_POLICY_LIST,
    Q_DD_PCOMM_ADD, Q_DD_PCOMM_LIST, Q_DD_PLINK_ADD, Q_DD_PLINK_LIST,
    Q_DD_SCOPE_CREATE, Q_DD_SCOPE_UPDATE, Q_DD_SCOPE_GET, Q_DD_SCOPE_GET_SLUG, Q_DD_SCOPE_LIST,
    Q_DD_IMPACT_CREATE, Q_DD_IMPACT_UPDATE, Q_DD_IMPACT_GET, Q_DD_IMPACT_LIST,
    Q_DD_ASSESS_CREATE, Q_DD_ASSESS_UPDATE, Q_DD_ASSESS_GET, Q_DD_ASSESS_LIST,
    Q_DD_FINDING_ADD, Q_DD_FINDING_LIST,
    Q_DD_ACTION_CREATE, Q_DD_ACTION_UPDATE, Q_DD_ACTION_GET, Q_DD_ACTION_LIST,
    Q_DD_IND_CREATE, Q_DD_IND_UPDATE, Q_DD_IND_GET, Q_DD_IND_LIST,
    Q_DD_MEASURE_PUT, Q_DD_MEASURE_LIST,
    Q_DD_SH_CREATE, Q_DD_SH_UPDATE, Q_DD_SH_GET, Q_DD_SH_LIST,
    Q_DD_ENG_CREATE, Q_DD_ENG_LIST,
    Q_DD_LINK_ADD, Q_DD_LINK_LIST,
    Q_DD_REF_POLICY, Q_DD_REF_SCOPE, Q_DD_REF_IMPACT, Q_DD_REF_ASSESS, Q_DD_REF_ACTION,
    Q_DD_REF_IND, Q_DD_REF_SH, Q_DD_REF_PRODUCT, Q_DD_REF_CASE,
    /* transparency (repo_tr.c) */
    Q_TR_SEEN_ADD, Q_TR_AGG_ADD, Q_TR_AGG_SUM, Q_TR_AGG_TREND, Q_TR_AGG_RANGE,
    Q_TR_STMT_PUT, Q_TR_STMT_COUNT, Q_TR_INGEST_CREATE, Q_TR_INGEST_FINISH, Q_TR_INGEST_LIST,
    Q_TR_GOV_PUT, Q_TR_GOV_LIST,
    /* assessment engine (repo_as.c) */
    Q_AS_METH_CREATE, Q_AS_METH_GET, Q_AS_METH_FIND, Q_AS_METH_LATEST, Q_AS_METH_LIST,
    Q_AS_ENT_CREATE, Q_AS_ENT_UPDATE, Q_AS_ENT_GET, Q_AS_ENT_GET_SLUG, Q_AS_ENT_LIST,
    Q_AS_ASM_CREATE, Q_AS_ASM_GET, Q_AS_ASM_LIST, Q_AS_ASM_REVIEW, Q_AS_ASM_FINAL, Q_AS_ASM_REOPEN,
    Q_AS_ASM_SUMMARY, Q_AS_ASM_DELETE,
    Q_AS_ANS_PUT, Q_AS_ANS_DELETE, Q_AS_ANS_LIST,
    /* erasure of a case's personal data (repo_erase.c) */
    Q_ER_CASE, Q_ER_EVENTS, Q_ER_REMEDIES, Q_ER_ATTACH, Q_ER_RECUSALS, Q_ER_REFERRALS,
    Q_ER_DUE, Q_ER_ERASED,
    Q__COUNT
};

typedef struct sdb_sql {
    int id;                          /* Q_* */
    const char *name;                /* short name for metrics: "org_get" */
    const char *sql;                 /* both engines, `?` placeholders */
    const char *pg_sql;              /* PostgreSQL override, or NULL */
} sdb_sql;

enum { SDB_DONE = 0, SDB_ROW = 1 };  /* sdb_step; negative = CORE_* error */
enum { SDB_SQLITE = 1, SDB_PG = 2 };
#define SDB_MAX_PARAMS 48           /* the grievance row has ~45 columns */

typedef struct sdb_stmt {            /* common head of each driver's statement */
    store_conn *c;
    const sdb_sql *q;
    struct timespec t0;
    int err;                         /* sticky error from a bind */
} sdb_stmt;

typedef struct sdb_driver {
    const char *name;
    int (*open)(store_conn *c, const char *url, int busy_ms);
    void (*close)(store_conn *c);
    int (*check)(store_conn *c);                /* reconnect if broken */
    int (*exec)(store_conn *c, const char *sql);/* parameterless script (DDL) */
    int (*prepare)(store_conn *c, const sdb_sql *q, sdb_stmt **out);  /* cached */
    int (*bind_text)(sdb_stmt *st, int i, const char *v);
    int (*bind_int64)(sdb_stmt *st, int i, int64_t v);
    int (*bind_null)(sdb_stmt *st, int i);
    int (*bind_double)(sdb_stmt *st, int i, double v);   /* exact (binary or %.17g) */
    int (*step)(sdb_stmt *st);
    const char *(*col_text)(sdb_stmt *st, int i);   /* NULL for SQL NULL */
    int64_t (*col_int64)(sdb_stmt *st, int i);      /* 0 for SQL NULL */
    int (*col_null)(sdb_stmt *st, int i);
    double (*col_double)(sdb_stmt *st, int i);      /* 0 for SQL NULL */
    int64_t (*changes)(sdb_stmt *st);
    void (*finish)(sdb_stmt *st);                   /* reset for reuse */
} sdb_driver;

/* Records the first CORE_BUSY cause of this thread (a static string such
 * as "storage: disk full"); see store_busy_cause_take. */
void sdb_busy_cause(const char *cause);

extern const sdb_driver sdb_sqlite_driver;
extern const sdb_driver sdb_pg_driver;

struct store_conn {
    store *s;
    const sdb_driver *drv;
    int engine;                      /* SDB_SQLITE / SDB_PG */
    int in_use;
    int in_tx;
    void *h;                         /* sqlite3 * or PGconn * */
    sdb_stmt *stmts[Q__COUNT];       /* per-connection statement cache */
    char err[256];                   /* last engine error (store_errmsg) */
};

struct store {
    int engine;
    const sdb_driver *drv;
    char *url;
    int busy_ms;
    store_observer observer;
    void *observer_ud;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int n;
    store_conn *conns;
};

/* Wrappers used by the repositories. */
int sdb_prep(store_conn *c, const sdb_sql *q, sdb_stmt **out);
void sdb_text(sdb_stmt *st, int i, const char *v);     /* NULL binds NULL */
void sdb_int(sdb_stmt *st, int i, int64_t v);
void sdb_id_or_null(sdb_stmt *st, int i, int64_t v);   /* 0 binds NULL */
void sdb_double(sdb_stmt *st, int i, double v);        /* a REAL / DOUBLE PRECISION, exactly */
int sdb_step(sdb_stmt *st);
const char *sdb_col_text(sdb_stmt *st, int i);
char *sdb_col_dup(sdb_stmt *st, core_arena *a, int i); /* arena copy; NULL stays NULL */
int64_t sdb_col_int(sdb_stmt *st, int i);
double sdb_col_double(sdb_stmt *st, int i);
int sdb_col_null(sdb_stmt *st, int i);
int64_t sdb_changes(sdb_stmt *st);
void sdb_finish(sdb_stmt *st);

/* Runs a statement that returns no rows; CORE_NOTFOUND if want_row_change
 * and no row changed. */
int sdb_run(sdb_stmt *st, int want_row_change);

/* Grows an arena array of elem-sized items (doubling); NULL on OOM. */
void *sdb_grow(core_arena *a, void *arr, size_t n, size_t *cap, size_t elem);

/* Reads the current row into *row (a record struct); CORE_OK or CORE_NOMEM. */
typedef int (*sdb_reader)(sdb_stmt *st, core_arena *a, void *row);
/* Steps a prepared, bound statement for at most one row: CORE_OK with *row
 * read, CORE_NOTFOUND, or the engine's error. Always finishes st. */
int sdb_fetch_one(sdb_stmt *st, core_arena *a, sdb_reader read, void *row);
/* Steps st to the end, reading every row into an arena array of elem-sized
 * records: *out and *n are set on CORE_OK, NULL and 0 otherwise. Always
 * finishes st. */
int sdb_fetch_all(sdb_stmt *st, core_arena *a, sdb_reader read, size_t elem, void **out, size_t *n);
/* Prepares q, binds two integers p1, p2 (in q's order: typically an org id
 * and a case or record id) and reads like sdb_fetch_one / sdb_fetch_all. A
 * failed prepare returns its error with *row / *out / *n untouched. */
int sdb_fetch_one_by(store_conn *c, const sdb_sql *q, int64_t p1, int64_t p2, core_arena *a,
                     sdb_reader read, void *row);
int sdb_fetch_all_by(store_conn *c, const sdb_sql *q, int64_t p1, int64_t p2, core_arena *a,
                     sdb_reader read, size_t elem, void **out, size_t *n);
/* An sdb_reader for one-column rows of ids: the row is an int64_t. */
int sdb_read_id(sdb_stmt *st, core_arena *a, void *row);
/* Steps st for at most one row and reads its first column as an integer
 * (INSERT ... RETURNING id, a count): CORE_OK with *v set, if_none when no
 * row came, or the engine's error. Always finishes st. */
int sdb_fetch_int(sdb_stmt *st, int64_t *v, int if_none);

int64_t sdb_now(void);

/* Rewrites `?` to $1..$n (outside quotes) into a malloc'd string. */
char *sdb_pg_rewrite(const char *sql, int *nparams);

#endif
