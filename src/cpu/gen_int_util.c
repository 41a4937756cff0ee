/* gen_int_util.c — building blocks shared by the integer gen_*.c files
 * (see gen_int_util.h). */
#include "cpu/gen_int_util.h"

IrTemp gen_cc_flags_of(DisasContext *s, int cc_op, IrTemp dst, IrTemp src)
{
    IrTemp fl = gen_tmp(s);
    gen_helper_cc_flags(s, fl, gen_const(s, (uint32_t)cc_op), dst, src, gen_const(s, 0));
    return fl;
}

void gen_cc_unless_zero(DisasContext *s, X86Insn *d, IrTemp count, IrTemp new_flags)
{
    IrTemp fl = gen_tmp(s);
    ir_movcond(s->f, IR_I32, IR_COND_EQ, fl, count, gen_const(s, 0), gen_compute_eflags(s),
               new_flags);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}

IrTemp gen_str_addr(DisasContext *s, int seg, int reg, int aflag, unsigned size, bool write)
{
    return gen_seg_addr(s, seg, gen_ea_mask(s, aflag, G->regs[reg]), size, write);
}
