/* helpers_sys_seg.c — segment and descriptor-table instructions: MOV/POP
 * Sreg and LDS... (cpu_load_seg), LLDT, LTR, LAR, LSL, VERR, VERW
 * (SDM Vol. 2 for each; Vol. 3A 5.10 for the pointer-validation group).
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"

void helper_load_seg(CpuState *env, uint32_t seg, uint32_t sel)
{
    cpu_load_seg(env, (int)seg, (uint16_t)sel, GETPC());
}

/* A system descriptor in the GDT for LLDT/LTR: #GP(sel) if not there or
 * not of `type` (or type | tss-available alias), #NP(sel) if not present. */
static void fetch_sys(CpuState *env, uint16_t sel, Desc *d, int t1, int t2, uintptr_t ra)
{
    if ((sel & 4) || !desc_fetch(env, sel, d, ra) || !desc_is_sys(d) ||
        (desc_type(d) != t1 && desc_type(d) != t2))
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(d))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
}

void helper_lldt(CpuState *env, uint32_t sel32)
{
    uintptr_t ra = GETPC();
    uint16_t sel = (uint16_t)sel32;
    Desc d;

    if (sel_null(sel)) {
        env->ldt = (SegCache){ .selector = sel };   /* LDTR unusable */
        return;
    }
    fetch_sys(env, sel, &d, DESC_LDT, DESC_LDT, ra);
    env->ldt = (SegCache){ .selector = sel, .base = d.base, .limit = d.limit, .attr = d.attr };
}

void helper_ltr(CpuState *env, uint32_t sel32)
{
    uintptr_t ra = GETPC();
    uint16_t sel = (uint16_t)sel32;
    Desc d;

    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    fetch_sys(env, sel, &d, DESC_TSS16, DESC_TSS32, ra);
    desc_set_busy(env, &d, true, ra);
    env->tr = (SegCache){ .selector = sel, .base = d.base, .limit = d.limit, .attr = d.attr };
}

/* Is sel visible to LAR (lsl = false) or LSL at the current CPL? */
static bool lar_lsl_ok(CpuState *env, uint16_t sel, Desc *d, bool lsl, uintptr_t ra)
{
    int dpl;
    if (sel_null(sel) || !desc_fetch(env, sel, d, ra))
        return false;
    if (desc_is_sys(d)) {
        switch (desc_type(d)) {
        case DESC_TSS16: case DESC_LDT: case DESC_TSS16_BUSY: case DESC_TSS32:
        case DESC_TSS32_BUSY:
            break;
        case DESC_CALL16: case DESC_TASK: case DESC_CALL32:
            if (lsl)
                return false;
            break;
        default:
            return false;
        }
    } else if (desc_conforming(d)) {
        return true;
    }
    dpl = desc_dpl(d);
    return dpl >= cpu_cpl(env) && dpl >= (sel & 3);
}

/* LAR: bit 32 = ZF, bits 31:0 the access rights (descriptor bits 23:8 of
 * the high dword, limit 19:16 masked). */
uint64_t helper_lar(CpuState *env, uint32_t sel)
{
    Desc d;
    if (!lar_lsl_ok(env, (uint16_t)sel, &d, false, GETPC()))
        return 0;
    return (1ull << 32) | (d.hi & 0x00f0ff00);
}

uint64_t helper_lsl(CpuState *env, uint32_t sel)
{
    Desc d;
    if (!lar_lsl_ok(env, (uint16_t)sel, &d, true, GETPC()))
        return 0;
    return (1ull << 32) | d.limit;
}

/* VERR (write = 0) / VERW: 1 if the segment is readable / writable at CPL. */
uint32_t helper_verrw(CpuState *env, uint32_t sel32, uint32_t write)
{
    uint16_t sel = (uint16_t)sel32;
    int dpl;
    Desc d;

    if (sel_null(sel) || !desc_fetch(env, sel, &d, GETPC()) || desc_is_sys(&d))
        return 0;
    if (write ? !desc_writable_data(&d) : !desc_readable(&d))
        return 0;
    if (!write && desc_conforming(&d))
        return 1;
    dpl = desc_dpl(&d);
    return dpl >= cpu_cpl(env) && dpl >= (sel & 3);
}
