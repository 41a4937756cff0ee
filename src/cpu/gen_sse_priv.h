/* gen_sse_priv.h — services shared by the MMX/SSE/SSE2 gen functions
 * (gen_sse*.c); not for other areas.
 *
 * Register files: MMX register i is the significand of x87 register i
 * (env->fpregs[i].mant); writing it sets that register's sign/exponent word
 * to all ones (SDM Vol. 1 9.5.1). XMM register i is env->xmm[i], accessed as
 * two 64-bit halves with ld64/st64 on env.
 *
 * Every gen function starts with simd_enter() (or its own checks), which
 * raises #UD/#NM at translation time from hflags and emits the pending-x87
 * #MF check of MMX instructions. Loads that may fault come next, then
 * mmx_transition() for MMX-class instructions, then the register writes:
 * a memory fault leaves every register as it was. (A conversion's #XM comes
 * after the transition: measured on hardware, which switches to MMX
 * operation before it checks the arithmetic.)
 *
 * The translator loads none of the P/N/Q/V/U/W/M operands: memory operands
 * are read here (xmm_opnd/mmx_opnd) with the size the row gives.
 */
#ifndef EMU_CPU_GEN_SSE_PRIV_H
#define EMU_CPU_GEN_SSE_PRIV_H

#include "cpu/gen.h"

/* Exception classes (SDM Vol. 3B 22.x tables): SSE = CR4.OSFXSR and CR0.EM
 * give #UD; MMX = CR0.EM gives #UD and a pending x87 exception #MF; both
 * give #NM with CR0.TS. */
enum { SIMD_SSE = 1, SIMD_MMX = 2 };

/* The class from the row's operand kinds: MMX if it names an MMX register
 * (P, N, or Q in register form), SSE if it has an XMM operand. */
int simd_class(const X86Insn *d);
/* Checks for `cls`; false if the instruction raised (nothing more to emit). */
bool simd_enter_cls(DisasContext *s, X86Insn *d, int cls);
static inline bool simd_enter(DisasContext *s, X86Insn *d)
{
    return simd_enter_cls(s, d, simd_class(d));
}
/* x87 -> MMX transition: TOP = 0, every tag valid (SDM Vol. 1 9.5.1). */
void mmx_transition(DisasContext *s);

/* Register halves */
IrTemp mmx_get(DisasContext *s, int reg);
void mmx_set(DisasContext *s, int reg, IrTemp v);
IrTemp xmm_get(DisasContext *s, int reg, int half);
void xmm_set(DisasContext *s, int reg, int half, IrTemp v);
static inline int xmm_off(int reg, int half)
{
    return (int)(offsetof(CpuState, xmm) + 16 * (unsigned)reg + 8 * (unsigned)half);
}

/* The memory operand's linear address for `size` bytes; aligned: #GP(0)
 * unless it is a multiple of 16 (SDM: "not aligned on a 16-byte boundary,
 * regardless of segment"). */
IrTemp simd_addr(DisasContext *s, X86Insn *d, unsigned size, bool write, bool aligned);
/* Operand size in bytes from a row's size letter (w, d, q, dq). */
unsigned simd_size(int sz);

/* Operand i as a 64-bit value: an MMX register, or memory of the row's
 * size (d: zero-extended). */
IrTemp mmx_opnd(DisasContext *s, X86Insn *d, int i);
/* Operand i as two halves: an XMM register, or memory of the row's size
 * (dq: 16 bytes, aligned unless `aligned` is false; q/d/w: low half
 * zero-extended, high half 0). */
void xmm_opnd(DisasContext *s, X86Insn *d, int i, bool aligned, IrTemp *lo, IrTemp *hi);
/* Store 8 or 16 bytes at a memory operand (lo first; an unaligned 16-byte
 * store that crosses a page checks both pages first). */
void simd_st64(DisasContext *s, IrTemp addr, IrTemp v);
void simd_st128(DisasContext *s, IrTemp addr, IrTemp lo, IrTemp hi, bool aligned);
IrTemp simd_ld64(DisasContext *s, IrTemp addr);

/* A 64-bit lane operation r = f(a, b): an inline sequence or a pure helper. */
typedef void SimdFn(DisasContext *s, IrTemp r, IrTemp a, IrTemp b);
/* dst = f(dst, src) on an MMX register or on both halves of an XMM one. */
void gen_simd_op(DisasContext *s, X86Insn *d, SimdFn *f);
static inline bool op_is_mmx(const X86Insn *d, int i)
{
    return d->op[i].kind == X86_KIND_P || d->op[i].kind == X86_KIND_N ||
           d->op[i].kind == X86_KIND_Q;
}

#endif
