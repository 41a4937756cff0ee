/* test_vga.c — the VGA adapter: registers, planar memory, rendering, VBE,
 * dirty tracking and dumps, on a bare bus with an instruction-count clock.
 *
 * Register values for modes 3, 12h and 13h are the IBM VGA BIOS parameter
 * tables (IBM VGA Technical Reference, "Video Parameter Table"); expected
 * pixels are computed here from the font and palette the test loads, with
 * the CGA colours (0x00/0x55/0xAA/0xFF per channel) written to the 6-bit DAC
 * as 0/21/42/63.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "hw/vga.h"
#include "hw/pci.h"
#include "hw/firmware.h"

typedef struct Rig {
    Bus *bus;
    MemMap *mem;
    VClock *clock;
    PciBus *pb;
    Vga *vga;
    DisplayDevice *dd;
    uint64_t icount;
} Rig;

static uint64_t get_icount(void *opaque) { return *(uint64_t *)opaque; }

static Rig *rig_new(bool pci)
{
    Rig *r = calloc(1, sizeof(*r));
    r->bus = bus_new();
    r->mem = bus_memmap(r->bus);
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_icount, &r->icount, 0); /* 1 ns per insn */
    if (pci)
        r->pb = pci_bus_new(r->bus, NULL, NULL);
    r->vga = vga_new(r->bus, r->pb, PCI_DEVFN(2, 0), r->clock, NULL);
    r->dd = vga_display(r->vga);
    return r;
}

static void rig_free(Rig *r)
{
    vga_free(r->vga);
    if (r->pb)
        pci_bus_free(r->pb);
    bus_free(r->bus);
    vclock_free(r->clock);
    free(r);
}

static void outb(Rig *r, uint16_t port, uint8_t v) { bus_io_write(r->bus, port, v, 1); }
static uint8_t inb(Rig *r, uint16_t port) { return (uint8_t)bus_io_read(r->bus, port, 1); }
static void wr(Rig *r, uint16_t port, uint8_t idx, uint8_t v) { outb(r, port, idx); outb(r, port + 1, v); }
static void memb(Rig *r, uint32_t a, uint8_t v) { memmap_write(r->mem, a, v, 1); }
static uint8_t rdb(Rig *r, uint32_t a) { return (uint8_t)memmap_read(r->mem, a, 1); }

static void dispi(Rig *r, uint16_t idx, uint16_t v)
{
    bus_io_write(r->bus, 0x1ce, idx, 2);
    bus_io_write(r->bus, 0x1cf, v, 2);
}

static uint16_t dispi_rd(Rig *r, uint16_t idx)
{
    bus_io_write(r->bus, 0x1ce, idx, 2);
    return (uint16_t)bus_io_read(r->bus, 0x1cf, 2);
}

/* --- Mode tables (IBM VGA BIOS parameters) ------------------------------------- */

typedef struct ModeRegs {
    uint8_t misc, sr[4], cr[25], ar[21], gr[9];
} ModeRegs;

static const ModeRegs mode3 = {
    0x67, { 0x00, 0x03, 0x00, 0x02 },
    { 0x5f, 0x4f, 0x50, 0x82, 0x55, 0x81, 0xbf, 0x1f, 0x00, 0x4f, 0x0d, 0x0e, 0x00, 0x00,
      0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x1f, 0x96, 0xb9, 0xa3, 0xff },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d,
      0x3e, 0x3f, 0x0c, 0x00, 0x0f, 0x08, 0x00 },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x10, 0x0e, 0x0f, 0xff },
};

static const ModeRegs mode12 = {
    0xe3, { 0x01, 0x0f, 0x00, 0x06 },
    { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0x0b, 0x3e, 0x00, 0x40, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x59, 0xea, 0x8c, 0xdf, 0x28, 0x00, 0xe7, 0x04, 0xe3, 0xff },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x14, 0x07, 0x38, 0x39, 0x3a, 0x3b, 0x3c, 0x3d,
      0x3e, 0x3f, 0x01, 0x00, 0x0f, 0x00, 0x00 },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x05, 0x0f, 0xff },
};

static const ModeRegs mode13 = {
    0x63, { 0x01, 0x0f, 0x00, 0x0e },
    { 0x5f, 0x4f, 0x50, 0x82, 0x54, 0x80, 0xbf, 0x1f, 0x00, 0x41, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x9c, 0x8e, 0x8f, 0x28, 0x40, 0x96, 0xb9, 0xa3, 0xff },
    { 0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c, 0x0d,
      0x0e, 0x0f, 0x41, 0x00, 0x0f, 0x00, 0x00 },
    { 0x00, 0x00, 0x00, 0x00, 0x00, 0x40, 0x05, 0x0f, 0xff },
};

/* As the BIOS does it: sequencer, misc, CRTC (unprotected), attributes
 * (flip-flop reset through 3DA), graphics controller, then video on. */
static void set_mode(Rig *r, const ModeRegs *m)
{
    wr(r, 0x3c4, 0, 0x01);
    for (int i = 0; i < 4; i++)
        wr(r, 0x3c4, i + 1, m->sr[i]);
    outb(r, 0x3c2, m->misc);
    wr(r, 0x3c4, 0, 0x03);
    wr(r, 0x3d4, 0x11, 0x00);
    for (int i = 0; i < 25; i++)
        wr(r, 0x3d4, i, m->cr[i]);
    inb(r, 0x3da);
    for (int i = 0; i < 21; i++) {
        outb(r, 0x3c0, i);
        outb(r, 0x3c0, m->ar[i]);
    }
    for (int i = 0; i < 9; i++)
        wr(r, 0x3ce, i, m->gr[i]);
    outb(r, 0x3c0, 0x20);
}

