/* sf_convert.c — x87 conversions: FILD/FIST/FISTTP, FLD/FST m32/m64 and
 * FBLD/FBSTP packed BCD.
 *
 * Integer stores round by RC (FISTTP truncates); NaN, infinity, unsupported
 * or out-of-range sources raise IE and store the integer indefinite
 * (SDM vol. 1 §4.8.3.7, §8.2.2). Narrowing float stores round by RC, never
 * by PC, and detect overflow/underflow for the destination format.
 */
#include "cpu/fpu/sf_internal.h"

Fx80 fx80_from_i64(int64_t v)
{
    if (v == 0)
        return fx80_make(false, 0, 0);
    uint64_t m = v < 0 ? -(uint64_t)v : (uint64_t)v;
    int lz = __builtin_clzll(m);
    return fx80_make(v < 0, X80_BIAS + 63 - lz, m << lz);
}

static int64_t to_int(Fx80 a, int bits, int mode, FpStatus *s)
{
    s->c1_round_up = false;
    return sf_to_int(sf_unpack_x80(a), bits, mode, s);
}

int16_t fx80_to_i16(Fx80 a, FpStatus *s) { return to_int(a, 16, s->rounding, s); }
int32_t fx80_to_i32(Fx80 a, FpStatus *s) { return to_int(a, 32, s->rounding, s); }
int64_t fx80_to_i64(Fx80 a, FpStatus *s) { return to_int(a, 64, s->rounding, s); }
int16_t fx80_to_i16_trunc(Fx80 a, FpStatus *s) { return to_int(a, 16, FP_RZ, s); }
int32_t fx80_to_i32_trunc(Fx80 a, FpStatus *s) { return to_int(a, 32, FP_RZ, s); }
int64_t fx80_to_i64_trunc(Fx80 a, FpStatus *s) { return to_int(a, 64, FP_RZ, s); }

/* FLD m32/m64: exact; DE for denormals, IE and quieting for SNaNs. */
static Fx80 widen(Val v, FpStatus *s)
{
    v = sf_quiet(v, s);
    sf_raise_denormal(&v, NULL, s);
    return sf_pack_x80(v, 64, s);
}

Fx80 f32_to_fx80(F32 a, FpStatus *s) { return widen(sf_unpack_f32(a, s), s); }
Fx80 f64_to_fx80(F64 a, FpStatus *s) { return widen(sf_unpack_f64(a, s), s); }

/* FST m32/m64: unsupported encodings give the default NaN. */
static Val narrow(Fx80 a, FpStatus *s)
{
    Val v = sf_unpack_x80(a), r;

    s->c1_round_up = false;
    if (sf_check_nans(&v, NULL, NAN_X87, &r, s))
        return r;
    return v;
}

F32 fx80_to_f32(Fx80 a, FpStatus *s) { return sf_pack_f32(narrow(a, s), s); }
F64 fx80_to_f64(Fx80 a, FpStatus *s) { return sf_pack_f64(narrow(a, s), s); }

/* -- Packed BCD: 9 bytes of two digits (low digit in the low nibble),
 * then a sign byte (SDM vol. 1 §4.7). -- */

#define BCD_MAX 999999999999999999ull

Fx80 fx80_from_bcd(const uint8_t bcd[10])
{
    uint64_t v = 0;

    /* Digits above 9 are undefined; they are weighted like valid ones. */
    for (int i = 8; i >= 0; i--)
        v = v * 100 + (bcd[i] >> 4) * 10 + (bcd[i] & 15);
    if (v == 0)
        return fx80_make(bcd[9] >> 7, 0, 0);
    int lz = __builtin_clzll(v);
    return fx80_make(bcd[9] >> 7, X80_BIAS + 63 - lz, v << lz);
}

void fx80_to_bcd(Fx80 a, uint8_t bcd[10], FpStatus *s)
{
    Val v = sf_unpack_x80(a);
    bool inexact = false;
    u128 q = v.cls == CLS_FINITE ? BCD_MAX + 1 : 0;

    s->c1_round_up = false;
    if (v.cls == CLS_FINITE && v.exp < 60) {
        q = sf_round_shift(v.sig, 127 - v.exp, v.sign, s->rounding, &inexact);
        u128 trunc = 127 - v.exp >= 128 ? 0 : v.sig >> (127 - v.exp);
        s->c1_round_up = q > trunc;
    }
    if ((v.cls != CLS_FINITE && v.cls != CLS_ZERO) || q > BCD_MAX) {
        /* Packed BCD indefinite: FFFF C000 0000 0000 0000. */
        s->flags |= FP_IE;
        s->c1_round_up = false;
        for (int i = 0; i < 10; i++)
            bcd[i] = i < 7 ? 0 : i == 7 ? 0xc0 : 0xff;
        return;
    }
    if (inexact)
        s->flags |= FP_PE;
    uint64_t n = (uint64_t)q;
    for (int i = 0; i < 9; i++, n /= 100)
        bcd[i] = (uint8_t)((n % 100 / 10) << 4 | n % 10);
    bcd[9] = v.sign ? 0x80 : 0;
}
