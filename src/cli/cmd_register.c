/* cmd_register: the due diligence register from the command line, through
 * the register service (src/register), acting as the installation's
 * administrator (role admin, no user: audit actor "cli") in the
 * organisation given by --org (default: the installation's first).
 *
 *   hrdd impacts list [--org SLUG] [--sort salience|id] [--json]
 *   hrdd assessments due [--org SLUG] [--json]
 *   hrdd register export [--org SLUG] [-o|--output FILE]
 *   hrdd register import [--org SLUG] FILE
 *
 * Import is all or nothing; every error is printed on its own line as
 * FILE:LINE:COLUMN: message (not JSON) or FILE: /json/path: message.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "register/register.h"

typedef struct reg_cli {
    store *s;
    reg_service *svc;
    core_arena a;
    reg_principal pr;
    store_org org;
} reg_cli;

/* Opens the store, finds the org and opens the service. */
static int reg_cli_open(cli_run *r, reg_cli *x)
{
    memset(x, 0, sizeof *x);
    core_arena_init(&x->a);
    if (cli_need_db(r) != CORE_OK)
        return CLI_EXIT_USAGE;
    if (cli_open_store(r, &x->s, 1, 0) != CORE_OK)
        return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    int rc = store_acquire(x->s, &c);
    if (rc == CORE_OK)
        rc = cli_org(r, c, &x->a, cli_opt_get(r, "org"), &x->org);
    if (c)
        store_release(x->s, c);
    if (rc == CORE_OK)
        rc = reg_open(&x->svc, x->s, NULL);
    if (rc != CORE_OK) {
        if (rc != CORE_NOTFOUND)
            cli_err(r, "cannot open the register: %s", core_strerror(rc));
        return CLI_EXIT_FAIL;
    }
    x->pr = (reg_principal){0, x->org.id, CORE_ROLE_ADMIN, "cli"};
    return CLI_EXIT_OK;
}

static void reg_cli_close(reg_cli *x)
{
    reg_close(x->svc);
    if (x->s)
        store_close(x->s);
    core_arena_cleanup(&x->a);
}

static json_t *jstr(const char *s)
{
    return s ? json_string(s) : json_null();
}

static json_t *jday(int64_t day)
{
    char b[11];
    reg_day_format(day, b);
    return b[0] ? json_string(b) : json_null();
}

/* ---- impacts list ---- */

static json_t *impact_json(const reg_impact_view *v)
{
    const store_dd_impact *i = &v->impact;
    json_t *o = json_object();
    json_object_set_new(o, "rank", json_integer((json_int_t)v->rank));
    json_object_set_new(o, "id", json_integer(i->id));
    json_object_set_new(o, "scope_object", jstr(v->scope_slug));
    json_object_set_new(o, "title", jstr(i->title));
    json_object_set_new(o, "status", jstr(i->status));
    json_object_set_new(o, "rights", jstr(i->rights));
    json_object_set_new(o, "involvement", jstr(i->involvement));
    json_object_set_new(o, "scale", json_integer(i->scale));
    json_object_set_new(o, "scope", json_integer(i->scope));
    json_object_set_new(o, "irremediable", json_integer(i->irremediable));
    json_object_set_new(o, "likelihood", json_integer(v->likelihood));
    json_object_set_new(o, "severity", json_integer(v->severity));
    json_object_set_new(o, "severity_band", json_integer(v->band));
    json_object_set_new(o, "linked_grievances", json_integer((json_int_t)v->nlinks));
    return o;
}

