/* options.c — table-driven command-line parser (see options.h). */
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include "base/options.h"
#include "base/log.h"
#include "base/vclock.h"
#include "config.h"

typedef int OptionFn(EmuOptions *o, const char *arg);

typedef struct OptionDef {
    const char *name;       /* without the leading dash */
    const char *argname;    /* NULL: takes no argument */
    OptionFn *fn;
    const char *help;
} OptionDef;

static int opt_error(const char *fmt, const char *a, const char *b)
{
    fputs("emu: ", stderr);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return -1;
}

int options_parse_size(const char *s, uint64_t *bytes)
{
    char *end;
    unsigned long long v;
    uint64_t shift = 20;
    errno = 0;
    v = strtoull(s, &end, 10);
    if (end == s || errno)
        return -1;
    switch (*end) {
    case 0: break;
    case 'k': case 'K': shift = 10; end++; break;
    case 'm': case 'M': shift = 20; end++; break;
    case 'g': case 'G': shift = 30; end++; break;
    default: return -1;
    }
    if (*end == 'B' || *end == 'b')
        end++;
    if (*end || v > (UINT64_MAX >> shift))
        return -1;
    *bytes = (uint64_t)v << shift;
    return 0;
}

static int set_m(EmuOptions *o, const char *arg)
{
    uint64_t bytes;
    const char *val = strncmp(arg, "size=", 5) ? arg : arg + 5;
    if (options_parse_size(val, &bytes) || bytes == 0)
        return opt_error("invalid memory size '%s'%s", arg, "");
    if (bytes < (1u << 20))
        return opt_error("memory size '%s' is too small: at least 1M%s", arg, "");
    if (bytes > (uint64_t)EMU_MAX_RAM_MB << 20)
        return opt_error("memory size '%s' is too large: at most 3584M for 32-bit guests%s",
                         arg, "");
    o->ram_size = bytes & ~(uint64_t)0xfff;
    return 0;
}

static int set_drive(EmuOptions *o, int index, MediaKind media, const char *path)
{
    static const char *const names[] = { "-hda", "-hdb", "-hdc", "-hdd" };
    if (o->drives[index].media != MEDIA_NONE)
        return opt_error("%s: drive already given (-cdrom uses the -hdc slot)%s",
                         media == MEDIA_CDROM ? "-cdrom" : names[index], "");
    o->drives[index].media = media;
    o->drives[index].path = path;
    return 0;
}

static int set_hda(EmuOptions *o, const char *a) { return set_drive(o, 0, MEDIA_DISK, a); }
static int set_hdb(EmuOptions *o, const char *a) { return set_drive(o, 1, MEDIA_DISK, a); }
static int set_hdc(EmuOptions *o, const char *a) { return set_drive(o, 2, MEDIA_DISK, a); }
static int set_hdd(EmuOptions *o, const char *a) { return set_drive(o, 3, MEDIA_DISK, a); }
static int set_cdrom(EmuOptions *o, const char *a) { return set_drive(o, 2, MEDIA_CDROM, a); }

/* -boot c | d | order=cd | once=d (once is treated as order), menu= ignored */
static int set_boot(EmuOptions *o, const char *arg)
{
    char buf[64];
    char *save = NULL, *tok;
    if (strlen(arg) >= sizeof(buf))
        return opt_error("invalid -boot '%s'%s", arg, "");
    strcpy(buf, arg);
    for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        const char *letters = tok;
        if (!strncmp(tok, "order=", 6) || !strncmp(tok, "once=", 5))
            letters = strchr(tok, '=') + 1;
        else if (!strncmp(tok, "menu=", 5) || !strncmp(tok, "strict=", 7))
            continue;
        else if (strchr(tok, '='))
            return opt_error("unsupported -boot parameter '%s'%s", tok, "");
        if (!*letters || strlen(letters) >= sizeof(o->boot_order) ||
            strspn(letters, "acdn") != strlen(letters))
            return opt_error("invalid boot order '%s': use the letters c (disk), d (CD-ROM), "
                             "a (floppy), n (network)%s", letters, "");
        strcpy(o->boot_order, letters);
    }
    return 0;
}

static int set_bios(EmuOptions *o, const char *a) { o->bios = a; return 0; }
static int set_kernel(EmuOptions *o, const char *a) { o->kernel = a; return 0; }
static int set_initrd(EmuOptions *o, const char *a) { o->initrd = a; return 0; }
static int set_append(EmuOptions *o, const char *a) { o->append = a; return 0; }

static int check_chardev(const char *opt, const char *spec)
{
    if (!strcmp(spec, "stdio") || !strcmp(spec, "none") || !strcmp(spec, "null") ||
        !strcmp(spec, "mon:stdio") || (!strncmp(spec, "file:", 5) && spec[5]))
        return 0;
    return opt_error("%s: unsupported backend '%s' (use stdio, mon:stdio, file:PATH, null or none)",
                     opt, spec);
}

