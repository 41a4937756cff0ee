/* test_keymap.c — HID usage to PS/2 set 2, against the set-2 column of
 * Microsoft's "Keyboard Scan Code Specification" rev. 1.3a, appendix C
 * (HID usages from USB HID Usage Tables 1.12, section 10), and the US
 * layout used to replay typed text. */
#include <string.h>
#include "unit/testlib.h"
#include "ui/keymap.h"

typedef struct KeyRow {
    unsigned usage;
    const char *name;
    uint8_t make[4];
    int len;
} KeyRow;

/* The spec's rows, one code byte or E0 plus one byte. */
static const KeyRow rows[] = {
    { 0x04, "A", { 0x1c }, 1 }, { 0x05, "B", { 0x32 }, 1 }, { 0x10, "M", { 0x3a }, 1 },
    { 0x14, "Q", { 0x15 }, 1 }, { 0x1d, "Z", { 0x1a }, 1 }, { 0x1e, "1", { 0x16 }, 1 },
    { 0x27, "0", { 0x45 }, 1 }, { 0x28, "Enter", { 0x5a }, 1 }, { 0x29, "Esc", { 0x76 }, 1 },
    { 0x2a, "Backspace", { 0x66 }, 1 }, { 0x2b, "Tab", { 0x0d }, 1 },
    { 0x2c, "Space", { 0x29 }, 1 }, { 0x31, "\\", { 0x5d }, 1 }, { 0x35, "`", { 0x0e }, 1 },
    { 0x39, "CapsLock", { 0x58 }, 1 }, { 0x3a, "F1", { 0x05 }, 1 },
    { 0x40, "F7", { 0x83 }, 1 }, { 0x45, "F12", { 0x07 }, 1 },
    { 0x47, "ScrollLock", { 0x7e }, 1 }, { 0x53, "NumLock", { 0x77 }, 1 },
    { 0x55, "KP*", { 0x7c }, 1 }, { 0x59, "KP1", { 0x69 }, 1 }, { 0x62, "KP0", { 0x70 }, 1 },
    { 0x63, "KP.", { 0x71 }, 1 }, { 0x64, "Europe 2 (<>)", { 0x61 }, 1 },
    { 0x32, "Europe 1 (#)", { 0x5d }, 1 },
    { 0xe0, "LCtrl", { 0x14 }, 1 }, { 0xe1, "LShift", { 0x12 }, 1 },
    { 0xe2, "LAlt", { 0x11 }, 1 }, { 0xe5, "RShift", { 0x59 }, 1 },
    { 0x49, "Insert", { 0xe0, 0x70 }, 2 }, { 0x4a, "Home", { 0xe0, 0x6c }, 2 },
    { 0x4b, "PageUp", { 0xe0, 0x7d }, 2 }, { 0x4c, "Delete", { 0xe0, 0x71 }, 2 },
    { 0x4d, "End", { 0xe0, 0x69 }, 2 }, { 0x4e, "PageDown", { 0xe0, 0x7a }, 2 },
    { 0x4f, "Right", { 0xe0, 0x74 }, 2 }, { 0x50, "Left", { 0xe0, 0x6b }, 2 },
    { 0x51, "Down", { 0xe0, 0x72 }, 2 }, { 0x52, "Up", { 0xe0, 0x75 }, 2 },
    { 0x54, "KP/", { 0xe0, 0x4a }, 2 }, { 0x58, "KPEnter", { 0xe0, 0x5a }, 2 },
    { 0xe3, "LGUI", { 0xe0, 0x1f }, 2 }, { 0xe4, "RCtrl", { 0xe0, 0x14 }, 2 },
    { 0xe6, "RAlt", { 0xe0, 0x11 }, 2 }, { 0xe7, "RGUI", { 0xe0, 0x27 }, 2 },
    { 0x65, "Application", { 0xe0, 0x2f }, 2 },
};

START_TEST(test_keymap_make_codes)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        uint8_t seq[KEYMAP_MAX_SEQ];
        int n = keymap_set2(rows[i].usage, true, seq);
        ck_assert_msg(n == rows[i].len && !memcmp(seq, rows[i].make, n),
                      "%s (usage %#x): make wrong", rows[i].name, rows[i].usage);
    }
}
END_TEST

/* A break is F0 before the code byte, after the E0 prefix (spec, 3.1). */
START_TEST(test_keymap_break_codes)
{
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        const KeyRow *r = &rows[i];
        uint8_t seq[KEYMAP_MAX_SEQ], want[4];
        int n = keymap_set2(r->usage, false, seq), k = 0;

        if (r->len == 2)
            want[k++] = 0xe0;
        want[k++] = 0xf0;
        want[k++] = r->make[r->len - 1];
        ck_assert_msg(n == k && !memcmp(seq, want, k), "%s: break wrong", r->name);
    }
}
END_TEST

