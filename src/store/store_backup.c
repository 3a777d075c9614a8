/* store_backup: online backup and restore of the database, per engine.
 *
 * SQLite: a separate read-only connection opens a read transaction on the
 * source (in WAL mode that blocks no writer and pins one consistent
 * snapshot, so the copy never restarts under a write load), then the online
 * backup API copies pages_per_step pages per step into "<out>.part", which
 * is switched to a rollback journal (one self-contained file), synced and
 * renamed to <out>. Restore checks the file (PRAGMA integrity_check, schema
 * version) and copies it into the target with the same API.
 * PostgreSQL: pg_dump --format=custom / pg_restore, run without a shell
 * (posix_spawn), found in PATH or in /usr/lib/postgresql/<v>/bin (Debian
 * keeps them there). The connection URL is passed to them as --dbname.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>
#include <sqlite3.h>

#include "store/store_db.h"

extern char **environ;

static void say(char *msg, size_t msgsz, const char *fmt, const char *a, const char *b)
{
    if (msg && msgsz)
        snprintf(msg, msgsz, fmt, a ? a : "", b ? b : "");
}

static int is_pg(const char *url)
{
    return strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0;
}

/* ---- PostgreSQL tools ---- */

static int find_tool(const char *name, char *out, size_t n)
{
    const char *path = getenv("PATH");
    if (path) {
        char *dup = strdup(path);
        if (!dup)
            return CORE_NOMEM;
        for (char *save = NULL, *d = strtok_r(dup, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
            snprintf(out, n, "%s/%s", d, name);
            if (access(out, X_OK) == 0) {
                free(dup);
                return CORE_OK;
            }
        }
        free(dup);
    }
    /* Debian: /usr/lib/postgresql/<major>/bin, newest major first */
    DIR *dir = opendir("/usr/lib/postgresql");
    int best = -1;
    if (dir) {
        struct dirent *e;
        while ((e = readdir(dir)) != NULL) {
            int64_t v;
            if (core_parse_int64(e->d_name, &v) != CORE_OK || v > INT_MAX)
                continue;                    /* ".", "..", anything not a major version */
            char p[512];
            snprintf(p, sizeof p, "/usr/lib/postgresql/%s/bin/%s", e->d_name, name);
            if (v > best && access(p, X_OK) == 0)
                best = (int)v;
        }
        closedir(dir);
    }
    if (best < 0)
        return CORE_NOTFOUND;
    snprintf(out, n, "/usr/lib/postgresql/%d/bin/%s", best, name);
    return CORE_OK;
}

static int run_tool(char *const argv[], char *msg, size_t msgsz)
{
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], NULL, NULL, argv, environ);
    if (rc != 0) {
        say(msg, msgsz, "cannot run %s: %s", argv[0], strerror(rc));
        return CORE_ERR;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return CORE_ERR;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        say(msg, msgsz, "%s failed (see its messages above)%s", argv[0], NULL);
        return CORE_ERR;
    }
    return CORE_OK;
}

static int pg_tool(const char *name, char *bin, size_t n, char *msg, size_t msgsz)
{
    int rc = find_tool(name, bin, n);
    if (rc == CORE_NOTFOUND)
        say(msg, msgsz, "%s not found in PATH or /usr/lib/postgresql/*/bin: install the "
            "postgresql-client package%s", name, NULL);
    return rc;
}

/* ---- SQLite ---- */

static int sl_copy(sqlite3 *dst, sqlite3 *src, int pages, char *msg, size_t msgsz)
{
    sqlite3_backup *b = sqlite3_backup_init(dst, "main", src, "main");
    if (!b) {
        say(msg, msgsz, "backup: %s%s", sqlite3_errmsg(dst), NULL);
        return CORE_ERR;
    }
    int rc;
    do {
        rc = sqlite3_backup_step(b, pages);
        if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
            sqlite3_sleep(5);   /* lock released between steps: writers go first */
    } while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
    sqlite3_backup_finish(b);
    if (rc != SQLITE_DONE) {
        say(msg, msgsz, "backup: %s%s", sqlite3_errstr(rc), NULL);
        return CORE_ERR;
    }
    return CORE_OK;
}

