/* ide.c — one ATA channel: task-file registers, reset, data port, and the
 * ATA command set of a hard disk (ATA/ATAPI-6, T13 1410D).
 *
 * Each drive has its own task file; writes to the command block registers
 * reach both drives (as on the cable), the command register only the
 * selected one. Reads come from the selected drive; when device 1 is
 * selected but absent, device 0 answers for it with status 00h (7.15.6.1),
 * and with no drive to answer the bus floats (all ones).
 *
 * Commands run to completion at once: BSY is only ever seen while SRST is
 * held. INTRQ follows the protocols of clause 9: PIO data-in raises it for
 * every DRQ block, PIO data-out for every block after the first and at the
 * end, DMA and non-data commands at completion. It is cleared by reading
 * Status, by writing Command, and by reset.
 *
 * To add an ATA command: a case in ata_disk_exec() (and in
 * ata_packet_dev_exec() if packet devices accept it) calling a handler that
 * ends with cmd_ok(), cmd_error() or a data phase.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "base/log.h"
#include "hw/ide_internal.h"

#define MAX_MULT_SECTORS 16

static IdeDrive *cur_drive(IdeChannel *ch) { return &ch->drive[ch->cur]; }
static bool present(const IdeDrive *d) { return d->kind != MEDIA_NONE; }

/* -- Interrupts -- */

static void update_irq(IdeChannel *ch)
{
    int level = cur_drive(ch)->irq_pending && !(ch->ctl & DC_NIEN);
    if (level != ch->irq_level) {
        ch->irq_level = level;
        irq_set(ch->irq, level);
    }
}

void ide_set_irq(IdeDrive *d)
{
    d->irq_pending = true;
    update_irq(d->ch);
}

static void clear_irq(IdeDrive *d)
{
    d->irq_pending = false;
    update_irq(d->ch);
}

/* -- Data phases -- */

void ide_xfer_stop(IdeDrive *d)
{
    d->pio_done = NULL;
    d->dma_next = NULL;
    d->dma_wait = false;
    d->pos = d->end = 0;
    d->status &= ~ST_DRQ;
}

void ide_start_pio(IdeDrive *d, uint32_t len, bool to_dev, void (*done)(IdeDrive *d))
{
    d->pos = 0;
    d->end = len;
    d->pio_to_dev = to_dev;
    d->pio_done = done;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
}

/* The host moved the last byte of the PIO window. */
static void pio_finish(IdeDrive *d)
{
    void (*done)(IdeDrive *) = d->pio_done;
    d->pio_done = NULL;
    d->status &= ~ST_DRQ;
    d->pos = d->end;
    done(d);
}

static bool pio_active(IdeDrive *d, bool to_dev)
{
    if (present(d) && d->pio_done && d->pio_to_dev == to_dev && (d->status & ST_DRQ))
        return true;
    log_guest_error_once("ide: data port %s without DRQ", to_dev ? "write" : "read");
    return false;
}

/* One 16-bit transfer; an odd byte count ends with a pad byte. */
static uint16_t data_read16(IdeChannel *ch)
{
    IdeDrive *d = cur_drive(ch);
    uint16_t v;
    if (!pio_active(d, false))
        return 0xffff;
    v = d->pos + 1 < d->end ? ld16(d->buf + d->pos) : d->buf[d->pos];
    d->pos += 2;
    if (d->pos >= d->end)
        pio_finish(d);
    return v;
}

static void data_write16(IdeChannel *ch, uint16_t v)
{
    IdeDrive *d = cur_drive(ch);
    if (!pio_active(d, true))
        return;
    d->buf[d->pos] = v;
    if (d->pos + 1 < d->end)
        d->buf[d->pos + 1] = v >> 8;
    d->pos += 2;
    if (d->pos >= d->end)
        pio_finish(d);
}

static void dma_run(IdeDrive *d)
{
    IdeChannel *ch = d->ch;
    while (d->dma_wait) {
        if (d->pos == d->end) {
            if (!d->dma_next(d))
                d->dma_wait = false;
            continue;
        }
        if (!ch->dma || !ch->dma->ready(ch->dma_opaque))
            return;
        d->pos += ch->dma->rw(ch->dma_opaque, d->buf + d->pos, d->end - d->pos, d->dma_to_mem);
        if (d->pos < d->end)
            return;     /* the PRD table ran out: wait for the host */
    }
}

