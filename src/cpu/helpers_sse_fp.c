/* helpers_sse_fp.c — SSE/SSE2 floating point: arithmetic, compares and
 * conversions through softfloat with MXCSR's rounding, DAZ/FTZ and masks.
 *
 * Every helper computes all elements into locals first, then mx_finish()
 * applies SDM Vol. 1 11.5.2: if some unmasked pre-computation exception
 * (IE, DE, ZE) occurred in any element, only those flags are set; else all
 * flags are set; either way an unmasked exception raises #XM (or #UD when
 * CR4.OSXMMEXCPT is clear, SDM Vol. 3A 2.5) and the destination is left
 * unchanged. Only then are results written.
 *
 * Adding an operation: a per-element function of the F32Fn/F64Fn shape and
 * one line using the XOPS macro, or a small helper of the same pattern.
 */
#include "cpu/exec.h"
#include "cpu/helpers.h"
#include "cpu/fpu/softfloat.h"

enum { MXCSR_DAZ = 1 << 6, MXCSR_FZ = 1 << 15 };

static FpStatus mx_status(const CpuState *env)
{
    uint32_t m = env->mxcsr;
    return (FpStatus){ .rounding = (uint8_t)((m >> 13) & 3), .precision = 64,
                       .masks = (uint8_t)((m >> 7) & FP_ALL_EXC),
                       .ftz = (m & MXCSR_FZ) != 0, .daz = (m & MXCSR_DAZ) != 0 };
}

static void mx_finish(CpuState *env, const FpStatus *st, uintptr_t ra)
{
    uint8_t unmasked = st->flags & ~st->masks & FP_ALL_EXC;
    uint8_t pre = st->flags & (FP_IE | FP_DE | FP_ZE);
    if (!unmasked) {
        env->mxcsr |= st->flags;
        return;
    }
    env->mxcsr |= (pre & unmasked) ? pre : st->flags;
    raise_exception(env, (env->cr[4] & CR4_OSXMMEXCPT) ? EXCP_XM : EXCP_UD, ra);
}

static inline uint32_t dw(uint64_t lo, uint64_t hi, int i)
{
    return (uint32_t)((i < 2 ? lo : hi) >> (32 * (i & 1)));
}

/* -- Precision with unmasked overflow/underflow ------------------------------------ */

/* With OE or UE unmasked and raised, hardware reports PE for the result
 * rounded to the format's precision with an unbounded exponent (the value
 * the x87 would deliver with its exponent wrapped), not for the masked
 * response softfloat computes. Recompute that rounding in Fx80 with
 * precision control 24 or 53: its exponent range holds every such result.
 * Only ADD/SUB/MUL/DIV and the double-to-single conversions can overflow
 * or underflow. */
enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV, OP_NARROW, OP_NONE };

static Fx80 to_fx80(uint64_t v, bool dbl, const FpStatus *st, FpStatus *x)
{
    bool denormal = dbl ? !(v & 0x7ff0000000000000ull) : !(v & 0x7f800000);
    if (st->daz && denormal)
        v &= dbl ? 1ull << 63 : 1u << 31;                /* DAZ: a signed zero */
    return dbl ? f64_to_fx80(v, x) : f32_to_fx80((F32)v, x);
}

static uint8_t unbounded_pe(int op, uint64_t a, uint64_t b, bool dbl, const FpStatus *st)
{
    FpStatus x = { .rounding = st->rounding, .precision = op == OP_NARROW || !dbl ? 24 : 53,
                   .masks = FP_ALL_EXC };
    Fx80 fa = to_fx80(a, dbl, st, &x), fb = to_fx80(b, dbl, st, &x);
    x.flags = 0;
    switch (op) {
    case OP_ADD: fx80_add(fa, fb, &x); break;
    case OP_SUB: fx80_sub(fa, fb, &x); break;
    case OP_MUL: fx80_mul(fa, fb, &x); break;
    case OP_DIV: fx80_div(fa, fb, &x); break;
    default: fx80_mul(fa, fx80_make(false, 0x3fff, 1ull << 63), &x); break;   /* a * 1.0 */
    }
    return x.flags & FP_PE;
}

/* Fold one element's flags into the instruction's. */
static void lane_flags(FpStatus *all, const FpStatus *lane, int op, uint64_t a, uint64_t b,
                       bool dbl)
{
    uint8_t f = lane->flags;
    if (op != OP_NONE && (f & (FP_OE | FP_UE) & ~lane->masks))
        f = (uint8_t)((f & ~FP_PE) | unbounded_pe(op, a, b, dbl, lane));
    all->flags |= f;
}

/* -- Element-wise arithmetic ---------------------------------------------------------- */

typedef F32 F32Fn(F32 a, F32 b, FpStatus *s);
typedef F64 F64Fn(F64 a, F64 b, FpStatus *s);

