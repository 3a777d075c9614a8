/* web_retention: the organisation's retention policy as a staff page.
 *
 * GET /retention shows the policy (months after closure after which the
 * personal data of closed or withdrawn cases are erased, or none), what is
 * erased and what the statistics keep; roles with org_read may see it. POST
 * /retention (org_manage: admin; CSRF like every staff form) sets or clears
 * it through rmd_retention_set, which checks the permission again and writes
 * the same audit entry as PUT /api/v1/orgs/{org}/retention. Server-rendered,
 * no JavaScript; a bad value comes back with the error linked to the field.
 */
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "web/web.h"
#include "web/web_internal.h"
#include "web/web_retention.h"

static int retention_page(http_req *req, int status, json_t *ctx)
{
    const app_principal *p = app_principal_of(req);
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    rmd_actor actor;
    web_actor(req, &actor);
    int months = 0;
    int rc = rmd_retention_get(svc, &actor, &months);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_object_set_new(ctx, "months", json_integer(months));
    json_object_set_new(ctx, "has_policy", json_boolean(months > 0));
    if (!json_object_get(ctx, "form")) {
        char v[16];
        if (months > 0)
            snprintf(v, sizeof v, "%d", months);
        else
            v[0] = '\0';
        json_object_set_new(ctx, "form", json_pack("{s:s}", "months", v));
    }
    json_object_set_new(ctx, "can_manage", json_boolean(core_authz_allows(p->role, CORE_PERM_ORG_MANAGE)));
    return web_page(req, status, "retention", "retention.title", ctx);
}

int web_handle_retention(http_req *req)
{
    return retention_page(req, 200, NULL);
}

/* "" or "0" clears the policy; otherwise 1..RMD_RETENTION_MAX_MONTHS. */
static int parse_months(const char *s, int *out)
{
    if (!*s) {
        *out = 0;
        return CORE_OK;
    }
    if (strlen(s) > 5)
        return CORE_INVALID;
    for (const char *q = s; *q; q++)
        if (*q < '0' || *q > '9')
            return CORE_INVALID;
    long v = strtol(s, NULL, 10);
    if (v < 0 || v > RMD_RETENTION_MAX_MONTHS)
        return CORE_INVALID;
    *out = (int)v;
    return CORE_OK;
}

int web_handle_retention_set(http_req *req)
{
    const char *raw = web_form(req, "months");
    const int clear = *web_form(req, "clear") != '\0';
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int months = 0;
    if (!clear && parse_months(raw, &months) != CORE_OK) {
        json_object_set_new(ctx, "form",
                            json_pack("{s:s}", "months", core_utf8_valid(raw, strlen(raw)) && strlen(raw) < 32 ? raw : ""));
        web_add_error(req, ctx, "months", "retention.error.months");
        return retention_page(req, 400, ctx);
    }
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    rmd_actor actor;
    web_actor(req, &actor);
    int rc = rmd_retention_set(svc, http_req_arena(req), &actor, months);
    json_decref(ctx);
    if (rc != CORE_OK) {
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    web_redirect(req, months > 0 ? "/retention?notice=retention_set" : "/retention?notice=retention_cleared");
    return CORE_OK;
}
