/* test_i8237.c — 8237A DMA controller registers and the page registers,
 * on a bare bus at the AT addresses (controller 1 at 0x00, controller 2 at
 * 0xc0 with stride 2, pages at 0x81-0x8f).
 *
 * 8237A datasheet facts: address and count registers take two byte
 * accesses, low then high, through the first/last flip-flop, which the
 * clear-byte-pointer command (A3-A0 = 1100) and master clear reset; master
 * clear (1101) and RESET clear command, status, request, temporary and the
 * flip-flop and set all four mask bits; 1110 clears the mask bits, 1111
 * writes all of them, 1010 sets or clears one (bit 2, channel in bits 1-0);
 * the request register (1001) works the same way and shows in status bits
 * 7-4; reading status clears its terminal-count bits 3-0 only.
 */
#include "unit/testlib.h"
#include "hw/i8237.h"

typedef struct Fixture {
    Bus *bus;
    I8237 *dma1, *dma2;
    DmaPage *page;
} Fixture;

static void setup(Fixture *f)
{
    f->bus = bus_new();
    f->dma1 = i8237_new(f->bus, "dma1", 0x00, 1);
    f->dma2 = i8237_new(f->bus, "dma2", 0xc0, 2);
    f->page = dma_page_new(f->bus, 0x81, 15);
}

static void teardown(Fixture *f)
{
    i8237_free(f->dma1);
    i8237_free(f->dma2);
    dma_page_free(f->page);
    bus_free(f->bus);
}

static uint8_t in(Fixture *f, uint16_t port)
{
    return (uint8_t)bus_io_read(f->bus, port, 1);
}

static void out(Fixture *f, uint16_t port, uint8_t v)
{
    bus_io_write(f->bus, port, v, 1);
}

START_TEST(test_i8237_address_count_flip_flop)
{
    Fixture f;
    setup(&f);
    out(&f, 0x04, 0x34);                    /* channel 2 address, low */
    out(&f, 0x04, 0x12);                    /* high */
    out(&f, 0x05, 0xff);                    /* channel 2 count */
    out(&f, 0x05, 0x01);
    ck_assert_uint_eq(in(&f, 0x04), 0x34);
    ck_assert_uint_eq(in(&f, 0x04), 0x12);
    ck_assert_uint_eq(in(&f, 0x05), 0xff);
    ck_assert_uint_eq(in(&f, 0x05), 0x01);
    /* One flip-flop for all channels: a lone low byte leaves it on "high". */
    out(&f, 0x00, 0x78);
    ck_assert_uint_eq(in(&f, 0x04), 0x12);
    out(&f, 0x0c, 0);                       /* clear byte pointer */
    ck_assert_uint_eq(in(&f, 0x04), 0x34);
    out(&f, 0x0c, 0);
    ck_assert_uint_eq(in(&f, 0x00), 0x78);
    teardown(&f);
}
END_TEST

START_TEST(test_i8237_masks)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0f);  /* all masked after reset */
    out(&f, 0x0a, 0x01);                    /* clear channel 1's mask */
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0d);
    out(&f, 0x0a, 0x05);                    /* set it again */
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0f);
    out(&f, 0x0e, 0);                       /* clear all */
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x00);
    out(&f, 0x0f, 0x0a);                    /* write all */
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0a);
    out(&f, 0x0d, 0);                       /* master clear sets them */
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0f);
    teardown(&f);
}
END_TEST

START_TEST(test_i8237_request_status_master_clear)
{
    Fixture f;
    setup(&f);
    out(&f, 0x08, 0x04);                    /* command: controller disabled */
    out(&f, 0x09, 0x06);                    /* request channel 2 */
    ck_assert_uint_eq(in(&f, 0x08), 0x40);
    ck_assert_uint_eq(in(&f, 0x08), 0x40);  /* request bits survive the read */
    out(&f, 0x09, 0x02);                    /* withdraw it */
    ck_assert_uint_eq(in(&f, 0x08), 0x00);
    out(&f, 0x09, 0x07);
    out(&f, 0x04, 0x55);                    /* flip-flop now on "high" */
    out(&f, 0x0d, 0);                       /* master clear */
    ck_assert_uint_eq(in(&f, 0x08), 0x00);
    ck_assert_uint_eq(in(&f, 0x0d), 0x00);  /* temporary register */
    out(&f, 0x04, 0x66);                    /* low byte first again */
    out(&f, 0x04, 0x77);
    out(&f, 0x0c, 0);
    ck_assert_uint_eq(in(&f, 0x04), 0x66);
    ck_assert_uint_eq(in(&f, 0x04), 0x77);
    teardown(&f);
}
END_TEST

/* Controller 2: registers on even ports from 0xc0; A0 is not decoded. */
START_TEST(test_i8237_second_controller_stride)
{
    Fixture f;
    setup(&f);
    out(&f, 0xc4, 0xcd);                    /* channel 5 address (reg 2) */
    out(&f, 0xc5, 0xab);                    /* odd alias: the same register */
    ck_assert_uint_eq(in(&f, 0xc4), 0xcd);
    ck_assert_uint_eq(in(&f, 0xc4), 0xab);
    ck_assert_uint_eq(in(&f, 0xde) & 0x0f, 0x0f);   /* write-all-mask at 0xde */
    out(&f, 0xd4, 0x00);                    /* single mask (reg 0xa): unmask ch 4 */
    ck_assert_uint_eq(in(&f, 0xde) & 0x0f, 0x0e);
    ck_assert_uint_eq(in(&f, 0x0f) & 0x0f, 0x0f);   /* controller 1 untouched */
    i8237_reset(f.dma2);
    ck_assert_uint_eq(in(&f, 0xde) & 0x0f, 0x0f);
    teardown(&f);
}
END_TEST

/* Page registers 0x81-0x8f hold what is written; 0x80 is left to others. */
START_TEST(test_i8237_page_registers)
{
    Fixture f;
    static const IoOps none = { 0 };
    setup(&f);
    for (int p = 0x81; p <= 0x8f; p++)
        out(&f, p, (uint8_t)(p ^ 0x5a));
    for (int p = 0x81; p <= 0x8f; p++)
        ck_assert_uint_eq(in(&f, p), (uint8_t)(p ^ 0x5a));
    ck_assert_ptr_nonnull(bus_map_io(f.bus, "post", 0x80, 1, &none, NULL));
    dma_page_reset(f.page);
    ck_assert_uint_eq(in(&f, 0x87), 0);
    teardown(&f);
}
END_TEST

TEST_SUITE(i8237)
{
    Suite *s = suite_create("i8237");
    TCase *tc = tcase_create("dma");
    tcase_add_test(tc, test_i8237_address_count_flip_flop);
    tcase_add_test(tc, test_i8237_masks);
    tcase_add_test(tc, test_i8237_request_status_master_clear);
    tcase_add_test(tc, test_i8237_second_controller_stride);
    tcase_add_test(tc, test_i8237_page_registers);
    suite_add_tcase(s, tc);
    return s;
}
