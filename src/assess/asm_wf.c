/* asm_wf: the assessment workflow service (assess-app part of assess.h):
 * methodology versions (shipped ones stored on first use, parsed once per
 * process), entities, assessments, answers with evidence, and the review
 * workflow answered -> reviewed -> final by two different people.
 *
 * Each call takes its own connection; every change is one transaction with
 * one audit entry (digest-free: the object type, id and action say what
 * happened, never an answer's content). Permissions are checked here as well
 * as at the routes, so the CLI and other callers get the same rules.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "assess/asm_wf_internal.h"

/* ---- helpers shared by the workflow files ---- */

void asm_wf_seterr(asm_wf_error *err, const char *field, const char *key, const char *reason)
{
    if (!err)
        return;
    snprintf(err->field, sizeof err->field, "%s", field ? field : "");
    snprintf(err->reason, sizeof err->reason, "%s", reason ? reason : "");
    err->key = key;
}

int asm_wf_allowed(const asm_actor *ac, core_perm perm)
{
    return ac && core_authz_allows(ac->role, perm);
}

int asm_wf_conn(store *st, store_conn **c)
{
    return st ? store_acquire(st, c) : CORE_ERR;
}

int asm_wf_audit(store_conn *c, core_arena *a, const asm_actor *ac, const char *type, int64_t id,
                 const char *action)
{
    store_audit_entry e;
    memset(&e, 0, sizeof e);
    e.at = (int64_t)time(NULL);
    e.org_id = ac->org_id;
    e.actor_user_id = ac->user_id;
    e.actor = ac->label ? ac->label : (ac->user_id ? core_arena_printf(a, "user:%lld", (long long)ac->user_id) : "cli");
    e.object_type = type;
    e.object_id = core_arena_printf(a, "%lld", (long long)id);
    e.action = action;
    if (!e.actor || !e.object_id)
        return CORE_NOMEM;
    return store_audit_append(c, a, &e);
}

/* commit (or roll back on failure) and release */
int asm_wf_finish(store *st, store_conn *c, int rc)
{
    if (rc == CORE_OK)
        rc = store_commit(c);
    if (rc != CORE_OK)
        store_rollback(c);
    store_release(st, c);
    return rc;
}

/* ---- methodology cache: rows are immutable (slug + version unique), so a
 * parsed model can be shared by every thread for the process lifetime. ---- */

#define CACHE_MAX 64

typedef struct cache_entry {
    int64_t org_id, id;
    core_arena arena;
    asm_methodology *m;
} cache_entry;

static cache_entry cache[CACHE_MAX];
static size_t cache_n;
static pthread_mutex_t cache_mu = PTHREAD_MUTEX_INITIALIZER;

static const asm_methodology *cache_get(int64_t org_id, int64_t id)
{
    const asm_methodology *m = NULL;
    pthread_mutex_lock(&cache_mu);
    for (size_t i = 0; i < cache_n; i++)
        if (cache[i].org_id == org_id && cache[i].id == id) {
            m = cache[i].m;
            break;
        }
    pthread_mutex_unlock(&cache_mu);
    return m;
}

/* Parses row into the cache (or into a when the cache is full). */
static int cache_put(core_arena *a, const store_as_methodology *row, const asm_methodology **out)
{
    const asm_methodology *hit = cache_get(row->org_id, row->id);
    if (hit) {
        *out = hit;
        return CORE_OK;
    }
    core_arena own;
    core_arena_init(&own);
    asm_methodology *m = NULL;
    asm_error err;
    int rc = asm_methodology_from_row(&own, row, &m, &err);
    if (rc != CORE_OK) {
        core_arena_cleanup(&own);
        return rc == CORE_NOMEM ? rc : CORE_ERR;
    }
    pthread_mutex_lock(&cache_mu);
    for (size_t i = 0; i < cache_n; i++)
        if (cache[i].org_id == row->org_id && cache[i].id == row->id) {
            *out = cache[i].m;                 /* another thread won the race */
            pthread_mutex_unlock(&cache_mu);
            core_arena_cleanup(&own);
            return CORE_OK;
        }
    if (cache_n < CACHE_MAX) {
        cache[cache_n].org_id = row->org_id;
        cache[cache_n].id = row->id;
        cache[cache_n].arena = own;
        cache[cache_n].m = m;
        *out = m;
        cache_n++;
        pthread_mutex_unlock(&cache_mu);
        return CORE_OK;
    }
    pthread_mutex_unlock(&cache_mu);
    core_arena_cleanup(&own);
    /* cache full: parse into the caller's arena */
    rc = asm_methodology_from_row(a, row, &m, &err);
    if (rc == CORE_OK)
        *out = m;
    return rc == CORE_OK || rc == CORE_NOMEM ? rc : CORE_ERR;
}

