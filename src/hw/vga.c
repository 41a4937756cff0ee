/* vga.c — the standard VGA: construction, PCI function, I/O ports, the
 * register file and the retrace timing seen through input status 1.
 *
 * Register semantics follow the IBM VGA Technical Reference (and FreeVGA's
 * rewrite of it). Every write that can change the picture and actually
 * changes a value marks the display invalidated, so the next update redraws
 * the whole surface; cursor position and shape are tracked by the text
 * renderer instead (the BIOS moves the cursor after every character).
 *
 * To add a register: give it a write mask in the tables below, and decide
 * whether writing it must invalidate the display.
 */
#include <stdlib.h>
#include <string.h>
#include "hw/vga_int.h"
#include "hw/firmware.h"
#include "ui/screendump.h"
#include "base/log.h"

/* Writable bits per register (IBM VGA Technical Reference, register
 * descriptions; reserved bits read as 0). */
static const uint8_t sr_mask[8] = { 0x03, 0x3d, 0x0f, 0x3f, 0x0e, 0, 0, 0 };
static const uint8_t gr_mask[16] = { 0x0f, 0x0f, 0x0f, 0x1f, 0x03, 0x7b, 0x0f, 0x0f, 0xff };
static const uint8_t ar_mask[0x15] = {
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f,
    0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f, 0x3f,
    0xef, 0xff, 0x3f, 0x0f, 0x0f,
};

void vga_invalidate(Vga *v)
{
    v->invalidated = true;
}

bool vga_vbe_enabled(const Vga *v)
{
    return v->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_ENABLED;
}

/* --- Retrace timing ---------------------------------------------------------- */

typedef struct VgaTiming {
    int64_t line_ns, hdisp_ns;
    int total, vdisp, vrs, vrlen;   /* scan lines */
} VgaTiming;

static void timing_default(VgaTiming *t)
{
    /* Mode 3: 900 dots at 28.322 MHz, 449 lines, 70 Hz. */
    *t = (VgaTiming){ .line_ns = 31778, .hdisp_ns = 25422, .total = 449, .vdisp = 400,
                      .vrs = 412, .vrlen = 2 };
}

static void timing_vbe(Vga *v, VgaTiming *t)
{
    int yres = MAX(v->vbe_regs[VBE_DISPI_INDEX_YRES], 1);
    t->total = yres + yres / 20 + 10;
    t->vdisp = yres;
    t->vrs = yres + 3;
    t->vrlen = 3;
    t->line_ns = MAX(NS_PER_SEC / 60 / t->total, 1);
    t->hdisp_ns = t->line_ns * 4 / 5;
}

static void timing_vga(Vga *v, VgaTiming *t)
{
    const uint8_t *cr = v->cr;
    int64_t dot_hz = ((v->misc >> 2) & 3) == 1 ? 28322000 : 25175000;
    int dots = (v->sr[1] & 1) ? 8 : 9;
    int vt = cr[6] | (cr[7] & 0x01) << 8 | (cr[7] & 0x20) << 4;
    int vde = cr[0x12] | (cr[7] & 0x02) << 7 | (cr[7] & 0x40) << 3;
    int vrs = cr[0x10] | (cr[7] & 0x04) << 6 | (cr[7] & 0x80) << 2;

    if (v->sr[1] & 0x08)
        dot_hz /= 2;
    t->line_ns = (int64_t)(cr[0] + 5) * dots * NS_PER_SEC / dot_hz;
    t->hdisp_ns = (int64_t)(cr[1] + 1) * dots * NS_PER_SEC / dot_hz;
    t->total = vt + 2;
    t->vdisp = MIN(vde + 1, t->total);
    t->vrs = vrs < t->total ? vrs : t->vdisp;
    /* The retrace ends when the line counter's low 4 bits equal CR11 3:0. */
    t->vrlen = ((cr[0x11] & 0x0f) - vrs) & 0x0f;
    if (t->vrlen == 0)
        t->vrlen = 16;
    if (t->total < 16)
        timing_default(t);
}

static void vga_timing(Vga *v, VgaTiming *t)
{
    if (vga_vbe_enabled(v))
        timing_vbe(v, t);
    else
        timing_vga(v, t);
}

int64_t vga_frame_ns(Vga *v)
{
    VgaTiming t;
    vga_timing(v, &t);
    return MAX(t.line_ns * t.total, 1000000);
}

/* Input status 1 (3BA/3DA): bit 3 vertical retrace, bit 0 display disabled
 * (horizontal or vertical blanking), both running on virtual time. */
