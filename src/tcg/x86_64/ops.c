/* ops.c — the x86-64 JIT's emitter for each IR op (docs/ir.md semantics,
 * matching the interpreter bit for bit).
 *
 * Each emit_<op>() asks the allocator for its inputs (ra_in) before its
 * output (ra_out*), and loads every input before the instruction that sets
 * the flags a setcc/cmov/jcc consumes (loading a zero constant uses xor).
 * I32 ops use 32-bit instructions, which zero the upper half as the IR
 * wants; the few that do not (partial-register writes, shifts by a count
 * that may be 0) are followed or preceded by a 32-bit mov.
 *
 * The table at the end is generated from ir.def (ORDER IR): an op with no
 * emit_<name>() here is an undeclared identifier, a compile error.
 */
#include "tcg/x86_64/jit.h"
#include "base/log.h"

#define A (&j->a)

static const uint8_t jcc_of[] = {
    [IR_COND_EQ] = JCC_JE, [IR_COND_NE] = JCC_JNE, [IR_COND_LT] = JCC_JL,
    [IR_COND_GE] = JCC_JGE, [IR_COND_LE] = JCC_JLE, [IR_COND_GT] = JCC_JG,
    [IR_COND_LTU] = JCC_JB, [IR_COND_GEU] = JCC_JAE, [IR_COND_LEU] = JCC_JBE,
    [IR_COND_GTU] = JCC_JA, [IR_COND_TSTEQ] = JCC_JE, [IR_COND_TSTNE] = JCC_JNE,
};

static uint64_t trunc_t(const IrOp *op, uint64_t v) { return op->type == IR_I32 ? (uint32_t)v : v; }
static int width(const IrOp *op) { return op->type == IR_I32 ? 32 : 64; }

/* Constant t as the immediate of an op of op's type (I32: any value). */
static bool const_imm(Jit *j, const IrOp *op, IrTemp t, int32_t *imm)
{
    uint64_t v;
    if (!jit_is_const(j, t))
        return false;
    v = jit_const(j, t);
    if (op->type == IR_I64 && !fits_i32((int64_t)v))
        return false;
    *imm = (int32_t)v;
    return true;
}

/* -- Moves ------------------------------------------------------------------- */

/* out = constant v: a global just remembers it (stored when synced). */
static void set_const_out(Jit *j, IrTemp out, uint64_t v)
{
    if (ir_temp_is_global(j->f, out)) {
        ra_set_const(j, out, v);
        return;
    }
    emit_movi(A, ra_out(j, out), v);
}

static void emit_mov(Jit *j, const IrOp *op)
{
    IrTemp s = op->args[1];
    int r, rin;
    if (jit_is_const(j, s)) {
        set_const_out(j, op->args[0], trunc_t(op, jit_const(j, s)));
        return;
    }
    rin = ra_in(j, s);
    r = ra_out_from(j, op, 1);
    if (r == rin && op->type == IR_I32 && !j->t[s].zext)
        emit_mov_rr(A, 0, r, r);
}

static void emit_discard(Jit *j, const IrOp *op)
{
    ra_discard(j, op->args[0]);
}

/* -- Arithmetic -------------------------------------------------------------- */

/* Whether args[k] can become the output in place (it dies here or is out). */
static bool reusable(Jit *j, const IrOp *op, int k)
{
    IrTemp t = op->args[k];
    return t == op->args[0] || (jit_dies(j, k) && jit_tinfo(j, t)->kind != IR_TEMP_GLOBAL);
}

/* Which operand of a binary op to compute the result in. */
static int pick_inplace(Jit *j, const IrOp *op, bool commutative)
{
    if (!commutative || jit_is_const(j, op->args[2]))
        return 1;
    if (jit_is_const(j, op->args[1]) || (!reusable(j, op, 1) && reusable(j, op, 2)))
        return 2;
    return 1;
}

/* out = args[k] OP args[3 - k] for the ARITH_* group. */
static void emit_arith_k(Jit *j, const IrOp *op, int ext, int k)
{
    int r, rb;
    int32_t imm;
    if (const_imm(j, op, op->args[3 - k], &imm)) {
        r = ra_out_from(j, op, k);
        emit_arithi(A, jit_rexw(op), ext, r, imm);
        return;
    }
    rb = ra_in(j, op->args[3 - k]);
    r = ra_out_from(j, op, k);
    emit_arith_rr(A, jit_rexw(op), ext, r, rb);
}

