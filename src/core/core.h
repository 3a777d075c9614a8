/* core: domain vocabulary and plain-memory helpers shared by every module.
 *
 * No I/O here (no files, sockets, clocks or database): only arenas, growable
 * buffers, status codes, roles and the authorization policy, and validators.
 * Everything that a request allocates comes from its arena and dies with it.
 */
#ifndef HRDD_CORE_H
#define HRDD_CORE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* ---- status codes: every fallible function returns one of these ---- */
enum {
    CORE_OK = 0,
    CORE_ERR = -1,           /* unexpected failure (I/O, engine error) */
    CORE_NOTFOUND = -2,      /* no such record */
    CORE_CONFLICT = -3,      /* unique constraint, stale state */
    CORE_INVALID = -4,       /* bad input */
    CORE_DENIED = -5,        /* not allowed */
    CORE_NOMEM = -6,         /* out of memory */
    CORE_BUSY = -7,          /* locked, pool exhausted, try again */
    CORE_SCHEMA_NEWER = -8,  /* database schema newer than this binary */
    CORE_CORRUPT = -9        /* integrity check failed (audit chain) */
};
const char *core_strerror(int status);

/* ---- arena: bump allocator, one per request or command ---- */
typedef struct core_arena_block core_arena_block;
typedef struct core_arena {
    core_arena_block *head;
    size_t used_total;       /* bytes handed out, for metrics and limits */
} core_arena;

void core_arena_init(core_arena *a);
void core_arena_cleanup(core_arena *a);                 /* frees every block */
void *core_arena_alloc(core_arena *a, size_t n);        /* 16-byte aligned, zeroed; NULL on OOM */
char *core_arena_strdup(core_arena *a, const char *s);  /* NULL in -> NULL out */
char *core_arena_strndup(core_arena *a, const char *s, size_t n);
char *core_arena_printf(core_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
char *core_arena_vprintf(core_arena *a, const char *fmt, va_list ap);

/* ---- buf: growable byte buffer (heap), always NUL-terminated ---- */
typedef struct core_buf {
    char *data;              /* NULL until first append; "" semantics via core_buf_cstr */
    size_t len;
    size_t cap;
    int oom;                 /* sticky: set when an append failed */
} core_buf;

void core_buf_init(core_buf *b);
void core_buf_cleanup(core_buf *b);
void core_buf_reset(core_buf *b);                       /* len = 0, keeps memory */
int core_buf_append(core_buf *b, const void *p, size_t n);
int core_buf_puts(core_buf *b, const char *s);
int core_buf_putc(core_buf *b, char c);
int core_buf_printf(core_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int core_buf_html(core_buf *b, const char *s);         /* appends s HTML-escaped (& < > " ' /) */
int core_buf_urlencode(core_buf *b, const char *s);
const char *core_buf_cstr(const core_buf *b);          /* never NULL */
char *core_buf_steal(core_buf *b);                      /* caller frees; buf is reset */

/* ---- roles and authorization policy (the one table that says who may do what) ---- */
typedef enum core_role {
    CORE_ROLE_NONE = 0,      /* anonymous / no membership */
    CORE_ROLE_ADMIN,         /* manages the organisation, its users and settings */
    CORE_ROLE_HR_LEAD,       /* approves policies and assessments */
    CORE_ROLE_CASE_HANDLER,  /* handles grievances */
    CORE_ROLE_ANALYST,       /* due diligence, transparency, assessments */
    CORE_ROLE_AUDITOR,       /* read-only, sees the audit trail */
    CORE_ROLE__COUNT
} core_role;

const char *core_role_name(core_role r);              /* "admin", ... ; "none" */
int core_role_parse(const char *s, core_role *out);    /* CORE_INVALID if unknown */

/* A permission is what a route requires. Routes name exactly one. */
typedef enum core_perm {
    CORE_PERM_PUBLIC = 0,    /* anyone, no session needed */
    CORE_PERM_SIGNED_IN,     /* any staff member with a membership in the current org */
    CORE_PERM_ORG_READ,      /* read the organisation's own settings and members list */
    CORE_PERM_USERS_MANAGE,  /* add users, change roles, disable (admin) */
    CORE_PERM_ORG_MANAGE,    /* change org settings, create member orgs (admin) */
    CORE_PERM_AUDIT_READ,    /* read the audit trail (admin, auditor) */
    CORE_PERM_TOKENS_MANAGE, /* API tokens of the org (admin) */
    CORE_PERM_METRICS,       /* /metrics: admin or a token with that scope */
    CORE_PERM_CASES_READ,    /* read grievance cases (admin, hr_lead, case_handler) */
    CORE_PERM_CASES_HANDLE,  /* act on grievance cases (admin, case_handler) */
    CORE_PERM_STATS_READ,    /* grievance statistics, no case content (admin, hr_lead, case_handler, analyst) */
    CORE_PERM_MECHANISMS_MANAGE, /* directory of external mechanisms (admin, case_handler) */
    CORE_PERM_DD_READ,       /* read the due diligence register (every staff role) */
    CORE_PERM_DD_EDIT,       /* edit the register: scope, impacts, actions, indicators, engagement (admin, hr_lead, analyst) */
    CORE_PERM_DD_APPROVE,    /* approve policy versions and assessments (admin, hr_lead) */
    CORE_PERM_TR_READ,       /* read transparency data and reports (every staff role) */
    CORE_PERM_TR_MANAGE,     /* ingest statements of reasons, import government requests (admin, analyst) */
    CORE_PERM_ASSESS_READ,   /* read methodologies, assessments, scorecards (every staff role) */
    CORE_PERM_ASSESS_EDIT,   /* answer and review assessments, import methodologies (admin, hr_lead, analyst) */
    CORE_PERM_ASSESS_PUBLISH,/* finalise and publish assessments and scorecards (admin, hr_lead) */
    CORE_PERM__COUNT
} core_perm;

const char *core_perm_name(core_perm p);
int core_authz_allows(core_role role, core_perm perm); /* 1 allowed, 0 denied */

/* ---- validators: pure functions over bytes ---- */
int core_utf8_valid(const char *s, size_t n);          /* 1 if valid UTF-8 without NUL */
int core_email_valid(const char *s);                   /* 1 if plausible addr-spec, <= 254 bytes */
int core_slug_valid(const char *s);                    /* [a-z0-9-]{1,63}, no leading '-' */
int core_parse_int64(const char *s, int64_t *out);     /* strict decimal, CORE_INVALID otherwise */
int core_consttime_streq(const char *a, const char *b);/* 1 if equal; time depends on length only */

#endif
