/* cpu_backends.h — the backends every CPU suite runs under: the IR
 * interpreter (the reference) and the host's JIT.
 *
 * A CPU suite has one test case (TCase) per backend, named after it, so a
 * failure names its backend ("cpu_sys:jit:test_cpu_sys_...") and
 * CK_RUN_CASE=jit runs the JIT half of every CPU suite. A test reads its
 * backend off its loop index: CPU_TEST(tc, fn, b) adds fn with _i = b.
 *
 *   START_TEST(test_x_y) { CpuHarness *h = harness_new(cpu_test_backend(_i), 1 << 20); ... }
 *   TEST_SUITE(x)
 *   {
 *       Suite *s = suite_create("x");
 *       for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
 *           TCase *tc = cpu_tcase(s, b);
 *           if (!tc)
 *               continue;                   // this host has no such backend
 *           CPU_TEST(tc, test_x_y, b);
 *       }
 *       return s;
 *   }
 *
 * A loop test over n cases per backend takes _i in [b * n, (b + 1) * n):
 * tcase_add_loop_test(tc, fn, b * n, (b + 1) * n), backend _i / n.
 * On a host without a JIT (EMU_HAVE_JIT undefined) the "jit" case holds one
 * test that says so and passes. Rigs call cpu_test_check_backend() on the
 * CPU they make, so a "jit" case can never silently run the interpreter.
 */
#ifndef EMU_TESTS_CPU_BACKENDS_H
#define EMU_TESTS_CPU_BACKENDS_H

#include <check.h>
#include "cpu/cpu.h"

enum { CPU_TEST_INTERP, CPU_TEST_JIT, CPU_TEST_NBACKENDS };

/* Backend b (CPU_TEST_INTERP or CPU_TEST_JIT) and its case name. */
CpuBackendKind cpu_test_backend(int b);
const char *cpu_test_backend_name(int b);
/* "interp" or "jit" for a backend kind (for messages). */
const char *cpu_backend_kind_name(CpuBackendKind kind);
/* A TCase named after backend b, added to s; NULL when the host lacks the
 * backend (s then gets a case of that name whose one test says why). */
TCase *cpu_tcase(Suite *s, int b);
/* Fails the test if cpu does not run on the backend that was asked for. */
void cpu_test_check_backend(Cpu *cpu, CpuBackendKind asked);

#define CPU_TEST(tc, fn, b) tcase_add_loop_test(tc, fn, b, (b) + 1)

#endif
