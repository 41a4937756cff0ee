/* test_cpu_lockstep.c — the interpreter and the JIT side by side (suite
 * cpu_lockstep): the same guest program runs on two CPUs, one per backend,
 * both advanced by the same number of instructions at a time (cpu_run
 * stops after exactly n), and after every step of K instructions (K drawn
 * from 1..kmax, so steps end anywhere inside blocks and chains) the whole
 * architectural state must agree: CpuRegs, the FXSAVE image, the
 * instruction count, halted/ended, what the devices saw (console text,
 * exit status), and RAM. Both RAMs are in this process, so RAM is compared
 * byte for byte rather than by hash: after every step the pages either
 * side wrote (the RAM blocks keep dirty bits, memmap.h), and all of it
 * every LS_ROM_FULL_EVERY (benchmark: LS_BENCH_FULL_EVERY) steps and at
 * the end of a ROM, and of one random sequence in LS_SEQ_FULL_ONE_IN
 * (which also catches a write that missed its dirty bit). It doubles as a
 * fuzzer of the JIT with the interpreter as the oracle.
 *
 * Programs: the ROM mode tests (build/tests/guests/ *.bin, each to its
 * end, and its first LS_ROM_SINGLE instructions one at a time), the
 * benchmark guest (build/bench/guest.bin from bench/guest/build; skipped
 * when absent; its first LS_BENCH_INSNS instructions) and random sequences
 * from cpu_diff's generator (cpu_diff_gen.h), run one after the other on
 * the same two CPUs as test_cpu_diff.c does.
 *
 * When the states differ, the run is replayed on fresh CPUs (everything is
 * deterministic: VClock in instruction-count mode) to the last step where
 * all of RAM agreed too, and from there one instruction at a time: the report
 * names the first instruction (count, CS:EIP, bytes) after which the two
 * differ, and prints every field that does, for both backends.
 *
 * `make check` runs a short pass (a few seconds). Environment:
 *   EMU_LOCKSTEP_LONG=1         the long run: LS_LONG_SEQUENCES sequences,
 *                               the benchmark guest to its end, each mode
 *                               test with LS_LONG_ROM_PLANS step schedules
 *   EMU_LOCKSTEP_SEQUENCES=N    random sequences (default LS_SEQUENCES)
 *   EMU_LOCKSTEP_BENCH_INSNS=N  instructions of the benchmark guest (0: all)
 *   EMU_LOCKSTEP_SEED=S         seed of the step sizes and the sequences
 *   EMU_LOCKSTEP_VERBOSE=1      a line of figures per program
 * e.g. EMU_LOCKSTEP_LONG=1 CK_RUN_SUITE=cpu_lockstep build/tests/emu-tests
 * (with EMU_TOP and EMU_BUILD as `make check` sets them).
 *
 * Skipped (passing, with a message) on hosts without a JIT.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "unit/testlib.h"
#include "unit/cpu_diff_gen.h"
#include "unit/cpu_rom_rig.h"

#define LS_SEQUENCES 10000
#define LS_LONG_SEQUENCES 500000
#define LS_LONG_ROM_PLANS 16
#define LS_BENCH_INSNS 30000000
#define LS_SEED 0x5eedf00du
#define LS_ROM_KMAX 1000            /* step sizes: 1..kmax instructions */
#define LS_SEQ_KMAX 8
#define LS_ROM_FULL_EVERY 64        /* all of RAM compared every this many steps */
#define LS_BENCH_FULL_EVERY 1024
#define LS_SEQ_FULL_ONE_IN 16       /* sequences with full RAM comparisons: 1 in 16 */
#define LS_ONE_FULL_EVERY 1024      /* the same, one instruction at a time */
#define LS_ROM_SINGLE 30000         /* ROM instructions run one at a time */
#define LS_MAX_REPORTS 5

#ifdef EMU_HAVE_JIT

static const char *const side_name[2] = { "interp", "jit" };

/* -- One side: a CPU on a ROM rig or on a harness ----------------------------------- */

