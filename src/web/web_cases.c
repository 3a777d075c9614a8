/* web_cases: the staff side of the grievance mechanism. The queue (/cases)
 * with filters and clocks whose status is written out (never colour alone);
 * the case page (/cases/{id}): details and contact decrypted by the service,
 * triage, timeline, the thread with the complainant, internal notes, one form
 * per workflow step the current state allows, remedy, assignment and
 * recusal, collective case; every form posts to /cases/{id} with an "op" and
 * comes back to the case page (303 on success, the page with errors and the
 * entries kept otherwise). /cases/new records a grievance received by phone,
 * letter, e-mail or a partner organisation.
 *
 * Roles are decided by the route (CASES_READ to look, CASES_HANDLE to act)
 * and again inside the service; the page only hides forms a role cannot use.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"
#include "web/web_dd.h"

static const char *const CATEGORIES[] = {"general", "content_moderation", "data_protection", "whistleblowing", NULL};
static const char *const CHANNELS[] = {"phone", "letter", "email", "partner", NULL};

static json_t *opts(const char *lang, const char *prefix, const char *const *values, const char *sel, int any)
{
    json_t *arr = json_array();
    if (any)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", "", "label",
                                             web_msg(lang, "cases.filter_any"), "selected", !sel || !*sel));
    for (size_t i = 0; values[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
                                             web_label(lang, prefix, values[i]), "selected",
                                             sel && strcmp(sel, values[i]) == 0));
    return arr;
}

static int64_t parse_id(const char *s)
{
    if (!s || !*s)
        return 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return (end && !*end && v > 0) ? (int64_t)v : 0;
}

static void fail_rc(http_req *req, int rc)
{
    if (rc == CORE_DENIED)
        web_error_page(req, 403, "error.forbidden");
    else
        app_fail(req, rc, NULL);
}

/* Member names by id (for handler columns); n members in *ms. */
static void load_members(http_req *req, store_member **ms, size_t *n)
{
    *ms = NULL;
    *n = 0;
    store_conn *c;
    if (store_acquire(app_ctx_of(req)->store, &c) != CORE_OK)
        return;
    if (store_member_list(c, http_req_arena(req), app_principal_of(req)->org_id, ms, n) != CORE_OK) {
        *ms = NULL;
        *n = 0;
    }
    store_release(app_ctx_of(req)->store, c);
}

static const char *member_name(const store_member *ms, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (ms[i].user.id == id)
            return ms[i].user.display_name ? ms[i].user.display_name : ms[i].user.email;
    return NULL;
}

/* ---- queue ---- */

