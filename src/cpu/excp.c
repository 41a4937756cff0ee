/* excp.c — delivering interrupts and exceptions (SDM Vol. 3A chapter 6,
 * and 20.1.4 for real mode): through the IVT in real mode, through IDT
 * interrupt/trap gates in protected mode with the stack switch of an
 * inter-privilege transfer, and from virtual-8086 mode. Task gates go to the
 * task switch (task.c).
 *
 * Faults while delivering (a bad gate, an unmapped stack) are raised like
 * any exception; exec.c combines them into #DF or a triple fault.
 */
#include "cpu/exec.h"
#include "base/log.h"

void cpu_task_switch(CpuState *env, uint16_t selector, int source, bool has_error,
                     uint32_t error_code, uint32_t next_eip, uintptr_t ra);

/* Vectors that push an error code when raised as exceptions (table 6-1). */
static bool pushes_error(int intno)
{
    return intno == EXCP_DF || (intno >= EXCP_TS && intno <= EXCP_PF) || intno == EXCP_AC;
}

static void do_interrupt_real(CpuState *env, int intno, uint32_t next_eip)
{
    uint32_t sp = (uint32_t)env->regs[CPU_ESP], ss = env->seg[CPU_SS].base;
    uint32_t mask = (env->seg[CPU_SS].attr & SEG_ATTR_DB) ? 0xffffffff : 0xffff;
    uint32_t vec;

    if ((uint32_t)intno * 4 + 3 > env->idt_limit)
        raise_exception_err(env, EXCP_GP, (uint32_t)intno * 8 + 2, 0);
    vec = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 4, 0);
    /* Push FLAGS, CS, IP (16 bits each). */
    sp -= 2;
    cpu_st16_sys(env, ss + (sp & mask), cpu_compute_eflags(env), 0);
    sp -= 2;
    cpu_st16_sys(env, ss + (sp & mask), env->seg[CPU_CS].selector, 0);
    sp -= 2;
    cpu_st16_sys(env, ss + (sp & mask), next_eip, 0);
    env->regs[CPU_ESP] = (env->regs[CPU_ESP] & ~(uint64_t)mask) | (sp & mask);
    env->eflags &= ~(uint32_t)(EF_IF | EF_TF | EF_AC | EF_RF);
    env->eip = vec & 0xffff;
    cpu_load_seg_real(env, CPU_CS, (uint16_t)(vec >> 16));
}

/* Read a descriptor for `selector` from the GDT or LDT; #GP(err) beyond the table. */
static void read_descriptor(CpuState *env, uint16_t selector, uint32_t err_code,
                            uint32_t *lo, uint32_t *hi)
{
    const SegCache *table = (selector & 4) ? &env->ldt : NULL;
    uint32_t base = table ? table->base : env->gdt_base;
    uint32_t limit = table ? table->limit : env->gdt_limit;
    uint32_t off = selector & ~7u;
    if (off + 7 > limit)
        raise_exception_err(env, EXCP_GP, err_code, 0);
    *lo = cpu_ld32_sys(env, base + off, 0);
    *hi = cpu_ld32_sys(env, base + off + 4, 0);
}

/* The inner-level stack from the TSS (SDM Vol. 3A 7.2.1, 6.12.1). */
static void tss_stack(CpuState *env, int dpl, uint16_t *ss, uint32_t *esp)
{
    bool tss32 = (env->tr.attr & 8) != 0;
    uint32_t off = tss32 ? 4 + (uint32_t)dpl * 8 : 2 + (uint32_t)dpl * 4;
    uint32_t size = tss32 ? 8 : 4;
    if (!(env->tr.attr & SEG_ATTR_P))
        panic("interrupt needs the TSS but TR is unusable");
    if (off + size - 1 > env->tr.limit)
        raise_exception_err(env, EXCP_TS, env->tr.selector & 0xfffc, 0);
    if (tss32) {
        *esp = cpu_ld32_sys(env, env->tr.base + off, 0);
        *ss = (uint16_t)cpu_ld16_sys(env, env->tr.base + off + 4, 0);
    } else {
        *esp = cpu_ld16_sys(env, env->tr.base + off, 0);
        *ss = (uint16_t)cpu_ld16_sys(env, env->tr.base + off + 2, 0);
    }
}

