/* main.c — `emu`: parse the command line, build the PC, attach the front
 * ends (the SDL window, the monitor, -screendump-at) and run it.
 *
 * Which front end: -nographic and -display none never open a window;
 * -display sdl must (or emu stops with SDL's reason); otherwise a window
 * opens when $DISPLAY or $WAYLAND_DISPLAY is set.
 *
 * The monitor: on the mon:stdio console when there is one (-nographic,
 * -serial mon:stdio; Ctrl-A c switches to it) unless -monitor says
 * otherwise; else on the -monitor chardev, or on the terminal under
 * -nographic when no serial port uses it. -monitor stdio takes the
 * terminal, so the serial port's default (stdio) moves to null.
 */
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "base/options.h"
#include "hw/machine.h"
#include "hw/pc.h"
#include "ui/headless.h"
#include "ui/monitor.h"
#include "config.h"
#ifdef EMU_HAVE_SDL
#include "ui/sdl.h"
#endif

static bool on_stdio(const char *spec)
{
    return spec && (!strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio"));
}

/* -monitor stdio and another backend on stdio would both read the terminal. */
static int check_monitor_stdio(EmuOptions *o)
{
    const char *other = on_stdio(o->debugcon) ? "-debugcon" : NULL;

    if (!on_stdio(o->monitor))
        return 0;
    for (int i = 0; i < o->nserial; i++)
        if (on_stdio(o->serial[i]))
            other = "-serial";
    if (other) {
        fprintf(stderr, "emu: -monitor %s: the terminal is already used by %s "
                "(-serial mon:stdio shares it with the monitor)\n", o->monitor, other);
        return -1;
    }
    if (o->nserial == 0 && !o->nographic) {
        o->serial[0] = "null";
        o->nserial = 1;
    }
    return 0;
}

/* -- Monitor -- */

static bool stdio_taken(const EmuOptions *o)
{
    for (int i = 0; i < o->nserial; i++)
        if (on_stdio(o->serial[i]))
            return true;
    return on_stdio(o->debugcon);
}

static void power_button(void *opaque)
{
    pc_power_button(opaque);
}

static bool chardev_poll_fn(void *opaque)
{
    return chardev_poll(opaque);
}

static void chardev_close_fn(void *opaque)
{
    chardev_close(opaque);
}

static void setup_monitor(Machine *m, PcBoard *pc)
{
    const char *spec = m->opts.monitor;
    CharDev *console = pc_console(pc), *chr;
    MonitorConfig cfg = { .m = m, .display = pc_display(pc), .opaque = pc,
                          .power_button = power_button };
    char err[256] = "";
    bool failed;

    if (console && (!spec || on_stdio(spec))) {
        monitor_attach(monitor_new(&cfg, console), true);
        return;
    }
    /* -nographic with the serial port elsewhere: the terminal is the monitor's. */
    if (!spec && m->opts.nographic && !stdio_taken(&m->opts))
        spec = "mon:stdio";
    if (!spec)
        return;
    chr = chardev_open(spec, &failed, err, sizeof(err));
    if (failed)
        fatal("-monitor %s: %s", spec, err);
    if (!chr)
        return;                     /* -monitor none */
    machine_add_poll(m, chardev_poll_fn, chr, chardev_fd(chr));
    machine_add_exit(m, chardev_close_fn, chr);
    monitor_attach(monitor_new(&cfg, chr), false);
}

/* -- Window -- */

#ifdef EMU_HAVE_SDL
static void kbd_put(void *opaque, uint8_t set2_byte)
{
    i8042_kbd_put_scancode(pc_i8042(opaque), set2_byte);
}

static void mouse_event(void *opaque, int dx, int dy, int dz, unsigned buttons)
{
    i8042_mouse_event(pc_i8042(opaque), dx, dy, dz, buttons);
}

static bool sdl_power_button(void *opaque)
{
    return pc_power_button(opaque);
}

static bool display_present(void)
{
    const char *x = getenv("DISPLAY"), *wl = getenv("WAYLAND_DISPLAY");
    return (x && *x) || (wl && *wl);
}

static void setup_window(Machine *m, PcBoard *pc)
{
    const EmuOptions *o = &m->opts;
    SdlUiConfig cfg = { .m = m, .display = pc_display(pc), .opaque = pc,
                        .put_scancode = kbd_put, .mouse_event = mouse_event,
                        .power_button = sdl_power_button };
    char err[256] = "";

    if (o->nographic || o->display == DISPLAY_NONE)
        return;
    if (o->display == DISPLAY_DEFAULT && !display_present())
        return;
    if (sdl_ui_new(&cfg, err, sizeof(err)))
        return;
    if (o->display == DISPLAY_SDL)
        fatal("-display sdl: cannot open a window: %s", err);
    warn("cannot open a window: %s; running without one", err);
}
#else
static void setup_window(Machine *m, PcBoard *pc)
{
}
#endif

int main(int argc, char **argv)
{
    EmuOptions opts;
    Machine *m;
    PcBoard *pc;
    int status;

    switch (options_parse(&opts, argc, argv)) {
    case OPTIONS_EXIT_OK:
        return 0;
    case OPTIONS_ERROR:
        return 1;
    case OPTIONS_RUN:
        break;
    }
    if (check_monitor_stdio(&opts))
        return 1;
    log_mask = opts.log_mask;
    if (opts.logfile && log_set_file(opts.logfile))
        fatal("cannot open log file '%s'", opts.logfile);

    m = machine_new(&opts);
    pc_init(m);
    pc = m->board;
    setup_window(m, pc);
    setup_monitor(m, pc);
    headless_schedule_screendumps(m, pc_display(pc));
    machine_reset(m);
    status = machine_run(m);
    machine_free(m);
    return status;
}
