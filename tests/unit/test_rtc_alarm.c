/* test_rtc_alarm.c — the RTC alarm as an ACPI fixed event.
 *
 * PIIX4 datasheet, PM1_STS bit 10 RTC_STS: set when the RTC asserts its
 * interrupt for an alarm. The MC146818A raises IRQ8 for an alarm when AF
 * and AIE are both set (datasheet, "Register C"); an alarm byte with its
 * top two bits set matches any value, so such an alarm fires on every
 * update cycle, which ends 1984 us after it starts at each second
 * boundary. The wall clock at 0 ns is fixed at a half second, so updates
 * start at 0.5 s, 1.5 s, ...
 */
#include "unit/testlib.h"
#include "unit/device_rig.h"
#include "hw/mc146818.h"
#include "hw/pc.h"
#include "hw/acpi_pm.h"

#define MS 1000000ll
#define US 1000ll
#define EPOCH_2024_02_29_235958 1709251198ll

static uint64_t fake_ns;

typedef struct Hook {
    VClock *clock;
    int n;
    int64_t t[8];
} Hook;

static void alarm_hook(void *opaque)
{
    Hook *h = opaque;
    if (h->n < 8)
        h->t[h->n] = vclock_now(h->clock);
    h->n++;
}

static void run_until(VClock *clock, int64_t t)
{
    fake_clock_run_until(clock, &fake_ns, t);
}

static void cmos_write(Bus *bus, uint8_t reg, uint8_t v)
{
    bus_io_write(bus, 0x70, reg, 1);
    bus_io_write(bus, 0x71, v, 1);
}

static uint8_t cmos_read(Bus *bus, uint8_t reg)
{
    bus_io_write(bus, 0x70, reg, 1);
    return (uint8_t)bus_io_read(bus, 0x71, 1);
}

static void alarm_any_second(Bus *bus)
{
    cmos_write(bus, 0x01, 0xc0);
    cmos_write(bus, 0x03, 0xc0);
    cmos_write(bus, 0x05, 0xc0);
}

typedef struct Fixture {
    VClock *clock;
    Bus *bus;
    Rtc *rtc;
    Hook hook;
} Fixture;

static void setup(Fixture *f)
{
    fake_ns = 0;
    f->clock = vclock_new(VCLOCK_ICOUNT);
    fake_clock_attach(f->clock, &fake_ns);
    vclock_set_wall_epoch(f->clock, EPOCH_2024_02_29_235958 * NS_PER_SEC + 500 * MS);
    f->bus = bus_new();
    f->rtc = rtc_new(f->bus, f->clock, (IrqLine){ 0 });
    f->hook = (Hook){ .clock = f->clock };
    rtc_set_alarm_hook(f->rtc, alarm_hook, &f->hook);
}

static void teardown(Fixture *f)
{
    rtc_free(f->rtc);
    bus_free(f->bus);
    vclock_free(f->clock);
}

START_TEST(test_rtc_alarm_hook_needs_aie)
{
    Fixture f;
    setup(&f);
    alarm_any_second(f.bus);
    run_until(f.clock, 1000 * MS);
    ck_assert_int_eq(f.hook.n, 0);                  /* AF set, AIE clear */
    ck_assert_uint_eq(cmos_read(f.bus, 0x0c) & 0x20, 0x20);
    cmos_write(f.bus, 0x0b, 0x22);                  /* 24 h, AIE */
    run_until(f.clock, 3000 * MS);
    ck_assert_int_eq(f.hook.n, 1);                  /* AF stays set until C is read */
    ck_assert_int_eq(f.hook.t[0], 1500 * MS + 1984 * US);
    cmos_read(f.bus, 0x0c);
    run_until(f.clock, 4000 * MS);
    ck_assert_int_eq(f.hook.n, 2);
    ck_assert_int_eq(f.hook.t[1], 3500 * MS + 1984 * US);
    teardown(&f);
}
END_TEST

