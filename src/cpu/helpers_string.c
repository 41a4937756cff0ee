/* helpers_string.c — REP MOVS/CMPS/STOS/LODS/SCAS (SDM Vol. 2 REP and the
 * string instructions), the helper behind gen_string.c's REP path.
 *
 * One call does at most REP_CHUNK iterations (fewer when eCX runs out or a
 * REPE/REPNE condition stops it) and returns 1 when the instruction must run
 * again; that count depends on the guest registers alone, so instruction
 * counts stay exact and the loop sees interrupts between chunks.
 *
 * Fast path: a run of elements that stays inside one page on each side,
 * within the segment limits and without wrapping the address size, whose
 * pages hit the TLB as plain RAM (read tag, or write tag with no
 * NOTDIRTY/MMIO bit) is done on host memory directly. Everything else —
 * TLB misses, MMIO, code or not-yet-dirty pages, elements crossing a page,
 * expand-down segments — goes element by element through the TLB slow path,
 * which fills the TLB (so the next run is fast), raises faults at the exact
 * element and handles self-modifying code. eCX/eSI/eDI are updated after
 * each run or element, so a fault leaves the state of the elements done;
 * CMPS/SCAS set their flags once at the end. Overlapping MOVS copies keep
 * the element-by-element result (a forward copy onto its own source
 * repeats the pattern).
 */
#include <string.h>
#include "cpu/exec.h"
#include "cpu/helpers.h"
#include "cpu/gen_int_util.h"

typedef struct Rep {
    int ot, kind, seg;
    unsigned size;
    uint32_t am;                /* address-size mask */
    int32_t step;               /* +size or -size (EFLAGS.DF) */
    bool repnz;
    uintptr_t ra;
} Rep;

static inline uint32_t mask_of(int ot) { return ot >= MO_32 ? 0xffffffffu : (1u << (8 << ot)) - 1; }

static inline void set_reg_bits(CpuState *env, int r, uint32_t v, uint32_t mask)
{
    env->regs[r] = ((uint32_t)env->regs[r] & ~mask) | (v & mask);
}

static inline uint32_t reg(const CpuState *env, int r, uint32_t am)
{
    return (uint32_t)env->regs[r] & am;
}

/* -- Fast runs ------------------------------------------------------------- */

/* How many elements from offset off (going by r->step) pass the segment
 * check of `seg` and stay in one page and in the address size; 0 when the
 * first does not, or the segment needs the full check. */
static uint32_t run_room(const CpuState *env, const Rep *r, int seg, uint32_t off, bool write)
{
    const SegCache *sc = &env->seg[seg];
    uint32_t lin = sc->base + off, in_page = lin & (GUEST_PAGE_SIZE - 1);
    uint64_t n;

    if (r->step > 0) {
        n = (GUEST_PAGE_SIZE - in_page) / r->size;
        n = MIN(n, ((uint64_t)r->am - off + 1) / r->size);
    } else {
        if (in_page + r->size > GUEST_PAGE_SIZE)
            return 0;
        n = in_page / r->size + 1;
        n = MIN(n, (uint64_t)off / r->size + 1);
    }
    if (!hf_seg_nolimit(env->hflags, seg)) {
        uint64_t lim = write ? sc->lim_end_w : sc->lim_end;
        bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
        if (pm && (sc->attr & SEG_ATTR_S) && !(sc->attr & 8) && (sc->attr & 4))
            return 0;                       /* expand-down: element by element */
        if ((uint64_t)off + r->size > lim)
            return 0;
        if (r->step > 0)
            n = MIN(n, (lim - off) / r->size);
    }
    return (uint32_t)n;
}

/* Host address of the element at lin if its page is plain RAM in the TLB
 * for this access, else NULL. */
static uint8_t *host_at(CpuState *env, uint32_t lin, bool write)
{
    TlbEntry *e = &env->tlb.e[cpu_mmu_index(env)][tlb_index(lin)];
    uint64_t tag = write ? e->addr_write : e->addr_read;
    if (tag != (lin & TLB_PAGE_MASK))
        return NULL;
    return (uint8_t *)(uintptr_t)(lin + e->addend);
}

