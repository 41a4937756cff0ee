/* test_pci.c — PCI config mechanism #1, config masks, BARs, ROM BAR, INTx.
 * Expected values come from the PCI Local Bus Specification 3.0. */
#include <string.h>
#include "unit/testlib.h"
#include "hw/pci.h"

#define CFG_ADDR(devfn, reg) (0x80000000u | ((uint32_t)(devfn) << 8) | (reg))

typedef struct TestDev {
    PciDevice pci;
    uint64_t last_offset;
    unsigned last_size;
    int reads, writes;
} TestDev;

typedef struct Route {
    int calls, pin, level;
} Route;

static uint64_t dev_read(void *opaque, uint64_t offset, unsigned size)
{
    TestDev *d = opaque;
    d->reads++;
    d->last_offset = offset;
    d->last_size = size;
    return 0xa5000000u | offset;
}

static void dev_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    TestDev *d = opaque;
    d->writes++;
    d->last_offset = offset;
}

static const IoOps dev_ops = { dev_read, dev_write, 1, 4 };

static void route_rec(void *opaque, PciDevice *dev, int pin, int level)
{
    Route *r = opaque;
    r->calls++;
    r->pin = pin;
    r->level = level;
}

typedef struct Fixture {
    Bus *bus;
    PciBus *pb;
    Route route;
    TestDev dev;
} Fixture;

/* A device at 00:03.0 (1234:5678, class 0x020000) on a bus with config ports. */
static void fixture_init(Fixture *f)
{
    memset(f, 0, sizeof(*f));
    f->bus = bus_new();
    f->pb = pci_bus_new(f->bus, route_rec, &f->route);
    pci_bus_map_config_ports(f->pb);
    pci_device_init(&f->dev.pci, f->pb, PCI_DEVFN(3, 0), "testdev", 0x1234, 0x5678, 0x020000,
                    NULL, &f->dev);
}

static void fixture_free(Fixture *f)
{
    pci_bus_free(f->pb);
    bus_free(f->bus);
}

static uint32_t cfg_read32(Fixture *f, uint8_t devfn, uint8_t reg)
{
    bus_io_write(f->bus, 0xcf8, CFG_ADDR(devfn, reg), 4);
    return (uint32_t)bus_io_read(f->bus, 0xcfc, 4);
}

static void cfg_write32(Fixture *f, uint8_t devfn, uint8_t reg, uint32_t v)
{
    bus_io_write(f->bus, 0xcf8, CFG_ADDR(devfn, reg), 4);
    bus_io_write(f->bus, 0xcfc, v, 4);
}

