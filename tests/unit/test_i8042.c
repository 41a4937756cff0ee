/* test_i8042.c — 8042 controller commands, output port (A20, reset),
 * set 2 -> set 1 translation, keyboard and mouse commands, packets, and
 * the one-byte output buffer with its IRQ1/IRQ12 and status bits.
 *
 * Expected bytes: IBM PS/2 Hardware Interface Technical Reference (self
 * test 0x55, keyboard ID 0xab 0x83, BAT 0xaa, ACK 0xfa), the scan code set
 * 1 and 2 tables (A: 1c / 1e; Up: e0 75 / e0 48), Microsoft IntelliMouse
 * (200-100-80 -> ID 3; 200-200-80 -> ID 4; fourth packet byte = wheel).
 */
#include "unit/testlib.h"
#include "hw/i8042.h"

typedef struct Hooks {
    int a20;            /* -1 until set */
    int resets;
} Hooks;

static void hook_a20(void *opaque, bool on) { ((Hooks *)opaque)->a20 = on; }
static void hook_reset(void *opaque) { ((Hooks *)opaque)->resets++; }

typedef struct Line {
    int level;
    int rises;
} Line;

static void line_handler(void *opaque, int pin, int level)
{
    Line *l = opaque;
    if (level && !l->level)
        l->rises++;
    l->level = level;
}

typedef struct Fixture {
    Bus *bus;
    I8042 *kbc;
    Hooks hooks;
    Line irq1, irq12;
} Fixture;

static void setup(Fixture *f)
{
    I8042Hooks h = { &f->hooks, hook_a20, hook_reset };
    f->hooks = (Hooks){ .a20 = -1 };
    f->irq1 = f->irq12 = (Line){ 0 };
    f->bus = bus_new();
    f->kbc = i8042_new(f->bus, irq_line(line_handler, &f->irq1, 1),
                       irq_line(line_handler, &f->irq12, 12), &h);
}

static void teardown(Fixture *f)
{
    i8042_free(f->kbc);
    bus_free(f->bus);
}

static uint8_t status(Fixture *f) { return bus_io_read(f->bus, 0x64, 1); }
static void cmd(Fixture *f, uint8_t c) { bus_io_write(f->bus, 0x64, c, 1); }
static void data(Fixture *f, uint8_t d) { bus_io_write(f->bus, 0x60, d, 1); }

/* Read one byte, asserting it was there (OBF) and from the right device. */
static uint8_t take(Fixture *f, bool aux)
{
    uint8_t st = status(f);
    ck_assert_msg(st & 0x01, "output buffer empty");
    ck_assert_int_eq(!!(st & 0x20), aux);
    return bus_io_read(f->bus, 0x60, 1);
}

static void set_cmd_byte(Fixture *f, uint8_t v)
{
    cmd(f, 0x60);
    data(f, v);
}

