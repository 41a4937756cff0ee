/* atapi.c — the ATAPI CD/DVD-ROM: PACKET protocol and the MMC commands a
 * BIOS (El Torito boot) and an OS CD-ROM driver need (SFF-8020i, MMC-3).
 *
 * The medium is a read-only image of 2048-byte sectors (a trailing partial
 * sector is not readable). The drive has a tray: START STOP UNIT can open
 * and close it, PREVENT ALLOW MEDIUM REMOVAL locks it. The medium is a
 * CD-ROM (profile 0008h) when it fits 80 minutes, else a DVD-ROM (0010h).
 *
 * Data reaches the host as a byte stream through buf[head, valid): a command
 * either builds its whole response there, or sets lba/sectors_left and
 * stream_fill() reads sectors as DRQ blocks or DMA windows need them. Errors
 * end the command with CHECK CONDITION: status ERR, the sense key in the
 * Error register, and the sense data kept for REQUEST SENSE.
 *
 * To add a command: a handler ending in atapi_ok(), atapi_check() or
 * send_response(), and a row in atapi_cmds[].
 */
#include <string.h>
#include "base/log.h"
#include "hw/ide_internal.h"

enum { SK_NO_SENSE = 0, SK_NOT_READY = 2, SK_MEDIUM_ERROR = 3, SK_ILLEGAL_REQUEST = 5,
       SK_UNIT_ATTENTION = 6 };
/* Additional sense codes (SPC-3 Annex D) */
enum { ASC_UNRECOVERED_READ = 0x11, ASC_INVALID_OPCODE = 0x20, ASC_LBA_OUT_OF_RANGE = 0x21,
       ASC_INVALID_FIELD = 0x24, ASC_MEDIUM_CHANGED = 0x28, ASC_SAVING_NOT_SUPPORTED = 0x39,
       ASC_NO_MEDIUM = 0x3a, ASC_REMOVAL_PREVENTED = 0x53 };
/* GET EVENT STATUS NOTIFICATION media event codes (MMC-3 5.6) */
enum { MEV_NONE = 0, MEV_NEW_MEDIA = 2, MEV_MEDIA_REMOVAL = 3 };

#define CD_MAX_SECTORS (80 * 60 * 75)   /* an 80-minute CD */
#define MAX_SPEED_KBS 2816              /* 16x */

static uint16_t be16(const uint8_t *p) { return p[0] << 8 | p[1]; }
static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3]; }
static void put16(uint8_t *p, uint16_t v) { p[0] = v >> 8; p[1] = v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16); put16(p + 2, v); }

static bool has_media(const IdeDrive *d) { return d->blk && !d->cd.tray_open; }
static uint32_t capacity(const IdeDrive *d) { return MIN(d->sectors / 4, 0xffffffffull); }
static bool is_dvd(const IdeDrive *d) { return capacity(d) > CD_MAX_SECTORS; }

/* -- State -- */

/* Power-on or hardware reset: the tray stays where it is, the lock goes. */
void atapi_init(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    bool tray_open = c->tray_open;
    memset(c, 0, sizeof(*c));
    c->tray_open = tray_open;
    c->speed = MAX_SPEED_KBS;
    c->unit_attention = has_media(d);
    c->media_event = has_media(d) ? MEV_NEW_MEDIA : MEV_NONE;
}

/* Reset aborts the command; medium, tray, lock and sense stay. */
void atapi_reset(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    c->bytes_left = c->sectors_left = 0;
    c->head = c->valid = c->drq_len = 0;
}

void atapi_identify(IdeDrive *d, uint16_t *id)
{
    memset(id, 0, 512);
    /* ATAPI, CD-ROM device type 05h, removable, 50 us DRQ, 12-byte packets */
    id[0] = 0x8000 | 0x0500 | 0x0080 | 0x0040;
    ide_identify_strings(d, id, "EMU DVD-ROM");
    id[49] = 0x0f00;                    /* IORDY, IORDY disable, LBA, DMA */
    id[53] = 0x0006;                    /* words 64-70 and 88 valid */
    id[63] = ide_mode_word(d, 63);
    id[64] = 0x0003;
    id[65] = id[66] = id[67] = id[68] = 120;
    id[80] = 0x0070;                    /* ATA/ATAPI-4 .. 6 */
    id[82] = 0x0210;                    /* DEVICE RESET, PACKET */
    id[83] = id[84] = id[87] = 0x4000;
    id[85] = 0x0210;
    id[88] = ide_mode_word(d, 88);
    id[93] = ide_cable_word(d);
    ide_finish_identify(id);
}

