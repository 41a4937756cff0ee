/* ide_bmdma.c — SFF-8038i bus-master IDE DMA, as in the Intel 82371SB
 * (PIIX3) datasheet section 2.7: one engine per channel, walking a table of
 * physical region descriptors (PRDs) in guest memory.
 *
 * Registers (8-byte window per channel):
 *   0 BMIC   bit 0 start/stop, bit 3 direction (1: device to memory)
 *   2 BMIS   bit 0 active (RO), bit 1 error (R/WC), bit 2 interrupt (R/WC),
 *            bits 5-6 drive 0/1 DMA capable (R/W)
 *   4 BMIDTP descriptor table pointer, dword aligned
 * A PRD is { u32 address (bit 0 zero), u32 count in bits 15:1 (0 = 64 KiB),
 * bit 31 EOT }. Active clears when the EOT region has been fully moved or
 * the start bit is cleared; Interrupt latches each rising edge of the
 * channel's INTRQ. So at the end of a command (SFF-8038i table 2):
 *   INT=1 ACT=0  the table was exactly as long as the transfer;
 *   INT=1 ACT=1  the table was longer;
 *   INT=0 ACT=0  the table was shorter: the drive still waits for data.
 * Memory is reached through memmap_rw (which keeps the CPU's code cache
 * coherent with DMA writes). The PCI error bit is never set: memmap
 * accesses cannot master-abort (unassigned memory reads as all ones).
 */
#include "base/log.h"
#include "hw/ide.h"

enum { BMIC_START = 0x01, BMIC_TO_MEM = 0x08 };
enum { BMIS_ACTIVE = 0x01, BMIS_ERROR = 0x02, BMIS_INT = 0x04, BMIS_CAP = 0x60 };

static bool may_master(BmDma *bm)
{
    return !bm->may_master || bm->may_master(bm->master_opaque);
}

static bool dma_ready(void *opaque)
{
    BmDma *bm = opaque;
    return (bm->cmd & BMIC_START) && (bm->status & BMIS_ACTIVE) && may_master(bm);
}

static bool load_prd(BmDma *bm)
{
    uint8_t prd[8];
    uint32_t ctl;
    if (bm->cur_eot) {
        bm->status &= ~BMIS_ACTIVE;
        return false;
    }
    memmap_rw(bm->mem, bm->prd_next, prd, 8, false);
    bm->prd_next += 8;
    ctl = ld32(prd + 4);
    bm->cur_addr = ld32(prd) & ~1u;
    bm->cur_left = (ctl & 0xfffe) ?: 0x10000;
    bm->cur_eot = ctl >> 31;
    return true;
}

static uint32_t dma_rw(void *opaque, uint8_t *buf, uint32_t len, bool to_mem)
{
    BmDma *bm = opaque;
    uint32_t done = 0;
    if (!!(bm->cmd & BMIC_TO_MEM) != to_mem) {
        log_guest_error_once("bmdma: engine direction does not match the command");
        return 0;
    }
    while (done < len && (bm->status & BMIS_ACTIVE)) {
        uint32_t n;
        if (!bm->cur_left && !load_prd(bm))
            break;
        n = MIN(bm->cur_left, len - done);
        memmap_rw(bm->mem, bm->cur_addr, buf + done, n, to_mem);
        bm->cur_addr += n;
        bm->cur_left -= n;
        done += n;
        if (!bm->cur_left && bm->cur_eot)
            bm->status &= ~BMIS_ACTIVE;
    }
    return done;
}

static const IdeDmaOps bmdma_dma_ops = { dma_ready, dma_rw };

static void irq_in(void *opaque, int pin, int level)
{
    BmDma *bm = opaque;
    if (level && !bm->irq_level)
        bm->status |= BMIS_INT;
    bm->irq_level = level;
    irq_set(bm->out, level);
}

void bmdma_init(BmDma *bm, MemMap *mem, IrqLine out)
{
    *bm = (BmDma){ .mem = mem, .out = out };
}

IrqLine bmdma_irq_in(BmDma *bm)
{
    return irq_line(irq_in, bm, 0);
}

void bmdma_attach(BmDma *bm, IdeChannel *ch)
{
    bm->ch = ch;
    ide_channel_set_dma(ch, &bmdma_dma_ops, bm);
}

void bmdma_reset(BmDma *bm)
{
    bm->cmd = bm->status = 0;
    bm->table = 0;
    bm->cur_left = 0;
    bm->cur_eot = false;
}

static void write_cmd(BmDma *bm, uint8_t v)
{
    uint8_t old = bm->cmd;
    if (old & BMIC_START)       /* direction is fixed while started (2.7.1.1) */
        v = (v & ~BMIC_TO_MEM) | (old & BMIC_TO_MEM);
    bm->cmd = v & (BMIC_START | BMIC_TO_MEM);
    if (!(old & BMIC_START) && (v & BMIC_START)) {
        bm->status |= BMIS_ACTIVE;
        bm->prd_next = bm->table;
        bm->cur_left = 0;
        bm->cur_eot = false;
        if (bm->ch)
            ide_dma_kick(bm->ch);
    } else if ((old & BMIC_START) && !(v & BMIC_START)) {
        bm->status &= ~BMIS_ACTIVE;
    }
}

static uint8_t read_byte(BmDma *bm, unsigned off)
{
    switch (off) {
    case 0: return bm->cmd;
    case 2: return bm->status;
    case 4: case 5: case 6: case 7: return bm->table >> (8 * (off - 4));
    }
    return 0;
}

static void write_byte(BmDma *bm, unsigned off, uint8_t v)
{
    unsigned sh = 8 * (off - 4);
    switch (off) {
    case 0:
        write_cmd(bm, v);
        break;
    case 2:
        bm->status = (bm->status & ~BMIS_CAP & ~(v & (BMIS_ERROR | BMIS_INT))) | (v & BMIS_CAP);
        break;
    case 4: case 5: case 6: case 7:
        bm->table = (bm->table & ~(0xffu << sh)) | ((uint32_t)v << sh);
        bm->table &= ~3u;
        break;
    }
}

uint64_t bmdma_read(BmDma *bm, uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)read_byte(bm, (offset + i) & 7) << (8 * i);
    return v;
}

void bmdma_write(BmDma *bm, uint64_t offset, uint64_t value, unsigned size)
{
    for (unsigned i = 0; i < size; i++)
        write_byte(bm, (offset + i) & 7, value >> (8 * i));
}

static uint64_t ops_read(void *opaque, uint64_t offset, unsigned size)
{
    return bmdma_read(opaque, offset, size);
}

static void ops_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    bmdma_write(opaque, offset, value, size);
}

const IoOps bmdma_ops = { ops_read, ops_write, 1, 4 };
