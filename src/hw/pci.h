/* pci.h — PCI bus, configuration space and BARs (PCI Local Bus Spec 3.0).
 *
 * A PCI device embeds a PciDevice as its FIRST member and registers it:
 *
 *   typedef struct Ide { PciDevice pci; ... } Ide;
 *   pci_device_init(&ide->pci, pcibus, PCI_DEVFN(1, 1), "piix3-ide",
 *                   0x8086, 0x7010, 0x010180, &ide_pci_hooks, ide);
 *   pci_register_bar_io(&ide->pci, 4, 16, &bmdma_ops, ide);
 *   pci_register_bar_mem(&vga->pci, 0, 16 << 20, true, vram_block);   // RAM-backed
 *
 * The bus does the generic work: config reads/writes with per-byte write
 * masks, BAR sizing (writing all ones reads back the size mask), mapping
 * and unmapping BARs in the Bus when the guest programs them and toggles
 * the command register's I/O and memory enables, the expansion ROM BAR,
 * and INTx routing through the board's hook (PIIX3 PIRQ routing).
 *
 * Invariants: bars[i].io / bars[i].mem are non-NULL exactly while the BAR is
 * decoded (enable bit in COMMAND set, address neither 0 nor all ones, no
 * conflict); bars[i].addr is then where it sits. Memory BARs are mapped at
 * PCI_PRIO, below RAM and the chipset's own devices, as the host bridge
 * decodes those first. The board's route hook sees a device's INTx only
 * when its effective level (after INTX_DISABLE) changes.
 */
#ifndef EMU_HW_PCI_H
#define EMU_HW_PCI_H

#include "hw/bus.h"
#include "hw/irq.h"

#define PCI_DEVFN(slot, fn) (((slot) << 3) | (fn))
#define PCI_SLOT(devfn) (((devfn) >> 3) & 0x1f)
#define PCI_FUNC(devfn) ((devfn) & 7)
#define PCI_NUM_BARS 6
#define PCI_ROM_SLOT 6          /* bars[6] is the expansion ROM */

/* Config space offsets (PCI 3.0 6.1) */
enum {
    PCI_VENDOR_ID = 0x00, PCI_DEVICE_ID = 0x02, PCI_COMMAND = 0x04, PCI_STATUS = 0x06,
    PCI_REVISION_ID = 0x08, PCI_CLASS_PROG = 0x09, PCI_CLASS_DEVICE = 0x0a,
    PCI_HEADER_TYPE = 0x0e, PCI_BAR0 = 0x10, PCI_SUBSYSTEM_VENDOR_ID = 0x2c,
    PCI_SUBSYSTEM_ID = 0x2e, PCI_ROM_ADDRESS = 0x30, PCI_CAPABILITY_LIST = 0x34,
    PCI_INTERRUPT_LINE = 0x3c, PCI_INTERRUPT_PIN = 0x3d,
};
enum { PCI_COMMAND_IO = 1, PCI_COMMAND_MEMORY = 2, PCI_COMMAND_MASTER = 4,
       PCI_COMMAND_INTX_DISABLE = 0x400 };
enum { PCI_STATUS_INTERRUPT = 0x08 };
enum { PCI_HEADER_MULTI_FUNCTION = 0x80 };
/* BAR low bits (PCI 3.0 6.2.5.1) */
enum { PCI_BAR_SPACE_IO = 0x01, PCI_BAR_MEM_PREFETCH = 0x08, PCI_ROM_ENABLE = 0x01 };
/* Memory BARs sit below RAM and chipset devices in the memory map. */
enum { PCI_PRIO = PRIO_RAM - 1 };

typedef struct PciBus PciBus;
typedef struct PciDevice PciDevice;

typedef enum { PCI_BAR_NONE, PCI_BAR_IO, PCI_BAR_MEM, PCI_BAR_ROM } PciBarKind;

typedef struct PciBar {
    PciBarKind kind;
    uint64_t size;              /* power of two */
    bool prefetchable;
    const IoOps *ops;           /* callbacks, or NULL when ram-backed */
    void *opaque;
    RamBlock *ram;              /* RAM/ROM-backed memory BAR (VRAM, option ROM) */
    IoRange *io;                /* mapped I/O range, or NULL */
    MemRegion *mem;             /* mapped memory region, or NULL */
    uint64_t addr;              /* address the guest programmed (0 = none) */
} PciBar;

/* Per-device hooks; all optional. */
typedef struct PciHooks {
    /* After the generic config write has been applied. */
    void (*config_write)(void *opaque, uint32_t offset, uint32_t value, unsigned size);
    /* Replace the generic read (for registers with read side effects). */
    uint32_t (*config_read)(void *opaque, uint32_t offset, unsigned size);
    void (*reset)(void *opaque);
} PciHooks;