/* The 16 CGA colours as 8-bit RGB. */
static const uint32_t cga_rgb[16] = {
    0x000000, 0x0000aa, 0x00aa00, 0x00aaaa, 0xaa0000, 0xaa00aa, 0xaa5500, 0xaaaaaa,
    0x555555, 0x5555ff, 0x55ff55, 0x55ffff, 0xff5555, 0xff55ff, 0xffff55, 0xffffff,
};

static uint8_t to6(uint32_t c8) { return c8 == 0xff ? 63 : c8 == 0xaa ? 42 : c8 == 0x55 ? 21 : 0; }

static void dac_set(Rig *r, uint8_t index, uint32_t rgb)
{
    outb(r, 0x3c8, index);
    outb(r, 0x3c9, to6(rgb >> 16 & 0xff));
    outb(r, 0x3c9, to6(rgb >> 8 & 0xff));
    outb(r, 0x3c9, to6(rgb & 0xff));
}

/* Colour i of the 16-colour modes goes through palette register ar[i]. */
static void load_cga_palette(Rig *r, const ModeRegs *m)
{
    for (int i = 0; i < 16; i++)
        dac_set(r, m->ar[i], cga_rgb[i]);
}

/* --- Text mode -------------------------------------------------------------------- */

static uint8_t test_font[256][16];

static void make_font(void)
{
    for (int c = 0; c < 256; c++)
        for (int l = 0; l < 16; l++)
            test_font[c][l] = (uint8_t)((c * 7 + l * 13) ^ ((l & 1) ? 0x5a : 0xa5));
    for (int l = 0; l < 16; l++)
        test_font[0xc4][l] = (l == 7 || l == 8) ? 0xff : 0x00;   /* ─ */
    for (int l = 0; l < 16; l++)
        test_font[0][l] = test_font[' '][l] = 0;
}

/* As the BIOS loads a font: plane 2 only, sequential addressing at A0000,
 * write mode 0, 32 bytes per character. */
static void load_font(Rig *r)
{
    wr(r, 0x3c4, 2, 0x04);
    wr(r, 0x3c4, 4, 0x07);
    wr(r, 0x3ce, 4, 0x02);
    wr(r, 0x3ce, 5, 0x00);
    wr(r, 0x3ce, 6, 0x04);
    for (int c = 0; c < 256; c++)
        for (int l = 0; l < 16; l++)
            memb(r, 0xa0000 + c * 32 + l, test_font[c][l]);
    wr(r, 0x3c4, 2, 0x03);
    wr(r, 0x3c4, 4, 0x02);
    wr(r, 0x3ce, 4, 0x00);
    wr(r, 0x3ce, 5, 0x10);
    wr(r, 0x3ce, 6, 0x0e);
}

static uint16_t screen[25][80];

static void put_text(Rig *r, int row, int col, const char *s, uint8_t attr)
{
    for (; *s; s++, col++) {
        screen[row][col] = (uint8_t)*s | attr << 8;
        memb(r, 0xb8000 + (row * 80 + col) * 2, (uint8_t)*s);
        memb(r, 0xb8000 + (row * 80 + col) * 2 + 1, attr);
    }
}

enum { CUR_ROW = 3, CUR_COL = 5 };

static Rig *text_rig(void)
{
    Rig *r = rig_new(false);
    make_font();
    memset(screen, 0, sizeof(screen));
    set_mode(r, &mode3);
    load_cga_palette(r, &mode3);
    load_font(r);
    put_text(r, 0, 0, "Hello, VGA!", 0x1f);
    put_text(r, 1, 0, "\xc4\xc4\xb3" "A", 0x07);
    put_text(r, 2, 10, "blink", 0x8e);
    put_text(r, 24, 79, "Z", 0x4a);
    put_text(r, CUR_ROW, CUR_COL, "c", 0x07);
    wr(r, 0x3d4, 0x0e, (CUR_ROW * 80 + CUR_COL) >> 8);
    wr(r, 0x3d4, 0x0f, (CUR_ROW * 80 + CUR_COL) & 0xff);
    return r;
}

/* IBM VGA text: 9 dots per character, dot 9 repeats dot 8 for C0-DF
 * (AR10 bit 2), background otherwise; bit 7 of the attribute blinks (AR10
 * bit 3); the cursor fills scan lines CR0A..CR0B (13..14). */
static uint32_t expected_text_pixel(int x, int y, bool blink_on, bool cursor_on)
{
    int row = y / 16, col = x / 9, line = y % 16, dot = x % 9;
    uint8_t ch = screen[row][col] & 0xff, attr = screen[row][col] >> 8;
    unsigned fg = attr & 15, bg = (attr >> 4) & 7;
    uint8_t bits = test_font[ch][line];
    bool on;

    if ((attr & 0x80) && !blink_on)
        fg = bg;
    if (cursor_on && row == CUR_ROW && col == CUR_COL && line >= 13 && line <= 14)
        return cga_rgb[fg];
    if (dot < 8)
        on = bits >> (7 - dot) & 1;
    else
        on = ch >= 0xc0 && ch <= 0xdf && (bits & 1);
    return cga_rgb[on ? fg : bg];
}

