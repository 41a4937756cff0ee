/* test_jit_ir.c — differential test of the JIT against the IR interpreter.
 *
 * Random IR functions (fixed seeds) use every op at both types, locals,
 * globals and constants, forward branches and small loops, host loads and
 * stores on env (including on the globals' own fields), guest loads and
 * stores through the TLB on RAM (page-crossing ones too) and on an MMIO
 * device, helper calls (lazy flags, port I/O) and every kind of block exit.
 * Each runs on the interpreter and on the JIT from the same state — a real
 * CpuState from the CPU harness, so the TLB, tlb_fill and the bus are the
 * real ones — and the final guest registers, scratch state, RAM, device
 * bytes, port writes, budget and exit code must be equal. Every function
 * runs as generated and again after ir_optimize().
 *
 * The generator only reads temps that are defined on every path: locals are
 * set at the start; temps made inside a conditional block or loop are used
 * only there. Only I32 ops write I32 globals (the frontend's invariant).
 *
 * Debugging a reported function: EMU_JIT_IR_SEED=<n> runs only it,
 * EMU_JIT_IR_DUMP=<file> writes its host code (objdump -b binary
 * -mi386:x86-64 -D), EMU_JIT_IR_REDUCE=1 shrinks it while it still fails.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include "config.h"
#include "unit/testlib.h"
#include "unit/cpu_harness.h"
#include "cpu/state.h"
#include "cpu/cc.h"

#ifdef EMU_HAVE_JIT

#define RAM_AREA 0x10000u           /* guest RAM the functions touch: 4 pages */
#define RAM_AREA_SIZE 0x4000u
#define RAM_SNAP (RAM_AREA_SIZE + 16)      /* accesses at the end run past it */
#define MMIO_BASE 0x100000u
#define MMIO_SIZE 0x1000u
#define NLOCALS 10
#define MAX_POOL 64
#define CODE_SIZE (4u << 20)
#define MAX_INSNS 64
#define G_CC_OP 17                  /* the cc_op global (after env and 16 registers) */

typedef struct Rig {
    CpuHarness *h;
    CpuState *env;
    uint8_t mmio[MMIO_SIZE];
    CodeBuffer jit_buf, interp_buf;
    IrGlobalSet globals;
    IrFunc *f;
    int h_cc_all, h_cc_c, h_outb, h_inb;
    uint16_t insn_pc[MAX_INSNS];
    uint32_t insn_host[MAX_INSNS];
    TB tb;
} Rig;

/* -- The MMIO device: plain bytes, every access width -- */
static uint64_t mmio_read(void *opaque, uint64_t off, unsigned size)
{
    Rig *r = opaque;
    uint64_t v = 0;
    memcpy(&v, r->mmio + off, size);
    return v;
}

static void mmio_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    Rig *r = opaque;
    memcpy(r->mmio + off, &v, size);
}

static const IoOps mmio_ops = { mmio_read, mmio_write, 1, 8 };

