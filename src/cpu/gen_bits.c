/* gen_bits.c — bit instructions: BT BTS BTR BTC BSF BSR BSWAP (SDM Vol. 2).
 *
 * BT* with a register bit offset and a memory operand address the bit
 * string: the offset is signed and selects the word/dword at
 * ea + (offset >> 4) * 2 or ea + (offset >> 5) * 4; those rows use M so the
 * translator neither computes nor checks the unadjusted address. Only CF
 * changes (ZF is unaffected; OF SF AF PF undefined, kept). BSF/BSR leave
 * the destination unchanged for a zero source (what Intel CPUs do) and set
 * ZF; the other flags are undefined (we give LOGIC flags of the source).
 */
#include "cpu/gen_int_util.h"

enum { BT_TEST, BT_SET, BT_RESET, BT_COMPLEMENT };

/* CF = bit; new value for the modifying forms. */
static IrTemp bt_apply(DisasContext *s, X86Insn *d, int op, IrTemp val, IrTemp pos)
{
    IrFunc *f = s->f;
    IrTemp cf = gen_tmp(s), m = gen_tmp(s), r = gen_tmp(s), fl = gen_tmp(s);
    ir_shr(f, IR_I32, cf, val, pos);
    ir_andi(f, IR_I32, cf, cf, 1);
    ir_shl(f, IR_I32, m, gen_const(s, 1), pos);
    switch (op) {
    case BT_SET: ir_or(f, IR_I32, r, val, m); break;
    case BT_RESET: ir_andc(f, IR_I32, r, val, m); break;
    case BT_COMPLEMENT: ir_xor(f, IR_I32, r, val, m); break;
    default: r = val; break;
    }
    ir_andi(f, IR_I32, fl, gen_compute_eflags(s), EF_ARITH & ~EF_CF);
    ir_or(f, IR_I32, fl, fl, cf);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
    return r;
}

static void gen_bt(DisasContext *s, X86Insn *d, int op)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot, bits = ot_bits(ot);
    IrTemp pos = gen_tmp(s), off = d->op[1].t, val, addr, disp, ea, r;

    ir_andi(f, IR_I32, pos, off, (uint32_t)bits - 1);
    if (!(d->op[0].is_mem && d->op[0].kind == X86_KIND_M)) {
        d->op[0].t = bt_apply(s, d, op, d->op[0].t, pos);
        return;
    }
    disp = gen_tmp(s);
    ea = gen_tmp(s);
    val = gen_tmp(s);
    ir_sari(f, IR_I32, disp, gen_ext(s, ot, off, true), (unsigned)(3 + ot));
    ir_shli(f, IR_I32, disp, disp, (unsigned)ot);
    ir_add(f, IR_I32, ea, d->ea, disp);
    addr = gen_seg_addr(s, d->mem_seg, gen_ea_mask(s, d->aflag, ea), 1u << ot, op != BT_TEST);
    gen_ld(s, ot, val, addr);
    r = bt_apply(s, d, op, val, pos);
    if (op != BT_TEST)
        gen_st(s, ot, r, addr);
}

void gen_BT(DisasContext *s, X86Insn *d) { gen_bt(s, d, BT_TEST); }
void gen_BTS(DisasContext *s, X86Insn *d) { gen_bt(s, d, BT_SET); }
void gen_BTR(DisasContext *s, X86Insn *d) { gen_bt(s, d, BT_RESET); }
void gen_BTC(DisasContext *s, X86Insn *d) { gen_bt(s, d, BT_COMPLEMENT); }

/* BSF/BSR Gv, Ev: sources are zero-extended, so a 32-bit count works for 16 bits. */
static void gen_bit_scan(DisasContext *s, X86Insn *d, bool reverse)
{
    IrFunc *f = s->f;
    IrTemp src = gen_keep(s, d->op[1].t), idx = gen_tmp(s), r = gen_tmp(s);
    if (reverse) {
        ir_clz(f, IR_I32, idx, src, gen_const(s, 32));
        ir_xori(f, IR_I32, idx, idx, 31);           /* 31 - clz */
    } else {
        ir_ctz(f, IR_I32, idx, src, gen_const(s, 32));
    }
    ir_movcond(f, IR_I32, IR_COND_EQ, r, src, gen_const(s, 0), d->op[0].t, idx);
    d->op[0].t = r;
    set_cc(d, CC_OP_LOGICB + d->op[0].ot, src, 0, 0);
}

void gen_BSF(DisasContext *s, X86Insn *d) { gen_bit_scan(s, d, false); }
void gen_BSR(DisasContext *s, X86Insn *d) { gen_bit_scan(s, d, true); }

/* BSWAP r32; with a 16-bit operand size the SDM leaves the result
 * undefined: Intel CPUs clear the low word, as we do. */
void gen_BSWAP(DisasContext *s, X86Insn *d)
{
    IrTemp r = gen_tmp(s);
    if (d->op[0].ot != MO_32) {
        d->op[0].t = gen_const(s, 0);
        return;
    }
    ir_bswap32(s->f, IR_I32, r, d->op[0].t);
    d->op[0].t = r;
}
