/* test_apic.c — local APIC registers, priorities, EOI, timer, LINT pins.
 * Expected values: Intel SDM Vol. 3A chapter 10 (reset state 10.4.7.1,
 * PPR 10.8.3.1, timer 10.5.4, LVT Figure 10-8, ESR 10.5.3). */
#include <stdlib.h>
#include "unit/testlib.h"
#include "hw/apic.h"

#define BASE 0xfee00000u

typedef struct Pins {
    int intr;
    int nmis;
    int acks;
    int pic_vector;
    int eoi_vector;
    int eois;
} Pins;

typedef struct Rig {
    Bus *bus;
    VClock *clock;
    Apic *apic;
    Pins pins;
    uint64_t count;     /* instructions = ns (shift 0) */
} Rig;

static void set_intr(void *opaque, int pin, int level) { ((Pins *)opaque)->intr = level; }
static void set_nmi(void *opaque, int pin, int level) { ((Pins *)opaque)->nmis += level != 0; }
static uint64_t get_count(void *opaque) { return *(uint64_t *)opaque; }

static int pic_ack(void *opaque)
{
    Pins *p = opaque;
    p->acks++;
    return p->pic_vector;
}

static void on_eoi(void *opaque, uint8_t vector)
{
    Pins *p = opaque;
    p->eois++;
    p->eoi_vector = vector;
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->bus = bus_new();
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_count, &r->count, 0);
    r->pins.pic_vector = 0x08;
    r->apic = apic_new(r->bus, r->clock, 0, irq_line(set_intr, &r->pins, 0),
                       irq_line(set_nmi, &r->pins, 0), pic_ack, &r->pins);
    return r;
}

static void rig_free(Rig *r)
{
    apic_free(r->apic);
    vclock_free(r->clock);
    bus_free(r->bus);
    free(r);
}

static uint32_t rd(Rig *r, uint32_t off)
{
    return (uint32_t)memmap_read(bus_memmap(r->bus), BASE + off, 4);
}

static void wr(Rig *r, uint32_t off, uint32_t v)
{
    memmap_write(bus_memmap(r->bus), BASE + off, v, 4);
}

static bool vec_bit(Rig *r, uint32_t base, int v)
{
    return rd(r, base + (v / 32) * 0x10) >> (v % 32) & 1;
}

static void send(Rig *r, uint8_t vector, bool level)
{
    ApicMsg m = { .vector = vector, .delivery_mode = APIC_DM_FIXED, .dest = 0, .level = level };
    ck_assert(apic_deliver(r->apic, &m));
}

