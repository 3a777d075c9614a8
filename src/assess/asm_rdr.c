/* asm_rdr: import of Ranking Digital Rights' published index data (the
 * layout of github.com/rankingdigitalrights/index<YEAR>: data/ and csv/).
 *
 * The year is found from the <YEAR>-company-specs.csv file name. The
 * methodology "rdr-<YEAR>" is built from the indicator and element specs
 * (categories G/F/P, sub-indicators under their parent by category and
 * number, scoring scope, exclusions by company kind and service kind,
 * reversed scoring), written as YAML with asm_write_yaml and read back
 * through the loader (so what is stored is what a file would give). Then
 * one entity per company (subkind telecom / internet from maintype; the
 * operating company and the services from the service specs), one final
 * assessment per company for period <YEAR>, and every element answer of
 * indicators/<ID>/elements.json, levels mapped Group -> "group",
 * Operating Company -> "opcom", services by name; values Yes / Partial /
 * No / No Disclosure Found / NA -> yes / partial / no / no_disclosure / na.
 * The 2020 element specs leave reversedScoring empty, but the answers'
 * own scores show which elements are reversed (a "Yes" scored 0 or a "No"
 * scored 100): such elements are marked reversed too. Likewise an
 * exclusion (by company kind or service kind) that the data contradicts
 * with a real answer is dropped (relax_exclusions).
 *
 * Everything runs in one transaction; a re-import of the same year
 * replaces that methodology version's assessments and answers.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "assess/asm_int.h"

typedef struct rctx {
    core_arena *a;
    const char *dir;
    int year;
    char *msg;
    size_t msg_len;
} rctx;

static int rfail(rctx *x, int rc, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int rfail(rctx *x, int rc, const char *fmt, ...)
{
    if (x->msg && x->msg_len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->msg, x->msg_len, fmt, ap);
        va_end(ap);
    }
    return rc;
}

static int find_year(rctx *x)
{
    DIR *d = opendir(x->dir);
    if (!d) return rfail(x, CORE_NOTFOUND, "%s: cannot open the directory", x->dir);
    struct dirent *e;
    int year = 0;
    while ((e = readdir(d)) != NULL) {
        const char *n = e->d_name;
        size_t l = strlen(n);
        static const char suf[] = "-company-specs.csv";
        if (l == 4 + sizeof suf - 1 && !strcmp(n + 4, suf)) {
            char *end = NULL;
            long y = strtol(n, &end, 10);
            if (end == n + 4 && y > 1900 && y < 3000 && (int)y > year) year = (int)y;
        }
    }
    closedir(d);
    if (!year) return rfail(x, CORE_INVALID, "%s: no <YEAR>-company-specs.csv", x->dir);
    x->year = year;
    return CORE_OK;
}

static int load_csv(rctx *x, const char *suffix, asm_csv *t)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%d-%s.csv", x->dir, x->year, suffix);
    char *text;
    size_t len;
    if (asm_read_file(x->a, path, &text, &len) != CORE_OK) return rfail(x, CORE_INVALID, "%s: cannot read", path);
    int rc = asm_csv_parse(x->a, text, len, t);
    if (rc != CORE_OK) return rc;
    if (t->nrows < 1) return rfail(x, CORE_INVALID, "%s: empty", path);
    return CORE_OK;
}

static int need_col(rctx *x, const asm_csv *t, const char *file, const char *name, int *col)
{
    *col = asm_csv_col(t, name);
    if (*col < 0) return rfail(x, CORE_INVALID, "%d-%s.csv: no column '%s'", x->year, file, name);
    return CORE_OK;
}

static int is_na(const char *s)
{
    return !s || !s[0] || !strcmp(s, "NA");
}

/* "pda | search | email" -> arena list */
static int split_bar(core_arena *a, const char *s, const char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (is_na(s)) return CORE_OK;
    size_t cap = 1;
    for (const char *p = s; *p; p++) cap += *p == '|';
    const char **arr = core_arena_alloc(a, cap * sizeof *arr);
    if (!arr) return CORE_NOMEM;
    const char *p = s;
    while (*p) {
        while (*p == ' ' || *p == '|') p++;
        const char *q = p;
        while (*q && *q != '|') q++;
        const char *r = q;
        while (r > p && r[-1] == ' ') r--;
        if (r > p) {
            arr[*n] = core_arena_strndup(a, p, (size_t)(r - p));
            if (!arr[*n]) return CORE_NOMEM;
            (*n)++;
        }
        p = q;
    }
    *out = arr;
    return CORE_OK;
}

