/* regalloc.c — liveness and the register allocator of the x86-64 JIT.
 *
 * One forward walk over the block: each op asks for its inputs in registers
 * (ra_in: loaded on first use), then for its output (ra_out / ra_out_from,
 * which computes in place when the input dies there). Values stay in
 * registers within an extended basic block; the homes (env fields for
 * globals, frame slots for locals) are brought up to date only where the IR
 * contract needs it (ra_sync), and registers of dead temps are freed at the
 * end of each op (ra_op_end).
 *
 * Liveness (ra_liveness, a backward pass) marks, per op, which arguments die
 * there, and ops whose results nobody reads (JIT_SKIP: not emitted). A
 * local whose every use is in the extended basic block that first defines
 * it is exact; a local that crosses a label ("cross") is treated as live at
 * every branch until its last use in program order (and to the end of the
 * block if any branch goes backwards), and stored at branches while live.
 *
 * Also tracked per temp: a global set to a constant keeps no register and
 * is stored as an immediate when synced (is_const); a value known to have a
 * zero upper half (zext) needs no truncating mov for I32 uses. Both are
 * forgotten where paths merge (labels).
 *
 * Invariants: a register holds at most one temp; a locked register is never
 * taken from the op that locked it; env (temp 0) is r14 and never bound.
 */
#include <string.h>
#include "tcg/x86_64/jit.h"
#include "base/log.h"

/* Callee-saved first: they survive helper calls and the TLB miss path for
 * free. rax, rcx, rdx last: mul and variable shifts want them. */
static const int8_t alloc_order[] = {
    R_RBX, R_RBP, R_R12, R_R13, R_RSI, R_RDI, R_R8, R_R9, R_RDX, R_RCX, R_RAX,
};

/* -- Liveness ------------------------------------------------------------------ */

enum { SEEN = 1, FIRST_DEF = 2, MULTI_EBB = 4 };

static bool is_local(const IrFunc *f, IrTemp t) { return f->temps[t].kind == IR_TEMP_LOCAL; }

/* Forward: where each temp occurs; whether any branch goes backwards. */
static bool scan_occurrences(const IrFunc *f, int16_t *last, int16_t *ebb, uint8_t *seen)
{
    uint8_t placed[IR_MAX_LABELS];
    bool back = false;
    int cur = 0;

    memset(placed, 0, (size_t)f->nlabels);
    memset(seen, 0, (size_t)f->ntemps);
    for (int i = 0; i < f->nops; i++) {
        const IrOp *op = &f->ops[i];
        int nout = ir_op_nout(op), n = nout + ir_op_nin(op);
        if (op->opc == IR_set_label) {
            placed[op->args[0]] = 1;
            cur++;
        } else if (op->opc == IR_br) {
            back |= placed[op->args[0]];
        } else if (op->opc == IR_brcond) {
            back |= placed[op->args[3]];
        }
        for (int k = 0; k < n; k++) {
            IrTemp t = op->args[k];
            if (!(seen[t] & SEEN)) {
                seen[t] = SEEN | (k < nout ? FIRST_DEF : 0);
                ebb[t] = (int16_t)cur;
            } else if (ebb[t] != cur) {
                seen[t] |= MULTI_EBB;
            }
            last[t] = (int16_t)i;
        }
    }
    return back;
}

static bool dies_at(const Jit *j, IrTemp t, int i, const int16_t *last, const uint8_t *live,
                    bool back)
{
    const IrFunc *f = j->f;
    if (f->temps[t].kind == IR_TEMP_CONST)
        return last[t] == i;
    if (!is_local(f, t))
        return false;
    if (j->t[t].cross)
        return !back && last[t] == i;
    return !live[t];
}

/* An op whose only effect is its outputs. */
static bool removable(const IrOp *op)
{
    if (op->opc == IR_call)
        return (ir_op_helper(op)->flags & IR_HELPER_PURE) != 0;
    return !(ir_op_defs[op->opc].flags & (IR_OPF_SIDE_EFFECTS | IR_OPF_BB_END)) &&
           op->opc != IR_discard;
}

