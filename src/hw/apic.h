/* apic.h — the CPU's local APIC (xAPIC, Intel SDM Vol. 3A chapter 10).
 *
 * One Apic per CPU (emu has one CPU, APIC ID 0). It owns a 4 KiB MMIO page
 * at IA32_APIC_BASE (0xfee00000 after reset) and decides the level of the
 * CPU's INTR pin:
 *
 *   Apic *apic = apic_new(bus, clock, 0, intr, nmi, pic_ack, pic);
 *   pic output      -> apic_lint_line(apic, 0)   (LINT0, ExtINT/virtual wire)
 *   NMI sources     -> apic_lint_line(apic, 1)   (LINT1)
 *   intr            -> a handler calling cpu_set_intr(cpu, level)
 *   nmi             -> a handler calling cpu_raise_nmi(cpu) when level is 1
 *   CpuHooks.intr_ack        -> apic_intr_ack(apic)
 *   CpuHooks.apic_base_write -> apic_set_base(apic, value)
 *   reset                    -> apic_reset(apic)
 *
 * While the APIC is globally disabled (IA32_APIC_BASE bit 11 clear) or
 * software-disabled (SVR bit 8 clear), LINT0 and LINT1 are the CPU's plain
 * INTR and NMI inputs, so the 8259 works before and without APIC set-up.
 * I/O APICs send messages with apic_deliver() and listen for EOIs of
 * level-triggered vectors with apic_add_eoi_listener().
 */
#ifndef EMU_HW_APIC_H
#define EMU_HW_APIC_H

#include "base/compiler.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/irq.h"

#define APIC_DEFAULT_BASE 0xfee00000u
#define APIC_MMIO_SIZE 0x1000u

/* IA32_APIC_BASE MSR bits (SDM Vol. 3A 10.4.4). */
#define APIC_BASE_BSP (1u << 8)
#define APIC_BASE_ENABLE (1u << 11)

/* Delivery modes of LVT entries, the ICR and I/O APIC redirection entries. */
enum {
    APIC_DM_FIXED = 0, APIC_DM_LOWEST = 1, APIC_DM_SMI = 2, APIC_DM_NMI = 4,
    APIC_DM_INIT = 5, APIC_DM_STARTUP = 6, APIC_DM_EXTINT = 7,
};

/* An interrupt message on the APIC bus (from an I/O APIC or an IPI). */
typedef struct ApicMsg {
    uint8_t vector;
    uint8_t delivery_mode;  /* APIC_DM_* */
    uint8_t dest;           /* physical APIC ID or logical mask; 0xff broadcast */
    bool logical;           /* destination mode */
    bool level;             /* level-triggered (sets TMR; EOI is broadcast) */
} ApicMsg;

typedef struct Apic Apic;

/* ExtINT acknowledge: the 8259's INTA cycle, returns its vector. */
typedef int ApicPicAck(void *opaque);
/* EOI of a level-triggered vector, broadcast to the I/O APICs. */
typedef void ApicEoiFn(void *opaque, uint8_t vector);

Apic *apic_new(Bus *bus, VClock *clock, uint8_t apic_id, IrqLine intr, IrqLine nmi,
               ApicPicAck *pic_ack, void *pic_opaque);
void apic_free(Apic *apic);
/* Power-on/RESET state (SDM Vol. 3A 10.4.7.1); base back to 0xfee00000. */
void apic_reset(Apic *apic);

/* IA32_APIC_BASE: the CPU's WRMSR 0x1b; moves or disables the MMIO page. */
void apic_set_base(Apic *apic, uint64_t value);
uint64_t apic_get_base(const Apic *apic);

/* IrqHandler for the LINT pins: pin 0 = LINT0, pin 1 = LINT1. */
void apic_set_lint(void *opaque, int pin, int level);
static inline IrqLine apic_lint_line(Apic *apic, int pin)
{
    return irq_line(apic_set_lint, apic, pin);
}

/* CpuHooks.intr_ack: the vector to take, or -1 if INTR went away. */
int apic_intr_ack(Apic *apic);

/* A message for this APIC; returns true if it was a destination and took it. */
bool apic_deliver(Apic *apic, const ApicMsg *msg);
void apic_add_eoi_listener(Apic *apic, ApicEoiFn *fn, void *opaque);

/* INIT and STARTUP IPIs seen (for SMP later): count and last SIPI vector. */
int apic_sipi_count(const Apic *apic, uint8_t *last_vector);

#endif
