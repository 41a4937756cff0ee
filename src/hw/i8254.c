/* i8254.c — Intel 82C54 interval timer and port 0x61 (see i8254.h).
 *
 * Nothing ticks. CLK pulses sit on a fixed grid: pulse k happens at virtual
 * time ceil(k * 1e9 / 1193182) ns, so "pulses seen by now" is
 * floor(now * 1193182 / 1e9). Each counter's counting element (CE) is a
 * closed-form function of the pulse number within a Segment:
 *   - before seg.start (or while the segment is idle) the CE holds
 *     pre_count and OUT holds pre_out;
 *   - from seg.start on, d = T - seg.origin pulses have been counted, and
 *     count and OUT follow the mode (seg_count, seg_out, seg_next_edge).
 * Control words, count writes and gate edges close the current segment at
 * the current pulse and open a new one. A count rewritten in mode 2/3 while
 * counting takes effect at the end of the current (half-)cycle: that is the
 * `next` segment, which governs pulses from next.start on.
 *
 * Counter 0 re-arms a Timer at the time of its next OUT edge and drives
 * irq0 with the level OUT takes at that edge.
 *
 * Facts from the Intel 82C54 datasheet ("Mode Definitions"): a count written
 * is loaded into the CE on the next CLK pulse, which does not decrement it;
 * 0 means 2^16 (binary) or 10^4 (BCD); mode 2 OUT is low for the pulse
 * where the count is 1; mode 3 OUT is high for ceil(N/2) and low for
 * floor(N/2) pulses; modes 4/5 strobe OUT low for one pulse at count 0.
 */
#include <stdlib.h>
#include "hw/i8254.h"
#include "base/log.h"

#define NEVER INT64_MAX
#define REFRESH_PULSES 18       /* BIOS programs counter 1: 15.08 us refresh */

typedef struct Segment {
    int64_t start;      /* first pulse this segment governs */
    int64_t origin;     /* d = T - origin */
    uint32_t n;         /* count at origin (modes 0,1,4,5) or the period (2,3) */
    bool armed;         /* modes 0,1,4,5: the terminal count is still ahead */
    bool idle;          /* not counting: CE holds pre_count */
} Segment;

typedef struct PitChannel {
    Pit *pit;
    int index;
    uint8_t mode;           /* 0-5 (6 and 7 alias 2 and 3) */
    uint8_t mode_bits;      /* M2-M0 as written, for read-back status */
    uint8_t rw;             /* 1 lsb, 2 msb, 3 lsb then msb; 0 unprogrammed */
    bool bcd;
    bool gate;
    bool has_count;         /* a count was written after the control word */
    uint32_t cr_n;          /* last count written, decoded (1..modulus) */

    bool write_msb_next;    /* two-byte write flip-flop */
    uint8_t write_lsb;
    bool read_msb_next;     /* two-byte read flip-flop (unlatched) */

    bool count_latched;
    bool latch_msb_next;
    uint16_t latch;
    bool status_latched;
    uint8_t status;

    Segment cur, next;      /* next is valid when next.start != NEVER */
    uint32_t pre_count;     /* CE value outside a counting segment */
    bool pre_out;
    bool frozen_armed;      /* modes 0/4: armed when the gate stopped us */
    int64_t null_until;     /* status NULL COUNT until this pulse */

    Timer timer;            /* counter 0: next OUT edge */
    int64_t timer_edge;
    bool irq_level;
} PitChannel;

struct Pit {
    PitChannel ch[3];
    VClock *clock;
    IrqLine irq0;
    uint8_t port61;         /* bits 0-3 as written */
    Bus *bus;
    IoRange *io, *io61;
};

/* -- Time base -- */

static int64_t pulses_at(int64_t ns)
{
    return (int64_t)(((__int128)ns * PIT_FREQ_HZ) / NS_PER_SEC);
}

static int64_t time_of_pulse(int64_t pulse)
{
    return (int64_t)(((__int128)pulse * NS_PER_SEC + PIT_FREQ_HZ - 1) / PIT_FREQ_HZ);
}

static int64_t now_pulse(PitChannel *c)
{
    return pulses_at(vclock_now(c->pit->clock));
}

static uint32_t modulus(const PitChannel *c)
{
    return c->bcd ? 10000 : 65536;
}

static uint32_t bcd_decode(uint16_t v)
{
    return (v & 15) + ((v >> 4) & 15) * 10 + ((v >> 8) & 15) * 100 + (v >> 12) * 1000;
}

