/* test_cpu_rep.c — REP string instructions (SDM Vol. 2 REP, MOVS, STOS,
 * LODS, CMPS, SCAS) over long runs: against an element-by-element model
 * of the SDM's definition, for every size, both directions, overlapping
 * copies, 16- and 32-bit addresses (with wrap), limited and flat segments;
 * page faults at the exact element with paging on; a copy over code that
 * already ran (self-modifying code). Runs on each backend (cpu_backends.h).
 *
 * The model: each iteration does its reads, then its write, then steps
 * eSI/eDI by ±size (address-size wrap) and decrements eCX; CMPS/SCAS stop
 * after the element where (equal) != REPE. Flags: those of CMP of the last
 * pair compared.
 */
#include <stdlib.h>
#include <string.h>
#include "config.h"
#include "unit/testlib.h"
#include "unit/cpu_harness.h"
#include "cpu/state.h"

#define CODE 0x00300000u
#define DATA 0x00200000u
#define WIN 0x10010u                /* model window at DATA: 64 KiB + a wrapped element */

enum { K_MOVS, K_STOS, K_LODS, K_CMPS, K_SCAS, K_NB };
static const uint8_t opcode8[K_NB] = { 0xa4, 0xaa, 0xac, 0xa6, 0xae };

typedef struct Case {
    int kind, size, df, a16, mode;  /* mode 0 flat, 1 limited 32-bit, 2 16-bit addressing */
    bool repne;
    uint32_t ecx, esi, edi, eax;
} Case;

typedef struct Model {
    uint8_t mem[WIN];
    uint32_t ecx, esi, edi, eax, flags;
    bool flags_set;
} Model;

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/* CMP a, b flags (OSZAPC) at the given size, from the SDM's definitions. */
static uint32_t cmp_flags(uint32_t a, uint32_t b, int size)
{
    unsigned bits = 8u * (unsigned)size;
    uint32_t m = bits == 32 ? 0xffffffffu : (1u << bits) - 1, r = (a - b) & m, f = 0, p = r & 0xff;
    a &= m;
    b &= m;
    if (a < b) f |= EF_CF;
    if (r == 0) f |= EF_ZF;
    if (r >> (bits - 1)) f |= EF_SF;
    if (((a ^ b) & (a ^ r)) >> (bits - 1) & 1) f |= EF_OF;
    if ((a ^ b ^ r) & 0x10) f |= EF_AF;
    p ^= p >> 4;
    p ^= p >> 2;
    p ^= p >> 1;
    if (!(p & 1)) f |= EF_PF;
    return f;
}

static uint32_t mrd(const Model *m, uint32_t off, int size)
{
    uint32_t v = 0;
    for (int i = 0; i < size; i++)
        v |= (uint32_t)m->mem[(off + (uint32_t)i) % WIN] << (8 * i);
    return v;
}

static void mwr(Model *m, uint32_t off, uint32_t v, int size)
{
    for (int i = 0; i < size; i++)
        m->mem[(off + (uint32_t)i) % WIN] = (uint8_t)(v >> (8 * i));
}

static void model_run(const Case *c, Model *m)
{
    uint32_t am = c->a16 ? 0xffff : 0xffffffff, vm = c->size == 4 ? ~0u : (1u << (8 * c->size)) - 1;
    uint32_t step = c->df ? (uint32_t)-c->size : (uint32_t)c->size;
    while (m->ecx & am) {
        uint32_t si = m->esi & am, di = m->edi & am, a = 0, b = 0;
        bool cmp = c->kind == K_CMPS || c->kind == K_SCAS;
        switch (c->kind) {
        case K_MOVS: mwr(m, di, mrd(m, si, c->size), c->size); break;
        case K_STOS: mwr(m, di, m->eax & vm, c->size); break;
        case K_LODS: m->eax = (m->eax & ~vm) | mrd(m, si, c->size); break;
        case K_CMPS: a = mrd(m, si, c->size); b = mrd(m, di, c->size); break;
        default: a = m->eax & vm; b = mrd(m, di, c->size); break;
        }
        if (c->kind != K_STOS && c->kind != K_SCAS)
            m->esi = (m->esi & ~am) | ((si + step) & am);
        if (c->kind != K_LODS)
            m->edi = (m->edi & ~am) | ((di + step) & am);
        m->ecx = (m->ecx & ~am) | ((m->ecx - 1) & am);
        if (cmp) {
            m->flags = cmp_flags(a, b, c->size);
            m->flags_set = true;
            if ((a == b) == c->repne)
                break;
        }
    }
}

