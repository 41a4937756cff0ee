/* sf_fx80.c — x87 double-extended arithmetic and the non-transcendental
 * x87 operations: FADD/FSUB/FMUL/FDIV/FSQRT (honouring precision control),
 * FPREM/FPREM1, FRNDINT, FSCALE, FXTRACT, FCOM/FUCOM, FXAM and the FLDxx
 * constants. Every result goes through sf_pack_x80, which sets C1.
 */
#include "cpu/fpu/sf_internal.h"

static Fx80 pack64(Val v, FpStatus *s) { return sf_pack_x80(v, 64, s); }

static Fx80 invalid(FpStatus *s)
{
    s->flags |= FP_IE;
    s->c1_round_up = false;
    return FX80_INDEFINITE;
}

/* -- Basic arithmetic -- */

Fx80 fx80_add(Fx80 a, Fx80 b, FpStatus *s)
{
    Val r = sf_add(sf_unpack_x80(a), sf_unpack_x80(b), false, NAN_X87, s);
    return sf_pack_x80(r, s->precision, s);
}

Fx80 fx80_sub(Fx80 a, Fx80 b, FpStatus *s)
{
    Val r = sf_add(sf_unpack_x80(a), sf_unpack_x80(b), true, NAN_X87, s);
    return sf_pack_x80(r, s->precision, s);
}

Fx80 fx80_mul(Fx80 a, Fx80 b, FpStatus *s)
{
    Val r = sf_mul(sf_unpack_x80(a), sf_unpack_x80(b), NAN_X87, s);
    return sf_pack_x80(r, s->precision, s);
}

Fx80 fx80_div(Fx80 a, Fx80 b, FpStatus *s)
{
    Val r = sf_div(sf_unpack_x80(a), sf_unpack_x80(b), NAN_X87, s);
    return sf_pack_x80(r, s->precision, s);
}

Fx80 fx80_sqrt(Fx80 a, FpStatus *s)
{
    return sf_pack_x80(sf_sqrt(sf_unpack_x80(a), NAN_X87, s), s->precision, s);
}

/* -- FPREM, FPREM1 (SDM vol. 2 FPREM/FPREM1) -- */

static Fx80 prem(Fx80 a, Fx80 b, bool ieee, uint16_t *cc, FpStatus *s)
{
    Val va = sf_unpack_x80(a), vb = sf_unpack_x80(b), r;

    *cc = 0;
    if (sf_check_nans(&va, &vb, NAN_X87, &r, s))
        return pack64(r, s);
    if (va.cls == CLS_INF || vb.cls == CLS_ZERO)
        return invalid(s);
    sf_raise_denormal(&va, &vb, s);
    int32_t d = va.exp - vb.exp;
    if (va.cls == CLS_ZERO || vb.cls == CLS_INF || d < (ieee ? -1 : 0))
        return pack64(va, s);

    uint64_t am = va.sig >> 64, bm = vb.sig >> 64;
    int32_t unit = MIN(va.exp, vb.exp) - 63;   /* exponent of the remainder's LSB */
    u128 num = (u128)am << MAX(d, 0), den = (u128)bm << MAX(-d, 0);
    bool sign = va.sign;
    if (d >= 64) {
        /* Partial remainder: reduce the exponent difference to a multiple
         * of 32, by 32 + (d mod 32) bits (measured on Intel hardware). */
        int n = 32 + d % 32;
        num = (u128)am << n;
        unit = vb.exp + (d - n) - 63;
        *cc = FP_C2;
    }
    u128 q = num / den, rem = num % den;
    if (ieee && !*cc && (2 * rem > den || (2 * rem == den && (q & 1)))) {
        q++;
        rem = den - rem;
        sign = !sign;
    }
    if (!*cc)
        *cc = (q & 4 ? FP_C0 : 0) | (q & 2 ? FP_C3 : 0) | (q & 1 ? FP_C1 : 0);
    if (rem == 0)
        return pack64(val_zero(va.sign), s);
    return pack64(val_finite(sign, unit + 127, rem), s);
}

Fx80 fx80_prem(Fx80 a, Fx80 b, uint16_t *cc, FpStatus *s) { return prem(a, b, false, cc, s); }
Fx80 fx80_prem1(Fx80 a, Fx80 b, uint16_t *cc, FpStatus *s) { return prem(a, b, true, cc, s); }

/* -- FRNDINT, FSCALE, FXTRACT -- */

Fx80 fx80_round_int(Fx80 a, FpStatus *s)
{
    Val v = sf_unpack_x80(a), r;
    bool inexact;

    if (sf_check_nans(&v, NULL, NAN_X87, &r, s))
        return pack64(r, s);
    sf_raise_denormal(&v, NULL, s);
    if (v.cls != CLS_FINITE || v.exp >= 63)
        return pack64(v, s);
    int shift = 127 - v.exp;
    u128 q = sf_round_shift(v.sig, shift, v.sign, s->rounding, &inexact);
    u128 trunc = shift >= 128 ? 0 : v.sig >> shift;
    Fx80 res = pack64(q ? val_finite(v.sign, 127, q) : val_zero(v.sign), s);
    if (inexact)
        s->flags |= FP_PE;
    s->c1_round_up = q > trunc;
    return res;
}

