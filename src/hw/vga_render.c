/* vga_render.c — turning VGA/VBE state into host pixels, only where needed.
 *
 * Each display_update():
 *   1. decodes the registers into a VgaGeom (mode kind, size, addressing);
 *      if it differs from the last one, or a register/palette write set
 *      `invalidated`, everything is redrawn;
 *   2. takes the VRAM pages written since the last update
 *      (memmap_test_and_clear_dirty) into a per-page bitmap;
 *   3. graphics modes redraw the scan lines that read a dirty page; text
 *      modes compare every cell with the last rendered one (plus the font in
 *      plane 2, the cursor and the blink phase) and redraw changed cells;
 *   4. reports the changed rectangles to the listener.
 *
 * Colour path (IBM VGA Technical Reference, Attribute Controller and DAC):
 * 4-bit pixel & colour plane enable -> palette register -> with colour
 * select -> 8-bit DAC index & pixel mask -> DAC entry (6 bits, or 8 with
 * VBE's 8BIT_DAC). 256-colour and VBE 8 bpp modes index the DAC directly.
 *
 * Surface sizes are the logical mode sizes: scan doubling and dot-clock
 * halving are undone (mode 13h is 320x200, mode 3 720x400), except that
 * 40-column text keeps its double-width characters.
 */
#include <stdlib.h>
#include <string.h>
#include "hw/vga_int.h"
#include "base/log.h"

#define VGA_MAX_W 8192
#define VGA_MAX_H 4096
#define MAX_SURFACE_PIXELS (16u << 20)

typedef struct Palette {
    uint32_t dac[256];      /* DAC index -> XRGB */
    uint32_t attr[16];      /* 4-bit attribute -> XRGB */
} Palette;

/* Accumulates changed scan lines into rectangles for the listener. */
typedef struct Damage {
    const DisplayListener *l;
    const DisplaySurface *s;
    int y0, n;
} Damage;

static void damage_rect(Damage *d, int x, int y, int w, int h)
{
    if (d->l && d->l->update && w > 0 && h > 0)
        d->l->update(d->l->opaque, d->s, x, y, w, h);
}

static void damage_flush(Damage *d)
{
    if (d->n)
        damage_rect(d, 0, d->y0, d->s->width, d->n);
    d->n = 0;
}

static void damage_line(Damage *d, int y)
{
    if (d->n && d->y0 + d->n == y) {
        d->n++;
        return;
    }
    damage_flush(d);
    d->y0 = y;
    d->n = 1;
}

static uint32_t *surface_row(Vga *v, int y)
{
    return (uint32_t *)((uint8_t *)v->surface.pixels + (size_t)y * v->surface.stride);
}

/* --- Colours -------------------------------------------------------------- */

static uint8_t dac_to_8(uint8_t c, bool dac8)
{
    return dac8 ? c : (uint8_t)((c << 2) | (c >> 4));
}

static void palette_build(Vga *v, Palette *p, bool dac8)
{
    for (int i = 0; i < 256; i++) {
        const uint8_t *rgb = &v->palette[(i & v->dac_mask) * 3];
        p->dac[i] = (uint32_t)dac_to_8(rgb[0], dac8) << 16 |
                    (uint32_t)dac_to_8(rgb[1], dac8) << 8 | dac_to_8(rgb[2], dac8);
    }
    for (int i = 0; i < 16; i++) {
        uint8_t pal = v->ar[i & v->ar[0x12] & 0x0f], sel = v->ar[0x14];
        unsigned idx;
        /* AR10 bit 7: colour select bits 1:0 replace palette bits 5:4. */
        if (v->ar[0x10] & 0x80)
            idx = (pal & 0x0f) | (sel & 0x03) << 4;
        else
            idx = pal & 0x3f;
        idx |= (sel & 0x0c) << 4;
        p->attr[i] = p->dac[idx];
    }
}

/* --- Geometry --------------------------------------------------------------- */

