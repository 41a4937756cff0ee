/* chardev.c — character device backends (see chardev.h).
 *
 * Every backend is one CharDev: an input fd (or -1), an output fd (or -1)
 * and, for mon:stdio, the Ctrl-A escape state. Input bytes are read into
 * `pend` (escapes removed) and handed to the focused client as far as its
 * can_receive() allows; what it cannot take yet waits there, so Ctrl-A x
 * still works while the guest ignores its UART.
 *
 * The terminal is process-wide host state, like the log settings: the
 * saved termios lives in one static HostTty so that the atexit handler —
 * the only thing exit() (and so fatal()) runs — and the handlers for
 * otherwise fatal signals (abort() in panic(), a crash, a signal before
 * the run loop takes SIGINT over) can put it back. Raw mode is only ever
 * set when stdin is a tty.
 *
 * Input never blocks: each read is preceded by a zero-timeout poll() (one
 * thread reads, so the data poll() saw is still there). O_NONBLOCK is not
 * set on stdin: on a terminal, stdin, stdout and stderr share one open
 * file, and the flag would make log and console writes fail with EAGAIN.
 * Output still copes with EAGAIN (a non-blocking fd inherited from the
 * shell): writes wait for POLLOUT and continue.
 *
 * To add a backend: a CharDevKind, a case in chardev_open() that sets the
 * two fds, and its cleanup in chardev_close().
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>
#include "ui/chardev.h"
#include "base/log.h"

#define PEND_SIZE 256
#define ESCAPE_CHAR 0x01    /* Ctrl-A */

typedef enum { CHR_NULL, CHR_FILE, CHR_STDIO, CHR_FDS } CharDevKind;

struct CharDev {
    CharDevKind kind;
    int in_fd, out_fd;
    bool mux;
    bool escape;            /* the last byte was Ctrl-A */
    bool monitor;           /* input focus on the monitor */
    bool eof;
    bool write_failed;
    CharDevClient client, mon_client;
    CharDevMuxHooks hooks;
    uint8_t pend[PEND_SIZE];
    int npend;
};

/* -- The host terminal -- */

static struct HostTty {
    int users;              /* open stdio chardevs */
    bool is_tty;
    bool full_raw;
    struct termios saved;
    bool atexit_registered;
} host_tty;

static void tty_restore(void)
{
    if (host_tty.is_tty)
        tcsetattr(STDIN_FILENO, TCSANOW, &host_tty.saved);
}

static void tty_restore_at_exit(void)
{
    if (host_tty.users > 0)
        tty_restore();
}

/* A signal that would kill emu with the terminal raw: restore it first,
 * then die of the signal as before (tcsetattr is async-signal-safe). */
static void tty_fatal_signal(int sig)
{
    tty_restore();
    raise(sig);                     /* SA_RESETHAND: the default action now */
}

/* Only signals nobody handles yet: the run loop installs its own SIGINT,
 * SIGTERM and SIGHUP handlers later, and quits through exit(). */
static void tty_catch_signals(void)
{
    static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGABRT,
                                SIGSEGV, SIGBUS, SIGFPE, SIGILL };
    struct sigaction sa = { .sa_handler = tty_fatal_signal,
                            .sa_flags = SA_RESETHAND | SA_NODEFER };
    struct sigaction old;

    for (size_t i = 0; i < ARRAY_SIZE(sigs); i++)
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_DFL)
            sigaction(sigs[i], &sa, NULL);
}

/* stdio keeps ISIG for Ctrl-C but hands Ctrl-Z and Ctrl-\ to the guest;
 * mon:stdio passes every key. */