static int set_serial(EmuOptions *o, const char *a)
{
    if (o->nserial == EMU_MAX_SERIAL)
        return opt_error("too many -serial options (at most 4)%s%s", "", "");
    if (check_chardev("-serial", a))
        return -1;
    o->serial[o->nserial++] = a;
    return 0;
}

static int set_debugcon(EmuOptions *o, const char *a)
{
    if (check_chardev("-debugcon", a))
        return -1;
    o->debugcon = a;
    return 0;
}

static int set_monitor(EmuOptions *o, const char *a)
{
    if (check_chardev("-monitor", a))
        return -1;
    o->monitor = a;
    return 0;
}

static int set_nographic(EmuOptions *o, const char *a) { o->nographic = true; return 0; }
static int set_no_reboot(EmuOptions *o, const char *a) { o->no_reboot = true; return 0; }
static int set_no_shutdown(EmuOptions *o, const char *a) { o->no_shutdown = true; return 0; }
static int set_snapshot(EmuOptions *o, const char *a) { o->snapshot = true; return 0; }

static int set_display(EmuOptions *o, const char *arg)
{
    if (strchr(arg, ','))
        return opt_error("-display %s: display options are not supported (use sdl or none)%s",
                         arg, "");
    if (!strcmp(arg, "sdl"))
        o->display = DISPLAY_SDL;
    else if (!strcmp(arg, "none"))
        o->display = DISPLAY_NONE;
    else
        return opt_error("unsupported display '%s' (use sdl or none)%s", arg, "");
#ifndef EMU_HAVE_SDL
    if (o->display == DISPLAY_SDL)
        return opt_error("-display sdl: this emu was built without SDL2%s%s", "", "");
#endif
    return 0;
}

static int set_accel(EmuOptions *o, const char *arg)
{
    if (!strcmp(arg, "interp"))
        o->accel = ACCEL_INTERP;
    else if (!strcmp(arg, "jit") || !strcmp(arg, "tcg"))
        o->accel = ACCEL_JIT;
    else
        return opt_error("unsupported accelerator '%s' (use jit or interp)%s", arg, "");
#ifndef EMU_HAVE_JIT
    if (o->accel == ACCEL_JIT)
        return opt_error("-accel jit: no JIT backend for this host (%s); use -accel interp%s",
                         EMU_HOST_ARCH, "");
#endif
    return 0;
}

/* -icount N | shift=N: deterministic virtual time, 2^N ns per instruction. */
static int set_icount(EmuOptions *o, const char *arg)
{
    const char *val = strncmp(arg, "shift=", 6) ? arg : arg + 6;
    char *end;
    long v = strtol(val, &end, 10);
    if (end == val || *end || v < 0 || v > 10)
        return opt_error("invalid -icount '%s' (shift 0..10)%s", arg, "");
    o->icount_shift = (int)v;
    return 0;
}

/* -screendump-at SECONDS:FILE (SECONDS may have a fraction). */
static int set_screendump_at(EmuOptions *o, const char *arg)
{
    const char *colon = strchr(arg, ':');
    char *end;
    double s;

    if (o->nscreendumps == EMU_MAX_SCREENDUMPS)
        return opt_error("too many -screendump-at options (at most 16)%s%s", "", "");
    errno = 0;
    s = strtod(arg, &end);
    if (!colon || end != colon || end == arg || errno || !(s >= 0 && s < 1e9) || !colon[1])
        return opt_error("invalid -screendump-at '%s' (use SECONDS:FILE, e.g. 5:shot.png)%s",
                         arg, "");
    o->screendumps[o->nscreendumps++] = (ScreendumpAt){ (int64_t)(s * NS_PER_SEC), colon + 1 };
    return 0;
}

static int set_d(EmuOptions *o, const char *arg)
{
    if (!strcmp(arg, "help")) {
        log_print_categories(stdout);
        return 1;
    }
    return log_parse_categories(arg, &o->log_mask);
}

static int set_D(EmuOptions *o, const char *a) { o->logfile = a; return 0; }

static int show_help(EmuOptions *o, const char *a)
{
    options_print_help(stdout);
    return 1;
}

static int show_version(EmuOptions *o, const char *a)
{
    printf("emu version %s (%s host)\n", EMU_VERSION, EMU_HOST_ARCH);
    return 1;
}

