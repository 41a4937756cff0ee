/* i8259.h — the two cascaded Intel 8259A interrupt controllers of the PC.
 *
 * Master at ports 0x20-0x21, slave at 0xa0-0xa1 on the master's IR2, and the
 * PIIX edge/level control registers (ELCR) at 0x4d0-0x4d1. Devices drive the
 * 16 inputs with pic_set_irq() (an IrqHandler: wire them with
 * irq_line(pic_set_irq, pic, n)); the master's INT output drives intr_out,
 * whose level means "an unmasked request of higher priority than any in
 * service exists". The CPU (or the LAPIC's LINT0 in ExtINT mode) answers with
 * pic_ack(), the INTA cycle, which returns the vector.
 */
#ifndef EMU_HW_I8259_H
#define EMU_HW_I8259_H

#include "base/compiler.h"
#include "hw/bus.h"
#include "hw/irq.h"

typedef struct Pic Pic;

Pic *pic_new(Bus *bus, IrqLine intr_out);
void pic_free(Pic *pic);
void pic_reset(Pic *pic);

/* IrqHandler for inputs 0..15 (8..15 are the slave's IR0..IR7). */
void pic_set_irq(void *pic, int irq, int level);

/* The INTA cycle: returns the vector and moves the request to in-service.
 * A request that vanished before INTA gives the spurious IR7 vector of the
 * chip that lost it (see i8259.c). */
int pic_ack(Pic *pic);

/* Level of intr_out, for a CPU that samples INTR instead of following it. */
bool pic_intr_pending(const Pic *pic);

/* Register peeks for the monitor and tests: chip 0 master, 1 slave. */
uint8_t pic_get_irr(const Pic *pic, int chip);
uint8_t pic_get_isr(const Pic *pic, int chip);
uint8_t pic_get_imr(const Pic *pic, int chip);

#endif
