/* test_i440fx.c — 82441FX host bridge: header and PAM shadow modes.
 * PAM semantics from the 82441FX datasheet: per region, RE=1 sends reads to
 * DRAM, WE=1 sends writes to DRAM; otherwise the access goes to PCI, where
 * 0xe0000-0xfffff is the top 128 KiB of the BIOS. */
#include <string.h>
#include "unit/testlib.h"
#include "hw/i440fx.h"

#define BIOS_SIZE 0x40000
#define RAM_SIZE 0x200000

typedef struct Fixture {
    Bus *bus;
    MemMap *mem;
    PciBus *pb;
    RamBlock *ram, *bios;
    I440fx *nb;
} Fixture;

static void fixture_init(Fixture *f)
{
    f->bus = bus_new();
    f->mem = bus_memmap(f->bus);
    f->pb = pci_bus_new(f->bus, NULL, NULL);
    pci_bus_map_config_ports(f->pb);
    f->ram = memmap_new_block(f->mem, "ram", RAM_SIZE, false);
    f->bios = memmap_new_block(f->mem, "bios", BIOS_SIZE, false);
    memmap_map_ram(f->mem, "ram", 0, RAM_SIZE, f->ram, 0, PRIO_RAM);
    memmap_map_rom(f->mem, "bios", 0x100000000ull - BIOS_SIZE, BIOS_SIZE, f->bios, 0, PRIO_ROM);
    /* Each 64 KiB of the BIOS is filled with its own marker byte. */
    for (int i = 0; i < BIOS_SIZE; i++)
        f->bios->host[i] = (uint8_t)(0xb0 + i / 0x10000);
    f->nb = i440fx_new(f->pb, f->mem, f->ram, f->bios);
}

static void fixture_free(Fixture *f)
{
    i440fx_free(f->nb);
    pci_bus_free(f->pb);
    bus_free(f->bus);
}

static void pam_write(Fixture *f, int reg, uint8_t v)
{
    bus_io_write(f->bus, 0xcf8, 0x80000000u | (reg & 0xfc), 4);
    bus_io_write(f->bus, 0xcfc + (reg & 3), v, 1);
}

START_TEST(test_i440fx_header)
{
    Fixture f;
    fixture_init(&f);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, 0, 4), 0x12378086);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, PCI_CLASS_DEVICE, 2), 0x0600);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, PCI_REVISION_ID, 1), 0x02);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, 0x72, 1), 0x02);   /* SMRAM default */
    for (int r = 0x59; r <= 0x5f; r++)
        ck_assert_uint_eq(pci_config_read(f.pb, 0, r, 1), 0);
    /* PAM0 bits 3:0 and the cache bits 6/2 are reserved. */
    pam_write(&f, 0x59, 0xff);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, 0x59, 1), 0x30);
    pam_write(&f, 0x5a, 0xff);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, 0x5a, 1), 0x33);
    fixture_free(&f);
}
END_TEST

START_TEST(test_i440fx_pam_off_reads_bios)
{
    Fixture f;
    fixture_init(&f);
    f.ram->host[0xffff0] = 0x11;
    f.ram->host[0xc0000] = 0x22;
    /* 0xf0000-0xfffff is the last 64 KiB of the ROM, 0xe0000 the one before. */
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0xb3);
    ck_assert_uint_eq(memmap_read(f.mem, 0xe0000, 1), 0xb2);
    ck_assert_uint_eq(memmap_read(f.mem, 0xfffffff0, 1), 0xb3);
    /* 0xc0000-0xdffff: nothing on the PCI side. */
    ck_assert_uint_eq(memmap_read(f.mem, 0xc0000, 1), 0xff);
    /* Writes go to PCI: DRAM untouched, ROM unchanged. */
    memmap_write(f.mem, 0xffff0, 0x99, 1);
    ck_assert_uint_eq(f.ram->host[0xffff0], 0x11);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0xb3);
    /* Below and above the PAM areas: plain RAM. */
    f.ram->host[0xbffff] = 0x33;
    ck_assert_uint_eq(memmap_read(f.mem, 0xbffff, 1), 0x33);
    memmap_write(f.mem, 0x100000, 0x44, 1);
    ck_assert_uint_eq(f.ram->host[0x100000], 0x44);
    fixture_free(&f);
}
END_TEST

