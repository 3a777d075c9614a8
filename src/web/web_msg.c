/* web_msg: the message catalogue. Catalogues are JSON files in src/web/i18n/,
 * validated and turned into key-sorted tables at build time (gen_embed.py),
 * so a lookup is a binary search with no allocation. English is the fallback
 * for a missing key; the key itself is the last resort (visible in tests).
 */
#include <string.h>
#include <strings.h>

#include "web/web.h"
#include "web/web_internal.h"

static const web_catalogue *find_cat(const char *lang)
{
    if (!lang)
        return NULL;
    for (size_t i = 0; i < web_embed_ncatalogues; i++)
        if (strcmp(web_embed_catalogues[i].lang, lang) == 0)
            return &web_embed_catalogues[i];
    return NULL;
}

static const char *cat_get(const web_catalogue *c, const char *key)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int r = strcmp(key, c->keys[mid]);
        if (r == 0)
            return c->vals[mid];
        if (r < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *web_msg(const char *lang, const char *key)
{
    if (!key)
        return "";
    const web_catalogue *c = find_cat(lang);
    const char *v = c ? cat_get(c, key) : NULL;
    if (!v && (c = find_cat("en")) != NULL)
        v = cat_get(c, key);
    return v ? v : key;
}

const char *const *web_msg_keys(const char *lang, size_t *n)
{
    const web_catalogue *c = find_cat(lang ? lang : "en");
    if (!c) {
        if (n)
            *n = 0;
        return NULL;
    }
    if (n)
        *n = c->n;
    return c->keys;
}

const char *const *web_langs(size_t *n)
{
    if (n)
        *n = web_embed_ncatalogues;
    return web_embed_langs;
}

/* The canonical name of an available language matching tag's primary
 * subtag ("en-GB" -> "en"), or NULL. */
static const char *match_lang(const char *tag, size_t len)
{
    size_t pl = 0;
    while (pl < len && tag[pl] != '-' && tag[pl] != '_')
        pl++;
    for (size_t i = 0; i < web_embed_ncatalogues; i++) {
        const char *l = web_embed_catalogues[i].lang;
        if (strlen(l) == pl && strncasecmp(l, tag, pl) == 0)
            return l;
    }
    return NULL;
}

const char *web_lang(http_req *req)
{
    if (!req)
        return "en";
    return web_lang_pick(http_req_query(req, "lang"), http_req_cookie(req, "lang"),
                         http_req_header(req, "Accept-Language"));
}

const char *web_lang_pick(const char *query, const char *cookie, const char *al)
{
    const char *l;
    if (query && (l = match_lang(query, strlen(query))) != NULL)
        return l;
    if (cookie && (l = match_lang(cookie, strlen(cookie))) != NULL)
        return l;
    /* Accept-Language: the available language with the highest q value. */
    const char *best = NULL;
    double best_q = 0.0;
    while (al && *al) {
        while (*al == ' ' || *al == ',')
            al++;
        const char *start = al;
        while (*al && *al != ',' && *al != ';' && *al != ' ')
            al++;
        size_t len = (size_t)(al - start);
        double qv = 1.0;
        while (*al && *al != ',') {
            if (al[0] == ';' && al[1] == 'q' && al[2] == '=') {
                const char *v = al + 3;
                qv = 0.0;
                if (*v == '1')
                    qv = 1.0;
                else if (v[0] == '0' && v[1] == '.') {
                    double scale = 0.1;
                    for (v += 2; *v >= '0' && *v <= '9' && scale > 0.0001; v++, scale /= 10)
                        qv += (*v - '0') * scale;
                }
            }
            al++;
        }
        if (len && qv > best_q && (l = match_lang(start, len)) != NULL) {
            best = l;
            best_q = qv;
        }
    }
    return best ? best : "en";
}

const char *web_lang_href(core_arena *a, const char *path, const char *const *names,
                          const char *const *values, size_t n, const char *lang)
{
    core_buf b;
    core_buf_init(&b);
    int rc = core_buf_puts(&b, path ? path : "/");
    rc |= core_buf_putc(&b, '?');
    size_t kept = 0;
    for (size_t i = 0; i < n && kept < WEB_LANG_HREF_MAX && rc == CORE_OK; i++) {
        if (!names[i] || !values[i] || !*names[i] || strcmp(names[i], "lang") == 0)
            continue;
        size_t mark = b.len;
        rc |= core_buf_urlencode(&b, names[i]);
        rc |= core_buf_putc(&b, '=');
        rc |= core_buf_urlencode(&b, values[i]);
        rc |= core_buf_putc(&b, '&');
        if (b.len > 2048) {   /* an overlong query: keep what fits */
            b.len = mark;
            b.data[mark] = '\0';
            break;
        }
        kept++;
    }
    rc |= core_buf_puts(&b, "lang=");
    rc |= core_buf_urlencode(&b, lang ? lang : "en");
    const char *out = rc == CORE_OK ? core_arena_strdup(a, core_buf_cstr(&b)) : NULL;
    core_buf_cleanup(&b);
    return out;
}
