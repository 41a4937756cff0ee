/* test_cpu_mmx.c — MMX and SSE2 integer SIMD instructions: every form
 * (MMX and XMM, register and memory source) against the host CPU on random
 * states, plus values worked out by hand from the SDM's operation sections,
 * and the x87 side effects of MMX instructions (SDM Vol. 1 9.5.1). Every
 * test runs under each backend (cpu_backends.h). */
#include "unit/testlib.h"
#include "unit/test_cpu_sse_rig.h"

#define NCASES 400

/* Ops with the MMX_SSE2 shape: 0F op /r and 66 0F op /r. */
static const struct { const char *name; uint8_t op; } int_ops[] = {
    { "punpcklbw", 0x60 }, { "punpcklwd", 0x61 }, { "punpckldq", 0x62 },
    { "packsswb", 0x63 }, { "pcmpgtb", 0x64 }, { "pcmpgtw", 0x65 }, { "pcmpgtd", 0x66 },
    { "packuswb", 0x67 }, { "punpckhbw", 0x68 }, { "punpckhwd", 0x69 },
    { "punpckhdq", 0x6a }, { "packssdw", 0x6b }, { "pcmpeqb", 0x74 }, { "pcmpeqw", 0x75 },
    { "pcmpeqd", 0x76 }, { "paddq", 0xd4 }, { "pmullw", 0xd5 }, { "psubusb", 0xd8 },
    { "psubusw", 0xd9 }, { "pminub", 0xda }, { "pand", 0xdb }, { "paddusb", 0xdc },
    { "paddusw", 0xdd }, { "pmaxub", 0xde }, { "pandn", 0xdf }, { "pavgb", 0xe0 },
    { "pavgw", 0xe3 }, { "pmulhuw", 0xe4 }, { "pmulhw", 0xe5 }, { "psubsb", 0xe8 },
    { "psubsw", 0xe9 }, { "pminsw", 0xea }, { "por", 0xeb }, { "paddsb", 0xec },
    { "paddsw", 0xed }, { "pmaxsw", 0xee }, { "pxor", 0xef }, { "pmuludq", 0xf4 },
    { "pmaddwd", 0xf5 }, { "psadbw", 0xf6 }, { "psubb", 0xf8 }, { "psubw", 0xf9 },
    { "psubd", 0xfa }, { "psubq", 0xfb }, { "paddb", 0xfc }, { "paddw", 0xfd },
    { "paddd", 0xfe },
};
/* Shifts by a register/memory count. */
static const struct { const char *name; uint8_t op; } shift_ops[] = {
    { "psrlw", 0xd1 }, { "psrld", 0xd2 }, { "psrlq", 0xd3 }, { "psraw", 0xe1 },
    { "psrad", 0xe2 }, { "psllw", 0xf1 }, { "pslld", 0xf2 }, { "psllq", 0xf3 },
};

/* Append prefix? 0F op modrm [imm] */
static RigCase mk(const char *name, int pfx, uint8_t op, uint8_t modrm, int imm)
{
    RigCase c = { .name = name, .kinds = RIG_INT };
    if (pfx)
        c.bytes[c.len++] = (uint8_t)pfx;
    c.bytes[c.len++] = 0x0f;
    c.bytes[c.len++] = op;
    c.bytes[c.len++] = modrm;
    if (imm >= 0)
        c.bytes[c.len++] = (uint8_t)imm;
    return c;
}

enum { REG = 0xca, MEM = 0x08 };   /* (x)mm1, (x)mm2 / edx ; (x)mm1, [eax] */

static long run_cases(CpuBackendKind be, const RigCase *c, size_t n, uint64_t seed)
{
    Rig *r = rig_new(be);
    long fails = rig_diff(r, c, n, NCASES, seed);
    rig_free(r);
    return fails;
}

static size_t binary_cases(RigCase *c)
{
    size_t n = 0;
    for (size_t i = 0; i < ARRAY_SIZE(int_ops); i++) {
        c[n++] = mk(int_ops[i].name, 0, int_ops[i].op, REG, -1);
        c[n++] = mk(int_ops[i].name, 0, int_ops[i].op, MEM, -1);
        c[n++] = mk(int_ops[i].name, 0x66, int_ops[i].op, REG, -1);
        c[n++] = mk(int_ops[i].name, 0x66, int_ops[i].op, MEM, -1);
    }
    c[n++] = mk("punpcklqdq", 0x66, 0x6c, REG, -1);
    c[n++] = mk("punpcklqdq", 0x66, 0x6c, MEM, -1);
    c[n++] = mk("punpckhqdq", 0x66, 0x6d, REG, -1);
    c[n++] = mk("punpckhqdq", 0x66, 0x6d, MEM, -1);
    return n;
}

