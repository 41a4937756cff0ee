/* test_boot_seabios.c — Debian's SeaBIOS boots on emu with no disk.
 *
 * emu runs as a subprocess (boot_rig.h). What SeaBIOS prints comes from its
 * sources: the banner "SeaBIOS (version ...)" on the console (and, with
 * sercon, the serial port), its debug log on port 0x402/0xe9 with the RAM
 * it read from fw_cfg's etc/e820 ("qemu/e820: addr ... len ... [RAM]") and
 * the e820 map it hands the OS ("e820 map has N items:" then
 * "  i: start - end = type"), and "No bootable device." when every boot
 * device failed, after which it waits 60 s and resets.
 */
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include <zlib.h>
#include "unit/boot_rig.h"

#define NO_BOOT "No bootable device"
#define BANNER "SeaBIOS (version "
#define BOOT_TIMEOUT 20.0           /* seconds; it takes well under one */

typedef struct E820 {
    uint64_t start, end;
    int type;
} E820;

/* Parse SeaBIOS's "e820 map has N items:" block; returns N (-1 if absent). */
static int parse_e820(const char *log, E820 *e, int max)
{
    const char *p = strstr(log, "e820 map has ");
    int n;
    if (!p || sscanf(p, "e820 map has %d items", &n) != 1 || n > max)
        return -1;
    for (int i = 0; i < n; i++) {
        int idx;
        p = strchr(p, '\n');
        if (!p || sscanf(p + 1, " %d: %" SCNx64 " - %" SCNx64 " = %d", &idx, &e[i].start,
                         &e[i].end, &e[i].type) != 4 || idx != i)
            return -1;
        p++;
    }
    return n;
}

/* The map SeaBIOS built covers RAM as the board has it: conventional
 * memory from 0, and from 1 MiB contiguous entries (RAM, then what SeaBIOS
 * reserves for its tables at the top) ending exactly at the RAM size. */
static void check_e820(const char *log, uint64_t ram)
{
    E820 e[32];
    uint64_t end = 0x100000;
    int n = parse_e820(log, e, 32), i;

    ck_assert_msg(n > 0, "no e820 map in the SeaBIOS log");
    ck_assert_msg(e[0].start == 0 && e[0].type == 1 && e[0].end >= 0x9f000,
                  "e820[0] is not conventional RAM from 0");
    for (i = 0; i < n && e[i].start != 0x100000; i++)
        ;
    ck_assert_msg(i < n && e[i].type == 1, "no RAM entry at 1 MiB");
    ck_assert_msg(e[i].end >= ram - 0x100000, "RAM at 1 MiB ends at %#" PRIx64, e[i].end);
    for (; i < n && e[i].start == end && e[i].start < ram; i++)
        end = e[i].end;
    ck_assert_msg(end == ram, "e820 memory above 1 MiB ends at %#" PRIx64 ", want %#" PRIx64,
                  end, ram);
}

/* -display none, COM1 and the debug console to files, until NO_BOOT, then
 * SIGTERM: emu ends at once with 128 + SIGTERM. */
START_TEST(test_boot_seabios_no_disk)
{
    BootRig rig;
    BootRun run;
    char *serial, *debug, want[96];
    uint64_t ram = 96ull << 20;
    const char *args[16];
    int n = 0;

    boot_rig_init(&rig);
    args[n++] = "-m";
    args[n++] = "96";
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "serial"));
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "debugcon"));
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = BOOT_TIMEOUT,
                                      .watch = "serial", .until = NO_BOOT,
                                      .signal = SIGTERM });
    serial = boot_rig_read(&rig, "serial");
    debug = boot_rig_read(&rig, "debugcon");

    ck_assert_msg(run.matched, "no \"" NO_BOOT "\" on COM1 in %.0f s", BOOT_TIMEOUT);
    ck_assert_msg(!run.timed_out, "emu did not end on SIGTERM");
    ck_assert_int_eq(run.status, 128 + SIGTERM);
    ck_assert_msg(run.seconds - run.match_seconds < 1.5, "SIGTERM took %.2f s",
                  run.seconds - run.match_seconds);
    ck_assert_ptr_nonnull(strstr(serial, BANNER));
    ck_assert_ptr_nonnull(strstr(debug, BANNER));
    ck_assert_ptr_nonnull(strstr(debug, "Running on QEMU (i440fx)"));
    snprintf(want, sizeof(want), "qemu/e820: addr 0x%016" PRIx64 " len 0x%016" PRIx64 " [RAM]",
             (uint64_t)0, ram);
    ck_assert_msg(strstr(debug, want) != NULL, "SeaBIOS did not see %s", want);
    check_e820(debug, ram);
    /* The order SeaBIOS tries with no drives: its BEV list, then gives up. */
    ck_assert_ptr_nonnull(strstr(serial, "Booting from Hard Disk..."));
    free(serial);
    free(debug);
    boot_rig_fini(&rig);
}
END_TEST

