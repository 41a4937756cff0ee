/* test_pc.c — the PC board without its CPU: memory map, chipset wiring,
 * CMOS fields and fw_cfg items as SeaBIOS reads them on QEMU, and the
 * bzImage preparation for direct kernel boot (x86 boot protocol). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "hw/pc.h"
#include "hw/linuxboot.h"
#include "hw/firmware.h"

static void test_options(EmuOptions *o, uint64_t ram_mb)
{
    char *argv[] = { "emu", "-serial", "null", NULL };
    ck_assert_int_eq(options_parse(o, 3, argv), OPTIONS_RUN);
    o->ram_size = ram_mb << 20;
}

/* -- CMOS ------------------------------------------------------------------------ */

START_TEST(test_pc_cmos_128m)
{
    EmuOptions o;
    uint8_t c[PC_CMOS_SIZE];
    bool set[PC_CMOS_SIZE];
    test_options(&o, 128);
    pc_cmos_image(&o, c, set);
    ck_assert_uint_eq(c[0x15] | c[0x16] << 8, 640);
    /* 127 MiB of extended memory, capped at 65535 KiB. */
    ck_assert_uint_eq(c[0x17] | c[0x18] << 8, 0xffff);
    ck_assert_uint_eq(c[0x30] | c[0x31] << 8, 0xffff);
    /* Above 16 MiB in 64 KiB units: 112 MiB = 1792. */
    ck_assert_uint_eq(c[0x34] | c[0x35] << 8, 1792);
    ck_assert_uint_eq(c[0x5b] | c[0x5c] | c[0x5d], 0);
    ck_assert_uint_eq(c[0x5f], 0);                  /* one CPU */
    ck_assert_uint_eq(c[0x14], 0x06);
    /* Boot "cdn": disk (2), CD (3), network (4). */
    ck_assert_uint_eq(c[0x3d], 0x32);
    ck_assert_uint_eq(c[0x38], 0x40);
    /* Checksum over 0x10-0x2d, big-endian: 0x80+0x02+0xff+0xff+0x06 = 0x286. */
    ck_assert_uint_eq(c[0x2e], 0x02);
    ck_assert_uint_eq(c[0x2f], 0x86);
    ck_assert(set[0x2e] && set[0x34] && set[0x3d] && !set[0x32] && !set[0x00]);
}
END_TEST

START_TEST(test_pc_cmos_small_ram_one_boot_device)
{
    EmuOptions o;
    uint8_t c[PC_CMOS_SIZE];
    bool set[PC_CMOS_SIZE];
    test_options(&o, 8);
    strcpy(o.boot_order, "d");
    pc_cmos_image(&o, c, set);
    ck_assert_uint_eq(c[0x17] | c[0x18] << 8, 7 * 1024);
    ck_assert_uint_eq(c[0x34] | c[0x35] << 8, 0);
    ck_assert_uint_eq(c[0x3d], 0x03);
    ck_assert_uint_eq(c[0x38], 0x00);
}
END_TEST

/* -- The board ----------------------------------------------------------------------- */

typedef struct Board {
    Machine *m;
    PcBoard *pc;
} Board;

static void board_init(Board *b, EmuOptions *o)
{
    b->m = machine_new(o);
    b->pc = pc_build(b->m);
}

static uint32_t cfg_read(Board *b, int devfn, int reg)
{
    bus_io_write(b->m->bus, 0xcf8, 0x80000000u | devfn << 8 | reg, 4);
    return (uint32_t)bus_io_read(b->m->bus, 0xcfc, 4);
}

static void cfg_write(Board *b, int devfn, int reg, uint32_t v, unsigned size)
{
    bus_io_write(b->m->bus, 0xcf8, 0x80000000u | devfn << 8 | (reg & 0xfc), 4);
    bus_io_write(b->m->bus, 0xcfc + (reg & 3), v, size);
}

static uint8_t cmos_read(Board *b, int reg)
{
    bus_io_write(b->m->bus, 0x70, reg, 1);
    return (uint8_t)bus_io_read(b->m->bus, 0x71, 1);
}

