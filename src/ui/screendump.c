/* screendump.c — PNG and text dumps of a DisplayDevice (see screendump.h).
 *
 * The CP437 table is the IBM PC character set as Unicode maps it
 * (unicode.org's CP437.TXT), with the C0 range shown as the PC's glyphs
 * (smileys, card suits, arrows) rather than control codes.
 */
#include <string.h>
#include "ui/screendump.h"
#include "ui/png.h"

static const char *const cp437_low[32] = {
    " ", "☺", "☻", "♥", "♦", "♣", "♠", "•", "◘", "○", "◙", "♂", "♀", "♪", "♫", "☼",
    "►", "◄", "↕", "‼", "¶", "§", "▬", "↨", "↑", "↓", "→", "←", "∟", "↔", "▲", "▼",
};

static const char *const cp437_high[128] = {
    "Ç", "ü", "é", "â", "ä", "à", "å", "ç", "ê", "ë", "è", "ï", "î", "ì", "Ä", "Å",
    "É", "æ", "Æ", "ô", "ö", "ò", "û", "ù", "ÿ", "Ö", "Ü", "¢", "£", "¥", "₧", "ƒ",
    "á", "í", "ó", "ú", "ñ", "Ñ", "ª", "º", "¿", "⌐", "¬", "½", "¼", "¡", "«", "»",
    "░", "▒", "▓", "│", "┤", "╡", "╢", "╖", "╕", "╣", "║", "╗", "╝", "╜", "╛", "┐",
    "└", "┴", "┬", "├", "─", "┼", "╞", "╟", "╚", "╔", "╩", "╦", "╠", "═", "╬", "╧",
    "╨", "╤", "╥", "╙", "╘", "╒", "╓", "╫", "╪", "┘", "┌", "█", "▄", "▌", "▐", "▀",
    "α", "ß", "Γ", "π", "Σ", "σ", "µ", "τ", "Φ", "Θ", "Ω", "δ", "∞", "φ", "ε", "∩",
    "≡", "±", "≥", "≤", "⌠", "⌡", "÷", "≈", "°", "∙", "·", "√", "ⁿ", "²", "■", " ",
};

/* Printable ASCII, each a NUL-terminated string, so every code maps alike. */
static const char ascii[96][2] = {
#define A4(c) { c, 0 }, { c + 1, 0 }, { c + 2, 0 }, { c + 3, 0 }
#define A16(c) A4(c), A4(c + 4), A4(c + 8), A4(c + 12)
    A16(0x20), A16(0x30), A16(0x40), A16(0x50), A16(0x60), A16(0x70),
#undef A16
#undef A4
};

const char *cp437_utf8(uint8_t c)
{
    if (c < 0x20)
        return cp437_low[c];
    if (c == 0x7f)
        return "⌂";
    if (c < 0x80)
        return ascii[c - 0x20];
    return cp437_high[c - 0x80];
}

int screendump_png(DisplayDevice *d, const char *path, char *err, size_t errlen)
{
    display_invalidate(d);
    display_update(d, NULL);
    return png_write(path, display_surface(d), err, errlen);
}

int screendump_text(DisplayDevice *d, FILE *out)
{
    DisplayText t;
    if (!display_text(d, &t))
        return -1;
    for (int r = 0; r < t.rows; r++) {
        const uint16_t *row = t.cells + (size_t)r * t.cols;
        int n = t.cols;
        while (n > 0 && ((row[n - 1] & 0xff) == ' ' || (row[n - 1] & 0xff) == 0))
            n--;
        for (int c = 0; c < n; c++)
            fputs(cp437_utf8(row[c] & 0xff), out);
        fputc('\n', out);
    }
    return ferror(out) ? -1 : 0;
}
