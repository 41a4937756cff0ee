/* cpu_harness.c — see cpu_harness.h. */
#include <stdlib.h>
#include <string.h>
#include "unit/cpu_harness.h"

static uint64_t port_read(void *opaque, uint64_t off, unsigned size)
{
    return 0xe9;    /* debug port readback */
}

static void port_e9_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    CpuHarness *h = opaque;
    if (h->nout < (int)sizeof(h->out) - 1)
        h->out[h->nout++] = (char)v;
}

static void port_80_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    CpuHarness *h = opaque;
    if (h->npost < (int)sizeof(h->post))
        h->post[h->npost++] = (uint8_t)v;
}

static const IoOps e9_ops = { port_read, port_e9_write, 1, 1 };
static const IoOps p80_ops = { port_read, port_80_write, 1, 1 };

static uint64_t harness_icount(void *opaque)
{
    return cpu_icount(opaque);
}

CpuHarness *harness_new(CpuBackendKind backend, uint32_t ram_size)
{
    CpuHarness *h = calloc(1, sizeof(*h));
    h->bus = bus_new();
    h->clock = vclock_new(VCLOCK_ICOUNT);
    h->ram = memmap_new_block(bus_memmap(h->bus), "ram", ram_size, false);
    memmap_map_ram(bus_memmap(h->bus), "ram", 0, ram_size, h->ram, 0, PRIO_RAM);
    bus_map_io(h->bus, "debugcon", 0xe9, 1, &e9_ops, h);
    bus_map_io(h->bus, "post", 0x80, 1, &p80_ops, h);
    h->cpu = cpu_new(&(CpuConfig){ .bus = h->bus, .clock = h->clock, .backend = backend });
    vclock_set_icount_source(h->clock, harness_icount, h->cpu, 0);
    return h;
}

void harness_free(CpuHarness *h)
{
    cpu_free(h->cpu);
    bus_free(h->bus);
    vclock_free(h->clock);
    free(h);
}

void harness_load(CpuHarness *h, uint32_t paddr, const void *code, size_t len)
{
    memmap_rw(bus_memmap(h->bus), paddr, (void *)code, len, true);
}

void harness_real_mode(CpuHarness *h, uint16_t cs, uint16_t ip)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    r.seg[CPU_CS].selector = cs;
    r.seg[CPU_CS].base = (uint32_t)cs << 4;
    r.eip = ip;
    r.gpr[CPU_ESP] = 0x7000;
    cpu_set_regs(h->cpu, &r);
}

uint64_t harness_run(CpuHarness *h, uint64_t max_insns)
{
    uint64_t start = cpu_icount(h->cpu);
    while (cpu_icount(h->cpu) - start < max_insns) {
        h->last = cpu_run(h->cpu, max_insns - (cpu_icount(h->cpu) - start));
        if (h->last == CPU_RUN_HALTED || h->last == CPU_RUN_SHUTDOWN)
            break;
    }
    return cpu_icount(h->cpu) - start;
}

uint32_t harness_reg(CpuHarness *h, int reg)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    return r.gpr[reg];
}

uint32_t harness_eip(CpuHarness *h)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    return r.eip;
}

uint32_t harness_eflags(CpuHarness *h)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    return r.eflags;
}
