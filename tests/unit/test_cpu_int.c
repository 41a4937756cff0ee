/* test_cpu_int.c — integer instructions, one case each, with expected values
 * worked out from the Intel SDM Vol. 2 descriptions (and its DAA/DAS
 * examples); the edge cases the random differential test (test_cpu_diff.c)
 * rarely reaches: rotate-through-carry counts, SHLD/SHRD, #DE, BSF on zero,
 * CMPXCHG8B, BCD tables, REP with eCX = 0, DF = 1, 16-bit SI/DI wrap.
 *
 * Each case runs at CPL 0 in 32-bit protected mode with DS = ES = SS a data
 * segment at DATA (so register values below are offsets in it), from a
 * fresh CPU. Flags are compared under fl_mask only (undefined ones are left
 * out). Every case runs under each backend (cpu_backends.h).
 */
#include <string.h>
#include "unit/testlib.h"
#include "unit/cpu_harness.h"

enum { EXCP_DE = 0, EXCP_BR = 5, EXCP_UD = 6, EXCP_GP = 13 };   /* SDM Vol. 3A 6.3.1 */

#define CODE 0x00300000u
#define DATA 0x00200000u
#define DEFAULT_ESP 0x8000u

enum { CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800 };
#define EFLAGS_ARITH_MASK (CF | PF | AF | ZF | SF | OF)
enum { A = 1 << 0, C = 1 << 1, D = 1 << 2, B = 1 << 3, SP = 1 << 4, BP = 1 << 5, SI = 1 << 6,
       DI = 1 << 7 };

typedef struct IntCase {
    const char *name;
    uint8_t code[16];           /* trailing zero bytes need .len */
    uint32_t in[8];             /* EAX..EDI; ESP 0 means DEFAULT_ESP */
    uint32_t fl_in;
    uint32_t out[8];
    uint8_t out_mask;           /* registers to check */
    uint32_t fl_out, fl_mask;
    int excp;                   /* expected vector (0 = none unless excp_set) */
    bool excp_set;
    uint32_t mem_off, mem_out_off;
    uint8_t mem_in[32], mem_out[32];
    uint8_t mem_in_len, mem_out_len;
    uint8_t len;
} IntCase;

#define R(a, c, d, b, sp, bp, si, di) { a, c, d, b, sp, bp, si, di }

