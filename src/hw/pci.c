/* pci.c — PCI bus 0: configuration mechanism #1, config space, BARs, INTx.
 *
 * Config space is a byte array per function with two masks beside it:
 * wmask (bits the guest may change) and w1cmask (bits a written 1 clears).
 * After every config write the function's BARs are brought in line with
 * COMMAND and the BAR registers (pci_update_mappings), then the device's
 * own hook runs. A BAR's mapping is derived state only: the registers are
 * the truth, so resets and restores just call the update again.
 *
 * To add a generic register behaviour: give it a mask in pci_device_init()
 * and, if writing it has side effects, a check in config_write_effects().
 */
#include <stdlib.h>
#include <string.h>
#include "hw/pci.h"
#include "base/log.h"

#define PCI_CONFIG_ADDRESS 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define CONFIG_ENABLE 0x80000000u
/* Bits 30:24 and 1:0 of CONFIG_ADDRESS are read-only zero (PCI 3.0 3.2.2.3.2). */
#define CONFIG_ADDRESS_MASK 0x80fffffcu
#define BAR_UNMAPPED UINT64_MAX
/* Status bits that are "write 1 to clear" (PCI 3.0 6.2.3): parity, SERR,
 * master/target aborts, master data parity error. */
#define STATUS_W1C 0xf900

struct PciBus {
    Bus *bus;
    PciDevice *devs[256];
    uint32_t config_address;
    PciIntxRoute *route;
    void *route_opaque;
    const IoOps *cf8_ops;       /* non-dword accesses to 0xcf8-0xcfb */
    void *cf8_opaque;
    uint16_t subsys_vendor, subsys_id;
};

PciBus *pci_bus_new(Bus *bus, PciIntxRoute *route, void *route_opaque)
{
    PciBus *pb = calloc(1, sizeof(*pb));
    if (!pb)
        fatal("out of memory");
    pb->bus = bus;
    pb->route = route;
    pb->route_opaque = route_opaque;
    return pb;
}

void pci_bus_free(PciBus *pb)
{
    free(pb);
}

Bus *pci_bus_io(PciBus *pb)
{
    return pb->bus;
}

PciDevice *pci_find(PciBus *pb, uint8_t devfn)
{
    return pb->devs[devfn];
}

void pci_bus_set_cf8_io(PciBus *pb, const IoOps *ops, void *opaque)
{
    pb->cf8_ops = ops;
    pb->cf8_opaque = opaque;
}

void pci_bus_set_subsystem(PciBus *pb, uint16_t vendor, uint16_t id)
{
    pb->subsys_vendor = vendor;
    pb->subsys_id = id;
}

/* -- BARs ------------------------------------------------------------------- */

static int bar_offset(int bar)
{
    return bar == PCI_ROM_SLOT ? PCI_ROM_ADDRESS : PCI_BAR0 + 4 * bar;
}

/* Where the BAR should be decoded now, or BAR_UNMAPPED. */
static uint64_t bar_target(PciDevice *dev, int bar)
{
    PciBar *b = &dev->bars[bar];
    uint16_t cmd = pci_get_word(dev, PCI_COMMAND);
    uint32_t reg = pci_get_long(dev, bar_offset(bar));
    uint64_t addr = reg & ~(uint32_t)(b->size - 1);
    uint64_t last = addr + b->size - 1;

    if (b->kind == PCI_BAR_IO) {
        addr &= ~(uint64_t)3;
        if (!(cmd & PCI_COMMAND_IO) || addr == 0 || last > 0xffff)
            return BAR_UNMAPPED;
        return addr;
    }
    if (!(cmd & PCI_COMMAND_MEMORY))
        return BAR_UNMAPPED;
    if (b->kind == PCI_BAR_ROM && !(reg & PCI_ROM_ENABLE))
        return BAR_UNMAPPED;
    addr &= b->kind == PCI_BAR_ROM ? ~(uint64_t)0x7ff : ~(uint64_t)0xf;
    /* A 32-bit BAR reaching the top of 4 GiB is the sizing pattern, not an address. */
    if (addr == 0 || last >= 0xffffffffull)
        return BAR_UNMAPPED;
    return addr;
}