static uint8_t vga_status1(Vga *v)
{
    VgaTiming t;
    int64_t now = vclock_now(v->clock), in_frame, in_line;
    int line;
    uint8_t st = 0;

    vga_timing(v, &t);
    in_frame = now % (t.line_ns * t.total);
    line = (int)(in_frame / t.line_ns);
    in_line = in_frame % t.line_ns;
    if (line >= t.vrs && line < t.vrs + t.vrlen)
        st |= 0x08;
    if (line >= t.vdisp || in_line >= t.hdisp_ns)
        st |= 0x01;
    return st;
}

/* --- Register file -------------------------------------------------------------- */

static void set_reg(Vga *v, uint8_t *reg, uint8_t val, bool redraw)
{
    if (*reg != val && redraw)
        vga_invalidate(v);
    *reg = val;
}

static void ar_write(Vga *v, uint8_t val)
{
    if (!v->ar_flip) {
        /* Bit 5 (palette address source) off blanks the screen. */
        set_reg(v, &v->ar_index, val & 0x3f, true);
    } else {
        unsigned i = v->ar_index & 0x1f;
        if (i < ARRAY_SIZE(v->ar))
            set_reg(v, &v->ar[i], val & ar_mask[i], true);
    }
    v->ar_flip = !v->ar_flip;
}

/* Only SR01 (dots per character, screen off) and SR03 (fonts) change the
 * picture; the map mask and memory mode only steer CPU accesses. Graphics
 * controller registers steer CPU accesses too, except GR05's shift mode,
 * which the renderer decodes on each update. */
static void sr_write(Vga *v, uint8_t val)
{
    unsigned i = v->sr_index;
    set_reg(v, &v->sr[i], val & sr_mask[i], i == 1 || i == 3);
}

/* CR11 bit 7 protects CR00-CR07, except CR07 bit 4 (line compare bit 8). */
static void cr_write(Vga *v, uint8_t val)
{
    unsigned i = v->cr_index;
    bool cursor = i == 0x0a || i == 0x0b || i == 0x0e || i == 0x0f;

    if (i >= ARRAY_SIZE(v->cr)) {
        log_unimp("vga: CRTC register 0x%02x", i);
        return;
    }
    if ((v->cr[0x11] & 0x80) && i <= 7) {
        if (i != 7)
            return;
        val = (v->cr[7] & ~0x10) | (val & 0x10);
    }
    set_reg(v, &v->cr[i], val, !cursor);
}

static void dac_write_data(Vga *v, uint8_t val)
{
    bool dac8 = v->vbe_regs[VBE_DISPI_INDEX_ENABLE] & VBE_DISPI_8BIT_DAC;
    v->dac_rgb[v->dac_sub++] = dac8 ? val : val & 0x3f;
    if (v->dac_sub < 3)
        return;
    /* The entry changes when its third component arrives. */
    if (memcmp(&v->palette[v->dac_write_index * 3], v->dac_rgb, 3)) {
        memcpy(&v->palette[v->dac_write_index * 3], v->dac_rgb, 3);
        vga_invalidate(v);
    }
    v->dac_write_index++;
    v->dac_sub = 0;
}

static uint8_t dac_read_data(Vga *v)
{
    uint8_t val = v->palette[v->dac_read_index * 3 + v->dac_sub++];
    if (v->dac_sub == 3) {
        v->dac_read_index++;
        v->dac_sub = 0;
    }
    return val;
}

/* Ports 3B0-3BF answer only in monochrome mode, 3D0-3DF only in colour
 * mode (misc output bit 0, I/O address select). */
static bool port_active(Vga *v, uint16_t port)
{
    if (port >= 0x3b0 && port <= 0x3bf)
        return !(v->misc & 1);
    if (port >= 0x3d0 && port <= 0x3df)
        return v->misc & 1;
    return true;
}

uint8_t vga_port_read(Vga *v, uint16_t port)
{
    if (!port_active(v, port))
        return 0xff;
    switch (port) {
    case 0x3c0: return v->ar_index;
    case 0x3c1: return (v->ar_index & 0x1f) < ARRAY_SIZE(v->ar) ? v->ar[v->ar_index & 0x1f] : 0;
    case 0x3c2: return 0;      /* input status 0: no retrace interrupt pending */
    case 0x3c3: return v->vga_enable;
    case 0x3c4: return v->sr_index;
    case 0x3c5: return v->sr[v->sr_index];
    case 0x3c6: return v->dac_mask;
    case 0x3c7: return v->dac_state;
    case 0x3c8: return v->dac_write_index;
    case 0x3c9: return dac_read_data(v);
    case 0x3ca: return v->feature;
    case 0x3cc: return v->misc;
    case 0x3ce: return v->gr_index;
    case 0x3cf: return v->gr[v->gr_index];
    case 0x3b4: case 0x3d4: return v->cr_index;
    case 0x3b5: case 0x3d5:
        return v->cr_index < ARRAY_SIZE(v->cr) ? v->cr[v->cr_index] : 0xff;
    case 0x3ba: case 0x3da:
        v->ar_flip = false;
        return vga_status1(v);
    default:
        log_unimp("vga: read port 0x%03x", port);
        return 0xff;
    }
}