/* IRQ8 already up for the update-ended interrupt (register C not read):
 * the alarm still reaches the hook when it happens. */
START_TEST(test_rtc_alarm_hook_while_irq8_up)
{
    Fixture f;
    setup(&f);
    cmos_write(f.bus, 0x01, 0x00);                  /* alarm 00:00:00 */
    cmos_write(f.bus, 0x03, 0x00);
    cmos_write(f.bus, 0x05, 0x00);
    cmos_write(f.bus, 0x0b, 0x32);                  /* UIE, AIE, 24 h */
    run_until(f.clock, 1000 * MS);
    ck_assert_int_eq(f.hook.n, 0);                  /* 23:59:59: UF only */
    run_until(f.clock, 2000 * MS);
    ck_assert_int_eq(f.hook.n, 1);
    ck_assert_int_eq(f.hook.t[0], 1500 * MS + 1984 * US);   /* 00:00:00 */
    ck_assert_uint_eq(cmos_read(f.bus, 0x0c) & 0xb0, 0xb0); /* IRQF AF UF (PF: RS=6) */
    teardown(&f);
}
END_TEST

/* The board: the alarm sets PM1_STS.RTC_STS at PMBA (SeaBIOS's 0x600). */
START_TEST(test_rtc_alarm_board_sets_rtc_sts)
{
    char *argv[] = { "emu", "-serial", "null", "-display", "none", "-icount", "0", NULL };
    EmuOptions o;
    Machine *m;
    Bus *bus;

    ck_assert_int_eq(options_parse(&o, 7, argv), OPTIONS_RUN);
    m = machine_new(&o);
    fake_ns = 0;
    fake_clock_attach(m->clock, &fake_ns);
    pc_build(m);
    bus = m->bus;
    bus_io_write(bus, 0xcf8, 0x80000000u | ACPI_PM_DEVFN << 8 | 0x40, 4);
    bus_io_write(bus, 0xcfc, ACPI_PM_BASE_SEABIOS | 1, 4);         /* PMBA */
    bus_io_write(bus, 0xcf8, 0x80000000u | ACPI_PM_DEVFN << 8 | 0x80, 4);
    bus_io_write(bus, 0xcfc, 1, 1);                                 /* PMIOSE */
    ck_assert_uint_eq(bus_io_read(bus, ACPI_PM_BASE_SEABIOS, 2) & ACPI_RTC_STS, 0);

    alarm_any_second(bus);
    cmos_write(bus, 0x0b, 0x02);                    /* AIE clear: no event */
    run_until(m->clock, 1100 * MS);
    ck_assert_uint_eq(bus_io_read(bus, ACPI_PM_BASE_SEABIOS, 2) & ACPI_RTC_STS, 0);
    cmos_read(bus, 0x0c);
    cmos_write(bus, 0x0b, 0x22);                    /* AIE */
    run_until(m->clock, 2100 * MS);
    ck_assert_uint_eq(bus_io_read(bus, ACPI_PM_BASE_SEABIOS, 2) & ACPI_RTC_STS, ACPI_RTC_STS);
    bus_io_write(bus, ACPI_PM_BASE_SEABIOS, ACPI_RTC_STS, 2);      /* write 1 to clear */
    ck_assert_uint_eq(bus_io_read(bus, ACPI_PM_BASE_SEABIOS, 2) & ACPI_RTC_STS, 0);
    machine_free(m);
}
END_TEST

TEST_SUITE(rtc_alarm)
{
    Suite *s = suite_create("rtc_alarm");
    TCase *tc = tcase_create("alarm");
    tcase_add_test(tc, test_rtc_alarm_hook_needs_aie);
    tcase_add_test(tc, test_rtc_alarm_hook_while_irq8_up);
    tcase_add_test(tc, test_rtc_alarm_board_sets_rtc_sts);
    suite_add_tcase(s, tc);
    return s;
}
