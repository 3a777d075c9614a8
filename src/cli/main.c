/* main: the `hrdd` entry point: finds the command (git-style, "hrdd user
 * add ..."), parses its options against the command's table, loads the
 * configuration layers and runs it. Also the help system: `hrdd help`,
 * `hrdd help COMMAND`, `hrdd COMMAND --help`, `hrdd GROUP --help`.
 *
 * Options are long options only: "--name VALUE" or "--name=VALUE"; flags
 * take no value; "--" ends options. Two short forms: -h (--help) and
 * -o (--output, for the commands that write a file). Unknown options and missing values are
 * usage errors (exit 2).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

#define CLI_DEFAULT_CONFIG "/etc/hrdd/hrdd.conf"

static const cli_cmd *const cli_all[] = {
    &cli_cmd_init, &cli_cmd_serve, &cli_cmd_migrate, &cli_cmd_user_add, &cli_cmd_user_list,
    &cli_cmd_user_disable, &cli_cmd_user_enable, &cli_cmd_user_passwd, &cli_cmd_user_role,
    &cli_cmd_org_add, &cli_cmd_org_list, &cli_cmd_audit_verify, &cli_cmd_audit_list,
    &cli_cmd_mechanisms_import, &cli_cmd_mechanisms_list, &cli_cmd_sla_check, &cli_cmd_backup, &cli_cmd_restore,
    &cli_cmd_retention_set, &cli_cmd_retention_show, &cli_cmd_retention_run, &cli_cmd_rights_list,
    &cli_cmd_impacts_list, &cli_cmd_assessments_due, &cli_cmd_register_export, &cli_cmd_register_import,
    &cli_cmd_transparency_ingest, &cli_cmd_transparency_report, &cli_cmd_requests_import,
    &cli_cmd_assess_import_rdr, &cli_cmd_assess_score, &cli_cmd_assess_check, &cli_cmd_assess_methodologies,
    &cli_cmd_transparency_aggregate, &cli_cmd_transparency_merge,
    &cli_cmd_routes, &cli_cmd_config, &cli_cmd_demo, &cli_cmd_version, &cli_cmd_help,
};
#define CLI_NCMDS (sizeof cli_all / sizeof cli_all[0])

const cli_cmd *const *cli_commands(size_t *n)
{
    *n = CLI_NCMDS;
    return cli_all;
}

/* ---- messages ---- */

void cli_err(const cli_run *r, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "hrdd: %s: ", r && r->cmd ? r->cmd->name : "error");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_usage_err(const cli_run *r, const char *fmt, ...)
{
    va_list ap;
    const char *name = r && r->cmd ? r->cmd->name : NULL;
    fprintf(stderr, "hrdd: %s%s", name ? name : "", name ? ": " : "");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry 'hrdd %s%s--help'.\n", name ? name : "", name ? " " : "");
    return CLI_EXIT_USAGE;
}

/* ---- help ---- */

/* Prints one option, its help wrapped to 80 columns under a 28-column indent. */
static void cli_print_opt(FILE *f, const char *name, const char *metavar, const char *help)
{
    char left[64];
    snprintf(left, sizeof left, "--%s%s%s", name, metavar ? " " : "", metavar ? metavar : "");
    if (strlen(left) <= 24) fprintf(f, "  %-24s  ", left);
    else fprintf(f, "  %s\n%28s", left, "");
    const size_t width = 80 - 28;
    const char *p = help;
    while (*p) {
        size_t len = strlen(p);
        size_t take = len;
        if (len > width) {
            take = width;
            while (take > 0 && p[take] != ' ') take--;
            if (take == 0) take = width;
        }
        fprintf(f, "%.*s\n", (int)take, p);
        p += take;
        while (*p == ' ') p++;
        if (*p) fprintf(f, "%28s", "");
    }
    if (!help[0]) fputc('\n', f);
}