/* Dual-mapped code buffer, as the TB cache makes it (rw != rx). */
static void map_dual(CodeBuffer *cb, size_t size)
{
    int fd = memfd_create("jit-test", MFD_CLOEXEC);
    ck_assert_int_ge(fd, 0);
    ck_assert_int_eq(ftruncate(fd, (off_t)size), 0);
    cb->rw = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    cb->rx = mmap(NULL, size, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
    ck_assert(cb->rw != MAP_FAILED && cb->rx != MAP_FAILED);
    close(fd);
    cb->size = size;
    cb->used = 0;
}

static int find_helper(const char *name)
{
    for (int i = 0; i < ir_nb_helpers; i++)
        if (!strcmp(ir_helpers[i].name, name))
            return i;
    return -1;
}

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    static const char *names[] = { "r0", "r1", "r2", "r3", "r4", "r5", "r6", "r7",
                                   "q8", "q9", "q10", "q11", "q12", "q13", "q14", "q15" };
    r->h = harness_new(CPU_BACKEND_INTERP, 1 << 20);
    r->env = &r->h->cpu->env;
    bus_map_mmio(r->h->bus, "jit-test-mmio", MMIO_BASE, MMIO_SIZE, &mmio_ops, r);
    map_dual(&r->jit_buf, CODE_SIZE);
    r->interp_buf.rw = r->interp_buf.rx = malloc(CODE_SIZE);
    r->interp_buf.size = CODE_SIZE;
    ir_globals_init(&r->globals);
    for (int i = 0; i < 16; i++)
        ir_global_new(&r->globals, i < 8 ? IR_I32 : IR_I64, (int32_t)offsetof(CpuState, regs[i]),
                      names[i]);
    ir_global_new(&r->globals, IR_I32, offsetof(CpuState, cc_op), "cc_op");
    ir_global_new(&r->globals, IR_I32, offsetof(CpuState, cc_dst), "cc_dst");
    ir_global_new(&r->globals, IR_I32, offsetof(CpuState, cc_src), "cc_src");
    ir_global_new(&r->globals, IR_I64, offsetof(CpuState, cc_src2), "cc_src2");
    r->f = ir_func_new();
    r->h_cc_all = find_helper("cc_compute_all");
    r->h_cc_c = find_helper("cc_compute_c");
    r->h_outb = find_helper("outb");
    r->h_inb = find_helper("inb");
    return r;
}

static void rig_free(Rig *r)
{
    munmap(r->jit_buf.rw, r->jit_buf.size);
    munmap(r->jit_buf.rx, r->jit_buf.size);
    free(r->interp_buf.rw);
    ir_func_free(r->f);
    harness_free(r->h);
    free(r);
}

/* -- Random numbers -- */
static uint64_t rnd(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}
static unsigned rn(uint64_t *s, unsigned n) { return (unsigned)(rnd(s) % n); }

/* -- The generator ----------------------------------------------------------- */

typedef struct Gen {
    Rig *r;
    IrFunc *f;
    uint64_t s;
    IrTemp pool[MAX_POOL];      /* temps defined on every path from here */
    int npool;
    int depth, ninsns, budget;
    int scope;                  /* pool temps from here on belong to the current block */
    IrTemp counters[4];         /* loop counters, written by nothing else */
} Gen;

static const uint64_t interesting[] = {
    0, 1, 2, 3, 7, 8, 15, 16, 31, 32, 33, 63, 64, 0x7f, 0x80, 0xff, 0x100, 0x7fff, 0x8000,
    0xffff, 0x10000, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ull, 0x7fffffffffffffffull,
    0x8000000000000000ull, ~0ull, ~1ull, 0xfffffffffffff000ull, 0x123456789abcdef0ull,
    0xffffffff80000000ull, 0x00000000fffff000ull,
};

static IrTemp gen_const(Gen *g)
{
    if (rn(&g->s, 3) == 0)
        return ir_const(g->f, rnd(&g->s) >> rn(&g->s, 64));
    return ir_const(g->f, interesting[rn(&g->s, ARRAY_SIZE(interesting))]);
}

static IrTemp src(Gen *g)
{
    unsigned k = rn(&g->s, 10);
    if (k < 2)
        return gen_const(g);
    if (k < 4)
        return (IrTemp)(1 + rn(&g->s, (unsigned)g->r->globals.n - 1));
    return g->pool[rn(&g->s, (unsigned)g->npool)];
}

static bool is_i32_global(Gen *g, IrTemp t)
{
    return t < (IrTemp)g->r->globals.n && g->r->globals.temps[t].type == IR_I32;
}

/* A destination for an op of type t: a pool temp, a global, or a new temp. */
static IrTemp dst(Gen *g, IrType t)
{
    unsigned k = rn(&g->s, 10);
    if (k < 2) {
        IrTemp gl = (IrTemp)(1 + rn(&g->s, (unsigned)g->r->globals.n - 1));
        if (t == IR_I32 || !is_i32_global(g, gl))
            return gl;
    }
    if (k < 5 && g->npool < MAX_POOL) {
        IrTemp n = ir_temp_new(g->f);
        g->pool[g->npool++] = n;
        return n;
    }
    /* Never the loop counters (kept out of the pool) */
    return g->pool[rn(&g->s, (unsigned)g->npool)];
}

