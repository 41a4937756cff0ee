/* test_jit_tb.c — the JIT's block-level machinery on hand-built IR:
 * chaining and unlinking, the instruction-budget check, lookup_tb,
 * unwinding from a raising helper and from a faulting TLB fill (insn_at and
 * the state the frontend sees), the TLB miss path to MMIO, page-crossing
 * accesses, and running out of code buffer.
 *
 * Blocks are made with tb_create() in the harness CPU's own cache (so
 * tb_find_by_host_pc and cpu_restore_state see them) over a small global
 * set: r0..r3 at env->regs[0..3], cc_op at env->cc_op.
 */
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "unit/testlib.h"
#include "unit/cpu_harness.h"
#include "cpu/exec.h"

#ifdef EMU_HAVE_JIT

#define MMIO_BASE 0x200000u

typedef struct Rig {
    CpuHarness *h;
    CpuState *env;
    IrGlobalSet g;
    IrFunc *f;
    uint8_t dev[256];
    uint64_t last_write, last_write_off;
    unsigned last_write_size;
    TB *lookup_result;
} Rig;

enum { G_R0 = 1, G_R1, G_R2, G_R3, G_CC_OP };

static Rig *the_rig;                /* for the hooks below */

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    Rig *r = opaque;
    uint64_t v = 0;
    memcpy(&v, r->dev + off, size);
    return v;
}

static void dev_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    Rig *r = opaque;
    r->last_write = v;
    r->last_write_off = off;
    r->last_write_size = size;
}

static const IoOps dev_ops = { dev_read, dev_write, 1, 8 };

static Rig *rig_new(void)
{
    Rig *r = calloc(1, sizeof(*r));
    r->h = harness_new(CPU_BACKEND_JIT, 1 << 20);
    r->env = &r->h->cpu->env;
    ck_assert_ptr_eq(tb_cache_backend(r->h->cpu->tbs), &backend_jit);
    bus_map_mmio(r->h->bus, "dev", MMIO_BASE, 0x1000, &dev_ops, r);
    for (int i = 0; i < 256; i++)
        r->dev[i] = (uint8_t)(0xa0 + i);
    ir_globals_init(&r->g);
    ir_global_new(&r->g, IR_I32, offsetof(CpuState, regs[0]), "r0");
    ir_global_new(&r->g, IR_I32, offsetof(CpuState, regs[1]), "r1");
    ir_global_new(&r->g, IR_I32, offsetof(CpuState, regs[2]), "r2");
    ir_global_new(&r->g, IR_I64, offsetof(CpuState, regs[3]), "r3");
    ir_global_new(&r->g, IR_I32, offsetof(CpuState, cc_op), "cc_op");
    r->f = ir_func_new();
    the_rig = r;
    return r;
}

static void rig_free(Rig *r)
{
    ir_func_free(r->f);
    harness_free(r->h);
    free(r);
}

static void begin(Rig *r)
{
    ir_func_reset(r->f, &r->g);
}

/* The block built in r->f, at guest pc (ram address pc too), with the
 * instructions' pc offsets and cc_ops. */
static TB *make_tb(Rig *r, uint64_t pc, int n, const uint16_t *pcs, const uint16_t *aux)
{
    TB *tb = tb_create(r->h->cpu->tbs, &r->env->tcg, r->f, pc, 0, 0, 0, 16, pc, ~0ull, n, pcs,
                       aux);
    ck_assert_ptr_nonnull(tb);
    return tb;
}

static uintptr_t run(Rig *r, TB *tb, int32_t budget)
{
    r->env->tcg.icount_left = budget;
    return backend_jit.exec(&r->env->tcg, tb);
}

static const uint16_t pcs[] = { 0, 2, 5, 7, 9 };
static const uint16_t aux[] = { CC_OP_ADDL, CC_OP_SUBL, CC_OP_LOGICL, CC_OP_INCL, CC_OP_DECL };

/* r[reg] += 1 per instruction, then the exit emitted by `end`. */
static TB *counting_tb(Rig *r, uint64_t pc, int reg, int n, void (*end)(IrFunc *))
{
    begin(r);
    for (int i = 0; i < n; i++) {
        ir_insn_start(r->f, pcs[i], aux[i]);
        ir_addi(r->f, IR_I32, (IrTemp)reg, (IrTemp)reg, 1);
    }
    end(r->f);
    return make_tb(r, pc, n, pcs, aux);
}

