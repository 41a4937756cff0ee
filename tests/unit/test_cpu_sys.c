/* test_cpu_sys.c — protection in the system area: IOPL-sensitive
 * instructions, POPF's rules by CPL/IOPL, call gates with parameters, far
 * returns and IRET to an outer level, segment-load faults with their error
 * codes, task-switch busy-bit errors and faults in the new task, #DF and
 * the triple fault, the EXT bit, interrupt shadows, single-step, V86 mode
 * and the TSS I/O bitmap. Expected values are from the Intel SDM (Vol. 2
 * for each instruction, Vol. 3A chapters 5-7, 17, 20).
 *
 * The programs were assembled with nasm (bits 32, org 0x10000) from the
 * source in each comment; TO_USER lbl is "push dword 0x23; push dword
 * 0x70000; push ebx; push dword 0x1b; push dword lbl; iretd" (ring 3 with
 * EFLAGS from EBX). The rig is cpu_sys_rig.h; every test runs under each
 * backend (cpu_backends.h), `be` in the tests.
 */
#include <string.h>
#include "unit/testlib.h"
#include "unit/cpu_sys_rig.h"

/* iopl_cli:
 *       TO_USER user
 *   user:   cli
 *       mov eax, 0x1234
 *       int 0x40
 */
static const uint8_t prog_iopl_cli[] = {
    0x6a, 0x23, 0x68, 0x00, 0x00, 0x07, 0x00, 0x53, 0x6a, 0x1b, 0x68, 0x10,
    0x00, 0x01, 0x00, 0xcf, 0xfa, 0xb8, 0x34, 0x12, 0x00, 0x00, 0xcd, 0x40,
};
#define IOPL_CLI_USER 0x10010

/* popf:
 *       push dword 0x3000
 *       popfd
 *       pushfd
 *       pop esi
 *       TO_USER user
 *   user:   push dword 0x30d5
 *       popfd
 *       pushfd
 *       pop eax
 *       int 0x40
 */
static const uint8_t prog_popf[] = {
    0x68, 0x00, 0x30, 0x00, 0x00, 0x9d, 0x9c, 0x5e, 0x6a, 0x23, 0x68, 0x00,
    0x00, 0x07, 0x00, 0x53, 0x6a, 0x1b, 0x68, 0x18, 0x00, 0x01, 0x00, 0xcf,
    0x68, 0xd5, 0x30, 0x00, 0x00, 0x9d, 0x9c, 0x58, 0xcd, 0x40,
};
#define POPF_USER 0x10018

/* callgate:
 *       TO_USER user
 *   user:   push dword 0x11
 *       push dword 0x22
 *       push dword 0x33
 *       call 0x33:0
 *   proc:   mov eax, esp
 *       mov ecx, cs
 *       mov edx, ss
 *       hlt
 */
static const uint8_t prog_callgate[] = {
    0x6a, 0x23, 0x68, 0x00, 0x00, 0x07, 0x00, 0x53, 0x6a, 0x1b, 0x68, 0x10,
    0x00, 0x01, 0x00, 0xcf, 0x6a, 0x11, 0x6a, 0x22, 0x6a, 0x33, 0x9a, 0x00,
    0x00, 0x00, 0x00, 0x33, 0x00, 0x89, 0xe0, 0x8c, 0xc9, 0x8c, 0xd2, 0xf4,
};
#define CALLGATE_USER 0x10010
#define CALLGATE_PROC 0x1001d

/* iret_null:
 *       mov ax, 0x10
 *       mov ds, ax
 *       mov ax, 0x23
 *       mov es, ax
 *       mov ax, 0x08
 *       mov fs, ax
 *       mov ax, 0x38
 *       mov gs, ax
 *       TO_USER user
 *   user:   mov eax, ds
 *       mov ecx, es
 *       mov edx, fs
 *       mov esi, gs
 *       int 0x40
 */
