/* web_dd_common: what the register pages share: the service and the
 * principal, labels of the register's vocabularies (dd.KIND.NAME in
 * i18n/en.dd.json), day formatting and parsing, the mapping of a service
 * error (JSON pointer + message key) onto the form field it names, and the
 * field descriptions rendered by templates/_dd_field.html.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app/app.h"
#include "grievance/grievance.h"
#include "register/register.h"
#include "web/web.h"
#include "web/web_dd.h"

const char *const WEB_DD_SCOPE_KINDS[] = {"product", "service", "feature", "customer", "end_user",
                                          "state_agency", "supplier", "partner", "investee", NULL};
const char *const WEB_DD_MARKERS[] = {"surveillance_to_state", "state_customer", "conflict_affected",
                                      "high_risk_area", "children_users", "automated_decisions", "mass_data", NULL};
const char *const WEB_DD_PHASES[] = {"design", "development", "marketing", "sale_or_licensing", "deployment",
                                     "use", NULL};
const char *const WEB_DD_STATUSES[] = {"potential", "possibly_actual", "actual", NULL};
const char *const WEB_DD_INVOLVEMENTS[] = {"cause", "contribute", "directly_linked", NULL};
const char *const WEB_DD_EVIDENCE[] = {"assessment", "grievance", "stakeholder_input", "media", "audit", NULL};
const char *const WEB_DD_TRIGGERS[] = {"new_activity", "major_change", "environment_change", "periodic",
                                       "grievance", NULL};
const char *const WEB_DD_ASSESS_KINDS[] = {"hria", "dd_review", NULL};
const char *const WEB_DD_ACTION_KINDS[] = {"prevent", "mitigate", "remediate", "use_leverage",
                                           "suspend_relationship", "end_relationship", NULL};
const char *const WEB_DD_FUNCTIONS[] = {"product", "engineering", "trust_and_safety", "legal", "sales",
                                        "procurement", "human_rights", "other", NULL};
const char *const WEB_DD_ACTION_STATES[] = {"planned", "in_progress", "done", "cancelled", NULL};
const char *const WEB_DD_DIRECTIONS[] = {"increase", "decrease", "maintain", NULL};
const char *const WEB_DD_SH_KINDS[] = {"organisation", "affected_group", "expert", "representative", NULL};
const char *const WEB_DD_STEPS[] = {"identify", "assess", "act", "track", "communicate", "remedy", NULL};
const char *const WEB_DD_FORMATS[] = {"meeting", "workshop", "survey", "interview", "consultation", "written",
                                      "other", NULL};
const char *const WEB_DD_CHANNELS[] = {"website", "intranet", "training", "supplier_code", "email", "other", NULL};
const char *const WEB_DD_AUDIENCES[] = {"staff", "business_partners", "users", "public", "investors", "other",
                                        NULL};

reg_service *web_reg(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    if (!ctx || !ctx->reg) {
        web_error_page(req, 503, "error.busy");
        return NULL;
    }
    return ctx->reg;
}

void web_reg_principal(http_req *req, reg_principal *out)
{
    const app_principal *p = app_principal_of(req);
    memset(out, 0, sizeof *out);
    out->user_id = p->user_id;
    out->org_id = p->org_id;
    out->role = p->role;
    char label[40];
    if (p->token_id > 0)
        snprintf(label, sizeof label, "token:%lld", (long long)p->token_id);
    else
        snprintf(label, sizeof label, "user:%lld", (long long)p->user_id);
    out->label = core_arena_strdup(http_req_arena(req), label);
}

const char *web_dd_label(const char *lang, const char *kind, const char *name)
{
    if (!name)
        return "";
    char key[96];
    snprintf(key, sizeof key, "dd.%s.%s", kind, name);
    const char *v = web_msg(lang, key);
    return v == key ? name : v;
}

json_t *web_dd_opts(const char *lang, const char *kind, const char *const *names, const char *sel, int with_none)
{
    json_t *arr = json_array();
    if (with_none)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", "", "label", web_msg(lang, "dd.none"),
                                             "selected", !sel || !*sel));
    for (size_t i = 0; names[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", names[i], "label",
                                             web_dd_label(lang, kind, names[i]), "selected",
                                             sel && strcmp(sel, names[i]) == 0));
    return arr;
}

const char *web_dd_labels(http_req *req, const char *kind, const char *tokens)
{
    if (!tokens || !*tokens)
        return "";
    const char *lang = web_lang(req);
    core_buf b;
    core_buf_init(&b);
    const char *p = tokens;
    int first = 1;
    while (*p) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (!n)
            break;
        char tok[80];
        snprintf(tok, sizeof tok, "%.*s", (int)(n < 79 ? n : 79), p);
        if (!first)
            core_buf_puts(&b, ", ");
        core_buf_puts(&b, kind ? web_dd_label(lang, kind, tok) : tok);
        first = 0;
        p += n;
    }
    const char *r = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return r ? r : "";
}

int64_t web_dd_id(const char *s)
{
    if (!s || !*s)
        return 0;
    char *end = NULL;
    long long v = strtoll(s, &end, 10);
    return (end && !*end && v > 0) ? (int64_t)v : 0;
}

const char *web_dd_day(core_arena *a, int64_t day)
{
    if (day < 0)
        return "";
    char d[11];
    reg_day_format(day, d);
    const char *r = core_arena_strdup(a, d);
    return r ? r : "";
}

const char *web_dd_date(core_arena *a, const char *lang, int64_t day)
{
    if (day < 0)
        return "";
    if (day == 0)                 /* web_fmt_date gives "" for 0 */
        return web_dd_day(a, 0);
    const char *r = web_fmt_date(a, lang, day * 86400);
    return r ? r : "";
}

