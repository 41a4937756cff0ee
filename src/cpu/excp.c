/* excp.c — delivering interrupts and exceptions (SDM Vol. 3A chapter 6,
 * and 20.1.4 for real mode): through the IVT in real mode, through IDT
 * interrupt/trap gates in protected mode with the stack switch of an
 * inter-privilege transfer, and from virtual-8086 mode. Task gates go to the
 * task switch (task.c).
 *
 * Error codes of faults raised while delivering carry EXT (bit 0) when the
 * event being delivered is not a software interrupt (INT n, INT3, INTO), and
 * IDT (bit 1) when they name a gate (6.13). Faults while delivering are
 * raised like any exception; exec.c combines them into #DF or a triple
 * fault (6.15). The frame is pushed before any register changes, so such a
 * fault leaves the state of the interrupted instruction.
 */
#include "cpu/seg.h"
#include "base/log.h"

/* Vectors that push an error code when raised as exceptions (table 6-1). */
static bool pushes_error(int intno)
{
    return intno == EXCP_DF || (intno >= EXCP_TS && intno <= EXCP_PF) || intno == EXCP_AC;
}

static void do_interrupt_real(CpuState *env, int intno, uint32_t next_eip)
{
    uint32_t vec, old_esp = (uint32_t)env->regs[CPU_ESP];
    SysStack st;

    if ((uint32_t)intno * 4 + 3 > env->idt_limit)
        raise_exception(env, EXCP_GP, 0);
    vec = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 4, 0);
    sstack_cur(env, &st);
    sstack_push(env, &st, cpu_compute_eflags(env), 2, 0);
    sstack_push(env, &st, env->seg[CPU_CS].selector, 2, 0);
    sstack_push(env, &st, next_eip, 2, 0);
    env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
    env->eflags &= ~(uint32_t)(EF_IF | EF_TF | EF_AC | EF_RF);
    env->eip = vec & 0xffff;
    cpu_load_seg_real(env, CPU_CS, (uint16_t)(vec >> 16));
}

/* The gate's code segment: present code with DPL <= CPL (6.12.1.1). */
static void gate_code(CpuState *env, uint16_t sel, Desc *cs, uint32_t ext)
{
    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, ext, 0);
    desc_fetch_or_raise(env, sel, cs, EXCP_GP, sel_err(sel) + ext, 0);
    if (!desc_is_code(cs) || desc_dpl(cs) > cpu_cpl(env))
        raise_exception_err(env, EXCP_GP, sel_err(sel) + ext, 0);
    if (!desc_present(cs))
        raise_exception_err(env, EXCP_NP, sel_err(sel) + ext, 0);
}

/* The stack for an interrupt to more privileged level `cpl` (6.12.1). */
static void gate_stack(CpuState *env, int cpl, uint16_t *ss_sel, Desc *ss, uint32_t *esp,
                       uint32_t ext)
{
    tss_inner_stack(env, cpl, ss_sel, esp, ext, 0);
    if (sel_null(*ss_sel))
        raise_exception_err(env, EXCP_TS, ext, 0);
    desc_fetch_or_raise(env, *ss_sel, ss, EXCP_TS, sel_err(*ss_sel) + ext, 0);
    if ((*ss_sel & 3) != cpl || desc_dpl(ss) != cpl || !desc_writable_data(ss))
        raise_exception_err(env, EXCP_TS, sel_err(*ss_sel) + ext, 0);
    if (!desc_present(ss))
        raise_exception_err(env, EXCP_SS, sel_err(*ss_sel) + ext, 0);
}

typedef struct Frame {
    uint32_t eflags, eip, error;
    bool has_error;
    unsigned size;                  /* 4 for 32-bit gates, 2 for 16-bit */
} Frame;

static void push_frame(CpuState *env, SysStack *st, const Frame *f)
{
    sstack_push(env, st, f->eflags, f->size, 0);
    sstack_push(env, st, env->seg[CPU_CS].selector, f->size, 0);
    sstack_push(env, st, f->eip, f->size, 0);
    if (f->has_error)
        sstack_push(env, st, f->error, f->size, 0);
}

/* To a more privileged level: switch to the TSS stack, push the old SS:ESP
 * (and, from V86 mode, GS FS DS ES first), then the frame. */
static void gate_inner(CpuState *env, uint16_t cs_sel, Desc *cs, const Frame *f, uint32_t ext)
{
    int cpl = desc_dpl(cs);
    bool from_v86 = env->eflags & EF_VM;
    uint32_t esp;
    uint16_t ss_sel;
    SysStack st;
    Desc ss;

    gate_stack(env, cpl, &ss_sel, &ss, &esp, ext);
    sstack_new(&st, &ss, esp, cpl, sel_err(ss_sel) + ext);
    if (from_v86) {
        sstack_push(env, &st, env->seg[CPU_GS].selector, f->size, 0);
        sstack_push(env, &st, env->seg[CPU_FS].selector, f->size, 0);
        sstack_push(env, &st, env->seg[CPU_DS].selector, f->size, 0);
        sstack_push(env, &st, env->seg[CPU_ES].selector, f->size, 0);
    }
    sstack_push(env, &st, env->seg[CPU_SS].selector, f->size, 0);
    sstack_push(env, &st, (uint32_t)env->regs[CPU_ESP], f->size, 0);
    push_frame(env, &st, f);
    desc_set_accessed(env, &ss, 0);
    desc_set_accessed(env, cs, 0);
    /* Commit */
    if (from_v86) {
        /* Leaving V86: the data segments become null (6.12.1, figure 6-5). */
        seg_load_null(env, CPU_DS, 0);
        seg_load_null(env, CPU_ES, 0);
        seg_load_null(env, CPU_FS, 0);
        seg_load_null(env, CPU_GS, 0);
    }
    seg_load_desc(env, CPU_SS, ss_sel, &ss);
    env->regs[CPU_ESP] = sstack_esp(&st, esp);
    seg_load_desc(env, CPU_CS, (uint16_t)((cs_sel & 0xfffc) | cpl), cs);
}

