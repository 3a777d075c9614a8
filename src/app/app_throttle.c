/* app_throttle: in-memory limiter of failed logins.
 *
 * A fixed table of APP_THR_SLOTS entries, each a sliding window cut into
 * APP_THR_BUCKETS buckets of window/APP_THR_BUCKETS seconds: a failure counts
 * until its bucket slides out, so for between 15/16 of the window and the
 * whole window, never longer (no fixed-window reset an attacker could time).
 * Keys are the first 8 bytes of a keyed BLAKE2b of "<kind>:<value>" with the
 * server secret, so the table never holds a peer address or e-mail in the
 * clear and nobody can aim collisions at it. Slots are found by short linear
 * probing; when all probed slots are busy the stalest one is reused. One
 * global counter limits failures over all peers. One mutex guards everything:
 * the critical sections are a few dozen instructions.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "app/app_internal.h"

#define APP_THR_SLOTS 4096
#define APP_THR_PROBE 8
#define APP_THR_BUCKETS 16

typedef struct thr_counter {
    uint64_t key;            /* 0 = free */
    int64_t last;            /* absolute index (time / width) of the newest bucket */
    uint32_t n[APP_THR_BUCKETS];
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

static int64_t thr_width(int64_t window)
{
    int64_t w = window / APP_THR_BUCKETS;
    return w > 0 ? w : 1;
}

/* Slides the counter forward to now, dropping buckets that left the window. */
static void thr_roll(thr_counter *c, int64_t window, int64_t now)
{
    int64_t idx = (now > 0 ? now : 0) / thr_width(window);
    if (idx < c->last || idx - c->last >= APP_THR_BUCKETS) {   /* clock went back, or all stale */
        memset(c->n, 0, sizeof c->n);
    } else {
        for (int64_t i = c->last + 1; i <= idx; i++) c->n[i % APP_THR_BUCKETS] = 0;
    }
    c->last = idx;
}

static uint64_t thr_sum(const thr_counter *c)
{
    uint64_t s = 0;
    for (int i = 0; i < APP_THR_BUCKETS; i++) s += c->n[i];
    return s;
}

static void thr_add(thr_counter *c)
{
    uint32_t *b = &c->n[c->last % APP_THR_BUCKETS];
    if (*b < UINT32_MAX) (*b)++;
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
        } else if (!victim || (victim->key != 0 && c->last < victim->last)) {
            victim = c;                                        /* else the stalest */
        }
    }
    if (!create) return NULL;
    memset(victim, 0, sizeof *victim);
    victim->key = key;
    (void)now;
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
        if (thr_sum(&t->global) >= (uint64_t)t->global_max) blocked = 1;
    }
    if (!blocked && t->max[kind] > 0) {
        thr_counter *c = thr_find(t, k, 0, now);
        if (c) {
            thr_roll(c, t->window[kind], now);
            if (thr_sum(c) >= (uint64_t)t->max[kind]) blocked = 1;
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
    thr_add(&t->global);
    thr_counter *c = thr_find(t, k, 1, now);
    thr_roll(c, t->window[kind], now);
    thr_add(c);
    pthread_mutex_unlock(&t->mu);
}
