/* cmd_backup: `hrdd backup` and `hrdd restore`.
 *
 * backup: an online, consistent copy while the server runs (store_backup:
 * the SQLite backup API in steps, or pg_dump --format=custom), written to a
 * new file, then an audit entry in the source ("backup", after the copy: the
 * backup holds the chain up to just before it, a valid prefix). The server
 * secret is never put into the backup; --include-key copies it beside the
 * backup as FILE.key (0600), with a warning, for operators who keep both in
 * the same safe place on purpose.
 * restore: into an empty database (--force overwrites), after checking the
 * file (PRAGMA integrity_check and the schema version for SQLite; pg_restore
 * checks its own format), then migrations when the backup is older, the
 * audit chain verified, and an audit entry "restore" appended to the
 * restored chain. --key FILE installs the secret saved with the backup.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "crypto/crypto.h"
#include "server/server.h"

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int audit_op(cli_run *r, store *s, const char *object_id, const char *action)
{
    store_conn *c = NULL;
    if (cli_begin(r, s, &c) != CORE_OK) return CORE_ERR;
    core_arena a;
    core_arena_init(&a);
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = (int64_t)time(NULL);
    e.actor = "cli";
    e.object_type = "installation";
    e.object_id = object_id;
    e.action = action;
    int rc = store_audit_append(c, &a, &e);
    rc = cli_finish(r, s, c, rc);
    core_arena_cleanup(&a);
    return rc;
}

/* Copies the secret at from to a new file to (0600); CORE_CONFLICT if to exists. */
static int copy_secret(const char *from, const char *to)
{
    unsigned char secret[CRY_SECRET_LEN];
    int rc = cry_secret_load(from, 0, secret);
    if (rc != CORE_OK) return rc;
    unsigned char check[CRY_SECRET_LEN];
    if (cry_secret_load(to, 0, check) == CORE_OK) {
        rc = sodium_memcmp(secret, check, sizeof secret) == 0 ? CORE_OK : CORE_CONFLICT;
        sodium_memzero(secret, sizeof secret);
        sodium_memzero(check, sizeof check);
        return rc;
    }
    /* the same file format as the original: copy its bytes */
    FILE *in = fopen(from, "rb");
    int fd = open(to, O_WRONLY | O_CREAT | O_EXCL, 0600);
    rc = (in && fd >= 0) ? CORE_OK : CORE_ERR;
    char buf[4096];
    size_t n;
    while (rc == CORE_OK && (n = fread(buf, 1, sizeof buf, in)) > 0)
        if (write(fd, buf, n) != (ssize_t)n) rc = CORE_ERR;
    if (fd >= 0 && fsync(fd) != 0) rc = CORE_ERR;
    if (fd >= 0) close(fd);
    if (in) fclose(in);
    sodium_memzero(buf, sizeof buf);
    sodium_memzero(secret, sizeof secret);
    return rc;
}

