/* sf_arith.c — add, multiply, divide, square root, integer conversion and
 * ordering, shared by the x87 (Fx80) and SSE (F32/F64) front ends.
 *
 * Inputs are unpacked Vals whose significands hold at most 64 bits (in bits
 * 127..64); results are exact or carry a sticky bit well below any rounding
 * position, so the packer rounds them once. Special operands follow IEEE 754
 * and SDM vol. 1 §4.8.3 (invalid operations) and §4.9.1.2 (denormal
 * operands: DE only when the operand is used to compute a result, not
 * when a NaN, an invalid operation or a division by zero decides it).
 */
#include "cpu/fpu/sf_internal.h"

static Val val_invalid(FpStatus *s)
{
    s->flags |= FP_IE;
    return val_default_nan();
}

/* |a| + |b| or |a| - |b| with |a| >= |b|, both finite nonzero. */
static Val add_finite(Val a, Val b, FpStatus *s)
{
    if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
        Val t = a;
        a = b;
        b = t;
    }
    u128 x = a.sig >> 1, y = shr_jam128(b.sig >> 1, a.exp - b.exp);
    if (a.sign == b.sign)
        return val_finite(a.sign, a.exp + 1, x + y);
    if (x == y)
        return val_zero(s->rounding == FP_RD);  /* IEEE 754 §6.3 exact zero sum */
    return val_finite(a.sign, a.exp + 1, x - y);
}

Val sf_add(Val a, Val b, bool negate_b, NanRule rule, FpStatus *s)
{
    Val r;

    if (sf_check_nans(&a, &b, rule, &r, s))
        return r;
    b.sign ^= negate_b;
    sf_raise_denormal(&a, &b, s);
    if (a.cls == CLS_INF && b.cls == CLS_INF && a.sign != b.sign)
        return val_invalid(s);
    if (a.cls == CLS_INF || b.cls == CLS_INF)
        return a.cls == CLS_INF ? a : b;
    if (a.cls == CLS_ZERO && b.cls == CLS_ZERO)
        return val_zero(a.sign == b.sign ? a.sign : s->rounding == FP_RD);
    if (b.cls == CLS_ZERO)
        return a;
    if (a.cls == CLS_ZERO)
        return b;
    return add_finite(a, b, s);
}

Val sf_mul(Val a, Val b, NanRule rule, FpStatus *s)
{
    Val r;
    bool sign = a.sign ^ b.sign;

    if (sf_check_nans(&a, &b, rule, &r, s))
        return r;
    sf_raise_denormal(&a, &b, s);
    if (a.cls == CLS_INF || b.cls == CLS_INF) {
        if (a.cls == CLS_ZERO || b.cls == CLS_ZERO)
            return val_invalid(s);
        return val_inf(sign);
    }
    if (a.cls == CLS_ZERO || b.cls == CLS_ZERO)
        return val_zero(sign);
    u128 prod = (u128)(uint64_t)(a.sig >> 64) * (uint64_t)(b.sig >> 64);
    return val_finite(sign, a.exp + b.exp + 1, prod);
}

Val sf_div(Val a, Val b, NanRule rule, FpStatus *s)
{
    Val r;
    bool sign = a.sign ^ b.sign;

    if (sf_check_nans(&a, &b, rule, &r, s))
        return r;
    if (a.cls == CLS_INF && b.cls == CLS_INF)
        return val_invalid(s);
    if (b.cls == CLS_ZERO) {
        if (a.cls == CLS_ZERO)
            return val_invalid(s);
        if (a.cls != CLS_INF)
            s->flags |= FP_ZE;  /* before DE: a denormal dividend is not reported */
        return val_inf(sign);
    }
    sf_raise_denormal(&a, &b, s);
    if (a.cls == CLS_INF)
        return val_inf(sign);
    if (b.cls == CLS_INF)
        return val_zero(sign);
    if (a.cls == CLS_ZERO)
        return val_zero(sign);

    /* 127-bit quotient of the 64-bit significands, remainder as sticky. */
    uint64_t bs = b.sig >> 64;
    u128 n = (u128)(uint64_t)(a.sig >> 64) << 63;
    u128 qh = n / bs, n2 = (n % bs) << 64;
    u128 q = qh << 64 | n2 / bs | (n2 % bs != 0);
    return val_finite(sign, a.exp - b.exp, q);
}

