/* asm_model: lookups over a loaded methodology (the element-id hash and
 * linear finds), and its two outward forms: YAML that the loader reads back
 * to the same model (asm_write_yaml, used to store what the RDR import
 * builds) and JSON for the API (asm_methodology_json).
 */
#include <stdint.h>
#include <string.h>

#include "assess/asm_int.h"

typedef struct asm_hash {
    size_t cap;                      /* power of two */
    int *slot;                       /* element index + 1; 0 = empty */
} asm_hash;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ull;
    }
    return h;
}

int asm_index_build(core_arena *a, asm_methodology *m)
{
    asm_hash *h = core_arena_alloc(a, sizeof *h);
    if (!h) return CORE_NOMEM;
    h->cap = 16;
    while (h->cap < m->n_elements * 2 + 1) h->cap *= 2;
    h->slot = core_arena_alloc(a, h->cap * sizeof *h->slot);
    if (!h->slot) return CORE_NOMEM;
    for (size_t i = 0; i < m->n_elements; i++) {
        size_t j = fnv(m->elements[i].id) & (h->cap - 1);
        while (h->slot[j]) j = (j + 1) & (h->cap - 1);
        h->slot[j] = (int)i + 1;
    }
    m->index = h;
    return CORE_OK;
}

int asm_find_element(const asm_methodology *m, const char *id)
{
    if (!m || !id) return -1;
    const asm_hash *h = m->index;
    if (!h) {
        for (size_t i = 0; i < m->n_elements; i++)
            if (!strcmp(m->elements[i].id, id)) return (int)i;
        return -1;
    }
    for (size_t j = fnv(id) & (h->cap - 1); h->slot[j]; j = (j + 1) & (h->cap - 1))
        if (!strcmp(m->elements[h->slot[j] - 1].id, id)) return h->slot[j] - 1;
    return -1;
}

int asm_find_indicator(const asm_methodology *m, const char *id)
{
    for (size_t i = 0; m && id && i < m->n_indicators; i++)
        if (!strcmp(m->indicators[i].id, id)) return (int)i;
    return -1;
}

int asm_find_category(const asm_methodology *m, const char *id)
{
    for (size_t i = 0; m && id && i < m->n_categories; i++)
        if (!strcmp(m->categories[i].id, id)) return (int)i;
    return -1;
}

int asm_find_choice(const asm_scale *s, const char *key)
{
    for (size_t i = 0; s && key && i < s->n_choices; i++)
        if (!strcmp(s->choices[i].key, key)) return (int)i;
    return -1;
}

/* ---- YAML out ---- */
static const char *scope_name(asm_scope s)
{
    return s == ASM_SCOPE_FULL ? "full" : s == ASM_SCOPE_SERVICES ? "services" : "entity";
}

static void kv(core_buf *b, int indent, const char *key, const char *val)
{
    if (!val) return;
    core_buf_printf(b, "%*s%s: ", indent, "", key);
    asm_yaml_quote(b, val);
    core_buf_putc(b, '\n');
}

static void list(core_buf *b, int indent, const char *key, const char **v, size_t n)
{
    if (!n) return;
    core_buf_printf(b, "%*s%s: [", indent, "", key);
    for (size_t i = 0; i < n; i++) {
        if (i) core_buf_puts(b, ", ");
        asm_yaml_quote(b, v[i]);
    }
    core_buf_puts(b, "]\n");
}

static void num(core_buf *b, int indent, const char *key, double v)
{
    core_buf_printf(b, "%*s%s: %.17g\n", indent, "", key, v);
}

