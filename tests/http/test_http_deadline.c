/* Unit test of http_deadline (the request-head deadline against slowloris):
 * a connection waiting for its request head past the deadline is shut down
 * (its peer reads end of file), one that is handling a request is not, one
 * whose request finished gets a fresh deadline, one receiving a body earns
 * one second per 256 bytes, and removed entries are never touched again. Socket pairs stand in for client connections.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "http/http.h"
#include "http/http_internal.h"

static void nap_ms(long ms)
{
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {
    }
}

/* 1 when the peer of a shut-down socket reads end of file right away. */
static int peer_closed(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    if (poll(&p, 1, 0) != 1) return 0;
    char c;
    return read(fd, &c, 1) == 0;
}

static void test_deadline(void **state)
{
    (void)state;
    int idle[2], busy[2], done[2], gone[2], body[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, idle), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, busy), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, done), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, gone), 0);
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, body), 0);
    http_deadline *d = NULL;
    assert_int_equal(http_deadline_start(&d, 0), CORE_INVALID);
    assert_int_equal(http_deadline_start(&d, 1), CORE_OK);
    http_dl_conn *ci = http_deadline_add(d, idle[0]);
    http_dl_conn *cb = http_deadline_add(d, busy[0]);
    http_dl_conn *cd = http_deadline_add(d, done[0]);
    http_dl_conn *cg = http_deadline_add(d, gone[0]);
    http_dl_conn *cy = http_deadline_add(d, body[0]);
    assert_non_null(cy);
    http_deadline_progress(d, cy, 512);  /* 2 s more: cut at 3 s */
    assert_non_null(ci);
    assert_non_null(cb);
    assert_non_null(cd);
    assert_non_null(cg);
    http_deadline_busy(d, cb, 1);
    http_deadline_busy(d, cd, 1);
    http_deadline_remove(d, cg);        /* removed: never shut down */
    nap_ms(700);
    http_deadline_busy(d, cd, 0);       /* request done at 0.7 s: a new deadline at 1.7 s */
    nap_ms(700);                        /* 1.4 s */
    assert_true(peer_closed(idle[1]));
    assert_false(peer_closed(busy[1]));
    assert_false(peer_closed(done[1]));
    assert_false(peer_closed(gone[1]));
    assert_int_equal(http_deadline_cut(d), 1);
    nap_ms(700);                        /* 2.1 s */
    assert_true(peer_closed(done[1]));
    assert_false(peer_closed(busy[1]));
    assert_false(peer_closed(body[1]));
    assert_int_equal(http_deadline_cut(d), 2);
    nap_ms(1200);                       /* 3.3 s */
    assert_true(peer_closed(body[1]));
    assert_int_equal(http_deadline_cut(d), 3);
    http_deadline_remove(d, cy);
    http_deadline_remove(d, ci);
    http_deadline_remove(d, cd);
    http_deadline_stop(d);              /* frees the entry still listed (cb) */
    http_deadline_stop(NULL);
    assert_null(http_deadline_add(NULL, 3));
    for (int i = 0; i < 2; i++) {
        close(idle[i]);
        close(busy[i]);
        close(done[i]);
        close(gone[i]);
        close(body[i]);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_deadline),
    };
    return cmocka_run_group_tests_name("http_deadline", tests, NULL, NULL);
}
