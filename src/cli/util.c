/* util: helpers every command shares: opening the store with the schema
 * checks, transactions, the password prompt (no echo) and password files,
 * e-mail and slug normalisation, organisation lookup, JSON and time output.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "server/server.h"

#define CLI_PW_MIN 8
#define CLI_PW_MAX 1024

int cli_exit_for(int rc)
{
    if (rc == CORE_OK) return CLI_EXIT_OK;
    if (rc == CORE_INVALID) return CLI_EXIT_USAGE;
    return CLI_EXIT_FAIL;
}

int cli_need_db(cli_run *r)
{
    if (r->cfg.db && r->cfg.db[0]) return CORE_OK;
    cli_usage_err(r, "no database given: use --db DB, HRDD_DB or 'db = ...' in the config file");
    return CORE_INVALID;
}

int cli_setup_crypto(cli_run *r)
{
    if (cry_init() != CORE_OK) {
        cli_err(r, "libsodium failed to initialise");
        return CORE_ERR;
    }
    if (cry_set_pwhash_cost(r->cfg.pwhash_cost ? r->cfg.pwhash_cost : "interactive") != CORE_OK) {
        cli_err(r, "unknown password hashing cost '%s'", r->cfg.pwhash_cost);
        return CORE_INVALID;
    }
    return CORE_OK;
}

int cli_open_store(cli_run *r, store **out, int check, int may_create)
{
    *out = NULL;
    if (cli_need_db(r) != CORE_OK) return CORE_INVALID;
    const char *db = r->cfg.db;
    if (!may_create && !srv_is_postgres_url(db) && strncmp(db, "file:", 5) != 0) {
        struct stat sb;
        if (stat(db, &sb) != 0) {
            cli_err(r, "database %s does not exist (create it with 'hrdd init')", db);
            return CORE_NOTFOUND;
        }
    }
    store_options so = {.url = db, .pool_size = r->cfg.pool_size > 0 ? r->cfg.pool_size : 2};
    int rc = store_open(out, &so);
    if (rc != CORE_OK) {
        char *shown = cli_config_redact(db);
        cli_err(r, "cannot open the database %s: %s", shown ? shown : "", core_strerror(rc));
        free(shown);
        *out = NULL;
        return rc;
    }
    if (!check) return CORE_OK;
    rc = store_check_schema(*out);
    if (rc == CORE_OK) return CORE_OK;
    int version = 0;
    (void)store_schema_version(*out, &version);
    if (rc == CORE_SCHEMA_NEWER) {
        cli_err(r, "the database schema (version %d) is newer than this hrdd (knows up to %d); "
                "upgrade hrdd", version, STORE_SCHEMA_VERSION);
    } else if (rc == CORE_INVALID) {
        cli_err(r, "the database has migrations pending (schema version %d, this hrdd knows %d); "
                "run 'hrdd migrate' first%s", version, STORE_SCHEMA_VERSION,
                version == 0 ? " (or 'hrdd init' for a new installation)" : "");
        rc = CORE_ERR;
    } else {
        cli_err(r, "cannot read the database schema: %s", core_strerror(rc));
    }
    store_close(*out);
    *out = NULL;
    return rc;
}

int cli_begin(cli_run *r, store *s, store_conn **c)
{
    *c = NULL;
    int rc = store_acquire(s, c);
    if (rc != CORE_OK) {
        cli_err(r, "cannot connect to the database: %s", core_strerror(rc));
        *c = NULL;
        return rc;
    }
    rc = store_begin(*c);
    if (rc != CORE_OK) {
        cli_err(r, "cannot start a transaction: %s", core_strerror(rc));
        store_release(s, *c);
        *c = NULL;
    }
    return rc;
}

int cli_finish(cli_run *r, store *s, store_conn *c, int rc)
{
    if (!c) return rc;
    if (rc == CORE_OK) {
        rc = store_commit(c);
        if (rc != CORE_OK) cli_err(r, "commit failed: %s", core_strerror(rc));
    } else {
        store_rollback(c);
    }
    store_release(s, c);
    return rc;
}

/* ---- passwords ---- */

int cli_password_policy(const char *pw, const char **why)
{
    size_t n = strlen(pw);
    if (n < CLI_PW_MIN) { *why = "the password must have at least 8 characters"; return CORE_INVALID; }
    if (n > CLI_PW_MAX) { *why = "the password must have at most 1024 bytes"; return CORE_INVALID; }
    if (!core_utf8_valid(pw, n)) { *why = "the password is not valid UTF-8"; return CORE_INVALID; }
    return CORE_OK;
}

/* Reads the first line of f into out (without the line end). */
static int cli_read_line(FILE *f, char *out, size_t outsz)
{
    size_t n = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && ch != '\n') {
        if (n + 1 >= outsz) return CORE_INVALID;
        out[n++] = (char)ch;
    }
    if (n > 0 && out[n - 1] == '\r') n--;
    out[n] = '\0';
    if (ch == EOF && ferror(f)) return CORE_ERR;
    return CORE_OK;
}

