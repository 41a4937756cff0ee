/* keymap.h — host keys to PS/2 scan code set 2.
 *
 * Keys are named by their USB HID usage on the Keyboard/Keypad page (0x07),
 * which is also how SDL numbers its scancodes (SDL_SCANCODE_A == 0x04), so
 * the table needs no SDL header and a front end passes its scancode as is.
 * keymap_set2() gives the bytes a PS/2 keyboard sends for a press (make) or
 * a release (break) of that physical key, as the i8042 expects them
 * (i8042_kbd_put_scancode, one byte at a time).
 *
 * The sequences are those of Microsoft's "Keyboard Scan Code Specification"
 * (rev. 1.3a, appendix C): one code byte, E0-prefixed codes for the keys
 * added by the 101-key layout, and two special cases — Pause, which has no
 * break sequence, and Print Screen, which sends a fake Shift around its
 * code. Modifier-dependent variants (Alt+PrintScreen = SysRq 0x84,
 * Ctrl+Pause = Break E0 7E) and the fake Shifts around grey keys while
 * NumLock is on are not generated: guests treat the plain codes alike.
 *
 * To add a key: one row in the table in keymap.c, indexed by its HID usage.
 */
#ifndef EMU_UI_KEYMAP_H
#define EMU_UI_KEYMAP_H

#include "base/compiler.h"

#define KEYMAP_MAX_SEQ 8        /* Pause: E1 14 77 E1 F0 14 F0 77 */

/* HID usages the front ends name (USB HID Usage Tables 1.12, section 10). */
enum {
    HID_A = 0x04, HID_G = 0x0a, HID_ENTER = 0x28, HID_SPACE = 0x2c,
    HID_LCTRL = 0xe0, HID_LSHIFT = 0xe1, HID_LALT = 0xe2, HID_LGUI = 0xe3,
    HID_RCTRL = 0xe4, HID_RSHIFT = 0xe5, HID_RALT = 0xe6, HID_RGUI = 0xe7,
    HID_USAGE_LIMIT = 0xe8,     /* usages at and above have no PS/2 key */
};

/* The set-2 make (press) or break (release) sequence of a key into out;
 * returns its length: 0 for a usage with no PS/2 key, and for releasing
 * Pause (which sends nothing). */
int keymap_set2(unsigned hid_usage, bool press, uint8_t out[KEYMAP_MAX_SEQ]);

/* The key that types ASCII character c on a US layout, and whether Shift
 * must be held; 0 if no key types it. ('\n' is Enter, '\t' Tab, '\b'
 * Backspace.) Used to replay typed text (test hooks). */
unsigned keymap_ascii(char c, bool *shift);

#endif
