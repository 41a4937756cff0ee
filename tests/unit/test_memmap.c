/* test_memmap.c — physical memory map: RAM/ROM/MMIO, overlays, tracking. */
#include <string.h>
#include "unit/testlib.h"
#include "mmu/memmap.h"

typedef struct Mmio {
    uint64_t last_offset, last_value;
    unsigned last_size;
    int reads, writes;
} Mmio;

static uint64_t mmio_read(void *opaque, uint64_t offset, unsigned size)
{
    Mmio *d = opaque;
    d->reads++;
    d->last_offset = offset;
    d->last_size = size;
    return 0x1000 + offset;
}

static void mmio_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Mmio *d = opaque;
    d->writes++;
    d->last_offset = offset;
    d->last_value = value;
    d->last_size = size;
}

static const IoOps mmio_ops = { mmio_read, mmio_write, 1, 8 };

START_TEST(test_memmap_ram_rom_mmio)
{
    MemMap *m = memmap_new();
    RamBlock *ram = memmap_new_block(m, "ram", 1 << 20, false);
    RamBlock *rom = memmap_new_block(m, "rom", 0x10000, false);
    Mmio dev = { 0 };
    rom->host[0x10] = 0xea;
    ck_assert_ptr_nonnull(memmap_map_ram(m, "ram", 0, 1 << 20, ram, 0, 0));
    ck_assert_ptr_nonnull(memmap_map_rom(m, "rom", 0xffff0000, 0x10000, rom, 0, 0));
    ck_assert_ptr_nonnull(memmap_map_mmio(m, "dev", 0xfed00000, 0x400, &mmio_ops, &dev, 2));

    memmap_write(m, 0x1234, 0xdeadbeef, 4);
    ck_assert_uint_eq(memmap_read(m, 0x1234, 4), 0xdeadbeef);
    ck_assert_uint_eq(memmap_read(m, 0x1235, 2), 0xadbe);
    ck_assert_uint_eq(ram->host[0x1234], 0xef);

    ck_assert_uint_eq(memmap_read(m, 0xffff0010, 1), 0xea);
    memmap_write(m, 0xffff0010, 0x90, 1); /* ROM: dropped */
    ck_assert_uint_eq(memmap_read(m, 0xffff0010, 1), 0xea);

    ck_assert_uint_eq(memmap_read(m, 0xfed00008, 4), 0x1008);
    ck_assert_uint_eq(dev.last_size, 4);
    memmap_write(m, 0xfed000f0, 0x55, 8);
    ck_assert_uint_eq(dev.last_offset, 0xf0);
    ck_assert_uint_eq(dev.last_value, 0x55);
    ck_assert_uint_eq(dev.last_size, 8);

    /* Nothing mapped: reads all ones. */
    ck_assert_uint_eq(memmap_read(m, 0x80000000, 4), 0xffffffff);
    ck_assert_uint_eq(memmap_read(m, 0x80000000, 8), ~0ull);
    memmap_free(m);
}
END_TEST

START_TEST(test_memmap_overlap_rules)
{
    MemMap *m = memmap_new();
    RamBlock *ram = memmap_new_block(m, "ram", 1 << 20, false);
    Mmio vga = { 0 };
    ck_assert_ptr_nonnull(memmap_map_ram(m, "ram", 0, 1 << 20, ram, 0, 0));
    /* Same priority overlapping: refused. */
    ck_assert_ptr_null(memmap_map_mmio(m, "bad", 0xa0000, 0x20000, &mmio_ops, &vga, 0));
    /* Higher priority covers the RAM below. */
    MemRegion *win = memmap_map_mmio(m, "vga", 0xa0000, 0x20000, &mmio_ops, &vga, 2);
    ck_assert_ptr_nonnull(win);
    ram->host[0xa0000] = 0x77;
    ck_assert_uint_eq(memmap_read(m, 0xa0000, 1), 0x00); /* 0x1000 & 0xff */
    ck_assert_int_eq(vga.reads, 1);
    ck_assert_uint_eq(memmap_read(m, 0x9ffff, 1), 0);
    ck_assert_uint_eq(memmap_read(m, 0xc0000, 1), 0);
    /* Disabled: the RAM shows through again. */
    memmap_region_enable(m, win, false);
    ck_assert_uint_eq(memmap_read(m, 0xa0000, 1), 0x77);
    memmap_region_enable(m, win, true);
    /* Move it (as a PCI BAR) and look up the flat sections. */
    ck_assert_int_eq(memmap_region_move(m, win, 0xe0000000), 0);
    ck_assert_uint_eq(memmap_read(m, 0xa0000, 1), 0x77);
    const MemSection *s = memmap_find(m, 0xe0001000);
    ck_assert_ptr_eq(s->region, win);
    ck_assert_uint_eq(s->start, 0xe0000000);
    ck_assert_uint_eq(s->end, 0xe0020000);
    s = memmap_find(m, 0x5000);
    ck_assert_ptr_eq(s->read_block, ram);
    ck_assert_uint_eq(s->start, 0);
    ck_assert_uint_eq(s->end, 1 << 20);
    memmap_free(m);
}
END_TEST

