/* web_as: the assessments home page (/assess: methodologies, assessments,
 * forms to add an entity and start an assessment), the methodology page, and
 * what the other assessment pages share (actor, score text, error pages,
 * CSV downloads, catalogue sentences with figures). Every page goes through
 * the workflow service (asm_wf_*), which checks permissions and scopes
 * records to the signed-in organisation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "web/web.h"
#include "web/web_as.h"
#include "web/web_internal.h"

/* ---- shared ---- */

void web_as_actor(http_req *req, asm_actor *out)
{
    const app_principal *p = app_principal_of(req);
    memset(out, 0, sizeof *out);
    out->user_id = p->user_id;
    out->org_id = p->org_id;
    out->role = p->role;
    out->label = core_arena_printf(http_req_arena(req), "user:%lld", (long long)p->user_id);
}

store *web_as_store(http_req *req)
{
    return app_ctx_of(req)->store;
}

const char *web_as_score(http_req *req, int has, double v)
{
    if (!has || !isfinite(v))
        return web_msg(web_lang(req), "as.na");
    return core_arena_printf(http_req_arena(req), "%ld", asm_round_half_up(v));
}

int web_as_fail(http_req *req, int rc)
{
    switch (rc) {
    case CORE_NOTFOUND: web_error_page(req, 404, "error.not_found"); break;
    case CORE_DENIED: web_error_page(req, 403, "error.forbidden"); break;
    case CORE_CONFLICT: web_error_page(req, 409, "error.conflict"); break;
    case CORE_INVALID: web_error_page(req, 400, "error.bad_request"); break;
    case CORE_BUSY: app_log_busy_cause(req); web_error_page(req, 503, "error.busy"); break;
    default: web_error_page(req, 500, "error.internal"); break;
    }
    return CORE_OK;
}

const char *web_as_fill(http_req *req, const char *key, json_t *facts)
{
    const char *m = web_msg(web_lang(req), key);
    core_buf b;
    core_buf_init(&b);
    for (const char *p = m; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        if (close && close - p < 40) {
            char name[48];
            snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
            json_t *v = json_object_get(facts, name);
            if (json_is_string(v))
                core_buf_puts(&b, *json_string_value(v) ? json_string_value(v) : "-");
            else if (json_is_integer(v))
                core_buf_puts(&b, web_fmt_int(http_req_arena(req), web_lang(req), json_integer_value(v)));
            else if (json_is_real(v))
                core_buf_puts(&b, web_fmt_dec(http_req_arena(req), web_lang(req), json_real_value(v), 1));
            else if (json_is_boolean(v))
                core_buf_puts(&b, web_msg(web_lang(req), json_is_true(v) ? "as.yes" : "as.no"));
            else
                core_buf_puts(&b, "-");
            p = close + 1;
        } else {
            core_buf_putc(&b, *p++);
        }
    }
    const char *r = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return r ? r : "";
}

void web_as_csv(http_req *req, core_buf *b, const char *filename)
{
    char disp[160];
    snprintf(disp, sizeof disp, "attachment; filename=\"%s\"", filename);
    http_res_header(req, "Content-Disposition", disp);
    http_res_header(req, "Cache-Control", "no-store");
    http_res_body(req, 200, "text/csv; charset=utf-8", b->data ? b->data : "", b->len);
}

static const char *status_label(http_req *req, const char *status)
{
    return web_label(web_lang(req), "as.status", status);
}

/* ---- home ---- */

static json_t *opts_entities(http_req *req, const store_as_entity *es, size_t n, int64_t sel)
{
    const char *lang = web_lang(req);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:b}", "value", (json_int_t)es[i].id, "label",
                                             core_arena_printf(http_req_arena(req), "%s (%s)", es[i].name,
                                                               web_label(lang, "as.kind", es[i].kind)),
                                             "selected", es[i].id == sel));
    return arr;
}

