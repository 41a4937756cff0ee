/* sf_trans.c — x87 transcendentals: F2XM1, FYL2X, FYL2XP1, FPATAN, FSIN,
 * FCOS, FSINCOS, FPTAN.
 *
 * Method: special operands follow the tables of SDM vol. 2; finite operands
 * are evaluated in a 128-bit software float (Xf: a Val with a full 128-bit
 * significand, relative error about 2^-120 after the series below) and then
 * rounded once to 64 bits by the RC mode (PC does not apply). The results
 * are therefore correctly rounded except when the exact value lies within
 * ~2^-120 of a rounding boundary; the real x87 is within 1 ulp, so we match
 * it to within 1 ulp (tests/unit/test_softfloat_trans.c measures this).
 * Checked against mpmath on 3000 arguments per instruction: no misrounded
 * result here; the host x87 erred by up to 0.64 (FSIN), 0.67 (FPTAN, F2XM1),
 * 0.71 (FYL2X), 0.87 (FYL2XP1) and 0.62 ulp (FPATAN).
 *
 * FSIN/FCOS/FPTAN reduce the argument like the x87: modulo pi/2 taken as
 * the 66-bit value 0x3243F6A8885A308D3 * 2^-65 (exactly, with integer
 * arithmetic), so large arguments agree with hardware rather than with the
 * true sine. |x| >= 2^63 is out of range (C2 = 1).
 */
#include "cpu/fpu/sf_internal.h"

typedef Val Xf;     /* finite: sig != 0 normalized to bit 127; zero: sig == 0 */

/* -- 128-bit software float -- */

static Xf xf_norm(bool sign, int32_t exp, u128 sig)
{
    if (!sig)
        return (Xf){ .cls = CLS_ZERO, .sign = sign };
    int lz = clz128(sig);
    return val_finite(sign, exp - lz, sig << lz);
}

static Xf xf_const(int32_t exp, uint64_t hi, uint64_t lo)
{
    return val_finite(false, exp, U128(hi, lo));
}

static Xf xf_int(int64_t v)
{
    Val r = sf_from_int(v);
    return xf_norm(r.sign, r.exp, r.sig);
}

static Xf xf_neg(Xf a)
{
    a.sign = !a.sign;
    return a;
}

/* High 128 bits of a 256-bit product. */
static u128 mul_hi(u128 a, u128 b)
{
    uint64_t a1 = a >> 64, a0 = (uint64_t)a, b1 = b >> 64, b0 = (uint64_t)b;
    u128 p00 = (u128)a0 * b0, p01 = (u128)a0 * b1, p10 = (u128)a1 * b0, p11 = (u128)a1 * b1;
    u128 mid = (p00 >> 64) + (uint64_t)p01 + (uint64_t)p10;
    return p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
}

static Xf xf_mul(Xf a, Xf b)
{
    if (!a.sig || !b.sig)
        return xf_norm(a.sign ^ b.sign, 0, 0);
    return xf_norm(a.sign ^ b.sign, a.exp + b.exp + 1, mul_hi(a.sig, b.sig));
}

static Xf xf_add(Xf a, Xf b)
{
    if (!b.sig)
        return a;
    if (!a.sig)
        return b;
    if (a.exp < b.exp || (a.exp == b.exp && a.sig < b.sig)) {
        Xf t = a;
        a = b;
        b = t;
    }
    int32_t d = a.exp - b.exp;
    u128 x = a.sig >> 1, y = d >= 127 ? 0 : (b.sig >> 1) >> d;
    return xf_norm(a.sign, a.exp + 1, a.sign == b.sign ? x + y : x - y);
}

static Xf xf_sub(Xf a, Xf b) { return xf_add(a, xf_neg(b)); }

/* Restoring division of normalized significands: 128 quotient bits. */
static Xf xf_div(Xf a, Xf b)
{
    u128 n = a.sig, d = b.sig, q = 0;
    bool carry = false;

    if (!a.sig)
        return xf_norm(a.sign ^ b.sign, 0, 0);
    for (int i = 0; i < 128; i++) {
        q <<= 1;
        if (carry || n >= d) {
            n -= d;
            q |= 1;
        }
        carry = n >> 127;
        n <<= 1;
    }
    return xf_norm(a.sign ^ b.sign, a.exp - b.exp, q);
}

