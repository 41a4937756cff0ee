/* test_cpu_sys_insn.c — system instructions one by one: LAR LSL VERR VERW
 * ARPL, MOV to CR0/CR4 with invalid values, CPUID, RDMSR/WRMSR, RDTSC,
 * INS/OUTS with REP, LLDT, the debug registers, ICEBP, SGDT/LGDT. Expected values from the Intel SDM Vol. 2 and the
 * CPUID/MSR tables of Vol. 2 and 4; programs and backends as in
 * test_cpu_sys.c.
 */
#include <string.h>
#include "unit/testlib.h"
#include "unit/cpu_sys_rig.h"

/* larlsl:
 *       mov ebx, 0x08
 *       lar eax, bx
 *       setz dl
 *       lsl ecx, bx
 *       setz dh
 *       verr bx
 *       setz byte [0x600]
 *       verw bx
 *       setz byte [0x601]
 *       mov ebx, 0x23
 *       verw bx
 *       setz byte [0x602]
 *       mov esi, 0x12345678
 *       mov edi, 0x1000
 *       lar esi, di
 *       setz byte [0x603]
 *       mov edi, 0x28
 *       lsl ebp, di
 *       setz byte [0x604]
 *       mov edi, 0x33
 *       lsl edi, di
 *       setz byte [0x605]
 *       hlt
 */
static const uint8_t prog_larlsl[] = {
    0xbb, 0x08, 0x00, 0x00, 0x00, 0x0f, 0x02, 0xc3, 0x0f, 0x94, 0xc2, 0x0f,
    0x03, 0xcb, 0x0f, 0x94, 0xc6, 0x0f, 0x00, 0xe3, 0x0f, 0x94, 0x05, 0x00,
    0x06, 0x00, 0x00, 0x0f, 0x00, 0xeb, 0x0f, 0x94, 0x05, 0x01, 0x06, 0x00,
    0x00, 0xbb, 0x23, 0x00, 0x00, 0x00, 0x0f, 0x00, 0xeb, 0x0f, 0x94, 0x05,
    0x02, 0x06, 0x00, 0x00, 0xbe, 0x78, 0x56, 0x34, 0x12, 0xbf, 0x00, 0x10,
    0x00, 0x00, 0x0f, 0x02, 0xf7, 0x0f, 0x94, 0x05, 0x03, 0x06, 0x00, 0x00,
    0xbf, 0x28, 0x00, 0x00, 0x00, 0x0f, 0x03, 0xef, 0x0f, 0x94, 0x05, 0x04,
    0x06, 0x00, 0x00, 0xbf, 0x33, 0x00, 0x00, 0x00, 0x0f, 0x03, 0xff, 0x0f,
    0x94, 0x05, 0x05, 0x06, 0x00, 0x00, 0xf4,
};

/* arpl:
 *       mov eax, 0x11
 *       mov ebx, 0x23
 *       arpl ax, bx
 *       setz cl
 *       mov edx, 0x13
 *       arpl dx, bx
 *       setz ch
 *       hlt
 */
static const uint8_t prog_arpl[] = {
    0xb8, 0x11, 0x00, 0x00, 0x00, 0xbb, 0x23, 0x00, 0x00, 0x00, 0x63, 0xd8,
    0x0f, 0x94, 0xc1, 0xba, 0x13, 0x00, 0x00, 0x00, 0x63, 0xda, 0x0f, 0x94,
    0xc5, 0xf4,
};

/* mov_cr:
 *       mov cr0, ebx
 *       int 0x40
 */
static const uint8_t prog_mov_cr[] = {
    0x0f, 0x22, 0xc3, 0xcd, 0x40,
};

/* mov_cr4:
 *       mov cr4, ebx
 *       int 0x40
 */
static const uint8_t prog_mov_cr4[] = {
    0x0f, 0x22, 0xe3, 0xcd, 0x40,
};

/* cpuid:
 *       mov eax, ebx
 *       cpuid
 *       hlt
 */
static const uint8_t prog_cpuid[] = {
    0x89, 0xd8, 0x0f, 0xa2, 0xf4,
};

/* rdmsr:
 *       mov ecx, ebx
 *       rdmsr
 *       int 0x40
 */
