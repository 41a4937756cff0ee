/* test_cpu_sse_rig.c — see test_cpu_sse_rig.h. No suite of its own. */
#define _GNU_SOURCE             /* REG_TRAPNO */
#include <setjmp.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include "unit/test_cpu_sse_rig.h"

#define GDT_BASE 0x800
#define CR0_PE_ET_NE 0x31u
#define CR4_OSFXSR_XMM 0x600u

/* -- Guest ------------------------------------------------------------------------ */

static void put32(Rig *r, uint32_t addr, uint32_t v)
{
    uint8_t b[4];
    st32(b, v);
    harness_load(r->h, addr, b, 4);
}

Rig *rig_new(CpuBackendKind backend)
{
    Rig *r = calloc(1, sizeof(*r));
    r->h = harness_new(backend, 1 << 22);
    r->cr0 = CR0_PE_ET_NE;
    r->cr4 = CR4_OSFXSR_XMM;
    /* GDT: null, flat 32-bit code (08h), flat data (10h) */
    put32(r, GDT_BASE + 8, 0x0000ffff);
    put32(r, GDT_BASE + 12, 0x00cf9b00);
    put32(r, GDT_BASE + 16, 0x0000ffff);
    put32(r, GDT_BASE + 20, 0x00cf9300);
    /* IDT at 0: 32 interrupt gates to `jmp $` stubs */
    for (uint32_t v = 0; v < 32; v++) {
        uint32_t off = RIG_HANDLERS + 2 * v;
        static const uint8_t jmp_self[2] = { 0xeb, 0xfe };
        put32(r, 8 * v, 0x00080000 | (off & 0xffff));
        put32(r, 8 * v + 4, (off & 0xffff0000) | 0x8e00);
        harness_load(r->h, off, jmp_self, 2);
    }
    return r;
}

void rig_free(Rig *r)
{
    harness_free(r->h);
    free(r);
}

static void seg(CpuSegment *s, uint16_t sel, uint16_t attr)
{
    *s = (CpuSegment){ .selector = sel, .base = 0, .limit = 0xffffffff, .attr = attr };
}

static void guest_enter(Rig *r, SimdState *st)
{
    CpuRegs g;
    cpu_get_regs(r->h->cpu, &g);
    for (int i = 0; i < 6; i++)
        seg(&g.seg[i], i == CPU_CS ? 0x08 : 0x10, i == CPU_CS ? 0xc9b : 0xc93);
    if (r->ds_limit)
        g.seg[CPU_DS].limit = r->ds_limit;
    g.gdt_base = GDT_BASE;
    g.gdt_limit = 0x17;
    g.idt_base = 0;
    g.idt_limit = 32 * 8 - 1;
    g.cr0 = r->cr0;
    g.cr4 = r->cr4;
    g.cr3 = r->cr3;
    memset(g.gpr, 0, sizeof(g.gpr));
    g.gpr[CPU_EAX] = RIG_MEM + st->eax_off;
    g.gpr[CPU_EDI] = RIG_MEM + st->edi_off;
    g.gpr[CPU_ECX] = st->ecx;
    g.gpr[CPU_EDX] = st->edx;
    g.gpr[CPU_ESP] = RIG_STACK;
    g.eip = RIG_CODE;
    g.eflags = st->eflags;
    cpu_set_regs(r->h->cpu, &g);
    cpu_set_fxsave(r->h->cpu, st->fx);
    harness_load(r->h, RIG_MEM, st->mem, sizeof(st->mem));
}