static IrType rtype(Gen *g) { return rn(&g->s, 2) ? IR_I64 : IR_I32; }
static IrCond rcond(Gen *g) { return (IrCond)rn(&g->s, IR_COND_TSTNE + 1); }

static void gen_alu(Gen *g)
{
    IrType t = rtype(g);
    unsigned bits = t == IR_I32 ? 32 : 64, pos, len;
    IrTemp a = src(g), b = src(g);
    switch (rn(&g->s, 30)) {
    case 0: ir_mov(g->f, t, dst(g, t), a); break;
    case 1: ir_add(g->f, t, dst(g, t), a, b); break;
    case 2: ir_sub(g->f, t, dst(g, t), a, b); break;
    case 3: ir_mul(g->f, t, dst(g, t), a, b); break;
    case 4: ir_and(g->f, t, dst(g, t), a, b); break;
    case 5: ir_or(g->f, t, dst(g, t), a, b); break;
    case 6: ir_xor(g->f, t, dst(g, t), a, b); break;
    case 7: ir_andc(g->f, t, dst(g, t), a, b); break;
    case 8: ir_neg(g->f, t, dst(g, t), a); break;
    case 9: ir_not(g->f, t, dst(g, t), a); break;
    case 10: ir_shl(g->f, t, dst(g, t), a, b); break;
    case 11: ir_shr(g->f, t, dst(g, t), a, b); break;
    case 12: ir_sar(g->f, t, dst(g, t), a, b); break;
    case 13: ir_rotl(g->f, t, dst(g, t), a, b); break;
    case 14: ir_rotr(g->f, t, dst(g, t), a, b); break;
    case 15:
        switch (rn(&g->s, t == IR_I64 ? 6 : 4)) {
        case 0: ir_ext8s(g->f, t, dst(g, t), a); break;
        case 1: ir_ext8u(g->f, t, dst(g, t), a); break;
        case 2: ir_ext16s(g->f, t, dst(g, t), a); break;
        case 3: ir_ext16u(g->f, t, dst(g, t), a); break;
        case 4: ir_ext32s(g->f, t, dst(g, t), a); break;
        default: ir_ext32u(g->f, t, dst(g, t), a); break;
        }
        break;
    case 16: case 17: case 18:
        len = 1 + rn(&g->s, bits);
        if (rn(&g->s, 2))
            len = rn(&g->s, 2) ? 8 : rn(&g->s, 2) ? 16 : 32 > bits ? bits : 32;
        pos = rn(&g->s, bits - len + 1);
        if (rn(&g->s, 3) == 0)
            pos = 0;
        if (rn(&g->s, 3) == 0)
            ir_extract(g->f, t, dst(g, t), a, pos, len);
        else if (rn(&g->s, 2))
            ir_sextract(g->f, t, dst(g, t), a, pos, len);
        else
            ir_deposit(g->f, t, dst(g, t), a, b, pos, len);
        break;
    case 19:
        switch (rn(&g->s, t == IR_I64 ? 3 : 2)) {
        case 0: ir_bswap16(g->f, t, dst(g, t), a); break;
        case 1: ir_bswap32(g->f, t, dst(g, t), a); break;
        default: ir_bswap64(g->f, t, dst(g, t), a); break;
        }
        break;
    case 20: ir_clz(g->f, t, dst(g, t), rn(&g->s, 3) ? a : ir_const(g->f, 0), b); break;
    case 21: ir_ctz(g->f, t, dst(g, t), rn(&g->s, 3) ? a : ir_const(g->f, 0), b); break;
    case 22: ir_ctpop(g->f, t, dst(g, t), a); break;
    case 23: case 24:
        ir_setcond(g->f, t, rcond(g), dst(g, t), a, rn(&g->s, 4) ? b : a);
        break;
    case 25: case 26:
        ir_movcond(g->f, t, rcond(g), dst(g, t), a, rn(&g->s, 4) ? b : ir_const(g->f, 0), src(g),
                   src(g));
        break;
    default: {
        IrTemp lo = dst(g, t), hi = dst(g, t);
        if (rn(&g->s, 2))
            ir_mulu2(g->f, t, lo, hi, a, b);
        else
            ir_muls2(g->f, t, lo, hi, a, b);
        break;
    }
    }
}

