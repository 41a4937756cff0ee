/*
 * acpi-dsdt.dsl — emu's DSDT for the i440FX/PIIX PC (ACPI 2.0, iasl).
 *
 * What it describes, and what it assumes of the board (src/hw/pc.c):
 *   - \_SB.PCI0, the host bridge: bus 0-255, I/O 0-0xcf7 and 0xd00-0xffff,
 *     the VGA window 0xa0000-0xbffff, and the PCI hole 0xe0000000-0xfebfffff
 *     for BARs (RAM below 4 GiB ends at or before 0xe0000000).
 *   - _PRT: slot s pin p (0 = INTA) drives PIRQ (s + p - 1) & 3, the
 *     PIIX3 swizzle QEMU uses; each PIRQ is a link device LNKA-LNKD whose
 *     IRQ is the PIIX3's PIRQRC register (00:01.0 config 0x60-0x63:
 *     bit 7 = routing off, bits 3:0 = ISA IRQ). Links offer IRQs 5, 10, 11,
 *     level-triggered and active high (the MADT overrides say the same).
 *   - The ISA bridge 00:01.0 with RTC, keyboard, mouse, COM1 and COM2;
 *     the HPET at 0xfed00000; one processor, ACPI ID 0.
 *   - \_S5: SLP_TYP 0, which the PIIX4 PM function (acpi_pm.c) treats as
 *     soft off.
 * To add a device: a Device () with _HID and _CRS in the scope of the bus
 * it sits on.
 */
