/* mc146818.h — Motorola MC146818A real-time clock and CMOS RAM.
 *
 * Port 0x70 selects the register (bits 6-0; bit 7 set disables NMI), port
 * 0x71 reads or writes it. 128 bytes: the clock and alarm (0-9), registers
 * A-D (10-13) and battery-backed RAM (14-127). The time of day starts from
 * vclock_wall_epoch() and advances with virtual time; IRQ8 is register C's
 * IRQF. The board fills the BIOS's CMOS bytes with rtc_set_cmos().
 */
#ifndef EMU_HW_MC146818_H
#define EMU_HW_MC146818_H

#include "base/compiler.h"
#include "base/vclock.h"
#include "hw/bus.h"
#include "hw/irq.h"

/* The IBM PC/AT BIOS keeps the century, in BCD, in this CMOS byte. */
#define RTC_CMOS_CENTURY 0x32

typedef struct Rtc Rtc;

Rtc *rtc_new(Bus *bus, VClock *clock, IrqLine irq8);
void rtc_reset(Rtc *rtc);
void rtc_free(Rtc *rtc);

/* Direct CMOS access (index & 0x7f). Indices 0-13 act as register writes
 * and side-effect-free register reads (register C is not cleared). */
void rtc_set_cmos(Rtc *rtc, int index, uint8_t value);
uint8_t rtc_get_cmos(Rtc *rtc, int index);

/* fn runs when the alarm starts interrupting (AF set while AIE is on, or
 * AIE set while AF is): the PIIX4 sets RTC_STS then (ACPI fixed event). */
void rtc_set_alarm_hook(Rtc *rtc, void (*fn)(void *opaque), void *opaque);

/* Bit 7 of the last index written to port 0x70. */
bool rtc_nmi_disabled(const Rtc *rtc);

#endif
