/* fw_cfg.h — QEMU's firmware configuration device, as SeaBIOS reads it.
 *
 * Items are byte blobs selected by a 16-bit key (QEMU docs/specs/fw_cfg.txt):
 * the guest writes the key to the selector port and reads the data port
 * byte by byte, or hands the DMA address register a FWCfgDmaAccess
 * descriptor. Named items ("files", keys 0x20 up) are listed, sorted by
 * name, in the directory at key 0x19; adding a file renumbers the ones
 * sorted after it, so add files before the guest runs.
 *
 * The board adds items; all the add functions copy their data. Keys come
 * from this header; x86-specific keys have FW_CFG_ARCH_LOCAL set.
 */
#ifndef EMU_HW_FW_CFG_H
#define EMU_HW_FW_CFG_H

#include "hw/bus.h"

/* x86 register locations (fw_cfg.txt "x86, x86_64 Register Locations") */
#define FW_CFG_IO_SELECTOR 0x510    /* 16-bit selector; 0x511 is the data port */
#define FW_CFG_IO_DMA 0x514         /* 64-bit big-endian DMA address, 0x514-0x51b */

enum {
    FW_CFG_SIGNATURE = 0x00, FW_CFG_ID = 0x01, FW_CFG_UUID = 0x02, FW_CFG_RAM_SIZE = 0x03,
    FW_CFG_NOGRAPHIC = 0x04, FW_CFG_NB_CPUS = 0x05, FW_CFG_MACHINE_ID = 0x06,
    FW_CFG_KERNEL_ADDR = 0x07, FW_CFG_KERNEL_SIZE = 0x08, FW_CFG_KERNEL_CMDLINE = 0x09,
    FW_CFG_INITRD_ADDR = 0x0a, FW_CFG_INITRD_SIZE = 0x0b, FW_CFG_BOOT_DEVICE = 0x0c,
    FW_CFG_NUMA = 0x0d, FW_CFG_BOOT_MENU = 0x0e, FW_CFG_MAX_CPUS = 0x0f,
    FW_CFG_KERNEL_ENTRY = 0x10, FW_CFG_KERNEL_DATA = 0x11, FW_CFG_INITRD_DATA = 0x12,
    FW_CFG_CMDLINE_ADDR = 0x13, FW_CFG_CMDLINE_SIZE = 0x14, FW_CFG_CMDLINE_DATA = 0x15,
    FW_CFG_SETUP_ADDR = 0x16, FW_CFG_SETUP_SIZE = 0x17, FW_CFG_SETUP_DATA = 0x18,
    FW_CFG_FILE_DIR = 0x19, FW_CFG_FILE_FIRST = 0x20,
    FW_CFG_WRITE_CHANNEL = 0x4000, FW_CFG_ARCH_LOCAL = 0x8000,
    FW_CFG_ACPI_TABLES = 0x8000, FW_CFG_SMBIOS_ENTRIES = 0x8001,
    FW_CFG_IRQ0_OVERRIDE = 0x8002, FW_CFG_E820_TABLE = 0x8003, FW_CFG_HPET = 0x8004,
};

/* FW_CFG_ID feature bits and FWCfgDmaAccess.control bits */
enum { FW_CFG_VERSION = 0x01, FW_CFG_VERSION_DMA = 0x02 };
enum { FW_CFG_DMA_CTL_ERROR = 0x01, FW_CFG_DMA_CTL_READ = 0x02, FW_CFG_DMA_CTL_SKIP = 0x04,
       FW_CFG_DMA_CTL_SELECT = 0x08, FW_CFG_DMA_CTL_WRITE = 0x10 };

#define FW_CFG_MAX_FILE_PATH 56
#define FW_CFG_DIR_ENTRY_SIZE 64    /* be32 size, be16 select, u16 reserved, name[56] */

typedef struct FwCfg FwCfg;

/* Maps the ports on `bus`; DMA reads and writes guest memory through
 * bus_memmap(bus) with memmap_rw. */
FwCfg *fw_cfg_new(Bus *bus);
void fw_cfg_free(FwCfg *fw);
/* Deselects and clears the DMA address register (machine reset). */
void fw_cfg_reset(FwCfg *fw);

/* Replace any item already at `key`. Keys 0x19 and up to the files' range
 * belong to the directory and files and are refused. */
void fw_cfg_add_bytes(FwCfg *fw, uint16_t key, const void *data, uint32_t len);
void fw_cfg_add_i16(FwCfg *fw, uint16_t key, uint16_t v);     /* little-endian */
void fw_cfg_add_i32(FwCfg *fw, uint16_t key, uint32_t v);
void fw_cfg_add_i64(FwCfg *fw, uint16_t key, uint64_t v);
/* A named item; replaces a file of the same name. Names are at most 55 bytes. */
void fw_cfg_add_file(FwCfg *fw, const char *name, const void *data, uint32_t len);

#endif
