/* i8042.c — 8042 keyboard controller, PS/2 keyboard and PS/2 mouse.
 *
 * Three byte sources feed the controller's one-byte output buffer: its own
 * replies (command results, 0xd2/0xd3 echoes), the keyboard's queue and the
 * mouse's queue, in that priority. kbc_refill() moves the next byte in
 * whenever the buffer is empty and the source's interface is enabled
 * (command byte bits 4 and 5 hold the clock line low when set). Keyboard
 * bytes pass the set 2 -> set 1 translator when command byte bit 6 is set.
 * Guest writes are processed at once, so the input buffer is never full.
 *
 * Sources: IBM PS/2 Hardware Interface Technical Reference ("Keyboard and
 * Auxiliary Device Controller", "Keyboard", "Pointing Device"), Microsoft
 * IntelliMouse detection (sample rates 200, 100, 80 -> ID 3; then 200,
 * 200, 80 -> ID 4).
 *
 * Not modelled: typematic repeat (the host's key repeat arrives as makes),
 * scan code set 3 (acknowledged and logged; keys stay in set 2), mouse
 * resolution scaling (counts are passed as they come), parity and timeout
 * errors (the devices always answer).
 */
#include <stdlib.h>
#include <string.h>
#include "hw/i8042.h"
#include "base/log.h"

enum {
    STAT_OBF = 0x01, STAT_SYS = 0x04, STAT_CMD = 0x08, STAT_UNLOCKED = 0x10,
    STAT_AUX = 0x20,
};
enum {
    CB_KBD_INT = 0x01, CB_AUX_INT = 0x02, CB_SYS = 0x04, CB_KBD_OFF = 0x10,
    CB_AUX_OFF = 0x20, CB_XLATE = 0x40,
};
enum { OUT_RESET = 0x01, OUT_A20 = 0x02, OUT_IRQ1 = 0x10, OUT_IRQ12 = 0x20 };
enum { ACK = 0xfa, RESEND = 0xfe, BAT_OK = 0xaa };

#define KBD_QUEUE 16        /* a PS/2 keyboard buffers 16 bytes */
#define AUX_QUEUE 64
#define CTRL_QUEUE 8

typedef struct ByteQueue {
    uint16_t data[AUX_QUEUE];   /* controller queue: bit 8 = from AUX */
    int head, count, size;
} ByteQueue;

typedef struct Ps2Kbd {
    ByteQueue q;
    uint8_t last;           /* for 0xfe resend */
    uint8_t param_for;      /* command waiting for its parameter, or 0 */
    uint8_t set;            /* scan code set 1-3 */
    bool scanning;
    bool set1_break;        /* set-1 conversion saw 0xf0 */
    uint8_t leds, typematic;
} Ps2Kbd;

typedef struct Ps2Mouse {
    ByteQueue q;
    uint8_t last;
    uint8_t param_for;
    bool reporting, remote, wrap, scale21;
    uint8_t resolution, rate, id;
    uint8_t rates[3];       /* last three sample rates, oldest first */
    int dx, dy, dz;         /* motion not yet reported; dy PS/2 "up" */
    unsigned buttons, sent_buttons;
} Ps2Mouse;

struct I8042 {
    Ps2Kbd kbd;
    Ps2Mouse mouse;
    ByteQueue ctrl;
    uint8_t ram[32];        /* ram[0] is the command byte */
    uint8_t status;         /* STAT_SYS and STAT_CMD; the rest is computed */
    uint8_t outport;
    uint8_t obuf;
    bool obf, obuf_aux;
    uint8_t param_for;      /* controller command waiting for data, or 0 */
    bool xlat_break;        /* the translator saw 0xf0 */
    IrqLine irq1, irq12;
    bool irq1_level, irq12_level;
    I8042Hooks hooks;
    Bus *bus;
    IoRange *io_data, *io_cmd;
};

/* 8042 scan code translation, set 2 -> set 1, for codes 0x00-0x7f; above,
 * codes pass unchanged except 0x83 (F7) -> 0x41 and 0x84 (SysRq) -> 0x54. */
