/* test_store_grievance: the grievance repository (migration step 2) on both
 * engines: SQLite (temporary file) and, when HRDD_TEST_PG_URL is set,
 * PostgreSQL (a private database, public schema recreated per test). Rows
 * hold placeholder ciphertexts: encryption is src/remedy's business. What is
 * checked here: round trips, org scoping of every call, the optimistic
 * update, unique codes, filters and queue order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "crypto/crypto.h"
#include "store/store.h"
#include "test_engines.h"

typedef struct gfx {
    int pg;
    char dir[64];
    char url[512];
    store *s;
    store_conn *c;
    core_arena a;
    int64_t org, org2, user, user2;
} gfx;

static int setup(void **state)
{
    const te_engine *e = *state;
    gfx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    f->pg = e->pg;
    te_db_fresh(e, "sgrv", f->dir, f->url);
    store_options o = {.url = f->url, .pool_size = 2, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&f->s, &o), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    assert_int_equal(store_acquire(f->s, &f->c), CORE_OK);
    core_arena_init(&f->a);
    store_org o1 = {.slug = "acme", .name = "Acme", .kind = "company"};
    store_org o2 = {.slug = "other", .name = "Other", .kind = "company"};
    assert_int_equal(store_org_create(f->c, &o1), CORE_OK);
    assert_int_equal(store_org_create(f->c, &o2), CORE_OK);
    f->org = o1.id;
    f->org2 = o2.id;
    store_user u = {.email = "h@acme.test", .display_name = "Handler One", .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(f->c, &u), CORE_OK);
    f->user = u.id;
    store_user u2 = {.email = "h2@acme.test", .display_name = "Handler Two", .pw_hash = "$argon2id$x"};
    assert_int_equal(store_user_create(f->c, &u2), CORE_OK);
    f->user2 = u2.id;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    gfx *f = *state;
    store_release(f->s, f->c);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    te_db_remove(f->pg, f->dir, f->url);
    free(f);
    return 0;
}

static int64_t mk_case(gfx *f, int64_t org, const char *ref, const char *hash, int64_t created)
{
    store_grievance g = {0};
    g.org_id = org;
    g.reference = ref;
    g.receipt_hash = hash;
    g.state = "received";
    g.category = "general";
    g.channel = "web";
    g.language = "en";
    g.contact_preference = "anonymous";
    g.enc_narrative = "Y2lwaGVydGV4dA==";
    g.wrapped_key = "d3JhcHBlZA==";
    g.key_version = 1;
    g.created_at = created;
    assert_int_equal(store_grievance_create(f->c, &g), CORE_OK);
    assert_true(g.id > 0);
    assert_int_equal(g.row_version, 1);
    return g.id;
}

static void t_cases(void **state)
{
    gfx *f = *state;
    int64_t id = mk_case(f, f->org, "G-AAAAAAAA", "h1", 1000);
    store_grievance g;
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, id, &g), CORE_OK);
    assert_string_equal(g.reference, "G-AAAAAAAA");
    assert_string_equal(g.enc_narrative, "Y2lwaGVydGV4dA==");
    assert_null(g.enc_contact_email);
    assert_int_equal(g.priority, 3);
    assert_int_equal(g.product_id, 0);
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org2, id, &g), CORE_NOTFOUND);
    assert_int_equal(store_grievance_get_by_receipt(f->c, &f->a, "h1", &g), CORE_OK);
    assert_int_equal(g.id, id);
    assert_int_equal(store_grievance_get_by_receipt(f->c, &f->a, "nope", &g), CORE_NOTFOUND);
    assert_int_equal(store_grievance_get_by_reference(f->c, &f->a, f->org, "G-AAAAAAAA", &g), CORE_OK);
    assert_int_equal(store_grievance_get_by_reference(f->c, &f->a, f->org2, "G-AAAAAAAA", &g),
                     CORE_NOTFOUND);
    /* unique codes */
    store_grievance dup = g;
    dup.id = 0;
    dup.receipt_hash = "h-other";
    assert_int_equal(store_grievance_create(f->c, &dup), CORE_CONFLICT);
    dup.reference = "G-BBBBBBBB";
    dup.receipt_hash = "h1";
    assert_int_equal(store_grievance_create(f->c, &dup), CORE_CONFLICT);
    /* optimistic update */
    store_grievance a1, a2;
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, id, &a1), CORE_OK);
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, id, &a2), CORE_OK);
    a1.state = "acknowledged";
    a1.assigned_user_id = f->user;
    a1.acknowledged_at = 2000;
    a1.updated_at = 2000;
    assert_int_equal(store_grievance_update(f->c, &a1), CORE_OK);
    assert_int_equal(a1.row_version, 2);
    a2.state = "withdrawn";
    assert_int_equal(store_grievance_update(f->c, &a2), CORE_CONFLICT);
    a1.org_id = f->org2;
    assert_int_equal(store_grievance_update(f->c, &a1), CORE_NOTFOUND);
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, id, &g), CORE_OK);
    assert_string_equal(g.state, "acknowledged");
    assert_int_equal(g.assigned_user_id, f->user);
    assert_int_equal(g.acknowledged_at, 2000);
    /* keys */
    assert_int_equal(store_grievance_set_key(f->c, f->org, id, "bmV3", 2), CORE_OK);
    assert_int_equal(store_grievance_set_key(f->c, f->org2, id, "bmV3", 3), CORE_NOTFOUND);
    store_grievance *keys;
    size_t n;
    assert_int_equal(store_grievance_keys(f->c, &f->a, f->org, &keys, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(keys[0].key_version, 2);
    assert_int_equal(store_grievance_keys(f->c, &f->a, f->org2, &keys, &n), CORE_OK);
    assert_int_equal(n, 0);
    assert_int_equal(store_grievance_durable(f->c, 1), CORE_OK);
    assert_int_equal(store_grievance_durable(f->c, 0), CORE_OK);
    store_product p = {.org_id = f->org, .slug = "app", .name = "App", .kind = "product"};
    assert_int_equal(store_product_create(f->c, &p), CORE_OK);
    int64_t pid = 0;
    assert_int_equal(store_grievance_product_id(f->c, f->org, "app", &pid), CORE_OK);
    assert_int_equal(pid, p.id);
    assert_int_equal(store_grievance_product_id(f->c, f->org2, "app", &pid), CORE_NOTFOUND);
}

static void t_clocks_events(void **state)
{
    gfx *f = *state;
    int64_t id = mk_case(f, f->org, "G-CCCCCCCC", "h2", 1000);
    store_grievance_clock k = {id, "acknowledge", 1000, 1000 + 7 * 86400, 0, 0, 0, 0};
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &k), CORE_OK);
    assert_int_equal(store_grievance_clock_put(f->c, f->org2, &k), CORE_NOTFOUND);
    k.stopped_at = 5000;
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &k), CORE_OK);   /* upsert */
    store_grievance_clock k2 = {id, "feedback", 5000, 5000 + 90 * 86400, 6000, 0, 0, 0};
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &k2), CORE_OK);
    store_grievance_clock *ks;
    size_t n;
    assert_int_equal(store_grievance_clock_list(f->c, &f->a, f->org, id, &ks, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ks[0].kind, "acknowledge");
    assert_int_equal(ks[0].stopped_at, 5000);
    assert_int_equal(ks[1].paused_since, 6000);
    assert_int_equal(store_grievance_clock_list(f->c, &f->a, f->org2, id, &ks, &n), CORE_OK);
    assert_int_equal(n, 0);

    store_grievance_event e1 = {.case_id = id, .org_id = f->org, .at = 1000, .kind = "received",
                                .to_state = "received", .actor_kind = "complainant",
                                .public_key = "grv.state.received.public"};
    store_grievance_event e2 = {.case_id = id, .org_id = f->org, .at = 1100, .kind = "note",
                                .actor_kind = "staff", .actor_user_id = f->user, .internal = 1,
                                .enc_body = "bm90ZQ=="};
    assert_int_equal(store_grievance_event_add(f->c, &e1), CORE_OK);
    assert_int_equal(store_grievance_event_add(f->c, &e2), CORE_OK);
    store_grievance_event *ev;
    assert_int_equal(store_grievance_event_list(f->c, &f->a, f->org, id, 0, &ev, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_string_equal(ev[1].actor_name, "Handler One");
    assert_int_equal(ev[1].internal, 1);
    assert_null(ev[0].actor_name);
    assert_int_equal(store_grievance_event_list(f->c, &f->a, f->org, id, 1, &ev, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(ev[0].kind, "received");
    assert_int_equal(store_grievance_event_list(f->c, &f->a, f->org2, id, 0, &ev, &n), CORE_OK);
    assert_int_equal(n, 0);

    int yes = 1;
    assert_int_equal(store_grievance_recused(f->c, f->org, id, f->user, &yes), CORE_OK);
    assert_false(yes);
    assert_int_equal(store_grievance_recusal_add(f->c, f->org, id, f->user, 3000, "cmVhc29u"), CORE_OK);
    assert_int_equal(store_grievance_recusal_add(f->c, f->org, id, f->user, 3001, NULL), CORE_CONFLICT);
    assert_int_equal(store_grievance_recusal_add(f->c, f->org2, id, f->user2, 3001, NULL), CORE_NOTFOUND);
    assert_int_equal(store_grievance_recused(f->c, f->org, id, f->user, &yes), CORE_OK);
    assert_true(yes);
    assert_int_equal(store_grievance_recused(f->c, f->org2, id, f->user, &yes), CORE_OK);
    assert_false(yes);
    int64_t *ids;
    assert_int_equal(store_grievance_recusal_list(f->c, &f->a, f->org, id, &ids, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ids[0], f->user);
}

static void t_remedies_attachments(void **state)
{
    gfx *f = *state;
    int64_t id = mk_case(f, f->org, "G-DDDDDDDD", "h3", 1000);
    store_grievance_remedy r = {.case_id = id, .org_id = f->org, .type = "apology",
                                .state = "proposed", .enc_description = "ZGVzYw==",
                                .proposed_by = f->user, .proposed_at = 4000};
    assert_int_equal(store_grievance_remedy_add(f->c, &r), CORE_OK);
    r.state = "accepted";
    r.decided_at = 4500;
    r.enc_comment = "b2s=";
    assert_int_equal(store_grievance_remedy_update(f->c, &r), CORE_OK);
    store_grievance_remedy r2 = r;
    r2.org_id = f->org2;
    assert_int_equal(store_grievance_remedy_update(f->c, &r2), CORE_NOTFOUND);
    store_grievance_remedy *rs;
    size_t n;
    assert_int_equal(store_grievance_remedy_list(f->c, &f->a, f->org, id, &rs, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_string_equal(rs[0].state, "accepted");
    assert_string_equal(rs[0].enc_comment, "b2s=");
    assert_int_equal(rs[0].proposed_by, f->user);

    store_grievance_attachment t = {.case_id = id, .org_id = f->org, .mime = "image/png", .size = 10,
                                    .enc_data = "ZGF0YQ==", .uploaded_by = "complainant"};
    store_grievance_attachment t2 = {.case_id = id, .org_id = f->org, .mime = "text/plain", .size = 4,
                                     .enc_data = "bWVtbw==", .uploaded_by = "staff", .internal = 1};
    assert_int_equal(store_grievance_attachment_add(f->c, &t), CORE_OK);
    assert_int_equal(store_grievance_attachment_add(f->c, &t2), CORE_OK);
    assert_int_equal(store_grievance_attachment_set_event(f->c, f->org, t.id, 77), CORE_OK);
    assert_int_equal(store_grievance_attachment_set_event(f->c, f->org2, t.id, 78), CORE_NOTFOUND);
    store_grievance_attachment got, *ts;
    assert_int_equal(store_grievance_attachment_get(f->c, &f->a, f->org, id, t.id, &got), CORE_OK);
    assert_string_equal(got.enc_data, "ZGF0YQ==");
    assert_int_equal(got.event_id, 77);
    assert_int_equal(store_grievance_attachment_get(f->c, &f->a, f->org2, id, t.id, &got), CORE_NOTFOUND);
    assert_int_equal(store_grievance_attachment_list(f->c, &f->a, f->org, id, 0, &ts, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_null(ts[0].enc_data);
    assert_int_equal(store_grievance_attachment_list(f->c, &f->a, f->org, id, 1, &ts, &n), CORE_OK);
    assert_int_equal(n, 1);
    int64_t cnt = 0;
    assert_int_equal(store_grievance_attachment_count(f->c, f->org, id, &cnt), CORE_OK);
    assert_int_equal(cnt, 2);
}

static void t_collectives_policies(void **state)
{
    gfx *f = *state;
    store_collective k = {.org_id = f->org, .title = "Systemic", .wrapped_key = "a2V5",
                          .key_version = 1, .created_at = 100};
    assert_int_equal(store_collective_create(f->c, &k), CORE_OK);
    int64_t a = mk_case(f, f->org, "G-EEEEEEEE", "h4", 1000);
    int64_t b = mk_case(f, f->org, "G-FFFFFFFF", "h5", 1000);
    store_grievance g;
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, a, &g), CORE_OK);
    g.collective_id = k.id;
    assert_int_equal(store_grievance_update(f->c, &g), CORE_OK);
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, b, &g), CORE_OK);
    g.collective_id = k.id;
    assert_int_equal(store_grievance_update(f->c, &g), CORE_OK);
    int64_t *ids;
    size_t n;
    assert_int_equal(store_collective_members(f->c, &f->a, f->org, k.id, &ids, &n), CORE_OK);
    assert_int_equal(n, 2);
    assert_int_equal(store_collective_members(f->c, &f->a, f->org2, k.id, &ids, &n), CORE_OK);
    assert_int_equal(n, 0);
    store_collective got, *ks;
    assert_int_equal(store_collective_get(f->c, &f->a, f->org, k.id, &got), CORE_OK);
    assert_string_equal(got.title, "Systemic");
    assert_int_equal(store_collective_get(f->c, &f->a, f->org2, k.id, &got), CORE_NOTFOUND);
    assert_int_equal(store_collective_touch(f->c, f->org, k.id, 999), CORE_OK);
    assert_int_equal(store_collective_touch(f->c, f->org2, k.id, 999), CORE_NOTFOUND);
    assert_int_equal(store_collective_list(f->c, &f->a, f->org, &ks, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(ks[0].updated_at, 999);

    store_grievance_policy p;
    assert_int_equal(store_grievance_policy_get(f->c, f->org, &p), CORE_NOTFOUND);
    store_grievance_policy set = {3, 60, 183, 30, 60, 5, 10};
    assert_int_equal(store_grievance_policy_set(f->c, f->org, &set), CORE_OK);
    set.ack_days = 4;
    assert_int_equal(store_grievance_policy_set(f->c, f->org, &set), CORE_OK);
    assert_int_equal(store_grievance_policy_get(f->c, f->org, &p), CORE_OK);
    assert_int_equal(p.ack_days, 4);
    assert_int_equal(p.feedback_days, 60);
    assert_int_equal(p.due_soon_days, 5);
    assert_int_equal(store_grievance_policy_get(f->c, f->org2, &p), CORE_NOTFOUND);
}

static void set_case(gfx *f, int64_t id, const char *state, int priority, int severity,
                     int64_t assigned)
{
    store_grievance g;
    assert_int_equal(store_grievance_get(f->c, &f->a, f->org, id, &g), CORE_OK);
    g.state = state;
    g.priority = priority;
    g.severity = severity;
    g.assigned_user_id = assigned;
    assert_int_equal(store_grievance_update(f->c, &g), CORE_OK);
}

static void t_list(void **state)
{
    gfx *f = *state;
    int64_t a = mk_case(f, f->org, "G-GGGGGGG1", "l1", 1000);
    int64_t b = mk_case(f, f->org, "G-GGGGGGG2", "l2", 1000);
    int64_t c = mk_case(f, f->org, "G-GGGGGGG3", "l3", 1000);
    int64_t d = mk_case(f, f->org, "G-GGGGGGG4", "l4", 1000);
    mk_case(f, f->org2, "G-GGGGGGG5", "l5", 1000);
    set_case(f, a, "received", 3, 0, 0);
    set_case(f, b, "in_assessment", 1, 12, f->user);
    set_case(f, c, "closed", 2, 9, f->user);
    set_case(f, d, "received", 3, 0, 0);
    store_grievance_clock ka = {a, "acknowledge", 1000, 5000, 0, 0, 0, 0};
    store_grievance_clock kd = {d, "acknowledge", 1000, 3000, 0, 0, 0, 0};
    store_grievance_clock kb = {b, "feedback", 1000, 2000, 1500, 0, 0, 0};   /* paused */
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &ka), CORE_OK);
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &kd), CORE_OK);
    assert_int_equal(store_grievance_clock_put(f->c, f->org, &kb), CORE_OK);
    store_grievance *rows;
    size_t n;
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, NULL, &rows, &n), CORE_OK);
    assert_int_equal(n, 4);
    assert_int_equal(rows[0].id, b);   /* priority 1 */
    assert_int_equal(rows[1].id, c);   /* priority 2 */
    assert_int_equal(rows[2].id, d);   /* priority 3, due 3000 */
    assert_int_equal(rows[3].id, a);   /* priority 3, due 5000 */
    assert_int_equal(rows[2].next_due_at, 3000);
    assert_string_equal(rows[2].next_due_clock, "acknowledge");
    assert_null(rows[1].next_due_clock);
    assert_null(rows[0].enc_narrative);
    store_grievance_filter fl = {0};
    fl.open_only = 1;
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 3);
    memset(&fl, 0, sizeof fl);
    fl.state = "received";
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 2);
    memset(&fl, 0, sizeof fl);
    fl.unassigned = 1;
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 2);
    memset(&fl, 0, sizeof fl);
    fl.assigned_user_id = f->user;
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 2);
    memset(&fl, 0, sizeof fl);
    fl.due_before = 4000;              /* d is due at 3000; b's clock is paused */
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, d);
    memset(&fl, 0, sizeof fl);
    fl.limit = 2;
    fl.offset = 3;
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org, &fl, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
    assert_int_equal(rows[0].id, a);
    assert_int_equal(store_grievance_list(f->c, &f->a, f->org2, NULL, &rows, &n), CORE_OK);
    assert_int_equal(n, 1);
}

int main(void)
{
    static const te_def defs[] = {
        {"grievance cases", t_cases, NULL},
        {"grievance clocks_events_recusals", t_clocks_events, NULL},
        {"grievance remedies_attachments", t_remedies_attachments, NULL},
        {"grievance collectives_policies", t_collectives_policies, NULL},
        {"grievance list", t_list, NULL},
    };
    assert_int_equal(cry_init(), CORE_OK);
    return te_run("store_grievance", "hrdd_sgrv", defs, sizeof defs / sizeof defs[0], setup,
                  teardown);
}