static const uint8_t prog_iret_null[] = {
    0x66, 0xb8, 0x10, 0x00, 0x8e, 0xd8, 0x66, 0xb8, 0x23, 0x00, 0x8e, 0xc0,
    0x66, 0xb8, 0x08, 0x00, 0x8e, 0xe0, 0x66, 0xb8, 0x38, 0x00, 0x8e, 0xe8,
    0x6a, 0x23, 0x68, 0x00, 0x00, 0x07, 0x00, 0x53, 0x6a, 0x1b, 0x68, 0x28,
    0x00, 0x01, 0x00, 0xcf, 0x8c, 0xd8, 0x8c, 0xc1, 0x8c, 0xe2, 0x8c, 0xee,
    0xcd, 0x40,
};
#define IRET_NULL_USER 0x10028

/* retf_outer:
 *       push dword 0x23
 *       push dword 0x6fff0
 *       push dword 0xaa
 *       push dword 0xbb
 *       push dword 0x1b
 *       push dword user
 *       retf 8
 *   user:   mov eax, esp
 *       mov ecx, ds
 *       int 0x40
 */
static const uint8_t prog_retf_outer[] = {
    0x6a, 0x23, 0x68, 0xf0, 0xff, 0x06, 0x00, 0x68, 0xaa, 0x00, 0x00, 0x00,
    0x68, 0xbb, 0x00, 0x00, 0x00, 0x6a, 0x1b, 0x68, 0x1b, 0x00, 0x01, 0x00,
    0xca, 0x08, 0x00, 0x89, 0xe0, 0x8c, 0xd9, 0xcd, 0x40,
};
#define RETF_OUTER_USER 0x1001b

/* load_ss:
 *       mov ss, bx
 *       int 0x40
 */
static const uint8_t prog_load_ss[] = {
    0x8e, 0xd3, 0xcd, 0x40,
};

/* load_ds:
 *       mov ds, bx
 *       int 0x40
 */
static const uint8_t prog_load_ds[] = {
    0x8e, 0xdb, 0xcd, 0x40,
};

/* load_es:
 *       mov es, bx
 *       int 0x40
 */
static const uint8_t prog_load_es[] = {
    0x8e, 0xc3, 0xcd, 0x40,
};

/* jmp_tss:
 *       jmp 0x28:0
 */
static const uint8_t prog_jmp_tss[] = {
    0xea, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00,
};

/* iret_nt:
 *       pushfd
 *       or dword [esp], 0x4000
 *       popfd
 *       iretd
 */
static const uint8_t prog_iret_nt[] = {
    0x9c, 0x81, 0x0c, 0x24, 0x00, 0x40, 0x00, 0x00, 0x9d, 0xcf,
};

/* ltr:
 *       ltr bx
 *       int 0x40
 */
static const uint8_t prog_ltr[] = {
    0x0f, 0x00, 0xdb, 0xcd, 0x40,
};

/* task_ts:
 *       call 0x30:0
 */
static const uint8_t prog_task_ts[] = {
    0x9a, 0x00, 0x00, 0x00, 0x00, 0x30, 0x00,
};

/* df:
 *       mov ax, 0x1000
 *       mov es, ax
 *       hlt
 */
static const uint8_t prog_df[] = {
    0x66, 0xb8, 0x00, 0x10, 0x8e, 0xc0, 0xf4,
};

/* intr:
 *       mov ss, ax
 *       mov ebx, 1
 *       mov ecx, 2
 *       hlt
 */
static const uint8_t prog_intr[] = {
    0x8e, 0xd0, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x02, 0x00, 0x00, 0x00,
    0xf4,
};

/* intr_ctl:
 *       mov eax, 5
 *       mov ebx, 1
 *       mov ecx, 2
 *       hlt
 */
static const uint8_t prog_intr_ctl[] = {
    0xb8, 0x05, 0x00, 0x00, 0x00, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x02,
    0x00, 0x00, 0x00, 0xf4,
};

/* sti:
 *       sti
 *       mov ebx, 1
 *       mov ecx, 2
 *       hlt
 */
static const uint8_t prog_sti[] = {
    0xfb, 0xbb, 0x01, 0x00, 0x00, 0x00, 0xb9, 0x02, 0x00, 0x00, 0x00, 0xf4,
};

/* tf_jmp:
 *       pushfd
 *       or dword [esp], 0x100
 *       popfd
 *       jmp target
 *       nop
 *       nop
 *   target: nop
 *       hlt
 */
