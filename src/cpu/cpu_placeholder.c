/* cpu_placeholder.c — TEMPORARY: lets the tree link until the CPU core
 * (issue 3) lands; every entry point refuses to run a guest. Delete with it. */
#include "cpu/cpu.h"
#include "base/log.h"

Cpu *cpu_new(const CpuConfig *cfg) { fatal("no guest yet: the x86 CPU core is not built yet"); }
void cpu_free(Cpu *cpu) {}
void cpu_reset(Cpu *cpu) {}
CpuRunResult cpu_run(Cpu *cpu, uint64_t max_insns) { return CPU_RUN_HALTED; }
void cpu_request_exit(Cpu *cpu) {}
void cpu_set_intr(Cpu *cpu, bool level) {}
void cpu_raise_nmi(Cpu *cpu) {}
void cpu_set_a20(Cpu *cpu, bool enabled) {}
bool cpu_get_a20(const Cpu *cpu) { return true; }
uint64_t cpu_icount(const Cpu *cpu) { return 0; }
