/* cmd_sla: `hrdd sla check`, the time-limit check for cron. Opens the
 * grievance service over the database and its secret, checks every open
 * case of every organisation (rmd_sla_check) and notifies handlers of
 * clocks due soon or overdue, once per clock, status and due date, through
 * --sendmail COMMAND or --notify-file FILE. Prints a one-line summary (and
 * one line per clock found); exit 0 unless the check itself failed.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "remedy/remedy.h"
#include "server/server.h"

static int sla_check_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    int64_t now = 0;
    const char *now_s = cli_opt_get(r, "now");
    if (now_s && (core_parse_int64(now_s, &now) != CORE_OK || now <= 0))
        return cli_usage_err(r, "--now takes unix seconds");
    if (r->cfg.notify_file && r->cfg.sendmail)
        return cli_usage_err(r, "give --notify-file or --sendmail, not both");
    char secret_path[4096];
    int rc = srv_secret_path(r->cfg.db, r->cfg.secret_file, secret_path, sizeof secret_path);
    if (rc != CORE_OK) {
        cli_err(r, "%s", rc == CORE_INVALID ? "a PostgreSQL database needs --secret-file" : "secret path too long");
        return CLI_EXIT_USAGE;
    }
    unsigned char secret[CRY_SECRET_LEN];
    if ((rc = cry_secret_load(secret_path, 0, secret)) != CORE_OK) {
        cli_err(r, "cannot read the server secret %s (%s)", secret_path, core_strerror(rc));
        return CLI_EXIT_FAIL;
    }
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    rmd_options o;
    rmd_options_defaults(&o);
    o.mail_sink_path = r->cfg.notify_file;
    o.sendmail_command = r->cfg.sendmail;
    o.base_url = cli_opt_get(r, "base-url");
    rmd_service *svc = NULL;
    rc = rmd_open(&svc, s, secret, &o);
    memset(secret, 0, sizeof secret);
    if (rc != CORE_OK) {
        cli_err(r, "cannot start the grievance service: %s", core_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    core_arena a;
    core_arena_init(&a);
    rmd_sla_report rep;
    rc = rmd_sla_check(svc, &a, now ? now : (int64_t)time(NULL), &rep);
    if (rc == CORE_OK) {
        for (size_t i = 0; i < rep.nitems; i++) {
            const rmd_sla_item *it = &rep.items[i];
            char due[32];
            printf("%s %s %s due %s%s\n", it->reference, it->clock, it->status,
                   cli_fmt_time(it->due_at, due, sizeof due), it->notified ? " (notified)" : "");
        }
        char line[300];
        rmd_sla_summary(&rep, line, sizeof line);
        printf("%s\n", line);
        if (!o.mail_sink_path && !o.sendmail_command && rep.due_soon + rep.overdue > 0)
            fprintf(stderr, "hrdd: sla check: no --sendmail or --notify-file: nobody was notified\n");
    } else {
        cli_err(r, "the check failed: %s", core_strerror(rc));
    }
    core_arena_cleanup(&a);
    rmd_close(svc);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static const cli_opt sla_opts[] = {
    {"now", "UNIX", "evaluate the clocks at this time (unix seconds; tests)"},
    {"base-url", "URL", "prefix of the case links in notifications (https://hrdd.example.org)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_sla_check = {
    .name = "sla check",
    .summary = "Check time limits of open grievances and notify handlers (for cron)",
    .synopsis = "sla check --db DB [--notify-file FILE | --sendmail COMMAND] [--now UNIX]",
    .description =
        "Evaluates every running clock of every open case in every organisation\n"
        "(acknowledge, feedback, answer_request) against the organisation's policy.\n"
        "A clock due within the policy's due-soon days or overdue is notified once\n"
        "per status and due date to the assigned handler, or to every case handler\n"
        "of the organisation when the case is unassigned. --sendmail runs the\n"
        "command directly (no shell) with the message on its standard input;\n"
        "--notify-file appends one JSON line per notification. Messages carry the\n"
        "case reference, the clock, the due date and a link, never case content.\n"
        "Failed notifications are retried on the next run.",
    .keys = CLI_KEYS_STORE | CLI_KEYS_NOTIFY,
    .opts = sla_opts,
    .examples = "  */15 * * * * hrdd sla check --db /var/lib/hrdd/hrdd.db --sendmail '/usr/sbin/sendmail -t -i'\n",
    .run = sla_check_run,
};
