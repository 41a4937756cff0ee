/* test_acpi_pm.c — PIIX4 PM function: config space, PM timer, PM1 events,
 * SCI, sleep, GPE0. Expected values: 82371AB datasheet (8086:7113, PMBA
 * bits 15:6 with bit 0 hard-wired 1, PMREGMISC bit 0), ACPI 2.0 4.7.3
 * (PM timer 3.579545 MHz, TMR_STS on bit 23 toggles, PM1 bit positions). */
#include <stdlib.h>
#include "unit/testlib.h"
#include "hw/acpi_pm.h"

#define DEVFN PCI_DEVFN(1, 3)

typedef struct Rig {
    Bus *bus;
    VClock *clock;
    PciBus *pci;
    AcpiPm *pm;
    int sci;
    int poweroffs;
    uint64_t count;
} Rig;

static void set_sci(void *opaque, int pin, int level) { *(int *)opaque = level; }
static void poweroff(void *opaque) { ++*(int *)opaque; }
static uint64_t get_count(void *opaque) { return *(uint64_t *)opaque; }

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->bus = bus_new();
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_count, &r->count, 0);
    r->pci = pci_bus_new(r->bus, NULL, NULL);
    r->pm = acpi_pm_new(&(AcpiPmConfig){
        .pci = r->pci, .devfn = DEVFN, .clock = r->clock,
        .sci = irq_line(set_sci, &r->sci, 0), .gpe0_base = 0xafe0,
        .poweroff = poweroff, .opaque = &r->poweroffs });
    /* What SeaBIOS does: PMBA = 0x600, PMREGMISC.PMIOSE = 1. */
    pci_config_write(r->pci, DEVFN, 0x40, 0x601, 4);
    pci_config_write(r->pci, DEVFN, 0x80, 0x01, 1);
    return r;
}

static void rig_free(Rig *r)
{
    acpi_pm_free(r->pm);
    pci_bus_free(r->pci);
    vclock_free(r->clock);
    bus_free(r->bus);
    free(r);
}

START_TEST(test_acpi_pm_config_space)
{
    Rig *r = rig_new();
    ck_assert_uint_eq(pci_config_read(r->pci, DEVFN, 0x00, 4), 0x71138086);
    ck_assert_uint_eq(pci_config_read(r->pci, DEVFN, 0x08, 4), 0x06800003);
    pci_config_write(r->pci, DEVFN, 0x40, 0xffffffff, 4);
    ck_assert_uint_eq(pci_config_read(r->pci, DEVFN, 0x40, 4), 0x0000ffc1);
    pci_config_write(r->pci, DEVFN, 0x40, 0xe001, 4);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x608, 4), 0xffffffffu);   /* moved away */
    ck_assert_uint_eq(bus_io_read(r->bus, 0xe004, 2), 0x0001);       /* SCI_EN */
    pci_config_write(r->pci, DEVFN, 0x80, 0x00, 1);                  /* PMIOSE off */
    ck_assert_uint_eq(bus_io_read(r->bus, 0xe004, 2), 0xffff);
    pci_config_write(r->pci, DEVFN, 0x5f, 0x12, 1);                  /* accepted */
    ck_assert_uint_eq(pci_config_read(r->pci, DEVFN, 0x5f, 1), 0x12);
    rig_free(r);
}
END_TEST

START_TEST(test_acpi_pm_timer_rate_and_wrap)
{
    Rig *r = rig_new();
    ck_assert_uint_eq(bus_io_read(r->bus, 0x608, 4), 0);
    r->count = NS_PER_SEC;                       /* 1 s = 3579545 ticks */
    ck_assert_uint_eq(bus_io_read(r->bus, 0x608, 4), 3579545);
    r->count = 5 * NS_PER_SEC;                   /* 17897725 mod 2^24 */
    ck_assert_uint_eq(bus_io_read(r->bus, 0x608, 4), 17897725 - 16777216);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x608, 1), (17897725 - 16777216) & 0xff);
    rig_free(r);
}
END_TEST

