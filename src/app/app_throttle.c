/* app_throttle: in-memory limiter of failed logins.
 *
 * A fixed table of APP_THR_SLOTS entries, each a sliding-window counter
 * (current and previous fixed window, the previous one weighted by how much of
 * it still overlaps the sliding window: the usual approximation). Keys are
 * the first 8 bytes of a keyed BLAKE2b of "<kind>:<value>" with the server
 * secret, so the table never holds a peer address or e-mail in the clear and
 * nobody can aim collisions at it. Slots are found by short linear probing;
 * when all probed slots are busy the stalest one is reused. One global
 * counter limits failures over all peers. One mutex guards everything: the
 * critical sections are a few dozen instructions.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_internal.h"

#define APP_THR_SLOTS 4096
#define APP_THR_PROBE 8

typedef struct thr_counter {
    uint64_t key;            /* 0 = free */
    int64_t win_start;       /* start of the current fixed window */
    double cur, prev;        /* failures in the current and previous window */
} thr_counter;

struct app_throttle {
    pthread_mutex_t mu;
    unsigned char secret[CRY_SECRET_LEN];
    int max[2];
    int64_t window[2];
    int global_max;
    int64_t global_window;
    thr_counter global;
    thr_counter slots[APP_THR_SLOTS];
};

int app_throttle_new(app_throttle **out, const app_config *cfg, const unsigned char secret[CRY_SECRET_LEN])
{
    app_throttle *t = calloc(1, sizeof *t);
    if (!t) return CORE_NOMEM;
    if (pthread_mutex_init(&t->mu, NULL) != 0) {
        free(t);
        return CORE_ERR;
    }
    memcpy(t->secret, secret, CRY_SECRET_LEN);
    t->max[APP_THR_PEER] = cfg->login_peer_max;
    t->window[APP_THR_PEER] = cfg->login_peer_window_s;
    t->max[APP_THR_ACCOUNT] = cfg->login_max_failures;
    t->window[APP_THR_ACCOUNT] = cfg->login_lock_s;
    t->global_max = cfg->login_global_max;
    t->global_window = cfg->login_global_window_s;
    *out = t;
    return CORE_OK;
}

void app_throttle_free(app_throttle *t)
{
    if (!t) return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}

static uint64_t thr_key(const app_throttle *t, int kind, const char *value)
{
    char hex[CRY_HASH_HEX_LEN + 1];
    char buf[600];
    int n = snprintf(buf, sizeof buf, "%d:%s", kind, value ? value : "");
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof buf) n = (int)sizeof buf - 1;
    cry_keyed_hash_hex(t->secret, buf, (size_t)n, hex);
    uint64_t k = 0;
    for (int i = 0; i < 16; i++) {
        char c = hex[i];
        unsigned v = (c >= '0' && c <= '9') ? (unsigned)(c - '0') : (unsigned)(c - 'a' + 10);
        k = (k << 4) | (v & 15u);
    }
    return k ? k : 1;   /* 0 marks a free slot */
}

/* Moves the counter's windows forward to now. */
static void thr_roll(thr_counter *c, int64_t window, int64_t now)
{
    if (window <= 0) window = 1;
    if (now < c->win_start) {          /* clock went back: start over */
        c->win_start = now;
        c->cur = c->prev = 0;
        return;
    }
    int64_t elapsed = now - c->win_start;
    if (elapsed >= 2 * window) {
        c->prev = 0;
        c->cur = 0;
        c->win_start = now - (elapsed % window);
    } else if (elapsed >= window) {
        c->prev = c->cur;
        c->cur = 0;
        c->win_start += window;
    }
}

static double thr_rate(const thr_counter *c, int64_t window, int64_t now)
{
    if (window <= 0) window = 1;
    double into = (double)(now - c->win_start) / (double)window;
    if (into < 0) into = 0;
    if (into > 1) into = 1;
    return c->prev * (1.0 - into) + c->cur;
}

/* Finds the slot for key; creates it when create is set (else NULL if absent). */
static thr_counter *thr_find(app_throttle *t, uint64_t key, int create, int64_t now)
{
    size_t base = (size_t)(key % APP_THR_SLOTS);
    thr_counter *victim = NULL;
    for (size_t i = 0; i < APP_THR_PROBE; i++) {
        thr_counter *c = &t->slots[(base + i) % APP_THR_SLOTS];
        if (c->key == key) return c;
        if (c->key == 0) {
            if (!victim || victim->key != 0) victim = c;       /* prefer a free slot */
        } else if (!victim || (victim->key != 0 && c->win_start < victim->win_start)) {
            victim = c;                                        /* else the stalest */
        }
    }
    if (!create) return NULL;
    victim->key = key;
    victim->win_start = now;
    victim->cur = victim->prev = 0;
    return victim;
}

int app_throttle_blocked(app_throttle *t, int kind, const char *key, int64_t now)
{
    if (!t || (kind != APP_THR_PEER && kind != APP_THR_ACCOUNT)) return 0;
    uint64_t k = thr_key(t, kind, key);
    int blocked = 0;
    pthread_mutex_lock(&t->mu);
    if (t->global_max > 0) {
        thr_roll(&t->global, t->global_window, now);
        if (thr_rate(&t->global, t->global_window, now) >= (double)t->global_max) blocked = 1;
    }
    if (!blocked && t->max[kind] > 0) {
        thr_counter *c = thr_find(t, k, 0, now);
        if (c) {
            thr_roll(c, t->window[kind], now);
            if (thr_rate(c, t->window[kind], now) >= (double)t->max[kind]) blocked = 1;
        }
    }
    pthread_mutex_unlock(&t->mu);
    return blocked;
}

void app_throttle_fail(app_throttle *t, int kind, const char *key, int64_t now)
{
    if (!t || (kind != APP_THR_PEER && kind != APP_THR_ACCOUNT)) return;
    uint64_t k = thr_key(t, kind, key);
    pthread_mutex_lock(&t->mu);
    thr_roll(&t->global, t->global_window, now);
    t->global.cur += 1;
    thr_counter *c = thr_find(t, k, 1, now);
    thr_roll(c, t->window[kind], now);
    c->cur += 1;
    pthread_mutex_unlock(&t->mu);
}
