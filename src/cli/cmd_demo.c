/* cmd_demo: `hrdd demo` seeds a fictional installation once and serves it.
 *
 * On first run (no organisation in the database) it migrates, creates the
 * server secret, and seeds "Kestrel Social" (a social platform with its
 * products and services, one staff account per role) and the sector body
 * "Digital Trust Alliance" (with Kestrel's administrator also a member, so
 * the organisation switcher shows two). Passwords are random; they are
 * written to a 0600 credentials file beside the database before the seed
 * commits, and the file is printed at every start. Later runs just serve.
 * Every seeded change is in the audit trail (actor "cli") like any other.
 *
 * The grievance mechanism's demo data comes after the accounts (demo_cases.c):
 * the directory of external mechanisms imported from --mechanisms DIR when
 * that folder exists, then Kestrel's cases in every state, filed and handled
 * through the service. Two of their receipts are appended to the credentials
 * file so a newcomer can open the receipt page as a complainant would.
 * Then Kestrel's human rights due diligence register (demo_register.c),
 * through the register service, linking some of those grievances to impacts.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "cli/demo.h"
#include "server/server.h"

#define DEMO_DEFAULT_DB "demo-data/hrdd.db"
#define DEMO_DEFAULT_MECHANISMS "../shared/data/remedy-mechanisms"
#define DEMO_PW_LEN 19   /* xxxx-xxxx-xxxx-xxxx: 16 symbols of 5 bits = 80 bits */

typedef struct demo_product {
    const char *slug, *name, *kind, *description;
} demo_product;

static const demo_product demo_products[] = {
    {"kestrel-feed", "Kestrel Feed", "product",
     "The ranked home feed of posts, photos and short videos from accounts a person follows, "
     "mixed with recommended content chosen by engagement models."},
    {"kestrel-messenger", "Kestrel Messenger", "product",
     "One-to-one and group messaging with end-to-end encryption by default, voice and video calls, "
     "and disappearing messages."},
    {"kestrel-ads", "Kestrel Ads", "service",
     "Self-serve advertising with audience targeting by interests, location, age bands and "
     "lookalike audiences built from advertisers' customer lists."},
    {"kestrel-marketplace", "Kestrel Marketplace", "product",
     "Local buying and selling between users: second-hand goods, rentals and job listings, "
     "with in-app payments in 14 countries."},
    {"content-moderation", "Content moderation", "service",
     "Review of reported posts, profiles and ads by in-house and outsourced moderators working in "
     "12 languages, assisted by automated classifiers."},
    {"kestrel-live", "Kestrel Live", "feature",
     "Live video streaming for creators, with real-time comments and paid virtual gifts."},
    {"kestrel-groups", "Kestrel Groups", "feature",
     "Public and private community groups run by volunteer administrators, including groups for "
     "activists, diaspora communities and support networks."},
};

typedef struct demo_account {
    const char *org;            /* slug */
    const char *email;
    const char *name;
    core_role role;
} demo_account;

static const demo_account demo_accounts[] = {
    {"kestrel", "admin@kestrel.example", "Amara Okafor", CORE_ROLE_ADMIN},
    {"kestrel", "hr.lead@kestrel.example", "Lena Fischer", CORE_ROLE_HR_LEAD},
    {"kestrel", "case.handler@kestrel.example", "Noor Haddad", CORE_ROLE_CASE_HANDLER},
    {"kestrel", "analyst@kestrel.example", "Tomás Rivera", CORE_ROLE_ANALYST},
    {"kestrel", "auditor@kestrel.example", "Priya Raman", CORE_ROLE_AUDITOR},
    {"dta", "secretariat@dta.example", "Jonas Berg", CORE_ROLE_ADMIN},
};
#define DEMO_NACCOUNTS (sizeof demo_accounts / sizeof demo_accounts[0])

/* Kestrel's administrator is also a member of the sector body. */
static const demo_account demo_extra = {"dta", "admin@kestrel.example", NULL, CORE_ROLE_ANALYST};

