/* repo_as: storage of the assessment engine (issue 6): methodology versions
 * (with their YAML source), assessed entities, assessments with the review
 * workflow's status columns, and answers with their evidence.
 *
 * Every statement filters by org id. Status changes are single conditional
 * UPDATEs (WHERE status = from, and for "final" a finaliser different from
 * the reviewer), so two racing reviewers cannot both win; when no row
 * changed, a read tells CORE_NOTFOUND from CORE_CONFLICT. Answers are
 * upserted on (assessment, element, level).
 */
#include <string.h>

#include "store/store_db.h"

#define METH_COLS "id, org_id, slug, version, name, source_format, source, created_at"
#define METH_LIST_COLS "id, org_id, slug, version, name, source_format, NULL, created_at"
#define ENT_COLS "id, org_id, kind, slug, name, attributes, created_at, updated_at"
#define ASM_COLS "id, org_id, entity_id, methodology_id, period, status, summary, created_by," \
                 " reviewed_by, reviewed_at, finalised_by, finalised_at, created_at, updated_at"
#define ANS_COLS "id, org_id, assessment_id, element, level, value, evidence_url, evidence_quote," \
                 " evidence_document, note, answered_by, updated_at"

static const sdb_sql q_meth_create = {Q_AS_METH_CREATE, "as_methodology_create",
    "INSERT INTO as_methodologies (org_id, slug, version, name, source_format, source, created_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_meth_get = {Q_AS_METH_GET, "as_methodology_get",
    "SELECT " METH_COLS " FROM as_methodologies WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_meth_find = {Q_AS_METH_FIND, "as_methodology_find",
    "SELECT " METH_COLS " FROM as_methodologies WHERE org_id = ? AND slug = ? AND version = ?", NULL};
static const sdb_sql q_meth_latest = {Q_AS_METH_LATEST, "as_methodology_latest",
    "SELECT " METH_COLS " FROM as_methodologies WHERE org_id = ? AND slug = ? ORDER BY id DESC LIMIT 1", NULL};
static const sdb_sql q_meth_list = {Q_AS_METH_LIST, "as_methodology_list",
    "SELECT " METH_LIST_COLS " FROM as_methodologies WHERE org_id = ? ORDER BY slug, id", NULL};

static const sdb_sql q_ent_create = {Q_AS_ENT_CREATE, "as_entity_create",
    "INSERT INTO as_entities (org_id, kind, slug, name, attributes, created_at, updated_at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_ent_update = {Q_AS_ENT_UPDATE, "as_entity_update",
    "UPDATE as_entities SET kind = ?, name = ?, attributes = ?, updated_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ent_get = {Q_AS_ENT_GET, "as_entity_get",
    "SELECT " ENT_COLS " FROM as_entities WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_ent_get_slug = {Q_AS_ENT_GET_SLUG, "as_entity_get_by_slug",
    "SELECT " ENT_COLS " FROM as_entities WHERE org_id = ? AND slug = ?", NULL};
static const sdb_sql q_ent_list = {Q_AS_ENT_LIST, "as_entity_list",
    "SELECT " ENT_COLS " FROM as_entities WHERE org_id = ? AND kind = COALESCE(?, kind) ORDER BY name, id", NULL};

static const sdb_sql q_asm_create = {Q_AS_ASM_CREATE, "as_assessment_create",
    "INSERT INTO as_assessments (org_id, entity_id, methodology_id, period, status, summary, created_by,"
    " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id", NULL};
static const sdb_sql q_asm_get = {Q_AS_ASM_GET, "as_assessment_get",
    "SELECT " ASM_COLS " FROM as_assessments WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_asm_list = {Q_AS_ASM_LIST, "as_assessment_list",
    "SELECT " ASM_COLS " FROM as_assessments WHERE org_id = ? AND (entity_id = ? OR ? = 0)"
    " AND (methodology_id = ? OR ? = 0) ORDER BY entity_id, period, id", NULL};