/* next() sets up each window and finishes the command (ATA-6 9.10). */
void ide_start_dma(IdeDrive *d, bool to_mem, bool (*next)(IdeDrive *d))
{
    d->pio_done = NULL;
    d->dma_next = next;
    d->dma_to_mem = to_mem;
    d->pos = d->end = 0;
    d->status = ST_DRDY | ST_DSC | ST_DRQ;
    d->dma_wait = true;
    dma_run(d);
}

void ide_dma_kick(IdeChannel *ch)
{
    for (int i = 0; i < 2; i++)
        if (ch->drive[i].dma_wait)
            dma_run(&ch->drive[i]);
}

/* -- Command completion -- */

static void cmd_ok(IdeDrive *d)
{
    ide_xfer_stop(d);
    d->status = ST_DRDY | ST_DSC;
    ide_set_irq(d);
}

static void cmd_error(IdeDrive *d, uint8_t err)
{
    ide_xfer_stop(d);
    d->error = err;
    d->status = ST_DRDY | ST_DSC | ST_ERR;
    ide_set_irq(d);
}

/* Not implemented: abort as a drive without the feature does. */
static void cmd_unimp(IdeDrive *d, const char *what, uint8_t code)
{
    log_unimp("ide: %s %02xh", what, code);
    cmd_error(d, ER_ABRT);
}

/* -- Signatures and reset (ATA-6 9.12) -- */

void ide_set_signature(IdeDrive *d)
{
    d->nsector = d->lbal = 1;
    d->lbam = d->kind == MEDIA_CDROM ? 0x14 : 0x00;
    d->lbah = d->kind == MEDIA_CDROM ? 0xeb : 0x00;
    d->hob_nsector = d->hob_lbal = d->hob_lbam = d->hob_lbah = 0;
}

/* What SRST, EXECUTE DEVICE DIAGNOSTIC and DEVICE RESET leave behind:
 * signature, diagnostic code 01h (passed), ready status. A packet device
 * clears DRDY until its next command (ATA-6 9.12). */
static void drive_soft_reset(IdeDrive *d)
{
    ide_xfer_stop(d);
    d->irq_pending = false;
    ide_set_signature(d);
    d->error = 0x01;
    d->status = d->kind == MEDIA_CDROM ? 0 : ST_DRDY | ST_DSC;
    if (d->power == PWR_SLEEP)
        d->power = PWR_STANDBY;
    if (d->kind == MEDIA_CDROM)
        atapi_reset(d);
}

static void default_geometry(IdeDrive *d)
{
    d->heads = 16;
    d->secs = 63;
    d->cyls = MAX(1, MIN(d->sectors / (16 * 63), 16383));
}

/* Power-on state of one drive. */
static void drive_hard_reset(IdeDrive *d)
{
    d->mult_sectors = 0;
    d->pio_mode = d->mwdma_mode = d->udma_mode = XFER_NONE;
    d->wcache = true;
    if (d->blk)
        block_set_writethrough(d->blk, false);
    d->power = PWR_ACTIVE;
    d->feature = d->hob_feature = 0;
    d->device = 0;
    default_geometry(d);
    if (d->kind == MEDIA_CDROM)
        atapi_init(d);
    drive_soft_reset(d);
}

void ide_channel_reset(IdeChannel *ch)
{
    ch->ctl = 0;
    ch->cur = 0;
    for (int i = 0; i < 2; i++)
        if (present(&ch->drive[i]))
            drive_hard_reset(&ch->drive[i]);
    update_irq(ch);
}

/* SRST edges: while set, both drives are busy; on release they reset. */
static void srst(IdeChannel *ch, bool assert)
{
    for (int i = 0; i < 2; i++) {
        IdeDrive *d = &ch->drive[i];
        if (!present(d))
            continue;
        if (assert) {
            ide_xfer_stop(d);
            d->irq_pending = false;
            d->status = ST_BSY;
        } else {
            drive_soft_reset(d);
            d->device = 0;
        }
    }
    if (!assert)
        ch->cur = 0;
}

/* -- IDENTIFY (ATA-6 8.15) -- */

static void put_string(uint16_t *id, int word, int nwords, const char *s)
{
    size_t len = strlen(s);
    for (int i = 0; i < nwords * 2; i++) {
        uint8_t c = i < (int)len ? s[i] : ' ';
        if (i & 1)
            id[word + i / 2] |= c;
        else
            id[word + i / 2] = c << 8;
    }
}

void ide_identify_strings(IdeDrive *d, uint16_t *id, const char *model)
{
    put_string(id, 10, 10, d->serial);
    put_string(id, 23, 4, "1.0");
    put_string(id, 27, 20, model);
}

