/* srv_routes: the one route table hrdd serves.
 *
 * Built-in routes (health, metrics) first, then the JSON API, then the web
 * pages, concatenated once (pthread_once) into a static array that lives for
 * the whole process. Every consumer (the server, `hrdd routes`, the tests)
 * reads this table, so there is exactly one list of what hrdd exposes.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api.h"
#include "server/server.h"
#include "web/web.h"

static const http_route srv_builtin[] = {
    {HTTP_GET, "/healthz", http_handle_healthz, CORE_PERM_PUBLIC, HTTP_KIND_API,
     "Liveness check: 200 {\"status\":\"ok\"}"},
    {HTTP_GET, "/metrics", http_handle_metrics, CORE_PERM_METRICS, HTTP_KIND_API,
     "Prometheus metrics (requests, latency, storage time)"},
};

/* Upper bound of the table; checked when it is built. */
#define SRV_MAX_ROUTES 512

static http_route srv_table[SRV_MAX_ROUTES];
static size_t srv_count;
static pthread_once_t srv_once = PTHREAD_ONCE_INIT;

static void srv_append(const http_route *r, size_t n)
{
    for (size_t i = 0; i < n && r; i++) {
        if (srv_count >= SRV_MAX_ROUTES) abort();   /* a build-time mistake, never input */
        srv_table[srv_count++] = r[i];
    }
}

static void srv_build(void)
{
    size_t n = 0;
    const http_route *r;
    srv_append(srv_builtin, sizeof srv_builtin / sizeof srv_builtin[0]);
    r = api_routes(&n);
    srv_append(r, n);
    n = 0;
    r = web_routes(&n);
    srv_append(r, n);
}

const http_route *srv_routes(size_t *n)
{
    pthread_once(&srv_once, srv_build);
    if (n) *n = srv_count;
    return srv_table;
}
