/* cpu.c — the public CPU API (cpu.h): creation, reset, pins, state access. */
#include <stdlib.h>
#include <string.h>
#include "cpu/exec.h"
#include "cpu/translate.h"
#include "base/log.h"

#define CODE_BUFFER_SIZE (256u << 20)

void x86_exec_init(Cpu *cpu);
void x86_code_write(void *opaque, uint64_t ram_addr, uint64_t len, uintptr_t ra);

/* -- memmap listener: the TLB and block cache follow the address space -- */

static void on_map_changed(void *opaque)
{
    cpu_tlb_flush(opaque);
}

static void on_code_written(void *opaque, uint64_t ram_addr, uint64_t len)
{
    CpuState *env = opaque;
    /* DMA or a device write: not the CPU's own store, nothing to restart. */
    tb_invalidate_range(env->cpu->tbs, ram_addr, len, NULL);
}

static void on_protect_page(void *opaque, uint64_t ram_addr)
{
    CpuState *env = opaque;
    tlb_protect_ram_page(&env->tcg, ram_addr);
}

static const Backend *pick_backend(CpuBackendKind kind)
{
#ifdef EMU_HAVE_JIT
    if (kind != CPU_BACKEND_INTERP)
        return &backend_jit;
#else
    if (kind == CPU_BACKEND_JIT)
        fatal("no JIT backend for this host; use -accel interp");
#endif
    return &backend_interp;
}

Cpu *cpu_new(const CpuConfig *cfg)
{
    Cpu *cpu = aligned_alloc(64, (sizeof(Cpu) + 63) & ~(size_t)63);
    CpuState *env;
    MemListener l;

    if (!cpu)
        fatal("out of memory");
    x86_decode_selfcheck();     /* two areas claiming one opcode is a build bug */
    memset(cpu, 0, sizeof(*cpu));
    env = &cpu->env;
    cpu->cfg = *cfg;
    cpu->bus = cfg->bus;
    cpu->mem = bus_memmap(cfg->bus);
    cpu->clock = cfg->clock;
    env->cpu = cpu;
    env->tcg.tlb = &env->tlb;
    env->tcg.interp_frame = env->interp_frame;
    env->tcg.mem = cpu->mem;
    env->tcg.tlb_fill = x86_tlb_fill;
    env->tcg.code_write = x86_code_write;
    cpu->tbs = tb_cache_new(pick_backend(cfg->backend), cpu->mem, CODE_BUFFER_SIZE);
    cpu->ir = ir_func_new();
    x86_register_globals(&cpu->globals);
    x86_exec_init(cpu);
    l = (MemListener){ env, on_map_changed, on_code_written, on_protect_page };
    memmap_add_listener(cpu->mem, &l);
    env->a20_mask = ~0u;
    cpu_reset(cpu);
    return cpu;
}

void cpu_free(Cpu *cpu)
{
    if (!cpu)
        return;
    tb_cache_free(cpu->tbs);
    ir_func_free(cpu->ir);
    free(cpu);
}

const char *cpu_backend_name(const Cpu *cpu)
{
    return tb_cache_backend(cpu->tbs)->name;
}

