/* gen_branch.c — near control transfers: JMP Jcc CALL RET SETcc. */
#include "cpu/gen.h"

void gen_JMP(DisasContext *s, X86Insn *d)
{
    gen_jmp(s, (uint32_t)d->imm);
}

void gen_Jcc(DisasContext *s, X86Insn *d)
{
    gen_jcc_block_end(s, insn_cc(d), (uint32_t)d->imm);
}

void gen_SETcc(DisasContext *s, X86Insn *d)
{
    d->op[0].t = gen_setcc(s, insn_cc(d));
}

void gen_CALL(DisasContext *s, X86Insn *d)
{
    gen_push(s, d->ot, gen_const(s, next_eip(s)));
    gen_jmp(s, (uint32_t)d->imm);
}

/* RET / RET imm16: pop EIP, then release imm16 more bytes. */
void gen_RET(DisasContext *s, X86Insn *d)
{
    IrTemp eip = gen_pop_load(s, d->ot), sp = gen_tmp(s);
    uint32_t extra = d->op[0].kind == X86_KIND_I ? (uint32_t)d->imm : 0;
    ir_addi(s->f, IR_I32, sp, G->regs[X86_R_SP], (1u << d->ot) + extra);
    gen_set_reg(s, s->ss32 ? MO_32 : MO_16, X86_R_SP, sp);
    gen_jmp_indirect(s, gen_ext(s, d->ot, eip, false));
}

void gen_JMP_Ev(DisasContext *s, X86Insn *d)
{
    gen_jmp_indirect(s, gen_ext(s, d->ot, d->op[0].t, false));
}

void gen_CALL_Ev(DisasContext *s, X86Insn *d)
{
    IrTemp target = gen_tmp(s);
    ir_mov(s->f, IR_I32, target, gen_ext(s, d->ot, d->op[0].t, false));
    gen_push(s, d->ot, gen_const(s, next_eip(s)));
    gen_jmp_indirect(s, target);
}
