/* softfloat.h — IEEE-754 and x87 floating point in portable integer C.
 *
 * The x87 FPU (Fx80 = 80-bit double extended) and SSE/SSE2 (F32, F64) helpers
 * call this library. No host float, double or long double is used anywhere,
 * so results and flags are bit-identical on every host and in replay.
 *
 * Contract:
 * - Every operation takes an FpStatus: rounding mode, x87 precision, the
 *   exception masks and DAZ/FTZ are read from it; exception flags are ORed
 *   into status->flags (never cleared), and c1_round_up is rewritten by every
 *   Fx80 operation that rounds (true iff the magnitude was rounded up).
 * - The x87 and SSE keep separate FpStatus values: the x87 one has ftz = daz =
 *   false; the SSE one has precision = 64 (unused) and takes MXCSR's DAZ/FTZ.
 * - Results are the masked responses (SDM vol. 1 §4.9, §8.5). With an
 *   unmasked exception the caller decides what is stored:
 *     IE, DE, ZE unmasked and raised: the x87 stores nothing and reports only
 *       flags & (FP_IE|FP_DE|FP_ZE); SSE raises #XM with the destination kept.
 *     OE, UE unmasked and raised: Fx80 results come back with the exponent
 *       wrapped by 24576 (SDM §8.5.4, §8.5.5), UE is raised on tininess even
 *       when exact; F32/F64 results are then meaningless (SSE #XM, x87 FST to
 *       memory stores nothing).
 * - Measured on Intel hardware and matched here: tininess is detected after
 *   rounding (at the x87 precision control width); DE is not raised when a
 *   NaN, an invalid operation or a division by zero decides the result.
 * - The library is validated bit for bit (result, flags, C1) against the
 *   host x87/SSE by tests/unit/test_softfloat_*.c.
 *
 * Adding an operation: put it in the sf_*.c file of its concern, build it on
 * the unpack/round helpers of sf_internal.h, and add a host-oracle test in
 * tests/unit/test_softfloat_*.c.
 */
#ifndef EMU_CPU_FPU_SOFTFLOAT_H
#define EMU_CPU_FPU_SOFTFLOAT_H

#include <stdbool.h>
#include <stdint.h>

typedef struct Fx80 {
    uint64_t mant;  /* explicit integer bit in bit 63 */
    uint16_t se;    /* sign in bit 15, biased exponent (bias 16383) below */
} Fx80;
typedef uint32_t F32;
typedef uint64_t F64;

/* Rounding control: the x87 RC field and MXCSR.RC encoding. */
enum { FP_RN = 0, FP_RD = 1, FP_RU = 2, FP_RZ = 3 };

/* Exception flags and masks: x87 status/control word bits 0-5, MXCSR bits 0-5
 * (masks are MXCSR bits 7-12 shifted down by 7). */
enum {
    FP_IE = 0x01, FP_DE = 0x02, FP_ZE = 0x04,
    FP_OE = 0x08, FP_UE = 0x10, FP_PE = 0x20,
    FP_ALL_EXC = 0x3f,
};

/* x87 condition codes at their status-word positions. */
enum { FP_C0 = 0x0100, FP_C1 = 0x0200, FP_C2 = 0x0400, FP_C3 = 0x4000 };

typedef struct FpStatus {
    uint8_t rounding;   /* FP_RN .. FP_RZ */
    uint8_t precision;  /* x87 PC as mantissa bits: 24, 53 or 64 */
    uint8_t flags;      /* accumulated FP_IE .. FP_PE */
    uint8_t masks;      /* FP_IE .. FP_PE set = masked (FINIT/reset: 0x3f) */
    bool ftz, daz;      /* SSE MXCSR.FZ and MXCSR.DAZ */
    bool c1_round_up;   /* x87 C1 after a rounded result */
} FpStatus;

/* Reset state of the x87 (FINIT: RC=RN, PC=64, all masked) and of MXCSR. */
#define FP_STATUS_X87_INIT { .rounding = FP_RN, .precision = 64, .masks = FP_ALL_EXC }
#define FP_STATUS_SSE_INIT { .rounding = FP_RN, .precision = 64, .masks = FP_ALL_EXC }

/* x87 control word PC field (bits 9:8) to mantissa bits; 01 (reserved) acts as 64. */
static inline uint8_t fp_x87_pc_bits(unsigned pc)
{
    return pc == 0 ? 24 : pc == 2 ? 53 : 64;
}

/* Result of a comparison; fp_rel_x87_cc/fp_rel_eflags map it to flags. */
typedef enum FpRel { FP_REL_LT, FP_REL_EQ, FP_REL_GT, FP_REL_UN } FpRel;

