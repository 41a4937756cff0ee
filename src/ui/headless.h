/* headless.h — display output without a window: screendumps to files, at
 * a virtual time given on the command line (-screendump-at) or on demand
 * (the monitor's screendump command).
 */
#ifndef EMU_UI_HEADLESS_H
#define EMU_UI_HEADLESS_H

#include "hw/machine.h"
#include "ui/display.h"

/* Save the screen to path: the text screen (UTF-8 lines) if path ends in
 * ".txt", else a PNG. 0, or -1 with a one-line reason in err. */
int ui_screendump_file(DisplayDevice *d, const char *path, char *err, size_t errlen);

/* Arm one virtual-time timer per -screendump-at option of m. A dump that
 * fails is reported on stderr and the guest runs on. */
void headless_schedule_screendumps(Machine *m, DisplayDevice *d);

#endif
