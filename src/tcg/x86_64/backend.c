/* backend.c — the x86-64 host JIT: `backend_jit` (tb.h's Backend).
 *
 * Code buffer layout: the first JIT_HEADER_SIZE bytes hold the shared
 * epilogue (offset 0), the trampoline (offset 32) and the host features
 * (offset 64, read with cpuid once: cpuid is slow under a hypervisor),
 * written whenever the buffer is (re)started empty. Then TBs, each preceded by 8 bytes holding
 * the buffer's RX start, so exec() finds the trampoline from the TB alone:
 *
 *   [rx start][budget check | body | miss paths, budget exit]
 *             ^ tb->code                   tb->code_size covers all of it
 *
 * The trampoline saves the callee-saved registers, puts env in r14, makes
 * the spill frame and jumps to tb->code; every exit loads
 * `(uintptr_t)tb | TB_EXIT_*` into rax and jumps to the epilogue.
 *
 * Budget check, first in every TB:  sub r15d, icount ; jl budget_exit
 * (r15 is env->icount_left, jit.h; the exit adds it back: a block that does
 * not run leaves icount_left as it was). A tb_guard that fails jumps to the
 * same exit.
 *
 * Chaining: goto_tb is a `jmp rel32` whose field set_jump() rewrites (one
 * aligned 4-byte store) to the target TB's code, or to 0 — the exit that
 * follows it — to unlink.
 *
 * Host features (lzcnt, tzcnt, popcnt) come from cpuid; EMU_JIT_HOSTFEAT,
 * a mask of JIT_F_* bits, turns some off (the tests run the fallbacks).
 */
#include <cpuid.h>
#include <stdlib.h>
#include <string.h>
#include "tcg/x86_64/jit.h"
#include "base/log.h"

_Static_assert(offsetof(TcgCpuState, icount_left) == 0, "the budget check addresses [env]");

/* -- Host features ------------------------------------------------------------ */

static uint32_t host_features(void)
{
    unsigned a, b, c, d;
    uint32_t f = 0;
    const char *mask = getenv("EMU_JIT_HOSTFEAT");
    if (__get_cpuid(1, &a, &b, &c, &d) && (c & bit_POPCNT))
        f |= JIT_F_POPCNT;
    if (__get_cpuid(0x80000001, &a, &b, &c, &d) && (c & bit_LZCNT))
        f |= JIT_F_LZCNT;
    if (__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_BMI))
        f |= JIT_F_BMI1;
    if (mask)
        f &= (uint32_t)strtoul(mask, NULL, 0);
    return f;
}

/* -- Trampoline ---------------------------------------------------------------- */

static const int8_t saved_regs[] = { R_RBP, R_RBX, R_R12, R_R13, R_R14, R_R15 };

static void emit_trampoline(CodeBuffer *buf)
{
    Asm a = { .p = buf->rw, .end = buf->rw + buf->size, .rx_delta = buf->rx - buf->rw };

    /* Epilogue (offset 0): rax already holds the result. */
    jit_icount_store(&a);
    emit_rr(&a, OPC_ARITH_EvIz | P_REXW, ARITH_ADD, R_RSP);
    emit32(&a, JIT_FRAME_SIZE);
    for (int i = ARRAY_SIZE(saved_regs) - 1; i >= 0; i--)
        emit_pop(&a, saved_regs[i]);
    emit8(&a, OPC_RET);
    if (a.p > buf->rw + JIT_PROLOGUE_OFF)
        panic("jit: the epilogue outgrew its room");
    while (a.p < buf->rw + JIT_PROLOGUE_OFF)
        emit8(&a, 0xcc);
    /* uintptr_t enter(TcgCpuState *env, const void *code) */
    for (unsigned i = 0; i < ARRAY_SIZE(saved_regs); i++)
        emit_push(&a, saved_regs[i]);
    emit_mov_rr(&a, P_REXW, JIT_ENV, R_RDI);
    jit_icount_load(&a);
    emit_rr(&a, OPC_ARITH_EvIz | P_REXW, ARITH_SUB, R_RSP);
    emit32(&a, JIT_FRAME_SIZE);
    emit_rr(&a, OPC_GRP5, EXT5_JMPN_Ev, R_RSI);
    if (a.p > buf->rw + JIT_FEAT_OFF)
        panic("jit: the trampoline outgrew its room");
    while (a.p < buf->rw + JIT_HEADER_SIZE)
        emit8(&a, 0xcc);
    st32(buf->rw + JIT_FEAT_OFF, host_features());
    buf->used = JIT_HEADER_SIZE;
}

