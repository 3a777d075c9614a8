/* tclient: a tiny blocking HTTP/1.1 client for the app suite (one request per
 * connection, "Connection: close"), enough to drive a live hrdd http server. */
#ifndef HRDD_TESTS_APP_TCLIENT_H
#define HRDD_TESTS_APP_TCLIENT_H

#include <stddef.h>

typedef struct tc_res {
    int status;
    char *head;          /* raw header block (after the status line) */
    char *body;          /* NUL-terminated */
    size_t body_len;
} tc_res;

/* extra_headers: "Name: value\r\n" lines or NULL; body NULL for none
 * (form bodies get Content-Type: application/x-www-form-urlencoded unless
 * extra_headers names one). Returns 0 or -1 on a socket error. */
int tc_request(int port, const char *method, const char *path, const char *extra_headers,
               const char *body, tc_res *out);
void tc_res_free(tc_res *r);
/* Header value (first match, case-insensitive) copied into buf; NULL if absent. */
const char *tc_header(const tc_res *r, const char *name, char *buf, size_t n);
/* The value set for cookie `name` by Set-Cookie, into buf; NULL if none. */
const char *tc_set_cookie(const tc_res *r, const char *name, char *buf, size_t n);

#endif
