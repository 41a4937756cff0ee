/* test_ide.c — ATA channel registers, ATA disk commands, bus-master DMA and
 * the PIIX3 IDE PCI function. Expected values from ATA/ATAPI-6 (T13 1410D),
 * SFF-8038i and the 82371SB datasheet.
 */
#include <fcntl.h>
#include <sys/stat.h>
#include "unit/ide_rig.h"
#include "hw/piix_ide.h"

/* Status values (ATA-6 7.15.6) */
#define ST_READY 0x50           /* DRDY | DSC */
#define ST_READY_DRQ 0x58
#define ST_READY_ERR 0x51

static void read_file(const char *path, uint64_t sector, uint8_t *buf, unsigned n)
{
    int fd = open(path, O_RDONLY);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(pread(fd, buf, n * 512, (off_t)(sector * 512)), (ssize_t)n * 512);
    close(fd);
}

static void identify(IdeRig *r, int unit, uint16_t *id)
{
    outb(r, RIG_CMD + R_DEV, 0xa0 | unit << 4);
    outb(r, RIG_CMD + R_STATUS, 0xec);
    ck_assert_int_eq(status(r), ST_READY_DRQ);
    for (int i = 0; i < 256; i++)
        id[i] = inw(r, RIG_CMD);
}

/* ATA strings are two characters per word, first one in the high byte. */
static void id_string(const uint16_t *id, int word, int nwords, char *out)
{
    for (int i = 0; i < nwords; i++) {
        out[2 * i] = id[word + i] >> 8;
        out[2 * i + 1] = id[word + i] & 0xff;
    }
    out[2 * nwords] = 0;
}

