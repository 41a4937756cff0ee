/* test_acpi_tables.c — the ACPI blobs, checked after running the loader
 * script the way SeaBIOS does (romfile_loader: ALLOCATE = 1, ADD_POINTER =
 * 2, ADD_CHECKSUM = 3; 128-byte entries, 56-byte file names; zone 1 high
 * memory, 2 F segment). Field offsets: ACPI 2.0 5.2.4.3 (RSDP), 5.2.6
 * (header), 5.2.7 (RSDT), 5.2.8 (FADT), 5.2.9 (FACS), 5.2.10.4 (MADT);
 * HPET spec 1.0a 3.2.4. */
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include "unit/testlib.h"
#include "hw/acpi_tables.h"
#include "hw/fw_cfg.h"

#define TABLES_ADDR 0x07fe0000u
#define RSDP_ADDR 0x000f5a40u

/* Guest memory after loading: the two allocated files. */
typedef struct Loaded {
    AcpiBlobs b;
    uint8_t *dsdt;
    long dsdt_len;
    int commands[4];        /* count per command type */
} Loaded;

static uint8_t *file_data(Loaded *l, const char *name, uint32_t *addr, uint32_t *len)
{
    if (!strcmp(name, "etc/acpi/tables")) {
        *addr = TABLES_ADDR;
        *len = l->b.tables_len;
        return l->b.tables;
    }
    ck_assert_str_eq(name, "etc/acpi/rsdp");
    *addr = RSDP_ADDR;
    *len = l->b.rsdp_len;
    return l->b.rsdp;
}

static uint8_t sum(const uint8_t *p, uint32_t n)
{
    uint8_t s = 0;
    while (n--)
        s += *p++;
    return s;
}

static void run_command(Loaded *l, const uint8_t *e)
{
    uint32_t cmd = ld32(e), addr, len, saddr, slen;
    uint8_t *d;
    ck_assert(cmd >= 1 && cmd <= 3);
    l->commands[cmd]++;
    d = file_data(l, (const char *)e + 4, &addr, &len);
    if (cmd == 1) {
        ck_assert_uint_eq(addr % ld32(e + 60), 0);
    } else if (cmd == 2) {
        uint32_t off = ld32(e + 116);
        uint8_t size = e[120];
        uint64_t v = 0;
        file_data(l, (const char *)e + 60, &saddr, &slen);
        ck_assert(size == 4 || size == 8);
        ck_assert_uint_le(off + size, len);
        memcpy(&v, d + off, size);
        ck_assert_uint_lt(v, slen);      /* an offset into the source */
        v += saddr;
        memcpy(d + off, &v, size);
    } else {
        uint32_t off = ld32(e + 60), start = ld32(e + 64), n = ld32(e + 68);
        ck_assert_uint_le(start + n, len);
        d[off] -= sum(d + start, n);
    }
}

static void load(Loaded *l, bool hpet)
{
    AcpiConfig cfg;
    FILE *f = fopen(test_build_path("bios/acpi-dsdt.aml"), "rb");
    ck_assert_msg(f, "bios/acpi-dsdt.aml not built");
    memset(l, 0, sizeof(*l));
    fseek(f, 0, SEEK_END);
    l->dsdt_len = ftell(f);
    rewind(f);
    l->dsdt = malloc(l->dsdt_len);
    ck_assert_int_eq(fread(l->dsdt, 1, l->dsdt_len, f), l->dsdt_len);
    fclose(f);

    acpi_config_default(&cfg);
    cfg.hpet = hpet;
    cfg.dsdt = l->dsdt;
    cfg.dsdt_len = l->dsdt_len;
    acpi_tables_build(&cfg, &l->b);
    ck_assert_uint_eq(l->b.loader_len % 128, 0);
    for (uint32_t i = 0; i < l->b.loader_len; i += 128)
        run_command(l, l->b.loader + i);
}

static void unload(Loaded *l)
{
    acpi_blobs_free(&l->b);
    free(l->dsdt);
}

/* The table at a guest address, checked for signature and checksum. */
static uint8_t *table(Loaded *l, uint32_t addr, const char *sig)
{
    uint8_t *t;
    ck_assert_uint_ge(addr, TABLES_ADDR);
    ck_assert_uint_lt(addr, TABLES_ADDR + l->b.tables_len);
    t = l->b.tables + (addr - TABLES_ADDR);
    ck_assert_msg(!memcmp(t, sig, 4), "expected %s", sig);
    if (strcmp(sig, "FACS"))
        ck_assert_uint_eq(sum(t, ld32(t + 4)), 0);
    return t;
}

static uint8_t *rsdt(Loaded *l)
{
    uint8_t *r = l->b.rsdp;
    ck_assert_uint_eq(l->b.rsdp_len, 20);
    ck_assert(!memcmp(r, "RSD PTR ", 8));
    ck_assert_uint_eq(sum(r, 20), 0);
    ck_assert_uint_eq(r[15], 0);                 /* revision 0 */
    return table(l, ld32(r + 16), "RSDT");
}

