/* cmd_user: staff accounts from the command line: `hrdd user add | list |
 * disable | enable | passwd | role`. Each change runs in one transaction
 * with its audit entry (actor "cli"). Disabling an account or changing its
 * password also ends every session it has.
 */
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"

/* Opens the store, begins a transaction and finds the user by --email. */
typedef struct user_tx {
    store *s;
    store_conn *c;
    core_arena a;
    store_user u;
    char email[256];
} user_tx;

static int user_tx_open(cli_run *r, user_tx *t, int find)
{
    memset(t, 0, sizeof *t);
    core_arena_init(&t->a);
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    if (cli_email(r, cli_opt_get(r, "email"), t->email, sizeof t->email) != CORE_OK) return CLI_EXIT_USAGE;
    int rc = cli_open_store(r, &t->s, 1, 0);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    rc = cli_begin(r, t->s, &t->c);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    if (find) {
        rc = store_user_get_by_email(t->c, &t->a, t->email, &t->u);
        if (rc == CORE_NOTFOUND) {
            cli_err(r, "no user with e-mail %s", t->email);
            return CLI_EXIT_FAIL;
        }
        if (rc != CORE_OK) {
            cli_err(r, "cannot read the user: %s", core_strerror(rc));
            return CLI_EXIT_FAIL;
        }
    }
    return CLI_EXIT_OK;
}

/* Commits when ex is 0, else rolls back; closes everything. */
static int user_tx_close(cli_run *r, user_tx *t, int ex)
{
    if (t->c) {
        int rc = cli_finish(r, t->s, t->c, ex == CLI_EXIT_OK ? CORE_OK : CORE_ERR);
        if (ex == CLI_EXIT_OK && rc != CORE_OK) ex = CLI_EXIT_FAIL;
    }
    if (t->s) store_close(t->s);
    core_arena_cleanup(&t->a);
    return ex;
}

static int user_role_arg(cli_run *r, core_role *role)
{
    const char *name = cli_opt_get(r, "role");
    if (!name) return cli_usage_err(r, "--role ROLE is required (admin, hr_lead, case_handler, analyst, auditor)");
    if (core_role_parse(name, role) != CORE_OK || *role == CORE_ROLE_NONE)
        return cli_usage_err(r, "unknown role '%s' (admin, hr_lead, case_handler, analyst, auditor)", name);
    return CLI_EXIT_OK;
}

/* ---- user add ---- */

