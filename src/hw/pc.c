/* pc.c — the PC board: the one place that knows addresses and wiring.
 *
 *   CPU INTR/NMI <- local APIC (0xfee00000) <- LINT0: 8259 PICs (0x20, 0xa0, ELCR 0x4d0)
 *       A20      <- i8042 output port, port 0x92
 *   I/O APIC 0xfec00000: ISA IRQ n on pin n (IRQ0 on pin 2), PIRQA-D on pins 16-19
 *   HPET 0xfed00000: the PIT and RTC interrupts pass through it (legacy replacement)
 *   Memory: RAM at 0 (one block of at most 3.5 GiB: the PCI hole lies above it)
 *           BIOS ROM at 4 GiB - size; its top 128 KiB below 1 MiB through PAM
 *   PCI 00:00.0 i440FX (PAM, SMRAM)     00:01.0 PIIX3 ISA bridge (PIRQ, RC 0xcf9)
 *       00:01.1 PIIX3 IDE (IRQ14/15)    00:01.3 ACPI PM (SCI on IRQ9)
 *       00:02.0 VGA
 *       INTA-D of slot S drive PIRQ (S - 1 + pin) & 3 (QEMU's wiring, which
 *       SeaBIOS and the DSDT assume)
 *   ISA IRQ0 PIT 0x40      IRQ1/12 i8042 0x60/0x64   IRQ8 RTC 0x70
 *       IRQ4 COM1 0x3f8    IRQ3 COM2 0x2f8   (COM3 0x3e8 IRQ4, COM4 0x2e8 IRQ3)
 *       debugcon 0xe9/0x402, POST 0x80, isa-debug-exit 0x501
 *   ISA DMA: 8237A #1 0x00-0x0f (ch 0-3), #2 0xc0-0xdf (ch 4-7, even ports),
 *       page registers 0x81-0x8f (0x80 is the POST port)
 *   RTC alarm -> ACPI PM1 RTC_STS (the FADT's RTC fixed event)
 *   fw_cfg 0x510-0x51b: what SeaBIOS reads on QEMU (RAM, CPUs, e820, boot
 *       order, ACPI tables, direct kernel boot)
 *
 * To add a device: create it in the section for its bus, give it an IRQ
 * from pc->isa_irq[] (ISA) or a PCI slot, and register its reset handler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hw/pc.h"
#include "hw/firmware.h"
#include "hw/i440fx.h"
#include "hw/piix3.h"
#include "hw/linuxboot.h"
#include "hw/block.h"
#include "hw/piix_ide.h"
#include "hw/vga.h"
#include "hw/apic.h"
#include "hw/ioapic.h"
#include "hw/hpet.h"
#include "hw/acpi_pm.h"
#include "hw/acpi_tables.h"
#include "hw/i8259.h"
#include "hw/i8254.h"
#include "hw/i8237.h"
#include "hw/mc146818.h"
#include "hw/i8042.h"
#include "hw/port92.h"
#include "hw/uart.h"
#include "hw/debugport.h"
#include "ui/chardev.h"
#include "base/log.h"

#define ONE_MIB 0x100000ull
#define FOUR_GIB 0x100000000ull
#define BIOS_MAX (16 * ONE_MIB)
#define PC_NUM_CPUS 1

/* PCI slots */
#define PC_DEVFN_PIIX3 PCI_DEVFN(1, 0)
#define PC_DEVFN_IDE PCI_DEVFN(1, 1)
#define PC_DEVFN_VGA PCI_DEVFN(2, 0)
#define PC_VGA_BIOS "vgabios-stdvga.bin"

/* QEMU's PCI subsystem IDs (Red Hat / QEMU): SeaBIOS checks the host bridge's. */
#define PC_SUBSYS_VENDOR 0x1af4
#define PC_SUBSYS_ID 0x1100

static const uint16_t com_base[EMU_MAX_SERIAL] = { 0x3f8, 0x2f8, 0x3e8, 0x2e8 };
static const int com_irq[EMU_MAX_SERIAL] = { 4, 3, 4, 3 };