static const uint8_t prog_tf_jmp[] = {
    0x9c, 0x81, 0x0c, 0x24, 0x00, 0x01, 0x00, 0x00, 0x9d, 0xeb, 0x02, 0x90,
    0x90, 0x90, 0xf4,
};
#define TF_JMP_TARGET 0x1000d

/* v86:
 *       push dword 0
 *       push dword 0
 *       push dword 0x1234
 *       push dword 0
 *       push dword 0x2000
 *       push dword 0xfffe
 *       push ebx
 *       push dword 0x1100
 *       push dword 0
 *       iretd
 */
static const uint8_t prog_v86[] = {
    0x6a, 0x00, 0x6a, 0x00, 0x68, 0x34, 0x12, 0x00, 0x00, 0x6a, 0x00, 0x68,
    0x00, 0x20, 0x00, 0x00, 0x68, 0xfe, 0xff, 0x00, 0x00, 0x53, 0x68, 0x00,
    0x11, 0x00, 0x00, 0x6a, 0x00, 0xcf,
};

/* iobitmap:
 *       TO_USER user
 *   user:   mov edx, esi
 *       in al, dx
 *       mov eax, 0x55
 *       int 0x40
 */
static const uint8_t prog_iobitmap[] = {
    0x6a, 0x23, 0x68, 0x00, 0x00, 0x07, 0x00, 0x53, 0x6a, 0x1b, 0x68, 0x10,
    0x00, 0x01, 0x00, 0xcf, 0x89, 0xf2, 0xec, 0xb8, 0x55, 0x00, 0x00, 0x00,
    0xcd, 0x40,
};
#define IOBITMAP_USER 0x10010

static SysRig *sysrig_prog(CpuBackendKind be, const uint8_t *code, size_t len, uint32_t ebx)
{
    SysRig *r = sysrig_new(be, code, len);
    sysrig_set_reg(r, CPU_EBX, ebx);
    return r;
}
#define RIG(be, prog, ebx) sysrig_prog(be, prog_##prog, sizeof(prog_##prog), ebx)

static void expect_fault(SysRig *r, uint32_t vec, uint32_t err, uint32_t eip)
{
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), vec);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ERR), err);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), eip);
}

/* -- IOPL and CPL ------------------------------------------------------------------ */

START_TEST(test_cpu_sys_cli_at_cpl3_needs_iopl3)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, iopl_cli, 0x2);             /* IOPL 0 */
    expect_fault(r, 13, 0, IOPL_CLI_USER);
    ck_assert_uint_eq(sysrig_rd32(r, REC_CS), SEL_CODE3);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ESP), 0x70000);
    ck_assert_uint_eq(sysrig_rd32(r, REC_SS), SEL_DATA3);
    /* The ring-0 stack from TSS.SS0:ESP0 holds EIP CS EFLAGS ESP SS. */
    ck_assert_uint_eq(sysrig_rd32(r, REC_HANDLER_ESP), RIG_ESP0 - 20);
    sysrig_free(r);

    r = RIG(be, iopl_cli, 0x3202);                  /* IOPL 3, IF 1 */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x1234);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EFLAGS) & 0x3200, 0x3000);   /* IF cleared by cli */
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_popf_rules_by_cpl_and_iopl)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, popf, 0x202);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    /* CPL 0: IOPL and IF are loaded. */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0x3002);
    /* CPL 3 > IOPL 0: IF and IOPL keep their values, no fault; the
     * arithmetic flags (0xd5) are loaded. */
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x2d7);
    sysrig_free(r);
}
END_TEST

/* -- Far transfers ------------------------------------------------------------------ */

