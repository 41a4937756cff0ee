/* i8259.c — Intel 8259A programmable interrupt controller pair (see i8259.h).
 *
 * Model, per chip (Intel 8259A datasheet, "Interrupt Sequence" and
 * "Programming the 8259A"):
 *   pins  the current level of each IR input;
 *   irr   requests: an edge input latches on a rising edge and keeps the
 *         request until INTA, a level input (ELCR bit or ICW1 LTIM) follows
 *         the pin;
 *   isr   levels in service, cleared by EOI (or at once in auto-EOI mode);
 *   lowest the IR that currently has the lowest priority (rotation).
 * The slave's INT output is the master's IR2 input. After every change
 * pic_update() recomputes the slave INT and the master INT (intr_out).
 *
 * Deliberate deviation: the datasheet's edge mode drops a request whose IR
 * pin falls before the first INTA ("default IR7"). Devices here signal edges
 * with irq_pulse() (hw/irq.h), so an edge stays latched until INTA. A
 * vanished request still yields the spurious vector: on the master (IR7,
 * nothing put in service) when a level input falls or the request is masked
 * before INTA; on the slave (IR15) when the slave's request went away after
 * the master latched it on IR2. Then the master has acknowledged IR2 for
 * nothing, and it gets a specific EOI for the cascade right away, so no
 * in-service bit is left behind — the net effect of the 8259A's default IR7.
 *
 * Not modelled: MCS-80/85 mode (logged), buffered mode (no effect on a PC).
 */
#include <stdlib.h>
#include "hw/i8259.h"
#include "base/log.h"

enum { INIT_READY = 0, INIT_ICW2 = 2, INIT_ICW3 = 3, INIT_ICW4 = 4 };

typedef struct PicChip {
    Pic *pic;
    uint8_t pins, irr, isr, imr;
    uint8_t elcr, elcr_mask;
    uint8_t lowest;         /* IR with the lowest priority */
    uint8_t vector_base;    /* ICW2 T7-T3 */
    uint8_t icw3;           /* master: IRs with a slave; slave: its ID */
    uint8_t init_step;
    bool is_master;
    bool icw4_needed, single, ltim;
    bool auto_eoi, rotate_aeoi, sfnm;
    bool special_mask, poll, read_isr;
} PicChip;

struct Pic {
    PicChip chip[2];        /* 0 master, 1 slave */
    IrqLine intr_out;
    bool intr_level;
    bool irq2;              /* an outside driver of the master's IR2 */
    Bus *bus;
    IoRange *io[3];
};

/* -- Priority resolution -- */

static uint8_t level_bits(const PicChip *c)
{
    return c->ltim ? 0xff : c->elcr;
}

/* Rank of the highest-priority bit in mask (0 = highest), 8 if none. */
static int prio_rank(const PicChip *c, uint8_t mask)
{
    for (int i = 0; i < 8; i++)
        if (mask & (1 << ((c->lowest + 1 + i) & 7)))
            return i;
    return 8;
}

static int rank_to_ir(const PicChip *c, int rank)
{
    return (c->lowest + 1 + rank) & 7;
}

static bool is_cascade(const PicChip *c, int ir)
{
    return c->is_master && !c->single && (c->icw3 & (1 << ir));
}

/* The IR this chip would present at INTA, or -1. */
static int chip_pending(const PicChip *c)
{
    uint8_t busy = c->isr;
    int req, cur;

    req = prio_rank(c, c->irr & ~c->imr);
    if (req == 8)
        return -1;
    /* 8259A OCW3 special mask mode: masked levels in service do not block. */
    if (c->special_mask)
        busy &= ~c->imr;
    cur = prio_rank(c, busy);
    if (req < cur)
        return rank_to_ir(c, req);
    /* ICW4 SFNM: a cascade in service still passes its slave's requests. */
    if (req == cur && c->sfnm && is_cascade(c, rank_to_ir(c, req)))
        return rank_to_ir(c, req);
    return -1;
}

static void chip_set_input(PicChip *c, int ir, bool level)
{
    uint8_t bit = 1 << ir;
    if (level) {
        if ((level_bits(c) & bit) || !(c->pins & bit))
            c->irr |= bit;
        c->pins |= bit;
    } else {
        c->pins &= ~bit;
        if (level_bits(c) & bit)
            c->irr &= ~bit;
    }
}

static void pic_update(Pic *p)
{
    bool level;
    chip_set_input(&p->chip[0], 2, p->irq2 || chip_pending(&p->chip[1]) >= 0);
    level = chip_pending(&p->chip[0]) >= 0;
    if (level != p->intr_level) {
        p->intr_level = level;
        irq_set(p->intr_out, level);
    }
}

