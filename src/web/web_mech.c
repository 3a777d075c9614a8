/* web_mech: the directory of external mechanisms (courts, State-based
 * non-judicial bodies such as data protection authorities, non-State
 * mechanisms) that a person can turn to besides the organisation's own.
 * Staff read it at /mechanisms (filter by country and subject); those with
 * CORE_PERM_MECHANISMS_MANAGE add and edit entries. The public rules page
 * (/mechanism) shows the pathway for a chosen country through
 * web_mech_public_rows, and the published statistics summary.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

static const char *const KINDS[] = {"judicial", "state_non_judicial", "non_state", NULL};
static const char *const SUBKINDS[] = {"court", "data_protection_authority", "ombudsman", "consumer_authority",
                                       "nhri", "oecd_ncp", "out_of_court_body", "equality_body",
                                       "labour_inspectorate", "other", NULL};
static const char *const FIELDS[] = {"slug", "kind", "subkind", "name", "jurisdictions", "subjects", "languages",
                                     "email", "phone", "website", "intake_url", "time_limit_text",
                                     "last_verified", NULL};

static json_t *kind_opts(const char *lang, const char *sel, int any)
{
    json_t *arr = json_array();
    if (any)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                             web_msg(lang, "cases.filter_any"), "selected", !sel || !*sel));
    for (size_t i = 0; KINDS[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", KINDS[i], "label",
                                             web_label(lang, "mech.kind", KINDS[i]), "selected",
                                             sel && strcmp(sel, KINDS[i]) == 0));
    return arr;
}

static json_t *subkind_opts(const char *lang, const char *sel)
{
    json_t *arr = json_array();
    for (size_t i = 0; SUBKINDS[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", SUBKINDS[i], "label",
                                             web_label(lang, "mech.subkind", SUBKINDS[i]), "selected",
                                             sel ? strcmp(sel, SUBKINDS[i]) == 0 : strcmp(SUBKINDS[i], "other") == 0));
    return arr;
}

static json_t *mech_row(const char *lang, const store_mechanism *m)
{
    return json_pack("{s:I, s:s?, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:b}",
                     "id", (json_int_t)m->id, "name", m->name, "kind", web_label(lang, "mech.kind", m->kind),
                     "subkind", m->subkind ? web_label(lang, "mech.subkind", m->subkind) : NULL, "jurisdictions", m->jurisdictions, "subjects", m->subjects,
                     "languages", m->languages, "url", m->intake_url ? m->intake_url : m->website,
                     "email", m->email, "last_verified", m->last_verified, "time_limit", m->time_limit_text,
                     "shared", m->org_id == 0);
}

/* Only http(s) links are ever put in an href. */
static void safe_urls(json_t *row)
{
    const char *u = json_string_value(json_object_get(row, "url"));
    if (u && strncmp(u, "https://", 8) != 0 && strncmp(u, "http://", 7) != 0)
        json_object_del(row, "url");
}

json_t *web_mech_public_rows(http_req *req, int64_t org_id, const char *country)
{
    app_ctx *actx = app_ctx_of(req);
    json_t *rows = json_array();
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    if (actx && actx->remedy &&
        rmd_pathway_public(actx->remedy, http_req_arena(req), org_id, country && *country ? country : NULL,
                           GRV_CAT_GENERAL, &ms, &n) == CORE_OK)
        for (size_t i = 0; i < n && i < 12; i++) {
            json_t *r = mech_row(web_lang(req), &ms[i].m);
            safe_urls(r);
            json_array_append_new(rows, r);
        }
    web_mark_ends(rows);
    return rows;
}