static void bar_unmap(PciDevice *dev, PciBar *b)
{
    if (b->io)
        bus_unmap_io(dev->bus->bus, b->io);
    if (b->mem)
        memmap_unmap(bus_memmap(dev->bus->bus), b->mem);
    b->io = NULL;
    b->mem = NULL;
    b->addr = 0;
}

static void bar_map(PciDevice *dev, PciBar *b, uint64_t addr)
{
    MemMap *mem = bus_memmap(dev->bus->bus);
    uint64_t len = b->ram ? MIN(b->ram->size, b->size) : b->size;

    if (b->kind == PCI_BAR_IO)
        b->io = bus_map_io(dev->bus->bus, dev->name, (uint16_t)addr, (uint32_t)b->size,
                           b->ops, b->opaque);
    else if (b->kind == PCI_BAR_ROM)
        b->mem = memmap_map_rom(mem, dev->name, addr, len, b->ram, 0, PCI_PRIO);
    else if (b->ram)
        b->mem = memmap_map_ram(mem, dev->name, addr, len, b->ram, 0, PCI_PRIO);
    else
        b->mem = memmap_map_mmio(mem, dev->name, addr, len, b->ops, b->opaque, PCI_PRIO);
    if (!b->io && !b->mem) {
        log_guest_error_once("pci: %s BAR at 0x%llx overlaps another; left unmapped",
                             dev->name, (unsigned long long)addr);
        return;
    }
    b->addr = addr;
}

/* Move a mapped BAR; falls back to unmapping when the new place is taken. */
static void bar_move(PciDevice *dev, PciBar *b, uint64_t addr)
{
    int r = b->io ? bus_move_io(dev->bus->bus, b->io, (uint16_t)addr)
                  : memmap_region_move(bus_memmap(dev->bus->bus), b->mem, addr);
    if (r == 0) {
        b->addr = addr;
        return;
    }
    bar_unmap(dev, b);
    log_guest_error_once("pci: %s BAR at 0x%llx overlaps another; left unmapped",
                         dev->name, (unsigned long long)addr);
}

static void pci_update_bar(PciDevice *dev, int bar)
{
    PciBar *b = &dev->bars[bar];
    bool mapped = b->io || b->mem;
    uint64_t target = bar_target(dev, bar);

    if (target == BAR_UNMAPPED) {
        if (mapped)
            bar_unmap(dev, b);
    } else if (!mapped) {
        bar_map(dev, b, target);
    } else if (target != b->addr) {
        bar_move(dev, b, target);
    }
}

static void pci_update_mappings(PciDevice *dev)
{
    for (int i = 0; i <= PCI_ROM_SLOT; i++)
        if (dev->bars[i].kind != PCI_BAR_NONE)
            pci_update_bar(dev, i);
}

static uint64_t pow2_at_least(uint64_t size, uint64_t min)
{
    uint64_t p = min;
    while (p < size)
        p <<= 1;
    return p;
}

/* type_bits: the read-only low bits of the BAR register (I/O, prefetchable). */
static PciBar *bar_init(PciDevice *dev, int bar, PciBarKind kind, uint64_t size,
                        uint32_t type_bits, uint32_t low_mask)
{
    PciBar *b = &dev->bars[bar];
    int off = bar_offset(bar);

    if (bar < 0 || bar > PCI_ROM_SLOT || b->kind != PCI_BAR_NONE)
        panic("pci: %s: BAR %d invalid or registered twice", dev->name, bar);
    if (size > 0x80000000ull)
        panic("pci: %s: BAR %d too large for a 32-bit BAR", dev->name, bar);
    memset(b, 0, sizeof(*b));
    b->kind = kind;
    b->size = size;
    pci_set_long(dev, off, type_bits);
    st32(&dev->wmask[off], ~(uint32_t)(size - 1) & ~low_mask);
    return b;
}