static const char *cat_label(const char *id)
{
    if (!strcmp(id, "G")) return "Governance";
    if (!strcmp(id, "F")) return "Freedom of expression and information";
    if (!strcmp(id, "P")) return "Privacy";
    return id;
}

static const char *value_key(const char *v)
{
    if (!strcmp(v, "Yes")) return "yes";
    if (!strcmp(v, "Partial")) return "partial";
    if (!strcmp(v, "No")) return "no";
    if (!strcmp(v, "No Disclosure Found")) return "no_disclosure";
    if (!strcmp(v, "NA") || !strcmp(v, "N/A")) return "na";
    return NULL;
}

/* The in-memory import: methodology model (before YAML), companies, answers. */
typedef struct rcompany {
    const char *slug, *name, *subkind;
    int has_opcom;
    json_t *services;                /* [{"name","kind"}] */
    asm_answer *ans;
    size_t n_ans, cap_ans;
} rcompany;

typedef struct rdata {
    asm_methodology m;
    const char **spec_ids;           /* element-specs "Element" (G04b.01) per element */
    const char **ind_codes;          /* indicator-specs "Indicator" (G04b) per indicator */
    rcompany *co;
    size_t n_co;
} rdata;

static int build_model(rctx *x, rdata *d, const asm_csv *ind, const asm_csv *els, const asm_csv *exc)
{
    core_arena *a = x->a;
    asm_methodology *m = &d->m;
    int c_cat, c_ind, c_nr, c_suf, c_par, c_lab, c_long, c_desc, c_scope, rc;
    if ((rc = need_col(x, ind, "indicator-specs", "Category", &c_cat)) ||
        (rc = need_col(x, ind, "indicator-specs", "Indicator", &c_ind)) ||
        (rc = need_col(x, ind, "indicator-specs", "indicatorNr", &c_nr)) ||
        (rc = need_col(x, ind, "indicator-specs", "indicatorSuffix", &c_suf)) ||
        (rc = need_col(x, ind, "indicator-specs", "isParent", &c_par)) ||
        (rc = need_col(x, ind, "indicator-specs", "labelShort", &c_lab)) ||
        (rc = need_col(x, ind, "indicator-specs", "labelLong", &c_long)) ||
        (rc = need_col(x, ind, "indicator-specs", "description", &c_desc)) ||
        (rc = need_col(x, ind, "indicator-specs", "scoringScope", &c_scope)))
        return rc;
    size_t ni = ind->nrows - 1;
    m->categories = core_arena_alloc(a, (ni + 1) * sizeof *m->categories);
    m->indicators = core_arena_alloc(a, (ni + 1) * sizeof *m->indicators);
    d->ind_codes = core_arena_alloc(a, (ni + 1) * sizeof *d->ind_codes);
    if (!m->categories || !m->indicators || !d->ind_codes) return CORE_NOMEM;
    for (size_t r = 1; r < ind->nrows; r++) {
        const char *cat = asm_csv_get(ind, r, c_cat);
        int ci = asm_find_category(m, cat);
        if (ci < 0) {
            ci = (int)m->n_categories++;
            m->categories[ci].id = cat;
            m->categories[ci].label = cat_label(cat);
            m->categories[ci].weight = 1;
        }
        asm_indicator *in = &m->indicators[m->n_indicators];
        memset(in, 0, sizeof *in);
        in->id = asm_csv_get(ind, r, c_lab);
        in->label = asm_csv_get(ind, r, c_long);
        in->description = is_na(asm_csv_get(ind, r, c_desc)) ? NULL : asm_csv_get(ind, r, c_desc);
        in->category = ci;
        in->parent = -1;
        in->weight = 1;
        const char *scope = asm_csv_get(ind, r, c_scope);
        in->scope = !strcmp(scope, "full") ? ASM_SCOPE_FULL : !strcmp(scope, "services") ? ASM_SCOPE_SERVICES
                                                                                         : ASM_SCOPE_ENTITY;
        if (!is_na(asm_csv_get(ind, r, c_suf))) {   /* sub-indicator: parent = same category and number */
            for (size_t k = 0; k < m->n_indicators; k++) {
                size_t pr = 0;
                for (size_t rr = 1; rr < ind->nrows; rr++)
                    if (!strcmp(asm_csv_get(ind, rr, c_lab), m->indicators[k].id)) pr = rr;
                if (pr && !strcmp(asm_csv_get(ind, pr, c_par), "TRUE") && m->indicators[k].category == ci &&
                    !strcmp(asm_csv_get(ind, pr, c_nr), asm_csv_get(ind, r, c_nr)))
                    in->parent = (int)k;
            }
            if (in->parent < 0)
                return rfail(x, CORE_INVALID, "%d-indicator-specs.csv: sub-indicator %s has no parent row before it",
                             x->year, in->id);
        }
        d->ind_codes[m->n_indicators] = asm_csv_get(ind, r, c_ind);
        if (asm_find_indicator(m, in->id) >= 0)
            return rfail(x, CORE_INVALID, "%d-indicator-specs.csv: duplicate indicator %s", x->year, in->id);
        m->n_indicators++;
    }
    /* exclusions by company kind */
    int c_ei, c_ex;
    if ((rc = need_col(x, exc, "indicator-excludes", "Indicator", &c_ei)) ||
        (rc = need_col(x, exc, "indicator-excludes", "exclude", &c_ex)))
        return rc;
    for (size_t r = 1; r < exc->nrows; r++) {
        const char *code = asm_csv_get(exc, r, c_ei);
        size_t k = 0;
        while (k < m->n_indicators && strcmp(d->ind_codes[k], code)) k++;
        if (k == m->n_indicators)
            return rfail(x, CORE_INVALID, "%d-indicator-excludes.csv: unknown indicator %s", x->year, code);
        asm_indicator *in = &m->indicators[k];
        const char **nl = core_arena_alloc(a, (in->n_exclude_kinds + 1) * sizeof *nl);
        if (!nl) return CORE_NOMEM;
        if (in->n_exclude_kinds) memcpy(nl, in->exclude_kinds, in->n_exclude_kinds * sizeof *nl);
        nl[in->n_exclude_kinds++] = asm_csv_get(exc, r, c_ex);
        in->exclude_kinds = nl;
    }
    /* elements */
    int e_ind, e_el, e_lab, e_desc, e_dxc, e_xc, e_dxs, e_xs, e_rev;
    if ((rc = need_col(x, els, "element-specs", "Indicator", &e_ind)) ||
        (rc = need_col(x, els, "element-specs", "Element", &e_el)) ||
        (rc = need_col(x, els, "element-specs", "labelShort", &e_lab)) ||
        (rc = need_col(x, els, "element-specs", "description", &e_desc)) ||
        (rc = need_col(x, els, "element-specs", "doExcludeCompanies", &e_dxc)) ||
        (rc = need_col(x, els, "element-specs", "excludedCompanies", &e_xc)) ||
        (rc = need_col(x, els, "element-specs", "doExcludeServices", &e_dxs)) ||
        (rc = need_col(x, els, "element-specs", "excludedServices", &e_xs)) ||
        (rc = need_col(x, els, "element-specs", "reversedScoring", &e_rev)))
        return rc;
    size_t ne = els->nrows - 1;
    m->elements = core_arena_alloc(a, (ne + 1) * sizeof *m->elements);
    d->spec_ids = core_arena_alloc(a, (ne + 1) * sizeof *d->spec_ids);
    if (!m->elements || !d->spec_ids) return CORE_NOMEM;
    for (size_t r = 1; r < els->nrows; r++) {
        const char *code = asm_csv_get(els, r, e_ind);
        size_t k = 0;
        while (k < m->n_indicators && strcmp(d->ind_codes[k], code)) k++;
        if (k == m->n_indicators)
            return rfail(x, CORE_INVALID, "%d-element-specs.csv: element %s names unknown indicator %s", x->year,
                         asm_csv_get(els, r, e_el), code);
        asm_element *el = &m->elements[m->n_elements];
        memset(el, 0, sizeof *el);
        el->id = asm_csv_get(els, r, e_lab);
        el->text = asm_csv_get(els, r, e_desc);
        el->indicator = (int)k;
        el->weight = 1;
        el->reversed = !strcmp(asm_csv_get(els, r, e_rev), "TRUE");
        if (!strcmp(asm_csv_get(els, r, e_dxc), "TRUE") &&
            (rc = split_bar(a, asm_csv_get(els, r, e_xc), &el->exclude_kinds, &el->n_exclude_kinds)))
            return rc;
        if (!strcmp(asm_csv_get(els, r, e_dxs), "TRUE") &&
            (rc = split_bar(a, asm_csv_get(els, r, e_xs), &el->exclude_services, &el->n_exclude_services)))
            return rc;
        d->spec_ids[m->n_elements] = asm_csv_get(els, r, e_el);
        m->n_elements++;
    }
    /* children / element links (the loader's fill_links, for the writer) */
    for (size_t k = 0; k < m->n_indicators; k++) {
        asm_indicator *in = &m->indicators[k];
        in->children = core_arena_alloc(a, (m->n_indicators + 1) * sizeof(int));
        in->elements = core_arena_alloc(a, (m->n_elements + 1) * sizeof(int));
        if (!in->children || !in->elements) return CORE_NOMEM;
    }
    for (size_t k = 0; k < m->n_indicators; k++)
        if (m->indicators[k].parent >= 0) {
            asm_indicator *p = &m->indicators[m->indicators[k].parent];
            p->children[p->n_children++] = (int)k;
        }
    for (size_t e = 0; e < m->n_elements; e++) {
        asm_indicator *in = &m->indicators[m->elements[e].indicator];
        in->elements[in->n_elements++] = (int)e;
    }
    for (size_t k = 0; k < m->n_indicators; k++) {
        const asm_indicator *in = &m->indicators[k];
        if (!in->n_children && !in->n_elements)
            return rfail(x, CORE_INVALID, "indicator %s has neither elements nor sub-indicators", in->id);
        if (in->n_children && in->n_elements)
            return rfail(x, CORE_INVALID, "indicator %s has both elements and sub-indicators", in->id);
    }
    return asm_index_build(a, m);
}

