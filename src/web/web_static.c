/* web_static: the embedded static assets (src/web/static/), served at
 * GET /static/{file} to anyone. URLs carry a content digest (?v=...) so the
 * responses can be cached for a year without ever serving a stale file.
 */
#include <string.h>

#include "web/web.h"
#include "web/web_internal.h"

const web_embedded *web_static_find(const char *name)
{
    if (!name)
        return NULL;
    for (size_t i = 0; i < web_embed_nstatic; i++)
        if (strcmp(web_embed_static[i].name, name) == 0)
            return &web_embed_static[i];
    return NULL;
}

const char *web_static_url(core_arena *a, const char *name)
{
    const web_embedded *e = web_static_find(name);
    if (!e)
        return "";
    return core_arena_printf(a, "/static/%s?v=%s", e->name, e->version);
}

static const char *content_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        {".css", "text/css; charset=utf-8"},
        {".js", "text/javascript; charset=utf-8"},
        {".svg", "image/svg+xml"},
        {".png", "image/png"},
        {".ico", "image/x-icon"},
        {".txt", "text/plain; charset=utf-8"},
        {".woff2", "font/woff2"},
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

int web_handle_static(http_req *req)
{
    const web_embedded *e = web_static_find(http_req_param(req, "file"));
    if (!e) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    const char *etag = core_arena_printf(http_req_arena(req), "\"%s\"", e->version);
    const char *inm = http_req_header(req, "If-None-Match");
    /* Long-lived only for the URL the layout links (with the current digest);
     * any other version, or none, must be revalidated. */
    const char *v = http_req_query(req, "v");
    http_res_header(req, "Cache-Control", v && strcmp(v, e->version) == 0
                                              ? "public, max-age=31536000, immutable"
                                              : "public, max-age=300, must-revalidate");
    if (etag)
        http_res_header(req, "ETag", etag);
    if (inm && etag && strcmp(inm, etag) == 0) {
        http_res_body(req, 304, content_type(e->name), "", 0);
        return CORE_OK;
    }
    http_res_body(req, 200, content_type(e->name), e->data, e->len);
    return CORE_OK;
}