/* -- Completion -- */

static void atapi_ok(IdeDrive *d)
{
    ide_xfer_stop(d);
    d->nsector = IR_IO | IR_COD;
    d->status = ST_DRDY | ST_DSC;
    ide_set_irq(d);
}

/* CHECK CONDITION (ATA-6 8.21 PACKET error outputs). */
static void atapi_check(IdeDrive *d, uint8_t key, uint8_t asc, uint8_t ascq)
{
    AtapiState *c = &d->cd;
    ide_xfer_stop(d);
    atapi_reset(d);
    c->sense_key = key;
    c->asc = asc;
    c->ascq = ascq;
    d->error = key << 4 | (key == SK_ILLEGAL_REQUEST ? ER_ABRT : 0);
    d->nsector = IR_IO | IR_COD;
    d->status = ST_DRDY | ST_DSC | ST_ERR;
    ide_set_irq(d);
}

static void invalid_field(IdeDrive *d)
{
    atapi_check(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
}

/* -- Data phase -- */

/* Make buf[head, head + n) hold the next n bytes, reading sectors. */
static bool stream_fill(IdeDrive *d, uint32_t n)
{
    AtapiState *c = &d->cd;
    if (c->head + n <= c->valid)
        return true;
    memmove(d->buf, d->buf + c->head, c->valid - c->head);
    c->valid -= c->head;
    c->head = 0;
    while (c->valid < n && c->sectors_left) {
        uint32_t k = MIN(c->sectors_left, (IDE_BUF_SIZE - c->valid) / CD_SECTOR);
        if (block_read(d->blk, c->lba * 4, d->buf + c->valid, k * 4) < 0) {
            atapi_check(d, SK_MEDIUM_ERROR, ASC_UNRECOVERED_READ, 0);
            return false;
        }
        c->lba += k;
        c->sectors_left -= k;
        c->valid += k * CD_SECTOR;
    }
    return true;
}

static void pio_block(IdeDrive *d);

static void pio_block_done(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    c->head += c->drq_len;
    c->bytes_left -= c->drq_len;
    if (c->bytes_left)
        pio_block(d);
    else
        atapi_ok(d);
}

/* One DRQ block: at most the byte count limit, even unless it is the last
 * (SFF-8020i 5.13); its size goes to the cylinder registers. */
static void pio_block(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    uint32_t limit = c->byte_limit, n;
    if (limit == 0) {
        log_guest_error_once("atapi: byte count limit 0");
        limit = 0xfffe;
    }
    n = c->bytes_left <= limit ? (uint32_t)c->bytes_left : (limit & ~1u);
    if (!stream_fill(d, n))
        return;
    c->drq_len = n;
    ide_start_pio(d, n, false, pio_block_done);
    d->pos = c->head;
    d->end = c->head + n;
    d->lbam = n;
    d->lbah = n >> 8;
    d->nsector = IR_IO;
    ide_set_irq(d);
}

static bool dma_next(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    uint32_t n;
    c->head += c->drq_len;
    c->bytes_left -= c->drq_len;
    c->drq_len = 0;
    if (!c->bytes_left) {
        atapi_ok(d);
        return false;
    }
    n = MIN(c->bytes_left, 0x10000);
    if (!stream_fill(d, n))
        return false;
    c->drq_len = n;
    d->pos = c->head;
    d->end = c->head + n;
    return true;
}

static void start_data(IdeDrive *d)
{
    if (!d->cd.bytes_left)
        atapi_ok(d);
    else if (d->cd.dma)
        ide_start_dma(d, true, dma_next);
    else
        pio_block(d);
}

/* The response is in buf[0, len); the host takes at most alloc bytes. */
static void send_response(IdeDrive *d, uint32_t len, uint32_t alloc)
{
    AtapiState *c = &d->cd;
    c->head = 0;
    c->valid = len;
    c->sectors_left = 0;
    c->drq_len = 0;
    c->bytes_left = MIN(len, alloc);
    start_data(d);
}

/* -- Commands -- */

static void cmd_test_unit_ready(IdeDrive *d)
{
    atapi_ok(d);
}

/* Fixed-format sense data (SPC-3 4.5.3). */
static void cmd_request_sense(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    uint8_t *b = d->buf;
    if (c->sense_key == SK_NO_SENSE && c->unit_attention) {
        c->unit_attention = false;
        c->sense_key = SK_UNIT_ATTENTION;
        c->asc = ASC_MEDIUM_CHANGED;
        c->ascq = 0;
    }
    memset(b, 0, 18);
    b[0] = 0x70;
    b[2] = c->sense_key;
    b[7] = 10;
    b[12] = c->asc;
    b[13] = c->ascq;
    c->sense_key = c->asc = c->ascq = 0;
    send_response(d, 18, c->cdb[4]);
}

static void put_ascii(uint8_t *p, const char *s, size_t n)
{
    size_t len = strlen(s);
    for (size_t i = 0; i < n; i++)
        p[i] = i < len ? s[i] : ' ';
}

static void cmd_inquiry(IdeDrive *d)
{
    uint8_t *b = d->buf;
    if (d->cd.cdb[1] & 1) {     /* no vital product data pages */
        invalid_field(d);
        return;
    }
    memset(b, 0, 36);
    b[0] = 0x05;                /* CD/DVD device */
    b[1] = 0x80;                /* removable */
    b[3] = 0x21;                /* ATAPI version 2, response format 1 (SFF-8020i 10.8.3) */
    b[4] = 36 - 5;
    put_ascii(b + 8, "EMU", 8);
    put_ascii(b + 16, "EMU DVD-ROM", 16);
    put_ascii(b + 32, "1.0", 4);
    send_response(d, 36, be16(d->cd.cdb + 3));
}

static void cmd_read_capacity(IdeDrive *d)
{
    put32(d->buf, capacity(d) - 1);
    put32(d->buf + 4, CD_SECTOR);
    send_response(d, 8, 8);
}

static void cmd_read(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    uint32_t lba = be32(c->cdb + 2);
    uint32_t n = c->cdb[0] == 0x28 ? be16(c->cdb + 7) : be32(c->cdb + 6);
    if (lba > capacity(d) || n > capacity(d) - lba) {
        atapi_check(d, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
        return;
    }
    c->lba = lba;
    c->sectors_left = n;
    c->head = c->valid = c->drq_len = 0;
    c->bytes_left = (uint64_t)n * CD_SECTOR;
    start_data(d);
}

/* Mode pages (SFF-8020i 10.8.4): error recovery 01h, capabilities 2Ah. */
static uint32_t mode_pages(IdeDrive *d, uint8_t *p, unsigned page, bool changeable)
{
    uint32_t len = 0;
    if (page == 0x01 || page == 0x3f) {
        memset(p, 0, 8);
        p[0] = 0x01;
        p[1] = 6;
        if (!changeable)
            p[3] = 5;           /* read retry count */
        len += 8;
    }
    if (page == 0x2a || page == 0x3f) {
        uint8_t *q = p + len;
        memset(q, 0, 20);
        q[0] = 0x2a;
        q[1] = 18;
        len += 20;
        if (changeable)
            return len;
        q[2] = 0x0b;            /* reads CD-R, CD-RW, DVD-ROM */
        q[6] = 0x29 | (d->cd.locked ? 0x02 : 0);   /* tray, eject, lock (+ locked) */
        put16(q + 8, MAX_SPEED_KBS);
        put16(q + 12, 512);     /* buffer, KiB */
        put16(q + 14, d->cd.speed);
    }
    return len;
}

static void cmd_mode_sense(IdeDrive *d)
{
    const uint8_t *cdb = d->cd.cdb;
    bool ten = cdb[0] == 0x5a;
    unsigned pc = cdb[2] >> 6, hdr = ten ? 8 : 4;
    uint8_t medium = !d->blk ? 0x70 : d->cd.tray_open ? 0x71 : 0x01;
    uint32_t len;
    if (pc == 3) {
        atapi_check(d, SK_ILLEGAL_REQUEST, ASC_SAVING_NOT_SUPPORTED, 0);
        return;
    }
    len = mode_pages(d, d->buf + hdr, cdb[2] & 0x3f, pc == 1);
    if (!len) {
        invalid_field(d);
        return;
    }
    len += hdr;
    memset(d->buf, 0, hdr);
    if (ten) {
        put16(d->buf, len - 2);
        d->buf[2] = medium;
    } else {
        d->buf[0] = len - 1;
        d->buf[1] = medium;
    }
    send_response(d, len, ten ? be16(cdb + 7) : cdb[4]);
}

static void put_addr(uint8_t *p, uint32_t lba, bool msf)
{
    uint32_t f = lba + 150;     /* MSF counts from the 2-second pregap */
    if (!msf) {
        put32(p, lba);
        return;
    }
    p[0] = 0;
    p[1] = f / (60 * 75);
    p[2] = f / 75 % 60;
    p[3] = f % 75;
}

static uint8_t *toc_entry(uint8_t *p, uint8_t track, uint32_t lba, bool msf)
{
    p[0] = 0;
    p[1] = 0x14;                /* ADR 1 (position), CONTROL 4 (data track) */
    p[2] = track;
    p[3] = 0;
    put_addr(p + 4, lba, msf);
    return p + 8;
}

/* Full TOC descriptor (MMC-3 Table 239): session 1, POINT, PMIN/PSEC/PFRAME. */
static uint8_t *raw_entry(uint8_t *p, uint8_t point, uint8_t pm, uint8_t ps, uint8_t pf)
{
    memset(p, 0, 11);
    p[0] = 1;
    p[1] = 0x14;
    p[3] = point;
    p[8] = pm;
    p[9] = ps;
    p[10] = pf;
    return p + 11;
}

static uint32_t toc_raw(IdeDrive *d, uint8_t *b)
{
    uint8_t m[4];
    uint8_t *p = b + 4;
    put_addr(m, capacity(d), true);
    p = raw_entry(p, 0xa0, 1, 0x00, 0);     /* first track 1, disc type CD-ROM */
    p = raw_entry(p, 0xa1, 1, 0, 0);        /* last track 1 */
    p = raw_entry(p, 0xa2, m[1], m[2], m[3]);   /* lead-out */
    put_addr(m, 0, true);
    p = raw_entry(p, 0x01, m[1], m[2], m[3]);
    return p - b;
}

static void cmd_read_toc(IdeDrive *d)
{
    const uint8_t *cdb = d->cd.cdb;
    bool msf = cdb[1] & 2;
    unsigned format = (cdb[2] & 0x0f) ?: cdb[9] >> 6;   /* SFF-8020i: byte 9 */
    uint8_t *b = d->buf, *p = b + 4;
    uint32_t len;
    switch (format) {
    case 0:
        if (cdb[6] > 1 && cdb[6] != 0xaa) {
            invalid_field(d);
            return;
        }
        if (cdb[6] <= 1)
            p = toc_entry(p, 1, 0, msf);
        p = toc_entry(p, 0xaa, capacity(d), msf);
        len = p - b;
        break;
    case 1:             /* multi-session information: one session */
        len = toc_entry(p, 1, 0, msf) - b;
        break;
    case 2:
        if (cdb[6] > 1) {
            invalid_field(d);
            return;
        }
        len = toc_raw(d, b);
        break;
    default:
        invalid_field(d);
        return;
    }
    put16(b, len - 2);
    b[2] = 1;           /* first track or session */
    b[3] = 1;           /* last */
    send_response(d, len, be16(cdb + 7));
}

/* GET CONFIGURATION feature descriptors (MMC-3 5.3). */
typedef struct FeatureList {
    uint8_t *p;
    unsigned rt, start;
    uint8_t *scratch;           /* where unwanted descriptors are built */
} FeatureList;

static uint8_t *feature(FeatureList *f, uint16_t code, uint8_t version, bool current,
                        uint8_t len)
{
    bool want = f->rt == 2 ? code == f->start : code >= f->start && (f->rt == 0 || current);
    uint8_t *p = f->p;
    if (!want)
        return memset(f->scratch, 0, 4 + len);
    p[0] = code >> 8;
    p[1] = code;
    p[2] = version << 2 | (code <= 3 || code == 0x100 ? 0x02 : 0) | current;  /* persistent */
    p[3] = len;
    memset(p + 4, 0, len);
    f->p += 4 + len;
    return p + 4;
}

static void cmd_get_configuration(IdeDrive *d)
{
    const uint8_t *cdb = d->cd.cdb;
    FeatureList f = { d->buf + 8, cdb[1] & 3, be16(cdb + 2), d->buf + IDE_BUF_SIZE / 2 };
    bool media = has_media(d), dvd = media && is_dvd(d), cd = media && !dvd;
    uint16_t profile = !media ? 0 : dvd ? 0x0010 : 0x0008;
    uint8_t *q;
    if (f.rt == 3) {
        invalid_field(d);
        return;
    }
    memset(d->buf, 0, 8);
    put16(d->buf + 6, profile);
    q = feature(&f, 0x0000, 0, true, 8);        /* profile list */
    put16(q, 0x0010);
    q[2] = dvd;
    put16(q + 4, 0x0008);
    q[6] = cd;
    q = feature(&f, 0x0001, 1, true, 8);        /* core */
    put32(q, 2);                                /* physical interface: ATAPI */
    q = feature(&f, 0x0002, 1, true, 4);        /* morphing: polled events */
    q = feature(&f, 0x0003, 0, true, 4);        /* removable medium */
    q[0] = 0x29;                                /* tray, eject, lock */
    q = feature(&f, 0x0010, 0, media, 8);       /* random readable */
    put32(q, CD_SECTOR);
    put16(q + 4, dvd ? 16 : 1);
    q = feature(&f, 0x001e, 0, cd, 0);          /* CD read */
    q = feature(&f, 0x001f, 0, dvd, 0);         /* DVD read */
    q = feature(&f, 0x0100, 0, true, 0);        /* power management */
    (void)q;
    put32(d->buf, (uint32_t)(f.p - d->buf) - 4);
    send_response(d, f.p - d->buf, be16(cdb + 7));
}

/* Polled media events only (MMC-3 5.6). */
static void cmd_get_event_status(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    uint8_t *b = d->buf;
    uint32_t len = 4;
    if (!(c->cdb[1] & 1)) {     /* asynchronous notification is not supported */
        invalid_field(d);
        return;
    }
    memset(b, 0, 8);
    b[3] = 0x10;                /* supported: media class */
    if (c->cdb[4] & 0x10) {
        b[2] = 4;
        b[4] = c->media_event;
        b[5] = (has_media(d) ? 0x02 : 0) | (c->tray_open ? 0x01 : 0);
        c->media_event = MEV_NONE;
        len = 8;
    } else {
        b[2] = 0x80;            /* no event available */
    }
    put16(b, len - 2);
    send_response(d, len, be16(c->cdb + 7));
}

static void cmd_prevent_allow(IdeDrive *d)
{
    d->cd.locked = d->cd.cdb[4] & 1;
    atapi_ok(d);
}

static void cmd_start_stop(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    bool loej = c->cdb[4] & 2, start = c->cdb[4] & 1;
    if (!loej) {                /* spin up/down: nothing to model */
        atapi_ok(d);
        return;
    }
    if (!start && c->locked) {
        atapi_check(d, SK_ILLEGAL_REQUEST, ASC_REMOVAL_PREVENTED, 2);
        return;
    }
    if (!start && !c->tray_open) {
        c->tray_open = true;
        c->media_event = d->blk ? MEV_MEDIA_REMOVAL : MEV_NONE;
    } else if (start && c->tray_open) {
        c->tray_open = false;
        c->unit_attention = d->blk != NULL;
        c->media_event = d->blk ? MEV_NEW_MEDIA : MEV_NONE;
    }
    atapi_ok(d);
}

/* Standard disc information (MMC-3 5.16): one complete session, one track. */
static void cmd_read_disc_info(IdeDrive *d)
{
    uint8_t *b = d->buf;
    if (d->cd.cdb[1] & 7) {
        invalid_field(d);
        return;
    }
    memset(b, 0, 34);
    put16(b, 32);
    b[2] = 0x0e;                /* last session complete, disc finalized */
    b[3] = 1;                   /* first track */
    b[4] = 1;                   /* sessions */
    b[5] = 1;                   /* first track in last session */
    b[6] = 1;                   /* last track in last session */
    put32(b + 16, 0xffffffff);  /* no next session lead-in */
    put32(b + 20, 0xffffffff);
    send_response(d, 34, be16(d->cd.cdb + 7));
}

static void cmd_mechanism_status(IdeDrive *d)
{
    uint8_t *b = d->buf;
    memset(b, 0, 8);
    b[1] = d->cd.tray_open ? 0x10 : 0;
    send_response(d, 8, be16(d->cd.cdb + 8));
}

/* The drive reads at the highest speed not above the request. */
static void cmd_set_speed(IdeDrive *d)
{
    uint16_t kbs = be16(d->cd.cdb + 2);
    d->cd.speed = MIN(kbs, MAX_SPEED_KBS);
    atapi_ok(d);
}

/* -- Dispatch -- */

enum { F_UA = 1, F_MEDIUM = 2 };   /* fails on unit attention / without medium */

typedef struct AtapiCmd {
    uint8_t op, flags;
    void (*fn)(IdeDrive *d);
} AtapiCmd;

static const AtapiCmd atapi_cmds[] = {
    { 0x00, F_UA | F_MEDIUM, cmd_test_unit_ready },
    { 0x03, 0, cmd_request_sense },
    { 0x12, 0, cmd_inquiry },
    { 0x1a, F_UA, cmd_mode_sense },
    { 0x1b, F_UA, cmd_start_stop },
    { 0x1e, F_UA, cmd_prevent_allow },
    { 0x25, F_UA | F_MEDIUM, cmd_read_capacity },
    { 0x28, F_UA | F_MEDIUM, cmd_read },
    { 0x43, F_UA | F_MEDIUM, cmd_read_toc },
    { 0x46, 0, cmd_get_configuration },
    { 0x4a, 0, cmd_get_event_status },
    { 0x51, F_UA | F_MEDIUM, cmd_read_disc_info },
    { 0x5a, F_UA, cmd_mode_sense },
    { 0xa8, F_UA | F_MEDIUM, cmd_read },
    { 0xbb, F_UA, cmd_set_speed },
    { 0xbd, F_UA, cmd_mechanism_status },
};

static void packet_received(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    const AtapiCmd *cmd = NULL;
    memcpy(c->cdb, d->buf, sizeof c->cdb);
    for (size_t i = 0; i < ARRAY_SIZE(atapi_cmds); i++)
        if (atapi_cmds[i].op == c->cdb[0])
            cmd = &atapi_cmds[i];
    if (c->cdb[0] != 0x03)
        c->sense_key = c->asc = c->ascq = 0;
    if (!cmd) {
        log_unimp("atapi: packet command %02xh", c->cdb[0]);
        atapi_check(d, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
        return;
    }
    if ((cmd->flags & F_UA) && c->unit_attention) {
        c->unit_attention = false;
        atapi_check(d, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
        return;
    }
    if ((cmd->flags & F_MEDIUM) && !has_media(d)) {
        atapi_check(d, SK_NOT_READY, ASC_NO_MEDIUM, c->tray_open ? 2 : 1);
        return;
    }
    cmd->fn(d);
}

/* PACKET: ask for the 12-byte command packet (ATA-6 9.9). With the 50 us
 * DRQ type of IDENTIFY PACKET word 0 there is no interrupt for it. */
void atapi_packet_cmd(IdeDrive *d)
{
    AtapiState *c = &d->cd;
    c->dma = d->feature & 1;
    c->byte_limit = d->lbam | d->lbah << 8;
    atapi_reset(d);
    ide_start_pio(d, sizeof c->cdb, true, packet_received);
    d->nsector = IR_COD;
}
