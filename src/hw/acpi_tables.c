/* acpi_tables.c — builds the ACPI tables and SeaBIOS's loader script.
 *
 * Layouts follow ACPI 2.0: RSDP (5.2.4.3, the 20-byte revision 0 form),
 * RSDT (5.2.7), FADT revision 3 (5.2.8, 244 bytes), FACS (5.2.9), MADT
 * (5.2.10.4) and the IA-PC HPET table (HPET spec 1.0a, 3.2.4). The loader
 * commands are those of SeaBIOS's romfile_loader.
 *
 * Invariant: every address field in the blobs holds an offset into
 * "etc/acpi/tables" and has one ADD_POINTER command; every table except the
 * DSDT (compiled and checksummed by iasl) has an ADD_CHECKSUM command issued
 * after the pointer commands that patch it. To add a table: build it after
 * the MADT, checksum it, and list it in the RSDT.
 */
#include <stdlib.h>
#include <string.h>
#include "hw/acpi_tables.h"
#include "base/compiler.h"
#include "hw/firmware.h"
#include "hw/hpet.h"
#include "base/log.h"

#define ACPI_HEADER_LEN 36
#define ACPI_OEM_ID "EMU   "
#define ACPI_OEM_TABLE_ID "EMUPC   "

/* -- Growable byte buffer -- */

typedef struct Blob {
    uint8_t *data;
    uint32_t len, cap;
} Blob;

/* Append n zero bytes at an `align`-aligned offset; returns the offset. */
static uint32_t blob_alloc(Blob *b, uint32_t n, uint32_t align)
{
    uint32_t off = (b->len + align - 1) & ~(align - 1);
    if (off + n > b->cap) {
        uint32_t cap = MAX(b->cap * 2, off + n + 256);
        b->data = realloc(b->data, cap);
        if (!b->data)
            fatal("out of memory");
        b->cap = cap;
    }
    memset(b->data + b->len, 0, off + n - b->len);
    b->len = off + n;
    return off;
}

static uint8_t *at(Blob *b, uint32_t off) { return b->data + off; }

/* -- Tables -- */

/* A table header with a zero length and checksum; returns its offset. */
static uint32_t table_begin(Blob *b, const char *sig, uint8_t rev, uint32_t len, uint32_t align)
{
    uint32_t off = blob_alloc(b, len, align);
    uint8_t *h = at(b, off);
    memcpy(h, sig, 4);
    st32(h + 4, len);
    h[8] = rev;
    memcpy(h + 10, ACPI_OEM_ID, 6);
    memcpy(h + 16, ACPI_OEM_TABLE_ID, 8);
    st32(h + 24, 1);            /* OEM revision */
    memcpy(h + 28, "EMU ", 4);  /* creator ID */
    st32(h + 32, 1);            /* creator revision */
    return off;
}

/* Generic Address Structure (ACPI 2.0 5.2.3.1). */
static void put_gas(uint8_t *p, uint8_t space, uint8_t bits, uint64_t addr)
{
    p[0] = space;               /* 0 = system memory, 1 = system I/O */
    p[1] = bits;
    p[2] = 0;
    p[3] = 0;
    st64(p + 4, addr);
}

static uint32_t build_facs(Blob *t)
{
    uint32_t off = blob_alloc(t, 64, 64);   /* 64-byte aligned (5.2.9) */
    memcpy(at(t, off), "FACS", 4);
    st32(at(t, off + 4), 64);
    return off;
}

static uint32_t build_dsdt(Blob *t, const AcpiConfig *cfg)
{
    uint32_t off;
    if (!cfg->dsdt || cfg->dsdt_len < ACPI_HEADER_LEN || memcmp(cfg->dsdt, "DSDT", 4) ||
        ld32(cfg->dsdt + 4) != cfg->dsdt_len)
        fatal("acpi: the DSDT image is not a DSDT table");
    off = blob_alloc(t, cfg->dsdt_len, 8);
    memcpy(at(t, off), cfg->dsdt, cfg->dsdt_len);
    return off;
}