int web_dd_parse_day(const char *s, int64_t dflt, int64_t *day)
{
    if (!s || !*s) {
        *day = dflt;
        return CORE_OK;
    }
    return grv_date_parse(s, day) == CORE_OK ? CORE_OK : CORE_INVALID;
}

void web_dd_error(http_req *req, int rc)
{
    switch (rc) {
    case CORE_NOTFOUND: web_error_page(req, 404, "error.not_found"); break;
    case CORE_DENIED: web_error_page(req, 403, "error.forbidden"); break;
    case CORE_CONFLICT: web_error_page(req, 409, "error.conflict"); break;
    case CORE_INVALID: web_error_page(req, 400, "error.bad_request"); break;
    default: app_fail(req, rc, NULL); break;
    }
}

int web_dd_fail(http_req *req, json_t *ctx, int rc, const reg_error *err, const char *prefix,
                const char *dflt_field)
{
    if (rc != CORE_INVALID && rc != CORE_CONFLICT && rc != CORE_DENIED) {
        web_dd_error(req, rc);
        return 0;
    }
    char field[80];
    const char *f = err && err->field ? err->field : "";
    if (*f == '/')
        f++;
    size_t n = strcspn(f, "/");
    if (n == 0 || n > 60)
        snprintf(field, sizeof field, "%s", dflt_field);
    else
        snprintf(field, sizeof field, "%s%.*s", prefix ? prefix : "", (int)n, f);
    const char *lang = web_lang(req);
    const char *key = err && err->key && web_msg(lang, err->key) != err->key ? err->key
                      : rc == CORE_DENIED ? "dd.error.denied" : rc == CORE_CONFLICT ? "dd.error.conflict"
                      : "dd.error.invalid";
    web_add_error(req, ctx, field, key);
    return rc == CORE_DENIED ? 403 : rc == CORE_CONFLICT ? 409 : 400;
}

void web_dd_redirect(http_req *req, const char *path, const char *notice)
{
    char loc[160];
    snprintf(loc, sizeof loc, "%s%snotice=%s", path, strchr(path, '?') ? "&" : "?", notice);
    web_redirect(req, loc);
}

/* ---- field descriptions ---- */

static json_t *field(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *hint_key)
{
    const char *lang = web_lang(req);
    char ek[96];
    snprintf(ek, sizeof ek, "error_%s", name);
    const char *err = json_string_value(json_object_get(ctx, ek));
    char desc[200] = "";
    if (hint_key && err)
        snprintf(desc, sizeof desc, "%s-hint %s-error", name, name);
    else if (hint_key)
        snprintf(desc, sizeof desc, "%s-hint", name);
    else if (err)
        snprintf(desc, sizeof desc, "%s-error", name);
    return json_pack("{s:s, s:s, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:b, s:s}", "name", name,
                     "label", web_msg(lang, label_key), "hint", hint_key ? web_msg(lang, hint_key) : "",
                     "error", err ? err : "", "describedby", desc, "select", 0, "area", 0, "check", 0,
                     "short", 0, "numeric", 0, "group", 0, "type", "text");
}

json_t *web_dd_input(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                     const char *type, const char *hint_key)
{
    json_t *f = field(req, ctx, name, label_key, hint_key);
    json_object_set_new(f, "value", json_string(value ? value : ""));
    json_object_set_new(f, "type", json_string(type ? type : "text"));
    json_object_set_new(f, "options", json_array());
    if (type && strcmp(type, "number") == 0) {
        json_object_set_new(f, "type", json_string("text"));
        json_object_set_new(f, "numeric", json_true());
        json_object_set_new(f, "short", json_true());
    }
    return f;
}

json_t *web_dd_text(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                    const char *hint_key)
{
    return web_dd_input(req, ctx, name, label_key, value, "text", hint_key);
}

json_t *web_dd_area(http_req *req, json_t *ctx, const char *name, const char *label_key, const char *value,
                    const char *hint_key, int rows)
{
    json_t *f = field(req, ctx, name, label_key, hint_key);
    json_object_set_new(f, "value", json_string(value ? value : ""));
    json_object_set_new(f, "area", json_integer(rows > 0 ? rows : 3));
    json_object_set_new(f, "options", json_array());
    return f;
}

