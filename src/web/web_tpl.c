/* web_tpl: the template engine. A template is compiled once into a flat array
 * of nodes (text runs, variables, messages, partials and section markers whose
 * jump indexes are resolved at compile time), so rendering is a walk over
 * that array with a small fixed-size scope stack: no parsing and no heap
 * allocation while rendering, other than the output buffer growing (and a
 * short-lived arena to format a real number in the page language).
 *
 * Syntax: {{path}} escaped, {{{path}}} raw, {{t "key"}} message, {{! comment}},
 * {{#if path}}..{{else}}..{{/if}}, {{#each path}}..{{else}}..{{/each}} (the
 * else branch renders for an empty or missing list), {{> partial}}.
 * Paths are dotted (a.b.c) and looked up from the innermost scope outwards;
 * "." is the current item of an each. Unknown paths render empty.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "web/web.h"
#include "web/web_internal.h"

enum { N_TEXT, N_VAR, N_RAW, N_MSG, N_IF, N_ELSE, N_END, N_EACH, N_PARTIAL };

#define TPL_MAX_NEST 16        /* section nesting in one template */
#define TPL_MAX_SCOPES 16      /* each nesting across partials */
#define TPL_MAX_PARTIAL_DEPTH 8
/* Work and output bounds of one render (far above any page: the largest
 * lists render some 10^5 nodes); nested sections over long lists grow as
 * the product of their lengths, so past these the render fails instead. */
#define TPL_MAX_STEPS (1u << 22)
#define TPL_MAX_OUTPUT ((size_t)64 << 20)

typedef struct tpl_node {
    int op;
    const char *s;             /* text, path, key or partial name (NUL-terminated copy) */
    size_t len;
    size_t mid;                /* IF/EACH: index of ELSE, or of END when none */
    size_t end;                /* IF/EACH/ELSE: index of END */
} tpl_node;

struct web_tpl {
    char *name;
    char *src;                 /* copy of the source; paths are NUL-terminated in place */
    tpl_node *nodes;
    size_t n;
};

static int path_valid(const char *s, size_t n)
{
    if (n == 0)
        return 0;
    if (n == 1 && s[0] == '.')
        return 1;
    if (s[0] == '.' || s[n - 1] == '.')
        return 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        int ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '_' || c == '-' || (c == '.' && s[i - 1] != '.');
        if (!ok)
            return 0;
    }
    return 1;
}

static int line_of(const char *src, const char *at)
{
    int line = 1;
    for (const char *p = src; p < at; p++)
        if (*p == '\n')
            line++;
    return line;
}

void web_tpl_free(web_tpl *t)
{
    if (!t)
        return;
    free(t->name);
    free(t->src);
    free(t->nodes);
    free(t);
}

static int tpl_fail(web_tpl *t, const char *at, char *err, size_t errsz, const char *what)
{
    if (err && errsz)
        snprintf(err, errsz, "%s:%d: %s", t->name, line_of(t->src, at), what);
    web_tpl_free(t);
    return CORE_INVALID;
}

