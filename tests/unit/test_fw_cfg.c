/* test_fw_cfg.c — fw_cfg through its ports, as QEMU's docs/specs/fw_cfg.txt
 * describes them: selector 0x510 (16-bit), data 0x511, DMA address
 * 0x514-0x51b (big-endian), directory at key 0x19. */
#include <string.h>
#include "unit/testlib.h"
#include "hw/fw_cfg.h"

typedef struct Fixture {
    Bus *bus;
    MemMap *mem;
    RamBlock *ram;
    FwCfg *fw;
} Fixture;

static void fixture_init(Fixture *f)
{
    f->bus = bus_new();
    f->mem = bus_memmap(f->bus);
    f->ram = memmap_new_block(f->mem, "ram", 0x10000, false);
    memmap_map_ram(f->mem, "ram", 0, 0x10000, f->ram, 0, PRIO_RAM);
    f->fw = fw_cfg_new(f->bus);
}

static void fixture_free(Fixture *f)
{
    fw_cfg_free(f->fw);
    bus_free(f->bus);
}

static void read_item(Fixture *f, uint16_t key, uint8_t *buf, int len)
{
    bus_io_write(f->bus, 0x510, key, 2);
    for (int i = 0; i < len; i++)
        buf[i] = (uint8_t)bus_io_read(f->bus, 0x511, 1);
}

static uint32_t rd_be32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

static void wr_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Put a FWCfgDmaAccess at `desc` and start it with two dword writes. */
static uint32_t dma(Fixture *f, uint32_t desc, uint32_t control, uint32_t length, uint32_t addr)
{
    uint8_t *d = f->ram->host + desc;
    wr_be32(d, control);
    wr_be32(d + 4, length);
    wr_be32(d + 8, 0);
    wr_be32(d + 12, addr);
    bus_io_write(f->bus, 0x514, 0, 4);
    bus_io_write(f->bus, 0x518, __builtin_bswap32(desc), 4);
    return rd_be32(d);
}

START_TEST(test_fw_cfg_signature_and_id)
{
    Fixture f;
    uint8_t buf[8];
    fixture_init(&f);
    read_item(&f, 0x0000, buf, 5);
    ck_assert_mem_eq(buf, "QEMU", 4);
    ck_assert_uint_eq(buf[4], 0);           /* past the end: 0 */
    read_item(&f, 0x0001, buf, 4);
    ck_assert_uint_eq(buf[0], 0x03);        /* traditional + DMA */
    ck_assert_uint_eq(buf[1] | buf[2] | buf[3], 0);
    /* The DMA register reads "QEMU CFG". */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x514, 4), 0x554d4551);   /* "QEMU" */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x518, 4), 0x47464320);   /* " CFG" */
    /* Unknown keys read as zeros. */
    read_item(&f, 0x0123, buf, 2);
    ck_assert_uint_eq(buf[0] | buf[1], 0);
    fixture_free(&f);
}
END_TEST

START_TEST(test_fw_cfg_integers_little_endian)
{
    Fixture f;
    uint8_t buf[8];
    static const uint8_t want64[8] = { 0x08, 0x07, 0x06, 0x05, 0x04, 0x03, 0x02, 0x01 };
    fixture_init(&f);
    fw_cfg_add_i16(f.fw, FW_CFG_NB_CPUS, 0x0102);
    fw_cfg_add_i32(f.fw, FW_CFG_IRQ0_OVERRIDE, 0x01020304);
    fw_cfg_add_i64(f.fw, FW_CFG_RAM_SIZE, 0x0102030405060708ull);
    read_item(&f, FW_CFG_NB_CPUS, buf, 2);
    ck_assert_uint_eq(buf[0], 0x02);
    ck_assert_uint_eq(buf[1], 0x01);
    read_item(&f, 0x8002, buf, 4);
    ck_assert_uint_eq(buf[0], 0x04);
    ck_assert_uint_eq(buf[3], 0x01);
    read_item(&f, FW_CFG_RAM_SIZE, buf, 8);
    ck_assert_mem_eq(buf, want64, 8);
    /* Replacing an item. */
    fw_cfg_add_i16(f.fw, FW_CFG_NB_CPUS, 0x0004);
    read_item(&f, FW_CFG_NB_CPUS, buf, 2);
    ck_assert_uint_eq(buf[0], 0x04);
    fixture_free(&f);
}
END_TEST

