/* cli: the internal interface of the `hrdd` command-line tool.
 *
 * Each command is a cli_cmd (name, help text, options, run function) defined
 * in its own cmd_*.c file and listed in main.c. main.c parses the command
 * line against the command's option table, loads the configuration
 * (flags > environment > config file > defaults, config.c) and calls run.
 * Shared helpers (store access, passwords, audit entries) are in util.c and
 * ops.c. Exit status: 0 success, 1 failure, 2 usage or configuration error.
 */
#ifndef HRDD_CLI_H
#define HRDD_CLI_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "app/app.h"
#include "core/core.h"
#include "store/store.h"

#ifndef HRDD_VERSION
#define HRDD_VERSION "0.0.0"
#endif

enum { CLI_EXIT_OK = 0, CLI_EXIT_FAIL = 1, CLI_EXIT_USAGE = 2 };

/* ---- configuration ---- */
typedef enum cli_key {
    CLI_K_DB = 0,
    CLI_K_LISTEN,
    CLI_K_SECRET_FILE,
    CLI_K_THREADS,
    CLI_K_POOL_SIZE,
    CLI_K_BEHIND_TLS,
    CLI_K_PWHASH_COST,
    CLI_K_MAX_BODY,
    CLI_K_SLA_INTERVAL,
    CLI_K_NOTIFY_FILE,
    CLI_K_SENDMAIL,
    CLI_K_CONN_TIMEOUT,
    CLI_K_MAX_CONNECTIONS,
    CLI_K__COUNT
} cli_key;

#define CLI_KEY_BIT(k) (1u << (k))
#define CLI_KEYS_STORE (CLI_KEY_BIT(CLI_K_DB) | CLI_KEY_BIT(CLI_K_SECRET_FILE))
#define CLI_KEYS_SERVE (CLI_KEYS_STORE | CLI_KEY_BIT(CLI_K_LISTEN) | CLI_KEY_BIT(CLI_K_THREADS) | \
                        CLI_KEY_BIT(CLI_K_POOL_SIZE) | CLI_KEY_BIT(CLI_K_BEHIND_TLS) |           \
                        CLI_KEY_BIT(CLI_K_MAX_BODY) | CLI_KEY_BIT(CLI_K_PWHASH_COST) |           \
                        CLI_KEY_BIT(CLI_K_SLA_INTERVAL) | CLI_KEYS_NOTIFY |                    \
                        CLI_KEY_BIT(CLI_K_CONN_TIMEOUT) | CLI_KEY_BIT(CLI_K_MAX_CONNECTIONS))
/* Where time-limit notifications go (serve, and `hrdd sla check`). */
#define CLI_KEYS_NOTIFY (CLI_KEY_BIT(CLI_K_NOTIFY_FILE) | CLI_KEY_BIT(CLI_K_SENDMAIL))
#define CLI_KEYS_ALL ((1u << CLI_K__COUNT) - 1)

typedef enum cli_source { CLI_SRC_DEFAULT = 0, CLI_SRC_FILE, CLI_SRC_ENV, CLI_SRC_FLAG } cli_source;

typedef struct cli_key_info {
    const char *file_key;            /* "secret_file" */
    const char *env;                 /* "HRDD_SECRET_FILE" */
    const char *flag;                /* "secret-file" (for --secret-file) */
    const char *metavar;             /* "FILE"; NULL for a boolean flag */
    const char *def;                 /* default value, or NULL */
    const char *help;
} cli_key_info;

extern const cli_key_info cli_keys[CLI_K__COUNT];

typedef struct cli_config {
    char *value[CLI_K__COUNT];       /* heap; NULL = unset */
    cli_source source[CLI_K__COUNT];
    char *where[CLI_K__COUNT];       /* "FILE:LINE", "HRDD_DB", "--db"; NULL for defaults */
    char *file;                      /* config file read, or NULL */
    /* parsed views of value[] */
    const char *db;
    const char *listen;
    const char *secret_file;
    const char *pwhash_cost;
    int threads;
    int pool_size;
    int behind_tls;
    size_t max_body;
    unsigned conn_timeout;           /* seconds; 0 = the http default (15) */
    unsigned max_connections;        /* 0 = the http default (1000) */
    int sla_interval_min;            /* minutes between time-limit checks; 0 = off */
    const char *notify_file;         /* notifications appended to this file (tests), or NULL */
    const char *sendmail;            /* sendmail-compatible command, or NULL */
} cli_config;

void cli_config_init(cli_config *c);
void cli_config_cleanup(cli_config *c);
/* Sets key from one layer; validates the value. On error prints
 * "hrdd: <where>: ..." (where: file:line:column, env name or flag) and
 * returns CORE_INVALID. */
int cli_config_set(cli_config *c, cli_key k, const char *value, cli_source src, const char *where);
/* Parses a config file ("key = value" lines, # comments). missing_ok: a
 * missing file is not an error (the default /etc/hrdd/hrdd.conf). */
int cli_config_file(cli_config *c, const char *path, int missing_ok);
/* Parses a config text (for the file loader and tests); name is used in messages. */
int cli_config_text(cli_config *c, const char *name, const char *text, size_t len);
int cli_config_env(cli_config *c, unsigned keys);
/* Fills the parsed views from value[] after all layers. */
int cli_config_finish(cli_config *c);
const char *cli_source_name(cli_source s);
/* A printable form of a value: passwords in URLs replaced by "***" (heap). */
char *cli_config_redact(const char *value);

/* ---- commands ---- */
typedef struct cli_opt {
    const char *name;                /* long name without dashes */
    const char *metavar;             /* NULL: a flag without value */
    const char *help;
} cli_opt;