static const sdb_sql q_asm_review = {Q_AS_ASM_REVIEW, "as_assessment_review",
    "UPDATE as_assessments SET status = 'reviewed', reviewed_by = ?, reviewed_at = ?, finalised_by = NULL,"
    " finalised_at = 0, updated_at = ? WHERE org_id = ? AND id = ? AND status = ?", NULL};
static const sdb_sql q_asm_final = {Q_AS_ASM_FINAL, "as_assessment_final",
    "UPDATE as_assessments SET status = 'final', finalised_by = ?, finalised_at = ?, updated_at = ?"
    " WHERE org_id = ? AND id = ? AND status = ? AND (reviewed_by IS NULL OR reviewed_by <> ?)", NULL};
static const sdb_sql q_asm_reopen = {Q_AS_ASM_REOPEN, "as_assessment_reopen",
    "UPDATE as_assessments SET status = 'answered', reviewed_by = NULL, reviewed_at = 0,"
    " finalised_by = NULL, finalised_at = 0, updated_at = ? WHERE org_id = ? AND id = ? AND status = ?", NULL};
static const sdb_sql q_asm_summary = {Q_AS_ASM_SUMMARY, "as_assessment_summary",
    "UPDATE as_assessments SET summary = ?, updated_at = ? WHERE org_id = ? AND id = ?", NULL};
static const sdb_sql q_asm_delete = {Q_AS_ASM_DELETE, "as_assessment_delete",
    "DELETE FROM as_assessments WHERE org_id = ? AND id = ?", NULL};

static const sdb_sql q_ans_put = {Q_AS_ANS_PUT, "as_answer_put",
    "INSERT INTO as_answers (org_id, assessment_id, element, level, value, evidence_url, evidence_quote,"
    " evidence_document, note, answered_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    " ON CONFLICT (assessment_id, element, level) DO UPDATE SET value = excluded.value,"
    " evidence_url = excluded.evidence_url, evidence_quote = excluded.evidence_quote,"
    " evidence_document = excluded.evidence_document, note = excluded.note,"
    " answered_by = excluded.answered_by, updated_at = excluded.updated_at"
    " WHERE as_answers.org_id = excluded.org_id RETURNING id", NULL};
static const sdb_sql q_ans_delete = {Q_AS_ANS_DELETE, "as_answer_delete",
    "DELETE FROM as_answers WHERE org_id = ? AND assessment_id = ? AND element = ? AND level = ?", NULL};
static const sdb_sql q_ans_list = {Q_AS_ANS_LIST, "as_answer_list",
    "SELECT " ANS_COLS " FROM as_answers WHERE org_id = ? AND assessment_id = ? ORDER BY element, level", NULL};

static int has(const char *s)
{
    return s && s[0];
}

/* ---- methodologies ---- */
static int read_meth(sdb_stmt *st, core_arena *a, void *row)
{
    store_as_methodology *m = row;
    memset(m, 0, sizeof *m);
    m->id = sdb_col_int(st, 0);
    m->org_id = sdb_col_int(st, 1);
    m->slug = sdb_col_dup(st, a, 2);
    m->version = sdb_col_dup(st, a, 3);
    m->name = sdb_col_dup(st, a, 4);
    m->source_format = sdb_col_dup(st, a, 5);
    m->source = sdb_col_dup(st, a, 6);
    m->created_at = sdb_col_int(st, 7);
    return (m->slug && m->version && m->name && m->source_format) ? CORE_OK : CORE_NOMEM;
}

int store_as_methodology_create(store_conn *c, store_as_methodology *m)
{
    if (!m->org_id || !has(m->slug) || !has(m->version) || !has(m->name) || !m->source ||
        !m->source_format || (strcmp(m->source_format, "yaml") && strcmp(m->source_format, "json")))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_meth_create, &st);
    if (rc != CORE_OK) return rc;
    if (!m->created_at) m->created_at = sdb_now();
    sdb_int(st, 1, m->org_id);
    sdb_text(st, 2, m->slug);
    sdb_text(st, 3, m->version);
    sdb_text(st, 4, m->name);
    sdb_text(st, 5, m->source_format);
    sdb_text(st, 6, m->source);
    sdb_int(st, 7, m->created_at);
    return sdb_fetch_int(st, &m->id, CORE_ERR);
}

