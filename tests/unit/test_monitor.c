/* test_monitor.c — the monitor on a fake machine: a Machine with a reset
 * CPU and no board, a fake display (a 4x2 text screen, a 3x2 surface), and
 * the chardev on a pipe pair. Checks command parsing and outputs, line
 * editing, the mon:stdio switch, and stop/cont through the poll handler.
 * Register values are the SDM's reset state (Vol. 3A 9.1.1, table 9-1);
 * PNG fields per ISO/IEC 15948 (signature, IHDR). */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "ui/monitor.h"

typedef struct FakeDisplay {
    DisplaySurface s;
    uint32_t px[6];
    uint16_t cells[8];
    bool text_mode;
} FakeDisplay;

typedef struct Rig {
    Machine *m;
    Monitor *mon;
    CharDev *chr;
    int in[2], out[2];
    FakeDisplay fd;
    DisplayDevice dev;
    int resets, powerdowns;
    char outbuf[8192];
} Rig;

static void fake_update(void *o, const DisplayListener *l) {}
static void fake_invalidate(void *o) {}
static const DisplaySurface *fake_surface(void *o) { return &((FakeDisplay *)o)->s; }

static bool fake_text(void *o, DisplayText *t)
{
    FakeDisplay *d = o;
    if (!d->text_mode)
        return false;
    *t = (DisplayText){ .cols = 4, .rows = 2, .cells = d->cells };
    return true;
}

static const DisplayOps fake_ops = { fake_update, fake_invalidate, fake_surface, fake_text };

static bool poll_chr(void *o) { return chardev_poll(o); }
static void power_button(void *o) { ((Rig *)o)->powerdowns++; }

static void fake_display(Rig *r)
{
    static const char *const text = "Hi  ok";
    FakeDisplay *d = &r->fd;

    for (int i = 0; i < 6; i++)
        d->cells[i] = (uint16_t)(text[i] | 0x0700);
    d->cells[6] = d->cells[7] = 0;                  /* NUL cells: blanks */
    d->s = (DisplaySurface){ .width = 3, .height = 2, .stride = 12, .pixels = d->px };
    d->text_mode = true;
    r->dev = (DisplayDevice){ .name = "fake", .ops = &fake_ops, .opaque = d };
}

static void rig_open(Rig *r, bool mux)
{
    EmuOptions o;
    CpuConfig cc = { .backend = CPU_BACKEND_INTERP };
    MonitorConfig mc = { .display = &r->dev, .opaque = r, .power_button = power_button };

    memset(r, 0, sizeof(*r));
    memset(&o, 0, sizeof(o));
    o.icount_shift = -1;
    o.ram_size = 1 << 20;
    r->m = machine_new(&o);
    cc.bus = r->m->bus;
    cc.clock = r->m->clock;
    r->m->cpu = cpu_new(&cc);
    cpu_reset(r->m->cpu);
    fake_display(r);
    ck_assert_int_eq(pipe(r->in), 0);
    ck_assert_int_eq(pipe(r->out), 0);
    fcntl(r->out[0], F_SETFL, O_NONBLOCK);
    r->chr = chardev_open_fds(r->in[0], r->out[1], mux);
    machine_add_poll(r->m, poll_chr, r->chr, r->in[0]);
    mc.m = r->m;
    r->mon = monitor_new(&mc, r->chr);
    monitor_attach(r->mon, mux);
}

static void rig_close(Rig *r)
{
    machine_free(r->m);
    chardev_close(r->chr);
    close(r->in[0]);
    close(r->in[1]);
    close(r->out[0]);
    close(r->out[1]);
}

/* Everything written since the last call, NUL-terminated. */
static const char *output(Rig *r)
{
    ssize_t n = read(r->out[0], r->outbuf, sizeof(r->outbuf) - 1);
    r->outbuf[n > 0 ? n : 0] = '\0';
    return r->outbuf;
}

/* Run one command line and return what it printed (echo and prompt included). */
static const char *run(Rig *r, const char *line)
{
    output(r);
    monitor_command(r->mon, line);
    return output(r);
}

static void type(Rig *r, const char *s)
{
    ck_assert_int_eq(write(r->in[1], s, strlen(s)), (ssize_t)strlen(s));
}

static MachinePoll *monitor_poll(Rig *r)
{
    for (int i = 0; i < r->m->npolls; i++)
        if (r->m->polls[i].opaque == r->mon)
            return &r->m->polls[i];
    ck_abort_msg("the monitor registered no poll handler");
    return NULL;
}

