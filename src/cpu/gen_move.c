/* gen_move.c — data movement: MOV MOVZX MOVSX LEA XCHG NOP CBW CWD PUSH POP
 * CMOVcc XLAT (SDM Vol. 2). */
#include "cpu/gen_int_util.h"

void gen_MOV(DisasContext *s, X86Insn *d)
{
    d->op[0].t = d->op[1].t;
}

void gen_MOVZX(DisasContext *s, X86Insn *d)
{
    d->op[0].t = gen_ext(s, d->op[1].ot, d->op[1].t, false);
}

void gen_MOVSX(DisasContext *s, X86Insn *d)
{
    d->op[0].t = gen_ext(s, d->op[1].ot, d->op[1].t, true);
}

void gen_LEA(DisasContext *s, X86Insn *d)
{
    /* The offset only: no segment, no access (SDM LEA). */
    d->op[0].t = d->ea;
}

void gen_NOP(DisasContext *s, X86Insn *d)
{
}

void gen_XCHG(DisasContext *s, X86Insn *d)
{
    /* Operand 1 gets operand 0's old value; operand 0 is written back. A
     * memory operand is always operand 0, so its store comes first. */
    IrTemp old0 = gen_tmp(s), v1 = gen_tmp(s);
    ir_mov(s->f, IR_I32, old0, d->op[0].t);
    ir_mov(s->f, IR_I32, v1, d->op[1].t);
    if (d->op[0].is_mem)
        gen_st(s, d->op[0].ot, v1, d->addr);
    else
        gen_set_reg(s, d->op[0].ot, d->op[0].reg, v1);
    gen_set_reg(s, d->op[1].ot, d->op[1].reg, old0);
}

/* CBW/CWDE: sign-extend AL into AX, or AX into EAX. */
void gen_CBW(DisasContext *s, X86Insn *d)
{
    IrTemp src = gen_get_reg(s, d->ot == MO_32 ? MO_16 : MO_8, X86_R_AX);
    gen_set_reg(s, d->ot, X86_R_AX, gen_ext(s, d->ot == MO_32 ? MO_16 : MO_8, src, true));
}

/* CWD/CDQ: DX:AX or EDX:EAX = sign extension of AX/EAX. */
void gen_CWD(DisasContext *s, X86Insn *d)
{
    IrTemp ax = gen_ext(s, d->ot, gen_get_reg(s, d->ot, X86_R_AX), true), hi = gen_tmp(s);
    ir_sari(s->f, IR_I32, hi, ax, 31);
    gen_set_reg(s, d->ot, X86_R_DX, hi);
}

void gen_PUSH(DisasContext *s, X86Insn *d)
{
    int ot = d->ot;
    IrTemp v = d->op[0].t;
    /* A segment register push with 32-bit operand size writes 16 bits on
     * P6-class CPUs... into a 4-byte slot (SDM PUSH: the upper half is
     * left unmodified); we store the selector zero-extended, as many do. */
    gen_push(s, ot, v);
}

void gen_POP(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_pop_load(s, d->ot);
    /* POP ESP: the value popped is the new ESP (SDM POP), so ESP's increment
     * must not be applied after it. */
    if (!d->op[0].is_mem && d->op[0].reg == X86_R_SP && d->op[0].ot == MO_32) {
        gen_set_reg(s, MO_32, X86_R_SP, v);
        return;
    }
    if (d->op[0].is_mem) {
        IrTemp ea = d->ea;
        if (d->ea_base == X86_R_SP && d->aflag == MO_32) {
            /* SDM POP: with ESP as the base, the address is computed after
             * ESP is incremented. */
            IrTemp nsp = gen_tmp(s), delta = gen_tmp(s);
            ea = gen_tmp(s);
            ir_addi(s->f, IR_I32, nsp, G->regs[X86_R_SP], 1u << d->ot);
            if (!s->ss32)
                ir_deposit(s->f, IR_I32, nsp, G->regs[X86_R_SP], nsp, 0, 16);
            ir_sub(s->f, IR_I32, delta, nsp, G->regs[X86_R_SP]);
            ir_add(s->f, IR_I32, ea, d->ea, delta);
        }
        gen_st(s, d->ot, v, gen_seg_addr(s, d->mem_seg, ea, 1u << d->ot, true));
        gen_pop_commit(s, d->ot);
        return;
    }
    gen_pop_commit(s, d->ot);
    gen_set_reg(s, d->op[0].ot, d->op[0].reg, v);
}

/* CMOVcc Gv, Ev: the source is read (and may fault) whatever the condition. */
void gen_CMOVcc(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    ir_movcond(s->f, IR_I32, IR_COND_NE, r, gen_setcc(s, insn_cc(d)), gen_const(s, 0),
               d->op[1].t, d->op[0].t);
    d->op[0].t = r;
}

/* XLAT: AL = [seg:eBX + AL] (DS unless overridden; address size wraps). */
void gen_XLAT(DisasContext *s, X86Insn *d)
{
    IrTemp ea = gen_tmp(s), v = gen_tmp(s);
    int seg = d->seg_override >= 0 ? d->seg_override : CPU_DS;
    ir_add(s->f, IR_I32, ea, G->regs[X86_R_BX], gen_get_reg(s, MO_8, X86_R_AX));
    gen_ld(s, MO_8, v, gen_seg_addr(s, seg, gen_ea_mask(s, d->aflag, ea), 1, false));
    gen_set_reg(s, MO_8, X86_R_AX, v);
}
