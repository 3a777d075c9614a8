/* http_router: route table and matching.
 *
 * Patterns are absolute paths whose segments are literals or whole-segment
 * parameters "{name}". Matching is exact (no trailing-slash folding). When
 * several patterns fit a path, the one with a literal at the first position
 * where they differ wins ("/orgs/new" beats "/orgs/{org}"). A path that fits
 * some pattern but not with this method gives CORE_DENIED plus the allowed
 * methods (405); parameter values are percent-decoded and must be UTF-8
 * without NUL (CORE_INVALID otherwise, a 400). HEAD is served by GET routes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "http/http_internal.h"

void http_router_init(http_router *r)
{
    memset(r, 0, sizeof *r);
}

void http_router_cleanup(http_router *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free((char *)r->routes[i].pattern);
    free(r->routes);
    memset(r, 0, sizeof *r);
}

const char *http_method_name(http_method m)
{
    switch (m) {
    case HTTP_GET: return "GET";
    case HTTP_HEAD: return "HEAD";
    case HTTP_POST: return "POST";
    case HTTP_PUT: return "PUT";
    case HTTP_PATCH: return "PATCH";
    case HTTP_DELETE: return "DELETE";
    }
    return "OTHER";
}

static int name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int lit_char(char c)
{
    /* RFC 3986 pchar minus '%' (patterns hold no escapes) and minus braces */
    return name_char(c) || strchr("-.~!$&'()*+,;=:@", c) != NULL;
}

/* Validates a pattern; writes its shape (params as "{}") into shape if given. */
static int pattern_check(const char *p, char *shape, size_t shapesz, unsigned *nparams)
{
    size_t o = 0;
    unsigned np = 0;
    if (!p || p[0] != '/') return CORE_INVALID;
    if (strcmp(p, "/") == 0) {
        if (shape) snprintf(shape, shapesz, "/");
        *nparams = 0;
        return CORE_OK;
    }
    const char *s = p;
    while (*s) {
        if (*s != '/') return CORE_INVALID;
        s++;
        const char *e = s;
        while (*e && *e != '/') e++;
        if (e == s) return CORE_INVALID;                  /* empty segment */
        if (o + 1 >= shapesz) return CORE_INVALID;
        shape[o++] = '/';
        if (*s == '{') {
            if (e - s < 3 || e[-1] != '}') return CORE_INVALID;
            for (const char *c = s + 1; c < e - 1; c++)
                if (!name_char(*c)) return CORE_INVALID;
            if (++np > HTTP_MAX_PARAMS) return CORE_INVALID;
            if (o + 2 >= shapesz) return CORE_INVALID;
            shape[o++] = '{';
            shape[o++] = '}';
        } else {
            for (const char *c = s; c < e; c++) {
                if (!lit_char(*c)) return CORE_INVALID;
                if (o + 1 >= shapesz) return CORE_INVALID;
                shape[o++] = *c;
            }
        }
        s = e;
    }
    shape[o] = '\0';
    *nparams = np;
    return CORE_OK;
}

static unsigned effective(unsigned methods)
{
    return (methods & HTTP_GET) ? (methods | HTTP_HEAD) : methods;
}

int http_router_add(http_router *r, const http_route *route)
{
    char shape[1024], other[1024];
    unsigned np, onp;
    if (!r || !route || !route->handler || !route->methods) return CORE_INVALID;
    if (route->methods & ~(unsigned)(HTTP_GET | HTTP_HEAD | HTTP_POST | HTTP_PUT | HTTP_PATCH | HTTP_DELETE))
        return CORE_INVALID;
    if (pattern_check(route->pattern, shape, sizeof shape, &np) != CORE_OK) return CORE_INVALID;
    for (size_t i = 0; i < r->n; i++) {
        if (pattern_check(r->routes[i].pattern, other, sizeof other, &onp) != CORE_OK) continue;
        if (strcmp(shape, other) == 0 && (effective(r->routes[i].methods) & effective(route->methods)))
            return CORE_INVALID;
    }
    if (r->n == r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 32;
        http_route *nr = realloc(r->routes, nc * sizeof *nr);
        if (!nr) return CORE_NOMEM;
        r->routes = nr;
        r->cap = nc;
    }
    char *copy = strdup(route->pattern);
    if (!copy) return CORE_NOMEM;
    r->routes[r->n] = *route;
    r->routes[r->n].pattern = copy;
    r->n++;
    return CORE_OK;
}

