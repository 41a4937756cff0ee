/* machine.c — the Machine container and the run loop.
 *
 * The loop alternates CPU slices with timer callbacks and host input:
 *
 *   run CPU until the next timer deadline (or a slice limit)
 *   -> fire expired timers -> poll host inputs -> act on requests
 *
 * Under VCLOCK_ICOUNT the slice ends exactly at the deadline's instruction,
 * so the whole run is a function of the guest's inputs. Under VCLOCK_HOST a
 * slice is sized from the measured instruction rate so timers are late by
 * well under a millisecond. An idle (halted) CPU sleeps in poll() until the
 * next deadline or host input.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "hw/machine.h"
#include "base/log.h"

#define SLICE_MAX_INSNS 2000000     /* longest uninterrupted CPU slice */
#define SLICE_MIN_INSNS 1000
#define HOST_SLICE_NS 1000000       /* VCLOCK_HOST: aim for ~1 ms slices */
#define POLL_INTERVAL_NS 10000000   /* host inputs at least every 10 ms */

/* The signal handler can only reach a global; it is the one the OS forces. */
static volatile sig_atomic_t quit_signal;

static void on_signal(int sig)
{
    quit_signal = sig;
}

Machine *machine_new(const EmuOptions *opts)
{
    Machine *m = calloc(1, sizeof(*m));
    if (!m)
        fatal("out of memory");
    m->opts = *opts;
    m->bus = bus_new();
    m->mem = bus_memmap(m->bus);
    m->clock = vclock_new(opts->icount_shift >= 0 ? VCLOCK_ICOUNT : VCLOCK_HOST);
    m->poll_interval_ns = POLL_INTERVAL_NS;
    return m;
}

static void run_handlers(MachineHandler *h, int n)
{
    for (int i = 0; i < n; i++)
        h[i].fn(h[i].opaque);
}

void machine_free(Machine *m)
{
    if (!m)
        return;
    run_handlers(m->exits, m->nexits);
    if (m->cpu)
        cpu_free(m->cpu);
    bus_free(m->bus);
    vclock_free(m->clock);
    free(m);
}

static void add_handler(MachineHandler *h, int *n, MachineFn *fn, void *opaque)
{
    if (*n == MACHINE_MAX_HANDLERS)
        panic("machine: too many handlers");
    h[*n].fn = fn;
    h[*n].opaque = opaque;
    (*n)++;
}

void machine_add_reset(Machine *m, MachineFn *fn, void *opaque)
{
    add_handler(m->resets, &m->nresets, fn, opaque);
}

void machine_add_exit(Machine *m, MachineFn *fn, void *opaque)
{
    add_handler(m->exits, &m->nexits, fn, opaque);
}

void machine_add_poll(Machine *m, MachinePollFn *fn, void *opaque, int fd)
{
    if (m->npolls == MACHINE_MAX_HANDLERS)
        panic("machine: too many poll handlers");
    m->polls[m->npolls++] = (MachinePoll){ fn, opaque, fd };
}

void machine_request(Machine *m, MachineRequest req, int exit_status)
{
    /* A power-off or quit outranks a reset asked for in the same slice. */
    if (m->request == MACHINE_REQ_NONE || req != MACHINE_REQ_RESET) {
        m->request = req;
        m->exit_status = exit_status;
    }
    if (m->cpu)
        cpu_request_exit(m->cpu);
}

void machine_reset(Machine *m)
{
    LOG(LOG_RESET, "machine reset\n");
    if (m->stopped) {           /* a reset revives a -no-shutdown power-off */
        m->stopped = false;
        vclock_start(m->clock);
    }
    run_handlers(m->resets, m->nresets);
    if (m->cpu)
        cpu_reset(m->cpu);
}

static bool run_polls(Machine *m)
{
    bool any = false;
    for (int i = 0; i < m->npolls; i++)
        any |= m->polls[i].fn(m->polls[i].opaque);
    return any;
}

/* The CPU is halted: wait for the next timer or host input. */
static void idle(Machine *m)
{
    struct pollfd fds[MACHINE_MAX_HANDLERS];
    int nfds = 0, timeout_ms;
    bool fdless = false;
    int64_t deadline = vclock_deadline(m->clock);

    if (vclock_mode(m->clock) == VCLOCK_ICOUNT && deadline != VCLOCK_NEVER) {
        /* Deterministic time does not wait for the host: jump ahead. */
        vclock_skip_to(m->clock, deadline);
        return;
    }
    for (int i = 0; i < m->npolls; i++) {
        if (m->polls[i].fd >= 0)
            fds[nfds++] = (struct pollfd){ .fd = m->polls[i].fd, .events = POLLIN };
        else
            fdless = true;
    }
    if (deadline == VCLOCK_NEVER || vclock_mode(m->clock) == VCLOCK_ICOUNT) {
        timeout_ms = 100;   /* only host input can wake the guest now */
    } else {
        int64_t wait = deadline - vclock_now(m->clock);
        timeout_ms = wait <= 0 ? 0 : (int)MIN((wait + 999999) / 1000000, 100);
    }
    if (fdless)  /* inputs without an fd (the SDL window) are polled often */
        timeout_ms = MIN(timeout_ms, (int)(m->poll_interval_ns / 1000000));
    if (timeout_ms > 0 && poll(fds, nfds, timeout_ms) < 0 && errno != EINTR)
        warn("poll: %s", strerror(errno));
}