void vga_port_write(Vga *v, uint16_t port, uint8_t val)
{
    if (!port_active(v, port))
        return;
    switch (port) {
    case 0x3c0: ar_write(v, val); break;
    case 0x3c2: set_reg(v, &v->misc, val, true); break;
    case 0x3c3: v->vga_enable = val & 1; break;
    case 0x3c4: v->sr_index = val & 7; break;
    case 0x3c5: sr_write(v, val); break;
    case 0x3c6: set_reg(v, &v->dac_mask, val, true); break;
    case 0x3c7: v->dac_read_index = val; v->dac_sub = 0; v->dac_state = 3; break;
    case 0x3c8: v->dac_write_index = val; v->dac_sub = 0; v->dac_state = 0; break;
    case 0x3c9: dac_write_data(v, val); break;
    case 0x3ce: v->gr_index = val & 0x0f; break;
    case 0x3cf: v->gr[v->gr_index] = val & gr_mask[v->gr_index]; break;
    case 0x3b4: case 0x3d4: v->cr_index = val; break;
    case 0x3b5: case 0x3d5: cr_write(v, val); break;
    case 0x3ba: case 0x3da: v->feature = val; break;
    default:
        log_unimp("vga: write 0x%02x to port 0x%03x", val, port);
        break;
    }
}

static uint64_t vga_ports_read(void *opaque, uint64_t offset, unsigned size)
{
    return vga_port_read(opaque, 0x3b0 + (uint16_t)offset);
}

static void vga_ports_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    vga_port_write(opaque, 0x3b0 + (uint16_t)offset, (uint8_t)value);
}

static const IoOps vga_port_ops = { vga_ports_read, vga_ports_write, 1, 1 };

/* --- QEMU's MMIO BAR2: VGA ports, dispi registers, extension registers ---------- */

enum { MMIO_VGA = 0x400, MMIO_DISPI = 0x500, MMIO_QEXT = 0x600 };
#define QEXT_LITTLE_ENDIAN 0x1e1e1e1eu

static uint32_t qext_read(uint64_t reg)
{
    if (reg == 0)
        return 8;                   /* size of the extension region */
    if (reg == 4)
        return QEXT_LITTLE_ENDIAN;  /* framebuffer byte order */
    return 0;
}

static uint64_t vga_mmio_read(void *opaque, uint64_t off, unsigned size)
{
    Vga *v = opaque;
    uint64_t val = 0;
    for (unsigned i = 0; i < size; i++) {
        uint64_t o = off + i;
        uint8_t b = 0;
        if (o >= MMIO_VGA && o < MMIO_VGA + 0x20)
            b = vga_port_read(v, 0x3c0 + (o - MMIO_VGA));
        else if (o >= MMIO_DISPI && o < MMIO_DISPI + 2 * VBE_DISPI_NREGS)
            b = vbe_read(v, (o - MMIO_DISPI) / 2) >> (8 * (o & 1));
        else if (o >= MMIO_QEXT && o < MMIO_QEXT + 8)
            b = qext_read((o - MMIO_QEXT) & ~3ull) >> (8 * (o & 3));
        val |= (uint64_t)b << (8 * i);
    }
    return val;
}

static void dispi_mmio_write(Vga *v, uint64_t o, uint64_t value, unsigned size)
{
    unsigned index = (o - MMIO_DISPI) / 2;
    if (size == 1) {
        uint16_t old = vbe_read(v, index);
        value = (o & 1) ? (old & 0xff) | (value & 0xff) << 8 : (old & 0xff00) | (value & 0xff);
    }
    vbe_write(v, index, (uint16_t)value);
}

static void vga_mmio_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    Vga *v = opaque;
    if (off >= MMIO_VGA && off < MMIO_VGA + 0x20) {
        for (unsigned i = 0; i < size; i++)
            vga_port_write(v, 0x3c0 + (off + i - MMIO_VGA), value >> (8 * i));
    } else if (off >= MMIO_DISPI && off < MMIO_DISPI + 2 * VBE_DISPI_NREGS) {
        dispi_mmio_write(v, off, value, size);
    } else if (off == MMIO_QEXT + 4 && value != QEXT_LITTLE_ENDIAN) {
        log_unimp("vga: big-endian framebuffer (qext byteorder 0x%llx)",
                  (unsigned long long)value);
    }
}

