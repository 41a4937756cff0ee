/* test_cpu_x87.c — x87 programs on the emulated CPU, checked against values
 * from the Intel SDM (Vol. 1 ch. 8, Vol. 2 instruction pages) and plain
 * arithmetic: constants and rounding control, stack faults, #NM and #MF,
 * the FSAVE/FSTENV image layouts, last-instruction pointers, packed BCD,
 * FXAM classes, the FPREM partial-remainder loop, FCOMI/FCMOVcc, FIST.
 * Programs were assembled with nasm; the source is beside each. Every
 * test runs under each backend (cpu_backends.h), `be` in the tests.
 * test_cpu_x87_oracle.c compares every instruction form with the host x87.
 */
#include <string.h>
#include "unit/testlib.h"
#include "unit/cpu_harness.h"

enum { UD_HANDLER = 0x8000, NM_HANDLER = 0x8100, MF_HANDLER = 0x8200, GP_HANDLER = 0x8300 };
enum { CR0_MP = 1 << 1, CR0_EM = 1 << 2, CR0_TS = 1 << 3, CR0_NE = 1 << 5 };

/* -- A small machine: code at 7C00h in real mode, HLT handlers for #UD,
 * #NM, #GP and #MF in the IVT, stack at 0:7000h. -- */

static CpuHarness *vm_new(CpuBackendKind be, const uint8_t *code, size_t len, uint32_t at)
{
    static const uint8_t hlt = 0xf4;
    static const uint16_t handlers[][2] = {
        { 6, UD_HANDLER }, { 7, NM_HANDLER }, { 13, GP_HANDLER }, { 16, MF_HANDLER },
    };
    CpuHarness *h = harness_new(be, 1 << 20);
    for (unsigned i = 0; i < 4; i++) {
        uint8_t vec[4] = { handlers[i][1] & 0xff, handlers[i][1] >> 8, 0, 0 };
        harness_load(h, handlers[i][0] * 4u, vec, 4);
        harness_load(h, handlers[i][1], &hlt, 1);
    }
    harness_load(h, at, code, len);
    harness_real_mode(h, 0, 0x7c00);
    return h;
}

static void vm_cr0(CpuHarness *h, uint32_t set)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    r.cr0 |= set;
    cpu_set_regs(h->cpu, &r);
}

static void vm_seg(CpuHarness *h, int seg, uint16_t sel)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    r.seg[seg].selector = sel;
    r.seg[seg].base = (uint32_t)sel << 4;
    if (seg == CPU_CS)
        r.eip = 0;
    cpu_set_regs(h->cpu, &r);
}

/* Flat 32-bit protected mode, CS = 08h, data segments 10h, CPL 0. */
static void vm_flat32(CpuHarness *h)
{
    CpuRegs r;
    cpu_get_regs(h->cpu, &r);
    r.cr0 |= 1;
    for (int i = 0; i < 6; i++)
        r.seg[i] = (CpuSegment){ 0x10, 0, 0xffffffff, 0xc93 };
    r.seg[CPU_CS] = (CpuSegment){ 0x08, 0, 0xffffffff, 0xc9b };
    r.eip = 0x7c00;
    r.gpr[CPU_ESP] = 0x7000;
    cpu_set_regs(h->cpu, &r);
}

static void vm_run(CpuHarness *h)
{
    harness_run(h, 100000);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
}

static void poke(CpuHarness *h, uint32_t addr, const void *p, size_t n) { harness_load(h, addr, p, n); }
static void poke64(CpuHarness *h, uint32_t a, uint64_t v) { poke(h, a, &v, 8); }
static void poke_x(CpuHarness *h, uint32_t a, uint16_t se, uint64_t m)
{
    poke64(h, a, m);
    poke(h, a + 8, &se, 2);
}

static void peek(CpuHarness *h, uint32_t addr, void *p, size_t n)
{
    ck_assert_int_eq(cpu_read_virt(h->cpu, addr, p, n), 0);
}

static uint16_t peek16(CpuHarness *h, uint32_t a) { uint16_t v; peek(h, a, &v, 2); return v; }
static uint32_t peek32(CpuHarness *h, uint32_t a) { uint32_t v; peek(h, a, &v, 4); return v; }
static uint64_t peek64(CpuHarness *h, uint32_t a) { uint64_t v; peek(h, a, &v, 8); return v; }

static void check_x(CpuHarness *h, uint32_t a, uint16_t se, uint64_t m)
{
    ck_assert_uint_eq(peek16(h, a + 8), se);
    ck_assert_uint_eq(peek64(h, a), m);
}

/* FXSAVE fields (SDM Vol. 1 table 10-2) */
typedef struct Fx {
    uint8_t b[512];
} Fx;

static Fx vm_fx(CpuHarness *h)
{
    Fx f;
    cpu_get_fxsave(h->cpu, f.b);
    return f;
}