/* -nographic: COM1 on stdout (mon:stdio with stdin not a terminal); SIGINT
 * ends emu with 128 + SIGINT. */
/* A PNG's IHDR size and how many pixels of its first `rows` rows are not
 * black (RGB, 8 bits, filter bytes per row, as png.c writes it). */
static int png_lit_pixels(const uint8_t *png, size_t len, int rows, uint32_t *w, uint32_t *h)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    uint8_t *idat = NULL, *raw;
    size_t nidat = 0, pos = 8;
    uLongf rawlen;
    int lit = 0;

    ck_assert_msg(len > 33 && !memcmp(png, sig, 8), "not a PNG file");
    *w = (uint32_t)png[16] << 24 | png[17] << 16 | png[18] << 8 | png[19];
    *h = (uint32_t)png[20] << 24 | png[21] << 16 | png[22] << 8 | png[23];
    while (pos + 12 <= len) {
        uint32_t n = (uint32_t)png[pos] << 24 | png[pos + 1] << 16 | png[pos + 2] << 8 | png[pos + 3];
        if (!memcmp(png + pos + 4, "IDAT", 4)) {
            idat = realloc(idat, nidat + n);
            memcpy(idat + nidat, png + pos + 8, n);
            nidat += n;
        }
        pos += 12 + n;
    }
    rawlen = (uLongf)(*w * 3 + 1) * *h;
    raw = malloc(rawlen);
    ck_assert_int_eq(uncompress(raw, &rawlen, idat, nidat), Z_OK);
    for (int y = 0; y < rows && (uint32_t)y < *h; y++) {
        const uint8_t *row = raw + (size_t)y * (*w * 3 + 1);
        ck_assert_msg(row[0] == 0, "unexpected PNG filter type %d", row[0]);
        for (uint32_t x = 0; x < *w; x++)
            lit += (row[1 + 3 * x] | row[2 + 3 * x] | row[3 + 3 * x]) != 0;
    }
    free(raw);
    free(idat);
    return lit;
}

/* What a user would see: SeaBIOS's boot screen, written as text and as a
 * PNG by -screendump-at while emu runs headless (SeaBIOS's VGA BIOS in text
 * mode 3: 80x25 cells of 9x16 pixels). */
