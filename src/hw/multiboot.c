/* multiboot.c — Multiboot 0.6.96 kernels: header, image layout, information.
 *
 * Field offsets and rules are the specification's (3.1 "OS image format",
 * 3.3 "Boot information format"). The image is one blob from the lowest
 * loaded address to the end of the last module, gaps and bss zeroed, so the
 * ROM copies it in one transfer. Loading below 1 MiB is refused: the BIOS,
 * the ROM's stack and the information structure live there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/multiboot.h"
#include "hw/linuxboot.h"
#include "base/compiler.h"
#include "base/log.h"

/* ELF32 (System V ABI, Intel386 supplement) */
enum {
    EI_CLASS = 4, EI_DATA = 5, E_TYPE = 16, E_MACHINE = 18, E_ENTRY = 24, E_PHOFF = 28,
    E_PHENTSIZE = 42, E_PHNUM = 44, EHDR_SIZE = 52,
    P_TYPE = 0, P_OFFSET = 4, P_VADDR = 8, P_PADDR = 12, P_FILESZ = 16, P_MEMSZ = 20,
    PHDR_SIZE = 32,
};
enum { ELFCLASS32 = 1, ELFDATA2LSB = 1, ET_EXEC = 2, EM_386 = 3, PT_LOAD = 1 };

#define PAGE 4096u
#define SUPPORTED_FLAGS (MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO)

/* Where the kernel goes: [lo, hi) with bss; for the a.out kludge also the
 * file range copied to lo. */
typedef struct Layout {
    uint32_t lo, hi, entry;
    uint32_t file_off, file_len;
} Layout;


static uint64_t page_up(uint64_t v)
{
    return (v + PAGE - 1) & ~(uint64_t)(PAGE - 1);
}

int multiboot_find_header(const uint8_t *image, size_t size, MultibootHeader *h)
{
    size_t end = MIN(size, (size_t)MULTIBOOT_SEARCH);
    for (size_t off = 0; off + 12 <= end; off += 4) {
        const uint8_t *p = image + off;
        if (ld32(p) != MULTIBOOT_HEADER_MAGIC || (uint32_t)(ld32(p) + ld32(p + 4) + ld32(p + 8)))
            continue;
        memset(h, 0, sizeof(*h));
        h->offset = (uint32_t)off;
        h->flags = ld32(p + 4);
        if (off + 32 <= end) {
            h->header_addr = ld32(p + 12);
            h->load_addr = ld32(p + 16);
            h->load_end_addr = ld32(p + 20);
            h->bss_end_addr = ld32(p + 24);
            h->entry_addr = ld32(p + 28);
        }
        return 0;
    }
    return -1;
}

/* Bits 0-15 are requirements: the loader must refuse what it cannot meet (3.1.2). */
static int check_flags(uint32_t flags, char *err, size_t errlen)
{
    uint32_t missing = flags & 0xffff & ~SUPPORTED_FLAGS;
    if (!missing)
        return 0;
    return set_error(err, errlen, "the multiboot header requires features this loader lacks "
                "(flags 0x%04x%s)", missing,
                missing & MULTIBOOT_VIDEO_MODE ? ": bit 2, a video mode table" : "");
}

/* -- a.out kludge: the header's address fields (3.1.3) --------------------------- */

static int layout_aout(const MultibootHeader *h, size_t size, Layout *l, char *err, size_t errlen)
{
    uint64_t load_end, bss_end;

    if ((uint64_t)h->offset + 32 > MIN(size, (size_t)MULTIBOOT_SEARCH))
        return set_error(err, errlen, "the multiboot header's address fields (flag 16) are cut off");
    if (h->load_addr > h->header_addr || h->header_addr - h->load_addr > h->offset)
        return set_error(err, errlen, "load_addr 0x%x is not in the file before header_addr 0x%x",
                    h->load_addr, h->header_addr);
    l->file_off = h->offset - (h->header_addr - h->load_addr);
    load_end = h->load_end_addr ? h->load_end_addr : h->load_addr + (size - l->file_off);
    if (load_end <= h->load_addr || load_end - h->load_addr > size - l->file_off)
        return set_error(err, errlen, "load_end_addr 0x%llx: the file has 0x%zx bytes from load_addr 0x%x",
                    (unsigned long long)load_end, size - l->file_off, h->load_addr);
    bss_end = h->bss_end_addr ? h->bss_end_addr : load_end;
    if (bss_end < load_end)
        return set_error(err, errlen, "bss_end_addr 0x%x is below load_end_addr 0x%llx",
                    h->bss_end_addr, (unsigned long long)load_end);
    l->lo = h->load_addr;
    l->hi = (uint32_t)bss_end;
    l->file_len = (uint32_t)(load_end - h->load_addr);
    l->entry = h->entry_addr;
    return 0;
}