/* Word 255: signature A5h and a checksum making all 512 bytes sum to 0. */
void ide_finish_identify(uint16_t *id)
{
    uint8_t sum = 0xa5;
    for (int i = 0; i < 255; i++)
        sum += (id[i] & 0xff) + (id[i] >> 8);
    id[255] = (uint16_t)((uint8_t)-sum << 8 | 0xa5);
}

/* Word 93: device 0 / device 1 reset results, 80-conductor cable (bit 13). */
uint16_t ide_cable_word(IdeDrive *d)
{
    bool dev1 = present(&d->ch->drive[1]);
    if (d->unit == 1)
        return 0x4000 | 0x2000 | 0x0100 | 0x0200;      /* jumper-set, 13 CBLID */
    return 0x4000 | 0x2000 | 0x0001 | 0x0002 | 0x0008 | (dev1 ? 0x0020 : 0x0040);
}

uint16_t ide_mode_word(IdeDrive *d, int word)
{
    switch (word) {
    case 63:    /* multiword DMA 0-2 supported, selected one */
        return 0x0007 | (d->mwdma_mode != XFER_NONE ? 0x100 << d->mwdma_mode : 0);
    case 88:    /* Ultra DMA 0-5 supported, selected one */
        return 0x003f | (d->udma_mode != XFER_NONE ? 0x100 << d->udma_mode : 0);
    }
    return 0;
}

static void ata_identify_words(IdeDrive *d, uint16_t *id)
{
    uint64_t lba28 = MIN(d->sectors, 0x0fffffffull);
    uint32_t chs_cap = (uint32_t)d->cyls * d->heads * d->secs;
    memset(id, 0, 512);
    id[0] = 0x0040;                     /* fixed device */
    id[1] = MIN(d->sectors / (16 * 63), 16383);
    id[3] = 16;
    id[6] = 63;
    ide_identify_strings(d, id, "EMU HARDDISK");
    id[47] = 0x8000 | MAX_MULT_SECTORS;
    id[49] = 0x0f00;                    /* IORDY, IORDY disable, LBA, DMA */
    id[50] = 0x4000;
    id[51] = 0x0200;                    /* PIO timing mode 2 (obsolete word) */
    id[53] = 0x0007;                    /* words 54-58, 64-70, 88 valid */
    id[54] = d->cyls;
    id[55] = d->heads;
    id[56] = d->secs;
    id[57] = chs_cap & 0xffff;
    id[58] = chs_cap >> 16;
    id[59] = d->mult_sectors ? 0x100 | d->mult_sectors : 0;
    id[60] = lba28 & 0xffff;
    id[61] = lba28 >> 16;
    id[63] = ide_mode_word(d, 63);
    id[64] = 0x0003;                    /* PIO 3 and 4 */
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x007e;                    /* ATA-1 .. ATA-6 */
    id[82] = 0x0028;                    /* write cache, power management */
    id[83] = 0x7400;                    /* FLUSH CACHE (EXT), 48-bit */
    id[84] = 0x4000;
    id[85] = 0x0008 | (d->wcache ? 0x0020 : 0);
    id[86] = 0x3400;
    id[87] = 0x4000;
    id[88] = ide_mode_word(d, 88);
    id[93] = ide_cable_word(d);
    for (int i = 0; i < 4; i++)
        id[100 + i] = (uint16_t)(d->sectors >> (16 * i));
    ide_finish_identify(id);
}

static void identify_done(IdeDrive *d)
{
    d->status = ST_DRDY | ST_DSC;
}

static void cmd_identify(IdeDrive *d)
{
    uint16_t id[256];
    if (d->kind == MEDIA_CDROM) {
        ide_set_signature(d);   /* a packet device aborts with its signature */
        cmd_error(d, ER_ABRT);
        return;
    }
    ata_identify_words(d, id);
    for (int i = 0; i < 256; i++)
        st16(d->buf + 2 * i, id[i]);
    ide_start_pio(d, 512, false, identify_done);
    ide_set_irq(d);
}

static void cmd_identify_packet(IdeDrive *d)
{
    uint16_t id[256];
    if (d->kind != MEDIA_CDROM) {
        cmd_error(d, ER_ABRT);
        return;
    }
    atapi_identify(d, id);
    for (int i = 0; i < 256; i++)
        st16(d->buf + 2 * i, id[i]);
    ide_start_pio(d, 512, false, identify_done);
    ide_set_irq(d);
}