static int list_page(http_req *req, int status, json_t *ctx)
{
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    const char *lang = web_lang(req);
    const app_principal *p = app_principal_of(req);
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_mechanism_filter f = {0};
    const char *country = http_req_query(req, "country");
    const char *kind = http_req_query(req, "kind");
    const char *subject = http_req_query(req, "subject");
    f.country = country && *country ? country : NULL;
    f.kind = kind && *kind ? kind : NULL;
    f.subject = subject && *subject ? subject : NULL;
    rmd_mechanism *ms = NULL;
    size_t n = 0;
    int rc = rmd_mechanism_list(svc, http_req_arena(req), &actor, &f, &ms, &n);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *r = mech_row(lang, &ms[i].m);
        safe_urls(r);
        json_array_append_new(rows, r);
    }
    web_mark_ends(rows);
    json_object_set_new(ctx, "mechanisms", rows);
    json_object_set_new(ctx, "count", json_string(web_msg_n(req, "mech.count", (long long)n)));
    json_object_set_new(ctx, "countries", web_country_options(lang, country));
    json_object_set_new(ctx, "kinds", kind_opts(lang, kind, 1));
    json_object_set_new(ctx, "subject", json_string(subject ? subject : ""));
    json_object_set_new(ctx, "can_manage", json_boolean(core_authz_allows(p->role, CORE_PERM_MECHANISMS_MANAGE)));
    json_t *form = json_object_get(ctx, "form");
    if (!json_object_get(ctx, "new_kinds"))
        json_object_set_new(ctx, "new_kinds", kind_opts(lang, json_string_value(json_object_get(form, "kind")), 0));
    json_object_set_new(ctx, "subkinds", subkind_opts(lang, json_string_value(json_object_get(form, "subkind"))));
    return web_page(req, status, "mechanisms", "mech.title", ctx);
}

