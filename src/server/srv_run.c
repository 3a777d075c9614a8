/* srv_run: opens the store, loads the server secret, starts the HTTP server
 * over srv_routes() with app_authorize as the one authorization hook, logs
 * the bound URL as a JSON line, and blocks until SIGINT/SIGTERM, then stops
 * gracefully (in-flight requests finish, connections and secrets released).
 *
 * It refuses to serve a database it cannot use as it is: one whose schema is
 * newer than this binary, one with migrations pending (the operator runs
 * `hrdd migrate`, never the server behind their back) or one with no
 * organisation yet (`hrdd init`). It opens the grievance service (src/remedy:
 * rmd_open over the store and the root secret, with the notification
 * settings) into app_ctx.remedy before the first request and closes it after
 * the last, and the due diligence register (src/register: reg_open) into
 * app_ctx.reg the same way. Two small background threads run periodic jobs: one purges
 * expired sessions every five minutes; the other checks the grievance time
 * limits (rmd_sla_check: flags due and overdue clocks and notifies handlers)
 * every --sla-interval minutes, first shortly after start-up (0 = off).
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <sodium.h>

#include "register/register.h"
#include "remedy/remedy.h"
#include "server/server.h"

#define SRV_PURGE_EVERY_S 300
#define SRV_SLA_FIRST_S 5            /* first time-limit check after start-up */

int srv_is_postgres_url(const char *url)
{
    return url && (strncmp(url, "postgresql://", 13) == 0 || strncmp(url, "postgres://", 11) == 0);
}

int srv_secret_path(const char *db_url, const char *secret_file, char *out, size_t outsz)
{
    int n;
    if (!out || outsz == 0) return CORE_ERR;
    out[0] = '\0';
    if (secret_file && secret_file[0]) {
        n = snprintf(out, outsz, "%s", secret_file);
    } else {
        if (!db_url || !db_url[0] || srv_is_postgres_url(db_url)) return CORE_INVALID;
        const char *path = db_url;
        if (strncmp(path, "file:", 5) == 0) {
            path += 5;
            size_t len = strcspn(path, "?");
            n = snprintf(out, outsz, "%.*s.secret", (int)len, path);
        } else {
            n = snprintf(out, outsz, "%s.secret", path);
        }
    }
    if (n < 0 || (size_t)n >= outsz) return CORE_ERR;
    return CORE_OK;
}

/* "http://HOST:PORT" for the log line: the host as configured (empty -> all
 * addresses, shown as 0.0.0.0), the port as bound (so ":0" shows the real one). */
static void srv_url(const char *listen, int port, char *out, size_t outsz)
{
    char host[256] = "";
    if (listen && listen[0] == '[') {
        const char *end = strchr(listen, ']');
        size_t len = end ? (size_t)(end - listen) + 1 : strlen(listen);
        snprintf(host, sizeof host, "%.*s", (int)len, listen);
    } else if (listen) {
        const char *colon = strrchr(listen, ':');
        size_t len = colon ? (size_t)(colon - listen) : strlen(listen);
        snprintf(host, sizeof host, "%.*s", (int)len, listen);
    }
    if (!host[0]) snprintf(host, sizeof host, "0.0.0.0");
    snprintf(out, outsz, "http://%s:%d", host, port);
}

/* One JSON log line on stderr, in the shape of the http module's lines. */
static void srv_log(const char *msg, const char *key, const char *value)
{
    struct timespec ts;
    struct tm tm;
    char when[40] = "";
    clock_gettime(CLOCK_REALTIME, &ts);
    if (gmtime_r(&ts.tv_sec, &tm)) {
        char base[24];
        strftime(base, sizeof base, "%Y-%m-%dT%H:%M:%S", &tm);
        snprintf(when, sizeof when, "%s.%03ldZ", base, ts.tv_nsec / 1000000L);
    }
    json_t *o = json_object();
    if (!o) return;
    json_object_set_new(o, "ts", json_string(when));
    json_object_set_new(o, "level", json_string("info"));
    json_object_set_new(o, "msg", json_string(msg));
    if (key && value) json_object_set_new(o, key, json_string(value));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (s) {
        fprintf(stderr, "%s\n", s);
        fflush(stderr);
    }
    free(s);
    json_decref(o);
}

