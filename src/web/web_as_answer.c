/* web_as_answer: the page where an assessment is answered and reviewed
 * (/assess/assessments/{id}). Elements are shown one indicator at a time
 * (?indicator=ID; a whole index has hundreds), each at the levels its
 * indicator's scoring scope covers for this entity, with the answer, the
 * evidence (link, quote, document) and the researcher's note. The workflow
 * buttons follow the rules of the service: review (ASSESS_EDIT), finalise
 * (ASSESS_PUBLISH, never by the reviewer), reopen, and filling the elements
 * evidenced from the grievance data. The changes since the previous
 * assessment of the entity are listed with the note that explains each.
 * Works without JavaScript: one form per indicator, op field for the step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "web/web.h"
#include "web/web_as.h"
#include "web/web_internal.h"

static int64_t param_id(http_req *req)
{
    int64_t id = 0;
    const char *v = http_req_param(req, "id");
    if (!v || core_parse_int64(v, &id) != CORE_OK || id <= 0)
        return 0;
    return id;
}

/* The levels an indicator is answered at for this entity. */
static size_t levels_of(core_arena *a, const asm_methodology *m, const asm_indicator *ind, const asm_subject *s,
                        const char ***out)
{
    const char **lv = core_arena_alloc(a, (s->n_services + 3) * sizeof *lv);
    size_t n = 0;
    if (!lv) {
        *out = NULL;
        return 0;
    }
    if (!m->has_levels || ind->scope != ASM_SCOPE_SERVICES)
        lv[n++] = ASM_LEVEL_GROUP;
    if (m->has_levels && ind->scope == ASM_SCOPE_FULL && s->has_opcom)
        lv[n++] = ASM_LEVEL_OPCOM;
    if (m->has_levels && ind->scope != ASM_SCOPE_ENTITY)
        for (size_t i = 0; i < s->n_services; i++)
            lv[n++] = s->services[i].name;
    *out = lv;
    return n;
}

static const store_as_answer *find_answer(const asm_scorecard *sc, const char *el, const char *level)
{
    for (size_t i = 0; i < sc->n_answers; i++)
        if (!strcmp(sc->answers[i].element, el) && !strcmp(sc->answers[i].level, level))
            return &sc->answers[i];
    return NULL;
}

static const char *choice_text(const asm_methodology *m, const char *element, const char *value)
{
    int ei = asm_find_element(m, element);
    if (ei < 0)
        return value;
    const asm_scale *s = &m->scales[m->elements[ei].scale];
    int ci = asm_find_choice(s, value);
    return ci >= 0 && s->choices[ci].label ? s->choices[ci].label : value;
}

/* "Name, time" of a workflow step (a staff page: names are shown to staff of
 * the same organisation); the account number only when the user is gone. */
static const char *who(http_req *req, int64_t user_id, int64_t at)
{
    if (!user_id && !at)
        return NULL;
    core_arena *a = http_req_arena(req);
    const char *name = NULL;
    store_conn *c;
    store_user u;
    if (user_id > 0 && store_acquire(web_as_store(req), &c) == CORE_OK) {
        if (store_user_get(c, a, user_id, &u) == CORE_OK)
            name = u.display_name && *u.display_name ? u.display_name : u.email;
        store_release(web_as_store(req), c);
    }
    if (name)
        return core_arena_printf(a, "%s, %s", name, web_fmt_time(a, web_lang(req), at));
    return core_arena_printf(a, "#%lld, %s", (long long)user_id, web_fmt_time(a, web_lang(req), at));
}