typedef uintptr_t (*JitEnter)(TcgCpuState *env, const void *code);

static uintptr_t jit_exec(TcgCpuState *env, TB *tb)
{
    const uint8_t *start = (const uint8_t *)(uintptr_t)ld64((const uint8_t *)tb->code - 8);
    JitEnter enter = (JitEnter)(uintptr_t)(start + JIT_PROLOGUE_OFF);
    return enter(env, tb->code);
}

/* -- Exits and labels --------------------------------------------------------------- */

void jit_exit(Jit *j, unsigned code)
{
    emit_movi(&j->a, R_RAX, (uintptr_t)j->tb | code);
    emit_jmp_to(&j->a, j->epilogue);
}

void jit_place_label(Jit *j, int label)
{
    int32_t at = j->label_chain[label];
    while (at >= 0) {
        uint8_t *field = j->code + at;
        at = (int32_t)ld32(field);
        patch_rel32(&j->a, field, asm_rx_here(&j->a));
    }
    j->label_chain[label] = -1;
    j->label_pos[label] = (int32_t)(j->a.p - j->code);
}

/* jmp (cond < 0) or jcc to a label: short when it is behind us and near,
 * else rel32 (chained through the field until the label is placed). */
void jit_jump_label(Jit *j, int cond, int label)
{
    Asm *a = &j->a;
    if (j->label_pos[label] >= 0) {
        uintptr_t target = asm_rx(a, j->code + j->label_pos[label]);
        intptr_t rel = (intptr_t)target - (intptr_t)(asm_rx_here(a) + 2);
        if (fits_i8(rel)) {
            emit8(a, (uint8_t)(cond < 0 ? OPC_JMP_short : OPC_JCC_short + cond));
            emit8(a, (uint8_t)rel);
        } else if (cond < 0) {
            emit_jmp_to(a, target);
        } else {
            patch_rel32(a, emit_jcc_fwd(a, cond), target);
        }
        return;
    }
    if (cond < 0)
        emit8(a, OPC_JMP_long);
    else
        emit_opc(a, OPC_JCC_long + cond, 0, 0, 0);
    emit32(a, (uint32_t)j->label_chain[label]);
    j->label_chain[label] = (int32_t)(a->p - 4 - j->code);
}

/* -- Generation ---------------------------------------------------------------------- */

static bool ends_block(const IrFunc *f)
{
    int opc = f->nops ? f->ops[f->nops - 1].opc : -1;
    return opc == IR_goto_tb || opc == IR_exit_tb || opc == IR_lookup_tb || opc == IR_br;
}

static void dump_code(const TB *tb, const uint8_t *code, uint32_t size)
{
    log_printf("OUT: TB pc=0x%llx at %p, %u bytes\n", (unsigned long long)tb->pc, tb->code, size);
    for (uint32_t i = 0; i < size; i += 16) {
        log_printf("  %04x:", i);
        for (uint32_t k = i; k < size && k < i + 16; k++)
            log_printf(" %02x", code[k]);
        log_printf("\n");
    }
}

static void emit_body(Jit *j)
{
    const IrFunc *f = j->f;
    for (int i = 0; i < f->nops && !j->overflow; i++) {
        if (j->a.p + JIT_OP_MARGIN > j->a.end) {
            j->overflow = true;
            break;
        }
        j->cur = i;
        if (!(j->dead[i] & JIT_SKIP))
            jit_emit_op(j, &f->ops[i]);
    }
    if (!ends_block(f)) {
        /* Every path ends in an exit (docs/ir.md); should one not, it
         * leaves rather than running into the next block's code. */
        ra_sync(j, false, true);
        jit_exit(j, TB_EXIT_NORMAL);
    }
}