typedef struct LsSide {
    Cpu *cpu;
    MemMap *mem;
    RamBlock *ram;                  /* with dirty logging */
    RomRig *rom;                    /* one of these two */
    CpuHarness *h;
    bool owned;                     /* freed by ls_close */
} LsSide;

static uint64_t side_advance(LsSide *s, uint64_t n)
{
    return s->rom ? romrig_advance(s->rom, n) : harness_advance(s->h, n);
}

static bool side_done(const LsSide *s)
{
    return s->rom ? s->rom->done : harness_done(s->h);
}

/* FNV-1a over what the devices saw. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const uint8_t *b = p;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 0x100000001b3ull;
    return h;
}

static uint64_t side_io(const LsSide *s)
{
    uint64_t h = 0xcbf29ce484222325ull;
    if (s->rom) {
        h = fnv(h, s->rom->out, (size_t)s->rom->nout);
        return fnv(h, &s->rom->status, sizeof(s->rom->status));
    }
    h = fnv(h, s->h->out, (size_t)s->h->nout);
    h = fnv(h, s->h->post, (size_t)s->h->npost);
    return fnv(h, &s->h->stopped, sizeof(s->h->stopped));
}

/* Both RAMs are in this process: comparing them is cheaper than hashing.
 * all: every byte; else the pages either side wrote since the last call
 * (PAGE_DIRTY). Either way the dirty bits are cleared. */
static bool same_ram(LsSide s[2], bool all)
{
    RamBlock *a = s[0].ram, *b = s[1].ram;
    uint64_t npages = a->size >> GUEST_PAGE_BITS, dirty8 = PAGE_DIRTY * 0x0101010101010101ull;
    bool same = a->size == b->size;

    if (!same || all) {
        memmap_test_and_clear_dirty(s[0].mem, a, 0, a->size);
        memmap_test_and_clear_dirty(s[1].mem, b, 0, b->size);
        return same && !memcmp(a->host, b->host, a->size);
    }
    for (uint64_t p = 0; p < npages; p += 8) {
        if (p + 8 <= npages && !((ld64(a->page_flags + p) | ld64(b->page_flags + p)) & dirty8))
            continue;
        for (uint64_t q = p; q < MIN(p + 8, npages); q++) {
            uint64_t off = q << GUEST_PAGE_BITS;
            bool wa = memmap_test_and_clear_dirty(s[0].mem, a, off, GUEST_PAGE_SIZE);
            bool wb = memmap_test_and_clear_dirty(s[1].mem, b, off, GUEST_PAGE_SIZE);
            if ((wa || wb) && memcmp(a->host + off, b->host + off, GUEST_PAGE_SIZE))
                same = false;
        }
    }
    return same;
}

/* -- The state compared ------------------------------------------------------------- */

typedef struct LsState {
    CpuRegs regs;
    uint8_t fx[512];
    uint64_t icount, io;
    bool halted, done;
} LsState;

/* icount counts from base: CPUs reused for several programs keep counting. */
static void get_state(LsSide *s, uint64_t base, LsState *st)
{
    memset(st, 0, sizeof(*st));
    cpu_get_regs(s->cpu, &st->regs);
    cpu_get_fxsave(s->cpu, st->fx);
    st->icount = cpu_icount(s->cpu) - base;
    st->io = side_io(s);
    st->halted = cpu_is_halted(s->cpu);
    st->done = side_done(s);
}

/* CpuRegs as named values, in one order for both sides (name, then part:
 * "es" ".base"; index >= 0 is appended: "dr" 7). */
typedef struct LsField {
    const char *name, *part;
    int index;
    uint64_t v;
} LsField;

enum { LS_MAX_FIELDS = 96 };

static void add_field(LsField *f, int *n, const char *name, const char *part, int index,
                      uint64_t v)
{
    f[(*n)++] = (LsField){ name, part, index, v };
}

static void add_seg(LsField *f, int *n, const char *name, const CpuSegment *s)
{
    add_field(f, n, name, ".sel", -1, s->selector);
    add_field(f, n, name, ".base", -1, s->base);
    add_field(f, n, name, ".limit", -1, s->limit);
    add_field(f, n, name, ".attr", -1, s->attr);
}

