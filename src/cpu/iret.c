/* iret.c — IRET/IRETD, POPF and software interrupts (SDM Vol. 2 IRET,
 * POPF, INT n/INTO/INT3/INT1; Vol. 3A 6.12-6.14, 7.3 nested tasks, 20.2
 * virtual-8086 mode).
 *
 * Which EFLAGS bits an IRET or POPF may change depends on CPL and IOPL at
 * the start of the instruction; the masks below are the SDM's pseudo-code
 * tables. Everything that may fault is done before any register changes.
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"
#include "base/log.h"

/* Bits IRET may load in protected mode at the same or an outer level. */
static uint32_t iret_mask(int cpl, int iopl, unsigned size)
{
    uint32_t m = EF_ARITH | EF_TF | EF_DF | EF_NT;
    if (size == 4)
        m |= EF_RF | EF_AC | EF_ID;
    if (cpl <= iopl)
        m |= EF_IF;
    if (cpl == 0) {
        m |= EF_IOPL;
        if (size == 4)
            m |= EF_VIF | EF_VIP;
    }
    return m;
}

static int cur_iopl(const CpuState *env)
{
    return (int)((env->eflags & EF_IOPL) >> EF_IOPL_SHIFT);
}

/* Real mode, and V86 mode at IOPL 3: pop IP, CS, FLAGS. */
static void iret_real(CpuState *env, unsigned size, uint32_t mask, uintptr_t ra)
{
    uint32_t eip, fl, old_esp = (uint32_t)env->regs[CPU_ESP];
    uint16_t cs;
    SysStack st;

    sstack_cur(env, &st);
    eip = sstack_pop(env, &st, size, ra);
    cs = (uint16_t)sstack_pop(env, &st, size, ra);
    fl = sstack_pop(env, &st, size, ra);
    if (eip > env->seg[CPU_CS].limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    cpu_load_seg_real(env, CPU_CS, cs);
    env->eip = eip;
    env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
    cpu_load_eflags(env, fl, size == 4 ? mask : mask & 0xffff);
}

/* IRETD at CPL 0 with VM set in the popped EFLAGS: back to V86 mode
 * (SDM IRET, RETURN-TO-VIRTUAL-8086-MODE). */
static void iret_to_v86(CpuState *env, SysStack *st, uint32_t eip, uint16_t cs, uint32_t fl,
                        uintptr_t ra)
{
    static const int order[4] = { CPU_ES, CPU_DS, CPU_FS, CPU_GS };
    uint32_t esp = sstack_pop(env, st, 4, ra);
    uint16_t sel[6];

    sel[CPU_SS] = (uint16_t)sstack_pop(env, st, 4, ra);
    for (int i = 0; i < 4; i++)
        sel[order[i]] = (uint16_t)sstack_pop(env, st, 4, ra);
    sel[CPU_CS] = cs;
    cpu_load_eflags(env, fl, ~0u);
    for (int s = 0; s < 6; s++)
        cpu_load_seg_real(env, s, sel[s]);
    env->eip = eip & 0xffff;
    env->regs[CPU_ESP] = esp;
}

/* NT = 1: return to the task in the back link (SDM 7.3, 7.4). */
static void iret_task(CpuState *env, uint32_t next_eip, uintptr_t ra)
{
    uint16_t link = (uint16_t)cpu_ld16_sys(env, env->tr.base, ra);
    cpu_task_switch(env, link, TS_IRET, false, 0, next_eip, 0, ra);
}

static void iret_protected(CpuState *env, unsigned size, uintptr_t ra)
{
    int cpl = cpu_cpl(env), iopl = cur_iopl(env), rpl;
    uint32_t eip, fl, old_esp = (uint32_t)env->regs[CPU_ESP];
    uint16_t cs;
    SysStack st;
    Desc csd;

    sstack_cur(env, &st);
    eip = sstack_pop(env, &st, size, ra);
    cs = (uint16_t)sstack_pop(env, &st, size, ra);
    fl = sstack_pop(env, &st, size, ra);
    if (size == 4 && (fl & EF_VM) && cpl == 0) {
        iret_to_v86(env, &st, eip, cs, fl, ra);
        return;
    }
    far_check_return_cs(env, cs, &csd, ra);
    rpl = cs & 3;
    if (rpl == cpl) {
        far_return_commit(env, cs, &csd, eip, ra);
        env->regs[CPU_ESP] = sstack_esp(&st, old_esp);
    } else {
        far_return_outer(env, &st, size, rpl, 0, cs, &csd, eip, ra);
    }
    cpu_load_eflags(env, fl, iret_mask(cpl, iopl, size));
}

void helper_iret(CpuState *env, uint32_t size, uint32_t next_eip)
{
    uintptr_t ra = GETPC();

    if (!(env->cr[0] & CR0_PE)) {
        iret_real(env, size, EF_ARITH | EF_TF | EF_IF | EF_DF | EF_IOPL | EF_NT | EF_RF |
                             EF_AC | EF_ID, ra);
    } else if (env->eflags & EF_VM) {
        if (cur_iopl(env) != 3)         /* no VME: IOPL-sensitive (SDM 20.2.7) */
            raise_exception_err(env, EXCP_GP, 0, ra);
        iret_real(env, size, EF_ARITH | EF_TF | EF_IF | EF_DF | EF_NT | EF_RF | EF_AC | EF_ID,
                  ra);
    } else if (env->eflags & EF_NT) {
        iret_task(env, next_eip, ra);
    } else {
        iret_protected(env, size, ra);
    }
    env->nmi_blocked = false;   /* IRET ends NMI blocking (SDM 6.7.1) */
}

/* POPF/POPFD (the translator raised #GP for V86 mode with IOPL < 3). */
void helper_popf(CpuState *env, uint32_t v, uint32_t size)
{
    int cpl = cpu_cpl(env), iopl = cur_iopl(env);
    uint32_t m = EF_ARITH | EF_TF | EF_DF | EF_NT;

    if (size == 4)
        m |= EF_AC | EF_ID | EF_RF;     /* RF is cleared: v has it as 0 */
    if (env->eflags & EF_VM) {
        m |= EF_IF;
    } else {
        if (cpl <= iopl)
            m |= EF_IF;
        if (cpl == 0)
            m |= EF_IOPL;
    }
    if (size == 2)
        m &= 0xffff;
    cpu_load_eflags(env, v & ~(uint32_t)EF_RF, m);
}

/* INT n (is_int 1), INT3 and INTO (is_int 2): software interrupts. */
void helper_raise_int(CpuState *env, uint32_t intno, uint32_t is_int, uint32_t next_eip)
{
    raise_interrupt(env, (int)intno, (int)is_int, next_eip, GETPC());
}

/* INT1 (ICEBP, F1): a #DB trap without the gate DPL check of software
 * interrupts. The translator stored EIP (next) and cc_op: the state is
 * that of after the instruction. */
void helper_icebp(CpuState *env)
{
    cpu_state_precise(env);
    raise_exception(env, EXCP_DB, 0);
}

/* EFLAGS.TF was set at the start of the instruction just completed: the
 * single-step trap, with DR6.BS (SDM Vol. 3A 17.3.1.4). EIP and cc_op are
 * those of after the instruction. */
void helper_debug_trap(CpuState *env)
{
    env->dr[6] |= 1u << 14;
    cpu_state_precise(env);
    raise_exception(env, EXCP_DB, 0);
}
