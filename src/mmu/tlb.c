/* tlb.c — softmmu TLB fills, flushes and the slow-path accesses (see tlb.h). */
#include <string.h>
#include "mmu/tlb.h"
#include "tcg/tcg_cpu.h"
#include "tcg/ir.h"
#include "base/log.h"

/* -- Fill ------------------------------------------------------------------ */

static void note_large_page(Tlb *tlb, int mmu_idx, uint64_t vaddr, uint64_t size)
{
    uint64_t mask = ~(size - 1);
    if (tlb->large_page_addr[mmu_idx] == ~0ull) {
        tlb->large_page_addr[mmu_idx] = vaddr & mask;
        tlb->large_page_mask[mmu_idx] = mask;
        return;
    }
    /* Grow the recorded range until it covers both pages. */
    mask &= tlb->large_page_mask[mmu_idx];
    while ((tlb->large_page_addr[mmu_idx] ^ vaddr) & mask)
        mask <<= 1;
    tlb->large_page_addr[mmu_idx] &= mask;
    tlb->large_page_mask[mmu_idx] = mask;
}

static bool page_write_fast(const RamBlock *b, uint64_t offset)
{
    uint8_t flags = memmap_page_flags(b, offset);
    return !(flags & PAGE_CODE) && (!b->dirty_log || (flags & PAGE_DIRTY));
}

void tlb_set_page(TcgCpuState *env, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                  uint64_t page_size, bool global)
{
    Tlb *tlb = env->tlb;
    uint64_t vpage = vaddr & TLB_PAGE_MASK, ppage = paddr & TLB_PAGE_MASK;
    uint32_t idx = tlb_index(vpage);
    TlbEntry *e = &tlb->e[mmu_idx][idx];
    TlbFull *full = &tlb->f[mmu_idx][idx];
    const MemSection *s = memmap_find(env->mem, ppage);
    /* A section that does not span the whole page (a small MMIO region) is
     * handled access by access in the slow path. */
    bool whole = s->start <= ppage && (s->end == 0 || s->end >= ppage + GUEST_PAGE_SIZE);
    bool rd_mem = whole && s->read_block;
    bool wr_ram = whole && s->write_block && s->read_block == s->write_block &&
                  s->read_offset == s->write_offset;

    if (page_size > GUEST_PAGE_SIZE)
        note_large_page(tlb, mmu_idx, vpage, page_size);

    memset(full, 0, sizeof(*full));
    full->paddr = ppage;
    full->prot = (uint8_t)prot;
    full->global = global;
    full->read_ram_addr = full->write_ram_addr = ~0ull;

    e->addend = 0;
    if (rd_mem) {
        uint64_t off = s->read_offset + (ppage - s->start);
        e->addend = (uintptr_t)(s->read_block->host + off) - (uintptr_t)vpage;
        full->read_ram_addr = s->read_block->ram_addr + off;
    }
    e->addr_read = (prot & PROT_R) ? (rd_mem ? vpage : vpage | TLB_MMIO) : ~0ull;
    e->addr_code = (prot & PROT_X) ? (rd_mem ? vpage : vpage | TLB_MMIO) : ~0ull;
    if (!(prot & PROT_W)) {
        e->addr_write = ~0ull;
    } else if (wr_ram) {
        uint64_t off = s->write_offset + (ppage - s->start);
        full->write_block = s->write_block;
        full->write_ram_addr = s->write_block->ram_addr + off;
        e->addr_write = vpage | (page_write_fast(s->write_block, off) ? 0 : TLB_NOTDIRTY);
    } else {
        e->addr_write = vpage | TLB_MMIO;
    }
    LOG(LOG_MMU, "tlb fill mmu%d 0x%llx -> 0x%llx prot %d%s\n", mmu_idx,
        (unsigned long long)vpage, (unsigned long long)ppage, prot, rd_mem ? "" : " (mmio)");
}

/* -- Flushes --------------------------------------------------------------- */

void tlb_flush(TcgCpuState *env)
{
    Tlb *tlb = env->tlb;
    memset(tlb->e, 0xff, sizeof(tlb->e));
    for (int m = 0; m < TLB_NB_MODES; m++) {
        tlb->large_page_addr[m] = ~0ull;
        tlb->large_page_mask[m] = ~0ull;
    }
}

