/* test_rtc.c — MC146818A: BCD/binary, 12/24 h, calendar carries, UIP
 * window, periodic/alarm/update-ended interrupts, register C, SET, divider
 * reset, CMOS RAM and the NMI mask bit.
 *
 * The wall clock at 0 ns is fixed to 2024-02-29 23:59:58.5 UTC (a Thursday,
 * day 5 with Sunday = 1), so update cycles start at 0.5 s, 1.5 s, ...
 * Datasheet facts used: UIP is set 244 us before an update and the
 * update lasts 1984 us; RS=6 gives 1024 Hz (976.5625 us), RS=15 2 Hz; the
 * first update comes 500 ms after the divider leaves reset.
 */
#include "unit/testlib.h"
#include "unit/device_rig.h"
#include "hw/mc146818.h"

#define MS 1000000ll
#define US 1000ll
#define EPOCH_2024_02_29_235958 1709251198ll

static uint64_t fake_ns;

typedef struct Fixture {
    VClock *clock;
    Bus *bus;
    Rtc *rtc;
    Edges irq;
} Fixture;

static void setup(Fixture *f)
{
    fake_ns = 0;
    f->clock = vclock_new(VCLOCK_ICOUNT);
    fake_clock_attach(f->clock, &fake_ns);
    vclock_set_wall_epoch(f->clock, EPOCH_2024_02_29_235958 * NS_PER_SEC + 500 * MS);
    f->bus = bus_new();
    f->irq = (Edges){ .clock = f->clock };
    f->rtc = rtc_new(f->bus, f->clock, irq_line(edges_record, &f->irq, 8));
}

static void teardown(Fixture *f)
{
    rtc_free(f->rtc);
    bus_free(f->bus);
    vclock_free(f->clock);
}

static void run_until(Fixture *f, int64_t t)
{
    fake_clock_run_until(f->clock, &fake_ns, t);
}

static uint8_t rd(Fixture *f, uint8_t reg)
{
    bus_io_write(f->bus, 0x70, reg, 1);
    return bus_io_read(f->bus, 0x71, 1);
}

static void wr(Fixture *f, uint8_t reg, uint8_t v)
{
    bus_io_write(f->bus, 0x70, reg, 1);
    bus_io_write(f->bus, 0x71, v, 1);
}

