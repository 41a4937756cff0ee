/* chardev.h — byte streams between guest devices and the host.
 *
 * A UART (or the debugcon port, or the monitor) writes bytes with
 * chardev_write() and receives input through its CharDevClient. Backends,
 * chosen by the spec string the user typed:
 *   "stdio"      this terminal; raw mode while emu runs, restored on exit
 *   "mon:stdio"  stdio shared with the monitor: Ctrl-A c switches, Ctrl-A x quits
 *   "file:PATH"  output appended to PATH (created/truncated), no input
 *   "null"       output dropped, no input
 *   "none"       the device is not connected at all (chardev_open gives NULL)
 * Input is delivered by chardev_poll(), which the machine's run loop calls
 * between CPU slices (register it with machine_add_poll and chardev_fd()).
 *
 * "stdio" keeps the terminal's signal keys for Ctrl-C only (it ends emu; the
 * suspend and quit keys reach the guest); "mon:stdio" is fully raw and
 * takes escapes after Ctrl-A: x quit, c switch guest/monitor, h help,
 * Ctrl-A itself. The terminal is restored at exit, including fatal().
 * Reading input never blocks (chardev_poll checks readiness first).
 */
#ifndef EMU_UI_CHARDEV_H
#define EMU_UI_CHARDEV_H

#include "base/compiler.h"

typedef struct CharDev CharDev;

typedef struct CharDevClient {
    void *opaque;
    /* How many bytes the device can take now (e.g. free FIFO space). */
    int (*can_receive)(void *opaque);
    void (*receive)(void *opaque, const uint8_t *buf, int len);
} CharDevClient;

/* Returns NULL for "none". On a bad spec or an unopenable file: a one-line
 * message in err and NULL with *failed set. */
CharDev *chardev_open(const char *spec, bool *failed, char *err, size_t errlen);
void chardev_close(CharDev *chr);
void chardev_set_client(CharDev *chr, const CharDevClient *client);
void chardev_write(CharDev *chr, const uint8_t *buf, int len);
/* Deliver pending input; true if any byte was delivered. */
bool chardev_poll(CharDev *chr);
/* The fd to wait on for input, or -1. */
int chardev_fd(const CharDev *chr);

/* -- mon:stdio escapes -- */

typedef struct CharDevMuxHooks {
    void *opaque;
    void (*quit)(void *opaque);                     /* Ctrl-A x */
    void (*set_monitor)(void *opaque, bool active); /* Ctrl-A c switched focus */
} CharDevMuxHooks;

/* Without a quit hook, Ctrl-A x raises SIGTERM (the run loop quits on it). */
void chardev_set_mux_hooks(CharDev *chr, const CharDevMuxHooks *hooks);
/* While the monitor has the focus, input goes to this client instead. */
void chardev_set_monitor_client(CharDev *chr, const CharDevClient *client);
bool chardev_monitor_active(const CharDev *chr);

/* A chardev on descriptors the caller owns and closes (tests, other
 * front ends); mux adds the Ctrl-A escapes. in_fd or out_fd may be -1. */
CharDev *chardev_open_fds(int in_fd, int out_fd, bool mux);

#endif