START_TEST(test_ide_srst_signatures)
{
    IdeRig r;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    rig_attach(&r, 1, MEDIA_CDROM, 64, true, false);
    outb(&r, RIG_CTL, 0x04);            /* SRST */
    ck_assert_int_eq(alt_status(&r) & 0x80, 0x80);
    outb(&r, RIG_CTL, 0x00);
    /* ATA signature: count 1, LBA low 1, mid/high 0 (ATA-6 9.12) */
    ck_assert_int_eq(status(&r), ST_READY);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x01);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 1);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAL), 1);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAM), 0);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAH), 0);
    /* ATAPI: 14h/EBh, and DRDY clear after reset */
    outb(&r, RIG_CMD + R_DEV, 0x10);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAM), 0x14);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAH), 0xeb);
    ck_assert_int_eq(status(&r), 0x00);
    ck_assert_int_eq(r.irq_rises, 0);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_identify_words)
{
    IdeRig r;
    uint16_t id[256];
    char s[41];
    uint8_t sum = 0;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 20000, false, false);
    identify(&r, 0, id);
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert_int_eq(status(&r), ST_READY);      /* all 512 bytes read: DRQ off */
    id_string(id, 27, 20, s);
    ck_assert_str_eq(s, "EMU HARDDISK                            ");
    ck_assert_int_eq(id[0] & 0x8000, 0);         /* ATA device */
    ck_assert_int_eq(id[47], 0x8010);            /* READ/WRITE MULTIPLE up to 16 */
    ck_assert_int_eq(id[49] & 0x0300, 0x0300);   /* LBA and DMA */
    ck_assert_int_eq(id[60] | id[61] << 16, 20000);
    ck_assert_int_eq(id[100] | id[101] << 16, 20000);
    ck_assert_int_eq(id[102] | id[103], 0);
    ck_assert_int_eq(id[83] & 0xc000, 0x4000);   /* words 82-84 valid */
    ck_assert_int_eq(id[83] & 0x2400, 0x2400);   /* FLUSH CACHE EXT, 48-bit */
    ck_assert_int_eq(id[86] & 0x2400, 0x2400);
    ck_assert_int_eq(id[85] & 0x0020, 0x0020);   /* write cache enabled */
    ck_assert_int_eq(id[63] & 0x0007, 0x0007);   /* MWDMA 0-2 */
    ck_assert_int_eq(id[93] & 0x6000, 0x6000);   /* 80-conductor cable */
    ck_assert_int_eq(id[255] & 0xff, 0xa5);
    for (int i = 0; i < 256; i++)
        sum += (id[i] & 0xff) + (id[i] >> 8);
    ck_assert_int_eq(sum, 0);                    /* integrity word checksum */
    /* SET FEATURES 03h: select MWDMA2, reported in word 63 bits 10:8 */
    outb(&r, RIG_CMD + R_ERR, 0x03);
    outb(&r, RIG_CMD + R_NSECT, 0x22);
    outb(&r, RIG_CMD + R_STATUS, 0xef);
    ck_assert_int_eq(status(&r), ST_READY);
    identify(&r, 0, id);
    ck_assert_int_eq(id[63], 0x0407);
    ck_assert_int_eq(id[88] & 0x3f00, 0);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_pio_read_sectors)
{
    IdeRig r;
    uint8_t buf[512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    tf28(&r, 0, 5, 3);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    for (int i = 0; i < 3; i++) {
        ck_assert_int_eq(r.irq_rises, i + 1);    /* one interrupt per DRQ block */
        ck_assert_int_eq(r.irq_level, 1);
        ck_assert_int_eq(status(&r), ST_READY_DRQ);
        ck_assert_int_eq(r.irq_level, 0);        /* reading Status clears INTRQ */
        pio_in(&r, buf, 512);
        ck_assert(sector_matches(buf, 5 + i));
    }
    ck_assert_int_eq(r.irq_rises, 3);            /* none after the last block */
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_pio_write_reaches_file)
{
    IdeRig r;
    uint8_t buf[4 * 512], back[4 * 512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    for (unsigned i = 0; i < sizeof buf; i++)
        buf[i] = i * 31 + 5;
    tf28(&r, 0, 10, 4);
    outb(&r, RIG_CMD + R_STATUS, 0x30);
    ck_assert_int_eq(alt_status(&r), ST_READY_DRQ);
    ck_assert_int_eq(r.irq_rises, 0);            /* first block: no interrupt */
    for (int i = 0; i < 4; i++) {
        pio_out(&r, buf + 512 * i, 512);
        ck_assert_int_eq(r.irq_rises, i + 1);
        ck_assert_int_eq(status(&r), i < 3 ? ST_READY_DRQ : ST_READY);
    }
    outb(&r, RIG_CMD + R_STATUS, 0xe7);          /* FLUSH CACHE */
    ck_assert_int_eq(status(&r), ST_READY);
    read_file(r.path[0], 10, back, 4);
    ck_assert_mem_eq(back, buf, sizeof buf);
    read_file(r.path[0], 9, back, 1);
    ck_assert(sector_matches(back, 9));          /* neighbours untouched */
    read_file(r.path[0], 14, back, 1);
    ck_assert(sector_matches(back, 14));
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_pio_32bit_data)
{
    IdeRig r;
    uint8_t buf[512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    tf28(&r, 0, 7, 1);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    for (int i = 0; i < 512; i += 4)
        st32(buf + i, inl(&r, RIG_CMD));
    ck_assert(sector_matches(buf, 7));
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_lba48_read)
{
    IdeRig r;
    const uint64_t n = (1ull << 28) + 16, lba = (1ull << 28) + 5;
    uint8_t sec[512], buf[512];
    uint16_t id[256];
    char err[256];
    int fd;
    rig_init(&r);
    /* A sparse image just over the 28-bit limit with one sector written. */
    strcpy(r.path[0], "/tmp/emu-ide-test-XXXXXX");
    fd = mkstemp(r.path[0]);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)(n * 512)), 0);
    for (unsigned j = 0; j < 512; j++)
        sec[j] = pattern(lba, j);
    ck_assert_int_eq(pwrite(fd, sec, 512, (off_t)(lba * 512)), 512);
    close(fd);
    r.blk[0] = block_open(r.path[0], false, false, err, sizeof err);
    ck_assert_ptr_nonnull(r.blk[0]);
    ck_assert_int_eq(ide_attach(r.ch, 0, MEDIA_DISK, r.blk[0], err, sizeof err), 0);
    identify(&r, 0, id);
    ck_assert_int_eq(id[60] | id[61] << 16, 0x0fffffff);
    ck_assert_uint_eq(id[100] | (uint64_t)id[101] << 16 | (uint64_t)id[102] << 32, n);
    /* Two writes per register: previous (HOB) content first. */
    outb(&r, RIG_CMD + R_DEV, 0x40);
    outb(&r, RIG_CMD + R_NSECT, 0);
    outb(&r, RIG_CMD + R_NSECT, 1);
    outb(&r, RIG_CMD + R_LBAL, lba >> 24);
    outb(&r, RIG_CMD + R_LBAL, lba & 0xff);
    outb(&r, RIG_CMD + R_LBAM, lba >> 32);
    outb(&r, RIG_CMD + R_LBAM, (lba >> 8) & 0xff);
    outb(&r, RIG_CMD + R_LBAH, lba >> 40);
    outb(&r, RIG_CMD + R_LBAH, (lba >> 16) & 0xff);
    outb(&r, RIG_CTL, 0x80);                     /* HOB: read the previous content */
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAL), 0x10);
    outb(&r, RIG_CTL, 0x00);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAL), 0x05);
    outb(&r, RIG_CMD + R_STATUS, 0x24);          /* READ SECTORS EXT */
    ck_assert_int_eq(status(&r), ST_READY_DRQ);
    pio_in(&r, buf, 512);
    ck_assert(sector_matches(buf, lba));
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_read_multiple)
{
    IdeRig r;
    uint8_t buf[4 * 512];
    unsigned blocks[3] = { 4, 4, 2 };
    uint64_t s = 20;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    tf28(&r, 0, 20, 10);
    outb(&r, RIG_CMD + R_STATUS, 0xc4);          /* multiple mode still disabled */
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);
    outb(&r, RIG_CMD + R_NSECT, 3);              /* not a power of two */
    outb(&r, RIG_CMD + R_STATUS, 0xc6);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    outb(&r, RIG_CMD + R_NSECT, 4);
    outb(&r, RIG_CMD + R_STATUS, 0xc6);          /* SET MULTIPLE MODE 4 */
    ck_assert_int_eq(status(&r), ST_READY);
    r.irq_rises = 0;
    tf28(&r, 0, 20, 10);
    outb(&r, RIG_CMD + R_STATUS, 0xc4);
    for (int b = 0; b < 3; b++) {
        ck_assert_int_eq(r.irq_rises, b + 1);
        ck_assert_int_eq(status(&r), ST_READY_DRQ);
        pio_in(&r, buf, blocks[b] * 512);
        for (unsigned i = 0; i < blocks[b]; i++)
            ck_assert(sector_matches(buf + 512 * i, s++));
    }
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_chs_addressing)
{
    IdeRig r;
    uint8_t buf[512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 2048, false, false);
    /* INITIALIZE DEVICE PARAMETERS: 4 heads, 8 sectors per track */
    outb(&r, RIG_CMD + R_DEV, 0xa0 | 3);
    outb(&r, RIG_CMD + R_NSECT, 8);
    outb(&r, RIG_CMD + R_STATUS, 0x91);
    ck_assert_int_eq(status(&r), ST_READY);
    /* C/H/S 2/1/3 -> (2 * 4 + 1) * 8 + 3 - 1 = 74 */
    outb(&r, RIG_CMD + R_DEV, 0xa0 | 1);
    outb(&r, RIG_CMD + R_NSECT, 1);
    outb(&r, RIG_CMD + R_LBAL, 3);
    outb(&r, RIG_CMD + R_LBAM, 2);
    outb(&r, RIG_CMD + R_LBAH, 0);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    ck_assert_int_eq(status(&r), ST_READY_DRQ);
    pio_in(&r, buf, 512);
    ck_assert(sector_matches(buf, 74));
    /* sector 9 does not exist on an 8-sector track */
    outb(&r, RIG_CMD + R_LBAL, 9);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x10);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_errors)
{
    IdeRig r;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    tf28(&r, 0, 62, 4);                          /* runs past sector 63 */
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x10);   /* IDNF */
    tf28(&r, 0, 64, 1);
    outb(&r, RIG_CMD + R_STATUS, 0xc8);          /* READ DMA past the end */
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x10);
    outb(&r, RIG_CMD + R_STATUS, 0xf8);          /* READ NATIVE MAX: HPA not offered */
    ck_assert_int_eq(r.irq_rises, 3);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);   /* ABRT */
    outb(&r, RIG_CMD + R_STATUS, 0xa0);          /* PACKET to an ATA disk */
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);
    outb(&r, RIG_CMD + R_ERR, 0x99);             /* unknown SET FEATURES */
    outb(&r, RIG_CMD + R_STATUS, 0xef);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);
    tf28(&r, 0, 1, 1);
    outb(&r, RIG_CMD + R_STATUS, 0x20);          /* still works afterwards */
    ck_assert_int_eq(status(&r), ST_READY_DRQ);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_host_read_error)
{
    IdeRig r;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    ck_assert_int_eq(truncate(r.path[0], 32 * 512), 0);     /* the host file shrank */
    tf28(&r, 0, 40, 1);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x40);   /* UNC */
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAL), 40);    /* the failing sector */
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_read_only_media)
{
    IdeRig r;
    uint8_t buf[512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, true, false);
    tf28(&r, 0, 3, 1);
    outb(&r, RIG_CMD + R_STATUS, 0x30);
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);
    outb(&r, RIG_CMD + R_STATUS, 0xca);          /* WRITE DMA */
    ck_assert_int_eq(status(&r), ST_READY_ERR);
    outw(&r, RIG_CMD + R_DATA, 0x1234);          /* no DRQ: dropped */
    read_file(r.path[0], 3, buf, 1);
    ck_assert(sector_matches(buf, 3));
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_snapshot_leaves_image)
{
    IdeRig r;
    uint8_t buf[512], zero[512] = { 0 };
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, true);
    tf28(&r, 0, 8, 1);
    outb(&r, RIG_CMD + R_STATUS, 0x30);
    pio_out(&r, zero, 512);
    ck_assert_int_eq(status(&r), ST_READY);
    outb(&r, RIG_CMD + R_STATUS, 0xea);          /* FLUSH CACHE EXT */
    ck_assert_int_eq(status(&r), ST_READY);
    tf28(&r, 0, 7, 2);
    outb(&r, RIG_CMD + R_STATUS, 0x20);
    pio_in(&r, buf, 512);
    ck_assert(sector_matches(buf, 7));
    pio_in(&r, buf, 512);
    ck_assert_mem_eq(buf, zero, 512);            /* the guest sees its write */
    read_file(r.path[0], 8, buf, 1);
    ck_assert(sector_matches(buf, 8));           /* the file does not */
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_absent_devices)
{
    IdeRig r;
    rig_init(&r);
    ck_assert_int_eq(status(&r), 0xff);          /* empty channel floats */
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    outb(&r, RIG_CMD + R_DEV, 0xb0);             /* absent device 1 */
    outb(&r, RIG_CMD + R_NSECT, 0x55);
    outb(&r, RIG_CMD + R_LBAL, 0xaa);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 0x55);  /* device 0 answers */
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAL), 0xaa);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_DEV), 0xb0);
    ck_assert_int_eq(status(&r), 0x00);          /* ...with status 00h */
    ck_assert_int_eq(alt_status(&r), 0x00);
    outb(&r, RIG_CMD + R_STATUS, 0xec);          /* not executed */
    ck_assert_int_eq(r.irq_rises, 0);
    ck_assert_int_eq(status(&r), 0x00);
    outb(&r, RIG_CMD + R_DEV, 0xa0);
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_nien_and_diagnostic)
{
    IdeRig r;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    outb(&r, RIG_CTL, 0x02);                     /* nIEN */
    outb(&r, RIG_CMD + R_STATUS, 0xe7);
    ck_assert_int_eq(r.irq_level, 0);
    outb(&r, RIG_CTL, 0x00);                     /* still pending: INTRQ now */
    ck_assert_int_eq(r.irq_level, 1);
    ck_assert_int_eq(alt_status(&r), ST_READY);
    ck_assert_int_eq(r.irq_level, 1);            /* alternate status keeps it */
    status(&r);
    ck_assert_int_eq(r.irq_level, 0);
    outb(&r, RIG_CMD + R_LBAM, 0x77);
    outb(&r, RIG_CMD + R_STATUS, 0x90);          /* EXECUTE DEVICE DIAGNOSTIC */
    ck_assert_int_eq(r.irq_level, 1);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x01);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAM), 0x00);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 0x01);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_power_commands)
{
    IdeRig r;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    outb(&r, RIG_CMD + R_STATUS, 0xe5);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 0xff);  /* active or idle */
    outb(&r, RIG_CMD + R_STATUS, 0xe0);          /* STANDBY IMMEDIATE */
    ck_assert_int_eq(status(&r), ST_READY);
    outb(&r, RIG_CMD + R_STATUS, 0xe5);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 0x00);  /* standby */
    outb(&r, RIG_CMD + R_STATUS, 0xe6);          /* SLEEP */
    r.irq_rises = 0;
    outb(&r, RIG_CMD + R_STATUS, 0xe5);          /* ignored while asleep */
    ck_assert_int_eq(r.irq_rises, 0);
    outb(&r, RIG_CTL, 0x04);
    outb(&r, RIG_CTL, 0x00);                     /* SRST wakes it into standby */
    outb(&r, RIG_CMD + R_STATUS, 0xe5);
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT), 0x00);
    rig_free(&r);
}
END_TEST

