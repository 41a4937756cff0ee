/* cpustate.c — keeping derived CPU state consistent: segment caches,
 * hflags, EFLAGS, control registers and the TLB.
 *
 * Each segment cache carries what it contributes to hflags (hf) and its
 * limit-check fields, computed for the mode (protected or not) hflags was
 * last computed in; a segment load updates only its own cache, a mode
 * change all of them. */
#include <string.h>
#include "cpu/exec.h"
#include "base/log.h"

static void seg_cache_limits(SegCache *s, bool protected_mode)
{
    uint64_t end = (uint64_t)s->limit + 1;
    uint16_t a = s->attr;
    if (!protected_mode) {
        /* Real and V86 mode: limits apply, types do not. */
        s->lim_end = s->lim_end_w = end;
        return;
    }
    if (!(a & SEG_ATTR_P) || !(a & SEG_ATTR_S)) {
        s->lim_end = s->lim_end_w = 0;      /* null or unusable */
        return;
    }
    if (a & 8) {                            /* code: readable if type bit 1, never writable */
        s->lim_end = (a & 2) ? end : 0;
        s->lim_end_w = 0;
    } else {                                /* data: always readable, writable if bit 1 */
        s->lim_end = end;
        s->lim_end_w = (a & 2) ? end : 0;
    }
}

static bool seg_is_expand_down(const SegCache *s)
{
    /* Data segment (S=1, type bit 3 clear) with the E bit (type bit 2). */
    return (s->attr & SEG_ATTR_S) && !(s->attr & 8) && (s->attr & 4);
}

/* The hflags bits segment i contributes (the cache's lim_end up to date). */
static uint32_t seg_hflags(const SegCache *s, int i, bool pm)
{
    uint32_t hf = 0;
    if (s->base == 0)
        hf |= 1u << (HF_SEGBASE0_SHIFT + i);
    if (pm && seg_is_expand_down(s) && i != CPU_CS)
        hf |= HF_EXPDOWN;
    else if (s->limit == 0xffffffff && s->lim_end == (1ull << 32) &&
             (i == CPU_CS || s->lim_end_w == (1ull << 32)))
        hf |= 1u << (HF_SEGNOLIM_SHIFT + i);
    return hf;
}

/* lim_end/lim_end_w and hf of segment i after base/limit/attr changed. */
static void seg_cache_update(SegCache *s, int i, bool protected_mode)
{
    seg_cache_limits(s, protected_mode);
    s->hf = seg_hflags(s, i, protected_mode);
}

