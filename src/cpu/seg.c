/* seg.c — descriptors, segment register loads and system stacks (seg.h).
 *
 * Segment loads follow SDM Vol. 2 MOV/POP "Protected Mode Exceptions" and
 * Vol. 3A 5.5-5.10; real and virtual-8086 mode loads are selector << 4
 * (cpu_load_seg_real). A descriptor's accessed bit is written before the
 * register changes, so a page fault on the GDT leaves the old state.
 */
#include "cpu/seg.h"
#include "base/log.h"

/* -- Descriptors ------------------------------------------------------------- */

bool desc_fetch(CpuState *env, uint16_t sel, Desc *d, uintptr_t ra)
{
    uint32_t base = env->gdt_base, limit = env->gdt_limit, idx = sel & ~7u;

    if (sel & 4) {
        if (!(env->ldt.attr & SEG_ATTR_P))
            return false;
        base = env->ldt.base;
        limit = env->ldt.limit;
    }
    if (idx + 7 > limit)
        return false;
    d->addr = base + idx;
    d->lo = cpu_ld32_sys(env, d->addr, ra);
    d->hi = cpu_ld32_sys(env, d->addr + 4, ra);
    cpu_decode_descriptor(d->lo, d->hi, &d->base, &d->limit, &d->attr);
    return true;
}

void desc_fetch_or_raise(CpuState *env, uint16_t sel, Desc *d, int excp, uint32_t err,
                         uintptr_t ra)
{
    if (!desc_fetch(env, sel, d, ra))
        raise_exception_err(env, excp, err, ra);
}

void desc_set_accessed(CpuState *env, Desc *d, uintptr_t ra)
{
    if (d->hi & 0x100)
        return;
    d->hi |= 0x100;
    d->attr |= 1;
    cpu_st32_sys(env, d->addr + 4, d->hi, ra);
}

void desc_set_busy(CpuState *env, Desc *d, bool busy, uintptr_t ra)
{
    uint32_t hi = busy ? d->hi | 0x200 : d->hi & ~0x200u;
    if (hi == d->hi)
        return;
    d->hi = hi;
    d->attr = busy ? d->attr | 2 : d->attr & ~2;
    cpu_st32_sys(env, d->addr + 4, hi, ra);
}

/* -- Segment registers ---------------------------------------------------------- */

void seg_load_desc(CpuState *env, int seg, uint16_t sel, const Desc *d)
{
    cpu_set_seg_cache(env, seg, sel, d->base, d->limit, d->attr);
}

void seg_load_null(CpuState *env, int seg, uint16_t sel)
{
    cpu_set_seg_cache(env, seg, sel, 0, 0, 0);
}

/* SS: a writable data segment with DPL = RPL = CPL (SDM MOV). */
static void load_ss(CpuState *env, uint16_t sel, uintptr_t ra)
{
    int cpl = cpu_cpl(env);
    Desc d;

    if (sel_null(sel))
        raise_exception_err(env, EXCP_GP, 0, ra);
    desc_fetch_or_raise(env, sel, &d, EXCP_GP, sel_err(sel), ra);
    if ((sel & 3) != cpl || !desc_writable_data(&d) || desc_dpl(&d) != cpl)
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(&d))
        raise_exception_err(env, EXCP_SS, sel_err(sel), ra);
    desc_set_accessed(env, &d, ra);
    seg_load_desc(env, CPU_SS, sel, &d);
}

/* DS/ES/FS/GS: data or readable code; privilege checked unless conforming. */
static void load_data_seg(CpuState *env, int seg, uint16_t sel, uintptr_t ra)
{
    int cpl = cpu_cpl(env), dpl;
    Desc d;

    if (sel_null(sel)) {
        seg_load_null(env, seg, sel);
        return;
    }
    desc_fetch_or_raise(env, sel, &d, EXCP_GP, sel_err(sel), ra);
    dpl = desc_dpl(&d);
    if (!desc_readable(&d))
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_conforming(&d) && ((sel & 3) > dpl || cpl > dpl))
        raise_exception_err(env, EXCP_GP, sel_err(sel), ra);
    if (!desc_present(&d))
        raise_exception_err(env, EXCP_NP, sel_err(sel), ra);
    desc_set_accessed(env, &d, ra);
    seg_load_desc(env, seg, sel, &d);
}

void cpu_load_seg(CpuState *env, int seg, uint16_t sel, uintptr_t ra)
{
    if (!cpu_pm(env))
        cpu_load_seg_real(env, seg, sel);
    else if (seg == CPU_SS)
        load_ss(env, sel, ra);
    else
        load_data_seg(env, seg, sel, ra);
}

