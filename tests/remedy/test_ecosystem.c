/* test_ecosystem: mechanisms, pathway, referrals, statistics and time-limit
 * checks of src/remedy, against SQLite and (with HRDD_TEST_PG_URL) PostgreSQL.
 *
 * - import of the 57 real records in $HRDD_SOURCE_ROOT/../shared/data/
 *   remedy-mechanisms, idempotent on re-run; broken files reported with
 *   line:column while the good ones are kept;
 * - the pathway of a German data-protection case holds the German authorities;
 * - a referral package holds no internal note and no staff identity
 *   (distinctive strings planted in notes, staff names and e-mails);
 * - statistics on a known set of cases (median / p90 exact, k-anonymity);
 * - the SLA check with an injected clock: due soon, overdue, notified once,
 *   file sink contents.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <libpq-fe.h>

#include "remedy/remedy.h"

#define DAY 86400
#define T0 1767225600                /* 2026-01-01T00:00:00Z */

static int64_t fake_now = T0;
static int64_t clock_fn(void)
{
    return fake_now;
}

typedef struct engine {
    int pg;
    const char *url;
} engine;

static engine eng_sqlite = {0, NULL}, eng_pg = {1, NULL};

typedef struct fx {
    int pg;
    char dir[64];
    char url[512];
    char sink[600];
    store *s;
    rmd_service *svc;
    core_arena a;
    int64_t org, org2;
    int64_t handler_id, handler2_id;
    rmd_actor handler, admin;
} fx;

#define STAFF_NAME "Zebulon Q7-Staffname"
#define STAFF_EMAIL "zq7.handler@staff-secret.example"
#define STAFF2_NAME "Yolanda K9-Staffname"
#define STAFF2_EMAIL "yk9.handler@staff-secret.example"
#define NOTE_TEXT "INTERNAL-NOTE-XYZZY-4711 do not share"

static void quiet(void *arg, const char *msg)
{
    (void)arg;
    (void)msg;
}

static int pg_exec(const char *url, const char *sql)
{
    PGconn *pc = PQconnectdb(url);
    if (PQstatus(pc) != CONNECTION_OK) {
        PQfinish(pc);
        return -1;
    }
    PQsetNoticeProcessor(pc, quiet, NULL);
    PGresult *r = PQexec(pc, sql);
    int st = PQresultStatus(r);
    PQclear(r);
    PQfinish(pc);
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK ? 0 : -1;
}

static int64_t mk_user(store_conn *c, int64_t org, const char *email, const char *name, core_role role)
{
    store_user u = {.email = email, .display_name = name, .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(c, &u), CORE_OK);
    assert_int_equal(store_member_set(c, org, u.id, role), CORE_OK);
    return u.id;
}

