/* memmap.h — the guest physical address space: RAM, ROM and MMIO regions.
 *
 * Host memory that the guest can see lives in RamBlocks (main RAM, VRAM,
 * firmware images). Each block has a range in one "ram address" space, and
 * per-4K-page flags:
 *   PAGE_CODE  — translated code was made from this page; a write must
 *                invalidate it (the code_written hook) before landing;
 *   PAGE_DIRTY — written since the last memmap_clear_dirty() (blocks made
 *                with dirty logging only, e.g. VRAM for the display).
 * The CPU's TLB keeps writes to such pages on its slow path; memmap tells it
 * through the MemListener hooks whenever a page needs to go slow again.
 *
 * Regions place blocks or MMIO callbacks at physical addresses. A region may
 * read from one block and write to another (or drop writes): that is how ROM
 * and the i440FX PAM shadow modes are described. Regions of a higher priority
 * cover lower ones (VGA's window over low RAM); regions of equal priority may
 * not overlap. From the regions memmap keeps a flat, sorted list of sections
 * that the TLB fill and device DMA look up.
 */
#ifndef EMU_MMU_MEMMAP_H
#define EMU_MMU_MEMMAP_H

#include <stddef.h>
#include "base/compiler.h"
#include "hw/ioops.h"

#define GUEST_PAGE_BITS 12
#define GUEST_PAGE_SIZE (1u << GUEST_PAGE_BITS)
#define GUEST_PAGE_MASK (~(uint64_t)(GUEST_PAGE_SIZE - 1))

enum { PAGE_CODE = 1u << 0, PAGE_DIRTY = 1u << 1 };

typedef struct MemMap MemMap;
typedef struct MemRegion MemRegion;

typedef struct RamBlock {
    uint8_t *host;
    uint64_t size;          /* a multiple of GUEST_PAGE_SIZE */
    uint64_t ram_addr;      /* where the block starts in the ram address space */
    uint8_t *page_flags;    /* one byte per page: PAGE_CODE | PAGE_DIRTY */
    bool dirty_log;
    const char *name;
} RamBlock;

/* What is at a physical address: valid for [start, end). Pointers and block
 * offsets are for `start`; add (paddr - start). region == NULL means nothing
 * is mapped there (reads return all ones, writes are dropped). */
typedef struct MemSection {
    uint64_t start, end;
    MemRegion *region;
    RamBlock *read_block;   /* direct reads from here, or NULL: through ops */
    uint64_t read_offset;
    RamBlock *write_block;  /* direct writes to here, or NULL: through ops or dropped */
    uint64_t write_offset;
    const IoOps *ops;       /* MMIO callbacks (NULL for ROM's dropped writes) */
    void *opaque;
    uint64_t ops_offset;    /* device offset at `start` */
} MemSection;

/* How memmap tells the CPU (its TLB and block cache) about changes. */
typedef struct MemListener {
    void *opaque;
    /* The address space changed: every cached translation is stale. */
    void (*map_changed)(void *opaque);
    /* Bytes of a PAGE_CODE page are about to be written (by the CPU slow
     * path or DMA): invalidate the code made from [ram_addr, ram_addr+len). */
    void (*code_written)(void *opaque, uint64_t ram_addr, uint64_t len);
    /* Writes to this ram page must take the slow path again (it became
     * PAGE_CODE, or its dirty bit was cleared). */
    void (*protect_page)(void *opaque, uint64_t ram_addr);
} MemListener;

MemMap *memmap_new(void);
void memmap_free(MemMap *m);
void memmap_add_listener(MemMap *m, const MemListener *l);

/* Host memory, zero-filled. dirty_log: keep PAGE_DIRTY for the display. */
RamBlock *memmap_new_block(MemMap *m, const char *name, uint64_t size, bool dirty_log);
/* The block holding a ram address, or NULL. */
RamBlock *memmap_block_at(MemMap *m, uint64_t ram_addr);

/* Map regions. Return NULL if the range overlaps a region of equal priority
 * or has zero size. Offsets are into the blocks. */
MemRegion *memmap_map_ram(MemMap *m, const char *name, uint64_t base, uint64_t size,
                          RamBlock *block, uint64_t offset, int priority);
MemRegion *memmap_map_rom(MemMap *m, const char *name, uint64_t base, uint64_t size,
                          RamBlock *block, uint64_t offset, int priority);
MemRegion *memmap_map_mmio(MemMap *m, const char *name, uint64_t base, uint64_t size,
                           const IoOps *ops, void *opaque, int priority);
/* Reads from `rd` (or via ops when NULL), writes to `wr` (or dropped when NULL). */
MemRegion *memmap_map_split(MemMap *m, const char *name, uint64_t base, uint64_t size,
                            RamBlock *rd, uint64_t rd_offset, RamBlock *wr, uint64_t wr_offset,
                            int priority);
void memmap_unmap(MemMap *m, MemRegion *r);
/* Move a region (a PCI BAR being programmed); fails like map on overlap. */
int memmap_region_move(MemMap *m, MemRegion *r, uint64_t new_base);
void memmap_region_enable(MemMap *m, MemRegion *r, bool enabled);
void memmap_region_set_backing(MemMap *m, MemRegion *r, RamBlock *rd, uint64_t rd_offset,
                               RamBlock *wr, uint64_t wr_offset);
uint64_t memmap_region_base(const MemRegion *r);
const char *memmap_region_name(const MemRegion *r);

/* The section containing paddr; never NULL. */
const MemSection *memmap_find(MemMap *m, uint64_t paddr);

/* Whole-range accesses for the CPU slow path and device DMA. They honour
 * MMIO, drop ROM writes, and run the code/dirty tracking for RAM writes.
 * Unassigned reads give all ones. */
uint64_t memmap_read(MemMap *m, uint64_t paddr, unsigned size);
void memmap_write(MemMap *m, uint64_t paddr, uint64_t value, unsigned size);
void memmap_rw(MemMap *m, uint64_t paddr, void *buf, size_t len, bool is_write);

/* Direct host pointer to RAM at [paddr, paddr+len) if it is one plain RAM
 * region (readable and writable alike), else NULL. For bulk DMA fast paths:
 * the caller must call memmap_note_write() after writing through it. */
uint8_t *memmap_ram_ptr(MemMap *m, uint64_t paddr, uint64_t len);

/* Code and dirty tracking on ram addresses. */
void memmap_note_write(MemMap *m, RamBlock *b, uint64_t offset, uint64_t len);
void memmap_set_code(MemMap *m, RamBlock *b, uint64_t offset);
static inline uint8_t memmap_page_flags(const RamBlock *b, uint64_t offset)
{
    return b->page_flags[offset >> GUEST_PAGE_BITS];
}
/* Test and clear the dirty bit of every page in [offset, offset+len):
 * returns whether any was dirty. */
bool memmap_test_and_clear_dirty(MemMap *m, RamBlock *b, uint64_t offset, uint64_t len);

#endif
