/* uart.h — the PC serial port: the 16550A in uart16550.h (include that). */
#ifndef EMU_HW_UART_H
#define EMU_HW_UART_H
#include "hw/uart16550.h"
#endif
