/* i8042.h — the PS/2 keyboard controller with its keyboard and mouse.
 *
 * Port 0x60 is the data port, 0x64 status (read) and command (write). The
 * keyboard speaks scan code set 2; the controller translates to set 1 when
 * command byte bit 6 is set. IRQ1 follows "keyboard byte in the output
 * buffer and command byte bit 0", IRQ12 "mouse byte and bit 1".
 *
 * The hooks report the controller's output port: set_a20 whenever the guest
 * writes the A20 gate bit (0xd1, 0xdd, 0xdf), reset when it pulls the
 * system reset line (bit 0 of 0xd1, or pulse command 0xfe). Port 92 uses the
 * same hooks type; the board decides how the two A20 sources combine.
 */
#ifndef EMU_HW_I8042_H
#define EMU_HW_I8042_H

#include "base/compiler.h"
#include "hw/bus.h"
#include "hw/irq.h"

typedef struct I8042Hooks {
    void *opaque;
    void (*set_a20)(void *opaque, bool enabled);
    void (*reset)(void *opaque);
} I8042Hooks;

typedef struct I8042 I8042;

I8042 *i8042_new(Bus *bus, IrqLine irq1, IrqLine irq12, const I8042Hooks *hooks);
void i8042_reset(I8042 *kbc);
void i8042_free(I8042 *kbc);

/* One byte of a key's set-2 make or break sequence (e.g. 0xe0 0xf0 0x75). */
void i8042_kbd_put_scancode(I8042 *kbc, uint8_t set2_byte);

/* Mouse motion in device counts: dx right, dy down (screen direction; the
 * packets say "up" as PS/2 does), dz wheel notches towards the user
 * (scrolling down). buttons: bit 0 left, 1 right, 2 middle, 3 fourth,
 * 4 fifth. */
void i8042_mouse_event(I8042 *kbc, int dx, int dy, int dz, unsigned buttons);

/* Port 92 drives the same two signals; a board that has one has both. */
#include "hw/port92.h"

#endif