static const uint8_t xlat_table[128] = {
    /* 0x00 */ 0xff, 0x43, 0x41, 0x3f, 0x3d, 0x3b, 0x3c, 0x58,
    /* 0x08 */ 0x64, 0x44, 0x42, 0x40, 0x3e, 0x0f, 0x29, 0x59,
    /* 0x10 */ 0x65, 0x38, 0x2a, 0x70, 0x1d, 0x10, 0x02, 0x5a,
    /* 0x18 */ 0x66, 0x71, 0x2c, 0x1f, 0x1e, 0x11, 0x03, 0x5b,
    /* 0x20 */ 0x67, 0x2e, 0x2d, 0x20, 0x12, 0x05, 0x04, 0x5c,
    /* 0x28 */ 0x68, 0x39, 0x2f, 0x21, 0x14, 0x13, 0x06, 0x5d,
    /* 0x30 */ 0x69, 0x31, 0x30, 0x23, 0x22, 0x15, 0x07, 0x5e,
    /* 0x38 */ 0x6a, 0x72, 0x32, 0x24, 0x16, 0x08, 0x09, 0x5f,
    /* 0x40 */ 0x6b, 0x33, 0x25, 0x17, 0x18, 0x0b, 0x0a, 0x60,
    /* 0x48 */ 0x6c, 0x34, 0x35, 0x26, 0x27, 0x19, 0x0c, 0x61,
    /* 0x50 */ 0x6d, 0x73, 0x28, 0x74, 0x1a, 0x0d, 0x62, 0x6e,
    /* 0x58 */ 0x3a, 0x36, 0x1c, 0x1b, 0x75, 0x2b, 0x63, 0x76,
    /* 0x60 */ 0x55, 0x56, 0x77, 0x78, 0x79, 0x7a, 0x0e, 0x7b,
    /* 0x68 */ 0x7c, 0x4f, 0x7d, 0x4b, 0x47, 0x7e, 0x7f, 0x6f,
    /* 0x70 */ 0x52, 0x53, 0x50, 0x4c, 0x4d, 0x48, 0x01, 0x45,
    /* 0x78 */ 0x57, 0x4e, 0x51, 0x4a, 0x37, 0x49, 0x46, 0x54,
};

static uint8_t xlat_code(uint8_t code)
{
    if (code < 0x80)
        return xlat_table[code];
    if (code == 0x83)
        return 0x41;
    return code == 0x84 ? 0x54 : code;
}

/* -- Byte queues -- */

static void q_init(ByteQueue *q, int size)
{
    q->head = q->count = 0;
    q->size = size;
}

static bool q_push(ByteQueue *q, uint16_t v)
{
    if (q->count == q->size)
        return false;
    q->data[(q->head + q->count++) % q->size] = v;
    return true;
}

static uint16_t q_pop(ByteQueue *q)
{
    uint16_t v = q->data[q->head];
    q->head = (q->head + 1) % q->size;
    q->count--;
    return v;
}

static int q_free(const ByteQueue *q)
{
    return q->size - q->count;
}

/* -- Output buffer and interrupts -- */

static void set_line(IrqLine line, bool *cur, bool level)
{
    if (level != *cur) {
        *cur = level;
        irq_set(line, level);
    }
}

static void kbc_update_irqs(I8042 *k)
{
    uint8_t cb = k->ram[0];
    set_line(k->irq1, &k->irq1_level, k->obf && !k->obuf_aux && (cb & CB_KBD_INT));
    set_line(k->irq12, &k->irq12_level, k->obf && k->obuf_aux && (cb & CB_AUX_INT));
}

static void mouse_flush(I8042 *k);

/* Translator: false when the byte was swallowed (a break prefix). */
static bool kbc_translate(I8042 *k, uint8_t *v)
{
    if (*v == 0xf0) {
        k->xlat_break = true;
        return false;
    }
    *v = xlat_code(*v) | (k->xlat_break ? 0x80 : 0);
    k->xlat_break = false;
    return true;
}

static void kbc_refill(I8042 *k)
{
    uint8_t cb = k->ram[0], v;

    while (!k->obf) {
        if (k->ctrl.count) {
            uint16_t e = q_pop(&k->ctrl);
            k->obuf = e & 0xff;
            k->obuf_aux = e >> 8;
        } else if (k->kbd.q.count && !(cb & CB_KBD_OFF)) {
            v = q_pop(&k->kbd.q);
            if ((cb & CB_XLATE) && !kbc_translate(k, &v))
                continue;
            k->obuf = v;
            k->obuf_aux = false;
        } else if (k->mouse.q.count && !(cb & CB_AUX_OFF)) {
            k->obuf = q_pop(&k->mouse.q);
            k->obuf_aux = true;
            mouse_flush(k);
        } else {
            break;
        }
        k->obf = true;
    }
    kbc_update_irqs(k);
}

