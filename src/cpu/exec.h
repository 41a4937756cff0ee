/* exec.h — services C helpers use: leaving translated code, raising guest
 * exceptions precisely, guest memory access, EFLAGS.
 *
 * `ra` arguments are host return addresses into translated code: a helper
 * passes GETPC() (from its own frame) down to anything that may fault, so the
 * unwinder can find the guest instruction that was running and restore its
 * EIP, lazy-flag state and instruction count. ra = 0 means "not called from
 * translated code: the state is already precise".
 */
#ifndef EMU_CPU_EXEC_H
#define EMU_CPU_EXEC_H

#include "cpu/state.h"
#include "cpu/cc.h"

/* Leave to cpu_run's loop (longjmp). The state must be precise already. */
NORETURN void cpu_loop_exit(CpuState *env);
/* Restore the state of the instruction at ra, then leave. */
NORETURN void cpu_loop_exit_restore(CpuState *env, uintptr_t ra);
/* Restore EIP, cc_op and the instruction count of the instruction at ra.
 * Returns false if ra is not in translated code. */
bool cpu_restore_state(CpuState *env, uintptr_t ra);

/* Raise a guest exception at the instruction at ra. Vectors with an error
 * code (8, 10-14, 17) take it from raise_exception_err. */
NORETURN void raise_exception(CpuState *env, int excp, uintptr_t ra);
NORETURN void raise_exception_err(CpuState *env, int excp, uint32_t error_code, uintptr_t ra);
/* A software interrupt (INT n / INT3 / INTO): delivered with next_eip as the
 * return address and the gate DPL checks of software interrupts. */
NORETURN void raise_interrupt(CpuState *env, int intno, int is_int, uint32_t next_eip,
                              uintptr_t ra);

/* Deliver an interrupt or exception now (excp.c): real mode through the IVT,
 * protected mode through the IDT (gates, stack switch, V86). is_int: 0 for
 * exceptions and hardware interrupts, 1 for INT n, 2 for INT3/INTO. */
void do_interrupt(CpuState *env, int intno, int is_int, uint32_t error_code,
                  bool has_error, uint32_t next_eip, bool is_hw);

/* EFLAGS with the lazy flags folded in, and loading EFLAGS back. */
uint32_t cpu_compute_eflags(CpuState *env);
/* Set the bits of `mask` from `eflags` (arithmetic flags become
 * CC_OP_EFLAGS); updates df and hflags. */
void cpu_load_eflags(CpuState *env, uint32_t eflags, uint32_t mask);

/* Guest memory at a linear address, with the CPU's current privilege (data)
 * or as the system (descriptor tables, TSS, IDT: supervisor accesses). */
uint32_t cpu_ld8(CpuState *env, uint32_t addr, uintptr_t ra);
uint32_t cpu_ld16(CpuState *env, uint32_t addr, uintptr_t ra);
uint32_t cpu_ld32(CpuState *env, uint32_t addr, uintptr_t ra);
uint64_t cpu_ld64(CpuState *env, uint32_t addr, uintptr_t ra);
void cpu_st8(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
void cpu_st16(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
void cpu_st32(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
void cpu_st64(CpuState *env, uint32_t addr, uint64_t v, uintptr_t ra);
uint32_t cpu_ld8_sys(CpuState *env, uint32_t addr, uintptr_t ra);
uint32_t cpu_ld16_sys(CpuState *env, uint32_t addr, uintptr_t ra);
uint32_t cpu_ld32_sys(CpuState *env, uint32_t addr, uintptr_t ra);
void cpu_st8_sys(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
void cpu_st16_sys(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
void cpu_st32_sys(CpuState *env, uint32_t addr, uint32_t v, uintptr_t ra);
/* With an explicit mmu index (MMU_KERNEL/MMU_USER). */
uint32_t cpu_ld_mmu(CpuState *env, uint32_t addr, int ot, int mmu, uintptr_t ra);
void cpu_st_mmu(CpuState *env, uint32_t addr, uint32_t v, int ot, int mmu, uintptr_t ra);

/* Linear address of seg:off for an access of size bytes, with the checks
 * translated code does (limit, expand-down, writability; #GP/#SS). */
uint32_t cpu_seg_lin(CpuState *env, int seg, uint32_t off, unsigned size, bool write,
                     uintptr_t ra);

/* Load a segment register in real/V86 mode (selector << 4). */
void cpu_load_seg_real(CpuState *env, int seg, uint16_t selector);
/* Set a segment cache from explicit values (protected mode loads call this
 * after their checks); recomputes hflags. */
void cpu_set_seg_cache(CpuState *env, int seg, uint16_t selector, uint32_t base,
                       uint32_t limit, uint16_t attr);
/* Decode a descriptor's two dwords into base/limit/attr. */
void cpu_decode_descriptor(uint32_t lo, uint32_t hi, uint32_t *base, uint32_t *limit,
                           uint16_t *attr);

/* Flush the TLB and everything derived from it (jump cache). */
void cpu_tlb_flush(CpuState *env);
void cpu_tlb_flush_page(CpuState *env, uint32_t addr);
/* CR0/CR3/CR4 writes with their side effects (TLB flushes, hflags). */
void cpu_set_cr0(CpuState *env, uint32_t v);
void cpu_set_cr3(CpuState *env, uint32_t v);
void cpu_set_cr4(CpuState *env, uint32_t v);

/* x86 page walk: the TcgCpuState tlb_fill hook (paging.c). */
bool x86_tlb_fill(void *env, uint64_t vaddr, AccessType access, int mmu_idx, bool probe,
                  uintptr_t ra);
/* Translate without side effects (debuggers); false if not mapped. */
bool x86_translate_debug(CpuState *env, uint32_t vaddr, uint64_t *paddr);

/* Make the running blocks return to the loop at the next block boundary. */
void cpu_request_exit_soft(Cpu *cpu);
const char *cpu_backend_name(const Cpu *cpu);

/* I/O permission (SDM Vol. 1 18.5): #GP unless CPL <= IOPL or the TSS bitmap allows. */
void cpu_check_io(CpuState *env, uint32_t port, unsigned size, uintptr_t ra);

#endif
