/* cli_transparency suite: exit statuses and outputs of `hrdd transparency
 * aggregate` and `hrdd transparency merge`, run as a child process:
 * 0 every row counted, 1 some rows rejected (and --rejects lists them),
 * 2 usage errors and file-level faults (the message names the file and
 * the offset). Uses the real dumps in ../shared/data/dsa-sor when present.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runner.h"

static char V2[1200], DIR_[256];

static const char *GOOD_HEADER_AND_ROW =
    "uuid,decision_visibility,decision_visibility_other,end_date_visibility_restriction,"
    "decision_monetary,decision_monetary_other,end_date_monetary_restriction,decision_provision,"
    "end_date_service_restriction,decision_account,end_date_account_restriction,account_type,"
    "decision_ground,decision_ground_reference_url,illegal_content_legal_ground,"
    "illegal_content_explanation,incompatible_content_ground,incompatible_content_explanation,"
    "incompatible_content_illegal,category,category_addition,category_specification,"
    "category_specification_other,content_type,content_type_other,content_language,content_date,"
    "content_id_ean,territorial_scope,application_date,decision_facts,source_type,source_identity,"
    "automated_detection,automated_decision,platform_name,platform_uid,created_at\n"
    "0c55ad57-e44b-40ad-a48c-6922afb06355,\"[\"\"DECISION_VISIBILITY_CONTENT_REMOVED\"\"]\",,,,,,,,,,,"
    "DECISION_GROUND_INCOMPATIBLE_CONTENT,,,,Terms 3,,,STATEMENT_CATEGORY_SCAMS_AND_FRAUD,,,,"
    "\"[\"\"CONTENT_TYPE_TEXT\"\"]\",,,,,\"[\"\"DE\"\"]\",2025-07-01 00:00:00,,SOURCE_VOLUNTARY,,Yes,"
    "AUTOMATED_DECISION_FULLY,Example,p-1,2025-07-01 00:00:01\n";

static void test_aggregate_exit_statuses(void **state)
{
    (void)state;
    run_result r;
    char good[512], bad[512], hdr[512], rej[512];
    run_write(DIR_, "good.csv", GOOD_HEADER_AND_ROW, good, sizeof good);
    char text[4096];
    snprintf(text, sizeof text, "%sxx,not a row\n", GOOD_HEADER_AND_ROW);
    run_write(DIR_, "bad.csv", text, bad, sizeof bad);
    run_write(DIR_, "hdr.csv", "a,b\n1,2\n", hdr, sizeof hdr);
    snprintf(rej, sizeof rej, "%s/rejects.csv", DIR_);

    const char *a0[] = {"transparency", "aggregate", "--by", "platform_name,territorial_scope", good, NULL};
    run_hrdd(&r, a0, NULL, NULL);
    assert_int_equal(r.status, 0);
    json_t *j = json_loads(r.out, 0, NULL);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "rows_read")), 1);
    json_t *g = json_array_get(json_object_get(j, "groups"), 0);
    assert_string_equal(json_string_value(json_object_get(g, "territorial_scope")), "DE");
    json_decref(j);
    run_result_free(&r);

    const char *a1[] = {"transparency", "aggregate", "--rejects", rej, good, bad, NULL};
    run_hrdd(&r, a1, NULL, NULL);
    assert_int_equal(r.status, 1);
    assert_non_null(strstr(r.err, "1 of 3 rows rejected"));
    run_result_free(&r);
    FILE *f = fopen(rej, "r");
    assert_non_null(f);
    char line[512];
    assert_non_null(fgets(line, sizeof line, f));
    assert_string_equal(line, "source,row,column,reason\n");
    assert_non_null(fgets(line, sizeof line, f));
    assert_non_null(strstr(line, "bad.csv,2,,\"expected 38 columns, got 2\""));
    fclose(f);

    const char *a2[] = {"transparency", "aggregate", hdr, NULL};
    run_hrdd(&r, a2, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "hdr.csv"));
    assert_non_null(strstr(r.err, "offset 0"));
    run_result_free(&r);

    const char *a3[] = {"transparency", "aggregate", "--by", "nope", good, NULL};
    run_hrdd(&r, a3, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "unknown column 'nope'"));
    run_result_free(&r);

    const char *a4[] = {"transparency", "aggregate", NULL};
    run_hrdd(&r, a4, NULL, NULL);
    assert_int_equal(r.status, 2);
    run_result_free(&r);

    char missing[600];
    snprintf(missing, sizeof missing, "%s/missing.csv", DIR_);
    const char *a5[] = {"transparency", "aggregate", missing, NULL};
    run_hrdd(&r, a5, NULL, NULL);
    assert_int_equal(r.status, 2);
    run_result_free(&r);

    const char *a6[] = {"transparency", "aggregate", "--by", "platform_name", "--format", "csv", good, NULL};
    run_hrdd(&r, a6, NULL, NULL);
    assert_int_equal(r.status, 0);
    assert_string_equal(r.out, "platform_name,count\nExample,1\n");
    run_result_free(&r);

    const char *a7[] = {"transparency", "aggregate", "--format", "xml", good, NULL};
    run_hrdd(&r, a7, NULL, NULL);
    assert_int_equal(r.status, 2);
    run_result_free(&r);

    /* a truncated archive: exit 2, the offset named */
    char zipped[512];
    static const char cut[] = "PK\3\4\24\0\0\0\10\0";
    run_write(DIR_, "cut.zip", cut, zipped, sizeof zipped);
    const char *a8[] = {"transparency", "aggregate", zipped, NULL};
    run_hrdd(&r, a8, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "offset"));
    run_result_free(&r);
}

