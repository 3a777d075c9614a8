/* cmd_assess: the assessment engine's commands.
 *   hrdd assess import-rdr [--db DB] [--org SLUG] DIR   RDR published data -> methodology, entities,
 *                                                       assessments and answers in the database
 *   hrdd assess score [--db DB] [--org SLUG] [--methodology SLUG[@VERSION]] [--period P] [--json] [--timing]
 *   hrdd assess check FILE...                           schema check of methodology files
 *   hrdd assess methodologies [--json]                  the methodologies shipped with hrdd
 * score prints the JSON contract of issue 6 ({"methodology", "entities": [{"entity", "total",
 * "categories", "indicators", ...}]}, unrounded) or a ranking table rounded half up. --timing
 * prints to stderr how long reading the database and scoring took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "cli/cli.h"

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* ---- import-rdr ---- */
static int import_run(cli_run *r)
{
    if (r->nargs != 1) return cli_usage_err(r, "expected one directory (the RDR data layout)");
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    core_arena a;
    core_arena_init(&a);
    store_conn *c = NULL;
    store_org org = {0};
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) rc = cli_org(r, c, &a, cli_opt_get(r, "org"), &org);
    asm_rdr_stats st;
    char msg[1200] = "";
    double t0 = now_ms();
    if (rc == CORE_OK) {
        rc = asm_rdr_import(c, &a, org.id, r->args[0], &st, msg, sizeof msg);
        if (rc != CORE_OK) cli_err(r, "%s", msg[0] ? msg : core_strerror(rc));
    }
    if (c) store_release(s, c);
    if (rc == CORE_OK) {
        if (cli_opt_has(r, "json")) {
            cli_print_json(json_pack("{s:s, s:s, s:i, s:I, s:I, s:I, s:I, s:f}", "methodology", st.methodology,
                                     "version", st.version, "year", st.year, "companies", (json_int_t)st.companies,
                                     "indicators", (json_int_t)st.indicators, "elements", (json_int_t)st.elements,
                                     "answers", (json_int_t)st.answers, "ms", now_ms() - t0));
        } else {
            printf("imported %s (version %s): %zu companies, %zu indicators, %zu elements, %zu answers\n",
                   st.methodology, st.version, st.companies, st.indicators, st.elements, st.answers);
        }
    }
    core_arena_cleanup(&a);
    store_close(s);
    return cli_exit_for(rc);
}