START_TEST(test_cpu_sys_call_gate_copies_parameters)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, callgate, 0x2);
    uint32_t esp;
    sysrig_call_gate(r, SEL_FREE, SEL_CODE0, CALLGATE_PROC, 3, 3, 0xc);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    esp = sysrig_reg(r, CPU_EAX);
    ck_assert_uint_eq(esp, RIG_ESP0 - 4 * (2 + 3 + 2));
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), SEL_CODE0);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDX), SEL_DATA0);
    ck_assert_uint_eq(sysrig_rd32(r, esp + 0), CALLGATE_PROC);      /* return EIP */
    ck_assert_uint_eq(sysrig_rd32(r, esp + 4), SEL_CODE3);
    ck_assert_uint_eq(sysrig_rd32(r, esp + 8), 0x33);               /* parameters, in order */
    ck_assert_uint_eq(sysrig_rd32(r, esp + 12), 0x22);
    ck_assert_uint_eq(sysrig_rd32(r, esp + 16), 0x11);
    ck_assert_uint_eq(sysrig_rd32(r, esp + 20), 0x70000 - 12);      /* caller's ESP */
    ck_assert_uint_eq(sysrig_rd32(r, esp + 24), SEL_DATA3);         /* caller's SS */
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_call_gate_dpl_below_cpl_faults)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, callgate, 0x2);
    sysrig_call_gate(r, SEL_FREE, SEL_CODE0, CALLGATE_PROC, 0, 3, 0xc);   /* gate DPL 0 */
    expect_fault(r, 13, SEL_FREE, CALLGATE_USER + 6);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_iret_to_outer_level_nulls_segments)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, iret_null, 0x2);
    sysrig_desc(r, 0x38, 0, 0xfffff, 0x9f, 0xc);      /* conforming code, DPL 0 */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0);      /* DS: DPL 0 data */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), SEL_DATA3);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDX), 0);       /* FS: DPL 0 non-conforming code */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0x38);    /* GS: conforming code stays */
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_retf_imm_to_outer_level)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, retf_outer, 0x2);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_CS), SEL_CODE3);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x6fff0 + 8);  /* imm16 also leaves the outer stack */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), 0);             /* DS (DPL 0) nulled */
    sysrig_free(r);
}
END_TEST

/* -- Segment loads ------------------------------------------------------------------ */

START_TEST(test_cpu_sys_segment_load_errors)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, load_ss, SEL_DATA3);         /* RPL 3 != CPL 0 */
    expect_fault(r, 13, SEL_DATA3 & 0xfffc, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_ss, 0x3);                       /* null SS: #GP(0) */
    expect_fault(r, 13, 0, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_ss, SEL_CODE0);                 /* code into SS */
    expect_fault(r, 13, SEL_CODE0, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_ds, 0x40);                      /* not present: #NP(sel) */
    sysrig_desc(r, 0x40, 0, 0xfffff, 0x13, 0xc);
    expect_fault(r, 11, 0x40, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_ds, 0x44 | 3);                  /* TI = 1, no LDT */
    expect_fault(r, 13, 0x44, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_es, 0x200);                     /* beyond the GDT limit */
    expect_fault(r, 13, 0x200, RIG_CODE);
    sysrig_free(r);
    r = RIG(be, load_es, 0);                         /* null into ES: fine */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    sysrig_free(r);
    r = RIG(be, load_es, 0x40);                      /* a load sets the accessed bit */
    sysrig_desc(r, 0x40, 0, 0xfffff, 0x92, 0xc);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + 0x40 + 5), 0x93);
    sysrig_free(r);
}
END_TEST

/* -- Tasks ----------------------------------------------------------------------------- */

