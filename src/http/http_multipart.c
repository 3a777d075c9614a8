/* http_multipart: multipart/form-data bodies (RFC 7578 on RFC 2046), written
 * for hostile input. The body is already buffered by the server (bounded by
 * the route's body limit), so the parser works on (pointer, length) only: it
 * never relies on a terminating NUL, finds delimiters with bounded searches
 * (binary content may hold CR, LF, NUL and even "--" lines that are not the
 * boundary), and enforces limits on the number of parts, the size of each
 * part's header block, of each text field and of each file. Any deviation
 * from the grammar (no boundary parameter, missing first delimiter, no close
 * delimiter, a part without Content-Disposition: form-data; name=..., folded
 * or oversized headers, text that is not UTF-8) is CORE_INVALID (a 400); a
 * limit is CORE_DENIED (a 413).
 *
 * Text fields are copied into the arena NUL-terminated; file contents point
 * into the body (no copy of attachments). The request accessors parse once
 * and cache: http_req_form serves urlencoded and multipart text fields alike.
 *
 * Also here: the per-route body limit (http_route.max_body), so an upload
 * route may accept more than the server's default max_body without every
 * other route doing so.
 */
#include <string.h>
#include <strings.h>

#include "http/http_internal.h"

#define BOUNDARY_MAX 70

void http_multipart_limits_default(http_multipart_limits *l)
{
    l->max_parts = 64;
    l->max_field = 256 * 1024;
    l->max_file = 64 * 1024 * 1024;   /* in practice bounded by the route's body limit */
    l->max_files = 8;
    l->max_header = 4096;
}

/* First occurrence of needle[0..nl) in hay[0..hl), or NULL. */
static const char *find(const char *hay, size_t hl, const char *needle, size_t nl)
{
    if (nl == 0 || hl < nl) return NULL;
    const char *end = hay + (hl - nl) + 1;
    const char *p = hay;
    while (p < end) {
        p = memchr(p, needle[0], (size_t)(end - p));
        if (!p) return NULL;
        if (memcmp(p, needle, nl) == 0) return p;
        p++;
    }
    return NULL;
}

static int is_bchar(char c)
{
    /* RFC 2046 bcharsnospace plus space (not last) */
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           strchr("'()+_,-./:=? ", c) != NULL;
}

/* Value of parameter name in a header value ("form-data; name=\"a\""),
 * unquoted into the arena. As in browsers (WHATWG), a backslash is an
 * ordinary character and '"' never appears inside (they send %22). *found = 0 if absent.
 * CORE_INVALID on a malformed parameter list. */
static int header_param(core_arena *a, const char *v, size_t vl, const char *name, const char **out)
{
    *out = NULL;
    size_t i = 0, nl = strlen(name);
    /* skip the first token (the disposition type or media type) */
    while (i < vl && v[i] != ';') {
        if (v[i] == '"') return CORE_INVALID;
        i++;
    }
    while (i < vl) {
        if (v[i] != ';') return CORE_INVALID;
        i++;
        while (i < vl && (v[i] == ' ' || v[i] == '\t')) i++;
        size_t ks = i;
        while (i < vl && v[i] != '=' && v[i] != ';' && v[i] != ' ' && v[i] != '\t') i++;
        size_t kl = i - ks;
        while (i < vl && (v[i] == ' ' || v[i] == '\t')) i++;
        if (kl == 0) {
            if (i >= vl) break;               /* trailing ';' */
            return CORE_INVALID;
        }
        if (i >= vl || v[i] != '=') return CORE_INVALID;
        i++;
        while (i < vl && (v[i] == ' ' || v[i] == '\t')) i++;
        char *val;
        size_t o = 0;
        if (i < vl && v[i] == '"') {
            i++;
            val = core_arena_alloc(a, vl - i + 1);
            if (!val) return CORE_NOMEM;
            int closed = 0;
            while (i < vl) {
                char c = v[i++];
                if (c == '"') {
                    closed = 1;
                    break;
                } else {
                    val[o++] = c;
                }
            }
            if (!closed) return CORE_INVALID;
        } else {
            size_t s = i;
            while (i < vl && v[i] != ';' && v[i] != ' ' && v[i] != '\t') {
                if (v[i] == '"') return CORE_INVALID;
                i++;
            }
            val = core_arena_strndup(a, v + s, i - s);
            if (!val) return CORE_NOMEM;
            o = i - s;
        }
        val[o] = '\0';
        while (i < vl && (v[i] == ' ' || v[i] == '\t')) i++;
        if (kl == nl && strncasecmp(v + ks, name, nl) == 0 && !*out) {
            if (!core_utf8_valid(val, o)) return CORE_INVALID;
            *out = val;
        }
    }
    return CORE_OK;
}

