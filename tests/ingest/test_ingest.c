/* ingest suite: the readers, the schema and the aggregation against
 * independent counts.
 *
 * - Real dumps (../shared/data/dsa-sor, V1 and V2): every grouping checked
 *   against tests/ingest/sor_count.py (Python's csv and json modules, its
 *   own V1 -> V2 table), run as a child process.
 * - A nested archive built by tests/ingest/make_zip.py (outer zip written
 *   through a pipe, so with data descriptors; inner deflated zips of CSV
 *   chunks) gives the same result as the chunks and as the original file.
 * - Each kind of corrupt row is rejected with its row and column and the
 *   rest is counted; truncated and corrupted archives are file-level
 *   faults naming an offset.
 * - merge of partial results equals one run over all inputs.
 * - JSON submissions (one statement, a batch) and the CSV splitter's edge
 *   cases (CRLF, embedded newlines, "" escapes).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ingest/ing_internal.h"
#include "ingest/ingest.h"

extern char **environ;

static char ROOT[1024], DATA[1200], V1[1300], V2[1300];

static int have_data(void)
{
    return access(V1, R_OK) == 0 && access(V2, R_OK) == 0;
}

/* Runs python3 with args; returns its stdout (heap) or NULL. */
static char *py(const char *const *args)
{
    int fd[2];
    if (pipe(fd) != 0) return NULL;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fd[1], 1);
    posix_spawn_file_actions_addclose(&fa, fd[0]);
    const char *argv[32] = {"python3"};
    size_t n = 1;
    for (; args[n - 1] && n < 31; n++) argv[n] = args[n - 1];
    argv[n] = NULL;
    pid_t pid;
    int rc = posix_spawnp(&pid, "python3", &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fd[1]);
    if (rc != 0) {
        close(fd[0]);
        return NULL;
    }
    core_buf b;
    core_buf_init(&b);
    char tmp[4096];
    ssize_t k;
    while ((k = read(fd[0], tmp, sizeof tmp)) > 0) core_buf_append(&b, tmp, (size_t)k);
    close(fd[0]);
    int st;
    waitpid(pid, &st, 0);
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        core_buf_cleanup(&b);
        return NULL;
    }
    core_buf_putc(&b, 0);
    return core_buf_steal(&b);
}

typedef struct rejlist {
    char lines[64][200];
    int n;
} rejlist;

static void on_rej(void *ctx, const ing_reject *rj)
{
    rejlist *l = ctx;
    if (l->n < 64)
        snprintf(l->lines[l->n++], sizeof l->lines[0], "%llu %s %s", (unsigned long long)rj->row,
                 rj->column, rj->reason);
}

/* Aggregates paths by the grouping sets in `by` (';' between sets). */
static json_t *agg_paths(const char *const *paths, size_t n, const char *by, int *rc, rejlist *rl,
                         char *err, size_t errlen)
{
    ing_agg *a;
    assert_int_equal(ing_agg_new(&a), CORE_OK);
    char copy[512];
    snprintf(copy, sizeof copy, "%s", by);
    char *save = NULL;
    if (!copy[0]) ing_agg_add_set(a, NULL, 0);
    for (char *s = strtok_r(copy, ";", &save); s; s = strtok_r(NULL, ";", &save))
        assert_int_equal(ing_agg_add_set_str(a, s, err, errlen), CORE_OK);
    ing_opts o = {.agg = a, .on_reject = on_rej, .reject_ctx = rl, .threads = 2};
    ing_stats st;
    *rc = ing_run(paths, n, &o, &st, err, errlen);
    json_t *j = ing_agg_json(a, &st);
    ing_agg_free(a);
    return j;
}