static uint16_t fx16(const Fx *f, int off) { return (uint16_t)(f->b[off] | f->b[off + 1] << 8); }
static uint32_t fx32(const Fx *f, int off) { return fx16(f, off) | (uint32_t)fx16(f, off + 2) << 16; }
static uint64_t fx_st_mant(const Fx *f, int i) { return fx32(f, 32 + 16 * i) | (uint64_t)fx32(f, 36 + 16 * i) << 32; }
static uint16_t fx_st_se(const Fx *f, int i) { return fx16(f, 40 + 16 * i); }

/* Real-mode return address of the exception being handled (IP pushed last). */
static uint16_t vm_fault_ip(CpuHarness *h) { return peek16(h, 0x7000 - 6); }

/* -- Constants, rounding control, a sum through memory -- */

/* fninit; fldpi; fstp tword [600h]; fldcw [cw_rd]; fldpi; fstp tword [610h];
 * fldl2e; fstp tword [620h]; fldcw [cw_rn]; fldl2e; fstp tword [630h];
 * fld1; fldpi; faddp st1, st0; fstp qword [640h]; hlt; cw_rd: dw 077Fh; cw_rn: dw 037Fh */
static const uint8_t prog_consts[] = {
    0xdb, 0xe3, 0xd9, 0xeb, 0xdb, 0x3e, 0x00, 0x06, 0xd9, 0x2e, 0x2d, 0x7c,
    0xd9, 0xeb, 0xdb, 0x3e, 0x10, 0x06, 0xd9, 0xea, 0xdb, 0x3e, 0x20, 0x06,
    0xd9, 0x2e, 0x2f, 0x7c, 0xd9, 0xea, 0xdb, 0x3e, 0x30, 0x06, 0xd9, 0xe8,
    0xd9, 0xeb, 0xde, 0xc1, 0xdd, 0x1e, 0x40, 0x06, 0xf4, 0x7f, 0x07, 0x7f,
    0x03,
};

/* pi = 3.243F6A8885A308D3 13198A2E... (hex): the 64-bit significand
 * C90FDAA2 2168C234 is followed by C4C6..., so RN rounds up and RD does
 * not (SDM Vol. 1 8.3.8); log2(e) = 1.71547652B82FE177 7D0F... likewise. */
START_TEST(test_cpu_x87_constants_follow_rounding_control)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_consts, sizeof(prog_consts), 0x7c00);
    vm_run(h);
    check_x(h, 0x600, 0x4000, 0xc90fdaa22168c235ull);
    check_x(h, 0x610, 0x4000, 0xc90fdaa22168c234ull);
    check_x(h, 0x620, 0x3fff, 0xb8aa3b295c17f0bbull);
    check_x(h, 0x630, 0x3fff, 0xb8aa3b295c17f0bcull);
    ck_assert_uint_eq(peek64(h, 0x640), 0x401090fdaa22168cull);   /* pi + 1 as a double */
    harness_free(h);
}
END_TEST

/* -- Stack faults (SDM Vol. 1 8.5.1.1) -- */

/* fninit; 9x fld1; fnstsw [600h]; fninit; fadd st0, st1; fnstsw [602h];
 * fninit; fldcw [cw]; 9x fld1; hlt; cw: dw 037Eh (IE unmasked) */
static const uint8_t prog_stack[] = {
    0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8,
    0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xdd, 0x3e, 0x00, 0x06,
    0xdb, 0xe3, 0xd8, 0xc1, 0xdd, 0x3e, 0x02, 0x06, 0xdb, 0xe3, 0xd9, 0x2e,
    0x39, 0x7c, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8,
    0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xd9, 0xe8, 0xf4, 0x7e, 0x03,
};

START_TEST(test_cpu_x87_stack_overflow_underflow)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_stack, sizeof(prog_stack), 0x7c00);
    Fx f;
    vm_run(h);
    /* masked overflow: TOP 7, C1 = 1, SF + IE, the indefinite pushed */
    ck_assert_uint_eq(peek16(h, 0x600), 0x3a41);
    /* masked underflow: C1 = 0, SF + IE */
    ck_assert_uint_eq(peek16(h, 0x602), 0x0041);
    /* unmasked overflow: nothing pushed, ES and B set */
    f = vm_fx(h);
    ck_assert_uint_eq(fx16(&f, 2), 0x82c1);
    ck_assert_uint_eq(f.b[4], 0xff);
    ck_assert_uint_eq(fx_st_se(&f, 0), 0x3fff);
    ck_assert_uint_eq(fx_st_mant(&f, 0), 1ull << 63);
    harness_free(h);
}
END_TEST

/* -- #NM (SDM Vol. 3A 2.5 table 2-2) -- */

/* 7C00: fld1; hlt; 7C03: fwait; hlt; 7C05: fninit; hlt */
static const uint8_t prog_nm[] = { 0xd9, 0xe8, 0xf4, 0x9b, 0xf4, 0xdb, 0xe3, 0xf4 };

