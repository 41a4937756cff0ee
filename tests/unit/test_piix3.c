/* test_piix3.c — PIIX3 function 0: header, PIRQ routing, reset control.
 * Values from the 82371SB datasheet: PIRQRC bit 7 = routing disabled,
 * bits 3:0 = IRQ (0-2, 8, 13 reserved), default 80h; RC register at 0CF9h
 * with bit 2 starting a reset and bit 1 choosing a hard one. */
#include <string.h>
#include "unit/testlib.h"
#include "hw/piix3.h"

typedef struct Levels {
    int level[PIIX3_NUM_ISA_IRQS + PIIX3_NUM_PIRQS];
    int changes;
    int resets, hard;
} Levels;

static void set_level(void *opaque, int pin, int level)
{
    Levels *l = opaque;
    l->level[pin] = level;
    l->changes++;
}

static void on_reset(void *opaque, bool hard)
{
    Levels *l = opaque;
    l->resets++;
    l->hard = hard;
}

typedef struct Fixture {
    Bus *bus;
    PciBus *pb;
    Piix3 *sb;
    Levels lv;
} Fixture;

static void fixture_init(Fixture *f, bool with_ioapic)
{
    Piix3Config cfg = { .opaque = &f->lv, .reset = on_reset };
    memset(f, 0, sizeof(*f));
    for (int i = 0; i < PIIX3_NUM_ISA_IRQS; i++)
        cfg.isa_irq[i] = irq_line(set_level, &f->lv, i);
    for (int i = 0; with_ioapic && i < PIIX3_NUM_PIRQS; i++)
        cfg.ioapic[i] = irq_line(set_level, &f->lv, PIIX3_NUM_ISA_IRQS + i);
    f->bus = bus_new();
    f->pb = pci_bus_new(f->bus, NULL, NULL);
    pci_bus_map_config_ports(f->pb);
    f->sb = piix3_new(f->pb, PCI_DEVFN(1, 0), &cfg);
}

static void fixture_free(Fixture *f)
{
    piix3_free(f->sb);
    pci_bus_free(f->pb);
    bus_free(f->bus);
}

static void pirqrc(Fixture *f, int pirq, uint8_t v)
{
    bus_io_write(f->bus, 0xcf8, 0x80000000u | (PCI_DEVFN(1, 0) << 8) | 0x60, 4);
    bus_io_write(f->bus, 0xcfc + pirq, v, 1);
}