void cli_print_help(const cli_cmd *cmd, void *fp)
{
    FILE *f = fp;
    fprintf(f, "Usage: hrdd %s\n\n%s\n", cmd->synopsis, cmd->summary);
    if (cmd->description) fprintf(f, "\n%s\n", cmd->description);
    fprintf(f, "\nOptions:\n");
    for (const cli_opt *o = cmd->opts; o && o->name; o++) cli_print_opt(f, o->name, o->metavar, o->help);
    for (int k = 0; k < CLI_K__COUNT; k++) {
        if (cmd->keys & CLI_KEY_BIT(k))
            cli_print_opt(f, cli_keys[k].flag, cli_keys[k].metavar, cli_keys[k].help);
    }
    if (cmd->keys) cli_print_opt(f, "config", "FILE", "config file (default " CLI_DEFAULT_CONFIG " if present)");
    cli_print_opt(f, "help", NULL, "show this help");
    if (cmd->keys) {
        fprintf(f, "\nEnvironment (overridden by flags, overrides the config file):\n");
        fprintf(f, "  %-24s  %s\n", "HRDD_CONFIG", "config file to read instead of the default");
        for (int k = 0; k < CLI_K__COUNT; k++) {
            if (cmd->keys & CLI_KEY_BIT(k)) fprintf(f, "  %-24s  --%s\n", cli_keys[k].env, cli_keys[k].flag);
        }
    }
    if (cmd->examples) fprintf(f, "\nExamples:\n%s", cmd->examples);
    fprintf(f, "\nExit status: 0 success, 1 failure, 2 usage or configuration error.\n");
}

static void cli_print_overview(FILE *f)
{
    fprintf(f,
            "Usage: hrdd COMMAND [OPTIONS]\n\n"
            "hrdd: human rights due diligence, grievance mechanisms and transparency\n"
            "reports under the UN Guiding Principles on Business and Human Rights.\n\n"
            "Commands:\n");
    for (size_t i = 0; i < CLI_NCMDS; i++) fprintf(f, "  %-16s  %s\n", cli_all[i]->name, cli_all[i]->summary);
    fprintf(f,
            "\nRun 'hrdd help COMMAND' or 'hrdd COMMAND --help' for a command's options.\n"
            "Configuration: flags > environment (HRDD_*) > config file (--config FILE,\n"
            "default " CLI_DEFAULT_CONFIG ") > defaults.\n"
            "Exit status: 0 success, 1 failure, 2 usage or configuration error.\n");
}

static int cli_is_group(const char *word)
{
    size_t wl = strlen(word);
    for (size_t i = 0; i < CLI_NCMDS; i++) {
        const char *n = cli_all[i]->name;
        if (strncmp(n, word, wl) == 0 && n[wl] == ' ') return 1;
    }
    return 0;
}

static void cli_print_group(FILE *f, const char *group)
{
    size_t gl = strlen(group);
    fprintf(f, "Usage: hrdd %s SUBCOMMAND [OPTIONS]\n\nSubcommands:\n", group);
    for (size_t i = 0; i < CLI_NCMDS; i++) {
        const char *n = cli_all[i]->name;
        if (strncmp(n, group, gl) == 0 && n[gl] == ' ')
            fprintf(f, "  %-16s  %s\n", n + gl + 1, cli_all[i]->summary);
    }
    fprintf(f, "\nRun 'hrdd %s SUBCOMMAND --help' for its options.\n", group);
}

/* Finds the command named by argv[0] (and argv[1] for groups); *used gets
 * how many words it took. */
static const cli_cmd *cli_find(int argc, char **argv, int *used)
{
    for (size_t i = 0; i < CLI_NCMDS; i++) {
        const char *n = cli_all[i]->name;
        const char *sp = strchr(n, ' ');
        if (!sp) {
            if (strcmp(n, argv[0]) == 0) { *used = 1; return cli_all[i]; }
        } else if (argc >= 2 && strlen(argv[0]) == (size_t)(sp - n) &&
                   strncmp(n, argv[0], (size_t)(sp - n)) == 0 && strcmp(sp + 1, argv[1]) == 0) {
            *used = 2;
            return cli_all[i];
        }
    }
    return NULL;
}

