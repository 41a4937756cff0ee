/* mc146818.c — MC146818A RTC (see mc146818.h).
 *
 * Time keeping without ticking: the time registers hold their bytes as of
 * `sync_ns` (in the guest's format, so DM and 24/12 changes reinterpret
 * them as on the chip). Update cycles start at U_k = phase_ns + k seconds; each adds one second
 * and ends UPDATE_NS later, when UF (and AF on an alarm match) are set. The
 * periodic interrupt taps the same divider chain: a PF every 2^(RS-1)
 * cycles of the 32.768 kHz time base counted from phase_ns. rtc_sync()
 * brings secs and the flags of register C up to now; every register access
 * syncs first, so between two syncs no setting changes and the closed forms
 * hold. A Timer fires only for the next event that can raise IRQ8.
 *
 * Facts from the MC146818A datasheet: UIP rises 244 us before an update
 * cycle and the cycle lasts 1984 us ("Update Cycle", Table 6); the first
 * update comes half a second after the divider leaves reset (DV2-0 11x ->
 * 010); SET inhibits updates, clears UIP and UIE; an alarm byte with its two
 * top bits set matches anything; PF/AF/UF are set whatever the enables, and
 * IRQF = PF.PIE + AF.AIE + UF.UIE; reading C clears it; the chip counts
 * leap years as years divisible by 4 and does not convert stored values
 * when DM or 24/12 change; RESET clears PIE, AIE, UIE, SQWE and C.
 *
 * Not modelled: daylight-saving (DSE, logged), the square-wave pin,
 * time bases other than 32.768 kHz (logged; the clock stops).
 */
#include <stdlib.h>
#include "hw/mc146818.h"
#include "base/log.h"

#define OSC_HZ 32768
#define UIP_LEAD_NS 244000
#define UPDATE_NS 1984000
#define DAY_SECS 86400
#define CENTURY_DAYS 36525
#define UNIX_TO_2000 946684800ll
#define NEVER INT64_MAX

enum {
    REG_SEC, REG_SEC_ALARM, REG_MIN, REG_MIN_ALARM, REG_HOUR, REG_HOUR_ALARM,
    REG_DOW, REG_DOM, REG_MONTH, REG_YEAR, REG_A, REG_B, REG_C, REG_D,
};
enum { A_UIP = 0x80, A_DV = 0x70, A_RS = 0x0f, DV_RUN = 0x20 };
enum { B_SET = 0x80, B_PIE = 0x40, B_AIE = 0x20, B_UIE = 0x10, B_SQWE = 0x08,
       B_DM = 0x04, B_24H = 0x02, B_DSE = 0x01 };
enum { C_IRQF = 0x80, C_PF = 0x40, C_AF = 0x20, C_UF = 0x10 };
enum { D_VRT = 0x80 };

struct Rtc {
    VClock *clock;
    IrqLine irq;
    uint8_t cmos[128];      /* the time bytes as of sync_ns */
    uint8_t index;
    bool nmi_disabled;
    int64_t phase_ns;
    int64_t sync_ns;
    uint8_t flags;          /* PF, AF, UF */
    bool irq_level;
    bool alarm_level;       /* AF and AIE: the alarm is interrupting */
    void (*alarm_fn)(void *opaque);
    void *alarm_opaque;
    Timer timer;
    Bus *bus;
    IoRange *io;
};

static int64_t floor_div(int64_t a, int64_t b)
{
    return a / b - (a % b < 0);
}

static int64_t mod_floor(int64_t a, int64_t b)
{
    return a - floor_div(a, b) * b;
}

/* -- Calendar (years 2000-2099 as the chip counts them) -- */

static bool is_leap(int yy)
{
    return yy % 4 == 0;
}

static int month_days(int yy, int month)
{
    static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    return days[month - 1] + (month == 2 && is_leap(yy));
}

typedef struct Tm {
    int yy, month, dom, hour, min, sec;
} Tm;

