/* web_page: what every page shares. The common context (language, CSRF token,
 * who is signed in), the layout around each page (navigation limited to what
 * the role may use, organisation switcher, sign-out form, notices), form and
 * error helpers, and the HTML error page.
 */
#include <ctype.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

static const app_principal *principal(http_req *req)
{
    return http_req_user(req) ? app_principal_of(req) : NULL;
}

json_t *web_ctx(http_req *req)
{
    json_t *ctx = json_object();
    if (!ctx)
        return NULL;
    const char *lang = web_lang(req);
    json_object_set_new(ctx, "lang", json_string(lang));
    const app_principal *p = principal(req);
    if (p && p->csrf_token)
        json_object_set_new(ctx, "csrf", json_string(p->csrf_token));
    if (p && p->user_id) {
        json_t *u = json_pack("{s:s?, s:s?, s:I}", "name", p->display_name, "email", p->email,
                              "id", (json_int_t)p->user_id);
        if (u)
            json_object_set_new(ctx, "user", u);
        json_object_set_new(ctx, "role_label", json_string(web_role_label(lang, p->role)));
    }
    return ctx;
}

const char *web_form(http_req *req, const char *name)
{
    const char *v = http_req_form(req, name);
    if (!v)
        return "";
    while (*v == ' ' || *v == '\t')
        v++;
    size_t n = strlen(v);
    while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
        n--;
    char *c = core_arena_strndup(http_req_arena(req), v, n);
    return c ? c : "";
}

void web_add_error(http_req *req, json_t *ctx, const char *field, const char *msg_key)
{
    const char *msg = web_msg(web_lang(req), msg_key);
    json_t *errs = json_object_get(ctx, "errors");
    if (!errs) {
        errs = json_array();
        json_object_set_new(ctx, "errors", errs);
    }
    json_array_append_new(errs, json_pack("{s:s, s:s}", "field", field, "message", msg));
    char key[96];
    snprintf(key, sizeof key, "error_%s", field);
    if (!json_object_get(ctx, key))
        json_object_set_new(ctx, key, json_string(msg));
}

int web_local_path_ok(const char *p)
{
    if (!p || p[0] != '/' || p[1] == '/' || p[1] == '\\')
        return 0;
    for (const char *q = p; *q; q++)
        if (*q == '\\' || (unsigned char)*q < 0x20 || *q == 0x7f)
            return 0;
    return strlen(p) < 512;
}

void web_redirect(http_req *req, const char *path)
{
    http_res_redirect(req, 303, web_local_path_ok(path) ? path : "/");
}

const char *web_time(core_arena *a, int64_t t)
{
    if (t <= 0)
        return "";
    time_t tt = (time_t)t;
    struct tm tm;
    if (!gmtime_r(&tt, &tm))
        return "";
    char buf[40];
    if (strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm) == 0)
        return "";
    return core_arena_strdup(a, buf);
}

const char *web_role_label(const char *lang, core_role r)
{
    char key[48];
    snprintf(key, sizeof key, "role.%s", core_role_name(r));
    const char *v = web_msg(lang, key);
    return v == key ? core_role_name(r) : v;   /* never hand back the stack buffer */
}

int web_audit(http_req *req, store_conn *c, int64_t org_id, const char *type, int64_t id,
              const char *action, json_t *before, json_t *after)
{
    char ids[24];
    snprintf(ids, sizeof ids, "%lld", (long long)id);
    int rc = app_audit(req, c, org_id, type, ids, action, before, after);
    json_decref(before);
    json_decref(after);
    return rc;
}

void web_mark_ends(json_t *arr)
{
    size_t n = json_array_size(arr);
    if (n == 0)
        return;
    json_object_set_new(json_array_get(arr, 0), "first", json_true());
    json_object_set_new(json_array_get(arr, n - 1), "last", json_true());
}