static int page(http_req *req, int status, json_t *ctx, int64_t id, int err_index)
{
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_scorecard sc;
    int rc = asm_wf_scorecard(web_as_store(req), a, &ac, ac.org_id, id, 0, &sc);
    if (rc != CORE_OK) {
        json_decref(ctx);
        return web_as_fail(req, rc);
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    const asm_methodology *m = sc.m;
    asm_subject subj;
    if (asm_subject_from_entity(a, &sc.entity, &subj) != CORE_OK) {
        json_decref(ctx);
        return web_as_fail(req, CORE_ERR);
    }
    int answering = !strcmp(sc.as.status, "answered");
    int can_edit = core_authz_allows(ac.role, CORE_PERM_ASSESS_EDIT);
    int can_publish = core_authz_allows(ac.role, CORE_PERM_ASSESS_PUBLISH);
    int has_auto = 0;
    for (size_t i = 0; i < m->n_elements; i++)
        has_auto |= m->elements[i].automatic != NULL;
    json_object_set_new(ctx, "id", json_integer(sc.as.id));
    json_object_set_new(ctx, "entity", json_pack("{s:s?}", "name", sc.entity.name));
    json_object_set_new(ctx, "methodology", json_pack("{s:s?, s:s?}", "name", m->name, "version", m->version));
    json_object_set_new(ctx, "period", json_string(sc.as.period ? sc.as.period : ""));
    json_object_set_new(ctx, "status", json_string(sc.as.status));
    json_object_set_new(ctx, "status_label", json_string(web_label(lang, "as.status", sc.as.status)));
    const char *rv = who(req, sc.as.reviewed_by, sc.as.reviewed_at), *fv = who(req, sc.as.finalised_by, sc.as.finalised_at);
    if (rv)
        json_object_set_new(ctx, "reviewed_by", json_string(rv));
    if (fv)
        json_object_set_new(ctx, "finalised_by", json_string(fv));
    json_object_set_new(ctx, "has_total", json_boolean(sc.score.has_total));
    json_object_set_new(ctx, "total", json_string(web_as_score(req, sc.score.has_total, sc.score.total)));
    json_object_set_new(ctx, "progress", json_string(core_arena_printf(a, "%zu", sc.n_answers)));
    int can_review = answering && can_edit;
    int can_finalise = !strcmp(sc.as.status, "reviewed") && can_publish && sc.as.reviewed_by != ac.user_id;
    int can_reopen = !strcmp(sc.as.status, "reviewed") && can_edit;
    int can_auto = answering && can_edit && has_auto;
    json_object_set_new(ctx, "can_review", json_boolean(can_review));
    json_object_set_new(ctx, "can_finalise", json_boolean(can_finalise));
    json_object_set_new(ctx, "can_reopen", json_boolean(can_reopen));
    json_object_set_new(ctx, "can_auto", json_boolean(can_auto));
    json_object_set_new(ctx, "can_workflow", json_boolean(can_review || can_finalise || can_reopen || can_auto));
    /* changes since the previous assessment */
    asm_change *ch = NULL;
    size_t nch = 0;
    if (asm_wf_changes(&sc, web_as_store(req), a, &ch, &nch) == CORE_OK && nch) {
        json_t *rows = json_array();
        for (size_t i = 0; i < nch && i < 500; i++)
            json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:s}", "element", ch[i].element, "level",
                                                  ch[i].level, "before", ch[i].before ? choice_text(m, ch[i].element, ch[i].before) : "-",
                                                  "after", ch[i].after ? choice_text(m, ch[i].element, ch[i].after) : "-",
                                                  "why", ch[i].note ? ch[i].note : ""));
        json_object_set_new(ctx, "changes", rows);
        json_t *f = json_pack("{s:s}", "period", sc.previous.period ? sc.previous.period : "");
        json_object_set_new(ctx, "changes_intro", json_string(web_as_fill(req, "as.changes.intro", f)));
        json_decref(f);
    }
    /* indicator navigation: leaf indicators */
    const char *want = http_req_query(req, "indicator");
    int cur = want ? asm_find_indicator(m, want) : -1;
    if (cur >= 0 && m->indicators[cur].n_elements == 0)
        cur = -1;
    json_t *nav = json_array();
    for (size_t i = 0; i < m->n_indicators; i++) {
        if (!m->indicators[i].n_elements)
            continue;
        if (cur < 0)
            cur = (int)i;
        json_array_append_new(nav, json_pack("{s:I, s:s, s:b}", "assessment_id", (json_int_t)sc.as.id, "id",
                                             m->indicators[i].id, "current", (int)i == cur));
    }
    json_object_set_new(ctx, "indicator_nav", nav);
    if (cur >= 0) {
        const asm_indicator *ind = &m->indicators[cur];
        json_object_set_new(ctx, "indicator", json_pack("{s:s, s:s?}", "id", ind->id, "name", ind->label));
        const char **lv = NULL;
        size_t nlv = levels_of(a, m, ind, &subj, &lv);
        json_t *els = json_array();
        int readonly = !answering || !can_edit;
        size_t n = 0;
        for (size_t k = 0; k < ind->n_elements; k++) {
            const asm_element *e = &m->elements[ind->elements[k]];
            const asm_scale *scale = &m->scales[e->scale];
            for (size_t l = 0; l < nlv; l++) {
                const store_as_answer *w = find_answer(&sc, e->id, lv[l]);
                json_t *opts = json_array();
                json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                                      web_msg(lang, "as.unanswered"), "selected", w == NULL));
                for (size_t c = 0; c < scale->n_choices; c++)
                    json_array_append_new(opts, json_pack("{s:s, s:s, s:b}", "value", scale->choices[c].key, "label",
                                                          scale->choices[c].label ? scale->choices[c].label : scale->choices[c].key,
                                                          "selected", w && !strcmp(w->value, scale->choices[c].key)));
                const char *level_label = !m->has_levels ? NULL
                                          : !strcmp(lv[l], ASM_LEVEL_GROUP) ? web_msg(lang, "as.level.group")
                                          : !strcmp(lv[l], ASM_LEVEL_OPCOM) ? web_msg(lang, "as.level.opcom") : lv[l];
                json_t *row = json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:b, s:o, s:s?, s:s?, s:s?, s:s?, s:b}",
                                        "n", (json_int_t)n, "element", e->id, "level", lv[l], "level_label", level_label,
                                        "text", e->text, "automatic", e->automatic != NULL, "options", opts,
                                        "evidence_url", w ? w->evidence_url : NULL, "evidence_quote",
                                        w ? w->evidence_quote : NULL, "evidence_doc", w ? w->evidence_document : NULL,
                                        "note", w ? w->note : NULL, "readonly", readonly);
                if ((int)n == err_index)
                    json_object_set_new(row, "error", json_string(web_msg(lang, "as.err.answer")));
                json_array_append_new(els, row);
                n++;
            }
        }
        json_object_set_new(ctx, "elements", els);
        json_object_set_new(ctx, "element_count", json_integer((json_int_t)n));
        json_object_set_new(ctx, "can_answer", json_boolean(!readonly && n > 0));
    }
    return web_page(req, status, "as_assessment", "as.title.assessment", ctx);
}

