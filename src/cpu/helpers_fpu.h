/* helpers_fpu.h — the x87 register stack and status word, for the FPU
 * helpers (helpers_fpu_*.c). Not for other areas: they see CpuState only.
 *
 * State (state.h): fpregs[] are physical registers, ST(i) is
 * fpregs[(fpstt + i) & 7]; fptags[] per physical register, 1 = empty; fpus
 * is the status word without TOP (kept in fpstt); fpuc the control word.
 * Invariant: FSW.ES and FSW.B are 1 iff an exception flag (bits 0-5) is set
 * whose mask bit in FCW is 0 — measured on Intel: FLDCW, FLDENV and FNSTENV
 * recompute them (fpu_update_es()).
 *
 * An operation runs as: s = fpu_status(env); compute with the softfloat
 * library; if (fpu_finish(env, &s)) write the result (SDM Vol. 1 8.5:
 * unmasked IE/DE/ZE leave the destination and the stack unchanged; the
 * #MF comes at the next waiting instruction). Stack faults (SDM Vol. 1
 * 8.5.1.1) go through fpu_stack_fault(), whose masked response is the QNaN
 * indefinite.
 */
#ifndef EMU_CPU_HELPERS_FPU_H
#define EMU_CPU_HELPERS_FPU_H

#include "cpu/exec.h"
#include "cpu/fpu/softfloat.h"

/* FSW bits besides the exception flags and C0-C3 (softfloat.h) */
enum { FSW_SF = 0x40, FSW_ES = 0x80, FSW_TOP = 0x3800, FSW_B = 0x8000 };
enum { FSW_CC = FP_C0 | FP_C1 | FP_C2 | FP_C3 };
#define FCW_INIT 0x037f

/* Memory operand formats: the `fmt` argument of the memory helpers (the
 * translator's memory rows carry theirs in X86OpEntry.reg[0]). */
enum { X87_M32FP, X87_M64FP, X87_M80FP, X87_M16INT, X87_M32INT, X87_M64INT, X87_M80BCD };
/* `mode` of the environment helpers */
enum { X87_ENV_32 = 1, X87_ENV_REAL = 2 };

static inline int fpu_phys(const CpuState *env, int i) { return (int)((env->fpstt + (unsigned)i) & 7); }
static inline bool fpu_empty(const CpuState *env, int i) { return env->fptags[fpu_phys(env, i)]; }

static inline Fx80 fpu_get(const CpuState *env, int i)
{
    const FpReg *r = &env->fpregs[fpu_phys(env, i)];
    return (Fx80){ r->mant, r->se };
}

static inline void fpu_set(CpuState *env, int i, Fx80 v)
{
    int p = fpu_phys(env, i);
    env->fpregs[p].mant = v.mant;
    env->fpregs[p].se = v.se;
    env->fptags[p] = 0;
}

static inline void fpu_push(CpuState *env, Fx80 v)
{
    env->fpstt = (env->fpstt - 1) & 7;
    fpu_set(env, 0, v);
}

static inline void fpu_pop(CpuState *env)
{
    env->fptags[fpu_phys(env, 0)] = 1;
    env->fpstt = (env->fpstt + 1) & 7;
}

static inline void fpu_set_cc(CpuState *env, uint16_t mask, uint16_t cc)
{
    env->fpus = (uint16_t)((env->fpus & ~mask) | cc);
}

/* The FSW as software sees it (TOP merged in). */
static inline uint16_t fpu_fsw(const CpuState *env)
{
    return (uint16_t)((env->fpus & ~FSW_TOP) | (env->fpstt & 7) << 11);
}

/* FCW's rounding, precision and masks, with no flags yet. */
static inline FpStatus fpu_status(const CpuState *env)
{
    return (FpStatus){
        .rounding = (uint8_t)((env->fpuc >> 10) & 3),
        .precision = fp_x87_pc_bits((env->fpuc >> 8) & 3u),
        .masks = (uint8_t)(env->fpuc & FP_ALL_EXC),
    };
}

/* Recompute ES and B from the flags and masks (the invariant above). */
static inline void fpu_update_es(CpuState *env)
{
    if (env->fpus & ~env->fpuc & FP_ALL_EXC)
        env->fpus |= FSW_ES | FSW_B;
    else
        env->fpus &= (uint16_t)~(FSW_ES | FSW_B);
}

/* Fold s's flags into FSW (ES/B for unmasked ones) and set C1 = "rounded
 * up"; false if the result must not be written (unmasked IE/DE/ZE: then
 * C1 = 0, measured). */
bool fpu_finish(CpuState *env, FpStatus *s);
/* The same with the unmasked exceptions that forbid the write given. */
bool fpu_finish_ex(CpuState *env, FpStatus *s, uint8_t block);
/* Stack overflow/underflow: IE + SF, C1 = overflow. True if IE is masked
 * (the caller then gives the masked response). */
bool fpu_stack_fault(CpuState *env, bool overflow);
/* Before a push: true if ST(7) is free; otherwise the overflow response
 * (masked: push the indefinite) was given and the push must not happen. */
bool fpu_can_push(CpuState *env);
/* Raise the #PF a write of len bytes at addr would raise, before any of
 * it is written (stores made of several accesses). */
void fpu_probe_write(CpuState *env, uint32_t addr, uint32_t len, uintptr_t ra);
/* A second operand: its value, whether its register is empty, and whether
 * it was a denormal m32fp/m64fp (DE, unless a NaN, an invalid operation or
 * a division by zero decides the result, as for register operands). */
typedef struct FpuOperand {
    Fx80 v;
    bool empty, denormal;
} FpuOperand;
/* ST(dst) = ST(0) op b (op: ModRM.reg of D8, not 2/3), then pop if asked.
 * s may already hold IE from converting b. (helpers_fpu_arith.c) */
void fpu_arith(CpuState *env, int op, FpuOperand b, int dst, bool pop, FpStatus *s);
/* FCOM family: C3 C2 C0 from ST(0) vs b, then `pops` pops. */
void fpu_fcom(CpuState *env, FpuOperand b, bool quiet, int pops, FpStatus *s);

#endif
