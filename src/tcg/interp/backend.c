/* interp/backend.c — the portable IR interpreter: the reference backend.
 *
 * gen() compiles an IrFunc into a compact program: each op's operands become
 * direct pointers to their 64-bit slots (globals inside env, locals in
 * env's interp_frame, constants in a pool after the program) and labels
 * become op indexes. exec() runs programs, following goto_tb links from TB
 * to TB as a JIT's patched jumps would, until an exit.
 *
 * Programs point into one CPU's env, so a TB made here runs on that CPU only
 * (the frontend keeps one cache per CPU).
 */
#include <string.h>
#include "tcg/tb.h"
#include "base/log.h"

typedef struct InterpCall {
    const IrHelper *h;
    uint64_t *ret;
    uint64_t *args[6];
} InterpCall;

typedef struct InterpOp {
    uint16_t opc;
    uint8_t type;
    uint32_t c0, c1;                /* constants; branch targets as op indexes */
    union {
        uint64_t *p[5];             /* outputs, then inputs */
        InterpCall *call;
    };
} InterpOp;

typedef struct Compiler {
    const IrFunc *f;
    TcgCpuState *env;
    InterpOp *ops;
    int nops;
    InterpCall *calls;
    int ncalls;
    uint64_t *pool;
    int npool;
    int32_t *pool_slot;             /* per temp: pool index or -1 */
    int32_t *label_at;              /* per label: op index */
} Compiler;

static uint64_t *pool_entry(Compiler *c, IrTemp t, uint64_t value)
{
    if (c->pool_slot[t] < 0) {
        c->pool_slot[t] = c->npool;
        c->pool[c->npool++] = value;
    }
    return &c->pool[c->pool_slot[t]];
}

static uint64_t *operand(Compiler *c, IrTemp t)
{
    const IrTempInfo *ti = &c->f->temps[t];
    if (t == IR_TEMP_ENV)
        return pool_entry(c, t, (uintptr_t)c->env);
    switch (ti->kind) {
    case IR_TEMP_GLOBAL: return (uint64_t *)((char *)c->env + ti->offset);
    case IR_TEMP_CONST: return pool_entry(c, t, ti->value);
    default: return &c->env->interp_frame[t];
    }
}

/* Sizes are known before placing anything in the buffer: count first. */
static void count(const IrFunc *f, int *nops, int *ncalls, int *nconst)
{
    *nops = *ncalls = 0;
    *nconst = 1;    /* env */
    for (int i = 0; i < f->nops; i++) {
        int opc = f->ops[i].opc;
        if (opc == IR_discard || opc == IR_set_label)
            continue;
        (*nops)++;
        *ncalls += opc == IR_call;
    }
    for (int t = 0; t < f->ntemps; t++)
        *nconst += f->temps[t].kind == IR_TEMP_CONST;
}

static void compile_op(Compiler *c, const IrOp *op, int *insn_index)
{
    InterpOp *o = &c->ops[c->nops++];
    int nout = ir_op_nout(op), nin = ir_op_nin(op), base = nout + nin;
    memset(o, 0, sizeof(*o));
    o->opc = op->opc;
    o->type = op->type;
    if (op->opc == IR_call) {
        InterpCall *call = &c->calls[c->ncalls++];
        call->h = ir_op_helper(op);
        call->ret = nout ? operand(c, op->args[0]) : NULL;
        for (int k = 0; k < nin; k++)
            call->args[k] = operand(c, op->args[nout + k]);
        o->call = call;
        return;
    }
    for (int k = 0; k < base; k++)
        o->p[k] = operand(c, op->args[k]);
    if (ir_op_nconst(op) > 0)
        o->c0 = op->args[base];
    if (ir_op_nconst(op) > 1)
        o->c1 = op->args[base + 1];
    if (op->opc == IR_insn_start)
        o->c0 = (uint32_t)(*insn_index)++;
}