/* The boundary from a Content-Type value, into out (NUL-terminated). */
static int boundary_of(core_arena *a, const char *ct, char out[BOUNDARY_MAX + 1])
{
    if (!ct) return CORE_INVALID;
    while (*ct == ' ' || *ct == '\t') ct++;
    size_t tl = strcspn(ct, "; \t");
    if (tl != strlen("multipart/form-data") || strncasecmp(ct, "multipart/form-data", tl) != 0)
        return CORE_INVALID;
    const char *b = NULL;
    int rc = header_param(a, ct, strlen(ct), "boundary", &b);
    if (rc != CORE_OK) return rc;
    size_t bl = b ? strlen(b) : 0;
    if (bl == 0 || bl > BOUNDARY_MAX || b[bl - 1] == ' ') return CORE_INVALID;
    for (size_t i = 0; i < bl; i++)
        if (!is_bchar(b[i])) return CORE_INVALID;
    memcpy(out, b, bl + 1);
    return CORE_OK;
}

/* Parses one part's header block h[0..hl) (lines separated by CRLF, without
 * the final empty line) into p. */
static int part_headers(core_arena *a, const char *h, size_t hl, http_part *p)
{
    int have_cd = 0;
    size_t i = 0;
    while (i < hl) {
        const char *eol = find(h + i, hl - i, "\r\n", 2);
        size_t ll = eol ? (size_t)(eol - (h + i)) : hl - i;
        const char *line = h + i;
        i += ll + (eol ? 2 : 0);
        if (ll == 0) return CORE_INVALID;
        if (line[0] == ' ' || line[0] == '\t') return CORE_INVALID;   /* obsolete folding */
        const char *colon = memchr(line, ':', ll);
        if (!colon || colon == line) return CORE_INVALID;
        size_t nl = (size_t)(colon - line);
        for (size_t k = 0; k < nl; k++)
            if (line[k] <= ' ' || line[k] >= 0x7f) return CORE_INVALID;
        const char *v = colon + 1;
        size_t vl = ll - nl - 1;
        for (size_t k = 0; k < vl; k++)
            if ((unsigned char)v[k] < 0x20 && v[k] != '\t') return CORE_INVALID;
        while (vl && (*v == ' ' || *v == '\t')) v++, vl--;
        while (vl && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) vl--;
        if (nl == 19 && strncasecmp(line, "Content-Disposition", 19) == 0) {
            if (have_cd) return CORE_INVALID;
            have_cd = 1;
            size_t tl = 0;
            while (tl < vl && v[tl] != ';' && v[tl] != ' ' && v[tl] != '\t') tl++;
            if (tl != 9 || strncasecmp(v, "form-data", 9) != 0) return CORE_INVALID;
            int rc = header_param(a, v, vl, "name", &p->name);
            if (rc == CORE_OK) rc = header_param(a, v, vl, "filename", &p->filename);
            if (rc != CORE_OK) return rc;
            if (!p->name || !*p->name) return CORE_INVALID;
        } else if (nl == 12 && strncasecmp(line, "Content-Type", 12) == 0) {
            if (p->content_type) return CORE_INVALID;
            char *ct = core_arena_strndup(a, v, vl);
            if (!ct) return CORE_NOMEM;
            if (!core_utf8_valid(ct, vl)) return CORE_INVALID;
            p->content_type = ct;
        }
        /* other headers (Content-Transfer-Encoding is deprecated) are ignored */
    }
    if (!have_cd) return CORE_INVALID;
    if (p->filename) {
        /* only the last path component: old browsers sent "C:\dir\file" */
        const char *f = p->filename;
        for (const char *q = f; *q; q++)
            if (*q == '/' || *q == '\\') f = q + 1;
        p->filename = f;
    }
    return CORE_OK;
}

