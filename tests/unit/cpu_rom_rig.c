/* cpu_rom_rig.c — see cpu_rom_rig.h. No suite of its own. */
#include <stdio.h>
#include <stdlib.h>
#include "unit/cpu_rom_rig.h"

#define SLICE 200000u               /* instructions per cpu_run at most */
#define MAX_IDLE 100000             /* halted time skips in a row: a hang */

static uint64_t con_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xe9;
}

static void con_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    RomRig *r = opaque;
    if (r->nout < (int)sizeof(r->out) - 1)
        r->out[r->nout++] = (char)v;
}

static uint64_t exit_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xff;
}

static void exit_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    RomRig *r = opaque;
    r->status = (int)(((v & 0xff) << 1) | 1);
    cpu_request_exit(r->cpu);
}

static const IoOps con_ops = { con_read, con_write, 1, 1 };
static const IoOps exit_ops = { exit_read, exit_write, 1, 1 };

static void set_a20(void *opaque, bool on)
{
    RomRig *r = opaque;
    cpu_set_a20(r->cpu, on);
}

static void no_reset(void *opaque)
{
}

static void intr_out(void *opaque, int pin, int level)
{
    RomRig *r = opaque;
    cpu_set_intr(r->cpu, level);
}

static int intr_ack(void *opaque)
{
    RomRig *r = opaque;
    return r->pic ? pic_ack(r->pic) : -1;
}

static uint64_t rig_icount(void *opaque)
{
    return cpu_icount(opaque);
}

static bool load_rom(RomRig *r, const char *path)
{
    MemMap *mem = bus_memmap(r->bus);
    RamBlock *rom = memmap_new_block(mem, "rom", ROMRIG_ROM_SIZE, false);
    FILE *f = fopen(path, "rb");
    size_t n = 0;

    if (f) {
        n = fread(rom->host, 1, ROMRIG_ROM_SIZE, f);
        fclose(f);
    }
    if (n != ROMRIG_ROM_SIZE) {
        fprintf(stderr, "romrig: cannot read %u bytes from %s\n", ROMRIG_ROM_SIZE, path);
        return false;
    }
    memmap_map_rom(mem, "rom-high", 0x100000000ull - ROMRIG_ROM_SIZE, ROMRIG_ROM_SIZE, rom, 0,
                   PRIO_ROM);
    memmap_map_rom(mem, "rom-low", 0xf0000, ROMRIG_ROM_SIZE, rom, 0, PRIO_ROM);
    return true;
}

RomRig *romrig_new(CpuBackendKind backend, const char *path, unsigned flags)
{
    RomRig *r = calloc(1, sizeof(*r));
    MemMap *mem;
    I8042Hooks hooks = { .opaque = r, .set_a20 = set_a20, .reset = no_reset };

    r->status = -1;
    r->bus = bus_new();
    mem = bus_memmap(r->bus);
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_wall_epoch(r->clock, 0);
    r->ram = memmap_new_block(mem, "ram", ROMRIG_RAM, flags & ROMRIG_DIRTY_LOG);
    memmap_map_ram(mem, "ram", 0, ROMRIG_RAM, r->ram, 0, PRIO_RAM);
    if (!load_rom(r, path)) {
        bus_free(r->bus);
        vclock_free(r->clock);
        free(r);
        return NULL;
    }
    bus_map_io(r->bus, "debugcon", 0xe9, 1, &con_ops, r);
    bus_map_io(r->bus, "debug-exit", 0x501, 2, &exit_ops, r);
    r->port92 = port92_new(r->bus, &hooks);
    r->cpu = cpu_new(&(CpuConfig){ .bus = r->bus, .clock = r->clock, .backend = backend,
                                   .hooks = { .opaque = r, .intr_ack = intr_ack } });
    cpu_test_check_backend(r->cpu, backend);
    vclock_set_icount_source(r->clock, rig_icount, r->cpu, ROMRIG_ICOUNT_SHIFT);
    if (flags & ROMRIG_DEVICES) {
        r->pic = pic_new(r->bus, irq_line(intr_out, r, 0));
        r->pit = pit_new(r->bus, r->clock, irq_line(pic_set_irq, r->pic, 0));
        r->rtc = rtc_new(r->bus, r->clock, irq_line(pic_set_irq, r->pic, 8));
    }
    return r;
}

void romrig_free(RomRig *r)
{
    cpu_free(r->cpu);
    if (r->rtc)
        rtc_free(r->rtc);
    if (r->pit)
        pit_free(r->pit);
    if (r->pic)
        pic_free(r->pic);
    port92_free(r->port92);
    bus_free(r->bus);
    vclock_free(r->clock);
    free(r);
}

/* One slice of at most n instructions, ending at the next timer deadline. */
static void run_slice(RomRig *r, uint64_t n, int *idle)
{
    int64_t now = vclock_now(r->clock), dl = vclock_deadline(r->clock);
    uint64_t before = cpu_icount(r->cpu), budget = MIN(n, SLICE);
    CpuRunResult why;

    if (dl != VCLOCK_NEVER)
        budget = MIN(budget, (uint64_t)((dl - now) >> ROMRIG_ICOUNT_SHIFT) + 1);
    why = cpu_run(r->cpu, budget);
    vclock_run_timers(r->clock);
    *idle = cpu_icount(r->cpu) == before ? *idle + 1 : 0;
    if (r->status >= 0 || why == CPU_RUN_SHUTDOWN || *idle > MAX_IDLE) {
        r->done = true;
        return;
    }
    if (why == CPU_RUN_HALTED && cpu_is_halted(r->cpu)) {
        dl = vclock_deadline(r->clock);
        if (dl == VCLOCK_NEVER) {
            r->done = true;                     /* halted for good */
            return;
        }
        vclock_skip_to(r->clock, dl);
        vclock_run_timers(r->clock);
    }
}

uint64_t romrig_advance(RomRig *r, uint64_t n)
{
    uint64_t start = cpu_icount(r->cpu);
    int idle = 0;
    while (!r->done && cpu_icount(r->cpu) - start < n)
        run_slice(r, n - (cpu_icount(r->cpu) - start), &idle);
    return cpu_icount(r->cpu) - start;
}

void romrig_run(RomRig *r, uint64_t max_insns)
{
    while (!r->done && cpu_icount(r->cpu) < max_insns)
        romrig_advance(r, max_insns - cpu_icount(r->cpu));
}
