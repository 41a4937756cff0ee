/* tb.c — the translation block cache: lookup, creation, invalidation, links.
 *
 * Storage: TB structs and their per-instruction tables come from a bump
 * arena; code from the CodeBuffer (executable memory for native backends).
 * When either runs out, tb_create() fails and the owner flushes everything
 * (tb_flush) at a safe point and translates again.
 *
 * Indexes: a hash table on (phys_pc, pc, flags, cflags); a two-level table
 * from ram page to the TBs with code on it; TBs in creation order, which is
 * also code-address order, for host-pc -> TB lookups during unwinding.
 */
#define _GNU_SOURCE             /* memfd_create */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "tcg/tb.h"
#include "base/log.h"

#define HASH_BITS 16
#define PAGE_L2_BITS 10
#define PAGE_L1_SIZE (1u << 20)        /* covers 2^(20+10+12) = 4 TiB of ram addresses */
#define META_ARENA_SIZE (64u << 20)

struct TbCache {
    const Backend *backend;
    MemMap *mem;
    CodeBuffer code;
    uint8_t *meta;
    size_t meta_used;
    TB *hash[1u << HASH_BITS];
    TB ***pages;                        /* [l1][l2] -> first TB on the page */
    uint32_t *l1_used;                  /* the l1 indexes with a table, so a flush */
    size_t nl1_used, l1_cap;            /* visits only those */
    TB **by_code;                       /* creation order */
    size_t nby_code, by_code_cap;
    void (*on_invalidate)(void *opaque, TB *tb);
    void *hook_opaque;
    TbStats stats;
};

static uint32_t tb_hash(uint64_t phys_pc, uint64_t pc, uint32_t flags, uint32_t cflags)
{
    uint64_t h = phys_pc * 0x9e3779b97f4a7c15ull;
    h ^= (pc + flags * 0x85ebca6bull + cflags) * 0xc2b2ae3d27d4eb4full;
    return (uint32_t)(h >> (64 - HASH_BITS));
}

