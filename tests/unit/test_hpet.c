/* test_hpet.c — HPET counter, comparators and interrupt routing.
 * Expected values: IA-PC HPET spec 1.0a, 2.3 (register layout, GCAP_ID
 * fields, Tn_CONF bits, level status W1C, legacy replacement routing:
 * timer 0 -> IRQ0 / I/O APIC 2, timer 1 -> IRQ8 / I/O APIC 8) and a
 * 100 MHz counter (period 10^7 fs). */
#include <stdlib.h>
#include "unit/testlib.h"
#include "hw/hpet.h"

#define B 0xfed00000u
#define PIC0 24
#define PIC8 25

typedef struct Lines {
    int level[26];
    int rises[26];
} Lines;

typedef struct Rig {
    Bus *bus;
    VClock *clock;
    Hpet *hpet;
    Lines lines;
    uint64_t count;
} Rig;

static void set_line(void *opaque, int pin, int level)
{
    Lines *l = opaque;
    if (level && !l->level[pin])
        l->rises[pin]++;
    l->level[pin] = level;
}

static uint64_t get_count(void *opaque) { return *(uint64_t *)opaque; }

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    IrqLine gsi[HPET_NUM_GSI];
    r->bus = bus_new();
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_count, &r->count, 0);
    for (int i = 0; i < HPET_NUM_GSI; i++)
        gsi[i] = irq_line(set_line, &r->lines, i);
    r->hpet = hpet_new(r->bus, r->clock, B, gsi, irq_line(set_line, &r->lines, PIC0),
                       irq_line(set_line, &r->lines, PIC8));
    return r;
}

static void rig_free(Rig *r)
{
    hpet_free(r->hpet);
    vclock_free(r->clock);
    bus_free(r->bus);
    free(r);
}

static uint32_t rd(Rig *r, uint32_t off)
{
    return (uint32_t)memmap_read(bus_memmap(r->bus), B + off, 4);
}

static uint64_t rd64(Rig *r, uint32_t off)
{
    return memmap_read(bus_memmap(r->bus), B + off, 8);
}

static void wr(Rig *r, uint32_t off, uint32_t v)
{
    memmap_write(bus_memmap(r->bus), B + off, v, 4);
}

static void wr64(Rig *r, uint32_t off, uint64_t v)
{
    memmap_write(bus_memmap(r->bus), B + off, v, 8);
}

static void run_to(Rig *r, uint64_t ns)
{
    r->count = ns;
    vclock_run_timers(r->clock);
}

START_TEST(test_hpet_capabilities)
{
    Rig *r = rig_new();
    /* rev 1, 3 timers (field 2), 64-bit counter, legacy capable, vendor 8086 */
    ck_assert_uint_eq(rd(r, 0x000), 0x8086a201);
    ck_assert_uint_eq(rd(r, 0x004), 10000000);
    ck_assert_uint_eq(rd(r, 0x010), 0);
    for (int n = 0; n < 3; n++) {
        uint32_t t = 0x100 + 0x20 * n;
        ck_assert_uint_eq(rd(r, t) & 0xffff, 0x30);    /* periodic + 64-bit capable */
        ck_assert_uint_ne(rd(r, t + 4), 0);             /* some route capability */
        ck_assert_uint_eq(rd64(r, t + 8), ~0ull);       /* comparator resets to ones */
    }
    rig_free(r);
}
END_TEST

START_TEST(test_hpet_counter_rate)
{
    Rig *r = rig_new();
    wr(r, 0x010, 1);
    r->count = 1000000;                  /* 1 ms */
    ck_assert_uint_eq(rd64(r, 0x0f0), 100000);
    ck_assert_uint_eq(rd(r, 0x0f0), 100000);
    ck_assert_uint_eq(rd(r, 0x0f4), 0);
    wr(r, 0x010, 0);                     /* halted: the counter stops */
    r->count = 2000000;
    ck_assert_uint_eq(rd64(r, 0x0f0), 100000);
    wr(r, 0x0f0, 5);
    wr(r, 0x0f4, 1);
    ck_assert_uint_eq(rd64(r, 0x0f0), 0x100000005ull);
    wr(r, 0x010, 1);
    r->count = 2000100;
    ck_assert_uint_eq(rd64(r, 0x0f0), 0x10000000full);
    rig_free(r);
}
END_TEST