/* -- Bus-master DMA -- */

static void bm_start(IdeRig *r, uint32_t table, bool to_mem)
{
    outl(r, RIG_BM + 4, table);
    outb(r, RIG_BM + 2, 0x06);                   /* clear INT and ERR */
    outb(r, RIG_BM, (to_mem ? 0x08 : 0) | 0x01);
}

START_TEST(test_ide_dma_read_prd_chain)
{
    IdeRig r;
    uint32_t addr[3] = { 0x10000, 0x20000, 0x30200 }, count[3] = { 512, 1024, 512 };
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    write_prds(&r, 0x1000, addr, count, 3);
    tf28(&r, 0, 30, 4);
    outb(&r, RIG_CMD + R_STATUS, 0xc8);          /* READ DMA, engine not started */
    ck_assert_int_eq(alt_status(&r) & 0x08, 0x08);
    ck_assert_int_eq(r.irq_rises, 0);
    bm_start(&r, 0x1000, true);
    ck_assert_int_eq(r.irq_rises, 1);
    /* table exactly as long as the transfer: INT set, ACTIVE clear */
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x04);
    ck_assert_int_eq(status(&r), ST_READY);
    ck_assert(sector_matches(r.ram->host + 0x10000, 30));
    ck_assert(sector_matches(r.ram->host + 0x20000, 31));
    ck_assert(sector_matches(r.ram->host + 0x20200, 32));
    ck_assert(sector_matches(r.ram->host + 0x30200, 33));
    outb(&r, RIG_BM, 0x08);                      /* stop */
    outb(&r, RIG_BM + 2, 0x04);                  /* write 1 clears INT */
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_dma_write_and_lba48)
{
    IdeRig r;
    uint32_t addr[2] = { 0x40000, 0x50000 }, count[2] = { 1024, 512 };
    uint8_t back[3 * 512];
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    for (int i = 0; i < 1024; i++)
        r.ram->host[0x40000 + i] = i ^ 0x5a;
    for (int i = 0; i < 512; i++)
        r.ram->host[0x50000 + i] = i ^ 0xa5;
    write_prds(&r, 0x2000, addr, count, 2);
    bm_start(&r, 0x2000, false);                 /* engine first, then the command */
    outb(&r, RIG_CMD + R_DEV, 0x40);
    outb(&r, RIG_CMD + R_NSECT, 0);
    outb(&r, RIG_CMD + R_NSECT, 3);
    outb(&r, RIG_CMD + R_LBAL, 0);
    outb(&r, RIG_CMD + R_LBAL, 40);
    for (int reg = R_LBAM; reg <= R_LBAH; reg++) {
        outb(&r, RIG_CMD + reg, 0);
        outb(&r, RIG_CMD + reg, 0);
    }
    outb(&r, RIG_CMD + R_STATUS, 0x35);          /* WRITE DMA EXT */
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x04);
    ck_assert_int_eq(status(&r), ST_READY);
    read_file(r.path[0], 40, back, 3);
    ck_assert_mem_eq(back, r.ram->host + 0x40000, 1024);
    ck_assert_mem_eq(back + 1024, r.ram->host + 0x50000, 512);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_dma_table_longer_or_shorter)
{
    IdeRig r;
    uint32_t addr[1] = { 0x10000 }, count[1] = { 4096 };
    uint32_t addr2[2] = { 0x20000, 0x30000 }, count2[2] = { 512, 512 };
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    /* longer table: INT set, ACTIVE still set (SFF-8038i table 2) */
    write_prds(&r, 0x1000, addr, count, 1);
    bm_start(&r, 0x1000, true);
    tf28(&r, 0, 0, 2);
    outb(&r, RIG_CMD + R_STATUS, 0xc8);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x05);
    ck_assert_int_eq(status(&r), ST_READY);
    outb(&r, RIG_BM, 0x08);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x01, 0);     /* stop clears ACTIVE */
    /* shorter table: neither bit, the drive still asks for data */
    r.irq_rises = 0;
    write_prds(&r, 0x1000, addr2, count2, 2);
    tf28(&r, 0, 0, 3);
    outb(&r, RIG_CMD + R_STATUS, 0xc8);
    bm_start(&r, 0x1000, true);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x00);
    ck_assert_int_eq(r.irq_rises, 0);
    ck_assert_int_eq(alt_status(&r) & 0x08, 0x08);
    ck_assert(sector_matches(r.ram->host + 0x30000, 1));
    /* a new table finishes the transfer */
    write_prds(&r, 0x1000, addr, count, 1);
    outb(&r, RIG_BM, 0x08);
    bm_start(&r, 0x1000, true);
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert(sector_matches(r.ram->host + 0x10000, 2));
    ck_assert_int_eq(status(&r), ST_READY);
    rig_free(&r);
}
END_TEST