static void geom_crtc(Vga *v, VgaGeom *g)
{
    const uint8_t *cr = v->cr;
    g->chars = cr[1] + 1;
    g->scan_dbl = (cr[9] & 0x80) ? 2 : 1;
    g->scans = (cr[9] & 0x1f) + 1;
    g->start = (uint32_t)cr[0x0c] << 8 | cr[0x0d];
    g->pitch = 2u * cr[0x13];
    g->addr_shift = (cr[0x14] & 0x40) ? 2 : (cr[0x17] & 0x40) ? 0 : 1;
    g->word_bit15 = cr[0x17] & 0x20;
    g->subst13 = !(cr[0x17] & 0x01);
    g->subst14 = !(cr[0x17] & 0x02);
    g->line_compare = cr[0x18] | (cr[7] & 0x10) << 4 | (cr[9] & 0x40) << 3;
    if (cr[0x17] & 0x08)
        log_unimp("vga: CRTC count-by-two");
    if (cr[0x14] & 0x20)
        log_unimp("vga: CRTC count-by-four");
    if (cr[8] & 0x1f)
        log_unimp("vga: preset row scan");
}

static int crtc_lines(Vga *v)
{
    const uint8_t *cr = v->cr;
    return cr[0x12] + ((cr[7] & 0x02) << 7) + ((cr[7] & 0x40) << 3) + 1;
}

static uint32_t font_offset(unsigned sel)
{
    /* SR03 map select -> plane 2 offset: 0,16K,32K,48K,8K,24K,40K,56K. */
    return (sel & 3) << 14 | (sel >> 2) << 13;
}

static void geom_text(Vga *v, VgaGeom *g, int lines)
{
    uint8_t sr3 = v->sr[3];
    g->kind = VGA_MODE_TEXT;
    g->dots = (v->sr[1] & 0x01) ? 8 : 9;
    g->cw = g->dots * ((v->sr[1] & 0x08) ? 2 : 1);
    g->cols = g->chars;
    g->width = g->cols * g->cw;
    g->height = lines;
    g->rows = (lines + g->scans - 1) / g->scans;
    g->font_a = font_offset((sr3 >> 2 & 3) | (sr3 >> 3 & 4));
    g->font_b = font_offset((sr3 & 3) | (sr3 >> 2 & 4));
    /* AR13: in 9-dot text 8 means no shift, n<8 shifts by n+1. */
    if ((v->ar[0x13] & 0x0f) != (g->dots == 9 ? 8 : 0))
        log_unimp("vga: horizontal panning in text mode");
    if (g->line_compare < crtc_lines(v) - 1)
        log_unimp("vga: split screen (line compare) in text mode");
    if (v->cr[0x0b] & 0x60)
        log_unimp("vga: cursor skew");
}

static void geom_graphics(Vga *v, VgaGeom *g, int lines)
{
    bool subst = g->subst13 || g->subst14;
    g->height = subst ? lines : lines / g->scans;
    if (v->gr[5] & 0x40) {
        g->kind = VGA_MODE_256;
        g->width = g->chars * 4;
        g->pan = (v->ar[0x13] >> 1) & 3;
    } else {
        g->kind = (v->gr[5] & 0x20) ? VGA_MODE_CGA : VGA_MODE_PLANAR;
        g->width = g->chars * 8;
        g->pan = v->ar[0x13] & 7;
    }
}

static int vbe_bytes_pp(int bpp)
{
    return (bpp + 7) / 8;
}

static bool geom_vbe(Vga *v, VgaGeom *g)
{
    const uint16_t *r = v->vbe_regs;
    int bpp = r[VBE_DISPI_INDEX_BPP];
    uint64_t xres = r[VBE_DISPI_INDEX_XRES], yres = r[VBE_DISPI_INDEX_YRES];
    uint64_t vw = MAX(r[VBE_DISPI_INDEX_VIRT_WIDTH], xres), stride, start, need, room;

    if (bpp != 4 && bpp != 8 && bpp != 15 && bpp != 16 && bpp != 24 && bpp != 32)
        return false;
    if (!xres || !yres || xres > VBE_DISPI_MAX_XRES || yres > VBE_DISPI_MAX_YRES ||
        xres * yres > MAX_SURFACE_PIXELS || (bpp == 4 && xres % 8))
        return false;
    stride = bpp == 4 ? vw / 8 : vw * vbe_bytes_pp(bpp);
    start = (uint64_t)r[VBE_DISPI_INDEX_Y_OFFSET] * stride +
            (bpp == 4 ? r[VBE_DISPI_INDEX_X_OFFSET] / 8
                      : (uint64_t)r[VBE_DISPI_INDEX_X_OFFSET] * vbe_bytes_pp(bpp));
    need = start + (yres - 1) * stride + (bpp == 4 ? xres / 8 : xres * vbe_bytes_pp(bpp));
    room = bpp == 4 ? v->vram_size / 4 : v->vram_size;
    if (need > room)
        return false;
    g->kind = VGA_MODE_VBE;
    g->bpp = bpp;
    g->width = (int)xres;
    g->height = (int)yres;
    g->vbe_start = (uint32_t)start;
    g->vbe_stride = (uint32_t)stride;
    return true;
}