static void end_goto0(IrFunc *f) { ir_goto_tb(f, 0); }
static void end_exit(IrFunc *f) { ir_exit_tb(f, 0); }
static void end_lookup(IrFunc *f) { ir_lookup_tb(f); }

START_TEST(test_jit_tb_chain_and_unlink)
{
    Rig *r = rig_new();
    TB *a = counting_tb(r, 0x5000, G_R0, 1, end_goto0);
    TB *b = counting_tb(r, 0x6000, G_R1, 2, end_exit);
    CpuState *env = r->env;

    env->regs[0] = env->regs[1] = 0;
    ck_assert_uint_eq(run(r, a, 100), (uintptr_t)a | TB_EXIT_SLOT0);    /* not linked yet */
    ck_assert_uint_eq(env->regs[0], 1);
    ck_assert_int_eq(env->tcg.icount_left, 99);

    tb_link(r->h->cpu->tbs, a, 0, b);
    ck_assert_uint_eq(run(r, a, 100), (uintptr_t)b | TB_EXIT_NORMAL);   /* a, then b */
    ck_assert_uint_eq(env->regs[0], 2);
    ck_assert_uint_eq(env->regs[1], 2);
    ck_assert_int_eq(env->tcg.icount_left, 97);

    /* Invalidating b (a write to its page) unlinks a's jump. */
    tb_invalidate_range(r->h->cpu->tbs, 0x6000, 1, NULL);
    ck_assert_uint_eq(run(r, a, 100), (uintptr_t)a | TB_EXIT_SLOT0);
    ck_assert_uint_eq(env->regs[0], 3);
    ck_assert_uint_eq(env->regs[1], 2);
    rig_free(r);
}
END_TEST

START_TEST(test_jit_tb_budget)
{
    Rig *r = rig_new();
    TB *a = counting_tb(r, 0x5000, G_R0, 1, end_goto0);
    TB *b = counting_tb(r, 0x6000, G_R1, 3, end_exit);
    CpuState *env = r->env;

    tb_link(r->h->cpu->tbs, a, 0, b);
    env->regs[0] = env->regs[1] = 0;
    /* Not even a: it does not run and the budget is untouched. */
    ck_assert_uint_eq(run(r, a, 0), (uintptr_t)a | TB_EXIT_BUDGET);
    ck_assert_int_eq(env->tcg.icount_left, 0);
    ck_assert_uint_eq(env->regs[0], 0);
    /* a (1) runs, b (3) does not fit in the 2 left: left as they were. */
    ck_assert_uint_eq(run(r, a, 3), (uintptr_t)b | TB_EXIT_BUDGET);
    ck_assert_int_eq(env->tcg.icount_left, 2);
    ck_assert_uint_eq(env->regs[0], 1);
    ck_assert_uint_eq(env->regs[1], 0);
    /* Exactly enough for both. */
    ck_assert_uint_eq(run(r, a, 4), (uintptr_t)b | TB_EXIT_NORMAL);
    ck_assert_int_eq(env->tcg.icount_left, 0);
    ck_assert_uint_eq(env->regs[1], 3);
    rig_free(r);
}
END_TEST

static TB *lookup_hook(void *env)
{
    return the_rig->lookup_result;
}

START_TEST(test_jit_tb_lookup)
{
    Rig *r = rig_new();
    TB *c = counting_tb(r, 0x5000, G_R0, 1, end_lookup);
    TB *b = counting_tb(r, 0x6000, G_R1, 2, end_exit);
    CpuState *env = r->env;

    env->tcg.lookup_tb = lookup_hook;
    env->regs[0] = env->regs[1] = 0;
    r->lookup_result = NULL;
    ck_assert_uint_eq(run(r, c, 50), (uintptr_t)c | TB_EXIT_NORMAL);
    ck_assert_uint_eq(env->regs[0], 1);
    r->lookup_result = b;
    ck_assert_uint_eq(run(r, c, 50), (uintptr_t)b | TB_EXIT_NORMAL);
    ck_assert_uint_eq(env->regs[0], 2);
    ck_assert_uint_eq(env->regs[1], 2);
    ck_assert_int_eq(env->tcg.icount_left, 50 - 1 - 2);
    /* The target's own budget check still applies. */
    ck_assert_uint_eq(run(r, c, 2), (uintptr_t)b | TB_EXIT_BUDGET);
    ck_assert_int_eq(env->tcg.icount_left, 1);
    rig_free(r);
}
END_TEST