static void *map_code(size_t size, bool executable)
{
    int prot = PROT_READ | PROT_WRITE | (executable ? PROT_EXEC : 0);
    void *p = mmap(NULL, size, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        fatal("cannot map %zu MiB for translated code", size >> 20);
    return p;
}

/* Translated code for a native backend: two views of one memfd, RW where
 * the backend writes (CodeBuffer.rw) and RX where the host runs it
 * (CodeBuffer.rx), so no page is ever writable and executable at once.
 * The RX view is placed near our own text when the kernel agrees, so
 * generated code reaches C helpers with a rel32 call. If memfd or the
 * second mapping is refused, one RWX mapping serves as both. */
static void map_code_views(CodeBuffer *cb, size_t size)
{
    uintptr_t text = (uintptr_t)&map_code_views & ~(uintptr_t)0xfffff;
    void *hint = text > size + (256u << 20) ? (void *)(text - size - (256u << 20)) : NULL;
    int fd = memfd_create("emu-code", MFD_CLOEXEC);
    void *rw = MAP_FAILED, *rx = MAP_FAILED;

    if (fd >= 0 && ftruncate(fd, (off_t)size) == 0) {
        rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
        if (rw != MAP_FAILED)
            rx = mmap(hint, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    }
    if (fd >= 0)
        close(fd);
    if (rx != MAP_FAILED) {
        cb->rw = rw;
        cb->rx = rx;
        return;
    }
    if (rw != MAP_FAILED)
        munmap(rw, size);
    cb->rw = cb->rx = map_code(size, true);
}

TbCache *tb_cache_new(const Backend *backend, MemMap *mem, size_t code_size)
{
    TbCache *c = calloc(1, sizeof(*c));
    if (!c)
        fatal("out of memory");
    c->backend = backend;
    c->mem = mem;
    c->code.size = code_size;
    if (backend->native)
        map_code_views(&c->code, code_size);
    else
        c->code.rw = c->code.rx = map_code(code_size, false);
    c->meta = map_code(META_ARENA_SIZE, false);
    c->pages = calloc(PAGE_L1_SIZE, sizeof(*c->pages));
    if (!c->pages)
        fatal("out of memory");
    c->stats.code_size = code_size;
    return c;
}

void tb_cache_set_invalidate_hook(TbCache *c, void (*fn)(void *, TB *), void *opaque)
{
    c->on_invalidate = fn;
    c->hook_opaque = opaque;
}

static void free_pages(TbCache *c)
{
    for (size_t n = 0; n < c->nl1_used; n++) {
        free(c->pages[c->l1_used[n]]);
        c->pages[c->l1_used[n]] = NULL;
    }
    c->nl1_used = 0;
}

void tb_cache_free(TbCache *c)
{
    if (!c)
        return;
    free_pages(c);
    free(c->pages);
    free(c->l1_used);
    free(c->by_code);
    munmap(c->code.rw, c->code.size);
    if (c->code.rx != c->code.rw)
        munmap(c->code.rx, c->code.size);
    munmap(c->meta, META_ARENA_SIZE);
    free(c);
}

const Backend *tb_cache_backend(const TbCache *c)
{
    return c->backend;
}

void tb_stats(const TbCache *c, TbStats *out)
{
    *out = c->stats;
    out->code_used = c->code.used;
}

/* -- Page lists -------------------------------------------------------------- */

static TB **page_slot(TbCache *c, uint64_t ram_addr, bool create)
{
    uint64_t page = ram_addr >> GUEST_PAGE_BITS;
    uint64_t l1 = page >> PAGE_L2_BITS;
    if (l1 >= PAGE_L1_SIZE)
        panic("tb: ram address 0x%llx out of range", (unsigned long long)ram_addr);
    if (!c->pages[l1]) {
        if (!create)
            return NULL;
        if (c->nl1_used == c->l1_cap) {
            c->l1_cap = c->l1_cap ? 2 * c->l1_cap : 64;
            c->l1_used = realloc(c->l1_used, c->l1_cap * sizeof(*c->l1_used));
            if (!c->l1_used)
                fatal("out of memory");
        }
        c->pages[l1] = calloc(1u << PAGE_L2_BITS, sizeof(TB *));
        if (!c->pages[l1])
            fatal("out of memory");
        c->l1_used[c->nl1_used++] = (uint32_t)l1;
    }
    return &c->pages[l1][page & ((1u << PAGE_L2_BITS) - 1)];
}

static void page_add(TbCache *c, TB *tb, int n)
{
    TB **slot = page_slot(c, tb->page_addr[n], true);
    RamBlock *b = memmap_block_at(c->mem, tb->page_addr[n]);
    tb->page_next[n] = *slot;
    *slot = tb;
    if (b)
        memmap_set_code(c->mem, b, tb->page_addr[n] - b->ram_addr);
}

static void page_remove(TbCache *c, TB *tb, int n)
{
    TB **slot = page_slot(c, tb->page_addr[n], false);
    TB **pp;
    if (!slot)
        return;
    for (pp = slot; *pp; ) {
        TB *t = *pp;
        int k = (t->page_addr[0] >> GUEST_PAGE_BITS) == (tb->page_addr[n] >> GUEST_PAGE_BITS) ? 0 : 1;
        if (t == tb) {
            *pp = t->page_next[k];
            break;
        }
        pp = &t->page_next[k];
    }
    if (!*slot) {
        /* No code left on the page: writes may take the fast path again. */
        RamBlock *b = memmap_block_at(c->mem, tb->page_addr[n]);
        if (b)
            b->page_flags[(tb->page_addr[n] - b->ram_addr) >> GUEST_PAGE_BITS] &= ~PAGE_CODE;
    }
}

/* -- Links ------------------------------------------------------------------- */

static void unlink_incoming(TbCache *c, TB *tb)
{
    uintptr_t e = tb->jmp_in;
    while (e) {
        TB *src = (TB *)(e & ~(uintptr_t)TB_EXIT_MASK);
        int slot = (int)(e & TB_EXIT_MASK);
        e = src->jmp_in_next[slot];
        src->jmp_dest[slot] = NULL;
        c->backend->set_jump(&c->code, src, slot, NULL);
    }
    tb->jmp_in = 0;
}

static void unlink_outgoing(TB *tb)
{
    for (int slot = 0; slot < 2; slot++) {
        TB *dst = tb->jmp_dest[slot];
        uintptr_t me = (uintptr_t)tb | (uintptr_t)slot, *pp;
        if (!dst)
            continue;
        for (pp = &dst->jmp_in; *pp; ) {
            TB *src = (TB *)(*pp & ~(uintptr_t)TB_EXIT_MASK);
            int s = (int)(*pp & TB_EXIT_MASK);
            if (*pp == me) {
                *pp = src->jmp_in_next[s];
                break;
            }
            pp = &src->jmp_in_next[s];
        }
        tb->jmp_dest[slot] = NULL;
    }
}

void tb_link(TbCache *c, TB *from, int slot, TB *to)
{
    if (from->invalid || to->invalid || from->jmp_dest[slot] || (to->cflags & CF_NOCACHE) ||
        (from->cflags & CF_NOCACHE))
        return;
    from->jmp_dest[slot] = to;
    from->jmp_in_next[slot] = to->jmp_in;
    to->jmp_in = (uintptr_t)from | (uintptr_t)slot;
    c->backend->set_jump(&c->code, from, slot, to);
}

/* -- Lookup and creation ----------------------------------------------------- */

TB *tb_lookup_if(TbCache *c, uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
                 uint32_t cflags, bool (*accept)(const TB *tb, void *opaque), void *opaque)
{
    for (TB *tb = c->hash[tb_hash(phys_pc, pc, flags, cflags)]; tb; tb = tb->hash_next) {
        if (tb->pc == pc && tb->cs_base == cs_base && tb->flags == flags &&
            tb->cflags == cflags && tb->page_addr[0] + (pc & (GUEST_PAGE_SIZE - 1)) == phys_pc &&
            (!accept || accept(tb, opaque)))
            return tb;
    }
    return NULL;
}

TB *tb_lookup(TbCache *c, uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
              uint32_t cflags)
{
    return tb_lookup_if(c, phys_pc, pc, cs_base, flags, cflags, NULL, NULL);
}

static void *meta_alloc(TbCache *c, size_t size)
{
    void *p;
    size = (size + 15) & ~(size_t)15;
    if (c->meta_used + size > META_ARENA_SIZE)
        return NULL;
    p = c->meta + c->meta_used;
    c->meta_used += size;
    return p;
}

static bool remember_code_order(TbCache *c, TB *tb)
{
    if (c->nby_code == c->by_code_cap) {
        size_t cap = c->by_code_cap ? c->by_code_cap * 2 : 4096;
        TB **n = realloc(c->by_code, cap * sizeof(*n));
        if (!n)
            return false;
        c->by_code = n;
        c->by_code_cap = cap;
    }
    c->by_code[c->nby_code++] = tb;
    return true;
}

TB *tb_create(TbCache *c, TcgCpuState *env, IrFunc *f, uint64_t pc, uint64_t cs_base, uint32_t flags,
              uint32_t cflags, uint16_t size, uint64_t phys_pc, uint64_t phys_page2,
              int ninsns, const uint16_t *insn_pc, const uint16_t *insn_aux)
{
    TB *tb = meta_alloc(c, sizeof(TB));
    uint16_t *pcs = meta_alloc(c, sizeof(uint16_t) * ninsns);
    uint16_t *aux = meta_alloc(c, sizeof(uint16_t) * ninsns);
    uint32_t *host = meta_alloc(c, sizeof(uint32_t) * ninsns);
    if (!tb || !pcs || !aux || !host)
        return NULL;
    memset(tb, 0, sizeof(*tb));
    tb->pc = pc;
    tb->cs_base = cs_base;
    tb->flags = flags;
    tb->cflags = cflags;
    tb->size = size;
    tb->icount = (uint16_t)ninsns;
    tb->page_addr[0] = phys_pc & GUEST_PAGE_MASK;
    tb->page_addr[1] = phys_page2;
    memcpy(pcs, insn_pc, sizeof(uint16_t) * ninsns);
    memcpy(aux, insn_aux, sizeof(uint16_t) * ninsns);
    tb->insn_pc = pcs;
    tb->insn_aux = aux;
    tb->insn_host = host;

    ir_optimize(f);
    if (log_enabled(LOG_OP)) {
        log_printf("OP after optimisation, pc=0x%llx:\n", (unsigned long long)pc);
        ir_dump(f, log_file());
    }
    if (!c->backend->gen(&c->code, tb, f, env))
        return NULL;
    if (!remember_code_order(c, tb))
        return NULL;
    c->stats.created++;
    LOG(LOG_OUT_ASM, "TB pc=0x%llx: %d insns, %u guest bytes, %u bytes of %s code\n",
        (unsigned long long)pc, ninsns, size, tb->code_size, c->backend->name);
    if (cflags & CF_NOCACHE)
        return tb;

    uint32_t h = tb_hash(phys_pc, pc, flags, cflags);
    tb->hash_next = c->hash[h];
    c->hash[h] = tb;
    page_add(c, tb, 0);
    if (phys_page2 != ~0ull)
        page_add(c, tb, 1);
    return tb;
}

static void tb_invalidate(TbCache *c, TB *tb)
{
    uint32_t h;
    TB **pp;
    if (tb->invalid)
        return;
    tb->invalid = true;
    h = tb_hash(tb->page_addr[0] + (tb->pc & (GUEST_PAGE_SIZE - 1)), tb->pc, tb->flags,
                tb->cflags);
    for (pp = &c->hash[h]; *pp; pp = &(*pp)->hash_next) {
        if (*pp == tb) {
            *pp = tb->hash_next;
            break;
        }
    }
    page_remove(c, tb, 0);
    if (tb->page_addr[1] != ~0ull)
        page_remove(c, tb, 1);
    unlink_incoming(c, tb);
    unlink_outgoing(tb);
    if (c->on_invalidate)
        c->on_invalidate(c->hook_opaque, tb);
    c->stats.invalidated++;
}

bool tb_invalidate_range(TbCache *c, uint64_t ram_addr, uint64_t len, const TB *watch)
{
    bool hit = false;
    uint64_t end = ram_addr + (len ? len : 1);
    for (uint64_t page = ram_addr & GUEST_PAGE_MASK; page < end; page += GUEST_PAGE_SIZE) {
        TB **slot = page_slot(c, page, false);
        /* Whole-page invalidation: simple, and exactly "the blocks on the
         * written page". tb_invalidate unlinks tb from this list. */
        while (slot && *slot) {
            TB *tb = *slot;
            hit |= tb == watch;
            LOG(LOG_TB, "invalidate TB pc=0x%llx (write to ram 0x%llx)\n",
                (unsigned long long)tb->pc, (unsigned long long)ram_addr);
            tb_invalidate(c, tb);
        }
    }
    return hit;
}

void tb_flush(TbCache *c)
{
    LOG(LOG_TB, "flush the block cache (%zu KiB of code)\n", c->code.used >> 10);
    for (size_t n = 0; n < c->nl1_used; n++) {
        size_t i = c->l1_used[n];
        for (size_t k = 0; k < (1u << PAGE_L2_BITS); k++) {
            uint64_t ram_addr = ((i << PAGE_L2_BITS) | k) << GUEST_PAGE_BITS;
            RamBlock *b;
            if (!c->pages[i][k])
                continue;
            b = memmap_block_at(c->mem, ram_addr);
            if (b)
                b->page_flags[(ram_addr - b->ram_addr) >> GUEST_PAGE_BITS] &= ~PAGE_CODE;
        }
    }
    free_pages(c);
    memset(c->hash, 0, sizeof(c->hash));
    c->nby_code = 0;
    c->meta_used = 0;
    c->code.used = 0;
    c->stats.flushes++;
    if (c->on_invalidate)
        c->on_invalidate(c->hook_opaque, NULL);
}

TB *tb_find_by_host_pc(TbCache *c, uintptr_t ra)
{
    size_t lo = 0, hi = c->nby_code;
    if (!c->backend->native)
        return NULL;
    while (lo < hi) {   /* last TB whose code starts at or below ra */
        size_t mid = (lo + hi) / 2;
        if ((uintptr_t)c->by_code[mid]->code <= ra)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == 0)
        return NULL;
    TB *tb = c->by_code[lo - 1];
    return ra < (uintptr_t)tb->code + tb->code_size ? tb : NULL;
}
