/* opt.c — the IR optimiser: constant folding, copy propagation, dead code.
 *
 * Forward pass (per extended basic block: facts are dropped at labels):
 *   - a temp known to hold a constant is replaced by that constant in uses;
 *   - a temp that is a copy of another (mov) is replaced by the original,
 *     as long as neither was written since (version counters);
 *   - ops whose inputs are all constant fold into a mov of the result;
 *     identities (x+0, x&-1, x*1, x^x...) become movs.
 * Backward pass: an op with no side effects whose outputs are all dead is
 * removed. Locals are live where a later op on some path reads them: a
 * label's live-in is recorded when the pass meets it, so a forward branch
 * knows what its target needs (a backward branch assumes everything).
 * Globals are live at block ends, branches and labels, and before anything
 * that may raise a guest exception or lets a helper read guest state — so
 * a store to a global is dropped only when a later op overwrites it with no
 * such point between (flag updates of consecutive instructions, typically).
 */
#include <stdlib.h>
#include <string.h>
#include "tcg/ir.h"
#include "base/log.h"

typedef struct TempFact {
    uint8_t is_const;
    uint8_t is_copy;
    uint64_t value;
    IrTemp copy_of;
    uint32_t copy_version;          /* version of copy_of when the copy was made */
} TempFact;

struct IrOptScratch {
    IrFunc *f;
    TempFact fact[IR_MAX_TEMPS];
    uint32_t version[IR_MAX_TEMPS];
    uint8_t zext[IR_MAX_TEMPS];     /* upper 32 bits known to be zero */
    uint8_t live[IR_MAX_TEMPS];     /* backward pass: live after the current op */
    uint64_t label_live[IR_MAX_LABELS][IR_MAX_TEMPS / 64];
    uint8_t label_known[IR_MAX_LABELS];
};
typedef struct IrOptScratch Opt;

static uint64_t trunc_t(IrType t, uint64_t v) { return t == IR_I32 ? (uint32_t)v : v; }

static void forget(Opt *o, IrTemp t)
{
    o->fact[t].is_const = 0;
    o->fact[t].is_copy = 0;
    o->version[t]++;
    /* The frontend's I32 globals always hold zero-extended values. */
    o->zext[t] = o->f->temps[t].kind == IR_TEMP_GLOBAL && o->f->temps[t].type == IR_I32;
}

static void forget_all(Opt *o)
{
    for (int t = 0; t < o->f->ntemps; t++) {
        if (o->f->temps[t].kind == IR_TEMP_CONST)
            continue;
        forget(o, (IrTemp)t);
    }
}

static void forget_globals(Opt *o)
{
    for (int t = 1; t < o->f->nglobals; t++)
        forget(o, (IrTemp)t);
}

/* The canonical temp to read for t: a constant, the original of a copy, or t. */
static IrTemp resolve(Opt *o, IrTemp t)
{
    TempFact *fa = &o->fact[t];
    if (fa->is_const)
        return ir_const(o->f, fa->value);
    if (fa->is_copy && o->version[fa->copy_of] == fa->copy_version)
        return fa->copy_of;
    return t;
}

static bool const_of(Opt *o, IrTemp t, uint64_t *v)
{
    if (o->f->temps[t].kind == IR_TEMP_CONST) {
        *v = o->f->temps[t].value;
        return true;
    }
    if (o->fact[t].is_const) {
        *v = o->fact[t].value;
        return true;
    }
    return false;
}

static bool fold_binary(IrOpcode opc, IrType t, uint64_t a, uint64_t b, uint64_t *r)
{
    unsigned bits = t == IR_I32 ? 32 : 64;
    a = trunc_t(t, a);
    b = trunc_t(t, b);
    switch (opc) {
    case IR_add: *r = a + b; break;
    case IR_sub: *r = a - b; break;
    case IR_mul: *r = a * b; break;
    case IR_and: *r = a & b; break;
    case IR_or: *r = a | b; break;
    case IR_xor: *r = a ^ b; break;
    case IR_andc: *r = a & ~b; break;
    case IR_shl: *r = a << (b & (bits - 1)); break;
    case IR_shr: *r = a >> (b & (bits - 1)); break;
    case IR_sar:
        *r = t == IR_I32 ? (uint64_t)(uint32_t)((int32_t)a >> (b & 31))
                         : (uint64_t)((int64_t)a >> (b & 63));
        break;
    default: return false;
    }
    *r = trunc_t(t, *r);
    return true;
}

static bool fold_unary(IrOpcode opc, IrType t, uint64_t a, uint64_t *r)
{
    switch (opc) {
    case IR_mov: *r = a; break;
    case IR_neg: *r = -a; break;
    case IR_not: *r = ~a; break;
    case IR_ext8s: *r = (uint64_t)(int64_t)(int8_t)a; break;
    case IR_ext8u: *r = (uint8_t)a; break;
    case IR_ext16s: *r = (uint64_t)(int64_t)(int16_t)a; break;
    case IR_ext16u: *r = (uint16_t)a; break;
    case IR_ext32s: *r = (uint64_t)(int64_t)(int32_t)a; break;
    case IR_ext32u: *r = (uint32_t)a; break;
    default: return false;
    }
    *r = trunc_t(t, *r);
    return true;
}