/* ---- `hrdd help [COMMAND]` ---- */

static int cli_help_run(cli_run *r)
{
    if (r->nargs == 0) {
        cli_print_overview(stdout);
        return CLI_EXIT_OK;
    }
    int used = 0;
    const cli_cmd *cmd = cli_find(r->nargs, r->args, &used);
    if (cmd && used == r->nargs) {
        cli_print_help(cmd, stdout);
        return CLI_EXIT_OK;
    }
    if (r->nargs == 1 && cli_is_group(r->args[0])) {
        cli_print_group(stdout, r->args[0]);
        return CLI_EXIT_OK;
    }
    return cli_usage_err(r, "unknown command '%s'", r->args[0]);
}

const cli_cmd cli_cmd_help = {
    .name = "help",
    .summary = "Show help for hrdd or one command",
    .synopsis = "help [COMMAND [SUBCOMMAND]]",
    .description = "Without a command, lists every command. With one, prints its usage,\n"
                   "options, environment variables and examples.",
    .examples = "  hrdd help\n  hrdd help user add\n",
    .run = cli_help_run,
};

/* ---- option parsing ---- */

const char *cli_opt_get(const cli_run *r, const char *name)
{
    for (int i = 0; r->cmd->opts && r->cmd->opts[i].name; i++) {
        if (strcmp(r->cmd->opts[i].name, name) == 0) return r->opt[i];
    }
    return NULL;
}

int cli_opt_has(const cli_run *r, const char *name)
{
    return cli_opt_get(r, name) != NULL;
}

/* Parses argv (after the command words). Flags that set configuration keys
 * are collected in flagv[] and applied after file and environment. */
static int cli_parse(cli_run *r, int argc, char **argv, const char **flagv, const char **config_path,
                     int *want_help)
{
    const cli_cmd *cmd = r->cmd;
    int only_args = 0;
    for (int i = 0; i < argc; i++) {
        char *a = argv[i];
        if (only_args || a[0] != '-' || strcmp(a, "-") == 0) {
            r->args[r->nargs++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) { only_args = 1; continue; }
        if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) { *want_help = 1; continue; }
        static char long_output[] = "--output";
        if (strcmp(a, "-o") == 0) a = long_output;
        if (a[1] != '-') return cli_usage_err(r, "unknown option '%s' (options are --long)", a);
        const char *name = a + 2;
        const char *eq = strchr(name, '=');
        size_t nl = eq ? (size_t)(eq - name) : strlen(name);
        const char *inline_val = eq ? eq + 1 : NULL;
        const char *metavar = NULL;
        const char **slot = NULL;
        int found = 0;
        for (int j = 0; cmd->opts && cmd->opts[j].name; j++) {
            if (strlen(cmd->opts[j].name) == nl && strncmp(cmd->opts[j].name, name, nl) == 0) {
                metavar = cmd->opts[j].metavar;
                slot = &r->opt[j];
                found = 1;
                break;
            }
        }
        for (int k = 0; !found && k < CLI_K__COUNT; k++) {
            if ((cmd->keys & CLI_KEY_BIT(k)) && strlen(cli_keys[k].flag) == nl &&
                strncmp(cli_keys[k].flag, name, nl) == 0) {
                metavar = cli_keys[k].metavar;
                slot = &flagv[k];
                found = 1;
            }
        }
        if (!found && cmd->keys && nl == 6 && strncmp(name, "config", 6) == 0) {
            metavar = "FILE";
            slot = config_path;
            found = 1;
        }
        if (!found) return cli_usage_err(r, "unknown option '--%.*s'", (int)nl, name);
        if (!metavar) {
            if (inline_val) {
                /* --behind-tls=false is accepted for boolean configuration flags */
                if (slot >= flagv && slot < flagv + CLI_K__COUNT) { *slot = inline_val; continue; }
                return cli_usage_err(r, "option '--%.*s' takes no value", (int)nl, name);
            }
            *slot = (slot >= flagv && slot < flagv + CLI_K__COUNT) ? "true" : "1";
            continue;
        }
        if (inline_val) {
            *slot = inline_val;
        } else {
            if (i + 1 >= argc) return cli_usage_err(r, "option '--%.*s' needs a value (%s)", (int)nl, name, metavar);
            *slot = argv[++i];
        }
    }
    return CLI_EXIT_OK;
}

