/* ioapic.c — Intel 82093AA I/O APIC (datasheet, 3.0 "Register
 * description").
 *
 * Two MMIO registers, IOREGSEL (offset 0x00) and IOWIN (0x10), reach the
 * indirect registers: 0x00 ID, 0x01 version, 0x02 arbitration ID, and
 * 0x10 + 2n (low) / 0x11 + 2n (high) for redirection entry n.
 * Invariants: `level` holds each input's asserted state; an edge entry
 * sends one message per rising edge while unmasked; a level entry sends
 * while asserted, unmasked and Remote IRR clear, and a fixed/lowest-priority
 * level message that the local APIC takes sets Remote IRR until the EOI.
 * Messages go straight to the one local APIC, so Delivery Status stays idle.
 */
#include <stdlib.h>
#include "hw/ioapic.h"
#include "base/log.h"

#define IOAPIC_VERSION 0x11

/* Redirection entry bits (82093AA 3.2.4). */
#define RTE_VECTOR 0xffull
#define RTE_DM(e) (((e) >> 8) & 7)
#define RTE_LOGICAL (1ull << 11)
#define RTE_REMOTE_IRR (1ull << 14)
#define RTE_LEVEL (1ull << 15)
#define RTE_MASKED (1ull << 16)
#define RTE_DEST(e) ((uint8_t)((e) >> 56))
/* Writable: vector, delivery mode, destination mode, polarity, trigger
 * mode, mask, destination. Delivery status and Remote IRR are read-only. */
#define RTE_WMASK (0xff00000000000000ull | 0x1afffull)

struct IoApic {
    Bus *bus;
    MemRegion *mmio;
    Apic *apic;
    uint8_t regsel;
    uint32_t id;
    uint64_t rte[IOAPIC_NUM_PINS];
    bool level[IOAPIC_NUM_PINS];
};

/* Send pin's message. Returns true if the local APIC took it. */
static bool ioapic_send(IoApic *io, int pin)
{
    uint64_t e = io->rte[pin];
    ApicMsg m = {
        .vector = e & RTE_VECTOR, .delivery_mode = RTE_DM(e), .dest = RTE_DEST(e),
        .logical = (e & RTE_LOGICAL) != 0, .level = (e & RTE_LEVEL) != 0,
    };
    return io->apic && apic_deliver(io->apic, &m);
}

static bool rte_uses_remote_irr(uint64_t e)
{
    return (e & RTE_LEVEL) && (RTE_DM(e) == APIC_DM_FIXED || RTE_DM(e) == APIC_DM_LOWEST);
}

/* A level entry that is asserted and idle sends again. */
static void ioapic_service_level(IoApic *io, int pin)
{
    uint64_t *e = &io->rte[pin];
    if (!rte_uses_remote_irr(*e) || !io->level[pin] || (*e & (RTE_MASKED | RTE_REMOTE_IRR)))
        return;
    if (ioapic_send(io, pin))
        *e |= RTE_REMOTE_IRR;
}

void ioapic_set_irq(void *opaque, int pin, int level)
{
    IoApic *io = opaque;
    bool rising;
    if (pin < 0 || pin >= IOAPIC_NUM_PINS)
        return;
    rising = level && !io->level[pin];
    io->level[pin] = level != 0;
    if (rte_uses_remote_irr(io->rte[pin]))
        ioapic_service_level(io, pin);
    else if (rising && !(io->rte[pin] & RTE_MASKED))
        ioapic_send(io, pin);   /* a masked edge is lost (82093AA 3.2.4) */
}

/* The local APIC's EOI for a level-triggered vector. */
static void ioapic_eoi(void *opaque, uint8_t vector)
{
    IoApic *io = opaque;
    for (int pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
        uint64_t *e = &io->rte[pin];
        if ((*e & RTE_REMOTE_IRR) && (*e & RTE_VECTOR) == vector) {
            *e &= ~RTE_REMOTE_IRR;
            ioapic_service_level(io, pin);
        }
    }
}

static void ioapic_write_rte(IoApic *io, int pin, bool high, uint32_t v)
{
    uint64_t *e = &io->rte[pin];
    uint64_t nv = high ? (*e & 0xffffffffull) | (uint64_t)v << 32
                       : (*e & ~0xffffffffull) | v;
    *e = (*e & ~RTE_WMASK) | (nv & RTE_WMASK);
    /* Switching to edge clears Remote IRR: OSes rely on it to recover
     * a stuck level entry (Linux's EOI for version 0x11 I/O APICs). */
    if (!(*e & RTE_LEVEL))
        *e &= ~RTE_REMOTE_IRR;
    ioapic_service_level(io, pin);
}

static uint32_t ioapic_reg_read(IoApic *io)
{
    unsigned r = io->regsel;
    switch (r) {
    case 0x00: return io->id;
    case 0x01: return IOAPIC_VERSION | (IOAPIC_NUM_PINS - 1) << 16;
    case 0x02: return io->id;           /* arbitration ID follows the ID */
    default:
        if (r >= 0x10 && r < 0x10 + 2 * IOAPIC_NUM_PINS)
            return io->rte[(r - 0x10) >> 1] >> ((r & 1) * 32);
        log_guest_error_once("ioapic: read of reserved register %#x", r);
        return 0;
    }
}

static void ioapic_reg_write(IoApic *io, uint32_t v)
{
    unsigned r = io->regsel;
    if (r == 0x00) {
        io->id = v & 0x0f000000u;
    } else if (r >= 0x10 && r < 0x10 + 2 * IOAPIC_NUM_PINS) {
        ioapic_write_rte(io, (r - 0x10) >> 1, r & 1, v);
    } else if (r > 0x02) {
        log_guest_error_once("ioapic: write of reserved register %#x", r);
    }
}

static uint64_t ioapic_mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    IoApic *io = opaque;
    switch (offset) {
    case 0x00: return io->regsel;
    case 0x10: return ioapic_reg_read(io);
    default: return 0;
    }
}

static void ioapic_mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    IoApic *io = opaque;
    switch (offset) {
    case 0x00: io->regsel = value & 0xff; break;
    case 0x10: ioapic_reg_write(io, (uint32_t)value); break;
    default: break;
    }
}

static const IoOps ioapic_ops = {
    .read = ioapic_mmio_read, .write = ioapic_mmio_write, .min_size = 4, .max_size = 4,
};

void ioapic_reset(IoApic *io)
{
    io->regsel = 0;
    io->id = 0;
    for (int i = 0; i < IOAPIC_NUM_PINS; i++)
        io->rte[i] = RTE_MASKED;
}

IoApic *ioapic_new(Bus *bus, uint64_t base, Apic *apic)
{
    IoApic *io = calloc(1, sizeof(*io));
    if (!io)
        fatal("out of memory");
    io->bus = bus;
    io->apic = apic;
    io->mmio = bus_map_mmio(bus, "ioapic", base, 0x1000, &ioapic_ops, io);
    if (!io->mmio)
        fatal("ioapic: MMIO window at %#llx is taken", (unsigned long long)base);
    if (apic)
        apic_add_eoi_listener(apic, ioapic_eoi, io);
    ioapic_reset(io);
    return io;
}

void ioapic_free(IoApic *io)
{
    if (!io)
        return;
    memmap_unmap(bus_memmap(io->bus), io->mmio);
    free(io);
}
