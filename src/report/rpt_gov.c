/* rpt_gov: government requests (user-data requests and removal demands):
 * the documented import (CSV with RPT_GOV_CSV_HEADER, or JSON), checked
 * line by line before anything is stored, and the report in the form large
 * platforms publish (per kind: totals, by country, and the lines by period,
 * country, authority type and legal process).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/report.h"

#define MAX_LINES 100000

static const char *const kinds[] = {"user_data", "removal", NULL};
static const char *const authorities[] = {"law_enforcement", "judicial", "regulatory",
                                          "executive", "other", NULL};
static const char *const processes[] = {"court_order", "warrant", "subpoena",
                                        "administrative_order", "emergency", "mlat", "other",
                                        NULL};
static const char *const fields[] = {"kind", "period_start", "period_end", "country",
                                     "authority_type", "legal_process", "requests",
                                     "accounts_specified", "complied_percent"};
#define NFIELDS 9

static int in_list(const char *v, const char *const *l)
{
    for (; *l; l++)
        if (!strcmp(v, *l))
            return 1;
    return 0;
}

static int fail(rpt_gov_error *e, size_t line, const char *field, const char *reason)
{
    e->line = line;
    snprintf(e->field, sizeof e->field, "%s", field);
    snprintf(e->reason, sizeof e->reason, "%s", reason);
    return CORE_INVALID;
}

/* "62.5" -> 6250 basis points; 0..100 with at most two decimals. */
static int parse_percent(const char *s, int64_t *bp)
{
    int64_t whole = 0, frac = 0;
    int nd = 0, nf = 0;
    const char *p = s;
    for (; *p >= '0' && *p <= '9' && nd < 4; p++, nd++)
        whole = whole * 10 + (*p - '0');
    if (!nd)
        return CORE_INVALID;
    if (*p == '.') {
        p++;
        for (; *p >= '0' && *p <= '9' && nf < 2; p++, nf++)
            frac = frac * 10 + (*p - '0');
        if (!nf)
            return CORE_INVALID;
        if (nf == 1)
            frac *= 10;
    }
    if (*p || whole > 100 || (whole == 100 && frac))
        return CORE_INVALID;
    *bp = whole * 100 + frac;
    return CORE_OK;
}

/* Checks one line's values (strings as read) into g. */
static int check_line(char *const v[NFIELDS], size_t line, store_tr_gov *g, rpt_gov_error *e)
{
    if (!in_list(v[0], kinds))
        return fail(e, line, "kind", "must be user_data or removal");
    if (!rpt_day_valid(v[1]))
        return fail(e, line, "period_start", "must be a date YYYY-MM-DD");
    if (!rpt_day_valid(v[2]))
        return fail(e, line, "period_end", "must be a date YYYY-MM-DD");
    if (strcmp(v[1], v[2]) > 0)
        return fail(e, line, "period_end", "must not be before period_start");
    if (strlen(v[3]) != 2 || v[3][0] < 'A' || v[3][0] > 'Z' || v[3][1] < 'A' || v[3][1] > 'Z')
        return fail(e, line, "country", "must be an ISO 3166-1 alpha-2 code (\"DE\")");
    if (!in_list(v[4], authorities))
        return fail(e, line, "authority_type",
                    "must be law_enforcement, judicial, regulatory, executive or other");
    if (!in_list(v[5], processes))
        return fail(e, line, "legal_process",
                    "must be court_order, warrant, subpoena, administrative_order, emergency,"
                    " mlat or other");
    int64_t req, acc, bp;
    if (core_parse_int64(v[6], &req) != CORE_OK || req < 0)
        return fail(e, line, "requests", "must be a whole number >= 0");
    if (core_parse_int64(v[7], &acc) != CORE_OK || acc < 0)
        return fail(e, line, "accounts_specified", "must be a whole number >= 0");
    if (parse_percent(v[8], &bp) != CORE_OK)
        return fail(e, line, "complied_percent", "must be a number from 0 to 100 (two decimals at most)");
    g->kind = v[0];
    g->period_start = v[1];
    g->period_end = v[2];
    g->country = v[3];
    g->authority_type = v[4];
    g->legal_process = v[5];
    g->requests = req;
    g->accounts = acc;
    g->complied_bp = bp;
    return CORE_OK;
}

