/* test_jit_cpu.c — the x86-64 JIT running real guest code on the CPU
 * harness, against the values the programs must produce and against the
 * interpreter (final registers, EIP, EFLAGS, instruction count).
 *
 * EMU_JIT_BENCH=N also times a loop-heavy program (N outer iterations) under
 * both backends and prints the rates; it asserts nothing about speed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "config.h"
#include "unit/testlib.h"
#include "unit/cpu_harness.h"
#include "cpu/state.h"

#ifdef EMU_HAVE_JIT

/* test_cpu_basic.c's program (see there for the source). */
static const uint8_t prog_basic[] = {
    0xb8, 0x34, 0x12, 0x05, 0x01, 0x01, 0x89, 0xc3, 0x83, 0xeb, 0x35, 0x81,
    0xfb, 0x00, 0x13, 0x75, 0x1d, 0xb9, 0x05, 0x00, 0x31, 0xd2, 0x01, 0xca,
    0x49, 0x75, 0xfb, 0xbe, 0x00, 0x05, 0x89, 0x14, 0x8b, 0x3e, 0x00, 0x05,
    0x57, 0x5d, 0xe8, 0x09, 0x00, 0xb0, 0x42, 0xe6, 0x80, 0xf4, 0xb8, 0xad,
    0xde, 0xf4, 0x45, 0xc3,
};

/* nasm, bits 16, org 0x7c00: nested loops over memory.
 *   mov dx, N / outer: mov si, 0x1000 / mov cx, 256 / xor ax, ax
 *   inner: add ax, [si] / xor [si], ax / rol ax, 3 / add si, 2 / dec cx / jnz inner
 *   dec dx / jnz outer / mov bx, ax / hlt */
static const uint8_t prog_loop[] = {
    0xba, 0x00, 0x00,                           /* mov dx, N (patched) */
    0xbe, 0x00, 0x10,                           /* outer: mov si, 0x1000 */
    0xb9, 0x00, 0x01,                           /* mov cx, 256 */
    0x31, 0xc0,                                 /* xor ax, ax */
    0x03, 0x04,                                 /* inner: add ax, [si] */
    0x31, 0x04,                                 /* xor [si], ax */
    0xc1, 0xc0, 0x03,                           /* rol ax, 3 */
    0x83, 0xc6, 0x02,                           /* add si, 2 */
    0x49,                                       /* dec cx */
    0x75, 0xf3,                                 /* jnz inner */
    0x4a,                                       /* dec dx */
    0x75, 0xe7,                                 /* jnz outer */
    0x89, 0xc3,                                 /* mov bx, ax */
    0xf4,                                       /* hlt */
};

typedef struct RunResult {
    CpuRegs regs;
    uint64_t insns;
    CpuRunResult last;
    uint8_t post[64];
    int npost;
} RunResult;

static void run_prog(CpuBackendKind backend, const uint8_t *code, size_t len, uint64_t max,
                     RunResult *out, CpuHarness **keep)
{
    CpuHarness *h = harness_new(backend, 1 << 20);
    harness_load(h, 0x7c00, code, len);
    harness_real_mode(h, 0, 0x7c00);
    out->insns = harness_run(h, max);
    out->last = h->last;
    cpu_get_regs(h->cpu, &out->regs);
    memcpy(out->post, h->post, sizeof(out->post));
    out->npost = h->npost;
    if (keep)
        *keep = h;
    else
        harness_free(h);
}

static void assert_same(const RunResult *a, const RunResult *b)
{
    for (int r = 0; r < 8; r++)
        ck_assert_msg(a->regs.gpr[r] == b->regs.gpr[r], "reg %d: interp 0x%x, jit 0x%x", r,
                      a->regs.gpr[r], b->regs.gpr[r]);
    ck_assert_uint_eq(a->regs.eip, b->regs.eip);
    ck_assert_uint_eq(a->regs.eflags, b->regs.eflags);
    ck_assert_uint_eq(a->insns, b->insns);
    ck_assert_int_eq(a->last, b->last);
    ck_assert_int_eq(a->npost, b->npost);
    ck_assert_mem_eq(a->post, b->post, sizeof(a->post));
}

START_TEST(test_jit_cpu_basic)
{
    RunResult jit, ref;
    CpuHarness *h;
    run_prog(CPU_BACKEND_JIT, prog_basic, sizeof(prog_basic), 10000, &jit, &h);
    ck_assert_ptr_eq(tb_cache_backend(h->cpu->tbs), &backend_jit);
    harness_free(h);
    ck_assert_int_eq(jit.last, CPU_RUN_HALTED);
    ck_assert_uint_eq(jit.regs.gpr[CPU_EAX] & 0xffff, 0x1342);
    ck_assert_uint_eq(jit.regs.gpr[CPU_EBX] & 0xffff, 0x1300);
    ck_assert_uint_eq(jit.regs.gpr[CPU_ECX] & 0xffff, 0);
    ck_assert_uint_eq(jit.regs.gpr[CPU_EDX] & 0xffff, 15);
    ck_assert_uint_eq(jit.regs.gpr[CPU_EDI] & 0xffff, 15);
    ck_assert_uint_eq(jit.regs.gpr[CPU_EBP] & 0xffff, 16);
    ck_assert_uint_eq(jit.regs.gpr[CPU_ESP], 0x7000);
    ck_assert_uint_eq(jit.regs.eip, 0x7c2e);
    ck_assert_int_eq(jit.npost, 1);
    ck_assert_uint_eq(jit.post[0], 0x42);
    ck_assert_uint_eq(jit.insns, 34);
    run_prog(CPU_BACKEND_INTERP, prog_basic, sizeof(prog_basic), 10000, &ref, NULL);
    assert_same(&ref, &jit);
}
END_TEST

