/* multiboot.h — preparing a Multiboot (version 0.6.96) kernel for -kernel.
 *
 * The kernel image is laid out as it must sit in memory — the ELF32 PT_LOAD
 * segments, or with header flag 16 (the "a.out kludge") the file range the
 * header's address fields name, bss zeroed, then each module on a 4 KiB
 * boundary — and the multiboot information structure is built for
 * MULTIBOOT_INFO_ADDR. The board hands both to bios/multiboot.asm through
 * fw_cfg (KERNEL_* for the image, INITRD_* for the information,
 * KERNEL_ENTRY); the ROM adds what only the BIOS knows (int 12h, the E820
 * map) and enters the kernel.
 *
 * Information layout at MULTIBOOT_INFO_ADDR: the 88-byte structure, room for
 * MULTIBOOT_MMAP_MAX memory map entries, the module list, then the strings
 * (boot loader name, command line, module strings).
 */
#ifndef EMU_HW_MULTIBOOT_H
#define EMU_HW_MULTIBOOT_H

#include <stddef.h>
#include <stdint.h>

#define MULTIBOOT_HEADER_MAGIC 0x1badb002
#define MULTIBOOT_BOOTLOADER_MAGIC 0x2badb002
#define MULTIBOOT_SEARCH 8192           /* the header lies in the file's first 8 KiB */

/* Header flags (spec 3.1.2): bits 0-15 are requirements a loader must meet. */
enum {
    MULTIBOOT_PAGE_ALIGN = 1 << 0,      /* modules on 4 KiB boundaries */
    MULTIBOOT_MEMORY_INFO = 1 << 1,     /* mem_* fields (and the map) */
    MULTIBOOT_VIDEO_MODE = 1 << 2,      /* a video mode table: not offered */
    MULTIBOOT_AOUT_KLUDGE = 1 << 16,    /* the address fields are valid */
};

/* Information flags (spec 3.3) */
enum {
    MULTIBOOT_INFO_MEMORY = 1 << 0, MULTIBOOT_INFO_CMDLINE = 1 << 2,
    MULTIBOOT_INFO_MODS = 1 << 3, MULTIBOOT_INFO_MEM_MAP = 1 << 6,
    MULTIBOOT_INFO_LOADER_NAME = 1 << 9,
};

/* Information structure offsets (spec 3.3) */
enum {
    MBI_FLAGS = 0, MBI_MEM_LOWER = 4, MBI_MEM_UPPER = 8, MBI_BOOT_DEVICE = 12,
    MBI_CMDLINE = 16, MBI_MODS_COUNT = 20, MBI_MODS_ADDR = 24, MBI_MMAP_LENGTH = 44,
    MBI_MMAP_ADDR = 48, MBI_LOADER_NAME = 64, MBI_SIZE = 88,
    MBI_MOD_SIZE = 16,                  /* mod_start, mod_end, string, reserved */
    MBI_MMAP_ENTRY = 24,                /* size (20), base_addr, length, type */
};

#define MULTIBOOT_INFO_ADDR 0x9000      /* free conventional memory below the EBDA */
#define MULTIBOOT_INFO_MAX 0x10000      /* bounds the command line and module strings */
#define MULTIBOOT_MMAP_MAX 32           /* ORDER: MMAP_MAX in bios/multiboot.asm */
#define MULTIBOOT_LOAD_MIN 0x100000     /* below 1 MiB are the BIOS and the ROM's stack */
#define MULTIBOOT_LOADER_NAME "emu"

typedef struct MultibootHeader {
    uint32_t offset;                    /* of the header in the file */
    uint32_t flags;
    uint32_t header_addr, load_addr, load_end_addr, bss_end_addr, entry_addr;
} MultibootHeader;

typedef struct MultibootModule {
    const uint8_t *data;
    uint32_t size;
    const char *string;                 /* its command line ("FILE ARGS") */
} MultibootModule;

typedef struct Multiboot {
    uint8_t *image;                     /* segments, bss and modules, at image_addr */
    uint32_t image_addr, image_size, entry;
    uint8_t *info;                      /* at MULTIBOOT_INFO_ADDR */
    uint32_t info_size;
} Multiboot;

/* A module list as -initrd gives it: "FILE [ARGS],FILE [ARGS]" (",," is a comma). */
typedef struct MultibootModSpec {
    char *path, *string;
} MultibootModSpec;

/* 0 and *h if the first 8 KiB hold a header whose checksum holds; -1 if not. */
int multiboot_find_header(const uint8_t *image, size_t size, MultibootHeader *h);

/* Lay out the kernel and its modules and build the information structure.
 * Returns 0, or -1 with a one-line reason in err. */
int multiboot_prepare(Multiboot *mb, const uint8_t *image, size_t size, const char *cmdline,
                      const MultibootModule *mods, int nmods, uint64_t ram_below_4g,
                      char *err, size_t errlen);
void multiboot_free(Multiboot *mb);

/* Split an -initrd module list; returns the count (>= 1) or -1 with err. */
int multiboot_parse_modules(const char *spec, MultibootModSpec **mods, char *err, size_t errlen);
void multiboot_free_modules(MultibootModSpec *mods, int n);

#endif
