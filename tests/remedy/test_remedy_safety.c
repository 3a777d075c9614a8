/* test_remedy_safety: what keeps complainants safe and the data whole:
 * nothing readable at rest, wrong receipts and their throttling, nothing
 * half-written, attachments, policies, key rotation, queue order, and
 * grievances recorded by staff. */
#include "test_remedy.h"

#include <pthread.h>

static int file_contains(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return 0;
    size_t cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += got;
        if (len == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(fp);
    int found = memmem(buf, len, needle, strlen(needle)) != NULL;
    free(buf);
    return found;
}

void t_raw_scan(void **state)
{
    rfx *f = *state;
    if (f->pg)
        return;                        /* the PostgreSQL data directory: tests/integration/at-rest */
    const char *secrets[] = {"Zanzibar-narrative-7781", "Wilhelmina Oyelaran-Quist",
                             "wilhelmina.oq@example.org", "+254 700 918273", "Kestrel-rights-5523",
                             "Marmot-outcome-1194", "Heron-message-3381", "Ibis-note-2290",
                             "Osprey-remedy-6612", "Plover-file-4401", "Lapwing-reason-8830"};
    for (int i = 0; i < 3; i++) {
        grv_intake in = {0};
        char narrative[128];
        snprintf(narrative, sizeof narrative, "Case %d: %s happened to me.", i, secrets[0]);
        in.narrative = narrative;
        in.contact_preference = "named";
        in.contact_name = secrets[1];
        in.contact_email = secrets[2];
        in.contact_phone = secrets[3];
        in.rights_text = secrets[4];
        in.outcome_sought = secrets[5];
        in.product = "chat-app";
        in.country = "KE";
        rmd_upload up = {"evidence.txt", secrets[9], strlen(secrets[9])};
        rmd_filed out;
        grv_error err;
        int rc = rmd_file_with(f->svc, &f->a, 0, &in, NULL, &up, 1, &out, &err);
        if (rc != CORE_OK)
            fail_msg("file: %d %s", rc, err.field ? err.field : "");
        rmd_peer peer = {"10.1.1.1", 0};
        assert_int_equal(rmd_receipt_message(f->svc, &f->a, out.receipt, &peer, secrets[6]), CORE_OK);
        assert_int_equal(rmd_case_note(f->svc, &f->a, &f->h1, out.case_id, secrets[7]), CORE_OK);
        assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, out.case_id, GRV_ACT_ACKNOWLEDGE, NULL, NULL), CORE_OK);
        assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, out.case_id, GRV_ACT_ASSESS, NULL, NULL), CORE_OK);
        assert_int_equal(rmd_case_act(f->svc, &f->a, &f->h1, out.case_id, GRV_ACT_INVESTIGATE, NULL, NULL), CORE_OK);
        assert_int_equal(rmd_remedy_propose(f->svc, &f->a, &f->h1, out.case_id, "apology", secrets[8], NULL), CORE_OK);
        assert_int_equal(rmd_receipt_withdraw(f->svc, &f->a, out.receipt, &peer, secrets[10]), CORE_OK);
        /* the staff view decrypts them all */
        rmd_case c;
        assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, out.case_id, &c), CORE_OK);
        assert_string_equal(c.contact_name, secrets[1]);
        assert_string_equal(c.contact_email, secrets[2]);
        assert_string_equal(c.contact_phone, secrets[3]);
        assert_string_equal(c.product_slug, "chat-app");
        rmd_attachment att;
        assert_int_equal(rmd_case_attachment_get(f->svc, &f->a, &f->h1, out.case_id,
                                                 c.attachments[0].id, &att), CORE_OK);
        assert_memory_equal(att.data, secrets[9], strlen(secrets[9]));
        assert_string_equal(att.mime, "text/plain");
        assert_string_equal(att.filename, "evidence.txt");
    }
    char wal[600];
    snprintf(wal, sizeof wal, "%s-wal", f->url);
    for (size_t i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
        if (file_contains(f->url, secrets[i]) || file_contains(wal, secrets[i]))
            fail_msg("found \"%s\" in the database files", secrets[i]);
    }
    /* a control: something stored in clear is found by the same scan */
    assert_true(file_contains(f->url, "chat-app") || file_contains(wal, "chat-app"));
}

