/* test_cpu_modes.c — the ROM mode tests (tests/guests/ *.asm, see their
 * README) on the bare CPU: real mode, protected mode, paging, tasks,
 * virtual-8086 mode and external interrupts.
 *
 * The rig is what the programs need and no more: RAM from 0, the 64 KiB
 * image as ROM at 4 GiB - 64 KiB and at 0xF0000, the debug console (0xE9),
 * isa-debug-exit (0x501), port 0x92 for A20 and, for interrupts.bin, the
 * 8259A pair, the 8254 and the RTC on a VClock in ICOUNT mode. A program
 * passes when it exits with status 1 ((0 << 1) | 1) after a "PASS" line;
 * on failure the test prints what the guest wrote.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "unit/testlib.h"
#include "cpu/cpu.h"
#include "hw/bus.h"
#include "hw/i8254.h"
#include "hw/i8259.h"
#include "hw/mc146818.h"
#include "hw/port92.h"

#define RIG_RAM (32u << 20)
#define ROM_SIZE 0x10000u
#define ICOUNT_SHIFT 4              /* 16 ns per instruction */

typedef struct ModeRig {
    Bus *bus;
    VClock *clock;
    Cpu *cpu;
    Pic *pic;
    Pit *pit;
    Rtc *rtc;
    Port92 *port92;
    char out[32768];
    int nout;
    int status;                     /* isa-debug-exit status, or -1 */
} ModeRig;

static uint64_t con_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xe9;
}

static void con_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    ModeRig *r = opaque;
    if (r->nout < (int)sizeof(r->out) - 1)
        r->out[r->nout++] = (char)v;
}

static uint64_t exit_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xff;
}

static void exit_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    ModeRig *r = opaque;
    r->status = (int)(((v & 0xff) << 1) | 1);
    cpu_request_exit(r->cpu);
}

static const IoOps con_ops = { con_read, con_write, 1, 1 };
static const IoOps exit_ops = { exit_read, exit_write, 1, 1 };

static void set_a20(void *opaque, bool on)
{
    ModeRig *r = opaque;
    cpu_set_a20(r->cpu, on);
}

static void no_reset(void *opaque)
{
}

static void intr_out(void *opaque, int pin, int level)
{
    ModeRig *r = opaque;
    cpu_set_intr(r->cpu, level);
}

static int intr_ack(void *opaque)
{
    ModeRig *r = opaque;
    return pic_ack(r->pic);
}

static uint64_t rig_icount(void *opaque)
{
    return cpu_icount(opaque);
}

static void load_rom(ModeRig *r, const char *name)
{
    char rel[128];
    MemMap *mem = bus_memmap(r->bus);
    RamBlock *rom = memmap_new_block(mem, "rom", ROM_SIZE, false);
    FILE *f;
    size_t n;

    snprintf(rel, sizeof(rel), "tests/guests/%s", name);
    f = fopen(test_build_path(rel), "rb");
    ck_assert_msg(f != NULL, "cannot open %s (run make guests)", test_build_path(rel));
    n = fread(rom->host, 1, ROM_SIZE, f);
    fclose(f);
    ck_assert_uint_eq(n, ROM_SIZE);
    memmap_map_rom(mem, "rom-high", 0x100000000ull - ROM_SIZE, ROM_SIZE, rom, 0, PRIO_ROM);
    memmap_map_rom(mem, "rom-low", 0xf0000, ROM_SIZE, rom, 0, PRIO_ROM);
}

