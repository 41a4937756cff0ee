/* boot_rig.c — emu as a subprocess with a hard timeout (see boot_rig.h). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

#define POLL_NS 2000000         /* look at the child every 2 ms */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static char *keep(BootRig *r, char *s)
{
    ck_assert_msg(s != NULL, "out of memory");
    ck_assert_int_lt(r->nstrings, BOOT_RIG_MAX_STRINGS);
    r->strings[r->nstrings++] = s;
    return s;
}

void boot_rig_init(BootRig *r)
{
    const char *tmp = getenv("TMPDIR");
    memset(r, 0, sizeof(*r));
    snprintf(r->dir, sizeof(r->dir), "%s/emu-boot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    ck_assert_msg(mkdtemp(r->dir) != NULL, "mkdtemp %s: %s", r->dir, strerror(errno));
}

/* The rig creates only plain files directly in its directory. */
void boot_rig_fini(BootRig *r)
{
    char cmd[600];
    for (int i = 0; i < r->nstrings; i++)
        free(r->strings[i]);
    r->nstrings = 0;
    if (r->dir[0] && !getenv("EMU_BOOT_KEEP")) {
        snprintf(cmd, sizeof(cmd), "rm -f -- '%s'/* && rmdir -- '%s'", r->dir, r->dir);
        if (system(cmd) != 0)
            fprintf(stderr, "boot_rig: could not remove %s\n", r->dir);
    }
    r->dir[0] = '\0';
}

const char *boot_rig_arg(BootRig *r, const char *fmt, ...)
{
    char *s = NULL;
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(&s, fmt, ap) < 0)
        s = NULL;
    va_end(ap);
    return keep(r, s);
}

const char *boot_rig_path(BootRig *r, const char *name)
{
    return boot_rig_arg(r, "%s/%s", r->dir, name);
}

const char *boot_rig_write(BootRig *r, const char *name, const void *data, size_t len)
{
    const char *path = boot_rig_path(r, name);
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s: %s", path, strerror(errno));
    ck_assert_uint_eq(fwrite(data, 1, len, f), len);
    ck_assert_int_eq(fclose(f), 0);
    return path;
}

static char *read_path(const char *path, size_t *len_out)
{
    FILE *f = fopen(path, "rb");
    size_t len = 0, cap = 4096, n;
    char *buf = malloc(cap + 1);

    ck_assert_msg(buf != NULL, "out of memory");
    if (f) {
        while ((n = fread(buf + len, 1, cap - len, f)) > 0) {
            len += n;
            if (len == cap) {
                cap *= 2;
                buf = realloc(buf, cap + 1);
                ck_assert_msg(buf != NULL, "out of memory");
            }
        }
        fclose(f);
    }
    buf[len] = '\0';
    if (len_out)
        *len_out = len;
    return buf;
}

char *boot_rig_read(BootRig *r, const char *name)
{
    char path[320];
    snprintf(path, sizeof(path), "%s/%s", r->dir, name);
    return read_path(path, NULL);
}

void *boot_rig_load_build(const char *rel, size_t *len)
{
    const char *path = test_build_path(rel);
    ck_assert_msg(access(path, R_OK) == 0, "%s missing: run make guests", path);
    return read_path(path, len);
}

const char *boot_rig_patch(BootRig *r, const char *rel, const char *mark, uint8_t value,
                           const char *name)
{
    size_t len, mlen = strlen(mark);
    uint8_t *data = boot_rig_load_build(rel, &len);
    uint8_t *at = memmem(data, len, mark, mlen);
    const char *path;

    ck_assert_msg(at != NULL && at + mlen < data + len, "%s has no \"%s\"", rel, mark);
    at[mlen] = value;
    path = boot_rig_write(r, name, data, len);
    free(data);
    return path;
}

/* -- Running the child ---------------------------------------------------------- */

static void redirect(const char *path, int fd, int flags)
{
    int f = open(path, flags, 0644);
    if (f < 0 || dup2(f, fd) < 0)
        _exit(126);
    close(f);
}

static void exec_child(BootRig *r, const BootSpec *s, const char *prog)
{
    const char *argv[BOOT_RIG_MAX_ARGS + 2];
    char out[320], err[320];
    int n = 0;

    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (!s->on_pty) {
        snprintf(out, sizeof(out), "%s/stdout", r->dir);
        snprintf(err, sizeof(err), "%s/stderr", r->dir);
        redirect("/dev/null", 0, O_RDONLY);
        redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
        redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
    }
    argv[n++] = prog;
    for (int i = 0; s->args && s->args[i] && n < BOOT_RIG_MAX_ARGS; i++)
        argv[n++] = s->args[i];
    argv[n] = NULL;
    execvp(prog, (char *const *)argv);
    fprintf(stderr, "boot_rig: exec %s: %s\n", prog, strerror(errno));
    _exit(127);
}

/* Copy what the pty has into <dir>/stdout. */
static void drain_pty(int master, FILE *out)
{
    char buf[4096];
    ssize_t n;
    while ((n = read(master, buf, sizeof(buf))) > 0)
        fwrite(buf, 1, (size_t)n, out);
    fflush(out);
}

static bool watch_matches(BootRig *r, const BootSpec *s)
{
    char *text;
    bool found;
    if (!s->watch || !s->until)
        return false;
    text = boot_rig_read(r, s->watch);
    found = strstr(text, s->until) != NULL;
    free(text);
    return found;
}

static int decode_status(int ws)
{
    if (WIFEXITED(ws))
        return WEXITSTATUS(ws);
    return WIFSIGNALED(ws) ? 128 + WTERMSIG(ws) : -1;
}

BootRun boot_run(BootRig *r, const BootSpec *s)
{
    const char *prog = s->prog ? s->prog : test_build_path("emu");
    struct timespec tick = { 0, POLL_NS };
    BootRun run = { .status = -1 };
    int master = -1, ws = 0;
    FILE *pty_out = NULL;
    double t0 = now_s();
    pid_t pid;

    ck_assert_msg(s->prog || access(prog, X_OK) == 0, "%s missing: build emu first", prog);
    pid = s->on_pty ? forkpty(&master, NULL, NULL, NULL) : fork();
    ck_assert_msg(pid >= 0, "fork: %s", strerror(errno));
    if (pid == 0)
        exec_child(r, s, prog);
    if (s->on_pty) {
        fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK);
        pty_out = fopen(boot_rig_path(r, "stdout"), "wb");
        ck_assert(pty_out != NULL);
    }
    for (;;) {
        double t = now_s() - t0;
        if (pty_out)
            drain_pty(master, pty_out);
        if (waitpid(pid, &ws, WNOHANG) == pid)
            break;
        if (!run.matched && watch_matches(r, s)) {
            run.matched = true;
            run.match_seconds = t;
            if (s->signal)
                kill(pid, s->signal);
        }
        if (t >= s->timeout) {
            run.timed_out = true;
            kill(pid, SIGKILL);
            waitpid(pid, &ws, 0);
            break;
        }
        nanosleep(&tick, NULL);
    }
    run.seconds = now_s() - t0;
    run.status = decode_status(ws);
    if (!run.matched && watch_matches(r, s)) {     /* written just before exit */
        run.matched = true;
        run.match_seconds = run.seconds;
    }
    if (pty_out) {
        drain_pty(master, pty_out);
        fclose(pty_out);
        close(master);
    }
    return run;
}
