/* cmd_retention: per-organisation retention of grievance personal data.
 * `hrdd retention set --org SLUG --closed-cases-months N` (0 = keep),
 * `hrdd retention show`, and `hrdd retention run` (what the server also does
 * at each time-limit check): the personal data of cases closed or withdrawn
 * more than N months ago are erased (rmd_retention_run), each erasure
 * audited; the anonymised statistics stay.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "cli/cli.h"
#include "remedy/remedy.h"
#include "server/server.h"

static int open_service(cli_run *r, store **s, rmd_service **svc)
{
    char secret_path[4096];
    int rc = srv_secret_path(r->cfg.db, r->cfg.secret_file, secret_path, sizeof secret_path);
    if (rc != CORE_OK) {
        cli_err(r, "a PostgreSQL database needs --secret-file");
        return CLI_EXIT_USAGE;
    }
    unsigned char secret[CRY_SECRET_LEN];
    if ((rc = cry_secret_load(secret_path, 0, secret)) != CORE_OK) {
        cli_err(r, "cannot read the server secret %s (%s)", secret_path, core_strerror(rc));
        return CLI_EXIT_FAIL;
    }
    if (cli_open_store(r, s, 1, 0) != CORE_OK) {
        sodium_memzero(secret, sizeof secret);
        return CLI_EXIT_FAIL;
    }
    rc = rmd_open(svc, *s, secret, NULL);
    sodium_memzero(secret, sizeof secret);
    if (rc != CORE_OK) {
        cli_err(r, "cannot start the grievance service: %s", core_strerror(rc));
        store_close(*s);
        return CLI_EXIT_FAIL;
    }
    return CLI_EXIT_OK;
}

static int org_id_of(cli_run *r, store *s, const char *slug, int64_t *id)
{
    store_conn *c = NULL;
    if (store_acquire(s, &c) != CORE_OK) {
        cli_err(r, "cannot connect to the database");
        return CORE_ERR;
    }
    core_arena a;
    core_arena_init(&a);
    store_org o;
    int rc = cli_org(r, c, &a, slug, &o);
    if (rc == CORE_OK) *id = o.id;
    core_arena_cleanup(&a);
    store_release(s, c);
    return rc;
}

static int retention_set_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    const char *ms = cli_opt_get(r, "closed-cases-months");
    int64_t months = -1;
    if (!ms || core_parse_int64(ms, &months) != CORE_OK || months < 0 || months > RMD_RETENTION_MAX_MONTHS)
        return cli_usage_err(r, "--closed-cases-months N is required (0 to %d; 0 = keep)", RMD_RETENTION_MAX_MONTHS);
    store *s = NULL;
    rmd_service *svc = NULL;
    int ex = open_service(r, &s, &svc);
    if (ex != CLI_EXIT_OK) return ex;
    int64_t org_id = 0;
    int rc = org_id_of(r, s, cli_opt_get(r, "org"), &org_id);
    if (rc == CORE_OK) {
        rmd_actor actor = {0, org_id, CORE_ROLE_ADMIN, "cli"};
        core_arena a;
        core_arena_init(&a);
        rc = rmd_retention_set(svc, &a, &actor, (int)months);
        core_arena_cleanup(&a);
        if (rc == CORE_OK && months)
            printf("retention: personal data of cases closed more than %lld months ago will be erased\n",
                   (long long)months);
        else if (rc == CORE_OK)
            printf("retention: no policy (closed cases are kept)\n");
        else
            cli_err(r, "cannot set the policy: %s", core_strerror(rc));
    }
    rmd_close(svc);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int retention_show_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s = NULL;
    rmd_service *svc = NULL;
    int ex = open_service(r, &s, &svc);
    if (ex != CLI_EXIT_OK) return ex;
    int64_t org_id = 0;
    int rc = org_id_of(r, s, cli_opt_get(r, "org"), &org_id);
    int months = 0;
    if (rc == CORE_OK) {
        rmd_actor actor = {0, org_id, CORE_ROLE_ADMIN, "cli"};
        rc = rmd_retention_get(svc, &actor, &months);
    }
    if (rc == CORE_OK) {
        if (cli_opt_has(r, "json"))
            cli_print_json(json_pack("{s:i}", "closed_cases_months", months));
        else
            printf("closed_cases_months: %d%s\n", months, months ? "" : " (keep)");
    }
    rmd_close(svc);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static int retention_run_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    int64_t now = 0;
    const char *now_s = cli_opt_get(r, "now");
    if (now_s && (core_parse_int64(now_s, &now) != CORE_OK || now <= 0))
        return cli_usage_err(r, "--now takes unix seconds");
    store *s = NULL;
    rmd_service *svc = NULL;
    int ex = open_service(r, &s, &svc);
    if (ex != CLI_EXIT_OK) return ex;
    core_arena a;
    core_arena_init(&a);
    rmd_retention_report rep;
    int rc = rmd_retention_run(svc, &a, now ? now : (int64_t)time(NULL), "cli", &rep);
    if (rc == CORE_OK)
        printf("retention: %zu organisations with a policy; %zu cases erased, %zu failed\n", rep.orgs, rep.erased,
               rep.failed);
    else
        cli_err(r, "the run failed: %s", core_strerror(rc));
    core_arena_cleanup(&a);
    rmd_close(svc);
    store_close(s);
    return rc == CORE_OK && rep.failed == 0 ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static const cli_opt set_opts[] = {
    {"org", "SLUG", "the organisation (default: the first one)"},
    {"closed-cases-months", "N", "erase personal data of cases closed more than N months ago (0 = keep)"},
    {NULL, NULL, NULL},
};
static const cli_opt show_opts[] = {
    {"org", "SLUG", "the organisation (default: the first one)"},
    {"json", NULL, "print JSON"},
    {NULL, NULL, NULL},
};
static const cli_opt run_opts[] = {
    {"now", "UNIX", "evaluate the policies at this time (unix seconds; tests)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_retention_set = {
    .name = "retention set",
    .summary = "Set an organisation's retention policy for closed grievances",
    .synopsis = "retention set --db DB [--org SLUG] --closed-cases-months N",
    .description =
        "After N calendar months from closure (or withdrawal), the personal data of\n"
        "a case are erased: narrative, names and contact data, messages, notes,\n"
        "remedy texts, attachments, dates of the incident. The anonymised record\n"
        "(category, country, channel, state, times, remedy types, rating) stays\n"
        "for the statistics. 0 removes the policy. Audited.",
    .keys = CLI_KEYS_STORE,
    .opts = set_opts,
    .examples = "  hrdd retention set --db hrdd.db --org kestrel --closed-cases-months 24\n",
    .run = retention_set_run,
};

const cli_cmd cli_cmd_retention_show = {
    .name = "retention show",
    .summary = "Show an organisation's retention policy",
    .synopsis = "retention show --db DB [--org SLUG] [--json]",
    .keys = CLI_KEYS_STORE,
    .opts = show_opts,
    .run = retention_show_run,
};

const cli_cmd cli_cmd_retention_run = {
    .name = "retention run",
    .summary = "Erase the personal data of cases past their retention time",
    .synopsis = "retention run --db DB",
    .description =
        "Applies every organisation's policy now (the server does the same at each\n"
        "time-limit check, every --sla-interval minutes). Each erasure is one\n"
        "transaction with an audit entry (case, policy, fields erased).",
    .keys = CLI_KEYS_STORE,
    .opts = run_opts,
    .examples = "  hrdd retention run --db /var/lib/hrdd/hrdd.db\n",
    .run = retention_run_run,
};