static const uint8_t prog_rdmsr[] = {
    0x89, 0xd9, 0x0f, 0x32, 0xcd, 0x40,
};

/* wrmsr:
 *       mov ecx, ebx
 *       wrmsr
 *       rdmsr
 *       int 0x40
 */
static const uint8_t prog_wrmsr[] = {
    0x89, 0xd9, 0x0f, 0x30, 0x0f, 0x32, 0xcd, 0x40,
};

/* rdtsc:
 *       rdtsc
 *       mov esi, eax
 *       mov edi, edx
 *       mov ecx, 100
 *   .l:     loop .l
 *       rdtsc
 *       hlt
 */
static const uint8_t prog_rdtsc[] = {
    0x0f, 0x31, 0x89, 0xc6, 0x89, 0xd7, 0xb9, 0x64, 0x00, 0x00, 0x00, 0xe2,
    0xfe, 0x0f, 0x31, 0xf4,
};

/* ins:
 *       mov dx, 0x300
 *       mov edi, 0x700
 *       mov ecx, 4
 *       rep insb
 *       mov esi, 0x700
 *       mov ecx, 2
 *       rep outsw
 *       std
 *       mov edi, 0x713
 *       insw
 *       cld
 *       hlt
 */
static const uint8_t prog_ins[] = {
    0x66, 0xba, 0x00, 0x03, 0xbf, 0x00, 0x07, 0x00, 0x00, 0xb9, 0x04, 0x00,
    0x00, 0x00, 0xf3, 0x6c, 0xbe, 0x00, 0x07, 0x00, 0x00, 0xb9, 0x02, 0x00,
    0x00, 0x00, 0xf3, 0x66, 0x6f, 0xfd, 0xbf, 0x13, 0x07, 0x00, 0x00, 0x66,
    0x6d, 0xfc, 0xf4,
};

/* lldt:
 *       mov eax, 0x30
 *       lldt ax
 *       mov ax, 0x0f
 *       mov ds, ax
 *       mov eax, ds
 *       sldt ecx
 *       lldt bx
 *       int 0x40
 */
static const uint8_t prog_lldt[] = {
    0xb8, 0x30, 0x00, 0x00, 0x00, 0x0f, 0x00, 0xd0, 0x66, 0xb8, 0x0f, 0x00,
    0x8e, 0xd8, 0x8c, 0xd8, 0x0f, 0x00, 0xc1, 0x0f, 0x00, 0xd3, 0xcd, 0x40,
};

/* dr:
 *       mov eax, 0xff0
 *       mov dr6, eax
 *       mov eax, dr4
 *       mov esi, eax
 *       mov eax, cr4
 *       or eax, 8
 *       mov cr4, eax
 *       mov eax, 0x2000
 *       mov dr7, eax
 *       mov eax, dr0
 *       int 0x40
 */
static const uint8_t prog_dr[] = {
    0xb8, 0xf0, 0x0f, 0x00, 0x00, 0x0f, 0x23, 0xf0, 0x0f, 0x21, 0xe0, 0x89,
    0xc6, 0x0f, 0x20, 0xe0, 0x83, 0xc8, 0x08, 0x0f, 0x22, 0xe0, 0xb8, 0x00,
    0x20, 0x00, 0x00, 0x0f, 0x23, 0xf8, 0x0f, 0x21, 0xc0, 0xcd, 0x40,
};

/* dr5:
 *       mov cr4, ebx
 *       mov eax, dr5
 *       int 0x40
 */
static const uint8_t prog_dr5[] = {
    0x0f, 0x22, 0xe3, 0x0f, 0x21, 0xe8, 0xcd, 0x40,
};

/* icebp:
 *       nop
 *       int1
 *       nop
 */
static const uint8_t prog_icebp[] = {
    0x90, 0xf1, 0x90,
};

/* dt16:
 *       o16 lgdt [ebx]
 *       sgdt [ebx + 8]
 *       o16 sidt [ebx + 16]
 *       hlt
 */
static const uint8_t prog_dt16[] = {
    0x66, 0x0f, 0x01, 0x13, 0x0f, 0x01, 0x43, 0x08, 0x66, 0x0f, 0x01, 0x4b,
    0x10, 0xf4,
};

