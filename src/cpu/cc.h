/* cc.h — lazy condition codes.
 *
 * Arithmetic instructions do not compute EFLAGS. They record which
 * operation ran (cc_op) and its inputs/result (cc_dst, cc_src, cc_src2);
 * flags are worked out only when something reads them. The translator knows
 * cc_op statically inside a block and turns most flag reads (Jcc, SETcc,
 * CMOVcc, ADC) into direct comparisons; helpers and unknown states use
 * cc_compute_all()/cc_compute_c().
 *
 * What each group keeps (dst = result; sizes B/W/L/Q = 8/16/32/64 bits):
 *   ADD   src = second operand              (first = dst - src)
 *   ADC   src = second operand, src2 = carry in
 *   SUB   src = second operand              (first = dst + src)  — also CMP
 *   SBB   src = second operand, src2 = borrow in
 *   LOGIC result only: CF = OF = AF = 0
 *   INC   src = CF before the instruction (INC/DEC keep CF)
 *   DEC   src = CF before
 *   SHL   src = value shifted by count-1   (CF = its top bit)
 *   SAR   src = value shifted by count-1   (CF = its low bit) — SHR and SAR
 *   MUL   src = the high half, or 0/1       (CF = OF = src != 0)
 *   EFLAGS  src = the flags themselves (OSZAPC bits)
 *   CLR   all flags known: ZF = PF = 1, others 0 (xor r,r)
 * ORDER CC: the B/W/L/Q variants of a group are consecutive.
 */
#ifndef EMU_CPU_CC_H
#define EMU_CPU_CC_H

#include "base/compiler.h"

typedef enum CcOp {
    CC_OP_DYNAMIC,      /* translation time only: env->cc_op holds the truth */
    CC_OP_EFLAGS,
    CC_OP_CLR,
    CC_OP_ADDB, CC_OP_ADDW, CC_OP_ADDL, CC_OP_ADDQ,
    CC_OP_ADCB, CC_OP_ADCW, CC_OP_ADCL, CC_OP_ADCQ,
    CC_OP_SUBB, CC_OP_SUBW, CC_OP_SUBL, CC_OP_SUBQ,
    CC_OP_SBBB, CC_OP_SBBW, CC_OP_SBBL, CC_OP_SBBQ,
    CC_OP_LOGICB, CC_OP_LOGICW, CC_OP_LOGICL, CC_OP_LOGICQ,
    CC_OP_INCB, CC_OP_INCW, CC_OP_INCL, CC_OP_INCQ,
    CC_OP_DECB, CC_OP_DECW, CC_OP_DECL, CC_OP_DECQ,
    CC_OP_SHLB, CC_OP_SHLW, CC_OP_SHLL, CC_OP_SHLQ,
    CC_OP_SARB, CC_OP_SARW, CC_OP_SARL, CC_OP_SARQ,
    CC_OP_MULB, CC_OP_MULW, CC_OP_MULL, CC_OP_MULQ,
    CC_OP_NB
} CcOp;

/* Operand size index 0..3 (8..64 bits) of a sized cc_op; -1 for others. */
static inline int cc_op_size(CcOp op)
{
    return op >= CC_OP_ADDB ? (int)((op - CC_OP_ADDB) & 3) : -1;
}
/* The B variant of op's group (CC_OP_ADDL -> CC_OP_ADDB). */
static inline CcOp cc_op_group(CcOp op)
{
    return op >= CC_OP_ADDB ? (CcOp)(op - ((op - CC_OP_ADDB) & 3)) : op;
}

/* OSZAPC bits of EFLAGS for a recorded operation. */
uint32_t cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2);
/* Just CF (0 or 1). */
uint32_t cc_compute_c(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2);
const char *cc_op_name(uint32_t cc_op);

#endif