void seg_null_invalid(CpuState *env, int cpl)
{
    static const int segs[4] = { CPU_ES, CPU_DS, CPU_FS, CPU_GS };
    for (int i = 0; i < 4; i++) {
        SegCache *s = &env->seg[segs[i]];
        int dpl = (s->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT;
        bool conforming = (s->attr & SEG_ATTR_S) && (s->attr & 0xc) == 0xc;
        if (!(s->attr & SEG_ATTR_P) || conforming || dpl >= cpl)
            continue;
        seg_load_null(env, segs[i], 0);
    }
}

bool seg_range_ok(uint16_t attr, uint32_t limit, uint32_t off, unsigned size)
{
    uint64_t last = (uint64_t)off + size - 1;
    if ((attr & SEG_ATTR_S) && (attr & 0xc) == 4) {    /* expand-down data */
        uint64_t top = (attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffff;
        return off > limit && last <= top;
    }
    return last <= limit;
}

uint32_t seg_data_addr(CpuState *env, int seg, uint32_t off, unsigned size, bool write,
                       uintptr_t ra)
{
    const SegCache *s = &env->seg[seg];
    int excp = seg == CPU_SS ? EXCP_SS : EXCP_GP;

    if (cpu_pm(env)) {
        bool code = s->attr & 8;
        if (!(s->attr & SEG_ATTR_P) || !(s->attr & SEG_ATTR_S))
            raise_exception_err(env, excp, 0, ra);
        if (write ? (code || !(s->attr & 2)) : (code && !(s->attr & 2)))
            raise_exception_err(env, excp, 0, ra);
    }
    if (!seg_range_ok(cpu_pm(env) ? s->attr : (SEG_ATTR_S | 2), s->limit, off, size))
        raise_exception_err(env, excp, 0, ra);
    return s->base + off;
}

/* -- Stacks ---------------------------------------------------------------------- */

void sstack_cur(CpuState *env, SysStack *st)
{
    const SegCache *ss = &env->seg[CPU_SS];
    bool big = cpu_pm(env) && (ss->attr & SEG_ATTR_DB);
    st->base = ss->base;
    st->limit = ss->limit;
    st->attr = cpu_pm(env) ? ss->attr : (SEG_ATTR_P | SEG_ATTR_S | 3);
    st->mask = big ? 0xffffffffu : 0xffff;
    st->sp = (uint32_t)env->regs[CPU_ESP] & st->mask;
    st->mmu = cpu_mmu_index(env);
    st->err = 0;
}

void sstack_new(SysStack *st, const Desc *ss, uint32_t esp, int cpl, uint32_t err)
{
    st->base = ss->base;
    st->limit = ss->limit;
    st->attr = ss->attr;
    st->mask = (ss->attr & SEG_ATTR_DB) ? 0xffffffffu : 0xffff;
    st->sp = esp & st->mask;
    st->mmu = mmu_for_cpl(cpl);
    st->err = err;
}

void sstack_push(CpuState *env, SysStack *st, uint32_t v, unsigned size, uintptr_t ra)
{
    uint32_t sp = (st->sp - size) & st->mask;
    if (!seg_range_ok(st->attr, st->limit, sp, size))
        raise_exception_err(env, EXCP_SS, st->err, ra);
    cpu_st_mmu(env, st->base + sp, v, size == 4 ? MO_32 : MO_16, st->mmu, ra);
    st->sp = sp;
}

uint32_t sstack_pop(CpuState *env, SysStack *st, unsigned size, uintptr_t ra)
{
    uint32_t v;
    if (!seg_range_ok(st->attr, st->limit, st->sp, size))
        raise_exception_err(env, EXCP_SS, st->err, ra);
    v = cpu_ld_mmu(env, st->base + st->sp, size == 4 ? MO_32 : MO_16, st->mmu, ra);
    st->sp = (st->sp + size) & st->mask;
    return v;
}

/* -- TSS -------------------------------------------------------------------------- */

void tss_inner_stack(CpuState *env, int dpl, uint16_t *ss, uint32_t *esp, uint32_t ext,
                     uintptr_t ra)
{
    bool tss32 = (env->tr.attr & 8) != 0;
    uint32_t off = tss32 ? 4 + (uint32_t)dpl * 8 : 2 + (uint32_t)dpl * 4;
    uint32_t err = sel_err(env->tr.selector) + ext;

    /* SDM 6.12.1: ESP and SS (6 bytes) or SP and SS (4 bytes) must fit. */
    if (!(env->tr.attr & SEG_ATTR_P) || off + (tss32 ? 5 : 3) > env->tr.limit)
        raise_exception_err(env, EXCP_TS, err, ra);
    if (tss32) {
        *esp = cpu_ld32_sys(env, env->tr.base + off, ra);
        *ss = (uint16_t)cpu_ld16_sys(env, env->tr.base + off + 4, ra);
    } else {
        *esp = cpu_ld16_sys(env, env->tr.base + off, ra);
        *ss = (uint16_t)cpu_ld16_sys(env, env->tr.base + off + 2, ra);
    }
}
