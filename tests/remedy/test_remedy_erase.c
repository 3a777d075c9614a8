/* test_remedy_erase: erasure of personal data (rmd_erase.c) on both engines.
 *
 *   retention: a policy of 6 months erases exactly the case closed more than
 *   6 months ago (not the one closed later, not the open one), once; the
 *   statistics are byte-for-byte equal before and after; the erased case
 *   keeps only the marker narrative, no contact data, no event body, no
 *   attachment; one audit entry per erasure (policy and fields, no
 *   content); the receipt then shows erased_at and refuses every action;
 *   the audit chain verifies.
 *   receipt: the complainant erases an open, named case with a message and a
 *   file: it is withdrawn, then erased; erasing again is CORE_OK; staff
 *   can read it but add nothing; the settings need ORG_MANAGE.
 */
#include "test_remedy.h"

#include <jansson.h>

static int64_t file_named(rfx *f, const char *narrative, char receipt[GRV_RECEIPT_TEXT + 1])
{
    grv_intake in = {0};
    in.narrative = narrative;
    in.contact_preference = "named";
    in.contact_name = "Jane Secret";
    in.contact_email = "jane.secret@example.org";
    in.country = "DE";
    rmd_filed out;
    grv_error err;
    int rc = rmd_file(f->svc, &f->a, 0, &in, NULL, &out, &err);
    if (rc != CORE_OK)
        fail_msg("rmd_file: %d %s", rc, err.field ? err.field : "");
    snprintf(receipt, GRV_RECEIPT_TEXT + 1, "%s", out.receipt);
    return out.case_id;
}

static char *stats_text(rfx *f)
{
    json_t *st = NULL;
    assert_int_equal(rmd_stats(f->svc, &f->a, &f->admin, 0, 0, &st), CORE_OK);
    char *s = json_dumps(st, JSON_SORT_KEYS | JSON_COMPACT);
    json_decref(st);
    assert_non_null(s);
    return s;
}

static int64_t count(rfx *f, const char *fmt, long long id)
{
    char sql[400];
    snprintf(sql, sizeof sql, fmt, id);
    int64_t n = -1;
    assert_int_equal(raw_count(f, sql, &n), 0);
    return n;
}

void t_erase_retention(void **state)
{
    rfx *f = *state;
    char ra[GRV_RECEIPT_TEXT + 1], rb[GRV_RECEIPT_TEXT + 1], rc_[GRV_RECEIPT_TEXT + 1];
    g_now = T0;
    int64_t a = file_named(f, "Case A: my account was closed", ra);
    rmd_peer peer = {NULL, 0};
    assert_int_equal(rmd_receipt_attach(f->svc, &f->a, ra, &peer, "a.txt", "some text", 9, NULL), CORE_OK);
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, ra, &peer, "Please call me on 555-0100"), CORE_OK);
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->h1, a, "Internal: Jane is the manager"), CORE_OK);
    assert_int_equal(rmd_receipt_withdraw(f->svc, &f->a, ra, &peer, "I give up"), CORE_OK);
    g_now = T0 + 200 * DAY;
    int64_t b = file_named(f, "Case B: withdrawn later", rb);
    assert_int_equal(rmd_receipt_withdraw(f->svc, &f->a, rb, &peer, NULL), CORE_OK);
    int64_t c = file_named(f, "Case C: still open", rc_);
    (void)c;

    /* policy: admin only */
    assert_int_equal(rmd_retention_set(f->svc, &f->a, &f->h1, 6), CORE_DENIED);
    assert_int_equal(rmd_retention_set(f->svc, &f->a, &f->admin, 6), CORE_OK);
    int months = 0;
    assert_int_equal(rmd_retention_get(f->svc, &f->admin, &months), CORE_OK);
    assert_int_equal(months, 6);

    g_now = T0 + 215 * DAY;   /* A closed ~7 months ago, B 15 days ago */
    char *before = stats_text(f);
    rmd_retention_report rep;
    assert_int_equal(rmd_retention_run(f->svc, &f->a, g_now, "system", &rep), CORE_OK);
    assert_int_equal(rep.orgs, 1);
    assert_int_equal(rep.erased, 1);
    assert_int_equal(rep.failed, 0);
    assert_int_equal(rep.case_ids[0], a);
    char *after = stats_text(f);
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* again: nothing more */
    assert_int_equal(rmd_retention_run(f->svc, &f->a, g_now, "system", &rep), CORE_OK);
    assert_int_equal(rep.erased, 0);

    rmd_case k;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->admin, a, &k), CORE_OK);
    assert_string_equal(k.narrative, RMD_ERASED_MARKER);
    assert_null(k.contact_name);
    assert_null(k.contact_email);
    assert_string_equal(k.s.country, "DE");             /* statistics columns kept */
    for (size_t i = 0; i < k.nevents; i++)
        assert_null(k.events[i].body);
    assert_int_equal(k.nattachments, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM grievance_attachments WHERE case_id = %lld", (long long)a), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM grievance_events WHERE case_id = %lld AND enc_body IS NOT NULL",
                           (long long)a), 0);
    assert_int_equal(count(f, "SELECT count(*) FROM grievances WHERE id = %lld AND enc_contact_email IS NULL"
                              " AND incident_date IS NULL", (long long)a), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE object_id = '%lld' AND action LIKE"
                              " 'erase policy=retention:6_months fields=narrative,%%'", (long long)a), 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE action LIKE 'erase%%' AND object_id <> '%lld'",
                           (long long)a), 0);
    /* B and C untouched */
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->admin, b, &k), CORE_OK);
    assert_string_equal(k.narrative, "Case B: withdrawn later");
    assert_string_equal(k.contact_email, "jane.secret@example.org");

    /* the receipt: erased, nothing more to do */
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, ra, &peer, 0, &p), CORE_OK);
    assert_true(p.erased_at > 0);
    assert_false(p.can_appeal || p.can_rate || p.can_message || p.can_withdraw);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, ra, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_true(p.erased_at > 0);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, rb, &peer, 0, &p), CORE_OK);
    assert_int_equal(p.erased_at, 0);
    assert_int_equal(rmd_receipt_appeal(f->svc, &f->a, ra, &peer, "reopen please"), CORE_CONFLICT);
    assert_int_equal(rmd_receipt_rate(f->svc, &f->a, ra, &peer, 3, NULL), CORE_CONFLICT);

    store_conn *sc;
    assert_int_equal(store_acquire(f->s, &sc), CORE_OK);
    int64_t checked = 0, bad = 0;
    assert_int_equal(store_audit_verify(sc, &checked, &bad), CORE_OK);
    store_release(f->s, sc);
}