static int compare_text(const DisplaySurface *s, bool blink_on, bool cursor_on)
{
    int bad = 0;
    for (int y = 0; y < 400; y++)
        for (int x = 0; x < 720; x++) {
            uint32_t want = expected_text_pixel(x, y, blink_on, cursor_on);
            uint32_t got = s->pixels[y * (s->stride / 4) + x];
            if (got != want && bad++ == 0)
                fprintf(stderr, "text pixel (%d,%d): got %06x want %06x\n", x, y, got, want);
        }
    return bad;
}

typedef struct Rects {
    int n, resizes;
    int x[64], y[64], w[64], h[64];
} Rects;

static void on_update(void *o, const DisplaySurface *s, int x, int y, int w, int h)
{
    Rects *r = o;
    if (r->n < 64) {
        r->x[r->n] = x;
        r->y[r->n] = y;
        r->w[r->n] = w;
        r->h[r->n] = h;
    }
    r->n++;
}

static void on_resize(void *o, const DisplaySurface *s) { ((Rects *)o)->resizes++; }

START_TEST(test_vga_text_mode3_render)
{
    Rig *r = text_rig();
    Rects rc = { 0 };
    DisplayListener l = { &rc, on_resize, on_update };
    display_update(r->dd, &l);
    const DisplaySurface *s = display_surface(r->dd);
    ck_assert_int_eq(s->width, 720);
    ck_assert_int_eq(s->height, 400);
    ck_assert_int_eq(rc.resizes, 1);
    ck_assert_int_eq(compare_text(s, true, true), 0);
    /* One unchanged frame later: nothing to redraw. */
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_int_eq(rc.n, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_text_blink_and_cursor_phase)
{
    Rig *r = text_rig();
    Rects rc = { 0 };
    DisplayListener l = { &rc, on_resize, on_update };
    /* Mode 3 frame: 100 chars x 9 dots at 28.322 MHz, 449 lines (70 Hz). */
    int64_t line_ns = 100 * 9 * NS_PER_SEC / 28322000, frame = line_ns * 449;
    display_update(r->dd, &l);
    /* Frame 8: the cursor (16-frame period) is off, characters still on. */
    r->icount = 8 * frame + 10;
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_int_eq(compare_text(display_surface(r->dd), true, false), 0);
    ck_assert_int_eq(rc.n, 1);
    ck_assert_int_eq(rc.x[0], CUR_COL * 9);
    ck_assert_int_eq(rc.y[0], CUR_ROW * 16);
    ck_assert_int_eq(rc.w[0], 9);
    ck_assert_int_eq(rc.h[0], 16);
    /* Frame 16: blinking characters off (32-frame period), cursor on again. */
    r->icount = 16 * frame + 10;
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_int_eq(compare_text(display_surface(r->dd), false, true), 0);
    ck_assert_int_eq(rc.n, 2);     /* the cursor cell's row, the blink row */
    rig_free(r);
}
END_TEST

START_TEST(test_vga_text_dirty_cell)
{
    Rig *r = text_rig();
    Rects rc = { 0 };
    DisplayListener l = { &rc, on_resize, on_update };
    display_update(r->dd, &l);
    rc.n = 0;
    put_text(r, 20, 33, "x", 0x2e);
    display_update(r->dd, &l);
    ck_assert_int_eq(rc.n, 1);
    ck_assert_int_eq(rc.x[0], 33 * 9);
    ck_assert_int_eq(rc.y[0], 20 * 16);
    ck_assert_int_eq(rc.w[0], 9);
    ck_assert_int_eq(rc.h[0], 16);
    ck_assert_int_eq(compare_text(display_surface(r->dd), true, true), 0);
    /* A font change redraws everything. */
    wr(r, 0x3c4, 2, 0x04);
    wr(r, 0x3c4, 4, 0x07);
    wr(r, 0x3ce, 4, 0x02);
    wr(r, 0x3ce, 5, 0x00);
    wr(r, 0x3ce, 6, 0x04);
    test_font['H'][3] ^= 0xff;
    memb(r, 0xa0000 + 'H' * 32 + 3, test_font['H'][3]);
    wr(r, 0x3c4, 2, 0x03);
    wr(r, 0x3c4, 4, 0x02);
    wr(r, 0x3ce, 4, 0x00);
    wr(r, 0x3ce, 5, 0x10);
    wr(r, 0x3ce, 6, 0x0e);
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_int_ge(rc.n, 1);
    ck_assert_int_eq(compare_text(display_surface(r->dd), true, true), 0);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_text_geometries)
{
    Rig *r = text_rig();
    DisplayText t;
    ck_assert(display_text(r->dd, &t));
    ck_assert_int_eq(t.cols, 80);
    ck_assert_int_eq(t.rows, 25);
    ck_assert(t.cursor_visible);
    ck_assert_int_eq(t.cursor_row, CUR_ROW);
    ck_assert_int_eq(t.cursor_col, CUR_COL);
    ck_assert_uint_eq(t.cells[0], 'H' | 0x1f << 8);
    /* 80x50: 8 scan lines per row (CR09 = 0x47) over the same 400 lines. */
    wr(r, 0x3d4, 0x09, 0x47);
    ck_assert(display_text(r->dd, &t));
    ck_assert_int_eq(t.rows, 50);
    display_update(r->dd, NULL);
    ck_assert_int_eq(display_surface(r->dd)->height, 400);
    /* 40x25: CR01 = 0x27 and the dot clock halved (SR01 bit 3): 18-dot cells. */
    wr(r, 0x3d4, 0x09, 0x4f);
    wr(r, 0x3d4, 0x11, 0x0e);                   /* unprotect CR00-07 */
    wr(r, 0x3d4, 0x01, 0x27);
    wr(r, 0x3c4, 0x01, 0x08);
    ck_assert(display_text(r->dd, &t));
    ck_assert_int_eq(t.cols, 40);
    display_update(r->dd, NULL);
    ck_assert_int_eq(display_surface(r->dd)->width, 720);
    /* 8-dot characters (SR01 bit 0) at 80 columns: 640 wide. */
    wr(r, 0x3d4, 0x01, 0x4f);
    wr(r, 0x3c4, 0x01, 0x01);
    display_update(r->dd, NULL);
    ck_assert_int_eq(display_surface(r->dd)->width, 640);
    /* Graphics modes have no text. */
    set_mode(r, &mode12);
    ck_assert(!display_text(r->dd, &t));
    rig_free(r);
}
END_TEST

START_TEST(test_vga_text_dump)
{
    Rig *r = text_rig();
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    char want[256];
    ck_assert_int_eq(vga_screendump_text(r->vga, f), 0);
    fclose(f);
    /* ─ U+2500 and │ U+2502 are CP437 C4 and B3. */
    snprintf(want, sizeof(want), "Hello, VGA!\n\xe2\x94\x80\xe2\x94\x80\xe2\x94\x82" "A\n"
             "          blink\n     c\n\n");
    ck_assert_int_eq(strncmp(buf, want, strlen(want)), 0);
    /* 25 lines; the last ends in column 80 with Z. */
    int lines = 0;
    for (size_t i = 0; i < len; i++)
        lines += buf[i] == '\n';
    ck_assert_int_eq(lines, 25);
    ck_assert_int_eq(buf[len - 2], 'Z');
    ck_assert_int_eq(buf[len - 3], ' ');
    free(buf);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_screendump_png)
{
    Rig *r = text_rig();
    char path[] = "/tmp/emu-vga-XXXXXX", err[128];
    int fd = mkstemp(path);
    uint8_t hdr[24];
    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(vga_screendump_png(r->vga, path, err, sizeof(err)), 0);
    FILE *f = fopen(path, "rb");
    ck_assert_int_eq(fread(hdr, 1, 24, f), 24);
    fclose(f);
    unlink(path);
    ck_assert_int_eq(memcmp(hdr, "\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16), 0);
    ck_assert_uint_eq(hdr[16] << 24 | hdr[17] << 16 | hdr[18] << 8 | hdr[19], 720);
    ck_assert_uint_eq(hdr[20] << 24 | hdr[21] << 16 | hdr[22] << 8 | hdr[23], 400);
    rig_free(r);
}
END_TEST

/* --- Registers --------------------------------------------------------------------- */

START_TEST(test_vga_dac_read_write)
{
    Rig *r = rig_new(false);
    outb(r, 0x3c8, 5);
    outb(r, 0x3c9, 10);
    outb(r, 0x3c9, 20);
    outb(r, 0x3c9, 0xff);           /* 6-bit DAC: 0x3f */
    outb(r, 0x3c9, 1);              /* index 6 */
    outb(r, 0x3c9, 2);
    outb(r, 0x3c9, 3);
    ck_assert_uint_eq(inb(r, 0x3c8), 7);
    ck_assert_uint_eq(inb(r, 0x3c7) & 3, 0);    /* write mode */
    outb(r, 0x3c7, 5);
    ck_assert_uint_eq(inb(r, 0x3c7) & 3, 3);    /* read mode */
    ck_assert_uint_eq(inb(r, 0x3c9), 10);
    ck_assert_uint_eq(inb(r, 0x3c9), 20);
    ck_assert_uint_eq(inb(r, 0x3c9), 0x3f);
    ck_assert_uint_eq(inb(r, 0x3c9), 1);
    ck_assert_uint_eq(inb(r, 0x3c9), 2);
    ck_assert_uint_eq(inb(r, 0x3c9), 3);
    /* Index wraps from 255 to 0. */
    outb(r, 0x3c8, 0xff);
    for (int i = 0; i < 6; i++)
        outb(r, 0x3c9, 30 + i);
    outb(r, 0x3c7, 0);
    ck_assert_uint_eq(inb(r, 0x3c9), 33);
    ck_assert_uint_eq(inb(r, 0x3c6), 0xff);     /* pixel mask at reset */
    rig_free(r);
}
END_TEST

START_TEST(test_vga_attribute_flipflop_and_crtc_protect)
{
    Rig *r = rig_new(false);
    outb(r, 0x3c2, 0x01);                       /* colour: CRTC at 3D4 */
    inb(r, 0x3da);
    outb(r, 0x3c0, 0x01);
    outb(r, 0x3c0, 0x15);
    ck_assert_uint_eq(inb(r, 0x3c1), 0x15);
    outb(r, 0x3c0, 0x21);                       /* the flip-flop points at index */
    ck_assert_uint_eq(inb(r, 0x3c0), 0x21);
    outb(r, 0x3c0, 0x2a);                       /* data for palette 1 */
    ck_assert_uint_eq(inb(r, 0x3c1), 0x2a);
    inb(r, 0x3da);                              /* reset to index */
    outb(r, 0x3c0, 0x22);
    ck_assert_uint_eq(inb(r, 0x3c0), 0x22);
    /* CRTC: CR11 bit 7 protects CR00-07 except CR07 bit 4. */
    wr(r, 0x3d4, 0x00, 0x5f);
    wr(r, 0x3d4, 0x07, 0x00);
    wr(r, 0x3d4, 0x11, 0x80);
    wr(r, 0x3d4, 0x00, 0x12);
    wr(r, 0x3d4, 0x07, 0xff);
    outb(r, 0x3d4, 0x00);
    ck_assert_uint_eq(inb(r, 0x3d5), 0x5f);
    outb(r, 0x3d4, 0x07);
    ck_assert_uint_eq(inb(r, 0x3d5), 0x10);
    /* Mono addresses are dead while the colour ones are selected. */
    ck_assert_uint_eq(inb(r, 0x3b5), 0xff);
    outb(r, 0x3c2, 0x00);
    outb(r, 0x3b4, 0x00);
    ck_assert_uint_eq(inb(r, 0x3b5), 0x5f);
    ck_assert_uint_eq(inb(r, 0x3cc), 0x00);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_retrace_on_virtual_time)
{
    Rig *r = rig_new(false);
    int64_t line_ns = 100 * 9 * NS_PER_SEC / 28322000;
    set_mode(r, &mode3);
    /* Mode 3: 400 displayed lines, retrace from line 412 for 2 lines
     * (CR10 = 0x9c + bit 8, CR11 3:0 = 0xe). */
    r->icount = 100 * line_ns + 100;
    ck_assert_uint_eq(inb(r, 0x3da) & 0x09, 0x00);
    r->icount = 100 * line_ns + 28000;          /* past 80 x 9 dots: h-blank */
    ck_assert_uint_eq(inb(r, 0x3da) & 0x09, 0x01);
    r->icount = 405 * line_ns + 100;            /* vertical blank */
    ck_assert_uint_eq(inb(r, 0x3da) & 0x09, 0x01);
    r->icount = 412 * line_ns + 100;
    ck_assert_uint_eq(inb(r, 0x3da) & 0x09, 0x09);
    r->icount = 414 * line_ns + 100;
    ck_assert_uint_eq(inb(r, 0x3da) & 0x08, 0x00);
    /* A polling loop sees the retrace begin and end within a frame. */
    int seen = 0, prev = 0;
    for (r->icount = 0; r->icount < 449 * (uint64_t)line_ns; r->icount += 5000) {
        int vr = inb(r, 0x3da) & 8;
        seen += vr != prev;
        prev = vr;
    }
    ck_assert_int_eq(seen, 2);
    rig_free(r);
}
END_TEST

/* --- Planar memory ----------------------------------------------------------------- */

static void planar_setup(Rig *r)
{
    set_mode(r, &mode12);
}

static uint8_t read_plane(Rig *r, uint32_t a, int plane)
{
    wr(r, 0x3ce, 5, 0x00);
    wr(r, 0x3ce, 4, plane);
    return rdb(r, a);
}

START_TEST(test_vga_write_modes)
{
    Rig *r = rig_new(false);
    planar_setup(r);
    /* Mode 0 with set/reset on all planes: 0101b -> planes 0,2 all ones. */
    wr(r, 0x3ce, 1, 0x0f);
    wr(r, 0x3ce, 0, 0x05);
    memb(r, 0xa0000, 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 0), 0xff);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 1), 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 2), 0xff);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 3), 0x00);
    /* Bit mask 0x0f keeps the latched upper bits: set/reset 1010b. */
    rdb(r, 0xa0000);
    wr(r, 0x3ce, 0, 0x0a);
    wr(r, 0x3ce, 8, 0x0f);
    memb(r, 0xa0000, 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 0), 0xf0);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 1), 0x0f);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 2), 0xf0);
    ck_assert_uint_eq(read_plane(r, 0xa0000, 3), 0x0f);
    /* Mode 0, rotate right by 4, XOR with the latches. */
    wr(r, 0x3ce, 1, 0x00);
    wr(r, 0x3ce, 8, 0xff);
    wr(r, 0x3ce, 3, 0x18 | 4);
    rdb(r, 0xa0001);
    memb(r, 0xa0001, 0x12);
    for (int p = 0; p < 4; p++)
        ck_assert_uint_eq(read_plane(r, 0xa0001, p), 0x21);
    rdb(r, 0xa0001);
    memb(r, 0xa0001, 0x12);
    ck_assert_uint_eq(read_plane(r, 0xa0001, 2), 0x00);
    wr(r, 0x3ce, 3, 0x00);
    /* Mode 1 copies the latches. */
    wr(r, 0x3ce, 5, 0x01);
    rdb(r, 0xa0000);
    memb(r, 0xa0002, 0x55);
    for (int p = 0; p < 4; p++)
        ck_assert_uint_eq(read_plane(r, 0xa0002, p), (p & 1) ? 0x0f : 0xf0);
    /* Mode 2: CPU bits 3:0 fill the planes, through the bit mask. */
    rdb(r, 0xa0003);
    wr(r, 0x3ce, 5, 0x02);
    wr(r, 0x3ce, 8, 0x3c);
    memb(r, 0xa0003, 0x09);
    ck_assert_uint_eq(read_plane(r, 0xa0003, 0), 0x3c);
    ck_assert_uint_eq(read_plane(r, 0xa0003, 1), 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0003, 2), 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0003, 3), 0x3c);
    /* Mode 3: set/reset data, rotated CPU data AND bit mask as the mask. */
    rdb(r, 0xa0004);
    wr(r, 0x3ce, 5, 0x03);
    wr(r, 0x3ce, 0, 0x06);
    wr(r, 0x3ce, 8, 0x7e);
    memb(r, 0xa0004, 0xf0);
    ck_assert_uint_eq(read_plane(r, 0xa0004, 0), 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0004, 1), 0x70);
    ck_assert_uint_eq(read_plane(r, 0xa0004, 2), 0x70);
    ck_assert_uint_eq(read_plane(r, 0xa0004, 3), 0x00);
    /* The map mask limits the planes written. */
    wr(r, 0x3ce, 5, 0x00);
    wr(r, 0x3ce, 8, 0xff);
    wr(r, 0x3c4, 2, 0x04);
    memb(r, 0xa0005, 0xaa);
    ck_assert_uint_eq(read_plane(r, 0xa0005, 0), 0x00);
    ck_assert_uint_eq(read_plane(r, 0xa0005, 2), 0xaa);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_read_mode_1)
{
    Rig *r = rig_new(false);
    planar_setup(r);
    /* Planes at A0000: f0 0f f0 0f (set/reset 1010b through mask 0x0f over 0101b). */
    wr(r, 0x3ce, 1, 0x0f);
    wr(r, 0x3ce, 0, 0x05);
    memb(r, 0xa0000, 0);
    rdb(r, 0xa0000);
    wr(r, 0x3ce, 0, 0x0a);
    wr(r, 0x3ce, 8, 0x0f);
    memb(r, 0xa0000, 0);
    wr(r, 0x3ce, 5, 0x08);
    wr(r, 0x3ce, 7, 0x0f);
    wr(r, 0x3ce, 2, 0x05);      /* colour 0101b: where p0=1 p1=0 p2=1 p3=0 */
    ck_assert_uint_eq(rdb(r, 0xa0000), 0xf0);
    wr(r, 0x3ce, 2, 0x0a);
    ck_assert_uint_eq(rdb(r, 0xa0000), 0x0f);
    wr(r, 0x3ce, 2, 0x09);
    ck_assert_uint_eq(rdb(r, 0xa0000), 0x00);
    wr(r, 0x3ce, 7, 0x01);      /* only plane 0 compared */
    wr(r, 0x3ce, 2, 0x01);
    ck_assert_uint_eq(rdb(r, 0xa0000), 0xf0);
    wr(r, 0x3ce, 7, 0x00);      /* nothing compared: all match */
    ck_assert_uint_eq(rdb(r, 0xa0000), 0xff);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_odd_even_and_chain4_addressing)
{
    Rig *r = rig_new(false);
    set_mode(r, &mode3);
    /* Odd/even: even bytes in plane 0, odd in plane 1, at offset a & ~1. */
    memb(r, 0xb8000 + 0x40, 0x41);
    memb(r, 0xb8000 + 0x41, 0x1e);
    ck_assert_uint_eq(rdb(r, 0xb8041), 0x1e);
    wr(r, 0x3c4, 4, 0x06);      /* sequential */
    wr(r, 0x3ce, 6, 0x04);      /* A0000, 64K */
    ck_assert_uint_eq(read_plane(r, 0xa0040, 0), 0x41);
    ck_assert_uint_eq(read_plane(r, 0xa0040, 1), 0x1e);
    /* Text mode decodes only B8000-BFFFF: A0000 reads float high. */
    set_mode(r, &mode3);
    ck_assert_uint_eq(rdb(r, 0xa0000), 0xff);
    /* Chain 4: plane a & 3 at offset a & ~3. */
    set_mode(r, &mode13);
    memb(r, 0xa0000 + 965, 0x2a);
    ck_assert_uint_eq(rdb(r, 0xa0000 + 965), 0x2a);
    wr(r, 0x3c4, 4, 0x06);
    ck_assert_uint_eq(read_plane(r, 0xa0000 + 964, 1), 0x2a);
    ck_assert_uint_eq(read_plane(r, 0xa0000 + 965, 1), 0x00);
    rig_free(r);
}
END_TEST