typedef struct Pusher {
    uint32_t base, sp, mask;
    bool wide;
} Pusher;

static void push(CpuState *env, Pusher *p, uint32_t v)
{
    p->sp -= p->wide ? 4 : 2;
    if (p->wide)
        cpu_st32_sys(env, p->base + (p->sp & p->mask), v, 0);
    else
        cpu_st16_sys(env, p->base + (p->sp & p->mask), v, 0);
}

static void do_interrupt_protected(CpuState *env, int intno, int is_int, uint32_t error_code,
                                   bool has_error, uint32_t next_eip, bool is_hw)
{
    uint32_t ext = is_hw ? 1 : 0;   /* EXT: an external event (6.13) */
    uint32_t idt_err = (uint32_t)intno * 8 + 2 + ext;
    uint32_t lo, hi, off, cs_lo, cs_hi, base, limit, esp;
    uint16_t sel, attr, new_ss = 0;
    int type, dpl, cpl = cpu_cpl(env), cs_dpl;
    bool gate32, from_v86 = env->eflags & EF_VM, inter;
    uint32_t old_eflags = cpu_compute_eflags(env);
    Pusher p;

    if ((uint32_t)intno * 8 + 7 > env->idt_limit)
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    lo = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 8, 0);
    hi = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 8 + 4, 0);
    type = (hi >> 8) & 0x1f;
    dpl = (hi >> 13) & 3;
    /* Software interrupts check the gate's DPL (6.12.1.1); V86 INT n with
     * IOPL < 3 faults before here. */
    if (is_int && dpl < cpl)
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    switch (type) {
    case 5:     /* task gate */
        if (!(hi & 0x8000))
            raise_exception_err(env, EXCP_NP, idt_err, 0);
        cpu_task_switch(env, (uint16_t)(lo >> 16), 2, has_error, error_code, next_eip, 0);
        return;
    case 6: case 7: case 14: case 15:
        break;
    default:
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    }
    if (!(hi & 0x8000))
        raise_exception_err(env, EXCP_NP, idt_err, 0);
    gate32 = type & 8;
    sel = (uint16_t)(lo >> 16);
    off = (hi & 0xffff0000) | (lo & 0xffff);
    if (!gate32)
        off &= 0xffff;

    if ((sel & 0xfffc) == 0)
        raise_exception_err(env, EXCP_GP, ext, 0);
    read_descriptor(env, sel, (sel & 0xfffc) + ext, &cs_lo, &cs_hi);
    cpu_decode_descriptor(cs_lo, cs_hi, &base, &limit, &attr);
    cs_dpl = (attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
    if (!(attr & SEG_ATTR_S) || !(attr & 8) || cs_dpl > cpl)
        raise_exception_err(env, EXCP_GP, (sel & 0xfffc) + ext, 0);
    if (!(attr & SEG_ATTR_P))
        raise_exception_err(env, EXCP_NP, (sel & 0xfffc) + ext, 0);
    if (off > limit)
        raise_exception_err(env, EXCP_GP, ext, 0);

    inter = !(attr & 4) && cs_dpl < cpl;     /* non-conforming, more privileged */
    if (from_v86 && (!inter || cs_dpl != 0))
        raise_exception_err(env, EXCP_GP, (sel & 0xfffc) + ext, 0);
    if (inter) {
        uint32_t ss_lo, ss_hi, ss_base, ss_limit;
        uint16_t ss_attr;
        tss_stack(env, cs_dpl, &new_ss, &esp);
        if ((new_ss & 0xfffc) == 0 || (new_ss & 3) != cs_dpl)
            raise_exception_err(env, EXCP_TS, (new_ss & 0xfffc) + ext, 0);
        read_descriptor(env, new_ss, (new_ss & 0xfffc) + ext, &ss_lo, &ss_hi);
        cpu_decode_descriptor(ss_lo, ss_hi, &ss_base, &ss_limit, &ss_attr);
        if (!(ss_attr & SEG_ATTR_S) || (ss_attr & 8) || !(ss_attr & 2) ||
            ((ss_attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT) != cs_dpl)
            raise_exception_err(env, EXCP_TS, (new_ss & 0xfffc) + ext, 0);
        if (!(ss_attr & SEG_ATTR_P))
            raise_exception_err(env, EXCP_SS, (new_ss & 0xfffc) + ext, 0);
        p = (Pusher){ ss_base, esp, (ss_attr & SEG_ATTR_DB) ? 0xffffffff : 0xffff, gate32 };
        if (from_v86) {
            push(env, &p, env->seg[CPU_GS].selector);
            push(env, &p, env->seg[CPU_FS].selector);
            push(env, &p, env->seg[CPU_DS].selector);
            push(env, &p, env->seg[CPU_ES].selector);
        }
        push(env, &p, env->seg[CPU_SS].selector);
        push(env, &p, (uint32_t)env->regs[CPU_ESP]);
        push(env, &p, old_eflags);
        push(env, &p, env->seg[CPU_CS].selector);
        push(env, &p, next_eip);
        if (has_error)
            push(env, &p, error_code);
        /* Commit: the new stack, then the rest. */
        env->seg[CPU_SS] = (SegCache){ .selector = new_ss, .base = ss_base, .limit = ss_limit,
                                       .attr = ss_attr };
        /* A 16-bit stack keeps ESP's upper half from the TSS value. */
        env->regs[CPU_ESP] = p.mask == 0xffff ? (esp & ~0xffffu) | (p.sp & 0xffff) : p.sp;
    } else {
        uint32_t mask = (env->seg[CPU_SS].attr & SEG_ATTR_DB) ? 0xffffffff : 0xffff;
        p = (Pusher){ env->seg[CPU_SS].base, (uint32_t)env->regs[CPU_ESP], mask, gate32 };
        push(env, &p, old_eflags);
        push(env, &p, env->seg[CPU_CS].selector);
        push(env, &p, next_eip);
        if (has_error)
            push(env, &p, error_code);
        env->regs[CPU_ESP] = (mask == 0xffff) ? ((env->regs[CPU_ESP] & ~0xffffull) | (p.sp & 0xffff))
                                              : p.sp;
        cs_dpl = cpl;   /* conforming or same level: CPL stays */
    }
    if (from_v86) {
        /* Leaving V86: the data segments become null (6.12.1). */
        for (int s = 0; s < 6; s++)
            if (s == CPU_DS || s == CPU_ES || s == CPU_FS || s == CPU_GS)
                env->seg[s] = (SegCache){ 0 };
    }
    env->seg[CPU_CS] = (SegCache){ .selector = (uint16_t)((sel & 0xfffc) | (uint16_t)cs_dpl),
                                   .base = base, .limit = limit, .attr = attr };
    env->eip = off;
    env->eflags &= ~(uint32_t)(EF_TF | EF_VM | EF_RF | EF_NT);
    if (!(type & 1))
        env->eflags &= ~(uint32_t)EF_IF;    /* interrupt gate */
    cpu_update_hflags(env);
}

void do_interrupt(CpuState *env, int intno, int is_int, uint32_t error_code, bool has_error,
                  uint32_t next_eip, bool is_hw)
{
    bool excp = !is_int && !is_hw;
    if (excp && has_error && !pushes_error(intno))
        has_error = false;
    if (excp && intno == EXCP_DF)
        has_error = true, error_code = 0;
    env->delivering_excp = excp ? intno : -1;
    env->halted = false;
    if (!(env->cr[0] & CR0_PE))
        do_interrupt_real(env, intno, next_eip);
    else
        do_interrupt_protected(env, intno, is_int, error_code, has_error && !is_int, next_eip,
                               is_hw);
    env->delivering_excp = -1;
}
