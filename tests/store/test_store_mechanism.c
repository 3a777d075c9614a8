/* test_store_mechanism: the ecosystem tables (external mechanisms,
 * referrals, time-limit notifications) on both engines: shared vs own
 * namespaces, org scoping, slug uniqueness, updates, referral round trip,
 * notifications recorded once. */
#include "test_store.h"

static int64_t mk_case(store_conn *c, int64_t org, const char *ref)
{
    store_grievance g = {.org_id = org, .reference = ref, .receipt_hash = ref, .state = "received",
                         .category = "data_protection", .channel = "web", .language = "en",
                         .country = "DE", .contact_preference = "anonymous", .enc_narrative = "x",
                         .wrapped_key = "k", .key_version = 1};
    assert_int_equal(store_grievance_create(c, &g), CORE_OK);
    return g.id;
}

void t_mechanisms(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    store_mechanism shared = {.org_id = 0, .slug = "debfdi", .kind = "state_non_judicial",
                              .subkind = "data_protection_authority", .name = "BfDI",
                              .jurisdictions = "DE", .subjects = "data_protection privacy",
                              .languages = "de", .email = "poststelle@bfdi.bund.de"};
    assert_int_equal(store_mechanism_create(c, &shared), CORE_OK);
    assert_true(shared.id > 0 && shared.created_at > 0);
    store_mechanism own = {.org_id = o1, .slug = "acme-panel", .kind = "non_state",
                           .subkind = "out_of_court_body", .name = "Acme review panel",
                           .jurisdictions = "EU", .subjects = "content_moderation"};
    assert_int_equal(store_mechanism_create(c, &own), CORE_OK);
    assert_string_equal(own.languages == NULL ? "" : own.languages, "");
    /* same slug in another namespace is fine, twice in one is not */
    store_mechanism dup = own;
    dup.org_id = o2;
    assert_int_equal(store_mechanism_create(c, &dup), CORE_OK);
    dup.org_id = o1;
    assert_int_equal(store_mechanism_create(c, &dup), CORE_CONFLICT);
    store_mechanism bad = shared;
    bad.slug = "Bad Slug";
    assert_int_equal(store_mechanism_create(c, &bad), CORE_INVALID);

    store_mechanism g;
    assert_int_equal(store_mechanism_get(c, &f->a, o1, shared.id, &g), CORE_OK);  /* shared: visible */
    assert_string_equal(g.name, "BfDI");
    assert_string_equal(g.email, "poststelle@bfdi.bund.de");
    assert_null(g.phone);
    assert_int_equal(store_mechanism_get(c, &f->a, o1, own.id, &g), CORE_OK);
    assert_int_equal(store_mechanism_get(c, &f->a, o2, own.id, &g), CORE_NOTFOUND); /* other org's */
    assert_int_equal(store_mechanism_get_by_slug(c, &f->a, 0, "debfdi", &g), CORE_OK);
    assert_int_equal(store_mechanism_get_by_slug(c, &f->a, o1, "debfdi", &g), CORE_NOTFOUND);

    store_mechanism *list;
    size_t n;
    assert_int_equal(store_mechanism_list(c, &f->a, o1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].name, "Acme review panel");   /* by name */
    assert_int_equal(store_mechanism_list(c, &f->a, 0, &list, &n), CORE_OK);
    assert_int_equal(n, 1);

    /* update: by exact namespace */
    shared.name = "Der BfDI";
    shared.phone = "+49 228 9977990";
    assert_int_equal(store_mechanism_update(c, &shared), CORE_OK);
    assert_int_equal(store_mechanism_get(c, &f->a, o2, shared.id, &g), CORE_OK);
    assert_string_equal(g.name, "Der BfDI");
    assert_string_equal(g.phone, "+49 228 9977990");
    store_mechanism wrong = own;
    wrong.org_id = o2;
    assert_int_equal(store_mechanism_update(c, &wrong), CORE_NOTFOUND);
}

