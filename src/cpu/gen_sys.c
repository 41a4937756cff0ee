/* gen_sys.c — system instructions: HLT CLI STI IN OUT. */
#include "cpu/gen.h"

void gen_HLT(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_hlt(s, gen_const(s, next_eip(s)));
    s->is_jmp = DISAS_NORETURN;
}

/* CLI/STI: IOPL-sensitive (SDM CLI: #GP(0) if CPL > IOPL in protected mode,
 * or IOPL < 3 in V86 mode; VME/PVI are not offered). */
static bool iopl_ok(DisasContext *s)
{
    int iopl = (int)((s->hflags & HF_IOPL_MASK) >> HF_IOPL_SHIFT);
    if (!s->pe)
        return true;
    return s->vm86 ? iopl == 3 : s->cpl <= iopl;
}

static void gen_set_if(DisasContext *s, bool on)
{
    IrTemp f = gen_tmp(s);
    ir_ld32u(s->f, IR_I32, f, IR_TEMP_ENV, offsetof(CpuState, eflags));
    if (on)
        ir_ori(s->f, IR_I32, f, f, EF_IF);
    else
        ir_andi(s->f, IR_I32, f, f, ~(uint32_t)EF_IF);
    ir_st32(s->f, IR_I32, f, IR_TEMP_ENV, offsetof(CpuState, eflags));
}

void gen_CLI(DisasContext *s, X86Insn *d)
{
    if (!iopl_ok(s)) {
        gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    gen_set_if(s, false);
}

void gen_STI(DisasContext *s, X86Insn *d)
{
    if (!iopl_ok(s)) {
        gen_exception_err(s, EXCP_GP, 0);
        return;
    }
    gen_set_if(s, true);
    /* Interrupts are recognised after the next instruction (SDM STI). */
    s->is_jmp = DISAS_EOB_INHIBIT;
}

/* IN/OUT: port from an immediate (Ib) or DX; data in AL/AX/EAX. */
static IrTemp port_of(DisasContext *s, X86Insn *d, int i)
{
    if (d->op[i].kind == X86_KIND_I)
        return gen_const(s, (uint32_t)d->imm & 0xff);
    return gen_get_reg(s, MO_16, X86_R_DX);
}

void gen_IN(DisasContext *s, X86Insn *d)
{
    IrTemp v = gen_tmp(s), port = port_of(s, d, 1);
    gen_update_cc_op(s);
    switch (d->op[0].ot) {
    case MO_8: gen_helper_inb(s, v, port); break;
    case MO_16: gen_helper_inw(s, v, port); break;
    default: gen_helper_inl(s, v, port); break;
    }
    d->op[0].t = v;
}

void gen_OUT(DisasContext *s, X86Insn *d)
{
    IrTemp port = port_of(s, d, 0), v = d->op[1].t;
    gen_update_cc_op(s);
    switch (d->op[1].ot) {
    case MO_8: gen_helper_outb(s, port, v); break;
    case MO_16: gen_helper_outw(s, port, v); break;
    default: gen_helper_outl(s, port, v); break;
    }
}