START_TEST(test_apic_reset_values)
{
    Rig *r = rig_new();
    ck_assert_uint_eq(apic_get_base(r->apic), 0xfee00900u);    /* base | EN | BSP */
    ck_assert_uint_eq(rd(r, 0x20), 0);                          /* ID */
    ck_assert_uint_eq(rd(r, 0x30), 0x00050014);                 /* 6 LVTs, xAPIC */
    ck_assert_uint_eq(rd(r, 0x80), 0);                          /* TPR */
    ck_assert_uint_eq(rd(r, 0xa0), 0);                          /* PPR */
    ck_assert_uint_eq(rd(r, 0xd0), 0);                          /* LDR */
    ck_assert_uint_eq(rd(r, 0xe0), 0xffffffffu);                /* DFR */
    ck_assert_uint_eq(rd(r, 0xf0), 0xff);                       /* SVR */
    for (uint32_t off = 0x320; off <= 0x370; off += 0x10)
        ck_assert_uint_eq(rd(r, off), 0x00010000);
    for (uint32_t off = 0x100; off < 0x280; off += 0x10)
        ck_assert_uint_eq(rd(r, off), 0);                       /* ISR, TMR, IRR */
    ck_assert_uint_eq(rd(r, 0x380), 0);
    ck_assert_uint_eq(rd(r, 0x390), 0);
    ck_assert_uint_eq(rd(r, 0x3e0), 0);
    ck_assert_int_eq(r->pins.intr, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_lint0_extint_passthrough)
{
    Rig *r = rig_new();
    /* Software-disabled after reset: LINT0 is the CPU's INTR pin. */
    apic_set_lint(r->apic, 0, 1);
    ck_assert_int_eq(r->pins.intr, 1);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x08);
    ck_assert_int_eq(r->pins.acks, 1);
    apic_set_lint(r->apic, 0, 0);
    ck_assert_int_eq(r->pins.intr, 0);

    /* Enabled with LINT0 masked: the 8259 cannot reach the CPU. */
    wr(r, 0xf0, 0x1ff);
    apic_set_lint(r->apic, 0, 1);
    ck_assert_int_eq(r->pins.intr, 0);
    /* SeaBIOS's virtual wire: LINT0 = ExtINT level, LINT1 = NMI. */
    wr(r, 0x350, 0x8700);
    wr(r, 0x360, 0x8400);
    ck_assert_int_eq(r->pins.intr, 1);
    r->pins.pic_vector = 0x20;
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x20);
    apic_set_lint(r->apic, 1, 1);
    ck_assert_int_eq(r->pins.nmis, 1);
    apic_set_lint(r->apic, 1, 0);

    /* Globally disabled: the MMIO page is gone and LINT0/1 are INTR/NMI. */
    apic_set_base(r->apic, BASE);
    ck_assert_uint_eq(rd(r, 0x30), 0xffffffffu);
    ck_assert_int_eq(r->pins.intr, 1);
    apic_set_lint(r->apic, 1, 1);
    ck_assert_int_eq(r->pins.nmis, 2);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_tpr_ppr_masking)
{
    Rig *r = rig_new();
    wr(r, 0xf0, 0x1ff);
    wr(r, 0x80, 0x50);
    send(r, 0x45, false);
    ck_assert(vec_bit(r, 0x200, 0x45));
    ck_assert_int_eq(r->pins.intr, 0);          /* class 4 <= TPR class 5 */
    ck_assert_uint_eq(rd(r, 0xa0), 0x50);
    send(r, 0x61, false);
    ck_assert_int_eq(r->pins.intr, 1);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x61);
    ck_assert(vec_bit(r, 0x100, 0x61));         /* ISR */
    ck_assert(!vec_bit(r, 0x200, 0x61));
    ck_assert_uint_eq(rd(r, 0xa0), 0x60);       /* PPR = ISRV class */
    ck_assert_int_eq(r->pins.intr, 0);
    send(r, 0x65, false);                        /* same class as in service */
    ck_assert_int_eq(r->pins.intr, 0);
    send(r, 0x71, false);
    ck_assert_int_eq(r->pins.intr, 1);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x71);
    wr(r, 0xb0, 0);                              /* EOI clears the highest ISR bit */
    ck_assert(!vec_bit(r, 0x100, 0x71));
    ck_assert(vec_bit(r, 0x100, 0x61));
    ck_assert_int_eq(r->pins.intr, 0);
    wr(r, 0xb0, 0);
    ck_assert_uint_eq(rd(r, 0xa0), 0x50);
    ck_assert_int_eq(r->pins.intr, 1);          /* 0x65 now beats TPR */
    wr(r, 0x80, 0x70);
    ck_assert_int_eq(r->pins.intr, 0);
    ck_assert_uint_eq(rd(r, 0xa0), 0x70);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_eoi_broadcast_for_level)
{
    Rig *r = rig_new();
    apic_add_eoi_listener(r->apic, on_eoi, &r->pins);
    wr(r, 0xf0, 0x1ff);
    send(r, 0x40, true);
    ck_assert(vec_bit(r, 0x180, 0x40));         /* TMR: level */
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x40);
    wr(r, 0xb0, 0);
    ck_assert_int_eq(r->pins.eois, 1);
    ck_assert_int_eq(r->pins.eoi_vector, 0x40);
    send(r, 0x41, false);
    ck_assert(!vec_bit(r, 0x180, 0x41));
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x41);
    wr(r, 0xb0, 0);
    ck_assert_int_eq(r->pins.eois, 1);          /* edge: no broadcast */
    rig_free(r);
}
END_TEST

START_TEST(test_apic_timer_oneshot_divide)
{
    Rig *r = rig_new();
    wr(r, 0xf0, 0x1ff);
    wr(r, 0x3e0, 0x3);                           /* divide by 16 */
    wr(r, 0x320, 0x30);                          /* one-shot, vector 0x30 */
    wr(r, 0x380, 1000);
    r->count = 1600;                             /* 100 ticks of 16 ns */
    ck_assert_uint_eq(rd(r, 0x390), 900);
    ck_assert_int_eq(vclock_deadline(r->clock), 16000);
    r->count = 15999;
    ck_assert_int_eq(vclock_run_timers(r->clock), 0);
    ck_assert_int_eq(r->pins.intr, 0);
    r->count = 16000;
    ck_assert_int_eq(vclock_run_timers(r->clock), 1);
    ck_assert(vec_bit(r, 0x200, 0x30));
    ck_assert_int_eq(r->pins.intr, 1);
    ck_assert_uint_eq(rd(r, 0x390), 0);
    ck_assert_int_eq(vclock_deadline(r->clock), VCLOCK_NEVER);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_timer_periodic)
{
    Rig *r = rig_new();
    wr(r, 0xf0, 0x1ff);
    wr(r, 0x3e0, 0xb);                           /* divide by 1 */
    wr(r, 0x320, 0x20031);                       /* periodic, vector 0x31 */
    wr(r, 0x380, 500);
    r->count = 500;
    vclock_run_timers(r->clock);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x31);
    wr(r, 0xb0, 0);
    r->count = 750;
    ck_assert_uint_eq(rd(r, 0x390), 250);
    ck_assert_int_eq(r->pins.intr, 0);
    r->count = 1000;
    ck_assert_int_eq(vclock_run_timers(r->clock), 1);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x31);
    /* Masked: the count runs on, no interrupt. */
    wr(r, 0x320, 0x30031);
    r->count = 1500;
    vclock_run_timers(r->clock);
    ck_assert(!vec_bit(r, 0x200, 0x31));
    wr(r, 0x380, 0);                             /* stops the timer */
    ck_assert_int_eq(vclock_deadline(r->clock), VCLOCK_NEVER);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_esr_and_self_ipi)
{
    Rig *r = rig_new();
    wr(r, 0xf0, 0x1ff);
    send(r, 0x05, false);                        /* vectors 0-15 are illegal */
    ck_assert_uint_eq(rd(r, 0x280), 0);          /* latched by the next write */
    wr(r, 0x280, 0);
    ck_assert_uint_eq(rd(r, 0x280), 0x40);       /* received illegal vector */
    wr(r, 0x300, 0x00040003);                    /* self IPI, vector 3 */
    wr(r, 0x280, 0);
    ck_assert_uint_eq(rd(r, 0x280), 0x20);       /* send illegal vector */
    wr(r, 0x280, 0);
    ck_assert_uint_eq(rd(r, 0x280), 0);
    wr(r, 0x300, 0x00040050);                    /* self IPI, fixed 0x50 */
    ck_assert(vec_bit(r, 0x200, 0x50));
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x50);
    wr(r, 0x310, 0x00000000);
    wr(r, 0x300, 0x00004060);                    /* physical dest 0 = us */
    ck_assert(vec_bit(r, 0x200, 0x60));
    wr(r, 0x300, 0x000c4608);                    /* SIPI to all others */
    ck_assert_int_eq(apic_sipi_count(r->apic, NULL), 1);
    rig_free(r);
}
END_TEST

