/* paging.c — the x86 page walk (SDM Vol. 3A chapter 4) behind the softmmu
 * TLB: 32-bit paging with 4 MiB PSE pages, and PAE paging with 2 MiB pages
 * and NX. Sets accessed/dirty bits as hardware does, raises #PF with CR2 and
 * the error code, and fills TLB entries with the permissions of the walk.
 *
 * A page whose dirty bit is clear is entered read-only (even if writable)
 * so that the first write walks again and sets D.
 */
#include "cpu/seg.h"
#include "base/log.h"

/* #PF error code bits (SDM Vol. 3A 4.7) */
enum { PFERR_P = 1, PFERR_W = 2, PFERR_U = 4, PFERR_RSVD = 8, PFERR_I = 16 };
/* Paging-structure entry bits */
enum { PG_P = 1, PG_RW = 2, PG_US = 4, PG_A = 0x20, PG_D = 0x40, PG_PS = 0x80, PG_G = 0x100 };
#define PG_NX (1ull << 63)
#define PAE_ADDR_MASK 0x000ffffffffff000ull   /* 52-bit physical addresses */
#define PHYS_BITS 36                            /* what CPUID reports (PAE) */
#define PAE_RSVD_HIGH (((1ull << 52) - 1) & ~((1ull << PHYS_BITS) - 1))

typedef struct Walk {
    uint64_t paddr;
    uint64_t page_size;
    int prot;
    bool global;
    uint32_t error;         /* #PF error code on failure */
} Walk;

static uint64_t phys_ld(CpuState *env, uint64_t pa, bool wide)
{
    pa &= env->a20_mask | 0xffffffff00000000ull;
    return memmap_read(env->cpu->mem, pa, wide ? 8 : 4);
}

static void phys_set_bits(CpuState *env, uint64_t pa, uint64_t entry, uint64_t bits, bool wide)
{
    if ((entry & bits) == bits || env->walk_debug)
        return;
    pa &= env->a20_mask | 0xffffffff00000000ull;
    /* Only the low dword holds A and D. */
    memmap_write(env->cpu->mem, pa, (uint32_t)(entry | bits), 4);
    (void)wide;
}

/* Combine the permissions of all levels and check the access. */
static bool check_access(CpuState *env, uint64_t eff, AccessType access, bool user,
                         bool nx_enabled, Walk *w)
{
    bool can_write = eff & PG_RW, is_user_page = eff & PG_US;
    bool wp = env->cr[0] & CR0_WP;
    int prot = PROT_R | PROT_X;
    if (nx_enabled && (eff & PG_NX))
        prot &= ~PROT_X;
    if (user) {
        if (!is_user_page)
            return false;
        if (can_write)
            prot |= PROT_W;
    } else {
        /* Supervisor: writes allowed to read-only pages unless CR0.WP (4.6.1). */
        if (can_write || !wp)
            prot |= PROT_W;
    }
    if (access == ACCESS_WRITE && !(prot & PROT_W))
        return false;
    if (access == ACCESS_FETCH && !(prot & PROT_X))
        return false;
    w->prot = prot;
    return true;
}

static bool walk32(CpuState *env, uint32_t va, AccessType access, bool user, Walk *w)
{
    bool pse = env->cr[4] & CR4_PSE;
    uint64_t pde_addr = (env->cr[3] & 0xfffff000) + ((va >> 22) << 2);
    uint32_t pde = (uint32_t)phys_ld(env, pde_addr, false), pte, eff;
    uint64_t pte_addr;

    if (!(pde & PG_P))
        return false;
    if (pse && (pde & PG_PS)) {
        /* 4 MiB page; PSE-36 bits 20:13 are not offered (CPUID.PSE36 = 0). */
        if (pde & 0x003fe000) {
            w->error |= PFERR_RSVD | PFERR_P;
            return false;
        }
        if (!check_access(env, pde, access, user, false, w)) {
            w->error |= PFERR_P;
            return false;
        }
        phys_set_bits(env, pde_addr, pde, PG_A | (access == ACCESS_WRITE ? PG_D : 0), false);
        if (!(pde & PG_D) && access != ACCESS_WRITE)
            w->prot &= ~PROT_W;
        w->paddr = (pde & 0xffc00000) | (va & 0x003ff000);
        w->page_size = 4u << 20;
        w->global = (pde & PG_G) && (env->cr[4] & CR4_PGE);
        return true;
    }
    pte_addr = (pde & 0xfffff000) + (((va >> 12) & 0x3ff) << 2);
    pte = (uint32_t)phys_ld(env, pte_addr, false);
    if (!(pte & PG_P))
        return false;
    eff = pte & pde;    /* RW and US are ANDed across levels */
    if (!check_access(env, eff, access, user, false, w)) {
        w->error |= PFERR_P;
        return false;
    }
    phys_set_bits(env, pde_addr, pde, PG_A, false);
    phys_set_bits(env, pte_addr, pte, PG_A | (access == ACCESS_WRITE ? PG_D : 0), false);
    if (!(pte & PG_D) && access != ACCESS_WRITE)
        w->prot &= ~PROT_W;
    w->paddr = pte & 0xfffff000;
    w->page_size = GUEST_PAGE_SIZE;
    w->global = (pte & PG_G) && (env->cr[4] & CR4_PGE);
    return true;
}