int web_handle_cases(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const app_principal *p = app_principal_of(req);
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_filter f;
    rmd_filter_init(&f);
    const char *q_state = http_req_query(req, "state");
    const char *q_cat = http_req_query(req, "category");
    const char *q_assigned = http_req_query(req, "assigned");
    const char *q_overdue = http_req_query(req, "overdue");
    const char *q_due = http_req_query(req, "due_within");
    const char *q_open = http_req_query(req, "open");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    grv_state st;
    if (q_state && *q_state && grv_state_parse(q_state, &st) == CORE_OK)
        f.state = (int)st;
    grv_category cat;
    if (q_cat && *q_cat && grv_category_parse(q_cat, &cat) == CORE_OK)
        f.category = (int)cat;
    if (q_assigned && strcmp(q_assigned, "mine") == 0)
        f.mine = 1;
    else if (q_assigned && strcmp(q_assigned, "unassigned") == 0)
        f.unassigned = 1;
    f.overdue = q_overdue && strcmp(q_overdue, "1") == 0;
    f.open_only = !q_open || strcmp(q_open, "0") != 0;
    if (q_due && *q_due) {
        int64_t d = parse_id(q_due);
        if (d > 0 && d <= 365)
            f.due_within_days = (int)d;
        else
            web_add_error(req, ctx, "due_within", "cases.error.due_within");
    }
    rmd_case_summary *cs = NULL;
    size_t n = 0;
    int rc = rmd_case_list(svc, a, &actor, &f, &cs, &n);
    if (rc != CORE_OK) {
        json_decref(ctx);
        fail_rc(req, rc);
        return CORE_OK;
    }
    store_member *ms;
    size_t nm;
    load_members(req, &ms, &nm);
    json_t *rows = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *status = cs[i].next_due_kind >= 0 ? grv_clock_status_name(cs[i].next_due_status) : NULL;
        const char *handler = cs[i].assigned_user_id ? member_name(ms, nm, cs[i].assigned_user_id) : NULL;
        json_t *row = json_pack("{s:I, s:s, s:s, s:s, s:s, s:i, s:i, s:b, s:b, s:s, s:s?, s:s?, s:s, s:s?, s:b, s:s?}",
            "id", (json_int_t)cs[i].id, "reference", cs[i].reference,
            "state", web_label(lang, "grv.state", grv_state_name(cs[i].state)),
            "category", web_label(lang, "grv.category", grv_category_name(cs[i].category)),
            "channel", web_label(lang, "grv.channel", cs[i].channel),
            "priority", cs[i].priority, "severity", cs[i].severity,
            "urgent", cs[i].urgent, "vulnerable", cs[i].vulnerable,
            "due", web_fmt_date(a, web_lang(req), cs[i].next_due_at),
            "clock", cs[i].next_due_kind >= 0 ? web_label(lang, "grv.clock", grv_clock_name((grv_clock_kind)cs[i].next_due_kind)) : NULL,
            "status", status ? web_label(lang, "grv.clock_status", status) : NULL,
            "status_name", status ? status : "none",
            "handler", handler,
            "waiting", cs[i].waiting_on_complainant,
            "language", cs[i].language ? web_label(lang, "language", cs[i].language) : NULL);
        json_array_append_new(rows, row);
    }
    web_mark_ends(rows);
    json_object_set_new(ctx, "cases", rows);
    json_object_set_new(ctx, "count", json_string(web_msg_n(req, "cases.count", (long long)n)));
    json_t *states = json_array();
    json_array_append_new(states, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "cases.filter_any"),
                                            "selected", f.state < 0));
    for (int s = 0; s < GRV_STATE__COUNT; s++)
        json_array_append_new(states, json_pack("{s:s, s:s, s:b}", "value", grv_state_name((grv_state)s), "label",
                                                web_label(lang, "grv.state", grv_state_name((grv_state)s)),
                                                "selected", f.state == s));
    json_object_set_new(ctx, "states", states);
    json_object_set_new(ctx, "categories", opts(lang, "grv.category", CATEGORIES, q_cat, 1));
    static const char *const ASSIGNED[] = {"mine", "unassigned", NULL};
    json_object_set_new(ctx, "assigned_opts", opts(lang, "cases.assigned", ASSIGNED, q_assigned, 1));
    json_object_set_new(ctx, "overdue", json_boolean(f.overdue));
    json_object_set_new(ctx, "closed_too", json_boolean(!f.open_only));
    json_object_set_new(ctx, "due_within", json_string(q_due ? q_due : ""));
    json_object_set_new(ctx, "can_handle", json_boolean(core_authz_allows(p->role, CORE_PERM_CASES_HANDLE)));
    return web_page(req, 200, "cases", "cases.title", ctx);
}

/* ---- case page ---- */

static json_t *rubric(const char *lang, const char *dim, int sel)
{
    json_t *arr = json_array();
    json_array_append_new(arr, json_pack("{s:i, s:s, s:b}", "value", 0, "label", web_msg(lang, "case.untriaged"),
                                         "selected", sel == 0));
    for (int l = 1; l <= 5; l++) {
        const char *k = grv_rubric_key(dim, l);
        json_array_append_new(arr, json_pack("{s:i, s:s, s:b}", "value", l, "label",
                                             k ? web_msg(lang, k) : "", "selected", sel == l));
    }
    return arr;
}