static void fw_read(Board *b, uint16_t key, void *buf, size_t len)
{
    bus_io_write(b->m->bus, 0x510, key, 2);
    for (size_t i = 0; i < len; i++)
        ((uint8_t *)buf)[i] = (uint8_t)bus_io_read(b->m->bus, 0x511, 1);
}

/* The selector and size of a fw_cfg file, from the directory; 0 if absent. */
static uint16_t fw_find(Board *b, const char *name, uint32_t *size)
{
    uint8_t count[4], e[64];
    uint32_t n;
    fw_read(b, 0x19, count, 4);
    n = (uint32_t)count[0] << 24 | count[1] << 16 | count[2] << 8 | count[3];
    for (uint32_t i = 0; i < n; i++) {
        for (int k = 0; k < 64; k++)
            e[k] = (uint8_t)bus_io_read(b->m->bus, 0x511, 1);
        if (!strcmp((char *)e + 8, name)) {
            *size = (uint32_t)e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3];
            return (uint16_t)(e[4] << 8 | e[5]);
        }
    }
    return 0;
}

START_TEST(test_pc_bios_mapping)
{
    EmuOptions o;
    Board b;
    size_t size;
    uint8_t *bios = firmware_load("bios-256k.bin", &size, "seabios");
    test_options(&o, 64);
    board_init(&b, &o);
    /* The reset vector at 4 GiB - 16 and its alias below 1 MiB. */
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xfffffff0, 4), ld32(bios + size - 16));
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xffff0, 4), ld32(bios + size - 16));
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xe0000, 4), ld32(bios + size - 0x20000));
    ck_assert_uint_eq(memmap_read(b.m->mem, 0x100000000ull - size, 4), ld32(bios));
    /* RAM below and above the BIOS area; nothing above the end of RAM. */
    memmap_write(b.m->mem, 0x7000, 0x12345678, 4);
    ck_assert_uint_eq(memmap_read(b.m->mem, 0x7000, 4), 0x12345678);
    memmap_write(b.m->mem, (64 << 20) - 4, 0xcafef00d, 4);
    ck_assert_uint_eq(memmap_read(b.m->mem, (64 << 20) - 4, 4), 0xcafef00d);
    ck_assert_uint_eq(memmap_read(b.m->mem, 64 << 20, 4), 0xffffffff);
    free(bios);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_chipset_ids)
{
    EmuOptions o;
    Board b;
    test_options(&o, 64);
    board_init(&b, &o);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(0, 0), 0), 0x12378086);
    /* SeaBIOS recognises QEMU by the host bridge's subsystem IDs. */
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(0, 0), 0x2c), 0x11001af4);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(1, 0), 0), 0x70008086);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(1, 0), 0x0c) >> 16 & 0xff, 0x80);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(5, 0), 0), 0xffffffff);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_cmos_through_rtc)
{
    EmuOptions o;
    Board b;
    test_options(&o, 64);
    board_init(&b, &o);
    ck_assert_uint_eq(cmos_read(&b, 0x15), 0x80);
    ck_assert_uint_eq(cmos_read(&b, 0x16), 0x02);
    ck_assert_uint_eq(cmos_read(&b, 0x34), 0x00);   /* 48 MiB above 16 MiB = 0x300 */
    ck_assert_uint_eq(cmos_read(&b, 0x35), 0x03);
    ck_assert_uint_eq(cmos_read(&b, 0x3d), 0x32);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_fw_cfg_items)
{
    EmuOptions o;
    Board b;
    uint8_t buf[20];
    uint32_t size = 0;
    uint16_t key;
    test_options(&o, 64);
    board_init(&b, &o);
    fw_read(&b, 0x0000, buf, 4);
    ck_assert_mem_eq(buf, "QEMU", 4);
    fw_read(&b, FW_CFG_RAM_SIZE, buf, 8);
    ck_assert_uint_eq(ld64(buf), 64ull << 20);
    fw_read(&b, FW_CFG_NB_CPUS, buf, 2);
    ck_assert_uint_eq(ld16(buf), 1);
    fw_read(&b, FW_CFG_MAX_CPUS, buf, 2);
    ck_assert_uint_eq(ld16(buf), 1);
    fw_read(&b, FW_CFG_IRQ0_OVERRIDE, buf, 4);
    ck_assert_uint_eq(ld32(buf), 1);
    /* etc/e820: one RAM entry covering all of RAM. */
    key = fw_find(&b, "etc/e820", &size);
    ck_assert_uint_ge(key, 0x20);
    ck_assert_uint_eq(size, 20);
    fw_read(&b, key, buf, 20);
    ck_assert_uint_eq(ld64(buf), 0);
    ck_assert_uint_eq(ld64(buf + 8), 64ull << 20);
    ck_assert_uint_eq(ld32(buf + 16), 1);
    machine_free(b.m);
}
END_TEST