enum {
    FADT_LEN = 244,
    FADT_FIRMWARE_CTRL = 36, FADT_DSDT = 40, FADT_X_DSDT = 140,
};

/* FADT flags (ACPI 2.0 Table 5-10). */
enum {
    FADT_F_WBINVD = 1u << 0, FADT_F_PROC_C1 = 1u << 2, FADT_F_SLP_BUTTON = 1u << 5,
    FADT_F_RESET_REG_SUP = 1u << 10,
};

static uint32_t build_fadt(Blob *t, const AcpiConfig *cfg, uint32_t facs, uint32_t dsdt)
{
    uint32_t off = table_begin(t, "FACP", 3, FADT_LEN, 8);
    uint8_t *f = at(t, off);

    st32(f + FADT_FIRMWARE_CTRL, facs);
    st32(f + FADT_DSDT, dsdt);
    f[44] = 1;                              /* INT_MODEL (1.0): APIC */
    st16(f + 46, cfg->sci_irq);
    /* SMI_CMD (48) = 0: no SMM, the hardware is always in ACPI mode. */
    st32(f + 56, cfg->pm_base);             /* PM1a_EVT_BLK */
    st32(f + 64, cfg->pm_base + 4);         /* PM1a_CNT_BLK */
    st32(f + 76, cfg->pm_base + 8);         /* PM_TMR_BLK */
    st32(f + 80, cfg->gpe0_base);           /* GPE0_BLK */
    f[88] = 4;                              /* PM1_EVT_LEN */
    f[89] = 2;                              /* PM1_CNT_LEN */
    f[91] = 4;                              /* PM_TMR_LEN */
    f[92] = 4;                              /* GPE0_BLK_LEN */
    st16(f + 96, 0xfff);                    /* P_LVL2_LAT > 100: no C2 */
    st16(f + 98, 0xfff);                    /* P_LVL3_LAT > 1000: no C3 */
    f[108] = 0x32;                          /* CENTURY: CMOS index */
    st16(f + 109, 0x0003);                  /* IAPC_BOOT_ARCH: legacy devices, 8042 */
    st32(f + 112, FADT_F_WBINVD | FADT_F_PROC_C1 | FADT_F_SLP_BUTTON |
                  (cfg->reset_port ? FADT_F_RESET_REG_SUP : 0));
    if (cfg->reset_port) {
        put_gas(f + 116, 1, 8, cfg->reset_port);
        f[128] = cfg->reset_value;
    }
    st64(f + FADT_X_DSDT, dsdt);
    put_gas(f + 148, 1, 32, cfg->pm_base);      /* X_PM1a_EVT_BLK */
    put_gas(f + 172, 1, 16, cfg->pm_base + 4);  /* X_PM1a_CNT_BLK */
    put_gas(f + 208, 1, 32, cfg->pm_base + 8);  /* X_PM_TMR_BLK */
    put_gas(f + 220, 1, 32, cfg->gpe0_base);    /* X_GPE0_BLK */
    return off;
}

/* MADT interrupt source override flags (ACPI 2.0 Table 5-22). */
#define MPS_ACTIVE_HIGH 0x1
#define MPS_LEVEL 0xc

static void madt_override(Blob *t, uint8_t irq, uint32_t gsi, uint16_t flags)
{
    uint8_t *e = at(t, blob_alloc(t, 10, 1));
    e[0] = 2;
    e[1] = 10;
    e[2] = 0;                   /* bus: ISA */
    e[3] = irq;
    st32(e + 4, gsi);
    st16(e + 8, flags);
}