int http_multipart_parse(core_arena *a, const char *content_type, const char *body, size_t len,
                         const http_multipart_limits *lim_in, http_part **parts_out, size_t *n_out)
{
    if (!a || !parts_out || !n_out || (!body && len)) return CORE_INVALID;
    *parts_out = NULL;
    *n_out = 0;
    http_multipart_limits lim;
    if (lim_in) lim = *lim_in;
    else http_multipart_limits_default(&lim);

    char bnd[BOUNDARY_MAX + 1];
    int rc = boundary_of(a, content_type, bnd);
    if (rc != CORE_OK) return rc;
    /* delimiter = CRLF "--" boundary; the first may start the body */
    char delim[BOUNDARY_MAX + 5];
    size_t dl = (size_t)snprintf(delim, sizeof delim, "\r\n--%s", bnd);

    size_t pos;
    if (len >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0) {
        pos = dl - 2;
    } else {
        const char *d = find(body, len, delim, dl);          /* after a preamble */
        if (!d) return CORE_INVALID;
        pos = (size_t)(d - body) + dl;
    }

    size_t cap = lim.max_parts < 16 ? lim.max_parts : 16, n = 0, files = 0;
    http_part *parts = cap ? core_arena_alloc(a, cap * sizeof *parts) : NULL;
    if (cap && !parts) return CORE_NOMEM;
    for (;;) {
        /* after a delimiter: "--" closes; else transport padding, CRLF */
        if (len - pos >= 2 && body[pos] == '-' && body[pos + 1] == '-') break;
        while (pos < len && (body[pos] == ' ' || body[pos] == '\t')) pos++;
        if (len - pos < 2 || body[pos] != '\r' || body[pos + 1] != '\n') return CORE_INVALID;
        pos += 2;
        if (n >= lim.max_parts) return CORE_DENIED;

        /* header block up to the empty line (CRLF CRLF, or CRLF at once) */
        size_t hl;
        if (len - pos >= 2 && body[pos] == '\r' && body[pos + 1] == '\n') {
            hl = 0;
            pos += 2;
        } else {
            size_t window = len - pos < lim.max_header + 4 ? len - pos : lim.max_header + 4;
            const char *e = find(body + pos, window, "\r\n\r\n", 4);
            if (!e) return window == len - pos ? CORE_INVALID : CORE_DENIED;
            hl = (size_t)(e - (body + pos));
            if (hl > lim.max_header) return CORE_DENIED;
        }
        http_part p = {0};
        rc = part_headers(a, body + pos, hl, &p);
        if (rc != CORE_OK) return rc;
        if (hl) pos += hl + 4;

        const char *d = find(body + pos, len - pos, delim, dl);
        if (!d) return CORE_INVALID;                         /* no next or close delimiter */
        size_t cl = (size_t)(d - (body + pos));
        if (p.filename) {
            if (cl > lim.max_file) return CORE_DENIED;
            if ((cl > 0 || *p.filename) && ++files > lim.max_files) return CORE_DENIED;
            p.data = body + pos;
            p.len = cl;
        } else {
            if (cl > lim.max_field) return CORE_DENIED;
            if (!core_utf8_valid(body + pos, cl)) return CORE_INVALID;  /* also NUL */
            char *t = core_arena_strndup(a, body + pos, cl);
            if (!t) return CORE_NOMEM;
            p.data = t;
            p.len = cl;
        }
        if (n == cap) {
            size_t nc = cap * 2 > lim.max_parts ? lim.max_parts : cap * 2;
            http_part *np = core_arena_alloc(a, nc * sizeof *np);
            if (!np) return CORE_NOMEM;
            memcpy(np, parts, n * sizeof *np);
            parts = np;
            cap = nc;
        }
        parts[n++] = p;
        pos = (size_t)(d - body) + dl;
    }
    *parts_out = parts;
    *n_out = n;
    return CORE_OK;
}

/* ---- request accessors ---- */

static int is_multipart(http_req *req)
{
    const char *ct = http_req_header(req, "Content-Type");
    if (!ct) return 0;
    while (*ct == ' ' || *ct == '\t') ct++;
    size_t n = strcspn(ct, "; \t");
    return n == 19 && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

int http_req_parse_multipart(http_req *req)
{
    if (req->mp_parsed) return req->mp_status;
    req->mp_parsed = 1;
    req->mp_status = CORE_OK;
    if (!is_multipart(req)) return CORE_OK;
    http_part *parts = NULL;
    size_t n = 0;
    int rc = http_multipart_parse(&req->arena, http_req_header(req, "Content-Type"),
                                  req->body ? req->body : "", req->body_len, NULL, &parts, &n);
    if (rc != CORE_OK) {
        req->mp_status = rc == CORE_DENIED ? CORE_DENIED : CORE_INVALID;
        return req->mp_status;
    }
    req->parts = parts;
    req->nparts = n;
    /* text fields into the form list, in order */
    http_kv **tail = &req->form;
    while (*tail) tail = &(*tail)->next;
    for (size_t i = 0; i < n; i++) {
        if (parts[i].filename) continue;
        http_kv *kv = core_arena_alloc(&req->arena, sizeof *kv);
        if (!kv) {
            req->mp_status = CORE_NOMEM;
            return CORE_NOMEM;
        }
        kv->name = parts[i].name;
        kv->value = parts[i].data;
        *tail = kv;
        tail = &kv->next;
    }
    return CORE_OK;
}

int http_req_form_status(http_req *req)
{
    if (!req) return CORE_INVALID;
    return http_req_parse_multipart(req);
}

int http_req_file_nth(http_req *req, const char *name, size_t idx, const char **filename,
                      const void **data, size_t *len)
{
    if (filename) *filename = NULL;
    if (data) *data = NULL;
    if (len) *len = 0;
    if (!req || !name) return CORE_INVALID;
    int rc = http_req_parse_multipart(req);
    if (rc != CORE_OK) return rc;
    size_t seen = 0;
    for (size_t i = 0; i < req->nparts; i++) {
        const http_part *p = &req->parts[i];
        /* a file input left empty arrives as filename="" with no content */
        if (!p->filename || strcmp(p->name, name) != 0 || (!*p->filename && p->len == 0)) continue;
        if (seen++ < idx) continue;
        if (filename) *filename = p->filename;
        if (data) *data = p->data;
        if (len) *len = p->len;
        return CORE_OK;
    }
    return CORE_NOTFOUND;
}

int http_req_file(http_req *req, const char *name, const char **filename, const void **data,
                  size_t *len)
{
    return http_req_file_nth(req, name, 0, filename, data, len);
}

/* ---- per-route body limits ---- */

size_t http_route_max_body(const http_route *r, size_t dflt)
{
    return r && r->max_body ? r->max_body : dflt;
}
