/* linuxboot.h — preparing a Linux bzImage for fw_cfg direct boot (-kernel).
 *
 * The image is split as the x86 boot protocol describes (Linux
 * Documentation/arch/x86/boot.rst): the real-mode setup (boot sector plus
 * setup_sects sectors) and the protected-mode kernel. The setup header is
 * patched the way a boot loader would: loader type, heap end, command line
 * pointer, initrd address and size. The load addresses follow QEMU's
 * choice, so an option ROM written for QEMU's fw_cfg items (linuxboot_dma)
 * can copy the pieces into place and jump to the setup code.
 */
#ifndef EMU_HW_LINUXBOOT_H
#define EMU_HW_LINUXBOOT_H

#include <stddef.h>
#include <stdint.h>

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

#endif