/* --- Graphics rendering -------------------------------------------------------------- */

static uint32_t px(Rig *r, int x, int y)
{
    const DisplaySurface *s = display_surface(r->dd);
    return s->pixels[y * (s->stride / 4) + x];
}

START_TEST(test_vga_mode12_render)
{
    Rig *r = rig_new(false);
    Rects rc = { 0 };
    DisplayListener l = { &rc, on_resize, on_update };
    set_mode(r, &mode12);
    load_cga_palette(r, &mode12);
    display_update(r->dd, &l);
    ck_assert_int_eq(display_surface(r->dd)->width, 640);
    ck_assert_int_eq(display_surface(r->dd)->height, 480);
    /* Pixel (10, 2) in colour 12 with write mode 2: byte 2 * 80 + 1, bit 5. */
    wr(r, 0x3ce, 5, 0x02);
    wr(r, 0x3ce, 8, 0x20);
    rdb(r, 0xa0000 + 161);
    memb(r, 0xa0000 + 161, 12);
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_uint_eq(px(r, 10, 2), cga_rgb[12]);
    ck_assert_uint_eq(px(r, 9, 2), cga_rgb[0]);
    ck_assert_uint_eq(px(r, 11, 2), cga_rgb[0]);
    ck_assert_uint_eq(px(r, 10, 1), cga_rgb[0]);
    /* Only the lines reading that page were redrawn: a page is 4096 bytes
     * of interleaved planes = 1024 plane bytes = 12.8 lines of 80. */
    ck_assert_int_eq(rc.n, 1);
    ck_assert_int_eq(rc.y[0], 0);
    ck_assert_int_le(rc.h[0], 13);
    /* Palette change: everything redrawn in the new colour. */
    dac_set(r, mode12.ar[12], 0x00aa00);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 10, 2), 0x00aa00);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_mode13_render)
{
    Rig *r = rig_new(false);
    set_mode(r, &mode13);
    dac_set(r, 0x2a, 0xff55ff);
    memb(r, 0xa0000 + 3 * 320 + 5, 0x2a);
    memb(r, 0xa0000 + 199 * 320 + 319, 0x2a);
    display_update(r->dd, NULL);
    ck_assert_int_eq(display_surface(r->dd)->width, 320);
    ck_assert_int_eq(display_surface(r->dd)->height, 200);
    ck_assert_uint_eq(px(r, 5, 3), 0xff55ff);
    ck_assert_uint_eq(px(r, 4, 3), 0);
    ck_assert_uint_eq(px(r, 6, 3), 0);
    ck_assert_uint_eq(px(r, 319, 199), 0xff55ff);
    /* Pixel mask 3C6 masks the DAC index: 0x2a & 0x0f = 0x0a (black). */
    outb(r, 0x3c6, 0x0f);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 5, 3), 0);
    /* Palette address source off blanks the screen. */
    outb(r, 0x3c6, 0xff);
    inb(r, 0x3da);
    outb(r, 0x3c0, 0x00);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 5, 3), 0);
    inb(r, 0x3da);
    outb(r, 0x3c0, 0x20);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 5, 3), 0xff55ff);
    rig_free(r);
}
END_TEST