static int build_companies(rctx *x, rdata *d, const asm_csv *cos, const asm_csv *svc)
{
    int c_co, c_clean, c_main, s_clean, s_class, s_label, rc;
    if ((rc = need_col(x, cos, "company-specs", "company", &c_co)) ||
        (rc = need_col(x, cos, "company-specs", "companyClean", &c_clean)) ||
        (rc = need_col(x, cos, "company-specs", "maintype", &c_main)) ||
        (rc = need_col(x, svc, "service-specs", "CompanyClean", &s_clean)) ||
        (rc = need_col(x, svc, "service-specs", "Class", &s_class)) ||
        (rc = need_col(x, svc, "service-specs", "Label", &s_label)))
        return rc;
    d->co = core_arena_alloc(x->a, cos->nrows * sizeof *d->co);
    if (!d->co) return CORE_NOMEM;
    for (size_t r = 1; r < cos->nrows; r++) {
        rcompany *co = &d->co[d->n_co++];
        co->slug = asm_csv_get(cos, r, c_clean);
        co->name = asm_csv_get(cos, r, c_co);
        const char *mt = asm_csv_get(cos, r, c_main);
        co->subkind = !strcmp(mt, "telcos") || !strcmp(mt, "telecom") ? "telecom" : "internet";
        co->services = json_array();
        if (!co->services) return CORE_NOMEM;
        for (size_t s = 1; s < svc->nrows; s++) {
            if (strcmp(asm_csv_get(svc, s, s_clean), co->slug)) continue;
            const char *cls = asm_csv_get(svc, s, s_class), *label = asm_csv_get(svc, s, s_label);
            if (!strcmp(cls, "Group")) continue;
            if (!strcmp(cls, "OpCom")) {
                if (!is_na(label)) co->has_opcom = 1;
                continue;
            }
            json_array_append_new(co->services, json_pack("{s:s, s:s}", "name", label, "kind", cls));
        }
    }
    return CORE_OK;
}

