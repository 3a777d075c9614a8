/* server: assembles hrdd: the full route table (built-in, API, web), the
 * application context over a store, and the HTTP server that serves them.
 */
#ifndef HRDD_SERVER_H
#define HRDD_SERVER_H

#include <stddef.h>

#include "app/app.h"
#include "http/http.h"

/* Every route hrdd serves, in one table (built once, static). */
const http_route *srv_routes(size_t *n);

typedef struct srv_options {
    const char *db_url;
    const char *listen;              /* default "127.0.0.1:8080" */
    const char *secret_file;         /* default: <db>.secret next to a SQLite file, else required */
    int threads;
    int pool_size;
    int behind_tls;
    size_t max_body;
    unsigned timeout_s;              /* idle / request-header timeout; 0 = 15 s */
    unsigned max_connections;        /* 0 = 1000 */
    int sla_interval_min;            /* minutes between time-limit checks (rmd_sla_check); 0 = off */
    const char *notify_file;         /* time-limit notifications appended here (JSON lines), or NULL */
    const char *sendmail;            /* sendmail-compatible command for notifications, or NULL */
} srv_options;

/* Opens the store (refusing a schema that is newer or pending migration),
 * opens the grievance service (rmd_open over the store and the secret) into
 * app_ctx.remedy, starts serving and the background threads (session purge,
 * time-limit checks), and blocks until SIGINT/SIGTERM. Returns a CORE_ status. */
int srv_run(const srv_options *o);

/* 1 if url names a PostgreSQL database ("postgresql://" or "postgres://"). */
int srv_is_postgres_url(const char *url);
/* The server secret file to use: secret_file when given, else "<db>.secret"
 * beside a SQLite file; CORE_INVALID for PostgreSQL without secret_file,
 * CORE_ERR when out is too small. */
int srv_secret_path(const char *db_url, const char *secret_file, char *out, size_t outsz);

#endif
