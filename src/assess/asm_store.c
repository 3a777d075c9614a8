/* asm_store: the glue between stored assessments and the pure engine:
 * an entity row's attributes JSON -> asm_subject, a methodology row's YAML
 * -> asm_methodology, and one stored assessment scored end to end.
 */
#include <stdio.h>
#include <string.h>

#include "assess/asm_int.h"

int asm_subject_from_entity(core_arena *a, const store_as_entity *e, asm_subject *out)
{
    memset(out, 0, sizeof *out);
    out->id = e->slug;
    out->kind = e->kind;
    json_error_t je;
    json_t *j = json_loads(e->attributes ? e->attributes : "{}", 0, &je);
    if (!j || !json_is_object(j)) {
        json_decref(j);
        return CORE_INVALID;
    }
    int rc = CORE_OK;
    const char *sk = json_string_value(json_object_get(j, "subkind"));
    if (sk && !(out->subkind = core_arena_strdup(a, sk))) rc = CORE_NOMEM;
    out->has_opcom = json_is_true(json_object_get(j, "opcom"));
    json_t *svc = json_object_get(j, "services");
    size_t n = json_is_array(svc) ? json_array_size(svc) : 0;
    if (rc == CORE_OK && n) {
        asm_service *s = core_arena_alloc(a, n * sizeof *s);
        if (!s) rc = CORE_NOMEM;
        for (size_t i = 0; rc == CORE_OK && i < n; i++) {
            json_t *it = json_array_get(svc, i);
            const char *name = json_string_value(json_object_get(it, "name"));
            const char *kind = json_string_value(json_object_get(it, "kind"));
            if (!name) continue;
            s[out->n_services].name = core_arena_strdup(a, name);
            s[out->n_services].kind = kind ? core_arena_strdup(a, kind) : NULL;
            if (!s[out->n_services].name) rc = CORE_NOMEM;
            out->n_services++;
        }
        out->services = s;
    }
    json_decref(j);
    return rc;
}

int asm_methodology_from_row(core_arena *a, const store_as_methodology *row, asm_methodology **out, asm_error *err)
{
    if (!row->source) {
        asm_err_set(err, row->slug, 0, 0, "methodology row has no source");
        return CORE_INVALID;
    }
    char name[200];
    snprintf(name, sizeof name, "%s@%s", row->slug, row->version);
    return asm_load_yaml(a, name, row->source, strlen(row->source), out, err);
}

int asm_score_assessment(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id,
                         const asm_methodology **m_out, asm_score *out)
{
    store_as_assessment as;
    store_as_methodology row;
    store_as_entity ent;
    int rc;
    if ((rc = store_as_assessment_get(c, a, org_id, assessment_id, &as)) ||
        (rc = store_as_methodology_get(c, a, org_id, as.methodology_id, &row)) ||
        (rc = store_as_entity_get(c, a, org_id, as.entity_id, &ent)))
        return rc;
    asm_methodology *m;
    asm_error err;
    if ((rc = asm_methodology_from_row(a, &row, &m, &err)) != CORE_OK) return rc;
    asm_subject subj;
    if ((rc = asm_subject_from_entity(a, &ent, &subj)) != CORE_OK) return rc;
    store_as_answer *ans;
    size_t n;
    if ((rc = store_as_answer_list(c, a, org_id, assessment_id, &ans, &n)) != CORE_OK) return rc;
    asm_answer *v = core_arena_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v) return CORE_NOMEM;
    for (size_t i = 0; i < n; i++) {
        v[i].element = ans[i].element;
        v[i].level = ans[i].level;
        v[i].value = ans[i].value;
    }
    if (m_out) *m_out = m;
    return asm_score_entity(a, m, &subj, v, n, out);
}
