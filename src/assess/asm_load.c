/* asm_load: the methodology loader and schema check.
 *
 * asm_yaml_tree gives a node tree with marks; this file walks it against
 * the methodology schema (documented in src/assess/methodologies/README.md)
 * and builds the asm_methodology model in the caller's arena. Every problem
 * is reported once, at the node it concerns, as file:line:column: unknown
 * or duplicate keys, missing keys, wrong node types, bad numbers or enum
 * values, duplicate ids, references to a scale / category / element that
 * does not exist, a scale choice without points. The first error stops the
 * load (a methodology is fixed by hand, one error at a time, like a
 * compiler's first diagnostic).
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/asm_int.h"

typedef struct pend_credit {         /* credit_if resolved once every element is known */
    int element;
    const asm_ynode *node;           /* the credit_if map */
} pend_credit;

typedef struct lctx {
    core_arena *a;
    const char *file;
    asm_error *err;
    asm_methodology *m;
    size_t cap_ind, cap_el;
    pend_credit *pend;
    size_t n_pend, cap_pend;
    int default_scale;
    asm_scope default_scope;
} lctx;

/* ---- node helpers ---- */
static int fail(lctx *x, const asm_ynode *n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(lctx *x, const asm_ynode *n, const char *fmt, ...)
{
    char msg[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    asm_err_set(x->err, x->file, n ? n->line : 0, n ? n->col : 0, "%s", msg);
    return CORE_INVALID;
}

static const char *tname(asm_ytype t)
{
    return t == ASM_Y_MAP ? "a mapping" : t == ASM_Y_SEQ ? "a list" : "a scalar";
}

static int want(lctx *x, const asm_ynode *n, asm_ytype t, const char *what)
{
    if (n->type == t) return CORE_OK;
    return fail(x, n, "%s must be %s, not %s", what, tname(t), tname(n->type));
}

static const asm_ynode *mget(const asm_ynode *map, const char *key)
{
    for (size_t i = 0; i + 1 < map->n; i += 2)
        if (map->items[i]->type == ASM_Y_SCALAR && strcmp(map->items[i]->text, key) == 0) return map->items[i + 1];
    return NULL;
}

/* Unknown and duplicate keys; allowed is a NULL-terminated list. */
static int check_keys(lctx *x, const asm_ynode *map, const char *const *allowed, const char *what)
{
    for (size_t i = 0; i + 1 < map->n; i += 2) {
        const asm_ynode *k = map->items[i];
        if (k->type != ASM_Y_SCALAR) return fail(x, k, "keys of %s must be scalars", what);
        int ok = 0;
        for (const char *const *p = allowed; *p; p++)
            if (strcmp(*p, k->text) == 0) ok = 1;
        if (!ok) {
            char list[200] = "";
            size_t used = 0;
            for (const char *const *p = allowed; *p && used < sizeof list; p++) {
                int w = snprintf(list + used, sizeof list - used, "%s%s", p == allowed ? "" : ", ", *p);
                if (w < 0) break;
                used += (size_t)w;
            }
            return fail(x, k, "unknown key '%s' in %s (expected one of: %s)", k->text, what, list);
        }
        for (size_t j = 0; j < i; j += 2)
            if (strcmp(map->items[j]->text, k->text) == 0) return fail(x, k, "duplicate key '%s' in %s", k->text, what);
    }
    return CORE_OK;
}

static int get_str(lctx *x, const asm_ynode *map, const char *key, int required, const char *what,
                   const char **out)
{
    const asm_ynode *v = mget(map, key);
    if (!v) {
        if (required) return fail(x, map, "%s: missing key '%s'", what, key);
        return CORE_OK;
    }
    if (v->type != ASM_Y_SCALAR) return fail(x, v, "'%s' of %s must be a scalar, not %s", key, what, tname(v->type));
    if (required && v->len == 0) return fail(x, v, "'%s' of %s must not be empty", key, what);
    *out = v->text;
    return CORE_OK;
}

static int id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64) return 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (!(isalnum(*p) || *p == '.' || *p == '-' || *p == '_')) return 0;
    return 1;
}

