/* ide.h — an ATA channel (two drives: ATA disks or ATAPI CD-ROMs) and the
 * SFF-8038i bus-master DMA engine that sits beside it.
 *
 * A channel is the register model of one cable: the command block (8 ports,
 * 0x1f0-0x1f7 on the primary channel) and the control block (1 port, 0x3f6),
 * two drives with their own task files, and one interrupt line (INTRQ).
 * Whoever owns the channel maps the ports (ide_cmd_ops/ide_ctl_ops, opaque =
 * the channel) or wraps ide_cmd_read/..., and may give it a DMA engine.
 *
 *   BmDma *bm = ...;  bmdma_init(bm, memmap, irq14);
 *   IdeChannel *ch = ide_channel_new(bmdma_irq_in(bm));
 *   bmdma_attach(bm, ch);
 *   ide_attach(ch, 0, MEDIA_DISK, blk, err, sizeof err);
 *
 * DMA: a drive with a DMA data phase to run waits until the engine is ready
 * (IdeDmaOps.ready); the engine calls ide_dma_kick() when it is started.
 * Transfers complete at once (no virtual-time delay); the drive then raises
 * INTRQ as the protocol says.
 */
#ifndef EMU_HW_IDE_H
#define EMU_HW_IDE_H

#include "base/options.h"
#include "hw/block.h"
#include "hw/ioops.h"
#include "hw/irq.h"
#include "mmu/memmap.h"

typedef struct IdeChannel IdeChannel;

/* What a bus-master engine offers its channel. */
typedef struct IdeDmaOps {
    /* Started, allowed to master the bus, with a PRD table left to walk. */
    bool (*ready)(void *opaque);
    /* Move up to len bytes between buf and guest memory (to_mem: device to
     * memory). Returns the bytes moved: fewer when the PRD table ended, or
     * when the engine is programmed for the other direction. */
    uint32_t (*rw)(void *opaque, uint8_t *buf, uint32_t len, bool to_mem);
} IdeDmaOps;

IdeChannel *ide_channel_new(IrqLine irq);
void ide_channel_free(IdeChannel *ch);
/* Put a drive on the channel (unit 0 = master, 1 = slave). MEDIA_DISK needs
 * an image; MEDIA_CDROM takes one or NULL (empty drive). Returns -1 with a
 * message on a bad combination. Call before the guest runs. */
int ide_attach(IdeChannel *ch, int unit, MediaKind kind, BlockDev *blk, char *err, size_t errlen);
void ide_channel_set_dma(IdeChannel *ch, const IdeDmaOps *ops, void *opaque);
/* Hardware reset (RESET-): both drives to their power-on state. */
void ide_channel_reset(IdeChannel *ch);
/* The DMA engine was started: run a waiting DMA data phase. */
void ide_dma_kick(IdeChannel *ch);

/* Register access. Command block offsets 0-7; the control block is one
 * register (read: alternate status, write: device control). */
uint64_t ide_cmd_read(IdeChannel *ch, uint64_t offset, unsigned size);
void ide_cmd_write(IdeChannel *ch, uint64_t offset, uint64_t value, unsigned size);
uint64_t ide_ctl_read(IdeChannel *ch);
void ide_ctl_write(IdeChannel *ch, uint64_t value);
extern const IoOps ide_cmd_ops;     /* opaque = IdeChannel; 8 ports */
extern const IoOps ide_ctl_ops;     /* opaque = IdeChannel; 1 port */

/* -- SFF-8038i bus-master IDE (ide_bmdma.c) --
 * Three registers per channel at offsets 0 (BMIC command), 2 (BMIS status)
 * and 4 (BMIDTP descriptor table pointer) of an 8-byte window. */
typedef struct BmDma {
    IdeChannel *ch;
    MemMap *mem;
    IrqLine out;                /* towards the interrupt controller */
    bool (*may_master)(void *opaque);   /* PCI command bit 2, or NULL: always */
    void *master_opaque;
    uint8_t cmd, status;
    uint32_t table;             /* BMIDTP */
    int irq_level;              /* the channel's INTRQ as last seen */
    /* PRD walk state */
    uint32_t prd_next;          /* address of the next descriptor */
    uint32_t cur_addr, cur_left;
    bool cur_eot;
} BmDma;

void bmdma_init(BmDma *bm, MemMap *mem, IrqLine out);
/* The line the channel drives: sets BMIS.INT on a rising edge, passes on. */
IrqLine bmdma_irq_in(BmDma *bm);
void bmdma_attach(BmDma *bm, IdeChannel *ch);
void bmdma_reset(BmDma *bm);
uint64_t bmdma_read(BmDma *bm, uint64_t offset, unsigned size);
void bmdma_write(BmDma *bm, uint64_t offset, uint64_t value, unsigned size);
extern const IoOps bmdma_ops;       /* opaque = BmDma; 8 ports */

#endif
