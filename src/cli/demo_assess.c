/* demo_assess: the assessment part of `hrdd demo`'s seed (issue 6).
 * - The Ranking Digital Rights 2020 index when its published data is next to
 *   the repository (HRDD_RDR_DIR, else ../shared/data/rdr-2020 from the
 *   working directory, i.e. the source root under `make demo`); skipped
 *   quietly otherwise. Kestrel's investor view holds four of its companies.
 * - A UNGP 31 self-assessment of Kestrel Social's own grievance mechanism for
 *   2025 and 2026: the 2026 one answers the elements hrdd evidences from the
 *   demo grievances automatically (through the same service the pages use),
 *   the rest by hand with notes that explain what changed; both reviewed by
 *   the HR lead and finalised by the admin (two different people), so the
 *   published scorecard is on /scorecards.
 * - A UNGP alignment check of a regulatory proposal, a supplier due
 *   diligence questionnaire and Kestrel's self-assessment after the UNGP
 *   Reporting Framework (answered, not yet reviewed).
 * Every step goes through the workflow service (asm_wf_*), as staff would.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "assess/assess.h"
#include "cli/demo.h"
#include "register/register.h"
#include "remedy/remedy.h"

static asm_actor as_actor(const demo_staff *staff, int64_t user, core_role role, core_arena *a)
{
    asm_actor ac = {.user_id = user, .org_id = staff->org_id, .role = role,
                    .label = core_arena_printf(a, "user:%lld", (long long)user)};
    return ac;
}

static int64_t entity(store *s, core_arena *a, const asm_actor *ac, const char *kind, const char *slug,
                      const char *name, const char *attrs)
{
    store_as_entity e = {.kind = kind, .slug = slug, .name = name, .attributes = attrs};
    asm_wf_error err;
    int rc = asm_wf_entity_create(s, a, ac, &e, &err);
    if (rc == CORE_CONFLICT) {                            /* made by an earlier step */
        store_conn *c = NULL;
        if (store_acquire(s, &c) == CORE_OK) {
            rc = store_as_entity_get_by_slug(c, a, ac->org_id, slug, &e);
            store_release(s, c);
        }
    }
    return rc == CORE_OK ? e.id : 0;
}

/* The answer of element i of m by a fixed pattern (a demo, not a judgement). */
static const char *pattern_value(const asm_methodology *m, size_t i, unsigned salt)
{
    const asm_scale *sc = &m->scales[m->elements[i].scale];
    static const char *const order[] = {"yes", "partial", "yes", "no", "partial", "yes", "no_evidence"};
    const char *v = order[(i * 3 + salt) % (sizeof order / sizeof order[0])];
    if (asm_find_choice(sc, v) >= 0)
        return v;
    /* another scale: its scored choices in turn */
    size_t scored = 0;
    for (size_t k = 0; k < sc->n_choices; k++)
        scored += !sc->choices[k].na;
    for (size_t k = 0, want = scored ? (i * 3 + salt) % scored : 0; k < sc->n_choices; k++)
        if (!sc->choices[k].na && want-- == 0)
            return sc->choices[k].key;
    return NULL;
}

/* Answers every element that is not automatic, then reviews and finalises. */
static int answer_all(store *s, core_arena *a, const demo_staff *staff, int64_t assessment, const asm_methodology *m,
                      unsigned salt, const char *const *notes, int finalise)
{
    asm_actor lead = as_actor(staff, staff->lead_id, CORE_ROLE_HR_LEAD, a);
    asm_actor admin = as_actor(staff, staff->admin_id, CORE_ROLE_ADMIN, a);
    asm_wf_answer *in = core_arena_alloc(a, (m->n_elements + 1) * sizeof *in);
    if (!in)
        return CORE_NOMEM;
    size_t n = 0;
    for (size_t i = 0; i < m->n_elements; i++) {
        if (m->elements[i].automatic)
            continue;
        in[n].element = m->elements[i].id;
        in[n].value = pattern_value(m, i, salt);
        in[n].note = notes && notes[n % 4] ? notes[n % 4] : NULL;
        if (in[n].value)
            n++;
    }
    asm_wf_error err;
    int rc = asm_wf_answers_put(s, a, &lead, assessment, in, n, &err);
    if (rc == CORE_OK && finalise)
        rc = asm_wf_transition(s, a, &lead, assessment, "reviewed", &err);
    if (rc == CORE_OK && finalise)
        rc = asm_wf_transition(s, a, &admin, assessment, "final", &err);
    return rc;
}