START_TEST(test_cpu_mmx_binary_ops_vs_host)
{
    RigCase c[ARRAY_SIZE(int_ops) * 4 + 4];
    size_t n = binary_cases(c);
    ck_assert_int_eq(run_cases(cpu_test_backend(_i), c, n, 1), 0);
}
END_TEST

/* Shift counts: the whole low quadword counts, so try small ones too. */
START_TEST(test_cpu_mmx_shifts_vs_host)
{
    static const int imms[] = { 0, 1, 7, 15, 16, 31, 32, 63, 64, 200 };
    static const struct { const char *name; uint8_t op, reg; bool mmx; } grp[] = {
        { "psrlw imm", 0x71, 2, true }, { "psraw imm", 0x71, 4, true },
        { "psllw imm", 0x71, 6, true }, { "psrld imm", 0x72, 2, true },
        { "psrad imm", 0x72, 4, true }, { "pslld imm", 0x72, 6, true },
        { "psrlq imm", 0x73, 2, true }, { "psllq imm", 0x73, 6, true },
        { "psrldq imm", 0x73, 3, false }, { "pslldq imm", 0x73, 7, false },
    };
    RigCase c[300];
    size_t n = 0;
    Rig *r = rig_new(cpu_test_backend(_i));
    SfRng rng = { 7 };
    long fails = 0;

    for (size_t i = 0; i < ARRAY_SIZE(shift_ops); i++) {
        c[n++] = mk(shift_ops[i].name, 0, shift_ops[i].op, REG, -1);
        c[n++] = mk(shift_ops[i].name, 0x66, shift_ops[i].op, REG, -1);
        c[n++] = mk(shift_ops[i].name, 0x66, shift_ops[i].op, MEM, -1);
    }
    for (size_t i = 0; i < ARRAY_SIZE(grp); i++)
        for (size_t k = 0; k < ARRAY_SIZE(imms); k++) {
            uint8_t modrm = (uint8_t)(0xc2 | grp[i].reg << 3);
            if (grp[i].mmx)
                c[n++] = mk(grp[i].name, 0, grp[i].op, modrm, imms[k]);
            c[n++] = mk(grp[i].name, 0x66, grp[i].op, modrm, imms[k]);
        }
    fails += rig_diff(r, c, n, 20, 2);
    /* small register counts: count in mm2 / xmm2 / memory */
    for (size_t i = 0; i < 3 * ARRAY_SIZE(shift_ops); i++)
        for (int k = 0; k < 40; k++) {
            SimdState g, h;
            char why[256];
            uint64_t cnt = sf_below(&rng, 70);
            rig_random_state(&rng, &g, RIG_INT);
            st16(g.fx + 2, 0);                  /* TOP = 0: ST2 is MM2 */
            st64(fx_st(&g, 2), cnt);
            st64(fx_xmm(&g, 2), cnt);
            st64(g.mem, cnt);
            h = g;
            ck_assert_int_eq(rig_guest(r, c[i].bytes, c[i].len, 1, &g), -1);
            ck_assert_int_eq(rig_host(c[i].bytes, c[i].len, &h), -1);
            if (!rig_same(&g, &h, false, why) && fails++ < 10)
                fprintf(stderr, "%s count %d: %s\n", c[i].name, (int)cnt, why);
        }
    rig_free(r);
    ck_assert_int_eq(fails, 0);
}
END_TEST

