/* asm_auto: the UNGP 31 elements hrdd can evidence from its own grievance
 * records (assess-app part of assess.h). The figures come from the grievance
 * service's statistics (rmd_stats: counts and durations, never case content)
 * and the organisation's published time-limit policy; each source maps its
 * figure to a choice of the element's scale by a fixed, documented threshold
 * (assess.h) and links the page where anyone can check it: the staff
 * statistics dashboard (/grievance-stats) for figures, the mechanism's
 * published rules (/mechanism) for what the public sees.
 *
 * asm_auto_compute is pure (tests feed it a statistics object); the facts of
 * each item are a JSON object of the measured figures, which the API returns
 * as is and the pages put into a sentence from the message catalogue.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "assess/assess.h"
#include "assess/asm_wf_internal.h"
#include "register/register.h"
#include "remedy/remedy.h"

#define URL_STATS "/grievance-stats"
#define URL_RULES "/mechanism"

static json_t *get(json_t *o, const char *path)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    char *save = NULL;
    for (char *t = strtok_r(buf, ".", &save); t && o; t = strtok_r(NULL, ".", &save))
        o = json_object_get(o, t);
    return o;
}

static json_int_t geti(json_t *o, const char *path)
{
    json_t *v = get(o, path);
    return json_is_integer(v) ? json_integer_value(v) : 0;
}

/* The languages of a {"counts": {lang: n}} breakdown, space-separated. */
static char *langs_seen(core_arena *a, json_t *stats, size_t *count)
{
    json_t *counts = get(stats, "by_language.counts");
    if (!counts)
        counts = get(stats, "by_language");
    core_buf b;
    core_buf_init(&b);
    const char *k;
    json_t *v;
    *count = 0;
    json_object_foreach(counts, k, v) {
        if (json_is_integer(v) && json_integer_value(v) <= 0)
            continue;
        if (b.len)
            core_buf_putc(&b, ' ');
        core_buf_puts(&b, k);
        (*count)++;
    }
    char *s = core_arena_strdup(a, core_buf_cstr(&b));
    core_buf_cleanup(&b);
    return s;
}

/* One source: the choice key, url and facts. 0 when the source is unknown. */
static int measure(core_arena *a, const char *src, json_t *stats, int ack_days, int feedback_days,
                   const char *const *ui_langs, int public_k, const char **value, const char **url,
                   json_t **facts)
{
    *facts = NULL;
    if (!strcmp(src, "grievance.ack_in_time")) {
        json_t *clk = get(stats, "within_limit.acknowledge");
        json_int_t met = geti(clk, "met"), decided = geti(clk, "decided");
        double share = decided ? (double)met / (double)decided : 0;
        *value = !decided ? "na" : share >= 0.9 ? "yes" : share >= 0.5 ? "partial" : "no";
        *url = URL_STATS;
        *facts = json_pack("{s:I, s:I, s:o, s:i}", "met", met, "decided", decided, "share",
                           decided ? json_real(share) : json_null(), "limit_days", ack_days);
        return 1;
    }
    if (!strcmp(src, "grievance.rules_published")) {
        *value = "yes";
        *url = URL_RULES;
        *facts = json_pack("{s:i, s:i}", "ack_days", ack_days, "feedback_days", feedback_days);
        return 1;
    }
    if (!strcmp(src, "grievance.appeal_available")) {
        *value = "yes";
        *url = URL_RULES;
        *facts = json_pack("{s:I, s:I, s:I}", "filed", geti(stats, "appeals.filed"), "reopened",
                           geti(stats, "appeals.reopened"), "upheld", geti(stats, "appeals.upheld"));
        return 1;
    }
    if (!strcmp(src, "grievance.languages")) {
        size_t nseen = 0, nui = 0;
        char *seen = langs_seen(a, stats, &nseen);
        core_buf b;
        core_buf_init(&b);
        for (size_t i = 0; ui_langs && ui_langs[i]; i++, nui++) {
            if (i)
                core_buf_putc(&b, ' ');
            core_buf_puts(&b, ui_langs[i]);
        }
        /* distinct languages over both lists */
        size_t distinct = nui;
        char *dup = seen ? core_arena_strdup(a, seen) : NULL;
        char *save = NULL;
        for (char *t = dup ? strtok_r(dup, " ", &save) : NULL; t; t = strtok_r(NULL, " ", &save)) {
            int in_ui = 0;
            for (size_t i = 0; ui_langs && ui_langs[i]; i++)
                in_ui |= strcmp(ui_langs[i], t) == 0;
            distinct += !in_ui;
        }
        *value = distinct >= 2 ? "yes" : "partial";
        *url = URL_RULES;
        *facts = json_pack("{s:s, s:s, s:I}", "interface", core_buf_cstr(&b), "received", seen ? seen : "",
                           "distinct", (json_int_t)distinct);
        core_buf_cleanup(&b);
        return 1;
    }
    if (!strcmp(src, "grievance.outcomes_published")) {
        json_int_t total = geti(stats, "total");
        json_int_t impl = geti(stats, "remedies.by_state.counts.implemented");
        *value = total > 0 ? "yes" : "partial";
        *url = URL_RULES;
        *facts = json_pack("{s:I, s:I, s:i}", "cases", total, "implemented", impl, "k", public_k);
        return 1;
    }
    if (!strcmp(src, "grievance.satisfaction")) {
        /* fewer ratings than the publication threshold: a mean (or even
         * the answer it implies) would reveal individual complainants'
         * ratings on a published scorecard, so it is left out (N/A) */
        json_int_t n = geti(stats, "satisfaction.count");
        json_t *mean = get(stats, "satisfaction.mean");
        double mv = json_is_number(mean) ? json_number_value(mean) : 0;
        int shown = n > 0 && n >= public_k;
        *value = !shown ? "na" : mv >= 4 ? "yes" : mv >= 3 ? "partial" : "no";
        *url = URL_STATS;
        *facts = json_pack("{s:I, s:o, s:i}", "ratings", n, "mean", shown ? json_real(mv) : json_null(), "k", public_k);
        return 1;
    }
    return 0;
}