/* hrdd's groups (one set) in sor_count.py's form. */
static char *canon(const json_t *doc, const char *cols)
{
    char names[16][64];
    size_t nc = 0;
    char copy[512];
    snprintf(copy, sizeof copy, "%s", cols);
    char *save = NULL;
    for (char *c = strtok_r(copy, ",", &save); c; c = strtok_r(NULL, ",", &save))
        snprintf(names[nc++], sizeof names[0], "%s", c);
    json_t *groups = json_object_get(doc, "groups");
    size_t n = json_array_size(groups);
    char **lines = calloc(n ? n : 1, sizeof *lines);
    for (size_t i = 0; i < n; i++) {
        core_buf b;
        core_buf_init(&b);
        json_t *g = json_array_get(groups, i);
        for (size_t c = 0; c < nc; c++)
            core_buf_printf(&b, "%s|", json_string_value(json_object_get(g, names[c])));
        core_buf_printf(&b, "%lld", (long long)json_integer_value(json_object_get(g, "count")));
        lines[i] = core_buf_steal(&b);
    }
    qsort(lines, n, sizeof *lines, (int (*)(const void *, const void *))strcmp);
    core_buf out;
    core_buf_init(&out);
    for (size_t i = 0; i < n; i++) {
        core_buf_printf(&out, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    core_buf_printf(&out, "rows %lld\n", (long long)json_integer_value(json_object_get(doc, "rows_read")));
    return core_buf_steal(&out);
}

/* Python sorts the tuples, C the joined lines: compare as sorted line sets. */
static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *sort_lines(char *text)
{
    char *lines[20000];
    size_t n = 0;
    char *save = NULL;
    for (char *l = strtok_r(text, "\n", &save); l && n < 20000; l = strtok_r(NULL, "\n", &save))
        lines[n++] = l;
    qsort(lines, n, sizeof *lines, cmp_line);
    core_buf b;
    core_buf_init(&b);
    for (size_t i = 0; i < n; i++) core_buf_printf(&b, "%s\n", lines[i]);
    return core_buf_steal(&b);
}

static void test_real_dumps(void **state)
{
    (void)state;
    if (!have_data()) skip();
    static const char *const bys[] = {
        "platform_name", "category", "territorial_scope", "created_at,content_type",
        "decision_visibility,automated_decision", "category_specification", "application_date",
        "decision_ground,source_type,automated_detection", "content_language,account_type",
        "decision_provision,decision_account,incompatible_content_illegal"};
    char script[1400];
    snprintf(script, sizeof script, "%s/tests/ingest/sor_count.py", ROOT);
    for (size_t i = 0; i < sizeof bys / sizeof bys[0]; i++) {
        const char *paths[] = {V1, V2};
        int rc;
        rejlist rl = {0};
        char err[512];
        json_t *j = agg_paths(paths, 2, bys[i], &rc, &rl, err, sizeof err);
        assert_int_equal(rc, CORE_OK);
        assert_int_equal(json_integer_value(json_object_get(j, "rows_rejected")), 0);
        assert_int_equal(json_integer_value(json_object_get(j, "rows_read")), 100);
        char *mine = canon(j, bys[i]);
        const char *args[] = {script, bys[i], V1, V2, NULL};
        char *theirs = py(args);
        assert_non_null(theirs);
        char *a = sort_lines(mine), *b = sort_lines(theirs);
        if (strcmp(a, b) != 0) fprintf(stderr, "# by %s\n# hrdd:\n%s# python:\n%s", bys[i], a, b);
        assert_string_equal(a, b);
        free(a);
        free(b);
        free(mine);
        free(theirs);
        json_decref(j);
    }
}

static void test_v1_mapping(void **state)
{
    (void)state;
    if (!have_data()) skip();
    const char *paths[] = {V1};
    int rc;
    rejlist rl = {0};
    char err[512];
    json_t *j = agg_paths(paths, 1, "category", &rc, &rl, err, sizeof err);
    assert_int_equal(rc, CORE_OK);
    char *s = json_dumps(j, 0);
    assert_null(strstr(s, "SCOPE_OF_PLATFORM_SERVICE"));
    assert_null(strstr(s, "PORNOGRAPHY_OR_SEXUALIZED_CONTENT"));
    assert_non_null(strstr(s, "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"));
    free(s);
    json_decref(j);
}

/* Writes the V2 file's header plus data rows [from, to) into path. */
static void chunk(const char *path, size_t from, size_t to)
{
    const char *args[] = {"-c",
                          "import csv,sys\n"
                          "r=list(csv.reader(open(sys.argv[1],newline='',encoding='utf-8')))\n"
                          "w=csv.writer(open(sys.argv[2],'w',newline='',encoding='utf-8'),lineterminator='\\n')\n"
                          "w.writerow(r[0]); w.writerows(r[1+int(sys.argv[3]):1+int(sys.argv[4])])\n",
                          V2, path, NULL, NULL, NULL};
    char a[32], b[32];
    snprintf(a, sizeof a, "%zu", from);
    snprintf(b, sizeof b, "%zu", to);
    args[4] = a;
    args[5] = b;
    char *o = py(args);
    assert_non_null(o);
    free(o);
}

static char TMPD[256];

static void test_nested_zip(void **state)
{
    (void)state;
    if (!have_data()) skip();
    char c1[512], c2[512], c3[512], zip[512], script[1400];
    snprintf(c1, sizeof c1, "%s/c1.csv", TMPD);
    snprintf(c2, sizeof c2, "%s/c2.csv", TMPD);
    snprintf(c3, sizeof c3, "%s/c3.csv", TMPD);
    snprintf(zip, sizeof zip, "%s/sor-global-2025-07-01-full.zip", TMPD);
    chunk(c1, 0, 20);
    chunk(c2, 20, 40);
    chunk(c3, 40, 50);
    snprintf(script, sizeof script, "%s/tests/ingest/make_zip.py", ROOT);
    const char *args[] = {script, zip, c1, c2, c3, NULL};
    char *o = py(args);
    assert_non_null(o);
    free(o);
    const char *by = "platform_name,category;territorial_scope;created_at,decision_visibility";
    const char *pz[] = {zip}, *pc[] = {c1, c2, c3}, *po[] = {V2};
    int rc;
    rejlist rl = {0};
    char err[512];
    json_t *jz = agg_paths(pz, 1, by, &rc, &rl, err, sizeof err);
    if (rc != CORE_OK) fprintf(stderr, "# %s\n", err);
    assert_int_equal(rc, CORE_OK);
    json_t *jc = agg_paths(pc, 3, by, &rc, &rl, err, sizeof err);
    assert_int_equal(rc, CORE_OK);
    json_t *jo = agg_paths(po, 1, by, &rc, &rl, err, sizeof err);
    assert_int_equal(rc, CORE_OK);
    assert_int_equal(json_integer_value(json_object_get(jz, "rows_read")), 50);
    assert_true(json_equal(jz, jc));
    assert_true(json_equal(jz, jo));
    /* the same archive from memory */
    FILE *f = fopen(zip, "rb");
    assert_non_null(f);
    static char buf[1 << 20];
    size_t n = fread(buf, 1, sizeof buf, f);
    fclose(f);
    ing_agg *a;
    ing_agg_new(&a);
    ing_agg_add_set_str(a, "platform_name,category", err, sizeof err);
    ing_opts opt = {.agg = a};
    ing_stats st;
    int mr = ing_run_mem("mem.zip", buf, n, &opt, &st, err, sizeof err);
    if (mr != CORE_OK) fprintf(stderr, "# %s\n", err);
    assert_int_equal(mr, CORE_OK);
    assert_int_equal(st.rows_read, 50);
    assert_int_equal(st.files, 3);
    ing_agg_free(a);

    /* truncated: a file-level fault with an offset */
    for (size_t cut = n / 4; cut < n; cut += cut + n / 4 < n ? n / 4 : (n - cut + 1) / 2) {
        ing_agg_new(&a);
        ing_agg_add_set(a, NULL, 0);
        opt.agg = a;
        int r = ing_run_mem("cut.zip", buf, cut, &opt, &st, err, sizeof err);
        if (r != CORE_INVALID) fprintf(stderr, "# cut at %zu of %zu: %d\n", cut, n, r);
        assert_int_equal(r, CORE_INVALID);
        assert_non_null(strstr(err, "offset"));
        ing_agg_free(a);
    }
    /* corrupted bytes inside the compressed data */
    for (size_t at = 200; at < n - 200; at += n / 5) {
        static char bad[1 << 20];
        memcpy(bad, buf, n);
        for (size_t k = 0; k < 16; k++) bad[at + k] ^= 0x5a;
        ing_agg_new(&a);
        ing_agg_add_set(a, NULL, 0);
        opt.agg = a;
        int r = ing_run_mem("bad.zip", bad, n, &opt, &st, err, sizeof err);
        assert_int_equal(r, CORE_INVALID);
        assert_non_null(strstr(err, "offset"));
        ing_agg_free(a);
    }
    json_decref(jz);
    json_decref(jc);
    json_decref(jo);
}

/* ---- corrupt rows ---- */
static const char *HEADER_V2 =
    "uuid,decision_visibility,decision_visibility_other,end_date_visibility_restriction,"
    "decision_monetary,decision_monetary_other,end_date_monetary_restriction,decision_provision,"
    "end_date_service_restriction,decision_account,end_date_account_restriction,account_type,"
    "decision_ground,decision_ground_reference_url,illegal_content_legal_ground,"
    "illegal_content_explanation,incompatible_content_ground,incompatible_content_explanation,"
    "incompatible_content_illegal,category,category_addition,category_specification,"
    "category_specification_other,content_type,content_type_other,content_language,content_date,"
    "content_id_ean,territorial_scope,application_date,decision_facts,source_type,source_identity,"
    "automated_detection,automated_decision,platform_name,platform_uid,created_at\n";

/* A valid V2 row with column `col` replaced by raw text `val` (NULL: none;
 * drop = 1 removes the last column). */
static void row(core_buf *b, int col, const char *val, int drop)
{
    const char *f[ING_C__COUNT] = {0};
    f[ING_C_UUID] = "0c55ad57-e44b-40ad-a48c-6922afb06355";
    f[ING_C_DECISION_VISIBILITY] = "\"[\"\"DECISION_VISIBILITY_CONTENT_REMOVED\"\"]\"";
    f[ING_C_DECISION_GROUND] = "DECISION_GROUND_INCOMPATIBLE_CONTENT";
    f[ING_C_INCOMPATIBLE_CONTENT_GROUND] = "\"Section 3, \"\"spam\"\"\"";
    f[ING_C_CATEGORY] = "STATEMENT_CATEGORY_SCAMS_AND_FRAUD";
    f[ING_C_CONTENT_TYPE] = "\"[\"\"CONTENT_TYPE_TEXT\"\"]\"";
    f[ING_C_TERRITORIAL_SCOPE] = "\"[\"\"DE\"\",\"\"FR\"\"]\"";
    f[ING_C_APPLICATION_DATE] = "2025-07-01 00:00:00";
    f[ING_C_DECISION_FACTS] = "\"line one\nline two\"";
    f[ING_C_SOURCE_TYPE] = "SOURCE_VOLUNTARY";
    f[ING_C_AUTOMATED_DETECTION] = "Yes";
    f[ING_C_AUTOMATED_DECISION] = "AUTOMATED_DECISION_FULLY";
    f[ING_C_PLATFORM_NAME] = "Example";
    f[ING_C_PLATFORM_UID] = "p-1";
    f[ING_C_CREATED_AT] = "2025-07-01 00:00:01";
    if (col >= 0) f[col] = val;
    int n = drop ? ING_C__COUNT - 1 : ING_C__COUNT;
    for (int c = 0; c < n; c++) core_buf_printf(b, "%s%s", c ? "," : "", f[c] ? f[c] : "");
    core_buf_puts(b, "\r\n");
}

static void test_corrupt_rows(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    core_buf_puts(&b, HEADER_V2);
    row(&b, -1, NULL, 0);                                                  /* 1 ok */
    row(&b, -1, NULL, 1);                                                  /* 2 columns */
    row(&b, ING_C_CATEGORY, "STATEMENT_CATEGORY_NOPE", 0);                 /* 3 enum */
    row(&b, ING_C_CREATED_AT, "2025-02-30 00:00:00", 0);                   /* 4 date */
    row(&b, ING_C_PLATFORM_NAME, "\"Exa\"mple", 0);                        /* 5 quoting */
    row(&b, ING_C_DECISION_FACTS, "caf\xc3\x28", 0);                       /* 6 UTF-8 */
    row(&b, ING_C_TERRITORIAL_SCOPE, "\"[\"\"XX\"\"]\"", 0);               /* 7 array item */
    row(&b, ING_C_DECISION_GROUND, "", 0);                                 /* 8 required */
    row(&b, ING_C_CONTENT_TYPE, "not json", 0);                            /* 9 array syntax */
    row(&b, ING_C_PLATFORM_NAME, "Other", 0);                              /* 10 ok */
    row(&b, ING_C_UUID, "1234", 0);                                        /* 11 uuid */
    /* 12: a stray quote flips the quote parity, so the framing (like any
       parity-based reader) joins the next line to this record: one reject */
    row(&b, ING_C_PLATFORM_NAME, "Exa\"mple", 0);
    core_buf_puts(&b, "\"\n");
    ing_agg *a;
    ing_agg_new(&a);
    char err[256];
    ing_agg_add_set_str(a, "platform_name,territorial_scope", err, sizeof err);
    rejlist rl = {0};
    ing_opts o = {.agg = a, .on_reject = on_rej, .reject_ctx = &rl, .threads = 2};
    ing_stats st;
    assert_int_equal(ing_run_mem("rows.csv", b.data, b.len, &o, &st, err, sizeof err), CORE_OK);
    for (int i = 0; i < rl.n; i++) fprintf(stderr, "# %s\n", rl.lines[i]);
    assert_int_equal(st.rows_read, 12);
    assert_int_equal(st.rows_rejected, 10);
    static const char *const want[] = {"2  expected", "3 category unknown value 'STATEMENT_CATEGORY_NOPE'",
                                       "4 created_at bad date", "5  text after a closing quote",
                                       "6 decision_facts invalid UTF-8", "7 territorial_scope unknown value 'XX'",
                                       "8 decision_ground required", "9 content_type not a JSON array",
                                       "11 uuid not a uuid", "12  quote inside an unquoted field"};
    assert_int_equal(rl.n, 10);
    for (int i = 0; i < 10; i++) assert_true(strncmp(rl.lines[i], want[i], strlen(want[i])) == 0);
    json_t *j = ing_agg_json(a, &st);
    char *s = json_dumps(j, JSON_SORT_KEYS);
    assert_non_null(strstr(s, "{\"count\": 1, \"platform_name\": \"Example\", \"territorial_scope\": \"DE\"}"));
    assert_non_null(strstr(s, "{\"count\": 1, \"platform_name\": \"Other\", \"territorial_scope\": \"FR\"}"));
    assert_int_equal(json_array_size(json_object_get(j, "groups")), 4);
    free(s);
    json_decref(j);
    ing_agg_free(a);
    core_buf_cleanup(&b);
}

/* An unterminated quote: its line is rejected and reading resumes on the
 * next line once the input ends inside the open record. */
static void test_unterminated(void **state)
{
    (void)state;
    core_buf b;
    core_buf_init(&b);
    core_buf_puts(&b, HEADER_V2);
    row(&b, -1, NULL, 0);
    core_buf_puts(&b, "0c55ad57-e44b-40ad-a48c-6922afb06355,\"unterminated\n");
    /* (rows with a quoted newline after it would be framed at that newline:
       the flipped parity makes it a record end, as in any parity framing) */
    row(&b, ING_C_DECISION_FACTS, "plain facts", 0);
    row(&b, ING_C_DECISION_FACTS, "plain facts", 0);
    rejlist rl = {0};
    ing_opts o = {.on_reject = on_rej, .reject_ctx = &rl};
    ing_stats st;
    char err[256];
    assert_int_equal(ing_run_mem("u.csv", b.data, b.len, &o, &st, err, sizeof err), CORE_OK);
    for (int i = 0; i < rl.n; i++) fprintf(stderr, "# %s\n", rl.lines[i]);
    assert_int_equal(st.rows_read, 4);
    assert_int_equal(st.rows_rejected, 1);
    assert_string_equal(rl.lines[0], "2  unterminated quoted field");
    core_buf_cleanup(&b);
}

static void test_header_fault(void **state)
{
    (void)state;
    const char *text = "a,b,c\n1,2,3\n";
    ing_opts o = {0};
    ing_stats st;
    char err[256];
    assert_int_equal(ing_run_mem("x.csv", text, strlen(text), &o, &st, err, sizeof err), CORE_INVALID);
    assert_non_null(strstr(err, "x.csv"));
    assert_non_null(strstr(err, "offset 0"));
}

static void test_merge(void **state)
{
    (void)state;
    if (!have_data()) skip();
    const char *by = "platform_name;category,territorial_scope;created_at";
    int rc;
    rejlist rl = {0};
    char err[512];
    const char *p1[] = {V1}, *p2[] = {V2}, *both[] = {V1, V2};
    json_t *a = agg_paths(p1, 1, by, &rc, &rl, err, sizeof err);
    json_t *b = agg_paths(p2, 1, by, &rc, &rl, err, sizeof err);
    json_t *all = agg_paths(both, 2, by, &rc, &rl, err, sizeof err);
    ing_merge m;
    ing_merge_init(&m);
    assert_int_equal(ing_merge_add(&m, a, err, sizeof err), CORE_OK);
    assert_int_equal(ing_merge_add(&m, b, err, sizeof err), CORE_OK);
    json_t *merged = ing_merge_json(&m);
    assert_true(json_equal(merged, all));
    /* a partial with other sets is refused */
    json_t *c = agg_paths(p1, 1, "platform_name", &rc, &rl, err, sizeof err);
    assert_int_equal(ing_merge_add(&m, c, err, sizeof err), CORE_INVALID);
    core_buf csv;
    core_buf_init(&csv);
    assert_int_equal(ing_merge_csv(&m, &csv), CORE_OK);
    assert_true(strncmp(csv.data, "platform_name,count\n", 20) == 0);
    core_buf_cleanup(&csv);
    ing_merge_cleanup(&m);
    json_decref(a);
    json_decref(b);
    json_decref(c);
    json_decref(all);
    json_decref(merged);
}

static void test_json_submission(void **state)
{
    (void)state;
    const char *batch =
        "{\"statements\": ["
        "{\"decision_visibility\": [\"DECISION_VISIBILITY_CONTENT_DISABLED\"],"
        " \"decision_ground\": \"DECISION_GROUND_ILLEGAL_CONTENT\","
        " \"illegal_content_legal_ground\": \"Art. 1\", \"illegal_content_explanation\": \"x\","
        " \"category\": \"STATEMENT_CATEGORY_SCAMS_AND_FRAUD\", \"content_type\": [\"CONTENT_TYPE_TEXT\"],"
        " \"territorial_scope\": [\"PT\", \"ES\"], \"application_date\": \"2025-07-01\","
        " \"source_type\": \"SOURCE_TRUSTED_FLAGGER\", \"automated_detection\": \"No\","
        " \"automated_decision\": \"AUTOMATED_DECISION_PARTIALLY\", \"puid\": \"TK421\","
        " \"content_id\": {\"EAN-13\": \"0123456789123\"}},"
        "{\"decision_ground\": \"DECISION_GROUND_X\"}]}";
    ing_agg *a;
    ing_agg_new(&a);
    char err[256];
    ing_agg_add_set_str(a, "territorial_scope,created_at", err, sizeof err);
    rejlist rl = {0};
    ing_opts o = {.agg = a, .on_reject = on_rej, .reject_ctx = &rl};
    ing_stats st;
    assert_int_equal(ing_run_mem("b.json", batch, strlen(batch), &o, &st, err, sizeof err), CORE_OK);
    assert_int_equal(st.rows_read, 2);
    assert_int_equal(st.rows_rejected, 1);
    assert_true(strncmp(rl.lines[0], "2 decision_visibility", 21) == 0 ||
                strncmp(rl.lines[0], "2 decision_ground", 17) == 0);
    json_t *j = ing_agg_json(a, &st);
    char *s = json_dumps(j, JSON_SORT_KEYS);
    assert_non_null(strstr(s, "{\"count\": 1, \"created_at\": \"2025-07-01\", \"territorial_scope\": \"ES\"}"));
    free(s);
    json_decref(j);
    ing_agg_free(a);
    json_t *one = json_loads(strchr(batch, '[') + 1, JSON_DISABLE_EOF_CHECK, NULL);
    char col[64], reason[160];
    assert_int_equal(ing_sor_check_json(one, col, sizeof col, reason, sizeof reason), CORE_OK);
    json_object_set_new(one, "category", json_string("NOPE"));
    assert_int_equal(ing_sor_check_json(one, col, sizeof col, reason, sizeof reason), CORE_INVALID);
    assert_string_equal(col, "category");
    json_decref(one);
}

static void test_csv_split(void **state)
{
    (void)state;
    ing_field f[8];
    size_t used;
    const char *why = NULL;
    const char *t1 = "a,\"b,\"\"c\"\"\nd\",\r\nnext";
    long n = ing_csv_split(t1, strlen(t1), f, 8, &used, &why);
    assert_int_equal(n, 3);
    assert_int_equal(used, strlen(t1) - 4);
    char buf[64];
    size_t k = ing_csv_unescape(&f[1], buf);
    assert_int_equal(k, 7);
    assert_memory_equal(buf, "b,\"c\"\nd", 7);
    assert_int_equal(f[2].len, 0);
    uint64_t rows;
    const char *t2 = "x,\"a\nb\"\ny,z\npartial,\"q";
    assert_int_equal(ing_csv_frame(t2, strlen(t2), &rows), 12);
    assert_int_equal(rows, 2);
    /* a long block exercises the 64-byte path */
    core_buf b;
    core_buf_init(&b);
    for (int i = 0; i < 100; i++) core_buf_puts(&b, "a,\"x\ny\"\"z\",b\n");
    assert_int_equal(ing_csv_frame(b.data, b.len, &rows), b.len);
    assert_int_equal(rows, 100);
    core_buf_cleanup(&b);
    assert_int_equal(ing_utf8_check("ok\xe2\x82\xac", 5), 5);
    assert_int_equal(ing_utf8_check("ok\xed\xa0\x80", 5), 2);   /* surrogate */
    int32_t d;
    assert_int_equal(ing_parse_date("2024-02-29", 10, &d), CORE_OK);
    char day[11];
    ing_day_format(d, day);
    assert_string_equal(day, "2024-02-29");
    assert_int_equal(ing_parse_date("2023-02-29", 10, &d), CORE_INVALID);
}

static int setup(void **state)
{
    (void)state;
    const char *root = getenv("HRDD_SOURCE_ROOT");
    snprintf(ROOT, sizeof ROOT, "%s", root ? root : ".");
    snprintf(DATA, sizeof DATA, "%s/../shared/data/dsa-sor", ROOT);
    snprintf(V1, sizeof V1, "%s/sor-global-2024-03-14-full-00000-00000.csv", DATA);
    snprintf(V2, sizeof V2, "%s/sor-global-2025-07-01-full-00000-00000.csv", DATA);
    snprintf(TMPD, sizeof TMPD, "/tmp/hrdd-ingest-XXXXXX");
    return mkdtemp(TMPD) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"c1.csv", "c2.csv", "c3.csv", "sor-global-2025-07-01-full.zip"};
    char p[512];
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", TMPD, names[i]);
        unlink(p);
    }
    rmdir(TMPD);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_split),     cmocka_unit_test(test_real_dumps),
        cmocka_unit_test(test_v1_mapping),    cmocka_unit_test(test_nested_zip),
        cmocka_unit_test(test_corrupt_rows),  cmocka_unit_test(test_unterminated),
        cmocka_unit_test(test_header_fault),
        cmocka_unit_test(test_merge),         cmocka_unit_test(test_json_submission),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