static int helper_index(const char *name)
{
    for (int i = 0; i < ir_nb_helpers; i++)
        if (!strcmp(ir_helpers[i].name, name))
            return i;
    ck_abort_msg("no helper %s", name);
    return -1;
}

START_TEST(test_jit_tb_raise_from_helper)
{
    Rig *r = rig_new();
    CpuState *env = r->env;
    IrTemp args[2] = { IR_TEMP_ENV, 0 };
    TB *tb;
    volatile int raised = 0;

    begin(r);
    ir_insn_start(r->f, pcs[0], aux[0]);
    ir_movi(r->f, IR_I32, G_R0, 0x111);
    ir_insn_start(r->f, pcs[1], aux[1]);
    ir_movi(r->f, IR_I32, G_R1, 0x222);            /* cached, stored before the call */
    args[1] = ir_const(r->f, EXCP_GP);
    ir_call(r->f, helper_index("raise_exception"), 0, 2, args);
    ir_insn_start(r->f, pcs[2], aux[2]);
    ir_movi(r->f, IR_I32, G_R2, 0x333);
    ir_exit_tb(r->f, 0);
    tb = make_tb(r, 0x5000, 3, pcs, aux);

    env->regs[0] = env->regs[1] = env->regs[2] = 0;
    env->eip = 0;
    env->cc_op = CC_OP_EFLAGS;
    env->exception_index = -1;
    if (setjmp(r->h->cpu->jmp_env) == 0) {
        run(r, tb, 10);
    } else {
        raised = 1;
    }
    ck_assert_int_eq(raised, 1);
    ck_assert_int_eq(env->exception_index, EXCP_GP);
    ck_assert_uint_eq(env->eip, 0x5000 + pcs[1]);                  /* the raising insn */
    ck_assert_uint_eq(env->cc_op, aux[1]);
    ck_assert_uint_eq(env->regs[0], 0x111);
    ck_assert_uint_eq(env->regs[1], 0x222);
    ck_assert_uint_eq(env->regs[2], 0);
    ck_assert_int_eq(env->tcg.icount_left, 10 - 3 + 2);            /* insns 1, 2 given back */

    /* insn_at on the recorded boundaries: a return address just after the
     * start of instruction i's code belongs to i. */
    for (int i = 0; i < 3; i++) {
        uintptr_t ra = (uintptr_t)tb->code + tb->insn_host[i] + 1;
        if (i + 1 < 3 && tb->insn_host[i + 1] == tb->insn_host[i])
            continue;
        ck_assert_int_eq(backend_jit.insn_at(tb, &env->tcg, ra), i);
    }
    ck_assert_int_eq(backend_jit.insn_at(tb, &env->tcg, (uintptr_t)tb->code), -1);
    ck_assert_int_eq(backend_jit.insn_at(tb, &env->tcg, (uintptr_t)tb->code + tb->code_size + 1), -1);
    ck_assert_ptr_eq(tb_find_by_host_pc(r->h->cpu->tbs, (uintptr_t)tb->code + tb->insn_host[1] + 1), tb);
    rig_free(r);
}
END_TEST

/* seg_check(env, seg, offset, size, write) — five arguments from globals, a
 * local with junk in its upper half, a constant — raises #SS or #GP when
 * offset + size - 1 passes the real-mode limit 0xffff, by seg. */
