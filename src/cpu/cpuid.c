/* cpuid.c — CPUID (SDM Vol. 2 CPUID): what this CPU says it is.
 *
 * A P6-family part: vendor "GenuineIntel" (what Linux and SeaBIOS expect;
 * both key errata and feature probing on it), family 6 model 13 stepping 6
 * (CPU_SIGNATURE), and only the features that work. Leaves beyond the
 * maximum return the highest basic leaf's values, as Intel parts do.
 *
 * To offer a feature: its bit below, its CR4 enable bit in
 * cpu_cr4_valid_bits() if it has one.
 */
#include <string.h>
#include "cpu/seg.h"
#include "cpu/helpers.h"

/* CPUID.1:EDX (SDM Vol. 2 table 3-11) */
enum {
    F_FPU = 1 << 0, F_VME = 1 << 1, F_DE = 1 << 2, F_PSE = 1 << 3, F_TSC = 1 << 4,
    F_MSR = 1 << 5, F_PAE = 1 << 6, F_MCE = 1 << 7, F_CX8 = 1 << 8, F_APIC = 1 << 9,
    F_SEP = 1 << 11, F_MTRR = 1 << 12, F_PGE = 1 << 13, F_MCA = 1 << 14, F_CMOV = 1 << 15,
    F_PAT = 1 << 16, F_PSE36 = 1 << 17, F_CLFSH = 1 << 19, F_MMX = 1 << 23,
    F_FXSR = 1 << 24, F_SSE = 1 << 25, F_SSE2 = 1 << 26,
};
/* CPUID.80000001H:EDX */
enum { FX_NX = 1 << 20 };

static uint32_t leaf1_edx(void)
{
    return F_FPU | F_DE | F_PSE | F_TSC | F_MSR | F_PAE | F_CX8 | F_APIC | F_SEP | F_MTRR |
           F_PGE | F_CMOV | F_PAT | F_CLFSH | F_MMX | F_FXSR | F_SSE | F_SSE2;
}

uint32_t cpu_cr4_valid_bits(void)
{
    return CR4_TSD | CR4_DE | CR4_PSE | CR4_PAE | CR4_PGE | CR4_OSFXSR | CR4_OSXMMEXCPT;
}

/* Four ASCII characters as CPUID returns them in a register. */
static uint32_t str4(const char *s)
{
    return (uint32_t)(uint8_t)s[0] | (uint32_t)(uint8_t)s[1] << 8 |
           (uint32_t)(uint8_t)s[2] << 16 | (uint32_t)(uint8_t)s[3] << 24;
}

/* 48 bytes, NUL-padded (leaves 80000002H-80000004H). */
static const char brand[48] = "emu virtual i686 CPU (P6 family)";

#define MAX_BASIC 2
#define MAX_EXT 0x80000008u

void cpu_cpuid(CpuState *env, uint32_t leaf, uint32_t subleaf, uint32_t out[4])
{
    memset(out, 0, 4 * sizeof(out[0]));
    if (leaf > MAX_EXT || (leaf > MAX_BASIC && leaf < 0x80000000u))
        leaf = MAX_BASIC;
    switch (leaf) {
    case 0:
        out[0] = MAX_BASIC;
        out[1] = str4("Genu");
        out[3] = str4("ineI");
        out[2] = str4("ntel");
        break;
    case 1:
        out[0] = CPU_SIGNATURE;
        out[1] = 8u << 8;           /* CLFLUSH line: 8 * 8 = 64 bytes; APIC ID 0 */
        out[3] = leaf1_edx();
        break;
    case 2:
        /* Cache/TLB descriptors (SDM table 3-12): one iteration; 0x01 ITLB
         * 4K, 0xb0 ITLB 4K 128, 0xb3 DTLB 4K 128, 0x02 ITLB 4M; 0x2c L1D
         * 32K, 0x30 L1I 32K, 0x7d L2 2M, 0x04 DTLB 4M. */
        out[0] = 0x02b3b001;
        out[3] = 0x2c04307d;
        break;
    case 0x80000000u:
        out[0] = MAX_EXT;
        break;
    case 0x80000001u:
        out[3] = FX_NX;
        break;
    case 0x80000002u: case 0x80000003u: case 0x80000004u:
        for (int i = 0; i < 4; i++)
            out[i] = str4(brand + (leaf - 0x80000002u) * 16 + i * 4);
        break;
    case 0x80000006u:
        out[2] = (2048u << 16) | (8u << 12) | 64;   /* L2: 2 MiB, 8-way, 64-byte lines */
        break;
    case 0x80000008u:
        out[0] = (32u << 8) | 36;   /* 32 linear, 36 physical address bits (PAE) */
        break;
    default:
        break;
    }
    (void)env;
    (void)subleaf;
}

void helper_cpuid(CpuState *env)
{
    uint32_t r[4];
    cpu_cpuid(env, (uint32_t)env->regs[CPU_EAX], (uint32_t)env->regs[CPU_ECX], r);
    env->regs[CPU_EAX] = r[0];
    env->regs[CPU_EBX] = r[1];
    env->regs[CPU_ECX] = r[2];
    env->regs[CPU_EDX] = r[3];
}
