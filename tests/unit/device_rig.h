/* device_rig.h — what the timer-driven device tests share (test_pit,
 * test_rtc, test_rtc_alarm, test_uart): virtual time the test moves by
 * hand, and a log of an IRQ line's level changes with their times.
 *
 *   static uint64_t now_ns;
 *   VClock *clock = vclock_new(VCLOCK_ICOUNT);
 *   fake_clock_attach(clock, &now_ns);          time is now_ns (set it freely)
 *   fake_clock_run_until(clock, &now_ns, t);    timers fire at their deadlines
 */
#ifndef EMU_TESTS_DEVICE_RIG_H
#define EMU_TESTS_DEVICE_RIG_H

#include <stdint.h>
#include "base/vclock.h"

/* clock (made with VCLOCK_ICOUNT) reads *ns as the time, in nanoseconds. */
void fake_clock_attach(VClock *clock, uint64_t *ns);
/* Advance *ns to t, running each of clock's timers at its exact deadline. */
void fake_clock_run_until(VClock *clock, uint64_t *ns, int64_t t);

#define EDGES_MAX 64
/* The first EDGES_MAX level changes of a line:
 * irq_line(edges_record, &edges, pin) with edges.clock set. */
typedef struct Edges {
    VClock *clock;
    int64_t t[EDGES_MAX];
    int level[EDGES_MAX];
    int n;
} Edges;
void edges_record(void *opaque, int pin, int level);

#endif