void pci_register_bar_io(PciDevice *dev, int bar, uint32_t size, const IoOps *ops, void *opaque)
{
    PciBar *b;
    if (bar == PCI_ROM_SLOT)
        panic("pci: %s: the ROM slot is not an I/O BAR", dev->name);
    b = bar_init(dev, bar, PCI_BAR_IO, pow2_at_least(size, 4), PCI_BAR_SPACE_IO, 0x3);
    b->ops = ops;
    b->opaque = opaque;
}

void pci_register_bar_mmio(PciDevice *dev, int bar, uint64_t size, const IoOps *ops,
                           void *opaque)
{
    PciBar *b;
    if (bar == PCI_ROM_SLOT)
        panic("pci: %s: the ROM slot takes a ROM block", dev->name);
    b = bar_init(dev, bar, PCI_BAR_MEM, pow2_at_least(size, 16), 0, 0xf);
    b->ops = ops;
    b->opaque = opaque;
}

void pci_register_bar_ram(PciDevice *dev, int bar, RamBlock *ram, bool prefetchable)
{
    PciBar *b;
    if (bar == PCI_ROM_SLOT)
        panic("pci: %s: use pci_register_rom for the ROM slot", dev->name);
    b = bar_init(dev, bar, PCI_BAR_MEM, pow2_at_least(ram->size, 16),
                 prefetchable ? PCI_BAR_MEM_PREFETCH : 0, 0xf);
    b->ram = ram;
    b->prefetchable = prefetchable;
}

void pci_register_rom(PciDevice *dev, RamBlock *rom)
{
    PciBar *b = bar_init(dev, PCI_ROM_SLOT, PCI_BAR_ROM, pow2_at_least(rom->size, 0x800), 0,
                         0x7fe);
    b->ram = rom;
    dev->wmask[PCI_ROM_ADDRESS] |= PCI_ROM_ENABLE;
}

/* -- INTx --------------------------------------------------------------------- */

static void pci_update_intx(PciDevice *dev)
{
    int pin = dev->config[PCI_INTERRUPT_PIN];
    bool disabled = pci_get_word(dev, PCI_COMMAND) & PCI_COMMAND_INTX_DISABLE;
    int out = dev->intx_level && !disabled;

    if (out == dev->intx_out)
        return;
    dev->intx_out = out;
    if (pin >= 1 && pin <= 4 && dev->bus->route)
        dev->bus->route(dev->bus->route_opaque, dev, pin - 1, out);
}

void pci_set_irq(PciDevice *dev, int level)
{
    uint16_t status = pci_get_word(dev, PCI_STATUS);
    dev->intx_level = level != 0;
    /* STATUS.INT shows the device's request even while INTx is disabled (6.2.3). */
    if (dev->intx_level)
        status |= PCI_STATUS_INTERRUPT;
    else
        status &= ~PCI_STATUS_INTERRUPT;
    pci_set_word(dev, PCI_STATUS, status);
    pci_update_intx(dev);
}

void pci_set_interrupt_pin(PciDevice *dev, int pin)
{
    dev->config[PCI_INTERRUPT_PIN] = (uint8_t)pin;
}

/* -- Config space --------------------------------------------------------------- */

uint32_t pci_default_config_read(PciDevice *dev, uint32_t offset, unsigned size)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint32_t)dev->config[(offset + i) & 0xff] << (8 * i);
    return v;
}

static bool touches(uint32_t offset, unsigned size, uint32_t lo, uint32_t hi)
{
    return offset < hi && lo < offset + size;
}

