/* vga.h — the standard VGA adapter with the Bochs VBE "dispi" extension, as
 * QEMU's "-vga std" (PCI 1234:1111, class 0x030000).
 *
 * The board makes one with vga_new():
 *   - legacy VGA ports 0x3b0-0x3df and the Bochs VBE ports 0x1ce-0x1d0;
 *   - the legacy memory window 0xa0000-0xbffff (MMIO over RAM, PRIO_DEVICE);
 *   - with a PCI bus: function `devfn` with BAR0 = the linear framebuffer
 *     (16 MiB VRAM, prefetchable, dirty-logged), BAR2 = QEMU's 4 KiB MMIO
 *     register window (VGA ports at 0x400, dispi at 0x500, extensions at
 *     0x600), and the VGA BIOS `romfile` as expansion ROM (SeaBIOS copies it
 *     to 0xc0000 and runs it);
 *   - without a PCI bus (pb == NULL, tests and ISA-only boards): the LFB is
 *     mapped at the fixed Bochs address 0xe0000000 and there is no ROM.
 *
 * Reset: with PCI, pci_bus_reset() runs vga_reset() through the PCI hooks;
 * without, the board calls vga_reset() itself.
 *
 * Front ends see the adapter as a DisplayDevice (ui/display.h).
 */
#ifndef EMU_HW_VGA_H
#define EMU_HW_VGA_H

#include <stdio.h>
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/pci.h"
#include "ui/display.h"

#define VGA_VRAM_SIZE (16u << 20)
#define VBE_DISPI_LFB_PHYSICAL_ADDRESS 0xe0000000u

typedef struct Vga Vga;

/* romfile: the VGA BIOS, e.g. "vgabios-stdvga.bin" (Debian's seabios
 * package), or NULL for none. Ignored without a PCI bus. */
Vga *vga_new(Bus *bus, PciBus *pb, uint8_t devfn, VClock *clock, const char *romfile);
/* Frees the device's own memory; the Bus keeps its (dead) mappings, so free
 * the Bus too, before or after. */
void vga_free(Vga *vga);
/* Power-on register state (VRAM keeps its contents, as on real hardware). */
void vga_reset(Vga *vga);

DisplayDevice *vga_display(Vga *vga);
RamBlock *vga_vram(Vga *vga);

/* Render the current screen and save it; 0, or -1 with a reason in err. */
int vga_screendump_png(Vga *vga, const char *path, char *err, size_t errlen);
/* Write a text-mode screen as UTF-8 lines (CP437 mapped, trailing blanks
 * dropped); -1 in graphics modes. */
int vga_screendump_text(Vga *vga, FILE *out);

#endif