START_TEST(test_monitor_greets_and_helps)
{
    Rig r;
    const char *out;

    rig_open(&r, false);
    ck_assert_str_eq(output(&r), "emu monitor - type 'help' for the commands\n(emu) ");
    out = run(&r, "help");
    ck_assert_ptr_nonnull(strstr(out, "info status|registers"));
    ck_assert_ptr_nonnull(strstr(out, "screendump FILE"));
    ck_assert_ptr_nonnull(strstr(out, "system_reset"));
    ck_assert_ptr_nonnull(strstr(out, "quit"));
    ck_assert_str_eq(run(&r, "frobnicate now"), "unknown command: 'frobnicate' (try 'help')\n");
    ck_assert_str_eq(run(&r, "   "), "");
    ck_assert_str_eq(run(&r, "info"), "use 'info status' or 'info registers'\n");
    ck_assert_str_eq(run(&r, "info cpus"),
                     "info: unknown item 'cpus': use 'info status' or 'info registers'\n");
    rig_close(&r);
}
END_TEST

START_TEST(test_monitor_info_registers_reset_state)
{
    Rig r;
    const char *out;

    rig_open(&r, false);
    out = run(&r, "  info   registers  ");
    ck_assert_ptr_nonnull(strstr(out, "EIP=0000fff0"));
    ck_assert_ptr_nonnull(strstr(out, "CS =f000 ffff0000 0000ffff"));
    ck_assert_ptr_nonnull(strstr(out, "CR0=60000010"));
    rig_close(&r);
}
END_TEST

START_TEST(test_monitor_requests)
{
    Rig r;

    rig_open(&r, false);
    ck_assert_str_eq(run(&r, "info status"), "VM status: running\n");
    run(&r, "system_reset");
    ck_assert_int_eq(r.m->request, MACHINE_REQ_RESET);
    run(&r, "system_powerdown");
    ck_assert_int_eq(r.powerdowns, 1);
    run(&r, "q");
    ck_assert_int_eq(r.m->request, MACHINE_REQ_QUIT);
    ck_assert_int_eq(r.m->exit_status, 0);
    rig_close(&r);
}
END_TEST

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    char *buf = calloc(1, 4096);

    ck_assert_ptr_nonnull(f);
    *len = fread(buf, 1, 4095, f);
    fclose(f);
    return buf;
}

START_TEST(test_monitor_screendump)
{
    char dir[] = "/tmp/emu-mon-XXXXXX", txt[64], png[64], cmd[96];
    static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a };
    uint8_t *p;
    size_t len;
    Rig r;

    ck_assert_ptr_nonnull(mkdtemp(dir));
    snprintf(txt, sizeof(txt), "%s/s.txt", dir);
    snprintf(png, sizeof(png), "%s/s.png", dir);
    rig_open(&r, false);
    snprintf(cmd, sizeof(cmd), "screendump %s", txt);
    ck_assert_str_eq(run(&r, cmd), "");
    p = (uint8_t *)slurp(txt, &len);
    ck_assert_str_eq((char *)p, "Hi\nok\n");
    free(p);
    snprintf(cmd, sizeof(cmd), "screendump %s", png);
    ck_assert_str_eq(run(&r, cmd), "");
    p = (uint8_t *)slurp(png, &len);
    ck_assert_mem_eq(p, sig, 8);
    ck_assert_mem_eq(p + 12, "IHDR", 4);
    ck_assert_int_eq(p[19], 3);                         /* width, big-endian */
    ck_assert_int_eq(p[23], 2);                         /* height */
    free(p);

    r.fd.text_mode = false;
    snprintf(cmd, sizeof(cmd), "screendump %s", txt);
    ck_assert_ptr_nonnull(strstr(run(&r, cmd), "not in a text mode"));
    ck_assert_str_eq(run(&r, "screendump"),
                     "usage: screendump FILE (a PNG; FILE.txt: the text screen)\n");
    ck_assert_ptr_nonnull(strstr(run(&r, "screendump /nonexistent/dir/x.png"), "screendump: "));
    rig_close(&r);
    unlink(txt);
    unlink(png);
    rmdir(dir);
}
END_TEST

#define EDITED "infx\x7f" "o stat\x1b[A" "us\r\n"
#define KILLED "quit\x15" "info status\n"

