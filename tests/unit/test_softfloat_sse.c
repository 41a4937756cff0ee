/* test_softfloat_sse.c — SSE/SSE2 scalar operations against the host SSE unit.
 *
 * Random and edge-case F32/F64 operands under the four MXCSR rounding modes
 * and the four DAZ/FTZ combinations; results and the six MXCSR flags must be
 * identical. RCPSS/RSQRTSS are checked against the SDM error bound and exact
 * special cases, not against the host's (undocumented) tables.
 */
#include <stdlib.h>
#include "unit/testlib.h"
#include "unit/sf_host.h"

#define N_RANDOM 12000  /* per operation, rounding mode and DAZ/FTZ setting */

#if SF_HAVE_HOST

#define FOR_MODES(rc, ftz, daz)                                                       \
    for (int rc = 0; rc < 4; rc++)                                                    \
        for (int ftz = 0; ftz < 2; ftz++)                                             \
            for (int daz = 0; daz < 2; daz++)

static FpStatus sse_status(int rc, bool ftz, bool daz)
{
    return (FpStatus){ .rounding = rc, .precision = 64, .masks = 0x3f, .ftz = ftz, .daz = daz };
}

/* Two-operand F32 and F64 operations, one table each. */
typedef struct {
    const char *name;
    F32 (*lib)(F32, F32, FpStatus *);
    F32 (*host)(F32, F32, uint32_t *);
} Op32;
typedef struct {
    const char *name;
    F64 (*lib)(F64, F64, FpStatus *);
    F64 (*host)(F64, F64, uint32_t *);
} Op64;

static F32 lib_sqrt32(F32 a, F32 b, FpStatus *s) { return f32_sqrt(b, s); }
static F64 lib_sqrt64(F64 a, F64 b, FpStatus *s) { return f64_sqrt(b, s); }

static const Op32 ops32[] = {
    { "addss", f32_add, host_addss }, { "subss", f32_sub, host_subss },
    { "mulss", f32_mul, host_mulss }, { "divss", f32_div, host_divss },
    { "sqrtss", lib_sqrt32, host_sqrtss }, { "minss", f32_min, host_minss },
    { "maxss", f32_max, host_maxss },
};
static const Op64 ops64[] = {
    { "addsd", f64_add, host_addsd }, { "subsd", f64_sub, host_subsd },
    { "mulsd", f64_mul, host_mulsd }, { "divsd", f64_div, host_divsd },
    { "sqrtsd", lib_sqrt64, host_sqrtsd }, { "minsd", f64_min, host_minsd },
    { "maxsd", f64_max, host_maxsd },
};

