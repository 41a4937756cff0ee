/* test_boot_linux.c — Debian's i386 kernel boots from disk to an ACPI power-off.
 *
 * The image comes from tests/guests/build-image --poweroff (see
 * tests/guests/README.md), built once into $EMU_BUILD/linux-test.img and
 * again when the script is newer. Its /init prints EMU-BOOT-OK, writes
 * /emutest.txt ("emu disk test <uuid>") on the FAT partition at 1 MiB, syncs,
 * reads it back from the disk, prints EMU-DISK-OK and runs `poweroff -f`
 * (ACPI S5); the kernel's last line is "reboot: Power down" and emu exits
 * with status 0. Each boot runs on a sparse copy of the image, so the file
 * mtools reads afterwards was written by that boot.
 *
 * The default backend boots as a user runs emu: guest time is host time. The
 * interpreter boots with -icount 3 (8 ns per instruction, about its speed):
 * that costs the same host CPU time as following the host's clock (the
 * guest is seldom idle), but the guest's clock cannot run ahead of an emu
 * starved by a loaded host, so the guest's timeouts behave as on an idle
 * one, and the run is a function of the image alone.
 *
 * When the image cannot be built (no network for the first download, build
 * tools missing) or this build has no JIT, a test says so on stderr and
 * passes. EMU_BOOT_LINUX_INTERP=0 skips the interpreter boot (70-90 s).
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

#define IMAGE "linux-test.img"
#define SCRIPT "tests/guests/build-image"
#define TEST_FILE "::/emutest.txt"
#define INTERP_ICOUNT "3"           /* 2^3 ns of guest time per instruction */
#define JIT_TIMEOUT 240.0           /* seconds; 7-15 on the 2-core machine */
#define INTERP_TIMEOUT 600.0        /* seconds; 70-90 there, 200 while other builds run */

/* Why build-image gave up without it being the image's fault: no network
 * for the first download, or missing host tools. Anything else fails. */
static const char *const no_image_reasons[] = {
    "no i386 package lists", "apt-get download failed", "cannot resolve linux-image-686",
    "not found: run scripts/install-deps", "missing: install syslinux-common",
};

