/* test_linuxboot.c — bzImage setup-header patching, the -kernel fw_cfg items
 * and the loader option ROMs' headers.
 *
 * Expected values: the setup header fields and load addresses of the x86 boot
 * protocol (Linux Documentation/arch/x86/boot.rst: "The real-mode kernel
 * header", "Loading the rest of the kernel", the memory layout figures);
 * option ROM and PnP header layout from the BIOS Boot Specification 1.01
 * (appendix A) and the PCI Firmware Specification (option ROM header);
 * fw_cfg keys and directory from QEMU's docs/specs/fw_cfg.txt.
 */
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"
#include "hw/linuxboot.h"
#include "hw/fw_cfg.h"

#define RAM (128u << 20)
#define KERNEL_BYTES 0x3000u

static uint16_t rd16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t rd32(const uint8_t *p) { return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16; }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, (uint16_t)v); wr16(p + 2, (uint16_t)(v >> 16)); }

/* A file shaped like a bzImage: boot sector, setup_sects sectors of setup
 * with the header at 0x1f1, then the protected-mode kernel. */
static uint8_t *fake_bzimage(uint16_t version, uint8_t setup_sects, uint8_t loadflags,
                             size_t *size)
{
    size_t setup = ((setup_sects ? setup_sects : 4) + 1) * 512u;
    uint8_t *img = calloc(1, setup + KERNEL_BYTES);
    ck_assert_ptr_nonnull(img);
    img[0x1f1] = setup_sects;
    wr16(img + 0x1fe, 0xaa55);
    memcpy(img + 0x202, "HdrS", 4);
    wr16(img + 0x206, version);
    img[0x211] = loadflags;
    if (version >= 0x203)
        wr32(img + 0x22c, 0x37ffffff);         /* initrd_addr_max */
    if (version >= 0x206)
        wr32(img + 0x238, 255);                /* cmdline_size */
    for (size_t i = setup; i < setup + KERNEL_BYTES; i++)
        img[i] = (uint8_t)(i * 7);
    *size = setup + KERNEL_BYTES;
    return img;
}

/* -- Setup header patching ------------------------------------------------------ */

/* Protocol >= 2.02 with LOADED_HIGH: setup at 0x10000, command line at
 * 0x20000 (after a heap ending at setup + 0x10000), kernel at 1 MiB. */
START_TEST(test_linuxboot_header_modern)
{
    size_t size, cmdlen = strlen("console=ttyS0");
    uint8_t *img = fake_bzimage(0x20f, 30, 0x01, &size);
    uint32_t rd_size = 0x12345, rd;
    LinuxBoot lb;
    char err[160];

    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "console=ttyS0", rd_size, RAM, err,
                                       sizeof(err)), 0);
    ck_assert_uint_eq(lb.protocol, 0x20f);
    ck_assert_uint_eq(lb.setup_size, 31 * 512);
    ck_assert_uint_eq(lb.kernel_size, KERNEL_BYTES);
    ck_assert(lb.kernel == img + 31 * 512);
    ck_assert_uint_eq(lb.setup_addr, 0x10000);
    ck_assert_uint_eq(lb.kernel_addr, 0x100000);
    ck_assert_uint_eq(lb.cmdline_addr, 0x20000);
    ck_assert_uint_eq(lb.cmdline_size, cmdlen + 1);
    ck_assert_uint_eq(lb.setup[0x210], 0xb0);                 /* type_of_loader: Qemu (B) */
    ck_assert_uint_eq(lb.setup[0x211], 0x81);                 /* LOADED_HIGH | CAN_USE_HEAP */
    ck_assert_uint_eq(rd16(lb.setup + 0x224), 0xfe00);        /* heap_end_ptr */
    ck_assert_uint_eq(rd32(lb.setup + 0x228), 0x20000);       /* cmd_line_ptr */
    ck_assert_uint_eq(rd32(lb.setup + 0x21c), rd_size);       /* ramdisk_size */
    rd = rd32(lb.setup + 0x218);                              /* ramdisk_image */
    ck_assert_uint_eq(rd, lb.initrd_addr);
    ck_assert_uint_eq(rd & 0xfff, 0);
    ck_assert_uint_ge(rd, 0x100000 + KERNEL_BYTES);
    ck_assert_uint_le(rd + rd_size, RAM - LINUXBOOT_ACPI_RESERVE);
    ck_assert_uint_eq(rd16(lb.setup + 0x20), 0);              /* no old-style cmdline */
    ck_assert_mem_eq(lb.setup + 0x1f0, img + 0x1f0, 0x20);    /* the rest unchanged */
    linuxboot_free(&lb);
    free(img);
}
END_TEST

