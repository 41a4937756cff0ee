/* ir.h — the intermediate representation between guest and host code.
 *
 * A translation block becomes an IrFunc: a list of IrOps over temps. Temps
 * are 64-bit slots of three kinds:
 *   - globals: guest state in CpuState at a fixed offset from env (guest
 *     registers, lazy-flag fields). Backends may cache them in host
 *     registers but must store them back before anything that can raise an
 *     exception or calls a helper that reads guest state (see docs/ir.md);
 *   - locals: values of this block, alive across labels and branches;
 *   - constants: a fixed value, made with ir_const().
 * I32 ops read the low 32 bits of their inputs and zero the upper half of
 * their output.
 *
 * Frontends build IR only through the typed builders below (ir_add(...),
 * ir_qemu_ld(...)); ops are listed once in ir.def. The optimiser (opt.c)
 * folds constants, propagates copies and removes dead code before a
 * backend turns the IrFunc into something it can run.
 */
#ifndef EMU_TCG_IR_H
#define EMU_TCG_IR_H

#include <stdio.h>
#include "base/compiler.h"

/* -- Ops -- */
enum {
    IR_OPF_BB_END = 1 << 0,        /* ends a basic block */
    IR_OPF_SIDE_EFFECTS = 1 << 1,  /* never removed as dead */
    IR_OPF_MAY_RAISE = 1 << 2,     /* may leave the block with a guest exception */
    IR_OPF_CALL = 1 << 3,          /* helper call: flags per helper */
};

typedef enum IrOpcode {
#define DEF(name, nout, nin, nconst, flags) IR_##name,
#include "tcg/ir.def"
#undef DEF
    IR_NB_OPS
} IrOpcode;

typedef struct IrOpDef {
    const char *name;
    uint8_t nout, nin, nconst;
    uint8_t flags;
} IrOpDef;
extern const IrOpDef ir_op_defs[IR_NB_OPS];

typedef enum { IR_I32, IR_I64 } IrType;

/* Comparison conditions for setcond/movcond/brcond. */
typedef enum IrCond {
    IR_COND_NEVER, IR_COND_ALWAYS,
    IR_COND_EQ, IR_COND_NE,
    IR_COND_LT, IR_COND_GE, IR_COND_LE, IR_COND_GT,      /* signed */
    IR_COND_LTU, IR_COND_GEU, IR_COND_LEU, IR_COND_GTU,  /* unsigned */
    IR_COND_TSTEQ, IR_COND_TSTNE,                         /* (a & b) == 0, != 0 */
} IrCond;
IrCond ir_cond_invert(IrCond c);
IrCond ir_cond_swap(IrCond c);                 /* a c b  <=>  b swap(c) a */
bool ir_cond_eval(IrCond c, IrType t, uint64_t a, uint64_t b);

/* Guest memory access description for qemu_ld/qemu_st. */
typedef enum MemOp {
    MO_8 = 0, MO_16 = 1, MO_32 = 2, MO_64 = 3,
    MO_SIZE = 3,
    MO_SIGN = 4,                   /* sign-extend a load */
    MO_MMU_SHIFT = 4,              /* mmu index in bits 4-7 */
} MemOp;
static inline unsigned memop_size(unsigned mo) { return 1u << (mo & MO_SIZE); }
static inline unsigned memop_mmu(unsigned mo) { return (mo >> MO_MMU_SHIFT) & 15; }
static inline unsigned memop_make(unsigned mo, unsigned mmu_idx) { return mo | (mmu_idx << MO_MMU_SHIFT); }

/* exit_tb codes */
enum { IR_EXIT_NORMAL = 0 };

/* -- Temps -- */
typedef uint32_t IrTemp;
#define IR_TEMP_ENV 0              /* the env pointer (CpuState *), always temp 0 */

typedef enum { IR_TEMP_GLOBAL, IR_TEMP_LOCAL, IR_TEMP_CONST } IrTempKind;

typedef struct IrTempInfo {
    uint8_t kind;                  /* IrTempKind */
    uint8_t type;                  /* IrType: the width of a global's field */
    int32_t offset;                /* globals: offset in CpuState */
    uint64_t value;                /* constants */
    const char *name;              /* globals, for dumps */
} IrTempInfo;

#define IR_MAX_ARGS 8
#define IR_MAX_TEMPS 4096
#define IR_MAX_OPS 8192
#define IR_MAX_GLOBALS 64
#define IR_MAX_LABELS 512

typedef struct IrOp {
    uint16_t opc;
    uint8_t type;                  /* IrType */
    uint8_t nout, nin;             /* for calls (others: from ir_op_defs) */
    uint32_t args[IR_MAX_ARGS];    /* outputs, inputs, then constants */
} IrOp;