static void emit_arith(Jit *j, const IrOp *op, int ext, bool commutative)
{
    emit_arith_k(j, op, ext, pick_inplace(j, op, commutative));
}

static void emit_add(Jit *j, const IrOp *op)
{
    int k = pick_inplace(j, op, true), ra, rb, r;
    int32_t imm;
    if (reusable(j, op, k) || jit_is_const(j, op->args[k])) {
        emit_arith_k(j, op, ARITH_ADD, k);
        return;
    }
    /* Three-operand add: lea out, [a + b] or [a + imm]. */
    ra = ra_in(j, op->args[k]);
    if (const_imm(j, op, op->args[3 - k], &imm)) {
        r = ra_out(j, op->args[0]);
        emit_rm(A, OPC_LEA | jit_rexw(op), r, ra, imm);
        return;
    }
    rb = ra_in(j, op->args[3 - k]);
    r = ra_out(j, op->args[0]);
    emit_rm_sib(A, OPC_LEA | jit_rexw(op), r, ra, rb, 0, 0);
}

static void emit_sub(Jit *j, const IrOp *op) { emit_arith(j, op, ARITH_SUB, false); }
static void emit_or(Jit *j, const IrOp *op) { emit_arith(j, op, ARITH_OR, true); }
static void emit_xor(Jit *j, const IrOp *op) { emit_arith(j, op, ARITH_XOR, true); }

static void emit_and(Jit *j, const IrOp *op)
{
    int k = jit_is_const(j, op->args[1]) ? 2 : 1, rin, r, opc;
    uint64_t v;
    if (!jit_is_const(j, op->args[3 - k]) || jit_is_const(j, op->args[k])) {
        emit_arith(j, op, ARITH_AND, true);
        return;
    }
    v = trunc_t(op, jit_const(j, op->args[3 - k]));
    if (v == 0xff)
        opc = OPC_MOVZBL;
    else if (v == 0xffff)
        opc = OPC_MOVZWL;
    else if (v == 0xffffffffu)
        opc = OPC_MOVL_GvEv;
    else {
        emit_arith(j, op, ARITH_AND, true);
        return;
    }
    /* Masks of 8/16/32 bits: a zero-extending move, out of place. */
    rin = ra_in(j, op->args[k]);
    r = ra_out_reuse(j, op, k);
    emit_rr(A, opc, r, rin);
}

static void emit_andc(Jit *j, const IrOp *op)
{
    int r, rb;
    if (jit_is_const(j, op->args[2])) {
        uint64_t nb = trunc_t(op, ~jit_const(j, op->args[2]));
        if (op->type == IR_I32 || fits_i32((int64_t)nb)) {
            r = ra_out_from(j, op, 1);
            emit_arithi(A, jit_rexw(op), ARITH_AND, r, (int32_t)nb);
            return;
        }
    }
    rb = ra_in(j, op->args[2]);
    r = ra_out_from(j, op, 1);
    emit_mov_rr(A, P_REXW, JIT_TMP1, rb);
    emit_rr(A, OPC_GRP3_Ev | jit_rexw(op), EXT3_NOT, JIT_TMP1);
    emit_arith_rr(A, jit_rexw(op), ARITH_AND, r, JIT_TMP1);
}

static void emit_mul(Jit *j, const IrOp *op)
{
    int k = jit_is_const(j, op->args[1]) ? 2 : 1, rin, r;
    int32_t imm;
    if (const_imm(j, op, op->args[3 - k], &imm)) {
        rin = ra_in(j, op->args[k]);
        r = ra_out_reuse(j, op, k);
        if (fits_i8(imm)) {
            emit_rr(A, OPC_IMUL_GvEvIb | jit_rexw(op), r, rin);
            emit8(A, (uint8_t)imm);
        } else {
            emit_rr(A, OPC_IMUL_GvEvIz | jit_rexw(op), r, rin);
            emit32(A, (uint32_t)imm);
        }
        return;
    }
    rin = ra_in(j, op->args[3 - k]);
    r = ra_out_from(j, op, k);
    emit_rr(A, OPC_IMUL_GvEv | jit_rexw(op), r, rin);
}