START_TEST(test_pci_config_mechanism)
{
    Fixture f;
    fixture_init(&f);
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(3, 0), 0), 0x56781234);
    /* Class code register: rev 0, prog-if 0, sub 0, base 2. */
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(3, 0), 8), 0x02000000);
    /* Bytes and words at 0xcfc + (offset & 3). */
    bus_io_write(f.bus, 0xcf8, CFG_ADDR(PCI_DEVFN(3, 0), 0), 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfe, 2), 0x5678);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfd, 1), 0x12);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcff, 1), 0x56);
    /* CONFIG_ADDRESS reads back with bits 30:24 and 1:0 as zero. */
    bus_io_write(f.bus, 0xcf8, 0xff00180f, 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf8, 4), 0x8000180c);
    /* Non-dword accesses at 0xcf8 do not touch the latch. */
    bus_io_write(f.bus, 0xcf8, 0x00, 1);
    bus_io_write(f.bus, 0xcfa, 0x0000, 2);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf8, 4), 0x8000180c);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_absent_reads_all_ones)
{
    Fixture f;
    fixture_init(&f);
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(4, 0), 0), 0xffffffff);
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(3, 1), 0), 0xffffffff);
    bus_io_write(f.bus, 0xcf8, CFG_ADDR(PCI_DEVFN(4, 0), 0), 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfe, 2), 0xffff);
    /* Bus 1 does not exist. */
    bus_io_write(f.bus, 0xcf8, 0x80010000u | (PCI_DEVFN(3, 0) << 8), 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfc, 4), 0xffffffff);
    /* Enable bit clear: no config cycle. */
    bus_io_write(f.bus, 0xcf8, PCI_DEVFN(3, 0) << 8, 4);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcfc, 4), 0xffffffff);
    bus_io_write(f.bus, 0xcfc, 0, 4);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(3, 0), 0, 4), 0x56781234);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_write_masks)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    fixture_init(&f);
    /* IDs are read-only; interrupt line is read/write. */
    cfg_write32(&f, fn, 0, 0);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0), 0x56781234);
    bus_io_write(f.bus, 0xcf8, CFG_ADDR(fn, 0x3c), 4);
    bus_io_write(f.bus, 0xcfc, 0x0b, 1);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_INTERRUPT_LINE, 1), 0x0b);
    /* Status: error bits are write-1-to-clear, the rest read-only. */
    pci_set_word(&f.dev.pci, PCI_STATUS, 0x2010);   /* master abort, capabilities */
    pci_config_write(f.pb, fn, PCI_STATUS, 0x0010, 2);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_STATUS, 2), 0x2010);
    pci_config_write(f.pb, fn, PCI_STATUS, 0x2000, 2);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_STATUS, 2), 0x0010);
    /* Command: a byte write to the high half reaches INTX_DISABLE only. */
    pci_config_write(f.pb, fn, PCI_COMMAND + 1, 0xff, 1);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_COMMAND, 2), PCI_COMMAND_INTX_DISABLE);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_multifunction_bit)
{
    Fixture f;
    TestDev fn1;
    fixture_init(&f);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(3, 0), PCI_HEADER_TYPE, 1), 0x00);
    pci_device_init(&fn1.pci, f.pb, PCI_DEVFN(3, 1), "fn1", 0x1234, 0x5679, 0x010180, NULL,
                    &fn1);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(3, 0), PCI_HEADER_TYPE, 1), 0x80);
    ck_assert_uint_eq(pci_config_read(f.pb, PCI_DEVFN(3, 1), 0, 4), 0x56791234);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_subsystem_ids)
{
    Fixture f;
    TestDev d2;
    fixture_init(&f);
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(3, 0), 0x2c), 0);
    pci_bus_set_subsystem(f.pb, 0x1af4, 0x1100);
    pci_device_init(&d2.pci, f.pb, PCI_DEVFN(5, 0), "d2", 0x1234, 0x1, 0x0, NULL, &d2);
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(5, 0), 0x2c), 0x11001af4);
    cfg_write32(&f, PCI_DEVFN(5, 0), 0x2c, 0);     /* read-only */
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(5, 0), 0x2c), 0x11001af4);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_bar_sizing)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    MemMap *mem;
    RamBlock *vram;
    fixture_init(&f);
    mem = bus_memmap(f.bus);
    vram = memmap_new_block(mem, "vram", 0x10000, false);
    pci_register_bar_mmio(&f.dev.pci, 0, 0x1000, &dev_ops, &f.dev);
    pci_register_bar_io(&f.dev.pci, 1, 16, &dev_ops, &f.dev);
    pci_register_bar_ram(&f.dev.pci, 2, vram, true);
    pci_register_bar_io(&f.dev.pci, 3, 12, &dev_ops, &f.dev);   /* rounds up to 16 */

    /* Type bits before sizing: memory 32-bit, I/O, prefetchable memory. */
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x10), 0x0);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x14), 0x1);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x18), 0x8);
    for (int reg = 0x10; reg <= 0x24; reg += 4)
        cfg_write32(&f, fn, (uint8_t)reg, 0xffffffff);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x10), 0xfffff000);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x14), 0xfffffff1);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x18), 0xffff0008);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x1c), 0xfffffff1);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x20), 0);  /* unimplemented BARs read 0 */
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x24), 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_mmio_bar_mapping)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    MemMap *mem;
    fixture_init(&f);
    mem = bus_memmap(f.bus);
    pci_register_bar_mmio(&f.dev.pci, 0, 0x1000, &dev_ops, &f.dev);

    cfg_write32(&f, fn, 0x10, 0xfebf0000);
    ck_assert_uint_eq(memmap_read(mem, 0xfebf0010, 4), 0xffffffff);  /* MEM off */
    ck_assert_int_eq(f.dev.reads, 0);
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY);
    ck_assert_uint_eq(memmap_read(mem, 0xfebf0010, 4), 0xa5000010);
    ck_assert_uint_eq(f.dev.last_size, 4);
    memmap_write(mem, 0xfebf0ffc, 1, 4);
    ck_assert_uint_eq(f.dev.last_offset, 0xffc);
    ck_assert_ptr_nonnull(f.dev.pci.bars[0].mem);
    ck_assert_uint_eq(f.dev.pci.bars[0].addr, 0xfebf0000);

    /* Moving the BAR while decoding. */
    cfg_write32(&f, fn, 0x10, 0xfebe0000);
    ck_assert_uint_eq(memmap_read(mem, 0xfebf0010, 4), 0xffffffff);
    ck_assert_uint_eq(memmap_read(mem, 0xfebe0020, 4), 0xa5000020);

    /* COMMAND.MEM off: gone. */
    cfg_write32(&f, fn, PCI_COMMAND, 0);
    ck_assert_uint_eq(memmap_read(mem, 0xfebe0020, 4), 0xffffffff);
    ck_assert_ptr_null(f.dev.pci.bars[0].mem);

    /* Sizing pattern and address 0 are not decoded even with MEM on. */
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY);
    cfg_write32(&f, fn, 0x10, 0xffffffff);
    ck_assert_ptr_null(f.dev.pci.bars[0].mem);
    cfg_write32(&f, fn, 0x10, 0);
    ck_assert_ptr_null(f.dev.pci.bars[0].mem);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_io_bar_mapping)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    fixture_init(&f);
    pci_register_bar_io(&f.dev.pci, 4, 16, &dev_ops, &f.dev);
    cfg_write32(&f, fn, 0x20, 0xc001);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xc004, 1), 0xff);     /* IO off */
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_IO);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xc004, 2), 0x0004);
    ck_assert_uint_eq(f.dev.last_offset, 4);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x20), 0xc001);
    cfg_write32(&f, fn, 0x20, 0xd000);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xc004, 1), 0xff);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xd00f, 1), 0x0f);
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xd00f, 1), 0xff);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_rom_bar)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    MemMap *mem;
    RamBlock *rom;
    fixture_init(&f);
    mem = bus_memmap(f.bus);
    rom = memmap_new_block(mem, "rom", 0x9000, false);     /* 36 KiB: a 64 KiB BAR */
    rom->host[0] = 0x55;
    rom->host[1] = 0xaa;
    pci_register_rom(&f.dev.pci, rom);

    cfg_write32(&f, fn, PCI_ROM_ADDRESS, 0xfffff800);
    ck_assert_uint_eq(cfg_read32(&f, fn, PCI_ROM_ADDRESS), 0xffff0000);
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY);
    cfg_write32(&f, fn, PCI_ROM_ADDRESS, 0xfeb00000);      /* enable bit clear */
    ck_assert_uint_eq(memmap_read(mem, 0xfeb00000, 2), 0xffff);
    cfg_write32(&f, fn, PCI_ROM_ADDRESS, 0xfeb00001);
    ck_assert_uint_eq(cfg_read32(&f, fn, PCI_ROM_ADDRESS), 0xfeb00001);
    ck_assert_uint_eq(memmap_read(mem, 0xfeb00000, 2), 0xaa55);
    memmap_write(mem, 0xfeb00000, 0, 2);                    /* read-only */
    ck_assert_uint_eq(memmap_read(mem, 0xfeb00000, 2), 0xaa55);
    /* Beyond the block but inside the BAR: unassigned. */
    ck_assert_uint_eq(memmap_read(mem, 0xfeb0a000, 1), 0xff);
    cfg_write32(&f, fn, PCI_COMMAND, 0);
    ck_assert_uint_eq(memmap_read(mem, 0xfeb00000, 2), 0xffff);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_bar_below_ram)
{
    Fixture f;
    MemMap *mem;
    RamBlock *ram;
    uint8_t fn = PCI_DEVFN(3, 0);
    fixture_init(&f);
    mem = bus_memmap(f.bus);
    ram = memmap_new_block(mem, "ram", 0x100000, false);
    memmap_map_ram(mem, "ram", 0, 0x100000, ram, 0, PRIO_RAM);
    ram->host[0x80000] = 0x42;
    pci_register_bar_mmio(&f.dev.pci, 0, 0x1000, &dev_ops, &f.dev);
    cfg_write32(&f, fn, 0x10, 0x80000);
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY);
    /* The host bridge decodes DRAM first: the BAR stays hidden. */
    ck_assert_uint_eq(memmap_read(mem, 0x80000, 1), 0x42);
    ck_assert_int_eq(f.dev.reads, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_intx)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    fixture_init(&f);
    pci_set_interrupt_pin(&f.dev.pci, 2);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_INTERRUPT_PIN, 1), 2);

    pci_set_irq(&f.dev.pci, 1);
    ck_assert_int_eq(f.route.calls, 1);
    ck_assert_int_eq(f.route.pin, 1);     /* INTB */
    ck_assert_int_eq(f.route.level, 1);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT,
                      PCI_STATUS_INTERRUPT);
    pci_set_irq(&f.dev.pci, 1);           /* no change: no call */
    ck_assert_int_eq(f.route.calls, 1);

    /* INTX_DISABLE releases the pin; STATUS.INT still shows the request. */
    pci_config_write(f.pb, fn, PCI_COMMAND, PCI_COMMAND_INTX_DISABLE, 2);
    ck_assert_int_eq(f.route.calls, 2);
    ck_assert_int_eq(f.route.level, 0);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT,
                      PCI_STATUS_INTERRUPT);
    pci_config_write(f.pb, fn, PCI_COMMAND, 0, 2);
    ck_assert_int_eq(f.route.calls, 3);
    ck_assert_int_eq(f.route.level, 1);

    pci_set_irq(&f.dev.pci, 0);
    ck_assert_int_eq(f.route.level, 0);
    ck_assert_uint_eq(pci_config_read(f.pb, fn, PCI_STATUS, 2) & PCI_STATUS_INTERRUPT, 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_pci_reset)
{
    Fixture f;
    uint8_t fn = PCI_DEVFN(3, 0);
    MemMap *mem;
    fixture_init(&f);
    mem = bus_memmap(f.bus);
    pci_set_interrupt_pin(&f.dev.pci, 1);
    pci_register_bar_mmio(&f.dev.pci, 0, 0x1000, &dev_ops, &f.dev);
    cfg_write32(&f, fn, 0x10, 0xfebf0000);
    cfg_write32(&f, fn, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER);
    pci_set_irq(&f.dev.pci, 1);
    pci_bus_reset(f.pb);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf8, 4), 0);
    ck_assert_uint_eq(cfg_read32(&f, fn, PCI_COMMAND) & 0xffff, 0);
    ck_assert_uint_eq(cfg_read32(&f, fn, 0x10), 0);
    ck_assert_uint_eq(memmap_read(mem, 0xfebf0000, 4), 0xffffffff);
    ck_assert_int_eq(f.route.level, 0);
    fixture_free(&f);
}
END_TEST

