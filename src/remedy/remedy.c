/* remedy: the service object, its per-organisation cache, the receipt
 * throttle, the time-limit policy and key rotation.
 *
 * The cache keeps, per organisation, the time-limit policy and the current
 * KEK version for RMD_CACHE_TTL_S seconds, so that filing a grievance does
 * not re-read them every time (a policy set through this process is seen at
 * once; one set by another process within the TTL).
 *
 * The throttle counts FAILED receipt lookups only: per source (a keyed
 * BLAKE2b of the peer address under a per-process random key, first 8 bytes,
 * so no address is ever held in the clear; an IPv6 source is its /64) and
 * over all sources. A fixed table of slots, each a window cut into buckets;
 * when probing finds no slot the stalest is reused. One mutex; the critical section is tiny.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "remedy/rmd_internal.h"

#define THR_SLOTS 4096
#define THR_PROBE 8
#define THR_BUCKETS 16
#define KEK_SETTING "grievance.kek_version."

static int64_t default_now(void)
{
    return (int64_t)time(NULL);
}

void rmd_options_defaults(rmd_options *o)
{
    memset(o, 0, sizeof *o);
    o->now = default_now;
    o->receipt_peer_max = 10;
    o->receipt_peer_window_s = 900;
    o->receipt_global_max = 1000;
    o->receipt_global_window_s = 60;
    o->max_attachment_bytes = 5u * 1024u * 1024u;
    o->max_attachments_per_case = 20;
    o->durable_intake = 1;
    o->mail_from = "hrdd@localhost";
}

/* ---- throttle ---- */

typedef struct thr_counter {
    uint64_t key;                    /* 0 = free */
    int64_t last;                    /* index of the newest bucket (time / width) */
    uint32_t n[THR_BUCKETS];
} thr_counter;

struct rmd_throttle {
    pthread_mutex_t mu;
    unsigned char key[32];
    int peer_max, global_max;
    int64_t peer_window, global_window;
    thr_counter global;
    thr_counter slots[THR_SLOTS];
};

int rmd_throttle_new(rmd_throttle **out, const rmd_options *o)
{
    rmd_throttle *t = calloc(1, sizeof *t);
    if (!t)
        return CORE_NOMEM;
    if (pthread_mutex_init(&t->mu, NULL) != 0) {
        free(t);
        return CORE_ERR;
    }
    cry_random_bytes(t->key, sizeof t->key);
    t->peer_max = o->receipt_peer_max;
    t->global_max = o->receipt_global_max;
    t->peer_window = o->receipt_peer_window_s > 0 ? o->receipt_peer_window_s : 900;
    t->global_window = o->receipt_global_window_s > 0 ? o->receipt_global_window_s : 60;
    *out = t;
    return CORE_OK;
}

void rmd_throttle_free(rmd_throttle *t)
{
    if (!t)
        return;
    pthread_mutex_destroy(&t->mu);
    free(t);
}

/* Slides the counter to now and returns the count over the window. */
static uint32_t thr_slide(thr_counter *c, int64_t now, int64_t window)
{
    int64_t width = window / THR_BUCKETS;
    if (width < 1)
        width = 1;
    int64_t idx = now / width;
    int64_t gap = idx - c->last;
    if (gap >= THR_BUCKETS || gap < 0) {
        memset(c->n, 0, sizeof c->n);
    } else {
        for (int64_t i = 1; i <= gap; i++)
            c->n[(c->last + i) % THR_BUCKETS] = 0;
    }
    c->last = idx;
    uint32_t sum = 0;
    for (int i = 0; i < THR_BUCKETS; i++)
        sum += c->n[i];
    return sum;
}

static int64_t thr_retry(const thr_counter *c, int64_t now, int64_t window)
{
    /* The oldest non-empty bucket leaves the window at its end. */
    int64_t width = window / THR_BUCKETS;
    if (width < 1)
        width = 1;
    for (int64_t i = c->last - THR_BUCKETS + 1; i <= c->last; i++) {
        if (c->n[((i % THR_BUCKETS) + THR_BUCKETS) % THR_BUCKETS]) {
            int64_t r = (i + THR_BUCKETS) * width - now;
            return r > 0 ? r : 1;
        }
    }
    return width;
}

static thr_counter *thr_slot(rmd_throttle *t, uint64_t key, int64_t now)
{
    size_t base = (size_t)(key % THR_SLOTS);
    thr_counter *stalest = NULL;
    for (int i = 0; i < THR_PROBE; i++) {
        thr_counter *c = &t->slots[(base + (size_t)i) % THR_SLOTS];
        if (c->key == key)
            return c;
        if (c->key == 0 || !stalest || c->last < stalest->last)
            stalest = c;
        if (c->key == 0)
            break;
    }
    memset(stalest, 0, sizeof *stalest);
    stalest->key = key;
    stalest->last = now;
    return stalest;
}

