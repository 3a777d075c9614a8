/* cmd_init: `hrdd init` creates an installation: applies the schema
 * migrations, creates the server secret file, the first organisation, its
 * administrator account and membership, with an audit entry for each.
 * Refuses a database that already has an organisation.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "server/server.h"

static const cli_opt init_opts[] = {
    {"org", "NAME", "name of the organisation (required)"},
    {"org-slug", "SLUG", "short name in URLs, [a-z0-9-] (default: from the name)"},
    {"org-kind", "KIND", "company (default) or sector_body"},
    {"admin-email", "EMAIL", "e-mail of the first administrator (required)"},
    {"admin-name", "NAME", "display name of the administrator (default: the e-mail)"},
    {"admin-password-file", "FILE", "read the password from FILE's first line ('-' = stdin); "
                                    "prompted for when omitted on a terminal"},
    {NULL, NULL, NULL},
};

int cli_check_kind(cli_run *r, const char *kind)
{
    if (strcmp(kind, "company") == 0 || strcmp(kind, "sector_body") == 0) return CORE_OK;
    cli_usage_err(r, "unknown organisation kind '%s' (company or sector_body)", kind);
    return CORE_INVALID;
}

int cli_check_org_name(cli_run *r, const char *name)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0 || n > 200 || !core_utf8_valid(name, n)) {
        cli_usage_err(r, "the organisation name must be 1 to 200 characters of UTF-8");
        return CORE_INVALID;
    }
    return CORE_OK;
}

static int init_run(cli_run *r)
{
    const char *org_name = cli_opt_get(r, "org");
    const char *kind = cli_opt_get(r, "org-kind");
    const char *slug_opt = cli_opt_get(r, "org-slug");
    const char *admin_name = cli_opt_get(r, "admin-name");
    char email[256], slug[64], pw[1100];
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    if (!org_name) return cli_usage_err(r, "--org NAME is required");
    if (cli_check_org_name(r, org_name) != CORE_OK) return CLI_EXIT_USAGE;
    if (!kind) kind = "company";
    if (cli_check_kind(r, kind) != CORE_OK) return CLI_EXIT_USAGE;
    if (slug_opt) {
        if (!core_slug_valid(slug_opt)) return cli_usage_err(r, "invalid --org-slug '%s' ([a-z0-9-], 1-63)", slug_opt);
        snprintf(slug, sizeof slug, "%s", slug_opt);
    } else {
        cli_slugify(org_name, slug, sizeof slug);
    }
    if (!cli_opt_get(r, "admin-email")) return cli_usage_err(r, "--admin-email EMAIL is required");
    if (cli_email(r, cli_opt_get(r, "admin-email"), email, sizeof email) != CORE_OK) return CLI_EXIT_USAGE;
    if (admin_name && (!admin_name[0] || strlen(admin_name) > 200 || !core_utf8_valid(admin_name, strlen(admin_name))))
        return cli_usage_err(r, "--admin-name must be 1 to 200 characters of UTF-8");
    char secret_path[4096];
    int rc = srv_secret_path(r->cfg.db, r->cfg.secret_file, secret_path, sizeof secret_path);
    if (rc != CORE_OK)
        return cli_usage_err(r, "a PostgreSQL database needs --secret-file FILE (or HRDD_SECRET_FILE)");
    rc = cli_setup_crypto(r);
    if (rc != CORE_OK) return cli_exit_for(rc);
    rc = cli_read_password(r, "admin-password-file", 1, pw, sizeof pw);
    if (rc != CORE_OK) return cli_exit_for(rc);
    char hash[CRY_PWHASH_MAX];
    rc = cry_password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != CORE_OK) {
        cli_err(r, "password hashing failed: %s", core_strerror(rc));
        return CLI_EXIT_FAIL;
    }

    unsigned char secret[CRY_SECRET_LEN];
    rc = cry_secret_load(secret_path, 1, secret);
    sodium_memzero(secret, sizeof secret);
    if (rc != CORE_OK) {
        cli_err(r, "cannot create or read the server secret %s: %s", secret_path, core_strerror(rc));
        return CLI_EXIT_FAIL;
    }

    store *s = NULL;
    rc = cli_open_store(r, &s, 0, 1);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    int from = 0, to = 0;
    rc = store_migrate(s, &from, &to);
    if (rc == CORE_SCHEMA_NEWER) {
        cli_err(r, "the database schema is newer than this hrdd (knows up to %d); upgrade hrdd",
                STORE_SCHEMA_VERSION);
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    if (rc != CORE_OK) {
        cli_err(r, "migration failed: %s", core_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    rc = cli_begin(r, s, &c);
    if (rc == CORE_OK) {
        store_org existing;
        int e = store_org_first(c, &a, &existing);
        if (e == CORE_OK) {
            cli_err(r, "the database is already initialised (organisation '%s'); use 'hrdd migrate' "
                    "to upgrade it, 'hrdd org add' and 'hrdd user add' to add to it", existing.slug);
            rc = CORE_CONFLICT;
        } else if (e != CORE_NOTFOUND) {
            cli_err(r, "cannot read the database: %s", core_strerror(e));
            rc = e;
        }
    }
    store_org org = {.slug = slug, .name = org_name, .kind = kind};
    store_user u = {.email = email, .display_name = admin_name ? admin_name : email, .pw_hash = hash};
    if (rc == CORE_OK) {
        rc = cli_op_org_create(c, &org);
        if (rc != CORE_OK) cli_err(r, "cannot create the organisation: %s", core_strerror(rc));
    }
    if (rc == CORE_OK) {
        rc = cli_op_user_create(c, org.id, &u);
        if (rc != CORE_OK) cli_err(r, "cannot create the administrator: %s", core_strerror(rc));
    }
    if (rc == CORE_OK) {
        rc = cli_op_member_set(c, &a, org.id, u.id, CORE_ROLE_ADMIN);
        if (rc != CORE_OK) cli_err(r, "cannot add the administrator to the organisation: %s", core_strerror(rc));
    }
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    store_close(s);
    sodium_memzero(hash, sizeof hash);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    printf("initialised %s database (schema version %d)\n", srv_is_postgres_url(r->cfg.db) ? "PostgreSQL" : "SQLite", to);
    printf("organisation: %s (%s, %s)\n", org_name, slug, kind);
    printf("administrator: %s\n", email);
    printf("server secret: %s\n", secret_path);
    printf("next: hrdd serve --db %s\n", srv_is_postgres_url(r->cfg.db) ? "'<url>'" : r->cfg.db);
    return CLI_EXIT_OK;
}

const cli_cmd cli_cmd_init = {
    .name = "init",
    .summary = "Create a new installation: schema, secret, organisation, administrator",
    .synopsis = "init --db DB --org NAME --admin-email EMAIL [--admin-password-file FILE] [OPTIONS]",
    .description =
        "Applies the schema migrations, creates the server secret file (mode 0600;\n"
        "default <db>.secret beside a SQLite file), the first organisation, its\n"
        "administrator account and membership, each recorded in the audit trail\n"
        "with actor \"cli\". Refuses a database that already has an organisation.\n"
        "Passwords need at least 8 characters.",
    .keys = CLI_KEYS_STORE | CLI_KEY_BIT(CLI_K_PWHASH_COST),
    .opts = init_opts,
    .examples =
        "  hrdd init --db /var/lib/hrdd/hrdd.db --org 'Kestrel Social' \\\n"
        "      --admin-email admin@kestrel.example --admin-password-file pw.txt\n"
        "  hrdd init --db postgresql://hrdd@localhost/hrdd --secret-file /etc/hrdd/secret \\\n"
        "      --org 'Digital Trust Alliance' --org-kind sector_body --admin-email a@dta.example\n",
    .run = init_run,
};