/* -- Addresses (ATA-6 7.1: CHS, 28- and 48-bit LBA) -- */

static bool is_lba48(uint8_t cmd)
{
    switch (cmd) {
    case 0x24: case 0x25: case 0x29: case 0x34: case 0x35: case 0x39: case 0x42:
        return true;
    }
    return false;
}

static uint32_t tf_count(IdeDrive *d)
{
    if (d->lba48)
        return (d->nsector | d->hob_nsector << 8) ?: 65536;
    return d->nsector ?: 256;
}

/* Decode the address; false for a CHS address outside the translation. */
static bool tf_lba(IdeDrive *d, uint64_t *lba)
{
    unsigned cyl = d->lbam | d->lbah << 8, head = d->device & 0x0f, sec = d->lbal;
    if (d->lba48) {
        *lba = d->lbal | d->lbam << 8 | (uint64_t)d->lbah << 16 | (uint64_t)d->hob_lbal << 24 |
               (uint64_t)d->hob_lbam << 32 | (uint64_t)d->hob_lbah << 40;
        return true;
    }
    if (d->device & DEV_LBA) {
        *lba = d->lbal | d->lbam << 8 | d->lbah << 16 | (uint32_t)head << 24;
        return true;
    }
    if (!d->secs || !sec || sec > d->secs || head >= d->heads || cyl >= d->cyls)
        return false;
    *lba = ((uint64_t)cyl * d->heads + head) * d->secs + sec - 1;
    return true;
}

/* Leave `lba` in the address registers (last sector done, or the failing one). */
static void tf_set_lba(IdeDrive *d, uint64_t lba)
{
    if (d->lba48) {
        d->lbal = lba, d->lbam = lba >> 8, d->lbah = lba >> 16;
        d->hob_lbal = lba >> 24, d->hob_lbam = lba >> 32, d->hob_lbah = lba >> 40;
    } else if (d->device & DEV_LBA) {
        d->lbal = lba, d->lbam = lba >> 8, d->lbah = lba >> 16;
        d->device = (d->device & 0xf0) | ((lba >> 24) & 0x0f);
    } else if (d->secs && d->heads) {
        uint64_t cyl = lba / ((uint32_t)d->heads * d->secs);
        d->lbal = lba % d->secs + 1;
        d->lbam = cyl, d->lbah = cyl >> 8;
        d->device = (d->device & 0xf0) | ((lba / d->secs) % d->heads);
    }
}

/* Error at a sector: address registers point at it (ATA-6 8.27 error outputs). */
static void error_at(IdeDrive *d, uint64_t lba, uint8_t err)
{
    tf_set_lba(d, lba);
    cmd_error(d, err);
}

static void media_ok(IdeDrive *d)
{
    tf_set_lba(d, d->lba ? d->lba - 1 : 0);
    d->nsector = d->hob_nsector = 0;
    cmd_ok(d);
}

/* Decode and range-check the command's sectors into d->lba/left. */
static bool setup_rw(IdeDrive *d)
{
    uint64_t lba;
    d->lba48 = is_lba48(d->cmd);
    d->left = tf_count(d);
    d->chunk = 0;
    if (!tf_lba(d, &lba)) {
        cmd_error(d, ER_IDNF);
        return false;
    }
    if (lba >= d->sectors || d->left > d->sectors - lba) {
        error_at(d, MAX(lba, d->sectors), ER_IDNF);
        return false;
    }
    d->lba = lba;
    d->power = PWR_ACTIVE;
    return true;
}

/* -- PIO reads and writes (ATA-6 9.7, 9.8) -- */

static void pio_read_done(IdeDrive *d);

static void pio_read_block(IdeDrive *d)
{
    uint32_t n = MIN(d->left, d->block);
    if (block_read(d->blk, d->lba, d->buf, n) < 0) {
        error_at(d, d->lba, ER_UNC);
        return;
    }
    d->chunk = n;
    ide_start_pio(d, n * ATA_SECTOR, false, pio_read_done);
    ide_set_irq(d);
}

static void pio_read_done(IdeDrive *d)
{
    d->lba += d->chunk;
    d->left -= d->chunk;
    if (d->left) {
        pio_read_block(d);
        return;
    }
    /* No interrupt after the last block of a PIO data-in command. */
    tf_set_lba(d, d->lba - 1);
    d->nsector = d->hob_nsector = 0;
    d->status = ST_DRDY | ST_DSC;
}

