/* log.c — category logging, log-once messages and start-up errors. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"

unsigned log_mask;
static FILE *log_sink; /* NULL means stderr */

/* ORDER LOG */
static const struct { const char *name; const char *help; } log_category_names[] = {
    { "guest_errors", "guest actions that are invalid or undefined" },
    { "unimp", "unimplemented instructions, registers and ports (each once)" },
    { "int", "interrupts and exceptions" },
    { "in_asm", "guest code of each translated block" },
    { "op", "IR of each translated block" },
    { "out_asm", "host code of each translated block" },
    { "exec", "each executed block" },
    { "cpu", "CPU registers before each block" },
    { "mmu", "page walks and TLB fills" },
    { "ioport", "every port I/O access" },
    { "post", "POST codes written to port 0x80" },
    { "reset", "machine resets and power-off" },
    { "dev", "device tracing" },
    { "tb", "translation block cache events" },
};

FILE *log_file(void)
{
    return log_sink ? log_sink : stderr;
}

int log_parse_categories(const char *spec, unsigned *mask_out)
{
    unsigned mask = 0;
    const char *p = spec;
    while (*p) {
        size_t len = strcspn(p, ",");
        size_t i;
        for (i = 0; i < ARRAY_SIZE(log_category_names); i++) {
            if (strlen(log_category_names[i].name) == len &&
                !strncmp(p, log_category_names[i].name, len))
                break;
        }
        if (i == ARRAY_SIZE(log_category_names)) {
            fprintf(stderr, "emu: unknown log category '%.*s' (see -d help)\n", (int)len, p);
            return -1;
        }
        mask |= 1u << i;
        p += len;
        if (*p == ',')
            p++;
    }
    *mask_out = mask;
    return 0;
}

void log_print_categories(FILE *f)
{
    fprintf(f, "Log categories for -d (comma-separated):\n");
    for (size_t i = 0; i < ARRAY_SIZE(log_category_names); i++)
        fprintf(f, "  %-13s %s\n", log_category_names[i].name, log_category_names[i].help);
}

int log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    setvbuf(f, NULL, _IOLBF, 0);
    if (log_sink)
        fclose(log_sink);
    log_sink = f;
    return 0;
}

void log_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_file(), fmt, ap);
    va_end(ap);
}

/* --- Log-once: a small open-addressing set of message hashes ------------- */
#define ONCE_SLOTS 4096
static uint64_t once_seen[ONCE_SLOTS];

static bool once_first_time(const char *msg)
{
    uint64_t h = 1469598103934665603ull; /* FNV-1a */
    for (const char *c = msg; *c; c++)
        h = (h ^ (uint8_t)*c) * 1099511628211ull;
    h |= 1; /* 0 marks an empty slot */
    for (unsigned i = 0; i < ONCE_SLOTS; i++) {
        uint64_t *slot = &once_seen[(h + i) % ONCE_SLOTS];
        if (*slot == h)
            return false;
        if (*slot == 0) {
            *slot = h;
            return true;
        }
    }
    return false; /* table full: stay quiet rather than flood the log */
}

static void log_once_v(unsigned cat, const char *prefix, const char *fmt, va_list ap)
{
    char msg[512];
    if (!log_enabled(cat))
        return;
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (once_first_time(msg))
        log_printf("%s%s\n", prefix, msg);
}

void log_unimp(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_once_v(LOG_UNIMP, "unimplemented: ", fmt, ap);
    va_end(ap);
}

void log_guest_error_once(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_once_v(LOG_GUEST_ERROR, "guest error: ", fmt, ap);
    va_end(ap);
}

int set_error(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    if (!err || !errlen)
        return -1;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void fatal(const char *fmt, ...)
{
    va_list ap;
    fputs("emu: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(1);
}

void panic(const char *fmt, ...)
{
    va_list ap;
    fputs("emu: internal error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}

void warn(const char *fmt, ...)
{
    va_list ap;
    fputs("emu: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}