/* initrd_addr_max (2.03+) bounds the initrd's last byte. */
START_TEST(test_linuxboot_initrd_addr_max)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x20a, 4, 0x01, &size);
    LinuxBoot lb;
    char err[160];

    wr32(img + 0x22c, 0x00ffffff);
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 0x200000, RAM, err, sizeof(err)), 0);
    ck_assert_uint_le(lb.initrd_addr + 0x200000 - 1, 0x00ffffff);
    ck_assert_uint_eq(lb.initrd_addr & 0xfff, 0);
    linuxboot_free(&lb);
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 0x1000000, RAM, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "does not fit"));
    free(img);
}
END_TEST

/* Protocol 2.01: setup at 0x90000, command line below 0xA0000 found through
 * cmd_line_magic/cmd_line_offset; setup_sects 0 means 4. */
START_TEST(test_linuxboot_header_201)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x201, 0, 0x01, &size);
    LinuxBoot lb;
    char err[160];

    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "root=/dev/hda", 0, RAM, err,
                                       sizeof(err)), 0);
    ck_assert_uint_eq(lb.setup_size, 5 * 512);
    ck_assert_uint_eq(lb.setup_addr, 0x90000);
    ck_assert_uint_eq(lb.kernel_addr, 0x100000);
    ck_assert_uint_eq(rd16(lb.setup + 0x20), 0xa33f);
    ck_assert_uint_eq(0x90000 + rd16(lb.setup + 0x22), lb.cmdline_addr);
    ck_assert_uint_ge(lb.cmdline_addr, 0x90000 + 5 * 512);
    ck_assert_uint_le(lb.cmdline_addr + lb.cmdline_size, 0xa0000);
    ck_assert_uint_eq(rd16(lb.setup + 0x224), lb.cmdline_addr - 0x90000 - 0x200);
    ck_assert_uint_eq(rd32(lb.setup + 0x228), 0);             /* 2.02 field: untouched */
    ck_assert_uint_eq(lb.setup[0x210], 0xb0);
    linuxboot_free(&lb);
    free(img);
}
END_TEST

/* A zImage (LOADED_HIGH clear) has its kernel at 0x10000. */
START_TEST(test_linuxboot_header_zimage)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x200, 4, 0x00, &size);
    LinuxBoot lb;
    char err[160];

    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 0, RAM, err, sizeof(err)), 0);
    ck_assert_uint_eq(lb.kernel_addr, 0x10000);
    ck_assert_uint_eq(lb.setup_addr, 0x90000);
    linuxboot_free(&lb);
    free(img);
}
END_TEST

START_TEST(test_linuxboot_rejects)
{
    size_t size;
    uint8_t *img = fake_bzimage(0x206, 4, 0x01, &size);
    char err[160], longline[300];
    LinuxBoot lb;

    memset(longline, 'x', sizeof(longline) - 1);
    longline[sizeof(longline) - 1] = 0;
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, longline, 0, RAM, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "command line longer"));
    memcpy(img + 0x202, "HdrX", 4);
    ck_assert(!linuxboot_is_bzimage(img, size));
    ck_assert_int_eq(linuxboot_prepare(&lb, img, size, "", 0, RAM, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "HdrS"));
    free(img);
}
END_TEST

/* -- fw_cfg items ----------------------------------------------------------------- */