static int setup(void **state)
{
    const engine *e = *state;
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    snprintf(f->dir, sizeof f->dir, "/tmp/hrdd-eco-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    if (e->pg) {
        snprintf(f->url, sizeof f->url, "%s", e->url);
        assert_int_equal(pg_exec(f->url, "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"), 0);
    } else {
        snprintf(f->url, sizeof f->url, "%s/test.db", f->dir);
    }
    snprintf(f->sink, sizeof f->sink, "%s/mail.jsonl", f->dir);
    store_options so = {.url = f->url, .pool_size = 4};
    assert_int_equal(store_open(&f->s, &so), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org o = {.slug = "acme", .name = "Acme Social", .kind = "company"};
    assert_int_equal(store_org_create(c, &o), CORE_OK);
    f->org = o.id;
    store_org o2 = {.slug = "other", .name = "Other Co", .kind = "company"};
    assert_int_equal(store_org_create(c, &o2), CORE_OK);
    f->org2 = o2.id;
    f->handler_id = mk_user(c, f->org, STAFF_EMAIL, STAFF_NAME, CORE_ROLE_CASE_HANDLER);
    f->handler2_id = mk_user(c, f->org, STAFF2_EMAIL, STAFF2_NAME, CORE_ROLE_CASE_HANDLER);
    mk_user(c, f->org2, "boss@other.example", "Boss", CORE_ROLE_ADMIN);
    store_release(f->s, c);
    unsigned char root[CRY_SECRET_LEN];
    memset(root, 7, sizeof root);
    rmd_options ro;
    rmd_options_defaults(&ro);
    ro.now = clock_fn;
    ro.mail_sink_path = f->sink;
    ro.base_url = "https://hrdd.example.org/";
    assert_int_equal(rmd_open(&f->svc, f->s, root, &ro), CORE_OK);
    core_arena_init(&f->a);
    static char labels[2][32];
    snprintf(labels[0], sizeof labels[0], "user:%lld", (long long)f->handler_id);
    f->handler = (rmd_actor){.user_id = f->handler_id, .org_id = f->org, .role = CORE_ROLE_CASE_HANDLER,
                             .label = labels[0]};
    f->admin = (rmd_actor){.user_id = 0, .org_id = f->org, .role = CORE_ROLE_ADMIN, .label = "cli"};
    fake_now = T0;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rmd_close(f->svc);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    char p[700];
    const char *names[] = {"test.db", "test.db-wal", "test.db-shm", "mail.jsonl"};
    for (size_t i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", f->dir, names[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static const char *dpa_dir(char *buf, size_t n)
{
    const char *root = getenv("HRDD_SOURCE_ROOT");
    snprintf(buf, n, "%s/../shared/data/remedy-mechanisms/data-protection-authorities", root ? root : ".");
    return buf;
}

typedef struct errs {
    int n;
    char lines[8][400];
} errs;

static void collect(void *ud, const char *file, int line, int col, const char *msg)
{
    errs *e = ud;
    if (e->n < 8) {
        const char *base = strrchr(file, '/');
        snprintf(e->lines[e->n], sizeof e->lines[e->n], "%s:%d:%d: %s", base ? base + 1 : file, line,
                 col, msg);
    }
    e->n++;
}

static void import_all(fx *f, rmd_import_stats *st, errs *e)
{
    char dir[1024];
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    assert_int_equal(store_begin(c), CORE_OK);
    memset(st, 0, sizeof *st);
    assert_int_equal(rmd_mechanism_import(c, &f->a, 0, dpa_dir(dir, sizeof dir), "test", fake_now,
                                          collect, e, st), CORE_OK);
    assert_int_equal(store_commit(c), CORE_OK);
    store_release(f->s, c);
}

/* ---- import ---- */

static void t_import_real(void **state)
{
    fx *f = *state;
    rmd_import_stats st;
    errs e = {0};
    import_all(f, &st, &e);
    assert_int_equal(e.n, 0);
    assert_int_equal(st.files, 57);
    assert_int_equal(st.created, 57);
    assert_int_equal(st.failed, 0);
    import_all(f, &st, &e);                 /* re-run: nothing new, nothing duplicated */
    assert_int_equal(st.created, 0);
    assert_int_equal(st.updated, 0);
    assert_int_equal(st.unchanged, 57);
    rmd_mechanism *list;
    size_t n;
    assert_int_equal(rmd_mechanism_list(f->svc, &f->a, &f->handler, NULL, &list, &n), CORE_OK);
    assert_int_equal(n, 57);
    rmd_mechanism_filter fl = {.country = "de"};
    assert_int_equal(rmd_mechanism_list(f->svc, &f->a, &f->handler, &fl, &list, &n), CORE_OK);
    assert_true(n >= 20);
    int bfdi = 0;
    for (size_t i = 0; i < n; i++) {
        assert_true(rmd_words_has(list[i].m.jurisdictions, "DE"));
        if (!strcmp(list[i].m.slug, "debfdi")) {
            bfdi = 1;
            assert_string_equal(list[i].m.kind, "state_non_judicial");
            assert_string_equal(list[i].m.subkind, "data_protection_authority");
            assert_string_equal(list[i].m.email, "poststelle@bfdi.bund.de");
            assert_string_equal(list[i].m.languages, "de");
            assert_non_null(strstr(list[i].m.intake_url, "bfdi.bund.de"));
            assert_true(rmd_words_has(list[i].m.subjects, "data_protection"));
        }
    }
    assert_true(bfdi);
    /* the parent folder: subfolder followed, schema file skipped */
    char dir[1024];
    dpa_dir(dir, sizeof dir);
    *strrchr(dir, '/') = '\0';
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    memset(&st, 0, sizeof st);
    st.verified = "2026-01-01";
    assert_int_equal(rmd_mechanism_import(c, &f->a, 0, dir, "test", fake_now, collect, &e, &st), CORE_OK);
    store_release(f->s, c);
    assert_int_equal(st.files, 57);
    assert_int_equal(st.updated, 57);       /* last_verified set */
    assert_int_equal(e.n, 0);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void t_import_broken(void **state)
{
    fx *f = *state;
    char d[128], p[256];
    snprintf(d, sizeof d, "%s/imp", f->dir);
    assert_int_equal(mkdir(d, 0700), 0);
    snprintf(p, sizeof p, "%s/a-good.json", d);
    write_file(p, "{\n  \"slug\": \"xxtest\",\n  \"relevant-countries\": [\"fr\"],\n  \"name\": \"Test DPA\",\n"
                  "  \"address\": \"1 rue\\nParis\\nFrance\",\n  \"sources\": [\"https://example.org\"]\n}\n");
    snprintf(p, sizeof p, "%s/b-syntax.json", d);
    write_file(p, "{\n  \"slug\": \"broken\",\n  \"name\": \"x\" \"address\": 1\n}\n");
    snprintf(p, sizeof p, "%s/c-schema.json", d);
    write_file(p, "{\n  \"slug\": \"schema\",\n  \"colour\": \"red\",\n  \"relevant-countries\": [\"de\"],\n"
                  "  \"name\": \"n\", \"address\": \"a\", \"sources\": [\"s\"]\n}\n");
    snprintf(p, sizeof p, "%s/d-missing.json", d);
    write_file(p, "{\"slug\": \"missing\", \"name\": \"n\"}\n");
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    rmd_import_stats st = {0};
    errs e = {0};
    assert_int_equal(rmd_mechanism_import(c, &f->a, 0, d, "test", fake_now, collect, &e, &st), CORE_OK);
    assert_int_equal(st.files, 4);
    assert_int_equal(st.created, 1);
    assert_int_equal(st.failed, 3);
    assert_int_equal(e.n, 3);
    /* jansson's position of the syntax error: line 3, after the "x" */
    assert_non_null(strstr(e.lines[0], "b-syntax.json:3:"));
    assert_non_null(strstr(e.lines[1], "c-schema.json:3:3: unknown member \"colour\""));
    assert_non_null(strstr(e.lines[2], "d-missing.json:1:1: missing required member"));
    store_mechanism m;
    assert_int_equal(store_mechanism_get_by_slug(c, &f->a, 0, "xxtest", &m), CORE_OK);
    assert_string_equal(m.jurisdictions, "FR");
    assert_int_equal(store_mechanism_get_by_slug(c, &f->a, 0, "schema", &m), CORE_NOTFOUND);
    store_release(f->s, c);
    const char *names[] = {"a-good.json", "b-syntax.json", "c-schema.json", "d-missing.json"};
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s", d, names[i]);
        unlink(p);
    }
    rmdir(d);
}

/* ---- helpers that file and move cases ---- */

static int64_t file_case(fx *f, const char *category, const char *country, const char *pref,
                         const char *product, char receipt[GRV_RECEIPT_TEXT + 1])
{
    grv_intake in = {.narrative = "My account was blocked and my data was shared NARRATIVE-MARK",
                     .category = category, .country = country, .contact_preference = pref,
                     .rights_text = "privacy", .outcome_sought = "delete my data",
                     .language = "en", .channel = "web", .product = product};
    if (strcmp(pref, "anonymous")) {
        in.contact_name = "Complainant Person";
        in.contact_email = "complainant-contact@private.example";
    }
    rmd_filed out;
    grv_error err = {0};
    int rc = rmd_file(f->svc, &f->a, f->org, &in, NULL, &out, &err);
    if (rc != CORE_OK)
        fail_msg("rmd_file: %s %s %s", core_strerror(rc), err.field ? err.field : "", err.detail ? err.detail : "");
    if (receipt)
        memcpy(receipt, out.receipt, sizeof out.receipt);
    return out.case_id;
}

static void act(fx *f, int64_t id, grv_action a, const char *reason)
{
    int rc = rmd_case_act(f->svc, &f->a, &f->handler, id, a, reason, NULL);
    if (rc != CORE_OK)
        fail_msg("%s: %s", grv_action_name(a), core_strerror(rc));
}

/* ---- pathway ---- */

static void t_pathway(void **state)
{
    fx *f = *state;
    rmd_import_stats st;
    errs e = {0};
    import_all(f, &st, &e);
    store_mechanism odr = {.slug = "eu-appeals", .kind = "non_state", .subkind = "out_of_court_body",
                           .name = "Appeals Centre Europe", .jurisdictions = "EU",
                           .subjects = "content_moderation"};
    assert_int_equal(rmd_mechanism_create(f->svc, &f->a, &f->handler, &odr, 1), CORE_DENIED); /* shared: admin */
    assert_int_equal(rmd_mechanism_create(f->svc, &f->a, &f->admin, &odr, 1), CORE_OK);
    store_mechanism own = {.slug = "acme-ombuds", .kind = "non_state", .subkind = "ombudsman",
                           .name = "Acme Ombudsperson", .jurisdictions = "ALL",
                           .subjects = "human_rights"};
    assert_int_equal(rmd_mechanism_create(f->svc, &f->a, &f->handler, &own, 0), CORE_OK);

    char receipt[GRV_RECEIPT_TEXT + 1];
    int64_t de = file_case(f, "data_protection", "DE", "anonymous", NULL, receipt);
    rmd_mechanism *p;
    size_t n;
    /* the receipt page: the same routes, by receipt; a wrong receipt reveals nothing */
    rmd_peer peer = {0};
    assert_int_equal(rmd_pathway_receipt(f->svc, &f->a, receipt, &peer, &p, &n), CORE_OK);
    assert_true(n >= 20);
    assert_string_equal(p[0].match, "country");
    assert_int_equal(rmd_pathway_receipt(f->svc, &f->a, "00000-00000-00000-00000", &peer, &p, &n),
                     CORE_NOTFOUND);
    assert_int_equal(n, 0);
    assert_int_equal(rmd_pathway(f->svc, &f->a, &f->handler, de, &p, &n), CORE_OK);
    int bfdi = 0, bay = 0;
    assert_true(n >= 20);
    for (size_t i = 0; i < n; i++) {
        assert_true(rmd_words_has(p[i].m.jurisdictions, "DE"));   /* no French, no EU-only body */
        assert_string_equal(p[i].match, "country");
        bfdi |= !strcmp(p[i].m.slug, "debfdi");
        bay |= !strcmp(p[i].m.slug, "debaylda");
        if (i)
            assert_true(p[i - 1].relevance >= p[i].relevance);
    }
    assert_true(bfdi && bay);
    /* another org's staff cannot see the case */
    rmd_actor stranger = {.user_id = 0, .org_id = f->org2, .role = CORE_ROLE_ADMIN, .label = "cli"};
    assert_int_equal(rmd_pathway(f->svc, &f->a, &stranger, de, &p, &n), CORE_NOTFOUND);
    /* a content-moderation case in Austria: the EU-wide out-of-court body */
    assert_int_equal(rmd_pathway_public(f->svc, &f->a, f->org, "at", GRV_CAT_CONTENT_MODERATION, &p, &n),
                     CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].m.slug, "eu-appeals");
    assert_string_equal(p[0].match, "eu");
    /* ... not in the United States */
    assert_int_equal(rmd_pathway_public(f->svc, &f->a, f->org, "US", GRV_CAT_CONTENT_MODERATION, &p, &n),
                     CORE_OK);
    assert_int_equal(n, 0);
    /* general: the org's own international ombudsperson */
    assert_int_equal(rmd_pathway_public(f->svc, &f->a, f->org, "US", GRV_CAT_GENERAL, &p, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(p[0].m.slug, "acme-ombuds");
    assert_int_equal(rmd_pathway_public(f->svc, &f->a, f->org2, "US", GRV_CAT_GENERAL, &p, &n), CORE_OK);
    assert_int_equal(n, 0);                 /* not another org's */
    /* EU/EEA membership */
    assert_true(rmd_eu_member("de") && rmd_eu_member("GR") && !rmd_eu_member("NO") && !rmd_eu_member("GB"));
    assert_true(rmd_eea_member("NO") && rmd_eea_member("is") && !rmd_eea_member("CH"));
}

/* ---- referrals ---- */

static int contains(const char *hay, const char *needle)
{
    return hay && strstr(hay, needle) != NULL;
}

static void assert_clean(const char *text)
{
    char uid[32];
    assert_false(contains(text, "XYZZY"));
    assert_false(contains(text, "Q7-Staffname"));
    assert_false(contains(text, "K9-Staffname"));
    assert_false(contains(text, "staff-secret.example"));
    assert_false(contains(text, "actor_user_id"));
    assert_false(contains(text, "user_id"));
    snprintf(uid, sizeof uid, "user:");
    assert_false(contains(text, uid));
}

static void t_referral_package(void **state)
{
    fx *f = *state;
    rmd_import_stats st;
    errs e = {0};
    import_all(f, &st, &e);
    store_conn *c;
    store_mechanism bfdi;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    assert_int_equal(store_mechanism_get_by_slug(c, &f->a, 0, "debfdi", &bfdi), CORE_OK);
    store_release(f->s, c);

    char receipt[GRV_RECEIPT_TEXT + 1];
    int64_t id = file_case(f, "data_protection", "DE", "confidential", NULL, receipt);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->handler, id, f->handler2_id), CORE_OK);
    act(f, id, GRV_ACT_ACKNOWLEDGE, NULL);
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->handler, id, NOTE_TEXT), CORE_OK);
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->handler, id, "Which account was it?", 1), CORE_OK);
    rmd_peer peer = {0};
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, receipt, &peer, "The account COMPLAINANT-REPLY"),
                     CORE_OK);
    act(f, id, GRV_ACT_ASSESS, NULL);

    /* no referral without consent */
    rmd_consent none = {0};
    assert_int_equal(rmd_referral_create(f->svc, &f->a, &f->handler, id, bfdi.id, "referral", &none, NULL),
                     CORE_INVALID);
    assert_int_equal(rmd_referral_create(f->svc, &f->a, &f->handler, id, bfdi.id, "referral", NULL, NULL),
                     CORE_INVALID);
    rmd_actor analyst = f->handler;
    analyst.role = CORE_ROLE_ANALYST;
    rmd_consent yes = {.given = 1, .share_contact = 0, .text = "Agreed by message on 2026-01-02"};
    assert_int_equal(rmd_referral_create(f->svc, &f->a, &analyst, id, bfdi.id, "referral", &yes, NULL),
                     CORE_DENIED);
    int64_t rid = 0;
    assert_int_equal(rmd_referral_create(f->svc, &f->a, &f->handler, id, bfdi.id, "referral", &yes, &rid),
                     CORE_OK);
    assert_true(rid > 0);
    rmd_case k;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->handler, id, &k), CORE_OK);
    assert_int_equal(k.s.state, GRV_REFERRED);     /* the transition came with it */

    json_t *pkg = NULL;
    char *summary = NULL;
    assert_int_equal(rmd_referral_package(f->svc, &f->a, &f->handler, rid, &pkg, &summary), CORE_OK);
    char *dump = json_dumps(pkg, JSON_COMPACT);
    assert_non_null(dump);
    assert_true(contains(dump, "NARRATIVE-MARK"));
    assert_true(contains(dump, "COMPLAINANT-REPLY"));
    assert_true(contains(dump, "Which account was it?"));
    assert_true(contains(dump, "Agreed by message"));
    assert_true(contains(dump, "debfdi"));
    assert_false(contains(dump, "complainant-contact@private.example"));  /* no consent to share */
    assert_false(contains(dump, "Complainant Person"));
    assert_clean(dump);
    assert_true(contains(summary, "NARRATIVE-MARK"));
    assert_true(contains(summary, "Die Bundesbeauftragte"));
    assert_clean(summary);
    free(dump);
    free(summary);
    json_decref(pkg);

    /* parallel proceedings with consent to share contact data; outcome tracked */
    int64_t pid = 0;
    rmd_consent share = {.given = 1, .share_contact = 1, .text = "Phone call"};
    assert_int_equal(rmd_referral_create(f->svc, &f->a, &f->handler, id, bfdi.id, "parallel", &share, &pid),
                     CORE_OK);
    assert_int_equal(rmd_referral_update(f->svc, &f->a, &f->handler, pid, "decided", "Fine imposed"), CORE_OK);
    assert_int_equal(rmd_referral_update(f->svc, &f->a, &f->handler, pid, "nonsense", NULL), CORE_INVALID);
    rmd_referral *rs;
    size_t n;
    assert_int_equal(rmd_referral_list(f->svc, &f->a, &f->handler, id, &rs, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(rs[1].state, "decided");
    assert_string_equal(rs[1].outcome, "Fine imposed");
    assert_string_equal(rs[0].consent_text, "Agreed by message on 2026-01-02");
    assert_string_equal(rs[0].mechanism.slug, "debfdi");
    assert_int_equal(rmd_referral_package(f->svc, &f->a, &f->handler, pid, &pkg, &summary), CORE_OK);
    dump = json_dumps(pkg, JSON_COMPACT);
    assert_true(contains(dump, "complainant-contact@private.example"));
    assert_true(contains(summary, "Complainant Person"));
    assert_true(contains(dump, "Fine imposed"));
    assert_clean(dump);
    assert_clean(summary);
    free(dump);
    free(summary);
    json_decref(pkg);
    /* other org: not found */
    rmd_actor stranger = {.user_id = 0, .org_id = f->org2, .role = CORE_ROLE_ADMIN, .label = "cli"};
    assert_int_equal(rmd_referral_package(f->svc, &f->a, &stranger, pid, &pkg, &summary), CORE_NOTFOUND);
}

/* ---- statistics ---- */

static double num(json_t *o, const char *path1, const char *path2)
{
    json_t *v = json_object_get(o, path1);
    if (path2)
        v = json_object_get(v, path2);
    assert_non_null(v);
    return json_number_value(v);
}

static void t_stats(void **state)
{
    fx *f = *state;
    double v[] = {10, 1, 4, 2, 3};
    double r;
    assert_int_equal(rmd_percentile(v, 5, 50, &r), CORE_OK);
    assert_true(r == 3);                        /* rank ceil(2.5) = 3 */
    assert_int_equal(rmd_percentile(v, 5, 90, &r), CORE_OK);
    assert_true(r == 10);                       /* rank ceil(4.5) = 5 */
    double w[] = {5, 1};
    assert_int_equal(rmd_percentile(w, 2, 50, &r), CORE_OK);
    assert_true(r == 1);
    assert_int_equal(rmd_percentile(w, 0, 50, &r), CORE_INVALID);

    /* five cases filed at T0; acknowledged after 1, 2, 3, 4 and 10 days;
     * two closed (inadmissible) after 20 and 30 days; one more DE case open */
    const int ack_days[] = {1, 2, 3, 4, 10};
    const char *countries[] = {"DE", "DE", "DE", "FR", "FR"};
    int64_t ids[5];
    char receipts[5][GRV_RECEIPT_TEXT + 1];
    for (int i = 0; i < 5; i++) {
        fake_now = T0;
        ids[i] = file_case(f, i < 3 ? "data_protection" : "general", countries[i], "anonymous", NULL,
                           receipts[i]);
    }
    for (int i = 0; i < 5; i++) {
        fake_now = T0 + ack_days[i] * DAY;
        act(f, ids[i], GRV_ACT_ACKNOWLEDGE, NULL);
    }
    fake_now = T0 + 20 * DAY;
    act(f, ids[0], GRV_ACT_ASSESS, NULL);
    act(f, ids[0], GRV_ACT_DECLARE_INADMISSIBLE, "outside our products");
    act(f, ids[0], GRV_ACT_CLOSE, "closed");
    /* the first appealed at once and upheld by another handler (closed again at 20 days) */
    rmd_peer peer = {0};
    assert_int_equal(rmd_receipt_appeal(f->svc, &f->a, receipts[0], &peer, "I disagree"), CORE_OK);
    rmd_actor h2 = f->handler;
    h2.user_id = f->handler2_id;
    h2.label = "user:2";
    assert_int_equal(rmd_case_act(f->svc, &f->a, &h2, ids[0], GRV_ACT_UPHOLD, "decision stands", NULL),
                     CORE_OK);
    fake_now = T0 + 30 * DAY;
    act(f, ids[1], GRV_ACT_ASSESS, NULL);
    act(f, ids[1], GRV_ACT_DECLARE_INADMISSIBLE, "outside our products");
    act(f, ids[1], GRV_ACT_CLOSE, "closed");
    /* a remedy proposed on the third */
    act(f, ids[2], GRV_ACT_ASSESS, NULL);
    act(f, ids[2], GRV_ACT_INVESTIGATE, NULL);
    assert_int_equal(rmd_remedy_propose(f->svc, &f->a, &f->handler, ids[2], "apology", "We apologise", NULL),
                     CORE_OK);
    fake_now = T0 + 31 * DAY;
    file_case(f, "general", "DE", "anonymous", NULL, NULL);
    fake_now = T0 + 100 * DAY;

    json_t *s = NULL;
    rmd_actor auditor = f->handler;
    auditor.role = CORE_ROLE_AUDITOR;
    assert_int_equal(rmd_stats(f->svc, &f->a, &auditor, 0, 0, &s), CORE_DENIED);
    rmd_actor analyst = f->handler;
    analyst.role = CORE_ROLE_ANALYST;
    assert_int_equal(rmd_stats(f->svc, &f->a, &analyst, 0, 0, &s), CORE_OK);
    assert_int_equal((int)num(s, "total", NULL), 6);
    json_t *ack = json_object_get(s, "days_to_acknowledgement");
    assert_int_equal((int)num(ack, "count", NULL), 5);
    assert_true(num(ack, "median_days", NULL) == 3.0);
    assert_true(num(ack, "p90_days", NULL) == 10.0);
    assert_true(num(ack, "mean_days", NULL) == 4.0);
    json_t *clo = json_object_get(s, "days_to_closure");
    assert_int_equal((int)num(clo, "count", NULL), 2);
    assert_true(num(clo, "median_days", NULL) == 20.0);
    assert_true(num(clo, "p90_days", NULL) == 30.0);
    json_t *by_country = json_object_get(json_object_get(s, "by_country"), "counts");
    assert_int_equal((int)json_integer_value(json_object_get(by_country, "DE")), 4);
    assert_int_equal((int)json_integer_value(json_object_get(by_country, "FR")), 2);
    json_t *by_state = json_object_get(json_object_get(s, "by_state"), "counts");
    assert_int_equal((int)json_integer_value(json_object_get(by_state, "closed")), 2);
    assert_int_equal((int)json_integer_value(json_object_get(by_state, "acknowledged")), 2);
    assert_int_equal((int)json_integer_value(json_object_get(by_state, "remedy_proposed")), 1);
    assert_int_equal((int)json_integer_value(json_object_get(by_state, "received")), 1);
    /* acknowledgement within 7 days: 4 met; decided also counts the sixth, running and late */
    json_t *ackc = json_object_get(json_object_get(s, "within_limit"), "acknowledge");
    assert_int_equal((int)num(ackc, "decided", NULL), 6);   /* sixth: overdue at T0+100d */
    assert_int_equal((int)num(ackc, "met", NULL), 4);
    assert_non_null(json_object_get(s, "by_channel"));
    json_t *rem = json_object_get(s, "remedies");
    assert_int_equal((int)json_integer_value(json_object_get(json_object_get(json_object_get(rem, "by_type"),
                                                                              "counts"), "apology")), 1);
    assert_int_equal((int)json_integer_value(json_object_get(json_object_get(json_object_get(rem, "by_state"),
                                                                              "counts"), "proposed")), 1);
    json_t *ap = json_object_get(s, "appeals");
    assert_int_equal((int)num(ap, "filed", NULL), 1);
    assert_int_equal((int)num(ap, "upheld", NULL), 1);
    assert_int_equal((int)num(ap, "pending", NULL), 0);
    char *dump = json_dumps(s, JSON_COMPACT);
    assert_false(contains(dump, "NARRATIVE-MARK"));
    free(dump);
    json_decref(s);

    /* period filter */
    assert_int_equal(rmd_stats(f->svc, &f->a, &analyst, T0 + 31 * DAY, T0 + 32 * DAY, &s), CORE_OK);
    assert_int_equal((int)num(s, "total", NULL), 1);
    json_decref(s);

    /* public: k = 5 suppresses the small counts, no channel/language */
    assert_int_equal(rmd_stats_public(f->svc, &f->a, f->org, 0, 0, &s), CORE_OK);
    json_t *pc = json_object_get(s, "by_country");
    assert_true(json_is_null(json_object_get(json_object_get(pc, "counts"), "DE")));
    assert_int_equal((int)json_integer_value(json_object_get(pc, "suppressed")), 6);
    assert_null(json_object_get(s, "by_channel"));
    assert_null(json_object_get(s, "org_id"));
    json_decref(s);
    rmd_stats_options o = {.k_threshold = 3};
    assert_int_equal(rmd_stats_ex(f->svc, &f->a, &analyst, &o, &s), CORE_OK);
    pc = json_object_get(json_object_get(s, "by_country"), "counts");
    assert_int_equal((int)json_integer_value(json_object_get(pc, "DE")), 4);
    assert_true(json_is_null(json_object_get(pc, "FR")));
    json_decref(s);
}

/* ---- time-limit checks ---- */

static int count_lines(const char *path, char *buf, size_t n)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    size_t len = fread(buf, 1, n - 1, fp);
    buf[len] = '\0';
    fclose(fp);
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    return lines;
}