int rmd_throttle_fail(rmd_throttle *t, const char *peer, int64_t now, int64_t *retry_after)
{
    const char *p = peer ? peer : "";
    char hex[CRY_HASH_HEX_LEN + 1];
    /* An IPv6 source is its /64: one subscriber holds a whole /64, and
     * counting single addresses would hand a guesser 2^64 fresh sources.
     * IPv4 (plain or mapped) counts per address. */
    struct in6_addr a6;
    if (inet_pton(AF_INET6, p, &a6) == 1 && !IN6_IS_ADDR_V4MAPPED(&a6)) {
        unsigned char net[9] = {'6'};
        memcpy(net + 1, a6.s6_addr, 8);
        cry_keyed_hash_hex(t->key, net, sizeof net, hex);
    } else {
        cry_keyed_hash_hex(t->key, p, strlen(p), hex);
    }
    uint64_t key = 0;
    for (int i = 0; i < 16; i++) {
        char ch = hex[i];
        unsigned v = (ch >= '0' && ch <= '9') ? (unsigned)(ch - '0') : (unsigned)(ch - 'a' + 10);
        key = (key << 4) | (v & 15u);
    }
    if (key == 0)
        key = 1;
    int rc = CORE_NOTFOUND;
    pthread_mutex_lock(&t->mu);
    thr_counter *c = thr_slot(t, key, now);
    uint32_t np = thr_slide(c, now, t->peer_window);
    uint32_t ng = thr_slide(&t->global, now, t->global_window);
    int64_t width_p = t->peer_window / THR_BUCKETS, width_g = t->global_window / THR_BUCKETS;
    if (width_p < 1)
        width_p = 1;
    if (width_g < 1)
        width_g = 1;
    if (t->peer_max > 0 && np >= (uint32_t)t->peer_max) {
        rc = CORE_BUSY;
        *retry_after = thr_retry(c, now, t->peer_window);
    } else if (t->global_max > 0 && ng >= (uint32_t)t->global_max) {
        rc = CORE_BUSY;
        *retry_after = thr_retry(&t->global, now, t->global_window);
    }
    /* Count this failure (throttled ones too: a source that keeps guessing
     * stays throttled). */
    c->n[c->last % THR_BUCKETS]++;
    t->global.n[t->global.last % THR_BUCKETS]++;
    pthread_mutex_unlock(&t->mu);
    return rc;
}

/* ---- service ---- */

int rmd_open(rmd_service **out, store *st, const unsigned char root[CRY_SECRET_LEN],
             const rmd_options *opt)
{
    if (!out || !st || !root)
        return CORE_INVALID;
    if (cry_init() != CORE_OK)
        return CORE_ERR;
    rmd_service *svc = calloc(1, sizeof *svc);
    if (!svc)
        return CORE_NOMEM;
    rmd_options_defaults(&svc->opt);
    if (opt) {
        svc->opt = *opt;
        rmd_options d;
        rmd_options_defaults(&d);
        if (!svc->opt.now)
            svc->opt.now = d.now;
        if (!svc->opt.max_attachment_bytes)
            svc->opt.max_attachment_bytes = d.max_attachment_bytes;
        if (!svc->opt.max_attachments_per_case)
            svc->opt.max_attachments_per_case = d.max_attachments_per_case;
        if (!svc->opt.receipt_peer_window_s)
            svc->opt.receipt_peer_window_s = d.receipt_peer_window_s;
        if (!svc->opt.receipt_global_window_s)
            svc->opt.receipt_global_window_s = d.receipt_global_window_s;
        if (!svc->opt.mail_from)
            svc->opt.mail_from = d.mail_from;
    }
    svc->st = st;
    memcpy(svc->root, root, CRY_SECRET_LEN);
    if (cry_kdf_subkey(root, 1, "hrddrcpt", svc->receipt_key) != CORE_OK ||
        pthread_mutex_init(&svc->mu, NULL) != 0) {
        free(svc);
        return CORE_ERR;
    }
    int rc = rmd_throttle_new(&svc->thr, &svc->opt);
    if (rc == CORE_OK && (rc = rmd_group_new(&svc->group)) != CORE_OK)
        rmd_throttle_free(svc->thr);
    if (rc != CORE_OK) {
        pthread_mutex_destroy(&svc->mu);
        free(svc);
        return rc;
    }
    *out = svc;
    return CORE_OK;
}

void rmd_close(rmd_service *svc)
{
    if (!svc)
        return;
    rmd_throttle_free(svc->thr);
    rmd_group_free(svc->group);
    pthread_mutex_destroy(&svc->mu);
    sodium_memzero(svc->root, sizeof svc->root);
    sodium_memzero(svc->receipt_key, sizeof svc->receipt_key);
    free(svc);
}