typedef struct Fix {
    BootRig rig;
    Bus *bus;
    FwCfg *fw;
    char err[256];
} Fix;

static void fix_init(Fix *f)
{
    boot_rig_init(&f->rig);
    f->bus = bus_new();
    f->fw = fw_cfg_new(f->bus);
    f->err[0] = 0;
}

static void fix_fini(Fix *f)
{
    fw_cfg_free(f->fw);
    bus_free(f->bus);
    boot_rig_fini(&f->rig);
}

static void read_item(Fix *f, uint16_t key, uint8_t *buf, size_t len)
{
    bus_io_write(f->bus, FW_CFG_IO_SELECTOR, key, 2);
    for (size_t i = 0; i < len; i++)
        buf[i] = (uint8_t)bus_io_read(f->bus, FW_CFG_IO_SELECTOR + 1, 1);
}

static uint32_t item32(Fix *f, uint16_t key)
{
    uint8_t b[4];
    read_item(f, key, b, 4);
    return rd32(b);
}

START_TEST(test_linuxboot_add_kernel_items)
{
    Fix f;
    size_t size;
    uint8_t *img = fake_bzimage(0x20c, 8, 0x01, &size), setup[9 * 512], buf[KERNEL_BYTES];
    static const char initrd[] = "initrd contents";
    const char *kpath, *ipath, *rom;

    fix_init(&f);
    kpath = boot_rig_write(&f.rig, "vmlinuz", img, size);
    ipath = boot_rig_write(&f.rig, "initrd", initrd, sizeof(initrd));
    rom = linuxboot_add_kernel(f.fw, kpath, ipath, "console=ttyS0 quiet", RAM, f.err,
                               sizeof(f.err));
    ck_assert_msg(rom != NULL, "%s", f.err);
    ck_assert_str_eq(rom, "genroms/linuxboot.bin");
    ck_assert_uint_eq(item32(&f, FW_CFG_SETUP_ADDR), 0x10000);
    ck_assert_uint_eq(item32(&f, FW_CFG_SETUP_SIZE), 9 * 512);
    read_item(&f, FW_CFG_SETUP_DATA, setup, sizeof(setup));
    ck_assert_mem_eq(setup, img, 0x210);
    ck_assert_uint_eq(setup[0x210], 0xb0);
    ck_assert_uint_eq(rd32(setup + 0x228), 0x20000);
    ck_assert_uint_eq(rd32(setup + 0x218), item32(&f, FW_CFG_INITRD_ADDR));
    ck_assert_uint_eq(rd32(setup + 0x21c), sizeof(initrd));
    ck_assert_uint_eq(item32(&f, FW_CFG_KERNEL_ADDR), 0x100000);
    ck_assert_uint_eq(item32(&f, FW_CFG_KERNEL_SIZE), KERNEL_BYTES);
    read_item(&f, FW_CFG_KERNEL_DATA, buf, KERNEL_BYTES);
    ck_assert_mem_eq(buf, img + 9 * 512, KERNEL_BYTES);
    ck_assert_uint_eq(item32(&f, FW_CFG_CMDLINE_ADDR), 0x20000);
    ck_assert_uint_eq(item32(&f, FW_CFG_CMDLINE_SIZE), sizeof("console=ttyS0 quiet"));
    read_item(&f, FW_CFG_CMDLINE_DATA, buf, sizeof("console=ttyS0 quiet"));
    ck_assert_str_eq((char *)buf, "console=ttyS0 quiet");
    ck_assert_uint_eq(item32(&f, FW_CFG_INITRD_SIZE), sizeof(initrd));
    read_item(&f, FW_CFG_INITRD_DATA, buf, sizeof(initrd));
    ck_assert_str_eq((char *)buf, initrd);
    fix_fini(&f);
    free(img);
}
END_TEST