void t_wrong_receipt(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    file_simple(f, "Receipt case", NULL, r);
    rmd_peer peer = {"10.2.0.1", 0};
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &peer, 0, &p),
                     CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "not a receipt", &peer, 0, &p), CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "", &peer, 0, &p), CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAB", &peer, "hi"),
                     CORE_NOTFOUND);
    /* lower case, spaces, I/L/O read as 1/0: the same receipt */
    char loose[64];
    size_t k = 0;
    for (const char *s = r; *s && k + 2 < sizeof loose; s++)
        loose[k++] = (*s == '-') ? ' ' : (char)(*s >= 'A' && *s <= 'Z' ? *s + 32 : *s);
    loose[k] = '\0';
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, loose, &peer, 0, &p), CORE_OK);
    assert_int_equal(p.state, GRV_RECEIVED);
}

void t_throttle(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    file_simple(f, "Throttle case", NULL, r);
    rmd_case_public p;
    rmd_peer a = {"192.0.2.7", 0};
    for (int i = 0; i < 5; i++)
        assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &a, 0, &p),
                         CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &a, 0, &p), CORE_BUSY);
    assert_true(a.retry_after_s > 0 && a.retry_after_s <= 900);
    /* a valid receipt from the same source keeps working */
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &a, 0, &p), CORE_OK);
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, r, &a, "still here"), CORE_OK);
    /* another source is not affected */
    rmd_peer b = {"198.51.100.9", 0};
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &b, 0, &p),
                     CORE_NOTFOUND);
    /* the window slides: the source is free again later */
    g_now += 901;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &a, 0, &p),
                     CORE_NOTFOUND);
    /* the global limit (40 per minute in this fixture) across many sources */
    g_now += 3600;
    int busy = 0;
    for (int i = 0; i < 60; i++) {
        char addr[32];
        snprintf(addr, sizeof addr, "203.0.113.%d", i);
        rmd_peer q = {addr, 0};
        int rc = rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &q, 0, &p);
        assert_true(rc == CORE_NOTFOUND || rc == CORE_BUSY);
        if (rc == CORE_BUSY)
            busy++;
    }
    assert_int_equal(busy, 20);
    rmd_peer fresh = {"203.0.113.250", 0};
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, "AAAAA-AAAAA-AAAAA-AAAAA", &fresh, 0, &p), CORE_BUSY);
    assert_true(fresh.retry_after_s > 0 && fresh.retry_after_s <= 60);
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &fresh, 0, &p), CORE_OK);
}

static void counts(rfx *f, int64_t c[5])
{
    const char *q[] = {"SELECT count(*) FROM grievances", "SELECT count(*) FROM grievance_events",
                       "SELECT count(*) FROM grievance_clocks", "SELECT count(*) FROM audit_log",
                       "SELECT count(*) FROM grievance_attachments"};
    for (int i = 0; i < 5; i++)
        assert_int_equal(raw_count(f, q[i], &c[i]), 0);
}

void t_no_half_write(void **state)
{
    rfx *f = *state;
    file_simple(f, "A first, valid case", NULL, NULL);
    int64_t before[5], after[5];
    counts(f, before);
    rmd_filed out;
    grv_error err;
    grv_intake in = {.narrative = "Valid text", .contact_preference = "anonymous", .product = "nope"};
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in, NULL, &out, &err), CORE_INVALID);
    assert_string_equal(err.field, "/product");
    grv_intake in2 = {.contact_preference = "anonymous"};
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in2, NULL, &out, &err), CORE_INVALID);
    assert_string_equal(err.field, "/narrative");
    grv_intake in3 = {.narrative = "x", .contact_preference = "anonymous", .contact_email = "a@b.c"};
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in3, NULL, &out, &err), CORE_INVALID);
    grv_intake in4 = {.narrative = "x", .contact_preference = "anonymous", .channel = "phone"};
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in4, NULL, &out, &err), CORE_INVALID);
    assert_string_equal(err.field, "/channel");
    grv_intake ok = {.narrative = "Valid text", .contact_preference = "anonymous"};
    rmd_upload ups[2] = {{"a.txt", "fine text", 9}, {"b.exe", "MZ\x90\x00\x03", 5}};
    assert_int_equal(rmd_file_with(f->svc, &f->a, 0, &ok, NULL, ups, 2, &out, &err), CORE_INVALID);
    assert_string_equal(err.field, "/attachments/1");
    static char big[64 * 1024 + 1];
    memset(big, 'a', sizeof big);
    rmd_upload up_big = {"big.txt", big, sizeof big};
    assert_int_equal(rmd_file_with(f->svc, &f->a, 0, &ok, NULL, &up_big, 1, &out, &err), CORE_INVALID);
    assert_string_equal(err.field, "/attachments/0");
    assert_string_equal(out.receipt, "");
    counts(f, after);
    assert_memory_equal(before, after, sizeof before);
}