static uint32_t run_nm(CpuBackendKind be, uint32_t cr0, uint16_t ip)
{
    CpuHarness *h = vm_new(be, prog_nm, sizeof(prog_nm), 0x7c00);
    uint32_t eip;
    vm_cr0(h, cr0);
    harness_real_mode(h, 0, ip);
    vm_run(h);
    eip = harness_eip(h);
    if (eip == NM_HANDLER + 1)
        ck_assert_uint_eq(vm_fault_ip(h), ip);
    harness_free(h);
    return eip;
}

START_TEST(test_cpu_x87_nm_on_em_and_ts)
{
    CpuBackendKind be = cpu_test_backend(_i);
    ck_assert_uint_eq(run_nm(be, 0, 0x7c00), 0x7c03);                /* runs */
    ck_assert_uint_eq(run_nm(be, CR0_TS, 0x7c00), NM_HANDLER + 1);
    ck_assert_uint_eq(run_nm(be, CR0_EM, 0x7c00), NM_HANDLER + 1);
    ck_assert_uint_eq(run_nm(be, CR0_EM, 0x7c05), NM_HANDLER + 1);   /* FNINIT too */
    ck_assert_uint_eq(run_nm(be, CR0_TS, 0x7c05), NM_HANDLER + 1);
    /* WAIT: only MP and TS together */
    ck_assert_uint_eq(run_nm(be, CR0_TS, 0x7c03), 0x7c05);
    ck_assert_uint_eq(run_nm(be, CR0_EM, 0x7c03), 0x7c05);
    ck_assert_uint_eq(run_nm(be, CR0_MP | CR0_TS, 0x7c03), NM_HANDLER + 1);
    ck_assert_uint_eq(run_nm(be, CR0_MP, 0x7c00), 0x7c03);
}
END_TEST

/* -- #MF at the next waiting instruction (SDM Vol. 1 8.6, 8.7) -- */

/* fninit; fldcw [cw]; fldz; fld1; 7C0A: fdiv st0, st1; fnstsw ax; nop;
 * 7C0F: fld1; hlt; cw: dw 037Bh (ZE unmasked) */
static const uint8_t prog_mf[] = {
    0xdb, 0xe3, 0xd9, 0x2e, 0x12, 0x7c, 0xd9, 0xee, 0xd9, 0xe8, 0xd8, 0xf1,
    0xdf, 0xe0, 0x90, 0xd9, 0xe8, 0xf4, 0x7b, 0x03,
};

START_TEST(test_cpu_x87_mf_with_cr0_ne)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_mf, sizeof(prog_mf), 0x7c00);
    Fx f;
    vm_cr0(h, CR0_NE);
    vm_run(h);
    ck_assert_uint_eq(harness_eip(h), MF_HANDLER + 1);
    ck_assert_uint_eq(vm_fault_ip(h), 0x7c0f);                      /* the fld1 after */
    ck_assert_uint_eq(harness_reg(h, CPU_EAX) & 0xffff, 0xb084);    /* B ES ZE, TOP 6 */
    f = vm_fx(h);
    ck_assert_uint_eq(fx16(&f, 2), 0xb084);                        /* fld1 did not run */
    ck_assert_uint_eq(fx_st_mant(&f, 0), 1ull << 63);              /* 1/0 stored nothing */
    ck_assert_uint_eq(fx_st_se(&f, 0), 0x3fff);
    ck_assert_uint_eq(fx16(&f, 6), 0x0f1);                         /* FOP of D8 F1 */
    ck_assert_uint_eq(fx32(&f, 8), 0x7c0a);                        /* FIP: the fdiv */
    harness_free(h);
}
END_TEST

/* Without CR0.NE the error goes out on FERR# (not modelled): no #MF. */
START_TEST(test_cpu_x87_no_mf_without_cr0_ne)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_mf, sizeof(prog_mf), 0x7c00);
    Fx f;
    vm_run(h);
    ck_assert_uint_eq(harness_eip(h), 0x7c12);
    f = vm_fx(h);
    ck_assert_uint_eq(fx16(&f, 2), 0xa884);                        /* the fld1 ran: TOP 5 */
    harness_free(h);
}
END_TEST

/* -- FSAVE/FRSTOR images (SDM Vol. 1 8.1.10, figures 8-9 to 8-12) -- */

/* CS = 07C0h, DS = 0040h: fninit; fld tword [320h]; fldz; 0008: fld qword [300h];
 * fnclex; fnsave [400h]; frstor [400h]; o32 fnsave [480h]; o32 frstor [480h];
 * fnsave [500h]; hlt */
