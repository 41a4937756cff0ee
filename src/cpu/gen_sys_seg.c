/* gen_sys_seg.c — segment registers, far transfers and descriptor tables:
 * MOV to/from Sreg, PUSH/POP Sreg, LDS LES LFS LGS LSS, far JMP/CALL, RETF,
 * SLDT STR LLDT LTR VERR VERW LAR LSL ARPL, SGDT SIDT LGDT LIDT.
 *
 * A segment load changes hflags (base-0/limit bits, CPL, stack size), so
 * the block ends after it (gen_sys_end / gen_load_seg_end).
 */
#include "cpu/gen_sys_common.h"

/* After loading seg: continue in a new block. MOV SS and POP SS also hold
 * off interrupts and debug traps until after the next instruction (SDM
 * 6.8.3), so they leave without the single-step check. */
static void gen_load_seg_end(DisasContext *s, int seg, bool shadow)
{
    if (!shadow || seg != CPU_SS) {
        gen_sys_end(s, true, false);
        return;
    }
    gen_update_eip_next(s);
    gen_set_cc_op(s, CC_OP_DYNAMIC);      /* gen_load_seg stored it */
    gen_helper_set_inhibit_irq(s);
    ir_exit_tb(s->f, IR_EXIT_NORMAL);
    s->is_jmp = DISAS_NORETURN;
}

static void gen_load_seg(DisasContext *s, int seg, IrTemp sel)
{
    gen_update_cc_op(s);
    gen_helper_load_seg(s, gen_const(s, (uint32_t)seg), sel);
}

/* 8E: MOV Sreg, r/m16. CS cannot be loaded this way (#UD). */
void gen_MOV_SwEw(DisasContext *s, X86Insn *d)
{
    int seg = d->op[0].reg;
    if (seg == CPU_CS) {
        gen_exception(s, EXCP_UD);
        return;
    }
    gen_load_seg(s, seg, d->op[1].t);
    gen_load_seg_end(s, seg, true);
}

/* 8C: MOV r/m16, Sreg (a register gets it zero-extended). */
void gen_MOV_EwSw(DisasContext *s, X86Insn *d)
{
    gen_store_w(s, d, d->op[1].t);
}

/* PUSH Sreg with a 32-bit operand: ESP moves by 4, only the low word is
 * written (SDM PUSH, as current Intel processors do). */
void gen_PUSH_Sreg(DisasContext *s, X86Insn *d)
{
    unsigned size = 1u << d->ot;
    IrTemp sp = gen_tmp(s);
    ir_addi(s->f, IR_I32, sp, G->regs[X86_R_SP], (uint32_t)-size);
    if (!s->ss32)
        ir_ext16u(s->f, IR_I32, sp, sp);
    gen_st(s, MO_16, d->op[0].t, gen_stack_addr(s, sp, size, true));
    gen_set_reg(s, s->ss32 ? MO_32 : MO_16, X86_R_SP, sp);
}

/* POP Sreg: the selector is loaded (and may fault) before ESP moves. */
void gen_POP_Sreg(DisasContext *s, X86Insn *d)
{
    int seg = d->op[0].reg;
    IrTemp v = gen_tmp(s);
    gen_ld(s, MO_16, v, gen_stack_addr(s, G->regs[X86_R_SP], 1u << d->ot, false));
    gen_load_seg(s, seg, v);
    gen_pop_commit(s, d->ot);
    gen_load_seg_end(s, seg, true);
}

/* LDS/LES/LFS/LGS/LSS r, m16:16/32: offset then selector in memory. */
static void gen_lxs(DisasContext *s, X86Insn *d, int seg)
{
    unsigned osz = 1u << d->ot;
    IrTemp addr = gen_mem_addr(s, d, osz + 2, false), a2 = gen_tmp(s);
    IrTemp off = gen_tmp(s), sel = gen_tmp(s);
    gen_ld(s, d->ot, off, addr);
    ir_addi(s->f, IR_I32, a2, addr, osz);
    gen_ld(s, MO_16, sel, a2);
    gen_load_seg(s, seg, sel);
    gen_set_reg(s, d->ot, d->op[0].reg, off);
    gen_load_seg_end(s, seg, false);
}