static const IntCase cases[] = {
    /* -- rotates through carry: count mod 9/17, OF for count 1 -- */
    { "rcl8_by9_no_change", { 0xc0, 0xd0, 0x09 }, R(0x81, 0, 0, 0, 0, 0, 0, 0), CF | ZF,
      R(0x81, 0, 0, 0, 0, 0, 0, 0), A, CF | ZF, CF | ZF | SF | PF | AF },
    { "rcl8_by1", { 0xd0, 0xd0 }, R(0x81, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x02, 0, 0, 0, 0, 0, 0, 0), A, CF | OF, CF | OF | ZF },
    { "rcr8_by1", { 0xd0, 0xd8 }, R(0x01, 0, 0, 0, 0, 0, 0, 0), CF,
      R(0x80, 0, 0, 0, 0, 0, 0, 0), A, CF | OF, CF | OF },
    { "rcl16_by16", { 0x66, 0xc1, 0xd0, 0x10 }, R(0xffff0001, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0xffff0000, 0, 0, 0, 0, 0, 0, 0), A, CF, CF },
    { "rol16_cl", { 0x66, 0xd3, 0xc0 }, R(0x8001, 1, 0, 0, 0, 0, 0, 0), 0,
      R(0x0003, 1, 0, 0, 0, 0, 0, 0), A | C, CF | OF, CF | OF | ZF },
    { "ror8_mem_imm", { 0xc0, 0x0e, 0x03 }, R(0, 0, 0, 0, 0, 0, 0x100, 0), CF,
      R(0, 0, 0, 0, 0, 0, 0x100, 0), 0, 0, CF, .mem_off = 0x100, .mem_in = { 0x01 },
      .mem_in_len = 1, .mem_out_off = 0x100, .mem_out = { 0x20 }, .mem_out_len = 1 },
    /* -- shifts: masked count 0 changes no flag; SHL 1 sets OF -- */
    { "shl_cl_masked0_keeps_flags", { 0xd3, 0xe0 }, R(5, 0x20, 0, 0, 0, 0, 0, 0),
      CF | PF | AF | ZF | SF | OF, R(5, 0x20, 0, 0, 0, 0, 0, 0), A,
      CF | PF | AF | ZF | SF | OF, CF | PF | AF | ZF | SF | OF },
    { "shl_cl4", { 0xd3, 0xe0 }, R(0x10000001, 4, 0, 0, 0, 0, 0, 0), 0,
      R(0x00000010, 4, 0, 0, 0, 0, 0, 0), A, CF, CF | ZF | SF | PF },
    { "shl_by1_of", { 0xd1, 0xe0 }, R(0x40000000, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x80000000, 0, 0, 0, 0, 0, 0, 0), A, OF | SF | PF, CF | OF | SF | ZF | PF },
    { "sar8_by1", { 0xd0, 0xf8 }, R(0x81, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0xc0, 0, 0, 0, 0, 0, 0, 0), A, CF | SF | PF, CF | OF | SF | ZF | PF },
    { "shr16_cl_by15", { 0x66, 0xd3, 0xe8 }, R(0xc000, 15, 0, 0, 0, 0, 0, 0), 0,
      R(1, 15, 0, 0, 0, 0, 0, 0), A, CF, CF | ZF | SF | PF },
    /* -- SHLD/SHRD; 16-bit counts over 16 shift DEST:SRC:DEST (P6; SDM: undefined) -- */
    { "shld32_by4", { 0x0f, 0xa4, 0xd8, 0x04 }, R(0x12345678, 0, 0, 0x9abcdef0, 0, 0, 0, 0), 0,
      R(0x23456789, 0, 0, 0x9abcdef0, 0, 0, 0, 0), A | B, CF, CF | ZF | SF },
    { "shld16_by20_p6", { 0x66, 0x0f, 0xa4, 0xd8, 0x14 }, R(0x1234, 0, 0, 0x5678, 0, 0, 0, 0), 0,
      R(0x6781, 0, 0, 0x5678, 0, 0, 0, 0), A | B, CF, CF },
    { "shrd16_by4", { 0x66, 0x0f, 0xac, 0xd8, 0x04 }, R(0x1234, 0, 0, 0x5678, 0, 0, 0, 0), CF,
      R(0x8123, 0, 0, 0x5678, 0, 0, 0, 0), A | B, SF, CF | SF | ZF },
    /* -- MUL/IMUL/DIV/IDIV -- */
    { "mul32", { 0xf7, 0xe1 }, R(0x80000000, 4, 0, 0, 0, 0, 0, 0), 0,
      R(0, 4, 2, 0, 0, 0, 0, 0), A | C | D, CF | OF, CF | OF },
    { "imul32_one_op", { 0xf7, 0xe9 }, R(0xfffffffe, 3, 0, 0, 0, 0, 0, 0), CF | OF,
      R(0xfffffffa, 3, 0xffffffff, 0, 0, 0, 0, 0), A | C | D, 0, CF | OF },
    { "imul3_overflow", { 0x6b, 0xc1, 0xfd }, R(0, 0x40000000, 0, 0, 0, 0, 0, 0), 0,
      R(0x40000000, 0x40000000, 0, 0, 0, 0, 0, 0), A | C, CF | OF, CF | OF },
    { "div32", { 0xf7, 0xf1 }, R(100, 7, 0, 0, 0, 0, 0, 0), 0,
      R(14, 7, 2, 0, 0, 0, 0, 0), A | C | D, 0, 0 },
    { "div32_overflow_de", { 0xf7, 0xf1 }, R(0, 1, 1, 0, 0, 0, 0, 0), 0,
      R(0, 1, 1, 0, 0, 0, 0, 0), A | C | D, 0, 0, EXCP_DE, true },
    { "div32_by_zero_de", { 0xf7, 0xf1 }, R(5, 0, 0, 0, 0, 0, 0, 0), 0,
      R(5, 0, 0, 0, 0, 0, 0, 0), A | C | D, 0, 0, EXCP_DE, true },
    { "idiv32_overflow_de", { 0xf7, 0xf9 }, R(0x80000000, 0xffffffff, 0xffffffff, 0, 0, 0, 0, 0),
      0, R(0x80000000, 0xffffffff, 0xffffffff, 0, 0, 0, 0, 0), A | C | D, 0, 0, EXCP_DE, true },
    { "idiv32_truncates", { 0xf7, 0xf9 }, R(0xfffffff9, 2, 0xffffffff, 0, 0, 0, 0, 0), 0,
      R(0xfffffffd, 2, 0xffffffff, 0, 0, 0, 0, 0), A | C | D, 0, 0 },
    { "idiv8", { 0xf6, 0xfb }, R(0xff9c, 0, 0, 7, 0, 0, 0, 0), 0,
      R(0xfef2, 0, 0, 7, 0, 0, 0, 0), A, 0, 0 },
    /* -- bit scans, bit tests, BSWAP -- */
    { "bsf_zero_keeps_dest", { 0x0f, 0xbc, 0xc1 }, R(0x12345678, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x12345678, 0, 0, 0, 0, 0, 0, 0), A, ZF, ZF },
    { "bsf", { 0x0f, 0xbc, 0xc1 }, R(0, 0x80, 0, 0, 0, 0, 0, 0), ZF,
      R(7, 0x80, 0, 0, 0, 0, 0, 0), A, 0, ZF },
    { "bsr", { 0x0f, 0xbd, 0xc1 }, R(0, 0x80000001, 0, 0, 0, 0, 0, 0), ZF,
      R(31, 0x80000001, 0, 0, 0, 0, 0, 0), A, 0, ZF },
    { "bt_reg_imm_mod32_keeps_zf", { 0x0f, 0xba, 0xe0, 0x21 }, R(2, 0, 0, 0, 0, 0, 0, 0), ZF,
      R(2, 0, 0, 0, 0, 0, 0, 0), A, CF | ZF, CF | ZF },
    { "bt_mem_negative_offset", { 0x0f, 0xa3, 0x0e }, R(0, 0xffffffff, 0, 0, 0, 0, 0x100, 0), 0,
      R(0, 0xffffffff, 0, 0, 0, 0, 0x100, 0), C | SI, CF, CF, .mem_off = 0xfc,
      .mem_in = { 0, 0, 0, 0x80 }, .mem_in_len = 4 },
    { "bts_mem_offset35", { 0x0f, 0xab, 0x0e }, R(0, 35, 0, 0, 0, 0, 0x100, 0), CF,
      R(0, 35, 0, 0, 0, 0, 0x100, 0), C, 0, CF, .mem_out_off = 0x104,
      .mem_out = { 0x08, 0, 0, 0 }, .mem_out_len = 4 },
    { "btc_mem_imm", { 0x0f, 0xba, 0x3e, 0x03 }, R(0, 0, 0, 0, 0, 0, 0x100, 0), 0,
      R(0, 0, 0, 0, 0, 0, 0x100, 0), 0, CF, CF, .mem_off = 0x100, .mem_in = { 0x0f },
      .mem_in_len = 1, .mem_out_off = 0x100, .mem_out = { 0x07 }, .mem_out_len = 1 },
    { "bswap", { 0x0f, 0xc8 }, R(0x12345678, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x78563412, 0, 0, 0, 0, 0, 0, 0), A, 0, 0 },
    /* -- CMPXCHG, CMPXCHG8B, XADD -- */
    { "cmpxchg8b_equal", { 0x0f, 0xc7, 0x0e },
      R(0x22222222, 0xcccccccc, 0x11111111, 0xbbbbbbbb, 0, 0, 0x100, 0), 0,
      R(0x22222222, 0xcccccccc, 0x11111111, 0xbbbbbbbb, 0, 0, 0x100, 0), A | D, ZF, ZF | CF,
      .mem_off = 0x100, .mem_in = { 0x22, 0x22, 0x22, 0x22, 0x11, 0x11, 0x11, 0x11 },
      .mem_in_len = 8, .mem_out_off = 0x100,
      .mem_out = { 0xbb, 0xbb, 0xbb, 0xbb, 0xcc, 0xcc, 0xcc, 0xcc }, .mem_out_len = 8 },
    { "cmpxchg8b_differ", { 0x0f, 0xc7, 0x0e }, R(0, 1, 0, 2, 0, 0, 0x100, 0), ZF | CF,
      R(0x44332211, 1, 0x88776655, 2, 0, 0, 0x100, 0), A | D, CF, ZF | CF, .mem_off = 0x100,
      .mem_in = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 }, .mem_in_len = 8,
      .mem_out_off = 0x100, .mem_out = { 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88 },
      .mem_out_len = 8 },
    { "cmpxchg_equal", { 0x0f, 0xb1, 0xcb }, R(7, 9, 0, 7, 0, 0, 0, 0), 0,
      R(7, 9, 0, 9, 0, 0, 0, 0), A | B, ZF | PF, ZF | CF | SF | PF },
    { "cmpxchg_differ", { 0x0f, 0xb1, 0xcb }, R(7, 9, 0, 8, 0, 0, 0, 0), ZF,
      R(8, 9, 0, 8, 0, 0, 0, 0), A | B, CF | SF | AF | PF, ZF | CF | SF | AF | PF },
    { "cmpxchg_acc_is_dest", { 0x0f, 0xb1, 0xc8 }, R(7, 9, 0, 0, 0, 0, 0, 0), 0,
      R(9, 9, 0, 0, 0, 0, 0, 0), A, ZF, ZF },
    { "xadd_same_reg", { 0x0f, 0xc1, 0xc0 }, R(5, 0, 0, 0, 0, 0, 0, 0), 0,
      R(10, 0, 0, 0, 0, 0, 0, 0), A, PF, ZF | CF | PF },
    { "xadd_mem", { 0x0f, 0xc1, 0x0e }, R(0, 0xffffffff, 0, 0, 0, 0, 0x100, 0), 0,
      R(0, 1, 0, 0, 0, 0, 0x100, 0), C, CF | ZF, CF | ZF, .mem_off = 0x100,
      .mem_in = { 1, 0, 0, 0 }, .mem_in_len = 4, .mem_out_off = 0x100, .mem_out = { 0, 0, 0, 0 },
      .mem_out_len = 4 },
    /* -- BCD: SDM DAA/DAS examples, AAA/AAS/AAM/AAD by the pseudo-code -- */
    { "daa_sdm_example", { 0x27 }, R(0xae, 0, 0, 0, 0, 0, 0, 0), OF | SF,
      R(0x14, 0, 0, 0, 0, 0, 0, 0), A, AF | PF | CF, SF | ZF | AF | PF | CF },
    { "das_sdm_example", { 0x2f }, R(0xee, 0, 0, 0, 0, 0, 0, 0), SF | AF | PF | CF,
      R(0x88, 0, 0, 0, 0, 0, 0, 0), A, SF | AF | PF | CF, SF | ZF | AF | PF | CF },
    { "aaa_adjust", { 0x37 }, R(0x0000000b, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x00000101, 0, 0, 0, 0, 0, 0, 0), A, AF | CF, AF | CF },
    { "aaa_no_adjust", { 0x37 }, R(0x12345609, 0, 0, 0, 0, 0, 0, 0), CF,
      R(0x12345609, 0, 0, 0, 0, 0, 0, 0), A, 0, AF | CF },
    { "aas_borrow", { 0x3f }, R(0x0205, 0, 0, 0, 0, 0, 0, 0), AF,
      R(0x000f, 0, 0, 0, 0, 0, 0, 0), A, AF | CF, AF | CF },
    { "aam", { 0xd4, 0x0a }, R(0x3f, 0, 0, 0, 0, 0, 0, 0), ZF,
      R(0x0603, 0, 0, 0, 0, 0, 0, 0), A, PF, ZF | SF | PF },
    { "aam0_de", { 0xd4, 0x00 }, R(0x3f, 0, 0, 0, 0, 0, 0, 0), 0,
      R(0x3f, 0, 0, 0, 0, 0, 0, 0), A, 0, 0, EXCP_DE, true, .len = 2 },
    { "aad", { 0xd5, 0x0a }, R(0x0603, 0, 0, 0, 0, 0, 0, 0), ZF,
      R(0x003f, 0, 0, 0, 0, 0, 0, 0), A, PF, ZF | SF | PF },
    /* -- string instructions -- */
    { "rep_movsb_ecx0", { 0xf3, 0xa4 }, R(0, 0, 0, 0, 0, 0, 0x10, 0x20), 0,
      R(0, 0, 0, 0, 0, 0, 0x10, 0x20), C | SI | DI, 0, 0, .mem_off = 0x10, .mem_in = { 0x55 },
      .mem_in_len = 1, .mem_out_off = 0x20, .mem_out = { 0 }, .mem_out_len = 1 },
    { "repe_cmpsb_ecx0_keeps_flags", { 0xf3, 0xa6 }, R(0, 0, 0, 0, 0, 0, 0x10, 0x20), ZF | CF,
      R(0, 0, 0, 0, 0, 0, 0x10, 0x20), C | SI | DI, ZF | CF, EFLAGS_ARITH_MASK },
    { "rep_movsb_df1", { 0xfd, 0xf3, 0xa4 }, R(0, 3, 0, 0, 0, 0, 0x12, 0x22), 0,
      R(0, 0, 0, 0, 0, 0, 0x0f, 0x1f), C | SI | DI, DF, DF, .mem_off = 0x10,
      .mem_in = { 1, 2, 3 }, .mem_in_len = 3, .mem_out_off = 0x20, .mem_out = { 1, 2, 3 },
      .mem_out_len = 3 },
    { "movsd_df1", { 0xfd, 0xa5 }, R(0, 0, 0, 0, 0, 0, 0x14, 0x24), 0,
      R(0, 0, 0, 0, 0, 0, 0x10, 0x20), SI | DI, 0, 0, .mem_off = 0x14,
      .mem_in = { 1, 2, 3, 4 }, .mem_in_len = 4, .mem_out_off = 0x24,
      .mem_out = { 1, 2, 3, 4 }, .mem_out_len = 4 },
    { "lodsb_a16_wraps_si", { 0x67, 0xac }, R(0, 0, 0, 0, 0, 0, 0x1234ffff, 0), 0,
      R(0x5a, 0, 0, 0, 0, 0, 0x12340000, 0), A | SI, 0, 0, .mem_off = 0xffff,
      .mem_in = { 0x5a }, .mem_in_len = 1 },
    { "rep_movsb_a16_wraps", { 0xf3, 0x67, 0xa4 }, R(0, 0xabcd0002, 0, 0, 0, 0, 0xffff, 0x100), 0,
      R(0, 0xabcd0000, 0, 0, 0, 0, 0x0001, 0x102), C | SI | DI, 0, 0, .mem_off = 0xffff,
      .mem_in = { 0xaa, 0xbb }, .mem_in_len = 2, .mem_out_off = 0x100,
      .mem_out = { 0xaa, 0 }, .mem_out_len = 2 },
    { "repne_scasb_stops_on_match", { 0xf2, 0xae }, R(0x33, 10, 0, 0, 0, 0, 0, 0x100), 0,
      R(0x33, 7, 0, 0, 0, 0, 0, 0x103), A | C | DI, ZF, ZF | CF, .mem_off = 0x100,
      .mem_in = { 0x11, 0x22, 0x33, 0x44 }, .mem_in_len = 4 },
    { "rep_stosd_df1", { 0xfd, 0xf3, 0xab }, R(0x11223344, 2, 0, 0, 0, 0, 0, 0x104), 0,
      R(0x11223344, 0, 0, 0, 0, 0, 0, 0xfc), C | DI, 0, 0, .mem_out_off = 0x100,
      .mem_out = { 0x44, 0x33, 0x22, 0x11, 0x44, 0x33, 0x22, 0x11 }, .mem_out_len = 8 },
    { "xlat", { 0xd7 }, R(0x05, 0, 0, 0x100, 0, 0, 0, 0), 0, R(0x77, 0, 0, 0x100, 0, 0, 0, 0),
      A, 0, 0, .mem_off = 0x105, .mem_in = { 0x77 }, .mem_in_len = 1 },
    /* -- stack -- */
    { "pusha", { 0x60 }, R(1, 2, 3, 4, 0x1000, 6, 7, 8), 0, R(1, 2, 3, 4, 0xfe0, 6, 7, 8),
      0xff, 0, 0, .mem_out_off = 0xfe0,
      .mem_out = { 8, 0, 0, 0, 7, 0, 0, 0, 6, 0, 0, 0, 0x00, 0x10, 0, 0,
                   4, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0 }, .mem_out_len = 32 },
    { "popa_skips_esp", { 0x61 }, R(0, 0, 0, 0, 0xfe0, 0, 0, 0), 0,
      R(1, 2, 3, 4, 0x1000, 6, 7, 8), 0xff, 0, 0, .mem_off = 0xfe0,
      .mem_in = { 8, 0, 0, 0, 7, 0, 0, 0, 6, 0, 0, 0, 0x55, 0x55, 0, 0,
                  4, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0 }, .mem_in_len = 32 },
    { "enter_level2", { 0xc8, 0x08, 0x00, 0x02 }, R(0, 0, 0, 0, 0x1000, 0x2000, 0, 0), 0,
      R(0, 0, 0, 0, 0xfec, 0xffc, 0, 0), SP | BP, 0, 0, .mem_off = 0x1ffc,
      .mem_in = { 0xef, 0xbe, 0xad, 0xde }, .mem_in_len = 4, .mem_out_off = 0xff4,
      .mem_out = { 0xfc, 0x0f, 0, 0, 0xef, 0xbe, 0xad, 0xde, 0x00, 0x20, 0, 0 },
      .mem_out_len = 12 },
    { "leave", { 0xc9 }, R(0, 0, 0, 0, 0x800, 0x1000, 0, 0), 0,
      R(0, 0, 0, 0, 0x1004, 0x12345678, 0, 0), SP | BP, 0, 0, .mem_off = 0x1000,
      .mem_in = { 0x78, 0x56, 0x34, 0x12 }, .mem_in_len = 4 },
    { "pop_mem_esp_base_after_increment", { 0x8f, 0x04, 0x24 }, R(0, 0, 0, 0, 0x1000, 0, 0, 0),
      0, R(0, 0, 0, 0, 0x1004, 0, 0, 0), SP, 0, 0, .mem_off = 0x1000,
      .mem_in = { 0xdd, 0xcc, 0xbb, 0xaa }, .mem_in_len = 4, .mem_out_off = 0x1000,
      .mem_out = { 0xdd, 0xcc, 0xbb, 0xaa, 0xdd, 0xcc, 0xbb, 0xaa }, .mem_out_len = 8 },
    { "push_imm8_sign_extends", { 0x6a, 0xfe }, R(0, 0, 0, 0, 0x1000, 0, 0, 0), 0,
      R(0, 0, 0, 0, 0xffc, 0, 0, 0), SP, 0, 0, .mem_out_off = 0xffc,
      .mem_out = { 0xfe, 0xff, 0xff, 0xff }, .mem_out_len = 4 },
    { "push_imm16", { 0x66, 0x68, 0x34, 0x12 }, R(0, 0, 0, 0, 0x1000, 0, 0, 0), 0,
      R(0, 0, 0, 0, 0xffe, 0, 0, 0), SP, 0, 0, .mem_out_off = 0xffe,
      .mem_out = { 0x34, 0x12 }, .mem_out_len = 2 },
    /* -- control -- */
    { "loop_a16_uses_cx", { 0x67, 0xe2, 0xfd }, R(0, 0x00010003, 0, 0, 0, 0, 0, 0), ZF,
      R(0, 0x00010000, 0, 0, 0, 0, 0, 0), C, ZF, ZF },
    { "bound_in_range", { 0x62, 0x06 }, R(10, 0, 0, 0, 0, 0, 0x100, 0), 0,
      R(10, 0, 0, 0, 0, 0, 0x100, 0), A, 0, 0, .mem_off = 0x100,
      .mem_in = { 0, 0, 0, 0, 10, 0, 0, 0 }, .mem_in_len = 8 },
    { "bound_br", { 0x62, 0x06 }, R(11, 0, 0, 0, 0, 0, 0x100, 0), 0,
      R(11, 0, 0, 0, 0, 0, 0x100, 0), A, 0, 0, EXCP_BR, true, .mem_off = 0x100,
      .mem_in = { 0, 0, 0, 0, 10, 0, 0, 0 }, .mem_in_len = 8 },
    { "bound_signed", { 0x62, 0x06 }, R(0xfffffffe, 0, 0, 0, 0, 0, 0x100, 0), 0,
      R(0xfffffffe, 0, 0, 0, 0, 0, 0x100, 0), A, 0, 0, .mem_off = 0x100,
      .mem_in = { 0xfd, 0xff, 0xff, 0xff, 10, 0, 0, 0 }, .mem_in_len = 8 },
    { "cmovz_taken", { 0x0f, 0x44, 0xc1 }, R(1, 2, 0, 0, 0, 0, 0, 0), ZF,
      R(2, 2, 0, 0, 0, 0, 0, 0), A, ZF, ZF },
    { "cmovz_not_taken", { 0x0f, 0x44, 0xc1 }, R(1, 2, 0, 0, 0, 0, 0, 0), 0,
      R(1, 2, 0, 0, 0, 0, 0, 0), A, 0, ZF },
    { "lock_on_register_ud", { 0xf0, 0x01, 0xc0 }, R(1, 0, 0, 0, 0, 0, 0, 0), 0,
      R(1, 0, 0, 0, 0, 0, 0, 0), A, 0, 0, EXCP_UD, true },
    /* -- flags to and from AH -- */
    { "lahf", { 0x9f }, R(0, 0, 0, 0, 0, 0, 0, 0), SF | ZF | AF | PF | CF | OF,
      R(0xd700, 0, 0, 0, 0, 0, 0, 0), A, 0, 0 },
    { "sahf_keeps_of", { 0x9e }, R(0xd500, 0, 0, 0, 0, 0, 0, 0), OF,
      R(0xd500, 0, 0, 0, 0, 0, 0, 0), A, OF | SF | ZF | AF | PF | CF, EFLAGS_ARITH_MASK },
};