static int64_t tm_to_secs(const Tm *t)
{
    int64_t days = t->yy * 365 + (t->yy + 3) / 4;
    for (int m = 1; m < t->month; m++)
        days += month_days(t->yy, m);
    days += t->dom - 1;
    return mod_floor(days * DAY_SECS + t->hour * 3600 + t->min * 60 + t->sec,
                     (int64_t)CENTURY_DAYS * DAY_SECS);
}

static Tm secs_to_tm(int64_t secs)
{
    Tm t = { 0 };
    int64_t days = secs / DAY_SECS, tod = secs % DAY_SECS;
    t.hour = tod / 3600;
    t.min = tod / 60 % 60;
    t.sec = tod % 60;
    while (days >= 365 + is_leap(t.yy))
        days -= 365 + is_leap(t.yy++);
    for (t.month = 1; days >= month_days(t.yy, t.month); t.month++)
        days -= month_days(t.yy, t.month);
    t.dom = days + 1;
    return t;
}

/* -- Register encodings (DM and 24/12 of register B) -- */

static uint8_t enc(const Rtc *r, int v)
{
    return (r->cmos[REG_B] & B_DM) ? v : (v / 10) << 4 | v % 10;
}

static int dec(const Rtc *r, uint8_t v)
{
    if (r->cmos[REG_B] & B_DM)
        return v;
    if ((v & 0x0f) > 9 || (v >> 4) > 9)
        log_guest_error_once("rtc: invalid BCD value 0x%02x", v);
    return (v >> 4) * 10 + (v & 0x0f);
}

static uint8_t enc_hour(const Rtc *r, int h)
{
    if (r->cmos[REG_B] & B_24H)
        return enc(r, h);
    return enc(r, h % 12 ? h % 12 : 12) | (h >= 12 ? 0x80 : 0);
}

static int dec_hour(const Rtc *r, uint8_t v)
{
    if (r->cmos[REG_B] & B_24H)
        return dec(r, v);
    return dec(r, v & 0x7f) % 12 + (v & 0x80 ? 12 : 0);
}

/* The time registers as seconds since 2000 (out-of-range fields carry). */
static int64_t raw_to_secs(const Rtc *r)
{
    const uint8_t *c = r->cmos;
    Tm t = { dec(r, c[REG_YEAR]) % 100, dec(r, c[REG_MONTH]), dec(r, c[REG_DOM]),
             dec_hour(r, c[REG_HOUR]), dec(r, c[REG_MIN]), dec(r, c[REG_SEC]) };
    if (t.month < 1 || t.month > 12) {
        log_guest_error_once("rtc: month %d out of range", t.month);
        t.month = t.month < 1 ? 1 : 12;
    }
    return tm_to_secs(&t);
}

/* Store time `secs` (may run past the century; it wraps to year 00). The
 * day of week advances by the days elapsed since old_secs, as the chip
 * counts it on its own. */
static void secs_to_raw(Rtc *r, int64_t secs, int64_t old_secs)
{
    uint8_t *c = r->cmos;
    Tm t = secs_to_tm(mod_floor(secs, (int64_t)CENTURY_DAYS * DAY_SECS));
    int64_t days = floor_div(secs, DAY_SECS) - floor_div(old_secs, DAY_SECS);
    int dow = mod_floor(dec(r, c[REG_DOW]) - 1 + days, 7) + 1;

    c[REG_SEC] = enc(r, t.sec);
    c[REG_MIN] = enc(r, t.min);
    c[REG_HOUR] = enc_hour(r, t.hour);
    c[REG_DOW] = enc(r, dow);
    c[REG_DOM] = enc(r, t.dom);
    c[REG_MONTH] = enc(r, t.month);
    c[REG_YEAR] = enc(r, t.yy);
}

/* -- Divider chain, updates, flags -- */

static bool divider_running(const Rtc *r)
{
    return (r->cmos[REG_A] & A_DV) == DV_RUN;
}

