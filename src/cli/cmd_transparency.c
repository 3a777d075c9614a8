/* cmd_transparency: stateless statement-of-reasons aggregation (issue 5).
 *
 * `hrdd transparency aggregate [--by COL,...] [--format json|csv]
 *  [--rejects FILE] [--threads N] INPUT...` streams any mix of dump CSV
 * files, nested zip archives and JSON submissions through ing_run and
 * prints counts per group (the JSON contract of ingest.h; several grouping
 * sets in one pass with --by 'a,b;c' or 'a,b+c'). `hrdd transparency merge
 * PARTIAL...` adds up partial results of earlier runs (e.g. one per
 * machine). No database. Exit status: 0 every row counted, 1 some rows
 * rejected (see --rejects), 2 usage error or a file-level fault (the
 * message names the file and the offset). A progress line (rows, MB/s,
 * ETA) goes to stderr only when stderr is a terminal.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ingest/ingest.h"

typedef struct rejects {
    FILE *f;
    uint64_t n;
} rejects;

static void csv_out(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\n\r")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"') fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void on_reject(void *ctx, const ing_reject *rj)
{
    rejects *r = ctx;
    r->n++;
    if (!r->f) return;
    csv_out(r->f, rj->source);
    fprintf(r->f, ",%llu,", (unsigned long long)rj->row);
    csv_out(r->f, rj->column);
    fputc(',', r->f);
    csv_out(r->f, rj->reason);
    fputc('\n', r->f);
}

static void on_progress(void *ctx, const ing_progress *p)
{
    (void)ctx;
    double mbs = p->seconds > 0 ? (double)p->bytes / 1e6 / p->seconds : 0;
    char eta[32] = "--:--";
    if (p->total_bytes && p->bytes && p->bytes < p->total_bytes && mbs > 0) {
        double left = (double)(p->total_bytes - p->bytes) / 1e6 / mbs;
        snprintf(eta, sizeof eta, "%02u:%02u", (unsigned)(left / 60), (unsigned)left % 60);
    }
    fprintf(stderr, "\r%llu rows  %.0f MB/s  ETA %s   ", (unsigned long long)p->rows, mbs, eta);
    fflush(stderr);
}

static int parse_format(cli_run *r, int *csv)
{
    const char *fmt = cli_opt_get(r, "format");
    *csv = 0;
    if (!fmt || strcmp(fmt, "json") == 0) return CLI_EXIT_OK;
    if (strcmp(fmt, "csv") == 0) {
        *csv = 1;
        return CLI_EXIT_OK;
    }
    return cli_usage_err(r, "--format must be json or csv, not '%s'", fmt);
}

static int aggregate_run(cli_run *r)
{
    if (r->nargs < 1) return cli_usage_err(r, "give at least one INPUT (a CSV, zip or JSON file; - for stdin)");
    int csv;
    if (parse_format(r, &csv) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
    unsigned threads = 0;
    const char *th = cli_opt_get(r, "threads");
    if (th) {
        int64_t v;
        if (core_parse_int64(th, &v) != CORE_OK || v < 1 || v > 8)
            return cli_usage_err(r, "--threads must be 1 to 8");
        threads = (unsigned)v;
    }
    ing_agg *agg;
    if (ing_agg_new(&agg) != CORE_OK) return CLI_EXIT_FAIL;
    const char *by = cli_opt_get(r, "by");
    char err[512];
    if (!by) {
        ing_agg_add_set(agg, NULL, 0);
    } else {
        char *copy = strdup(by);
        if (!copy) {
            ing_agg_free(agg);
            return CLI_EXIT_FAIL;
        }
        char *save = NULL;
        for (char *set = strtok_r(copy, ";+", &save); set; set = strtok_r(NULL, ";+", &save)) {
            if (ing_agg_add_set_str(agg, set, err, sizeof err) != CORE_OK) {
                free(copy);
                ing_agg_free(agg);
                return cli_usage_err(r, "--by: %s", err);
            }
        }
        free(copy);
    }
    rejects rj = {0};
    const char *rpath = cli_opt_get(r, "rejects");
    if (rpath) {
        rj.f = fopen(rpath, "w");
        if (!rj.f) {
            ing_agg_free(agg);
            cli_err(r, "cannot write %s", rpath);
            return CLI_EXIT_USAGE;
        }
        fputs("source,row,column,reason\n", rj.f);
    }
    ing_opts o = {.threads = threads, .on_reject = on_reject, .reject_ctx = &rj, .agg = agg};
    if (isatty(2)) o.on_progress = on_progress;
    ing_stats st;
    int rc = ing_run((const char *const *)r->args, (size_t)r->nargs, &o, &st, err, sizeof err);
    if (o.on_progress) fputc('\n', stderr);
    if (rj.f) fclose(rj.f);
    if (rc != CORE_OK) {
        cli_err(r, "%s", err[0] ? err : core_strerror(rc));
        ing_agg_free(agg);
        return CLI_EXIT_USAGE;
    }
    int out = CLI_EXIT_OK;
    if (csv) {
        core_buf b;
        core_buf_init(&b);
        if (ing_agg_csv(agg, &b) != CORE_OK) out = CLI_EXIT_FAIL;
        else fwrite(b.data ? b.data : "", 1, b.len, stdout);
        core_buf_cleanup(&b);
    } else {
        json_t *j = ing_agg_json(agg, &st);
        if (!j) out = CLI_EXIT_FAIL;
        else cli_print_json(j);
    }
    ing_agg_free(agg);
    if (out != CLI_EXIT_OK) return out;
    if (st.rows_rejected) {
        fprintf(stderr, "hrdd: transparency aggregate: %llu of %llu rows rejected%s%s\n",
                (unsigned long long)st.rows_rejected, (unsigned long long)st.rows_read,
                rpath ? ", see " : " (use --rejects FILE for the list)", rpath ? rpath : "");
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int merge_run(cli_run *r)
{
    if (r->nargs < 1) return cli_usage_err(r, "give at least one PARTIAL result file");
    int csv;
    if (parse_format(r, &csv) != CLI_EXIT_OK) return CLI_EXIT_USAGE;
    ing_merge m;
    ing_merge_init(&m);
    for (int i = 0; i < r->nargs; i++) {
        json_error_t je;
        json_t *p = json_load_file(r->args[i], 0, &je);
        char err[256];
        if (!p) {
            cli_err(r, "%s: line %d: %s", r->args[i], je.line, je.text);
            ing_merge_cleanup(&m);
            return CLI_EXIT_USAGE;
        }
        int rc = ing_merge_add(&m, p, err, sizeof err);
        json_decref(p);
        if (rc != CORE_OK) {
            cli_err(r, "%s: %s", r->args[i], rc == CORE_INVALID ? err : core_strerror(rc));
            ing_merge_cleanup(&m);
            return CLI_EXIT_USAGE;
        }
    }
    int out = CLI_EXIT_OK;
    if (csv) {
        core_buf b;
        core_buf_init(&b);
        if (ing_merge_csv(&m, &b) != CORE_OK) out = CLI_EXIT_FAIL;
        else fwrite(b.data ? b.data : "", 1, b.len, stdout);
        core_buf_cleanup(&b);
    } else {
        json_t *j = ing_merge_json(&m);
        if (!j) out = CLI_EXIT_FAIL;
        else cli_print_json(j);
    }
    uint64_t rejected = m.rows_rejected;
    ing_merge_cleanup(&m);
    if (out == CLI_EXIT_OK && rejected) return CLI_EXIT_FAIL;
    return out;
}

static const cli_opt aggregate_opts[] = {
    {"by", "COL,...", "group by these columns (uuid ... created_at); created_at and "
                      "application_date group by day; several grouping sets: 'a,b;c' or a,b+c"},
    {"format", "FMT", "json (default) or csv"},
    {"rejects", "FILE", "write rejected rows (source,row,column,reason) as CSV"},
    {"threads", "N", "parsing threads (default: the number of CPUs)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_transparency_aggregate = {
    .name = "transparency aggregate",
    .summary = "Count DSA statements of reasons by columns, streaming, without a database",
    .synopsis = "transparency aggregate [--by COL,...] [--format json|csv] [--rejects FILE] INPUT...",
    .description =
        "Reads statements of reasons of the EU DSA Transparency Database: daily dump CSV\n"
        "files (schema V1 or V2, told by the header; V1 categories are mapped onto V2),\n"
        "the official nested zip archives (read as streams, never unpacked), and JSON\n"
        "submissions (one statement or {\"statements\": [...]}). Every field is validated;\n"
        "bad rows are counted as rejected (--rejects lists them) and the rest are grouped.\n"
        "Array columns count each value once (an empty array once, under \"\").\n"
        "Output: {\"rows_read\", \"rows_rejected\", \"groups\": [{col: value, ..., \"count\"}],\n"
        "\"sets\"}, which `hrdd transparency merge` can add up.\n"
        "Exit status: 0 clean, 1 some rows rejected, 2 usage error or a file-level fault.",
    .opts = aggregate_opts,
    .examples = "  hrdd transparency aggregate --by platform_name,category sor-global-2025-07-01-full.zip\n"
                "  hrdd transparency aggregate --by 'created_at;territorial_scope' --format csv day.csv\n",
    .run = aggregate_run,
};

static const cli_opt merge_opts[] = {
    {"format", "FMT", "json (default) or csv"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_transparency_merge = {
    .name = "transparency merge",
    .summary = "Add up partial results of transparency aggregate",
    .synopsis = "transparency merge [--format json|csv] PARTIAL...",
    .description =
        "Merges the JSON results of several `hrdd transparency aggregate` runs made with\n"
        "the same --by (for instance one per machine or per day) into one result, equal\n"
        "to a single run over all their inputs. Exit status: 0, 1 if the partials\n"
        "rejected rows, 2 for unreadable or mismatched partials.",
    .opts = merge_opts,
    .examples = "  hrdd transparency merge part-1.json part-2.json > all.json\n",
    .run = merge_run,
};
