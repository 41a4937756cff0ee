/* gen_sse_int.c — integer SIMD: the MMX instructions, their SSE additions,
 * and SSE2's 128-bit forms (66 prefix) of all of them.
 *
 * Every operation here works within 64-bit lanes except the shuffles, so
 * one 64-bit function (an inline IR sequence, or a pure helper from
 * helpers_sse_int.c) serves the MMX register and each half of an XMM
 * register (gen_simd_op). Packs and unpacks pair the halves differently
 * (gen_simd_pairs). Adding an operation: a helper or an inline SimdFn, then
 * one SIMD_GEN line.
 */
#include "cpu/gen_sse_priv.h"

/* -- Inline lane operations ------------------------------------------------------- */

static void f_pand(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_and(s->f, IR_I64, r, a, b); }
static void f_por(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_or(s->f, IR_I64, r, a, b); }
static void f_pxor(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_xor(s->f, IR_I64, r, a, b); }
static void f_pandn(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_andc(s->f, IR_I64, r, b, a); }
static void f_paddq(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_add(s->f, IR_I64, r, a, b); }
static void f_psubq(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { ir_sub(s->f, IR_I64, r, a, b); }

/* Lane-wise add without carries between lanes: add the lanes without their
 * top bits, then put the top bits' sum (a ^ b ^ carry-in) back. */
static void swar_add(DisasContext *s, IrTemp r, IrTemp a, IrTemp b, uint64_t top)
{
    IrTemp x = gen_tmp(s), y = gen_tmp(s);
    ir_andi(s->f, IR_I64, x, a, ~top);
    ir_andi(s->f, IR_I64, y, b, ~top);
    ir_add(s->f, IR_I64, x, x, y);
    ir_xor(s->f, IR_I64, y, a, b);
    ir_andi(s->f, IR_I64, y, y, top);
    ir_xor(s->f, IR_I64, r, x, y);
}

/* Lane-wise subtract: set the top bits of a so no borrow leaves a lane; the
 * top bit of the result is then a ^ b ^ borrow-in, fixed with ~(a ^ b). */
static void swar_sub(DisasContext *s, IrTemp r, IrTemp a, IrTemp b, uint64_t top)
{
    IrTemp x = gen_tmp(s), y = gen_tmp(s);
    ir_ori(s->f, IR_I64, x, a, top);
    ir_andi(s->f, IR_I64, y, b, ~top);
    ir_sub(s->f, IR_I64, x, x, y);
    ir_xor(s->f, IR_I64, y, a, b);
    ir_andc(s->f, IR_I64, y, gen_const(s, top), y);
    ir_xor(s->f, IR_I64, r, x, y);
}

#define TOP8 0x8080808080808080ull
#define TOP16 0x8000800080008000ull
#define TOP32 0x8000000080000000ull
static void f_paddb(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_add(s, r, a, b, TOP8); }
static void f_paddw(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_add(s, r, a, b, TOP16); }
static void f_paddd(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_add(s, r, a, b, TOP32); }
static void f_psubb(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_sub(s, r, a, b, TOP8); }
static void f_psubw(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_sub(s, r, a, b, TOP16); }
static void f_psubd(DisasContext *s, IrTemp r, IrTemp a, IrTemp b) { swar_sub(s, r, a, b, TOP32); }

/* PMULUDQ: low doublewords, unsigned, full 64-bit product. */
static void f_pmuludq(DisasContext *s, IrTemp r, IrTemp a, IrTemp b)
{
    IrTemp x = gen_tmp(s), y = gen_tmp(s);
    ir_ext32u(s->f, IR_I64, x, a);
    ir_ext32u(s->f, IR_I64, y, b);
    ir_mul(s->f, IR_I64, r, x, y);
}

/* PUNPCKLDQ / PUNPCKHDQ on one lane */
static void f_punpckldq(DisasContext *s, IrTemp r, IrTemp a, IrTemp b)
{
    ir_deposit(s->f, IR_I64, r, a, b, 32, 32);
}

static void f_punpckhdq(DisasContext *s, IrTemp r, IrTemp a, IrTemp b)
{
    IrTemp t = gen_tmp(s);
    ir_shri(s->f, IR_I64, t, a, 32);
    ir_deposit(s->f, IR_I64, r, b, t, 0, 32);
}

/* -- dst = f(dst, src) -------------------------------------------------------------- */

#define SIMD_GEN(mn, fn) \
    void gen_##mn(DisasContext *s, X86Insn *d) { gen_simd_op(s, d, fn); }

SIMD_GEN(PAND, f_pand) SIMD_GEN(PANDN, f_pandn) SIMD_GEN(POR, f_por) SIMD_GEN(PXOR, f_pxor)
SIMD_GEN(PADDB, f_paddb) SIMD_GEN(PADDW, f_paddw) SIMD_GEN(PADDD, f_paddd)
SIMD_GEN(PADDQ, f_paddq)
SIMD_GEN(PSUBB, f_psubb) SIMD_GEN(PSUBW, f_psubw) SIMD_GEN(PSUBD, f_psubd)
SIMD_GEN(PSUBQ, f_psubq)
SIMD_GEN(PADDSB, gen_helper_paddsb) SIMD_GEN(PADDSW, gen_helper_paddsw)
SIMD_GEN(PADDUSB, gen_helper_paddusb) SIMD_GEN(PADDUSW, gen_helper_paddusw)
SIMD_GEN(PSUBSB, gen_helper_psubsb) SIMD_GEN(PSUBSW, gen_helper_psubsw)
SIMD_GEN(PSUBUSB, gen_helper_psubusb) SIMD_GEN(PSUBUSW, gen_helper_psubusw)
SIMD_GEN(PMULLW, gen_helper_pmullw) SIMD_GEN(PMULHW, gen_helper_pmulhw)
SIMD_GEN(PMULHUW, gen_helper_pmulhuw) SIMD_GEN(PMULUDQ, f_pmuludq)
SIMD_GEN(PMADDWD, gen_helper_pmaddwd) SIMD_GEN(PSADBW, gen_helper_psadbw)
SIMD_GEN(PCMPEQB, gen_helper_pcmpeqb) SIMD_GEN(PCMPEQW, gen_helper_pcmpeqw)
SIMD_GEN(PCMPEQD, gen_helper_pcmpeqd)
SIMD_GEN(PCMPGTB, gen_helper_pcmpgtb) SIMD_GEN(PCMPGTW, gen_helper_pcmpgtw)
SIMD_GEN(PCMPGTD, gen_helper_pcmpgtd)
SIMD_GEN(PAVGB, gen_helper_pavgb) SIMD_GEN(PAVGW, gen_helper_pavgw)
SIMD_GEN(PMINUB, gen_helper_pminub) SIMD_GEN(PMAXUB, gen_helper_pmaxub)
SIMD_GEN(PMINSW, gen_helper_pminsw) SIMD_GEN(PMAXSW, gen_helper_pmaxsw)

/* -- Packs and unpacks ------------------------------------------------------------ */

/* How the 128-bit forms feed the 64-bit function (SDM Vol. 2 PACKSSWB,
 * PUNPCKLBW): packs narrow dst then src; low unpacks interleave the low
 * halves, high unpacks the high halves. */
enum { PAIR_PACK, PAIR_LOW, PAIR_HIGH };

static void gen_simd_pairs(DisasContext *s, X86Insn *d, SimdFn *lo_fn, SimdFn *hi_fn, int how)
{
    int reg = d->op[0].reg;
    IrTemp al, ah, bl, bh, rl, rh;
    if (!simd_enter(s, d))
        return;
    if (op_is_mmx(d, 0)) {
        IrTemp b = mmx_opnd(s, d, 1), r = gen_tmp(s);
        (how == PAIR_HIGH ? hi_fn : lo_fn)(s, r, mmx_get(s, reg), b);
        mmx_transition(s);
        mmx_set(s, reg, r);
        return;
    }
    xmm_opnd(s, d, 1, true, &bl, &bh);
    al = xmm_get(s, reg, 0);
    ah = xmm_get(s, reg, 1);
    rl = gen_tmp(s);
    rh = gen_tmp(s);
    if (how == PAIR_PACK) {
        lo_fn(s, rl, al, ah);
        lo_fn(s, rh, bl, bh);
    } else if (how == PAIR_LOW) {
        lo_fn(s, rl, al, bl);
        hi_fn(s, rh, al, bl);
    } else {
        lo_fn(s, rl, ah, bh);
        hi_fn(s, rh, ah, bh);
    }
    xmm_set(s, reg, 0, rl);
    xmm_set(s, reg, 1, rh);
}

#define PACK_GEN(mn, fn) \
    void gen_##mn(DisasContext *s, X86Insn *d) { gen_simd_pairs(s, d, fn, NULL, PAIR_PACK); }
#define UNPCK_GEN(mn, lo, hi, how) \
    void gen_##mn(DisasContext *s, X86Insn *d) { gen_simd_pairs(s, d, lo, hi, how); }

PACK_GEN(PACKSSWB, gen_helper_packsswb)
PACK_GEN(PACKSSDW, gen_helper_packssdw)
PACK_GEN(PACKUSWB, gen_helper_packuswb)
UNPCK_GEN(PUNPCKLBW, gen_helper_punpcklbw, gen_helper_punpckhbw, PAIR_LOW)
UNPCK_GEN(PUNPCKLWD, gen_helper_punpcklwd, gen_helper_punpckhwd, PAIR_LOW)
UNPCK_GEN(PUNPCKLDQ, f_punpckldq, f_punpckhdq, PAIR_LOW)
UNPCK_GEN(PUNPCKHBW, gen_helper_punpcklbw, gen_helper_punpckhbw, PAIR_HIGH)
UNPCK_GEN(PUNPCKHWD, gen_helper_punpcklwd, gen_helper_punpckhwd, PAIR_HIGH)
UNPCK_GEN(PUNPCKHDQ, f_punpckldq, f_punpckhdq, PAIR_HIGH)

/* PUNPCKLQDQ / PUNPCKHQDQ (XMM only): the chosen halves of dst and src. */
static void gen_punpckqdq(DisasContext *s, X86Insn *d, int half)
{
    int reg = d->op[0].reg;
    IrTemp bl, bh, a;
    if (!simd_enter(s, d))
        return;
    xmm_opnd(s, d, 1, true, &bl, &bh);
    a = xmm_get(s, reg, half);
    xmm_set(s, reg, 0, a);
    xmm_set(s, reg, 1, half ? bh : bl);
}

void gen_PUNPCKLQDQ(DisasContext *s, X86Insn *d) { gen_punpckqdq(s, d, 0); }
void gen_PUNPCKHQDQ(DisasContext *s, X86Insn *d) { gen_punpckqdq(s, d, 1); }

/* -- Shifts ------------------------------------------------------------------------ */

/* PSxx by a register/memory count (the whole low quadword counts: SDM says
 * counts above the lane width clear it, or fill it with the sign for PSRA),
 * or by an immediate (groups 12-14: op 1 is Ib). */
static void gen_simd_shift(DisasContext *s, X86Insn *d, SimdFn *f)
{
    int reg = d->op[0].reg;
    IrTemp cnt, hi_unused;
    if (!simd_enter(s, d))
        return;
    if (d->op[1].kind == X86_KIND_I)
        cnt = gen_const(s, d->imm & 0xff);
    else if (op_is_mmx(d, 1))
        cnt = mmx_opnd(s, d, 1);
    else
        xmm_opnd(s, d, 1, true, &cnt, &hi_unused);
    if (op_is_mmx(d, 0)) {
        IrTemp r = gen_tmp(s);
        f(s, r, mmx_get(s, reg), cnt);
        mmx_transition(s);
        mmx_set(s, reg, r);
    } else {
        IrTemp rl = gen_tmp(s), rh = gen_tmp(s);
        f(s, rl, xmm_get(s, reg, 0), cnt);
        f(s, rh, xmm_get(s, reg, 1), cnt);
        xmm_set(s, reg, 0, rl);
        xmm_set(s, reg, 1, rh);
    }
}

#define SHIFT_GEN(mn, fn) \
    void gen_##mn(DisasContext *s, X86Insn *d) { gen_simd_shift(s, d, fn); }
SHIFT_GEN(PSLLW, gen_helper_psllw) SHIFT_GEN(PSLLD, gen_helper_pslld)
SHIFT_GEN(PSLLQ, gen_helper_psllq)
SHIFT_GEN(PSRLW, gen_helper_psrlw) SHIFT_GEN(PSRLD, gen_helper_psrld)
SHIFT_GEN(PSRLQ, gen_helper_psrlq)
SHIFT_GEN(PSRAW, gen_helper_psraw) SHIFT_GEN(PSRAD, gen_helper_psrad)

/* PSLLDQ / PSRLDQ xmm, imm8: whole-register byte shifts (counts > 15 clear). */
static void gen_byte_shift(DisasContext *s, X86Insn *d, bool left)
{
    unsigned n = (unsigned)(d->imm & 0xff);
    if (!simd_enter(s, d))
        return;
    if (n > 15)
        n = 16;
    gen_helper_pbyteshift(s, gen_const(s, d->op[0].reg), gen_const(s, left ? n : -n));
}

void gen_PSLLDQ(DisasContext *s, X86Insn *d) { gen_byte_shift(s, d, true); }
void gen_PSRLDQ(DisasContext *s, X86Insn *d) { gen_byte_shift(s, d, false); }

/* -- Shuffles, inserts, extracts ------------------------------------------------- */

/* Four 16-bit words picked from src by imm's 2-bit fields (PSHUFW). */
static IrTemp shuf16(DisasContext *s, IrTemp src, unsigned imm)
{
    IrTemp r = gen_tmp(s);
    ir_extract(s->f, IR_I64, r, src, (imm & 3) * 16, 16);
    for (unsigned i = 1; i < 4; i++) {
        IrTemp w = gen_tmp(s);
        ir_extract(s->f, IR_I64, w, src, ((imm >> (2 * i)) & 3) * 16, 16);
        ir_deposit(s->f, IR_I64, r, r, w, 16 * i, 16);
    }
    return r;
}

void gen_PSHUFW(DisasContext *s, X86Insn *d)
{
    IrTemp b, r;
    if (!simd_enter(s, d))
        return;
    b = mmx_opnd(s, d, 1);
    r = shuf16(s, b, (unsigned)d->imm);
    mmx_transition(s);
    mmx_set(s, d->op[0].reg, r);
}

/* PSHUFLW / PSHUFHW: shuffle the words of one half, copy the other. */
static void gen_pshufxw(DisasContext *s, X86Insn *d, int half)
{
    IrTemp h[2];
    if (!simd_enter(s, d))
        return;
    xmm_opnd(s, d, 1, true, &h[0], &h[1]);
    h[half] = shuf16(s, h[half], (unsigned)d->imm);
    xmm_set(s, d->op[0].reg, 0, h[0]);
    xmm_set(s, d->op[0].reg, 1, h[1]);
}

void gen_PSHUFLW(DisasContext *s, X86Insn *d) { gen_pshufxw(s, d, 0); }
void gen_PSHUFHW(DisasContext *s, X86Insn *d) { gen_pshufxw(s, d, 1); }

/* Doubleword k of a 128-bit value held as two halves. */
static IrTemp dword_of(DisasContext *s, const IrTemp h[2], unsigned k)
{
    IrTemp t = gen_tmp(s);
    ir_extract(s->f, IR_I64, t, h[k >> 1], (k & 1) * 32, 32);
    return t;
}

void gen_PSHUFD(DisasContext *s, X86Insn *d)
{
    unsigned imm = (unsigned)d->imm;
    IrTemp h[2], r[2];
    if (!simd_enter(s, d))
        return;
    xmm_opnd(s, d, 1, true, &h[0], &h[1]);
    for (int half = 0; half < 2; half++) {
        r[half] = gen_tmp(s);
        ir_deposit(s->f, IR_I64, r[half], dword_of(s, h, (imm >> (4 * half)) & 3),
                   dword_of(s, h, (imm >> (4 * half + 2)) & 3), 32, 32);
    }
    xmm_set(s, d->op[0].reg, 0, r[0]);
    xmm_set(s, d->op[0].reg, 1, r[1]);
}

/* PINSRW mm/xmm, r32/m16, imm8: word imm (mod 4 or 8) from the source. */
void gen_PINSRW(DisasContext *s, X86Insn *d)
{
    int reg = d->op[0].reg;
    unsigned k = (unsigned)d->imm & (op_is_mmx(d, 0) ? 3 : 7);
    IrTemp v, r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    if (d->op[1].is_mem) {
        v = gen_tmp(s);
        gen_ld(s, MO_16, v, simd_addr(s, d, 2, false, false));
    } else {
        v = d->op[1].t;
    }
    if (op_is_mmx(d, 0)) {
        ir_deposit(s->f, IR_I64, r, mmx_get(s, reg), v, 16 * k, 16);
        mmx_transition(s);
        mmx_set(s, reg, r);
    } else {
        ir_deposit(s->f, IR_I64, r, xmm_get(s, reg, k >> 2), v, 16 * (k & 3), 16);
        xmm_set(s, reg, k >> 2, r);
    }
}

/* PEXTRW r32, mm/xmm, imm8: the word, zero-extended. */
void gen_PEXTRW(DisasContext *s, X86Insn *d)
{
    int src = d->op[1].reg;
    unsigned k = (unsigned)d->imm & (op_is_mmx(d, 1) ? 3 : 7);
    IrTemp r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    if (op_is_mmx(d, 1)) {
        ir_extract(s->f, IR_I64, r, mmx_get(s, src), 16 * k, 16);
        mmx_transition(s);
    } else {
        ir_extract(s->f, IR_I64, r, xmm_get(s, src, k >> 2), 16 * (k & 3), 16);
    }
    d->op[0].t = r;
}

/* PMOVMSKB r32, mm/xmm: the top bit of each byte. */
void gen_PMOVMSKB(DisasContext *s, X86Insn *d)
{
    int src = d->op[1].reg;
    IrTemp r = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    if (op_is_mmx(d, 1)) {
        gen_helper_pmovmskb(s, r, mmx_get(s, src));
        mmx_transition(s);
    } else {
        IrTemp h = gen_tmp(s);
        gen_helper_pmovmskb(s, r, xmm_get(s, src, 0));
        gen_helper_pmovmskb(s, h, xmm_get(s, src, 1));
        ir_deposit(s->f, IR_I32, r, r, h, 8, 8);
    }
    d->op[0].t = r;
}

/* SHUFPS: dwords 0-1 from dst, 2-3 from src, each picked by 2 bits of imm. */
void gen_SHUFPS(DisasContext *s, X86Insn *d)
{
    int reg = d->op[0].reg;
    unsigned imm = (unsigned)d->imm;
    IrTemp a[2], b[2], rl = gen_tmp(s), rh = gen_tmp(s);
    if (!simd_enter(s, d))
        return;
    xmm_opnd(s, d, 1, true, &b[0], &b[1]);
    a[0] = xmm_get(s, reg, 0);
    a[1] = xmm_get(s, reg, 1);
    ir_deposit(s->f, IR_I64, rl, dword_of(s, a, imm & 3), dword_of(s, a, (imm >> 2) & 3), 32, 32);
    ir_deposit(s->f, IR_I64, rh, dword_of(s, b, (imm >> 4) & 3), dword_of(s, b, (imm >> 6) & 3),
               32, 32);
    xmm_set(s, reg, 0, rl);
    xmm_set(s, reg, 1, rh);
}

/* SHUFPD: the low quadword from dst, the high one from src, by imm bits 0, 1. */
void gen_SHUFPD(DisasContext *s, X86Insn *d)
{
    int reg = d->op[0].reg;
    unsigned imm = (unsigned)d->imm;
    IrTemp b[2], a;
    if (!simd_enter(s, d))
        return;
    xmm_opnd(s, d, 1, true, &b[0], &b[1]);
    a = xmm_get(s, reg, imm & 1);
    xmm_set(s, reg, 0, a);
    xmm_set(s, reg, 1, b[(imm >> 1) & 1]);
}
