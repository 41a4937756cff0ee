/* test_atapi.c — the ATAPI CD-ROM: PACKET protocol (ATA-6 9.9, SFF-8020i)
 * and MMC commands, PIO and DMA, against an image of 2048-byte sectors
 * whose bytes follow pattern() of their 512-byte quarters.
 */
#include "unit/ide_rig.h"

#define CD_SECTORS 40           /* 2048-byte sectors in the test image */

typedef struct Reply {
    uint8_t data[16384];
    unsigned len;
    int blocks;                 /* DRQ blocks */
    uint8_t status, error, ireason;
} Reply;

/* Send a 12-byte packet to `unit` and collect PIO data-in (ATA-6 9.9). */
static void packet(IdeRig *r, int unit, const uint8_t *cdb, uint16_t limit, Reply *rep)
{
    memset(rep, 0, sizeof(*rep));
    outb(r, RIG_CMD + R_DEV, unit << 4);
    outb(r, RIG_CMD + R_ERR, 0);                 /* PIO */
    outb(r, RIG_CMD + R_LBAM, limit);
    outb(r, RIG_CMD + R_LBAH, limit >> 8);
    outb(r, RIG_CMD + R_STATUS, 0xa0);
    /* packet phase: DRQ, CoD=1 IO=0, no interrupt */
    ck_assert_int_eq(alt_status(r) & 0x88, 0x08);
    ck_assert_int_eq(inb(r, RIG_CMD + R_NSECT) & 3, 1);
    r->irq_rises = 0;
    pio_out(r, cdb, 12);
    while (alt_status(r) & 0x08) {
        unsigned n = inb(r, RIG_CMD + R_LBAM) | inb(r, RIG_CMD + R_LBAH) << 8;
        ck_assert_int_eq(r->irq_rises, rep->blocks + 1);   /* one per DRQ block */
        ck_assert_int_eq(inb(r, RIG_CMD + R_NSECT) & 3, 2); /* IO=1 CoD=0: data in */
        ck_assert_uint_le(n, limit);
        ck_assert_uint_le(rep->len + n, sizeof rep->data);
        status(r);
        pio_in(r, rep->data + rep->len, n);
        rep->len += n;
        rep->blocks++;
    }
    ck_assert_int_eq(r->irq_rises, rep->blocks + 1);   /* completion interrupt */
    rep->ireason = inb(r, RIG_CMD + R_NSECT) & 3;
    rep->error = inb(r, RIG_CMD + R_ERR);
    rep->status = status(r);
    ck_assert_int_eq(rep->ireason, 3);           /* IO=1 CoD=1: status */
}

static void cd_rig(IdeRig *r, int unit)
{
    rig_init(r);
    rig_attach(r, unit, MEDIA_CDROM, CD_SECTORS * 4, true, false);
}

static bool cd_sector_matches(const uint8_t *p, uint32_t lba)
{
    for (int q = 0; q < 4; q++)
        if (!sector_matches(p + 512 * q, 4ull * lba + q))
            return false;
    return true;
}

