/* cpu_rom_rig.h — a bare CPU booting a 64 KiB -bios image, for the ROM
 * mode tests (test_cpu_modes.c, tests/guests/README.md) and the lockstep
 * test (test_cpu_lockstep.c), which also boots the benchmark guest.
 *
 * The rig is what those programs need and no more: RAM from 0
 * (ROMRIG_RAM), the image as ROM at 4 GiB - 64 KiB and at 0xF0000, the
 * debug console (0xE9, collected in out[]), isa-debug-exit (0x501, which
 * ends the run), port 0x92 for A20 and, with ROMRIG_DEVICES, the 8259A
 * pair, the 8254 and the RTC. The VClock counts instructions (16 ns each)
 * from a wall epoch of 0, so a run is a pure function of the image and of
 * the slices it is run in. ROMRIG_DIRTY_LOG keeps PAGE_DIRTY on the RAM
 * (memmap.h) for tests that compare the pages written.
 *
 *   RomRig *r = romrig_new(CPU_BACKEND_JIT, test_build_path("tests/guests/pmode.bin"), 0);
 *   romrig_run(r, 5000000);          // until isa-debug-exit, a hang or 5M instructions
 *   r->status == 1 && strstr(r->out, "PASS")...
 */
#ifndef EMU_TESTS_CPU_ROM_RIG_H
#define EMU_TESTS_CPU_ROM_RIG_H

#include "cpu/cpu.h"
#include "hw/bus.h"
#include "hw/i8254.h"
#include "hw/i8259.h"
#include "hw/mc146818.h"
#include "hw/port92.h"
#include "unit/cpu_backends.h"

#define ROMRIG_RAM (32u << 20)
#define ROMRIG_ROM_SIZE 0x10000u
#define ROMRIG_ICOUNT_SHIFT 4       /* 16 ns per instruction */

typedef struct RomRig {
    Bus *bus;
    VClock *clock;
    Cpu *cpu;
    RamBlock *ram;
    Pic *pic;
    Pit *pit;
    Rtc *rtc;
    Port92 *port92;
    char out[32768];                /* debug console text, NUL-terminated */
    int nout;
    int status;                     /* QEMU-style exit status ((v << 1) | 1), or -1 */
    bool done;                      /* exited, shut down, or halted for good */
} RomRig;

enum { ROMRIG_DEVICES = 1 << 0, ROMRIG_DIRTY_LOG = 1 << 1 };

/* NULL (with a message) if the image cannot be read. */
RomRig *romrig_new(CpuBackendKind backend, const char *path, unsigned flags);
void romrig_free(RomRig *r);
/* Run at most n more instructions, in slices that end at every timer
 * deadline; time skips ahead while the CPU halts. Returns the instructions
 * run (fewer than n only when r->done). */
uint64_t romrig_advance(RomRig *r, uint64_t n);
/* Until done or max_insns instructions in all. */
void romrig_run(RomRig *r, uint64_t max_insns);

#endif