static const uint8_t prog_fsave_real[] = {
    0xdb, 0xe3, 0xdb, 0x2e, 0x20, 0x03, 0xd9, 0xee, 0xdd, 0x06, 0x00, 0x03,
    0xdb, 0xe2, 0xdd, 0x36, 0x00, 0x04, 0xdd, 0x26, 0x00, 0x04, 0x66, 0xdd,
    0x36, 0x80, 0x04, 0x66, 0xdd, 0x26, 0x80, 0x04, 0xdd, 0x36, 0x00, 0x05,
    0xf4,
};

/* The registers after the loads: 2.0 (valid), 0 (zero), a QNaN (special);
 * tags by physical register 7..0 = 10 01 00 11 11 11 11 11. */
enum { TAGS = 0x93ff, FSW_TOP5 = 0x2800, NAN_SE = 0x7fff };
static const uint64_t nan_mant = 0xc000000000000123ull;

static void check_regs(CpuHarness *h, uint32_t a)
{
    check_x(h, a, 0x4000, 1ull << 63);
    check_x(h, a + 10, 0, 0);
    check_x(h, a + 20, NAN_SE, nan_mant);
}

START_TEST(test_cpu_x87_fsave_real_mode_layouts)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fsave_real, sizeof(prog_fsave_real), 0x7c00);
    uint8_t a[94], b[94];
    Fx f;
    vm_seg(h, CPU_CS, 0x07c0);
    vm_seg(h, CPU_DS, 0x0040);
    poke64(h, 0x700, 0x4000000000000000ull);                        /* 2.0 */
    poke_x(h, 0x720, NAN_SE, nan_mant);
    vm_run(h);
    /* 16-bit real mode: linear FIP 7C08h and FDP 700h, FOP DD 06 */
    ck_assert_uint_eq(peek16(h, 0x800), 0x037f);
    ck_assert_uint_eq(peek16(h, 0x802), FSW_TOP5);
    ck_assert_uint_eq(peek16(h, 0x804), TAGS);
    ck_assert_uint_eq(peek16(h, 0x806), 0x7c08);
    ck_assert_uint_eq(peek16(h, 0x808), 0x0506);                    /* FIP 19:16, FOP */
    ck_assert_uint_eq(peek16(h, 0x80a), 0x0700);
    ck_assert_uint_eq(peek16(h, 0x80c), 0x0000);                    /* FDP 19:16 */
    check_regs(h, 0x80e);
    /* 32-bit real mode */
    ck_assert_uint_eq(peek16(h, 0x880), 0x037f);
    ck_assert_uint_eq(peek16(h, 0x884), FSW_TOP5);
    ck_assert_uint_eq(peek16(h, 0x888), TAGS);
    ck_assert_uint_eq(peek16(h, 0x88c), 0x7c08);
    ck_assert_uint_eq(peek32(h, 0x890), 0x00000506);                /* FIP 31:16 << 12, FOP */
    ck_assert_uint_eq(peek16(h, 0x894), 0x0700);
    ck_assert_uint_eq(peek32(h, 0x898), 0);                         /* FDP 31:16 << 12 */
    check_regs(h, 0x89c);
    /* both round trips give the first image back */
    peek(h, 0x800, a, sizeof(a));
    peek(h, 0x900, b, sizeof(b));
    ck_assert(!memcmp(a, b, sizeof(a)));
    /* FNSAVE ends with FNINIT */
    f = vm_fx(h);
    ck_assert_uint_eq(fx16(&f, 0), 0x037f);
    ck_assert_uint_eq(fx16(&f, 2), 0);
    ck_assert_uint_eq(f.b[4], 0);
    harness_free(h);
}
END_TEST

/* Flat 32-bit: fninit; fld tword [720h]; fldz; 7C0A: fld qword [700h]; fnclex;
 * fnsave [800h]; frstor [800h]; o16 fnsave [880h]; o16 frstor [880h];
 * fnsave [900h]; fninit; fldcw [cw]; 7C3A: fldpi; fnstenv [980h];
 * fnstcw [9A0h]; fldenv [980h]; fnstcw [9A2h]; hlt; cw: dw 0360h */
static const uint8_t prog_fsave_pm[] = {
    0xdb, 0xe3, 0xdb, 0x2d, 0x20, 0x07, 0x00, 0x00, 0xd9, 0xee, 0xdd, 0x05,
    0x00, 0x07, 0x00, 0x00, 0xdb, 0xe2, 0xdd, 0x35, 0x00, 0x08, 0x00, 0x00,
    0xdd, 0x25, 0x00, 0x08, 0x00, 0x00, 0x66, 0xdd, 0x35, 0x80, 0x08, 0x00,
    0x00, 0x66, 0xdd, 0x25, 0x80, 0x08, 0x00, 0x00, 0xdd, 0x35, 0x00, 0x09,
    0x00, 0x00, 0xdb, 0xe3, 0xd9, 0x2d, 0x55, 0x7c, 0x00, 0x00, 0xd9, 0xeb,
    0xd9, 0x35, 0x80, 0x09, 0x00, 0x00, 0xd9, 0x3d, 0xa0, 0x09, 0x00, 0x00,
    0xd9, 0x25, 0x80, 0x09, 0x00, 0x00, 0xd9, 0x3d, 0xa2, 0x09, 0x00, 0x00,
    0xf4, 0x60, 0x03,
};