/* No initrd: no INITRD items (the ROM reads size 0 and skips it). */
START_TEST(test_linuxboot_add_kernel_no_initrd)
{
    Fix f;
    size_t size;
    uint8_t *img = fake_bzimage(0x20c, 8, 0x01, &size);

    fix_init(&f);
    ck_assert_ptr_nonnull(linuxboot_add_kernel(f.fw, boot_rig_write(&f.rig, "k", img, size),
                                               NULL, "", RAM, f.err, sizeof(f.err)));
    ck_assert_uint_eq(item32(&f, FW_CFG_INITRD_SIZE), 0);
    ck_assert_uint_eq(item32(&f, FW_CFG_CMDLINE_SIZE), 1);
    fix_fini(&f);
    free(img);
}
END_TEST

START_TEST(test_linuxboot_add_kernel_errors)
{
    Fix f;
    size_t size;
    uint8_t *img = fake_bzimage(0x20c, 8, 0x01, &size);
    const char *kpath, *bad;

    fix_init(&f);
    kpath = boot_rig_write(&f.rig, "vmlinuz", img, size);
    ck_assert_ptr_null(linuxboot_add_kernel(f.fw, kpath, boot_rig_path(&f.rig, "missing"), "",
                                            RAM, f.err, sizeof(f.err)));
    ck_assert_msg(strstr(f.err, "cannot read initrd") && strstr(f.err, "missing"), "%s", f.err);
    ck_assert_ptr_null(linuxboot_add_kernel(f.fw, boot_rig_path(&f.rig, "nokernel"), NULL, "",
                                            RAM, f.err, sizeof(f.err)));
    ck_assert_msg(strstr(f.err, "cannot read kernel"), "%s", f.err);
    bad = boot_rig_write(&f.rig, "text", "just some text\n", 15);
    ck_assert_ptr_null(linuxboot_add_kernel(f.fw, bad, NULL, "", RAM, f.err, sizeof(f.err)));
    ck_assert_msg(strstr(f.err, "neither a Linux bzImage") && strstr(f.err, "multiboot"),
                  "%s", f.err);
    fix_fini(&f);
    free(img);
}
END_TEST

/* -- The option ROMs -------------------------------------------------------------- */