/* Host memory: env fields (globals' homes included) and the xmm scratch,
 * through env or through a pointer temp env + k. */
static void gen_host_mem(Gen *g)
{
    static const IrOpcode lds[] = { IR_ld8u, IR_ld8s, IR_ld16u, IR_ld16s, IR_ld32u, IR_ld32s, IR_ld64 };
    static const IrOpcode sts[] = { IR_st8, IR_st16, IR_st32, IR_st64 };
    static const int ldsize[] = { 1, 1, 2, 2, 4, 4, 8 };
    static const int lo[] = { offsetof(CpuState, regs), offsetof(CpuState, xmm) };
    static const int hi[] = { offsetof(CpuState, cc_src2) + 8, offsetof(CpuState, xmm) + 256 };
    int area = (int)rn(&g->s, 2), k = 0, size, which;
    bool store = rn(&g->s, 2);
    IrTemp base = IR_TEMP_ENV;
    IrType t = rtype(g);
    IrOp *op;

    if (rn(&g->s, 3) == 0) {
        k = (int)rn(&g->s, 512);
        base = ir_temp_new(g->f);
        ir_add(g->f, IR_I64, base, IR_TEMP_ENV, ir_const(g->f, (uint64_t)k));
    }
    which = (int)rn(&g->s, store ? 4 : 7);
    size = store ? 1 << which : ldsize[which];
    if (store) {
        IrTemp v = src(g);
        op = ir_emit(g->f, sts[which], t);
        op->args[0] = v;
    } else {
        IrTemp d = dst(g, t);
        op = ir_emit(g->f, lds[which], t);
        op->args[0] = d;
    }
    op->args[1] = base;
    op->args[2] = (uint32_t)(lo[area] + (int)rn(&g->s, (unsigned)(hi[area] - lo[area] - size + 1)) - k);
}

/* A guest address: in the RAM area (anywhere, so some accesses cross a
 * page) or an aligned one in the MMIO page. */
static IrTemp guest_addr(Gen *g)
{
    IrTemp a = ir_temp_new(g->f);
    IrType t = rtype(g);
    switch (rn(&g->s, 4)) {
    case 0:
        ir_and(g->f, t, a, src(g), ir_const(g->f, MMIO_SIZE - 8));
        ir_add(g->f, t, a, a, ir_const(g->f, MMIO_BASE));
        break;
    case 1:
        ir_mov(g->f, IR_I64, a, ir_const(g->f, RAM_AREA + 0x1000 * (1 + rn(&g->s, 3)) - 1 - rn(&g->s, 7)));
        break;
    default:
        ir_and(g->f, t, a, src(g), ir_const(g->f, RAM_AREA_SIZE - 8));
        ir_add(g->f, t, a, a, ir_const(g->f, RAM_AREA + rn(&g->s, 8)));
        break;
    }
    return a;
}

static void gen_guest_mem(Gen *g)
{
    unsigned memop = memop_make(rn(&g->s, 4) | (rn(&g->s, 2) ? MO_SIGN : 0), rn(&g->s, 3));
    IrTemp addr = guest_addr(g);
    IrType t = rtype(g);
    if (rn(&g->s, 2))
        ir_qemu_st(g->f, t, src(g), addr, memop & ~(unsigned)MO_SIGN);
    else
        ir_qemu_ld(g->f, t, dst(g, t), addr, memop);
}