Fx80 fx80_scale(Fx80 a, Fx80 b, FpStatus *s)
{
    Val va = sf_unpack_x80(a), vb = sf_unpack_x80(b), r;

    if (sf_check_nans(&va, &vb, NAN_X87, &r, s))
        return pack64(r, s);
    sf_raise_denormal(&va, &vb, s);
    if (vb.cls == CLS_INF) {
        /* SDM vol. 2 FSCALE table: 0 * 2^+inf and inf * 2^-inf are invalid. */
        if (va.cls == (vb.sign ? CLS_INF : CLS_ZERO))
            return invalid(s);
        return pack64(vb.sign ? val_zero(va.sign) : val_inf(va.sign), s);
    }
    if (va.cls != CLS_FINITE)
        return pack64(va, s);
    int32_t n = 0;
    if (vb.cls == CLS_FINITE && vb.exp >= 0)
        n = vb.exp > 20 ? 1 << 20 : (int32_t)(vb.sig >> (127 - vb.exp));
    va.exp += vb.sign ? -n : n;
    return pack64(va, s);
}

Fx80 fx80_xtract(Fx80 a, Fx80 *significand, FpStatus *s)
{
    Val v = sf_unpack_x80(a), r;

    s->c1_round_up = false;
    if (sf_check_nans(&v, NULL, NAN_X87, &r, s)) {
        *significand = pack64(r, s);
        return *significand;
    }
    sf_raise_denormal(&v, NULL, s);
    if (v.cls == CLS_ZERO) {
        s->flags |= FP_ZE;
        *significand = fx80_make(v.sign, 0, 0);
        return fx80_make(true, 0x7fff, 1ull << 63);
    }
    if (v.cls == CLS_INF) {
        *significand = a;
        return fx80_make(false, 0x7fff, 1ull << 63);
    }
    *significand = fx80_make(v.sign, X80_BIAS, (uint64_t)(v.sig >> 64));
    return fx80_from_i64(v.exp);
}

/* -- Comparison and classification -- */

FpRel fx80_compare(Fx80 a, Fx80 b, bool quiet, FpStatus *s)
{
    Val va = sf_unpack_x80(a), vb = sf_unpack_x80(b);

    if (va.cls == CLS_UNSUPPORTED || vb.cls == CLS_UNSUPPORTED) {
        s->flags |= FP_IE;
        return FP_REL_UN;
    }
    if (val_is_nan(&va) || val_is_nan(&vb)) {
        if (!quiet || va.cls == CLS_SNAN || vb.cls == CLS_SNAN)
            s->flags |= FP_IE;
        return FP_REL_UN;
    }
    sf_raise_denormal(&va, &vb, s);
    return sf_compare(&va, &vb);
}

uint16_t fx80_examine(Fx80 a)
{
    Val v = sf_unpack_x80(a);
    uint16_t c1 = v.sign ? FP_C1 : 0;

    switch (v.cls) {
    case CLS_QNAN:
    case CLS_SNAN:
        return c1 | FP_C0;
    case CLS_FINITE:
        return c1 | (v.denormal ? FP_C3 | FP_C2 : FP_C2);
    case CLS_INF:
        return c1 | FP_C2 | FP_C0;
    case CLS_ZERO:
        return c1 | FP_C3;
    default:
        return c1;      /* unsupported */
    }
}

/* -- Constants -- */

/* 128-bit significands, value = sig * 2^(exp - 127) (computed with mpmath). */
static const struct { int32_t exp; uint64_t hi, lo; } fx80_consts[] = {
    [FP_CONST_1] = { 0, 0x8000000000000000ull, 0 },
    [FP_CONST_L2T] = { 1, 0xd49a784bcd1b8afeull, 0x492bf6ff4dafdb4cull },
    [FP_CONST_L2E] = { 0, 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull },
    [FP_CONST_PI] = { 1, 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
    [FP_CONST_LG2] = { -2, 0x9a209a84fbcff798ull, 0x8f8959ac0b7c9178ull },
    [FP_CONST_LN2] = { -1, 0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull },
};

Fx80 fx80_const(FpConst which, FpStatus *s)
{
    FpStatus t = *s;

    s->c1_round_up = false;
    if (which == FP_CONST_Z)
        return fx80_make(false, 0, 0);
    Val v = val_finite(false, fx80_consts[which].exp,
                       U128(fx80_consts[which].hi, fx80_consts[which].lo));
    v.sig |= v.sig << 64 != 0;  /* the irrational tail is nonzero: sticky */
    return pack64(v, &t);
}
