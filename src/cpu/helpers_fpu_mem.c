/* helpers_fpu_mem.c — x87 instructions with a memory operand: FLD/FILD/
 * FBLD, FST(P)/FIST(P)/FBSTP, and the arithmetic and compares with m32fp,
 * m64fp, m16int, m32int operands.
 *
 * Every guest memory access happens before the FPU state changes, so a
 * fault leaves the instruction undone. A store is not made when an unmasked
 * exception forbids it (SDM Vol. 1 8.5: IE, DE, ZE; for m32fp/m64fp also
 * OE and UE, 8.5.4/8.5.5) and the stack is then not popped either.
 * Measured on Intel and followed here: FLD m32fp/m64fp loads a denormal
 * even when DE is unmasked; a store kept back by OE/UE reports neither PE
 * nor C1; arithmetic sees an SNaN memory operand as an SNaN (so a QNaN in
 * ST(0) wins over it, SDM Vol. 1 table 4-7).
 */
#include "cpu/helpers_fpu.h"
#include "cpu/helpers.h"

/* An operand as raw bits: lo holds up to 64 bits, hi bytes 8-9 of 80-bit ones. */
typedef struct X87Raw {
    uint64_t lo;
    uint16_t hi;
} X87Raw;

static X87Raw fpu_read(CpuState *env, uint32_t addr, int fmt, uintptr_t ra)
{
    X87Raw r = { 0, 0 };
    switch (fmt) {
    case X87_M16INT:
        r.lo = cpu_ld16(env, addr, ra);
        break;
    case X87_M32FP: case X87_M32INT:
        r.lo = cpu_ld32(env, addr, ra);
        break;
    case X87_M64FP: case X87_M64INT:
        r.lo = cpu_ld64(env, addr, ra);
        break;
    default:
        r.lo = cpu_ld64(env, addr, ra);
        r.hi = (uint16_t)cpu_ld16(env, addr + 8, ra);
        break;
    }
    return r;
}

static void fpu_write(CpuState *env, uint32_t addr, X87Raw r, int fmt, uintptr_t ra)
{
    switch (fmt) {
    case X87_M16INT:
        cpu_st16(env, addr, (uint32_t)r.lo, ra);
        break;
    case X87_M32FP: case X87_M32INT:
        cpu_st32(env, addr, (uint32_t)r.lo, ra);
        break;
    case X87_M64FP: case X87_M64INT:
        cpu_st64(env, addr, r.lo, ra);
        break;
    default:
        fpu_probe_write(env, addr, 10, ra);
        cpu_st64(env, addr, r.lo, ra);
        cpu_st16(env, addr + 8, r.hi, ra);
        break;
    }
}

static void bcd_bytes(X87Raw r, uint8_t bcd[10])
{
    for (int i = 0; i < 8; i++)
        bcd[i] = (uint8_t)(r.lo >> (8 * i));
    bcd[8] = (uint8_t)r.hi;
    bcd[9] = (uint8_t)(r.hi >> 8);
}

static Fx80 fpu_from_raw(X87Raw r, int fmt, FpStatus *s)
{
    uint8_t bcd[10];
    switch (fmt) {
    case X87_M32FP: return f32_to_fx80((F32)r.lo, s);
    case X87_M64FP: return f64_to_fx80(r.lo, s);
    case X87_M80FP: return (Fx80){ r.lo, r.hi };
    case X87_M16INT: return fx80_from_i64((int16_t)r.lo);
    case X87_M32INT: return fx80_from_i64((int32_t)r.lo);
    case X87_M64INT: return fx80_from_i64((int64_t)r.lo);
    default:
        bcd_bytes(r, bcd);
        return fx80_from_bcd(bcd);
    }
}