static int get_id(lctx *x, const asm_ynode *map, const char *key, const char *what, const char **out)
{
    int rc = get_str(x, map, key, 1, what, out);
    if (rc != CORE_OK) return rc;
    if (!id_ok(*out))
        return fail(x, mget(map, key), "'%s' of %s: '%s' is not an identifier ([A-Za-z0-9._-], 1-64)", key, what, *out);
    return CORE_OK;
}

static int get_num(lctx *x, const asm_ynode *map, const char *key, const char *what, double *out, int *found)
{
    const asm_ynode *v = mget(map, key);
    if (found) *found = v != NULL;
    if (!v) return CORE_OK;
    if (v->type != ASM_Y_SCALAR) return fail(x, v, "'%s' of %s must be a number", key, what);
    char *end = NULL;
    errno = 0;
    double d = strtod(v->text, &end);
    if (v->len == 0 || errno || !end || *end || !isfinite(d))
        return fail(x, v, "'%s' of %s: '%s' is not a number", key, what, v->text);
    *out = d;
    return CORE_OK;
}

static int get_bool(lctx *x, const asm_ynode *map, const char *key, const char *what, int *out)
{
    const asm_ynode *v = mget(map, key);
    if (!v) return CORE_OK;
    if (v->type == ASM_Y_SCALAR) {
        const char *t = v->text;
        if (!strcmp(t, "true") || !strcmp(t, "yes")) { *out = 1; return CORE_OK; }
        if (!strcmp(t, "false") || !strcmp(t, "no")) { *out = 0; return CORE_OK; }
    }
    return fail(x, v, "'%s' of %s must be true or false", key, what);
}

/* A scalar or a list of scalars. */
static int get_list(lctx *x, const asm_ynode *map, const char *key, const char *what, const char ***out,
                    size_t *n)
{
    const asm_ynode *v = mget(map, key);
    *out = NULL;
    *n = 0;
    if (!v) return CORE_OK;
    if (v->type == ASM_Y_MAP) return fail(x, v, "'%s' of %s must be a list", key, what);
    size_t cnt = v->type == ASM_Y_SEQ ? v->n : 1;
    const char **arr = core_arena_alloc(x->a, (cnt ? cnt : 1) * sizeof *arr);
    if (!arr) return CORE_NOMEM;
    for (size_t i = 0; i < cnt; i++) {
        const asm_ynode *it = v->type == ASM_Y_SEQ ? v->items[i] : v;
        if (it->type != ASM_Y_SCALAR || it->len == 0)
            return fail(x, it, "items of '%s' in %s must be non-empty scalars", key, what);
        arr[i] = it->text;
    }
    *out = arr;
    *n = cnt;
    return CORE_OK;
}

static void *grow(core_arena *a, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 16;
    void *na = core_arena_alloc(a, nc * elem);
    if (!na) return NULL;
    if (n) memcpy(na, arr, n * elem);
    *cap = nc;
    return na;
}

/* ---- sections ---- */
static int parse_scope(lctx *x, const asm_ynode *map, const char *what, asm_scope *out)
{
    const char *s = NULL;
    int rc = get_str(x, map, "scope", 0, what, &s);
    if (rc != CORE_OK || !s) return rc;
    if (!strcmp(s, "entity") || !strcmp(s, "company") || !strcmp(s, "group")) *out = ASM_SCOPE_ENTITY;
    else if (!strcmp(s, "full")) *out = ASM_SCOPE_FULL;
    else if (!strcmp(s, "services")) *out = ASM_SCOPE_SERVICES;
    else return fail(x, mget(map, "scope"), "scope of %s: '%s' is not one of entity, full, services", what, s);
    return CORE_OK;
}

static int find_scale(const asm_methodology *m, const char *id)
{
    for (size_t i = 0; i < m->n_scales; i++)
        if (!strcmp(m->scales[i].id, id)) return (int)i;
    return -1;
}