static int state_fields(const LsState *st, LsField *f)
{
    static const char *const gpr[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    static const char *const seg[6] = { "es", "cs", "ss", "ds", "fs", "gs" };
    const CpuRegs *r = &st->regs;
    int n = 0;
    for (int i = 0; i < 8; i++)
        add_field(f, &n, gpr[i], "", -1, r->gpr[i]);
    add_field(f, &n, "eip", "", -1, r->eip);
    add_field(f, &n, "eflags", "", -1, r->eflags);
    for (int i = 0; i < 6; i++)
        add_seg(f, &n, seg[i], &r->seg[i]);
    add_seg(f, &n, "ldtr", &r->ldtr);
    add_seg(f, &n, "tr", &r->tr);
    add_field(f, &n, "gdt", ".base", -1, r->gdt_base);
    add_field(f, &n, "gdt", ".limit", -1, r->gdt_limit);
    add_field(f, &n, "idt", ".base", -1, r->idt_base);
    add_field(f, &n, "idt", ".limit", -1, r->idt_limit);
    add_field(f, &n, "cr0", "", -1, r->cr0);
    add_field(f, &n, "cr2", "", -1, r->cr2);
    add_field(f, &n, "cr3", "", -1, r->cr3);
    add_field(f, &n, "cr4", "", -1, r->cr4);
    for (int i = 0; i < 8; i++)
        add_field(f, &n, "dr", "", i, r->dr[i]);
    add_field(f, &n, "efer", "", -1, r->efer);
    add_field(f, &n, "icount", "", -1, st->icount);
    add_field(f, &n, "halted", "", -1, st->halted);
    add_field(f, &n, "ended", "", -1, st->done);
    add_field(f, &n, "io", " (console, exit: hash)", -1, st->io);
    return n;
}

static bool same_state(const LsState *a, const LsState *b)
{
    LsField fa[LS_MAX_FIELDS], fb[LS_MAX_FIELDS];
    int n = state_fields(a, fa);
    state_fields(b, fb);
    for (int i = 0; i < n; i++)
        if (fa[i].v != fb[i].v)
            return false;
    return !memcmp(a->fx, b->fx, sizeof(a->fx));
}

/* The FXSAVE image's rows (SDM Vol. 1 table 10-2). */
static const char *fx_row(int off, char *buf, size_t len)
{
    if (off < 32)
        snprintf(buf, len, "%s", off < 8 ? "FCW/FSW/FTW/FOP" : off < 16 ? "FIP/FCS" :
                                 off < 24 ? "FDP/FDS" : "MXCSR/MXCSR_MASK");
    else if (off < 160)
        snprintf(buf, len, "ST%d/MM%d slot", (off - 32) / 16, (off - 32) / 16);
    else if (off < 288)
        snprintf(buf, len, "XMM%d", (off - 160) / 16);
    else
        snprintf(buf, len, "reserved");
    return buf;
}

static void print_diff(const LsState *a, const LsState *b)
{
    LsField fa[LS_MAX_FIELDS], fb[LS_MAX_FIELDS];
    int n = state_fields(a, fa);
    state_fields(b, fb);
    for (int i = 0; i < n; i++) {
        char name[48];
        if (fa[i].v == fb[i].v)
            continue;
        snprintf(name, sizeof(name), "%s%s", fa[i].name, fa[i].part);
        if (fa[i].index >= 0)
            snprintf(name, sizeof(name), "%s%d", fa[i].name, fa[i].index);
        fprintf(stderr, "    %-24s interp %#llx, jit %#llx\n", name,
                (unsigned long long)fa[i].v, (unsigned long long)fb[i].v);
    }
    for (int off = 0; off < 512; off += 8) {
        char buf[32];
        if (!memcmp(a->fx + off, b->fx + off, 8))
            continue;
        fprintf(stderr, "    fxsave+%-3d %-16s interp %016llx, jit %016llx\n", off,
                fx_row(off, buf, sizeof(buf)), (unsigned long long)ld64(a->fx + off),
                (unsigned long long)ld64(b->fx + off));
    }
}

static void print_ram_diff(const LsSide s[2])
{
    const uint8_t *a = s[0].ram->host, *b = s[1].ram->host;
    uint64_t first = UINT64_MAX, count = 0;
    for (uint64_t i = 0; i < s[0].ram->size; i++)
        if (a[i] != b[i] && count++ == 0)
            first = i;
    if (!count)
        return;
    fprintf(stderr, "    RAM: %llu bytes differ, the first at %#llx:\n",
            (unsigned long long)count, (unsigned long long)first);
    for (int k = 0; k < 2; k++) {
        fprintf(stderr, "      %-6s", side_name[k]);
        for (uint64_t i = first & ~15ull; i < (first & ~15ull) + 16 && i < s[0].ram->size; i++)
            fprintf(stderr, " %02x", s[k].ram->host[i]);
        fprintf(stderr, "\n");
    }
}

/* Where side a was about to run: CS:EIP and 15 code bytes; `from`: the
 * instruction count where st's counting began. */
static void print_where(LsSide *s, const LsState *st, uint64_t from)
{
    const CpuRegs *r = &st->regs;
    uint8_t code[15];
    fprintf(stderr, "    at %04x:%08x, after %llu instructions:", r->seg[CPU_CS].selector,
            r->eip, (unsigned long long)(from + st->icount));
    if (cpu_read_virt(s->cpu, r->seg[CPU_CS].base + r->eip, code, sizeof(code)) == 0)
        for (size_t i = 0; i < sizeof(code); i++)
            fprintf(stderr, " %02x", code[i]);
    else
        fprintf(stderr, " (not mapped)");
    fprintf(stderr, "\n");
}

/* -- Programs ----------------------------------------------------------------------- */

typedef struct LsProgram {
    const char *name;
    const char *image;              /* a ROM image, or NULL for seq */
    bool devices;
    const Seq *seq;
    LsSide *reuse;                  /* run seq on these CPUs, or NULL: fresh ones */
} LsProgram;

static void ls_open(const LsProgram *p, LsSide s[2])
{
    uint8_t fill[DIFF_DATA_SIZE];
    for (int k = 0; k < 2; k++) {
        CpuBackendKind be = cpu_test_backend(k);
        if (p->reuse) {
            s[k] = p->reuse[k];
            s[k].owned = false;
        } else if (p->image) {
            unsigned flags = ROMRIG_DIRTY_LOG | (p->devices ? ROMRIG_DEVICES : 0);
            s[k] = (LsSide){ .rom = romrig_new(be, p->image, flags), .owned = true };
            ck_assert_msg(s[k].rom != NULL, "%s: cannot load %s", p->name, p->image);
            s[k].cpu = s[k].rom->cpu;
            s[k].mem = bus_memmap(s[k].rom->bus);
            s[k].ram = s[k].rom->ram;
        } else {
            s[k] = (LsSide){ .h = harness_new_logged(be, 4 << 20), .owned = true };
            s[k].cpu = s[k].h->cpu;
            s[k].mem = bus_memmap(s[k].h->bus);
            s[k].ram = s[k].h->ram;
        }
        if (p->seq)
            diff_load(s[k].h, p->seq, fill);
    }
}

static void ls_close(LsSide s[2])
{
    for (int k = 0; k < 2; k++) {
        if (!s[k].owned)
            continue;
        if (s[k].rom)
            romrig_free(s[k].rom);
        else
            harness_free(s[k].h);
    }
}

/* -- Running in lockstep ------------------------------------------------------------ */

typedef struct LsPlan {
    uint64_t seed;                  /* of the step sizes */
    uint32_t kmax;                  /* steps of 1..kmax instructions */
    uint32_t full_every;            /* all of RAM compared every this many steps and at the
                                     * end (0: never); the pages written after every step */
    uint64_t max_insns;
} LsPlan;

typedef struct LsRun {
    uint64_t steps, insns, full_checks;
    uint64_t good_step;             /* the last step after which all of RAM agreed too */
    bool diverged;
    bool full_only;                 /* only the comparison of all of RAM saw it */
    LsState before, a, b;           /* a's state before the step that diverged; both after */
} LsRun;

static uint64_t next_step(uint64_t *rng, uint32_t kmax)
{
    uint64_t r;
    *rng ^= *rng << 13;
    *rng ^= *rng >> 7;
    *rng ^= *rng << 17;
    r = *rng;
    /* a quarter of the steps are short (1..8), the rest anything up to kmax */
    return 1 + (r >> 8) % ((r & 3) == 0 ? MIN(8u, kmax) : kmax);
}

/* Step both sides until they differ, both end, max_insns more instructions
 * or stop_step steps (0: no limit). Returns whether they diverged. */
static bool lockstep(LsSide s[2], const LsPlan *p, uint64_t stop_step, LsRun *run)
{
    uint64_t rng = p->seed | 1, base[2] = { cpu_icount(s[0].cpu), cpu_icount(s[1].cpu) };
    LsState before;
    memset(run, 0, sizeof(*run));
    get_state(&s[0], base[0], &run->a);
    get_state(&s[1], base[1], &run->b);
    before = run->a;
    /* what was loaded (this also clears the dirty bits) */
    if (!same_ram(s, false) || !same_state(&run->a, &run->b))
        goto diverged;
    while (!stop_step || run->steps < stop_step) {
        uint64_t k = next_step(&rng, p->kmax);
        bool full, same_written, same_regs;
        for (int i = 0; i < 2; i++)
            side_advance(&s[i], k);
        run->steps++;
        full = p->full_every &&
               (run->steps % p->full_every == 0 || side_done(&s[0]) || side_done(&s[1]) ||
                cpu_icount(s[0].cpu) - base[0] >= p->max_insns || run->steps == stop_step);
        get_state(&s[0], base[0], &run->a);
        get_state(&s[1], base[1], &run->b);
        run->full_checks += full;
        same_written = same_ram(s, false);
        same_regs = same_state(&run->a, &run->b);
        if (!same_written || !same_regs || (full && !same_ram(s, true))) {
            run->full_only = same_written && same_regs;
            goto diverged;
        }
        run->insns = run->a.icount;
        if (full)
            run->good_step = run->steps;
        if ((run->a.done && run->b.done) || run->insns >= p->max_insns)
            break;
        before = run->a;
    }
    return false;
diverged:
    run->before = before;
    run->diverged = true;
    return true;
}

static void print_divergence(LsSide s[2], const LsRun *run, uint64_t from)
{
    print_where(&s[0], &run->before, from);
    print_diff(&run->a, &run->b);
    print_ram_diff(s);
}

/* The run diverged: replay it on fresh CPUs to the last step where all of
 * RAM agreed, then go on one instruction at a time, comparing the state
 * and the pages written after each, and all of RAM every LS_ONE_FULL_EVERY
 * instructions (a difference only that finds is a write that did not mark
 * its page dirty, and is placed within that many instructions). */
static void localize(const LsProgram *prog, const LsPlan *p, const LsRun *first)
{
    LsProgram fresh = *prog;
    LsPlan one = { .seed = 1, .kmax = 1, .full_every = LS_ONE_FULL_EVERY };
    LsSide s[2];
    LsRun run;
    uint64_t from;

    fresh.reuse = NULL;
    ls_open(&fresh, s);
    memset(&run, 0, sizeof(run));
    if (first->good_step && lockstep(s, p, first->good_step, &run)) {
        fprintf(stderr, "  replayed on fresh CPUs, they differ already after step %llu:\n",
                (unsigned long long)run.steps);
        print_divergence(s, &run, 0);
        ls_close(s);
        return;
    }
    from = run.insns;
    one.max_insns = first->a.icount + 1 - from;
    if (!lockstep(s, &one, 0, &run))
        fprintf(stderr, "  replayed on fresh CPUs one instruction at a time from instruction "
                "%llu, they agree for %llu more: the difference needs the original step "
                "sizes%s\n", (unsigned long long)from, (unsigned long long)run.insns,
                prog->reuse ? " or what the CPUs ran before (their code caches)" : "");
    else if (run.full_only)
        fprintf(stderr, "  replayed on fresh CPUs one instruction at a time from instruction "
                "%llu: RAM differs in a page not marked dirty, found after instruction %llu "
                "(written by one of the %d before it):\n", (unsigned long long)from,
                (unsigned long long)(from + run.b.icount), LS_ONE_FULL_EVERY);
    else
        fprintf(stderr, "  replayed on fresh CPUs one instruction at a time from instruction "
                "%llu (all of RAM the same there): instruction %llu is the first after which "
                "they differ:\n", (unsigned long long)from,
                (unsigned long long)(from + run.b.icount));
    if (run.diverged)
        print_divergence(s, &run, from);
    ls_close(s);
}

/* Run a program in lockstep; on a difference report it and return false. */
static bool ls_check(const LsProgram *prog, const LsPlan *p)
{
    LsSide s[2];
    LsRun run;
    bool diverged;

    ls_open(prog, s);
    diverged = lockstep(s, p, 0, &run);
    if (diverged) {
        fprintf(stderr, "cpu_lockstep: %s: interp and jit differ after step %llu (instructions "
                "%llu..%llu, steps of 1..%u, seed %#llx):\n", prog->name,
                (unsigned long long)run.steps, (unsigned long long)run.before.icount,
                (unsigned long long)run.a.icount, p->kmax, (unsigned long long)p->seed);
        print_divergence(s, &run, 0);
        if (prog->seq)
            diff_print_sequence(stderr, prog->seq, run.before.regs.eip, "   <- step start");
    }
    ls_close(s);
    if (diverged)
        localize(prog, p, &run);
    else if (getenv("EMU_LOCKSTEP_VERBOSE"))
        fprintf(stderr, "cpu_lockstep: %s: %llu instructions in %llu steps of 1..%u, all of RAM "
                "compared %llu times: the same\n", prog->name, (unsigned long long)run.insns,
                (unsigned long long)run.steps, p->kmax, (unsigned long long)run.full_checks);
    return !diverged;
}

/* -- The tests ---------------------------------------------------------------------- */

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : def;
}