static int impacts_run(cli_run *r)
{
    if (r->nargs)
        return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    const char *sort = cli_opt_get(r, "sort");
    reg_sort how = REG_SORT_SALIENCE;
    if (sort && !strcmp(sort, "id"))
        how = REG_SORT_ID;
    else if (sort && strcmp(sort, "salience") != 0)
        return cli_usage_err(r, "--sort takes salience or id");
    reg_cli x;
    int ex = reg_cli_open(r, &x);
    if (ex != CLI_EXIT_OK) {
        reg_cli_close(&x);
        return ex;
    }
    reg_impact_view *v = NULL;
    size_t n = 0;
    int rc = reg_impact_list(x.svc, &x.a, &x.pr, 0, how, &v, &n);
    if (rc != CORE_OK) {
        cli_err(r, "cannot list the impacts: %s", core_strerror(rc));
        reg_cli_close(&x);
        return CLI_EXIT_FAIL;
    }
    if (cli_opt_has(r, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(arr, impact_json(&v[i]));
        cli_print_json(arr);
    } else {
        if (n)
            printf("%-4s %-5s %-3s %-3s %-15s %-15s %-20s %s\n", "RANK", "ID", "SEV", "LIK",
                   "STATUS", "INVOLVEMENT", "SCOPE", "TITLE");
        for (size_t i = 0; i < n; i++) {
            char rank[24] = "-";
            if (v[i].rank)
                snprintf(rank, sizeof rank, "%zu", v[i].rank);
            printf("%-4s %-5lld %-3d %-3d %-15s %-15s %-20s %s\n", rank, (long long)v[i].impact.id,
                   v[i].severity, v[i].likelihood, v[i].impact.status, v[i].impact.involvement,
                   v[i].scope_slug ? v[i].scope_slug : "", v[i].impact.title);
        }
    }
    reg_cli_close(&x);
    return CLI_EXIT_OK;
}

/* ---- assessments due ---- */

static int due_run(cli_run *r)
{
    if (r->nargs)
        return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    reg_cli x;
    int ex = reg_cli_open(r, &x);
    if (ex != CLI_EXIT_OK) {
        reg_cli_close(&x);
        return ex;
    }
    reg_assessment_view *v = NULL;
    size_t n = 0, nover = 0, nsoon = 0;
    int rc = reg_assessment_due_list(x.svc, &x.a, &x.pr, &v, &n, &nover, &nsoon);
    if (rc != CORE_OK) {
        cli_err(r, "cannot list the assessments: %s", core_strerror(rc));
        reg_cli_close(&x);
        return CLI_EXIT_FAIL;
    }
    if (cli_opt_has(r, "json")) {
        json_t *arr = json_array();
        for (size_t i = 0; i < n; i++) {
            const store_dd_assessment *as = &v[i].assessment;
            json_t *o = json_object();
            json_object_set_new(o, "id", json_integer(as->id));
            json_object_set_new(o, "scope_object", jstr(v[i].scope_slug));
            json_object_set_new(o, "kind", jstr(as->kind));
            json_object_set_new(o, "trigger", jstr(as->trigger));
            json_object_set_new(o, "event", jday(as->event_day));
            json_object_set_new(o, "due", jday(as->due_day));
            json_object_set_new(o, "due_status", json_string(dd_due_status_name(v[i].due)));
            json_object_set_new(o, "days_overdue", json_integer(v[i].days_overdue));
            json_object_set_new(o, "impact_id", as->impact_id ? json_integer(as->impact_id) : json_null());
            json_array_append_new(arr, o);
        }
        cli_print_json(arr);
    } else {
        for (size_t i = 0; i < n; i++) {
            const store_dd_assessment *as = &v[i].assessment;
            char due[11];
            reg_day_format(as->due_day, due);
            char status[48];
            if (v[i].due == DD_DUE_OVERDUE)
                snprintf(status, sizeof status, "overdue %lldd", (long long)v[i].days_overdue);
            else
                snprintf(status, sizeof status, "%s", dd_due_status_name(v[i].due));
            printf("%s  %-13s %-5lld %-18s %-10s %s%s%s\n", due, status, (long long)as->id,
                   as->trigger, as->kind, v[i].scope_slug ? v[i].scope_slug : "",
                   v[i].impact_title ? ": " : "", v[i].impact_title ? v[i].impact_title : "");
        }
        printf("%zu open, %zu overdue, %zu due soon\n", n, nover, nsoon);
    }
    reg_cli_close(&x);
    return nover ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

/* ---- register export / import ---- */

static int export_run(cli_run *r)
{
    if (r->nargs)
        return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    reg_cli x;
    int ex = reg_cli_open(r, &x);
    if (ex != CLI_EXIT_OK) {
        reg_cli_close(&x);
        return ex;
    }
    char *text = NULL;
    size_t len = 0;
    int rc = reg_export_text(x.svc, &x.a, &x.pr, &text, &len);
    if (rc != CORE_OK) {
        cli_err(r, "cannot export the register: %s", core_strerror(rc));
        reg_cli_close(&x);
        return CLI_EXIT_FAIL;
    }
    const char *out = cli_opt_get(r, "output");
    FILE *f = out && strcmp(out, "-") != 0 ? fopen(out, "wb") : stdout;
    if (!f) {
        cli_err(r, "cannot write %s: %s", out, strerror(errno));
        reg_cli_close(&x);
        return CLI_EXIT_FAIL;
    }
    int ok = fwrite(text, 1, len, f) == len;
    if (f != stdout)
        ok = (fclose(f) == 0) && ok;
    else
        ok = (fflush(f) == 0) && ok;
    if (!ok)
        cli_err(r, "cannot write %s", out ? out : "stdout");
    reg_cli_close(&x);
    return ok ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0;
    char *buf = malloc(cap);
    while (buf) {
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
        if (n == cap) {
            if (cap > ((size_t)256 << 20)) {   /* 256 MiB is far beyond any register */
                free(buf);
                buf = NULL;
                break;
            }
            char *nb = realloc(buf, cap * 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
            cap *= 2;
        }
    }
    int err = ferror(f);
    if (f != stdin)
        fclose(f);
    if (err) {
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static int import_run(cli_run *r)
{
    if (r->nargs != 1)
        return cli_usage_err(r, "expected one FILE (the register document; - for stdin)");
    const char *path = r->args[0];
    size_t len = 0;
    char *text = read_file(path, &len);
    if (!text) {
        cli_err(r, "cannot read %s: %s", path, errno ? strerror(errno) : "read error");
        return CLI_EXIT_FAIL;
    }
    reg_cli x;
    int ex = reg_cli_open(r, &x);
    if (ex != CLI_EXIT_OK) {
        free(text);
        reg_cli_close(&x);
        return ex;
    }
    reg_import_result res;
    int rc = reg_import_text(x.svc, &x.a, &x.pr, text, len, &res);
    free(text);
    for (size_t i = 0; i < res.nerrors; i++) {
        const reg_error *e = &res.errors[i];
        if (e->field && e->field[0] && e->field[0] != '/')   /* "line:column" */
            fprintf(stderr, "%s:%s: %s\n", path, e->field, e->detail ? e->detail : e->key);
        else
            fprintf(stderr, "%s: %s: %s (%s)\n", path, e->field && *e->field ? e->field : "/",
                    e->detail ? e->detail : "", e->key ? e->key : "");
    }
    for (size_t i = 0; i < res.nwarnings; i++)
        fprintf(stderr, "%s: %s: warning: %s\n", path, res.warnings[i].field,
                res.warnings[i].detail ? res.warnings[i].detail : res.warnings[i].key);
    if (rc != CORE_OK) {
        if (rc == CORE_INVALID)
            cli_err(r, "%zu error(s); nothing was imported", res.nerrors);
        else if (rc == CORE_CONFLICT)
            cli_err(r, "organisation %s already holds a register; nothing was imported", x.org.slug);
        else
            cli_err(r, "import failed: %s", core_strerror(rc));
        reg_cli_close(&x);
        return CLI_EXIT_FAIL;
    }
    printf("imported into %s: %zu policies, %zu scope objects, %zu impacts, %zu assessments, "
           "%zu actions, %zu indicators, %zu stakeholders, %zu engagements, %zu grievance links\n",
           x.org.slug, res.counts[0], res.counts[1], res.counts[2], res.counts[3], res.counts[4],
           res.counts[5], res.counts[6], res.counts[7], res.counts[8]);
    reg_cli_close(&x);
    return CLI_EXIT_OK;
}

static const cli_opt impacts_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's first)"},
    {"sort", "ORDER", "salience (default: severity before likelihood, UNGP 24) or id"},
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};
static const cli_opt due_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's first)"},
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};
static const cli_opt export_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's first)"},
    {"output", "FILE", "write the document to FILE (default: stdout)"},
    {NULL, NULL, NULL},
};
static const cli_opt import_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's first); it must hold no register yet"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_impacts_list = {
    .name = "impacts list",
    .summary = "List the human rights impacts of the register, most salient first",
    .synopsis = "impacts list --db DB [--org SLUG] [--sort salience|id] [--json]",
    .description =
        "Prints the impacts of the due diligence register in priority order:\n"
        "severity (scale + scope + irremediable character) before likelihood, an\n"
        "actual impact counting as certain, then the documented tie-breaks.",
    .keys = CLI_KEYS_STORE,
    .opts = impacts_opts,
    .examples = "  hrdd impacts list --db hrdd.db --sort salience\n  hrdd impacts list --db hrdd.db --json\n",
    .run = impacts_run,
};

const cli_cmd cli_cmd_assessments_due = {
    .name = "assessments due",
    .summary = "List the open assessments by due date, overdue first",
    .synopsis = "assessments due --db DB [--org SLUG] [--json]",
    .description =
        "Prints the open human rights impact assessments and due diligence reviews\n"
        "with their due dates (from their trigger) and status: overdue, due_soon or\n"
        "upcoming. Exits 1 when any is overdue, so a cron job can remind.",
    .keys = CLI_KEYS_STORE,
    .opts = due_opts,
    .examples = "  hrdd assessments due --db hrdd.db\n",
    .run = due_run,
};

const cli_cmd cli_cmd_register_export = {
    .name = "register export",
    .summary = "Export the whole due diligence register as one JSON document",
    .synopsis = "register export --db DB [--org SLUG] [-o|--output FILE]",
    .description =
        "Writes every record of the register (policy versions, scope objects,\n"
        "impacts, assessments, actions, indicators and measurements, stakeholders,\n"
        "engagements, grievance links) in a stable order; importing it into an\n"
        "empty organisation and exporting again gives the same bytes.",
    .keys = CLI_KEYS_STORE,
    .opts = export_opts,
    .examples = "  hrdd register export --db hrdd.db -o register.json\n",
    .run = export_run,
};

const cli_cmd cli_cmd_register_import = {
    .name = "register import",
    .summary = "Import a register document into an organisation without one",
    .synopsis = "register import --db DB [--org SLUG] FILE",
    .description =
        "Reads a document written by `hrdd register export`. All or nothing: every\n"
        "record is checked first and every error printed (FILE:LINE:COLUMN for bad\n"
        "JSON, FILE: /impacts/3/rights/0: ... for a bad value); nothing is stored\n"
        "when there is one. Users, products and grievance cases the target lacks\n"
        "are reported as warnings (stored as none; a link to a missing case is skipped).",
    .keys = CLI_KEYS_STORE,
    .opts = import_opts,
    .examples = "  hrdd register import --db other.db --org acme register.json\n",
    .run = import_run,
};