struct PcBoard {
    Machine *m;
    RamBlock *ram, *bios;
    PciBus *pci;
    I440fx *i440fx;
    Piix3 *piix3;
    FwCfg *fw_cfg;
    Apic *apic;
    IoApic *ioapic;
    Hpet *hpet;
    AcpiPm *acpi_pm;
    Pic *pic;
    Pit *pit;
    Rtc *rtc;
    I8042 *i8042;
    Port92 *port92;
    I8237 *dma[2];
    DmaPage *dma_page;
    Uart *uart[EMU_MAX_SERIAL];
    DebugPort *debugport;
    PiixIde *ide;
    BlockDev *disks[EMU_MAX_DRIVES];
    Vga *vga;
    IrqLine isa_irq[PIIX3_NUM_ISA_IRQS];
    CharDev *console;       /* the first mon:stdio chardev (the monitor joins it) */
};

/* -- Interrupt wiring ------------------------------------------------------------ */

static void pc_cpu_intr(void *opaque, int pin, int level)
{
    PcBoard *pc = opaque;
    if (pc->m->cpu)
        cpu_set_intr(pc->m->cpu, level);
}

static void pc_cpu_nmi(void *opaque, int pin, int level)
{
    PcBoard *pc = opaque;
    if (level && pc->m->cpu)
        cpu_raise_nmi(pc->m->cpu);
}

/* An ISA IRQ line goes to the PIC input and the I/O APIC pin of the same
 * number, except IRQ0 which is on pin 2 (the MADT's override). */
static void pc_isa_irq(void *opaque, int irq, int level)
{
    PcBoard *pc = opaque;
    pic_set_irq(pc->pic, irq, level);
    if (irq != 2)
        ioapic_set_irq(pc->ioapic, irq == 0 ? 2 : irq, level);
}

static void pc_pci_intx(void *opaque, PciDevice *dev, int pin, int level)
{
    PcBoard *pc = opaque;
    int pirq = (PCI_SLOT(dev->devfn) + pin + 3) & 3;      /* (slot - 1 + pin) & 3 */
    piix3_set_pirq(pc->piix3, pirq, dev->devfn * 4 + pin, level);
}

/* The local APIC's ExtINT acknowledge: an INTA cycle on the 8259. */
static int pc_pic_ack(void *opaque)
{
    PcBoard *pc = opaque;
    return pic_ack(pc->pic);
}

static int pc_intr_ack(void *opaque)
{
    PcBoard *pc = opaque;
    return apic_intr_ack(pc->apic);
}

static void pc_apic_base_write(void *opaque, uint64_t value)
{
    PcBoard *pc = opaque;
    apic_set_base(pc->apic, value);
}

/* -- Machine requests from devices ------------------------------------------------- */

static void pc_request_reset(void *opaque)
{
    PcBoard *pc = opaque;
    machine_request(pc->m, MACHINE_REQ_RESET, 0);
}

static void pc_rcr_reset(void *opaque, bool hard)
{
    /* A soft reset is an INIT; without INIT support both reset the machine. */
    pc_request_reset(opaque);
}

static void pc_poweroff(void *opaque)
{
    PcBoard *pc = opaque;
    machine_request(pc->m, MACHINE_REQ_POWEROFF, 0);
}

/* Ctrl-A x on a mon:stdio terminal. */
static void pc_quit(void *opaque)
{
    PcBoard *pc = opaque;
    machine_request(pc->m, MACHINE_REQ_QUIT, 0);
}

static void pc_rtc_alarm(void *opaque)
{
    PcBoard *pc = opaque;
    acpi_pm_rtc_alarm(pc->acpi_pm);
}

static void pc_set_a20(void *opaque, bool enabled)
{
    PcBoard *pc = opaque;
    if (pc->m->cpu)
        cpu_set_a20(pc->m->cpu, enabled);
}

static void pc_debug_exit(void *opaque, int status)
{
    PcBoard *pc = opaque;
    machine_request(pc->m, MACHINE_REQ_EXIT, status);
}