static uint8_t sum8(const uint8_t *p, size_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

/* Option ROM header, PnP expansion header with a BEV and the product name
 * SeaBIOS shows, checksum after the fixup. */
static void check_rom(const char *file, const char *product)
{
    size_t size;
    uint8_t *rom = boot_rig_load_build(file, &size);
    const uint8_t *pnp;
    char err[160];
    uint16_t bev;

    ck_assert_uint_eq(rom[0], 0x55);
    ck_assert_uint_eq(rom[1], 0xaa);
    ck_assert_uint_eq(rom[2] * 512u, size);
    ck_assert_uint_gt(size, 0);
    ck_assert_int_eq(linuxboot_rom_fixup(rom, size, err, sizeof(err)), 0);
    ck_assert_uint_eq(sum8(rom, size), 0);
    ck_assert_uint_lt(rd16(rom + 0x1a) + 0x20u, size);
    pnp = rom + rd16(rom + 0x1a);
    ck_assert_mem_eq(pnp, "$PnP", 4);
    ck_assert_uint_eq(pnp[4], 1);                       /* structure revision */
    ck_assert_uint_eq(pnp[5], 2);                       /* 32 bytes */
    ck_assert_uint_eq(sum8(pnp, 32), 0);
    ck_assert_uint_eq(rd16(pnp + 6), 0);                /* no next header */
    ck_assert_uint_eq(rd16(pnp + 0x16), 0);             /* no BCV */
    bev = rd16(pnp + 0x1a);
    ck_assert_uint_gt(bev, 0x20);
    ck_assert_uint_lt(bev, size);
    ck_assert_uint_lt(rd16(pnp + 0x10), size);
    ck_assert_str_eq((const char *)rom + rd16(pnp + 0x10), product);
    ck_assert_str_eq((const char *)rom + rd16(pnp + 0x0e), "emu");
    free(rom);
}

START_TEST(test_linuxboot_rom_headers)
{
    check_rom("bios/linuxboot.bin", "Linux loader");
    check_rom("bios/multiboot.bin", "Multiboot loader");
}
END_TEST

START_TEST(test_linuxboot_rom_fixup_rejects)
{
    uint8_t rom[1024] = { 0x55, 0xaa, 2 };
    char err[160];

    rom[100] = 0x33;
    ck_assert_int_eq(linuxboot_rom_fixup(rom, sizeof(rom), err, sizeof(err)), 0);
    ck_assert_uint_eq(rom[1023], 0xcc);                 /* 0x55 + 0xaa + 2 + 0x33 = 0x134 */
    rom[2] = 3;
    ck_assert_int_eq(linuxboot_rom_fixup(rom, sizeof(rom), err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "size byte"));
    rom[0] = 0;
    ck_assert_int_eq(linuxboot_rom_fixup(rom, sizeof(rom), err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "55 AA"));
}
END_TEST

/* The ROM goes in as a fw_cfg file (directory: be32 count, then be32 size,
 * be16 key, u16, name[56]) with a valid checksum. */
START_TEST(test_linuxboot_add_rom)
{
    Fix f;
    uint8_t count[4], entry[64], *rom;
    uint32_t n, size = 0;
    uint16_t key = 0;

    fix_init(&f);
    ck_assert_int_eq(linuxboot_add_rom(f.fw, LINUXBOOT_ROM, test_build_path("bios/linuxboot.bin"),
                                       f.err, sizeof(f.err)), 0);
    read_item(&f, FW_CFG_FILE_DIR, count, 4);
    n = (uint32_t)count[0] << 24 | count[1] << 16 | count[2] << 8 | count[3];
    for (uint32_t i = 0; i < n; i++) {
        for (int j = 0; j < 64; j++)
            entry[j] = (uint8_t)bus_io_read(f.bus, FW_CFG_IO_SELECTOR + 1, 1);
        if (!strcmp((char *)entry + 8, "genroms/linuxboot.bin")) {
            size = (uint32_t)entry[0] << 24 | entry[1] << 16 | entry[2] << 8 | entry[3];
            key = (uint16_t)(entry[4] << 8 | entry[5]);
        }
    }
    ck_assert_msg(key != 0, "no genroms/linuxboot.bin in the fw_cfg directory");
    ck_assert_uint_eq(size % 512, 0);
    rom = calloc(1, size);
    ck_assert_ptr_nonnull(rom);
    read_item(&f, key, rom, size);
    ck_assert_uint_eq(rom[0], 0x55);
    ck_assert_uint_eq(sum8(rom, size), 0);
    free(rom);
    ck_assert_int_eq(linuxboot_add_rom(f.fw, LINUXBOOT_ROM, boot_rig_path(&f.rig, "none.bin"),
                                       f.err, sizeof(f.err)), -1);
    ck_assert_ptr_nonnull(strstr(f.err, "cannot read option ROM"));
    fix_fini(&f);
}
END_TEST

TEST_SUITE(linuxboot)
{
    Suite *s = suite_create("linuxboot");
    TCase *tc = tcase_create("linuxboot");
    tcase_add_test(tc, test_linuxboot_header_modern);
    tcase_add_test(tc, test_linuxboot_initrd_addr_max);
    tcase_add_test(tc, test_linuxboot_header_201);
    tcase_add_test(tc, test_linuxboot_header_zimage);
    tcase_add_test(tc, test_linuxboot_rejects);
    tcase_add_test(tc, test_linuxboot_add_kernel_items);
    tcase_add_test(tc, test_linuxboot_add_kernel_no_initrd);
    tcase_add_test(tc, test_linuxboot_add_kernel_errors);
    tcase_add_test(tc, test_linuxboot_rom_headers);
    tcase_add_test(tc, test_linuxboot_rom_fixup_rejects);
    tcase_add_test(tc, test_linuxboot_add_rom);
    suite_add_tcase(s, tc);
    return s;
}
