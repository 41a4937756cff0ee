/* sf_sse.c — SSE/SSE2 scalar single and double precision.
 *
 * SSE rules (SDM vol. 1 §11.5, table 4-7): the first operand's NaN wins and
 * is quieted; the default NaN is negative; DAZ turns denormal inputs into
 * zeros (no DE) and FTZ flushes tiny results to zero (UE|PE). F32 and F64
 * share one template, instantiated by SSE_FORMAT below.
 */
#include "cpu/fpu/sf_internal.h"

/* CMPPS/VCMPPS predicates 0-15: which relations give true (bit FP_REL_*),
 * and which predicates signal on QNaNs. Predicates 16-31 repeat 0-15 with
 * the signalling sense inverted (SDM vol. 2 CMPPS table 3-1). */
#define R(lt, eq, gt, un) \
    ((lt) << FP_REL_LT | (eq) << FP_REL_EQ | (gt) << FP_REL_GT | (un) << FP_REL_UN)
static const uint8_t cmp_true[16] = {
    R(0, 1, 0, 0), R(1, 0, 0, 0), R(1, 1, 0, 0), R(0, 0, 0, 1),  /* EQ_OQ LT_OS LE_OS UNORD_Q */
    R(1, 0, 1, 1), R(0, 1, 1, 1), R(0, 0, 1, 1), R(1, 1, 1, 0),  /* NEQ_UQ NLT_US NLE_US ORD_Q */
    R(0, 1, 0, 1), R(1, 0, 0, 1), R(1, 1, 0, 1), R(0, 0, 0, 0),  /* EQ_UQ NGE_US NGT_US FALSE_OQ */
    R(1, 0, 1, 0), R(0, 1, 1, 0), R(0, 0, 1, 0), R(1, 1, 1, 1),  /* NEQ_OQ GE_OS GT_OS TRUE_UQ */
};
#undef R
static const uint16_t cmp_signalling = 0x6666;  /* predicates 1, 2, 5, 6, 9, 10, 13, 14 */

static bool cmp_pred(Val a, Val b, unsigned pred, FpStatus *s)
{
    bool signalling = (cmp_signalling >> (pred & 15) & 1) ^ (pred >> 4 & 1);
    FpRel r = FP_REL_UN;

    if (val_is_nan(&a) || val_is_nan(&b)) {
        if (signalling || a.cls == CLS_SNAN || b.cls == CLS_SNAN)
            s->flags |= FP_IE;
    } else {
        sf_raise_denormal(&a, &b, s);
        r = sf_compare(&a, &b);
    }
    return cmp_true[pred & 15] >> r & 1;
}

static FpRel comi(Val a, Val b, bool quiet, FpStatus *s)
{
    if (val_is_nan(&a) || val_is_nan(&b)) {
        if (!quiet || a.cls == CLS_SNAN || b.cls == CLS_SNAN)
            s->flags |= FP_IE;
        return FP_REL_UN;
    }
    sf_raise_denormal(&a, &b, s);
    return sf_compare(&a, &b);
}

/* MINSS/MAXSS: any NaN gives IE and the second operand, so does a tie. */
static bool minmax_take_first(Val a, Val b, bool is_max, FpStatus *s)
{
    if (val_is_nan(&a) || val_is_nan(&b)) {
        s->flags |= FP_IE;
        return false;
    }
    sf_raise_denormal(&a, &b, s);
    return sf_compare(&a, &b) == (is_max ? FP_REL_GT : FP_REL_LT);
}

/* The operand as MINSS/MAXSS return it: DAZ turns a denormal into its zero. */
#define DAZ_RAW(T, x, v) ((v).cls == CLS_ZERO ? (x) & (T)1 << (sizeof(T) * 8 - 1) : (x))

static Val widen_or_narrow(Val v, FpStatus *s)
{
    v = sf_quiet(v, s);
    sf_raise_denormal(&v, NULL, s);
    return v;
}

