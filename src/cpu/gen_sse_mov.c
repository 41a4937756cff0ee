/* gen_sse_mov.c — MMX/SSE/SSE2 data movement: MOVD/MOVQ, the 128-bit moves,
 * scalar and half-register moves, non-temporal stores, sign-mask extraction,
 * and the FP-typed aliases of integer operations (ANDPS = PAND...).
 *
 * A row's operand 0 says the direction: a register kind (P, V) loads, a
 * memory or r/m kind (M, Q, W) stores. Loads and checks come before any
 * register write, so a faulting move changes nothing.
 */
#include "cpu/gen_sse_priv.h"

/* -- MOVD / MOVQ ------------------------------------------------------------------- */

/* MOVD mm/xmm, r/m32 (zero-extends) and MOVD r/m32, mm/xmm. */
void gen_MOVD(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    if (d->op[0].kind == X86_KIND_P || d->op[0].kind == X86_KIND_V) {
        if (d->op[1].is_mem)
            gen_ld(s, MO_32, v, simd_addr(s, d, 4, false, false));
        else
            ir_ext32u(s->f, IR_I64, v, d->op[1].t);
        if (d->op[0].kind == X86_KIND_P) {
            mmx_transition(s);
            mmx_set(s, d->op[0].reg, v);
        } else {
            xmm_set(s, d->op[0].reg, 0, v);
            xmm_set(s, d->op[0].reg, 1, gen_const(s, 0));
        }
        return;
    }
    v = op_is_mmx(d, 1) ? mmx_get(s, d->op[1].reg) : xmm_get(s, d->op[1].reg, 0);
    if (d->op[0].is_mem)
        gen_st(s, MO_32, v, simd_addr(s, d, 4, true, false));
    else
        d->op[0].t = v;                       /* R,d: written back by the translator */
    if (op_is_mmx(d, 1))
        mmx_transition(s);
}

/* MOVQ mm, mm/m64 / MOVQ mm/m64, mm */
static void gen_movq_mmx(DisasContext *s, X86Insn *d)
{
    IrTemp v;
    if (d->op[0].kind == X86_KIND_P) {
        v = mmx_opnd(s, d, 1);
        mmx_transition(s);
        mmx_set(s, d->op[0].reg, v);
        return;
    }
    v = mmx_get(s, d->op[1].reg);
    if (d->op[0].is_mem)
        simd_st64(s, simd_addr(s, d, 8, true, false), v);
    mmx_transition(s);
    if (!d->op[0].is_mem)
        mmx_set(s, d->op[0].reg, v);
}

/* MOVQ xmm, xmm/m64 (F3 0F 7E) / MOVQ xmm/m64, xmm (66 0F D6): the low
 * quadword; a register destination has its high quadword cleared. */
void gen_MOVQ(DisasContext *s, X86Insn *d)
{
    IrTemp lo, hi;
    if (!simd_enter(s, d))
        return;
    if (op_is_mmx(d, 0)) {
        gen_movq_mmx(s, d);
        return;
    }
    if (d->op[0].kind == X86_KIND_V) {
        xmm_opnd(s, d, 1, false, &lo, &hi);
    } else {
        lo = xmm_get(s, d->op[1].reg, 0);
        if (d->op[0].is_mem) {
            simd_st64(s, simd_addr(s, d, 8, true, false), lo);
            return;
        }
    }
    xmm_set(s, d->op[0].reg, 0, lo);
    xmm_set(s, d->op[0].reg, 1, gen_const(s, 0));
}

/* MOVQ2DQ xmm, mm / MOVDQ2Q mm, xmm */
void gen_MOVQ2DQ(DisasContext *s, X86Insn *d)
{
    IrTemp v;
    if (!simd_enter(s, d))
        return;
    v = mmx_get(s, d->op[1].reg);
    mmx_transition(s);
    xmm_set(s, d->op[0].reg, 0, v);
    xmm_set(s, d->op[0].reg, 1, gen_const(s, 0));
}

