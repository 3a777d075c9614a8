/* test_review: regressions for defects found by the adversarial review of
 * the grievance mechanism (one SQLite store, the service with a small
 * throttle), kept apart from the main remedy suite.
 *
 *   throttle_ipv6: failed receipt lookups count against an IPv6 source's
 *   /64 (a subscriber holds a whole /64: counting single addresses let one
 *   guesser use 2^64 fresh sources); IPv4, plain or mapped, per address.
 */
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
#include "remedy/remedy.h"
#include "store/store.h"

typedef struct fx {
    char dir[64];
    char url[128];
    store *s;
    rmd_service *svc;
    core_arena a;
} fx;

static int setup(void **state)
{
    fx *f = calloc(1, sizeof *f);
    assert_non_null(f);
    snprintf(f->dir, sizeof f->dir, "/tmp/hrdd-review-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->url, sizeof f->url, "%s/test.db", f->dir);
    store_options so = {.url = f->url, .pool_size = 2, .busy_timeout_ms = 5000};
    assert_int_equal(store_open(&f->s, &so), CORE_OK);
    assert_int_equal(store_migrate(f->s, NULL, NULL), CORE_OK);
    store_conn *c;
    assert_int_equal(store_acquire(f->s, &c), CORE_OK);
    store_org o = {.slug = "acme", .name = "Acme", .kind = "company"};
    assert_int_equal(store_org_create(c, &o), CORE_OK);
    store_release(f->s, c);
    core_arena_init(&f->a);
    unsigned char root[CRY_SECRET_LEN];
    cry_random_bytes(root, sizeof root);
    rmd_options opt;
    rmd_options_defaults(&opt);
    opt.receipt_peer_max = 5;
    opt.receipt_global_max = 1000;
    assert_int_equal(rmd_open(&f->svc, f->s, root, &opt), CORE_OK);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fx *f = *state;
    rmd_close(f->svc);
    store_close(f->s);
    core_arena_cleanup(&f->a);
    const char *sfx[] = {"", "-wal", "-shm"};
    for (int i = 0; i < 3; i++) {
        char p[200];
        snprintf(p, sizeof p, "%s%s", f->url, sfx[i]);
        unlink(p);
    }
    rmdir(f->dir);
    free(f);
    return 0;
}

static int open_as(fx *f, const char *receipt, const char *addr)
{
    rmd_peer q = {addr, 0};
    rmd_case_public p;
    return rmd_receipt_open(f->svc, &f->a, receipt, &q, 0, &p);
}

static void t_throttle_ipv6(void **state)
{
    fx *f = *state;
    grv_intake in = {.narrative = "Throttle IPv6 case", .contact_preference = "anonymous"};
    rmd_filed out;
    grv_error err;
    assert_int_equal(rmd_file(f->svc, &f->a, 0, &in, NULL, &out, &err), CORE_OK);
    const char *wrong = "AAAAA-AAAAA-AAAAA-AAAAA";
    for (int i = 0; i < 5; i++) {
        char addr[64];
        snprintf(addr, sizeof addr, "2001:db8:7:9::%x", i + 1);
        assert_int_equal(open_as(f, wrong, addr), CORE_NOTFOUND);
    }
    /* another address of the same /64 is the same source */
    assert_int_equal(open_as(f, wrong, "2001:db8:7:9:abcd:1234:5678:9abc"), CORE_BUSY);
    /* a valid receipt still works from there */
    assert_int_equal(open_as(f, out.receipt, "2001:db8:7:9:abcd:1234:5678:9abc"), CORE_OK);
    /* the next /64 is another source */
    assert_int_equal(open_as(f, wrong, "2001:db8:7:a::1"), CORE_NOTFOUND);
    /* IPv4, plain or mapped, counts per address */
    for (int i = 0; i < 5; i++)
        assert_int_equal(open_as(f, wrong, "192.0.2.77"), CORE_NOTFOUND);
    assert_int_equal(open_as(f, wrong, "192.0.2.77"), CORE_BUSY);
    assert_int_equal(open_as(f, wrong, "192.0.2.78"), CORE_NOTFOUND);
    assert_int_equal(open_as(f, wrong, "::ffff:192.0.2.79"), CORE_NOTFOUND);
}

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(t_throttle_ipv6, setup, teardown),
    };
    return cmocka_run_group_tests_name("remedy_review", tests, NULL, NULL);
}