START_TEST(test_cpu_sys_task_switch_busy_errors)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, jmp_tss, 0);                 /* the current task is busy */
    expect_fault(r, 13, SEL_TSS, RIG_CODE);
    sysrig_free(r);

    r = RIG(be, iret_nt, 0);                         /* NT: back link to an available TSS */
    sysrig_tss(r, SEL_FREE, 0x3100, 0x12345, 0x60000, SEL_CODE0, SEL_DATA0, SEL_DATA0, false);
    sysrig_wr32(r, RIG_TSS, SEL_FREE);
    expect_fault(r, 10, SEL_FREE, RIG_CODE + 9);
    sysrig_free(r);

    r = RIG(be, ltr, SEL_TSS);                       /* LTR of a busy TSS */
    expect_fault(r, 13, SEL_TSS, RIG_CODE);
    sysrig_free(r);

    r = RIG(be, ltr, SEL_FREE);                      /* LTR marks an available one busy */
    sysrig_tss(r, SEL_FREE, 0x3100, 0, 0, SEL_CODE0, SEL_DATA0, SEL_DATA0, false);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + SEL_FREE + 5), 0x8b);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_task_switch_fault_in_new_task)
{
    CpuBackendKind be = cpu_test_backend(_i);
    /* CALL to a TSS whose CS is a data segment: #TS(CS) after the commit
     * point, so it is raised in the new task (SDM 7.3, table 7-1). */
    SysRig *r = RIG(be, task_ts, 0);
    sysrig_tss(r, SEL_FREE, 0x3100, 0x12345, 0x60000, SEL_DATA0, SEL_DATA0, SEL_DATA0, false);
    expect_fault(r, 10, SEL_DATA0, 0x12345);
    ck_assert_uint_eq(sysrig_rd32(r, REC_CS), SEL_DATA0);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EFLAGS) & 0x4000, 0x4000);   /* NT: nested */
    ck_assert_uint_eq(sysrig_rd32(r, REC_HANDLER_ESP), 0x60000 - 12);
    ck_assert_uint_eq(sysrig_rd32(r, 0x3100) & 0xffff, SEL_TSS);        /* back link */
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + SEL_FREE + 5), 0x8b);     /* new busy */
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + SEL_TSS + 5), 0x8b);      /* old stays busy */
    ck_assert_uint_eq(sysrig_rd32(r, RIG_TSS + 0x20), RIG_CODE + 7);    /* saved EIP */
    sysrig_free(r);
}
END_TEST

/* jmpfar: jmp far [ebx]          task32 (at 0x12000): mov eax, ds; sldt ecx;
 *                                  str edx; int 0x40 */
static const uint8_t prog_jmpfar[] = { 0xff, 0x2b };
static const uint8_t task32[] = { 0x8c, 0xd8, 0x0f, 0x00, 0xc1, 0x0f, 0x00, 0xca, 0xcd, 0x40 };

static SysRig *jmpfar_rig(CpuBackendKind be, uint16_t sel)
{
    SysRig *r = RIG(be, jmpfar, 0x600);
    sysrig_wr32(r, 0x600, 0);
    sysrig_wr32(r, 0x604, sel);
    return r;
}

START_TEST(test_cpu_sys_task_switch_loads_ldt)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t ldt_data0[8] = { 0xff, 0xff, 0, 0, 0, 0x92, 0xcf, 0 };
    SysRig *r = jmpfar_rig(be, 0x48);
    CpuRegs regs;
    sysrig_desc(r, 0x30, 0x8000, 0x17, 0x82, 0);    /* LDT */
    sysrig_load(r, 0x8008, ldt_data0, 8);
    sysrig_tss(r, 0x48, 0x3100, 0x12000, 0x60000, SEL_CODE0, SEL_DATA0, 0x0c, false);
    sysrig_wr32(r, 0x3100 + 0x60, 0x30);            /* the new task's LDT */
    sysrig_load(r, 0x12000, task32, sizeof(task32));
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x0c);       /* DS from the new LDT */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ECX), 0x30);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDX), 0x48);
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + SEL_TSS + 5), 0x89);  /* JMP: old not busy */
    ck_assert_uint_eq(sysrig_rd32(r, RIG_TSS + 0x20), RIG_CODE + 2); /* saved EIP */
    ck_assert_uint_eq(sysrig_rd32(r, RIG_TSS + 0x34), 0x600);        /* saved EBX */
    cpu_get_regs(r->cpu, &regs);
    ck_assert_uint_eq(regs.cr0 & 8, 8);                              /* CR0.TS */
    sysrig_free(r);
}
END_TEST

/* A 16-bit TSS (SDM 7.6): IP FLAGS AX..DI ES CS SS DS LDT at 0x0e..0x2a;
 * the upper halves of the registers are not in it and are kept. */