/* ---- periodic jobs (session purge, time-limit checks) ---- */

typedef struct srv_job {
    void (*fn)(app_ctx *ctx);
    app_ctx *ctx;
    int64_t first_s;                 /* delay before the first run */
    int64_t every_s;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int stop;
    int started;
    pthread_t thread;
} srv_job;

static void srv_purge_once(app_ctx *ctx)
{
    store_conn *c = NULL;
    if (store_acquire(ctx->store, &c) != CORE_OK) return;
    int64_t now = ctx->now ? ctx->now() : (int64_t)time(NULL);
    (void)store_session_purge(c, now - ctx->cfg.session_idle_s, now - ctx->cfg.session_absolute_s);
    store_release(ctx->store, c);
}

/* One time-limit check; a line in the log when something is due, overdue or
 * failed (references only: never case content). Then the retention
 * policies (rmd_retention_run: counts only in the log). Then the register's
 * reminders: a line naming the organisations with assessments overdue or
 * due soon, with counts. */
static void srv_sla_once(app_ctx *ctx)
{
    if (!ctx->remedy) return;
    core_arena a;
    core_arena_init(&a);
    rmd_sla_report rep;
    memset(&rep, 0, sizeof rep);
    int rc = rmd_sla_check(ctx->remedy, &a, rmd_now(ctx->remedy), &rep);
    char line[512];
    if (rc == CORE_OK) {
        rmd_sla_summary(&rep, line, sizeof line);
        if (rep.due_soon || rep.overdue || rep.failed) srv_log("time limits checked", "summary", line);
    } else {
        snprintf(line, sizeof line, "%s", core_strerror(rc));
        srv_log("time-limit check failed", "error", line);
    }
    /* retention policies: erase the personal data of cases past their time */
    rmd_retention_report ret;
    rc = rmd_retention_run(ctx->remedy, &a, rmd_now(ctx->remedy), "system", &ret);
    if (rc == CORE_OK && (ret.erased || ret.failed)) {
        snprintf(line, sizeof line, "%zu cases erased, %zu failed", ret.erased, ret.failed);
        srv_log("retention applied", "summary", line);
    } else if (rc != CORE_OK) {
        srv_log("retention run failed", "error", core_strerror(rc));
    }
    /* the register's reminders: organisations with overdue or due-soon assessments */
    reg_reminder *rem = NULL;
    size_t nrem = 0;
    if (ctx->reg && reg_reminders(ctx->reg, &a, &rem, &nrem) == CORE_OK && nrem) {
        reg_reminders_summary(rem, nrem, line, sizeof line);
        srv_log("assessments due", "summary", line);
    }
    core_arena_cleanup(&a);
}

static void *srv_job_main(void *arg)
{
    srv_job *j = arg;
    int64_t wait_s = j->first_s;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        struct timespec until;
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += (time_t)wait_s;
        while (!j->stop) {
            int rc = pthread_cond_timedwait(&j->cv, &j->mu, &until);
            if (rc == ETIMEDOUT) break;
        }
        if (j->stop) break;
        pthread_mutex_unlock(&j->mu);
        j->fn(j->ctx);
        pthread_mutex_lock(&j->mu);
        wait_s = j->every_s;
    }
    pthread_mutex_unlock(&j->mu);
    return NULL;
}

