/* test_cpu_modes.c — the ROM mode tests (tests/guests/ *.asm, see their
 * README) on the bare CPU (cpu_rom_rig.h), under each backend: real mode,
 * protected mode, paging, tasks, virtual-8086 mode and external interrupts.
 * A program passes when it exits with status 1 ((0 << 1) | 1) after a
 * "PASS" line; on failure the test prints what the guest wrote
 * (EMU_MODES_VERBOSE=1: always).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "unit/cpu_rom_rig.h"

static void run_image(int b, const char *image, bool devices, uint64_t max_insns)
{
    char rel[128];
    RomRig *r;
    bool pass_line;

    snprintf(rel, sizeof(rel), "tests/guests/%s", image);
    r = romrig_new(cpu_test_backend(b), test_build_path(rel), devices ? ROMRIG_DEVICES : 0);
    ck_assert_msg(r != NULL, "cannot open %s (run make guests)", test_build_path(rel));
    romrig_run(r, max_insns);
    r->out[r->nout] = 0;
    pass_line = strstr(r->out, "\nPASS\n") != NULL || strncmp(r->out, "PASS\n", 5) == 0;
    if (r->status != 1 || !pass_line || strstr(r->out, "not ok") || getenv("EMU_MODES_VERBOSE"))
        fprintf(stderr, "--- %s on %s (exit status %d, %llu instructions) ---\n%s---\n", image,
                cpu_test_backend_name(b), r->status, (unsigned long long)cpu_icount(r->cpu),
                r->out);
    ck_assert_msg(r->status == 1, "%s: exit status %d, want 1 (PASS)", image, r->status);
    ck_assert_msg(pass_line, "%s: no PASS line", image);
    romrig_free(r);
}

START_TEST(test_cpu_modes_realmode) { run_image(_i, "realmode.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_pmode) { run_image(_i, "pmode.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_paging) { run_image(_i, "paging.bin", false, 20000000); }
END_TEST
START_TEST(test_cpu_modes_tasks) { run_image(_i, "tasks.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_v86) { run_image(_i, "v86.bin", false, 20000000); }
END_TEST
START_TEST(test_cpu_modes_interrupts) { run_image(_i, "interrupts.bin", true, 400000000); }
END_TEST

TEST_SUITE(cpu_modes)
{
    Suite *s = suite_create("cpu_modes");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 120);
        CPU_TEST(tc, test_cpu_modes_realmode, b);
        CPU_TEST(tc, test_cpu_modes_pmode, b);
        CPU_TEST(tc, test_cpu_modes_paging, b);
        CPU_TEST(tc, test_cpu_modes_tasks, b);
        CPU_TEST(tc, test_cpu_modes_v86, b);
        CPU_TEST(tc, test_cpu_modes_interrupts, b);
    }
    return s;
}