static bool long_run(void)
{
    return env_u64("EMU_LOCKSTEP_LONG", 0) != 0;
}

static uint64_t bench_insns(void)               /* 0: to its end */
{
    return env_u64("EMU_LOCKSTEP_BENCH_INSNS", long_run() ? 0 : LS_BENCH_INSNS);
}

static uint64_t sequences(void)
{
    return env_u64("EMU_LOCKSTEP_SEQUENCES", long_run() ? LS_LONG_SEQUENCES : LS_SEQUENCES);
}

static LsPlan rom_plan(uint64_t max_insns, uint64_t salt, uint32_t full_every)
{
    return (LsPlan){ .seed = env_u64("EMU_LOCKSTEP_SEED", LS_SEED) * 31 + salt,
                     .kmax = LS_ROM_KMAX, .full_every = full_every, .max_insns = max_insns };
}

static const struct { const char *image; bool devices; } roms[] = {
    { "realmode.bin", false }, { "pmode.bin", false }, { "paging.bin", false },
    { "tasks.bin", false }, { "v86.bin", false }, { "interrupts.bin", true },
};

/* _i: the ROM. Steps of 1..LS_ROM_KMAX to the end (the long run tries
 * several schedules), and the first LS_ROM_SINGLE instructions one by one. */
START_TEST(test_cpu_lockstep_mode_roms)
{
    char rel[64], path[4096];
    int plans = long_run() ? LS_LONG_ROM_PLANS : 1;
    LsProgram prog = { .name = roms[_i].image, .image = path, .devices = roms[_i].devices };
    LsPlan single = { .seed = 1, .kmax = 1, .full_every = LS_ONE_FULL_EVERY,
                      .max_insns = LS_ROM_SINGLE };

    snprintf(rel, sizeof(rel), "tests/guests/%s", roms[_i].image);
    snprintf(path, sizeof(path), "%s", test_build_path(rel));
    for (int k = 0; k < plans; k++) {
        LsPlan p = rom_plan(400000000, (uint64_t)(_i + 16 * k), LS_ROM_FULL_EVERY);
        ck_assert_msg(ls_check(&prog, &p), "%s: interp and jit differ (see above)", prog.name);
    }
    ck_assert_msg(ls_check(&prog, &single), "%s: interp and jit differ one instruction at a "
                  "time (see above)", prog.name);
}
END_TEST

