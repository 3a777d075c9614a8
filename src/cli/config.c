/* config: the configuration of hrdd, in four layers.
 *
 * Precedence: command-line flags > environment (HRDD_*) > config file
 * (--config FILE, else HRDD_CONFIG, else /etc/hrdd/hrdd.conf when present)
 * > built-in defaults. Every key is validated in the layer that sets it, so
 * an error names its origin: "FILE:LINE:COLUMN" for the file, the variable
 * name for the environment, the flag for the command line.
 *
 * File format: one "key = value" per line; blank lines and lines whose first
 * non-blank character is '#' are ignored; a value may be wrapped in double
 * quotes (to keep leading or trailing blanks). No inline comments, since '#'
 * may be part of a path or URL.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

const cli_key_info cli_keys[CLI_K__COUNT] = {
    [CLI_K_DB] = {"db", "HRDD_DB", "db", "DB", NULL,
                  "SQLite file path or postgresql:// URL"},
    [CLI_K_LISTEN] = {"listen", "HRDD_LISTEN", "listen", "ADDR:PORT", "127.0.0.1:8080",
                      "address to serve on (\"[::1]:8080\", \":8080\" for all addresses)"},
    [CLI_K_SECRET_FILE] = {"secret_file", "HRDD_SECRET_FILE", "secret-file", "FILE", NULL,
                           "server secret (default: <db>.secret beside a SQLite file; "
                           "required for PostgreSQL)"},
    [CLI_K_THREADS] = {"threads", "HRDD_THREADS", "threads", "N", "0",
                       "HTTP worker threads (0 = one per CPU core)"},
    [CLI_K_POOL_SIZE] = {"pool_size", "HRDD_POOL_SIZE", "pool-size", "N", "0",
                         "database connections (0 = 8)"},
    [CLI_K_BEHIND_TLS] = {"behind_tls", "HRDD_BEHIND_TLS", "behind-tls", NULL, "false",
                          "served behind a TLS proxy: HSTS and Secure cookies"},
    [CLI_K_PWHASH_COST] = {"pwhash_cost", "HRDD_PWHASH_COST", "pwhash-cost", "COST", "interactive",
                           "argon2id cost for new password hashes: interactive, moderate "
                           "(min: tests only)"},
    [CLI_K_MAX_BODY] = {"max_body", "HRDD_MAX_BODY", "max-body", "BYTES", "0",
                        "largest request body (0 = 1 MiB)"},
    [CLI_K_SLA_INTERVAL] = {"sla_interval", "HRDD_SLA_INTERVAL", "sla-interval", "MINUTES", "15",
                            "minutes between checks of the grievance time limits, which flag "
                            "overdue cases and notify handlers (0 = off)"},
    [CLI_K_NOTIFY_FILE] = {"notify_file", "HRDD_NOTIFY_FILE", "notify-file", "FILE", NULL,
                           "append time-limit notifications to FILE (one JSON line each) "
                           "instead of mailing them"},
    [CLI_K_SENDMAIL] = {"sendmail", "HRDD_SENDMAIL", "sendmail", "COMMAND", NULL,
                        "sendmail-compatible command that mails notifications (message on "
                        "standard input, e.g. \"/usr/sbin/sendmail -t -i\")"},
    [CLI_K_CONN_TIMEOUT] = {"conn_timeout", "HRDD_CONN_TIMEOUT", "conn-timeout", "SECONDS", "0",
                            "seconds a connection may stay idle or take to send a request's "
                            "headers before it is closed (0 = 15)"},
    [CLI_K_MAX_CONNECTIONS] = {"max_connections", "HRDD_MAX_CONNECTIONS", "max-connections", "N", "0",
                               "simultaneous client connections (0 = 1000, fewer when the "
                               "open-file limit is lower)"},
};

void cli_config_init(cli_config *c)
{
    memset(c, 0, sizeof *c);
}

void cli_config_cleanup(cli_config *c)
{
    for (int k = 0; k < CLI_K__COUNT; k++) {
        free(c->value[k]);
        free(c->where[k]);
    }
    free(c->file);
    memset(c, 0, sizeof *c);
}

const char *cli_source_name(cli_source s)
{
    switch (s) {
    case CLI_SRC_FILE: return "file";
    case CLI_SRC_ENV: return "env";
    case CLI_SRC_FLAG: return "flag";
    default: return "default";
    }
}

static char *cli_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    if (d) memcpy(d, s, n);
    return d;
}

/* Booleans: true/false, yes/no, on/off, 1/0 (case-insensitive). */
static int cli_parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"1", "true", "yes", "on"};
    static const char *const no[] = {"0", "false", "no", "off"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0) { *out = 1; return CORE_OK; }
        if (strcasecmp(v, no[i]) == 0) { *out = 0; return CORE_OK; }
    }
    return CORE_INVALID;
}

