/* jit.h — the x86-64 JIT's translation context, shared by its files:
 *
 *   backend.c   the Backend: gen() driver, trampoline, exec, links, insn_at
 *   regalloc.c  liveness and the register allocator
 *   ops.c       one emitter per IR op, and the op table (ORDER IR)
 *   ldst.c      qemu_ld/qemu_st: inline TLB hit path, out-of-line miss path
 *   emit.h      encodings
 *
 * Host register use: r14 holds env for the whole run (callee-saved, set by
 * the trampoline); r15 holds env->icount_left (loaded by the trampoline,
 * stored by the epilogue, and around every call into C that may read or
 * change it: helpers, TLB misses, lookup_tb), so the budget check of one
 * block does not wait for the previous one's store to memory; rsp points
 * at a frame with one 8-byte slot per IR temp (locals spill there:
 * [rsp + 8 * temp]); r10 and r11 are scratch for the emitters and never
 * allocated; the other eleven hold temps.
 *
 * Where a temp's value is: globals live in env (their home), locals in
 * their frame slot, constants nowhere; TempLoc.reg says which register holds
 * a copy and .dirty whether that copy is newer than the home.
 */
#ifndef EMU_TCG_X86_64_JIT_H
#define EMU_TCG_X86_64_JIT_H

#include "tcg/tb.h"
#include "tcg/x86_64/emit.h"

#define JIT_ENV R_R14
#define JIT_ICOUNT R_R15
#define JIT_TMP0 R_R10
#define JIT_TMP1 R_R11
/* Registers the allocator hands out, and the ones a call clobbers. */
#define JIT_ALLOCATABLE (0xffffu & ~(1u << R_RSP | 1u << R_R14 | 1u << R_R15 | 1u << R_R10 | \
                                     1u << R_R11))
#define JIT_CALLER_SAVED (1u << R_RAX | 1u << R_RCX | 1u << R_RDX | 1u << R_RSI | 1u << R_RDI | \
                          1u << R_R8 | 1u << R_R9 | 1u << R_R10 | 1u << R_R11)
/* Frame: one slot per temp, and rsp 16-byte aligned at calls (the six
 * pushes of the trampoline plus the return address leave it at 8 mod 16). */
#define JIT_FRAME_SIZE (IR_MAX_TEMPS * 8 + 8)
/* The start of the code buffer: epilogue at 0, trampoline at 32, the host
 * features (JIT_F_*, as a uint32_t) at 64. */
#define JIT_EPILOGUE_OFF 0
#define JIT_PROLOGUE_OFF 32
#define JIT_FEAT_OFF 64
#define JIT_HEADER_SIZE 128
/* Room kept free for one op (the longest, a call with spills, is far less). */
#define JIT_OP_MARGIN 4096
#define JIT_MAX_SLOW 64
#define JIT_MAX_SYNC 12
/* Jit.dead bit: the op computes nothing live and is not emitted. */
#define JIT_SKIP 0x80

/* Host CPU features the emitters use when present. */
enum { JIT_F_LZCNT = 1 << 0, JIT_F_BMI1 = 1 << 1, JIT_F_POPCNT = 1 << 2 };

typedef struct TempLoc {
    int8_t reg;             /* register holding the value, or R_NONE */
    uint8_t dirty;          /* the register (or the constant) is newer than the home */
    uint8_t cross;          /* local whose value crosses a label: synced at branches */
    uint8_t zext;           /* the value's upper 32 bits are known to be zero */
    uint8_t is_const;       /* globals only: the value is Jit.cval[t] */
} TempLoc;

/* A global the miss path stores before calling out (the hit path leaves
 * them in registers): from a register, or a constant. */
typedef struct SlowSync {
    int32_t off;
    int8_t reg;             /* R_NONE: imm */
    uint64_t imm;
} SlowSync;

/* A qemu_ld/st miss path waiting to be emitted after the block body. */
typedef struct SlowPath {
    uint8_t *jne;           /* rel32 of the jump from the hit path */
    uintptr_t ret;          /* RX address to come back to: inside the insn's code */
    uint16_t save;          /* caller-saved registers live across the op */
    uint8_t memop, type, is_store, nsync;
    int8_t addr, val, out;  /* registers; val R_NONE: the constant `imm` */
    uint64_t imm;
    SlowSync sync[JIT_MAX_SYNC];
} SlowPath;

