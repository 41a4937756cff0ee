/* helpers_int.c — C helpers of the integer ISA (declared in helpers_int.def):
 * flags of a run-time cc_op, RCL/RCR, DIV/IDIV, the BCD adjustments and
 * ENTER (REP string loops: helpers_string.c). Helpers that raise pass
 * GETPC() down; those that change guest registers do so only after every
 * access that may fault. */
#include "cpu/exec.h"
#include "cpu/helpers.h"
#include "cpu/gen_int_util.h"

static inline uint32_t mask_of(int ot) { return ot >= MO_32 ? 0xffffffffu : (1u << (8 << ot)) - 1; }

/* Replace the bits of `mask` in guest register r. */
static inline void set_reg_bits(CpuState *env, int r, uint32_t v, uint32_t mask)
{
    env->regs[r] = ((uint32_t)env->regs[r] & ~mask) | (v & mask);
}

/* Lazy flags from explicit operands: pure, so an unused result vanishes
 * (cc_compute_all/_c in helpers_core.c read them from env instead). */
uint32_t helper_cc_flags(CpuState *env, uint32_t cc_op, uint32_t dst, uint32_t src,
                         uint32_t src2)
{
    return cc_compute_all(cc_op, dst, src, src2);
}

uint32_t helper_cc_carry(CpuState *env, uint32_t cc_op, uint32_t dst, uint32_t src,
                         uint32_t src2)
{
    return cc_compute_c(cc_op, dst, src, src2);
}

/* -- RCL/RCR (SDM Vol. 2 RCL/RCR/ROL/ROR): a (bits+1)-bit rotate of CF:value.
 * The count is masked to 5 bits, then taken modulo bits+1; a masked count of
 * 0 changes no flag. OF is defined for a count of 1 only; we give RCL's
 * MSB(result) XOR CF and RCR's MSB(dest) XOR CF (before) for any count. */

static uint64_t rc_pack(uint32_t res, uint32_t eflags, uint32_t cf, uint32_t of)
{
    uint32_t fl = (eflags & ~(uint32_t)(EF_CF | EF_OF)) | (cf ? EF_CF : 0) | (of ? EF_OF : 0);
    return (uint64_t)fl << 32 | res;
}

uint64_t helper_rcl(CpuState *env, uint32_t ot, uint32_t v, uint32_t count, uint32_t eflags)
{
    unsigned bits = 8u << ot, c = count & 31;
    uint64_t full = ((uint64_t)1 << (bits + 1)) - 1, x;
    uint32_t res, cf;
    if (c == 0)
        return (uint64_t)eflags << 32 | v;
    c %= bits + 1;
    x = (v & mask_of((int)ot)) | (uint64_t)(eflags & EF_CF) << bits;
    if (c)
        x = ((x << c) | (x >> (bits + 1 - c))) & full;
    res = (uint32_t)x & mask_of((int)ot);
    cf = (uint32_t)(x >> bits) & 1;
    return rc_pack(res, eflags, cf, ((res >> (bits - 1)) & 1) ^ cf);
}

uint64_t helper_rcr(CpuState *env, uint32_t ot, uint32_t v, uint32_t count, uint32_t eflags)
{
    unsigned bits = 8u << ot, c = count & 31;
    uint64_t full = ((uint64_t)1 << (bits + 1)) - 1, x;
    uint32_t res, of;
    if (c == 0)
        return (uint64_t)eflags << 32 | v;
    v &= mask_of((int)ot);
    of = ((v >> (bits - 1)) & 1) ^ (eflags & EF_CF);
    c %= bits + 1;
    x = v | (uint64_t)(eflags & EF_CF) << bits;
    if (c)
        x = ((x >> c) | (x << (bits + 1 - c))) & full;
    res = (uint32_t)x & mask_of((int)ot);
    return rc_pack(res, eflags, (uint32_t)(x >> bits) & 1, of);
}

/* -- DIV/IDIV (SDM Vol. 2): #DE for a zero divisor or a quotient that does
 * not fit the operand size. Returns remainder << 32 | quotient. */

uint64_t helper_div(CpuState *env, uint32_t ot, uint64_t num, uint32_t den)
{
    uint64_t m = mask_of((int)ot), q;
    den &= (uint32_t)m;
    if (den == 0)
        raise_exception(env, EXCP_DE, GETPC());
    q = num / den;
    if (q > m)
        raise_exception(env, EXCP_DE, GETPC());
    return (num % den) << 32 | q;
}

static int64_t sext(uint64_t v, unsigned bits)
{
    return bits >= 64 ? (int64_t)v : (int64_t)(v << (64 - bits)) >> (64 - bits);
}

uint64_t helper_idiv(CpuState *env, uint32_t ot, uint64_t num, uint32_t den)
{
    unsigned bits = 8u << ot;
    int64_t n = sext(num, 2 * bits), dv = sext(den, bits), q, r;
    int64_t lim = (int64_t)1 << (bits - 1);
    if (dv == 0)
        raise_exception(env, EXCP_DE, GETPC());
    if (dv == -1) {                  /* n / -1 without the host's INT64_MIN trap */
        q = (int64_t)(0 - (uint64_t)n);
        r = 0;
        if (n == INT64_MIN)
            raise_exception(env, EXCP_DE, GETPC());
    } else {
        q = n / dv;
        r = n % dv;
    }
    if (q < -lim || q >= lim)
        raise_exception(env, EXCP_DE, GETPC());
    return (uint64_t)((uint32_t)r & mask_of((int)ot)) << 32 | ((uint32_t)q & mask_of((int)ot));
}

