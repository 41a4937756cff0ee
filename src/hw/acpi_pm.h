/* acpi_pm.h — the PIIX4 power-management function (82371AB function 3,
 * 8086:7113 rev 3) as QEMU's i440fx machine presents it: the ACPI fixed
 * hardware (PM1a event/control blocks, the 24-bit PM timer), a GPE0 block,
 * and the SCI.
 *
 *   AcpiPmConfig c = { .pci = pcibus, .devfn = PCI_DEVFN(1, 3), .clock = clock,
 *                      .sci = <PIC IRQ 9 + I/O APIC pin 9>, .gpe0_base = 0xafe0,
 *                      .poweroff = board_poweroff, .opaque = m };
 *   AcpiPm *pm = acpi_pm_new(&c);
 *
 * The guest places the 64-byte PM I/O block with PMBA (config 0x40) and
 * enables it with PMREGMISC (config 0x80 bit 0); SeaBIOS uses 0x600, so
 * PM1a_EVT = 0x600, PM1a_CNT = 0x604, PM_TMR = 0x608 (what the FADT says).
 * The GPE0 block (status word, enable word) is fixed at gpe0_base.
 * Sleep: SLP_EN with SLP_TYP 0 is S5 (soft off) and calls poweroff.
 */
#ifndef EMU_HW_ACPI_PM_H
#define EMU_HW_ACPI_PM_H

#include "base/vclock.h"
#include "hw/irq.h"
#include "hw/pci.h"

#define ACPI_PM_DEVFN PCI_DEVFN(1, 3)
#define ACPI_PM_BASE_SEABIOS 0x600      /* where SeaBIOS puts PMBA */
#define ACPI_PM_IO_SIZE 64
#define ACPI_GPE0_BASE 0xafe0
#define ACPI_GPE0_LEN 4
#define ACPI_PM_TIMER_HZ 3579545
#define ACPI_SLP_TYP_S5 0               /* PIIX4 SUS_TYP 000: soft off */

/* Register offsets in the PM I/O block (PIIX4 datasheet 7.2). */
enum { ACPI_PM1_STS = 0x00, ACPI_PM1_EN = 0x02, ACPI_PM1_CNT = 0x04, ACPI_PM_TMR = 0x08 };
/* PM1 status/enable bits. */
enum {
    ACPI_TMR_STS = 1u << 0, ACPI_GBL_STS = 1u << 5, ACPI_PWRBTN_STS = 1u << 8,
    ACPI_RTC_STS = 1u << 10, ACPI_WAK_STS = 1u << 15,
};
/* PM1 control bits. */
enum { ACPI_SCI_EN = 1u << 0, ACPI_SLP_TYP_SHIFT = 10, ACPI_SLP_EN = 1u << 13 };

typedef struct AcpiPm AcpiPm;

typedef struct AcpiPmConfig {
    PciBus *pci;
    uint8_t devfn;
    VClock *clock;
    IrqLine sci;                /* level, active high */
    uint16_t gpe0_base;
    void (*poweroff)(void *opaque);     /* S5 entered */
    void *opaque;
} AcpiPmConfig;

AcpiPm *acpi_pm_new(const AcpiPmConfig *cfg);
void acpi_pm_free(AcpiPm *pm);
PciDevice *acpi_pm_pci(AcpiPm *pm);

/* The power button was pressed (PWRBTN_STS; an SCI if PWRBTN_EN). */
void acpi_pm_power_button(AcpiPm *pm);
/* The RTC alarm fired (RTC_STS; an SCI if RTC_EN). The FADT declares the
 * RTC fixed event, so the board should call this on the RTC's alarm. */
void acpi_pm_rtc_alarm(AcpiPm *pm);
/* Set a general-purpose event status bit (0-15) of GPE0. */
void acpi_pm_set_gpe(AcpiPm *pm, int bit);

#endif