static void make_case(uint32_t *seed, Case *c)
{
    uint32_t base, sz;
    memset(c, 0, sizeof(*c));
    c->kind = (int)(lcg(seed) % K_NB);
    c->size = 1 << (lcg(seed) % 3);
    c->df = lcg(seed) % 3 == 0;
    c->mode = (int)(lcg(seed) % 3);
    c->a16 = c->mode == 2;
    c->repne = lcg(seed) & 1;
    c->eax = lcg(seed) | 0x01010101u;
    sz = (uint32_t)c->size;
    if (c->a16) {
        /* anywhere in 64 KiB, wrapping; elements aligned so none straddles
         * the limit; CX only counts */
        c->ecx = lcg(seed) % 3000 | (lcg(seed) % 4 == 0 ? 0xabcd0000u : 0);
        base = lcg(seed) % 0x10000 & ~(sz - 1);
    } else {
        c->ecx = lcg(seed) % (0x3000 / sz + 1);
        base = 0x3000 + lcg(seed) % 0x7000;
    }
    c->esi = base;
    switch (lcg(seed) % 4) {            /* destination: overlapping often */
    case 0: c->edi = base + (lcg(seed) % 9) - 4; break;
    case 1: c->edi = base + (lcg(seed) % 64) - 32; break;
    case 2: c->edi = base + sz * (lcg(seed) % 8); break;
    default: c->edi = (c->a16 ? 0 : 0x3000) + lcg(seed) % (c->a16 ? 0x10000 : 0x7000); break;
    }
    if (c->a16) {
        c->edi &= 0xffff & ~(sz - 1);
        c->esi |= lcg(seed) % 4 == 0 ? 0x12340000u : 0;   /* upper halves ignored and kept */
    }
}

/* Memory: EAX's bytes repeated (long equal stretches, so REPE CMPS/SCAS
 * run long) with a few differences, or random bytes. */
static void fill_memory(uint32_t seed, uint8_t *mem, const Case *c)
{
    for (uint32_t i = 0; i < WIN; i++)
        mem[i] = (uint8_t)(c->eax >> (8 * (i % (uint32_t)c->size)));
    for (int k = 0; k < 6; k++)
        mem[lcg(&seed) % WIN] ^= (uint8_t)(1 + lcg(&seed) % 255);
    if (seed & 0x100)
        for (uint32_t i = 0; i < WIN; i++)
            mem[i] = (uint8_t)lcg(&seed);
}

