/* api_util: renderings, strict input readers and the transaction pattern the
 * API handlers share. Renderings list fields explicitly (an allow-list), so a
 * new secret column in the store can never leak by accident.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api_internal.h"

/* ---- renderings ---- */

json_t *api_time_json(int64_t unix_s)
{
    if (unix_s <= 0)
        return json_null();
    time_t t = (time_t)unix_s;
    struct tm tm;
    if (!gmtime_r(&t, &tm))
        return json_null();
    char buf[32];
    if (strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        return json_null();
    return json_string(buf);
}

static json_t *str_or_null(const char *s)
{
    return s ? json_string(s) : json_null();
}

json_t *api_org_json(const store_org *o)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)o->id,
        "slug", str_or_null(o->slug),
        "name", str_or_null(o->name),
        "kind", str_or_null(o->kind),
        "parent_id", o->parent_id > 0 ? json_integer(o->parent_id) : json_null(),
        "description", str_or_null(o->description),
        "created_at", api_time_json(o->created_at));
}

json_t *api_user_json(const store_user *u)
{
    return json_pack("{s:I, s:o, s:o, s:b, s:b, s:o, s:o}",
        "id", (json_int_t)u->id,
        "email", str_or_null(u->email),
        "display_name", str_or_null(u->display_name),
        "disabled", u->disabled ? 1 : 0,
        "totp_enabled", u->totp_secret && u->totp_secret[0] ? 1 : 0,
        "created_at", api_time_json(u->created_at),
        "last_login_at", api_time_json(u->last_login_at));
}

json_t *api_member_json(const store_member *m)
{
    json_t *o = api_user_json(&m->user);
    if (o)
        json_object_set_new(o, "role", json_string(core_role_name(m->role)));
    return o;
}

json_t *api_scopes_json(const char *scopes)
{
    json_t *a = json_array();
    if (!a || !scopes)
        return a;
    const char *p = scopes;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *s = p;
        while (*p && *p != ' ')
            p++;
        if (p > s)
            json_array_append_new(a, json_stringn(s, (size_t)(p - s)));
    }
    return a;
}

json_t *api_token_json(const store_token *t)
{
    return json_pack("{s:I, s:o, s:o, s:I, s:o, s:o, s:o, s:o, s:b}",
        "id", (json_int_t)t->id,
        "name", str_or_null(t->name),
        "scopes", api_scopes_json(t->scopes),
        "user_id", (json_int_t)t->user_id,
        "created_at", api_time_json(t->created_at),
        "expires_at", api_time_json(t->expires_at),
        "revoked_at", api_time_json(t->revoked_at),
        "last_used_at", api_time_json(t->last_used_at),
        "active", t->revoked_at == 0 ? 1 : 0);
}

json_t *api_product_json(const store_product *p)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o}",
        "id", (json_int_t)p->id,
        "slug", str_or_null(p->slug),
        "name", str_or_null(p->name),
        "kind", str_or_null(p->kind),
        "description", str_or_null(p->description),
        "created_at", api_time_json(p->created_at));
}

json_t *api_audit_json(const store_audit_entry *e)
{
    return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
        "seq", (json_int_t)e->seq,
        "at", api_time_json(e->at),
        "actor", str_or_null(e->actor),
        "actor_user_id", e->actor_user_id > 0 ? json_integer(e->actor_user_id) : json_null(),
        "object_type", str_or_null(e->object_type),
        "object_id", str_or_null(e->object_id),
        "action", str_or_null(e->action),
        "before_digest", str_or_null(e->before_digest),
        "after_digest", str_or_null(e->after_digest),
        "prev_hash", str_or_null(e->prev_hash),
        "hash", str_or_null(e->hash));
}

/* ---- responses ---- */

void api_reply(http_req *req, int status, json_t *body)
{
    if (!body) {
        api_no_memory(req);
        return;
    }
    http_res_json(req, status, body);
}

void api_no_memory(http_req *req)
{
    http_res_problem(req, 500, "Internal Server Error", "The server ran out of memory.", NULL);
}

void api_not_found(http_req *req)
{
    http_res_problem(req, 404, "Not Found", "No such resource.", NULL);
}