/* Full product in rdx:rax (SDM MUL/IMUL one-operand forms). */
static void emit_mul2(Jit *j, const IrOp *op, int ext)
{
    int ra, rb;
    ra_scratch(j, R_RAX);
    ra_scratch(j, R_RDX);
    ra = ra_in(j, op->args[2]);
    rb = ra_in(j, op->args[3]);
    emit_mov_rr(A, jit_rexw(op), R_RAX, ra);
    emit_rr(A, OPC_GRP3_Ev | jit_rexw(op), ext, rb);
    ra_bind(j, op->args[0], R_RAX);
    ra_bind(j, op->args[1], R_RDX);
}

static void emit_mulu2(Jit *j, const IrOp *op) { emit_mul2(j, op, EXT3_MUL); }
static void emit_muls2(Jit *j, const IrOp *op) { emit_mul2(j, op, EXT3_IMUL); }

static void emit_unary(Jit *j, const IrOp *op, int ext)
{
    int r = ra_out_from(j, op, 1);
    emit_rr(A, OPC_GRP3_Ev | jit_rexw(op), ext, r);
}

static void emit_neg(Jit *j, const IrOp *op) { emit_unary(j, op, EXT3_NEG); }
static void emit_not(Jit *j, const IrOp *op) { emit_unary(j, op, EXT3_NOT); }

/* Shifts and rotates: the count modulo the width is what x86 does too. */
static void emit_shift(Jit *j, const IrOp *op, int ext)
{
    int w = jit_rexw(op), r, rb, rin, count;
    bool zext;
    if (jit_is_const(j, op->args[2])) {
        count = (int)(jit_const(j, op->args[2]) & (uint64_t)(width(op) - 1));
        r = ra_out_from(j, op, 1);
        if (count)
            emit_shifti(A, w, ext, r, count);
        else if (!w)
            emit_mov_rr(A, 0, r, r);
        return;
    }
    ra_scratch(j, R_RCX);
    rb = ra_in(j, op->args[2]);
    rin = ra_in(j, op->args[1]);
    zext = j->t[op->args[1]].zext;
    r = ra_out_from(j, op, 1);
    emit_mov_rr(A, 0, R_RCX, rb);
    if (!w && r == rin && !zext)
        emit_mov_rr(A, 0, r, r);   /* a count of 0 might leave the upper half */
    emit_rr(A, OPC_SHIFT_cl | w, ext, r);
}

static void emit_shl(Jit *j, const IrOp *op) { emit_shift(j, op, SHIFT_SHL); }
static void emit_shr(Jit *j, const IrOp *op) { emit_shift(j, op, SHIFT_SHR); }
static void emit_sar(Jit *j, const IrOp *op) { emit_shift(j, op, SHIFT_SAR); }
static void emit_rotl(Jit *j, const IrOp *op) { emit_shift(j, op, SHIFT_ROL); }
static void emit_rotr(Jit *j, const IrOp *op) { emit_shift(j, op, SHIFT_ROR); }

/* -- Width changes and bit fields ------------------------------------------- */

/* out = opc(a), out of place (movzx, movsx, mov r32). */
static void emit_movx(Jit *j, const IrOp *op, int opc)
{
    int rin = ra_in(j, op->args[1]), r = ra_out_reuse(j, op, 1);
    emit_rr(A, opc, r, rin);
}

static void emit_ext8s(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVSBL | jit_rexw(op)); }
static void emit_ext8u(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVZBL); }
static void emit_ext16s(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVSWL | jit_rexw(op)); }
static void emit_ext16u(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVZWL); }
static void emit_ext32s(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVSLQ); }
static void emit_ext32u(Jit *j, const IrOp *op) { emit_movx(j, op, OPC_MOVL_GvEv); }

/* A 64-bit copy of args[1] to compute a bit field in. */
static int field_reg(Jit *j, const IrOp *op)
{
    int rin = ra_in(j, op->args[1]), r = ra_out_reuse(j, op, 1);
    emit_mov_rr(A, P_REXW, r, rin);
    return r;
}

/* Keep the low len bits of reg (64-bit). */
static void emit_zext_bits(Jit *j, int reg, int len)
{
    if (len <= 31)
        emit_arithi(A, P_REXW, ARITH_AND, reg, (int32_t)((1u << len) - 1));
    else if (len == 32)
        emit_mov_rr(A, 0, reg, reg);
    else if (len < 64) {
        emit_shifti(A, P_REXW, SHIFT_SHL, reg, 64 - len);
        emit_shifti(A, P_REXW, SHIFT_SHR, reg, 64 - len);
    }
}

