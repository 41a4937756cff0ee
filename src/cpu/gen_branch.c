/* gen_branch.c — near control transfers: JMP Jcc CALL RET SETcc LOOP LOOPE
 * LOOPNE JCXZ. Branches end the block (gen_jmp, gen_jcc_block_end,
 * gen_branch_end for conditions held in a temp). */
#include "cpu/gen_int_util.h"

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

/* LOOP/LOOPE/LOOPNE: decrement eCX (address size picks CX or ECX), no flag
 * change; branch while it is not zero (and ZF = 1 / ZF = 0). */
static void gen_loop(DisasContext *s, X86Insn *d, int zf_cond)
{
    IrTemp cx = gen_tmp(s), cond = gen_tmp(s);
    IrTemp zf = zf_cond >= 0 ? gen_setcc(s, zf_cond) : 0;
    ir_addi(s->f, IR_I32, cx, G->regs[X86_R_CX], (uint32_t)-1);
    gen_set_reg(s, d->aflag, X86_R_CX, cx);
    ir_setcondi(s->f, IR_I32, IR_COND_NE, cond, gen_ext(s, d->aflag, cx, false), 0);
    if (zf)
        ir_and(s->f, IR_I32, cond, cond, zf);
    gen_branch_end(s, cond, (uint32_t)d->imm);
}

void gen_LOOP(DisasContext *s, X86Insn *d) { gen_loop(s, d, -1); }
void gen_LOOPE(DisasContext *s, X86Insn *d) { gen_loop(s, d, 4); }    /* Z */
void gen_LOOPNE(DisasContext *s, X86Insn *d) { gen_loop(s, d, 5); }   /* NZ */

/* JCXZ/JECXZ: the address size picks the register. */
void gen_JCXZ(DisasContext *s, X86Insn *d)
{
    IrTemp cond = gen_tmp(s);
    ir_setcondi(s->f, IR_I32, IR_COND_EQ, cond, gen_get_reg(s, d->aflag, X86_R_CX), 0);
    gen_branch_end(s, cond, (uint32_t)d->imm);
}

/* BOUND Gv, Ma: #BR unless lower <= index <= upper (signed; the bounds are
 * two words/dwords at the memory operand). */
void gen_BOUND(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot, size = 1 << ot;
    IrTemp addr = gen_mem_addr(s, d, 2u * (unsigned)size, false), a2 = gen_tmp(s);
    IrTemp lo = gen_tmp(s), hi = gen_tmp(s), idx = gen_ext(s, ot, d->op[0].t, true);
    int fail = ir_label_new(s->f), ok = ir_label_new(s->f);

    ir_addi(s->f, IR_I32, a2, addr, (uint32_t)size);
    gen_lds(s, ot, lo, addr);
    gen_lds(s, ot, hi, a2);
    ir_brcond(s->f, IR_I32, IR_COND_LT, idx, lo, fail);
    ir_brcond(s->f, IR_I32, IR_COND_LE, idx, hi, ok);
    ir_set_label(s->f, fail);
    gen_helper_raise_exception(s, gen_const(s, EXCP_BR));
    ir_set_label(s->f, ok);
}
