/* test_softfloat_fx80.c — x87 double-extended operations against the host x87.
 *
 * Each operation runs on random and edge-case operands (zeros, denormals,
 * pseudo-denormals, unnormals, infinities, quiet and signalling NaNs, extreme
 * exponents, halfway significands) under all four rounding modes and, where
 * the x87 honours it, the three precisions; the result, the six exception
 * flags and C1 must equal what the host FPU produces. Fixed seeds.
 */
#include "unit/testlib.h"
#include "unit/sf_host.h"

#define N_RANDOM 16000  /* per operation, rounding mode and precision */

#if SF_HAVE_HOST

typedef Fx80 LibBin(Fx80 a, Fx80 b, FpStatus *s);
typedef uint16_t HostBin(Fx80 a, Fx80 b, uint16_t cw, Fx80 *r);

static void check_binop(const char *name, LibBin *lib, HostBin *host, uint8_t masks, uint64_t seed)
{
    SfReport rep = { name, 0, 0 };
    SfRng rng = { seed };

    for (int rc = 0; rc < 4; rc++) {
        for (int pi = 0; pi < 3; pi++) {
            for (int i = 0; i < N_RANDOM; i++) {
                Fx80 a, b, want, got;
                sf_rand_fx80_pair(&rng, &a, &b);
                FpStatus s = { .rounding = rc, .precision = sf_precisions[pi], .masks = masks };
                uint16_t sw = host(a, b, x87_cw(rc, sf_precisions[pi], masks), &want);
                got = lib(a, b, &s);
                SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                         s.c1_round_up == !!(sw & FP_C1),
                         "rc=%d pc=%d " FXF " , " FXF " -> want " FXF " fl=%02x c1=%d, got "
                         FXF " fl=%02x c1=%d", rc, sf_precisions[pi], FXA(a), FXA(b),
                         FXA(want), sw & 0x3f, !!(sw & FP_C1), FXA(got), s.flags, s.c1_round_up);
            }
        }
    }
    SF_DONE(&rep);
}

START_TEST(test_softfloat_fx80_add) { check_binop("fadd", fx80_add, host_fadd, 0x3f, 1); }
END_TEST
START_TEST(test_softfloat_fx80_sub) { check_binop("fsub", fx80_sub, host_fsub, 0x3f, 2); }
END_TEST
START_TEST(test_softfloat_fx80_mul) { check_binop("fmul", fx80_mul, host_fmul, 0x3f, 3); }
END_TEST
START_TEST(test_softfloat_fx80_div) { check_binop("fdiv", fx80_div, host_fdiv, 0x3f, 4); }
END_TEST

/* Unmasked overflow/underflow: the register gets the exponent wrapped by
 * 24576 (SDM vol. 1 §8.5.4-8.5.5); FNSTSW/FNCLEX run before any wait. */
START_TEST(test_softfloat_fx80_unmasked_wrap)
{
    uint8_t masks = FP_ALL_EXC & ~(FP_OE | FP_UE);
    check_binop("fmul unmasked", fx80_mul, host_fmul, masks, 5);
    check_binop("fdiv unmasked", fx80_div, host_fdiv, masks, 6);
    check_binop("fadd unmasked", fx80_add, host_fadd, masks, 7);
}
END_TEST

START_TEST(test_softfloat_fx80_sqrt)
{
    SfReport rep = { "fsqrt", 0, 0 };
    SfRng rng = { 8 };

    for (int rc = 0; rc < 4; rc++) {
        for (int pi = 0; pi < 3; pi++) {
            for (int i = 0; i < N_RANDOM; i++) {
                Fx80 a = sf_rand_fx80(&rng), want, got;
                FpStatus s = { .rounding = rc, .precision = sf_precisions[pi], .masks = 0x3f };
                uint16_t sw = host_fsqrt(a, x87_cw(rc, sf_precisions[pi], 0x3f), &want);
                got = fx80_sqrt(a, &s);
                SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                         s.c1_round_up == !!(sw & FP_C1),
                         "rc=%d pc=%d " FXF " -> want " FXF " fl=%02x, got " FXF " fl=%02x",
                         rc, sf_precisions[pi], FXA(a), FXA(want), sw & 0x3f, FXA(got), s.flags);
            }
        }
    }
    SF_DONE(&rep);
}
END_TEST

