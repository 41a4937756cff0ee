/* acpi_tables.h — the ACPI tables of the PC, handed to SeaBIOS the way
 * QEMU does it: three fw_cfg files.
 *
 *   "etc/acpi/tables"  FACS, DSDT, FADT, MADT, HPET, RSDT in one blob;
 *                      table pointers hold offsets into this blob
 *   "etc/acpi/rsdp"    the RSDP (ACPI 1.0 form, pointing at the RSDT)
 *   "etc/table-loader" 128-byte commands for SeaBIOS's romfile loader:
 *                      ALLOCATE the tables in high memory and the RSDP in
 *                      the F segment, ADD_POINTER to turn the offsets into
 *                      addresses, ADD_CHECKSUM to fix each checksum after.
 *
 * acpi_tables_build() is pure (tests call it); acpi_tables_install() loads
 * the DSDT that the build compiles from bios/acpi-dsdt.dsl if the config
 * names none, and adds the files to fw_cfg.
 */
#ifndef EMU_HW_ACPI_TABLES_H
#define EMU_HW_ACPI_TABLES_H

#include <stdint.h>
#include <stdbool.h>
#include "hw/fw_cfg.h"

#define ACPI_FILE_TABLES "etc/acpi/tables"
#define ACPI_FILE_RSDP "etc/acpi/rsdp"
#define ACPI_FILE_LOADER "etc/table-loader"
#define ACPI_DSDT_FIRMWARE "acpi-dsdt.aml"

/* SeaBIOS romfile loader (src/fw/romfile_loader.h) encoding. */
#define ACPI_LOADER_ENTRY_SIZE 128
#define ACPI_LOADER_FILESZ 56
enum { ACPI_LOADER_ALLOCATE = 1, ACPI_LOADER_ADD_POINTER = 2, ACPI_LOADER_ADD_CHECKSUM = 3 };
enum { ACPI_LOADER_ZONE_HIGH = 1, ACPI_LOADER_ZONE_FSEG = 2 };

typedef struct AcpiConfig {
    uint16_t pm_base;           /* PM1a_EVT_BLK; PM1a_CNT at +4, PM_TMR at +8 */
    uint16_t gpe0_base;         /* GPE0_BLK, 4 bytes */
    uint16_t sci_irq;
    uint16_t reset_port;        /* FADT RESET_REG (PIIX3 RCR 0xcf9); 0 = none */
    uint8_t reset_value;
    int ncpus;                  /* processors with APIC IDs and ACPI IDs 0..n-1 */
    uint32_t lapic_addr;
    uint32_t ioapic_addr;
    uint8_t ioapic_id;
    bool hpet;
    uint32_t hpet_addr;
    const uint8_t *dsdt;        /* compiled AML, copied; NULL: install loads it */
    uint32_t dsdt_len;
} AcpiConfig;

typedef struct AcpiBlobs {
    uint8_t *tables, *rsdp, *loader;
    uint32_t tables_len, rsdp_len, loader_len;
} AcpiBlobs;

/* The PC's values: PM at 0x600, GPE0 at 0xafe0, SCI 9, reset via 0xcf9,
 * one CPU, APIC 0xfee00000, I/O APIC 0 at 0xfec00000, HPET at 0xfed00000. */
void acpi_config_default(AcpiConfig *cfg);

/* Builds the three files (cfg->dsdt must be set). Free with acpi_blobs_free. */
void acpi_tables_build(const AcpiConfig *cfg, AcpiBlobs *out);
void acpi_blobs_free(AcpiBlobs *b);

/* Build and add "etc/acpi/tables", "etc/acpi/rsdp", "etc/table-loader". */
void acpi_tables_install(FwCfg *fw, const AcpiConfig *cfg);

#endif