#define NCASES ((int)(sizeof(cases) / sizeof(cases[0])))

static size_t code_len(const IntCase *c)
{
    size_t n = sizeof(c->code);
    if (c->len)
        return c->len;
    while (n > 0 && c->code[n - 1] == 0)
        n--;
    return n;
}

/* Run one case on a fresh CPU; returns the harness for the checks. */
static CpuHarness *run_case(CpuBackendKind bk, const IntCase *c, size_t *len)
{
    CpuHarness *h = harness_new(bk, 4 << 20);
    uint8_t code[20];
    CpuRegs r;

    *len = code_len(c);
    memcpy(code, c->code, *len);
    code[*len] = 0xf4;                                   /* HLT */
    harness_load(h, CODE, code, *len + 1);
    if (c->mem_in_len)
        harness_load(h, DATA + c->mem_off, c->mem_in, c->mem_in_len);
    harness_pm32(h, CODE, 0);
    harness_set_data_seg(h, DATA, 0xfffff);
    cpu_get_regs(h->cpu, &r);
    memcpy(r.gpr, c->in, sizeof(r.gpr));
    if (!r.gpr[CPU_ESP])
        r.gpr[CPU_ESP] = DEFAULT_ESP;
    r.eflags = 0x2 | c->fl_in;
    cpu_set_regs(h->cpu, &r);
    harness_run(h, 100000);
    return h;
}