static void geom_blank_default(VgaGeom *g)
{
    memset(g, 0, sizeof(*g));
    g->kind = VGA_MODE_BLANK;
    g->width = 640;
    g->height = 480;
}

/* Decode the registers. g->kind is BLANK when nothing can be shown. */
static void vga_geom(Vga *v, VgaGeom *g)
{
    int lines;

    memset(g, 0, sizeof(*g));      /* compared with memcmp */
    g->dac8 = v->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC;
    if (vga_vbe_enabled(v)) {
        if (!geom_vbe(v, g)) {
            log_guest_error_once("vbe: mode %ux%ux%u cannot be shown",
                                 v->vbe_regs[VBE_DISPI_INDEX_XRES],
                                 v->vbe_regs[VBE_DISPI_INDEX_YRES],
                                 v->vbe_regs[VBE_DISPI_INDEX_BPP]);
            geom_blank_default(g);
        }
        return;
    }
    geom_crtc(v, g);
    lines = crtc_lines(v) / g->scan_dbl;
    if (v->ar[0x10] & 0x01)
        geom_graphics(v, g, lines);
    else
        geom_text(v, g, lines);
    if (g->width < 8 || g->height < 8 || g->width > VGA_MAX_W || g->height > VGA_MAX_H)
        geom_blank_default(g);
}

/* The screen is blanked: palette address source off (bochs-drm's blank),
 * or the sequencer's screen off bit. */
static bool vga_blanked(Vga *v)
{
    return !(v->ar_index & 0x20) || (v->sr[1] & 0x20);
}

/* --- Dirty pages ------------------------------------------------------------ */

static void collect_dirty(Vga *v)
{
    uint32_t npages = v->vram_size >> GUEST_PAGE_BITS;
    for (uint32_t p = 0; p < npages; p++) {
        v->dirty[p] = memmap_page_flags(v->vram, (uint64_t)p << GUEST_PAGE_BITS) & PAGE_DIRTY;
        if (v->dirty[p])
            memmap_test_and_clear_dirty(v->mem, v->vram, (uint64_t)p << GUEST_PAGE_BITS,
                                        GUEST_PAGE_SIZE);
    }
}

static bool range_dirty(Vga *v, uint64_t lo, uint64_t hi)
{
    hi = MIN(hi, v->vram_size);
    for (uint64_t p = lo >> GUEST_PAGE_BITS; (p << GUEST_PAGE_BITS) < hi; p++)
        if (v->dirty[p])
            return true;
    return false;
}

/* --- VGA graphics ------------------------------------------------------------- */

/* CRTC memory address counter -> plane offset (IBM VGA, CRTC Mode Control). */
static uint32_t crtc_addr(const VgaGeom *g, uint32_t ma, unsigned rowscan)
{
    uint32_t a = ma;
    if (g->addr_shift == 2)
        a = ma << 2;
    else if (g->addr_shift == 1)
        a = ma << 1 | ((g->word_bit15 ? ma >> 15 : ma >> 13) & 1);
    if (g->subst13)
        a = (a & ~0x2000u) | (rowscan & 1) << 13;
    if (g->subst14)
        a = (a & ~0x4000u) | (rowscan & 2) << 13;
    return a & 0xffff;
}

typedef struct ScanPos {
    uint32_t ma;        /* address counter at the line's first character */
    unsigned rowscan;
    bool split;         /* below the line compare */
} ScanPos;