START_TEST(test_cpu_x87_fsave_protected_mode_layouts)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fsave_pm, sizeof(prog_fsave_pm), 0x7c00);
    vm_flat32(h);
    poke64(h, 0x700, 0x4000000000000000ull);
    poke_x(h, 0x720, NAN_SE, nan_mant);
    vm_run(h);
    /* 32-bit: reserved halves FFFFh, FCS:FIP, FOP in bits 16-26, FDS:FDP */
    ck_assert_uint_eq(peek32(h, 0x800), 0xffff037f);
    ck_assert_uint_eq(peek32(h, 0x804), 0xffff0000 | FSW_TOP5);
    ck_assert_uint_eq(peek32(h, 0x808), 0xffff0000 | TAGS);
    ck_assert_uint_eq(peek32(h, 0x80c), 0x7c0a);
    ck_assert_uint_eq(peek32(h, 0x810), 0x05050008);                /* FOP DD 05, FCS 08h */
    ck_assert_uint_eq(peek32(h, 0x814), 0x700);
    ck_assert_uint_eq(peek32(h, 0x818), 0xffff0010);
    check_regs(h, 0x81c);
    /* 16-bit: FIP, FCS, FDP, FDS; no FOP */
    ck_assert_uint_eq(peek16(h, 0x880), 0x037f);
    ck_assert_uint_eq(peek16(h, 0x882), FSW_TOP5);
    ck_assert_uint_eq(peek16(h, 0x884), TAGS);
    ck_assert_uint_eq(peek16(h, 0x886), 0x7c0a);
    ck_assert_uint_eq(peek16(h, 0x888), 0x0008);
    ck_assert_uint_eq(peek16(h, 0x88a), 0x0700);
    ck_assert_uint_eq(peek16(h, 0x88c), 0x0010);
    check_regs(h, 0x88e);
    /* after the 16-bit round trip FOP is gone, the rest is the same */
    ck_assert_uint_eq(peek32(h, 0x910), 0x00000008);
    ck_assert_uint_eq(peek32(h, 0x90c), 0x7c0a);
    check_regs(h, 0x91c);
    /* FNSTENV: the image holds FCW 0360h, TOP 7 and one valid tag; then
     * every exception is masked; FLDENV brings 0360h back */
    ck_assert_uint_eq(peek32(h, 0x980), 0xffff0360);
    ck_assert_uint_eq(peek32(h, 0x984), 0xffff3800);
    ck_assert_uint_eq(peek32(h, 0x988), 0xffff3fff);
    ck_assert_uint_eq(peek32(h, 0x98c), 0x7c3a);
    ck_assert_uint_eq(peek32(h, 0x990), 0x01eb0008);                /* FOP D9 EB */
    ck_assert_uint_eq(peek16(h, 0x9a0), 0x037f);
    ck_assert_uint_eq(peek16(h, 0x9a2), 0x0360);
    harness_free(h);
}
END_TEST

/* fninit; fld1; 7C04: fnsave [0FFC0h]; hlt — the 94-byte image passes the
 * real-mode limit FFFFh: #GP before anything is written or reset. */
static const uint8_t prog_fsave_gp[] = { 0xdb, 0xe3, 0xd9, 0xe8, 0xdd, 0x36, 0xc0, 0xff, 0xf4 };

START_TEST(test_cpu_x87_fsave_limit_fault_changes_nothing)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fsave_gp, sizeof(prog_fsave_gp), 0x7c00);
    Fx f;
    vm_run(h);
    ck_assert_uint_eq(harness_eip(h), GP_HANDLER + 1);
    ck_assert_uint_eq(vm_fault_ip(h), 0x7c04);
    ck_assert_uint_eq(peek64(h, 0xffc0), 0);
    f = vm_fx(h);
    ck_assert_uint_eq(fx16(&f, 2), 0x3800);                        /* still TOP 7 */
    ck_assert_uint_eq(f.b[4], 0x80);
    harness_free(h);
}
END_TEST

/* -- Last-instruction pointers (SDM Vol. 1 8.1.8) -- */

/* fninit; 7C02: fld qword [es:300h]; fnclex; fldcw [310h]; fnstcw [312h];
 * fnstenv [320h]; 7C15: fnop; fnstenv [340h]; fwait; fnstenv [360h]; hlt */
