/* web_public: the grievance mechanism's public pages, for people without an
 * account. /report is the intake form (multipart, so a file can come along;
 * works without JavaScript; on an error it re-renders with every entry kept
 * and each message next to its field); its success page shows the receipt
 * code once, large and grouped, and is never cached. /receipt opens a case
 * by its receipt: the code travels only in POST bodies (a hidden field in
 * every form of the case view), never in a URL, so it stays out of logs and
 * browser histories. /mechanism publishes the rules: how it works, the time
 * limits from the organisation's policy, confidentiality, other routes.
 *
 * Nothing here logs a body, a receipt or a peer address; the peer address is
 * only handed to the service's in-memory throttle.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app/app.h"
#include "remedy/remedy.h"
#include "store/store.h"
#include "web/web.h"
#include "web/web_internal.h"

/* ---- helpers shared with the staff pages ---- */

rmd_service *web_remedy(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    if (!ctx || !ctx->remedy) {
        web_error_page(req, 503, "error.busy");
        return NULL;
    }
    return ctx->remedy;
}

void web_actor(http_req *req, rmd_actor *out)
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

const char *web_msg_n(http_req *req, const char *key, long long n)
{
    const char *m = web_msg(web_lang(req), key);
    const char *at = strstr(m, "{n}");
    const char *num = web_fmt_int(http_req_arena(req), web_lang(req), n);
    if (!at)
        return m;
    core_buf b;
    core_buf_init(&b);
    core_buf_append(&b, m, (size_t)(at - m));
    core_buf_puts(&b, num);
    core_buf_puts(&b, at + 3);
    const char *r = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return r ? r : m;
}

const char *web_label(const char *lang, const char *prefix, const char *name)
{
    if (!name)
        return "";
    char key[128];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    const char *v = web_msg(lang, key);
    return v == key ? name : v;
}

const char *web_date(core_arena *a, int64_t t)
{
    if (t <= 0)
        return "";
    time_t tt = (time_t)t;
    struct tm tm;
    char buf[16];
    if (!gmtime_r(&tt, &tm) || strftime(buf, sizeof buf, "%Y-%m-%d", &tm) == 0)
        return "";
    return core_arena_strdup(a, buf);
}

typedef struct country_opt {
    const char *code;
    const char *name;
} country_opt;

static int country_cmp(const void *x, const void *y)
{
    return strcmp(((const country_opt *)x)->name, ((const country_opt *)y)->name);
}

json_t *web_country_options(const char *lang, const char *sel)
{
    size_t nk = 0;
    const char *const *keys = web_msg_keys("en", &nk);
    country_opt opts[300];
    size_t n = 0;
    for (size_t i = 0; i < nk && n < 300; i++)
        if (strncmp(keys[i], "country.", 8) == 0 && strlen(keys[i]) == 10) {
            opts[n].code = keys[i] + 8;
            opts[n].name = web_msg(lang, keys[i]);
            n++;
        }
    qsort(opts, n, sizeof opts[0], country_cmp);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", opts[i].code, "label",
                                             opts[i].name, "selected", sel && strcmp(sel, opts[i].code) == 0));
    return arr;
}

/* Options "<prefix>.<value>" for values, selected = sel. */
static json_t *options(const char *lang, const char *prefix, const char *const *values, const char *sel)
{
    json_t *arr = json_array();
    for (size_t i = 0; values[i]; i++)
        json_array_append_new(arr, json_pack("{s:s, s:s, s:b}", "value", values[i], "label",
                                             web_label(lang, prefix, values[i]), "selected",
                                             sel && strcmp(sel, values[i]) == 0));
    return arr;
}

static const char *const CATEGORIES[] = {"general", "content_moderation", "data_protection", "whistleblowing", NULL};
static const char *const AFFECTED[] = {"self", "someone_else", "group", NULL};
static const char *const CONTACT[] = {"anonymous", "confidential", "named", NULL};
static const char *const LANGUAGES[] = {"en", "fr", "es", "de", "ar", "pt", "ru", "zh", "sw", "hi", NULL};

json_t *web_language_options(const char *lang, const char *sel)
{
    return options(lang, "language", LANGUAGES, sel && *sel ? sel : lang);
}

