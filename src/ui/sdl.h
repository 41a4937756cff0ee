/* sdl.h — the SDL2 window: the guest's screen, keyboard and mouse.
 *
 * The window shows the display device's surface at the guest's resolution,
 * scaled to the window with the aspect ratio kept (black bars). It is
 * driven by a machine poll handler (every ~10 ms between CPU slices): input
 * events go to the guest at once; the screen is redrawn at most 60 times a
 * second of host time, uploading only the rectangles the device reports as
 * changed, so a busy guest is not slowed by the window.
 *
 * Keys go to the guest as PS/2 set-2 sequences (ui/keymap.h). A click in the
 * window or Ctrl+Alt+G grabs the mouse (relative motion); Ctrl+Alt+G
 * releases it; the title says which. Closing the window: if the guest has
 * enabled the ACPI power-button event, the button is pressed and the guest
 * gets SDL_CLOSE_TIMEOUT_S seconds to power off (closing again quits at
 * once); otherwise emu quits at once, as if the power cord were pulled
 * (disks are flushed).
 *
 * Test hook (not for users): EMU_TEST_KEYS="text" types text into the
 * guest through SDL's event queue, starting EMU_TEST_KEYS_AT seconds of
 * virtual time after power-on (default 1), one key event every 20 ms of
 * virtual time, on a US layout (Shift pressed for capitals). "\n" (a real
 * newline or backslash-n) is Enter, "{pause}" waits one second, "{close}"
 * closes the window as the user would.
 */
#ifndef EMU_UI_SDL_H
#define EMU_UI_SDL_H

#include "hw/machine.h"
#include "ui/display.h"

#define SDL_CLOSE_TIMEOUT_S 20

typedef struct SdlUiConfig {
    Machine *m;
    DisplayDevice *display;
    void *opaque;
    /* One byte of a set-2 make or break sequence. */
    void (*put_scancode)(void *opaque, uint8_t set2_byte);
    /* As i8042_mouse_event: dx right, dy down, dz wheel towards the user,
     * buttons bit 0 left, 1 right, 2 middle, 3/4 side buttons. */
    void (*mouse_event)(void *opaque, int dx, int dy, int dz, unsigned buttons);
    /* Press the power button; true if the guest will act on it. May be NULL. */
    bool (*power_button)(void *opaque);
} SdlUiConfig;

typedef struct SdlUi SdlUi;

/* Open the window and register with cfg->m (a poll handler; the window
 * closes at machine_free). NULL with SDL's reason in err if no window can
 * be opened. */
SdlUi *sdl_ui_new(const SdlUiConfig *cfg, char *err, size_t errlen);

/* The title shows the mouse state; exposed for tests. */
const char *sdl_ui_title(SdlUi *ui);
bool sdl_ui_mouse_grabbed(SdlUi *ui);

#endif