json_t *web_audit_rows(core_arena *a, const store_audit_entry *e, size_t n,
                       const store_member *members, size_t nmembers)
{
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        char iso[32] = "";
        time_t tt = (time_t)e[i].at;
        struct tm tm;
        if (gmtime_r(&tt, &tm))
            strftime(iso, sizeof iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
        char prefix[13];
        snprintf(prefix, sizeof prefix, "%s", e[i].hash ? e[i].hash : "");
        /* staff actors by name when they are members here; else the raw actor */
        const char *actor = e[i].actor;
        for (size_t k = 0; e[i].actor_user_id > 0 && k < nmembers; k++)
            if (members[k].user.id == e[i].actor_user_id && members[k].user.display_name) {
                actor = members[k].user.display_name;
                break;
            }
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s}",
            "seq", (json_int_t)e[i].seq, "time", web_time(a, e[i].at), "iso", iso,
            "actor", actor, "object_type", e[i].object_type, "object_id", e[i].object_id,
            "action", e[i].action, "hash_prefix", prefix));
    }
    web_mark_ends(rows);
    return rows;
}

/* ---- layout ---- */

/* The language switcher: every embedded language, in the UN's order, by its
 * own name, each a plain link to this page with ?lang= (no JavaScript). */
static void add_langs(http_req *req, json_t *ctx, const char *lang)
{
    static const char *const ORDER[] = {"ar", "zh", "en", "fr", "ru", "es"};
    size_t nl = 0;
    const char *const *have = web_langs(&nl);
    const char *path = http_req_path(req);
    if (!path || !web_local_path_ok(path))
        path = "/";
    /* the page's other query parameters stay (filters, selections): the link
     * is rebuilt from the parsed parameters, never from the raw query */
    const char *qn[WEB_LANG_HREF_MAX + 1], *qv[WEB_LANG_HREF_MAX + 1];
    size_t nq = 0;
    while (nq < WEB_LANG_HREF_MAX + 1 && http_req_query_nth(req, nq, &qn[nq], &qv[nq]) == CORE_OK)
        nq++;
    json_t *langs = json_array();
    for (size_t i = 0; i < sizeof ORDER / sizeof ORDER[0]; i++) {
        int embedded = 0;
        for (size_t k = 0; k < nl && !embedded; k++)
            embedded = strcmp(have[k], ORDER[i]) == 0;
        if (!embedded)
            continue;
        json_array_append_new(langs, json_pack("{s:s, s:s, s:s, s:b, s:b}", "code", ORDER[i],
            "name", web_lang_name(ORDER[i]),
            "href", web_lang_href(http_req_arena(req), path, qn, qv, nq, ORDER[i]),
            "current", strcmp(lang, ORDER[i]) == 0, "rtl", strcmp(web_lang_dir(ORDER[i]), "rtl") == 0));
    }
    if (json_array_size(langs) > 1)
        json_object_set_new(ctx, "langs", langs);
    else
        json_decref(langs);
}

/* A valid ?lang= is remembered in a year-long preference cookie (SameSite=
 * Lax so that it also holds when arriving from another site; it carries no
 * authority, so GET may set it). */
static void remember_lang(http_req *req, const char *lang)
{
    const char *q = http_req_query(req, "lang");
    if (!q || strcmp(q, lang) != 0)
        return;
    const char *c = http_req_cookie(req, "lang");
    if (c && strcmp(c, lang) == 0)
        return;
    http_res_cookie(req, "lang", lang, 31536000, HTTP_COOKIE_LAX);
}

typedef struct nav_item {
    const char *href;
    const char *key;
    core_perm perm;
} nav_item;

static const nav_item NAV[] = {
    {"/dashboard", "nav.dashboard", CORE_PERM_SIGNED_IN},
    {"/cases", "nav.cases", CORE_PERM_CASES_READ},
    {"/grievance-stats", "nav.gstats", CORE_PERM_STATS_READ},
    {"/transparency", "nav.transparency", CORE_PERM_TR_READ},
    {"/register", "nav.register", CORE_PERM_DD_READ},
    {"/assess", "nav.assess", CORE_PERM_ASSESS_READ},
    {"/mechanisms", "nav.mechanisms", CORE_PERM_SIGNED_IN},
    {"/products", "nav.products", CORE_PERM_SIGNED_IN},
    {"/users", "nav.users", CORE_PERM_ORG_READ},
    {"/audit", "nav.audit", CORE_PERM_AUDIT_READ},
    {"/tokens", "nav.tokens", CORE_PERM_TOKENS_MANAGE},
    {"/account", "nav.account", CORE_PERM_SIGNED_IN},
};

