/* test_pit.c — 82C54 modes, latches, read-back, BCD, gate and port 0x61.
 *
 * Time is exact (VCLOCK_ICOUNT, 1 ns per instruction). The input clock is
 * 1.193182 MHz and pulses sit on a grid from 0 ns, so CLK pulse k happens
 * at ceil(k * 10^9 / 1193182) ns; the constants below are those times. The
 * expected pulse numbers come from the 82C54 datasheet's mode definitions:
 * a count written is loaded on the next pulse without decrementing, mode 0
 * OUT rises N+1 pulses after the write, mode 2 OUT is low for one pulse
 * every N, mode 3 OUT is high ceil(N/2) and low floor(N/2) pulses, mode 4
 * strobes low N+1 pulses after the write.
 */
#include "unit/testlib.h"
#include "unit/device_rig.h"
#include "hw/i8254.h"

/* ceil(k * 1e9 / 1193182) for the pulse numbers the tests use. */
enum {
    P1 = 839, P2 = 1677, P5 = 4191, P6 = 5029, P10 = 8381, P11 = 9220,
    P14 = 11734, P15 = 12572, P18 = 15086, P50 = 41905, P101 = 84648,
    P149 = 124877, P150 = 125715, P1001 = 838934, P1193 = 999848, P1194 = 1000686,
    P2386 = 1999695, P2387 = 2000534, P3579 = 2999543, P3580 = 3000381,
    P3 = 2515, P4 = 3353, P7 = 5867, P8 = 6705, P9 = 7543, P12 = 10058,
    P20 = 16762, P31 = 25981,
};

static uint64_t fake_ns;

typedef struct Fixture {
    VClock *clock;
    Bus *bus;
    Pit *pit;
    Edges irq0;
} Fixture;

static void setup(Fixture *f)
{
    fake_ns = 0;
    f->clock = vclock_new(VCLOCK_ICOUNT);
    fake_clock_attach(f->clock, &fake_ns);
    f->bus = bus_new();
    f->irq0 = (Edges){ .clock = f->clock };
    f->pit = pit_new(f->bus, f->clock, irq_line(edges_record, &f->irq0, 0));
}

static void teardown(Fixture *f)
{
    pit_free(f->pit);
    bus_free(f->bus);
    vclock_free(f->clock);
}

/* Advance virtual time to t, running each timer at its exact deadline. */
static void run_until(Fixture *f, int64_t t)
{
    fake_clock_run_until(f->clock, &fake_ns, t);
}

static void out8(Fixture *f, uint16_t port, uint8_t v) { bus_io_write(f->bus, port, v, 1); }
static uint8_t in8(Fixture *f, uint16_t port) { return bus_io_read(f->bus, port, 1); }

static void write_count16(Fixture *f, int ch, uint16_t n)
{
    out8(f, 0x40 + ch, n & 0xff);
    out8(f, 0x40 + ch, n >> 8);
}

static unsigned latched_count(Fixture *f, int ch)
{
    unsigned lo;
    out8(f, 0x43, ch << 6);                 /* counter latch command */
    lo = in8(f, 0x40 + ch);
    return lo | in8(f, 0x40 + ch) << 8;
}

static int out2(Fixture *f)
{
    return (in8(f, 0x61) >> 5) & 1;
}