/* Elements 0..n-1 of xmm[d] = f(xmm[d], src); the others are kept. */
static void ps_apply(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, F32Fn *f, int op,
                     int n, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < n; i++) {
        FpStatus l = st;
        uint32_t a = env->xmm[d].d[i], b = dw(lo, hi, i);
        r[i] = f(a, b, &l);
        lane_flags(&st, &l, op, a, b, false);
    }
    mx_finish(env, &st, ra);
    for (int i = 0; i < n; i++)
        env->xmm[d].d[i] = r[i];
}

static void pd_apply(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, F64Fn *f, int op,
                     int n, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint64_t src[2] = { lo, hi }, r[2];
    for (int i = 0; i < n; i++) {
        FpStatus l = st;
        r[i] = f(env->xmm[d].q[i], src[i], &l);
        lane_flags(&st, &l, op, env->xmm[d].q[i], src[i], true);
    }
    mx_finish(env, &st, ra);
    for (int i = 0; i < n; i++)
        env->xmm[d].q[i] = r[i];
}

/* Unary operations take the source only. */
static F32 sqrt_32(F32 a, F32 b, FpStatus *s) { (void)a; return f32_sqrt(b, s); }
static F64 sqrt_64(F64 a, F64 b, FpStatus *s) { (void)a; return f64_sqrt(b, s); }
static F32 rcp_32(F32 a, F32 b, FpStatus *s) { (void)a, (void)s; return f32_rcp(b); }
static F32 rsqrt_32(F32 a, F32 b, FpStatus *s) { (void)a, (void)s; return f32_rsqrt(b); }

#define XOPS(name, f32fn, f64fn, op)                                                  \
    void helper_##name##ps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)       \
    { ps_apply(env, d & 15, lo, hi, f32fn, op, 4, GETPC()); }                          \
    void helper_##name##ss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)       \
    { ps_apply(env, d & 15, lo, hi, f32fn, op, 1, GETPC()); }                          \
    void helper_##name##pd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)       \
    { pd_apply(env, d & 15, lo, hi, f64fn, op, 2, GETPC()); }                          \
    void helper_##name##sd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)       \
    { pd_apply(env, d & 15, lo, hi, f64fn, op, 1, GETPC()); }

XOPS(add, f32_add, f64_add, OP_ADD)
XOPS(sub, f32_sub, f64_sub, OP_SUB)
XOPS(mul, f32_mul, f64_mul, OP_MUL)
XOPS(div, f32_div, f64_div, OP_DIV)
XOPS(min, f32_min, f64_min, OP_NONE)
XOPS(max, f32_max, f64_max, OP_NONE)
XOPS(sqrt, sqrt_32, sqrt_64, OP_NONE)

/* RCP/RSQRT: approximations that raise no exceptions (SDM RCPPS). */
void helper_rcpps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{ ps_apply(env, d & 15, lo, hi, rcp_32, OP_NONE, 4, GETPC()); }
void helper_rcpss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{ ps_apply(env, d & 15, lo, hi, rcp_32, OP_NONE, 1, GETPC()); }
void helper_rsqrtps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{ ps_apply(env, d & 15, lo, hi, rsqrt_32, OP_NONE, 4, GETPC()); }
void helper_rsqrtss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{ ps_apply(env, d & 15, lo, hi, rsqrt_32, OP_NONE, 1, GETPC()); }

/* -- Compares ------------------------------------------------------------------------ */

/* CMPPS/CMPSS/CMPPD/CMPSD: the legacy encodings use imm8[2:0] (SDM CMPPS). */
static void cmp_ps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm, int n,
                   uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < n; i++)
        r[i] = f32_cmp(env->xmm[d].d[i], dw(lo, hi, i), imm & 7, &st) ? ~0u : 0;
    mx_finish(env, &st, ra);
    for (int i = 0; i < n; i++)
        env->xmm[d].d[i] = r[i];
}

static void cmp_pd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm, int n,
                   uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint64_t src[2] = { lo, hi }, r[2];
    for (int i = 0; i < n; i++)
        r[i] = f64_cmp(env->xmm[d].q[i], src[i], imm & 7, &st) ? ~0ull : 0;
    mx_finish(env, &st, ra);
    for (int i = 0; i < n; i++)
        env->xmm[d].q[i] = r[i];
}

void helper_cmpps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm)
{ cmp_ps(env, d & 15, lo, hi, imm, 4, GETPC()); }
void helper_cmpss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm)
{ cmp_ps(env, d & 15, lo, hi, imm, 1, GETPC()); }
void helper_cmppd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm)
{ cmp_pd(env, d & 15, lo, hi, imm, 2, GETPC()); }
void helper_cmpsd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, uint32_t imm)
{ cmp_pd(env, d & 15, lo, hi, imm, 1, GETPC()); }