static bool updating(const Rtc *r)
{
    return divider_running(r) && !(r->cmos[REG_B] & B_SET);
}

/* Index of the last update cycle starting at or before t. */
static int64_t update_index(const Rtc *r, int64_t t)
{
    return floor_div(t - r->phase_ns, NS_PER_SEC);
}

/* Time-base cycles completed by t. */
static int64_t osc_cycles(const Rtc *r, int64_t t)
{
    __int128 x = (__int128)(t - r->phase_ns) * OSC_HZ;
    return (int64_t)(x >= 0 ? x / NS_PER_SEC : -((-x + NS_PER_SEC - 1) / NS_PER_SEC));
}

static int64_t time_of_cycle(const Rtc *r, int64_t cycle)
{
    return r->phase_ns + (int64_t)(((__int128)cycle * NS_PER_SEC + OSC_HZ - 1) / OSC_HZ);
}

/* Periodic interrupt period in time-base cycles, 0 if off (Table 5). */
static int64_t periodic_cycles(const Rtc *r)
{
    int rs = r->cmos[REG_A] & A_RS;
    if (!rs)
        return 0;
    return 1ll << (rs < 3 ? rs + 6 : rs - 1);
}

static bool alarm_byte_matches(uint8_t alarm, uint8_t value)
{
    return (alarm & 0xc0) == 0xc0 || alarm == value;
}

/* First time >= t (seconds) matching the alarm bytes, or NEVER. */
static int64_t alarm_next(Rtc *r, int64_t t)
{
    for (int64_t x = t; x <= t + DAY_SECS;) {
        int64_t tod = mod_floor(x, DAY_SECS);
        if (!alarm_byte_matches(r->cmos[REG_HOUR_ALARM], enc_hour(r, tod / 3600)))
            x += 3600 - tod % 3600;
        else if (!alarm_byte_matches(r->cmos[REG_MIN_ALARM], enc(r, tod / 60 % 60)))
            x += 60 - tod % 60;
        else if (!alarm_byte_matches(r->cmos[REG_SEC_ALARM], enc(r, tod % 60)))
            x++;
        else
            return x;
    }
    return NEVER;
}

static void sync_updates(Rtc *r, int64_t now)
{
    int64_t from = r->sync_ns, u_from = update_index(r, from);
    int64_t k1 = update_index(r, from - UPDATE_NS) + 1;
    int64_t k2 = update_index(r, now - UPDATE_NS);
    int64_t n = update_index(r, now) - u_from, secs;

    if (k2 < k1 && n == 0)
        return;
    secs = raw_to_secs(r);
    if (k2 >= k1) {
        /* Update cycle k ends at U_k + 1984 us showing secs + k - u_from. */
        r->flags |= C_UF;
        if (alarm_next(r, secs + k1 - u_from) <= secs + k2 - u_from)
            r->flags |= C_AF;
    }
    if (n)
        secs_to_raw(r, secs + n, secs);
}

static void rtc_sync(Rtc *r)
{
    int64_t now = vclock_now(r->clock), period;

    if (now <= r->sync_ns)
        return;
    if (divider_running(r)) {
        period = periodic_cycles(r);
        if (period && floor_div(osc_cycles(r, now), period) >
                      floor_div(osc_cycles(r, r->sync_ns), period))
            r->flags |= C_PF;
        if (!(r->cmos[REG_B] & B_SET))
            sync_updates(r, now);
    }
    r->sync_ns = now;
}

static bool irqf(const Rtc *r)
{
    uint8_t b = r->cmos[REG_B];
    return ((r->flags & C_PF) && (b & B_PIE)) || ((r->flags & C_AF) && (b & B_AIE)) ||
           ((r->flags & C_UF) && (b & B_UIE));
}