void gen_LES(DisasContext *s, X86Insn *d) { gen_lxs(s, d, CPU_ES); }
void gen_LDS(DisasContext *s, X86Insn *d) { gen_lxs(s, d, CPU_DS); }
void gen_LSS(DisasContext *s, X86Insn *d) { gen_lxs(s, d, CPU_SS); }
void gen_LFS(DisasContext *s, X86Insn *d) { gen_lxs(s, d, CPU_FS); }
void gen_LGS(DisasContext *s, X86Insn *d) { gen_lxs(s, d, CPU_GS); }

/* -- Far transfers --------------------------------------------------------------------- */

/* The far pointer: ptr16:16/32 immediate (A) or m16:16/32. */
static void far_pointer(DisasContext *s, X86Insn *d, IrTemp *sel, IrTemp *off)
{
    unsigned osz = 1u << d->ot;
    IrTemp addr, a2;
    if (d->op[0].kind == X86_KIND_A) {
        *off = gen_const(s, (uint32_t)d->imm);
        *sel = gen_const(s, (uint32_t)d->imm2 & 0xffff);
        return;
    }
    addr = gen_mem_addr(s, d, osz + 2, false);
    a2 = gen_tmp(s);
    *off = gen_tmp(s);
    *sel = gen_tmp(s);
    gen_ld(s, d->ot, *off, addr);
    ir_addi(s->f, IR_I32, a2, addr, osz);
    gen_ld(s, MO_16, *sel, a2);
}

void gen_JMPF(DisasContext *s, X86Insn *d)
{
    IrTemp sel, off;
    far_pointer(s, d, &sel, &off);
    gen_update_cc_op(s);
    gen_helper_ljmp(s, sel, off, gen_const(s, next_eip(s)));
    gen_sys_end(s, false, true);    /* a task switch may change IF */
}

void gen_CALLF(DisasContext *s, X86Insn *d)
{
    IrTemp sel, off;
    far_pointer(s, d, &sel, &off);
    gen_update_cc_op(s);
    gen_helper_lcall(s, sel, off, gen_const(s, next_eip(s)), gen_const(s, 1u << d->ot));
    gen_sys_end(s, false, true);
}

void gen_RETF(DisasContext *s, X86Insn *d)
{
    uint32_t extra = d->op[0].kind == X86_KIND_I ? (uint32_t)d->imm & 0xffff : 0;
    gen_update_cc_op(s);
    gen_helper_lret(s, gen_const(s, 1u << d->ot), gen_const(s, extra));
    gen_sys_end(s, false, false);
}

/* -- LDTR, TR and pointer validation ------------------------------------------------------ */

static IrTemp ld_env16(DisasContext *s, size_t off)
{
    IrTemp t = gen_tmp(s);
    ir_ld16u(s->f, IR_I32, t, IR_TEMP_ENV, off);
    return t;
}

void gen_SLDT(DisasContext *s, X86Insn *d)
{
    gen_store_w(s, d, ld_env16(s, offsetof(CpuState, ldt.selector)));
}

void gen_STR(DisasContext *s, X86Insn *d)
{
    gen_store_w(s, d, ld_env16(s, offsetof(CpuState, tr.selector)));
}

void gen_LLDT(DisasContext *s, X86Insn *d)
{
    gen_helper_lldt(s, d->op[0].t);
}

void gen_LTR(DisasContext *s, X86Insn *d)
{
    gen_helper_ltr(s, d->op[0].t);
}

static void gen_verrw(DisasContext *s, X86Insn *d, bool write)
{
    IrTemp ok = gen_tmp(s);
    gen_helper_verrw(s, ok, d->op[0].t, gen_const(s, write));
    gen_set_zf(s, d, ok);
}

void gen_VERR(DisasContext *s, X86Insn *d) { gen_verrw(s, d, false); }
void gen_VERW(DisasContext *s, X86Insn *d) { gen_verrw(s, d, true); }

/* LAR/LSL: the helper returns ZF in bit 32; the destination is written
 * only when ZF = 1. */