json_t *web_dd_select(http_req *req, json_t *ctx, const char *name, const char *label_key, json_t *options,
                      const char *hint_key)
{
    json_t *f = field(req, ctx, name, label_key, hint_key);
    json_object_set_new(f, "select", json_true());
    json_object_set_new(f, "value", json_string(""));
    json_object_set_new(f, "options", options ? options : json_array());
    return f;
}

json_t *web_dd_check(const char *name, const char *label, int checked)
{
    return json_pack("{s:s, s:s, s:b, s:b, s:s, s:s, s:s, s:b, s:b, s:b, s:b, s:b, s:s, s:[]}", "name", name,
                     "label", label ? label : "", "check", 1, "value", checked, "hint", "", "error", "",
                     "describedby", "", "select", 0, "area", 0, "short", 0, "numeric", 0, "group", 0,
                     "type", "checkbox", "options");
}

const char *web_dd_val(json_t *ctx, const char *name, const char *dflt)
{
    const char *v = json_string_value(json_object_get(json_object_get(ctx, "form"), name));
    return v ? v : dflt;
}

void web_dd_keep(http_req *req, json_t *ctx, const char *const *names)
{
    json_t *form = json_object_get(ctx, "form");
    if (!form) {
        form = json_object();
        json_object_set_new(ctx, "form", form);
    }
    for (size_t i = 0; names[i]; i++)
        json_object_set_new(form, names[i], json_string(web_form(req, names[i])));
}

int web_dd_has_token(const char *tokens, const char *tok)
{
    size_t tl = strlen(tok);
    for (const char *p = tokens; p && *p;) {
        while (*p == ' ')
            p++;
        size_t n = strcspn(p, " ");
        if (n == tl && strncmp(p, tok, n) == 0)
            return 1;
        p += n;
    }
    return 0;
}

const char *web_dd_checked(http_req *req, const char *prefix, const char *const *names)
{
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; names[i]; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s%s", prefix, names[i]);
        if (*web_form(req, key)) {
            if (b.len)
                core_buf_puts(&b, " ");
            core_buf_puts(&b, names[i]);
        }
    }
    const char *r = core_arena_strdup(http_req_arena(req), b.len ? core_buf_cstr(&b) : "");
    core_buf_cleanup(&b);
    return r ? r : "";
}

json_t *web_dd_checks(http_req *req, const char *prefix, const char *kind, const char *const *names,
                      const char *tokens)
{
    const char *lang = web_lang(req);
    json_t *arr = json_array();
    for (size_t i = 0; names[i]; i++) {
        char key[96];
        snprintf(key, sizeof key, "%s%s", prefix, names[i]);
        json_array_append_new(arr, web_dd_check(key, web_dd_label(lang, kind, names[i]),
                                                web_dd_has_token(tokens, names[i])));
    }
    return arr;
}

/* The label of the field named name among the field descriptions in v (any depth). */
static const char *find_label(json_t *v, const char *name, int depth)
{
    if (depth > 6)
        return NULL;
    if (json_is_object(v)) {
        const char *n = json_string_value(json_object_get(v, "name"));
        const char *l = json_string_value(json_object_get(v, "label"));
        if (n && l && strcmp(n, name) == 0)
            return l;
        const char *k;
        json_t *x;
        json_object_foreach(v, k, x) {
            if (strcmp(k, "errors") == 0 || strcmp(k, "form") == 0)
                continue;
            const char *r = find_label(x, name, depth + 1);
            if (r)
                return r;
        }
    } else if (json_is_array(v)) {
        size_t i;
        json_t *x;
        json_array_foreach(v, i, x) {
            const char *r = find_label(x, name, depth + 1);
            if (r)
                return r;
        }
    }
    return NULL;
}

int web_dd_page(http_req *req, int status, const char *tpl, const char *title_key, json_t *ctx)
{
    /* the error summary names the field: "Rights affected: Fill this in." */
    static const char *const GROUPS[][2] = {{"rights", "dd.form.rights"}, {"evidence", "dd.impact.evidence"},
                                            {"markers", "dd.scope.markers"}};
    json_t *errs = json_object_get(ctx, "errors");
    size_t i;
    json_t *e;
    json_array_foreach(errs, i, e) {
        const char *f = json_string_value(json_object_get(e, "field"));
        const char *m = json_string_value(json_object_get(e, "message"));
        if (!f || !m)
            continue;
        const char *label = find_label(ctx, f, 0);
        for (size_t g = 0; !label && g < sizeof GROUPS / sizeof GROUPS[0]; g++)
            if (strcmp(f, GROUPS[g][0]) == 0)
                label = web_msg(web_lang(req), GROUPS[g][1]);
        if (!label)
            continue;
        char buf[600];
        snprintf(buf, sizeof buf, "%s: %s", label, m);
        json_object_set_new(e, "message", json_string(buf));
    }
    return web_page(req, status, tpl, title_key, ctx);
}