START_TEST(test_ide_dma_count_zero_is_64k)
{
    IdeRig r;
    uint32_t addr[1] = { 0x80000 }, count[1] = { 0 };
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 256, false, false);
    write_prds(&r, 0x1000, addr, count, 1);
    tf28(&r, 0, 100, 128);                       /* 64 KiB */
    outb(&r, RIG_CMD + R_STATUS, 0xc8);
    bm_start(&r, 0x1000, true);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x04);
    ck_assert(sector_matches(r.ram->host + 0x80000, 100));
    ck_assert(sector_matches(r.ram->host + 0x80000 + 127 * 512, 227));
    rig_free(&r);
}
END_TEST

/* -- PIIX3 PCI function -- */

START_TEST(test_ide_piix_pci_function)
{
    Bus *bus = bus_new();
    MemMap *mem = bus_memmap(bus);
    RamBlock *ram = memmap_new_block(mem, "ram", RIG_RAM, false);
    PciBus *pb = pci_bus_new(bus, NULL, NULL);
    BlockDev *drives[4] = { NULL };
    MediaKind kinds[4] = { MEDIA_DISK, MEDIA_NONE, MEDIA_NONE, MEDIA_NONE };
    uint8_t devfn = PCI_DEVFN(1, 1);
    char path[64], err[256];
    PiixIde *ide;
    memmap_map_ram(mem, "ram", 0, RIG_RAM, ram, 0, PRIO_RAM);
    make_image(path, 64);
    drives[0] = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_nonnull(drives[0]);
    ide = piix_ide_new(pb, devfn, (IrqLine){ 0 }, (IrqLine){ 0 }, drives, kinds, err, sizeof err);
    ck_assert_msg(ide != NULL, "%s", err);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x00, 4), 0x70108086);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x08, 4) >> 8, 0x010180);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x06, 2), 0x0280);
    /* BAR4 sizes as 16 bytes of I/O */
    pci_config_write(pb, devfn, 0x20, 0xffffffff, 4);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x20, 4) & 0xffff, 0xfff1);
    /* legacy ports decode only with IOSE and IDETIM.IDE */
    ck_assert_uint_eq(bus_io_read(bus, 0x1f7, 1), 0xff);
    pci_config_write(pb, devfn, PCI_COMMAND, PCI_COMMAND_IO, 2);
    ck_assert_uint_eq(bus_io_read(bus, 0x1f7, 1), 0xff);
    pci_config_write(pb, devfn, 0x40, 0x8000, 2);
    ck_assert_uint_eq(bus_io_read(bus, 0x1f7, 1), 0x50);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x40, 2), 0x8000);
    /* DMA waits for the bus master enable */
    pci_config_write(pb, devfn, 0x20, 0xc000, 4);
    st32(ram->host + 0x1000, 0x10000);
    st32(ram->host + 0x1004, 0x80000200);
    bus_io_write(bus, 0xc004, 0x1000, 4);
    bus_io_write(bus, 0x1f6, 0xe0, 1);
    bus_io_write(bus, 0x1f2, 1, 1);
    bus_io_write(bus, 0x1f3, 9, 1);
    bus_io_write(bus, 0x1f4, 0, 1);
    bus_io_write(bus, 0x1f5, 0, 1);
    bus_io_write(bus, 0x1f7, 0xc8, 1);
    bus_io_write(bus, 0xc000, 0x09, 1);
    ck_assert_uint_eq(bus_io_read(bus, 0xc002, 1) & 0x07, 0x01);
    ck_assert(!sector_matches(ram->host + 0x10000, 9));
    pci_config_write(pb, devfn, PCI_COMMAND, PCI_COMMAND_IO | PCI_COMMAND_MASTER, 2);
    ck_assert_uint_eq(bus_io_read(bus, 0xc002, 1) & 0x07, 0x04);
    ck_assert(sector_matches(ram->host + 0x10000, 9));
    /* the secondary engine is at BAR4 + 8 and independent */
    bus_io_write(bus, 0xc00a, 0x60, 1);
    ck_assert_uint_eq(bus_io_read(bus, 0xc00a, 1), 0x60);
    ck_assert_uint_eq(bus_io_read(bus, 0xc002, 1) & 0x60, 0);
    /* reset: decode off again, engines idle */
    pci_bus_reset(pb);
    ck_assert_uint_eq(pci_config_read(pb, devfn, 0x40, 2), 0);
    ck_assert_uint_eq(bus_io_read(bus, 0x1f7, 1), 0xff);
    block_close(drives[0]);
    unlink(path);
    bus_free(bus);
}
END_TEST