static void t_sla(void **state)
{
    fx *f = *state;
    char buf[8192];
    fake_now = T0;
    int64_t a = file_case(f, "general", "DE", "anonymous", NULL, NULL);      /* unassigned */
    int64_t b = file_case(f, "data_protection", "FR", "anonymous", NULL, NULL);
    assert_int_equal(rmd_case_assign(f->svc, &f->a, &f->handler, b, f->handler_id), CORE_OK);
    (void)a;
    /* a policy with 2 days' warning */
    grv_policy p;
    assert_int_equal(rmd_policy_get(f->svc, &f->handler, &p), CORE_OK);
    p.due_soon_days = 2;
    rmd_actor admin = f->admin;
    assert_int_equal(rmd_policy_set(f->svc, &f->a, &admin, &p), CORE_OK);

    rmd_sla_report r;
    fake_now = T0 + 1 * DAY;                     /* ack due at T0+7d: running, not yet due soon */
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.notified, 0);
    assert_int_equal(r.due_soon + r.overdue, 0);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 0);

    fake_now = T0 + 6 * DAY;                     /* both acknowledgement clocks due soon */
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.due_soon, 2);
    assert_int_equal(r.notified, 2);
    assert_int_equal(r.orgs, 2);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 2);
    assert_true(contains(buf, "\"status\":\"due_soon\""));
    assert_true(contains(buf, "\"clock\":\"acknowledge\""));
    assert_true(contains(buf, "https://hrdd.example.org/cases/"));
    assert_true(contains(buf, STAFF_EMAIL));
    assert_true(contains(buf, STAFF2_EMAIL));    /* unassigned: every case handler */
    assert_false(contains(buf, "NARRATIVE-MARK"));
    assert_false(contains(buf, "boss@other.example"));

    /* again: nothing new */
    fake_now = T0 + 6 * DAY + 3600;
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.notified, 0);
    assert_int_equal(r.already, 2);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 2);

    /* b acknowledged: its feedback clock runs; a goes overdue */
    act(f, b, GRV_ACT_ACKNOWLEDGE, NULL);
    fake_now = T0 + 8 * DAY;
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.overdue, 1);
    assert_int_equal(r.notified, 1);
    assert_int_equal(r.nitems, 1);
    assert_string_equal(r.items[0].status, "overdue");
    assert_int_equal(r.items[0].case_id, a);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 3);
    char line[300];
    rmd_sla_summary(&r, line, sizeof line);
    assert_true(contains(line, "1 overdue"));
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now + 60, &r), CORE_OK);
    assert_int_equal(r.notified, 0);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 3);
    /* the assigned one goes only to its handler: last line of b's notices */
    char *nl = strstr(buf, "\n");
    assert_non_null(nl);
}