/* Tininess is detected after rounding, at the precision-control width. */
START_TEST(test_softfloat_fx80_tininess)
{
    Fx80 almost = fx80_make(false, 0x3ffe, ~0ull), tiny = fx80_make(false, 1, 1ull << 63);
    FpStatus s = { .rounding = FP_RN, .precision = 64, .masks = 0x3f };
    Fx80 r = fx80_mul(almost, tiny, &s);     /* (1 - 2^-64) * 2^-16382 */
    ck_assert(fx80_same(r, fx80_make(false, 1, 1ull << 63)));
    ck_assert_int_eq(s.flags, FP_UE | FP_PE);
    s = (FpStatus){ .rounding = FP_RN, .precision = 24, .masks = 0x3f };
    r = fx80_mul(almost, tiny, &s);          /* rounds to 2^-16382 at 24 bits: not tiny */
    ck_assert(fx80_same(r, fx80_make(false, 1, 1ull << 63)));
    ck_assert_int_eq(s.flags, FP_PE);
}
END_TEST

/* -- FPREM, FPREM1 -- */

typedef Fx80 LibRem(Fx80 a, Fx80 b, uint16_t *cc, FpStatus *s);

static void check_rem(const char *name, LibRem *lib, HostBin *host, uint64_t seed)
{
    SfReport rep = { name, 0, 0 };
    SfRng rng = { seed };

    for (int i = 0; i < 40000; i++) {
        Fx80 a, b, want, got;
        uint16_t cc;
        sf_rand_fx80_pair(&rng, &a, &b);
        if (i & 1)      /* exponent differences around 64 and beyond */
            a.se = (a.se & 0x8000) | (uint16_t)(0x3fff + sf_below(&rng, 200));
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host(a, b, x87_cw(rc, 64, 0x3f), &want);
        got = lib(a, b, &cc, &s);
        uint16_t ccmask = FP_C2 | ((sw & 0x3f) & FP_IE ? 0 : FP_C0 | FP_C1 | FP_C3);
        SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                 (cc & ccmask) == (sw & ccmask),
                 FXF " , " FXF " -> want " FXF " fl=%02x cc=%04x, got " FXF " fl=%02x cc=%04x",
                 FXA(a), FXA(b), FXA(want), sw & 0x3f, sw & 0x4700, FXA(got), s.flags, cc);
    }
    SF_DONE(&rep);
}

START_TEST(test_softfloat_fx80_prem) { check_rem("fprem", fx80_prem, host_fprem, 9); }
END_TEST
START_TEST(test_softfloat_fx80_prem1) { check_rem("fprem1", fx80_prem1, host_fprem1, 10); }
END_TEST

/* -- FRNDINT, FSCALE, FXTRACT -- */

