/* gen_sys.c — system instructions: HLT, CLI/STI, IN/OUT/INS/OUTS,
 * PUSHF/POPF, INT n/INT3/INTO/INT1, IRET, CPUID, RDTSC, RDMSR/WRMSR,
 * RDPMC, SYSENTER/SYSEXIT, UD2, INVD/WBINVD, CLFLUSH.
 * Segments and far transfers: gen_sys_seg.c; control registers:
 * gen_sys_ctl.c.
 */
#include "cpu/gen_sys_common.h"

void gen_HLT(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_hlt(s, gen_const(s, next_eip(s)));
    s->is_jmp = DISAS_NORETURN;
}

/* IOPL-sensitive instructions (SDM CLI: #GP(0) if CPL > IOPL in protected
 * mode, or IOPL < 3 in V86 mode; VME/PVI are not offered). */
static bool iopl_ok(DisasContext *s)
{
    if (!s->pe)
        return true;
    return s->vm86 ? iopl_of(s) == 3 : s->cpl <= iopl_of(s);
}

/* V86 mode with IOPL < 3: PUSHF, POPF, INT n, IRET fault (SDM 20.2.7). */
static bool v86_iopl_fault(DisasContext *s)
{
    if (!s->vm86 || iopl_of(s) == 3)
        return false;
    gen_exception_err(s, EXCP_GP, 0);
    return true;
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

/* IF = 1; if it was 0, interrupts are recognised only after the next
 * instruction (SDM STI). The block ends: pending interrupts are due. */
static void gen_sti_shadow(DisasContext *s)
{
    IrTemp f = gen_tmp(s), was = gen_tmp(s);
    int no_shadow = ir_label_new(s->f);
    ir_ld32u(s->f, IR_I32, f, IR_TEMP_ENV, offsetof(CpuState, eflags));
    ir_andi(s->f, IR_I32, was, f, EF_IF);
    ir_ori(s->f, IR_I32, f, f, EF_IF);
    ir_st32(s->f, IR_I32, f, IR_TEMP_ENV, offsetof(CpuState, eflags));
    ir_brcond(s->f, IR_I32, IR_COND_NE, was, gen_const(s, 0), no_shadow);
    gen_helper_set_inhibit_irq(s);
    ir_set_label(s->f, no_shadow);
    s->is_jmp = DISAS_EOB_NEXT;
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
    gen_sti_shadow(s);
}

/* -- Port I/O ---------------------------------------------------------------------- */

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

/* INS/OUTS end the block: a helper call does at most a chunk of a REP and
 * asks for the instruction to be run again for the rest. */
static void gen_string_io_end(DisasContext *s, IrTemp more)
{
    int again = ir_label_new(s->f);
    ir_brcond(s->f, IR_I32, IR_COND_NE, more, gen_const(s, 0), again);
    gen_jmp(s, next_eip(s));
    ir_set_label(s->f, again);
    gen_update_eip_cur(s);
    ir_exit_tb(s->f, IR_EXIT_NORMAL);
}

static IrTemp rep_of(DisasContext *s, X86Insn *d)
{
    return gen_const(s, (d->prefixes & (PREFIX_REPZ | PREFIX_REPNZ)) != 0);
}

void gen_INS(DisasContext *s, X86Insn *d)
{
    IrTemp more = gen_tmp(s);
    gen_update_cc_op(s);
    gen_helper_ins(s, more, gen_const(s, d->op[0].ot), gen_const(s, d->aflag), rep_of(s, d));
    gen_string_io_end(s, more);
}

void gen_OUTS(DisasContext *s, X86Insn *d)
{
    IrTemp more = gen_tmp(s);
    int seg = d->seg_override >= 0 ? d->seg_override : CPU_DS;
    gen_update_cc_op(s);
    gen_helper_outs(s, more, gen_const(s, d->op[1].ot), gen_const(s, d->aflag), rep_of(s, d),
                    gen_const(s, (uint32_t)seg));
    gen_string_io_end(s, more);
}

/* -- EFLAGS ------------------------------------------------------------------------ */

/* PUSHF/PUSHFD: VM and RF read as 0 in the image (SDM PUSHF). */
void gen_PUSHF(DisasContext *s, X86Insn *d)
{
    IrTemp f, e = gen_tmp(s);
    if (v86_iopl_fault(s))
        return;
    f = gen_compute_eflags(s);
    ir_ld32u(s->f, IR_I32, e, IR_TEMP_ENV, offsetof(CpuState, eflags));
    ir_or(s->f, IR_I32, e, e, f);
    ir_andi(s->f, IR_I32, e, e, ~(uint32_t)(EF_VM | EF_RF));
    gen_push(s, d->ot, e);
}

void gen_POPF(DisasContext *s, X86Insn *d)
{
    IrTemp v;
    if (v86_iopl_fault(s))
        return;
    v = gen_pop_load(s, d->ot);
    gen_update_cc_op(s);
    gen_helper_popf(s, v, gen_const(s, 1u << d->ot));
    gen_pop_commit(s, d->ot);
    gen_sys_end(s, true, true);     /* TF, IF, IOPL may have changed */
}

/* -- Interrupts ---------------------------------------------------------------------- */

static void gen_soft_int(DisasContext *s, int vector, int is_int)
{
    gen_helper_raise_int(s, gen_const(s, (uint32_t)vector), gen_const(s, (uint32_t)is_int),
                         gen_const(s, next_eip(s)));
}

void gen_INT(DisasContext *s, X86Insn *d)
{
    if (v86_iopl_fault(s))
        return;
    gen_soft_int(s, (int)(d->imm & 0xff), 1);
    s->is_jmp = DISAS_NORETURN;
}

/* INT3 and INTO are not IOPL-sensitive in V86 mode (SDM INT n). */
void gen_INT3(DisasContext *s, X86Insn *d)
{
    gen_soft_int(s, EXCP_BP, 2);
    s->is_jmp = DISAS_NORETURN;
}

void gen_INTO(DisasContext *s, X86Insn *d)
{
    int no = ir_label_new(s->f);
    gen_brcc(s, 1, no);             /* NO: carry on */
    gen_soft_int(s, EXCP_OF, 2);
    ir_set_label(s->f, no);
}

void gen_INT1(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_update_eip_next(s);
    gen_helper_icebp(s);
    s->is_jmp = DISAS_NORETURN;
}

void gen_IRET(DisasContext *s, X86Insn *d)
{
    if (v86_iopl_fault(s))
        return;
    gen_update_cc_op(s);
    gen_helper_iret(s, gen_const(s, 1u << d->ot), gen_const(s, next_eip(s)));
    gen_sys_end(s, false, true);
}

/* -- Processor identification, time, MSRs --------------------------------------------- */

void gen_CPUID(DisasContext *s, X86Insn *d)
{
    gen_helper_cpuid(s);
}

void gen_RDTSC(DisasContext *s, X86Insn *d)
{
    gen_helper_rdtsc(s);
}

void gen_RDMSR(DisasContext *s, X86Insn *d)
{
    gen_helper_rdmsr(s);
}

/* WRMSR may move the APIC or change EFER.NXE (page permissions). */
void gen_WRMSR(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_wrmsr(s);
    gen_sys_end(s, true, false);
}

/* No performance counters: every ECX is invalid (SDM RDPMC: #GP(0)). */
void gen_RDPMC(DisasContext *s, X86Insn *d)
{
    gen_exception_err(s, EXCP_GP, 0);
}

void gen_SYSENTER(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_sysenter(s);
    gen_sys_end(s, false, true);
}

void gen_SYSEXIT(DisasContext *s, X86Insn *d)
{
    gen_update_cc_op(s);
    gen_helper_sysexit(s);
    gen_sys_end(s, false, false);
}

/* -- Odds and ends --------------------------------------------------------------------- */

void gen_UD2(DisasContext *s, X86Insn *d)
{
    gen_exception(s, EXCP_UD);
}

/* Caches are not modelled: INVD and WBINVD only have their CPL check. */
void gen_INVD(DisasContext *s, X86Insn *d)
{
}

void gen_WBINVD(DisasContext *s, X86Insn *d)
{
}

/* CLFLUSH: no cache, but the address is checked like a byte read
 * (segment limit, #PF) as the SDM lists for it. */
void gen_CLFLUSH(DisasContext *s, X86Insn *d)
{
    IrTemp t = gen_tmp(s);
    gen_ld(s, MO_8, t, gen_mem_addr(s, d, 1, false));
}
