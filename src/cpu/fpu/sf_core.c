/* sf_core.c — unpacking, NaN selection, rounding and packing.
 *
 * round_val() is the single place where results are rounded: it takes an
 * exact (or sticky-jammed) value of any width and produces the format's
 * significand and biased exponent, raising PE, UE and OE and applying the
 * masked or unmasked responses of SDM vol. 1 §4.9.1.4-4.9.1.6 and §8.5.4-5.
 */
#include "cpu/fpu/sf_internal.h"

typedef struct FmtInfo {
    int32_t emin, emax, bias;
} FmtInfo;

static const FmtInfo fmt_info[] = {
    [FMT_F32] = { -126, 127, 127 },
    [FMT_F64] = { -1022, 1023, 1023 },
    [FMT_X80] = { EXP_X80_MIN, 16383, X80_BIAS },
};

/* x87 bias adjust for unmasked overflow/underflow (SDM vol. 1 §8.5.4). */
#define X87_WRAP 24576

/* -- Unpacking -- */

Val sf_unpack_x80(Fx80 a)
{
    Val v = { .sign = a.se >> 15 };
    int32_t e = a.se & 0x7fff;
    uint64_t m = a.mant;

    if (e == 0x7fff) {
        if (!(m >> 63))
            v.cls = CLS_UNSUPPORTED;    /* pseudo-infinity, pseudo-NaN */
        else if (!(m << 1))
            v.cls = CLS_INF;
        else
            v.cls = (m >> 62 & 1) ? CLS_QNAN : CLS_SNAN;
        v.sig = U128(m, 0);
        return v;
    }
    if (e != 0 && !(m >> 63)) {
        v.cls = CLS_UNSUPPORTED;        /* unnormal */
        return v;
    }
    if (m == 0) {
        v.cls = CLS_ZERO;
        return v;
    }
    if (e == 0) {                       /* denormal or pseudo-denormal */
        v.denormal = true;
        e = 1;
    }
    int lz = __builtin_clzll(m);
    v.cls = CLS_FINITE;
    v.sig = U128(m << lz, 0);
    v.exp = e - X80_BIAS - lz;
    return v;
}

/* IEEE binary format with fbits fraction and ebits exponent bits. */
static Val unpack_ieee(uint64_t a, int fbits, int ebits, const FpStatus *s)
{
    Val v = { .sign = a >> (fbits + ebits) & 1 };
    int32_t emax_field = (1 << ebits) - 1, bias = emax_field >> 1;
    int32_t e = (a >> fbits) & emax_field;
    uint64_t f = a & ((1ull << fbits) - 1);

    if (e == emax_field) {
        v.cls = !f ? CLS_INF : (f >> (fbits - 1)) ? CLS_QNAN : CLS_SNAN;
        v.sig = U128(1ull << 63 | f << (63 - fbits), 0);
        return v;
    }
    if (e == 0) {
        if (!f || s->daz) {
            v.cls = CLS_ZERO;
            return v;
        }
        v.denormal = true;
        e = 1;
    } else {
        f |= 1ull << fbits;
    }
    int lz = __builtin_clzll(f);
    v.cls = CLS_FINITE;
    v.sig = U128(f << lz, 0);
    v.exp = e - bias + (63 - fbits) - lz;
    return v;
}

Val sf_unpack_f32(F32 a, const FpStatus *s) { return unpack_ieee(a, 23, 8, s); }
Val sf_unpack_f64(F64 a, const FpStatus *s) { return unpack_ieee(a, 52, 11, s); }

/* -- NaNs -- */

Val sf_quiet(Val v, FpStatus *s)
{
    if (v.cls == CLS_SNAN) {
        s->flags |= FP_IE;
        v.cls = CLS_QNAN;
        v.sig |= U128(1ull << 62, 0);
    }
    return v;
}

/* x87 (SDM vol. 1 table 4-7): a QNaN beats an SNaN; between two NaNs of the
 * same kind the larger significand wins, and on a tie the positive one. */
static const Val *pick_x87(const Val *a, const Val *b)
{
    if (a->cls != b->cls)
        return a->cls == CLS_QNAN ? a : b;
    if (a->sig != b->sig)
        return a->sig > b->sig ? a : b;
    return a->sign ? b : a;
}

Val sf_pick_nan(const Val *a, const Val *b, NanRule rule, FpStatus *s)
{
    if (a->cls == CLS_SNAN || (b && b->cls == CLS_SNAN))
        s->flags |= FP_IE;
    const Val *r;
    if (!b || !val_is_nan(b))
        r = a;
    else if (!val_is_nan(a))
        r = b;
    else
        r = rule == NAN_X87 ? pick_x87(a, b) : a;
    return sf_quiet(*r, s);
}

bool sf_check_nans(const Val *a, const Val *b, NanRule rule, Val *out, FpStatus *s)
{
    if (a->cls == CLS_UNSUPPORTED || (b && b->cls == CLS_UNSUPPORTED)) {
        s->flags |= FP_IE;
        *out = val_default_nan();
        return true;
    }
    if (val_is_nan(a) || (b && val_is_nan(b))) {
        *out = sf_pick_nan(a, b, rule, s);
        return true;
    }
    return false;
}

void sf_raise_denormal(const Val *a, const Val *b, FpStatus *s)
{
    if (a->denormal || (b && b->denormal))
        s->flags |= FP_DE;
}

/* -- Rounding -- */

static bool round_inc(u128 rem, u128 half, bool lsb, bool sign, int mode)
{
    switch (mode) {
    case FP_RN:
        return rem > half || (rem == half && lsb);
    case FP_RU:
        return rem && !sign;
    case FP_RD:
        return rem && sign;
    default:
        return false;
    }
}