/* A zero-filled image file of `sectors` sectors; the caller unlinks it. */
static void make_image(char *path, int sectors)
{
    static const uint8_t zero[512];
    int fd = mkstemp(path);
    ck_assert_int_ge(fd, 0);
    for (int i = 0; i < sectors; i++)
        ck_assert_int_eq(write(fd, zero, sizeof(zero)), 512);
    close(fd);
}

START_TEST(test_pc_bootorder)
{
    EmuOptions o;
    Board b;
    char list[128] = "";
    char disk[] = "/tmp/emu-test-disk-XXXXXX", cd[] = "/tmp/emu-test-cd-XXXXXX";
    uint32_t size = 0;
    uint16_t key;
    make_image(disk, 64);
    make_image(cd, 64);
    test_options(&o, 64);
    o.drives[0] = (DriveOption){ MEDIA_DISK, disk };
    o.drives[2] = (DriveOption){ MEDIA_CDROM, cd };
    strcpy(o.boot_order, "dcn");
    b.m = machine_new(&o);
    b.pc = pc_build(b.m);
    key = fw_find(&b, "bootorder", &size);
    ck_assert_uint_ge(key, 0x20);
    ck_assert_uint_lt(size, sizeof(list));
    fw_read(&b, key, list, size);
    ck_assert_uint_eq(cmos_read(&b, 0x39), 0x00);   /* small disk: no translation */
    ck_assert_str_eq(list, "/pci@i0cf8/ide@1,1/drive@1/disk@0\n"
                           "/pci@i0cf8/ide@1,1/drive@0/disk@0");
    /* The IDE function is where those paths say; the VGA is in slot 2. */
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(1, 1), 0), 0x70108086);
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(2, 0), 0), 0x11111234);
    machine_free(b.m);
    unlink(disk);
    unlink(cd);
}
END_TEST

START_TEST(test_pc_cmos_disk_translation)
{
    EmuOptions o;
    Board b;
    char disk[] = "/tmp/emu-test-big-XXXXXX";
    int fd = mkstemp(disk);
    /* 1 GiB (sparse): more than 1024 cylinders of 16 heads x 63 sectors. */
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, 1ll << 30), 0);
    close(fd);
    test_options(&o, 64);
    o.drives[1] = (DriveOption){ MEDIA_DISK, disk };
    board_init(&b, &o);
    ck_assert_uint_eq(cmos_read(&b, 0x39), 0x04);   /* hdb: LBA translation */
    machine_free(b.m);
    unlink(disk);
}
END_TEST

