/* helpers_fpu_arith.c — x87 arithmetic, comparisons and the D9 E0-FF
 * operations (constants, FXAM, transcendentals...), all through softfloat.
 *
 * The basic arithmetic op number is ModRM.reg of D8 (ADD MUL COM COMP SUB
 * SUBR DIV DIVR) with a = ST(0) and b = the other operand. DC/DE register
 * forms (SDM Vol. 2 A.4.2) compute the same thing into ST(i): "DC E0+i
 * FSUBR ST(i), ST(0)" is ST(0) - ST(i), i.e. op 4 with the result in ST(i).
 * Masked stack-fault responses (SDM Vol. 1 8.5.1.1, checked on Intel
 * hardware): every destination the instruction would write gets the QNaN
 * indefinite, and pops and pushes happen as without the fault.
 * To add a D9 operation: a function below and its slot in d9_ops[].
 */
#include "cpu/helpers_fpu.h"
#include "cpu/helpers.h"

#define INDEF FX80_INDEFINITE

static Fx80 fpu_calc(int op, Fx80 a, Fx80 b, FpStatus *s)
{
    switch (op) {
    case 0: return fx80_add(a, b, s);
    case 1: return fx80_mul(a, b, s);
    case 4: return fx80_sub(a, b, s);
    case 5: return fx80_sub(b, a, s);
    case 6: return fx80_div(a, b, s);
    default: return fx80_div(b, a, s);
    }
}

/* DE for a denormal memory operand, unless NaN, IE or ZE decided. */
static void fpu_operand_de(FpStatus *s, Fx80 a, const FpuOperand *b)
{
    if (b->denormal && !(s->flags & (FP_IE | FP_ZE)) && !fx80_is_nan(a))
        s->flags |= FP_DE;
}

static FpuOperand fpu_reg_operand(const CpuState *env, int i)
{
    return (FpuOperand){ fpu_get(env, i), fpu_empty(env, i), false };
}

void fpu_arith(CpuState *env, int op, FpuOperand b, int dst, bool pop, FpStatus *s)
{
    Fx80 r, a = fpu_get(env, 0);
    if (fpu_empty(env, 0) || b.empty) {
        if (!fpu_stack_fault(env, false))
            return;
        r = INDEF;
    } else {
        r = fpu_calc(op, a, b.v, s);
        fpu_operand_de(s, a, &b);
        if (!fpu_finish(env, s))
            return;
    }
    fpu_set(env, dst, r);
    if (pop)
        fpu_pop(env);
}

/* The codes are written even when the exception is unmasked (unordered
 * for IE), only the pops wait for a masked one (measured). */
void fpu_fcom(CpuState *env, FpuOperand b, bool quiet, int pops, FpStatus *s)
{
    FpRel rel = FP_REL_UN;
    Fx80 a = fpu_get(env, 0);
    bool ok;
    if (fpu_empty(env, 0) || b.empty) {
        ok = fpu_stack_fault(env, false);
    } else {
        rel = fx80_compare(a, b.v, quiet, s);
        fpu_operand_de(s, a, &b);
        ok = fpu_finish(env, s);
    }
    fpu_set_cc(env, FSW_CC, fp_rel_x87_cc(rel));
    while (ok && pops--)
        fpu_pop(env);
}

/* arg: i in bits 0-2, result to ST(i) in bit 3, pop in bit 4 */
void helper_farith_r(CpuState *env, uint32_t op, uint32_t arg)
{
    FpStatus s = fpu_status(env);
    int i = (int)(arg & 7);
    fpu_arith(env, (int)op, fpu_reg_operand(env, i), arg & 8 ? i : 0, arg & 16, &s);
}

void helper_fcom_r(CpuState *env, uint32_t i, uint32_t quiet, uint32_t pops)
{
    FpStatus s = fpu_status(env);
    fpu_fcom(env, fpu_reg_operand(env, (int)i), quiet, (int)pops, &s);
}

/* FCOMI/FUCOMI(P): ZF PF CF from the comparison, OF SF AF cleared (SDM
 * FCOMI), written as for FCOM even with an unmasked exception; C1 is
 * kept unless the stack faults (measured). Returns the new OSZAPC bits. */
