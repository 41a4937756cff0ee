/* gen_sse.c — services for the MMX/SSE/SSE2 gen functions (gen_sse_priv.h):
 * the exception checks every instruction starts with, register and memory
 * operand access, and the generic dst = f(dst, src) driver. */
#include "cpu/gen_sse_priv.h"

/* -- Exception checks -------------------------------------------------------------- */

int simd_class(const X86Insn *d)
{
    int cls = 0;
    for (int i = 0; i < 3; i++) {
        switch (d->op[i].kind) {
        case X86_KIND_P: case X86_KIND_N:
            cls |= SIMD_MMX;
            break;
        case X86_KIND_Q:
            cls |= d->op[i].is_mem ? 0 : SIMD_MMX;
            break;
        case X86_KIND_V: case X86_KIND_U: case X86_KIND_W:
            cls |= SIMD_SSE;
            break;
        default:
            break;
        }
    }
    return cls;
}

/* A pending unmasked x87 exception (FSW.ES) is taken before an MMX
 * instruction (SDM Vol. 1 9.5.1, "#MF If there is a pending FPU exception"). */
static void gen_fpu_pending_check(DisasContext *s)
{
    IrTemp sw = gen_tmp(s);
    int ok = ir_label_new(s->f);
    ir_ld16u(s->f, IR_I32, sw, IR_TEMP_ENV, offsetof(CpuState, fpus));
    ir_brcondi(s->f, IR_I32, IR_COND_TSTEQ, sw, 0x80, ok);
    gen_helper_mmx_fpu_pending(s);
    ir_set_label(s->f, ok);
}

bool simd_enter_cls(DisasContext *s, X86Insn *d, int cls)
{
    uint32_t hf = s->hflags;
    (void)d;
    /* SDM Vol. 3B tables 22-4..22-8: #UD (OSFXSR, EM) before #NM (TS) before #MF. */
    if (((cls & SIMD_SSE) && !(hf & HF_OSFXSR)) || (hf & HF_EM)) {
        gen_exception(s, EXCP_UD);
        return false;
    }
    if (hf & HF_TS) {
        gen_exception(s, EXCP_NM);
        return false;
    }
    if (cls & SIMD_MMX)
        gen_fpu_pending_check(s);
    return true;
}

void mmx_transition(DisasContext *s)
{
    IrTemp zero = gen_const(s, 0);
    ir_st32(s->f, IR_I32, zero, IR_TEMP_ENV, offsetof(CpuState, fpstt));
    ir_st64(s->f, IR_I64, zero, IR_TEMP_ENV, offsetof(CpuState, fptags));
}

/* -- Registers ---------------------------------------------------------------------- */

static int fpreg_off(int reg)
{
    return (int)(offsetof(CpuState, fpregs) + sizeof(FpReg) * (unsigned)reg);
}

IrTemp mmx_get(DisasContext *s, int reg)
{
    IrTemp t = gen_tmp(s);
    ir_ld64(s->f, IR_I64, t, IR_TEMP_ENV, fpreg_off(reg) + (int)offsetof(FpReg, mant));
    return t;
}

void mmx_set(DisasContext *s, int reg, IrTemp v)
{
    ir_st64(s->f, IR_I64, v, IR_TEMP_ENV, fpreg_off(reg) + (int)offsetof(FpReg, mant));
    ir_st16(s->f, IR_I32, gen_const(s, 0xffff), IR_TEMP_ENV,
            fpreg_off(reg) + (int)offsetof(FpReg, se));
}

IrTemp xmm_get(DisasContext *s, int reg, int half)
{
    IrTemp t = gen_tmp(s);
    ir_ld64(s->f, IR_I64, t, IR_TEMP_ENV, xmm_off(reg, half));
    return t;
}

void xmm_set(DisasContext *s, int reg, int half, IrTemp v)
{
    ir_st64(s->f, IR_I64, v, IR_TEMP_ENV, xmm_off(reg, half));
}

/* -- Memory ------------------------------------------------------------------------- */

unsigned simd_size(int sz)
{
    switch (sz) {
    case X86_SZ_b: return 1;
    case X86_SZ_w: return 2;
    case X86_SZ_d: return 4;
    case X86_SZ_q: return 8;
    default: return 16;
    }
}