START_TEST(test_pc_pci_intx_to_pic)
{
    EmuOptions o;
    Board b;
    PciDevice dev;
    test_options(&o, 64);
    board_init(&b, &o);
    /* A device in slot 3 on INTA reaches PIRQC ((3 - 1 + 0) & 3). */
    pci_device_init(&dev, pc_pci_bus(b.pc), PCI_DEVFN(3, 0), "t", 0x1234, 1, 0, NULL, NULL);
    pci_set_interrupt_pin(&dev, 1);
    cfg_write(&b, PCI_DEVFN(1, 0), 0x62, 11, 1);     /* PIRQRC[C] -> IRQ11 */
    bus_io_write(b.m->bus, 0x4d1, 0x08, 1);          /* ELCR: IRQ11 level-triggered */
    pci_set_irq(&dev, 1);
    bus_io_write(b.m->bus, 0xa0, 0x0a, 1);           /* OCW3: read IRR */
    ck_assert_uint_eq(bus_io_read(b.m->bus, 0xa0, 1) & 0x08, 0x08);
    pci_set_irq(&dev, 0);
    ck_assert_uint_eq(bus_io_read(b.m->bus, 0xa0, 1) & 0x08, 0);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_reset_requests)
{
    EmuOptions o;
    Board b;
    test_options(&o, 64);
    board_init(&b, &o);
    bus_io_write(b.m->bus, 0xcf9, 0x06, 1);
    ck_assert_int_eq(b.m->request, MACHINE_REQ_RESET);
    b.m->request = MACHINE_REQ_NONE;
    machine_reset(b.m);
    /* After a reset the BIOS is visible again below 1 MiB. */
    cfg_write(&b, 0, 0x59, 0x30, 1);
    machine_reset(b.m);
    ck_assert_uint_eq(cfg_read(&b, 0, 0x58) >> 8 & 0xff, 0);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_platform_devices)
{
    EmuOptions o;
    Board b;
    uint32_t size = 0;
    test_options(&o, 64);
    board_init(&b, &o);
    /* 82093AA I/O APIC: IOREGSEL at +0, IOWIN at +0x10; version register 1
     * holds version 0x11 and 24 entries (max index 0x17). */
    memmap_write(b.m->mem, 0xfec00000, 0x01, 4);
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xfec00010, 4), 0x00170011);
    /* HPET general capabilities: vendor 8086, legacy capable, 3 timers, rev 1. */
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xfed00000, 4), 0x8086a201);
    /* Local APIC page is decoded (the ID register of APIC 0). */
    ck_assert_uint_eq(memmap_read(b.m->mem, 0xfee00020, 4), 0);
    /* PIIX4 power management function. */
    ck_assert_uint_eq(cfg_read(&b, PCI_DEVFN(1, 3), 0), 0x71138086);
    /* The ACPI tables for SeaBIOS's loader. */
    ck_assert_uint_ge(fw_find(&b, "etc/acpi/tables", &size), 0x20);
    ck_assert_uint_ge(fw_find(&b, "etc/acpi/rsdp", &size), 0x20);
    ck_assert_uint_ge(fw_find(&b, "etc/table-loader", &size), 0x20);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_reset_and_exit_ports)
{
    EmuOptions o;
    Board b;
    test_options(&o, 64);
    board_init(&b, &o);
    machine_reset(b.m);
    bus_io_write(b.m->bus, 0x92, 0x01, 1);          /* fast reset */
    ck_assert_int_eq(b.m->request, MACHINE_REQ_RESET);
    b.m->request = MACHINE_REQ_NONE;
    bus_io_write(b.m->bus, 0x64, 0xfe, 1);          /* i8042: pulse reset line */
    ck_assert_int_eq(b.m->request, MACHINE_REQ_RESET);
    b.m->request = MACHINE_REQ_NONE;
    bus_io_write(b.m->bus, 0x501, 0x10, 1);         /* isa-debug-exit: (v << 1) | 1 */
    ck_assert_int_eq(b.m->request, MACHINE_REQ_EXIT);
    ck_assert_int_eq(b.m->exit_status, 0x21);
    machine_free(b.m);
}
END_TEST

START_TEST(test_pc_cpu_a20)
{
    EmuOptions o;
    Machine *m;
    test_options(&o, 64);
    m = machine_new(&o);
    pc_init(m);
    ck_assert_ptr_nonnull(m->cpu);
    machine_reset(m);
    bus_io_write(m->bus, 0x92, 0x00, 1);
    ck_assert(!cpu_get_a20(m->cpu));
    bus_io_write(m->bus, 0x92, 0x02, 1);
    ck_assert(cpu_get_a20(m->cpu));
    machine_free(m);
}
END_TEST