typedef struct Jit {
    Asm a;
    const IrFunc *f;
    TB *tb;
    TcgCpuState *env;
    uint8_t *code;          /* this TB's first byte (RW view) */
    uintptr_t epilogue;     /* RX address of the shared epilogue */
    uint32_t feat;          /* JIT_F_* */
    int cur;                /* index of the op being emitted */
    int insn;               /* insn_start ops seen */
    uint8_t *guard_jne;     /* rel32 of tb_guard's jump to the budget exit */
    bool overflow;          /* ran out of code buffer */

    /* register allocator */
    int16_t reg_temp[16];   /* temp in each register, or -1 */
    uint32_t reg_age[16];   /* op of last use: eviction picks the oldest */
    uint16_t locked;        /* registers the current op uses */
    TempLoc t[IR_MAX_TEMPS];
    uint64_t cval[IR_MAX_GLOBALS];  /* globals with is_const */
    uint8_t dead[IR_MAX_OPS];   /* per op: bit k set if args[k] dies there */

    /* labels: position once placed; before that a chain of rel32 fields
     * (each holds the offset of the previous one, -1 ends it) */
    int32_t label_pos[IR_MAX_LABELS];
    int32_t label_chain[IR_MAX_LABELS];

    SlowPath slow[JIT_MAX_SLOW];
    int nslow;
} Jit;

static inline const IrTempInfo *jit_tinfo(const Jit *j, IrTemp t) { return &j->f->temps[t]; }
static inline bool jit_is_const(const Jit *j, IrTemp t) { return j->f->temps[t].kind == IR_TEMP_CONST; }
static inline uint64_t jit_const(const Jit *j, IrTemp t) { return j->f->temps[t].value; }
static inline bool jit_dies(const Jit *j, int k) { return j->dead[j->cur] >> k & 1; }
static inline int jit_rexw(const IrOp *op) { return op->type == IR_I64 ? P_REXW : 0; }
static inline int32_t jit_slot(IrTemp t) { return (int32_t)t * 8; }

/* env->icount_left <-> r15, around calls into C. */
static inline void jit_icount_store(Asm *a) { emit_rm(a, OPC_MOVL_EvGv, JIT_ICOUNT, JIT_ENV, 0); }
static inline void jit_icount_load(Asm *a) { emit_rm(a, OPC_MOVL_GvEv, JIT_ICOUNT, JIT_ENV, 0); }

/* -- regalloc.c -- */
void ra_liveness(Jit *j);
void ra_reset(Jit *j);
int ra_in(Jit *j, IrTemp t);                        /* value in a register, locked */
int ra_out(Jit *j, IrTemp t);                       /* a fresh register for t, locked */
/* t's register for an op computing out from args[k] in place: args[k]'s own
 * register if it dies here (or is out), else a copy in a fresh one. */
int ra_out_from(Jit *j, const IrOp *op, int k);
/* The same register choice, without the copy (for ops reading args[k]
 * out of place: movzx, lea, lzcnt...). */
int ra_out_reuse(Jit *j, const IrOp *op, int k);
void ra_discard(Jit *j, IrTemp t);                  /* a local's value is dead */
void ra_bind(Jit *j, IrTemp t, int reg);            /* t now lives (dirty) in reg */
void ra_scratch(Jit *j, int reg);                   /* empty reg and lock it for this op */
void ra_op_end(Jit *j, const IrOp *op);
void ra_sync(Jit *j, bool locals, bool forget);     /* store dirty globals (and crossing locals) */
void ra_sync_one(Jit *j, IrTemp t);                 /* the same for one global */
void ra_set_const(Jit *j, IrTemp t, uint64_t v);    /* global t = v, stored lazily */
/* Dirty globals (the output excepted) for a TLB miss path to store; false
 * if there are too many: then they were stored here. */
void ra_collect_dirty(Jit *j, SlowPath *s, IrTemp except);
void ra_sync_env_range(Jit *j, int32_t off, int size, bool store_after);
void ra_forget_globals(Jit *j);
void ra_call_clobber(Jit *j, const IrOp *op);       /* nothing live in caller-saved registers */
void ra_forget_mask(Jit *j, unsigned mask);
unsigned ra_live_after(Jit *j, const IrOp *op);     /* registers holding values live after op */

typedef struct Move { int8_t dst, src; uint8_t sext; } Move;
void jit_parallel_move(Jit *j, Move *m, int n);

/* -- ldst.c -- */
void jit_qemu_ld(Jit *j, const IrOp *op);
void jit_qemu_st(Jit *j, const IrOp *op);
void jit_emit_slow_paths(Jit *j);

/* -- ops.c -- */
void jit_emit_op(Jit *j, const IrOp *op);

/* -- backend.c -- */
void jit_exit(Jit *j, unsigned code);               /* return tb | code */
void jit_place_label(Jit *j, int label);
void jit_jump_label(Jit *j, int cond, int label);   /* cond -1: jmp */

#endif
