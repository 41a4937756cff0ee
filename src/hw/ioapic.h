/* ioapic.h — the Intel 82093AA I/O APIC: 24 interrupt inputs turned into
 * APIC bus messages for the local APIC.
 *
 *   IoApic *io = ioapic_new(bus, 0xfec00000, apic);   // IOREGSEL/IOWIN
 *   device or ISA IRQ n  -> ioapic_line(io, gsi)       // IrqHandler input
 *
 * ioapic_new registers itself for the local APIC's EOI broadcasts, which
 * clear the Remote IRR of level-triggered entries. IrqLine levels are
 * logical (1 = asserted); the polarity bit is kept for the guest to read.
 */
#ifndef EMU_HW_IOAPIC_H
#define EMU_HW_IOAPIC_H

#include "hw/apic.h"
#include "hw/bus.h"
#include "hw/irq.h"

#define IOAPIC_DEFAULT_BASE 0xfec00000u
#define IOAPIC_NUM_PINS 24

typedef struct IoApic IoApic;

IoApic *ioapic_new(Bus *bus, uint64_t base, Apic *apic);
void ioapic_free(IoApic *io);
/* RESET: ID 0, every redirection entry masked. */
void ioapic_reset(IoApic *io);

/* IrqHandler for input pin `pin` (0-23). */
void ioapic_set_irq(void *opaque, int pin, int level);
static inline IrqLine ioapic_line(IoApic *io, int pin)
{
    return irq_line(ioapic_set_irq, io, pin);
}

#endif