void tlb_flush_nonglobal(TcgCpuState *env)
{
    Tlb *tlb = env->tlb;
    for (int m = 0; m < TLB_NB_MODES; m++) {
        for (uint32_t i = 0; i < TLB_SIZE; i++)
            if (!tlb->f[m][i].global)
                memset(&tlb->e[m][i], 0xff, sizeof(TlbEntry));
        /* Large-page bookkeeping may now over-approximate: harmless. */
    }
}

static void flush_entry(TlbEntry *e, uint64_t vpage)
{
    if ((e->addr_read & TLB_PAGE_MASK) == vpage || (e->addr_write & TLB_PAGE_MASK) == vpage ||
        (e->addr_code & TLB_PAGE_MASK) == vpage)
        memset(e, 0xff, sizeof(*e));
}

void tlb_flush_page(TcgCpuState *env, uint64_t vaddr)
{
    Tlb *tlb = env->tlb;
    uint64_t vpage = vaddr & TLB_PAGE_MASK;
    for (int m = 0; m < TLB_NB_MODES; m++) {
        if ((vpage & tlb->large_page_mask[m]) == tlb->large_page_addr[m]) {
            /* Inside a large page we filled piecewise: drop the whole mode. */
            memset(tlb->e[m], 0xff, sizeof(tlb->e[m]));
            tlb->large_page_addr[m] = tlb->large_page_mask[m] = ~0ull;
            continue;
        }
        flush_entry(&tlb->e[m][tlb_index(vpage)], vpage);
    }
}

void tlb_protect_ram_page(TcgCpuState *env, uint64_t ram_addr)
{
    Tlb *tlb = env->tlb;
    uint64_t page = ram_addr & TLB_PAGE_MASK;
    for (int m = 0; m < TLB_NB_MODES; m++) {
        for (uint32_t i = 0; i < TLB_SIZE; i++) {
            TlbEntry *e = &tlb->e[m][i];
            if (tlb->f[m][i].write_ram_addr == page && !(e->addr_write & (TLB_INVALID | TLB_MMIO)))
                e->addr_write |= TLB_NOTDIRTY;
        }
    }
}

/* -- Slow-path accesses -------------------------------------------------------- */

static inline bool tag_hit(uint64_t tag, uint64_t addr)
{
    /* Ignore MMIO/NOTDIRTY (the slow path handles them) but not INVALID. */
    return (tag & (TLB_PAGE_MASK | TLB_INVALID)) == (addr & TLB_PAGE_MASK);
}

static TlbEntry *entry_for(TcgCpuState *env, uint64_t addr, AccessType access, int mmu,
                           uintptr_t ra)
{
    TlbEntry *e = &env->tlb->e[mmu][tlb_index(addr)];
    uint64_t *tag = access == ACCESS_READ ? &e->addr_read
                  : access == ACCESS_WRITE ? &e->addr_write : &e->addr_code;
    if (!tag_hit(*tag, addr)) {
        env->tlb_fill(env, addr, access, mmu, false, ra);
        if (!tag_hit(*tag, addr))
            panic("tlb: fill of 0x%llx for access %d did not take",
                  (unsigned long long)addr, access);
    }
    return e;
}

static uint64_t sign_extend(uint64_t v, unsigned memop)
{
    if (!(memop & MO_SIGN))
        return v;
    switch (memop & MO_SIZE) {
    case MO_8: return (uint64_t)(int64_t)(int8_t)v;
    case MO_16: return (uint64_t)(int64_t)(int16_t)v;
    case MO_32: return (uint64_t)(int64_t)(int32_t)v;
    default: return v;
    }
}

uint64_t tlb_load(TcgCpuState *env, uint64_t addr, unsigned memop, uintptr_t ra)
{
    unsigned size = memop_size(memop), mmu = memop_mmu(memop);
    TlbEntry *e;
    uint64_t v = 0;

    if ((addr & (GUEST_PAGE_SIZE - 1)) + size > GUEST_PAGE_SIZE) {
        /* Crosses a page: both pages are translated (and may fault) in order. */
        for (unsigned i = 0; i < size; i++)
            v |= tlb_load(env, addr + i, memop_make(MO_8, mmu), ra) << (8 * i);
        return sign_extend(v, memop);
    }
    e = entry_for(env, addr, ACCESS_READ, mmu, ra);
    if (e->addr_read & TLB_MMIO) {
        TlbFull *full = &env->tlb->f[mmu][tlb_index(addr)];
        v = memmap_read(env->mem, full->paddr | (addr & (GUEST_PAGE_SIZE - 1)), size);
    } else {
        memcpy(&v, (void *)(uintptr_t)(addr + e->addend), size);
    }
    return sign_extend(v, memop);
}

