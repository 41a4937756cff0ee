/* apic.c — the local APIC (xAPIC), Intel SDM Vol. 3A chapter 10.
 *
 * State: the architectural registers, the 256-bit IRR/ISR/TMR arrays, the
 * levels on LINT0/LINT1, and the timer (start time, divider, a Timer armed
 * at the next zero crossing). Invariants:
 *   - intr_level is what we last drove on the CPU's INTR pin; every change
 *     of IRR, ISR, TPR, SVR, LVT or the LINT levels ends in apic_update_intr();
 *   - while software-disabled all LVT mask bits read as 1 (SDM 10.4.7.2);
 *   - the timer counts in bus ticks of 1 ns (a 1 GHz APIC bus, as QEMU),
 *     divided per the DCR; the current count is computed from vclock_now().
 * To add a register: a case in apic_reg_read() and apic_reg_write().
 */
#include <stdlib.h>
#include <string.h>
#include "hw/apic.h"
#include "base/log.h"

#define APIC_VERSION 0x14           /* integrated xAPIC (P4/Xeon) */
#define APIC_MAX_EOI_LISTENERS 4

enum { LVT_TIMER, LVT_THERMAL, LVT_PERF, LVT_LINT0, LVT_LINT1, LVT_ERROR, LVT_NUM };

/* LVT fields (SDM Vol. 3A Figure 10-8). */
#define LVT_VECTOR 0xffu
#define LVT_DM(v) (((v) >> 8) & 7)
#define LVT_REMOTE_IRR (1u << 14)
#define LVT_LEVEL (1u << 15)
#define LVT_MASKED (1u << 16)
#define LVT_PERIODIC (1u << 17)

/* Guest-writable bits per LVT entry, in LVT_* order. */
static const uint32_t lvt_wmask[LVT_NUM] = {
    0x300ff,    /* timer: vector, mask, periodic (TSC-deadline not offered) */
    0x107ff,    /* thermal: vector, delivery mode, mask */
    0x107ff,    /* performance counters */
    0x1a7ff,    /* LINT0: + polarity, trigger mode */
    0x1a7ff,    /* LINT1 */
    0x100ff,    /* error: vector, mask */
};

/* Error status bits (SDM Vol. 3A 10.5.3). */
#define ESR_SEND_ILLEGAL (1u << 5)
#define ESR_RECV_ILLEGAL (1u << 6)
#define ESR_ILLEGAL_REG (1u << 7)

#define SVR_ENABLE (1u << 8)

struct Apic {
    Bus *bus;
    VClock *clock;
    MemRegion *mmio;
    IrqLine intr, nmi;
    ApicPicAck *pic_ack;
    void *pic_opaque;
    struct { ApicEoiFn *fn; void *opaque; } eoi[APIC_MAX_EOI_LISTENERS];
    int neoi;
    uint8_t reset_id;

    uint64_t base;          /* IA32_APIC_BASE */
    uint32_t id, tpr, ldr, dfr, svr;
    uint32_t esr, esr_pending;
    uint32_t icr_lo, icr_hi;
    uint32_t lvt[LVT_NUM];
    uint32_t irr[8], isr[8], tmr[8];
    bool lint_level[2];
    bool extint_msg;        /* an ExtINT message (from an I/O APIC) waits */
    int intr_level;         /* last level driven on INTR; -1 = unknown */

    uint32_t dcr, initial_count;
    int div_shift;
    int64_t timer_start;
    Timer timer;

    int sipi_count;
    uint8_t sipi_vector;
};

/* -- Vector bitmaps -- */

static void vec_set(uint32_t *a, int v) { a[v >> 5] |= 1u << (v & 31); }
static void vec_clear(uint32_t *a, int v) { a[v >> 5] &= ~(1u << (v & 31)); }
static bool vec_test(const uint32_t *a, int v) { return a[v >> 5] >> (v & 31) & 1; }

static int vec_highest(const uint32_t *a)
{
    for (int i = 7; i >= 0; i--)
        if (a[i])
            return i * 32 + 31 - __builtin_clz(a[i]);
    return -1;
}

/* -- Priorities and the INTR pin -- */

