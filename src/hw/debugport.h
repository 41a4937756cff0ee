/* debugport.h — the debug and test ports emulators provide.
 *
 *   0xe9, 0x402  debug console (Bochs/QEMU "debugcon"): a write sends the
 *                byte to the chardev; a read returns 0xe9, which SeaBIOS and
 *                test programs check to find the port
 *   0x80         POST codes: logged under LOG_POST as "POST: 0xNN"
 *   0x501-0x502  isa-debug-exit: a write of v asks to exit with status
 *                (v << 1) | 1, as QEMU's isa-debug-exit does
 * debugcon may be NULL (output dropped); hooks->exit receives the status.
 */
#ifndef EMU_HW_DEBUGPORT_H
#define EMU_HW_DEBUGPORT_H

#include "hw/bus.h"
#include "ui/chardev.h"

typedef struct DebugPortHooks {
    void *opaque;
    void (*exit)(void *opaque, int status);
} DebugPortHooks;

typedef struct DebugPorts DebugPorts;
typedef DebugPorts DebugPort;       /* the board's spelling */

DebugPorts *debugport_new(Bus *bus, CharDev *debugcon, const DebugPortHooks *hooks);
/* Forgets the last POST code. */
void debugport_reset(DebugPorts *dp);
void debugport_free(DebugPorts *dp);
/* The last byte written to port 0x80 (monitor, tests). */
uint8_t debugport_last_post(const DebugPorts *dp);

#endif