static void emit_extract(Jit *j, const IrOp *op)
{
    int pos = (int)op->args[2], len = (int)op->args[3], r;
    if (pos == 0 && (len == 8 || len == 16 || len == 32)) {
        emit_movx(j, op, len == 8 ? OPC_MOVZBL : len == 16 ? OPC_MOVZWL : OPC_MOVL_GvEv);
        return;
    }
    r = field_reg(j, op);
    if (pos + len == 64 || len > 32) {
        if (pos + len < 64)
            emit_shifti(A, P_REXW, SHIFT_SHL, r, 64 - pos - len);
        if (64 - len > 0)
            emit_shifti(A, P_REXW, SHIFT_SHR, r, 64 - len);
        return;
    }
    if (pos)
        emit_shifti(A, P_REXW, SHIFT_SHR, r, pos);
    emit_zext_bits(j, r, len);
}

static void emit_sextract(Jit *j, const IrOp *op)
{
    int pos = (int)op->args[2], len = (int)op->args[3], w = jit_rexw(op), r;
    if (pos == 0 && (len == 8 || len == 16)) {
        emit_movx(j, op, (len == 8 ? OPC_MOVSBL : OPC_MOVSWL) | w);
        return;
    }
    if (pos == 0 && len == 32) {
        emit_movx(j, op, w ? OPC_MOVSLQ : OPC_MOVL_GvEv);
        return;
    }
    r = field_reg(j, op);
    if (64 - pos - len > 0)
        emit_shifti(A, P_REXW, SHIFT_SHL, r, 64 - pos - len);
    if (64 - len > 0)
        emit_shifti(A, P_REXW, SHIFT_SAR, r, 64 - len);
    if (!w)
        emit_mov_rr(A, 0, r, r);
}

/* The low byte or word: one partial-register mov (the guest's own 8/16-bit
 * register writes). */
static void emit_deposit_low(Jit *j, const IrOp *op, int len)
{
    int rb = ra_in(j, op->args[2]), r;
    bool zext;
    ra_in(j, op->args[1]);
    zext = j->t[op->args[1]].zext;
    r = field_reg(j, op);
    if (len == 8)
        emit_rr(A, OPC_MOVB_EvGv | P_REXB_RM, rb, r);
    else
        emit_rr(A, OPC_MOVL_EvGv | P_DATA16, rb, r);
    if (op->type == IR_I32 && !zext)
        emit_mov_rr(A, 0, r, r);
}

static void emit_deposit(Jit *j, const IrOp *op)
{
    int pos = (int)op->args[3], len = (int)op->args[4], rb, r;
    uint64_t field = (len == 64 ? ~0ull : (1ull << len) - 1) << pos;
    if (pos == 0 && (len == 8 || len == 16)) {
        emit_deposit_low(j, op, len);
        return;
    }
    rb = ra_in(j, op->args[2]);
    r = field_reg(j, op);
    emit_mov_rr(A, P_REXW, JIT_TMP1, rb);      /* rb may be r (same temp) */
    emit_zext_bits(j, JIT_TMP1, len);
    if (pos)
        emit_shifti(A, P_REXW, SHIFT_SHL, JIT_TMP1, pos);
    if (fits_i32((int64_t)~field)) {
        emit_arithi(A, P_REXW, ARITH_AND, r, (int32_t)~field);
    } else {
        emit_movi(A, JIT_TMP0, ~field);
        emit_arith_rr(A, P_REXW, ARITH_AND, r, JIT_TMP0);
    }
    emit_arith_rr(A, P_REXW, ARITH_OR, r, JIT_TMP1);
    if (op->type == IR_I32)
        emit_mov_rr(A, 0, r, r);
}

static void emit_bswap16(Jit *j, const IrOp *op)
{
    int r = ra_out_from(j, op, 1);
    emit_rr(A, OPC_SHIFT_Ib | P_DATA16, SHIFT_ROL, r);
    emit8(A, 8);
    emit_rr(A, OPC_MOVZWL, r, r);
}

static void emit_bswap(Jit *j, const IrOp *op, int rexw)
{
    int r = ra_out_from(j, op, 1);
    emit_opc(A, (OPC_BSWAP + (r & 7)) | rexw, 0, r, 0);
}

static void emit_bswap32(Jit *j, const IrOp *op) { emit_bswap(j, op, 0); }
static void emit_bswap64(Jit *j, const IrOp *op) { emit_bswap(j, op, P_REXW); }