static uint32_t build_madt(Blob *t, const AcpiConfig *cfg)
{
    static const uint8_t pci_irqs[] = { 5, 9, 10, 11 };   /* PCI links and the SCI */
    uint32_t off = table_begin(t, "APIC", 1, ACPI_HEADER_LEN + 8, 8);
    uint8_t *e;

    st32(at(t, off + 36), cfg->lapic_addr);
    st32(at(t, off + 40), 1);                   /* PCAT_COMPAT: there are 8259s */
    for (int i = 0; i < cfg->ncpus; i++) {
        e = at(t, blob_alloc(t, 8, 1));         /* processor local APIC */
        e[0] = 0;
        e[1] = 8;
        e[2] = i;                               /* ACPI processor ID */
        e[3] = i;                               /* APIC ID */
        st32(e + 4, 1);                         /* enabled */
    }
    e = at(t, blob_alloc(t, 12, 1));            /* I/O APIC */
    e[0] = 1;
    e[1] = 12;
    e[2] = cfg->ioapic_id;
    st32(e + 4, cfg->ioapic_addr);
    st32(e + 8, 0);                             /* GSI base */
    madt_override(t, 0, 2, 0);                  /* the PIT sits on pin 2 */
    for (size_t i = 0; i < ARRAY_SIZE(pci_irqs); i++)
        madt_override(t, pci_irqs[i], pci_irqs[i], MPS_ACTIVE_HIGH | MPS_LEVEL);
    e = at(t, blob_alloc(t, 6, 1));             /* local APIC NMI: LINT1 */
    e[0] = 4;
    e[1] = 6;
    e[2] = 0xff;                                /* all processors */
    st16(e + 3, 0);
    e[5] = 1;
    st32(at(t, off + 4), t->len - off);
    return off;
}

static uint32_t build_hpet(Blob *t, const AcpiConfig *cfg)
{
    uint32_t off = table_begin(t, "HPET", 1, 56, 8);
    uint8_t *h = at(t, off);
    st32(h + 36, HPET_CAP_ID_LOW);              /* event timer block ID */
    put_gas(h + 40, 0, 64, cfg->hpet_addr);
    h[52] = 0;                                  /* HPET number */
    st16(h + 53, 0x80);                         /* minimum periodic tick */
    h[55] = 0;                                  /* no page protection */
    return off;
}

/* -- Loader commands -- */

static uint8_t *loader_entry(Blob *l, uint32_t command)
{
    uint8_t *e = at(l, blob_alloc(l, ACPI_LOADER_ENTRY_SIZE, 1));
    st32(e, command);
    return e;
}

static void put_name(uint8_t *p, const char *name)
{
    strncpy((char *)p, name, ACPI_LOADER_FILESZ - 1);
}

static void loader_allocate(Blob *l, const char *file, uint32_t align, uint8_t zone)
{
    uint8_t *e = loader_entry(l, ACPI_LOADER_ALLOCATE);
    put_name(e + 4, file);
    st32(e + 60, align);
    e[64] = zone;
}

/* Add src's address to the `size`-byte value at dest+offset. */
static void loader_add_pointer(Blob *l, const char *dest, const char *src, uint32_t offset,
                               uint8_t size)
{
    uint8_t *e = loader_entry(l, ACPI_LOADER_ADD_POINTER);
    put_name(e + 4, dest);
    put_name(e + 60, src);
    st32(e + 116, offset);
    e[120] = size;
}

static void loader_add_checksum(Blob *l, const char *file, uint32_t cksum, uint32_t start,
                                uint32_t len)
{
    uint8_t *e = loader_entry(l, ACPI_LOADER_ADD_CHECKSUM);
    put_name(e + 4, file);
    st32(e + 60, cksum);
    st32(e + 64, start);
    st32(e + 68, len);
}

static void loader_checksum_table(Blob *l, Blob *t, uint32_t off)
{
    loader_add_checksum(l, ACPI_FILE_TABLES, off + 9, off, ld32(at(t, off + 4)));
}

/* -- Putting it together -- */

static uint32_t build_rsdt(Blob *t, Blob *l, const uint32_t *tables, int n)
{
    uint32_t off = table_begin(t, "RSDT", 1, ACPI_HEADER_LEN + 4 * n, 8);
    for (int i = 0; i < n; i++) {
        st32(at(t, off + ACPI_HEADER_LEN + 4 * i), tables[i]);
        loader_add_pointer(l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, off + ACPI_HEADER_LEN + 4 * i, 4);
    }
    loader_checksum_table(l, t, off);
    return off;
}