static int sl_backup(const char *url, const char *path, int pages, char *msg, size_t msgsz)
{
    char part[4096];
    if (snprintf(part, sizeof part, "%s.part", path) >= (int)sizeof part)
        return CORE_INVALID;
    unlink(part);
    sqlite3 *src = NULL, *dst = NULL;
    int rc = CORE_ERR;
    if (sqlite3_open_v2(url, &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot open %s: %s", url, src ? sqlite3_errmsg(src) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(src, 5000);
    /* one read transaction over the whole copy: a consistent snapshot that,
     * in WAL mode, blocks no writer */
    if (sqlite3_exec(src, "BEGIN; SELECT count(*) FROM sqlite_master;", NULL, NULL, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot read %s: %s", url, sqlite3_errmsg(src));
        goto out;
    }
    if (sqlite3_open_v2(part, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot create %s: %s", part, dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    rc = sl_copy(dst, src, pages > 0 ? pages : 256, msg, msgsz);
    sqlite3_exec(src, "COMMIT", NULL, NULL, NULL);
    if (rc == CORE_OK &&
        sqlite3_exec(dst, "PRAGMA journal_mode=DELETE; PRAGMA synchronous=FULL;", NULL, NULL, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot finish %s: %s", part, sqlite3_errmsg(dst));
        rc = CORE_ERR;
    }
out:
    sqlite3_close(src);
    if (dst && sqlite3_close(dst) != SQLITE_OK && rc == CORE_OK)
        rc = CORE_ERR;
    if (rc == CORE_OK) {
        int fd = open(part, O_RDONLY);
        if (fd >= 0) {
            fsync(fd);
            close(fd);
        }
        if (rename(part, path) != 0) {
            say(msg, msgsz, "cannot rename to %s: %s", path, strerror(errno));
            rc = CORE_ERR;
        }
    }
    if (rc != CORE_OK)
        unlink(part);
    return rc;
}

int store_backup(store *s, const char *path, int pages_per_step, char *msg, size_t msgsz)
{
    if (!s || !path || !*path)
        return CORE_INVALID;
    if (access(path, F_OK) == 0) {
        say(msg, msgsz, "%s exists: a backup is always written to a new file%s", path, NULL);
        return CORE_CONFLICT;
    }
    if (s->engine == SDB_SQLITE)
        return sl_backup(s->url, path, pages_per_step, msg, msgsz);
    char bin[512], db[4200], file[4200];
    int rc = pg_tool("pg_dump", bin, sizeof bin, msg, msgsz);
    if (rc != CORE_OK)
        return rc;
    snprintf(db, sizeof db, "--dbname=%s", s->url);
    snprintf(file, sizeof file, "--file=%s", path);
    char *argv[] = {bin, "--format=custom", "--no-owner", "--no-privileges", file, db, NULL};
    rc = run_tool(argv, msg, msgsz);
    if (rc != CORE_OK)
        unlink(path);
    return rc;
}

const char *store_backup_kind(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    if (n == 16 && memcmp(head, "SQLite format 3", 16) == 0)
        return "sqlite";
    if (n >= 5 && memcmp(head, "PGDMP", 5) == 0)
        return "postgresql";
    return NULL;
}

int store_backup_check(const char *path, int *version, char *msg, size_t msgsz)
{
    *version = 0;
    sqlite3 *db = NULL;
    int rc = CORE_CORRUPT;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot open %s: %s", path, db ? sqlite3_errmsg(db) : "out of memory");
        sqlite3_close(db);
        return CORE_ERR;
    }
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(st, 0);
        if (r && strcmp(r, "ok") == 0)
            rc = CORE_OK;
        else
            say(msg, msgsz, "integrity check of %s failed: %s", path, r);
    } else {
        say(msg, msgsz, "integrity check of %s failed: %s", path, sqlite3_errmsg(db));
    }
    sqlite3_finalize(st);
    st = NULL;
    if (rc == CORE_OK) {
        if (sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL) == SQLITE_OK &&
            sqlite3_step(st) == SQLITE_ROW) {
            *version = sqlite3_column_int(st, 0);
        } else {
            say(msg, msgsz, "%s is not an hrdd database (no schema version)%s", path, NULL);
            rc = CORE_CORRUPT;
        }
        sqlite3_finalize(st);
    }
    sqlite3_close(db);
    return rc;
}

int store_url_has_data(const char *url)
{
    if (!url || !*url)
        return CORE_INVALID;
    if (is_pg(url)) {
        PGconn *pc = PQconnectdb(url);
        if (!pc || PQstatus(pc) != CONNECTION_OK) {
            PQfinish(pc);
            return CORE_ERR;
        }
        PGresult *res = PQexec(pc, "SELECT count(*) FROM information_schema.tables"
                                   " WHERE table_schema = current_schema()");
        int64_t n = -1;
        if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1 ||
            core_parse_int64(PQgetvalue(res, 0, 0), &n) != CORE_OK)
            n = -1;
        PQclear(res);
        PQfinish(pc);
        return n < 0 ? CORE_ERR : n > 0;
    }
    const char *p = strncmp(url, "file:", 5) == 0 ? NULL : url;
    struct stat sb;
    if (p && (stat(p, &sb) != 0 || sb.st_size == 0))
        return 0;
    sqlite3 *db = NULL;
    if (sqlite3_open_v2(url, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        sqlite3_close(db);
        return 0;
    }
    sqlite3_stmt *st = NULL;
    int n = 0;
    if (sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    else
        n = CORE_ERR;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n < 0 ? n : n > 0;
}

int store_restore(const char *url, const char *path, int force, char *msg, size_t msgsz)
{
    if (!url || !path)
        return CORE_INVALID;
    const char *kind = store_backup_kind(path);
    if (!kind) {
        say(msg, msgsz, "%s is not an hrdd backup (neither SQLite nor pg_dump custom format)%s", path, NULL);
        return CORE_INVALID;
    }
    if (strcmp(kind, is_pg(url) ? "postgresql" : "sqlite") != 0) {
        say(msg, msgsz, "%s is a %s backup: restore it into a database of that engine", path, kind);
        return CORE_INVALID;
    }
    int has = store_url_has_data(url);
    if (has < 0) {
        say(msg, msgsz, "cannot open the target database%s%s", NULL, NULL);
        return has;
    }
    if (has && !force) {
        say(msg, msgsz, "the target database is not empty: restore into a fresh one, or give --force%s%s",
            NULL, NULL);
        return CORE_CONFLICT;
    }
    if (is_pg(url)) {
        char bin[512], db[4200];
        int rc = pg_tool("pg_restore", bin, sizeof bin, msg, msgsz);
        if (rc != CORE_OK)
            return rc;
        snprintf(db, sizeof db, "--dbname=%s", url);
        char *argv[10];
        int i = 0;
        argv[i++] = bin;
        argv[i++] = "--no-owner";
        argv[i++] = "--no-privileges";
        argv[i++] = "--exit-on-error";
        argv[i++] = "--single-transaction";
        if (force) {
            argv[i++] = "--clean";
            argv[i++] = "--if-exists";
        }
        argv[i++] = db;
        argv[i++] = (char *)path;
        argv[i] = NULL;
        return run_tool(argv, msg, msgsz);
    }
    int version = 0;
    int rc = store_backup_check(path, &version, msg, msgsz);
    if (rc != CORE_OK)
        return rc;
    if (version > STORE_SCHEMA_VERSION) {
        say(msg, msgsz, "the backup's schema is newer than this hrdd: upgrade hrdd first%s%s", NULL, NULL);
        return CORE_SCHEMA_NEWER;
    }
    sqlite3 *src = NULL, *dst = NULL;
    rc = CORE_ERR;
    if (sqlite3_open_v2(path, &src, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot open %s%s", path, NULL);
        goto out;
    }
    if (sqlite3_open_v2(url, &dst, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot open %s: %s", url, dst ? sqlite3_errmsg(dst) : "out of memory");
        goto out;
    }
    sqlite3_busy_timeout(dst, 5000);
    rc = sl_copy(dst, src, -1, msg, msgsz);
    if (rc == CORE_OK && sqlite3_exec(dst, "PRAGMA journal_mode=WAL", NULL, NULL, NULL) != SQLITE_OK) {
        say(msg, msgsz, "cannot switch %s to WAL: %s", url, sqlite3_errmsg(dst));
        rc = CORE_ERR;
    }
out:
    sqlite3_close(src);
    sqlite3_close(dst);
    return rc;
}
