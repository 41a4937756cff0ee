/* cpu_sys_rig.c — see cpu_sys_rig.h. */
#include <stdlib.h>
#include <string.h>
#include "unit/cpu_sys_rig.h"

#define RIG_RAM (4u << 20)
#define STUBS 0x6000
#define STUB_COMMON 0x7000

static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static bool has_error_code(int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

/* Per vector: [push 0] push vector; jmp common. */
static void write_stub(SysRig *r, int v)
{
    uint8_t *p = r->mem + STUBS + v * 16;
    uint32_t at = STUBS + (uint32_t)v * 16;
    int n = 0;
    if (!has_error_code(v)) {
        p[n++] = 0x6a;
        p[n++] = 0;
    }
    p[n++] = 0x68;                      /* push imm32 */
    put32(p + n, (uint32_t)v);
    n += 4;
    p[n++] = 0xe9;                      /* jmp rel32 */
    put32(p + n, STUB_COMMON - (at + (uint32_t)n + 4));
}

/* Record through SS (flat ring 0): DS may be anything, even null (V86). */
static const uint8_t stub_common[] = {
    0x36, 0xa3, 0x24, 0x05, 0x00, 0x00,         /* mov ss:[REC_EAX], eax */
    0x58, 0x36, 0xa3, 0x00, 0x05, 0x00, 0x00,   /* pop eax; mov ss:[REC_VEC], eax */
    0x58, 0x36, 0xa3, 0x04, 0x05, 0x00, 0x00,   /* pop eax; mov ss:[REC_ERR], eax */
    0x8b, 0x04, 0x24, 0x36, 0xa3, 0x08, 0x05, 0x00, 0x00,         /* EIP */
    0x8b, 0x44, 0x24, 0x04, 0x36, 0xa3, 0x0c, 0x05, 0x00, 0x00,   /* CS */
    0x8b, 0x44, 0x24, 0x08, 0x36, 0xa3, 0x10, 0x05, 0x00, 0x00,   /* EFLAGS */
    0x8b, 0x44, 0x24, 0x0c, 0x36, 0xa3, 0x14, 0x05, 0x00, 0x00,   /* ESP */
    0x8b, 0x44, 0x24, 0x10, 0x36, 0xa3, 0x18, 0x05, 0x00, 0x00,   /* SS */
    0x36, 0xff, 0x05, 0x1c, 0x05, 0x00, 0x00,   /* inc dword ss:[REC_COUNT] */
    0x36, 0x89, 0x25, 0x20, 0x05, 0x00, 0x00,   /* mov ss:[REC_HANDLER_ESP], esp */
    0xf4,                                       /* hlt */
};

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
    SysRig *r = opaque;
    return ++r->port_ctr;
}

static void dev_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    SysRig *r = opaque;
    if (r->nport_log < 16)
        r->port_log[r->nport_log++] = (uint32_t)v;
}

static const IoOps dev_ops = { dev_read, dev_write, 1, 4 };

static int sysrig_intr_ack(void *opaque)
{
    SysRig *r = opaque;
    return r->intr_vector;
}

static uint64_t sysrig_icount(void *opaque)
{
    return cpu_icount(opaque);
}

void sysrig_desc(SysRig *r, uint16_t sel, uint32_t base, uint32_t limit, uint8_t access,
              uint8_t flags)
{
    uint8_t *p = r->mem + RIG_GDT + (sel & ~7u);
    put32(p, (base << 16) | (limit & 0xffff));
    put32(p + 4, (base & 0xff000000) | ((uint32_t)(flags & 0xf) << 20) | (limit & 0xf0000) |
                 ((uint32_t)access << 8) | ((base >> 16) & 0xff));
}

void sysrig_call_gate(SysRig *r, uint16_t sel, uint16_t target, uint32_t off, int dpl, int params,
                   int type)
{
    uint8_t *p = r->mem + RIG_GDT + (sel & ~7u);
    put32(p, ((uint32_t)target << 16) | (off & 0xffff));
    put32(p + 4, (off & 0xffff0000) | 0x8000 | ((uint32_t)dpl << 13) | ((uint32_t)type << 8) |
                 (uint32_t)params);
}

void sysrig_idt_gate(SysRig *r, int vec, uint16_t sel, uint32_t off, uint8_t type_attr)
{
    uint8_t *p = r->mem + RIG_IDT + vec * 8;
    put32(p, ((uint32_t)sel << 16) | (off & 0xffff));
    put32(p + 4, (off & 0xffff0000) | ((uint32_t)type_attr << 8));
}

void sysrig_idt_present(SysRig *r, int vec, bool present)
{
    uint8_t *p = r->mem + RIG_IDT + vec * 8 + 5;
    *p = present ? (uint8_t)(*p | 0x80) : (uint8_t)(*p & 0x7f);
}

void sysrig_tss(SysRig *r, uint16_t sel, uint32_t base, uint32_t eip, uint32_t esp, uint16_t cs,
             uint16_t ss, uint16_t ds, bool busy)
{
    uint8_t *t = r->mem + base;
    memset(t, 0, 0x68);
    put32(t + 4, RIG_ESP0);
    put32(t + 8, SEL_DATA0);
    put32(t + 0x20, eip);
    put32(t + 0x24, 2);
    put32(t + 0x38, esp);
    put32(t + 0x48, ds);
    put32(t + 0x4c, cs);
    put32(t + 0x50, ss);
    put32(t + 0x54, ds);
    put32(t + 0x58, ds);
    put32(t + 0x5c, ds);
    t[0x66] = 0x68;
    sysrig_desc(r, sel, base, 0x67, busy ? 0x8b : 0x89, 0);
}

