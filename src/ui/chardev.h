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

#endif