/* End of the next update cycle that matches the alarm, or NEVER. */
static int64_t next_alarm(Rtc *r, int64_t now)
{
    int64_t k = update_index(r, now - UPDATE_NS) + 1;       /* next update to end */
    int64_t when = r->phase_ns + k * NS_PER_SEC + UPDATE_NS;
    int64_t shown = raw_to_secs(r) + k - update_index(r, now);
    int64_t match = alarm_next(r, shown);
    return match == NEVER ? NEVER : when + (match - shown) * NS_PER_SEC;
}

/* Earliest future event that would raise IRQ8, or NEVER. While IRQ8 is
 * already up, only an alarm still to be reported to the alarm hook. */
static int64_t next_irq_event(Rtc *r)
{
    int64_t now = r->sync_ns, best = NEVER, period, k;
    uint8_t b = r->cmos[REG_B];

    if (!divider_running(r))
        return NEVER;
    if (irqf(r))
        return r->alarm_fn && (b & B_AIE) && !(r->flags & C_AF) && updating(r) ?
               next_alarm(r, now) : NEVER;
    period = periodic_cycles(r);
    if ((b & B_PIE) && period)
        best = time_of_cycle(r, (floor_div(osc_cycles(r, now), period) + 1) * period);
    if (!updating(r) || !(b & (B_UIE | B_AIE)))
        return best;
    k = update_index(r, now - UPDATE_NS) + 1;       /* next update to end */
    if (b & B_UIE)
        return MIN(best, r->phase_ns + k * NS_PER_SEC + UPDATE_NS);
    return MIN(best, next_alarm(r, now));
}

/* After any change: drive IRQ8 and arm the timer for the next event. */
static void rtc_update(Rtc *r)
{
    bool level = irqf(r);
    bool alarm = (r->flags & C_AF) && (r->cmos[REG_B] & B_AIE);
    int64_t next;

    if (level != r->irq_level) {
        r->irq_level = level;
        irq_set(r->irq, level);
    }
    if (alarm && !r->alarm_level && r->alarm_fn)
        r->alarm_fn(r->alarm_opaque);
    r->alarm_level = alarm;
    next = next_irq_event(r);
    if (next == NEVER)
        timer_del(&r->timer);
    else
        timer_mod(&r->timer, next);
}

static void rtc_timer(void *opaque)
{
    Rtc *r = opaque;
    rtc_sync(r);
    rtc_update(r);
}

static bool uip(Rtc *r)
{
    int64_t into = mod_floor(vclock_now(r->clock) - r->phase_ns, NS_PER_SEC);
    return updating(r) && (into >= NS_PER_SEC - UIP_LEAD_NS || into < UPDATE_NS);
}

/* -- Registers -- */

static uint8_t reg_read(Rtc *r, int reg, bool side_effects)
{
    uint8_t v;

    rtc_sync(r);
    switch (reg) {
    case REG_A:
        return (r->cmos[REG_A] & ~A_UIP) | (uip(r) ? A_UIP : 0);
    case REG_C:
        v = r->flags | (irqf(r) ? C_IRQF : 0);
        if (side_effects) {
            r->flags = 0;
            rtc_update(r);
        }
        return v;
    case REG_D:
        return D_VRT;
    default:
        return r->cmos[reg];
    }
}

static void write_reg_a(Rtc *r, uint8_t v)
{
    bool was_running = divider_running(r);
    uint8_t dv = v & A_DV;

    r->cmos[REG_A] = v & ~A_UIP;
    if (dv != DV_RUN && (dv & 0x60) != 0x60)
        log_unimp("rtc: time base DV=%d (only 32.768 kHz, DV=2, runs)", dv >> 4);
    /* Leaving divider reset: the first update cycle begins 500 ms later. */
    if (!was_running && dv == DV_RUN)
        r->phase_ns = r->sync_ns - NS_PER_SEC / 2;
}

static void write_reg_b(Rtc *r, uint8_t v)
{
    if (v & B_SET)
        v &= ~B_UIE;
    if (v & B_DSE)
        log_unimp("rtc: daylight saving (register B DSE)");
    r->cmos[REG_B] = v;
}