static void demo_password(char out[DEMO_PW_LEN + 1])
{
    static const char alphabet[] = "abcdefghijkmnpqrstuvwxyz23456789"; /* 32: no l, o, 0, 1 */
    unsigned char rnd[16];
    cry_random_bytes(rnd, sizeof rnd);
    size_t n = 0;
    for (size_t i = 0; i < 16; i++) {
        if (i && i % 4 == 0) out[n++] = '-';
        out[n++] = alphabet[rnd[i] & 31];
    }
    out[n] = '\0';
    sodium_memzero(rnd, sizeof rnd);
}

/* mkdir -p for the directory part of path (mode 0700 for new directories). */
static int demo_mkdirs(const char *path)
{
    char buf[4096];
    int n = snprintf(buf, sizeof buf, "%s", path);
    if (n < 0 || (size_t)n >= sizeof buf) return CORE_ERR;
    char *slash = strrchr(buf, '/');
    if (!slash || slash == buf) return CORE_OK;
    *slash = '\0';
    for (char *p = buf + 1; ; p++) {
        if (*p == '/' || *p == '\0') {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0700) != 0 && errno != EEXIST) return CORE_ERR;
            *p = c;
            if (c == '\0') break;
        }
    }
    return CORE_OK;
}

static void demo_creds_default(const char *db, char *out, size_t n)
{
    const char *slash = strrchr(db, '/');
    if (slash) snprintf(out, n, "%.*s/credentials.txt", (int)(slash - db), db);
    else snprintf(out, n, "credentials.txt");
}

/* Writes the credentials to tmp (0600, exclusive). */
static int demo_write_creds(const char *tmp, char pw[][DEMO_PW_LEN + 1])
{
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) return CORE_ERR;
    FILE *f = fdopen(fd, "w");
    if (!f) {
        close(fd);
        return CORE_ERR;
    }
    char when[32];
    fprintf(f,
            "# hrdd demo accounts, created %s.\n"
            "# Fictional organisations for a local demonstration only: never use these\n"
            "# accounts or this database for real grievances or real people.\n"
            "#\n"
            "# %-10s %-14s %-32s %s\n",
            cli_fmt_time((int64_t)time(NULL), when, sizeof when), "org", "role", "email", "password");
    for (size_t i = 0; i < DEMO_NACCOUNTS; i++) {
        fprintf(f, "  %-10s %-14s %-32s %s\n", demo_accounts[i].org, core_role_name(demo_accounts[i].role),
                demo_accounts[i].email, pw[i]);
    }
    fprintf(f, "  %-10s %-14s %-32s %s\n", demo_extra.org, core_role_name(demo_extra.role), demo_extra.email,
            "(same password; switch organisation after signing in)");
    int bad = fflush(f) != 0 || fsync(fd) != 0;
    if (fclose(f) != 0) bad = 1;
    return bad ? CORE_ERR : CORE_OK;
}

/* Appends the demo receipts to the credentials file (already in place). */
static int demo_append_receipts(const char *creds, const demo_receipt rc[DEMO_NRECEIPTS])
{
    int fd = open(creds, O_WRONLY | O_APPEND | O_CLOEXEC);
    if (fd < 0) return CORE_ERR;
    FILE *f = fdopen(fd, "a");
    if (!f) {
        close(fd);
        return CORE_ERR;
    }
    fprintf(f,
            "#\n"
            "# Demo receipts of two fictional complainants: open /receipt, enter a code and\n"
            "# see the case as its complainant does.\n"
            "# %-10s %-25s %s\n", "case", "receipt", "what you can do");
    for (size_t i = 0; i < DEMO_NRECEIPTS; i++) {
        if (rc[i].receipt[0])
            fprintf(f, "  %-10s %-25s %s\n", rc[i].reference, rc[i].receipt, rc[i].what ? rc[i].what : "");
    }
    int bad = fflush(f) != 0 || fsync(fd) != 0;
    if (fclose(f) != 0) bad = 1;
    return bad ? CORE_ERR : CORE_OK;
}

