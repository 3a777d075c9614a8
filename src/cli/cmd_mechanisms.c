/* cmd_mechanisms: the directory of external mechanisms (courts, data
 * protection authorities, ombudspersons, NCPs, out-of-court bodies ...).
 * `hrdd mechanisms import FILE|DIR` reads the datenanfragen.de
 * supervisory-authority records (../shared/data/remedy-mechanisms) into the
 * installation-wide directory (or an org's own with --org), idempotent by
 * slug; bad files are reported as file:line:column: message and skipped.
 * `hrdd mechanisms list` prints the directory, filtered by country/subject.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "remedy/remedy.h"

static void on_import_error(void *ud, const char *file, int line, int column, const char *msg)
{
    int *bad = ud;
    (*bad)++;
    if (line > 0)
        fprintf(stderr, "%s:%d:%d: %s\n", file, line, column, msg);
    else
        fprintf(stderr, "%s: %s\n", file, msg);
}

static int import_run(cli_run *r)
{
    if (r->nargs != 1) return cli_usage_err(r, "expected one FILE or DIR to import");
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    const char *org_slug = cli_opt_get(r, "org");
    const char *verified = cli_opt_get(r, "verified");
    if (verified && !rmd_date_valid(verified)) return cli_usage_err(r, "--verified must be a date YYYY-MM-DD");
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int rc = cli_begin(r, s, &c);
    store_org org = {0};
    if (rc == CORE_OK && org_slug) rc = cli_org(r, c, &a, org_slug, &org);
    rmd_import_stats st = {.verified = verified};
    int bad = 0;
    if (rc == CORE_OK) {
        rc = rmd_mechanism_import(c, &a, org.id, r->args[0], "cli", (int64_t)time(NULL), on_import_error,
                                  &bad, &st);
        if (rc != CORE_OK && rc != CORE_NOTFOUND) cli_err(r, "import failed: %s", core_strerror(rc));
    }
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    store_close(s);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    printf("%d file(s): %d created, %d updated, %d unchanged, %d failed\n", st.files, st.created,
           st.updated, st.unchanged, st.failed);
    return st.failed ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static int list_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    const char *country = cli_opt_get(r, "country");
    const char *subject = cli_opt_get(r, "subject");
    const char *org_slug = cli_opt_get(r, "org");
    if (country && strlen(country) != 2) return cli_usage_err(r, "--country takes an ISO 3166-1 alpha-2 code");
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int rc = store_acquire(s, &c);
    store_org org = {0};
    if (rc == CORE_OK && org_slug) rc = cli_org(r, c, &a, org_slug, &org);
    store_mechanism *all = NULL;
    size_t n = 0;
    if (rc == CORE_OK) rc = store_mechanism_list(c, &a, org.id, &all, &n);
    if (c) store_release(s, c);
    if (rc != CORE_OK) {
        cli_err(r, "cannot list the mechanisms: %s", core_strerror(rc));
        core_arena_cleanup(&a);
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    rmd_mechanism_filter f = {.country = country, .subject = subject};
    if (cli_opt_has(r, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            if (rmd_mechanism_matches(&all[i], &f)) json_array_append_new(arr, rmd_mechanism_json(&all[i], 0));
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++) {
            if (!rmd_mechanism_matches(&all[i], &f)) continue;
            printf("%-16s %-8s %-26s %s\n", all[i].slug, all[i].jurisdictions, all[i].subkind, all[i].name);
        }
    }
    core_arena_cleanup(&a);
    store_close(s);
    return CLI_EXIT_OK;
}

static const cli_opt import_opts[] = {
    {"org", "SLUG", "import into this organisation's own entries (default: the shared directory)"},
    {"verified", "DATE", "set last_verified to this date (YYYY-MM-DD)"},
    {NULL, NULL, NULL},
};

static const cli_opt list_opts[] = {
    {"json", NULL, "print JSON"},
    {"country", "CC", "only mechanisms open to people in this country (EU/EEA-wide bodies included)"},
    {"subject", "S", "only mechanisms for this subject (data_protection, content_moderation, ...)"},
    {"org", "SLUG", "include this organisation's own entries"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_mechanisms_import = {
    .name = "mechanisms import",
    .summary = "Import external mechanisms (data protection authorities) from JSON",
    .synopsis = "mechanisms import --db DB [--org SLUG] [--verified DATE] FILE|DIR",
    .description =
        "Reads records in the layout of the datenanfragen.de supervisory-authority\n"
        "database (one JSON object per file; a DIR is read file by file, *.schema.json\n"
        "skipped) into the directory of external mechanisms as State-based\n"
        "non-judicial data protection authorities. Idempotent by slug: a re-run\n"
        "updates changed entries and never duplicates. A bad file is reported as\n"
        "FILE:LINE:COLUMN: MESSAGE and skipped; the good ones are kept (exit 1 when\n"
        "any file failed).",
    .keys = CLI_KEYS_STORE,
    .opts = import_opts,
    .examples = "  hrdd mechanisms import --db hrdd.db ../shared/data/remedy-mechanisms/data-protection-authorities\n",
    .run = import_run,
};

const cli_cmd cli_cmd_mechanisms_list = {
    .name = "mechanisms list",
    .summary = "List the directory of external mechanisms",
    .synopsis = "mechanisms list --db DB [--json] [--country CC] [--subject S] [--org SLUG]",
    .keys = CLI_KEYS_STORE,
    .opts = list_opts,
    .examples = "  hrdd mechanisms list --db hrdd.db --country DE --subject data_protection\n",
    .run = list_run,
};
