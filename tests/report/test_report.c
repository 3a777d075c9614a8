/* test_report: stored ingest, reports, DSA Annex I templates and government
 * requests (src/report), on SQLite and PostgreSQL (tests/store harness).
 * Independent counts come from python3's csv module over the same real
 * files (../shared/data/dsa-sor), not from the ingest module.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../store/test_engines.h"
#include "report/report.h"
#include "store/store.h"

#define SOR_DIR "/work/shared/data/dsa-sor/"
#define V2 SOR_DIR "sor-global-2025-07-01-full-00000-00000.csv"
#define V1 SOR_DIR "sor-global-2024-03-14-full-00000-00000.csv"
#define TPL_DIR "/work/shared/data/dsa-templates/"

typedef struct fx {
    int pg;
    char dir[64], url[512];
    store *s;
    int64_t org;
} fx;

static int setup(void **state)
{
    const te_engine *e = *state;
    fx *f = calloc(1, sizeof *f);
    f->pg = e->pg;
    te_db_fresh(e, "report", f->dir, f->url);
    store_options o = {.url = f->url, .pool_size = 2};
    assert_int_equal(store_open(&f->s, &o), CORE_OK);
    int from, to;
    assert_int_equal(store_migrate(f->s, &from, &to), CORE_OK);
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org org = {.slug = "kestrel", .name = "Kestrel Social", .kind = "company"};
    assert_int_equal(store_org_create(c, &org), CORE_OK);
    f->org = org.id;
    store_release(f->s, c);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    store_close(f->s);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

static int have_data(void)
{
    return access(V2, R_OK) == 0 && access(V1, R_OK) == 0 && access(TPL_DIR, R_OK) == 0;
}

/* Runs python3 over a script and returns its first output line as a number. */
static long long py_count(const char *script)
{
    char cmd[4096];
    snprintf(cmd, sizeof cmd, "python3 -c '%s'", script);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char line[128] = "";
    char *got = fgets(line, sizeof line, p);
    pclose(p);
    assert_non_null(got);
    return strtoll(line, NULL, 10);
}

static void ingest(fx *f, const char *path, int keep, rpt_ingest_result *res, int want_rc)
{
    rpt_ingest_opts o = {.org_id = f->org, .keep_rows = keep};
    char err[256];
    const char *paths[] = {path};
    assert_int_equal(rpt_ingest(f->s, &o, paths, 1, res, err, sizeof err), want_rc);
}

static json_t *report(fx *f, core_arena *a, const char *from, const char *to, rpt_data *d)
{
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org org = {.id = f->org, .slug = "kestrel", .name = "Kestrel Social"};
    assert_int_equal(rpt_load(c, a, &org, from, to, NULL, d), CORE_OK);
    store_release(f->s, c);
    return rpt_json(d);
}

static long long by_key(const json_t *arr, const char *key)
{
    size_t i;
    json_t *it;
    json_array_foreach(arr, i, it)
        if (!strcmp(json_string_value(json_object_get(it, "key")), key))
            return json_integer_value(json_object_get(it, "count"));
    return 0;
}