/* COMISS/UCOMISS/COMISD/UCOMISD: ZF, PF, CF from the relation; OF, SF, AF
 * cleared (SDM COMISS). Returns the EFLAGS arithmetic bits. */
static uint64_t comi(CpuState *env, uint64_t a, uint64_t b, bool dbl, bool quiet, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    FpRel rel = dbl ? f64_comi(a, b, quiet, &st) : f32_comi((F32)a, (F32)b, quiet, &st);
    mx_finish(env, &st, ra);
    return fp_rel_eflags(rel);
}

uint64_t helper_comiss(CpuState *env, uint64_t a, uint64_t b) { return comi(env, a, b, false, false, GETPC()); }
uint64_t helper_ucomiss(CpuState *env, uint64_t a, uint64_t b) { return comi(env, a, b, false, true, GETPC()); }
uint64_t helper_comisd(CpuState *env, uint64_t a, uint64_t b) { return comi(env, a, b, true, false, GETPC()); }
uint64_t helper_ucomisd(CpuState *env, uint64_t a, uint64_t b) { return comi(env, a, b, true, true, GETPC()); }

/* -- Conversions into XMM registers --------------------------------------------------- */

/* Results are staged in r[] (q view) with mask `keep` saying which 32-bit
 * elements of the destination survive (bit i: element i kept). */
static void put_xmm(CpuState *env, uint32_t d, const uint32_t r[4], unsigned keep)
{
    for (int i = 0; i < 4; i++)
        if (!(keep >> i & 1))
            env->xmm[d & 15].d[i] = r[i];
}

void helper_cvtpi2ps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{
    FpStatus st = mx_status(env);
    uint32_t r[4] = { i32_to_f32((int32_t)lo, &st), i32_to_f32((int32_t)(lo >> 32), &st) };
    (void)hi;
    mx_finish(env, &st, GETPC());
    put_xmm(env, d, r, 0xc);
}

void helper_cvtsi2ss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{
    FpStatus st = mx_status(env);
    uint32_t r[4] = { i32_to_f32((int32_t)lo, &st) };
    (void)hi;
    mx_finish(env, &st, GETPC());
    put_xmm(env, d, r, 0xe);
}

void helper_cvtdq2ps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < 4; i++)
        r[i] = i32_to_f32((int32_t)dw(lo, hi, i), &st);
    mx_finish(env, &st, GETPC());
    put_xmm(env, d, r, 0);
}

/* Doubles in r[] as (lo, hi) dword pairs. */
static void set_f64(uint32_t r[4], int i, F64 v)
{
    r[2 * i] = (uint32_t)v;
    r[2 * i + 1] = (uint32_t)(v >> 32);
}

/* CVTPI2PD/CVTDQ2PD: exact; CVTSI2SD: exact into the low double. */
static void ints_to_f64(CpuState *env, uint32_t d, uint64_t lo, int n, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < n; i++)
        set_f64(r, i, i32_to_f64((int32_t)(lo >> (32 * i)), &st));
    mx_finish(env, &st, ra);
    put_xmm(env, d, r, n == 2 ? 0 : 0xc);
}

void helper_cvtpi2pd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { (void)hi; ints_to_f64(env, d, lo, 2, GETPC()); }
void helper_cvtdq2pd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { (void)hi; ints_to_f64(env, d, lo, 2, GETPC()); }
void helper_cvtsi2sd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { (void)hi; ints_to_f64(env, d, lo, 1, GETPC()); }

/* CVTPS2PD (n = 2) / CVTSS2SD (n = 1): floats in the low quadword to doubles. */
static void f32s_to_f64(CpuState *env, uint32_t d, uint64_t lo, int n, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < n; i++)
        set_f64(r, i, f32_to_f64((F32)(lo >> (32 * i)), &st));
    mx_finish(env, &st, ra);
    put_xmm(env, d, r, n == 2 ? 0 : 0xc);
}

