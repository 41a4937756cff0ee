/* test_chardev.c — backends (file, null, none, bad specs), input delivery
 * bounded by can_receive, and the mon:stdio Ctrl-A escapes (on a pipe pair
 * through chardev_open_fds, so no terminal is touched). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "ui/chardev.h"

typedef struct Sink {
    uint8_t buf[64];
    int n;
    int room;               /* what can_receive reports */
} Sink;

static int sink_can(void *opaque) { return ((Sink *)opaque)->room; }

static void sink_receive(void *opaque, const uint8_t *buf, int len)
{
    Sink *s = opaque;
    memcpy(s->buf + s->n, buf, len);
    s->n += len;
    s->room -= len;
}

typedef struct MuxLog {
    int quits;
    int monitor;            /* last set_monitor value */
    int switches;
} MuxLog;

static void mux_quit(void *opaque) { ((MuxLog *)opaque)->quits++; }

static void mux_monitor(void *opaque, bool active)
{
    MuxLog *m = opaque;
    m->monitor = active;
    m->switches++;
}

typedef struct Pipes {
    int in[2], out[2];
    CharDev *chr;
} Pipes;

static void pipes_open(Pipes *p, bool mux)
{
    ck_assert_int_eq(pipe(p->in), 0);
    ck_assert_int_eq(pipe(p->out), 0);
    fcntl(p->out[0], F_SETFL, O_NONBLOCK);
    p->chr = chardev_open_fds(p->in[0], p->out[1], mux);
}

static void pipes_close(Pipes *p)
{
    chardev_close(p->chr);
    for (int i = 0; i < 2; i++) {
        close(p->in[i]);
        close(p->out[i]);
    }
}

static void type(Pipes *p, const char *s, int n)
{
    ck_assert_int_eq(write(p->in[1], s, n), n);
    chardev_poll(p->chr);
}

START_TEST(test_chardev_file_backend)
{
    char path[] = "/tmp/emu-test-chr-XXXXXX", spec[64], buf[32] = "";
    int fd = mkstemp(path);
    bool failed = true;
    char err[128];
    CharDev *chr;
    FILE *f;

    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(write(fd, "old contents", 12), 12);
    close(fd);
    snprintf(spec, sizeof(spec), "file:%s", path);
    chr = chardev_open(spec, &failed, err, sizeof(err));
    ck_assert_ptr_nonnull(chr);
    ck_assert(!failed);
    ck_assert_int_eq(chardev_fd(chr), -1);          /* no input */
    chardev_write(chr, (const uint8_t *)"hello ", 6);
    chardev_write(chr, (const uint8_t *)"world", 5);
    ck_assert(!chardev_poll(chr));
    chardev_close(chr);
    f = fopen(path, "r");
    ck_assert_ptr_nonnull(f);
    ck_assert_ptr_nonnull(fgets(buf, sizeof(buf), f));
    ck_assert_str_eq(buf, "hello world");           /* truncated, then written */
    fclose(f);
    unlink(path);
}
END_TEST

START_TEST(test_chardev_specs)
{
    bool failed = true;
    char err[128] = "";
    CharDev *chr;

    ck_assert_ptr_null(chardev_open("none", &failed, err, sizeof(err)));
    ck_assert(!failed);
    chr = chardev_open("null", &failed, err, sizeof(err));
    ck_assert_ptr_nonnull(chr);
    ck_assert(!failed);
    chardev_write(chr, (const uint8_t *)"x", 1);
    ck_assert_int_eq(chardev_fd(chr), -1);
    chardev_close(chr);
    ck_assert_ptr_null(chardev_open("bogus", &failed, err, sizeof(err)));
    ck_assert(failed);
    ck_assert(strlen(err) > 0);
    failed = false;
    ck_assert_ptr_null(chardev_open("file:/nonexistent-dir/x", &failed, err, sizeof(err)));
    ck_assert(failed);
    ck_assert_ptr_nonnull(strstr(err, "/nonexistent-dir/x"));
}
END_TEST