static Xf xf_div_u64(Xf a, uint64_t k)
{
    uint64_t hi = a.sig >> 64, lo = (uint64_t)a.sig;
    u128 t = ((u128)(hi % k) << 64) | lo;
    u128 q = ((u128)(hi / k) << 64) | (uint64_t)(t / k);
    uint64_t ext = (uint64_t)((((u128)(t % k)) << 64) / k);
    int lz = clz128(q);

    if (!a.sig)
        return a;
    return val_finite(a.sign, a.exp - lz, q << lz | (lz ? (u128)ext >> (64 - lz) : 0));
}

/* Is the term negligible next to the sum? */
static bool xf_tiny_next_to(Xf term, Xf sum)
{
    return !term.sig || (sum.sig && term.exp < sum.exp - 130);
}

/* -- Constants (value = sig * 2^(exp - 127), computed with mpmath) -- */

enum { K_LN2, K_L2E, K_PI, K_PI_2, K_PI_4, K_PI3_4, K_ATAN_8 };
static const struct { int32_t exp; uint64_t hi, lo; } consts[] = {
    [K_LN2] = { -1, 0xb17217f7d1cf79abull, 0xc9e3b39803f2f6afull },
    [K_L2E] = { 0, 0xb8aa3b295c17f0bbull, 0xbe87fed0691d3e88ull },
    [K_PI] = { 1, 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
    [K_PI_2] = { 0, 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
    [K_PI_4] = { -1, 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
    [K_PI3_4] = { 1, 0x96cbe3f9990e91a7ull, 0x9394c9e8a0a5159cull },
    /* atan(k/8), k = 1..8 */
    [K_ATAN_8 + 1] = { -4, 0xfeadd4d5617b6e32ull, 0xc897989f3e888ef7ull },
    [K_ATAN_8 + 2] = { -3, 0xfadbafc96406eb15ull, 0x6dc79ef5f7a217e5ull },
    [K_ATAN_8 + 3] = { -2, 0xb7b0ca0f26f78473ull, 0x8aa32122dcfe4483ull },
    [K_ATAN_8 + 4] = { -2, 0xed63382b0dda7b45ull, 0x6fe445ecbc3a8d03ull },
    [K_ATAN_8 + 5] = { -1, 0x8f005d5ef7f59f9bull, 0x5c835e1665c43747ull },
    [K_ATAN_8 + 6] = { -1, 0xa4bc7d1934f70924ull, 0x19a87f2a457dac9eull },
    [K_ATAN_8 + 7] = { -1, 0xb8053e2bc2319e73ull, 0xcb2da55210a4443dull },
    [K_ATAN_8 + 8] = { -1, 0xc90fdaa22168c234ull, 0xc4c6628b80dc1cd1ull },
};

static Xf xf_k(int k) { return xf_const(consts[k].exp, consts[k].hi, consts[k].lo); }

/* -- Series -- */

/* sin(r) (cosine = false) or cos(r) for |r| <= pi/4 by Taylor series. */
static Xf xf_sincos_series(Xf r, bool cosine)
{
    Xf r2 = xf_mul(r, r), term = cosine ? xf_int(1) : r, sum = term;

    for (uint64_t n = cosine ? 1 : 2;; n += 2) {
        term = xf_neg(xf_div_u64(xf_mul(term, r2), n * (n + 1)));
        if (xf_tiny_next_to(term, sum))
            return sum;
        sum = xf_add(sum, term);
    }
}

/* atanh(z) (alternate = false) or atan(z) for |z| <= 1/4. */
static Xf xf_atan_series(Xf z, bool alternate)
{
    Xf z2 = xf_mul(z, z), power = z, sum = z;

    for (uint64_t n = 3;; n += 2) {
        power = xf_mul(power, z2);
        if (alternate)
            power = xf_neg(power);
        Xf term = xf_div_u64(power, n);
        if (xf_tiny_next_to(term, sum))
            return sum;
        sum = xf_add(sum, term);
    }
}

/* e^t - 1 for any finite t: series on t / 2^k, then expm1(2u) = e(e + 2). */
static Xf xf_expm1(Xf t)
{
    int k = t.sig && t.exp > -4 ? t.exp + 4 : 0;
    Xf u = t, term, sum;

    u.exp -= k;
    term = sum = u;
    for (uint64_t n = 2;; n++) {
        term = xf_div_u64(xf_mul(term, u), n);
        if (xf_tiny_next_to(term, sum))
            break;
        sum = xf_add(sum, term);
    }
    for (int i = 0; i < k; i++)
        sum = xf_mul(sum, xf_add(sum, xf_int(2)));
    return sum;
}

/* log2(x) for finite x > 0: x = m * 2^e with m in [sqrt(1/2), sqrt(2)),
 * ln(m) = 2 atanh((m - 1) / (m + 1)). */
static Xf xf_log2(Xf x)
{
    int32_t e = x.exp;
    Xf m = x, one = xf_int(1);

    m.exp = 0;
    if (m.sig > U128(0xb504f333f9de6484ull, 0x597d89b3754abe9full)) {   /* sqrt(2) */
        m.exp = -1;
        e++;
    }
    Xf z = xf_div(xf_sub(m, one), xf_add(m, one));
    Xf l = xf_mul(xf_atan_series(z, false), xf_k(K_L2E));
    l.exp++;    /* 2 atanh(z) / ln 2 */
    return xf_add(xf_int(e), l);
}

/* log2(1 + x) for finite x > -1, keeping relative precision near 0. */
static Xf xf_log2p1(Xf x)
{
    if (x.sig && x.exp < -1) {
        Xf z = xf_div(x, xf_add(xf_int(2), x));
        Xf l = xf_mul(xf_atan_series(z, false), xf_k(K_L2E));
        l.exp++;
        return l;
    }
    return xf_log2(xf_add(xf_int(1), x));
}

/* atan(u) for u >= 0 finite: atan(u) = pi/2 - atan(1/u) above 1, and
 * atan(c) + atan((u - c) / (1 + uc)) with c = k/8 the nearest eighth. */
static Xf xf_atan(Xf u)
{
    bool invert = u.sig && u.exp >= 0 && (u.exp > 0 || u.sig > U128(1ull << 63, 0));
    if (invert)
        u = xf_div(xf_int(1), u);

    int k = 0;
    if (u.sig && u.exp >= -4)
        k = (int)((u.sig >> (127 - 4 - u.exp)) + 1) >> 1;   /* round(8u) */
    Xf r;
    if (k == 0) {
        r = xf_atan_series(u, true);
    } else {
        Xf c = xf_div_u64(xf_int(k), 8);
        Xf v = xf_div(xf_sub(u, c), xf_add(xf_int(1), xf_mul(u, c)));
        r = xf_add(xf_k(K_ATAN_8 + k), xf_atan_series(v, true));
    }
    return invert ? xf_sub(xf_k(K_PI_2), r) : r;
}

/* -- Packing and common special cases -- */

/* Round an irrational result: the sticky bit makes it inexact. */
static Fx80 pack_inexact(Xf v, FpStatus *s)
{
    if (v.cls == CLS_FINITE)
        v.sig |= 1;
    return sf_pack_x80(v, 64, s);
}

static Fx80 pack_exact(Val v, FpStatus *s) { return sf_pack_x80(v, 64, s); }

static Fx80 invalid(FpStatus *s)
{
    s->flags |= FP_IE;
    s->c1_round_up = false;
    return FX80_INDEFINITE;
}

/* -- F2XM1 -- */

Fx80 fx80_f2xm1(Fx80 a, FpStatus *s)
{
    Val v = sf_unpack_x80(a), r;

    if (sf_check_nans(&v, NULL, NAN_X87, &r, s))
        return pack_exact(r, s);
    sf_raise_denormal(&v, NULL, s);
    if (v.cls == CLS_ZERO)
        return pack_exact(v, s);
    if (v.cls == CLS_INF)
        return pack_exact(v.sign ? val_finite(true, 0, (u128)1 << 127) : v, s);
    /* 2^+-1 - 1 are exact, yet the x87 reports PE; out of range (|a| > 1)
     * saturates sensibly */
    if (v.exp == 0 && v.sig == (u128)1 << 127) {
        s->flags |= FP_PE;
        return pack_exact(val_finite(v.sign, v.sign ? -1 : 0, v.sig), s);
    }
    if (v.exp > 15)
        return pack_exact(v.sign ? val_finite(true, 0, (u128)1 << 127)
                                 : val_finite(false, 1 << 16, (u128)1 << 127), s);
    return pack_inexact(xf_expm1(xf_mul(v, xf_k(K_LN2))), s);
}

/* -- FYL2X, FYL2XP1: y * log2(x), y * log2(x + 1) -- */

/* y * l with the multiplication's special rules (0 * inf invalid). */
static Fx80 times_log(Val y, Xf l, bool exact, FpStatus *s)
{
    if ((y.cls == CLS_ZERO && l.cls == CLS_INF) || (y.cls == CLS_INF && l.cls == CLS_ZERO))
        return invalid(s);
    bool sign = y.sign ^ l.sign;
    if (y.cls == CLS_INF || l.cls == CLS_INF)
        return pack_exact(val_inf(sign), s);
    if (y.cls == CLS_ZERO || l.cls == CLS_ZERO)
        return pack_exact(val_zero(sign), s);
    Xf p = xf_mul(y, l);
    if (!exact)
        return pack_inexact(p, s);
    /* the x87 reports y * log2(2^n) as inexact even when it is exact */
    Fx80 res = pack_exact(p, s);
    s->flags |= FP_PE | ((res.se & 0x7fff) == 0 && (s->masks & FP_UE) ? FP_UE : 0);
    return res;
}

Fx80 fx80_fyl2x(Fx80 x, Fx80 y, FpStatus *s)
{
    Val vx = sf_unpack_x80(x), vy = sf_unpack_x80(y), r;
    Xf l;

    if (sf_check_nans(&vx, &vy, NAN_X87, &r, s))
        return pack_exact(r, s);
    if (vx.sign && vx.cls != CLS_ZERO)
        return invalid(s);
    if (vx.cls == CLS_ZERO) {
        if (vy.cls == CLS_FINITE)
            s->flags |= FP_ZE;  /* like FDIV: no DE for a denormal y */
        return times_log(vy, val_inf(true), true, s);
    }
    sf_raise_denormal(&vx, &vy, s);
    if (vx.cls == CLS_INF)
        return times_log(vy, vx, true, s);
    /* log2 of a power of two is an exact integer */
    bool exact = vx.sig == (u128)1 << 127;
    l = exact ? xf_int(vx.exp) : xf_log2(vx);
    if (!l.sig)
        l = val_zero(false);
    return times_log(vy, l, exact, s);
}

Fx80 fx80_fyl2xp1(Fx80 x, Fx80 y, FpStatus *s)
{
    Val vx = sf_unpack_x80(x), vy = sf_unpack_x80(y), r;

    if (sf_check_nans(&vx, &vy, NAN_X87, &r, s))
        return pack_exact(r, s);
    /* defined for |x| < 1 - sqrt(2)/2; beyond it, log2(1 + x) as far as it exists */
    if (vx.sign && (vx.cls == CLS_INF || (vx.cls == CLS_FINITE && vx.exp >= 0)))
        return invalid(s);
    sf_raise_denormal(&vx, &vy, s);
    if (vx.cls == CLS_ZERO || vx.cls == CLS_INF)
        return times_log(vy, vx, true, s);
    return times_log(vy, xf_log2p1(vx), false, s);
}

/* -- FPATAN: atan(y / x) in the quadrant of (x, y) -- */

Fx80 fx80_patan(Fx80 y, Fx80 x, FpStatus *s)
{
    Val vy = sf_unpack_x80(y), vx = sf_unpack_x80(x), r;
    Xf t;

    if (sf_check_nans(&vy, &vx, NAN_X87, &r, s))
        return pack_exact(r, s);
    sf_raise_denormal(&vy, &vx, s);
    if (vy.cls == CLS_ZERO) {
        /* SDM vol. 2 FPATAN table: +-0 or +-pi by the sign of x */
        if (!vx.sign)
            return pack_exact(vy, s);
        t = xf_k(K_PI);
    } else if (vy.cls == CLS_INF) {
        t = xf_k(vx.cls != CLS_INF ? K_PI_2 : vx.sign ? K_PI3_4 : K_PI_4);
    } else if (vx.cls == CLS_INF) {
        if (!vx.sign)
            return pack_exact(val_zero(vy.sign), s);
        t = xf_k(K_PI);
    } else if (vx.cls == CLS_ZERO) {
        t = xf_k(K_PI_2);
    } else {
        Xf q = xf_div(vy, vx);
        q.sign = false;
        t = xf_atan(q);
        if (vx.sign)
            t = xf_sub(xf_k(K_PI), t);
    }
    t.sign = vy.sign;
    return pack_inexact(t, s);
}

/* -- FSIN, FCOS, FSINCOS, FPTAN -- */

/* 2^64 * pi rounded down to 66 bits: the x87's reduction constant. */
#define PI66_HI 0x3ull
#define PI66_LO 0x243F6A8885A308D3ull

/* |x| = k * pi66/2 + r with |r| <= pi66/4; returns k mod 4 and sets *r. */
static int reduce(Val x, Xf *r)
{
    if (x.exp < -1) {       /* |x| < 1/2 < pi/4 */
        *r = x;
        r->sign = false;
        return 0;
    }
    u128 p = U128(PI66_HI, PI66_LO);
    u128 n = (x.sig >> 64) << (x.exp + 2);   /* |x| * 2^65 */
    u128 q = n / p, rem = n % p;
    bool neg = false;
    if (rem > p - rem) {
        q++;
        rem = p - rem;
        neg = true;
    }
    *r = xf_norm(neg, 62, rem);             /* rem * 2^-65 */
    return (int)(q & 3);
}

/* Computes what is asked for (sin, cos or tan may be NULL). */
static bool trig(Fx80 a, Fx80 *sin, Fx80 *cos, Fx80 *tan, FpStatus *s)
{
    Val v = sf_unpack_x80(a), r;
    Xf red, sv, cv;

    if (sf_check_nans(&v, NULL, NAN_X87, &r, s)) {
        Fx80 n = pack_exact(r, s);
        if (sin) *sin = n;
        if (cos) *cos = n;
        if (tan) *tan = n;
        return true;
    }
    if (v.cls == CLS_FINITE && v.exp >= 63) {
        s->c1_round_up = false;
        return false;
    }
    if (v.cls == CLS_INF) {
        Fx80 n = invalid(s);
        if (sin) *sin = n;
        if (cos) *cos = n;
        if (tan) *tan = n;
        return true;
    }
    sf_raise_denormal(&v, NULL, s);
    if (v.cls == CLS_ZERO) {
        if (sin) *sin = pack_exact(v, s);
        if (tan) *tan = pack_exact(v, s);
        if (cos) *cos = pack_exact(xf_int(1), s);
        return true;
    }

    int k = reduce(v, &red);
    /* quadrant k: sin = (S, C, -S, -C), cos = (C, -S, -C, S) */
    bool need_s = tan || (sin && !(k & 1)) || (cos && (k & 1));
    bool need_c = tan || (sin && (k & 1)) || (cos && !(k & 1));
    Xf sr = need_s ? xf_sincos_series(red, false) : red;
    Xf cr = need_c ? xf_sincos_series(red, true) : red;
    sv = (k & 1) ? cr : sr;
    cv = (k & 1) ? xf_neg(sr) : cr;
    if (k & 2) {
        sv = xf_neg(sv);
        cv = xf_neg(cv);
    }
    sv.sign ^= v.sign;
    if (sin)
        *sin = pack_inexact(sv, s);
    if (cos)
        *cos = pack_inexact(cv, s);
    if (tan)
        *tan = pack_inexact(xf_div(sv, cv), s);
    return true;
}

bool fx80_sin(Fx80 a, Fx80 *r, FpStatus *s) { return trig(a, r, NULL, NULL, s); }
bool fx80_cos(Fx80 a, Fx80 *r, FpStatus *s) { return trig(a, NULL, r, NULL, s); }
bool fx80_tan(Fx80 a, Fx80 *r, FpStatus *s) { return trig(a, NULL, NULL, r, s); }
bool fx80_sincos(Fx80 a, Fx80 *sin, Fx80 *cos, FpStatus *s) { return trig(a, sin, cos, NULL, s); }