int rig_guest(Rig *r, const uint8_t *code, size_t len, int ninsns, SimdState *st)
{
    CpuRegs g;
    uint8_t err[4];
    int vec = -2;

    if (len + 2 > sizeof(r->code) || r->code_len != len + 2 || memcmp(r->code, code, len)) {
        memcpy(r->code, code, len);
        r->code[len] = 0xeb;             /* jmp $ */
        r->code[len + 1] = 0xfe;
        r->code_len = len + 2;
        harness_load(r->h, RIG_CODE, r->code, r->code_len);
    }
    guest_enter(r, st);
    harness_run(r->h, (uint64_t)ninsns + 2);
    cpu_get_regs(r->h->cpu, &g);
    if (g.eip == RIG_CODE + len)
        vec = -1;
    else if (g.eip >= RIG_HANDLERS && g.eip < RIG_HANDLERS + 64)
        vec = (int)(g.eip - RIG_HANDLERS) / 2;
    memmap_rw(bus_memmap(r->h->bus), RIG_STACK - 16, err, 4, false);
    r->err = ld32(err);
    r->cr2 = g.cr2;
    cpu_get_fxsave(r->h->cpu, st->fx);
    memmap_rw(bus_memmap(r->h->bus), RIG_MEM, st->mem, sizeof(st->mem), false);
    st->eax_off = g.gpr[CPU_EAX] - RIG_MEM;
    st->edi_off = g.gpr[CPU_EDI] - RIG_MEM;
    st->ecx = g.gpr[CPU_ECX];
    st->edx = g.gpr[CPU_EDX];
    st->eflags = g.eflags;
    return vec;
}

/* -- Host -------------------------------------------------------------------------- */

static const uint8_t stub_head[] = {
    0x53,                               /* push rbx */
    0x49, 0x89, 0xf8,                   /* mov r8, rdi      (image) */
    0x49, 0x89, 0xf2,                   /* mov r10, rsi     (host state) */
    0x49, 0x89, 0xd1,                   /* mov r9, rdx      (gprs) */
    0x41, 0x0f, 0xae, 0x02,             /* fxsave [r10] */
    0x41, 0x0f, 0xae, 0x08,             /* fxrstor [r8] */
    0x49, 0x8b, 0x01,                   /* mov rax, [r9] */
    0x49, 0x8b, 0x49, 0x08,             /* mov rcx, [r9+8] */
    0x49, 0x8b, 0x51, 0x10,             /* mov rdx, [r9+16] */
    0x49, 0x8b, 0x79, 0x18,             /* mov rdi, [r9+24] */
    0x41, 0xff, 0x71, 0x20,             /* push qword [r9+32] */
    0x9d,                               /* popfq */
};
static const uint8_t stub_tail[] = {
    0x9c,                               /* pushfq */
    0x41, 0x8f, 0x41, 0x20,             /* pop qword [r9+32] */
    0x49, 0x89, 0x01,                   /* mov [r9], rax */
    0x49, 0x89, 0x49, 0x08,             /* mov [r9+8], rcx */
    0x49, 0x89, 0x51, 0x10,             /* mov [r9+16], rdx */
    0x49, 0x89, 0x79, 0x18,             /* mov [r9+24], rdi */
    0x41, 0x0f, 0xae, 0x00,             /* fxsave [r8] */
    0x41, 0x0f, 0xae, 0x0a,             /* fxrstor [r10] */
    0x5b,                               /* pop rbx */
    0xc3,                               /* ret */
};

typedef void StubFn(void *image, void *host_state, uint64_t *gprs);

static sigjmp_buf host_jmp;
static volatile int host_trap;
static uint8_t host_fault_fx[512];

static void host_signal(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    (void)sig, (void)si;
    host_trap = (int)uc->uc_mcontext.gregs[REG_TRAPNO];
    memcpy(host_fault_fx, uc->uc_mcontext.fpregs, sizeof(host_fault_fx));
    siglongjmp(host_jmp, 1);
}

static uint8_t *stub_page(void)
{
    static uint8_t *page;
    if (!page) {
        page = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS,
                    -1, 0);
        if (page == MAP_FAILED)
            abort();
    }
    return page;
}

