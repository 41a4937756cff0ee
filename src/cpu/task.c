/* task.c — hardware task switching (SDM Vol. 3A 7.3) for JMP, CALL, IRET
 * with NT, and interrupts/exceptions through task gates; 32-bit and 16-bit
 * TSSs.
 *
 * Before the commit point every check that faults in the old task is made
 * and every memory access is done: the new TSS is read whole, the old one
 * written, the busy bits and back link updated. From the commit point on the
 * CPU is in the new task: a fault while loading its LDT or segments is raised
 * with the new task's state (ra = 0, SDM 7.3 step 12 and table 7-1).
 */
#include "cpu/seg.h"
#include "base/log.h"

typedef struct TssState {
    uint32_t cr3, eip, eflags, regs[8];
    uint16_t segs[6], ldt;
    bool trap;
} TssState;

static bool tss_is32(const Desc *d) { return desc_type(d) & 8; }

/* The state a TSS holds (SDM 7.2.1 figure 7-2; 16-bit: 7.6 figure 7-11). */
static void tss_read(CpuState *env, const Desc *d, TssState *t, uintptr_t ra)
{
    uint32_t b = d->base;
    if (tss_is32(d)) {
        t->cr3 = cpu_ld32_sys(env, b + 0x1c, ra);
        t->eip = cpu_ld32_sys(env, b + 0x20, ra);
        t->eflags = cpu_ld32_sys(env, b + 0x24, ra);
        for (int i = 0; i < 8; i++)
            t->regs[i] = cpu_ld32_sys(env, b + 0x28 + 4 * (uint32_t)i, ra);
        for (int i = 0; i < 6; i++)
            t->segs[i] = (uint16_t)cpu_ld16_sys(env, b + 0x48 + 4 * (uint32_t)i, ra);
        t->ldt = (uint16_t)cpu_ld16_sys(env, b + 0x60, ra);
        t->trap = cpu_ld16_sys(env, b + 0x64, ra) & 1;
        return;
    }
    t->cr3 = env->cr[3];
    t->eip = cpu_ld16_sys(env, b + 0x0e, ra);
    t->eflags = cpu_ld16_sys(env, b + 0x10, ra);
    for (int i = 0; i < 8; i++)     /* the upper halves are not in a 16-bit TSS */
        t->regs[i] = ((uint32_t)env->regs[i] & 0xffff0000u) |
                     cpu_ld16_sys(env, b + 0x12 + 2 * (uint32_t)i, ra);
    for (int i = 0; i < 4; i++)     /* ES CS SS DS */
        t->segs[i] = (uint16_t)cpu_ld16_sys(env, b + 0x22 + 2 * (uint32_t)i, ra);
    t->segs[CPU_FS] = t->segs[CPU_GS] = 0;
    t->ldt = (uint16_t)cpu_ld16_sys(env, b + 0x2a, ra);
    t->trap = false;
}

/* Save the dynamic fields of the current task in its TSS. */
static void tss_save(CpuState *env, uint32_t eip, uint32_t eflags, uintptr_t ra)
{
    uint32_t b = env->tr.base;
    if (env->tr.attr & 8) {
        cpu_st32_sys(env, b + 0x20, eip, ra);
        cpu_st32_sys(env, b + 0x24, eflags, ra);
        for (int i = 0; i < 8; i++)
            cpu_st32_sys(env, b + 0x28 + 4 * (uint32_t)i, (uint32_t)env->regs[i], ra);
        for (int i = 0; i < 6; i++)
            cpu_st16_sys(env, b + 0x48 + 4 * (uint32_t)i, env->seg[i].selector, ra);
        return;
    }
    cpu_st16_sys(env, b + 0x0e, eip, ra);
    cpu_st16_sys(env, b + 0x10, eflags, ra);
    for (int i = 0; i < 8; i++)
        cpu_st16_sys(env, b + 0x12 + 2 * (uint32_t)i, (uint32_t)env->regs[i], ra);
    for (int i = 0; i < 4; i++)
        cpu_st16_sys(env, b + 0x22 + 2 * (uint32_t)i, env->seg[i].selector, ra);
}

