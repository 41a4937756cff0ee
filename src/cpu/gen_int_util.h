/* gen_int_util.h — small IR building blocks shared by the integer ISA's
 * gen_*.c files (not part of the gen function list in gen_int.h).
 *
 * Flags whose update depends on a run-time count (shifts and rotates by CL:
 * a masked count of 0 leaves every flag alone, SDM Vol. 2 SAL/SAR/SHL/SHR)
 * are committed as CC_OP_EFLAGS, choosing between the old and new flags
 * with a movcond — never by writing the cc globals early, which would break
 * precise exceptions on the memory writeback.
 */
#ifndef EMU_CPU_GEN_INT_UTIL_H
#define EMU_CPU_GEN_INT_UTIL_H

#include "cpu/gen.h"

/* Bit mask of an operand size (0xff, 0xffff, 0xffffffff). */
static inline uint32_t ot_mask(int ot) { return ot >= MO_32 ? 0xffffffffu : (1u << (8 << ot)) - 1; }
static inline uint32_t ot_sign(int ot) { return 1u << ((8 << ot) - 1); }

/* A source value that outlives the instruction's register writes (flags
 * are committed after the writeback): copy guest register globals. */
static inline IrTemp gen_keep(DisasContext *s, IrTemp t)
{
    IrTemp c;
    if (!ir_temp_is_global(s->f, t))
        return t;
    c = gen_tmp(s);
    ir_mov(s->f, IR_I32, c, t);
    return c;
}

/* Materialised OSZAPC flags of (cc_op, dst, src) computed at run time. */
IrTemp gen_cc_flags_of(DisasContext *s, int cc_op, IrTemp dst, IrTemp src);
/* Flags = count == 0 ? flags before the instruction : new_flags (CC_OP_EFLAGS). */
void gen_cc_unless_zero(DisasContext *s, X86Insn *d, IrTemp count, IrTemp new_flags);
/* The stack pointer's width (SS.B) and eSP after adding `delta`, wrapped to it. */
static inline int stack_ot(const DisasContext *s) { return s->ss32 ? MO_32 : MO_16; }
/* Linear address of a string operand: seg:[reg] with the address size. */
IrTemp gen_str_addr(DisasContext *s, int seg, int reg, int aflag, unsigned size, bool write);



/* -- Shared with helpers_int.c -- */

/* rep_string's descriptor: operand size, address size, source segment, kind, REPNE. */
enum { REP_MOVS, REP_CMPS, REP_STOS, REP_LODS, REP_SCAS };
#define REP_DESC(ot, a32, seg, kind, repnz) \
    ((uint32_t)(ot) | (uint32_t)(a32) << 2 | (uint32_t)(seg) << 4 | (uint32_t)(kind) << 8 | \
     (uint32_t)(repnz) << 12)
/* Iterations one execution of a REP instruction may do before it is
 * re-executed (bounds the time between interrupt checks). */
#define REP_CHUNK 1024

/* helper_bcd's operations */
enum { BCD_DAA, BCD_DAS, BCD_AAA, BCD_AAS };
#endif