static void add_nav(http_req *req, json_t *ctx, const app_principal *p, const char *lang)
{
    json_t *nav = json_array();
    const char *path = http_req_path(req);
    for (size_t i = 0; i < sizeof NAV / sizeof NAV[0]; i++) {
        if (!core_authz_allows(p->role, NAV[i].perm))
            continue;
        size_t hl = strlen(NAV[i].href);
        int current = path && strncmp(path, NAV[i].href, hl) == 0 &&
                      (path[hl] == '\0' || path[hl] == '/');
        json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", NAV[i].href, "label",
                                             web_msg(lang, NAV[i].key), "current", current));
    }
    json_object_set_new(ctx, "nav", nav);
}

/* The grievance mechanism's public pages link to each other. */
static void add_public_nav(http_req *req, json_t *ctx, const char *lang)
{
    static const nav_item PUB[] = {
        {"/report", "nav.report", CORE_PERM_PUBLIC},
        {"/receipt", "nav.receipt", CORE_PERM_PUBLIC},
        {"/mechanism", "nav.mechanism", CORE_PERM_PUBLIC},
    };
    const char *path = http_req_path(req);
    int on_public = 0;
    for (size_t i = 0; path && i < sizeof PUB / sizeof PUB[0]; i++)
        on_public |= strcmp(path, PUB[i].href) == 0;
    if (!on_public)
        return;
    json_t *nav = json_array();
    for (size_t i = 0; i < sizeof PUB / sizeof PUB[0]; i++)
        json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", PUB[i].href, "label",
                                             web_msg(lang, PUB[i].key), "current", strcmp(path, PUB[i].href) == 0));
    json_object_set_new(ctx, "nav", nav);
    json_object_set_new(ctx, "nav_label", json_string(web_msg(lang, "layout.public_nav")));
}

static void add_orgs(http_req *req, json_t *ctx, const app_principal *p)
{
    if (!json_object_get(ctx, "org"))
        json_object_set_new(ctx, "org", json_pack("{s:s?, s:s?, s:I}", "name", p->org_name, "slug",
                                                  p->org_slug, "id", (json_int_t)p->org_id));
    store_conn *c;
    if (store_acquire(app_ctx_of(req)->store, &c) != CORE_OK)
        return;
    store_membership *ms = NULL;
    size_t n = 0;
    if (store_membership_list(c, http_req_arena(req), p->user_id, &ms, &n) == CORE_OK) {
        json_t *orgs = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(orgs, json_pack("{s:I, s:s?, s:b}", "id", (json_int_t)ms[i].org.id,
                                                  "name", ms[i].org.name, "selected",
                                                  ms[i].org.id == p->org_id));
        json_object_set_new(ctx, "orgs", orgs);
        json_object_set_new(ctx, "multi_org", json_boolean(n > 1));
    }
    store_release(app_ctx_of(req)->store, c);
}

