/* test_boot_kernel.c — -kernel direct boot on build/emu: multiboot and Linux.
 *
 * Multiboot: tests/guests/multiboot_hello.bin (a.out kludge) and
 * multiboot_elf.bin (ELF32) report their machine state and information
 * structure on port 0xE9 (see tests/guests/multiboot_kernel.inc) and exit
 * through isa-debug-exit. The checks are the Multiboot 0.6.96 spec's: 3.2
 * "Machine state" (EAX = 0x2BADB002, CR0.PE set and PG clear, EFLAGS.IF and
 * VM clear, flat 4 GiB segments, A20 on) and 3.3 (mem_lower/mem_upper agree
 * with the memory map; modules page-aligned when header flag 0 asks; the
 * command line and module strings as given).
 *
 * Linux: Debian's i386 kernel and the busybox initramfs of
 * tests/guests/build-image (--kernel-initrd, made once into
 * $EMU_BUILD/tests/guests/kboot), booted with -kernel/-initrd/-append
 * "console=ttyS0 ...": the initramfs's /init prints its marker on the
 * consoles the command line named, so the marker on COM1 shows the kernel,
 * the initrd and the command line all arrived. This needs a complete CPU and
 * takes minutes while the JIT is young: EMU_KBOOT_TIMEOUT (seconds) overrides
 * the limit.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

#define MB_RAM_MIB 64
#define MB_TIMEOUT 30.0
#define MODULE_TEXT "first line of the module\nsecond line\n"
#define LINUX_MARKER "EMU-BOOT-OK"
#define LINUX_TIMEOUT 300.0

typedef struct MbRun {
    BootRig rig;
    BootRun run;
    char *report;       /* the debug console from "MB-HELLO" on */
    char *all;
} MbRun;

/* Boot a test kernel with extra args (NULL-terminated, may be empty); the
 * caller has run boot_rig_init(&r->rig) (and may have put files there). */
static void mb_boot(MbRun *r, const char *kernel, const char *const *extra)
{
    const char *args[24];
    int n = 0;

    args[n++] = "-m";
    args[n++] = boot_rig_arg(&r->rig, "%d", MB_RAM_MIB);
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = "null";
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(&r->rig, "file:%s", boot_rig_path(&r->rig, "debugcon"));
    args[n++] = "-kernel";
    args[n++] = boot_rig_arg(&r->rig, "%s", test_build_path(kernel));
    while (*extra)
        args[n++] = *extra++;
    args[n] = NULL;
    r->run = boot_run(&r->rig, &(BootSpec){ .args = args, .timeout = MB_TIMEOUT });
    r->all = boot_rig_read(&r->rig, "debugcon");
    r->report = strstr(r->all, "MB-HELLO\n");
    ck_assert_msg(!r->run.timed_out, "the multiboot kernel did not exit in %.0f s", MB_TIMEOUT);
    ck_assert_msg(r->report, "no MB-HELLO from the kernel; emu said: %s",
                  boot_rig_read(&r->rig, "stderr"));
    ck_assert_msg(strstr(r->report, "\nMB-DONE\n"), "the kernel's report is cut short");
    ck_assert_int_eq(r->run.status, 1);             /* isa-debug-exit 0: (0 << 1) | 1 */
}

static void mb_fini(MbRun *r)
{
    free(r->all);
    boot_rig_fini(&r->rig);
}

/* The rest of the line after "\nKEY=", malloc'd. */
static char *field(const MbRun *r, const char *key)
{
    char pat[48];
    const char *p;
    snprintf(pat, sizeof(pat), "\n%s=", key);
    p = strstr(r->report, pat);
    ck_assert_msg(p, "no %s= line in the kernel's report", key);
    p += strlen(pat);
    return strndup(p, strcspn(p, "\n"));
}

static uint32_t hex(const MbRun *r, const char *key)
{
    char *s = field(r, key);
    uint32_t v = (uint32_t)strtoul(s, NULL, 16);
    free(s);
    return v;
}

static void expect_field(const MbRun *r, const char *key, const char *want)
{
    char *s = field(r, key);
    ck_assert_msg(!strcmp(s, want), "%s is '%s', want '%s'", key, s, want);
    free(s);
}

