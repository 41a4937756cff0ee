/* vclock.c — virtual clock and sorted timer list (see vclock.h). */
#include <stdlib.h>
#include <time.h>
#include "base/vclock.h"
#include "base/log.h"

struct VClock {
    VClockMode mode;
    int64_t host_offset;      /* HOST: virtual = host - host_offset */
    int64_t stopped_at;       /* HOST: virtual time frozen at, or -1 when running */
    uint64_t (*icount)(void *opaque);
    void *icount_opaque;
    int icount_shift;
    int64_t idle_ns;          /* ICOUNT: time skipped while the CPU was idle */
    int64_t wall_epoch;
    Timer *pending;           /* sorted by expire, earliest first */
};

int64_t host_clock_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * NS_PER_SEC + ts.tv_nsec;
}

VClock *vclock_new(VClockMode mode)
{
    VClock *c = calloc(1, sizeof(*c));
    struct timespec wall;
    if (!c)
        fatal("out of memory");
    c->mode = mode;
    c->host_offset = host_clock_ns();
    c->stopped_at = -1;
    clock_gettime(CLOCK_REALTIME, &wall);
    c->wall_epoch = (int64_t)wall.tv_sec * NS_PER_SEC + wall.tv_nsec;
    return c;
}

void vclock_free(VClock *c)
{
    free(c);
}

VClockMode vclock_mode(const VClock *c)
{
    return c->mode;
}

void vclock_set_icount_source(VClock *c, uint64_t (*count)(void *), void *opaque, int shift)
{
    c->icount = count;
    c->icount_opaque = opaque;
    c->icount_shift = shift;
}

int vclock_icount_shift(const VClock *c)
{
    return c->icount_shift;
}

int64_t vclock_now(VClock *c)
{
    if (c->mode == VCLOCK_ICOUNT)
        return c->idle_ns +
               (c->icount ? (int64_t)(c->icount(c->icount_opaque) << c->icount_shift) : 0);
    if (c->stopped_at >= 0)
        return c->stopped_at;
    return host_clock_ns() - c->host_offset;
}

int64_t vclock_wall_epoch(const VClock *c)
{
    return c->wall_epoch;
}

void vclock_set_wall_epoch(VClock *c, int64_t ns)
{
    c->wall_epoch = ns;
}

void vclock_skip_to(VClock *c, int64_t ns)
{
    int64_t now = vclock_now(c);
    if (c->mode == VCLOCK_ICOUNT && ns > now)
        c->idle_ns += ns - now;
}

void vclock_stop(VClock *c)
{
    if (c->mode == VCLOCK_HOST && c->stopped_at < 0)
        c->stopped_at = vclock_now(c);
}

void vclock_start(VClock *c)
{
    if (c->mode == VCLOCK_HOST && c->stopped_at >= 0) {
        c->host_offset = host_clock_ns() - c->stopped_at;
        c->stopped_at = -1;
    }
}

void timer_init(Timer *t, VClock *clock, TimerFn *fn, void *opaque)
{
    t->expire = 0;
    t->fn = fn;
    t->opaque = opaque;
    t->clock = clock;
    t->next = NULL;
    t->pending = false;
}

void timer_del(Timer *t)
{
    Timer **pp;
    if (!t->pending)
        return;
    for (pp = &t->clock->pending; *pp; pp = &(*pp)->next) {
        if (*pp == t) {
            *pp = t->next;
            break;
        }
    }
    t->next = NULL;
    t->pending = false;
}

void timer_mod(Timer *t, int64_t expire_ns)
{
    Timer **pp;
    timer_del(t);
    t->expire = expire_ns;
    /* Equal expiries keep arming order, so callbacks run first-armed first. */
    for (pp = &t->clock->pending; *pp && (*pp)->expire <= expire_ns; pp = &(*pp)->next)
        ;
    t->next = *pp;
    *pp = t;
    t->pending = true;
}

int64_t vclock_deadline(const VClock *c)
{
    return c->pending ? c->pending->expire : VCLOCK_NEVER;
}

int vclock_run_timers(VClock *c)
{
    int ran = 0;
    int64_t now = vclock_now(c);
    /* A callback may re-arm its own or other timers; take one at a time. */
    while (c->pending && c->pending->expire <= now) {
        Timer *t = c->pending;
        c->pending = t->next;
        t->next = NULL;
        t->pending = false;
        t->fn(t->opaque);
        ran++;
    }
    return ran;
}
