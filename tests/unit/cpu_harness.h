/* cpu_harness.h — a bare CPU on a bus with RAM, for CPU tests.
 *
 *   CpuHarness *h = harness_new(CPU_BACKEND_INTERP, 1 << 20);
 *   harness_load(h, 0x7c00, code, len);
 *   harness_real_mode(h, 0x0000, 0x7c00);   // CS:IP
 *   harness_run(h, 100000);                 // until HLT or the limit
 *   ck_assert_uint_eq(harness_reg(h, CPU_EAX), ...);
 * Port 0xe9 writes are collected in h->out; port 0x80 writes in h->post.
 */
#ifndef EMU_TESTS_CPU_HARNESS_H
#define EMU_TESTS_CPU_HARNESS_H

#include "cpu/cpu.h"
#include "hw/bus.h"

typedef struct CpuHarness {
    Bus *bus;
    VClock *clock;
    Cpu *cpu;
    RamBlock *ram;
    char out[4096];
    int nout;
    uint8_t post[64];
    int npost;
    CpuRunResult last;
} CpuHarness;

CpuHarness *harness_new(CpuBackendKind backend, uint32_t ram_size);
void harness_free(CpuHarness *h);
void harness_load(CpuHarness *h, uint32_t paddr, const void *code, size_t len);
void harness_real_mode(CpuHarness *h, uint16_t cs, uint16_t ip);
/* Run until HLT, shutdown, or max_insns; returns the instructions run. */
uint64_t harness_run(CpuHarness *h, uint64_t max_insns);
uint32_t harness_reg(CpuHarness *h, int reg);
uint32_t harness_eip(CpuHarness *h);
uint32_t harness_eflags(CpuHarness *h);

#endif
