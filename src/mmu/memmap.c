/* memmap.c — physical address space: regions, flat view, RAM page tracking.
 *
 * Regions are few (tens) and change rarely (PCI BAR programming, PAM), so
 * the flat view is simply rebuilt from scratch on every change.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "mmu/memmap.h"
#include "base/log.h"

#define MAX_LISTENERS 4

struct MemRegion {
    const char *name;
    uint64_t base, size;
    int priority;
    bool enabled;
    RamBlock *rd, *wr;
    uint64_t rd_offset, wr_offset;
    const IoOps *ops;
    void *opaque;
    MemRegion *next;
};

struct MemMap {
    MemRegion *regions;
    RamBlock **blocks;
    int nblocks;
    uint64_t next_ram_addr;
    MemSection *flat;       /* sorted, covering [0, 2^64) without gaps */
    int nflat;
    MemListener listeners[MAX_LISTENERS];
    int nlisteners;
};

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p)
        fatal("out of memory");
    return p;
}

static void rebuild_flat(MemMap *m);

MemMap *memmap_new(void)
{
    MemMap *m = xcalloc(1, sizeof(*m));
    rebuild_flat(m);
    return m;
}

void memmap_free(MemMap *m)
{
    MemRegion *r, *next;
    if (!m)
        return;
    for (r = m->regions; r; r = next) {
        next = r->next;
        free(r);
    }
    for (int i = 0; i < m->nblocks; i++) {
        munmap(m->blocks[i]->host, m->blocks[i]->size);
        free(m->blocks[i]->page_flags);
        free(m->blocks[i]);
    }
    free(m->blocks);
    free(m->flat);
    free(m);
}

void memmap_add_listener(MemMap *m, const MemListener *l)
{
    if (m->nlisteners == MAX_LISTENERS)
        panic("memmap: too many listeners");
    m->listeners[m->nlisteners++] = *l;
}

/* --- RAM blocks ------------------------------------------------------------ */