DefinitionBlock ("acpi-dsdt.aml", "DSDT", 1, "EMU", "EMUDSDT", 1)
{
    Scope (\_PR)
    {
        Processor (CPU0, 0x00, 0x00000000, 0x00) {}
    }

    Name (\_S5, Package (0x04) { 0x00, 0x00, 0x00, 0x00 })

    Scope (\_GPE)
    {
        Name (_HID, "ACPI0006")
    }

    Scope (\_SB)
    {
        Device (PCI0)
        {
            Name (_HID, EisaId ("PNP0A03"))
            Name (_UID, 0x00)
            Name (_CRS, ResourceTemplate ()
            {
                WordBusNumber (ResourceProducer, MinFixed, MaxFixed, PosDecode,
                    0x0000, 0x0000, 0x00FF, 0x0000, 0x0100)
                IO (Decode16, 0x0CF8, 0x0CF8, 0x01, 0x08)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0000, 0x0CF7, 0x0000, 0x0CF8)
                WordIO (ResourceProducer, MinFixed, MaxFixed, PosDecode, EntireRange,
                    0x0000, 0x0D00, 0xFFFF, 0x0000, 0xF300)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, Cacheable,
                    ReadWrite, 0x00000000, 0x000A0000, 0x000BFFFF, 0x00000000, 0x00020000)
                DWordMemory (ResourceProducer, PosDecode, MinFixed, MaxFixed, NonCacheable,
                    ReadWrite, 0x00000000, 0xE0000000, 0xFEBFFFFF, 0x00000000, 0x1EC00000)
            })

            /* Slot 0 is the host bridge: no INTx. */
            Name (_PRT, Package ()
            {
            Package () { 0x0001FFFF, 0, LNKA, 0 },
            Package () { 0x0001FFFF, 1, LNKB, 0 },
            Package () { 0x0001FFFF, 2, LNKC, 0 },
            Package () { 0x0001FFFF, 3, LNKD, 0 },
            Package () { 0x0002FFFF, 0, LNKB, 0 },
            Package () { 0x0002FFFF, 1, LNKC, 0 },
            Package () { 0x0002FFFF, 2, LNKD, 0 },
            Package () { 0x0002FFFF, 3, LNKA, 0 },
            Package () { 0x0003FFFF, 0, LNKC, 0 },
            Package () { 0x0003FFFF, 1, LNKD, 0 },
            Package () { 0x0003FFFF, 2, LNKA, 0 },
            Package () { 0x0003FFFF, 3, LNKB, 0 },
            Package () { 0x0004FFFF, 0, LNKD, 0 },
            Package () { 0x0004FFFF, 1, LNKA, 0 },
            Package () { 0x0004FFFF, 2, LNKB, 0 },
            Package () { 0x0004FFFF, 3, LNKC, 0 },
            Package () { 0x0005FFFF, 0, LNKA, 0 },
            Package () { 0x0005FFFF, 1, LNKB, 0 },
            Package () { 0x0005FFFF, 2, LNKC, 0 },
            Package () { 0x0005FFFF, 3, LNKD, 0 },
            Package () { 0x0006FFFF, 0, LNKB, 0 },
            Package () { 0x0006FFFF, 1, LNKC, 0 },
            Package () { 0x0006FFFF, 2, LNKD, 0 },
            Package () { 0x0006FFFF, 3, LNKA, 0 },
            Package () { 0x0007FFFF, 0, LNKC, 0 },
            Package () { 0x0007FFFF, 1, LNKD, 0 },
            Package () { 0x0007FFFF, 2, LNKA, 0 },
            Package () { 0x0007FFFF, 3, LNKB, 0 },
            Package () { 0x0008FFFF, 0, LNKD, 0 },
            Package () { 0x0008FFFF, 1, LNKA, 0 },
            Package () { 0x0008FFFF, 2, LNKB, 0 },
            Package () { 0x0008FFFF, 3, LNKC, 0 },
            Package () { 0x0009FFFF, 0, LNKA, 0 },
            Package () { 0x0009FFFF, 1, LNKB, 0 },
            Package () { 0x0009FFFF, 2, LNKC, 0 },
            Package () { 0x0009FFFF, 3, LNKD, 0 },
            Package () { 0x000AFFFF, 0, LNKB, 0 },
            Package () { 0x000AFFFF, 1, LNKC, 0 },
            Package () { 0x000AFFFF, 2, LNKD, 0 },
            Package () { 0x000AFFFF, 3, LNKA, 0 },
            Package () { 0x000BFFFF, 0, LNKC, 0 },
            Package () { 0x000BFFFF, 1, LNKD, 0 },
            Package () { 0x000BFFFF, 2, LNKA, 0 },
            Package () { 0x000BFFFF, 3, LNKB, 0 },
            Package () { 0x000CFFFF, 0, LNKD, 0 },
            Package () { 0x000CFFFF, 1, LNKA, 0 },
            Package () { 0x000CFFFF, 2, LNKB, 0 },
            Package () { 0x000CFFFF, 3, LNKC, 0 },
            Package () { 0x000DFFFF, 0, LNKA, 0 },
            Package () { 0x000DFFFF, 1, LNKB, 0 },
            Package () { 0x000DFFFF, 2, LNKC, 0 },
            Package () { 0x000DFFFF, 3, LNKD, 0 },
            Package () { 0x000EFFFF, 0, LNKB, 0 },
            Package () { 0x000EFFFF, 1, LNKC, 0 },
            Package () { 0x000EFFFF, 2, LNKD, 0 },
            Package () { 0x000EFFFF, 3, LNKA, 0 },
            Package () { 0x000FFFFF, 0, LNKC, 0 },
            Package () { 0x000FFFFF, 1, LNKD, 0 },
            Package () { 0x000FFFFF, 2, LNKA, 0 },
            Package () { 0x000FFFFF, 3, LNKB, 0 },
            Package () { 0x0010FFFF, 0, LNKD, 0 },
            Package () { 0x0010FFFF, 1, LNKA, 0 },
            Package () { 0x0010FFFF, 2, LNKB, 0 },
            Package () { 0x0010FFFF, 3, LNKC, 0 },
            Package () { 0x0011FFFF, 0, LNKA, 0 },
            Package () { 0x0011FFFF, 1, LNKB, 0 },
            Package () { 0x0011FFFF, 2, LNKC, 0 },
            Package () { 0x0011FFFF, 3, LNKD, 0 },
            Package () { 0x0012FFFF, 0, LNKB, 0 },
            Package () { 0x0012FFFF, 1, LNKC, 0 },
            Package () { 0x0012FFFF, 2, LNKD, 0 },
            Package () { 0x0012FFFF, 3, LNKA, 0 },
            Package () { 0x0013FFFF, 0, LNKC, 0 },
            Package () { 0x0013FFFF, 1, LNKD, 0 },
            Package () { 0x0013FFFF, 2, LNKA, 0 },
            Package () { 0x0013FFFF, 3, LNKB, 0 },
            Package () { 0x0014FFFF, 0, LNKD, 0 },
            Package () { 0x0014FFFF, 1, LNKA, 0 },
            Package () { 0x0014FFFF, 2, LNKB, 0 },
            Package () { 0x0014FFFF, 3, LNKC, 0 },
            Package () { 0x0015FFFF, 0, LNKA, 0 },
            Package () { 0x0015FFFF, 1, LNKB, 0 },
            Package () { 0x0015FFFF, 2, LNKC, 0 },
            Package () { 0x0015FFFF, 3, LNKD, 0 },
            Package () { 0x0016FFFF, 0, LNKB, 0 },
            Package () { 0x0016FFFF, 1, LNKC, 0 },
            Package () { 0x0016FFFF, 2, LNKD, 0 },
            Package () { 0x0016FFFF, 3, LNKA, 0 },
            Package () { 0x0017FFFF, 0, LNKC, 0 },
            Package () { 0x0017FFFF, 1, LNKD, 0 },
            Package () { 0x0017FFFF, 2, LNKA, 0 },
            Package () { 0x0017FFFF, 3, LNKB, 0 },
            Package () { 0x0018FFFF, 0, LNKD, 0 },
            Package () { 0x0018FFFF, 1, LNKA, 0 },
            Package () { 0x0018FFFF, 2, LNKB, 0 },
            Package () { 0x0018FFFF, 3, LNKC, 0 },
            Package () { 0x0019FFFF, 0, LNKA, 0 },
            Package () { 0x0019FFFF, 1, LNKB, 0 },
            Package () { 0x0019FFFF, 2, LNKC, 0 },
            Package () { 0x0019FFFF, 3, LNKD, 0 },
            Package () { 0x001AFFFF, 0, LNKB, 0 },
            Package () { 0x001AFFFF, 1, LNKC, 0 },
            Package () { 0x001AFFFF, 2, LNKD, 0 },
            Package () { 0x001AFFFF, 3, LNKA, 0 },
            Package () { 0x001BFFFF, 0, LNKC, 0 },
            Package () { 0x001BFFFF, 1, LNKD, 0 },
            Package () { 0x001BFFFF, 2, LNKA, 0 },
            Package () { 0x001BFFFF, 3, LNKB, 0 },
            Package () { 0x001CFFFF, 0, LNKD, 0 },
            Package () { 0x001CFFFF, 1, LNKA, 0 },
            Package () { 0x001CFFFF, 2, LNKB, 0 },
            Package () { 0x001CFFFF, 3, LNKC, 0 },
            Package () { 0x001DFFFF, 0, LNKA, 0 },
            Package () { 0x001DFFFF, 1, LNKB, 0 },
            Package () { 0x001DFFFF, 2, LNKC, 0 },
            Package () { 0x001DFFFF, 3, LNKD, 0 },
            Package () { 0x001EFFFF, 0, LNKB, 0 },
            Package () { 0x001EFFFF, 1, LNKC, 0 },
            Package () { 0x001EFFFF, 2, LNKD, 0 },
            Package () { 0x001EFFFF, 3, LNKA, 0 },
            Package () { 0x001FFFFF, 0, LNKC, 0 },
            Package () { 0x001FFFFF, 1, LNKD, 0 },
            Package () { 0x001FFFFF, 2, LNKA, 0 },
            Package () { 0x001FFFFF, 3, LNKB, 0 }
            })

            Device (ISA)
            {
                Name (_ADR, 0x00010000)

                /* PIIX3 PIRQRC[A:D] */
                OperationRegion (PIRQ, PCI_Config, 0x60, 0x04)
                Field (PIRQ, ByteAcc, NoLock, Preserve)
                {
                    PRQA, 8,
                    PRQB, 8,
                    PRQC, 8,
                    PRQD, 8
                }

                Device (RTC)
                {
                    Name (_HID, EisaId ("PNP0B00"))
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0070, 0x0070, 0x10, 0x02)
                        IRQNoFlags () {8}
                    })
                }

                Device (KBD)
                {
                    Name (_HID, EisaId ("PNP0303"))
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x0060, 0x0060, 0x01, 0x01)
                        IO (Decode16, 0x0064, 0x0064, 0x01, 0x01)
                        IRQNoFlags () {1}
                    })
                }

                Device (MOU)
                {
                    Name (_HID, EisaId ("PNP0F13"))
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IRQNoFlags () {12}
                    })
                }

                Device (COM1)
                {
                    Name (_HID, EisaId ("PNP0501"))
                    Name (_UID, 0x01)
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x03F8, 0x03F8, 0x00, 0x08)
                        IRQNoFlags () {4}
                    })
                }

                Device (COM2)
                {
                    Name (_HID, EisaId ("PNP0501"))
                    Name (_UID, 0x02)
                    Name (_STA, 0x0F)
                    Name (_CRS, ResourceTemplate ()
                    {
                        IO (Decode16, 0x02F8, 0x02F8, 0x00, 0x08)
                        IRQNoFlags () {3}
                    })
                }
            }
        }

        Device (HPET)
        {
            Name (_HID, EisaId ("PNP0103"))
            Name (_UID, 0x00)
            Name (_STA, 0x0F)
            Name (_CRS, ResourceTemplate ()
            {
                Memory32Fixed (ReadOnly, 0xFED00000, 0x00000400)
            })
        }

        /* PCI interrupt links: helpers shared by LNKA-LNKD. Arg0 is the
         * link's PIRQRC value. */
        Method (LSTA, 1, NotSerialized)
        {
            If (Arg0 & 0x80)
            {
                Return (0x09)       /* present, functioning, disabled */
            }
            Return (0x0B)           /* present, enabled, functioning */
        }

        Method (LCRS, 1, NotSerialized)
        {
            Local0 = ResourceTemplate ()
            {
                Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , ) {0}
            }
            If (!(Arg0 & 0x80))
            {
                Local0 [0x05] = Arg0 & 0x0F     /* low byte of the IRQ number */
            }
            Return (Local0)
        }

        Name (LPRS, ResourceTemplate ()
        {
            Interrupt (ResourceConsumer, Level, ActiveHigh, Shared, , , ) {5, 10, 11}
        })

        Device (LNKA)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x01)
            Method (_STA, 0, NotSerialized)
            {
                Return (LSTA (\_SB.PCI0.ISA.PRQA))
            }
            Method (_PRS, 0, NotSerialized)
            {
                Return (LPRS)
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (LCRS (\_SB.PCI0.ISA.PRQA))
            }
            Method (_DIS, 0, NotSerialized)
            {
                \_SB.PCI0.ISA.PRQA |= 0x80
            }
            Method (_SRS, 1, Serialized)
            {
                CreateDWordField (Arg0, 0x05, IRQN)
                \_SB.PCI0.ISA.PRQA = IRQN
            }
        }

        Device (LNKB)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x02)
            Method (_STA, 0, NotSerialized)
            {
                Return (LSTA (\_SB.PCI0.ISA.PRQB))
            }
            Method (_PRS, 0, NotSerialized)
            {
                Return (LPRS)
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (LCRS (\_SB.PCI0.ISA.PRQB))
            }
            Method (_DIS, 0, NotSerialized)
            {
                \_SB.PCI0.ISA.PRQB |= 0x80
            }
            Method (_SRS, 1, Serialized)
            {
                CreateDWordField (Arg0, 0x05, IRQN)
                \_SB.PCI0.ISA.PRQB = IRQN
            }
        }

        Device (LNKC)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x03)
            Method (_STA, 0, NotSerialized)
            {
                Return (LSTA (\_SB.PCI0.ISA.PRQC))
            }
            Method (_PRS, 0, NotSerialized)
            {
                Return (LPRS)
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (LCRS (\_SB.PCI0.ISA.PRQC))
            }
            Method (_DIS, 0, NotSerialized)
            {
                \_SB.PCI0.ISA.PRQC |= 0x80
            }
            Method (_SRS, 1, Serialized)
            {
                CreateDWordField (Arg0, 0x05, IRQN)
                \_SB.PCI0.ISA.PRQC = IRQN
            }
        }

        Device (LNKD)
        {
            Name (_HID, EisaId ("PNP0C0F"))
            Name (_UID, 0x04)
            Method (_STA, 0, NotSerialized)
            {
                Return (LSTA (\_SB.PCI0.ISA.PRQD))
            }
            Method (_PRS, 0, NotSerialized)
            {
                Return (LPRS)
            }
            Method (_CRS, 0, NotSerialized)
            {
                Return (LCRS (\_SB.PCI0.ISA.PRQD))
            }
            Method (_DIS, 0, NotSerialized)
            {
                \_SB.PCI0.ISA.PRQD |= 0x80
            }
            Method (_SRS, 1, Serialized)
            {
                CreateDWordField (Arg0, 0x05, IRQN)
                \_SB.PCI0.ISA.PRQD = IRQN
            }
        }
    }
}
