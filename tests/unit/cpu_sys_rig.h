/* cpu_sys_rig.h — a bare CPU in 32-bit protected mode for the system
 * instruction tests (test_cpu_sys*.c).
 *
 * Layout (physical = linear): 0x500 the record of the last exception,
 * 0x1000 GDT, 0x2000 IDT (all 256 vectors: ring-0 interrupt gates to
 * recording stubs; 0x40 has DPL 3 so ring-3 code can end with int 0x40),
 * 0x3000 TSS (TR = 0x28, SS0:ESP0 = 0x10:0x90000, room for an I/O bitmap),
 * 0x6000 the stubs, 0x10000 the test's code (CPL 0, flat, ESP 0x80000).
 * A stub records the vector, error code (0 if none), the frame and the
 * handler's ESP at REC_*, then halts. Port 0x300 is a test device: reads
 * give 1, 2, 3...; writes are logged. The CPU runs on the backend given
 * (cpu_backends.h), checked at creation.
 */
#ifndef EMU_TESTS_CPU_SYS_RIG_H
#define EMU_TESTS_CPU_SYS_RIG_H

#include "cpu/cpu.h"
#include "hw/bus.h"
#include "unit/cpu_backends.h"

enum {
    REC_VEC = 0x500, REC_ERR = 0x504, REC_EIP = 0x508, REC_CS = 0x50c, REC_EFLAGS = 0x510,
    REC_ESP = 0x514, REC_SS = 0x518, REC_COUNT = 0x51c, REC_HANDLER_ESP = 0x520,
    REC_EAX = 0x524,
    RIG_GDT = 0x1000, RIG_IDT = 0x2000, RIG_TSS = 0x3000, RIG_CODE = 0x10000,
    RIG_ESP0 = 0x90000,
};
/* GDT selectors */
enum { SEL_CODE0 = 0x08, SEL_DATA0 = 0x10, SEL_CODE3 = 0x1b, SEL_DATA3 = 0x23, SEL_TSS = 0x28,
       SEL_FREE = 0x30 };

typedef struct SysRig {
    Bus *bus;
    VClock *clock;
    Cpu *cpu;
    uint8_t *mem;
    int intr_vector;            /* what INTA returns */
    uint8_t port_ctr;
    uint32_t port_log[16];
    int nport_log;
} SysRig;

SysRig *sysrig_new(CpuBackendKind backend, const uint8_t *code, size_t len);
void sysrig_free(SysRig *r);
/* Run until HLT or shutdown (or a generous instruction limit). */
CpuRunResult sysrig_run(SysRig *r);
uint32_t sysrig_rd32(SysRig *r, uint32_t addr);
uint8_t sysrig_rd8(SysRig *r, uint32_t addr);
void sysrig_wr32(SysRig *r, uint32_t addr, uint32_t v);
void sysrig_load(SysRig *r, uint32_t addr, const uint8_t *bytes, size_t len);
uint32_t sysrig_reg(SysRig *r, int reg);
void sysrig_set_reg(SysRig *r, int reg, uint32_t v);
void sysrig_set_eflags(SysRig *r, uint32_t v);
/* A code/data descriptor: access byte (P DPL S type) and flags (G, D/B). */
void sysrig_desc(SysRig *r, uint16_t sel, uint32_t base, uint32_t limit, uint8_t access,
              uint8_t flags);
/* A call gate in the GDT (type 0xc 32-bit or 0x4 16-bit). */
void sysrig_call_gate(SysRig *r, uint16_t sel, uint16_t target, uint32_t off, int dpl, int params,
                   int type);
/* An IDT gate: type_attr as in the descriptor (0x8e interrupt gate DPL 0...). */
void sysrig_idt_gate(SysRig *r, int vec, uint16_t sel, uint32_t off, uint8_t type_attr);
void sysrig_idt_present(SysRig *r, int vec, bool present);
/* A 32-bit TSS at base with the fields a task needs; its descriptor at sel. */
void sysrig_tss(SysRig *r, uint16_t sel, uint32_t base, uint32_t eip, uint32_t esp, uint16_t cs,
             uint16_t ss, uint16_t ds, bool busy);

#endif