/* hflags from the mode and the segment caches as they are. */
static void hflags_compute(CpuState *env)
{
    bool pe = env->cr[0] & CR0_PE, vm = pe && (env->eflags & EF_VM);
    bool pm = pe && !vm;     /* descriptor semantics apply */
    uint32_t hf = env->hflags & HF_INHIBIT_IRQ;

    /* CPL: 0 in real mode, 3 in V86 mode, else SS.DPL, which always equals
     * CPL in protected mode (SDM Vol. 3C 26.3.1.5) and, unlike CS.RPL, is
     * right in the window between setting CR0.PE and the far jump. */
    if (vm)
        hf |= 3;
    else if (pe)
        hf |= (env->seg[CPU_SS].attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
    if (pe)
        hf |= HF_PE;
    if (vm)
        hf |= HF_VM;
    if (pm && (env->seg[CPU_CS].attr & SEG_ATTR_DB))
        hf |= HF_CS32;
    if (pm && (env->seg[CPU_SS].attr & SEG_ATTR_DB))
        hf |= HF_SS32;
    if (env->eflags & EF_TF)
        hf |= HF_TF;
    hf |= (env->cr[0] & CR0_EM) ? HF_EM : 0;
    hf |= (env->cr[0] & CR0_MP) ? HF_MP : 0;
    hf |= (env->cr[0] & CR0_TS) ? HF_TS : 0;
    hf |= (env->cr[4] & CR4_OSFXSR) ? HF_OSFXSR : 0;
    hf |= ((env->eflags & EF_IOPL) >> EF_IOPL_SHIFT) << HF_IOPL_SHIFT;
    for (int i = 0; i < 6; i++)
        hf |= env->seg[i].hf;
    env->hflags = hf;
}

static bool hflags_pm(uint32_t hf)
{
    return (hf & HF_PE) && !(hf & HF_VM);
}

void cpu_update_hflags(CpuState *env)
{
    bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
    for (int i = 0; i < 6; i++)
        seg_cache_update(&env->seg[i], i, pm);
    hflags_compute(env);
}

void cpu_update_hflags_mode(CpuState *env)
{
    bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
    if (pm != hflags_pm(env->hflags))
        cpu_update_hflags(env);         /* the caches' derived fields depend on it */
    else
        hflags_compute(env);
}

/* -- EFLAGS ------------------------------------------------------------------------- */

uint32_t cpu_compute_eflags(CpuState *env)
{
    uint32_t arith = cc_compute_all((uint32_t)env->cc_op, env->cc_dst, env->cc_src,
                                    env->cc_src2);
    return (env->eflags & ~(uint32_t)EF_ARITH) | arith | EF_FIXED1;
}

void cpu_load_eflags(CpuState *env, uint32_t eflags, uint32_t mask)
{
    uint32_t cur = cpu_compute_eflags(env);
    uint32_t v = (cur & ~mask) | (eflags & mask);
    /* Bits 3, 5, 15 and 22-31 are reserved 0, bit 1 reserved 1. */
    v = (v & 0x003f7fd5) | EF_FIXED1;
    env->cc_src = v & EF_ARITH;
    env->cc_op = CC_OP_EFLAGS;
    env->eflags = v & ~(uint32_t)EF_ARITH;
    env->df = (v & EF_DF) ? -1 : 1;
    cpu_update_hflags_mode(env);
}

/* -- Segments ----------------------------------------------------------------------- */

void cpu_decode_descriptor(uint32_t lo, uint32_t hi, uint32_t *base, uint32_t *limit,
                           uint16_t *attr)
{
    /* SDM Vol. 3A 3.4.5: base 15:0 in lo 31:16, 23:16 in hi 7:0, 31:24 in hi 31:24;
     * limit 15:0 in lo 15:0 and 19:16 in hi 19:16, scaled by 4 KiB when G. */
    uint32_t lim = (lo & 0xffff) | (hi & 0x000f0000);
    *base = (lo >> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000);
    *attr = (uint16_t)(((hi >> 8) & 0xff) | (((hi >> 20) & 0xf) << 8));
    if (hi & (1u << 23))
        lim = (lim << 12) | 0xfff;
    *limit = lim;
}

void cpu_set_seg_cache(CpuState *env, int seg, uint16_t selector, uint32_t base,
                       uint32_t limit, uint16_t attr)
{
    SegCache *s = &env->seg[seg];
    bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
    s->selector = selector;
    s->base = base;
    s->limit = limit;
    s->attr = attr;
    /* The other caches are up to date unless the mode changed since hflags
     * were last computed (a load in the middle of a mode switch). */
    if (pm != hflags_pm(env->hflags)) {
        cpu_update_hflags(env);
        return;
    }
    seg_cache_update(s, seg, pm);
    hflags_compute(env);
}

void cpu_load_seg_real(CpuState *env, int seg, uint16_t selector)
{
    SegCache *s = &env->seg[seg];
    uint32_t limit = s->limit;
    uint16_t attr = s->attr;
    /* Real mode keeps the cached limit and attributes (which is what makes
     * "unreal mode" work); V86 mode sets them (SDM Vol. 3A 20.1.1). */
    if (env->eflags & EF_VM) {
        limit = 0xffff;
        attr = SEG_ATTR_P | SEG_ATTR_S | (seg == CPU_CS ? 0xb : 3) | (3 << SEG_ATTR_DPL_SHIFT);
    }
    cpu_set_seg_cache(env, seg, selector, (uint32_t)selector << 4, limit, attr);
}

/* -- Control registers and the TLB ---------------------------------------------------- */

void cpu_tlb_flush(CpuState *env)
{
    tlb_flush(&env->tcg);
    memset(env->cpu->jmp_cache, 0, sizeof(env->cpu->jmp_cache));
}

void cpu_tlb_flush_page(CpuState *env, uint32_t addr)
{
    tlb_flush_page(&env->tcg, addr);
    /* The jump cache is keyed by linear pc: drop everything that may point
     * into the page (cheap enough for INVLPG's frequency). */
    memset(env->cpu->jmp_cache, 0, sizeof(env->cpu->jmp_cache));
}

void cpu_set_cr0(CpuState *env, uint32_t v)
{
    uint32_t changed = env->cr[0] ^ v;
    env->cr[0] = v | CR0_ET;            /* ET is hardwired to 1 (SDM Vol. 3A 2.5) */
    if (changed & (CR0_PG | CR0_WP | CR0_PE))
        cpu_tlb_flush(env);
    cpu_update_hflags_mode(env);
}

void cpu_set_cr3(CpuState *env, uint32_t v)
{
    env->cr[3] = v;
    /* Global pages survive a CR3 load when CR4.PGE is set (SDM Vol. 3A 4.10.4.1). */
    if (env->cr[4] & CR4_PGE) {
        tlb_flush_nonglobal(&env->tcg);
        memset(env->cpu->jmp_cache, 0, sizeof(env->cpu->jmp_cache));
    } else {
        cpu_tlb_flush(env);
    }
}

void cpu_set_cr4(CpuState *env, uint32_t v)
{
    if ((env->cr[4] ^ v) & (CR4_PSE | CR4_PAE | CR4_PGE))
        cpu_tlb_flush(env);
    env->cr[4] = v;
    cpu_update_hflags_mode(env);
}

/* -- I/O permission ------------------------------------------------------------------- */

void cpu_check_io(CpuState *env, uint32_t port, unsigned size, uintptr_t ra)
{
    uint32_t iopl = (env->eflags & EF_IOPL) >> EF_IOPL_SHIFT;
    uint32_t map, bits;
    if (!(env->cr[0] & CR0_PE) || (!(env->eflags & EF_VM) && (uint32_t)cpu_cpl(env) <= iopl))
        return;
    /* The I/O permission bitmap of a 32-bit TSS (SDM Vol. 1 18.5.2). */
    if ((env->tr.attr & 0xf) != 9 && (env->tr.attr & 0xf) != 11)
        raise_exception_err(env, EXCP_GP, 0, ra);
    if (env->tr.limit < 0x67)
        raise_exception_err(env, EXCP_GP, 0, ra);
    map = cpu_ld16_sys(env, env->tr.base + 0x66, ra) + (port >> 3);
    if (map + 1 > env->tr.limit)
        raise_exception_err(env, EXCP_GP, 0, ra);
    bits = cpu_ld16_sys(env, env->tr.base + map, ra) >> (port & 7);
    if (bits & ((1u << size) - 1))
        raise_exception_err(env, EXCP_GP, 0, ra);
}
