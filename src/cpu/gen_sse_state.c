/* gen_sse_state.c — SIMD state and ordering instructions: EMMS,
 * LDMXCSR/STMXCSR, FXSAVE/FXRSTOR, MASKMOVQ/MASKMOVDQU, the fences and
 * the prefetch hints.
 *
 * The fences and prefetches have nothing to do here: one CPU executes its
 * loads and stores in program order on memory with no caches to warm, so
 * every ordering they ask for already holds.
 */
#include "cpu/gen_sse_priv.h"

/* EMMS: every x87 tag empty, and like every MMX instruction TOP = 0
 * (SDM Vol. 1 table 9-3; hardware agrees). */
void gen_EMMS(DisasContext *s, X86Insn *d)
{
    if (!simd_enter_cls(s, d, SIMD_MMX))
        return;
    ir_st32(s->f, IR_I32, gen_const(s, 0), IR_TEMP_ENV, offsetof(CpuState, fpstt));
    ir_st64(s->f, IR_I64, gen_const(s, 0x0101010101010101ull), IR_TEMP_ENV,
            offsetof(CpuState, fptags));
}

void gen_LDMXCSR(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_tmp(s);
    if (!simd_enter_cls(s, d, SIMD_SSE))
        return;
    gen_ld(s, MO_32, v, simd_addr(s, d, 4, false, false));
    gen_helper_ldmxcsr(s, v);
}

void gen_STMXCSR(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_tmp(s);
    if (!simd_enter_cls(s, d, SIMD_SSE))
        return;
    ir_ld32u(s->f, IR_I32, v, IR_TEMP_ENV, offsetof(CpuState, mxcsr));
    gen_st(s, MO_32, v, simd_addr(s, d, 4, true, false));
}

/* FXSAVE/FXRSTOR: #NM with CR0.TS or CR0.EM (SDM FXSAVE, not #UD: they work
 * whatever CR4.OSFXSR says); the 512-byte area must be 16-byte aligned. */
static bool fx_enter(DisasContext *s)
{
    if (s->hflags & (HF_TS | HF_EM)) {
        gen_exception(s, EXCP_NM);
        return false;
    }
    return true;
}

void gen_FXSAVE(DisasContext *s, X86Insn *d)
{
    if (fx_enter(s))
        gen_helper_fxsave(s, simd_addr(s, d, 512, true, true));
}

void gen_FXRSTOR(DisasContext *s, X86Insn *d)
{
    if (fx_enter(s))
        gen_helper_fxrstor(s, simd_addr(s, d, 512, false, true));
}

/* MASKMOVQ mm, mm / MASKMOVDQU xmm, xmm: to DS:[eDI] (segment overridable),
 * the bytes of op 0 whose byte in op 1 has its top bit set. */
static void gen_maskmov(DisasContext *s, X86Insn *d, bool xmm)
{
    int seg = d->seg_override >= 0 ? d->seg_override : CPU_DS;
    unsigned size = xmm ? 16 : 8;
    IrTemp off, addr;
    if (!simd_enter(s, d))
        return;
    off = gen_ea_mask(s, d->aflag, G->regs[X86_R_DI]);
    addr = gen_seg_addr(s, seg, off, size, true);
    if (xmm) {
        gen_helper_maskmovdqu(s, addr, gen_const(s, d->op[0].reg), gen_const(s, d->op[1].reg));
        return;
    }
    gen_helper_maskmovq(s, addr, mmx_get(s, d->op[0].reg), mmx_get(s, d->op[1].reg));
    mmx_transition(s);
}

void gen_MASKMOVQ(DisasContext *s, X86Insn *d) { gen_maskmov(s, d, false); }
void gen_MASKMOVDQU(DisasContext *s, X86Insn *d) { gen_maskmov(s, d, true); }

void gen_LFENCE(DisasContext *s, X86Insn *d) { (void)s, (void)d; }
void gen_MFENCE(DisasContext *s, X86Insn *d) { (void)s, (void)d; }
void gen_SFENCE(DisasContext *s, X86Insn *d) { (void)s, (void)d; }
/* PREFETCHh and the other 0F 18 hints: the operand is decoded, never accessed. */
void gen_PREFETCH(DisasContext *s, X86Insn *d) { (void)s, (void)d; }
