/* cmd_report: stored transparency data and reports (issue 5).
 * `hrdd transparency ingest [--org SLUG] [--keep-rows] [--rejects FILE] INPUT...`
 *   adds statements of reasons (CSV, nested zip, JSON) to the org's per-day
 *   aggregates (idempotent by uuid). Exit 0 clean, 1 some rows rejected or a
 *   store failure, 2 a file-level fault or usage error.
 * `hrdd transparency report [--org SLUG] [--from D --to D]
 *   [--format dsa-csv|json|html] [--table N]` prints a report from the stored
 *   aggregates (never rescanning rows), with the grievance mechanism's
 *   statistics when the server secret is at hand.
 * `hrdd requests import [--org SLUG] FILE` imports government requests
 *   (format in report.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "remedy/remedy.h"
#include "report/report.h"
#include "server/server.h"
#include "web/web_tr.h"

typedef struct rj_file {
    FILE *f;
    uint64_t n;
} rj_file;

/* One CSV field, quoted when it needs to be (RFC 4180). */
static void csv_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void on_reject(void *ctx, const char *source, uint64_t row, const char *column,
                      const char *reason)
{
    rj_file *rj = ctx;
    rj->n++;
    if (!rj->f)
        return;
    csv_field(rj->f, source ? source : "");
    fprintf(rj->f, ",%llu,", (unsigned long long)row);
    csv_field(rj->f, column ? column : "");
    fputc(',', rj->f);
    csv_field(rj->f, reason ? reason : "");
    fputc('\n', rj->f);
}

static void on_progress(void *ctx, uint64_t rows, uint64_t bytes, uint64_t total, double secs)
{
    (void)ctx;
    double mbs = secs > 0 ? (double)bytes / 1e6 / secs : 0;
    if (total && bytes && secs > 0)
        fprintf(stderr, "\r%llu rows  %.1f MB/s  ETA %.0fs   ", (unsigned long long)rows, mbs,
                (double)(total - (bytes < total ? bytes : total)) / ((double)bytes / secs));
    else
        fprintf(stderr, "\r%llu rows  %.1f MB/s   ", (unsigned long long)rows, mbs);
}

static int ingest_run(cli_run *r)
{
    if (r->nargs < 1)
        return cli_usage_err(r, "expected one or more INPUT files");
    if (cli_need_db(r) != CORE_OK)
        return CLI_EXIT_USAGE;
    const char *rj_path = cli_opt_get(r, "rejects");
    rj_file rj = {0};
    if (rj_path) {
        rj.f = fopen(rj_path, "w");
        if (!rj.f) {
            cli_err(r, "cannot write %s", rj_path);
            return CLI_EXIT_USAGE;
        }
        fprintf(rj.f, "source,row,column,reason\n");
    }
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) {
        if (rj.f)
            fclose(rj.f);
        return CLI_EXIT_FAIL;
    }
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    store_org org = {0};
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = cli_org(r, c, &a, cli_opt_get(r, "org"), &org);
        store_release(s, c);
    }
    rpt_ingest_result res = {0};
    char err[512] = "";
    if (rc == CORE_OK) {
        rpt_ingest_opts o = {.org_id = org.id, .keep_rows = cli_opt_has(r, "keep-rows"),
                             .on_reject = on_reject, .reject_ctx = &rj,
                             .on_progress = isatty(2) ? on_progress : NULL};
        rc = rpt_ingest(s, &o, (const char *const *)r->args, (size_t)r->nargs, &res, err,
                        sizeof err);
        if (isatty(2))
            fputc('\n', stderr);
    }
    if (rj.f)
        fclose(rj.f);
    char slug[80];
    snprintf(slug, sizeof slug, "%s", org.slug ? org.slug : "");
    core_arena_cleanup(&a);
    store_close(s);
    if (rc == CORE_INVALID) {
        cli_err(r, "%s", err[0] ? err : "invalid input");
        return CLI_EXIT_USAGE;
    }
    if (rc != CORE_OK) {
        cli_err(r, "ingest failed: %s%s%s", core_strerror(rc), err[0] ? ": " : "", err);
        return CLI_EXIT_FAIL;
    }
    printf("{\"org\": \"%s\", \"rows_read\": %llu, \"rows_new\": %llu, \"rows_duplicate\": %llu,"
           " \"rows_rejected\": %llu}\n", slug, (unsigned long long)res.rows_read,
           (unsigned long long)res.rows_new, (unsigned long long)res.rows_duplicate,
           (unsigned long long)res.rows_rejected);
    return res.rows_rejected ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* Grievance statistics of the period, when the server secret is readable. */