static bool jit_gen(CodeBuffer *buf, TB *tb, const IrFunc *f, TcgCpuState *env)
{
    Jit j;
    size_t at;
    uint8_t *budget_jl;

    if (buf->used == 0) {
        if (buf->size < JIT_HEADER_SIZE)
            return false;
        emit_trampoline(buf);
    }
    at = (buf->used + 8 + 15) & ~(size_t)15;
    if (at + JIT_OP_MARGIN > buf->size)
        return false;
    st64(buf->rw + at - 8, (uintptr_t)buf->rx);

    memset(&j, 0, offsetof(Jit, t));
    j.a = (Asm){ .p = buf->rw + at, .end = buf->rw + buf->size, .rx_delta = buf->rx - buf->rw };
    j.code = j.a.p;
    j.f = f;
    j.tb = tb;
    j.env = env;
    j.epilogue = (uintptr_t)buf->rx + JIT_EPILOGUE_OFF;
    j.feat = ld32(buf->rw + JIT_FEAT_OFF);
    j.nslow = 0;
    memset(j.reg_temp, 0xff, sizeof(j.reg_temp));
    memset(j.label_pos, 0xff, sizeof(j.label_pos[0]) * (size_t)f->nlabels);
    memset(j.label_chain, 0xff, sizeof(j.label_chain[0]) * (size_t)f->nlabels);
    memset(tb->insn_host, 0, sizeof(uint32_t) * tb->icount);
    ra_liveness(&j);

    emit_arithi(&j.a, 0, ARITH_SUB, JIT_ICOUNT, tb->icount);
    budget_jl = emit_jcc_fwd(&j.a, JCC_JL);
    emit_body(&j);

    /* Out of line: the budget exit, then the TLB miss paths. */
    if (j.a.p + 64 > j.a.end)
        return false;
    patch_rel32(&j.a, budget_jl, asm_rx_here(&j.a));
    if (j.guard_jne)
        patch_rel32(&j.a, j.guard_jne, asm_rx_here(&j.a));
    emit_arithi(&j.a, 0, ARITH_ADD, JIT_ICOUNT, tb->icount);
    jit_exit(&j, TB_EXIT_BUDGET);
    jit_emit_slow_paths(&j);
    if (j.overflow)
        return false;

    for (int i = j.insn; i < tb->icount; i++)
        tb->insn_host[i] = (uint32_t)(j.a.p - j.code);
    tb->code = buf->rx + at;
    tb->code_size = (uint32_t)(j.a.p - j.code);
    buf->used = (size_t)(j.a.p - buf->rw);
    if (log_enabled(LOG_OUT_ASM))
        dump_code(tb, j.code, tb->code_size);
    return true;
}

/* -- Links and unwinding -------------------------------------------------------------- */

static void jit_set_jump(CodeBuffer *buf, TB *from, int slot, TB *to)
{
    uintptr_t field_rx = (uintptr_t)from->code + from->jmp_patch[slot];
    uintptr_t target = to ? (uintptr_t)to->code : field_rx + 4;
    uint32_t *field = (uint32_t *)(buf->rw + (field_rx - (uintptr_t)buf->rx));
    __atomic_store_n(field, (uint32_t)(int32_t)(target - (field_rx + 4)), __ATOMIC_RELEASE);
}

/* The instruction whose code holds ra: the last one starting before it (ra
 * is a return address, so the call that pushed it lies before it). */
static int jit_insn_at(const TB *tb, TcgCpuState *env, uintptr_t ra)
{
    uintptr_t start = (uintptr_t)tb->code;
    uint32_t off;
    int lo = 0, hi = tb->icount;
    if (ra <= start || ra > start + tb->code_size)
        return -1;
    off = (uint32_t)(ra - start);
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        if (tb->insn_host[mid] < off)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo - 1;
}

const Backend backend_jit = {
    .name = "jit",
    .native = true,
    .gen = jit_gen,
    .exec = jit_exec,
    .set_jump = jit_set_jump,
    .insn_at = jit_insn_at,
};
