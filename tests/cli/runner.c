/* runner: posix_spawn wrapper for the CLI tests (see runner.h). No shell is
 * involved: arguments go to the binary as they are.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runner.h"

extern char **environ;

const char *run_bin(void)
{
    const char *b = getenv("HRDD_BIN");
    return b && b[0] ? b : "hrdd";
}

static char **run_env(const char *const *extra)
{
    size_t n = 0, m = 0;
    for (char **e = environ; *e; e++) n++;
    for (const char *const *e = extra; e && *e; e++) m++;
    char **env = calloc(n + m + 3, sizeof *env);
    if (!env) abort();
    size_t k = 0;
    for (char **e = environ; *e; e++) {
        if (strncmp(*e, "HRDD_", 5) == 0 && strncmp(*e, "HRDD_SOURCE_ROOT=", 17) != 0) continue;
        env[k++] = *e;
    }
    /* extras first: getenv returns the first match, so they override the defaults */
    for (const char *const *e = extra; e && *e; e++) env[k++] = (char *)*e;
    env[k++] = "HRDD_PWHASH_COST=min";
    env[k++] = "HRDD_CONFIG=/dev/null";
    env[k] = NULL;
    return env;
}

static char **run_argv(const char *const *args)
{
    size_t n = 0;
    while (args[n]) n++;
    char **argv = calloc(n + 2, sizeof *argv);
    if (!argv) abort();
    argv[0] = (char *)run_bin();
    for (size_t i = 0; i < n; i++) argv[i + 1] = (char *)args[i];
    return argv;
}

static int run_wait_status(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return -1;
}

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static void sbuf_add(sbuf *b, const char *d, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4096;
        while (cap < b->n + n + 1) cap *= 2;
        b->p = realloc(b->p, cap);
        if (!b->p) abort();
        b->cap = cap;
    }
    memcpy(b->p + b->n, d, n);
    b->n += n;
    b->p[b->n] = '\0';
}

int run_hrdd(run_result *r, const char *const *args, const char *const *env, const char *input)
{
    memset(r, 0, sizeof *r);
    int po[2], pe[2], pi[2] = {-1, -1};
    if (pipe2(po, O_CLOEXEC) || pipe2(pe, O_CLOEXEC)) abort();
    if (input && pipe2(pi, O_CLOEXEC)) abort();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    if (input) posix_spawn_file_actions_adddup2(&fa, pi[0], 0);
    else posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, po[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    char **argv = run_argv(args);
    char **envp = run_env(env);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    free(envp);
    close(po[1]);
    close(pe[1]);
    if (input) {
        close(pi[0]);
        size_t len = strlen(input), off = 0;
        while (rc == 0 && off < len) {
            ssize_t w = write(pi[1], input + off, len - off);
            if (w <= 0) break;
            off += (size_t)w;
        }
        close(pi[1]);
    }
    if (rc != 0) {
        close(po[0]);
        close(pe[0]);
        r->status = -1;
        r->out = strdup("");
        r->err = strdup(strerror(rc));
        return -1;
    }
    sbuf out = {0}, err = {0};
    sbuf_add(&out, "", 0);
    sbuf_add(&err, "", 0);
    struct pollfd pf[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    char buf[8192];
    while (open_fds > 0) {
        if (poll(pf, 2, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        for (int i = 0; i < 2; i++) {
            if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
            ssize_t got = read(pf[i].fd, buf, sizeof buf);
            if (got > 0) {
                sbuf_add(i == 0 ? &out : &err, buf, (size_t)got);
            } else if (got == 0 || errno != EINTR) {
                close(pf[i].fd);
                pf[i].fd = -1;
                open_fds--;
            }
        }
    }
    r->status = run_wait_status(pid);
    r->out = out.p;
    r->err = err.p;
    return r->status;
}

pid_t run_spawn_fds(const char *const *args, const char *const *env, int in, int out, int err)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, in, 0);
    posix_spawn_file_actions_adddup2(&fa, out, 1);
    posix_spawn_file_actions_adddup2(&fa, err, 2);
    posix_spawnattr_t at;
    posix_spawnattr_init(&at);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSID);   /* own session: the pty can become its terminal */
    char **argv = run_argv(args);
    char **envp = run_env(env);
    pid_t pid;
    int rc = posix_spawn(&pid, argv[0], &fa, &at, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(argv);
    free(envp);
    return rc == 0 ? pid : -1;
}

int run_wait(pid_t pid)
{
    return run_wait_status(pid);
}

void run_result_free(run_result *r)
{
    free(r->out);
    free(r->err);
    memset(r, 0, sizeof *r);
}

int run_start(run_child *c, const char *const *args, const char *const *env)
{
    int pe[2];
    if (pipe2(pe, O_CLOEXEC)) abort();
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
    char **argv = run_argv(args);
    char **envp = run_env(env);
    int rc = posix_spawn(&c->pid, argv[0], &fa, NULL, argv, envp);
    posix_spawn_file_actions_destroy(&fa);
    free(argv);
    free(envp);
    close(pe[1]);
    c->err_fd = pe[0];
    if (rc != 0) {
        close(pe[0]);
        c->err_fd = -1;
        return -1;
    }
    return 0;
}

static long run_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int run_wait_for(run_child *c, const char *needle, int timeout_ms, char **text)
{
    sbuf b = {0};
    sbuf_add(&b, "", 0);
    if (*text) sbuf_add(&b, *text, strlen(*text));
    free(*text);
    long end = run_ms() + timeout_ms;
    int found = strstr(b.p, needle) != NULL;
    while (!found && c->err_fd >= 0) {
        long left = end - run_ms();
        if (left <= 0) break;
        struct pollfd pf = {c->err_fd, POLLIN, 0};
        int pr = poll(&pf, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) break;
        char buf[4096];
        ssize_t got = read(c->err_fd, buf, sizeof buf);
        if (got <= 0) break;
        sbuf_add(&b, buf, (size_t)got);
        found = strstr(b.p, needle) != NULL;
    }
    *text = b.p;
    return found ? 0 : -1;
}

int run_stop(run_child *c, int sig)
{
    if (c->pid > 0) kill(c->pid, sig);
    int st = c->pid > 0 ? run_wait_status(c->pid) : -1;
    if (c->err_fd >= 0) close(c->err_fd);
    c->err_fd = -1;
    c->pid = 0;
    return st;
}

void run_tmpdir(char *out, size_t n)
{
    const char *t = getenv("TMPDIR");
    snprintf(out, n, "%s/hrdd-cli-XXXXXX", t && t[0] ? t : "/tmp");
    if (!mkdtemp(out)) abort();
}

static int run_rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

void run_rmtree(const char *dir)
{
    if (getenv("HRDD_KEEP_TMP")) return;
    nftw(dir, run_rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void run_write(const char *dir, const char *name, const char *text, char *out, size_t n)
{
    snprintf(out, n, "%s/%s", dir, name);
    FILE *f = fopen(out, "w");
    if (!f) abort();
    fputs(text, f);
    fclose(f);
}