START_TEST(test_i440fx_pam_shadow_copy)
{
    Fixture f;
    uint8_t buf[16];
    fixture_init(&f);
    /* Write-only: read the ROM, write the same address into DRAM. */
    pam_write(&f, 0x59, 0x20);
    memmap_rw(f.mem, 0xffff0, buf, sizeof(buf), false);
    ck_assert_uint_eq(buf[0], 0xb3);
    buf[0] = 0xea;
    memmap_rw(f.mem, 0xffff0, buf, sizeof(buf), true);
    ck_assert_uint_eq(f.ram->host[0xffff0], 0xea);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0xb3);   /* still the ROM */

    /* Read-only: reads the shadow, writes dropped. */
    pam_write(&f, 0x59, 0x10);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0xea);
    memmap_write(f.mem, 0xffff0, 0x00, 1);
    ck_assert_uint_eq(f.ram->host[0xffff0], 0xea);

    /* Read/write DRAM. */
    pam_write(&f, 0x59, 0x30);
    memmap_write(f.mem, 0xffff0, 0x5a, 1);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0x5a);
    ck_assert_uint_eq(f.ram->host[0xffff0], 0x5a);

    /* The 4 GiB ROM mapping never changes. */
    ck_assert_uint_eq(memmap_read(f.mem, 0xfffffff0, 1), 0xb3);
    fixture_free(&f);
}
END_TEST

START_TEST(test_i440fx_pam_chunks)
{
    Fixture f;
    fixture_init(&f);
    f.ram->host[0xc0000] = 0x01;
    f.ram->host[0xc4000] = 0x02;
    f.ram->host[0xe8000] = 0x03;
    f.ram->host[0xec000] = 0x04;
    /* PAM1: 0xc0000 read/write, 0xc4000 read-only. */
    pam_write(&f, 0x5a, 0x13);
    ck_assert_uint_eq(memmap_read(f.mem, 0xc0000, 1), 0x01);
    ck_assert_uint_eq(memmap_read(f.mem, 0xc4000, 1), 0x02);
    ck_assert_uint_eq(memmap_read(f.mem, 0xc8000, 1), 0xff);   /* PAM2 still off */
    memmap_write(f.mem, 0xc3fff, 0x77, 1);
    memmap_write(f.mem, 0xc4000, 0x77, 1);
    ck_assert_uint_eq(f.ram->host[0xc3fff], 0x77);
    ck_assert_uint_eq(f.ram->host[0xc4000], 0x02);
    /* PAM6 low nibble: 0xe8000 read-only; high nibble off: 0xec000 shows the BIOS. */
    pam_write(&f, 0x5f, 0x01);
    ck_assert_uint_eq(memmap_read(f.mem, 0xe8000, 1), 0x03);
    ck_assert_uint_eq(memmap_read(f.mem, 0xec000, 1), 0xb2);
    /* Word access across a chunk boundary with different modes. */
    ck_assert_uint_eq(memmap_read(f.mem, 0xebfff, 2), 0xb200 | f.ram->host[0xebfff]);
    fixture_free(&f);
}
END_TEST

START_TEST(test_i440fx_reset_restores_bios)
{
    Fixture f;
    fixture_init(&f);
    pam_write(&f, 0x59, 0x30);
    memmap_write(f.mem, 0xffff0, 0x5a, 1);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0x5a);
    pci_bus_reset(f.pb);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, 0x59, 1), 0);
    ck_assert_uint_eq(memmap_read(f.mem, 0xffff0, 1), 0xb3);
    ck_assert_uint_eq(pci_config_read(f.pb, 0, PCI_COMMAND, 2), 0x0006);
    fixture_free(&f);
}
END_TEST

START_TEST(test_i440fx_small_bios_alias)
{
    /* A 64 KiB BIOS shows only at 0xf0000; 0xe0000 has nothing. */
    Bus *bus = bus_new();
    MemMap *mem = bus_memmap(bus);
    PciBus *pb = pci_bus_new(bus, NULL, NULL);
    RamBlock *ram = memmap_new_block(mem, "ram", 0x100000, false);
    RamBlock *bios = memmap_new_block(mem, "bios", 0x10000, false);
    I440fx *nb;
    memset(bios->host, 0xc1, 0x10000);
    memmap_map_ram(mem, "ram", 0, 0x100000, ram, 0, PRIO_RAM);
    nb = i440fx_new(pb, mem, ram, bios);
    ck_assert_uint_eq(memmap_read(mem, 0xf0000, 1), 0xc1);
    ck_assert_uint_eq(memmap_read(mem, 0xeffff, 1), 0xff);
    i440fx_free(nb);
    pci_bus_free(pb);
    bus_free(bus);
}
END_TEST

TEST_SUITE(i440fx)
{
    Suite *s = suite_create("i440fx");
    TCase *tc = tcase_create("pam");
    tcase_add_test(tc, test_i440fx_header);
    tcase_add_test(tc, test_i440fx_pam_off_reads_bios);
    tcase_add_test(tc, test_i440fx_pam_shadow_copy);
    tcase_add_test(tc, test_i440fx_pam_chunks);
    tcase_add_test(tc, test_i440fx_reset_restores_bios);
    tcase_add_test(tc, test_i440fx_small_bios_alias);
    suite_add_tcase(s, tc);
    return s;
}