/* Power-on state: SDM Vol. 3A 9.1.1, table 9-1. */
void cpu_reset(Cpu *cpu)
{
    CpuState *env = &cpu->env;
    uint32_t a20 = env->a20_mask;

    memset(env->regs, 0, sizeof(env->regs));
    env->regs[CPU_EDX] = CPU_SIGNATURE;
    env->eip = 0xfff0;
    env->cc_op = CC_OP_EFLAGS;
    env->cc_src = env->cc_dst = env->cc_src2 = 0;
    env->eflags = EF_FIXED1;
    env->df = 1;
    env->cr[0] = CR0_ET | CR0_NW | CR0_CD;
    env->cr[2] = env->cr[3] = env->cr[4] = 0;
    env->efer = 0;
    memset(env->dr, 0, sizeof(env->dr));
    env->dr[6] = 0xffff0ff0;
    env->dr[7] = 0x400;
    for (int i = 0; i < 6; i++) {
        SegCache *s = &env->seg[i];
        s->selector = 0;
        s->base = 0;
        s->limit = 0xffff;
        s->attr = SEG_ATTR_P | SEG_ATTR_S | 3;   /* present, read/write data, accessed */
    }
    env->seg[CPU_CS].selector = 0xf000;
    env->seg[CPU_CS].base = 0xffff0000;
    env->seg[CPU_CS].attr = SEG_ATTR_P | SEG_ATTR_S | 0xb;  /* execute/read code, accessed */
    env->ldt = (SegCache){ .limit = 0xffff, .attr = SEG_ATTR_P | 2 };
    env->tr = (SegCache){ .limit = 0xffff, .attr = SEG_ATTR_P | 11 };
    env->gdt_base = env->idt_base = 0;
    env->gdt_limit = env->idt_limit = 0xffff;

    memset(env->fpregs, 0, sizeof(env->fpregs));
    env->fpstt = 0;
    env->fpus = 0;
    env->fpuc = 0x40;            /* power-up value, not FNINIT's 0x37f */
    /* FTW 5555H at power-up (SDM Vol. 3A table 9-1): every register valid,
     * holding zero — not empty, which is why firmware runs FNINIT. */
    memset(env->fptags, 0, sizeof(env->fptags));
    env->fpop = 0;
    env->fpip = env->fpdp = 0;
    env->fpcs = env->fpds = 0;
    memset(env->xmm, 0, sizeof(env->xmm));
    env->mxcsr = 0x1f80;

    env->sysenter_cs = env->sysenter_esp = env->sysenter_eip = 0;
    env->apic_base = 0xfee00000 | (1u << 11) | (1u << 8);   /* enabled, BSP */
    env->pat = 0x0007040600070406ull;
    env->mtrr_def_type = 0;
    memset(env->mtrr_fixed, 0, sizeof(env->mtrr_fixed));
    memset(env->mtrr_var, 0, sizeof(env->mtrr_var));
    env->tsc_offset = -(int64_t)(vclock_now(cpu->clock) * TSC_PER_NS);

    env->intr_line = env->intr_line;   /* pins keep their level */
    env->nmi_pending = env->nmi_blocked = false;
    env->halted = false;
    env->exit_request = false;
    env->exception_index = -1;
    env->delivering_excp = -1;
    env->a20_mask = a20;
    cpu->next_cflags = 0;
    cpu_update_hflags(env);
    cpu_tlb_flush(env);
    tb_flush(cpu->tbs);
}

/* -- Pins ------------------------------------------------------------------------------ */

void cpu_set_intr(Cpu *cpu, bool level)
{
    bool was = cpu->env.intr_line;
    cpu->env.intr_line = level;
    /* A new request must break out of chained blocks to be seen. */
    if (level && !was && cpu->in_run)
        cpu_request_exit_soft(cpu);
}

void cpu_raise_nmi(Cpu *cpu)
{
    cpu->env.nmi_pending = true;
    if (cpu->in_run)
        cpu_request_exit_soft(cpu);
}

void cpu_set_a20(Cpu *cpu, bool enabled)
{
    uint32_t mask = enabled ? ~0u : ~(1u << 20);
    if (cpu->env.a20_mask == mask)
        return;
    cpu->env.a20_mask = mask;
    cpu_tlb_flush(&cpu->env);
}

bool cpu_get_a20(const Cpu *cpu)
{
    return cpu->env.a20_mask == ~0u;
}

bool cpu_is_halted(const Cpu *cpu)
{
    return cpu->env.halted;
}

/* -- State access ------------------------------------------------------------------------ */

static void seg_out(const SegCache *s, CpuSegment *o)
{
    o->selector = s->selector;
    o->base = s->base;
    o->limit = s->limit;
    o->attr = s->attr;
}