static void test_merge_exit_statuses(void **state)
{
    (void)state;
    run_result r;
    char good[512], p1[512], p2[512], p3[512];
    run_write(DIR_, "good.csv", GOOD_HEADER_AND_ROW, good, sizeof good);
    const char *by = "platform_name;category";
    const char *a0[] = {"transparency", "aggregate", "--by", by, good, NULL};
    run_hrdd(&r, a0, NULL, NULL);
    assert_int_equal(r.status, 0);
    run_write(DIR_, "p1.json", r.out, p1, sizeof p1);
    run_result_free(&r);
    const char *input = access(V2, R_OK) == 0 ? V2 : good;
    const char *a1[] = {"transparency", "aggregate", "--by", by, input, NULL};
    run_hrdd(&r, a1, NULL, NULL);
    assert_int_equal(r.status, 0);
    run_write(DIR_, "p2.json", r.out, p2, sizeof p2);
    run_result_free(&r);
    const char *a2[] = {"transparency", "aggregate", "--by", by, good, input, NULL};
    run_hrdd(&r, a2, NULL, NULL);
    json_t *all = json_loads(r.out, 0, NULL);
    run_result_free(&r);

    const char *m[] = {"transparency", "merge", p1, p2, NULL};
    run_hrdd(&r, m, NULL, NULL);
    assert_int_equal(r.status, 0);
    json_t *merged = json_loads(r.out, 0, NULL);
    assert_non_null(merged);
    assert_true(json_equal(merged, all));
    json_decref(merged);
    json_decref(all);
    run_result_free(&r);

    const char *a3[] = {"transparency", "aggregate", "--by", "category", good, NULL};
    run_hrdd(&r, a3, NULL, NULL);
    run_write(DIR_, "p3.json", r.out, p3, sizeof p3);
    run_result_free(&r);
    const char *m2[] = {"transparency", "merge", p1, p3, NULL};
    run_hrdd(&r, m2, NULL, NULL);
    assert_int_equal(r.status, 2);
    assert_non_null(strstr(r.err, "p3.json"));
    run_result_free(&r);

    const char *m3[] = {"transparency", "merge", good, NULL};
    run_hrdd(&r, m3, NULL, NULL);
    assert_int_equal(r.status, 2);
    run_result_free(&r);
}

static int setup(void **state)
{
    (void)state;
    const char *root = getenv("HRDD_SOURCE_ROOT");
    snprintf(V2, sizeof V2, "%s/../shared/data/dsa-sor/sor-global-2025-07-01-full-00000-00000.csv",
             root ? root : ".");
    run_tmpdir(DIR_, sizeof DIR_);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    run_rmtree(DIR_);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_aggregate_exit_statuses),
        cmocka_unit_test(test_merge_exit_statuses),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
