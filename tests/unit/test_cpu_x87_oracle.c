/* test_cpu_x87_oracle.c — every x87 instruction form run by the emulated
 * CPU and by the host's x87 on random states, compared bit for bit.
 *
 * A state is an FXSAVE image (FCW with random rounding, precision and masks;
 * random TOP, tags, registers and C0-C3), a 16-byte memory operand and
 * EFLAGS. The guest runs the one instruction in real mode with its memory
 * operand at [0600h] (ModRM mod=00 rm=110 + disp16); the host runs the same
 * opcode and ModRM byte, where mod=00 rm=110 means [rsi] in 64-bit mode,
 * between FXRSTOR and FXSAVE. Compared: FCW, FSW, tags, all eight
 * registers, EFLAGS' arithmetic flags, the memory operand, #UD vs SIGILL.
 * Unmasked exceptions are pending afterwards on both sides (no waiting
 * instruction follows). Transcendentals (the x87 is not correctly rounded)
 * may differ by 1 ulp, and then in PE, UE, ES and B; their C1 (rounded up)
 * is the host's own rounding and is not compared. F2XM1 and FYL2XP1 get
 * operands in their domains only (outside, the SDM says undefined).
 * Every test runs under each backend (cpu_backends.h).
 */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "unit/testlib.h"
#include "unit/cpu_harness.h"
#include "unit/sf_host.h"

#if SF_HAVE_HOST

enum { CODE = 0x7c00, MEM = 0x600, UD_HANDLER = 0x8000 };
enum { N_SAMPLES = 100 };        /* per register form (memory forms: 4x) */

/* Memory operand formats, from SDM Vol. 2 A.4.1 */
enum { F_NONE, F_M16, F_M32FP, F_M64FP, F_M80FP, F_M16INT, F_M32INT, F_M64INT, F_BCD };

typedef struct X87State {
    uint8_t fx[512] __attribute__((aligned(16)));
    uint8_t mem[16];
    uint64_t eflags;
    bool ud;
} X87State;

typedef struct Oracle {
    CpuHarness *h;
    uint8_t *page;              /* host code */
    SfRng rng;
    long fails, total;
} Oracle;

/* -- Host side -- */

static sigjmp_buf host_jb;
static void host_sigill(int sig) { siglongjmp(host_jb, 1); }

typedef uint64_t HostFn(void *fx, void *mem, uint64_t eflags);

static void host_run(Oracle *o, const uint8_t *insn, int len, X87State *st)
{
    /* fxrstor (%rdi); push %rdx; popfq; INSN; pushfq; pop %rax; fxsave (%rdi); fninit; ret */
    static const uint8_t pre[] = { 0x0f, 0xae, 0x0f, 0x52, 0x9d };
    static const uint8_t post[] = { 0x9c, 0x58, 0x0f, 0xae, 0x07, 0xdb, 0xe3, 0xc3 };
    struct sigaction sa = { .sa_handler = host_sigill }, old;
    volatile bool ud = false;

    memcpy(o->page, pre, sizeof(pre));
    memcpy(o->page + sizeof(pre), insn, (size_t)len);
    memcpy(o->page + sizeof(pre) + len, post, sizeof(post));
    sigemptyset(&sa.sa_mask);
    sigaction(SIGILL, &sa, &old);
    if (!sigsetjmp(host_jb, 1))
        st->eflags = ((HostFn *)(void *)o->page)(st->fx, st->mem, st->eflags);
    else
        ud = true;
    sigaction(SIGILL, &old, NULL);
    if (ud)
        asm volatile("fninit");
    st->ud = ud;
}

/* -- Guest side -- */