#define SSE_FORMAT(T, f)                                                             \
    T f##_add(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        return sf_pack_##f(sf_add(sf_unpack_##f(a, s), sf_unpack_##f(b, s), false,   \
                                  NAN_SSE, s), s);                                    \
    }                                                                                 \
    T f##_sub(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        return sf_pack_##f(sf_add(sf_unpack_##f(a, s), sf_unpack_##f(b, s), true,    \
                                  NAN_SSE, s), s);                                    \
    }                                                                                 \
    T f##_mul(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        return sf_pack_##f(sf_mul(sf_unpack_##f(a, s), sf_unpack_##f(b, s),          \
                                  NAN_SSE, s), s);                                    \
    }                                                                                 \
    T f##_div(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        return sf_pack_##f(sf_div(sf_unpack_##f(a, s), sf_unpack_##f(b, s),          \
                                  NAN_SSE, s), s);                                    \
    }                                                                                 \
    T f##_sqrt(T a, FpStatus *s)                                                      \
    {                                                                                 \
        return sf_pack_##f(sf_sqrt(sf_unpack_##f(a, s), NAN_SSE, s), s);              \
    }                                                                                 \
    T f##_min(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        Val va = sf_unpack_##f(a, s), vb = sf_unpack_##f(b, s);                       \
        return minmax_take_first(va, vb, false, s) ? DAZ_RAW(T, a, va) : DAZ_RAW(T, b, vb); \
    }                                                                                 \
    T f##_max(T a, T b, FpStatus *s)                                                  \
    {                                                                                 \
        Val va = sf_unpack_##f(a, s), vb = sf_unpack_##f(b, s);                       \
        return minmax_take_first(va, vb, true, s) ? DAZ_RAW(T, a, va) : DAZ_RAW(T, b, vb); \
    }                                                                                 \
    bool f##_cmp(T a, T b, unsigned pred, FpStatus *s)                                \
    {                                                                                 \
        return cmp_pred(sf_unpack_##f(a, s), sf_unpack_##f(b, s), pred, s);          \
    }                                                                                 \
    FpRel f##_comi(T a, T b, bool quiet, FpStatus *s)                                 \
    {                                                                                 \
        return comi(sf_unpack_##f(a, s), sf_unpack_##f(b, s), quiet, s);             \
    }                                                                                 \
    int32_t f##_to_i32(T a, FpStatus *s)                                              \
    {                                                                                 \
        return sf_to_int(sf_unpack_##f(a, s), 32, s->rounding, s);                    \
    }                                                                                 \
    int32_t f##_to_i32_trunc(T a, FpStatus *s)                                        \
    {                                                                                 \
        return sf_to_int(sf_unpack_##f(a, s), 32, FP_RZ, s);                          \
    }                                                                                 \
    int64_t f##_to_i64(T a, FpStatus *s)                                              \
    {                                                                                 \
        return sf_to_int(sf_unpack_##f(a, s), 64, s->rounding, s);                    \
    }                                                                                 \
    int64_t f##_to_i64_trunc(T a, FpStatus *s)                                        \
    {                                                                                 \
        return sf_to_int(sf_unpack_##f(a, s), 64, FP_RZ, s);                          \
    }                                                                                 \
    T i32_to_##f(int32_t v, FpStatus *s) { return sf_pack_##f(sf_from_int(v), s); }   \
    T i64_to_##f(int64_t v, FpStatus *s) { return sf_pack_##f(sf_from_int(v), s); }

SSE_FORMAT(F32, f32)
SSE_FORMAT(F64, f64)

F64 f32_to_f64(F32 a, FpStatus *s)
{
    return sf_pack_f64(widen_or_narrow(sf_unpack_f32(a, s), s), s);
}

F32 f64_to_f32(F64 a, FpStatus *s)
{
    return sf_pack_f32(widen_or_narrow(sf_unpack_f64(a, s), s), s);
}

/* -- RCPSS and RSQRTSS --
 * Hardware uses undocumented 12-bit tables; we return the exact result
 * rounded to nearest at 12 bits (|relative error| <= 2^-12, inside the SDM's
 * 1.5 * 2^-12). Denormal inputs count as zero and tiny results flush to zero
 * (SDM vol. 2 RCPSS). No exceptions are raised. */

static u128 isqrt128(u128 x)
{
    u128 root = 0, bit = (u128)1 << 126;

    while (bit > x)
        bit >>= 2;
    for (; bit; bit >>= 2) {
        if (x >= root + bit) {
            x -= root + bit;
            root = (root >> 1) + bit;
        } else {
            root >>= 1;
        }
    }
    return root;
}

static F32 pack_approx(bool sign, uint32_t r, int32_t exp)
{
    /* value = r * 2^exp with 2^11 <= r <= 2^13 */
    int lz = __builtin_clz(r);
    int32_t e = exp + 31 - lz;              /* exponent of the leading bit */
    uint32_t sig = r << lz;                 /* leading bit at 31 */
    uint32_t sbit = sign ? 0x80000000u : 0;
    if (e < -126)
        return sbit;
    return sbit | (uint32_t)(e + 127) << 23 | ((sig >> 8) & 0x7fffff);
}

F32 f32_rcp(F32 a)
{
    FpStatus t = { .daz = true };
    Val v = sf_unpack_f32(a, &t);

    if (val_is_nan(&v))
        return a | 0x400000;
    if (v.cls == CLS_ZERO)
        return (a & 0x80000000u) | 0x7f800000;
    /* Tiny results flush to zero (SDM vol. 2 RCPSS); the hardware's table
     * gives 1/1.0 slightly below 1, so every |a| >= 2^126 is tiny. */
    if (v.cls == CLS_INF || (a & 0x7fffffffu) >= 0x7e800000u)
        return a & 0x80000000u;
    /* 1 / (m * 2^-23 * 2^e) = 2^35 / m * 2^(-12 - e), m the 24-bit significand */
    uint32_t m = (uint32_t)(v.sig >> 104);
    uint32_t r = (uint32_t)((((uint64_t)1 << 36) / m + 1) >> 1);
    return pack_approx(v.sign, r, -12 - v.exp);
}

F32 f32_rsqrt(F32 a)
{
    FpStatus t = { .daz = true };
    Val v = sf_unpack_f32(a, &t);

    if (val_is_nan(&v))
        return a | 0x400000;
    if (v.cls == CLS_ZERO)
        return (a & 0x80000000u) | 0x7f800000;
    if (v.sign)
        return 0xffc00000u;
    if (v.cls == CLS_INF)
        return 0;
    /* a = m * 2^e2 with e2 even, m < 2^25; 1/sqrt(a) = 2^24/sqrt(m) * 2^(-24 - e2/2) */
    uint64_t m = (uint64_t)(v.sig >> 104);
    int32_t e2 = v.exp - 23;
    if (e2 & 1) {
        m <<= 1;
        e2 -= 1;
    }
    u128 root = isqrt128(((u128)1 << 100) / m);     /* ~ 2^50 / sqrt(m) */
    uint32_t r = (uint32_t)((root + ((u128)1 << 25)) >> 26);
    return pack_approx(false, r, -24 - e2 / 2);
}