static void gen_call(Gen *g)
{
    Rig *r = g->r;
    IrTemp args[3] = { IR_TEMP_ENV };
    switch (rn(&g->s, 4)) {
    case 0: case 1:
        if (r->h_cc_all < 0)
            return;
        if (rn(&g->s, 2))
            ir_movi(g->f, IR_I32, G_CC_OP, CC_OP_EFLAGS + rn(&g->s, CC_OP_NB - CC_OP_EFLAGS));
        ir_call(g->f, rn(&g->s, 2) ? r->h_cc_all : r->h_cc_c, dst(g, IR_I32), 1, args);
        break;
    case 2:
        if (r->h_outb < 0)
            return;
        args[1] = ir_const(g->f, 0x80);
        if (rn(&g->s, 2)) {
            args[1] = ir_temp_new(g->f);
            ir_movi(g->f, IR_I64, args[1], 0xffffffff00000080ull);  /* I32 args: low half */
        }
        args[2] = src(g);
        ir_call(g->f, r->h_outb, 0, 3, args);
        break;
    default:
        if (r->h_inb < 0)
            return;
        args[1] = ir_const(g->f, 0xe9);
        ir_call(g->f, r->h_inb, dst(g, IR_I32), 2, args);
        break;
    }
}

static void gen_insn_start(Gen *g)
{
    if (g->ninsns < MAX_INSNS) {
        g->r->insn_pc[g->ninsns] = (uint16_t)(g->ninsns * 3);
        ir_insn_start(g->f, (uint32_t)(g->ninsns * 3), rn(&g->s, 8));
        g->ninsns++;
    }
}

static void gen_block(Gen *g, int n);

static void gen_exit(Gen *g)
{
    switch (rn(&g->s, 4)) {
    case 0: ir_goto_tb(g->f, 0); break;
    case 1: ir_goto_tb(g->f, 1); break;
    case 2: ir_lookup_tb(g->f); break;
    default: ir_exit_tb(g->f, 0); break;
    }
}

/* Structured control flow; temps made inside are dropped from the pool. */
static void gen_control(Gen *g)
{
    int saved = g->npool, saved_scope = g->scope, l1, l2;
    IrType t = rtype(g);
    if (g->depth >= 3)
        return;
    g->depth++;
    g->scope = saved;
    switch (rn(&g->s, 4)) {
    case 0:     /* if */
        l1 = ir_label_new(g->f);
        ir_brcond(g->f, t, rcond(g), src(g), src(g), l1);
        gen_block(g, 1 + (int)rn(&g->s, 6));
        g->npool = saved;
        ir_set_label(g->f, l1);
        break;
    case 1:     /* if / else */
        l1 = ir_label_new(g->f);
        l2 = ir_label_new(g->f);
        ir_brcond(g->f, t, rcond(g), src(g), src(g), l1);
        gen_block(g, 1 + (int)rn(&g->s, 5));
        g->npool = saved;
        ir_br(g->f, l2);
        ir_set_label(g->f, l1);
        gen_block(g, 1 + (int)rn(&g->s, 5));
        g->npool = saved;
        ir_set_label(g->f, l2);
        break;
    case 2: {   /* loop, 1..4 times */
        IrTemp c = g->counters[g->depth];
        l1 = ir_label_new(g->f);
        ir_movi(g->f, IR_I64, c, 1 + rn(&g->s, 4));
        ir_set_label(g->f, l1);
        gen_block(g, 1 + (int)rn(&g->s, 6));
        g->npool = saved;
        ir_sub(g->f, IR_I64, c, c, ir_const(g->f, 1));
        ir_brcond(g->f, IR_I64, IR_COND_NE, c, ir_const(g->f, 0), l1);
        break;
    }
    default:    /* early exit */
        l1 = ir_label_new(g->f);
        ir_brcond(g->f, t, rcond(g), src(g), src(g), l1);
        gen_exit(g);
        ir_set_label(g->f, l1);
        break;
    }
    g->scope = saved_scope;
    g->depth--;
}

