/* helpers_fpu_core.c — x87 status handling, #MF, register moves and the
 * control word/status word instructions (see helpers_fpu.h).
 *
 * Masked stack-fault responses were measured on Intel hardware: the
 * destination gets the QNaN indefinite even where the SDM leaves it open
 * (FCMOVcc whose condition is false, FLD ST(i) onto a full stack). */
#include <string.h>
#include "cpu/helpers_fpu.h"
#include "cpu/helpers.h"
#include "base/log.h"

/* -- Status word ---------------------------------------------------------- */

bool fpu_finish_ex(CpuState *env, FpStatus *s, uint8_t block)
{
    uint8_t unmasked = s->flags & ~s->masks & FP_ALL_EXC;
    bool ok = !(unmasked & block);

    env->fpus |= ok ? s->flags : s->flags & (FP_IE | FP_DE | FP_ZE);
    if (unmasked)
        env->fpus |= FSW_ES | FSW_B;
    fpu_set_cc(env, FP_C1, ok && s->c1_round_up ? FP_C1 : 0);
    return ok;
}

bool fpu_finish(CpuState *env, FpStatus *s)
{
    return fpu_finish_ex(env, s, FP_IE | FP_DE | FP_ZE);
}

/* SDM Vol. 1 8.5.1.1: IE with SF; C1 tells overflow (1) from underflow (0). */
bool fpu_stack_fault(CpuState *env, bool overflow)
{
    env->fpus |= FP_IE | FSW_SF;
    fpu_set_cc(env, FP_C1, overflow ? FP_C1 : 0);
    if (env->fpuc & FP_IE)
        return true;
    env->fpus |= FSW_ES | FSW_B;
    return false;
}

bool fpu_can_push(CpuState *env)
{
    if (fpu_empty(env, 7)) {
        fpu_set_cc(env, FP_C1, 0);
        return true;
    }
    if (fpu_stack_fault(env, true))
        fpu_push(env, FX80_INDEFINITE);
    return false;
}

void fpu_probe_write(CpuState *env, uint32_t addr, uint32_t len, uintptr_t ra)
{
    uint32_t last = addr + len - 1;
    int mmu = cpu_mmu_index(env);
    x86_tlb_fill(env, addr & GUEST_PAGE_MASK, ACCESS_WRITE, mmu, false, ra);
    if ((last & GUEST_PAGE_MASK) != (addr & GUEST_PAGE_MASK))
        x86_tlb_fill(env, last & GUEST_PAGE_MASK, ACCESS_WRITE, mmu, false, ra);
}

/* A waiting instruction found FSW.ES set (the translator checked). SDM Vol. 1
 * 8.7: with CR0.NE the exception is #MF at this instruction; without, the
 * FERR# pin drives IRQ 13 through the PIC and IGNNE# lets the instruction
 * go on — we do not model the pins and let it go on at once. */
void helper_fpu_pending(CpuState *env)
{
    if (!(env->fpus & FSW_ES))
        return;
    if (env->cr[0] & CR0_NE)
        raise_exception(env, EXCP_MF, GETPC());
    log_unimp("x87: FERR#/IRQ 13 error reporting (CR0.NE=0): the exception is ignored");
}

/* -- Register moves --------------------------------------------------------- */

/* FLD ST(i): an empty source is an underflow even when ST(7) is in use. */
void helper_fld_r(CpuState *env, uint32_t i)
{
    Fx80 v;
    if (fpu_empty(env, (int)i)) {
        if (fpu_stack_fault(env, false))
            fpu_push(env, FX80_INDEFINITE);
        return;
    }
    v = fpu_get(env, (int)i);
    if (fpu_can_push(env))
        fpu_push(env, v);
}

/* FST/FSTP ST(i) and the FSTP aliases DF D0+i, DF D8+i. arg: bit 0 pop,
 * bit 1 the alias D9 D8+i, which on an empty ST(0) just pops, with no
 * stack fault and ST(i) kept (measured). */
void helper_fst_r(CpuState *env, uint32_t i, uint32_t arg)
{
    if (fpu_empty(env, 0) && (arg & 2)) {
        fpu_set_cc(env, FP_C1, 0);
    } else if (fpu_empty(env, 0)) {
        if (!fpu_stack_fault(env, false))
            return;
        fpu_set(env, (int)i, FX80_INDEFINITE);
    } else {
        fpu_set(env, (int)i, fpu_get(env, 0));
        fpu_set_cc(env, FP_C1, 0);
    }
    if (arg & 1)
        fpu_pop(env);
}

/* FXCH: an empty operand becomes the indefinite before the exchange. */
void helper_fxch(CpuState *env, uint32_t i)
{
    Fx80 a, b;
    if (fpu_empty(env, 0) || fpu_empty(env, (int)i)) {
        if (!fpu_stack_fault(env, false))
            return;
        if (fpu_empty(env, 0))
            fpu_set(env, 0, FX80_INDEFINITE);
        if (fpu_empty(env, (int)i))
            fpu_set(env, (int)i, FX80_INDEFINITE);
    } else {
        fpu_set_cc(env, FP_C1, 0);
    }
    a = fpu_get(env, 0);
    b = fpu_get(env, (int)i);
    fpu_set(env, 0, b);
    fpu_set(env, (int)i, a);
}

/* FFREE ST(i); FFREEP (DF C0+i) pops afterwards. C1 = 0 (measured). */
void helper_ffree(CpuState *env, uint32_t i, uint32_t pop)
{
    env->fptags[fpu_phys(env, (int)i)] = 1;
    fpu_set_cc(env, FP_C1, 0);
    if (pop)
        fpu_pop(env);
}

/* FCMOVcc: the translator evaluated the EFLAGS condition. */
void helper_fcmov(CpuState *env, uint32_t i, uint32_t cond)
{
    if (fpu_empty(env, 0) || fpu_empty(env, (int)i)) {
        if (fpu_stack_fault(env, false))
            fpu_set(env, 0, FX80_INDEFINITE);
        return;
    }
    if (cond)
        fpu_set(env, 0, fpu_get(env, (int)i));
}

/* -- Control ------------------------------------------------------------------ */

/* FNINIT (SDM FINIT): FCW 037F, FSW 0, all empty, pointers and opcode 0. */
void helper_fninit(CpuState *env)
{
    env->fpuc = FCW_INIT;
    env->fpus = 0;
    env->fpstt = 0;
    memset(env->fptags, 1, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
}

/* FNCLEX: the exception flags, SF, ES and B. */
void helper_fnclex(CpuState *env)
{
    env->fpus &= (uint16_t)~(FP_ALL_EXC | FSW_SF | FSW_ES | FSW_B);
}

uint32_t helper_fnstsw(CpuState *env)
{
    return fpu_fsw(env);
}

/* FLDCW: bits 13-15 and 7 read back as 0, bit 6 as 1 (measured; SDM Vol. 1
 * figure 8-6 marks them reserved). Unmasking a set flag makes it pending. */
void helper_fldcw(CpuState *env, uint32_t addr)
{
    uint32_t v = cpu_ld16(env, addr, GETPC());
    env->fpuc = (uint16_t)((v & 0x1f3f) | 0x40);
    fpu_update_es(env);
}

void helper_fnstcw(CpuState *env, uint32_t addr)
{
    cpu_st16(env, addr, env->fpuc, GETPC());
}

void helper_fnstsw_m(CpuState *env, uint32_t addr)
{
    cpu_st16(env, addr, fpu_fsw(env), GETPC());
}
