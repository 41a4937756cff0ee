/* test_boot_signal.c — SIGTERM, SIGINT and SIGHUP end emu promptly.
 *
 * The guest is tests/guests/resets.asm with method 5 (spins forever: the
 * CPU is always busy) or 6 (cli; hlt: the CPU idles with no timer armed).
 * When it has said so on port 0xe9 the rig sends the signal; emu must exit
 * within a second with status 128 + the signal, in both clock modes.
 *
 * The last case is the one reported from a terminal: `timeout 1 emu ...`
 * run from an interactive shell puts emu in a background process group of
 * the terminal, where changing the terminal's modes stops the process
 * (SIGTTOU) — before and after timeout's SIGTERM. It runs `sh -c 'timeout
 * ...'` on a new pty (as a script run from a terminal does: timeout moves
 * itself out of the foreground process group) and wants timeout to end by
 * SIGTERM alone (status 124).
 */
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "unit/boot_rig.h"

#define METHOD_MARK "EMU-RESET-METHOD:"
enum { GUEST_SPIN = 5, GUEST_HALT = 6 };
#define PROMPT_S 1.0

static void check_signal(int guest, int sig, bool icount)
{
    BootRig rig;
    BootRun run;
    const char *args[16];
    int n = 0;

    boot_rig_init(&rig);
    args[n++] = "-bios";
    args[n++] = boot_rig_patch(&rig, "tests/guests/resets.bin", METHOD_MARK, guest, "rom.bin");
    args[n++] = "-display";
    args[n++] = "none";
    args[n++] = "-serial";
    args[n++] = "null";
    args[n++] = "-debugcon";
    args[n++] = boot_rig_arg(&rig, "file:%s", boot_rig_path(&rig, "debugcon"));
    if (icount) {
        args[n++] = "-icount";
        args[n++] = "0";
    }
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .args = args, .timeout = 10, .watch = "debugcon",
                                      .until = guest == GUEST_SPIN ? "# spinning" : "# halted",
                                      .signal = sig });
    ck_assert_msg(run.matched, "the guest did not start");
    ck_assert_msg(!run.timed_out, "emu ignored signal %d", sig);
    ck_assert_int_eq(run.status, 128 + sig);
    ck_assert_msg(run.seconds - run.match_seconds < PROMPT_S, "signal %d took %.2f s", sig,
                  run.seconds - run.match_seconds);
    boot_rig_fini(&rig);
}

START_TEST(test_boot_signal_term_busy) { check_signal(GUEST_SPIN, SIGTERM, false); }
END_TEST
START_TEST(test_boot_signal_int_busy_icount) { check_signal(GUEST_SPIN, SIGINT, true); }
END_TEST
START_TEST(test_boot_signal_hup_halted) { check_signal(GUEST_HALT, SIGHUP, false); }
END_TEST
START_TEST(test_boot_signal_term_halted_icount) { check_signal(GUEST_HALT, SIGTERM, true); }
END_TEST

START_TEST(test_boot_signal_timeout_on_terminal)
{
    BootRig rig;
    BootRun run;
    const char *args[16];
    int n = 0;

    boot_rig_init(&rig);
    /* Not a job-control shell: timeout's setpgid() leaves the foreground. */
    args[n++] = "-c";
    args[n++] = "timeout -k 3 1 \"$@\"; exit $?";
    args[n++] = "sh";
    args[n++] = boot_rig_arg(&rig, "%s", test_build_path("emu"));    /* static buffer */
    args[n++] = "-bios";
    args[n++] = boot_rig_patch(&rig, "tests/guests/resets.bin", METHOD_MARK, GUEST_SPIN,
                               "rom.bin");
    args[n++] = "-display";
    args[n++] = "none";
    args[n] = NULL;
    run = boot_run(&rig, &(BootSpec){ .prog = "sh", .args = args, .timeout = 10,
                                      .on_pty = true });
    ck_assert_msg(!run.timed_out, "timeout(1) itself hung");
    ck_assert_msg(run.status == 124, "timeout exit status %d (137: emu needed SIGKILL; it "
                  "stops on SIGTTOU/SIGTTIN when it sets up or reads a terminal it is not the "
                  "foreground job of: see src/ui/chardev.c tty_acquire)", run.status);
    ck_assert_msg(run.seconds < 1 + PROMPT_S, "took %.2f s", run.seconds);
    boot_rig_fini(&rig);
}
END_TEST

TEST_SUITE(boot_signal)
{
    Suite *s = suite_create("boot_signal");
    TCase *tc = tcase_create("signal");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_boot_signal_term_busy);
    tcase_add_test(tc, test_boot_signal_int_busy_icount);
    tcase_add_test(tc, test_boot_signal_hup_halted);
    tcase_add_test(tc, test_boot_signal_term_halted_icount);
    tcase_add_test(tc, test_boot_signal_timeout_on_terminal);
    suite_add_tcase(s, tc);
    return s;
}