static const OptionDef option_table[] = {
    { "h", NULL, show_help, "show this help and exit" },
    { "help", NULL, show_help, NULL },
    { "version", NULL, show_version, "show the version and exit" },
    { "m", "SIZE", set_m, "guest RAM, e.g. 256M or 1G (default 128M, at most 3584M)" },
    { "hda", "FILE", set_hda, "raw disk image as IDE primary master" },
    { "hdb", "FILE", set_hdb, "raw disk image as IDE primary slave" },
    { "hdc", "FILE", set_hdc, "raw disk image as IDE secondary master" },
    { "hdd", "FILE", set_hdd, "raw disk image as IDE secondary slave" },
    { "cdrom", "FILE", set_cdrom, "ISO image as CD-ROM (IDE secondary master)" },
    { "snapshot", NULL, set_snapshot, "write to temporary overlays; images stay untouched" },
    { "boot", "ORDER", set_boot, "boot order: c (disk), d (CD-ROM), n; or order=dc" },
    { "bios", "FILE", set_bios, "firmware image (default: SeaBIOS from Debian's seabios)" },
    { "kernel", "FILE", set_kernel, "boot a Linux bzImage or multiboot ELF directly" },
    { "initrd", "FILE", set_initrd, "initial ramdisk for -kernel" },
    { "append", "CMDLINE", set_append, "kernel command line for -kernel" },
    { "serial", "DEV", set_serial, "next serial port to DEV: stdio, file:PATH, null, none" },
    { "debugcon", "DEV", set_debugcon, "port 0xe9 debug console to DEV (SeaBIOS log)" },
    { "monitor", "DEV", set_monitor, "monitor on DEV (stdio)" },
    { "nographic", NULL, set_nographic, "no window; serial and monitor on this terminal" },
    { "display", "TYPE", set_display, "display: sdl or none" },
    { "no-reboot", NULL, set_no_reboot, "exit instead of rebooting" },
    { "no-shutdown", NULL, set_no_shutdown, "stop instead of exiting on guest power-off" },
    { "accel", "TYPE", set_accel, "CPU backend: jit (default where available) or interp" },
    { "icount", "SHIFT", set_icount, "deterministic time: 2^SHIFT ns per instruction" },
    { "screendump-at", "SECONDS:FILE", set_screendump_at,
      "save the screen after SECONDS of guest time (PNG; FILE.txt: text); repeatable" },
    { "d", "CATS", set_d, "log categories (-d help lists them)" },
    { "D", "FILE", set_D, "write the log to FILE instead of stderr" },
};

void options_print_help(FILE *f)
{
    fprintf(f, "usage: emu [options]\n\nA PC emulator: x86 guests on any host.\n\nOptions:\n");
    for (size_t i = 0; i < ARRAY_SIZE(option_table); i++) {
        const OptionDef *d = &option_table[i];
        char lhs[40];
        if (!d->help)
            continue;
        snprintf(lhs, sizeof(lhs), "-%s%s%s", d->name, d->argname ? " " : "",
                 d->argname ? d->argname : "");
        fprintf(f, "  %-20s %s\n", lhs, d->help);
    }
    fprintf(f, "\nDuring -nographic: Ctrl-A x quits, Ctrl-A c switches to the monitor,\n"
               "Ctrl-A h lists the keys. In the window: Ctrl+Alt+G grabs/releases the mouse.\n");
}

static void set_defaults(EmuOptions *o)
{
    memset(o, 0, sizeof(*o));
    o->ram_size = (uint64_t)EMU_DEFAULT_RAM_MB << 20;
    strcpy(o->boot_order, "cdn");
    o->icount_shift = -1;
}

OptionsResult options_parse(EmuOptions *o, int argc, char **argv)
{
    set_defaults(o);
    for (int i = 1; i < argc; i++) {
        const char *name = argv[i];
        const OptionDef *d = NULL;
        int r;
        if (name[0] != '-' || !name[1]) {
            /* QEMU takes a lone argument as the first disk image. */
            if (set_hda(o, name))
                return OPTIONS_ERROR;
            continue;
        }
        name += (name[1] == '-') ? 2 : 1;
        for (size_t k = 0; k < ARRAY_SIZE(option_table); k++) {
            if (!strcmp(option_table[k].name, name)) {
                d = &option_table[k];
                break;
            }
        }
        if (!d) {
            fprintf(stderr, "emu: unknown option '%s' (see emu -h)\n", argv[i]);
            return OPTIONS_ERROR;
        }
        if (d->argname && i + 1 >= argc) {
            fprintf(stderr, "emu: option '%s' needs an argument (%s)\n", argv[i], d->argname);
            return OPTIONS_ERROR;
        }
        r = d->fn(o, d->argname ? argv[++i] : NULL);
        if (r < 0)
            return OPTIONS_ERROR;
        if (r > 0)
            return OPTIONS_EXIT_OK;
    }
    if ((o->initrd || o->append) && !o->kernel) {
        fprintf(stderr, "emu: -initrd and -append need -kernel\n");
        return OPTIONS_ERROR;
    }
    if (o->nographic && o->display == DISPLAY_SDL) {
        fprintf(stderr, "emu: -nographic and -display sdl cannot be used together\n");
        return OPTIONS_ERROR;
    }
    return OPTIONS_RUN;
}
