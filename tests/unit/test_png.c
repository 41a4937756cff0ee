/* test_png.c — the PNG writer, checked by parsing the file back: signature,
 * chunk CRCs (zlib crc32), IHDR fields and the inflated, unfiltered rows
 * (PNG spec: ISO/IEC 15948, sections 5 and 11.2). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include "unit/testlib.h"
#include "ui/png.h"

typedef struct Parsed {
    uint32_t width, height;
    uint8_t depth, colour, compression, filter, interlace;
    uint8_t *idat;
    size_t idat_len;
    int nidat, chunks;
    bool iend, crc_ok;
} Parsed;

static uint32_t be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    uint8_t *buf;
    ck_assert_ptr_nonnull(f);
    fseek(f, 0, SEEK_END);
    *len = (size_t)ftell(f);
    fseek(f, 0, SEEK_SET);
    buf = malloc(*len);
    ck_assert_uint_eq(fread(buf, 1, *len, f), *len);
    fclose(f);
    return buf;
}

static void parse_chunk(Parsed *p, const uint8_t *type, const uint8_t *data, uint32_t len)
{
    if (!memcmp(type, "IHDR", 4) && len == 13) {
        p->width = be32(data);
        p->height = be32(data + 4);
        p->depth = data[8];
        p->colour = data[9];
        p->compression = data[10];
        p->filter = data[11];
        p->interlace = data[12];
    } else if (!memcmp(type, "IDAT", 4)) {
        p->idat = realloc(p->idat, p->idat_len + len);
        memcpy(p->idat + p->idat_len, data, len);
        p->idat_len += len;
        p->nidat++;
    } else if (!memcmp(type, "IEND", 4)) {
        p->iend = true;
    }
}

static void parse(const uint8_t *buf, size_t len, Parsed *p)
{
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
    size_t pos = 8;
    memset(p, 0, sizeof(*p));
    p->crc_ok = true;
    ck_assert_uint_ge(len, 8);
    ck_assert_int_eq(memcmp(buf, sig, 8), 0);
    while (pos + 12 <= len && !p->iend) {
        uint32_t clen = be32(buf + pos);
        const uint8_t *type = buf + pos + 4;
        ck_assert_uint_le(pos + 12 + clen, len);
        if (crc32(crc32(0, NULL, 0), type, 4 + clen) != be32(type + 4 + clen))
            p->crc_ok = false;
        if (p->chunks == 0)
            ck_assert_int_eq(memcmp(type, "IHDR", 4), 0);
        parse_chunk(p, type, type + 4, clen);
        p->chunks++;
        pos += 12 + clen;
    }
    ck_assert_uint_eq(pos, len);    /* nothing after IEND */
}

/* Writes s, parses it back and returns the inflated scan lines. */
static uint8_t *roundtrip(const DisplaySurface *s, Parsed *p)
{
    char path[] = "/tmp/emu-png-XXXXXX", err[128];
    int fd = mkstemp(path);
    size_t len;
    uLongf raw_len = (uLongf)(1 + 3 * s->width) * s->height;
    uint8_t *buf, *raw = malloc(raw_len + 1);
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(png_write(path, s, err, sizeof(err)), 0);
    buf = slurp(path, &len);
    unlink(path);
    parse(buf, len, p);
    free(buf);
    uLongf got = raw_len + 1;
    ck_assert_int_eq(uncompress(raw, &got, p->idat, p->idat_len), Z_OK);
    ck_assert_uint_eq(got, raw_len);
    return raw;
}

START_TEST(test_png_small_image)
{
    uint32_t pix[2][4] = {
        { 0xff0000, 0x00ff00, 0x0000ff, 0xdeadbe },     /* 4th column: stride padding */
        { 0x123456, 0xffffff, 0x000000, 0xdeadbe },
    };
    DisplaySurface s = { .width = 3, .height = 2, .stride = 16, .pixels = &pix[0][0] };
    Parsed p;
    uint8_t *raw = roundtrip(&s, &p);
    static const uint8_t want[2][10] = {
        { 0, 0xff, 0, 0, 0, 0xff, 0, 0, 0, 0xff },
        { 0, 0x12, 0x34, 0x56, 0xff, 0xff, 0xff, 0, 0, 0 },
    };
    ck_assert(p.crc_ok);
    ck_assert(p.iend);
    ck_assert_uint_eq(p.width, 3);
    ck_assert_uint_eq(p.height, 2);
    ck_assert_uint_eq(p.depth, 8);
    ck_assert_uint_eq(p.colour, 2);
    ck_assert_uint_eq(p.compression, 0);
    ck_assert_uint_eq(p.filter, 0);
    ck_assert_uint_eq(p.interlace, 0);
    ck_assert_int_eq(memcmp(raw, want, sizeof(want)), 0);
    free(raw);
    free(p.idat);
}
END_TEST

START_TEST(test_png_large_image_many_idat)
{
    enum { W = 400, H = 300 };
    uint32_t *pix = malloc(W * H * 4);
    uint32_t seed = 12345;
    DisplaySurface s = { .width = W, .height = H, .stride = W * 4, .pixels = pix };
    Parsed p;
    for (int i = 0; i < W * H; i++) {
        seed = seed * 1103515245 + 12345;       /* incompressible noise */
        pix[i] = seed >> 8 & 0xffffff;
    }
    uint8_t *raw = roundtrip(&s, &p);
    ck_assert(p.crc_ok);
    ck_assert_int_gt(p.nidat, 1);
    for (int y = 0; y < H; y++) {
        const uint8_t *row = raw + (size_t)y * (1 + 3 * W);
        ck_assert_uint_eq(row[0], 0);
        for (int x = 0; x < W; x++) {
            uint32_t c = pix[y * W + x];
            uint32_t got = (uint32_t)row[1 + 3 * x] << 16 | row[2 + 3 * x] << 8 | row[3 + 3 * x];
            if (got != c)
                ck_abort_msg("pixel (%d,%d): %06x != %06x", x, y, got, c);
        }
    }
    free(raw);
    free(p.idat);
    free(pix);
}
END_TEST

START_TEST(test_png_errors)
{
    uint32_t px = 0;
    DisplaySurface s = { .width = 1, .height = 1, .stride = 4, .pixels = &px };
    DisplaySurface empty = { 0 };
    char err[128] = "";
    ck_assert_int_eq(png_write("/nonexistent-dir/x.png", &s, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x.png"));
    ck_assert_int_eq(png_write("/tmp/never.png", &empty, err, sizeof(err)), -1);
}
END_TEST

TEST_SUITE(png)
{
    Suite *s = suite_create("png");
    TCase *tc = tcase_create("png");
    tcase_add_test(tc, test_png_small_image);
    tcase_add_test(tc, test_png_large_image_many_idat);
    tcase_add_test(tc, test_png_errors);
    suite_add_tcase(s, tc);
    return s;
}