START_TEST(test_softfloat_fx80_rndint)
{
    SfReport rep = { "frndint", 0, 0 };
    SfRng rng = { 11 };

    for (int i = 0; i < 40000; i++) {
        Fx80 a = sf_rand_fx80(&rng), want, got;
        if (i & 1)      /* values with a fractional part */
            a.se = (a.se & 0x8000) | (uint16_t)(0x3fff - 3 + sf_below(&rng, 68));
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = sf_precisions[i % 3], .masks = 0x3f };
        uint16_t sw = host_frndint(a, x87_cw(rc, s.precision, 0x3f), &want);
        got = fx80_round_int(a, &s);
        SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                 s.c1_round_up == !!(sw & FP_C1),
                 "rc=%d " FXF " -> want " FXF " fl=%02x c1=%d, got " FXF " fl=%02x c1=%d", rc,
                 FXA(a), FXA(want), sw & 0x3f, !!(sw & FP_C1), FXA(got), s.flags, s.c1_round_up);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_scale)
{
    SfReport rep = { "fscale", 0, 0 };
    SfRng rng = { 12 };

    for (int i = 0; i < 40000; i++) {
        Fx80 a = sf_rand_fx80(&rng), b = sf_rand_fx80(&rng), want, got;
        if (i & 1)      /* scale factors up to +-2^15 */
            b.se = (b.se & 0x8000) | (uint16_t)(0x3fff - 2 + sf_below(&rng, 18));
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = sf_precisions[i % 3], .masks = 0x3f };
        uint16_t sw = host_fscale(a, b, x87_cw(rc, s.precision, 0x3f), &want);
        got = fx80_scale(a, b, &s);
        SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                 s.c1_round_up == !!(sw & FP_C1),
                 "rc=%d " FXF " , " FXF " -> want " FXF " fl=%02x c1=%d, got " FXF " fl=%02x c1=%d",
                 rc, FXA(a), FXA(b), FXA(want), sw & 0x3f, !!(sw & FP_C1), FXA(got), s.flags,
                 s.c1_round_up);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_xtract)
{
    SfReport rep = { "fxtract", 0, 0 };
    SfRng rng = { 13 };

    for (int i = 0; i < 20000; i++) {
        Fx80 a = sf_rand_fx80(&rng), want_sig, want_exp, sig, exp;
        FpStatus s = { .rounding = i & 3, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_fxtract(a, x87_cw(i & 3, 64, 0x3f), &want_sig, &want_exp);
        exp = fx80_xtract(a, &sig, &s);
        SF_CHECK(&rep, fx80_same(sig, want_sig) && fx80_same(exp, want_exp) &&
                 s.flags == (sw & 0x3f),
                 FXF " -> want " FXF " " FXF " fl=%02x, got " FXF " " FXF " fl=%02x", FXA(a),
                 FXA(want_exp), FXA(want_sig), sw & 0x3f, FXA(exp), FXA(sig), s.flags);
    }
    SF_DONE(&rep);
}
END_TEST

/* -- Comparison and classification -- */

START_TEST(test_softfloat_fx80_compare)
{
    SfReport rep = { "fcom/fucom/fcomi", 0, 0 };
    SfRng rng = { 14 };

    for (int i = 0; i < 30000; i++) {
        Fx80 a, b;
        sf_rand_fx80_pair(&rng, &a, &b);
        if (i % 7 == 0)
            b = a;
        bool quiet = i & 1;
        FpStatus s = { .rounding = FP_RN, .precision = 64, .masks = 0x3f };
        uint16_t sw = quiet ? host_fucom(a, b, 0x37f) : host_fcom(a, b, 0x37f);
        FpRel rel = fx80_compare(a, b, quiet, &s);
        uint16_t cc = fp_rel_x87_cc(rel);
        SF_CHECK(&rep, cc == (sw & (FP_C0 | FP_C2 | FP_C3)) && s.flags == (sw & 0x3f),
                 "quiet=%d " FXF " , " FXF " -> want cc=%04x fl=%02x, got cc=%04x fl=%02x",
                 quiet, FXA(a), FXA(b), sw & 0x4500, sw & 0x3f, cc, s.flags);
        uint8_t efl;
        s.flags = 0;
        sw = host_fcomi(a, b, quiet, 0x37f, &efl);
        rel = fx80_compare(a, b, quiet, &s);
        SF_CHECK(&rep, fp_rel_eflags(rel) == efl && s.flags == (sw & 0x3f),
                 "fcomi quiet=%d " FXF " , " FXF " -> want efl=%02x fl=%02x, got %02x %02x",
                 quiet, FXA(a), FXA(b), efl, sw & 0x3f, fp_rel_eflags(rel), s.flags);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_examine)
{
    SfReport rep = { "fxam", 0, 0 };
    SfRng rng = { 15 };
    uint16_t mask = FP_C0 | FP_C1 | FP_C2 | FP_C3;

    for (int i = 0; i < 5000; i++) {
        Fx80 a = sf_rand_fx80(&rng);
        uint16_t sw = host_fxam(a), got = fx80_examine(a);
        SF_CHECK(&rep, got == (sw & mask), FXF " -> want %04x got %04x", FXA(a), sw & mask, got);
    }
    SF_DONE(&rep);
    /* SDM vol. 2 FXAM table: C3 C2 C0 = 110 denormal, 000 unsupported. */
    ck_assert_int_eq(fx80_examine(fx80_make(true, 0, 1)), FP_C3 | FP_C2 | FP_C1);
    ck_assert_int_eq(fx80_examine(fx80_make(false, 0x3fff, 1)), 0);
}
END_TEST

/* -- Constants -- */

typedef uint16_t HostConst(uint16_t cw, Fx80 *r);

START_TEST(test_softfloat_fx80_const)
{
    static HostConst *const host[] = { host_fld1, host_fldl2t, host_fldl2e, host_fldpi,
                                       host_fldlg2, host_fldln2, host_fldz };
    SfReport rep = { "fldconst", 0, 0 };

    for (int c = 0; c <= FP_CONST_Z; c++) {
        for (int rc = 0; rc < 4; rc++) {
            Fx80 want, got;
            FpStatus s = { .rounding = rc, .precision = 24, .masks = 0x3f };
            uint16_t sw = host[c](x87_cw(rc, 24, 0x3f), &want);
            got = fx80_const(c, &s);
            SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f) &&
                     s.c1_round_up == !!(sw & FP_C1),
                     "const %d rc=%d want " FXF " fl=%02x, got " FXF " fl=%02x", c, rc,
                     FXA(want), sw & 0x3f, FXA(got), s.flags);
        }
    }
    SF_DONE(&rep);
    FpStatus s = FP_STATUS_X87_INIT;
    ck_assert(fx80_same(fx80_const(FP_CONST_PI, &s), fx80_make(false, 0x4000, 0xC90FDAA22168C235ull)));
}
END_TEST