static bool apic_hw_enabled(const Apic *s) { return s->base & APIC_BASE_ENABLE; }
static bool apic_active(const Apic *s) { return apic_hw_enabled(s) && (s->svr & SVR_ENABLE); }

/* PPR (SDM Vol. 3A 10.8.3.1): the higher class of TPR and the ISR. */
static uint32_t apic_ppr(const Apic *s)
{
    int isrv = MAX(vec_highest(s->isr), 0);
    if ((s->tpr & 0xf0) >= (uint32_t)(isrv & 0xf0))
        return s->tpr & 0xff;
    return isrv & 0xf0;
}

/* APR (SDM Vol. 3A 10.8.3.1, P4/Xeon arbitration priority). */
static uint32_t apic_apr(const Apic *s)
{
    uint32_t isrv = MAX(vec_highest(s->isr), 0), irrv = MAX(vec_highest(s->irr), 0);
    uint32_t tpr = s->tpr & 0xff;
    if ((tpr & 0xf0) >= (irrv & 0xf0) && (tpr & 0xf0) > (isrv & 0xf0))
        return tpr;
    return MAX(tpr & 0xf0, MAX(isrv & 0xf0, irrv & 0xf0));
}

/* An 8259 interrupt waits: LINT0 is the bare INTR pin while the APIC is
 * disabled, or is unmasked in ExtINT mode; or an I/O APIC sent ExtINT. */
static bool apic_extint_wanted(const Apic *s)
{
    uint32_t lvt = s->lvt[LVT_LINT0];
    if (s->extint_msg)
        return true;
    if (!s->lint_level[0])
        return false;
    if (!apic_active(s))
        return true;
    return !(lvt & LVT_MASKED) && LVT_DM(lvt) == APIC_DM_EXTINT;
}

/* The IRR vector the CPU should take now, or -1. */
static int apic_deliverable(const Apic *s)
{
    int v;
    if (!apic_active(s))
        return -1;
    v = vec_highest(s->irr);
    if (v < 0 || (uint32_t)(v & 0xf0) <= (apic_ppr(s) & 0xf0))
        return -1;
    return v;
}

static void apic_update_intr(Apic *s)
{
    int level = apic_extint_wanted(s) || apic_deliverable(s) >= 0;
    if (level != s->intr_level) {
        s->intr_level = level;
        irq_set(s->intr, level);
    }
}

/* -- Accepting interrupts -- */

static void apic_accept(Apic *s, int vector, bool level);

/* Record an error; the LVT error entry raises its vector (SDM 10.5.3). */
static void apic_error(Apic *s, uint32_t bit)
{
    uint32_t lvt = s->lvt[LVT_ERROR];
    s->esr_pending |= bit;
    if (!(lvt & LVT_MASKED) && apic_active(s) && (lvt & LVT_VECTOR) >= 16)
        apic_accept(s, lvt & LVT_VECTOR, false);
}

/* Vectors 0-15 are illegal (SDM 10.5.2): flagged, never put in the IRR. */
static void apic_accept(Apic *s, int vector, bool level)
{
    if (vector < 16) {
        apic_error(s, ESR_RECV_ILLEGAL);
        return;
    }
    vec_set(s->irr, vector);
    if (level)
        vec_set(s->tmr, vector);
    else
        vec_clear(s->tmr, vector);
}

static bool apic_match_logical(const Apic *s, uint8_t dest)
{
    uint8_t ldr = s->ldr >> 24;
    switch (s->dfr >> 28) {
    case 0xf:   /* flat model: one bit per APIC */
        return (ldr & dest) != 0;
    case 0x0:   /* cluster model: cluster 0xf addresses every cluster */
        return ((dest >> 4) == 0xf || (dest >> 4) == (ldr >> 4)) && (ldr & dest & 0xf);
    default:
        log_guest_error_once("apic: reserved DFR model %x", s->dfr >> 28);
        return false;
    }
}

static bool apic_match_dest(const Apic *s, const ApicMsg *m)
{
    if (m->dest == 0xff)
        return true;            /* broadcast, physical or logical */
    if (!m->logical)
        return m->dest == (s->id >> 24);
    return apic_match_logical(s, m->dest);
}