static json_t *grievance_stats(cli_run *r, store *s, core_arena *a, int64_t org_id,
                               const char *from, const char *to)
{
    char path[4096];
    if (srv_secret_path(r->cfg.db, r->cfg.secret_file, path, sizeof path) != CORE_OK ||
        access(path, R_OK) != 0)
        return NULL;
    unsigned char secret[CRY_SECRET_LEN];
    if (cry_secret_load(path, 0, secret) != CORE_OK)
        return NULL;
    rmd_service *svc = NULL;
    rmd_options o = {0};
    int rc = rmd_open(&svc, s, secret, &o);
    memset(secret, 0, sizeof secret);
    if (rc != CORE_OK)
        return NULL;
    json_t *out = NULL;
    int64_t t0 = rpt_day_epoch(from), t1 = rpt_day_epoch(to);
    if (rmd_stats_public(svc, a, org_id, t0, t1 ? t1 + 86400 : 0, &out) != CORE_OK)
        out = NULL;
    rmd_close(svc);
    return out;
}

static int report_run(cli_run *r)
{
    if (r->nargs)
        return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK)
        return CLI_EXIT_USAGE;
    const char *from = cli_opt_get(r, "from"), *to = cli_opt_get(r, "to");
    const char *fmt = cli_opt_get(r, "format");
    const char *table = cli_opt_get(r, "table");
    if (!fmt)
        fmt = "json";
    if (strcmp(fmt, "json") && strcmp(fmt, "dsa-csv") && strcmp(fmt, "html"))
        return cli_usage_err(r, "--format must be dsa-csv, json or html");
    if ((from && !rpt_day_valid(from)) || (to && !rpt_day_valid(to)))
        return cli_usage_err(r, "--from and --to take a date YYYY-MM-DD");
    if (from && to && strcmp(from, to) > 0)
        return cli_usage_err(r, "--from must not be after --to");
    int64_t part = 0;
    if (table && (core_parse_int64(table, &part) != CORE_OK || part < 1 || part > RPT_DSA_PARTS))
        return cli_usage_err(r, "--table takes a part number from 1 to %d", RPT_DSA_PARTS);
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK)
        return CLI_EXIT_FAIL;
    core_arena a;
    core_arena_init(&a);
    store_conn *c = NULL;
    store_org org = {0};
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = cli_org(r, c, &a, cli_opt_get(r, "org"), &org);
        store_release(s, c);
        c = NULL;
    }
    rpt_data d;
    json_t *gs = NULL;
    if (rc == CORE_OK && (rc = store_acquire(s, &c)) == CORE_OK) {
        rc = rpt_load(c, &a, &org, from, to, NULL, &d);
        store_release(s, c);
    }
    if (rc == CORE_OK) {
        gs = grievance_stats(r, s, &a, org.id, d.from, d.to);
        d.grievances = gs;
    }
    core_buf out;
    core_buf_init(&out);
    if (rc == CORE_OK) {
        if (!strcmp(fmt, "dsa-csv")) {
            rc = rpt_dsa_csv(&d, (int)part, &out);
        } else {
            json_t *j = rpt_json(&d);
            if (!j)
                rc = CORE_NOMEM;
            else if (!strcmp(fmt, "json")) {
                char *txt = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
                rc = txt ? core_buf_puts(&out, txt) : CORE_NOMEM;
                if (rc == CORE_OK)
                    rc = core_buf_putc(&out, '\n');
                free(txt);
            } else {
                rc = web_tr_report_html(j, "en", &out);
            }
            json_decref(j);
        }
    }
    json_decref(gs);
    if (rc == CORE_OK)
        fwrite(out.data, 1, out.len, stdout);
    else
        cli_err(r, "report failed: %s", core_strerror(rc));
    core_buf_cleanup(&out);
    core_arena_cleanup(&a);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : cli_exit_for(rc);
}

