/* gen_sse_fp.c — SSE/SSE2 floating point: arithmetic, compares, COMISS
 * and the conversions. The arithmetic is in helpers_sse_fp.c; these gen
 * functions fetch the source (XMM register, memory of the row's size, MMX
 * or general register) and call the helper; one gen per mnemonic
 * (ADDPS, ADDPD, ADDSS, ADDSD...), the row's operand sizes giving the
 * memory operand's width.
 */
#include "cpu/gen_sse_priv.h"

typedef void XopFn(DisasContext *s, IrTemp d, IrTemp lo, IrTemp hi);
typedef void XvalFn(DisasContext *s, IrTemp r, IrTemp lo, IrTemp hi);

/* Source operand 1 as two halves, whatever its kind. */
static void fp_src(DisasContext *s, X86Insn *d, IrTemp *lo, IrTemp *hi)
{
    switch (d->op[1].kind) {
    case X86_KIND_Q:
        *lo = mmx_opnd(s, d, 1);
        *hi = gen_const(s, 0);
        break;
    case X86_KIND_R:
        *lo = d->op[1].t;
        *hi = gen_const(s, 0);
        break;
    case X86_KIND_M:
        *lo = gen_tmp(s);
        gen_ld(s, MO_32, *lo, simd_addr(s, d, 4, false, false));
        *hi = gen_const(s, 0);
        break;
    default:
        xmm_opnd(s, d, 1, true, lo, hi);
        break;
    }
}

/* xmm[dst] op= src through an "xop" helper. */
static void gen_fp_xop(DisasContext *s, X86Insn *d, XopFn *fn, int cls)
{
    IrTemp lo, hi;
    if (!simd_enter_cls(s, d, cls))
        return;
    fp_src(s, d, &lo, &hi);
    if (cls & SIMD_MMX)
        mmx_transition(s);      /* before a #XM, as hardware does; after loads */
    fn(s, gen_const(s, d->op[0].reg), lo, hi);
}

#define FP_GEN1(MN, h) \
    void gen_##MN(DisasContext *s, X86Insn *d) { gen_fp_xop(s, d, gen_helper_##h, SIMD_SSE); }
#define FP_GEN(MN, h) \
    FP_GEN1(MN##PS, h##ps) FP_GEN1(MN##PD, h##pd) FP_GEN1(MN##SS, h##ss) FP_GEN1(MN##SD, h##sd)
FP_GEN(ADD, add) FP_GEN(SUB, sub) FP_GEN(MUL, mul) FP_GEN(DIV, div)
FP_GEN(MIN, min) FP_GEN(MAX, max) FP_GEN(SQRT, sqrt)
FP_GEN1(RCPPS, rcpps) FP_GEN1(RCPSS, rcpss) FP_GEN1(RSQRTPS, rsqrtps) FP_GEN1(RSQRTSS, rsqrtss)

/* CMPPS/CMPPD/CMPSS/CMPSD xmm, xmm/m, imm8 */
typedef void CmpFn(DisasContext *s, IrTemp d, IrTemp lo, IrTemp hi, IrTemp imm);

static void gen_cmp_fp(DisasContext *s, X86Insn *d, CmpFn *fn)
{
    IrTemp lo, hi;
    if (!simd_enter(s, d))
        return;
    fp_src(s, d, &lo, &hi);
    fn(s, gen_const(s, d->op[0].reg), lo, hi, gen_const(s, d->imm & 0xff));
}

#define CMP_GEN(MN, h) \
    void gen_##MN(DisasContext *s, X86Insn *d) { gen_cmp_fp(s, d, gen_helper_##h); }
CMP_GEN(CMPPS, cmpps) CMP_GEN(CMPPD, cmppd) CMP_GEN(CMPSS, cmpss) CMP_GEN(CMPSD, cmpsd)

/* COMISS/UCOMISS/COMISD/UCOMISD: EFLAGS from the low elements. */
static void gen_comi(DisasContext *s, X86Insn *d, XvalFn *fn)
{
    IrTemp lo, hi, fl = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    fp_src(s, d, &lo, &hi);
    fn(s, fl, xmm_get(s, d->op[0].reg, 0), lo);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}

#define COMI_GEN(MN, h) \
    void gen_##MN(DisasContext *s, X86Insn *d) { gen_comi(s, d, gen_helper_##h); }
COMI_GEN(COMISS, comiss) COMI_GEN(COMISD, comisd) COMI_GEN(UCOMISS, ucomiss)
COMI_GEN(UCOMISD, ucomisd)

/* -- Conversions ------------------------------------------------------------------- */

/* Into an XMM register: the row's operand kinds say where the source is. */
#define CVT_XOP(MN, h) \
    void gen_##MN(DisasContext *s, X86Insn *d) { gen_fp_xop(s, d, gen_helper_##h, simd_class(d)); }
CVT_XOP(CVTPI2PD, cvtpi2pd) CVT_XOP(CVTSI2SS, cvtsi2ss) CVT_XOP(CVTSI2SD, cvtsi2sd)
CVT_XOP(CVTPS2PD, cvtps2pd) CVT_XOP(CVTPD2PS, cvtpd2ps) CVT_XOP(CVTSS2SD, cvtss2sd)
CVT_XOP(CVTSD2SS, cvtsd2ss) CVT_XOP(CVTDQ2PS, cvtdq2ps) CVT_XOP(CVTPS2DQ, cvtps2dq)
CVT_XOP(CVTTPS2DQ, cvttps2dq) CVT_XOP(CVTDQ2PD, cvtdq2pd) CVT_XOP(CVTPD2DQ, cvtpd2dq)
CVT_XOP(CVTTPD2DQ, cvttpd2dq)
/* CVTPI2PS/PD switch to MMX operation only with an MMX register source: the
 * SDM says so for CVTPI2PD's memory form, and hardware does the same for
 * CVTPI2PS's (the SDM's CVTPI2PS page says otherwise). */
CVT_XOP(CVTPI2PS, cvtpi2ps)

/* Into an MMX register (P) or a general register (G): the helper returns it. */
static void gen_fp_xval(DisasContext *s, X86Insn *d, XvalFn *fn)
{
    IrTemp lo, hi, r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    fp_src(s, d, &lo, &hi);
    if (op_is_mmx(d, 0))
        mmx_transition(s);      /* before a #XM, as hardware does; after loads */
    fn(s, r, lo, hi);
    if (op_is_mmx(d, 0)) {
        mmx_set(s, d->op[0].reg, r);
    } else {
        d->op[0].t = r;
    }
}

#define CVT_XVAL(MN, h) \
    void gen_##MN(DisasContext *s, X86Insn *d) { gen_fp_xval(s, d, gen_helper_##h); }
CVT_XVAL(CVTPS2PI, cvtps2pi) CVT_XVAL(CVTTPS2PI, cvttps2pi)
CVT_XVAL(CVTPD2PI, cvtpd2pi) CVT_XVAL(CVTTPD2PI, cvttpd2pi)
CVT_XVAL(CVTSS2SI, cvtss2si) CVT_XVAL(CVTTSS2SI, cvttss2si)
CVT_XVAL(CVTSD2SI, cvtsd2si) CVT_XVAL(CVTTSD2SI, cvttsd2si)