static uint16_t bcd_encode(uint32_t v)
{
    return (v % 10) | (v / 10 % 10) << 4 | (v / 100 % 10) << 8 | (v / 1000 % 10) << 12;
}

static int64_t mod_floor(int64_t a, int64_t m)
{
    int64_t r = a % m;
    return r < 0 ? r + m : r;
}

/* -- The counting element, per mode -- */

static uint32_t mode3_high(uint32_t n)
{
    return (n + 1) / 2;
}

static uint32_t seg_count(const PitChannel *c, const Segment *s, int64_t t)
{
    int64_t d = t - s->origin, p, half;

    switch (c->mode) {
    case 2:
        return (s->n - d % s->n) % modulus(c);
    case 3:
        p = d % s->n;
        half = mode3_high(s->n);
        if (p >= half)
            p -= half;
        /* Odd counts load N-1 and count down by two (82C54 mode 3). */
        return (uint32_t)((s->n & ~1u) - 2 * p) % modulus(c);
    default:
        return (uint32_t)mod_floor((int64_t)s->n - d, modulus(c));
    }
}

static bool seg_out(const PitChannel *c, const Segment *s, int64_t t)
{
    int64_t d = t - s->origin;

    switch (c->mode) {
    case 0:
    case 1:
        return !s->armed || d >= s->n;
    case 2:
        return s->n > 1 && d % s->n != s->n - 1;
    case 3:
        return d % s->n < mode3_high(s->n);
    default:                                    /* 4, 5 */
        return !(s->armed && d == s->n);
    }
}

/* First pulse after t (t >= s->start) at which OUT changes, or NEVER. */
static int64_t seg_next_edge(const PitChannel *c, const Segment *s, int64_t t)
{
    int64_t d = t - s->origin, p, high;

    switch (c->mode) {
    case 0:
    case 1:
        return s->armed && d < s->n ? s->origin + s->n : NEVER;
    case 2:
        if (s->n < 2)
            return NEVER;
        p = d % s->n;
        return p < s->n - 1 ? t + (s->n - 1 - p) : t + 1;
    case 3:
        high = mode3_high(s->n);
        if (high == s->n)
            return NEVER;
        p = d % s->n;
        return p < high ? t + (high - p) : t + (s->n - p);
    default:
        if (!s->armed || d > s->n)
            return NEVER;
        return d < s->n ? s->origin + s->n : s->origin + s->n + 1;
    }
}

/* -- A counter as a whole: pure queries at pulse t -- */

static const Segment *seg_at(const PitChannel *c, int64_t t)
{
    if (c->next.start != NEVER && t >= c->next.start)
        return &c->next;
    if (c->cur.idle || t < c->cur.start)
        return NULL;
    return &c->cur;
}

static uint32_t ch_count(const PitChannel *c, int64_t t)
{
    const Segment *s = seg_at(c, t);
    return s ? seg_count(c, s, t) : c->pre_count;
}

static bool ch_out(const PitChannel *c, int64_t t)
{
    const Segment *s = seg_at(c, t);
    return s ? seg_out(c, s, t) : c->pre_out;
}

/* Next OUT edge of segment s after pulse t, given OUT was `before` up to
 * s->start - 1. */
static int64_t edge_into(const PitChannel *c, const Segment *s, int64_t t, bool before)
{
    if (s->idle)
        return NEVER;
    if (t >= s->start)
        return seg_next_edge(c, s, t);
    if (seg_out(c, s, s->start) != before)
        return s->start;
    return seg_next_edge(c, s, s->start);
}

static int64_t ch_next_edge(const PitChannel *c, int64_t t)
{
    int64_t e;
    if (c->next.start != NEVER && t >= c->next.start)
        return seg_next_edge(c, &c->next, t);
    e = edge_into(c, &c->cur, t, c->pre_out);
    if (c->next.start == NEVER || e < c->next.start)
        return e;
    return edge_into(c, &c->next, c->next.start - 1, ch_out(c, c->next.start - 1));
}

/* Fold an elapsed `next` segment into `cur` before changing anything. */
static void ch_commit(PitChannel *c, int64_t t)
{
    if (c->next.start != NEVER && t >= c->next.start) {
        c->cur = c->next;
        c->next.start = NEVER;
    }
}

