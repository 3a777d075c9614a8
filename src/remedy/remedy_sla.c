/* remedy_sla: time-limit checks across every organisation (`hrdd sla
 * check` for cron, and the server's periodic call).
 *
 * For each org: its policy (due_soon_days), the open cases with a running,
 * unpaused clock due before now + due_soon_days, each clock evaluated with
 * grv_clock_eval. A clock that is due soon or overdue is notified once per
 * (case, clock, status, due date): the record in sla_notifications is
 * claimed and committed first (a unique key, so concurrent runs never send
 * twice), then the message is sent outside any transaction; a failed send
 * withdraws the claim, so it is retried on the next run. Recipients: the assigned handler, else
 * every enabled case_handler of the org, else its admins; recused handlers never.
 *
 * Delivery: rmd_options.mail_sink_path (tests) appends one JSON line per
 * notification (O_APPEND, one write); otherwise sendmail_command is split on
 * spaces (no shell, no quoting) and run with posix_spawn, the RFC 5322
 * message on its stdin; exit status 0 = sent. The message names the case
 * reference, the clock, the due date and a link, never case content.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "remedy/remedy_eco.h"

extern char **environ;

typedef struct recipients {
    const char **emails;
    size_t n;
} recipients;

static void ymd(int64_t t, char out[32])
{
    time_t tt = (time_t)t;
    struct tm tm;
    gmtime_r(&tt, &tm);
    snprintf(out, 32, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

static int add_email(core_arena *a, recipients *r, size_t *cap, const char *email)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->emails[i], email))
            return CORE_OK;
    if (!core_email_valid(email))
        return CORE_OK;              /* never put a doubtful address into a header */
    if (r->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 8;
        const char **g = core_arena_alloc(a, nc * sizeof *g);
        if (!g)
            return CORE_NOMEM;
        if (r->n)
            memcpy(g, r->emails, r->n * sizeof *g);
        r->emails = g;
        *cap = nc;
    }
    r->emails[r->n++] = email;
    return CORE_OK;
}

/* Recused handlers (store_grievance_recused) never get the case's notices. */
static int find_recipients(store_conn *c, core_arena *a, int64_t org_id, int64_t case_id,
                           int64_t assigned, recipients *r)
{
    memset(r, 0, sizeof *r);
    size_t cap = 0;
    if (assigned) {
        store_member m;
        int rc = store_member_get(c, a, org_id, assigned, &m);
        if (rc == CORE_OK && !m.user.disabled)
            return add_email(a, r, &cap, m.user.email);
        if (rc != CORE_OK && rc != CORE_NOTFOUND)
            return rc;
    }
    store_member *ms;
    size_t n;
    int rc = store_member_list(c, a, org_id, &ms, &n);
    if (rc != CORE_OK)
        return rc;
    for (int pass = 0; pass < 2 && r->n == 0; pass++) {
        core_role want = pass == 0 ? CORE_ROLE_CASE_HANDLER : CORE_ROLE_ADMIN;
        for (size_t i = 0; rc == CORE_OK && i < n; i++) {
            if (ms[i].role != want || ms[i].user.disabled)
                continue;
            int barred = 0;
            rc = store_grievance_recused(c, org_id, case_id, ms[i].user.id, &barred);
            if (rc == CORE_OK && !barred)
                rc = add_email(a, r, &cap, ms[i].user.email);
        }
    }
    return rc;
}

/* ---- delivery ---- */

static int sink_append(const char *path, json_t *line)
{
    char *s = json_dumps(line, JSON_COMPACT | JSON_SORT_KEYS);
    if (!s)
        return CORE_NOMEM;
    size_t len = strlen(s);
    char *buf = malloc(len + 2);
    if (!buf) {
        free(s);
        return CORE_NOMEM;
    }
    memcpy(buf, s, len);
    buf[len] = '\n';
    free(s);
    int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    int rc = CORE_ERR;
    if (fd >= 0) {
        ssize_t w = write(fd, buf, len + 1);
        rc = (w == (ssize_t)(len + 1)) ? CORE_OK : CORE_ERR;
        if (close(fd) != 0)
            rc = CORE_ERR;
    }
    free(buf);
    return rc;
}

/* Runs cmd (split on spaces, at most 15 words) with msg on stdin. */
static int run_sendmail(const char *cmd, const char *msg)
{
    char *copy = strdup(cmd);
    if (!copy)
        return CORE_NOMEM;
    char *argv[16];
    int argc = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " \t", &save); t && argc < 15; t = strtok_r(NULL, " \t", &save))
        argv[argc++] = t;
    argv[argc] = NULL;
    if (argc == 0) {
        free(copy);
        return CORE_INVALID;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        free(copy);
        return CORE_ERR;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[0], STDIN_FILENO);
    pid_t pid;
    int err = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[0]);
    free(copy);
    if (err != 0) {
        close(fds[1]);
        return CORE_ERR;
    }
    /* A sendmail that exits early must not kill us with SIGPIPE. */
    sigset_t block, old, pending;
    sigemptyset(&block);
    sigaddset(&block, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    size_t len = strlen(msg), off = 0;
    int ok = 1;
    while (off < len) {
        ssize_t w = write(fds[1], msg + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            ok = 0;
            break;
        }
        off += (size_t)w;
    }
    close(fds[1]);
    sigpending(&pending);
    if (sigismember(&pending, SIGPIPE)) {
        struct timespec zero = {0, 0};
        sigtimedwait(&block, NULL, &zero);
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR)
            return CORE_ERR;
    }
    return ok && WIFEXITED(status) && WEXITSTATUS(status) == 0 ? CORE_OK : CORE_ERR;
}

