/* helpers_sys_io.c — INS and OUTS with and without REP (SDM Vol. 2 INS,
 * OUTS, REP; I/O permission: Vol. 1 18.5 through cpu_check_io).
 *
 * One call does at most STRING_IO_CHUNK iterations and returns 1 if more
 * remain: the translated code then restarts the instruction, so the run
 * loop sees interrupts and a huge ECX cannot hold the CPU. Registers are
 * updated after every element, so a fault in the middle is precise: ECX
 * and E(S/D)I count what was done. An INS destination is checked (segment
 * and page) before the port is read, so a fault does not lose data.
 */
#include "cpu/seg.h"
#include "cpu/helpers.h"

#define STRING_IO_CHUNK 4096

typedef struct StrIo {
    uint32_t amask;              /* address size: 0xffff or 0xffffffff */
    unsigned size;
    int index_reg;               /* CPU_EDI or CPU_ESI */
} StrIo;

static void advance(CpuState *env, const StrIo *io)
{
    uint32_t r = (uint32_t)env->regs[io->index_reg];
    uint32_t next = r + (uint32_t)(env->df * (int)io->size);
    env->regs[io->index_reg] = (r & ~io->amask) | (next & io->amask);
}

static void count_down(CpuState *env, const StrIo *io)
{
    uint32_t c = (uint32_t)env->regs[CPU_ECX];
    env->regs[CPU_ECX] = (c & ~io->amask) | ((c - 1) & io->amask);
}

/* The write to [lin, lin+size) must not fault once the port was read. */
static void probe_write(CpuState *env, uint32_t lin, unsigned size, uintptr_t ra)
{
    int mmu = cpu_mmu_index(env);
    x86_tlb_fill(env, lin, ACCESS_WRITE, mmu, false, ra);
    if (((lin + size - 1) ^ lin) & ~(uint32_t)(GUEST_PAGE_SIZE - 1))
        x86_tlb_fill(env, lin + size - 1, ACCESS_WRITE, mmu, false, ra);
}

static uint32_t iterations(CpuState *env, const StrIo *io, uint32_t rep)
{
    return rep ? (uint32_t)env->regs[CPU_ECX] & io->amask : 1;
}

uint32_t helper_ins(CpuState *env, uint32_t ot, uint32_t aflag, uint32_t rep)
{
    uintptr_t ra = GETPC();
    StrIo io = { aflag == MO_32 ? 0xffffffffu : 0xffff, 1u << ot, CPU_EDI };
    uint16_t port = (uint16_t)env->regs[CPU_EDX];
    uint32_t n = iterations(env, &io, rep);

    if (n)
        cpu_check_io(env, port, io.size, ra);
    for (uint32_t i = 0; i < n && i < STRING_IO_CHUNK; i++) {
        uint32_t off = (uint32_t)env->regs[CPU_EDI] & io.amask;
        uint32_t lin = seg_data_addr(env, CPU_ES, off, io.size, true, ra);
        uint32_t v;
        probe_write(env, lin, io.size, ra);
        v = (uint32_t)bus_io_read(env->cpu->bus, port, io.size);
        cpu_st_mmu(env, lin, v, (int)ot, cpu_mmu_index(env), ra);
        advance(env, &io);
        if (rep)
            count_down(env, &io);
    }
    return n > STRING_IO_CHUNK;
}

uint32_t helper_outs(CpuState *env, uint32_t ot, uint32_t aflag, uint32_t rep, uint32_t seg)
{
    uintptr_t ra = GETPC();
    StrIo io = { aflag == MO_32 ? 0xffffffffu : 0xffff, 1u << ot, CPU_ESI };
    uint16_t port = (uint16_t)env->regs[CPU_EDX];
    uint32_t n = iterations(env, &io, rep);

    if (n)
        cpu_check_io(env, port, io.size, ra);
    for (uint32_t i = 0; i < n && i < STRING_IO_CHUNK; i++) {
        uint32_t off = (uint32_t)env->regs[CPU_ESI] & io.amask;
        uint32_t lin = seg_data_addr(env, (int)seg, off, io.size, false, ra);
        uint32_t v = cpu_ld_mmu(env, lin, (int)ot, cpu_mmu_index(env), ra);
        bus_io_write(env->cpu->bus, port, v, io.size);
        advance(env, &io);
        if (rep)
            count_down(env, &io);
    }
    return n > STRING_IO_CHUNK;
}
