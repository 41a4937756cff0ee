/* msr.c — model-specific registers (SDM Vol. 4) that kernels and firmware
 * use on a P6-family CPU, RDMSR/WRMSR/RDTSC/RDPMC.
 *
 * An MSR that is not listed, a write to a read-only one, or a value with
 * reserved bits set is #GP(0) (SDM RDMSR/WRMSR); unknown indexes are also
 * logged once with -d unimp. To add an MSR: a case in msr_read and
 * msr_write, and its state in CpuState.
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"
#include "base/log.h"

enum {
    MSR_TSC = 0x10, MSR_PLATFORM_ID = 0x17, MSR_APIC_BASE = 0x1b, MSR_BIOS_SIGN_ID = 0x8b,
    MSR_MTRRCAP = 0xfe, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175,
    MSR_SYSENTER_EIP = 0x176, MSR_MISC_ENABLE = 0x1a0, MSR_MTRR_PHYS0 = 0x200,
    MSR_MTRR_FIX64K = 0x250, MSR_MTRR_FIX16K_80000 = 0x258, MSR_MTRR_FIX16K_A0000 = 0x259,
    MSR_MTRR_FIX4K_C0000 = 0x268, MSR_PAT = 0x277, MSR_MTRR_DEF_TYPE = 0x2ff,
    MSR_EFER = 0xc0000080,
};

#define PHYS_MASK ((1ull << 36) - 1)    /* CPUID.80000008H: 36 physical address bits */
#define MTRR_VCNT 8

uint64_t cpu_get_tsc(CpuState *env)
{
    return (uint64_t)(vclock_now(env->cpu->clock) * TSC_PER_NS + env->tsc_offset);
}

/* The index into mtrr_fixed[] of a fixed-range MTRR, or -1. */
static int mtrr_fixed_index(uint32_t index)
{
    if (index == MSR_MTRR_FIX64K)
        return 0;
    if (index == MSR_MTRR_FIX16K_80000 || index == MSR_MTRR_FIX16K_A0000)
        return 1 + (int)(index - MSR_MTRR_FIX16K_80000);
    if (index >= MSR_MTRR_FIX4K_C0000 && index < MSR_MTRR_FIX4K_C0000 + 8)
        return 3 + (int)(index - MSR_MTRR_FIX4K_C0000);
    return -1;
}

/* Memory types valid in MTRRs (0 UC, 1 WC, 4 WT, 5 WP, 6 WB) and in the
 * PAT (those and 7 UC-), SDM Vol. 3A 11.11, 11.12. */
static bool mtrr_type_ok(uint64_t t) { return t == 0 || t == 1 || (t >= 4 && t <= 6); }
static bool bytes_ok(uint64_t v, bool pat)
{
    for (int i = 0; i < 8; i++) {
        uint64_t t = (v >> (8 * i)) & 0xff;
        if (!mtrr_type_ok(t) && !(pat && t == 7))
            return false;
    }
    return true;
}

bool cpu_rdmsr(CpuState *env, uint32_t index, uint64_t *v)
{
    int fix = mtrr_fixed_index(index);
    if (fix >= 0) {
        *v = env->mtrr_fixed[fix];
        return true;
    }
    if (index >= MSR_MTRR_PHYS0 && index < MSR_MTRR_PHYS0 + 2 * MTRR_VCNT) {
        *v = env->mtrr_var[index - MSR_MTRR_PHYS0];
        return true;
    }
    switch (index) {
    case MSR_TSC: *v = cpu_get_tsc(env); return true;
    case MSR_PLATFORM_ID: *v = 0; return true;
    case MSR_APIC_BASE: *v = env->apic_base; return true;
    case MSR_BIOS_SIGN_ID: *v = 0; return true;            /* no microcode update */
    case MSR_MTRRCAP: *v = (1u << 10) | (1u << 8) | MTRR_VCNT; return true;  /* WC, FIX */
    case MSR_SYSENTER_CS: *v = env->sysenter_cs; return true;
    case MSR_SYSENTER_ESP: *v = env->sysenter_esp; return true;
    case MSR_SYSENTER_EIP: *v = env->sysenter_eip; return true;
    /* Fast strings on; branch trace and PEBS unavailable (bits 11, 12). */
    case MSR_MISC_ENABLE: *v = (1u << 0) | (1u << 11) | (1u << 12); return true;
    case MSR_PAT: *v = env->pat; return true;
    case MSR_MTRR_DEF_TYPE: *v = env->mtrr_def_type; return true;
    case MSR_EFER: *v = env->efer; return true;
    default:
        log_unimp("rdmsr 0x%x (raises #GP)", index);
        return false;
    }
}

