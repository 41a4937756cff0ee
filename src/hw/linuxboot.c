/* linuxboot.c — bzImage header parsing and patching for direct boot.
 *
 * Field offsets are those of the x86 boot protocol's setup header
 * (Documentation/arch/x86/boot.rst); each patch is guarded by the
 * protocol version that introduced the field.
 *
 * Then the board side of -kernel: reading the files, choosing between a
 * bzImage and a multiboot kernel, the fw_cfg items, and the loader ROM.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "hw/linuxboot.h"
#include "hw/multiboot.h"
#include "hw/firmware.h"
#include "base/compiler.h"
#include "base/log.h"

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
        return set_error(err, errlen, "kernel too old to load an initrd");
    if (max >= ram_below_4g - LINUXBOOT_ACPI_RESERVE)
        max = ram_below_4g - LINUXBOOT_ACPI_RESERVE - 1;
    if (initrd_size >= max)
        return set_error(err, errlen, "initrd of %llu bytes does not fit below 0x%llx",
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
    if (!linuxboot_is_bzimage(image, size))
        return set_error(err, errlen, "not a Linux bzImage (no \"HdrS\" setup header)");
    lb->protocol = ld16(image + HDR_VERSION);
    sects = image[HDR_SETUP_SECTS] ? image[HDR_SETUP_SECTS] : 4;   /* 0 means 4 */
    lb->setup_size = (sects + 1) * 512;
    if (lb->setup_size >= size)
        return set_error(err, errlen, "setup (%u bytes) is not smaller than the image",
                    lb->setup_size);
    if (lb->protocol >= 0x206 && cmdlen > ld32(image + HDR_CMDLINE_SIZE))
        return set_error(err, errlen, "command line longer than the kernel's %u bytes",
                    ld32(image + HDR_CMDLINE_SIZE));
    lb->cmdline_size = (uint32_t)cmdlen + 1;
    lb->kernel = image + lb->setup_size;
    lb->kernel_size = (uint32_t)(size - lb->setup_size);
    lb->setup = malloc(lb->setup_size);
    if (!lb->setup)
        return set_error(err, errlen, "out of memory");
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

bool linuxboot_is_bzimage(const uint8_t *image, size_t size)
{
    return size >= HDR_END && !memcmp(image + HDR_MAGIC, "HdrS", 4);
}

/* -- -kernel on the board ------------------------------------------------------ */

static uint8_t *read_file(const char *what, const char *path, size_t *size, char *err,
                          size_t errlen)
{
    FILE *f;
    uint8_t *buf = NULL;
    long len;

    errno = 0;
    f = fopen(path, "rb");
    if (!f || fseek(f, 0, SEEK_END) || (len = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
        goto fail;
    if ((unsigned long)len > 0xffffffffu) {
        set_error(err, errlen, "%s '%s' is larger than 4 GiB", what, path);
        fclose(f);
        return NULL;
    }
    buf = malloc(len ? (size_t)len : 1);
    if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
        goto fail;
    fclose(f);
    *size = (size_t)len;
    return buf;
fail:
    set_error(err, errlen, "cannot read %s '%s': %s", what, path, errno ? strerror(errno) : "read error");
    free(buf);
    if (f)
        fclose(f);
    return NULL;
}

static const char *add_linux(FwCfg *fw, const uint8_t *image, size_t size, const char *initrd,
                             const char *cmdline, uint64_t ram, char *err, size_t errlen)
{
    uint8_t *rd = NULL;
    size_t rd_size = 0;
    LinuxBoot lb;

    if (initrd && !(rd = read_file("initrd", initrd, &rd_size, err, errlen)))
        return NULL;
    if (linuxboot_prepare(&lb, image, size, cmdline, rd_size, ram, err, errlen)) {
        free(rd);
        return NULL;
    }
    fw_cfg_add_i32(fw, FW_CFG_SETUP_ADDR, lb.setup_addr);
    fw_cfg_add_i32(fw, FW_CFG_SETUP_SIZE, lb.setup_size);
    fw_cfg_add_bytes(fw, FW_CFG_SETUP_DATA, lb.setup, lb.setup_size);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ADDR, lb.kernel_addr);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_SIZE, lb.kernel_size);
    fw_cfg_add_bytes(fw, FW_CFG_KERNEL_DATA, lb.kernel, lb.kernel_size);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_ADDR, lb.cmdline_addr);
    fw_cfg_add_i32(fw, FW_CFG_CMDLINE_SIZE, lb.cmdline_size);
    fw_cfg_add_bytes(fw, FW_CFG_CMDLINE_DATA, cmdline, lb.cmdline_size);
    if (rd) {
        fw_cfg_add_i32(fw, FW_CFG_INITRD_ADDR, lb.initrd_addr);
        fw_cfg_add_i32(fw, FW_CFG_INITRD_SIZE, (uint32_t)rd_size);
        fw_cfg_add_bytes(fw, FW_CFG_INITRD_DATA, rd, (uint32_t)rd_size);
    }
    linuxboot_free(&lb);
    free(rd);
    return LINUXBOOT_ROM;
}

