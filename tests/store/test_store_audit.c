/* test_store_audit: the audit-chain part of the storage suite.
 *
 * Appends (alone, in the caller's transaction, rolled back, from several
 * threads at once), listing and paging, and verification against tampering:
 * a one-byte edit of each column of a middle row, NULL/empty digests, a
 * deleted row, a forged row before seq 1 or after the last, swapped rows and
 * a re-hashed forged row. Tampering goes through a raw connection after the
 * append-only triggers are dropped; a copy of the chain restores it between
 * cases.
 */
#include "test_store.h"

static void append(fx *f, int64_t org, const char *obj, const char *before, const char *after)
{
    store_audit_entry e = {.org_id = org, .actor_user_id = 1, .actor = "user:1",
                           .object_type = "product", .object_id = obj, .action = "update",
                           .before_digest = before, .after_digest = after};
    assert_int_equal(store_audit_append(f->c, &f->a, &e), CORE_OK);
}

void t_audit_basic(void **state)
{
    fx *f = *state;
    int64_t checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, 0);
    int64_t o1 = mk_org(f->c, "one"), o2 = mk_org(f->c, "two");
    store_audit_entry e1 = {.at = 1700000000, .org_id = o1, .actor = "cli", .object_type = "org",
                            .object_id = "1", .action = "create", .after_digest = "ab"};
    assert_int_equal(store_audit_append(f->c, &f->a, &e1), CORE_OK);
    assert_int_equal(e1.seq, 1);
    assert_string_equal(e1.prev_hash, "");
    assert_int_equal(strlen(e1.hash), 64);
    char h[65];
    store_audit_hash(&e1, h);
    assert_string_equal(h, e1.hash);
    assert_int_equal(store_begin(f->c), CORE_OK);          /* inside the caller's transaction */
    store_audit_entry e2 = {.org_id = o2, .actor = "system", .object_type = "org", .object_id = "2",
                            .action = "create"};
    assert_int_equal(store_audit_append(f->c, &f->a, &e2), CORE_OK);
    assert_int_equal(store_commit(f->c), CORE_OK);
    assert_int_equal(e2.seq, 2);
    assert_string_equal(e2.prev_hash, e1.hash);
    assert_true(e2.at > 0);
    /* an append rolled back with its transaction leaves no trace */
    assert_int_equal(store_begin(f->c), CORE_OK);
    store_audit_entry e3 = {.org_id = o1, .actor = "cli", .object_type = "org", .object_id = "x",
                            .action = "delete"};
    assert_int_equal(store_audit_append(f->c, &f->a, &e3), CORE_OK);
    assert_int_equal(store_rollback(f->c), CORE_OK);
    for (int i = 0; i < 5; i++)
        append(f, o1, "p", "b", "a");
    store_audit_entry bad_e = {.actor = "cli"};
    assert_int_equal(store_audit_append(f->c, &f->a, &bad_e), CORE_INVALID);

    store_audit_entry *l;
    size_t n;
    assert_int_equal(store_audit_list(f->c, &f->a, 0, 0, 50, &l, &n), CORE_OK);
    assert_int_equal(n, 7);
    assert_int_equal(l[0].seq, 7);
    assert_int_equal(l[6].seq, 1);
    assert_int_equal(l[6].at, 1700000000);
    assert_string_equal(l[6].actor, "cli");
    assert_string_equal(l[6].after_digest, "ab");
    assert_null(l[6].before_digest);
    assert_string_equal(l[6].hash, e1.hash);
    assert_int_equal(store_audit_list(f->c, &f->a, 0, 5, 2, &l, &n), CORE_OK);   /* paging */
    assert_int_equal(n, 2);
    assert_int_equal(l[0].seq, 4);
    assert_int_equal(l[1].seq, 3);
    assert_int_equal(store_audit_list(f->c, &f->a, o2, 0, 50, &l, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(l[0].seq, 2);
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, 7);
    assert_int_equal(bad, 0);
}