/* Stop counting at pulse t, holding the current count and OUT. */
static void ch_stop(PitChannel *c, int64_t t, bool out)
{
    const Segment *s = seg_at(c, t);
    if (s) {
        c->frozen_armed = s->armed && t - s->origin < s->n;
        c->pre_count = seg_count(c, s, t);
    } else if (!c->cur.idle) {
        /* The count written still enters the CE on the next pulse. */
        c->frozen_armed = c->cur.armed;
        c->pre_count = c->cur.n % modulus(c);
    }
    c->pre_out = out;
    c->cur.idle = true;
    c->next.start = NEVER;
}

/* Start a segment whose count n is in the CE at pulse `origin`. */
static void ch_start(PitChannel *c, int64_t start, int64_t origin, uint32_t n, bool armed)
{
    c->cur = (Segment){ .start = start, .origin = origin, .n = n, .armed = armed };
    c->next.start = NEVER;
}

/* -- Counter 0 drives irq0 -- */

static void ch0_drive(PitChannel *c, bool level)
{
    if (level != c->irq_level) {
        c->irq_level = level;
        irq_set(c->pit->irq0, level);
    }
}

static void ch0_schedule(PitChannel *c, int64_t t)
{
    c->timer_edge = ch_next_edge(c, t);
    if (c->timer_edge == NEVER)
        timer_del(&c->timer);
    else
        timer_mod(&c->timer, time_of_pulse(c->timer_edge));
}

/* After a register change: OUT now, and the timer for the next edge. */
static void ch_changed(PitChannel *c, int64_t t)
{
    if (c->index != 0)
        return;
    ch0_drive(c, ch_out(c, t));
    ch0_schedule(c, t);
}

static void ch0_timer(void *opaque)
{
    PitChannel *c = opaque;
    int64_t now = now_pulse(c), e = c->timer_edge;

    /* Deliver each edge in order so the PIC sees every rising edge; after a
     * few, give up catching up (a late host) and resynchronise. */
    for (int i = 0; i < 4 && e != NEVER && e <= now; i++) {
        ch0_drive(c, ch_out(c, e));
        e = ch_next_edge(c, e);
    }
    if (e != NEVER && e <= now) {
        ch0_drive(c, ch_out(c, now));
        e = ch_next_edge(c, now);
    }
    c->timer_edge = e;
    if (e != NEVER)
        timer_mod(&c->timer, time_of_pulse(e));
}

/* -- Loading counts -- */

/* Pulse at which a count written in mode 2/3 at pulse t takes over. */
static int64_t reload_point(const PitChannel *c, int64_t t, uint32_t new_n, int64_t *origin)
{
    const Segment *s = &c->cur;
    int64_t d = t - s->origin, p = d % s->n, high = mode3_high(s->n), r;

    if (c->mode == 2 || p >= high) {
        r = t - p + s->n;                   /* start of the next cycle */
        *origin = r;
    } else {
        r = t - p + high;                   /* mode 3: end of the high half */
        *origin = r - mode3_high(new_n);
    }
    return r;
}

static void load_count(PitChannel *c, int64_t t, uint16_t raw)
{
    uint32_t n = c->bcd ? bcd_decode(raw) % 10000 : raw;
    bool counting = seg_at(c, t) != NULL;
    int64_t origin;

    if (n == 0)
        n = modulus(c);
    c->cr_n = n;
    c->has_count = true;
    switch (c->mode) {
    case 0:
    case 4:
        c->pre_count = ch_count(c, t);
        c->pre_out = c->mode == 4;
        c->null_until = t + 1;
        if (c->gate) {
            ch_start(c, t + 1, t + 1, n, true);
        } else {
            c->pre_count = n;
            c->frozen_armed = true;
            c->cur.idle = true;
        }
        break;
    case 2:
    case 3:
        if (counting && c->gate && t >= c->cur.start) {
            c->next = (Segment){ .n = n, .armed = true };
            c->next.start = reload_point(c, t, n, &origin);
            c->next.origin = origin;
            c->null_until = c->next.start;
        } else if (c->gate) {
            c->pre_count = ch_count(c, t);
            c->pre_out = true;
            ch_start(c, t + 1, t + 1, n, true);
            c->null_until = t + 1;
        } else {
            c->null_until = NEVER;          /* loaded by the gate's rising edge */
        }
        break;
    default:                                /* 1, 5: loaded by the next trigger */
        c->null_until = NEVER;
        break;
    }
}

/* -- Gate -- */