/* First and second INTA pulses on one chip: request -> in service. */
static void chip_ack(PicChip *c, int ir)
{
    uint8_t bit = 1 << ir;
    if (!(level_bits(c) & bit))
        c->irr &= ~bit;
    if (!c->auto_eoi)
        c->isr |= bit;
    else if (c->rotate_aeoi)
        c->lowest = ir;
}

int pic_ack(Pic *p)
{
    PicChip *m = &p->chip[0], *s = &p->chip[1];
    int ir = chip_pending(m), sir, vec;

    if (ir < 0) {
        vec = m->vector_base | 7;       /* spurious on the master */
    } else if (is_cascade(m, ir)) {
        chip_ack(m, ir);
        sir = chip_pending(s);
        if (sir >= 0) {
            chip_ack(s, sir);
            vec = s->vector_base | sir;
        } else {
            vec = s->vector_base | 7;   /* spurious on the slave */
            m->isr &= ~(1 << ir);       /* specific EOI for the cascade */
        }
    } else {
        chip_ack(m, ir);
        vec = m->vector_base | ir;
    }
    LOG(LOG_INT, "pic: INTA -> vector 0x%02x\n", vec);
    pic_update(p);
    return vec;
}

void pic_set_irq(void *opaque, int irq, int level)
{
    Pic *p = opaque;
    if (irq < 0 || irq > 15)
        return;
    if (irq == 2)
        p->irq2 = level;    /* shares the pin with the slave's INT */
    else
        chip_set_input(&p->chip[irq >> 3], irq & 7, level != 0);
    pic_update(p);
}

/* -- Initialization and operation command words -- */

static void write_icw1(PicChip *c, uint8_t v)
{
    c->icw4_needed = v & 0x01;
    c->single = v & 0x02;
    c->ltim = v & 0x08;
    /* 8259A "Initialization Command Words": edge sense reset, IMR cleared,
     * IR7 lowest priority, special mask off, status read = IRR, ICW4 zeroed. */
    c->irr = c->pins & level_bits(c);
    c->isr = 0;
    c->imr = 0;
    c->lowest = 7;
    c->special_mask = c->poll = c->read_isr = false;
    c->auto_eoi = c->rotate_aeoi = c->sfnm = false;
    c->init_step = INIT_ICW2;
}

static void write_icw(PicChip *c, uint8_t v)
{
    switch (c->init_step) {
    case INIT_ICW2:
        c->vector_base = v & 0xf8;
        if (!c->single)
            c->init_step = INIT_ICW3;
        else
            c->init_step = c->icw4_needed ? INIT_ICW4 : INIT_READY;
        break;
    case INIT_ICW3:
        c->icw3 = v;
        c->init_step = c->icw4_needed ? INIT_ICW4 : INIT_READY;
        break;
    case INIT_ICW4:
        if (!(v & 0x01))
            log_unimp("pic: MCS-80/85 mode (ICW4 uPM=0), using 8086 mode");
        c->auto_eoi = v & 0x02;
        c->sfnm = v & 0x10;
        c->init_step = INIT_READY;
        break;
    }
    if (c->init_step == INIT_READY && !c->icw4_needed)
        log_unimp("pic: ICW1 without ICW4 (MCS-80/85 mode), using 8086 mode");
}

/* Highest-priority level in service that a non-specific EOI may clear. */
static int eoi_target(const PicChip *c)
{
    uint8_t busy = c->isr;
    int rank;
    /* 8259A "Special Mask Mode": masked ISR bits survive a non-specific EOI. */
    if (c->special_mask)
        busy &= ~c->imr;
    rank = prio_rank(c, busy);
    return rank == 8 ? -1 : rank_to_ir(c, rank);
}

static void write_ocw2(PicChip *c, uint8_t v)
{
    int l = v & 7, ir;
    switch (v >> 5) {
    case 0: c->rotate_aeoi = false; break;          /* clear rotate in AEOI */
    case 4: c->rotate_aeoi = true; break;           /* set rotate in AEOI */
    case 2: break;                                  /* no operation */
    case 1:                                         /* non-specific EOI */
    case 5:                                         /* rotate on non-specific EOI */
        ir = eoi_target(c);
        if (ir < 0)
            break;
        c->isr &= ~(1 << ir);
        if (v >> 5 == 5)
            c->lowest = ir;
        break;
    case 3: c->isr &= ~(1 << l); break;             /* specific EOI */
    case 7: c->isr &= ~(1 << l); c->lowest = l; break; /* rotate on specific EOI */
    case 6: c->lowest = l; break;                   /* set priority */
    }
}

