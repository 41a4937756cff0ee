/* acpi_pm.c — PIIX4 power management (Intel 82371AB datasheet, function 3
 * configuration 3.4 and PM I/O registers 7.2), the ACPI fixed hardware.
 *
 * Modelled: PMBA/PMREGMISC placing the PM I/O block; PMSTS/PMEN (timer
 * overflow, power button, global and RTC events), PMCNTRL (SCI_EN and the
 * SUS_TYP/SUS_EN sleep request), PMTMR; a GPE0 block; the SCI.
 * Not modelled (log_unimp): the SMBus host controller, the PIIX4 general
 * purpose/global/device registers at PM offsets 0x0c-0x3f, SMI generation,
 * sleep states other than S5.
 *
 * Invariants: the PM timer is a pure function of vclock_now() (3.579545 MHz
 * since virtual time 0, 24 bits). TMR_STS is set whenever bit 23 of the
 * count has changed since tmr_last: pm_tmr_update() folds that in before
 * PM1_STS is read or written, and a Timer does so at each toggle while
 * TMROF_EN is set, so the SCI comes on time. The SCI level is recomputed by
 * pm_update_sci() after every change of a status, enable or SCI_EN bit.
 * SCI_EN reads 1 from reset: the FADT has SMI_CMD = 0, i.e. no SMM and the
 * chipset always in ACPI mode (ACPI 2.0 5.2.6).
 */
#include <stdlib.h>
#include "hw/acpi_pm.h"
#include "base/log.h"

#define PMBA 0x40
#define PMREGMISC 0x80
#define SMBBA 0x90
#define SMBHSTCFG 0xd2

#define PM1_STS_W1C 0x8d31      /* TMROF, BM, GBL, PWRBTN, RTC, PWRBTNOR, WAK */
#define PM1_EN_MASK 0x0521      /* TMROF_EN, GBL_EN, PWRBTN_EN, RTC_EN */
#define PM1_CNT_MASK 0x1c03     /* SCI_EN, BRLD_EN_BM, SUS_TYP */
#define PM1_GBL_RLS (1u << 2)
#define TMR_BITS 24

struct AcpiPm {
    PciDevice pci;              /* first: PciDevice callbacks find us */
    VClock *clock;
    IrqLine sci;
    Bus *io;
    IoRange *pm_io;
    uint16_t pm_base;
    IoRange *gpe_io;
    void (*poweroff)(void *opaque);
    void *opaque;

    uint16_t sts, en, cnt;
    uint16_t gpe_sts, gpe_en;
    uint64_t tmr_last;          /* PM timer ticks when TMR_STS was last folded */
    Timer tmr_timer;
    int sci_level;
};

/* -- PM timer -- */

static uint64_t pm_tmr_ticks(AcpiPm *pm)
{
    return (uint64_t)((unsigned __int128)vclock_now(pm->clock) * ACPI_PM_TIMER_HZ / NS_PER_SEC);
}

static void pm_tmr_update(AcpiPm *pm)
{
    uint64_t t = pm_tmr_ticks(pm);
    if ((t ^ pm->tmr_last) >> (TMR_BITS - 1))
        pm->sts |= ACPI_TMR_STS;
    pm->tmr_last = t;
}

static void pm_update_sci(AcpiPm *pm)
{
    int level = (pm->cnt & ACPI_SCI_EN) &&
                ((pm->sts & pm->en & PM1_EN_MASK) || (pm->gpe_sts & pm->gpe_en));
    if (level != pm->sci_level) {
        pm->sci_level = level;
        irq_set(pm->sci, level);
    }
}

/* Arm the Timer at the next change of bit 23 (after pm_tmr_update). */
static void pm_tmr_arm(AcpiPm *pm)
{
    uint64_t next;
    if (!(pm->en & ACPI_TMR_STS)) {
        timer_del(&pm->tmr_timer);
        return;
    }
    next = ((pm->tmr_last >> (TMR_BITS - 1)) + 1) << (TMR_BITS - 1);
    timer_mod(&pm->tmr_timer,
              (int64_t)(((unsigned __int128)next * NS_PER_SEC + ACPI_PM_TIMER_HZ - 1) /
                        ACPI_PM_TIMER_HZ));
}

static void pm_tmr_fire(void *opaque)
{
    AcpiPm *pm = opaque;
    pm_tmr_update(pm);
    pm_update_sci(pm);
    pm_tmr_arm(pm);
}

/* -- PM I/O block -- */