static void tty_apply(void)
{
    struct termios t = host_tty.saved;

    t.c_iflag &= ~(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    t.c_lflag &= ~(ECHO | ECHONL | ICANON | IEXTEN);
    t.c_oflag |= OPOST;
    t.c_cflag = (t.c_cflag & ~(CSIZE | PARENB)) | CS8;
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    if (host_tty.full_raw) {
        t.c_lflag &= ~ISIG;
    } else {
        t.c_cc[VSUSP] = _POSIX_VDISABLE;
        t.c_cc[VQUIT] = _POSIX_VDISABLE;
    }
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

/* Only the terminal's foreground process group may read it or change its
 * modes; anyone else is stopped by SIGTTIN/SIGTTOU (emu started in the
 * background, or under timeout(1) from a script). */
static bool tty_foreground(int fd)
{
    pid_t fg = tcgetpgrp(fd);
    return fg < 0 || fg == getpgrp();
}

static void tty_acquire(bool full_raw)
{
    if (host_tty.users++ == 0) {
        host_tty.is_tty = isatty(STDIN_FILENO) && tty_foreground(STDIN_FILENO) &&
                          tcgetattr(STDIN_FILENO, &host_tty.saved) == 0;
        host_tty.full_raw = false;
        if (host_tty.is_tty && !host_tty.atexit_registered) {
            atexit(tty_restore_at_exit);
            tty_catch_signals();
            host_tty.atexit_registered = true;
        }
    }
    host_tty.full_raw |= full_raw;
    if (host_tty.is_tty)
        tty_apply();
}

static void tty_release(void)
{
    if (--host_tty.users == 0)
        tty_restore();
}

/* -- Output -- */

static void write_all(CharDev *c, const uint8_t *buf, int len)
{
    while (len > 0) {
        ssize_t n = write(c->out_fd, buf, len);
        if (n > 0) {
            buf += n;
            len -= n;
        } else if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct pollfd p = { .fd = c->out_fd, .events = POLLOUT };
            poll(&p, 1, 100);
        } else if (n < 0 && errno == EINTR) {
            /* Our only handled signals ask emu to end: do not block in a
             * write to a reader that went away. */
            if (!c->write_failed)
                warn("chardev: output interrupted; the rest is dropped");
            c->write_failed = true;
            return;
        } else {
            if (!c->write_failed)
                warn("chardev: output lost: %s", n < 0 ? strerror(errno) : "short write");
            c->write_failed = true;
            return;
        }
    }
}

void chardev_write(CharDev *c, const uint8_t *buf, int len)
{
    if (c && c->out_fd >= 0 && len > 0)
        write_all(c, buf, len);
}

static void write_str(CharDev *c, const char *s)
{
    chardev_write(c, (const uint8_t *)s, strlen(s));
}

/* -- Input -- */

static CharDevClient *focus(CharDev *c)
{
    return c->monitor ? &c->mon_client : &c->client;
}

/* Hand pending bytes to the focused client as far as it can take them. */
static bool deliver(CharDev *c)
{
    CharDevClient *cl = focus(c);
    int room;

    if (!c->npend)
        return false;
    if (!cl->receive) {
        c->npend = 0;               /* nobody listens: dropped */
        return false;
    }
    room = cl->can_receive ? cl->can_receive(cl->opaque) : c->npend;
    room = MIN(room, c->npend);
    if (room <= 0)
        return false;
    cl->receive(cl->opaque, c->pend, room);
    memmove(c->pend, c->pend + room, c->npend - room);
    c->npend -= room;
    return true;
}

static void pend_byte(CharDev *c, uint8_t b)
{
    if (c->npend < PEND_SIZE)
        c->pend[c->npend++] = b;
}

static void mux_help(CharDev *c)
{
    /* The terminal keeps output processing (OPOST): "\n" ends a line. */
    write_str(c, "\nC-a h    print this help\n"
                 "C-a x    exit emu\n"
                 "C-a c    switch between the guest console and the monitor\n"
                 "C-a C-a  send C-a to the guest\n");
}

static void mux_toggle(CharDev *c)
{
    if (!c->hooks.set_monitor && !c->mon_client.receive) {
        write_str(c, "\n[emu: no monitor on this console]\n");
        return;
    }
    deliver(c);
    c->npend = 0;                   /* typed for the old focus */
    c->monitor = !c->monitor;
    if (c->hooks.set_monitor)
        c->hooks.set_monitor(c->hooks.opaque, c->monitor);
}

static void mux_escape(CharDev *c, uint8_t b)
{
    switch (b) {
    case 'x':
        if (c->hooks.quit)
            c->hooks.quit(c->hooks.opaque);
        else
            raise(SIGTERM);
        break;
    case 'c':
        mux_toggle(c);
        break;
    case 'h':
    case '?':
        mux_help(c);
        break;
    case ESCAPE_CHAR:
        pend_byte(c, b);
        break;
    default:
        break;                      /* unknown escapes are dropped */
    }
}

static void feed(CharDev *c, uint8_t b)
{
    if (!c->mux) {
        pend_byte(c, b);
    } else if (c->escape) {
        c->escape = false;
        mux_escape(c, b);
    } else if (b == ESCAPE_CHAR) {
        c->escape = true;
    } else {
        pend_byte(c, b);
    }
}

/* Input ended. A stdin that is not a terminal stays readable at EOF, which
 * would wake the idle loop forever: put a pipe nobody writes in its place. */
static void input_eof(CharDev *c)
{
    int p[2];
    c->eof = true;
    if (c->kind != CHR_STDIO || host_tty.is_tty || pipe(p) < 0)
        return;
    dup2(p[0], STDIN_FILENO);
    close(p[0]);                    /* p[1] stays open: reads block forever */
}

static bool input_ready(int fd)
{
    struct pollfd p = { .fd = fd, .events = POLLIN };
    return poll(&p, 1, 0) > 0;
}

bool chardev_poll(CharDev *c)
{
    uint8_t buf[PEND_SIZE];
    bool any;
    ssize_t n;

    if (!c)
        return false;
    any = deliver(c);
    if (c->in_fd < 0 || c->eof || c->npend == PEND_SIZE || !input_ready(c->in_fd))
        return any;
    if (isatty(c->in_fd) && !tty_foreground(c->in_fd))
        return any;                 /* reading would stop us (SIGTTIN) */
    n = read(c->in_fd, buf, PEND_SIZE - c->npend);
    if (n == 0) {
        input_eof(c);
        return any;
    }
    if (n < 0)
        return any;                 /* EINTR, or EAGAIN on an inherited O_NONBLOCK */
    for (ssize_t i = 0; i < n; i++)
        feed(c, buf[i]);
    deliver(c);
    return true;
}

/* -- Setup -- */

static CharDev *chardev_alloc(CharDevKind kind, int in_fd, int out_fd)
{
    CharDev *c = calloc(1, sizeof(*c));
    if (!c)
        fatal("out of memory");
    c->kind = kind;
    c->in_fd = in_fd;
    c->out_fd = out_fd;
    return c;
}

static CharDev *open_file(const char *path, bool *failed, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        snprintf(err, errlen, "cannot open '%s': %s", path, strerror(errno));
        *failed = true;
        return NULL;
    }
    return chardev_alloc(CHR_FILE, -1, fd);
}

