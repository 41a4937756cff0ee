/* cpu_harness.h — a bare CPU on a bus with RAM, for CPU tests.
 *
 *   CpuHarness *h = harness_new(CPU_BACKEND_INTERP, 1 << 20);
 *   harness_load(h, 0x7c00, code, len);
 *   harness_real_mode(h, 0x0000, 0x7c00);   // CS:IP
 *   harness_run(h, 100000);                 // until HLT or the limit
 *   ck_assert_uint_eq(harness_reg(h, CPU_EAX), ...);
 * Port 0xe9 writes are collected in h->out; port 0x80 writes in h->post.
 *
 * 32-bit protected mode (paging off), for instruction tests:
 *   harness_pm32(h, 0x300000, 0);           // flat 4 GiB segments, CPL 0
 *   harness_pm32(h, 0x300000, 3);           // CPL 3, with a TSS for ring 0
 *   harness_set_data_seg(h, base, limit);   // DS ES SS: a byte-granular data segment
 * Exceptions go through an IDT to a stub per vector that writes
 * HARNESS_STOP_PORT, which ends harness_run(): harness_exception() gives the
 * vector and harness_excp_frame() the EIP/EFLAGS/ESP the exception saved.
 * The RAM must reach HARNESS_SYS_END (4 MiB is plenty).
 *
 * harness_new() checks that the CPU got the backend asked for
 * (cpu_backends.h lists them); harness_advance() is harness_run() in pieces,
 * for running two CPUs side by side (test_cpu_lockstep.c).
 */
#ifndef EMU_TESTS_CPU_HARNESS_H
#define EMU_TESTS_CPU_HARNESS_H

#include "cpu/cpu.h"
#include "hw/bus.h"
#include "unit/cpu_backends.h"

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
    bool stopped;               /* an exception stub wrote HARNESS_STOP_PORT */
} CpuHarness;

#define HARNESS_STOP_PORT 0xe8

CpuHarness *harness_new(CpuBackendKind backend, uint32_t ram_size);
/* The same with dirty logging on the RAM (PAGE_DIRTY, memmap.h), so that a
 * test can find the pages written since it last cleared the bits. */
CpuHarness *harness_new_logged(CpuBackendKind backend, uint32_t ram_size);
void harness_free(CpuHarness *h);
void harness_load(CpuHarness *h, uint32_t paddr, const void *code, size_t len);
void harness_real_mode(CpuHarness *h, uint16_t cs, uint16_t ip);
/* Run until HLT, shutdown, or max_insns; returns the instructions run. */
uint64_t harness_run(CpuHarness *h, uint64_t max_insns);
/* The same without clearing an earlier stop: at most n more instructions,
 * none once harness_done(). */
uint64_t harness_advance(CpuHarness *h, uint64_t n);
/* The run has ended: HLT, shutdown, or an exception stub's stop. */
bool harness_done(const CpuHarness *h);
uint32_t harness_reg(CpuHarness *h, int reg);
uint32_t harness_eip(CpuHarness *h);
uint32_t harness_eflags(CpuHarness *h);

#define HARNESS_SYS_BASE 0x00380000u       /* GDT, IDT, TSS, handler stubs, ring-0 stack */
#define HARNESS_SYS_END 0x00382000u
enum {                                     /* GDT selectors of harness_pm32 */
    HARNESS_SEL_CODE0 = 0x08, HARNESS_SEL_DATA0 = 0x10, HARNESS_SEL_CODE3 = 0x1b,
    HARNESS_SEL_DATA3 = 0x23, HARNESS_SEL_TSS = 0x28, HARNESS_SEL_USER = 0x30,
};
void harness_pm32(CpuHarness *h, uint32_t eip, int cpl);
void harness_set_data_seg(CpuHarness *h, uint32_t base, uint32_t limit);
/* Vector of the exception the run ended in, or -1 (not halted in a stub). */
int harness_exception(CpuHarness *h);
/* The interrupted EIP, EFLAGS and ESP saved by that exception. */
void harness_excp_frame(CpuHarness *h, uint32_t *eip, uint32_t *eflags, uint32_t *esp);

#endif
