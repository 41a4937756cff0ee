/* gen_xchg.c — exchange-and-operate instructions: XADD CMPXCHG CMPXCHG8B
 * (SDM Vol. 2). LOCK is accepted with a memory destination; a single CPU
 * needs nothing more for atomicity. The memory destination is written in
 * every case (CMPXCHG writes back the old value on a mismatch, as the SDM
 * describes), before any register. */
#include "cpu/gen_int_util.h"

/* XADD: TEMP = SRC + DEST; SRC = DEST; DEST = TEMP; flags as ADD. */
void gen_XADD(DisasContext *s, X86Insn *d)
{
    int ot = d->op[0].ot;
    IrTemp old = gen_keep(s, d->op[0].t), src = gen_keep(s, d->op[1].t), sum = gen_tmp(s);
    ir_add(s->f, IR_I32, sum, old, src);
    if (d->op[0].is_mem) {
        gen_st(s, ot, sum, d->addr);
        gen_set_reg(s, ot, d->op[1].reg, old);
    } else {
        gen_set_reg(s, ot, d->op[1].reg, old);
        gen_set_reg(s, ot, d->op[0].reg, sum);     /* DEST last: xadd eax, eax */
    }
    set_cc(d, CC_OP_ADDB + ot, sum, src, 0);
}

/* CMPXCHG: compare the accumulator with DEST (flags of CMP acc, DEST); equal:
 * DEST = SRC, else acc = DEST. */
void gen_CMPXCHG(DisasContext *s, X86Insn *d)
{
    IrFunc *f = s->f;
    int ot = d->op[0].ot;
    IrTemp acc = gen_keep(s, gen_get_reg(s, ot, X86_R_AX)), dst = gen_keep(s, d->op[0].t);
    IrTemp diff = gen_tmp(s), nd = gen_tmp(s), na = gen_tmp(s);

    ir_sub(f, IR_I32, diff, acc, dst);
    ir_movcond(f, IR_I32, IR_COND_EQ, nd, acc, dst, d->op[1].t, dst);
    ir_movcond(f, IR_I32, IR_COND_EQ, na, acc, dst, acc, dst);
    if (d->op[0].is_mem) {
        gen_st(s, ot, nd, d->addr);
        gen_set_reg(s, ot, X86_R_AX, na);
    } else {
        gen_set_reg(s, ot, X86_R_AX, na);
        gen_set_reg(s, ot, d->op[0].reg, nd);      /* cmpxchg eax, r: eax = r */
    }
    set_cc(d, CC_OP_SUBB + ot, diff, dst, 0);
}

/* CMPXCHG8B m64: EDX:EAX == m64 ? (ZF = 1, m64 = ECX:EBX) : (ZF = 0,
 * EDX:EAX = m64); only ZF changes. */
void gen_CMPXCHG8B(DisasContext *s, X86Insn *d)
{
    IrFunc *f = s->f;
    IrTemp addr = gen_mem_addr(s, d, 8, true), m = gen_tmp(s), cur = gen_tmp(s), nv = gen_tmp(s);
    IrTemp eq = gen_tmp(s), nm = gen_tmp(s), lo = gen_tmp(s), hi = gen_tmp(s), fl = gen_tmp(s);

    gen_ld(s, MO_64, m, addr);
    ir_deposit(f, IR_I64, cur, G->regs[X86_R_AX], G->regs[X86_R_DX], 32, 32);
    ir_deposit(f, IR_I64, nv, G->regs[X86_R_BX], G->regs[X86_R_CX], 32, 32);
    ir_setcond(f, IR_I64, IR_COND_EQ, eq, m, cur);
    ir_movcond(f, IR_I64, IR_COND_NE, nm, eq, gen_const(s, 0), nv, m);
    gen_st(s, MO_64, nm, addr);
    ir_extract(f, IR_I64, lo, m, 0, 32);
    ir_extract(f, IR_I64, hi, m, 32, 32);
    ir_andi(f, IR_I32, fl, gen_compute_eflags(s), EF_ARITH & ~EF_ZF);
    ir_shli(f, IR_I32, eq, eq, 6);                 /* EF_ZF */
    ir_or(f, IR_I32, fl, fl, eq);
    ir_movcond(f, IR_I32, IR_COND_EQ, lo, eq, gen_const(s, 0), lo, G->regs[X86_R_AX]);
    ir_movcond(f, IR_I32, IR_COND_EQ, hi, eq, gen_const(s, 0), hi, G->regs[X86_R_DX]);
    gen_set_reg(s, MO_32, X86_R_AX, lo);
    gen_set_reg(s, MO_32, X86_R_DX, hi);
    set_cc(d, CC_OP_EFLAGS, 0, fl, 0);
}
