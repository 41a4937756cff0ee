/* test_multiboot.c — multiboot header search, image layout (a.out kludge and
 * ELF32) and the information structure's bytes.
 *
 * Expected values from the Multiboot Specification 0.6.96: 3.1.1 (header in
 * the first 8192 bytes, 32-bit aligned), 3.1.2 (magic 0x1BADB002, the
 * checksum, flags 0-15 required), 3.1.3 (address fields), 3.3 (information
 * format: flags at 0, mem_lower 4, mem_upper 8, cmdline 16, mods_count 20,
 * mods_addr 24, mmap_length 44, mmap_addr 48, boot_loader_name 64; module
 * entries mod_start, mod_end, string, reserved); ELF32 layout from the
 * System V ABI.
 */
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "hw/multiboot.h"

#define RAM (64u << 20)
#define INFO 0x9000u

static uint32_t rd32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static void wr16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); }
static void wr32(uint8_t *p, uint32_t v) { wr16(p, (uint16_t)v); wr16(p + 2, (uint16_t)(v >> 16)); }

static void put_header(uint8_t *img, uint32_t off, uint32_t flags, const uint32_t addr[5])
{
    wr32(img + off, 0x1badb002);
    wr32(img + off + 4, flags);
    wr32(img + off + 8, -(0x1badb002u + flags));
    for (int i = 0; addr && i < 5; i++)
        wr32(img + off + 12 + 4 * i, addr[i]);
}

/* 0x1000 bytes loaded at 1 MiB, header at 0x40, bss to 0x102000. */
static uint8_t *aout_kernel(size_t *size, uint32_t flags)
{
    static const uint32_t addr[5] = { 0x100040, 0x100000, 0x101000, 0x102000, 0x100080 };
    uint8_t *img = calloc(1, 0x1000);
    for (int i = 0; i < 0x1000; i++)
        img[i] = (uint8_t)(i * 13 + 1);
    put_header(img, 0x40, flags | MULTIBOOT_AOUT_KLUDGE, addr);
    *size = 0x1000;
    return img;
}

static const char *info_string(const Multiboot *mb, uint32_t addr)
{
    ck_assert_uint_ge(addr, INFO);
    ck_assert_uint_lt(addr, INFO + mb->info_size);
    return (const char *)mb->info + (addr - INFO);
}

/* -- Header search ------------------------------------------------------------ */

START_TEST(test_multiboot_header_search)
{
    uint8_t *img = calloc(1, 0x4000);
    MultibootHeader h;

    ck_assert_int_eq(multiboot_find_header(img, 0x4000, &h), -1);
    put_header(img, 0x1ffc - 8, 0x3, NULL);     /* the last aligned spot that fits */
    ck_assert_int_eq(multiboot_find_header(img, 0x4000, &h), 0);
    ck_assert_uint_eq(h.offset, 0x1ff4);
    ck_assert_uint_eq(h.flags, 0x3);
    memset(img, 0, 0x4000);
    put_header(img, 0x2000, 0x3, NULL);         /* past 8 KiB */
    ck_assert_int_eq(multiboot_find_header(img, 0x4000, &h), -1);
    put_header(img, 0x102, 0x3, NULL);          /* not 32-bit aligned */
    ck_assert_int_eq(multiboot_find_header(img, 0x4000, &h), -1);
    put_header(img, 0x200, 0x3, NULL);
    wr32(img + 0x208, 0);                       /* bad checksum: not a header */
    put_header(img, 0x400, 0x10002, (const uint32_t[5]){ 1, 2, 3, 4, 5 });
    ck_assert_int_eq(multiboot_find_header(img, 0x4000, &h), 0);
    ck_assert_uint_eq(h.offset, 0x400);
    ck_assert_uint_eq(h.header_addr, 1);
    ck_assert_uint_eq(h.entry_addr, 5);
    free(img);
}
END_TEST

/* -- a.out kludge ---------------------------------------------------------------- */