void t_attachments(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    int64_t id = file_simple(f, "Attachment case", NULL, r);
    static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0, 13,
                                        'I', 'H', 'D', 'R', 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0};
    rmd_peer peer = {"10.3.0.1", 0};
    int64_t a1 = 0, a2 = 0, a3 = 0;
    assert_int_equal(rmd_receipt_attach(f->svc, &f->a, r, &peer, "../../etc/screenshot.png", png,
                                        sizeof png, &a1), CORE_OK);
    assert_int_equal(rmd_receipt_attach(f->svc, &f->a, r, &peer, "x.bin", "\x00\x01\x02", 3, NULL),
                     CORE_INVALID);
    assert_int_equal(rmd_case_attach(f->svc, &f->a, &f->h1, id, "memo.txt", "internal memo", 13,
                                     RMD_VIS_INTERNAL, &a2), CORE_OK);
    assert_int_equal(rmd_case_attach(f->svc, &f->a, &f->h1, id, "letter.txt", "our letter", 10,
                                     RMD_VIS_PUBLIC, &a3), CORE_OK);
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &peer, RMD_PUB_ALL, &p), CORE_OK);
    assert_int_equal(p.nattachments, 2);
    assert_string_equal(p.attachments[0].mime, "image/png");
    assert_string_equal(p.attachments[0].filename, "screenshot.png");
    assert_null(p.attachments[0].data);
    rmd_attachment t;
    assert_int_equal(rmd_receipt_attachment_get(f->svc, &f->a, r, &peer, a1, &t), CORE_OK);
    assert_int_equal(t.size, (int64_t)sizeof png);
    assert_memory_equal(t.data, png, sizeof png);
    assert_int_equal(rmd_receipt_attachment_get(f->svc, &f->a, r, &peer, a2, &t), CORE_NOTFOUND);
    assert_int_equal(rmd_receipt_attachment_get(f->svc, &f->a, r, &peer, a3, &t), CORE_OK);
    assert_int_equal(rmd_case_attachment_get(f->svc, &f->a, &f->h1, id, a2, &t), CORE_OK);
    assert_string_equal((const char *)t.data, "internal memo");
    assert_int_equal(rmd_case_attachment_get(f->svc, &f->a, &f->other, id, a2, &t), CORE_NOTFOUND);
}

void t_policy_and_rotation(void **state)
{
    rfx *f = *state;
    grv_policy p;
    assert_int_equal(rmd_policy_get(f->svc, &f->h1, &p), CORE_OK);
    assert_int_equal(p.ack_days, 7);
    assert_int_equal(p.feedback_days, 90);
    p.ack_days = 3;
    assert_int_equal(rmd_policy_set(f->svc, &f->a, &f->h1, &p), CORE_DENIED);
    p.ack_days = 0;
    assert_int_equal(rmd_policy_set(f->svc, &f->a, &f->admin, &p), CORE_INVALID);
    p.ack_days = 3;
    assert_int_equal(rmd_policy_set(f->svc, &f->a, &f->admin, &p), CORE_OK);
    grv_policy q;
    assert_int_equal(rmd_policy_public(f->svc, 0, &q), CORE_OK);
    assert_int_equal(q.ack_days, 3);
    char r[GRV_RECEIPT_TEXT + 1];
    int64_t id = file_simple(f, "Policy case", NULL, r);
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_int_equal(c.clocks[0].clock.due_at, T0 + 3 * DAY);
    /* rotation re-wraps every case key; everything still opens */
    int64_t n = 0;
    assert_int_equal(rmd_rotate_keys(f->svc, &f->a, &f->h1, &n), CORE_DENIED);
    assert_int_equal(rmd_rotate_keys(f->svc, &f->a, &f->admin, &n), CORE_OK);
    assert_int_equal(n, 1);
    int64_t kv = 0;
    assert_int_equal(raw_count(f, "SELECT MIN(key_version) FROM grievances", &kv), 0);
    assert_int_equal(kv, 2);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id, &c), CORE_OK);
    assert_string_equal(c.narrative, "Policy case");
    rmd_peer peer = {"10.4.0.1", 0};
    rmd_case_public pub;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, r, &peer, RMD_PUB_ALL, &pub), CORE_OK);
    int64_t id2 = file_simple(f, "After rotation", NULL, NULL);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id2, &c), CORE_OK);
    assert_string_equal(c.narrative, "After rotation");
    /* a tampered ciphertext is refused, not shown */
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE grievances SET enc_narrative ="
             " (SELECT enc_narrative FROM grievances WHERE id = %lld) WHERE id = %lld",
             (long long)id, (long long)id2);
    assert_int_equal(raw_exec_sql(f, sql), 0);
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, id2, &c), CORE_CORRUPT);
}