static void gen_block(Gen *g, int n)
{
    for (int i = 0; i < n && g->budget > 0; i++, g->budget--) {
        unsigned k = rn(&g->s, 20);
        if (k < 9)
            gen_alu(g);
        else if (k < 11)
            gen_host_mem(g);
        else if (k < 14)
            gen_guest_mem(g);
        else if (k < 15)
            gen_call(g);
        else if (k < 16)
            gen_insn_start(g);
        else if (k < 18)
            gen_control(g);
        else if (g->npool > MAX(NLOCALS, g->scope) && rn(&g->s, 2))
            ir_discard(g->f, g->pool[--g->npool]);     /* a scope temp dies */
        else
            gen_alu(g);
    }
}

static void gen_func(Rig *r, uint64_t seed, int size)
{
    Gen g = { .r = r, .f = r->f, .s = seed * 0x9e3779b97f4a7c15ull + 1, .budget = size };
    ir_func_reset(r->f, &r->globals);
    for (int i = 0; i < 4; i++)
        g.counters[i] = ir_temp_new(r->f);
    gen_insn_start(&g);
    for (int i = 0; i < NLOCALS; i++) {
        IrTemp t = ir_temp_new(r->f);
        ir_mov(r->f, IR_I64, t, rn(&g.s, 2) ? gen_const(&g) : (IrTemp)(1 + rn(&g.s, 20)));
        g.pool[g.npool++] = t;
    }
    gen_block(&g, size);
    gen_exit(&g);
    ck_assert(!r->f->overflow);
    ir_verify(r->f);
    r->tb.icount = (uint16_t)g.ninsns;
}

/* -- Running and comparing ---------------------------------------------------------- */

typedef struct Snapshot {
    uint8_t regs[offsetof(CpuState, cc_src2) + 8 - offsetof(CpuState, regs)];
    uint8_t xmm[256];
    uint8_t ram[RAM_SNAP];
    uint8_t mmio[MMIO_SIZE];
    uint8_t post[64];
    char out[64];
    int npost, nout;
    int32_t icount_left;
    uintptr_t ret;
} Snapshot;

static void set_state(Rig *r, uint64_t seed)
{
    CpuState *env = r->env;
    uint64_t s = seed * 0xd1b54a32d192ed03ull + 7;
    uint8_t *ram = r->h->ram->host + RAM_AREA;
    for (int i = 0; i < 16; i++)
        env->regs[i] = i < 8 ? (uint32_t)rnd(&s) : rnd(&s);
    env->eip = rnd(&s);             /* not a global here, but in the ld/st area */
    env->cc_op = rn(&s, CC_OP_NB);
    env->cc_dst = (uint32_t)rnd(&s);
    env->cc_src = (uint32_t)rnd(&s);
    env->cc_src2 = rnd(&s);
    for (unsigned i = 0; i < sizeof(env->xmm); i += 8)
        st64((uint8_t *)env->xmm + i, rnd(&s));
    for (unsigned i = 0; i < RAM_SNAP; i += 8)
        st64(ram + i, rnd(&s));
    for (unsigned i = 0; i < MMIO_SIZE; i += 8)
        st64(r->mmio + i, rnd(&s));
    r->h->npost = r->h->nout = 0;
    env->tcg.icount_left = 1000;
    tlb_flush(&env->tcg);
}

static void snapshot(Rig *r, Snapshot *s, uintptr_t ret)
{
    CpuState *env = r->env;
    memset(s, 0, sizeof(*s));
    memcpy(s->regs, env->regs, sizeof(s->regs));
    memcpy(s->xmm, env->xmm, sizeof(s->xmm));
    memcpy(s->ram, r->h->ram->host + RAM_AREA, RAM_SNAP);
    memcpy(s->mmio, r->mmio, MMIO_SIZE);
    memcpy(s->post, r->h->post, sizeof(s->post));
    memcpy(s->out, r->h->out, MIN(sizeof(s->out), (size_t)r->h->nout));
    s->npost = r->h->npost;
    s->nout = r->h->nout;
    s->icount_left = env->tcg.icount_left;
    s->ret = ret;
}