/* --- Bochs VBE --------------------------------------------------------------------- */

START_TEST(test_vga_vbe_registers)
{
    Rig *r = rig_new(false);
    dispi(r, 0, 0xb0c0);
    ck_assert_uint_eq(dispi_rd(r, 0), 0xb0c0);
    dispi(r, 0, 0x1234);                        /* not an ID: ignored */
    ck_assert_uint_eq(dispi_rd(r, 0), 0xb0c0);
    dispi(r, 0, 0xb0c5);
    ck_assert_uint_eq(dispi_rd(r, 0), 0xb0c5);
    ck_assert_uint_eq(dispi_rd(r, 0x0a), 256);  /* 16 MiB in 64K units */
    dispi(r, 1, 800);
    dispi(r, 4, 0x02);                          /* GETCAPS */
    ck_assert_uint_eq(dispi_rd(r, 1), 16000);
    ck_assert_uint_eq(dispi_rd(r, 3), 32);
    dispi(r, 4, 0x00);
    ck_assert_uint_eq(dispi_rd(r, 1), 800);
    dispi(r, 5, 300);                           /* beyond 256 banks: masked */
    ck_assert_uint_eq(dispi_rd(r, 5), 300 & 255);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_vbe_banked_and_depths)
{
    Rig *r = rig_new(false);
    set_mode(r, &mode12);       /* GR06 = A0000 64K, as the BIOS leaves it */
    dispi(r, 1, 640);
    dispi(r, 2, 480);
    dispi(r, 3, 8);
    dispi(r, 4, 0x01);
    dac_set(r, 0x77, 0x55ffff);
    dispi(r, 5, 1);
    memb(r, 0xa0005, 0x77);                     /* linear byte 65541 */
    display_update(r->dd, NULL);
    ck_assert_int_eq(display_surface(r->dd)->width, 640);
    ck_assert_uint_eq(px(r, 65541 % 640, 65541 / 640), 0x55ffff);
    ck_assert_uint_eq(rdb(r, 0xa0005), 0x77);
    /* 16 bpp 5:6:5 and 24 bpp B,G,R through the LFB at 0xe0000000. */
    dispi(r, 4, 0x00);
    dispi(r, 3, 16);
    dispi(r, 4, 0x41);
    memmap_write(r->mem, 0xe0000000 + (10 * 640 + 3) * 2, 0xf800, 2);
    memmap_write(r->mem, 0xe0000000 + (10 * 640 + 4) * 2, 0x07e0, 2);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 3, 10), 0xff0000);
    ck_assert_uint_eq(px(r, 4, 10), 0x00ff00);
    dispi(r, 4, 0x00);
    dispi(r, 3, 24);
    dispi(r, 4, 0x41);
    memmap_write(r->mem, 0xe0000000 + (1 * 640 + 1) * 3, 0x112233, 3);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 1, 1), 0x112233);
    ck_assert_uint_eq(px(r, 0, 0), 0);          /* enable cleared memory */
    /* Panning: Y_OFFSET moves the view down the virtual screen. */
    dispi(r, 9, 1);
    display_update(r->dd, NULL);
    ck_assert_uint_eq(px(r, 1, 0), 0x112233);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_vbe_pci_lfb_and_dirty_rect)
{
    Rig *r = rig_new(true);
    uint8_t devfn = PCI_DEVFN(2, 0);
    Rects rc = { 0 };
    DisplayListener l = { &rc, on_resize, on_update };
    ck_assert_uint_eq(pci_config_read(r->pb, devfn, PCI_VENDOR_ID, 4), 0x11111234);
    ck_assert_uint_eq(pci_config_read(r->pb, devfn, PCI_REVISION_ID, 4), 0x03000002);
    /* BAR0: 16 MiB prefetchable memory. */
    pci_config_write(r->pb, devfn, PCI_BAR0, 0xffffffff, 4);
    ck_assert_uint_eq(pci_config_read(r->pb, devfn, PCI_BAR0, 4), 0xff000008);
    pci_config_write(r->pb, devfn, PCI_BAR0, 0xfd000000, 4);
    pci_config_write(r->pb, devfn, PCI_BAR0 + 8, 0xfebf0000, 4);
    pci_config_write(r->pb, devfn, PCI_COMMAND, PCI_COMMAND_MEMORY | PCI_COMMAND_IO, 2);

    /* Mode set through BAR2's dispi registers (QEMU MMIO, 0x500 + 2 * index). */
    memmap_write(r->mem, 0xfebf0500 + 2 * 1, 1024, 2);
    memmap_write(r->mem, 0xfebf0500 + 2 * 2, 768, 2);
    memmap_write(r->mem, 0xfebf0500 + 2 * 3, 32, 2);
    memmap_write(r->mem, 0xfebf0500 + 2 * 4, 0x41, 2);
    ck_assert_uint_eq(dispi_rd(r, 1), 1024);
    ck_assert_uint_eq(memmap_read(r->mem, 0xfebf0600, 4), 8);
    ck_assert_uint_eq(memmap_read(r->mem, 0xfebf0604, 4), 0x1e1e1e1e);
    inb(r, 0x3da);
    memmap_write(r->mem, 0xfebf0400, 0x20, 1);  /* 3C0: unblank */
    display_update(r->dd, &l);
    ck_assert_int_eq(display_surface(r->dd)->width, 1024);
    ck_assert_int_eq(display_surface(r->dd)->height, 768);
    /* One pixel through the LFB: 1024 x 4 bytes = one page per line. */
    rc.n = 0;
    memmap_write(r->mem, 0xfd000000 + (500 * 1024 + 700) * 4, 0x00123456, 4);
    display_update(r->dd, &l);
    ck_assert_uint_eq(px(r, 700, 500), 0x123456);
    ck_assert_uint_eq(px(r, 699, 500), 0);
    ck_assert_int_eq(rc.n, 1);
    ck_assert_int_eq(rc.x[0], 0);
    ck_assert_int_eq(rc.y[0], 500);
    ck_assert_int_eq(rc.w[0], 1024);
    ck_assert_int_eq(rc.h[0], 1);
    rc.n = 0;
    display_update(r->dd, &l);
    ck_assert_int_eq(rc.n, 0);
    rig_free(r);
}
END_TEST

