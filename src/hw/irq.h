/* irq.h — interrupt lines between devices.
 *
 * An IrqLine is a small value naming a sink (an interrupt controller's input
 * pin, the CPU's INTR pin): whoever wires the board hands a device the line,
 * and the device calls irq_set() with the level it drives. Edge-triggered
 * sinks look at level changes; a pulse is irq_set(1) then irq_set(0).
 */
#ifndef EMU_HW_IRQ_H
#define EMU_HW_IRQ_H

typedef void IrqHandler(void *opaque, int pin, int level);

typedef struct IrqLine {
    IrqHandler *handler;   /* NULL: not connected, levels are ignored */
    void *opaque;
    int pin;
} IrqLine;

static inline IrqLine irq_line(IrqHandler *handler, void *opaque, int pin)
{
    IrqLine l = { handler, opaque, pin };
    return l;
}

static inline void irq_set(IrqLine line, int level)
{
    if (line.handler)
        line.handler(line.opaque, line.pin, level);
}
static inline void irq_raise(IrqLine line) { irq_set(line, 1); }
static inline void irq_lower(IrqLine line) { irq_set(line, 0); }
static inline void irq_pulse(IrqLine line) { irq_set(line, 1); irq_set(line, 0); }

#endif