void t_queue_order(void **state)
{
    rfx *f = *state;
    int64_t a = file_simple(f, "untriaged", NULL, NULL);
    g_now += 60;
    int64_t b = file_simple(f, "urgent", NULL, NULL);
    g_now += 60;
    int64_t c = file_simple(f, "severe", NULL, NULL);
    g_now += 60;
    int64_t d = file_simple(f, "mild", NULL, NULL);
    grv_triage tu = {1, 1, 1, 1, 0}, ts = {5, 5, 4, 0, 0}, tm = {1, 1, 1, 0, 0}, bad = {6, 1, 1, 0, 0};
    assert_int_equal(rmd_case_triage(f->svc, &f->a, &f->h1, b, &bad), CORE_INVALID);
    assert_int_equal(rmd_case_triage(f->svc, &f->a, &f->h1, b, &tu), CORE_OK);
    assert_int_equal(rmd_case_triage(f->svc, &f->a, &f->h1, c, &ts), CORE_OK);
    assert_int_equal(rmd_case_triage(f->svc, &f->a, &f->h1, d, &tm), CORE_OK);
    rmd_case_summary *s;
    size_t n;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, NULL, &s, &n), CORE_OK);
    assert_int_equal(n, 4);
    assert_int_equal(s[0].id, c);      /* priority 1, severity 14 */
    assert_int_equal(s[1].id, b);      /* priority 1 (urgent), severity 3 */
    assert_int_equal(s[2].id, a);      /* priority 3 untriaged */
    assert_int_equal(s[3].id, d);      /* priority 4 */
    assert_int_equal(s[1].urgent, 1);
    assert_int_equal(s[0].severity, 14);
    rmd_filter fl;
    rmd_filter_init(&fl);
    fl.state = GRV_RECEIVED;
    fl.limit = 2;
    fl.offset = 1;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(s[0].id, b);
    rmd_filter_init(&fl);
    fl.unassigned = 1;
    fl.open_only = 1;
    assert_int_equal(rmd_case_list(f->svc, &f->a, &f->h1, &fl, &s, &n), CORE_OK);
    assert_int_equal(n, 4);
}

void t_staff_recorded(void **state)
{
    rfx *f = *state;
    grv_intake in = {.narrative = "Caller reported harassment through the app.",
                     .contact_preference = "confidential", .contact_phone = "+44 20 7946 0000",
                     .channel = "partner", .partner = "Helpline Org"};
    rmd_filed out;
    grv_error err;
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in, &f->analyst, &out, &err), CORE_DENIED);
    int rc = rmd_file(f->svc, &f->a, 0, &in, &f->h1, &out, &err);
    if (rc != CORE_OK)
        fail_msg("staff file: %d %s", rc, err.field ? err.field : "");
    rmd_case c;
    assert_int_equal(rmd_case_get(f->svc, &f->a, &f->h1, out.case_id, &c), CORE_OK);
    assert_string_equal(c.s.channel, "partner");
    assert_string_equal(c.partner, "Helpline Org");
    assert_string_equal(c.contact_phone, "+44 20 7946 0000");
    assert_int_equal(c.events[0].actor_kind, GRV_BY_STAFF);
    assert_int_equal(c.events[0].actor_user_id, f->u_h1);
    /* the receipt is for the complainant, to be passed on by the staff member */
    rmd_peer peer = {"10.5.0.1", 0};
    rmd_case_public p;
    assert_int_equal(rmd_receipt_open(f->svc, &f->a, out.receipt, &peer, RMD_PUB_THREAD, &p), CORE_OK);
    assert_int_equal(p.nthread, 1);
    assert_int_equal(p.thread[0].actor_user_id, 0);
}