/* More rows than one verification page, with a tampered row in a later page. */
static void expect_bad(fx *f, int64_t want);
void t_audit_many(void **state)
{
    fx *f = *state;
    int64_t o = mk_org(f->c, "one");
    assert_int_equal(store_begin(f->c), CORE_OK);
    for (int i = 0; i < 2500; i++)
        append(f, o, "many", NULL, "d");
    assert_int_equal(store_commit(f->c), CORE_OK);
    int64_t checked, bad;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, 2500);
    const char *drop = f->pg ? "DROP TRIGGER audit_log_no_change ON audit_log"
                             : "DROP TRIGGER audit_log_no_update";
    assert_int_equal(raw_exec(f, drop), 0);
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET object_id = 'manx' WHERE seq = 2222"), 0);
    expect_bad(f, 2222);
}

typedef struct worker {
    store *s;
    int n;
    int failures;
} worker;

static void *audit_worker(void *arg)
{
    worker *w = arg;
    core_arena a;
    core_arena_init(&a);
    for (int i = 0; i < w->n; i++) {
        int rc;
        do {
            store_conn *c;
            rc = store_acquire(w->s, &c);
            if (rc != CORE_OK)
                continue;
            rc = store_begin(c);
            if (rc == CORE_OK) {
                store_audit_entry e = {.actor = "system", .object_type = "thread",
                                       .object_id = "t", .action = "tick"};
                rc = store_audit_append(c, &a, &e);
                if (rc == CORE_OK)
                    rc = store_commit(c);
            }
            store_release(w->s, c);
        } while (rc == CORE_BUSY);
        if (rc != CORE_OK)
            w->failures++;
    }
    core_arena_cleanup(&a);
    return NULL;
}

void t_audit_concurrent(void **state)
{
    fx *f = *state;
    enum { THREADS = 4, EACH = 25 };
    pthread_t th[THREADS];
    worker w[THREADS];
    for (int i = 0; i < THREADS; i++) {
        w[i] = (worker){.s = f->s, .n = EACH};
        assert_int_equal(pthread_create(&th[i], NULL, audit_worker, &w[i]), 0);
    }
    for (int i = 0; i < THREADS; i++) {
        pthread_join(th[i], NULL);
        assert_int_equal(w[i].failures, 0);
    }
    int64_t checked, bad;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, THREADS * EACH);
}

/* Builds a 5-entry chain over two orgs with every column non-empty and a
 * copy of it (audit_copy), and drops the append-only triggers. */
static void tamper_prepare(fx *f)
{
    int64_t o1 = mk_org(f->c, "one"), o2 = mk_org(f->c, "two");
    (void)o2;
    mk_user(f->c, "a@example.org");
    mk_user(f->c, "b@example.org");
    for (int i = 0; i < 5; i++)
        append(f, o1, "17", "0a1b", "2c3d");
    int64_t checked, bad;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, 5);
    /* with the triggers in place nobody can edit or delete, not even raw SQL */
    assert_int_not_equal(raw_exec(f, "UPDATE audit_log SET action = 'x' WHERE seq = 3"), 0);
    assert_int_not_equal(raw_exec(f, "DELETE FROM audit_log WHERE seq = 3"), 0);
    const char *drop = f->pg
        ? "DROP TRIGGER audit_log_no_change ON audit_log; DROP TRIGGER audit_log_no_truncate ON audit_log;"
          "CREATE TABLE audit_copy AS SELECT * FROM audit_log"
        : "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;"
          "CREATE TABLE audit_copy AS SELECT * FROM audit_log";
    assert_int_equal(raw_exec(f, drop), 0);
}

static void expect_bad(fx *f, int64_t want)
{
    int64_t checked = -1, bad = -1;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_CORRUPT);
    assert_int_equal(bad, want);
    assert_int_equal(checked, want - 1);
}

static void restore_chain(fx *f)
{
    assert_int_equal(raw_exec(f, "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM audit_copy"), 0);
    int64_t checked, bad;
    assert_int_equal(store_audit_verify(f->c, &checked, &bad), CORE_OK);
    assert_int_equal(checked, 5);
}

