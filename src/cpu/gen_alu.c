/* gen_alu.c — integer arithmetic and logic: ADD OR ADC SBB AND SUB XOR CMP
 * TEST INC DEC NEG NOT, the flag instructions CLC STC CMC CLD STD LAHF SAHF
 * (SDM Vol. 2). Results go to d->op[0].t; flags are described with set_cc()
 * and committed by the translator after the writeback, so a source operand
 * recorded in cc_src must not be a register global the writeback changes
 * (gen_keep: `add eax, eax`). */
#include "cpu/gen_int_util.h"

static inline IrType T(void) { return IR_I32; }

void gen_ADD(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    IrTemp b = gen_keep(s, d->op[1].t);
    ir_add(s->f, T(), r, d->op[0].t, b);
    d->op[0].t = r;
    set_cc(d, CC_OP_ADDB + d->op[0].ot, r, b, 0);
}

void gen_SUB(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    IrTemp b = gen_keep(s, d->op[1].t);
    d->cc_srcT = d->op[0].t;
    ir_sub(s->f, T(), r, d->op[0].t, b);
    d->op[0].t = r;
    set_cc(d, CC_OP_SUBB + d->op[0].ot, r, b, 0);
}

void gen_CMP(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    d->cc_srcT = d->op[0].t;
    ir_sub(s->f, T(), r, d->op[0].t, d->op[1].t);
    set_cc(d, CC_OP_SUBB + d->op[0].ot, r, d->op[1].t, 0);
}

/* ADC/SBB: carry in from the flags before the instruction. */
void gen_ADC(DisasContext *s, X86Insn *d)
{
    IrTemp cf = gen_compute_cf(s), r = gen_tmp(s), c = gen_tmp(s), b = gen_keep(s, d->op[1].t);
    ir_mov(s->f, T(), c, cf);      /* keep it: cc_src2 outlives this insn */
    ir_add(s->f, T(), r, d->op[0].t, b);
    ir_add(s->f, T(), r, r, c);
    d->op[0].t = r;
    set_cc(d, CC_OP_ADCB + d->op[0].ot, r, b, c);
}

void gen_SBB(DisasContext *s, X86Insn *d)
{
    IrTemp cf = gen_compute_cf(s), r = gen_tmp(s), c = gen_tmp(s), b = gen_keep(s, d->op[1].t);
    ir_mov(s->f, T(), c, cf);
    ir_sub(s->f, T(), r, d->op[0].t, b);
    ir_sub(s->f, T(), r, r, c);
    d->op[0].t = r;
    set_cc(d, CC_OP_SBBB + d->op[0].ot, r, b, c);
}

static void gen_logic(DisasContext *s, X86Insn *d, void (*op)(IrFunc *, IrType, IrTemp, IrTemp, IrTemp),
                      bool store)
{
    IrTemp r = gen_tmp(s);
    op(s->f, T(), r, d->op[0].t, d->op[1].t);
    if (store)
        d->op[0].t = r;
    set_cc(d, CC_OP_LOGICB + d->op[0].ot, r, 0, 0);
}

void gen_AND(DisasContext *s, X86Insn *d) { gen_logic(s, d, ir_and, true); }
void gen_OR(DisasContext *s, X86Insn *d) { gen_logic(s, d, ir_or, true); }
void gen_TEST(DisasContext *s, X86Insn *d) { gen_logic(s, d, ir_and, false); }

void gen_XOR(DisasContext *s, X86Insn *d)
{
    /* xor r, r: the idiom for zero, with flags known outright. */
    if (!d->op[0].is_mem && d->op[1].kind != X86_KIND_I && d->op[0].reg == d->op[1].reg &&
        d->op[0].kind == X86_KIND_E && d->op[1].kind == X86_KIND_G) {
        IrTemp z = gen_const(s, 0);
        d->op[0].t = z;
        set_cc(d, CC_OP_CLR, z, 0, 0);
        return;
    }
    gen_logic(s, d, ir_xor, true);
}