int web_handle_as_assessment(http_req *req)
{
    return page(req, 200, NULL, param_id(req), -1);
}

/* The answers of one indicator's form (fields e<n>, l<n>, v<n>, u<n>, q<n>, d<n>, c<n>). */
static int post_answers(http_req *req, const asm_actor *ac, int64_t id, asm_wf_error *err)
{
    core_arena *a = http_req_arena(req);
    int64_t count = 0;
    if (core_parse_int64(web_form(req, "count"), &count) != CORE_OK || count < 0 || count > 5000)
        return CORE_INVALID;
    if (!count)
        return CORE_OK;
    asm_wf_answer *in = core_arena_alloc(a, (size_t)count * sizeof *in);
    if (!in)
        return CORE_NOMEM;
    char name[24];
#define F(prefix, i) (snprintf(name, sizeof name, "%s%lld", prefix, (long long)(i)), web_form(req, name))
    for (int64_t i = 0; i < count; i++) {
        in[i].element = F("e", i);
        in[i].level = F("l", i);
        const char *v = F("v", i);
        in[i].value = *v ? v : NULL;
        in[i].evidence_url = F("u", i);
        in[i].evidence_quote = F("q", i);
        in[i].evidence_document = F("d", i);
        in[i].note = F("c", i);
    }
#undef F
    return asm_wf_answers_put(web_as_store(req), a, ac, id, in, (size_t)count, err);
}

int web_handle_as_assessment_post(http_req *req)
{
    int64_t id = param_id(req);
    if (!id)
        return web_as_fail(req, CORE_NOTFOUND);
    core_arena *a = http_req_arena(req);
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    const char *op = web_form(req, "op");
    const char *notice;
    int rc;
    if (!strcmp(op, "answers")) {
        rc = post_answers(req, &ac, id, &err);
        notice = "as_saved";
    } else if (!strcmp(op, "review")) {
        rc = asm_wf_transition(web_as_store(req), a, &ac, id, "reviewed", &err);
        notice = "as_reviewed";
    } else if (!strcmp(op, "finalise")) {
        rc = asm_wf_transition(web_as_store(req), a, &ac, id, "final", &err);
        notice = "as_final";
    } else if (!strcmp(op, "reopen")) {
        rc = asm_wf_transition(web_as_store(req), a, &ac, id, "answered", &err);
        notice = "as_reopened";
    } else if (!strcmp(op, "auto")) {
        size_t nl = 0;
        rc = asm_wf_auto_fill(web_as_store(req), app_ctx_of(req)->remedy, app_ctx_of(req)->reg, a, &ac, id, web_langs(&nl), NULL);
        notice = "as_auto";
    } else {
        return web_as_fail(req, CORE_INVALID);
    }
    if (rc == CORE_OK) {
        const char *ind = http_req_query(req, "indicator");
        const char *path = ind && *ind && strlen(ind) < 64 && !strpbrk(ind, "&?#%/\\ ")
                               ? core_arena_printf(a, "/assess/assessments/%lld?indicator=%s&notice=%s", (long long)id, ind, notice)
                               : core_arena_printf(a, "/assess/assessments/%lld?notice=%s", (long long)id, notice);
        web_redirect(req, path);
        return CORE_OK;
    }
    if (rc != CORE_INVALID && rc != CORE_CONFLICT && rc != CORE_DENIED)
        return web_as_fail(req, rc);
    json_t *ctx = web_ctx(req);
    int idx = -1;
    unsigned long long i = 0;
    if (sscanf(err.field, "/answers/%llu/", &i) == 1)
        idx = (int)i;
    web_add_error(req, ctx, idx >= 0 ? core_arena_printf(a, "v%d", idx) : "as-status",
                  err.key ? err.key : rc == CORE_DENIED ? "error.forbidden" : "as.err.state");
    return page(req, rc == CORE_INVALID ? 400 : rc == CORE_DENIED ? 403 : 409, ctx, id, idx);
}
