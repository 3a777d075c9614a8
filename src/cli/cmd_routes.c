/* cmd_routes: `hrdd routes` prints every route the server serves (from
 * srv_routes(), the one table), one entry per method, as text or JSON. The
 * integration tests read the JSON to walk every route with every role.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "server/server.h"

static const http_method route_methods[] = {HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_PATCH, HTTP_DELETE};

static const char *route_method_name(http_method m)
{
    switch (m) {
    case HTTP_GET: return "GET";
    case HTTP_HEAD: return "HEAD";
    case HTTP_POST: return "POST";
    case HTTP_PUT: return "PUT";
    case HTTP_PATCH: return "PATCH";
    case HTTP_DELETE: return "DELETE";
    }
    return "?";
}

static int routes_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    size_t n = 0;
    const http_route *rt = srv_routes(&n);
    int json = cli_opt_has(r, "json");
    json_t *arr = json ? json_array() : NULL;
    for (size_t i = 0; i < n; i++) {
        for (size_t m = 0; m < sizeof route_methods / sizeof route_methods[0]; m++) {
            if (!(rt[i].methods & route_methods[m])) continue;
            const char *method = route_method_name(route_methods[m]);
            const char *kind = rt[i].kind == HTTP_KIND_HTML ? "html" : "api";
            const char *perm = core_perm_name(rt[i].perm);
            if (json) {
                json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:s}", "method", method,
                                                     "pattern", rt[i].pattern, "perm", perm, "kind", kind,
                                                     "summary", rt[i].summary ? rt[i].summary : ""));
            } else {
                printf("%-7s %-48s %-14s %-5s %s\n", method, rt[i].pattern, perm, kind,
                       rt[i].summary ? rt[i].summary : "");
            }
        }
    }
    if (json) cli_print_json(arr);
    return CLI_EXIT_OK;
}

static const cli_opt routes_opts[] = {
    {"json", NULL, "print a JSON array: [{\"method\",\"pattern\",\"perm\",\"kind\",\"summary\"}]"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_routes = {
    .name = "routes",
    .summary = "List every HTTP route with its method and required permission",
    .synopsis = "routes [--json]",
    .description = "One line (or JSON object) per route and method. HEAD is implied by GET\n"
                   "and listed only where a route declares it. perm is the permission the\n"
                   "caller must hold; kind is \"api\" (JSON) or \"html\" (pages).",
    .opts = routes_opts,
    .examples = "  hrdd routes\n  hrdd routes --json | jq '.[] | select(.perm == \"public\")'\n",
    .run = routes_run,
};