void gen_MOVDQ2Q(DisasContext *s, X86Insn *d)
{
    IrTemp v;
    if (!simd_enter(s, d))
        return;
    v = xmm_get(s, d->op[1].reg, 0);
    mmx_transition(s);
    mmx_set(s, d->op[0].reg, v);
}

/* -- 128-bit moves ----------------------------------------------------------------- */

static void gen_mov128(DisasContext *s, X86Insn *d, bool aligned)
{
    IrTemp lo, hi;
    if (!simd_enter(s, d))
        return;
    if (d->op[0].kind == X86_KIND_V) {
        xmm_opnd(s, d, 1, aligned, &lo, &hi);
    } else {
        lo = xmm_get(s, d->op[1].reg, 0);
        hi = xmm_get(s, d->op[1].reg, 1);
        if (d->op[0].is_mem) {
            simd_st128(s, simd_addr(s, d, 16, true, aligned), lo, hi, aligned);
            return;
        }
    }
    xmm_set(s, d->op[0].reg, 0, lo);
    xmm_set(s, d->op[0].reg, 1, hi);
}

void gen_MOVAPS(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }
void gen_MOVAPD(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }
void gen_MOVDQA(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }
void gen_MOVUPS(DisasContext *s, X86Insn *d) { gen_mov128(s, d, false); }
void gen_MOVUPD(DisasContext *s, X86Insn *d) { gen_mov128(s, d, false); }
void gen_MOVDQU(DisasContext *s, X86Insn *d) { gen_mov128(s, d, false); }
/* Non-temporal hints change nothing here: there is no cache to bypass. */
void gen_MOVNTPS(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }
void gen_MOVNTPD(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }
void gen_MOVNTDQ(DisasContext *s, X86Insn *d) { gen_mov128(s, d, true); }

void gen_MOVNTQ(DisasContext *s, X86Insn *d)
{
    if (simd_enter(s, d))
        gen_movq_mmx(s, d);
}

/* MOVNTI m32, r32: an ordinary store (no SIMD state, no CR0/CR4 checks). */
void gen_MOVNTI(DisasContext *s, X86Insn *d)
{
    gen_st(s, MO_32, d->op[1].t, gen_mem_addr(s, d, 4, true));
}

/* -- Scalar and half moves --------------------------------------------------------- */

/* MOVSS / MOVSD: register to register merges the low `bits`; a load clears
 * the rest of the register; a store writes just the element. */
static void gen_movs(DisasContext *s, X86Insn *d, unsigned bits)
{
    int ot = bits == 32 ? MO_32 : MO_64;
    IrTemp v, r;
    if (!simd_enter(s, d))
        return;
    if (d->op[0].kind == X86_KIND_V && d->op[1].is_mem) {
        v = gen_tmp(s);
        gen_ld(s, ot, v, simd_addr(s, d, bits / 8, false, false));
        xmm_set(s, d->op[0].reg, 0, v);
        xmm_set(s, d->op[0].reg, 1, gen_const(s, 0));
        return;
    }
    v = xmm_get(s, d->op[1].reg, 0);
    if (d->op[0].is_mem) {
        gen_st(s, ot, v, simd_addr(s, d, bits / 8, true, false));
        return;
    }
    if (bits == 64) {
        xmm_set(s, d->op[0].reg, 0, v);
        return;
    }
    r = gen_tmp(s);
    ir_deposit(s->f, IR_I64, r, xmm_get(s, d->op[0].reg, 0), v, 0, 32);
    xmm_set(s, d->op[0].reg, 0, r);
}

void gen_MOVSS(DisasContext *s, X86Insn *d) { gen_movs(s, d, 32); }
void gen_MOVSD(DisasContext *s, X86Insn *d) { gen_movs(s, d, 64); }

/* MOVLPS/MOVLPD (half 0) and MOVHPS/MOVHPD (half 1): one quadword between
 * memory and that half; the other half is untouched. */