static int cli_parse_range(const char *v, int64_t lo, int64_t hi, int64_t *out)
{
    int64_t x;
    if (core_parse_int64(v, &x) != CORE_OK || x < lo || x > hi) return CORE_INVALID;
    *out = x;
    return CORE_OK;
}

/* Checks a value for key k; why receives a reason on failure. */
static int cli_check_value(cli_key k, const char *v, const char **why)
{
    int64_t x;
    int b;
    if (!core_utf8_valid(v, strlen(v))) { *why = "not valid UTF-8"; return CORE_INVALID; }
    switch (k) {
    case CLI_K_DB:
    case CLI_K_SECRET_FILE:
    case CLI_K_NOTIFY_FILE:
    case CLI_K_SENDMAIL:
        if (!v[0]) { *why = "must not be empty"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_LISTEN: {
        const char *colon = strrchr(v, ':');
        if (!colon || cli_parse_range(colon + 1, 0, 65535, &x) != CORE_OK) {
            *why = "expected ADDRESS:PORT, e.g. 127.0.0.1:8080";
            return CORE_INVALID;
        }
        return CORE_OK;
    }
    case CLI_K_THREADS:
        if (cli_parse_range(v, 0, 1024, &x) != CORE_OK) { *why = "expected a number from 0 to 1024"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_POOL_SIZE:
        if (cli_parse_range(v, 0, 1024, &x) != CORE_OK) { *why = "expected a number from 0 to 1024"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_MAX_BODY:
        if (cli_parse_range(v, 0, (int64_t)1 << 32, &x) != CORE_OK) { *why = "expected a number of bytes"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_CONN_TIMEOUT:
        if (cli_parse_range(v, 0, 3600, &x) != CORE_OK) { *why = "expected a number of seconds from 0 to 3600"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_MAX_CONNECTIONS:
        if (cli_parse_range(v, 0, 100000, &x) != CORE_OK) { *why = "expected a number from 0 to 100000"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_SLA_INTERVAL:
        if (cli_parse_range(v, 0, 7 * 24 * 60, &x) != CORE_OK) {
            *why = "expected a number of minutes from 0 (off) to 10080";
            return CORE_INVALID;
        }
        return CORE_OK;
    case CLI_K_BEHIND_TLS:
        if (cli_parse_bool(v, &b) != CORE_OK) { *why = "expected true or false"; return CORE_INVALID; }
        return CORE_OK;
    case CLI_K_PWHASH_COST:
        if (strcmp(v, "interactive") && strcmp(v, "moderate") && strcmp(v, "min")) {
            *why = "expected interactive, moderate or min";
            return CORE_INVALID;
        }
        return CORE_OK;
    default:
        *why = "unknown key";
        return CORE_INVALID;
    }
}

int cli_config_set(cli_config *c, cli_key k, const char *value, cli_source src, const char *where)
{
    const char *why = NULL;
    if (cli_check_value(k, value, &why) != CORE_OK) {
        fprintf(stderr, "hrdd: %s: invalid value for %s: %s\n", where, cli_keys[k].file_key, why);
        return CORE_INVALID;
    }
    char *v = cli_strdup(value);
    char *w = where ? cli_strdup(where) : NULL;
    if (!v || (where && !w)) {
        free(v);
        free(w);
        return CORE_NOMEM;
    }
    free(c->value[k]);
    free(c->where[k]);
    c->value[k] = v;
    c->where[k] = w;
    c->source[k] = src;
    return CORE_OK;
}

static int cli_file_error(const char *name, size_t line, size_t col, const char *fmt, const char *arg)
{
    fprintf(stderr, "hrdd: %s:%zu:%zu: ", name, line, col);
    fprintf(stderr, fmt, arg ? arg : "");
    fputc('\n', stderr);
    return CORE_INVALID;
}

static int cli_key_lookup(const char *name, size_t n)
{
    for (int k = 0; k < CLI_K__COUNT; k++) {
        if (strlen(cli_keys[k].file_key) == n && memcmp(cli_keys[k].file_key, name, n) == 0) return k;
    }
    return -1;
}

int cli_config_text(cli_config *c, const char *name, const char *text, size_t len)
{
    int seen[CLI_K__COUNT] = {0};
    size_t lineno = 0;
    size_t pos = 0;
    char keybuf[64], valbuf[4096], where[4200];
    if (memchr(text, '\0', len)) return cli_file_error(name, 1, 1, "contains a NUL byte%s", NULL);
    while (pos < len) {
        lineno++;
        const char *line = text + pos;
        const char *nl = memchr(line, '\n', len - pos);
        size_t n = nl ? (size_t)(nl - line) : len - pos;
        pos += n + (nl ? 1 : 0);
        if (n > 0 && line[n - 1] == '\r') n--;
        if (!core_utf8_valid(line, n)) return cli_file_error(name, lineno, 1, "not valid UTF-8%s", NULL);
        size_t i = 0;
        while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i == n || line[i] == '#') continue;
        size_t kstart = i;
        while (i < n && (islower((unsigned char)line[i]) || line[i] == '_' || line[i] == '-' ||
                         isdigit((unsigned char)line[i]) || isupper((unsigned char)line[i])))
            i++;
        size_t klen = i - kstart;
        if (klen == 0) return cli_file_error(name, lineno, kstart + 1, "expected a key (key = value)%s", NULL);
        if (klen >= sizeof keybuf) return cli_file_error(name, lineno, kstart + 1, "key too long%s", NULL);
        memcpy(keybuf, line + kstart, klen);
        keybuf[klen] = '\0';
        while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
        if (i == n || line[i] != '=') return cli_file_error(name, lineno, i + 1, "expected '=' after key '%s'", keybuf);
        i++;
        while (i < n && (line[i] == ' ' || line[i] == '\t')) i++;
        size_t vstart = i, vend = n;
        while (vend > vstart && (line[vend - 1] == ' ' || line[vend - 1] == '\t')) vend--;
        if (vstart < vend && line[vstart] == '"') {
            if (vend - vstart < 2 || line[vend - 1] != '"')
                return cli_file_error(name, lineno, vstart + 1, "unterminated quoted value%s", NULL);
            vstart++;
            vend--;
            if (memchr(line + vstart, '"', vend - vstart))
                return cli_file_error(name, lineno, vstart + 1, "a quoted value cannot contain '\"'%s", NULL);
        }
        int k = cli_key_lookup(keybuf, klen);
        if (k < 0) {
            for (size_t j = 0; j < klen; j++) {
                if (keybuf[j] == '-') {
                    return cli_file_error(name, lineno, kstart + 1,
                                          "unknown key '%s' (keys use '_', e.g. secret_file)", keybuf);
                }
            }
            return cli_file_error(name, lineno, kstart + 1, "unknown key '%s'", keybuf);
        }
        if (seen[k]) return cli_file_error(name, lineno, kstart + 1, "duplicate key '%s'", keybuf);
        seen[k] = 1;
        if (vend - vstart >= sizeof valbuf) return cli_file_error(name, lineno, vstart + 1, "value too long%s", NULL);
        memcpy(valbuf, line + vstart, vend - vstart);
        valbuf[vend - vstart] = '\0';
        const char *why = NULL;
        if (cli_check_value((cli_key)k, valbuf, &why) != CORE_OK) {
            fprintf(stderr, "hrdd: %s:%zu:%zu: invalid value for %s: %s\n", name, lineno, vstart + 1,
                    keybuf, why);
            return CORE_INVALID;
        }
        snprintf(where, sizeof where, "%s:%zu", name, lineno);
        int rc = cli_config_set(c, (cli_key)k, valbuf, CLI_SRC_FILE, where);
        if (rc != CORE_OK) return rc;
    }
    return CORE_OK;
}

#define CLI_CONFIG_MAX (1024 * 1024)

int cli_config_file(cli_config *c, const char *path, int missing_ok)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        if (missing_ok && errno == ENOENT) return CORE_OK;
        fprintf(stderr, "hrdd: cannot read config file %s: %s\n", path, strerror(errno));
        return CORE_INVALID;
    }
    core_buf b;
    core_buf_init(&b);
    char chunk[4096];
    size_t got;
    int rc = CORE_OK;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) {
        if (b.len + got > CLI_CONFIG_MAX) {
            fprintf(stderr, "hrdd: %s: config file larger than 1 MiB\n", path);
            rc = CORE_INVALID;
            break;
        }
        if (core_buf_append(&b, chunk, got) != CORE_OK) { rc = CORE_NOMEM; break; }
    }
    if (rc == CORE_OK && ferror(f)) {
        fprintf(stderr, "hrdd: cannot read config file %s: %s\n", path, strerror(errno));
        rc = CORE_INVALID;
    }
    fclose(f);
    if (rc == CORE_OK) {
        free(c->file);
        c->file = cli_strdup(path);
        rc = cli_config_text(c, path, core_buf_cstr(&b), b.len);
    }
    core_buf_cleanup(&b);
    return rc;
}

int cli_config_env(cli_config *c, unsigned keys)
{
    for (int k = 0; k < CLI_K__COUNT; k++) {
        if (!(keys & CLI_KEY_BIT(k))) continue;
        const char *v = getenv(cli_keys[k].env);
        if (!v || !v[0]) continue;
        int rc = cli_config_set(c, (cli_key)k, v, CLI_SRC_ENV, cli_keys[k].env);
        if (rc != CORE_OK) return rc;
    }
    return CORE_OK;
}

int cli_config_finish(cli_config *c)
{
    for (int k = 0; k < CLI_K__COUNT; k++) {
        if (!c->value[k] && cli_keys[k].def) {
            c->value[k] = cli_strdup(cli_keys[k].def);
            if (!c->value[k]) return CORE_NOMEM;
            c->source[k] = CLI_SRC_DEFAULT;
        }
    }
    int64_t x = 0;
    c->db = c->value[CLI_K_DB];
    c->listen = c->value[CLI_K_LISTEN];
    c->secret_file = c->value[CLI_K_SECRET_FILE];
    c->pwhash_cost = c->value[CLI_K_PWHASH_COST];
    c->threads = (core_parse_int64(c->value[CLI_K_THREADS], &x) == CORE_OK) ? (int)x : 0;
    c->pool_size = (core_parse_int64(c->value[CLI_K_POOL_SIZE], &x) == CORE_OK) ? (int)x : 0;
    c->max_body = (core_parse_int64(c->value[CLI_K_MAX_BODY], &x) == CORE_OK) ? (size_t)x : 0;
    c->conn_timeout = (core_parse_int64(c->value[CLI_K_CONN_TIMEOUT], &x) == CORE_OK) ? (unsigned)x : 0;
    c->max_connections = (core_parse_int64(c->value[CLI_K_MAX_CONNECTIONS], &x) == CORE_OK) ? (unsigned)x : 0;
    c->sla_interval_min = (core_parse_int64(c->value[CLI_K_SLA_INTERVAL], &x) == CORE_OK) ? (int)x : 0;
    c->notify_file = c->value[CLI_K_NOTIFY_FILE];
    c->sendmail = c->value[CLI_K_SENDMAIL];
    int b = 0;
    c->behind_tls = (cli_parse_bool(c->value[CLI_K_BEHIND_TLS], &b) == CORE_OK) ? b : 0;
    return CORE_OK;
}

char *cli_config_redact(const char *value)
{
    if (!value) return NULL;
    char *out = cli_strdup(value);
    if (!out) return NULL;
    /* scheme://user:password@host -> scheme://user:***@host */
    char *scheme = strstr(out, "://");
    if (!scheme) return out;
    char *auth = scheme + 3;
    char *at = strchr(auth, '@');
    char *slash = strchr(auth, '/');
    if (!at || (slash && slash < at)) return out;
    char *colon = memchr(auth, ':', (size_t)(at - auth));
    if (!colon) return out;
    size_t head = (size_t)(colon + 1 - out);
    size_t need = head + 3 + strlen(at) + 1;
    char *r = malloc(need);
    if (!r) { free(out); return NULL; }
    snprintf(r, need, "%.*s***%s", (int)head, out, at);
    free(out);
    return r;
}