START_TEST(test_multiboot_aout_layout_and_info)
{
    size_t size;
    uint8_t *img = aout_kernel(&size, 0x3);
    static const uint8_t module[100] = "module bytes";
    MultibootModule mod = { module, sizeof(module), "mod.bin arg=1" };
    Multiboot mb;
    char err[200];
    const uint8_t *m;

    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "root=x quiet", &mod, 1, RAM, err,
                                       sizeof(err)), 0);
    ck_assert_uint_eq(mb.image_addr, 0x100000);
    ck_assert_uint_eq(mb.entry, 0x100080);
    ck_assert_uint_eq(mb.image_size, 0x2000 + sizeof(module));  /* module at 0x102000 */
    ck_assert_mem_eq(mb.image, img, 0x1000);
    for (int i = 0x1000; i < 0x2000; i++)
        ck_assert_uint_eq(mb.image[i], 0);                      /* bss */
    ck_assert_mem_eq(mb.image + 0x2000, module, sizeof(module));

    /* The information structure, offsets from spec 3.3 */
    ck_assert_uint_eq(rd32(mb.info + 0), 1u << 0 | 1u << 2 | 1u << 3 | 1u << 9);
    ck_assert_uint_eq(rd32(mb.info + 4), 640);
    ck_assert_uint_eq(rd32(mb.info + 8), (RAM - 0x100000) / 1024);
    ck_assert_str_eq(info_string(&mb, rd32(mb.info + 16)), "root=x quiet");
    ck_assert_uint_eq(rd32(mb.info + 20), 1);
    ck_assert_uint_eq(rd32(mb.info + 44), 0);                   /* the ROM fills the map */
    ck_assert_uint_ge(rd32(mb.info + 48), INFO + 88);
    ck_assert_uint_le(rd32(mb.info + 48) + 32 * 24, INFO + mb.info_size);
    ck_assert_str_eq(info_string(&mb, rd32(mb.info + 64)), "emu");
    m = mb.info + (rd32(mb.info + 24) - INFO);
    ck_assert_uint_eq(rd32(m), 0x102000);                       /* page aligned, after bss */
    ck_assert_uint_eq(rd32(m + 4), 0x102000 + sizeof(module));
    ck_assert_str_eq(info_string(&mb, rd32(m + 8)), "mod.bin arg=1");
    ck_assert_uint_eq(rd32(m + 12), 0);
    /* The map area and the module list do not overlap. */
    ck_assert(rd32(mb.info + 24) >= rd32(mb.info + 48) + 32 * 24 ||
              rd32(mb.info + 24) + 16 <= rd32(mb.info + 48));
    multiboot_free(&mb);
    free(img);
}
END_TEST

/* load_end_addr 0: the rest of the file; bss_end_addr 0: no bss. Two
 * modules, each on its own page. */
START_TEST(test_multiboot_aout_defaults)
{
    size_t size;
    uint8_t *img = aout_kernel(&size, 0x1);
    static const uint8_t a[5000], b[3];
    MultibootModule mods[2] = { { a, sizeof(a), "a" }, { b, sizeof(b), NULL } };
    Multiboot mb;
    char err[200];
    const uint8_t *m;

    wr32(img + 0x40 + 20, 0);
    wr32(img + 0x40 + 24, 0);
    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "", mods, 2, RAM, err, sizeof(err)), 0);
    m = mb.info + (rd32(mb.info + 24) - INFO);
    ck_assert_uint_eq(rd32(m), 0x101000);
    ck_assert_uint_eq(rd32(m + 4), 0x101000 + 5000);
    ck_assert_uint_eq(rd32(m + 16), 0x103000);
    ck_assert_uint_eq(rd32(m + 20), 0x103003);
    ck_assert_str_eq(info_string(&mb, rd32(m + 24)), "");
    ck_assert_uint_eq(mb.image_size, 0x3003);
    ck_assert_str_eq(info_string(&mb, rd32(mb.info + 16)), "");
    multiboot_free(&mb);
    free(img);
}
END_TEST

static void expect_error(uint8_t *img, size_t size, const char *want)
{
    Multiboot mb;
    char err[200] = "";
    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "", NULL, 0, RAM, err, sizeof(err)), -1);
    ck_assert_msg(strstr(err, want), "error '%s' lacks '%s'", err, want);
    ck_assert_ptr_null(mb.image);
    ck_assert_ptr_null(mb.info);
}