int store_as_methodology_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_as_methodology *out)
{
    return sdb_fetch_one_by(c, &q_meth_get, org_id, id, a, read_meth, out);
}

int store_as_methodology_find(store_conn *c, core_arena *a, int64_t org_id, const char *slug, const char *version,
                              store_as_methodology *out)
{
    if (!slug) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, version ? &q_meth_find : &q_meth_latest, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, slug);
    if (version) sdb_text(st, 3, version);
    return sdb_fetch_one(st, a, read_meth, out);
}

int store_as_methodology_list(store_conn *c, core_arena *a, int64_t org_id, store_as_methodology **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_meth_list, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    return sdb_fetch_all(st, a, read_meth, sizeof **out, (void **)out, n);
}

/* ---- entities ---- */
static int ent_kind_ok(const char *k)
{
    return k && (!strcmp(k, "company") || !strcmp(k, "mechanism") || !strcmp(k, "proposal") ||
                 !strcmp(k, "supplier"));
}

static int read_ent(sdb_stmt *st, core_arena *a, void *row)
{
    store_as_entity *e = row;
    memset(e, 0, sizeof *e);
    e->id = sdb_col_int(st, 0);
    e->org_id = sdb_col_int(st, 1);
    e->kind = sdb_col_dup(st, a, 2);
    e->slug = sdb_col_dup(st, a, 3);
    e->name = sdb_col_dup(st, a, 4);
    e->attributes = sdb_col_dup(st, a, 5);
    e->created_at = sdb_col_int(st, 6);
    e->updated_at = sdb_col_int(st, 7);
    return (e->kind && e->slug && e->name && e->attributes) ? CORE_OK : CORE_NOMEM;
}

int store_as_entity_create(store_conn *c, store_as_entity *e)
{
    if (!e->org_id || !ent_kind_ok(e->kind) || !has(e->slug) || !has(e->name)) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ent_create, &st);
    if (rc != CORE_OK) return rc;
    if (!e->created_at) e->created_at = sdb_now();
    e->updated_at = e->created_at;
    sdb_int(st, 1, e->org_id);
    sdb_text(st, 2, e->kind);
    sdb_text(st, 3, e->slug);
    sdb_text(st, 4, e->name);
    sdb_text(st, 5, has(e->attributes) ? e->attributes : "{}");
    sdb_int(st, 6, e->created_at);
    sdb_int(st, 7, e->updated_at);
    return sdb_fetch_int(st, &e->id, CORE_ERR);
}

int store_as_entity_update(store_conn *c, store_as_entity *e)
{
    if (!e->id || !ent_kind_ok(e->kind) || !has(e->name)) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ent_update, &st);
    if (rc != CORE_OK) return rc;
    e->updated_at = sdb_now();
    sdb_text(st, 1, e->kind);
    sdb_text(st, 2, e->name);
    sdb_text(st, 3, has(e->attributes) ? e->attributes : "{}");
    sdb_int(st, 4, e->updated_at);
    sdb_int(st, 5, e->org_id);
    sdb_int(st, 6, e->id);
    return sdb_run(st, 1);
}

int store_as_entity_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_as_entity *out)
{
    return sdb_fetch_one_by(c, &q_ent_get, org_id, id, a, read_ent, out);
}

int store_as_entity_get_by_slug(store_conn *c, core_arena *a, int64_t org_id, const char *slug, store_as_entity *out)
{
    if (!slug) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ent_get_slug, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, slug);
    return sdb_fetch_one(st, a, read_ent, out);
}

int store_as_entity_list(store_conn *c, core_arena *a, int64_t org_id, const char *kind, store_as_entity **out,
                         size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ent_list, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_text(st, 2, kind);
    return sdb_fetch_all(st, a, read_ent, sizeof **out, (void **)out, n);
}