START_TEST(test_jit_cpu_exact_budget)
{
    /* One instruction per cpu_run: blocks are cut to the budget, chained
     * blocks stop at their entry check, and the count stays exact. */
    CpuHarness *h = harness_new(CPU_BACKEND_JIT, 1 << 20);
    uint64_t total = 0;
    harness_load(h, 0x7c00, prog_basic, sizeof(prog_basic));
    harness_real_mode(h, 0, 0x7c00);
    for (int i = 0; i < 100 && h->last != CPU_RUN_HALTED; i++) {
        uint64_t before = cpu_icount(h->cpu);
        h->last = cpu_run(h->cpu, 1);
        ck_assert_uint_le(cpu_icount(h->cpu) - before, 1);
        total += cpu_icount(h->cpu) - before;
    }
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(total, 34);
    ck_assert_uint_eq(harness_reg(h, CPU_EDX) & 0xffff, 15);
    harness_free(h);
}
END_TEST

static void loop_prog(uint8_t *code, uint16_t n)
{
    memcpy(code, prog_loop, sizeof(prog_loop));
    code[1] = (uint8_t)n;
    code[2] = (uint8_t)(n >> 8);
}

START_TEST(test_jit_cpu_loop_matches_interp)
{
    uint8_t code[sizeof(prog_loop)];
    RunResult jit, ref;
    loop_prog(code, 3);
    run_prog(CPU_BACKEND_INTERP, code, sizeof(code), 1000000, &ref, NULL);
    run_prog(CPU_BACKEND_JIT, code, sizeof(code), 1000000, &jit, NULL);
    ck_assert_int_eq(ref.last, CPU_RUN_HALTED);
    /* mov dx; 3 x (3 + 256 x 6 + 2); mov bx, hlt */
    ck_assert_uint_eq(ref.insns, 1 + 3 * (3 + 256 * 6 + 2) + 2);
    assert_same(&ref, &jit);
}
END_TEST

START_TEST(test_jit_cpu_budget_slices)
{
    /* Odd slices end inside blocks and inside chains of linked blocks. */
    uint8_t code[sizeof(prog_loop)];
    RunResult ref;
    CpuHarness *h = harness_new(CPU_BACKEND_JIT, 1 << 20);
    loop_prog(code, 2);
    run_prog(CPU_BACKEND_INTERP, code, sizeof(code), 1000000, &ref, NULL);
    harness_load(h, 0x7c00, code, sizeof(code));
    harness_real_mode(h, 0, 0x7c00);
    for (int i = 0; i < 10000 && h->last != CPU_RUN_HALTED; i++)
        h->last = cpu_run(h->cpu, 1 + (uint64_t)(i * 7) % 53);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(cpu_icount(h->cpu), ref.insns);
    ck_assert_uint_eq(harness_reg(h, CPU_EBX), ref.regs.gpr[CPU_EBX]);
    harness_free(h);
}
END_TEST

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

START_TEST(test_jit_cpu_bench)
{
    const char *env = getenv("EMU_JIT_BENCH");
    uint8_t code[sizeof(prog_loop)];
    static const CpuBackendKind kinds[] = { CPU_BACKEND_INTERP, CPU_BACKEND_JIT };
    int n = env ? atoi(env) : 0;
    if (n <= 0)
        return;
    loop_prog(code, (uint16_t)MIN(n, 65535));
    for (int k = 0; k < 2; k++) {
        RunResult r;
        double t0 = now_s(), t;
        run_prog(kinds[k], code, sizeof(code), ~0ull >> 1, &r, NULL);
        t = now_s() - t0;
        fprintf(stderr, "jit bench: %-6s %llu insns in %.3f s: %.1f M insns/s\n",
                k ? "jit" : "interp", (unsigned long long)r.insns, t, r.insns / t / 1e6);
    }
}
END_TEST

TEST_SUITE(jit_cpu)
{
    Suite *s = suite_create("jit_cpu");
    TCase *tc = tcase_create("cpu");
    tcase_add_test(tc, test_jit_cpu_basic);
    tcase_add_test(tc, test_jit_cpu_exact_budget);
    tcase_add_test(tc, test_jit_cpu_loop_matches_interp);
    tcase_add_test(tc, test_jit_cpu_budget_slices);
    tcase_add_test(tc, test_jit_cpu_bench);
    tcase_set_timeout(tc, 600);
    suite_add_tcase(s, tc);
    return s;
}

#endif