int rig_host(const uint8_t *code, size_t len, SimdState *st)
{
    static const int sigs[4] = { SIGFPE, SIGSEGV, SIGILL, SIGBUS };
    struct sigaction sa = { .sa_sigaction = host_signal, .sa_flags = SA_SIGINFO }, old[4];
    static uint8_t saved[512] __attribute__((aligned(16)));
    uint8_t *volatile p = stub_page();
    uint64_t gpr[5] = { (uintptr_t)st->mem + st->eax_off, st->ecx, st->edx,
                        (uintptr_t)st->mem + st->edi_off, st->eflags };
    volatile int vec = -1;

    memcpy(p, stub_head, sizeof(stub_head));
    memcpy(p + sizeof(stub_head), code, len);
    memcpy(p + sizeof(stub_head) + len, stub_tail, sizeof(stub_tail));
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &sa, &old[i]);
    if (sigsetjmp(host_jmp, 1) == 0) {
        ((StubFn *)(void *)p)(st->fx, saved, gpr);
        st->ecx = (uint32_t)gpr[1];
        st->edx = (uint32_t)gpr[2];
        st->eflags = (uint32_t)gpr[4];
    } else {
        vec = host_trap;
        memcpy(st->fx, host_fault_fx, 512);
        asm volatile("fxrstor %0" : : "m"(*(uint8_t(*)[512])saved));
    }
    for (int i = 0; i < 4; i++)
        sigaction(sigs[i], &old[i], NULL);
    return vec;
}

/* -- Random states and comparison ------------------------------------------------------ */

static uint64_t rand_int_chunk(SfRng *rng)
{
    static const uint8_t edge[] = { 0x00, 0x01, 0x7f, 0x80, 0xff, 0xfe, 0x81 };
    uint64_t v = sf_rand(rng);
    switch (sf_below(rng, 4)) {
    case 0:                             /* edge bytes */
        v = 0;
        for (int i = 0; i < 8; i++)
            v |= (uint64_t)edge[sf_below(rng, sizeof(edge))] << (8 * i);
        return v;
    case 1:                             /* small words, either sign */
        v = 0;
        for (int i = 0; i < 4; i++)
            v |= (uint64_t)(uint16_t)((int)sf_below(rng, 512) - 256) << (16 * i);
        return v;
    default:
        return v;
    }
}

static uint64_t rand_chunk(SfRng *rng, unsigned kinds)
{
    for (;;) {
        unsigned k = 1u << sf_below(rng, 3);
        if (!(kinds & k))
            continue;
        if (k == RIG_F32)
            return sf_rand_f32(rng, 127) | (uint64_t)sf_rand_f32(rng, 127) << 32;
        if (k == RIG_F64)
            return sf_rand_f64(rng, 1023);
        return rand_int_chunk(rng);
    }
}

void rig_random_state(SfRng *rng, SimdState *st, unsigned kinds)
{
    uint32_t mx = 0x1f80 | (uint32_t)sf_below(rng, 4) << 13 | (uint32_t)(sf_rand(rng) & 0x3f);
    memset(st, 0, sizeof(*st));
    if (sf_below(rng, 4) == 0)
        mx |= 0x8000;                   /* FZ */
    if (sf_below(rng, 4) == 0)
        mx |= 0x40;                     /* DAZ */
    st16(st->fx, 0x037f);
    st16(st->fx + 2, (uint16_t)(sf_below(rng, 8) << 11));   /* TOP */
    st->fx[4] = (uint8_t)sf_rand(rng);                       /* abridged tags */
    fx_set_mxcsr(st, mx);
    for (int i = 0; i < 8; i++) {
        st64(fx_st(st, i), rand_chunk(rng, RIG_INT));
        st16(fx_st(st, i) + 8, (uint16_t)sf_rand(rng));
        st64(fx_xmm(st, i), rand_chunk(rng, kinds));
        st64(fx_xmm(st, i) + 8, rand_chunk(rng, kinds));
    }
    for (int i = 0; i < 64; i += 8)
        st64(st->mem + i, rand_chunk(rng, kinds));
    st->ecx = (uint32_t)rand_chunk(rng, RIG_INT);
    st->edx = (uint32_t)sf_rand(rng);
    if (sf_below(rng, 2))
        st->edx = (uint32_t)(int32_t)((int)sf_below(rng, 2001) - 1000);
    st->edi_off = (uint32_t)sf_below(rng, 49);
    st->eflags = 0x2 | ((uint32_t)sf_rand(rng) & 0x8d5);
}

/* Single-precision results of RCP/RSQRT: equal, or finite, same sign and
 * within 2^13 ulps (each side errs by at most 1.5 * 2^-12). */