static void ctrl_reply(I8042 *k, uint8_t v, bool aux)
{
    if (!q_push(&k->ctrl, v | (aux ? 0x100 : 0)))
        log_guest_error_once("i8042: controller replies not read");
}

/* -- PS/2 keyboard -- */

static void kbd_send(I8042 *k, uint8_t v)
{
    Ps2Kbd *kb = &k->kbd;
    if (!q_push(&kb->q, v)) {
        /* Buffer overrun: the last byte becomes the overrun code. */
        kb->q.data[(kb->q.head + kb->q.count - 1) % kb->q.size] = kb->set == 1 ? 0xff : 0x00;
        return;
    }
    kb->last = v;
}

static void kbd_defaults(Ps2Kbd *kb)
{
    kb->set = 2;
    kb->typematic = 0x2b;           /* 10.9 characters/s after 500 ms */
    kb->leds = 0;
    kb->param_for = 0;
    kb->set1_break = false;
}

static void kbd_param(I8042 *k, uint8_t cmd, uint8_t v)
{
    Ps2Kbd *kb = &k->kbd;
    switch (cmd) {
    case 0xed:
        kb->leds = v & 7;
        kbd_send(k, ACK);
        break;
    case 0xf3:
        kb->typematic = v & 0x7f;
        kbd_send(k, ACK);
        break;
    case 0xf0:
        if (v > 3) {
            kbd_send(k, RESEND);
            break;
        }
        kbd_send(k, ACK);
        if (v == 0) {
            kbd_send(k, kb->set);
            break;
        }
        kb->set = v;
        if (v == 3)
            log_unimp("ps2kbd: scan code set 3 (keys stay in set 2)");
        break;
    }
}

static void kbd_command(I8042 *k, uint8_t v)
{
    Ps2Kbd *kb = &k->kbd;
    switch (v) {
    case 0xed: case 0xf0: case 0xf3:
        kbd_send(k, ACK);
        kb->param_for = v;
        break;
    case 0xee:
        kbd_send(k, 0xee);                          /* echo */
        break;
    case 0xf2:
        kbd_send(k, ACK);
        kbd_send(k, 0xab);                          /* MF2 keyboard ID */
        kbd_send(k, 0x83);
        break;
    case 0xf4:
        q_init(&kb->q, KBD_QUEUE);
        kbd_send(k, ACK);
        kb->scanning = true;
        break;
    case 0xf5: case 0xf6:
        q_init(&kb->q, KBD_QUEUE);
        kbd_defaults(kb);
        kbd_send(k, ACK);
        if (v == 0xf5)
            kb->scanning = false;
        break;
    case 0xf7: case 0xf8: case 0xf9: case 0xfa: case 0xfb: case 0xfc: case 0xfd:
        log_unimp("ps2kbd: set 3 key type command 0x%02x", v);
        kbd_send(k, ACK);
        break;
    case 0xfe:
        kbd_send(k, kb->last);
        break;
    case 0xff:
        q_init(&kb->q, KBD_QUEUE);
        kbd_defaults(kb);
        kb->scanning = true;
        kbd_send(k, ACK);
        kbd_send(k, BAT_OK);
        break;
    default:
        kbd_send(k, RESEND);                        /* invalid command */
        break;
    }
}

static void kbd_write(I8042 *k, uint8_t v)
{
    uint8_t cmd = k->kbd.param_for;
    k->kbd.param_for = 0;
    /* A command byte where a parameter was expected starts that command. */
    if (cmd && !(v & 0x80))
        kbd_param(k, cmd, v);
    else
        kbd_command(k, v);
}

void i8042_kbd_put_scancode(I8042 *k, uint8_t v)
{
    Ps2Kbd *kb = &k->kbd;
    if (!kb->scanning)
        return;
    if (kb->set == 1) {
        /* The keyboard itself sends set 1: same mapping as the 8042's. */
        if (v == 0xf0) {
            kb->set1_break = true;
            return;
        }
        v = xlat_code(v) | (kb->set1_break ? 0x80 : 0);
        kb->set1_break = false;
    }
    kbd_send(k, v);
    kbc_refill(k);
}

/* -- PS/2 mouse -- */

static void mouse_send(I8042 *k, uint8_t v)
{
    if (q_push(&k->mouse.q, v))
        k->mouse.last = v;
}