/* -- Conversions -- */

START_TEST(test_softfloat_fx80_to_int)
{
    SfReport rep = { "fist/fisttp", 0, 0 };
    SfRng rng = { 16 };

    for (int i = 0; i < 30000; i++) {
        Fx80 a = sf_rand_fx80(&rng);
        if (i & 1)      /* in and around the integer ranges */
            a.se = (a.se & 0x8000) | (uint16_t)(0x3fff - 2 + sf_below(&rng, 67));
        int rc = i & 3;
        uint16_t cw = x87_cw(rc, 64, 0x3f);
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw;
#define FIST_CHECK(T, host, lib)                                                      \
        do {                                                                          \
            T w, g;                                                                   \
            s.flags = 0;                                                              \
            sw = host(a, cw, &w);                                                     \
            g = lib(a, &s);                                                           \
            SF_CHECK(&rep, g == w && s.flags == (sw & 0x3f) &&                        \
                     s.c1_round_up == !!(sw & FP_C1),                                 \
                     #lib " rc=%d " FXF " want %lld fl=%02x c1=%d got %lld fl=%02x c1=%d", \
                     rc, FXA(a), (long long)w, sw & 0x3f, !!(sw & FP_C1), (long long)g, \
                     s.flags, s.c1_round_up);                                         \
        } while (0)
        FIST_CHECK(int16_t, host_fists, fx80_to_i16);
        FIST_CHECK(int32_t, host_fistl, fx80_to_i32);
        FIST_CHECK(int64_t, host_fistpll, fx80_to_i64);
        FIST_CHECK(int16_t, host_fisttps, fx80_to_i16_trunc);
        FIST_CHECK(int32_t, host_fisttpl, fx80_to_i32_trunc);
        FIST_CHECK(int64_t, host_fisttpll, fx80_to_i64_trunc);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_from_int)
{
    SfReport rep = { "fild", 0, 0 };
    SfRng rng = { 17 };

    for (int i = 0; i < 5000; i++) {
        int64_t v = (int64_t)(sf_rand(&rng) >> sf_below(&rng, 64));
        if (i & 1)
            v = -v;
        if (i == 0)
            v = INT64_MIN;
        Fx80 want, got = fx80_from_i64(v);
        host_fildll(v, 0x37f, &want);
        SF_CHECK(&rep, fx80_same(got, want), "%lld want " FXF " got " FXF, (long long)v,
                 FXA(want), FXA(got));
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_f32_f64)
{
    SfReport rep = { "fld/fst m32/m64", 0, 0 };
    SfRng rng = { 18 };

    for (int i = 0; i < 30000; i++) {
        int rc = i & 3;
        uint16_t cw = x87_cw(rc, sf_precisions[i % 3], 0x3f);
        FpStatus s = { .rounding = rc, .precision = sf_precisions[i % 3], .masks = 0x3f };
        Fx80 want, got;
        uint16_t sw;

        F32 f = sf_rand_f32(&rng, 127);
        sw = host_flds(f, cw, &want);
        got = f32_to_fx80(f, &s);
        SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f),
                 "flds %08x want " FXF " fl=%02x got " FXF " fl=%02x", f, FXA(want), sw & 0x3f,
                 FXA(got), s.flags);
        s.flags = 0;
        F64 d = sf_rand_f64(&rng, 1023);
        sw = host_fldl(d, cw, &want);
        got = f64_to_fx80(d, &s);
        SF_CHECK(&rep, fx80_same(got, want) && s.flags == (sw & 0x3f),
                 "fldl %016llx want " FXF " fl=%02x got " FXF " fl=%02x", (unsigned long long)d,
                 FXA(want), sw & 0x3f, FXA(got), s.flags);

        /* stores: operands around each format's range */
        Fx80 a = sf_rand_fx80_exp(&rng, (i & 4) ? 0x3fff + (i & 8 ? 1 : -1) * 127
                                                : 0x3fff + (i & 8 ? 1 : -1) * 1023);
        F32 w32, g32;
        F64 w64, g64;
        s.flags = 0;
        sw = host_fsts(a, cw, &w32);
        g32 = fx80_to_f32(a, &s);
        SF_CHECK(&rep, g32 == w32 && s.flags == (sw & 0x3f) && s.c1_round_up == !!(sw & FP_C1),
                 "fsts rc=%d " FXF " want %08x fl=%02x c1=%d got %08x fl=%02x c1=%d", rc,
                 FXA(a), w32, sw & 0x3f, !!(sw & FP_C1), g32, s.flags, s.c1_round_up);
        s.flags = 0;
        sw = host_fstl(a, cw, &w64);
        g64 = fx80_to_f64(a, &s);
        SF_CHECK(&rep, g64 == w64 && s.flags == (sw & 0x3f) && s.c1_round_up == !!(sw & FP_C1),
                 "fstl rc=%d " FXF " want %016llx fl=%02x got %016llx fl=%02x", rc, FXA(a),
                 (unsigned long long)w64, sw & 0x3f, (unsigned long long)g64, s.flags);
    }
    SF_DONE(&rep);
}
END_TEST