static int demo_seed_tx(cli_run *r, store_conn *c, core_arena *a, char hashes[][CRY_PWHASH_MAX],
                        demo_staff *staff)
{
    store_org kestrel = {
        .slug = "kestrel", .name = "Kestrel Social", .kind = "company",
        .description = "A social platform (fictional) for posts, photos, live video, messaging and a local "
                       "marketplace, used by about 40 million people a month in 30 countries.",
    };
    store_org dta = {
        .slug = "dta", .name = "Digital Trust Alliance", .kind = "sector_body",
        .description = "An industry association (fictional) of online platforms that runs a shared "
                       "grievance channel and peer reviews of its members' human rights due diligence.",
    };
    int rc = cli_op_org_create(c, &kestrel);
    if (rc == CORE_OK) rc = cli_op_org_create(c, &dta);
    if (rc != CORE_OK) {
        cli_err(r, "cannot create the demo organisations: %s", core_strerror(rc));
        return rc;
    }
    for (size_t i = 0; i < sizeof demo_products / sizeof demo_products[0]; i++) {
        store_product p = {
            .org_id = kestrel.id, .slug = demo_products[i].slug, .name = demo_products[i].name,
            .kind = demo_products[i].kind, .description = demo_products[i].description,
        };
        rc = store_product_create(c, &p);
        if (rc == CORE_OK) {
            char id[24];
            snprintf(id, sizeof id, "%lld", (long long)p.id);
            json_t *after = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)p.id, "org_id",
                                      (json_int_t)p.org_id, "slug", p.slug, "name", p.name, "kind", p.kind,
                                      "description", p.description);
            rc = app_audit(NULL, c, kestrel.id, "product", id, "create", NULL, after);
            json_decref(after);
        }
        if (rc != CORE_OK) {
            cli_err(r, "cannot create the demo product %s: %s", demo_products[i].slug, core_strerror(rc));
            return rc;
        }
    }
    int64_t kestrel_admin = 0;
    for (size_t i = 0; i < DEMO_NACCOUNTS; i++) {
        const demo_account *d = &demo_accounts[i];
        int64_t org_id = strcmp(d->org, "dta") == 0 ? dta.id : kestrel.id;
        store_user u = {.email = d->email, .display_name = d->name, .pw_hash = hashes[i]};
        rc = cli_op_user_create(c, org_id, &u);
        if (rc == CORE_OK) rc = cli_op_member_set(c, a, org_id, u.id, d->role);
        if (rc != CORE_OK) {
            cli_err(r, "cannot create the demo account %s: %s", d->email, core_strerror(rc));
            return rc;
        }
        if (strcmp(d->email, demo_extra.email) == 0) kestrel_admin = u.id;
        if (org_id == kestrel.id && d->role == CORE_ROLE_HR_LEAD) staff->lead_id = u.id;
        if (org_id == kestrel.id && d->role == CORE_ROLE_CASE_HANDLER) staff->handler_id = u.id;
    }
    staff->org_id = kestrel.id;
    staff->admin_id = kestrel_admin;
    rc = cli_op_member_set(c, a, dta.id, kestrel_admin, demo_extra.role);
    if (rc != CORE_OK) cli_err(r, "cannot add %s to dta: %s", demo_extra.email, core_strerror(rc));
    return rc;
}