static void mouse_defaults(Ps2Mouse *m)
{
    m->reporting = m->remote = m->wrap = m->scale21 = false;
    m->resolution = 2;              /* 4 counts/mm */
    m->rate = 100;
    m->param_for = 0;
}

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* 2:1 scaling of stream reports (PS/2 "Scaling"). */
static int scale21(int v)
{
    static const int small[6] = { 0, 1, 1, 3, 6, 9 };
    int a = abs(v);
    a = a < 6 ? small[a] : 2 * a;
    return v < 0 ? -a : a;
}

/* Queue one packet from the accumulated motion. */
static void mouse_packet(I8042 *k, bool scaled)
{
    Ps2Mouse *m = &k->mouse;
    int dx = clamp(m->dx, -256, 255), dy = clamp(m->dy, -256, 255), dz = clamp(m->dz, -8, 7);
    uint8_t b0 = 0x08 | (m->buttons & 1) | (m->buttons & 2) | (m->buttons & 4);

    m->dx -= dx;
    m->dy -= dy;
    m->dz -= dz;
    if (scaled) {
        dx = scale21(dx);
        dy = scale21(dy);
    }
    if (dx < -256 || dx > 255)
        b0 |= 0x40;
    if (dy < -256 || dy > 255)
        b0 |= 0x80;
    dx = clamp(dx, -256, 255);
    dy = clamp(dy, -256, 255);
    b0 |= (dx < 0 ? 0x10 : 0) | (dy < 0 ? 0x20 : 0);
    mouse_send(k, b0);
    mouse_send(k, dx & 0xff);
    mouse_send(k, dy & 0xff);
    if (m->id == 3)
        mouse_send(k, dz & 0xff);
    else if (m->id == 4)
        mouse_send(k, (dz & 0x0f) | (m->buttons & 0x18) << 1);
    m->sent_buttons = m->buttons;
}

/* Stream mode: report pending motion while the queue has room. */
static void mouse_flush(I8042 *k)
{
    Ps2Mouse *m = &k->mouse;
    int len = m->id ? 4 : 3;

    if (!m->reporting || m->remote || m->wrap)
        return;
    while (q_free(&m->q) >= len &&
           (m->dx || m->dy || m->dz || m->buttons != m->sent_buttons))
        mouse_packet(k, m->scale21);
}

static void mouse_sample_rate(Ps2Mouse *m, uint8_t rate)
{
    m->rate = rate;
    m->rates[0] = m->rates[1];
    m->rates[1] = m->rates[2];
    m->rates[2] = rate;
    if (m->id == 0 && m->rates[0] == 200 && m->rates[1] == 100 && rate == 80)
        m->id = 3;                  /* IntelliMouse: wheel */
    else if (m->id == 3 && m->rates[0] == 200 && m->rates[1] == 200 && rate == 80)
        m->id = 4;                  /* IntelliMouse Explorer: wheel, 5 buttons */
}

static void mouse_status(I8042 *k)
{
    Ps2Mouse *m = &k->mouse;
    uint8_t b = (m->remote ? 0x40 : 0) | (m->reporting ? 0x20 : 0) | (m->scale21 ? 0x10 : 0);
    /* Status byte 1: bit 2 left, bit 1 middle, bit 0 right. */
    b |= (m->buttons & 1) << 2 | (m->buttons & 4) >> 1 | (m->buttons & 2) >> 1;
    mouse_send(k, b);
    mouse_send(k, m->resolution);
    mouse_send(k, m->rate);
}

static void mouse_command(I8042 *k, uint8_t v)
{
    Ps2Mouse *m = &k->mouse;

    q_init(&m->q, AUX_QUEUE);       /* a command discards queued reports */
    switch (v) {
    case 0xe6: m->scale21 = false; mouse_send(k, ACK); break;
    case 0xe7: m->scale21 = true; mouse_send(k, ACK); break;
    case 0xe8: case 0xf3: m->param_for = v; mouse_send(k, ACK); break;
    case 0xe9: mouse_send(k, ACK); mouse_status(k); break;
    case 0xea: m->remote = false; mouse_send(k, ACK); break;
    case 0xeb: mouse_send(k, ACK); mouse_packet(k, false); break;
    case 0xec: m->wrap = false; mouse_send(k, ACK); break;
    case 0xee: m->wrap = true; mouse_send(k, ACK); break;
    case 0xf0: m->remote = true; mouse_send(k, ACK); break;
    case 0xf2: mouse_send(k, ACK); mouse_send(k, m->id); break;
    case 0xf4: m->reporting = true; mouse_send(k, ACK); break;
    case 0xf5: m->reporting = false; mouse_send(k, ACK); break;
    case 0xf6: mouse_defaults(m); mouse_send(k, ACK); break;
    case 0xfe: mouse_send(k, m->last); break;
    case 0xff:
        mouse_defaults(m);
        m->id = 0;
        m->dx = m->dy = m->dz = 0;
        mouse_send(k, ACK);
        mouse_send(k, BAT_OK);
        mouse_send(k, 0x00);
        break;
    default:
        mouse_send(k, RESEND);
        break;
    }
}