START_TEST(test_monitor_line_editing)
{
    Rig r;
    const char *out;

    rig_open(&r, false);
    output(&r);
    /* "infx" Backspace "o stat", an arrow key (ESC [ A), "us", CR LF: one command. */
    monitor_input(r.mon, (const uint8_t *)EDITED, strlen(EDITED));
    out = output(&r);
    ck_assert_str_eq(out, "infx\b \bo status\nVM status: running\n(emu) ");
    /* Ctrl-U drops the line typed so far. */
    monitor_input(r.mon, (const uint8_t *)KILLED, strlen(KILLED));
    ck_assert_int_eq(r.m->request, MACHINE_REQ_NONE);
    ck_assert_ptr_nonnull(strstr(output(&r), "VM status: running"));
    rig_close(&r);
}
END_TEST

/* mon:stdio: input goes to the guest until Ctrl-A c, Ctrl-A x quits. */
START_TEST(test_monitor_muxed_console)
{
    Rig r;

    rig_open(&r, true);
    ck_assert_str_eq(output(&r), "");
    type(&r, "info status\r");
    chardev_poll(r.chr);
    ck_assert_str_eq(output(&r), "");               /* the guest's input, not ours */
    type(&r, "\x01" "c");
    chardev_poll(r.chr);
    ck_assert_str_eq(output(&r), "emu monitor - type 'help' for the commands\n(emu) ");
    type(&r, "info status\r");
    chardev_poll(r.chr);
    ck_assert_str_eq(output(&r), "info status\nVM status: running\n(emu) ");
    type(&r, "\x01" "x");
    chardev_poll(r.chr);
    ck_assert_int_eq(r.m->request, MACHINE_REQ_QUIT);
    rig_close(&r);
}
END_TEST

START_TEST(test_monitor_stop_cont)
{
    Rig r;
    int64_t t0;

    rig_open(&r, false);
    run(&r, "stop");
    ck_assert(monitor_paused(r.mon));
    ck_assert_str_eq(run(&r, "info status"), "VM status: paused\n");
    t0 = vclock_now(r.m->clock);
    usleep(20000);
    ck_assert_int_eq(vclock_now(r.m->clock), t0);   /* virtual time stands still */
    /* While paused the poll handler keeps the guest stopped and serves input. */
    type(&r, "info status\ncont\n");
    monitor_poll(&r)->fn(r.mon);
    ck_assert(!monitor_paused(r.mon));
    ck_assert_ptr_nonnull(strstr(output(&r), "VM status: paused\n(emu) cont\n(emu) "));
    usleep(20000);
    ck_assert_int_gt(vclock_now(r.m->clock), t0);
    rig_close(&r);
}
END_TEST

START_TEST(test_monitor_quit_while_paused)
{
    Rig r;

    rig_open(&r, false);
    run(&r, "stop");
    type(&r, "quit\n");
    monitor_poll(&r)->fn(r.mon);                    /* returns: the run loop quits */
    ck_assert_int_eq(r.m->request, MACHINE_REQ_QUIT);
    ck_assert(monitor_paused(r.mon));
    rig_close(&r);
}
END_TEST

/* A reset while paused happens at once, and the guest stays paused. */
static void on_reset(void *opaque)
{
    Rig *r = opaque;
    r->resets++;
    type(r, "info status\ncont\n");
}

START_TEST(test_monitor_reset_while_paused)
{
    Rig r;

    rig_open(&r, false);
    machine_add_reset(r.m, on_reset, &r);
    run(&r, "stop");
    type(&r, "system_reset\n");
    monitor_poll(&r)->fn(r.mon);
    ck_assert_int_eq(r.resets, 1);
    ck_assert_int_eq(r.m->request, MACHINE_REQ_NONE);
    ck_assert(!monitor_paused(r.mon));
    ck_assert_ptr_nonnull(strstr(output(&r), "VM status: paused"));
    rig_close(&r);
}
END_TEST

TEST_SUITE(monitor)
{
    Suite *s = suite_create("monitor");
    TCase *tc = tcase_create("monitor");
    tcase_add_test(tc, test_monitor_greets_and_helps);
    tcase_add_test(tc, test_monitor_info_registers_reset_state);
    tcase_add_test(tc, test_monitor_requests);
    tcase_add_test(tc, test_monitor_screendump);
    tcase_add_test(tc, test_monitor_line_editing);
    tcase_add_test(tc, test_monitor_muxed_console);
    tcase_add_test(tc, test_monitor_stop_cont);
    tcase_add_test(tc, test_monitor_quit_while_paused);
    tcase_add_test(tc, test_monitor_reset_while_paused);
    suite_add_tcase(s, tc);
    return s;
}
