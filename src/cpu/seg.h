/* seg.h — protected-mode building blocks shared by the system helpers:
 * descriptors (SDM Vol. 3A 3.4-3.5), segment register loads (5.5-5.10),
 * stacks pushed and popped by far transfers and interrupts (6.12), the TSS
 * (7.2) and the task switch (7.3).
 *
 * Conventions: `ra` is the host return address of the instruction being
 * run (exec.h); everything that may fault is done before the CPU state is
 * changed, so a fault leaves the state of the instruction's start. Error
 * codes of selector faults are the selector with its RPL bits cleared
 * (SDM 6.13), plus EXT where an event external to the program is delivered.
 */
#ifndef EMU_CPU_SEG_H
#define EMU_CPU_SEG_H

#include "cpu/exec.h"

/* The CPU state is already that of after the instruction (a trap) or of a
 * new task: exceptions raised from here on with ra = 0 must not move EIP
 * back to the running instruction (the interpreter finds it through
 * current_tb whatever ra is). Call just before such a raise. */
static inline void cpu_state_precise(CpuState *env) { env->tcg.current_tb = NULL; }

static inline uint32_t sel_err(uint16_t sel) { return sel & 0xfffcu; }
static inline bool sel_null(uint16_t sel) { return (sel & 0xfffcu) == 0; }
static inline int mmu_for_cpl(int cpl) { return cpl == 3 ? MMU_USER : MMU_KERNEL; }
static inline bool cpu_pm(const CpuState *env)   /* protected mode, not V86 */
{
    return (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
}

/* -- Descriptors ------------------------------------------------------------- */

/* System descriptor types (S = 0), SDM Vol. 3A table 3-2. */
enum {
    DESC_TSS16 = 1, DESC_LDT = 2, DESC_TSS16_BUSY = 3, DESC_CALL16 = 4, DESC_TASK = 5,
    DESC_INT16 = 6, DESC_TRAP16 = 7, DESC_TSS32 = 9, DESC_TSS32_BUSY = 11, DESC_CALL32 = 12,
    DESC_INT32 = 14, DESC_TRAP32 = 15,
};

typedef struct Desc {
    uint32_t lo, hi;             /* as in the table */
    uint32_t base, limit;        /* decoded; limit expanded by G */
    uint16_t attr;               /* SegCache.attr layout */
    uint32_t addr;               /* linear address of the descriptor */
} Desc;

static inline int desc_dpl(const Desc *d) { return (d->attr & SEG_ATTR_DPL) >> SEG_ATTR_DPL_SHIFT; }
static inline int desc_type(const Desc *d) { return d->attr & 0xf; }
static inline bool desc_present(const Desc *d) { return d->attr & SEG_ATTR_P; }
static inline bool desc_is_sys(const Desc *d) { return !(d->attr & SEG_ATTR_S); }
static inline bool desc_is_code(const Desc *d) { return (d->attr & SEG_ATTR_S) && (d->attr & 8); }
static inline bool desc_is_data(const Desc *d) { return (d->attr & SEG_ATTR_S) && !(d->attr & 8); }
static inline bool desc_conforming(const Desc *d) { return desc_is_code(d) && (d->attr & 4); }
/* Readable code or any data segment. */
static inline bool desc_readable(const Desc *d) { return desc_is_data(d) || (desc_is_code(d) && (d->attr & 2)); }
static inline bool desc_writable_data(const Desc *d) { return desc_is_data(d) && (d->attr & 2); }
/* Gate fields: selector, offset, parameter count. */
static inline uint16_t gate_sel(const Desc *d) { return (uint16_t)(d->lo >> 16); }
static inline uint32_t gate_off(const Desc *d) { return (d->hi & 0xffff0000) | (d->lo & 0xffff); }
static inline int gate_params(const Desc *d) { return d->hi & 0x1f; }

/* Read the descriptor `sel` names from the GDT or LDT. False if it lies
 * beyond the table's limit (or TI = 1 with no usable LDT). */
bool desc_fetch(CpuState *env, uint16_t sel, Desc *d, uintptr_t ra);
/* desc_fetch, raising excp(err) when the selector is out of the table. */
void desc_fetch_or_raise(CpuState *env, uint16_t sel, Desc *d, int excp, uint32_t err,
                         uintptr_t ra);
/* Set a code/data descriptor's accessed bit in memory and in d. */
void desc_set_accessed(CpuState *env, Desc *d, uintptr_t ra);
/* Set or clear a TSS descriptor's busy bit in memory and in d. */
void desc_set_busy(CpuState *env, Desc *d, bool busy, uintptr_t ra);

/* -- Segment registers ---------------------------------------------------------- */

/* Load a segment cache from a checked descriptor (recomputes hflags). */
void seg_load_desc(CpuState *env, int seg, uint16_t sel, const Desc *d);
/* A null selector in DS/ES/FS/GS: the register is unusable. */
void seg_load_null(CpuState *env, int seg, uint16_t sel);
/* MOV/POP Sreg, LDS...: load seg with sel in any mode, with the checks and
 * faults of protected mode (SDM MOV, "Protected Mode Exceptions"). */
void cpu_load_seg(CpuState *env, int seg, uint16_t sel, uintptr_t ra);
/* After a return to an outer level: DS/ES/FS/GS whose DPL is below the new
 * CPL (data or non-conforming code) become null (SDM RET, IRET). */
void seg_null_invalid(CpuState *env, int cpl);
/* Is [off, off+size) inside a segment with this attr/limit (expand-down aware)? */
bool seg_range_ok(uint16_t attr, uint32_t limit, uint32_t off, unsigned size);
/* A data access through segment seg, with the limit/type checks of
 * translated code (#GP(0), or #SS(0) for SS). Returns the linear address. */
uint32_t seg_data_addr(CpuState *env, int seg, uint32_t off, unsigned size, bool write,
                       uintptr_t ra);

/* -- Stacks of far transfers and interrupts --------------------------------------- */

typedef struct SysStack {
    uint32_t base, limit, sp, mask;  /* mask: 0xffff or 0xffffffff by SS.B */
    uint16_t attr;
    int mmu;                         /* privilege of the accesses */
    uint32_t err;                    /* #SS error code for a limit violation */
} SysStack;

/* The current SS:ESP, accessed at the current privilege. */
void sstack_cur(CpuState *env, SysStack *st);
/* A new stack from a checked SS descriptor. */
void sstack_new(SysStack *st, const Desc *ss, uint32_t esp, int cpl, uint32_t err);
void sstack_push(CpuState *env, SysStack *st, uint32_t v, unsigned size, uintptr_t ra);
uint32_t sstack_pop(CpuState *env, SysStack *st, unsigned size, uintptr_t ra);
/* ESP after using st: a 16-bit stack keeps the upper half of `upper`. */
static inline uint32_t sstack_esp(const SysStack *st, uint32_t upper)
{
    return st->mask == 0xffff ? (upper & 0xffff0000u) | (st->sp & 0xffff) : st->sp;
}

/* -- TSS and task switch ------------------------------------------------------------- */

/* SS:ESP for privilege level dpl from the current TSS (SDM 6.12.1);
 * #TS(TR selector + ext) if the TSS is too short. */
void tss_inner_stack(CpuState *env, int dpl, uint16_t *ss, uint32_t *esp, uint32_t ext,
                     uintptr_t ra);

typedef enum { TS_JMP, TS_CALL, TS_IRET, TS_INT } TaskSource;
/* Switch to the task whose TSS selector is sel (SDM 7.3). next_eip is the
 * EIP saved in the old task; an error code (exceptions through a task gate)
 * is pushed on the new task's stack. ext is the EXT bit for error codes. */
void cpu_task_switch(CpuState *env, uint16_t sel, TaskSource src, bool has_error,
                     uint32_t error_code, uint32_t next_eip, uint32_t ext, uintptr_t ra);

/* -- Far returns (farcall.c), shared by RETF and IRET ------------------------------ */

/* The return CS: RPL >= CPL, DPL by conformity, present. */
void far_check_return_cs(CpuState *env, uint16_t sel, Desc *cs, uintptr_t ra);
/* Same level: EIP within the limit, then CS:EIP loaded. */
void far_return_commit(CpuState *env, uint16_t cs_sel, Desc *cs, uint32_t eip, uintptr_t ra);
/* Outer level rpl: pop ESP and SS from st, check them, load CS:EIP and
 * SS:ESP (+ extra), and null the data segments the new CPL may not use. */
void far_return_outer(CpuState *env, SysStack *st, unsigned size, int rpl, uint32_t extra,
                      uint16_t cs_sel, Desc *cs, uint32_t eip, uintptr_t ra);

/* -- Elsewhere ---------------------------------------------------------------------- */

/* MSRs (msr.c) */
bool cpu_rdmsr(CpuState *env, uint32_t index, uint64_t *value);
bool cpu_wrmsr(CpuState *env, uint32_t index, uint64_t value);
uint64_t cpu_get_tsc(CpuState *env);
/* CPUID (cpuid.c) */
void cpu_cpuid(CpuState *env, uint32_t leaf, uint32_t subleaf, uint32_t out[4]);
/* The CR4 bits this CPU offers (cpuid.c, from its feature bits). */
uint32_t cpu_cr4_valid_bits(void);
/* PAE: are the four PDPTEs CR3 points at free of reserved bits? (paging.c) */
bool x86_pdptes_valid(CpuState *env, uint32_t cr3);

#endif