/* Same level (or a conforming segment): the frame on the current stack. */
static void gate_same(CpuState *env, uint16_t cs_sel, Desc *cs, const Frame *f, uint32_t ext)
{
    uint32_t old_esp = (uint32_t)env->regs[CPU_ESP];
    SysStack st;
    sstack_cur(env, &st);
    st.err = ext;
    push_frame(env, &st, f);
    desc_set_accessed(env, cs, 0);
    seg_load_desc(env, CPU_CS, (uint16_t)((cs_sel & 0xfffc) | cpu_cpl(env)), cs);
    env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
}

/* The IDT gate for intno, checked (6.12.1.1, 6.13): its type, the DPL of
 * software interrupts, presence. Returns the type; lo/hi are the gate. */
static int fetch_gate(CpuState *env, int intno, int is_int, uint32_t ext, uint32_t *lo,
                      uint32_t *hi)
{
    uint32_t idt_err = (uint32_t)intno * 8 + 2 + ext;
    int type, dpl;

    if ((uint32_t)intno * 8 + 7 > env->idt_limit)
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    *lo = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 8, 0);
    *hi = cpu_ld32_sys(env, env->idt_base + (uint32_t)intno * 8 + 4, 0);
    type = (*hi >> 8) & 0x1f;           /* with S: system descriptors only */
    dpl = (*hi >> 13) & 3;
    if (type != DESC_TASK && type != DESC_INT16 && type != DESC_TRAP16 &&
        type != DESC_INT32 && type != DESC_TRAP32)
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    /* Software interrupts check the gate's DPL; INT n in V86 mode with
     * IOPL < 3 faulted in the translator already. */
    if (is_int && dpl < cpu_cpl(env))
        raise_exception_err(env, EXCP_GP, idt_err, 0);
    if (!(*hi & 0x8000))
        raise_exception_err(env, EXCP_NP, idt_err, 0);
    return type;
}

static void do_interrupt_protected(CpuState *env, int intno, int is_int, uint32_t error_code,
                                   bool has_error, uint32_t next_eip)
{
    uint32_t ext = is_int ? 0 : 1, lo, hi, off;
    int type = fetch_gate(env, intno, is_int, ext, &lo, &hi);
    bool from_v86 = env->eflags & EF_VM;
    uint16_t sel = (uint16_t)(lo >> 16);
    Frame f;
    Desc cs;

    if (type == DESC_TASK) {
        cpu_task_switch(env, sel, TS_INT, has_error, error_code, next_eip, ext, 0);
        return;
    }
    off = (hi & 0xffff0000) | (lo & 0xffff);
    f = (Frame){ .eflags = cpu_compute_eflags(env), .eip = next_eip, .error = error_code,
                 .has_error = has_error, .size = (type & 8) ? 4 : 2 };
    if (f.size == 2)
        off &= 0xffff;
    gate_code(env, sel, &cs, ext);
    if (off > cs.limit)
        raise_exception_err(env, EXCP_GP, ext, 0);
    /* From V86 mode only to a non-conforming DPL 0 segment (6.12.1). */
    if (from_v86 && (desc_conforming(&cs) || desc_dpl(&cs) != 0))
        raise_exception_err(env, EXCP_GP, sel_err(sel) + ext, 0);
    if (!desc_conforming(&cs) && desc_dpl(&cs) < cpu_cpl(env))
        gate_inner(env, sel, &cs, &f, ext);
    else
        gate_same(env, sel, &cs, &f, ext);
    env->eip = off;
    env->eflags &= ~(uint32_t)(EF_TF | EF_VM | EF_RF | EF_NT);
    if (!(type & 1))
        env->eflags &= ~(uint32_t)EF_IF;    /* interrupt gate */
    cpu_update_hflags_mode(env);
}

void do_interrupt(CpuState *env, int intno, int is_int, uint32_t error_code, bool has_error,
                  uint32_t next_eip, bool is_hw)
{
    bool excp = !is_int && !is_hw;
    if (!excp || !pushes_error(intno))
        has_error = false;
    if (excp && intno == EXCP_DF)
        has_error = true, error_code = 0;
    env->delivering_excp = excp ? intno : -1;
    env->halted = false;
    if (!(env->cr[0] & CR0_PE))
        do_interrupt_real(env, intno, next_eip);
    else
        do_interrupt_protected(env, intno, is_int, error_code, has_error, next_eip);
    env->delivering_excp = -1;
}