/* "/" + member with '~' -> "~0" and '/' -> "~1" (RFC 6901); at most 200 bytes of the name. */
static const char *pointer_of(http_req *req, const char *member)
{
    core_buf b;
    core_buf_init(&b);
    core_buf_putc(&b, '/');
    size_t n = 0;
    for (const char *p = member; *p && n < 200; p++, n++) {
        if (*p == '~')
            core_buf_puts(&b, "~0");
        else if (*p == '/')
            core_buf_puts(&b, "~1");
        else
            core_buf_putc(&b, *p);
    }
    char *s = core_arena_strdup(http_req_arena(req), core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s ? s : "/";
}

void api_problem_member(http_req *req, int status, const char *title, const char *detail,
                        const char *member)
{
    http_res_problem(req, status, title, detail, member ? pointer_of(req, member) : NULL);
}

void api_problem_ext(http_req *req, int status, const char *title, const char *detail,
                     const char *field, json_t *extra)
{
    json_t *p = json_pack("{s:s, s:s, s:i}", "type", "about:blank", "title", title,
                          "status", status);
    if (!p) {
        json_decref(extra);
        api_no_memory(req);
        return;
    }
    if (detail)
        json_object_set_new(p, "detail", json_string(detail));
    if (field)
        json_object_set_new(p, "field", json_string(field));
    if (extra) {
        json_object_update(p, extra);
        json_decref(extra);
    }
    char *s = json_dumps(p, JSON_COMPACT);
    json_decref(p);
    if (!s) {
        api_no_memory(req);
        return;
    }
    http_res_body(req, status, "application/problem+json", s, strlen(s));
    free(s);
}

/* ---- input ---- */

json_t *api_body(http_req *req, const char *const *allowed)
{
    json_t *obj = http_req_json(req);
    if (!obj)
        return NULL;   /* response set by http_req_json */
    const char *key;
    json_t *val;
    json_object_foreach(obj, key, val) {
        int ok = 0;
        for (size_t i = 0; allowed && allowed[i]; i++)
            if (strcmp(allowed[i], key) == 0) {
                ok = 1;
                break;
            }
        if (!ok) {
            const char *d = core_arena_printf(http_req_arena(req),
                "The member \"%.100s\" is not accepted by this endpoint.", key);
            api_problem_member(req, 400, "Unknown field", d, key);
            return NULL;
        }
    }
    return obj;
}

static void invalid(http_req *req, const char *key, const char *detail)
{
    api_problem_member(req, 422, "Invalid field", detail, key);
}

static int has_control(const char *s, int allow_text)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (allow_text && (*p == '\n' || *p == '\r' || *p == '\t'))
            continue;
        if (*p < 0x20 || *p == 0x7f)
            return 1;
    }
    return 0;
}

static int get_str(http_req *req, json_t *obj, const char *key, int required, size_t min,
                   size_t max, int allow_text, const char **out)
{
    core_arena *a = http_req_arena(req);
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) {
        if (required) {
            invalid(req, key, core_arena_printf(a, "\"%s\" is required.", key));
            return CORE_INVALID;
        }
        return CORE_OK;
    }
    if (!json_is_string(v)) {
        invalid(req, key, core_arena_printf(a, "\"%s\" must be a string.", key));
        return CORE_INVALID;
    }
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (strlen(s) != n || !core_utf8_valid(s, n) || has_control(s, allow_text)) {
        invalid(req, key, core_arena_printf(a, "\"%s\" contains characters that are not allowed.", key));
        return CORE_INVALID;
    }
    if (n < min || n > max) {
        invalid(req, key, core_arena_printf(a, "\"%s\" must be %zu to %zu bytes long.", key, min, max));
        return CORE_INVALID;
    }
    *out = s;
    return CORE_OK;
}

int api_get_string(http_req *req, json_t *obj, const char *key, int required, size_t min,
                   size_t max, const char **out)
{
    return get_str(req, obj, key, required, min, max, 0, out);
}

int api_get_text(http_req *req, json_t *obj, const char *key, int required, size_t max,
                 const char **out)
{
    return get_str(req, obj, key, required, 0, max, 1, out);
}

int api_get_bool(http_req *req, json_t *obj, const char *key, int *present, int *out)
{
    *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v)
        return CORE_OK;
    if (!json_is_boolean(v)) {
        invalid(req, key, core_arena_printf(http_req_arena(req), "\"%s\" must be true or false.", key));
        return CORE_INVALID;
    }
    *present = 1;
    *out = json_is_true(v) ? 1 : 0;
    return CORE_OK;
}

