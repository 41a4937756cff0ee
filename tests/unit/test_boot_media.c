/* test_boot_media.c — SeaBIOS boots a hard disk's MBR and an El Torito CD.
 *
 * The guest is tests/guests/mbr_hello.asm: it prints "EMU-MBR-HELLO
 * drive=XX" (DL in hex) through int 10h, which SeaBIOS's serial console
 * copies to COM1, and on port 0xe9, then exits through isa-debug-exit with
 * 0, i.e. emu's exit status 1. SeaBIOS boots a hard disk as BIOS drive 0x80
 * and a no-emulation CD as the first CD drive number, 0xE0 (SeaBIOS's
 * EXTSTART_CD).
 *
 * The ISO is made here, sector by sector (ISO 9660 = ECMA-119; El Torito
 * 1.0): system area, primary volume descriptor (16), boot record volume
 * descriptor (17), terminator (18), L and M path tables, the root
 * directory, the boot catalog (validation entry + no-emulation default
 * entry), the boot image.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

#define SECTOR 2048
#define HELLO "EMU-MBR-HELLO drive="

enum {
    LBA_PVD = 16, LBA_BOOT_RECORD, LBA_TERM, LBA_PATH_L, LBA_PATH_M, LBA_ROOT,
    LBA_CATALOG, LBA_IMAGE, ISO_SECTORS,
};

static void le16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void be16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void le32(uint8_t *p, uint32_t v) { le16(p, v); le16(p + 2, v >> 16); }
static void be32(uint8_t *p, uint32_t v) { be16(p, v >> 16); be16(p + 2, v); }
/* ECMA-119 7.2.3 / 7.3.3: both-byte orders, little-endian first. */
static void both16(uint8_t *p, uint16_t v) { le16(p, v); be16(p + 2, v); }
static void both32(uint8_t *p, uint32_t v) { le32(p, v); be32(p + 4, v); }

static void text(uint8_t *p, const char *s, size_t field)
{
    memset(p, ' ', field);
    memcpy(p, s, strlen(s));
}

static void vd_header(uint8_t *p, uint8_t type)
{
    p[0] = type;
    memcpy(p + 1, "CD001", 5);
    p[6] = 1;
}

/* A directory record (ECMA-119 9.1) for the root's "." (0) or ".." (1). */
static void dir_record(uint8_t *p, uint8_t name)
{
    static const uint8_t date[7] = { 124, 1, 1, 0, 0, 0, 0 };    /* 2024-01-01 UTC */
    p[0] = 34;
    both32(p + 2, LBA_ROOT);
    both32(p + 10, SECTOR);
    memcpy(p + 18, date, 7);
    p[25] = 0x02;                       /* directory */
    both16(p + 28, 1);                  /* volume sequence number */
    p[32] = 1;
    p[33] = name;
}

static void pvd(uint8_t *p)
{
    static const char date[17] = "2024010100000000";   /* + offset byte 0 */
    vd_header(p, 1);
    text(p + 8, "EMU", 32);
    text(p + 40, "EMU_BOOT_TEST", 32);
    both32(p + 80, ISO_SECTORS);
    both16(p + 120, 1);                 /* volume set size */
    both16(p + 124, 1);                 /* volume sequence number */
    both16(p + 128, SECTOR);
    both32(p + 132, 10);                /* path table: one record */
    le32(p + 140, LBA_PATH_L);
    be32(p + 148, LBA_PATH_M);
    dir_record(p + 156, 0);
    text(p + 190, "", 128 * 4 + 37 * 3);    /* set, publisher, preparer, application, files */
    for (int i = 0; i < 4; i++)
        memcpy(p + 813 + 17 * i, i < 2 ? date : "0000000000000000", 16);
    p[881] = 1;                         /* file structure version */
}

static void boot_record(uint8_t *p)
{
    vd_header(p, 0);
    memcpy(p + 7, "EL TORITO SPECIFICATION", 23);
    le32(p + 0x47, LBA_CATALOG);
}

static void path_table(uint8_t *p, bool big)
{
    p[0] = 1;                           /* identifier length */
    if (big) {
        be32(p + 2, LBA_ROOT);
        be16(p + 6, 1);
    } else {
        le32(p + 2, LBA_ROOT);
        le16(p + 6, 1);
    }
}

/* El Torito 2.1-2.2: the validation entry's 16 words sum to 0. */
static void boot_catalog(uint8_t *p)
{
    uint16_t sum = 0;
    p[0] = 1;                           /* header ID */
    p[1] = 0;                           /* platform 80x86 */
    memcpy(p + 4, "EMU", 3);
    p[30] = 0x55;
    p[31] = 0xaa;
    for (int i = 0; i < 32; i += 2)
        sum += p[i] | p[i + 1] << 8;
    le16(p + 28, (uint16_t)-sum);
    p[32] = 0x88;                       /* bootable */
    p[33] = 0;                          /* no emulation */
    le16(p + 34, 0);                    /* load segment 0: 0x7c0 */
    le16(p + 38, 4);                    /* 4 virtual 512-byte sectors */
    le32(p + 40, LBA_IMAGE);
}