static int demo_seed(cli_run *r, store *s, const char *creds, const unsigned char secret[CRY_SECRET_LEN])
{
    demo_staff staff;
    memset(&staff, 0, sizeof staff);
    char pw[DEMO_NACCOUNTS][DEMO_PW_LEN + 1];
    char hashes[DEMO_NACCOUNTS][CRY_PWHASH_MAX];
    int rc = CORE_OK;
    fprintf(stderr, "hrdd demo: seeding the demo organisations (hashing %zu passwords)...\n", DEMO_NACCOUNTS);
    for (size_t i = 0; i < DEMO_NACCOUNTS && rc == CORE_OK; i++) {
        demo_password(pw[i]);
        rc = cry_password_hash(pw[i], hashes[i]);
    }
    if (rc != CORE_OK) {
        cli_err(r, "password hashing failed");
        goto out;
    }
    char tmp[4200];
    snprintf(tmp, sizeof tmp, "%s.tmp", creds);
    unlink(tmp);
    rc = demo_write_creds(tmp, pw);
    if (rc != CORE_OK) {
        cli_err(r, "cannot write %s: %s", tmp, strerror(errno));
        unlink(tmp);
        goto out;
    }
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    rc = cli_begin(r, s, &c);
    if (rc == CORE_OK) rc = demo_seed_tx(r, c, &a, hashes, &staff);
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    if (rc == CORE_OK && rename(tmp, creds) != 0) {
        cli_err(r, "cannot rename %s to %s: %s", tmp, creds, strerror(errno));
        rc = CORE_ERR;
    }
    if (rc != CORE_OK) unlink(tmp);
    if (rc == CORE_OK) {
        const char *mech = cli_opt_get(r, "mechanisms");
        demo_receipt receipts[DEMO_NRECEIPTS];
        rc = demo_seed_grievances(r, s, secret, &staff, mech ? mech : DEMO_DEFAULT_MECHANISMS, receipts);
        if (rc == CORE_OK && demo_append_receipts(creds, receipts) != CORE_OK) {
            cli_err(r, "cannot add the demo receipts to %s: %s", creds, strerror(errno));
            rc = CORE_ERR;
        }
        sodium_memzero(receipts, sizeof receipts);
        if (rc != CORE_OK)
            cli_err(r, "the demo grievances are incomplete; remove the demo database and run again");
        if (rc == CORE_OK)
            rc = demo_seed_transparency(r, s, &staff);
        if (rc == CORE_OK) {
            rc = demo_seed_register(r, s, &staff);
            if (rc != CORE_OK)
                cli_err(r, "the demo register is incomplete; remove the demo database and run again");
        }
        if (rc == CORE_OK) {
            rc = demo_seed_assess(r, s, secret, &staff);
            if (rc != CORE_OK)
                cli_err(r, "the demo assessments are incomplete; remove the demo database and run again");
        }
    }
out:
    sodium_memzero(pw, sizeof pw);
    sodium_memzero(hashes, sizeof hashes);
    return rc;
}

static void demo_print_creds(const char *db, const char *creds)
{
    FILE *f = fopen(creds, "r");
    printf("hrdd demo: database %s\n", srv_is_postgres_url(db) ? "(PostgreSQL)" : db);
    if (!f) {
        printf("hrdd demo: the credentials file %s is missing; set passwords with\n"
               "  hrdd user passwd --db %s --email admin@kestrel.example\n", creds, db);
        fflush(stdout);
        return;
    }
    printf("Demo staff accounts (from %s):\n", creds);
    char line[512];
    while (fgets(line, sizeof line, f)) fputs(line, stdout);
    fclose(f);
    fflush(stdout);
}

