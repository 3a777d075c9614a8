/* web: server-rendered HTML for staff and the public: templates compiled into
 * the binary (escaping by default), the message catalogue every user-facing
 * string goes through, embedded static assets, and the page handlers.
 * Works without JavaScript; no inline script or style (the CSP forbids it).
 */
#ifndef HRDD_WEB_H
#define HRDD_WEB_H

#include <stddef.h>

#include <jansson.h>

#include "core/core.h"
#include "http/http.h"

/* The web routes (pages, forms, static assets), in a static table. */
const http_route *web_routes(size_t *n);

/* ---- message catalogue ---- */
/* Looks key up in lang's catalogue, falling back to English, then to the key
 * itself. Catalogues are embedded; "en" is complete by definition. */
const char *web_msg(const char *lang, const char *key);
/* The language to use for a request: Accept-Language among the available ones,
 * or a "lang" cookie/query, else "en". */
const char *web_lang(http_req *req);
/* The same choice from its inputs (each may be NULL): the ?lang= value, the
 * lang cookie, the Accept-Language header. Returns an embedded language. */
const char *web_lang_pick(const char *query, const char *cookie, const char *accept_language);
/* Keys of the English catalogue, for the completeness test. */
const char *const *web_msg_keys(const char *lang, size_t *n);
const char *const *web_langs(size_t *n);

/* ---- templates ----
 * Syntax: {{name}} escaped value (dotted paths: {{user.email}}); {{{name}}}
 * raw (only for values built by the server as HTML); {{t "key"}} message;
 * {{#if name}}..{{else}}..{{/if}}; {{#each list}}..{{/each}} with {{.}} and
 * the item's fields in scope; {{> partial}}. Values come from a JSON object.
 * Renders into b; CORE_NOTFOUND for an unknown template. */
int web_render(core_buf *b, const char *template_name, json_t *ctx, const char *lang);

/* Renders template with the page layout (header, navigation, organisation
 * switcher for signed-in staff, CSRF token) and sends it. Takes ownership of
 * ctx (may be NULL); Cache-Control: no-store for signed-in pages. */
int web_page(http_req *req, int status, const char *template_name, const char *title_key, json_t *ctx);

/* The HTML error page for HTML routes (used by app_fail and the http layer). */
void web_error_page(http_req *req, int status, const char *message_key);
/* Adapter with the http layer's http_html_error_fn signature; web_routes()
 * registers it with http_set_html_error so that router-level errors (404,
 * 405, 413 ...) of HTML paths get the same page. */
void web_http_error(http_req *req, int status, const char *title);

#endif
