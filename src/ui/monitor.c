/* monitor.c — the human monitor (see monitor.h).
 *
 * Input is edited into `line` (printable ASCII only; escape sequences such
 * as the arrow keys are swallowed). A command is the first word of a line,
 * looked up in mon_cmds[]; the rest of the line is its argument. Output
 * goes to the chardev as plain "\n" lines (the terminal keeps OPOST).
 */
#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ui/monitor.h"
#include "ui/headless.h"
#include "base/log.h"

#define MON_LINE_MAX 256
#define MON_PROMPT "(emu) "
#define PAUSED_POLL_MS 10

struct Monitor {
    MonitorConfig cfg;
    CharDev *chr;
    char line[MON_LINE_MAX];
    int len;
    int esc;                /* 0, 1 after ESC, 2 inside a CSI/SS3 sequence */
    bool last_cr;           /* "\r\n" is one line end */
    bool paused;
};

typedef void MonCmdFn(Monitor *mon, const char *arg);

typedef struct MonCmd {
    const char *name;
    const char *args;
    MonCmdFn *fn;
    const char *help;
} MonCmd;

static void mon_puts(Monitor *mon, const char *s)
{
    chardev_write(mon->chr, (const uint8_t *)s, (int)strlen(s));
}

static void PRINTF_FMT(2, 3) mon_printf(Monitor *mon, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    mon_puts(mon, buf);
}

/* -- Commands -- */

static void cmd_help(Monitor *mon, const char *arg);

static void cmd_info_status(Monitor *mon)
{
    mon_printf(mon, "VM status: %s\n", mon->paused ? "paused" : "running");
}

static void cmd_info_registers(Monitor *mon)
{
    char *text = NULL;
    size_t size = 0;
    FILE *f;

    if (!mon->cfg.m->cpu) {
        mon_puts(mon, "info registers: no CPU\n");
        return;
    }
    f = open_memstream(&text, &size);
    if (!f)
        fatal("out of memory");
    cpu_dump(mon->cfg.m->cpu, f);
    fclose(f);
    chardev_write(mon->chr, (const uint8_t *)text, (int)size);
    free(text);
}

static void cmd_info(Monitor *mon, const char *arg)
{
    if (!strcmp(arg, "status"))
        cmd_info_status(mon);
    else if (!strcmp(arg, "registers"))
        cmd_info_registers(mon);
    else
        mon_printf(mon, "%s%s%s'info status' or 'info registers'\n",
                   *arg ? "info: unknown item '" : "", arg, *arg ? "': use " : "use ");
}

static void cmd_screendump(Monitor *mon, const char *arg)
{
    char err[256];

    if (!*arg) {
        mon_puts(mon, "usage: screendump FILE (a PNG; FILE.txt: the text screen)\n");
        return;
    }
    if (!mon->cfg.display) {
        mon_puts(mon, "screendump: this machine has no display\n");
        return;
    }
    if (ui_screendump_file(mon->cfg.display, arg, err, sizeof(err)))
        mon_printf(mon, "screendump: %s\n", err);
}

static void cmd_stop(Monitor *mon, const char *arg)
{
    if (mon->paused)
        return;
    mon->paused = true;
    vclock_stop(mon->cfg.m->clock);
}

static void cmd_cont(Monitor *mon, const char *arg)
{
    if (!mon->paused)
        return;
    mon->paused = false;
    vclock_start(mon->cfg.m->clock);
}

static void cmd_system_reset(Monitor *mon, const char *arg)
{
    machine_request(mon->cfg.m, MACHINE_REQ_RESET, 0);
}

static void cmd_system_powerdown(Monitor *mon, const char *arg)
{
    if (mon->cfg.power_button)
        mon->cfg.power_button(mon->cfg.opaque);
    else
        mon_puts(mon, "system_powerdown: this machine has no power button\n");
}

