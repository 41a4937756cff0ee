/* test_boot_reset.c — machine resets, power-off and POST codes, end to end.
 *
 * The guest is the ROM tests/guests/resets.asm run with -bios; the test
 * patches the method byte after "EMU-RESET-METHOD:" (see the .asm for the
 * list). On its first boot it writes POST code 0xA1 to port 0x80 and
 * resets the machine one way; after the reset it writes 0xA2, checks the
 * reset state and exits through isa-debug-exit with PASS (status 1).
 * With -no-reboot a reset ends emu with status 0 instead; ACPI S5 ends it
 * with status 0 in any case (QEMU's behaviour, which scripts rely on).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

enum { BY_KBC, BY_PORT92, BY_CF9, BY_TRIPLE_FAULT, BY_ACPI_S5 };
static const char *const method_names[] = { "kbc", "port92", "cf9", "triple fault", "S5" };

#define METHOD_MARK "EMU-RESET-METHOD:"

typedef struct ResetRun {
    BootRun run;
    char *debug;        /* port 0xe9 */
    char *log;          /* -d post,reset */
} ResetRun;

static ResetRun run_method_opts(BootRig *rig, int method, bool no_reboot, const char *extra,
                               int timeout)
{
    const char *args[20];
    ResetRun r;
    int n = 0;

    args[n++] = "-bios";
    args[n++] = boot_rig_patch(rig, "tests/guests/resets.bin", METHOD_MARK, method, "rom.bin");
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = "null";
    args[n++] = "-icount";
    args[n++] = "1";
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(rig, "file:%s", boot_rig_path(rig, "debugcon"));
    args[n++] = "-d";
    args[n++] = "post,reset";
    args[n++] = "-D";
    args[n++] = boot_rig_path(rig, "log");
    if (no_reboot)
        args[n++] = "-no-reboot";
    if (extra)
        args[n++] = extra;
    args[n] = NULL;
    r.run = boot_run(rig, &(BootSpec){ .args = args, .timeout = timeout });
    r.debug = boot_rig_read(rig, "debugcon");
    r.log = boot_rig_read(rig, "log");
    return r;
}

static ResetRun run_method(BootRig *rig, int method, bool no_reboot)
{
    ResetRun r = run_method_opts(rig, method, no_reboot, NULL, 10);
    ck_assert_msg(!r.run.timed_out, "%s: emu still running after 10 s", method_names[method]);
    return r;
}

static void free_run(ResetRun *r)
{
    free(r->debug);
    free(r->log);
}

/* `first` occurs in s, and `then` after it. */
static bool in_order(const char *s, const char *first, const char *then)
{
    const char *a = strstr(s, first);
    return a && strstr(a + strlen(first), then);
}

static void check_reset(int method)
{
    BootRig rig;
    ResetRun r;
    char want[32];

    boot_rig_init(&rig);
    r = run_method(&rig, method, false);
    snprintf(want, sizeof(want), "# method %d\n", method);
    ck_assert_msg(strstr(r.debug, want) != NULL, "%s: the guest did not start", method_names[method]);
    ck_assert_msg(strstr(r.debug, "ok 1 - back at the reset vector") != NULL,
                  "%s: no reset:\n%s", method_names[method], r.debug);
    ck_assert_msg(strstr(r.debug, "not ok") == NULL, "%s:\n%s", method_names[method], r.debug);
    ck_assert_msg(strstr(r.debug, "PASS\n") != NULL, "%s: no PASS", method_names[method]);
    ck_assert_int_eq(r.run.status, 1);
    /* -d post logs port 0x80; the reset comes between the two codes. */
    ck_assert_msg(in_order(r.log, "POST: 0xa1\n", "machine reset") &&
                  in_order(strstr(r.log, "POST: 0xa1\n"), "machine reset", "POST: 0xa2\n"),
                  "%s: log:\n%s", method_names[method], r.log);
    free_run(&r);

    r = run_method(&rig, method, true);
    ck_assert_msg(r.run.status == 0, "%s with -no-reboot: exit status %d",
                  method_names[method], r.run.status);
    ck_assert_ptr_nonnull(strstr(r.debug, want));
    ck_assert_ptr_null(strstr(r.debug, "ok 1"));
    ck_assert_ptr_null(strstr(r.log, "POST: 0xa2"));
    free_run(&r);
    boot_rig_fini(&rig);
}

START_TEST(test_boot_reset_kbc) { check_reset(BY_KBC); }
END_TEST
START_TEST(test_boot_reset_port92) { check_reset(BY_PORT92); }
END_TEST
START_TEST(test_boot_reset_cf9) { check_reset(BY_CF9); }
END_TEST
START_TEST(test_boot_reset_triple_fault) { check_reset(BY_TRIPLE_FAULT); }
END_TEST

START_TEST(test_boot_reset_acpi_s5_powers_off)
{
    BootRig rig;
    ResetRun r;

    boot_rig_init(&rig);
    r = run_method(&rig, BY_ACPI_S5, false);
    ck_assert_msg(strstr(r.debug, "# S5\n") != NULL, "the guest did not reach S5:\n%s", r.debug);
    ck_assert_msg(strstr(r.debug, "not ok") == NULL, "still running after S5:\n%s", r.debug);
    ck_assert_int_eq(r.run.status, 0);
    ck_assert_ptr_nonnull(strstr(r.log, "POST: 0xa1\n"));
    ck_assert_ptr_null(strstr(r.log, "POST: 0xa2"));
    free_run(&r);
    boot_rig_fini(&rig);
}
END_TEST

/* -no-shutdown: the guest's power-off stops emulation but emu stays (until
 * the rig's timeout kills it), as QEMU's option does. */
START_TEST(test_boot_reset_no_shutdown_keeps_running)
{
    BootRig rig;
    ResetRun r;

    boot_rig_init(&rig);
    r = run_method_opts(&rig, BY_ACPI_S5, false, "-no-shutdown", 2);
    ck_assert_msg(strstr(r.debug, "# S5\n") != NULL, "the guest did not reach S5:\n%s", r.debug);
    ck_assert_msg(r.run.timed_out, "emu exited (status %d) despite -no-shutdown", r.run.status);
    ck_assert_ptr_null(strstr(r.log, "POST: 0xa2"));   /* the guest did not go on */
    free_run(&r);
    boot_rig_fini(&rig);
}
END_TEST

TEST_SUITE(boot_reset)
{
    Suite *s = suite_create("boot_reset");
    TCase *tc = tcase_create("reset");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_boot_reset_kbc);
    tcase_add_test(tc, test_boot_reset_port92);
    tcase_add_test(tc, test_boot_reset_cf9);
    tcase_add_test(tc, test_boot_reset_triple_fault);
    tcase_add_test(tc, test_boot_reset_acpi_s5_powers_off);
    tcase_add_test(tc, test_boot_reset_no_shutdown_keeps_running);
    suite_add_tcase(s, tc);
    return s;
}
