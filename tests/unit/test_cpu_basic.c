/* test_cpu_basic.c — the translation pipeline end to end on small real-mode
 * programs: decode, IR, optimiser, backend, block chaining, exact counts.
 * Every test runs under each backend (cpu_backends.h). */
#include "unit/testlib.h"
#include "unit/cpu_harness.h"

/* nasm, org 0x7c00:
 *   mov ax,0x1234 / add ax,0x0101 / mov bx,ax / sub bx,0x35 / cmp bx,0x1300 / jne fail
 *   mov cx,5 / xor dx,dx / .l: add dx,cx / dec cx / jnz .l
 *   mov si,0x500 / mov [si],dx / mov di,[0x500] / push di / pop bp / call sub1
 *   mov al,0x42 / out 0x80,al / hlt
 *   fail: mov ax,0xdead / hlt
 *   sub1: inc bp / ret */
static const uint8_t prog_basic[] = {
    0xb8, 0x34, 0x12, 0x05, 0x01, 0x01, 0x89, 0xc3, 0x83, 0xeb, 0x35, 0x81,
    0xfb, 0x00, 0x13, 0x75, 0x1d, 0xb9, 0x05, 0x00, 0x31, 0xd2, 0x01, 0xca,
    0x49, 0x75, 0xfb, 0xbe, 0x00, 0x05, 0x89, 0x14, 0x8b, 0x3e, 0x00, 0x05,
    0x57, 0x5d, 0xe8, 0x09, 0x00, 0xb0, 0x42, 0xe6, 0x80, 0xf4, 0xb8, 0xad,
    0xde, 0xf4, 0x45, 0xc3,
};

static void check_basic(CpuBackendKind backend)
{
    CpuHarness *h = harness_new(backend, 1 << 20);
    uint64_t n;
    harness_load(h, 0x7c00, prog_basic, sizeof(prog_basic));
    harness_real_mode(h, 0, 0x7c00);
    n = harness_run(h, 10000);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(harness_reg(h, CPU_EAX) & 0xffff, 0x1342);   /* AL = 0x42 */
    ck_assert_uint_eq(harness_reg(h, CPU_EBX) & 0xffff, 0x1300);
    ck_assert_uint_eq(harness_reg(h, CPU_ECX) & 0xffff, 0);
    ck_assert_uint_eq(harness_reg(h, CPU_EDX) & 0xffff, 15);       /* 5+4+3+2+1 */
    ck_assert_uint_eq(harness_reg(h, CPU_EDI) & 0xffff, 15);
    ck_assert_uint_eq(harness_reg(h, CPU_EBP) & 0xffff, 16);
    ck_assert_uint_eq(harness_reg(h, CPU_ESP), 0x7000);
    ck_assert_uint_eq(harness_eip(h), 0x7c2e);                     /* after the first hlt */
    ck_assert_int_eq(h->npost, 1);
    ck_assert_uint_eq(h->post[0], 0x42);
    /* 6 + 2 + 5 loops * 3 + 5 + call/inc/ret 3 + 3 (mov, out, hlt) = 34 */
    ck_assert_uint_eq(n, 34);
    harness_free(h);
}

START_TEST(test_cpu_basic_program) { check_basic(cpu_test_backend(_i)); }
END_TEST

START_TEST(test_cpu_basic_exact_budget)
{
    /* Stopping after every single instruction gives the same end state. */
    CpuHarness *h = harness_new(cpu_test_backend(_i), 1 << 20);
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

TEST_SUITE(cpu_basic)
{
    Suite *s = suite_create("cpu_basic");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        CPU_TEST(tc, test_cpu_basic_program, b);
        CPU_TEST(tc, test_cpu_basic_exact_budget, b);
    }
    return s;
}