/* The scale's key for a wanted value ("na" may be spelt "not_applicable"). */
static const char *choice_for(const asm_methodology *m, const asm_element *e, const char *want)
{
    const asm_scale *s = &m->scales[e->scale];
    if (asm_find_choice(s, want) >= 0)
        return want;
    if (!strcmp(want, "na")) {
        for (size_t i = 0; i < s->n_choices; i++)
            if (s->choices[i].na)
                return s->choices[i].key;
    }
    return NULL;
}

int asm_auto_compute(core_arena *a, const asm_methodology *m, json_t *stats, int ack_days,
                     int feedback_days, const char *const *ui_langs, int public_k, asm_auto *out)
{
    memset(out, 0, sizeof *out);
    out->facts = json_object();
    if (!out->facts)
        return CORE_NOMEM;
    size_t cnt = 0;
    for (size_t i = 0; i < m->n_elements; i++)
        cnt += m->elements[i].automatic != NULL;
    out->items = core_arena_alloc(a, (cnt + 1) * sizeof *out->items);
    if (!out->items)
        return CORE_NOMEM;
    for (size_t i = 0; i < m->n_elements; i++) {
        const asm_element *e = &m->elements[i];
        if (!e->automatic)
            continue;
        const char *value = NULL, *url = NULL;
        json_t *facts = NULL;
        if (!measure(a, e->automatic, stats, ack_days, feedback_days, ui_langs, public_k, &value, &url, &facts))
            continue;
        const char *key = choice_for(m, e, value);
        if (!key || !facts) {
            json_decref(facts);
            continue;
        }
        json_object_set_new(out->facts, e->id, facts);   /* owned by out->facts */
        asm_auto_item *it = &out->items[out->n++];
        it->element = e->id;
        it->source = e->automatic;
        it->value = key;
        it->url = url;
        it->facts = facts;
    }
    return CORE_OK;
}

/* ---- register sources ---- */

static const char *share_value(size_t met, size_t decided, const char *none)
{
    if (!decided)
        return none;
    double s = (double)met / (double)decided;
    return s >= 0.9 ? "yes" : s >= 0.5 ? "partial" : "no";
}