static void test_ingest_v2_idempotent(void **state)
{
    fx *f = *state;
    if (!have_data())
        skip();
    rpt_ingest_result r;
    ingest(f, V2, 1, &r, CORE_OK);
    long long rows = py_count("import csv;print(sum(1 for _ in csv.DictReader(open(\"" V2 "\",encoding=\"utf-8\",newline=\"\"))))");
    assert_int_equal(r.rows_read, rows);
    assert_int_equal(r.rows_rejected, 0);
    assert_int_equal(r.rows_new, rows);
    /* the same rows again add nothing */
    rpt_ingest_result r2;
    ingest(f, V2, 1, &r2, CORE_OK);
    assert_int_equal(r2.rows_new, 0);
    assert_int_equal(r2.rows_duplicate, rows);
    core_arena a;
    core_arena_init(&a);
    rpt_data d;
    json_t *j = report(f, &a, NULL, NULL, &d);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "statements"), "total")), rows);
    /* categories against python's count */
    size_t i;
    json_t *it;
    json_array_foreach(json_object_get(j, "by_category"), i, it) {
        char sc[1024];
        snprintf(sc, sizeof sc, "import csv;print(sum(1 for r in csv.DictReader(open(\"" V2
                 "\",encoding=\"utf-8\",newline=\"\")) if r[\"category\"]==\"%s\"))",
                 json_string_value(json_object_get(it, "key")));
        assert_int_equal(json_integer_value(json_object_get(it, "count")), py_count(sc));
    }
    /* territorial scope: each member of the array once, empty array once under (none) */
    long long at = py_count("import csv,json;print(sum(1 for r in csv.DictReader(open(\"" V2
                            "\",encoding=\"utf-8\",newline=\"\")) if \"AT\" in json.loads(r[\"territorial_scope\"] or \"[]\")))");
    assert_int_equal(by_key(json_object_get(j, "by_territorial_scope"), "AT"), at);
    long long fully = py_count("import csv;print(sum(1 for r in csv.DictReader(open(\"" V2
                               "\",encoding=\"utf-8\",newline=\"\")) if r[\"automated_decision\"]==\"AUTOMATED_DECISION_FULLY\"))");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "automated"), "fully")), fully);
    json_decref(j);
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    int64_t kept = 0;
    assert_int_equal(store_tr_statement_count(c, f->org, &kept), CORE_OK);
    assert_int_equal(kept, rows);
    store_tr_ingest *runs;
    size_t nr;
    assert_int_equal(store_tr_ingest_list(c, &a, f->org, 10, &runs, &nr), CORE_OK);
    assert_int_equal(nr, 2);
    assert_string_equal(runs[0].status, "done");
    assert_int_equal(runs[0].rows_duplicate, rows);
    store_release(f->s, c);
    core_arena_cleanup(&a);
}

static void test_ingest_v1_duplicate_uuid(void **state)
{
    fx *f = *state;
    if (!have_data())
        skip();
    rpt_ingest_result r;
    ingest(f, V1, 0, &r, CORE_OK);
    long long uniq = py_count("import csv;print(len(set(r[\"uuid\"] for r in csv.DictReader(open(\"" V1
                              "\",encoding=\"utf-8\",newline=\"\")))))");
    assert_int_equal(r.rows_new + r.rows_rejected, uniq);   /* the repeated uuid counted once */
    assert_true(r.rows_duplicate >= 1);
    core_arena a;
    core_arena_init(&a);
    rpt_data d;
    json_t *j = report(f, &a, NULL, NULL, &d);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "statements"), "total")),
                     (long long)r.rows_new);
    json_decref(j);
    core_arena_cleanup(&a);
}

static void test_file_fault_keeps_nothing(void **state)
{
    fx *f = *state;
    char path[] = "/tmp/hrdd-rpt-bad-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    static const char bad[] = "PK\003\004garbage that is no zip";
    assert_int_equal(write(fd, bad, sizeof bad - 1), (long)(sizeof bad - 1));
    close(fd);
    rpt_ingest_result r;
    rpt_ingest_opts o = {.org_id = f->org};
    char err[256] = "";
    const char *paths[] = {path};
    assert_int_equal(rpt_ingest(f->s, &o, paths, 1, &r, err, sizeof err), CORE_INVALID);
    assert_true(err[0] != 0);
    unlink(path);
    store_conn *c;
    core_arena a;
    core_arena_init(&a);
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_tr_ingest *runs;
    size_t nr;
    assert_int_equal(store_tr_ingest_list(c, &a, f->org, 10, &runs, &nr), CORE_OK);
    assert_int_equal(nr, 1);
    assert_string_equal(runs[0].status, "failed");
    const char *first, *last;
    int64_t total = -1;
    assert_int_equal(store_tr_agg_range(c, &a, f->org, &first, &last, &total), CORE_OK);
    assert_int_equal(total, 0);
    store_release(f->s, c);
    core_arena_cleanup(&a);
}

/* First line of a file, without its line end. */
static char *first_line(const char *data, size_t len)
{
    size_t n = 0;
    while (n < len && data[n] != '\n')
        n++;
    if (n && data[n - 1] == '\r')
        n--;
    char *s = malloc(n + 1);
    memcpy(s, data, n);
    s[n] = 0;
    return s;
}