/* The modules' files, read; mods[i].string points into specs. */
static MultibootModule *read_modules(const char *initrd, MultibootModSpec **specs, int *n,
                                     char *err, size_t errlen)
{
    MultibootModule *mods;
    *n = 0;
    if (!initrd)
        return calloc(1, sizeof(*mods));
    *n = multiboot_parse_modules(initrd, specs, err, errlen);
    if (*n < 0 || !(mods = calloc((size_t)*n, sizeof(*mods)))) {
        *n = 0;
        return NULL;
    }
    for (int i = 0; i < *n; i++) {
        size_t size;
        mods[i].string = (*specs)[i].string;
        mods[i].data = read_file("multiboot module", (*specs)[i].path, &size, err, errlen);
        mods[i].size = (uint32_t)size;
        if (!mods[i].data)
            return mods;        /* the caller sees the missing data */
    }
    return mods;
}

static const char *add_multiboot(FwCfg *fw, const uint8_t *image, size_t size,
                                 const char *initrd, const char *cmdline, uint64_t ram,
                                 char *err, size_t errlen)
{
    MultibootModSpec *specs = NULL;
    MultibootModule *mods;
    const char *rom = NULL;
    Multiboot mb;
    int n, i;

    mods = read_modules(initrd, &specs, &n, err, errlen);
    if (!mods)
        goto out;
    for (i = 0; i < n && mods[i].data; i++)
        ;
    if (i < n || multiboot_prepare(&mb, image, size, cmdline, mods, n, ram, err, errlen))
        goto out;
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ADDR, mb.image_addr);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_SIZE, mb.image_size);
    fw_cfg_add_bytes(fw, FW_CFG_KERNEL_DATA, mb.image, mb.image_size);
    fw_cfg_add_i32(fw, FW_CFG_KERNEL_ENTRY, mb.entry);
    fw_cfg_add_i32(fw, FW_CFG_INITRD_ADDR, MULTIBOOT_INFO_ADDR);
    fw_cfg_add_i32(fw, FW_CFG_INITRD_SIZE, mb.info_size);
    fw_cfg_add_bytes(fw, FW_CFG_INITRD_DATA, mb.info, mb.info_size);
    multiboot_free(&mb);
    rom = MULTIBOOT_ROM;
out:
    for (i = 0; mods && i < n; i++)
        free((void *)mods[i].data);
    free(mods);
    multiboot_free_modules(specs, n);
    return rom;
}

const char *linuxboot_add_kernel(FwCfg *fw, const char *kernel, const char *initrd,
                                 const char *cmdline, uint64_t ram_below_4g, char *err,
                                 size_t errlen)
{
    MultibootHeader h;
    const char *rom = NULL;
    size_t size;
    uint8_t *image = read_file("kernel", kernel, &size, err, errlen);

    if (!image)
        return NULL;
    if (linuxboot_is_bzimage(image, size))
        rom = add_linux(fw, image, size, initrd, cmdline, ram_below_4g, err, errlen);
    else if (!multiboot_find_header(image, size, &h))
        rom = add_multiboot(fw, image, size, initrd, cmdline, ram_below_4g, err, errlen);
    else
        set_error(err, errlen, "neither a Linux bzImage (no \"HdrS\" setup header) nor a multiboot "
             "kernel (no multiboot header in the first 8 KiB)");
    free(image);
    return rom;
}

/* -- The loader option ROM ------------------------------------------------------ */

int linuxboot_rom_fixup(uint8_t *rom, size_t size, char *err, size_t errlen)
{
    uint8_t sum = 0;

    if (size < 512 || rom[0] != 0x55 || rom[1] != 0xaa)
        return set_error(err, errlen, "not an option ROM (no 55 AA signature)");
    if ((size_t)rom[2] * 512 != size)
        return set_error(err, errlen, "option ROM size byte says %u bytes, the file has %zu",
                    rom[2] * 512, size);
    for (size_t i = 0; i < size - 1; i++)
        sum += rom[i];
    rom[size - 1] = (uint8_t)-sum;
    return 0;
}

int linuxboot_add_rom(FwCfg *fw, const char *rom_name, const char *path, char *err,
                      size_t errlen)
{
    const char *base = strrchr(rom_name, '/') ? strrchr(rom_name, '/') + 1 : rom_name;
    char *found = path ? strdup(path) : firmware_find(base);
    uint8_t *rom = NULL;
    size_t size;
    int ret = -1;

    if (!found) {
        set_error(err, errlen, "option ROM %s not found in build/bios or the installed share/emu "
             "(it is built by `make firmware`)", base);
        goto out;
    }
    rom = read_file("option ROM", found, &size, err, errlen);
    if (!rom)
        goto out;
    if (linuxboot_rom_fixup(rom, size, err, errlen) == 0) {
        fw_cfg_add_file(fw, rom_name, rom, (uint32_t)size);
        ret = 0;
    } else {
        char why[160];
        snprintf(why, sizeof(why), "%s", err);
        set_error(err, errlen, "%s: %s", found, why);
    }
out:
    free(rom);
    free(found);
    return ret;
}
