/* test_cpu_sse.c — SSE/SSE2 floating-point instructions against the host
 * CPU on random states: arithmetic, compares, conversions and the FP-typed
 * moves and logic, every prefix form, register and memory sources, all
 * rounding modes with DAZ/FZ, NaNs, denormals and infinities, and with
 * random exception masks (#XM: flags and the untouched destination).
 * Every test runs under each backend (cpu_backends.h). */
#include "unit/testlib.h"
#include "unit/test_cpu_sse_rig.h"

#define NCASES 1000

enum { REG = 0xca, MEM = 0x08 };     /* xmm1, xmm2 (or mm/r32 by opcode) ; xmm1, [eax] */
static const uint8_t pfx_of[4] = { 0, 0x66, 0xf3, 0xf2 };
static const uint8_t kind_of[4] = { RIG_F32, RIG_F64, RIG_F32, RIG_F64 };

static RigCase mk(const char *name, int pfx, uint8_t op, uint8_t modrm, int imm, uint8_t kinds)
{
    RigCase c = { .name = name, .kinds = kinds };
    if (pfx)
        c.bytes[c.len++] = (uint8_t)pfx;
    c.bytes[c.len++] = 0x0f;
    c.bytes[c.len++] = op;
    c.bytes[c.len++] = modrm;
    if (imm >= 0)
        c.bytes[c.len++] = (uint8_t)imm;
    return c;
}

/* ADD MUL SUB MIN DIV MAX SQRT in their PS, PD, SS, SD forms */
static size_t arith_cases(RigCase *c, bool unmask)
{
    static const struct { const char *name[4]; uint8_t op; } ops[] = {
        { { "addps", "addpd", "addss", "addsd" }, 0x58 },
        { { "mulps", "mulpd", "mulss", "mulsd" }, 0x59 },
        { { "subps", "subpd", "subss", "subsd" }, 0x5c },
        { { "minps", "minpd", "minss", "minsd" }, 0x5d },
        { { "divps", "divpd", "divss", "divsd" }, 0x5e },
        { { "maxps", "maxpd", "maxss", "maxsd" }, 0x5f },
        { { "sqrtps", "sqrtpd", "sqrtss", "sqrtsd" }, 0x51 },
    };
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(ops); i++)
        for (int p = 0; p < 4; p++) {
            c[n++] = mk(ops[i].name[p], pfx_of[p], ops[i].op, REG, -1, kind_of[p]);
            c[n++] = mk(ops[i].name[p], pfx_of[p], ops[i].op, MEM, -1, kind_of[p]);
        }
    for (size_t i = 0; i < n; i++)
        c[i].unmask = unmask;
    return n;
}

static long run(int b, const RigCase *c, size_t n, int per, uint64_t seed)
{
    Rig *r = rig_new(cpu_test_backend(b));
    long fails = rig_diff(r, c, n, per, seed);
    rig_free(r);
    return fails;
}

START_TEST(test_cpu_sse_arith_vs_host)
{
    RigCase c[64];
    ck_assert_int_eq(run(_i, c, arith_cases(c, false), NCASES, 11), 0);
}
END_TEST

START_TEST(test_cpu_sse_arith_unmasked_vs_host)
{
    RigCase c[64];
    ck_assert_int_eq(run(_i, c, arith_cases(c, true), NCASES, 12), 0);
}
END_TEST

START_TEST(test_cpu_sse_rcp_rsqrt_vs_host)
{
    RigCase c[] = {
        mk("rcpps", 0, 0x53, REG, -1, RIG_F32), mk("rcpps", 0, 0x53, MEM, -1, RIG_F32),
        mk("rcpss", 0xf3, 0x53, REG, -1, RIG_F32), mk("rcpss", 0xf3, 0x53, MEM, -1, RIG_F32),
        mk("rsqrtps", 0, 0x52, REG, -1, RIG_F32), mk("rsqrtps", 0, 0x52, MEM, -1, RIG_F32),
        mk("rsqrtss", 0xf3, 0x52, REG, -1, RIG_F32), mk("rsqrtss", 0xf3, 0x52, MEM, -1, RIG_F32),
    };
    for (size_t i = 0; i < ARRAY_SIZE(c); i++)
        c[i].approx = true;
    ck_assert_int_eq(run(_i, c, ARRAY_SIZE(c), NCASES, 13), 0);
}
END_TEST