/* clz/ctz: a's count, or b when a is 0. The b operand goes to r11 first
 * (it may share a's register). lzcnt/tzcnt set CF for a zero source;
 * bsr/bsf set ZF (and leave the destination undefined). */
static void emit_count(Jit *j, const IrOp *op, bool leading)
{
    int w = jit_rexw(op), bits = width(op), rin, r;
    bool native = j->feat & (leading ? JIT_F_LZCNT : JIT_F_BMI1);
    IrTemp b = op->args[2];
    if (jit_is_const(j, b))
        emit_movi(A, JIT_TMP1, trunc_t(op, jit_const(j, b)));
    else
        emit_mov_rr(A, P_REXW, JIT_TMP1, ra_in(j, b));
    rin = ra_in(j, op->args[1]);
    r = ra_out_reuse(j, op, 1);
    if (native) {
        emit_rr(A, (leading ? OPC_LZCNT : OPC_TZCNT) | w, r, rin);
        emit_rr(A, (OPC_CMOVCC + JCC_JB) | w, r, JIT_TMP1);
        return;
    }
    if (leading)    /* clz = (bits - 1) ^ bsr, so b goes in pre-xored */
        emit_arithi(A, w, ARITH_XOR, JIT_TMP1, bits - 1);
    emit_rr(A, (leading ? OPC_BSR : OPC_BSF) | w, r, rin);
    emit_rr(A, (OPC_CMOVCC + JCC_JE) | w, r, JIT_TMP1);
    if (leading)
        emit_arithi(A, w, ARITH_XOR, r, bits - 1);
}

static void emit_clz(Jit *j, const IrOp *op) { emit_count(j, op, true); }
static void emit_ctz(Jit *j, const IrOp *op) { emit_count(j, op, false); }

/* Population count without POPCNT: the classic SWAR reduction. */
static void emit_popcount_swar(Jit *j, int w, int r, int bits)
{
    static const uint64_t m1 = 0x5555555555555555ull, m2 = 0x3333333333333333ull,
                          m4 = 0x0f0f0f0f0f0f0f0full, h01 = 0x0101010101010101ull;
    emit_mov_rr(A, w, JIT_TMP0, r);
    emit_shifti(A, w, SHIFT_SHR, JIT_TMP0, 1);
    emit_movi(A, JIT_TMP1, w ? m1 : (uint32_t)m1);
    emit_arith_rr(A, w, ARITH_AND, JIT_TMP0, JIT_TMP1);
    emit_arith_rr(A, w, ARITH_SUB, r, JIT_TMP0);
    emit_movi(A, JIT_TMP1, w ? m2 : (uint32_t)m2);
    emit_mov_rr(A, w, JIT_TMP0, r);
    emit_arith_rr(A, w, ARITH_AND, JIT_TMP0, JIT_TMP1);
    emit_shifti(A, w, SHIFT_SHR, r, 2);
    emit_arith_rr(A, w, ARITH_AND, r, JIT_TMP1);
    emit_arith_rr(A, w, ARITH_ADD, r, JIT_TMP0);
    emit_mov_rr(A, w, JIT_TMP0, r);
    emit_shifti(A, w, SHIFT_SHR, JIT_TMP0, 4);
    emit_arith_rr(A, w, ARITH_ADD, r, JIT_TMP0);
    emit_movi(A, JIT_TMP1, w ? m4 : (uint32_t)m4);
    emit_arith_rr(A, w, ARITH_AND, r, JIT_TMP1);
    emit_movi(A, JIT_TMP1, w ? h01 : (uint32_t)h01);
    emit_rr(A, OPC_IMUL_GvEv | w, r, JIT_TMP1);
    emit_shifti(A, w, SHIFT_SHR, r, bits - 8);
}

static void emit_ctpop(Jit *j, const IrOp *op)
{
    int rin, r;
    if (!(j->feat & JIT_F_POPCNT)) {
        r = ra_out_from(j, op, 1);
        emit_popcount_swar(j, jit_rexw(op), r, width(op));
        return;
    }
    rin = ra_in(j, op->args[1]);
    r = ra_out_reuse(j, op, 1);
    emit_rr(A, OPC_POPCNT | jit_rexw(op), r, rin);
}

/* -- Conditions ---------------------------------------------------------------- */