/* Moves, shuffles, inserts/extracts, masks, masked stores. */
static size_t move_cases(RigCase *c)
{
    static const int shuf[] = { 0x1b, 0xe4, 0x00, 0xff, 0x4e, 0x93 };
    size_t n = 0;
    c[n++] = mk("movd mm,r32", 0, 0x6e, REG, -1);
    c[n++] = mk("movd mm,m32", 0, 0x6e, MEM, -1);
    c[n++] = mk("movd r32,mm", 0, 0x7e, REG, -1);
    c[n++] = mk("movd m32,mm", 0, 0x7e, MEM, -1);
    c[n++] = mk("movd xmm,r32", 0x66, 0x6e, REG, -1);
    c[n++] = mk("movd xmm,m32", 0x66, 0x6e, MEM, -1);
    c[n++] = mk("movd r32,xmm", 0x66, 0x7e, REG, -1);
    c[n++] = mk("movd m32,xmm", 0x66, 0x7e, MEM, -1);
    c[n++] = mk("movq mm,mm", 0, 0x6f, REG, -1);
    c[n++] = mk("movq mm,m64", 0, 0x6f, MEM, -1);
    c[n++] = mk("movq mm,mm (7f)", 0, 0x7f, REG, -1);
    c[n++] = mk("movq m64,mm", 0, 0x7f, MEM, -1);
    c[n++] = mk("movq xmm,xmm", 0xf3, 0x7e, REG, -1);
    c[n++] = mk("movq xmm,m64", 0xf3, 0x7e, MEM, -1);
    c[n++] = mk("movq xmm,xmm (d6)", 0x66, 0xd6, REG, -1);
    c[n++] = mk("movq m64,xmm", 0x66, 0xd6, MEM, -1);
    c[n++] = mk("movq2dq", 0xf3, 0xd6, REG, -1);
    c[n++] = mk("movdq2q", 0xf2, 0xd6, REG, -1);
    c[n++] = mk("movdqa xmm,xmm", 0x66, 0x6f, REG, -1);
    c[n++] = mk("movdqa xmm,m128", 0x66, 0x6f, MEM, -1);
    c[n++] = mk("movdqa m128,xmm", 0x66, 0x7f, MEM, -1);
    c[n++] = mk("movdqu xmm,m128", 0xf3, 0x6f, MEM, -1);
    c[n++] = mk("movdqu m128,xmm", 0xf3, 0x7f, MEM, -1);
    c[n++] = mk("movntq", 0, 0xe7, MEM, -1);
    c[n++] = mk("movntdq", 0x66, 0xe7, MEM, -1);
    c[n++] = mk("movnti", 0, 0xc3, MEM, -1);
    c[n++] = mk("pmovmskb mm", 0, 0xd7, REG, -1);
    c[n++] = mk("pmovmskb xmm", 0x66, 0xd7, REG, -1);
    c[n++] = mk("maskmovq", 0, 0xf7, REG, -1);
    c[n++] = mk("maskmovdqu", 0x66, 0xf7, REG, -1);
    c[n++] = mk("emms", 0, 0x77, 0x90, -1);      /* emms; nop */
    c[n - 1].len = 2;
    for (size_t i = 0; i < ARRAY_SIZE(shuf); i++) {
        c[n++] = mk("pshufw", 0, 0x70, REG, shuf[i]);
        c[n++] = mk("pshufw m", 0, 0x70, MEM, shuf[i]);
        c[n++] = mk("pshufd", 0x66, 0x70, REG, shuf[i]);
        c[n++] = mk("pshufd m", 0x66, 0x70, MEM, shuf[i]);
        c[n++] = mk("pshufhw", 0xf3, 0x70, REG, shuf[i]);
        c[n++] = mk("pshuflw", 0xf2, 0x70, MEM, shuf[i]);
    }
    for (int k = 0; k < 9; k += 2) {
        c[n++] = mk("pinsrw mm,r32", 0, 0xc4, REG, k);
        c[n++] = mk("pinsrw mm,m16", 0, 0xc4, MEM, k);
        c[n++] = mk("pinsrw xmm,r32", 0x66, 0xc4, REG, k);
        c[n++] = mk("pinsrw xmm,m16", 0x66, 0xc4, MEM, k + 1);
        c[n++] = mk("pextrw r32,mm", 0, 0xc5, REG, k + 1);
        c[n++] = mk("pextrw r32,xmm", 0x66, 0xc5, REG, k);
    }
    return n;
}

START_TEST(test_cpu_mmx_moves_vs_host)
{
    RigCase c[120];
    size_t n = move_cases(c);
    ck_assert_int_eq(run_cases(cpu_test_backend(_i), c, n, 3), 0);
}
END_TEST

/* -- SDM-derived values ------------------------------------------------------------ */

/* One instruction with mm1 = a, mm2 = b from a clean state; returns mm1. */
static uint64_t mmx2(Rig *r, uint8_t op, uint64_t a, uint64_t b)
{
    SimdState st;
    uint8_t code[3] = { 0x0f, op, REG };
    memset(&st, 0, sizeof(st));
    st16(st.fx, 0x037f);
    fx_set_mxcsr(&st, 0x1f80);
    st64(fx_st(&st, 1), a);
    st64(fx_st(&st, 2), b);
    ck_assert_int_eq(rig_guest(r, code, 3, 1, &st), -1);
    return ld64(fx_st(&st, 1));
}