static void write_indicator(core_buf *b, const asm_methodology *m, int idx, int indent)
{
    const asm_indicator *in = &m->indicators[idx];
    core_buf_printf(b, "%*s- id: ", indent, "");
    asm_yaml_quote(b, in->id);
    core_buf_putc(b, '\n');
    int d = indent + 2;
    kv(b, d, "label", in->label);
    kv(b, d, "description", in->description);
    if (in->parent < 0) kv(b, d, "category", m->categories[in->category].id);
    if (in->parent < 0 || in->scope != m->indicators[in->parent].scope) kv(b, d, "scope", scope_name(in->scope));
    if (in->weight != 1) num(b, d, "weight", in->weight);
    list(b, d, "exclude_kinds", in->exclude_kinds, in->n_exclude_kinds);
    if (in->n_children) {
        core_buf_printf(b, "%*sindicators:\n", d, "");
        for (size_t i = 0; i < in->n_children; i++) write_indicator(b, m, in->children[i], d + 2);
        return;
    }
    core_buf_printf(b, "%*selements:\n", d, "");
    for (size_t i = 0; i < in->n_elements; i++) {
        const asm_element *el = &m->elements[in->elements[i]];
        core_buf_printf(b, "%*s- id: ", d + 2, "");
        asm_yaml_quote(b, el->id);
        core_buf_putc(b, '\n');
        int e = d + 4;
        kv(b, e, "text", el->text);
        kv(b, e, "scale", m->scales[el->scale].id);
        if (el->reversed) core_buf_printf(b, "%*sreversed: true\n", e, "");
        if (el->weight != 1) num(b, e, "weight", el->weight);
        list(b, e, "exclude_kinds", el->exclude_kinds, el->n_exclude_kinds);
        list(b, e, "exclude_services", el->exclude_services, el->n_exclude_services);
        kv(b, e, "automatic", el->automatic);
        kv(b, e, "guidance", el->guidance);
        if (el->credit) {
            core_buf_printf(b, "%*scredit_if:\n", e, "");
            kv(b, e + 2, "element", m->elements[el->credit->source].id);
            list(b, e + 2, "in", el->credit->values, el->credit->n_values);
            if (el->credit->otherwise_na) core_buf_printf(b, "%*selse: na\n", e + 2, "");
            else num(b, e + 2, "else", el->credit->otherwise_points);
        }
    }
}

int asm_write_yaml(const asm_methodology *m, core_buf *b)
{
    static const char *const totals[] = {"indicators", "weighted", "categories"};
    core_buf_puts(b, "# generated by hrdd (asm_write_yaml)\nmethodology:\n");
    kv(b, 2, "id", m->id);
    kv(b, 2, "name", m->name);
    kv(b, 2, "version", m->version);
    kv(b, 2, "description", m->description);
    kv(b, 2, "attribution", m->attribution);
    list(b, 2, "entity_kinds", m->entity_kinds, m->n_entity_kinds);
    core_buf_printf(b, "  levels: %s\n  total: %s\nscales:\n", m->has_levels ? "true" : "false",
                    totals[m->total_mode]);
    for (size_t i = 0; i < m->n_scales; i++) {
        const asm_scale *s = &m->scales[i];
        core_buf_puts(b, "  - id: ");
        asm_yaml_quote(b, s->id);
        core_buf_putc(b, '\n');
        kv(b, 4, "label", s->label);
        core_buf_puts(b, "    choices:\n");
        for (size_t j = 0; j < s->n_choices; j++) {
            const asm_choice *c = &s->choices[j];
            core_buf_puts(b, "      - key: ");
            asm_yaml_quote(b, c->key);
            core_buf_putc(b, '\n');
            kv(b, 8, "label", c->label);
            if (c->na) {
                core_buf_puts(b, "        na: true\n");
            } else {
                num(b, 8, "points", c->points);
                if (c->reversed_points != s->max_points - c->points) num(b, 8, "reversed_points", c->reversed_points);
            }
        }
    }
    core_buf_puts(b, "categories:\n");
    for (size_t i = 0; i < m->n_categories; i++) {
        core_buf_puts(b, "  - id: ");
        asm_yaml_quote(b, m->categories[i].id);
        core_buf_putc(b, '\n');
        kv(b, 4, "label", m->categories[i].label);
        if (m->categories[i].weight != 1) num(b, 4, "weight", m->categories[i].weight);
    }
    core_buf_puts(b, "indicators:\n");
    for (size_t i = 0; i < m->n_indicators; i++)
        if (m->indicators[i].parent < 0) write_indicator(b, m, (int)i, 2);
    return b->oom ? CORE_NOMEM : CORE_OK;
}

