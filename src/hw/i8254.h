/* i8254.h — Intel 82C54 programmable interval timer and PC port 0x61.
 *
 * Ports 0x40-0x42 are counters 0-2, 0x43 the control word register; port
 * 0x61 (PIIX "NMI Status and Control") carries counter 2's gate (bit 0), the
 * speaker data enable (bit 1), the refresh toggle (bit 4, read-only) and
 * counter 2's OUT (bit 5, read-only). Counter 0's OUT drives irq0 at the
 * exact virtual time of each edge; gates 0 and 1 are tied high. The input
 * clock is 1.193182 MHz.
 */
#ifndef EMU_HW_I8254_H
#define EMU_HW_I8254_H

#include "base/compiler.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/irq.h"

#define PIT_FREQ_HZ 1193182

typedef struct Pit Pit;

Pit *pit_new(Bus *bus, VClock *clock, IrqLine irq0);
void pit_reset(Pit *pit);
void pit_free(Pit *pit);

/* Drive a counter's GATE input (port 0x61 bit 0 drives counter 2's). */
void pit_set_gate(Pit *pit, int channel, bool level);
/* A counter's OUT level now. */
bool pit_get_out(Pit *pit, int channel);

#endif