static void pm_write_cnt(AcpiPm *pm, uint16_t v)
{
    pm->cnt = v & PM1_CNT_MASK;
    if (v & PM1_GBL_RLS)
        log_unimp("acpi_pm: GBL_RLS (BIOS release needs SMM)");
    if (v & ACPI_SLP_EN) {
        int typ = (v >> ACPI_SLP_TYP_SHIFT) & 7;
        if (typ == ACPI_SLP_TYP_S5 && pm->poweroff)
            pm->poweroff(pm->opaque);
        else if (typ != ACPI_SLP_TYP_S5)
            log_unimp("acpi_pm: sleep state SUS_TYP=%d", typ);
    }
}

static uint32_t pm_reg_read(AcpiPm *pm, unsigned dw)
{
    switch (dw) {
    case 0:
        pm_tmr_update(pm);
        return pm->sts | (uint32_t)pm->en << 16;
    case 1:
        return pm->cnt;
    case 2:
        return pm_tmr_ticks(pm) & ((1u << TMR_BITS) - 1);
    default:
        log_unimp("acpi_pm: PIIX4 PM register %#x", dw * 4);
        return 0;
    }
}

static void pm_reg_write(AcpiPm *pm, unsigned dw, uint32_t v, uint32_t mask)
{
    switch (dw) {
    case 0:
        pm_tmr_update(pm);
        pm->sts &= ~(v & mask & PM1_STS_W1C);
        if (mask >> 16) {
            uint16_t m = (mask >> 16) & PM1_EN_MASK;
            pm->en = (pm->en & ~m) | ((v >> 16) & m);
            pm_tmr_arm(pm);
        }
        break;
    case 1:
        if (mask & 0xffff)
            pm_write_cnt(pm, (pm->cnt & ~mask) | (v & mask));
        break;
    case 2:
        break;                  /* PM timer is read-only */
    default:
        log_unimp("acpi_pm: PIIX4 PM register %#x", dw * 4);
        break;
    }
    pm_update_sci(pm);
}

/* Accesses may start at any byte; one that crosses a dword reaches both. */
static uint64_t pm_io_read(void *opaque, uint64_t off, unsigned size)
{
    AcpiPm *pm = opaque;
    uint64_t v = pm_reg_read(pm, off >> 2);
    if ((off & 3) + size > 4)
        v |= (uint64_t)pm_reg_read(pm, (off >> 2) + 1) << 32;
    return v >> ((off & 3) * 8) & size_mask(size);
}

static void pm_io_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    AcpiPm *pm = opaque;
    unsigned shift = (off & 3) * 8;
    uint64_t mask = size_mask(size) << shift;
    value <<= shift;
    pm_reg_write(pm, off >> 2, (uint32_t)value, (uint32_t)mask);
    if (mask >> 32)
        pm_reg_write(pm, (off >> 2) + 1, value >> 32, mask >> 32);
}

static const IoOps pm_io_ops = {
    .read = pm_io_read, .write = pm_io_write, .min_size = 1, .max_size = 4,
};

/* -- GPE0 block: status word (write 1 to clear), enable word -- */

static uint64_t gpe_read(void *opaque, uint64_t off, unsigned size)
{
    AcpiPm *pm = opaque;
    uint16_t r = off < 2 ? pm->gpe_sts : pm->gpe_en;
    return (r >> ((off & 1) * 8)) & 0xff;
}

static void gpe_write(void *opaque, uint64_t off, uint64_t value, unsigned size)
{
    AcpiPm *pm = opaque;
    uint16_t v = (uint16_t)((value & 0xff) << ((off & 1) * 8));
    uint16_t m = (uint16_t)(0xff << ((off & 1) * 8));
    if (off < 2)
        pm->gpe_sts &= ~v;
    else
        pm->gpe_en = (pm->gpe_en & ~m) | v;
    pm_update_sci(pm);
}

static const IoOps gpe_ops = { .read = gpe_read, .write = gpe_write, .min_size = 1, .max_size = 1 };

/* -- PCI function -- */

static void pm_update_io_map(AcpiPm *pm)
{
    uint16_t base = pci_get_long(&pm->pci, PMBA) & 0xffc0;
    bool on = (pm->pci.config[PMREGMISC] & 1) && base;

    if (!on) {
        if (pm->pm_io)
            bus_unmap_io(pm->io, pm->pm_io);
        pm->pm_io = NULL;
        return;
    }
    if (pm->pm_io && pm->pm_base == base)
        return;
    if (pm->pm_io) {
        if (bus_move_io(pm->io, pm->pm_io, base) < 0) {
            log_guest_error_once("acpi_pm: PMBA %#x overlaps another device", base);
            return;
        }
    } else {
        pm->pm_io = bus_map_io(pm->io, "acpi-pm", base, ACPI_PM_IO_SIZE, &pm_io_ops, pm);
        if (!pm->pm_io) {
            log_guest_error_once("acpi_pm: PMBA %#x overlaps another device", base);
            return;
        }
    }
    pm->pm_base = base;
}