static void apic_note_init_sipi(Apic *s, int dm, uint8_t vector)
{
    if (dm == APIC_DM_STARTUP) {
        s->sipi_count++;
        s->sipi_vector = vector;
    }
    log_unimp("apic: INIT/STARTUP delivery (no SMP, no INIT of the CPU)");
}

bool apic_deliver(Apic *s, const ApicMsg *m)
{
    if (!apic_hw_enabled(s) || !apic_match_dest(s, m))
        return false;
    switch (m->delivery_mode) {
    case APIC_DM_FIXED:
    case APIC_DM_LOWEST:        /* one CPU: lowest priority is this one */
        apic_accept(s, m->vector, m->level);
        break;
    case APIC_DM_NMI:
        irq_pulse(s->nmi);
        break;
    case APIC_DM_EXTINT:
        s->extint_msg = true;
        break;
    case APIC_DM_INIT:
    case APIC_DM_STARTUP:
        apic_note_init_sipi(s, m->delivery_mode, m->vector);
        break;
    case APIC_DM_SMI:
        log_unimp("apic: SMI delivery (no SMM)");
        break;
    default:
        log_guest_error_once("apic: reserved delivery mode %d", m->delivery_mode);
        return false;
    }
    apic_update_intr(s);
    return true;
}

void apic_add_eoi_listener(Apic *s, ApicEoiFn *fn, void *opaque)
{
    if (s->neoi == APIC_MAX_EOI_LISTENERS)
        panic("apic: too many EOI listeners");
    s->eoi[s->neoi].fn = fn;
    s->eoi[s->neoi++].opaque = opaque;
}

/* -- LINT0/LINT1 -- */

/* Act on a LINT pin's level; `rising` marks a 0->1 edge. */
static void apic_lint_eval(Apic *s, int pin, bool rising)
{
    uint32_t *lvt = &s->lvt[LVT_LINT0 + pin];
    bool level = s->lint_level[pin];

    if (!apic_active(s) || (*lvt & LVT_MASKED)) {
        /* Disabled APIC: LINT1 is the NMI pin (LINT0 is INTR, see
         * apic_extint_wanted). A masked entry ignores the pin. */
        if (!apic_active(s) && pin == 1 && rising)
            irq_pulse(s->nmi);
        return;
    }
    switch (LVT_DM(*lvt)) {
    case APIC_DM_FIXED:
        if (!(*lvt & LVT_LEVEL)) {
            if (rising)
                apic_accept(s, *lvt & LVT_VECTOR, false);
        } else if (level && !(*lvt & LVT_REMOTE_IRR)) {
            *lvt |= LVT_REMOTE_IRR;
            apic_accept(s, *lvt & LVT_VECTOR, true);
        }
        break;
    case APIC_DM_NMI:       /* always edge (SDM 10.5.1) */
        if (rising)
            irq_pulse(s->nmi);
        break;
    case APIC_DM_EXTINT:    /* level; the INTA cycle goes to the 8259 */
        break;
    case APIC_DM_SMI:
    case APIC_DM_INIT:
        if (rising)
            log_unimp("apic: LINT%d SMI/INIT delivery", pin);
        break;
    default:
        if (rising)
            log_guest_error_once("apic: LINT%d reserved delivery mode", pin);
        break;
    }
}

void apic_set_lint(void *opaque, int pin, int level)
{
    Apic *s = opaque;
    bool old;
    if (pin < 0 || pin > 1)
        return;
    old = s->lint_level[pin];
    s->lint_level[pin] = level != 0;
    apic_lint_eval(s, pin, !old && level);
    apic_update_intr(s);
}

/* -- INTA and EOI -- */

int apic_intr_ack(Apic *s)
{
    int v;
    if (apic_extint_wanted(s)) {
        s->extint_msg = false;
        v = s->pic_ack ? s->pic_ack(s->pic_opaque) : -1;
        apic_update_intr(s);
        return v;
    }
    v = vec_highest(s->irr);
    if (!apic_active(s) || v < 0) {
        apic_update_intr(s);
        return -1;
    }
    if ((uint32_t)(v & 0xf0) <= (apic_ppr(s) & 0xf0)) {
        /* Masked between INTR and INTA: the spurious vector, no ISR
         * change (SDM Vol. 3A 10.9). */
        apic_update_intr(s);
        return s->svr & 0xff;
    }
    vec_clear(s->irr, v);
    vec_set(s->isr, v);
    apic_update_intr(s);
    return v;
}

