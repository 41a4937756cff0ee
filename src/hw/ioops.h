/* ioops.h — how a device answers port I/O and MMIO accesses.
 *
 * A device fills one static const IoOps and registers it with bus_map_io()
 * or bus_map_mmio(). The bus adapts access widths so a device sees only the
 * sizes it declares:
 *   - wider than max_size: split into max_size pieces, lowest address first
 *     (little-endian), each at its own offset;
 *   - narrower than min_size: widened to an aligned min_size access; a read
 *     returns the wanted bytes, a write carries the value shifted into place
 *     with the other bytes zero.
 * Offsets are relative to the start of the registered range.
 */
#ifndef EMU_HW_IOOPS_H
#define EMU_HW_IOOPS_H

#include <stdint.h>

typedef struct IoOps {
    uint64_t (*read)(void *opaque, uint64_t offset, unsigned size);
    void (*write)(void *opaque, uint64_t offset, uint64_t value, unsigned size);
    uint8_t min_size;   /* 1, 2, 4 or 8; 0 means 1 */
    uint8_t max_size;   /* 1, 2, 4 or 8; 0 means 4 */
} IoOps;

/* Dispatch one access of `size` bytes (1, 2, 4 or 8) with width adaptation.
 * A NULL read callback reads as all ones; a NULL write callback drops the write. */
uint64_t ioops_read(const IoOps *ops, void *opaque, uint64_t offset, unsigned size);
void ioops_write(const IoOps *ops, void *opaque, uint64_t offset, uint64_t value, unsigned size);

static inline uint64_t size_mask(unsigned size)
{
    return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

#endif