START_TEST(test_pc_missing_kernel_is_fatal)
{
    EmuOptions o;
    test_options(&o, 64);
    o.kernel = "/nonexistent/bzImage";
    pc_build(machine_new(&o));
}
END_TEST

/* -- Direct kernel boot ------------------------------------------------------------ */

/* A minimal image: setup_sects 3 (0x800 bytes of setup), then 0x1800 of kernel. */
static uint8_t *fake_bzimage(uint16_t protocol, uint8_t loadflags, size_t *size)
{
    uint8_t *img = calloc(1, 0x2000);
    img[0x1f1] = 3;
    memcpy(img + 0x202, "HdrS", 4);
    st16(img + 0x206, protocol);
    img[0x211] = loadflags;
    st32(img + 0x22c, 0x37ffffff);
    st32(img + 0x238, 2047);
    img[0x800] = 0x4b;      /* first kernel byte */
    *size = 0x2000;
    return img;
}

START_TEST(test_pc_linuxboot_modern)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x020f, 0x01, &size);
    LinuxBoot lb;
    char err[128];
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "console=ttyS0", 0x10000, 128 << 20,
                                       err, sizeof(err)), 0);
    ck_assert_uint_eq(lb.setup_addr, 0x10000);
    ck_assert_uint_eq(lb.cmdline_addr, 0x20000);
    ck_assert_uint_eq(lb.kernel_addr, 0x100000);
    ck_assert_uint_eq(lb.setup_size, 0x800);
    ck_assert_uint_eq(lb.kernel_size, 0x1800);
    ck_assert_uint_eq(lb.kernel[0], 0x4b);
    ck_assert_uint_eq(lb.cmdline_size, 14);
    ck_assert_uint_eq(lb.setup[0x210], 0xb0);                  /* type_of_loader */
    ck_assert_uint_eq(lb.setup[0x211], 0x81);                  /* CAN_USE_HEAP */
    ck_assert_uint_eq(ld16(lb.setup + 0x224), 0xfe00);         /* heap_end_ptr */
    ck_assert_uint_eq(ld32(lb.setup + 0x228), 0x20000);        /* cmd_line_ptr */
    /* initrd below min(initrd_addr_max, RAM - ACPI room), 4 KiB aligned. */
    ck_assert_uint_eq(lb.initrd_addr, ((128u << 20) - 0x28000 - 1 - 0x10000) & ~0xfffu);
    ck_assert_uint_eq(ld32(lb.setup + 0x218), lb.initrd_addr);
    ck_assert_uint_eq(ld32(lb.setup + 0x21c), 0x10000);
    ck_assert_uint_eq(img[0x210], 0);                          /* caller's image intact */
    linuxboot_free(&lb);
    free(img);
}
END_TEST

START_TEST(test_pc_linuxboot_old_protocol)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x0201, 0x01, &size);
    LinuxBoot lb;
    char err[128];
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "ro", 0, 128 << 20, err, sizeof(err)), 0);
    ck_assert_uint_eq(lb.setup_addr, 0x90000);
    ck_assert_uint_eq(lb.cmdline_addr, 0x9a000 - 3);
    ck_assert_uint_eq(lb.kernel_addr, 0x100000);
    /* Before 2.02 the command line is found through the 0xA33F magic. */
    ck_assert_uint_eq(ld16(lb.setup + 0x20), 0xa33f);
    ck_assert_uint_eq(ld16(lb.setup + 0x22), 0x9a000 - 3 - 0x90000);
    ck_assert_uint_eq(ld32(lb.setup + 0x228), 0);
    linuxboot_free(&lb);
    free(img);
}
END_TEST