START_TEST(test_piix3_header)
{
    Fixture f;
    fixture_init(&f, false);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), 0, 4), 0x70008086);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), PCI_CLASS_DEVICE, 2), 0x0601);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), PCI_HEADER_TYPE, 1), 0x80);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), 0x60, 4), 0x80808080);
    /* Bits 6:4 of PIRQRC are reserved. */
    pirqrc(&f, 0, 0xff);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), 0x60, 1), 0x8f);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_pirq_routing)
{
    Fixture f;
    fixture_init(&f, false);
    piix3_set_pirq(f.sb, 0, 5, 1);
    ck_assert_int_eq(f.lv.changes, 0);          /* routing disabled at reset */
    pirqrc(&f, 0, 10);
    ck_assert_int_eq(f.lv.level[10], 1);
    piix3_set_pirq(f.sb, 0, 5, 0);
    ck_assert_int_eq(f.lv.level[10], 0);
    piix3_set_pirq(f.sb, 0, 5, 1);
    ck_assert_int_eq(f.lv.level[10], 1);
    /* Disabling the route drops the line. */
    pirqrc(&f, 0, 0x8a);
    ck_assert_int_eq(f.lv.level[10], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_reroute_asserted)
{
    Fixture f;
    fixture_init(&f, false);
    pirqrc(&f, 2, 11);
    piix3_set_pirq(f.sb, 2, 40, 1);
    ck_assert_int_eq(f.lv.level[11], 1);
    pirqrc(&f, 2, 5);
    ck_assert_int_eq(f.lv.level[11], 0);
    ck_assert_int_eq(f.lv.level[5], 1);
    /* Reserved IRQ values do not route. */
    pirqrc(&f, 2, 13);
    ck_assert_int_eq(f.lv.level[5], 0);
    ck_assert_int_eq(f.lv.level[13], 0);
    pirqrc(&f, 2, 2);
    ck_assert_int_eq(f.lv.level[2], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_shared_lines)
{
    Fixture f;
    fixture_init(&f, false);
    /* Two sources on PIRQB (wired-OR). */
    pirqrc(&f, 1, 9);
    piix3_set_pirq(f.sb, 1, 8, 1);
    piix3_set_pirq(f.sb, 1, 700, 1);
    piix3_set_pirq(f.sb, 1, 8, 0);
    ck_assert_int_eq(f.lv.level[9], 1);
    piix3_set_pirq(f.sb, 1, 700, 0);
    ck_assert_int_eq(f.lv.level[9], 0);
    /* Two PIRQs routed to one IRQ. */
    pirqrc(&f, 0, 11);
    pirqrc(&f, 3, 11);
    piix3_set_pirq(f.sb, 0, 4, 1);
    piix3_set_pirq(f.sb, 3, 12, 1);
    piix3_set_pirq(f.sb, 0, 4, 0);
    ck_assert_int_eq(f.lv.level[11], 1);
    piix3_set_pirq(f.sb, 3, 12, 0);
    ck_assert_int_eq(f.lv.level[11], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_ioapic_pins)
{
    Fixture f;
    fixture_init(&f, true);
    /* IOAPIC pins follow the PIRQs whether or not they are routed to the PIC. */
    piix3_set_pirq(f.sb, 2, 1, 1);
    ck_assert_int_eq(f.lv.level[PIIX3_NUM_ISA_IRQS + 2], 1);
    for (int i = 0; i < PIIX3_NUM_ISA_IRQS; i++)
        ck_assert_int_eq(f.lv.level[i], 0);
    piix3_set_pirq(f.sb, 2, 1, 0);
    ck_assert_int_eq(f.lv.level[PIIX3_NUM_ISA_IRQS + 2], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_reset_control)
{
    Fixture f;
    fixture_init(&f, false);
    bus_io_write(f.bus, 0xcf9, 0x02, 1);
    ck_assert_int_eq(f.lv.resets, 0);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf9, 1), 0x02);
    bus_io_write(f.bus, 0xcf9, 0x06, 1);
    ck_assert_int_eq(f.lv.resets, 1);
    ck_assert_int_eq(f.lv.hard, 1);
    bus_io_write(f.bus, 0xcf9, 0x04, 1);
    ck_assert_int_eq(f.lv.resets, 2);
    ck_assert_int_eq(f.lv.hard, 0);
    /* The dword at 0xcf8 is still CONFIG_ADDRESS. */
    bus_io_write(f.bus, 0xcf8, 0x80000800, 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfc, 4), 0x70008086);
    ck_assert_int_eq(f.lv.resets, 2);
    fixture_free(&f);
}
END_TEST

START_TEST(test_piix3_reset_state)
{
    Fixture f;
    fixture_init(&f, false);
    pirqrc(&f, 0, 10);
    piix3_set_pirq(f.sb, 0, 3, 1);
    ck_assert_int_eq(f.lv.level[10], 1);
    pci_bus_reset(f.pb);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), 0x60, 1), 0x80);
    ck_assert_int_eq(f.lv.level[10], 0);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), PCI_COMMAND, 2), 0x0007);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(1, 0), 0x4c, 1), 0x4d);
    fixture_free(&f);
}
END_TEST

TEST_SUITE(piix3)
{
    Suite *s = suite_create("piix3");
    TCase *tc = tcase_create("isa_bridge");
    tcase_add_test(tc, test_piix3_header);
    tcase_add_test(tc, test_piix3_pirq_routing);
    tcase_add_test(tc, test_piix3_reroute_asserted);
    tcase_add_test(tc, test_piix3_shared_lines);
    tcase_add_test(tc, test_piix3_ioapic_pins);
    tcase_add_test(tc, test_piix3_reset_control);
    tcase_add_test(tc, test_piix3_reset_state);
    suite_add_tcase(s, tc);
    return s;
}