/* FCOM/FUCOM/FTST/FICOM: C3, C2, C0 (C1 = 0). */
static inline uint16_t fp_rel_x87_cc(FpRel r)
{
    static const uint16_t cc[4] = { FP_C0, FP_C3, 0, FP_C3 | FP_C2 | FP_C0 };
    return cc[r];
}

/* FCOMI/FUCOMI/COMISS/UCOMISS: ZF (bit 6), PF (bit 2), CF (bit 0) of EFLAGS. */
static inline uint32_t fp_rel_eflags(FpRel r)
{
    static const uint8_t fl[4] = { 0x01, 0x40, 0x00, 0x45 };
    return fl[r];
}

/* -- Fx80 constants and classification -- */

#define FX80_INDEFINITE ((Fx80){ 0xC000000000000000ull, 0xFFFF })

static inline Fx80 fx80_make(bool sign, uint16_t exp, uint64_t mant)
{
    return (Fx80){ mant, (uint16_t)((sign ? 0x8000 : 0) | exp) };
}
static inline bool fx80_sign(Fx80 a) { return a.se >> 15; }
static inline bool fx80_is_nan(Fx80 a)
{
    return (a.se & 0x7fff) == 0x7fff && (a.mant << 1) != 0;
}
static inline bool fx80_is_snan(Fx80 a)
{
    return fx80_is_nan(a) && !(a.mant >> 62 & 1);
}
/* Unnormal, pseudo-NaN, pseudo-infinity: invalid operands since the 80387. */
static inline bool fx80_is_unsupported(Fx80 a)
{
    return (a.se & 0x7fff) != 0 && !(a.mant >> 63);
}

/* FXAM result bits C3, C2, C0 and C1 (sign), for a non-empty register. */
uint16_t fx80_examine(Fx80 a);

/* FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: rounded by RC, no flags. */
typedef enum FpConst {
    FP_CONST_1, FP_CONST_L2T, FP_CONST_L2E, FP_CONST_PI,
    FP_CONST_LG2, FP_CONST_LN2, FP_CONST_Z,
} FpConst;
Fx80 fx80_const(FpConst which, FpStatus *s);

/* -- Fx80 arithmetic (PC applies to add, sub, mul, div, sqrt only) -- */

Fx80 fx80_add(Fx80 a, Fx80 b, FpStatus *s);
Fx80 fx80_sub(Fx80 a, Fx80 b, FpStatus *s);
Fx80 fx80_mul(Fx80 a, Fx80 b, FpStatus *s);
Fx80 fx80_div(Fx80 a, Fx80 b, FpStatus *s);
Fx80 fx80_sqrt(Fx80 a, FpStatus *s);

/* FPREM (truncating) and FPREM1 (IEEE) of a = ST0 by b = ST1. *cc gets C2
 * when the reduction is incomplete, else C0, C3, C1 = quotient bits 2, 1, 0. */
Fx80 fx80_prem(Fx80 a, Fx80 b, uint16_t *cc, FpStatus *s);
Fx80 fx80_prem1(Fx80 a, Fx80 b, uint16_t *cc, FpStatus *s);
Fx80 fx80_round_int(Fx80 a, FpStatus *s);                 /* FRNDINT */
Fx80 fx80_scale(Fx80 a, Fx80 b, FpStatus *s);             /* FSCALE: a * 2^trunc(b) */
Fx80 fx80_xtract(Fx80 a, Fx80 *significand, FpStatus *s); /* FXTRACT: returns the exponent */
/* FCOM/FUCOM (quiet: only SNaN and unsupported operands raise IE). */
FpRel fx80_compare(Fx80 a, Fx80 b, bool quiet, FpStatus *s);

/* -- Fx80 conversions -- */

Fx80 fx80_from_i64(int64_t v);                            /* FILD: exact */
int16_t fx80_to_i16(Fx80 a, FpStatus *s);                 /* FIST: RC, indefinite on IE */
int32_t fx80_to_i32(Fx80 a, FpStatus *s);
int64_t fx80_to_i64(Fx80 a, FpStatus *s);
int16_t fx80_to_i16_trunc(Fx80 a, FpStatus *s);           /* FISTTP */
int32_t fx80_to_i32_trunc(Fx80 a, FpStatus *s);
int64_t fx80_to_i64_trunc(Fx80 a, FpStatus *s);
Fx80 f32_to_fx80(F32 a, FpStatus *s);                     /* FLD m32: exact, DE, SNaN -> IE */
Fx80 f64_to_fx80(F64 a, FpStatus *s);
F32 fx80_to_f32(Fx80 a, FpStatus *s);                     /* FST m32: RC (not PC) */
F64 fx80_to_f64(Fx80 a, FpStatus *s);
Fx80 fx80_from_bcd(const uint8_t bcd[10]);                /* FBLD */
void fx80_to_bcd(Fx80 a, uint8_t bcd[10], FpStatus *s);   /* FBSTP: RC, BCD indefinite on IE */