START_TEST(test_rtc_bcd_time_of_day)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);
    ck_assert_uint_eq(rd(&f, 0x02), 0x59);
    ck_assert_uint_eq(rd(&f, 0x04), 0x23);
    ck_assert_uint_eq(rd(&f, 0x06), 0x05);
    ck_assert_uint_eq(rd(&f, 0x07), 0x29);
    ck_assert_uint_eq(rd(&f, 0x08), 0x02);
    ck_assert_uint_eq(rd(&f, 0x09), 0x24);
    ck_assert_uint_eq(rd(&f, RTC_CMOS_CENTURY), 0x20);
    ck_assert_uint_eq(rd(&f, 0x0a), 0x26);          /* UIP clear: 0.5 s to go */
    ck_assert_uint_eq(rd(&f, 0x0b), 0x02);
    ck_assert_uint_eq(rd(&f, 0x0d), 0x80);          /* VRT */
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_advances_over_leap_day)
{
    Fixture f;
    setup(&f);
    fake_ns = 500 * MS - 1;
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);
    fake_ns = 500 * MS + 3 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x59);
    fake_ns = 1500 * MS + 3 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x00);
    ck_assert_uint_eq(rd(&f, 0x02), 0x00);
    ck_assert_uint_eq(rd(&f, 0x04), 0x00);
    ck_assert_uint_eq(rd(&f, 0x06), 0x06);          /* Friday */
    ck_assert_uint_eq(rd(&f, 0x07), 0x01);
    ck_assert_uint_eq(rd(&f, 0x08), 0x03);          /* 2024 is a leap year: Mar 1 */
    ck_assert_uint_eq(rd(&f, 0x09), 0x24);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_binary_and_year_wrap)
{
    Fixture f;
    setup(&f);
    fake_ns = 100 * MS;
    wr(&f, 0x0b, 0x86);                             /* SET, binary, 24 h */
    wr(&f, 0x00, 59);
    wr(&f, 0x02, 59);
    wr(&f, 0x04, 23);
    wr(&f, 0x06, 6);
    wr(&f, 0x07, 31);
    wr(&f, 0x08, 12);
    wr(&f, 0x09, 99);
    wr(&f, 0x0b, 0x06);
    fake_ns = 1000 * MS;                            /* one update, at 0.5 s */
    ck_assert_uint_eq(rd(&f, 0x00), 0);
    ck_assert_uint_eq(rd(&f, 0x04), 0);
    ck_assert_uint_eq(rd(&f, 0x06), 7);
    ck_assert_uint_eq(rd(&f, 0x07), 1);
    ck_assert_uint_eq(rd(&f, 0x08), 1);
    ck_assert_uint_eq(rd(&f, 0x09), 0);             /* 99 -> 00: no century carry */
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_12_hour_mode)
{
    Fixture f;
    setup(&f);
    fake_ns = 100 * MS;
    wr(&f, 0x0b, 0x80);                             /* SET, BCD, 12 h */
    wr(&f, 0x04, 0x91);                             /* 11 PM */
    wr(&f, 0x0b, 0x00);
    fake_ns = 1000 * MS;                            /* 23:59:59 */
    ck_assert_uint_eq(rd(&f, 0x04), 0x91);
    fake_ns = 2000 * MS;                            /* midnight is 12 AM */
    ck_assert_uint_eq(rd(&f, 0x04), 0x12);
    wr(&f, 0x0b, 0x80);
    wr(&f, 0x04, 0x11);                             /* 11 AM */
    wr(&f, 0x02, 0x59);
    wr(&f, 0x00, 0x59);
    wr(&f, 0x0b, 0x00);
    fake_ns = 3000 * MS;                            /* noon is 12 PM */
    ck_assert_uint_eq(rd(&f, 0x04), 0x92);
    ck_assert_uint_eq(rd(&f, 0x02), 0x00);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_uip_window)
{
    Fixture f;
    setup(&f);
    fake_ns = 500 * MS - 244 * US - 1;
    ck_assert_uint_eq(rd(&f, 0x0a) & 0x80, 0);
    fake_ns = 500 * MS - 244 * US;
    ck_assert_uint_eq(rd(&f, 0x0a) & 0x80, 0x80);
    fake_ns = 500 * MS + 1984 * US - 1;
    ck_assert_uint_eq(rd(&f, 0x0a) & 0x80, 0x80);
    fake_ns = 500 * MS + 1984 * US;
    ck_assert_uint_eq(rd(&f, 0x0a) & 0x80, 0);
    fake_ns = 1500 * MS;
    wr(&f, 0x0b, 0x82);                             /* SET clears UIP */
    ck_assert_uint_eq(rd(&f, 0x0a) & 0x80, 0);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_periodic_interrupt_rate)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0b, 0x42);                             /* PIE, 24 h; A = 0x26: 1024 Hz */
    run_until(&f, 1500 * US);
    ck_assert_int_eq(f.irq.n, 1);
    ck_assert_int_eq(f.irq.t[0], 976563);           /* ceil(976562.5) */
    ck_assert_int_eq(f.irq.level[0], 1);
    ck_assert_uint_eq(rd(&f, 0x0c), 0xc0);          /* IRQF | PF */
    ck_assert_int_eq(f.irq.level[1], 0);
    ck_assert_uint_eq(rd(&f, 0x0c), 0x00);
    run_until(&f, 2500 * US);
    ck_assert_int_eq(f.irq.n, 3);
    ck_assert_int_eq(f.irq.t[2], 1953125);
    rd(&f, 0x0c);
    wr(&f, 0x0a, 0x2f);                             /* 2 Hz */
    run_until(&f, 900 * MS);
    ck_assert_int_eq(f.irq.n, 5);
    ck_assert_int_eq(f.irq.t[4], 500 * MS);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_flags_without_enables)
{
    Fixture f;
    setup(&f);
    fake_ns = 2 * MS;
    ck_assert_uint_eq(rd(&f, 0x0c), 0x40);          /* PF set, PIE off: no IRQF */
    ck_assert_uint_eq(rd(&f, 0x0c), 0x00);
    ck_assert_int_eq(f.irq.n, 0);
    /* Enabling PIE with PF pending raises IRQ8 at once. */
    fake_ns = 3 * MS;
    wr(&f, 0x0b, 0x42);
    ck_assert_int_eq(f.irq.n, 1);
    ck_assert_int_eq(f.irq.level[0], 1);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_update_ended_interrupt)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0a, 0x20);                             /* no periodic rate */
    wr(&f, 0x0b, 0x12);                             /* UIE */
    run_until(&f, 1000 * MS);
    ck_assert_int_eq(f.irq.n, 1);
    ck_assert_int_eq(f.irq.t[0], 500 * MS + 1984 * US);
    ck_assert_uint_eq(rd(&f, 0x0c), 0x90);
    ck_assert_int_eq(f.irq.level[1], 0);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_alarm)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0a, 0x20);
    wr(&f, 0x01, 0x00);                             /* alarm 00:00:00 */
    wr(&f, 0x03, 0x00);
    wr(&f, 0x05, 0x00);
    wr(&f, 0x0b, 0x22);                             /* AIE */
    run_until(&f, 2000 * MS);
    ck_assert_int_eq(f.irq.n, 1);
    ck_assert_int_eq(f.irq.t[0], 1500 * MS + 1984 * US);     /* 00:00:00 */
    ck_assert_uint_eq(rd(&f, 0x0c), 0xb0);          /* IRQF | AF | UF */
    /* Don't-care bytes (top two bits set): every second. */
    wr(&f, 0x01, 0xc0);
    wr(&f, 0x03, 0xff);
    wr(&f, 0x05, 0xc0);
    run_until(&f, 3000 * MS);
    ck_assert_int_eq(f.irq.n, 3);
    ck_assert_int_eq(f.irq.t[2], 2500 * MS + 1984 * US);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_set_inhibits_updates)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0b, 0x92);                             /* SET and UIE: SET clears UIE */
    ck_assert_uint_eq(rd(&f, 0x0b), 0x82);
    fake_ns = 5000 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);
    wr(&f, 0x0b, 0x02);                             /* counting resumes on the */
    fake_ns = 6000 * MS + 3 * MS;                   /* same second boundaries */
    ck_assert_uint_eq(rd(&f, 0x00), 0x59);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_divider_reset)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0a, 0x76);                             /* DV = 111: divider in reset */
    fake_ns = 3000 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);
    wr(&f, 0x0a, 0x26);                             /* first update 500 ms later */
    fake_ns = 3500 * MS - 1;
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);
    fake_ns = 3500 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x59);
    fake_ns = 4500 * MS;
    ck_assert_uint_eq(rd(&f, 0x00), 0x00);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_cmos_ram_and_nmi_mask)
{
    Fixture f;
    setup(&f);
    ck_assert(!rtc_nmi_disabled(f.rtc));
    bus_io_write(f.bus, 0x70, 0xc0, 1);             /* index 0x40, NMI disabled */
    bus_io_write(f.bus, 0x71, 0x5a, 1);
    ck_assert(rtc_nmi_disabled(f.rtc));
    ck_assert_uint_eq(rtc_get_cmos(f.rtc, 0x40), 0x5a);
    ck_assert_uint_eq(rd(&f, 0x40), 0x5a);
    ck_assert(!rtc_nmi_disabled(f.rtc));
    rtc_set_cmos(f.rtc, 0xc1, 0xa5);                /* index & 0x7f */
    ck_assert_uint_eq(rd(&f, 0x41), 0xa5);
    wr(&f, 0x0d, 0x00);                             /* D is read-only */
    ck_assert_uint_eq(rd(&f, 0x0d), 0x80);
    /* rtc_get_cmos does not clear register C. */
    fake_ns = 2 * MS;
    ck_assert_uint_eq(rtc_get_cmos(f.rtc, 0x0c), 0x40);
    ck_assert_uint_eq(rd(&f, 0x0c), 0x40);
    teardown(&f);
}
END_TEST

