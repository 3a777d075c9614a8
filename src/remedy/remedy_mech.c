/* remedy_mech: the directory of external mechanisms and the remedy pathway.
 *
 * Staff list, read, create and update entries (the shared installation-wide
 * directory, org 0, and the org's own); the pathway ranks the mechanisms that
 * fit a case by jurisdiction and subject (rules in remedy.h). Pure helpers
 * (validators, EU/EEA membership, matching, ranking, JSON) come first, the
 * service calls after them. Every change is one transaction with its audit
 * entry (object "mechanism"; digests only).
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "remedy/remedy_eco.h"

/* ---- pure helpers ---- */

static const char *const kinds[] = {"judicial", "state_non_judicial", "non_state"};
static const char *const subkinds[] = {
    "court", "data_protection_authority", "ombudsman", "consumer_authority", "nhri", "oecd_ncp",
    "out_of_court_body", "equality_body", "labour_inspectorate", "other",
};
/* EU member states (2025), then the three further EEA states. ISO 3166-1
 * alpha-2; Greece is GR here (the EU's own "EL" is accepted as well). */
static const char *const eu_codes[] = {
    "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "EL", "HU",
    "IE", "IT", "LV", "LT", "LU", "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE",
};
static const char *const eea_extra[] = {"IS", "LI", "NO"};

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcmp(list[i], s))
            return 1;
    return 0;
}

static int in_list_ci(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; s && i < n; i++)
        if (!strcasecmp(list[i], s))
            return 1;
    return 0;
}

int rmd_mechanism_kind_valid(const char *kind)
{
    return in_list(kinds, sizeof kinds / sizeof kinds[0], kind);
}

int rmd_mechanism_subkind_valid(const char *subkind)
{
    return in_list(subkinds, sizeof subkinds / sizeof subkinds[0], subkind);
}

int rmd_eu_member(const char *cc)
{
    return cc && strlen(cc) == 2 && in_list_ci(eu_codes, sizeof eu_codes / sizeof eu_codes[0], cc);
}

int rmd_eea_member(const char *cc)
{
    return rmd_eu_member(cc) ||
           (cc && strlen(cc) == 2 && in_list_ci(eea_extra, sizeof eea_extra / sizeof eea_extra[0], cc));
}

int rmd_date_valid(const char *s)
{
    if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return 0;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1900 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

int rmd_words_has(const char *list, const char *word)
{
    if (!list || !word || !*word)
        return 0;
    size_t wl = strlen(word);
    const char *p = list;
    while (*p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if ((size_t)(e - p) == wl && !strncasecmp(p, word, wl))
            return 1;
        p = e;
    }
    return 0;
}

/* Jurisdiction score of m for country cc (NULL: only international bodies). */
static int jurisdiction_score(const store_mechanism *m, const char *cc, const char **match)
{
    if (cc && *cc && rmd_words_has(m->jurisdictions, cc)) {
        *match = "country";
        return 30;
    }
    if (cc && *cc && rmd_words_has(m->jurisdictions, "EU") && rmd_eu_member(cc)) {
        *match = "eu";
        return 20;
    }
    if (cc && *cc && rmd_words_has(m->jurisdictions, "EEA") && rmd_eea_member(cc)) {
        *match = "eea";
        return 20;
    }
    if (rmd_words_has(m->jurisdictions, "ALL")) {
        *match = "international";
        return 10;
    }
    return 0;
}

int rmd_mechanism_matches(const store_mechanism *m, const rmd_mechanism_filter *f)
{
    const char *match;
    if (!f)
        return 1;
    if (f->country && *f->country && !jurisdiction_score(m, f->country, &match))
        return 0;
    if (f->subject && *f->subject && !rmd_words_has(m->subjects, f->subject))
        return 0;
    if (f->kind && *f->kind && strcmp(m->kind, f->kind))
        return 0;
    return 1;
}

static int subject_score(const store_mechanism *m, grv_category cat)
{
    switch (cat) {
    case GRV_CAT_DATA_PROTECTION:
        return (rmd_words_has(m->subjects, "data_protection") || rmd_words_has(m->subjects, "privacy"))
                   ? 3 : 0;
    case GRV_CAT_CONTENT_MODERATION:
        if (rmd_words_has(m->subjects, "content_moderation") || !strcmp(m->subkind, "out_of_court_body"))
            return 3;
        return rmd_words_has(m->subjects, "expression") ? 2 : 0;
    case GRV_CAT_WHISTLEBLOWING:
        if (rmd_words_has(m->subjects, "whistleblowing"))
            return 3;
        return rmd_words_has(m->subjects, "labour") ? 2 : 0;
    default:
        if (rmd_words_has(m->subjects, "human_rights") || rmd_words_has(m->subjects, "general") ||
            !strcmp(m->subkind, "nhri") || !strcmp(m->subkind, "ombudsman") ||
            !strcmp(m->subkind, "oecd_ncp"))
            return 2;
        return 1;
    }
}

static int kind_rank(const char *kind)
{
    if (!strcmp(kind, "state_non_judicial"))
        return 0;
    return !strcmp(kind, "non_state") ? 1 : 2;
}

static int cmp_rank(const void *x, const void *y)
{
    const rmd_mechanism *p = x, *q = y;
    if (p->relevance != q->relevance)
        return q->relevance - p->relevance;
    int kp = kind_rank(p->m.kind), kq = kind_rank(q->m.kind);
    if (kp != kq)
        return kp - kq;
    int c = strcmp(p->m.name, q->m.name);
    return c ? c : (p->m.id < q->m.id ? -1 : p->m.id > q->m.id);
}

int rmd_pathway_rank(core_arena *a, const store_mechanism *all, size_t nall, const char *country,
                     grv_category cat, rmd_mechanism **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!nall)
        return CORE_OK;
    rmd_mechanism *arr = core_arena_alloc(a, nall * sizeof *arr);
    if (!arr)
        return CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < nall; i++) {
        const char *match = NULL;
        int js = jurisdiction_score(&all[i], country, &match);
        int ss = js ? subject_score(&all[i], cat) : 0;
        if (!js || !ss)
            continue;
        arr[k].m = all[i];
        arr[k].relevance = js + ss;
        arr[k].match = match;
        k++;
    }
    if (k)
        qsort(arr, k, sizeof *arr, cmp_rank);
    *out = k ? arr : NULL;
    *n = k;
    return CORE_OK;
}