uint32_t helper_fcomi(CpuState *env, uint32_t i, uint32_t quiet, uint32_t pop, uint32_t eflags)
{
    FpStatus s = fpu_status(env);
    FpRel rel = FP_REL_UN;
    uint16_t c1 = env->fpus & FP_C1;
    bool ok;
    if (fpu_empty(env, 0) || fpu_empty(env, (int)i)) {
        ok = fpu_stack_fault(env, false);
    } else {
        rel = fx80_compare(fpu_get(env, 0), fpu_get(env, (int)i), quiet, &s);
        ok = fpu_finish(env, &s);
        fpu_set_cc(env, FP_C1, c1);
    }
    if (ok && pop)
        fpu_pop(env);
    return (eflags & ~(uint32_t)EF_ARITH) | fp_rel_eflags(rel);
}

/* -- D9 E0-FF -------------------------------------------------------------- */

/* ST(0) = fn(ST(0)) */
static void fpu_unary(CpuState *env, Fx80 (*fn)(Fx80, FpStatus *))
{
    FpStatus s = fpu_status(env);
    Fx80 r;
    if (fpu_empty(env, 0)) {
        if (fpu_stack_fault(env, false))
            fpu_set(env, 0, INDEF);
        return;
    }
    r = fn(fpu_get(env, 0), &s);
    if (fpu_finish(env, &s))
        fpu_set(env, 0, r);
}

static Fx80 fx_chs(Fx80 a, FpStatus *s) { return (Fx80){ a.mant, (uint16_t)(a.se ^ 0x8000) }; }
static Fx80 fx_abs(Fx80 a, FpStatus *s) { return (Fx80){ a.mant, (uint16_t)(a.se & 0x7fff) }; }
static void op_fchs(CpuState *env) { fpu_unary(env, fx_chs); }
static void op_fabs(CpuState *env) { fpu_unary(env, fx_abs); }
static void op_frndint(CpuState *env) { fpu_unary(env, fx80_round_int); }
static void op_fsqrt(CpuState *env) { fpu_unary(env, fx80_sqrt); }
static void op_f2xm1(CpuState *env) { fpu_unary(env, fx80_f2xm1); }

/* FTST: FCOM with +0.0 */
static void op_ftst(CpuState *env)
{
    FpStatus s = fpu_status(env);
    fpu_fcom(env, (FpuOperand){ fx80_make(false, 0, 0), false, false }, false, 0, &s);
}

/* FXAM: an empty register is C3 C0 = 1 with C1 its sign bit (measured). */
static void op_fxam(CpuState *env)
{
    Fx80 a = fpu_get(env, 0);
    uint16_t cc = fx80_examine(a);
    if (fpu_empty(env, 0))
        cc = (uint16_t)(FP_C3 | FP_C0 | (fx80_sign(a) ? FP_C1 : 0));
    fpu_set_cc(env, FSW_CC, cc);
}

static void fpu_const(CpuState *env, FpConst which)
{
    FpStatus s = fpu_status(env);
    if (fpu_can_push(env))
        fpu_push(env, fx80_const(which, &s));
}

static void op_fld1(CpuState *env) { fpu_const(env, FP_CONST_1); }
static void op_fldl2t(CpuState *env) { fpu_const(env, FP_CONST_L2T); }
static void op_fldl2e(CpuState *env) { fpu_const(env, FP_CONST_L2E); }
static void op_fldpi(CpuState *env) { fpu_const(env, FP_CONST_PI); }
static void op_fldlg2(CpuState *env) { fpu_const(env, FP_CONST_LG2); }
static void op_fldln2(CpuState *env) { fpu_const(env, FP_CONST_LN2); }
static void op_fldz(CpuState *env) { fpu_const(env, FP_CONST_Z); }

static void op_fdecstp(CpuState *env)
{
    env->fpstt = (env->fpstt - 1) & 7;
    fpu_set_cc(env, FP_C1, 0);
}

static void op_fincstp(CpuState *env)
{
    env->fpstt = (env->fpstt + 1) & 7;
    fpu_set_cc(env, FP_C1, 0);
}