START_TEST(test_cpu_sys_task_switch_16bit_tss)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t int40[] = { 0xcd, 0x40 };
    SysRig *r = jmpfar_rig(be, 0x50);
    uint8_t *t = r->mem + 0x3200;
    memset(t, 0, 0x2c);
    t[0x0e] = 0x00; t[0x0f] = 0x20;                 /* IP 0x2000 */
    t[0x10] = 0x02;                                 /* FLAGS */
    t[0x12] = 0x11; t[0x13] = 0x11;                 /* AX */
    t[0x1a] = 0x00; t[0x1b] = 0xff;                 /* SP 0xff00 */
    t[0x22] = SEL_DATA0;                            /* ES */
    t[0x24] = 0x58;                                 /* CS: code at base 0x10000 */
    t[0x26] = SEL_DATA0;                            /* SS */
    t[0x28] = SEL_DATA0;                            /* DS */
    sysrig_desc(r, 0x50, 0x3200, 0x2b, 0x81, 0);    /* available 16-bit TSS */
    sysrig_desc(r, 0x58, 0x10000, 0xffff, 0x9b, 0x4);
    sysrig_load(r, 0x12000, int40, 2);
    sysrig_set_reg(r, CPU_EAX, 0xaaaa0000);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0xaaaa1111);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), 0x2002);
    ck_assert_uint_eq(sysrig_rd32(r, REC_CS), 0x58);
    /* ESP keeps its upper half (0x0008 from 0x80000): 0x8ff00, less the frame. */
    ck_assert_uint_eq(sysrig_rd32(r, REC_HANDLER_ESP), 0x8ff00 - 12);
    ck_assert_uint_eq(sysrig_rd8(r, RIG_GDT + 0x50 + 5), 0x83);      /* busy */
    sysrig_free(r);
}
END_TEST

/* -- Exceptions while delivering ------------------------------------------------------ */

START_TEST(test_cpu_sys_double_fault_then_triple_fault)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, df, 0);
    /* #GP, its gate not present: #NP while delivering it, both
     * contributory: #DF with error code 0 (SDM 6.15, table 6-5). */
    sysrig_idt_present(r, 13, false);
    sysrig_idt_present(r, 11, false);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 8);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ERR), 0);
    sysrig_free(r);

    r = RIG(be, df, 0);
    sysrig_idt_present(r, 13, false);
    sysrig_idt_present(r, 8, false);                    /* and #DF's gate missing too */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_SHUTDOWN);
    ck_assert_uint_eq(sysrig_rd32(r, REC_COUNT), 0);
    sysrig_free(r);

    r = RIG(be, df, 0);                              /* only #GP's gate missing */
    sysrig_idt_present(r, 13, false);
    sysrig_idt_present(r, 8, false);
    sysrig_idt_gate(r, 11, SEL_CODE0, 0x6000 + 11 * 16, 0x8e);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_SHUTDOWN); /* #NP while delivering #GP is still #DF */
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_external_interrupt_sets_ext)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, intr_ctl, 0);
    r->intr_vector = 0x41;
    sysrig_idt_present(r, 0x41, false);
    sysrig_set_eflags(r, 0x202);
    cpu_set_intr(r->cpu, true);
    /* Not a double fault: the first event is an external interrupt. */
    expect_fault(r, 11, 0x41 * 8 + 2 + 1, RIG_CODE);
    sysrig_free(r);
}
END_TEST

/* -- Interrupt shadows and single-step -------------------------------------------------- */

/* Run n instructions, raise INTR, run on: the frame's EIP says where the
 * interrupt was taken. */
static uint32_t intr_after(CpuBackendKind be, const uint8_t *code, size_t len, uint32_t eflags,
                           int n)
{
    SysRig *r = sysrig_new(be, code, len);
    uint32_t eip;
    r->intr_vector = 0x41;
    sysrig_set_reg(r, CPU_EAX, SEL_DATA0);
    sysrig_set_eflags(r, eflags);
    ck_assert_int_eq(cpu_run(r->cpu, (uint64_t)n), CPU_RUN_BUDGET);
    cpu_set_intr(r->cpu, true);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x41);
    eip = sysrig_rd32(r, REC_EIP);
    sysrig_free(r);
    return eip;
}