static int parse_head(lctx *x, const asm_ynode *h)
{
    asm_methodology *m = x->m;
    int rc;
    if ((rc = get_id(x, h, "id", "methodology", &m->id)) ||
        (rc = get_str(x, h, "name", 1, "methodology", &m->name)) ||
        (rc = get_str(x, h, "version", 1, "methodology", &m->version)) ||
        (rc = get_str(x, h, "description", 0, "methodology", &m->description)) ||
        (rc = get_str(x, h, "attribution", 0, "methodology", &m->attribution)) ||
        (rc = get_list(x, h, "entity_kinds", "methodology", &m->entity_kinds, &m->n_entity_kinds)) ||
        (rc = get_bool(x, h, "levels", "methodology", &m->has_levels)))
        return rc;
    const char *t = NULL;
    if ((rc = get_str(x, h, "total", 0, "methodology", &t))) return rc;
    if (t) {
        if (!strcmp(t, "indicators")) m->total_mode = ASM_TOTAL_INDICATORS;
        else if (!strcmp(t, "weighted")) m->total_mode = ASM_TOTAL_WEIGHTED;
        else if (!strcmp(t, "categories")) m->total_mode = ASM_TOTAL_CATEGORIES;
        else return fail(x, mget(h, "total"), "total: '%s' is not one of indicators, weighted, categories", t);
    }
    return parse_scope(x, h, "methodology", &x->default_scope) ? CORE_INVALID : CORE_OK;
}

static int parse_scales(lctx *x, const asm_ynode *seq)
{
    static const char *const skeys[] = {"id", "label", "choices", NULL};
    static const char *const ckeys[] = {"key", "label", "points", "reversed_points", "na", NULL};
    asm_methodology *m = x->m;
    int rc = want(x, seq, ASM_Y_SEQ, "'scales'");
    if (rc) return rc;
    m->scales = core_arena_alloc(x->a, (seq->n ? seq->n : 1) * sizeof *m->scales);
    if (!m->scales) return CORE_NOMEM;
    for (size_t i = 0; i < seq->n; i++) {
        const asm_ynode *s = seq->items[i];
        asm_scale *sc = &m->scales[i];
        if ((rc = want(x, s, ASM_Y_MAP, "a scale")) || (rc = check_keys(x, s, skeys, "scale")) ||
            (rc = get_id(x, s, "id", "scale", &sc->id)) || (rc = get_str(x, s, "label", 0, "scale", &sc->label)))
            return rc;
        if (find_scale(m, sc->id) >= 0) return fail(x, mget(s, "id"), "duplicate scale id '%s'", sc->id);
        const asm_ynode *ch = mget(s, "choices");
        if (!ch) return fail(x, s, "scale '%s' has no choices (a scale needs choices with points)", sc->id);
        if ((rc = want(x, ch, ASM_Y_SEQ, "choices"))) return rc;
        sc->choices = core_arena_alloc(x->a, (ch->n ? ch->n : 1) * sizeof *sc->choices);
        if (!sc->choices) return CORE_NOMEM;
        int any_points = 0;
        int *has_rev = core_arena_alloc(x->a, (ch->n ? ch->n : 1) * sizeof *has_rev);
        if (!has_rev) return CORE_NOMEM;
        for (size_t j = 0; j < ch->n; j++) {
            const asm_ynode *c = ch->items[j];
            asm_choice *cc = &sc->choices[j];
            int found = 0;
            if ((rc = want(x, c, ASM_Y_MAP, "a choice")) || (rc = check_keys(x, c, ckeys, "choice")) ||
                (rc = get_id(x, c, "key", "choice", &cc->key)) || (rc = get_str(x, c, "label", 0, "choice", &cc->label)) ||
                (rc = get_bool(x, c, "na", "choice", &cc->na)) ||
                (rc = get_num(x, c, "points", "choice", &cc->points, &found)) ||
                (rc = get_num(x, c, "reversed_points", "choice", &cc->reversed_points, &has_rev[j])))
                return rc;
            for (size_t k = 0; k < j; k++)
                if (!strcmp(sc->choices[k].key, cc->key))
                    return fail(x, mget(c, "key"), "duplicate choice '%s' in scale '%s'", cc->key, sc->id);
            if (!cc->na && !found)
                return fail(x, c, "choice '%s' of scale '%s' has no points (give points, or na: true)", cc->key, sc->id);
            if (cc->na && found) return fail(x, mget(c, "points"), "choice '%s' is na and cannot have points", cc->key);
            if (!cc->na) {
                if (!any_points || cc->points > sc->max_points) sc->max_points = cc->points;
                any_points = 1;
            }
            sc->n_choices++;
        }
        if (!any_points) return fail(x, ch->n ? ch : s, "scale '%s' has no choice with points", sc->id);
        for (size_t j = 0; j < sc->n_choices; j++)
            if (!has_rev[j]) sc->choices[j].reversed_points = sc->max_points - sc->choices[j].points;
        m->n_scales++;
    }
    return CORE_OK;
}

