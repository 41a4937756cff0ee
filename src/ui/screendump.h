/* screendump.h — saving what a DisplayDevice shows: a PNG of the surface,
 * or the characters of a text-mode screen as UTF-8 lines. Used by the
 * monitor's screendump command, the tests and the headless runs.
 */
#ifndef EMU_UI_SCREENDUMP_H
#define EMU_UI_SCREENDUMP_H

#include <stdio.h>
#include "ui/display.h"

/* Render everything afresh and write a PNG; 0, or -1 with err filled. */
int screendump_png(DisplayDevice *d, const char *path, char *err, size_t errlen);
/* Write each text row as one UTF-8 line (code page 437, trailing blanks
 * dropped, NUL shown as a blank). Returns -1 if not in a text mode. */
int screendump_text(DisplayDevice *d, FILE *out);
/* The UTF-8 encoding (NUL-terminated, at most 3 bytes) of CP437 code c. */
const char *cp437_utf8(uint8_t c);

#endif
