/* test_ioapic.c — 82093AA registers and edge/level delivery to the local
 * APIC. Expected values: 82093AA datasheet 3.2 (IOAPICVER 0x11, 24 entries
 * -> max redirection entry 0x17; entries reset masked; delivery status and
 * Remote IRR read-only). */
#include <stdlib.h>
#include "unit/testlib.h"
#include "hw/apic.h"
#include "hw/ioapic.h"

#define IOBASE 0xfec00000u
#define APICBASE 0xfee00000u

typedef struct Rig {
    Bus *bus;
    VClock *clock;
    Apic *apic;
    IoApic *io;
    int intr;
    uint64_t count;
} Rig;

static void set_intr(void *opaque, int pin, int level) { *(int *)opaque = level; }
static uint64_t get_count(void *opaque) { return *(uint64_t *)opaque; }

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->bus = bus_new();
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_count, &r->count, 0);
    r->apic = apic_new(r->bus, r->clock, 0, irq_line(set_intr, &r->intr, 0),
                       irq_line(NULL, NULL, 0), NULL, NULL);
    memmap_write(bus_memmap(r->bus), APICBASE + 0xf0, 0x1ff, 4);   /* enable */
    r->io = ioapic_new(r->bus, IOBASE, r->apic);
    return r;
}

static void rig_free(Rig *r)
{
    ioapic_free(r->io);
    apic_free(r->apic);
    vclock_free(r->clock);
    bus_free(r->bus);
    free(r);
}

static uint32_t io_rd(Rig *r, uint8_t reg)
{
    memmap_write(bus_memmap(r->bus), IOBASE, reg, 4);
    return (uint32_t)memmap_read(bus_memmap(r->bus), IOBASE + 0x10, 4);
}

static void io_wr(Rig *r, uint8_t reg, uint32_t v)
{
    memmap_write(bus_memmap(r->bus), IOBASE, reg, 4);
    memmap_write(bus_memmap(r->bus), IOBASE + 0x10, v, 4);
}

static bool irr_bit(Rig *r, int v)
{
    uint32_t w = (uint32_t)memmap_read(bus_memmap(r->bus), APICBASE + 0x200 + (v / 32) * 0x10, 4);
    return w >> (v % 32) & 1;
}

static void apic_eoi(Rig *r)
{
    memmap_write(bus_memmap(r->bus), APICBASE + 0xb0, 0, 4);
}

START_TEST(test_ioapic_reset_and_ids)
{
    Rig *r = rig_new();
    ck_assert_uint_eq(io_rd(r, 0x00), 0);
    ck_assert_uint_eq(io_rd(r, 0x01), 0x00170011);
    for (int i = 0; i < 24; i++) {
        ck_assert_uint_eq(io_rd(r, 0x10 + 2 * i), 0x00010000);
        ck_assert_uint_eq(io_rd(r, 0x11 + 2 * i), 0);
    }
    io_wr(r, 0x00, 0x05000000);
    ck_assert_uint_eq(io_rd(r, 0x00), 0x05000000);
    ck_assert_uint_eq(io_rd(r, 0x02), 0x05000000);   /* arbitration ID */
    io_wr(r, 0x01, 0);                                /* version is read-only */
    ck_assert_uint_eq(io_rd(r, 0x01), 0x00170011);
    ck_assert_uint_eq((uint32_t)memmap_read(bus_memmap(r->bus), IOBASE, 4), 0x01);
    rig_free(r);
}
END_TEST

START_TEST(test_ioapic_redirection_access)
{
    Rig *r = rig_new();
    /* Vector 0x35, lowest priority, logical, active low, level, masked;
     * delivery status (12) and Remote IRR (14) are read-only. */
    io_wr(r, 0x16, 0x0001f935);
    ck_assert_uint_eq(io_rd(r, 0x16), 0x0001a935);
    io_wr(r, 0x17, 0xff000000);
    ck_assert_uint_eq(io_rd(r, 0x17), 0xff000000);
    ck_assert_uint_eq(io_rd(r, 0x14), 0x00010000);   /* neighbours untouched */
    ck_assert_uint_eq(io_rd(r, 0x18), 0x00010000);
    rig_free(r);
}
END_TEST

START_TEST(test_ioapic_edge_delivery)
{
    Rig *r = rig_new();
    io_wr(r, 0x18, 0x40);                 /* pin 4: fixed edge vector 0x40, dest 0 */
    io_wr(r, 0x19, 0);
    ioapic_set_irq(r->io, 4, 1);
    ck_assert(irr_bit(r, 0x40));
    ck_assert_int_eq(r->intr, 1);
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x40);
    ioapic_set_irq(r->io, 4, 1);          /* no new edge */
    ck_assert(!irr_bit(r, 0x40));
    ioapic_set_irq(r->io, 4, 0);
    apic_eoi(r);
    /* A masked edge is lost, not held. */
    io_wr(r, 0x1a, 0x00010041);           /* pin 5 masked */
    ioapic_set_irq(r->io, 5, 1);
    io_wr(r, 0x1a, 0x41);
    ck_assert(!irr_bit(r, 0x41));
    /* A destination that is not us is not delivered. */
    io_wr(r, 0x1c, 0x42);
    io_wr(r, 0x1d, 0x03000000);
    ioapic_set_irq(r->io, 6, 1);
    ck_assert(!irr_bit(r, 0x42));
    rig_free(r);
}
END_TEST

START_TEST(test_ioapic_level_remote_irr_eoi)
{
    Rig *r = rig_new();
    io_wr(r, 0x22, 0x8050);               /* pin 9: level, vector 0x50 */
    ioapic_set_irq(r->io, 9, 1);
    ck_assert(io_rd(r, 0x22) & 0x4000);   /* Remote IRR */
    ck_assert(irr_bit(r, 0x50));
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x50);
    apic_eoi(r);                          /* still asserted: sent again */
    ck_assert(io_rd(r, 0x22) & 0x4000);
    ck_assert(irr_bit(r, 0x50));
    ck_assert_int_eq(apic_intr_ack(r->apic), 0x50);
    ioapic_set_irq(r->io, 9, 0);
    apic_eoi(r);
    ck_assert(!(io_rd(r, 0x22) & 0x4000));
    ck_assert(!irr_bit(r, 0x50));
    ck_assert_int_eq(r->intr, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_ioapic_level_unmask_and_edge_switch)
{
    Rig *r = rig_new();
    io_wr(r, 0x24, 0x18051);              /* pin 10: level, masked */
    ioapic_set_irq(r->io, 10, 1);
    ck_assert(!irr_bit(r, 0x51));
    io_wr(r, 0x24, 0x8051);               /* unmasked while asserted */
    ck_assert(irr_bit(r, 0x51));
    ck_assert(io_rd(r, 0x24) & 0x4000);
    io_wr(r, 0x24, 0x10051);              /* edge + masked clears Remote IRR */
    ck_assert(!(io_rd(r, 0x24) & 0x4000));
    rig_free(r);
}
END_TEST

TEST_SUITE(ioapic)
{
    Suite *s = suite_create("ioapic");
    TCase *tc = tcase_create("ioapic");
    tcase_add_test(tc, test_ioapic_reset_and_ids);
    tcase_add_test(tc, test_ioapic_redirection_access);
    tcase_add_test(tc, test_ioapic_edge_delivery);
    tcase_add_test(tc, test_ioapic_level_remote_irr_eoi);
    tcase_add_test(tc, test_ioapic_level_unmask_and_edge_switch);
    suite_add_tcase(s, tc);
    return s;
}