/* Machine state at entry (spec 3.2) and the memory fields against the map. */
static void check_entry_state(const MbRun *r)
{
    uint32_t flags = hex(r, "flags"), cr0 = hex(r, "cr0"), eflags = hex(r, "eflags");
    uint64_t low_ram = 0, upper_ram = 0;
    int entries = 0;

    ck_assert_uint_eq(hex(r, "magic"), 0x2badb002);
    ck_assert_uint_eq(cr0 & 1, 1);                  /* PE */
    ck_assert_uint_eq(cr0 & 0x80000000u, 0);        /* PG */
    ck_assert_uint_eq(eflags & 1u << 9, 0);         /* IF */
    ck_assert_uint_eq(eflags & 1u << 17, 0);        /* VM */
    expect_field(r, "limits", "FFFFFFFF FFFFFFFF FFFFFFFF");
    ck_assert_uint_eq(hex(r, "a20"), 1);
    ck_assert_uint_eq(hex(r, "bss"), 0);
    ck_assert_uint_ne(flags & 1u << 0, 0);          /* mem_*: header flag 1 asked */
    ck_assert_uint_ne(flags & 1u << 6, 0);          /* mmap */
    ck_assert_uint_ne(flags & 1u << 2, 0);          /* cmdline */
    ck_assert_uint_ne(flags & 1u << 9, 0);          /* boot_loader_name */
    expect_field(r, "loader", "emu");
    for (const char *p = r->report; (p = strstr(p, "\nmmap=")); p++) {
        unsigned bh, bl, lh, ll, type;
        uint64_t base, len;
        ck_assert_int_eq(sscanf(p, "\nmmap=%x:%x %x:%x %x", &bh, &bl, &lh, &ll, &type), 5);
        base = (uint64_t)bh << 32 | bl;
        len = (uint64_t)lh << 32 | ll;
        ck_assert_msg(type >= 1 && type <= 5, "map entry type %u", type);
        if (base == 0 && type == 1)
            low_ram = len;
        if (base == 0x100000 && type == 1)
            upper_ram = len;
        entries++;
    }
    ck_assert_int_ge(entries, 2);
    ck_assert_msg(low_ram && upper_ram, "no RAM entries at 0 and 1 MiB in the map");
    ck_assert_uint_eq(hex(r, "mem_lower"), low_ram / 1024);
    ck_assert_uint_le(hex(r, "mem_lower"), 640);
    ck_assert_uint_eq(hex(r, "mem_upper"), upper_ram / 1024);
    ck_assert_uint_le(0x100000 + upper_ram, (uint64_t)MB_RAM_MIB << 20);
    ck_assert_uint_ge(0x100000 + upper_ram, (uint64_t)(MB_RAM_MIB - 1) << 20);
}

/* a.out kludge kernel, -append and one module with arguments. */
START_TEST(test_boot_kernel_multiboot_aout)
{
    MbRun r;
    const char *mod, *extra[5];
    size_t ksize;
    uint32_t start, end;
    char want[300];

    free(boot_rig_load_build("tests/guests/multiboot_hello.bin", &ksize));
    boot_rig_init(&r.rig);
    mod = boot_rig_write(&r.rig, "module.txt", MODULE_TEXT, strlen(MODULE_TEXT));
    extra[0] = "-append";
    extra[1] = "hello multiboot";
    extra[2] = "-initrd";
    extra[3] = boot_rig_arg(&r.rig, "%s arg=1", mod);
    extra[4] = NULL;
    mb_boot(&r, "tests/guests/multiboot_hello.bin", extra);
    check_entry_state(&r);
    expect_field(&r, "cmdline", "hello multiboot");
    ck_assert_uint_eq(hex(&r, "mods"), 1);
    ck_assert_int_eq(sscanf(strstr(r.report, "\nmod="), "\nmod=%x %x", &start, &end), 2);
    ck_assert_uint_eq(start % 4096, 0);                         /* header flag 0 */
    ck_assert_uint_ge(start, 0x100000 + ksize);
    ck_assert_uint_eq(end - start, strlen(MODULE_TEXT));
    snprintf(want, sizeof(want), "\nmod=%08X %08X %s arg=1\n", start, end, mod);
    ck_assert_msg(strstr(r.report, want), "no '%s' in the report", want + 1);
    expect_field(&r, "modtext", "first line of the module");
    mb_fini(&r);
}
END_TEST

/* ELF32 kernel with two PT_LOAD segments, no -append and no modules. */
START_TEST(test_boot_kernel_multiboot_elf)
{
    MbRun r;
    const char *extra[] = { NULL };

    boot_rig_init(&r.rig);
    mb_boot(&r, "tests/guests/multiboot_elf.bin", extra);
    check_entry_state(&r);
    expect_field(&r, "cmdline", "");
    ck_assert_uint_eq(hex(&r, "mods"), 0);
    expect_field(&r, "seg2", "second segment");
    mb_fini(&r);
}
END_TEST