static const uint8_t prog_fptr[] = {
    0xdb, 0xe3, 0x26, 0xdd, 0x06, 0x00, 0x03, 0xdb, 0xe2, 0xd9, 0x2e, 0x10,
    0x03, 0xd9, 0x3e, 0x12, 0x03, 0xd9, 0x36, 0x20, 0x03, 0xd9, 0xd0, 0xd9,
    0x36, 0x40, 0x03, 0x9b, 0xd9, 0x36, 0x60, 0x03, 0xf4,
};

START_TEST(test_cpu_x87_pointers_skip_control_instructions)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fptr, sizeof(prog_fptr), 0x7c00);
    uint16_t cw = 0x037f;
    vm_seg(h, CPU_ES, 0x0030);
    poke(h, 0x310, &cw, 2);
    vm_run(h);
    ck_assert_uint_eq(peek16(h, 0x312), 0x037f);
    /* the fld, its ES prefix included; FDP is linear in real mode */
    ck_assert_uint_eq(peek16(h, 0x326), 0x7c02);
    ck_assert_uint_eq(peek16(h, 0x328), 0x0506);
    ck_assert_uint_eq(peek16(h, 0x32a), 0x0600);
    /* FNOP counts (measured on Intel), WAIT does not */
    ck_assert_uint_eq(peek16(h, 0x346), 0x7c15);
    ck_assert_uint_eq(peek16(h, 0x348), 0x01d0);
    ck_assert_uint_eq(peek16(h, 0x366), 0x7c15);
    ck_assert_uint_eq(peek16(h, 0x368), 0x01d0);
    harness_free(h);
}
END_TEST

/* -- Packed BCD (SDM Vol. 1 4.7, FBSTP/FBLD) -- */

/* fninit; fild dword [600h]; fbstp [610h]; fild dword [604h]; fbstp [620h];
 * fld qword [608h]; fbstp [630h]; fld qword [640h]; fbstp [650h];
 * fbld [660h]; fistp qword [670h]; fbld [680h]; fxam; fnstsw [690h]; hlt */
static const uint8_t prog_fbcd[] = {
    0xdb, 0xe3, 0xdb, 0x06, 0x00, 0x06, 0xdf, 0x36, 0x10, 0x06, 0xdb, 0x06,
    0x04, 0x06, 0xdf, 0x36, 0x20, 0x06, 0xdd, 0x06, 0x08, 0x06, 0xdf, 0x36,
    0x30, 0x06, 0xdd, 0x06, 0x40, 0x06, 0xdf, 0x36, 0x50, 0x06, 0xdf, 0x26,
    0x60, 0x06, 0xdf, 0x3e, 0x70, 0x06, 0xdf, 0x26, 0x80, 0x06, 0xd9, 0xe5,
    0xdd, 0x3e, 0x90, 0x06, 0xf4,
};

START_TEST(test_cpu_x87_packed_bcd)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t want_int[10] = { 0x90, 0x78, 0x56, 0x34, 0x12 };
    static const uint8_t want_neg[10] = { 0x05, [9] = 0x80 };
    static const uint8_t want_half[10] = { 0x02 };
    static const uint8_t indefinite[10] = { [7] = 0xc0, [8] = 0xff, [9] = 0xff };
    static const uint8_t nines[10] = { 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99 };
    static const uint8_t neg_zero[10] = { [9] = 0x80 };
    CpuHarness *h = vm_new(be, prog_fbcd, sizeof(prog_fbcd), 0x7c00);
    uint32_t i1 = 1234567890, i2 = (uint32_t)-5;
    uint8_t got[10];
    poke(h, 0x600, &i1, 4);
    poke(h, 0x604, &i2, 4);
    poke64(h, 0x608, 0x4004000000000000ull);                        /* 2.5 */
    poke64(h, 0x640, 0x43abc16d674ec800ull);                        /* 1e18 */
    poke(h, 0x660, nines, 10);
    poke(h, 0x680, neg_zero, 10);
    vm_run(h);
    peek(h, 0x610, got, 10);
    ck_assert(!memcmp(got, want_int, 10));
    peek(h, 0x620, got, 10);
    ck_assert(!memcmp(got, want_neg, 10));
    peek(h, 0x630, got, 10);
    ck_assert(!memcmp(got, want_half, 10));                         /* ties to even */
    peek(h, 0x650, got, 10);
    ck_assert(!memcmp(got, indefinite, 10));                        /* 19 digits: IE */
    ck_assert_uint_eq(peek64(h, 0x670), 999999999999999999ull);
    ck_assert_uint_eq(peek16(h, 0x690) & 0x4700, 0x4200);           /* -0: zero, C1 = sign */
    ck_assert_uint_eq(peek16(h, 0x690) & 0x3f, 0x21);               /* IE, and PE from 2.5 */
    harness_free(h);
}
END_TEST

/* -- FXAM (SDM Vol. 2 FXAM table: C3 C2 C0) -- */

/* fninit; mov si, 600h; mov di, 700h; mov cx, 7; .l: fld tword [si]; fxam;
 * fnstsw [di]; fstp st0; add si, 10; add di, 2; loop .l; fxam; fnstsw [di]; hlt */