static void apic_eoi(Apic *s)
{
    int v = vec_highest(s->isr);
    if (v < 0)
        return;
    vec_clear(s->isr, v);
    if (vec_test(s->tmr, v)) {
        for (int i = 0; i < s->neoi; i++)
            s->eoi[i].fn(s->eoi[i].opaque, v);
    }
    for (int pin = 0; pin < 2; pin++) {
        uint32_t *lvt = &s->lvt[LVT_LINT0 + pin];
        if ((*lvt & LVT_REMOTE_IRR) && (*lvt & LVT_VECTOR) == (uint32_t)v) {
            *lvt &= ~LVT_REMOTE_IRR;
            apic_lint_eval(s, pin, false);
        }
    }
    apic_update_intr(s);
}

/* -- Timer (SDM Vol. 3A 10.5.4) -- */

/* DCR bits 3,1:0: 000 = /2 ... 110 = /128, 111 = /1. */
static int apic_div_shift(uint32_t dcr)
{
    int v = (dcr & 3) | ((dcr >> 1) & 4);
    return v == 7 ? 0 : v + 1;
}

static bool apic_timer_periodic(const Apic *s) { return s->lvt[LVT_TIMER] & LVT_PERIODIC; }

static uint64_t apic_timer_ticks(Apic *s)
{
    return (uint64_t)(vclock_now(s->clock) - s->timer_start) >> s->div_shift;
}

static uint32_t apic_current_count(Apic *s)
{
    uint64_t t;
    if (!s->initial_count)
        return 0;
    t = apic_timer_ticks(s);
    if (apic_timer_periodic(s))
        return s->initial_count - t % s->initial_count;
    return t >= s->initial_count ? 0 : s->initial_count - t;
}

/* Arm the Timer at the next time the count reaches zero. */
static void apic_timer_arm(Apic *s)
{
    uint64_t t, n;
    if (!s->initial_count) {
        timer_del(&s->timer);
        return;
    }
    t = apic_timer_ticks(s);
    if (apic_timer_periodic(s)) {
        n = (t / s->initial_count + 1) * s->initial_count;
    } else if (t < s->initial_count) {
        n = s->initial_count;
    } else {
        timer_del(&s->timer);       /* one-shot already expired */
        return;
    }
    timer_mod(&s->timer, s->timer_start + (int64_t)(n << s->div_shift));
}

static void apic_timer_fire(void *opaque)
{
    Apic *s = opaque;
    uint32_t lvt = s->lvt[LVT_TIMER];
    if (!(lvt & LVT_MASKED) && apic_active(s))
        apic_accept(s, lvt & LVT_VECTOR, false);
    apic_update_intr(s);
    if (apic_timer_periodic(s))
        apic_timer_arm(s);
}

/* A new divider keeps the ticks counted so far. */
static void apic_set_dcr(Apic *s, uint32_t v)
{
    uint64_t t = apic_timer_ticks(s);
    s->dcr = v & 0xb;
    s->div_shift = apic_div_shift(s->dcr);
    s->timer_start = vclock_now(s->clock) - (int64_t)(t << s->div_shift);
    apic_timer_arm(s);
}

/* -- Registers -- */

static void apic_send_ipi(Apic *s)
{
    int dm = LVT_DM(s->icr_lo), shorthand = (s->icr_lo >> 18) & 3;
    ApicMsg m = {
        .vector = s->icr_lo & 0xff, .delivery_mode = dm, .dest = s->icr_hi >> 24,
        .logical = s->icr_lo >> 11 & 1, .level = s->icr_lo >> 15 & 1,
    };
    bool self;

    if ((dm == APIC_DM_FIXED || dm == APIC_DM_LOWEST) && m.vector < 16) {
        apic_error(s, ESR_SEND_ILLEGAL);
        apic_update_intr(s);
        return;
    }
    if (dm == APIC_DM_INIT && !(s->icr_lo & (1u << 14)))
        return;     /* INIT level de-assert: only re-syncs arbitration IDs */
    if (dm == APIC_DM_INIT || dm == APIC_DM_STARTUP) {
        apic_note_init_sipi(s, dm, m.vector);
        return;
    }
    switch (shorthand) {
    case 0: self = apic_match_dest(s, &m); break;
    case 1: case 2: self = true; break;
    default: self = false; break;
    }
    if (shorthand >= 2 || (shorthand == 0 && !self))
        log_unimp("apic: IPI to other CPUs (no SMP)");
    if (!self)
        return;
    m.dest = s->id >> 24;       /* to ourselves, physically */
    m.logical = false;
    m.level = false;            /* IPIs are edge for the TMR */
    apic_deliver(s, &m);
}