/* Bad input ends emu at once with a message naming the problem. */
static void expect_refusal(const char *kernel, const char *initrd, const char *want)
{
    BootRig rig;
    BootRun run;
    char *err;
    const char *args[10] = { "-display", "none", "-serial", "null", "-kernel", kernel };
    int n = 6;

    boot_rig_init(&rig);
    if (initrd) {
        args[n++] = "-initrd";
        args[n++] = initrd;
    }
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = 10 });
    err = boot_rig_read(&rig, "stderr");
    ck_assert_msg(!run.timed_out, "emu ran with -kernel %s", kernel);
    ck_assert_int_ne(run.status, 0);
    ck_assert_msg(strstr(err, want), "stderr '%s' lacks '%s'", err, want);
    free(err);
    boot_rig_fini(&rig);
}

START_TEST(test_boot_kernel_refuses_bad_input)
{
    BootRig g;
    boot_rig_init(&g);
    expect_refusal(boot_rig_write(&g, "notakernel", "hello, world\n", 13), NULL,
                   "neither a Linux bzImage");
    expect_refusal(boot_rig_path(&g, "nofile"), NULL, "cannot read kernel");
    expect_refusal(boot_rig_arg(&g, "%s", test_build_path("tests/guests/multiboot_hello.bin")),
                   boot_rig_path(&g, "nomodule"), "cannot read multiboot module");
    boot_rig_fini(&g);
}
END_TEST

/* -- Linux ---------------------------------------------------------------------- */

/* $EMU_BUILD/tests/guests/kboot/{vmlinuz,initrd.gz}, made by build-image once. */
static const char *linux_files(void)
{
    static char dir[512];
    char cmd[1400], probe[600];
    struct stat st;

    snprintf(dir, sizeof(dir), "%s", test_build_path("tests/guests/kboot"));
    snprintf(probe, sizeof(probe), "%s/initrd.gz", dir);
    if (stat(probe, &st) == 0)
        return dir;
    snprintf(cmd, sizeof(cmd), "sh '%s' --kernel-initrd '%s' >'%s.log' 2>&1",
             test_top_path("tests/guests/build-image"), dir, dir);
    ck_assert_msg(system(cmd) == 0 && stat(probe, &st) == 0,
                  "tests/guests/build-image --kernel-initrd failed (see %s.log): it needs "
                  "Debian's i386 kernel and busybox, downloaded once into build/guests-cache",
                  dir);
    return dir;
}

START_TEST(test_boot_kernel_linux)
{
    const char *dir = linux_files();
    const char *timeout_env = getenv("EMU_KBOOT_TIMEOUT");
    double timeout = timeout_env ? atof(timeout_env) : LINUX_TIMEOUT;
    BootRig rig;
    BootRun run;
    char *serial, *debug;
    const char *args[20];
    int n = 0;

    boot_rig_init(&rig);
    args[n++] = "-m";
    args[n++] = "256";
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "serial"));
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "debugcon"));
    args[n++] = "-kernel";
    args[n++] = boot_rig_arg(&rig, "%s/vmlinuz", dir);
    args[n++] = "-initrd";
    args[n++] = boot_rig_arg(&rig, "%s/initrd.gz", dir);
    args[n++] = "-append";
    args[n++] = "console=ttyS0 quiet emu.kboot=1";
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = timeout, .watch = "serial",
                                      .until = LINUX_MARKER, .signal = SIGTERM });
    serial = boot_rig_read(&rig, "serial");
    debug = boot_rig_read(&rig, "debugcon");
    ck_assert_msg(strstr(debug, "Booting from ROM"), "SeaBIOS did not boot the Linux loader ROM");
    ck_assert_msg(!strstr(debug, "linuxboot: "), "the loader ROM failed: %s",
                  strstr(debug, "linuxboot: "));
    ck_assert_msg(run.matched, "no %s on COM1 within %.0f s (EMU_KBOOT_TIMEOUT); the serial "
                  "output ends: %s", LINUX_MARKER, timeout,
                  serial + (strlen(serial) > 600 ? strlen(serial) - 600 : 0));
    fprintf(stderr, "boot_kernel: Linux reached %s in %.1f s\n", LINUX_MARKER,
            run.match_seconds);
    free(serial);
    free(debug);
    boot_rig_fini(&rig);
}
END_TEST

TEST_SUITE(boot_kernel)
{
    Suite *s = suite_create("boot_kernel");
    TCase *mb = tcase_create("multiboot");
    TCase *lx = tcase_create("linux");
    const char *t = getenv("EMU_KBOOT_TIMEOUT");

    tcase_set_timeout(mb, 60);
    tcase_add_test(mb, test_boot_kernel_multiboot_aout);
    tcase_add_test(mb, test_boot_kernel_multiboot_elf);
    tcase_add_test(mb, test_boot_kernel_refuses_bad_input);
    suite_add_tcase(s, mb);
    tcase_set_timeout(lx, (t ? atof(t) : LINUX_TIMEOUT) + 60);
    tcase_add_test(lx, test_boot_kernel_linux);
    suite_add_tcase(s, lx);
    return s;
}
