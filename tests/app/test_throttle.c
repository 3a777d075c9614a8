/* app throttle suite: the in-memory failed-login limiter on its own (sliding
 * window per key, the global limit, independence of kinds and keys, a full
 * table), without server or database. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

#include <cmocka.h>

#include "app/app_internal.h"

static app_throttle *mk(int peer_max, int64_t peer_win, int acct_max, int64_t acct_win, int global_max)
{
    app_config c;
    app_config_defaults(&c);
    c.login_peer_max = peer_max;
    c.login_peer_window_s = peer_win;
    c.login_max_failures = acct_max;
    c.login_lock_s = acct_win;
    c.login_global_max = global_max;
    c.login_global_window_s = 60;
    unsigned char secret[CRY_SECRET_LEN] = { 1, 2, 3 };
    app_throttle *t = NULL;
    assert_int_equal(app_throttle_new(&t, &c, secret), CORE_OK);
    return t;
}

static void test_window(void **state)
{
    (void)state;
    app_throttle *t = mk(3, 100, 5, 100, 1000);
    int64_t now = 1000;
    for (int i = 0; i < 3; i++) {
        assert_false(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", now));
        app_throttle_fail(t, APP_THR_PEER, "10.0.0.1", now);
    }
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", now));
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", now + 80));
    /* other keys and the other kind are unaffected */
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.2", now));
    assert_false(app_throttle_blocked(t, APP_THR_ACCOUNT, "10.0.0.1", now));
    /* the window slides: failures age out */
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", now + 101));
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", now + 250));
    /* a clock that jumps back starts over rather than blocking forever */
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "10.0.0.1", 10));
    app_throttle_free(t);
}

static void test_sliding_not_fixed(void **state)
{
    (void)state;
    /* failures count for (nearly) the whole window after they happen, wherever
     * they fall: no fixed boundary at which everything is forgotten at once */
    app_throttle *t = mk(4, 100, 5, 100, 1000);
    app_throttle_fail(t, APP_THR_PEER, "p", 10);
    for (int i = 0; i < 3; i++) app_throttle_fail(t, APP_THR_PEER, "p", 95);
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "p", 99));
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "p", 101));
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "p", 160));
    app_throttle_free(t);
}

static void test_global(void **state)
{
    (void)state;
    app_throttle *t = mk(1000, 100, 1000, 100, 20);
    char key[32];
    for (int i = 0; i < 20; i++) {
        snprintf(key, sizeof key, "192.0.2.%d", i);
        app_throttle_fail(t, APP_THR_PEER, key, 500);
    }
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "198.51.100.7", 500));
    assert_true(app_throttle_blocked(t, APP_THR_ACCOUNT, "someone@example.org", 500));
    assert_false(app_throttle_blocked(t, APP_THR_PEER, "198.51.100.7", 500 + 121));
    app_throttle_free(t);
}

static void test_full_table(void **state)
{
    (void)state;
    /* far more keys than slots: no crash, and a fresh heavy hitter is still caught */
    app_throttle *t = mk(5, 1000, 5, 1000, 1000000);
    char key[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        app_throttle_fail(t, APP_THR_PEER, key, 1000 + i / 1000);
    }
    for (int i = 0; i < 5; i++) app_throttle_fail(t, APP_THR_PEER, "attacker", 1030);
    assert_true(app_throttle_blocked(t, APP_THR_PEER, "attacker", 1030));
    app_throttle_free(t);
}

int main(void)
{
    assert_int_equal(cry_init(), CORE_OK);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_sliding_not_fixed),
        cmocka_unit_test(test_global),
        cmocka_unit_test(test_full_table),
    };
    return cmocka_run_group_tests_name("app_throttle", tests, NULL, NULL);
}