static void check_case(CpuBackendKind bk, const IntCase *c)
{
    size_t len;
    CpuHarness *h = run_case(bk, c, &len);
    CpuRegs r;
    uint32_t eip, eflags, esp;
    int v = harness_exception(h);

    cpu_get_regs(h->cpu, &r);
    eflags = r.eflags;
    esp = r.gpr[CPU_ESP];
    if (c->excp_set) {
        ck_assert_msg(v == c->excp, "%s: exception %d, expected %d", c->name, v, c->excp);
        harness_excp_frame(h, &eip, &eflags, &esp);
        ck_assert_msg(eip == CODE, "%s: fault at %#x", c->name, eip);
    } else {
        ck_assert_msg(v < 0 && h->last == CPU_RUN_HALTED && r.eip == CODE + len + 1,
                      "%s: ended at eip %#x (exception %d)", c->name, r.eip, v);
    }
    r.gpr[CPU_ESP] = esp;
    for (int i = 0; i < 8; i++)
        if (c->out_mask & (1 << i))
            ck_assert_msg(r.gpr[i] == c->out[i], "%s: reg %d = %#x, expected %#x", c->name, i,
                          r.gpr[i], c->out[i]);
    ck_assert_msg((eflags & c->fl_mask) == c->fl_out, "%s: flags %#x & %#x, expected %#x",
                  c->name, eflags, c->fl_mask, c->fl_out);
    if (c->mem_out_len) {
        uint8_t m[32];
        cpu_read_virt(h->cpu, DATA + c->mem_out_off, m, c->mem_out_len);
        for (int i = 0; i < c->mem_out_len; i++)
            ck_assert_msg(m[i] == c->mem_out[i], "%s: memory +%#x = %#x, expected %#x", c->name,
                          c->mem_out_off + i, m[i], c->mem_out[i]);
    }
    harness_free(h);
}

