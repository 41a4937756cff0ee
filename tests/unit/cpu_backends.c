/* cpu_backends.c — see cpu_backends.h. No suite of its own. */
#include <stdio.h>
#include "config.h"
#include "unit/cpu_backends.h"
#include "cpu/state.h"

static const CpuBackendKind kinds[CPU_TEST_NBACKENDS] = { CPU_BACKEND_INTERP, CPU_BACKEND_JIT };
static const char *const names[CPU_TEST_NBACKENDS] = { "interp", "jit" };

CpuBackendKind cpu_test_backend(int b)
{
    ck_assert_msg(b >= 0 && b < CPU_TEST_NBACKENDS, "backend index %d", b);
    return kinds[b];
}

const char *cpu_test_backend_name(int b)
{
    return b >= 0 && b < CPU_TEST_NBACKENDS ? names[b] : "?";
}

const char *cpu_backend_kind_name(CpuBackendKind kind)
{
    return kind == CPU_BACKEND_JIT ? "jit" : kind == CPU_BACKEND_INTERP ? "interp" : "default";
}

START_TEST(test_cpu_backend_jit_missing)
{
    fprintf(stderr, "jit: skipped: this host has no JIT backend (EMU_HAVE_JIT undefined)\n");
}
END_TEST

static bool have_backend(int b)
{
#ifdef EMU_HAVE_JIT
    return true;
#else
    return b != CPU_TEST_JIT;
#endif
}

TCase *cpu_tcase(Suite *s, int b)
{
    TCase *tc = tcase_create(cpu_test_backend_name(b));
    suite_add_tcase(s, tc);
    if (have_backend(b))
        return tc;
    tcase_add_test(tc, test_cpu_backend_jit_missing);
    return NULL;
}

void cpu_test_check_backend(Cpu *cpu, CpuBackendKind asked)
{
    const Backend *be = tb_cache_backend(cpu->tbs);
    if (asked == CPU_BACKEND_INTERP)
        ck_assert_msg(be == &backend_interp, "asked for the interpreter, got %s", be->name);
#ifdef EMU_HAVE_JIT
    if (asked == CPU_BACKEND_JIT)
        ck_assert_msg(be == &backend_jit, "asked for the JIT, got %s", be->name);
#endif
}
