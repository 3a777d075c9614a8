/* asm_view: what the outputs show (assess-app part of assess.h): the
 * scorecard of one assessment (scores of every level, indicator, category
 * and the total, the previous assessment of the same entity and methodology
 * for year-over-year change), the ranking table of a methodology, two
 * scorecards side by side, and the element-level changes since the previous
 * assessment. Scores stay unrounded in every structure and JSON "score"
 * member; "rounded" members and the CSV's rounded column use half-up
 * rounding (asm_round_half_up), the only rounding anywhere.
 *
 * CSV: RFC 4180 (CRLF, quoted when needed); a text cell starting with = + -
 * @ or a tab gets a leading apostrophe so that spreadsheets never run it as
 * a formula (entity names and notes come from users).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "assess/assess.h"
#include "assess/asm_wf_internal.h"

/* ---- scoring a stored assessment with a cached methodology ---- */

int asm_wf_score_stored(store_conn *c, core_arena *a, int64_t org_id, const store_as_assessment *s,
                     const store_as_entity *e, const asm_methodology *m, store_as_answer **ans_out,
                     size_t *nans_out, asm_score *out)
{
    store_as_answer *ans = NULL;
    size_t n = 0;
    int rc = store_as_answer_list(c, a, org_id, s->id, &ans, &n);
    asm_subject subj;
    if (rc == CORE_OK)
        rc = asm_subject_from_entity(a, e, &subj);
    asm_answer *in = NULL;
    if (rc == CORE_OK && n) {
        in = core_arena_alloc(a, n * sizeof *in);
        if (!in)
            rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        in[i].element = ans[i].element;
        in[i].level = ans[i].level;
        in[i].value = ans[i].value;
    }
    if (rc == CORE_OK)
        rc = asm_score_entity(a, m, &subj, in, n, out);
    if (rc == CORE_OK && ans_out) {
        *ans_out = ans;
        *nans_out = n;
    }
    return rc;
}

static int previous_of(store_conn *c, core_arena *a, int64_t org_id, const store_as_assessment *s,
                       const char *slug, int final_only, store_as_assessment *prev)
{
    store_as_assessment *list = NULL;
    size_t n = 0;
    int rc = store_as_assessment_list(c, a, org_id, s->entity_id, 0, &list, &n);
    if (rc != CORE_OK)
        return rc;
    const store_as_assessment *best = NULL;
    for (size_t i = 0; i < n; i++) {
        const store_as_assessment *x = &list[i];
        if (x->id == s->id || (final_only && strcmp(x->status, "final") != 0))
            continue;
        /* earlier: an earlier period, or the same period created before */
        int cmp = strcmp(x->period, s->period);
        if (cmp > 0 || (cmp == 0 && x->id > s->id))
            continue;
        store_as_methodology mr;
        if (store_as_methodology_get(c, a, org_id, x->methodology_id, &mr) != CORE_OK || strcmp(mr.slug, slug) != 0)
            continue;
        if (!best || strcmp(x->period, best->period) > 0 || (strcmp(x->period, best->period) == 0 && x->id > best->id))
            best = x;
    }
    if (!best)
        return CORE_NOTFOUND;
    *prev = *best;
    return CORE_OK;
}

int asm_wf_scorecard(store *st, core_arena *a, const asm_actor *ac, int64_t org_id,
                     int64_t assessment_id, int public_only, asm_scorecard *out)
{
    memset(out, 0, sizeof *out);
    if (ac) {
        if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
            return CORE_DENIED;
        org_id = ac->org_id;
    }
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_as_assessment_get(c, a, org_id, assessment_id, &out->as);
    if (rc == CORE_OK && public_only && strcmp(out->as.status, "final") != 0)
        rc = CORE_NOTFOUND;
    if (rc == CORE_OK)
        rc = store_as_entity_get(c, a, org_id, out->as.entity_id, &out->entity);
    if (rc == CORE_OK)
        rc = asm_wf_methodology_c(c, a, org_id, out->as.methodology_id, &out->mrow, &out->m);
    if (rc == CORE_OK)
        rc = asm_wf_score_stored(c, a, org_id, &out->as, &out->entity, out->m, &out->answers, &out->n_answers, &out->score);
    if (rc == CORE_OK && previous_of(c, a, org_id, &out->as, out->mrow.slug, public_only, &out->previous) == CORE_OK) {
        const asm_methodology *pm = NULL;
        if (asm_wf_methodology_c(c, a, org_id, out->previous.methodology_id, NULL, &pm) == CORE_OK &&
            asm_wf_score_stored(c, a, org_id, &out->previous, &out->entity, pm, NULL, NULL, &out->previous_score) == CORE_OK)
            out->has_previous = 1;
    }
    store_release(st, c);
    return rc;
}