void t_erase_receipt(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    g_now = T0;
    int64_t id = file_named(f, "My name is Jane Secret and this happened", r);
    rmd_peer peer = {NULL, 0};
    assert_int_equal(rmd_receipt_attach(f->svc, &f->a, r, &peer, "photo.txt", "evidence", 8, NULL), CORE_OK);
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->h1, id, "Can you tell us more, Jane?", 1), CORE_OK);
    g_now += DAY;
    int withdrawn = 0;
    assert_int_equal(rmd_receipt_erase(f->svc, &f->a, r, &peer, &withdrawn), CORE_OK);
    assert_int_equal(withdrawn, 1);
    rmd_case k;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &k), CORE_OK);
    assert_int_equal(k.s.state, GRV_WITHDRAWN);
    assert_string_equal(k.narrative, RMD_ERASED_MARKER);
    assert_null(k.contact_name);
    assert_int_equal(k.nattachments, 0);
    assert_int_equal(k.s.waiting_on_complainant, 0);
    int erased_events = 0;
    for (size_t i = 0; i < k.nevents; i++) {
        assert_null(k.events[i].body);
        erased_events += strcmp(k.events[i].kind, "erased") == 0;
    }
    assert_int_equal(erased_events, 1);
    assert_int_equal(count(f, "SELECT count(*) FROM audit_log WHERE object_id = '%lld' AND action LIKE"
                              " 'erase policy=complainant_request%%'", (long long)id), 1);
    /* again: fine, nothing changes; a wrong receipt stays a miss */
    withdrawn = 1;
    assert_int_equal(rmd_receipt_erase(f->svc, &f->a, r, &peer, &withdrawn), CORE_OK);
    assert_int_equal(withdrawn, 0);
    assert_int_equal(count(f, "SELECT count(*) FROM grievance_events WHERE case_id = %lld AND kind = 'erased'",
                           (long long)id), 1);
    assert_int_equal(rmd_receipt_erase(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &peer, NULL), CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, r, &peer, "hello?"), CORE_CONFLICT);
    /* staff add nothing to an erased case either; reading it still works */
    assert_int_equal(rmd_case_note(f->svc, &f->a, &f->h1, id, "Jane called again"), CORE_CONFLICT);
    assert_int_equal(rmd_case_message(f->svc, &f->a, &f->h1, id, "Hello Jane", 0), CORE_CONFLICT);
    assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, id, GRV_ACT_CLOSE, NULL, NULL), CORE_CONFLICT);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &k), CORE_OK);
    store_conn *sc;
    assert_int_equal(store_acquire(f->s, &sc), CORE_OK);
    int64_t checked = 0, bad = 0;
    assert_int_equal(store_audit_verify(sc, &checked, &bad), CORE_OK);
    store_release(f->s, sc);
}