static void pio_write_done(IdeDrive *d);

static void pio_write_window(IdeDrive *d)
{
    d->chunk = MIN(d->left, d->block);
    ide_start_pio(d, d->chunk * ATA_SECTOR, true, pio_write_done);
}

static void pio_write_done(IdeDrive *d)
{
    int r = block_write(d->blk, d->lba, d->buf, d->chunk);
    if (r < 0) {
        error_at(d, d->lba, ER_ABRT);
        return;
    }
    d->lba += d->chunk;
    d->left -= d->chunk;
    if (!d->left) {
        media_ok(d);
        return;
    }
    pio_write_window(d);
    ide_set_irq(d);
}

static void cmd_read_pio(IdeDrive *d, bool multiple)
{
    if (multiple && !d->mult_sectors) {
        cmd_error(d, ER_ABRT);
        return;
    }
    if (!setup_rw(d))
        return;
    d->block = multiple ? d->mult_sectors : 1;
    pio_read_block(d);
}

static void cmd_write_pio(IdeDrive *d, bool multiple)
{
    if ((multiple && !d->mult_sectors) || block_read_only(d->blk)) {
        cmd_error(d, ER_ABRT);
        return;
    }
    if (!setup_rw(d))
        return;
    d->block = multiple ? d->mult_sectors : 1;
    pio_write_window(d);    /* the first block is requested without INTRQ */
}

/* -- DMA reads and writes (ATA-6 9.10) -- */

static bool dma_read_next(IdeDrive *d)
{
    uint32_t n;
    d->lba += d->chunk;
    d->left -= d->chunk;
    d->chunk = 0;
    if (!d->left) {
        media_ok(d);
        return false;
    }
    n = MIN(d->left, IDE_BUF_SIZE / ATA_SECTOR);
    if (block_read(d->blk, d->lba, d->buf, n) < 0) {
        error_at(d, d->lba, ER_UNC);
        return false;
    }
    d->chunk = n;
    d->pos = 0;
    d->end = n * ATA_SECTOR;
    return true;
}

static bool dma_write_next(IdeDrive *d)
{
    if (d->chunk) {
        int r = block_write(d->blk, d->lba, d->buf, d->chunk);
        if (r < 0) {
            error_at(d, d->lba, ER_ABRT);
            return false;
        }
        d->lba += d->chunk;
        d->left -= d->chunk;
    }
    if (!d->left) {
        media_ok(d);
        return false;
    }
    d->chunk = MIN(d->left, IDE_BUF_SIZE / ATA_SECTOR);
    d->pos = 0;
    d->end = d->chunk * ATA_SECTOR;
    return true;
}

static void cmd_rw_dma(IdeDrive *d, bool write)
{
    if (write && block_read_only(d->blk)) {
        cmd_error(d, ER_ABRT);
        return;
    }
    if (!setup_rw(d))
        return;
    ide_start_dma(d, !write, write ? dma_write_next : dma_read_next);
}

/* -- Other media commands -- */

static void cmd_verify(IdeDrive *d)
{
    if (!setup_rw(d))
        return;
    while (d->left) {
        uint32_t n = MIN(d->left, IDE_BUF_SIZE / ATA_SECTOR);
        if (block_read(d->blk, d->lba, d->buf, n) < 0) {
            error_at(d, d->lba, ER_UNC);
            return;
        }
        d->lba += n;
        d->left -= n;
    }
    media_ok(d);
}

static void cmd_seek(IdeDrive *d)
{
    uint64_t lba;
    d->lba48 = false;
    if (!tf_lba(d, &lba) || lba >= d->sectors) {
        cmd_error(d, ER_IDNF);
        return;
    }
    d->power = PWR_ACTIVE;
    cmd_ok(d);
}

static void cmd_flush(IdeDrive *d)
{
    if (block_flush(d->blk) < 0) {
        cmd_error(d, ER_ABRT);
        return;
    }
    cmd_ok(d);
}

/* -- Settings -- */

static void cmd_set_multiple(IdeDrive *d)
{
    uint8_t n = d->nsector;
    if (n > MAX_MULT_SECTORS || (n & (n - 1))) {
        cmd_error(d, ER_ABRT);
        return;
    }
    d->mult_sectors = n;        /* 0 disables READ/WRITE MULTIPLE */
    cmd_ok(d);
}

