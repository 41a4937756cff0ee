/* i8237.c — 8237A DMA controller registers and the AT page registers
 * (see i8237.h).
 *
 * Register map by A3-A0 (8237A datasheet, Tables 2 and 3):
 *   0-7  channel n base/current address (2n) and word count (2n+1), one
 *        byte per access, low byte first, selected by the byte pointer
 *        flip-flop; writes load base and current, reads return current
 *   8    write command, read status (bits 3-0 terminal count, cleared by
 *        the read; bits 7-4 request pending)
 *   9    write request (bits 1-0 channel, bit 2 set/clear)
 *   a    write single mask bit (bits 1-0 channel, bit 2 set/clear)
 *   b    write mode (bits 1-0 channel, bits 7-2 mode of that channel)
 *   c    clear the byte pointer flip-flop
 *   d    write master clear, read the temporary register
 *   e    clear all mask bits
 *   f    write all mask bits; the PIIX also reads them back here
 * Reads of 9-c and e are undefined on the 8237A; they return 0xff.
 *
 * Invariant: no data moves, so terminal-count bits stay 0 and a request
 * stays pending until cleared. To add transfers: give a channel's DREQ to
 * a device, run it when unmasked and the controller is enabled, use the
 * mode bits below, set TC and reload on autoinit.
 */
#include <stdlib.h>
#include "hw/i8237.h"
#include "base/log.h"

enum {
    REG_STATUS = 8, REG_REQUEST = 9, REG_MASK1 = 0xa, REG_MODE = 0xb,
    REG_CLEAR_FF = 0xc, REG_MASTER_CLEAR = 0xd, REG_CLEAR_MASK = 0xe, REG_MASK_ALL = 0xf,
};
enum { CMD_MEM_TO_MEM = 0x01, CMD_DISABLE = 0x04 };
enum { MODE_CASCADE = 0xc0 };

typedef struct DmaChannel {
    uint16_t base_addr, cur_addr;
    uint16_t base_count, cur_count;
    uint8_t mode;               /* bits 7-2 as written */
} DmaChannel;

struct I8237 {
    DmaChannel ch[4];
    uint8_t command;
    uint8_t status;             /* bits 3-0 TC; bits 7-4 requests */
    uint8_t mask;               /* bits 3-0 */
    uint8_t temp;
    bool flip_flop;             /* false: next byte is the low byte */
    unsigned stride;
    const char *name;
    Bus *bus;
    IoRange *io;
};

struct DmaPage {
    uint8_t reg[16];
    uint16_t port;
    Bus *bus;
    IoRange *io;
};

/* -- Controller ------------------------------------------------------------- */

static uint8_t next_byte(I8237 *d, uint16_t v)
{
    uint8_t b = d->flip_flop ? v >> 8 : v & 0xff;
    d->flip_flop = !d->flip_flop;
    return b;
}

static void put_byte(I8237 *d, uint16_t *base, uint16_t *cur, uint8_t v)
{
    if (d->flip_flop)
        *base = (*base & 0x00ff) | v << 8;
    else
        *base = (*base & 0xff00) | v;
    *cur = *base;
    d->flip_flop = !d->flip_flop;
}

static uint8_t channel_read(I8237 *d, int reg)
{
    DmaChannel *c = &d->ch[reg >> 1];
    return next_byte(d, reg & 1 ? c->cur_count : c->cur_addr);
}

static void channel_write(I8237 *d, int reg, uint8_t v)
{
    DmaChannel *c = &d->ch[reg >> 1];
    if (reg & 1)
        put_byte(d, &c->base_count, &c->cur_count, v);
    else
        put_byte(d, &c->base_addr, &c->cur_addr, v);
}

static void master_clear(I8237 *d)
{
    d->command = 0;
    d->status = 0;
    d->temp = 0;
    d->flip_flop = false;
    d->mask = 0x0f;
}

/* A software request is serviced even when masked (8237A "Request
 * Register"); with the controller enabled it would start a block transfer. */
