/* hpet.c — High Precision Event Timer, IA-PC HPET Specification 1.0a.
 *
 * Registers (spec 2.3.1): 0x000 capabilities/ID, 0x010 configuration,
 * 0x020 interrupt status, 0x0f0 main counter, 0x100 + 0x20*n timer n
 * (config/capabilities, comparator, FSB route). All are 64-bit; 32-bit
 * accesses reach either half.
 *
 * Invariants: while ENABLE_CNF is set the main counter is
 * counter_base + (now - enable_ns) / 10 ns; while clear it is counter_base.
 * Each comparator has a Timer armed for the moment the counter next equals
 * it (only while enabled). Interrupt outputs are recomputed as a whole by
 * hpet_update_irqs() from the status bits, the routing and the legacy
 * inputs; edge-mode timers pulse their outputs instead.
 */
#include <stdlib.h>
#include "hw/hpet.h"
#include "base/log.h"

#define HPET_TICK_NS 10         /* HPET_PERIOD_FS / 1e6 */

#define CNF_ENABLE 1ull
#define CNF_LEGACY 2ull

/* Tn_CONF_CAP bits (spec 2.3.8). */
#define TN_LEVEL (1ull << 1)
#define TN_ENABLE (1ull << 2)
#define TN_PERIODIC (1ull << 3)
#define TN_PER_CAP (1ull << 4)
#define TN_SIZE_CAP (1ull << 5)
#define TN_VAL_SET (1ull << 6)
#define TN_32BIT (1ull << 8)
#define TN_ROUTE_SHIFT 9
#define TN_ROUTE_MASK (0x1full << TN_ROUTE_SHIFT)
#define TN_ROUTE_CAP 0x00f00000ull  /* I/O APIC pins 20-23 */
#define TN_WMASK (TN_LEVEL | TN_ENABLE | TN_PERIODIC | TN_VAL_SET | TN_32BIT | TN_ROUTE_MASK)

/* Outputs: the I/O APIC pins, then the 8259's IRQ0 and IRQ8. */
enum { OUT_PIC0 = HPET_NUM_GSI, OUT_PIC8, OUT_NUM };

typedef struct HpetTimer {
    struct Hpet *h;
    int index;
    uint64_t config;
    uint64_t cmp;
    uint64_t period;
    Timer timer;
} HpetTimer;

struct Hpet {
    Bus *bus;
    VClock *clock;
    MemRegion *mmio;
    IrqLine out[OUT_NUM];
    bool out_level[OUT_NUM];
    bool legacy_in[2];          /* PIT, RTC */
    uint64_t config;
    uint64_t isr;
    uint64_t counter_base;
    int64_t enable_ns;
    HpetTimer t[HPET_NUM_TIMERS];
};

static uint64_t hpet_counter(Hpet *h)
{
    if (!(h->config & CNF_ENABLE))
        return h->counter_base;
    return h->counter_base + (uint64_t)(vclock_now(h->clock) - h->enable_ns) / HPET_TICK_NS;
}

/* -- Interrupt outputs -- */