static bool interp_gen(CodeBuffer *buf, TB *tb, const IrFunc *f, TcgCpuState *env)
{
    Compiler c = { .f = f, .env = env };
    int nops, ncalls, nconst, insn = 0;
    size_t need, at = (buf->used + 15) & ~(size_t)15;
    int32_t pool_slot[IR_MAX_TEMPS];
    int32_t label_at[IR_MAX_LABELS];

    count(f, &nops, &ncalls, &nconst);
    need = sizeof(InterpOp) * nops + sizeof(InterpCall) * ncalls + sizeof(uint64_t) * nconst;
    if (at + need > buf->size)
        return false;
    c.ops = (InterpOp *)(buf->rw + at);
    c.calls = (InterpCall *)(c.ops + nops);
    c.pool = (uint64_t *)(c.calls + ncalls);
    c.pool_slot = pool_slot;
    c.label_at = label_at;
    memset(pool_slot, 0xff, sizeof(int32_t) * f->ntemps);

    for (int i = 0; i < f->nops; i++) {
        const IrOp *op = &f->ops[i];
        if (op->opc == IR_set_label)
            label_at[op->args[0]] = c.nops;
        else if (op->opc != IR_discard)
            compile_op(&c, op, &insn);
    }
    /* Resolve branch targets. */
    for (int i = 0; i < c.nops; i++) {
        if (c.ops[i].opc == IR_br)
            c.ops[i].c0 = (uint32_t)label_at[c.ops[i].c0];
        else if (c.ops[i].opc == IR_brcond)
            c.ops[i].c1 = (uint32_t)label_at[c.ops[i].c1];
    }
    memset(tb->insn_host, 0, sizeof(uint32_t) * tb->icount);
    tb->code = c.ops;
    tb->code_size = (uint32_t)need;
    buf->used = at + need;
    return true;
}

/* -- Execution ---------------------------------------------------------------- */

static inline uint64_t sext(uint64_t v, int bits)
{
    return (uint64_t)((int64_t)(v << (64 - bits)) >> (64 - bits));
}

static inline uint64_t w(int type, uint64_t v)
{
    return type == IR_I32 ? (uint32_t)v : v;
}

static uint64_t call_helper(const InterpCall *call)
{
    typedef uint64_t (*Fn6)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t, uint64_t);
    const IrHelper *h = call->h;
    uint64_t a[6] = { 0 };
    uint64_t r;
    for (int k = 0; k < h->nargs; k++) {
        uint64_t v = *call->args[k];
        /* I32 arguments go sign-extended: what RISC-V's ABI requires and
         * what x86-64 and AArch64 ignore. */
        a[k] = h->args[k] == IR_ARG_I32 ? sext(v, 32) : v;
    }
    r = ((Fn6)h->fn)(a[0], a[1], a[2], a[3], a[4], a[5]);
    return h->ret == IR_ARG_I32 ? (uint32_t)r : r;
}

static inline uint64_t guest_load(TcgCpuState *env, uint64_t addr, unsigned memop)
{
    unsigned size = memop_size(memop);
    TlbEntry *e = &env->tlb->e[memop_mmu(memop)][tlb_index(addr)];
    if (likely(((addr + size - 1) & TLB_PAGE_MASK) == e->addr_read)) {
        const void *host = (const void *)(uintptr_t)(addr + e->addend);
        switch (memop & (MO_SIZE | MO_SIGN)) {
        case MO_8: return *(const uint8_t *)host;
        case MO_8 | MO_SIGN: return (uint64_t)(int64_t)*(const int8_t *)host;
        case MO_16: return ld16(host);
        case MO_16 | MO_SIGN: return (uint64_t)(int64_t)(int16_t)ld16(host);
        case MO_32: return ld32(host);
        case MO_32 | MO_SIGN: return (uint64_t)(int64_t)(int32_t)ld32(host);
        default: return ld64(host);
        }
    }
    return tlb_load(env, addr, memop, 0);
}

static inline void guest_store(TcgCpuState *env, uint64_t addr, uint64_t v, unsigned memop)
{
    unsigned size = memop_size(memop);
    TlbEntry *e = &env->tlb->e[memop_mmu(memop)][tlb_index(addr)];
    if (likely(((addr + size - 1) & TLB_PAGE_MASK) == e->addr_write)) {
        void *host = (void *)(uintptr_t)(addr + e->addend);
        switch (size) {
        case 1: *(uint8_t *)host = (uint8_t)v; return;
        case 2: st16(host, (uint16_t)v); return;
        case 4: st32(host, (uint32_t)v); return;
        default: st64(host, v); return;
        }
    }
    tlb_store(env, addr, v, memop, 0);
}

static inline uint64_t rot(int type, uint64_t a, uint64_t n, bool left)
{
    unsigned bits = type == IR_I32 ? 32 : 64;
    n &= bits - 1;
    if (!n)
        return w(type, a);
    a = w(type, a);
    return w(type, left ? (a << n) | (a >> (bits - n)) : (a >> n) | (a << (bits - n)));
}