/* ---- JSON ---- */
static json_t *strlist(const char **v, size_t n)
{
    json_t *a = json_array();
    for (size_t i = 0; a && i < n; i++) json_array_append_new(a, json_string(v[i]));
    return a;
}

static json_t *indicator_json(const asm_methodology *m, int idx)
{
    const asm_indicator *in = &m->indicators[idx];
    json_t *o = json_pack("{s:s, s:s, s:s?, s:s, s:s, s:f}", "id", in->id, "label", in->label, "description",
                          in->description, "category", m->categories[in->category].id, "scope",
                          scope_name(in->scope), "weight", in->weight);
    if (!o) return NULL;
    json_object_set_new(o, "exclude_kinds", strlist(in->exclude_kinds, in->n_exclude_kinds));
    if (in->n_children) {
        json_t *subs = json_array();
        for (size_t i = 0; subs && i < in->n_children; i++)
            json_array_append_new(subs, indicator_json(m, in->children[i]));
        json_object_set_new(o, "indicators", subs);
        return o;
    }
    json_t *els = json_array();
    for (size_t i = 0; els && i < in->n_elements; i++) {
        const asm_element *el = &m->elements[in->elements[i]];
        json_t *e = json_pack("{s:s, s:s, s:s, s:b, s:f, s:s?, s:s?}", "id", el->id, "text", el->text, "scale",
                              m->scales[el->scale].id, "reversed", el->reversed, "weight", el->weight,
                              "automatic", el->automatic, "guidance", el->guidance);
        if (!e) continue;
        json_object_set_new(e, "exclude_kinds", strlist(el->exclude_kinds, el->n_exclude_kinds));
        json_object_set_new(e, "exclude_services", strlist(el->exclude_services, el->n_exclude_services));
        if (el->credit) {
            json_t *c = json_pack("{s:s}", "element", m->elements[el->credit->source].id);
            if (c) {
                json_object_set_new(c, "in", strlist(el->credit->values, el->credit->n_values));
                json_object_set_new(c, "else", el->credit->otherwise_na ? json_string("na")
                                                                         : json_real(el->credit->otherwise_points));
            }
            json_object_set_new(e, "credit_if", c);
        }
        json_array_append_new(els, e);
    }
    json_object_set_new(o, "elements", els);
    return o;
}

json_t *asm_methodology_json(const asm_methodology *m)
{
    static const char *const totals[] = {"indicators", "weighted", "categories"};
    json_t *o = json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b, s:s}", "id", m->id, "name", m->name, "version",
                          m->version, "description", m->description, "attribution", m->attribution, "levels",
                          m->has_levels, "total", totals[m->total_mode]);
    if (!o) return NULL;
    json_object_set_new(o, "entity_kinds", strlist(m->entity_kinds, m->n_entity_kinds));
    json_t *scales = json_array(), *cats = json_array(), *inds = json_array();
    for (size_t i = 0; scales && i < m->n_scales; i++) {
        const asm_scale *s = &m->scales[i];
        json_t *ch = json_array();
        for (size_t j = 0; ch && j < s->n_choices; j++) {
            const asm_choice *c = &s->choices[j];
            json_t *cj = c->na ? json_pack("{s:s, s:s?, s:b}", "key", c->key, "label", c->label, "na", 1)
                               : json_pack("{s:s, s:s?, s:f, s:f}", "key", c->key, "label", c->label, "points",
                                           c->points, "reversed_points", c->reversed_points);
            json_array_append_new(ch, cj);
        }
        json_array_append_new(scales, json_pack("{s:s, s:s?, s:o}", "id", s->id, "label", s->label, "choices", ch));
    }
    for (size_t i = 0; cats && i < m->n_categories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:s, s:f}", "id", m->categories[i].id, "label",
                                              m->categories[i].label, "weight", m->categories[i].weight));
    for (size_t i = 0; inds && i < m->n_indicators; i++)
        if (m->indicators[i].parent < 0) json_array_append_new(inds, indicator_json(m, (int)i));
    json_object_set_new(o, "scales", scales);
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "indicators", inds);
    return o;
}