static void request_write(I8237 *d, uint8_t v)
{
    int n = v & 3;
    if (!(v & 4)) {
        d->status &= ~(0x10 << n);
        return;
    }
    d->status |= 0x10 << n;
    if (!(d->command & CMD_DISABLE) && (d->ch[n].mode & MODE_CASCADE) != MODE_CASCADE)
        log_unimp("%s: DMA transfer by software request (no data is moved)", d->name);
}

static uint64_t i8237_read(void *opaque, uint64_t offset, unsigned size)
{
    I8237 *d = opaque;
    int reg = (int)(offset / d->stride) & 0xf;
    uint8_t v;

    if (reg < 8)
        return channel_read(d, reg);
    switch (reg) {
    case REG_STATUS:
        v = d->status;
        d->status &= 0xf0;
        return v;
    case REG_MASTER_CLEAR:
        return d->temp;
    case REG_MASK_ALL:
        return d->mask;
    }
    log_guest_error_once("%s: read of write-only register %d", d->name, reg);
    return 0xff;
}

static void i8237_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    I8237 *d = opaque;
    int reg = (int)(offset / d->stride) & 0xf;
    uint8_t v = (uint8_t)value;

    if (reg < 8) {
        channel_write(d, reg, v);
        return;
    }
    switch (reg) {
    case REG_STATUS:
        d->command = v;
        if (v & CMD_MEM_TO_MEM)
            log_unimp("%s: memory-to-memory transfers", d->name);
        break;
    case REG_REQUEST:
        request_write(d, v);
        break;
    case REG_MASK1:
        d->mask = (v & 4) ? d->mask | 1 << (v & 3) : d->mask & ~(1 << (v & 3));
        break;
    case REG_MODE:
        d->ch[v & 3].mode = v & 0xfc;
        break;
    case REG_CLEAR_FF:
        d->flip_flop = false;
        break;
    case REG_MASTER_CLEAR:
        master_clear(d);
        break;
    case REG_CLEAR_MASK:
        d->mask = 0;
        break;
    case REG_MASK_ALL:
        d->mask = v & 0x0f;
        break;
    }
}

static const IoOps i8237_ops = {
    .read = i8237_read, .write = i8237_write, .min_size = 1, .max_size = 1,
};

void i8237_reset(I8237 *d)
{
    for (int i = 0; i < 4; i++)
        d->ch[i] = (DmaChannel){ 0 };
    master_clear(d);
}

I8237 *i8237_new(Bus *bus, const char *name, uint16_t base, unsigned stride)
{
    I8237 *d = calloc(1, sizeof(*d));
    if (!d)
        fatal("out of memory");
    d->stride = stride;
    d->name = name;
    d->bus = bus;
    d->io = bus_map_io(bus, name, base, 16 * stride, &i8237_ops, d);
    if (!d->io)
        fatal("%s: ports 0x%x-0x%x already taken", name, base, base + 16 * stride - 1);
    i8237_reset(d);
    return d;
}

void i8237_free(I8237 *d)
{
    if (!d)
        return;
    bus_unmap_io(d->bus, d->io);
    free(d);
}

/* -- Page registers ------------------------------------------------------------ */

static uint64_t dma_page_read(void *opaque, uint64_t offset, unsigned size)
{
    DmaPage *p = opaque;
    return p->reg[(p->port + offset) & 0xf];
}

static void dma_page_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    DmaPage *p = opaque;
    p->reg[(p->port + offset) & 0xf] = (uint8_t)value;
}

static const IoOps dma_page_ops = {
    .read = dma_page_read, .write = dma_page_write, .min_size = 1, .max_size = 1,
};

void dma_page_reset(DmaPage *p)
{
    for (int i = 0; i < 16; i++)
        p->reg[i] = 0;
}

DmaPage *dma_page_new(Bus *bus, uint16_t port, uint32_t len)
{
    DmaPage *p = calloc(1, sizeof(*p));
    if (!p)
        fatal("out of memory");
    p->port = port;
    p->bus = bus;
    p->io = bus_map_io(bus, "dma-page", port, len, &dma_page_ops, p);
    if (!p->io)
        fatal("dma-page: ports 0x%x-0x%x already taken", port, port + len - 1);
    return p;
}

void dma_page_free(DmaPage *p)
{
    if (!p)
        return;
    bus_unmap_io(p->bus, p->io);
    free(p);
}
