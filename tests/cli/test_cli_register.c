/* test_cli_register: the due diligence register commands of the `hrdd`
 * binary (cmd_register.c), spawned like test_cli: a register document is
 * imported into a fresh installation, `impacts list --sort salience` gives
 * the prioritised order (severity before likelihood), `assessments due`
 * lists the overdue one first and exits 1, `register export` then import
 * into a second empty installation then export gives the same bytes, and a
 * bad document is refused with every error as FILE: /path or
 * FILE:LINE:COLUMN, nothing stored.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "runner.h"

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

typedef struct fx {
    char dir[256];
    char db[300], db2[300], pw[300], doc[300], out1[300], out2[300];
} fx;

static const char *const DOC =
    "{\"format\": \"hrdd-register\", \"version\": 1,\n"
    " \"policies\": [{\"version\": 1, \"title\": \"Human rights policy\", \"body_md\": \"We respect human rights.\",\n"
    "   \"scope_rights\": [], \"own_operations\": true, \"status\": \"approved\", \"created_by\": \"admin@acme.test\",\n"
    "   \"created_at\": 1735689600, \"approved_by\": \"admin@acme.test\", \"approved_at\": 1735776000,\n"
    "   \"approved_role\": \"admin\", \"communications\": [{\"day\": \"2025-01-05\", \"channel\": \"website\",\n"
    "   \"audience\": \"public\", \"created_at\": 1736035200}], \"links\": []}],\n"
    " \"scope_objects\": [{\"slug\": \"chat\", \"kind\": \"product\", \"name\": \"Chat\", \"phase\": \"use\",\n"
    "   \"countries\": [\"KE\"], \"markers\": [\"mass_data\"], \"created_at\": 1735689600, \"updated_at\": 1735689600}],\n"
    " \"impacts\": [\n"
    "  {\"scope_object\": 1, \"title\": \"Likely but mild\", \"status\": \"potential\", \"rights\": [\"ICCPR-17\"],\n"
    "   \"involvement\": \"cause\", \"scale\": 2, \"scope\": 2, \"irremediable\": 1, \"likelihood\": 5,\n"
    "   \"evidence\": [\"media\"], \"created_at\": 1735689600, \"updated_at\": 1735689600},\n"
    "  {\"scope_object\": 1, \"title\": \"Severe but rare\", \"status\": \"potential\", \"rights\": [\"UDHR-19\", \"ICCPR-19\"],\n"
    "   \"involvement\": \"directly_linked\", \"scale\": 5, \"scope\": 4, \"irremediable\": 5, \"likelihood\": 1,\n"
    "   \"created_at\": 1735689600, \"updated_at\": 1735689600}],\n"
    " \"assessments\": [\n"
    "  {\"scope_object\": 1, \"kind\": \"hria\", \"trigger\": \"major_change\", \"event_day\": \"2025-02-01\",\n"
    "   \"due_day\": \"2025-02-01\", \"status\": \"open\", \"created_at\": 1735689600, \"updated_at\": 1735689600},\n"
    "  {\"scope_object\": 1, \"kind\": \"dd_review\", \"trigger\": \"new_activity\", \"event_day\": \"2099-01-01\",\n"
    "   \"status\": \"open\", \"impact\": 2, \"created_at\": 1735689600, \"updated_at\": 1735689600}],\n"
    " \"actions\": [{\"impact\": 2, \"kind\": \"use_leverage\", \"title\": \"Contract clause\", \"owner\": \"admin@acme.test\",\n"
    "   \"function\": \"legal\", \"due_day\": \"2025-06-30\", \"status\": \"planned\", \"created_at\": 1735689600,\n"
    "   \"updated_at\": 1735689600}],\n"
    " \"indicators\": [{\"action\": 1, \"name\": \"Clauses signed\", \"unit\": \"%\", \"direction\": \"increase\",\n"
    "   \"target\": 100, \"tolerance\": 0, \"created_at\": 1735689600, \"measurements\": [\n"
    "   {\"day\": \"2025-01-31\", \"value\": 10, \"created_at\": 1735689600},\n"
    "   {\"day\": \"2025-02-28\", \"value\": 25.5, \"created_at\": 1735689600}]}],\n"
    " \"stakeholders\": [{\"name\": \"Users' council\", \"kind\": \"affected_group\", \"countries\": [\"KE\"],\n"
    "   \"global_south\": true, \"created_at\": 1735689600}],\n"
    " \"engagements\": [{\"stakeholder\": 1, \"day\": \"2025-01-20\", \"step\": \"assess\", \"topics\": \"Privacy\",\n"
    "   \"format\": \"workshop\", \"impacts\": [1, 2], \"created_at\": 1735689600}],\n"
    " \"grievance_links\": []}\n";

static int fx_setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    run_tmpdir(f->dir, sizeof f->dir);
    snprintf(f->db, sizeof f->db, "%s/a.db", f->dir);
    snprintf(f->db2, sizeof f->db2, "%s/b.db", f->dir);
    snprintf(f->out1, sizeof f->out1, "%s/out1.json", f->dir);
    snprintf(f->out2, sizeof f->out2, "%s/out2.json", f->dir);
    run_write(f->dir, "pw", "correct horse battery staple\n", f->pw, sizeof f->pw);
    run_write(f->dir, "doc.json", DOC, f->doc, sizeof f->doc);
    *state = f;
    return 0;
}

static int fx_teardown(void **state)
{
    fx *f = *state;
    run_rmtree(f->dir);
    free(f);
    return 0;
}

static void expect_run(run_result *r, int status, const char *const *args)
{
    run_hrdd(r, args, NULL, NULL);
    if (r->status != status) {
        fprintf(stderr, "# hrdd");
        for (const char *const *a = args; *a; a++) fprintf(stderr, " %s", *a);
        fprintf(stderr, "\n# exit %d (expected %d)\n# stdout: %s\n# stderr: %s\n", r->status, status,
                r->out, r->err);
    }
    assert_int_equal(r->status, status);
}

static void init_db(fx *f, const char *db)
{
    run_result r;
    expect_run(&r, 0, ARGS("init", "--db", db, "--org", "Acme", "--admin-email", "admin@acme.test",
                           "--admin-password-file", f->pw));
    run_result_free(&r);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    char *buf = calloc(1, 1 << 20);
    size_t n = fread(buf, 1, (1 << 20) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

static void test_register_commands(void **state)
{
    fx *f = *state;
    init_db(f, f->db);
    run_result r;
    /* empty register: empty lists */
    expect_run(&r, 0, ARGS("impacts", "list", "--db", f->db, "--json"));
    assert_non_null(strstr(r.out, "[]"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("register", "import", "--db", f->db, "--org", "acme", f->doc));
    assert_non_null(strstr(r.out, "2 impacts"));
    run_result_free(&r);
    /* severity before likelihood */
    expect_run(&r, 0, ARGS("impacts", "list", "--db", f->db, "--sort", "salience", "--json"));
    json_error_t je;
    json_t *arr = json_loads(r.out, 0, &je);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "title")),
                        "Severe but rare");
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 0), "severity")), 14);
    assert_int_equal(json_integer_value(json_object_get(json_array_get(arr, 1), "rank")), 2);
    json_decref(arr);
    run_result_free(&r);
    expect_run(&r, 0, ARGS("impacts", "list", "--db", f->db));
    assert_non_null(strstr(r.out, "Severe but rare"));
    assert_true(strstr(r.out, "Severe but rare") < strstr(r.out, "Likely but mild"));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("impacts", "list", "--db", f->db, "--sort", "colour"));
    run_result_free(&r);
    /* due list: the overdue one first; exit 1 while something is overdue */
    expect_run(&r, 1, ARGS("assessments", "due", "--db", f->db, "--json"));
    arr = json_loads(r.out, 0, &je);
    assert_non_null(arr);
    assert_int_equal(json_array_size(arr), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "due_status")),
                        "overdue");
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 0), "due")), "2025-02-01");
    assert_string_equal(json_string_value(json_object_get(json_array_get(arr, 1), "due")), "2099-01-01");
    json_decref(arr);
    run_result_free(&r);
    expect_run(&r, 1, ARGS("assessments", "due", "--db", f->db));
    assert_non_null(strstr(r.out, "2 open, 1 overdue"));
    run_result_free(&r);
    /* export -> import into an empty installation -> export: the same bytes */
    expect_run(&r, 0, ARGS("register", "export", "--db", f->db, "--output", f->out1));
    run_result_free(&r);
    init_db(f, f->db2);
    expect_run(&r, 0, ARGS("register", "import", "--db", f->db2, f->out1));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("register", "export", "--db", f->db2, "-o", f->out2));
    run_result_free(&r);
    char *a = slurp(f->out1), *b = slurp(f->out2);
    assert_true(strlen(a) > 1000);
    assert_string_equal(a, b);
    free(a);
    free(b);
    /* stdout export is the same document */
    expect_run(&r, 0, ARGS("register", "export", "--db", f->db2));
    a = slurp(f->out1);
    assert_string_equal(r.out, a);
    free(a);
    run_result_free(&r);
    /* a second import into a non-empty org is refused */
    expect_run(&r, 1, ARGS("register", "import", "--db", f->db2, f->out1));
    assert_non_null(strstr(r.err, "already holds a register"));
    run_result_free(&r);
}