static const cli_opt import_opts[] = {
    {"org", "SLUG", "organisation that holds the assessments (default: the installation's first)"},
    {"json", NULL, "print the counts as JSON"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_assess_import_rdr = {
    .name = "assess import-rdr",
    .summary = "Import Ranking Digital Rights' published index data",
    .synopsis = "assess import-rdr [--db DB] [--org SLUG] [--json] DIR",
    .description =
        "Reads the layout of RDR's index data (indicators/<ID>/elements.json,\n"
        "<YEAR>-company-specs.csv, -service-specs.csv, -element-specs.csv,\n"
        "-indicator-specs.csv, -indicator-excludes.csv; the year is taken from the file\n"
        "names) and stores the methodology \"rdr-<YEAR>\", one entity and one final\n"
        "assessment per company, and every element answer at every level. Importing the\n"
        "same year again replaces its assessments. The data is CC BY 4.0 (Ranking Digital\n"
        "Rights): keep the attribution when you show figures derived from it.",
    .keys = CLI_KEYS_STORE,
    .opts = import_opts,
    .examples = "  hrdd assess import-rdr --db hrdd.db ../shared/data/rdr-2020\n",
    .run = import_run,
};

/* ---- score ---- */
static int pick_methodology(cli_run *r, store_conn *c, core_arena *a, int64_t org_id, store_as_methodology *out)
{
    const char *want = cli_opt_get(r, "methodology");
    if (want) {
        char slug[128];
        snprintf(slug, sizeof slug, "%s", want);
        char *at = strchr(slug, '@');
        if (at) *at++ = '\0';
        int rc = store_as_methodology_find(c, a, org_id, slug, at, out);
        if (rc == CORE_NOTFOUND) cli_err(r, "no methodology '%s' in the database", want);
        return rc;
    }
    store_as_assessment *all;
    size_t n;
    int rc = store_as_assessment_list(c, a, org_id, 0, 0, &all, &n);
    if (rc != CORE_OK) return rc;
    int64_t best = 0;
    for (size_t i = 0; i < n; i++)
        if (all[i].methodology_id > best) best = all[i].methodology_id;
    if (!best) {
        cli_err(r, "no assessments in the database (import some with `hrdd assess import-rdr`)");
        return CORE_NOTFOUND;
    }
    return store_as_methodology_get(c, a, org_id, best, out);
}

typedef struct scored {
    const char *period;
    asm_score sc;
} scored;

static int cmp_total(const void *x, const void *y)
{
    const scored *a = x, *b = y;
    if (a->sc.has_total != b->sc.has_total) return b->sc.has_total - a->sc.has_total;
    if (a->sc.total != b->sc.total) return a->sc.total < b->sc.total ? 1 : -1;
    return strcmp(a->sc.entity, b->sc.entity);
}

static int score_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    if (cli_need_db(r) != CORE_OK) return CLI_EXIT_USAGE;
    store *s;
    if (cli_open_store(r, &s, 1, 0) != CORE_OK) return CLI_EXIT_FAIL;
    const char *period = cli_opt_get(r, "period");
    core_arena a;
    core_arena_init(&a);
    store_conn *c = NULL;
    store_org org = {0};
    store_as_methodology row;
    asm_methodology *m = NULL;
    scored *res = NULL;
    size_t nres = 0;
    double t0 = now_ms(), t_read = 0, t_score = 0;
    int rc = store_acquire(s, &c);
    if (rc == CORE_OK) rc = cli_org(r, c, &a, cli_opt_get(r, "org"), &org);
    if (rc == CORE_OK) rc = pick_methodology(r, c, &a, org.id, &row);
    if (rc == CORE_OK) {
        asm_error err;
        rc = asm_methodology_from_row(&a, &row, &m, &err);
        if (rc != CORE_OK) {
            char b[600];
            asm_error_format(&err, b, sizeof b);
            cli_err(r, "stored methodology does not load: %s", b);
        }
    }
    store_as_assessment *all = NULL;
    size_t n = 0;
    if (rc == CORE_OK) rc = store_as_assessment_list(c, &a, org.id, 0, row.id, &all, &n);
    if (rc == CORE_OK) {
        res = core_arena_alloc(&a, (n ? n : 1) * sizeof *res);
        if (!res) rc = CORE_NOMEM;
    }
    for (size_t i = 0; rc == CORE_OK && i < n; i++) {
        if (period && strcmp(all[i].period, period)) continue;
        double t1 = now_ms();
        store_as_entity ent;
        store_as_answer *ans;
        size_t na;
        asm_subject subj;
        rc = store_as_entity_get(c, &a, org.id, all[i].entity_id, &ent);
        if (rc == CORE_OK) rc = asm_subject_from_entity(&a, &ent, &subj);
        if (rc == CORE_OK) rc = store_as_answer_list(c, &a, org.id, all[i].id, &ans, &na);
        asm_answer *v = NULL;
        if (rc == CORE_OK && !(v = core_arena_alloc(&a, (na ? na : 1) * sizeof *v))) rc = CORE_NOMEM;
        for (size_t k = 0; rc == CORE_OK && k < na; k++) {
            v[k].element = ans[k].element;
            v[k].level = ans[k].level;
            v[k].value = ans[k].value;
        }
        double t2 = now_ms();
        t_read += t2 - t1;
        if (rc == CORE_OK) {
            res[nres].period = all[i].period;
            rc = asm_score_entity(&a, m, &subj, v, na, &res[nres].sc);
            if (rc == CORE_OK) nres++;
        }
        t_score += now_ms() - t2;
    }
    if (c) store_release(s, c);
    if (rc == CORE_OK && cli_opt_has(r, "json")) {
        json_t *o = json_pack("{s:s, s:s, s:s}", "methodology", m->id, "version", m->version, "name", m->name);
        json_t *ents = json_array();
        for (size_t i = 0; o && ents && i < nres; i++) {
            json_t *e = asm_score_json(&res[i].sc);
            if (e) json_object_set_new(e, "period", json_string(res[i].period));
            json_array_append_new(ents, e);
        }
        json_object_set_new(o, "entities", ents);
        cli_print_json(o);
    } else if (rc == CORE_OK) {
        qsort(res, nres, sizeof *res, cmp_total);
        printf("%s (version %s)\n%-4s %-24s %-8s %6s", m->name, m->version, "rank", "entity", "period", "total");
        for (size_t k = 0; k < m->n_categories; k++) printf(" %6s", m->categories[k].id);
        printf("\n");
        for (size_t i = 0; i < nres; i++) {
            const asm_score *sc = &res[i].sc;
            printf("%-4zu %-24s %-8s", i + 1, sc->entity, res[i].period);
            if (sc->has_total) printf(" %6ld", asm_round_half_up(sc->total));
            else printf(" %6s", "-");
            for (size_t k = 0; k < m->n_categories; k++) {
                if (sc->category_has[k]) printf(" %6ld", asm_round_half_up(sc->categories[k]));
                else printf(" %6s", "-");
            }
            printf("\n");
        }
        if (m->attribution) printf("Source: %s\n", m->attribution);
    }
    if (rc == CORE_OK && cli_opt_has(r, "timing"))
        fprintf(stderr, "assess score: %zu entities; read %.1f ms, scoring %.3f ms, total %.1f ms\n", nres, t_read,
                t_score, now_ms() - t0);
    core_arena_cleanup(&a);
    store_close(s);
    return cli_exit_for(rc);
}

static const cli_opt score_opts[] = {
    {"org", "SLUG", "organisation (default: the installation's first)"},
    {"methodology", "SLUG[@VERSION]", "methodology to score (default: the newest one with assessments)"},
    {"period", "P", "only assessments of this period"},
    {"json", NULL, "print level, indicator, category and total scores as JSON (unrounded)"},
    {"timing", NULL, "print the time spent reading and scoring on stderr"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_assess_score = {
    .name = "assess score",
    .summary = "Score every assessment of a methodology",
    .synopsis = "assess score [--db DB] [--org SLUG] [--methodology SLUG[@VERSION]] [--period P] [--json] [--timing]",
    .description =
        "Computes level, indicator, category and total scores of every assessment of one\n"
        "methodology version. Without --json prints a ranking table rounded half up;\n"
        "with --json the unrounded figures: {\"methodology\": ..., \"entities\": [{\"entity\",\n"
        "\"total\", \"categories\", \"indicators\", \"levels\", \"period\"}]} (null = not applicable).",
    .keys = CLI_KEYS_STORE,
    .opts = score_opts,
    .examples = "  hrdd assess score --db hrdd.db\n  hrdd assess score --db hrdd.db --methodology rdr-2020 --json\n",
    .run = score_run,
};

/* ---- check ---- */
static int check_run(cli_run *r)
{
    if (r->nargs < 1) return cli_usage_err(r, "expected one or more methodology files");
    int bad = 0;
    for (int i = 0; i < r->nargs; i++) {
        core_arena a;
        core_arena_init(&a);
        asm_methodology *m;
        asm_error err;
        if (asm_load_file(&a, r->args[i], &m, &err) != CORE_OK) {
            char b[800];
            asm_error_format(&err, b, sizeof b);
            fprintf(stderr, "%s\n", b);
            bad = 1;
        } else {
            printf("%s: %s %s: %zu categories, %zu indicators, %zu elements\n", r->args[i], m->id, m->version,
                   m->n_categories, m->n_indicators, m->n_elements);
        }
        core_arena_cleanup(&a);
    }
    return bad ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

const cli_cmd cli_cmd_assess_check = {
    .name = "assess check",
    .summary = "Check methodology files",
    .synopsis = "assess check FILE...",
    .description = "Loads each methodology file with the schema check; errors are printed as\n"
                   "file:line:column: message. Exit status 1 when a file has an error.",
    .examples = "  hrdd assess check my-methodology.yaml\n",
    .run = check_run,
};

/* ---- methodologies ---- */
static int meths_run(cli_run *r)
{
    if (r->nargs) return cli_usage_err(r, "unexpected argument '%s'", r->args[0]);
    json_t *arr = cli_opt_has(r, "json") ? json_array() : NULL;
    int bad = 0;
    for (size_t i = 0; i < asm_shipped_count(); i++) {
        const asm_shipped *sh = asm_shipped_at(i);
        core_arena a;
        core_arena_init(&a);
        asm_methodology *m;
        asm_error err;
        if (asm_shipped_load(&a, sh->id, &m, &err) != CORE_OK) {
            char b[800];
            asm_error_format(&err, b, sizeof b);
            fprintf(stderr, "%s\n", b);
            bad = 1;
        } else if (arr) {
            json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:I, s:I}", "id", m->id, "version", m->version,
                                                 "name", m->name, "indicators", (json_int_t)m->n_indicators,
                                                 "elements", (json_int_t)m->n_elements));
        } else {
            printf("%-16s %-8s %3zu indicators %4zu elements  %s\n", m->id, m->version, m->n_indicators,
                   m->n_elements, m->name);
        }
        core_arena_cleanup(&a);
    }
    if (arr) cli_print_json(arr);
    return bad ? CLI_EXIT_FAIL : CLI_EXIT_OK;
}

static const cli_opt meths_opts[] = {
    {"json", NULL, "print a JSON array"},
    {NULL, NULL, NULL},
};

const cli_cmd cli_cmd_assess_methodologies = {
    .name = "assess methodologies",
    .summary = "List the methodologies shipped with hrdd",
    .synopsis = "assess methodologies [--json]",
    .description = "Lists the methodologies compiled into hrdd (src/assess/methodologies), each\n"
                   "loaded through the schema check.",
    .opts = meths_opts,
    .examples = "  hrdd assess methodologies\n",
    .run = meths_run,
};