/* Copy k elements the way the CPU does, one after the other. s and d point
 * at the first element; the run goes down when step < 0. */
static void copy_run(uint8_t *d, const uint8_t *s, uint32_t k, unsigned size, int32_t step)
{
    size_t len = (size_t)k * size;
    uint8_t *dlo = step > 0 ? d : d - len + size;
    const uint8_t *slo = step > 0 ? s : s - len + size;
    /* Only a destination just ahead of the source in the copy direction
     * reads bytes the copy itself wrote; memmove gives the rest. */
    bool hazard = step > 0 ? (dlo > slo && dlo < slo + len) : (dlo < slo && dlo + len > slo);
    if (!hazard) {
        memmove(dlo, slo, len);
        return;
    }
    for (uint32_t i = 0; i < k; i++) {
        uint64_t v;
        memcpy(&v, s, size);
        memcpy(d, &v, size);
        s += step;
        d += step;
    }
}

static void fill_run(uint8_t *d, uint32_t k, unsigned size, int32_t step, uint32_t v)
{
    if (step < 0)
        d -= (size_t)(k - 1) * size;
    if (size == 1) {
        memset(d, (int)(v & 0xff), k);
        return;
    }
    for (uint32_t i = 0; i < k; i++, d += size)
        memcpy(d, &v, size);
}

/* Compare up to k elements; returns how many were compared (the last one
 * stopping it, if one did) and leaves that pair in *a, *b. s is NULL for
 * SCAS (compare with *a). */
static uint32_t cmp_run(const Rep *r, const uint8_t *s, const uint8_t *d, uint32_t k,
                        uint32_t *a, uint32_t *b, bool *stop)
{
    uint32_t acc = *a;
    for (uint32_t i = 0; i < k; i++) {
        uint32_t x = acc, y = 0;
        if (s) {
            x = 0;
            memcpy(&x, s, r->size);
            s += r->step;
        }
        memcpy(&y, d, r->size);
        d += r->step;
        if ((x == y) == r->repnz) {
            *a = x;
            *b = y;
            *stop = true;
            return i + 1;
        }
        if (i + 1 == k) {
            *a = x;
            *b = y;
        }
    }
    return k;
}

/* One fast run of at most n elements; returns how many it did (0: take the
 * slow path for one element). */
static uint32_t fast_run(CpuState *env, const Rep *r, uint32_t n, uint32_t *a, uint32_t *b,
                         bool *stop)
{
    uint32_t si = reg(env, CPU_ESI, r->am), di = reg(env, CPU_EDI, r->am), k = n;
    uint8_t *hs = NULL, *hd = NULL;
    bool uses_si = r->kind != REP_STOS && r->kind != REP_SCAS;
    bool uses_di = r->kind != REP_LODS;

    if (uses_si) {
        k = MIN(k, run_room(env, r, r->seg, si, false));
        if (k == 0 || !(hs = host_at(env, env->seg[r->seg].base + si, false)))
            return 0;
    }
    if (uses_di) {
        bool write = r->kind == REP_MOVS || r->kind == REP_STOS;
        k = MIN(k, run_room(env, r, CPU_ES, di, write));
        if (k == 0 || !(hd = host_at(env, env->seg[CPU_ES].base + di, write)))
            return 0;
    }
    switch (r->kind) {
    case REP_MOVS:
        copy_run(hd, hs, k, r->size, r->step);
        break;
    case REP_STOS:
        fill_run(hd, k, r->size, r->step, (uint32_t)env->regs[CPU_EAX] & mask_of(r->ot));
        break;
    case REP_LODS: {
        uint32_t v = 0;
        memcpy(&v, hs + (int64_t)(k - 1) * r->step, r->size);
        set_reg_bits(env, CPU_EAX, v, mask_of(r->ot));
        break;
    }
    case REP_CMPS:
        k = cmp_run(r, hs, hd, k, a, b, stop);
        break;
    default:
        *a = (uint32_t)env->regs[CPU_EAX] & mask_of(r->ot);
        k = cmp_run(r, NULL, hd, k, a, b, stop);
        break;
    }
    return k;
}