START_TEST(test_softfloat_sse_f32_arith)
{
    const Op32 *op = &ops32[_i];
    SfReport rep = { op->name, 0, 0 };
    SfRng rng = { 100 + _i };

    FOR_MODES(rc, ftz, daz) {
        for (int i = 0; i < N_RANDOM; i++) {
            F32 a = sf_rand_f32(&rng, 127), b = sf_rand_f32(&rng, (a >> 23) & 0xff);
            uint32_t mx = sse_mxcsr(rc, ftz, daz);
            FpStatus s = sse_status(rc, ftz, daz);
            F32 want = op->host(a, b, &mx), got = op->lib(a, b, &s);
            SF_CHECK(&rep, got == want && s.flags == (mx & 0x3f),
                     "rc=%d ftz=%d daz=%d %08x , %08x -> want %08x fl=%02x got %08x fl=%02x",
                     rc, ftz, daz, a, b, want, mx & 0x3f, got, s.flags);
        }
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_sse_f64_arith)
{
    const Op64 *op = &ops64[_i];
    SfReport rep = { op->name, 0, 0 };
    SfRng rng = { 200 + _i };

    FOR_MODES(rc, ftz, daz) {
        for (int i = 0; i < N_RANDOM; i++) {
            F64 a = sf_rand_f64(&rng, 1023), b = sf_rand_f64(&rng, (a >> 52) & 0x7ff);
            uint32_t mx = sse_mxcsr(rc, ftz, daz);
            FpStatus s = sse_status(rc, ftz, daz);
            F64 want = op->host(a, b, &mx), got = op->lib(a, b, &s);
            SF_CHECK(&rep, got == want && s.flags == (mx & 0x3f),
                     "rc=%d ftz=%d daz=%d %016llx , %016llx -> want %016llx fl=%02x got %016llx fl=%02x",
                     rc, ftz, daz, (unsigned long long)a, (unsigned long long)b,
                     (unsigned long long)want, mx & 0x3f, (unsigned long long)got, s.flags);
        }
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_sse_compare)
{
    SfReport rep = { "vcmpss/vcmpsd/comis", 0, 0 };
    SfRng rng = { 300 };

    for (int i = 0; i < 40000; i++) {
        int daz = i & 1;
        unsigned imm = sf_below(&rng, 32);
        uint32_t mx = sse_mxcsr(FP_RN, false, daz);
        FpStatus s = sse_status(FP_RN, false, daz);
        F32 a = sf_rand_f32(&rng, 127), b = sf_rand_f32(&rng, (a >> 23) & 0xff);
        if (i % 5 == 0)
            b = a ^ (sf_below(&rng, 2) ? 0x80000000u : 0);
        F32 w32 = host_vcmpss(a, b, imm, &mx);
        bool g = f32_cmp(a, b, imm, &s);
        SF_CHECK(&rep, (g ? ~0u : 0) == w32 && s.flags == (mx & 0x3f),
                 "vcmpss imm=%u daz=%d %08x , %08x -> want %08x fl=%02x got %d fl=%02x", imm,
                 daz, a, b, w32, mx & 0x3f, g, s.flags);

        F64 c = sf_rand_f64(&rng, 1023), d = sf_rand_f64(&rng, (c >> 52) & 0x7ff);
        mx = sse_mxcsr(FP_RN, false, daz);
        s = sse_status(FP_RN, false, daz);
        F64 w64 = host_vcmpsd(c, d, imm, &mx);
        g = f64_cmp(c, d, imm, &s);
        SF_CHECK(&rep, (g ? ~0ull : 0) == w64 && s.flags == (mx & 0x3f),
                 "vcmpsd imm=%u %016llx , %016llx -> want %d fl=%02x got %d fl=%02x", imm,
                 (unsigned long long)c, (unsigned long long)d, w64 != 0, mx & 0x3f, g, s.flags);

        bool quiet = i & 2;
        mx = sse_mxcsr(FP_RN, false, daz);
        s = sse_status(FP_RN, false, daz);
        uint8_t wf = quiet ? host_ucomiss(a, b, &mx) : host_comiss(a, b, &mx);
        uint8_t gf = fp_rel_eflags(f32_comi(a, b, quiet, &s));
        SF_CHECK(&rep, wf == gf && s.flags == (mx & 0x3f),
                 "comiss q=%d %08x , %08x -> want %02x fl=%02x got %02x fl=%02x", quiet, a, b,
                 wf, mx & 0x3f, gf, s.flags);
        mx = sse_mxcsr(FP_RN, false, daz);
        s = sse_status(FP_RN, false, daz);
        wf = quiet ? host_ucomisd(c, d, &mx) : host_comisd(c, d, &mx);
        gf = fp_rel_eflags(f64_comi(c, d, quiet, &s));
        SF_CHECK(&rep, wf == gf && s.flags == (mx & 0x3f),
                 "comisd q=%d %016llx , %016llx -> want %02x fl=%02x got %02x fl=%02x", quiet,
                 (unsigned long long)c, (unsigned long long)d, wf, mx & 0x3f, gf, s.flags);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_sse_convert)
{
    SfReport rep = { "cvt*", 0, 0 };
    SfRng rng = { 400 };

#define CVT_CHECK(fmt, want, got, ...)                                                \
    SF_CHECK(&rep, (want) == (got) && s.flags == (mx & 0x3f),                         \
             "rc=%d ftz=%d daz=%d " fmt " fl=%02x got fl=%02x", rc, ftz, daz, __VA_ARGS__, \
             mx & 0x3f, s.flags)
#define CVT_RESET() (mx = sse_mxcsr(rc, ftz, daz), s = sse_status(rc, ftz, daz))

    FOR_MODES(rc, ftz, daz) {
        for (int i = 0; i < N_RANDOM; i++) {
            uint32_t mx;
            FpStatus s;
            /* float <-> float around both exponent ranges */
            F32 a = sf_rand_f32(&rng, (i & 1) ? 127 + (i & 2 ? 30 : -30) : 127);
            F64 d = sf_rand_f64(&rng, 1023 + (i & 1 ? 1 : -1) * (i & 2 ? 127 : 1));
            CVT_RESET();
            F64 w64 = host_cvtss2sd(a, &mx), g64 = f32_to_f64(a, &s);
            CVT_CHECK("cvtss2sd %08x want %016llx got %016llx", w64, g64, a,
                      (unsigned long long)w64, (unsigned long long)g64);
            CVT_RESET();
            F32 w32 = host_cvtsd2ss(d, &mx), g32 = f64_to_f32(d, &s);
            CVT_CHECK("cvtsd2ss %016llx want %08x got %08x", w32, g32, (unsigned long long)d,
                      w32, g32);

            /* float -> int around the integer ranges */
            a = sf_rand_f32(&rng, 127 + (int)sf_below(&rng, 66) - 2);
            d = sf_rand_f64(&rng, 1023 + (int)sf_below(&rng, 66) - 2);
#define TOINT(T, host, lib, x, fmtx)                                                  \
            do {                                                                      \
                CVT_RESET();                                                          \
                T w = host(x, &mx), g = lib(x, &s);                                   \
                CVT_CHECK(#lib " " fmtx " want %lld got %lld", w, g, x, (long long)w, (long long)g); \
            } while (0)
            TOINT(int32_t, host_cvtss2si32, f32_to_i32, a, "%08x");
            TOINT(int32_t, host_cvttss2si32, f32_to_i32_trunc, a, "%08x");
            TOINT(int64_t, host_cvtss2si64, f32_to_i64, a, "%08x");
            TOINT(int64_t, host_cvttss2si64, f32_to_i64_trunc, a, "%08x");
            TOINT(int32_t, host_cvtsd2si32, f64_to_i32, (unsigned long long)d, "%016llx");
            TOINT(int32_t, host_cvttsd2si32, f64_to_i32_trunc, (unsigned long long)d, "%016llx");
            TOINT(int64_t, host_cvtsd2si64, f64_to_i64, (unsigned long long)d, "%016llx");
            TOINT(int64_t, host_cvttsd2si64, f64_to_i64_trunc, (unsigned long long)d, "%016llx");

            /* int -> float */
            int64_t v = (int64_t)(sf_rand(&rng) >> sf_below(&rng, 64));
            if (i & 1)
                v = -v;
            int32_t v32 = (int32_t)v;
            CVT_RESET();
            w32 = host_cvtsi2ss32(v32, &mx), g32 = i32_to_f32(v32, &s);
            CVT_CHECK("cvtsi2ss %d want %08x got %08x", w32, g32, v32, w32, g32);
            CVT_RESET();
            w32 = host_cvtsi2ss64(v, &mx), g32 = i64_to_f32(v, &s);
            CVT_CHECK("cvtsi2ssq %lld want %08x got %08x", w32, g32, (long long)v, w32, g32);
            CVT_RESET();
            w64 = host_cvtsi2sd32(v32, &mx), g64 = i32_to_f64(v32, &s);
            CVT_CHECK("cvtsi2sd %d want %llx got %llx", w64, g64, v32, (unsigned long long)w64,
                      (unsigned long long)g64);
            CVT_RESET();
            w64 = host_cvtsi2sd64(v, &mx), g64 = i64_to_f64(v, &s);
            CVT_CHECK("cvtsi2sdq %lld want %llx got %llx", w64, g64, (long long)v,
                      (unsigned long long)w64, (unsigned long long)g64);
        }
    }
    SF_DONE(&rep);
}
END_TEST

/* RCPSS/RSQRTSS: |relative error| <= 1.5 * 2^-12 (SDM vol. 2 RCPSS/RSQRTSS),
 * measured exactly with integers; specials must match the host bit for bit. */
static bool approx_ok(F32 x, F32 r, bool rsqrt)
{
    /* x = mx * 2^ex, r = mr * 2^er (24-bit significands); check
     * |r * x - 1| (rcp) or |r^2 * x - 1| (rsqrt) against the bound. */
    uint64_t mx = (x & 0x7fffff) | 0x800000, mr = (r & 0x7fffff) | 0x800000;
    int ex = (int)((x >> 23) & 0xff) - 150, er = (int)((r >> 23) & 0xff) - 150;
    unsigned __int128 prod = (unsigned __int128)mx * mr;
    int e = ex + er;
    if (rsqrt) {
        prod *= mr;
        e += er;
    }
    /* target 1 = 2^0: represent both at scale 2^e (e < 0 here) */
    if (e >= 0 || -e >= 96)
        return false;
    unsigned __int128 one = (unsigned __int128)1 << -e;
    unsigned __int128 diff = prod > one ? prod - one : one - prod;
    /* rcp: diff <= 1.5 * 2^-12. rsqrt: r = (1 + d) / sqrt(x) with |d| <=
     * 1.5 * 2^-12 gives |r^2 x - 1| <= 3 * 2^-12 + 2.25 * 2^-24. */
    if (rsqrt)
        return diff << 26 <= (12 * 4096 + 9) * one;
    return diff << 13 <= 3 * one;
}

START_TEST(test_softfloat_sse_rcp_rsqrt)
{
    SfReport rep = { "rcpss/rsqrtss", 0, 0 };
    SfRng rng = { 500 };

    for (int i = 0; i < 60000; i++) {
        F32 a = sf_rand_f32(&rng, 127);
        uint32_t mx = sse_mxcsr(i & 3, false, false), e = (a >> 23) & 0xff;
        F32 w = host_rcpss(0, a, &mx), g = f32_rcp(a);
        /* normal results away from the flush-to-zero threshold are approximations */
        bool approx = e != 0 && e != 0xff && (e < 252 || ((g << 1) && (w << 1)));
        SF_CHECK(&rep, approx ? approx_ok(a, g, false) && (g >> 31) == (a >> 31) : g == w,
                 "rcpss %08x want %08x got %08x", a, w, g);
        SF_CHECK(&rep, (mx & 0x3f) == 0, "rcpss %08x raised %02x", a, mx & 0x3f);
        mx = sse_mxcsr(i & 3, false, false);
        w = host_rsqrtss(0, a, &mx);
        g = f32_rsqrt(a);
        approx = e != 0 && e != 0xff && !(a >> 31);
        SF_CHECK(&rep, approx ? approx_ok(a, g, true) : g == w, "rsqrtss %08x want %08x got %08x", a, w, g);
    }
    SF_DONE(&rep);
    /* every 12-bit significand for rcp at one exponent */
    for (uint32_t m = 0; m < (1u << 23); m += 1 << 7)
        ck_assert(approx_ok(0x3f800000 | m, f32_rcp(0x3f800000 | m), false));
    for (uint32_t m = 0; m < (1u << 24); m += 1 << 8)
        ck_assert(approx_ok(0x3f000000 + m, f32_rsqrt(0x3f000000 + m), true));
}
END_TEST

#endif /* SF_HAVE_HOST */

/* Values from the manuals, independent of the host. */
START_TEST(test_softfloat_sse_manual_values)
{
    FpStatus s = FP_STATUS_SSE_INIT;
    /* default NaN is negative (SDM vol. 1 table 4-3) */
    ck_assert_uint_eq(f32_sub(0x7f800000, 0x7f800000, &s), 0xffc00000u);
    ck_assert_uint_eq(s.flags, FP_IE);
    /* first operand's NaN wins and is quieted */
    s.flags = 0;
    ck_assert_uint_eq(f32_add(0x7f800001, 0x7fc00002, &s), 0x7fc00001u);
    ck_assert_uint_eq(s.flags, FP_IE);
    /* MINSS returns the second operand when either is NaN, and for +0/-0 */
    s.flags = 0;
    ck_assert_uint_eq(f32_min(0x7fc00000, 0x3f800000, &s), 0x3f800000u);
    ck_assert_uint_eq(f32_min(0x00000000, 0x80000000, &s), 0x80000000u);
    ck_assert_uint_eq(f32_max(0x80000000, 0x00000000, &s), 0x00000000u);
    /* CVTSS2SI of a NaN: integer indefinite */
    s.flags = 0;
    ck_assert_int_eq(f32_to_i32(0x7fc00000, &s), INT32_MIN);
    ck_assert_uint_eq(s.flags, FP_IE);
    /* FTZ: a tiny result becomes zero with UE and PE */
    s = (FpStatus)FP_STATUS_SSE_INIT;
    s.ftz = true;
    ck_assert_uint_eq(f32_mul(0x00800000, 0x3f000000, &s), 0);
    ck_assert_uint_eq(s.flags, FP_UE | FP_PE);
}
END_TEST

TEST_SUITE(softfloat_sse)
{
    Suite *s = suite_create("softfloat_sse");
    TCase *tc = tcase_create("sse");
    tcase_set_timeout(tc, 60);
#if SF_HAVE_HOST
    tcase_add_loop_test(tc, test_softfloat_sse_f32_arith, 0, (int)(sizeof(ops32) / sizeof(ops32[0])));
    tcase_add_loop_test(tc, test_softfloat_sse_f64_arith, 0, (int)(sizeof(ops64) / sizeof(ops64[0])));
    tcase_add_test(tc, test_softfloat_sse_compare);
    tcase_add_test(tc, test_softfloat_sse_convert);
    tcase_add_test(tc, test_softfloat_sse_rcp_rsqrt);
#endif
    tcase_add_test(tc, test_softfloat_sse_manual_values);
    suite_add_tcase(s, tc);
    return s;
}