/* The organisation public pages speak for: the installation's first. */
static int public_org(http_req *req, store_org *org, store_product **products, size_t *np)
{
    store_conn *c;
    if (app_conn(req, &c) != CORE_OK)
        return CORE_BUSY;
    int rc = store_org_first(c, http_req_arena(req), org);
    if (rc == CORE_OK && products)
        rc = store_product_list(c, http_req_arena(req), org->id, products, np);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        app_fail(req, rc, NULL);
    return rc;
}

/* ---- /report ---- */

static const char *const REPORT_FIELDS[] = {
    "narrative", "category", "decision_date", "product", "product_text", "country",
    "incident_date", "affected", "affected_count", "rights_text", "vulnerable_group",
    "outcome_sought", "contact_preference", "contact_name", "contact_email", "contact_phone",
    "language", NULL};

static int report_page(http_req *req, int status, json_t *ctx)
{
    const char *lang = web_lang(req);
    store_org org;
    store_product *ps = NULL;
    size_t np = 0;
    if (public_org(req, &org, &ps, &np) != CORE_OK) {
        json_decref(ctx);
        return CORE_OK;
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_t *form = json_object_get(ctx, "form");
    if (!form) {
        form = json_object();
        json_object_set_new(ctx, "form", form);
    }
    const char *sel_product = json_string_value(json_object_get(form, "product"));
    json_t *prods = json_array();
    for (size_t i = 0; i < np; i++)
        json_array_append_new(prods, json_pack("{s:s, s:s, s:b}", "value", ps[i].slug, "label", ps[i].name,
                                               "selected", sel_product && strcmp(sel_product, ps[i].slug) == 0));
    json_object_set_new(ctx, "products", prods);
    json_object_set_new(ctx, "org_name", json_string(org.name ? org.name : ""));
    const char *cat = json_string_value(json_object_get(form, "category"));
    json_object_set_new(ctx, "categories", options(lang, "grv.category", CATEGORIES, cat ? cat : "general"));
    json_object_set_new(ctx, "affected_opts",
                        options(lang, "report.affected", AFFECTED, json_string_value(json_object_get(form, "affected"))));
    const char *cp = json_string_value(json_object_get(form, "contact_preference"));
    json_object_set_new(ctx, "contact_opts", options(lang, "report.contact", CONTACT, cp && *cp ? cp : "anonymous"));
    const char *fl = json_string_value(json_object_get(form, "language"));
    json_object_set_new(ctx, "languages", options(lang, "language", LANGUAGES, fl && *fl ? fl : lang));
    json_object_set_new(ctx, "countries",
                        web_country_options(lang, json_string_value(json_object_get(form, "country"))));
    json_object_set_new(ctx, "max_mb", json_integer(5));
    http_res_header(req, "Cache-Control", "no-store");
    return web_page(req, status, "report", "report.title", ctx);
}

int web_handle_report_form(http_req *req)
{
    return report_page(req, 200, NULL);
}

static const char *opt(const char *v)
{
    return v && *v ? v : NULL;
}

/* The field name of a JSON pointer ("/narrative" -> "narrative"). */
static const char *field_of(const char *ptr)
{
    if (!ptr)
        return "narrative";
    return ptr[0] == '/' ? ptr + 1 : ptr;
}

static void add_error_key(http_req *req, json_t *ctx, const char *field, const char *key, const char *fallback)
{
    const char *lang = web_lang(req);
    web_add_error(req, ctx, field, key && web_msg(lang, key) != key ? key : fallback);
}

static int form_status_page(http_req *req)
{
    int st = http_req_form_status(req);
    if (st == CORE_OK)
        return 0;
    web_error_page(req, st == CORE_DENIED ? 413 : 400, st == CORE_DENIED ? "error.too_large" : "error.bad_request");
    return 1;
}

int web_handle_report(http_req *req)
{
    if (form_status_page(req))
        return CORE_OK;
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    core_arena *a = http_req_arena(req);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_t *form = json_object();
    json_object_set_new(ctx, "form", form);
    for (size_t i = 0; REPORT_FIELDS[i]; i++)
        json_object_set_new(form, REPORT_FIELDS[i], json_string(web_form(req, REPORT_FIELDS[i])));
    const char *cp = web_form(req, "contact_preference");
    if (*cp)
        json_object_set_new(form, "contact_is_set", json_true());

    grv_intake in;
    memset(&in, 0, sizeof in);
    in.narrative = web_form(req, "narrative");
    in.category = opt(web_form(req, "category"));
    in.product = opt(web_form(req, "product"));
    in.product_text = opt(web_form(req, "product_text"));
    in.country = opt(web_form(req, "country"));
    in.incident_date = opt(web_form(req, "incident_date"));
    in.decision_date = opt(web_form(req, "decision_date"));
    in.affected = opt(web_form(req, "affected"));
    in.rights_text = opt(web_form(req, "rights_text"));
    in.vulnerable_group = opt(web_form(req, "vulnerable_group"));
    in.outcome_sought = opt(web_form(req, "outcome_sought"));
    in.contact_preference = opt(cp) ? cp : "anonymous";
    if (strcmp(in.contact_preference, "anonymous") != 0) {
        in.contact_name = opt(web_form(req, "contact_name"));
        in.contact_email = opt(web_form(req, "contact_email"));
        in.contact_phone = opt(web_form(req, "contact_phone"));
    }
    in.language = opt(web_form(req, "language"));
    if (!in.language)                        /* the language the complainant used */
        in.language = web_lang(req);
    in.channel = "web";
    const char *count = web_form(req, "affected_count");
    if (*count) {
        char *end = NULL;
        long long v = strtoll(count, &end, 10);
        if (!end || *end || v < 0 || v > 10000000000LL)
            web_add_error(req, ctx, "affected_count", "report.error.count");
        else
            in.affected_count = v;
    }
    if (!*in.narrative)
        web_add_error(req, ctx, "narrative", "report.error.narrative");
    if (strcmp(in.contact_preference, "anonymous") != 0 && !in.contact_email && !in.contact_phone)
        web_add_error(req, ctx, "contact_email", "report.error.contact");

    const char *fname = NULL;
    const void *fdata = NULL;
    size_t flen = 0;
    int has_file = http_req_file(req, "attachment", &fname, &fdata, &flen) == CORE_OK;
    const rmd_options *ro = rmd_options_of(svc);
    if (has_file && ro && flen > ro->max_attachment_bytes)
        web_add_error(req, ctx, "attachment", "report.error.file_size");
    if (json_object_get(ctx, "errors"))
        return report_page(req, 400, ctx);

    /* the file goes in with the grievance, in the same transaction: a file
     * the service refuses is an error next to its field, nothing stored */
    rmd_filed filed;
    grv_error err = {0};
    rmd_upload up = {fname, fdata, flen};
    int rc = rmd_file_with(svc, a, 0, &in, NULL, has_file ? &up : NULL, has_file ? 1 : 0, &filed, &err);
    if (rc == CORE_INVALID) {
        if (err.field && strncmp(err.field, "/attachments", 12) == 0)
            add_error_key(req, ctx, "attachment",
                          err.key && strcmp(err.key, "grv.err.file_too_big") == 0 ? "report.error.file_size"
                                                                                 : "report.error.file_type",
                          "report.error.invalid");
        else
            add_error_key(req, ctx, field_of(err.field), err.key, "report.error.invalid");
        return report_page(req, 400, ctx);
    }
    if (rc != CORE_OK) {
        json_decref(ctx);
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    json_decref(ctx);
    ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    if (has_file)
        json_object_set_new(ctx, "file_kept", json_true());
    json_object_set_new(ctx, "groups", web_receipt_groups(filed.receipt));
    json_object_set_new(ctx, "reference", json_string(filed.reference));
    if (filed.ack_due_at)
        json_object_set_new(ctx, "ack_due", json_string(web_fmt_date(a, web_lang(req), filed.ack_due_at)));
    http_res_header(req, "Cache-Control", "no-store");
    return web_page(req, 201, "report_done", "report.done_title", ctx);
}

json_t *web_receipt_groups(const char *receipt)
{
    json_t *arr = json_array();
    size_t i = 0;
    for (const char *r = receipt; r && *r;) {
        size_t l = strcspn(r, "-");
        json_array_append_new(arr, json_pack("{s:s%, s:b}", "chars", r, l, "sep", i++ > 0));
        r += l;
        if (*r == '-')
            r++;
    }
    return arr;
}

/* Sends a decrypted attachment as a download: always "attachment" (never
 * rendered inline in our origin), the sniffed type, no caching. */
void web_send_attachment(http_req *req, const rmd_attachment *f)
{
    http_res_download(req, f->filename, (long long)f->id, f->mime, f->data, f->data ? (size_t)f->size : 0);
}

/* ---- /receipt ---- */

int web_handle_receipt_form(http_req *req)
{
    http_res_header(req, "Cache-Control", "no-store");
    return web_page(req, 200, "receipt", "receipt.title", NULL);
}

static json_t *clock_rows(http_req *req, const rmd_clock_view *cv, size_t n)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *status = grv_clock_status_name(cv[i].status);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s, s:b}",
            "name", web_label(lang, "grv.clock", cv[i].name),
            "due", web_fmt_date(a, web_lang(req), cv[i].clock.due_at),
            "status", web_label(lang, "grv.clock_status", status),
            "status_name", status,
            "late", cv[i].status == GRV_CLOCK_OVERDUE || cv[i].status == GRV_CLOCK_MISSED));
    }
    return arr;
}

