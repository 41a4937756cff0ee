/* gen_sys_ctl.c — control and debug registers: MOV to/from CRn and DRn,
 * SMSW, LMSW, CLTS, INVLPG. The rows are X86_PRIV (CPL 0; #GP(0) in V86
 * mode). Writes can change paging or the mode, so the block ends.
 */
#include "cpu/gen_sys_common.h"

static bool cr_exists(int n)
{
    return n == 0 || n == 2 || n == 3 || n == 4;
}

/* 0F 20: MOV r32, CRn (the register operand regardless of mod). */
void gen_MOV_RdCd(DisasContext *s, X86Insn *d)
{
    int n = d->op[1].reg;
    IrTemp t = gen_tmp(s);
    if (!cr_exists(n)) {
        gen_exception(s, EXCP_UD);
        return;
    }
    ir_ld32u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, cr) + (size_t)n * sizeof(uint32_t));
    d->op[0].t = t;
}

void gen_MOV_CdRd(DisasContext *s, X86Insn *d)
{
    int n = d->op[0].reg;
    if (!cr_exists(n)) {
        gen_exception(s, EXCP_UD);
        return;
    }
    gen_update_cc_op(s);
    gen_helper_write_cr(s, gen_const(s, (uint32_t)n), d->op[1].t);
    gen_sys_end(s, true, false);
}

void gen_MOV_RdDd(DisasContext *s, X86Insn *d)
{
    IrTemp t = gen_tmp(s);
    gen_helper_read_dr(s, t, gen_const(s, d->op[1].reg));
    d->op[0].t = t;
}

void gen_MOV_DdRd(DisasContext *s, X86Insn *d)
{
    gen_helper_write_dr(s, gen_const(s, d->op[0].reg), d->op[1].t);
}

/* SMSW: allowed at any CPL and in V86 mode (no UMIP on this CPU). */
void gen_SMSW(DisasContext *s, X86Insn *d)
{
    IrTemp t = gen_tmp(s);
    ir_ld32u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, cr[0]));
    gen_store_w(s, d, t);
}

void gen_LMSW(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_lmsw(s, d->op[0].t);
    gen_sys_end(s, true, false);
}

void gen_CLTS(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_clts(s);
    gen_sys_end(s, true, false);
}

/* INVLPG m: the linear address of the operand (segment limit checked),
 * no access is made. */
void gen_INVLPG(DisasContext *s, X86Insn *d)
{
    IrTemp addr = gen_mem_addr(s, d, 1, false);
    gen_update_cc_op(s);
    gen_helper_invlpg(s, addr);
    gen_sys_end(s, true, false);
}