static uintptr_t run_on(Rig *r, const Backend *b, CodeBuffer *buf, uint64_t seed)
{
    TB *tb = &r->tb;
    int32_t icount = tb->icount;
    memset(tb, 0, sizeof(*tb));
    tb->icount = (uint16_t)icount;
    tb->pc = 0x1000;
    tb->insn_pc = r->insn_pc;
    tb->insn_host = r->insn_host;
    if (buf->used > buf->size / 2)
        buf->used = 0;
    ck_assert_msg(b->gen(buf, tb, r->f, &r->env->tcg), "%s: gen failed", b->name);
    if (b->native && getenv("EMU_JIT_IR_DUMP")) {
        FILE *f = fopen(getenv("EMU_JIT_IR_DUMP"), "wb");
        fwrite(buf->rw + ((uint8_t *)tb->code - buf->rx), 1, tb->code_size, f);
        fclose(f);
    }
    set_state(r, seed);
    return b->exec(&r->env->tcg, tb);
}

static bool quiet;

static void report(Rig *r, const char *what, uint64_t seed, bool opt)
{
    if (quiet)
        return;
    fprintf(stderr, "jit_ir: function %llu (%s IR) differs: %s\n", (unsigned long long)seed,
            opt ? "optimised" : "raw", what);
    ir_dump(r->f, stderr);
}

/* Run the current function on both backends; false (with a report) on a difference. */
static bool compare_backends(Rig *r, uint64_t seed, bool opt)
{
    static Snapshot a, b;
    snapshot(r, &a, run_on(r, &backend_interp, &r->interp_buf, seed));
    snapshot(r, &b, run_on(r, &backend_jit, &r->jit_buf, seed));
    if (memcmp(a.regs, b.regs, sizeof(a.regs))) {
        for (unsigned i = 0; i < sizeof(a.regs) / 8 && !quiet; i++)
            if (ld64(a.regs + 8 * i) != ld64(b.regs + 8 * i))
                fprintf(stderr, "  slot %u: interp %016llx jit %016llx\n", i,
                        (unsigned long long)ld64(a.regs + 8 * i), (unsigned long long)ld64(b.regs + 8 * i));
        report(r, "globals", seed, opt);
        return false;
    }
    const char *what = memcmp(a.xmm, b.xmm, sizeof(a.xmm)) ? "env scratch"
                     : memcmp(a.ram, b.ram, sizeof(a.ram)) ? "guest RAM"
                     : memcmp(a.mmio, b.mmio, sizeof(a.mmio)) ? "MMIO device"
                     : a.npost != b.npost || memcmp(a.post, b.post, sizeof(a.post)) ? "port 0x80"
                     : a.nout != b.nout || memcmp(a.out, b.out, sizeof(a.out)) ? "port 0xe9"
                     : a.icount_left != b.icount_left ? "budget"
                     : a.ret != b.ret ? "exit code" : NULL;
    for (unsigned i = 0; what && !quiet && i < MMIO_SIZE; i++)
        if (a.mmio[i] != b.mmio[i])
            fprintf(stderr, "  mmio +0x%x: interp %02x jit %02x\n", i, a.mmio[i], b.mmio[i]);
    for (unsigned i = 0; what && !quiet && i < RAM_SNAP; i++)
        if (a.ram[i] != b.ram[i])
            fprintf(stderr, "  ram 0x%x: interp %02x jit %02x\n", RAM_AREA + i, a.ram[i], b.ram[i]);
    if (what) {
        if (!quiet)
            fprintf(stderr, "  ret interp %lx jit %lx, budget %d/%d\n", (unsigned long)a.ret,
                (unsigned long)b.ret, a.icount_left, b.icount_left);
        report(r, what, seed, opt);
        return false;
    }
    return true;
}