static int srv_job_start(srv_job *j, app_ctx *ctx, void (*fn)(app_ctx *), int64_t first_s, int64_t every_s)
{
    memset(j, 0, sizeof *j);
    j->fn = fn;
    j->ctx = ctx;
    j->first_s = first_s;
    j->every_s = every_s;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&j->mu, NULL);
    pthread_cond_init(&j->cv, &ca);
    pthread_condattr_destroy(&ca);
    /* The thread starts with every signal blocked: SIGINT/SIGTERM are for
     * the main thread, which waits for them. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    int rc = pthread_create(&j->thread, NULL, srv_job_main, j);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    j->started = (rc == 0);
    return rc == 0 ? CORE_OK : CORE_ERR;
}

/* Stops the job (waits for a run in progress to finish). Safe on a job that
 * was never started (zeroed). */
static void srv_job_stop(srv_job *j)
{
    if (!j->fn) return;
    if (j->started) {
        pthread_mutex_lock(&j->mu);
        j->stop = 1;
        pthread_cond_signal(&j->cv);
        pthread_mutex_unlock(&j->mu);
        pthread_join(j->thread, NULL);
    }
    pthread_cond_destroy(&j->cv);
    pthread_mutex_destroy(&j->mu);
    j->fn = NULL;
}

/* ---- run ---- */

static int srv_check_store(store *st, const char *db)
{
    int rc = store_check_schema(st);
    int version = 0;
    (void)store_schema_version(st, &version);
    if (rc == CORE_SCHEMA_NEWER) {
        fprintf(stderr,
                "hrdd: serve: the database schema (version %d) is newer than this hrdd "
                "(knows up to version %d); upgrade hrdd\n", version, STORE_SCHEMA_VERSION);
        return rc;
    }
    if (rc == CORE_INVALID) {
        fprintf(stderr,
                "hrdd: serve: the database has migrations pending (schema version %d, this hrdd "
                "knows %d); run `hrdd migrate --db %s` first%s\n", version, STORE_SCHEMA_VERSION,
                srv_is_postgres_url(db) ? "'<url>'" : db,
                version == 0 ? " (or `hrdd init` for a new installation)" : "");
        return rc;
    }
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot read the database schema: %s\n", core_strerror(rc));
        return rc;
    }
    store_conn *c = NULL;
    rc = store_acquire(st, &c);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot connect to the database: %s\n", core_strerror(rc));
        return rc;
    }
    core_arena a;
    core_arena_init(&a);
    store_org org;
    rc = store_org_first(c, &a, &org);
    store_release(st, c);
    core_arena_cleanup(&a);
    if (rc == CORE_NOTFOUND) {
        fprintf(stderr, "hrdd: serve: the database has no organisation yet; run `hrdd init` first\n");
        return CORE_INVALID;
    }
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot read the database: %s\n", core_strerror(rc));
        return rc;
    }
    return CORE_OK;
}