/* floor(sqrt(v)) of a 64-bit value, bit by bit. */
static uint64_t isqrt64(uint64_t v)
{
    uint64_t root = 0, bit = 1ull << 62;

    while (bit > v)
        bit >>= 2;
    for (; bit; bit >>= 2) {
        if (v >= root + bit) {
            v -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
    }
    return root;
}

/* floor(sqrt(x * 2^70)) for 2^63 <= x < 2^65, and whether it is inexact:
 * one Newton step from a 32-bit root of the top bits gives 64 bits, then
 * four digit-by-digit steps give the guard bits. */
static u128 isqrt_scaled(u128 x, bool *inexact)
{
    u128 y = x << 62;
    u128 r = (u128)isqrt64((uint64_t)(y >> 64)) << 32;

    r = (r + y / r) >> 1;
    while (r * r > y)
        r--;
    while ((r + 1) * (r + 1) <= y)
        r++;
    u128 rem = y - r * r;
    for (int i = 0; i < 4; i++) {
        rem <<= 2;
        r <<= 1;
        if (rem >= (r << 1 | 1)) {
            rem -= r << 1 | 1;
            r |= 1;
        }
    }
    *inexact = rem != 0;
    return r;
}

Val sf_sqrt(Val a, NanRule rule, FpStatus *s)
{
    Val r;
    bool inexact;

    if (sf_check_nans(&a, NULL, rule, &r, s))
        return r;
    if (a.cls == CLS_ZERO)
        return a;
    if (a.sign)
        return val_invalid(s);
    sf_raise_denormal(&a, NULL, s);
    if (a.cls == CLS_INF)
        return a;

    /* a = x * 2^e with e even; sqrt(a) = root * 2^(e/2 - 35). */
    int32_t e = a.exp - 63;
    u128 x = a.sig >> 64;
    if (e & 1) {
        x <<= 1;
        e -= 1;
    }
    u128 root = isqrt_scaled(x, &inexact);
    return val_finite(false, e / 2 + 92, root | inexact);
}

int64_t sf_to_int(Val v, int bits, int mode, FpStatus *s)
{
    int64_t indefinite = (int64_t)(~0ull << (bits - 1));
    bool inexact;

    if (v.cls == CLS_ZERO)
        return 0;
    if (v.cls != CLS_FINITE || v.exp >= bits)
        goto invalid;
    int shift = 127 - v.exp;
    u128 q = sf_round_shift(v.sig, shift, v.sign, mode, &inexact);
    if (q > ((u128)1 << (bits - 1)) - !v.sign)
        goto invalid;
    if (inexact)
        s->flags |= FP_PE;
    s->c1_round_up = q > (shift >= 128 ? 0 : v.sig >> shift);
    return v.sign ? -(int64_t)(uint64_t)q : (int64_t)(uint64_t)q;
invalid:
    s->flags |= FP_IE;
    return indefinite;
}

Val sf_from_int(int64_t v)
{
    if (v == 0)
        return val_zero(false);
    uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
    return val_finite(v < 0, 127, m);
}

static int magnitude_rank(const Val *v)
{
    return v->cls == CLS_ZERO ? 0 : v->cls == CLS_FINITE ? 1 : 2;
}

FpRel sf_compare(const Val *a, const Val *b)
{
    int ra = magnitude_rank(a), rb = magnitude_rank(b), c;

    if (ra == 0 && rb == 0)
        return FP_REL_EQ;
    if (a->sign != b->sign)
        return a->sign ? FP_REL_LT : FP_REL_GT;
    if (ra != rb)
        c = ra < rb ? -1 : 1;
    else if (ra != 1 || (a->exp == b->exp && a->sig == b->sig))
        c = 0;
    else if (a->exp != b->exp)
        c = a->exp < b->exp ? -1 : 1;
    else
        c = a->sig < b->sig ? -1 : 1;
    if (c == 0)
        return FP_REL_EQ;
    return (c < 0) != a->sign ? FP_REL_LT : FP_REL_GT;
}