static void idle_stopped(Machine *m)
{
    struct pollfd fds[MACHINE_MAX_HANDLERS];
    int nfds = 0;
    for (int i = 0; i < m->npolls; i++)
        if (m->polls[i].fd >= 0)
            fds[nfds++] = (struct pollfd){ .fd = m->polls[i].fd, .events = POLLIN };
    if (poll(fds, nfds, (int)(m->poll_interval_ns / 1000000)) < 0 && errno != EINTR)
        warn("poll: %s", strerror(errno));
}

static uint64_t slice_budget(Machine *m, double insns_per_ns)
{
    int64_t now = vclock_now(m->clock);
    int64_t deadline = vclock_deadline(m->clock);
    int64_t wait = deadline == VCLOCK_NEVER ? INT64_MAX : deadline - now;
    uint64_t budget;

    if (wait <= 0)
        return 0;
    if (vclock_mode(m->clock) == VCLOCK_ICOUNT) {
        int shift = vclock_icount_shift(m->clock);
        budget = (uint64_t)((wait + (1ll << shift) - 1) >> shift);
        return MIN(budget, (uint64_t)SLICE_MAX_INSNS);
    }
    wait = MIN(wait, (int64_t)HOST_SLICE_NS);
    budget = (uint64_t)(wait * insns_per_ns);
    return MAX(MIN(budget, (uint64_t)SLICE_MAX_INSNS), (uint64_t)SLICE_MIN_INSNS);
}

/* Acts on a pending request; returns 1 when the loop should end. */
static int handle_request(Machine *m)
{
    MachineRequest req = m->request;
    m->request = MACHINE_REQ_NONE;
    switch (req) {
    case MACHINE_REQ_NONE:
        return 0;
    case MACHINE_REQ_RESET:
        if (m->opts.no_reboot) {
            LOG(LOG_RESET, "guest reset with -no-reboot: exiting\n");
            m->exit_status = 0;
            return 1;
        }
        machine_reset(m);
        return 0;
    case MACHINE_REQ_POWEROFF:
        LOG(LOG_RESET, "guest powered off\n");
        m->exit_status = 0;
        if (m->opts.no_shutdown) {
            /* QEMU's -no-shutdown: stop the guest, keep emu (monitor, window). */
            warn("guest powered off; emulation stopped (-no-shutdown): quit to exit");
            m->stopped = true;
            vclock_stop(m->clock);
            return 0;
        }
        return 1;
    case MACHINE_REQ_QUIT:
    case MACHINE_REQ_EXIT:
        return 1;
    }
    return 0;
}

int machine_run(Machine *m)
{
    double insns_per_ns = 0.05;     /* first guess: 50 MIPS, then measured */
    int64_t last_poll = host_clock_ns();
    struct sigaction sa = { .sa_handler = on_signal };

    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    for (;;) {
        uint64_t budget, before;
        int64_t t0, t1;
        CpuRunResult why = CPU_RUN_BUDGET;

        if (quit_signal) {
            LOG(LOG_RESET, "terminating on signal %d\n", (int)quit_signal);
            m->exit_status = 128 + quit_signal;
            break;
        }
        if (m->request != MACHINE_REQ_NONE && handle_request(m))
            break;
        if (m->stopped) {
            /* Powered off with -no-shutdown: only host input matters now. */
            idle_stopped(m);
            run_polls(m);
            continue;
        }

        budget = slice_budget(m, insns_per_ns);
        if (budget) {
            before = cpu_icount(m->cpu);
            t0 = host_clock_ns();
            why = cpu_run(m->cpu, budget);
            t1 = host_clock_ns();
            if (why == CPU_RUN_BUDGET && t1 > t0) {
                double rate = (double)(cpu_icount(m->cpu) - before) / (double)(t1 - t0);
                insns_per_ns = 0.75 * insns_per_ns + 0.25 * MAX(rate, 0.001);
            }
        }
        vclock_run_timers(m->clock);

        if (why == CPU_RUN_HALTED && m->request == MACHINE_REQ_NONE &&
            vclock_deadline(m->clock) > vclock_now(m->clock)) {
            idle(m);
            vclock_run_timers(m->clock);
        }
        if (why == CPU_RUN_HALTED || host_clock_ns() - last_poll >= m->poll_interval_ns) {
            run_polls(m);
            last_poll = host_clock_ns();
        }
    }
    return m->exit_status;
}