/* Releases the cache at exit (keeps leak checkers quiet). */
__attribute__((destructor)) static void cache_free(void)
{
    pthread_mutex_lock(&cache_mu);
    for (size_t i = 0; i < cache_n; i++)
        core_arena_cleanup(&cache[i].arena);
    cache_n = 0;
    pthread_mutex_unlock(&cache_mu);
}

int asm_wf_methodology_c(store_conn *c, core_arena *a, int64_t org_id, int64_t id,
                         store_as_methodology *row, const asm_methodology **m)
{
    store_as_methodology r;
    int rc = store_as_methodology_get(c, a, org_id, id, &r);
    if (rc != CORE_OK)
        return rc;
    if (row)
        *row = r;
    return cache_put(a, &r, m);
}

int asm_wf_methodology(store *st, core_arena *a, const asm_actor *ac, int64_t id,
                       store_as_methodology *row, const asm_methodology **m)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = asm_wf_methodology_c(c, a, ac->org_id, id, row, m);
    store_release(st, c);
    return rc;
}

int asm_wf_methodology_resolve(store_conn *c, core_arena *a, int64_t org_id, const char *slug,
                               const char *version, int install, store_as_methodology *row)
{
    if (!slug || !*slug)
        return CORE_INVALID;
    int rc = store_as_methodology_find(c, a, org_id, slug, version, row);
    if (rc != CORE_NOTFOUND || !install)
        return rc;
    const asm_shipped *sh = asm_shipped_find(slug);
    if (!sh)
        return CORE_NOTFOUND;
    asm_methodology *m = NULL;
    asm_error err;
    rc = asm_shipped_load(a, slug, &m, &err);
    if (rc != CORE_OK)
        return rc == CORE_NOMEM ? rc : CORE_ERR;
    if (version && strcmp(version, m->version) != 0)
        return CORE_NOTFOUND;
    memset(row, 0, sizeof *row);
    row->org_id = org_id;
    row->slug = m->id;
    row->version = m->version;
    row->name = m->name;
    row->source_format = "yaml";
    row->source = core_arena_strndup(a, sh->yaml, sh->len);
    if (!row->source)
        return CORE_NOMEM;
    return store_as_methodology_create(c, row);
}

static char *join_kinds(core_arena *a, const asm_methodology *m)
{
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; i < m->n_entity_kinds; i++) {
        if (i)
            core_buf_putc(&b, ' ');
        core_buf_puts(&b, m->entity_kinds[i]);
    }
    char *s = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s;
}