int64_t rmd_now(const rmd_service *svc)
{
    return svc->opt.now();
}

const rmd_options *rmd_options_of(const rmd_service *svc)
{
    return &svc->opt;
}

store *rmd_store(rmd_service *svc)
{
    return svc->st;
}

int rmd_may(const rmd_actor *actor, core_perm perm)
{
    return actor && actor->org_id > 0 && core_authz_allows(actor->role, perm);
}

static void policy_from_row(const store_grievance_policy *r, grv_policy *p)
{
    p->ack_days = r->ack_days;
    p->feedback_days = r->feedback_days;
    p->moderation_window_days = r->moderation_window_days;
    p->dsr_days = r->dsr_days;
    p->dsr_extension_days = r->dsr_extension_days;
    p->due_soon_days = r->due_soon_days;
}

int rmd_org_info(rmd_service *svc, store_conn *c, int64_t org_id, grv_policy *p,
                 int64_t *kek_version)
{
    if (org_id <= 0)
        return CORE_NOTFOUND;
    int64_t now = (int64_t)time(NULL);
    size_t slot = (size_t)org_id % RMD_CACHE_SLOTS;
    pthread_mutex_lock(&svc->mu);
    rmd_org_cache e = svc->cache[slot];
    pthread_mutex_unlock(&svc->mu);
    if (e.org_id == org_id && now - e.fetched_at < RMD_CACHE_TTL_S && now >= e.fetched_at) {
        if (p)
            *p = e.policy;
        if (kek_version)
            *kek_version = e.kek_version;
        return CORE_OK;
    }
    core_arena a;
    core_arena_init(&a);
    store_org o;
    int rc = store_org_get(c, &a, org_id, &o);
    if (rc == CORE_OK) {
        memset(&e, 0, sizeof e);
        e.org_id = org_id;
        e.fetched_at = now;
        grv_policy_defaults(&e.policy);
        store_grievance_policy r;
        int prc = store_grievance_policy_get(c, org_id, &r);
        if (prc == CORE_OK)
            policy_from_row(&r, &e.policy);
        else if (prc != CORE_NOTFOUND)
            rc = prc;
        char key[64];
        snprintf(key, sizeof key, KEK_SETTING "%lld", (long long)org_id);
        const char *v = NULL;
        e.kek_version = 1;
        int vrc = rc == CORE_OK ? store_setting_get(c, &a, key, &v) : CORE_OK;
        int64_t ver = 0;
        if (vrc == CORE_OK && v && core_parse_int64(v, &ver) == CORE_OK && ver > 0)
            e.kek_version = ver;
        else if (vrc != CORE_OK && vrc != CORE_NOTFOUND)
            rc = vrc;
    }
    core_arena_cleanup(&a);
    if (rc != CORE_OK)
        return rc;
    pthread_mutex_lock(&svc->mu);
    svc->cache[slot] = e;
    pthread_mutex_unlock(&svc->mu);
    if (p)
        *p = e.policy;
    if (kek_version)
        *kek_version = e.kek_version;
    return CORE_OK;
}

void rmd_org_forget(rmd_service *svc, int64_t org_id)
{
    size_t slot = (size_t)(org_id > 0 ? org_id : 0) % RMD_CACHE_SLOTS;
    pthread_mutex_lock(&svc->mu);
    if (svc->cache[slot].org_id == org_id)
        memset(&svc->cache[slot], 0, sizeof svc->cache[slot]);
    pthread_mutex_unlock(&svc->mu);
}

int rmd_first_org(rmd_service *svc, store_conn *c, int64_t *org_id)
{
    pthread_mutex_lock(&svc->mu);
    int64_t id = svc->first_org;
    pthread_mutex_unlock(&svc->mu);
    if (id > 0) {
        *org_id = id;
        return CORE_OK;
    }
    core_arena a;
    core_arena_init(&a);
    store_org o;
    int rc = store_org_first(c, &a, &o);
    core_arena_cleanup(&a);
    if (rc != CORE_OK)
        return rc;
    pthread_mutex_lock(&svc->mu);
    svc->first_org = o.id;
    pthread_mutex_unlock(&svc->mu);
    *org_id = o.id;
    return CORE_OK;
}

/* ---- policy ---- */

int rmd_policy_public(rmd_service *svc, int64_t org_id, grv_policy *out)
{
    store_conn *c;
    int rc = store_acquire(svc->st, &c);
    if (rc != CORE_OK)
        return rc;
    if (org_id == 0)
        rc = rmd_first_org(svc, c, &org_id);
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, c, org_id, out, NULL);
    store_release(svc->st, c);
    return rc;
}