static void run_case(CpuBackendKind backend, const Case *c, uint32_t seed)
{
    static Model m;
    CpuHarness *h = harness_new(backend, 4 << 20);
    uint8_t code[8], got[256];
    int n = 0;
    uint32_t seg_base = c->mode ? DATA : 0;
    CpuRegs r;

    if (c->df)
        code[n++] = 0xfd;               /* std */
    if (c->a16)
        code[n++] = 0x67;
    if (c->size == 2)
        code[n++] = 0x66;
    code[n++] = c->repne ? 0xf2 : 0xf3;
    code[n++] = (uint8_t)(opcode8[c->kind] + (c->size > 1));
    code[n++] = 0xf4;
    harness_load(h, CODE, code, (size_t)n);
    harness_pm32(h, CODE, 0);
    if (c->mode)
        harness_set_data_seg(h, DATA, c->a16 ? 0xffff : 0xfffff);
    fill_memory(seed, m.mem, c);
    harness_load(h, DATA, m.mem, WIN);
    cpu_get_regs(h->cpu, &r);
    r.gpr[CPU_ECX] = m.ecx = c->ecx;
    r.gpr[CPU_ESI] = m.esi = c->esi + (c->mode ? 0 : DATA);
    r.gpr[CPU_EDI] = m.edi = c->edi + (c->mode ? 0 : DATA);
    r.gpr[CPU_EAX] = m.eax = c->eax;
    cpu_set_regs(h->cpu, &r);
    m.flags_set = false;
    if (!c->mode) {                     /* the model works on offsets from DATA */
        m.esi -= DATA;
        m.edi -= DATA;
    }
    model_run(c, &m);
    harness_run(h, 1000000);

    cpu_get_regs(h->cpu, &r);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(r.gpr[CPU_ECX], m.ecx);
    ck_assert_uint_eq(r.gpr[CPU_ESI], m.esi + (c->mode ? 0 : DATA));
    ck_assert_uint_eq(r.gpr[CPU_EDI], m.edi + (c->mode ? 0 : DATA));
    ck_assert_uint_eq(r.gpr[CPU_EAX], m.eax);
    if (m.flags_set)
        ck_assert_uint_eq(r.eflags & EF_ARITH, m.flags);
    for (uint32_t off = 0; off < WIN; off += sizeof(got)) {
        uint32_t len = MIN((uint32_t)sizeof(got), WIN - off);
        ck_assert_int_eq(cpu_read_virt(h->cpu, seg_base + (c->mode ? 0 : DATA) + off, got, len), 0);
        if (memcmp(got, m.mem + off, len) != 0)
            ck_abort_msg("memory differs near offset 0x%x (kind %d size %d df %d mode %d)",
                         off, c->kind, c->size, c->df, c->mode);
    }
    harness_free(h);
}

/* _i: backend x 8 batches of cases */
START_TEST(test_cpu_rep_model)
{
    uint32_t seed = 0x1234567u + (uint32_t)(_i % 8) * 7919u;
    for (int i = 0; i < 40; i++) {
        Case c;
        make_case(&seed, &c);
        run_case(cpu_test_backend(_i / 8), &c, seed);
    }
}
END_TEST

/* -- Paging: a fault at the exact element ------------------------------------ */

#define PD 0x00100000u
#define PT 0x00101000u

/* Identity-map the first 4 MiB with 4 KiB pages, except `hole`. */
static void paging_on(CpuHarness *h, uint32_t hole)
{
    static uint32_t pt[1024];
    uint32_t pde = PT | 3;
    CpuRegs r;
    for (uint32_t i = 0; i < 1024; i++)
        pt[i] = i * 4096 == hole ? 0 : (i * 4096) | 3;
    harness_load(h, PT, pt, sizeof(pt));
    harness_load(h, PD, &pde, 4);
    cpu_get_regs(h->cpu, &r);
    r.cr3 = PD;
    r.cr0 |= CR0_PG;
    cpu_set_regs(h->cpu, &r);
}

/* REP MOVSD with the destination running into a not-present page: #PF on
 * the first element there, with eCX/eSI/eDI counting the elements done and
 * those elements stored (SDM Vol. 2 REP). Then the same with DF = 1 and the
 * source running down into the hole. */