/* Compare a with b for cond c (not ALWAYS/NEVER); returns the JCC_ code. */
static int emit_cmp(Jit *j, const IrOp *op, IrTemp a, IrTemp b, IrCond c)
{
    int w = jit_rexw(op), ra;
    int32_t imm;
    bool tst = c == IR_COND_TSTEQ || c == IR_COND_TSTNE;
    if (jit_is_const(j, a) && !jit_is_const(j, b)) {
        IrTemp t = a;
        a = b;
        b = t;
        c = ir_cond_swap(c);
    }
    ra = ra_in(j, a);
    if (const_imm(j, op, b, &imm)) {
        if (imm == 0 && !tst) {
            emit_rr(A, OPC_TESTL | w, ra, ra);    /* the same flags as cmp a, 0 */
        } else if (tst) {
            emit_rr(A, OPC_TESTi | w, 0, ra);
            emit32(A, (uint32_t)imm);
        } else {
            emit_arithi(A, w, ARITH_CMP, ra, imm);
        }
    } else {
        int rb = ra_in(j, b);
        if (tst)
            emit_rr(A, OPC_TESTL | w, rb, ra);
        else
            emit_arith_rr(A, w, ARITH_CMP, ra, rb);
    }
    return jcc_of[c];
}

static void emit_setcond(Jit *j, const IrOp *op)
{
    IrCond c = (IrCond)op->args[3];
    int cc, r;
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER) {
        set_const_out(j, op->args[0], c == IR_COND_ALWAYS);
        return;
    }
    cc = emit_cmp(j, op, op->args[1], op->args[2], c);
    r = ra_out(j, op->args[0]);         /* may spill: movs keep the flags */
    emit_rr(A, OPC_SETCC + cc, 0, r);
    emit_rr(A, OPC_MOVZBL, r, r);
}

/* out = src as a mov of op's type would give it. */
static void emit_copy(Jit *j, const IrOp *op, IrTemp src)
{
    int r, rin;
    if (jit_is_const(j, src)) {
        set_const_out(j, op->args[0], trunc_t(op, jit_const(j, src)));
        return;
    }
    rin = ra_in(j, src);
    r = ra_out(j, op->args[0]);
    emit_mov_rr(A, jit_rexw(op), r, rin);
}

static void emit_movcond(Jit *j, const IrOp *op)
{
    IrTemp out = op->args[0], v1 = op->args[3], v2 = op->args[4];
    IrCond c = (IrCond)op->args[5];
    int r1, r2 = R_NONE, cc, r;
    if (c == IR_COND_ALWAYS || c == IR_COND_NEVER || v1 == v2) {
        emit_copy(j, op, c == IR_COND_NEVER ? v2 : v1);
        return;
    }
    r1 = ra_in(j, v1);
    if (!jit_is_const(j, v2))
        r2 = ra_in(j, v2);
    cc = emit_cmp(j, op, op->args[1], op->args[2], c);
    if (r2 != R_NONE && (v2 == out || (jit_dies(j, 4) && !ir_temp_is_global(j->f, v2)))) {
        r = ra_out_reuse(j, op, 4);     /* the else-value's register, in place */
    } else {
        r = ra_out(j, out);
        if (r2 == R_NONE)
            emit_movi(A, r, trunc_t(op, jit_const(j, v2)));
        else
            emit_mov_rr(A, jit_rexw(op), r, r2);
    }
    emit_rr(A, (OPC_CMOVCC + cc) | jit_rexw(op), r, r1);
}

/* -- Control flow within the block ------------------------------------------------ */

static void emit_set_label(Jit *j, const IrOp *op)
{
    ra_sync(j, true, true);
    jit_place_label(j, (int)op->args[0]);
}

static void emit_br(Jit *j, const IrOp *op)
{
    ra_sync(j, true, true);
    jit_jump_label(j, -1, (int)op->args[0]);
}

static void emit_brcond(Jit *j, const IrOp *op)
{
    IrCond c = (IrCond)op->args[2];
    ra_sync(j, true, false);        /* the target finds everything at home */
    if (c == IR_COND_NEVER)
        return;
    if (c == IR_COND_ALWAYS) {
        jit_jump_label(j, -1, (int)op->args[3]);
        return;
    }
    jit_jump_label(j, emit_cmp(j, op, op->args[0], op->args[1], c), (int)op->args[3]);
}

/* -- Host memory ------------------------------------------------------------------ */