/* ---- JSON ---- */

static json_t *num_or_null(int has, double v)
{
    return has && isfinite(v) ? json_real(v) : json_null();
}

static json_t *rounded_or_null(int has, double v)
{
    return has && isfinite(v) ? json_integer(asm_round_half_up(v)) : json_null();
}

static json_t *methodology_json(const store_as_methodology *r, const asm_methodology *m)
{
    return json_pack("{s:I, s:s?, s:s?, s:s?, s:s?}", "id", (json_int_t)r->id, "slug", r->slug, "version",
                     r->version, "name", m && m->name ? m->name : r->name, "attribution", m ? m->attribution : NULL);
}

static json_t *entity_json(const store_as_entity *e)
{
    return json_pack("{s:I, s:s?, s:s?, s:s?}", "id", (json_int_t)e->id, "slug", e->slug, "name", e->name,
                     "kind", e->kind);
}

static json_t *assessment_json(const store_as_assessment *s)
{
    return json_pack("{s:I, s:I, s:I, s:s?, s:s?, s:I, s:I, s:I, s:I}", "id", (json_int_t)s->id,
                     "entity_id", (json_int_t)s->entity_id, "methodology_id", (json_int_t)s->methodology_id,
                     "period", s->period, "status", s->status, "reviewed_by", (json_int_t)s->reviewed_by,
                     "reviewed_at", (json_int_t)s->reviewed_at, "finalised_by", (json_int_t)s->finalised_by,
                     "finalised_at", (json_int_t)s->finalised_at);
}

json_t *asm_scorecard_json(const asm_scorecard *sc, int include_answers)
{
    const asm_methodology *m = sc->m;
    json_t *cats = json_array(), *inds = json_array();
    for (size_t i = 0; i < m->n_categories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:s?, s:o, s:o}", "id", m->categories[i].id, "name",
                                              m->categories[i].label,
                                              "score", num_or_null(sc->score.category_has[i], sc->score.categories[i]),
                                              "rounded", rounded_or_null(sc->score.category_has[i], sc->score.categories[i])));
    for (size_t i = 0; i < m->n_indicators; i++) {
        const asm_indicator *ind = &m->indicators[i];
        const asm_indicator_score *is = &sc->score.indicators[i];
        json_t *levels = json_object();
        for (size_t l = 0; l < is->n_levels; l++)
            json_object_set_new(levels, is->levels[l].level, num_or_null(is->levels[l].has, is->levels[l].score));
        json_array_append_new(inds, json_pack("{s:s, s:s?, s:s, s:s?, s:o, s:o, s:o}", "id", ind->id, "name",
                                              ind->label, "category", m->categories[ind->category].id, "parent",
                                              ind->parent >= 0 ? m->indicators[ind->parent].id : NULL,
                                              "score", num_or_null(is->has, is->score),
                                              "rounded", rounded_or_null(is->has, is->score), "levels", levels));
    }
    json_t *prev = json_null();
    if (sc->has_previous)
        prev = json_pack("{s:I, s:s?, s:s?, s:o, s:o}", "id", (json_int_t)sc->previous.id, "period",
                         sc->previous.period, "status", sc->previous.status,
                         "total", num_or_null(sc->previous_score.has_total, sc->previous_score.total),
                         "rounded", rounded_or_null(sc->previous_score.has_total, sc->previous_score.total));
    json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "assessment", assessment_json(&sc->as),
                          "entity", entity_json(&sc->entity), "methodology", methodology_json(&sc->mrow, m),
                          "total", num_or_null(sc->score.has_total, sc->score.total),
                          "rounded", rounded_or_null(sc->score.has_total, sc->score.total),
                          "categories", cats, "indicators", inds, "previous", prev);
    if (o && include_answers) {
        json_t *ans = json_array();
        for (size_t i = 0; i < sc->n_answers; i++) {
            const store_as_answer *w = &sc->answers[i];
            json_array_append_new(ans, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:s?, s:s?}", "element", w->element,
                                                 "level", w->level, "value", w->value, "evidence_url", w->evidence_url,
                                                 "evidence_quote", w->evidence_quote, "evidence_document",
                                                 w->evidence_document, "note", w->note));
        }
        json_object_set_new(o, "answers", ans);
    }
    return o;
}

