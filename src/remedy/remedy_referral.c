/* remedy_referral: referral of a case to an external mechanism, escalation
 * and parallel proceedings, and the package handed to the outside body.
 *
 * A referral (kind "referral") needs the complainant's recorded consent and
 * moves the case to "referred" in the same transaction as the referral row:
 * grv_transition(GRV_ACT_REFER), the clocks that stop on REFER stopped, a
 * transition event (public; its plain-language key tells the complainant)
 * and the audit entries. Escalations and parallel proceedings are recorded
 * without a state change. Consent text and outcome are encrypted under the
 * case key.
 *
 * The package is built from rmd_case_get (the decrypted case) but keeps only
 * what the complainant told and was told: public events (messages both
 * ways, public steps), never an internal note, and never a staff name,
 * e-mail or user id (events carry "from": complainant / organisation /
 * system). Contact data goes only with consent_contact. The export is
 * audited (action "referral_package").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "remedy/remedy_eco.h"
#include "remedy/rmd_internal.h"

static int kind_valid(const char *k)
{
    return k && (!strcmp(k, "referral") || !strcmp(k, "escalation") || !strcmp(k, "parallel"));
}

static int state_valid(const char *s)
{
    static const char *const states[] = {"proposed", "sent", "acknowledged", "decided", "closed"};
    for (size_t i = 0; s && i < sizeof states / sizeof states[0]; i++)
        if (!strcmp(s, states[i]))
            return 1;
    return 0;
}

static int text_ok(const char *s)
{
    if (!s)
        return 1;
    size_t n = strlen(s);
    return n <= RMD_MAX_TEXT && core_utf8_valid(s, n);
}

static int may_handle(const rmd_actor *a)
{
    return a && a->org_id > 0 && core_authz_allows(a->role, CORE_PERM_CASES_HANDLE);
}

/* A handler who recused themselves from the case reads and changes none of
 * it, its referrals included (as rmd_tx_staff does for the case itself). */
static int not_recused(store_conn *c, const rmd_actor *a, int64_t case_id)
{
    int barred = 0;
    if (a->user_id <= 0)
        return CORE_OK;
    int rc = store_grievance_recused(c, a->org_id, case_id, a->user_id, &barred);
    return rc == CORE_OK && barred ? CORE_DENIED : rc;
}

static void id_text(int64_t id, char buf[24])
{
    snprintf(buf, 24, "%lld", (long long)id);
}

int rmd_referral_create(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                        int64_t mechanism_id, const char *kind, const rmd_consent *consent,
                        int64_t *referral_id)
{
    if (!may_handle(actor))
        return CORE_DENIED;
    if (!kind_valid(kind))
        return CORE_INVALID;
    int given = consent && consent->given;
    if (!strcmp(kind, "referral") && !given)
        return CORE_INVALID;         /* no referral without the complainant's consent */
    if (consent && !text_ok(consent->text))
        return CORE_INVALID;
    rmd_tx tx;
    int rc = rmd_tx_staff(svc, a, actor, CORE_PERM_CASES_HANDLE, case_id, 1, &tx);
    if (rc != CORE_OK)
        return rc;
    int64_t now = tx.now;
    store_mechanism m;
    rc = store_mechanism_get(tx.c, a, actor->org_id, mechanism_id, &m);
    store_referral r = {.org_id = actor->org_id, .case_id = case_id, .mechanism_id = mechanism_id,
                        .kind = kind, .consent_given = given,
                        .consent_contact = given && consent->share_contact,
                        .consent_at = given ? now : 0, .state = "proposed", .created_at = now};
    char *enc = NULL;
    if (rc == CORE_OK && consent && consent->text && *consent->text)
        rc = rmd_seal_text(tx.key, tx.g.reference, "referral_consent", consent->text, a, &enc);
    r.enc_consent_text = enc;
    if (rc == CORE_OK)
        rc = store_referral_create(tx.c, &r);
    if (rc == CORE_OK) {
        char id[24];
        id_text(case_id, id);
        json_t *after = json_pack("{s:I, s:I, s:s, s:b, s:b}", "referral_id", (json_int_t)r.id,
                                  "mechanism_id", (json_int_t)mechanism_id, "kind", kind, "consent",
                                  r.consent_given, "consent_contact", r.consent_contact);
        rc = after ? eco_audit(tx.c, a, actor->org_id, tx.audit_actor, now, "grievance", id,
                               "referral_create", NULL, eco_digest_json(after, a))
                   : CORE_NOMEM;
        json_decref(after);
    }
    int dirty = 0;
    if (rc == CORE_OK && !strcmp(kind, "referral")) {
        /* the case moves to "referred" in this same transaction */
        char *reason = core_arena_printf(a, "Referred to %s", m.name);
        rc = reason ? rmd_tx_apply(&tx, GRV_ACT_REFER, GRV_BY_STAFF, reason, reason) : CORE_NOMEM;
        dirty = 1;
    }
    rc = rmd_tx_end(&tx, rc, dirty);
    if (rc == CORE_OK && referral_id)
        *referral_id = r.id;
    return rc;
}