START_TEST(test_acpi_tables_loader_encoding)
{
    Loaded l;
    load(&l, true);
    ck_assert_uint_eq(ld32(l.b.loader), 1);
    ck_assert_str_eq((char *)l.b.loader + 4, "etc/acpi/tables");
    ck_assert_uint_eq(ld32(l.b.loader + 60), 64);
    ck_assert_uint_eq(l.b.loader[64], 1);        /* high memory */
    ck_assert_uint_eq(ld32(l.b.loader + 128), 1);
    ck_assert_str_eq((char *)l.b.loader + 132, "etc/acpi/rsdp");
    ck_assert_uint_eq(ld32(l.b.loader + 188), 16);
    ck_assert_uint_eq(l.b.loader[192], 2);       /* F segment */
    ck_assert_int_eq(l.commands[1], 2);
    /* FACS + DSDT + X_DSDT in the FADT, 3 RSDT entries, RSDP -> RSDT. */
    ck_assert_int_eq(l.commands[2], 7);
    /* FADT, MADT, HPET, RSDT, RSDP. */
    ck_assert_int_eq(l.commands[3], 5);
    unload(&l);
}
END_TEST

START_TEST(test_acpi_tables_rsdt_entries)
{
    Loaded l;
    uint8_t *r;
    load(&l, true);
    r = rsdt(&l);
    ck_assert_uint_eq(ld32(r + 4), 36 + 3 * 4);
    table(&l, ld32(r + 36), "FACP");
    table(&l, ld32(r + 40), "APIC");
    table(&l, ld32(r + 44), "HPET");
    unload(&l);

    load(&l, false);
    r = rsdt(&l);
    ck_assert_uint_eq(ld32(r + 4), 36 + 2 * 4);
    unload(&l);
}
END_TEST

START_TEST(test_acpi_tables_fadt_fields)
{
    Loaded l;
    uint8_t *f, *facs;
    load(&l, true);
    f = table(&l, ld32(rsdt(&l) + 36), "FACP");
    ck_assert_uint_eq(ld32(f + 4), 244);
    ck_assert_uint_eq(f[8], 3);
    facs = table(&l, ld32(f + 36), "FACS");
    ck_assert_uint_eq(ld32(facs + 4), 64);
    ck_assert_uint_eq(ld32(f + 36) % 64, 0);
    table(&l, ld32(f + 40), "DSDT");
    ck_assert_uint_eq(ld64(f + 140), ld32(f + 40));     /* X_DSDT */
    ck_assert_uint_eq(ld16(f + 46), 9);                 /* SCI_INT */
    ck_assert_uint_eq(ld32(f + 48), 0);                 /* SMI_CMD */
    ck_assert_uint_eq(ld32(f + 56), 0x600);             /* PM1a_EVT_BLK */
    ck_assert_uint_eq(ld32(f + 64), 0x604);             /* PM1a_CNT_BLK */
    ck_assert_uint_eq(ld32(f + 76), 0x608);             /* PM_TMR_BLK */
    ck_assert_uint_eq(ld32(f + 80), 0xafe0);            /* GPE0_BLK */
    ck_assert_uint_eq(f[88], 4);
    ck_assert_uint_eq(f[89], 2);
    ck_assert_uint_eq(f[91], 4);
    ck_assert_uint_eq(f[92], 4);
    ck_assert_uint_eq(f[108], 0x32);                    /* CENTURY */
    ck_assert_uint_eq(ld16(f + 109), 3);                /* legacy devices, 8042 */
    ck_assert_uint_eq(ld32(f + 112) & 0x25, 0x25);      /* WBINVD, PROC_C1, SLP_BUTTON */
    ck_assert_uint_eq(ld32(f + 112) & (1 << 8), 0);     /* 24-bit PM timer */
    ck_assert_uint_eq(f[116], 1);                       /* RESET_REG in I/O space */
    ck_assert_uint_eq(ld64(f + 120), 0xcf9);
    ck_assert_uint_eq(f[128], 6);
    ck_assert_uint_eq(f[208], 1);                       /* X_PM_TMR_BLK */
    ck_assert_uint_eq(f[209], 32);
    ck_assert_uint_eq(ld64(f + 212), 0x608);
    unload(&l);
}
END_TEST

