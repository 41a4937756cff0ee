/* gen_shift.c — shifts and rotates: SHL SHR SAR ROL ROR RCL RCR SHLD SHRD
 * (SDM Vol. 2 "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD").
 *
 * The count is masked to 5 bits. A masked count of 0 changes nothing, not
 * even the flags; a count known at translation time gets static code and
 * lazy flags (CC_OP_SHL/SAR), a count in CL selects between the old and the
 * new flags at run time (gen_cc_unless_zero). SHL/SHR/SAR keep in cc_src the
 * value shifted by count-1, whose top (SHL) or low (SHR/SAR) bit is CF.
 * RCL/RCR rotate through CF in a C helper (helpers_int.c).
 */
#include "cpu/gen_int_util.h"

/* The masked count (op[1]): a constant if known, else a temp. */
static IrTemp shift_count(DisasContext *s, X86Insn *d, bool *is_const, uint32_t *value)
{
    IrTemp c = d->op[1].t;
    *is_const = ir_temp_is_const(s->f, c);
    if (*is_const) {
        *value = (uint32_t)s->f->temps[c].value & 31;
        return gen_const(s, *value);
    }
    IrTemp t = gen_tmp(s);
    ir_andi(s->f, IR_I32, t, c, 31);
    return t;
}

/* Shared by SHL/SHR/SAR: res = v op count, src = v op (count - 1). */
typedef void ShiftOp(IrFunc *, IrType, IrTemp, IrTemp, IrTemp);

static void gen_shift(DisasContext *s, X86Insn *d, ShiftOp *op, bool sign, int cc_group)
{
    int ot = d->op[0].ot;
    bool cst;
    uint32_t n = 0;
    IrTemp count = shift_count(s, d, &cst, &n);
    IrTemp v = gen_ext(s, ot, d->op[0].t, sign), res = gen_tmp(s), src = gen_tmp(s), cm1;

    if (cst && n == 0)
        return;                 /* no result change, no flags */
    op(s->f, IR_I32, res, v, count);
    cm1 = gen_tmp(s);
    ir_addi(s->f, IR_I32, cm1, count, (uint32_t)-1);
    op(s->f, IR_I32, src, v, cm1);
    d->op[0].t = res;
    if (cst) {
        set_cc(d, cc_group + ot, res, src, 0);
        return;
    }
    gen_cc_unless_zero(s, d, count, gen_cc_flags_of(s, cc_group + ot, res, src));
}

void gen_SHL(DisasContext *s, X86Insn *d) { gen_shift(s, d, ir_shl, false, CC_OP_SHLB); }
void gen_SHR(DisasContext *s, X86Insn *d) { gen_shift(s, d, ir_shr, false, CC_OP_SARB); }
void gen_SAR(DisasContext *s, X86Insn *d) { gen_shift(s, d, ir_sar, true, CC_OP_SARB); }

/* ROL/ROR: rotate within the operand size. 8/16-bit values are replicated
 * across 32 bits so a 32-bit rotate gives the narrow rotate in the low bits.
 * Only CF and OF change (SDM: CF = LSB (ROL) / MSB (ROR) of the result; OF =
 * MSB XOR CF (ROL), MSB XOR the bit below it (ROR), defined for count 1). */
static void gen_rotate(DisasContext *s, X86Insn *d, bool left)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot, bits = 8 << ot;
    bool cst;
    uint32_t n = 0;
    IrTemp count = shift_count(s, d, &cst, &n);
    IrTemp v = d->op[0].t, rep = gen_tmp(s), res = gen_tmp(s), cf = gen_tmp(s), of = gen_tmp(s);
    IrTemp fl = gen_tmp(s);

    if (cst && n == 0)
        return;
    ir_mov(f, IR_I32, rep, gen_ext(s, ot, v, false));
    if (ot == MO_8) {
        ir_mul(f, IR_I32, rep, rep, gen_const(s, 0x01010101));
    } else if (ot == MO_16) {
        IrTemp t = gen_tmp(s);
        ir_shli(f, IR_I32, t, rep, 16);
        ir_or(f, IR_I32, rep, rep, t);
    }
    (left ? ir_rotl : ir_rotr)(f, IR_I32, res, rep, count);
    if (ot < MO_32)
        ir_andi(f, IR_I32, res, res, ot_mask(ot));
    if (left) {
        ir_andi(f, IR_I32, cf, res, 1);
        ir_shri(f, IR_I32, of, res, (unsigned)bits - 1);
        ir_xor(f, IR_I32, of, of, cf);
    } else {
        ir_shri(f, IR_I32, cf, res, (unsigned)bits - 1);
        ir_shri(f, IR_I32, of, res, (unsigned)bits - 2);
        ir_xor(f, IR_I32, of, of, cf);
        ir_andi(f, IR_I32, of, of, 1);
    }
    ir_shli(f, IR_I32, of, of, 11);                 /* EF_OF */
    ir_andi(f, IR_I32, fl, gen_compute_eflags(s), EF_ARITH & ~(EF_CF | EF_OF));
    ir_or(f, IR_I32, fl, fl, cf);
    ir_or(f, IR_I32, fl, fl, of);
    d->op[0].t = res;
    if (cst)
        set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
    else
        gen_cc_unless_zero(s, d, count, fl);
}

