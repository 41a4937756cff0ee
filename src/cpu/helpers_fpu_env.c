/* helpers_fpu_env.c — FLDENV, FNSTENV, FRSTOR, FNSAVE: the x87 environment
 * images of SDM Vol. 1 8.1.10 (figures 8-9 to 8-12) and the register area.
 *
 * Four layouts: 32-bit (28 bytes) or 16-bit (14 bytes) operand size, each
 * in a protected-mode and a real-mode (also V86) form. Real-mode images hold
 * 20/32-bit linear instruction and operand addresses; loading one sets FCS
 * and FDS to 0 so that storing it again gives the same image. Reserved
 * halves of the 32-bit images are stored as FFFFh (measured on Intel).
 * The tag word is computed from the registers when stored; when loaded only
 * "empty" (11b) is kept, as the FPU itself does (SDM Vol. 1 8.1.7).
 * Loads read the whole image before changing anything, stores check that
 * every page is writable first (a fault leaves the FPU and memory as they
 * were).
 */
#include <string.h>
#include "cpu/helpers_fpu.h"
#include "cpu/helpers.h"

typedef struct FpuEnv {
    uint16_t fcw, fsw, ftw, fop;
    uint32_t fip, fdp;
    uint16_t fcs, fds;
} FpuEnv;

/* Tag of a non-empty register (SDM Vol. 1 figure 8-7): 0 valid, 1 zero,
 * 2 special (NaN, infinity, denormal, unsupported). */
static unsigned fpu_tag(const FpReg *r)
{
    unsigned exp = r->se & 0x7fff;
    if (exp == 0x7fff)
        return 2;
    if (exp == 0)
        return r->mant ? 2 : 1;
    return r->mant >> 63 ? 0 : 2;
}

static uint16_t fpu_tag_word(const CpuState *env)
{
    unsigned tw = 0;
    for (int p = 0; p < 8; p++)
        tw |= (env->fptags[p] ? 3u : fpu_tag(&env->fpregs[p])) << (2 * p);
    return (uint16_t)tw;
}

static void st_env32(CpuState *env, uint32_t a, const FpuEnv *e, bool real, uintptr_t ra)
{
    cpu_st32(env, a, 0xffff0000u | e->fcw, ra);
    cpu_st32(env, a + 4, 0xffff0000u | e->fsw, ra);
    cpu_st32(env, a + 8, 0xffff0000u | e->ftw, ra);
    if (real) {
        cpu_st32(env, a + 12, 0xffff0000u | (e->fip & 0xffff), ra);
        cpu_st32(env, a + 16, (e->fip >> 16) << 12 | e->fop, ra);
        cpu_st32(env, a + 20, 0xffff0000u | (e->fdp & 0xffff), ra);
        cpu_st32(env, a + 24, (e->fdp >> 16) << 12, ra);
    } else {
        cpu_st32(env, a + 12, e->fip, ra);
        cpu_st32(env, a + 16, e->fcs | (uint32_t)e->fop << 16, ra);
        cpu_st32(env, a + 20, e->fdp, ra);
        cpu_st32(env, a + 24, 0xffff0000u | e->fds, ra);
    }
}

static void st_env16(CpuState *env, uint32_t a, const FpuEnv *e, bool real, uintptr_t ra)
{
    cpu_st16(env, a, e->fcw, ra);
    cpu_st16(env, a + 2, e->fsw, ra);
    cpu_st16(env, a + 4, e->ftw, ra);
    cpu_st16(env, a + 6, e->fip & 0xffff, ra);
    cpu_st16(env, a + 10, e->fdp & 0xffff, ra);
    if (real) {
        cpu_st16(env, a + 8, ((e->fip >> 16) & 0xf) << 12 | e->fop, ra);
        cpu_st16(env, a + 12, ((e->fdp >> 16) & 0xf) << 12, ra);
    } else {
        cpu_st16(env, a + 8, e->fcs, ra);
        cpu_st16(env, a + 12, e->fds, ra);
    }
}

/* Stores the environment, after checking the whole image (with the
 * registers for FNSAVE) can be written; returns the environment's size. */
static uint32_t fpu_store_env(CpuState *env, uint32_t addr, uint32_t mode, bool save,
                              uintptr_t ra)
{
    bool real = mode & X87_ENV_REAL;
    FpuEnv e = {
        .fcw = env->fpuc, .fsw = fpu_fsw(env), .ftw = fpu_tag_word(env),
        .fop = env->fpop & 0x7ff, .fip = env->fpip, .fdp = env->fpdp,
        .fcs = env->fpcs, .fds = env->fpds,
    };
    if (real) {
        e.fip += (uint32_t)env->fpcs << 4;
        e.fdp += (uint32_t)env->fpds << 4;
    }
    fpu_probe_write(env, addr, (mode & X87_ENV_32 ? 28 : 14) + (save ? 80 : 0), ra);
    if (mode & X87_ENV_32) {
        st_env32(env, addr, &e, real, ra);
        return 28;
    }
    st_env16(env, addr, &e, real, ra);
    return 14;
}