static void cmd_quit(Monitor *mon, const char *arg)
{
    machine_request(mon->cfg.m, MACHINE_REQ_QUIT, 0);
}

static const MonCmd mon_cmds[] = {
    { "help", NULL, cmd_help, "list the commands" },
    { "info", "status|registers", cmd_info, "the VM status; the CPU registers" },
    { "screendump", "FILE", cmd_screendump, "save the screen as PNG (FILE.txt: as text)" },
    { "stop", NULL, cmd_stop, "pause the guest" },
    { "cont", NULL, cmd_cont, "resume the guest (also: c)" },
    { "c", NULL, cmd_cont, NULL },
    { "system_reset", NULL, cmd_system_reset, "reset the machine" },
    { "system_powerdown", NULL, cmd_system_powerdown, "press the power button (ACPI)" },
    { "quit", NULL, cmd_quit, "exit emu (also: q)" },
    { "q", NULL, cmd_quit, NULL },
};

static void cmd_help(Monitor *mon, const char *arg)
{
    for (size_t i = 0; i < ARRAY_SIZE(mon_cmds); i++) {
        const MonCmd *c = &mon_cmds[i];
        char lhs[48];
        if (!c->help)
            continue;
        snprintf(lhs, sizeof(lhs), "%s%s%s", c->name, c->args ? " " : "",
                 c->args ? c->args : "");
        mon_printf(mon, "%-28s %s\n", lhs, c->help);
    }
}

void monitor_command(Monitor *mon, const char *line)
{
    char buf[MON_LINE_MAX];
    char *name, *arg, *end;

    snprintf(buf, sizeof(buf), "%s", line);
    name = buf + strspn(buf, " \t");
    arg = name + strcspn(name, " \t");
    if (*arg)
        *arg++ = '\0';
    arg += strspn(arg, " \t");
    for (end = arg + strlen(arg); end > arg && (end[-1] == ' ' || end[-1] == '\t'); end--)
        end[-1] = '\0';
    if (!*name)
        return;
    for (size_t i = 0; i < ARRAY_SIZE(mon_cmds); i++) {
        if (!strcmp(mon_cmds[i].name, name)) {
            mon_cmds[i].fn(mon, arg);
            return;
        }
    }
    mon_printf(mon, "unknown command: '%s' (try 'help')\n", name);
}

/* -- Line editing -- */

static void mon_enter(Monitor *mon)
{
    mon->line[mon->len] = '\0';
    mon->len = 0;
    mon_puts(mon, "\n");
    monitor_command(mon, mon->line);
    if (mon->cfg.m->request != MACHINE_REQ_QUIT)
        mon_puts(mon, MON_PROMPT);
}

/* ESC [ ... final, or ESC O x: swallowed (arrow keys, function keys). */
static void mon_escape(Monitor *mon, uint8_t b)
{
    if (mon->esc == 1 && (b == '[' || b == 'O'))
        mon->esc = 2;
    else if (mon->esc == 1 || (b >= 0x40 && b <= 0x7e))
        mon->esc = 0;
}

static void mon_key(Monitor *mon, uint8_t b)
{
    if (mon->esc) {
        mon_escape(mon, b);
        return;
    }
    switch (b) {
    case '\n':
        if (!mon->last_cr)
            mon_enter(mon);
        break;
    case '\r':
        mon_enter(mon);
        break;
    case 0x7f:
    case '\b':
        if (mon->len > 0) {
            mon->len--;
            mon_puts(mon, "\b \b");
        }
        break;
    case 0x15:                              /* Ctrl-U: kill the line */
        while (mon->len > 0) {
            mon->len--;
            mon_puts(mon, "\b \b");
        }
        break;
    case 0x1b:
        mon->esc = 1;
        break;
    default:
        if (b >= 0x20 && b < 0x7f && mon->len < MON_LINE_MAX - 1) {
            mon->line[mon->len++] = (char)b;
            chardev_write(mon->chr, &b, 1);
        }
        break;
    }
}