static void gate_rise(PitChannel *c, int64_t t)
{
    switch (c->mode) {
    case 0:
    case 4:
        if (c->cur.idle && !c->write_msb_next)
            ch_start(c, t + 1, t, c->pre_count ? c->pre_count : modulus(c), c->frozen_armed);
        break;
    default:            /* 1, 2, 3, 5: the rising edge (re)triggers the count */
        c->pre_count = ch_count(c, t);
        c->pre_out = ch_out(c, t);
        ch_start(c, t + 1, t + 1, c->cr_n, true);
        c->null_until = t + 1;
        break;
    }
}

static void gate_fall(PitChannel *c, int64_t t)
{
    switch (c->mode) {
    case 0:
    case 4:
        ch_stop(c, t, ch_out(c, t));
        break;
    case 2:
    case 3:
        ch_stop(c, t, true);            /* GATE low forces OUT high */
        break;
    default:
        break;                          /* modes 1, 5: no effect */
    }
}

void pit_set_gate(Pit *pit, int channel, bool level)
{
    PitChannel *c = &pit->ch[channel];
    int64_t t = now_pulse(c);

    if (level == c->gate)
        return;
    c->gate = level;
    if (!c->rw || !c->has_count)
        return;
    ch_commit(c, t);
    if (level)
        gate_rise(c, t);
    else
        gate_fall(c, t);
    ch_changed(c, t);
}

bool pit_get_out(Pit *pit, int channel)
{
    PitChannel *c = &pit->ch[channel];
    return ch_out(c, now_pulse(c));
}

/* -- Control word -- */

static uint16_t ch_count_reg(const PitChannel *c, int64_t t)
{
    uint32_t v = ch_count(c, t);
    return c->bcd ? bcd_encode(v) : v;
}

static void latch_count(PitChannel *c, int64_t t)
{
    if (c->count_latched)
        return;                 /* 82C54: a second latch before reading is ignored */
    c->latch = ch_count_reg(c, t);
    c->count_latched = true;
    c->latch_msb_next = false;
}

static void latch_status(PitChannel *c, int64_t t)
{
    if (c->status_latched)
        return;
    c->status = ch_out(c, t) << 7 | (t < c->null_until) << 6 | c->rw << 4 |
                c->mode_bits << 1 | c->bcd;
    c->status_latched = true;
}

static void read_back(Pit *pit, uint8_t v, int64_t t)
{
    for (int i = 0; i < 3; i++) {
        if (!(v & (2 << i)))
            continue;
        if (!(v & 0x10))
            latch_status(&pit->ch[i], t);
        if (!(v & 0x20))
            latch_count(&pit->ch[i], t);
    }
}

static void set_mode(PitChannel *c, uint8_t v, int64_t t)
{
    c->pre_count = ch_count(c, t);
    c->rw = (v >> 4) & 3;
    c->mode_bits = (v >> 1) & 7;
    c->mode = c->mode_bits > 5 ? c->mode_bits - 4 : c->mode_bits;
    c->bcd = v & 1;
    c->write_msb_next = c->read_msb_next = false;
    c->count_latched = c->status_latched = false;
    c->has_count = false;
    c->null_until = NEVER;
    /* 82C54: a control word resets the counter; OUT low in mode 0, else high. */
    c->pre_out = c->mode != 0;
    c->cur.idle = true;
    c->next.start = NEVER;
}

static void write_control(Pit *pit, uint8_t v)
{
    int64_t t = pulses_at(vclock_now(pit->clock));
    PitChannel *c;

    if ((v >> 6) == 3) {
        read_back(pit, v, t);
        return;
    }
    c = &pit->ch[v >> 6];
    ch_commit(c, t);
    if ((v & 0x30) == 0)
        latch_count(c, t);
    else
        set_mode(c, v, t);
    ch_changed(c, t);
}

/* -- Counter ports -- */

static void write_counter(PitChannel *c, uint8_t v)
{
    int64_t t = now_pulse(c);
    uint16_t raw;

    if (!c->rw) {
        log_guest_error_once("pit: count written to unprogrammed counter %d", c->index);
        return;
    }
    ch_commit(c, t);
    if (c->rw == 3 && !c->write_msb_next) {
        c->write_lsb = v;
        c->write_msb_next = true;
        /* Mode 0: writing the first byte stops counting and sets OUT low. */
        if (c->mode == 0 && c->has_count) {
            ch_stop(c, t, false);
            ch_changed(c, t);
        }
        return;
    }
    if (c->rw == 3)
        raw = c->write_lsb | v << 8;
    else
        raw = c->rw == 1 ? v : v << 8;
    c->write_msb_next = false;
    load_count(c, t, raw);
    ch_changed(c, t);
}