static void reg_write(Rtc *r, int reg, uint8_t v)
{
    rtc_sync(r);
    switch (reg) {
    case REG_A:
        write_reg_a(r, v);
        break;
    case REG_B:
        write_reg_b(r, v);
        break;
    case REG_C:
    case REG_D:
        log_guest_error_once("rtc: write to read-only register %c", 'A' + reg - REG_A);
        break;
    default:
        r->cmos[reg] = v;
        break;
    }
    rtc_update(r);
}

static uint64_t rtc_read(void *opaque, uint64_t offset, unsigned size)
{
    Rtc *r = opaque;
    if (offset == 0)
        return 0xff;            /* the index register is write-only */
    return reg_read(r, r->index, true);
}

static void rtc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Rtc *r = opaque;
    if (offset == 0) {
        r->index = value & 0x7f;
        r->nmi_disabled = value & 0x80;
    } else {
        reg_write(r, r->index, value);
    }
}

static const IoOps rtc_ops = {
    .read = rtc_read, .write = rtc_write, .min_size = 1, .max_size = 1,
};

/* -- Public -- */

void rtc_set_cmos(Rtc *r, int index, uint8_t value)
{
    reg_write(r, index & 0x7f, value);
}

uint8_t rtc_get_cmos(Rtc *r, int index)
{
    return reg_read(r, index & 0x7f, false);
}

bool rtc_nmi_disabled(const Rtc *r)
{
    return r->nmi_disabled;
}

void rtc_reset(Rtc *r)
{
    rtc_sync(r);
    r->cmos[REG_B] &= ~(B_PIE | B_AIE | B_UIE | B_SQWE);
    r->flags = 0;
    rtc_update(r);
}

/* Battery-backed state at power-on: the host's time, BIOS defaults for A/B. */
static void rtc_power_on(Rtc *r)
{
    int64_t wall = vclock_wall_epoch(r->clock);
    int64_t unix_secs = floor_div(wall, NS_PER_SEC);
    int64_t days = floor_div(unix_secs - UNIX_TO_2000, DAY_SECS);
    int century = 20 + floor_div(days, CENTURY_DAYS);

    r->cmos[REG_A] = DV_RUN | 0x06;             /* 32.768 kHz, 1024 Hz */
    r->cmos[REG_B] = B_24H;
    r->phase_ns = -mod_floor(wall, NS_PER_SEC); /* seconds flip with the host's */
    days = mod_floor(days, CENTURY_DAYS);
    r->cmos[REG_DOW] = enc(r, mod_floor(days + 6, 7) + 1);   /* 2000-01-01: Saturday */
    secs_to_raw(r, days * DAY_SECS + mod_floor(unix_secs, DAY_SECS), days * DAY_SECS);
    r->sync_ns = 0;                             /* that was the time at 0 ns */
    rtc_sync(r);
    r->cmos[RTC_CMOS_CENTURY] = (century / 10) << 4 | century % 10;
}

Rtc *rtc_new(Bus *bus, VClock *clock, IrqLine irq8)
{
    Rtc *r = calloc(1, sizeof(*r));
    if (!r)
        fatal("out of memory");
    r->clock = clock;
    r->irq = irq8;
    r->bus = bus;
    timer_init(&r->timer, clock, rtc_timer, r);
    rtc_power_on(r);
    rtc_reset(r);
    r->io = bus_map_io(bus, "rtc", 0x70, 2, &rtc_ops, r);
    if (!r->io)
        fatal("rtc: ports 0x70-0x71 already taken");
    return r;
}

void rtc_set_alarm_hook(Rtc *r, void (*fn)(void *opaque), void *opaque)
{
    r->alarm_fn = fn;
    r->alarm_opaque = opaque;
    rtc_update(r);
}

void rtc_free(Rtc *r)
{
    if (!r)
        return;
    timer_del(&r->timer);
    bus_unmap_io(r->bus, r->io);
    free(r);
}
