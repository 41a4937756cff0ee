/* firmware.h — finding firmware images (SeaBIOS, VGA BIOS, our option ROMs).
 *
 * Search order for a bare file name: the build tree's build/bios (next to
 * the emu binary, or one level up from the test runner), the installed
 * share/emu, then Debian's /usr/share/seabios.
 */
#ifndef EMU_HW_FIRMWARE_H
#define EMU_HW_FIRMWARE_H

#include <stddef.h>
#include <stdint.h>

/* Full path of a firmware file, or NULL. The caller frees it. */
char *firmware_find(const char *name);
/* Load a whole file into a fresh buffer; exits with a clear message naming
 * `package` if it is missing. */
uint8_t *firmware_load(const char *path_or_name, size_t *size, const char *package);

#endif