void monitor_input(Monitor *mon, const uint8_t *buf, int len)
{
    for (int i = 0; i < len; i++) {
        mon_key(mon, buf[i]);
        mon->last_cr = buf[i] == '\r';
    }
}

void monitor_greet(Monitor *mon)
{
    mon_puts(mon, "emu monitor - type 'help' for the commands\n" MON_PROMPT);
}

bool monitor_paused(const Monitor *mon)
{
    return mon->paused;
}

/* -- While paused -- */

static bool mon_poll(void *opaque);

/* Sleep until host input (or PAUSED_POLL_MS for inputs without an fd);
 * false if a signal arrived — the run loop must see it. */
static bool paused_wait(Machine *m)
{
    struct pollfd fds[MACHINE_MAX_HANDLERS];
    int nfds = 0;

    for (int i = 0; i < m->npolls; i++)
        if (m->polls[i].fd >= 0)
            fds[nfds++] = (struct pollfd){ .fd = m->polls[i].fd, .events = POLLIN };
    if (poll(fds, nfds, PAUSED_POLL_MS) < 0 && errno == EINTR)
        return false;
    return true;
}

/* A request made while paused: a reset happens now and the guest stays
 * paused; anything else (quit, power-off, -no-reboot) is the run loop's. */
static bool paused_request(Monitor *mon)
{
    Machine *m = mon->cfg.m;

    if (m->request == MACHINE_REQ_NONE)
        return true;
    if (m->request != MACHINE_REQ_RESET || m->opts.no_reboot)
        return false;
    m->request = MACHINE_REQ_NONE;
    machine_reset(m);
    return true;
}

static void paused_loop(Monitor *mon)
{
    Machine *m = mon->cfg.m;

    while (mon->paused && paused_request(mon) && paused_wait(m)) {
        for (int i = 0; i < m->npolls; i++)
            if (m->polls[i].fn != mon_poll)
                m->polls[i].fn(m->polls[i].opaque);
    }
}

static bool mon_poll(void *opaque)
{
    Monitor *mon = opaque;
    if (mon->paused)
        paused_loop(mon);
    return false;
}

/* -- Setup -- */

static void mon_receive(void *opaque, const uint8_t *buf, int len)
{
    monitor_input(opaque, buf, len);
}

static void mon_mux_quit(void *opaque)
{
    Monitor *mon = opaque;
    machine_request(mon->cfg.m, MACHINE_REQ_QUIT, 0);
}

static void mon_mux_focus(void *opaque, bool active)
{
    Monitor *mon = opaque;
    if (active)
        monitor_greet(mon);
    else
        mon_puts(mon, "\n");
}

static void mon_free(void *opaque)
{
    free(opaque);
}

Monitor *monitor_new(const MonitorConfig *cfg, CharDev *chr)
{
    Monitor *mon = calloc(1, sizeof(*mon));
    if (!mon)
        fatal("out of memory");
    mon->cfg = *cfg;
    mon->chr = chr;
    machine_add_poll(cfg->m, mon_poll, mon, chardev_fd(chr));
    machine_add_exit(cfg->m, mon_free, mon);
    return mon;
}

void monitor_attach(Monitor *mon, bool muxed)
{
    CharDevClient client = { .opaque = mon, .receive = mon_receive };
    CharDevMuxHooks hooks = { .opaque = mon, .quit = mon_mux_quit,
                              .set_monitor = mon_mux_focus };

    if (!muxed) {
        hooks.set_monitor = NULL;   /* a mon:stdio of its own: only Ctrl-A x */
        chardev_set_client(mon->chr, &client);
        chardev_set_mux_hooks(mon->chr, &hooks);
        monitor_greet(mon);
        return;
    }
    chardev_set_monitor_client(mon->chr, &client);
    chardev_set_mux_hooks(mon->chr, &hooks);
}