int web_handle_mechanisms(http_req *req)
{
    return list_page(req, 200, NULL);
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

static void read_form(http_req *req, store_mechanism *m, json_t *form)
{
    for (size_t i = 0; FIELDS[i]; i++)
        json_object_set_new(form, FIELDS[i], json_string(web_form(req, FIELDS[i])));
    m->slug = nz(web_form(req, "slug"));
    m->kind = nz(web_form(req, "kind"));
    m->subkind = nz(web_form(req, "subkind"));
    m->name = nz(web_form(req, "name"));
    m->jurisdictions = nz(web_form(req, "jurisdictions"));
    m->subjects = nz(web_form(req, "subjects"));
    m->languages = nz(web_form(req, "languages"));
    m->email = nz(web_form(req, "email"));
    m->phone = nz(web_form(req, "phone"));
    m->website = nz(web_form(req, "website"));
    m->intake_url = nz(web_form(req, "intake_url"));
    m->time_limit_text = nz(web_form(req, "time_limit_text"));
    m->last_verified = nz(web_form(req, "last_verified"));
}

static void check_form(http_req *req, json_t *ctx, const store_mechanism *m, int creating)
{
    if (creating && !m->slug)
        web_add_error(req, ctx, "slug", "mech.error.slug");
    if (!m->name)
        web_add_error(req, ctx, "name", "mech.error.name");
    if (!m->kind || !rmd_mechanism_kind_valid(m->kind))
        web_add_error(req, ctx, "kind", "mech.error.kind");
    if (!m->subkind || !rmd_mechanism_subkind_valid(m->subkind))
        web_add_error(req, ctx, "subkind", "mech.error.subkind");
    if (!m->jurisdictions)
        web_add_error(req, ctx, "jurisdictions", "mech.error.jurisdictions");
    if (!m->subjects)
        web_add_error(req, ctx, "subjects", "mech.error.subjects");
    if (m->last_verified && !rmd_date_valid(m->last_verified))
        web_add_error(req, ctx, "last_verified", "mech.error.date");
}

int web_handle_mechanism_add(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *form = json_object();
    json_object_set_new(ctx, "form", form);
    store_mechanism m;
    memset(&m, 0, sizeof m);
    read_form(req, &m, form);
    check_form(req, ctx, &m, 1);
    if (json_object_get(ctx, "errors"))
        return list_page(req, 400, ctx);
    rmd_actor actor;
    web_actor(req, &actor);
    m.org_id = actor.org_id;
    int rc = rmd_mechanism_create(svc, http_req_arena(req), &actor, &m, 0);
    if (rc == CORE_OK) {
        json_decref(ctx);
        web_redirect(req, "/mechanisms?notice=mechanism_saved");
        return CORE_OK;
    }
    if (rc == CORE_INVALID || rc == CORE_CONFLICT) {
        web_add_error(req, ctx, "slug", rc == CORE_CONFLICT ? "mech.error.exists" : "mech.error.invalid");
        return list_page(req, rc == CORE_CONFLICT ? 409 : 400, ctx);
    }
    json_decref(ctx);
    app_fail(req, rc, NULL);
    return CORE_OK;
}

static int edit_page(http_req *req, int status, int64_t id, json_t *ctx)
{
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_mechanism m;
    int rc = rmd_mechanism_get(svc, http_req_arena(req), &actor, id, &m);
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    if (!json_object_get(ctx, "form"))
        json_object_set_new(ctx, "form", json_pack("{s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
            "slug", m.m.slug, "kind", m.m.kind, "subkind", m.m.subkind, "name", m.m.name,
            "jurisdictions", m.m.jurisdictions, "subjects", m.m.subjects, "languages", m.m.languages,
            "email", m.m.email, "phone", m.m.phone, "website", m.m.website, "intake_url", m.m.intake_url,
            "time_limit_text", m.m.time_limit_text, "last_verified", m.m.last_verified));
    json_object_set_new(ctx, "id", json_integer(id));
    const char *k = json_string_value(json_object_get(json_object_get(ctx, "form"), "kind"));
    json_object_set_new(ctx, "new_kinds", kind_opts(web_lang(req), k, 0));
    json_object_set_new(ctx, "subkinds", subkind_opts(web_lang(req),
        json_string_value(json_object_get(json_object_get(ctx, "form"), "subkind"))));
    json_object_set_new(ctx, "mech_name", json_string(m.m.name ? m.m.name : ""));
    return web_page(req, status, "mechanism_edit", "mech.edit_title", ctx);
}

static int64_t id_param(http_req *req)
{
    const char *s = http_req_param(req, "id");
    char *end = NULL;
    long long v = s ? strtoll(s, &end, 10) : 0;
    return (end && !*end && v > 0) ? (int64_t)v : 0;
}

int web_handle_mechanism_edit(http_req *req)
{
    int64_t id = id_param(req);
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return edit_page(req, 200, id, NULL);
}

int web_handle_mechanism_update(http_req *req)
{
    int64_t id = id_param(req);
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *form = json_object();
    json_object_set_new(ctx, "form", form);
    store_mechanism m;
    memset(&m, 0, sizeof m);
    read_form(req, &m, form);
    check_form(req, ctx, &m, 0);
    if (json_object_get(ctx, "errors"))
        return edit_page(req, 400, id, ctx);
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_mechanism cur;
    int rc = rmd_mechanism_get(svc, http_req_arena(req), &actor, id, &cur);
    if (rc == CORE_OK) {
        m.id = id;
        m.org_id = cur.m.org_id;
        m.slug = cur.m.slug;             /* the slug names the entry; it does not change */
        m.source = cur.m.source;
        rc = rmd_mechanism_update(svc, http_req_arena(req), &actor, &m);
    }
    if (rc == CORE_OK) {
        json_decref(ctx);
        web_redirect(req, "/mechanisms?notice=mechanism_saved");
        return CORE_OK;
    }
    if (rc == CORE_INVALID || rc == CORE_DENIED) {
        web_add_error(req, ctx, "name", rc == CORE_DENIED ? "mech.error.denied" : "mech.error.invalid");
        return edit_page(req, rc == CORE_DENIED ? 403 : 400, id, ctx);
    }
    json_decref(ctx);
    app_fail(req, rc, NULL);
    return CORE_OK;
}