/* ---- JSON ---- */

/* A space-separated list as a JSON array of words. */
static json_t *words_json(const char *list)
{
    json_t *arr = json_array();
    const char *p = list ? list : "";
    while (arr && *p) {
        while (*p == ' ')
            p++;
        const char *e = p;
        while (*e && *e != ' ')
            e++;
        if (e > p)
            json_array_append_new(arr, json_stringn(p, (size_t)(e - p)));
        p = e;
    }
    return arr;
}

json_t *rmd_mechanism_json(const store_mechanism *m, int public_view)
{
    json_t *o = json_pack("{s:s, s:s, s:s, s:s, s:o, s:o, s:o, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?, s:s?}",
                          "slug", m->slug, "kind", m->kind, "subkind", m->subkind, "name", m->name,
                          "jurisdictions", words_json(m->jurisdictions), "subjects",
                          words_json(m->subjects), "languages", words_json(m->languages), "email",
                          m->email, "phone", m->phone, "address", m->address, "website", m->website,
                          "intake_url", m->intake_url, "time_limit_text", m->time_limit_text,
                          "last_verified", m->last_verified);
    if (o && !public_view) {
        json_object_set_new(o, "id", json_integer(m->id));
        json_object_set_new(o, "shared", json_boolean(m->org_id == 0));
        if (m->source)
            json_object_set_new(o, "source", json_string(m->source));
        json_object_set_new(o, "created_at", json_integer(m->created_at));
        json_object_set_new(o, "updated_at", json_integer(m->updated_at));
    }
    return o;
}

static int fail(grv_error *err, const char *field, const char *key, const char *detail)
{
    if (err) {
        err->field = field;
        err->key = key;
        err->detail = detail;
    }
    return CORE_INVALID;
}

static int text_ok(const char *s, size_t max)
{
    size_t n = strlen(s);
    return n <= max && core_utf8_valid(s, n);
}

/* A list member: array of words or one space-separated string, each word
 * [A-Za-z0-9_-]{1,40}; upper-cased when upper. */