int asm_wf_methodologies(store *st, core_arena *a, const asm_actor *ac, asm_meth_info **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    store_as_methodology *rows = NULL;
    size_t nrows = 0;
    store_as_assessment *as = NULL;
    size_t nas = 0;
    rc = store_as_methodology_list(c, a, ac->org_id, &rows, &nrows);
    if (rc == CORE_OK)
        rc = store_as_assessment_list(c, a, ac->org_id, 0, 0, &as, &nas);
    size_t nship = asm_shipped_count();
    asm_meth_info *res = rc == CORE_OK ? core_arena_alloc(a, (nrows + nship + 1) * sizeof *res) : NULL;
    if (rc == CORE_OK && !res)
        rc = CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; rc == CORE_OK && i < nrows; i++) {
        asm_meth_info *mi = &res[k++];
        mi->id = rows[i].id;
        mi->slug = rows[i].slug;
        mi->version = rows[i].version;
        mi->name = rows[i].name;
        for (size_t j = 0; j < nas; j++)
            mi->n_assessments += as[j].methodology_id == rows[i].id;
        const asm_methodology *m = NULL;
        if (asm_wf_methodology_c(c, a, ac->org_id, rows[i].id, NULL, &m) == CORE_OK) {
            mi->description = m->description;
            mi->entity_kinds = join_kinds(a, m);
        }
    }
    for (size_t i = 0; rc == CORE_OK && i < nship; i++) {
        const asm_shipped *sh = asm_shipped_at(i);
        int stored = 0;
        for (size_t j = 0; j < nrows; j++)
            stored |= strcmp(rows[j].slug, sh->id) == 0;
        if (stored)
            continue;
        asm_methodology *m = NULL;
        asm_error err;
        if (asm_shipped_load(a, sh->id, &m, &err) != CORE_OK)
            continue;
        asm_meth_info *mi = &res[k++];
        mi->slug = m->id;
        mi->version = m->version;
        mi->name = m->name;
        mi->description = m->description;
        mi->entity_kinds = join_kinds(a, m);
    }
    store_release(st, c);
    if (rc == CORE_OK) {
        *out = res;
        *n = k;
    }
    return rc;
}

/* ---- entities ---- */

int asm_wf_entity_kind_valid(const char *kind)
{
    static const char *const K[] = {"company", "mechanism", "proposal", "supplier"};
    for (size_t i = 0; kind && i < sizeof K / sizeof K[0]; i++)
        if (!strcmp(kind, K[i]))
            return 1;
    return 0;
}

int asm_wf_text_ok(const char *s, size_t min, size_t max)
{
    if (!s)
        return min == 0;
    size_t n = strlen(s);
    if (n < min || n > max || !core_utf8_valid(s, n))
        return 0;
    return 1;
}

static int entity_check(store_as_entity *e, int creating, asm_wf_error *err)
{
    if (!asm_wf_entity_kind_valid(e->kind)) {
        asm_wf_seterr(err, "/kind", "as.err.required", "kind must be company, mechanism, proposal or supplier");
        return CORE_INVALID;
    }
    if (creating && (!e->slug || !core_slug_valid(e->slug) || strlen(e->slug) > 48)) {
        asm_wf_seterr(err, "/slug", "as.err.slug", "slug: 1-48 of a-z, 0-9 and '-'");
        return CORE_INVALID;
    }
    if (!e->name || !asm_wf_text_ok(e->name, 1, 200)) {
        asm_wf_seterr(err, "/name", "as.err.name", "name: 1 to 200 bytes of UTF-8");
        return CORE_INVALID;
    }
    if (!e->attributes || !*e->attributes)
        e->attributes = "{}";
    json_error_t je;
    json_t *j = json_loads(e->attributes, 0, &je);
    int ok = json_is_object(j);
    json_decref(j);
    if (!ok || strlen(e->attributes) > 65536) {
        asm_wf_seterr(err, "/attributes", "as.err.required", "attributes must be a JSON object");
        return CORE_INVALID;
    }
    return CORE_OK;
}

int asm_wf_entity_create(store *st, core_arena *a, const asm_actor *ac, store_as_entity *e,
                         asm_wf_error *err)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    int rc = entity_check(e, 1, err);
    if (rc != CORE_OK)
        return rc;
    e->org_id = ac->org_id;
    store_conn *c;
    if ((rc = asm_wf_conn(st, &c)) != CORE_OK)
        return rc;
    rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_as_entity_create(c, e);
    if (rc == CORE_CONFLICT)
        asm_wf_seterr(err, "/slug", "as.err.slug_taken", "slug already used");
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "as_entity", e->id, "create");
    return asm_wf_finish(st, c, rc);
}

int asm_wf_entity_update(store *st, core_arena *a, const asm_actor *ac, store_as_entity *e,
                         asm_wf_error *err)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    int rc = entity_check(e, 0, err);
    if (rc != CORE_OK)
        return rc;
    e->org_id = ac->org_id;
    store_conn *c;
    if ((rc = asm_wf_conn(st, &c)) != CORE_OK)
        return rc;
    rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_as_entity_update(c, e);
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "as_entity", e->id, "update");
    return asm_wf_finish(st, c, rc);
}