START_TEST(test_keymap_pause_and_printscreen)
{
    static const uint8_t pause[] = { 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77 };
    static const uint8_t prt_make[] = { 0xe0, 0x12, 0xe0, 0x7c };
    static const uint8_t prt_break[] = { 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12 };
    uint8_t seq[KEYMAP_MAX_SEQ];

    ck_assert_int_eq(keymap_set2(0x48, true, seq), 8);
    ck_assert_mem_eq(seq, pause, 8);
    ck_assert_int_eq(keymap_set2(0x48, false, seq), 0);     /* Pause has no break */
    ck_assert_int_eq(keymap_set2(0x46, true, seq), 4);
    ck_assert_mem_eq(seq, prt_make, 4);
    ck_assert_int_eq(keymap_set2(0x46, false, seq), 6);
    ck_assert_mem_eq(seq, prt_break, 6);
}
END_TEST

START_TEST(test_keymap_unmapped_usages)
{
    uint8_t seq[KEYMAP_MAX_SEQ];

    ck_assert_int_eq(keymap_set2(0x00, true, seq), 0);      /* Reserved */
    ck_assert_int_eq(keymap_set2(0x01, true, seq), 0);      /* ErrorRollOver */
    ck_assert_int_eq(keymap_set2(0xe8, true, seq), 0);
    ck_assert_int_eq(keymap_set2(1000, false, seq), 0);
}
END_TEST

/* Every key of a PC105 layout has a make and a break: the usages 0x04-0x65
 * (letters to Application, both Europe keys, the ANSI backslash too) and
 * the eight modifiers 0xe0-0xe7. */
START_TEST(test_keymap_pc105_complete)
{
    uint8_t seq[KEYMAP_MAX_SEQ];

    for (unsigned u = 0x04; u <= 0x65; u++) {
        if (u == 0x48)
            continue;                                       /* Pause: make only */
        ck_assert_msg(keymap_set2(u, true, seq) > 0, "usage %#x has no make", u);
        ck_assert_msg(keymap_set2(u, false, seq) > 0, "usage %#x has no break", u);
    }
    for (unsigned u = 0xe0; u <= 0xe7; u++) {
        ck_assert_int_gt(keymap_set2(u, true, seq), 0);
        ck_assert_int_gt(keymap_set2(u, false, seq), 0);
    }
}
END_TEST

START_TEST(test_keymap_ascii_us_layout)
{
    bool shift;

    ck_assert_uint_eq(keymap_ascii('a', &shift), 0x04);
    ck_assert(!shift);
    ck_assert_uint_eq(keymap_ascii('Z', &shift), 0x1d);
    ck_assert(shift);
    ck_assert_uint_eq(keymap_ascii('0', &shift), 0x27);
    ck_assert(!shift);
    ck_assert_uint_eq(keymap_ascii('!', &shift), 0x1e);     /* Shift+1 */
    ck_assert(shift);
    ck_assert_uint_eq(keymap_ascii(')', &shift), 0x27);     /* Shift+0 */
    ck_assert(shift);
    ck_assert_uint_eq(keymap_ascii(',', &shift), 0x36);
    ck_assert(!shift);
    ck_assert_uint_eq(keymap_ascii('?', &shift), 0x38);     /* Shift+/ */
    ck_assert(shift);
    ck_assert_uint_eq(keymap_ascii('~', &shift), 0x35);     /* Shift+` */
    ck_assert(shift);
    ck_assert_uint_eq(keymap_ascii('\n', &shift), 0x28);
    ck_assert_uint_eq(keymap_ascii(' ', &shift), 0x2c);
    ck_assert_uint_eq(keymap_ascii('\x7f', &shift), 0);
    ck_assert(!shift);
}
END_TEST

TEST_SUITE(keymap)
{
    Suite *s = suite_create("keymap");
    TCase *tc = tcase_create("keymap");
    tcase_add_test(tc, test_keymap_make_codes);
    tcase_add_test(tc, test_keymap_break_codes);
    tcase_add_test(tc, test_keymap_pause_and_printscreen);
    tcase_add_test(tc, test_keymap_unmapped_usages);
    tcase_add_test(tc, test_keymap_pc105_complete);
    tcase_add_test(tc, test_keymap_ascii_us_layout);
    suite_add_tcase(s, tc);
    return s;
}