int rmd_policy_get(rmd_service *svc, const rmd_actor *actor, grv_policy *out)
{
    if (!rmd_may(actor, CORE_PERM_CASES_READ) && !rmd_may(actor, CORE_PERM_STATS_READ))
        return CORE_DENIED;
    return rmd_policy_public(svc, actor->org_id, out);
}

static int days_ok(int v, int lo, int hi)
{
    return v >= lo && v <= hi;
}

int rmd_policy_set(rmd_service *svc, core_arena *a, const rmd_actor *actor, const grv_policy *p)
{
    if (!rmd_may(actor, CORE_PERM_ORG_MANAGE))
        return CORE_DENIED;
    if (!p || !days_ok(p->ack_days, 1, 365) || !days_ok(p->feedback_days, 1, 730) ||
        !days_ok(p->moderation_window_days, 1, 3650) || !days_ok(p->dsr_days, 1, 365) ||
        !days_ok(p->dsr_extension_days, 0, 365) || !days_ok(p->due_soon_days, 0, 90))
        return CORE_INVALID;
    store_conn *c;
    int rc = store_acquire(svc->st, &c);
    if (rc != CORE_OK)
        return rc;
    int64_t now = rmd_now(svc);
    store_grievance_policy r = {p->ack_days, p->feedback_days, p->moderation_window_days,
                                p->dsr_days, p->dsr_extension_days, p->due_soon_days, now};
    rc = store_begin(c);
    if (rc == CORE_OK)
        rc = store_grievance_policy_set(c, actor->org_id, &r);
    if (rc == CORE_OK) {
        store_audit_entry e = {0};
        e.at = now;
        e.org_id = actor->org_id;
        e.actor_user_id = actor->user_id;
        e.actor = actor->label ? actor->label : "system";
        e.object_type = "grievance_policy";
        e.object_id = core_arena_printf(a, "%lld", (long long)actor->org_id);
        e.action = "update";
        rc = e.object_id ? store_audit_append(c, a, &e) : CORE_NOMEM;
    }
    if (rc == CORE_OK)
        rc = store_commit(c);
    else
        store_rollback(c);
    store_release(svc->st, c);
    rmd_org_forget(svc, actor->org_id);
    return rc;
}

/* ---- key rotation ---- */

int rmd_rotate_keys(rmd_service *svc, core_arena *a, const rmd_actor *actor, int64_t *rewrapped)
{
    if (!rmd_may(actor, CORE_PERM_ORG_MANAGE))
        return CORE_DENIED;
    if (rewrapped)
        *rewrapped = 0;
    store_conn *c;
    int rc = store_acquire(svc->st, &c);
    if (rc != CORE_OK)
        return rc;
    rmd_org_forget(svc, actor->org_id);
    int64_t cur = 1, n = 0;
    rc = store_begin(c);
    if (rc == CORE_OK)
        rc = rmd_org_info(svc, c, actor->org_id, NULL, &cur);
    int64_t next = cur + 1;
    store_grievance *rows = NULL;
    size_t nrows = 0;
    if (rc == CORE_OK)
        rc = store_grievance_keys(c, a, actor->org_id, &rows, &nrows);
    for (size_t i = 0; rc == CORE_OK && i < nrows; i++) {
        unsigned char key[32];
        char w[CRY_WRAPPED_KEY_LEN + 1];
        rc = rmd_unwrap_key(svc, actor->org_id, rows[i].key_version, rows[i].reference,
                            rows[i].wrapped_key, key);
        if (rc == CORE_OK)
            rc = rmd_wrap_key(svc, actor->org_id, next, rows[i].reference, key, w);
        if (rc == CORE_OK)
            rc = store_grievance_set_key(c, actor->org_id, rows[i].id, w, next);
        memset(key, 0, sizeof key);
        n++;
    }
    if (rc == CORE_OK) {
        char k[64], v[24];
        snprintf(k, sizeof k, KEK_SETTING "%lld", (long long)actor->org_id);
        snprintf(v, sizeof v, "%lld", (long long)next);
        rc = store_setting_set(c, k, v);
    }
    if (rc == CORE_OK) {
        store_audit_entry e = {0};
        e.at = rmd_now(svc);
        e.org_id = actor->org_id;
        e.actor_user_id = actor->user_id;
        e.actor = actor->label ? actor->label : "system";
        e.object_type = "grievance_keys";
        e.object_id = core_arena_printf(a, "%lld", (long long)actor->org_id);
        e.action = "rotate";
        rc = e.object_id ? store_audit_append(c, a, &e) : CORE_NOMEM;
    }
    if (rc == CORE_OK)
        rc = store_commit(c);
    else
        store_rollback(c);
    store_release(svc->st, c);
    rmd_org_forget(svc, actor->org_id);
    if (rc == CORE_OK && rewrapped)
        *rewrapped = n;
    return rc;
}
