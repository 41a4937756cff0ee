/* debugport.c — debugcon, POST code and isa-debug-exit ports (see
 * debugport.h). No guest-visible state except the readback value. Port
 * 0x80 reads as an unclaimed ISA port (0xff), as on a PIIX board without
 * a POST card; it is claimed so that the POST code write is logged. */
#include <stdlib.h>
#include "hw/debugport.h"
#include "base/log.h"

#define DEBUGCON_READBACK 0xe9

struct DebugPorts {
    CharDev *chr;
    DebugPortHooks hooks;
    uint8_t last_post;
    Bus *bus;
    IoRange *io[4];
};

static uint64_t debugcon_read(void *opaque, uint64_t offset, unsigned size)
{
    return DEBUGCON_READBACK;
}

static void debugcon_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    DebugPorts *dp = opaque;
    uint8_t b = value;
    chardev_write(dp->chr, &b, 1);
}

static const IoOps debugcon_ops = {
    .read = debugcon_read, .write = debugcon_write, .min_size = 1, .max_size = 1,
};

static uint64_t post_read(void *opaque, uint64_t offset, unsigned size)
{
    return 0xff;
}

static void post_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    DebugPorts *dp = opaque;
    dp->last_post = value;
    LOG(LOG_POST, "POST: 0x%02x\n", (unsigned)(value & 0xff));
}

static const IoOps post_ops = {
    .read = post_read, .write = post_write, .min_size = 1, .max_size = 1,
};

static void exit_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    DebugPorts *dp = opaque;
    int status = (int)((value << 1) | 1);
    LOG(LOG_RESET, "isa-debug-exit: status %d\n", status);
    if (dp->hooks.exit)
        dp->hooks.exit(dp->hooks.opaque, status);
}

/* Whatever width the guest writes (up to the 2-port range) is the value. */
static const IoOps exit_ops = {
    .read = NULL, .write = exit_write, .min_size = 1, .max_size = 2,
};

DebugPorts *debugport_new(Bus *bus, CharDev *debugcon, const DebugPortHooks *hooks)
{
    DebugPorts *dp = calloc(1, sizeof(*dp));
    if (!dp)
        fatal("out of memory");
    dp->chr = debugcon;
    if (hooks)
        dp->hooks = *hooks;
    dp->bus = bus;
    dp->io[0] = bus_map_io(bus, "debugcon", 0xe9, 1, &debugcon_ops, dp);
    dp->io[1] = bus_map_io(bus, "debugcon-402", 0x402, 1, &debugcon_ops, dp);
    dp->io[2] = bus_map_io(bus, "post", 0x80, 1, &post_ops, dp);
    dp->io[3] = bus_map_io(bus, "isa-debug-exit", 0x501, 2, &exit_ops, dp);
    for (int i = 0; i < 4; i++)
        if (!dp->io[i])
            fatal("debugport: ports 0xe9/0x402/0x80/0x501 already taken");
    return dp;
}

void debugport_reset(DebugPorts *dp)
{
    dp->last_post = 0;
}

uint8_t debugport_last_post(const DebugPorts *dp)
{
    return dp->last_post;
}

void debugport_free(DebugPorts *dp)
{
    if (!dp)
        return;
    for (int i = 0; i < 4; i++)
        bus_unmap_io(dp->bus, dp->io[i]);
    free(dp);
}