RamBlock *memmap_new_block(MemMap *m, const char *name, uint64_t size, bool dirty_log)
{
    RamBlock *b = xcalloc(1, sizeof(*b));
    size = (size + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK;
    /* Anonymous memory is zero and costs nothing until the guest touches it. */
    b->host = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (b->host == MAP_FAILED)
        fatal("cannot allocate %llu MiB of guest memory for %s",
              (unsigned long long)(size >> 20), name);
    b->size = size;
    b->ram_addr = m->next_ram_addr;
    b->page_flags = xcalloc(size >> GUEST_PAGE_BITS, 1);
    b->dirty_log = dirty_log;
    b->name = name;
    m->next_ram_addr += size;
    m->blocks = realloc(m->blocks, sizeof(*m->blocks) * (m->nblocks + 1));
    if (!m->blocks)
        fatal("out of memory");
    m->blocks[m->nblocks++] = b;
    return b;
}

RamBlock *memmap_block_at(MemMap *m, uint64_t ram_addr)
{
    for (int i = 0; i < m->nblocks; i++) {
        RamBlock *b = m->blocks[i];
        if (ram_addr - b->ram_addr < b->size)
            return b;
    }
    return NULL;
}

/* --- Regions --------------------------------------------------------------- */

static bool overlaps_same_priority(MemMap *m, const MemRegion *r, uint64_t base, uint64_t size,
                                   int priority)
{
    for (MemRegion *o = m->regions; o; o = o->next) {
        if (o == r || o->priority != priority)
            continue;
        if (base < o->base + o->size && o->base < base + size)
            return true;
    }
    return false;
}

static MemRegion *add_region(MemMap *m, const char *name, uint64_t base, uint64_t size,
                             int priority)
{
    MemRegion *r, **pp;
    if (size == 0 || base + size - 1 < base)
        return NULL;
    if (overlaps_same_priority(m, NULL, base, size, priority))
        return NULL;
    r = xcalloc(1, sizeof(*r));
    r->name = name;
    r->base = base;
    r->size = size;
    r->priority = priority;
    r->enabled = true;
    for (pp = &m->regions; *pp; pp = &(*pp)->next)
        ;
    *pp = r;
    return r;
}

static void changed(MemMap *m)
{
    rebuild_flat(m);
    for (int i = 0; i < m->nlisteners; i++)
        if (m->listeners[i].map_changed)
            m->listeners[i].map_changed(m->listeners[i].opaque);
}

MemRegion *memmap_map_split(MemMap *m, const char *name, uint64_t base, uint64_t size,
                            RamBlock *rd, uint64_t rd_offset, RamBlock *wr, uint64_t wr_offset,
                            int priority)
{
    MemRegion *r;
    if ((rd && rd_offset + size > rd->size) || (wr && wr_offset + size > wr->size))
        panic("memmap: region %s is larger than its block", name);
    r = add_region(m, name, base, size, priority);
    if (!r)
        return NULL;
    r->rd = rd;
    r->rd_offset = rd_offset;
    r->wr = wr;
    r->wr_offset = wr_offset;
    changed(m);
    return r;
}

MemRegion *memmap_map_ram(MemMap *m, const char *name, uint64_t base, uint64_t size,
                          RamBlock *block, uint64_t offset, int priority)
{
    return memmap_map_split(m, name, base, size, block, offset, block, offset, priority);
}

MemRegion *memmap_map_rom(MemMap *m, const char *name, uint64_t base, uint64_t size,
                          RamBlock *block, uint64_t offset, int priority)
{
    return memmap_map_split(m, name, base, size, block, offset, NULL, 0, priority);
}

MemRegion *memmap_map_mmio(MemMap *m, const char *name, uint64_t base, uint64_t size,
                           const IoOps *ops, void *opaque, int priority)
{
    MemRegion *r = add_region(m, name, base, size, priority);
    if (!r)
        return NULL;
    r->ops = ops;
    r->opaque = opaque;
    changed(m);
    return r;
}

void memmap_unmap(MemMap *m, MemRegion *r)
{
    MemRegion **pp;
    for (pp = &m->regions; *pp; pp = &(*pp)->next) {
        if (*pp == r) {
            *pp = r->next;
            free(r);
            changed(m);
            return;
        }
    }
}

int memmap_region_move(MemMap *m, MemRegion *r, uint64_t new_base)
{
    if (new_base == r->base)
        return 0;
    if (new_base + r->size - 1 < new_base ||
        overlaps_same_priority(m, r, new_base, r->size, r->priority))
        return -1;
    r->base = new_base;
    changed(m);
    return 0;
}

void memmap_region_enable(MemMap *m, MemRegion *r, bool enabled)
{
    if (r->enabled == enabled)
        return;
    r->enabled = enabled;
    changed(m);
}

void memmap_region_set_backing(MemMap *m, MemRegion *r, RamBlock *rd, uint64_t rd_offset,
                               RamBlock *wr, uint64_t wr_offset)
{
    r->rd = rd;
    r->rd_offset = rd_offset;
    r->wr = wr;
    r->wr_offset = wr_offset;
    changed(m);
}

uint64_t memmap_region_base(const MemRegion *r)
{
    return r->base;
}

const char *memmap_region_name(const MemRegion *r)
{
    return r->name;
}

/* --- Flat view ----------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static MemRegion *top_region_at(MemMap *m, uint64_t addr)
{
    MemRegion *best = NULL;
    for (MemRegion *r = m->regions; r; r = r->next) {
        if (!r->enabled || addr - r->base >= r->size)
            continue;
        if (!best || r->priority > best->priority)
            best = r;
    }
    return best;
}

static void fill_section(MemSection *s, MemRegion *r, uint64_t start, uint64_t end)
{
    memset(s, 0, sizeof(*s));
    s->start = start;
    s->end = end;
    s->region = r;
    if (!r)
        return;
    s->read_block = r->rd;
    s->read_offset = r->rd_offset + (start - r->base);
    s->write_block = r->wr;
    s->write_offset = r->wr_offset + (start - r->base);
    s->ops = r->ops;
    s->opaque = r->opaque;
    s->ops_offset = start - r->base;
}

static void rebuild_flat(MemMap *m)
{
    int nregions = 0, nb = 0, nflat = 0;
    uint64_t *bounds;
    MemSection *flat;

    for (MemRegion *r = m->regions; r; r = r->next)
        nregions++;
    bounds = xcalloc(2 * nregions + 2, sizeof(*bounds));
    bounds[nb++] = 0;
    for (MemRegion *r = m->regions; r; r = r->next) {
        if (!r->enabled)
            continue;
        bounds[nb++] = r->base;
        if (r->base + r->size != 0) /* a region ending at 2^64 adds no bound */
            bounds[nb++] = r->base + r->size;
    }
    qsort(bounds, nb, sizeof(*bounds), cmp_u64);

    flat = xcalloc(nb, sizeof(*flat));
    for (int i = 0; i < nb; i++) {
        uint64_t start = bounds[i];
        uint64_t end = i + 1 < nb ? bounds[i + 1] : 0; /* 0: up to 2^64 */
        MemRegion *r;
        if (i + 1 < nb && end == start)
            continue;
        r = top_region_at(m, start);
        /* Merge with the previous section if it is the same region. */
        if (nflat && flat[nflat - 1].region == r) {
            flat[nflat - 1].end = end;
            continue;
        }
        fill_section(&flat[nflat++], r, start, end);
    }
    free(bounds);
    free(m->flat);
    m->flat = flat;
    m->nflat = nflat;
}