START_TEST(test_multiboot_aout_errors)
{
    size_t size;
    uint8_t *img = aout_kernel(&size, 0x3);

    wr32(img + 0x40 + 16, 0x100044);            /* load_addr after header_addr */
    expect_error(img, size, "load_addr");
    free(img);
    img = aout_kernel(&size, 0x3);
    wr32(img + 0x40 + 20, 0x101001);            /* one byte more than the file */
    expect_error(img, size, "load_end_addr");
    free(img);
    img = aout_kernel(&size, 0x3);
    wr32(img + 0x40 + 24, 0x100800);            /* bss_end below load_end */
    expect_error(img, size, "bss_end_addr");
    free(img);
    img = aout_kernel(&size, 0x3);
    wr32(img + 0x40 + 28, 0x102000);            /* entry past the image */
    expect_error(img, size, "entry point");
    free(img);
    img = aout_kernel(&size, 0x3);
    put_header(img, 0x40, 0x10003, (const uint32_t[5]){ 0x8040, 0x8000, 0x9000, 0, 0x8080 });
    expect_error(img, size, "below 1 MiB");
    free(img);
    img = aout_kernel(&size, 0x3 | MULTIBOOT_VIDEO_MODE);
    expect_error(img, size, "video mode");      /* required feature not offered */
    free(img);
    img = aout_kernel(&size, 0x3 | 1u << 5);
    expect_error(img, size, "0x0020");
    free(img);
}
END_TEST

/* Flags 16-31 are optional: an unknown one is ignored. Too much to fit. */
START_TEST(test_multiboot_limits)
{
    size_t size;
    uint8_t *img = aout_kernel(&size, 0x3 | 1u << 20);
    static const uint8_t big[1];
    MultibootModule mod = { big, RAM, "huge" };   /* a module as large as RAM */
    char *line = malloc(MULTIBOOT_INFO_MAX + 1);
    Multiboot mb;
    char err[200];

    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "", NULL, 0, RAM, err, sizeof(err)), 0);
    multiboot_free(&mb);
    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "", &mod, 1, RAM, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "past the usable RAM"));
    memset(line, 'x', MULTIBOOT_INFO_MAX);
    line[MULTIBOOT_INFO_MAX] = 0;
    ck_assert_int_eq(multiboot_prepare(&mb, img, size, line, NULL, 0, RAM, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "command line"));
    free(line);
    free(img);
}
END_TEST

/* -- ELF32 ---------------------------------------------------------------------- */

#define PH_OFF 52

static void put_phdr(uint8_t *img, int i, uint32_t type, uint32_t off, uint32_t vaddr,
                     uint32_t paddr, uint32_t filesz, uint32_t memsz)
{
    uint8_t *ph = img + PH_OFF + 32 * i;
    wr32(ph, type);
    wr32(ph + 4, off);
    wr32(ph + 8, vaddr);
    wr32(ph + 12, paddr);
    wr32(ph + 16, filesz);
    wr32(ph + 20, memsz);
}

/* A higher-half style kernel: segments linked at 0xC01xxxxx, loaded at
 * their physical addresses 0x100000 and 0x200000, with a PT_NOTE between. */
static uint8_t *elf_kernel(size_t *size)
{
    uint8_t *img = calloc(1, 0x3000);
    memcpy(img, "\177ELF\1\1\1", 7);
    wr16(img + 16, 2);                          /* ET_EXEC */
    wr16(img + 18, 3);                          /* EM_386 */
    wr32(img + 20, 1);
    wr32(img + 24, 0xc0100010);                 /* e_entry (virtual) */
    wr32(img + 28, PH_OFF);
    wr16(img + 40, 52);
    wr16(img + 42, 32);
    wr16(img + 44, 3);
    put_phdr(img, 0, 1, 0x1000, 0xc0100000, 0x100000, 0x100, 0x1000);
    put_phdr(img, 1, 4, 0x2000, 0, 0, 0x10, 0x10);
    put_phdr(img, 2, 1, 0x2000, 0xc0200000, 0x200000, 0x10, 0x10);
    put_header(img, 0x200, 0x3, NULL);
    for (int i = 0x1000; i < 0x1100; i++)
        img[i] = 0xa5;
    memcpy(img + 0x2000, "second segment", 15);
    *size = 0x3000;
    return img;
}