/* CMPccPS/PD/SS/SD with every legacy predicate, COMIS/UCOMIS */
START_TEST(test_cpu_sse_compare_vs_host)
{
    static const char *const cmp[4] = { "cmpps", "cmppd", "cmpss", "cmpsd" };
    static const char *const comi[4] = { "comiss", "comisd", "ucomiss", "ucomisd" };
    RigCase c[80];
    size_t n = 0;
    for (int p = 0; p < 4; p++)
        for (int imm = 0; imm < 8; imm++)
            c[n++] = mk(cmp[p], pfx_of[p], 0xc2, imm & 1 ? MEM : REG, imm, kind_of[p]);
    for (int p = 0; p < 2; p++) {
        c[n++] = mk(comi[p], pfx_of[p], 0x2f, REG, -1, kind_of[p]);
        c[n++] = mk(comi[p], pfx_of[p], 0x2f, MEM, -1, kind_of[p]);
        c[n++] = mk(comi[p + 2], pfx_of[p], 0x2e, REG, -1, kind_of[p]);
        c[n++] = mk(comi[p + 2], pfx_of[p], 0x2e, MEM, -1, kind_of[p]);
    }
    for (size_t i = 0; i < n; i++)
        c[i].unmask = i & 1;
    ck_assert_int_eq(run(_i, c, n, 300, 14), 0);
}
END_TEST

/* All the CVT forms: XMM, MMX (mm2 / mm1), general register (edx / ecx)
 * and memory operands. */
START_TEST(test_cpu_sse_convert_vs_host)
{
    static const struct { const char *name; uint8_t pfx, op, kinds; bool mem; } cv[] = {
        { "cvtpi2ps", 0, 0x2a, RIG_INT, true }, { "cvtpi2pd", 0x66, 0x2a, RIG_INT, true },
        { "cvtsi2ss", 0xf3, 0x2a, RIG_INT, true }, { "cvtsi2sd", 0xf2, 0x2a, RIG_INT, true },
        { "cvttps2pi", 0, 0x2c, RIG_F32, true }, { "cvttpd2pi", 0x66, 0x2c, RIG_F64, true },
        { "cvttss2si", 0xf3, 0x2c, RIG_F32, true }, { "cvttsd2si", 0xf2, 0x2c, RIG_F64, true },
        { "cvtps2pi", 0, 0x2d, RIG_F32, true }, { "cvtpd2pi", 0x66, 0x2d, RIG_F64, true },
        { "cvtss2si", 0xf3, 0x2d, RIG_F32, true }, { "cvtsd2si", 0xf2, 0x2d, RIG_F64, true },
        { "cvtps2pd", 0, 0x5a, RIG_F32, true }, { "cvtpd2ps", 0x66, 0x5a, RIG_F64, true },
        { "cvtss2sd", 0xf3, 0x5a, RIG_F32, true }, { "cvtsd2ss", 0xf2, 0x5a, RIG_F64, true },
        { "cvtdq2ps", 0, 0x5b, RIG_INT, true }, { "cvtps2dq", 0x66, 0x5b, RIG_F32, true },
        { "cvttps2dq", 0xf3, 0x5b, RIG_F32, true }, { "cvttpd2dq", 0x66, 0xe6, RIG_F64, true },
        { "cvtdq2pd", 0xf3, 0xe6, RIG_INT, true }, { "cvtpd2dq", 0xf2, 0xe6, RIG_F64, true },
    };
    RigCase c[2 * ARRAY_SIZE(cv) * 2];
    size_t n = 0;
    for (int unmask = 0; unmask < 2; unmask++)
        for (size_t i = 0; i < ARRAY_SIZE(cv); i++) {
            c[n] = mk(cv[i].name, cv[i].pfx, cv[i].op, REG, -1, cv[i].kinds);
            c[n++].unmask = unmask;
            c[n] = mk(cv[i].name, cv[i].pfx, cv[i].op, MEM, -1, cv[i].kinds);
            c[n++].unmask = unmask;
        }
    ck_assert_int_eq(run(_i, c, n, 400, 15), 0);
}
END_TEST