static int cli_prompt(const char *prompt, char *out, size_t outsz)
{
    struct termios old, quiet;
    if (tcgetattr(STDIN_FILENO, &old) != 0) return CORE_ERR;
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    quiet.c_lflag |= ECHONL;
    /* echo off first, then the prompt: input typed after the prompt is kept */
    if (tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) != 0) return CORE_ERR;
    fputs(prompt, stderr);
    fflush(stderr);
    int rc = cli_read_line(stdin, out, outsz);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
    return rc;
}

int cli_read_password(cli_run *r, const char *opt, int confirm, char *out, size_t outsz)
{
    const char *file = cli_opt_get(r, opt);
    int rc;
    out[0] = '\0';
    if (file) {
        FILE *f = strcmp(file, "-") == 0 ? stdin : fopen(file, "rb");
        if (!f) {
            cli_err(r, "cannot read --%s %s: %s", opt, file, strerror(errno));
            return CORE_ERR;
        }
        rc = cli_read_line(f, out, outsz);
        if (f != stdin) fclose(f);
        if (rc == CORE_INVALID) {
            cli_err(r, "the password in %s is too long", file);
            return CORE_INVALID;
        }
        if (rc != CORE_OK) {
            cli_err(r, "cannot read --%s %s", opt, file);
            return rc;
        }
    } else if (isatty(STDIN_FILENO)) {
        rc = cli_prompt("Password: ", out, outsz);
        if (rc == CORE_OK && confirm) {
            char again[CLI_PW_MAX + 2];
            rc = cli_prompt("Password (again): ", again, sizeof again);
            if (rc == CORE_OK && strcmp(again, out) != 0) {
                sodium_memzero(again, sizeof again);
                sodium_memzero(out, outsz);
                cli_err(r, "the passwords do not match");
                return CORE_INVALID;
            }
            sodium_memzero(again, sizeof again);
        }
        if (rc != CORE_OK) {
            cli_err(r, "cannot read the password from the terminal");
            return rc == CORE_INVALID ? CORE_INVALID : CORE_ERR;
        }
    } else {
        cli_usage_err(r, "--%s FILE is required when standard input is not a terminal", opt);
        return CORE_INVALID;
    }
    const char *why = NULL;
    if (cli_password_policy(out, &why) != CORE_OK) {
        sodium_memzero(out, outsz);
        cli_err(r, "%s", why);
        return CORE_INVALID;
    }
    return CORE_OK;
}

/* ---- names ---- */

int cli_email(cli_run *r, const char *in, char *out, size_t outsz)
{
    if (!in || !in[0]) {
        cli_usage_err(r, "--email is required");
        return CORE_INVALID;
    }
    size_t n = strlen(in);
    if (n + 1 > outsz) {
        cli_err(r, "e-mail address too long");
        return CORE_INVALID;
    }
    for (size_t i = 0; i <= n; i++) out[i] = (char)tolower((unsigned char)in[i]);
    if (!core_email_valid(out)) {
        cli_err(r, "'%s' is not a valid e-mail address", in);
        return CORE_INVALID;
    }
    return CORE_OK;
}

void cli_slugify(const char *name, char *out, size_t outsz)
{
    size_t n = 0;
    int dash = 0;
    if (outsz == 0) return;
    size_t max = outsz - 1 < 63 ? outsz - 1 : 63;
    for (const unsigned char *p = (const unsigned char *)name; *p && n < max; p++) {
        if (isalnum(*p) && *p < 0x80) {
            if (dash && n > 0 && n < max) out[n++] = '-';
            dash = 0;
            if (n < max) out[n++] = (char)tolower(*p);
        } else {
            dash = 1;
        }
    }
    while (n > 0 && out[n - 1] == '-') n--;
    out[n] = '\0';
    if (n == 0) snprintf(out, outsz, "org");
}

int cli_org(cli_run *r, store_conn *c, core_arena *a, const char *slug, store_org *out)
{
    int rc = slug ? store_org_get_by_slug(c, a, slug, out) : store_org_first(c, a, out);
    if (rc == CORE_NOTFOUND) {
        if (slug) cli_err(r, "no organisation with slug '%s' (see 'hrdd org list')", slug);
        else cli_err(r, "the database has no organisation yet (run 'hrdd init')");
    } else if (rc != CORE_OK) {
        cli_err(r, "cannot read organisations: %s", core_strerror(rc));
    }
    return rc;
}

void cli_print_json(json_t *v)
{
    if (!v) return;
    char *s = json_dumps(v, JSON_INDENT(2) | JSON_ENCODE_ANY);
    if (s) {
        fputs(s, stdout);
        fputc('\n', stdout);
        free(s);
    }
    json_decref(v);
}

char *cli_fmt_time(int64_t t, char *buf, size_t n)
{
    if (t <= 0) {
        snprintf(buf, n, "-");
        return buf;
    }
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm) || strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) snprintf(buf, n, "%lld", (long long)t);
    return buf;
}