static uint8_t *make_iso(const uint8_t *boot, size_t boot_len, size_t *len)
{
    uint8_t *iso = calloc(ISO_SECTORS, SECTOR);
    ck_assert_ptr_nonnull(iso);
    ck_assert_uint_le(boot_len, SECTOR);
    pvd(iso + LBA_PVD * SECTOR);
    boot_record(iso + LBA_BOOT_RECORD * SECTOR);
    vd_header(iso + LBA_TERM * SECTOR, 255);
    path_table(iso + LBA_PATH_L * SECTOR, false);
    path_table(iso + LBA_PATH_M * SECTOR, true);
    dir_record(iso + LBA_ROOT * SECTOR, 0);
    dir_record(iso + LBA_ROOT * SECTOR + 34, 1);
    boot_catalog(iso + LBA_CATALOG * SECTOR);
    memcpy(iso + LBA_IMAGE * SECTOR, boot, boot_len);
    *len = ISO_SECTORS * SECTOR;
    return iso;
}

/* Boot emu with `media` args, -display none, COM1 and 0xe9 to files; the
 * guest exits with status 1 after printing HELLO + `drive`. */
static void boot_and_expect(BootRig *rig, const char *const *media, const char *drive,
                            const char *bios_says)
{
    const char *args[16];
    char want[64], *serial, *debug;
    BootRun run;
    int n = 0;

    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = boot_rig_arg(rig, "file:%s", boot_rig_path(rig, "serial"));
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(rig, "file:%s", boot_rig_path(rig, "debugcon"));
    for (int i = 0; media[i]; i++)
        args[n++] = media[i];
    args[n] = NULL;
    run = boot_run(rig, &(BootSpec){ .args = args, .timeout = 20 });
    serial = boot_rig_read(rig, "serial");
    debug = boot_rig_read(rig, "debugcon");
    snprintf(want, sizeof(want), HELLO "%s", drive);
    ck_assert_msg(!run.timed_out, "the boot sector did not exit within 20 s");
    ck_assert_msg(run.status == 1, "exit status %d, want 1 (isa-debug-exit 0)", run.status);
    ck_assert_msg(strstr(debug, want) != NULL, "no \"%s\" on port 0xe9", want);
    ck_assert_msg(strstr(serial, want) != NULL, "no \"%s\" from int 10h on COM1", want);
    ck_assert_msg(strstr(serial, bios_says) != NULL, "SeaBIOS did not say \"%s\"", bios_says);
    free(serial);
    free(debug);
}

START_TEST(test_boot_media_hda_mbr)
{
    BootRig rig;
    size_t len;
    uint8_t *mbr = boot_rig_load_build("tests/guests/mbr_hello.bin", &len);
    size_t disk_len = 1 << 20;
    uint8_t *disk = calloc(1, disk_len);

    ck_assert_uint_eq(len, 512);
    ck_assert(mbr[510] == 0x55 && mbr[511] == 0xaa);
    memcpy(disk, mbr, len);
    boot_rig_init(&rig);
    const char *media[] = { "-hda", boot_rig_write(&rig, "disk.img", disk, disk_len), NULL };
    boot_and_expect(&rig, media, "80", "Booting from Hard Disk...");
    boot_rig_fini(&rig);
    free(disk);
    free(mbr);
}
END_TEST

START_TEST(test_boot_media_cdrom_el_torito)
{
    BootRig rig;
    size_t len, iso_len;
    uint8_t *mbr = boot_rig_load_build("tests/guests/mbr_hello.bin", &len);
    uint8_t *iso = make_iso(mbr, len, &iso_len);

    boot_rig_init(&rig);
    const char *media[] = { "-cdrom", boot_rig_write(&rig, "cd.iso", iso, iso_len),
                            "-boot", "d", NULL };
    boot_and_expect(&rig, media, "E0", "Booting from DVD/CD...");
    boot_rig_fini(&rig);
    free(iso);
    free(mbr);
}
END_TEST

/* A disk and a CD, both bootable: -boot picks which one SeaBIOS tries first. */
START_TEST(test_boot_media_boot_order)
{
    BootRig rig;
    size_t len, iso_len;
    uint8_t *mbr = boot_rig_load_build("tests/guests/mbr_hello.bin", &len);
    uint8_t *iso = make_iso(mbr, len, &iso_len);
    uint8_t *disk = calloc(1, 1 << 20);

    memcpy(disk, mbr, len);
    boot_rig_init(&rig);
    const char *disk_path = boot_rig_write(&rig, "disk.img", disk, 1 << 20);
    const char *iso_path = boot_rig_write(&rig, "cd.iso", iso, iso_len);
    const char *disk_first[] = { "-hda", disk_path, "-cdrom", iso_path, "-boot", "c", NULL };
    const char *cd_first[] = { "-hda", disk_path, "-cdrom", iso_path, "-boot", "d", NULL };
    boot_and_expect(&rig, disk_first, "80", "Booting from Hard Disk...");
    boot_and_expect(&rig, cd_first, "E0", "Booting from DVD/CD...");
    boot_rig_fini(&rig);
    free(disk);
    free(iso);
    free(mbr);
}
END_TEST

TEST_SUITE(boot_media)
{
    Suite *s = suite_create("boot_media");
    TCase *tc = tcase_create("media");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_boot_media_hda_mbr);
    tcase_add_test(tc, test_boot_media_cdrom_el_torito);
    tcase_add_test(tc, test_boot_media_boot_order);
    suite_add_tcase(s, tc);
    return s;
}