/* -- Memory ---------------------------------------------------------------------------- */

static void pc_memory(PcBoard *pc)
{
    MemMap *mem = pc->m->mem;
    const char *name = pc->m->opts.bios ? pc->m->opts.bios : "bios-256k.bin";
    uint64_t ram_size = pc->m->opts.ram_size;
    size_t size;
    uint8_t *image;

    pc->ram = memmap_new_block(mem, "pc.ram", ram_size, false);
    if (!memmap_map_ram(mem, "pc.ram", 0, ram_size, pc->ram, 0, PRIO_RAM))
        panic("pc: cannot map RAM");

    image = firmware_load(name, &size, "seabios");
    if (size == 0 || size % 0x10000 || size > BIOS_MAX)
        fatal("BIOS image '%s' is %zu bytes: it must be a multiple of 64 KiB, "
              "at most 16 MiB", name, size);
    pc->bios = memmap_new_block(mem, "pc.bios", size, false);
    memcpy(pc->bios->host, image, size);
    free(image);
    if (!memmap_map_rom(mem, "pc.bios", FOUR_GIB - size, size, pc->bios, 0, PRIO_ROM))
        panic("pc: cannot map the BIOS ROM");
}

/* -- Interrupt controllers ------------------------------------------------------------- */

static void pc_interrupts(PcBoard *pc)
{
    Bus *bus = pc->m->bus;
    pc->apic = apic_new(bus, pc->m->clock, 0, irq_line(pc_cpu_intr, pc, 0),
                        irq_line(pc_cpu_nmi, pc, 0), pc_pic_ack, pc);
    pc->pic = pic_new(bus, apic_lint_line(pc->apic, 0));
    pc->ioapic = ioapic_new(bus, IOAPIC_DEFAULT_BASE, pc->apic);
}

/* The HPET sits between the PIT/RTC and IRQ0/IRQ8 (legacy replacement). */
static void pc_hpet(PcBoard *pc)
{
    IrqLine gsi[HPET_NUM_GSI];
    for (int i = 0; i < HPET_NUM_GSI; i++)
        gsi[i] = ioapic_line(pc->ioapic, i);
    pc->hpet = hpet_new(pc->m->bus, pc->m->clock, HPET_DEFAULT_BASE, gsi,
                        irq_line(pic_set_irq, pc->pic, 0), irq_line(pic_set_irq, pc->pic, 8));
}

/* -- Chipset --------------------------------------------------------------------------- */

static void pc_chipset(PcBoard *pc)
{
    Piix3Config sb = { .opaque = pc, .reset = pc_rcr_reset };

    pc->pci = pci_bus_new(pc->m->bus, pc_pci_intx, pc);
    pci_bus_set_subsystem(pc->pci, PC_SUBSYS_VENDOR, PC_SUBSYS_ID);
    pci_bus_map_config_ports(pc->pci);
    pc->i440fx = i440fx_new(pc->pci, pc->m->mem, pc->ram, pc->bios);
    memcpy(sb.isa_irq, pc->isa_irq, sizeof(sb.isa_irq));
    for (int i = 0; i < PIIX3_NUM_PIRQS; i++)
        sb.ioapic[i] = ioapic_line(pc->ioapic, 16 + i);
    pc->piix3 = piix3_new(pc->pci, PC_DEVFN_PIIX3, &sb);
}

/* -- CMOS ------------------------------------------------------------------------------- */

/* SeaBIOS boot device codes (CMOS 0x3d/0x38, as QEMU fills them). */
static int boot_code(char letter)
{
    switch (letter) {
    case 'a': return 1;
    case 'c': return 2;
    case 'd': return 3;
    case 'n': return 4;
    }
    return 0;
}

static void cmos_put(uint8_t *cmos, bool *set, int reg, uint8_t v)
{
    cmos[reg] = v;
    set[reg] = true;
}

static void cmos_put16(uint8_t *cmos, bool *set, int reg, uint16_t v)
{
    cmos_put(cmos, set, reg, (uint8_t)v);
    cmos_put(cmos, set, reg + 1, (uint8_t)(v >> 8));
}