static bool approx_f32(uint32_t a, uint32_t b)
{
    int64_t d = (int64_t)(a & 0x7fffffff) - (int64_t)(b & 0x7fffffff);
    if (a == b)
        return true;
    if ((a ^ b) >> 31 || (a & 0x7f800000) == 0x7f800000 || (b & 0x7f800000) == 0x7f800000)
        return false;
    return d < 8192 && d > -8192;
}

bool rig_same(const SimdState *g, const SimdState *h, bool approx, char *why)
{
    SimdState *gg = (SimdState *)g, *hh = (SimdState *)h;
    if (memcmp(g->fx, h->fx, 6))
        return snprintf(why, 256, "FCW/FSW/FTW %04x %04x %02x, host %04x %04x %02x",
                        ld16(g->fx), ld16(g->fx + 2), g->fx[4], ld16(h->fx), ld16(h->fx + 2),
                        h->fx[4]), false;
    if (fx_mxcsr(g) != fx_mxcsr(h))
        return snprintf(why, 256, "MXCSR %08x, host %08x", fx_mxcsr(g), fx_mxcsr(h)), false;
    for (int i = 0; i < 8; i++)
        if (memcmp(fx_st(gg, i), fx_st(hh, i), 10))
            return snprintf(why, 256, "ST%d %04x:%016llx, host %04x:%016llx", i,
                            ld16(fx_st(gg, i) + 8), (unsigned long long)ld64(fx_st(gg, i)),
                            ld16(fx_st(hh, i) + 8), (unsigned long long)ld64(fx_st(hh, i))),
                   false;
    for (int i = 0; i < 8; i++) {
        bool same = !memcmp(fx_xmm(gg, i), fx_xmm(hh, i), 16);
        if (approx && i == 1) {
            same = true;
            for (int k = 0; k < 4; k++)
                same &= approx_f32(ld32(fx_xmm(gg, i) + 4 * k), ld32(fx_xmm(hh, i) + 4 * k));
        }
        if (!same)
            return snprintf(why, 256, "XMM%d %016llx%016llx, host %016llx%016llx", i,
                            (unsigned long long)ld64(fx_xmm(gg, i) + 8),
                            (unsigned long long)ld64(fx_xmm(gg, i)),
                            (unsigned long long)ld64(fx_xmm(hh, i) + 8),
                            (unsigned long long)ld64(fx_xmm(hh, i))), false;
    }
    if (memcmp(g->mem, h->mem, sizeof(g->mem)))
        return snprintf(why, 256, "memory differs"), false;
    if (g->ecx != h->ecx || g->edx != h->edx)
        return snprintf(why, 256, "ECX/EDX %08x %08x, host %08x %08x", g->ecx, g->edx, h->ecx,
                        h->edx), false;
    if ((g->eflags ^ h->eflags) & 0x8d5)
        return snprintf(why, 256, "EFLAGS %08x, host %08x", g->eflags, h->eflags), false;
    return true;
}

long rig_diff(Rig *r, const RigCase *cases, size_t ncases, int n, uint64_t seed)
{
    SfRng rng = { seed };
    long fails = 0;
    for (size_t c = 0; c < ncases; c++) {
        const RigCase *k = &cases[c];
        for (int i = 0; i < n; i++) {
            SimdState start, g, h;
            char why[256];
            int gv, hv;
            rig_random_state(&rng, &start, k->kinds);
            if (k->unmask)
                fx_set_mxcsr(&start, fx_mxcsr(&start) & ~((uint32_t)sf_rand(&rng) & 0x1f80));
            g = start;
            h = start;
            gv = rig_guest(r, k->bytes, k->len, 1, &g);
            hv = rig_host(k->bytes, k->len, &h);
            /* after a fault both sides hold the state at the fault */
            if (gv == hv && rig_same(&g, &h, k->approx, why))
                continue;
            if (gv != hv)
                snprintf(why, sizeof(why), "vector %d, host %d", gv, hv);
            if (fails++ < 10)
                fprintf(stderr, "%s (case %d, MXCSR %08x): %s\n", k->name, i,
                        fx_mxcsr(&start), why);
        }
    }
    return fails;
}