START_TEST(test_pit_mode0_out2_polling)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);                   /* gate 2 on, speaker off */
    out8(&f, 0x43, 0xb0);                   /* counter 2, lsb/msb, mode 0, binary */
    write_count16(&f, 2, 1000);
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P1;
    ck_assert_uint_eq(latched_count(&f, 2), 1000);
    fake_ns = P2;
    ck_assert_uint_eq(latched_count(&f, 2), 999);
    fake_ns = P1001 - 1;
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P1001;
    ck_assert_int_eq(out2(&f), 1);
    ck_assert_uint_eq(latched_count(&f, 2), 0);
    fake_ns = P1001 + 2000;                 /* OUT stays high; the count wraps */
    ck_assert_int_eq(out2(&f), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode2_irq0_edges)
{
    Fixture f;
    static const int64_t expect[] = { P1193, P1194, P2386, P2387, P3579, P3580 };
    setup(&f);
    out8(&f, 0x43, 0x34);                   /* counter 0, lsb/msb, mode 2 */
    ck_assert_int_eq(f.irq0.n, 1);          /* control word: OUT high */
    ck_assert_int_eq(f.irq0.level[0], 1);
    write_count16(&f, 0, 1193);
    run_until(&f, 3100000);
    ck_assert_int_eq(f.irq0.n, 7);
    for (int i = 0; i < 6; i++) {
        ck_assert_int_eq(f.irq0.t[i + 1], expect[i]);
        ck_assert_int_eq(f.irq0.level[i + 1], i & 1);
    }
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode3_square_wave)
{
    Fixture f;
    static const int64_t expect[] = { P4, P6, P9, P11 };
    setup(&f);
    out8(&f, 0x43, 0x36);                   /* counter 0, mode 3 */
    write_count16(&f, 0, 5);                /* odd: high 3 pulses, low 2 */
    run_until(&f, P11 + 100);
    ck_assert_int_eq(f.irq0.n, 5);
    for (int i = 0; i < 4; i++) {
        ck_assert_int_eq(f.irq0.t[i + 1], expect[i]);
        ck_assert_int_eq(f.irq0.level[i + 1], i & 1);
    }
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode3_even_count_reads)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0xb6);                   /* counter 2, mode 3 */
    write_count16(&f, 2, 10);
    fake_ns = P1;
    ck_assert_uint_eq(latched_count(&f, 2), 10);
    ck_assert_int_eq(out2(&f), 1);
    fake_ns = P2;
    ck_assert_uint_eq(latched_count(&f, 2), 8);     /* decrements by two */
    fake_ns = P5;
    ck_assert_uint_eq(latched_count(&f, 2), 2);
    ck_assert_int_eq(out2(&f), 1);
    fake_ns = P6;                                   /* expired: reload, OUT low */
    ck_assert_uint_eq(latched_count(&f, 2), 10);
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P11;
    ck_assert_int_eq(out2(&f), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode4_strobe)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x43, 0x38);                   /* counter 0, mode 4 (Linux oneshot) */
    write_count16(&f, 0, 10);
    run_until(&f, 50000);
    ck_assert_int_eq(f.irq0.n, 3);
    ck_assert_int_eq(f.irq0.level[0], 1);
    ck_assert_int_eq(f.irq0.t[1], P11);
    ck_assert_int_eq(f.irq0.level[1], 0);
    ck_assert_int_eq(f.irq0.t[2], P12);
    ck_assert_int_eq(f.irq0.level[2], 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode0_irq0_oneshot)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x43, 0x30);                   /* counter 0, mode 0 */
    write_count16(&f, 0, 30);
    run_until(&f, 100000);
    ck_assert_int_eq(f.irq0.n, 1);
    ck_assert_int_eq(f.irq0.t[0], P31);
    ck_assert_int_eq(f.irq0.level[0], 1);
    /* Reprogramming drops OUT at once and starts over. */
    fake_ns = 200000;
    out8(&f, 0x43, 0x30);
    ck_assert_int_eq(f.irq0.n, 2);
    ck_assert_int_eq(f.irq0.level[1], 0);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_read_back)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x43, 0x34);
    out8(&f, 0x43, 0xe2);                   /* read-back: status of counter 0 */
    /* OUT=1, NULL COUNT=1, RW=11, mode 010, binary */
    ck_assert_uint_eq(in8(&f, 0x40), 0xf4);
    write_count16(&f, 0, 1193);
    out8(&f, 0x43, 0xe2);
    ck_assert_uint_eq(in8(&f, 0x40), 0xf4); /* not loaded before the next pulse */
    fake_ns = P1;
    out8(&f, 0x43, 0xc2);                   /* status and count */
    ck_assert_uint_eq(in8(&f, 0x40), 0xb4);
    ck_assert_uint_eq(in8(&f, 0x40), 0xa9);
    ck_assert_uint_eq(in8(&f, 0x40), 0x04);
    /* Read-back of counters 1 and 2 at once: both latch. */
    out8(&f, 0x43, 0x94);                   /* counter 2, lsb only, mode 2 */
    out8(&f, 0x43, 0x54);                   /* counter 1, lsb only, mode 2 */
    out8(&f, 0x43, 0xec);                   /* status of counters 1, 2 */
    ck_assert_uint_eq(in8(&f, 0x41), 0xd4);
    ck_assert_uint_eq(in8(&f, 0x42), 0xd4);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_latch_holds)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0xb0);
    write_count16(&f, 2, 1000);
    fake_ns = P1;
    out8(&f, 0x43, 0x80);                   /* latch counter 2 */
    fake_ns = P50;
    out8(&f, 0x43, 0x80);                   /* ignored: previous latch unread */
    fake_ns = P101;
    ck_assert_uint_eq(in8(&f, 0x42), 1000 & 0xff);
    ck_assert_uint_eq(in8(&f, 0x42), 1000 >> 8);
    /* Unlatched reads follow the counter: 100 pulses after the load. */
    ck_assert_uint_eq(in8(&f, 0x42), 900 & 0xff);
    ck_assert_uint_eq(in8(&f, 0x42), 900 >> 8);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_bcd)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0xb1);                   /* counter 2, mode 0, BCD */
    write_count16(&f, 2, 0x1000);
    fake_ns = P1;
    ck_assert_uint_eq(latched_count(&f, 2), 0x1000);
    fake_ns = P2;
    ck_assert_uint_eq(latched_count(&f, 2), 0x0999);
    out8(&f, 0x43, 0xb1);
    write_count16(&f, 2, 0);                /* 0 is 10^4 in BCD */
    fake_ns = P2 + P2;                      /* pulse 4: loaded at 3, one decrement */
    ck_assert_uint_eq(latched_count(&f, 2), 0x9999);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_lsb_msb_only)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0x90);                   /* counter 2, lsb only, mode 0 */
    out8(&f, 0x42, 0x20);
    fake_ns = P1;
    ck_assert_uint_eq(in8(&f, 0x42), 0x20);
    fake_ns = P2;
    ck_assert_uint_eq(in8(&f, 0x42), 0x1f);
    out8(&f, 0x43, 0xa0);                   /* counter 2, msb only: count 0x100 */
    out8(&f, 0x42, 0x01);
    fake_ns = P5;                           /* written at pulse 2, loaded at 3 */
    ck_assert_uint_eq(in8(&f, 0x42), 0x00); /* 0x100 - 2 = 0xfe */
    out8(&f, 0x43, 0x80);
    ck_assert_uint_eq(in8(&f, 0x42), 0x00); /* latched msb of 0x00fe */
    teardown(&f);
}
END_TEST