START_TEST(test_vga_pci_rom)
{
    char *path = firmware_find("vgabios-stdvga.bin");
    if (!path)
        return;     /* Debian's seabios package not installed */
    free(path);
    Rig *r = calloc(1, sizeof(*r));
    uint8_t devfn = PCI_DEVFN(2, 0);
    r->bus = bus_new();
    r->mem = bus_memmap(r->bus);
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_icount_source(r->clock, get_icount, &r->icount, 0);
    r->pb = pci_bus_new(r->bus, NULL, NULL);
    r->vga = vga_new(r->bus, r->pb, devfn, r->clock, "vgabios-stdvga.bin");
    pci_config_write(r->pb, devfn, PCI_ROM_ADDRESS, 0xfffff800, 4);
    uint32_t mask = pci_config_read(r->pb, devfn, PCI_ROM_ADDRESS, 4);
    ck_assert_uint_ge((~(mask & ~0x7ffu) + 1), 0x8000);
    pci_config_write(r->pb, devfn, PCI_ROM_ADDRESS, 0xfeb00001, 4);
    pci_config_write(r->pb, devfn, PCI_COMMAND, PCI_COMMAND_MEMORY, 2);
    /* PCI Firmware Spec: option ROM header 55 AA. */
    ck_assert_uint_eq(memmap_read(r->mem, 0xfeb00000, 2), 0xaa55);
    rig_free(r);
}
END_TEST