static int seg_check_result(Rig *r, uint32_t seg, uint32_t size)
{
    CpuState *env = r->env;
    IrTemp args[5] = { IR_TEMP_ENV, G_R0, 0, G_R2, ir_const(r->f, 1) };
    volatile int excp = -1;
    TB *tb;

    begin(r);
    args[4] = ir_const(r->f, 1);
    args[2] = ir_temp_new(r->f);
    ir_insn_start(r->f, pcs[0], aux[0]);
    ir_add(r->f, IR_I64, args[2], G_R3, ir_const(r->f, 0xdead00000000fff0ull));
    ir_call(r->f, helper_index("seg_check"), 0, 5, args);
    ir_movi(r->f, IR_I32, G_R1, 0x55);
    ir_exit_tb(r->f, 0);
    tb = make_tb(r, 0x5000, 1, pcs, aux);

    env->regs[0] = seg;
    env->regs[1] = 0;
    env->regs[2] = size;
    env->regs[3] = 0xe;                             /* offset 0xfffe */
    env->exception_index = -1;
    if (setjmp(r->h->cpu->jmp_env) == 0) {
        run(r, tb, 10);
        ck_assert_uint_eq(env->regs[1], 0x55);
    } else {
        excp = env->exception_index;
        ck_assert_uint_eq(env->regs[1], 0);
    }
    return excp;
}

START_TEST(test_jit_tb_helper_args)
{
    Rig *r = rig_new();
    ck_assert_int_eq(seg_check_result(r, CPU_SS, 2), -1);          /* up to 0xffff: fine */
    ck_assert_int_eq(seg_check_result(r, CPU_SS, 3), EXCP_SS);
    ck_assert_int_eq(seg_check_result(r, CPU_DS, 3), EXCP_GP);
    ck_assert_int_eq(seg_check_result(r, CPU_DS, 1), -1);
    rig_free(r);
}
END_TEST

/* A tlb_fill that faults on one page, like a page walk finding it absent. */
static bool (*real_fill)(void *, uint64_t, AccessType, int, bool, uintptr_t);
static bool faulting_fill(void *opaque, uint64_t vaddr, AccessType access, int mmu_idx,
                          bool probe, uintptr_t ra)
{
    CpuState *env = opaque;
    if ((vaddr & GUEST_PAGE_MASK) == 0x8000) {
        if (probe)
            return false;
        env->cr[2] = (uint32_t)vaddr;
        raise_exception_err(env, EXCP_PF, access == ACCESS_WRITE ? 2 : 0, ra);
    }
    return real_fill(opaque, vaddr, access, mmu_idx, probe, ra);
}

static void check_fault(Rig *r, bool store, bool cross)
{
    CpuState *env = r->env;
    uint64_t addr = cross ? 0x7ffe : 0x8010;
    volatile int raised = 0;
    TB *tb;

    begin(r);
    ir_insn_start(r->f, pcs[0], aux[0]);
    ir_addi(r->f, IR_I32, G_R0, G_R0, 0x1234);      /* dirty in a register */
    ir_movi(r->f, IR_I64, G_R3, 0x5555);            /* a pending constant */
    ir_insn_start(r->f, pcs[1], aux[1]);
    ir_movi(r->f, IR_I32, G_R1, 0x99);
    if (store)
        ir_qemu_st(r->f, IR_I32, ir_const(r->f, 0xdeadbeef), ir_const(r->f, addr), MO_32);
    else
        ir_qemu_ld(r->f, IR_I32, G_R2, ir_const(r->f, addr), MO_32);
    ir_insn_start(r->f, pcs[2], aux[2]);
    ir_movi(r->f, IR_I32, G_R1, 0x77);
    ir_exit_tb(r->f, 0);
    tb = make_tb(r, 0x5000, 3, pcs, aux);

    tlb_flush(&env->tcg);
    memset(r->h->ram->host + 0x7000, 0x5a, 0x2000);
    env->regs[0] = env->regs[1] = env->regs[2] = env->regs[3] = 0;
    env->exception_index = -1;
    if (setjmp(r->h->cpu->jmp_env) == 0)
        run(r, tb, 10);
    else
        raised = 1;
    ck_assert_int_eq(raised, 1);
    ck_assert_int_eq(env->exception_index, EXCP_PF);
    ck_assert_uint_eq(env->cr[2] & GUEST_PAGE_MASK, 0x8000);
    ck_assert_uint_eq(env->eip, 0x5000 + pcs[1]);
    ck_assert_uint_eq(env->cc_op, aux[1]);
    ck_assert_uint_eq(env->regs[0], 0x1234);
    ck_assert_uint_eq(env->regs[1], 0x99);
    ck_assert_uint_eq(env->regs[2], 0);
    ck_assert_uint_eq(env->regs[3], 0x5555);
    ck_assert_int_eq(env->tcg.icount_left, 9);
    /* No partial store: the first page's bytes are untouched. */
    ck_assert_uint_eq(r->h->ram->host[0x7ffe], 0x5a);
    ck_assert_uint_eq(r->h->ram->host[0x7fff], 0x5a);
}