/* -- ELF32: the PT_LOAD segments at their physical addresses ---------------------- */

static int elf_header(const uint8_t *image, size_t size, char *err, size_t errlen)
{
    uint64_t ph_end;

    if (size < EHDR_SIZE || memcmp(image, "\177ELF", 4))
        return set_error(err, errlen, "a multiboot header without address fields (flag 16) "
                    "needs an ELF kernel, and this is not ELF");
    if (image[EI_CLASS] != ELFCLASS32 || image[EI_DATA] != ELFDATA2LSB)
        return set_error(err, errlen, "not a 32-bit little-endian ELF file (multiboot loads ELF32)");
    if (ld16(image + E_TYPE) != ET_EXEC || ld16(image + E_MACHINE) != EM_386)
        return set_error(err, errlen, "not an i386 ELF executable (type %u, machine %u)",
                    ld16(image + E_TYPE), ld16(image + E_MACHINE));
    ph_end = ld32(image + E_PHOFF) + (uint64_t)ld16(image + E_PHNUM) * ld16(image + E_PHENTSIZE);
    if (ld16(image + E_PHENTSIZE) < PHDR_SIZE || ph_end > size)
        return set_error(err, errlen, "ELF program headers lie outside the file");
    return 0;
}

static const uint8_t *elf_phdr(const uint8_t *image, int i)
{
    return image + ld32(image + E_PHOFF) + (size_t)i * ld16(image + E_PHENTSIZE);
}

static int elf_check_load(const uint8_t *ph, size_t size, char *err, size_t errlen)
{
    uint32_t filesz = ld32(ph + P_FILESZ), memsz = ld32(ph + P_MEMSZ);
    if (filesz > memsz || (uint64_t)ld32(ph + P_OFFSET) + filesz > size)
        return set_error(err, errlen, "ELF segment at 0x%x: its file bytes lie outside the file",
                    ld32(ph + P_PADDR));
    if ((uint64_t)ld32(ph + P_PADDR) + memsz > 0x100000000ull)
        return set_error(err, errlen, "ELF segment at 0x%x runs past 4 GiB", ld32(ph + P_PADDR));
    return 0;
}

/* The entry is a virtual address: inside a segment it is moved as that segment is. */
static uint32_t elf_entry(const uint8_t *image)
{
    uint32_t entry = ld32(image + E_ENTRY);
    for (int i = 0; i < ld16(image + E_PHNUM); i++) {
        const uint8_t *ph = elf_phdr(image, i);
        uint32_t vaddr = ld32(ph + P_VADDR);
        if (ld32(ph + P_TYPE) == PT_LOAD && entry - vaddr < ld32(ph + P_MEMSZ))
            return entry - vaddr + ld32(ph + P_PADDR);
    }
    return entry;
}

static int layout_elf(const uint8_t *image, size_t size, Layout *l, char *err, size_t errlen)
{
    uint64_t lo = UINT64_MAX, hi = 0;

    if (elf_header(image, size, err, errlen))
        return -1;
    for (int i = 0; i < ld16(image + E_PHNUM); i++) {
        const uint8_t *ph = elf_phdr(image, i);
        if (ld32(ph + P_TYPE) != PT_LOAD || !ld32(ph + P_MEMSZ))
            continue;
        if (elf_check_load(ph, size, err, errlen))
            return -1;
        lo = MIN(lo, (uint64_t)ld32(ph + P_PADDR));
        hi = MAX(hi, (uint64_t)ld32(ph + P_PADDR) + ld32(ph + P_MEMSZ));
    }
    if (!hi)
        return set_error(err, errlen, "the ELF file has no loadable segment");
    l->lo = (uint32_t)lo;
    l->hi = (uint32_t)MIN(hi, (uint64_t)UINT32_MAX);
    l->entry = elf_entry(image);
    l->file_off = l->file_len = 0;
    return 0;
}

