/* i440fx.c — 82441FX host bridge: PCI header and PAM shadow control.
 *
 * Each PAM chunk is one memmap region at PRIO_OVERLAY over the RAM mapping;
 * a PAM write only swaps the chunk's read and write backings (DRAM, the
 * BIOS ROM alias, or nothing), so the flat view is rebuilt only for chunks
 * whose attributes changed. SeaBIOS relies on the write-only and read-only
 * modes to copy itself into shadow RAM and then write-protect it.
 *
 * Registers other than PAM, SMRAM and the generic header are read-only
 * here; writes that try to change them are logged as unimplemented (SeaBIOS
 * rewrites DRAMT at 0x58 unchanged with its dword PAM accesses).
 */
#include <stdlib.h>
#include "hw/i440fx.h"
#include "base/log.h"

#define I440FX_PAM0 0x59
#define I440FX_PAM6 0x5f
#define I440FX_SMRAM 0x72
#define PAM_RE 0x1
#define PAM_WE 0x2
#define PAM_CHUNKS 13           /* 12 x 16 KiB at 0xc0000, then 64 KiB at 0xf0000 */
#define ISA_BIOS_MAX 0x20000    /* the BIOS alias below 1 MiB is at most 128 KiB */
#define ONE_MIB 0x100000

struct I440fx {
    PciDevice pci;
    MemMap *mem;
    RamBlock *ram, *bios;
    MemRegion *pam[PAM_CHUNKS];
    int attr[PAM_CHUNKS];       /* attributes the backing reflects; -1: not yet set */
};

static const char *const pam_names[PAM_CHUNKS] = {
    "pam-c0000", "pam-c4000", "pam-c8000", "pam-cc000", "pam-d0000", "pam-d4000",
    "pam-d8000", "pam-dc000", "pam-e0000", "pam-e4000", "pam-e8000", "pam-ec000",
    "pam-f0000",
};

static uint32_t chunk_base(int i)
{
    return i < 12 ? 0xc0000 + i * 0x4000 : 0xf0000;
}

static uint32_t chunk_size(int i)
{
    return i < 12 ? 0x4000 : 0x10000;
}

/* PAM0[5:4] is the BIOS area; PAM1[1:0] is 0xc0000, PAM1[5:4] 0xc4000, ... */
static int chunk_attr(I440fx *s, int i)
{
    uint8_t reg;
    if (i == 12)
        return (s->pci.config[I440FX_PAM0] >> 4) & 3;
    reg = s->pci.config[I440FX_PAM0 + 1 + i / 2];
    return ((i & 1) ? reg >> 4 : reg) & 3;
}

/* What the PCI side shows at chunk i: the BIOS alias or nothing. */
static RamBlock *pci_side(I440fx *s, int i, uint64_t *offset)
{
    uint64_t alias = MIN(s->bios->size, (uint64_t)ISA_BIOS_MAX);
    uint32_t base = chunk_base(i);
    if (base < ONE_MIB - alias)
        return NULL;
    *offset = s->bios->size - (ONE_MIB - base);
    return s->bios;
}

static void pam_apply(I440fx *s, int i)
{
    int attr = chunk_attr(s, i);
    uint64_t rd_off = 0, wr_off = 0;
    RamBlock *rd = pci_side(s, i, &rd_off), *wr = NULL;

    if (attr == s->attr[i])
        return;
    s->attr[i] = attr;
    if (attr & PAM_RE) {
        rd = s->ram;
        rd_off = chunk_base(i);
    }
    if (attr & PAM_WE) {
        wr = s->ram;
        wr_off = chunk_base(i);
    }
    memmap_region_set_backing(s->mem, s->pam[i], rd, rd_off, wr, wr_off);
}

static void pam_update(I440fx *s)
{
    for (int i = 0; i < PAM_CHUNKS; i++)
        pam_apply(s, i);
}

static void i440fx_config_write(void *opaque, uint32_t offset, uint32_t value, unsigned size)
{
    I440fx *s = opaque;
    for (uint32_t a = offset; a < offset + size; a++) {
        uint8_t v = (uint8_t)(value >> (8 * (a - offset)));
        if (a >= I440FX_PAM0 && a <= I440FX_PAM6)
            continue;
        if (a == I440FX_SMRAM)
            log_unimp("i440fx: SMRAM control (0x72) has no effect: no SMM");
        else if (a >= 0x40 && v != s->pci.config[a])
            log_unimp("i440fx: config register 0x%02x", a);
    }
    if (offset <= I440FX_PAM6 && offset + size > I440FX_PAM0)
        pam_update(s);
}

static void i440fx_reset(void *opaque)
{
    I440fx *s = opaque;
    /* 82441FX datasheet register defaults: PCICMD 0006h, PCISTS 0280h, PAM 00h, SMRAM 02h. */
    pci_set_word(&s->pci, PCI_COMMAND, 0x0006);
    pci_set_word(&s->pci, PCI_STATUS, 0x0280);
    for (int r = I440FX_PAM0; r <= I440FX_PAM6; r++)
        s->pci.config[r] = 0;
    s->pci.config[I440FX_SMRAM] = 0x02;
    pam_update(s);
}

static const PciHooks i440fx_hooks = {
    .config_write = i440fx_config_write,
    .reset = i440fx_reset,
};

static void pam_map(I440fx *s)
{
    for (int i = 0; i < PAM_CHUNKS; i++) {
        s->pam[i] = memmap_map_split(s->mem, pam_names[i], chunk_base(i), chunk_size(i),
                                     NULL, 0, NULL, 0, PRIO_OVERLAY);
        if (!s->pam[i])
            panic("i440fx: %s overlaps another overlay", pam_names[i]);
        s->attr[i] = -1;
    }
}

I440fx *i440fx_new(PciBus *pb, MemMap *mem, RamBlock *ram, RamBlock *bios)
{
    I440fx *s = calloc(1, sizeof(*s));
    if (!s)
        fatal("out of memory");
    if (ram->size < ONE_MIB)
        panic("i440fx: RAM below 1 MiB cannot back the shadow areas");
    s->mem = mem;
    s->ram = ram;
    s->bios = bios;
    pci_device_init(&s->pci, pb, PCI_DEVFN(0, 0), "i440fx", 0x8086, 0x1237, 0x060000,
                    &i440fx_hooks, s);
    s->pci.config[PCI_REVISION_ID] = 0x02;
    s->pci.wmask[I440FX_PAM0] = 0x30;   /* PAM0[3:0] reserved */
    for (int r = I440FX_PAM0 + 1; r <= I440FX_PAM6; r++)
        s->pci.wmask[r] = 0x33;         /* bits 6 and 2 reserved on the 82441FX */
    s->pci.wmask[I440FX_SMRAM] = 0x78;  /* D_OPEN, D_CLS, D_LCK, G_SMRAME */
    pam_map(s);
    i440fx_reset(s);
    return s;
}

void i440fx_free(I440fx *s)
{
    free(s);
}