static void mouse_write(I8042 *k, uint8_t v)
{
    Ps2Mouse *m = &k->mouse;
    uint8_t cmd = m->param_for;

    m->param_for = 0;
    if (m->wrap && v != 0xec && v != 0xff) {
        mouse_send(k, v);           /* wrap mode echoes */
    } else if (cmd == 0xe8 && v <= 3) {
        m->resolution = v;
        mouse_send(k, ACK);
    } else if (cmd == 0xf3) {
        mouse_sample_rate(m, v);
        mouse_send(k, ACK);
    } else if (cmd == 0xe8) {
        mouse_send(k, RESEND);
    } else {
        mouse_command(k, v);
    }
}

void i8042_mouse_event(I8042 *k, int dx, int dy, int dz, unsigned buttons)
{
    Ps2Mouse *m = &k->mouse;
    m->dx = clamp(m->dx + dx, -65536, 65536);
    m->dy = clamp(m->dy - dy, -65536, 65536);
    m->dz = clamp(m->dz + dz, -256, 256);
    m->buttons = buttons & 0x1f;
    mouse_flush(k);
    kbc_refill(k);
}

/* -- Controller -- */

static void write_outport(I8042 *k, uint8_t v)
{
    k->outport = v;
    if (k->hooks.set_a20)
        k->hooks.set_a20(k->hooks.opaque, v & OUT_A20);
    if (!(v & OUT_RESET) && k->hooks.reset)
        k->hooks.reset(k->hooks.opaque);
}

static uint8_t read_outport(const I8042 *k)
{
    uint8_t v = k->outport & ~(OUT_IRQ1 | OUT_IRQ12);
    if (k->obf)
        v |= k->obuf_aux ? OUT_IRQ12 : OUT_IRQ1;
    return v;
}

static void set_a20_only(I8042 *k, bool on)
{
    write_outport(k, (k->outport & ~OUT_A20) | (on ? OUT_A20 : 0) | OUT_RESET);
}

static void kbc_command(I8042 *k, uint8_t c)
{
    uint8_t cb = k->ram[0];

    if ((c & 0xe0) == 0x20) {                   /* read internal RAM */
        ctrl_reply(k, k->ram[c & 0x1f], false);
        return;
    }
    if ((c & 0xe0) == 0x60) {                   /* write internal RAM */
        k->param_for = c;
        return;
    }
    if (c >= 0xf0) {                            /* pulse output port bits 0-3 low */
        if (!(c & 1) && k->hooks.reset)
            k->hooks.reset(k->hooks.opaque);
        return;
    }
    switch (c) {
    case 0xa7: k->ram[0] = cb | CB_AUX_OFF; break;
    case 0xa8: k->ram[0] = cb & ~CB_AUX_OFF; break;
    case 0xa9: ctrl_reply(k, 0x00, false); break;  /* AUX interface test: OK */
    case 0xaa:                                      /* self-test passed */
        k->status |= STAT_SYS;
        ctrl_reply(k, 0x55, false);
        break;
    case 0xab: ctrl_reply(k, 0x00, false); break;  /* keyboard interface test */
    case 0xad: k->ram[0] = cb | CB_KBD_OFF; break;
    case 0xae: k->ram[0] = cb & ~CB_KBD_OFF; break;
    case 0xc0:                                      /* input port */
        ctrl_reply(k, 0xb0, false);                 /* not inhibited, 512K, no jumper */
        break;
    case 0xd0: ctrl_reply(k, read_outport(k), false); break;
    case 0xd1: case 0xd2: case 0xd3: case 0xd4: k->param_for = c; break;
    case 0xdd: set_a20_only(k, false); break;
    case 0xdf: set_a20_only(k, true); break;
    case 0xe0:                                      /* test inputs: clock lines */
        ctrl_reply(k, (cb & CB_KBD_OFF ? 0 : 1) | (cb & CB_AUX_OFF ? 0 : 2), false);
        break;
    default:
        log_unimp("i8042: controller command 0x%02x", c);
        break;
    }
}