static store_tr_gov *grow(core_arena *a, store_tr_gov *v, size_t n, size_t *cap)
{
    if (n < *cap)
        return v;
    size_t ncap = *cap ? *cap * 2 : 16;
    store_tr_gov *nv = core_arena_alloc(a, ncap * sizeof *nv);
    if (!nv)
        return NULL;
    if (n)
        memcpy(nv, v, n * sizeof *nv);
    *cap = ncap;
    return nv;
}

/* ---- CSV ---- */

/* Splits one CSV record at *pp (quotes, "" escapes; CRLF or LF) into at
 * most max fields, NUL-terminated in place. Returns the field count, -1 on
 * broken quoting. */
static int csv_record(char **pp, char *end, char **f, int max)
{
    char *p = *pp, *w = p;
    int n = 0;
    f[n++] = w;
    while (p < end) {
        if (*p == '"' && w == f[n - 1]) {
            p++;
            for (;;) {
                if (p >= end)
                    return -1;
                if (*p == '"') {
                    if (p + 1 < end && p[1] == '"') {
                        *w++ = '"';
                        p += 2;
                        continue;
                    }
                    p++;
                    break;
                }
                *w++ = *p++;
            }
            if (p < end && *p != ',' && *p != '\n' && *p != '\r')
                return -1;
            continue;
        }
        if (*p == ',') {
            *w = 0;
            p++;
            w = p;
            if (n >= max)
                return max + 1;
            f[n++] = w;
            continue;
        }
        if (*p == '\r' || *p == '\n') {
            if (*p == '\r' && p + 1 < end && p[1] == '\n')
                *p++ = 0;
            *p++ = 0;
            *w = 0;
            *pp = p;
            return n;
        }
        *w++ = *p++;
    }
    if (w < end)
        *w = 0;
    *pp = end;
    return n;
}

static int parse_csv(char *buf, size_t len, core_arena *a, store_tr_gov **out, size_t *nout,
                     rpt_gov_error *e)
{
    char *p = buf, *end = buf + len;
    char *f[NFIELDS + 1];
    if (len >= 3 && !memcmp(p, "\xef\xbb\xbf", 3))
        p += 3;
    int n = csv_record(&p, end, f, NFIELDS);
    if (n != NFIELDS)
        return fail(e, 0, "", "the first line must be the header " RPT_GOV_CSV_HEADER);
    for (int i = 0; i < NFIELDS; i++)
        if (strcmp(f[i], fields[i]))
            return fail(e, 0, fields[i], "the first line must be the header " RPT_GOV_CSV_HEADER);
    size_t cap = 0, cnt = 0;
    store_tr_gov *v = NULL;
    for (size_t line = 1; p < end; line++) {
        if (*p == '\n' || *p == '\r') {          /* blank line */
            p += (*p == '\r' && p + 1 < end && p[1] == '\n') ? 2 : 1;
            line--;
            continue;
        }
        n = csv_record(&p, end, f, NFIELDS);
        if (n < 0)
            return fail(e, line, "", "broken quoting");
        if (n != NFIELDS)
            return fail(e, line, "", "expected 9 columns");
        if (cnt >= MAX_LINES)
            return fail(e, line, "", "too many lines (at most 100000)");
        v = grow(a, v, cnt, &cap);
        if (!v)
            return CORE_NOMEM;
        memset(&v[cnt], 0, sizeof *v);
        int rc = check_line(f, line, &v[cnt], e);
        if (rc != CORE_OK)
            return rc;
        cnt++;
    }
    *out = v;
    *nout = cnt;
    return CORE_OK;
}

/* ---- JSON ---- */

