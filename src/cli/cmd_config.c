/* cmd_config: `hrdd config` prints the effective configuration and where
 * each value came from (flag, env, file, default), so an operator can see
 * what precedence produced; `hrdd version` prints the version.
 */
#include <stdio.h>
#include <stdlib.h>

#include <microhttpd.h>
#include <sodium.h>
#include <sqlite3.h>

#include "cli/cli.h"

static int config_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    int json = cli_opt_has(r, "json");
    json_t *obj = json ? json_object() : NULL;
    if (!json) printf("# config file: %s\n", r->cfg.file ? r->cfg.file : "(none)");
    for (int k = 0; k < CLI_K__COUNT; k++) {
        char *shown = cli_config_redact(r->cfg.value[k]);
        const char *src = cli_source_name(r->cfg.source[k]);
        if (json) {
            json_object_set_new(obj, cli_keys[k].file_key,
                                json_pack("{s:s?, s:s, s:s?}", "value", shown, "source", src, "from", r->cfg.where[k]));
        } else if (shown) {
            printf("%s = %s  # %s%s%s\n", cli_keys[k].file_key, shown, src, r->cfg.where[k] ? " " : "",
                   r->cfg.where[k] ? r->cfg.where[k] : "");
        } else {
            printf("# %s is not set\n", cli_keys[k].file_key);
        }
        free(shown);
    }
    if (json) {
        json_t *top = json_pack("{s:s?, s:o}", "file", r->cfg.file, "keys", obj);
        cli_print_json(top);
    }
    return CLI_EXIT_OK;
}

static const cli_opt config_opts[] = {
    {"json", NULL, "print JSON: {\"file\":..., \"keys\":{\"db\":{\"value\",\"source\",\"from\"}}}"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_config = {
    .name = "config",
    .summary = "Show the effective configuration and where each value comes from",
    .synopsis = "config [--config FILE] [FLAGS] [--json]",
    .description =
        "Precedence: flags > environment (HRDD_*) > config file > defaults.\n"
        "The config file has one 'key = value' per line (keys: db, listen,\n"
        "secret_file, threads, pool_size, behind_tls, pwhash_cost, max_body);\n"
        "lines starting with # are comments; a value may be \"quoted\". Errors are\n"
        "reported as FILE:LINE:COLUMN. Passwords in database URLs are shown as ***.",
    .keys = CLI_KEYS_ALL,
    .opts = config_opts,
    .examples = "  hrdd config --config /etc/hrdd/hrdd.conf\n  HRDD_LISTEN=:9000 hrdd config --json\n",
    .run = config_run,
};

static int version_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    printf("hrdd %s\n", HRDD_VERSION);
    if (cli_opt_has(r, "verbose")) {
        printf("schema version %d\n", STORE_SCHEMA_VERSION);
        printf("sqlite %s, libsodium %s, libmicrohttpd %s, jansson %s\n", sqlite3_libversion(),
               sodium_version_string(), MHD_get_version(), JANSSON_VERSION);
    }
    return CLI_EXIT_OK;
}

static const cli_opt version_opts[] = {
    {"verbose", NULL, "also print the schema version and library versions"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_version = {
    .name = "version",
    .summary = "Print the version of hrdd",
    .synopsis = "version [--verbose]",
    .opts = version_opts,
    .examples = "  hrdd version\n  hrdd version --verbose\n",
    .run = version_run,
};
