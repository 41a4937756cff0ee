/* bus.h — the one API through which devices attach to the machine.
 *
 *   static const IoOps pit_ops = { .read = pit_read, .write = pit_write,
 *                                  .min_size = 1, .max_size = 1 };
 *   bus_map_io(bus, "pit", 0x40, 4, &pit_ops, pit);
 *   bus_map_mmio(bus, "hpet", 0xfed00000, 0x400, &hpet_ops, hpet);
 *
 * Port I/O: 64 KiB of ports; a port belongs to at most one range (an
 * overlapping registration is refused). Ports nobody claims read as all ones
 * and drop writes, logged once each under `-d unimp`. An access that runs
 * past the end of its range is split into single bytes, each dispatched on
 * its own (as on the ISA bus).
 *
 * Memory: the Bus owns the MemMap (mmu/memmap.h); bus_map_mmio is a shortcut
 * for memmap_map_mmio at the default priority. RAM, ROM and overlays are
 * made with the memmap_* calls directly.
 */
#ifndef EMU_HW_BUS_H
#define EMU_HW_BUS_H

#include "base/compiler.h"
#include "hw/ioops.h"
#include "mmu/memmap.h"

typedef struct Bus Bus;
typedef struct IoRange IoRange;

/* Priorities for memmap regions: devices over RAM over nothing. */
enum { PRIO_RAM = 0, PRIO_ROM = 1, PRIO_DEVICE = 2, PRIO_OVERLAY = 3 };

Bus *bus_new(void);
void bus_free(Bus *bus);
MemMap *bus_memmap(Bus *bus);

/* Returns NULL if any port of [port, port+len) is taken or len is 0. */
IoRange *bus_map_io(Bus *bus, const char *name, uint16_t port, uint32_t len,
                    const IoOps *ops, void *opaque);
void bus_unmap_io(Bus *bus, IoRange *range);
/* Move a range (a PCI I/O BAR); returns -1 (and stays put) on overlap. */
int bus_move_io(Bus *bus, IoRange *range, uint16_t new_port);

uint64_t bus_io_read(Bus *bus, uint16_t port, unsigned size);
void bus_io_write(Bus *bus, uint16_t port, uint64_t value, unsigned size);

static inline MemRegion *bus_map_mmio(Bus *bus, const char *name, uint64_t base, uint64_t size,
                                      const IoOps *ops, void *opaque)
{
    return memmap_map_mmio(bus_memmap(bus), name, base, size, ops, opaque, PRIO_DEVICE);
}

#endif