void t_referrals(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t case1 = mk_case(c, o1, "G-AAAAAAAA");
    store_mechanism m = {.slug = "cnil", .kind = "state_non_judicial",
                         .subkind = "data_protection_authority", .name = "CNIL",
                         .jurisdictions = "FR", .subjects = "data_protection"};
    assert_int_equal(store_mechanism_create(c, &m), CORE_OK);
    store_referral r = {.org_id = o1, .case_id = case1, .mechanism_id = m.id, .kind = "referral",
                        .consent_given = 1, .consent_contact = 1, .enc_consent_text = "c1",
                        .consent_at = 1700000000};
    assert_int_equal(store_referral_create(c, &r), CORE_OK);
    assert_string_equal(r.state, "proposed");
    store_referral p = {.org_id = o1, .case_id = case1, .mechanism_id = m.id, .kind = "parallel"};
    assert_int_equal(store_referral_create(c, &p), CORE_OK);
    store_referral bad = p;
    bad.kind = "other";
    assert_int_equal(store_referral_create(c, &bad), CORE_INVALID);

    store_referral g;
    assert_int_equal(store_referral_get(c, &f->a, o1, r.id, &g), CORE_OK);
    assert_int_equal(g.consent_given, 1);
    assert_int_equal(g.consent_contact, 1);
    assert_string_equal(g.enc_consent_text, "c1");
    assert_int_equal(g.consent_at, 1700000000);
    assert_null(g.enc_outcome);
    assert_int_equal(store_referral_get(c, &f->a, o2, r.id, &g), CORE_NOTFOUND);

    g.state = "decided";
    g.enc_outcome = "o1";
    assert_int_equal(store_referral_update(c, &g), CORE_OK);
    g.state = "bogus";
    assert_int_equal(store_referral_update(c, &g), CORE_INVALID);
    store_referral *list;
    size_t n;
    assert_int_equal(store_referral_list(c, &f->a, o1, case1, &list, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0].state, "decided");
    assert_string_equal(list[0].enc_outcome, "o1");
    assert_string_equal(list[1].kind, "parallel");
    assert_int_equal(store_referral_list(c, &f->a, o2, case1, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
    store_referral other = {.id = r.id, .org_id = o2, .state = "closed"};
    assert_int_equal(store_referral_update(c, &other), CORE_NOTFOUND);
}

void t_sla_notes(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t case1 = mk_case(c, o1, "G-BBBBBBBB");
    store_sla_note nt = {.org_id = o1, .case_id = case1, .clock = "acknowledge", .status = "due_soon",
                         .due_at = 1000, .notified_at = 900, .recipients = 2};
    assert_int_equal(store_sla_note_add(c, &nt), CORE_OK);
    assert_true(nt.id > 0);
    int64_t first = nt.id;
    assert_int_equal(store_sla_note_add(c, &nt), CORE_CONFLICT);           /* once */
    assert_int_equal(store_sla_note_delete(c, o2, first), CORE_NOTFOUND);  /* other org */
    assert_int_equal(store_sla_note_delete(c, o1, first), CORE_OK);        /* withdrawn claim */
    assert_int_equal(store_sla_note_add(c, &nt), CORE_OK);                 /* can be claimed again */
    nt.status = "overdue";
    assert_int_equal(store_sla_note_add(c, &nt), CORE_OK);                 /* status changed */
    nt.due_at = 2000;
    assert_int_equal(store_sla_note_add(c, &nt), CORE_OK);                 /* extended: new due date */
    store_sla_note *list;
    size_t n;
    assert_int_equal(store_sla_note_list(c, &f->a, o1, case1, &list, &n), CORE_OK);
    assert_int_equal(n, 3);
    assert_string_equal(list[0].status, "due_soon");
    assert_int_equal(list[0].recipients, 2);
    assert_int_equal(list[0].notified_at, 900);
    assert_int_equal(store_sla_note_list(c, &f->a, o2, case1, &list, &n), CORE_OK);
    assert_int_equal(n, 0);
}

void t_stats_bulk(void **state)
{
    fx *f = *state;
    store_conn *c = f->c;
    int64_t o1 = mk_org(c, "one"), o2 = mk_org(c, "two");
    int64_t c1 = mk_case(c, o1, "G-CCCCCCCC"), c2 = mk_case(c, o2, "G-DDDDDDDD");
    store_grievance_clock k = {.case_id = c1, .kind = "acknowledge", .started_at = 10, .due_at = 100,
                               .stopped_at = 50};
    assert_int_equal(store_grievance_clock_put(c, o1, &k), CORE_OK);
    k.case_id = c2;
    assert_int_equal(store_grievance_clock_put(c, o2, &k), CORE_OK);
    store_grievance_remedy r = {.case_id = c1, .org_id = o1, .type = "apology", .state = "proposed",
                                .proposed_at = 20};
    assert_int_equal(store_grievance_remedy_add(c, &r), CORE_OK);
    store_grievance_event e = {.case_id = c1, .org_id = o1, .at = 30, .kind = "transition",
                               .action = "appeal", .from_state = "closed", .to_state = "appealed",
                               .actor_kind = "complainant"};
    assert_int_equal(store_grievance_event_add(c, &e), CORE_OK);
    e.action = "acknowledge";
    assert_int_equal(store_grievance_event_add(c, &e), CORE_OK);   /* not an appeal step */
    store_stats_row *rows;
    size_t n;
    assert_int_equal(store_stats_clocks(c, &f->a, o1, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].case_id, c1);
    assert_string_equal(rows[0].a, "acknowledge");
    assert_int_equal(rows[0].due_at, 100);
    assert_int_equal(rows[0].stopped_at, 50);
    assert_int_equal(store_stats_remedies(c, &f->a, o1, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].a, "apology");
    assert_string_equal(rows[0].b, "proposed");
    assert_int_equal(store_stats_remedies(c, &f->a, o2, &rows, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_stats_appeal_steps(c, &f->a, o1, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rows[0].a, "appeal");
}
