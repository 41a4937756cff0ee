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

/* The exception stubs' "stop" port: leave cpu_run at the next boundary. */
static void port_stop_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
    CpuHarness *h = opaque;
    h->stopped = true;
    cpu_request_exit(h->cpu);
}

static const IoOps e9_ops = { port_read, port_e9_write, 1, 1 };
static const IoOps stop_ops = { port_read, port_stop_write, 1, 1 };
static const IoOps p80_ops = { port_read, port_80_write, 1, 1 };

static uint64_t harness_icount(void *opaque)
{
    return cpu_icount(opaque);
}

static CpuHarness *new_harness(CpuBackendKind backend, uint32_t ram_size, bool dirty_log)
{
    CpuHarness *h = calloc(1, sizeof(*h));
    h->bus = bus_new();
    h->clock = vclock_new(VCLOCK_ICOUNT);
    h->ram = memmap_new_block(bus_memmap(h->bus), "ram", ram_size, dirty_log);
    memmap_map_ram(bus_memmap(h->bus), "ram", 0, ram_size, h->ram, 0, PRIO_RAM);
    bus_map_io(h->bus, "debugcon", 0xe9, 1, &e9_ops, h);
    bus_map_io(h->bus, "post", 0x80, 1, &p80_ops, h);
    bus_map_io(h->bus, "harness-stop", HARNESS_STOP_PORT, 1, &stop_ops, h);
    h->cpu = cpu_new(&(CpuConfig){ .bus = h->bus, .clock = h->clock, .backend = backend });
    cpu_test_check_backend(h->cpu, backend);
    vclock_set_icount_source(h->clock, harness_icount, h->cpu, 0);
    return h;
}

CpuHarness *harness_new(CpuBackendKind backend, uint32_t ram_size)
{
    return new_harness(backend, ram_size, false);
}