static char *template_header(int part)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "head -n 1 " TPL_DIR "*_CSV_Part_%d_*.csv", part);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char buf[8192];
    size_t n = fread(buf, 1, sizeof buf, p);
    pclose(p);
    return first_line(buf, n);
}

static void test_dsa_headers_and_values(void **state)
{
    fx *f = *state;
    if (!have_data())
        skip();
    rpt_ingest_result r;
    ingest(f, V2, 0, &r, CORE_OK);
    core_arena a;
    core_arena_init(&a);
    rpt_data d;
    json_t *j = report(f, &a, NULL, NULL, &d);
    json_decref(j);
    for (int part = 1; part <= RPT_DSA_PARTS; part++) {
        core_buf b;
        core_buf_init(&b);
        assert_int_equal(rpt_dsa_csv(&d, part, &b), CORE_OK);
        char *ours = first_line(b.data, b.len);
        char *official = template_header(part);
        assert_string_equal(ours, official);
        free(ours);
        free(official);
        core_buf_cleanup(&b);
    }
    /* part 5, TOTAL row: own-initiative measures on illegal content */
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(rpt_dsa_csv(&d, 5, &b), CORE_OK);
    char path[] = "/tmp/hrdd-rpt-p5-XXXXXX";
    int fd = mkstemp(path);
    assert_int_equal(write(fd, b.data, b.len), (long)b.len);
    close(fd);
    char sc[1500];
    snprintf(sc, sizeof sc,
             "import csv;rows=list(csv.reader(open(\"%s\",encoding=\"utf-8\",newline=\"\")));"
             "t=[r for r in rows if r[3]==\"TOTAL\"][0];"
             "n=sum(1 for r in csv.DictReader(open(\"" V2 "\",encoding=\"utf-8\",newline=\"\"))"
             " if r[\"decision_ground\"]==\"DECISION_GROUND_ILLEGAL_CONTENT\" and r[\"source_type\"]==\"SOURCE_VOLUNTARY\");"
             "print(1 if t[5]==str(n) and t[2]==\"%s/%s\" and t[21]==\"\" else 0)", path, d.from, d.to);
    assert_int_equal(py_count(sc), 1);
    /* part 6: every row has the official column count, the Scope of notices empty */
    snprintf(sc, sizeof sc,
             "import csv;rows=list(csv.reader(open(\"%s\",encoding=\"utf-8\",newline=\"\")));"
             "print(1 if all(len(r)==37 for r in rows) and len(rows)>80 else 0)", path);
    assert_int_equal(py_count(sc), 1);
    unlink(path);
    core_buf_cleanup(&b);
    /* every part together: parts separated by one empty line */
    core_buf_init(&b);
    assert_int_equal(rpt_dsa_csv(&d, 0, &b), CORE_OK);
    assert_non_null(strstr(core_buf_cstr(&b), "\n\nApplicability,Service,Reporting period,Category of illegal content"));
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_gov_import(void **state)
{
    fx *f = *state;
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    const char *csv =
        RPT_GOV_CSV_HEADER "\n"
        "user_data,2025-01-01,2025-06-30,DE,law_enforcement,court_order,120,180,62.5\n"
        "user_data,2025-01-01,2025-06-30,FR,judicial,warrant,80,90,50\n"
        "removal,2025-01-01,2025-06-30,DE,regulatory,administrative_order,10,14,100\n";
    size_t stored = 0;
    rpt_gov_error e;
    assert_int_equal(rpt_gov_import(c, f->org, csv, strlen(csv), &stored, &e), CORE_OK);
    assert_int_equal(stored, 3);
    /* re-import replaces (same key), does not add */
    assert_int_equal(rpt_gov_import(c, f->org, csv, strlen(csv), &stored, &e), CORE_OK);
    core_arena a;
    core_arena_init(&a);
    store_tr_gov *g;
    size_t n;
    assert_int_equal(store_tr_gov_list(c, &a, f->org, NULL, NULL, &g, &n), CORE_OK);
    assert_int_equal(n, 3);
    json_t *j = rpt_gov_json(g, n);
    json_t *ud = json_object_get(j, "user_data");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(ud, "total"), "requests")), 200);
    /* (120 * 62.5 + 80 * 50) / 200 = 57.5 */
    assert_true(json_real_value(json_object_get(json_object_get(ud, "total"), "complied_percent")) == 57.5);
    assert_int_equal(json_array_size(json_object_get(ud, "by_country")), 2);
    json_t *per = json_object_get(ud, "by_period");
    assert_int_equal(json_array_size(per), 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(per, 0), "period_end")), "2025-06-30");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_array_get(per, 0), "total"),
                                                        "requests")), 200);
    json_decref(j);
    /* CSV round trip */
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(rpt_gov_csv(g, n, &b), CORE_OK);
    assert_int_equal(rpt_gov_import(c, f->org, b.data, b.len, &stored, &e), CORE_OK);
    assert_int_equal(stored, 3);
    core_buf_cleanup(&b);
    /* bad lines: nothing stored, the field and line named */
    const char *bad = RPT_GOV_CSV_HEADER "\n"
                      "removal,2025-07-01,2025-12-31,IT,judicial,court_order,5,5,40\n"
                      "removal,2025-07-01,2025-12-31,Italy,judicial,court_order,5,5,40\n";
    assert_int_equal(rpt_gov_import(c, f->org, bad, strlen(bad), &stored, &e), CORE_INVALID);
    assert_int_equal(e.line, 2);
    assert_string_equal(e.field, "country");
    const char *badpct = RPT_GOV_CSV_HEADER "\nremoval,2025-07-01,2025-12-31,IT,judicial,court_order,5,5,140\n";
    assert_int_equal(rpt_gov_import(c, f->org, badpct, strlen(badpct), &stored, &e), CORE_INVALID);
    assert_string_equal(e.field, "complied_percent");
    const char *baddate = RPT_GOV_CSV_HEADER "\nremoval,2025-02-30,2025-12-31,IT,judicial,court_order,5,5,1\n";
    assert_int_equal(rpt_gov_import(c, f->org, baddate, strlen(baddate), &stored, &e), CORE_INVALID);
    assert_string_equal(e.field, "period_start");
    const char *json = "{\"requests\": [{\"kind\": \"removal\", \"period_start\": \"2025-07-01\","
                       " \"period_end\": \"2025-12-31\", \"country\": \"IT\", \"authority_type\": \"judicial\","
                       " \"legal_process\": \"court_order\", \"requests\": 5, \"accounts_specified\": 7,"
                       " \"complied_percent\": 40.25}, {\"kind\": \"takedown\", \"period_start\": \"2025-07-01\","
                       " \"period_end\": \"2025-12-31\", \"country\": \"IT\", \"authority_type\": \"judicial\","
                       " \"legal_process\": \"court_order\", \"requests\": 5, \"accounts_specified\": 7,"
                       " \"complied_percent\": 1}]}";
    assert_int_equal(rpt_gov_import(c, f->org, json, strlen(json), &stored, &e), CORE_INVALID);
    assert_int_equal(e.line, 2);
    assert_string_equal(e.field, "kind");
    assert_int_equal(store_tr_gov_list(c, &a, f->org, NULL, NULL, &g, &n), CORE_OK);
    assert_int_equal(n, 3);                                 /* nothing of the bad files */
    const char *json_ok = "[{\"kind\": \"removal\", \"period_start\": \"2025-07-01\","
                          " \"period_end\": \"2025-12-31\", \"country\": \"IT\", \"authority_type\": \"judicial\","
                          " \"legal_process\": \"court_order\", \"requests\": 5, \"accounts_specified\": 7,"
                          " \"complied_percent\": 40.25}]";
    assert_int_equal(rpt_gov_import(c, f->org, json_ok, strlen(json_ok), &stored, &e), CORE_OK);
    assert_int_equal(store_tr_gov_list(c, &a, f->org, "2025-07-01", NULL, &g, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(g[0].complied_bp, 4025);
    /* two periods of removal demands: one summary each, in period order */
    assert_int_equal(store_tr_gov_list(c, &a, f->org, NULL, NULL, &g, &n), CORE_OK);
    j = rpt_gov_json(g, n);
    per = json_object_get(json_object_get(j, "removal"), "by_period");
    assert_int_equal(json_array_size(per), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(per, 1), "period_start")), "2025-07-01");
    assert_int_equal(json_integer_value(json_object_get(json_object_get(json_object_get(j, "removal"), "total"),
                                                        "requests")), 15);
    json_decref(j);
    store_release(f->s, c);
    core_arena_cleanup(&a);
}