static ModeRig *rig_new(const char *image, bool devices)
{
    static const I8042Hooks no_hooks;
    ModeRig *r = calloc(1, sizeof(*r));
    MemMap *mem;
    RamBlock *ram;
    I8042Hooks hooks = no_hooks;

    r->status = -1;
    r->bus = bus_new();
    mem = bus_memmap(r->bus);
    r->clock = vclock_new(VCLOCK_ICOUNT);
    vclock_set_wall_epoch(r->clock, 0);
    ram = memmap_new_block(mem, "ram", RIG_RAM, false);
    memmap_map_ram(mem, "ram", 0, RIG_RAM, ram, 0, PRIO_RAM);
    load_rom(r, image);
    bus_map_io(r->bus, "debugcon", 0xe9, 1, &con_ops, r);
    bus_map_io(r->bus, "debug-exit", 0x501, 2, &exit_ops, r);
    hooks = (I8042Hooks){ .opaque = r, .set_a20 = set_a20, .reset = no_reset };
    r->port92 = port92_new(r->bus, &hooks);
    r->cpu = cpu_new(&(CpuConfig){ .bus = r->bus, .clock = r->clock,
                                   .backend = CPU_BACKEND_INTERP,
                                   .hooks = { .opaque = r, .intr_ack = intr_ack } });
    vclock_set_icount_source(r->clock, rig_icount, r->cpu, ICOUNT_SHIFT);
    if (devices) {
        r->pic = pic_new(r->bus, irq_line(intr_out, r, 0));
        r->pit = pit_new(r->bus, r->clock, irq_line(pic_set_irq, r->pic, 0));
        r->rtc = rtc_new(r->bus, r->clock, irq_line(pic_set_irq, r->pic, 8));
    }
    return r;
}

static void rig_free(ModeRig *r)
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

/* Run until the program exits, the CPU shuts down or hangs, or max_insns. */
static void rig_run(ModeRig *r, uint64_t max_insns)
{
    while (r->status < 0 && cpu_icount(r->cpu) < max_insns) {
        int64_t now = vclock_now(r->clock), dl = vclock_deadline(r->clock);
        uint64_t budget = 200000;
        CpuRunResult why;

        if (dl != VCLOCK_NEVER)
            budget = MIN(budget, (uint64_t)((dl - now) >> ICOUNT_SHIFT) + 1);
        why = cpu_run(r->cpu, budget);
        vclock_run_timers(r->clock);
        if (why == CPU_RUN_SHUTDOWN)
            break;
        if (why == CPU_RUN_HALTED && cpu_is_halted(r->cpu)) {
            dl = vclock_deadline(r->clock);
            if (dl == VCLOCK_NEVER)
                break;              /* halted for good */
            vclock_skip_to(r->clock, dl);
            vclock_run_timers(r->clock);
        }
    }
}

static void run_image(const char *image, bool devices, uint64_t max_insns)
{
    ModeRig *r = rig_new(image, devices);
    bool pass_line;

    rig_run(r, max_insns);
    r->out[r->nout] = 0;
    pass_line = strstr(r->out, "\nPASS\n") != NULL || strncmp(r->out, "PASS\n", 5) == 0;
    if (r->status != 1 || !pass_line || strstr(r->out, "not ok") || getenv("EMU_MODES_VERBOSE"))
        fprintf(stderr, "--- %s (exit status %d, %llu instructions) ---\n%s---\n", image,
                r->status, (unsigned long long)cpu_icount(r->cpu), r->out);
    ck_assert_msg(r->status == 1, "%s: exit status %d, want 1 (PASS)", image, r->status);
    ck_assert_msg(pass_line, "%s: no PASS line", image);
    rig_free(r);
}

START_TEST(test_cpu_modes_realmode) { run_image("realmode.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_pmode) { run_image("pmode.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_paging) { run_image("paging.bin", false, 20000000); }
END_TEST
START_TEST(test_cpu_modes_tasks) { run_image("tasks.bin", false, 5000000); }
END_TEST
START_TEST(test_cpu_modes_v86) { run_image("v86.bin", false, 20000000); }
END_TEST
START_TEST(test_cpu_modes_interrupts) { run_image("interrupts.bin", true, 400000000); }
END_TEST

TEST_SUITE(cpu_modes)
{
    Suite *s = suite_create("cpu_modes");
    TCase *tc = tcase_create("roms");
    tcase_set_timeout(tc, 120);
    tcase_add_test(tc, test_cpu_modes_realmode);
    tcase_add_test(tc, test_cpu_modes_pmode);
    tcase_add_test(tc, test_cpu_modes_paging);
    tcase_add_test(tc, test_cpu_modes_tasks);
    tcase_add_test(tc, test_cpu_modes_v86);
    tcase_add_test(tc, test_cpu_modes_interrupts);
    suite_add_tcase(s, tc);
    return s;
}