static json_t *remedy_rows(http_req *req, const rmd_remedy *r, size_t n)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++)
        json_array_append_new(arr, json_pack("{s:I, s:s, s:s?, s:s, s:s?, s:s?, s:s, s:s, s:s}",
            "id", (json_int_t)r[i].id,
            "type", web_label(lang, "grv.remedy", r[i].type),
            "description", r[i].description,
            "state", web_label(lang, "grv.remedy_state", rmd_remedy_state_name(r[i].state)),
            "comment", r[i].complainant_comment,
            "evidence", r[i].evidence,
            "proposed", web_fmt_date(a, web_lang(req), r[i].proposed_at),
            "decided", web_fmt_date(a, web_lang(req), r[i].decided_at),
            "implemented", web_fmt_date(a, web_lang(req), r[i].implemented_at)));
    return arr;
}

json_t *web_event_rows(http_req *req, const rmd_event *e, size_t n, int staff)
{
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    json_t *arr = json_array();
    for (size_t i = 0; i < n; i++) {
        const char *who;
        if (e[i].actor_kind == GRV_BY_COMPLAINANT)
            who = web_msg(lang, staff ? "case.by_complainant" : "receipt.by_you");
        else if (e[i].actor_kind == GRV_BY_SYSTEM)
            who = web_msg(lang, "case.by_system");
        else
            who = staff && e[i].actor_name ? e[i].actor_name : web_msg(lang, "receipt.by_staff");
        const char *what = web_label(lang, "grv.event", e[i].kind);
        if (e[i].action)
            what = web_label(lang, "grv.action", e[i].action);
        const char *pub = NULL;
        if (e[i].public_key && web_msg(lang, e[i].public_key) != e[i].public_key)
            pub = web_msg(lang, e[i].public_key);
        json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:s?, s:s?, s:b, s:b, s:s}",
            "time", web_fmt_time(a, web_lang(req), e[i].at), "who", who, "what", what, "body", e[i].body,
            "public_text", pub, "internal", e[i].visibility == RMD_VIS_INTERNAL,
            "from_complainant", e[i].actor_kind == GRV_BY_COMPLAINANT,
            "kind", e[i].kind ? e[i].kind : ""));
    }
    return arr;
}