static int demo_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (r->cfg.notify_file && r->cfg.sendmail)
        return cli_usage_err(r, "give --notify-file or --sendmail, not both");
    const char *db = r->cfg.db ? r->cfg.db : DEMO_DEFAULT_DB;
    int pg = srv_is_postgres_url(db);
    char creds[4096];
    const char *cred_opt = cli_opt_get(r, "credentials");
    if (cred_opt) snprintf(creds, sizeof creds, "%s", cred_opt);
    else if (pg) return cli_usage_err(r, "with a PostgreSQL database, --credentials FILE is required");
    else demo_creds_default(db, creds, sizeof creds);
    char secret_path[4096];
    if (srv_secret_path(db, r->cfg.secret_file, secret_path, sizeof secret_path) != CORE_OK)
        return cli_usage_err(r, "a PostgreSQL database needs --secret-file FILE (or HRDD_SECRET_FILE)");
    int rc = cli_setup_crypto(r);
    if (rc != CORE_OK) return cli_exit_for(rc);
    if (!pg && strncmp(db, "file:", 5) != 0 && demo_mkdirs(db) != CORE_OK) {
        cli_err(r, "cannot create the directory for %s: %s", db, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    /* cli_open_store reads the database from the configuration. */
    const char *saved_db = r->cfg.db;
    char dbcopy[4096];
    snprintf(dbcopy, sizeof dbcopy, "%s", db);
    r->cfg.db = dbcopy;
    store *s = NULL;
    rc = cli_open_store(r, &s, 0, 1);
    r->cfg.db = saved_db;
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    int from = 0, to = 0;
    rc = store_migrate(s, &from, &to);
    if (rc != CORE_OK) {
        cli_err(r, rc == CORE_SCHEMA_NEWER ? "the database schema is newer than this hrdd"
                                           : "migration failed");
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    unsigned char secret[CRY_SECRET_LEN];
    rc = cry_secret_load(secret_path, 1, secret);
    if (rc != CORE_OK) {
        sodium_memzero(secret, sizeof secret);
        cli_err(r, "cannot create or read the server secret %s", secret_path);
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    store_conn *c = NULL;
    core_arena a;
    core_arena_init(&a);
    store_org first;
    rc = store_acquire(s, &c);
    if (rc == CORE_OK) {
        rc = store_org_first(c, &a, &first);
        store_release(s, c);
    }
    core_arena_cleanup(&a);
    if (rc == CORE_NOTFOUND) rc = demo_seed(r, s, creds, secret);
    else if (rc != CORE_OK) cli_err(r, "cannot read the database: %s", core_strerror(rc));
    sodium_memzero(secret, sizeof secret);
    store_close(s);
    if (rc != CORE_OK) return CLI_EXIT_FAIL;
    demo_print_creds(dbcopy, creds);
    srv_options o = {
        .db_url = dbcopy,
        .listen = r->cfg.listen,
        .secret_file = secret_path,
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
    /* No mail in a demo: time-limit notifications go to a file beside the
     * credentials unless the command line says otherwise. */
    char notify[4200];
    if (!o.notify_file && !o.sendmail) {
        const char *slash = strrchr(creds, '/');
        if (slash) snprintf(notify, sizeof notify, "%.*s/notifications.jsonl", (int)(slash - creds), creds);
        else snprintf(notify, sizeof notify, "notifications.jsonl");
        o.notify_file = notify;
        printf("hrdd demo: time-limit notifications to handlers are written to %s\n", notify);
    }
    const char *port = strrchr(r->cfg.listen, ':');
    if (port && strcmp(port, ":0") != 0 && r->cfg.listen[0] != ':')
        printf("hrdd demo: sign in at http://%s/login; complainants' pages: /report, /receipt "
               "(Ctrl-C stops)\n", r->cfg.listen);
    else
        printf("hrdd demo: sign in at the URL of the \"listening\" line below, /login (Ctrl-C stops)\n");
    fflush(stdout);
    return srv_run(&o) == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static const cli_opt demo_opts[] = {
    {"credentials", "FILE", "where the demo passwords are kept (default: credentials.txt beside "
                            "the database)"},
    {"mechanisms", "DIR", "directory of external mechanisms to import on the first run, skipped "
                          "when missing (default " DEMO_DEFAULT_MECHANISMS ")"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_demo = {
    .name = "demo",
    .summary = "Seed a fictional demo installation (once) and serve it",
    .synopsis = "demo [--db demo-data/hrdd.db] [--listen 127.0.0.1:8080] [OPTIONS]",
    .description =
        "On the first run, creates the database (default " DEMO_DEFAULT_DB "), the\n"
        "server secret and two fictional organisations: Kestrel Social, a social\n"
        "platform with its products and one staff account per role, and the sector\n"
        "body Digital Trust Alliance. Random passwords go to a 0600 credentials file\n"
        "beside the database, printed at every start. Later runs just serve.\n"
        "\n"
        "The first run also imports the directory of external mechanisms (the\n"
        "European data protection authorities) from --mechanisms DIR when it\n"
        "exists, and files Kestrel's demo grievances: cases in every state of the\n"
        "workflow, a collective case, messages, notes and two overdue clocks, all\n"
        "fictional. Two of their receipts are in the credentials file: enter one\n"
        "at /receipt to see a case as its complainant does. Time-limit\n"
        "notifications go to notifications.jsonl beside the credentials file\n"
        "unless --notify-file or --sendmail says otherwise.\n"
        "\n"
        "It then writes Kestrel's human rights due diligence register (staff pages\n"
        "under /register, published ones under /orgs/kestrel/human-rights-report):\n"
        "an approved policy commitment and a newer draft, products and business\n"
        "relationships, impacts with actions, indicators with monthly measurements,\n"
        "stakeholders and engagements, assessments (some overdue) and demo\n"
        "grievances linked to impacts.",
    .keys = CLI_KEYS_SERVE,
    .opts = demo_opts,
    .examples = "  hrdd demo\n  hrdd demo --db /tmp/demo/hrdd.db --listen 127.0.0.1:9000\n",
    .run = demo_run,
};