static inline uint64_t count_zeros(int type, uint64_t a, uint64_t dflt, bool leading)
{
    a = w(type, a);
    if (!a)
        return dflt;
    if (!leading)
        return (uint64_t)__builtin_ctzll(a);
    return (uint64_t)__builtin_clzll(a) - (type == IR_I32 ? 32 : 0);
}

static void mul2(int type, uint64_t a, uint64_t b, bool sign, uint64_t *lo, uint64_t *hi)
{
    if (type == IR_I32) {
        uint64_t r = sign ? (uint64_t)((int64_t)(int32_t)a * (int64_t)(int32_t)b)
                          : (uint64_t)(uint32_t)a * (uint32_t)b;
        *lo = (uint32_t)r;
        *hi = (uint32_t)(r >> 32);
        return;
    }
    if (sign) {
        __int128 r = (__int128)(int64_t)a * (int64_t)b;
        *lo = (uint64_t)r;
        *hi = (uint64_t)(r >> 64);
    } else {
        unsigned __int128 r = (unsigned __int128)a * b;
        *lo = (uint64_t)r;
        *hi = (uint64_t)(r >> 64);
    }
}

#define P(k) (*o->p[k])

/* Runs one TB's program; returns -1 to continue with *next, or an exit code. */
static int run_program(TcgCpuState *env, TB *tb, TB **next)
{
    const InterpOp *prog = tb->code, *o = prog;
    for (;; o++) {
        int t = o->type;
        switch ((IrOpcode)o->opc) {
        case IR_mov: P(0) = w(t, P(1)); break;
        case IR_discard: break;
        case IR_add: P(0) = w(t, P(1) + P(2)); break;
        case IR_sub: P(0) = w(t, P(1) - P(2)); break;
        case IR_mul: P(0) = w(t, P(1) * P(2)); break;
        case IR_mulu2: case IR_muls2: {
            uint64_t lo, hi;
            mul2(t, P(2), P(3), o->opc == IR_muls2, &lo, &hi);
            P(0) = lo;
            P(1) = hi;
            break;
        }
        case IR_neg: P(0) = w(t, -P(1)); break;
        case IR_and: P(0) = w(t, P(1) & P(2)); break;
        case IR_or: P(0) = w(t, P(1) | P(2)); break;
        case IR_xor: P(0) = w(t, P(1) ^ P(2)); break;
        case IR_andc: P(0) = w(t, P(1) & ~P(2)); break;
        case IR_not: P(0) = w(t, ~P(1)); break;
        case IR_shl: P(0) = w(t, P(1) << (P(2) & (t == IR_I32 ? 31 : 63))); break;
        case IR_shr: P(0) = w(t, w(t, P(1)) >> (P(2) & (t == IR_I32 ? 31 : 63))); break;
        case IR_sar:
            P(0) = t == IR_I32 ? (uint32_t)((int32_t)P(1) >> (P(2) & 31))
                               : (uint64_t)((int64_t)P(1) >> (P(2) & 63));
            break;
        case IR_rotl: P(0) = rot(t, P(1), P(2), true); break;
        case IR_rotr: P(0) = rot(t, P(1), P(2), false); break;
        case IR_ext8s: P(0) = w(t, sext(P(1), 8)); break;
        case IR_ext8u: P(0) = (uint8_t)P(1); break;
        case IR_ext16s: P(0) = w(t, sext(P(1), 16)); break;
        case IR_ext16u: P(0) = (uint16_t)P(1); break;
        case IR_ext32s: P(0) = sext(P(1), 32); break;
        case IR_ext32u: P(0) = (uint32_t)P(1); break;
        case IR_extract: P(0) = (P(1) >> o->c0) & (o->c1 == 64 ? ~0ull : (1ull << o->c1) - 1); break;
        case IR_sextract: P(0) = w(t, sext(P(1) >> o->c0, (int)o->c1)); break;
        case IR_deposit: {
            uint64_t mask = (o->c1 == 64 ? ~0ull : (1ull << o->c1) - 1) << o->c0;
            P(0) = w(t, (P(1) & ~mask) | ((P(2) << o->c0) & mask));
            break;
        }
        case IR_bswap16: P(0) = __builtin_bswap16((uint16_t)P(1)); break;
        case IR_bswap32: P(0) = __builtin_bswap32((uint32_t)P(1)); break;
        case IR_bswap64: P(0) = __builtin_bswap64(P(1)); break;
        case IR_clz: P(0) = w(t, count_zeros(t, P(1), P(2), true)); break;
        case IR_ctz: P(0) = w(t, count_zeros(t, P(1), P(2), false)); break;
        case IR_ctpop: P(0) = (uint64_t)__builtin_popcountll(w(t, P(1))); break;
        case IR_setcond: P(0) = ir_cond_eval((IrCond)o->c0, (IrType)t, P(1), P(2)); break;
        case IR_movcond:
            P(0) = w(t, ir_cond_eval((IrCond)o->c0, (IrType)t, P(1), P(2)) ? P(3) : P(4));
            break;
        case IR_set_label: break;
        case IR_br: o = prog + o->c0 - 1; break;
        case IR_brcond:
            if (ir_cond_eval((IrCond)o->c0, (IrType)t, P(0), P(1)))
                o = prog + o->c1 - 1;
            break;
        case IR_ld8u: P(0) = *(uint8_t *)(uintptr_t)(P(1) + (int32_t)o->c0); break;
        case IR_ld8s: P(0) = w(t, (uint64_t)(int64_t)*(int8_t *)(uintptr_t)(P(1) + (int32_t)o->c0)); break;
        case IR_ld16u: P(0) = ld16((void *)(uintptr_t)(P(1) + (int32_t)o->c0)); break;
        case IR_ld16s: P(0) = w(t, sext(ld16((void *)(uintptr_t)(P(1) + (int32_t)o->c0)), 16)); break;
        case IR_ld32u: P(0) = ld32((void *)(uintptr_t)(P(1) + (int32_t)o->c0)); break;
        case IR_ld32s: P(0) = w(t, sext(ld32((void *)(uintptr_t)(P(1) + (int32_t)o->c0)), 32)); break;
        case IR_ld64: P(0) = w(t, ld64((void *)(uintptr_t)(P(1) + (int32_t)o->c0))); break;
        case IR_st8: *(uint8_t *)(uintptr_t)(P(1) + (int32_t)o->c0) = (uint8_t)P(0); break;
        case IR_st16: st16((void *)(uintptr_t)(P(1) + (int32_t)o->c0), (uint16_t)P(0)); break;
        case IR_st32: st32((void *)(uintptr_t)(P(1) + (int32_t)o->c0), (uint32_t)P(0)); break;
        case IR_st64: st64((void *)(uintptr_t)(P(1) + (int32_t)o->c0), P(0)); break;
        case IR_qemu_ld: P(0) = w(t, guest_load(env, P(1), o->c0)); break;
        case IR_qemu_st: guest_store(env, P(1), P(0), o->c0); break;
        case IR_call: {
            uint64_t r = call_helper(o->call);
            if (o->call->ret)
                *o->call->ret = r;
            break;
        }
        case IR_insn_start: env->current_insn = (int32_t)o->c0; break;
        case IR_tb_guard:
            if ((uint32_t)P(0) != o->c0) {
                env->icount_left += tb->icount;     /* as if the budget check failed */
                return TB_EXIT_BUDGET;
            }
            break;
        case IR_goto_tb:
            if (tb->jmp_dest[o->c0]) {
                *next = tb->jmp_dest[o->c0];
                return -1;
            }
            return (int)o->c0;
        case IR_exit_tb: return TB_EXIT_NORMAL;
        case IR_lookup_tb:
            *next = env->lookup_tb(env);
            return *next ? -1 : TB_EXIT_NORMAL;
        case IR_NB_OPS:
            break;
        }
    }
}

static uintptr_t interp_exec(TcgCpuState *env, TB *tb)
{
    for (;;) {
        TB *next = NULL;
        int code;
        /* The instruction-count check every TB starts with. */
        if (env->icount_left < tb->icount) {
            env->current_tb = NULL;
            return (uintptr_t)tb | TB_EXIT_BUDGET;
        }
        env->icount_left -= tb->icount;
        env->current_tb = tb;
        env->current_insn = 0;
        code = run_program(env, tb, &next);
        if (code >= 0) {
            env->current_tb = NULL;
            return (uintptr_t)tb | (uintptr_t)code;
        }
        tb = next;
    }
}

static void interp_set_jump(CodeBuffer *buf, TB *from, int slot, TB *to)
{
    /* Nothing to patch: run_program follows tb->jmp_dest itself. */
}

static int interp_insn_at(const TB *tb, TcgCpuState *env, uintptr_t ra)
{
    return env->current_tb == tb ? env->current_insn : -1;
}

const Backend backend_interp = {
    .name = "interp",
    .native = false,
    .gen = interp_gen,
    .exec = interp_exec,
    .set_jump = interp_set_jump,
    .insn_at = interp_insn_at,
};