/* ---- CSV ---- */

static void csv_text(core_buf *b, const char *s)
{
    if (!s)
        s = "";
    int guard = s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r';
    int quote = guard || strpbrk(s, ",\"\r\n") != NULL;
    if (quote)
        core_buf_putc(b, '"');
    if (guard)
        core_buf_putc(b, '\'');
    for (const char *p = s; *p; p++) {
        if (*p == '"')
            core_buf_putc(b, '"');
        core_buf_putc(b, *p);
    }
    if (quote)
        core_buf_putc(b, '"');
}

static void csv_num(core_buf *b, int has, double v)
{
    if (has && isfinite(v))
        core_buf_printf(b, "%.6f", v);
}

static void csv_round(core_buf *b, int has, double v)
{
    if (has && isfinite(v))
        core_buf_printf(b, "%ld", asm_round_half_up(v));
}

int asm_scorecard_csv(const asm_scorecard *sc, int include_answers, core_buf *out)
{
    const asm_methodology *m = sc->m;
    core_buf_puts(out, "entity,period,methodology,version,type,id,name,level,score,rounded,previous,answer,evidence_url,note\r\n");
#define PREFIX()                                                                                              \
    do {                                                                                                      \
        csv_text(out, sc->entity.name);                                                                       \
        core_buf_putc(out, ',');                                                                              \
        csv_text(out, sc->as.period);                                                                         \
        core_buf_putc(out, ',');                                                                              \
        csv_text(out, sc->mrow.slug);                                                                         \
        core_buf_putc(out, ',');                                                                              \
        csv_text(out, sc->mrow.version);                                                                      \
        core_buf_putc(out, ',');                                                                              \
    } while (0)
    PREFIX();
    core_buf_puts(out, "total,total,Total,,");
    csv_num(out, sc->score.has_total, sc->score.total);
    core_buf_putc(out, ',');
    csv_round(out, sc->score.has_total, sc->score.total);
    core_buf_putc(out, ',');
    if (sc->has_previous)
        csv_num(out, sc->previous_score.has_total, sc->previous_score.total);
    core_buf_puts(out, ",,,\r\n");
    for (size_t i = 0; i < m->n_categories; i++) {
        PREFIX();
        core_buf_puts(out, "category,");
        csv_text(out, m->categories[i].id);
        core_buf_putc(out, ',');
        csv_text(out, m->categories[i].label);
        core_buf_puts(out, ",,");
        csv_num(out, sc->score.category_has[i], sc->score.categories[i]);
        core_buf_putc(out, ',');
        csv_round(out, sc->score.category_has[i], sc->score.categories[i]);
        core_buf_putc(out, ',');
        if (sc->has_previous) {
            int pi = asm_find_category(sc->previous_score.m, m->categories[i].id);
            if (pi >= 0)
                csv_num(out, sc->previous_score.category_has[pi], sc->previous_score.categories[pi]);
        }
        core_buf_puts(out, ",,,\r\n");
    }
    for (size_t i = 0; i < m->n_indicators; i++) {
        const asm_indicator_score *is = &sc->score.indicators[i];
        PREFIX();
        core_buf_puts(out, "indicator,");
        csv_text(out, m->indicators[i].id);
        core_buf_putc(out, ',');
        csv_text(out, m->indicators[i].label);
        core_buf_puts(out, ",,");
        csv_num(out, is->has, is->score);
        core_buf_putc(out, ',');
        csv_round(out, is->has, is->score);
        core_buf_putc(out, ',');
        if (sc->has_previous) {
            int pi = asm_find_indicator(sc->previous_score.m, m->indicators[i].id);
            if (pi >= 0)
                csv_num(out, sc->previous_score.indicators[pi].has, sc->previous_score.indicators[pi].score);
        }
        core_buf_puts(out, ",,,\r\n");
    }
    for (size_t i = 0; include_answers && i < sc->n_answers; i++) {
        const store_as_answer *w = &sc->answers[i];
        PREFIX();
        core_buf_puts(out, "answer,");
        csv_text(out, w->element);
        core_buf_puts(out, ",,");
        csv_text(out, w->level);
        core_buf_puts(out, ",,,,");
        csv_text(out, w->value);
        core_buf_putc(out, ',');
        csv_text(out, w->evidence_url);
        core_buf_putc(out, ',');
        csv_text(out, w->note);
        core_buf_puts(out, "\r\n");
    }
#undef PREFIX
    return out->data || out->len == 0 ? CORE_OK : CORE_NOMEM;
}