static bool wr_mtrr_var(CpuState *env, uint32_t i, uint64_t v)
{
    /* PhysBase: type in 7:0, 11:8 reserved; PhysMask: 10:0 reserved, V in 11. */
    uint64_t rsvd = (i & 1) ? (0x7ffull | ~PHYS_MASK) : (0xf00ull | ~PHYS_MASK);
    if ((v & rsvd) || (!(i & 1) && !mtrr_type_ok(v & 0xff)))
        return false;
    env->mtrr_var[i] = v;
    return true;
}

static bool wr_apic_base(CpuState *env, uint64_t v)
{
    /* BSP (8), enable (11), base (35:12); the rest is reserved. */
    if (v & ~((PHYS_MASK & ~0xfffull) | (1u << 11) | (1u << 8)))
        return false;
    env->apic_base = v;
    if (env->cpu->cfg.hooks.apic_base_write)
        env->cpu->cfg.hooks.apic_base_write(env->cpu->cfg.hooks.opaque, v);
    return true;
}

bool cpu_wrmsr(CpuState *env, uint32_t index, uint64_t v)
{
    int fix = mtrr_fixed_index(index);
    if (fix >= 0) {
        if (!bytes_ok(v, false))
            return false;
        env->mtrr_fixed[fix] = v;
        return true;
    }
    if (index >= MSR_MTRR_PHYS0 && index < MSR_MTRR_PHYS0 + 2 * MTRR_VCNT)
        return wr_mtrr_var(env, index - MSR_MTRR_PHYS0, v);
    switch (index) {
    case MSR_TSC:
        env->tsc_offset = (int64_t)(v - (uint64_t)(vclock_now(env->cpu->clock) * TSC_PER_NS));
        return true;
    case MSR_APIC_BASE:
        return wr_apic_base(env, v);
    case MSR_BIOS_SIGN_ID:              /* written as 0 before CPUID(1) reads it */
        return true;
    case MSR_SYSENTER_CS: env->sysenter_cs = (uint32_t)v; return true;
    case MSR_SYSENTER_ESP: env->sysenter_esp = (uint32_t)v; return true;
    case MSR_SYSENTER_EIP: env->sysenter_eip = (uint32_t)v; return true;
    case MSR_MISC_ENABLE:
        /* Only the values we report are accepted (they are not modelled). */
        return true;
    case MSR_PAT:
        if (!bytes_ok(v, true))
            return false;
        env->pat = v;
        return true;
    case MSR_MTRR_DEF_TYPE:
        if ((v & ~0xcffull) || !mtrr_type_ok(v & 0xff))
            return false;
        env->mtrr_def_type = v;
        return true;
    case MSR_EFER:
        /* Only NXE exists on this CPU (no SYSCALL, no long mode). */
        if (v & ~(uint64_t)EFER_NXE)
            return false;
        if ((env->efer ^ v) & EFER_NXE)
            cpu_tlb_flush(env);
        env->efer = v;
        return true;
    case MSR_PLATFORM_ID:
    case MSR_MTRRCAP:
        return false;                   /* read-only */
    default:
        log_unimp("wrmsr 0x%x (raises #GP)", index);
        return false;
    }
}

void helper_rdmsr(CpuState *env)
{
    uint64_t v;
    if (!cpu_rdmsr(env, (uint32_t)env->regs[CPU_ECX], &v))
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    env->regs[CPU_EAX] = (uint32_t)v;
    env->regs[CPU_EDX] = (uint32_t)(v >> 32);
}

void helper_wrmsr(CpuState *env)
{
    uint64_t v = (uint32_t)env->regs[CPU_EAX] | (uint64_t)(uint32_t)env->regs[CPU_EDX] << 32;
    if (!cpu_wrmsr(env, (uint32_t)env->regs[CPU_ECX], v))
        raise_exception_err(env, EXCP_GP, 0, GETPC());
}

/* RDTSC: #GP(0) with CR4.TSD outside CPL 0 (SDM RDTSC). */
void helper_rdtsc(CpuState *env)
{
    uint64_t tsc;
    if ((env->cr[4] & CR4_TSD) && cpu_cpl(env) != 0 && (env->cr[0] & CR0_PE))
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    tsc = cpu_get_tsc(env);
    env->regs[CPU_EAX] = (uint32_t)tsc;
    env->regs[CPU_EDX] = (uint32_t)(tsc >> 32);
}