static void emit_ld(Jit *j, const IrOp *op, int opc, int size)
{
    IrTemp base = op->args[1];
    int32_t off = (int32_t)op->args[2];
    int rb, r;
    ra_sync_env_range(j, off, base == IR_TEMP_ENV ? size : -1, false);
    rb = ra_in(j, base);
    r = ra_out(j, op->args[0]);
    emit_rm(A, opc, r, rb, off);
}

static void emit_ld8u(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVZBL, 1); }
static void emit_ld8s(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVSBL | jit_rexw(op), 1); }
static void emit_ld16u(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVZWL, 2); }
static void emit_ld16s(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVSWL | jit_rexw(op), 2); }
static void emit_ld32u(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVL_GvEv, 4); }
static void emit_ld32s(Jit *j, const IrOp *op)
{
    emit_ld(j, op, op->type == IR_I64 ? OPC_MOVSLQ : OPC_MOVL_GvEv, 4);
}
static void emit_ld64(Jit *j, const IrOp *op) { emit_ld(j, op, OPC_MOVL_GvEv | jit_rexw(op), 8); }

static void emit_st(Jit *j, const IrOp *op, int size)
{
    static const int opc_r[] = { OPC_MOVB_EvGv, OPC_MOVL_EvGv | P_DATA16, OPC_MOVL_EvGv,
                                 OPC_MOVL_EvGv | P_REXW };
    static const int opc_i[] = { OPC_MOVB_EvIb, OPC_MOVL_EvIz | P_DATA16, OPC_MOVL_EvIz,
                                 OPC_MOVL_EvIz | P_REXW };
    IrTemp v = op->args[0], base = op->args[1];
    int32_t off = (int32_t)op->args[2];
    int lg = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3, rb;
    int env_size = base == IR_TEMP_ENV ? size : -1;
    uint64_t imm = jit_is_const(j, v) ? jit_const(j, v) : 0;
    bool use_imm = jit_is_const(j, v) && (size < 8 || fits_i32((int64_t)imm));

    ra_sync_env_range(j, off, env_size, false);
    rb = ra_in(j, base);
    if (use_imm) {
        emit_rm(A, opc_i[lg], 0, rb, off);
        if (size == 1)
            emit8(A, (uint8_t)imm);
        else if (size == 2)
            emit16(A, (uint16_t)imm);
        else
            emit32(A, (uint32_t)imm);
    } else {
        int rv = ra_in(j, v);
        emit_rm(A, opc_r[lg], rv, rb, off);
    }
    ra_sync_env_range(j, off, env_size, true);
}

static void emit_st8(Jit *j, const IrOp *op) { emit_st(j, op, 1); }
static void emit_st16(Jit *j, const IrOp *op) { emit_st(j, op, 2); }
static void emit_st32(Jit *j, const IrOp *op) { emit_st(j, op, 4); }
static void emit_st64(Jit *j, const IrOp *op) { emit_st(j, op, 8); }

static void emit_qemu_ld(Jit *j, const IrOp *op) { jit_qemu_ld(j, op); }
static void emit_qemu_st(Jit *j, const IrOp *op) { jit_qemu_st(j, op); }

/* -- Helper calls (SysV: args in rdi, rsi, rdx, rcx, r8, r9; result in rax) -------- */

static const int8_t arg_reg[6] = { R_RDI, R_RSI, R_RDX, R_RCX, R_R8, R_R9 };

/* Arguments not in registers: constants and values at home. */
static void load_arg(Jit *j, IrTemp t, int dst, bool sext)
{
    const IrTempInfo *ti = jit_tinfo(j, t);
    if (ti->kind == IR_TEMP_CONST) {
        emit_movi(A, dst, sext ? (uint64_t)(int64_t)(int32_t)ti->value : ti->value);
        return;
    }
    if (ti->kind == IR_TEMP_GLOBAL)
        emit_rm(A, sext ? OPC_MOVSLQ : OPC_MOVL_GvEv | P_REXW, dst, JIT_ENV, ti->offset);
    else
        emit_rm(A, sext ? OPC_MOVSLQ : OPC_MOVL_GvEv | P_REXW, dst, R_RSP, jit_slot(t));
}

