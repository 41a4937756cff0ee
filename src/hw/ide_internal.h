/* ide_internal.h — the drive state shared by ide.c (registers, ATA commands)
 * and atapi.c (packet commands). Not for use outside the IDE files.
 *
 * Data phases: the drive keeps its data in buf. A PIO phase exposes the
 * window [pos, end) through the data port with DRQ set; when the host has
 * moved the last byte, pio_done runs (next block, or command completion).
 * A DMA phase is the same window moved by the bus-master engine; dma_next
 * runs when it is empty and either sets up the next window (returns true)
 * or finishes the command (returns false).
 */
#ifndef EMU_HW_IDE_INTERNAL_H
#define EMU_HW_IDE_INTERNAL_H

#include "hw/ide.h"

#define ATA_SECTOR 512
#define CD_SECTOR 2048
#define IDE_BUF_SIZE (128 * 1024)   /* >= a 64 KiB ATAPI DRQ block + one CD sector */
#define XFER_NONE 0xff              /* no transfer mode selected */

/* Status register (ATA/ATAPI-6 7.15.6) */
enum { ST_ERR = 0x01, ST_DRQ = 0x08, ST_DSC = 0x10, ST_DF = 0x20, ST_DRDY = 0x40,
       ST_BSY = 0x80 };
/* Error register (7.9.6) */
enum { ER_AMNF = 0x01, ER_ABRT = 0x04, ER_IDNF = 0x10, ER_UNC = 0x40 };
/* Device control (7.8): nIEN, SRST, HOB */
enum { DC_NIEN = 0x02, DC_SRST = 0x04, DC_HOB = 0x80 };
/* Device register */
enum { DEV_DEV = 0x10, DEV_LBA = 0x40 };
/* ATAPI interrupt reason in the sector count register (SFF-8020i 5.12) */
enum { IR_COD = 0x01, IR_IO = 0x02 };

typedef struct IdeDrive IdeDrive;

typedef enum { PWR_ACTIVE, PWR_IDLE, PWR_STANDBY, PWR_SLEEP } IdePower;

typedef struct AtapiState {
    uint8_t cdb[12];
    uint8_t sense_key, asc, ascq;
    bool tray_open, locked;
    bool unit_attention;        /* medium may have changed: next command fails once */
    uint8_t media_event;        /* GET EVENT STATUS NOTIFICATION media event code */
    bool dma;                   /* this command's data phase is DMA */
    uint16_t byte_limit;        /* PIO DRQ block size limit (cylinder registers) */
    uint64_t bytes_left;        /* still to send to the host */
    uint32_t head, valid;       /* buf[head, valid) holds data not yet sent */
    uint32_t drq_len;           /* bytes in the current PIO/DMA window */
    uint64_t lba;               /* next CD sector to read into buf */
    uint32_t sectors_left;      /* CD sectors still to read into buf */
    uint16_t speed;             /* SET CD SPEED, kB/s */
} AtapiState;

struct IdeDrive {
    IdeChannel *ch;
    int unit;
    MediaKind kind;             /* MEDIA_NONE: no drive here */
    BlockDev *blk;
    uint64_t sectors;           /* 512-byte sectors (disk) */
    char serial[21];

    /* Task file; the hob_ copies are the "previous content" of 48-bit
     * registers, read with DEVICE CONTROL.HOB set. */
    uint8_t feature, nsector, lbal, lbam, lbah;
    uint8_t hob_feature, hob_nsector, hob_lbal, hob_lbam, hob_lbah;
    uint8_t device, status, error;
    bool irq_pending;

    /* Data phase */
    uint8_t *buf;
    uint32_t pos, end;
    bool pio_to_dev;            /* the host writes the PIO window */
    void (*pio_done)(IdeDrive *d);
    bool (*dma_next)(IdeDrive *d);
    bool dma_wait;              /* a DMA phase waits for the engine */
    bool dma_to_mem;

    /* ATA command in progress */
    uint8_t cmd;
    bool lba48;
    uint64_t lba;               /* next sector */
    uint32_t left;              /* sectors still to transfer */
    uint32_t chunk;             /* sectors in the current buffer */
    uint32_t block;             /* sectors per PIO DRQ block */

    /* Settings */
    uint8_t mult_sectors;       /* SET MULTIPLE MODE; 0 = disabled */
    uint8_t pio_mode, mwdma_mode, udma_mode;   /* selected; 0xff = none */
    bool wcache;
    uint16_t cyls, heads, secs; /* current CHS translation; secs 0 = invalid */
    IdePower power;

    AtapiState cd;
};

struct IdeChannel {
    IdeDrive drive[2];
    int cur;                    /* selected drive (DEV bit) */
    uint8_t ctl;                /* device control */
    IrqLine irq;
    int irq_level;
    const IdeDmaOps *dma;
    void *dma_opaque;
};

/* ide.c services for atapi.c */
void ide_set_irq(IdeDrive *d);
void ide_set_signature(IdeDrive *d);
void ide_start_pio(IdeDrive *d, uint32_t len, bool to_dev, void (*done)(IdeDrive *d));
void ide_start_dma(IdeDrive *d, bool to_mem, bool (*next)(IdeDrive *d));
void ide_xfer_stop(IdeDrive *d);

/* atapi.c */
void atapi_init(IdeDrive *d);
void atapi_reset(IdeDrive *d);
void atapi_identify(IdeDrive *d, uint16_t *id);
void atapi_packet_cmd(IdeDrive *d);     /* the PACKET command was written */
void ide_identify_strings(IdeDrive *d, uint16_t *id, const char *model);
uint16_t ide_mode_word(IdeDrive *d, int word);     /* IDENTIFY words 63 and 88 */
uint16_t ide_cable_word(IdeDrive *d);              /* IDENTIFY word 93 */
void ide_finish_identify(uint16_t *id);

#endif