START_TEST(test_jit_tb_fault_in_tlb_fill)
{
    Rig *r = rig_new();
    real_fill = r->env->tcg.tlb_fill;
    r->env->tcg.tlb_fill = faulting_fill;
    check_fault(r, false, false);
    check_fault(r, true, false);
    check_fault(r, false, true);
    check_fault(r, true, true);
    rig_free(r);
}
END_TEST

START_TEST(test_jit_tb_mmio_and_ram)
{
    Rig *r = rig_new();
    CpuState *env = r->env;
    uint8_t *ram = r->h->ram->host;
    IrTemp t = 0, keep[6];
    TB *tb;

    begin(r);
    ir_insn_start(r->f, 0, 0);
    /* Values live across the accesses, in caller-saved registers too. */
    for (int i = 0; i < 6; i++) {
        keep[i] = ir_temp_new(r->f);
        ir_movi(r->f, IR_I64, keep[i], 0x1111111111111111ull * (uint64_t)(i + 1));
    }
    ir_qemu_ld(r->f, IR_I32, G_R0, ir_const(r->f, MMIO_BASE + 0x10), MO_32);
    ir_qemu_st(r->f, IR_I32, ir_const(r->f, 0xabcd), ir_const(r->f, MMIO_BASE + 0x20), MO_16);
    ir_qemu_ld(r->f, IR_I64, G_R3, ir_const(r->f, MMIO_BASE + 0x8), MO_16 | MO_SIGN);
    /* RAM: a miss, then hits on the same page. */
    ir_qemu_st(r->f, IR_I64, ir_const(r->f, 0x8877665544332211ull), ir_const(r->f, 0x3000), MO_64);
    ir_qemu_ld(r->f, IR_I32, G_R1, ir_const(r->f, 0x3007), MO_8 | MO_SIGN);
    t = ir_temp_new(r->f);
    ir_qemu_ld(r->f, IR_I64, t, ir_const(r->f, 0x3000), MO_64);
    ir_qemu_st(r->f, IR_I64, t, ir_const(r->f, 0x3100), MO_64);
    for (int i = 0; i < 6; i++)
        ir_st64(r->f, IR_I64, keep[i], IR_TEMP_ENV, (int32_t)offsetof(CpuState, xmm[0].q[0]) + 8 * i);
    ir_exit_tb(r->f, 0);
    tb = make_tb(r, 0x5000, 1, pcs, aux);

    tlb_flush(&env->tcg);
    for (int pass = 0; pass < 2; pass++) {      /* cold TLB, then warm */
        env->regs[0] = env->regs[1] = env->regs[3] = 0;
        r->last_write_size = 0;
        ck_assert_uint_eq(run(r, tb, 5), (uintptr_t)tb | TB_EXIT_NORMAL);
        ck_assert_uint_eq(env->regs[0], 0xb3b2b1b0);            /* dev[0x10..0x13] */
        ck_assert_uint_eq(r->last_write, 0xabcd);
        ck_assert_uint_eq(r->last_write_off, 0x20);
        ck_assert_uint_eq(r->last_write_size, 2);
        ck_assert_uint_eq(env->regs[3], 0xffffffffffffa9a8ull);  /* dev[8..9], signed */
        ck_assert_uint_eq(env->regs[1], 0xffffff88);             /* byte 7, signed, I32 */
        ck_assert_uint_eq(ld64(ram + 0x3100), 0x8877665544332211ull);
        for (int i = 0; i < 6; i++)
            ck_assert_uint_eq(env->xmm[i / 2].q[i % 2], 0x1111111111111111ull * (uint64_t)(i + 1));
    }
    rig_free(r);
}
END_TEST