static const uint8_t prog_fxam[] = {
    0xdb, 0xe3, 0xbe, 0x00, 0x06, 0xbf, 0x00, 0x07, 0xb9, 0x07, 0x00, 0xdb,
    0x2c, 0xd9, 0xe5, 0xdd, 0x3d, 0xdd, 0xd8, 0x83, 0xc6, 0x0a, 0x83, 0xc7,
    0x02, 0xe2, 0xf0, 0xd9, 0xe5, 0xdd, 0x3d, 0xf4,
};

START_TEST(test_cpu_x87_fxam_classes)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const struct { uint16_t se; uint64_t mant; uint16_t cc; } v[] = {
        { 0x0000, 0, 0x4000 },                          /* +0: zero */
        { 0xffff, 1ull << 63, 0x0700 },                 /* -inf: infinity, C1 = sign */
        { 0x7fff, 3ull << 62, 0x0100 },                 /* QNaN */
        { 0x3fff, 1ull << 63, 0x0400 },                 /* 1.0: normal */
        { 0x8000, 1, 0x4600 },                          /* -denormal */
        { 0x4000, 1ull << 62, 0x0000 },                 /* unnormal: unsupported */
        { 0xffff, 5ull << 61, 0x0300 },                 /* -SNaN */
    };
    CpuHarness *h = vm_new(be, prog_fxam, sizeof(prog_fxam), 0x7c00);
    for (unsigned i = 0; i < 7; i++)
        poke_x(h, 0x600 + 10 * i, v[i].se, v[i].mant);
    vm_run(h);
    for (unsigned i = 0; i < 7; i++)
        ck_assert_uint_eq(peek16(h, 0x700 + 2 * i) & 0x4700, v[i].cc);
    ck_assert_uint_eq(peek16(h, 0x70e) & 0x4500, 0x4100);           /* empty */
    harness_free(h);
}
END_TEST

/* -- FPREM partial remainders (SDM Vol. 2 FPREM) -- */

/* fninit; xor cx, cx; fild word [600h]; fld tword [610h]; .l: inc cx; fprem;
 * fnstsw ax; sahf; jp .l; fstp tword [620h]; hlt */
static const uint8_t prog_fprem[] = {
    0xdb, 0xe3, 0x31, 0xc9, 0xdf, 0x06, 0x00, 0x06, 0xdb, 0x2e, 0x10, 0x06,
    0x41, 0xd9, 0xf8, 0xdf, 0xe0, 0x9e, 0x7a, 0xf8, 0xdb, 0x3e, 0x20, 0x06,
    0xf4,
};

/* 2^1000 mod 3 = 1 and (2^1000 - 1) / 3 = 5 (mod 8): Q2 Q1 Q0 = 1 0 1 in
 * C0 C3 C1. An exponent difference of 1000 takes several partial steps
 * (each reduces it by less than 64) with C2 set until the last. */
START_TEST(test_cpu_x87_fprem_partial_loop)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fprem, sizeof(prog_fprem), 0x7c00);
    uint16_t three = 3;
    poke(h, 0x600, &three, 2);
    poke_x(h, 0x610, 0x3fff + 1000, 1ull << 63);
    vm_run(h);
    check_x(h, 0x620, 0x3fff, 1ull << 63);
    ck_assert_uint_ge(harness_reg(h, CPU_ECX) & 0xffff, 1000 / 64);
    ck_assert_uint_eq(harness_reg(h, CPU_EAX) & 0x4700, 0x0300);
    harness_free(h);
}
END_TEST

/* -- FCOMI and FCMOVcc with the integer flags (P6) -- */

/* fninit; fld1; fldz; fcomi st0, st1; setb al; sete ah; fucomi st0, st0;
 * sete bl; setp bh; fcmovb st0, st1; stc; fcmovnb st0, st1; fcmovb st0, st1;
 * fcomip st0, st1; sete cl; fnstsw ax; hlt */
static const uint8_t prog_fcomi[] = {
    0xdb, 0xe3, 0xd9, 0xe8, 0xd9, 0xee, 0xdb, 0xf1, 0x0f, 0x92, 0xc0, 0x0f,
    0x94, 0xc4, 0xdb, 0xe8, 0x0f, 0x94, 0xc3, 0x0f, 0x9a, 0xc7, 0xda, 0xc1,
    0xf9, 0xdb, 0xc1, 0xda, 0xc1, 0xdf, 0xf1, 0x0f, 0x94, 0xc1, 0xdf, 0xe0,
    0xf4,
};