int web_page(http_req *req, int status, const char *template_name, const char *title_key, json_t *ctx)
{
    if (!ctx)
        ctx = web_ctx(req);
    if (!ctx) {
        http_res_text(req, 500, "out of memory");
        return CORE_NOMEM;
    }
    const char *lang = web_lang(req);
    if (!json_object_get(ctx, "lang"))
        json_object_set_new(ctx, "lang", json_string(lang));
    json_object_set_new(ctx, "dir", json_string(web_lang_dir(lang)));
    add_langs(req, ctx, lang);
    remember_lang(req, lang);
    http_res_header(req, "Content-Language", lang);
    http_res_header(req, "Vary", "Accept-Language, Cookie");   /* the language depends on both */
    const app_principal *p = principal(req);
    if (p && p->csrf_token && !json_object_get(ctx, "csrf"))
        json_object_set_new(ctx, "csrf", json_string(p->csrf_token));

    core_buf body;
    core_buf_init(&body);
    int rc = web_render(&body, template_name, ctx, lang);
    if (rc != CORE_OK) {
        core_buf_cleanup(&body);
        json_decref(ctx);
        http_res_text(req, 500, web_msg(lang, "error.internal"));
        return rc;
    }
    json_object_set_new(ctx, "content", json_stringn(core_buf_cstr(&body), body.len));
    core_buf_cleanup(&body);

    json_object_set_new(ctx, "title", json_string(web_msg(lang, title_key)));
    core_arena *a = http_req_arena(req);
    json_object_set_new(ctx, "css_url", json_string(web_static_url(a, "app.css")));
    json_object_set_new(ctx, "icon_url", json_string(web_static_url(a, "favicon.svg")));
    if (web_static_find("app.js"))
        json_object_set_new(ctx, "js_url", json_string(web_static_url(a, "app.js")));
    if (p && p->user_id) {
        json_object_set_new(ctx, "signed_in", json_true());
        if (!json_object_get(ctx, "user"))
            json_object_set_new(ctx, "user", json_pack("{s:s?, s:s?}", "name", p->display_name,
                                                       "email", p->email));
        if (!json_object_get(ctx, "role_label"))
            json_object_set_new(ctx, "role_label", json_string(web_role_label(lang, p->role)));
        add_nav(req, ctx, p, lang);
        add_orgs(req, ctx, p);
        http_res_header(req, "Cache-Control", "no-store");
    } else if (!json_object_get(ctx, "nav")) {
        add_public_nav(req, ctx, lang);
    }
    const char *notice = http_req_query(req, "notice");
    if (notice && strlen(notice) < 40) {
        char key[64];
        snprintf(key, sizeof key, "notice.%s", notice);
        const char *msg = web_msg(lang, key);
        if (msg != key)                 /* only known notices are ever shown */
            json_object_set_new(ctx, "notice", json_string(msg));
    }

    core_buf out;
    core_buf_init(&out);
    rc = web_render(&out, "layout", ctx, lang);
    json_decref(ctx);
    if (rc != CORE_OK) {
        core_buf_cleanup(&out);
        http_res_text(req, 500, web_msg(lang, "error.internal"));
        return rc;
    }
    http_res_html(req, status, core_buf_cstr(&out), out.len);
    core_buf_cleanup(&out);
    return CORE_OK;
}

void web_error_page(http_req *req, int status, const char *message_key)
{
    const char *lang = web_lang(req);
    json_t *ctx = web_ctx(req);
    if (!ctx) {
        http_res_text(req, status, "error");
        return;
    }
    char title[48];
    snprintf(title, sizeof title, "error.title.%d", status);
    const char *tk = web_msg(lang, title) == title ? "error.title" : title;
    if (!message_key || web_msg(lang, message_key) == message_key)
        message_key = "error.generic";
    json_object_set_new(ctx, "message", json_string(web_msg(lang, message_key)));
    json_object_set_new(ctx, "status", json_integer(status));
    if (web_page(req, status, "error", tk, ctx) != CORE_OK && !http_res_is_set(req))
        http_res_text(req, status, web_msg(lang, message_key));
}

void web_http_error(http_req *req, int status, const char *title)
{
    (void)title;                       /* English; the page uses the catalogue instead */
    const char *key;
    switch (status) {
    case 400: case 415: key = "error.bad_request"; break;
    case 401: key = "error.unauthorized"; break;
    case 403: key = "error.forbidden"; break;
    case 404: key = "error.not_found"; break;
    case 405: key = "error.method"; break;
    case 409: key = "error.conflict"; break;
    case 413: case 431: key = "error.too_large"; break;
    case 429: case 503: key = "error.busy"; break;
    case 500: key = "error.internal"; break;
    default: key = "error.generic"; break;
    }
    web_error_page(req, status, key);
}
