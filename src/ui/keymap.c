/* keymap.c — USB HID usage to PS/2 set 2 (see keymap.h).
 *
 * One row per key, indexed by HID usage: the set-2 code byte, E0 when the
 * key sends the E0 prefix, or one of the two special sequences. A break is
 * the make with F0 before the code byte (after E0 when there is one).
 */
#include <string.h>
#include "ui/keymap.h"

#define E0 0x100                /* E0-prefixed key */
#define PAUSE 0x200             /* E1 14 77 E1 F0 14 F0 77, no break */
#define PRTSC 0x400             /* E0 12 E0 7C / E0 F0 7C E0 F0 12 */

/* Microsoft Keyboard Scan Code Specification, appendix C (set 2 column). */
static const uint16_t hid_to_set2[HID_USAGE_LIMIT] = {
    [0x04] = 0x1c, [0x05] = 0x32, [0x06] = 0x21, [0x07] = 0x23,     /* A B C D */
    [0x08] = 0x24, [0x09] = 0x2b, [0x0a] = 0x34, [0x0b] = 0x33,     /* E F G H */
    [0x0c] = 0x43, [0x0d] = 0x3b, [0x0e] = 0x42, [0x0f] = 0x4b,     /* I J K L */
    [0x10] = 0x3a, [0x11] = 0x31, [0x12] = 0x44, [0x13] = 0x4d,     /* M N O P */
    [0x14] = 0x15, [0x15] = 0x2d, [0x16] = 0x1b, [0x17] = 0x2c,     /* Q R S T */
    [0x18] = 0x3c, [0x19] = 0x2a, [0x1a] = 0x1d, [0x1b] = 0x22,     /* U V W X */
    [0x1c] = 0x35, [0x1d] = 0x1a,                                   /* Y Z */
    [0x1e] = 0x16, [0x1f] = 0x1e, [0x20] = 0x26, [0x21] = 0x25,     /* 1 2 3 4 */
    [0x22] = 0x2e, [0x23] = 0x36, [0x24] = 0x3d, [0x25] = 0x3e,     /* 5 6 7 8 */
    [0x26] = 0x46, [0x27] = 0x45,                                   /* 9 0 */
    [0x28] = 0x5a, [0x29] = 0x76, [0x2a] = 0x66, [0x2b] = 0x0d,     /* Enter Esc BS Tab */
    [0x2c] = 0x29, [0x2d] = 0x4e, [0x2e] = 0x55, [0x2f] = 0x54,     /* Space - = [ */
    [0x30] = 0x5b, [0x31] = 0x5d, [0x32] = 0x5d, [0x33] = 0x4c,     /* ] \ Europe1(#) ; */
    [0x34] = 0x52, [0x35] = 0x0e, [0x36] = 0x41, [0x37] = 0x49,     /* ' ` , . */
    [0x38] = 0x4a, [0x39] = 0x58,                                   /* / CapsLock */
    [0x3a] = 0x05, [0x3b] = 0x06, [0x3c] = 0x04, [0x3d] = 0x0c,     /* F1-F4 */
    [0x3e] = 0x03, [0x3f] = 0x0b, [0x40] = 0x83, [0x41] = 0x0a,     /* F5-F8 */
    [0x42] = 0x01, [0x43] = 0x09, [0x44] = 0x78, [0x45] = 0x07,     /* F9-F12 */
    [0x46] = PRTSC, [0x47] = 0x7e, [0x48] = PAUSE,                  /* PrtSc ScrLk Pause */
    [0x49] = E0 | 0x70, [0x4a] = E0 | 0x6c, [0x4b] = E0 | 0x7d,     /* Ins Home PgUp */
    [0x4c] = E0 | 0x71, [0x4d] = E0 | 0x69, [0x4e] = E0 | 0x7a,     /* Del End PgDn */
    [0x4f] = E0 | 0x74, [0x50] = E0 | 0x6b, [0x51] = E0 | 0x72,     /* Right Left Down */
    [0x52] = E0 | 0x75,                                             /* Up */
    [0x53] = 0x77, [0x54] = E0 | 0x4a, [0x55] = 0x7c, [0x56] = 0x7b, /* NumLk KP/ KP* KP- */
    [0x57] = 0x79, [0x58] = E0 | 0x5a,                              /* KP+ KPEnter */
    [0x59] = 0x69, [0x5a] = 0x72, [0x5b] = 0x7a, [0x5c] = 0x6b,     /* KP1-KP4 */
    [0x5d] = 0x73, [0x5e] = 0x74, [0x5f] = 0x6c, [0x60] = 0x75,     /* KP5-KP8 */
    [0x61] = 0x7d, [0x62] = 0x70, [0x63] = 0x71,                    /* KP9 KP0 KP. */
    [0x64] = 0x61, [0x65] = E0 | 0x2f, [0x66] = E0 | 0x37,          /* Europe2(<>) App Power */
    [0x67] = 0x0f,                                                  /* KP= */
    [0x68] = 0x08, [0x69] = 0x10, [0x6a] = 0x18, [0x6b] = 0x20,     /* F13-F16 */
    [0x6c] = 0x28, [0x6d] = 0x30, [0x6e] = 0x38, [0x6f] = 0x40,     /* F17-F20 */
    [0x70] = 0x48, [0x71] = 0x50, [0x72] = 0x57, [0x73] = 0x5f,     /* F21-F24 */
    [0x7f] = E0 | 0x23, [0x80] = E0 | 0x32, [0x81] = E0 | 0x21,     /* Mute Vol+ Vol- */
    [0x85] = 0x6d,                                                  /* KP, (Brazil) */
    [0x87] = 0x51, [0x88] = 0x13, [0x89] = 0x6a,                    /* Ro Kana Yen */
    [0x8a] = 0x64, [0x8b] = 0x67,                                   /* Henkan Muhenkan */
    [0xe0] = 0x14, [0xe1] = 0x12, [0xe2] = 0x11, [0xe3] = E0 | 0x1f, /* LCtrl LShift LAlt LGUI */
    [0xe4] = E0 | 0x14, [0xe5] = 0x59, [0xe6] = E0 | 0x11,          /* RCtrl RShift RAlt */
    [0xe7] = E0 | 0x27,                                             /* RGUI */
};