/* -- One element through the TLB slow path ----------------------------------- */

static uint32_t str_ld(CpuState *env, const Rep *r, int seg, uint32_t off)
{
    uint32_t lin = cpu_seg_lin(env, seg, off, r->size, false, r->ra);
    return cpu_ld_mmu(env, lin, r->ot, cpu_mmu_index(env), r->ra);
}

static void str_st(CpuState *env, const Rep *r, uint32_t off, uint32_t v)
{
    uint32_t lin = cpu_seg_lin(env, CPU_ES, off, r->size, true, r->ra);
    cpu_st_mmu(env, lin, v, r->ot, cpu_mmu_index(env), r->ra);
}

static void slow_element(CpuState *env, const Rep *r, uint32_t *a, uint32_t *b, bool *stop)
{
    uint32_t si = reg(env, CPU_ESI, r->am), di = reg(env, CPU_EDI, r->am);
    switch (r->kind) {
    case REP_MOVS:
        str_st(env, r, di, str_ld(env, r, r->seg, si));
        break;
    case REP_CMPS:
        *a = str_ld(env, r, r->seg, si);
        *b = str_ld(env, r, CPU_ES, di);
        break;
    case REP_STOS:
        str_st(env, r, di, (uint32_t)env->regs[CPU_EAX] & mask_of(r->ot));
        break;
    case REP_LODS:
        set_reg_bits(env, CPU_EAX, str_ld(env, r, r->seg, si), mask_of(r->ot));
        break;
    default:
        *a = (uint32_t)env->regs[CPU_EAX] & mask_of(r->ot);
        *b = str_ld(env, r, CPU_ES, di);
        break;
    }
    if (r->kind == REP_CMPS || r->kind == REP_SCAS)
        *stop = (*a == *b) == r->repnz;
}

/* eSI/eDI/eCX after k elements. */
static void advance(CpuState *env, const Rep *r, uint32_t k)
{
    uint32_t delta = (uint32_t)((int64_t)r->step * k);
    if (r->kind != REP_STOS && r->kind != REP_SCAS)
        set_reg_bits(env, CPU_ESI, reg(env, CPU_ESI, r->am) + delta, r->am);
    if (r->kind != REP_LODS)
        set_reg_bits(env, CPU_EDI, reg(env, CPU_EDI, r->am) + delta, r->am);
    set_reg_bits(env, CPU_ECX, reg(env, CPU_ECX, r->am) - k, r->am);
}

/* desc: REP_DESC (gen_int_util.h). */
uint32_t helper_rep_string(CpuState *env, uint32_t desc)
{
    Rep r = {
        .ot = desc & 3, .kind = (desc >> 8) & 7, .seg = (desc >> 4) & 7,
        .am = (desc & 4) ? 0xffffffffu : 0xffff, .repnz = desc & (1u << 12), .ra = GETPC(),
    };
    uint32_t n = MIN(reg(env, CPU_ECX, r.am), (uint32_t)REP_CHUNK), done = 0, a = 0, b = 0;
    bool cmp = r.kind == REP_CMPS || r.kind == REP_SCAS, stop = false;

    r.size = 1u << r.ot;
    r.step = env->df * (int32_t)r.size;
    while (done < n && !stop) {
        uint32_t k = fast_run(env, &r, n - done, &a, &b, &stop);
        if (k == 0) {
            slow_element(env, &r, &a, &b, &stop);
            k = 1;
        }
        advance(env, &r, k);
        done += k;
    }
    if (cmp && done > 0) {
        env->cc_op = CC_OP_SUBB + (uint32_t)r.ot;
        env->cc_dst = (a - b) & mask_of(r.ot);
        env->cc_src = b;
    }
    return !stop && reg(env, CPU_ECX, r.am) != 0;
}
