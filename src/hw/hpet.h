/* hpet.h — the High Precision Event Timer (IA-PC HPET Specification 1.0a):
 * a 64-bit 100 MHz main counter and 3 comparators, at 0xfed00000 (1 KiB).
 *
 *   IrqLine gsi[24] = { ioapic_line(io, 0), ... };
 *   Hpet *h = hpet_new(bus, clock, 0xfed00000, gsi, pic_irq0, pic_irq8);
 *   PIT output -> hpet_pit_line(h)    RTC IRQ -> hpet_rtc_line(h)
 *
 * The HPET owns the legacy timer interrupt routing: the PIT and the RTC are
 * wired through it and reach (PIC IRQ0, I/O APIC pin 2) and (PIC IRQ8,
 * I/O APIC pin 8) unless the guest sets LEG_RT_CNF, which hands those lines
 * to comparators 0 and 1 (spec 2.3.9.2.2). Comparators may also route to
 * I/O APIC pins 20-23 (Tn_INT_ROUTE_CAP). pic_irq0/pic_irq8 may be the
 * 8259 inputs or the board's ISA IRQ fan-out lines: gsi[2] and gsi[8]
 * always carry the same level, so driving a pin twice is harmless.
 */
#ifndef EMU_HW_HPET_H
#define EMU_HW_HPET_H

#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/irq.h"

#define HPET_DEFAULT_BASE 0xfed00000u
#define HPET_MMIO_SIZE 0x400u
#define HPET_NUM_TIMERS 3
#define HPET_NUM_GSI 24
#define HPET_PERIOD_FS 10000000u        /* 10 ns: 100 MHz, as QEMU */
/* General capabilities, low half (also the ACPI HPET table's block ID):
 * revision 1, 3 comparators, 64-bit counter, legacy capable, vendor 8086. */
#define HPET_CAP_ID_LOW 0x8086a201u

typedef struct Hpet Hpet;

Hpet *hpet_new(Bus *bus, VClock *clock, uint64_t base, const IrqLine gsi[HPET_NUM_GSI],
               IrqLine pic_irq0, IrqLine pic_irq8);
void hpet_free(Hpet *h);
void hpet_reset(Hpet *h);

/* Inputs for the legacy timer sources (IrqHandler pins 0 = PIT, 1 = RTC). */
void hpet_set_legacy_input(void *opaque, int pin, int level);
static inline IrqLine hpet_pit_line(Hpet *h) { return irq_line(hpet_set_legacy_input, h, 0); }
static inline IrqLine hpet_rtc_line(Hpet *h) { return irq_line(hpet_set_legacy_input, h, 1); }

#endif