START_TEST(test_i8042_self_test_and_command_byte)
{
    Fixture f;
    setup(&f);
    ck_assert_uint_eq(status(&f) & 0x05, 0x00);     /* no data, SYS clear */
    cmd(&f, 0xaa);
    ck_assert_uint_eq(status(&f) & 0x08, 0x08);     /* last write was a command */
    ck_assert_uint_eq(take(&f, false), 0x55);
    ck_assert_uint_eq(status(&f) & 0x05, 0x04);     /* SYS set by the self-test */
    set_cmd_byte(&f, 0x47);
    ck_assert_uint_eq(status(&f) & 0x08, 0x00);
    cmd(&f, 0x20);
    ck_assert_uint_eq(take(&f, false), 0x47);
    cmd(&f, 0x7f);                                  /* RAM byte 31 */
    data(&f, 0x99);
    cmd(&f, 0x3f);
    ck_assert_uint_eq(take(&f, false), 0x99);
    cmd(&f, 0xab);                                  /* interface tests pass */
    ck_assert_uint_eq(take(&f, false), 0x00);
    cmd(&f, 0xa9);
    ck_assert_uint_eq(take(&f, false), 0x00);
    ck_assert_uint_eq(status(&f) & 0x01, 0);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_output_port_a20_and_reset)
{
    Fixture f;
    setup(&f);
    cmd(&f, 0xd0);
    ck_assert_uint_eq(take(&f, false) & 0x03, 0x03);    /* reset inactive, A20 on */
    cmd(&f, 0xd1);
    data(&f, 0xdd);                                     /* A20 off */
    ck_assert_int_eq(f.hooks.a20, 0);
    ck_assert_int_eq(f.hooks.resets, 0);
    cmd(&f, 0xd1);
    data(&f, 0xdf);
    ck_assert_int_eq(f.hooks.a20, 1);
    cmd(&f, 0xd0);
    ck_assert_uint_eq(take(&f, false) & 0x03, 0x03);
    cmd(&f, 0xff);                                      /* pulse nothing */
    ck_assert_int_eq(f.hooks.resets, 0);
    cmd(&f, 0xfe);                                      /* pulse reset */
    ck_assert_int_eq(f.hooks.resets, 1);
    cmd(&f, 0xd1);
    data(&f, 0xde);                                     /* bit 0 low: reset */
    ck_assert_int_eq(f.hooks.resets, 2);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_translation)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x45);                             /* XLATE, SYS, KBD INT */
    i8042_kbd_put_scancode(f.kbc, 0x1c);                /* A make */
    ck_assert_int_eq(f.irq1.level, 1);
    ck_assert_uint_eq(take(&f, false), 0x1e);
    ck_assert_int_eq(f.irq1.level, 0);
    i8042_kbd_put_scancode(f.kbc, 0xf0);                /* A break */
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(take(&f, false), 0x9e);
    ck_assert_uint_eq(status(&f) & 0x01, 0);            /* f0 swallowed */
    i8042_kbd_put_scancode(f.kbc, 0xe0);                /* Up break */
    i8042_kbd_put_scancode(f.kbc, 0xf0);
    i8042_kbd_put_scancode(f.kbc, 0x75);
    ck_assert_uint_eq(take(&f, false), 0xe0);
    ck_assert_uint_eq(take(&f, false), 0xc8);
    i8042_kbd_put_scancode(f.kbc, 0x83);                /* F7 */
    ck_assert_uint_eq(take(&f, false), 0x41);
    /* Translation off: set 2 passes unchanged. */
    set_cmd_byte(&f, 0x05);
    i8042_kbd_put_scancode(f.kbc, 0xf0);
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(take(&f, false), 0xf0);
    ck_assert_uint_eq(take(&f, false), 0x1c);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_keyboard_commands)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x04);                             /* no XLATE, no IRQs */
    data(&f, 0xff);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xaa);
    data(&f, 0xf2);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xab);
    ck_assert_uint_eq(take(&f, false), 0x83);
    data(&f, 0xee);
    ck_assert_uint_eq(take(&f, false), 0xee);
    data(&f, 0xed);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    data(&f, 0x07);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    data(&f, 0xf0);
    data(&f, 0x00);                                     /* which set? */
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0x02);
    data(&f, 0xf3);
    data(&f, 0x20);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    data(&f, 0x01);                                     /* not a command */
    ck_assert_uint_eq(take(&f, false), 0xfe);
    data(&f, 0xfe);                                     /* resend */
    ck_assert_uint_eq(take(&f, false), 0xfe);
    data(&f, 0xf5);                                     /* disable scanning */
    ck_assert_uint_eq(take(&f, false), 0xfa);
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(status(&f) & 0x01, 0);
    data(&f, 0xf4);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(take(&f, false), 0x1c);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_keyboard_id_translated)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x45);                             /* translate, IRQ1 on */
    data(&f, 0xf2);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xab);
    ck_assert_uint_eq(take(&f, false), 0x41);           /* 0x83 translated */
    /* Each byte is an interrupt of its own (an edge for the 8259). */
    ck_assert_int_eq(f.irq1.rises, 3);
    ck_assert_int_eq(f.irq1.level, 0);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_keyboard_set1)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x04);
    data(&f, 0xf0);
    data(&f, 0x01);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0xfa);
    i8042_kbd_put_scancode(f.kbc, 0xf0);                /* the keyboard speaks set 1 */
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(take(&f, false), 0x9e);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_interface_disable)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x05);
    cmd(&f, 0xad);
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(status(&f) & 0x01, 0);            /* clock held low */
    ck_assert_int_eq(f.irq1.level, 0);
    cmd(&f, 0x20);
    ck_assert_uint_eq(take(&f, false), 0x15);
    cmd(&f, 0xae);
    ck_assert_uint_eq(take(&f, false), 0x1c);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_mouse_packets)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x07);                             /* KBD and AUX IRQs, AUX on */
    cmd(&f, 0xd4);
    data(&f, 0xf4);                                     /* enable reporting */
    ck_assert_int_eq(f.irq12.level, 1);
    ck_assert_int_eq(f.irq1.level, 0);
    ck_assert_uint_eq(take(&f, true), 0xfa);
    ck_assert_int_eq(f.irq12.level, 0);
    i8042_mouse_event(f.kbc, 5, 3, 0, 1);               /* right 5, down 3, left button */
    ck_assert_uint_eq(take(&f, true), 0x29);            /* L, bit 3, Y negative */
    ck_assert_uint_eq(take(&f, true), 0x05);
    ck_assert_uint_eq(take(&f, true), 0xfd);
    i8042_mouse_event(f.kbc, -300, 0, 0, 0);            /* beyond 9 bits: two packets */
    ck_assert_uint_eq(take(&f, true), 0x18);
    ck_assert_uint_eq(take(&f, true), 0x00);            /* -256 */
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(take(&f, true), 0x18);
    ck_assert_uint_eq(take(&f, true), 0xd4);            /* -44 */
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(status(&f) & 0x01, 0);
    /* IRQ12 disabled in the command byte: data but no interrupt. */
    set_cmd_byte(&f, 0x05);
    i8042_mouse_event(f.kbc, 1, 0, 0, 0);
    ck_assert_uint_eq(status(&f) & 0x21, 0x21);
    ck_assert_int_eq(f.irq12.level, 0);
    teardown(&f);
}
END_TEST

