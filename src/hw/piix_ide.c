/* piix_ide.c — PCI function 1 of the 82371SB PIIX3: the IDE interface in
 * legacy ("compatibility") mode with bus-master DMA (datasheet 2.4, 2.7).
 *
 * Config space beyond the generic header (all R/W, reset to 0):
 *   0x0d MLT bits 7:4, 0x40/0x42 IDETIM primary/secondary (bit 15: decode
 *   enable), 0x44 SIDETIM. PCICMD has only I/O space enable and bus master
 *   enable; there is no interrupt line/pin: IRQ14/15 are wired directly.
 * The timing fields only shape cycles on a real cable and have no effect.
 */
#include <stdio.h>
#include <stdlib.h>
#include "base/log.h"
#include "hw/piix_ide.h"

enum { IDETIM = 0x40, SIDETIM = 0x44, IDETIM_IDE = 0x80 /* in the high byte */ };

typedef struct PiixPort {
    struct PiixIde *p;
    int n;
} PiixPort;

struct PiixIde {
    PciDevice pci;              /* first: the PCI core's view */
    IdeChannel *ch[2];
    BmDma bm[2];
    PiixPort port[2];
    IoRange *io[4];             /* legacy ranges: cmd0, ctl0, cmd1, ctl1 */
};

static const uint16_t cmd_base[2] = { 0x1f0, 0x170 };
static const uint16_t ctl_port[2] = { 0x3f6, 0x376 };

/* Legacy decode: I/O space on and the channel's IDE decode enable set. */
static bool decodes(PiixPort *pp)
{
    const uint8_t *c = pp->p->pci.config;
    return (c[PCI_COMMAND] & PCI_COMMAND_IO) && (c[IDETIM + 2 * pp->n + 1] & IDETIM_IDE);
}

static uint64_t legacy_cmd_read(void *opaque, uint64_t offset, unsigned size)
{
    PiixPort *pp = opaque;
    return decodes(pp) ? ide_cmd_read(pp->p->ch[pp->n], offset, size) : size_mask(size);
}

static void legacy_cmd_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PiixPort *pp = opaque;
    if (decodes(pp))
        ide_cmd_write(pp->p->ch[pp->n], offset, value, size);
}

static uint64_t legacy_ctl_read(void *opaque, uint64_t offset, unsigned size)
{
    PiixPort *pp = opaque;
    return decodes(pp) ? ide_ctl_read(pp->p->ch[pp->n]) : 0xff;
}

static void legacy_ctl_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PiixPort *pp = opaque;
    if (decodes(pp))
        ide_ctl_write(pp->p->ch[pp->n], value);
}

static const IoOps legacy_cmd_ops = { legacy_cmd_read, legacy_cmd_write, 1, 4 };
static const IoOps legacy_ctl_ops = { legacy_ctl_read, legacy_ctl_write, 1, 1 };

/* BAR4: primary engine at 0-7, secondary at 8-15. */
static uint64_t bar4_read(void *opaque, uint64_t offset, unsigned size)
{
    PiixIde *p = opaque;
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t off = (offset + i) & 15;
        v |= bmdma_read(&p->bm[off >> 3], off & 7, 1) << (8 * i);
    }
    return v;
}

static void bar4_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PiixIde *p = opaque;
    for (unsigned i = 0; i < size; i++) {
        uint64_t off = (offset + i) & 15;
        bmdma_write(&p->bm[off >> 3], off & 7, (value >> (8 * i)) & 0xff, 1);
    }
}

static const IoOps bar4_ops = { bar4_read, bar4_write, 1, 4 };

static bool may_master(void *opaque)
{
    PiixIde *p = opaque;
    return p->pci.config[PCI_COMMAND] & PCI_COMMAND_MASTER;
}