/* ---- ranking ---- */

static int rank_cmp(const void *x, const void *y)
{
    const asm_rank_row *p = x, *q = y;
    if (p->score.has_total != q->score.has_total)
        return q->score.has_total - p->score.has_total;
    if (p->score.has_total && p->score.total != q->score.total)
        return p->score.total < q->score.total ? 1 : -1;
    const char *pn = p->entity.name ? p->entity.name : "", *qn = q->entity.name ? q->entity.name : "";
    return strcmp(pn, qn);
}

int asm_wf_ranking(store *st, core_arena *a, const asm_actor *ac, int64_t org_id, int64_t methodology_id,
                   const char *period, int final_only, const asm_methodology **m,
                   asm_rank_row **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (ac) {
        if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
            return CORE_DENIED;
        org_id = ac->org_id;
    }
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = asm_wf_methodology_c(c, a, org_id, methodology_id, NULL, m);
    store_as_assessment *list = NULL;
    size_t nl = 0;
    if (rc == CORE_OK)
        rc = store_as_assessment_list(c, a, org_id, 0, methodology_id, &list, &nl);
    asm_rank_row *rows = NULL;
    if (rc == CORE_OK && nl && !(rows = core_arena_alloc(a, nl * sizeof *rows)))
        rc = CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; rc == CORE_OK && i < nl; i++) {
        const store_as_assessment *s = &list[i];
        if ((final_only && strcmp(s->status, "final") != 0) || (period && *period && strcmp(s->period, period) != 0))
            continue;
        size_t j = 0;                              /* the latest per entity */
        for (; j < k; j++)
            if (rows[j].as.entity_id == s->entity_id)
                break;
        if (j < k) {
            int cmp = strcmp(s->period, rows[j].as.period);
            if (cmp < 0 || (cmp == 0 && s->id < rows[j].as.id))
                continue;
        } else {
            k++;
        }
        rows[j].as = *s;
    }
    for (size_t i = 0; rc == CORE_OK && i < k; i++) {
        rc = store_as_entity_get(c, a, org_id, rows[i].as.entity_id, &rows[i].entity);
        if (rc == CORE_OK)
            rc = asm_wf_score_stored(c, a, org_id, &rows[i].as, &rows[i].entity, *m, NULL, NULL, &rows[i].score);
    }
    store_release(st, c);
    if (rc != CORE_OK)
        return rc;
    if (k)
        qsort(rows, k, sizeof *rows, rank_cmp);
    for (size_t i = 0; i < k; i++) {
        if (i > 0 && rows[i].score.has_total && rows[i - 1].score.has_total &&
            asm_round_half_up(rows[i].score.total) == asm_round_half_up(rows[i - 1].score.total))
            rows[i].rank = rows[i - 1].rank;
        else
            rows[i].rank = (int)i + 1;
    }
    *out = rows;
    *n = k;
    return CORE_OK;
}