/* The new TSS descriptor: in the GDT, an available TSS (a busy one for
 * IRET), present, long enough. */
static void check_new_tss(CpuState *env, uint16_t sel, TaskSource src, Desc *d, uint32_t ext,
                          uintptr_t ra)
{
    int excp = src == TS_IRET ? EXCP_TS : EXCP_GP;
    uint32_t err = sel_err(sel) + ext;
    int type;

    if ((sel & 4) || !desc_fetch(env, sel, d, ra))
        raise_exception_err(env, excp, err, ra);
    type = desc_is_sys(d) ? desc_type(d) : 0;
    if (src == TS_IRET ? (type != DESC_TSS16_BUSY && type != DESC_TSS32_BUSY)
                       : (type != DESC_TSS16 && type != DESC_TSS32))
        raise_exception_err(env, excp, err, ra);
    if (!desc_present(d))
        raise_exception_err(env, EXCP_NP, err, ra);
    if (d->limit < (tss_is32(d) ? 0x67u : 0x2bu))
        raise_exception_err(env, EXCP_TS, err, ra);
}

/* -- After the commit point: faults belong to the new task (ra = 0) -- */

static NORETURN void new_task_fault(CpuState *env, int excp, uint16_t sel, uint32_t ext)
{
    raise_exception_err(env, excp, sel_err(sel) + ext, 0);
}

static void task_load_ldt(CpuState *env, uint16_t sel, uint32_t ext)
{
    Desc d;
    env->ldt = (SegCache){ .selector = sel };
    if (sel_null(sel))
        return;
    if ((sel & 4) || !desc_fetch(env, sel, &d, 0) || !desc_is_sys(&d) ||
        desc_type(&d) != DESC_LDT || !desc_present(&d))
        new_task_fault(env, EXCP_TS, sel, ext);
    env->ldt.base = d.base;
    env->ldt.limit = d.limit;
    env->ldt.attr = d.attr;
}

static void task_load_cs(CpuState *env, uint16_t sel, int cpl, uint32_t ext)
{
    Desc d;
    int dpl;
    if (sel_null(sel) || !desc_fetch(env, sel, &d, 0) || !desc_is_code(&d))
        new_task_fault(env, EXCP_TS, sel, ext);
    dpl = desc_dpl(&d);
    if (desc_conforming(&d) ? dpl > cpl : dpl != cpl)
        new_task_fault(env, EXCP_TS, sel, ext);
    if (!desc_present(&d))
        new_task_fault(env, EXCP_NP, sel, ext);
    desc_set_accessed(env, &d, 0);
    seg_load_desc(env, CPU_CS, sel, &d);
}

static void task_load_ss(CpuState *env, uint16_t sel, int cpl, uint32_t ext)
{
    Desc d;
    if (sel_null(sel) || !desc_fetch(env, sel, &d, 0) || (sel & 3) != cpl ||
        desc_dpl(&d) != cpl || !desc_writable_data(&d))
        new_task_fault(env, EXCP_TS, sel, ext);
    if (!desc_present(&d))
        new_task_fault(env, EXCP_SS, sel, ext);
    desc_set_accessed(env, &d, 0);
    seg_load_desc(env, CPU_SS, sel, &d);
}

static void task_load_data(CpuState *env, int seg, uint16_t sel, int cpl, uint32_t ext)
{
    Desc d;
    int dpl;
    if (sel_null(sel)) {
        seg_load_null(env, seg, sel);
        return;
    }
    if (!desc_fetch(env, sel, &d, 0) || !desc_readable(&d))
        new_task_fault(env, EXCP_TS, sel, ext);
    dpl = desc_dpl(&d);
    if (!desc_conforming(&d) && (dpl < cpl || dpl < (sel & 3)))
        new_task_fault(env, EXCP_TS, sel, ext);
    if (!desc_present(&d))
        new_task_fault(env, EXCP_NP, sel, ext);
    desc_set_accessed(env, &d, 0);
    seg_load_desc(env, seg, sel, &d);
}