void cpu_get_regs(Cpu *cpu, CpuRegs *r)
{
    CpuState *env = &cpu->env;
    memset(r, 0, sizeof(*r));
    for (int i = 0; i < 8; i++)
        r->gpr[i] = (uint32_t)env->regs[i];
    r->eip = (uint32_t)env->eip;
    r->eflags = cpu_compute_eflags(env);
    for (int i = 0; i < 6; i++)
        seg_out(&env->seg[i], &r->seg[i]);
    seg_out(&env->ldt, &r->ldtr);
    seg_out(&env->tr, &r->tr);
    r->gdt_base = env->gdt_base;
    r->gdt_limit = env->gdt_limit;
    r->idt_base = env->idt_base;
    r->idt_limit = env->idt_limit;
    r->cr0 = env->cr[0];
    r->cr2 = env->cr[2];
    r->cr3 = env->cr[3];
    r->cr4 = env->cr[4];
    memcpy(r->dr, env->dr, sizeof(r->dr));
    r->efer = env->efer;
}

static void seg_in(SegCache *s, const CpuSegment *o)
{
    s->selector = o->selector;
    s->base = o->base;
    s->limit = o->limit;
    s->attr = o->attr;
}

void cpu_set_regs(Cpu *cpu, const CpuRegs *r)
{
    CpuState *env = &cpu->env;
    for (int i = 0; i < 8; i++)
        env->regs[i] = r->gpr[i];
    env->eip = r->eip;
    for (int i = 0; i < 6; i++)
        seg_in(&env->seg[i], &r->seg[i]);
    seg_in(&env->ldt, &r->ldtr);
    seg_in(&env->tr, &r->tr);
    env->gdt_base = r->gdt_base;
    env->gdt_limit = r->gdt_limit;
    env->idt_base = r->idt_base;
    env->idt_limit = r->idt_limit;
    env->cr[0] = r->cr0;
    env->cr[2] = r->cr2;
    env->cr[3] = r->cr3;
    env->cr[4] = r->cr4;
    memcpy(env->dr, r->dr, sizeof(env->dr));
    env->efer = r->efer;
    env->eflags = EF_FIXED1;
    cpu_load_eflags(env, r->eflags, ~0u);
    cpu_update_hflags(env);                 /* the segment caches were written directly */
    cpu_tlb_flush(env);
}

/* FXSAVE image (SDM Vol. 1 10.5.1, table 10-2). */
void cpu_get_fxsave(Cpu *cpu, uint8_t img[512])
{
    CpuState *env = &cpu->env;
    uint8_t ftw = 0;
    memset(img, 0, 512);
    st16(img + 0, env->fpuc);
    st16(img + 2, (uint16_t)((env->fpus & ~0x3800) | ((env->fpstt & 7) << 11)));
    for (int i = 0; i < 8; i++)
        ftw |= (uint8_t)(!env->fptags[i] << i);   /* abridged tag: 1 = valid */
    img[4] = ftw;
    st16(img + 6, env->fpop);
    st32(img + 8, env->fpip);
    st16(img + 12, env->fpcs);
    st32(img + 16, env->fpdp);
    st16(img + 20, env->fpds);
    st32(img + 24, env->mxcsr);
    st32(img + 28, 0xffff);                       /* MXCSR_MASK: DAZ supported */
    for (int i = 0; i < 8; i++) {                 /* ST(i), in stack order */
        const FpReg *r = &env->fpregs[(env->fpstt + i) & 7];
        st64(img + 32 + 16 * i, r->mant);
        st16(img + 40 + 16 * i, r->se);
    }
    memcpy(img + 160, env->xmm, 8 * 16);
}