typedef struct Cf8Rec {
    uint64_t offset, value;
    int writes;
} Cf8Rec;

static uint64_t cf8rec_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0x5a;
}

static void cf8rec_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Cf8Rec *r = opaque;
    r->writes++;
    r->offset = offset;
    r->value = value;
}

static const IoOps cf8rec_ops = { cf8rec_read, cf8rec_write, 1, 1 };

START_TEST(test_pci_cf8_byte_passthrough)
{
    Fixture f;
    Cf8Rec r = { 0 };
    fixture_init(&f);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf9, 1), 0xff);
    pci_bus_set_cf8_io(f.pb, &cf8rec_ops, &r);
    bus_io_write(f.bus, 0xcf9, 0x06, 1);
    ck_assert_int_eq(r.writes, 1);
    ck_assert_uint_eq(r.offset, 1);
    ck_assert_uint_eq(r.value, 0x06);
    ck_assert_uint_eq(bus_io_read(f.bus, 0xcf9, 1), 0x5a);
    /* The dword latch is unaffected. */
    ck_assert_uint_eq(cfg_read32(&f, PCI_DEVFN(3, 0), 0), 0x56781234);
    ck_assert_int_eq(r.writes, 1);
    fixture_free(&f);
}
END_TEST

TEST_SUITE(pci)
{
    Suite *s = suite_create("pci");
    TCase *tc = tcase_create("core");
    tcase_add_test(tc, test_pci_config_mechanism);
    tcase_add_test(tc, test_pci_absent_reads_all_ones);
    tcase_add_test(tc, test_pci_write_masks);
    tcase_add_test(tc, test_pci_multifunction_bit);
    tcase_add_test(tc, test_pci_subsystem_ids);
    tcase_add_test(tc, test_pci_bar_sizing);
    tcase_add_test(tc, test_pci_mmio_bar_mapping);
    tcase_add_test(tc, test_pci_io_bar_mapping);
    tcase_add_test(tc, test_pci_rom_bar);
    tcase_add_test(tc, test_pci_bar_below_ram);
    tcase_add_test(tc, test_pci_intx);
    tcase_add_test(tc, test_pci_reset);
    tcase_add_test(tc, test_pci_cf8_byte_passthrough);
    suite_add_tcase(s, tc);
    return s;
}