static int parse_categories(lctx *x, const asm_ynode *seq)
{
    static const char *const keys[] = {"id", "label", "weight", "description", NULL};
    asm_methodology *m = x->m;
    int rc = want(x, seq, ASM_Y_SEQ, "'categories'");
    if (rc) return rc;
    m->categories = core_arena_alloc(x->a, (seq->n ? seq->n : 1) * sizeof *m->categories);
    if (!m->categories) return CORE_NOMEM;
    for (size_t i = 0; i < seq->n; i++) {
        const asm_ynode *c = seq->items[i];
        asm_category *cat = &m->categories[i];
        const char *desc = NULL;
        cat->weight = 1;
        if ((rc = want(x, c, ASM_Y_MAP, "a category")) || (rc = check_keys(x, c, keys, "category")) ||
            (rc = get_id(x, c, "id", "category", &cat->id)) || (rc = get_str(x, c, "label", 1, "category", &cat->label)) ||
            (rc = get_str(x, c, "description", 0, "category", &desc)) ||
            (rc = get_num(x, c, "weight", "category", &cat->weight, NULL)))
            return rc;
        if (cat->weight < 0) return fail(x, mget(c, "weight"), "weight must not be negative");
        if (asm_find_category(m, cat->id) >= 0) return fail(x, mget(c, "id"), "duplicate category id '%s'", cat->id);
        m->n_categories++;
    }
    return CORE_OK;
}

static int parse_element(lctx *x, const asm_ynode *e, int ind, int scale)
{
    static const char *const keys[] = {"id", "text", "scale", "reversed", "weight", "exclude_kinds",
                                       "exclude_services", "automatic", "guidance", "credit_if", NULL};
    asm_methodology *m = x->m;
    int rc;
    if ((rc = want(x, e, ASM_Y_MAP, "an element")) || (rc = check_keys(x, e, keys, "element"))) return rc;
    asm_element *el = grow(x->a, m->elements, m->n_elements, &x->cap_el, sizeof *el);
    if (!el) return CORE_NOMEM;
    m->elements = el;
    el = &m->elements[m->n_elements];
    memset(el, 0, sizeof *el);
    el->indicator = ind;
    el->weight = 1;
    const char *sc = NULL;
    if ((rc = get_id(x, e, "id", "element", &el->id)) || (rc = get_str(x, e, "text", 1, "element", &el->text)) ||
        (rc = get_str(x, e, "scale", 0, "element", &sc)) || (rc = get_bool(x, e, "reversed", "element", &el->reversed)) ||
        (rc = get_num(x, e, "weight", "element", &el->weight, NULL)) ||
        (rc = get_list(x, e, "exclude_kinds", "element", &el->exclude_kinds, &el->n_exclude_kinds)) ||
        (rc = get_list(x, e, "exclude_services", "element", &el->exclude_services, &el->n_exclude_services)) ||
        (rc = get_str(x, e, "automatic", 0, "element", &el->automatic)) ||
        (rc = get_str(x, e, "guidance", 0, "element", &el->guidance)))
        return rc;
    if (el->weight < 0) return fail(x, mget(e, "weight"), "weight must not be negative");
    for (size_t i = 0; i < m->n_elements; i++)
        if (!strcmp(m->elements[i].id, el->id)) return fail(x, mget(e, "id"), "duplicate element id '%s'", el->id);
    if (sc) {
        el->scale = find_scale(m, sc);
        if (el->scale < 0) return fail(x, mget(e, "scale"), "element '%s': no scale '%s'", el->id, sc);
    } else if (scale >= 0) {
        el->scale = scale;
    } else {
        return fail(x, e, "element '%s' has no scale (give scale, or a default_scale)", el->id);
    }
    const asm_ynode *cr = mget(e, "credit_if");
    if (cr) {
        pend_credit *p = grow(x->a, x->pend, x->n_pend, &x->cap_pend, sizeof *p);
        if (!p) return CORE_NOMEM;
        x->pend = p;
        x->pend[x->n_pend].element = (int)m->n_elements;
        x->pend[x->n_pend].node = cr;
        x->n_pend++;
    }
    m->n_elements++;
    return CORE_OK;
}