void ra_liveness(Jit *j)
{
    const IrFunc *f = j->f;
    int16_t last[IR_MAX_TEMPS], ebb[IR_MAX_TEMPS];
    uint8_t seen[IR_MAX_TEMPS], live[IR_MAX_TEMPS];
    bool back = scan_occurrences(f, last, ebb, seen);

    for (int t = 0; t < f->ntemps; t++) {
        j->t[t].cross = is_local(f, t) && ((seen[t] & MULTI_EBB) || !(seen[t] & FIRST_DEF));
        j->t[t].reg = R_NONE;
        j->t[t].dirty = 0;
        j->t[t].zext = 0;
        j->t[t].is_const = 0;
    }
    memset(live, 0, (size_t)f->ntemps);
    for (int i = f->nops - 1; i >= 0; i--) {
        const IrOp *op = &f->ops[i];
        int nout = ir_op_nout(op), n = nout + ir_op_nin(op);
        uint8_t mask = 0;
        bool unused = nout > 0 && removable(op);
        for (int k = 0; k < nout && unused; k++)
            unused = dies_at(j, op->args[k], i, last, live, back);
        if (unused) {
            j->dead[i] = JIT_SKIP;      /* computes nothing anyone reads */
            continue;
        }
        for (int k = 0; k < nout; k++)
            mask |= (uint8_t)(dies_at(j, op->args[k], i, last, live, back) << k);
        for (int k = 0; k < nout; k++)
            live[op->args[k]] = 0;
        for (int k = nout; k < n; k++)
            mask |= (uint8_t)(dies_at(j, op->args[k], i, last, live, back) << k);
        for (int k = nout; k < n; k++)
            live[op->args[k]] = 1;
        j->dead[i] = mask;
    }
}

/* -- Moving values between registers and homes ----------------------------------- */

static void load_temp(Jit *j, IrTemp t, int reg)
{
    const IrTempInfo *ti = jit_tinfo(j, t);
    if (ti->kind == IR_TEMP_CONST) {
        if (ti->value == 0)
            emit_arith_rr(&j->a, 0, ARITH_XOR, reg, reg);  /* loads come before any flag use */
        else
            emit_movi(&j->a, reg, ti->value);
    } else if (ti->kind == IR_TEMP_GLOBAL) {
        emit_rm(&j->a, OPC_MOVL_GvEv | P_REXW, reg, JIT_ENV, ti->offset);
    } else {
        emit_rm(&j->a, OPC_MOVL_GvEv | P_REXW, reg, R_RSP, jit_slot(t));
    }
}

static void store_temp(Jit *j, IrTemp t, int reg)
{
    const IrTempInfo *ti = jit_tinfo(j, t);
    if (ti->kind == IR_TEMP_GLOBAL)
        emit_rm(&j->a, OPC_MOVL_EvGv | P_REXW, reg, JIT_ENV, ti->offset);
    else
        emit_rm(&j->a, OPC_MOVL_EvGv | P_REXW, reg, R_RSP, jit_slot(t));
}

/* A constant global's value to its home. */
static void store_const(Jit *j, IrTemp t)
{
    int32_t off = jit_tinfo(j, t)->offset;
    uint64_t v = j->cval[t];
    if (fits_i32((int64_t)v)) {
        emit_rm(&j->a, OPC_MOVL_EvIz | P_REXW, 0, JIT_ENV, off);
        emit32(&j->a, (uint32_t)v);
    } else {
        emit_movi(&j->a, JIT_TMP1, v);
        emit_rm(&j->a, OPC_MOVL_EvGv | P_REXW, JIT_TMP1, JIT_ENV, off);
    }
}

static void unbind(Jit *j, int reg)
{
    int t = j->reg_temp[reg];
    if (t >= 0) {
        j->t[t].reg = R_NONE;
        j->t[t].dirty = 0;
        j->reg_temp[reg] = -1;
    }
}

static void bind(Jit *j, IrTemp t, int reg, bool dirty)
{
    j->t[t].is_const = 0;
    j->reg_temp[reg] = (int16_t)t;
    j->t[t].reg = (int8_t)reg;
    j->t[t].dirty = dirty;
    j->reg_age[reg] = (uint32_t)j->cur;
    j->locked |= (uint16_t)(1u << reg);
}

/* Write reg's value home if the home is stale, then free the register. */
static void spill(Jit *j, int reg)
{
    int t = j->reg_temp[reg];
    if (t >= 0 && j->t[t].dirty)
        store_temp(j, (IrTemp)t, reg);
    unbind(j, reg);
}

