/* cmd_serve: `hrdd serve` runs the HTTP server until SIGINT/SIGTERM
 * (srv_run). The database must be initialised and fully migrated.
 */
#include <stdio.h>

#include "cli/cli.h"
#include "server/server.h"

static int serve_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    if (srv_is_postgres_url(r->cfg.db) && !r->cfg.secret_file)
        return cli_usage_err(r, "a PostgreSQL database needs --secret-file FILE (or HRDD_SECRET_FILE)");
    if (r->cfg.notify_file && r->cfg.sendmail)
        return cli_usage_err(r, "give --notify-file or --sendmail, not both");
    int rc = cli_setup_crypto(r);
    if (rc != CORE_OK) return cli_exit_for(rc);
    srv_options o = {
        .db_url = r->cfg.db,
        .listen = r->cfg.listen,
        .secret_file = r->cfg.secret_file,
        .threads = r->cfg.threads,
        .pool_size = r->cfg.pool_size,
        .behind_tls = r->cfg.behind_tls,
        .max_body = r->cfg.max_body,
        .timeout_s = r->cfg.conn_timeout,
        .max_connections = r->cfg.max_connections,
        .sla_interval_min = r->cfg.sla_interval_min,
        .notify_file = r->cfg.notify_file,
        .sendmail = r->cfg.sendmail,
    };
    rc = srv_run(&o);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

const cli_cmd cli_cmd_serve = {
    .name = "serve",
    .summary = "Serve the web interface and the JSON API",
    .synopsis = "serve --db DB [--listen ADDR:PORT] [OPTIONS]",
    .description =
        "Serves until SIGINT or SIGTERM, then finishes the requests in flight and\n"
        "exits. Logs are JSON lines on standard error; the first says where it\n"
        "listens: {\"msg\":\"listening\",\"url\":\"http://127.0.0.1:8080\"}.\n"
        "Refuses a database with pending migrations (run 'hrdd migrate'), one\n"
        "newer than this binary, or one without an organisation ('hrdd init').\n"
        "Use --listen 127.0.0.1:0 to pick a free port.\n"
        "\n"
        "The grievance mechanism runs inside the server: every --sla-interval\n"
        "minutes (first a few seconds after start-up) it checks the time limits of\n"
        "open cases and notifies the handlers of cases due soon or overdue, once\n"
        "per clock and due date, through --sendmail COMMAND (the message on its\n"
        "standard input; run directly, never through a shell) or, with\n"
        "--notify-file FILE, as one JSON line each appended to FILE. Without\n"
        "either, overdue cases are still flagged in the staff queue and the log.\n"
        "Use 'hrdd sla check' from cron instead with --sla-interval 0.",
    .keys = CLI_KEYS_SERVE,
    .examples =
        "  hrdd serve --db /var/lib/hrdd/hrdd.db --listen 127.0.0.1:8080\n"
        "  HRDD_DB=postgresql://hrdd@localhost/hrdd HRDD_SECRET_FILE=/etc/hrdd/secret \\\n"
        "      hrdd serve --behind-tls --threads 4\n"
        "  hrdd serve --db hrdd.db --sendmail '/usr/sbin/sendmail -t -i' --sla-interval 30\n",
    .run = serve_run,
};