/* Debugging aid (EMU_JIT_IR_REDUCE with EMU_JIT_IR_SEED): shrink a failing
 * function while it still fails — drop ops without outputs, turn the others
 * into "mov out, 0" (temps stay defined on every path). */
static void reduce(Rig *r, uint64_t seed)
{
    static IrOp saved[IR_MAX_OPS];
    bool changed = true;
    quiet = true;
    while (changed) {
        changed = false;
        for (int i = 0; i < r->f->nops; i++) {
            IrOp *op = &r->f->ops[i];
            int nops = r->f->nops, opc = op->opc;
            if (opc == IR_insn_start || opc == IR_set_label || (ir_op_defs[opc].flags & IR_OPF_BB_END))
                continue;
            if (ir_op_nout(op) > 1 || (opc == IR_mov && ir_temp_is_const(r->f, op->args[1])) ||
                (opc == IR_add && op->args[1] == IR_TEMP_ENV))      /* a pointer */
                continue;
            memcpy(saved, r->f->ops, sizeof(IrOp) * (size_t)nops);
            if (ir_op_nout(op) == 0) {
                memmove(op, op + 1, sizeof(IrOp) * (size_t)(nops - i - 1));
                r->f->nops--;
            } else {
                IrTemp d = op->args[0];
                memset(op, 0, sizeof(*op));
                op->opc = IR_mov;
                op->type = IR_I64;
                op->args[0] = d;
                op->args[1] = ir_const(r->f, 0);
            }
            if (!compare_backends(r, seed, false)) {
                changed = true;
                i--;
                continue;
            }
            memcpy(r->f->ops, saved, sizeof(IrOp) * (size_t)nops);
            r->f->nops = nops;
        }
    }
    quiet = false;
    ir_dump(r->f, stderr);
    compare_backends(r, seed, false);
}

static void run_functions(uint64_t first, int count, int size)
{
    Rig *r = rig_new();
    int bad = 0;
    if (getenv("EMU_JIT_IR_SEED")) {       /* debugging: just this one */
        uint64_t seed = strtoull(getenv("EMU_JIT_IR_SEED"), NULL, 0);
        if (seed < first || seed >= first + (uint64_t)count)
            count = 0;
        else
            first = seed, count = 1;
    }
    for (int i = 0; i < count && bad < 3; i++) {
        uint64_t seed = first + (uint64_t)i;
        gen_func(r, seed, size + (int)(seed % (unsigned)size));
        if (getenv("EMU_JIT_IR_REDUCE") && !compare_backends(r, seed, false))
            reduce(r, seed);
        bad += !compare_backends(r, seed, false);
        ir_optimize(r->f);
        bad += !compare_backends(r, seed, true);
    }
    rig_free(r);
    ck_assert_msg(bad == 0, "%d functions differ between the interpreter and the JIT", bad);
}

START_TEST(test_jit_ir_small) { run_functions(1, 10000, 12); }
END_TEST

START_TEST(test_jit_ir_large) { run_functions(1000000, 1500, 120); }
END_TEST

/* The fallbacks for hosts without lzcnt/tzcnt/popcnt. */
START_TEST(test_jit_ir_no_host_features)
{
    setenv("EMU_JIT_HOSTFEAT", "0", 1);
    run_functions(2000000, 3000, 16);
    unsetenv("EMU_JIT_HOSTFEAT");
}
END_TEST

TEST_SUITE(jit_ir)
{
    Suite *s = suite_create("jit_ir");
    TCase *tc = tcase_create("differential");
    tcase_add_test(tc, test_jit_ir_small);
    tcase_add_test(tc, test_jit_ir_large);
    tcase_add_test(tc, test_jit_ir_no_host_features);
    tcase_set_timeout(tc, 120);
    suite_add_tcase(s, tc);
    return s;
}

#endif
