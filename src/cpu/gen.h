/* gen.h — every gen_MNEMONIC() the opcode maps name (one per instruction,
 * defined in the area's gen_*.c files). */
#ifndef EMU_CPU_GEN_H
#define EMU_CPU_GEN_H

#include "cpu/translate.h"

#define GEN(mn) X86GenFn gen_##mn;
/* Integer ISA (gen_alu.c, gen_move.c, gen_branch.c, ...) */
GEN(ADD) GEN(OR) GEN(ADC) GEN(SBB) GEN(AND) GEN(SUB) GEN(XOR) GEN(CMP) GEN(TEST)
GEN(INC) GEN(DEC) GEN(NEG) GEN(NOT)
GEN(MOV) GEN(MOVZX) GEN(MOVSX) GEN(LEA) GEN(XCHG) GEN(NOP) GEN(CBW) GEN(CWD)
GEN(PUSH) GEN(POP)
GEN(JMP) GEN(Jcc) GEN(CALL) GEN(RET) GEN(JMP_Ev) GEN(CALL_Ev) GEN(SETcc)
GEN(CLC) GEN(STC) GEN(CMC) GEN(CLD) GEN(STD)
/* System (gen_sys.c, ...) */
GEN(HLT) GEN(CLI) GEN(STI) GEN(IN) GEN(OUT)
#undef GEN

/* The 16 Jcc/SETcc/CMOVcc condition numbers come from the opcode's low nibble. */
static inline int insn_cc(const X86Insn *d) { return (int)(d->opcode & 0xf); }

#endif