static rcompany *company(rdata *d, const char *slug)
{
    for (size_t i = 0; i < d->n_co; i++)
        if (!strcmp(d->co[i].slug, slug)) return &d->co[i];
    return NULL;
}

/* indicators/<ID>/elements.json for every leaf indicator. */
static int read_answers(rctx *x, rdata *d, size_t *n_answers)
{
    asm_methodology *m = &d->m;
    for (size_t k = 0; k < m->n_indicators; k++) {
        const asm_indicator *in = &m->indicators[k];
        if (in->n_children) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/indicators/%s/elements.json", x->dir, in->id);
        json_error_t je;
        json_t *root = json_load_file(path, 0, &je);
        if (!root) return rfail(x, CORE_INVALID, "%s:%d:%d: %s", path, je.line, je.column, je.text);
        const char *cslug;
        json_t *levels;
        int rc = CORE_OK;
        json_object_foreach(root, cslug, levels) {
            rcompany *co = company(d, cslug);
            if (!co) {
                rc = rfail(x, CORE_INVALID, "%s: unknown company '%s'", path, cslug);
                break;
            }
            const char *lname;
            json_t *list;
            json_object_foreach(levels, lname, list) {
                const char *level = !strcmp(lname, "Group") ? ASM_LEVEL_GROUP
                                    : !strcmp(lname, "Operating Company") ? ASM_LEVEL_OPCOM : lname;
                size_t i;
                json_t *e;
                json_array_foreach(list, i, e) {
                    const char *name = json_string_value(json_object_get(e, "name"));
                    const char *val = json_string_value(json_object_get(e, "value"));
                    json_t *score = json_object_get(e, "score");
                    const char *key = val ? value_key(val) : NULL;
                    size_t el = m->n_elements;
                    for (size_t q = 0; name && q < in->n_elements; q++)
                        if (!strcmp(d->spec_ids[in->elements[q]], name)) el = (size_t)in->elements[q];
                    if (el == m->n_elements) {
                        rc = rfail(x, CORE_INVALID, "%s: %s/%s: unknown element '%s'", path, cslug, lname,
                                   name ? name : "(none)");
                        break;
                    }
                    if (!key) {
                        rc = rfail(x, CORE_INVALID, "%s: %s/%s/%s: unknown value '%s'", path, cslug, lname, name,
                                   val ? val : "(none)");
                        break;
                    }
                    /* the data's own scores reveal reversed elements */
                    if (json_is_number(score) && ((!strcmp(key, "yes") && json_number_value(score) == 0) ||
                                                  (!strcmp(key, "no") && json_number_value(score) == 100)))
                        m->elements[el].reversed = 1;
                    if (co->n_ans == co->cap_ans) {
                        size_t nc = co->cap_ans ? co->cap_ans * 2 : 1024;
                        asm_answer *na = core_arena_alloc(x->a, nc * sizeof *na);
                        if (!na) {
                            rc = CORE_NOMEM;
                            break;
                        }
                        if (co->n_ans) memcpy(na, co->ans, co->n_ans * sizeof *na);
                        co->ans = na;
                        co->cap_ans = nc;
                    }
                    asm_answer *an = &co->ans[co->n_ans++];
                    an->element = m->elements[el].id;
                    an->level = core_arena_strdup(x->a, level);
                    an->value = key;
                    if (!an->level) rc = CORE_NOMEM;
                    (*n_answers)++;
                    if (rc != CORE_OK) break;
                }
                if (rc != CORE_OK) break;
            }
            if (rc != CORE_OK) break;
        }
        json_decref(root);
        if (rc != CORE_OK) return rc;
    }
    return CORE_OK;
}

