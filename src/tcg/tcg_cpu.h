/* tcg_cpu.h — the part of a CPU's state that generated code, the backends
 * and the softmmu know about. A frontend's state struct begins with it:
 *
 *   typedef struct CpuState { TcgCpuState tcg; ...guest registers...; } CpuState;
 *
 * so `env` (the pointer translated code runs with) is both. The TLB and the
 * interpreter's temp frame are large and live at the end of the frontend's
 * struct; tlb/interp_frame point there (fixed offsets from env, which the
 * JITs fold into their code).
 */
#ifndef EMU_TCG_TCG_CPU_H
#define EMU_TCG_TCG_CPU_H

#include "base/compiler.h"
#include "mmu/tlb.h"

typedef struct TB TB;

struct TcgCpuState {
    /* Offset 0 on purpose: every TB starts with "icount_left -= n; if < 0 leave".
     * cpu_request_exit()-style requests set it to 0 so the next TB leaves. */
    int32_t icount_left;
    int32_t current_insn;          /* interpreter: index of the running instruction */
    TB *current_tb;                /* interpreter: the running TB */
    Tlb *tlb;
    uint64_t *interp_frame;        /* IR_MAX_TEMPS slots */
    MemMap *mem;

    /* -- Frontend hooks -- */
    /* The TB for the CPU's current pc and mode if already translated, else NULL. */
    TB *(*lookup_tb)(void *env);
    /* Translate vaddr for `access` in mmu_idx and tlb_set_page() it. On a
     * guest fault: raise it (does not return) unless `probe`, then return false. */
    bool (*tlb_fill)(void *env, uint64_t vaddr, AccessType access, int mmu_idx, bool probe,
                     uintptr_t ra);
    /* The CPU is about to write [ram_addr, +len) of a page holding translated
     * code: invalidate it (and, if that is the running TB, restart the
     * instruction alone — which may not return). */
    void (*code_write)(void *env, uint64_t ram_addr, uint64_t len, uintptr_t ra);
};

#endif