/* _i runs over backends x cases */
START_TEST(test_cpu_int_cases)
{
    check_case(cpu_test_backend(_i / NCASES), &cases[_i % NCASES]);
}
END_TEST

/* A REP instruction runs in chunks: each execution counts as one
 * instruction and leaves eCX/eDI at an exact intermediate point, so the
 * CPU can stop (and take interrupts) between chunks. */
START_TEST(test_cpu_int_rep_interruptible)
{
    /* rep stosb; hlt */
    static const uint8_t code[] = { 0xf3, 0xaa, 0xf4 };
    CpuHarness *h = harness_new(cpu_test_backend(_i), 4 << 20);
    CpuRegs r;
    uint32_t prev = 5000;
    int steps = 0;
    uint8_t m[2];

    harness_load(h, CODE, code, sizeof(code));
    harness_pm32(h, CODE, 0);
    harness_set_data_seg(h, DATA, 0xfffff);
    cpu_get_regs(h->cpu, &r);
    r.gpr[CPU_ECX] = 5000;
    r.gpr[CPU_EDI] = 0x1000;
    r.gpr[CPU_EAX] = 0xa5;
    cpu_set_regs(h->cpu, &r);
    for (;;) {
        h->last = cpu_run(h->cpu, 1);
        cpu_get_regs(h->cpu, &r);
        if (r.eip != CODE)
            break;
        steps++;
        ck_assert_uint_lt(r.gpr[CPU_ECX], prev);        /* progress each time */
        ck_assert_uint_eq(r.gpr[CPU_EDI] - 0x1000, 5000 - r.gpr[CPU_ECX]);
        prev = r.gpr[CPU_ECX];
    }
    ck_assert_int_gt(steps, 1);
    ck_assert_uint_eq(r.gpr[CPU_ECX], 0);
    ck_assert_uint_eq(r.gpr[CPU_EDI], 0x1000 + 5000);
    cpu_read_virt(h->cpu, DATA + 0x1000 + 4999, m, 2);
    ck_assert_uint_eq(m[0], 0xa5);
    ck_assert_uint_eq(m[1], 0);
    harness_free(h);
}
END_TEST

