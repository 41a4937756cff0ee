/* gen_bcd.c — decimal adjustments: DAA DAS AAA AAS AAM AAD (SDM Vol. 2).
 * DAA..AAS and AAM's division are C helpers (helpers_int.c); AAD is IR.
 * AAM with a zero immediate raises #DE (known at translation time). */
#include "cpu/gen_int_util.h"

static void gen_bcd(DisasContext *s, X86Insn *d, int op)
{
    IrTemp r = gen_tmp(s), eax = gen_tmp(s), fl = gen_tmp(s);
    gen_helper_bcd(s, r, gen_const(s, (uint32_t)op), G->regs[X86_R_AX], gen_compute_eflags(s));
    ir_extract(s->f, IR_I64, eax, r, 0, 32);
    ir_extract(s->f, IR_I64, fl, r, 32, 32);
    gen_set_reg(s, MO_32, X86_R_AX, eax);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}

void gen_DAA(DisasContext *s, X86Insn *d) { gen_bcd(s, d, BCD_DAA); }
void gen_DAS(DisasContext *s, X86Insn *d) { gen_bcd(s, d, BCD_DAS); }
void gen_AAA(DisasContext *s, X86Insn *d) { gen_bcd(s, d, BCD_AAA); }
void gen_AAS(DisasContext *s, X86Insn *d) { gen_bcd(s, d, BCD_AAS); }

/* AAM imm8: AH = AL / imm8, AL = AL % imm8; SF ZF PF of AL (OF AF CF undefined: 0). */
void gen_AAM(DisasContext *s, X86Insn *d)
{
    IrTemp ax = gen_tmp(s);
    if ((d->imm & 0xff) == 0) {
        gen_exception(s, EXCP_DE);
        return;
    }
    gen_helper_aam(s, ax, G->regs[X86_R_AX], gen_const(s, d->imm & 0xff));
    gen_set_reg(s, MO_16, X86_R_AX, ax);
    set_cc(d, CC_OP_LOGICB, ax, 0, 0);
}

/* AAD imm8: AL = AL + AH * imm8, AH = 0; SF ZF PF of AL. */
void gen_AAD(DisasContext *s, X86Insn *d)
{
    IrTemp t = gen_tmp(s);
    ir_mul(s->f, IR_I32, t, gen_get_reg(s, MO_8, 4), gen_const(s, d->imm & 0xff));
    ir_add(s->f, IR_I32, t, t, gen_get_reg(s, MO_8, X86_R_AX));
    ir_andi(s->f, IR_I32, t, t, 0xff);
    gen_set_reg(s, MO_16, X86_R_AX, t);
    set_cc(d, CC_OP_LOGICB, t, 0, 0);
}