CharDev *chardev_open(const char *spec, bool *failed, char *err, size_t errlen)
{
    bool dummy;
    CharDev *c;

    if (!failed)
        failed = &dummy;
    *failed = false;
    if (!strcmp(spec, "none"))
        return NULL;
    if (!strcmp(spec, "null"))
        return chardev_alloc(CHR_NULL, -1, -1);
    if (!strncmp(spec, "file:", 5) && spec[5])
        return open_file(spec + 5, failed, err, errlen);
    if (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio")) {
        c = chardev_alloc(CHR_STDIO, STDIN_FILENO, STDOUT_FILENO);
        c->mux = spec[0] == 'm';
        tty_acquire(c->mux);
        return c;
    }
    snprintf(err, errlen, "unknown character device '%s' (use stdio, mon:stdio, "
             "file:PATH, null or none)", spec);
    *failed = true;
    return NULL;
}

CharDev *chardev_open_fds(int in_fd, int out_fd, bool mux)
{
    CharDev *c = chardev_alloc(CHR_FDS, in_fd, out_fd);
    c->mux = mux;
    return c;
}

void chardev_close(CharDev *c)
{
    if (!c)
        return;
    if (c->kind == CHR_STDIO)
        tty_release();
    else if (c->kind == CHR_FILE)
        close(c->out_fd);
    free(c);
}

void chardev_set_client(CharDev *c, const CharDevClient *client)
{
    if (c)
        c->client = client ? *client : (CharDevClient){ 0 };
}

void chardev_set_monitor_client(CharDev *c, const CharDevClient *client)
{
    if (c)
        c->mon_client = client ? *client : (CharDevClient){ 0 };
}

void chardev_set_mux_hooks(CharDev *c, const CharDevMuxHooks *hooks)
{
    if (c)
        c->hooks = hooks ? *hooks : (CharDevMuxHooks){ 0 };
}

bool chardev_monitor_active(const CharDev *c)
{
    return c && c->monitor;
}

int chardev_fd(const CharDev *c)
{
    return c && !c->eof ? c->in_fd : -1;
}
