/* cmd_org: organisations (tenants): `hrdd org add` creates another one (a
 * sector body, or a member company of one), optionally making an existing
 * account its administrator; `hrdd org list` lists them.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static int org_add_run(cli_run *r)
{
    const char *name = cli_opt_get(r, "name");
    const char *kind = cli_opt_get(r, "kind");
    const char *slug_opt = cli_opt_get(r, "slug");
    const char *parent_slug = cli_opt_get(r, "parent");
    const char *desc = cli_opt_get(r, "description");
    const char *admin = cli_opt_get(r, "admin-email");
    char slug[64], email[256];
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    if (!name) return cli_usage_err(r, "--name NAME is required");
    if (cli_check_org_name(r, name) != CORE_OK) return CLI_EXIT_USAGE;
    if (!kind) kind = "company";
    if (cli_check_kind(r, kind) != CORE_OK) return CLI_EXIT_USAGE;
    if (slug_opt) {
        if (!core_slug_valid(slug_opt)) return cli_usage_err(r, "invalid --slug '%s' ([a-z0-9-], 1-63)", slug_opt);
        snprintf(slug, sizeof slug, "%s", slug_opt);
    } else {
        cli_slugify(name, slug, sizeof slug);
    }
    if (desc && (strlen(desc) > 2000 || !core_utf8_valid(desc, strlen(desc))))
        return cli_usage_err(r, "--description must be at most 2000 bytes of UTF-8");
    if (admin && cli_email(r, admin, email, sizeof email) != CORE_OK) return CLI_EXIT_USAGE;

    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int rc = cli_begin(r, s, &c);
    store_org parent = {0};
    if (rc == CORE_OK && parent_slug) {
        rc = cli_org(r, c, &a, parent_slug, &parent);
        if (rc == CORE_OK && strcmp(parent.kind, "sector_body") != 0) {
            cli_err(r, "--parent %s is not a sector body", parent_slug);
            rc = CORE_INVALID;
        }
    }
    store_user u = {0};
    if (rc == CORE_OK && admin) {
        rc = store_user_get_by_email(c, &a, email, &u);
        if (rc == CORE_NOTFOUND) cli_err(r, "no user with e-mail %s (add them with 'hrdd user add' first)", email);
        else if (rc != CORE_OK) cli_err(r, "cannot read the user: %s", core_strerror(rc));
    }
    store_org org = {.slug = slug, .name = name, .kind = kind, .parent_id = parent.id, .description = desc};
    if (rc == CORE_OK) {
        rc = cli_op_org_create(c, &org);
        if (rc == CORE_CONFLICT) cli_err(r, "an organisation with slug '%s' already exists", slug);
        else if (rc != CORE_OK) cli_err(r, "cannot create the organisation: %s", core_strerror(rc));
    }
    if (rc == CORE_OK && admin) {
        rc = cli_op_member_set(c, &a, org.id, u.id, CORE_ROLE_ADMIN);
        if (rc != CORE_OK) cli_err(r, "cannot make %s its administrator: %s", email, core_strerror(rc));
    }
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    store_close(s);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    printf("added organisation %lld %s (%s, %s)%s%s\n", (long long)org.id, slug, name, kind,
           admin ? "; administrator " : "", admin ? email : "");
    return CLI_EXIT_OK;
}

static const cli_opt org_add_opts[] = {
    {"name", "NAME", "name of the organisation (required)"},
    {"slug", "SLUG", "short name in URLs, [a-z0-9-] (default: from the name)"},
    {"kind", "KIND", "company (default) or sector_body"},
    {"parent", "SLUG", "the sector body this company is a member of"},
    {"description", "TEXT", "a short description"},
    {"admin-email", "EMAIL", "an existing account to make its administrator"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_org_add = {
    .name = "org add",
    .summary = "Add an organisation (a company or a sector body)",
    .synopsis = "org add --db DB --name NAME [--slug SLUG] [--kind KIND] [--parent SLUG] [--admin-email EMAIL]",
    .description = "One installation can host several organisations, e.g. a sector body and\n"
                   "its member companies. Every record belongs to exactly one of them.",
    .keys = CLI_KEYS_STORE,
    .opts = org_add_opts,
    .examples = "  hrdd org add --db hrdd.db --name 'Digital Trust Alliance' --slug dta --kind sector_body \\\n"
                "      --admin-email admin@kestrel.example\n"
                "  hrdd org add --db hrdd.db --name 'Wren Travel' --parent dta\n",
    .run = org_add_run,
};

static int org_list_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int ex = CLI_EXIT_FAIL;
    store_org *o = NULL;
    size_t n = 0;
    if (store_acquire(s, &c) != CORE_OK) {
        cli_err(r, "cannot connect to the database");
    } else {
        int rc = store_org_list(c, &a, &o, &n);
        if (rc != CORE_OK) cli_err(r, "cannot list organisations: %s", core_strerror(rc));
        else ex = CLI_EXIT_OK;
        store_release(s, c);
    }
    if (ex == CLI_EXIT_OK) {
        if (cli_opt_has(r, "json")) {
            json_t *arr = json_array();
            for (size_t i = 0; i < n; i++) json_array_append_new(arr, cli_org_json(&o[i]));
            cli_print_json(arr);
        } else {
            printf("%-5s %-24s %-12s %-24s %s\n", "ID", "SLUG", "KIND", "PARENT", "NAME");
            for (size_t i = 0; i < n; i++) {
                const char *parent = "-";
                for (size_t j = 0; j < n; j++) {
                    if (o[i].parent_id && o[j].id == o[i].parent_id) parent = o[j].slug;
                }
                printf("%-5lld %-24s %-12s %-24s %s\n", (long long)o[i].id, o[i].slug, o[i].kind, parent, o[i].name);
            }
        }
    }
    core_arena_cleanup(&a);
    store_close(s);
    return ex;
}

static const cli_opt org_list_opts[] = {
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_org_list = {
    .name = "org list",
    .summary = "List organisations",
    .synopsis = "org list --db DB [--json]",
    .keys = CLI_KEYS_STORE,
    .opts = org_list_opts,
    .examples = "  hrdd org list --db hrdd.db\n",
    .run = org_list_run,
};