static int home_page(http_req *req, int status, json_t *ctx)
{
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    asm_actor ac;
    web_as_actor(req, &ac);
    store *st = web_as_store(req);
    asm_meth_info *ms = NULL;
    size_t nm = 0;
    store_as_assessment *as = NULL;
    size_t na = 0;
    store_as_entity *es = NULL;
    size_t ne = 0;
    int rc = asm_wf_methodologies(st, a, &ac, &ms, &nm);
    if (rc == CORE_OK)
        rc = asm_wf_assessment_list(st, a, &ac, 0, 0, &as, &na);
    if (rc == CORE_OK)
        rc = asm_wf_entity_list(st, a, &ac, NULL, &es, &ne);
    if (rc != CORE_OK) {
        json_decref(ctx);
        return web_as_fail(req, rc);
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *meths = json_array(), *mopts = json_array();
    const char *msel = json_string_value(json_object_get(json_object_get(ctx, "form"), "methodology"));
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].id)
            json_array_append_new(meths, json_pack("{s:I, s:s?, s:s?, s:s?, s:I}", "id", (json_int_t)ms[i].id,
                                                   "name", ms[i].name, "version", ms[i].version, "title",
                                                   ms[i].description, "count", (json_int_t)ms[i].n_assessments));
        int dup = 0;                           /* one option per slug (the newest version) */
        for (size_t j = 0; j < i; j++)
            dup |= strcmp(ms[j].slug, ms[i].slug) == 0;
        if (!dup)
            json_array_append_new(mopts, json_pack("{s:s, s:s, s:b}", "value", ms[i].slug, "label",
                                                   core_arena_printf(a, "%s (%s)", ms[i].name, ms[i].version),
                                                   "selected", msel && !strcmp(msel, ms[i].slug)));
    }
    web_mark_ends(meths);
    json_t *rows = json_array();
    /* newest first */
    for (size_t k = na; k-- > 0;) {
        const store_as_assessment *s = &as[k];
        const char *ename = "", *mname = "";
        for (size_t i = 0; i < ne; i++)
            if (es[i].id == s->entity_id)
                ename = es[i].name;
        for (size_t i = 0; i < nm; i++)
            if (ms[i].id == s->methodology_id)
                mname = core_arena_printf(a, "%s %s", ms[i].name, ms[i].version);
        json_array_append_new(rows, json_pack("{s:I, s:s, s:s, s:s?, s:s?, s:s}", "id", (json_int_t)s->id,
                                              "entity", ename, "methodology", mname, "period", s->period, "status",
                                              s->status, "status_label", status_label(req, s->status)));
    }
    web_mark_ends(rows);
    json_object_set_new(ctx, "methodologies", meths);
    json_object_set_new(ctx, "assessments", rows);
    json_object_set_new(ctx, "methodology_opts", mopts);
    int64_t esel = 0;
    const char *ev = json_string_value(json_object_get(json_object_get(ctx, "form"), "entity"));
    if (ev)
        core_parse_int64(ev, &esel);
    json_object_set_new(ctx, "entity_opts", opts_entities(req, es, ne, esel));
    json_t *kinds = json_array();
    static const char *const K[] = {"company", "mechanism", "proposal", "supplier"};
    const char *ksel = json_string_value(json_object_get(json_object_get(ctx, "form"), "kind"));
    for (size_t i = 0; i < 4; i++)
        json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", K[i], "label",
                                               web_label(lang, "as.kind", K[i]), "selected", ksel && !strcmp(ksel, K[i])));
    json_object_set_new(ctx, "kind_opts", kinds);
    json_object_set_new(ctx, "can_edit", json_boolean(core_authz_allows(ac.role, CORE_PERM_ASSESS_EDIT)));
    return web_page(req, status, "as_home", "as.title.home", ctx);
}

int web_handle_as_home(http_req *req)
{
    return home_page(req, 200, NULL);
}

static json_t *form_ctx(http_req *req, const char *const *names)
{
    json_t *ctx = web_ctx(req);
    json_t *form = json_object();
    for (size_t i = 0; names[i]; i++)
        json_object_set_new(form, names[i], json_string(web_form(req, names[i])));
    json_object_set_new(ctx, "form", form);
    return ctx;
}

/* The form field a service error names ("/slug" -> "slug"). */
static const char *err_field(const asm_wf_error *err, const char *dflt)
{
    const char *f = err->field[0] == '/' ? err->field + 1 : dflt;
    if (!strcmp(f, "entity_id"))
        return "entity";
    return *f ? f : dflt;
}

int web_handle_as_entity_add(http_req *req)
{
    static const char *const names[] = {"kind", "slug", "name", NULL};
    store_as_entity e;
    memset(&e, 0, sizeof e);
    e.kind = web_form(req, "kind");
    e.slug = web_form(req, "slug");
    e.name = web_form(req, "name");
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int rc = asm_wf_entity_create(web_as_store(req), http_req_arena(req), &ac, &e, &err);
    if (rc == CORE_INVALID || rc == CORE_CONFLICT) {
        json_t *ctx = form_ctx(req, names);
        web_add_error(req, ctx, err_field(&err, "slug"), err.key ? err.key : "as.err.required");
        return home_page(req, rc == CORE_CONFLICT ? 409 : 400, ctx);
    }
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    web_redirect(req, "/assess?notice=as_entity");
    return CORE_OK;
}