const MemSection *memmap_find(MemMap *m, uint64_t paddr)
{
    int lo = 0, hi = m->nflat - 1;
    while (lo < hi) { /* last section with start <= paddr */
        int mid = (lo + hi + 1) / 2;
        if (m->flat[mid].start <= paddr)
            lo = mid;
        else
            hi = mid - 1;
    }
    return &m->flat[lo];
}

/* --- Page tracking --------------------------------------------------------- */

void memmap_note_write(MemMap *m, RamBlock *b, uint64_t offset, uint64_t len)
{
    uint64_t end = offset + len;
    if (len == 0)
        return;
    for (uint64_t page = offset & GUEST_PAGE_MASK; page < end; page += GUEST_PAGE_SIZE) {
        uint8_t *flags = &b->page_flags[page >> GUEST_PAGE_BITS];
        if (*flags & PAGE_CODE) {
            uint64_t lo = MAX(page, offset), hi = MIN(page + GUEST_PAGE_SIZE, end);
            for (int i = 0; i < m->nlisteners; i++)
                if (m->listeners[i].code_written)
                    m->listeners[i].code_written(m->listeners[i].opaque, b->ram_addr + lo,
                                                 hi - lo);
        }
        if (b->dirty_log)
            *flags |= PAGE_DIRTY;
    }
}

static void protect(MemMap *m, RamBlock *b, uint64_t page)
{
    for (int i = 0; i < m->nlisteners; i++)
        if (m->listeners[i].protect_page)
            m->listeners[i].protect_page(m->listeners[i].opaque, b->ram_addr + page);
}

void memmap_set_code(MemMap *m, RamBlock *b, uint64_t offset)
{
    uint8_t *flags = &b->page_flags[offset >> GUEST_PAGE_BITS];
    if (*flags & PAGE_CODE)
        return;
    *flags |= PAGE_CODE;
    protect(m, b, offset & GUEST_PAGE_MASK);
}

bool memmap_test_and_clear_dirty(MemMap *m, RamBlock *b, uint64_t offset, uint64_t len)
{
    bool any = false;
    uint64_t end = MIN(offset + len, b->size);
    for (uint64_t page = offset & GUEST_PAGE_MASK; page < end; page += GUEST_PAGE_SIZE) {
        uint8_t *flags = &b->page_flags[page >> GUEST_PAGE_BITS];
        if (*flags & PAGE_DIRTY) {
            *flags &= ~PAGE_DIRTY;
            any = true;
            protect(m, b, page);
        }
    }
    return any;
}