static int case_view(http_req *req, int status, const char *receipt, json_t *ctx)
{
    rmd_service *svc = web_remedy(req);
    if (!svc) {
        json_decref(ctx);
        return CORE_OK;
    }
    const char *lang = web_lang(req);
    core_arena *a = http_req_arena(req);
    rmd_peer peer = {http_req_peer(req), 0};
    rmd_case_public cp;
    int rc = rmd_receipt_open(svc, a, receipt, &peer, RMD_PUB_ALL, &cp);
    if (rc != CORE_OK) {
        json_decref(ctx);
        ctx = web_ctx(req);
        if (!ctx)
            return CORE_NOMEM;
        if (rc == CORE_BUSY && peer.retry_after_s > 0) {   /* else: storage trouble, 503 below */
            char ra[24];
            snprintf(ra, sizeof ra, "%lld", (long long)peer.retry_after_s);
            http_res_header(req, "Retry-After", ra);
            web_add_error(req, ctx, "receipt", "receipt.error.busy");
            status = 429;
        } else if (rc == CORE_NOTFOUND || rc == CORE_INVALID) {
            web_add_error(req, ctx, "receipt", "receipt.error.unknown");
            status = 404;
        } else {
            json_decref(ctx);
            app_fail(req, rc, NULL);
            return CORE_OK;
        }
        http_res_header(req, "Cache-Control", "no-store");
        return web_page(req, status, "receipt", "receipt.title", ctx);
    }
    if (!ctx && !(ctx = web_ctx(req)))
        return CORE_NOMEM;
    json_object_set_new(ctx, "receipt", json_string(receipt));
    json_object_set_new(ctx, "reference", json_string(cp.reference));
    json_object_set_new(ctx, "state_label", json_string(web_label(lang, "grv.state", cp.state_name)));
    json_object_set_new(ctx, "state_text", json_string(web_msg(lang, cp.state_key)));
    json_object_set_new(ctx, "filed", json_string(web_fmt_date(a, web_lang(req), cp.created_at)));
    json_object_set_new(ctx, "updated", json_string(web_fmt_time(a, web_lang(req), cp.updated_at)));
    json_object_set_new(ctx, "waiting", json_boolean(cp.waiting_on_complainant));
    json_object_set_new(ctx, "clocks", clock_rows(req, cp.clocks, cp.nclocks));
    json_t *thread = web_event_rows(req, cp.thread, cp.nthread, 0);
    json_t *rems = remedy_rows(req, cp.remedies, cp.nremedies);
    web_mark_ends(thread);
    web_mark_ends(rems);
    json_object_set_new(ctx, "thread", thread);
    json_object_set_new(ctx, "remedies", rems);
    json_t *att = json_array();
    for (size_t i = 0; i < cp.nattachments; i++)
        json_array_append_new(att, json_pack("{s:I, s:s?, s:s?, s:I, s:s}", "id", (json_int_t)cp.attachments[i].id,
            "filename", cp.attachments[i].filename,
            "mime", cp.attachments[i].mime, "size", (json_int_t)cp.attachments[i].size,
            "date", web_fmt_date(a, web_lang(req), cp.attachments[i].created_at)));
    web_mark_ends(att);
    json_object_set_new(ctx, "attachments", att);
    json_object_set_new(ctx, "can_message", json_boolean(cp.can_message));
    json_object_set_new(ctx, "can_decide", json_boolean(cp.can_decide_remedy));
    json_object_set_new(ctx, "can_appeal", json_boolean(cp.can_appeal));
    json_object_set_new(ctx, "can_withdraw", json_boolean(cp.can_withdraw));
    json_object_set_new(ctx, "can_rate", json_boolean(cp.can_rate));
    /* erasure of the complainant's personal data (rmd_receipt_erase) */
    if (cp.erased_at)
        json_object_set_new(ctx, "erased", json_string(web_fmt_date(a, web_lang(req), cp.erased_at)));
    json_object_set_new(ctx, "can_erase", json_boolean(!cp.erased_at));
    json_object_set_new(ctx, "erase_open", json_boolean(!grv_state_is_final(cp.state)));
    if (cp.erased_at)
        json_object_del(ctx, "erase_confirm");
    if (cp.satisfaction)
        json_object_set_new(ctx, "rated", json_string(web_msg_n(req, "receipt.rated", cp.satisfaction)));
    /* other routes open to the person: the pathway for this case */
    rmd_mechanism *pw = NULL;
    size_t npw = 0;
    json_t *routes = json_array();
    if (rmd_pathway_receipt(svc, a, receipt, &peer, &pw, &npw) == CORE_OK)
        for (size_t i = 0; i < npw && i < 8; i++) {
            const char *url = pw[i].m.intake_url ? pw[i].m.intake_url : pw[i].m.website;
            if (url && strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
                url = NULL;
            json_array_append_new(routes, json_pack("{s:s?, s:s, s:s?}", "name", pw[i].m.name, "kind",
                                                    web_label(lang, "mech.kind", pw[i].m.kind), "url", url));
        }
    web_mark_ends(routes);
    json_object_set_new(ctx, "routes", routes);
    json_t *stars = json_array();
    for (int i = 1; i <= 5; i++) {
        char key[40];
        snprintf(key, sizeof key, "receipt.rate_%d", i);
        json_array_append_new(stars, json_pack("{s:i, s:s}", "value", i, "label", web_msg(lang, key)));
    }
    json_object_set_new(ctx, "stars", stars);
    http_res_header(req, "Cache-Control", "no-store");
    return web_page(req, status, "receipt_case", "receipt.case_title", ctx);
}

/* One complainant action named by the "op" field; CORE_OK when done. Sets
 * notice or errors on ctx. */
static int receipt_op(http_req *req, rmd_service *svc, const char *receipt, const char *op, json_t *ctx)
{
    core_arena *a = http_req_arena(req);
    const char *lang = web_lang(req);
    rmd_peer peer = {http_req_peer(req), 0};
    const char *text = web_form(req, "text");
    const char *reason = web_form(req, "reason");
    const char *comment = web_form(req, "comment");
    int rc;
    const char *notice = NULL, *field = "text";
    if (strcmp(op, "message") == 0 || strcmp(op, "info") == 0) {
        const char *fname = NULL;
        const void *fdata = NULL;
        size_t flen = 0;
        int has_file = strcmp(op, "info") == 0 &&
                       http_req_file(req, "attachment", &fname, &fdata, &flen) == CORE_OK;
        if (!*text && !has_file) {
            web_add_error(req, ctx, op[0] == 'm' ? "text" : "info_text", "receipt.error.text");
            return CORE_INVALID;
        }
        rc = CORE_OK;
        if (*text)
            rc = op[0] == 'm' ? rmd_receipt_message(svc, a, receipt, &peer, text)
                              : rmd_receipt_add_info(svc, a, receipt, &peer, text);
        if (rc == CORE_OK && has_file) {
            rc = rmd_receipt_attach(svc, a, receipt, &peer, fname, fdata, flen, NULL);
            field = "attachment";
        } else if (op[0] == 'i') {
            field = "info_text";
        }
        notice = op[0] == 'm' ? "receipt.notice.message" : "receipt.notice.info";
    } else if (strcmp(op, "accept") == 0 || strcmp(op, "reject") == 0) {
        rc = rmd_receipt_remedy_decision(svc, a, receipt, &peer, op[0] == 'a', opt(comment));
        notice = op[0] == 'a' ? "receipt.notice.accepted" : "receipt.notice.rejected";
        field = "comment";
    } else if (strcmp(op, "appeal") == 0) {
        if (!*reason) {
            web_add_error(req, ctx, "appeal_reason", "receipt.error.reason");
            return CORE_INVALID;
        }
        rc = rmd_receipt_appeal(svc, a, receipt, &peer, reason);
        notice = "receipt.notice.appealed";
        field = "appeal_reason";
    } else if (strcmp(op, "withdraw") == 0) {
        rc = rmd_receipt_withdraw(svc, a, receipt, &peer, opt(reason));
        notice = "receipt.notice.withdrawn";
        field = "withdraw_reason";
    } else if (strcmp(op, "erase_ask") == 0) {
        json_object_set_new(ctx, "erase_confirm", json_true());   /* the confirmation step */
        return CORE_OK;
    } else if (strcmp(op, "erase") == 0) {
        if (strcmp(web_form(req, "confirm"), "yes") != 0) {
            json_object_set_new(ctx, "erase_confirm", json_true());
            web_add_error(req, ctx, "erase_confirm", "receipt.error.erase_confirm");
            return CORE_INVALID;
        }
        rc = rmd_receipt_erase(svc, a, receipt, &peer, NULL);
        notice = "receipt.notice.erased";
        field = "erase_confirm";
    } else if (strcmp(op, "file") == 0) {
        rmd_attachment f;
        char *end = NULL;
        long long fid = strtoll(web_form(req, "attachment_id"), &end, 10);
        rc = (end && !*end && fid > 0) ? rmd_receipt_attachment_get(svc, a, receipt, &peer, fid, &f) : CORE_NOTFOUND;
        if (rc == CORE_OK) {
            web_send_attachment(req, &f);
            return CORE_OK;
        }
        field = "files";
    } else if (strcmp(op, "rate") == 0) {
        char *end = NULL;
        const char *s = web_form(req, "satisfaction");
        long v = strtol(s, &end, 10);
        if (!*s || !end || *end || v < 1 || v > 5) {
            web_add_error(req, ctx, "satisfaction", "receipt.error.rating");
            return CORE_INVALID;
        }
        rc = rmd_receipt_rate(svc, a, receipt, &peer, (int)v, opt(comment));
        notice = "receipt.notice.rated";
        field = "satisfaction";
    } else {
        return CORE_OK;   /* "view" or unknown: just show the case */
    }
    if (rc == CORE_BUSY && peer.retry_after_s == 0) {
        /* the database is locked, full or unreachable (not the guessing
         * throttle): a clear 503, never the case page as if it were kept */
        app_fail(req, rc, NULL);
        return CORE_OK;
    }
    if (rc == CORE_OK) {
        json_object_set_new(ctx, "notice", json_string(web_msg(lang, notice)));
        return CORE_OK;
    }
    if (rc == CORE_INVALID)
        web_add_error(req, ctx, field, "receipt.error.invalid");
    else if (rc == CORE_CONFLICT)
        web_add_error(req, ctx, field, "receipt.error.conflict");
    return rc;
}

int web_handle_receipt(http_req *req)
{
    if (form_status_page(req))
        return CORE_OK;
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    const char *receipt = web_form(req, "receipt");
    const char *op = web_form(req, "op");
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    char norm[GRV_RECEIPT_CHARS + 1];
    if (!*receipt || grv_receipt_normalize(receipt, norm) != CORE_OK) {
        /* same answer as a wrong code: the service counts it too */
        return case_view(req, 404, receipt, ctx);
    }
    /* carried on in its written form in the hidden fields */
    char fmt[GRV_RECEIPT_TEXT + 1];
    snprintf(fmt, sizeof fmt, "%.5s-%.5s-%.5s-%.5s", norm, norm + 5, norm + 10, norm + 15);
    receipt = core_arena_strdup(http_req_arena(req), fmt);
    if (!receipt) {
        json_decref(ctx);
        return CORE_NOMEM;
    }
    int status = 200;
    if (*op && strcmp(op, "view") != 0) {
        int rc = receipt_op(req, svc, receipt, op, ctx);
        if (rc == CORE_OK && http_res_is_set(req)) {   /* a download */
            json_decref(ctx);
            return CORE_OK;
        }
        if (rc == CORE_NOTFOUND || rc == CORE_BUSY)
            return case_view(req, 404, receipt, ctx);   /* case_view answers 404/429 itself */
        if (rc != CORE_OK) {
            status = rc == CORE_CONFLICT ? 409 : 400;
            json_t *form = json_pack("{s:s, s:s, s:s, s:s}", "text", web_form(req, "text"), "reason",
                                     web_form(req, "reason"), "comment", web_form(req, "comment"),
                                     "op", op);
            json_object_set_new(ctx, "form", form);
        }
    }
    return case_view(req, status, receipt, ctx);
}

/* ---- /mechanism ---- */

int web_handle_mechanism(http_req *req)
{
    rmd_service *svc = web_remedy(req);
    if (!svc)
        return CORE_OK;
    store_org org;
    if (public_org(req, &org, NULL, NULL) != CORE_OK)
        return CORE_OK;
    grv_policy p;
    if (rmd_policy_public(svc, org.id, &p) != CORE_OK)
        grv_policy_defaults(&p);
    json_t *ctx = web_ctx(req);
    if (!ctx)
        return CORE_NOMEM;
    json_object_set_new(ctx, "org_name", json_string(org.name ? org.name : ""));
    json_object_set_new(ctx, "limit_ack", json_string(web_msg_n(req, "mechanism.limit_ack", p.ack_days)));
    json_object_set_new(ctx, "limit_feedback",
                        json_string(web_msg_n(req, "mechanism.limit_feedback", p.feedback_days)));
    json_object_set_new(ctx, "limit_moderation",
                        json_string(web_msg_n(req, "mechanism.limit_moderation", p.moderation_window_days)));
    json_object_set_new(ctx, "limit_dsr", json_string(web_msg_n(req, "mechanism.limit_dsr", p.dsr_days)));
    json_object_set_new(ctx, "limit_dsr_ext",
                        json_string(web_msg_n(req, "mechanism.limit_dsr_ext", p.dsr_extension_days)));
    /* other routes: the pathway for the country the person picks (GET form) */
    const char *country = http_req_query(req, "country");
    if (country && (strlen(country) != 2 || country[0] < 'A' || country[0] > 'Z' || country[1] < 'A' || country[1] > 'Z'))
        country = NULL;
    json_object_set_new(ctx, "countries", web_country_options(web_lang(req), country));
    json_t *mechs = web_mech_public_rows(req, org.id, country);
    if (json_array_size(mechs))
        json_object_set_new(ctx, "mechanisms", mechs);
    else
        json_decref(mechs);
    /* the published statistics (k-anonymous): the headline figures */
    json_t *st = NULL;
    if (rmd_stats_public(svc, http_req_arena(req), org.id, 0, 0, &st) == CORE_OK && json_is_object(st))
        json_object_set_new(ctx, "stats", web_gstats_facts(req, st));
    json_decref(st);
    return web_page(req, 200, "mechanism", "mechanism.title", ctx);
}