static int64_t start(store *s, core_arena *a, const asm_actor *ac, int64_t ent, const char *meth, const char *period)
{
    asm_wf_new in = {.entity_id = ent, .methodology = meth, .period = period};
    asm_wf_error err;
    int64_t id = 0;
    return asm_wf_assessment_create(s, a, ac, &in, &id, &err) == CORE_OK ? id : 0;
}

static int load(core_arena *a, const char *slug, asm_methodology **m)
{
    asm_error err;
    return asm_shipped_find(slug) ? asm_shipped_load(a, slug, m, &err) : CORE_NOTFOUND;
}

static int seed_rdr(cli_run *r, store *s, core_arena *a, const demo_staff *staff)
{
    const char *dir = getenv("HRDD_RDR_DIR");
    if (!dir || !*dir)
        dir = "../shared/data/rdr-2020";
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        fprintf(stderr, "hrdd demo: no Ranking Digital Rights data at %s: the 2020 index is not imported\n", dir);
        return CORE_OK;
    }
    store_conn *c = NULL;
    asm_rdr_stats st;
    memset(&st, 0, sizeof st);
    char msg[512] = "";
    int rc = store_acquire(s, &c);                     /* the import is its own transaction */
    if (rc == CORE_OK)
        rc = asm_rdr_import(c, a, staff->org_id, dir, &st, msg, sizeof msg);
    if (c)
        store_release(s, c);
    if (rc != CORE_OK) {
        cli_err(r, "cannot import the Ranking Digital Rights data from %s: %s", dir, msg[0] ? msg : core_strerror(rc));
        return rc;
    }
    fprintf(stderr, "hrdd demo: imported %s: %zu companies, %zu answers\n", st.methodology, st.companies, st.answers);
    /* the investor view: four holdings with risks and engagement notes */
    static const struct {
        const char *slug, *risks[3], *notes;
    } held[] = {
        {"Twitter", {"Arbitrary content removal", "Government demands for user data", NULL},
         "Asked for the appeal statistics of content moderation; answer due in Q3."},
        {"Facebook", {"Targeted advertising and profiling", "Algorithmic amplification of harmful content", NULL},
         "Co-filed a shareholder resolution on a human rights impact assessment of ad targeting."},
        {"Alibaba", {"Surveillance and data sharing with authorities", "Lack of remedy", NULL},
         "No reply to two letters; escalation to the collaborative engagement group."},
        {"Telefonica", {"Network shutdowns", "Government demands for user data", NULL},
         "Good disclosure on shutdown requests; follow-up on remedy for users."},
    };
    asm_actor ac = as_actor(staff, staff->lead_id, CORE_ROLE_HR_LEAD, a);
    /* Kestrel itself: its salient risks come from its own register */
    int64_t self = entity(s, a, &ac, "company", "kestrel-social", "Kestrel Social", "{\"self\": true}");
    if (self) {
        asm_wf_error err;
        asm_wf_holding_put(s, a, &ac, self, NULL, 0, "Own company: salient issues and their management from the register.",
                           &err);
    }
    for (size_t i = 0; i < sizeof held / sizeof held[0]; i++) {
        store_conn *cc = NULL;
        store_as_entity e;
        int found = store_acquire(s, &cc) == CORE_OK &&
                    store_as_entity_get_by_slug(cc, a, staff->org_id, held[i].slug, &e) == CORE_OK;
        if (cc)
            store_release(s, cc);
        if (!found)
            continue;
        size_t nr = 0;
        while (nr < 3 && held[i].risks[nr])
            nr++;
        asm_wf_error err;
        asm_wf_holding_put(s, a, &ac, e.id, held[i].risks, nr, held[i].notes, &err);
    }
    return CORE_OK;
}