static int read_words(json_t *v, core_arena *a, int upper, const char **out)
{
    core_buf b;
    core_buf_init(&b);
    int ok = 1;
    size_t cnt = json_is_array(v) ? json_array_size(v) : 1;
    if (!json_is_array(v) && !json_is_string(v))
        ok = 0;
    for (size_t i = 0; ok && i < cnt; i++) {
        json_t *e = json_is_array(v) ? json_array_get(v, i) : v;
        if (!json_is_string(e)) {
            ok = 0;
            break;
        }
        const char *s = json_string_value(e);
        while (*s) {
            while (*s == ' ')
                s++;
            size_t len = 0;
            while (s[len] && s[len] != ' ') {
                char ch = s[len];
                if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                      ch == '_' || ch == '-'))
                    ok = 0;
                len++;
            }
            if (!len)
                break;
            if (len > 40)
                ok = 0;
            if (b.len)
                core_buf_putc(&b, ' ');
            for (size_t j = 0; j < len; j++) {
                char ch = s[j];
                if (upper && ch >= 'a' && ch <= 'z')
                    ch = (char)(ch - 32);
                else if (!upper && ch >= 'A' && ch <= 'Z')
                    ch = (char)(ch + 32);
                core_buf_putc(&b, ch);
            }
            s += len;
        }
    }
    if (ok && b.len > 1000)
        ok = 0;
    *out = ok ? core_arena_strdup(a, core_buf_cstr(&b)) : NULL;
    int oom = b.oom;
    core_buf_cleanup(&b);
    return ok ? (oom || !*out ? CORE_NOMEM : CORE_OK) : CORE_INVALID;
}

int rmd_mechanism_from_json(json_t *obj, core_arena *a, int creating, store_mechanism *m,
                            grv_error *err)
{
    static const struct {
        const char *name;
        const char *ptr;             /* JSON pointer for errors */
        size_t off;
        size_t max;
        int list;                    /* 1 lower-case words, 2 upper-case words */
    } fields[] = {
        {"slug", "/slug", offsetof(store_mechanism, slug), 63, 0},
        {"kind", "/kind", offsetof(store_mechanism, kind), 40, 0},
        {"subkind", "/subkind", offsetof(store_mechanism, subkind), 40, 0},
        {"name", "/name", offsetof(store_mechanism, name), 300, 0},
        {"jurisdictions", "/jurisdictions", offsetof(store_mechanism, jurisdictions), 0, 2},
        {"subjects", "/subjects", offsetof(store_mechanism, subjects), 0, 1},
        {"languages", "/languages", offsetof(store_mechanism, languages), 0, 1},
        {"email", "/email", offsetof(store_mechanism, email), 254, 0},
        {"phone", "/phone", offsetof(store_mechanism, phone), 60, 0},
        {"address", "/address", offsetof(store_mechanism, address), 1000, 0},
        {"website", "/website", offsetof(store_mechanism, website), 1000, 0},
        {"intake_url", "/intake_url", offsetof(store_mechanism, intake_url), 1000, 0},
        {"time_limit_text", "/time_limit_text", offsetof(store_mechanism, time_limit_text), 2000, 0},
        {"last_verified", "/last_verified", offsetof(store_mechanism, last_verified), 10, 0},
        {"source", "/source", offsetof(store_mechanism, source), 2000, 0},
    };
    enum { NF = sizeof fields / sizeof fields[0] };
    if (!json_is_object(obj))
        return fail(err, "", "grv.err.type", "expected a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i = 0;
        while (i < NF && strcmp(fields[i].name, key))
            i++;
        if (i == NF)
            return fail(err, "", "grv.err.unknown", "unknown member");
        const char **slot = (const char **)((char *)m + fields[i].off);
        if (!creating && i == 0) {   /* the slug names the entry; it does not change */
            if (!json_is_string(v) || !m->slug || strcmp(json_string_value(v), m->slug))
                return fail(err, fields[i].ptr, "grv.err.invalid", "the slug cannot be changed");
            continue;
        }
        if (json_is_null(v) && !fields[i].list && i > 3) {
            *slot = NULL;
            continue;
        }
        if (fields[i].list) {
            int rc = read_words(v, a, fields[i].list == 2, slot);
            if (rc == CORE_NOMEM)
                return rc;
            if (rc != CORE_OK)
                return fail(err, fields[i].ptr, "grv.err.invalid",
                            "a list of words ([A-Za-z0-9_-], at most 40 characters each)");
            continue;
        }
        if (!json_is_string(v))
            return fail(err, fields[i].ptr, "grv.err.type", "expected a string");
        const char *s = json_string_value(v);
        if (strlen(s) != json_string_length(v) || !text_ok(s, fields[i].max))
            return fail(err, fields[i].ptr, "grv.err.too_long", "too long or not UTF-8");
        *slot = *s ? core_arena_strdup(a, s) : NULL;
        if (*s && !*slot)
            return CORE_NOMEM;
    }
    if (creating && (!m->slug || !core_slug_valid(m->slug)))
        return fail(err, "/slug", m->slug ? "grv.err.invalid" : "grv.err.required",
                    "a slug [a-z0-9-]{1,63} is required");
    if (!rmd_mechanism_kind_valid(m->kind))
        return fail(err, "/kind", "grv.err.invalid", "judicial, state_non_judicial or non_state");
    if (!rmd_mechanism_subkind_valid(m->subkind))
        return fail(err, "/subkind", "grv.err.invalid", "unknown subkind");
    if (!m->name || !*m->name)
        return fail(err, "/name", "grv.err.required", "a name is required");
    if (!m->jurisdictions || !*m->jurisdictions)
        return fail(err, "/jurisdictions", "grv.err.required", "at least one jurisdiction");
    if (!m->subjects || !*m->subjects)
        return fail(err, "/subjects", "grv.err.required", "at least one subject");
    if (!m->languages)
        m->languages = "";
    if (m->email && !core_email_valid(m->email))
        return fail(err, "/email", "grv.err.invalid", "not an e-mail address");
    if (m->last_verified && !rmd_date_valid(m->last_verified))
        return fail(err, "/last_verified", "grv.err.invalid", "a date YYYY-MM-DD");
    return CORE_OK;
}