static SysRig *prog_rig(CpuBackendKind be, const uint8_t *code, size_t len, uint32_t ebx)
{
    SysRig *r = sysrig_new(be, code, len);
    sysrig_set_reg(r, CPU_EBX, ebx);
    return r;
}
#define RIG(be, prog, ebx) prog_rig(be, prog_##prog, sizeof(prog_##prog), ebx)

static void run_to_hlt(SysRig *r)
{
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
}

static uint32_t vec_of(SysRig *r)
{
    run_to_hlt(r);
    return sysrig_rd32(r, REC_VEC);
}

START_TEST(test_cpu_sys_lar_lsl_verr_verw)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, larlsl, 0);
    sysrig_call_gate(r, 0x30, SEL_CODE0, 0, 0, 0, 0xc);
    run_to_hlt(r);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EAX), 0x00c09b00);  /* G D P DPL0 S type B */
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDX) & 0xffff, 0x0101); /* ZF after LAR and LSL */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), 0xffffffff);  /* LSL: the byte-granular limit */
    ck_assert_uint_eq(sysrig_rd8(r, 0x600), 1);             /* VERR code (readable) */
    ck_assert_uint_eq(sysrig_rd8(r, 0x601), 0);             /* VERW code */
    ck_assert_uint_eq(sysrig_rd8(r, 0x602), 1);             /* VERW DPL 3 data at CPL 0 */
    ck_assert_uint_eq(sysrig_rd8(r, 0x603), 0);             /* LAR beyond the GDT: ZF 0 */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0x12345678);  /* ... destination unchanged */
    ck_assert_uint_eq(sysrig_rd8(r, 0x604), 1);             /* LSL of a TSS */
    ck_assert_uint_eq(sysrig_reg(r, CPU_EBP), 0x67);
    ck_assert_uint_eq(sysrig_rd8(r, 0x605), 0);             /* LSL of a call gate: ZF 0 */
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDI), 0x33);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_arpl)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, arpl, 0);
    run_to_hlt(r);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EAX), 0x13);        /* RPL 1 raised to 3 */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX) & 0xffff, 0x0001);  /* ZF 1, then 0 */
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDX), 0x13);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_mov_cr_invalid)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, mov_cr, 0x80000000);        /* PG without PE */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = RIG(be, mov_cr, 0x20000011);                /* NW without CD */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = RIG(be, mov_cr, 0x60000001);                /* CD NW: fine; ET reads 1 */
    ck_assert_uint_eq(vec_of(r), 0x40);
    {
        CpuRegs regs;
        cpu_get_regs(r->cpu, &regs);
        ck_assert_uint_eq(regs.cr0, 0x60000011);
    }
    sysrig_free(r);
    r = RIG(be, mov_cr4, 0x1);                      /* VME is not offered */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = RIG(be, mov_cr4, 0x40);                     /* nor MCE */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = RIG(be, mov_cr4, 0x9c);                     /* DE PSE PGE TSD */
    ck_assert_uint_eq(vec_of(r), 0x40);
    sysrig_free(r);
}
END_TEST

static void cpuid(CpuBackendKind be, uint32_t leaf, uint32_t out[4])
{
    SysRig *r = RIG(be, cpuid, leaf);
    run_to_hlt(r);
    out[0] = sysrig_reg(r, CPU_EAX);
    out[1] = sysrig_reg(r, CPU_EBX);
    out[2] = sysrig_reg(r, CPU_ECX);
    out[3] = sysrig_reg(r, CPU_EDX);
    sysrig_free(r);
}

START_TEST(test_cpu_sys_cpuid)
{
    CpuBackendKind be = cpu_test_backend(_i);
    uint32_t v[4], brand[12];
    cpuid(be, 0, v);
    ck_assert_uint_ge(v[0], 1);
    ck_assert_mem_eq(&v[1], "Genu", 4);
    ck_assert_mem_eq(&v[3], "ineI", 4);
    ck_assert_mem_eq(&v[2], "ntel", 4);
    cpuid(be, 1, v);
    ck_assert_uint_eq(v[0], 0x6d6);                 /* family 6, model 13, stepping 6 */
    /* FPU DE PSE TSC MSR PAE CX8 APIC SEP MTRR PGE CMOV PAT CLFSH */
    ck_assert_uint_eq(v[3] & 0x9bb7d, 0x9bb7d);
    /* not VME, MCE, MCA, PSE-36 */
    ck_assert_uint_eq(v[3] & ((1 << 1) | (1 << 7) | (1 << 14) | (1 << 17)), 0);
    cpuid(be, 0x80000000, v);
    ck_assert_uint_ge(v[0], 0x80000004);
    cpuid(be, 0x80000001, v);
    ck_assert_uint_eq(v[3] & (1 << 20), 1 << 20);  /* NX */
    for (int i = 0; i < 3; i++)
        cpuid(be, 0x80000002 + (uint32_t)i, brand + 4 * i);
    ck_assert_msg(memcmp(brand, "QEMU", 4) != 0, "brand must not say QEMU (rom.inc)");
    ck_assert_uint_ne(brand[0], 0);
}
END_TEST