struct PciDevice {
    PciBus *bus;
    uint8_t devfn;
    const char *name;
    uint8_t config[256];
    uint8_t wmask[256];         /* bits the guest may write */
    uint8_t w1cmask[256];       /* bits cleared by writing 1 (status) */
    PciBar bars[PCI_NUM_BARS + 1];
    const PciHooks *hooks;
    void *opaque;
    int intx_level;             /* what the device drives on its INTx pin */
    int intx_out;               /* what the route hook last saw (after INTX_DISABLE) */
};

/* Routes a device's INTx: the board maps (devfn, pin 0..3) to a PIRQ line. */
typedef void PciIntxRoute(void *opaque, PciDevice *dev, int pin, int level);

PciBus *pci_bus_new(Bus *bus, PciIntxRoute *route, void *route_opaque);
void pci_bus_free(PciBus *pb);
Bus *pci_bus_io(PciBus *pb);
/* The config mechanism #1 ports 0xcf8-0xcff (PCI 3.0 3.2.2.3.2). */
void pci_bus_map_config_ports(PciBus *pb);
/* Accesses to 0xcf8-0xcfb other than a dword at 0xcf8 are ordinary I/O
 * cycles (PCI 3.0 3.2.2.3.2): they go here (offset 0-3), e.g. to the PIIX3's
 * reset control register at 0xcf9. Without a taker they read all ones. */
void pci_bus_set_cf8_io(PciBus *pb, const IoOps *ops, void *opaque);
/* Subsystem vendor/ID (config 0x2c/0x2e) given to functions registered from
 * now on; a device may overwrite its own. QEMU's boards use 1af4:1100, and
 * SeaBIOS looks for it on the host bridge to know it runs on QEMU. */
void pci_bus_set_subsystem(PciBus *pb, uint16_t vendor, uint16_t id);
/* Config access by bus/devfn/offset (for tests and the board). */
uint32_t pci_config_read(PciBus *pb, uint8_t devfn, uint32_t offset, unsigned size);
void pci_config_write(PciBus *pb, uint8_t devfn, uint32_t offset, uint32_t value, unsigned size);
PciDevice *pci_find(PciBus *pb, uint8_t devfn);
void pci_bus_reset(PciBus *pb);

/* class_code: base<<16 | sub<<8 | prog-if. Sets IDs, class, header type 0,
 * command/status masks, interrupt line writable; refuses a taken devfn. */
void pci_device_init(PciDevice *dev, PciBus *pb, uint8_t devfn, const char *name,
                     uint16_t vendor, uint16_t device, uint32_t class_code,
                     const PciHooks *hooks, void *opaque);
void pci_set_interrupt_pin(PciDevice *dev, int pin);   /* 1=INTA .. 4=INTD */
/* The generic config read, for a config_read hook to fall back on. */
uint32_t pci_default_config_read(PciDevice *dev, uint32_t offset, unsigned size);

void pci_register_bar_io(PciDevice *dev, int bar, uint32_t size, const IoOps *ops, void *opaque);
void pci_register_bar_mmio(PciDevice *dev, int bar, uint64_t size, const IoOps *ops,
                           void *opaque);
void pci_register_bar_ram(PciDevice *dev, int bar, RamBlock *ram, bool prefetchable);
/* Sizes are rounded up to a power of two (at least 4 bytes for I/O, 16 for
 * memory, 2 KiB for the ROM); a RAM/ROM block smaller than its BAR leaves
 * the rest of the BAR unassigned. */
/* Expansion ROM (config 0x30), backed by a read-only block: option ROMs,
 * the VGA BIOS. */
void pci_register_rom(PciDevice *dev, RamBlock *rom);

/* Drive the device's INTx pin (respects COMMAND.INTX_DISABLE, sets STATUS). */
void pci_set_irq(PciDevice *dev, int level);

/* Little-endian config-space helpers for device code. */
static inline void pci_set_byte(PciDevice *d, int off, uint8_t v) { d->config[off] = v; }
static inline void pci_set_word(PciDevice *d, int off, uint16_t v) { st16(&d->config[off], v); }
static inline void pci_set_long(PciDevice *d, int off, uint32_t v) { st32(&d->config[off], v); }
static inline uint16_t pci_get_word(const PciDevice *d, int off) { return ld16(&d->config[off]); }
static inline uint32_t pci_get_long(const PciDevice *d, int off) { return ld32(&d->config[off]); }

#endif