static void gen_movhalf(DisasContext *s, X86Insn *d, int half)
{
    IrTemp v;
    if (!simd_enter(s, d))
        return;
    if (d->op[0].kind == X86_KIND_M) {
        simd_st64(s, simd_addr(s, d, 8, true, false), xmm_get(s, d->op[1].reg, half));
        return;
    }
    v = simd_ld64(s, simd_addr(s, d, 8, false, false));
    xmm_set(s, d->op[0].reg, half, v);
}

void gen_MOVLPS(DisasContext *s, X86Insn *d) { gen_movhalf(s, d, 0); }
void gen_MOVLPD(DisasContext *s, X86Insn *d) { gen_movhalf(s, d, 0); }
void gen_MOVHPS(DisasContext *s, X86Insn *d) { gen_movhalf(s, d, 1); }
void gen_MOVHPD(DisasContext *s, X86Insn *d) { gen_movhalf(s, d, 1); }

/* MOVHLPS: dst.low = src.high; MOVLHPS: dst.high = src.low. */
void gen_MOVHLPS(DisasContext *s, X86Insn *d)
{
    if (simd_enter(s, d))
        xmm_set(s, d->op[0].reg, 0, xmm_get(s, d->op[1].reg, 1));
}

void gen_MOVLHPS(DisasContext *s, X86Insn *d)
{
    if (simd_enter(s, d))
        xmm_set(s, d->op[0].reg, 1, xmm_get(s, d->op[1].reg, 0));
}

/* -- Sign masks --------------------------------------------------------------------- */

/* Bit `bit` of v moved to bit `to` of r (r |= ...). */
static void or_bit(DisasContext *s, IrTemp r, IrTemp v, unsigned bit, unsigned to)
{
    IrTemp t = gen_tmp(s);
    ir_extract(s->f, IR_I64, t, v, bit, 1);
    if (to)
        ir_shli(s->f, IR_I64, t, t, to);
    ir_or(s->f, IR_I64, r, r, t);
}

void gen_MOVMSKPS(DisasContext *s, X86Insn *d)
{
    IrTemp lo, hi, r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    lo = xmm_get(s, d->op[1].reg, 0);
    hi = xmm_get(s, d->op[1].reg, 1);
    ir_extract(s->f, IR_I64, r, lo, 31, 1);
    or_bit(s, r, lo, 63, 1);
    or_bit(s, r, hi, 31, 2);
    or_bit(s, r, hi, 63, 3);
    d->op[0].t = r;
}

void gen_MOVMSKPD(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    ir_extract(s->f, IR_I64, r, xmm_get(s, d->op[1].reg, 0), 63, 1);
    or_bit(s, r, xmm_get(s, d->op[1].reg, 1), 63, 1);
    d->op[0].t = r;
}

/* -- FP-typed forms of integer operations (same bits, SDM ANDPS...) ---------------- */

void gen_ANDPS(DisasContext *s, X86Insn *d) { gen_PAND(s, d); }
void gen_ANDPD(DisasContext *s, X86Insn *d) { gen_PAND(s, d); }
void gen_ANDNPS(DisasContext *s, X86Insn *d) { gen_PANDN(s, d); }
void gen_ANDNPD(DisasContext *s, X86Insn *d) { gen_PANDN(s, d); }
void gen_ORPS(DisasContext *s, X86Insn *d) { gen_POR(s, d); }
void gen_ORPD(DisasContext *s, X86Insn *d) { gen_POR(s, d); }
void gen_XORPS(DisasContext *s, X86Insn *d) { gen_PXOR(s, d); }
void gen_XORPD(DisasContext *s, X86Insn *d) { gen_PXOR(s, d); }
void gen_UNPCKLPS(DisasContext *s, X86Insn *d) { gen_PUNPCKLDQ(s, d); }
void gen_UNPCKHPS(DisasContext *s, X86Insn *d) { gen_PUNPCKHDQ(s, d); }
void gen_UNPCKLPD(DisasContext *s, X86Insn *d) { gen_PUNPCKLQDQ(s, d); }
void gen_UNPCKHPD(DisasContext *s, X86Insn *d) { gen_PUNPCKHQDQ(s, d); }