START_TEST(test_acpi_pm_tmr_sts_and_sci)
{
    Rig *r = rig_new();
    /* Bit 23 first toggles at 2^23 ticks = 2.3435 s. */
    r->count = 2343000000ll;
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 2) & 1, 0);
    r->count = 2344000000ll;
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 2) & 1, 1);
    ck_assert_int_eq(r->sci, 0);                 /* TMROF_EN clear */
    bus_io_write(r->bus, 0x602, 0x0001, 2);      /* TMROF_EN */
    ck_assert_int_eq(r->sci, 1);
    bus_io_write(r->bus, 0x600, 0x0001, 2);      /* W1C */
    ck_assert_int_eq(r->sci, 0);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 2) & 1, 0);
    /* Next toggle at 2^24 ticks = 4.687 s, signalled by the timer. */
    r->count = 4686000000ll;
    vclock_run_timers(r->clock);
    ck_assert_int_eq(r->sci, 0);
    r->count = 4688000000ll;
    vclock_run_timers(r->clock);
    ck_assert_int_eq(r->sci, 1);
    /* SCI_EN clear: events no longer raise the SCI. */
    bus_io_write(r->bus, 0x604, 0x0000, 2);
    ck_assert_int_eq(r->sci, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_acpi_pm_fixed_events)
{
    Rig *r = rig_new();
    acpi_pm_power_button(r->pm);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 2), 0x0100);
    ck_assert_int_eq(r->sci, 0);
    bus_io_write(r->bus, 0x602, 0x0100, 2);      /* PWRBTN_EN */
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 4), 0x01000100);
    ck_assert_int_eq(r->sci, 1);
    bus_io_write(r->bus, 0x600, 0x0100, 2);
    ck_assert_int_eq(r->sci, 0);
    acpi_pm_rtc_alarm(r->pm);                    /* RTC_STS is bit 10 */
    ck_assert_uint_eq(bus_io_read(r->bus, 0x600, 2), 0x0400);
    bus_io_write(r->bus, 0x602, 0x0500, 2);
    ck_assert_int_eq(r->sci, 1);
    rig_free(r);
}
END_TEST

START_TEST(test_acpi_pm_sleep_s5)
{
    Rig *r = rig_new();
    bus_io_write(r->bus, 0x604, (1 << 10) | 1, 2);     /* SLP_TYP 1, no SLP_EN */
    ck_assert_int_eq(r->poweroffs, 0);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x604, 2), 0x0401);
    bus_io_write(r->bus, 0x604, (1 << 10) | (1 << 13) | 1, 2);   /* S3: not modelled */
    ck_assert_int_eq(r->poweroffs, 0);
    ck_assert_uint_eq(bus_io_read(r->bus, 0x604, 2), 0x0401);    /* SLP_EN reads 0 */
    bus_io_write(r->bus, 0x604, (0 << 10) | (1 << 13) | 1, 2);   /* S5 */
    ck_assert_int_eq(r->poweroffs, 1);
    rig_free(r);
}
END_TEST

START_TEST(test_acpi_pm_gpe0)
{
    Rig *r = rig_new();
    acpi_pm_set_gpe(r->pm, 1);
    ck_assert_uint_eq(bus_io_read(r->bus, 0xafe0, 1), 0x02);
    ck_assert_int_eq(r->sci, 0);
    bus_io_write(r->bus, 0xafe2, 0x02, 1);
    ck_assert_int_eq(r->sci, 1);
    ck_assert_uint_eq(bus_io_read(r->bus, 0xafe0, 4), 0x00020002);
    bus_io_write(r->bus, 0xafe0, 0x02, 1);
    ck_assert_int_eq(r->sci, 0);
    ck_assert_uint_eq(bus_io_read(r->bus, 0xafe0, 1), 0);
    rig_free(r);
}
END_TEST

TEST_SUITE(acpi_pm)
{
    Suite *s = suite_create("acpi_pm");
    TCase *tc = tcase_create("acpi_pm");
    tcase_add_test(tc, test_acpi_pm_config_space);
    tcase_add_test(tc, test_acpi_pm_timer_rate_and_wrap);
    tcase_add_test(tc, test_acpi_pm_tmr_sts_and_sci);
    tcase_add_test(tc, test_acpi_pm_fixed_events);
    tcase_add_test(tc, test_acpi_pm_sleep_s5);
    tcase_add_test(tc, test_acpi_pm_gpe0);
    suite_add_tcase(s, tc);
    return s;
}
