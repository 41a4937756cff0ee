/* port92.h — PS/2 "System Control Port A" at 0x92: fast A20 and fast reset.
 *
 * Bit 1 gates A20 (reported through hooks->set_a20 on every write), a 0->1
 * transition of bit 0 resets the machine (hooks->reset). Shares the hook
 * type with the i8042, whose output port drives the same two signals.
 */
#ifndef EMU_HW_PORT92_H
#define EMU_HW_PORT92_H

#include "hw/bus.h"
#include "hw/i8042.h"

typedef struct Port92 Port92;

Port92 *port92_new(Bus *bus, const I8042Hooks *hooks);
void port92_reset(Port92 *p);
void port92_free(Port92 *p);

#endif