static void copy_elf(uint8_t *dst, uint32_t lo, const uint8_t *image)
{
    for (int i = 0; i < ld16(image + E_PHNUM); i++) {
        const uint8_t *ph = elf_phdr(image, i);
        if (ld32(ph + P_TYPE) == PT_LOAD && ld32(ph + P_MEMSZ))
            memcpy(dst + (ld32(ph + P_PADDR) - lo), image + ld32(ph + P_OFFSET),
                   ld32(ph + P_FILESZ));
    }
}

/* -- The information structure (3.3) ----------------------------------------------- */

static uint32_t put_string(uint8_t *info, uint32_t *off, const char *s)
{
    uint32_t at = *off;
    size_t len = strlen(s) + 1;
    memcpy(info + at, s, len);
    *off += (uint32_t)len;
    return MULTIBOOT_INFO_ADDR + at;
}

static int build_info(Multiboot *mb, const char *cmdline, const MultibootModule *mods,
                      const uint32_t *mod_addr, int nmods, uint64_t ram, char *err, size_t errlen)
{
    uint32_t mods_off = MBI_SIZE + MULTIBOOT_MMAP_MAX * MBI_MMAP_ENTRY;
    uint32_t off = mods_off + nmods * MBI_MOD_SIZE;
    size_t total = off + sizeof(MULTIBOOT_LOADER_NAME) + strlen(cmdline) + 1;
    uint8_t *info;

    for (int i = 0; i < nmods; i++)
        total += strlen(mods[i].string ? mods[i].string : "") + 1;
    if (total > MULTIBOOT_INFO_MAX)
        return set_error(err, errlen, "the command line and module strings need %zu bytes of "
                    "boot information; at most %u fit", total, MULTIBOOT_INFO_MAX);
    info = mb->info = calloc(1, total);
    if (!info)
        return set_error(err, errlen, "out of memory");
    mb->info_size = (uint32_t)total;
    st32(info + MBI_FLAGS, MULTIBOOT_INFO_MEMORY | MULTIBOOT_INFO_CMDLINE | MULTIBOOT_INFO_MODS |
                           MULTIBOOT_INFO_LOADER_NAME);
    /* The ROM replaces these with int 12h and the E820 map's answer. */
    st32(info + MBI_MEM_LOWER, 640);
    st32(info + MBI_MEM_UPPER, (uint32_t)((MIN(ram, 0x100000000ull) - 0x100000) / 1024));
    st32(info + MBI_MMAP_ADDR, MULTIBOOT_INFO_ADDR + MBI_SIZE);
    st32(info + MBI_MODS_COUNT, (uint32_t)nmods);
    st32(info + MBI_MODS_ADDR, MULTIBOOT_INFO_ADDR + mods_off);
    st32(info + MBI_LOADER_NAME, put_string(info, &off, MULTIBOOT_LOADER_NAME));
    st32(info + MBI_CMDLINE, put_string(info, &off, cmdline));
    for (int i = 0; i < nmods; i++) {
        uint8_t *m = info + mods_off + i * MBI_MOD_SIZE;
        st32(m, mod_addr[i]);
        st32(m + 4, mod_addr[i] + mods[i].size);
        st32(m + 8, put_string(info, &off, mods[i].string ? mods[i].string : ""));
    }
    return 0;
}

/* -- Putting it together ----------------------------------------------------------- */

static int layout(const uint8_t *image, size_t size, Layout *l, char *err, size_t errlen)
{
    MultibootHeader h;
    if (multiboot_find_header(image, size, &h))
        return set_error(err, errlen, "no multiboot header in the first 8 KiB");
    if (check_flags(h.flags, err, errlen))
        return -1;
    if (h.flags & MULTIBOOT_AOUT_KLUDGE ? layout_aout(&h, size, l, err, errlen)
                                        : layout_elf(image, size, l, err, errlen))
        return -1;
    if (l->lo < MULTIBOOT_LOAD_MIN)
        return set_error(err, errlen, "the kernel loads at 0x%x, below 1 MiB", l->lo);
    if (l->entry - l->lo >= l->hi - l->lo)
        return set_error(err, errlen, "entry point 0x%x is outside the loaded image 0x%x-0x%x",
                    l->entry, l->lo, l->hi);
    return 0;
}