START_TEST(test_multiboot_elf_layout)
{
    size_t size;
    uint8_t *img = elf_kernel(&size);
    Multiboot mb;
    char err[200];

    ck_assert_int_eq(multiboot_prepare(&mb, img, size, "elf", NULL, 0, RAM, err, sizeof(err)),
                     0);
    ck_assert_uint_eq(mb.image_addr, 0x100000);
    ck_assert_uint_eq(mb.image_size, 0x100010);
    ck_assert_uint_eq(mb.entry, 0x100010);
    for (int i = 0; i < 0x1000; i++)
        ck_assert_uint_eq(mb.image[i], i < 0x100 ? 0xa5 : 0);
    ck_assert_str_eq((char *)mb.image + 0x100000, "second segment");
    ck_assert_uint_eq(rd32(mb.info + 20), 0);                   /* no modules */
    ck_assert_uint_ne(rd32(mb.info) & 1u << 3, 0);
    multiboot_free(&mb);
    free(img);
}
END_TEST

START_TEST(test_multiboot_elf_errors)
{
    size_t size;
    uint8_t *img = elf_kernel(&size);

    img[4] = 2;                                 /* ELFCLASS64 */
    expect_error(img, size, "32-bit");
    img[4] = 1;
    wr16(img + 18, 62);                         /* EM_X86_64 */
    expect_error(img, size, "i386");
    wr16(img + 18, 3);
    put_phdr(img, 2, 1, 0x2ff8, 0, 0x200000, 0x10, 0x10);     /* past the file's end */
    expect_error(img, size, "outside the file");
    put_phdr(img, 0, 6, 0, 0, 0, 0, 0);
    put_phdr(img, 2, 6, 0, 0, 0, 0, 0);
    expect_error(img, size, "no loadable segment");
    memset(img, 0, 4);                          /* no ELF and no flag 16 */
    expect_error(img, size, "not ELF");
    free(img);
}
END_TEST

/* -- The -initrd module list ------------------------------------------------------ */

START_TEST(test_multiboot_module_list)
{
    MultibootModSpec *m;
    char err[200];
    int n = multiboot_parse_modules("a.bin,b.bin x=1,,2,c", &m, err, sizeof(err));

    ck_assert_int_eq(n, 3);
    ck_assert_str_eq(m[0].path, "a.bin");
    ck_assert_str_eq(m[0].string, "a.bin");
    ck_assert_str_eq(m[1].path, "b.bin");
    ck_assert_str_eq(m[1].string, "b.bin x=1,2");
    ck_assert_str_eq(m[2].path, "c");
    multiboot_free_modules(m, n);
    ck_assert_int_eq(multiboot_parse_modules("a,,b", &m, err, sizeof(err)), 1);
    ck_assert_str_eq(m[0].path, "a,b");
    multiboot_free_modules(m, 1);
    ck_assert_int_eq(multiboot_parse_modules("a,,b,", &m, err, sizeof(err)), 1);
    multiboot_free_modules(m, 1);
    ck_assert_int_eq(multiboot_parse_modules("a, b", &m, err, sizeof(err)), -1);
    ck_assert_ptr_nonnull(strstr(err, "no file name"));
    ck_assert_int_eq(multiboot_parse_modules("", &m, err, sizeof(err)), -1);
}
END_TEST

TEST_SUITE(multiboot)
{
    Suite *s = suite_create("multiboot");
    TCase *tc = tcase_create("multiboot");
    tcase_add_test(tc, test_multiboot_header_search);
    tcase_add_test(tc, test_multiboot_aout_layout_and_info);
    tcase_add_test(tc, test_multiboot_aout_defaults);
    tcase_add_test(tc, test_multiboot_aout_errors);
    tcase_add_test(tc, test_multiboot_limits);
    tcase_add_test(tc, test_multiboot_elf_layout);
    tcase_add_test(tc, test_multiboot_elf_errors);
    tcase_add_test(tc, test_multiboot_module_list);
    suite_add_tcase(s, tc);
    return s;
}