static const uint8_t pause_make[] = { 0xe1, 0x14, 0x77, 0xe1, 0xf0, 0x14, 0xf0, 0x77 };
static const uint8_t prtsc_make[] = { 0xe0, 0x12, 0xe0, 0x7c };
static const uint8_t prtsc_break[] = { 0xe0, 0xf0, 0x7c, 0xe0, 0xf0, 0x12 };

static int copy_seq(uint8_t *out, const uint8_t *seq, int len)
{
    memcpy(out, seq, len);
    return len;
}

int keymap_set2(unsigned hid_usage, bool press, uint8_t out[KEYMAP_MAX_SEQ])
{
    uint16_t k = hid_usage < HID_USAGE_LIMIT ? hid_to_set2[hid_usage] : 0;
    int n = 0;

    if (k == PAUSE)
        return press ? copy_seq(out, pause_make, sizeof(pause_make)) : 0;
    if (k == PRTSC)
        return press ? copy_seq(out, prtsc_make, sizeof(prtsc_make))
                     : copy_seq(out, prtsc_break, sizeof(prtsc_break));
    if (!k)
        return 0;
    if (k & E0)
        out[n++] = 0xe0;
    if (!press)
        out[n++] = 0xf0;
    out[n++] = (uint8_t)k;
    return n;
}

/* -- ASCII on a US layout -- */

static const char punct[] = "-=[]\\;'`,./";
static const char punct_shifted[] = "_+{}|:\"~<>?";
static const uint8_t punct_usage[] = { 0x2d, 0x2e, 0x2f, 0x30, 0x31, 0x33, 0x34, 0x35,
                                       0x36, 0x37, 0x38 };
static const char digits_shifted[] = ")!@#$%^&*(";     /* on 0 1 2 ... 9 */

static unsigned digit_usage(int d)
{
    return d == 0 ? 0x27 : 0x1e + (unsigned)(d - 1);
}

unsigned keymap_ascii(char c, bool *shift)
{
    const char *p;

    *shift = false;
    if (c >= 'a' && c <= 'z')
        return HID_A + (unsigned)(c - 'a');
    if (c >= '0' && c <= '9')
        return digit_usage(c - '0');
    switch (c) {
    case '\n': return HID_ENTER;
    case 0x1b: return 0x29;
    case '\b': return 0x2a;
    case '\t': return 0x2b;
    case ' ': return HID_SPACE;
    case 0: return 0;
    }
    if ((p = strchr(punct, c)))
        return punct_usage[p - punct];
    *shift = true;
    if (c >= 'A' && c <= 'Z')
        return HID_A + (unsigned)(c - 'A');
    if ((p = strchr(digits_shifted, c)))
        return digit_usage((int)(p - digits_shifted));
    if ((p = strchr(punct_shifted, c)))
        return punct_usage[p - punct_shifted];
    *shift = false;
    return 0;
}
