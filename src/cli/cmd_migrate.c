/* cmd_migrate: `hrdd migrate` applies pending schema migrations (each step
 * in its own transaction); `--status` only reports. A database newer than
 * this binary is refused.
 */
#include <stdio.h>

#include "cli/cli.h"

static const cli_opt migrate_opts[] = {
    {"status", NULL, "only print the schema version and whether migrations are pending"},
    {NULL, NULL, NULL},
};

static int migrate_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    store *s = NULL;
    int rc = cli_open_store(r, &s, 0, 0);
    if (rc != CORE_OK) return cli_exit_for(rc == CORE_INVALID ? rc : CORE_ERR);
    int version = 0;
    rc = store_schema_version(s, &version);
    if (rc != CORE_OK) {
        cli_err(r, "cannot read the schema version: %s", core_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    if (version > STORE_SCHEMA_VERSION) {
        cli_err(r, "the database schema (version %d) is newer than this hrdd (knows up to %d); "
                "refusing to touch it; upgrade hrdd", version, STORE_SCHEMA_VERSION);
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    if (cli_opt_has(r, "status")) {
        if (version == STORE_SCHEMA_VERSION) printf("schema version %d: up to date\n", version);
        else printf("schema version %d: %d migration(s) pending (this hrdd knows %d)\n", version,
                    STORE_SCHEMA_VERSION - version, STORE_SCHEMA_VERSION);
        store_close(s);
        return CLI_EXIT_OK;
    }
    int from = 0, to = 0;
    rc = store_migrate(s, &from, &to);
    store_close(s);
    if (rc == CORE_SCHEMA_NEWER) {
        cli_err(r, "the database schema is newer than this hrdd (knows up to %d); upgrade hrdd",
                STORE_SCHEMA_VERSION);
        return CLI_EXIT_FAIL;
    }
    if (rc != CORE_OK) {
        cli_err(r, "migration failed: %s", core_strerror(rc));
        return CLI_EXIT_FAIL;
    }
    if (from == to) printf("schema version %d: up to date\n", to);
    else printf("migrated schema from version %d to %d\n", from, to);
    return CLI_EXIT_OK;
}

const cli_cmd cli_cmd_migrate = {
    .name = "migrate",
    .summary = "Apply pending database schema migrations",
    .synopsis = "migrate --db DB [--status]",
    .description =
        "Applies every pending schema step, each in its own transaction, so a\n"
        "failed step leaves the previous version. Safe to run more than once.\n"
        "Refuses a database whose schema is newer than this binary.\n"
        "Back up the database before upgrading.",
    .keys = CLI_KEYS_STORE,
    .opts = migrate_opts,
    .examples = "  hrdd migrate --db /var/lib/hrdd/hrdd.db\n  hrdd migrate --db /var/lib/hrdd/hrdd.db --status\n",
    .run = migrate_run,
};