int rmd_mechanism_audit(store_conn *c, core_arena *a, const char *actor, int64_t now,
                        const store_mechanism *before, const store_mechanism *after)
{
    char id[24];
    snprintf(id, sizeof id, "%lld", (long long)(after ? after->id : before->id));
    return eco_audit(c, a, after ? after->org_id : before->org_id, actor, now, "mechanism", id,
                     before ? "update" : "create", eco_digest_mech(before, a),
                     eco_digest_mech(after, a));
}

/* ---- service calls ---- */

static int may_read(const rmd_actor *actor)
{
    return actor && actor->org_id > 0 && actor->role != CORE_ROLE_NONE;
}

/* Shared entries: admins with the permission; own entries: the permission. */
static int may_change(const rmd_actor *actor, int64_t org_id)
{
    if (!actor || !core_authz_allows(actor->role, CORE_PERM_MECHANISMS_MANAGE))
        return 0;
    return org_id == 0 ? actor->role == CORE_ROLE_ADMIN : org_id == actor->org_id;
}

static int list_filtered(store_conn *c, core_arena *a, int64_t org_id, const rmd_mechanism_filter *f,
                         rmd_mechanism **out, size_t *n)
{
    store_mechanism *all;
    size_t nall;
    *out = NULL;
    *n = 0;
    int rc = store_mechanism_list(c, a, org_id, &all, &nall);
    if (rc != CORE_OK || !nall)
        return rc;
    rmd_mechanism *arr = core_arena_alloc(a, nall * sizeof *arr);
    if (!arr)
        return CORE_NOMEM;
    size_t k = 0;
    for (size_t i = 0; i < nall; i++)
        if (rmd_mechanism_matches(&all[i], f))
            arr[k++].m = all[i];
    *out = k ? arr : NULL;
    *n = k;
    return CORE_OK;
}

int rmd_mechanism_list(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                       const rmd_mechanism_filter *f, rmd_mechanism **out, size_t *n)
{
    if (!may_read(actor))
        return CORE_DENIED;
    return rmd_mechanism_list_public(svc, a, actor->org_id, f, out, n);
}

int rmd_mechanism_list_public(rmd_service *svc, core_arena *a, int64_t org_id,
                              const rmd_mechanism_filter *f, rmd_mechanism **out, size_t *n)
{
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    rc = list_filtered(c, a, org_id, f, out, n);
    eco_release(svc, c);
    return rc;
}

int rmd_mechanism_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t id,
                      rmd_mechanism *out)
{
    if (!may_read(actor))
        return CORE_DENIED;
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    memset(out, 0, sizeof *out);
    rc = store_mechanism_get(c, a, actor->org_id, id, &out->m);
    eco_release(svc, c);
    return rc;
}