START_TEST(test_pc_linuxboot_rejects)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x020f, 0x01, &size);
    LinuxBoot lb;
    char err[128], longline[3000];
    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = 0;
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, longline, 0, 128 << 20, err,
                                       sizeof(err)), -1);
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 200 << 20, 128 << 20, err,
                                       sizeof(err)), -1);
    memcpy(img + 0x202, "ELF!", 4);
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 0, 128 << 20, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "bzImage"));
    free(img);
}
END_TEST

START_TEST(test_pc_kernel_items)
{
    EmuOptions o;
    Board b;
    size_t size;
    uint8_t *img = fake_bzimage(0x020f, 0x01, &size), buf[16];
    char path[] = "/tmp/emu-test-bzimage-XXXXXX";
    int fd = mkstemp(path);
    uint32_t romsize = 0;

    /* `make check` builds the option ROM (make firmware): it must be there. */
    ck_assert_msg(firmware_find("linuxboot.bin") != NULL, "linuxboot.bin was not built");
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, img, size), (ssize_t)size);
    close(fd);
    test_options(&o, 64);
    o.kernel = path;
    o.append = "quiet";
    board_init(&b, &o);
    fw_read(&b, FW_CFG_KERNEL_ADDR, buf, 4);
    ck_assert_uint_eq(ld32(buf), 0x100000);
    fw_read(&b, FW_CFG_KERNEL_SIZE, buf, 4);
    ck_assert_uint_eq(ld32(buf), 0x1800);
    fw_read(&b, FW_CFG_SETUP_SIZE, buf, 4);
    ck_assert_uint_eq(ld32(buf), 0x800);
    fw_read(&b, FW_CFG_CMDLINE_DATA, buf, 6);
    ck_assert_mem_eq(buf, "quiet", 6);
    ck_assert_uint_ge(fw_find(&b, "genroms/linuxboot.bin", &romsize), 0x20);
    ck_assert_uint_gt(romsize, 0);
    /* The loader ROM boots first (SeaBIOS names option ROMs "/rom@<file>"). */
    {
        char list[64] = "";
        uint32_t len = 0;
        uint16_t key = fw_find(&b, "bootorder", &len);
        ck_assert_uint_ge(key, 0x20);
        fw_read(&b, key, list, MIN(len, sizeof(list) - 1));
        ck_assert_str_eq(list, "/rom@genroms/linuxboot.bin");
    }
    machine_free(b.m);
    unlink(path);
    free(img);
}
END_TEST

TEST_SUITE(pc)
{
    Suite *s = suite_create("pc");
    TCase *cmos = tcase_create("cmos");
    TCase *board = tcase_create("board");
    TCase *boot = tcase_create("linuxboot");
    tcase_add_test(cmos, test_pc_cmos_128m);
    tcase_add_test(cmos, test_pc_cmos_small_ram_one_boot_device);
    tcase_add_test(board, test_pc_bios_mapping);
    tcase_add_test(board, test_pc_chipset_ids);
    tcase_add_test(board, test_pc_cmos_through_rtc);
    tcase_add_test(board, test_pc_fw_cfg_items);
    tcase_add_test(board, test_pc_bootorder);
    tcase_add_test(board, test_pc_cmos_disk_translation);
    tcase_add_test(board, test_pc_pci_intx_to_pic);
    tcase_add_test(board, test_pc_reset_requests);
    tcase_add_test(board, test_pc_platform_devices);
    tcase_add_test(board, test_pc_reset_and_exit_ports);
    tcase_add_test(board, test_pc_cpu_a20);
    tcase_add_exit_test(board, test_pc_missing_kernel_is_fatal, 1);
    tcase_add_test(boot, test_pc_linuxboot_modern);
    tcase_add_test(boot, test_pc_linuxboot_old_protocol);
    tcase_add_test(boot, test_pc_linuxboot_rejects);
    tcase_add_test(boot, test_pc_kernel_items);
    suite_add_tcase(s, cmos);
    suite_add_tcase(s, board);
    suite_add_tcase(s, boot);
    return s;
}