int multiboot_prepare(Multiboot *mb, const uint8_t *image, size_t size, const char *cmdline,
                      const MultibootModule *mods, int nmods, uint64_t ram_below_4g,
                      char *err, size_t errlen)
{
    uint64_t limit = ram_below_4g - LINUXBOOT_ACPI_RESERVE, end;
    uint32_t *mod_addr = NULL;
    Layout l = { 0 };
    int ret = -1;

    memset(mb, 0, sizeof(*mb));
    if (layout(image, size, &l, err, errlen))
        return -1;
    mod_addr = calloc(nmods ? nmods : 1, sizeof(*mod_addr));
    if (!mod_addr)
        return set_error(err, errlen, "out of memory");
    end = l.hi;
    for (int i = 0; i < nmods; i++) {
        mod_addr[i] = (uint32_t)MIN(page_up(end), (uint64_t)UINT32_MAX);
        end = page_up(end) + mods[i].size;
    }
    if (end > limit) {
        set_error(err, errlen, "the kernel%s end at 0x%llx, past the usable RAM (up to 0x%llx)",
             nmods ? " and modules" : "", (unsigned long long)end, (unsigned long long)limit);
        goto out;
    }
    mb->image_addr = l.lo;
    mb->image_size = (uint32_t)(end - l.lo);
    mb->entry = l.entry;
    mb->image = calloc(1, mb->image_size);
    if (!mb->image) {
        set_error(err, errlen, "out of memory");
        goto out;
    }
    if (l.file_len)
        memcpy(mb->image, image + l.file_off, l.file_len);
    else
        copy_elf(mb->image, l.lo, image);
    for (int i = 0; i < nmods; i++)
        memcpy(mb->image + (mod_addr[i] - l.lo), mods[i].data, mods[i].size);
    ret = build_info(mb, cmdline, mods, mod_addr, nmods, ram_below_4g, err, errlen);
out:
    free(mod_addr);
    if (ret)
        multiboot_free(mb);
    return ret;
}

void multiboot_free(Multiboot *mb)
{
    free(mb->image);
    free(mb->info);
    mb->image = mb->info = NULL;
}

/* -- The -initrd module list -------------------------------------------------------- */

/* One entry of the list ending at ',' (not ",,") or the end; *p moves past it. */
static char *next_entry(const char **p)
{
    const char *s = *p;
    char *out = malloc(strlen(s) + 1), *o = out;
    if (!out)
        return NULL;
    while (*s && !(s[0] == ',' && s[1] != ',')) {
        if (s[0] == ',')                /* ",," */
            s++;
        *o++ = *s++;
    }
    *o = '\0';
    *p = *s ? s + 1 : s;
    return out;
}

int multiboot_parse_modules(const char *spec, MultibootModSpec **mods, char *err, size_t errlen)
{
    MultibootModSpec *list = NULL;
    const char *p = spec;
    int n = 0;

    do {
        char *entry = next_entry(&p);
        size_t plen;
        MultibootModSpec *grown = entry ? realloc(list, sizeof(*list) * (n + 1)) : NULL;
        if (!grown) {
            free(entry);
            multiboot_free_modules(list, n);
            return set_error(err, errlen, "out of memory");
        }
        list = grown;
        plen = strcspn(entry, " ");
        list[n].string = entry;
        list[n].path = strndup(entry, plen);
        n++;
        if (!plen || !list[n - 1].path) {
            multiboot_free_modules(list, n);
            return set_error(err, errlen, "-initrd '%s': module %d has no file name", spec, n);
        }
    } while (*p);
    *mods = list;
    return n;
}

void multiboot_free_modules(MultibootModSpec *mods, int n)
{
    for (int i = 0; i < n; i++) {
        free(mods[i].path);
        free(mods[i].string);
    }
    free(mods);
}
