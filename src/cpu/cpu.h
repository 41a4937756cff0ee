/* cpu.h — the x86 CPU core as a library: the only header outside src/cpu and
 * src/tcg need.
 *
 * A Cpu executes guest code from a Bus (memory map + ports) and reads time
 * from a VClock. It keeps an exact count of executed instructions.
 *
 *   Cpu *cpu = cpu_new(&(CpuConfig){ .bus = bus, .clock = clock });
 *   cpu_reset(cpu);                       // power-on state, EIP=FFF0
 *   CpuRegs r; cpu_get_regs(cpu, &r); ... cpu_set_regs(cpu, &r);
 *   CpuRunResult why = cpu_run(cpu, 1000); // at most 1000 instructions
 *
 * cpu_run() returns after exactly max_insns instructions unless the CPU
 * halts, shuts down (triple fault) or someone calls cpu_request_exit()
 * (devices do, after raising an interrupt or asking for a reset).
 */
#ifndef EMU_CPU_CPU_H
#define EMU_CPU_CPU_H

#include <stdio.h>
#include "base/compiler.h"
#include "base/vclock.h"
#include "hw/bus.h"

typedef struct Cpu Cpu;

typedef struct CpuHooks {
    void *opaque;
    /* The CPU takes an external interrupt (INTR high, IF=1): acknowledge it
     * at the interrupt controller and return the vector, or -1 if the request
     * went away (the CPU then carries on). */
    int (*intr_ack)(void *opaque);
    /* Triple fault or shutdown cycle: the board resets the machine. */
    void (*shutdown)(void *opaque);
    /* The guest wrote IA32_APIC_BASE (MSR 0x1b); the local APIC moves. */
    void (*apic_base_write)(void *opaque, uint64_t value);
} CpuHooks;

typedef enum { CPU_BACKEND_DEFAULT, CPU_BACKEND_INTERP, CPU_BACKEND_JIT } CpuBackendKind;

typedef struct CpuConfig {
    Bus *bus;
    VClock *clock;
    CpuBackendKind backend;     /* DEFAULT: the JIT where the host has one */
    CpuHooks hooks;
} CpuConfig;

Cpu *cpu_new(const CpuConfig *cfg);
void cpu_free(Cpu *cpu);
/* Power-on/RESET state (SDM Vol. 3A 9.1.1). Flushes TLB and code cache. */
void cpu_reset(Cpu *cpu);

typedef enum {
    CPU_RUN_BUDGET,        /* ran max_insns instructions */
    CPU_RUN_HALTED,        /* HLT with no interrupt pending; time must pass */
    CPU_RUN_EXIT_REQUEST,  /* cpu_request_exit() was called */
    CPU_RUN_SHUTDOWN,      /* triple fault: hooks.shutdown was called */
} CpuRunResult;

CpuRunResult cpu_run(Cpu *cpu, uint64_t max_insns);
/* Leave cpu_run() at the next instruction boundary. Safe from device
 * callbacks that run inside an instruction (port or MMIO access). */
void cpu_request_exit(Cpu *cpu);

/* Input pins. INTR is level-sensitive; NMI is edge (each call is one NMI). */
void cpu_set_intr(Cpu *cpu, bool level);
void cpu_raise_nmi(Cpu *cpu);
/* Gate A20 (from port 0x92 or the keyboard controller). */
void cpu_set_a20(Cpu *cpu, bool enabled);
bool cpu_get_a20(const Cpu *cpu);
bool cpu_is_halted(const Cpu *cpu);

/* Executed-instruction count since cpu_new() (exact). */
uint64_t cpu_icount(const Cpu *cpu);

/* --- Architectural state, for tests, the monitor and debuggers ---------- */

enum { CPU_EAX, CPU_ECX, CPU_EDX, CPU_EBX, CPU_ESP, CPU_EBP, CPU_ESI, CPU_EDI };
enum { CPU_ES, CPU_CS, CPU_SS, CPU_DS, CPU_FS, CPU_GS };

/* A segment register and its hidden descriptor cache. `attr` holds
 * descriptor bits 40-47 in bits 0-7 (type, S, DPL, P) and bits 52-55 in
 * bits 8-11 (AVL, L, D/B, G); `limit` is the expanded byte limit. */
typedef struct CpuSegment {
    uint16_t selector;
    uint32_t base;
    uint32_t limit;
    uint16_t attr;
} CpuSegment;

typedef struct CpuRegs {
    uint32_t gpr[8];        /* CPU_EAX.. */
    uint32_t eip;
    uint32_t eflags;
    CpuSegment seg[6];      /* CPU_ES.. */
    CpuSegment ldtr, tr;
    uint32_t gdt_base, gdt_limit;
    uint32_t idt_base, idt_limit;
    uint32_t cr0, cr2, cr3, cr4;
    uint32_t dr[8];
    uint64_t efer;
} CpuRegs;

void cpu_get_regs(Cpu *cpu, CpuRegs *regs);
/* Sets everything, then drops translations that depend on the mode. */
void cpu_set_regs(Cpu *cpu, const CpuRegs *regs);

/* x87/SSE state as the FXSAVE image (SDM Vol. 1 10.5.1): 512 bytes. */
void cpu_get_fxsave(Cpu *cpu, uint8_t image[512]);
void cpu_set_fxsave(Cpu *cpu, const uint8_t image[512]);

/* Read guest memory through the current paging setup, without faults or
 * side effects on accessed/dirty bits; -1 if a page is not mapped. */
int cpu_read_virt(Cpu *cpu, uint32_t vaddr, void *buf, size_t len);
/* "info registers" style dump. */
void cpu_dump(Cpu *cpu, FILE *f);

#endif