static int parse_json(const char *data, size_t len, core_arena *a, store_tr_gov **out,
                      size_t *nout, rpt_gov_error *e)
{
    json_error_t je;
    json_t *doc = json_loadb(data, len, JSON_REJECT_DUPLICATES, &je);
    if (!doc)
        return fail(e, 0, "", "not valid JSON");
    json_t *arr = json_is_array(doc) ? doc : json_object_get(doc, "requests");
    if (!json_is_array(arr)) {
        json_decref(doc);
        return fail(e, 0, "requests", "must be an array of request lines");
    }
    size_t n = json_array_size(arr);
    if (n > MAX_LINES) {
        json_decref(doc);
        return fail(e, 0, "requests", "too many lines (at most 100000)");
    }
    store_tr_gov *v = core_arena_alloc(a, (n ? n : 1) * sizeof *v);
    if (!v) {
        json_decref(doc);
        return CORE_NOMEM;
    }
    int rc = CORE_OK;
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        json_t *o = json_array_get(arr, i);
        if (!json_is_object(o)) {
            rc = fail(e, i + 1, "", "must be an object");
            break;
        }
        char *f[NFIELDS];
        for (int k = 0; rc == CORE_OK && k < NFIELDS; k++) {
            json_t *x = json_object_get(o, fields[k]);
            if (json_is_string(x))
                f[k] = core_arena_strdup(a, json_string_value(x));
            else if (json_is_integer(x) && k >= 6)
                f[k] = core_arena_printf(a, "%lld", (long long)json_integer_value(x));
            else if (json_is_real(x) && k == 8)
                f[k] = core_arena_printf(a, "%.2f", json_real_value(x));
            else {
                rc = fail(e, i + 1, fields[k], x ? "has the wrong type" : "is required");
                break;
            }
            if (!f[k])
                rc = CORE_NOMEM;
        }
        if (rc == CORE_OK) {
            /* "62.50" from a real: drop trailing zeros the format added */
            char *pct = f[8];
            char *dot = strchr(pct, '.');
            if (dot && json_is_real(json_object_get(o, fields[8]))) {
                size_t l = strlen(pct);
                while (l > (size_t)(dot - pct) + 1 && pct[l - 1] == '0')
                    pct[--l] = 0;
                if (pct[l - 1] == '.')
                    pct[l - 1] = 0;
            }
            memset(&v[i], 0, sizeof *v);
            rc = check_line(f, i + 1, &v[i], e);
        }
    }
    json_decref(doc);
    if (rc != CORE_OK)
        return rc;
    *out = v;
    *nout = n;
    return CORE_OK;
}

int rpt_gov_import(store_conn *c, int64_t org_id, const char *data, size_t len,
                   size_t *stored, rpt_gov_error *e)
{
    memset(e, 0, sizeof *e);
    *stored = 0;
    if (!data)
        return fail(e, 0, "", "empty input");
    core_arena a;
    core_arena_init(&a);
    size_t i = 0;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n'))
        i++;
    store_tr_gov *v = NULL;
    size_t n = 0;
    int rc;
    if (i == len) {
        rc = fail(e, 0, "", "empty input");
    } else if (!core_utf8_valid(data, len)) {
        rc = fail(e, 0, "", "not valid UTF-8");
    } else if (data[i] == '{' || data[i] == '[') {
        rc = parse_json(data, len, &a, &v, &n, e);
    } else {
        char *buf = core_arena_strndup(&a, data, len);
        rc = buf ? parse_csv(buf, len, &a, &v, &n, e) : CORE_NOMEM;
    }
    if (rc == CORE_OK)
        rc = store_begin(c);
    for (size_t k = 0; rc == CORE_OK && k < n; k++) {
        v[k].org_id = org_id;
        rc = store_tr_gov_put(c, &v[k]);
    }
    if (rc == CORE_OK && n)
        rc = store_commit(c);
    else if (n)
        store_rollback(c);
    else if (rc == CORE_OK)
        rc = store_commit(c);
    if (rc == CORE_OK)
        *stored = n;
    core_arena_cleanup(&a);
    return rc;
}

/* ---- report ---- */

static json_t *pct(int64_t bp_weighted, int64_t requests)
{
    if (!requests)
        return json_null();
    double v = (double)bp_weighted / (double)requests / 100.0;
    return json_real((double)(int64_t)(v * 10.0 + 0.5) / 10.0);   /* one decimal */
}

/* {"total": {...}, "by_country": [...]} of the lines of one kind (and one
 * period when ps is given); countries in code order. */