int api_get_int(http_req *req, json_t *obj, const char *key, int64_t min, int64_t max,
                int *present, int64_t *out)
{
    *present = 0;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v))
        return CORE_OK;
    if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max) {
        invalid(req, key, core_arena_printf(http_req_arena(req),
            "\"%s\" must be an integer from %lld to %lld.", key, (long long)min, (long long)max));
        return CORE_INVALID;
    }
    *present = 1;
    *out = (int64_t)json_integer_value(v);
    return CORE_OK;
}

int api_get_role(http_req *req, json_t *obj, const char *key, int required, int *present,
                 core_role *out)
{
    const char *s;
    *present = 0;
    int rc = api_get_string(req, obj, key, required, 1, 32, &s);
    if (rc != CORE_OK || !s)
        return rc;
    core_role r;
    if (core_role_parse(s, &r) != CORE_OK || r == CORE_ROLE_NONE) {
        invalid(req, key, "Role must be one of admin, hr_lead, case_handler, analyst, auditor.");
        return CORE_INVALID;
    }
    *present = 1;
    *out = r;
    return CORE_OK;
}

int api_get_email(http_req *req, json_t *obj, const char *key, const char **out)
{
    const char *s;
    int rc = api_get_string(req, obj, key, API_REQUIRED, 3, 254, &s);
    if (rc != CORE_OK)
        return rc;
    char *low = core_arena_strdup(http_req_arena(req), s);
    if (!low) {
        api_no_memory(req);
        return CORE_NOMEM;
    }
    for (char *p = low; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    if (!core_email_valid(low)) {
        invalid(req, key, "Not a valid e-mail address.");
        return CORE_INVALID;
    }
    *out = low;
    return CORE_OK;
}

int api_path_id(http_req *req, const char *name, int64_t *out)
{
    const char *v = http_req_param(req, name);
    int64_t id;
    if (!v || core_parse_int64(v, &id) != CORE_OK || id <= 0) {
        api_not_found(req);
        return CORE_NOTFOUND;
    }
    *out = id;
    return CORE_OK;
}

int api_query_int(http_req *req, const char *name, int64_t min, int64_t max, int64_t dflt,
                  int64_t *out)
{
    const char *v = http_req_query(req, name);
    *out = dflt;
    if (!v)
        return CORE_OK;
    int64_t n;
    if (core_parse_int64(v, &n) != CORE_OK || n < min || n > max) {
        http_res_problem(req, 400, "Invalid query parameter",
            core_arena_printf(http_req_arena(req), "\"%s\" must be an integer from %lld to %lld.",
                              name, (long long)min, (long long)max), name);
        return CORE_INVALID;
    }
    *out = n;
    return CORE_OK;
}

/* ---- storage ---- */

int api_tx_begin(http_req *req, store_conn **c)
{
    *c = NULL;
    int rc = app_conn(req, c);
    if (rc != CORE_OK) {
        if (!http_res_is_set(req))
            app_fail(req, rc, NULL);
        return rc;
    }
    rc = store_begin(*c);
    if (rc != CORE_OK) {
        api_fail(req, *c, rc, NULL);
        *c = NULL;
        return rc;
    }
    return CORE_OK;
}

int api_tx_commit(http_req *req, store_conn *c)
{
    int rc = store_commit(c);
    app_conn_release(req, c);
    if (rc != CORE_OK)
        app_fail(req, rc, NULL);
    return rc;
}

int api_fail(http_req *req, store_conn *c, int rc, const char *field)
{
    if (c)
        app_conn_release(req, c);
    if (!http_res_is_set(req))
        app_fail(req, rc == CORE_OK ? CORE_ERR : rc, field);
    return CORE_OK;
}

int64_t api_now(http_req *req)
{
    app_ctx *ctx = app_ctx_of(req);
    if (ctx && ctx->now)
        return ctx->now();
    return (int64_t)time(NULL);
}

void api_location(http_req *req, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = core_arena_vprintf(http_req_arena(req), fmt, ap);
    va_end(ap);
    if (s)
        http_res_header(req, "Location", s);
}
