/* test_block.c — raw disk images: open errors, sector I/O, read-only media,
 * the -snapshot overlay and the single-writer lock.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include "unit/ide_rig.h"

static void write_bytes(const char *path, const void *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_TRUNC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, data, len), (ssize_t)len);
    close(fd);
}

START_TEST(test_block_open_errors)
{
    char path[64], err[256] = "";
    uint8_t junk[700] = { 0 };
    ck_assert_ptr_null(block_open("/nonexistent/disk.img", false, false, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent/disk.img"));
    make_image(path, 0);                         /* empty */
    ck_assert_ptr_null(block_open(path, false, false, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "empty"));
    write_bytes(path, junk, sizeof junk);        /* a partial trailing sector */
    ck_assert_ptr_null(block_open(path, false, false, err, sizeof err));
    ck_assert_ptr_nonnull(strstr(err, "multiple of 512"));
    unlink(path);
    ck_assert_ptr_null(block_open("/tmp", true, false, err, sizeof err));
}
END_TEST

START_TEST(test_block_read_write)
{
    char path[64], err[256];
    uint8_t buf[3 * 512], back[3 * 512];
    BlockDev *b;
    make_image(path, 100);
    b = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_nonnull(b);
    ck_assert_uint_eq(block_sectors(b), 100);
    ck_assert(!block_read_only(b));
    ck_assert_int_eq(block_read(b, 97, buf, 3), 0);
    for (int i = 0; i < 3; i++)
        ck_assert(sector_matches(buf + 512 * i, 97 + i));
    ck_assert_int_eq(block_read(b, 98, buf, 3), -EIO);  /* past the end */
    ck_assert_int_eq(block_write(b, 100, buf, 1), -EIO);
    memset(buf, 0xc3, sizeof buf);
    ck_assert_int_eq(block_write(b, 50, buf, 3), 0);
    ck_assert_int_eq(block_flush(b), 0);
    block_close(b);
    b = block_open(path, true, false, err, sizeof err);
    ck_assert_int_eq(block_read(b, 50, back, 3), 0);
    ck_assert_mem_eq(back, buf, sizeof buf);
    ck_assert_int_eq(block_read(b, 49, back, 1), 0);
    ck_assert(sector_matches(back, 49));
    ck_assert(block_read_only(b));
    ck_assert_int_eq(block_write(b, 0, buf, 1), -EROFS);
    block_close(b);
    unlink(path);
}
END_TEST

START_TEST(test_block_snapshot)
{
    char path[64], err[256];
    uint8_t buf[2 * 512], back[2 * 512];
    BlockDev *b, *ro;
    make_image(path, 64);
    b = block_open(path, false, true, err, sizeof err);
    ck_assert_ptr_nonnull(b);
    ck_assert(!block_read_only(b));
    memset(buf, 0x11, sizeof buf);
    ck_assert_int_eq(block_write(b, 31, buf, 2), 0);  /* crosses nothing special */
    ck_assert_int_eq(block_flush(b), 0);
    ck_assert_int_eq(block_read(b, 30, back, 2), 0);  /* base then overlay */
    ck_assert(sector_matches(back, 30));
    ck_assert_mem_eq(back + 512, buf, 512);
    ck_assert_int_eq(block_read(b, 32, back, 2), 0);  /* overlay then base */
    ck_assert_mem_eq(back, buf, 512);
    ck_assert(sector_matches(back + 512, 33));
    /* the image itself is untouched, and shareable with a reader */
    ro = block_open(path, true, false, err, sizeof err);
    ck_assert_ptr_nonnull(ro);
    ck_assert_int_eq(block_read(ro, 31, back, 2), 0);
    ck_assert(sector_matches(back, 31));
    ck_assert(sector_matches(back + 512, 32));
    block_close(ro);
    block_close(b);
    unlink(path);
}
END_TEST

START_TEST(test_block_single_writer)
{
    char path[64], err[256] = "";
    BlockDev *a, *b;
    make_image(path, 8);
    a = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_nonnull(a);
    b = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_null(b);
    ck_assert_ptr_nonnull(strstr(err, "in use"));
    block_close(a);
    b = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_nonnull(b);
    block_close(b);
    unlink(path);
}
END_TEST

START_TEST(test_block_read_only_file)
{
    char path[64], err[256];
    uint8_t buf[512] = { 0 };
    BlockDev *b;
    if (geteuid() == 0)
        return;                 /* root may write a mode 0444 file */
    make_image(path, 8);
    ck_assert_int_eq(chmod(path, 0444), 0);
    b = block_open(path, false, false, err, sizeof err);
    ck_assert_ptr_nonnull(b);
    ck_assert(block_read_only(b));
    ck_assert_int_eq(block_write(b, 1, buf, 1), -EROFS);
    block_close(b);
    unlink(path);
}
END_TEST

TEST_SUITE(block)
{
    Suite *s = suite_create("block");
    TCase *tc = tcase_create("block");
    tcase_add_test(tc, test_block_open_errors);
    tcase_add_test(tc, test_block_read_write);
    tcase_add_test(tc, test_block_snapshot);
    tcase_add_test(tc, test_block_single_writer);
    tcase_add_test(tc, test_block_read_only_file);
    suite_add_tcase(s, tc);
    return s;
}