static void cmd_init_params(IdeDrive *d)
{
    d->heads = (d->device & 0x0f) + 1;
    d->secs = d->nsector;
    if (!d->secs) {     /* an unusable translation: CHS accesses fail with IDNF */
        d->cyls = 0;
        cmd_error(d, ER_ABRT);
        return;
    }
    d->cyls = MIN(d->sectors / ((uint32_t)d->heads * d->secs), 65535);
    cmd_ok(d);
}

/* SET FEATURES 03h: the mode value in Sector Count (ATA-6 8.36.10). */
static bool set_xfer_mode(IdeDrive *d, uint8_t v)
{
    unsigned n = v & 7;
    switch (v >> 3) {
    case 0:             /* PIO default (with or without IORDY) */
        if (n > 1)
            return false;
        d->pio_mode = XFER_NONE;
        return true;
    case 1:
        if (n > 4)
            return false;
        d->pio_mode = n;
        return true;
    case 4:
        if (n > 2)
            return false;
        d->mwdma_mode = n;
        d->udma_mode = XFER_NONE;
        return true;
    case 8:
        if (n > 5)
            return false;
        d->udma_mode = n;
        d->mwdma_mode = XFER_NONE;
        return true;
    }
    return false;
}

static void cmd_set_features(IdeDrive *d)
{
    switch (d->feature) {
    case 0x02:          /* enable write cache */
    case 0x82:          /* disable write cache: flush what it held first */
        if (d->kind != MEDIA_DISK)
            break;
        if (d->feature == 0x82 && block_flush(d->blk) < 0) {
            cmd_error(d, ER_ABRT);
            return;
        }
        d->wcache = d->feature == 0x02;
        block_set_writethrough(d->blk, !d->wcache);
        cmd_ok(d);
        return;
    case 0x03:
        if (!set_xfer_mode(d, d->nsector))
            break;
        cmd_ok(d);
        return;
    default:
        cmd_unimp(d, "SET FEATURES subcommand", d->feature);
        return;
    }
    cmd_error(d, ER_ABRT);
}

/* -- Power management (ATA-6 6.11) -- */

static void cmd_power(IdeDrive *d, IdePower p)
{
    if ((d->cmd == 0xe2 || d->cmd == 0xe3) && d->nsector)
        log_unimp("ide: standby timer (no automatic standby)");
    d->power = p;
    cmd_ok(d);
}

static void cmd_check_power(IdeDrive *d)
{
    d->nsector = d->power == PWR_STANDBY ? 0x00 : d->power == PWR_IDLE ? 0x80 : 0xff;
    cmd_ok(d);
}

/* EXECUTE DEVICE DIAGNOSTIC: both drives reset; device 0 reports and
 * interrupts (ATA-6 9.11). */
static void cmd_diagnostic(IdeChannel *ch)
{
    for (int i = 0; i < 2; i++) {
        IdeDrive *d = &ch->drive[i];
        if (present(d)) {
            drive_soft_reset(d);
            d->device = 0;
        }
    }
    ch->cur = 0;
    if (present(&ch->drive[0]))
        ide_set_irq(&ch->drive[0]);
}

/* DEVICE RESET (packet devices): no interrupt (ATA-6 9.4). */
static void cmd_device_reset(IdeDrive *d)
{
    drive_soft_reset(d);
}

/* -- Dispatch -- */

/* Commands every drive handles alike; false if cmd is not one. */
static bool common_exec(IdeDrive *d, uint8_t cmd)
{
    switch (cmd) {
    case 0x00:          /* NOP: always aborts (ATA-6 8.19) */
        cmd_error(d, ER_ABRT);
        return true;
    case 0x90:
        cmd_diagnostic(d->ch);
        return true;
    case 0xe0: case 0xe2:
        cmd_power(d, PWR_STANDBY);
        return true;
    case 0xe1: case 0xe3:
        cmd_power(d, PWR_IDLE);
        return true;
    case 0xe5:
        cmd_check_power(d);
        return true;
    case 0xe6:          /* SLEEP: only a reset wakes the drive */
        cmd_power(d, PWR_SLEEP);
        return true;
    case 0xec:
        cmd_identify(d);
        return true;
    case 0xef:
        cmd_set_features(d);
        return true;
    }
    return false;
}