TEST_SUITE(ide)
{
    Suite *s = suite_create("ide");
    TCase *tc = tcase_create("ide");
    tcase_set_timeout(tc, 30);
    tcase_add_test(tc, test_ide_srst_signatures);
    tcase_add_test(tc, test_ide_identify_words);
    tcase_add_test(tc, test_ide_pio_read_sectors);
    tcase_add_test(tc, test_ide_pio_write_reaches_file);
    tcase_add_test(tc, test_ide_pio_32bit_data);
    tcase_add_test(tc, test_ide_lba48_read);
    tcase_add_test(tc, test_ide_read_multiple);
    tcase_add_test(tc, test_ide_chs_addressing);
    tcase_add_test(tc, test_ide_errors);
    tcase_add_test(tc, test_ide_host_read_error);
    tcase_add_test(tc, test_ide_read_only_media);
    tcase_add_test(tc, test_ide_snapshot_leaves_image);
    tcase_add_test(tc, test_ide_absent_devices);
    tcase_add_test(tc, test_ide_nien_and_diagnostic);
    tcase_add_test(tc, test_ide_power_commands);
    tcase_add_test(tc, test_ide_dma_read_prd_chain);
    tcase_add_test(tc, test_ide_dma_write_and_lba48);
    tcase_add_test(tc, test_ide_dma_table_longer_or_shorter);
    tcase_add_test(tc, test_ide_dma_count_zero_is_64k);
    tcase_add_test(tc, test_ide_piix_pci_function);
    suite_add_tcase(s, tc);
    return s;
}