/* insn is followed by a HLT, so that its block is one instruction long. */
static void guest_run(Oracle *o, const uint8_t *insn, int len, X87State *st)
{
    CpuRegs r;
    static const uint8_t hlt = 0xf4;
    harness_load(o->h, CODE, insn, (size_t)len);
    harness_load(o->h, CODE + (uint32_t)len, &hlt, 1);
    harness_load(o->h, MEM, st->mem, sizeof(st->mem));
    cpu_set_fxsave(o->h->cpu, st->fx);
    cpu_get_regs(o->h->cpu, &r);
    r.eip = CODE;
    r.gpr[CPU_ESP] = 0x7000;                /* #UD pushes */
    r.eflags = 2 | ((uint32_t)st->eflags & 0x8d5);
    cpu_set_regs(o->h->cpu, &r);
    cpu_run(o->h->cpu, 1);
    cpu_get_regs(o->h->cpu, &r);
    st->ud = r.eip != CODE + (uint32_t)len;
    st->eflags = r.eflags;
    cpu_get_fxsave(o->h->cpu, st->fx);
    ck_assert_int_eq(cpu_read_virt(o->h->cpu, MEM, st->mem, sizeof(st->mem)), 0);
}

static Oracle *oracle_new(CpuBackendKind backend)
{
    static const uint8_t jmp_self[] = { 0xeb, 0xfe };
    static const uint8_t ivt6[] = { UD_HANDLER & 0xff, UD_HANDLER >> 8, 0, 0 };
    Oracle *o = calloc(1, sizeof(*o));
    o->h = harness_new(backend, 1 << 20);
    harness_real_mode(o->h, 0, CODE);
    harness_load(o->h, 6 * 4, ivt6, sizeof(ivt6));
    harness_load(o->h, UD_HANDLER, jmp_self, sizeof(jmp_self));
    o->page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                   -1, 0);
    ck_assert_ptr_ne(o->page, MAP_FAILED);
    o->rng.s = 0x87a1b2c3d4e5f607ull;
    return o;
}

static void oracle_free(Oracle *o)
{
    munmap(o->page, 4096);
    harness_free(o->h);
    free(o);
}

/* -- Random states -- */

static void put_fx80(uint8_t *p, Fx80 v)
{
    memcpy(p, &v.mant, 8);
    memcpy(p + 8, &v.se, 2);
}

static Fx80 get_fx80(const uint8_t *p)
{
    Fx80 v;
    memcpy(&v.mant, p, 8);
    memcpy(&v.se, p + 8, 2);
    return v;
}

static void rand_mem(SfRng *r, uint8_t *mem, int fmt)
{
    uint64_t v = sf_rand(r);
    Fx80 x;
    memset(mem, 0, 16);
    switch (fmt) {
    case F_M32FP: v = sf_rand_f32(r, 127); break;
    case F_M64FP: v = sf_rand_f64(r, 1023); break;
    case F_M16INT: case F_M32INT: case F_M64INT:
        if (sf_below(r, 4) == 0)                /* small or extreme integers */
            v = sf_below(r, 2) ? (uint64_t)(int64_t)(int8_t)v : 1ull << (sf_below(r, 64));
        break;
    case F_M80FP:
        x = sf_rand_fx80(r);
        memcpy(&v, &x.mant, 8);
        memcpy(mem + 8, &x.se, 2);
        break;
    case F_BCD:
        v = 0;
        for (int i = 0; i < 16; i++)            /* digits, sometimes an invalid one */
            v |= (uint64_t)(sf_below(r, 32) ? sf_below(r, 10) : sf_below(r, 16)) << (4 * i);
        mem[8] = (uint8_t)(sf_below(r, 10) | sf_below(r, 10) << 4);
        mem[9] = (uint8_t)(sf_below(r, 2) ? 0x80 : 0);
        break;
    case F_M16: v = sf_rand(r); break;
    default: break;
    }
    memcpy(mem, &v, 8);
    if (fmt == F_M16 && sf_below(r, 2))
        mem[0] |= 0x3f;                          /* mostly masked control words */
}