/* The outputs timer n drives; returns how many (1 or 2). */
static int hpet_timer_outputs(const Hpet *h, int n, int o[2])
{
    if ((h->config & CNF_LEGACY) && n < 2) {
        /* Legacy replacement (spec 2.3.9.2.2 table): timer 0 -> IRQ0 and
         * I/O APIC 2, timer 1 -> IRQ8 and I/O APIC 8. */
        o[0] = n == 0 ? OUT_PIC0 : OUT_PIC8;
        o[1] = n == 0 ? 2 : 8;
        return 2;
    }
    o[0] = (h->t[n].config & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;
    return 1;
}

static void hpet_update_irqs(Hpet *h)
{
    bool want[OUT_NUM] = { false };
    int o[2];

    if (!(h->config & CNF_LEGACY)) {
        want[OUT_PIC0] = want[2] = h->legacy_in[0];
        want[OUT_PIC8] = want[8] = h->legacy_in[1];
    }
    for (int n = 0; n < HPET_NUM_TIMERS && (h->config & CNF_ENABLE); n++) {
        uint64_t c = h->t[n].config;
        if ((c & TN_LEVEL) && (c & TN_ENABLE) && (h->isr >> n & 1)) {
            int k = hpet_timer_outputs(h, n, o);
            for (int i = 0; i < k; i++)
                want[o[i]] = true;
        }
    }
    for (int i = 0; i < OUT_NUM; i++) {
        if (want[i] != h->out_level[i]) {
            h->out_level[i] = want[i];
            irq_set(h->out[i], want[i]);
        }
    }
}

/* A comparator matched. Level mode sets the status bit (even when the
 * timer's interrupt is disabled, spec 2.3.8); edge mode pulses. */
static void hpet_timer_raise(HpetTimer *t)
{
    Hpet *h = t->h;
    int o[2], k;
    if (t->config & TN_LEVEL) {
        h->isr |= 1ull << t->index;
        hpet_update_irqs(h);
        return;
    }
    if (!(t->config & TN_ENABLE))
        return;
    k = hpet_timer_outputs(h, t->index, o);
    for (int i = 0; i < k; i++)
        if (!h->out_level[o[i]])
            irq_pulse(h->out[o[i]]);
}

void hpet_set_legacy_input(void *opaque, int pin, int level)
{
    Hpet *h = opaque;
    h->legacy_in[pin & 1] = level != 0;
    hpet_update_irqs(h);
}

/* -- Comparators -- */

static void hpet_timer_arm(HpetTimer *t)
{
    Hpet *h = t->h;
    uint64_t cur, delta, ticks;

    if (!(h->config & CNF_ENABLE)) {
        timer_del(&t->timer);
        return;
    }
    cur = hpet_counter(h);
    if (t->config & TN_32BIT) {
        delta = (uint32_t)(t->cmp - cur);
        if (!delta)
            delta = 1ull << 32;     /* matches again after the low half wraps */
    } else if (t->cmp > cur) {
        delta = t->cmp - cur;
    } else {
        timer_del(&t->timer);       /* passed; next match after 2^64 ticks */
        return;
    }
    ticks = cur - h->counter_base + delta;
    if (ticks > (uint64_t)(INT64_MAX - h->enable_ns) / HPET_TICK_NS) {
        timer_del(&t->timer);
        return;
    }
    timer_mod(&t->timer, h->enable_ns + (int64_t)ticks * HPET_TICK_NS);
}

/* Periodic mode: the comparator steps by the period past the counter. */
static void hpet_timer_advance(HpetTimer *t, uint64_t cur)
{
    uint64_t late, n;
    if (t->config & TN_32BIT) {
        late = (uint32_t)(cur - t->cmp);
        n = late / t->period + 1;
        t->cmp = (uint32_t)(t->cmp + n * t->period);
    } else if (t->cmp <= cur) {
        n = (cur - t->cmp) / t->period + 1;
        t->cmp += n * t->period;
    }
}

static void hpet_timer_fire(void *opaque)
{
    HpetTimer *t = opaque;
    if ((t->config & TN_PERIODIC) && t->period)
        hpet_timer_advance(t, hpet_counter(t->h));
    hpet_timer_raise(t);
    hpet_timer_arm(t);
}

static void hpet_timer_write_config(HpetTimer *t, uint64_t v)
{
    Hpet *h = t->h;
    uint64_t route = (v & TN_ROUTE_MASK) >> TN_ROUTE_SHIFT;

    if ((v ^ t->config) & TN_ROUTE_MASK && !(TN_ROUTE_CAP >> route & 1)) {
        log_guest_error_once("hpet: timer %d routed to unsupported pin %d",
                             t->index, (int)route);
        v = (v & ~TN_ROUTE_MASK) | (t->config & TN_ROUTE_MASK);
    }
    t->config = (t->config & ~TN_WMASK) | (v & TN_WMASK);
    if (t->config & TN_32BIT) {
        t->cmp &= 0xffffffffu;
        t->period &= 0xffffffffu;
    }
    if (!(t->config & TN_LEVEL))
        h->isr &= ~(1ull << t->index);
    hpet_timer_arm(t);
    hpet_update_irqs(h);
}

/* Spec 2.3.9.2.2: in periodic mode a write sets the period, and with
 * Tn_VAL_SET_CNF also the comparator; VAL_SET clears itself. */
static void hpet_timer_write_cmp(HpetTimer *t, uint64_t value, uint64_t mask)
{
    bool periodic = t->config & TN_PERIODIC;
    if (t->config & TN_32BIT)
        mask &= 0xffffffffu;
    if (!mask)
        return;
    if (!periodic || (t->config & TN_VAL_SET))
        t->cmp = (t->cmp & ~mask) | (value & mask);
    if (periodic)
        t->period = (t->period & ~mask) | (value & mask);
    t->config &= ~TN_VAL_SET;
    hpet_timer_arm(t);
}

/* -- General registers -- */

static void hpet_write_config(Hpet *h, uint64_t v)
{
    v &= CNF_ENABLE | CNF_LEGACY;
    if ((v ^ h->config) & CNF_ENABLE) {
        if (v & CNF_ENABLE)
            h->enable_ns = vclock_now(h->clock);
        else
            h->counter_base = hpet_counter(h);
    }
    h->config = v;
    for (int n = 0; n < HPET_NUM_TIMERS; n++)
        hpet_timer_arm(&h->t[n]);
    hpet_update_irqs(h);
}

static void hpet_write_counter(Hpet *h, uint64_t v)
{
    if (h->config & CNF_ENABLE)
        log_guest_error_once("hpet: main counter written while running");
    h->counter_base = v;
    h->enable_ns = vclock_now(h->clock);
    for (int n = 0; n < HPET_NUM_TIMERS; n++)
        hpet_timer_arm(&h->t[n]);
}

static uint64_t hpet_reg_read(Hpet *h, uint64_t reg)
{
    HpetTimer *t;
    switch (reg) {
    case 0x000: return HPET_CAP_ID_LOW | (uint64_t)HPET_PERIOD_FS << 32;
    case 0x010: return h->config;
    case 0x020: return h->isr;
    case 0x0f0: return hpet_counter(h);
    }
    if (reg < 0x100 || reg >= 0x100 + 0x20 * HPET_NUM_TIMERS)
        return 0;                   /* reserved */
    t = &h->t[(reg - 0x100) >> 5];
    switch (reg & 0x1f) {
    case 0x00: return t->config;
    case 0x08: return t->cmp;
    default: return 0;              /* FSB route: no FSB delivery */
    }
}

static void hpet_reg_write(Hpet *h, uint64_t reg, uint64_t value, uint64_t mask)
{
    HpetTimer *t;
    uint64_t merged = (hpet_reg_read(h, reg) & ~mask) | (value & mask);
    switch (reg) {
    case 0x010: hpet_write_config(h, merged); return;
    case 0x020:                     /* write 1 to clear */
        h->isr &= ~(value & mask);
        hpet_update_irqs(h);
        return;
    case 0x0f0: hpet_write_counter(h, merged); return;
    }
    if (reg < 0x100 || reg >= 0x100 + 0x20 * HPET_NUM_TIMERS)
        return;
    t = &h->t[(reg - 0x100) >> 5];
    switch (reg & 0x1f) {
    case 0x00: hpet_timer_write_config(t, merged); break;
    case 0x08: hpet_timer_write_cmp(t, value, mask); break;
    case 0x10:
        if (value & mask)
            log_unimp("hpet: FSB interrupt delivery");
        break;
    }
}

static uint64_t hpet_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    unsigned shift = (offset & 4) * 8;
    return hpet_reg_read(opaque, offset & ~7ull) >> shift & size_mask(size);
}