/* FSIN/FCOS: C2 = 1, C1 = 0 and ST(0) kept when |ST(0)| >= 2^63. */
static void fpu_trig(CpuState *env, bool (*fn)(Fx80, Fx80 *, FpStatus *))
{
    FpStatus s = fpu_status(env);
    Fx80 r;
    fpu_set_cc(env, FP_C2, 0);
    if (fpu_empty(env, 0)) {
        if (fpu_stack_fault(env, false))
            fpu_set(env, 0, INDEF);
        return;
    }
    if (!fn(fpu_get(env, 0), &r, &s)) {
        fpu_set_cc(env, FP_C1 | FP_C2, FP_C2);
        return;
    }
    if (fpu_finish(env, &s))
        fpu_set(env, 0, r);
}

static void op_fsin(CpuState *env) { fpu_trig(env, fx80_sin); }
static void op_fcos(CpuState *env) { fpu_trig(env, fx80_cos); }

/* FPTAN, FSINCOS, FXTRACT: ST(0) is replaced and one value pushed. An
 * empty ST(0) (underflow) or a full ST(7) (overflow) gives two indefinites. */
enum { PUSH2_TAN, PUSH2_SINCOS, PUSH2_XTRACT };

static void fpu_push2(CpuState *env, int which)
{
    FpStatus s = fpu_status(env);
    Fx80 a = fpu_get(env, 0), st1, st0;
    bool ok = true;

    if (which != PUSH2_XTRACT)
        fpu_set_cc(env, FP_C2, 0);
    if (fpu_empty(env, 0) || !fpu_empty(env, 7)) {
        if (!fpu_stack_fault(env, !fpu_empty(env, 0)))
            return;
        fpu_set(env, 0, INDEF);
        fpu_push(env, INDEF);
        return;
    }
    switch (which) {
    case PUSH2_TAN:
        ok = fx80_tan(a, &st1, &s);
        st0 = fx80_is_nan(st1) ? st1 : fx80_const(FP_CONST_1, &(FpStatus){ 0 });
        break;
    case PUSH2_SINCOS:
        ok = fx80_sincos(a, &st1, &st0, &s);
        break;
    default:
        st1 = fx80_xtract(a, &st0, &s);
        break;
    }
    if (!ok) {
        fpu_set_cc(env, FP_C1 | FP_C2, FP_C2);
        return;
    }
    if (!fpu_finish(env, &s))
        return;
    fpu_set(env, 0, st1);
    fpu_push(env, st0);
}

static void op_fptan(CpuState *env) { fpu_push2(env, PUSH2_TAN); }
static void op_fsincos(CpuState *env) { fpu_push2(env, PUSH2_SINCOS); }
static void op_fxtract(CpuState *env) { fpu_push2(env, PUSH2_XTRACT); }

/* FPREM, FPREM1: ST(0) = remainder of ST(0) / ST(1); C2 = incomplete, else
 * C0 C3 C1 = quotient bits 2 1 0. A NaN result, an unmasked exception or
 * a stack fault clear only C2 and C1 (measured). */
static void fpu_rem(CpuState *env, bool ieee)
{
    FpStatus s = fpu_status(env);
    uint16_t cc = 0;
    Fx80 r;
    fpu_set_cc(env, FP_C2, 0);
    if (fpu_empty(env, 0) || fpu_empty(env, 1)) {
        if (fpu_stack_fault(env, false))
            fpu_set(env, 0, INDEF);
        return;
    }
    r = ieee ? fx80_prem1(fpu_get(env, 0), fpu_get(env, 1), &cc, &s)
             : fx80_prem(fpu_get(env, 0), fpu_get(env, 1), &cc, &s);
    if (!fpu_finish(env, &s))
        return;
    fpu_set(env, 0, r);
    if (!fx80_is_nan(r))
        fpu_set_cc(env, FSW_CC, cc);
}

static void op_fprem(CpuState *env) { fpu_rem(env, false); }
static void op_fprem1(CpuState *env) { fpu_rem(env, true); }

/* Unbiased exponent of a * 2^trunc(b) before rounding (a finite, nonzero;
 * b finite), clamped far beyond the range. */