static int free_reg(const Jit *j, unsigned allowed)
{
    for (unsigned i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i];
        if ((allowed >> r & 1) && !(j->locked >> r & 1) && j->reg_temp[r] < 0)
            return r;
    }
    return R_NONE;
}

/* A register to overwrite: a free one, else the cheapest to give up
 * (constants, then clean copies, then dirty ones; the oldest first). */
static int pick_reg(Jit *j)
{
    int best = free_reg(j, JIT_ALLOCATABLE), best_cost = 99;
    if (best != R_NONE)
        return best;
    for (unsigned i = 0; i < ARRAY_SIZE(alloc_order); i++) {
        int r = alloc_order[i], t = j->reg_temp[r], cost;
        if (j->locked >> r & 1)
            continue;
        cost = jit_is_const(j, (IrTemp)t) ? 0 : j->t[t].dirty ? 2 : 1;
        cost = cost * 100000 + (int)MIN(j->reg_age[r], 99999u);
        if (best == R_NONE || cost < best_cost) {
            best = r;
            best_cost = cost;
        }
    }
    if (best == R_NONE)
        panic("jit: every register is locked at op %d", j->cur);
    spill(j, best);
    return best;
}

/* Move reg's temp elsewhere: another free register from `to`, else home. */
static void evict(Jit *j, int reg, unsigned to)
{
    int t = j->reg_temp[reg], r;
    if (t < 0)
        return;
    r = jit_is_const(j, (IrTemp)t) ? R_NONE : free_reg(j, to);
    if (r == R_NONE) {
        spill(j, reg);
        return;
    }
    emit_mov_rr(&j->a, P_REXW, r, reg);
    {
        uint8_t c = j->t[t].is_const;
        bind(j, (IrTemp)t, r, j->t[t].dirty);
        j->t[t].is_const = c;
    }
    j->locked &= (uint16_t)~(1u << r);
    j->reg_temp[reg] = -1;
}

/* -- The allocator's interface to the emitters ------------------------------------ */

void ra_reset(Jit *j)
{
    for (int r = 0; r < 16; r++)
        unbind(j, r);
    j->locked = 0;
}

int ra_in(Jit *j, IrTemp t)
{
    int r;
    if (t == IR_TEMP_ENV)
        return JIT_ENV;
    r = j->t[t].reg;
    if (r != R_NONE) {
        j->locked |= (uint16_t)(1u << r);
        j->reg_age[r] = (uint32_t)j->cur;
        return r;
    }
    r = pick_reg(j);
    if (j->t[t].is_const) {
        uint8_t dirty = j->t[t].dirty;
        emit_movi(&j->a, r, j->cval[t]);
        bind(j, t, r, dirty);
        j->t[t].is_const = 1;
        return r;
    }
    load_temp(j, t, r);
    bind(j, t, r, false);
    /* The frontend keeps I32 globals zero-extended in memory (docs/ir.md). */
    j->t[t].zext = jit_tinfo(j, t)->kind == IR_TEMP_GLOBAL && jit_tinfo(j, t)->type == IR_I32;
    return r;
}

void ra_set_const(Jit *j, IrTemp t, uint64_t v)
{
    if (j->t[t].reg != R_NONE)
        j->reg_temp[j->t[t].reg] = -1;      /* its old register stays locked */
    j->t[t].reg = R_NONE;
    j->t[t].is_const = 1;
    j->t[t].dirty = 1;
    j->t[t].zext = v == (uint32_t)v;
    j->cval[t] = v;
}

void ra_bind(Jit *j, IrTemp t, int reg)
{
    if (j->t[t].reg != R_NONE)
        j->reg_temp[j->t[t].reg] = -1;      /* old register stays locked for this op */
    if (j->reg_temp[reg] >= 0 && j->reg_temp[reg] != (int)t)
        spill(j, reg);
    bind(j, t, reg, true);
}

int ra_out(Jit *j, IrTemp t)
{
    int r = pick_reg(j);
    ra_bind(j, t, r);
    return r;
}

