/* vga_mem.c — CPU access to video memory through the 0xa0000-0xbffff window.
 *
 * Decoding (IBM VGA Technical Reference, Graphics Controller): GR06 bits 3:2
 * choose which part of the window answers; then the access goes
 *   - to the VBE linear framebuffer (dispi enabled at 8 bpp or more),
 *     through the 64 KiB bank (dispi BANK);
 *   - chain 4 (SR04 bit 3): plane a & 3 at offset a & ~3;
 *   - odd/even (writes: SR04 bit 2 clear; reads: GR05 bit 4): planes
 *     a & 1 (and a & 1 | 2) at offset a & ~1;
 *   - planar: offset a in all planes, through the latches, the write modes
 *     0-3 and read modes 0-1.
 * Addresses outside the selected window read all ones and drop writes.
 * Every VRAM write marks its page dirty for the display.
 */
#include "hw/vga_int.h"
#include "base/log.h"

/* The window offset [0, 0x20000) to an address within the selected map,
 * or -1 when GR06 does not decode it. */
static int64_t window_addr(Vga *v, uint64_t off)
{
    static const uint32_t base[4] = { 0, 0, 0x10000, 0x18000 };
    static const uint32_t size[4] = { 0x20000, 0x10000, 0x8000, 0x8000 };
    unsigned map = (v->gr[6] >> 2) & 3;

    if (off < base[map] || off >= base[map] + size[map])
        return -1;
    off -= base[map];
    if (map == 1)
        off += v->bank_offset;
    return (int64_t)off;
}

static bool vbe_linear(const Vga *v)
{
    return vga_vbe_enabled(v) && v->vbe_regs[VBE_DISPI_INDEX_BPP] > 4;
}

/* Byte index in VRAM of plane p at plane offset o. */
static uint32_t plane_byte(const Vga *v, uint32_t o, unsigned p)
{
    return (o * 4 + p) & (v->vram_size - 1);
}

static uint32_t load_latch(Vga *v, uint32_t o)
{
    v->latch = ld32(v->vram->host + plane_byte(v, o, 0));
    return v->latch;
}

static uint8_t rotate_right(uint8_t x, unsigned n)
{
    n &= 7;
    return (uint8_t)((x >> n) | (x << (8 - n)));
}

/* Read mode 1: a bit is 1 where every plane selected by Color Don't Care
 * (GR07) matches the Color Compare bit (GR02) for that plane. */
static uint8_t color_compare(const Vga *v, uint32_t latch)
{
    uint8_t diff = 0;
    for (unsigned p = 0; p < 4; p++) {
        uint8_t plane = latch >> (8 * p);
        uint8_t want = (v->gr[2] >> p & 1) ? 0xff : 0x00;
        if (v->gr[7] >> p & 1)
            diff |= plane ^ want;
    }
    return ~diff;
}

static uint8_t planar_read(Vga *v, uint32_t o)
{
    uint32_t latch = load_latch(v, o);
    if (v->gr[5] & 0x08)
        return color_compare(v, latch);
    return latch >> (8 * (v->gr[4] & 3));
}

static uint64_t vga_mem_read(void *opaque, uint64_t off, unsigned size)
{
    Vga *v = opaque;
    int64_t a = window_addr(v, off);
    uint32_t o;

    if (a < 0)
        return 0xff;
    if (vbe_linear(v))
        return v->vram->host[a & (v->vram_size - 1)];
    if (v->sr[4] & 0x08) {
        load_latch(v, a & ~3u);
        return v->vram->host[plane_byte(v, a & ~3u, a & 3)];
    }
    if (v->gr[5] & 0x10) {
        o = a & ~1u;
        load_latch(v, o);
        return v->vram->host[plane_byte(v, o, (v->gr[4] & 2) | (a & 1))];
    }
    return planar_read(v, (uint32_t)a);
}

/* --- Writes -------------------------------------------------------------------- */

static void store_byte(Vga *v, uint32_t idx, uint8_t val)
{
    memmap_note_write(v->mem, v->vram, idx, 1);
    v->vram->host[idx] = val;
}

/* Expand a 4-bit value to one byte per plane: bit p set -> plane p 0xff. */
static uint32_t expand4(uint8_t bits)
{
    uint32_t out = 0;
    for (unsigned p = 0; p < 4; p++)
        if (bits >> p & 1)
            out |= 0xffu << (8 * p);
    return out;
}

static uint32_t logical_op(const Vga *v, uint32_t data)
{
    switch ((v->gr[3] >> 3) & 3) {
    case 1: return data & v->latch;
    case 2: return data | v->latch;
    case 3: return data ^ v->latch;
    default: return data;
    }
}

/* Write modes 0-3 (IBM VGA Technical Reference, Graphics Mode register):
 * the four plane bytes to store, before the map mask. */
static uint32_t planar_data(const Vga *v, uint8_t val)
{
    uint8_t rot = rotate_right(val, v->gr[3]);
    uint32_t data, mask = v->gr[8];

    switch (v->gr[5] & 3) {
    case 1:     /* the latches, unchanged */
        return v->latch;
    case 2:     /* CPU bits 3:0 fill the planes */
        data = expand4(val);
        break;
    case 3:     /* set/reset data, rotated CPU data ANDed into the bit mask */
        data = expand4(v->gr[0]);
        mask &= rot;
        break;
    default:    /* rotated data, or set/reset where enabled */
        data = rot * 0x01010101u;
        data = (data & ~expand4(v->gr[1])) | (expand4(v->gr[0]) & expand4(v->gr[1]));
        break;
    }
    data = logical_op(v, data);
    mask *= 0x01010101u;
    return (data & mask) | (v->latch & ~mask);
}

static void planar_write(Vga *v, uint32_t o, uint8_t val)
{
    uint32_t data = planar_data(v, val);
    uint32_t idx = plane_byte(v, o, 0);
    uint32_t keep = ~expand4(v->sr[2]);
    uint32_t old = ld32(v->vram->host + idx);

    memmap_note_write(v->mem, v->vram, idx, 4);
    st32(v->vram->host + idx, (old & keep) | (data & ~keep));
}

static void vga_mem_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    Vga *v = opaque;
    int64_t a = window_addr(v, off);
    uint8_t val = (uint8_t)value;
    unsigned p;

    if (a < 0)
        return;
    if (vbe_linear(v)) {
        store_byte(v, a & (v->vram_size - 1), val);
    } else if (v->sr[4] & 0x08) {
        p = a & 3;
        if (v->sr[2] >> p & 1)
            store_byte(v, plane_byte(v, a & ~3u, p), val);
    } else if (!(v->sr[4] & 0x04)) {
        for (p = a & 1; p < 4; p += 2)
            if (v->sr[2] >> p & 1)
                store_byte(v, plane_byte(v, a & ~1u, p), val);
    } else {
        planar_write(v, (uint32_t)a, val);
    }
}

const IoOps vga_mem_ops = { vga_mem_read, vga_mem_write, 1, 1 };
