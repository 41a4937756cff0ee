/* test_cpu_tb_pages.c — a translated block that crosses into a second page
 * is used again only while that page maps to the memory it was made from.
 *
 * Blocks are found by the physical address of their first page; the second
 * page of a block that crosses a page boundary is checked against the
 * current mapping on every lookup (src/cpu/exec.c). Here linear 0x400ffe
 * holds "mov eax, imm32; ret" whose immediate spills into the next page, and
 * two page directories map that next page to different memory while the
 * first page stays the same (SDM Vol. 3A 4.3: CR3 selects the directory).
 * The second test reaches the block by a direct jump from the first page,
 * which must not be linked to it. Every test runs under each backend
 * (cpu_backends.h).
 *
 * The program (nasm, bits 32, org 0x10000):
 *       mov eax, 0x20000        ; directory A
 *       mov cr3, eax
 *       mov eax, cr0
 *       or eax, 0x80000000      ; CR0.PG
 *       mov cr0, eax
 *       jmp short next
 *   next:   call 0x400ffe           ; A: 0x12345678
 *       mov esi, eax
 *       mov eax, 0x21000        ; directory B
 *       mov cr3, eax
 *       call 0x400ffe           ; B: 0x22334478
 *       mov edi, eax
 *       mov eax, 0x20000        ; A again
 *       mov cr3, eax
 *       call 0x400ffe
 *       hlt
 */
#include "unit/testlib.h"
#include "unit/cpu_sys_rig.h"

static const uint8_t prog_cross_page[] = {
    0xb8, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d,
    0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xeb, 0x00, 0xe8, 0xe4, 0x0f,
    0x3f, 0x00, 0x89, 0xc6, 0xb8, 0x00, 0x10, 0x02, 0x00, 0x0f, 0x22, 0xd8,
    0xe8, 0xd5, 0x0f, 0x3f, 0x00, 0x89, 0xc7, 0xb8, 0x00, 0x00, 0x02, 0x00,
    0x0f, 0x22, 0xd8, 0xe8, 0xc6, 0x0f, 0x3f, 0x00, 0xf4,
};

/* The same through "jmp 0x400ffe" at 0x400f00 (nasm as above):
 *       (paging on with directory A as above)
 *   next:   call 0x400f00           ; A: 0x12345678
 *       mov esi, eax
 *       mov eax, 0x21000        ; directory B
 *       mov cr3, eax
 *       call 0x400f00           ; B: 0x22334478
 *       mov edi, eax
 *       hlt
 */
static const uint8_t prog_cross_page_by_jump[] = {
    0xb8, 0x00, 0x00, 0x02, 0x00, 0x0f, 0x22, 0xd8, 0x0f, 0x20, 0xc0, 0x0d,
    0x00, 0x00, 0x00, 0x80, 0x0f, 0x22, 0xc0, 0xeb, 0x00, 0xe8, 0xe6, 0x0e,
    0x3f, 0x00, 0x89, 0xc6, 0xb8, 0x00, 0x10, 0x02, 0x00, 0x0f, 0x22, 0xd8,
    0xe8, 0xd7, 0x0e, 0x3f, 0x00, 0x89, 0xc7, 0xf4,
};

enum {
    PD_A = 0x20000, PD_B = 0x21000,     /* page directories */
    PT_LOW = 0x22000,                   /* identity map of 0..4 MiB, shared */
    PT_A = 0x23000, PT_B = 0x24000,     /* 4..8 MiB in A and in B */
    CODE_PAGE1 = 0x30000,               /* linear 0x400000 in both */
    CODE_PAGE2_A = 0x31000,             /* linear 0x401000 in A */
    CODE_PAGE2_B = 0x32000,             /* linear 0x401000 in B */
    PTE_P_RW = 0x3,
};

static void map_pages(SysRig *r)
{
    for (uint32_t i = 0; i < 1024; i++)
        sysrig_wr32(r, PT_LOW + 4 * i, (i << 12) | PTE_P_RW);
    sysrig_wr32(r, PD_A, PT_LOW | PTE_P_RW);
    sysrig_wr32(r, PD_B, PT_LOW | PTE_P_RW);
    sysrig_wr32(r, PD_A + 4, PT_A | PTE_P_RW);
    sysrig_wr32(r, PD_B + 4, PT_B | PTE_P_RW);
    sysrig_wr32(r, PT_A, CODE_PAGE1 | PTE_P_RW);
    sysrig_wr32(r, PT_B, CODE_PAGE1 | PTE_P_RW);
    sysrig_wr32(r, PT_A + 4, CODE_PAGE2_A | PTE_P_RW);
    sysrig_wr32(r, PT_B + 4, CODE_PAGE2_B | PTE_P_RW);
}

/* A rig running prog with the pages above and the crossing block in them. */
static SysRig *cross_page_rig(CpuBackendKind be, const uint8_t *prog, size_t len)
{
    static const uint8_t head[] = { 0xb8, 0x78 };                  /* mov eax, ..78 */
    static const uint8_t tail_a[] = { 0x56, 0x34, 0x12, 0xc3 };    /* 123456.., ret */
    static const uint8_t tail_b[] = { 0x44, 0x33, 0x22, 0xc3 };    /* 223344.., ret */
    static const uint8_t jump[] = { 0xe9, 0xf9, 0x00, 0x00, 0x00 };  /* jmp 0x400ffe */
    SysRig *r = sysrig_new(be, prog, len);

    map_pages(r);
    sysrig_load(r, CODE_PAGE1 + 0xf00, jump, sizeof(jump));
    sysrig_load(r, CODE_PAGE1 + 0xffe, head, sizeof(head));
    sysrig_load(r, CODE_PAGE2_A, tail_a, sizeof(tail_a));
    sysrig_load(r, CODE_PAGE2_B, tail_b, sizeof(tail_b));
    return r;
}

/* Runs prog to its HLT: ESI holds what the block returned under directory
 * A, EDI what it returned under B. The rig is left for more checks. */
static SysRig *run_both_mappings(CpuBackendKind be, const uint8_t *prog, size_t len)
{
    SysRig *r = cross_page_rig(be, prog, len);
    ck_assert_int_eq(sysrig_run(r), CPU_RUN_HALTED);
    ck_assert_uint_eq(sysrig_rd32(r, REC_COUNT), 0);               /* no exception */
    ck_assert_uint_eq(sysrig_reg(r, CPU_ESI), 0x12345678);
    ck_assert_uint_eq(sysrig_reg(r, CPU_EDI), 0x22334478);
    return r;
}

START_TEST(test_cpu_tb_second_page_follows_the_mapping)
{
    SysRig *r = run_both_mappings(cpu_test_backend(_i), prog_cross_page,
                                  sizeof(prog_cross_page));
    ck_assert_uint_eq(sysrig_reg(r, CPU_EAX), 0x12345678);         /* A's block again */
    sysrig_free(r);
}
END_TEST

START_TEST(test_cpu_tb_no_direct_link_to_a_block_crossing_pages)
{
    sysrig_free(run_both_mappings(cpu_test_backend(_i), prog_cross_page_by_jump,
                                  sizeof(prog_cross_page_by_jump)));
}
END_TEST

TEST_SUITE(cpu_tb_pages)
{
    Suite *s = suite_create("cpu_tb_pages");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        CPU_TEST(tc, test_cpu_tb_second_page_follows_the_mapping, b);
        CPU_TEST(tc, test_cpu_tb_no_direct_link_to_a_block_crossing_pages, b);
    }
    return s;
}
