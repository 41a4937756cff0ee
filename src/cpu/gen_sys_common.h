/* gen_sys_common.h — what the system gen functions (gen_sys*.c) share.
 *
 * Helpers that change the CPU mode, EFLAGS or CS:EIP end the block: the
 * gen function writes env->cc_op before the call (gen_update_cc_op: the
 * helper may read or replace the flags) and then calls gen_sys_end, which
 * forgets the translator's view of cc_op, delivers the single-step trap if
 * the instruction started with TF set, and continues at env's CS:EIP.
 */
#ifndef EMU_CPU_GEN_SYS_COMMON_H
#define EMU_CPU_GEN_SYS_COMMON_H

#include "cpu/gen.h"

/* eip_next: the helper did not set EIP, continue after the instruction.
 * to_loop: back to the run loop (IF may have changed: interrupts must be
 * looked at); otherwise straight to the next block. */
static inline void gen_sys_end(DisasContext *s, bool eip_next, bool to_loop)
{
    if (eip_next)
        gen_update_eip_next(s);
    s->cc_op = CC_OP_DYNAMIC;
    s->cc_op_dirty = false;
    if (s->hflags & HF_TF)
        gen_helper_debug_trap(s);      /* a trap after the instruction */
    if (to_loop || (s->hflags & HF_TF))
        ir_exit_tb(s->f, IR_EXIT_NORMAL);
    else
        ir_lookup_tb(s->f);
    s->is_jmp = DISAS_NORETURN;
}

static inline int iopl_of(const DisasContext *s)
{
    return (int)((s->hflags & HF_IOPL_MASK) >> HF_IOPL_SHIFT);
}

/* ZF = cond (0 or 1), the other flags unchanged: LAR LSL VERR VERW ARPL. */
static inline void gen_set_zf(DisasContext *s, X86Insn *d, IrTemp cond)
{
    IrTemp f = gen_compute_eflags(s), n = gen_tmp(s), z = gen_tmp(s);
    ir_andi(s->f, IR_I32, n, f, ~(uint32_t)EF_ZF);
    ir_shli(s->f, IR_I32, z, cond, 6);
    ir_or(s->f, IR_I32, n, n, z);
    set_cc(d, CC_OP_EFLAGS, 0, n, 0);
}

/* A selector or CR/DR value to a register or memory: a register gets it
 * zero-extended to the operand size, memory gets 16 bits (SDM SLDT, STR,
 * SMSW, MOV from Sreg). */
static inline void gen_store_w(DisasContext *s, X86Insn *d, IrTemp v)
{
    if (d->op[0].is_mem)
        gen_st(s, MO_16, v, d->addr);
    else
        gen_set_reg(s, d->ot, d->op[0].reg, d->ot == MO_16 ? gen_ext(s, MO_16, v, false) : v);
}

#endif