static int deliver(rmd_service *svc, core_arena *a, const rmd_sla_item *it, const recipients *r,
                   int64_t now)
{
    const rmd_options *o = rmd_options_of(svc);
    char due[32];
    ymd(it->due_at, due);
    const char *base = o && o->base_url ? o->base_url : "";
    size_t bl = strlen(base);
    while (bl && base[bl - 1] == '/')
        bl--;
    char link[512];
    snprintf(link, sizeof link, "%.*s/cases/%lld", (int)bl, base, (long long)it->case_id);
    const char *what = !strcmp(it->status, "overdue") ? "is overdue" : "is due soon";
    char subject[200];
    snprintf(subject, sizeof subject, "[hrdd] %s: time limit \"%s\" %s (due %s)", it->reference,
             it->clock, what, due);
    if (o && o->mail_sink_path) {
        json_t *to = json_array();
        for (size_t i = 0; i < r->n; i++)
            json_array_append_new(to, json_string(r->emails[i]));
        json_t *line = json_pack("{s:I, s:o, s:I, s:I, s:s, s:s, s:s, s:I, s:s, s:s, s:s}",
                                 "at", (json_int_t)now, "to", to, "org_id", (json_int_t)it->org_id,
                                 "case_id", (json_int_t)it->case_id, "reference", it->reference,
                                 "clock", it->clock, "status", it->status, "due_at",
                                 (json_int_t)it->due_at, "due_date", due, "link", link, "subject",
                                 subject);
        if (!line)
            return CORE_NOMEM;
        int rc = sink_append(o->mail_sink_path, line);
        json_decref(line);
        return rc;
    }
    if (!o || !o->sendmail_command)
        return CORE_INVALID;
    core_buf to;
    core_buf_init(&to);
    for (size_t i = 0; i < r->n; i++)
        core_buf_printf(&to, "%s%s", i ? ", " : "", r->emails[i]);
    char *msg = core_arena_printf(
        a,
        "From: %s\r\nTo: %s\r\nSubject: %s\r\nAuto-Submitted: auto-generated\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        "Case %s: the time limit \"%s\" %s.\r\nDue: %s (UTC)\r\n\r\nOpen the case: %s\r\n\r\n"
        "This message holds no case content. You receive it as the case's handler\r\n"
        "or as a case handler of the organisation.\r\n",
        o->mail_from ? o->mail_from : "hrdd@localhost", core_buf_cstr(&to), subject, it->reference,
        it->clock, what, due, link);
    core_buf_cleanup(&to);
    if (!msg)
        return CORE_NOMEM;
    return run_sendmail(o->sendmail_command, msg);
}

/* ---- the check ---- */

static int clock_kind(const char *name, grv_clock_kind *k)
{
    for (int i = 0; i < GRV_CLOCK__COUNT; i++)
        if (name && !strcmp(grv_clock_name((grv_clock_kind)i), name)) {
            *k = (grv_clock_kind)i;
            return CORE_OK;
        }
    return CORE_INVALID;
}

static int push_item(core_arena *a, rmd_sla_report *out, size_t *cap, const rmd_sla_item *it)
{
    if (out->nitems == *cap) {
        size_t nc = *cap ? *cap * 2 : 16;
        rmd_sla_item *g = core_arena_alloc(a, nc * sizeof *g);
        if (!g)
            return CORE_NOMEM;
        if (out->nitems)
            memcpy(g, out->items, out->nitems * sizeof *g);
        out->items = g;
        *cap = nc;
    }
    out->items[out->nitems++] = *it;
    return CORE_OK;
}

/* One notification: the claim (with its audit entry) is committed first, so
 * no transaction (and, on SQLite, no write lock) is held while the mail
 * command runs; when sending fails the claim is withdrawn and the next run
 * tries again. A crash between claim and send loses that one message (the
 * clock stays flagged in the staff queue). */