#define CLI_MAX_OPTS 16

typedef struct cli_run cli_run;

typedef struct cli_cmd {
    const char *name;                /* "user add" */
    const char *summary;             /* one line */
    const char *synopsis;            /* usage line(s) after "hrdd " */
    const char *description;         /* paragraph(s) */
    unsigned keys;                   /* configuration keys accepted as flags */
    const cli_opt *opts;             /* command options, { NULL } terminated (may be NULL) */
    const char *examples;            /* lines */
    int (*run)(cli_run *r);
} cli_cmd;

struct cli_run {
    const cli_cmd *cmd;
    cli_config cfg;
    const char *opt[CLI_MAX_OPTS];   /* by index into cmd->opts; "1" for flags; NULL if absent */
    int nargs;
    char **args;                     /* positional arguments */
};

/* Value of a command option, or NULL. */
const char *cli_opt_get(const cli_run *r, const char *name);
int cli_opt_has(const cli_run *r, const char *name);

/* Messages: "hrdd: <command>: <message>" on stderr. */
void cli_err(const cli_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cli_usage_err(const cli_run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Help for one command on f. */
void cli_print_help(const cli_cmd *cmd, void *f);

/* Every command, for dispatch and help. */
extern const cli_cmd cli_cmd_init, cli_cmd_serve, cli_cmd_migrate, cli_cmd_user_add,
    cli_cmd_user_list, cli_cmd_user_disable, cli_cmd_user_enable, cli_cmd_user_passwd,
    cli_cmd_user_role, cli_cmd_org_add, cli_cmd_org_list, cli_cmd_audit_verify,
    cli_cmd_audit_list, cli_cmd_routes, cli_cmd_config, cli_cmd_demo, cli_cmd_version,
    cli_cmd_help;
/* mechanisms and time-limit checks (cmd_mechanisms.c, cmd_sla.c) */
extern const cli_cmd cli_cmd_mechanisms_import, cli_cmd_mechanisms_list, cli_cmd_sla_check;
/* backup, restore and retention (cmd_backup.c, cmd_retention.c) */
extern const cli_cmd cli_cmd_backup, cli_cmd_restore, cli_cmd_retention_set, cli_cmd_retention_show,
    cli_cmd_retention_run;
/* the rights catalogue (cmd_rights.c) */
extern const cli_cmd cli_cmd_rights_list;
/* the due diligence register (cmd_register.c) */
extern const cli_cmd cli_cmd_impacts_list, cli_cmd_assessments_due, cli_cmd_register_export,
    cli_cmd_register_import;
/* transparency: stored ingest, reports, government requests (cmd_report.c) */
extern const cli_cmd cli_cmd_transparency_ingest, cli_cmd_transparency_report, cli_cmd_requests_import;
/* the assessment engine (cmd_assess.c) */
extern const cli_cmd cli_cmd_assess_import_rdr, cli_cmd_assess_score, cli_cmd_assess_check,
    cli_cmd_assess_methodologies;
/* stateless statement-of-reasons aggregation (cmd_transparency.c) */
extern const cli_cmd cli_cmd_transparency_aggregate, cli_cmd_transparency_merge;
const cli_cmd *const *cli_commands(size_t *n);

/* ---- helpers (util.c) ---- */
/* Requires a database in the configuration; else a usage error message. */
int cli_need_db(cli_run *r);
/* Opens the store. check: refuse a newer schema or pending migrations with a
 * clear message. A SQLite file must exist unless may_create. */
int cli_open_store(cli_run *r, store **out, int check, int may_create);
/* Acquires a connection and begins a transaction. */
int cli_begin(cli_run *r, store *s, store_conn **c);
/* Commits (or rolls back when rc != CORE_OK) and releases; returns the final status. */
int cli_finish(cli_run *r, store *s, store_conn *c, int rc);
/* Applies the password hashing cost from the configuration. */
int cli_setup_crypto(cli_run *r);
/* Reads a password from --<opt> FILE ("-" = stdin, first line), or prompts
 * on the terminal (twice when confirm). Checks the password policy. */
int cli_read_password(cli_run *r, const char *opt, int confirm, char *out, size_t outsz);
int cli_password_policy(const char *pw, const char **why);
/* Lower-cases and validates an e-mail address into out. */
int cli_email(cli_run *r, const char *in, char *out, size_t outsz);
/* Derives a slug from a name ("Kestrel Social" -> "kestrel-social"). */
void cli_slugify(const char *name, char *out, size_t outsz);
/* Usage checks shared by init, org add and demo. */
int cli_check_kind(cli_run *r, const char *kind);
int cli_check_org_name(cli_run *r, const char *name);
/* Looks up an organisation by slug, or the first organisation when slug is NULL. */
int cli_org(cli_run *r, store_conn *c, core_arena *a, const char *slug, store_org *out);
/* Prints JSON to stdout (pretty) and decrefs it. */
void cli_print_json(json_t *v);
char *cli_fmt_time(int64_t t, char *buf, size_t n);
int cli_exit_for(int rc);          /* CORE_OK -> 0, CORE_INVALID -> 2, else 1 */

/* ---- shared state changes, each with its audit entry (ops.c) ---- */
int cli_op_org_create(store_conn *c, store_org *o);
int cli_op_user_create(store_conn *c, int64_t org_id, store_user *u);
int cli_op_member_set(store_conn *c, core_arena *a, int64_t org_id, int64_t user_id, core_role role);
json_t *cli_user_json(const store_user *u);
json_t *cli_org_json(const store_org *o);

#endif
