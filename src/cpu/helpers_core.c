/* helpers_core.c — exceptions, lazy flags, port I/O and HLT for translated code. */
#include "cpu/exec.h"
#include "cpu/helpers.h"
#include "base/log.h"

void helper_raise_exception(CpuState *env, uint32_t excp)
{
    raise_exception(env, (int)excp, GETPC());
}

void helper_raise_exception_err(CpuState *env, uint32_t excp, uint32_t err)
{
    raise_exception_err(env, (int)excp, err, GETPC());
}

void helper_raise_illegal(CpuState *env)
{
    raise_exception(env, EXCP_UD, GETPC());
}

/* Segment checks that translated code leaves to C: expand-down segments
 * (SDM Vol. 3A 5.3: valid offsets are limit+1 .. 0xffff or 0xffffffff). */
void helper_seg_check(CpuState *env, uint32_t seg, uint32_t offset, uint32_t size,
                      uint32_t write)
{
    SegCache *s = &env->seg[seg];
    int excp = seg == CPU_SS ? EXCP_SS : EXCP_GP;
    bool pm = (env->cr[0] & CR0_PE) && !(env->eflags & EF_VM);
    uint64_t last = (uint64_t)offset + size - 1;
    uintptr_t ra = GETPC();

    if (pm) {
        bool code = s->attr & 8;
        if (!(s->attr & SEG_ATTR_P) || !(s->attr & SEG_ATTR_S))
            raise_exception_err(env, excp, 0, ra);
        if (write && (code || !(s->attr & 2)))
            raise_exception_err(env, excp, 0, ra);
        if (!write && code && !(s->attr & 2))
            raise_exception_err(env, excp, 0, ra);
        if (!code && (s->attr & 4)) {
            uint64_t upper = (s->attr & SEG_ATTR_DB) ? 0xffffffffull : 0xffff;
            if (offset <= s->limit || last > upper)
                raise_exception_err(env, excp, 0, ra);
            return;
        }
    }
    if (last > s->limit)
        raise_exception_err(env, excp, 0, ra);
}

uint32_t helper_cc_compute_all(CpuState *env)
{
    return cc_compute_all((uint32_t)env->cc_op, env->cc_dst, env->cc_src, env->cc_src2);
}

uint32_t helper_cc_compute_c(CpuState *env)
{
    return cc_compute_c((uint32_t)env->cc_op, env->cc_dst, env->cc_src, env->cc_src2);
}

static uint32_t port_in(CpuState *env, uint32_t port, unsigned size, uintptr_t ra)
{
    cpu_check_io(env, port & 0xffff, size, ra);
    return (uint32_t)bus_io_read(env->cpu->bus, (uint16_t)port, size);
}

static void port_out(CpuState *env, uint32_t port, uint32_t v, unsigned size, uintptr_t ra)
{
    cpu_check_io(env, port & 0xffff, size, ra);
    bus_io_write(env->cpu->bus, (uint16_t)port, v, size);
}

uint32_t helper_inb(CpuState *env, uint32_t port) { return port_in(env, port, 1, GETPC()); }
uint32_t helper_inw(CpuState *env, uint32_t port) { return port_in(env, port, 2, GETPC()); }
uint32_t helper_inl(CpuState *env, uint32_t port) { return port_in(env, port, 4, GETPC()); }
void helper_outb(CpuState *env, uint32_t port, uint32_t v) { port_out(env, port, v, 1, GETPC()); }
void helper_outw(CpuState *env, uint32_t port, uint32_t v) { port_out(env, port, v, 2, GETPC()); }
void helper_outl(CpuState *env, uint32_t port, uint32_t v) { port_out(env, port, v, 4, GETPC()); }

/* HLT: CPL 0 only (SDM HLT); the CPU waits for an interrupt at next_eip. */
void helper_hlt(CpuState *env, uint32_t next_eip)
{
    if ((env->cr[0] & CR0_PE) && cpu_cpl(env) != 0)
        raise_exception_err(env, EXCP_GP, 0, GETPC());
    env->eip = next_eip;
    env->halted = true;
    cpu_loop_exit(env);
}

void helper_set_inhibit_irq(CpuState *env)
{
    env->hflags |= HF_INHIBIT_IRQ;
}