static void store_notdirty(TcgCpuState *env, TlbEntry *e, TlbFull *full, uint64_t addr,
                           uint64_t value, unsigned size, uintptr_t ra)
{
    RamBlock *b = full->write_block;
    uint64_t off = full->write_ram_addr - b->ram_addr + (addr & (GUEST_PAGE_SIZE - 1));
    if (memmap_page_flags(b, off) & PAGE_CODE)
        env->code_write(env, b->ram_addr + off, size, ra);   /* may not return */
    memmap_note_write(env->mem, b, off, size);
    memcpy(b->host + off, &value, size);
    if (page_write_fast(b, off))
        e->addr_write &= ~(uint64_t)TLB_NOTDIRTY;
}

void tlb_store(TcgCpuState *env, uint64_t addr, uint64_t value, unsigned memop, uintptr_t ra)
{
    unsigned size = memop_size(memop), mmu = memop_mmu(memop);
    TlbEntry *e;
    TlbFull *full;

    if ((addr & (GUEST_PAGE_SIZE - 1)) + size > GUEST_PAGE_SIZE) {
        /* Translate both pages before writing anything: a fault on the second
         * page must leave the first untouched (no partial stores). */
        entry_for(env, addr, ACCESS_WRITE, mmu, ra);
        entry_for(env, (addr + size - 1), ACCESS_WRITE, mmu, ra);
        for (unsigned i = 0; i < size; i++)
            tlb_store(env, addr + i, value >> (8 * i), memop_make(MO_8, mmu), ra);
        return;
    }
    e = entry_for(env, addr, ACCESS_WRITE, mmu, ra);
    full = &env->tlb->f[mmu][tlb_index(addr)];
    if (e->addr_write & TLB_MMIO)
        memmap_write(env->mem, full->paddr | (addr & (GUEST_PAGE_SIZE - 1)), value, size);
    else if (e->addr_write & TLB_NOTDIRTY)
        store_notdirty(env, e, full, addr, value, size, ra);
    else
        memcpy((void *)(uintptr_t)(addr + e->addend), &value, size);
}

uint64_t tlb_code_ram_addr(TcgCpuState *env, uint64_t pc, int mmu_idx, uint8_t **host)
{
    TlbEntry *e = entry_for(env, pc, ACCESS_FETCH, mmu_idx, 0);
    TlbFull *full = &env->tlb->f[mmu_idx][tlb_index(pc)];
    if (e->addr_code & TLB_MMIO) {
        *host = NULL;
        return ~0ull;
    }
    *host = (uint8_t *)(uintptr_t)(pc + e->addend);
    return full->read_ram_addr + (pc & (GUEST_PAGE_SIZE - 1));
}

uint64_t tlb_cached_code_ram_addr(const TcgCpuState *env, uint64_t pc, int mmu_idx)
{
    const TlbEntry *e = &env->tlb->e[mmu_idx][tlb_index(pc)];
    if (!tag_hit(e->addr_code, pc) || (e->addr_code & TLB_MMIO))
        return ~0ull;
    return env->tlb->f[mmu_idx][tlb_index(pc)].read_ram_addr + (pc & (GUEST_PAGE_SIZE - 1));
}

uint64_t tlb_probe_code(TcgCpuState *env, uint64_t pc, int mmu_idx, uint8_t **host, bool *ok)
{
    TlbEntry *e = &env->tlb->e[mmu_idx][tlb_index(pc)];
    if (!tag_hit(e->addr_code, pc) && !env->tlb_fill(env, pc, ACCESS_FETCH, mmu_idx, true, 0)) {
        *ok = false;
        *host = NULL;
        return ~0ull;
    }
    *ok = true;
    return tlb_code_ram_addr(env, pc, mmu_idx, host);
}