/* -- Helpers callable from IR ------------------------------------------------
 * Helpers are registered in a table (see ir_helper_register); an op `call`
 * names one by index. Arguments and results are passed as 64-bit values;
 * I32 arguments are sign-extended (which every supported host ABI accepts
 * for 32-bit parameters) and I32 results truncated. */
enum {
    IR_HELPER_READS_GLOBALS = 1 << 0,  /* backend stores cached globals first */
    IR_HELPER_WRITES_GLOBALS = 1 << 1, /* backend reloads globals after */
    IR_HELPER_MAY_RAISE = 1 << 2,      /* may leave with a guest exception */
    IR_HELPER_PURE = 1 << 3,           /* no side effects: removable if unused */
    IR_HELPER_ALL = IR_HELPER_READS_GLOBALS | IR_HELPER_WRITES_GLOBALS | IR_HELPER_MAY_RAISE,
};

typedef enum { IR_ARG_VOID, IR_ARG_I32, IR_ARG_I64, IR_ARG_PTR } IrArgType;

typedef struct IrHelper {
    const char *name;
    void *fn;
    uint8_t flags;
    uint8_t ret;                   /* IrArgType */
    uint8_t nargs;
    uint8_t args[6];               /* IrArgType of each argument */
} IrHelper;

/* The table of helpers every frontend declares (cpu/helpers.def). */
extern const IrHelper ir_helpers[];
extern const int ir_nb_helpers;

/* -- A function under construction -- */
typedef struct IrFunc {
    IrOp *ops;
    int nops;
    IrTempInfo *temps;
    int ntemps;
    int nglobals;                  /* temps 0..nglobals-1 are env and the globals */
    int nlabels;
    bool overflow;                 /* too many ops/temps: the block must be shorter */
    IrOp sink;                     /* absorbs ops emitted past IR_MAX_OPS */
    struct IrOptScratch *opt;      /* the optimiser's working memory */
} IrFunc;

/* A frontend registers its globals once; every IrFunc starts with them. */
typedef struct IrGlobalSet {
    IrTempInfo temps[IR_MAX_GLOBALS];
    int n;
} IrGlobalSet;
void ir_globals_init(IrGlobalSet *set);                /* temp 0 = env */
IrTemp ir_global_new(IrGlobalSet *set, IrType type, int32_t offset, const char *name);

IrFunc *ir_func_new(void);
void ir_func_free(IrFunc *f);
void ir_func_reset(IrFunc *f, const IrGlobalSet *globals);

IrTemp ir_temp_new(IrFunc *f);
IrTemp ir_const(IrFunc *f, uint64_t value);
int ir_label_new(IrFunc *f);
static inline bool ir_temp_is_const(const IrFunc *f, IrTemp t) { return f->temps[t].kind == IR_TEMP_CONST; }
static inline bool ir_temp_is_global(const IrFunc *f, IrTemp t) { return f->temps[t].kind == IR_TEMP_GLOBAL; }

/* Append a raw op; prefer the typed builders below. */
IrOp *ir_emit(IrFunc *f, IrOpcode opc, IrType type);