START_TEST(test_chardev_input_respects_can_receive)
{
    Pipes p;
    Sink s = { .room = 2 };
    CharDevClient cl = { &s, sink_can, sink_receive };

    pipes_open(&p, false);
    chardev_set_client(p.chr, &cl);
    type(&p, "abcde\x01", 6);
    ck_assert_int_eq(s.n, 2);
    ck_assert(!chardev_poll(p.chr));                /* client full */
    s.room = 10;
    ck_assert(chardev_poll(p.chr));
    ck_assert_int_eq(s.n, 6);
    ck_assert_int_eq(memcmp(s.buf, "abcde\x01", 6), 0);    /* no escapes */
    pipes_close(&p);
}
END_TEST

START_TEST(test_chardev_mux_escapes)
{
    Pipes p;
    Sink guest = { .room = 64 }, mon = { .room = 64 };
    CharDevClient gcl = { &guest, sink_can, sink_receive };
    CharDevClient mcl = { &mon, sink_can, sink_receive };
    MuxLog log = { 0 };
    CharDevMuxHooks hooks = { &log, mux_quit, mux_monitor };
    char help[512];

    pipes_open(&p, true);
    chardev_set_client(p.chr, &gcl);
    chardev_set_monitor_client(p.chr, &mcl);
    chardev_set_mux_hooks(p.chr, &hooks);
    type(&p, "ab\x01\x01" "c\x01z", 7);             /* C-a C-a sends one C-a */
    ck_assert_int_eq(guest.n, 4);
    ck_assert_int_eq(memcmp(guest.buf, "ab\x01" "c", 4), 0);
    type(&p, "\x01h", 2);
    ck_assert_int_gt(read(p.out[0], help, sizeof(help)), 0);
    ck_assert_int_eq(guest.n, 4);
    type(&p, "\x01", 1);                            /* escape split across reads */
    type(&p, "c", 1);
    ck_assert(chardev_monitor_active(p.chr));
    ck_assert_int_eq(log.monitor, 1);
    type(&p, "info", 4);
    ck_assert_int_eq(mon.n, 4);
    ck_assert_int_eq(guest.n, 4);
    type(&p, "\x01" "c" "q", 3);
    ck_assert(!chardev_monitor_active(p.chr));
    ck_assert_int_eq(log.switches, 2);
    ck_assert_int_eq(guest.n, 5);
    ck_assert_int_eq(guest.buf[4], 'q');
    ck_assert_int_eq(log.quits, 0);
    type(&p, "\x01x", 2);
    ck_assert_int_eq(log.quits, 1);
    pipes_close(&p);
}
END_TEST

START_TEST(test_chardev_mux_escape_while_guest_full)
{
    Pipes p;
    Sink guest = { .room = 0 };
    CharDevClient gcl = { &guest, sink_can, sink_receive };
    MuxLog log = { 0 };
    CharDevMuxHooks hooks = { &log, mux_quit, NULL };

    pipes_open(&p, true);
    chardev_set_client(p.chr, &gcl);
    chardev_set_mux_hooks(p.chr, &hooks);
    type(&p, "zz\x01x", 4);                         /* the guest reads nothing */
    ck_assert_int_eq(log.quits, 1);
    ck_assert_int_eq(guest.n, 0);
    pipes_close(&p);
}
END_TEST

TEST_SUITE(chardev)
{
    Suite *s = suite_create("chardev");
    TCase *tc = tcase_create("backends");
    tcase_add_test(tc, test_chardev_file_backend);
    tcase_add_test(tc, test_chardev_specs);
    tcase_add_test(tc, test_chardev_input_respects_can_receive);
    tcase_add_test(tc, test_chardev_mux_escapes);
    tcase_add_test(tc, test_chardev_mux_escape_while_guest_full);
    suite_add_tcase(s, tc);
    return s;
}