IrTemp simd_addr(DisasContext *s, X86Insn *d, unsigned size, bool write, bool aligned)
{
    IrTemp a = gen_mem_addr(s, d, size, write);
    if (aligned) {
        int ok = ir_label_new(s->f);
        ir_brcondi(s->f, IR_I32, IR_COND_TSTEQ, a, 15, ok);
        gen_helper_raise_exception_err(s, gen_const(s, EXCP_GP), gen_const(s, 0));
        ir_set_label(s->f, ok);
    }
    return a;
}

IrTemp simd_ld64(DisasContext *s, IrTemp addr)
{
    IrTemp t = gen_tmp(s);
    gen_ld(s, MO_64, t, addr);
    return t;
}

static IrTemp addr_plus8(DisasContext *s, IrTemp addr)
{
    IrTemp a = gen_tmp(s);
    ir_addi(s->f, IR_I32, a, addr, 8);      /* linear addresses wrap at 4 GiB */
    return a;
}

void simd_st64(DisasContext *s, IrTemp addr, IrTemp v)
{
    gen_st(s, MO_64, v, addr);
}

void simd_st128(DisasContext *s, IrTemp addr, IrTemp lo, IrTemp hi, bool aligned)
{
    if (!aligned) {
        /* crossing a page: take any #PF of either page before writing */
        IrTemp off = gen_tmp(s);
        int ok = ir_label_new(s->f);
        ir_andi(s->f, IR_I32, off, addr, GUEST_PAGE_SIZE - 1);
        ir_brcondi(s->f, IR_I32, IR_COND_LEU, off, GUEST_PAGE_SIZE - 16, ok);
        gen_helper_probe_write(s, addr, gen_const(s, 16));
        ir_set_label(s->f, ok);
    }
    gen_st(s, MO_64, lo, addr);
    gen_st(s, MO_64, hi, addr_plus8(s, addr));
}

static IrTemp ld_small(DisasContext *s, IrTemp addr, unsigned size)
{
    IrTemp t = gen_tmp(s);
    gen_ld(s, size == 8 ? MO_64 : size == 4 ? MO_32 : size == 2 ? MO_16 : MO_8, t, addr);
    return t;
}

IrTemp mmx_opnd(DisasContext *s, X86Insn *d, int i)
{
    unsigned size;
    if (!d->op[i].is_mem)
        return mmx_get(s, d->op[i].reg);
    size = simd_size(d->e->size[i]);
    return ld_small(s, simd_addr(s, d, size, false, false), size);
}

void xmm_opnd(DisasContext *s, X86Insn *d, int i, bool aligned, IrTemp *lo, IrTemp *hi)
{
    unsigned size;
    IrTemp a;
    if (!d->op[i].is_mem) {
        *lo = xmm_get(s, d->op[i].reg, 0);
        *hi = xmm_get(s, d->op[i].reg, 1);
        return;
    }
    size = simd_size(d->e->size[i]);
    a = simd_addr(s, d, size, false, aligned && size == 16);
    *lo = ld_small(s, a, size < 16 ? size : 8);
    if (size < 16) {
        *hi = gen_const(s, 0);
        return;
    }
    *hi = simd_ld64(s, addr_plus8(s, a));
}

/* -- dst = f(dst, src) --------------------------------------------------------------- */

void gen_simd_op(DisasContext *s, X86Insn *d, SimdFn *f)
{
    int reg = d->op[0].reg;
    if (!simd_enter(s, d))
        return;
    if (op_is_mmx(d, 0)) {
        IrTemp b = mmx_opnd(s, d, 1), a = mmx_get(s, reg), r = gen_tmp(s);
        f(s, r, a, b);
        mmx_transition(s);
        mmx_set(s, reg, r);
    } else {
        IrTemp bl, bh, rl = gen_tmp(s), rh = gen_tmp(s);
        xmm_opnd(s, d, 1, true, &bl, &bh);
        f(s, rl, xmm_get(s, reg, 0), bl);
        f(s, rh, xmm_get(s, reg, 1), bh);
        xmm_set(s, reg, 0, rl);
        xmm_set(s, reg, 1, rh);
    }
}