/* --- Accesses ------------------------------------------------------------------ */

static void log_unassigned(uint64_t paddr, bool is_write)
{
    log_unimp("unassigned physical memory %s at 0x%llx", is_write ? "write" : "read",
              (unsigned long long)paddr);
}

/* One access that lies within a single section. */
static uint64_t read_in_section(const MemSection *s, uint64_t paddr, unsigned size)
{
    uint64_t delta = paddr - s->start;
    uint64_t v = 0;
    if (s->read_block) {
        memcpy(&v, s->read_block->host + s->read_offset + delta, size);
        return v;
    }
    if (s->ops)
        return ioops_read(s->ops, s->opaque, s->ops_offset + delta, size);
    if (!s->region)
        log_unassigned(paddr, false);
    return size_mask(size);
}

static void write_in_section(MemMap *m, const MemSection *s, uint64_t paddr, uint64_t value,
                             unsigned size)
{
    uint64_t delta = paddr - s->start;
    if (s->write_block) {
        uint64_t off = s->write_offset + delta;
        memmap_note_write(m, s->write_block, off, size);
        memcpy(s->write_block->host + off, &value, size);
        return;
    }
    if (s->ops && !s->read_block) {
        ioops_write(s->ops, s->opaque, s->ops_offset + delta, value, size);
        return;
    }
    if (!s->region)
        log_unassigned(paddr, true);
    else
        log_guest_error_once("write to read-only memory '%s' at 0x%llx", s->region->name,
                             (unsigned long long)paddr);
}

uint64_t memmap_read(MemMap *m, uint64_t paddr, unsigned size)
{
    const MemSection *s = memmap_find(m, paddr);
    if (s->end == 0 || paddr + size <= s->end)
        return read_in_section(s, paddr, size);
    /* Straddles two sections: assemble bytewise, little-endian. */
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= memmap_read(m, paddr + i, 1) << (8 * i);
    return v;
}

void memmap_write(MemMap *m, uint64_t paddr, uint64_t value, unsigned size)
{
    const MemSection *s = memmap_find(m, paddr);
    if (s->end == 0 || paddr + size <= s->end) {
        write_in_section(m, s, paddr, value, size);
        return;
    }
    for (unsigned i = 0; i < size; i++)
        memmap_write(m, paddr + i, value >> (8 * i), 1);
}

void memmap_rw(MemMap *m, uint64_t paddr, void *buf, size_t len, bool is_write)
{
    uint8_t *p = buf;
    while (len) {
        const MemSection *s = memmap_find(m, paddr);
        uint64_t room = s->end ? s->end - paddr : ~0ull;
        size_t chunk = (size_t)MIN((uint64_t)len, room);
        uint64_t delta = paddr - s->start;
        if (is_write && s->write_block) {
            uint64_t off = s->write_offset + delta;
            memmap_note_write(m, s->write_block, off, chunk);
            memcpy(s->write_block->host + off, p, chunk);
        } else if (!is_write && s->read_block) {
            memcpy(p, s->read_block->host + s->read_offset + delta, chunk);
        } else {
            /* MMIO, ROM writes, holes: go through the per-access path. */
            for (size_t i = 0; i < chunk; i++) {
                if (is_write)
                    write_in_section(m, s, paddr + i, p[i], 1);
                else
                    p[i] = (uint8_t)read_in_section(s, paddr + i, 1);
            }
        }
        p += chunk;
        paddr += chunk;
        len -= chunk;
    }
}

uint8_t *memmap_ram_ptr(MemMap *m, uint64_t paddr, uint64_t len)
{
    const MemSection *s = memmap_find(m, paddr);
    if (!s->read_block || s->read_block != s->write_block || s->read_offset != s->write_offset)
        return NULL;
    if (s->end && paddr + len > s->end)
        return NULL;
    return s->read_block->host + s->read_offset + (paddr - s->start);
}