static void config_write_effects(PciDevice *dev, uint32_t offset, unsigned size)
{
    if (touches(offset, size, PCI_COMMAND, PCI_COMMAND + 2) ||
        touches(offset, size, PCI_BAR0, PCI_BAR0 + 4 * PCI_NUM_BARS) ||
        touches(offset, size, PCI_ROM_ADDRESS, PCI_ROM_ADDRESS + 4))
        pci_update_mappings(dev);
    if (touches(offset, size, PCI_COMMAND, PCI_COMMAND + 2))
        pci_update_intx(dev);
}

static void device_config_write(PciDevice *dev, uint32_t offset, uint32_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++) {
        uint32_t a = offset + i;
        uint8_t v = (uint8_t)(value >> (8 * i));
        uint8_t *c = &dev->config[a];
        *c = (*c & ~dev->wmask[a]) | (v & dev->wmask[a]);
        *c &= ~(v & dev->w1cmask[a]);
    }
    config_write_effects(dev, offset, size);
    if (dev->hooks && dev->hooks->config_write)
        dev->hooks->config_write(dev->opaque, offset, value & (uint32_t)size_mask(size), size);
}

uint32_t pci_config_read(PciBus *pb, uint8_t devfn, uint32_t offset, unsigned size)
{
    PciDevice *dev = pb->devs[devfn];
    if (!dev || offset + size > 256)
        return (uint32_t)size_mask(size);   /* master abort: all ones */
    if (dev->hooks && dev->hooks->config_read)
        return dev->hooks->config_read(dev->opaque, offset, size);
    return pci_default_config_read(dev, offset, size);
}

void pci_config_write(PciBus *pb, uint8_t devfn, uint32_t offset, uint32_t value, unsigned size)
{
    PciDevice *dev = pb->devs[devfn];
    if (dev && offset + size <= 256)
        device_config_write(dev, offset, value, size);
}

/* -- Configuration mechanism #1 (PCI 3.0 3.2.2.3.2) ------------------------------ */

static uint64_t cf8_read(void *opaque, uint64_t offset, unsigned size)
{
    PciBus *pb = opaque;
    if (offset == 0 && size == 4)
        return pb->config_address;
    if (pb->cf8_ops)
        return ioops_read(pb->cf8_ops, pb->cf8_opaque, offset, size);
    return size_mask(size);
}

static void cf8_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PciBus *pb = opaque;
    if (offset == 0 && size == 4)
        pb->config_address = (uint32_t)value & CONFIG_ADDRESS_MASK;
    else if (pb->cf8_ops)
        ioops_write(pb->cf8_ops, pb->cf8_opaque, offset, value, size);
}

/* The function CONFIG_ADDRESS selects on bus 0, or -1 (disabled, other bus). */
static int selected_devfn(PciBus *pb)
{
    uint32_t a = pb->config_address;
    if (!(a & CONFIG_ENABLE) || bits32(a, 23, 16) != 0)
        return -1;
    return (int)bits32(a, 15, 8);
}

static uint64_t cfc_read(void *opaque, uint64_t offset, unsigned size)
{
    PciBus *pb = opaque;
    int devfn = selected_devfn(pb);
    if (devfn < 0)
        return size_mask(size);
    return pci_config_read(pb, (uint8_t)devfn, (pb->config_address & 0xfc) + (uint32_t)offset,
                           size);
}

static void cfc_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PciBus *pb = opaque;
    int devfn = selected_devfn(pb);
    if (devfn >= 0)
        pci_config_write(pb, (uint8_t)devfn, (pb->config_address & 0xfc) + (uint32_t)offset,
                         (uint32_t)value, size);
}

static const IoOps cf8_ops = { .read = cf8_read, .write = cf8_write, .min_size = 1, .max_size = 4 };
static const IoOps cfc_ops = { .read = cfc_read, .write = cfc_write, .min_size = 1, .max_size = 4 };