static int requests_run(cli_run *r)
{
    if (r->nargs != 1)
        return cli_usage_err(r, "expected one FILE (CSV or JSON; - for stdin)");
    if (cli_need_db(r) != CORE_OK)
        return CLI_EXIT_USAGE;
    FILE *f = strcmp(r->args[0], "-") ? fopen(r->args[0], "rb") : stdin;
    if (!f) {
        cli_err(r, "cannot read %s", r->args[0]);
        return CLI_EXIT_USAGE;
    }
    core_buf in;
    core_buf_init(&in);
    char chunk[65536];
    size_t got;
    int rc = CORE_OK;
    while (rc == CORE_OK && (got = fread(chunk, 1, sizeof chunk, f)) > 0)
        rc = in.len + got > (64u << 20) ? CORE_INVALID : core_buf_append(&in, chunk, got);
    if (f != stdin)
        fclose(f);
    store *s = NULL;
    if (rc != CORE_OK || cli_open_store(r, &s, 1, 0) != CORE_OK) {
        core_buf_cleanup(&in);
        if (rc != CORE_OK)
            cli_err(r, "cannot read %s", r->args[0]);
        return CLI_EXIT_FAIL;
    }
    core_arena a;
    core_arena_init(&a);
    store_conn *c = NULL;
    store_org org = {0};
    size_t stored = 0;
    rpt_gov_error e = {0};
    rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = cli_org(r, c, &a, cli_opt_get(r, "org"), &org);
        if (rc == CORE_OK)
            rc = rpt_gov_import(c, org.id, core_buf_cstr(&in), in.len, &stored, &e);
        store_release(s, c);
    }
    if (rc == CORE_INVALID && (e.reason[0] || e.field[0]))
        cli_err(r, "%s:%zu: %s %s", r->args[0], e.line, e.field[0] ? e.field : "input", e.reason);
    else if (rc != CORE_OK)
        cli_err(r, "import failed: %s", core_strerror(rc));
    else
        printf("%zu line(s) imported for %s\n", stored, org.slug);
    core_buf_cleanup(&in);
    core_arena_cleanup(&a);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : rc == CORE_INVALID ? CLI_EXIT_FAIL : CLI_EXIT_FAIL;
}

static const cli_opt ingest_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's own)"},
    {"keep-rows", NULL, "also keep the statements themselves (not only the per-day aggregates)"},
    {"rejects", "FILE", "write rejected rows (source,row,column,reason) to FILE"},
    {NULL, NULL, NULL},
};

static const cli_opt report_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's own)"},
    {"from", "DATE", "first day of the period (default: the first day with data)"},
    {"to", "DATE", "last day of the period (default: the last day with data)"},
    {"format", "FMT", "dsa-csv, json (default) or html"},
    {"table", "N", "with dsa-csv: only part N (1-11) of Annex I"},
    {NULL, NULL, NULL},
};

static const cli_opt requests_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's own)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_transparency_ingest = {
    .name = "transparency ingest",
    .summary = "Add statements of reasons to the stored per-day aggregates",
    .synopsis = "transparency ingest --db DB [--org SLUG] [--keep-rows] [--rejects FILE] INPUT...",
    .description =
        "Reads DSA statements of reasons (daily dump CSV, V1 or V2; nested zip\n"
        "archives; JSON submissions) and adds them to the organisation's per-day\n"
        "aggregates in one transaction, so reports over any period never rescan raw\n"
        "data. Statements already ingested (same uuid) are counted as duplicates and\n"
        "add nothing. Rejected rows are reported with row, column and reason. Exit\n"
        "status 0 clean, 1 some rows rejected, 2 a file-level fault (nothing kept).",
    .keys = CLI_KEYS_STORE,
    .opts = ingest_opts,
    .examples = "  hrdd transparency ingest --db hrdd.db sor-global-2025-07-01-full.zip\n",
    .run = ingest_run,
};

const cli_cmd cli_cmd_transparency_report = {
    .name = "transparency report",
    .summary = "Print a transparency report from the stored aggregates",
    .synopsis = "transparency report --db DB [--org SLUG] [--from D --to D]"
                " [--format dsa-csv|json|html] [--table N]",
    .description =
        "dsa-csv: the harmonised templates of Annex I of Implementing Regulation\n"
        "(EU) 2024/2835 in their official columns (every part, separated by an empty\n"
        "line, or only --table N); cells the data cannot fill are left empty. json and\n"
        "html: statements by category, restriction type, automation, territorial\n"
        "scope and day, government requests and the grievance mechanism's figures.",
    .keys = CLI_KEYS_STORE,
    .opts = report_opts,
    .examples = "  hrdd transparency report --db hrdd.db --format dsa-csv --table 5\n",
    .run = report_run,
};

const cli_cmd cli_cmd_requests_import = {
    .name = "requests import",
    .summary = "Import government requests (user data, removal demands)",
    .synopsis = "requests import --db DB [--org SLUG] FILE",
    .description =
        "CSV with the header\n"
        "  " RPT_GOV_CSV_HEADER "\n"
        "or JSON {\"requests\": [{...}]} with the same names. kind: user_data or\n"
        "removal; dates YYYY-MM-DD; country: ISO 3166-1 alpha-2; authority_type:\n"
        "law_enforcement, judicial, regulatory, executive, other; legal_process:\n"
        "court_order, warrant, subpoena, administrative_order, emergency, mlat, other;\n"
        "complied_percent: 0-100. Every line is checked before any is stored; a line\n"
        "with the same kind, period, country, authority and process replaces the old.",
    .keys = CLI_KEYS_STORE,
    .opts = requests_opts,
    .examples = "  hrdd requests import --db hrdd.db requests-2025-h1.csv\n",
    .run = requests_run,
};