static void test_part3_orders_from_requests(void **state)
{
    fx *f = *state;
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    const char *csv = RPT_GOV_CSV_HEADER "\n"
                      "removal,2025-01-01,2025-06-30,DE,regulatory,administrative_order,10,14,100\n"
                      "removal,2025-01-01,2025-06-30,US,law_enforcement,court_order,99,99,10\n"
                      "user_data,2025-01-01,2025-06-30,FR,judicial,warrant,7,9,50\n";
    size_t stored;
    rpt_gov_error e;
    assert_int_equal(rpt_gov_import(c, f->org, csv, strlen(csv), &stored, &e), CORE_OK);
    core_arena a;
    core_arena_init(&a);
    rpt_data d;
    store_org org = {.id = f->org, .slug = "kestrel", .name = "Kestrel Social"};
    assert_int_equal(rpt_load(c, &a, &org, "2025-01-01", "2025-06-30", NULL, &d), CORE_OK);
    store_release(f->s, c);
    core_buf b;
    core_buf_init(&b);
    assert_int_equal(rpt_dsa_csv(&d, 3, &b), CORE_OK);
    /* TOTAL/TOTAL: EU orders only (the US demand is not a member-state order) */
    assert_non_null(strstr(core_buf_cstr(&b), "All,Kestrel Social,2025-01-01/2025-06-30,TOTAL,,TOTAL,10,14,,,7,"));
    assert_non_null(strstr(core_buf_cstr(&b), "All,Kestrel Social,2025-01-01/2025-06-30,TOTAL,,DE,10,14,,,0,"));
    assert_null(strstr(core_buf_cstr(&b), "[...]"));
    core_buf_cleanup(&b);
    /* part 1 summary */
    core_buf_init(&b);
    assert_int_equal(rpt_dsa_csv(&d, 1, &b), CORE_OK);
    assert_non_null(strstr(core_buf_cstr(&b), "All,Kestrel Social,Name of the service provider,Kestrel Social\n"));
    assert_non_null(strstr(core_buf_cstr(&b), "Starting date of reporting period,2025-01-01\n"));
    assert_non_null(strstr(core_buf_cstr(&b), "Date of the publication of the latest previous report,\n"));
    core_buf_cleanup(&b);
    core_arena_cleanup(&a);
}

static void test_day_helpers(void **state)
{
    (void)state;
    assert_true(rpt_day_valid("2024-02-29"));
    assert_false(rpt_day_valid("2025-02-29"));
    assert_false(rpt_day_valid("2025-13-01"));
    assert_false(rpt_day_valid("2025-1-01"));
    assert_int_equal(rpt_day_epoch("1970-01-02"), 86400);
    assert_int_equal(rpt_day_epoch("2025-07-01"), 1751328000);
}

int main(void)
{
    static const te_def defs[] = {
        {"ingest_v2_idempotent", test_ingest_v2_idempotent, NULL},
        {"ingest_v1_duplicate_uuid", test_ingest_v1_duplicate_uuid, NULL},
        {"file_fault_keeps_nothing", test_file_fault_keeps_nothing, NULL},
        {"dsa_headers_and_values", test_dsa_headers_and_values, NULL},
        {"gov_import", test_gov_import, NULL},
        {"part3_orders_from_requests", test_part3_orders_from_requests, NULL},
        {"day_helpers", test_day_helpers, NULL},
    };
    return te_run("report", "hrdd_report", defs, sizeof defs / sizeof *defs, setup, teardown);
}
