/* farcall.c — far JMP, far CALL and RETF (SDM Vol. 2 JMP, CALL, RET; Vol.
 * 3A 5.8: privilege checks of control transfers, call gates, the stack
 * switch of a call to a more privileged level).
 *
 * Each helper checks everything and does every memory access that can fault
 * (stack pushes, accessed bits) before it changes a register, then commits.
 * A task gate or TSS selector goes to the task switch (task.c).
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"

/* -- Shared checks ------------------------------------------------------------ */

/* A direct JMP/CALL to a code segment (not through a gate). */
static void check_code_direct(CpuState *env, uint16_t sel, const Desc *d, uintptr_t ra)
{
    int cpl = cpu_cpl(env), dpl = desc_dpl(d);
    bool bad = desc_conforming(d) ? dpl > cpl : ((sel & 3) > cpl || dpl != cpl);
    if (bad)
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(d))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
}

/* The gate's own checks (call and task gates of JMP/CALL). */
static void check_gate(CpuState *env, uint16_t sel, const Desc *g, uintptr_t ra)
{
    int dpl = desc_dpl(g);
    if (dpl < cpu_cpl(env) || dpl < (sel & 3))
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(g))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
}

/* The code segment a call gate names: fetched and checked for JMP (DPL must
 * allow staying at CPL) or CALL (DPL <= CPL). */
static void gate_target(CpuState *env, const Desc *g, Desc *cs, bool is_jmp, uintptr_t ra)
{
    uint16_t sel = gate_sel(g);
    int cpl = cpu_cpl(env), dpl;
    bool bad;

    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, cs, EXCP_GP, sel_err(sel), ra);
    dpl = desc_dpl(cs);
    if (!desc_is_code(cs))
        bad = true;
    else if (is_jmp)
        bad = desc_conforming(cs) ? dpl > cpl : dpl != cpl;
    else
        bad = dpl > cpl;
    if (bad)
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(cs))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
}

/* Through a task gate or straight to a TSS descriptor (JMP and CALL). */
static void far_to_task(CpuState *env, uint16_t sel, const Desc *d, TaskSource src,
                        uint32_t next_eip, uintptr_t ra)
{
    check_gate(env, sel, d, ra);
    if (desc_type(d) == DESC_TASK)
        sel = gate_sel(d);
    cpu_task_switch(env, sel, src, false, 0, next_eip, 0, ra);
}

static void set_cs(CpuState *env, uint16_t sel, Desc *cs, int cpl, uint32_t eip, uintptr_t ra)
{
    if (eip > cs->limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_set_accessed(env, cs, ra);
    seg_load_desc(env, CPU_CS, (uint16_t)((sel & 0xfffc) | cpl), cs);
    env->eip = eip;
}

/* -- JMP ptr16:16/32, m16:16/32 ------------------------------------------------------- */

void helper_ljmp(CpuState *env, uint32_t sel32, uint32_t off, uint32_t next_eip)
{
    uintptr_t ra = GETPC();
    uint16_t sel = (uint16_t)sel32;
    Desc d, cs;

    if (!cpu_pm(env)) {
        if (off > env->seg[CPU_CS].limit)
            raise_exception_err(env, EXCP_GP, 0, ra);
        cpu_load_seg_real(env, CPU_CS, sel);
        env->eip = off;
        return;
    }
    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, &d, EXCP_GP, sel_err(sel), ra);
    if (desc_is_code(&d)) {
        check_code_direct(env, sel, &d, ra);
        set_cs(env, sel, &d, cpu_cpl(env), off, ra);
        return;
    }
    switch (desc_is_sys(&d) ? desc_type(&d) : -1) {
    case DESC_CALL16:
    case DESC_CALL32:
        check_gate(env, sel, &d, ra);
        gate_target(env, &d, &cs, true, ra);
        off = desc_type(&d) == DESC_CALL16 ? gate_off(&d) & 0xffff : gate_off(&d);
        set_cs(env, gate_sel(&d), &cs, cpu_cpl(env), off, ra);
        return;
    case DESC_TASK:
    case DESC_TSS16:
    case DESC_TSS32:
        far_to_task(env, sel, &d, TS_JMP, next_eip, ra);
        return;
    default:
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    }
}

/* -- CALL ptr16:16/32, m16:16/32 ------------------------------------------------------ */