static CpuSegment flat(uint16_t sel, uint16_t attr)
{
    return (CpuSegment){ .selector = sel, .base = 0, .limit = 0xffffffff, .attr = attr };
}

static void sysrig_pmode_regs(SysRig *r)
{
    CpuRegs regs;
    cpu_get_regs(r->cpu, &regs);
    regs.cr0 = 0x11;                            /* PE, ET */
    regs.eip = RIG_CODE;
    regs.eflags = 2;
    regs.gpr[CPU_ESP] = 0x80000;
    regs.seg[CPU_CS] = flat(SEL_CODE0, 0xc9b);
    regs.seg[CPU_SS] = flat(SEL_DATA0, 0xc93);
    regs.seg[CPU_DS] = regs.seg[CPU_ES] = regs.seg[CPU_FS] = regs.seg[CPU_GS] =
        flat(SEL_DATA0, 0xc93);
    regs.gdt_base = RIG_GDT;
    regs.gdt_limit = 64 * 8 - 1;
    regs.idt_base = RIG_IDT;
    regs.idt_limit = 256 * 8 - 1;
    regs.ldtr = (CpuSegment){ 0 };
    regs.tr = (CpuSegment){ .selector = SEL_TSS, .base = RIG_TSS, .limit = 0x67, .attr = 0x8b };
    cpu_set_regs(r->cpu, &regs);
}

SysRig *sysrig_new(CpuBackendKind backend, const uint8_t *code, size_t len)
{
    SysRig *r = calloc(1, sizeof(*r));
    RamBlock *ram;

    r->bus = bus_new();
    r->clock = vclock_new(VCLOCK_ICOUNT);
    ram = memmap_new_block(bus_memmap(r->bus), "ram", RIG_RAM, false);
    memmap_map_ram(bus_memmap(r->bus), "ram", 0, RIG_RAM, ram, 0, PRIO_RAM);
    r->mem = ram->host;
    bus_map_io(r->bus, "testdev", 0x300, 4, &dev_ops, r);
    r->cpu = cpu_new(&(CpuConfig){ .bus = r->bus, .clock = r->clock,
                                   .backend = backend,
                                   .hooks = { .opaque = r, .intr_ack = sysrig_intr_ack } });
    cpu_test_check_backend(r->cpu, backend);
    vclock_set_icount_source(r->clock, sysrig_icount, r->cpu, 0);

    sysrig_desc(r, SEL_CODE0, 0, 0xfffff, 0x9b, 0xc);
    sysrig_desc(r, SEL_DATA0, 0, 0xfffff, 0x93, 0xc);
    sysrig_desc(r, SEL_CODE3, 0, 0xfffff, 0xfb, 0xc);
    sysrig_desc(r, SEL_DATA3, 0, 0xfffff, 0xf3, 0xc);
    sysrig_tss(r, SEL_TSS, RIG_TSS, 0, 0, SEL_CODE0, SEL_DATA0, SEL_DATA0, true);
    for (int v = 0; v < 256; v++) {
        write_stub(r, v);
        sysrig_idt_gate(r, v, SEL_CODE0, STUBS + (uint32_t)v * 16, v == 0x40 ? 0xee : 0x8e);
    }
    memcpy(r->mem + STUB_COMMON, stub_common, sizeof(stub_common));
    sysrig_load(r, RIG_CODE, code, len);
    sysrig_wr32(r, REC_VEC, 0xffffffff);
    sysrig_pmode_regs(r);
    return r;
}

void sysrig_free(SysRig *r)
{
    cpu_free(r->cpu);
    bus_free(r->bus);
    vclock_free(r->clock);
    free(r);
}

CpuRunResult sysrig_run(SysRig *r)
{
    CpuRunResult why = CPU_RUN_BUDGET;
    for (int i = 0; i < 100 && why != CPU_RUN_HALTED && why != CPU_RUN_SHUTDOWN; i++)
        why = cpu_run(r->cpu, 100000);
    return why;
}

uint32_t sysrig_rd32(SysRig *r, uint32_t addr)
{
    const uint8_t *p = r->mem + addr;
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

uint8_t sysrig_rd8(SysRig *r, uint32_t addr)
{
    return r->mem[addr];
}

void sysrig_wr32(SysRig *r, uint32_t addr, uint32_t v)
{
    put32(r->mem + addr, v);
}

void sysrig_load(SysRig *r, uint32_t addr, const uint8_t *bytes, size_t len)
{
    memcpy(r->mem + addr, bytes, len);
}

uint32_t sysrig_reg(SysRig *r, int reg)
{
    CpuRegs regs;
    cpu_get_regs(r->cpu, &regs);
    return regs.gpr[reg];
}

void sysrig_set_reg(SysRig *r, int reg, uint32_t v)
{
    CpuRegs regs;
    cpu_get_regs(r->cpu, &regs);
    regs.gpr[reg] = v;
    cpu_set_regs(r->cpu, &regs);
}

void sysrig_set_eflags(SysRig *r, uint32_t v)
{
    CpuRegs regs;
    cpu_get_regs(r->cpu, &regs);
    regs.eflags = v;
    cpu_set_regs(r->cpu, &regs);
}