/* A fault in the middle of REP MOVSB leaves the iterations done visible
 * (SDM Vol. 2 REP: the registers reflect the progress) and EIP at the insn. */
START_TEST(test_cpu_int_rep_fault_midway)
{
    static const uint8_t code[] = { 0xf3, 0xa4, 0xf4 };   /* rep movsb; hlt */
    CpuHarness *h = harness_new(cpu_test_backend(_i), 4 << 20);
    CpuRegs r;
    uint32_t eip, fl, esp;

    harness_load(h, CODE, code, sizeof(code));
    harness_pm32(h, CODE, 0);
    harness_set_data_seg(h, DATA, 0xffff);              /* ES limit 0xffff */
    cpu_get_regs(h->cpu, &r);
    r.gpr[CPU_ECX] = 100;
    r.gpr[CPU_ESI] = 0x100;
    r.gpr[CPU_EDI] = 0xfff0;                            /* 16 bytes fit */
    r.gpr[CPU_ESP] = DEFAULT_ESP;
    cpu_set_regs(h->cpu, &r);
    harness_run(h, 1000);
    ck_assert_int_eq(harness_exception(h), EXCP_GP);
    harness_excp_frame(h, &eip, &fl, &esp);
    ck_assert_uint_eq(eip, CODE);
    cpu_get_regs(h->cpu, &r);
    ck_assert_uint_eq(r.gpr[CPU_ECX], 84);
    ck_assert_uint_eq(r.gpr[CPU_ESI], 0x110);
    ck_assert_uint_eq(r.gpr[CPU_EDI], 0x10000);
    harness_free(h);
}
END_TEST

