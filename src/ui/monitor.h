/* monitor.h — the human monitor: a line-oriented command interpreter on a
 * character device (-monitor stdio, or Ctrl-A c on a mon:stdio console).
 *
 *   help                 list the commands
 *   info status          running or paused
 *   info registers       the CPU registers (cpu_dump)
 *   screendump FILE      the screen as a PNG, or as text if FILE ends in .txt
 *   stop / cont          pause / resume the guest (its virtual time stops too)
 *   system_reset         reset the machine (exits under -no-reboot, as a guest reset)
 *   system_powerdown     press the ACPI power button
 *   quit                 exit emu
 *
 * The monitor edits its input line itself (echo, Backspace, Ctrl-U), since
 * the terminal is raw. It registers a poll handler on the machine: while the
 * guest is paused that handler does not return — it waits for host input and
 * runs the machine's other poll handlers (consoles, the window) until `cont`,
 * a quit or power-off request, or a signal (the run loop then acts on it).
 *
 * To add a command: a row in the command table in monitor.c.
 */
#ifndef EMU_UI_MONITOR_H
#define EMU_UI_MONITOR_H

#include "hw/machine.h"
#include "ui/chardev.h"
#include "ui/display.h"

typedef struct MonitorConfig {
    Machine *m;                 /* cpu (may be NULL), clock, requests, polls */
    DisplayDevice *display;     /* for screendump; NULL if none */
    void *opaque;
    /* Press the guest's power button; NULL if the board has none. */
    void (*power_button)(void *opaque);
} MonitorConfig;

typedef struct Monitor Monitor;

/* A monitor writing to chr; input arrives through monitor_input(). Use
 * monitor_attach() to take a chardev's input. Freed with the machine. */
Monitor *monitor_new(const MonitorConfig *cfg, CharDev *chr);

/* Take chr's input: as its only client (a chardev of its own), or on a
 * mon:stdio console as the Ctrl-A c side, with Ctrl-A x quitting. */
void monitor_attach(Monitor *mon, bool muxed);

/* Bytes typed by the user: edited into lines, each line executed. */
void monitor_input(Monitor *mon, const uint8_t *buf, int len);
/* Execute one command line (no newline). */
void monitor_command(Monitor *mon, const char *line);
/* Print the greeting and the prompt. */
void monitor_greet(Monitor *mon);
bool monitor_paused(const Monitor *mon);

#endif