static void cmos_memory(const EmuOptions *o, uint8_t *cmos, bool *set)
{
    uint64_t ram = o->ram_size;
    uint64_t ext_kb = ram > ONE_MIB ? (ram - ONE_MIB) / 1024 : 0;
    uint64_t above16 = ram > 16 * ONE_MIB ? (ram - 16 * ONE_MIB) / 0x10000 : 0;
    uint64_t above4g = ram > FOUR_GIB ? (ram - FOUR_GIB) / 0x10000 : 0;

    cmos_put16(cmos, set, 0x15, 640);                       /* base memory, KiB */
    cmos_put16(cmos, set, 0x17, (uint16_t)MIN(ext_kb, 0xffffull));
    cmos_put16(cmos, set, 0x30, (uint16_t)MIN(ext_kb, 0xffffull));
    cmos_put16(cmos, set, 0x34, (uint16_t)MIN(above16, 0xffffull));  /* 64 KiB units */
    cmos_put(cmos, set, 0x5b, (uint8_t)above4g);
    cmos_put(cmos, set, 0x5c, (uint8_t)(above4g >> 8));
    cmos_put(cmos, set, 0x5d, (uint8_t)(above4g >> 16));
}

void pc_cmos_image(const EmuOptions *o, uint8_t cmos[PC_CMOS_SIZE], bool set[PC_CMOS_SIZE])
{
    const char *b = o->boot_order;
    int first = boot_code(b[0]), second = b[0] ? boot_code(b[1]) : 0;
    int third = b[0] && b[1] ? boot_code(b[2]) : 0;
    unsigned sum = 0;

    memset(cmos, 0, PC_CMOS_SIZE);
    memset(set, 0, PC_CMOS_SIZE);
    /* 0x10-0x2d: no floppy, legacy disk types 0 (SeaBIOS probes the ATA drives). */
    for (int r = 0x10; r <= 0x2d; r++)
        cmos_put(cmos, set, r, 0);
    /* Equipment: FPU present (bit 1), PS/2 mouse (bit 2), EGA/VGA display (5:4 = 0). */
    cmos_put(cmos, set, 0x14, 0x06);
    cmos_memory(o, cmos, set);
    cmos_put(cmos, set, 0x3d, (uint8_t)(second << 4 | first));
    cmos_put(cmos, set, 0x38, (uint8_t)(third << 4));      /* bit 0 = 0: check floppy sig */
    cmos_put(cmos, set, 0x5f, PC_NUM_CPUS - 1);
    for (int r = 0x10; r <= 0x2d; r++)
        sum += cmos[r];
    cmos_put(cmos, set, 0x2e, (uint8_t)(sum >> 8));        /* checksum, high byte first */
    cmos_put(cmos, set, 0x2f, (uint8_t)sum);
}

/* 0x39: two bits of BIOS CHS translation per ATA disk (SeaBIOS reads them on
 * QEMU): none (0) while 16 heads x 63 sectors reach the end of the disk in
 * 1024 cylinders, LBA-assisted (1) beyond. */
static uint8_t cmos_disk_translation(PcBoard *pc)
{
    uint8_t v = 0;
    for (int i = 0; i < EMU_MAX_DRIVES; i++)
        if (pc->m->opts.drives[i].media == MEDIA_DISK && pc->disks[i] &&
            block_sectors(pc->disks[i]) > 1024 * 16 * 63)
            v |= 1 << (2 * i);
    return v;
}

static void pc_cmos(PcBoard *pc)
{
    uint8_t cmos[PC_CMOS_SIZE];
    bool set[PC_CMOS_SIZE];
    pc_cmos_image(&pc->m->opts, cmos, set);
    for (int r = 0; r < PC_CMOS_SIZE; r++)
        if (set[r])
            rtc_set_cmos(pc->rtc, r, cmos[r]);
    rtc_set_cmos(pc->rtc, 0x39, cmos_disk_translation(pc));
}

/* -- ISA devices ----------------------------------------------------------------------- */