START_TEST(test_cpu_sys_mov_ss_and_sti_hold_interrupts)
{
    CpuBackendKind be = cpu_test_backend(_i);
    /* After mov eax, 5 the interrupt comes at once. */
    ck_assert_uint_eq(intr_after(be, prog_intr_ctl, sizeof(prog_intr_ctl), 0x202, 1), RIG_CODE + 5);
    /* After mov ss it waits for one more instruction (SDM 6.8.3). */
    ck_assert_uint_eq(intr_after(be, prog_intr, sizeof(prog_intr), 0x202, 1), RIG_CODE + 7);
    /* After sti (IF was 0) likewise (SDM STI). */
    ck_assert_uint_eq(intr_after(be, prog_sti, sizeof(prog_sti), 0x2, 1), RIG_CODE + 6);
    /* sti with IF already 1 has no shadow. */
    ck_assert_uint_eq(intr_after(be, prog_sti, sizeof(prog_sti), 0x202, 1), RIG_CODE + 1);
}
END_TEST

/* shadow_jmp:
 *       mov eax, target
 *       jmp eax
 *   target: inc esi
 *       cmp esi, 2
 *       je done
 *       sti
 *       jmp eax
 *   done: hlt
 */
static const uint8_t prog_shadow_jmp[] = {
    0xb8, 0x07, 0x00, 0x01, 0x00, 0xff, 0xe0, 0x46, 0x83, 0xfe, 0x02, 0x74,
    0x03, 0xfb, 0xff, 0xe0, 0xf4,
};

START_TEST(test_cpu_sys_interrupt_right_after_the_shadow)
{
    CpuBackendKind be = cpu_test_backend(_i);
    /* INTR is high all along, IF = 0. The instruction after sti is an
     * indirect jump to a block already translated: the interrupt must be
     * taken at its target, before anything there runs. */
    SysRig *r = RIG(be, shadow_jmp, 0);
    r->intr_vector = 0x41;
    cpu_set_intr(r->cpu, true);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x41);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EIP), RIG_CODE + 7);
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 1);
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_sys_single_step_after_taken_jump)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = RIG(be, tf_jmp, 0);
    CpuRegs regs;
    expect_fault(r, 1, 0, TF_JMP_TARGET);           /* a trap: EIP of the jump's target */
    cpu_get_regs(r->cpu, &regs);
    ck_assert_uint_eq(regs.dr[6] & 0x4000, 0x4000); /* DR6.BS */
    ck_assert_uint_eq(sysrig_rd32(r, REC_EFLAGS) & 0x100, 0x100);
    sysrig_free(r);
}
END_TEST

/* -- Virtual-8086 mode ---------------------------------------------------------------- */

static SysRig *v86_rig(CpuBackendKind be, const uint8_t *v86code, size_t len, uint32_t eflags)
{
    SysRig *r = RIG(be, v86, eflags);
    sysrig_load(r, 0x11000, v86code, len);
    sysrig_idt_gate(r, 3, SEL_CODE0, 0x6000 + 3 * 16, 0xee);
    return r;
}

START_TEST(test_cpu_sys_v86_iopl_sensitive)
{
    CpuBackendKind be = cpu_test_backend(_i);
    static const uint8_t pushf_int3[] = { 0x9c, 0xcc };
    static const uint8_t int3[] = { 0xcc };
    CpuRegs regs;
    SysRig *r = v86_rig(be, pushf_int3, 2, 0x20002);    /* VM, IOPL 0 */
    expect_fault(r, 13, 0, 0);                       /* pushf: #GP(0) */
    ck_assert_uint_eq(sysrig_rd32(r, REC_CS), 0x1100);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EFLAGS) & 0x20000, 0x20000);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ESP), 0xfffe);
    ck_assert_uint_eq(sysrig_rd32(r, REC_SS), 0x2000);
    /* From V86: GS FS DS ES are pushed too, and the data segments are null. */
    ck_assert_uint_eq(sysrig_rd32(r, REC_HANDLER_ESP), RIG_ESP0 - 36);
    ck_assert_uint_eq(sysrig_rd32(r, RIG_ESP0 - 12), 0x1234);     /* DS in the frame */
    cpu_get_regs(r->cpu, &regs);
    ck_assert_uint_eq(regs.seg[CPU_DS].selector, 0);
    sysrig_free(r);

    r = v86_rig(be, int3, 1, 0x20002);               /* int3 is not IOPL-sensitive */
    expect_fault(r, 3, 0, 1);
    sysrig_free(r);

    r = v86_rig(be, pushf_int3, 2, 0x23002);         /* IOPL 3: pushf runs */
    expect_fault(r, 3, 0, 2);
    ck_assert_uint_eq(sysrig_rd32(r, REC_ESP), 0xfffc);
    ck_assert_uint_eq(sysrig_rd8(r, 0x2fffc + 1) & 0x30, 0x30);   /* pushed FLAGS: IOPL 3 */
    sysrig_free(r);
}
END_TEST

