/* gen_int_util.c — building blocks shared by the integer gen_*.c files
 * (see gen_int_util.h). */
#include "cpu/gen_int_util.h"

IrTemp gen_cc_flags_of(DisasContext *s, int cc_op, IrTemp dst, IrTemp src)
{
    IrTemp fl = gen_tmp(s);
    gen_helper_cc_flags(s, fl, gen_const(s, (uint32_t)cc_op), dst, src);
    return fl;
}

void gen_cc_unless_zero(DisasContext *s, X86Insn *d, IrTemp count, IrTemp new_flags)
{
    IrTemp fl = gen_tmp(s);
    ir_movcond(s->f, IR_I32, IR_COND_EQ, fl, count, gen_const(s, 0), gen_compute_eflags(s),
               new_flags);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}

/* Mirrors the translator's block linking: a direct link only to the pages
 * this block already depends on, none while single-stepping. */
static void goto_eip(DisasContext *s, int slot, uint32_t eip)
{
    uint64_t page = (s->cs_base + eip) & GUEST_PAGE_MASK;
    ir_movi(s->f, IR_I32, G->eip, eip);
    if (s->hflags & HF_TF)
        ir_exit_tb(s->f, IR_EXIT_NORMAL);
    else if (page == (s->tb_pc & GUEST_PAGE_MASK) || page == (s->insn_pc & GUEST_PAGE_MASK))
        ir_goto_tb(s->f, slot);
    else
        ir_lookup_tb(s->f);
}

void gen_branch_end(DisasContext *s, IrTemp cond, uint32_t target)
{
    int not_taken = ir_label_new(s->f);
    gen_update_cc_op(s);
    ir_brcondi(s->f, IR_I32, IR_COND_EQ, cond, 0, not_taken);
    goto_eip(s, 0, target);
    ir_set_label(s->f, not_taken);
    goto_eip(s, 1, next_eip(s));
    s->is_jmp = DISAS_NORETURN;
}

IrTemp gen_str_addr(DisasContext *s, int seg, int reg, int aflag, unsigned size, bool write)
{
    return gen_seg_addr(s, seg, gen_ea_mask(s, aflag, G->regs[reg]), size, write);
}