static void ata_disk_exec(IdeDrive *d, uint8_t cmd)
{
    if (common_exec(d, cmd))
        return;
    switch (cmd) {
    case 0x10 ... 0x1f: /* RECALIBRATE (obsolete): nothing to move */
        cmd_ok(d);
        return;
    case 0x20: case 0x21: case 0x24:
        cmd_read_pio(d, false);
        return;
    case 0x29: case 0xc4:
        cmd_read_pio(d, true);
        return;
    case 0x30: case 0x31: case 0x34:
        cmd_write_pio(d, false);
        return;
    case 0x39: case 0xc5:
        cmd_write_pio(d, true);
        return;
    case 0x25: case 0xc8: case 0xc9:
        cmd_rw_dma(d, false);
        return;
    case 0x35: case 0xca: case 0xcb:
        cmd_rw_dma(d, true);
        return;
    case 0x40: case 0x41: case 0x42:
        cmd_verify(d);
        return;
    case 0x70:
        cmd_seek(d);
        return;
    case 0x91:
        cmd_init_params(d);
        return;
    case 0xc6:
        cmd_set_multiple(d);
        return;
    case 0xe7: case 0xea:
        cmd_flush(d);
        return;
    case 0x08: case 0xa0: case 0xa1:    /* packet-device commands */
        cmd_error(d, ER_ABRT);
        return;
    }
    cmd_unimp(d, "ATA command", cmd);
}

static void ata_packet_dev_exec(IdeDrive *d, uint8_t cmd)
{
    if (common_exec(d, cmd))
        return;
    switch (cmd) {
    case 0x08:
        cmd_device_reset(d);
        return;
    case 0x20: case 0x21:   /* READ SECTORS: abort with the signature */
        ide_set_signature(d);
        cmd_error(d, ER_ABRT);
        return;
    case 0xa0:
        atapi_packet_cmd(d);
        return;
    case 0xa1:
        cmd_identify_packet(d);
        return;
    }
    cmd_unimp(d, "ATA command to packet device", cmd);
}

static void write_command(IdeChannel *ch, uint8_t cmd)
{
    IdeDrive *d = cur_drive(ch);
    if (cmd == 0x90 && present(&ch->drive[0])) {
        cmd_diagnostic(ch);     /* addressed to both devices */
        return;
    }
    if (!present(d) || (d->status & ST_BSY))
        return;
    if (d->power == PWR_SLEEP && cmd != 0x08)
        return;
    clear_irq(d);
    ide_xfer_stop(d);
    d->cmd = cmd;
    d->error = 0;
    if (d->kind == MEDIA_CDROM)
        ata_packet_dev_exec(d, cmd);
    else
        ata_disk_exec(d, cmd);
}

/* -- Registers -- */

/* Who answers register reads: the selected drive, or device 0 for an
 * absent device 1; NULL when nobody drives the bus. */
static IdeDrive *responder(IdeChannel *ch)
{
    if (present(cur_drive(ch)))
        return cur_drive(ch);
    if (ch->cur == 1 && present(&ch->drive[0]))
        return &ch->drive[0];
    return NULL;
}

static uint8_t read_reg(IdeChannel *ch, unsigned reg)
{
    IdeDrive *d = responder(ch);
    bool hob = ch->ctl & DC_HOB;
    if (!d)
        return 0xff;
    switch (reg) {
    case 1: return d->error;
    case 2: return hob ? d->hob_nsector : d->nsector;
    case 3: return hob ? d->hob_lbal : d->lbal;
    case 4: return hob ? d->hob_lbam : d->lbam;
    case 5: return hob ? d->hob_lbah : d->lbah;
    case 6: return d->device;
    }
    if (d != cur_drive(ch))
        return 0;
    clear_irq(d);
    return d->status;
}

static void shift_in(uint8_t *cur, uint8_t *hob, uint8_t v)
{
    *hob = *cur;
    *cur = v;
}

static void write_reg(IdeChannel *ch, unsigned reg, uint8_t v)
{
    ch->ctl &= ~DC_HOB;     /* a command block write clears HOB (ATA-6 7.8) */
    if (reg == 7) {
        write_command(ch, v);
        return;
    }
    for (int i = 0; i < 2; i++) {
        IdeDrive *d = &ch->drive[i];
        switch (reg) {
        case 1: shift_in(&d->feature, &d->hob_feature, v); break;
        case 2: shift_in(&d->nsector, &d->hob_nsector, v); break;
        case 3: shift_in(&d->lbal, &d->hob_lbal, v); break;
        case 4: shift_in(&d->lbam, &d->hob_lbam, v); break;
        case 5: shift_in(&d->lbah, &d->hob_lbah, v); break;
        case 6: d->device = v; break;
        }
    }
    if (reg == 6) {
        ch->cur = (v & DEV_DEV) ? 1 : 0;
        update_irq(ch);
    }
}