/* Same privilege: push CS and the return EIP on the current stack. */
static void call_same(CpuState *env, uint16_t sel, Desc *cs, uint32_t off, unsigned size,
                      uint32_t next_eip, uintptr_t ra)
{
    int cpl = cpu_cpl(env);
    SysStack st;
    sstack_cur(env, &st);
    if (off > cs->limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    sstack_push(env, &st, env->seg[CPU_CS].selector, size, ra);
    sstack_push(env, &st, next_eip, size, ra);
    set_cs(env, sel, cs, cpl, off, ra);
    env->regs[CPU_ESP] = sstack_esp(&st, (uint32_t)env->regs[CPU_ESP]);
}

/* The new stack of a call to a more privileged level, from the TSS. */
static void inner_stack(CpuState *env, int cpl, uint16_t *ss_sel, Desc *ss, uint32_t *esp,
                        uintptr_t ra)
{
    tss_inner_stack(env, cpl, ss_sel, esp, 0, ra);
    if (sel_null(*ss_sel))
        raise_exception_err(env, EXCP_TS, 0, ra);
    desc_fetch_or_raise(env, *ss_sel, ss, EXCP_TS, sel_err(*ss_sel), ra);
    if ((*ss_sel & 3) != cpl || desc_dpl(ss) != cpl || !desc_writable_data(ss))
        raise_exception_err(env, EXCP_TS, sel_err(*ss_sel), ra);
    if (!desc_present(ss))
        raise_exception_err(env, EXCP_SS, sel_err(*ss_sel), ra);
}

/* More privilege through a call gate: switch to the TSS stack for the
 * target's DPL, push SS, ESP, the gate's parameters and CS:EIP (SDM 5.8.5). */
static void call_inner(CpuState *env, const Desc *gate, Desc *cs, uint32_t off,
                       uint32_t next_eip, uintptr_t ra)
{
    int cpl = desc_dpl(cs), n = gate_params(gate);
    unsigned size = desc_type(gate) == DESC_CALL32 ? 4 : 2;
    uint32_t esp, old_esp = (uint32_t)env->regs[CPU_ESP];
    uint16_t ss_sel;
    SysStack ns, os;
    Desc ss;

    inner_stack(env, cpl, &ss_sel, &ss, &esp, ra);
    if (off > cs->limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    sstack_new(&ns, &ss, esp, cpl, sel_err(ss_sel));
    sstack_cur(env, &os);
    sstack_push(env, &ns, env->seg[CPU_SS].selector, size, ra);
    sstack_push(env, &ns, old_esp, size, ra);
    for (int i = n - 1; i >= 0; i--) {
        SysStack p = os;
        p.sp = (os.sp + (uint32_t)i * size) & os.mask;
        sstack_push(env, &ns, sstack_pop(env, &p, size, ra), size, ra);
    }
    sstack_push(env, &ns, env->seg[CPU_CS].selector, size, ra);
    sstack_push(env, &ns, next_eip, size, ra);
    desc_set_accessed(env, &ss, ra);
    desc_set_accessed(env, cs, ra);
    /* Commit: nothing below can fault. */
    seg_load_desc(env, CPU_SS, ss_sel, &ss);
    env->regs[CPU_ESP] = sstack_esp(&ns, esp);
    seg_load_desc(env, CPU_CS, (uint16_t)((gate_sel(gate) & 0xfffc) | cpl), cs);
    env->eip = off;
}

static void call_gate(CpuState *env, uint16_t sel, const Desc *g, uint32_t next_eip,
                      uintptr_t ra)
{
    uint32_t off = desc_type(g) == DESC_CALL16 ? gate_off(g) & 0xffff : gate_off(g);
    Desc cs;
    check_gate(env, sel, g, ra);
    gate_target(env, g, &cs, false, ra);
    if (!desc_conforming(&cs) && desc_dpl(&cs) < cpu_cpl(env))
        call_inner(env, g, &cs, off, next_eip, ra);
    else
        call_same(env, gate_sel(g), &cs, off, desc_type(g) == DESC_CALL32 ? 4 : 2, next_eip,
                  ra);
}

static void call_real(CpuState *env, uint16_t sel, uint32_t off, unsigned size,
                      uint32_t next_eip, uintptr_t ra)
{
    SysStack st;
    sstack_cur(env, &st);
    if (off > env->seg[CPU_CS].limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    sstack_push(env, &st, env->seg[CPU_CS].selector, size, ra);
    sstack_push(env, &st, next_eip, size, ra);
    env->regs[CPU_ESP] = sstack_esp(&st, (uint32_t)env->regs[CPU_ESP]);
    cpu_load_seg_real(env, CPU_CS, sel);
    env->eip = off;
}

void helper_lcall(CpuState *env, uint32_t sel32, uint32_t off, uint32_t next_eip,
                  uint32_t size)
{
    uintptr_t ra = GETPC();
    uint16_t sel = (uint16_t)sel32;
    Desc d;

    if (!cpu_pm(env)) {
        call_real(env, sel, off, size, next_eip, ra);
        return;
    }
    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, &d, EXCP_GP, sel_err(sel), ra);
    if (desc_is_code(&d)) {
        check_code_direct(env, sel, &d, ra);
        call_same(env, sel, &d, off, size, next_eip, ra);
        return;
    }
    switch (desc_is_sys(&d) ? desc_type(&d) : -1) {
    case DESC_CALL16:
    case DESC_CALL32:
        call_gate(env, sel, &d, next_eip, ra);
        return;
    case DESC_TASK:
    case DESC_TSS16:
    case DESC_TSS32:
        far_to_task(env, sel, &d, TS_CALL, next_eip, ra);
        return;
    default:
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    }
}

/* -- RETF / RETF imm16 ---------------------------------------------------------------- */

/* The return CS (SDM RET, "Protected mode"): RPL >= CPL, DPL by conformity. */
static void check_return_cs(CpuState *env, uint16_t sel, Desc *cs, uintptr_t ra)
{
    int rpl = sel & 3, dpl;
    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, cs, EXCP_GP, sel_err(sel), ra);
    dpl = desc_dpl(cs);
    if (!desc_is_code(cs) || rpl < cpu_cpl(env) ||
        (desc_conforming(cs) ? dpl > rpl : dpl != rpl))
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(cs))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
}

