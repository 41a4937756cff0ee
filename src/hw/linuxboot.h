/* linuxboot.h — preparing a Linux bzImage for fw_cfg direct boot (-kernel).
 *
 * The image is split as the x86 boot protocol describes (Linux
 * Documentation/arch/x86/boot.rst): the real-mode setup (boot sector plus
 * setup_sects sectors) and the protected-mode kernel. The setup header is
 * patched the way a boot loader would: loader type, heap end, command line
 * pointer, initrd address and size. The load addresses follow QEMU's
 * choice and go in the fw_cfg items QEMU uses, from which our option ROM
 * (bios/linuxboot.asm) copies the pieces into place and starts the setup code.
 *
 * This file also puts a -kernel on the board: linuxboot_add_kernel() reads
 * the files, tells a bzImage from a multiboot kernel (hw/multiboot.h) and
 * adds the fw_cfg items; linuxboot_add_rom() adds the loader option ROM we
 * build (bios/linuxboot.asm, bios/multiboot.asm), which SeaBIOS runs as a
 * boot entry named by "bootorder" ("/rom@" + the ROM's fw_cfg name).
 */
#ifndef EMU_HW_LINUXBOOT_H
#define EMU_HW_LINUXBOOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "hw/fw_cfg.h"

typedef struct LinuxBoot {
    uint8_t *setup;             /* patched copy of the setup sectors */
    uint32_t setup_size, setup_addr;
    const uint8_t *kernel;      /* points into the caller's image */
    uint32_t kernel_size, kernel_addr;
    uint32_t cmdline_addr, cmdline_size;    /* size includes the NUL */
    uint32_t initrd_addr;       /* 0 without an initrd */
    uint16_t protocol;
} LinuxBoot;

/* Room left at the top of RAM for the ACPI tables the BIOS builds there;
 * the initrd goes below it. */
#define LINUXBOOT_ACPI_RESERVE 0x28000

/* image: the whole bzImage file (kept by the caller while lb is used).
 * Returns 0, or -1 with a one-line reason in err. */
int linuxboot_prepare(LinuxBoot *lb, const uint8_t *image, size_t size, const char *cmdline,
                      uint64_t initrd_size, uint64_t ram_below_4g, char *err, size_t errlen);
void linuxboot_free(LinuxBoot *lb);

/* The image has a setup header ("HdrS" at 0x202). */
bool linuxboot_is_bzimage(const uint8_t *image, size_t size);

/* fw_cfg names of the loader ROMs (the files are bios/NAME.asm built as NAME.bin) */
#define LINUXBOOT_ROM "genroms/linuxboot.bin"
#define MULTIBOOT_ROM "genroms/multiboot.bin"

/* Read -kernel (and -initrd: for a multiboot kernel a module list "FILE
 * [ARGS],..."), add the items the ROM reads to fw_cfg and return the ROM's
 * fw_cfg name; NULL with a one-line reason in err. */
const char *linuxboot_add_kernel(FwCfg *fw, const char *kernel, const char *initrd,
                                 const char *cmdline, uint64_t ram_below_4g, char *err,
                                 size_t errlen);
/* Add ROM `rom_name` (one of the names above) to fw_cfg, read from `path`, or
 * when NULL found like other firmware (firmware.h). 0, or -1 with err. */
int linuxboot_add_rom(FwCfg *fw, const char *rom_name, const char *path, char *err,
                      size_t errlen);
/* Check an option ROM image (55 AA, size byte = whole 512-byte blocks of
 * `size`) and set its last byte so all its bytes sum to 0. 0, or -1 with err. */
int linuxboot_rom_fixup(uint8_t *rom, size_t size, char *err, size_t errlen);

#endif