static bool pc_chardev_poll(void *opaque)
{
    return chardev_poll(opaque);
}

static void pc_chardev_close(void *opaque)
{
    chardev_close(opaque);
}

/* Open a -serial/-debugcon backend; NULL for "none". */
static CharDev *pc_chardev(PcBoard *pc, const char *what, const char *spec)
{
    char err[256] = "";
    bool failed = false;
    CharDevMuxHooks mux = { .opaque = pc, .quit = pc_quit };
    CharDev *chr = chardev_open(spec, &failed, err, sizeof(err));
    if (failed)
        fatal("%s %s: %s", what, spec, err);
    if (!chr)
        return NULL;
    chardev_set_mux_hooks(chr, &mux);
    if (!pc->console && !strcmp(spec, "mon:stdio"))
        pc->console = chr;
    machine_add_poll(pc->m, pc_chardev_poll, chr, chardev_fd(chr));
    machine_add_exit(pc->m, pc_chardev_close, chr);
    return chr;
}

static void pc_serial(PcBoard *pc)
{
    const EmuOptions *o = &pc->m->opts;
    const char *dflt = o->nographic ? "mon:stdio" : "stdio";
    int n = o->nserial ? o->nserial : 1;

    for (int i = 0; i < n; i++) {
        CharDev *chr = pc_chardev(pc, "-serial", o->nserial ? o->serial[i] : dflt);
        if (!chr)
            continue;
        pc->uart[i] = uart_new(pc->m->bus, pc->m->clock, com_base[i],
                               pc->isa_irq[com_irq[i]], chr);
    }
}

static void pc_isa(PcBoard *pc)
{
    Bus *bus = pc->m->bus;
    VClock *clock = pc->m->clock;
    I8042Hooks kbd = { .opaque = pc, .set_a20 = pc_set_a20, .reset = pc_request_reset };
    DebugPortHooks dbg = { .opaque = pc, .exit = pc_debug_exit };
    CharDev *debugcon = NULL;

    pc->pit = pit_new(bus, clock, hpet_pit_line(pc->hpet));
    pc->rtc = rtc_new(bus, clock, hpet_rtc_line(pc->hpet));
    pc->i8042 = i8042_new(bus, pc->isa_irq[1], pc->isa_irq[12], &kbd);
    pc->port92 = port92_new(bus, &kbd);
    pc->dma[0] = i8237_new(bus, "dma1", 0x00, 1);
    pc->dma[1] = i8237_new(bus, "dma2", 0xc0, 2);
    pc->dma_page = dma_page_new(bus, 0x81, 15);
    pc_serial(pc);
    if (pc->m->opts.debugcon)
        debugcon = pc_chardev(pc, "-debugcon", pc->m->opts.debugcon);
    pc->debugport = debugport_new(bus, debugcon, &dbg);
}

/* -- PCI devices ------------------------------------------------------------------------ */

static void pc_ide(PcBoard *pc)
{
    const EmuOptions *o = &pc->m->opts;
    MediaKind kinds[EMU_MAX_DRIVES];
    char err[256];

    for (int i = 0; i < EMU_MAX_DRIVES; i++) {
        const DriveOption *d = &o->drives[i];
        kinds[i] = d->media;
        if (d->media == MEDIA_NONE || !d->path)
            continue;
        pc->disks[i] = block_open(d->path, d->media == MEDIA_CDROM, o->snapshot, err,
                                  sizeof(err));
        if (!pc->disks[i])
            fatal("%s", err);
        machine_add_exit(pc->m, block_flush_at_exit, pc->disks[i]);
    }
    pc->ide = piix_ide_new(pc->pci, PC_DEVFN_IDE, pc->isa_irq[14], pc->isa_irq[15], pc->disks,
                           kinds, err, sizeof(err));
    if (!pc->ide)
        fatal("%s", err);
}