static void build_rsdp(Blob *r, Blob *l, uint32_t rsdt)
{
    uint32_t off = blob_alloc(r, 20, 1);
    memcpy(at(r, off), "RSD PTR ", 8);
    memcpy(at(r, off + 9), ACPI_OEM_ID, 6);
    at(r, off)[15] = 0;                         /* revision 0: ACPI 1.0 form */
    st32(at(r, off + 16), rsdt);
    loader_add_pointer(l, ACPI_FILE_RSDP, ACPI_FILE_TABLES, off + 16, 4);
    loader_add_checksum(l, ACPI_FILE_RSDP, off + 8, off, 20);
}

void acpi_tables_build(const AcpiConfig *cfg, AcpiBlobs *out)
{
    Blob t = { 0 }, r = { 0 }, l = { 0 };
    uint32_t facs, dsdt, fadt, list[3];
    int n = 0;

    loader_allocate(&l, ACPI_FILE_TABLES, 64, ACPI_LOADER_ZONE_HIGH);
    loader_allocate(&l, ACPI_FILE_RSDP, 16, ACPI_LOADER_ZONE_FSEG);

    facs = build_facs(&t);
    dsdt = build_dsdt(&t, cfg);
    fadt = build_fadt(&t, cfg, facs, dsdt);
    loader_add_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, fadt + FADT_FIRMWARE_CTRL, 4);
    loader_add_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, fadt + FADT_DSDT, 4);
    loader_add_pointer(&l, ACPI_FILE_TABLES, ACPI_FILE_TABLES, fadt + FADT_X_DSDT, 8);
    loader_checksum_table(&l, &t, fadt);
    list[n++] = fadt;

    list[n] = build_madt(&t, cfg);
    loader_checksum_table(&l, &t, list[n++]);
    if (cfg->hpet) {
        list[n] = build_hpet(&t, cfg);
        loader_checksum_table(&l, &t, list[n++]);
    }
    build_rsdp(&r, &l, build_rsdt(&t, &l, list, n));

    out->tables = t.data;
    out->tables_len = t.len;
    out->rsdp = r.data;
    out->rsdp_len = r.len;
    out->loader = l.data;
    out->loader_len = l.len;
}

void acpi_blobs_free(AcpiBlobs *b)
{
    free(b->tables);
    free(b->rsdp);
    free(b->loader);
    memset(b, 0, sizeof(*b));
}

void acpi_config_default(AcpiConfig *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->pm_base = 0x600;
    cfg->gpe0_base = 0xafe0;
    cfg->sci_irq = 9;
    cfg->reset_port = 0xcf9;
    cfg->reset_value = 0x06;                /* PIIX3 RCR: hard reset */
    cfg->ncpus = 1;
    cfg->lapic_addr = 0xfee00000u;
    cfg->ioapic_addr = 0xfec00000u;
    cfg->ioapic_id = 0;
    cfg->hpet = true;
    cfg->hpet_addr = 0xfed00000u;
}

void acpi_tables_install(FwCfg *fw, const AcpiConfig *cfg)
{
    AcpiConfig c = *cfg;
    AcpiBlobs b;
    uint8_t *aml = NULL;
    size_t len;

    if (!c.dsdt) {
        aml = firmware_load(ACPI_DSDT_FIRMWARE, &len, "emu's bios/ (build with iasl)");
        c.dsdt = aml;
        c.dsdt_len = (uint32_t)len;
    }
    acpi_tables_build(&c, &b);
    fw_cfg_add_file(fw, ACPI_FILE_TABLES, b.tables, b.tables_len);
    fw_cfg_add_file(fw, ACPI_FILE_RSDP, b.rsdp, b.rsdp_len);
    fw_cfg_add_file(fw, ACPI_FILE_LOADER, b.loader, b.loader_len);
    acpi_blobs_free(&b);
    free(aml);
}
