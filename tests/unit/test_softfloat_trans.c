/* test_softfloat_trans.c — x87 transcendentals against the host x87.
 *
 * Finite results must be within 1 ulp of the host's (the x87 itself is not
 * correctly rounded); special results, NaNs and the IE/DE/ZE flags must be
 * identical. The worst ulp distance seen per instruction is printed, so a
 * drop in accuracy is visible even while within the bound.
 */
#include "unit/testlib.h"
#include "unit/sf_host.h"

#define N_RANDOM 50000  /* per instruction */

#if SF_HAVE_HOST

/* Signed position of an Fx80 on the number line, in ulps (canonical encodings). */
static __int128 fx80_key(Fx80 a)
{
    __int128 k = (__int128)(a.se & 0x7fff) << 63 | (a.mant & ~(1ull << 63));
    if ((a.se & 0x7fff) == 0)
        k = a.mant;
    return (a.se & 0x8000) ? -k : k;
}

static bool fx80_is_num(Fx80 a) { return (a.se & 0x7fff) != 0x7fff || a.mant == 1ull << 63; }

typedef struct {
    SfReport rep;
    long worst, off_by_one;
} TransReport;

/* got within 1 ulp of want; both NaNs must be identical. Flags other than
 * UE/PE must match; UE/PE too when the results are identical. */
static void trans_check(TransReport *t, const char *what, Fx80 in1, Fx80 in2, Fx80 want,
                        uint16_t sw, Fx80 got, uint8_t flags)
{
    long d = 0;
    bool ok;

    if (fx80_is_num(want) && fx80_is_num(got)) {
        __int128 diff = fx80_key(want) - fx80_key(got);
        d = diff < 0 ? (long)-diff : (long)diff;
        if (diff > 1000 || diff < -1000)
            d = 1000;
        ok = d <= 1;
    } else {
        ok = fx80_same(want, got);
    }
    uint8_t mask = d ? FP_IE | FP_DE | FP_ZE : FP_ALL_EXC;
    ok = ok && ((sw ^ flags) & mask) == 0;
    if (d > t->worst)
        t->worst = d;
    t->off_by_one += d == 1;
    SF_CHECK(&t->rep, ok, "%s " FXF " , " FXF " -> want " FXF " fl=%02x, got " FXF " fl=%02x (%ld ulp)",
             what, FXA(in1), FXA(in2), FXA(want), sw & 0x3f, FXA(got), flags, d);
}

static void trans_done(TransReport *t)
{
    fprintf(stderr, "%-8s %6ld checks, %5ld off by 1 ulp, worst %ld ulp\n", t->rep.what,
            t->rep.total, t->off_by_one, t->worst);
    SF_DONE(&t->rep);
}

/* x near k * pi66/2 (the x87's reduction constant) to stress the reduction. */
static Fx80 near_multiple_of_pi(SfRng *rng)
{
    uint64_t k = sf_rand(rng) >> (24 + sf_below(rng, 38));
    unsigned __int128 p = ((unsigned __int128)0x3 << 64) | 0x243F6A8885A308D3ull;
    unsigned __int128 n = (unsigned __int128)(k | 1) * p;     /* k * pi66 * 2^64, < 2^106 */
    int lz = n >> 64 ? __builtin_clzll((uint64_t)(n >> 64)) : 64 + __builtin_clzll((uint64_t)n);
    n <<= lz;
    uint64_t m = (uint64_t)(n >> 64) + (sf_rand(rng) & 3) - 1;
    /* value = n * 2^(-65 - lz) ... exponent of the leading bit: 127 - lz - 65 */
    return fx80_make(sf_rand(rng) & 1, (uint16_t)(0x3fff + 127 - lz - 65), m | 1ull << 63);
}

static Fx80 trig_operand(SfRng *rng, int i)
{
    switch (i % 4) {
    case 0:
        return sf_rand_fx80(rng);
    case 1:
        return near_multiple_of_pi(rng);
    default: {
        Fx80 a = sf_rand_fx80(rng);
        a.mant |= 1ull << 63;
        a.se = (a.se & 0x8000) | (uint16_t)(0x3fff - 70 + sf_below(rng, 134));
        return a;
    }
    }
}