int ra_out_reuse(Jit *j, const IrOp *op, int k)
{
    IrTemp out = op->args[0], in = op->args[k];
    int rin = ra_in(j, in);
    if (in != IR_TEMP_ENV && (in == out || (jit_dies(j, k) && !ir_temp_is_global(j->f, in)))) {
        unbind(j, rin);
        ra_bind(j, out, rin);
        return rin;
    }
    return ra_out(j, out);
}

int ra_out_from(Jit *j, const IrOp *op, int k)
{
    int rin = ra_in(j, op->args[k]), r = ra_out_reuse(j, op, k);
    if (r != rin)
        emit_mov_rr(&j->a, jit_rexw(op), r, rin);
    return r;
}

void ra_discard(Jit *j, IrTemp t)
{
    if (ir_temp_is_global(j->f, t) || j->t[t].reg == R_NONE)
        return;
    unbind(j, j->t[t].reg);
}

void ra_scratch(Jit *j, int reg)
{
    if (j->locked >> reg & 1)
        panic("jit: scratch register %d already in use at op %d", reg, j->cur);
    j->locked |= (uint16_t)(1u << reg);
    evict(j, reg, JIT_ALLOCATABLE);
}

/* Whether op's emitted result has a zero upper half (every I32 op's has;
 * extract of more than 32 bits is the interpreter's exception). */
static bool result_zext(const IrOp *op)
{
    switch (op->opc) {
    case IR_extract: return op->args[3] <= 32;
    case IR_ext8u: case IR_ext16u: case IR_ext32u: case IR_ld8u: case IR_ld16u: case IR_ld32u:
        return true;
    default: return op->type == IR_I32;
    }
}

void ra_op_end(Jit *j, const IrOp *op)
{
    int nout = ir_op_nout(op), n = nout + ir_op_nin(op);
    for (int k = 0; k < nout; k++)
        if (!j->t[op->args[k]].is_const)
            j->t[op->args[k]].zext = result_zext(op);
    for (int k = 0; k < n; k++) {
        IrTemp t = op->args[k];
        bool is_out = false;
        if (!jit_dies(j, k) || t == IR_TEMP_ENV || j->t[t].reg == R_NONE)
            continue;
        for (int o = 0; o < nout && k >= nout; o++)
            is_out |= op->args[o] == t;
        if (!is_out)
            unbind(j, j->t[t].reg);
    }
    j->locked = 0;
}

static void sync_consts(Jit *j, bool forget)
{
    for (int g = 1; g < j->f->nglobals; g++) {
        TempLoc *l = &j->t[g];
        if (l->is_const && l->dirty && l->reg == R_NONE) {
            store_const(j, (IrTemp)g);
            l->dirty = 0;
        }
        if (forget)
            l->is_const = 0;
    }
}

void ra_sync_one(Jit *j, IrTemp t)
{
    TempLoc *l = &j->t[t];
    if (!l->dirty)
        return;
    if (l->reg != R_NONE)
        store_temp(j, t, l->reg);
    else
        store_const(j, t);
    l->dirty = 0;
}

void ra_sync(Jit *j, bool locals, bool forget)
{
    sync_consts(j, forget);
    for (int t = 0; forget && t < j->f->ntemps; t++)
        j->t[t].zext = 0;           /* paths merge here: nothing known */
    for (int r = 0; r < 16; r++) {
        int t = j->reg_temp[r];
        if (t < 0)
            continue;
        if (j->t[t].dirty && (ir_temp_is_global(j->f, (IrTemp)t) || (locals && j->t[t].cross))) {
            store_temp(j, (IrTemp)t, r);
            j->t[t].dirty = 0;
        }
        if (forget)
            unbind(j, r);
    }
}

static bool overlaps(int32_t a, int alen, int32_t b, int blen)
{
    return a < b + blen && b < a + alen;
}

/* Host loads and stores that may touch a global's home: bring it up to date
 * first (forget = false), and drop the stale register copy after a store
 * (forget = true). size < 0: any global (the base is not env). */