static void pc_pci_devices(PcBoard *pc)
{
    AcpiPmConfig pm = {
        .pci = pc->pci, .devfn = ACPI_PM_DEVFN, .clock = pc->m->clock,
        .sci = pc->isa_irq[9], .gpe0_base = ACPI_GPE0_BASE,
        .poweroff = pc_poweroff, .opaque = pc,
    };

    pc_ide(pc);
    pc->acpi_pm = acpi_pm_new(&pm);
    rtc_set_alarm_hook(pc->rtc, pc_rtc_alarm, pc);
    pc->vga = vga_new(pc->m->bus, pc->pci, PC_DEVFN_VGA, pc->m->clock, PC_VGA_BIOS);
}

/* -- Firmware configuration ------------------------------------------------------------- */

/* "etc/e820": { le64 address, le64 length, le32 type } per entry (type 1 = RAM). */
static void pc_e820(PcBoard *pc)
{
    uint8_t entry[20];
    st64(entry, 0);
    st64(entry + 8, pc->m->opts.ram_size);
    st32(entry + 16, 1);
    fw_cfg_add_file(pc->fw_cfg, "etc/e820", entry, sizeof(entry));
}

/* OpenFirmware path SeaBIOS builds for an IDE drive on the PIIX3 (00:01.1). */
static int ide_path(char *buf, size_t len, int drive)
{
    return snprintf(buf, len, "/pci@i0cf8/ide@1,1/drive@%d/disk@%d\n", drive / 2, drive % 2);
}

static int first_drive(const EmuOptions *o, MediaKind kind)
{
    for (int i = 0; i < EMU_MAX_DRIVES; i++)
        if (o->drives[i].media == kind)
            return i;
    return -1;
}

/* "bootorder": the -kernel loader ROM first, then the -boot letters as
 * device paths up to the first letter with no path (floppy, network),
 * which the CMOS order then covers. */
static void pc_bootorder(PcBoard *pc, const char *kernel_rom)
{
    const EmuOptions *o = &pc->m->opts;
    char list[512] = "";
    size_t n = 0;

    if (kernel_rom)
        n += (size_t)snprintf(list, sizeof(list), "/rom@%s\n", kernel_rom);
    for (const char *b = o->boot_order; *b; b++) {
        int drive;
        if (*b != 'c' && *b != 'd')
            break;
        drive = first_drive(o, *b == 'c' ? MEDIA_DISK : MEDIA_CDROM);
        if (drive >= 0)
            n += (size_t)ide_path(list + n, sizeof(list) - n, drive);
    }
    if (n == 0)
        return;
    list[n - 1] = '\0';     /* newline-separated, NUL-terminated */
    fw_cfg_add_file(pc->fw_cfg, "bootorder", list, (uint32_t)n);
}

/* -kernel: a bzImage or a multiboot kernel, put in fw_cfg with the option
 * ROM that loads it (src/hw/linuxboot.h); returns the ROM's fw_cfg name. */
static const char *pc_kernel(PcBoard *pc)
{
    const EmuOptions *o = &pc->m->opts;
    char err[256];
    const char *rom = linuxboot_add_kernel(pc->fw_cfg, o->kernel, o->initrd,
                                           o->append ? o->append : "", o->ram_size, err,
                                           sizeof(err));
    if (!rom || linuxboot_add_rom(pc->fw_cfg, rom, NULL, err, sizeof(err)))
        fatal("-kernel %s: %s", o->kernel, err);
    return rom;
}

static void pc_firmware_config(PcBoard *pc)
{
    const EmuOptions *o = &pc->m->opts;
    FwCfg *fw = fw_cfg_new(pc->m->bus);
    static const uint8_t uuid[16], numa[16];   /* no UUID; no NUMA nodes, one CPU */

    pc->fw_cfg = fw;
    fw_cfg_add_bytes(fw, FW_CFG_UUID, uuid, sizeof(uuid));
    fw_cfg_add_i64(fw, FW_CFG_RAM_SIZE, o->ram_size);
    fw_cfg_add_i16(fw, FW_CFG_NOGRAPHIC, o->nographic || o->display == DISPLAY_NONE);
    fw_cfg_add_i16(fw, FW_CFG_NB_CPUS, PC_NUM_CPUS);
    fw_cfg_add_i16(fw, FW_CFG_MAX_CPUS, PC_NUM_CPUS);
    fw_cfg_add_bytes(fw, FW_CFG_NUMA, numa, sizeof(numa));
    fw_cfg_add_i16(fw, FW_CFG_BOOT_MENU, 0);
    fw_cfg_add_i32(fw, FW_CFG_IRQ0_OVERRIDE, 1);   /* PIT IRQ0 is IOAPIC pin 2 */
    pc_e820(pc);
    pc_bootorder(pc, o->kernel ? pc_kernel(pc) : NULL);
}