/* Bus mastering may just have been enabled under a started engine. */
static void config_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    PiixIde *p = opaque;
    if (offset <= PCI_COMMAND && offset + size > PCI_COMMAND && may_master(p)) {
        ide_dma_kick(p->ch[0]);
        ide_dma_kick(p->ch[1]);
    }
}

static void piix_ide_reset(void *opaque)
{
    PiixIde *p = opaque;
    p->pci.config[0x0d] = 0;
    for (int i = IDETIM; i <= SIDETIM; i++)
        p->pci.config[i] = 0;
    for (int i = 0; i < 2; i++) {
        bmdma_reset(&p->bm[i]);
        ide_channel_reset(p->ch[i]);
    }
}

static const PciHooks piix_ide_hooks = { .config_write = config_write, .reset = piix_ide_reset };

static void setup_config(PiixIde *p)
{
    PciDevice *d = &p->pci;
    pci_set_word(d, PCI_STATUS, 0x0280);        /* fast back-to-back, medium DEVSEL */
    st16(&d->wmask[PCI_COMMAND], PCI_COMMAND_IO | PCI_COMMAND_MASTER);
    d->wmask[0x0c] = 0;
    d->wmask[0x0d] = 0xf0;
    d->wmask[PCI_INTERRUPT_LINE] = 0;
    for (int i = IDETIM; i <= SIDETIM; i++)
        d->wmask[i] = 0xff;
    pci_register_bar_io(d, 4, 16, &bar4_ops, p);
}

static int map_legacy(PiixIde *p, Bus *bus, char *err, size_t errlen)
{
    for (int n = 0; n < 2; n++) {
        p->port[n] = (PiixPort){ p, n };
        p->io[2 * n] = bus_map_io(bus, n ? "ide1" : "ide0", cmd_base[n], 8, &legacy_cmd_ops,
                                  &p->port[n]);
        p->io[2 * n + 1] = bus_map_io(bus, n ? "ide1-ctl" : "ide0-ctl", ctl_port[n], 1,
                                      &legacy_ctl_ops, &p->port[n]);
    }
    for (int i = 0; i < 4; i++) {
        if (!p->io[i]) {
            snprintf(err, errlen, "piix-ide: legacy ports of channel %d are taken", i / 2);
            goto fail;
        }
    }
    return 0;
fail:
    for (int i = 0; i < 4; i++)
        if (p->io[i])
            bus_unmap_io(bus, p->io[i]);
    return -1;
}

PiixIde *piix_ide_new(PciBus *pb, uint8_t devfn, IrqLine irq14, IrqLine irq15,
                      BlockDev *drives[4], const MediaKind kinds[4], char *err, size_t errlen)
{
    Bus *bus = pci_bus_io(pb);
    PiixIde *p = calloc(1, sizeof(*p));
    if (!p)
        panic("piix-ide: out of memory");
    for (int n = 0; n < 2; n++) {
        bmdma_init(&p->bm[n], bus_memmap(bus), n ? irq15 : irq14);
        p->bm[n].may_master = may_master;
        p->bm[n].master_opaque = p;
        p->ch[n] = ide_channel_new(bmdma_irq_in(&p->bm[n]));
        bmdma_attach(&p->bm[n], p->ch[n]);
    }
    for (int i = 0; i < 4; i++) {
        if (kinds[i] != MEDIA_NONE &&
            ide_attach(p->ch[i / 2], i % 2, kinds[i], drives[i], err, errlen) < 0)
            goto fail;
    }
    if (map_legacy(p, bus, err, errlen) < 0)
        goto fail;
    pci_device_init(&p->pci, pb, devfn, "piix3-ide", 0x8086, 0x7010, 0x010180,
                    &piix_ide_hooks, p);
    setup_config(p);
    piix_ide_reset(p);
    return p;
fail:
    ide_channel_free(p->ch[0]);
    ide_channel_free(p->ch[1]);
    free(p);
    return NULL;
}

IdeChannel *piix_ide_channel(PiixIde *p, int n)
{
    return p->ch[n & 1];
}