static void apic_write_lvt(Apic *s, int i, uint32_t v)
{
    uint32_t keep = s->lvt[i] & LVT_REMOTE_IRR;
    s->lvt[i] = (v & lvt_wmask[i]) | keep;
    if (!(s->svr & SVR_ENABLE))
        s->lvt[i] |= LVT_MASKED;    /* SDM 10.4.7.2: masks stick while disabled */
    if (!(s->lvt[i] & LVT_LEVEL))
        s->lvt[i] &= ~LVT_REMOTE_IRR;
    if (i == LVT_TIMER)
        apic_timer_arm(s);
    if (i == LVT_LINT0 || i == LVT_LINT1)
        apic_lint_eval(s, i - LVT_LINT0, false);
}

static void apic_write_svr(Apic *s, uint32_t v)
{
    s->svr = v & 0x3ff;
    if (!(s->svr & SVR_ENABLE)) {
        for (int i = 0; i < LVT_NUM; i++)
            s->lvt[i] |= LVT_MASKED;
    }
}

static uint32_t apic_reg_read(Apic *s, unsigned reg)
{
    switch (reg) {
    case 0x02: return s->id;
    case 0x03: return APIC_VERSION | (LVT_NUM - 1) << 16;
    case 0x08: return s->tpr;
    case 0x09: return apic_apr(s);
    case 0x0a: return apic_ppr(s);
    case 0x0b: return 0;                /* EOI is write-only */
    case 0x0d: return s->ldr;
    case 0x0e: return s->dfr;
    case 0x0f: return s->svr;
    case 0x10 ... 0x17: return s->isr[reg - 0x10];
    case 0x18 ... 0x1f: return s->tmr[reg - 0x18];
    case 0x20 ... 0x27: return s->irr[reg - 0x20];
    case 0x28: return s->esr;
    case 0x30: return s->icr_lo;        /* delivery status always idle */
    case 0x31: return s->icr_hi;
    case 0x32 ... 0x37: return s->lvt[reg - 0x32];
    case 0x38: return s->initial_count;
    case 0x39: return apic_current_count(s);
    case 0x3e: return s->dcr;
    default:
        apic_error(s, ESR_ILLEGAL_REG);
        return 0;
    }
}

static void apic_reg_write(Apic *s, unsigned reg, uint32_t v)
{
    switch (reg) {
    case 0x02: s->id = v & 0xff000000u; break;
    case 0x03: case 0x09: case 0x0a:
    case 0x10 ... 0x27: case 0x39:
        break;                          /* read-only */
    case 0x08: s->tpr = v & 0xff; break;
    case 0x0b: apic_eoi(s); break;
    case 0x0d: s->ldr = v & 0xff000000u; break;
    case 0x0e: s->dfr = v | 0x0fffffffu; break;
    case 0x0f: apic_write_svr(s, v); break;
    case 0x28:                          /* latch errors since the last write */
        s->esr = s->esr_pending;
        s->esr_pending = 0;
        break;
    case 0x30:
        s->icr_lo = v & 0x000ccfffu;
        apic_send_ipi(s);
        break;
    case 0x31: s->icr_hi = v & 0xff000000u; break;
    case 0x32 ... 0x37: apic_write_lvt(s, reg - 0x32, v); break;
    case 0x38:
        s->initial_count = v;
        s->timer_start = vclock_now(s->clock);
        apic_timer_arm(s);
        break;
    case 0x3e: apic_set_dcr(s, v); break;
    default:
        apic_error(s, ESR_ILLEGAL_REG);
        break;
    }
    apic_update_intr(s);
}