START_TEST(test_jit_tb_page_crossing)
{
    Rig *r = rig_new();
    CpuState *env = r->env;
    uint8_t *ram = r->h->ram->host;
    static const uint8_t bytes[] = { 0x11, 0x22, 0x93, 0x84 };
    TB *tb;

    memcpy(ram + 0x1ffe, bytes, 4);
    memset(ram + 0x2ff8, 0, 16);
    begin(r);
    ir_insn_start(r->f, 0, 0);
    ir_qemu_ld(r->f, IR_I32, G_R0, ir_const(r->f, 0x1ffe), MO_32);
    ir_qemu_ld(r->f, IR_I64, G_R3, ir_const(r->f, 0x1fff), MO_16 | MO_SIGN);
    ir_qemu_ld(r->f, IR_I32, G_R1, ir_const(r->f, 0x1ffe), MO_32 | MO_SIGN);
    ir_qemu_st(r->f, IR_I32, ir_const(r->f, 0xa1b2c3d4), ir_const(r->f, 0x2ffd), MO_32);
    ir_exit_tb(r->f, 0);
    tb = make_tb(r, 0x5000, 1, pcs, aux);

    tlb_flush(&env->tcg);
    for (int pass = 0; pass < 2; pass++) {
        env->regs[0] = env->regs[1] = env->regs[3] = 0;
        run(r, tb, 5);
        ck_assert_uint_eq(env->regs[0], 0x84932211);
        ck_assert_uint_eq(env->regs[3], 0xffffffffffff9322ull);    /* 0x9322 sign-extended */
        ck_assert_uint_eq(env->regs[1], 0x84932211);               /* I32: the low half */
        ck_assert_uint_eq(ram[0x2ffd], 0xd4);
        ck_assert_uint_eq(ram[0x2ffe], 0xc3);
        ck_assert_uint_eq(ram[0x2fff], 0xb2);
        ck_assert_uint_eq(ram[0x3000], 0xa1);
        ck_assert_uint_eq(ram[0x3001], 0);
    }
    rig_free(r);
}
END_TEST

START_TEST(test_jit_tb_code_buffer_full)
{
    /* A small cache fills up; after a flush, blocks are made and run again. */
    Rig *r = rig_new();
    TbCache *c = tb_cache_new(&backend_jit, bus_memmap(r->h->bus), 64 << 10);
    CpuState *env = r->env;
    int made = 0;
    TB *tb = NULL;

    for (;;) {
        begin(r);
        ir_insn_start(r->f, 0, 0);
        for (int i = 0; i < 50; i++)
            ir_addi(r->f, IR_I32, G_R0, G_R0, 3);
        ir_exit_tb(r->f, 0);
        tb = tb_create(c, &env->tcg, r->f, 0x100000 + made, 0, 0, CF_NOCACHE, 1,
                       0x5000, ~0ull, 1, pcs, aux);
        if (!tb)
            break;
        made++;
        ck_assert_int_lt(made, 10000);
    }
    ck_assert_int_gt(made, 10);
    tb_flush(c);
    begin(r);
    ir_insn_start(r->f, 0, 0);
    ir_addi(r->f, IR_I32, G_R0, G_R0, 7);
    ir_exit_tb(r->f, 0);
    tb = tb_create(c, &env->tcg, r->f, 0x100000, 0, 0, CF_NOCACHE, 1, 0x5000, ~0ull, 1, pcs, aux);
    ck_assert_ptr_nonnull(tb);
    env->regs[0] = 1;
    ck_assert_uint_eq(run(r, tb, 5), (uintptr_t)tb | TB_EXIT_NORMAL);
    ck_assert_uint_eq(env->regs[0], 8);
    tb_cache_free(c);
    rig_free(r);
}
END_TEST

TEST_SUITE(jit_tb)
{
    Suite *s = suite_create("jit_tb");
    TCase *tc = tcase_create("blocks");
    tcase_add_test(tc, test_jit_tb_chain_and_unlink);
    tcase_add_test(tc, test_jit_tb_budget);
    tcase_add_test(tc, test_jit_tb_lookup);
    tcase_add_test(tc, test_jit_tb_raise_from_helper);
    tcase_add_test(tc, test_jit_tb_helper_args);
    tcase_add_test(tc, test_jit_tb_fault_in_tlb_fill);
    tcase_add_test(tc, test_jit_tb_mmio_and_ram);
    tcase_add_test(tc, test_jit_tb_page_crossing);
    tcase_add_test(tc, test_jit_tb_code_buffer_full);
    suite_add_tcase(s, tc);
    return s;
}

#endif
