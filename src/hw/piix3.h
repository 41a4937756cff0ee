/* piix3.h — Intel 82371SB (PIIX3) function 0: the PCI-to-ISA bridge.
 *
 * What is modelled: the PCI header (multi-function), PIRQ routing
 * (PIRQRC[A:D], config 0x60-0x63: each of the four PCI interrupt lines to
 * an ISA IRQ, or off), and the reset control register at port 0xcf9.
 * Other PIIX3 registers hold their datasheet defaults; writes to them are
 * logged as unimplemented. The ISA devices themselves are separate models
 * wired by the board.
 *
 * The four PIRQ inputs are wired-OR lines: the board's INTx swizzle calls
 * piix3_set_pirq() for each PCI device pin, naming it by `source` so one
 * device lowering its pin does not drop another's request.
 */
#ifndef EMU_HW_PIIX3_H
#define EMU_HW_PIIX3_H

#include "hw/pci.h"

#define PIIX3_NUM_PIRQS 4
#define PIIX3_NUM_ISA_IRQS 16
#define PIIX3_PIRQ_SOURCES 1024     /* devfn * 4 + pin */

typedef struct Piix3 Piix3;

typedef struct Piix3Config {
    IrqLine isa_irq[PIIX3_NUM_ISA_IRQS];    /* PIC inputs (what PIRQRC routes to) */
    IrqLine ioapic[PIIX3_NUM_PIRQS];        /* IOAPIC pins 16-19, or unconnected */
    void *opaque;
    /* RCR bit 2 written as 1: `hard` is RCR bit 1 (full reset vs CPU INIT). */
    void (*reset)(void *opaque, bool hard);
} Piix3Config;

Piix3 *piix3_new(PciBus *pb, uint8_t devfn, const Piix3Config *cfg);
void piix3_free(Piix3 *s);
PciDevice *piix3_pci(Piix3 *s);

/* One INTx source (0 .. PIIX3_PIRQ_SOURCES-1) drives PIRQ `pirq` (0=A..3=D). */
void piix3_set_pirq(Piix3 *s, int pirq, int source, int level);

#endif