static ScanPos scan_pos(const VgaGeom *g, int y)
{
    bool subst = g->subst13 || g->subst14;
    int ls = subst ? y : y * g->scans;     /* logical (undoubled) scan line */
    int lc = g->line_compare / g->scan_dbl;
    ScanPos pos = { .ma = g->start };

    /* Past the line compare the address counter restarts at 0. */
    if (ls > lc) {
        ls -= lc + 1;
        pos.ma = 0;
        pos.split = true;
    }
    pos.ma += (uint32_t)(ls / g->scans) * g->pitch;
    pos.rowscan = ls % g->scans;
    return pos;
}

static bool line_dirty(Vga *v, const VgaGeom *g, ScanPos pos)
{
    for (int c = 0; c <= g->chars; c++) {
        uint32_t a = crtc_addr(g, pos.ma + c, pos.rowscan);
        if (v->dirty[a >> (GUEST_PAGE_BITS - 2)])
            return true;
    }
    return false;
}

static void put_px(uint32_t *dst, int x, int width, uint32_t c)
{
    if (x >= 0 && x < width)
        dst[x] = c;
}

static void draw_planar(Vga *v, const VgaGeom *g, ScanPos pos, int pan, uint32_t *dst,
                        const Palette *p)
{
    const uint8_t *vram = v->vram->host;
    int x = -pan;
    for (uint32_t c = 0; x < g->width; c++) {
        uint32_t planes = ld32(vram + 4 * crtc_addr(g, pos.ma + c, pos.rowscan));
        for (int b = 7; b >= 0; b--, x++) {
            unsigned idx = (planes >> b & 1) | (planes >> (b + 7) & 2) |
                           (planes >> (b + 14) & 4) | (planes >> (b + 21) & 8);
            put_px(dst, x, g->width, p->attr[idx]);
        }
    }
}

/* Shift register interleave (mode 4/5): planes 0 and 1 give four 2-bit
 * pixels each, planes 2 and 3 the upper two bits likewise. */
static void draw_cga(Vga *v, const VgaGeom *g, ScanPos pos, int pan, uint32_t *dst,
                     const Palette *p)
{
    const uint8_t *vram = v->vram->host;
    int x = -pan;
    for (uint32_t c = 0; x < g->width; c++) {
        const uint8_t *b = vram + 4 * crtc_addr(g, pos.ma + c, pos.rowscan);
        for (int i = 0; i < 8; i++, x++) {
            int sh = 6 - 2 * (i & 3), hi = i >> 2;
            unsigned idx = (b[hi] >> sh & 3) | (b[hi + 2] >> sh & 3) << 2;
            put_px(dst, x, g->width, p->attr[idx]);
        }
    }
}

static void draw_256(Vga *v, const VgaGeom *g, ScanPos pos, int pan, uint32_t *dst,
                     const Palette *p)
{
    const uint8_t *vram = v->vram->host;
    int x = -pan;
    for (uint32_t c = 0; x < g->width; c++) {
        const uint8_t *b = vram + 4 * crtc_addr(g, pos.ma + c, pos.rowscan);
        for (int i = 0; i < 4; i++, x++)
            put_px(dst, x, g->width, p->dac[b[i]]);
    }
}

static void render_graphics(Vga *v, const VgaGeom *g, bool full, const Palette *p, Damage *d)
{
    for (int y = 0; y < g->height; y++) {
        ScanPos pos = scan_pos(g, y);
        /* AR10 bit 5: the split screen is not panned. */
        int pan = pos.split && (v->ar[0x10] & 0x20) ? 0 : g->pan;
        if (!full && !line_dirty(v, g, pos))
            continue;
        if (g->kind == VGA_MODE_256)
            draw_256(v, g, pos, pan, surface_row(v, y), p);
        else if (g->kind == VGA_MODE_CGA)
            draw_cga(v, g, pos, pan, surface_row(v, y), p);
        else
            draw_planar(v, g, pos, pan, surface_row(v, y), p);
        damage_line(d, y);
    }
}

/* --- VBE ------------------------------------------------------------------------ */

static uint8_t expand5(unsigned c) { return (uint8_t)(c << 3 | c >> 2); }
static uint8_t expand6(unsigned c) { return (uint8_t)(c << 2 | c >> 4); }