/* Moves, logic, unpacks, shuffles, sign masks (no arithmetic: any data). */
START_TEST(test_cpu_sse_moves_vs_host)
{
    static const struct { const char *name; uint8_t pfx, op; uint8_t forms; } mv[] = {
        { "movups", 0, 0x10, 3 }, { "movupd", 0x66, 0x10, 3 }, { "movss", 0xf3, 0x10, 3 },
        { "movsd", 0xf2, 0x10, 3 }, { "movups st", 0, 0x11, 3 }, { "movupd st", 0x66, 0x11, 3 },
        { "movss st", 0xf3, 0x11, 3 }, { "movsd st", 0xf2, 0x11, 3 },
        { "movlps/movhlps", 0, 0x12, 3 }, { "movlpd", 0x66, 0x12, 2 },
        { "movlps st", 0, 0x13, 2 }, { "movlpd st", 0x66, 0x13, 2 },
        { "unpcklps", 0, 0x14, 3 }, { "unpcklpd", 0x66, 0x14, 3 },
        { "unpckhps", 0, 0x15, 3 }, { "unpckhpd", 0x66, 0x15, 3 },
        { "movhps/movlhps", 0, 0x16, 3 }, { "movhpd", 0x66, 0x16, 2 },
        { "movhps st", 0, 0x17, 2 }, { "movhpd st", 0x66, 0x17, 2 },
        { "movaps", 0, 0x28, 3 }, { "movapd", 0x66, 0x28, 3 },
        { "movaps st", 0, 0x29, 3 }, { "movapd st", 0x66, 0x29, 3 },
        { "movntps", 0, 0x2b, 2 }, { "movntpd", 0x66, 0x2b, 2 },
        { "movmskps", 0, 0x50, 1 }, { "movmskpd", 0x66, 0x50, 1 },
        { "andps", 0, 0x54, 3 }, { "andpd", 0x66, 0x54, 3 }, { "andnps", 0, 0x55, 3 },
        { "andnpd", 0x66, 0x55, 3 }, { "orps", 0, 0x56, 3 }, { "orpd", 0x66, 0x56, 3 },
        { "xorps", 0, 0x57, 3 }, { "xorpd", 0x66, 0x57, 3 },
    };
    static const int shuf[] = { 0x00, 0x1b, 0xe4, 0x4e, 0xb1, 0xff, 0x02, 0x01 };
    RigCase c[2 * ARRAY_SIZE(mv) + 2 * ARRAY_SIZE(shuf)];
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(mv); i++) {
        if (mv[i].forms & 1)
            c[n++] = mk(mv[i].name, mv[i].pfx, mv[i].op, REG, -1, RIG_ANY);
        if (mv[i].forms & 2)
            c[n++] = mk(mv[i].name, mv[i].pfx, mv[i].op, MEM, -1, RIG_ANY);
    }
    for (size_t i = 0; i < ARRAY_SIZE(shuf); i++) {
        c[n++] = mk("shufps", 0, 0xc6, i & 1 ? MEM : REG, shuf[i], RIG_ANY);
        c[n++] = mk("shufpd", 0x66, 0xc6, i & 1 ? REG : MEM, shuf[i], RIG_ANY);
    }
    ck_assert_int_eq(run(_i, c, n, 200, 16), 0);
}
END_TEST

/* -- SDM-derived values ---------------------------------------------------------------- */