/* RDR's element specs list service kinds (and company kinds) an element does
 * not apply to, but where the published data holds a real answer for such a
 * level, RDR scored it (2020: P14.5, P14.6 and P14.9 for fixed-line
 * broadband). The data is authoritative: such a kind is dropped from the
 * element's exclusion list. Returns how many (element, kind) pairs. */
static size_t drop(const char **v, size_t *n, const char *k)
{
    for (size_t i = 0; i < *n; i++)
        if (!strcmp(v[i], k)) {
            v[i] = v[--*n];
            return 1;
        }
    return 0;
}

static size_t relax_exclusions(rdata *d)
{
    asm_methodology *m = &d->m;
    size_t relaxed = 0;
    for (size_t i = 0; i < d->n_co; i++) {
        const rcompany *co = &d->co[i];
        for (size_t k = 0; k < co->n_ans; k++) {
            const asm_answer *an = &co->ans[k];
            if (!strcmp(an->value, "na")) continue;
            int e = asm_find_element(m, an->element);
            if (e < 0) continue;
            asm_element *el = &m->elements[e];
            relaxed += drop(el->exclude_kinds, &el->n_exclude_kinds, co->subkind);
            if (!el->n_exclude_services) continue;
            size_t j;
            json_t *sv;
            json_array_foreach(co->services, j, sv) {
                const char *name = json_string_value(json_object_get(sv, "name"));
                const char *kind = json_string_value(json_object_get(sv, "kind"));
                if (name && kind && !strcmp(name, an->level))
                    relaxed += drop(el->exclude_services, &el->n_exclude_services, kind);
            }
        }
    }
    return relaxed;
}