/* s with the first from replaced by to (heap). */
static char *replace_once(const char *s, const char *from, const char *to)
{
    const char *p = strstr(s, from);
    assert_non_null(p);
    size_t n = strlen(s) - strlen(from) + strlen(to) + 1;
    char *out = malloc(n);
    assert_non_null(out);
    snprintf(out, n, "%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
    return out;
}

static void test_register_import_errors(void **state)
{
    fx *f = *state;
    init_db(f, f->db);
    /* bad values: each reported with its path, nothing stored */
    char bad[300];
    char *t1 = replace_once(DOC, "\"scale\": 2", "\"scale\": 9");
    char *t2 = replace_once(t1, "\"ICCPR-19\"", "\"XXXXX-1\"");
    char *t3 = replace_once(t2, "\"impact\": 2, \"kind\"", "\"impact\": 7, \"kind\"");
    run_write(f->dir, "bad.json", t3, bad, sizeof bad);
    free(t1);
    free(t2);
    free(t3);
    run_result r;
    expect_run(&r, 1, ARGS("register", "import", "--db", f->db, bad));
    assert_non_null(strstr(r.err, "/impacts/0/scale"));
    assert_non_null(strstr(r.err, "/impacts/1/rights/1"));
    assert_non_null(strstr(r.err, "/actions/0/impact"));
    assert_non_null(strstr(r.err, "3 error(s); nothing was imported"));
    run_result_free(&r);
    expect_run(&r, 0, ARGS("impacts", "list", "--db", f->db, "--json"));
    assert_non_null(strstr(r.out, "[]"));
    run_result_free(&r);
    /* not JSON: FILE:LINE:COLUMN */
    run_write(f->dir, "broken.json", "{\n  \"format\": \"hrdd-register\",,\n}\n", bad, sizeof bad);
    expect_run(&r, 1, ARGS("register", "import", "--db", f->db, bad));
    char want[400];
    snprintf(want, sizeof want, "%s:2:", bad);
    assert_non_null(strstr(r.err, want));
    run_result_free(&r);
    expect_run(&r, 2, ARGS("register", "import", "--db", f->db));
    run_result_free(&r);
    expect_run(&r, 1, ARGS("register", "import", "--db", f->db, "--org", "nope", f->doc));
    run_result_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_register_commands, fx_setup, fx_teardown),
        cmocka_unit_test_setup_teardown(test_register_import_errors, fx_setup, fx_teardown),
    };
    return cmocka_run_group_tests_name("cli_register", tests, NULL, NULL);
}