static void kbc_data(I8042 *k, uint8_t v)
{
    uint8_t c = k->param_for;
    k->param_for = 0;

    if ((c & 0xe0) == 0x60) {
        k->ram[c & 0x1f] = v;
        if ((c & 0x1f) == 0)
            k->status = (k->status & ~STAT_SYS) | (v & CB_SYS);
        return;
    }
    switch (c) {
    case 0xd1: write_outport(k, v); break;
    case 0xd2: ctrl_reply(k, v, false); break;
    case 0xd3: ctrl_reply(k, v, true); break;
    case 0xd4:
        k->ram[0] &= ~CB_AUX_OFF;   /* sending to the mouse enables its clock */
        mouse_write(k, v);
        break;
    default:
        k->ram[0] &= ~CB_KBD_OFF;   /* sending to the keyboard enables its clock */
        kbd_write(k, v);
        break;
    }
}

static uint64_t status_read(void *opaque, uint64_t offset, unsigned size)
{
    I8042 *k = opaque;
    return k->status | STAT_UNLOCKED | (k->obf ? STAT_OBF : 0) |
           (k->obf && k->obuf_aux ? STAT_AUX : 0);
}

static void command_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    I8042 *k = opaque;
    k->status |= STAT_CMD;
    kbc_command(k, value);
    kbc_refill(k);
}

static uint64_t data_read(void *opaque, uint64_t offset, unsigned size)
{
    I8042 *k = opaque;
    uint8_t v = k->obuf;        /* with OBF clear: the last byte again */
    k->obf = false;
    /* IRQ1/IRQ12 follow OBF (PS/2 TR, "Keyboard and Auxiliary Device
     * Controller"): reading drops the line, so the next byte raises a new
     * edge — the 8259 latches edges, and Linux reads one byte per interrupt. */
    kbc_update_irqs(k);
    kbc_refill(k);
    return v;
}

static void data_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    I8042 *k = opaque;
    k->status &= ~STAT_CMD;
    kbc_data(k, value);
    kbc_refill(k);
}

static const IoOps data_ops = {
    .read = data_read, .write = data_write, .min_size = 1, .max_size = 1,
};
static const IoOps cmd_ops = {
    .read = status_read, .write = command_write, .min_size = 1, .max_size = 1,
};

/* -- Life cycle -- */

void i8042_reset(I8042 *k)
{
    memset(k->ram, 0, sizeof(k->ram));
    q_init(&k->ctrl, CTRL_QUEUE);
    q_init(&k->kbd.q, KBD_QUEUE);
    q_init(&k->mouse.q, AUX_QUEUE);
    k->status = 0;              /* SYS clear until the self-test */
    k->outport = OUT_RESET | OUT_A20;
    k->obf = k->obuf_aux = false;
    k->param_for = 0;
    k->xlat_break = false;
    kbd_defaults(&k->kbd);
    k->kbd.scanning = true;
    mouse_defaults(&k->mouse);
    k->mouse.id = 0;
    k->mouse.dx = k->mouse.dy = k->mouse.dz = 0;
    k->mouse.buttons = k->mouse.sent_buttons = 0;
    kbc_update_irqs(k);
}

I8042 *i8042_new(Bus *bus, IrqLine irq1, IrqLine irq12, const I8042Hooks *hooks)
{
    I8042 *k = calloc(1, sizeof(*k));
    if (!k)
        fatal("out of memory");
    k->irq1 = irq1;
    k->irq12 = irq12;
    if (hooks)
        k->hooks = *hooks;
    k->bus = bus;
    i8042_reset(k);
    k->io_data = bus_map_io(bus, "i8042-data", 0x60, 1, &data_ops, k);
    k->io_cmd = bus_map_io(bus, "i8042-cmd", 0x64, 1, &cmd_ops, k);
    if (!k->io_data || !k->io_cmd)
        fatal("i8042: ports 0x60/0x64 already taken");
    return k;
}

void i8042_free(I8042 *k)
{
    if (!k)
        return;
    bus_unmap_io(k->bus, k->io_data);
    bus_unmap_io(k->bus, k->io_cmd);
    free(k);
}