static int user_add_run(cli_run *r)
{
    core_role role;
    int ex = user_role_arg(r, &role);
    if (ex != CLI_EXIT_OK) return ex;
    const char *name = cli_opt_get(r, "name");
    if (name && (!name[0] || strlen(name) > 200 || !core_utf8_valid(name, strlen(name))))
        return cli_usage_err(r, "--name must be 1 to 200 characters of UTF-8");
    char email[256];
    if (cli_email(r, cli_opt_get(r, "email"), email, sizeof email) != CORE_OK) return CLI_EXIT_USAGE;
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    int rc = cli_setup_crypto(r);
    if (rc != CORE_OK) return cli_exit_for(rc);
    char pw[1100], hash[CRY_PWHASH_MAX];
    rc = cli_read_password(r, "password-file", 1, pw, sizeof pw);
    if (rc != CORE_OK) return cli_exit_for(rc);
    rc = cry_password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != CORE_OK) {
        cli_err(r, "password hashing failed");
        return CLI_EXIT_FAIL;
    }
    user_tx t;
    ex = user_tx_open(r, &t, 0);
    store_org org;
    if (ex == CLI_EXIT_OK && cli_org(r, t.c, &t.a, cli_opt_get(r, "org"), &org) != CORE_OK) ex = CLI_EXIT_FAIL;
    store_user u = {.email = t.email, .display_name = name ? name : t.email, .pw_hash = hash};
    if (ex == CLI_EXIT_OK) {
        rc = cli_op_user_create(t.c, org.id, &u);
        if (rc == CORE_CONFLICT) {
            cli_err(r, "a user with e-mail %s already exists (use 'hrdd user role' to add them to "
                    "another organisation)", t.email);
            ex = CLI_EXIT_FAIL;
        } else if (rc != CORE_OK) {
            cli_err(r, "cannot create the user: %s", core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    }
    if (ex == CLI_EXIT_OK) {
        rc = cli_op_member_set(t.c, &t.a, org.id, u.id, role);
        if (rc != CORE_OK) {
            cli_err(r, "cannot add the user to %s: %s", org.slug, core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    }
    sodium_memzero(hash, sizeof hash);
    char slug[64] = "";
    if (ex == CLI_EXIT_OK) snprintf(slug, sizeof slug, "%s", org.slug);
    int64_t id = u.id;
    ex = user_tx_close(r, &t, ex);
    if (ex == CLI_EXIT_OK) printf("added user %lld %s as %s of %s\n", (long long)id, email, core_role_name(role), slug);
    return ex;
}

static const cli_opt user_add_opts[] = {
    {"email", "EMAIL", "e-mail address, the login name (required)"},
    {"role", "ROLE", "admin, hr_lead, case_handler, analyst or auditor (required)"},
    {"org", "SLUG", "organisation (default: the first one)"},
    {"name", "NAME", "display name (default: the e-mail address)"},
    {"password-file", "FILE", "read the password from FILE's first line ('-' = stdin); "
                              "prompted for when omitted on a terminal"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_user_add = {
    .name = "user add",
    .summary = "Add a staff account with a role in an organisation",
    .synopsis = "user add --db DB --email EMAIL --role ROLE [--org SLUG] [--name NAME] [--password-file FILE]",
    .description = "Creates the account and its membership in one transaction, recorded in\n"
                   "the audit trail. Passwords need at least 8 characters.",
    .keys = CLI_KEYS_STORE | CLI_KEY_BIT(CLI_K_PWHASH_COST),
    .opts = user_add_opts,
    .examples = "  hrdd user add --db hrdd.db --email case.handler@kestrel.example \\\n"
                "      --role case_handler --name 'Noor Haddad' --password-file pw.txt\n",
    .run = user_add_run,
};

/* ---- user list ---- */

static int user_list_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    int ex = CLI_EXIT_FAIL;
    int json = cli_opt_has(r, "json");
    const char *slug = cli_opt_get(r, "org");
    json_t *out = json_array();
    char t1[32];
    if (store_acquire(s, &c) != CORE_OK) {
        cli_err(r, "cannot connect to the database");
        goto done;
    }
    if (slug) {
        store_org org;
        store_member *m = NULL;
        size_t n = 0;
        if (cli_org(r, c, &a, slug, &org) != CORE_OK) goto done;
        int rc = store_member_list(c, &a, org.id, &m, &n);
        if (rc != CORE_OK) {
            cli_err(r, "cannot list members: %s", core_strerror(rc));
            goto done;
        }
        if (!json) printf("%-5s %-36s %-14s %-9s %-20s %s\n", "ID", "EMAIL", "ROLE", "STATUS", "LAST LOGIN", "NAME");
        for (size_t i = 0; i < n; i++) {
            const store_user *u = &m[i].user;
            if (json) {
                json_t *o = cli_user_json(u);
                json_object_set_new(o, "role", json_string(core_role_name(m[i].role)));
                json_object_set_new(o, "last_login_at", json_integer(u->last_login_at));
                json_array_append_new(out, o);
            } else {
                printf("%-5lld %-36s %-14s %-9s %-20s %s\n", (long long)u->id, u->email, core_role_name(m[i].role),
                       u->disabled ? "disabled" : "active", cli_fmt_time(u->last_login_at, t1, sizeof t1),
                       u->display_name ? u->display_name : "");
            }
        }
    } else {
        store_user *u = NULL;
        size_t n = 0;
        int rc = store_user_list_all(c, &a, &u, &n);
        if (rc != CORE_OK) {
            cli_err(r, "cannot list users: %s", core_strerror(rc));
            goto done;
        }
        if (!json) printf("%-5s %-36s %-9s %-32s %s\n", "ID", "EMAIL", "STATUS", "ORGANISATIONS", "NAME");
        for (size_t i = 0; i < n; i++) {
            store_membership *ms = NULL;
            size_t nm = 0;
            rc = store_membership_list(c, &a, u[i].id, &ms, &nm);
            if (rc != CORE_OK) {
                cli_err(r, "cannot list memberships: %s", core_strerror(rc));
                goto done;
            }
            core_buf orgs;
            core_buf_init(&orgs);
            json_t *jm = json_array();
            for (size_t j = 0; j < nm; j++) {
                core_buf_printf(&orgs, "%s%s:%s", j ? "," : "", ms[j].org.slug, core_role_name(ms[j].role));
                json_array_append_new(jm, json_pack("{s:s, s:s}", "org", ms[j].org.slug, "role",
                                                    core_role_name(ms[j].role)));
            }
            if (json) {
                json_t *o = cli_user_json(&u[i]);
                json_object_set_new(o, "last_login_at", json_integer(u[i].last_login_at));
                json_object_set_new(o, "memberships", jm);
                json_array_append_new(out, o);
            } else {
                json_decref(jm);
                printf("%-5lld %-36s %-9s %-32s %s\n", (long long)u[i].id, u[i].email,
                       u[i].disabled ? "disabled" : "active", nm ? core_buf_cstr(&orgs) : "-",
                       u[i].display_name ? u[i].display_name : "");
            }
            core_buf_cleanup(&orgs);
        }
    }
    ex = CLI_EXIT_OK;
done:
    if (ex == CLI_EXIT_OK && json) {
        cli_print_json(out);
        out = NULL;
    }
    json_decref(out);
    if (c) store_release(s, c);
    store_close(s);
    core_arena_cleanup(&a);
    return ex;
}

static const cli_opt user_list_opts[] = {
    {"org", "SLUG", "only the members of this organisation, with their role"},
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_user_list = {
    .name = "user list",
    .summary = "List staff accounts",
    .synopsis = "user list --db DB [--org SLUG] [--json]",
    .description = "Without --org, lists every account with its memberships (org:role).",
    .keys = CLI_KEYS_STORE,
    .opts = user_list_opts,
    .examples = "  hrdd user list --db hrdd.db\n  hrdd user list --db hrdd.db --org kestrel --json\n",
    .run = user_list_run,
};

/* ---- user disable / enable ---- */

static int user_set_disabled(cli_run *r, int disabled)
{
    user_tx t;
    int ex = user_tx_open(r, &t, 1);
    if (ex == CLI_EXIT_OK) {
        json_t *before = cli_user_json(&t.u);
        int rc = store_user_set_disabled(t.c, t.u.id, disabled);
        if (rc == CORE_OK && disabled) rc = store_session_delete_user(t.c, t.u.id);
        store_user after_u = t.u;
        after_u.disabled = disabled;
        json_t *after = cli_user_json(&after_u);
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)t.u.id);
        if (rc == CORE_OK) rc = app_audit(NULL, t.c, 0, "user", id, disabled ? "disable" : "enable", before, after);
        json_decref(before);
        json_decref(after);
        if (rc != CORE_OK) {
            cli_err(r, "cannot change the account: %s", core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    }
    ex = user_tx_close(r, &t, ex);
    if (ex == CLI_EXIT_OK) printf("%s %s\n", disabled ? "disabled" : "enabled", t.email);
    return ex;
}

static int user_disable_run(cli_run *r) { return user_set_disabled(r, 1); }
static int user_enable_run(cli_run *r) { return user_set_disabled(r, 0); }

static const cli_opt user_email_opts[] = {
    {"email", "EMAIL", "the account's e-mail address (required)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_user_disable = {
    .name = "user disable",
    .summary = "Disable a staff account and end its sessions",
    .synopsis = "user disable --db DB --email EMAIL",
    .description = "The account can no longer sign in; its sessions end at once. Its records\n"
                   "and audit history stay. 'hrdd user enable' reverses it.",
    .keys = CLI_KEYS_STORE,
    .opts = user_email_opts,
    .examples = "  hrdd user disable --db hrdd.db --email analyst@kestrel.example\n",
    .run = user_disable_run,
};

const cli_cmd cli_cmd_user_enable = {
    .name = "user enable",
    .summary = "Enable a disabled staff account",
    .synopsis = "user enable --db DB --email EMAIL",
    .keys = CLI_KEYS_STORE,
    .opts = user_email_opts,
    .examples = "  hrdd user enable --db hrdd.db --email analyst@kestrel.example\n",
    .run = user_enable_run,
};

/* ---- user passwd ---- */

static int user_passwd_run(cli_run *r)
{
    char email[256];
    if (cli_email(r, cli_opt_get(r, "email"), email, sizeof email) != CORE_OK) return CLI_EXIT_USAGE;
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    int rc = cli_setup_crypto(r);
    if (rc != CORE_OK) return cli_exit_for(rc);
    char pw[1100], hash[CRY_PWHASH_MAX];
    rc = cli_read_password(r, "password-file", 1, pw, sizeof pw);
    if (rc != CORE_OK) return cli_exit_for(rc);
    rc = cry_password_hash(pw, hash);
    sodium_memzero(pw, sizeof pw);
    if (rc != CORE_OK) {
        cli_err(r, "password hashing failed");
        return CLI_EXIT_FAIL;
    }
    user_tx t;
    int ex = user_tx_open(r, &t, 1);
    if (ex == CLI_EXIT_OK) {
        char id[24];
        json_t *before = json_pack("{s:I, s:s}", "id", (json_int_t)t.u.id, "pw_hash", t.u.pw_hash ? t.u.pw_hash : "");
        json_t *after = json_pack("{s:I, s:s}", "id", (json_int_t)t.u.id, "pw_hash", hash);
        snprintf(id, sizeof id, "%lld", (long long)t.u.id);
        rc = store_user_set_password(t.c, t.u.id, hash);
        if (rc == CORE_OK) rc = store_session_delete_user(t.c, t.u.id);
        if (rc == CORE_OK) rc = app_audit(NULL, t.c, 0, "user", id, "password", before, after);
        json_decref(before);
        json_decref(after);
        if (rc != CORE_OK) {
            cli_err(r, "cannot set the password: %s", core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    }
    sodium_memzero(hash, sizeof hash);
    ex = user_tx_close(r, &t, ex);
    if (ex == CLI_EXIT_OK) printf("password changed for %s; its sessions have ended\n", email);
    return ex;
}

static const cli_opt user_passwd_opts[] = {
    {"email", "EMAIL", "the account's e-mail address (required)"},
    {"password-file", "FILE", "read the new password from FILE's first line ('-' = stdin); "
                              "prompted for when omitted on a terminal"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_user_passwd = {
    .name = "user passwd",
    .summary = "Set a staff account's password",
    .synopsis = "user passwd --db DB --email EMAIL [--password-file FILE]",
    .description = "Sets a new password (at least 8 characters) and ends the account's sessions.",
    .keys = CLI_KEYS_STORE | CLI_KEY_BIT(CLI_K_PWHASH_COST),
    .opts = user_passwd_opts,
    .examples = "  hrdd user passwd --db hrdd.db --email admin@kestrel.example\n"
                "  hrdd user passwd --db hrdd.db --email admin@kestrel.example --password-file pw.txt\n",
    .run = user_passwd_run,
};

/* ---- user role ---- */

static int user_role_run(cli_run *r)
{
    core_role role = CORE_ROLE_NONE;
    int remove = cli_opt_has(r, "remove");
    if (!remove) {
        int ex0 = user_role_arg(r, &role);
        if (ex0 != CLI_EXIT_OK) return ex0;
    } else if (cli_opt_has(r, "role")) {
        return cli_usage_err(r, "--remove and --role exclude each other");
    }
    if (!cli_opt_get(r, "org")) return cli_usage_err(r, "--org SLUG is required");
    user_tx t;
    int ex = user_tx_open(r, &t, 1);
    store_org org;
    if (ex == CLI_EXIT_OK && cli_org(r, t.c, &t.a, cli_opt_get(r, "org"), &org) != CORE_OK) ex = CLI_EXIT_FAIL;
    if (ex == CLI_EXIT_OK && !remove) {
        int rc = cli_op_member_set(t.c, &t.a, org.id, t.u.id, role);
        if (rc != CORE_OK) {
            cli_err(r, "cannot set the role: %s", core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    } else if (ex == CLI_EXIT_OK) {
        store_member old;
        int rc = store_member_get(t.c, &t.a, org.id, t.u.id, &old);
        if (rc == CORE_NOTFOUND) {
            cli_err(r, "%s is not a member of %s", t.email, org.slug);
            ex = CLI_EXIT_FAIL;
        } else if (rc == CORE_OK) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)t.u.id);
            json_t *before = json_pack("{s:I, s:I, s:s}", "org_id", (json_int_t)org.id, "user_id",
                                       (json_int_t)t.u.id, "role", core_role_name(old.role));
            rc = store_member_remove(t.c, org.id, t.u.id);
            if (rc == CORE_OK) rc = app_audit(NULL, t.c, org.id, "membership", id, "delete", before, NULL);
            json_decref(before);
        }
        if (ex == CLI_EXIT_OK && rc != CORE_OK) {
            cli_err(r, "cannot remove the membership: %s", core_strerror(rc));
            ex = CLI_EXIT_FAIL;
        }
    }
    char slug[64] = "";
    if (ex == CLI_EXIT_OK) snprintf(slug, sizeof slug, "%s", org.slug);
    char email[256];
    snprintf(email, sizeof email, "%s", t.email);
    ex = user_tx_close(r, &t, ex);
    if (ex == CLI_EXIT_OK) {
        if (remove) printf("removed %s from %s\n", email, slug);
        else printf("%s is %s of %s\n", email, core_role_name(role), slug);
    }
    return ex;
}

static const cli_opt user_role_opts[] = {
    {"email", "EMAIL", "the account's e-mail address (required)"},
    {"org", "SLUG", "the organisation (required)"},
    {"role", "ROLE", "admin, hr_lead, case_handler, analyst or auditor"},
    {"remove", NULL, "remove the account from the organisation instead"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_user_role = {
    .name = "user role",
    .summary = "Set (or remove) a staff account's role in an organisation",
    .synopsis = "user role --db DB --email EMAIL --org SLUG (--role ROLE | --remove)",
    .description = "Adds an existing account to an organisation with a role, changes its\n"
                   "role there, or removes it. One account can belong to several\n"
                   "organisations (e.g. a company and its sector body).",
    .keys = CLI_KEYS_STORE,
    .opts = user_role_opts,
    .examples = "  hrdd user role --db hrdd.db --email admin@kestrel.example --org dta --role analyst\n"
                "  hrdd user role --db hrdd.db --email admin@kestrel.example --org dta --remove\n",
    .run = user_role_run,
};
