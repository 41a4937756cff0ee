/* options.h — the command line, in QEMU's spelling, parsed into one struct.
 *
 * options_parse() checks syntax and values only; files are opened (and a
 * missing one reported) by whoever uses them at machine creation. To add an
 * option: a field here, a row in option_table[] in options.c, and a line of
 * help text there.
 */
#ifndef EMU_BASE_OPTIONS_H
#define EMU_BASE_OPTIONS_H

#include <stdio.h>
#include "base/compiler.h"

#define EMU_MAX_DRIVES 4       /* hda..hdd: ide0 master/slave, ide1 master/slave */
#define EMU_MAX_SERIAL 4       /* COM1..COM4 */
#define EMU_DEFAULT_RAM_MB 128
#define EMU_MAX_RAM_MB 3584    /* 3.5 GiB: the 32-bit PC hole starts above */
#define EMU_MAX_SCREENDUMPS 16 /* -screendump-at */

typedef enum { MEDIA_NONE, MEDIA_DISK, MEDIA_CDROM } MediaKind;
typedef enum { DISPLAY_DEFAULT, DISPLAY_SDL, DISPLAY_NONE } DisplayKind;
typedef enum { ACCEL_DEFAULT, ACCEL_INTERP, ACCEL_JIT } AccelKind;

typedef struct DriveOption {
    MediaKind media;
    const char *path;
} DriveOption;

/* -screendump-at SECONDS:FILE: a PNG (a text dump if FILE ends in .txt)
 * after SECONDS of virtual time. */
typedef struct ScreendumpAt {
    int64_t at_ns;
    const char *path;
} ScreendumpAt;

typedef struct EmuOptions {
    uint64_t ram_size;                      /* bytes */
    DriveOption drives[EMU_MAX_DRIVES];
    char boot_order[8];                     /* "cdn" letters, first is tried first */
    const char *bios;                       /* NULL: Debian's SeaBIOS */
    const char *kernel, *initrd, *append;
    const char *serial[EMU_MAX_SERIAL];     /* chardev specs; NULL = not given */
    int nserial;
    const char *debugcon;                   /* chardev spec for port 0xe9, or NULL */
    const char *monitor;                    /* chardev spec, or NULL */
    bool nographic;
    DisplayKind display;
    bool no_reboot;
    bool no_shutdown;
    bool snapshot;
    AccelKind accel;
    int icount_shift;                       /* -1: virtual time follows the host */
    unsigned log_mask;
    const char *logfile;
    ScreendumpAt screendumps[EMU_MAX_SCREENDUMPS];
    int nscreendumps;
} EmuOptions;

typedef enum { OPTIONS_RUN, OPTIONS_EXIT_OK, OPTIONS_ERROR } OptionsResult;

/* Parse argv into opts (defaults first). On OPTIONS_ERROR a one-line
 * message has been printed to stderr; on OPTIONS_EXIT_OK help or the version
 * has been printed to stdout. */
OptionsResult options_parse(EmuOptions *opts, int argc, char **argv);
void options_print_help(FILE *f);
/* Parse a size such as "128", "128M", "2G" (plain numbers are MiB). */
int options_parse_size(const char *s, uint64_t *bytes);

#endif