static uint32_t vbe_pixel(const uint8_t *src, int bpp, const Palette *p)
{
    uint16_t w;
    switch (bpp) {
    case 8:
        return p->dac[*src];
    case 15:
        w = ld16(src);
        return (uint32_t)expand5(w >> 10 & 31) << 16 | expand5(w >> 5 & 31) << 8 | expand5(w & 31);
    case 16:
        w = ld16(src);
        return (uint32_t)expand5(w >> 11) << 16 | expand6(w >> 5 & 63) << 8 | expand5(w & 31);
    case 24:
        return (uint32_t)src[2] << 16 | src[1] << 8 | src[0];
    default:
        return ld32(src) & 0xffffff;
    }
}

static void draw_vbe_planar(Vga *v, const VgaGeom *g, uint32_t off, uint32_t *dst,
                            const Palette *p)
{
    for (int x = 0; x < g->width; x += 8) {
        uint32_t planes = ld32(v->vram->host + 4 * (off + x / 8));
        for (int b = 7; b >= 0; b--) {
            unsigned idx = (planes >> b & 1) | (planes >> (b + 7) & 2) |
                           (planes >> (b + 14) & 4) | (planes >> (b + 21) & 8);
            dst[x + 7 - b] = p->attr[idx];
        }
    }
}

static void render_vbe(Vga *v, const VgaGeom *g, bool full, const Palette *p, Damage *d)
{
    int bypp = vbe_bytes_pp(g->bpp);
    for (int y = 0; y < g->height; y++) {
        uint32_t off = g->vbe_start + (uint32_t)y * g->vbe_stride;
        uint32_t *dst = surface_row(v, y);
        if (g->bpp == 4) {
            if (!full && !range_dirty(v, 4ull * off, 4ull * (off + g->width / 8)))
                continue;
            draw_vbe_planar(v, g, off, dst, p);
        } else {
            const uint8_t *src = v->vram->host + off;
            if (!full && !range_dirty(v, off, off + (uint64_t)g->width * bypp))
                continue;
            for (int x = 0; x < g->width; x++)
                dst[x] = vbe_pixel(src + x * bypp, g->bpp, p);
        }
        damage_line(d, y);
    }
}

/* --- Text ----------------------------------------------------------------------- */

typedef struct TextState {
    bool blink_on;      /* blinking characters visible */
    int cursor;         /* cell showing the cursor now, or -1 */
    uint8_t cs, ce;     /* cursor start/end scan lines */
} TextState;

static uint16_t text_cell(Vga *v, const VgaGeom *g, int row, int col)
{
    uint32_t a = crtc_addr(g, g->start + (uint32_t)row * g->pitch + col, 0);
    const uint8_t *b = v->vram->host + 4 * a;
    return b[0] | b[1] << 8;
}

/* The cell the cursor address (CR0E:CR0F) points at, or -1 if off screen. */
static int cursor_cell(Vga *v, const VgaGeom *g)
{
    uint32_t addr = (uint32_t)v->cr[0x0e] << 8 | v->cr[0x0f];
    uint32_t idx = (addr - g->start) & 0xffff;
    uint32_t row, col;
    if (!g->pitch)
        return -1;
    row = idx / g->pitch;
    col = idx % g->pitch;
    if (row >= (uint32_t)g->rows || col >= (uint32_t)g->cols)
        return -1;
    return (int)(row * g->cols + col);
}

/* IBM VGA: the cursor blinks every 16 frames, blinking characters every 32. */
static void text_state(Vga *v, const VgaGeom *g, TextState *ts)
{
    int64_t frame = vclock_now(v->clock) / vga_frame_ns(v);
    bool cursor_on = !((frame >> 3) & 1);
    ts->blink_on = !((frame >> 4) & 1);
    ts->cs = v->cr[0x0a] & 0x1f;
    ts->ce = v->cr[0x0b] & 0x1f;
    ts->cursor = -1;
    /* CR0A bit 5 turns the cursor off; so does start > end on the VGA. */
    if (cursor_on && !(v->cr[0x0a] & 0x20) && ts->cs <= ts->ce)
        ts->cursor = cursor_cell(v, g);
}

static bool font_changed(Vga *v, const VgaGeom *g)
{
    uint32_t base[2] = { g->font_a, g->font_b };
    bool changed = false;
    for (int f = 0; f < 2; f++) {
        for (uint32_t i = 0; i < 256 * 32; i++) {
            uint8_t b = v->vram->host[4 * (base[f] + i) + 2];
            changed |= v->font_cache[f][i] != b;
            v->font_cache[f][i] = b;
        }
    }
    return changed;
}

