/* remedy_mech_import: `hrdd mechanisms import` - reads records of the
 * datenanfragen.de supervisory-authority database (the layout of
 * ../shared/data/remedy-mechanisms/data-protection-authorities, one .json per record, and its
 * schema) into the directory of external mechanisms.
 *
 * Mapping: slug -> slug; relevant-countries -> jurisdictions (upper case,
 * "all" -> "ALL"); name, address, phone, email as they are; webform ->
 * intake_url; web -> website; complaint-language -> languages; sources ->
 * source (space-separated, prefixed with the database's name). Every record
 * becomes kind state_non_judicial, subkind data_protection_authority,
 * subjects "data_protection privacy". fax, pgp-*, suggested-transport-medium
 * and comments are accepted and not kept.
 *
 * Idempotent by slug within the target namespace (org 0 = shared): an
 * existing entry is updated (and audited only when something changed), a new
 * one created. Files are checked one by one; a bad file is reported as
 * "file:line:column: message" (jansson's position for syntax errors, the
 * position of the offending member for schema errors) and skipped, the good
 * ones are kept. The caller owns the transaction.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto/crypto.h"
#include "remedy/remedy.h"

#define IMPORT_MAX_FILE (1 << 20)
#define IMPORT_MAX_FIELD 4000

typedef struct imp {
    store_conn *c;
    core_arena *a;
    int64_t org_id;
    const char *actor;
    int64_t now;
    rmd_import_error_fn on_error;
    void *ud;
    rmd_import_stats *st;
} imp;

/* Line and column (1-based, columns in characters) of byte offset off. */
static void position_of(const char *text, size_t off, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < off && text[i]; i++) {
        if (text[i] == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)text[i] & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* Where member `key` of the top-level object is written (its opening quote). */
static void member_position(const char *text, const char *key, int *line, int *col)
{
    char pat[96];
    snprintf(pat, sizeof pat, "\"%s\"", key ? key : "");
    const char *p = key ? strstr(text, pat) : NULL;
    position_of(text, p ? (size_t)(p - text) : 0, line, col);
}

static void report(imp *im, const char *file, int line, int col, const char *fmt, const char *arg)
{
    char msg[300];
    snprintf(msg, sizeof msg, fmt, arg ? arg : "");
    if (im->on_error)
        im->on_error(im->ud, file, line, col, msg);
}

static int member_err(imp *im, const char *file, const char *text, const char *key, const char *fmt)
{
    int line, col;
    member_position(text, key, &line, &col);
    report(im, file, line, col, fmt, key);
    return CORE_INVALID;
}

static int str_ok(const json_t *v)
{
    if (!json_is_string(v))
        return 0;
    size_t n = json_string_length(v);
    return n > 0 && n <= IMPORT_MAX_FIELD && strlen(json_string_value(v)) == n;
}

static int lower_code(const char *s)
{
    return s && strlen(s) == 2 && s[0] >= 'a' && s[0] <= 'z' && s[1] >= 'a' && s[1] <= 'z';
}

/* Space-joins an array of strings (upper-casing when upper). */
static char *join(core_arena *a, const json_t *arr, int upper, const char *prefix)
{
    core_buf b;
    core_buf_init(&b);
    if (prefix)
        core_buf_puts(&b, prefix);
    size_t i;
    const json_t *v;
    json_array_foreach(arr, i, v) {
        if (b.len)
            core_buf_putc(&b, ' ');
        const char *s = json_string_value(v);
        if (upper && !strcmp(s, "all"))
            s = "ALL";
        for (const char *p = s; *p; p++)
            core_buf_putc(&b, upper && *p >= 'a' && *p <= 'z' ? (char)(*p - 32) : *p);
    }
    char *out = b.oom ? NULL : core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return out;
}

static const char *const known_keys[] = {
    "slug", "relevant-countries", "name", "address", "phone", "fax", "email", "webform",
    "pgp-fingerprint", "pgp-url", "web", "sources", "complaint-language",
    "suggested-transport-medium", "comments",
};

/* Checks obj against the schema and maps it into m (strings in a). */
static int map_record(imp *im, const char *file, const char *text, json_t *obj, store_mechanism *m)
{
    if (!json_is_object(obj)) {
        report(im, file, 1, 1, "%sthe file must hold one JSON object", NULL);
        return CORE_INVALID;
    }
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        int known = 0;
        for (size_t i = 0; i < sizeof known_keys / sizeof known_keys[0]; i++)
            known |= !strcmp(key, known_keys[i]);
        if (!known)
            return member_err(im, file, text, key, "unknown member \"%s\"");
        if (!strcmp(key, "relevant-countries") || !strcmp(key, "sources") || !strcmp(key, "comments")) {
            if (!json_is_array(v) || (strcmp(key, "comments") && json_array_size(v) == 0))
                return member_err(im, file, text, key, "\"%s\" must be a non-empty array of strings");
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) {
                if (!str_ok(e))
                    return member_err(im, file, text, key, "\"%s\" must hold non-empty strings");
                if (!strcmp(key, "relevant-countries") && strcmp(json_string_value(e), "all") &&
                    !lower_code(json_string_value(e)))
                    return member_err(im, file, text, key,
                                      "\"%s\" items must be ISO 3166-1 alpha-2 codes or \"all\"");
            }
        } else if (!str_ok(v)) {
            return member_err(im, file, text, key, "\"%s\" must be a non-empty string");
        }
    }
    static const char *const required[] = {"slug", "relevant-countries", "name", "address", "sources"};
    for (size_t i = 0; i < sizeof required / sizeof required[0]; i++) {
        if (!json_object_get(obj, required[i])) {
            report(im, file, 1, 1, "missing required member \"%s\"", required[i]);
            return CORE_INVALID;
        }
    }
    const char *slug = json_string_value(json_object_get(obj, "slug"));
    if (!core_slug_valid(slug))
        return member_err(im, file, text, "slug", "\"%s\" must match [a-z0-9-]{1,63}");
    const char *lang = json_string_value(json_object_get(obj, "complaint-language"));
    if (lang && !lower_code(lang))
        return member_err(im, file, text, "complaint-language", "\"%s\" must be an ISO 639-1 code");
    const char *email = json_string_value(json_object_get(obj, "email"));
    if (email && !core_email_valid(email))
        return member_err(im, file, text, "email", "\"%s\" is not an e-mail address");

    memset(m, 0, sizeof *m);
    m->org_id = im->org_id;
    m->slug = core_arena_strdup(im->a, slug);
    m->kind = "state_non_judicial";
    m->subkind = "data_protection_authority";
    m->name = core_arena_strdup(im->a, json_string_value(json_object_get(obj, "name")));
    m->jurisdictions = join(im->a, json_object_get(obj, "relevant-countries"), 1, NULL);
    m->subjects = "data_protection privacy";
    m->languages = lang ? core_arena_strdup(im->a, lang) : "";
    m->email = email ? core_arena_strdup(im->a, email) : NULL;
    m->phone = core_arena_strdup(im->a, json_string_value(json_object_get(obj, "phone")));
    m->address = core_arena_strdup(im->a, json_string_value(json_object_get(obj, "address")));
    m->website = core_arena_strdup(im->a, json_string_value(json_object_get(obj, "web")));
    m->intake_url = core_arena_strdup(im->a, json_string_value(json_object_get(obj, "webform")));
    m->source = join(im->a, json_object_get(obj, "sources"), 0, "datenanfragen.de (CC0): ");
    return (m->slug && m->name && m->jurisdictions && m->source) ? CORE_OK : CORE_NOMEM;
}