START_TEST(test_pit_gate_mode0)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x00);                   /* gate 2 low */
    out8(&f, 0x43, 0xb0);
    write_count16(&f, 2, 100);
    fake_ns = P50;
    ck_assert_uint_eq(latched_count(&f, 2), 100);  /* loaded, not counting */
    out8(&f, 0x61, 0x01);                   /* counting resumes at pulse 51 */
    fake_ns = P149;
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P150;
    ck_assert_int_eq(out2(&f), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_gate_mode2_forces_out_high)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0xb4);                   /* counter 2, mode 2 */
    write_count16(&f, 2, 10);
    fake_ns = P10;                          /* count 1: OUT low */
    ck_assert_int_eq(out2(&f), 0);
    out8(&f, 0x61, 0x00);
    ck_assert_int_eq(out2(&f), 1);
    /* Gate rising reloads: next low pulse 10 pulses after pulse 11. */
    fake_ns = P10 + 1;
    out8(&f, 0x61, 0x01);
    fake_ns = P20;                          /* count 1 again */
    ck_assert_int_eq(out2(&f), 0);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode1_triggered_oneshot)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x00);
    out8(&f, 0x43, 0xb2);                   /* counter 2, mode 1 */
    write_count16(&f, 2, 5);
    ck_assert_int_eq(out2(&f), 1);
    fake_ns = P2;
    ck_assert_int_eq(out2(&f), 1);          /* no trigger yet */
    out8(&f, 0x61, 0x01);                   /* trigger during pulse 2 */
    ck_assert_int_eq(out2(&f), 1);
    fake_ns = P3;                           /* OUT low on the next pulse */
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P7;
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P8;                           /* ... for N = 5 pulses */
    ck_assert_int_eq(out2(&f), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_mode2_new_count_at_cycle_end)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0x01);
    out8(&f, 0x43, 0xb4);
    write_count16(&f, 2, 10);               /* cycles start at pulses 1, 11 */
    fake_ns = P5;
    write_count16(&f, 2, 4);                /* takes over at pulse 11 */
    fake_ns = P10;
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P11;
    ck_assert_int_eq(out2(&f), 1);
    ck_assert_uint_eq(latched_count(&f, 2), 4);
    fake_ns = P14;
    ck_assert_int_eq(out2(&f), 0);
    fake_ns = P15;
    ck_assert_int_eq(out2(&f), 1);
    teardown(&f);
}
END_TEST

START_TEST(test_pit_port61)
{
    Fixture f;
    setup(&f);
    out8(&f, 0x61, 0xfc);                   /* only bits 0-3 are writable */
    ck_assert_uint_eq(in8(&f, 0x61) & 0xcf, 0x0c);
    out8(&f, 0x61, 0x00);
    /* Refresh toggle flips every 18 pulses (15.08 us) when counter 1 is idle. */
    ck_assert_uint_eq(in8(&f, 0x61) & 0x10, 0x00);
    fake_ns = P18 - 1;
    ck_assert_uint_eq(in8(&f, 0x61) & 0x10, 0x00);
    fake_ns = P18;
    ck_assert_uint_eq(in8(&f, 0x61) & 0x10, 0x10);
    teardown(&f);
}
END_TEST

TEST_SUITE(pit)
{
    Suite *s = suite_create("pit");
    TCase *tc = tcase_create("82c54");
    tcase_add_test(tc, test_pit_mode0_out2_polling);
    tcase_add_test(tc, test_pit_mode2_irq0_edges);
    tcase_add_test(tc, test_pit_mode3_square_wave);
    tcase_add_test(tc, test_pit_mode3_even_count_reads);
    tcase_add_test(tc, test_pit_mode4_strobe);
    tcase_add_test(tc, test_pit_mode0_irq0_oneshot);
    tcase_add_test(tc, test_pit_read_back);
    tcase_add_test(tc, test_pit_latch_holds);
    tcase_add_test(tc, test_pit_bcd);
    tcase_add_test(tc, test_pit_lsb_msb_only);
    tcase_add_test(tc, test_pit_gate_mode0);
    tcase_add_test(tc, test_pit_gate_mode2_forces_out_high);
    tcase_add_test(tc, test_pit_mode1_triggered_oneshot);
    tcase_add_test(tc, test_pit_mode2_new_count_at_cycle_end);
    tcase_add_test(tc, test_pit_port61);
    suite_add_tcase(s, tc);
    return s;
}