/* -- Typed builders -- */
#define IR_BUILD_1_1(name) \
    static inline void ir_##name(IrFunc *f, IrType t, IrTemp d, IrTemp a) \
    { IrOp *op = ir_emit(f, IR_##name, t); op->args[0] = d; op->args[1] = a; }
#define IR_BUILD_1_2(name) \
    static inline void ir_##name(IrFunc *f, IrType t, IrTemp d, IrTemp a, IrTemp b) \
    { IrOp *op = ir_emit(f, IR_##name, t); op->args[0] = d; op->args[1] = a; op->args[2] = b; }
IR_BUILD_1_1(mov) IR_BUILD_1_1(neg) IR_BUILD_1_1(not)
IR_BUILD_1_1(ext8s) IR_BUILD_1_1(ext8u) IR_BUILD_1_1(ext16s) IR_BUILD_1_1(ext16u)
IR_BUILD_1_1(ext32s) IR_BUILD_1_1(ext32u)
IR_BUILD_1_1(bswap16) IR_BUILD_1_1(bswap32) IR_BUILD_1_1(bswap64) IR_BUILD_1_1(ctpop)
IR_BUILD_1_2(add) IR_BUILD_1_2(sub) IR_BUILD_1_2(mul) IR_BUILD_1_2(and) IR_BUILD_1_2(or)
IR_BUILD_1_2(xor) IR_BUILD_1_2(andc) IR_BUILD_1_2(shl) IR_BUILD_1_2(shr) IR_BUILD_1_2(sar)
IR_BUILD_1_2(rotl) IR_BUILD_1_2(rotr) IR_BUILD_1_2(clz) IR_BUILD_1_2(ctz)
#undef IR_BUILD_1_1
#undef IR_BUILD_1_2

static inline void ir_discard(IrFunc *f, IrTemp t)
{ IrOp *op = ir_emit(f, IR_discard, IR_I64); op->args[0] = t; }
static inline void ir_mulu2(IrFunc *f, IrType t, IrTemp lo, IrTemp hi, IrTemp a, IrTemp b)
{ IrOp *op = ir_emit(f, IR_mulu2, t); op->args[0] = lo; op->args[1] = hi; op->args[2] = a; op->args[3] = b; }
static inline void ir_muls2(IrFunc *f, IrType t, IrTemp lo, IrTemp hi, IrTemp a, IrTemp b)
{ IrOp *op = ir_emit(f, IR_muls2, t); op->args[0] = lo; op->args[1] = hi; op->args[2] = a; op->args[3] = b; }
static inline void ir_extract(IrFunc *f, IrType t, IrTemp d, IrTemp a, unsigned pos, unsigned len)
{ IrOp *op = ir_emit(f, IR_extract, t); op->args[0] = d; op->args[1] = a; op->args[2] = pos; op->args[3] = len; }
static inline void ir_sextract(IrFunc *f, IrType t, IrTemp d, IrTemp a, unsigned pos, unsigned len)
{ IrOp *op = ir_emit(f, IR_sextract, t); op->args[0] = d; op->args[1] = a; op->args[2] = pos; op->args[3] = len; }
static inline void ir_deposit(IrFunc *f, IrType t, IrTemp d, IrTemp a, IrTemp b, unsigned pos, unsigned len)
{ IrOp *op = ir_emit(f, IR_deposit, t); op->args[0] = d; op->args[1] = a; op->args[2] = b; op->args[3] = pos; op->args[4] = len; }
static inline void ir_setcond(IrFunc *f, IrType t, IrCond c, IrTemp d, IrTemp a, IrTemp b)
{ IrOp *op = ir_emit(f, IR_setcond, t); op->args[0] = d; op->args[1] = a; op->args[2] = b; op->args[3] = c; }
static inline void ir_movcond(IrFunc *f, IrType t, IrCond c, IrTemp d, IrTemp a, IrTemp b, IrTemp v1, IrTemp v2)
{ IrOp *op = ir_emit(f, IR_movcond, t); op->args[0] = d; op->args[1] = a; op->args[2] = b; op->args[3] = v1; op->args[4] = v2; op->args[5] = c; }
static inline void ir_set_label(IrFunc *f, int label)
{ IrOp *op = ir_emit(f, IR_set_label, IR_I64); op->args[0] = (uint32_t)label; }
/* The block runs only if the I32 value a equals v (see docs/ir.md). */
static inline void ir_tb_guard(IrFunc *f, IrTemp a, uint32_t v)
{ IrOp *op = ir_emit(f, IR_tb_guard, IR_I32); op->args[0] = a; op->args[1] = v; }
static inline void ir_br(IrFunc *f, int label)
{ IrOp *op = ir_emit(f, IR_br, IR_I64); op->args[0] = (uint32_t)label; }
static inline void ir_brcond(IrFunc *f, IrType t, IrCond c, IrTemp a, IrTemp b, int label)
{ IrOp *op = ir_emit(f, IR_brcond, t); op->args[0] = a; op->args[1] = b; op->args[2] = c; op->args[3] = (uint32_t)label; }

/* Loads and stores on host memory: base + offset (base is normally env). */
#define IR_BUILD_LD(name) \
    static inline void ir_##name(IrFunc *f, IrType t, IrTemp d, IrTemp base, int32_t off) \
    { IrOp *op = ir_emit(f, IR_##name, t); op->args[0] = d; op->args[1] = base; op->args[2] = (uint32_t)off; }
#define IR_BUILD_ST(name) \
    static inline void ir_##name(IrFunc *f, IrType t, IrTemp v, IrTemp base, int32_t off) \
    { IrOp *op = ir_emit(f, IR_##name, t); op->args[0] = v; op->args[1] = base; op->args[2] = (uint32_t)off; }
IR_BUILD_LD(ld8u) IR_BUILD_LD(ld8s) IR_BUILD_LD(ld16u) IR_BUILD_LD(ld16s)
IR_BUILD_LD(ld32u) IR_BUILD_LD(ld32s) IR_BUILD_LD(ld64)
IR_BUILD_ST(st8) IR_BUILD_ST(st16) IR_BUILD_ST(st32) IR_BUILD_ST(st64)
#undef IR_BUILD_LD
#undef IR_BUILD_ST

static inline void ir_qemu_ld(IrFunc *f, IrType t, IrTemp d, IrTemp addr, unsigned memop)
{ IrOp *op = ir_emit(f, IR_qemu_ld, t); op->args[0] = d; op->args[1] = addr; op->args[2] = memop; }
static inline void ir_qemu_st(IrFunc *f, IrType t, IrTemp v, IrTemp addr, unsigned memop)
{ IrOp *op = ir_emit(f, IR_qemu_st, t); op->args[0] = v; op->args[1] = addr; op->args[2] = memop; }

static inline void ir_insn_start(IrFunc *f, uint32_t pc_offset, uint32_t cc_op)
{ IrOp *op = ir_emit(f, IR_insn_start, IR_I64); op->args[0] = pc_offset; op->args[1] = cc_op; }
static inline void ir_goto_tb(IrFunc *f, int slot)
{ IrOp *op = ir_emit(f, IR_goto_tb, IR_I64); op->args[0] = (uint32_t)slot; }
static inline void ir_exit_tb(IrFunc *f, uint32_t code)
{ IrOp *op = ir_emit(f, IR_exit_tb, IR_I64); op->args[0] = code; }
static inline void ir_lookup_tb(IrFunc *f)
{ ir_emit(f, IR_lookup_tb, IR_I64); }

/* Helper call: ret may be 0 (IR_TEMP_ENV is never a result) for void
 * helpers; args are temps (IR_TEMP_ENV passes the CpuState pointer). */
void ir_call(IrFunc *f, int helper, IrTemp ret, int nargs, const IrTemp *args);

/* Conveniences over the builders, taking an immediate. */
static inline void ir_movi(IrFunc *f, IrType t, IrTemp d, uint64_t v) { ir_mov(f, t, d, ir_const(f, v)); }
static inline void ir_addi(IrFunc *f, IrType t, IrTemp d, IrTemp a, uint64_t v) { ir_add(f, t, d, a, ir_const(f, v)); }
static inline void ir_andi(IrFunc *f, IrType t, IrTemp d, IrTemp a, uint64_t v) { ir_and(f, t, d, a, ir_const(f, v)); }
static inline void ir_ori(IrFunc *f, IrType t, IrTemp d, IrTemp a, uint64_t v) { ir_or(f, t, d, a, ir_const(f, v)); }
static inline void ir_xori(IrFunc *f, IrType t, IrTemp d, IrTemp a, uint64_t v) { ir_xor(f, t, d, a, ir_const(f, v)); }
static inline void ir_shli(IrFunc *f, IrType t, IrTemp d, IrTemp a, unsigned v) { ir_shl(f, t, d, a, ir_const(f, v)); }
static inline void ir_shri(IrFunc *f, IrType t, IrTemp d, IrTemp a, unsigned v) { ir_shr(f, t, d, a, ir_const(f, v)); }
static inline void ir_sari(IrFunc *f, IrType t, IrTemp d, IrTemp a, unsigned v) { ir_sar(f, t, d, a, ir_const(f, v)); }
static inline void ir_brcondi(IrFunc *f, IrType t, IrCond c, IrTemp a, uint64_t v, int label) { ir_brcond(f, t, c, a, ir_const(f, v), label); }
static inline void ir_setcondi(IrFunc *f, IrType t, IrCond c, IrTemp d, IrTemp a, uint64_t v) { ir_setcond(f, t, c, d, a, ir_const(f, v)); }

/* -- Op argument accessors -- */
static inline int ir_op_nout(const IrOp *op) { return op->opc == IR_call ? op->nout : ir_op_defs[op->opc].nout; }
static inline int ir_op_nin(const IrOp *op) { return op->opc == IR_call ? op->nin : ir_op_defs[op->opc].nin; }
static inline int ir_op_nconst(const IrOp *op) { return ir_op_defs[op->opc].nconst; }
/* First constant argument's index in args[]. */
static inline int ir_op_const_base(const IrOp *op) { return ir_op_nout(op) + ir_op_nin(op); }
static inline const IrHelper *ir_op_helper(const IrOp *op) { return &ir_helpers[op->args[ir_op_const_base(op)]]; }

/* Check structural validity (arities, temp and label ranges); panics with
 * the op on failure. Runs in debug builds and tests. */
void ir_verify(const IrFunc *f);
void ir_dump(const IrFunc *f, FILE *out);

/* Constant-fold, propagate copies, drop dead code (opt.c). */
void ir_optimize(IrFunc *f);

#endif