static X87Raw fpu_to_raw(Fx80 a, int fmt, FpStatus *s)
{
    X87Raw r = { 0, 0 };
    uint8_t bcd[10];
    switch (fmt) {
    case X87_M32FP: r.lo = fx80_to_f32(a, s); break;
    case X87_M64FP: r.lo = fx80_to_f64(a, s); break;
    case X87_M80FP: r = (X87Raw){ a.mant, a.se }; break;
    case X87_M16INT: r.lo = (uint16_t)fx80_to_i16(a, s); break;
    case X87_M32INT: r.lo = (uint32_t)fx80_to_i32(a, s); break;
    case X87_M64INT: r.lo = (uint64_t)fx80_to_i64(a, s); break;
    default:
        fx80_to_bcd(a, bcd, s);
        for (int i = 0; i < 8; i++)
            r.lo |= (uint64_t)bcd[i] << (8 * i);
        r.hi = (uint16_t)(bcd[8] | bcd[9] << 8);
        break;
    }
    return r;
}

/* FLD m32fp/m64fp/m80fp, FILD, FBLD: a full stack wins over the operand's
 * own exceptions (SNaN, denormal). */
void helper_fld_m(CpuState *env, uint32_t addr, uint32_t fmt)
{
    X87Raw raw = fpu_read(env, addr, (int)fmt, GETPC());
    FpStatus s = fpu_status(env);
    Fx80 v;
    if (!fpu_can_push(env))
        return;
    v = fpu_from_raw(raw, (int)fmt, &s);
    if (fpu_finish_ex(env, &s, FP_IE))
        fpu_push(env, v);
}

/* FST(P) m32fp/m64fp/m80fp, FIST(P), FBSTP. The masked response to an
 * empty ST(0) stores the indefinite of the destination format. */
void helper_fst_m(CpuState *env, uint32_t addr, uint32_t fmt, uint32_t pop)
{
    FpStatus s = fpu_status(env);
    bool under = fpu_empty(env, 0);
    uint8_t block = FP_IE | FP_DE | FP_ZE;
    bool store;
    X87Raw raw;

    if (under && !(env->fpuc & FP_IE)) {
        fpu_stack_fault(env, false);
        return;
    }
    raw = fpu_to_raw(under ? FX80_INDEFINITE : fpu_get(env, 0), (int)fmt, &s);
    if (fmt == X87_M32FP || fmt == X87_M64FP)
        block |= FP_OE | FP_UE;
    store = !(s.flags & ~s.masks & block);
    if (store) {
        fpu_write(env, addr, raw, (int)fmt, GETPC());
    } else {
        s.flags &= FP_IE | FP_DE | FP_ZE | FP_OE | FP_UE;
        s.c1_round_up = false;
    }
    if (under)
        fpu_stack_fault(env, false);
    else
        fpu_finish(env, &s);
    if (store && pop)
        fpu_pop(env);
}

/* The second operand of an arithmetic instruction: m32fp/m64fp NaNs are
 * widened bit for bit (an SNaN stays one for the operation to see), a
 * denormal is marked rather than raising DE at once. */
static FpuOperand fpu_operand(X87Raw raw, int fmt)
{
    int fbits = fmt == X87_M32FP ? 23 : 52, ebits = fmt == X87_M32FP ? 8 : 11;
    uint64_t frac = raw.lo & ((1ull << fbits) - 1);
    unsigned exp = (unsigned)(raw.lo >> fbits) & ((1u << ebits) - 1);
    bool sign = raw.lo >> (fbits + ebits) & 1;
    FpStatus s = { .masks = FP_ALL_EXC };
    FpuOperand b = { .empty = false };

    if (fmt != X87_M32FP && fmt != X87_M64FP) {
        b.v = fpu_from_raw(raw, fmt, &s);
    } else if (exp == (1u << ebits) - 1 && frac) {
        b.v = fx80_make(sign, 0x7fff, 1ull << 63 | frac << (63 - fbits));
    } else {
        b.v = fpu_from_raw(raw, fmt, &s);
        b.denormal = s.flags & FP_DE;
    }
    return b;
}

/* D8/DC (m32fp/m64fp) and DA/DE (m32int/m16int) with ModRM.reg = op. */
void helper_farith_m(CpuState *env, uint32_t addr, uint32_t fmt, uint32_t op)
{
    X87Raw raw = fpu_read(env, addr, (int)fmt, GETPC());
    FpStatus s = fpu_status(env);
    FpuOperand b = fpu_operand(raw, (int)fmt);
    if (op == 2 || op == 3)
        fpu_fcom(env, b, false, op == 3, &s);
    else
        fpu_arith(env, (int)op, b, 0, false, &s);
}
