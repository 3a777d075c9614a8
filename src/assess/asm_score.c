/* asm_score: the pure scoring engine (rules in assess.h, after RDR 2020
 * methodology section 6). One pass files every answer into a table of
 * choice indexes (element x level), then indicators are scored leaves
 * first: level means, leaf means over the scope, parents from children,
 * categories and the total. Nothing is rounded here.
 */
#include <math.h>
#include <string.h>

#include "assess/asm_int.h"

typedef struct sctx {
    const asm_methodology *m;
    const asm_subject *s;
    size_t nl;                       /* levels: group, [opcom], services... */
    const char **lname;
    const char **lkind;              /* service kind per level, NULL for group / opcom */
    size_t first_service;
    short *ch;                       /* [n_elements * nl] choice index, -1 = unanswered */
} sctx;

static int kind_in(const asm_subject *s, const char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((s->kind && !strcmp(v[i], s->kind)) || (s->subkind && !strcmp(v[i], s->subkind))) return 1;
    return 0;
}

static int str_in(const char *k, const char **v, size_t n)
{
    for (size_t i = 0; k && i < n; i++)
        if (!strcmp(v[i], k)) return 1;
    return 0;
}

static int level_of(const sctx *x, const char *name)
{
    if (!name) return -1;
    for (size_t i = 0; i < x->nl; i++)
        if (!strcmp(x->lname[i], name)) return (int)i;
    return -1;
}

/* Points of element e at level l; 0 when N/A. */
static int element_points(const sctx *x, int e, size_t l, double *pts)
{
    const asm_methodology *m = x->m;
    const asm_element *el = &m->elements[e];
    int c = x->ch[(size_t)e * x->nl + l];
    if (c < 0) return 0;
    if (el->n_exclude_kinds && kind_in(x->s, el->exclude_kinds, el->n_exclude_kinds)) return 0;
    if (el->n_exclude_services && x->lkind[l] && str_in(x->lkind[l], el->exclude_services, el->n_exclude_services))
        return 0;
    const asm_scale *sc = &m->scales[el->scale];
    const asm_choice *ch = &sc->choices[c];
    if (ch->na) return 0;
    if (el->credit) {
        const asm_credit_rule *r = el->credit;
        int sc_i = x->ch[(size_t)r->source * x->nl + l];
        int ok = 0;
        if (sc_i >= 0) {
            const char *key = m->scales[m->elements[r->source].scale].choices[sc_i].key;
            ok = str_in(key, r->values, r->n_values);
        }
        if (!ok) {
            if (r->otherwise_na) return 0;
            *pts = r->otherwise_points;
            return 1;
        }
    }
    *pts = el->reversed ? ch->reversed_points : ch->points;
    return 1;
}

static int score_leaf(core_arena *a, const sctx *x, int idx, asm_indicator_score *is)
{
    const asm_indicator *in = &x->m->indicators[idx];
    size_t from = 0, to = x->nl;
    if (in->scope == ASM_SCOPE_ENTITY) to = 1;
    else if (in->scope == ASM_SCOPE_SERVICES) from = x->first_service;
    if (!x->m->has_levels) from = 0, to = 1;
    size_t n = to > from ? to - from : 0;
    is->levels = core_arena_alloc(a, (n ? n : 1) * sizeof *is->levels);
    if (!is->levels) return CORE_NOMEM;
    double sum = 0;
    size_t cnt = 0;
    for (size_t l = from; l < to; l++) {
        asm_level_score *ls = &is->levels[is->n_levels++];
        ls->level = x->lname[l];
        double ws = 0, w = 0;
        for (size_t k = 0; k < in->n_elements; k++) {
            double p;
            int e = in->elements[k];
            if (!element_points(x, e, l, &p)) continue;
            double ew = x->m->elements[e].weight;
            ws += ew * p;
            w += ew;
        }
        if (w > 0) {
            ls->score = ws / w;
            ls->has = 1;
            sum += ls->score;
            cnt++;
        }
    }
    if (cnt) {
        is->score = sum / (double)cnt;
        is->has = 1;
    }
    return CORE_OK;
}

static int excluded(const sctx *x, int idx)
{
    for (int i = idx; i >= 0; i = x->m->indicators[i].parent) {
        const asm_indicator *in = &x->m->indicators[i];
        if (in->n_exclude_kinds && kind_in(x->s, in->exclude_kinds, in->n_exclude_kinds)) return 1;
    }
    return 0;
}

long asm_round_half_up(double v)
{
    return (long)floor(v + 0.5 + 1e-9);
}