int rmd_referral_update(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                        int64_t referral_id, const char *state, const char *outcome)
{
    if (!may_handle(actor))
        return CORE_DENIED;
    if (!state_valid(state) || !text_ok(outcome))
        return CORE_INVALID;
    int64_t now = rmd_now(svc);
    store_conn *c;
    int rc = eco_begin(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_referral r;
    store_grievance g;
    rc = store_referral_get(c, a, actor->org_id, referral_id, &r);
    if (rc == CORE_OK)
        rc = store_grievance_get(c, a, actor->org_id, r.case_id, &g);
    if (rc == CORE_OK)
        rc = not_recused(c, actor, r.case_id);
    char field[48];
    snprintf(field, sizeof field, "referral_outcome:%lld", (long long)referral_id);
    if (rc == CORE_OK && outcome) {
        char *enc = NULL;
        rc = *outcome ? eco_seal(svc, c, a, &g, field, outcome, &enc) : CORE_OK;
        r.enc_outcome = enc;
    }
    const char *old_state = r.state;
    r.state = state;
    if (rc == CORE_OK)
        rc = store_referral_update(c, &r);
    if (rc == CORE_OK) {
        char id[24];
        id_text(r.case_id, id);
        json_t *before = json_pack("{s:I, s:s}", "referral_id", (json_int_t)r.id, "state", old_state);
        json_t *after = json_pack("{s:I, s:s, s:b}", "referral_id", (json_int_t)r.id, "state", state,
                                  "outcome", r.enc_outcome != NULL);
        rc = (before && after) ? eco_audit(c, a, actor->org_id, actor->label, now, "grievance", id,
                                           "referral_update", eco_digest_json(before, a),
                                           eco_digest_json(after, a))
                               : CORE_NOMEM;
        json_decref(before);
        json_decref(after);
    }
    return eco_finish(svc, c, rc);
}

static int load_one(rmd_service *svc, store_conn *c, core_arena *a, int64_t org_id,
                    const store_referral *r, const store_grievance *g, rmd_referral *out)
{
    memset(out, 0, sizeof *out);
    out->id = r->id;
    out->case_id = r->case_id;
    out->kind = r->kind;
    out->consent_given = r->consent_given;
    out->consent_contact = r->consent_contact;
    out->consent_at = r->consent_at;
    out->state = r->state;
    out->created_at = r->created_at;
    out->updated_at = r->updated_at;
    int rc = store_mechanism_get(c, a, org_id, r->mechanism_id, &out->mechanism);
    char *txt = NULL;
    if (rc == CORE_OK && r->enc_consent_text) {
        rc = eco_open(svc, c, a, g, "referral_consent", r->enc_consent_text, &txt);
        out->consent_text = txt;
    }
    if (rc == CORE_OK && r->enc_outcome) {
        char field[48];
        snprintf(field, sizeof field, "referral_outcome:%lld", (long long)r->id);
        txt = NULL;
        rc = eco_open(svc, c, a, g, field, r->enc_outcome, &txt);
        out->outcome = txt;
    }
    return rc;
}

int rmd_referral_list(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t case_id,
                      rmd_referral **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!actor || !core_authz_allows(actor->role, CORE_PERM_CASES_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_grievance g;
    store_referral *rs = NULL;
    size_t nr = 0;
    rc = store_grievance_get(c, a, actor->org_id, case_id, &g);
    if (rc == CORE_OK)
        rc = not_recused(c, actor, case_id);
    if (rc == CORE_OK)
        rc = store_referral_list(c, a, actor->org_id, case_id, &rs, &nr);
    rmd_referral *arr = NULL;
    if (rc == CORE_OK && nr && !(arr = core_arena_alloc(a, nr * sizeof *arr)))
        rc = CORE_NOMEM;
    for (size_t i = 0; rc == CORE_OK && i < nr; i++)
        rc = load_one(svc, c, a, actor->org_id, &rs[i], &g, &arr[i]);
    eco_release(svc, c);
    if (rc == CORE_OK) {
        *out = arr;
        *n = nr;
    }
    return rc;
}

int rmd_referral_get(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t referral_id,
                     rmd_referral *out)
{
    if (!actor || !core_authz_allows(actor->role, CORE_PERM_CASES_READ))
        return CORE_DENIED;
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_referral r;
    store_grievance g;
    rc = store_referral_get(c, a, actor->org_id, referral_id, &r);
    if (rc == CORE_OK)
        rc = store_grievance_get(c, a, actor->org_id, r.case_id, &g);
    if (rc == CORE_OK)
        rc = not_recused(c, actor, r.case_id);
    if (rc == CORE_OK)
        rc = load_one(svc, c, a, actor->org_id, &r, &g, out);
    eco_release(svc, c);
    return rc;
}

/* ---- the package ---- */

static void iso_time(int64_t t, char out[21])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static json_t *jtime(int64_t t)
{
    char buf[21];
    if (!t)
        return json_null();
    iso_time(t, buf);
    return json_string(buf);
}

static const char *from_label(grv_actor_kind k)
{
    return k == GRV_BY_COMPLAINANT ? "complainant" : k == GRV_BY_STAFF ? "organisation" : "system";
}

static void sum_line(core_buf *b, const char *label, const char *value)
{
    if (value && *value)
        core_buf_printf(b, "%s: %s\n", label, value);
}

static void sum_block(core_buf *b, const char *title, const char *text)
{
    if (text && *text)
        core_buf_printf(b, "\n%s\n%s\n", title, text);
}

int rmd_referral_package(rmd_service *svc, core_arena *a, const rmd_actor *actor,
                         int64_t referral_id, json_t **package, char **summary_text)
{
    *package = NULL;
    *summary_text = NULL;
    if (!may_handle(actor))
        return CORE_DENIED;
    rmd_referral r;
    int rc = rmd_referral_get(svc, a, actor, referral_id, &r);
    rmd_case k;
    if (rc == CORE_OK)
        rc = rmd_case_get(svc, a, actor, r.case_id, &k);
    if (rc != CORE_OK)
        return rc;
    const store_mechanism *m = &r.mechanism;
    const char *cat = grv_category_name(k.s.category);
    json_t *thread = json_array();
    for (size_t i = 0; thread && i < k.nevents; i++) {
        const rmd_event *e = &k.events[i];
        if (e->visibility != RMD_VIS_PUBLIC)
            continue;                /* internal notes, assignment, triage, recusal stay inside */
        json_t *je = json_pack("{s:o, s:s, s:s}", "at", jtime(e->at), "kind", e->kind, "from",
                               from_label(e->actor_kind));
        if (!je)
            continue;
        if (e->action)
            json_object_set_new(je, "action", json_string(e->action));
        if (e->to_state >= 0)
            json_object_set_new(je, "state", json_string(grv_state_name((grv_state)e->to_state)));
        if (e->body)
            json_object_set_new(je, "text", json_string(e->body));
        json_array_append_new(thread, je);
    }
    json_t *remedies = json_array();
    for (size_t i = 0; remedies && i < k.nremedies; i++) {
        const rmd_remedy *x = &k.remedies[i];
        json_array_append_new(
            remedies, json_pack("{s:s, s:s, s:s?, s:s?, s:s?, s:o, s:o, s:o}", "type", x->type, "state",
                                rmd_remedy_state_name(x->state), "description", x->description,
                                "complainant_comment", x->complainant_comment, "evidence", x->evidence,
                                "proposed_at", jtime(x->proposed_at), "decided_at", jtime(x->decided_at),
                                "implemented_at", jtime(x->implemented_at)));
    }
    json_t *contact = NULL;
    if (r.consent_contact && strcmp(k.s.contact_preference, "anonymous"))
        contact = json_pack("{s:s?, s:s?, s:s?}", "name", k.contact_name, "email", k.contact_email,
                            "phone", k.contact_phone);
    json_t *pkg = json_pack(
        "{s:s, s:{s:s, s:s, s:s?, s:s?, s:o, s:o, s:o, s:s, s:s, s:s?, s:s?, s:I, s:s, s:s?, s:s?,"
        " s:s?, s:s?, s:s?}, s:o, s:o, s:{s:b, s:b, s:o, s:s?}, s:{s:s, s:s, s:s, s:s, s:o, s:s?,"
        " s:s?, s:s?, s:s?, s:s?}, s:{s:s, s:s, s:o, s:o}}",
        "format", "hrdd-referral-package/1",
        "case", "reference", k.s.reference, "category", cat, "country", k.s.country, "language",
        k.language, "filed_at", jtime(k.s.created_at), "acknowledged_at", jtime(k.acknowledged_at),
        "closed_at", jtime(k.closed_at), "state", grv_state_name(k.s.state), "channel", k.s.channel,
        "incident_date", k.incident_date, "decision_date", k.decision_date, "affected_count",
        (json_int_t)k.affected_count, "narrative", k.narrative ? k.narrative : "", "rights_text",
        k.rights_text, "outcome_sought", k.outcome_sought, "product", k.product_name ? k.product_name
        : k.product_text, "affected", k.affected, "vulnerable_group", k.vulnerable_group,
        "thread", thread, "remedies", remedies,
        "consent", "given", r.consent_given, "share_contact", r.consent_contact, "recorded_at",
        jtime(r.consent_at), "text", r.consent_text,
        "mechanism", "slug", m->slug, "name", m->name, "kind", m->kind, "subkind", m->subkind,
        "jurisdictions", json_string(m->jurisdictions), "email", m->email, "website", m->website,
        "intake_url", m->intake_url, "address", m->address, "phone", m->phone,
        "referral", "kind", r.kind, "state", r.state, "created_at", jtime(r.created_at),
        "outcome", r.outcome ? json_string(r.outcome) : json_null());
    if (!pkg) {
        json_decref(contact);
        return CORE_NOMEM;
    }
    if (contact)
        json_object_set_new(json_object_get(pkg, "case"), "contact", contact);

    core_buf b;
    core_buf_init(&b);
    char t[21];
    core_buf_printf(&b, "REFERRAL OF GRIEVANCE %s\n", k.s.reference);
    core_buf_printf(&b, "To: %s\n", m->name);
    sum_line(&b, "Kind", r.kind);
    sum_line(&b, "Category", cat);
    sum_line(&b, "Country", k.s.country);
    sum_line(&b, "Language", k.language);
    iso_time(k.s.created_at, t);
    sum_line(&b, "Filed", t);
    sum_line(&b, "Current state", grv_state_name(k.s.state));
    if (r.consent_given) {
        iso_time(r.consent_at, t);
        core_buf_printf(&b, "Consent: given on %s%s\n", t,
                        r.consent_contact ? ", including sharing contact data" : ", contact data not shared");
    } else {
        core_buf_puts(&b, "Consent: not recorded (escalation / parallel proceedings)\n");
    }
    sum_block(&b, "Consent record", r.consent_text);
    sum_block(&b, "What happened", k.narrative);
    sum_block(&b, "Rights at stake", k.rights_text);
    sum_block(&b, "Outcome sought", k.outcome_sought);
    if (contact) {
        core_buf_puts(&b, "\nContact (shared with consent)\n");
        sum_line(&b, "Name", k.contact_name);
        sum_line(&b, "E-mail", k.contact_email);
        sum_line(&b, "Phone", k.contact_phone);
    }
    if (json_array_size(thread)) {
        core_buf_puts(&b, "\nExchanges with the complainant\n");
        size_t i;
        json_t *e;
        json_array_foreach(thread, i, e) {
            const char *txt = json_string_value(json_object_get(e, "text"));
            const char *st = json_string_value(json_object_get(e, "state"));
            core_buf_printf(&b, "- %s, %s: %s%s%s\n", json_string_value(json_object_get(e, "at")),
                            json_string_value(json_object_get(e, "from")),
                            json_string_value(json_object_get(e, "kind")), st ? " -> " : "",
                            st ? st : "");
            if (txt)
                core_buf_printf(&b, "  %s\n", txt);
        }
    }
    for (size_t i = 0; i < k.nremedies; i++)
        core_buf_printf(&b, "%sRemedy: %s (%s)%s%s\n", i ? "" : "\n", k.remedies[i].type,
                        rmd_remedy_state_name(k.remedies[i].state),
                        k.remedies[i].description ? ": " : "",
                        k.remedies[i].description ? k.remedies[i].description : "");
    if (b.oom) {
        core_buf_cleanup(&b);
        json_decref(pkg);
        return CORE_NOMEM;
    }
    /* the export itself is recorded */
    store_conn *c;
    rc = eco_begin(svc, &c);
    if (rc == CORE_OK) {
        char id[24];
        id_text(k.s.id, id);
        rc = eco_audit(c, a, actor->org_id, actor->label, rmd_now(svc), "grievance", id,
                       "referral_package", NULL, eco_digest_json(pkg, a));
        rc = eco_finish(svc, c, rc);
    }
    if (rc != CORE_OK) {
        core_buf_cleanup(&b);
        json_decref(pkg);
        return rc;
    }
    *summary_text = core_buf_steal(&b);
    *package = pkg;
    return CORE_OK;
}
