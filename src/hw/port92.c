/* port92.c — System Control Port A (see port92.h).
 *
 * PIIX3 datasheet, "Port 92h": bit 0 FAST_INIT (a 0->1 transition asserts
 * INIT; the board treats it as a reset), bit 1 ALT_A20_GATE; the other bits
 * are reserved and read 0. Reset clears both bits.
 */
#include <stdlib.h>
#include "hw/port92.h"
#include "base/log.h"

struct Port92 {
    uint8_t value;
    I8042Hooks hooks;
    Bus *bus;
    IoRange *io;
};

static uint64_t port92_read(void *opaque, uint64_t offset, unsigned size)
{
    Port92 *p = opaque;
    return p->value;
}

static void port92_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Port92 *p = opaque;
    bool rising_reset = (value & 1) && !(p->value & 1);

    p->value = value & 3;
    if (p->hooks.set_a20)
        p->hooks.set_a20(p->hooks.opaque, value & 2);
    if (rising_reset && p->hooks.reset)
        p->hooks.reset(p->hooks.opaque);
}

static const IoOps port92_ops = {
    .read = port92_read, .write = port92_write, .min_size = 1, .max_size = 1,
};

void port92_reset(Port92 *p)
{
    p->value = 0;
}

Port92 *port92_new(Bus *bus, const I8042Hooks *hooks)
{
    Port92 *p = calloc(1, sizeof(*p));
    if (!p)
        fatal("out of memory");
    if (hooks)
        p->hooks = *hooks;
    p->bus = bus;
    p->io = bus_map_io(bus, "port92", 0x92, 1, &port92_ops, p);
    if (!p->io)
        fatal("port92: port 0x92 already taken");
    return p;
}

void port92_free(Port92 *p)
{
    if (!p)
        return;
    bus_unmap_io(p->bus, p->io);
    free(p);
}