/* Registers sit on 16-byte boundaries; the rest of each slot is reserved. */
static uint64_t apic_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    Apic *s = opaque;
    uint32_t v;
    if (offset & 0xf)
        return 0;
    v = apic_reg_read(s, offset >> 4);
    apic_update_intr(s);        /* an illegal-register error may raise one */
    return v;
}

static void apic_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Apic *s = opaque;
    if (offset & 0xf)
        return;
    apic_reg_write(s, offset >> 4, (uint32_t)value);
}

static const IoOps apic_ops = {
    .read = apic_mmio_read, .write = apic_mmio_write, .min_size = 4, .max_size = 4,
};

/* -- Life cycle -- */

/* Register state of SDM Vol. 3A 10.4.7.1 (base and pins untouched). */
static void apic_power_on_state(Apic *s)
{
    s->id = (uint32_t)s->reset_id << 24;
    s->tpr = s->ldr = 0;
    s->dfr = 0xffffffffu;
    s->svr = 0xff;
    s->esr = s->esr_pending = 0;
    s->icr_lo = s->icr_hi = 0;
    for (int i = 0; i < LVT_NUM; i++)
        s->lvt[i] = LVT_MASKED;
    memset(s->irr, 0, sizeof(s->irr));
    memset(s->isr, 0, sizeof(s->isr));
    memset(s->tmr, 0, sizeof(s->tmr));
    s->extint_msg = false;
    s->initial_count = 0;
    s->dcr = 0;
    s->div_shift = apic_div_shift(0);
    s->timer_start = vclock_now(s->clock);
    timer_del(&s->timer);
}

void apic_reset(Apic *s)
{
    apic_power_on_state(s);
    s->sipi_count = 0;
    s->sipi_vector = 0;
    apic_set_base(s, APIC_DEFAULT_BASE | APIC_BASE_ENABLE);
    s->intr_level = -1;
    apic_update_intr(s);
}

void apic_set_base(Apic *s, uint64_t value)
{
    MemMap *mm = bus_memmap(s->bus);
    uint64_t addr = value & 0xffffff000ull;
    bool was_enabled = apic_hw_enabled(s);

    s->base = addr | (value & APIC_BASE_ENABLE) | APIC_BASE_BSP;
    if (!(value & APIC_BASE_ENABLE)) {
        if (was_enabled)
            apic_power_on_state(s);     /* SDM 10.4.3: state may be lost */
        memmap_region_enable(mm, s->mmio, false);
    } else {
        if (memmap_region_base(s->mmio) != addr && memmap_region_move(mm, s->mmio, addr) < 0)
            log_guest_error_once("apic: cannot move to %#llx", (unsigned long long)addr);
        memmap_region_enable(mm, s->mmio, true);
    }
    apic_update_intr(s);
}

uint64_t apic_get_base(const Apic *s)
{
    return s->base;
}

int apic_sipi_count(const Apic *s, uint8_t *last_vector)
{
    if (last_vector)
        *last_vector = s->sipi_vector;
    return s->sipi_count;
}

Apic *apic_new(Bus *bus, VClock *clock, uint8_t apic_id, IrqLine intr, IrqLine nmi,
               ApicPicAck *pic_ack, void *pic_opaque)
{
    Apic *s = calloc(1, sizeof(*s));
    if (!s)
        fatal("out of memory");
    s->bus = bus;
    s->clock = clock;
    s->intr = intr;
    s->nmi = nmi;
    s->pic_ack = pic_ack;
    s->pic_opaque = pic_opaque;
    s->reset_id = apic_id;
    timer_init(&s->timer, clock, apic_timer_fire, s);
    s->mmio = bus_map_mmio(bus, "apic", APIC_DEFAULT_BASE, APIC_MMIO_SIZE, &apic_ops, s);
    if (!s->mmio)
        fatal("apic: MMIO window at %#x is taken", APIC_DEFAULT_BASE);
    apic_reset(s);
    return s;
}

void apic_free(Apic *s)
{
    if (!s)
        return;
    timer_del(&s->timer);
    memmap_unmap(bus_memmap(s->bus), s->mmio);
    free(s);
}
