/* vga_vbe.c — the Bochs VBE "dispi" interface (Bochs iodev/vga, as QEMU's
 * stdvga implements it): index port 0x1ce, data port 0x1cf, 16-bit
 * registers.
 *
 *   ID            0xb0c0..0xb0c5; writing another value is ignored
 *   XRES/YRES/BPP the mode; with ENABLE.GETCAPS set they read the maxima
 *   ENABLE        ENABLED, GETCAPS, 8BIT_DAC, LFB_ENABLED, NOCLEARMEM.
 *                 Enabling resets the virtual size to the mode and the
 *                 offsets to 0, and clears the visible VRAM unless
 *                 NOCLEARMEM; disabling resets the bank.
 *   BANK          64 KiB bank seen at 0xa0000 (masked to the VRAM size)
 *   VIRT_WIDTH/HEIGHT, X/Y_OFFSET  the panning viewport
 *   VIDEO_MEMORY_64K  VRAM size, read-only
 * Whether a mode can be shown is decided when rendering (vga_render.c):
 * registers keep what the guest wrote.
 */
#include <string.h>
#include "hw/vga_int.h"
#include "base/log.h"

void vbe_reset(Vga *v)
{
    memset(v->vbe_regs, 0, sizeof(v->vbe_regs));
    v->vbe_regs[VBE_DISPI_INDEX_ID] = VBE_DISPI_ID5;
    v->vbe_index = 0;
    v->bank_offset = 0;
}

uint16_t vbe_read(Vga *v, unsigned index)
{
    bool caps = v->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_GETCAPS;
    switch (index) {
    case VBE_DISPI_INDEX_XRES:
        return caps ? VBE_DISPI_MAX_XRES : v->vbe_regs[index];
    case VBE_DISPI_INDEX_YRES:
        return caps ? VBE_DISPI_MAX_YRES : v->vbe_regs[index];
    case VBE_DISPI_INDEX_BPP:
        return caps ? VBE_DISPI_MAX_BPP : v->vbe_regs[index];
    case VBE_DISPI_INDEX_VIDEO_MEMORY_64K:
        return v->vram_size >> 16;
    default:
        return index < VBE_DISPI_NREGS ? v->vbe_regs[index] : 0;
    }
}

/* Bytes per scan line of the virtual screen (4 bpp: per plane). */
static uint32_t vbe_line_bytes(const Vga *v)
{
    unsigned bpp = v->vbe_regs[VBE_DISPI_INDEX_BPP];
    uint32_t w = v->vbe_regs[VBE_DISPI_INDEX_VIRT_WIDTH];
    if (bpp == 4)
        return w / 8;
    return w * ((bpp + 7) / 8);
}

static void vbe_enable(Vga *v, uint16_t val)
{
    uint16_t *r = v->vbe_regs;
    uint64_t clear;

    r[VBE_DISPI_INDEX_VIRT_WIDTH] = r[VBE_DISPI_INDEX_XRES];
    r[VBE_DISPI_INDEX_VIRT_HEIGHT] = r[VBE_DISPI_INDEX_YRES];
    r[VBE_DISPI_INDEX_X_OFFSET] = r[VBE_DISPI_INDEX_Y_OFFSET] = 0;
    if (val & VBE_DISPI_NOCLEARMEM)
        return;
    clear = (uint64_t)vbe_line_bytes(v) * r[VBE_DISPI_INDEX_YRES];
    if (r[VBE_DISPI_INDEX_BPP] == 4)
        clear *= 4;
    clear = MIN(clear, v->vram_size);
    if (clear) {
        memmap_note_write(v->mem, v->vram, 0, clear);
        memset(v->vram->host, 0, clear);
    }
}

void vbe_write(Vga *v, unsigned index, uint16_t val)
{
    uint16_t *r = v->vbe_regs;

    switch (index) {
    case VBE_DISPI_INDEX_ID:
        if (val >= VBE_DISPI_ID0 && val <= VBE_DISPI_ID5)
            r[index] = val;
        return;
    case VBE_DISPI_INDEX_ENABLE:
        if ((val & VBE_DISPI_ENABLED) && !(r[index] & VBE_DISPI_ENABLED))
            vbe_enable(v, val);
        if (!(val & VBE_DISPI_ENABLED))
            r[VBE_DISPI_INDEX_BANK] = v->bank_offset = 0;
        r[index] = val & (VBE_DISPI_ENABLED | VBE_DISPI_GETCAPS | VBE_DISPI_8BIT_DAC |
                          VBE_DISPI_LFB_ENABLED | VBE_DISPI_NOCLEARMEM);
        break;
    case VBE_DISPI_INDEX_BANK:
        r[index] = val & ((v->vram_size >> 16) - 1);
        v->bank_offset = (uint32_t)r[index] << 16;
        return;     /* the window moved; the picture did not */
    case VBE_DISPI_INDEX_VIDEO_MEMORY_64K:
        return;
    default:
        if (index >= VBE_DISPI_NREGS) {
            log_guest_error_once("vbe: write to register 0x%x", index);
            return;
        }
        r[index] = val;
        break;
    }
    vga_invalidate(v);
}

/* Ports 0x1ce (index) and 0x1cf (data) take 16-bit accesses; 0x1d0 is
 * claimed so that a word access to 0x1cf reaches us whole. */
static uint64_t vbe_port_read(void *opaque, uint64_t off, unsigned size)
{
    Vga *v = opaque;
    if (size == 2 && off == 0)
        return v->vbe_index;
    if (size == 2 && off == 1)
        return vbe_read(v, v->vbe_index);
    log_unimp("vbe: %u-byte read at port 0x%llx", size, (unsigned long long)(0x1ce + off));
    return size_mask(size);
}

static void vbe_port_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    Vga *v = opaque;
    if (size == 2 && off == 0)
        v->vbe_index = (uint16_t)value;
    else if (size == 2 && off == 1)
        vbe_write(v, v->vbe_index, (uint16_t)value);
    else
        log_unimp("vbe: %u-byte write at port 0x%llx", size, (unsigned long long)(0x1ce + off));
}

const IoOps vbe_port_ops = { vbe_port_read, vbe_port_write, 1, 2 };