/* The tables describe this board: acpi_config_default() holds its addresses
 * (PM 0x600, GPE0 0xafe0, SCI 9, RC 0xcf9, APIC, I/O APIC, HPET). */
static void pc_acpi(PcBoard *pc)
{
    AcpiConfig cfg;
    acpi_config_default(&cfg);
    cfg.ncpus = PC_NUM_CPUS;
    acpi_tables_install(pc->fw_cfg, &cfg);
}

/* -- Reset and teardown ----------------------------------------------------------------- */

#define RESET_FN(fn, Type, call) static void fn(void *o) { call((Type *)o); }
RESET_FN(reset_pci, PciBus, pci_bus_reset)
RESET_FN(reset_fw_cfg, FwCfg, fw_cfg_reset)
RESET_FN(reset_apic, Apic, apic_reset)
RESET_FN(reset_ioapic, IoApic, ioapic_reset)
RESET_FN(reset_hpet, Hpet, hpet_reset)
RESET_FN(reset_pic, Pic, pic_reset)
RESET_FN(reset_pit, Pit, pit_reset)
RESET_FN(reset_rtc, Rtc, rtc_reset)
RESET_FN(reset_i8042, I8042, i8042_reset)
RESET_FN(reset_port92, Port92, port92_reset)
RESET_FN(reset_dma, I8237, i8237_reset)
RESET_FN(reset_dma_page, DmaPage, dma_page_reset)
RESET_FN(reset_uart, Uart, uart_reset)
RESET_FN(reset_debugport, DebugPort, debugport_reset)

/* The i8042 output port resets with A20 high and port 0x92 with bit 1
 * low; A20 follows the last writer, so after a reset it is enabled (or the
 * reset vector at 0xfffffff0 would be fetched from 0xffeffff0). */
static void reset_a20(void *opaque)
{
    pc_set_a20(opaque, true);
}

static void pc_resets(PcBoard *pc)
{
    Machine *m = pc->m;
    machine_add_reset(m, reset_apic, pc->apic);
    machine_add_reset(m, reset_pic, pc->pic);
    machine_add_reset(m, reset_ioapic, pc->ioapic);
    machine_add_reset(m, reset_hpet, pc->hpet);
    machine_add_reset(m, reset_pci, pc->pci);
    machine_add_reset(m, reset_pit, pc->pit);
    machine_add_reset(m, reset_rtc, pc->rtc);
    machine_add_reset(m, reset_i8042, pc->i8042);
    machine_add_reset(m, reset_port92, pc->port92);
    machine_add_reset(m, reset_a20, pc);
    machine_add_reset(m, reset_dma, pc->dma[0]);
    machine_add_reset(m, reset_dma, pc->dma[1]);
    machine_add_reset(m, reset_dma_page, pc->dma_page);
    for (int i = 0; i < EMU_MAX_SERIAL; i++)
        if (pc->uart[i])
            machine_add_reset(m, reset_uart, pc->uart[i]);
    machine_add_reset(m, reset_debugport, pc->debugport);
    machine_add_reset(m, reset_fw_cfg, pc->fw_cfg);
}

