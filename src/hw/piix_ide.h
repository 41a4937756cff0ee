/* piix_ide.h — the PIIX3 IDE function (82371SB, PCI 8086:7010, function 1 of
 * the south bridge): two legacy-mode ATA channels and bus-master DMA.
 *
 *   PiixIde *ide = piix_ide_new(pci, PCI_DEVFN(1, 1), irq14, irq15,
 *                               drives, kinds, err, sizeof err);
 *   if (!ide) fatal("%s", err);
 *
 * drives[]/kinds[] are hda..hdd: primary master, primary slave, secondary
 * master, secondary slave (EmuOptions.drives order). A MEDIA_NONE slot is
 * empty; a MEDIA_CDROM slot may have a NULL image (empty drive).
 *
 * Legacy ports 0x1f0-0x1f7/0x3f6 (primary, IRQ14) and 0x170-0x177/0x376
 * (secondary, IRQ15) are claimed on the PCI bus's Bus at creation but
 * decoded only while PCICMD.IOSE and the channel's IDETIM bit 15 (IDE
 * decode enable, config 0x41/0x43) are set, as on the chip; SeaBIOS sets
 * both. Bus-master registers are BAR4 (16 bytes, config 0x20). A PCI reset
 * (pci_bus_reset) resets the channels and drives too (PCIRST# drives the
 * IDE RESET- line). Disk images stay owned by the caller (flush and close
 * them at exit).
 */
#ifndef EMU_HW_PIIX_IDE_H
#define EMU_HW_PIIX_IDE_H

#include "hw/block.h"
#include "hw/ide.h"
#include "hw/pci.h"

typedef struct PiixIde PiixIde;

PiixIde *piix_ide_new(PciBus *pb, uint8_t devfn, IrqLine irq14, IrqLine irq15,
                      BlockDev *drives[4], const MediaKind kinds[4], char *err, size_t errlen);
IdeChannel *piix_ide_channel(PiixIde *p, int n);

#endif