START_TEST(test_acpi_tables_madt_entries)
{
    Loaded l;
    uint8_t *m, *e, *end;
    int lapics = 0, ioapics = 0, nmis = 0, overrides = 0;
    load(&l, true);
    m = table(&l, ld32(rsdt(&l) + 40), "APIC");
    ck_assert_uint_eq(ld32(m + 36), 0xfee00000u);
    ck_assert_uint_eq(ld32(m + 40), 1);                 /* PCAT_COMPAT */
    end = m + ld32(m + 4);
    for (e = m + 44; e < end; e += e[1]) {
        ck_assert_uint_gt(e[1], 0);
        switch (e[0]) {
        case 0:
            ck_assert_uint_eq(e[1], 8);
            ck_assert_uint_eq(e[3], 0);                 /* APIC ID */
            ck_assert_uint_eq(ld32(e + 4) & 1, 1);
            lapics++;
            break;
        case 1:
            ck_assert_uint_eq(e[1], 12);
            ck_assert_uint_eq(e[2], 0);
            ck_assert_uint_eq(ld32(e + 4), 0xfec00000u);
            ck_assert_uint_eq(ld32(e + 8), 0);
            ioapics++;
            break;
        case 2:
            ck_assert_uint_eq(e[1], 10);
            ck_assert_uint_eq(e[2], 0);                 /* ISA */
            if (e[3] == 0) {
                ck_assert_uint_eq(ld32(e + 4), 2);
                ck_assert_uint_eq(ld16(e + 8), 0);      /* conforming */
            } else {
                ck_assert(e[3] == 5 || e[3] == 9 || e[3] == 10 || e[3] == 11);
                ck_assert_uint_eq(ld32(e + 4), e[3]);
                ck_assert_uint_eq(ld16(e + 8), 0x000d); /* level, active high */
            }
            overrides++;
            break;
        case 4:
            ck_assert_uint_eq(e[1], 6);
            ck_assert_uint_eq(e[2], 0xff);
            ck_assert_uint_eq(e[5], 1);                 /* LINT1 */
            nmis++;
            break;
        default:
            ck_abort_msg("unexpected MADT entry type %d", e[0]);
        }
    }
    ck_assert(e == end);
    ck_assert_int_eq(lapics, 1);
    ck_assert_int_eq(ioapics, 1);
    ck_assert_int_eq(overrides, 5);
    ck_assert_int_eq(nmis, 1);
    unload(&l);
}
END_TEST

START_TEST(test_acpi_tables_hpet_and_dsdt)
{
    Loaded l;
    uint8_t *h, *d, *f;
    load(&l, true);
    h = table(&l, ld32(rsdt(&l) + 44), "HPET");
    ck_assert_uint_eq(ld32(h + 4), 56);
    ck_assert_uint_eq(ld32(h + 36), 0x8086a201u);
    ck_assert_uint_eq(h[40], 0);                        /* system memory */
    ck_assert_uint_eq(ld64(h + 44), 0xfed00000u);
    f = table(&l, ld32(rsdt(&l) + 36), "FACP");
    d = table(&l, ld32(f + 40), "DSDT");
    ck_assert_uint_eq(ld32(d + 4), (uint32_t)l.dsdt_len);
    ck_assert(!memcmp(d, l.dsdt, l.dsdt_len));          /* copied as compiled */
    unload(&l);
}
END_TEST

/* fw_cfg directory (QEMU fw_cfg.txt): key 0x19 at selector port 0x510,
 * data at 0x511; be32 count, then 64-byte entries: be32 size, be16 key,
 * u16 reserved, name[56]. */
static uint32_t fw_file_size(Bus *bus, const char *name)
{
    uint8_t e[64];
    uint32_t n = 0;
    bus_io_write(bus, 0x510, 0x19, 2);
    for (int i = 0; i < 4; i++)
        n = n << 8 | (uint8_t)bus_io_read(bus, 0x511, 1);
    while (n--) {
        for (int i = 0; i < 64; i++)
            e[i] = (uint8_t)bus_io_read(bus, 0x511, 1);
        if (!strcmp((char *)e + 8, name))
            return (uint32_t)e[0] << 24 | e[1] << 16 | e[2] << 8 | e[3];
    }
    return 0;
}

START_TEST(test_acpi_tables_install_fw_cfg)
{
    Loaded l;
    AcpiConfig cfg;
    Bus *bus = bus_new();
    FwCfg *fw = fw_cfg_new(bus);
    load(&l, true);
    acpi_config_default(&cfg);
    cfg.dsdt = l.dsdt;
    cfg.dsdt_len = l.dsdt_len;
    acpi_tables_install(fw, &cfg);
    ck_assert_uint_eq(fw_file_size(bus, "etc/acpi/tables"), l.b.tables_len);
    ck_assert_uint_eq(fw_file_size(bus, "etc/acpi/rsdp"), 20);
    ck_assert_uint_eq(fw_file_size(bus, "etc/table-loader"), l.b.loader_len);
    unload(&l);
    fw_cfg_free(fw);
    bus_free(bus);
}
END_TEST

TEST_SUITE(acpi_tables)
{
    Suite *s = suite_create("acpi_tables");
    TCase *tc = tcase_create("acpi_tables");
    tcase_add_test(tc, test_acpi_tables_loader_encoding);
    tcase_add_test(tc, test_acpi_tables_rsdt_entries);
    tcase_add_test(tc, test_acpi_tables_fadt_fields);
    tcase_add_test(tc, test_acpi_tables_madt_entries);
    tcase_add_test(tc, test_acpi_tables_hpet_and_dsdt);
    tcase_add_test(tc, test_acpi_tables_install_fw_cfg);
    suite_add_tcase(s, tc);
    return s;
}
