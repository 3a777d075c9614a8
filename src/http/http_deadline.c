/* http_deadline: a connection must send a whole request head in time.
 *
 * libmicrohttpd's connection timeout is an idle timeout: every byte received
 * restarts it, so a client that trickles its headers a byte at a time
 * ("slowloris") holds a connection for ever, and a few hundred such clients
 * hold every connection the server has. This module gives each connection a
 * deadline instead: from its start (or from the end of its previous request,
 * for a kept-alive connection) it has `secs` seconds until its next request
 * head is complete. A watcher thread wakes four times a second and shuts down
 * (shutdown(2), not close) the socket of every connection past its deadline;
 * libmicrohttpd then sees the connection end and cleans it up as usual.
 *
 * Entries are added and removed from libmicrohttpd's connection notification
 * (the socket context), which it calls before it closes the socket, and the
 * watcher shuts a socket down only under the same mutex, so it never touches
 * a descriptor that was closed and reused. While a request is being handled
 * (from its head until its completion) the connection has no deadline: the
 * handler is bounded by the idle timeout. A request body counts against the
 * same deadline, extended by one second for every HTTP_DL_MIN_RATE bytes
 * received, so a body trickled slower than that on average ("slow POST") is
 * cut too, while a slow but steady upload (a file from a phone on a poor
 * link) is not. No peer address is kept.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "http/http_internal.h"

/* Bytes per second a request body must average (after the grace period). */
#define HTTP_DL_MIN_RATE 256.0

struct http_dl_conn {
    int fd;
    int busy;                       /* a request is being handled */
    int cut;                        /* already shut down */
    double credit;                  /* seconds earned by body bytes received */
    struct timespec since;          /* start of the wait for a request head */
    struct http_dl_conn *prev, *next;
};

struct http_deadline {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    pthread_t thread;
    int started;
    int stop;
    unsigned secs;
    unsigned long cut_total;
    struct http_dl_conn head;       /* circular list sentinel */
};

static double since_s(const struct timespec *t, const struct timespec *now)
{
    return (double)(now->tv_sec - t->tv_sec) + (double)(now->tv_nsec - t->tv_nsec) / 1e9;
}

static void *watch(void *arg)
{
    http_deadline *d = arg;
    pthread_mutex_lock(&d->mu);
    while (!d->stop) {
        struct timespec now, wake;
        clock_gettime(CLOCK_MONOTONIC, &now);
        for (struct http_dl_conn *c = d->head.next; c != &d->head; c = c->next) {
            if (c->busy || c->cut || since_s(&c->since, &now) < (double)d->secs + c->credit) continue;
            c->cut = 1;
            d->cut_total++;
            (void)shutdown(c->fd, SHUT_RDWR);
        }
        clock_gettime(CLOCK_REALTIME, &wake);
        wake.tv_nsec += 250 * 1000 * 1000;
        if (wake.tv_nsec >= 1000000000L) {
            wake.tv_sec++;
            wake.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&d->cv, &d->mu, &wake);
    }
    pthread_mutex_unlock(&d->mu);
    return NULL;
}

int http_deadline_start(http_deadline **out, unsigned secs)
{
    if (!out || secs == 0) return CORE_INVALID;
    *out = NULL;
    http_deadline *d = calloc(1, sizeof *d);
    if (!d) return CORE_NOMEM;
    d->secs = secs;
    d->head.next = d->head.prev = &d->head;
    if (pthread_mutex_init(&d->mu, NULL) != 0) {
        free(d);
        return CORE_ERR;
    }
    if (pthread_cond_init(&d->cv, NULL) != 0) {
        pthread_mutex_destroy(&d->mu);
        free(d);
        return CORE_ERR;
    }
    if (pthread_create(&d->thread, NULL, watch, d) != 0) {
        pthread_cond_destroy(&d->cv);
        pthread_mutex_destroy(&d->mu);
        free(d);
        return CORE_ERR;
    }
    d->started = 1;
    *out = d;
    return CORE_OK;
}

void http_deadline_stop(http_deadline *d)
{
    if (!d) return;
    if (d->started) {
        pthread_mutex_lock(&d->mu);
        d->stop = 1;
        pthread_cond_signal(&d->cv);
        pthread_mutex_unlock(&d->mu);
        pthread_join(d->thread, NULL);
    }
    /* Entries left (none once the daemon has stopped) are freed. */
    struct http_dl_conn *c = d->head.next;
    while (c != &d->head) {
        struct http_dl_conn *n = c->next;
        free(c);
        c = n;
    }
    pthread_cond_destroy(&d->cv);
    pthread_mutex_destroy(&d->mu);
    free(d);
}

http_dl_conn *http_deadline_add(http_deadline *d, int fd)
{
    if (!d || fd < 0) return NULL;
    http_dl_conn *c = calloc(1, sizeof *c);
    if (!c) return NULL;            /* no deadline for this one: the idle timeout still applies */
    c->fd = fd;
    clock_gettime(CLOCK_MONOTONIC, &c->since);
    pthread_mutex_lock(&d->mu);
    c->next = &d->head;
    c->prev = d->head.prev;
    d->head.prev->next = c;
    d->head.prev = c;
    pthread_mutex_unlock(&d->mu);
    return c;
}

void http_deadline_remove(http_deadline *d, http_dl_conn *c)
{
    if (!d || !c) return;
    pthread_mutex_lock(&d->mu);
    c->prev->next = c->next;
    c->next->prev = c->prev;
    pthread_mutex_unlock(&d->mu);
    free(c);
}

void http_deadline_busy(http_deadline *d, http_dl_conn *c, int busy)
{
    if (!d || !c) return;
    pthread_mutex_lock(&d->mu);
    c->busy = busy;
    if (!busy) {
        clock_gettime(CLOCK_MONOTONIC, &c->since);
        c->credit = 0;
    }
    pthread_mutex_unlock(&d->mu);
}

void http_deadline_progress(http_deadline *d, http_dl_conn *c, size_t bytes)
{
    if (!d || !c) return;
    pthread_mutex_lock(&d->mu);
    c->credit += (double)bytes / HTTP_DL_MIN_RATE;
    pthread_mutex_unlock(&d->mu);
}

unsigned long http_deadline_cut(http_deadline *d)
{
    if (!d) return 0;
    pthread_mutex_lock(&d->mu);
    unsigned long n = d->cut_total;
    pthread_mutex_unlock(&d->mu);
    return n;
}
