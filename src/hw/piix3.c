/* piix3.c — PIIX3 function 0: PCI-to-ISA bridge, PIRQ router, reset control.
 *
 * PIRQ routing keeps, per PIRQ, which INTx sources assert it (a wired-OR of
 * level-triggered lines) and, per ISA IRQ, the level this bridge drives. Any
 * change — a source, or a PIRQRC write — recomputes all 16 ISA levels and
 * drives only those that changed, so re-routing an asserted PIRQ lowers the
 * old IRQ and raises the new one. PIRQ levels also go, unrouted, to the
 * IOAPIC pins 16-19 when the board connects them (as QEMU's PC does).
 */
#include <stdlib.h>
#include <string.h>
#include "hw/piix3.h"
#include "base/log.h"

#define PIIX3_PIRQRC 0x60
#define PIRQRC_DISABLE 0x80     /* IRQROUTEN: 1 = not routed */
#define PIIX3_RCR_PORT_OFFSET 1 /* 0xcf9 within 0xcf8-0xcfb */
#define RCR_SRST 0x02           /* system (hard) reset rather than CPU INIT */
#define RCR_RCPU 0x04           /* a 1 here starts the reset */
#define SOURCE_WORDS (PIIX3_PIRQ_SOURCES / 64)

struct Piix3 {
    PciDevice pci;
    Piix3Config cfg;
    uint64_t sources[PIIX3_NUM_PIRQS][SOURCE_WORDS];  /* asserted INTx per PIRQ */
    bool isa_level[PIIX3_NUM_ISA_IRQS];                /* what we drive now */
    bool pirq_level[PIIX3_NUM_PIRQS];
    uint8_t rcr;
};

/* Registers with datasheet defaults but no modelled function
 * (82371SB datasheet, PCI-to-ISA configuration registers): offset, length, reset value. */
static const struct { uint8_t off, len; uint32_t value; } piix3_regs[] = {
    { 0x4c, 1, 0x4d },          /* IORT: ISA I/O recovery timer */
    { 0x4e, 2, 0x0003 },        /* XBCS: X-bus chip select */
    { 0x69, 1, 0x02 },          /* TOM: top of memory */
    { 0x6a, 2, 0x0000 },        /* MSTAT: misc status */
    { 0x70, 1, 0x80 },          /* MBIRQ0: motherboard IRQ route */
    { 0x71, 1, 0x80 },          /* MBIRQ1 */
    { 0x76, 2, 0x0c0c },        /* MBDMA: motherboard DMA */
    { 0x78, 2, 0x0002 },        /* PCSC: programmable chip select */
    { 0x80, 1, 0x00 },          /* APICBASE */
    { 0x82, 1, 0x00 },          /* DLC: deterministic latency */
    { 0xa0, 1, 0x08 },          /* SMICNTL */
    { 0xa2, 2, 0x0000 },        /* SMIEN */
    { 0xa4, 4, 0x00000000 },    /* SEE: system event enable */
    { 0xa8, 1, 0x0f },          /* FTMR: fast off timer */
    { 0xaa, 2, 0x0000 },        /* SMIREQ */
    { 0xac, 1, 0x00 },          /* CTLTMR */
    { 0xae, 1, 0x00 },          /* CTHTMR */
};

/* The ISA IRQ a PIRQRC value routes to, or -1 (disabled or reserved). */
static int pirq_target(uint8_t rc)
{
    int irq = rc & 0x0f;
    /* 82371SB datasheet, PIRQRC: values 0-2, 8 and 13 are reserved. */
    if ((rc & PIRQRC_DISABLE) || irq < 3 || irq == 8 || irq == 13)
        return -1;
    return irq;
}

static void update_isa_irqs(Piix3 *s)
{
    bool level[PIIX3_NUM_ISA_IRQS] = { false };

    for (int p = 0; p < PIIX3_NUM_PIRQS; p++) {
        int irq = pirq_target(s->pci.config[PIIX3_PIRQRC + p]);
        if (irq >= 0 && s->pirq_level[p])
            level[irq] = true;
    }
    for (int i = 0; i < PIIX3_NUM_ISA_IRQS; i++) {
        if (level[i] == s->isa_level[i])
            continue;
        s->isa_level[i] = level[i];
        irq_set(s->cfg.isa_irq[i], level[i]);
    }
}

static bool any_source(const uint64_t *words)
{
    for (int i = 0; i < SOURCE_WORDS; i++)
        if (words[i])
            return true;
    return false;
}