static int parse_indicator(lctx *x, const asm_ynode *n, int parent, int depth)
{
    static const char *const keys[] = {"id", "label", "description", "category", "scope", "weight",
                                       "exclude_kinds", "scale", "elements", "indicators", NULL};
    asm_methodology *m = x->m;
    int rc;
    if (depth > 8) return fail(x, n, "indicators nested too deeply");
    if ((rc = want(x, n, ASM_Y_MAP, "an indicator")) || (rc = check_keys(x, n, keys, "indicator"))) return rc;
    asm_indicator *arr = grow(x->a, m->indicators, m->n_indicators, &x->cap_ind, sizeof *arr);
    if (!arr) return CORE_NOMEM;
    m->indicators = arr;
    int self = (int)m->n_indicators;
    asm_indicator *in = &m->indicators[self];
    memset(in, 0, sizeof *in);
    in->parent = parent;
    in->weight = 1;
    in->scope = parent >= 0 ? m->indicators[parent].scope : x->default_scope;
    const char *cat = NULL, *sc = NULL;
    if ((rc = get_id(x, n, "id", "indicator", &in->id)) || (rc = get_str(x, n, "label", 1, "indicator", &in->label)) ||
        (rc = get_str(x, n, "description", 0, "indicator", &in->description)) ||
        (rc = get_str(x, n, "category", parent < 0, "indicator", &cat)) ||
        (rc = parse_scope(x, n, "indicator", &in->scope)) ||
        (rc = get_num(x, n, "weight", "indicator", &in->weight, NULL)) ||
        (rc = get_list(x, n, "exclude_kinds", "indicator", &in->exclude_kinds, &in->n_exclude_kinds)) ||
        (rc = get_str(x, n, "scale", 0, "indicator", &sc)))
        return rc;
    if (in->weight < 0) return fail(x, mget(n, "weight"), "weight must not be negative");
    if (asm_find_indicator(m, in->id) >= 0) return fail(x, mget(n, "id"), "duplicate indicator id '%s'", in->id);
    if (cat) {
        in->category = asm_find_category(m, cat);
        if (in->category < 0) return fail(x, mget(n, "category"), "indicator '%s': no category '%s'", in->id, cat);
        if (parent >= 0 && in->category != m->indicators[parent].category)
            return fail(x, mget(n, "category"), "sub-indicator '%s' must be in its parent's category", in->id);
    } else {
        in->category = m->indicators[parent].category;
    }
    int scale = x->default_scale;
    if (sc) {
        scale = find_scale(m, sc);
        if (scale < 0) return fail(x, mget(n, "scale"), "indicator '%s': no scale '%s'", in->id, sc);
    }
    m->n_indicators++;
    const asm_ynode *els = mget(n, "elements"), *subs = mget(n, "indicators");
    if (els && subs) return fail(x, subs, "indicator '%s' has both elements and sub-indicators", in->id);
    if (!els && !subs) return fail(x, n, "indicator '%s' has neither elements nor sub-indicators", in->id);
    const char *id = in->id;         /* in may move when the array grows */
    if (els) {
        if ((rc = want(x, els, ASM_Y_SEQ, "'elements'"))) return rc;
        if (els->n == 0) return fail(x, els, "indicator '%s' has an empty element list", id);
        for (size_t i = 0; i < els->n; i++)
            if ((rc = parse_element(x, els->items[i], self, scale))) return rc;
    } else {
        if ((rc = want(x, subs, ASM_Y_SEQ, "'indicators'"))) return rc;
        if (subs->n == 0) return fail(x, subs, "indicator '%s' has an empty sub-indicator list", id);
        int save = x->default_scale;
        x->default_scale = scale;
        for (size_t i = 0; i < subs->n; i++)
            if ((rc = parse_indicator(x, subs->items[i], self, depth + 1))) return rc;
        x->default_scale = save;
    }
    return CORE_OK;
}

