/* sf_internal.h — shared internals of the floating-point library.
 *
 * Every operand is unpacked into a Val: a class, a sign, and for finite
 * nonzero values an exponent and a 128-bit significand normalized to bit 127,
 * so value = sig * 2^(exp - 127). Denormal inputs are normalized (the DE
 * source is remembered in .denormal). NaNs keep their payload as an x87
 * mantissa in the top 64 bits of sig (bit 127 integer bit, bit 126 quiet bit)
 * so converting a NaN between formats is just repacking.
 *
 * Operations compute the exact result, or a truncated one with a sticky bit
 * ORed into bit 0, and hand it to sf_round_* which rounds once, detects
 * overflow/underflow and raises flags. Only integer arithmetic is used.
 */
#ifndef EMU_CPU_FPU_SF_INTERNAL_H
#define EMU_CPU_FPU_SF_INTERNAL_H

#include <stddef.h>
#include "base/compiler.h"
#include "cpu/fpu/softfloat.h"

typedef unsigned __int128 u128;

enum { CLS_ZERO, CLS_FINITE, CLS_INF, CLS_QNAN, CLS_SNAN, CLS_UNSUPPORTED };

typedef struct Val {
    uint8_t cls;
    bool sign;
    bool denormal;  /* the encoding was (pseudo-)denormal: DE */
    int32_t exp;
    u128 sig;
} Val;

/* Result formats of the rounder. */
typedef enum FpFmt { FMT_F32, FMT_F64, FMT_X80 } FpFmt;

/* How a two-operand NaN result is chosen. */
typedef enum NanRule { NAN_X87, NAN_SSE } NanRule;

#define U128(hi, lo) (((u128)(hi) << 64) | (lo))
#define EXP_X80_MIN (-16382)
#define X80_BIAS 16383

static inline int clz128(u128 v)
{
    uint64_t hi = v >> 64;
    return hi ? __builtin_clzll(hi) : 64 + __builtin_clzll((uint64_t)v);
}

/* v >> n with the bits shifted out ORed into bit 0. */
static inline u128 shr_jam128(u128 v, int n)
{
    if (n <= 0)
        return v;
    if (n >= 128)
        return v != 0;
    return (v >> n) | ((v << (128 - n)) != 0);
}

static inline bool val_is_nan(const Val *v) { return v->cls == CLS_QNAN || v->cls == CLS_SNAN; }

static inline Val val_zero(bool sign) { return (Val){ .cls = CLS_ZERO, .sign = sign }; }
static inline Val val_inf(bool sign) { return (Val){ .cls = CLS_INF, .sign = sign }; }
/* The default QNaN: x87 real indefinite, SSE 0xFFC00000 / 0xFFF8... */
static inline Val val_default_nan(void)
{
    return (Val){ .cls = CLS_QNAN, .sign = true, .sig = U128(0xC000000000000000ull, 0) };
}
static inline Val val_finite(bool sign, int32_t exp, u128 sig)
{
    return (Val){ .cls = CLS_FINITE, .sign = sign, .exp = exp, .sig = sig };
}

/* sf_core.c: unpacking, NaN selection, rounding and packing. */
Val sf_unpack_x80(Fx80 a);
Val sf_unpack_f32(F32 a, const FpStatus *s);   /* applies DAZ */
Val sf_unpack_f64(F64 a, const FpStatus *s);
Fx80 sf_pack_x80(Val v, int prec, FpStatus *s);
F32 sf_pack_f32(Val v, FpStatus *s);
F64 sf_pack_f64(Val v, FpStatus *s);
Val sf_quiet(Val v, FpStatus *s);              /* SNaN -> IE and quiet */
Val sf_pick_nan(const Val *a, const Val *b, NanRule rule, FpStatus *s);
/* Unsupported x87 operands or NaNs in a, b (b may be NULL): sets *out and
 * returns true when the result is decided. */
bool sf_check_nans(const Val *a, const Val *b, NanRule rule, Val *out, FpStatus *s);
void sf_raise_denormal(const Val *a, const Val *b, FpStatus *s);

/* Round |v| >> shift to an integer by mode; *inexact set, *up when rounded up. */
u128 sf_round_shift(u128 v, int shift, bool sign, int mode, bool *inexact);

/* sf_arith.c: exact-then-round arithmetic shared by all formats. */
Val sf_add(Val a, Val b, bool negate_b, NanRule rule, FpStatus *s);
Val sf_mul(Val a, Val b, NanRule rule, FpStatus *s);
Val sf_div(Val a, Val b, NanRule rule, FpStatus *s);
Val sf_sqrt(Val a, NanRule rule, FpStatus *s);
/* Integer conversion: IE and the indefinite 1 << (bits - 1) on NaN/overflow. */
int64_t sf_to_int(Val v, int bits, int mode, FpStatus *s);
Val sf_from_int(int64_t v);
FpRel sf_compare(const Val *a, const Val *b);  /* finite, zero or inf operands */

#endif
