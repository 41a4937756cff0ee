/* helpers_sse_state.c — MXCSR loads, FXSAVE/FXRSTOR, masked stores, write
 * probes and the pending-x87 check of MMX instructions (helpers_sse.def).
 *
 * Multi-byte stores first make sure every page they touch is writable
 * (x86_tlb_fill raises the #PF), so a fault leaves memory untouched; loads
 * read everything before any state changes.
 */
#include <string.h>
#include "cpu/exec.h"
#include "cpu/helpers.h"

/* MXCSR bits 16-31 are reserved: MXCSR_MASK is FFFFh (DAZ supported; the
 * FXSAVE image says so, see cpu_get_fxsave). */
#define MXCSR_RESERVED 0xffff0000u
/* FXSAVE writes the legacy area and XMM0-7 (SDM Vol. 1 table 10-2); bytes
 * 288-511 are reserved or available to software and are not written. */
#define FXSAVE_USED 288

void helper_ldmxcsr(CpuState *env, uint32_t v)
{
    if (v & MXCSR_RESERVED)
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    env->mxcsr = v;
}

/* Raise any #PF a write to [addr, addr + len) would, before writing. */
static void probe_write(CpuState *env, uint32_t addr, uint32_t len, uintptr_t ra)
{
    uint32_t last = addr + len - 1;
    int mmu = cpu_mmu_index(env);
    x86_tlb_fill(env, addr & GUEST_PAGE_MASK, ACCESS_WRITE, mmu, false, ra);
    if ((last & GUEST_PAGE_MASK) != (addr & GUEST_PAGE_MASK))
        x86_tlb_fill(env, last & GUEST_PAGE_MASK, ACCESS_WRITE, mmu, false, ra);
}

void helper_probe_write(CpuState *env, uint32_t addr, uint32_t len)
{
    probe_write(env, addr, len, GETPC());
}

void helper_fxsave(CpuState *env, uint32_t addr)
{
    uintptr_t ra = GETPC();
    uint8_t img[512];
    cpu_get_fxsave(env->cpu, img);
    probe_write(env, addr, FXSAVE_USED, ra);
    for (unsigned i = 0; i < FXSAVE_USED; i += 4)
        cpu_st32(env, addr + i, ld32(img + i), ra);
}

/* FXRSTOR: #GP(0) for reserved MXCSR bits (SDM FXRSTOR), checked after
 * the whole image is read and before anything is restored. */
void helper_fxrstor(CpuState *env, uint32_t addr)
{
    uintptr_t ra = GETPC();
    uint8_t img[512];
    memset(img, 0, sizeof(img));
    for (unsigned i = 0; i < FXSAVE_USED; i += 4)
        st32(img + i, cpu_ld32(env, addr + i, ra));
    if (ld32(img + 24) & MXCSR_RESERVED)
        raise_exception_err(env, EXCP_GP, 0, ra);
    cpu_set_fxsave(env->cpu, img);
}

/* MASKMOVQ / MASKMOVDQU: the bytes whose mask byte has its top bit set. A
 * mask of all zeros writes nothing and so cannot fault. */
static void maskmov(CpuState *env, uint32_t addr, const uint8_t *data, const uint8_t *mask,
                    unsigned n, uintptr_t ra)
{
    bool any = false;
    for (unsigned i = 0; i < n; i++)
        any |= mask[i] >> 7;
    if (!any)
        return;
    probe_write(env, addr, n, ra);
    for (unsigned i = 0; i < n; i++)
        if (mask[i] & 0x80)
            cpu_st8(env, addr + i, data[i], ra);
}

void helper_maskmovq(CpuState *env, uint32_t addr, uint64_t data, uint64_t mask)
{
    uint8_t b[8], m[8];
    st64(b, data);
    st64(m, mask);
    maskmov(env, addr, b, m, 8, GETPC());
}

void helper_maskmovdqu(CpuState *env, uint32_t addr, uint32_t src, uint32_t msk)
{
    uint8_t b[16], m[16];
    memcpy(b, env->xmm[src & 15].b, 16);
    memcpy(m, env->xmm[msk & 15].b, 16);
    maskmov(env, addr, b, m, 16, GETPC());
}

/* FSW.ES is set: with CR0.NE the pending x87 exception is taken as #MF
 * before the MMX instruction. With NE clear, PC-style error reporting
 * (FERR#, IRQ 13, IGNNE#) belongs to the x87 unit and the board; the MMX
 * instruction then runs as with IGNNE# asserted. */
void helper_mmx_fpu_pending(CpuState *env)
{
    if (env->cr[0] & CR0_NE)
        raise_exception(env, EXCP_MF, GETPC());
}
