/* i440fx.h — the Intel 82441FX PCI and memory controller (host bridge, 00:00.0).
 *
 * Besides its PCI header it owns the shadow-RAM switches: PAM0-PAM6 decide,
 * per 16 KiB chunk of 0xc0000-0xeffff and for the 64 KiB at 0xf0000, whether
 * reads and writes go to DRAM or to the PCI side (82441FX datasheet,
 * "PAM"). On the PCI side, 0xe0000-0xfffff shows the top of the BIOS ROM
 * (the "isa-bios" alias); 0xc0000-0xdffff shows nothing.
 */
#ifndef EMU_HW_I440FX_H
#define EMU_HW_I440FX_H

#include "hw/pci.h"

typedef struct I440fx I440fx;

/* ram: main memory, at least 1 MiB (the shadow areas are its own bytes at
 * the same addresses). bios: the BIOS ROM block; its last 128 KiB (all of
 * it, if smaller) appear below 1 MiB while shadowing is off. */
I440fx *i440fx_new(PciBus *pb, MemMap *mem, RamBlock *ram, RamBlock *bios);
void i440fx_free(I440fx *s);

#endif