START_TEST(test_cpu_mmx_sdm_values)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    /* PADDSW: 7FFFh + 1 saturates, 8000h + FFFFh saturates low */
    ck_assert_uint_eq(mmx2(r, 0xed, 0x00017fff8000ffffull, 0x0001000100008000ull),
                      0x00027fff80008000ull);
    /* PADDUSB / PSUBUSB clamp at FFh / 00h */
    ck_assert_uint_eq(mmx2(r, 0xdc, 0xf0ull, 0x20ull), 0xffull);
    ck_assert_uint_eq(mmx2(r, 0xd8, 0x10ull, 0x20ull), 0);
    /* PADDB wraps within bytes, no carry into the next one */
    ck_assert_uint_eq(mmx2(r, 0xfc, 0x00ffull, 0x0001ull), 0x0000ull);
    /* PMADDWD: 8000h * 8000h * 2 wraps to 80000000h (SDM PMADDWD) */
    ck_assert_uint_eq(mmx2(r, 0xf5, 0x80008000ull, 0x80008000ull), 0x80000000ull);
    /* PACKSSWB: words -200, 300, 5, -5 | 0, 127, 128, -129 */
    ck_assert_uint_eq(mmx2(r, 0x63, 0xfffb0005012cff38ull, 0xff7f0080007f0000ull),
                      0x807f7f00fb057f80ull);
    /* PACKUSWB: negative -> 0, > FFh -> FFh */
    ck_assert_uint_eq(mmx2(r, 0x67, 0x00010100ffff0080ull, 0), 0x01ff0080ull);
    /* PSRAW by a count > 15 fills with the sign; PSRLW clears */
    ck_assert_uint_eq(mmx2(r, 0xe1, 0x8000400000017fffull, 16), 0xffff000000000000ull);
    ck_assert_uint_eq(mmx2(r, 0xd1, 0x8000400000017fffull, 0x100000000ull), 0);
    /* PCMPGTW is signed */
    ck_assert_uint_eq(mmx2(r, 0x65, 0x0001ffff0000ull, 0xffff00010000ull), 0xffff00000000ull);
    /* PSADBW: |1-3| + |255-0| = 257 in the low word */
    ck_assert_uint_eq(mmx2(r, 0xf6, 0xff01ull, 0x0003ull), 257);
    /* PMULHUW FFFFh * FFFFh = FFFE0001h, high word FFFEh */
    ck_assert_uint_eq(mmx2(r, 0xe4, 0xffffull, 0xffffull), 0xfffeull);
    /* PAVGB rounds up: (1 + 2 + 1) >> 1 = 2 */
    ck_assert_uint_eq(mmx2(r, 0xe0, 0x01ull, 0x02ull), 0x02ull);
    rig_free(r);
}
END_TEST

/* MMX instructions: TOP = 0, all tags valid, and the written register's
 * exponent field all ones; EMMS empties the tags (SDM Vol. 1 9.5.1). */
START_TEST(test_cpu_mmx_x87_aliasing)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    static const uint8_t paddb[] = { 0x0f, 0xfc, 0xca };    /* paddb mm1, mm2 */
    static const uint8_t emms[] = { 0x0f, 0x77 };
    SimdState st;
    memset(&st, 0, sizeof(st));
    st16(st.fx, 0x037f);
    st16(st.fx + 2, 5 << 11);                  /* TOP = 5 */
    st.fx[4] = 0x00;                           /* all empty */
    fx_set_mxcsr(&st, 0x1f80);
    st64(fx_st(&st, 4), 0x0102030405060708ull);   /* physical 1 = ST(4) */
    st16(fx_st(&st, 4) + 8, 0x1234);
    st16(fx_st(&st, 5) + 8, 0x4321);              /* physical 2 = ST(5) */
    ck_assert_int_eq(rig_guest(r, paddb, sizeof(paddb), 1, &st), -1);
    ck_assert_uint_eq(ld16(st.fx + 2) >> 11 & 7, 0);
    ck_assert_uint_eq(st.fx[4], 0xff);
    ck_assert_uint_eq(ld64(fx_st(&st, 1)), 0x0102030405060708ull);
    ck_assert_uint_eq(ld16(fx_st(&st, 1) + 8), 0xffff);
    ck_assert_uint_eq(ld16(fx_st(&st, 2) + 8), 0x4321);   /* read only: untouched */
    ck_assert_int_eq(rig_guest(r, emms, sizeof(emms), 1, &st), -1);
    ck_assert_uint_eq(st.fx[4], 0x00);
    ck_assert_uint_eq(ld16(st.fx + 2) >> 11 & 7, 0);
    rig_free(r);
}
END_TEST

TEST_SUITE(cpu_mmx)
{
    Suite *s = suite_create("cpu_mmx");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 60);
        CPU_TEST(tc, test_cpu_mmx_sdm_values, b);
        CPU_TEST(tc, test_cpu_mmx_x87_aliasing, b);
        if (!SF_HAVE_HOST)
            continue;
        CPU_TEST(tc, test_cpu_mmx_binary_ops_vs_host, b);
        CPU_TEST(tc, test_cpu_mmx_shifts_vs_host, b);
        CPU_TEST(tc, test_cpu_mmx_moves_vs_host, b);
    }
    return s;
}
