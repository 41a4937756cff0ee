/* png.h — write a DisplaySurface as a PNG file (ISO/IEC 15948, RFC 2083).
 *
 * The image is 8-bit RGB (colour type 2), no interlace, filter type 0 on
 * every row; the IDAT stream is compressed with zlib's deflate and the chunk
 * CRCs come from zlib's crc32.
 */
#ifndef EMU_UI_PNG_H
#define EMU_UI_PNG_H

#include <stddef.h>
#include "ui/display.h"

/* Returns 0, or -1 with a one-line reason in err (which may be NULL). */
int png_write(const char *path, const DisplaySurface *s, char *err, size_t errlen);

#endif
