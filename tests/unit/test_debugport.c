/* test_debugport.c — debugcon output and readback (Bochs/QEMU: reads give
 * 0xe9), POST codes under LOG_POST, isa-debug-exit status (v << 1) | 1. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "hw/debugport.h"
#include "base/log.h"

typedef struct Exits {
    int status[4];
    int n;
} Exits;

static void on_exit_hook(void *opaque, int status)
{
    Exits *e = opaque;
    if (e->n < 4)
        e->status[e->n++] = status;
}

START_TEST(test_debugport_debugcon)
{
    Bus *bus = bus_new();
    int out[2];
    char buf[8];
    CharDev *chr;
    DebugPorts *dp;

    ck_assert_int_eq(pipe(out), 0);
    fcntl(out[0], F_SETFL, O_NONBLOCK);
    chr = chardev_open_fds(-1, out[1], false);
    dp = debugport_new(bus, chr, NULL);
    bus_io_write(bus, 0xe9, 'h', 1);
    bus_io_write(bus, 0x402, 'i', 1);
    ck_assert_int_eq(read(out[0], buf, sizeof(buf)), 2);
    ck_assert_int_eq(buf[0], 'h');
    ck_assert_int_eq(buf[1], 'i');
    ck_assert_uint_eq(bus_io_read(bus, 0xe9, 1), 0xe9);
    ck_assert_uint_eq(bus_io_read(bus, 0x402, 1), 0xe9);
    debugport_free(dp);
    chardev_close(chr);
    close(out[0]);
    close(out[1]);
    bus_free(bus);
}
END_TEST

START_TEST(test_debugport_no_console)
{
    Bus *bus = bus_new();
    DebugPorts *dp = debugport_new(bus, NULL, NULL);
    bus_io_write(bus, 0xe9, 'x', 1);                /* dropped */
    bus_io_write(bus, 0x501, 3, 1);                 /* no hook: ignored */
    ck_assert_uint_eq(bus_io_read(bus, 0xe9, 1), 0xe9);
    debugport_free(dp);
    bus_free(bus);
}
END_TEST

START_TEST(test_debugport_exit_status)
{
    Bus *bus = bus_new();
    Exits e = { 0 };
    DebugPortHooks h = { &e, on_exit_hook };
    DebugPorts *dp = debugport_new(bus, NULL, &h);
    bus_io_write(bus, 0x501, 0x00, 1);
    bus_io_write(bus, 0x501, 0x31, 1);
    bus_io_write(bus, 0x501, 0x0102, 2);
    bus_io_write(bus, 0x502, 0x7f, 1);
    ck_assert_int_eq(e.n, 4);
    ck_assert_int_eq(e.status[0], 1);
    ck_assert_int_eq(e.status[1], 99);
    ck_assert_int_eq(e.status[2], 0x205);
    ck_assert_int_eq(e.status[3], 0xff);
    debugport_free(dp);
    bus_free(bus);
}
END_TEST

START_TEST(test_debugport_post_codes)
{
    Bus *bus = bus_new();
    DebugPorts *dp = debugport_new(bus, NULL, NULL);
    char path[] = "/tmp/emu-test-post-XXXXXX", line[64] = "";
    int fd = mkstemp(path);
    FILE *f;

    ck_assert_int_ge(fd, 0);
    close(fd);
    ck_assert_int_eq(log_set_file(path), 0);
    log_mask |= LOG_POST;
    bus_io_write(bus, 0x80, 0x55, 1);
    ck_assert_uint_eq(debugport_last_post(dp), 0x55);
    ck_assert_uint_eq(bus_io_read(bus, 0x80, 1), 0xff);
    fflush(log_file());
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(line, sizeof(line), f));
    ck_assert_str_eq(line, "POST: 0x55\n");
    fclose(f);
    unlink(path);
    debugport_reset(dp);
    ck_assert_uint_eq(debugport_last_post(dp), 0);
    debugport_free(dp);
    bus_free(bus);
}
END_TEST

TEST_SUITE(debugport)
{
    Suite *s = suite_create("debugport");
    TCase *tc = tcase_create("ports");
    tcase_add_test(tc, test_debugport_debugcon);
    tcase_add_test(tc, test_debugport_no_console);
    tcase_add_test(tc, test_debugport_exit_status);
    tcase_add_test(tc, test_debugport_post_codes);
    suite_add_tcase(s, tc);
    return s;
}