static json_t *summary(const store_tr_gov *g, size_t n, const char *kind, const char *ps,
                       const char *pe)
{
    json_t *byc = json_object();
    int64_t req = 0, acc = 0, w = 0;
    for (size_t i = 0; i < n; i++) {
        if (strcmp(g[i].kind, kind) ||
            (ps && (strcmp(g[i].period_start, ps) || strcmp(g[i].period_end, pe))))
            continue;
        req += g[i].requests;
        acc += g[i].accounts;
        w += g[i].requests * g[i].complied_bp;
        json_t *cc = json_object_get(byc, g[i].country);
        if (!cc) {
            cc = json_pack("{s:I, s:I, s:I}", "requests", (json_int_t)0, "accounts",
                           (json_int_t)0, "w", (json_int_t)0);
            json_object_set_new(byc, g[i].country, cc);
        }
        json_object_set_new(cc, "requests", json_integer(json_integer_value(
            json_object_get(cc, "requests")) + g[i].requests));
        json_object_set_new(cc, "accounts", json_integer(json_integer_value(
            json_object_get(cc, "accounts")) + g[i].accounts));
        json_object_set_new(cc, "w", json_integer(json_integer_value(
            json_object_get(cc, "w")) + g[i].requests * g[i].complied_bp));
    }
    json_t *countries = json_array();
    const char *key;
    json_t *cc;
    const char **keys = calloc(json_object_size(byc) + 1, sizeof *keys);
    size_t nk = 0;
    json_object_foreach(byc, key, cc)
        if (keys)
            keys[nk++] = key;
    for (size_t i = 1; keys && i < nk; i++)          /* few countries: insertion sort */
        for (size_t j = i; j > 0 && strcmp(keys[j - 1], keys[j]) > 0; j--) {
            const char *t = keys[j];
            keys[j] = keys[j - 1];
            keys[j - 1] = t;
        }
    for (size_t i = 0; keys && i < nk; i++) {
        cc = json_object_get(byc, keys[i]);
        json_int_t r = json_integer_value(json_object_get(cc, "requests"));
        json_array_append_new(countries, json_pack(
            "{s:s, s:I, s:I, s:o}", "country", keys[i], "requests", r, "accounts",
            json_integer_value(json_object_get(cc, "accounts")), "complied_percent",
            pct(json_integer_value(json_object_get(cc, "w")), r)));
    }
    free(keys);
    json_decref(byc);
    return json_pack("{s:{s:I, s:I, s:o}, s:o}", "total", "requests", (json_int_t)req,
                     "accounts", (json_int_t)acc, "complied_percent", pct(w, req),
                     "by_country", countries);
}

json_t *rpt_gov_json(const store_tr_gov *g, size_t n)
{
    json_t *out = json_object();
    for (int k = 0; kinds[k]; k++) {
        json_t *lines = json_array(), *periods = json_array();
        const char *ps = NULL, *pe = NULL;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(g[i].kind, kinds[k]))
                continue;
            json_array_append_new(lines, json_pack(
                "{s:s, s:s, s:s, s:s, s:s, s:I, s:I, s:f}", "period_start", g[i].period_start,
                "period_end", g[i].period_end, "country", g[i].country, "authority_type",
                g[i].authority_type, "legal_process", g[i].legal_process, "requests",
                (json_int_t)g[i].requests, "accounts", (json_int_t)g[i].accounts,
                "complied_percent", (double)g[i].complied_bp / 100.0));
            /* lines come ordered by kind and period: a new period starts here */
            if (!ps || strcmp(ps, g[i].period_start) || strcmp(pe, g[i].period_end)) {
                ps = g[i].period_start;
                pe = g[i].period_end;
                json_t *sm = summary(g, n, kinds[k], ps, pe);
                json_object_set_new(sm, "period_start", json_string(ps));
                json_object_set_new(sm, "period_end", json_string(pe));
                json_array_append_new(periods, sm);
            }
        }
        json_t *all = summary(g, n, kinds[k], NULL, NULL);
        json_object_set_new(all, "by_period", periods);
        json_object_set_new(all, "lines", lines);
        json_object_set_new(out, kinds[k], all);
    }
    return out;
}

int rpt_gov_csv(const store_tr_gov *g, size_t n, core_buf *out)
{
    int rc = core_buf_puts(out, RPT_GOV_CSV_HEADER "\r\n");
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        int64_t bp = g[i].complied_bp;
        rc = core_buf_printf(out, "%s,%s,%s,%s,%s,%s,%lld,%lld,%lld.%02lld\r\n", g[i].kind,
                             g[i].period_start, g[i].period_end, g[i].country,
                             g[i].authority_type, g[i].legal_process, (long long)g[i].requests,
                             (long long)g[i].accounts, (long long)(bp / 100),
                             (long long)(bp % 100));
    }
    return rc;
}