void pci_bus_map_config_ports(PciBus *pb)
{
    if (!bus_map_io(pb->bus, "pci-config-address", PCI_CONFIG_ADDRESS, 4, &cf8_ops, pb) ||
        !bus_map_io(pb->bus, "pci-config-data", PCI_CONFIG_DATA, 4, &cfc_ops, pb))
        panic("pci: config ports 0xcf8-0xcff already taken");
}

/* -- Devices ------------------------------------------------------------------------ */

/* Function 0 of a slot with other functions sets the header's multi-function bit. */
static void update_multifunction(PciBus *pb, int slot)
{
    PciDevice *fn0 = pb->devs[PCI_DEVFN(slot, 0)];
    if (!fn0)
        return;
    for (int fn = 1; fn < 8; fn++)
        if (pb->devs[PCI_DEVFN(slot, fn)])
            fn0->config[PCI_HEADER_TYPE] |= PCI_HEADER_MULTI_FUNCTION;
}

void pci_device_init(PciDevice *dev, PciBus *pb, uint8_t devfn, const char *name,
                     uint16_t vendor, uint16_t device, uint32_t class_code,
                     const PciHooks *hooks, void *opaque)
{
    if (pb->devs[devfn])
        panic("pci: %s: slot %02x.%x is taken by %s", name, PCI_SLOT(devfn), PCI_FUNC(devfn),
              pb->devs[devfn]->name);
    memset(dev, 0, sizeof(*dev));
    dev->bus = pb;
    dev->devfn = devfn;
    dev->name = name;
    dev->hooks = hooks;
    dev->opaque = opaque;
    pci_set_word(dev, PCI_VENDOR_ID, vendor);
    pci_set_word(dev, PCI_DEVICE_ID, device);
    dev->config[PCI_CLASS_PROG] = (uint8_t)class_code;
    pci_set_word(dev, PCI_CLASS_DEVICE, (uint16_t)(class_code >> 8));
    pci_set_word(dev, PCI_SUBSYSTEM_VENDOR_ID, pb->subsys_vendor);
    pci_set_word(dev, PCI_SUBSYSTEM_ID, pb->subsys_id);
    st16(&dev->wmask[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER |
                                   PCI_COMMAND_INTX_DISABLE);
    st16(&dev->w1cmask[PCI_STATUS], STATUS_W1C);
    dev->wmask[0x0c] = 0xff;    /* cache line size */
    dev->wmask[0x0d] = 0xff;    /* latency timer */
    dev->wmask[PCI_INTERRUPT_LINE] = 0xff;
    pb->devs[devfn] = dev;
    update_multifunction(pb, PCI_SLOT(devfn));
}

/* Generic part of a function's reset (PCI 3.0 6.2): decoders off, errors
 * cleared, BARs back to their type bits, INTx released. */
static void pci_device_reset(PciDevice *dev)
{
    uint16_t cmd_mask = ld16(&dev->wmask[PCI_COMMAND]);
    pci_set_word(dev, PCI_COMMAND, pci_get_word(dev, PCI_COMMAND) & ~cmd_mask);
    pci_set_word(dev, PCI_STATUS, pci_get_word(dev, PCI_STATUS) & ~STATUS_W1C);
    dev->config[0x0c] = 0;
    dev->config[PCI_INTERRUPT_LINE] = 0;
    for (int i = 0; i <= PCI_ROM_SLOT; i++) {
        int off = bar_offset(i);
        if (dev->bars[i].kind != PCI_BAR_NONE)
            pci_set_long(dev, off, pci_get_long(dev, off) & ~ld32(&dev->wmask[off]));
    }
    pci_update_mappings(dev);
    pci_set_irq(dev, 0);
    if (dev->hooks && dev->hooks->reset)
        dev->hooks->reset(dev->opaque);
}

void pci_bus_reset(PciBus *pb)
{
    pb->config_address = 0;
    for (int i = 0; i < 256; i++)
        if (pb->devs[i])
            pci_device_reset(pb->devs[i]);
}