static int resolve_credit(lctx *x)
{
    static const char *const keys[] = {"element", "in", "else", NULL};
    asm_methodology *m = x->m;
    for (size_t i = 0; i < x->n_pend; i++) {
        const asm_ynode *n = x->pend[i].node;
        asm_element *el = &m->elements[x->pend[i].element];
        int rc;
        const char *src = NULL;
        asm_credit_rule *r = core_arena_alloc(x->a, sizeof *r);
        if (!r) return CORE_NOMEM;
        if ((rc = want(x, n, ASM_Y_MAP, "credit_if")) || (rc = check_keys(x, n, keys, "credit_if")) ||
            (rc = get_str(x, n, "element", 1, "credit_if", &src)) ||
            (rc = get_list(x, n, "in", "credit_if", &r->values, &r->n_values)))
            return rc;
        r->source = asm_find_element(m, src);
        if (r->source < 0) return fail(x, mget(n, "element"), "credit_if of '%s': no element '%s'", el->id, src);
        if (r->source == x->pend[i].element) return fail(x, mget(n, "element"), "credit_if of '%s' refers to itself", el->id);
        if (r->n_values == 0) return fail(x, n, "credit_if of '%s': missing key 'in'", el->id);
        const asm_scale *ss = &m->scales[m->elements[r->source].scale];
        const asm_ynode *in = mget(n, "in");
        for (size_t k = 0; k < r->n_values; k++)
            if (asm_find_choice(ss, r->values[k]) < 0)
                return fail(x, in->type == ASM_Y_SEQ ? in->items[k] : in, "credit_if of '%s': scale '%s' has no choice '%s'",
                            el->id, ss->id, r->values[k]);
        const asm_ynode *e = mget(n, "else");
        if (!e) return fail(x, n, "credit_if of '%s': missing key 'else' (points or na)", el->id);
        if (e->type == ASM_Y_SCALAR && !strcmp(e->text, "na")) {
            r->otherwise_na = 1;
        } else if ((rc = get_num(x, n, "else", "credit_if", &r->otherwise_points, NULL))) {
            return fail(x, e, "credit_if of '%s': else must be points or na", el->id);
        }
        el->credit = r;
    }
    return CORE_OK;
}

