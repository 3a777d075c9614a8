/* tclient: see tclient.h. Plain POSIX sockets; the whole response is read
 * until the server closes the connection, then split into head and body. */
#include "tclient.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

static int send_all(int fd, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int tc_request(int port, const char *method, const char *path, const char *extra_headers,
               const char *body, tc_res *out)
{
    memset(out, 0, sizeof *out);
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) return -1;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof sa);
    sa.sin_family = AF_INET;
    sa.sin_port = htons((unsigned short)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
        close(fd);
        return -1;
    }
    const char *eh = extra_headers ? extra_headers : "";
    size_t blen = body ? strlen(body) : 0;
    int has_ct = strcasestr(eh, "content-type:") != NULL;
    char head[4096];
    int n = snprintf(head, sizeof head,
                     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nConnection: close\r\n%s%s"
                     "Content-Length: %zu\r\n\r\n",
                     method, path, port, eh,
                     (body && !has_ct) ? "Content-Type: application/x-www-form-urlencoded\r\n" : "", blen);
    if (n < 0 || (size_t)n >= sizeof head || send_all(fd, head, (size_t)n) != 0 ||
        (blen && send_all(fd, body, blen) != 0)) {
        close(fd);
        return -1;
    }
    size_t cap = 8192, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (cap - len < 4096) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t r = recv(fd, buf + len, cap - len - 1, 0);
        if (r <= 0) break;
        len += (size_t)r;
    }
    close(fd);
    buf[len] = '\0';
    char *eoh = strstr(buf, "\r\n\r\n");
    if (!eoh || strncmp(buf, "HTTP/1.", 7) != 0) {
        free(buf);
        return -1;
    }
    out->status = (int)strtol(buf + 9, NULL, 10);
    char *sl = strstr(buf, "\r\n");
    size_t hl = (size_t)(eoh - (sl + 2)) + 2;
    out->head = malloc(hl + 1);
    memcpy(out->head, sl + 2, hl);
    out->head[hl] = '\0';
    out->body_len = len - (size_t)(eoh + 4 - buf);
    out->body = malloc(out->body_len + 1);
    memcpy(out->body, eoh + 4, out->body_len);
    out->body[out->body_len] = '\0';
    free(buf);
    return 0;
}

void tc_res_free(tc_res *r)
{
    free(r->head);
    free(r->body);
    memset(r, 0, sizeof *r);
}

const char *tc_header(const tc_res *r, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *l = r->head; l && *l;) {
        const char *e = strstr(l, "\r\n");
        if (!e) break;
        if ((size_t)(e - l) > nl && strncasecmp(l, name, nl) == 0 && l[nl] == ':') {
            const char *v = l + nl + 1;
            while (*v == ' ') v++;
            size_t vl = (size_t)(e - v);
            if (vl >= n) vl = n - 1;
            memcpy(buf, v, vl);
            buf[vl] = '\0';
            return buf;
        }
        l = e + 2;
    }
    return NULL;
}

const char *tc_set_cookie(const tc_res *r, const char *name, char *buf, size_t n)
{
    size_t nl = strlen(name);
    for (const char *l = r->head; l && *l;) {
        const char *e = strstr(l, "\r\n");
        if (!e) break;
        if (strncasecmp(l, "Set-Cookie:", 11) == 0) {
            const char *v = l + 11;
            while (*v == ' ') v++;
            if (strncmp(v, name, nl) == 0 && v[nl] == '=') {
                v += nl + 1;
                size_t vl = strcspn(v, ";\r");
                if (vl >= n) vl = n - 1;
                memcpy(buf, v, vl);
                buf[vl] = '\0';
                return buf;
            }
        }
        l = e + 2;
    }
    return NULL;
}