START_TEST(test_softfloat_fx80_bcd)
{
    SfReport rep = { "fbld/fbstp", 0, 0 };
    SfRng rng = { 19 };

    for (int i = 0; i < 20000; i++) {
        Fx80 a = sf_rand_fx80(&rng);
        if (i & 1)      /* around 10^18 and the fractional range */
            a.se = (a.se & 0x8000) | (uint16_t)(0x3fff - 2 + sf_below(&rng, 64));
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint8_t want[10], got[10];
        uint16_t sw = host_fbstp(a, x87_cw(rc, 64, 0x3f), want);
        fx80_to_bcd(a, got, &s);
        SF_CHECK(&rep, !memcmp(got, want, 10) && s.flags == (sw & 0x3f) &&
                 s.c1_round_up == !!(sw & FP_C1),
                 "fbstp rc=%d " FXF " want %02x%02x..%02x%02x fl=%02x got %02x%02x..%02x%02x fl=%02x",
                 rc, FXA(a), want[9], want[8], want[1], want[0], sw & 0x3f, got[9], got[8],
                 got[1], got[0], s.flags);

        uint8_t bcd[10];
        for (int k = 0; k < 9; k++)
            bcd[k] = (uint8_t)(sf_below(&rng, 10) << 4 | sf_below(&rng, 10));
        bcd[9] = (i & 2) ? 0x80 : 0;
        if (i % 5 == 0)
            memset(bcd, 0, 9);
        Fx80 wf, gf = fx80_from_bcd(bcd);
        host_fbld(bcd, &wf);
        SF_CHECK(&rep, fx80_same(gf, wf), "fbld %02x%02x..%02x want " FXF " got " FXF, bcd[9],
                 bcd[8], bcd[0], FXA(wf), FXA(gf));
    }
    SF_DONE(&rep);
    /* SDM vol. 1 table 4-4: the packed BCD indefinite */
    FpStatus s = FP_STATUS_X87_INIT;
    uint8_t out[10], indef[10] = { 0, 0, 0, 0, 0, 0, 0, 0xc0, 0xff, 0xff };
    fx80_to_bcd(fx80_make(false, 0x3fff + 60, 1ull << 63), out, &s);
    ck_assert_mem_eq(out, indef, 10);
    ck_assert_int_eq(s.flags, FP_IE);
}
END_TEST