u128 sf_round_shift(u128 v, int shift, bool sign, int mode, bool *inexact)
{
    if (shift <= 0) {
        *inexact = false;
        return v;
    }
    if (shift > 126) {
        v = shr_jam128(v, shift - 126);
        shift = 126;
    }
    u128 mask = ((u128)1 << shift) - 1, rem = v & mask, q = v >> shift;
    *inexact = rem != 0;
    return q + round_inc(rem, (u128)1 << (shift - 1), q & 1, sign, mode);
}

typedef struct Rounded {
    int32_t bexp;   /* biased exponent field */
    uint64_t sig;   /* significand, integer bit at 63 */
} Rounded;

/* Does rounding the normalized sig to 128 - shift bits carry out of bit 127? */
static bool round_carries(u128 sig, int shift, bool sign, int mode)
{
    u128 mask = ((u128)1 << shift) - 1;
    if ((sig | mask) != ~(u128)0)
        return false;
    return round_inc(sig & mask, (u128)1 << (shift - 1), true, sign, mode);
}

static Rounded overflow(const FmtInfo *f, int prec, bool sign, FpStatus *s)
{
    int m = s->rounding;
    bool to_inf = m == FP_RN || (m == FP_RU && !sign) || (m == FP_RD && sign);

    s->flags |= FP_OE | FP_PE;
    s->c1_round_up = to_inf;
    if (to_inf)
        return (Rounded){ f->emax + f->bias + 1, 1ull << 63 };
    return (Rounded){ f->emax + f->bias, ~0ull << (64 - prec) };
}

/* Round sign * sig * 2^(exp - 127), sig != 0, to prec bits in fmt. */
static Rounded round_val(FpFmt fmt, int prec, bool sign, int32_t exp, u128 sig, FpStatus *s)
{
    const FmtInfo *f = &fmt_info[fmt];
    int shift = 128 - prec, lz = clz128(sig);
    bool tiny = false, wrap = fmt == FMT_X80;

    sig <<= lz;
    exp -= lz;
    s->c1_round_up = false;
    if (exp < f->emin) {
        /* Tininess after rounding: only a carry into 2^emin saves it. */
        tiny = !(exp == f->emin - 1 && round_carries(sig, shift, sign, s->rounding));
        if (tiny && !(s->masks & FP_UE)) {
            s->flags |= FP_UE;
            tiny = false;
            if (wrap)
                exp += X87_WRAP;
        } else if (tiny && s->ftz) {
            s->flags |= FP_UE | FP_PE;  /* SDM vol. 1 §10.2.3.3 flush to zero */
            return (Rounded){ 0, 0 };
        }
        if (exp < f->emin) {
            sig = shr_jam128(sig, f->emin - exp);
            exp = f->emin;
        }
    }

    u128 mask = ((u128)1 << shift) - 1, rem = sig & mask;
    sig -= rem;
    if (rem) {
        s->flags |= FP_PE | (tiny ? FP_UE : 0);
        if (round_inc(rem, (u128)1 << (shift - 1), (sig >> shift) & 1, sign, s->rounding)) {
            s->c1_round_up = true;
            sig += (u128)1 << shift;
            if (sig == 0) {
                sig = (u128)1 << 127;
                exp++;
            }
        }
    }
    if (exp > f->emax) {
        if (s->masks & FP_OE)
            return overflow(f, prec, sign, s);
        s->flags |= FP_OE;
        if (!wrap || exp - X87_WRAP > f->emax)     /* beyond even the wrapped range */
            return (Rounded){ f->emax + f->bias + 1, 1ull << 63 };
        exp -= X87_WRAP;
    }
    if (!(sig >> 127))
        return (Rounded){ 0, (uint64_t)(sig >> 64) };
    return (Rounded){ exp + f->bias, (uint64_t)(sig >> 64) };
}

/* -- Packing -- */

Fx80 sf_pack_x80(Val v, int prec, FpStatus *s)
{
    Rounded r;

    s->c1_round_up = false;
    switch (v.cls) {
    case CLS_ZERO:
        return fx80_make(v.sign, 0, 0);
    case CLS_INF:
        return fx80_make(v.sign, 0x7fff, 1ull << 63);
    case CLS_QNAN:
    case CLS_SNAN:
        return fx80_make(v.sign, 0x7fff, (uint64_t)(v.sig >> 64));
    case CLS_FINITE:
        r = round_val(FMT_X80, prec, v.sign, v.exp, v.sig, s);
        return fx80_make(v.sign, r.bexp, r.sig);
    default:
        return FX80_INDEFINITE;
    }
}

/* IEEE packing: fbits fraction bits, ebits exponent bits. */
static uint64_t pack_ieee(Val v, FpFmt fmt, int fbits, int ebits, FpStatus *s)
{
    uint64_t sign = (uint64_t)v.sign << (fbits + ebits);
    uint64_t emax_field = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
    Rounded r;

    switch (v.cls) {
    case CLS_ZERO:
        return sign;
    case CLS_FINITE:
        r = round_val(fmt, fbits + 1, v.sign, v.exp, v.sig, s);
        return sign | (uint64_t)r.bexp << fbits | ((r.sig >> (63 - fbits)) & fmask);
    case CLS_QNAN:
    case CLS_SNAN:
        return sign | emax_field << fbits | ((uint64_t)(v.sig >> (127 - fbits)) & fmask);
    case CLS_INF:
        return sign | emax_field << fbits;
    default:
        return (emax_field << fbits | 1ull << (fbits - 1)) | 1ull << (fbits + ebits);
    }
}

F32 sf_pack_f32(Val v, FpStatus *s) { return (F32)pack_ieee(v, FMT_F32, 23, 8, s); }
F64 sf_pack_f64(Val v, FpStatus *s) { return pack_ieee(v, FMT_F64, 52, 11, s); }
