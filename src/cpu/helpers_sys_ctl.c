/* helpers_sys_ctl.c — control and debug registers, LMSW/CLTS, INVLPG and
 * SYSENTER/SYSEXIT (SDM Vol. 2 for each; Vol. 3A 2.5 control registers,
 * 17.2 debug registers). The translator has made the CPL 0 checks of the
 * privileged ones.
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"
#include "base/log.h"

/* CR0 bits that exist; writes to the others are ignored (SDM 2.5). */
#define CR0_DEFINED (CR0_PE | CR0_MP | CR0_EM | CR0_TS | CR0_ET | CR0_NE | CR0_WP | CR0_AM | \
                     CR0_NW | CR0_CD | CR0_PG)
enum { DR6_BD = 1 << 13, DR7_GD = 1 << 13 };

static bool pae_paging(uint32_t cr0, uint32_t cr4)
{
    return (cr0 & CR0_PG) && (cr4 & CR4_PAE);
}

static void write_cr0(CpuState *env, uint32_t v, uintptr_t ra)
{
    v = (v & CR0_DEFINED) | CR0_ET;
    if (((v & CR0_PG) && !(v & CR0_PE)) || ((v & CR0_NW) && !(v & CR0_CD)))
        raise_exception_err(env, EXCP_GP, 0, ra);
    /* Enabling PAE paging loads the PDPTEs (SDM 4.4.1). */
    if (pae_paging(v, env->cr[4]) && !pae_paging(env->cr[0], env->cr[4]) &&
        !x86_pdptes_valid(env, env->cr[3]))
        raise_exception_err(env, EXCP_GP, 0, ra);
    cpu_set_cr0(env, v);
}

void helper_write_cr(CpuState *env, uint32_t n, uint32_t v)
{
    uintptr_t ra = GETPC();
    switch (n) {
    case 0:
        write_cr0(env, v, ra);
        break;
    case 2:
        env->cr[2] = v;
        break;
    case 3:
        if (pae_paging(env->cr[0], env->cr[4]) && !x86_pdptes_valid(env, v))
            raise_exception_err(env, EXCP_GP, 0, ra);
        cpu_set_cr3(env, v);
        break;
    case 4:
        if (v & ~cpu_cr4_valid_bits())
            raise_exception_err(env, EXCP_GP, 0, ra);
        if (pae_paging(env->cr[0], v) && !(env->cr[4] & CR4_PAE) &&
            !x86_pdptes_valid(env, env->cr[3]))
            raise_exception_err(env, EXCP_GP, 0, ra);
        cpu_set_cr4(env, v);
        break;
    default:
        raise_exception(env, EXCP_UD, ra);
    }
}

/* LMSW: CR0 bits 3:0; PE can be set but not cleared (SDM LMSW). */
void helper_lmsw(CpuState *env, uint32_t v)
{
    uint32_t cr0 = (env->cr[0] & ~0xeu) | (v & 0xf) | (env->cr[0] & CR0_PE);
    cpu_set_cr0(env, cr0);
}

void helper_clts(CpuState *env)
{
    cpu_set_cr0(env, env->cr[0] & ~(uint32_t)CR0_TS);
}

/* DR4/DR5 alias DR6/DR7 unless CR4.DE (#UD); DR7.GD makes any access a #DB
 * fault with DR6.BD (SDM 17.2.2, 17.2.4). Returns the register number. */
static int dr_access(CpuState *env, uint32_t n, uintptr_t ra)
{
    if (n == 4 || n == 5) {
        if (env->cr[4] & CR4_DE)
            raise_exception(env, EXCP_UD, ra);
        n += 2;
    }
    if (env->dr[7] & DR7_GD) {
        env->dr[6] |= DR6_BD;
        env->dr[7] &= ~(uint32_t)DR7_GD;
        raise_exception(env, EXCP_DB, ra);
    }
    return (int)n;
}

uint32_t helper_read_dr(CpuState *env, uint32_t n)
{
    return env->dr[dr_access(env, n, GETPC())];
}

void helper_write_dr(CpuState *env, uint32_t n32, uint32_t v)
{
    int n = dr_access(env, n32, GETPC());
    switch (n) {
    case 6:
        env->dr[6] = (v & 0xe00f) | 0xffff0ff0;     /* P6: reserved bits read as 1/0 */
        break;
    case 7:
        env->dr[7] = (v & 0xffff23ff) | 0x400;
        if (v & 0xff)
            log_unimp("debug: hardware breakpoints (DR7 = 0x%08x) do not trigger", v);
        break;
    default:
        env->dr[n] = v;
        break;
    }
}

void helper_invlpg(CpuState *env, uint32_t addr)
{
    cpu_tlb_flush_page(env, addr);
}

/* Flat ring-0 or ring-3 caches of SYSENTER/SYSEXIT (SDM SYSENTER). */
static void flat_seg(CpuState *env, int seg, uint16_t sel, int dpl, bool code)
{
    uint16_t attr = SEG_ATTR_P | SEG_ATTR_S | (uint16_t)(dpl << SEG_ATTR_DPL_SHIFT) |
                    SEG_ATTR_DB | SEG_ATTR_G | (code ? 0xb : 3);
    cpu_set_seg_cache(env, seg, sel, 0, 0xffffffff, attr);
}

void helper_sysenter(CpuState *env)
{
    uint16_t cs = (uint16_t)env->sysenter_cs;
    if (!(env->cr[0] & CR0_PE) || sel_null(cs))
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    env->eflags &= ~(uint32_t)(EF_VM | EF_IF | EF_RF);
    flat_seg(env, CPU_SS, (uint16_t)((cs + 8) & 0xfffc), 0, false);
    flat_seg(env, CPU_CS, cs & 0xfffc, 0, true);
    env->regs[CPU_ESP] = env->sysenter_esp;
    env->eip = env->sysenter_eip;
}

void helper_sysexit(CpuState *env)
{
    uint16_t cs = (uint16_t)env->sysenter_cs;
    if (!(env->cr[0] & CR0_PE) || sel_null(cs) || cpu_cpl(env) != 0)
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    flat_seg(env, CPU_SS, (uint16_t)((cs + 24) | 3), 3, false);
    flat_seg(env, CPU_CS, (uint16_t)((cs + 16) | 3), 3, true);
    env->regs[CPU_ESP] = (uint32_t)env->regs[CPU_ECX];
    env->eip = (uint32_t)env->regs[CPU_EDX];
}
