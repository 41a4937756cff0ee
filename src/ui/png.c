/* png.c — PNG writer for screendumps (see png.h).
 *
 * Layout (PNG spec 5.2-5.6): the 8-byte signature, then chunks of
 * {length (big-endian), type, data, CRC-32 over type and data}: IHDR, one or
 * more IDAT holding the zlib stream of filtered rows, IEND. Each row is a
 * filter-type byte (0, None) followed by width * 3 bytes R, G, B.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "ui/png.h"
#include "base/log.h"

#define IDAT_CHUNK (64 * 1024)

typedef struct PngOut {
    FILE *f;
    z_stream z;
    uint8_t *buf;       /* IDAT_CHUNK bytes of compressed output */
    bool failed;
} PngOut;


static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24;
    p[1] = v >> 16;
    p[2] = v >> 8;
    p[3] = v;
}

static void write_chunk(PngOut *o, const char *type, const uint8_t *data, uint32_t len)
{
    uint8_t hdr[8], crc[4];
    uLong c = crc32(0L, Z_NULL, 0);
    put_be32(hdr, len);
    memcpy(hdr + 4, type, 4);
    c = crc32(c, hdr + 4, 4);
    if (len)
        c = crc32(c, data, len);
    put_be32(crc, (uint32_t)c);
    if (fwrite(hdr, 1, 8, o->f) != 8 || (len && fwrite(data, 1, len, o->f) != len) ||
        fwrite(crc, 1, 4, o->f) != 4)
        o->failed = true;
}

/* Compress `len` bytes (flush at the end of the image) into IDAT chunks. */
static int deflate_some(PngOut *o, const uint8_t *in, size_t len, int flush)
{
    int ret;
    o->z.next_in = (Bytef *)in;
    o->z.avail_in = (uInt)len;
    do {
        ret = deflate(&o->z, flush);
        if (ret == Z_STREAM_ERROR)
            return -1;
        if (o->z.avail_out == 0 || (flush == Z_FINISH && o->z.avail_out < IDAT_CHUNK)) {
            write_chunk(o, "IDAT", o->buf, IDAT_CHUNK - o->z.avail_out);
            o->z.next_out = o->buf;
            o->z.avail_out = IDAT_CHUNK;
        }
    } while (o->z.avail_in || (flush == Z_FINISH && ret != Z_STREAM_END));
    return 0;
}

static void write_header(PngOut *o, const DisplaySurface *s)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    uint8_t ihdr[13];
    put_be32(ihdr, (uint32_t)s->width);
    put_be32(ihdr + 4, (uint32_t)s->height);
    ihdr[8] = 8;    /* bit depth */
    ihdr[9] = 2;    /* colour type: truecolour */
    ihdr[10] = 0;   /* compression: deflate */
    ihdr[11] = 0;   /* filter method 0 */
    ihdr[12] = 0;   /* no interlace */
    if (fwrite(sig, 1, 8, o->f) != 8)
        o->failed = true;
    write_chunk(o, "IHDR", ihdr, sizeof(ihdr));
}

static int write_rows(PngOut *o, const DisplaySurface *s, uint8_t *row)
{
    for (int y = 0; y < s->height; y++) {
        const uint32_t *px = (const uint32_t *)((const uint8_t *)s->pixels + (size_t)y * s->stride);
        row[0] = 0; /* filter: None */
        for (int x = 0; x < s->width; x++) {
            row[1 + 3 * x] = px[x] >> 16;
            row[2 + 3 * x] = px[x] >> 8;
            row[3 + 3 * x] = px[x];
        }
        if (deflate_some(o, row, 1 + 3 * (size_t)s->width,
                         y == s->height - 1 ? Z_FINISH : Z_NO_FLUSH) < 0)
            return -1;
    }
    return 0;
}

int png_write(const char *path, const DisplaySurface *s, char *err, size_t errlen)
{
    PngOut o = { 0 };
    uint8_t *row = NULL;
    int ret = -1;

    if (!s || s->width <= 0 || s->height <= 0 || !s->pixels) {
        set_error(err, errlen, "no image to write");
        return -1;
    }
    o.f = fopen(path, "wb");
    if (!o.f) {
        set_error(err, errlen, "cannot create '%s': %s", path, strerror(errno));
        return -1;
    }
    o.buf = malloc(IDAT_CHUNK);
    row = malloc(1 + 3 * (size_t)s->width);
    if (!o.buf || !row || deflateInit(&o.z, Z_DEFAULT_COMPRESSION) != Z_OK) {
        set_error(err, errlen, "out of memory");
        goto out;
    }
    o.z.next_out = o.buf;
    o.z.avail_out = IDAT_CHUNK;
    write_header(&o, s);
    if (write_rows(&o, s, row) < 0) {
        set_error(err, errlen, "deflate failed");
        goto out_z;
    }
    write_chunk(&o, "IEND", NULL, 0);
    ret = 0;
out_z:
    deflateEnd(&o.z);
out:
    if (fclose(o.f) != 0)
        o.failed = true;
    if (ret == 0 && o.failed) {
        set_error(err, errlen, "cannot write '%s': %s", path, strerror(errno));
        ret = -1;
    }
    free(row);
    free(o.buf);
    return ret;
}
