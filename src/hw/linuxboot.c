/* linuxboot.c — bzImage header parsing and patching for direct boot.
 *
 * Field offsets are those of the x86 boot protocol's setup header
 * (Documentation/arch/x86/boot.rst); each patch is guarded by the
 * protocol version that introduced the field.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/linuxboot.h"
#include "base/compiler.h"

/* Setup header offsets within the image */
enum {
    HDR_CL_MAGIC = 0x020, HDR_CL_OFFSET = 0x022,        /* protocol < 2.02 */
    HDR_SETUP_SECTS = 0x1f1, HDR_MAGIC = 0x202, HDR_VERSION = 0x206,
    HDR_TYPE_OF_LOADER = 0x210, HDR_LOADFLAGS = 0x211,
    HDR_RAMDISK_IMAGE = 0x218, HDR_RAMDISK_SIZE = 0x21c, HDR_HEAP_END_PTR = 0x224,
    HDR_CMD_LINE_PTR = 0x228, HDR_INITRD_ADDR_MAX = 0x22c, HDR_CMDLINE_SIZE = 0x238,
    HDR_END = 0x23c,
};
enum { LOADED_HIGH = 0x01, CAN_USE_HEAP = 0x80 };
#define LOADER_QEMU 0xb0            /* type_of_loader: ID 0xB ("Qemu"), version 0 */
#define CL_MAGIC 0xa33f
#define OLD_INITRD_ADDR_MAX 0x37ffffff

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

/* Where setup, command line and kernel go, by protocol and LOADED_HIGH. */
static void choose_addresses(LinuxBoot *lb, uint8_t loadflags)
{
    if (lb->protocol < 0x200 || !(loadflags & LOADED_HIGH)) {
        lb->setup_addr = 0x90000;       /* zImage: everything below 640 KiB */
        lb->cmdline_addr = 0x9a000 - lb->cmdline_size;
        lb->kernel_addr = 0x10000;
    } else if (lb->protocol < 0x202) {
        lb->setup_addr = 0x90000;
        lb->cmdline_addr = 0x9a000 - lb->cmdline_size;
        lb->kernel_addr = 0x100000;
    } else {
        lb->setup_addr = 0x10000;
        lb->cmdline_addr = 0x20000;
        lb->kernel_addr = 0x100000;
    }
}

static int place_initrd(LinuxBoot *lb, uint64_t initrd_size, uint64_t ram_below_4g,
                        char *err, size_t errlen)
{
    uint64_t max = lb->protocol >= 0x203 ? ld32(lb->setup + HDR_INITRD_ADDR_MAX)
                                         : OLD_INITRD_ADDR_MAX;
    if (lb->protocol < 0x200)
        return fail(err, errlen, "kernel too old to load an initrd");
    if (max >= ram_below_4g - LINUXBOOT_ACPI_RESERVE)
        max = ram_below_4g - LINUXBOOT_ACPI_RESERVE - 1;
    if (initrd_size >= max)
        return fail(err, errlen, "initrd of %llu bytes does not fit below 0x%llx",
                    (unsigned long long)initrd_size, (unsigned long long)max);
    lb->initrd_addr = (uint32_t)((max - initrd_size) & ~0xfffull);
    st32(lb->setup + HDR_RAMDISK_IMAGE, lb->initrd_addr);
    st32(lb->setup + HDR_RAMDISK_SIZE, (uint32_t)initrd_size);
    return 0;
}

static void patch_header(LinuxBoot *lb)
{
    uint8_t *h = lb->setup;
    if (lb->protocol >= 0x202) {
        st32(h + HDR_CMD_LINE_PTR, lb->cmdline_addr);
    } else {
        st16(h + HDR_CL_MAGIC, CL_MAGIC);
        st16(h + HDR_CL_OFFSET, (uint16_t)(lb->cmdline_addr - lb->setup_addr));
    }
    if (lb->protocol >= 0x200)
        h[HDR_TYPE_OF_LOADER] = LOADER_QEMU;
    if (lb->protocol >= 0x201) {
        h[HDR_LOADFLAGS] |= CAN_USE_HEAP;
        st16(h + HDR_HEAP_END_PTR, (uint16_t)(lb->cmdline_addr - lb->setup_addr - 0x200));
    }
}

int linuxboot_prepare(LinuxBoot *lb, const uint8_t *image, size_t size, const char *cmdline,
                      uint64_t initrd_size, uint64_t ram_below_4g, char *err, size_t errlen)
{
    size_t cmdlen = strlen(cmdline);
    unsigned sects;

    memset(lb, 0, sizeof(*lb));
    if (size < HDR_END || memcmp(image + HDR_MAGIC, "HdrS", 4))
        return fail(err, errlen, "not a Linux bzImage (no \"HdrS\" setup header)");
    lb->protocol = ld16(image + HDR_VERSION);
    sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : 4;   /* 0 means 4 */
    lb->setup_size = (sects + 1) * 512;
    if (lb->setup_size >= size)
        return fail(err, errlen, "setup (%u bytes) is not smaller than the image",
                    lb->setup_size);
    if (lb->protocol >= 0x206 && cmdlen > ld32(image + HDR_CMDLINE_SIZE))
        return fail(err, errlen, "command line longer than the kernel's %u bytes",
                    ld32(image + HDR_CMDLINE_SIZE));
    lb->cmdline_size = (uint32_t)cmdlen + 1;
    lb->kernel = image + lb->setup_size;
    lb->kernel_size = (uint32_t)(size - lb->setup_size);
    lb->setup = malloc(lb->setup_size);
    if (!lb->setup)
        return fail(err, errlen, "out of memory");
    memcpy(lb->setup, image, lb->setup_size);
    choose_addresses(lb, image[HDR_LOADFLAGS]);
    patch_header(lb);
    if (initrd_size && place_initrd(lb, initrd_size, ram_below_4g, err, errlen)) {
        linuxboot_free(lb);
        return -1;
    }
    return 0;
}

void linuxboot_free(LinuxBoot *lb)
{
    free(lb->setup);
    lb->setup = NULL;
}