static SysRig *msr_rig(CpuBackendKind be, const uint8_t *code, size_t len, uint32_t index,
                       uint32_t lo, uint32_t hi)
{
    SysRig *r = prog_rig(be, code, len, index);
    sysrig_set_reg(r, CPU_EAX, lo);
    sysrig_set_reg(r, CPU_EDX, hi);
    return r;
}
#define WRMSR(be, idx, lo, hi) msr_rig(be, prog_wrmsr, sizeof(prog_wrmsr), idx, lo, hi)

START_TEST(test_cpu_sys_msrs)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, rdmsr, 0x12345);            /* unknown: #GP(0) */
    ck_assert_uint_eq(vec_of(r), 13);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ERR), 0);
    sysrig_free(r);
    r = WRMSR(be, 0xc0000080, 1, 0);                /* EFER.SCE: no SYSCALL here */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = WRMSR(be, 0xc0000080, 0x800, 0);            /* EFER.NXE */
    ck_assert_uint_eq(vec_of(r), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x800);
    sysrig_free(r);
    r = WRMSR(be, 0x277, 0x00070402, 0);            /* PAT type 2 is reserved */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = WRMSR(be, 0x175, 0xdeadbeef, 0);            /* SYSENTER_ESP round trip */
    ck_assert_uint_eq(vec_of(r), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0xdeadbeef);
    sysrig_free(r);
    r = WRMSR(be, 0xfe, 0, 0);                      /* MTRRcap is read-only */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = WRMSR(be, 0x1b, 0xfee00901, 0);             /* APIC base: bit 0 reserved */
    ck_assert_uint_eq(vec_of(r), 13);
    sysrig_free(r);
    r = WRMSR(be, 0x1b, 0xfed00900, 0);             /* moved, enabled, BSP */
    ck_assert_uint_eq(vec_of(r), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0xfed00900);
    sysrig_free(r);
    r = RIG(be, rdmsr, 0xfe);                       /* MTRRcap: 8 variable, FIX, WC */
    ck_assert_uint_eq(vec_of(r), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX) & 0x5ff, 0x508);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_rdtsc_counts_time)
{
    CpuBackendKind be = cpu_test_backend(_i);
    /* The rig's clock: one instruction = 1 ns; the TSC runs at 1 GHz. */
    SysRig *r = RIG(be, rdtsc, 0);
    uint64_t t0, t1;
    run_to_hlt(r);
    t0 = sysrig_reg(r, CPU_ESI) | (uint64_t)sysrig_reg(r, CPU_EDI) << 32;
    t1 = sysrig_reg(r, CPU_EAX) | (uint64_t)sysrig_reg(r, CPU_EDX) << 32;
    ck_assert_uint_ge(t1 - t0, 100);                /* 100 loop iterations between */
    ck_assert_uint_le(t1 - t0, 1000);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_ins_outs)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, ins, 0);
    run_to_hlt(r);
    /* rep insb: four reads of the test port (1, 2, 3, 4) to ES:EDI up. */
    ck_assert_uint_eq(sysrig_rd32(r, 0x700), 0x04030201);
    /* rep outsw: two words from DS:ESI. */
    ck_assert_int_eq(r->nport_log, 2);
    ck_assert_uint_eq(r->port_log[0], 0x0201);
    ck_assert_uint_eq(r->port_log[1], 0x0403);
    /* insw with DF = 1: one word (5) at 0x713, EDI down by 2. */
    ck_assert_uint_eq(sysrig_rd8(r, 0x713), 5);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDI), 0x711);
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0x704);
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), 0);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_lldt_and_ldt_selectors)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t ldt_data3[8] = { 0xff, 0xff, 0, 0, 0, 0xf2, 0xcf, 0 };
    SysRig *r = RIG(be, lldt, SEL_CODE0);
    sysrig_desc(r, 0x30, 0x8000, 0x17, 0x82, 0);    /* LDT, 3 entries */
    sysrig_load(r, 0x8008, ldt_data3, 8);            /* LDT entry 1: data, DPL 3 */
    /* lldt of a code segment: #GP(selector) */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 13);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ERR), SEL_CODE0);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), RIG_CODE + 0x13);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x0f);           /* DS from the LDT */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), 0x30);            /* SLDT */
    ck_assert_uint_eq(sysrig_rd8(r, 0x8008 + 5), 0xf3);         /* accessed bit set */
    sysrig_free(r);

    r = RIG(be, lldt, 0);                            /* lldt 0: LDTR unusable */
    sysrig_desc(r, 0x30, 0x8000, 0x17, 0x82, 0);
    sysrig_load(r, 0x8008, ldt_data3, 8);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    {
        CpuRegs regs;
        cpu_get_regs(r->cpu, &regs);
        ck_assert_uint_eq(regs.ldtr.selector, 0);
    }
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_debug_registers)
{
    CpuBackendKind be = cpu_test_backend(_i);
    CpuRegs regs;
    SysRig *r = RIG(be, dr, 0);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    /* DR4 reads DR6 while CR4.DE = 0; DR6's reserved bits read 1 (P6). */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0xffff0ff0);
    /* DR7.GD: the next MOV DR is a #DB fault with DR6.BD, GD cleared. */
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 1);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), RIG_CODE + 0x1e);
    cpu_get_regs(r->cpu, &regs);
    ck_assert_uint_eq(regs.dr[6] & 0x2000, 0x2000);
    ck_assert_uint_eq(regs.dr[7] & 0x2000, 0);
    sysrig_free(r);

    r = RIG(be, dr5, 0x8);                           /* CR4.DE = 1: DR5 is #UD */
    ck_assert_uint_eq(vec_of(r), 6);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), RIG_CODE + 3);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_icebp_is_a_trap)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, icebp, 0);
    ck_assert_uint_eq(vec_of(r), 1);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), RIG_CODE + 2);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_descriptor_table_registers)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t pseudo[6] = { 0x34, 0x12, 0xdd, 0xcc, 0xbb, 0xaa };
    SysRig *r = RIG(be, dt16, 0x600);
    sysrig_load(r, 0x600, pseudo, 6);
    run_to_hlt(r);
    /* o16 LGDT takes 24 bits of base; SGDT stores all 32. */
    ck_assert_uint_eq(sysrig_rd32(r, 0x608) & 0xffff, 0x1234);
    ck_assert_uint_eq(sysrig_rd32(r, 0x60a), 0x00bbccdd);
    ck_assert_uint_eq(sysrig_rd32(r, 0x610) & 0xffff, 256 * 8 - 1);
    ck_assert_uint_eq(sysrig_rd32(r, 0x612), RIG_IDT);
    sysrig_free(r);
}
END_TEST

TEST_SUITE(cpu_sys_insn)
{
    Suite *s = suite_create("cpu_sys_insn");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        CPU_TEST(tc, test_cpu_sys_lar_lsl_verr_verw, b);
        CPU_TEST(tc, test_cpu_sys_arpl, b);
        CPU_TEST(tc, test_cpu_sys_mov_cr_invalid, b);
        CPU_TEST(tc, test_cpu_sys_cpuid, b);
        CPU_TEST(tc, test_cpu_sys_msrs, b);
        CPU_TEST(tc, test_cpu_sys_rdtsc_counts_time, b);
        CPU_TEST(tc, test_cpu_sys_ins_outs, b);
        CPU_TEST(tc, test_cpu_sys_lldt_and_ldt_selectors, b);
        CPU_TEST(tc, test_cpu_sys_debug_registers, b);
        CPU_TEST(tc, test_cpu_sys_icebp_is_a_trap, b);
        CPU_TEST(tc, test_cpu_sys_descriptor_table_registers, b);
    }
    return s;
}