static int seed_ungp31(cli_run *r, store *s, core_arena *a, const unsigned char secret[CRY_SECRET_LEN],
                       const demo_staff *staff)
{
    asm_methodology *m = NULL;
    if (load(a, "ungp31", &m) != CORE_OK)
        return CORE_OK;
    asm_actor lead = as_actor(staff, staff->lead_id, CORE_ROLE_HR_LEAD, a);
    asm_actor admin = as_actor(staff, staff->admin_id, CORE_ROLE_ADMIN, a);
    int64_t ent = entity(s, a, &lead, "mechanism", "kestrel-mechanism", "Kestrel Social grievance mechanism",
                         "{\"self\": true}");
    int64_t prev = ent ? start(s, a, &lead, ent, "ungp31", "2025") : 0;
    int64_t cur = ent ? start(s, a, &lead, ent, "ungp31", "2026") : 0;
    if (!prev || !cur) {
        cli_err(r, "cannot create the demo UNGP 31 assessments");
        return CORE_ERR;
    }
    static const char *const before[] = {"Self-assessment before the new mechanism went live.", NULL, NULL, NULL};
    int rc = answer_all(s, a, staff, prev, m, 4, before, 1);
    /* 2026: the automatic elements from the demo grievances, the others by hand */
    rmd_service *rmd = NULL;
    if (rc == CORE_OK)
        rc = rmd_open(&rmd, s, secret, NULL);
    static const char *const ui[] = {"en", NULL};
    size_t filled = 0;
    if (rc == CORE_OK)
        rc = asm_wf_auto_fill(s, rmd, NULL, a, &lead, cur, ui, &filled);
    if (rmd)
        rmd_close(rmd);
    static const char *const why[] = {
        "The mechanism moved to hrdd in 2026: anonymous filing and a receipt for every grievance.",
        "Appeals are now reviewed by a handler who did not take the first decision.",
        "Quarterly statistics are published on the mechanism's page.",
        NULL,
    };
    if (rc == CORE_OK)
        rc = answer_all(s, a, staff, cur, m, 2, why, 1);
    if (rc != CORE_OK) {
        cli_err(r, "cannot answer the demo UNGP 31 assessment: %s", core_strerror(rc));
        return rc;
    }
    (void)admin;
    fprintf(stderr, "hrdd demo: UNGP 31 self-assessment of Kestrel's mechanism (%zu elements from the grievance data)\n",
            filled);
    return CORE_OK;
}

static int seed_other(cli_run *r, store *s, core_arena *a, const unsigned char secret[CRY_SECRET_LEN],
                      const demo_staff *staff, const char *meth, const char *kind, const char *slug, const char *name,
                      const char *attrs, unsigned salt)
{
    asm_methodology *m = NULL;
    if (load(a, meth, &m) != CORE_OK)
        return CORE_OK;                                   /* not shipped in this build */
    asm_actor lead = as_actor(staff, staff->lead_id, CORE_ROLE_HR_LEAD, a);
    int64_t ent = entity(s, a, &lead, kind, slug, name, attrs);
    int64_t id = ent ? start(s, a, &lead, ent, meth, "2026") : 0;
    if (!id) {
        cli_err(r, "cannot create the demo %s assessment", meth);
        return CORE_ERR;
    }
    static const char *const notes[] = {"From the published text of the proposal and its explanatory memorandum.", NULL,
                                        NULL, NULL};
    int rc = CORE_OK;
    int has_auto = 0;
    for (size_t i = 0; i < m->n_elements; i++)
        has_auto |= m->elements[i].automatic != NULL;
    if (has_auto) {                     /* the self-assessment draws on the register */
        rmd_service *rmd = NULL;
        reg_service *reg = NULL;
        rc = rmd_open(&rmd, s, secret, NULL);
        if (rc == CORE_OK)
            rc = reg_open(&reg, s, NULL);
        static const char *const ui[] = {"en", NULL};
        if (rc == CORE_OK)
            rc = asm_wf_auto_fill(s, rmd, reg, a, &lead, id, ui, NULL);
        if (reg)
            reg_close(reg);
        if (rmd)
            rmd_close(rmd);
    }
    return rc == CORE_OK ? answer_all(s, a, staff, id, m, salt, notes, 0) : rc;
}

int demo_seed_assess(cli_run *r, store *s, const unsigned char secret[CRY_SECRET_LEN], const demo_staff *staff)
{
    core_arena a;
    core_arena_init(&a);
    int rc = seed_rdr(r, s, &a, staff);
    if (rc == CORE_OK)
        rc = seed_ungp31(r, s, &a, secret, staff);
    if (rc == CORE_OK)
        rc = seed_other(r, s, &a, secret, staff, "ungp-proposal", "proposal", "eu-platform-act",
                        "Draft Online Platforms Accountability Act", "{}", 1);
    if (rc == CORE_OK)
        rc = seed_other(r, s, &a, secret, staff, "supplier-dd", "supplier", "cloudnine-analytics",
                        "CloudNine Analytics (tender 2026-14)", "{}", 2);
    if (rc == CORE_OK)
        rc = seed_other(r, s, &a, secret, staff, "ungprf-self", "company", "kestrel-social", "Kestrel Social",
                        "{\"self\": true}", 5);
    core_arena_cleanup(&a);
    return rc;
}