static void pc_free(void *opaque)
{
    PcBoard *pc = opaque;
    fw_cfg_free(pc->fw_cfg);
    piix3_free(pc->piix3);
    i440fx_free(pc->i440fx);
    pci_bus_free(pc->pci);
    acpi_pm_free(pc->acpi_pm);
    hpet_free(pc->hpet);
    ioapic_free(pc->ioapic);
    pic_free(pc->pic);
    apic_free(pc->apic);
    pit_free(pc->pit);
    rtc_free(pc->rtc);
    i8042_free(pc->i8042);
    port92_free(pc->port92);
    i8237_free(pc->dma[0]);
    i8237_free(pc->dma[1]);
    dma_page_free(pc->dma_page);
    for (int i = 0; i < EMU_MAX_SERIAL; i++)
        if (pc->uart[i])
            uart_free(pc->uart[i]);
    debugport_free(pc->debugport);
    vga_free(pc->vga);
    for (int i = 0; i < EMU_MAX_DRIVES; i++)
        block_close(pc->disks[i]);
    pc->m->board = NULL;
    free(pc);
}

/* -- The board ---------------------------------------------------------------------------- */

PcBoard *pc_build(Machine *m)
{
    PcBoard *pc = calloc(1, sizeof(*pc));
    if (!pc)
        fatal("out of memory");
    pc->m = m;
    m->board = pc;
    for (int i = 0; i < PIIX3_NUM_ISA_IRQS; i++)
        pc->isa_irq[i] = irq_line(pc_isa_irq, pc, i);

    pc_memory(pc);
    pc_interrupts(pc);
    pc_chipset(pc);
    pc_hpet(pc);
    pc_isa(pc);
    pc_pci_devices(pc);
    pc_firmware_config(pc);
    pc_acpi(pc);
    pc_cmos(pc);
    pc_resets(pc);
    machine_add_exit(m, pc_free, pc);
    return pc;
}

static uint64_t pc_icount(void *opaque)
{
    return cpu_icount(opaque);
}

static CpuBackendKind pc_backend(AccelKind accel)
{
    switch (accel) {
    case ACCEL_INTERP: return CPU_BACKEND_INTERP;
    case ACCEL_JIT: return CPU_BACKEND_JIT;
    case ACCEL_DEFAULT: break;
    }
    return CPU_BACKEND_DEFAULT;
}

void pc_init(Machine *m)
{
    PcBoard *pc = pc_build(m);
    CpuConfig cfg = {
        .bus = m->bus,
        .clock = m->clock,
        .backend = pc_backend(m->opts.accel),
        .hooks = { .opaque = pc, .intr_ack = pc_intr_ack, .shutdown = pc_request_reset,
                   .apic_base_write = pc_apic_base_write },
    };

    m->cpu = cpu_new(&cfg);
    if (vclock_mode(m->clock) == VCLOCK_ICOUNT)
        vclock_set_icount_source(m->clock, pc_icount, m->cpu, m->opts.icount_shift);
}

PciBus *pc_pci_bus(PcBoard *pc)
{
    return pc->pci;
}

FwCfg *pc_fw_cfg(PcBoard *pc)
{
    return pc->fw_cfg;
}

/* -- For the front ends (src/ui) ------------------------------------------------------ */

DisplayDevice *pc_display(PcBoard *pc)
{
    return vga_display(pc->vga);
}

I8042 *pc_i8042(PcBoard *pc)
{
    return pc->i8042;
}

CharDev *pc_console(PcBoard *pc)
{
    return pc->console;
}

#define PC_PMBA 0x40                /* PIIX4 PM base address (datasheet 3.2) */
#define PC_PMREGMISC 0x80           /* bit 0: PM I/O space enabled */
#define PC_PWRBTN_EN (1u << 8)      /* PM1_EN (ACPI 6.x, 4.8.3.1.2) */

/* PM1_EN is read through the guest's own I/O mapping: no side effects. */
bool pc_power_button(PcBoard *pc)
{
    PciDevice *d = acpi_pm_pci(pc->acpi_pm);
    uint16_t base = pci_get_word(d, PC_PMBA) & 0xffc0;
    bool listening = (d->config[PC_PMREGMISC] & 1) && base &&
                     (bus_io_read(pc->m->bus, base + ACPI_PM1_EN, 2) & PC_PWRBTN_EN);

    acpi_pm_power_button(pc->acpi_pm);
    return listening;
}