/* INC/DEC keep CF: record it (cc.h). */
static void gen_incdec(DisasContext *s, X86Insn *d, int delta, int cc_group)
{
    IrTemp cf = gen_compute_cf(s), c = gen_tmp(s), r = gen_tmp(s);
    ir_mov(s->f, T(), c, cf);
    ir_addi(s->f, T(), r, d->op[0].t, (uint32_t)delta);
    d->op[0].t = r;
    set_cc(d, cc_group + d->op[0].ot, r, c, 0);
}

void gen_INC(DisasContext *s, X86Insn *d) { gen_incdec(s, d, 1, CC_OP_INCB); }
void gen_DEC(DisasContext *s, X86Insn *d) { gen_incdec(s, d, -1, CC_OP_DECB); }

void gen_NEG(DisasContext *s, X86Insn *d)
{
    /* NEG is 0 - x: SUB flags with first operand 0. */
    IrTemp r = gen_tmp(s), x = gen_keep(s, d->op[0].t);
    ir_neg(s->f, T(), r, x);
    set_cc(d, CC_OP_SUBB + d->op[0].ot, r, x, 0);
    d->op[0].t = r;
}

void gen_NOT(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    ir_not(s->f, T(), r, d->op[0].t);   /* no flags */
    d->op[0].t = r;
}

/* Flag instructions (SDM: CLC, STC, CMC, CLD, STD). */
static void gen_set_eflags_bits(DisasContext *s, uint32_t clear, uint32_t set, bool toggle_cf)
{
    IrTemp f = gen_compute_eflags(s), r = gen_tmp(s);
    ir_andi(s->f, T(), r, f, ~clear & EF_ARITH);
    if (set)
        ir_ori(s->f, T(), r, r, set);
    if (toggle_cf)
        ir_xori(s->f, T(), r, r, EF_CF);
    ir_mov(s->f, T(), G->cc_src, r);
    gen_set_cc_op(s, CC_OP_EFLAGS);
}

void gen_CLC(DisasContext *s, X86Insn *d) { gen_set_eflags_bits(s, EF_CF, 0, false); }
void gen_STC(DisasContext *s, X86Insn *d) { gen_set_eflags_bits(s, 0, EF_CF, false); }
void gen_CMC(DisasContext *s, X86Insn *d) { gen_set_eflags_bits(s, 0, 0, true); }

static void gen_set_df(DisasContext *s, bool down)
{
    IrTemp f = gen_tmp(s);
    ir_ld32u(s->f, T(), f, IR_TEMP_ENV, offsetof(CpuState, eflags));
    if (down)
        ir_ori(s->f, T(), f, f, EF_DF);
    else
        ir_andi(s->f, T(), f, f, ~(uint32_t)EF_DF);
    ir_st32(s->f, T(), f, IR_TEMP_ENV, offsetof(CpuState, eflags));
    ir_st32(s->f, T(), gen_const(s, down ? (uint32_t)-1 : 1), IR_TEMP_ENV, offsetof(CpuState, df));
}

void gen_CLD(DisasContext *s, X86Insn *d) { gen_set_df(s, false); }
void gen_STD(DisasContext *s, X86Insn *d) { gen_set_df(s, true); }

/* LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. SAHF: SF ZF AF PF CF from AH, OF kept. */
void gen_LAHF(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_tmp(s);
    ir_andi(s->f, T(), v, gen_compute_eflags(s), EF_SF | EF_ZF | EF_AF | EF_PF | EF_CF);
    ir_ori(s->f, T(), v, v, EF_FIXED1);
    gen_set_reg(s, MO_8, 4, v);                      /* AH */
}

void gen_SAHF(DisasContext *s, X86Insn *d)
{
    IrTemp ah = gen_get_reg(s, MO_8, 4), f = gen_tmp(s), t = gen_tmp(s);
    ir_andi(s->f, T(), f, gen_compute_eflags(s), EF_OF);
    ir_andi(s->f, T(), t, ah, EF_SF | EF_ZF | EF_AF | EF_PF | EF_CF);
    ir_or(s->f, T(), f, f, t);
    set_cc(d, CC_OP_EFLAGS, 0, f, 0);
}