START_TEST(test_softfloat_trans_sin_cos)
{
    TransReport ts = { { "fsin", 0, 0 }, 0, 0 }, tc = { { "fcos", 0, 0 }, 0, 0 };
    TransReport tsc = { { "fsincos", 0, 0 }, 0, 0 };
    SfRng rng = { 600 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 a = trig_operand(&rng, i), want, want2, got, got2;
        int rc = (i >> 2) & 3;
        uint16_t cw = x87_cw(rc, sf_precisions[i % 3], 0x3f), sw;
        FpStatus s = { .rounding = rc, .precision = sf_precisions[i % 3], .masks = 0x3f };

        sw = host_fsin(a, cw, &want);
        got = a;
        bool in_range = fx80_sin(a, &got, &s);
        ck_assert_int_eq(in_range, !(sw & FP_C2));
        trans_check(&ts, "fsin", a, a, want, sw, got, s.flags);

        s.flags = 0;
        sw = host_fcos(a, cw, &want);
        got = a;
        fx80_cos(a, &got, &s);
        trans_check(&tc, "fcos", a, a, want, sw, got, s.flags);

        s.flags = 0;
        sw = host_fsincos(a, cw, &want2, &want);   /* st0 = cos, st1 = sin */
        got = got2 = a;
        if (!fx80_sincos(a, &got, &got2, &s))
            want = want2 = a, got = got2 = a;       /* out of range: stack unchanged */
        trans_check(&tsc, "fsincos", a, a, want, sw, got, s.flags);
        trans_check(&tsc, "fsincos", a, a, want2, sw, got2, s.flags);
    }
    trans_done(&ts);
    trans_done(&tc);
    trans_done(&tsc);
}
END_TEST

START_TEST(test_softfloat_trans_tan)
{
    TransReport t = { { "fptan", 0, 0 }, 0, 0 };
    SfRng rng = { 601 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 a = trig_operand(&rng, i), one, want, got = a;
        int rc = (i >> 2) & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_fptan(a, x87_cw(rc, 64, 0x3f), &one, &want);
        if (!fx80_tan(a, &got, &s)) {
            ck_assert(sw & FP_C2);
            continue;
        }
        /* FPTAN pushes 1.0 after the tangent, or the NaN result again */
        ck_assert(fx80_same(one, fx80_is_num(want) ? fx80_make(false, 0x3fff, 1ull << 63) : want));
        trans_check(&t, "fptan", a, a, want, sw, got, s.flags);
    }
    trans_done(&t);
}
END_TEST

START_TEST(test_softfloat_trans_f2xm1)
{
    TransReport t = { { "f2xm1", 0, 0 }, 0, 0 };
    SfRng rng = { 602 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 a = sf_rand_fx80_exp(&rng, 0x3ffe - (int)sf_below(&rng, 2) * 40), want, got;
        /* the x87 defines F2XM1 for -1 <= a <= +1 only */
        if ((a.se & 0x7fff) >= 0x3fff && (a.se & 0x7fff) != 0x7fff)
            a = fx80_make(a.se >> 15, 0x3fff, 1ull << 63);
        if ((a.se & 0x7fff) == 0x7fff && a.mant == 1ull << 63)
            continue;
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_f2xm1(a, x87_cw(rc, 64, 0x3f), &want);
        got = fx80_f2xm1(a, &s);
        trans_check(&t, "f2xm1", a, a, want, sw, got, s.flags);
    }
    trans_done(&t);
}
END_TEST

START_TEST(test_softfloat_trans_fyl2x)
{
    TransReport t = { { "fyl2x", 0, 0 }, 0, 0 };
    SfRng rng = { 603 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 x = sf_rand_fx80(&rng), y = sf_rand_fx80(&rng), want, got;
        if (i % 3 == 0)     /* x near 1 */
            x = fx80_make(false, 0x3fff - (i & 1), (i & 1) ? ~0ull << sf_below(&rng, 60)
                                                          : 1ull << 63 | sf_rand(&rng) >> sf_below(&rng, 64));
        else if (i % 3 == 1)
            x.se &= 0x7fff;
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_fyl2x(x, y, x87_cw(rc, 64, 0x3f), &want);
        got = fx80_fyl2x(x, y, &s);
        trans_check(&t, "fyl2x", x, y, want, sw, got, s.flags);
    }
    trans_done(&t);
}
END_TEST

