/* pc.h — the i440FX/PIIX3 PC board.
 *
 * pc_init() builds the whole machine into a Machine made by machine_new():
 * memory, chipset, ISA devices, firmware configuration, then the CPU.
 * pc_build() is the same without the CPU, for tests that look at the board
 * from the outside (ports, memory map, fw_cfg). Bad options (a missing file,
 * an unusable chardev) end the program through fatal().
 */
#ifndef EMU_HW_PC_H
#define EMU_HW_PC_H

#include "hw/machine.h"
#include "hw/fw_cfg.h"
#include "hw/pci.h"
#include "hw/i8042.h"
#include "ui/chardev.h"
#include "ui/display.h"

typedef struct PcBoard PcBoard;

#define PC_CMOS_SIZE 128

void pc_init(Machine *m);
PcBoard *pc_build(Machine *m);      /* also sets m->board */

PciBus *pc_pci_bus(PcBoard *pc);
FwCfg *pc_fw_cfg(PcBoard *pc);

/* For the front ends (src/ui): the VGA as a display, the keyboard and mouse
 * controller, the mon:stdio console the monitor shares (NULL if none), and
 * the ACPI power button — pressed, and true if the guest has enabled its
 * event (PM1_EN.PWRBTN_EN), i.e. an ACPI OS will act on it. */
DisplayDevice *pc_display(PcBoard *pc);
I8042 *pc_i8042(PcBoard *pc);
CharDev *pc_console(PcBoard *pc);
bool pc_power_button(PcBoard *pc);

/* The CMOS bytes the board sets for SeaBIOS (memory sizes, equipment, boot
 * order, CPU count, checksum), as QEMU's PC sets them. Bytes the board does
 * not own are left 0. `set` marks the owned ones. */
void pc_cmos_image(const EmuOptions *opts, uint8_t cmos[PC_CMOS_SIZE],
                   bool set[PC_CMOS_SIZE]);

#endif