int asm_wf_entity_list(store *st, core_arena *a, const asm_actor *ac, const char *kind,
                       store_as_entity **out, size_t *n)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_as_entity_list(c, a, ac->org_id, kind, out, n);
    store_release(st, c);
    return rc;
}

int asm_wf_entity_get(store *st, core_arena *a, const asm_actor *ac, int64_t id, store_as_entity *out)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_as_entity_get(c, a, ac->org_id, id, out);
    store_release(st, c);
    return rc;
}

/* ---- assessments ---- */

static int period_ok(const char *p)
{
    size_t n = p ? strlen(p) : 0;
    if (n < 1 || n > 32)
        return 0;
    for (size_t i = 0; i < n; i++) {
        char ch = p[i];
        if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-'))
            return 0;
    }
    return 1;
}

int asm_wf_assessment_create(store *st, core_arena *a, const asm_actor *ac, const asm_wf_new *in,
                             int64_t *id, asm_wf_error *err)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    if (!period_ok(in->period)) {
        asm_wf_seterr(err, "/period", "as.err.period", "period: 1-32 of letters, digits and '-'");
        return CORE_INVALID;
    }
    if (!in->methodology || !*in->methodology) {
        asm_wf_seterr(err, "/methodology", "as.err.methodology", "methodology slug required");
        return CORE_INVALID;
    }
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_entity e;
    if (rc == CORE_OK) {
        rc = store_as_entity_get(c, a, ac->org_id, in->entity_id, &e);
        if (rc == CORE_NOTFOUND) {
            asm_wf_seterr(err, "/entity_id", "as.err.entity", "no such entity");
            rc = CORE_INVALID;
        }
    }
    store_as_methodology row;
    if (rc == CORE_OK) {
        rc = asm_wf_methodology_resolve(c, a, ac->org_id, in->methodology, in->version, 1, &row);
        if (rc == CORE_NOTFOUND || rc == CORE_INVALID) {
            asm_wf_seterr(err, in->version ? "/version" : "/methodology", "as.err.methodology",
                          "no such methodology (version)");
            rc = CORE_INVALID;
        }
    }
    const asm_methodology *m = NULL;
    if (rc == CORE_OK)
        rc = cache_put(a, &row, &m);
    if (rc == CORE_OK && m->n_entity_kinds) {
        int fits = 0;
        for (size_t i = 0; i < m->n_entity_kinds; i++)
            fits |= strcmp(m->entity_kinds[i], e.kind) == 0;
        if (!fits) {
            asm_wf_seterr(err, "/methodology", "as.err.methodology", "the methodology does not assess this kind of entity");
            rc = CORE_INVALID;
        }
    }
    store_as_assessment s;
    memset(&s, 0, sizeof s);
    if (rc == CORE_OK) {
        s.org_id = ac->org_id;
        s.entity_id = e.id;
        s.methodology_id = row.id;
        s.period = in->period;
        s.status = "answered";
        s.created_by = ac->user_id;
        rc = store_as_assessment_create(c, &s);
        if (rc == CORE_CONFLICT)
            asm_wf_seterr(err, "/period", "as.err.exists", "an assessment of this entity, methodology version and period exists");
    }
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "assessment", s.id, "create");
    rc = asm_wf_finish(st, c, rc);
    if (rc == CORE_OK && id)
        *id = s.id;
    return rc;
}

int asm_wf_assessment_get(store *st, core_arena *a, const asm_actor *ac, int64_t id,
                          store_as_assessment *out)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_as_assessment_get(c, a, ac->org_id, id, out);
    store_release(st, c);
    return rc;
}

int asm_wf_assessment_list(store *st, core_arena *a, const asm_actor *ac, int64_t entity_id,
                           int64_t methodology_id, store_as_assessment **out, size_t *n)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_as_assessment_list(c, a, ac->org_id, entity_id, methodology_id, out, n);
    store_release(st, c);
    return rc;
}