int srv_run(const srv_options *o)
{
    if (!o || !o->db_url || !o->db_url[0]) {
        fprintf(stderr, "hrdd: serve: no database given (--db or HRDD_DB)\n");
        return CORE_INVALID;
    }
    const char *listen = (o->listen && o->listen[0]) ? o->listen : "127.0.0.1:8080";
    if (cry_init() != CORE_OK) {
        fprintf(stderr, "hrdd: serve: libsodium failed to initialise\n");
        return CORE_ERR;
    }
    if (!srv_is_postgres_url(o->db_url) && strncmp(o->db_url, "file:", 5) != 0) {
        struct stat sb;
        if (stat(o->db_url, &sb) != 0) {
            fprintf(stderr, "hrdd: serve: database %s does not exist; create it with `hrdd init`\n",
                    o->db_url);
            return CORE_NOTFOUND;
        }
    }
    char secret_path[4096];
    int rc = srv_secret_path(o->db_url, o->secret_file, secret_path, sizeof secret_path);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: %s\n", rc == CORE_INVALID
                ? "a PostgreSQL database needs --secret-file (or HRDD_SECRET_FILE)"
                : "secret file path too long");
        return CORE_INVALID;
    }

    signal(SIGPIPE, SIG_IGN);

    store *st = NULL;
    store_options so = {
        .url = o->db_url,
        .pool_size = o->pool_size,
        .observer = http_metrics_observe_storage,
    };
    rc = store_open(&st, &so);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot open the database: %s\n", core_strerror(rc));
        return rc;
    }
    rc = srv_check_store(st, o->db_url);
    if (rc != CORE_OK) {
        store_close(st);
        return rc;
    }

    unsigned char secret[CRY_SECRET_LEN];
    rc = cry_secret_load(secret_path, 0, secret);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot read the server secret %s (%s); `hrdd init` creates it\n",
                secret_path, core_strerror(rc));
        store_close(st);
        return rc;
    }

    app_config acfg;
    app_config_defaults(&acfg);
    acfg.behind_tls = o->behind_tls;
    app_ctx ctx;
    rc = app_ctx_init(&ctx, st, &acfg, secret);
    if (rc != CORE_OK) {
        sodium_memzero(secret, sizeof secret);
        fprintf(stderr, "hrdd: serve: cannot set up the application: %s\n", core_strerror(rc));
        app_ctx_cleanup(&ctx);
        store_close(st);
        return rc;
    }
    rmd_options ro;
    rmd_options_defaults(&ro);
    ro.sendmail_command = (o->sendmail && o->sendmail[0]) ? o->sendmail : NULL;
    ro.mail_sink_path = (o->notify_file && o->notify_file[0]) ? o->notify_file : NULL;
    rmd_service *svc = NULL;
    rc = rmd_open(&svc, st, secret, &ro);
    sodium_memzero(secret, sizeof secret);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot open the grievance mechanism: %s\n", core_strerror(rc));
        app_ctx_cleanup(&ctx);
        store_close(st);
        return rc;
    }
    ctx.remedy = svc;
    reg_service *reg = NULL;
    rc = reg_open(&reg, st, NULL);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot open the due diligence register: %s\n", core_strerror(rc));
        rmd_close(svc);
        app_ctx_cleanup(&ctx);
        store_close(st);
        return rc;
    }
    ctx.reg = reg;

    size_t nroutes = 0;
    const http_route *routes = srv_routes(&nroutes);
    http_config hc = {
        .listen = listen,
        .threads = o->threads,
        .max_body = o->max_body,
        .timeout_s = o->timeout_s,
        .max_connections = o->max_connections,
        .behind_tls = o->behind_tls,
        .app = &ctx,
        .authorize = app_authorize,
    };
    http_server *hs = NULL;
    rc = http_server_start(&hs, &hc, routes, nroutes);
    if (rc != CORE_OK) {
        fprintf(stderr, "hrdd: serve: cannot serve on %s: %s\n", listen, core_strerror(rc));
        reg_close(reg);
        rmd_close(svc);
        app_ctx_cleanup(&ctx);
        store_close(st);
        return rc;
    }

    srv_job purger, sla;
    memset(&sla, 0, sizeof sla);
    if (srv_job_start(&purger, &ctx, srv_purge_once, 0, SRV_PURGE_EVERY_S) != CORE_OK)
        srv_log("session purge thread not started", NULL, NULL);
    if (o->sla_interval_min > 0 &&
        srv_job_start(&sla, &ctx, srv_sla_once, SRV_SLA_FIRST_S, (int64_t)o->sla_interval_min * 60) != CORE_OK)
        srv_log("time-limit check thread not started", NULL, NULL);

    char url[320];
    srv_url(listen, http_server_port(hs), url, sizeof url);
    srv_log("listening", "url", url);

    http_wait_for_signal();

    srv_log("stopping", NULL, NULL);
    srv_job_stop(&sla);
    srv_job_stop(&purger);
    http_server_stop(hs);
    ctx.remedy = NULL;
    ctx.reg = NULL;
    reg_close(reg);
    rmd_close(svc);
    app_ctx_cleanup(&ctx);
    store_close(st);
    srv_log("stopped", NULL, NULL);
    return CORE_OK;
}