static void make_mov(Opt *o, IrOp *op, IrTemp src)
{
    IrTemp d = op->args[0];
    op->opc = IR_mov;
    op->nout = op->nin = 0;
    op->args[0] = d;
    op->args[1] = src;
}

static void make_movi(Opt *o, IrOp *op, uint64_t v)
{
    make_mov(o, op, ir_const(o->f, v));
}

/* Algebraic identities with one constant operand; true if op was rewritten. */
static bool simplify(Opt *o, IrOp *op)
{
    uint64_t a = 0, b = 0, all = op->type == IR_I32 ? 0xffffffffull : ~0ull;
    bool ca = const_of(o, op->args[1], &a), cb = const_of(o, op->args[2], &b);
    IrTemp x = op->args[1];
    switch (op->opc) {
    case IR_add: case IR_or: case IR_xor: case IR_shl: case IR_shr: case IR_sar:
    case IR_rotl: case IR_rotr: case IR_sub: case IR_andc:
        if (cb && trunc_t((IrType)op->type, b) == 0) {
            make_mov(o, op, x);
            return true;
        }
        if (ca && a == 0 && (op->opc == IR_add || op->opc == IR_or || op->opc == IR_xor)) {
            make_mov(o, op, op->args[2]);
            return true;
        }
        if ((op->opc == IR_sub || op->opc == IR_xor || op->opc == IR_andc) &&
            op->args[1] == op->args[2]) {
            make_movi(o, op, 0);
            return true;
        }
        return false;
    case IR_and:
        if ((cb && (b & all) == 0) || (ca && (a & all) == 0)) {
            make_movi(o, op, 0);
            return true;
        }
        if (cb && (b & all) == all) {
            make_mov(o, op, x);
            return true;
        }
        if (op->args[1] == op->args[2]) {
            make_mov(o, op, x);
            return true;
        }
        return false;
    case IR_mul:
        if (cb && (b & all) == 1) {
            make_mov(o, op, x);
            return true;
        }
        if (cb && (b & all) == 0) {
            make_movi(o, op, 0);
            return true;
        }
        return false;
    default:
        return false;
    }
}

static void forward_op(Opt *o, IrOp *op)
{
    const IrOpDef *def = &ir_op_defs[op->opc];
    int nout = ir_op_nout(op), nin = ir_op_nin(op);
    uint64_t a, b, r;

    if (op->opc == IR_set_label) {
        forget_all(o);
        return;
    }
    if (op->opc == IR_discard) {
        /* Names the temp itself, not its value: never replace it by the
         * original of a copy, and copies of it are no longer valid. */
        forget(o, op->args[0]);
        return;
    }
    for (int k = nout; k < nout + nin; k++)
        op->args[k] = resolve(o, op->args[k]);
    if (op->opc == IR_call) {
        const IrHelper *h = ir_op_helper(op);
        if (h->flags & IR_HELPER_WRITES_GLOBALS)
            forget_globals(o);
    }

    if (nout == 1 && nin == 2 && fold_binary((IrOpcode)op->opc, (IrType)op->type, 0, 0, &r) &&
        const_of(o, op->args[1], &a) && const_of(o, op->args[2], &b)) {
        fold_binary((IrOpcode)op->opc, (IrType)op->type, a, b, &r);
        make_movi(o, op, r);
    } else if (nout == 1 && nin == 1 && op->opc != IR_mov &&
               fold_unary((IrOpcode)op->opc, (IrType)op->type, 0, &r) &&
               const_of(o, op->args[1], &a)) {
        fold_unary((IrOpcode)op->opc, (IrType)op->type, a, &r);
        make_movi(o, op, r);
    } else if (op->opc == IR_setcond && const_of(o, op->args[1], &a) &&
               const_of(o, op->args[2], &b)) {
        make_movi(o, op, ir_cond_eval((IrCond)op->args[3], (IrType)op->type, a, b));
    } else if (nout == 1 && nin == 2 && !(def->flags & IR_OPF_CALL)) {
        simplify(o, op);
    }

    for (int k = 0; k < nout; k++) {
        forget(o, op->args[k]);
        o->zext[op->args[k]] = op->type == IR_I32;   /* I32 ops zero-extend */
    }
    if (op->opc == IR_mov) {
        IrTemp d = op->args[0], s = op->args[1];
        /* A 32-bit mov truncates: it is a plain copy only of a value whose
         * upper half is already zero. */
        if (const_of(o, s, &a)) {
            o->fact[d].is_const = 1;
            o->fact[d].value = trunc_t((IrType)op->type, a);
        } else if (op->type == IR_I64 || o->zext[s]) {
            o->fact[d].is_copy = 1;
            o->fact[d].copy_of = s;
            o->fact[d].copy_version = o->version[s];
        }
    }
    if (def->flags & IR_OPF_BB_END)
        forget_all(o);
}