/* Dispi registers are 16 bits wide; the bus splits dwords. */
static const IoOps vga_mmio_ops = { vga_mmio_read, vga_mmio_write, 1, 2 };

/* --- Construction --------------------------------------------------------------- */

void vga_reset(Vga *v)
{
    v->misc = v->feature = v->vga_enable = 0;
    v->sr_index = v->gr_index = v->cr_index = v->ar_index = 0;
    memset(v->sr, 0, sizeof(v->sr));
    memset(v->gr, 0, sizeof(v->gr));
    memset(v->cr, 0, sizeof(v->cr));
    memset(v->ar, 0, sizeof(v->ar));
    v->ar_flip = false;
    v->latch = 0;
    v->dac_mask = 0xff;
    v->dac_read_index = v->dac_write_index = v->dac_sub = v->dac_state = 0;
    memset(v->palette, 0, sizeof(v->palette));
    vbe_reset(v);
    vga_invalidate(v);
}

static void vga_pci_reset(void *opaque)
{
    vga_reset(opaque);
}

static const PciHooks vga_pci_hooks = { .reset = vga_pci_reset };

static RamBlock *load_rom(MemMap *mem, const char *romfile)
{
    size_t size, block = GUEST_PAGE_SIZE;
    uint8_t *data = firmware_load(romfile, &size, "seabios");
    RamBlock *rom;
    while (block < size)    /* a ROM BAR is a power of two */
        block <<= 1;
    rom = memmap_new_block(mem, "vga.rom", block, false);
    memcpy(rom->host, data, size);
    free(data);
    return rom;
}

static void vga_pci_init(Vga *v, PciBus *pb, uint8_t devfn, const char *romfile)
{
    PciDevice *d = &v->pci;
    pci_device_init(d, pb, devfn, "vga", 0x1234, 0x1111, 0x030000, &vga_pci_hooks, v);
    /* QEMU's stdvga: revision 2 tells bochs-drm the BAR2 extensions exist. */
    pci_set_byte(d, PCI_REVISION_ID, 2);
    pci_set_word(d, PCI_SUBSYSTEM_VENDOR_ID, 0x1af4);
    pci_set_word(d, PCI_SUBSYSTEM_ID, 0x1100);
    pci_register_bar_ram(d, 0, v->vram, true);
    pci_register_bar_mmio(d, 2, 0x1000, &vga_mmio_ops, v);
    if (romfile) {
        v->rom = load_rom(v->mem, romfile);
        pci_register_rom(d, v->rom);
    }
}

Vga *vga_new(Bus *bus, PciBus *pb, uint8_t devfn, VClock *clock, const char *romfile)
{
    Vga *v = calloc(1, sizeof(*v));
    if (!v)
        fatal("out of memory");
    v->bus = bus;
    v->mem = bus_memmap(bus);
    v->clock = clock;
    v->vram_size = VGA_VRAM_SIZE;
    v->vram = memmap_new_block(v->mem, "vga.vram", v->vram_size, true);
    if (!bus_map_io(bus, "vga", 0x3b0, 0x30, &vga_port_ops, v) ||
        !bus_map_io(bus, "vbe", 0x1ce, 3, &vbe_port_ops, v) ||
        !bus_map_mmio(bus, "vga.window", 0xa0000, 0x20000, &vga_mem_ops, v))
        fatal("vga: ports 0x3b0-0x3df, 0x1ce-0x1d0 or memory 0xa0000 already taken");
    if (pb)
        vga_pci_init(v, pb, devfn, romfile);
    else
        v->isa_lfb = memmap_map_ram(v->mem, "vga.lfb", VBE_DISPI_LFB_PHYSICAL_ADDRESS,
                                    v->vram_size, v->vram, 0, PRIO_DEVICE);
    vga_display_init(v);
    vga_reset(v);
    return v;
}

void vga_free(Vga *v)
{
    if (!v)
        return;
    vga_display_free(v);
    free(v);
}

DisplayDevice *vga_display(Vga *v)
{
    return &v->display;
}

RamBlock *vga_vram(Vga *v)
{
    return v->vram;
}

int vga_screendump_png(Vga *v, const char *path, char *err, size_t errlen)
{
    return screendump_png(&v->display, path, err, errlen);
}

int vga_screendump_text(Vga *v, FILE *out)
{
    return screendump_text(&v->display, out);
}