/* Run a shell command made from fmt; its exit status (-1 if it did not run). */
static int shell(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int shell(const char *fmt, ...)
{
    char *cmd = NULL;
    va_list ap;
    int st;

    va_start(ap, fmt);
    st = vasprintf(&cmd, fmt, ap);
    va_end(ap);
    ck_assert_msg(st >= 0, "out of memory");
    st = system(cmd);
    free(cmd);
    return st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t len = 0;

    if (f) {
        if (getdelim(&buf, &len, '\0', f) < 0) {
            free(buf);
            buf = NULL;
        }
        fclose(f);
    }
    return buf ? buf : strdup("");
}

/* The last n characters of s, to show with a failure. */
static const char *tail(const char *s, size_t n)
{
    size_t len = strlen(s);
    return len > n ? s + len - n : s;
}

static bool stale(const char *img, const char *script)
{
    struct stat si, ss;
    if (stat(img, &si) != 0)
        return true;
    return stat(script, &ss) == 0 && ss.st_mtime >= si.st_mtime;
}

/* $EMU_BUILD/linux-test.img, built if missing or older than the script.
 * Returns the path (owned by the rig), or NULL when it cannot be built for
 * one of no_image_reasons (said on stderr); other build failures fail. */
static const char *test_image(BootRig *r)
{
    const char *img = boot_rig_arg(r, "%s", test_build_path(IMAGE));
    const char *script = boot_rig_arg(r, "%s", test_top_path(SCRIPT));
    const char *log = boot_rig_path(r, "build-image.log");
    char *text;
    int st;

    if (!stale(img, script))
        return img;
    st = shell("'%s' '%s.tmp' --poweroff >'%s' 2>&1 && mv -f '%s.tmp' '%s'",
               script, img, log, img, img);
    if (st == 0)
        return img;
    text = slurp(log);
    for (size_t i = 0; i < sizeof(no_image_reasons) / sizeof(no_image_reasons[0]); i++) {
        if (strstr(text, no_image_reasons[i])) {
            fprintf(stderr, "boot_linux: SKIP: cannot build %s (%s); log:\n%s\n", img,
                    no_image_reasons[i], tail(text, 600));
            free(text);
            return NULL;
        }
    }
    ck_abort_msg("%s failed (status %d):\n%s", SCRIPT, st, tail(text, 1500));
    return NULL;
}

/* The guest's /emutest.txt in the image's first partition; NULL if absent. */
static char *read_test_file(const char *img)
{
    char cmd[600], *out = NULL;
    size_t cap = 0;
    ssize_t len;
    FILE *p;

    snprintf(cmd, sizeof(cmd), "MTOOLS_SKIP_CHECK=1 mtype -i '%s@@1M' " TEST_FILE " 2>/dev/null",
             img);
    p = popen(cmd, "r");
    ck_assert_msg(p != NULL, "cannot run mtype");
    len = getdelim(&out, &cap, '\0', p);
    if (pclose(p) != 0 || len <= 0) {
        free(out);
        return NULL;
    }
    return out;
}

/* /init writes "emu disk test " and the kernel's random UUID
 * (8-4-4-4-12 lowercase hex digits), then a newline. */
static void check_test_file(const char *text)
{
    static const char prefix[] = "emu disk test ";
    const char *u = text + strlen(prefix);

    ck_assert_msg(strncmp(text, prefix, strlen(prefix)) == 0, "emutest.txt: \"%s\"", text);
    for (int i = 0; i < 36; i++) {
        bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        ck_assert_msg(dash ? u[i] == '-' : isxdigit((unsigned char)u[i]) && !isupper(u[i]),
                      "emutest.txt: no UUID in \"%s\"", text);
    }
    ck_assert_msg(strcmp(u + 36, "\n") == 0, "emutest.txt: \"%s\"", text);
}

/* `what` occurs in the log after `from`; returns where. */
static const char *expect_after(const char *log, const char *from, const char *what)
{
    const char *at = strstr(from, what);
    ck_assert_msg(at != NULL, "no \"%s\" on the serial console; its end:\n%s", what,
                  tail(log, 2000));
    return at;
}

static void check_serial(const char *log)
{
    const char *at = expect_after(log, log, "Linux version 6.1");
    /* atkbd found the keyboard: its ID bytes and ACKs came one interrupt
     * each (Linux's i8042 driver reads one byte per IRQ1). */
    expect_after(log, at, "input: AT Translated Set 2 keyboard");
    at = expect_after(log, at, "EMU-BOOT-OK");
    at = expect_after(log, at, "EMU-DISK-OK");
    expect_after(log, at, "reboot: Power down");
    ck_assert_msg(strstr(log, "EMU-DISK-FAIL") == NULL, "the guest's disk check failed");
    ck_assert_msg(strstr(log, "Kernel panic") == NULL, "kernel panic:\n%s", tail(log, 2000));
    /* An oops or a WARN_ON prints its call trace. */
    ck_assert_msg(strstr(log, "Call Trace:") == NULL, "kernel oops or warning:\n%s",
                  tail(log, 3000));
}

/* Boot a copy of the image with `accel` (NULL: emu's default backend) and
 * `icount` (NULL: guest time follows the host's clock). */
static void boot_linux(const char *accel, const char *icount, double timeout)
{
    BootRig rig;
    BootRun run;
    const char *img, *copy, *args[24];
    char *serial, *file;
    int n = 0;

    boot_rig_init(&rig);
    img = test_image(&rig);
    if (!img)
        goto out;
    copy = boot_rig_path(&rig, "disk.img");
    ck_assert_int_eq(shell("cp --sparse=always '%s' '%s'", img, copy), 0);
    file = read_test_file(copy);
    ck_assert_msg(file == NULL, "%s already holds emutest.txt", img);

    args[n++] = "-m";
    args[n++] = "128";
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-no-reboot";
    args[n++] = "-serial";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "serial"));
    args[n++] = "-hda";
    args[n++] = copy;
    if (accel) {
        args[n++] = "-accel";
        args[n++] = accel;
    }
    if (icount) {
        args[n++] = "-icount";
        args[n++] = icount;
    }
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = timeout, .watch = "serial",
                                      .until = "EMU-BOOT-OK" });
    serial = boot_rig_read(&rig, "serial");
    fprintf(stderr, "boot_linux: %s: EMU-BOOT-OK after %.1f s, exit after %.1f s (status %d)\n",
            accel ? accel : "default", run.matched ? run.match_seconds : -1.0, run.seconds,
            run.status);

    ck_assert_msg(!run.timed_out, "no power-off within %.0f s; serial console's end:\n%s",
                  timeout, tail(serial, 2000));
    check_serial(serial);
    ck_assert_msg(run.status == 0, "emu exited with status %d; stderr:\n%s", run.status,
                  tail(boot_rig_read(&rig, "stderr"), 1000));

    file = read_test_file(copy);
    ck_assert_msg(file != NULL, "no %s on the disk after the boot", TEST_FILE);
    check_test_file(file);
    free(file);
    free(serial);
out:
    boot_rig_fini(&rig);
}

/* Whether this emu has a JIT: without one `-accel jit` is an error. */
static bool have_jit(void)
{
    return shell("'%s' -accel jit -version >/dev/null 2>&1", test_build_path("emu")) == 0;
}

START_TEST(test_boot_linux_default_backend)
{
    if (!have_jit()) {
        fprintf(stderr, "boot_linux: SKIP default backend: no JIT in this build, so it is "
                "the interpreter (test_boot_linux_interp)\n");
        return;
    }
    boot_linux(NULL, NULL, JIT_TIMEOUT);
}
END_TEST

START_TEST(test_boot_linux_interp)
{
    const char *env = getenv("EMU_BOOT_LINUX_INTERP");
    if (env && strcmp(env, "0") == 0) {
        fprintf(stderr, "boot_linux: SKIP interp: EMU_BOOT_LINUX_INTERP=0\n");
        return;
    }
    boot_linux("interp", INTERP_ICOUNT, INTERP_TIMEOUT);
}
END_TEST

TEST_SUITE(boot_linux)
{
    Suite *s = suite_create("boot_linux");
    TCase *tc = tcase_create("linux");
    /* The first image build downloads about 40 MB of packages. */
    tcase_set_timeout(tc, INTERP_TIMEOUT + 300);
    tcase_add_test(tc, test_boot_linux_default_backend);
    tcase_add_test(tc, test_boot_linux_interp);
    suite_add_tcase(s, tc);
    return s;
}
