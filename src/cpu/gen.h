/* gen.h — every gen_MNEMONIC() the opcode maps name: one function per
 * instruction, declared in the area's gen_<area>.h and defined in its
 * gen_*.c files. */
#ifndef EMU_CPU_GEN_H
#define EMU_CPU_GEN_H

#include "cpu/translate.h"

#define GEN(mn) X86GenFn gen_##mn;
#include "cpu/gen_int.h"
#include "cpu/gen_sys.h"
#include "cpu/gen_sse.h"
#include "cpu/gen_x87.h"
#undef GEN

/* The 16 Jcc/SETcc/CMOVcc condition numbers come from the opcode's low nibble. */
static inline int insn_cc(const X86Insn *d) { return (int)(d->opcode & 0xf); }

#endif