static uint8_t read_latched(PitChannel *c)
{
    uint8_t v;
    if (c->rw == 3 && !c->latch_msb_next) {
        c->latch_msb_next = true;
        return c->latch & 0xff;
    }
    v = c->rw == 1 ? c->latch & 0xff : c->latch >> 8;
    c->count_latched = false;
    return v;
}

static uint8_t read_counter(PitChannel *c)
{
    uint16_t v;

    if (c->status_latched) {
        c->status_latched = false;
        return c->status;
    }
    if (c->count_latched)
        return read_latched(c);
    v = ch_count_reg(c, now_pulse(c));
    switch (c->rw) {
    case 1: return v & 0xff;
    case 2: return v >> 8;
    case 3:
        c->read_msb_next = !c->read_msb_next;
        return c->read_msb_next ? v & 0xff : v >> 8;
    default:
        log_guest_error_once("pit: read of unprogrammed counter %d", c->index);
        return 0xff;
    }
}

static uint64_t pit_read(void *opaque, uint64_t offset, unsigned size)
{
    Pit *pit = opaque;
    if (offset == 3) {
        log_guest_error_once("pit: read of the control word register");
        return 0xff;
    }
    return read_counter(&pit->ch[offset]);
}

static void pit_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Pit *pit = opaque;
    if (offset == 3)
        write_control(pit, value);
    else
        write_counter(&pit->ch[offset], value);
}

static const IoOps pit_ops = {
    .read = pit_read, .write = pit_write, .min_size = 1, .max_size = 1,
};

/* -- Port 0x61 -- */

/* PIIX REF_TOGGLE flips after every refresh cycle, i.e. every rising edge of
 * counter 1's OUT; unprogrammed, it runs at the BIOS's 15.08 us period. */
static bool refresh_toggle(const PitChannel *c1, int64_t t)
{
    const Segment *s = seg_at(c1, t);
    if (s && (c1->mode == 2 || c1->mode == 3))
        return ((t - s->origin) / s->n) & 1;
    return (t / REFRESH_PULSES) & 1;
}

static uint64_t port61_read(void *opaque, uint64_t offset, unsigned size)
{
    Pit *pit = opaque;
    int64_t t = pulses_at(vclock_now(pit->clock));
    return pit->port61 | refresh_toggle(&pit->ch[1], t) << 4 | ch_out(&pit->ch[2], t) << 5;
}

static void port61_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Pit *pit = opaque;
    pit->port61 = value & 0x0f;
    if ((value & 3) == 3)
        log_unimp("pcspk: speaker sound output");
    pit_set_gate(pit, 2, value & 1);
}

static const IoOps port61_ops = {
    .read = port61_read, .write = port61_write, .min_size = 1, .max_size = 1,
};

/* -- Life cycle -- */

void pit_reset(Pit *pit)
{
    for (int i = 0; i < 3; i++) {
        PitChannel *c = &pit->ch[i];
        timer_del(&c->timer);
        *c = (PitChannel){ .pit = pit, .index = i, .timer = c->timer, .irq_level = c->irq_level };
        c->gate = i != 2;
        c->cur.idle = true;
        c->next.start = NEVER;
        c->null_until = NEVER;
    }
    pit->port61 = 0;
    ch0_drive(&pit->ch[0], false);
}

Pit *pit_new(Bus *bus, VClock *clock, IrqLine irq0)
{
    Pit *pit = calloc(1, sizeof(*pit));
    if (!pit)
        fatal("out of memory");
    pit->clock = clock;
    pit->irq0 = irq0;
    pit->bus = bus;
    timer_init(&pit->ch[0].timer, clock, ch0_timer, &pit->ch[0]);
    pit_reset(pit);
    pit->io = bus_map_io(bus, "pit", 0x40, 4, &pit_ops, pit);
    pit->io61 = bus_map_io(bus, "port61", 0x61, 1, &port61_ops, pit);
    if (!pit->io || !pit->io61)
        fatal("pit: ports 0x40-0x43/0x61 already taken");
    return pit;
}

void pit_free(Pit *pit)
{
    if (!pit)
        return;
    timer_del(&pit->ch[0].timer);
    bus_unmap_io(pit->bus, pit->io);
    bus_unmap_io(pit->bus, pit->io61);
    free(pit);
}