static uint32_t ld_env32(CpuState *env, uint32_t a, FpuEnv *e, bool real, uintptr_t ra)
{
    uint32_t w4 = cpu_ld32(env, a + 16, ra), w6 = cpu_ld32(env, a + 24, ra);
    e->fcw = (uint16_t)cpu_ld32(env, a, ra);
    e->fsw = (uint16_t)cpu_ld32(env, a + 4, ra);
    e->ftw = (uint16_t)cpu_ld32(env, a + 8, ra);
    e->fip = cpu_ld32(env, a + 12, ra);
    e->fdp = cpu_ld32(env, a + 20, ra);
    if (real) {
        e->fip = (e->fip & 0xffff) | ((w4 >> 12) & 0xffff) << 16;
        e->fop = w4 & 0x7ff;
        e->fdp = (e->fdp & 0xffff) | ((w6 >> 12) & 0xffff) << 16;
    } else {
        e->fcs = (uint16_t)w4;
        e->fop = (w4 >> 16) & 0x7ff;
        e->fds = (uint16_t)w6;
    }
    return 28;
}

static uint32_t ld_env16(CpuState *env, uint32_t a, FpuEnv *e, bool real, uintptr_t ra)
{
    uint32_t w4 = cpu_ld16(env, a + 8, ra), w6 = cpu_ld16(env, a + 12, ra);
    e->fcw = (uint16_t)cpu_ld16(env, a, ra);
    e->fsw = (uint16_t)cpu_ld16(env, a + 2, ra);
    e->ftw = (uint16_t)cpu_ld16(env, a + 4, ra);
    e->fip = cpu_ld16(env, a + 6, ra);
    e->fdp = cpu_ld16(env, a + 10, ra);
    if (real) {
        e->fip |= (w4 >> 12) << 16;
        e->fop = w4 & 0x7ff;
        e->fdp |= (w6 >> 12) << 16;
    } else {
        e->fcs = (uint16_t)w4;
        e->fds = (uint16_t)w6;
    }
    return 14;
}

static uint32_t fpu_read_env(CpuState *env, uint32_t addr, uint32_t mode, FpuEnv *e,
                             uintptr_t ra)
{
    memset(e, 0, sizeof(*e));
    if (mode & X87_ENV_32)
        return ld_env32(env, addr, e, mode & X87_ENV_REAL, ra);
    return ld_env16(env, addr, e, mode & X87_ENV_REAL, ra);
}

static void fpu_load_env(CpuState *env, const FpuEnv *e)
{
    env->fpuc = (uint16_t)((e->fcw & 0x1f3f) | 0x40);    /* as FLDCW */
    env->fpus = e->fsw & (uint16_t)~FSW_TOP;
    env->fpstt = (e->fsw >> 11) & 7;
    for (int p = 0; p < 8; p++)
        env->fptags[p] = ((e->ftw >> (2 * p)) & 3) == 3;
    env->fpop = e->fop;
    env->fpip = e->fip;
    env->fpdp = e->fdp;
    env->fpcs = e->fcs;
    env->fpds = e->fds;
    fpu_update_es(env);
}

void helper_fldenv(CpuState *env, uint32_t addr, uint32_t mode)
{
    FpuEnv e;
    fpu_read_env(env, addr, mode, &e, GETPC());
    fpu_load_env(env, &e);
}

/* FNSTENV then masks every exception (SDM FSTENV), which clears ES. */
void helper_fnstenv(CpuState *env, uint32_t addr, uint32_t mode)
{
    fpu_store_env(env, addr, mode, false, GETPC());
    env->fpuc |= FP_ALL_EXC;
    fpu_update_es(env);
}

/* FRSTOR: the environment, then ST(0)..ST(7) as 80-bit values. */
void helper_frstor(CpuState *env, uint32_t addr, uint32_t mode)
{
    uintptr_t ra = GETPC();
    FpuEnv e;
    Fx80 st[8];
    uint32_t a = addr + fpu_read_env(env, addr, mode, &e, ra);

    for (int i = 0; i < 8; i++, a += 10) {
        st[i].mant = cpu_ld64(env, a, ra);
        st[i].se = (uint16_t)cpu_ld16(env, a + 8, ra);
    }
    fpu_load_env(env, &e);
    for (int i = 0; i < 8; i++) {
        FpReg *r = &env->fpregs[fpu_phys(env, i)];
        r->mant = st[i].mant;
        r->se = st[i].se;
    }
}

/* FNSAVE: the FRSTOR image, then FNINIT. */
void helper_fnsave(CpuState *env, uint32_t addr, uint32_t mode)
{
    uintptr_t ra = GETPC();
    uint32_t a = addr + fpu_store_env(env, addr, mode, true, ra);

    for (int i = 0; i < 8; i++, a += 10) {
        Fx80 v = fpu_get(env, i);
        cpu_st64(env, a, v.mant, ra);
        cpu_st16(env, a + 8, v.se, ra);
    }
    helper_fninit(env);
}