TEST_SUITE(vga)
{
    Suite *s = suite_create("vga");
    TCase *tc = tcase_create("vga");
    tcase_add_test(tc, test_vga_text_mode3_render);
    tcase_add_test(tc, test_vga_text_blink_and_cursor_phase);
    tcase_add_test(tc, test_vga_text_dirty_cell);
    tcase_add_test(tc, test_vga_text_geometries);
    tcase_add_test(tc, test_vga_text_dump);
    tcase_add_test(tc, test_vga_screendump_png);
    tcase_add_test(tc, test_vga_dac_read_write);
    tcase_add_test(tc, test_vga_attribute_flipflop_and_crtc_protect);
    tcase_add_test(tc, test_vga_retrace_on_virtual_time);
    tcase_add_test(tc, test_vga_write_modes);
    tcase_add_test(tc, test_vga_read_mode_1);
    tcase_add_test(tc, test_vga_odd_even_and_chain4_addressing);
    tcase_add_test(tc, test_vga_mode12_render);
    tcase_add_test(tc, test_vga_mode13_render);
    tcase_add_test(tc, test_vga_vbe_registers);
    tcase_add_test(tc, test_vga_vbe_banked_and_depths);
    tcase_add_test(tc, test_vga_vbe_pci_lfb_and_dirty_rect);
    tcase_add_test(tc, test_vga_pci_rom);
    suite_add_tcase(s, tc);
    return s;
}