START_TEST(test_memmap_split_backing)
{
    /* i440FX PAM "write enable": reads from ROM, writes to shadow RAM. */
    MemMap *m = memmap_new();
    RamBlock *ram = memmap_new_block(m, "ram", 1 << 20, false);
    RamBlock *bios = memmap_new_block(m, "bios", 0x10000, false);
    bios->host[0x100] = 0xaa;
    memmap_map_ram(m, "ram", 0, 1 << 20, ram, 0, 0);
    MemRegion *pam = memmap_map_split(m, "pam", 0xf0000, 0x10000, bios, 0, ram, 0xf0000, 1);
    ck_assert_ptr_nonnull(pam);
    memmap_write(m, 0xf0100, 0xbb, 1);
    ck_assert_uint_eq(memmap_read(m, 0xf0100, 1), 0xaa);
    ck_assert_uint_eq(ram->host[0xf0100], 0xbb);
    memmap_region_set_backing(m, pam, ram, 0xf0000, NULL, 0); /* read-only RAM */
    ck_assert_uint_eq(memmap_read(m, 0xf0100, 1), 0xbb);
    memmap_write(m, 0xf0100, 0xcc, 1);
    ck_assert_uint_eq(ram->host[0xf0100], 0xbb);
    ck_assert_ptr_null(memmap_ram_ptr(m, 0xf0000, 16));
    ck_assert_ptr_eq(memmap_ram_ptr(m, 0x1000, 16), ram->host + 0x1000);
    memmap_free(m);
}
END_TEST

typedef struct Hooks {
    int changed, protects;
    uint64_t written_addr, written_len;
    int writes;
} Hooks;

static void on_changed(void *o) { ((Hooks *)o)->changed++; }
static void on_protect(void *o, uint64_t ram_addr) { ((Hooks *)o)->protects++; }
static void on_code_written(void *o, uint64_t ram_addr, uint64_t len)
{
    Hooks *h = o;
    h->writes++;
    h->written_addr = ram_addr;
    h->written_len = len;
}

START_TEST(test_memmap_code_and_dirty_tracking)
{
    MemMap *m = memmap_new();
    Hooks h = { 0 };
    MemListener l = { &h, on_changed, on_code_written, on_protect };
    memmap_add_listener(m, &l);
    RamBlock *ram = memmap_new_block(m, "ram", 0x10000, false);
    RamBlock *vram = memmap_new_block(m, "vram", 0x10000, true);
    ck_assert_uint_eq(vram->ram_addr, 0x10000);
    memmap_map_ram(m, "ram", 0, 0x10000, ram, 0, 0);
    memmap_map_ram(m, "vram", 0xe0000000, 0x10000, vram, 0, 0);
    ck_assert_int_eq(h.changed, 2);

    memmap_set_code(m, ram, 0x2000);
    ck_assert_int_eq(h.protects, 1);
    memmap_set_code(m, ram, 0x2010); /* same page: no new protect */
    ck_assert_int_eq(h.protects, 1);
    memmap_write(m, 0x1ffe, 0x11223344, 4); /* straddles into the code page */
    ck_assert_int_eq(h.writes, 1);
    ck_assert_uint_eq(h.written_addr, 0x2000);
    ck_assert_uint_eq(h.written_len, 2);

    uint8_t buf[8] = { 1, 2, 3, 4, 5, 6, 7, 8 };
    memmap_rw(m, 0x2100, buf, sizeof(buf), true); /* DMA into code */
    ck_assert_int_eq(h.writes, 2);
    ck_assert_uint_eq(h.written_addr, 0x2100);
    ck_assert_uint_eq(h.written_len, 8);
    memmap_rw(m, 0x20fe, buf, 4, false);
    ck_assert_uint_eq(buf[2], 1);

    ck_assert(!memmap_test_and_clear_dirty(m, vram, 0, 0x10000));
    memmap_write(m, 0xe0003004, 0xff, 1);
    ck_assert(memmap_page_flags(vram, 0x3000) & PAGE_DIRTY);
    ck_assert(!memmap_test_and_clear_dirty(m, vram, 0x4000, 0x1000));
    int before = h.protects;
    ck_assert(memmap_test_and_clear_dirty(m, vram, 0x3000, 0x1000));
    ck_assert_int_eq(h.protects, before + 1);
    ck_assert(!(memmap_page_flags(vram, 0x3000) & PAGE_DIRTY));
    memmap_free(m);
}
END_TEST

TEST_SUITE(memmap)
{
    Suite *s = suite_create("memmap");
    TCase *tc = tcase_create("memmap");
    tcase_add_test(tc, test_memmap_ram_rom_mmio);
    tcase_add_test(tc, test_memmap_overlap_rules);
    tcase_add_test(tc, test_memmap_split_backing);
    tcase_add_test(tc, test_memmap_code_and_dirty_tracking);
    suite_add_tcase(s, tc);
    return s;
}
