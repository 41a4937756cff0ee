/* vga_int.h — state shared by the VGA files (not for other devices).
 *
 *   vga.c         construction, PCI, I/O ports, register file, retrace timing
 *   vga_mem.c     the 0xa0000 window: planar/odd-even/chain-4 access, latches
 *   vga_vbe.c     Bochs VBE dispi registers
 *   vga_render.c  mode decoding and rendering into the DisplaySurface
 *
 * VRAM layout: the first 256 KiB is the VGA's four 64 KiB planes interleaved
 * per byte address: plane p, offset o lives at vram[4 * o + p], so one
 * 32-bit load reads all four planes (the latches). The chain-4 CPU address a
 * selects plane a & 3 at offset a & ~3, as on the IBM VGA (the CRTC then
 * reads with doubleword addressing), and odd/even address a selects plane
 * a & 1 at offset a & ~1. VBE packed modes (8 bpp and up) use VRAM as one
 * linear framebuffer from byte 0; VBE 4 bpp modes are planar with the same
 * interleave, each plane up to VGA_VRAM_SIZE / 4 bytes.
 */
#ifndef EMU_HW_VGA_INT_H
#define EMU_HW_VGA_INT_H

#include "hw/vga.h"

/* Bochs VBE dispi registers (Bochs vga.h / QEMU bochs-vbe.h). */
enum {
    VBE_DISPI_INDEX_ID, VBE_DISPI_INDEX_XRES, VBE_DISPI_INDEX_YRES, VBE_DISPI_INDEX_BPP,
    VBE_DISPI_INDEX_ENABLE, VBE_DISPI_INDEX_BANK, VBE_DISPI_INDEX_VIRT_WIDTH,
    VBE_DISPI_INDEX_VIRT_HEIGHT, VBE_DISPI_INDEX_X_OFFSET, VBE_DISPI_INDEX_Y_OFFSET,
    VBE_DISPI_INDEX_VIDEO_MEMORY_64K, VBE_DISPI_NREGS
};
enum {
    VBE_DISPI_ID0 = 0xb0c0, VBE_DISPI_ID5 = 0xb0c5,
    VBE_DISPI_ENABLED = 0x01, VBE_DISPI_GETCAPS = 0x02, VBE_DISPI_8BIT_DAC = 0x20,
    VBE_DISPI_LFB_ENABLED = 0x40, VBE_DISPI_NOCLEARMEM = 0x80,
    VBE_DISPI_MAX_XRES = 16000, VBE_DISPI_MAX_YRES = 12000, VBE_DISPI_MAX_BPP = 32,
};

typedef enum {
    VGA_MODE_BLANK, VGA_MODE_TEXT, VGA_MODE_PLANAR, VGA_MODE_CGA, VGA_MODE_256, VGA_MODE_VBE,
} VgaModeKind;

/* What the registers say the screen is; rendering compares it with the
 * previous one and redraws everything when anything differs. */
typedef struct VgaGeom {
    VgaModeKind kind;
    int width, height;          /* surface size */
    /* VGA CRTC addressing */
    uint32_t start;             /* start address (MA units) */
    uint32_t pitch;             /* MA increment per character row */
    int addr_shift;             /* 0 byte, 1 word, 2 doubleword mode */
    bool word_bit15;            /* word mode: MA15 (else MA13) into bit 0 */
    bool subst13, subst14;      /* row scan bits 0/1 replace MA13/MA14 */
    int scan_dbl;               /* 2 with double scanning, else 1 */
    int scans;                  /* scan lines per character row */
    int line_compare;           /* physical scan line of the split */
    int chars;                  /* character clocks per line */
    int pan;                    /* pixels to skip at the left */
    /* text */
    int cols, rows, cw, dots;   /* dots: 8 or 9; cw: dots per cell on the surface */
    uint32_t font_a, font_b;    /* plane-2 offsets of the two character sets */
    /* VBE */
    int bpp;
    uint32_t vbe_start, vbe_stride;     /* bytes (4 bpp: plane offsets) */
    bool dac8;
} VgaGeom;

struct Vga {
    PciDevice pci;              /* first member (hw/pci.h) */
    Bus *bus;
    MemMap *mem;
    VClock *clock;
    RamBlock *vram;
    RamBlock *rom;
    uint32_t vram_size;
    MemRegion *isa_lfb;

    /* General registers */
    uint8_t misc, feature, vga_enable;
    uint8_t sr_index, sr[8];
    uint8_t gr_index, gr[16];
    uint8_t cr_index, cr[0x19];
    uint8_t ar_index, ar[0x15];
    bool ar_flip;               /* false: next 0x3c0 write is the index */
    uint32_t latch;

    /* DAC */
    uint8_t dac_mask, dac_read_index, dac_write_index, dac_sub, dac_state;
    uint8_t dac_rgb[3];
    uint8_t palette[256 * 3];

    /* Bochs VBE */
    uint16_t vbe_index;
    uint16_t vbe_regs[VBE_DISPI_NREGS];
    uint32_t bank_offset;

    /* Display */
    DisplayDevice display;
    DisplaySurface surface;
    bool invalidated;           /* a register or palette write: redraw all */
    VgaGeom geom;               /* as last rendered */
    uint8_t *dirty;             /* per VRAM page, for the update in progress */
    uint16_t *text_cells;       /* last rendered cells (ch | attr << 8) */
    uint16_t *snapshot;         /* for display_text() */
    uint8_t font_cache[2][256 * 32];
    int cursor_cell;            /* last drawn cursor cell, -1 for none */
    uint16_t cursor_shape;      /* last drawn cursor start << 5 ^ end */
    bool blink_on;              /* last rendered character blink phase */
};

/* vga.c */
void vga_invalidate(Vga *v);
bool vga_vbe_enabled(const Vga *v);
int64_t vga_frame_ns(Vga *v);
uint8_t vga_port_read(Vga *v, uint16_t port);
void vga_port_write(Vga *v, uint16_t port, uint8_t val);

/* vga_mem.c */
extern const IoOps vga_mem_ops;

/* vga_vbe.c */
void vbe_reset(Vga *v);
uint16_t vbe_read(Vga *v, unsigned index);
void vbe_write(Vga *v, unsigned index, uint16_t val);
extern const IoOps vbe_port_ops;

/* vga_render.c */
void vga_display_init(Vga *v);
void vga_display_free(Vga *v);

#endif