/* -- BCD adjustments (SDM Vol. 2 DAA DAS AAA AAS AAM). Returns the new EAX
 * and, in the high half, the new OSZAPC flags. Undefined flags: DAA/DAS OF
 * (we clear it); AAA/AAS OF SF ZF PF (we give SZP of AL, OF clear). */

static uint32_t szp8(uint32_t al)
{
    return cc_compute_all(CC_OP_LOGICB, al & 0xff, 0, 0);
}

static uint64_t bcd_pack(uint32_t eax, uint32_t fl)
{
    return (uint64_t)fl << 32 | eax;
}

static uint64_t bcd_daa_das(uint32_t eax, uint32_t eflags, bool sub)
{
    uint32_t al = eax & 0xff, old_al = al, cf = 0, af = 0;
    bool old_cf = eflags & EF_CF;
    if ((al & 0xf) > 9 || (eflags & EF_AF)) {
        cf = old_cf || (sub ? al < 6 : al + 6 > 0xff);
        al = (sub ? al - 6 : al + 6) & 0xff;
        af = EF_AF;
    }
    if (old_al > 0x99 || old_cf) {
        al = (sub ? al - 0x60 : al + 0x60) & 0xff;
        cf = 1;
    } else if (!sub) {
        cf = 0;                      /* DAA clears CF here, DAS keeps the first step's */
    }
    return bcd_pack((eax & ~0xffu) | al, szp8(al) | af | (cf ? EF_CF : 0));
}

static uint64_t bcd_aaa_aas(uint32_t eax, uint32_t eflags, bool sub)
{
    uint32_t ax = eax & 0xffff, fl = 0;
    if ((ax & 0xf) > 9 || (eflags & EF_AF)) {
        /* P6 and later: AX +/- 6 carries into AH (SDM: AX <- AX - 6; AH <- AH - 1) */
        ax = sub ? (ax - 6 - 0x100) & 0xffff : (ax + 0x106) & 0xffff;
        fl = EF_AF | EF_CF;
    }
    ax &= 0xff0f;
    return bcd_pack((eax & 0xffff0000u) | (ax & 0xffff), fl | szp8(ax));
}

uint64_t helper_bcd(CpuState *env, uint32_t op, uint32_t eax, uint32_t eflags)
{
    switch (op) {
    case BCD_DAA: return bcd_daa_das(eax, eflags, false);
    case BCD_DAS: return bcd_daa_das(eax, eflags, true);
    case BCD_AAA: return bcd_aaa_aas(eax, eflags, false);
    default: return bcd_aaa_aas(eax, eflags, true);
    }
}

/* AAM imm8 (base != 0: the translator raises #DE for 0): AH = AL / base, AL = AL % base. */
uint32_t helper_aam(CpuState *env, uint32_t eax, uint32_t base)
{
    uint32_t al = eax & 0xff;
    base &= 0xff;
    return (al / base) << 8 | (al % base);
}

static uint32_t str_ld(CpuState *env, int seg, uint32_t off, int ot, uintptr_t ra)
{
    return cpu_ld_mmu(env, cpu_seg_lin(env, seg, off, 1u << ot, false, ra), ot,
                      cpu_mmu_index(env), ra);
}

static void str_st(CpuState *env, int seg, uint32_t off, uint32_t v, int ot, uintptr_t ra)
{
    cpu_st_mmu(env, cpu_seg_lin(env, seg, off, 1u << ot, true, ra), v, ot, cpu_mmu_index(env),
               ra);
}

/* -- ENTER imm16, imm8 (SDM Vol. 2 ENTER): every store first, then EBP/ESP. */
void helper_enter(CpuState *env, uint32_t ot, uint32_t size, uint32_t level)
{
    uintptr_t ra = GETPC();
    uint32_t sm = (env->hflags & HF_SS32) ? 0xffffffffu : 0xffff, osz = 1u << ot;
    uint32_t sp = (uint32_t)env->regs[CPU_ESP] - osz, bp = (uint32_t)env->regs[CPU_EBP], frame;

    level &= 31;
    str_st(env, CPU_SS, sp & sm, bp, (int)ot, ra);
    frame = sp;
    for (uint32_t i = 1; i < level; i++) {
        bp -= osz;
        sp -= osz;
        str_st(env, CPU_SS, sp & sm, str_ld(env, CPU_SS, bp & sm, (int)ot, ra), (int)ot, ra);
    }
    if (level) {
        sp -= osz;
        str_st(env, CPU_SS, sp & sm, frame, (int)ot, ra);
    }
    set_reg_bits(env, CPU_EBP, frame, mask_of((int)ot));
    set_reg_bits(env, CPU_ESP, sp - (size & 0xffff), sm);
}