static void sense(IdeRig *r, uint8_t *key, uint8_t *asc, uint8_t *ascq)
{
    uint8_t cdb[12] = { 0x03, 0, 0, 0, 18 };
    Reply rep;
    packet(r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_int_eq(rep.len, 18);
    ck_assert_int_eq(rep.data[0], 0x70);         /* current error, fixed format */
    ck_assert_int_eq(rep.data[7], 10);
    *key = rep.data[2] & 0x0f;
    *asc = rep.data[12];
    *ascq = rep.data[13];
}

/* Clear the power-on unit attention. */
static void settle(IdeRig *r)
{
    uint8_t cdb[12] = { 0 }, k, a, q;
    Reply rep;
    packet(r, 0, cdb, 0xfffe, &rep);
    sense(r, &k, &a, &q);
}

START_TEST(test_atapi_identify)
{
    IdeRig r;
    uint16_t id[256];
    char model[41];
    cd_rig(&r, 0);
    outb(&r, RIG_CMD + R_STATUS, 0xec);          /* IDENTIFY DEVICE: abort + signature */
    ck_assert_int_eq(status(&r), 0x51);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_ERR), 0x04);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAM), 0x14);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAH), 0xeb);
    outb(&r, RIG_CMD + R_STATUS, 0xa1);          /* IDENTIFY PACKET DEVICE */
    ck_assert_int_eq(status(&r), 0x58);
    for (int i = 0; i < 256; i++)
        id[i] = inw(&r, RIG_CMD);
    /* ATAPI (10b), CD-ROM (05h), removable, 12-byte packets */
    ck_assert_int_eq(id[0] & 0xdf83, 0x8580);
    ck_assert_int_eq(id[49] & 0x0300, 0x0300);
    ck_assert_int_eq(id[82] & 0x0010, 0x0010);   /* PACKET feature set */
    for (int i = 0; i < 20; i++) {
        model[2 * i] = id[27 + i] >> 8;
        model[2 * i + 1] = id[27 + i];
    }
    model[40] = 0;
    ck_assert_str_eq(model, "EMU DVD-ROM                             ");
    outb(&r, RIG_CMD + R_STATUS, 0x08);          /* DEVICE RESET: no interrupt */
    r.irq_rises = 0;
    ck_assert_int_eq(alt_status(&r), 0x00);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_LBAH), 0xeb);
    ck_assert_int_eq(r.irq_rises, 0);
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_inquiry)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x12, 0, 0, 0, 36 };
    Reply rep;
    cd_rig(&r, 0);
    packet(&r, 0, cdb, 0xfffe, &rep);            /* unaffected by unit attention */
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_int_eq(rep.len, 36);
    ck_assert_int_eq(rep.data[0], 0x05);         /* CD/DVD device */
    ck_assert_int_eq(rep.data[1], 0x80);         /* removable */
    ck_assert_int_eq(rep.data[4], 31);
    ck_assert_mem_eq(rep.data + 8, "EMU     ", 8);
    cdb[4] = 5;                                  /* allocation length truncates */
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 5);
    cdb[1] = 1;                                  /* EVPD: not supported */
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    ck_assert_int_eq(rep.error >> 4, 5);         /* ILLEGAL REQUEST */
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_unit_attention_and_sense)
{
    IdeRig r;
    uint8_t tur[12] = { 0 }, k, a, q;
    Reply rep;
    cd_rig(&r, 0);
    packet(&r, 0, tur, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);          /* CHECK CONDITION */
    ck_assert_int_eq(rep.error >> 4, 6);         /* UNIT ATTENTION */
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(k, 6);
    ck_assert_int_eq(a, 0x28);                   /* medium may have changed */
    packet(&r, 0, tur, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(k, 0);                      /* sense was consumed */
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_read_capacity)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x25 };
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_int_eq(rep.len, 8);
    ck_assert_uint_eq(ld32(rep.data), __builtin_bswap32(CD_SECTORS - 1));
    ck_assert_uint_eq(ld32(rep.data + 4), __builtin_bswap32(2048));
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_read10_pio)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x28, 0, 0, 0, 0, 7, 0, 0, 3 };    /* LBA 7, 3 sectors */
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    /* byte count limit 2048: one sector per DRQ block */
    packet(&r, 0, cdb, 2048, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_int_eq(rep.blocks, 3);
    ck_assert_int_eq(rep.len, 3 * 2048);
    for (int i = 0; i < 3; i++)
        ck_assert(cd_sector_matches(rep.data + 2048 * i, 7 + i));
    /* limit 0xfffe: one block */
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.blocks, 1);
    ck_assert(cd_sector_matches(rep.data + 4096, 9));
    /* odd limit 1001: even blocks of 1000 bytes, the last one shorter */
    packet(&r, 0, cdb, 1001, &rep);
    ck_assert_int_eq(rep.blocks, 7);
    ck_assert_int_eq(rep.len, 6144);
    ck_assert(cd_sector_matches(rep.data, 7));
    ck_assert(cd_sector_matches(rep.data + 4096, 9));
    /* READ(12) of the last sector */
    {
        uint8_t c12[12] = { 0xa8, 0, 0, 0, 0, CD_SECTORS - 1, 0, 0, 0, 1 };
        packet(&r, 0, c12, 0xfffe, &rep);
        ck_assert_int_eq(rep.len, 2048);
        ck_assert(cd_sector_matches(rep.data, CD_SECTORS - 1));
    }
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_read_slave)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x28, 0, 0, 0, 0, 2, 0, 0, 1 };
    Reply rep;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_DISK, 64, false, false);
    rig_attach(&r, 1, MEDIA_CDROM, CD_SECTORS * 4, true, false);
    {
        uint8_t tur[12] = { 0 };
        packet(&r, 1, tur, 0xfffe, &rep);        /* unit attention */
    }
    packet(&r, 1, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert(cd_sector_matches(rep.data, 2));
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_errors)
{
    IdeRig r;
    uint8_t past[12] = { 0x28, 0, 0, 0, 0, CD_SECTORS - 1, 0, 0, 2 };
    uint8_t bogus[12] = { 0xd7 }, k, a, q;
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    packet(&r, 0, past, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    ck_assert_int_eq(rep.len, 0);
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(k, 5);
    ck_assert_int_eq(a, 0x21);                   /* LBA out of range */
    packet(&r, 0, bogus, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    ck_assert_int_eq(rep.error, 0x54);           /* ILLEGAL REQUEST, ABRT */
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(k, 5);
    ck_assert_int_eq(a, 0x20);                   /* invalid command operation code */
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_read_toc)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0x03, 0x24 };
    uint32_t lo = CD_SECTORS + 150;
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    /* format 0, LBA: track 1 at 0, lead-out (AAh) at the capacity */
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 20);
    ck_assert_int_eq(rep.data[0] << 8 | rep.data[1], 18);
    ck_assert_int_eq(rep.data[2], 1);
    ck_assert_int_eq(rep.data[3], 1);
    ck_assert_int_eq(rep.data[5], 0x14);         /* ADR 1, data track */
    ck_assert_int_eq(rep.data[6], 1);
    ck_assert_uint_eq(ld32(rep.data + 8), 0);
    ck_assert_int_eq(rep.data[14], 0xaa);
    ck_assert_uint_eq(ld32(rep.data + 16), __builtin_bswap32(CD_SECTORS));
    /* MSF: addresses count 150 frames of pregap */
    cdb[1] = 2;
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.data[9], 0);
    ck_assert_int_eq(rep.data[10], 2);
    ck_assert_int_eq(rep.data[11], 0);
    ck_assert_int_eq(rep.data[17], lo / 4500);
    ck_assert_int_eq(rep.data[18], lo / 75 % 60);
    ck_assert_int_eq(rep.data[19], lo % 75);
    /* format 1: session info */
    cdb[1] = 0;
    cdb[2] = 1;
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 12);
    ck_assert_int_eq(rep.data[1], 10);
    ck_assert_int_eq(rep.data[6], 1);            /* first track of the last session */
    /* format 2: full TOC, points A0, A1, A2, 1 */
    cdb[2] = 2;
    cdb[6] = 1;
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 4 + 4 * 11);
    ck_assert_int_eq(rep.data[1], 2 + 4 * 11);
    ck_assert_int_eq(rep.data[4 + 3], 0xa0);
    ck_assert_int_eq(rep.data[4 + 8], 1);        /* first track number */
    ck_assert_int_eq(rep.data[15 + 3], 0xa1);
    ck_assert_int_eq(rep.data[15 + 8], 1);       /* last track number */
    ck_assert_int_eq(rep.data[26 + 3], 0xa2);
    ck_assert_int_eq(rep.data[26 + 8], lo / 4500);
    ck_assert_int_eq(rep.data[26 + 9], lo / 75 % 60);
    ck_assert_int_eq(rep.data[26 + 10], lo % 75);
    ck_assert_int_eq(rep.data[37 + 3], 1);
    ck_assert_int_eq(rep.data[37 + 9], 2);       /* track 1 at 00:02:00 */
    /* a track that does not exist */
    cdb[2] = 0;
    cdb[6] = 5;
    packet(&r, 0, cdb, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_dma_read)
{
    IdeRig r;
    uint8_t cdb[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 2 };
    uint32_t addr[2] = { 0x10000, 0x20000 }, count[2] = { 2048, 2048 };
    cd_rig(&r, 0);
    settle(&r);
    write_prds(&r, 0x1000, addr, count, 2);
    outl(&r, RIG_BM + 4, 0x1000);
    outb(&r, RIG_BM + 2, 0x06);
    outb(&r, RIG_CMD + R_DEV, 0);
    outb(&r, RIG_CMD + R_ERR, 1);                /* DMA */
    outb(&r, RIG_CMD + R_STATUS, 0xa0);
    r.irq_rises = 0;
    pio_out(&r, cdb, 12);
    ck_assert_int_eq(r.irq_rises, 0);            /* waits for the engine */
    ck_assert_int_eq(alt_status(&r) & 0x08, 0x08);
    outb(&r, RIG_BM, 0x09);
    ck_assert_int_eq(r.irq_rises, 1);
    ck_assert_int_eq(inb(&r, RIG_BM + 2) & 0x07, 0x04);
    ck_assert_int_eq(inb(&r, RIG_CMD + R_NSECT) & 3, 3);
    ck_assert_int_eq(status(&r), 0x50);
    ck_assert(cd_sector_matches(r.ram->host + 0x10000, 3));
    ck_assert(cd_sector_matches(r.ram->host + 0x20000, 4));
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_mode_sense_and_config)
{
    IdeRig r;
    uint8_t ms[12] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 128 };
    uint8_t gc[12] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 128 };
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    packet(&r, 0, ms, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_int_eq(rep.len, 8 + 20);
    ck_assert_int_eq(rep.data[0] << 8 | rep.data[1], 26);
    ck_assert_int_eq(rep.data[8], 0x2a);
    ck_assert_int_eq(rep.data[9], 18);
    ck_assert_int_eq(rep.data[8 + 6] & 0x08, 0x08);   /* can eject */
    ms[2] = 0x3f;                                /* all pages: 01h then 2Ah */
    packet(&r, 0, ms, 0xfffe, &rep);
    ck_assert_int_eq(rep.data[8], 0x01);
    ck_assert_int_eq(rep.data[16], 0x2a);
    ms[2] = 0xc1;                                /* saved values: not supported */
    packet(&r, 0, ms, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    packet(&r, 0, gc, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    ck_assert_uint_eq(ld32(rep.data), __builtin_bswap32(rep.len - 4));
    ck_assert_int_eq(rep.data[6] << 8 | rep.data[7], 0x0008);  /* CD-ROM profile */
    ck_assert_int_eq(rep.data[8] << 8 | rep.data[9], 0x0000);  /* profile list first */
    gc[1] = 2;                                   /* just feature 0001h (core) */
    gc[3] = 1;
    packet(&r, 0, gc, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 8 + 12);
    ck_assert_int_eq(rep.data[9], 0x01);
    ck_assert_uint_eq(ld32(rep.data + 12), __builtin_bswap32(2));   /* ATAPI */
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_tray_and_events)
{
    IdeRig r;
    uint8_t gesn[12] = { 0x4a, 1, 0, 0, 0x10, 0, 0, 0, 8 };
    uint8_t lock[12] = { 0x1e, 0, 0, 0, 1 }, unlock[12] = { 0x1e };
    uint8_t eject[12] = { 0x1b, 0, 0, 0, 2 }, load[12] = { 0x1b, 0, 0, 0, 3 };
    uint8_t tur[12] = { 0 }, k, a, q;
    Reply rep;
    cd_rig(&r, 0);
    packet(&r, 0, gesn, 0xfffe, &rep);           /* not held up by unit attention */
    ck_assert_int_eq(rep.len, 8);
    ck_assert_int_eq(rep.data[2], 4);            /* media class */
    ck_assert_int_eq(rep.data[4], 2);            /* new media */
    ck_assert_int_eq(rep.data[5], 2);            /* present, tray closed */
    packet(&r, 0, gesn, 0xfffe, &rep);
    ck_assert_int_eq(rep.data[4], 0);            /* reported once */
    settle(&r);
    packet(&r, 0, lock, 0xfffe, &rep);
    packet(&r, 0, eject, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(a, 0x53);                   /* medium removal prevented */
    ck_assert_int_eq(q, 0x02);
    packet(&r, 0, unlock, 0xfffe, &rep);
    packet(&r, 0, eject, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    packet(&r, 0, tur, 0xfffe, &rep);
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(k, 2);                      /* NOT READY */
    ck_assert_int_eq(a, 0x3a);                   /* medium not present */
    ck_assert_int_eq(q, 0x02);                   /* tray open */
    packet(&r, 0, load, 0xfffe, &rep);
    packet(&r, 0, tur, 0xfffe, &rep);
    ck_assert_int_eq(rep.error >> 4, 6);         /* unit attention after loading */
    packet(&r, 0, tur, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_empty_drive)
{
    IdeRig r;
    uint8_t tur[12] = { 0 }, k, a, q;
    Reply rep;
    rig_init(&r);
    rig_attach(&r, 0, MEDIA_CDROM, 0, true, false);
    packet(&r, 0, tur, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x51);
    ck_assert_int_eq(rep.error >> 4, 2);
    sense(&r, &k, &a, &q);
    ck_assert_int_eq(a, 0x3a);
    rig_free(&r);
}
END_TEST

START_TEST(test_atapi_disc_info_and_mechanism)
{
    IdeRig r;
    uint8_t di[12] = { 0x51, 0, 0, 0, 0, 0, 0, 0, 34 };
    uint8_t ms[12] = { 0xbd, 0, 0, 0, 0, 0, 0, 0, 0, 8 };
    uint8_t sp[12] = { 0xbb, 0, 0x02, 0xc2 };    /* 706 kB/s (4x) */
    uint8_t mode[12] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64 };
    Reply rep;
    cd_rig(&r, 0);
    settle(&r);
    packet(&r, 0, di, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 34);
    ck_assert_int_eq(rep.data[1], 32);
    ck_assert_int_eq(rep.data[2] & 0x03, 0x02);  /* disc complete */
    ck_assert_int_eq(rep.data[3], 1);
    packet(&r, 0, ms, 0xfffe, &rep);
    ck_assert_int_eq(rep.len, 8);
    ck_assert_int_eq(rep.data[1] & 0x10, 0);     /* door closed */
    packet(&r, 0, sp, 0xfffe, &rep);
    ck_assert_int_eq(rep.status, 0x50);
    packet(&r, 0, mode, 0xfffe, &rep);
    ck_assert_int_eq(rep.data[8 + 14] << 8 | rep.data[8 + 15], 706);
    rig_free(&r);
}
END_TEST

TEST_SUITE(atapi)
{
    Suite *s = suite_create("atapi");
    TCase *tc = tcase_create("atapi");
    tcase_set_timeout(tc, 20);
    tcase_add_test(tc, test_atapi_identify);
    tcase_add_test(tc, test_atapi_inquiry);
    tcase_add_test(tc, test_atapi_unit_attention_and_sense);
    tcase_add_test(tc, test_atapi_read_capacity);
    tcase_add_test(tc, test_atapi_read10_pio);
    tcase_add_test(tc, test_atapi_read_slave);
    tcase_add_test(tc, test_atapi_errors);
    tcase_add_test(tc, test_atapi_read_toc);
    tcase_add_test(tc, test_atapi_dma_read);
    tcase_add_test(tc, test_atapi_mode_sense_and_config);
    tcase_add_test(tc, test_atapi_tray_and_events);
    tcase_add_test(tc, test_atapi_empty_drive);
    tcase_add_test(tc, test_atapi_disc_info_and_mechanism);
    suite_add_tcase(s, tc);
    return s;
}