static void rand_state(SfRng *r, X87State *st, int fmt)
{
    static const uint16_t pcs[4] = { 0, 2, 3, 1 };
    uint16_t masks = sf_below(r, 4) ? 0x3f : (uint16_t)(sf_rand(r) & 0x3f);
    uint16_t fcw = (uint16_t)(0x40 | masks | pcs[sf_below(r, 8) ? sf_below(r, 3) : 3] << 8 |
                              sf_below(r, 4) << 10 | (sf_rand(r) & 1) << 12);
    unsigned top = sf_below(r, 8), valid;
    uint16_t fsw = (uint16_t)(top << 11 | (sf_rand(r) & 0x4700));
    Fx80 a, b;

    memset(st, 0, sizeof(*st));
    switch (sf_below(r, 16)) {
    case 0: valid = 0x02; break;                /* ST0 empty */
    case 1: valid = 0x01; break;                /* ST1 empty */
    case 2: valid = 0xff; break;                /* full: pushes overflow */
    case 3: valid = (unsigned)sf_rand(r) & 0xff; break;
    default: valid = 0x03; break;
    }
    memcpy(st->fx, &fcw, 2);
    memcpy(st->fx + 2, &fsw, 2);
    for (unsigned i = 0; i < 8; i++)          /* abridged tags by physical register */
        if (valid >> i & 1)
            st->fx[4] |= (uint8_t)(1u << ((top + i) & 7));
    sf_rand_fx80_pair(r, &a, &b);
    put_fx80(st->fx + 32, a);
    put_fx80(st->fx + 48, b);
    for (int i = 2; i < 8; i++)
        put_fx80(st->fx + 32 + 16 * i, sf_rand_fx80(r));
    st->fx[24] = 0x80;                         /* MXCSR 1F80h */
    st->fx[25] = 0x1f;
    rand_mem(r, st->mem, fmt);
    st->eflags = sf_rand(r) & 0x8d5;
}

/* -- Comparison -- */

static __int128 fx80_key(Fx80 a)
{
    __int128 k = (__int128)(a.se & 0x7fff) << 63 | (a.mant & ~(1ull << 63));
    if ((a.se & 0x7fff) == 0)
        k = a.mant;
    return (a.se & 0x8000) ? -k : k;
}

/* 0 same, 1 within 1 ulp, 2 different */
static int reg_diff(Fx80 a, Fx80 b)
{
    __int128 d;
    if (a.mant == b.mant && a.se == b.se)
        return 0;
    if ((a.se & 0x7fff) == 0x7fff || (b.se & 0x7fff) == 0x7fff)
        return 2;
    d = fx80_key(a) - fx80_key(b);
    return d == 1 || d == -1 ? 1 : 2;
}

static bool same_state(const X87State *g, const X87State *w, bool approx)
{
    uint16_t gsw, wsw, mask = 0xffff;
    bool near = false;
    if (g->ud || w->ud)
        return g->ud == w->ud;
    for (int i = 0; i < 8; i++) {
        int d = reg_diff(get_fx80(g->fx + 32 + 16 * i), get_fx80(w->fx + 32 + 16 * i));
        if (d == 2 || (d == 1 && !approx))
            return false;
        near |= d == 1;
    }
    if (approx)
        mask = (uint16_t)~FP_C1;
    if (near)
        mask = (uint16_t)~(FP_C1 | FP_PE | FP_UE | 0x8080);
    memcpy(&gsw, g->fx + 2, 2);
    memcpy(&wsw, w->fx + 2, 2);
    return !memcmp(g->fx, w->fx, 2) && ((gsw ^ wsw) & mask) == 0 && g->fx[4] == w->fx[4] &&
           ((g->eflags ^ w->eflags) & 0x8d5) == 0 && !memcmp(g->mem, w->mem, 16);
}