static void draw_glyph_line(Vga *v, const VgaGeom *g, uint32_t *dst, unsigned bits, bool ninth,
                            uint32_t fg, uint32_t bg)
{
    int rep = g->cw / g->dots;
    for (int d = 0; d < g->dots; d++) {
        bool on = d < 8 ? (bits >> (7 - d)) & 1 : ninth;
        for (int r = 0; r < rep; r++)
            *dst++ = on ? fg : bg;
    }
}

static void draw_cell(Vga *v, const VgaGeom *g, int idx, uint16_t cell, const TextState *ts,
                      const Palette *p)
{
    int row = idx / g->cols, col = idx % g->cols;
    uint8_t ch = cell & 0xff, attr = cell >> 8, ar10 = v->ar[0x10];
    unsigned fg = attr & 0x0f, bg = attr >> 4;
    uint32_t glyph = ((attr & 0x08) ? g->font_a : g->font_b) + ch * 32u;
    /* AR10 bit 2: line graphics chars C0-DF repeat dot 8 in dot 9. */
    bool line_gfx = (ar10 & 0x04) && ch >= 0xc0 && ch <= 0xdf;

    if (ar10 & 0x08) {              /* bit 7 blinks instead of intensity */
        bg &= 7;
        if ((attr & 0x80) && !ts->blink_on)
            fg = bg;
    }
    for (int l = 0; l < g->scans; l++) {
        int y = row * g->scans + l;
        unsigned bits = l < 32 ? v->vram->host[4 * ((glyph + l) & 0xffff) + 2] : 0;
        bool ninth;
        if (y >= g->height)
            break;
        if ((attr & 0x77) == 0x01 && l == (v->cr[0x14] & 0x1f))
            bits = 0x1ff;           /* underline */
        if (idx == ts->cursor && l >= ts->cs && l <= ts->ce)
            bits = 0x1ff;
        ninth = bits > 0xff || (line_gfx && (bits & 1));
        draw_glyph_line(v, g, surface_row(v, y) + col * g->cw, bits & 0xff, ninth,
                        p->attr[fg], p->attr[bg]);
    }
}

static bool cell_needs_draw(Vga *v, int idx, uint16_t cell, const TextState *ts, bool full,
                            bool blink_flip, bool cursor_moved)
{
    if (full || cell != v->text_cells[idx])
        return true;
    if (blink_flip && (cell & 0x8000) && (v->ar[0x10] & 0x08))
        return true;
    return cursor_moved && (idx == ts->cursor || idx == v->cursor_cell);
}

static void render_text(Vga *v, const VgaGeom *g, bool full, const Palette *p, Damage *d)
{
    TextState ts;
    bool blink_flip, cursor_moved;
    uint16_t shape;

    text_state(v, g, &ts);
    if ((full || range_dirty(v, 0, 256 * 1024)) && font_changed(v, g))
        full = true;
    blink_flip = ts.blink_on != v->blink_on;
    shape = ts.cs << 5 ^ ts.ce;
    cursor_moved = ts.cursor != v->cursor_cell || shape != v->cursor_shape;
    for (int row = 0; row < g->rows; row++) {
        int lo = g->cols, hi = -1;
        for (int col = 0; col < g->cols; col++) {
            int idx = row * g->cols + col;
            uint16_t cell = text_cell(v, g, row, col);
            if (!cell_needs_draw(v, idx, cell, &ts, full, blink_flip, cursor_moved))
                continue;
            draw_cell(v, g, idx, cell, &ts, p);
            v->text_cells[idx] = cell;
            lo = MIN(lo, col);
            hi = MAX(hi, col);
        }
        if (hi >= 0)
            damage_rect(d, lo * g->cw, row * g->scans, (hi - lo + 1) * g->cw,
                        MIN(g->scans, g->height - row * g->scans));
    }
    v->blink_on = ts.blink_on;
    v->cursor_cell = ts.cursor;
    v->cursor_shape = shape;
}

/* --- Update ----------------------------------------------------------------------- */