/* PUSHAD on a 16-bit stack (SS.B = 0): SP wraps at 64 KiB, the upper half
 * of ESP is kept (SDM Vol. 2 PUSHA: StackAddrSize 16). */
START_TEST(test_cpu_int_pushad_stack16_wraps)
{
    static const uint8_t code[] = { 0x60, 0xf4 };        /* pushad; hlt */
    CpuHarness *h = harness_new(cpu_test_backend(_i), 4 << 20);
    CpuRegs r;
    uint32_t m[2];

    harness_load(h, CODE, code, sizeof(code));
    harness_pm32(h, CODE, 0);
    harness_set_data_seg(h, DATA, 0xffff);
    cpu_get_regs(h->cpu, &r);
    r.seg[CPU_SS].attr &= ~0x400;                        /* B = 0 */
    for (int i = 0; i < 8; i++)
        r.gpr[i] = 0x11111111u * (uint32_t)(i + 1);
    r.gpr[CPU_ESP] = 0x12340004;
    cpu_set_regs(h->cpu, &r);
    harness_run(h, 100);
    cpu_get_regs(h->cpu, &r);
    ck_assert_int_eq(h->last, CPU_RUN_HALTED);
    ck_assert_uint_eq(r.gpr[CPU_ESP], 0x1234ffe4);
    cpu_read_virt(h->cpu, DATA, m, 4);                   /* EAX at SP = 0 */
    cpu_read_virt(h->cpu, DATA + 0xfffc, m + 1, 4);      /* then ECX at 0xfffc */
    ck_assert_uint_eq(m[0], 0x11111111);
    ck_assert_uint_eq(m[1], 0x22222222);
    cpu_read_virt(h->cpu, DATA + 0xfff0, m, 4);          /* the original ESP */
    ck_assert_uint_eq(m[0], 0x12340004);
    harness_free(h);
}
END_TEST

TEST_SUITE(cpu_int)
{
    Suite *s = suite_create("cpu_int");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_add_loop_test(tc, test_cpu_int_cases, b * NCASES, (b + 1) * NCASES);
        CPU_TEST(tc, test_cpu_int_rep_interruptible, b);
        CPU_TEST(tc, test_cpu_int_rep_fault_midway, b);
        CPU_TEST(tc, test_cpu_int_pushad_stack16_wraps, b);
    }
    return s;
}