START_TEST(test_cpu_lockstep_bench_guest)
{
    char path[4096];
    uint64_t n = bench_insns();
    LsPlan p = rom_plan(n ? n : UINT64_MAX, 99, LS_BENCH_FULL_EVERY);
    FILE *f;
    snprintf(path, sizeof(path), "%s", test_build_path("bench/guest.bin"));
    f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "cpu_lockstep: skipped the benchmark guest: no %s "
                "(B=<build dir> bench/guest/build makes it)\n", path);
        return;
    }
    fclose(f);
    ck_assert_msg(ls_check(&(LsProgram){ .name = "bench/guest.bin", .image = path }, &p),
                  "bench/guest.bin: interp and jit differ (see above)");
}
END_TEST

/* Sequences one after the other on the same two CPUs (stale code included). */
START_TEST(test_cpu_lockstep_random_sequences)
{
    static Seq q;
    uint64_t count = sequences();
    uint64_t seed = env_u64("EMU_LOCKSTEP_SEED", LS_SEED), bad = 0, insns = 0, i;
    LsProgram prog = { .seq = &q };
    LsSide s[2];
    char name[64];

    ls_open(&(LsProgram){ .name = "random" }, s);
    prog.reuse = s;
    for (i = 0; i < count && bad < LS_MAX_REPORTS; i++) {
        LsPlan p = { .seed = seed + i, .kmax = LS_SEQ_KMAX, .max_insns = 2000000,
                     .full_every = i % LS_SEQ_FULL_ONE_IN ? 0 : 4 };
        uint64_t start = cpu_icount(s[0].cpu);
        diff_gen_sequence(&q, DIFF_SEED ^ (seed + i));
        snprintf(name, sizeof(name), "random sequence %llu", (unsigned long long)i);
        prog.name = name;
        if (ls_check(&prog, &p)) {
            insns += cpu_icount(s[0].cpu) - start;
            continue;
        }
        bad++;
        ls_close(s);                    /* go on with CPUs that agree again */
        ls_open(&(LsProgram){ .name = "random" }, s);
    }
    fprintf(stderr, "cpu_lockstep: %llu random sequences (seed %#llx, steps of 1..%u), %llu "
            "instructions: %llu differ\n", (unsigned long long)i, (unsigned long long)seed,
            LS_SEQ_KMAX, (unsigned long long)insns, (unsigned long long)bad);
    ls_close(s);
    ck_assert_msg(bad == 0, "%llu random sequences differ between interp and jit (see above)",
                  (unsigned long long)bad);
}
END_TEST

#endif /* EMU_HAVE_JIT */

/* Timeouts from the work asked for: the benchmark guest runs in lockstep
 * at some 30M instructions/s (11.3G in all), a sequence takes under 1 ms. */
TEST_SUITE(cpu_lockstep)
{
    Suite *s = suite_create("cpu_lockstep");
#ifdef EMU_HAVE_JIT
    TCase *tc = tcase_create("roms");
    tcase_set_timeout(tc, long_run() ? 1200 : 120);
    tcase_add_loop_test(tc, test_cpu_lockstep_mode_roms, 0, (int)ARRAY_SIZE(roms));
    suite_add_tcase(s, tc);
    tc = tcase_create("bench");
    tcase_set_timeout(tc, bench_insns() ? 60 + bench_insns() / 2000000 : 3600);
    tcase_add_test(tc, test_cpu_lockstep_bench_guest);
    suite_add_tcase(s, tc);
    tc = tcase_create("random");
    tcase_set_timeout(tc, 60 + sequences() / 500);
    tcase_add_test(tc, test_cpu_lockstep_random_sequences);
    suite_add_tcase(s, tc);
#else
    cpu_tcase(s, CPU_TEST_JIT);     /* a "jit" case that says it is skipped */
#endif
    return s;
}