START_TEST(test_cpu_rep_page_fault_exact)
{
    static const uint8_t code_up[] = { 0xf3, 0xa5, 0xf4 };          /* rep movsd; hlt */
    static const uint8_t code_down[] = { 0xfd, 0xf3, 0xa5, 0xf4 };  /* std; rep movsd; hlt */
    for (int down = 0; down < 2; down++) {
        CpuHarness *h = harness_new(cpu_test_backend(_i), 4 << 20);
        uint32_t src[1024], w, eip, fl, esp;
        uint32_t hole = DATA + 0x3000, esi, edi, done;
        CpuRegs r;

        for (int i = 0; i < 1024; i++)
            src[i] = 0x10000u * (uint32_t)i + 0x55;
        harness_load(h, DATA + 0x5000, src, sizeof(src));
        harness_load(h, CODE, down ? code_down : code_up, down ? sizeof(code_down) : sizeof(code_up));
        harness_pm32(h, CODE, 0);
        paging_on(h, hole);
        /* up: dst from hole - 0xff0 upwards, 0x3fc elements fit; down: src
         * from hole + 0x1008 downwards, 3 elements fit. */
        esi = down ? hole + 0x1008 : DATA + 0x5000;
        edi = down ? DATA + 0x5ffc : hole - 0xff0;
        done = down ? 3 : 0x3fc;
        cpu_get_regs(h->cpu, &r);
        r.gpr[CPU_ECX] = 3000;
        r.gpr[CPU_ESI] = esi;
        r.gpr[CPU_EDI] = edi;
        if (down) {
            /* the source page at hole + 0x1000 holds the pattern too */
            for (int i = 0; i < 1024; i++)
                src[i] = 0xa0000000u + (uint32_t)i;
            harness_load(h, hole + 0x1000, src, sizeof(src));
        }
        cpu_set_regs(h->cpu, &r);
        harness_run(h, 100000);
        ck_assert_int_eq(harness_exception(h), EXCP_PF);
        harness_excp_frame(h, &eip, &fl, &esp);
        ck_assert_uint_eq(eip, CODE + (down ? 1 : 0));
        cpu_get_regs(h->cpu, &r);
        ck_assert_uint_eq(r.cr2, down ? hole + 0xffc : hole);
        ck_assert_uint_eq(r.gpr[CPU_ECX], 3000 - done);
        ck_assert_uint_eq(r.gpr[CPU_ESI], down ? esi - 4 * done : esi + 4 * done);
        ck_assert_uint_eq(r.gpr[CPU_EDI], down ? edi - 4 * done : edi + 4 * done);
        /* the last element done, and the one before the destination */
        ck_assert_int_eq(cpu_read_virt(h->cpu, down ? edi - 4 * (done - 1) : hole - 4, &w, 4), 0);
        ck_assert_uint_eq(w, down ? 0xa0000000u : 0x10000u * (done - 1) + 0x55);
        harness_free(h);
    }
}
END_TEST

/* -- Self-modifying code -------------------------------------------------------- */

/* The code REP MOVSB overwrites already ran (and was translated): the next
 * call must run the new bytes (SDM Vol. 3A 11.6).
 *   call target / mov esi, new / mov edi, target / mov ecx, 6 / rep movsb
 *   call target / hlt
 *   target: mov eax, 0x11111111 / ret      new: mov eax, 0x22222222 / ret */
START_TEST(test_cpu_rep_overwrites_code)
{
    uint8_t code[64];
    int n = 0;
    uint32_t target, fresh;
    CpuHarness *h = harness_new(cpu_test_backend(_i), 4 << 20);

    code[n++] = 0xe8; n += 4;                           /* call target (patched) */
    code[n++] = 0xbe; n += 4;                           /* mov esi, new */
    code[n++] = 0xbf; n += 4;                           /* mov edi, target */
    code[n++] = 0xb9; code[n++] = 6; code[n++] = 0; code[n++] = 0; code[n++] = 0;
    code[n++] = 0xf3; code[n++] = 0xa4;                 /* rep movsb */
    code[n++] = 0xe8; n += 4;                           /* call target */
    code[n++] = 0xf4;
    target = CODE + (uint32_t)n;
    code[n++] = 0xb8; memcpy(code + n, "\x11\x11\x11\x11", 4); n += 4;
    code[n++] = 0xc3;
    fresh = CODE + (uint32_t)n;
    code[n++] = 0xb8; memcpy(code + n, "\x22\x22\x22\x22", 4); n += 4;
    code[n++] = 0xc3;
    {
        uint32_t rel1 = target - (CODE + 5), rel2 = target - (CODE + 27);
        memcpy(code + 1, &rel1, 4);
        memcpy(code + 6, &fresh, 4);
        memcpy(code + 11, &target, 4);
        memcpy(code + 23, &rel2, 4);
    }
    harness_load(h, CODE, code, (size_t)n);
    harness_pm32(h, CODE, 0);
    harness_run(h, 1000);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(harness_reg(h, CPU_EAX), 0x22222222);
    harness_free(h);
}
END_TEST

TEST_SUITE(cpu_rep)
{
    Suite *s = suite_create("cpu_rep");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 60);
        tcase_add_loop_test(tc, test_cpu_rep_model, b * 8, (b + 1) * 8);
        CPU_TEST(tc, test_cpu_rep_page_fault_exact, b);
        CPU_TEST(tc, test_cpu_rep_overwrites_code, b);
    }
    return s;
}