START_TEST(test_boot_seabios_screenshot)
{
    BootRig rig;
    BootRun run;
    char *text;
    uint8_t *png;
    size_t pnglen;
    uint32_t w, h;
    const char *args[16];
    int n = 0;
    FILE *f;

    boot_rig_init(&rig);
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = "null";
    args[n++] = "-icount";
    args[n++] = "3";
    args[n++] = "-no-reboot";
    args[n++] = "-screendump-at";
    args[n++] = boot_rig_arg(&rig, "3:%s", boot_rig_path(&rig, "screen.txt"));
    args[n++] = "-screendump-at";
    args[n++] = boot_rig_arg(&rig, "3:%s", boot_rig_path(&rig, "screen.png"));
    args[n] = NULL;
    /* With -icount, SeaBIOS's 60 s retry wait passes in virtual time and
     * its reset ends emu (-no-reboot). */
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = BOOT_TIMEOUT });
    ck_assert_msg(!run.timed_out, "emu did not finish SeaBIOS's retry within %.0f s", BOOT_TIMEOUT);
    text = boot_rig_read(&rig, "screen.txt");
    ck_assert_msg(text && strstr(text, BANNER), "no SeaBIOS banner on the screen:\n%s", text);
    ck_assert_msg(strstr(text, NO_BOOT), "no \"" NO_BOOT "\" on the screen:\n%s", text);

    f = fopen(boot_rig_path(&rig, "screen.png"), "rb");
    ck_assert_ptr_nonnull(f);
    png = malloc(1 << 20);
    pnglen = fread(png, 1, 1 << 20, f);
    fclose(f);
    /* The first text row (16 pixel rows) holds the banner: lit glyph pixels. */
    ck_assert_int_gt(png_lit_pixels(png, pnglen, 16, &w, &h), 200);
    ck_assert_uint_eq(w, 720);
    ck_assert_uint_eq(h, 400);
    /* Keep a copy for people to look at. */
    f = fopen(test_build_path("tests/seabios_screen.png"), "wb");
    if (f) {
        fwrite(png, 1, pnglen, f);
        fclose(f);
        fprintf(stderr, "boot_seabios: screenshot of SeaBIOS's screen: %s\n",
                test_build_path("tests/seabios_screen.png"));
    }
    free(png);
    free(text);
    boot_rig_fini(&rig);
}
END_TEST

START_TEST(test_boot_seabios_nographic_serial)
{
    BootRig rig;
    BootRun run;
    char *out;
    const char *args[] = { "-nographic", "-m", "32", NULL };

    boot_rig_init(&rig);
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = BOOT_TIMEOUT,
                                      .watch = "stdout", .until = NO_BOOT,
                                      .signal = SIGINT });
    out = boot_rig_read(&rig, "stdout");
    ck_assert_msg(run.matched, "no \"" NO_BOOT "\" on stdout");
    ck_assert_int_eq(run.status, 128 + SIGINT);
    ck_assert_ptr_nonnull(strstr(out, BANNER));
    ck_assert(strstr(out, BANNER) < strstr(out, NO_BOOT));
    free(out);
    boot_rig_fini(&rig);
}
END_TEST

/* With -icount the 60 s SeaBIOS waits after NO_BOOT are virtual and skipped
 * while the CPU halts; its reset then ends emu under -no-reboot, status 0. */
START_TEST(test_boot_seabios_retry_reset_no_reboot)
{
    BootRig rig;
    BootRun run;
    char *serial, *log;
    const char *args[16];
    int n = 0;

    boot_rig_init(&rig);
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-icount";
    args[n++] = "3";
    args[n++] = "-no-reboot";
    args[n++] = "-d";
    args[n++] = "reset";
    args[n++] = "-D";
    args[n++] = boot_rig_path(&rig, "log");
    args[n++] = "-serial";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "serial"));
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = BOOT_TIMEOUT });
    serial = boot_rig_read(&rig, "serial");
    log = boot_rig_read(&rig, "log");
    ck_assert_msg(!run.timed_out, "SeaBIOS did not reset within %.0f s", BOOT_TIMEOUT);
    ck_assert_int_eq(run.status, 0);
    ck_assert_ptr_nonnull(strstr(serial, NO_BOOT));
    ck_assert_ptr_nonnull(strstr(log, "guest reset with -no-reboot"));
    free(serial);
    free(log);
    boot_rig_fini(&rig);
}
END_TEST

TEST_SUITE(boot_seabios)
{
    Suite *s = suite_create("boot_seabios");
    TCase *tc = tcase_create("seabios");
    tcase_set_timeout(tc, 60);
    tcase_add_test(tc, test_boot_seabios_no_disk);
    tcase_add_test(tc, test_boot_seabios_screenshot);
    tcase_add_test(tc, test_boot_seabios_nographic_serial);
    tcase_add_test(tc, test_boot_seabios_retry_reset_no_reboot);
    suite_add_tcase(s, tc);
    return s;
}
