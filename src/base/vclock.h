/* vclock.h — the virtual clock and the timers devices schedule on it.
 *
 * Devices read time only from here, never from the host: vclock_now() gives
 * virtual nanoseconds since the machine was created.
 *
 *  - VCLOCK_HOST (default): virtual time follows the host's monotonic clock,
 *    minus any time the machine was stopped (vclock_stop/vclock_start).
 *  - VCLOCK_ICOUNT: virtual time is the executed-instruction count times
 *    2^shift ns. It is a pure function of guest execution, which is what
 *    deterministic record/replay builds on. The CPU supplies the count.
 *
 * Timers are plain structs embedded in a device's state (timer_init), kept on
 * a list sorted by expiry. The run loop asks vclock_deadline() how long the
 * CPU may run and calls vclock_run_timers() between CPU slices; callbacks run
 * on that single thread, never inside translated code.
 */
#ifndef EMU_BASE_VCLOCK_H
#define EMU_BASE_VCLOCK_H

#include <stdint.h>
#include <stdbool.h>

#define NS_PER_SEC 1000000000ll
#define VCLOCK_NEVER INT64_MAX

typedef enum { VCLOCK_HOST, VCLOCK_ICOUNT } VClockMode;

typedef struct VClock VClock;
typedef struct Timer Timer;
typedef void TimerFn(void *opaque);

struct Timer {
    int64_t expire;     /* absolute virtual ns; meaningful while pending */
    TimerFn *fn;
    void *opaque;
    VClock *clock;
    Timer *next;        /* sorted pending list */
    bool pending;
};

VClock *vclock_new(VClockMode mode);
void vclock_free(VClock *clock);
VClockMode vclock_mode(const VClock *clock);

/* VCLOCK_ICOUNT only: where the executed-instruction count comes from, and
 * how many ns one instruction lasts (2^shift). */
void vclock_set_icount_source(VClock *clock, uint64_t (*count)(void *opaque), void *opaque,
                              int shift);
int vclock_icount_shift(const VClock *clock);

int64_t vclock_now(VClock *clock);
/* Host wall-clock time (ns since the Unix epoch) at virtual time 0: the RTC
 * starts from it. Fixed with vclock_set_wall_epoch() for reproducible runs. */
int64_t vclock_wall_epoch(const VClock *clock);
void vclock_set_wall_epoch(VClock *clock, int64_t ns);

/* VCLOCK_ICOUNT: the CPU is idle (HLT), so move time on to `ns` without
 * instructions (no effect if time is already past it). */
void vclock_skip_to(VClock *clock, int64_t ns);

/* Freeze and resume virtual time (VCLOCK_HOST; a no-op under ICOUNT). */
void vclock_stop(VClock *clock);
void vclock_start(VClock *clock);

void timer_init(Timer *t, VClock *clock, TimerFn *fn, void *opaque);
void timer_mod(Timer *t, int64_t expire_ns);  /* (re)arm at an absolute time */
void timer_del(Timer *t);
static inline bool timer_pending(const Timer *t) { return t->pending; }

/* Earliest pending expiry, or VCLOCK_NEVER. */
int64_t vclock_deadline(const VClock *clock);
/* Run every timer whose expiry is <= now, in expiry order. Returns how many ran. */
int vclock_run_timers(VClock *clock);

/* Host monotonic time in ns: for the UI and run-loop pacing only — never
 * for anything the guest can observe. */
int64_t host_clock_ns(void);

#endif