int http_router_add_all(http_router *r, const http_route *routes, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int rc = http_router_add(r, &routes[i]);
        if (rc != CORE_OK) return rc;
    }
    return CORE_OK;
}

/* Does path fit pattern? Sets *mask (bit i: segment i is a parameter).
 * One pass over both strings, no allocation: this runs for every route. */
static int fits(const char *pat, const char *path, uint64_t *mask)
{
    uint64_t m = 0;
    unsigned seg = 0;
    if (pat[0] == '/' && pat[1] == '\0') {
        *mask = 0;
        return path[0] == '/' && path[1] == '\0';
    }
    while (*pat) {
        if (*path != '/') return 0;      /* pat is at '/' here (validated) */
        pat++;
        path++;
        if (*pat == '{') {
            if (*path == '\0' || *path == '/') return 0;   /* empty parameter */
            while (*pat && *pat != '/') pat++;
            while (*path && *path != '/') path++;
            if (seg < 64) m |= (uint64_t)1 << seg;
        } else {
            while (*pat && *pat != '/') {
                if (*pat != *path) return 0;
                pat++;
                path++;
            }
            if (*path && *path != '/') return 0;
        }
        seg++;
    }
    if (*path) return 0;
    *mask = m;
    return 1;
}

/* 1 if mask a is more specific than mask b (literal at first difference). */
static int more_specific(uint64_t a, uint64_t b)
{
    uint64_t x = a ^ b;
    if (!x) return 0;
    uint64_t low = x & (~x + 1);
    return (a & low) == 0;
}

static int fill_params(const http_route *rt, core_arena *a, const char *path, http_match *m)
{
    const char *pat = rt->pattern;
    m->nparams = 0;
    if (pat[0] == '/' && pat[1] == '\0') return CORE_OK;
    while (*pat) {
        pat++;
        path++;
        const char *pe = strchr(pat, '/');
        const char *qe = strchr(path, '/');
        size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
        size_t ql = qe ? (size_t)(qe - path) : strlen(path);
        if (pat[0] == '{' && m->nparams < HTTP_MAX_PARAMS) {
            const char *name = core_arena_strndup(a, pat + 1, pl - 2);
            const char *val = http_pct_decode(a, path, ql, 0);
            if (!name) return CORE_NOMEM;
            if (!val) return CORE_INVALID;
            m->names[m->nparams] = name;
            m->values[m->nparams] = val;
            m->nparams++;
        }
        pat += pl;
        path += ql;
    }
    return CORE_OK;
}

int http_router_match(const http_router *r, core_arena *a, http_method method, const char *path,
                      http_match *m)
{
    if (!m) return CORE_INVALID;
    memset(m, 0, sizeof *m);
    if (!r || !a || !path || path[0] != '/') return CORE_NOTFOUND;
    const http_route *best = NULL;
    uint64_t best_mask = 0;
    unsigned allowed = 0;
    for (size_t i = 0; i < r->n; i++) {
        const http_route *rt = &r->routes[i];
        uint64_t mask;
        if (!fits(rt->pattern, path, &mask)) continue;
        unsigned eff = effective(rt->methods);
        allowed |= eff;
        if (!(eff & (unsigned)method)) continue;
        if (!best || more_specific(mask, best_mask)) {
            best = rt;
            best_mask = mask;
            if (!mask) break;   /* all literal: nothing can be more specific */
        }
    }
    if (!best) {
        m->allowed = allowed;
        return allowed ? CORE_DENIED : CORE_NOTFOUND;
    }
    m->route = best;
    int rc = fill_params(best, a, path, m);
    if (rc != CORE_OK) m->nparams = 0;
    return rc;
}
