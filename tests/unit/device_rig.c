/* device_rig.c — see device_rig.h. */
#include "unit/device_rig.h"

static uint64_t read_ns(void *opaque)
{
    return *(uint64_t *)opaque;
}

void fake_clock_attach(VClock *clock, uint64_t *ns)
{
    vclock_set_icount_source(clock, read_ns, ns, 0);
}

void fake_clock_run_until(VClock *clock, uint64_t *ns, int64_t t)
{
    while (vclock_deadline(clock) <= t) {
        *ns = vclock_deadline(clock);
        vclock_run_timers(clock);
    }
    *ns = t;
}

void edges_record(void *opaque, int pin, int level)
{
    Edges *e = opaque;
    if (e->n < EDGES_MAX) {
        e->t[e->n] = vclock_now(e->clock);
        e->level[e->n++] = level;
    }
}