static void gen_lar_lsl(DisasContext *s, X86Insn *d, bool lsl)
{
    IrTemp r = gen_tmp(s), ok = gen_tmp(s), v = gen_tmp(s), nv = gen_tmp(s), old;
    int reg = d->op[0].reg;
    if (lsl)
        gen_helper_lsl(s, r, d->op[1].t);
    else
        gen_helper_lar(s, r, d->op[1].t);
    ir_shri(s->f, IR_I64, ok, r, 32);
    ir_ext32u(s->f, IR_I64, v, r);
    old = gen_get_reg(s, d->ot, reg);
    ir_movcond(s->f, IR_I32, IR_COND_NE, nv, ok, gen_const(s, 0), gen_ext(s, d->ot, v, false),
               old);
    gen_set_reg(s, d->ot, reg, nv);
    gen_set_zf(s, d, ok);
}

void gen_LAR(DisasContext *s, X86Insn *d) { gen_lar_lsl(s, d, false); }
void gen_LSL(DisasContext *s, X86Insn *d) { gen_lar_lsl(s, d, true); }

/* ARPL r/m16, r16: raise the destination's RPL to the source's. */
void gen_ARPL(DisasContext *s, X86Insn *d)
{
    IrTemp dst = d->op[0].t, drpl = gen_tmp(s), srpl = gen_tmp(s), lt = gen_tmp(s);
    IrTemp raised = gen_tmp(s), nv = gen_tmp(s);
    ir_andi(s->f, IR_I32, drpl, dst, 3);
    ir_andi(s->f, IR_I32, srpl, d->op[1].t, 3);
    ir_setcond(s->f, IR_I32, IR_COND_LTU, lt, drpl, srpl);
    ir_andi(s->f, IR_I32, raised, dst, 0xfffc);
    ir_or(s->f, IR_I32, raised, raised, srpl);
    ir_movcond(s->f, IR_I32, IR_COND_NE, nv, lt, gen_const(s, 0), raised, dst);
    d->op[0].t = nv;
    gen_set_zf(s, d, lt);
}

/* -- GDTR and IDTR: 16-bit limit, then the base (24 bits with a 16-bit
 *    operand size for the loads; stores write all 32, SDM SGDT) -- */

static void gen_store_dt(DisasContext *s, X86Insn *d, size_t base_off, size_t limit_off)
{
    IrTemp a = gen_mem_addr(s, d, 6, true), a2 = gen_tmp(s);
    IrTemp lim = gen_tmp(s), base = gen_tmp(s);
    ir_ld32u(s->f, IR_I32, lim, IR_TEMP_ENV, limit_off);
    ir_ld32u(s->f, IR_I32, base, IR_TEMP_ENV, base_off);
    ir_addi(s->f, IR_I32, a2, a, 2);
    gen_st(s, MO_16, lim, a);
    gen_st(s, MO_32, base, a2);
}

static void gen_load_dt(DisasContext *s, X86Insn *d, size_t base_off, size_t limit_off)
{
    IrTemp a = gen_mem_addr(s, d, 6, false), a2 = gen_tmp(s);
    IrTemp lim = gen_tmp(s), base = gen_tmp(s);
    ir_addi(s->f, IR_I32, a2, a, 2);
    gen_ld(s, MO_16, lim, a);
    gen_ld(s, MO_32, base, a2);
    if (d->ot == MO_16)
        ir_andi(s->f, IR_I32, base, base, 0xffffff);
    ir_st32(s->f, IR_I32, lim, IR_TEMP_ENV, limit_off);
    ir_st32(s->f, IR_I32, base, IR_TEMP_ENV, base_off);
}

void gen_SGDT(DisasContext *s, X86Insn *d)
{
    gen_store_dt(s, d, offsetof(CpuState, gdt_base), offsetof(CpuState, gdt_limit));
}

void gen_SIDT(DisasContext *s, X86Insn *d)
{
    gen_store_dt(s, d, offsetof(CpuState, idt_base), offsetof(CpuState, idt_limit));
}

void gen_LGDT(DisasContext *s, X86Insn *d)
{
    gen_load_dt(s, d, offsetof(CpuState, gdt_base), offsetof(CpuState, gdt_limit));
}

void gen_LIDT(DisasContext *s, X86Insn *d)
{
    gen_load_dt(s, d, offsetof(CpuState, idt_base), offsetof(CpuState, idt_limit));
}
