/* runner: runs the built hrdd binary as a child process (posix_spawn) with
 * a controlled environment and captures its exit status, stdout and stderr.
 * Shared by the cli and server suites.
 */
#ifndef HRDD_TEST_RUNNER_H
#define HRDD_TEST_RUNNER_H

#include <sys/types.h>

typedef struct run_result {
    int status;          /* exit status, or 128 + signal */
    char *out;           /* stdout, NUL-terminated (heap) */
    char *err;           /* stderr, NUL-terminated (heap) */
} run_result;

/* The binary under test: $HRDD_BIN. */
const char *run_bin(void);

/* Runs hrdd with args (NULL-terminated, without argv[0]). env: extra
 * "NAME=value" entries (NULL-terminated, may be NULL); the child gets the
 * parent's environment minus every HRDD_* variable, plus
 * HRDD_PWHASH_COST=min and HRDD_CONFIG=/dev/null, then env. stdin is
 * /dev/null unless input is given (then a pipe with that text). */
int run_hrdd(run_result *r, const char *const *args, const char *const *env, const char *input);
void run_result_free(run_result *r);

/* Spawns hrdd with the given descriptors as its stdin, stdout and stderr
 * (same environment rules as run_hrdd); returns the pid or -1. */
pid_t run_spawn_fds(const char *const *args, const char *const *env, int in, int out, int err);
/* Waits for pid; exit status or 128 + signal. */
int run_wait(pid_t pid);

/* A child left running (hrdd serve): stderr is a pipe the test reads. */
typedef struct run_child {
    pid_t pid;
    int err_fd;
} run_child;
int run_start(run_child *c, const char *const *args, const char *const *env);
/* Reads stderr until a line contains needle (or timeout_ms); the text read
 * so far is appended to buf (heap, NUL-terminated). 0 when found. */
int run_wait_for(run_child *c, const char *needle, int timeout_ms, char **buf);
/* Sends sig and waits; returns the exit status (128 + signal if killed). */
int run_stop(run_child *c, int sig);

/* A fresh temporary directory (mkdtemp), and its recursive removal. */
void run_tmpdir(char *out, size_t n);
void run_rmtree(const char *dir);
/* Writes text to dir/name; the full path goes to out. */
void run_write(const char *dir, const char *name, const char *text, char *out, size_t n);

#endif