static void surface_resize(Vga *v, const VgaGeom *g, const DisplayListener *l)
{
    size_t cells = g->kind == VGA_MODE_TEXT ? (size_t)g->cols * g->rows : 1;
    free(v->surface.pixels);
    v->surface.width = g->width;
    v->surface.height = g->height;
    v->surface.stride = g->width * 4;
    v->surface.pixels = calloc((size_t)g->width * g->height, 4);
    free(v->text_cells);
    v->text_cells = calloc(cells, sizeof(uint16_t));
    if (!v->surface.pixels || !v->text_cells)
        fatal("out of memory");
    if (l && l->resize)
        l->resize(l->opaque, &v->surface);
}

static void render_blank(Vga *v, Damage *d)
{
    for (int y = 0; y < v->surface.height; y++)
        memset(surface_row(v, y), 0, (size_t)v->surface.width * 4);
    damage_rect(d, 0, 0, v->surface.width, v->surface.height);
}

static void vga_update(void *opaque, const DisplayListener *l)
{
    Vga *v = opaque;
    VgaGeom g;
    Palette pal;
    Damage d = { .l = l, .s = &v->surface };
    bool full = v->invalidated, blank;

    vga_geom(v, &g);
    if (memcmp(&g, &v->geom, sizeof(g)) != 0) {
        if (g.width != v->geom.width || g.height != v->geom.height ||
            g.kind != v->geom.kind || g.cols != v->geom.cols || g.rows != v->geom.rows)
            surface_resize(v, &g, l);
        full = true;
    }
    v->geom = g;
    v->invalidated = false;
    collect_dirty(v);
    blank = vga_blanked(v);
    if (full && (blank || g.kind == VGA_MODE_BLANK)) {
        render_blank(v, &d);
        v->cursor_cell = -1;
        return;
    }
    if (blank || g.kind == VGA_MODE_BLANK)
        return;
    palette_build(v, &pal, g.dac8);
    if (g.kind == VGA_MODE_TEXT)
        render_text(v, &g, full, &pal, &d);
    else if (g.kind == VGA_MODE_VBE)
        render_vbe(v, &g, full, &pal, &d);
    else
        render_graphics(v, &g, full, &pal, &d);
    damage_flush(&d);
}

/* --- DisplayDevice ---------------------------------------------------------------- */

static void vga_invalidate_op(void *opaque)
{
    vga_invalidate(opaque);
}

static const DisplaySurface *vga_surface(void *opaque)
{
    return &((Vga *)opaque)->surface;
}

static bool vga_text(void *opaque, DisplayText *t)
{
    Vga *v = opaque;
    VgaGeom g;
    int n;

    vga_geom(v, &g);
    if (g.kind != VGA_MODE_TEXT)
        return false;
    n = g.cols * g.rows;
    free(v->snapshot);
    v->snapshot = malloc((size_t)n * sizeof(uint16_t));
    if (!v->snapshot)
        fatal("out of memory");
    for (int i = 0; i < n; i++)
        v->snapshot[i] = text_cell(v, &g, i / g.cols, i % g.cols);
    *t = (DisplayText){ .cols = g.cols, .rows = g.rows, .cells = v->snapshot };
    n = (v->cr[0x0a] & 0x20) ? -1 : cursor_cell(v, &g);
    t->cursor_visible = n >= 0;
    t->cursor_col = n >= 0 ? n % g.cols : 0;
    t->cursor_row = n >= 0 ? n / g.cols : 0;
    return true;
}

static const DisplayOps vga_display_ops = {
    .update = vga_update,
    .invalidate = vga_invalidate_op,
    .surface = vga_surface,
    .text = vga_text,
};

void vga_display_init(Vga *v)
{
    v->display = (DisplayDevice){ .name = "vga", .ops = &vga_display_ops, .opaque = v };
    v->dirty = calloc(v->vram_size >> GUEST_PAGE_BITS, 1);
    if (!v->dirty)
        fatal("out of memory");
    v->geom.kind = VGA_MODE_BLANK;      /* size 0: the first update allocates */
    v->cursor_cell = -1;
    v->invalidated = true;
}

void vga_display_free(Vga *v)
{
    free(v->surface.pixels);
    free(v->text_cells);
    free(v->snapshot);
    free(v->dirty);
}
