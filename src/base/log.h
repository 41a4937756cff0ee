/* log.h — diagnostic logging by category (`-d cat,cat`, `-D file`).
 *
 * The log sink and the category mask are process-wide settings made once at
 * start-up (the one deliberate global outside the Machine struct: every layer
 * logs, and none of it is guest state). Messages never go to stdout, which may
 * be the guest's serial console.
 *
 * Unimplemented things (an opcode, a device register, an unclaimed port) go
 * through log_unimp(): each distinct message is written once, under the
 * `unimp` category.
 */
#ifndef EMU_BASE_LOG_H
#define EMU_BASE_LOG_H

#include <stdio.h>
#include "base/compiler.h"

/* ORDER LOG: keep in step with log_category_names[] in log.c. */
enum {
    LOG_GUEST_ERROR = 1u << 0,  /* guest did something illegal or odd */
    LOG_UNIMP       = 1u << 1,  /* unimplemented instruction/device feature */
    LOG_INT         = 1u << 2,  /* interrupts and exceptions taken */
    LOG_IN_ASM      = 1u << 3,  /* guest code as translated */
    LOG_OP          = 1u << 4,  /* IR of each translation block */
    LOG_OUT_ASM     = 1u << 5,  /* host code size per block */
    LOG_EXEC        = 1u << 6,  /* every block executed */
    LOG_CPU         = 1u << 7,  /* register dump before each block */
    LOG_MMU         = 1u << 8,  /* page walks and TLB fills */
    LOG_IOPORT      = 1u << 9,  /* every port access */
    LOG_POST        = 1u << 10, /* POST codes written to port 0x80 */
    LOG_RESET       = 1u << 11, /* machine resets and power-off */
    LOG_DEV         = 1u << 12, /* device-level tracing */
    LOG_TB          = 1u << 13, /* block cache: invalidations, flushes */
};

extern unsigned log_mask;

#define log_enabled(cat) unlikely(log_mask & (cat))
#define LOG(cat, ...) do { if (log_enabled(cat)) log_printf(__VA_ARGS__); } while (0)

/* Parse "cat,cat" (or "help"); returns -1 with a message on an unknown name. */
int log_parse_categories(const char *spec, unsigned *mask_out);
void log_print_categories(FILE *f);
/* Send the log to a file instead of stderr. Returns -1 if it cannot be opened. */
int log_set_file(const char *path);
FILE *log_file(void);

void log_printf(const char *fmt, ...) PRINTF_FMT(1, 2);
/* Once per distinct formatted message, under LOG_UNIMP. */
void log_unimp(const char *fmt, ...) PRINTF_FMT(1, 2);
/* Same, under LOG_GUEST_ERROR. */
void log_guest_error_once(const char *fmt, ...) PRINTF_FMT(1, 2);

/* Format a message into a caller's error buffer (err may be NULL or errlen
 * 0: then nothing is written). Returns -1, so `return set_error(...)` works. */
int set_error(char *err, size_t errlen, const char *fmt, ...) PRINTF_FMT(3, 4);

/* Start-up errors: "emu: <message>" on stderr and exit status 1. */
NORETURN void fatal(const char *fmt, ...) PRINTF_FMT(1, 2);
/* A broken internal invariant: message, then abort() for a core dump. */
NORETURN void panic(const char *fmt, ...) PRINTF_FMT(1, 2);
/* Warnings for the user, always shown: "emu: warning: <message>". */
void warn(const char *fmt, ...) PRINTF_FMT(1, 2);

#endif