static void dump_state(const char *who, const X87State *st)
{
    uint16_t fcw, fsw;
    memcpy(&fcw, st->fx, 2);
    memcpy(&fsw, st->fx + 2, 2);
    fprintf(stderr, "  %s: ud=%d fcw=%04x fsw=%04x ftw=%02x efl=%03x mem=%016llx:%04x\n", who,
            st->ud, fcw, fsw, st->fx[4], (unsigned)(st->eflags & 0x8d5),
            (unsigned long long)get_fx80(st->mem).mant, get_fx80(st->mem).se);
    for (int i = 0; i < 8; i++) {
        Fx80 v = get_fx80(st->fx + 32 + 16 * i);
        fprintf(stderr, "    st%d %04x:%016llx\n", i, v.se, (unsigned long long)v.mant);
    }
}

/* F2XM1: |ST(0)| <= 1; FYL2XP1: |ST(0)| < 1 - sqrt(2)/2 (here < 1/4). */
static void fit_domain(SfRng *r, X87State *st, uint8_t op, uint8_t modrm)
{
    Fx80 a = get_fx80(st->fx + 32);
    int limit = op != 0xd9 ? 0 : modrm == 0xf0 ? 0x3fff : modrm == 0xf9 ? 0x3ffd : 0;
    if (!limit || (a.se & 0x7fff) < limit || (a.se & 0x7fff) == 0x7fff)
        return;
    a.se = (uint16_t)((a.se & 0x8000) | (limit - 1 - (int)sf_below(r, 64)));
    put_fx80(st->fx + 32, a);
}

/* Runs one instruction form on n random states. modrm: register forms
 * as is; memory forms with mod=00 rm=110. */
static void check_form(Oracle *o, uint8_t op, uint8_t modrm, int fmt, bool approx, int n)
{
    bool mem = modrm < 0xc0;
    uint8_t guest[4] = { op, modrm, MEM & 0xff, MEM >> 8 };
    uint8_t host[2] = { op, modrm };

    for (int k = 0; k < n; k++) {
        X87State init, g, w;
        rand_state(&o->rng, &init, fmt);
        fit_domain(&o->rng, &init, op, modrm);
        g = init;
        w = init;
        guest_run(o, guest, mem ? 4 : 2, &g);
        host_run(o, host, 2, &w);
        o->total++;
        if (same_state(&g, &w, approx))
            continue;
        if (o->fails++ < 8) {
            fprintf(stderr, "x87 oracle: %02x %02x differs\n", op, modrm);
            dump_state("before", &init);
            dump_state("guest", &g);
            dump_state("host", &w);
        }
    }
}

static bool is_transcendental(uint8_t op, uint8_t modrm)
{
    static const uint8_t d9[] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf9, 0xfb, 0xfe, 0xff };
    for (unsigned i = 0; op == 0xd9 && i < sizeof(d9); i++)
        if (modrm == d9[i])
            return true;
    return false;
}

/* Register forms: all 512 ModRM bytes C0-FF of D8-DF, #UD ones included. */
static void check_register_forms(CpuBackendKind backend, int n)
{
    Oracle *o = oracle_new(backend);
    for (int op = 0xd8; op <= 0xdf; op++)
        for (int m = 0xc0; m <= 0xff; m++)
            check_form(o, (uint8_t)op, (uint8_t)m, F_NONE, is_transcendental((uint8_t)op, (uint8_t)m),
                       n);
    fprintf(stderr, "x87 oracle (%s), register forms: %ld of %ld differ\n",
            cpu_backend_kind_name(backend), o->fails, o->total);
    ck_assert_int_eq(o->fails, 0);
    oracle_free(o);
}

START_TEST(test_cpu_x87_oracle_register_forms) { check_register_forms(cpu_test_backend(_i), N_SAMPLES); }
END_TEST

/* Memory forms by escape and ModRM.reg (SDM Vol. 2 A.4.1). The environment
 * instructions have their own tests; FISTTP (SSE3) is #UD on a P6. */