static int case_page(http_req *req, int status, int64_t id, json_t *ctx)
{
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    const app_principal *p = app_principal_of(req);
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_case c;
    int rc = rmd_case_get(svc, a, &actor, id, &c);
    if (rc != CORE_OK) {
        json_decref(ctx);
        fail_rc(req, rc);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    store_member *ms;
    size_t nm;
    load_members(req, &ms, &nm);
    const rmd_case_summary *s = &c.s;
    json_object_set_new(ctx, "id", json_integer(s->id));
    json_object_set_new(ctx, "case_id", json_integer(s->id));   /* inside loops whose items have an id */
    json_object_set_new(ctx, "reference", json_string(s->reference));
    json_object_set_new(ctx, "page_title", json_string(s->reference));
    json_object_set_new(ctx, "state", json_string(web_label(lang, "grv.state", grv_state_name(s->state))));
    json_object_set_new(ctx, "state_public", json_string(web_msg(lang, grv_state_public_key(s->state))));
    json_t *d = json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s, s:s}",
        "category", web_label(lang, "grv.category", grv_category_name(s->category)),
        "channel", web_label(lang, "grv.channel", s->channel),
        "country", s->country ? web_label(lang, "country", s->country) : NULL,
        "language", c.language ? web_label(lang, "language", c.language) : NULL, "incident_date", c.incident_date, "decision_date", c.decision_date,
        "affected", c.affected ? web_label(lang, "report.affected", c.affected) : NULL,
        "product", c.product_name ? c.product_name : c.product_text,
        "narrative", c.narrative, "rights_text", c.rights_text, "vulnerable_group", c.vulnerable_group,
        "outcome_sought", c.outcome_sought, "partner", c.partner, "rating_comment", c.rating_comment,
        "filed", web_fmt_time(a, web_lang(req), s->created_at),
        "contact_preference", web_label(lang, "report.contact", s->contact_preference));
    if (c.affected_count)
        json_object_set_new(d, "affected_count", json_integer(c.affected_count));
    if (c.satisfaction)
        json_object_set_new(d, "satisfaction", json_integer(c.satisfaction));
    json_object_set_new(ctx, "case", d);
    if (c.contact_name || c.contact_email || c.contact_phone)
        json_object_set_new(ctx, "contact", json_pack("{s:s?, s:s?, s:s?}", "name", c.contact_name, "email",
                                                      c.contact_email, "phone", c.contact_phone));
    json_object_set_new(ctx, "severity", json_integer(s->severity));
    json_object_set_new(ctx, "priority", json_integer(s->priority));
    json_object_set_new(ctx, "urgent", json_boolean(c.triage.urgent));
    json_object_set_new(ctx, "vulnerable", json_boolean(c.triage.vulnerable));
    json_object_set_new(ctx, "waiting", json_boolean(s->waiting_on_complainant));
    json_object_set_new(ctx, "scale_opts", rubric(lang, "scale", c.triage.scale));
    json_object_set_new(ctx, "scope_opts", rubric(lang, "scope", c.triage.scope));
    json_object_set_new(ctx, "irremediable_opts", rubric(lang, "irremediable", c.triage.irremediable));

    json_t *clocks = json_array();
    for (size_t i = 0; i < c.nclocks; i++) {
        const char *st = grv_clock_status_name(c.clocks[i].status);
        json_array_append_new(clocks, json_pack("{s:s, s:s, s:s, s:s, s:s, s:b}",
            "name", web_label(lang, "grv.clock", c.clocks[i].name), "kind", c.clocks[i].name,
            "due", web_fmt_date(a, web_lang(req), c.clocks[i].clock.due_at), "status", web_label(lang, "grv.clock_status", st),
            "status_name", st, "running", c.clocks[i].clock.stopped_at == 0 && c.clocks[i].clock.due_at > 0));
    }
    json_object_set_new(ctx, "clocks", clocks);

    /* thread (public) and notes (internal) and the whole timeline */
    json_t *all = web_event_rows(req, c.events, c.nevents, 1);
    json_t *thread = json_array(), *notes = json_array();
    for (size_t i = 0; i < json_array_size(all); i++) {
        json_t *e = json_array_get(all, i);
        const char *k = json_string_value(json_object_get(e, "kind"));
        /* copies: first/last framing differs per list */
        if (k && strcmp(k, "note") == 0)
            json_array_append_new(notes, json_deep_copy(e));
        else if (k && (strcmp(k, "message") == 0 || strcmp(k, "question") == 0 || strcmp(k, "reply") == 0 ||
                       strcmp(k, "info") == 0 || strcmp(k, "attachment") == 0))
            json_array_append_new(thread, json_deep_copy(e));
    }
    web_mark_ends(all);
    web_mark_ends(thread);
    web_mark_ends(notes);
    json_object_set_new(ctx, "timeline", all);
    json_object_set_new(ctx, "thread", thread);
    json_object_set_new(ctx, "notes", notes);

    json_t *rems = json_array();
    int accepted = 0;
    for (size_t i = 0; i < c.nremedies; i++) {
        json_array_append_new(rems, json_pack("{s:s, s:s?, s:s, s:s?, s:s?}",
            "type", web_label(lang, "grv.remedy", c.remedies[i].type), "description", c.remedies[i].description,
            "state", web_label(lang, "grv.remedy_state", rmd_remedy_state_name(c.remedies[i].state)),
            "comment", c.remedies[i].complainant_comment, "evidence", c.remedies[i].evidence));
        accepted |= c.remedies[i].state == RMD_REMEDY_ACCEPTED;
    }
    web_mark_ends(rems);
    json_object_set_new(ctx, "remedies", rems);
    json_t *att = json_array();
    for (size_t i = 0; i < c.nattachments; i++)
        json_array_append_new(att, json_pack("{s:I, s:s?, s:s?, s:I, s:s?, s:b}", "fid", (json_int_t)c.attachments[i].id,
            "filename", c.attachments[i].filename,
            "mime", c.attachments[i].mime, "size", (json_int_t)c.attachments[i].size,
            "by", c.attachments[i].uploaded_by, "internal", c.attachments[i].visibility == RMD_VIS_INTERNAL));
    web_mark_ends(att);
    json_object_set_new(ctx, "attachments", att);

    int can_handle = core_authz_allows(p->role, CORE_PERM_CASES_HANDLE);
    json_object_set_new(ctx, "can_handle", json_boolean(can_handle));
    grv_state to;
    json_t *acts = json_array();
    for (int ai = 0; can_handle && ai < GRV_ACT__COUNT; ai++) {
        grv_action act = (grv_action)ai;
        if (act == GRV_ACT_PROPOSE_REMEDY || act == GRV_ACT_IMPLEMENT_REMEDY)
            continue;
        if (grv_transition(s->state, act, GRV_BY_STAFF, &to) != CORE_OK)
            continue;
        char hk[64];
        snprintf(hk, sizeof hk, "case.act_hint.%s", grv_action_name(act));
        json_array_append_new(acts, json_pack("{s:s, s:s, s:s, s:b, s:s}", "action", grv_action_name(act),
            "label", web_label(lang, "grv.action", grv_action_name(act)),
            "hint", web_msg(lang, hk) == hk ? "" : web_msg(lang, hk),
            "needs_reason", grv_action_needs_reason(act),
            "to", web_label(lang, "grv.state", grv_state_name(to))));
    }
    web_mark_ends(acts);
    json_object_set_new(ctx, "actions", acts);
    json_object_set_new(ctx, "can_propose",
                        json_boolean(can_handle && grv_transition(s->state, GRV_ACT_PROPOSE_REMEDY, GRV_BY_STAFF, &to) == CORE_OK));
    json_object_set_new(ctx, "can_implement", json_boolean(can_handle && accepted &&
                        grv_transition(s->state, GRV_ACT_IMPLEMENT_REMEDY, GRV_BY_STAFF, &to) == CORE_OK));
    size_t nt = 0;
    const char *const *types = grv_remedy_types(&nt);
    json_t *topts = json_array();
    for (size_t i = 0; i < nt; i++)
        json_array_append_new(topts, json_pack("{s:s, s:s}", "value", types[i], "label",
                                               web_label(lang, "grv.remedy", types[i])));
    json_object_set_new(ctx, "remedy_types", topts);

    /* assignment */
    const char *assignee = s->assigned_user_id ? member_name(ms, nm, s->assigned_user_id) : NULL;
    json_object_set_new(ctx, "assignee", assignee ? json_string(assignee) : json_null());
    json_t *handlers = json_array();
    json_array_append_new(handlers, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)0, "label",
                                              web_msg(lang, "case.nobody"), "selected", s->assigned_user_id == 0));
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].role != CORE_ROLE_ADMIN && ms[i].role != CORE_ROLE_CASE_HANDLER)
            continue;
        int recused = 0;
        for (size_t k = 0; k < c.nrecused; k++)
            recused |= c.recused[k] == ms[i].user.id;
        if (recused || ms[i].user.disabled)
            continue;
        json_array_append_new(handlers, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)ms[i].user.id, "label",
            ms[i].user.display_name ? ms[i].user.display_name : ms[i].user.email,
            "selected", ms[i].user.id == s->assigned_user_id));
    }
    json_object_set_new(ctx, "handlers", handlers);
    json_t *rec = json_array();
    for (size_t k = 0; k < c.nrecused; k++) {
        const char *nmn = member_name(ms, nm, c.recused[k]);
        json_array_append_new(rec, json_pack("{s:s}", "name", nmn ? nmn : "?"));
    }
    web_mark_ends(rec);
    json_object_set_new(ctx, "recused", rec);

    /* collective */
    rmd_collective *cols = NULL;
    size_t ncols = 0;
    json_t *colo = json_array();
    json_array_append_new(colo, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)0, "label",
                                          web_msg(lang, "case.no_collective"), "selected", s->collective_id == 0));
    if (rmd_collective_list(svc, a, &actor, &cols, &ncols) == CORE_OK)
        for (size_t i = 0; i < ncols; i++) {
            json_array_append_new(colo, json_pack("{s:I, s:s, s:b}", "id", (json_int_t)cols[i].id, "label",
                                                  cols[i].title ? cols[i].title : "", "selected",
                                                  cols[i].id == s->collective_id));
            if (cols[i].id == s->collective_id)
                json_object_set_new(ctx, "collective", json_pack("{s:s?, s:I, s:I}", "title", cols[i].title,
                                                                 "members", (json_int_t)cols[i].ncases,
                                                                 "cid", (json_int_t)cols[i].id));
        }
    json_object_set_new(ctx, "collectives", colo);
    json_t *ext = json_array();
    for (size_t i = 0; i < c.nclocks; i++)
        if (c.clocks[i].clock.stopped_at == 0 && c.clocks[i].clock.kind != GRV_CLOCK_ACK)
            json_array_append_new(ext, json_pack("{s:s, s:s}", "value", c.clocks[i].name, "label",
                                                 web_label(lang, "grv.clock", c.clocks[i].name)));
    web_mark_ends(ext);
    json_object_set_new(ctx, "extendable", ext);

    /* referral: the pathway (mechanisms for the case's country and subject) and referrals so far */
    rmd_mechanism *path = NULL;
    size_t npath = 0;
    json_t *pw = json_array();
    if (rmd_pathway(svc, a, &actor, id, &path, &npath) == CORE_OK)
        for (size_t i = 0; i < npath && i < 25; i++)
            json_array_append_new(pw, json_pack("{s:I, s:s?, s:s, s:s?, s:s?}", "id", (json_int_t)path[i].m.id,
                "name", path[i].m.name, "kind", web_label(lang, "mech.kind", path[i].m.kind),
                "jurisdictions", path[i].m.jurisdictions, "match", path[i].match));
    web_mark_ends(pw);
    json_object_set_new(ctx, "pathway", pw);
    rmd_referral *refs = NULL;
    size_t nrefs = 0;
    json_t *rl = json_array();
    if (rmd_referral_list(svc, a, &actor, id, &refs, &nrefs) == CORE_OK)
        for (size_t i = 0; i < nrefs; i++)
            json_array_append_new(rl, json_pack("{s:I, s:s?, s:s?, s:s, s:s?, s:s?, s:b, s:s}", "id", (json_int_t)refs[i].id,
                "state_name", refs[i].state,
                "mechanism", refs[i].mechanism.name, "kind", web_label(lang, "case.ref_kind", refs[i].kind),
                "state", web_label(lang, "case.ref_state", refs[i].state), "outcome", refs[i].outcome, "consent", refs[i].consent_given,
                "date", web_fmt_date(a, web_lang(req), refs[i].created_at)));
    web_mark_ends(rl);
    static const char *const REF_STATES[] = {"proposed", "sent", "acknowledged", "decided", "closed", NULL};
    for (size_t i = 0; i < json_array_size(rl); i++) {
        json_t *r = json_array_get(rl, i);
        json_object_set_new(r, "states", opts(lang, "case.ref_state", REF_STATES,
                                              json_string_value(json_object_get(r, "state_name")), 0));
    }
    json_object_set_new(ctx, "referrals", rl);
    static const char *const REF_KINDS[] = {"referral", "escalation", "parallel", NULL};
    json_object_set_new(ctx, "ref_kinds", opts(lang, "case.ref_kind", REF_KINDS, "referral", 0));

    web_dd_case_panel(req, ctx, s->id);   /* grievances feed due diligence (web_dd_case.c) */
    /* the page title is the reference (not a catalogue key: web_msg hands it back) */
    return web_page(req, status, "case", s->reference, ctx);
}