/* The outer level's SS (RETF and IRET to an outer level). */
static void check_return_ss(CpuState *env, uint16_t sel, int rpl, Desc *ss, uintptr_t ra)
{
    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, ss, EXCP_GP, sel_err(sel), ra);
    if ((sel & 3) != rpl || !desc_writable_data(ss) || desc_dpl(ss) != rpl)
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(ss))
        raise_exception_err(env, EXCP_SS, sel_err(sel), ra);
}

void far_return_commit(CpuState *env, uint16_t cs_sel, Desc *cs, uint32_t eip, uintptr_t ra)
{
    if (eip > cs->limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_set_accessed(env, cs, ra);
    seg_load_desc(env, CPU_CS, cs_sel, cs);
    env->eip = eip;
}

void far_return_outer(CpuState *env, SysStack *st, unsigned size, int rpl, uint32_t extra,
                      uint16_t cs_sel, Desc *cs, uint32_t eip, uintptr_t ra)
{
    uint32_t esp = sstack_pop(env, st, size, ra);
    uint16_t ss_sel = (uint16_t)sstack_pop(env, st, size, ra);
    uint32_t sp;
    Desc ss;

    check_return_ss(env, ss_sel, rpl, &ss, ra);
    if (eip > cs->limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_set_accessed(env, &ss, ra);
    desc_set_accessed(env, cs, ra);
    /* Commit */
    seg_load_desc(env, CPU_CS, cs_sel, cs);
    env->eip = eip;
    seg_load_desc(env, CPU_SS, ss_sel, &ss);
    sp = esp + extra;
    env->regs[CPU_ESP] = (ss.attr & SEG_ATTR_DB) ? sp : (esp & 0xffff0000u) | (sp & 0xffff);
    seg_null_invalid(env, rpl);
}

void helper_lret(CpuState *env, uint32_t size, uint32_t extra)
{
    uintptr_t ra = GETPC();
    uint32_t eip, old_esp = (uint32_t)env->regs[CPU_ESP];
    uint16_t sel;
    SysStack st;
    Desc cs;

    sstack_cur(env, &st);
    eip = sstack_pop(env, &st, size, ra);
    sel = (uint16_t)sstack_pop(env, &st, size, ra);
    st.sp = (st.sp + extra) & st.mask;
    if (!cpu_pm(env)) {
        if (eip > env->seg[CPU_CS].limit)
            raise_exception_err(env, EXCP_GP, 0, ra);
        cpu_load_seg_real(env, CPU_CS, sel);
        env->eip = eip;
        env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
        return;
    }
    check_return_cs(env, sel, &cs, ra);
    if ((sel & 3) == cpu_cpl(env)) {
        far_return_commit(env, sel, &cs, eip, ra);
        env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
        return;
    }
    far_return_outer(env, &st, size, sel & 3, extra, sel, &cs, eip, ra);
}

void far_check_return_cs(CpuState *env, uint16_t sel, Desc *cs, uintptr_t ra)
{
    check_return_cs(env, sel, cs, ra);
}