json_t *asm_ranking_json(const asm_methodology *m, const asm_rank_row *rows, size_t n)
{
    json_t *cats = json_array();
    for (size_t i = 0; i < m->n_categories; i++)
        json_array_append_new(cats, json_pack("{s:s, s:s?}", "id", m->categories[i].id, "name", m->categories[i].label));
    json_t *items = json_array();
    for (size_t i = 0; i < n; i++) {
        const asm_rank_row *r = &rows[i];
        json_t *cs = json_object();
        for (size_t k = 0; k < m->n_categories; k++)
            json_object_set_new(cs, m->categories[k].id, num_or_null(r->score.category_has[k], r->score.categories[k]));
        json_array_append_new(items, json_pack("{s:i, s:I, s:o, s:s?, s:s?, s:o, s:o, s:o}", "rank", r->rank,
                                               "assessment_id", (json_int_t)r->as.id, "entity", entity_json(&r->entity),
                                               "period", r->as.period, "status", r->as.status,
                                               "total", num_or_null(r->score.has_total, r->score.total),
                                               "rounded", rounded_or_null(r->score.has_total, r->score.total),
                                               "categories", cs));
    }
    return json_pack("{s:{s:s?, s:s?, s:s?, s:s?}, s:o, s:o}", "methodology", "slug", m->id, "version", m->version,
                     "name", m->name, "attribution", m->attribution, "categories", cats, "items", items);
}

int asm_ranking_csv(const asm_methodology *m, const asm_rank_row *rows, size_t n, core_buf *out)
{
    core_buf_puts(out, "rank,entity,period,status,total,rounded");
    for (size_t k = 0; k < m->n_categories; k++) {
        core_buf_putc(out, ',');
        csv_text(out, m->categories[k].id);
    }
    core_buf_puts(out, "\r\n");
    for (size_t i = 0; i < n; i++) {
        const asm_rank_row *r = &rows[i];
        core_buf_printf(out, "%d,", r->rank);
        csv_text(out, r->entity.name);
        core_buf_putc(out, ',');
        csv_text(out, r->as.period);
        core_buf_putc(out, ',');
        csv_text(out, r->as.status);
        core_buf_putc(out, ',');
        csv_num(out, r->score.has_total, r->score.total);
        core_buf_putc(out, ',');
        csv_round(out, r->score.has_total, r->score.total);
        for (size_t k = 0; k < m->n_categories; k++) {
            core_buf_putc(out, ',');
            csv_num(out, r->score.category_has[k], r->score.categories[k]);
        }
        core_buf_puts(out, "\r\n");
    }
    return CORE_OK;
}

/* ---- two scorecards side by side ---- */

typedef struct cmp_row {
    const char *kind, *id, *name;
    int ha, hb;
    double va, vb;
} cmp_row;

/* Calls fn for the total, each category and each indicator of x, with y's
 * score of the same id. */
static void cmp_walk(const asm_scorecard *x, const asm_scorecard *y, void (*fn)(void *, const cmp_row *), void *ud)
{
    const asm_methodology *m = x->m, *my = y->m;
    cmp_row r = {"total", "total", "Total", x->score.has_total, y->score.has_total, x->score.total, y->score.total};
    fn(ud, &r);
    for (size_t i = 0; i < m->n_categories; i++) {
        int j = asm_find_category(my, m->categories[i].id);
        cmp_row c = {"category", m->categories[i].id, m->categories[i].label, x->score.category_has[i],
                     j >= 0 && y->score.category_has[j], x->score.categories[i], j >= 0 ? y->score.categories[j] : 0};
        fn(ud, &c);
    }
    for (size_t i = 0; i < m->n_indicators; i++) {
        int j = asm_find_indicator(my, m->indicators[i].id);
        cmp_row c = {"indicator", m->indicators[i].id, m->indicators[i].label, x->score.indicators[i].has,
                     j >= 0 && y->score.indicators[j].has, x->score.indicators[i].score,
                     j >= 0 ? y->score.indicators[j].score : 0};
        fn(ud, &c);
    }
}

static void cmp_json_row(void *ud, const cmp_row *r)
{
    json_array_append_new((json_t *)ud, json_pack("{s:s, s:s, s:s?, s:o, s:o, s:o}", "kind", r->kind, "id", r->id,
                                                  "name", r->name, "a", num_or_null(r->ha, r->va), "b",
                                                  num_or_null(r->hb, r->vb), "difference",
                                                  num_or_null(r->ha && r->hb, r->va - r->vb)));
}