/* Load the new task's registers from t (SDM 7.3 steps 10-12). */
static void task_load(CpuState *env, const TssState *t, bool tss32, uint32_t ext)
{
    int cpl = t->segs[CPU_CS] & 3;

    for (int i = 0; i < 8; i++)
        env->regs[i] = t->regs[i];
    env->eip = t->eip;
    cpu_load_eflags(env, t->eflags, tss32 ? ~0u : 0xffffu | EF_VM | EF_RF);
    /* Selectors first, descriptors as they pass their checks. */
    for (int s = 0; s < 6; s++)
        env->seg[s] = (SegCache){ .selector = t->segs[s] };
    cpu_update_hflags(env);
    task_load_ldt(env, t->ldt, ext);
    if (env->eflags & EF_VM) {
        for (int s = 0; s < 6; s++)
            cpu_load_seg_real(env, s, t->segs[s]);
        return;
    }
    /* SS before CS, as in table 7-1: a fault in CS then has a stack. */
    task_load_ss(env, t->segs[CPU_SS], cpl, ext);
    task_load_cs(env, t->segs[CPU_CS], cpl, ext);
    task_load_data(env, CPU_ES, t->segs[CPU_ES], cpl, ext);
    task_load_data(env, CPU_DS, t->segs[CPU_DS], cpl, ext);
    task_load_data(env, CPU_FS, t->segs[CPU_FS], cpl, ext);
    task_load_data(env, CPU_GS, t->segs[CPU_GS], cpl, ext);
}

void cpu_task_switch(CpuState *env, uint16_t sel, TaskSource src, bool has_error,
                     uint32_t error_code, uint32_t next_eip, uint32_t ext, uintptr_t ra)
{
    uint32_t eflags;
    TssState t;
    Desc nd, od;
    bool have_old;

    LOG(LOG_INT, "task switch (%d) from 0x%04x to 0x%04x\n", (int)src, env->tr.selector, sel);
    check_new_tss(env, sel, src, &nd, ext, ra);
    tss_read(env, &nd, &t, ra);
    have_old = !(env->tr.selector & 4) && desc_fetch(env, env->tr.selector, &od, ra) &&
               desc_is_sys(&od) && (desc_type(&od) & 5) == 1;
    eflags = cpu_compute_eflags(env);
    if (src == TS_IRET)
        eflags &= ~(uint32_t)EF_NT;
    tss_save(env, next_eip, eflags, ra);
    if (src == TS_CALL || src == TS_INT) {
        cpu_st16_sys(env, nd.base, env->tr.selector, ra);     /* back link */
        t.eflags |= EF_NT;
    }
    if ((src == TS_JMP || src == TS_IRET) && have_old)
        desc_set_busy(env, &od, false, ra);
    if (src != TS_IRET)
        desc_set_busy(env, &nd, true, ra);

    /* Commit point: from here on, the new task. */
    cpu_state_precise(env);
    env->delivering_excp = -1;
    env->tr = (SegCache){ .selector = sel, .base = nd.base, .limit = nd.limit,
                          .attr = (uint16_t)(nd.attr | 2) };
    cpu_set_cr0(env, env->cr[0] | CR0_TS);
    if (tss_is32(&nd) && (env->cr[0] & CR0_PG) && t.cr3 != env->cr[3])
        cpu_set_cr3(env, t.cr3);
    task_load(env, &t, tss_is32(&nd), ext);
    if (has_error) {
        SysStack st;
        sstack_cur(env, &st);
        sstack_push(env, &st, error_code, tss_is32(&nd) ? 4 : 2, 0);
        env->regs[CPU_ESP] = sstack_esp(&st, (uint32_t)env->regs[CPU_ESP]);
    }
    if (env->eip > env->seg[CPU_CS].limit)
        raise_exception_err(env, EXCP_GP, 0, 0);
    if (t.trap) {
        env->dr[6] |= 1u << 15;     /* BT: the new TSS's T flag (SDM 17.3.1.5) */
        raise_exception(env, EXCP_DB, 0);
    }
}
