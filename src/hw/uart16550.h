/* uart16550.h — National PC16550D UART, as on a PC serial port.
 *
 * Eight registers at base..base+7. Transmitted bytes go to the chardev at
 * once; received bytes come from it into the 16-byte receive FIFO. As on
 * the IBM serial adapter, the interrupt reaches the ISA line only while MCR
 * OUT2 is set (and not in loopback, where OUT2 is internal). chr may be
 * NULL: the port exists with nothing attached.
 */
#ifndef EMU_HW_UART16550_H
#define EMU_HW_UART16550_H

#include "base/compiler.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/irq.h"
#include "ui/chardev.h"

typedef struct Uart Uart;

Uart *uart_new(Bus *bus, VClock *clock, uint16_t base, IrqLine irq, CharDev *chr);
void uart_reset(Uart *uart);
void uart_free(Uart *uart);

#endif