/* -- I/O permission bitmap ------------------------------------------------------------- */

static SysRig *io_rig(CpuBackendKind be, uint32_t port, uint32_t eflags)
{
    SysRig *r = RIG(be, iobitmap, eflags);
    /* Bitmap at TSS+0x68: all ports allowed but 0x80; the byte after it 0xff. */
    memset(r->mem + RIG_TSS + 0x68, 0, 0x2000);
    r->mem[RIG_TSS + 0x68 + 0x2000] = 0xff;
    r->mem[RIG_TSS + 0x68 + 0x80 / 8] = 1;
    sysrig_desc(r, SEL_TSS, RIG_TSS, 0x68 + 0x2000, 0x8b, 0);
    {
        CpuRegs regs;
        cpu_get_regs(r->cpu, &regs);
        regs.tr.limit = 0x68 + 0x2000;
        regs.gpr[CPU_ESI] = port;
        cpu_set_regs(r->cpu, &regs);
    }
    return r;
}

START_TEST(test_cpu_sys_io_bitmap)
{
    CpuBackendKind be = cpu_test_backend(_i);
    SysRig *r = io_rig(be, 0x71, 0x2);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    ck_assert_uint_eq(sysrig_rd32(r, REC_EAX), 0x55);
    sysrig_free(r);
    r = io_rig(be, 0x80, 0x2);                       /* denied: #GP(0) */
    expect_fault(r, 13, 0, IOBITMAP_USER + 2);
    sysrig_free(r);
    r = io_rig(be, 0x80, 0x3002);                    /* CPL <= IOPL: no bitmap check */
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_VEC), 0x40);
    sysrig_free(r);
}
END_TEST

TEST_SUITE(cpu_sys)
{
    Suite *s = suite_create("cpu_sys");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        CPU_TEST(tc, test_cpu_sys_cli_at_cpl3_needs_iopl3, b);
        CPU_TEST(tc, test_cpu_sys_popf_rules_by_cpl_and_iopl, b);
        CPU_TEST(tc, test_cpu_sys_call_gate_copies_parameters, b);
        CPU_TEST(tc, test_cpu_sys_call_gate_dpl_below_cpl_faults, b);
        CPU_TEST(tc, test_cpu_sys_iret_to_outer_level_nulls_segments, b);
        CPU_TEST(tc, test_cpu_sys_retf_imm_to_outer_level, b);
        CPU_TEST(tc, test_cpu_sys_segment_load_errors, b);
        CPU_TEST(tc, test_cpu_sys_task_switch_busy_errors, b);
        CPU_TEST(tc, test_cpu_sys_task_switch_fault_in_new_task, b);
        CPU_TEST(tc, test_cpu_sys_task_switch_loads_ldt, b);
        CPU_TEST(tc, test_cpu_sys_task_switch_16bit_tss, b);
        CPU_TEST(tc, test_cpu_sys_double_fault_then_triple_fault, b);
        CPU_TEST(tc, test_cpu_sys_external_interrupt_sets_ext, b);
        CPU_TEST(tc, test_cpu_sys_mov_ss_and_sti_hold_interrupts, b);
        CPU_TEST(tc, test_cpu_sys_interrupt_right_after_the_shadow, b);
        CPU_TEST(tc, test_cpu_sys_single_step_after_taken_jump, b);
        CPU_TEST(tc, test_cpu_sys_v86_iopl_sensitive, b);
        CPU_TEST(tc, test_cpu_sys_io_bitmap, b);
    }
    return s;
}