START_TEST(test_softfloat_trans_fyl2xp1)
{
    TransReport t = { { "fyl2xp1", 0, 0 }, 0, 0 };
    SfRng rng = { 604 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 x = sf_rand_fx80_exp(&rng, 0x3ffd - (int)sf_below(&rng, 2) * 40), y = sf_rand_fx80(&rng);
        Fx80 want, got;
        /* defined for |x| < 1 - sqrt(2)/2 ~ 0.2929 (0x3ffd:95f619980c4336f7) */
        uint16_t e = x.se & 0x7fff;
        if (e != 0x7fff && (e > 0x3ffd || (e == 0x3ffd && x.mant >= 0x95f619980c4336f7ull)))
            x.se = (x.se & 0x8000) | 0x3ffc;
        if (e == 0x7fff && x.mant == 1ull << 63)
            continue;
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_fyl2xp1(x, y, x87_cw(rc, 64, 0x3f), &want);
        got = fx80_fyl2xp1(x, y, &s);
        trans_check(&t, "fyl2xp1", x, y, want, sw, got, s.flags);
    }
    trans_done(&t);
}
END_TEST

START_TEST(test_softfloat_trans_patan)
{
    TransReport t = { { "fpatan", 0, 0 }, 0, 0 };
    SfRng rng = { 605 };

    for (int i = 0; i < N_RANDOM; i++) {
        Fx80 x, y, want, got;
        sf_rand_fx80_pair(&rng, &x, &y);
        int rc = i & 3;
        FpStatus s = { .rounding = rc, .precision = 64, .masks = 0x3f };
        uint16_t sw = host_fpatan(x, y, x87_cw(rc, 64, 0x3f), &want);   /* st0 = x, st1 = y */
        got = fx80_patan(y, x, &s);
        trans_check(&t, "fpatan", y, x, want, sw, got, s.flags);
    }
    trans_done(&t);
}
END_TEST

#endif /* SF_HAVE_HOST */

/* Values from the manuals, independent of the host. */
START_TEST(test_softfloat_trans_manual_values)
{
    FpStatus s = FP_STATUS_X87_INIT;
    Fx80 r, big = fx80_make(false, 0x3fff + 63, 1ull << 63);
    Fx80 one = fx80_make(false, 0x3fff, 1ull << 63), zero = fx80_make(false, 0, 0);

    /* |x| >= 2^63: C2 = 1, operand untouched, no flags (SDM vol. 2 FSIN) */
    r = one;
    ck_assert(!fx80_sin(big, &r, &s));
    ck_assert(fx80_same(r, one));
    ck_assert_int_eq(s.flags, 0);
    /* fsin(inf) is invalid */
    ck_assert(fx80_sin(fx80_make(true, 0x7fff, 1ull << 63), &r, &s));
    ck_assert(fx80_same(r, FX80_INDEFINITE));
    ck_assert_int_eq(s.flags, FP_IE);
    /* fcos(0) = 1 exactly */
    s.flags = 0;
    fx80_cos(zero, &r, &s);
    ck_assert(fx80_same(r, one));
    ck_assert_int_eq(s.flags, 0);
    /* fpatan(+1, +0) = pi/2 rounded to nearest: C90FDAA22168C235 * 2^-63 */
    s.flags = 0;
    r = fx80_patan(one, zero, &s);
    ck_assert(fx80_same(r, fx80_make(false, 0x3fff, 0xC90FDAA22168C235ull)));
    /* fyl2x(0, 1): -inf with ZE */
    s.flags = 0;
    r = fx80_fyl2x(zero, one, &s);
    ck_assert(fx80_same(r, fx80_make(true, 0x7fff, 1ull << 63)));
    ck_assert_int_eq(s.flags, FP_ZE);
    /* f2xm1(1) = 1, f2xm1(-1) = -0.5, exactly, yet reported inexact */
    s.flags = 0;
    ck_assert(fx80_same(fx80_f2xm1(one, &s), one));
    ck_assert(fx80_same(fx80_f2xm1(fx80_make(true, 0x3fff, 1ull << 63), &s),
                        fx80_make(true, 0x3ffe, 1ull << 63)));
    ck_assert_int_eq(s.flags, FP_PE);
}
END_TEST

TEST_SUITE(softfloat_trans)
{
    Suite *s = suite_create("softfloat_trans");
    TCase *tc = tcase_create("x87");
    tcase_set_timeout(tc, 60);
#if SF_HAVE_HOST
    tcase_add_test(tc, test_softfloat_trans_sin_cos);
    tcase_add_test(tc, test_softfloat_trans_tan);
    tcase_add_test(tc, test_softfloat_trans_f2xm1);
    tcase_add_test(tc, test_softfloat_trans_fyl2x);
    tcase_add_test(tc, test_softfloat_trans_fyl2xp1);
    tcase_add_test(tc, test_softfloat_trans_patan);
#endif
    tcase_add_test(tc, test_softfloat_trans_manual_values);
    suite_add_tcase(s, tc);
    return s;
}