static int notify_one(rmd_service *svc, store_conn *c, core_arena *a, rmd_sla_item *it,
                      int64_t assigned, int64_t now, rmd_sla_report *out)
{
    int rc = store_begin(c);
    if (rc != CORE_OK)
        return rc;
    recipients r;
    rc = find_recipients(c, a, it->org_id, it->case_id, assigned, &r);
    store_sla_note nt = {.org_id = it->org_id, .case_id = it->case_id, .clock = it->clock,
                         .status = it->status, .due_at = it->due_at, .notified_at = now,
                         .recipients = (int)r.n};
    if (rc == CORE_OK && r.n == 0)
        rc = CORE_NOTFOUND;          /* nobody to tell: leave it unclaimed, count as failed */
    if (rc == CORE_OK)
        rc = store_sla_note_add(c, &nt);
    if (rc == CORE_CONFLICT) {
        store_rollback(c);
        out->already++;
        return CORE_OK;
    }
    if (rc == CORE_OK) {
        char id[24];
        snprintf(id, sizeof id, "%lld", (long long)it->case_id);
        rc = eco_audit(c, a, it->org_id, "system", now, "grievance", id, "sla_notify", NULL, NULL);
    }
    if (rc == CORE_OK)
        rc = store_commit(c);
    if (rc != CORE_OK) {
        store_rollback(c);
        out->failed++;
        return rc == CORE_NOMEM ? rc : CORE_OK;
    }
    rc = deliver(svc, a, it, &r, now);
    if (rc != CORE_OK) {
        int drc = store_sla_note_delete(c, it->org_id, nt.id);   /* autocommit */
        out->failed++;
        return rc == CORE_NOMEM ? rc : (drc == CORE_OK || drc == CORE_NOTFOUND ? CORE_OK : drc);
    }
    it->notified = 1;
    it->recipients = (int)r.n;
    out->notified++;
    return CORE_OK;
}

static int check_org(rmd_service *svc, store_conn *c, core_arena *a, int64_t org_id, int64_t now,
                     rmd_sla_report *out, size_t *cap)
{
    grv_policy p;
    grv_policy_defaults(&p);
    store_grievance_policy sp;
    int rc = store_grievance_policy_get(c, org_id, &sp);
    if (rc == CORE_OK)
        p.due_soon_days = sp.due_soon_days;
    else if (rc != CORE_NOTFOUND)
        return rc;
    const int page = 200;
    for (int offset = 0;; offset += page) {
        store_grievance_filter f = {.open_only = 1, .due_before = now + (int64_t)p.due_soon_days * 86400 + 1,
                                    .limit = page, .offset = offset};
        store_grievance *gs;
        size_t ng;
        rc = store_grievance_list(c, a, org_id, &f, &gs, &ng);
        if (rc != CORE_OK)
            return rc;
        for (size_t i = 0; i < ng; i++) {
            store_grievance_clock *ks;
            size_t nk;
            rc = store_grievance_clock_list(c, a, org_id, gs[i].id, &ks, &nk);
            if (rc != CORE_OK)
                return rc;
            for (size_t j = 0; j < nk; j++) {
                grv_clock k = {0};
                if (clock_kind(ks[j].kind, &k.kind) != CORE_OK)
                    continue;
                k.started_at = ks[j].started_at;
                k.due_at = ks[j].due_at;
                k.paused_since = ks[j].paused_since;
                k.paused_total = ks[j].paused_total;
                k.extended_by = ks[j].extended_by;
                k.stopped_at = ks[j].stopped_at;
                out->clocks++;
                grv_clock_status s = grv_clock_eval(&k, now, p.due_soon_days);
                if (s != GRV_CLOCK_DUE_SOON && s != GRV_CLOCK_OVERDUE)
                    continue;
                if (s == GRV_CLOCK_OVERDUE)
                    out->overdue++;
                else
                    out->due_soon++;
                rmd_sla_item it = {.org_id = org_id, .case_id = gs[i].id, .reference = gs[i].reference,
                                   .clock = ks[j].kind, .status = s == GRV_CLOCK_OVERDUE ? "overdue" : "due_soon",
                                   .due_at = k.due_at};
                rc = notify_one(svc, c, a, &it, gs[i].assigned_user_id, now, out);
                if (rc == CORE_OK)
                    rc = push_item(a, out, cap, &it);
                if (rc != CORE_OK)
                    return rc;
            }
        }
        if (ng < (size_t)page)
            return CORE_OK;
    }
}

int rmd_sla_check(rmd_service *svc, core_arena *a, int64_t now, rmd_sla_report *out)
{
    memset(out, 0, sizeof *out);
    if (!svc || !a)
        return CORE_INVALID;
    if (!now)
        now = rmd_now(svc);
    store_conn *c;
    int rc = eco_acquire(svc, &c);
    if (rc != CORE_OK)
        return rc;
    store_org *orgs;
    size_t norgs;
    size_t cap = 0;
    rc = store_org_list(c, a, &orgs, &norgs);
    for (size_t i = 0; rc == CORE_OK && i < norgs; i++) {
        out->orgs++;
        rc = check_org(svc, c, a, orgs[i].id, now, out, &cap);
    }
    eco_release(svc, c);
    return rc;
}

void rmd_sla_summary(const rmd_sla_report *r, char *buf, size_t n)
{
    snprintf(buf, n,
             "checked %zu running clock(s) in %zu organisation(s): %zu overdue, %zu due soon; "
             "%zu notified, %zu already notified, %zu failed",
             r->clocks, r->orgs, r->overdue, r->due_soon, r->notified, r->already, r->failed);
}
