/* gen_muldiv.c — MUL IMUL DIV IDIV (SDM Vol. 2).
 *
 * Products are computed in IR (mulu2/muls2 for the 32-bit halves); flags are
 * CC_OP_MUL: cc_src is the high half (MUL) or the signed-overflow bit
 * (IMUL), CF = OF = cc_src != 0; SF ZF AF PF are undefined (we give those
 * of the low half). Division is a C helper (there is no IR divide) that
 * raises #DE for a zero divisor or a quotient that does not fit, before any
 * register changes; the flags are undefined and left as they were.
 */
#include "cpu/gen_int_util.h"

/* MUL r/m: AX = AL * src, DX:AX = AX * src, EDX:EAX = EAX * src. */
void gen_MUL(DisasContext *s, X86Insn *d)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot;
    IrTemp a = gen_get_reg(s, ot, X86_R_AX), lo = gen_tmp(s), hi = gen_tmp(s);

    if (ot == MO_32) {
        ir_mulu2(f, IR_I32, lo, hi, a, d->op[0].t);
        gen_set_reg(s, MO_32, X86_R_AX, lo);
        gen_set_reg(s, MO_32, X86_R_DX, hi);
    } else {
        ir_mul(f, IR_I32, lo, a, d->op[0].t);
        ir_shri(f, IR_I32, hi, lo, (unsigned)ot_bits(ot));
        if (ot == MO_8) {
            gen_set_reg(s, MO_16, X86_R_AX, lo);
        } else {
            gen_set_reg(s, MO_16, X86_R_AX, lo);
            gen_set_reg(s, MO_16, X86_R_DX, hi);
        }
    }
    set_cc(d, CC_OP_MULB + ot, lo, hi, 0);
}

/* Signed product of a and b at size ot; *ovf = 1 when it does not fit ot. */
static IrTemp imul_sized(DisasContext *s, int ot, IrTemp a, IrTemp b, IrTemp *hi_out, IrTemp *ovf)
{
    IrFunc *f = s->f;
    IrTemp lo = gen_tmp(s), hi = gen_tmp(s), o = gen_tmp(s);

    if (ot == MO_32) {
        IrTemp sg = gen_tmp(s);
        ir_muls2(f, IR_I32, lo, hi, a, b);
        ir_sari(f, IR_I32, sg, lo, 31);
        ir_setcond(f, IR_I32, IR_COND_NE, o, hi, sg);
    } else {
        ir_mul(f, IR_I32, lo, gen_ext(s, ot, a, true), gen_ext(s, ot, b, true));
        ir_setcond(f, IR_I32, IR_COND_NE, o, lo, gen_ext(s, ot, lo, true));
        ir_shri(f, IR_I32, hi, lo, (unsigned)ot_bits(ot));
    }
    *hi_out = hi;
    *ovf = o;
    return lo;
}

/* IMUL r/m (one operand: into AX, DX:AX, EDX:EAX), IMUL Gv,Ev (two) and
 * IMUL Gv,Ev,imm (three): the last two keep the product's low half. */
void gen_IMUL(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    IrTemp lo, hi, ovf;

    if (d->op[1].kind == X86_KIND_NONE) {
        lo = imul_sized(s, ot, gen_get_reg(s, ot, X86_R_AX), d->op[0].t, &hi, &ovf);
        if (ot == MO_8) {
            gen_set_reg(s, MO_16, X86_R_AX, lo);
        } else {
            gen_set_reg(s, ot, X86_R_AX, lo);
            gen_set_reg(s, ot, X86_R_DX, hi);
        }
    } else if (d->op[2].kind == X86_KIND_NONE) {
        lo = imul_sized(s, ot, d->op[0].t, d->op[1].t, &hi, &ovf);
        d->op[0].t = lo;
    } else {
        lo = imul_sized(s, ot, d->op[1].t, d->op[2].t, &hi, &ovf);
        d->op[0].t = lo;
    }
    set_cc(d, CC_OP_MULB + ot, lo, ovf, 0);
}

/* DIV/IDIV: dividend AX, DX:AX or EDX:EAX; the helper returns the quotient
 * (low 32 bits) and the remainder (high 32 bits). */
static void gen_divide(DisasContext *s, X86Insn *d, bool sign)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot;
    IrTemp num = gen_tmp(s), r = gen_tmp(s), q = gen_tmp(s), rem = gen_tmp(s);

    if (ot == MO_8)
        ir_mov(f, IR_I64, num, gen_get_reg(s, MO_16, X86_R_AX));
    else if (ot == MO_16)
        ir_deposit(f, IR_I64, num, gen_get_reg(s, MO_16, X86_R_AX),
                   gen_get_reg(s, MO_16, X86_R_DX), 16, 16);
    else
        ir_deposit(f, IR_I64, num, G->regs[X86_R_AX], G->regs[X86_R_DX], 32, 32);
    if (sign)
        gen_helper_idiv(s, r, gen_const(s, (uint32_t)ot), num, d->op[0].t);
    else
        gen_helper_div(s, r, gen_const(s, (uint32_t)ot), num, d->op[0].t);
    ir_extract(f, IR_I64, q, r, 0, 32);
    ir_extract(f, IR_I64, rem, r, 32, 32);
    if (ot == MO_8) {
        gen_set_reg(s, MO_8, X86_R_AX, q);
        gen_set_reg(s, MO_8, 4, rem);              /* AH */
    } else {
        gen_set_reg(s, ot, X86_R_AX, q);
        gen_set_reg(s, ot, X86_R_DX, rem);
    }
}

void gen_DIV(DisasContext *s, X86Insn *d) { gen_divide(s, d, false); }
void gen_IDIV(DisasContext *s, X86Insn *d) { gen_divide(s, d, true); }