void cpu_set_fxsave(Cpu *cpu, const uint8_t img[512])
{
    CpuState *env = &cpu->env;
    uint16_t fsw = ld16(img + 2);
    env->fpuc = ld16(img + 0);
    env->fpstt = (fsw >> 11) & 7;
    env->fpus = fsw & ~0x3800;
    for (int i = 0; i < 8; i++)
        env->fptags[i] = !((img[4] >> i) & 1);
    env->fpop = ld16(img + 6);
    env->fpip = ld32(img + 8);
    env->fpcs = ld16(img + 12);
    env->fpdp = ld32(img + 16);
    env->fpds = ld16(img + 20);
    env->mxcsr = ld32(img + 24);
    for (int i = 0; i < 8; i++) {
        FpReg *r = &env->fpregs[(env->fpstt + i) & 7];
        r->mant = ld64(img + 32 + 16 * i);
        r->se = ld16(img + 40 + 16 * i);
    }
    memcpy(env->xmm, img + 160, 8 * 16);
}

int cpu_read_virt(Cpu *cpu, uint32_t vaddr, void *buf, size_t len)
{
    uint8_t *p = buf;
    while (len) {
        uint64_t paddr;
        size_t chunk = MIN(len, GUEST_PAGE_SIZE - (vaddr & (GUEST_PAGE_SIZE - 1)));
        if (!x86_translate_debug(&cpu->env, vaddr, &paddr))
            return -1;
        memmap_rw(cpu->mem, paddr, p, chunk, false);
        p += chunk;
        vaddr += (uint32_t)chunk;
        len -= chunk;
    }
    return 0;
}

void cpu_dump(Cpu *cpu, FILE *f)
{
    CpuState *env = &cpu->env;
    static const char *const segs[6] = { "ES", "CS", "SS", "DS", "FS", "GS" };
    uint32_t fl = cpu_compute_eflags(env);
    fprintf(f, "EAX=%08x EBX=%08x ECX=%08x EDX=%08x\n", (uint32_t)env->regs[0],
            (uint32_t)env->regs[3], (uint32_t)env->regs[1], (uint32_t)env->regs[2]);
    fprintf(f, "ESI=%08x EDI=%08x EBP=%08x ESP=%08x\n", (uint32_t)env->regs[6],
            (uint32_t)env->regs[7], (uint32_t)env->regs[5], (uint32_t)env->regs[4]);
    fprintf(f, "EIP=%08x EFL=%08x [%c%c%c%c%c%c%c] CPL=%d A20=%d HLT=%d\n",
            (uint32_t)env->eip, fl, fl & EF_DF ? 'D' : '-', fl & EF_OF ? 'O' : '-',
            fl & EF_SF ? 'S' : '-', fl & EF_ZF ? 'Z' : '-', fl & EF_AF ? 'A' : '-',
            fl & EF_PF ? 'P' : '-', fl & EF_CF ? 'C' : '-', cpu_cpl(env),
            env->a20_mask == ~0u, env->halted);
    for (int i = 0; i < 6; i++)
        fprintf(f, "%s =%04x %08x %08x %04x\n", segs[i], env->seg[i].selector,
                env->seg[i].base, env->seg[i].limit, env->seg[i].attr);
    fprintf(f, "LDT=%04x %08x %08x %04x\n", env->ldt.selector, env->ldt.base, env->ldt.limit,
            env->ldt.attr);
    fprintf(f, "TR =%04x %08x %08x %04x\n", env->tr.selector, env->tr.base, env->tr.limit,
            env->tr.attr);
    fprintf(f, "GDT=     %08x %08x\nIDT=     %08x %08x\n", env->gdt_base, env->gdt_limit,
            env->idt_base, env->idt_limit);
    fprintf(f, "CR0=%08x CR2=%08x CR3=%08x CR4=%08x EFER=%016llx\n", env->cr[0], env->cr[2],
            env->cr[3], env->cr[4], (unsigned long long)env->efer);
    fprintf(f, "ICOUNT=%llu\n", (unsigned long long)cpu_icount(cpu));
}