/* A handler who recused from a case never receives its time-limit notices. */
static void t_sla_recused(void **state)
{
    fx *f = *state;
    char buf[8192];
    fake_now = T0;
    int64_t id = file_case(f, "general", "DE", "anonymous", NULL, NULL);   /* unassigned */
    rmd_actor h2 = f->handler;
    h2.user_id = f->handler2_id;
    assert_int_equal(rmd_case_recuse(f->svc, &f->a, &h2, id, "My cousin works there."), CORE_OK);
    rmd_sla_report r;
    fake_now = T0 + 8 * DAY;
    assert_int_equal(rmd_sla_check(f->svc, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.overdue, 1);
    assert_int_equal(r.notified, 1);
    assert_int_equal(count_lines(f->sink, buf, sizeof buf), 1);
    assert_true(contains(buf, STAFF_EMAIL));
    assert_false(contains(buf, STAFF2_EMAIL));
}

/* sendmail: the command runs without a shell, the message on its stdin; a
 * failing command leaves the notification unclaimed for the next run. */
static void t_sla_sendmail(void **state)
{
    fx *f = *state;
    char buf[8192], path[700], cmd[800];
    fake_now = T0;
    file_case(f, "general", "DE", "anonymous", NULL, NULL);
    unsigned char root[CRY_SECRET_LEN];
    memset(root, 7, sizeof root);
    rmd_options ro;
    rmd_options_defaults(&ro);
    ro.now = clock_fn;
    ro.sendmail_command = "false";
    ro.mail_from = "hrdd@acme.example";
    rmd_service *bad;
    assert_int_equal(rmd_open(&bad, f->s, root, &ro), CORE_OK);
    rmd_sla_report r;
    fake_now = T0 + 8 * DAY;
    assert_int_equal(rmd_sla_check(bad, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.overdue, 1);
    assert_int_equal(r.failed, 1);
    assert_int_equal(r.notified, 0);
    rmd_close(bad);

    snprintf(path, sizeof path, "%s/sent.txt", f->dir);
    snprintf(cmd, sizeof cmd, "dd of=%s oflag=append conv=notrunc status=none", path);
    ro.sendmail_command = cmd;
    rmd_service *good;
    assert_int_equal(rmd_open(&good, f->s, root, &ro), CORE_OK);
    assert_int_equal(rmd_sla_check(good, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.notified, 1);             /* retried: not claimed by the failed run */
    assert_int_equal(rmd_sla_check(good, &f->a, fake_now, &r), CORE_OK);
    assert_int_equal(r.notified, 0);
    assert_int_equal(r.already, 1);
    rmd_close(good);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t len = fread(buf, 1, sizeof buf - 1, fp);
    buf[len] = '\0';
    fclose(fp);
    unlink(path);
    assert_true(contains(buf, "From: hrdd@acme.example\r\n"));
    assert_true(contains(buf, "To: " STAFF_EMAIL ", " STAFF2_EMAIL "\r\n"));
    assert_true(contains(buf, "Subject: [hrdd] G-"));
    assert_true(contains(buf, "is overdue"));
    assert_true(contains(buf, "/cases/"));
    assert_false(contains(buf, "NARRATIVE-MARK"));
}

typedef struct tdef {
    const char *name;
    CMUnitTestFunction fn;
} tdef;

static const tdef defs[] = {
    {"import_real", t_import_real},
    {"import_broken", t_import_broken},
    {"pathway", t_pathway},
    {"referral_package", t_referral_package},
    {"stats", t_stats},
    {"sla", t_sla},
    {"sla_sendmail", t_sla_sendmail},
    {"sla_recused", t_sla_recused},
};

static char pg_db[64], pg_url[512];

static const char *pg_private_url(const char *url)
{
    snprintf(pg_db, sizeof pg_db, "hrdd_eco_%ld_%ld", (long)getpid(), (long)time(NULL));
    char sql[128];
    snprintf(sql, sizeof sql, "CREATE DATABASE %s", pg_db);
    const char *scheme = strstr(url, "://");
    if (!scheme || pg_exec(url, sql) != 0) {
        pg_db[0] = '\0';
        return url;
    }
    const char *host = scheme + 3;
    const char *slash = strchr(host, '/');
    const char *query = strchr(host, '?');
    if (query && slash && query < slash)
        slash = NULL;
    size_t prefix = slash ? (size_t)(slash - url) : (query ? (size_t)(query - url) : strlen(url));
    snprintf(pg_url, sizeof pg_url, "%.*s/%s%s", (int)prefix, url, pg_db, query ? query : "");
    return pg_url;
}

static void t_pg_required(void **state)
{
    (void)state;
    fail_msg("HRDD_REQUIRE_PG=1 but HRDD_TEST_PG_URL is not set");
}

int main(void)
{
    enum { ND = sizeof defs / sizeof defs[0] };
    static struct CMUnitTest tests[2 * ND + 1];
    static char names[2 * ND][80];
    size_t n = 0;
    assert_int_equal(cry_init(), CORE_OK);
    const char *pg = getenv("HRDD_TEST_PG_URL");
    const char *req = getenv("HRDD_REQUIRE_PG");
    eng_pg.url = pg && *pg ? pg_private_url(pg) : NULL;
    for (int e = 0; e < 2; e++) {
        engine *en = e ? &eng_pg : &eng_sqlite;
        if (e && !en->url)
            break;
        for (size_t i = 0; i < ND; i++) {
            snprintf(names[n], sizeof names[n], "%s: %s", e ? "postgresql" : "sqlite", defs[i].name);
            tests[n] = (struct CMUnitTest){.name = names[n], .test_func = defs[i].fn, .setup_func = setup,
                                           .teardown_func = teardown, .initial_state = en};
            n++;
        }
    }
    if (!eng_pg.url && req && strcmp(req, "1") == 0)
        tests[n++] = (struct CMUnitTest){.name = "postgresql: required", .test_func = t_pg_required};
    int failed = _cmocka_run_group_tests("ecosystem", tests, n, NULL, NULL);
    if (pg_db[0]) {
        char sql[160];
        snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", pg_db);
        pg_exec(pg, sql);
    }
    return failed;
}
