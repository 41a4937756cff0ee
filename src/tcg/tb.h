/* tb.h — translation blocks, the block cache, and the backend interface.
 *
 * A TB is the unit of translated guest code: a straight run of guest
 * instructions from `pc` ending at control flow, a page boundary or a size
 * limit. It is found by (physical address of pc, pc, cs_base, flags,
 * cflags) and is registered on the ram pages its code came from, so that a
 * write to such a page (memmap's code_written hook) invalidates it.
 *
 * Chaining: a TB ends in up to two goto_tb slots. Once the target of a slot
 * is known and lies on the same guest page(s), the cache links the slot to
 * the target TB (the backend patches a jump); invalidation unlinks every
 * jump into the dead TB.
 *
 * Every frontend CPU state begins with a TcgCpuState, the part generated
 * code and the backends know about.
 */
#ifndef EMU_TCG_TB_H
#define EMU_TCG_TB_H

#include "config.h"               /* EMU_HAVE_JIT: whether backend_jit exists */
#include "base/compiler.h"
#include "tcg/ir.h"
#include "mmu/memmap.h"
#include "tcg/tcg_cpu.h"

typedef struct TbCache TbCache;

/* cflags */
enum {
    CF_COUNT_MASK = 0x1ff,         /* at most this many instructions (0: no limit) */
    CF_NOCACHE = 1 << 9,           /* run once, never registered (code in MMIO) */
};

/* exec() results: (uintptr_t)tb | code */
enum {
    TB_EXIT_SLOT0 = 0,             /* goto_tb 0 was not linked: tb is the source */
    TB_EXIT_SLOT1 = 1,
    TB_EXIT_NORMAL = 2,            /* exit_tb, or lookup_tb found nothing */
    TB_EXIT_BUDGET = 3,            /* tb was NOT run: icount_left too small / exit requested */
    TB_EXIT_MASK = 3,
};

struct TB {
    uint64_t pc;                   /* linear address of the first byte */
    uint64_t cs_base;
    uint32_t flags;                /* frontend mode flags the code depends on */
    uint32_t cflags;
    uint16_t size;                 /* guest bytes */
    uint16_t icount;               /* guest instructions */
    bool invalid;
    uint64_t page_addr[2];         /* ram address of each code page; ~0 if none */
    TB *page_next[2];              /* TBs on the same page */
    TB *hash_next;

    TB *jmp_dest[2];               /* where each goto_tb slot is linked */
    uintptr_t jmp_in;              /* incoming links: list of (TB | slot) */
    uintptr_t jmp_in_next[2];      /* next in the target's incoming list, per slot */
    uint32_t jmp_patch[2];         /* backend: where slot n's jump lives in code */

    void *code;                    /* backend's code or program */
    uint32_t code_size;
    uint16_t *insn_pc;             /* per instruction: pc offset from tb->pc */
    uint16_t *insn_aux;            /* per instruction: frontend data (x86: cc_op) */
    uint32_t *insn_host;           /* per instruction: host code offset (JITs) */
};

/* -- Backends --------------------------------------------------------------- */

typedef struct CodeBuffer {
    uint8_t *rw;                   /* where the backend writes */
    uint8_t *rx;                   /* where the host executes (== rw unless dual-mapped) */
    size_t size, used;
} CodeBuffer;

typedef struct Backend {
    const char *name;
    bool native;                   /* emits host code (needs executable memory) */
    /* Turn the optimised IR into code for tb in buf (tb->code, code_size,
     * insn_host); false if buf is full. env is the CPU the code will run on. */
    bool (*gen)(CodeBuffer *buf, TB *tb, const IrFunc *f, TcgCpuState *env);
    /* Run tb and whatever it links to; returns (uintptr_t)last_tb | TB_EXIT_*. */
    uintptr_t (*exec)(TcgCpuState *env, TB *tb);
    /* Make slot `slot` of `from` jump to `to`, or back to its exit (to == NULL). */
    void (*set_jump)(CodeBuffer *buf, TB *from, int slot, TB *to);
    /* The instruction of tb running at host return address ra, or -1. */
    int (*insn_at)(const TB *tb, TcgCpuState *env, uintptr_t ra);
} Backend;

extern const Backend backend_interp;
#ifdef EMU_HAVE_JIT
extern const Backend backend_jit;
#endif

/* -- The cache ------------------------------------------------------------ */

TbCache *tb_cache_new(const Backend *backend, MemMap *mem, size_t code_size);
/* Called for each TB that stops being valid (and with NULL on a flush), so a
 * frontend can drop it from its per-CPU lookup caches. */
void tb_cache_set_invalidate_hook(TbCache *c, void (*fn)(void *opaque, TB *tb), void *opaque);
void tb_cache_free(TbCache *c);
const Backend *tb_cache_backend(const TbCache *c);

TB *tb_lookup(TbCache *c, uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
              uint32_t cflags);
/* The same, for a TB that accept() also agrees to (the frontend checks what
 * the key does not cover, e.g. the second page of a block crossing one). */
TB *tb_lookup_if(TbCache *c, uint64_t phys_pc, uint64_t pc, uint64_t cs_base, uint32_t flags,
                 uint32_t cflags, bool (*accept)(const TB *tb, void *opaque), void *opaque);
/* Make a TB from IR: optimise, generate, register on its pages (phys_page2
 * is ~0 unless the code crosses into a second page). Returns NULL when the
 * cache is full: flush with tb_flush() and translate again. */
TB *tb_create(TbCache *c, TcgCpuState *env, IrFunc *f, uint64_t pc, uint64_t cs_base, uint32_t flags,
              uint32_t cflags, uint16_t size, uint64_t phys_pc, uint64_t phys_page2,
              int ninsns, const uint16_t *insn_pc, const uint16_t *insn_aux);
/* Drop every TB. Only call between TB executions (never from a helper). */
void tb_flush(TbCache *c);
/* Invalidate every TB with code on the ram page(s) of [ram_addr, +len).
 * Returns true if `watch` was among them. */
bool tb_invalidate_range(TbCache *c, uint64_t ram_addr, uint64_t len, const TB *watch);
/* Link from's slot to to, if both are still valid. */
void tb_link(TbCache *c, TB *from, int slot, TB *to);
/* The TB whose code contains host address ra (JIT), or NULL. */
TB *tb_find_by_host_pc(TbCache *c, uintptr_t ra);
/* Counters for -d tb and the monitor. */
typedef struct TbStats { uint64_t created, invalidated, flushes; size_t code_used, code_size; } TbStats;
void tb_stats(const TbCache *c, TbStats *out);

#endif