static bool walk_pae(CpuState *env, uint32_t va, AccessType access, bool user, Walk *w)
{
    bool nxe = env->efer & EFER_NXE;
    uint64_t rsvd = PAE_RSVD_HIGH | (nxe ? 0 : PG_NX);
    uint64_t pdpte_addr = (env->cr[3] & 0xffffffe0) + ((va >> 30) << 3);
    uint64_t pdpte = phys_ld(env, pdpte_addr, true), pde, pte, pde_addr, pte_addr, eff;

    if (!(pdpte & PG_P))
        return false;
    /* PDPTEs have no RW/US/NX; bits 2:1 and 8:5 are reserved (4.4.1). */
    if ((pdpte & (PAE_RSVD_HIGH | PG_NX | 0x1e6))) {
        w->error |= PFERR_RSVD | PFERR_P;
        return false;
    }
    pde_addr = (pdpte & PAE_ADDR_MASK) + (((va >> 21) & 0x1ff) << 3);
    pde = phys_ld(env, pde_addr, true);
    if (!(pde & PG_P))
        return false;
    if (pde & rsvd) {
        w->error |= PFERR_RSVD | PFERR_P;
        return false;
    }
    if (pde & PG_PS) {
        if (pde & 0x1fe000) {           /* bits 20:13 reserved in a 2 MiB PDE */
            w->error |= PFERR_RSVD | PFERR_P;
            return false;
        }
        if (!check_access(env, pde, access, user, nxe, w)) {
            w->error |= PFERR_P;
            return false;
        }
        phys_set_bits(env, pde_addr, pde, PG_A | (access == ACCESS_WRITE ? PG_D : 0), true);
        if (!(pde & PG_D) && access != ACCESS_WRITE)
            w->prot &= ~PROT_W;
        w->paddr = (pde & PAE_ADDR_MASK & ~0x1fffffull) | (va & 0x1ff000);
        w->page_size = 2u << 20;
        w->global = (pde & PG_G) && (env->cr[4] & CR4_PGE);
        return true;
    }
    pte_addr = (pde & PAE_ADDR_MASK) + (((va >> 12) & 0x1ff) << 3);
    pte = phys_ld(env, pte_addr, true);
    if (!(pte & PG_P))
        return false;
    if (pte & rsvd) {
        w->error |= PFERR_RSVD | PFERR_P;
        return false;
    }
    /* RW/US are ANDed; NX is ORed (any level with XD forbids fetches). */
    eff = (pte & pde & (PG_RW | PG_US)) | ((pte | pde) & PG_NX);
    if (!check_access(env, eff, access, user, nxe, w)) {
        w->error |= PFERR_P;
        return false;
    }
    phys_set_bits(env, pde_addr, pde, PG_A, true);
    phys_set_bits(env, pte_addr, pte, PG_A | (access == ACCESS_WRITE ? PG_D : 0), true);
    if (!(pte & PG_D) && access != ACCESS_WRITE)
        w->prot &= ~PROT_W;
    w->paddr = pte & PAE_ADDR_MASK;
    w->page_size = GUEST_PAGE_SIZE;
    w->global = (pte & PG_G) && (env->cr[4] & CR4_PGE);
    return true;
}

static bool walk(CpuState *env, uint32_t va, AccessType access, int mmu_idx, Walk *w)
{
    bool user = mmu_idx == MMU_USER;
    w->error = (access == ACCESS_WRITE ? PFERR_W : 0) | (user ? PFERR_U : 0);
    if (access == ACCESS_FETCH && (env->cr[4] & CR4_PAE) && (env->efer & EFER_NXE))
        w->error |= PFERR_I;
    if (!(env->cr[0] & CR0_PG)) {
        w->paddr = va & GUEST_PAGE_MASK;
        w->page_size = GUEST_PAGE_SIZE;
        w->prot = PROT_R | PROT_W | PROT_X;
        w->global = false;
        return true;
    }
    return (env->cr[4] & CR4_PAE) ? walk_pae(env, va, access, user, w)
                                  : walk32(env, va, access, user, w);
}

bool x86_tlb_fill(void *opaque, uint64_t vaddr, AccessType access, int mmu_idx, bool probe,
                  uintptr_t ra)
{
    CpuState *env = opaque;
    uint32_t va = (uint32_t)vaddr;
    Walk w;

    if (!walk(env, va, access, mmu_idx, &w)) {
        if (probe)
            return false;
        LOG(LOG_MMU, "#PF at 0x%08x error 0x%x\n", va, w.error);
        env->cr[2] = va;
        raise_exception_err(env, EXCP_PF, w.error, ra);
    }
    w.paddr &= (uint64_t)env->a20_mask | 0xffffffff00000000ull;
    tlb_set_page(&env->tcg, va & GUEST_PAGE_MASK, w.paddr, w.prot, mmu_idx, w.page_size,
                 w.global);
    return true;
}

/* PAE: the PDPTEs a CR3 load would fetch must be free of reserved bits
 * (SDM Vol. 3A 4.4.1: otherwise the MOV to CR0/CR3/CR4 raises #GP(0)). */
bool x86_pdptes_valid(CpuState *env, uint32_t cr3)
{
    for (uint32_t i = 0; i < 4; i++) {
        uint64_t e = phys_ld(env, (cr3 & 0xffffffe0) + i * 8, true);
        if ((e & PG_P) && (e & (PAE_RSVD_HIGH | PG_NX | 0x1e6)))
            return false;
    }
    return true;
}

bool x86_translate_debug(CpuState *env, uint32_t vaddr, uint64_t *paddr)
{
    Walk w;
    bool ok;
    env->walk_debug = true;     /* no accessed/dirty bit updates */
    ok = walk(env, vaddr, ACCESS_READ, MMU_KERNEL, &w);
    env->walk_debug = false;
    if (!ok)
        return false;
    *paddr = (w.paddr & ((uint64_t)env->a20_mask | 0xffffffff00000000ull)) |
             (vaddr & (GUEST_PAGE_SIZE - 1));
    return true;
}