CpuHarness *harness_new_logged(CpuBackendKind backend, uint32_t ram_size)
{
    return new_harness(backend, ram_size, true);
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

bool harness_done(const CpuHarness *h)
{
    return h->last == CPU_RUN_HALTED || h->last == CPU_RUN_SHUTDOWN || h->stopped;
}

uint64_t harness_advance(CpuHarness *h, uint64_t n)
{
    uint64_t start = cpu_icount(h->cpu);
    while (!harness_done(h) && cpu_icount(h->cpu) - start < n)
        h->last = cpu_run(h->cpu, n - (cpu_icount(h->cpu) - start));
    return cpu_icount(h->cpu) - start;
}

uint64_t harness_run(CpuHarness *h, uint64_t max_insns)
{
    h->stopped = false;
    if (h->last == CPU_RUN_HALTED || h->last == CPU_RUN_SHUTDOWN)
        h->last = CPU_RUN_BUDGET;
    return harness_advance(h, max_insns);
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

/* -- 32-bit protected mode --------------------------------------------------------- */

#define GDT_ADDR (HARNESS_SYS_BASE + 0x000)
#define IDT_ADDR (HARNESS_SYS_BASE + 0x100)
#define TSS_ADDR (HARNESS_SYS_BASE + 0x200)
#define STUB_ADDR (HARNESS_SYS_BASE + 0x300)
#define STUB_SIZE 4                                 /* out HARNESS_STOP_PORT, al; jmp $ */
#define STACK0_TOP HARNESS_SYS_END
#define NVEC 32

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* A segment descriptor (SDM Vol. 3A 3.4.5); attr in CpuSegment layout. */
static void make_desc(uint8_t d[8], uint32_t base, uint32_t limit, uint16_t attr)
{
    uint32_t raw = (attr & 0x800) ? limit >> 12 : limit;
    d[0] = (uint8_t)raw;
    d[1] = (uint8_t)(raw >> 8);
    d[2] = (uint8_t)base;
    d[3] = (uint8_t)(base >> 8);
    d[4] = (uint8_t)(base >> 16);
    d[5] = (uint8_t)attr;
    d[6] = (uint8_t)(((raw >> 16) & 0xf) | ((attr >> 4) & 0xf0));
    d[7] = (uint8_t)(base >> 24);
}

static void write_desc(CpuHarness *h, int sel, uint32_t base, uint32_t limit, uint16_t attr)
{
    uint8_t d[8];
    make_desc(d, base, limit, attr);
    harness_load(h, GDT_ADDR + (uint32_t)(sel & ~7), d, 8);
}

static CpuSegment seg(uint16_t sel, uint32_t base, uint32_t limit, uint16_t attr)
{
    return (CpuSegment){ .selector = sel, .base = base, .limit = limit, .attr = attr };
}

void harness_pm32(CpuHarness *h, uint32_t eip, int cpl)
{
    uint8_t idt[NVEC * 8], stubs[NVEC * STUB_SIZE], tss[104] = { 0 };
    uint16_t code = cpl ? 0xcfb : 0xc9b, data = cpl ? 0xcf3 : 0xc93;
    uint16_t cs = cpl ? HARNESS_SEL_CODE3 : HARNESS_SEL_CODE0;
    uint16_t ds = cpl ? HARNESS_SEL_DATA3 : HARNESS_SEL_DATA0;
    CpuRegs r;

    write_desc(h, 0, 0, 0, 0);
    write_desc(h, HARNESS_SEL_CODE0, 0, 0xffffffff, 0xc9b);
    write_desc(h, HARNESS_SEL_DATA0, 0, 0xffffffff, 0xc93);
    write_desc(h, HARNESS_SEL_CODE3, 0, 0xffffffff, 0xcfb);
    write_desc(h, HARNESS_SEL_DATA3, 0, 0xffffffff, 0xcf3);
    write_desc(h, HARNESS_SEL_TSS, TSS_ADDR, 103, 0x8b);
    for (int i = 0; i < NVEC; i++) {            /* 32-bit interrupt gates to the stubs */
        uint32_t off = STUB_ADDR + (uint32_t)(i * STUB_SIZE);
        uint8_t *st = stubs + i * STUB_SIZE;
        put32(idt + 8 * i, (off & 0xffff) | (uint32_t)HARNESS_SEL_CODE0 << 16);
        put32(idt + 8 * i + 4, (off & 0xffff0000u) | 0x8e00);
        st[0] = 0xe6;                           /* out HARNESS_STOP_PORT, al */
        st[1] = HARNESS_STOP_PORT;
        st[2] = 0xeb;                           /* jmp $ */
        st[3] = 0xfe;
    }
    harness_load(h, IDT_ADDR, idt, sizeof(idt));
    harness_load(h, STUB_ADDR, stubs, sizeof(stubs));
    put32(tss + 4, STACK0_TOP);                  /* ESP0 */
    put32(tss + 8, HARNESS_SEL_DATA0);           /* SS0 */
    put32(tss + 100, 104u << 16);                /* no I/O bitmap */
    harness_load(h, TSS_ADDR, tss, sizeof(tss));

    cpu_get_regs(h->cpu, &r);
    r.cr0 = 0x11;                                /* PE, ET; paging off */
    r.gdt_base = GDT_ADDR;
    r.gdt_limit = 0x37;
    r.idt_base = IDT_ADDR;
    r.idt_limit = NVEC * 8 - 1;
    r.seg[CPU_CS] = seg(cs, 0, 0xffffffff, code);
    for (int i = 0; i < 6; i++)
        if (i != CPU_CS)
            r.seg[i] = seg(ds, 0, 0xffffffff, data);
    r.tr = seg(HARNESS_SEL_TSS, TSS_ADDR, 103, 0x8b);
    r.ldtr = seg(0, 0, 0, 0);
    r.eip = eip;
    r.eflags = 0x2;
    r.gpr[CPU_ESP] = cpl ? 0x7000 : STACK0_TOP;
    cpu_set_regs(h->cpu, &r);
}

void harness_set_data_seg(CpuHarness *h, uint32_t base, uint32_t limit)
{
    CpuRegs r;
    int rpl;
    uint16_t attr;
    cpu_get_regs(h->cpu, &r);
    rpl = r.seg[CPU_CS].selector & 3;
    attr = (uint16_t)(0x493 | rpl << 5);         /* data RW, byte granular, 32-bit */
    write_desc(h, HARNESS_SEL_USER, base, limit, attr);
    r.seg[CPU_DS] = r.seg[CPU_ES] = r.seg[CPU_SS] =
        seg((uint16_t)(HARNESS_SEL_USER | rpl), base, limit, attr);
    cpu_set_regs(h->cpu, &r);
}

int harness_exception(CpuHarness *h)
{
    uint32_t eip = harness_eip(h) - STUB_ADDR;
    if (!h->stopped || eip >= NVEC * STUB_SIZE || eip % STUB_SIZE != 2)
        return -1;
    return (int)(eip / STUB_SIZE);
}

/* Vectors that push an error code (SDM Vol. 3A 6.3.1 table 6-1). */
static bool has_error_code(int v)
{
    return v == 8 || (v >= 10 && v <= 14) || v == 17;
}

void harness_excp_frame(CpuHarness *h, uint32_t *eip, uint32_t *eflags, uint32_t *esp)
{
    CpuRegs r;
    uint32_t f[5] = { 0 };
    int v = harness_exception(h);
    cpu_get_regs(h->cpu, &r);
    cpu_read_virt(h->cpu, r.seg[CPU_SS].base + r.gpr[CPU_ESP] + (has_error_code(v) ? 4 : 0), f,
                  sizeof(f));
    *eip = f[0];
    *eflags = f[2];
    /* From CPL 3 the frame holds the interrupted SS:ESP; at CPL 0 it is
     * the stack above the frame. */
    *esp = (f[1] & 3) ? f[3] : r.gpr[CPU_ESP] + (has_error_code(v) ? 16 : 12);
}