static int push_node(web_tpl *t, size_t *cap, int op, const char *s, size_t len)
{
    if (t->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        tpl_node *nn = realloc(t->nodes, nc * sizeof *nn);
        if (!nn)
            return CORE_NOMEM;
        t->nodes = nn;
        *cap = nc;
    }
    tpl_node *nd = &t->nodes[t->n++];
    nd->op = op;
    nd->s = s;
    nd->len = len;
    nd->mid = nd->end = 0;
    return CORE_OK;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int web_tpl_compile(const char *name, const char *src, size_t len, web_tpl **out,
                    char *err, size_t errsz)
{
    *out = NULL;
    web_tpl *t = calloc(1, sizeof *t);
    if (!t)
        return CORE_NOMEM;
    t->name = strdup(name ? name : "?");
    t->src = malloc(len + 1);
    if (!t->name || !t->src) {
        web_tpl_free(t);
        return CORE_NOMEM;
    }
    memcpy(t->src, src, len);
    t->src[len] = '\0';
    if (memchr(t->src, '\0', len))
        return tpl_fail(t, t->src, err, errsz, "NUL byte in template");

    size_t cap = 0;
    size_t stack[TPL_MAX_NEST];
    size_t depth = 0;
    char *p = t->src, *endp = t->src + len;
    while (p < endp) {
        char *open = strstr(p, "{{");
        if (!open)
            open = endp;
        if (open > p && push_node(t, &cap, N_TEXT, p, (size_t)(open - p)) != CORE_OK)
            return tpl_fail(t, p, err, errsz, "out of memory");
        if (open == endp)
            break;
        int triple = open[2] == '{';
        char *inner = open + (triple ? 3 : 2);
        char *close = strstr(inner, triple ? "}}}" : "}}");
        if (!close)
            return tpl_fail(t, open, err, errsz, "unclosed tag");
        p = close + (triple ? 3 : 2);
        char *a = inner, *b = close;
        while (a < b && is_space(*a))
            a++;
        while (b > a && is_space(b[-1]))
            b--;
        size_t n = (size_t)(b - a);
        if (memchr(a, '{', n) || memchr(a, '}', n))
            return tpl_fail(t, open, err, errsz, "brace inside a tag");
        if (triple) {
            if (!path_valid(a, n))
                return tpl_fail(t, open, err, errsz, "bad variable name");
            *b = '\0';
            if (push_node(t, &cap, N_RAW, a, n) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
            continue;
        }
        if (n > 0 && a[0] == '!')
            continue;                                   /* comment */
        if ((n >= 4 && strncmp(a, "#if", 3) == 0 && is_space(a[3])) ||
            (n >= 6 && strncmp(a, "#each", 5) == 0 && is_space(a[5]))) {
            int op = a[1] == 'i' ? N_IF : N_EACH;
            char *q = a + (op == N_IF ? 3 : 5);
            while (q < b && is_space(*q))
                q++;
            if (!path_valid(q, (size_t)(b - q)))
                return tpl_fail(t, open, err, errsz, "bad section variable");
            if (depth == TPL_MAX_NEST)
                return tpl_fail(t, open, err, errsz, "sections nested too deeply");
            *b = '\0';
            if (push_node(t, &cap, op, q, (size_t)(b - q)) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
            stack[depth++] = t->n - 1;
        } else if (n == 4 && strncmp(a, "else", 4) == 0) {
            if (depth == 0)
                return tpl_fail(t, open, err, errsz, "else outside a section");
            tpl_node *sec = &t->nodes[stack[depth - 1]];
            if (sec->mid)
                return tpl_fail(t, open, err, errsz, "second else in a section");
            if (push_node(t, &cap, N_ELSE, NULL, 0) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
            t->nodes[stack[depth - 1]].mid = t->n - 1;
        } else if ((n == 3 && strncmp(a, "/if", 3) == 0) || (n == 5 && strncmp(a, "/each", 5) == 0)) {
            int op = a[1] == 'i' ? N_IF : N_EACH;
            if (depth == 0)
                return tpl_fail(t, open, err, errsz, "close without an open section");
            if (t->nodes[stack[depth - 1]].op != op)
                return tpl_fail(t, open, err, errsz, "section closed with the wrong tag");
            if (push_node(t, &cap, N_END, NULL, 0) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
            size_t si = stack[--depth], ei = t->n - 1;
            tpl_node *sec = &t->nodes[si];
            if (!sec->mid)
                sec->mid = ei;
            else
                t->nodes[sec->mid].end = ei;
            sec->end = ei;
        } else if (n >= 2 && a[0] == '>') {
            char *q = a + 1;
            while (q < b && is_space(*q))
                q++;
            if (!path_valid(q, (size_t)(b - q)) || memchr(q, '.', (size_t)(b - q)))
                return tpl_fail(t, open, err, errsz, "bad partial name");
            *b = '\0';
            if (push_node(t, &cap, N_PARTIAL, q, (size_t)(b - q)) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
        } else if (n >= 2 && a[0] == 't' && is_space(a[1])) {
            char *q = a + 1;
            while (q < b && is_space(*q))
                q++;
            if (b - q < 3 || q[0] != '"' || b[-1] != '"' || memchr(q + 1, '"', (size_t)(b - q - 2)))
                return tpl_fail(t, open, err, errsz, "message key must be one quoted string");
            b[-1] = '\0';
            if (push_node(t, &cap, N_MSG, q + 1, (size_t)(b - q - 2)) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
        } else {
            if (!path_valid(a, n))
                return tpl_fail(t, open, err, errsz, "bad tag");
            *b = '\0';
            if (push_node(t, &cap, N_VAR, a, n) != CORE_OK)
                return tpl_fail(t, open, err, errsz, "out of memory");
        }
    }
    if (depth)
        return tpl_fail(t, endp, err, errsz, "section not closed");
    *out = t;
    return CORE_OK;
}

/* ---- rendering ---- */

typedef struct render_state {
    core_buf *b;
    const char *lang;
    web_tpl_resolver resolve;
    void *ud;
    json_t *scopes[TPL_MAX_SCOPES];
    size_t nscopes;
    int partial_depth;
    int status;
    size_t steps;              /* nodes visited, bounded by TPL_MAX_STEPS */
} render_state;

static json_t *lookup(const render_state *st, const char *path)
{
    if (path[0] == '.' && path[1] == '\0')
        return st->nscopes ? st->scopes[st->nscopes - 1] : NULL;
    const char *dot = strchr(path, '.');
    size_t n0 = dot ? (size_t)(dot - path) : strlen(path);
    json_t *v = NULL;
    for (size_t i = st->nscopes; i-- > 0;) {
        json_t *sc = st->scopes[i];
        if (json_is_object(sc) && (v = json_object_getn(sc, path, n0)) != NULL)
            break;
    }
    while (v && dot) {
        const char *seg = dot + 1;
        dot = strchr(seg, '.');
        size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
        v = json_is_object(v) ? json_object_getn(v, seg, n) : NULL;
    }
    return v;
}

static int truthy(json_t *v)
{
    if (!v)
        return 0;
    switch (json_typeof(v)) {
    case JSON_NULL:
    case JSON_FALSE:
        return 0;
    case JSON_TRUE:
        return 1;
    case JSON_STRING:
        return json_string_length(v) > 0;
    case JSON_INTEGER:
        return json_integer_value(v) != 0;
    case JSON_REAL:
        return json_real_value(v) != 0.0;
    case JSON_ARRAY:
        return json_array_size(v) > 0;
    case JSON_OBJECT:
        return json_object_size(v) > 0;
    }
    return 0;
}

static void emit_value(render_state *st, json_t *v, int raw)
{
    if (!v)
        return;
    char num[64];
    const char *s = NULL;
    switch (json_typeof(v)) {
    case JSON_STRING:
        s = json_string_value(v);
        break;
    case JSON_INTEGER:
        snprintf(num, sizeof num, "%" JSON_INTEGER_FORMAT, json_integer_value(v));
        s = num;
        break;
    case JSON_REAL: {   /* in the page language ("12,5"); integers stay plain (ids in links) */
        core_arena fa;
        core_arena_init(&fa);
        const char *f = web_fmt_num(&fa, st->lang, json_real_value(v));
        snprintf(num, sizeof num, "%s", f ? f : "");
        core_arena_cleanup(&fa);
        s = num;
        break;
    }
    case JSON_TRUE:
        s = "true";
        break;
    default:
        return;
    }
    int rc = raw ? core_buf_puts(st->b, s) : core_buf_html(st->b, s);
    if (rc != CORE_OK)
        st->status = rc;
}

static void render_range(render_state *st, const web_tpl *t, size_t from, size_t to);

static void render_partial(render_state *st, const char *name)
{
    const web_tpl *p = st->resolve ? st->resolve(name, st->ud) : web_tpl_get(name);
    if (!p || st->partial_depth >= TPL_MAX_PARTIAL_DEPTH) {
        st->status = CORE_INVALID;
        return;
    }
    st->partial_depth++;
    render_range(st, p, 0, p->n);
    st->partial_depth--;
}

static void render_range(render_state *st, const web_tpl *t, size_t from, size_t to)
{
    size_t i = from;
    while (i < to && st->status == CORE_OK) {
        if (++st->steps > TPL_MAX_STEPS || st->b->len > TPL_MAX_OUTPUT) {
            st->status = CORE_INVALID;
            break;
        }
        const tpl_node *nd = &t->nodes[i];
        switch (nd->op) {
        case N_TEXT:
            if (core_buf_append(st->b, nd->s, nd->len) != CORE_OK)
                st->status = CORE_NOMEM;
            i++;
            break;
        case N_VAR:
        case N_RAW:
            emit_value(st, lookup(st, nd->s), nd->op == N_RAW);
            i++;
            break;
        case N_MSG:
            if (core_buf_html(st->b, web_msg(st->lang, nd->s)) != CORE_OK)
                st->status = CORE_NOMEM;
            i++;
            break;
        case N_PARTIAL:
            render_partial(st, nd->s);
            i++;
            break;
        case N_IF:
            if (truthy(lookup(st, nd->s)))
                render_range(st, t, i + 1, nd->mid);
            else if (nd->mid != nd->end)
                render_range(st, t, nd->mid + 1, nd->end);
            i = nd->end + 1;
            break;
        case N_EACH: {
            json_t *list = lookup(st, nd->s);
            size_t n = json_is_array(list) ? json_array_size(list) : 0;
            if (n == 0) {
                if (nd->mid != nd->end)
                    render_range(st, t, nd->mid + 1, nd->end);
            } else if (st->nscopes == TPL_MAX_SCOPES) {
                st->status = CORE_INVALID;
            } else {
                for (size_t k = 0; k < n && st->status == CORE_OK; k++) {
                    st->scopes[st->nscopes++] = json_array_get(list, k);
                    render_range(st, t, i + 1, nd->mid);
                    st->nscopes--;
                }
            }
            i = nd->end + 1;
            break;
        }
        default:                 /* ELSE/END are never reached: sections jump over them */
            i++;
            break;
        }
    }
}

int web_tpl_render(const web_tpl *t, core_buf *b, json_t *ctx, const char *lang,
                   web_tpl_resolver resolve, void *ud)
{
    render_state st;
    memset(&st, 0, sizeof st);
    st.b = b;
    st.lang = lang ? lang : "en";
    st.resolve = resolve;
    st.ud = ud;
    st.status = CORE_OK;
    if (ctx)
        st.scopes[st.nscopes++] = ctx;
    render_range(&st, t, 0, t->n);
    if (st.status == CORE_OK && b->oom)
        st.status = CORE_NOMEM;
    return st.status;
}

/* ---- the embedded set, compiled once ---- */

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static web_tpl **g_tpls;
static char g_err[256];
static int g_status = CORE_OK;

static void compile_all(void)
{
    g_tpls = calloc(web_embed_ntemplates ? web_embed_ntemplates : 1, sizeof *g_tpls);
    if (!g_tpls) {
        g_status = CORE_NOMEM;
        return;
    }
    for (size_t i = 0; i < web_embed_ntemplates; i++) {
        const web_embedded *e = &web_embed_templates[i];
        char err[256];
        int rc = web_tpl_compile(e->name, e->data, e->len, &g_tpls[i], err, sizeof err);
        if (rc != CORE_OK && g_status == CORE_OK) {
            g_status = rc;
            snprintf(g_err, sizeof g_err, "%s", err);
        }
    }
}

const web_tpl *web_tpl_get(const char *name)
{
    pthread_once(&g_once, compile_all);
    if (!g_tpls || !name)
        return NULL;
    size_t lo = 0, hi = web_embed_ntemplates;       /* sorted by name */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(name, web_embed_templates[mid].name);
        if (c == 0)
            return g_tpls[mid];
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int web_tpl_check_all(char *err, size_t errsz)
{
    pthread_once(&g_once, compile_all);
    if (g_status != CORE_OK && err && errsz)
        snprintf(err, errsz, "%s", g_err);
    return g_status;
}

int web_render(core_buf *b, const char *template_name, json_t *ctx, const char *lang)
{
    const web_tpl *t = web_tpl_get(template_name);
    if (!t)
        return CORE_NOTFOUND;
    return web_tpl_render(t, b, ctx, lang, NULL, NULL);
}
