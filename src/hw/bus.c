/* bus.c — port I/O dispatch through a 64K table of range indices. */
#include <stdlib.h>
#include "hw/bus.h"
#include "base/log.h"

#define NPORTS 0x10000
#define MAX_RANGES 255   /* index 0 in the table means "unclaimed" */

struct IoRange {
    const char *name;
    uint16_t port;
    uint32_t len;
    const IoOps *ops;
    void *opaque;
};

struct Bus {
    uint8_t owner[NPORTS];          /* range index + 1, or 0 */
    IoRange *ranges[MAX_RANGES + 1];
    MemMap *mem;
};

Bus *bus_new(void)
{
    Bus *bus = calloc(1, sizeof(*bus));
    if (!bus)
        fatal("out of memory");
    bus->mem = memmap_new();
    return bus;
}

void bus_free(Bus *bus)
{
    if (!bus)
        return;
    for (int i = 1; i <= MAX_RANGES; i++)
        free(bus->ranges[i]);
    memmap_free(bus->mem);
    free(bus);
}

MemMap *bus_memmap(Bus *bus)
{
    return bus->mem;
}

static bool ports_free(Bus *bus, uint32_t port, uint32_t len, int except)
{
    if (len == 0 || port + len > NPORTS)
        return false;
    for (uint32_t p = port; p < port + len; p++)
        if (bus->owner[p] && bus->owner[p] != except)
            return false;
    return true;
}

static void set_owner(Bus *bus, uint32_t port, uint32_t len, int idx)
{
    for (uint32_t p = port; p < port + len; p++)
        bus->owner[p] = (uint8_t)idx;
}

IoRange *bus_map_io(Bus *bus, const char *name, uint16_t port, uint32_t len,
                    const IoOps *ops, void *opaque)
{
    int idx;
    IoRange *r;
    if (!ports_free(bus, port, len, -1))
        return NULL;
    for (idx = 1; idx <= MAX_RANGES && bus->ranges[idx]; idx++)
        ;
    if (idx > MAX_RANGES)
        panic("bus: more than %d port ranges", MAX_RANGES);
    r = calloc(1, sizeof(*r));
    if (!r)
        fatal("out of memory");
    *r = (IoRange){ .name = name, .port = port, .len = len, .ops = ops, .opaque = opaque };
    bus->ranges[idx] = r;
    set_owner(bus, port, len, idx);
    return r;
}

static int index_of(Bus *bus, IoRange *range)
{
    for (int i = 1; i <= MAX_RANGES; i++)
        if (bus->ranges[i] == range)
            return i;
    panic("bus: unknown port range");
}

void bus_unmap_io(Bus *bus, IoRange *range)
{
    int idx = index_of(bus, range);
    set_owner(bus, range->port, range->len, 0);
    bus->ranges[idx] = NULL;
    free(range);
}

int bus_move_io(Bus *bus, IoRange *range, uint16_t new_port)
{
    int idx = index_of(bus, range);
    if (!ports_free(bus, new_port, range->len, idx))
        return -1;
    set_owner(bus, range->port, range->len, 0);
    range->port = new_port;
    set_owner(bus, new_port, range->len, idx);
    return 0;
}

static IoRange *range_for(Bus *bus, uint16_t port, unsigned size)
{
    IoRange *r = bus->ranges[bus->owner[port]];
    /* Only whole accesses go to the device; ones running past the end are split. */
    if (r && (uint32_t)port + size > (uint32_t)r->port + r->len)
        return NULL;
    return r;
}

uint64_t bus_io_read(Bus *bus, uint16_t port, unsigned size)
{
    IoRange *r = range_for(bus, port, size);
    uint64_t v;
    if (r) {
        v = ioops_read(r->ops, r->opaque, port - r->port, size);
    } else if (size > 1) {
        v = 0;
        for (unsigned i = 0; i < size; i++)
            v |= bus_io_read(bus, (uint16_t)(port + i), 1) << (8 * i);
    } else {
        log_unimp("read from unclaimed port 0x%04x", port);
        v = 0xff;
    }
    LOG(LOG_IOPORT, "in%c  0x%04x -> 0x%llx\n", "bw?l"[size - 1], port, (unsigned long long)v);
    return v;
}

void bus_io_write(Bus *bus, uint16_t port, uint64_t value, unsigned size)
{
    IoRange *r = range_for(bus, port, size);
    LOG(LOG_IOPORT, "out%c 0x%04x <- 0x%llx\n", "bw?l"[size - 1], port,
        (unsigned long long)(value & size_mask(size)));
    if (r) {
        ioops_write(r->ops, r->opaque, port - r->port, value, size);
    } else if (size > 1) {
        for (unsigned i = 0; i < size; i++)
            bus_io_write(bus, (uint16_t)(port + i), value >> (8 * i), 1);
    } else {
        log_unimp("write to unclaimed port 0x%04x", port);
    }
}