int web_handle_as_assessment_add(http_req *req)
{
    static const char *const names[] = {"entity", "methodology", "period", NULL};
    asm_wf_new in;
    memset(&in, 0, sizeof in);
    if (core_parse_int64(web_form(req, "entity"), &in.entity_id) != CORE_OK)
        in.entity_id = 0;
    in.methodology = web_form(req, "methodology");
    in.period = web_form(req, "period");
    asm_actor ac;
    web_as_actor(req, &ac);
    asm_wf_error err;
    memset(&err, 0, sizeof err);
    int64_t id = 0;
    int rc = asm_wf_assessment_create(web_as_store(req), http_req_arena(req), &ac, &in, &id, &err);
    if (rc == CORE_INVALID || rc == CORE_CONFLICT) {
        json_t *ctx = form_ctx(req, names);
        web_add_error(req, ctx, err_field(&err, "period"), err.key ? err.key : "as.err.required");
        return home_page(req, rc == CORE_CONFLICT ? 409 : 400, ctx);
    }
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    web_redirect(req, core_arena_printf(http_req_arena(req), "/assess/assessments/%lld?notice=as_created", (long long)id));
    return CORE_OK;
}

/* ---- methodology ---- */

int web_handle_as_methodology(http_req *req)
{
    int64_t id;
    if (core_parse_int64(http_req_param(req, "id"), &id) != CORE_OK)
        return web_as_fail(req, CORE_NOTFOUND);
    asm_actor ac;
    web_as_actor(req, &ac);
    core_arena *a = http_req_arena(req);
    store_as_methodology row;
    const asm_methodology *m = NULL;
    int rc = asm_wf_methodology(web_as_store(req), a, &ac, id, &row, &m);
    if (rc != CORE_OK)
        return web_as_fail(req, rc);
    json_t *ctx = web_ctx(req);
    core_buf kinds, scale;
    core_buf_init(&kinds);
    core_buf_init(&scale);
    for (size_t i = 0; i < m->n_entity_kinds; i++)
        core_buf_printf(&kinds, "%s%s", i ? ", " : "", web_label(web_lang(req), "as.kind", m->entity_kinds[i]));
    if (m->n_scales)
        for (size_t i = 0; i < m->scales[0].n_choices; i++) {
            const asm_choice *ch = &m->scales[0].choices[i];
            if (ch->na)
                core_buf_printf(&scale, "%s%s: %s", i ? "; " : "", ch->label ? ch->label : ch->key,
                                web_msg(web_lang(req), "as.na"));
            else
                core_buf_printf(&scale, "%s%s: %g", i ? "; " : "", ch->label ? ch->label : ch->key, ch->points);
        }
    json_object_set_new(ctx, "methodology", json_pack("{s:I, s:s?, s:s?, s:s?, s:s}", "id", (json_int_t)row.id,
                                                      "name", m->name, "version", m->version, "title",
                                                      m->description, "applies_to", core_buf_cstr(&kinds)));
    json_object_set_new(ctx, "scale", json_string(core_buf_cstr(&scale)));
    core_buf_cleanup(&kinds);
    core_buf_cleanup(&scale);
    json_t *cats = json_array();
    for (size_t c = 0; c < m->n_categories; c++) {
        json_t *inds = json_array();
        for (size_t i = 0; i < m->n_indicators; i++) {
            const asm_indicator *ind = &m->indicators[i];
            if (ind->category != (int)c)
                continue;
            json_array_append_new(inds, json_pack("{s:s, s:s?, s:s, s:s?}", "id", ind->id, "name", ind->label,
                                                  "elements", web_msg_n(req, "as.elements_n", (long long)ind->n_elements),
                                                  "weight", ind->weight != 1 ? core_arena_printf(a, "%g", ind->weight) : NULL));
        }
        json_array_append_new(cats, json_pack("{s:s, s:s?, s:o}", "id", m->categories[c].id, "name",
                                              m->categories[c].label, "indicators", inds));
    }
    json_object_set_new(ctx, "categories", cats);
    return web_page(req, 200, "as_methodology", "as.title.methodology", ctx);
}