uint64_t ide_cmd_read(IdeChannel *ch, uint64_t offset, unsigned size)
{
    uint64_t v = 0;
    if (offset == 0) {
        v = data_read16(ch);
        if (size == 4)
            v |= (uint64_t)data_read16(ch) << 16;
        return size == 1 ? (v & 0xff) : v;
    }
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)(offset + i < 8 ? read_reg(ch, offset + i) : 0xff) << (8 * i);
    return v;
}

void ide_cmd_write(IdeChannel *ch, uint64_t offset, uint64_t value, unsigned size)
{
    if (offset == 0) {
        data_write16(ch, value);
        if (size == 4)
            data_write16(ch, value >> 16);
        return;
    }
    for (unsigned i = 0; i < size && offset + i < 8; i++)
        write_reg(ch, offset + i, value >> (8 * i));
}

uint64_t ide_ctl_read(IdeChannel *ch)
{
    IdeDrive *d = responder(ch);
    if (!d)
        return 0xff;
    return d == cur_drive(ch) ? d->status : 0;
}

void ide_ctl_write(IdeChannel *ch, uint64_t value)
{
    uint8_t old = ch->ctl;
    ch->ctl = value;
    if ((old ^ value) & DC_SRST)
        srst(ch, value & DC_SRST);
    update_irq(ch);
}

static uint64_t cmd_ops_read(void *opaque, uint64_t offset, unsigned size)
{
    return ide_cmd_read(opaque, offset, size);
}

static void cmd_ops_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    ide_cmd_write(opaque, offset, value, size);
}

static uint64_t ctl_ops_read(void *opaque, uint64_t offset, unsigned size)
{
    return ide_ctl_read(opaque);
}

static void ctl_ops_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    ide_ctl_write(opaque, value);
}

const IoOps ide_cmd_ops = { cmd_ops_read, cmd_ops_write, 1, 4 };
const IoOps ide_ctl_ops = { ctl_ops_read, ctl_ops_write, 1, 1 };

/* -- Construction -- */

IdeChannel *ide_channel_new(IrqLine irq)
{
    IdeChannel *ch = calloc(1, sizeof(*ch));
    if (!ch)
        panic("ide: out of memory");
    ch->irq = irq;
    for (int i = 0; i < 2; i++) {
        ch->drive[i].ch = ch;
        ch->drive[i].unit = i;
    }
    return ch;
}

void ide_channel_free(IdeChannel *ch)
{
    if (!ch)
        return;
    for (int i = 0; i < 2; i++)
        free(ch->drive[i].buf);
    free(ch);
}

void ide_channel_set_dma(IdeChannel *ch, const IdeDmaOps *ops, void *opaque)
{
    ch->dma = ops;
    ch->dma_opaque = opaque;
}

/* A serial number stable for an image: FNV-1a of its path. */
static void make_serial(IdeDrive *d)
{
    uint32_t h = 2166136261u;
    const char *p = d->blk ? block_path(d->blk) : "";
    for (; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    snprintf(d->serial, sizeof d->serial, "EMU%08X%d", d->blk ? h : 0, d->unit);
}

int ide_attach(IdeChannel *ch, int unit, MediaKind kind, BlockDev *blk, char *err, size_t errlen)
{
    IdeDrive *d;
    if (unit < 0 || unit > 1 || kind == MEDIA_NONE || present(&ch->drive[unit & 1])) {
        snprintf(err, errlen, "ide: bad drive slot %d", unit);
        return -1;
    }
    if (kind == MEDIA_DISK && !blk) {
        snprintf(err, errlen, "ide: a hard disk needs an image");
        return -1;
    }
    if (kind == MEDIA_CDROM && blk && block_sectors(blk) < 4) {
        snprintf(err, errlen, "%s: CD-ROM image smaller than one 2048-byte sector",
                 block_path(blk));
        return -1;
    }
    if (kind == MEDIA_CDROM && blk && block_sectors(blk) % 4)
        warn("%s: CD-ROM image size is not a multiple of 2048; the tail is unreadable",
             block_path(blk));
    d = &ch->drive[unit];
    d->buf = calloc(1, IDE_BUF_SIZE + 2);
    if (!d->buf)
        panic("ide: out of memory");
    d->kind = kind;
    d->blk = blk;
    d->sectors = blk ? block_sectors(blk) : 0;
    make_serial(d);
    drive_hard_reset(d);
    return 0;
}