/* -- Fx80 transcendentals --
 * Evaluated with ~120-bit internal precision and rounded once by RC: correctly
 * rounded on every sampled argument (checked against mpmath), hence within
 * 1 ulp of a real x87, which errs by up to ~0.9 ulp. FSIN/FCOS/FPTAN reduce
 * by the x87's 66-bit pi, so large arguments match hardware, not true sine.
 * fx80_sin/cos/tan/sincos return false, leaving the outputs untouched, when
 * |a| >= 2^63 (the caller sets C2 and keeps ST0). */
Fx80 fx80_f2xm1(Fx80 a, FpStatus *s);                     /* 2^a - 1 */
Fx80 fx80_fyl2x(Fx80 x, Fx80 y, FpStatus *s);             /* y * log2(x) */
Fx80 fx80_fyl2xp1(Fx80 x, Fx80 y, FpStatus *s);           /* y * log2(x + 1) */
Fx80 fx80_patan(Fx80 y, Fx80 x, FpStatus *s);             /* atan(y / x), quadrant of (x, y) */
bool fx80_sin(Fx80 a, Fx80 *r, FpStatus *s);
bool fx80_cos(Fx80 a, Fx80 *r, FpStatus *s);
bool fx80_tan(Fx80 a, Fx80 *r, FpStatus *s);              /* FPTAN; then push 1.0 (*r if NaN) */
bool fx80_sincos(Fx80 a, Fx80 *sin, Fx80 *cos, FpStatus *s);

/* -- SSE/SSE2 scalar operations (packed forms apply them per element) -- */

F32 f32_add(F32 a, F32 b, FpStatus *s);
F32 f32_sub(F32 a, F32 b, FpStatus *s);
F32 f32_mul(F32 a, F32 b, FpStatus *s);
F32 f32_div(F32 a, F32 b, FpStatus *s);
F32 f32_sqrt(F32 a, FpStatus *s);
F32 f32_min(F32 a, F32 b, FpStatus *s);                   /* MINSS: a < b ? a : b */
F32 f32_max(F32 a, F32 b, FpStatus *s);                   /* MAXSS: a > b ? a : b */
bool f32_cmp(F32 a, F32 b, unsigned pred, FpStatus *s);   /* CMPSS/VCMPSS imm 0-31 */
FpRel f32_comi(F32 a, F32 b, bool quiet, FpStatus *s);    /* COMISS (quiet: UCOMISS) */
F32 f32_rcp(F32 a);                                       /* RCPSS, |rel err| <= 2^-12 */
F32 f32_rsqrt(F32 a);                                     /* RSQRTSS, |rel err| <= 2^-12 */

F64 f64_add(F64 a, F64 b, FpStatus *s);
F64 f64_sub(F64 a, F64 b, FpStatus *s);
F64 f64_mul(F64 a, F64 b, FpStatus *s);
F64 f64_div(F64 a, F64 b, FpStatus *s);
F64 f64_sqrt(F64 a, FpStatus *s);
F64 f64_min(F64 a, F64 b, FpStatus *s);
F64 f64_max(F64 a, F64 b, FpStatus *s);
bool f64_cmp(F64 a, F64 b, unsigned pred, FpStatus *s);
FpRel f64_comi(F64 a, F64 b, bool quiet, FpStatus *s);

/* SSE conversions: CVTSS2SD, CVTSD2SS, CVT(T)SS2SI, CVTSI2SS, ... */
F64 f32_to_f64(F32 a, FpStatus *s);
F32 f64_to_f32(F64 a, FpStatus *s);
int32_t f32_to_i32(F32 a, FpStatus *s);                   /* MXCSR.RC; 0x80000000 on IE */
int32_t f32_to_i32_trunc(F32 a, FpStatus *s);
int64_t f32_to_i64(F32 a, FpStatus *s);
int64_t f32_to_i64_trunc(F32 a, FpStatus *s);
int32_t f64_to_i32(F64 a, FpStatus *s);
int32_t f64_to_i32_trunc(F64 a, FpStatus *s);
int64_t f64_to_i64(F64 a, FpStatus *s);
int64_t f64_to_i64_trunc(F64 a, FpStatus *s);
F32 i32_to_f32(int32_t v, FpStatus *s);
F32 i64_to_f32(int64_t v, FpStatus *s);
F64 i32_to_f64(int32_t v, FpStatus *s);
F64 i64_to_f64(int64_t v, FpStatus *s);

#endif