static void mouse_cmd(Fixture *f, uint8_t v)
{
    cmd(f, 0xd4);
    data(f, v);
    ck_assert_uint_eq(take(f, true), 0xfa);
}

START_TEST(test_i8042_intellimouse_detection)
{
    Fixture f;
    static const uint8_t seq3[] = { 200, 100, 80 }, seq4[] = { 200, 200, 80 };
    setup(&f);
    set_cmd_byte(&f, 0x47);
    mouse_cmd(&f, 0xff);
    ck_assert_uint_eq(take(&f, true), 0xaa);
    ck_assert_uint_eq(take(&f, true), 0x00);
    for (int i = 0; i < 3; i++) {
        mouse_cmd(&f, 0xf3);
        mouse_cmd(&f, seq3[i]);
    }
    mouse_cmd(&f, 0xf2);
    ck_assert_uint_eq(take(&f, true), 0x03);
    mouse_cmd(&f, 0xf4);
    i8042_mouse_event(f.kbc, 0, 0, 2, 0);
    ck_assert_uint_eq(take(&f, true), 0x08);
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(take(&f, true), 0x02);            /* wheel byte */
    for (int i = 0; i < 3; i++) {
        mouse_cmd(&f, 0xf3);
        mouse_cmd(&f, seq4[i]);
    }
    mouse_cmd(&f, 0xf2);
    ck_assert_uint_eq(take(&f, true), 0x04);
    i8042_mouse_event(f.kbc, 0, 0, -1, 0x08);           /* wheel up, button 4 */
    ck_assert_uint_eq(take(&f, true), 0x08);
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(take(&f, true), 0x00);
    ck_assert_uint_eq(take(&f, true), 0x1f);            /* z = -1 in 4 bits, bit 4 */
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_mouse_status_and_modes)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x47);
    mouse_cmd(&f, 0xf3);
    mouse_cmd(&f, 40);
    mouse_cmd(&f, 0xe8);
    mouse_cmd(&f, 3);
    mouse_cmd(&f, 0xe7);                                /* 2:1 scaling */
    mouse_cmd(&f, 0xf4);
    i8042_mouse_event(f.kbc, 0, 0, 0, 0x05);            /* left and middle held */
    ck_assert_uint_eq(take(&f, true), 0x0d);
    take(&f, true);
    take(&f, true);
    mouse_cmd(&f, 0xe9);
    ck_assert_uint_eq(take(&f, true), 0x36);            /* enabled, 2:1, L, M */
    ck_assert_uint_eq(take(&f, true), 3);
    ck_assert_uint_eq(take(&f, true), 40);
    /* 2:1 scaling maps 4 to 6 in stream reports. */
    i8042_mouse_event(f.kbc, 4, 0, 0, 0);
    ck_assert_uint_eq(take(&f, true), 0x08);
    ck_assert_uint_eq(take(&f, true), 6);
    take(&f, true);
    /* Remote mode: no stream; 0xeb reads the motion. */
    mouse_cmd(&f, 0xf0);
    i8042_mouse_event(f.kbc, 7, 0, 0, 0);
    ck_assert_uint_eq(status(&f) & 0x01, 0);
    mouse_cmd(&f, 0xeb);
    ck_assert_uint_eq(take(&f, true), 0x08);
    ck_assert_uint_eq(take(&f, true), 7);
    ck_assert_uint_eq(take(&f, true), 0);
    /* Wrap mode echoes until 0xec. */
    mouse_cmd(&f, 0xee);
    cmd(&f, 0xd4);
    data(&f, 0x12);
    ck_assert_uint_eq(take(&f, true), 0x12);
    mouse_cmd(&f, 0xec);
    teardown(&f);
}
END_TEST