int web_handle_case(http_req *req)
{
    int64_t id = parse_id(http_req_param(req, "id"));
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    return case_page(req, 200, id, NULL);
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

int web_handle_case_post(http_req *req)
{
    int st = http_req_form_status(req);
    if (st != CORE_OK) {
        web_error_page(req, st == CORE_DENIED ? 413 : 400, st == CORE_DENIED ? "error.too_large" : "error.bad_request");
        return CORE_OK;
    }
    int64_t id = parse_id(http_req_param(req, "id"));
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    if (!id) {
        web_error_page(req, 404, "error.not_found");
        return CORE_OK;
    }
    core_arena *a = http_req_arena(req);
    rmd_actor actor;
    web_actor(req, &actor);
    const char *op = web_form(req, "op");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    int rc = CORE_INVALID;
    const char *field = "op", *notice = "case_saved";
    if (strcmp(op, "act") == 0) {
        grv_action act;
        const char *reason = web_form(req, "reason");
        field = "reason";
        if (grv_action_parse(web_form(req, "action"), &act) != CORE_OK) {
            field = "op";
        } else if (grv_action_needs_reason(act) && !*reason) {
            web_add_error(req, ctx, "reason", "case.error.reason");
            rc = CORE_INVALID;
            goto done;
        } else {
            int64_t cid = parse_id(web_form(req, "collective_id"));
            if (cid && *web_form(req, "all") != '\0') {
                /* the collective moves as one; each member case gets its own event */
                int applied = 0, skipped = 0;
                rc = rmd_collective_act(svc, a, &actor, cid, act, nz(reason), nz(web_form(req, "public_text")),
                                        &applied, &skipped);
                notice = "collective_moved";
            } else {
                rc = rmd_case_act(svc, a, &actor, id, act, nz(reason), nz(web_form(req, "public_text")));
                notice = "case_moved";
            }
        }
    } else if (strcmp(op, "message") == 0) {
        field = "message";
        const char *t = web_form(req, "text");
        if (!*t) {
            web_add_error(req, ctx, field, "case.error.text");
            goto done;
        }
        rc = rmd_case_message(svc, a, &actor, id, t, *web_form(req, "ask") != '\0');
        notice = "case_message";
    } else if (strcmp(op, "note") == 0) {
        field = "note";
        const char *t = web_form(req, "text");
        if (!*t) {
            web_add_error(req, ctx, field, "case.error.text");
            goto done;
        }
        rc = rmd_case_note(svc, a, &actor, id, t);
        notice = "case_note";
    } else if (strcmp(op, "triage") == 0) {
        field = "scale";
        grv_triage t = {0};
        t.scale = (int)parse_id(web_form(req, "scale"));
        t.scope = (int)parse_id(web_form(req, "scope"));
        t.irremediable = (int)parse_id(web_form(req, "irremediable"));
        t.urgent = *web_form(req, "urgent") != '\0';
        t.vulnerable = *web_form(req, "vulnerable") != '\0';
        rc = rmd_case_triage(svc, a, &actor, id, &t);
    } else if (strcmp(op, "assign") == 0) {
        field = "assignee";
        rc = rmd_case_assign(svc, a, &actor, id, parse_id(web_form(req, "user_id")));
    } else if (strcmp(op, "recuse") == 0) {
        field = "recuse_reason";
        const char *r = web_form(req, "reason");
        if (!*r) {
            web_add_error(req, ctx, field, "case.error.reason");
            goto done;
        }
        rc = rmd_case_recuse(svc, a, &actor, id, r);
        if (rc == CORE_OK) {
            json_decref(ctx);
            web_redirect(req, "/cases?notice=case_recused");
            return CORE_OK;
        }
    } else if (strcmp(op, "propose") == 0) {
        field = "remedy_description";
        const char *t = web_form(req, "description");
        if (!*t) {
            web_add_error(req, ctx, field, "case.error.text");
            goto done;
        }
        rc = rmd_remedy_propose(svc, a, &actor, id, web_form(req, "type"), t, NULL);
        notice = "case_moved";
    } else if (strcmp(op, "implement") == 0) {
        field = "evidence";
        const char *t = web_form(req, "evidence");
        if (!*t) {
            web_add_error(req, ctx, field, "case.error.evidence");
            goto done;
        }
        rc = rmd_remedy_implement(svc, a, &actor, id, t);
        notice = "case_moved";
    } else if (strcmp(op, "extend") == 0) {
        field = "extend_days";
        grv_clock_kind k = GRV_CLOCK_FEEDBACK;
        const char *kn = web_form(req, "clock");
        for (int i = 0; i < GRV_CLOCK__COUNT; i++)
            if (strcmp(kn, grv_clock_name((grv_clock_kind)i)) == 0)
                k = (grv_clock_kind)i;
        const char *notice_text = web_form(req, "notice");
        if (!*notice_text) {
            web_add_error(req, ctx, "extend_notice", "case.error.text");
            goto done;
        }
        rc = rmd_case_extend(svc, a, &actor, id, k, (int)parse_id(web_form(req, "days")), notice_text);
    } else if (strcmp(op, "collective") == 0) {
        field = "collective";
        const char *title = web_form(req, "new_title");
        int64_t cid = parse_id(web_form(req, "collective_id"));
        rc = CORE_OK;
        if (*title)
            rc = rmd_collective_create(svc, a, &actor, title, nz(web_form(req, "new_description")), &cid);
        if (rc == CORE_OK)
            rc = rmd_collective_add(svc, a, &actor, id, cid);
    } else if (strcmp(op, "refer") == 0) {
        field = "ref_mechanism";
        rmd_consent consent = {0};
        consent.given = *web_form(req, "consent") != '\0';
        consent.share_contact = *web_form(req, "share_contact") != '\0';
        consent.text = nz(web_form(req, "consent_text"));
        const char *kind = web_form(req, "kind");
        if (strcmp(kind, "referral") == 0 && !consent.given) {
            web_add_error(req, ctx, "consent", "case.error.consent");
            goto done;
        }
        rc = rmd_referral_create(svc, a, &actor, id, parse_id(web_form(req, "mechanism_id")), kind, &consent, NULL);
        notice = "case_referred";
    } else if (strcmp(op, "referral_update") == 0) {
        field = "referrals";
        rc = rmd_referral_update(svc, a, &actor, parse_id(web_form(req, "referral_id")), web_form(req, "state"),
                                 nz(web_form(req, "outcome")));
    } else if (strcmp(op, "package") == 0) {
        json_t *pkg = NULL;
        char *summary = NULL;
        int64_t rid = parse_id(web_form(req, "referral_id"));
        rc = rmd_referral_package(svc, a, &actor, rid, &pkg, &summary);
        if (rc == CORE_OK) {
            int text = strcmp(web_form(req, "format"), "text") == 0;
            char *dump = text ? NULL : json_dumps(pkg, JSON_INDENT(2) | JSON_SORT_KEYS);
            char cd[96];
            snprintf(cd, sizeof cd, "attachment; filename=\"referral-%lld.%s\"", (long long)rid, text ? "txt" : "json");
            http_res_header(req, "Content-Disposition", cd);
            http_res_header(req, "Cache-Control", "no-store");
            const char *body = text ? summary : dump;
            http_res_body(req, 200, text ? "text/plain; charset=utf-8" : "application/json",
                          body ? body : "", body ? strlen(body) : 0);
            free(dump);
            free(summary);
            json_decref(pkg);
            json_decref(ctx);
            return CORE_OK;
        }
        field = "referrals";
    } else if (strcmp(op, "attach") == 0) {
        field = "attachment";
        const char *fname;
        const void *data;
        size_t len;
        if (http_req_file(req, "attachment", &fname, &data, &len) != CORE_OK) {
            web_add_error(req, ctx, field, "case.error.file");
            goto done;
        }
        rc = rmd_case_attach(svc, a, &actor, id, fname, data, len,
                             *web_form(req, "share") ? RMD_VIS_PUBLIC : RMD_VIS_INTERNAL, NULL);
    }
    if (rc == CORE_OK) {
        json_decref(ctx);
        char loc[96];
        snprintf(loc, sizeof loc, "/cases/%lld?notice=%s", (long long)id, notice);
        web_redirect(req, loc);
        return CORE_OK;
    }
    if (rc == CORE_NOTFOUND || rc == CORE_ERR || rc == CORE_NOMEM || rc == CORE_BUSY) {
        json_decref(ctx);
        fail_rc(req, rc);
        return CORE_OK;
    }
    web_add_error(req, ctx, field, rc == CORE_DENIED ? "case.error.denied"
                                   : rc == CORE_CONFLICT ? "case.error.conflict" : "case.error.invalid");
done:
    json_object_set_new(ctx, "form", json_pack("{s:s, s:s, s:s, s:s, s:s}", "op", op, "text", web_form(req, "text"),
        "reason", web_form(req, "reason"), "description", web_form(req, "description"),
        "evidence", web_form(req, "evidence")));
    return case_page(req, rc == CORE_CONFLICT ? 409 : rc == CORE_DENIED ? 403 : 400, id, ctx);
}

int web_handle_case_file(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    int64_t id = parse_id(http_req_param(req, "id")), fid = parse_id(http_req_param(req, "fid"));
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_attachment f;
    int rc = id && fid ? rmd_case_attachment_get(svc, http_req_arena(req), &actor, id, fid, &f) : CORE_NOTFOUND;
    if (rc != CORE_OK) {
        fail_rc(req, rc);
        return CORE_OK;
    }
    web_send_attachment(req, &f);
    return CORE_OK;
}

/* ---- a grievance received by phone, letter, e-mail or partner ---- */

static int new_page(http_req *req, int status, json_t *ctx)
{
    const char *lang = web_lang(req);
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *form = json_object_get(ctx, "form");
    const char *ch = json_string_value(json_object_get(form, "channel"));
    const char *cat = json_string_value(json_object_get(form, "category"));
    const char *cp = json_string_value(json_object_get(form, "contact_preference"));
    json_object_set_new(ctx, "channels", opts(lang, "grv.channel", CHANNELS, ch ? ch : "phone", 0));
    json_object_set_new(ctx, "categories", opts(lang, "grv.category", CATEGORIES, cat ? cat : "general", 0));
    static const char *const CONTACT[] = {"anonymous", "confidential", "named", NULL};
    json_object_set_new(ctx, "contact_opts", opts(lang, "report.contact", CONTACT, cp && *cp ? cp : "anonymous", 0));
    json_object_set_new(ctx, "countries", web_country_options(lang, json_string_value(json_object_get(form, "country"))));
    json_object_set_new(ctx, "languages", web_language_options(lang, json_string_value(json_object_get(form, "language"))));
    return web_page(req, status, "case_new", "case_new.title", ctx);
}

int web_handle_case_new_form(http_req *req)
{
    return new_page(req, 200, NULL);
}

int web_handle_case_new(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    static const char *const F[] = {"channel", "partner", "narrative", "category", "country", "incident_date",
                                    "outcome_sought", "contact_preference", "contact_name", "contact_email",
                                    "contact_phone", "language", NULL};
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *form = json_object();
    for (size_t i = 0; F[i]; i++)
        json_object_set_new(form, F[i], json_string(web_form(req, F[i])));
    json_object_set_new(ctx, "form", form);
    grv_intake in;
    memset(&in, 0, sizeof in);
    in.channel = web_form(req, "channel");
    in.partner = nz(web_form(req, "partner"));
    in.narrative = web_form(req, "narrative");
    in.category = nz(web_form(req, "category"));
    in.country = nz(web_form(req, "country"));
    in.incident_date = nz(web_form(req, "incident_date"));
    in.outcome_sought = nz(web_form(req, "outcome_sought"));
    in.language = nz(web_form(req, "language")) ? web_form(req, "language") : web_lang(req);
    in.contact_preference = nz(web_form(req, "contact_preference")) ? web_form(req, "contact_preference") : "anonymous";
    if (strcmp(in.contact_preference, "anonymous") != 0) {
        in.contact_name = nz(web_form(req, "contact_name"));
        in.contact_email = nz(web_form(req, "contact_email"));
        in.contact_phone = nz(web_form(req, "contact_phone"));
    }
    if (!*in.narrative)
        web_add_error(req, ctx, "narrative", "report.error.narrative");
    if (json_object_get(ctx, "errors"))
        return new_page(req, 400, ctx);
    rmd_actor actor;
    web_actor(req, &actor);
    rmd_filed filed;
    grv_error err = {0};
    int rc = rmd_file(svc, http_req_arena(req), actor.org_id, &in, &actor, &filed, &err);
    if (rc == CORE_INVALID) {
        const char *f = err.field ? (err.field[0] == '/' ? err.field + 1 : err.field) : "narrative";
        const char *k = err.key && web_msg(web_lang(req), err.key) != err.key ? err.key : "report.error.invalid";
        web_add_error(req, ctx, f, k);
        return new_page(req, 400, ctx);
    }
    if (rc != CORE_OK) {
        json_decref(ctx);
        fail_rc(req, rc);
        return CORE_OK;
    }
    /* the receipt is shown once, to pass on to the person who called or wrote */
    json_decref(ctx);
    if (!(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_object_set_new(ctx, "staff", json_true());
    json_object_set_new(ctx, "case_id", json_integer(filed.case_id));
    json_object_set_new(ctx, "groups", web_receipt_groups(filed.receipt));
    json_object_set_new(ctx, "reference", json_string(filed.reference));
    if (filed.ack_due_at)
        json_object_set_new(ctx, "ack_due", json_string(web_fmt_date(http_req_arena(req), web_lang(req), filed.ack_due_at)));
    http_res_header(req, "Cache-Control", "no-store");
    return web_page(req, 201, "report_done", "case_new.done_title", ctx);
}