static void hpet_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    unsigned shift = (offset & 4) * 8;
    hpet_reg_write(opaque, offset & ~7ull, value << shift, size_mask(size) << shift);
}

static const IoOps hpet_ops = {
    .read = hpet_mmio_read, .write = hpet_mmio_write, .min_size = 4, .max_size = 8,
};

/* -- Life cycle -- */

void hpet_reset(Hpet *h)
{
    h->config = 0;
    h->isr = 0;
    h->counter_base = 0;
    h->enable_ns = 0;
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        HpetTimer *t = &h->t[n];
        t->config = TN_PER_CAP | TN_SIZE_CAP | TN_ROUTE_CAP << 32;
        t->cmp = ~0ull;             /* spec 2.3.9: comparators reset to all ones */
        t->period = 0;
        timer_del(&t->timer);
    }
    hpet_update_irqs(h);
}

Hpet *hpet_new(Bus *bus, VClock *clock, uint64_t base, const IrqLine gsi[HPET_NUM_GSI],
               IrqLine pic_irq0, IrqLine pic_irq8)
{
    Hpet *h = calloc(1, sizeof(*h));
    if (!h)
        fatal("out of memory");
    h->bus = bus;
    h->clock = clock;
    for (int i = 0; i < HPET_NUM_GSI; i++)
        h->out[i] = gsi[i];
    h->out[OUT_PIC0] = pic_irq0;
    h->out[OUT_PIC8] = pic_irq8;
    for (int n = 0; n < HPET_NUM_TIMERS; n++) {
        h->t[n].h = h;
        h->t[n].index = n;
        timer_init(&h->t[n].timer, clock, hpet_timer_fire, &h->t[n]);
    }
    h->mmio = bus_map_mmio(bus, "hpet", base, HPET_MMIO_SIZE, &hpet_ops, h);
    if (!h->mmio)
        fatal("hpet: MMIO window at %#llx is taken", (unsigned long long)base);
    hpet_reset(h);
    return h;
}

void hpet_free(Hpet *h)
{
    if (!h)
        return;
    for (int n = 0; n < HPET_NUM_TIMERS; n++)
        timer_del(&h->t[n].timer);
    memmap_unmap(bus_memmap(h->bus), h->mmio);
    free(h);
}