static int store_all(store_conn *c, rctx *x, rdata *d, int64_t org_id, const char *yaml, asm_rdr_stats *st)
{
    core_arena *a = x->a;
    store_as_methodology row;
    int rc = store_as_methodology_find(c, a, org_id, d->m.id, d->m.version, &row);
    if (rc == CORE_NOTFOUND) {
        memset(&row, 0, sizeof row);
        row.org_id = org_id;
        row.slug = d->m.id;
        row.version = d->m.version;
        row.name = d->m.name;
        row.source_format = "yaml";
        row.source = yaml;
        rc = store_as_methodology_create(c, &row);
    } else if (rc == CORE_OK) {
        store_as_assessment *old;
        size_t n_old;
        rc = store_as_assessment_list(c, a, org_id, 0, row.id, &old, &n_old);
        for (size_t i = 0; rc == CORE_OK && i < n_old; i++) rc = store_as_assessment_delete(c, org_id, old[i].id);
    }
    if (rc != CORE_OK) return rfail(x, rc, "storing the methodology: %s", store_errmsg(c));
    char period[16];
    snprintf(period, sizeof period, "%d", x->year);
    for (size_t i = 0; i < d->n_co; i++) {
        rcompany *co = &d->co[i];
        json_t *attr = json_pack("{s:s, s:b, s:O}", "subkind", co->subkind, "opcom", co->has_opcom, "services",
                                 co->services);
        char *attr_s = attr ? json_dumps(attr, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
        json_decref(attr);
        if (!attr_s) return CORE_NOMEM;
        store_as_entity ent;
        rc = store_as_entity_get_by_slug(c, a, org_id, co->slug, &ent);
        if (rc == CORE_OK) {
            ent.kind = "company";
            ent.name = co->name;
            ent.attributes = core_arena_strdup(a, attr_s);
            rc = ent.attributes ? store_as_entity_update(c, &ent) : CORE_NOMEM;
        } else if (rc == CORE_NOTFOUND) {
            memset(&ent, 0, sizeof ent);
            ent.org_id = org_id;
            ent.kind = "company";
            ent.slug = co->slug;
            ent.name = co->name;
            ent.attributes = attr_s;
            rc = store_as_entity_create(c, &ent);
        }
        free(attr_s);
        if (rc != CORE_OK) return rfail(x, rc, "storing company %s: %s", co->slug, store_errmsg(c));
        store_as_assessment as = {.org_id = org_id, .entity_id = ent.id, .methodology_id = row.id,
                                  .period = period, .status = "final",
                                  .summary = "Imported from Ranking Digital Rights' published data (CC BY 4.0)."};
        if ((rc = store_as_assessment_create(c, &as)) != CORE_OK)
            return rfail(x, rc, "storing the assessment of %s: %s", co->slug, store_errmsg(c));
        int64_t now = (int64_t)time(NULL);
        for (size_t k = 0; k < co->n_ans; k++) {
            store_as_answer w = {.org_id = org_id, .assessment_id = as.id, .element = co->ans[k].element,
                                 .level = co->ans[k].level, .value = co->ans[k].value, .updated_at = now};
            if ((rc = store_as_answer_put(c, &w)) != CORE_OK)
                return rfail(x, rc, "storing an answer of %s: %s", co->slug, store_errmsg(c));
            st->answers++;
        }
        st->companies++;
    }
    return CORE_OK;
}

static asm_choice rdr_choices[] = {
    {"yes", "Yes (full disclosure)", 100, 0, 0},
    {"partial", "Partial", 50, 50, 0},
    {"no", "No", 0, 100, 0},
    {"no_disclosure", "No disclosure found", 0, 0, 0},
    {"na", "Not applicable", 0, 0, 1},
};

int asm_rdr_import(store_conn *c, core_arena *a, int64_t org_id, const char *dir, asm_rdr_stats *st, char *msg,
                   size_t msg_len)
{
    rctx x = {.a = a, .dir = dir, .msg = msg, .msg_len = msg_len};
    asm_rdr_stats scratch;
    if (!st) st = &scratch;
    memset(st, 0, sizeof *st);
    if (msg && msg_len) msg[0] = '\0';
    int rc = find_year(&x);
    if (rc != CORE_OK) return rc;
    asm_csv cos, svc, els, ind, exc;
    if ((rc = load_csv(&x, "company-specs", &cos)) || (rc = load_csv(&x, "service-specs", &svc)) ||
        (rc = load_csv(&x, "element-specs", &els)) || (rc = load_csv(&x, "indicator-specs", &ind)) ||
        (rc = load_csv(&x, "indicator-excludes", &exc)))
        return rc;
    rdata d;
    memset(&d, 0, sizeof d);
    static asm_scale scale = {"rdr", "Disclosure", rdr_choices, sizeof rdr_choices / sizeof rdr_choices[0], 100};
    static const char *kinds[] = {"company"};
    d.m.scales = &scale;
    d.m.n_scales = 1;
    d.m.id = core_arena_printf(a, "rdr-%d", x.year);
    d.m.version = core_arena_printf(a, "%d", x.year);
    d.m.name = core_arena_printf(a, "Ranking Digital Rights Corporate Accountability Index %d (imported)", x.year);
    d.m.description = "Built by hrdd assess import-rdr from the published indicator, element and company specs.";
    d.m.attribution = "Ranking Digital Rights (rankingdigitalrights.org), CC BY 4.0";
    d.m.entity_kinds = kinds;
    d.m.n_entity_kinds = 1;
    d.m.has_levels = 1;
    d.m.total_mode = ASM_TOTAL_INDICATORS;
    if (!d.m.id || !d.m.version || !d.m.name) return CORE_NOMEM;
    if ((rc = build_model(&x, &d, &ind, &els, &exc)) || (rc = build_companies(&x, &d, &cos, &svc)))
        goto out;
    if ((rc = read_answers(&x, &d, &st->answers)) != CORE_OK) goto out;
    st->answers = 0;
    st->exclusions_relaxed = relax_exclusions(&d);
    core_buf y;
    core_buf_init(&y);
    rc = asm_write_yaml(&d.m, &y);
    asm_methodology *check = NULL;
    asm_error err;
    if (rc == CORE_OK && (rc = asm_load_yaml(a, d.m.id, core_buf_cstr(&y), y.len, &check, &err)) != CORE_OK) {
        char b[600];
        asm_error_format(&err, b, sizeof b);
        rfail(&x, rc, "the generated methodology does not load: %s", b);
    }
    char *yaml = rc == CORE_OK ? core_arena_strndup(a, core_buf_cstr(&y), y.len) : NULL;
    core_buf_cleanup(&y);
    if (rc != CORE_OK) goto out;
    if (!yaml) {
        rc = CORE_NOMEM;
        goto out;
    }
    if ((rc = store_begin(c)) != CORE_OK) goto out;
    rc = store_all(c, &x, &d, org_id, yaml, st);
    if (rc == CORE_OK) rc = store_commit(c);
    else store_rollback(c);
    if (rc != CORE_OK) goto out;
    st->methodology = d.m.id;
    st->version = d.m.version;
    st->year = x.year;
    st->indicators = d.m.n_indicators;
    st->elements = d.m.n_elements;
out:
    for (size_t i = 0; i < d.n_co; i++) json_decref(d.co[i].services);
    return rc;
}