int asm_wf_assessment_delete(store *st, core_arena *a, const asm_actor *ac, int64_t id)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_assessment s;
    if (rc == CORE_OK)
        rc = store_as_assessment_get(c, a, ac->org_id, id, &s);
    if (rc == CORE_OK && strcmp(s.status, "answered") != 0)
        rc = CORE_CONFLICT;
    if (rc == CORE_OK)
        rc = store_as_assessment_delete(c, ac->org_id, id);
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "assessment", id, "delete");
    return asm_wf_finish(st, c, rc);
}

/* ---- answers ---- */

int asm_wf_level_ok(const asm_methodology *m, const asm_subject *s, const char *level)
{
    if (!strcmp(level, ASM_LEVEL_GROUP))
        return 1;
    if (!m->has_levels)
        return 0;
    if (!strcmp(level, ASM_LEVEL_OPCOM))
        return s->has_opcom;
    for (size_t i = 0; i < s->n_services; i++)
        if (s->services[i].name && !strcmp(s->services[i].name, level))
            return 1;
    return 0;
}

static int url_ok(const char *u)
{
    if (!u || !*u)
        return 1;
    size_t n = strlen(u);
    if (n > 2000 || (strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0 && u[0] != '/'))
        return 0;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '"' || u[i] == '<' || u[i] == '>')
            return 0;
    return u[0] != '/' || (u[1] != '/' && u[1] != '\\');
}

static int answer_check(const asm_methodology *m, const asm_subject *s, const asm_wf_answer *w, size_t i,
                        asm_wf_error *err)
{
    char f[64];
    int ei = w->element ? asm_find_element(m, w->element) : -1;
    if (ei < 0) {
        snprintf(f, sizeof f, "/answers/%zu/element", i);
        asm_wf_seterr(err, f, "as.err.required", "no such element in the methodology");
        return CORE_INVALID;
    }
    const char *level = w->level && *w->level ? w->level : ASM_LEVEL_GROUP;
    if (!asm_wf_text_ok(level, 1, 200) || !asm_wf_level_ok(m, s, level)) {
        snprintf(f, sizeof f, "/answers/%zu/level", i);
        asm_wf_seterr(err, f, "as.err.required", "no such level for this entity");
        return CORE_INVALID;
    }
    if (w->value && asm_find_choice(&m->scales[m->elements[ei].scale], w->value) < 0) {
        snprintf(f, sizeof f, "/answers/%zu/value", i);
        asm_wf_seterr(err, f, "as.err.answer", "not a choice of the element's scale");
        return CORE_INVALID;
    }
    if (!url_ok(w->evidence_url)) {
        snprintf(f, sizeof f, "/answers/%zu/evidence_url", i);
        asm_wf_seterr(err, f, "as.err.url", "evidence_url must be an http(s) link");
        return CORE_INVALID;
    }
    const char *texts[3] = {w->evidence_quote, w->evidence_document, w->note};
    const char *names[3] = {"evidence_quote", "evidence_document", "note"};
    for (int k = 0; k < 3; k++)
        if (texts[k] && !asm_wf_text_ok(texts[k], 0, 20000)) {
            snprintf(f, sizeof f, "/answers/%zu/%s", i, names[k]);
            asm_wf_seterr(err, f, "as.err.required", "text: at most 20000 bytes of UTF-8");
            return CORE_INVALID;
        }
    return CORE_OK;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int asm_wf_answers_store(store_conn *c, core_arena *a, const asm_actor *ac, const store_as_assessment *s,
                         const asm_methodology *m, const asm_wf_answer *in, size_t n, int64_t answered_by,
                         asm_wf_error *err)
{
    store_as_entity e;
    int rc = store_as_entity_get(c, a, ac->org_id, s->entity_id, &e);
    asm_subject subj;
    if (rc == CORE_OK)
        rc = asm_subject_from_entity(a, &e, &subj);
    for (size_t i = 0; rc == CORE_OK && i < n; i++)
        rc = answer_check(m, &subj, &in[i], i, err);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        const char *level = in[i].level && *in[i].level ? in[i].level : ASM_LEVEL_GROUP;
        if (!in[i].value) {
            rc = store_as_answer_delete(c, ac->org_id, s->id, in[i].element, level);
            if (rc == CORE_NOTFOUND)
                rc = CORE_OK;
            continue;
        }
        store_as_answer w;
        memset(&w, 0, sizeof w);
        w.org_id = ac->org_id;
        w.assessment_id = s->id;
        w.element = in[i].element;
        w.level = level;
        w.value = in[i].value;
        w.evidence_url = nz(in[i].evidence_url);
        w.evidence_quote = nz(in[i].evidence_quote);
        w.evidence_document = nz(in[i].evidence_document);
        w.note = nz(in[i].note);
        w.answered_by = answered_by;
        rc = store_as_answer_put(c, &w);
    }
    return rc;
}