static int same(const char *x, const char *y)
{
    return (!x || !*x) ? (!y || !*y) : (y && !strcmp(x, y));
}

static int mech_equal(const store_mechanism *x, const store_mechanism *y)
{
    return same(x->kind, y->kind) && same(x->subkind, y->subkind) && same(x->name, y->name) &&
           same(x->jurisdictions, y->jurisdictions) && same(x->subjects, y->subjects) &&
           same(x->languages, y->languages) && same(x->email, y->email) && same(x->phone, y->phone) &&
           same(x->address, y->address) && same(x->website, y->website) &&
           same(x->intake_url, y->intake_url) && same(x->time_limit_text, y->time_limit_text) &&
           same(x->last_verified, y->last_verified) && same(x->source, y->source);
}

/* Creates or updates m in its namespace, with an audit entry for a change. */
static int upsert(imp *im, store_mechanism *m)
{
    store_mechanism old;
    int rc = store_mechanism_get_by_slug(im->c, im->a, m->org_id, m->slug, &old);
    if (rc == CORE_NOTFOUND) {
        rc = store_mechanism_create(im->c, m);
        if (rc == CORE_OK)
            rc = rmd_mechanism_audit(im->c, im->a, im->actor, im->now, NULL, m);
        if (rc == CORE_OK)
            im->st->created++;
        return rc;
    }
    if (rc != CORE_OK)
        return rc;
    if (!m->last_verified)
        m->last_verified = old.last_verified;
    if (!m->time_limit_text)
        m->time_limit_text = old.time_limit_text;
    if (mech_equal(&old, m)) {
        im->st->unchanged++;
        return CORE_OK;
    }
    m->id = old.id;
    m->created_at = old.created_at;
    rc = store_mechanism_update(im->c, m);
    if (rc == CORE_OK)
        rc = rmd_mechanism_audit(im->c, im->a, im->actor, im->now, &old, m);
    if (rc == CORE_OK)
        im->st->updated++;
    return rc;
}