json_t *asm_compare_json(const asm_scorecard *x, const asm_scorecard *y)
{
    json_t *rows = json_array();
    cmp_walk(x, y, cmp_json_row, rows);
    json_t *ja = json_pack("{s:I, s:o, s:s?, s:o}", "assessment_id", (json_int_t)x->as.id, "entity",
                           entity_json(&x->entity), "period", x->as.period,
                           "methodology", methodology_json(&x->mrow, x->m));
    json_t *jb = json_pack("{s:I, s:o, s:s?, s:o}", "assessment_id", (json_int_t)y->as.id, "entity",
                           entity_json(&y->entity), "period", y->as.period,
                           "methodology", methodology_json(&y->mrow, y->m));
    return json_pack("{s:o, s:o, s:o}", "a", ja, "b", jb, "rows", rows);
}

static void cmp_csv_row(void *ud, const cmp_row *r)
{
    core_buf *b = ud;
    csv_text(b, r->kind);
    core_buf_putc(b, ',');
    csv_text(b, r->id);
    core_buf_putc(b, ',');
    csv_text(b, r->name);
    core_buf_putc(b, ',');
    csv_num(b, r->ha, r->va);
    core_buf_putc(b, ',');
    csv_num(b, r->hb, r->vb);
    core_buf_putc(b, ',');
    csv_num(b, r->ha && r->hb, r->va - r->vb);
    core_buf_puts(b, "\r\n");
}

int asm_compare_csv(const asm_scorecard *x, const asm_scorecard *y, core_buf *out)
{
    core_buf_puts(out, "type,id,name,");
    csv_text(out, x->entity.name);
    core_buf_putc(out, ',');
    csv_text(out, y->entity.name);
    core_buf_puts(out, ",difference\r\n");
    cmp_walk(x, y, cmp_csv_row, out);
    return CORE_OK;
}

/* ---- element-level changes since the previous assessment ---- */

static int answer_cmp(const void *x, const void *y)
{
    const store_as_answer *p = x, *q = y;
    int c = strcmp(p->element, q->element);
    return c ? c : strcmp(p->level, q->level);
}

int asm_wf_changes(const asm_scorecard *sc, store *st, core_arena *a, asm_change **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!sc->has_previous)
        return CORE_OK;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    store_as_answer *prev = NULL;
    size_t np = 0;
    rc = store_as_answer_list(c, a, sc->as.org_id, sc->previous.id, &prev, &np);
    store_release(st, c);
    if (rc != CORE_OK)
        return rc;
    asm_change *ch = core_arena_alloc(a, (np + sc->n_answers + 1) * sizeof *ch);
    store_as_answer *cur = core_arena_alloc(a, (sc->n_answers + 1) * sizeof *cur);
    if (!ch || !cur)
        return CORE_NOMEM;
    if (sc->n_answers)
        memcpy(cur, sc->answers, sc->n_answers * sizeof *cur);
    /* bytewise order on both sides (the engines' collations may differ), then one merge pass */
    qsort(prev, np, sizeof *prev, answer_cmp);
    qsort(cur, sc->n_answers, sizeof *cur, answer_cmp);
    size_t k = 0, i = 0, j = 0;
    while (i < np || j < sc->n_answers) {
        int cmp = i >= np ? 1 : j >= sc->n_answers ? -1 : answer_cmp(&prev[i], &cur[j]);
        if (cmp < 0) {
            ch[k++] = (asm_change){prev[i].element, prev[i].level, prev[i].value, NULL, NULL};
            i++;
        } else if (cmp > 0) {
            ch[k++] = (asm_change){cur[j].element, cur[j].level, NULL, cur[j].value, cur[j].note};
            j++;
        } else {
            if (strcmp(prev[i].value, cur[j].value) != 0)
                ch[k++] = (asm_change){cur[j].element, cur[j].level, prev[i].value, cur[j].value, cur[j].note};
            i++;
            j++;
        }
    }
    *out = ch;
    *n = k;
    return CORE_OK;
}
