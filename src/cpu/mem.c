/* mem.c — guest memory accesses for C helpers (exec.h): the TLB's fast path
 * inline (tlb_hit), its slow path (fills, MMIO, code pages) otherwise. */
#include "cpu/exec.h"

/* The segment checks translated code does (SDM Vol. 3A 5.3): #SS(0) for SS,
 * #GP(0) otherwise. */
uint32_t cpu_seg_lin(CpuState *env, int seg, uint32_t off, unsigned size, bool write,
                     uintptr_t ra)
{
    SegCache *sc = &env->seg[seg];
    int excp = seg == CPU_SS ? EXCP_SS : EXCP_GP;
    bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);

    if (hf_seg_nolimit(env->hflags, seg))
        return sc->base + off;
    if (pm && (sc->attr & SEG_ATTR_S) && !(sc->attr & 8) && (sc->attr & 4)) {
        uint64_t upper = (sc->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffff;
        if (!(sc->attr & SEG_ATTR_P) || (write && !(sc->attr & 2)) || off <= sc->limit ||
            (uint64_t)off + size - 1 > upper)
            raise_exception_err(env, excp, 0, ra);
    } else if ((uint64_t)off + size > (write ? sc->lim_end_w : sc->lim_end)) {
        raise_exception_err(env, excp, 0, ra);
    }
    return sc->base + off;
}

uint32_t cpu_ld_mmu(CpuState *env, uint32_t addr, int ot, int mmu, uintptr_t ra)
{
    const void *p = tlb_hit(&env->tlb, addr, 1u << ot, mmu, false);
    if (!p)
        return (uint32_t)tlb_load(&env->tcg, addr, memop_make((unsigned)ot, (unsigned)mmu), ra);
    switch (ot) {
    case MO_8: return *(const uint8_t *)p;
    case MO_16: return ld16(p);
    default: return ld32(p);
    }
}

void cpu_st_mmu(CpuState *env, uint32_t addr, uint32_t v, int ot, int mmu, uintptr_t ra)
{
    void *p = tlb_hit(&env->tlb, addr, 1u << ot, mmu, true);
    if (!p) {
        tlb_store(&env->tcg, addr, v, memop_make((unsigned)ot, (unsigned)mmu), ra);
        return;
    }
    switch (ot) {
    case MO_8: *(uint8_t *)p = (uint8_t)v; break;
    case MO_16: st16(p, (uint16_t)v); break;
    default: st32(p, v); break;
    }
}

uint32_t cpu_ld8(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_8, cpu_mmu_index(env), ra); }
uint32_t cpu_ld16(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_16, cpu_mmu_index(env), ra); }
uint32_t cpu_ld32(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_32, cpu_mmu_index(env), ra); }
void cpu_st8(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_8, cpu_mmu_index(env), ra); }
void cpu_st16(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_16, cpu_mmu_index(env), ra); }
void cpu_st32(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_32, cpu_mmu_index(env), ra); }

uint64_t cpu_ld64(CpuState *env, uint32_t a, uintptr_t ra)
{
    return tlb_load(&env->tcg, a, memop_make(MO_64, (unsigned)cpu_mmu_index(env)), ra);
}

void cpu_st64(CpuState *env, uint32_t a, uint64_t v, uintptr_t ra)
{
    tlb_store(&env->tcg, a, v, memop_make(MO_64, (unsigned)cpu_mmu_index(env)), ra);
}

/* System structures are supervisor accesses whatever the CPL (SDM Vol. 3A 5.5). */
uint32_t cpu_ld8_sys(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_8, MMU_KERNEL, ra); }
uint32_t cpu_ld16_sys(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_16, MMU_KERNEL, ra); }
uint32_t cpu_ld32_sys(CpuState *env, uint32_t a, uintptr_t ra) { return cpu_ld_mmu(env, a, MO_32, MMU_KERNEL, ra); }
void cpu_st8_sys(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_8, MMU_KERNEL, ra); }
void cpu_st16_sys(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_16, MMU_KERNEL, ra); }
void cpu_st32_sys(CpuState *env, uint32_t a, uint32_t v, uintptr_t ra) { cpu_st_mmu(env, a, v, MO_32, MMU_KERNEL, ra); }