START_TEST(test_hpet_oneshot_level_w1c)
{
    Rig *r = rig_new();
    /* Timer 0: level, interrupt enabled, routed to I/O APIC pin 20. */
    wr(r, 0x100, (1 << 1) | (1 << 2) | (20 << 9));
    ck_assert_uint_eq(rd(r, 0x100) >> 9 & 0x1f, 20);
    wr(r, 0x108, 1000);
    wr(r, 0x10c, 0);
    wr(r, 0x010, 1);
    run_to(r, 9990);                     /* counter 999 */
    ck_assert_int_eq(r->lines.level[20], 0);
    ck_assert_uint_eq(rd(r, 0x020), 0);
    run_to(r, 10000);
    ck_assert_uint_eq(rd(r, 0x020), 1);
    ck_assert_int_eq(r->lines.level[20], 1);
    wr(r, 0x020, 0);                     /* writing 0 changes nothing */
    ck_assert_uint_eq(rd(r, 0x020), 1);
    wr(r, 0x020, 1);
    ck_assert_uint_eq(rd(r, 0x020), 0);
    ck_assert_int_eq(r->lines.level[20], 0);
    ck_assert_int_eq(vclock_deadline(r->clock), VCLOCK_NEVER);   /* one-shot */
    rig_free(r);
}
END_TEST

START_TEST(test_hpet_periodic_legacy_edge)
{
    Rig *r = rig_new();
    wr(r, 0x010, 3);                     /* ENABLE_CNF | LEG_RT_CNF */
    /* Timer 0: edge, enabled, periodic, VAL_SET. */
    wr(r, 0x100, (1 << 2) | (1 << 3) | (1 << 6));
    wr64(r, 0x108, 500);                 /* comparator and period */
    run_to(r, 5000);
    ck_assert_int_eq(r->lines.rises[PIC0], 1);
    ck_assert_int_eq(r->lines.rises[2], 1);
    ck_assert_int_eq(r->lines.level[PIC0], 0);
    ck_assert_uint_eq(rd(r, 0x020), 0);  /* edge mode sets no status */
    ck_assert_uint_eq(rd(r, 0x108), 1000);
    run_to(r, 10000);
    ck_assert_int_eq(r->lines.rises[PIC0], 2);
    ck_assert_int_eq(r->lines.rises[20], 0);
    wr(r, 0x108, 300);                   /* without VAL_SET: the period only */
    ck_assert_uint_eq(rd(r, 0x108), 1500);
    run_to(r, 15000);
    ck_assert_uint_eq(rd(r, 0x108), 1800);
    run_to(r, 18000);
    ck_assert_int_eq(r->lines.rises[PIC0], 4);
    /* The PIT is cut off while the HPET owns IRQ0. */
    hpet_set_legacy_input(r->hpet, 0, 1);
    ck_assert_int_eq(r->lines.level[PIC0], 0);
    wr(r, 0x010, 1);                     /* legacy off: PIT passes through */
    ck_assert_int_eq(r->lines.level[PIC0], 1);
    ck_assert_int_eq(r->lines.level[2], 1);
    hpet_set_legacy_input(r->hpet, 1, 1);
    ck_assert_int_eq(r->lines.level[PIC8], 1);
    ck_assert_int_eq(r->lines.level[8], 1);
    rig_free(r);
}
END_TEST

START_TEST(test_hpet_legacy_timer1_level)
{
    Rig *r = rig_new();
    wr(r, 0x010, 3);
    wr(r, 0x120, (1 << 1) | (1 << 2));   /* timer 1: level, enabled */
    wr(r, 0x128, 100);
    wr(r, 0x12c, 0);
    run_to(r, 1000);
    ck_assert_uint_eq(rd(r, 0x020), 2);
    ck_assert_int_eq(r->lines.level[PIC8], 1);
    ck_assert_int_eq(r->lines.level[8], 1);
    wr(r, 0x020, 2);
    ck_assert_int_eq(r->lines.level[PIC8], 0);
    rig_free(r);
}
END_TEST

START_TEST(test_hpet_32bit_mode)
{
    Rig *r = rig_new();
    /* Timer 2: 32-bit mode, edge, enabled, route 21. */
    wr(r, 0x140, (1 << 2) | (1 << 8) | (21 << 9));
    wr(r, 0x148, 50);
    wr(r, 0x14c, 7);                     /* upper half ignored */
    ck_assert_uint_eq(rd(r, 0x14c), 0);
    wr(r, 0x0f0, 0xffffff00u);           /* near the 32-bit wrap */
    wr(r, 0x010, 1);
    run_to(r, (0x100 + 50) * 10);        /* low half wrapped to 50 */
    ck_assert_int_eq(r->lines.rises[21], 1);
    /* One-shot in 32-bit mode matches again 2^32 ticks later. */
    ck_assert_int_eq(vclock_deadline(r->clock), (0x100 + 50) * 10 + (1ll << 32) * 10);
    rig_free(r);
}
END_TEST

TEST_SUITE(hpet)
{
    Suite *s = suite_create("hpet");
    TCase *tc = tcase_create("hpet");
    tcase_add_test(tc, test_hpet_capabilities);
    tcase_add_test(tc, test_hpet_counter_rate);
    tcase_add_test(tc, test_hpet_oneshot_level_w1c);
    tcase_add_test(tc, test_hpet_periodic_legacy_edge);
    tcase_add_test(tc, test_hpet_legacy_timer1_level);
    tcase_add_test(tc, test_hpet_32bit_mode);
    suite_add_tcase(s, tc);
    return s;
}