static int import_file(imp *im, const char *path)
{
    im->st->files++;
    FILE *f = fopen(path, "rb");
    if (!f) {
        report(im, path, 0, 0, "cannot open: %s", strerror(errno));
        im->st->failed++;
        return CORE_OK;
    }
    char *text = malloc(IMPORT_MAX_FILE + 1);
    size_t n = text ? fread(text, 1, IMPORT_MAX_FILE + 1, f) : 0;
    fclose(f);
    if (!text)
        return CORE_NOMEM;
    if (n > IMPORT_MAX_FILE) {
        free(text);
        report(im, path, 0, 0, "%sfile larger than 1 MiB", NULL);
        im->st->failed++;
        return CORE_OK;
    }
    text[n] = '\0';
    json_error_t err;
    json_t *obj = json_loadb(text, n, JSON_REJECT_DUPLICATES, &err);
    int rc = CORE_OK;
    if (!obj) {
        report(im, path, err.line, err.column, "%s", err.text);
        im->st->failed++;
    } else {
        store_mechanism m;
        rc = map_record(im, path, text, obj, &m);
        if (rc == CORE_OK) {
            m.last_verified = im->st->verified;
            rc = upsert(im, &m);
        } else if (rc == CORE_INVALID) {
            im->st->failed++;
            rc = CORE_OK;
        }
        json_decref(obj);
    }
    free(text);
    return rc;
}

static int ends_with(const char *s, const char *sfx)
{
    size_t n = strlen(s), m = strlen(sfx);
    return n >= m && !strcmp(s + n - m, sfx);
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Files in sorted order, so reports and ids are reproducible; one level of
 * subdirectories is followed (the remedy-mechanisms folder itself). */
static int import_dir(imp *im, const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d) {
        report(im, dir, 0, 0, "cannot open directory: %s", strerror(errno));
        return CORE_INVALID;
    }
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = CORE_OK;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **g = realloc(names, cap * sizeof *g);
            if (!g) {
                rc = CORE_NOMEM;
                break;
            }
            names = g;
        }
        if (!(names[n] = strdup(e->d_name))) {
            rc = CORE_NOMEM;
            break;
        }
        n++;
    }
    closedir(d);
    if (rc == CORE_OK && n)
        qsort(names, n, sizeof *names, cmp_str);
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        struct stat sb;
        if (stat(path, &sb) != 0)
            continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth < 1)
                rc = import_dir(im, path, depth + 1);
        } else if (S_ISREG(sb.st_mode) && ends_with(names[i], ".json") &&
                   !ends_with(names[i], ".schema.json")) {
            rc = import_file(im, path);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int rmd_mechanism_import(store_conn *c, core_arena *a, int64_t org_id, const char *path,
                         const char *actor, int64_t now, rmd_import_error_fn on_error, void *ud,
                         rmd_import_stats *st)
{
    if (!c || !a || !path || !st || org_id < 0)
        return CORE_INVALID;
    if (st->verified && !rmd_date_valid(st->verified))
        return CORE_INVALID;
    imp im = {.c = c, .a = a, .org_id = org_id, .actor = actor ? actor : "cli", .now = now,
              .on_error = on_error, .ud = ud, .st = st};
    struct stat sb;
    if (stat(path, &sb) != 0) {
        report(&im, path, 0, 0, "cannot open: %s", strerror(errno));
        return CORE_NOTFOUND;
    }
    if (S_ISDIR(sb.st_mode))
        return import_dir(&im, path, 0);
    return import_file(&im, path);
}
