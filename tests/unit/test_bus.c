/* test_bus.c — port I/O registration and width adaptation. */
#include "unit/testlib.h"
#include "hw/bus.h"

typedef struct Recorder {
    uint64_t offset[16];
    uint64_t value[16];
    unsigned size[16];
    int n;
    uint8_t regs[16];
} Recorder;

static uint64_t rec_read(void *opaque, uint64_t offset, unsigned size)
{
    Recorder *r = opaque;
    uint64_t v = 0;
    r->offset[r->n] = offset;
    r->size[r->n++] = size;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)r->regs[(offset + i) & 15] << (8 * i);
    return v;
}

static void rec_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Recorder *r = opaque;
    r->offset[r->n] = offset;
    r->value[r->n] = value;
    r->size[r->n++] = size;
}

static const IoOps byte_ops = { rec_read, rec_write, 1, 1 };
static const IoOps dword_ops = { rec_read, rec_write, 4, 4 };
static const IoOps any_ops = { rec_read, rec_write, 1, 4 };

START_TEST(test_bus_overlap_refused)
{
    Bus *bus = bus_new();
    Recorder a = { 0 }, b = { 0 };
    ck_assert_ptr_nonnull(bus_map_io(bus, "a", 0x40, 4, &byte_ops, &a));
    ck_assert_ptr_null(bus_map_io(bus, "b", 0x43, 2, &byte_ops, &b));
    ck_assert_ptr_null(bus_map_io(bus, "b", 0x3e, 4, &byte_ops, &b));
    ck_assert_ptr_null(bus_map_io(bus, "zero", 0x80, 0, &byte_ops, &b));
    ck_assert_ptr_null(bus_map_io(bus, "wrap", 0xfffe, 4, &byte_ops, &b));
    ck_assert_ptr_nonnull(bus_map_io(bus, "b", 0x44, 2, &byte_ops, &b));
    bus_free(bus);
}
END_TEST

START_TEST(test_bus_dispatch_by_offset)
{
    Bus *bus = bus_new();
    Recorder r = { .regs = { 0x11, 0x22, 0x33, 0x44 } };
    bus_map_io(bus, "dev", 0x60, 4, &any_ops, &r);
    ck_assert_uint_eq(bus_io_read(bus, 0x62, 1), 0x33);
    ck_assert_uint_eq(r.offset[0], 2);
    ck_assert_uint_eq(bus_io_read(bus, 0x60, 4), 0x44332211);
    ck_assert_uint_eq(r.size[1], 4);
    bus_io_write(bus, 0x61, 0xabcd, 2);
    ck_assert_uint_eq(r.offset[2], 1);
    ck_assert_uint_eq(r.value[2], 0xabcd);
    ck_assert_uint_eq(r.size[2], 2);
    bus_free(bus);
}
END_TEST

START_TEST(test_bus_wide_access_split)
{
    Bus *bus = bus_new();
    Recorder r = { .regs = { 0xaa, 0xbb, 0xcc, 0xdd } };
    bus_map_io(bus, "dev", 0x1f0, 8, &byte_ops, &r);
    ck_assert_uint_eq(bus_io_read(bus, 0x1f0, 4), 0xddccbbaa);
    ck_assert_int_eq(r.n, 4);
    for (int i = 0; i < 4; i++) {
        ck_assert_uint_eq(r.offset[i], (uint64_t)i);
        ck_assert_uint_eq(r.size[i], 1);
    }
    bus_io_write(bus, 0x1f2, 0x1234, 2);
    ck_assert_uint_eq(r.value[4], 0x34);
    ck_assert_uint_eq(r.offset[4], 2);
    ck_assert_uint_eq(r.value[5], 0x12);
    ck_assert_uint_eq(r.offset[5], 3);
    bus_free(bus);
}
END_TEST

START_TEST(test_bus_narrow_access_widened)
{
    Bus *bus = bus_new();
    Recorder r = { .regs = { 0x01, 0x02, 0x03, 0x04 } };
    bus_map_io(bus, "cfg", 0xcfc, 4, &dword_ops, &r);
    ck_assert_uint_eq(bus_io_read(bus, 0xcfe, 1), 0x03);
    ck_assert_uint_eq(r.offset[0], 0);
    ck_assert_uint_eq(r.size[0], 4);
    bus_io_write(bus, 0xcfd, 0x7f, 1);
    ck_assert_uint_eq(r.offset[1], 0);
    ck_assert_uint_eq(r.value[1], 0x7f00);
    ck_assert_uint_eq(r.size[1], 4);
    bus_free(bus);
}
END_TEST

START_TEST(test_bus_unclaimed_reads_ones)
{
    Bus *bus = bus_new();
    Recorder r = { .regs = { 0x5a } };
    ck_assert_uint_eq(bus_io_read(bus, 0x1234, 1), 0xff);
    ck_assert_uint_eq(bus_io_read(bus, 0x1234, 2), 0xffff);
    ck_assert_uint_eq(bus_io_read(bus, 0x1234, 4), 0xffffffff);
    bus_io_write(bus, 0x1234, 0, 4); /* dropped, must not crash */
    /* A word access running past a 1-port device is split per byte. */
    bus_map_io(bus, "one", 0x80, 1, &byte_ops, &r);
    ck_assert_uint_eq(bus_io_read(bus, 0x80, 2), 0xff5a);
    bus_free(bus);
}
END_TEST

START_TEST(test_bus_move_and_unmap)
{
    Bus *bus = bus_new();
    Recorder a = { .regs = { 1 } }, b = { .regs = { 2 } };
    IoRange *ra = bus_map_io(bus, "a", 0xc000, 16, &byte_ops, &a);
    bus_map_io(bus, "b", 0xc100, 16, &byte_ops, &b);
    ck_assert_int_eq(bus_move_io(bus, ra, 0xc108), -1);
    ck_assert_uint_eq(bus_io_read(bus, 0xc000, 1), 1);
    ck_assert_int_eq(bus_move_io(bus, ra, 0xd000), 0);
    ck_assert_uint_eq(bus_io_read(bus, 0xc000, 1), 0xff);
    ck_assert_uint_eq(bus_io_read(bus, 0xd000, 1), 1);
    bus_unmap_io(bus, ra);
    ck_assert_uint_eq(bus_io_read(bus, 0xd000, 1), 0xff);
    ck_assert_ptr_nonnull(bus_map_io(bus, "c", 0xd000, 4, &byte_ops, &a));
    bus_free(bus);
}
END_TEST

TEST_SUITE(bus)
{
    Suite *s = suite_create("bus");
    TCase *tc = tcase_create("ports");
    tcase_add_test(tc, test_bus_overlap_refused);
    tcase_add_test(tc, test_bus_dispatch_by_offset);
    tcase_add_test(tc, test_bus_wide_access_split);
    tcase_add_test(tc, test_bus_narrow_access_widened);
    tcase_add_test(tc, test_bus_unclaimed_reads_ones);
    tcase_add_test(tc, test_bus_move_and_unmap);
    suite_add_tcase(s, tc);
    return s;
}