int asm_score_entity(core_arena *a, const asm_methodology *m, const asm_subject *s, const asm_answer *answers,
                     size_t n_answers, asm_score *out)
{
    memset(out, 0, sizeof *out);
    out->m = m;
    out->entity = s->id;
    sctx x = {.m = m, .s = s};
    size_t maxl = 1 + (m->has_levels ? (size_t)(s->has_opcom ? 1 : 0) + s->n_services : 0);
    x.lname = core_arena_alloc(a, maxl * sizeof *x.lname);
    x.lkind = core_arena_alloc(a, maxl * sizeof *x.lkind);
    out->categories = core_arena_alloc(a, (m->n_categories ? m->n_categories : 1) * sizeof(double));
    out->category_has = core_arena_alloc(a, (m->n_categories ? m->n_categories : 1) * sizeof(int));
    out->indicators = core_arena_alloc(a, (m->n_indicators ? m->n_indicators : 1) * sizeof *out->indicators);
    if (!x.lname || !x.lkind || !out->categories || !out->category_has || !out->indicators) return CORE_NOMEM;
    x.lname[x.nl++] = ASM_LEVEL_GROUP;
    if (m->has_levels && s->has_opcom) x.lname[x.nl++] = ASM_LEVEL_OPCOM;
    x.first_service = x.nl;
    if (m->has_levels)
        for (size_t i = 0; i < s->n_services; i++) {
            x.lkind[x.nl] = s->services[i].kind;
            x.lname[x.nl++] = s->services[i].name;
        }
    size_t cells = m->n_elements * x.nl;
    x.ch = core_arena_alloc(a, (cells ? cells : 1) * sizeof *x.ch);
    if (!x.ch) return CORE_NOMEM;
    memset(x.ch, 0xff, (cells ? cells : 1) * sizeof *x.ch);   /* -1 */

    for (size_t i = 0; i < n_answers; i++) {
        const asm_answer *an = &answers[i];
        int e = asm_find_element(m, an->element);
        int l = level_of(&x, an->level);
        int c = e >= 0 ? asm_find_choice(&m->scales[m->elements[e].scale], an->value) : -1;
        if (e < 0 || l < 0 || c < 0) {
            out->n_unknown++;
            continue;
        }
        x.ch[(size_t)e * x.nl + (size_t)l] = (short)c;
    }

    /* Children come after their parent: score from the end. */
    for (size_t k = m->n_indicators; k-- > 0;) {
        const asm_indicator *in = &m->indicators[k];
        asm_indicator_score *is = &out->indicators[k];
        if (excluded(&x, (int)k)) continue;
        if (in->n_children == 0) {
            int rc = score_leaf(a, &x, (int)k, is);
            if (rc != CORE_OK) return rc;
            continue;
        }
        double ws = 0, w = 0;
        for (size_t c = 0; c < in->n_children; c++) {
            const asm_indicator_score *cs = &out->indicators[in->children[c]];
            if (!cs->has) continue;
            double cw = m->indicators[in->children[c]].weight;
            ws += cw * cs->score;
            w += cw;
        }
        if (w > 0) {
            is->score = ws / w;
            is->has = 1;
        }
    }

    double *cws = core_arena_alloc(a, (m->n_categories ? m->n_categories : 1) * sizeof(double) * 2);
    if (!cws) return CORE_NOMEM;
    double *cw = cws + m->n_categories;
    double tsum = 0, tw = 0;
    for (size_t k = 0; k < m->n_indicators; k++) {
        const asm_indicator *in = &m->indicators[k];
        const asm_indicator_score *is = &out->indicators[k];
        if (in->parent >= 0 || !is->has) continue;
        cws[in->category] += in->weight * is->score;
        cw[in->category] += in->weight;
        double w = m->total_mode == ASM_TOTAL_WEIGHTED ? in->weight : 1.0;
        tsum += w * is->score;
        tw += w;
    }
    double csum = 0, cwt = 0;
    for (size_t c = 0; c < m->n_categories; c++) {
        if (cw[c] > 0) {
            out->categories[c] = cws[c] / cw[c];
            out->category_has[c] = 1;
            csum += m->categories[c].weight * out->categories[c];
            cwt += m->categories[c].weight;
        }
    }
    if (m->total_mode == ASM_TOTAL_CATEGORIES) {
        if (cwt > 0) {
            out->total = csum / cwt;
            out->has_total = 1;
        }
    } else if (tw > 0) {
        out->total = tsum / tw;
        out->has_total = 1;
    }
    return CORE_OK;
}

static json_t *numornull(int has, double v)
{
    return has ? json_real(v) : json_null();
}

json_t *asm_score_json(const asm_score *s)
{
    const asm_methodology *m = s->m;
    json_t *o = json_object(), *cats = json_object(), *inds = json_object(), *lv = json_object();
    if (!o || !cats || !inds || !lv) {
        json_decref(o);
        json_decref(cats);
        json_decref(inds);
        json_decref(lv);
        return NULL;
    }
    json_object_set_new(o, "entity", json_string(s->entity ? s->entity : ""));
    json_object_set_new(o, "total", numornull(s->has_total, s->total));
    for (size_t c = 0; c < m->n_categories; c++)
        json_object_set_new(cats, m->categories[c].id, numornull(s->category_has[c], s->categories[c]));
    for (size_t k = 0; k < m->n_indicators; k++) {
        const asm_indicator_score *is = &s->indicators[k];
        json_object_set_new(inds, m->indicators[k].id, numornull(is->has, is->score));
        if (is->n_levels == 0) continue;
        json_t *l = json_object();
        for (size_t i = 0; l && i < is->n_levels; i++)
            json_object_set_new(l, is->levels[i].level, numornull(is->levels[i].has, is->levels[i].score));
        json_object_set_new(lv, m->indicators[k].id, l);
    }
    json_object_set_new(o, "categories", cats);
    json_object_set_new(o, "indicators", inds);
    json_object_set_new(o, "levels", lv);
    return o;
}