static const uint8_t mem_fmt[8][8] = {
    /* D8 */ { F_M32FP, F_M32FP, F_M32FP, F_M32FP, F_M32FP, F_M32FP, F_M32FP, F_M32FP },
    /* D9 */ { F_M32FP, F_NONE, F_M32FP, F_M32FP, F_NONE, F_M16, F_NONE, F_M16 },
    /* DA */ { F_M32INT, F_M32INT, F_M32INT, F_M32INT, F_M32INT, F_M32INT, F_M32INT, F_M32INT },
    /* DB */ { F_M32INT, F_NONE, F_M32INT, F_M32INT, F_NONE, F_M80FP, F_NONE, F_M80FP },
    /* DC */ { F_M64FP, F_M64FP, F_M64FP, F_M64FP, F_M64FP, F_M64FP, F_M64FP, F_M64FP },
    /* DD */ { F_M64FP, F_NONE, F_M64FP, F_M64FP, F_NONE, F_NONE, F_NONE, F_M16 },
    /* DE */ { F_M16INT, F_M16INT, F_M16INT, F_M16INT, F_M16INT, F_M16INT, F_M16INT, F_M16INT },
    /* DF */ { F_M16INT, F_NONE, F_M16INT, F_M16INT, F_BCD, F_M64INT, F_BCD, F_M64INT },
};

static void check_memory_forms(CpuBackendKind backend, int n)
{
    Oracle *o = oracle_new(backend);
    for (int op = 0; op < 8; op++)
        for (int reg = 0; reg < 8; reg++)
            if (mem_fmt[op][reg] != F_NONE)
                check_form(o, (uint8_t)(0xd8 + op), (uint8_t)(reg << 3 | 6), mem_fmt[op][reg],
                           false, n);
    fprintf(stderr, "x87 oracle (%s), memory forms: %ld of %ld differ\n",
            cpu_backend_kind_name(backend), o->fails, o->total);
    ck_assert_int_eq(o->fails, 0);
    oracle_free(o);
}

START_TEST(test_cpu_x87_oracle_memory_forms) { check_memory_forms(cpu_test_backend(_i), N_SAMPLES * 4); }
END_TEST

/* The reserved memory forms are #UD (the host agrees), FISTTP too (P6). */
START_TEST(test_cpu_x87_reserved_memory_forms_ud)
{
    CpuBackendKind backend = cpu_test_backend(_i);
    static const uint8_t ud[][2] = { { 0xd9, 1 }, { 0xdb, 4 }, { 0xdb, 6 }, { 0xdd, 5 } };
    static const uint8_t fisttp[][2] = { { 0xdb, 1 }, { 0xdd, 1 }, { 0xdf, 1 } };
    Oracle *o = oracle_new(backend);
    for (unsigned i = 0; i < 4; i++) {
        uint8_t insn[4] = { ud[i][0], (uint8_t)(ud[i][1] << 3 | 6), MEM & 0xff, MEM >> 8 };
        X87State g, w;
        rand_state(&o->rng, &g, F_M64INT);
        w = g;
        guest_run(o, insn, 4, &g);
        host_run(o, insn, 2, &w);
        ck_assert(g.ud && w.ud);
    }
    for (unsigned i = 0; i < 3; i++) {
        uint8_t insn[4] = { fisttp[i][0], (uint8_t)(fisttp[i][1] << 3 | 6), MEM & 0xff, MEM >> 8 };
        X87State g;
        rand_state(&o->rng, &g, F_M64INT);
        guest_run(o, insn, 4, &g);
        ck_assert(g.ud);
    }
    oracle_free(o);
}
END_TEST

#endif /* SF_HAVE_HOST */

TEST_SUITE(cpu_x87_oracle)
{
    Suite *s = suite_create("cpu_x87_oracle");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 120);
#if SF_HAVE_HOST
        CPU_TEST(tc, test_cpu_x87_oracle_register_forms, b);
        CPU_TEST(tc, test_cpu_x87_oracle_memory_forms, b);
        CPU_TEST(tc, test_cpu_x87_reserved_memory_forms_ud, b);
#endif
    }
    return s;
}