int asm_wf_answers_put(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                       const asm_wf_answer *in, size_t n, asm_wf_error *err)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_assessment s;
    if (rc == CORE_OK)
        rc = store_as_assessment_get(c, a, ac->org_id, assessment_id, &s);
    if (rc == CORE_OK && strcmp(s.status, "answered") != 0) {
        asm_wf_seterr(err, "/status", "as.err.state", "answers change only while the assessment is being answered");
        rc = CORE_CONFLICT;
    }
    const asm_methodology *m = NULL;
    if (rc == CORE_OK)
        rc = asm_wf_methodology_c(c, a, ac->org_id, s.methodology_id, NULL, &m);
    if (rc == CORE_OK)
        rc = asm_wf_answers_store(c, a, ac, &s, m, in, n, ac->user_id, err);
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "assessment", s.id, "answer");
    return asm_wf_finish(st, c, rc);
}

int asm_wf_answers_list(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                        store_as_answer **out, size_t *n)
{
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    store_as_assessment s;
    rc = store_as_assessment_get(c, a, ac->org_id, assessment_id, &s);
    if (rc == CORE_OK)
        rc = store_as_answer_list(c, a, ac->org_id, assessment_id, out, n);
    store_release(st, c);
    return rc;
}

/* ---- review workflow ---- */

int asm_wf_transition(store *st, core_arena *a, const asm_actor *ac, int64_t assessment_id,
                      const char *to, asm_wf_error *err)
{
    const char *from;
    core_perm perm;
    if (to && !strcmp(to, "reviewed")) {
        from = "answered";
        perm = CORE_PERM_ASSESS_EDIT;
    } else if (to && !strcmp(to, "final")) {
        from = "reviewed";
        perm = CORE_PERM_ASSESS_PUBLISH;
    } else if (to && !strcmp(to, "answered")) {
        from = "reviewed";
        perm = CORE_PERM_ASSESS_EDIT;
    } else {
        asm_wf_seterr(err, "/status", "as.err.state", "status must be reviewed, final or answered");
        return CORE_INVALID;
    }
    if (!asm_wf_allowed(ac, perm))
        return CORE_DENIED;
    store_conn *c;
    int rc = asm_wf_conn(st, &c);
    if (rc != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_assessment s;
    if (rc == CORE_OK)
        rc = store_as_assessment_get(c, a, ac->org_id, assessment_id, &s);
    if (rc == CORE_OK && strcmp(s.status, from) != 0) {
        asm_wf_seterr(err, "/status", "as.err.state", "the assessment's status does not allow this step");
        rc = CORE_CONFLICT;
    }
    /* two different people: the finaliser is never the reviewer (a CLI or
     * system actor, user 0, can only finalise what a person reviewed) */
    if (rc == CORE_OK && !strcmp(to, "final") && s.reviewed_by == ac->user_id) {
        asm_wf_seterr(err, "/status", "as.err.same_person", "the reviewer cannot also finalise the assessment");
        rc = CORE_DENIED;
    }
    if (rc == CORE_OK)
        rc = store_as_assessment_set_status(c, ac->org_id, assessment_id, from, to, ac->user_id,
                                            (int64_t)time(NULL));
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "assessment", assessment_id,
                          !strcmp(to, "reviewed") ? "review" : !strcmp(to, "final") ? "finalise" : "reopen");
    return asm_wf_finish(st, c, rc);
}