static bool touches(uint32_t off, unsigned size, uint32_t lo, uint32_t hi)
{
    return off < hi && lo < off + size;
}

static void pm_config_write(void *opaque, uint32_t off, uint32_t value, unsigned size)
{
    AcpiPm *pm = opaque;
    if (touches(off, size, PMBA, PMBA + 4) || touches(off, size, PMREGMISC, PMREGMISC + 1))
        pm_update_io_map(pm);
    if (touches(off, size, 0x44, 0x80))
        log_unimp("acpi_pm: device monitors and resources (config 0x44-0x7f)");
    if (touches(off, size, SMBHSTCFG, SMBHSTCFG + 1) && (pm->pci.config[SMBHSTCFG] & 1))
        log_unimp("acpi_pm: SMBus host controller");
}

static void pm_reset(void *opaque)
{
    AcpiPm *pm = opaque;
    PciDevice *d = &pm->pci;

    pci_set_long(d, PMBA, 0x00000001);      /* bit 0: I/O space indicator */
    for (int i = 0x44; i < 0x80; i++)
        d->config[i] = 0;
    d->config[PMREGMISC] = 0;
    /* No SMM on this board: report SMM as already initialised (config 0x5b
     * bit 1), as QEMU does, or SeaBIOS waits on the APM port for an SMI
     * handler that will never run. */
    d->config[0x5b] = 0x02;
    pci_set_long(d, SMBBA, 0x00000001);
    d->config[SMBHSTCFG] = 0;
    pm_update_io_map(pm);

    pm->sts = pm->en = 0;
    pm->cnt = ACPI_SCI_EN;
    pm->gpe_sts = pm->gpe_en = 0;
    pm->tmr_last = pm_tmr_ticks(pm);
    timer_del(&pm->tmr_timer);
    pm_update_sci(pm);
}

static const PciHooks pm_pci_hooks = { .config_write = pm_config_write, .reset = pm_reset };

static void pm_init_config(AcpiPm *pm)
{
    PciDevice *d = &pm->pci;
    d->config[PCI_REVISION_ID] = 0x03;
    pci_set_interrupt_pin(d, 1);            /* INTA: the SMBus interrupt */
    d->wmask[PMBA] = 0xc0;                  /* base bits 15:6 */
    d->wmask[PMBA + 1] = 0xff;
    for (int i = 0x44; i < 0x80; i++)
        d->wmask[i] = 0xff;
    d->wmask[PMREGMISC] = 0x01;             /* PMIOSE */
    d->wmask[SMBBA] = 0xf0;                 /* base bits 15:4 */
    d->wmask[SMBBA + 1] = 0xff;
    d->wmask[SMBHSTCFG] = 0x0f;
}

AcpiPm *acpi_pm_new(const AcpiPmConfig *cfg)
{
    AcpiPm *pm = calloc(1, sizeof(*pm));
    if (!pm)
        fatal("out of memory");
    pm->clock = cfg->clock;
    pm->sci = cfg->sci;
    pm->io = pci_bus_io(cfg->pci);
    pm->poweroff = cfg->poweroff;
    pm->opaque = cfg->opaque;
    pm->sci_level = -1;
    timer_init(&pm->tmr_timer, cfg->clock, pm_tmr_fire, pm);
    pci_device_init(&pm->pci, cfg->pci, cfg->devfn, "piix4-pm", 0x8086, 0x7113, 0x068000,
                    &pm_pci_hooks, pm);
    pm_init_config(pm);
    pm->gpe_io = bus_map_io(pm->io, "acpi-gpe0", cfg->gpe0_base, ACPI_GPE0_LEN, &gpe_ops, pm);
    if (!pm->gpe_io)
        fatal("acpi_pm: GPE0 ports %#x are taken", cfg->gpe0_base);
    pm_reset(pm);
    return pm;
}

void acpi_pm_free(AcpiPm *pm)
{
    if (!pm)
        return;
    timer_del(&pm->tmr_timer);
    if (pm->pm_io)
        bus_unmap_io(pm->io, pm->pm_io);
    bus_unmap_io(pm->io, pm->gpe_io);
    free(pm);
}

PciDevice *acpi_pm_pci(AcpiPm *pm)
{
    return &pm->pci;
}

void acpi_pm_power_button(AcpiPm *pm)
{
    pm->sts |= ACPI_PWRBTN_STS;
    pm_update_sci(pm);
}

void acpi_pm_rtc_alarm(AcpiPm *pm)
{
    pm->sts |= ACPI_RTC_STS;
    pm_update_sci(pm);
}

void acpi_pm_set_gpe(AcpiPm *pm, int bit)
{
    if (bit < 0 || bit > 15)
        return;
    pm->gpe_sts |= 1u << bit;
    pm_update_sci(pm);
}