void ra_sync_env_range(Jit *j, int32_t off, int size, bool forget)
{
    for (int g = 1; g < j->f->nglobals; g++) {
        TempLoc *l = &j->t[g];
        if (!l->is_const || l->reg != R_NONE ||
            (size >= 0 && !overlaps(off, size, jit_tinfo(j, (IrTemp)g)->offset, 8)))
            continue;
        if (forget)
            l->is_const = 0;
        else
            ra_sync_one(j, (IrTemp)g);
    }
    for (int r = 0; r < 16; r++) {
        int t = j->reg_temp[r];
        if (t < 0 || !ir_temp_is_global(j->f, (IrTemp)t))
            continue;
        if (size >= 0 && !overlaps(off, size, jit_tinfo(j, (IrTemp)t)->offset, 8))
            continue;
        if (forget) {
            unbind(j, r);
            j->t[t].is_const = 0;
        } else if (j->t[t].dirty) {
            store_temp(j, (IrTemp)t, r);
            j->t[t].dirty = 0;
        }
    }
}

void ra_forget_globals(Jit *j)
{
    for (int g = 1; g < j->f->nglobals; g++)
        j->t[g].is_const = 0;
    for (int r = 0; r < 16; r++)
        if (j->reg_temp[r] >= 0 && ir_temp_is_global(j->f, (IrTemp)j->reg_temp[r]))
            unbind(j, r);
}

void ra_forget_mask(Jit *j, unsigned mask)
{
    for (int r = 0; r < 16; r++)
        if (mask >> r & 1)
            unbind(j, r);
}

static bool dies_here(const Jit *j, const IrOp *op, IrTemp t)
{
    int nout = ir_op_nout(op), n = nout + ir_op_nin(op);
    bool dies = false;
    for (int k = 0; k < n; k++) {
        if (op->args[k] != t)
            continue;
        if (k < nout)
            return jit_dies(j, k);      /* an output: its new value */
        dies |= jit_dies(j, k);
    }
    return dies;
}

/* Before a helper call: values that outlive it leave the caller-saved
 * registers (to a free callee-saved one, else home). */
void ra_call_clobber(Jit *j, const IrOp *op)
{
    unsigned callee = JIT_ALLOCATABLE & ~JIT_CALLER_SAVED;
    for (int r = 0; r < 16; r++) {
        int t = j->reg_temp[r];
        if (!(JIT_CALLER_SAVED >> r & 1) || t < 0 || dies_here(j, op, (IrTemp)t))
            continue;
        evict(j, r, callee);
    }
}

unsigned ra_live_after(Jit *j, const IrOp *op)
{
    unsigned mask = 0;
    for (int r = 0; r < 16; r++) {
        int t = j->reg_temp[r];
        if (t >= 0 && !dies_here(j, op, (IrTemp)t))
            mask |= 1u << r;
    }
    return mask;
}

void ra_collect_dirty(Jit *j, SlowPath *s, IrTemp except)
{
    s->nsync = 0;
    for (int g = 1; g < j->f->nglobals; g++) {
        TempLoc *l = &j->t[g];
        if (!l->dirty || (IrTemp)g == except || (l->reg == R_NONE && !l->is_const))
            continue;
        if (s->nsync == JIT_MAX_SYNC) {
            ra_sync_one(j, (IrTemp)g);      /* too many to defer: store now */
            continue;
        }
        s->sync[s->nsync++] = (SlowSync){ jit_tinfo(j, (IrTemp)g)->offset, l->reg, j->cval[g] };
    }
}

/* -- Parallel moves (argument set-up) -------------------------------------------- */

static void emit_move(Jit *j, const Move *m)
{
    if (m->sext)
        emit_rr(&j->a, OPC_MOVSLQ, m->dst, m->src);
    else
        emit_mov_rr(&j->a, P_REXW, m->dst, m->src);
}

/* Perform all moves as if at once; cycles go through r11. dsts distinct. */
void jit_parallel_move(Jit *j, Move *m, int n)
{
    while (n > 0) {
        int ready = -1;
        for (int i = 0; i < n && ready < 0; i++) {
            bool blocked = false;
            for (int k = 0; k < n && !blocked; k++)
                blocked = k != i && m[k].src == m[i].dst;
            if (!blocked)
                ready = i;
        }
        if (ready < 0) {
            /* Only cycles left: park one destination's value in r11. */
            int d = m[0].dst;
            emit_mov_rr(&j->a, P_REXW, JIT_TMP1, d);
            for (int k = 0; k < n; k++)
                if (m[k].src == d)
                    m[k].src = JIT_TMP1;
            continue;
        }
        emit_move(j, &m[ready]);
        m[ready] = m[--n];
    }
}