/* ---- many filings at once (group commit on SQLite) ---- */
#define CT_THREADS 8
#define CT_EACH 25

typedef struct ct_arg {
    rfx *f;
    int idx;
    char receipts[CT_EACH][GRV_RECEIPT_TEXT + 1];
    int failures;
} ct_arg;

static void *ct_file(void *p)
{
    ct_arg *c = p;
    core_arena a;
    core_arena_init(&a);
    for (int i = 0; i < CT_EACH; i++) {
        char text[64];
        snprintf(text, sizeof text, "concurrent %d/%d", c->idx, i);
        grv_intake in = {.narrative = text, .contact_preference = "anonymous"};
        rmd_filed out;
        if (rmd_file(c->f->svc, &a, 0, &in, NULL, &out, NULL) != CORE_OK)
            c->failures++;
        else
            memcpy(c->receipts[i], out.receipt, sizeof c->receipts[i]);
    }
    core_arena_cleanup(&a);
    return NULL;
}

void t_concurrent_intake(void **state)
{
    rfx *f = *state;
    static ct_arg args[CT_THREADS];
    pthread_t th[CT_THREADS];
    for (int i = 0; i < CT_THREADS; i++) {
        memset(&args[i], 0, sizeof args[i]);
        args[i].f = f;
        args[i].idx = i;
        assert_int_equal(pthread_create(&th[i], NULL, ct_file, &args[i]), 0);
    }
    for (int i = 0; i < CT_THREADS; i++)
        pthread_join(th[i], NULL);
    int64_t n = 0;
    assert_int_equal(raw_count(f, "SELECT count(*) FROM grievances", &n), 0);
    assert_int_equal(n, CT_THREADS * CT_EACH);
    assert_int_equal(raw_count(f, "SELECT count(DISTINCT reference) FROM grievances", &n), 0);
    assert_int_equal(n, CT_THREADS * CT_EACH);
    rmd_peer peer = {"10.9.9.9", 0};
    for (int i = 0; i < CT_THREADS; i++) {
        assert_int_equal(args[i].failures, 0);
        for (int k = 0; k < CT_EACH; k++) {
            rmd_case_public p;
            assert_int_equal(rmd_receipt_open(f->svc, &f->a, args[i].receipts[k], &peer, 0, &p), CORE_OK);
        }
    }
    store_conn *sc;
    int64_t checked = 0, bad = 0;
    assert_int_equal(store_acquire(f->s, &sc), CORE_OK);
    assert_int_equal(store_audit_verify(sc, &checked, &bad), CORE_OK);
    assert_int_equal(checked, CT_THREADS * CT_EACH);
    store_release(f->s, sc);
}

/* A receipt holder may not grow a case without bound: past
 * RMD_MAX_COMPLAINANT_POSTS messages and additions the service refuses. */
void t_post_cap(void **state)
{
    rfx *f = *state;
    char r[GRV_RECEIPT_TEXT + 1];
    rmd_peer peer = {"10.0.0.9", 0};
    file_simple(f, "Case with many messages", NULL, r);
    for (int i = 0; i < RMD_MAX_COMPLAINANT_POSTS; i++) {
        int rc = i % 2 ? rmd_receipt_message(f->svc, &f->a, r, &peer, "one more detail")
                       : rmd_receipt_add_info(f->svc, &f->a, r, &peer, "more information");
        if (rc != CORE_OK)
            fail_msg("post %d: %d", i, rc);
        core_arena_cleanup(&f->a);
        core_arena_init(&f->a);
    }
    assert_int_equal(rmd_receipt_message(f->svc, &f->a, r, &peer, "and another"), CORE_CONFLICT);
    assert_int_equal(rmd_receipt_add_info(f->svc, &f->a, r, &peer, "and more"), CORE_CONFLICT);
}