static int measure_register(const char *src, json_t *doc, const char *today, const char **value, json_t **facts)
{
    size_t i;
    json_t *v;
    if (!strcmp(src, "register.policy_approved") || !strcmp(src, "register.policy_communicated")) {
        json_t *approved = NULL;
        size_t drafts = 0;
        json_array_foreach(json_object_get(doc, "policies"), i, v) {
            const char *st = json_string_value(json_object_get(v, "status"));
            if (st && !strcmp(st, "approved"))
                approved = v;                    /* id order: the last one is the newest */
            else
                drafts++;
        }
        size_t comms = json_array_size(json_object_get(approved, "communications"));
        if (!strcmp(src, "register.policy_approved")) {
            *value = approved ? "yes" : drafts ? "partial" : "no";
            *facts = json_pack("{s:b, s:I, s:o}", "approved", approved != NULL, "drafts", (json_int_t)drafts, "version",
                               approved ? json_incref(json_object_get(approved, "version")) : json_null());
        } else {
            *value = comms >= 2 ? "yes" : comms == 1 ? "partial" : "no";
            *facts = json_pack("{s:I}", "communications", (json_int_t)comms);
        }
        return 1;
    }
    if (!strcmp(src, "register.impacts_prioritised")) {
        size_t n = 0, rated = 0;
        json_array_foreach(json_object_get(doc, "impacts"), i, v) {
            n++;
            const char *st = json_string_value(json_object_get(v, "status"));
            int actual = st && !strcmp(st, "actual");
            rated += json_integer_value(json_object_get(v, "scale")) > 0 && json_integer_value(json_object_get(v, "scope")) > 0 &&
                     (actual || json_integer_value(json_object_get(v, "likelihood")) > 0);
        }
        *value = !n ? "no" : rated == n ? "yes" : rated ? "partial" : "no";
        *facts = json_pack("{s:I, s:I}", "impacts", (json_int_t)n, "rated", (json_int_t)rated);
        return 1;
    }
    if (!strcmp(src, "register.engagement_recorded")) {
        size_t n = 0, on_impacts = 0;
        json_array_foreach(json_object_get(doc, "engagements"), i, v) {
            n++;
            on_impacts += json_array_size(json_object_get(v, "impacts")) > 0;
        }
        *value = on_impacts ? "yes" : n ? "partial" : "no";
        *facts = json_pack("{s:I, s:I, s:I}", "engagements", (json_int_t)n, "on_impacts", (json_int_t)on_impacts,
                           "stakeholders", (json_int_t)json_array_size(json_object_get(doc, "stakeholders")));
        return 1;
    }
    if (!strcmp(src, "register.assessments_on_time")) {
        size_t met = 0, decided = 0;
        json_array_foreach(json_object_get(doc, "assessments"), i, v) {
            const char *due = json_string_value(json_object_get(v, "due_day"));
            const char *done = json_string_value(json_object_get(v, "completed_day"));
            if (done) {
                decided++;
                met += !due || strcmp(done, due) <= 0;
            } else if (due && strcmp(due, today) < 0) {
                decided++;                          /* open and overdue */
            }
        }
        *value = share_value(met, decided, "na");
        *facts = json_pack("{s:I, s:I}", "met", (json_int_t)met, "decided", (json_int_t)decided);
        return 1;
    }
    if (!strcmp(src, "register.actions_on_track")) {
        size_t n = 0, ok = 0;
        json_array_foreach(json_object_get(doc, "actions"), i, v) {
            n++;
            const char *st = json_string_value(json_object_get(v, "status"));
            const char *due = json_string_value(json_object_get(v, "due_day"));
            ok += (st && !strcmp(st, "done")) || !due || strcmp(due, today) >= 0;
        }
        *value = share_value(ok, n, "no");
        *facts = json_pack("{s:I, s:I}", "on_track", (json_int_t)ok, "actions", (json_int_t)n);
        return 1;
    }
    if (!strcmp(src, "register.indicators_tracked")) {
        size_t n = 0, ok = 0;
        json_array_foreach(json_object_get(doc, "indicators"), i, v) {
            n++;
            ok += json_is_number(json_object_get(v, "target")) && json_array_size(json_object_get(v, "measurements")) > 0;
        }
        *value = share_value(ok, n, "no");
        *facts = json_pack("{s:I, s:I}", "tracked", (json_int_t)ok, "indicators", (json_int_t)n);
        return 1;
    }
    if (!strcmp(src, "register.grievance_links")) {
        size_t n = json_array_size(json_object_get(doc, "grievance_links"));
        *value = n ? "yes" : "no";
        *facts = json_pack("{s:I}", "links", (json_int_t)n);
        return 1;
    }
    return 0;
}

int asm_auto_compute_register(core_arena *a, const asm_methodology *m, json_t *regdoc, const char *today,
                              asm_auto *out)
{
    (void)a;
    if (!out->items || !out->facts)
        return CORE_INVALID;
    for (size_t i = 0; i < m->n_elements; i++) {
        const asm_element *e = &m->elements[i];
        if (!e->automatic || strncmp(e->automatic, "register.", 9) != 0)
            continue;
        const char *value = NULL;
        json_t *facts = NULL;
        if (!measure_register(e->automatic, regdoc, today, &value, &facts))
            continue;
        const char *key = choice_for(m, e, value);
        if (!key) {                     /* the register scale of ungprf-self: maturity words */
            static const struct { const char *from, *to; } map[] = {
                {"yes", "established"}, {"partial", "developing"}, {"no", "absent"}};
            for (size_t k = 0; !key && k < 3; k++)
                if (!strcmp(value, map[k].from))
                    key = choice_for(m, e, map[k].to);
        }
        if (!key || !facts) {
            json_decref(facts);
            continue;
        }
        json_object_set_new(out->facts, e->id, facts);
        asm_auto_item *it = &out->items[out->n++];
        it->element = e->id;
        it->source = e->automatic;
        it->value = key;
        it->url = "/register";
        it->facts = facts;
    }
    return CORE_OK;
}

void asm_auto_cleanup(asm_auto *au)
{
    if (!au)
        return;
    json_decref(au->facts);
    memset(au, 0, sizeof *au);
}

