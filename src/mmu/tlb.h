/* tlb.h — the softmmu TLB: guest virtual page -> host memory, per mmu mode.
 *
 * Entries are { addr_read, addr_write, addr_code, addend }. A tag is the
 * page's virtual address; flags in the low bits make the fast-path compare
 * fail on purpose:
 *   TLB_INVALID  — empty entry;
 *   TLB_MMIO     — not plain memory (device, ROM write, hole): go through memmap;
 *   TLB_NOTDIRTY — a write must first run code invalidation / dirty marking.
 * Fast path (the interpreter's C code, the JITs' inline code and C helpers
 * through tlb_hit() alike):
 *     e = &tlb->e[mmu][(addr >> 12) & (TLB_SIZE - 1)];
 *     if (((addr + size - 1) & TLB_PAGE_MASK) == e->addr_read)  host = addr + e->addend;
 * (an access that crosses a page never matches, so it goes slow too).
 *
 * The slow path asks the frontend to translate (tlb_fill: the x86 page
 * walk, which raises #PF itself), then does the access through the entry
 * or memmap. `ra` is the host return address into translated code (0 when
 * not called from translated code); it lets a fault find the exact guest
 * instruction.
 */
#ifndef EMU_MMU_TLB_H
#define EMU_MMU_TLB_H

#include "base/compiler.h"
#include "mmu/memmap.h"

#define TLB_BITS 10
#define TLB_SIZE (1u << TLB_BITS)
#define TLB_NB_MODES 3
#define TLB_PAGE_MASK (~(uint64_t)(GUEST_PAGE_SIZE - 1))

enum {
    TLB_INVALID = 1u << 11,
    TLB_MMIO = 1u << 10,
    TLB_NOTDIRTY = 1u << 9,
    TLB_FLAGS_MASK = TLB_INVALID | TLB_MMIO | TLB_NOTDIRTY,
};

/* Access types for fills and faults. */
typedef enum { ACCESS_READ = 0, ACCESS_WRITE = 1, ACCESS_FETCH = 2 } AccessType;

/* Page permissions given to tlb_set_page. */
enum { PROT_R = 1, PROT_W = 2, PROT_X = 4 };

typedef struct TlbEntry {
    uint64_t addr_read;
    uint64_t addr_write;
    uint64_t addr_code;
    uintptr_t addend;
} TlbEntry;

/* What the slow path needs besides the entry. */
typedef struct TlbFull {
    uint64_t paddr;             /* physical address of the page */
    uint64_t read_ram_addr;     /* ram address of the read (and code) backing, ~0 if none */
    uint64_t write_ram_addr;    /* ram address of the plain-RAM write backing, ~0 if none */
    RamBlock *write_block;      /* that backing, for NOTDIRTY handling */
    uint8_t prot;
    bool global;                /* survives tlb_flush_nonglobal (x86 G bit) */
} TlbFull;

typedef struct Tlb {
    TlbEntry e[TLB_NB_MODES][TLB_SIZE];
    TlbFull f[TLB_NB_MODES][TLB_SIZE];
    uint64_t large_page_addr[TLB_NB_MODES];   /* range holding large-page entries */
    uint64_t large_page_mask[TLB_NB_MODES];
} Tlb;

typedef struct TcgCpuState TcgCpuState;

static inline uint32_t tlb_index(uint64_t addr)
{
    return (uint32_t)(addr >> GUEST_PAGE_BITS) & (TLB_SIZE - 1);
}

/* The fast path for C code: the host address of [addr, addr + size) if it
 * is plain RAM in the TLB for this access (a crossing access never hits:
 * its last byte's page is not the one the entry holds), else NULL. */
static inline void *tlb_hit(const Tlb *tlb, uint64_t addr, unsigned size, int mmu_idx,
                            bool write)
{
    const TlbEntry *e = &tlb->e[mmu_idx][tlb_index(addr)];
    uint64_t tag = write ? e->addr_write : e->addr_read;
    if (((addr + size - 1) & TLB_PAGE_MASK) != tag)
        return NULL;
    return (void *)(uintptr_t)(addr + e->addend);
}

/* Fill the entry for vaddr's page. page_size: 4 KiB or a large page. */
void tlb_set_page(TcgCpuState *env, uint64_t vaddr, uint64_t paddr, int prot, int mmu_idx,
                  uint64_t page_size, bool global);
void tlb_flush(TcgCpuState *env);
/* Flush all but the entries filled with global = true (x86 CR3 write with CR4.PGE). */
void tlb_flush_nonglobal(TcgCpuState *env);
/* Flush one virtual page in every mode (INVLPG); a page inside a recorded
 * large page flushes the whole mode. */
void tlb_flush_page(TcgCpuState *env, uint64_t vaddr);
/* memmap protect_page hook: writes to this ram page must take the slow path. */
void tlb_protect_ram_page(TcgCpuState *env, uint64_t ram_addr);

/* Slow paths, also used by helpers for their own guest accesses. */
uint64_t tlb_load(TcgCpuState *env, uint64_t addr, unsigned memop, uintptr_t ra);
void tlb_store(TcgCpuState *env, uint64_t addr, uint64_t value, unsigned memop, uintptr_t ra);

/* The ram address of the code at pc (filling the code entry, which may
 * raise a fetch fault), or ~0 if the code is not in RAM/ROM. *host gets a
 * host pointer to pc when in memory. */
uint64_t tlb_code_ram_addr(TcgCpuState *env, uint64_t pc, int mmu_idx, uint8_t **host);
/* Like the above but never faults: ~0 and *ok = false if not mapped. */
uint64_t tlb_probe_code(TcgCpuState *env, uint64_t pc, int mmu_idx, uint8_t **host, bool *ok);
/* The ram address of the code at pc if the TLB holds its code entry now
 * (no fill, no page walk); ~0 otherwise or when it is not in RAM/ROM. */
uint64_t tlb_cached_code_ram_addr(const TcgCpuState *env, uint64_t pc, int mmu_idx);

#endif