/* -- Dead code ---------------------------------------------------------------- */

static bool op_is_removable(const IrOp *op)
{
    const IrOpDef *def = &ir_op_defs[op->opc];
    if (op->opc == IR_call)
        return (ir_op_helper(op)->flags & IR_HELPER_PURE) && op->nout == 1;
    return !(def->flags & (IR_OPF_SIDE_EFFECTS | IR_OPF_BB_END)) && op->opc != IR_discard;
}

static bool op_syncs_globals(const IrOp *op)
{
    const IrOpDef *def = &ir_op_defs[op->opc];
    if (op->opc == IR_call)
        return ir_op_helper(op)->flags & (IR_HELPER_READS_GLOBALS | IR_HELPER_MAY_RAISE);
    return def->flags & (IR_OPF_MAY_RAISE | IR_OPF_BB_END);
}

/* Live-in of each label, as a bitset of temps (the backward pass meets a
 * forward branch after its label). */
static void label_save(Opt *o, int label, const uint8_t *live, int ntemps)
{
    uint64_t *set = o->label_live[label];
    memset(set, 0, (size_t)(ntemps + 63) / 64 * 8);
    for (int t = 0; t < ntemps; t++)
        if (live[t])
            set[t >> 6] |= 1ull << (t & 63);
    o->label_known[label] = 1;
}

/* live |= live-in of label (everything, for a label not met yet: a branch
 * backwards). */
static void label_merge(Opt *o, int label, uint8_t *live, int ntemps)
{
    const uint64_t *set = o->label_live[label];
    if (!o->label_known[label]) {
        memset(live, 1, (size_t)ntemps);
        return;
    }
    for (int t = 0; t < ntemps; t++)
        live[t] |= (uint8_t)(set[t >> 6] >> (t & 63) & 1);
}

/* What is live just before op, given what is live after it (control flow
 * only; the op's own outputs and inputs are the caller's). Locals: live
 * along every edge into the label a branch goes to; dead at block exits.
 * Globals: live wherever the backend must have them in memory. */
static void live_before(Opt *o, const IrOp *op, uint8_t *live)
{
    IrFunc *f = o->f;
    switch (op->opc) {
    case IR_set_label:
        label_save(o, (int)op->args[0], live, f->ntemps);
        break;
    case IR_brcond:
        label_merge(o, (int)op->args[3], live, f->ntemps);
        break;
    case IR_br:
        memset(live, 0, (size_t)f->ntemps);
        label_merge(o, (int)op->args[0], live, f->ntemps);
        break;
    case IR_goto_tb: case IR_exit_tb: case IR_lookup_tb:
        memset(live, 0, (size_t)f->ntemps);
        break;
    default:
        break;
    }
    if (op_syncs_globals(op) || (ir_op_defs[op->opc].flags & IR_OPF_BB_END))
        memset(live, 1, (size_t)f->nglobals);
}

static void backward_dce(Opt *o)
{
    IrFunc *f = o->f;
    uint8_t *live = o->live;
    int keep = 0;

    memset(o->label_known, 0, (size_t)f->nlabels);
    memset(live, 0, (size_t)f->ntemps);
    memset(live, 1, (size_t)f->nglobals);       /* globals live at the end */
    for (int i = f->nops - 1; i >= 0; i--) {
        IrOp *op = &f->ops[i];
        int nout = ir_op_nout(op), nin = ir_op_nin(op);
        bool any_live = false;

        live_before(o, op, live);
        if (op->opc == IR_discard) {
            live[op->args[0]] = 0;
            op->opc = IR_NB_OPS;                /* drop it: marks removal */
            continue;
        }
        for (int k = 0; k < nout; k++)
            any_live |= live[op->args[k]] != 0;
        if (nout && !any_live && op_is_removable(op)) {
            op->opc = IR_NB_OPS;
            continue;
        }
        for (int k = 0; k < nout; k++)
            live[op->args[k]] = 0;
        for (int k = nout; k < nout + nin; k++)
            live[op->args[k]] = 1;
    }
    for (int i = 0; i < f->nops; i++)
        if (f->ops[i].opc != IR_NB_OPS)
            f->ops[keep++] = f->ops[i];
    f->nops = keep;
}

void ir_optimize(IrFunc *f)
{
    Opt *o;
    if (!f->opt && !(f->opt = calloc(1, sizeof(Opt))))   /* large: kept with f */
        fatal("out of memory");
    o = f->opt;
    o->f = f;
    for (int t = 0; t < f->ntemps; t++)       /* clears every fact of this block's temps */
        forget(o, (IrTemp)t);
    for (int i = 0; i < f->nops; i++)
        forward_op(o, &f->ops[i]);
    backward_dce(o);
}