static void emit_call(Jit *j, const IrOp *op)
{
    const IrHelper *h = ir_op_helper(op);
    int nout = ir_op_nout(op), nin = ir_op_nin(op), n = 0;
    Move mv[6];

    if (h->flags & (IR_HELPER_READS_GLOBALS | IR_HELPER_WRITES_GLOBALS | IR_HELPER_MAY_RAISE))
        ra_sync(j, false, false);
    ra_call_clobber(j, op);
    for (int k = 0; k < nin; k++) {
        IrTemp t = op->args[nout + k];
        int src = t == IR_TEMP_ENV ? JIT_ENV : j->t[t].reg;
        if (src != R_NONE)
            mv[n++] = (Move){ arg_reg[k], (int8_t)src, h->args[k] == IR_ARG_I32 };
    }
    jit_parallel_move(j, mv, n);
    for (int k = 0; k < nin; k++) {
        IrTemp t = op->args[nout + k];
        if (t != IR_TEMP_ENV && j->t[t].reg == R_NONE)
            load_arg(j, t, arg_reg[k], h->args[k] == IR_ARG_I32);
    }
    ra_forget_mask(j, JIT_CALLER_SAVED);
    if (!(h->flags & IR_HELPER_PURE))
        jit_icount_store(A);            /* it may raise, or ask the CPU to stop */
    emit_callfn(A, h->fn);
    if (!(h->flags & IR_HELPER_PURE))
        jit_icount_load(A);
    if (h->flags & IR_HELPER_WRITES_GLOBALS)
        ra_forget_globals(j);
    if (nout) {
        if (h->ret == IR_ARG_I32)
            emit_mov_rr(A, 0, R_RAX, R_RAX);
        ra_bind(j, op->args[0], R_RAX);
    }
}

/* -- Block structure ---------------------------------------------------------------- */

static void emit_insn_start(Jit *j, const IrOp *op)
{
    if (j->insn < j->tb->icount)
        j->tb->insn_host[j->insn] = (uint32_t)(A->p - j->code);
    j->insn++;
}

/* tb_guard: cmp; jne to the budget exit (which gives the count back). */
static void emit_tb_guard(Jit *j, const IrOp *op)
{
    int r = ra_in(j, op->args[0]);
    emit_arithi(A, 0, ARITH_CMP, r, (int32_t)op->args[1]);
    if (j->guard_jne)
        panic("jit: more than one tb_guard in a block");
    j->guard_jne = emit_jcc_fwd(A, JCC_JNE);
}

/* A jmp rel32 that set_jump() patches (its field 4-byte aligned, so one
 * store changes it); unlinked it jumps to the exit right behind it. */
static void emit_goto_tb(Jit *j, const IrOp *op)
{
    int slot = (int)op->args[0];
    ra_sync(j, false, true);
    while ((asm_rx_here(A) + 1) & 3)
        emit8(A, 0x90);
    emit8(A, OPC_JMP_long);
    j->tb->jmp_patch[slot] = (uint32_t)(A->p - j->code);
    emit32(A, 0);
    jit_exit(j, (unsigned)slot);
}

static void emit_exit_tb(Jit *j, const IrOp *op)
{
    ra_sync(j, false, true);
    jit_exit(j, TB_EXIT_NORMAL);
}

/* lookup_tb: call env->lookup_tb(env) and jump to the TB's code, or leave. */
static void emit_lookup_tb(Jit *j, const IrOp *op)
{
    uint8_t *miss;
    ra_sync(j, false, true);
    emit_mov_rr(A, P_REXW, R_RDI, JIT_ENV);
    jit_icount_store(A);
    emit_rm(A, OPC_GRP5, EXT5_CALLN_Ev, JIT_ENV, offsetof(TcgCpuState, lookup_tb));
    jit_icount_load(A);
    emit_rr(A, OPC_TESTL | P_REXW, R_RAX, R_RAX);
    emit8(A, OPC_JCC_short + JCC_JE);
    emit8(A, 0);
    miss = A->p;
    emit_rm(A, OPC_GRP5, EXT5_JMPN_Ev, R_RAX, offsetof(TB, code));
    miss[-1] = (uint8_t)(A->p - miss);
    jit_exit(j, TB_EXIT_NORMAL);
}

/* -- The op table (ORDER IR) ---------------------------------------------------------- */

typedef void EmitFn(Jit *j, const IrOp *op);
static EmitFn *const emit_table[IR_NB_OPS] = {
#define DEF(name, nout, nin, nconst, flags) [IR_##name] = emit_##name,
#include "tcg/ir.def"
#undef DEF
};

void jit_emit_op(Jit *j, const IrOp *op)
{
    emit_table[op->opc](j, op);
    ra_op_end(j, op);
}