static int64_t fscale_exp(Fx80 a, Fx80 b)
{
    int ea = a.se & 0x7fff, eb = (b.se & 0x7fff) - 16383;
    int64_t e = ea ? ea - 16383 : -16382 - __builtin_clzll(a.mant);
    int64_t n = eb < 0 ? 0 : eb >= 30 ? 1ll << 30 : (int64_t)(b.mant >> (63 - eb));
    return e + (b.se & 0x8000 ? -n : n);
}

/* FSCALE: ST(0) = ST(0) * 2^trunc(ST(1)). With OE/UE unmasked, a result
 * whose exponent does not fit even after the 24576 wrap (SDM Vol. 1
 * 8.5.4) gets the masked-style infinity (C1 = 1) or zero (C1 = 0) with PE,
 * whatever the rounding (measured); softfloat rounds it by RC instead. */
static void op_fscale(CpuState *env)
{
    FpStatus s = fpu_status(env);
    Fx80 a = fpu_get(env, 0), b = fpu_get(env, 1), r;
    int64_t e;
    if (fpu_empty(env, 0) || fpu_empty(env, 1)) {
        if (fpu_stack_fault(env, false))
            fpu_set(env, 0, INDEF);
        return;
    }
    r = fx80_scale(a, b, &s);
    if (s.flags & ~s.masks & (FP_OE | FP_UE) && a.mant) {
        e = fscale_exp(a, b);
        if (e >= 16384 + 24576 || e <= -16383 - 24576) {
            r = fx80_make(fx80_sign(a), e > 0 ? 0x7fff : 0, e > 0 ? 1ull << 63 : 0);
            s.flags |= FP_PE;
            s.c1_round_up = e > 0;
        }
    }
    if (fpu_finish(env, &s))
        fpu_set(env, 0, r);
}

/* FYL2X, FYL2XP1, FPATAN: ST(1) = f(ST(0), ST(1)), then pop. */
static void fpu_binpop(CpuState *env, Fx80 (*fn)(Fx80, Fx80, FpStatus *))
{
    FpStatus s = fpu_status(env);
    Fx80 r;
    if (fpu_empty(env, 0) || fpu_empty(env, 1)) {
        if (!fpu_stack_fault(env, false))
            return;
        r = INDEF;
    } else {
        r = fn(fpu_get(env, 0), fpu_get(env, 1), &s);
        if (!fpu_finish(env, &s))
            return;
    }
    fpu_set(env, 1, r);
    fpu_pop(env);
}

/* fx80_patan takes (y, x) = (ST(1), ST(0)) */
static Fx80 fx_patan(Fx80 st0, Fx80 st1, FpStatus *s) { return fx80_patan(st1, st0, s); }
static void op_fyl2x(CpuState *env) { fpu_binpop(env, fx80_fyl2x); }
static void op_fyl2xp1(CpuState *env) { fpu_binpop(env, fx80_fyl2xp1); }
static void op_fpatan(CpuState *env) { fpu_binpop(env, fx_patan); }

/* D9 E0+n; the empty slots are #UD rows that never get here. */
static void (*const d9_ops[32])(CpuState *env) = {
    [0x00] = op_fchs, [0x01] = op_fabs, [0x04] = op_ftst, [0x05] = op_fxam,
    [0x08] = op_fld1, [0x09] = op_fldl2t, [0x0a] = op_fldl2e, [0x0b] = op_fldpi,
    [0x0c] = op_fldlg2, [0x0d] = op_fldln2, [0x0e] = op_fldz,
    [0x10] = op_f2xm1, [0x11] = op_fyl2x, [0x12] = op_fptan, [0x13] = op_fpatan,
    [0x14] = op_fxtract, [0x15] = op_fprem1, [0x16] = op_fdecstp, [0x17] = op_fincstp,
    [0x18] = op_fprem, [0x19] = op_fyl2xp1, [0x1a] = op_fsqrt, [0x1b] = op_fsincos,
    [0x1c] = op_frndint, [0x1d] = op_fscale, [0x1e] = op_fsin, [0x1f] = op_fcos,
};

void helper_fpu_op(CpuState *env, uint32_t n)
{
    if (n < 32 && d9_ops[n])
        d9_ops[n](env);
}