static int fill_links(lctx *x)
{
    asm_methodology *m = x->m;
    size_t ni = m->n_indicators;
    size_t *nc = core_arena_alloc(x->a, (ni ? ni : 1) * sizeof *nc * 2);
    if (!nc) return CORE_NOMEM;
    size_t *ne = nc + ni;
    for (size_t i = 0; i < ni; i++)
        if (m->indicators[i].parent >= 0) nc[m->indicators[i].parent]++;
    for (size_t i = 0; i < m->n_elements; i++) ne[m->elements[i].indicator]++;
    for (size_t i = 0; i < ni; i++) {
        asm_indicator *in = &m->indicators[i];
        in->children = core_arena_alloc(x->a, (nc[i] ? nc[i] : 1) * sizeof(int));
        in->elements = core_arena_alloc(x->a, (ne[i] ? ne[i] : 1) * sizeof(int));
        if (!in->children || !in->elements) return CORE_NOMEM;
    }
    for (size_t i = 0; i < ni; i++) {
        int p = m->indicators[i].parent;
        if (p >= 0) m->indicators[p].children[m->indicators[p].n_children++] = (int)i;
    }
    for (size_t i = 0; i < m->n_elements; i++) {
        asm_indicator *in = &m->indicators[m->elements[i].indicator];
        in->elements[in->n_elements++] = (int)i;
    }
    return CORE_OK;
}

int asm_load_yaml(core_arena *a, const char *file, const char *text, size_t len, asm_methodology **out,
                  asm_error *err)
{
    static const char *const keys[] = {"methodology", "scales", "categories", "indicators", NULL};
    asm_ynode *root = NULL;
    asm_error scratch;
    if (!err) err = &scratch;
    memset(err, 0, sizeof *err);
    *out = NULL;
    int rc = asm_yaml_tree(a, file, text, len, &root, err);
    if (rc != CORE_OK) return rc;
    lctx x = {.a = a, .file = file ? file : "<input>", .err = err, .default_scale = -1};
    x.m = core_arena_alloc(a, sizeof *x.m);
    if (!x.m) return CORE_NOMEM;
    if ((rc = want(&x, root, ASM_Y_MAP, "a methodology file")) || (rc = check_keys(&x, root, keys, "the file")))
        return rc;
    const asm_ynode *h = mget(root, "methodology"), *s = mget(root, "scales"), *c = mget(root, "categories"),
                    *i = mget(root, "indicators");
    if (!h) return fail(&x, root, "missing key 'methodology'");
    static const char *const hkeys[] = {"id", "name", "version", "description", "attribution", "entity_kinds",
                                        "levels", "total", "default_scale", "default_scope", NULL};
    if ((rc = want(&x, h, ASM_Y_MAP, "'methodology'")) || (rc = check_keys(&x, h, hkeys, "methodology"))) return rc;
    if (!s) return fail(&x, root, "missing key 'scales'");
    if ((rc = parse_scales(&x, s))) return rc;
    if (!c) return fail(&x, root, "missing key 'categories'");
    if ((rc = parse_categories(&x, c)) || (rc = parse_head(&x, h))) return rc;
    if (!i) return fail(&x, root, "missing key 'indicators'");
    const char *ds = NULL;
    if ((rc = get_str(&x, h, "default_scale", 0, "methodology", &ds))) return rc;
    if (!ds && x.m->n_scales == 1) x.default_scale = 0;
    if (ds) {
        x.default_scale = find_scale(x.m, ds);
        if (x.default_scale < 0) return fail(&x, mget(h, "default_scale"), "default_scale: no scale '%s'", ds);
    }
    if (x.m->n_categories == 0) return fail(&x, c, "a methodology needs at least one category");
    if ((rc = want(&x, i, ASM_Y_SEQ, "'indicators'"))) return rc;
    if (i->n == 0) return fail(&x, i, "a methodology needs at least one indicator");
    for (size_t k = 0; k < i->n; k++)
        if ((rc = parse_indicator(&x, i->items[k], -1, 0))) return rc;
    if ((rc = asm_index_build(a, x.m)) || (rc = resolve_credit(&x)) || (rc = fill_links(&x))) return rc;
    *out = x.m;
    return CORE_OK;
}

int asm_load_file(core_arena *a, const char *path, asm_methodology **out, asm_error *err)
{
    char *text = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = asm_read_file(a, path, &text, &len);
    if (rc != CORE_OK) {
        asm_err_set(err, path, 0, 0, "cannot read: %s", rc == CORE_NOMEM ? "out of memory" : strerror(errno));
        return rc;
    }
    const char *base = path;
    return asm_load_yaml(a, base, text, len, out, err);
}