#endif /* SF_HAVE_HOST */

/* Values from the manuals, independent of the host. */
START_TEST(test_softfloat_fx80_manual_values)
{
    FpStatus s = FP_STATUS_X87_INIT;
    Fx80 zero = fx80_make(false, 0, 0), one = fx80_make(false, 0x3fff, 1ull << 63);

    /* 0/0 -> real indefinite FFFF C000000000000000 with IE (SDM vol. 1 §4.8.3.7) */
    ck_assert(fx80_same(fx80_div(zero, zero, &s), FX80_INDEFINITE));
    ck_assert_int_eq(s.flags, FP_IE);
    /* 1/0 -> +inf with ZE */
    s.flags = 0;
    ck_assert(fx80_same(fx80_div(one, zero, &s), fx80_make(false, 0x7fff, 1ull << 63)));
    ck_assert_int_eq(s.flags, FP_ZE);
    /* FIST of a NaN stores the integer indefinite */
    s.flags = 0;
    ck_assert_int_eq(fx80_to_i32(FX80_INDEFINITE, &s), INT32_MIN);
    ck_assert_int_eq(s.flags, FP_IE);
    /* an unnormal is an invalid operand */
    s.flags = 0;
    ck_assert(fx80_same(fx80_add(fx80_make(false, 0x3fff, 1), one, &s), FX80_INDEFINITE));
    ck_assert_int_eq(s.flags, FP_IE);
}
END_TEST

TEST_SUITE(softfloat_fx80)
{
    Suite *s = suite_create("softfloat_fx80");
    TCase *tc = tcase_create("x87");
    tcase_set_timeout(tc, 60);
#if SF_HAVE_HOST
    tcase_add_test(tc, test_softfloat_fx80_add);
    tcase_add_test(tc, test_softfloat_fx80_sub);
    tcase_add_test(tc, test_softfloat_fx80_mul);
    tcase_add_test(tc, test_softfloat_fx80_div);
    tcase_add_test(tc, test_softfloat_fx80_unmasked_wrap);
    tcase_add_test(tc, test_softfloat_fx80_sqrt);
    tcase_add_test(tc, test_softfloat_fx80_tininess);
    tcase_add_test(tc, test_softfloat_fx80_prem);
    tcase_add_test(tc, test_softfloat_fx80_prem1);
    tcase_add_test(tc, test_softfloat_fx80_rndint);
    tcase_add_test(tc, test_softfloat_fx80_scale);
    tcase_add_test(tc, test_softfloat_fx80_xtract);
    tcase_add_test(tc, test_softfloat_fx80_compare);
    tcase_add_test(tc, test_softfloat_fx80_examine);
    tcase_add_test(tc, test_softfloat_fx80_const);
    tcase_add_test(tc, test_softfloat_fx80_to_int);
    tcase_add_test(tc, test_softfloat_fx80_from_int);
    tcase_add_test(tc, test_softfloat_fx80_f32_f64);
    tcase_add_test(tc, test_softfloat_fx80_bcd);
#endif
    tcase_add_test(tc, test_softfloat_fx80_manual_values);
    suite_add_tcase(s, tc);
    return s;
}