int asm_auto_evidence(struct rmd_service *rmd, struct reg_service *reg, core_arena *a, const asm_actor *ac,
                      const asm_methodology *m, const char *const *ui_langs, asm_auto *out)
{
    memset(out, 0, sizeof *out);
    if (!rmd)
        return CORE_BUSY;
    static const char *const english[] = {"en", NULL};   /* the catalogue every build has */
    if (!ui_langs)
        ui_langs = english;
    rmd_actor ra = {.user_id = ac->user_id, .org_id = ac->org_id, .role = ac->role, .label = ac->label};
    /* the statistics need STATS_READ; every role that may answer an
     * assessment reads them as the system would (no case content) */
    if (!core_authz_allows(ra.role, CORE_PERM_STATS_READ))
        ra.role = CORE_ROLE_ADMIN;
    json_t *stats = NULL;
    int rc = rmd_stats(rmd, a, &ra, 0, 0, &stats);
    grv_policy pol;
    grv_policy_defaults(&pol);
    if (rc == CORE_OK)
        rc = rmd_policy_public(rmd, ac->org_id, &pol);
    if (rc == CORE_OK)
        rc = asm_auto_compute(a, m, stats, pol.ack_days, pol.feedback_days, ui_langs, 5, out);
    json_decref(stats);
    int wants_register = 0;
    for (size_t i = 0; i < m->n_elements; i++)
        wants_register |= m->elements[i].automatic && !strncmp(m->elements[i].automatic, "register.", 9);
    if (rc == CORE_OK && reg && wants_register) {
        /* counts only, read as the system would (the export needs DD_READ) */
        reg_principal pr = {.user_id = ac->user_id, .org_id = ac->org_id, .role = CORE_ROLE_ADMIN, .label = ac->label};
        json_t *doc = NULL;
        char today[16];
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(today, sizeof today, "%Y-%m-%d", &tm);
        if (reg_export_json(reg, a, &pr, &doc) == CORE_OK)
            rc = asm_auto_compute_register(a, m, doc, today, out);
        json_decref(doc);
    }
    return rc;
}

int asm_wf_auto_fill(store *st, struct rmd_service *rmd, struct reg_service *reg, core_arena *a, const asm_actor *ac,
                     int64_t assessment_id, const char *const *ui_langs, size_t *filled)
{
    if (filled)
        *filled = 0;
    if (!asm_wf_allowed(ac, CORE_PERM_ASSESS_EDIT))
        return CORE_DENIED;
    store_as_assessment s;
    int rc = asm_wf_assessment_get(st, a, ac, assessment_id, &s);
    const asm_methodology *m = NULL;
    if (rc == CORE_OK)
        rc = asm_wf_methodology(st, a, ac, s.methodology_id, NULL, &m);
    if (rc != CORE_OK)
        return rc;
    if (strcmp(s.status, "answered") != 0)
        return CORE_CONFLICT;
    asm_auto au;
    rc = asm_auto_evidence(rmd, reg, a, ac, m, ui_langs, &au);
    if (rc != CORE_OK) {
        asm_auto_cleanup(&au);
        return rc;
    }
    asm_wf_answer *in = core_arena_alloc(a, (au.n + 1) * sizeof *in);
    if (!in) {
        asm_auto_cleanup(&au);
        return CORE_NOMEM;
    }
    for (size_t i = 0; i < au.n; i++) {
        in[i].element = au.items[i].element;
        in[i].level = ASM_LEVEL_GROUP;
        in[i].value = au.items[i].value;
        in[i].evidence_url = au.items[i].url;
        char *dump = json_dumps(au.items[i].facts, JSON_COMPACT | JSON_SORT_KEYS);
        in[i].evidence_quote = dump ? core_arena_strdup(a, dump) : NULL;
        free(dump);
        in[i].note = core_arena_printf(a, "automatic: %s", au.items[i].source);
    }
    size_t n = au.n;
    asm_auto_cleanup(&au);
    store_conn *c;
    if ((rc = asm_wf_conn(st, &c)) != CORE_OK)
        return rc;
    rc = store_begin(c);
    store_as_assessment cur;
    if (rc == CORE_OK)
        rc = store_as_assessment_get(c, a, ac->org_id, assessment_id, &cur);
    if (rc == CORE_OK && strcmp(cur.status, "answered") != 0)
        rc = CORE_CONFLICT;
    if (rc == CORE_OK)
        rc = asm_wf_answers_store(c, a, ac, &cur, m, in, n, 0, NULL);
    if (rc == CORE_OK)
        rc = asm_wf_audit(c, a, ac, "assessment", assessment_id, "auto_answer");
    rc = asm_wf_finish(st, c, rc);
    if (rc == CORE_OK && filled)
        *filled = n;
    return rc;
}