START_TEST(test_i8042_output_buffer_one_byte)
{
    Fixture f;
    setup(&f);
    set_cmd_byte(&f, 0x07);
    cmd(&f, 0xd2);
    data(&f, 0x12);                                     /* as if from the keyboard */
    cmd(&f, 0xd3);
    data(&f, 0x34);                                     /* as if from the mouse */
    ck_assert_int_eq(f.irq1.level, 1);
    ck_assert_int_eq(f.irq12.level, 0);
    ck_assert_uint_eq(take(&f, false), 0x12);
    ck_assert_int_eq(f.irq12.level, 1);
    ck_assert_uint_eq(take(&f, true), 0x34);
    ck_assert_uint_eq(status(&f) & 0x21, 0);
    /* Reading with nothing new returns the last byte again. */
    ck_assert_uint_eq(bus_io_read(f.bus, 0x60, 1), 0x34);
    /* Keyboard and mouse bytes take turns through the one buffer. */
    cmd(&f, 0xd4);
    data(&f, 0xf4);
    i8042_kbd_put_scancode(f.kbc, 0x1c);
    ck_assert_uint_eq(take(&f, true), 0xfa);
    ck_assert_uint_eq(take(&f, false), 0x1c);
    ck_assert_int_eq(f.irq1.rises, 2);
    teardown(&f);
}
END_TEST

TEST_SUITE(i8042)
{
    Suite *s = suite_create("i8042");
    TCase *tc = tcase_create("kbc");
    tcase_add_test(tc, test_i8042_self_test_and_command_byte);
    tcase_add_test(tc, test_i8042_output_port_a20_and_reset);
    tcase_add_test(tc, test_i8042_translation);
    tcase_add_test(tc, test_i8042_keyboard_commands);
    tcase_add_test(tc, test_i8042_keyboard_id_translated);
    tcase_add_test(tc, test_i8042_keyboard_set1);
    tcase_add_test(tc, test_i8042_interface_disable);
    tcase_add_test(tc, test_i8042_mouse_packets);
    tcase_add_test(tc, test_i8042_intellimouse_detection);
    tcase_add_test(tc, test_i8042_mouse_status_and_modes);
    tcase_add_test(tc, test_i8042_output_buffer_one_byte);
    suite_add_tcase(s, tc);
    return s;
}