static int backup_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    const char *out = cli_opt_get(r, "out");
    if (!out || !*out) return cli_usage_err(r, "--out FILE is required");
    int64_t pages = 256;
    const char *ps = cli_opt_get(r, "pages-per-step");
    if (ps && (core_parse_int64(ps, &pages) != CORE_OK || pages < 1 || pages > 1000000))
        return cli_usage_err(r, "--pages-per-step must be a number from 1 to 1000000");
    char secret_path[4096];
    int include_key = cli_opt_has(r, "include-key");
    if (include_key && srv_secret_path(r->cfg.db, r->cfg.secret_file, secret_path, sizeof secret_path) != CORE_OK)
        return cli_usage_err(r, "a PostgreSQL database needs --secret-file FILE for --include-key");
    store *s = NULL;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    char msg[512] = "";
    int rc = store_backup(s, out, (int)pages, msg, sizeof msg);
    if (rc != CORE_OK) {
        cli_err(r, "%s", msg[0] ? msg : core_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    char keyfile[4200] = "";
    if (include_key) {
        snprintf(keyfile, sizeof keyfile, "%s.key", out);
        rc = copy_secret(secret_path, keyfile);
        if (rc != CORE_OK) {
            cli_err(r, "backup written, but the secret could not be copied to %s: %s", keyfile,
                    rc == CORE_CONFLICT ? "a different key is there" : core_strerror(rc));
            store_close(s);
            return CLI_EXIT_FAIL;
        }
        fprintf(stderr, "hrdd: backup: WARNING: %s holds the server secret: whoever has it and the backup "
                "can read every grievance. Keep it apart from the backup.\n", keyfile);
    }
    char action[600];
    snprintf(action, sizeof action, "backup file=%s engine=%s key=%s", base_name(out), store_engine(s),
             include_key ? "included" : "not_included");
    rc = audit_op(r, s, "backup", action);
    struct stat sb;
    long long size = stat(out, &sb) == 0 ? (long long)sb.st_size : -1;
    printf("backup written: %s (%s, %lld bytes)\n", out, store_engine(s), size);
    if (!include_key)
        printf("the server secret is not in the backup: back it up separately (without it the grievances "
               "cannot be read)\n");
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static const cli_opt backup_opts[] = {
    {"out", "FILE", "the backup file to write (must not exist)"},
    {"include-key", NULL, "also copy the server secret to FILE.key (read the warning in --help)"},
    {"pages-per-step", "N", "SQLite: pages copied per step (default 256)"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_backup = {
    .name = "backup",
    .summary = "Write an online, consistent backup of the database",
    .synopsis = "backup --db DB --out FILE [--include-key]",
    .description =
        "Safe while the server runs. SQLite: the online backup API copies the\n"
        "database in steps from one read snapshot (writers are not blocked) into a\n"
        "new single SQLite file. PostgreSQL: pg_dump --format=custom (from PATH or\n"
        "/usr/lib/postgresql/<version>/bin; install postgresql-client). The backup\n"
        "is recorded in the audit trail.\n"
        "The server secret is NOT in the backup: without it the grievances in a\n"
        "backup cannot be read, and receipts do not work. Back it up separately.\n"
        "--include-key copies it to FILE.key (mode 0600): anyone holding both files\n"
        "can read every grievance, so store FILE.key apart from FILE.",
    .keys = CLI_KEYS_STORE,
    .opts = backup_opts,
    .examples = "  hrdd backup --db /var/lib/hrdd/hrdd.db --out /backup/hrdd-$(date +%F).db\n",
    .run = backup_run,
};

static int restore_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    const char *from = cli_opt_get(r, "from");
    if (!from || !*from) return cli_usage_err(r, "--from FILE is required");
    if (access(from, R_OK) != 0) {
        cli_err(r, "cannot read %s: %s", from, strerror(errno));
        return CLI_EXIT_FAIL;
    }
    char secret_path[4096];
    if (srv_secret_path(r->cfg.db, r->cfg.secret_file, secret_path, sizeof secret_path) != CORE_OK)
        return cli_usage_err(r, "a PostgreSQL database needs --secret-file FILE");
    const char *key = cli_opt_get(r, "key");
    if (key) {
        int rc = copy_secret(key, secret_path);
        if (rc != CORE_OK) {
            cli_err(r, "cannot install the secret %s as %s: %s", key, secret_path,
                    rc == CORE_CONFLICT ? "a different secret is already there" : core_strerror(rc));
            return CLI_EXIT_FAIL;
        }
    }
    char msg[512] = "";
    int rc = store_restore(r->cfg.db, from, cli_opt_has(r, "force"), msg, sizeof msg);
    if (rc != CORE_OK) {
        cli_err(r, "%s", msg[0] ? msg : core_strerror(rc));
        return rc == CORE_CONFLICT || rc == CORE_INVALID ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
    }
    store *s = NULL;
    if (cli_open_store(r, &s, 0, 0) != CORE_OK) return CLI_EXIT_FAIL;
    int vfrom = 0, vto = 0;
    rc = store_migrate(s, &vfrom, &vto);
    if (rc != CORE_OK) {
        cli_err(r, "restored, but the migrations failed: %s", core_strerror(rc));
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    store_conn *c = NULL;
    int64_t checked = 0, bad = 0;
    if ((rc = store_acquire(s, &c)) == CORE_OK) {
        rc = store_audit_verify(c, &checked, &bad);
        store_release(s, c);
    }
    if (rc != CORE_OK) {
        cli_err(r, "restored, but the audit chain does not verify (%s at entry %lld)", core_strerror(rc),
                (long long)bad);
        store_close(s);
        return CLI_EXIT_FAIL;
    }
    char action[600];
    snprintf(action, sizeof action, "restore file=%s schema=%d->%d", base_name(from), vfrom, vto);
    rc = audit_op(r, s, "restore", action);
    printf("restored %s into the database (schema %d%s%d); audit chain OK: %lld entries\n", from, vfrom,
           vfrom == vto ? " = " : " migrated to ", vto, (long long)checked + 1);
    unsigned char secret[CRY_SECRET_LEN];
    if (cry_secret_load(secret_path, 0, secret) != CORE_OK)
        fprintf(stderr, "hrdd: restore: no server secret at %s: put the installation's secret there "
                "(or give --key FILE) before serving, or no grievance can be read\n", secret_path);
    sodium_memzero(secret, sizeof secret);
    store_close(s);
    return rc == CORE_OK ? CLI_EXIT_OK : CLI_EXIT_FAIL;
}

static const cli_opt restore_opts[] = {
    {"from", "FILE", "the backup file (from 'hrdd backup')"},
    {"force", NULL, "overwrite a database that is not empty"},
    {"key", "FILE", "install this saved server secret as the database's secret file"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_restore = {
    .name = "restore",
    .summary = "Restore a backup into a fresh database",
    .synopsis = "restore --db DB --from FILE [--force] [--key FILE]",
    .description =
        "Refuses a database that already holds data unless --force. SQLite: checks\n"
        "the backup (PRAGMA integrity_check, schema version) and copies it in with\n"
        "the backup API; PostgreSQL: pg_restore (postgresql-client). Then applies\n"
        "pending migrations when the backup is older than this hrdd, verifies the\n"
        "audit chain and records the restore in it. Stop the server first.\n"
        "The database needs the installation's server secret (beside a SQLite file\n"
        "as DB.secret, or --secret-file): --key FILE installs a saved copy.",
    .keys = CLI_KEYS_STORE,
    .opts = restore_opts,
    .examples = "  hrdd restore --db /var/lib/hrdd/hrdd.db --from /backup/hrdd-2026-11-28.db\n",
    .run = restore_run,
};