static void write_ocw3(PicChip *c, uint8_t v)
{
    if (v & 0x40)
        c->special_mask = v & 0x20;
    if (v & 0x04)
        c->poll = true;
    if (v & 0x02)
        c->read_isr = v & 0x01;
}

/* -- Port access -- */

/* Poll command: the read acts as INTA on this chip and returns I|W2-W0. */
static uint8_t chip_poll(PicChip *c)
{
    int ir = chip_pending(c);
    c->poll = false;
    if (ir < 0)
        return 0;
    chip_ack(c, ir);
    pic_update(c->pic);
    return 0x80 | ir;
}

static uint64_t pic_read(void *opaque, uint64_t offset, unsigned size)
{
    PicChip *c = opaque;
    if (c->poll)
        return chip_poll(c);
    if (offset == 1)
        return c->imr;
    return c->read_isr ? c->isr : c->irr;
}

static void pic_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PicChip *c = opaque;
    uint8_t v = value;

    if (offset == 1) {
        if (c->init_step != INIT_READY)
            write_icw(c, v);
        else
            c->imr = v;                             /* OCW1 */
    } else if (v & 0x10) {
        write_icw1(c, v);
    } else if (v & 0x08) {
        write_ocw3(c, v);
    } else {
        write_ocw2(c, v);
    }
    pic_update(c->pic);
}

static const IoOps pic_ops = {
    .read = pic_read, .write = pic_write, .min_size = 1, .max_size = 1,
};

/* PIIX3 ELCR1/ELCR2: IRQ0-2, IRQ8 and IRQ13 are always edge-triggered. */
static uint64_t elcr_read(void *opaque, uint64_t offset, unsigned size)
{
    Pic *p = opaque;
    return p->chip[offset].elcr;
}

static void elcr_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Pic *p = opaque;
    PicChip *c = &p->chip[offset];
    uint8_t level;
    c->elcr = value & c->elcr_mask;
    level = level_bits(c);
    c->irr = (c->irr & ~level) | (c->pins & level);
    pic_update(p);
}

static const IoOps elcr_ops = {
    .read = elcr_read, .write = elcr_write, .min_size = 1, .max_size = 1,
};

/* -- Life cycle -- */

static void chip_reset(PicChip *c)
{
    uint8_t pins = c->pins;
    Pic *pic = c->pic;
    bool master = c->is_master;
    uint8_t mask = c->elcr_mask;

    *c = (PicChip){ .pic = pic, .pins = pins, .is_master = master, .elcr_mask = mask };
    c->lowest = 7;
    c->icw3 = master ? 0x04 : 0x02;
    c->icw4_needed = true;
}

void pic_reset(Pic *p)
{
    chip_reset(&p->chip[0]);
    chip_reset(&p->chip[1]);
    pic_update(p);
}

Pic *pic_new(Bus *bus, IrqLine intr_out)
{
    Pic *p = calloc(1, sizeof(*p));
    if (!p)
        fatal("out of memory");
    p->intr_out = intr_out;
    for (int i = 0; i < 2; i++)
        p->chip[i].pic = p;
    p->chip[0].is_master = true;
    p->chip[0].elcr_mask = 0xf8;
    p->chip[1].elcr_mask = 0xde;
    pic_reset(p);
    p->io[0] = bus_map_io(bus, "pic-master", 0x20, 2, &pic_ops, &p->chip[0]);
    p->io[1] = bus_map_io(bus, "pic-slave", 0xa0, 2, &pic_ops, &p->chip[1]);
    p->io[2] = bus_map_io(bus, "elcr", 0x4d0, 2, &elcr_ops, p);
    if (!p->io[0] || !p->io[1] || !p->io[2])
        fatal("pic: ports 0x20/0xa0/0x4d0 already taken");
    p->bus = bus;
    return p;
}

void pic_free(Pic *p)
{
    if (!p)
        return;
    for (int i = 0; i < 3; i++)
        bus_unmap_io(p->bus, p->io[i]);
    free(p);
}

bool pic_intr_pending(const Pic *p)
{
    return p->intr_level;
}

uint8_t pic_get_irr(const Pic *p, int chip) { return p->chip[chip & 1].irr; }
uint8_t pic_get_isr(const Pic *p, int chip) { return p->chip[chip & 1].isr; }
uint8_t pic_get_imr(const Pic *p, int chip) { return p->chip[chip & 1].imr; }