START_TEST(test_apic_logical_destination)
{
    Rig *r = rig_new();
    ApicMsg m = { .vector = 0x40, .delivery_mode = APIC_DM_FIXED, .logical = true };
    wr(r, 0xf0, 0x1ff);
    wr(r, 0xd0, 0x01000000);                     /* flat model, bit 0 */
    m.dest = 0x02;
    ck_assert(!apic_deliver(r->apic, &m));
    m.dest = 0x03;
    ck_assert(apic_deliver(r->apic, &m));
    wr(r, 0xe0, 0x0fffffff);                     /* cluster model */
    ck_assert_uint_eq(rd(r, 0xe0), 0x0fffffff);
    wr(r, 0xd0, 0x21000000);                     /* cluster 2, member bit 0 */
    m.dest = 0x21;
    ck_assert(apic_deliver(r->apic, &m));
    m.dest = 0x11;
    ck_assert(!apic_deliver(r->apic, &m));
    m.dest = 0xf1;
    ck_assert(apic_deliver(r->apic, &m));
    m.logical = false;                           /* physical: APIC ID 0 */
    m.dest = 1;
    ck_assert(!apic_deliver(r->apic, &m));
    wr(r, 0x20, 0x01000000);
    ck_assert(apic_deliver(r->apic, &m));
    rig_free(r);
}
END_TEST

START_TEST(test_apic_relocate_and_sw_disable)
{
    Rig *r = rig_new();
    wr(r, 0xf0, 0x1ff);
    wr(r, 0x350, 0x8700);
    apic_set_base(r->apic, 0xfed10000u | APIC_BASE_ENABLE);
    ck_assert_uint_eq((uint32_t)memmap_read(bus_memmap(r->bus), 0xfed10030u, 4), 0x00050014);
    ck_assert_uint_eq(rd(r, 0x30), 0xffffffffu);
    /* Software disable sets every LVT mask and they stay set. */
    memmap_write(bus_memmap(r->bus), 0xfed100f0u, 0xff, 4);
    ck_assert_uint_eq((uint32_t)memmap_read(bus_memmap(r->bus), 0xfed10350u, 4), 0x18700);
    memmap_write(bus_memmap(r->bus), 0xfed10350u, 0x700, 4);
    ck_assert_uint_eq((uint32_t)memmap_read(bus_memmap(r->bus), 0xfed10350u, 4), 0x10700);
    rig_free(r);
}
END_TEST

TEST_SUITE(apic)
{
    Suite *s = suite_create("apic");
    TCase *tc = tcase_create("apic");
    tcase_add_test(tc, test_apic_reset_values);
    tcase_add_test(tc, test_apic_lint0_extint_passthrough);
    tcase_add_test(tc, test_apic_tpr_ppr_masking);
    tcase_add_test(tc, test_apic_eoi_broadcast_for_level);
    tcase_add_test(tc, test_apic_timer_oneshot_divide);
    tcase_add_test(tc, test_apic_timer_periodic);
    tcase_add_test(tc, test_apic_esr_and_self_ipi);
    tcase_add_test(tc, test_apic_logical_destination);
    tcase_add_test(tc, test_apic_relocate_and_sw_disable);
    suite_add_tcase(s, tc);
    return s;
}
