/* gen_string.c — string instructions MOVS CMPS STOS LODS SCAS (SDM Vol. 2),
 * with REP/REPE/REPNE, 16/32-bit address sizes and EFLAGS.DF.
 *
 * Without a REP prefix one iteration is inline IR. With one, the C helper
 * rep_string runs a bounded chunk of iterations, updating eCX/eSI/eDI after
 * each (so a fault mid-way leaves the state of the iterations done), and
 * says whether the count is finished; if not, the block jumps back to the
 * same instruction — each execution counts as one instruction and the CPU
 * can take interrupts between chunks. A REP instruction always ends its
 * block. The source segment may be overridden; ES:eDI may not.
 * INS/OUTS are system instructions (optab_sys.c).
 */
#include "cpu/gen_int_util.h"

static int src_seg(const X86Insn *d)
{
    return d->seg_override >= 0 ? d->seg_override : CPU_DS;
}

/* eSI/eDI += (DF ? -size : size), at the address size. */
static void str_advance(DisasContext *s, X86Insn *d, int reg)
{
    IrTemp t = gen_tmp(s);
    ir_ld32u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, df));
    ir_shli(s->f, IR_I32, t, t, (unsigned)d->op[0].ot);
    ir_add(s->f, IR_I32, t, t, G->regs[reg]);
    gen_set_reg(s, d->aflag, reg, t);
}

/* The REP path: run the helper, loop on the same insn while it says so. */
static void gen_rep(DisasContext *s, X86Insn *d, int kind)
{
    IrTemp more = gen_tmp(s);
    uint32_t desc = REP_DESC(d->op[0].ot, d->aflag == MO_32, src_seg(d), kind,
                             (d->prefixes & PREFIX_REPNZ) != 0);
    gen_update_cc_op(s);            /* the helper may leave the flags as they are */
    gen_helper_rep_string(s, more, gen_const(s, desc));
    if (kind == REP_CMPS || kind == REP_SCAS)
        gen_set_cc_op(s, CC_OP_DYNAMIC);
    gen_branch_end(s, more, cur_eip(s));
}

static bool is_rep(const X86Insn *d)
{
    return d->prefixes & (PREFIX_REPZ | PREFIX_REPNZ);
}

void gen_MOVS(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    unsigned size = 1u << ot;
    IrTemp v = gen_tmp(s);
    if (is_rep(d)) {
        gen_rep(s, d, REP_MOVS);
        return;
    }
    gen_ld(s, ot, v, gen_str_addr(s, src_seg(d), X86_R_SI, d->aflag, size, false));
    gen_st(s, ot, v, gen_str_addr(s, CPU_ES, X86_R_DI, d->aflag, size, true));
    str_advance(s, d, X86_R_SI);
    str_advance(s, d, X86_R_DI);
}

void gen_STOS(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    if (is_rep(d)) {
        gen_rep(s, d, REP_STOS);
        return;
    }
    gen_st(s, ot, d->op[1].t, gen_str_addr(s, CPU_ES, X86_R_DI, d->aflag, 1u << ot, true));
    str_advance(s, d, X86_R_DI);
}

void gen_LODS(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    IrTemp v = gen_tmp(s);
    if (is_rep(d)) {
        gen_rep(s, d, REP_LODS);
        return;
    }
    gen_ld(s, ot, v, gen_str_addr(s, src_seg(d), X86_R_SI, d->aflag, 1u << ot, false));
    gen_set_reg(s, ot, X86_R_AX, v);
    str_advance(s, d, X86_R_SI);
}

/* CMPS: [seg:eSI] - [ES:eDI]; SCAS: eAX - [ES:eDI]. Flags as CMP. */
void gen_CMPS(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    IrTemp a = gen_tmp(s), b = gen_tmp(s), r = gen_tmp(s);
    if (is_rep(d)) {
        gen_rep(s, d, REP_CMPS);
        return;
    }
    gen_ld(s, ot, a, gen_str_addr(s, src_seg(d), X86_R_SI, d->aflag, 1u << ot, false));
    gen_ld(s, ot, b, gen_str_addr(s, CPU_ES, X86_R_DI, d->aflag, 1u << ot, false));
    ir_sub(s->f, IR_I32, r, a, b);
    set_cc(d, CC_OP_SUBB + ot, r, b, 0);
    str_advance(s, d, X86_R_SI);
    str_advance(s, d, X86_R_DI);
}

void gen_SCAS(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    IrTemp b = gen_tmp(s), r = gen_tmp(s);
    if (is_rep(d)) {
        gen_rep(s, d, REP_SCAS);
        return;
    }
    gen_ld(s, ot, b, gen_str_addr(s, CPU_ES, X86_R_DI, d->aflag, 1u << ot, false));
    ir_sub(s->f, IR_I32, r, d->op[0].t, b);
    set_cc(d, CC_OP_SUBB + ot, r, b, 0);
    str_advance(s, d, X86_R_DI);
}