/* ---- assessments ---- */
static int status_ok(const char *s)
{
    return s && (!strcmp(s, "answered") || !strcmp(s, "reviewed") || !strcmp(s, "final"));
}

static int read_asm(sdb_stmt *st, core_arena *a, void *row)
{
    store_as_assessment *s = row;
    memset(s, 0, sizeof *s);
    s->id = sdb_col_int(st, 0);
    s->org_id = sdb_col_int(st, 1);
    s->entity_id = sdb_col_int(st, 2);
    s->methodology_id = sdb_col_int(st, 3);
    s->period = sdb_col_dup(st, a, 4);
    s->status = sdb_col_dup(st, a, 5);
    s->summary = sdb_col_dup(st, a, 6);
    s->created_by = sdb_col_int(st, 7);
    s->reviewed_by = sdb_col_int(st, 8);
    s->reviewed_at = sdb_col_int(st, 9);
    s->finalised_by = sdb_col_int(st, 10);
    s->finalised_at = sdb_col_int(st, 11);
    s->created_at = sdb_col_int(st, 12);
    s->updated_at = sdb_col_int(st, 13);
    return (s->period && s->status && (s->summary || sdb_col_null(st, 6))) ? CORE_OK : CORE_NOMEM;
}

int store_as_assessment_create(store_conn *c, store_as_assessment *s)
{
    if (!s->org_id || !s->entity_id || !s->methodology_id || !has(s->period)) return CORE_INVALID;
    if (!s->status) s->status = "answered";
    if (!status_ok(s->status)) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_asm_create, &st);
    if (rc != CORE_OK) return rc;
    if (!s->created_at) s->created_at = sdb_now();
    s->updated_at = s->created_at;
    sdb_int(st, 1, s->org_id);
    sdb_int(st, 2, s->entity_id);
    sdb_int(st, 3, s->methodology_id);
    sdb_text(st, 4, s->period);
    sdb_text(st, 5, s->status);
    sdb_text(st, 6, s->summary);
    sdb_id_or_null(st, 7, s->created_by);
    sdb_int(st, 8, s->created_at);
    sdb_int(st, 9, s->updated_at);
    return sdb_fetch_int(st, &s->id, CORE_ERR);
}

int store_as_assessment_get(store_conn *c, core_arena *a, int64_t org_id, int64_t id, store_as_assessment *out)
{
    return sdb_fetch_one_by(c, &q_asm_get, org_id, id, a, read_asm, out);
}

int store_as_assessment_list(store_conn *c, core_arena *a, int64_t org_id, int64_t entity_id, int64_t methodology_id,
                             store_as_assessment **out, size_t *n)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_asm_list, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, entity_id);
    sdb_int(st, 3, entity_id);
    sdb_int(st, 4, methodology_id);
    sdb_int(st, 5, methodology_id);
    return sdb_fetch_all(st, a, read_asm, sizeof **out, (void **)out, n);
}

int store_as_assessment_set_status(store_conn *c, int64_t org_id, int64_t id, const char *from, const char *to,
                                   int64_t user_id, int64_t now)
{
    if (!status_ok(from) || !status_ok(to)) return CORE_INVALID;
    sdb_stmt *st;
    int rc;
    if (!strcmp(to, "reviewed")) {
        if ((rc = sdb_prep(c, &q_asm_review, &st)) != CORE_OK) return rc;
        sdb_id_or_null(st, 1, user_id);
        sdb_int(st, 2, now);
        sdb_int(st, 3, now);
        sdb_int(st, 4, org_id);
        sdb_int(st, 5, id);
        sdb_text(st, 6, from);
    } else if (!strcmp(to, "final")) {
        if ((rc = sdb_prep(c, &q_asm_final, &st)) != CORE_OK) return rc;
        sdb_id_or_null(st, 1, user_id);
        sdb_int(st, 2, now);
        sdb_int(st, 3, now);
        sdb_int(st, 4, org_id);
        sdb_int(st, 5, id);
        sdb_text(st, 6, from);
        sdb_int(st, 7, user_id ? user_id : -1);
    } else {
        if ((rc = sdb_prep(c, &q_asm_reopen, &st)) != CORE_OK) return rc;
        sdb_int(st, 1, now);
        sdb_int(st, 2, org_id);
        sdb_int(st, 3, id);
        sdb_text(st, 4, from);
    }
    rc = sdb_run(st, 1);
    if (rc != CORE_NOTFOUND) return rc;
    core_arena a;
    core_arena_init(&a);
    store_as_assessment cur;
    rc = store_as_assessment_get(c, &a, org_id, id, &cur);
    core_arena_cleanup(&a);
    return rc == CORE_OK ? CORE_CONFLICT : rc;
}