START_TEST(test_fw_cfg_file_directory)
{
    Fixture f;
    uint8_t dir[4 + 3 * 64], buf[8];
    fixture_init(&f);
    fw_cfg_add_file(f.fw, "zeta", "ZZ", 2);
    fw_cfg_add_file(f.fw, "etc/e820", "E820xx", 6);
    fw_cfg_add_file(f.fw, "bootorder", "B", 1);
    read_item(&f, 0x0019, dir, sizeof(dir));
    ck_assert_uint_eq(rd_be32(dir), 3);
    /* Sorted by name; selectors from 0x20 in that order; big-endian fields. */
    ck_assert_str_eq((char *)dir + 4 + 8, "bootorder");
    ck_assert_str_eq((char *)dir + 4 + 64 + 8, "etc/e820");
    ck_assert_str_eq((char *)dir + 4 + 128 + 8, "zeta");
    ck_assert_uint_eq(rd_be32(dir + 4), 1);
    ck_assert_uint_eq(rd_be32(dir + 4 + 64), 6);
    ck_assert_uint_eq(dir[4 + 4], 0x00);
    ck_assert_uint_eq(dir[4 + 5], 0x20);
    ck_assert_uint_eq(dir[4 + 64 + 5], 0x21);
    ck_assert_uint_eq(dir[4 + 128 + 5], 0x22);
    ck_assert_uint_eq(dir[4 + 6] | dir[4 + 7], 0);      /* reserved */
    read_item(&f, 0x21, buf, 6);
    ck_assert_mem_eq(buf, "E820xx", 6);
    read_item(&f, 0x22, buf, 2);
    ck_assert_mem_eq(buf, "ZZ", 2);
    /* Replacing a file keeps the count and updates the size. */
    fw_cfg_add_file(f.fw, "zeta", "ZZZZ", 4);
    read_item(&f, 0x0019, dir, sizeof(dir));
    ck_assert_uint_eq(rd_be32(dir), 3);
    ck_assert_uint_eq(rd_be32(dir + 4 + 128), 4);
    fixture_free(&f);
}
END_TEST

START_TEST(test_fw_cfg_dma_read)
{
    Fixture f;
    uint8_t *ram;
    fixture_init(&f);
    ram = f.ram->host;
    fw_cfg_add_file(f.fw, "etc/test", "0123456789", 10);
    memset(ram + 0x2000, 0xee, 32);
    /* Select 0x20 and read 4 bytes. */
    ck_assert_uint_eq(dma(&f, 0x1000, 0x00200000 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                          4, 0x2000), 0);
    ck_assert_mem_eq(ram + 0x2000, "0123", 4);
    ck_assert_uint_eq(ram[0x2004], 0xee);
    /* Skip 2, then read past the end: the tail is zero-filled. */
    ck_assert_uint_eq(dma(&f, 0x1000, FW_CFG_DMA_CTL_SKIP, 2, 0), 0);
    ck_assert_uint_eq(dma(&f, 0x1000, FW_CFG_DMA_CTL_READ, 8, 0x2010), 0);
    ck_assert_mem_eq(ram + 0x2010, "6789\0\0\0\0", 8);
    /* The address register is back to zero: a lone low-half write uses high 0. */
    ck_assert_uint_eq(dma(&f, 0x1100, 0x00000000 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_READ,
                          4, 0x2020), 0);
    ck_assert_mem_eq(ram + 0x2020, "QEMU", 4);
    /* The data port continues from where DMA stopped. */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x511, 1), 0);
    bus_io_write(f.bus, 0x510, 0x20, 2);
    ck_assert_uint_eq(dma(&f, 0x1000, FW_CFG_DMA_CTL_SKIP, 9, 0), 0);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x511, 1), '9');
    fixture_free(&f);
}
END_TEST

START_TEST(test_fw_cfg_dma_write_fails)
{
    Fixture f;
    fixture_init(&f);
    fw_cfg_add_file(f.fw, "etc/test", "abc", 3);
    memcpy(f.ram->host + 0x2000, "xyz", 3);
    ck_assert_uint_eq(dma(&f, 0x1000, 0x00200000 | FW_CFG_DMA_CTL_SELECT | FW_CFG_DMA_CTL_WRITE,
                          3, 0x2000), FW_CFG_DMA_CTL_ERROR);
    {
        uint8_t buf[3];
        read_item(&f, 0x20, buf, 3);
        ck_assert_mem_eq(buf, "abc", 3);
    }
    fixture_free(&f);
}
END_TEST

START_TEST(test_fw_cfg_reset)
{
    Fixture f;
    fixture_init(&f);
    bus_io_write(f.bus, 0x510, 0, 2);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x511, 1), 'Q');
    fw_cfg_reset(f.fw);
    ck_assert_uint_eq(bus_io_read(f.bus, 0x511, 1), 0);    /* nothing selected */
    fixture_free(&f);
}
END_TEST

TEST_SUITE(fw_cfg)
{
    Suite *s = suite_create("fw_cfg");
    TCase *tc = tcase_create("ports");
    tcase_add_test(tc, test_fw_cfg_signature_and_id);
    tcase_add_test(tc, test_fw_cfg_integers_little_endian);
    tcase_add_test(tc, test_fw_cfg_file_directory);
    tcase_add_test(tc, test_fw_cfg_dma_read);
    tcase_add_test(tc, test_fw_cfg_dma_write_fails);
    tcase_add_test(tc, test_fw_cfg_reset);
    suite_add_tcase(s, tc);
    return s;
}