START_TEST(test_rtc_reset_clears_enables)
{
    Fixture f;
    setup(&f);
    wr(&f, 0x0b, 0x7a);                             /* PIE AIE UIE SQWE, 24 h */
    fake_ns = 2 * MS;
    rtc_reset(f.rtc);
    ck_assert_uint_eq(rd(&f, 0x0b), 0x02);
    ck_assert_uint_eq(rd(&f, 0x0c), 0x00);
    ck_assert_int_eq(f.irq.level[f.irq.n - 1], 0);
    ck_assert_uint_eq(rd(&f, 0x00), 0x58);          /* time untouched */
    teardown(&f);
}
END_TEST

TEST_SUITE(rtc)
{
    Suite *s = suite_create("rtc");
    TCase *tc = tcase_create("mc146818a");
    tcase_add_test(tc, test_rtc_bcd_time_of_day);
    tcase_add_test(tc, test_rtc_advances_over_leap_day);
    tcase_add_test(tc, test_rtc_binary_and_year_wrap);
    tcase_add_test(tc, test_rtc_12_hour_mode);
    tcase_add_test(tc, test_rtc_uip_window);
    tcase_add_test(tc, test_rtc_periodic_interrupt_rate);
    tcase_add_test(tc, test_rtc_flags_without_enables);
    tcase_add_test(tc, test_rtc_update_ended_interrupt);
    tcase_add_test(tc, test_rtc_alarm);
    tcase_add_test(tc, test_rtc_set_inhibits_updates);
    tcase_add_test(tc, test_rtc_divider_reset);
    tcase_add_test(tc, test_rtc_cmos_ram_and_nmi_mask);
    tcase_add_test(tc, test_rtc_reset_clears_enables);
    suite_add_tcase(s, tc);
    return s;
}