int store_as_assessment_set_summary(store_conn *c, int64_t org_id, int64_t id, const char *summary)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_asm_summary, &st);
    if (rc != CORE_OK) return rc;
    sdb_text(st, 1, summary);
    sdb_int(st, 2, sdb_now());
    sdb_int(st, 3, org_id);
    sdb_int(st, 4, id);
    return sdb_run(st, 1);
}

int store_as_assessment_delete(store_conn *c, int64_t org_id, int64_t id)
{
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_asm_delete, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, id);
    return sdb_run(st, 1);
}

/* ---- answers ---- */
static int read_ans(sdb_stmt *st, core_arena *a, void *row)
{
    store_as_answer *w = row;
    memset(w, 0, sizeof *w);
    w->id = sdb_col_int(st, 0);
    w->org_id = sdb_col_int(st, 1);
    w->assessment_id = sdb_col_int(st, 2);
    w->element = sdb_col_dup(st, a, 3);
    w->level = sdb_col_dup(st, a, 4);
    w->value = sdb_col_dup(st, a, 5);
    w->evidence_url = sdb_col_dup(st, a, 6);
    w->evidence_quote = sdb_col_dup(st, a, 7);
    w->evidence_document = sdb_col_dup(st, a, 8);
    w->note = sdb_col_dup(st, a, 9);
    w->answered_by = sdb_col_int(st, 10);
    w->updated_at = sdb_col_int(st, 11);
    return (w->element && w->level && w->value) ? CORE_OK : CORE_NOMEM;
}

int store_as_answer_put(store_conn *c, store_as_answer *w)
{
    if (!w->org_id || !w->assessment_id || !has(w->element) || !has(w->level) || !has(w->value))
        return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ans_put, &st);
    if (rc != CORE_OK) return rc;
    if (!w->updated_at) w->updated_at = sdb_now();
    sdb_int(st, 1, w->org_id);
    sdb_int(st, 2, w->assessment_id);
    sdb_text(st, 3, w->element);
    sdb_text(st, 4, w->level);
    sdb_text(st, 5, w->value);
    sdb_text(st, 6, w->evidence_url);
    sdb_text(st, 7, w->evidence_quote);
    sdb_text(st, 8, w->evidence_document);
    sdb_text(st, 9, w->note);
    sdb_id_or_null(st, 10, w->answered_by);
    sdb_int(st, 11, w->updated_at);
    return sdb_fetch_int(st, &w->id, CORE_NOTFOUND);
}

int store_as_answer_delete(store_conn *c, int64_t org_id, int64_t assessment_id, const char *element,
                           const char *level)
{
    if (!element || !level) return CORE_INVALID;
    sdb_stmt *st;
    int rc = sdb_prep(c, &q_ans_delete, &st);
    if (rc != CORE_OK) return rc;
    sdb_int(st, 1, org_id);
    sdb_int(st, 2, assessment_id);
    sdb_text(st, 3, element);
    sdb_text(st, 4, level);
    return sdb_run(st, 1);
}

int store_as_answer_list(store_conn *c, core_arena *a, int64_t org_id, int64_t assessment_id, store_as_answer **out,
                         size_t *n)
{
    return sdb_fetch_all_by(c, &q_ans_list, org_id, assessment_id, a, read_ans, sizeof **out, (void **)out, n);
}
