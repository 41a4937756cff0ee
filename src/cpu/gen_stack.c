/* gen_stack.c — PUSHA POPA ENTER LEAVE (SDM Vol. 2). PUSH/POP are in
 * gen_move.c. Stack offsets wrap at the stack size (SS.B); every store or
 * load happens before ESP or another register changes. */
#include "cpu/gen_int_util.h"

/* eSP + delta as an offset temp (the stack address masks it). */
static IrTemp sp_plus(DisasContext *s, int32_t delta)
{
    IrTemp t = gen_tmp(s);
    ir_addi(s->f, IR_I32, t, G->regs[X86_R_SP], (uint32_t)delta);
    return t;
}

static void set_sp(DisasContext *s, IrTemp v)
{
    gen_set_reg(s, stack_ot(s), X86_R_SP, v);
}

/* PUSHA/PUSHAD: EAX ECX EDX EBX (original) ESP EBP ESI EDI. */
void gen_PUSHA(DisasContext *s, X86Insn *d)
{
    int ot = d->ot, size = 1 << ot;
    for (int i = 0; i < 8; i++)
        gen_st(s, ot, G->regs[i],
               gen_stack_addr(s, sp_plus(s, -(i + 1) * size), (unsigned)size, true));
    set_sp(s, sp_plus(s, -8 * size));
}

/* POPA/POPAD: the reverse, skipping the saved ESP. */
void gen_POPA(DisasContext *s, X86Insn *d)
{
    int ot = d->ot, size = 1 << ot;
    IrTemp v[8];
    for (int i = 0; i < 8; i++) {
        if (i == X86_R_SP)
            continue;
        v[i] = gen_tmp(s);
        gen_ld(s, ot, v[i], gen_stack_addr(s, sp_plus(s, (7 - i) * size), (unsigned)size, false));
    }
    set_sp(s, sp_plus(s, 8 * size));
    for (int i = 0; i < 8; i++)
        if (i != X86_R_SP)
            gen_set_reg(s, ot, i, v[i]);
}

/* ENTER imm16, imm8: the nesting levels need a loop: a helper. */
void gen_ENTER(DisasContext *s, X86Insn *d)
{
    gen_helper_enter(s, gen_const(s, (uint32_t)d->ot), gen_const(s, d->imm & 0xffff),
                     gen_const(s, d->imm2 & 0xff));
}

/* LEAVE: eSP = eBP, then pop eBP. */
void gen_LEAVE(DisasContext *s, X86Insn *d)
{
    int ot = d->ot;
    IrTemp v = gen_tmp(s), sp = gen_tmp(s);
    gen_ld(s, ot, v, gen_stack_addr(s, G->regs[X86_R_BP], 1u << ot, false));
    ir_addi(s->f, IR_I32, sp, G->regs[X86_R_BP], 1u << ot);
    set_sp(s, sp);
    gen_set_reg(s, ot, X86_R_BP, v);
}