void gen_ROL(DisasContext *s, X86Insn *d) { gen_rotate(s, d, true); }
void gen_ROR(DisasContext *s, X86Insn *d) { gen_rotate(s, d, false); }

/* RCL/RCR: the helper returns the result (low half) and the flags (high). */
static void gen_rotate_carry(DisasContext *s, X86Insn *d, bool left)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot;
    bool cst;
    uint32_t n = 0;
    IrTemp count = shift_count(s, d, &cst, &n);
    IrTemp r = gen_tmp(s), res = gen_tmp(s), fl = gen_tmp(s);

    if (cst && n == 0)
        return;
    if (left)
        gen_helper_rcl(s, r, gen_const(s, (uint32_t)ot), d->op[0].t, count, gen_compute_eflags(s));
    else
        gen_helper_rcr(s, r, gen_const(s, (uint32_t)ot), d->op[0].t, count, gen_compute_eflags(s));
    ir_extract(f, IR_I64, res, r, 0, 32);
    ir_extract(f, IR_I64, fl, r, 32, 32);
    d->op[0].t = res;
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}

void gen_RCL(DisasContext *s, X86Insn *d) { gen_rotate_carry(s, d, true); }
void gen_RCR(DisasContext *s, X86Insn *d) { gen_rotate_carry(s, d, false); }

/* SHLD/SHRD: dest and src form one 64-bit (32-bit ops) or 48-bit (16-bit
 * ops: dest:src:dest, the P6 behaviour for counts 17-31, which the SDM
 * leaves undefined) value, shifted by count-1 in I64; the bit at the edge is
 * CF, the next `bits` bits the result. Flags as SHL (SHLD) / SHR (SHRD). */
static void gen_double_shift(DisasContext *s, X86Insn *d, bool left)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot, bits = 8 << ot;
    bool cst;
    uint32_t n;
    IrTemp c, cm1 = gen_tmp(s), cat = gen_tmp(s), t = gen_tmp(s), res = gen_tmp(s),
           src = gen_tmp(s), dst = gen_ext(s, ot, d->op[0].t, false),
           sv = gen_ext(s, ot, d->op[1].t, false);

    /* The count is operand 2 (Ib or CL). */
    cst = ir_temp_is_const(f, d->op[2].t);
    if (cst) {
        n = (uint32_t)f->temps[d->op[2].t].value & 31;
        if (n == 0)
            return;
        c = gen_const(s, n);
    } else {
        c = gen_tmp(s);
        ir_andi(f, IR_I32, c, d->op[2].t, 31);
    }
    ir_addi(f, IR_I32, cm1, c, (uint32_t)-1);
    ir_andi(f, IR_I32, cm1, cm1, 63);
    if (ot == MO_32) {                              /* left: dst:src, right: src:dst */
        ir_deposit(f, IR_I64, cat, left ? sv : dst, left ? dst : sv, 32, 32);
    } else {                                        /* dst:src:dst, both directions */
        ir_deposit(f, IR_I64, cat, dst, sv, 16, 16);
        ir_deposit(f, IR_I64, cat, cat, dst, 32, 16);
    }
    if (left) {
        ir_shl(f, IR_I64, t, cat, cm1);
        ir_extract(f, IR_I64, res, t, 31, (unsigned)bits);
        ir_extract(f, IR_I64, src, t, 32, (unsigned)bits);
    } else {
        ir_shr(f, IR_I64, t, cat, cm1);
        ir_extract(f, IR_I64, res, t, 1, (unsigned)bits);
        ir_extract(f, IR_I64, src, t, 0, 32);
    }
    if (!cst) {
        IrTemp r2 = gen_tmp(s);
        ir_movcond(f, IR_I32, IR_COND_EQ, r2, c, gen_const(s, 0), dst, res);
        d->op[0].t = r2;
        gen_cc_unless_zero(s, d, c, gen_cc_flags_of(s, (left ? CC_OP_SHLB : CC_OP_SARB) + ot,
                                                    res, src));
        return;
    }
    d->op[0].t = res;
    set_cc(d, (left ? CC_OP_SHLB : CC_OP_SARB) + ot, res, src, 0);
}

void gen_SHLD(DisasContext *s, X86Insn *d) { gen_double_shift(s, d, true); }
void gen_SHRD(DisasContext *s, X86Insn *d) { gen_double_shift(s, d, false); }