void t_audit_tamper_each_column(void **state)
{
    fx *f = *state;
    tamper_prepare(f);
    static const char *int_cols[] = {"at", "org_id", "actor_user_id"};
    static const char *text_cols[] = {"actor", "object_type", "object_id", "action",
                                      "before_digest", "after_digest", "prev_hash", "hash"};
    char sql[512];
    for (size_t i = 0; i < sizeof int_cols / sizeof int_cols[0]; i++) {
        /* +1 changes the last digit: a one-byte edit */
        snprintf(sql, sizeof sql, "UPDATE audit_log SET %s = %s + 1 WHERE seq = 3", int_cols[i], int_cols[i]);
        assert_int_equal(raw_exec(f, sql), 0);
        expect_bad(f, 3);
        restore_chain(f);
    }
    for (size_t i = 0; i < sizeof text_cols / sizeof text_cols[0]; i++) {
        snprintf(sql, sizeof sql,
                 "UPDATE audit_log SET %s = CASE WHEN substr(%s, 1, 1) = 'X' THEN 'Y' ELSE 'X' END"
                 " || substr(%s, 2) WHERE seq = 3", text_cols[i], text_cols[i], text_cols[i]);
        assert_int_equal(raw_exec(f, sql), 0);
        expect_bad(f, 3);
        restore_chain(f);
    }
    /* a digest removed (NULL) or emptied is not the same as the original */
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET before_digest = NULL WHERE seq = 3"), 0);
    expect_bad(f, 3);
    restore_chain(f);
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET after_digest = '' WHERE seq = 3"), 0);
    expect_bad(f, 3);
    restore_chain(f);
    /* seq 3 -> 8: one digit; the walk finds 1, 2, 4: 3 is missing */
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET seq = 8 WHERE seq = 3"), 0);
    expect_bad(f, 3);
    restore_chain(f);
    /* the last row's hash too: nothing after it would notice a broken link */
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET hash = 'X' || substr(hash, 2) WHERE seq = 5"), 0);
    expect_bad(f, 5);
    restore_chain(f);
}

void t_audit_tamper_delete_and_swap(void **state)
{
    fx *f = *state;
    tamper_prepare(f);
    assert_int_equal(raw_exec(f, "DELETE FROM audit_log WHERE seq = 3"), 0);
    expect_bad(f, 3);
    restore_chain(f);
    assert_int_equal(raw_exec(f, "DELETE FROM audit_log WHERE seq = 1"), 0);
    expect_bad(f, 1);
    restore_chain(f);
    /* a forged row in front of the chain */
    assert_int_equal(raw_exec(f, "INSERT INTO audit_log SELECT 0, at, org_id, actor_user_id, actor,"
                                 " object_type, object_id, action, before_digest, after_digest,"
                                 " prev_hash, hash FROM audit_log WHERE seq = 1"), 0);
    expect_bad(f, 1);
    restore_chain(f);
    /* a duplicated row at the end is a wrong seq too */
    assert_int_equal(raw_exec(f, "INSERT INTO audit_log SELECT 6, at, org_id, actor_user_id, actor,"
                                 " object_type, object_id, action, before_digest, after_digest,"
                                 " prev_hash, hash FROM audit_log WHERE seq = 5"), 0);
    expect_bad(f, 6);
    restore_chain(f);
    /* swap rows 3 and 4 (their seq numbers) */
    assert_int_equal(raw_exec(f, "UPDATE audit_log SET seq = -3 WHERE seq = 3;"
                                 "UPDATE audit_log SET seq = 3 WHERE seq = 4;"
                                 "UPDATE audit_log SET seq = 4 WHERE seq = -3"), 0);
    expect_bad(f, 3);
    restore_chain(f);
    /* re-link a forged row: recomputing its own hash still breaks the next link */
    store_audit_entry *l;
    size_t n;
    assert_int_equal(store_audit_list(f->c, &f->a, 0, 4, 1, &l, &n), CORE_OK);
    assert_int_equal(n, 1);
    store_audit_entry forged = l[0];
    forged.action = "forged";
    char h[65], sql[512];
    store_audit_hash(&forged, h);
    snprintf(sql, sizeof sql, "UPDATE audit_log SET action = 'forged', hash = '%s' WHERE seq = 3", h);
    assert_int_equal(raw_exec(f, sql), 0);
    expect_bad(f, 4);
    restore_chain(f);
}

/* `?` -> $n outside quotes only; the driver layer itself, engine-independent. */