/* xmm1 = a, xmm2 = b (low quadwords), MXCSR mx; runs code; returns xmm1.q[0]. */
static uint64_t sse2(Rig *r, const uint8_t *code, size_t len, uint64_t a, uint64_t b,
                     uint32_t *mx, int *vec)
{
    SimdState st;
    memset(&st, 0, sizeof(st));
    st16(st.fx, 0x037f);
    fx_set_mxcsr(&st, *mx);
    st64(fx_xmm(&st, 1), a);
    st64(fx_xmm(&st, 2), b);
    *vec = rig_guest(r, code, len, 1, &st);
    *mx = fx_mxcsr(&st);
    return ld64(fx_xmm(&st, 1));
}

START_TEST(test_cpu_sse_sdm_values)
{
    static const uint8_t addss[] = { 0xf3, 0x0f, 0x58, 0xca }, divsd[] = { 0xf2, 0x0f, 0x5e, 0xca };
    static const uint8_t cvtss2si[] = { 0xf3, 0x0f, 0x2d, 0xca };
    Rig *r = rig_new(cpu_test_backend(_i));
    uint32_t mx = 0x1f80;
    int vec;
    /* 1.0f + 2.0f = 3.0f; the upper float of xmm1 is kept */
    ck_assert_uint_eq(sse2(r, addss, 4, 0x123456783f800000ull, 0x40000000, &mx, &vec),
                      0x1234567840400000ull);
    ck_assert_int_eq(vec, -1);
    ck_assert_uint_eq(mx, 0x1f80);
    /* 1.0 / 0.0 masked: +inf and ZE (bit 2) */
    ck_assert_uint_eq(sse2(r, divsd, 4, 0x3ff0000000000000ull, 0, &mx, &vec),
                      0x7ff0000000000000ull);
    ck_assert_uint_eq(mx, 0x1f84);
    /* ZE unmasked: #XM (19), xmm1 unchanged, ZE set */
    mx = 0x1f80 & ~0x200;
    ck_assert_uint_eq(sse2(r, divsd, 4, 0x3ff0000000000000ull, 0, &mx, &vec),
                      0x3ff0000000000000ull);
    ck_assert_int_eq(vec, 19);
    ck_assert_uint_eq(mx, 0x1d84);
    /* 0 * inf in ADDSS? no: inf + -inf is invalid: default QNaN FFC00000h, IE */
    mx = 0x1f80;
    ck_assert_uint_eq(sse2(r, addss, 4, 0x7f800000, 0xff800000, &mx, &vec) & 0xffffffff,
                      0xffc00000);
    ck_assert_uint_eq(mx, 0x1f81);
    /* CVTSS2SI of 2.5 rounds to even (2); of 1e10 is the indefinite 80000000h + IE */
    {
        SimdState st;
        memset(&st, 0, sizeof(st));
        fx_set_mxcsr(&st, 0x1f80);
        st32(fx_xmm(&st, 2), 0x40200000);
        ck_assert_int_eq(rig_guest(r, cvtss2si, 4, 1, &st), -1);
        ck_assert_uint_eq(st.ecx, 2);
        st32(fx_xmm(&st, 2), 0x501502f9);
        fx_set_mxcsr(&st, 0x1f80);
        ck_assert_int_eq(rig_guest(r, cvtss2si, 4, 1, &st), -1);
        ck_assert_uint_eq(st.ecx, 0x80000000u);
        ck_assert_uint_eq(fx_mxcsr(&st), 0x1f81);
    }
    rig_free(r);
}
END_TEST

TEST_SUITE(cpu_sse)
{
    Suite *s = suite_create("cpu_sse");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 60);
        CPU_TEST(tc, test_cpu_sse_sdm_values, b);
        if (!SF_HAVE_HOST)
            continue;
        CPU_TEST(tc, test_cpu_sse_arith_vs_host, b);
        CPU_TEST(tc, test_cpu_sse_arith_unmasked_vs_host, b);
        CPU_TEST(tc, test_cpu_sse_rcp_rsqrt_vs_host, b);
        CPU_TEST(tc, test_cpu_sse_compare_vs_host, b);
        CPU_TEST(tc, test_cpu_sse_convert_vs_host, b);
        CPU_TEST(tc, test_cpu_sse_moves_vs_host, b);
    }
    return s;
}
