/* app_internal: helpers shared by the app module's files; not for other modules.
 *
 * The throttle is a fixed-size, mutex-guarded table of sliding-window failure
 * counters keyed by a keyed BLAKE2b of the peer address (or of an e-mail
 * address), plus one global counter. Nothing in it is ever written out.
 */
#ifndef HRDD_APP_INTERNAL_H
#define HRDD_APP_INTERNAL_H

#include "app/app.h"

int app_throttle_new(app_throttle **out, const app_config *cfg, const unsigned char secret[CRY_SECRET_LEN]);
void app_throttle_free(app_throttle *t);
/* Kinds of key: a peer address or an account (e-mail). */
enum { APP_THR_PEER = 0, APP_THR_ACCOUNT = 1 };
/* 1 if further attempts for this peer/account (or globally) must be refused now. */
int app_throttle_blocked(app_throttle *t, int kind, const char *key, int64_t now);
/* Counts one failure against key and the global counter. */
void app_throttle_fail(app_throttle *t, int kind, const char *key, int64_t now);

/* Writable principal of the request (created by app_authorize). */
app_principal *app_principal_mut(http_req *req);
/* Error response according to the route kind (problem+json or HTML page). */
void app_error(http_req *req, int status, const char *title, const char *detail, const char *field);
/* 1 if the space-separated list names want. */
int app_scope_has(const char *list, const char *want);
/* Current time from the context clock. */
int64_t app_now(const app_ctx *ctx);

#endif