void helper_cvtps2pd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { (void)hi; f32s_to_f64(env, d, lo, 2, GETPC()); }
void helper_cvtss2sd(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { (void)hi; f32s_to_f64(env, d, lo, 1, GETPC()); }

/* CVTPD2PS: two floats in the low quadword, the high one cleared.
 * CVTSD2SS: the low float only. */
static void narrow(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, int n, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint64_t src[2] = { lo, hi };
    uint32_t r[4] = { 0, 0, 0, 0 };
    for (int i = 0; i < n; i++) {
        FpStatus l = st;
        r[i] = f64_to_f32(src[i], &l);
        lane_flags(&st, &l, OP_NARROW, src[i], 0, true);
    }
    mx_finish(env, &st, ra);
    put_xmm(env, d, r, n == 2 ? 0 : 0xe);
}

void helper_cvtpd2ps(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { narrow(env, d, lo, hi, 2, GETPC()); }
void helper_cvtsd2ss(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { narrow(env, d, lo, hi, 1, GETPC()); }

/* CVT(T)PS2DQ: four floats to int32 (80000000h on invalid). */
static void ps_to_dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, bool trunc,
                     uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t r[4];
    for (int i = 0; i < 4; i++)
        r[i] = (uint32_t)(trunc ? f32_to_i32_trunc(dw(lo, hi, i), &st) :
                                  f32_to_i32(dw(lo, hi, i), &st));
    mx_finish(env, &st, ra);
    put_xmm(env, d, r, 0);
}

void helper_cvtps2dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { ps_to_dq(env, d, lo, hi, false, GETPC()); }
void helper_cvttps2dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { ps_to_dq(env, d, lo, hi, true, GETPC()); }

/* CVT(T)PD2DQ: two doubles to int32 in the low quadword, the high one cleared. */
static uint64_t pd_to_pi(CpuState *env, uint64_t lo, uint64_t hi, bool trunc, FpStatus *st)
{
    uint32_t a = (uint32_t)(trunc ? f64_to_i32_trunc(lo, st) : f64_to_i32(lo, st));
    uint32_t b = (uint32_t)(trunc ? f64_to_i32_trunc(hi, st) : f64_to_i32(hi, st));
    (void)env;
    return a | (uint64_t)b << 32;
}

static void pd_to_dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi, bool trunc,
                     uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint64_t v = pd_to_pi(env, lo, hi, trunc, &st);
    mx_finish(env, &st, ra);
    env->xmm[d & 15].q[0] = v;
    env->xmm[d & 15].q[1] = 0;
}

void helper_cvtpd2dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { pd_to_dq(env, d, lo, hi, false, GETPC()); }
void helper_cvttpd2dq(CpuState *env, uint32_t d, uint64_t lo, uint64_t hi) { pd_to_dq(env, d, lo, hi, true, GETPC()); }

/* -- Conversions to MMX and general registers (results returned) ------------------- */

static uint64_t ps_to_pi(CpuState *env, uint64_t lo, bool trunc, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint32_t a = (uint32_t)(trunc ? f32_to_i32_trunc((F32)lo, &st) : f32_to_i32((F32)lo, &st));
    uint32_t b = (uint32_t)(trunc ? f32_to_i32_trunc((F32)(lo >> 32), &st) :
                                    f32_to_i32((F32)(lo >> 32), &st));
    mx_finish(env, &st, ra);
    return a | (uint64_t)b << 32;
}

uint64_t helper_cvtps2pi(CpuState *env, uint64_t lo, uint64_t hi) { (void)hi; return ps_to_pi(env, lo, false, GETPC()); }
uint64_t helper_cvttps2pi(CpuState *env, uint64_t lo, uint64_t hi) { (void)hi; return ps_to_pi(env, lo, true, GETPC()); }

static uint64_t pd_to_pi_fin(CpuState *env, uint64_t lo, uint64_t hi, bool trunc, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    uint64_t v = pd_to_pi(env, lo, hi, trunc, &st);
    mx_finish(env, &st, ra);
    return v;
}

uint64_t helper_cvtpd2pi(CpuState *env, uint64_t lo, uint64_t hi) { return pd_to_pi_fin(env, lo, hi, false, GETPC()); }
uint64_t helper_cvttpd2pi(CpuState *env, uint64_t lo, uint64_t hi) { return pd_to_pi_fin(env, lo, hi, true, GETPC()); }

/* CVT(T)SS2SI / CVT(T)SD2SI r32 */
static uint64_t to_si(CpuState *env, uint64_t v, bool dbl, bool trunc, uintptr_t ra)
{
    FpStatus st = mx_status(env);
    int32_t r = dbl ? (trunc ? f64_to_i32_trunc(v, &st) : f64_to_i32(v, &st)) :
                      (trunc ? f32_to_i32_trunc((F32)v, &st) : f32_to_i32((F32)v, &st));
    mx_finish(env, &st, ra);
    return (uint32_t)r;
}

uint64_t helper_cvtss2si(CpuState *env, uint64_t v, uint64_t hi) { (void)hi; return to_si(env, v, false, false, GETPC()); }
uint64_t helper_cvttss2si(CpuState *env, uint64_t v, uint64_t hi) { (void)hi; return to_si(env, v, false, true, GETPC()); }
uint64_t helper_cvtsd2si(CpuState *env, uint64_t v, uint64_t hi) { (void)hi; return to_si(env, v, true, false, GETPC()); }
uint64_t helper_cvttsd2si(CpuState *env, uint64_t v, uint64_t hi) { (void)hi; return to_si(env, v, true, true, GETPC()); }