int rmd_mechanism_create(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         store_mechanism *m, int shared)
{
    if (!actor)
        return CORE_DENIED;
    m->org_id = shared ? 0 : actor->org_id;
    if (!may_change(actor, m->org_id))
        return CORE_DENIED;
    if (!m->languages)
        m->languages = "";
    if (!m->slug || !core_slug_valid(m->slug) || !rmd_mechanism_kind_valid(m->kind) ||
        !rmd_mechanism_subkind_valid(m->subkind) || !m->name || !*m->name || !m->jurisdictions ||
        !*m->jurisdictions || !m->subjects || !*m->subjects ||
        (m->last_verified && !rmd_date_valid(m->last_verified)))
        return CORE_INVALID;
    store_conn *c;
    int rc = eco_begin(svc, &c);
    if (rc != CORE_OK)
        return rc;
    m->created_at = m->updated_at = rmd_now(svc);
    rc = store_mechanism_create(c, m);
    if (rc == CORE_OK)
        rc = rmd_mechanism_audit(c, a, actor->label, rmd_now(svc), NULL, m);
    return eco_finish(svc, c, rc);
}

int rmd_mechanism_update(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         store_mechanism *m)
{
    if (!may_read(actor))
        return CORE_DENIED;
    store_conn *c;
    int rc = eco_begin(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_mechanism old;
    rc = store_mechanism_get(c, a, actor->org_id, m->id, &old);
    if (rc == CORE_OK && !may_change(actor, old.org_id))
        rc = CORE_DENIED;
    if (rc == CORE_OK) {
        m->org_id = old.org_id;
        m->slug = old.slug;
        m->created_at = old.created_at;
        if (!m->languages)
            m->languages = "";
        if (!rmd_mechanism_kind_valid(m->kind) || !rmd_mechanism_subkind_valid(m->subkind) ||
            !m->name || !*m->name || !m->jurisdictions || !*m->jurisdictions || !m->subjects ||
            !*m->subjects || (m->last_verified && !rmd_date_valid(m->last_verified)))
            rc = CORE_INVALID;
    }
    if (rc == CORE_OK)
        rc = store_mechanism_update(c, m);
    if (rc == CORE_OK)
        rc = rmd_mechanism_audit(c, a, actor->label, rmd_now(svc), &old, m);
    return eco_finish(svc, c, rc);
}

/* ---- pathway ---- */

static int pathway_for(rmd_service *svc, core_arena *a, store_conn *c, int64_t org_id,
                       const char *country, grv_category cat, rmd_mechanism **out, size_t *n)
{
    (void)svc;
    store_mechanism *all;
    size_t nall;
    int rc = store_mechanism_list(c, a, org_id, &all, &nall);
    if (rc != CORE_OK)
        return rc;
    return rmd_pathway_rank(a, all, nall, country, cat, out, n);
}

static int pathway_case(rmd_service *svc, core_arena *a, int64_t org_id, int64_t case_id,
                        rmd_mechanism **out, size_t *n)
{
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_grievance g;
    rc = store_grievance_get(c, a, org_id, case_id, &g);
    grv_category cat = GRV_CAT_GENERAL;
    if (rc == CORE_OK && g.category && grv_category_parse(g.category, &cat) != CORE_OK)
        cat = GRV_CAT_GENERAL;
    if (rc == CORE_OK)
        rc = pathway_for(svc, a, c, org_id, g.country, cat, out, n);
    eco_release(svc, c);
    return rc;
}

int rmd_pathway(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                rmd_mechanism **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!actor || !core_authz_allows(actor->role, CORE_PERM_CASES_READ))
        return CORE_DENIED;
    return pathway_case(svc, a, actor->org_id, case_id, out, n);
}

int rmd_pathway_public(rmd_service *svc, core_arena *a, int64_t org_id, const char *country,
                       grv_category cat, rmd_mechanism **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    char cc[3] = {0};
    if (country && *country) {
        if (strlen(country) != 2)
            return CORE_INVALID;
        for (int i = 0; i < 2; i++) {
            char ch = country[i];
            if (ch >= 'a' && ch <= 'z')
                ch = (char)(ch - 32);
            if (ch < 'A' || ch > 'Z')
                return CORE_INVALID;
            cc[i] = ch;
        }
    }
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    rc = pathway_for(svc, a, c, org_id, cc[0] ? cc : NULL, cat, out, n);
    eco_release(svc, c);
    return rc;
}

int rmd_pathway_receipt(rmd_service *svc, core_arena *a, const char *receipt, rmd_peer *peer,
                        rmd_mechanism **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    int64_t org_id = 0, case_id = 0;
    int rc = rmd_receipt_resolve(svc, a, receipt, peer, &org_id, &case_id);
    if (rc != CORE_OK)
        return rc;
    return pathway_case(svc, a, org_id, case_id, out, n);
}