void piix3_set_pirq(Piix3 *s, int pirq, int source, int level)
{
    uint64_t *words, bit;
    bool now;

    if (pirq < 0 || pirq >= PIIX3_NUM_PIRQS || source < 0 || source >= PIIX3_PIRQ_SOURCES)
        panic("piix3: PIRQ %d source %d out of range", pirq, source);
    words = s->sources[pirq];
    bit = 1ull << (source % 64);
    if (level)
        words[source / 64] |= bit;
    else
        words[source / 64] &= ~bit;
    now = any_source(words);
    if (now == s->pirq_level[pirq])
        return;
    s->pirq_level[pirq] = now;
    irq_set(s->cfg.ioapic[pirq], now);
    update_isa_irqs(s);
}

static void piix3_config_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    Piix3 *s = opaque;
    for (uint32_t a = offset; a < offset + size; a++) {
        if (a >= PIIX3_PIRQRC && a < PIIX3_PIRQRC + PIIX3_NUM_PIRQS)
            continue;
        if (a >= 0x40)
            log_unimp("piix3: config register 0x%02x", a);
    }
    if (offset < PIIX3_PIRQRC + PIIX3_NUM_PIRQS && offset + size > PIIX3_PIRQRC)
        update_isa_irqs(s);
}

static void piix3_reset(void *opaque)
{
    Piix3 *s = opaque;
    PciDevice *d = &s->pci;

    /* 82371SB datasheet: PCICMD 0007h, PCISTS 0200h. */
    pci_set_word(d, PCI_COMMAND, 0x0007);
    pci_set_word(d, PCI_STATUS, 0x0200);
    for (int p = 0; p < PIIX3_NUM_PIRQS; p++)
        d->config[PIIX3_PIRQRC + p] = PIRQRC_DISABLE;
    for (size_t i = 0; i < ARRAY_SIZE(piix3_regs); i++)
        for (int b = 0; b < piix3_regs[i].len; b++)
            d->config[piix3_regs[i].off + b] = (uint8_t)(piix3_regs[i].value >> (8 * b));
    s->rcr = 0;
    update_isa_irqs(s);
}

static const PciHooks piix3_hooks = {
    .config_write = piix3_config_write,
    .reset = piix3_reset,
};

/* -- Reset control register, port 0xcf9 (82371SB datasheet, RC register) --- */

static uint64_t rcr_read(void *opaque, uint64_t offset, unsigned size)
{
    Piix3 *s = opaque;
    if (offset == PIIX3_RCR_PORT_OFFSET && size == 1)
        return s->rcr;
    return size_mask(size);
}

static void rcr_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    Piix3 *s = opaque;
    if (offset != PIIX3_RCR_PORT_OFFSET || size != 1)
        return;
    s->rcr = value & RCR_SRST;
    if ((value & RCR_RCPU) && s->cfg.reset)
        s->cfg.reset(s->cfg.opaque, value & RCR_SRST);
}

static const IoOps rcr_ops = { .read = rcr_read, .write = rcr_write, .min_size = 1, .max_size = 1 };

/* -- Creation ------------------------------------------------------------------ */

Piix3 *piix3_new(PciBus *pb, uint8_t devfn, const Piix3Config *cfg)
{
    Piix3 *s = calloc(1, sizeof(*s));
    PciDevice *d;

    if (!s)
        fatal("out of memory");
    s->cfg = *cfg;
    d = &s->pci;
    pci_device_init(d, pb, devfn, "piix3", 0x8086, 0x7000, 0x060100, &piix3_hooks, s);
    /* A multi-function device even before its IDE/USB functions register. */
    d->config[PCI_HEADER_TYPE] |= PCI_HEADER_MULTI_FUNCTION;
    for (int p = 0; p < PIIX3_NUM_PIRQS; p++)
        d->wmask[PIIX3_PIRQRC + p] = 0x8f;      /* bits 6:4 reserved */
    for (size_t i = 0; i < ARRAY_SIZE(piix3_regs); i++)
        memset(&d->wmask[piix3_regs[i].off], 0xff, piix3_regs[i].len);
    pci_bus_set_cf8_io(pb, &rcr_ops, s);
    piix3_reset(s);
    return s;
}

void piix3_free(Piix3 *s)
{
    free(s);
}

PciDevice *piix3_pci(Piix3 *s)
{
    return &s->pci;
}