START_TEST(test_cpu_x87_fcomi_sets_eflags)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fcomi, sizeof(prog_fcomi), 0x7c00);
    Fx f;
    vm_run(h);
    ck_assert_uint_eq(harness_reg(h, CPU_EBX) & 0xffff, 0x0001);   /* ZF, not PF */
    ck_assert_uint_eq(harness_reg(h, CPU_ECX) & 0xff, 1);          /* 1 = 1 after the move */
    ck_assert_uint_eq(harness_reg(h, CPU_EAX) & 0x3800, 0x3800);   /* popped to TOP 7 */
    ck_assert_uint_eq(harness_eflags(h) & 0x8d5, 0x40);            /* ZF; OF SF AF CF clear */
    f = vm_fx(h);
    ck_assert_uint_eq(fx_st_mant(&f, 0), 1ull << 63);
    harness_free(h);
}
END_TEST

/* The same program stopped after the setb/sete pair: 0 < 1 sets CF only. */
START_TEST(test_cpu_x87_fcomi_less)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fcomi, sizeof(prog_fcomi), 0x7c00);
    harness_run(h, 6);
    ck_assert_uint_eq(harness_reg(h, CPU_EAX) & 0xffff, 0x0001);
    harness_free(h);
}
END_TEST

/* -- FIST rounding and the integer indefinite (SDM Vol. 2 FIST) -- */

/* fninit; fld qword [600h]; fist word [610h]; fldcw [cw_up]; fist word [612h];
 * fldcw [cw_dn]; fchs; fist dword [614h]; fldcw [cw_z]; fistp qword [618h];
 * fld qword [608h]; fistp word [620h]; fnstsw [622h]; hlt */
static const uint8_t prog_fist[] = {
    0xdb, 0xe3, 0xdd, 0x06, 0x00, 0x06, 0xdf, 0x16, 0x10, 0x06, 0xd9, 0x2e,
    0x31, 0x7c, 0xdf, 0x16, 0x12, 0x06, 0xd9, 0x2e, 0x33, 0x7c, 0xd9, 0xe0,
    0xdb, 0x16, 0x14, 0x06, 0xd9, 0x2e, 0x35, 0x7c, 0xdf, 0x3e, 0x18, 0x06,
    0xdd, 0x06, 0x08, 0x06, 0xdf, 0x1e, 0x20, 0x06, 0xdd, 0x3e, 0x22, 0x06,
    0xf4, 0x7f, 0x0b, 0x7f, 0x07, 0x7f, 0x0f,
};

START_TEST(test_cpu_x87_fist_rounding)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuHarness *h = vm_new(be, prog_fist, sizeof(prog_fist), 0x7c00);
    poke64(h, 0x600, 0x4004000000000000ull);                        /* 2.5 */
    poke64(h, 0x608, 0x40e3880000000000ull);                        /* 40000.0 */
    vm_run(h);
    ck_assert_uint_eq(peek16(h, 0x610), 2);                         /* RN: ties to even */
    ck_assert_uint_eq(peek16(h, 0x612), 3);                         /* RU */
    ck_assert_uint_eq(peek32(h, 0x614), (uint32_t)-3);              /* RD of -2.5 */
    ck_assert_uint_eq(peek64(h, 0x618), (uint64_t)-2);              /* RZ */
    ck_assert_uint_eq(peek16(h, 0x620), 0x8000);                    /* integer indefinite */
    ck_assert_uint_eq(peek16(h, 0x622) & 0x3f, 0x21);               /* IE, PE */
    ck_assert_uint_eq(peek16(h, 0x622) & 0x3800, 0);                /* both fistp popped */
    harness_free(h);
}
END_TEST

TEST_SUITE(cpu_x87)
{
    Suite *s = suite_create("cpu_x87");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        CPU_TEST(tc, test_cpu_x87_constants_follow_rounding_control, b);
        CPU_TEST(tc, test_cpu_x87_stack_overflow_underflow, b);
        CPU_TEST(tc, test_cpu_x87_nm_on_em_and_ts, b);
        CPU_TEST(tc, test_cpu_x87_mf_with_cr0_ne, b);
        CPU_TEST(tc, test_cpu_x87_no_mf_without_cr0_ne, b);
        CPU_TEST(tc, test_cpu_x87_fsave_real_mode_layouts, b);
        CPU_TEST(tc, test_cpu_x87_fsave_protected_mode_layouts, b);
        CPU_TEST(tc, test_cpu_x87_fsave_limit_fault_changes_nothing, b);
        CPU_TEST(tc, test_cpu_x87_pointers_skip_control_instructions, b);
        CPU_TEST(tc, test_cpu_x87_packed_bcd, b);
        CPU_TEST(tc, test_cpu_x87_fxam_classes, b);
        CPU_TEST(tc, test_cpu_x87_fprem_partial_loop, b);
        CPU_TEST(tc, test_cpu_x87_fcomi_sets_eflags, b);
        CPU_TEST(tc, test_cpu_x87_fcomi_less, b);
        CPU_TEST(tc, test_cpu_x87_fist_rounding, b);
    }
    return s;
}