static int cli_load_config(cli_run *r, const char **flagv, const char *config_path)
{
    const cli_cmd *cmd = r->cmd;
    if (cmd->keys) {
        int rc;
        if (config_path) rc = cli_config_file(&r->cfg, config_path, 0);
        else if (getenv("HRDD_CONFIG") && getenv("HRDD_CONFIG")[0])
            rc = cli_config_file(&r->cfg, getenv("HRDD_CONFIG"), 0);
        else rc = cli_config_file(&r->cfg, CLI_DEFAULT_CONFIG, 1);
        if (rc != CORE_OK) return CLI_EXIT_USAGE;
        if (cli_config_env(&r->cfg, cmd->keys) != CORE_OK) return CLI_EXIT_USAGE;
        for (int k = 0; k < CLI_K__COUNT; k++) {
            if (!flagv[k]) continue;
            char where[64];
            snprintf(where, sizeof where, "--%s", cli_keys[k].flag);
            if (cli_config_set(&r->cfg, (cli_key)k, flagv[k], CLI_SRC_FLAG, where) != CORE_OK)
                return CLI_EXIT_USAGE;
        }
    }
    if (cli_config_finish(&r->cfg) != CORE_OK) return CLI_EXIT_FAIL;
    return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
    /* Databases, WAL files, secrets and credentials are private to the
     * service account: nothing hrdd creates is readable by others. */
    umask(077);
    /* Past a file-size limit (RLIMIT_FSIZE) a write fails with EFBIG, which
     * the store reports (the server answers 503), instead of SIGXFSZ killing
     * the process in the middle of a write. */
    signal(SIGXFSZ, SIG_IGN);
    if (argc < 2) {
        cli_print_overview(stderr);
        return CLI_EXIT_USAGE;
    }
    const char *first = argv[1];
    if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
        cli_print_overview(stdout);
        return CLI_EXIT_OK;
    }
    if (strcmp(first, "--version") == 0) first = "version";
    char *words[2] = {(char *)first, argc > 2 ? argv[2] : NULL};
    int used = 0;
    const cli_cmd *cmd = cli_find(argc > 2 ? 2 : 1, words, &used);
    if (!cmd) {
        if (cli_is_group(first)) {
            if (argc > 2 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0)) {
                cli_print_group(stdout, first);
                return CLI_EXIT_OK;
            }
            if (argc > 2) fprintf(stderr, "hrdd: %s: unknown subcommand '%s'\n\n", first, argv[2]);
            cli_print_group(stderr, first);
            return CLI_EXIT_USAGE;
        }
        fprintf(stderr, "hrdd: unknown command '%s'\nTry 'hrdd help'.\n", first);
        return CLI_EXIT_USAGE;
    }

    cli_run r;
    memset(&r, 0, sizeof r);
    r.cmd = cmd;
    cli_config_init(&r.cfg);
    int nrest = argc - 1 - used;
    char **rest = argv + 1 + used;
    r.args = calloc((size_t)nrest + 1, sizeof *r.args);
    if (!r.args) {
        fprintf(stderr, "hrdd: out of memory\n");
        return CLI_EXIT_FAIL;
    }
    const char *flagv[CLI_K__COUNT] = {0};
    const char *config_path = NULL;
    int want_help = 0;
    int rc = cli_parse(&r, nrest, rest, flagv, &config_path, &want_help);
    if (rc == CLI_EXIT_OK && want_help) {
        cli_print_help(cmd, stdout);
    } else if (rc == CLI_EXIT_OK) {
        rc = cli_load_config(&r, flagv, config_path);
        if (rc == CLI_EXIT_OK) rc = cmd->run(&r);
    }
    cli_config_cleanup(&r.cfg);
    free(r.args);
    return rc;
}
