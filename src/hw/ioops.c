/* ioops.c — access-width adaptation shared by port I/O and MMIO dispatch. */
#include "hw/ioops.h"

static unsigned min_of(const IoOps *ops) { return ops->min_size ? ops->min_size : 1; }
static unsigned max_of(const IoOps *ops) { return ops->max_size ? ops->max_size : 4; }

uint64_t ioops_read(const IoOps *ops, void *opaque, uint64_t offset, unsigned size)
{
    unsigned lo = min_of(ops), hi = max_of(ops);
    if (!ops->read)
        return size_mask(size);
    if (size > hi) {
        uint64_t v = 0;
        for (unsigned i = 0; i < size; i += hi)
            v |= (ioops_read(ops, opaque, offset + i, hi) & size_mask(hi)) << (i * 8);
        return v;
    }
    if (size < lo) {
        uint64_t aligned = offset & ~(uint64_t)(lo - 1);
        unsigned shift = (unsigned)(offset - aligned) * 8;
        return (ops->read(opaque, aligned, lo) >> shift) & size_mask(size);
    }
    return ops->read(opaque, offset, size) & size_mask(size);
}

void ioops_write(const IoOps *ops, void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    unsigned lo = min_of(ops), hi = max_of(ops);
    value &= size_mask(size);
    if (!ops->write)
        return;
    if (size > hi) {
        for (unsigned i = 0; i < size; i += hi)
            ioops_write(ops, opaque, offset + i, value >> (i * 8), hi);
        return;
    }
    if (size < lo) {
        uint64_t aligned = offset & ~(uint64_t)(lo - 1);
        unsigned shift = (unsigned)(offset - aligned) * 8;
        ops->write(opaque, aligned, value << shift, lo);
        return;
    }
    ops->write(opaque, offset, value, size);
}
