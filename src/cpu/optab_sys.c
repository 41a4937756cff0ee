/* optab_sys.c — system instructions' rows of the opcode maps (decode.h). */
#include "cpu/gen.h"

const X86OpEntry x86_optab_sys_1[256] = {
    [0xe4] = OP2R(IN, REG,b,X86_R_AX, I,b,0, X86_WO),
    [0xe5] = OP2R(IN, REG,v,X86_R_AX, I,b,0, X86_WO),
    [0xe6] = OP2R(OUT, I,b,0, REG,b,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xe7] = OP2R(OUT, I,b,0, REG,v,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xec] = OP2R(IN, REG,b,X86_R_AX, REG,w,X86_R_DX, X86_WO),
    [0xed] = OP2R(IN, REG,v,X86_R_AX, REG,w,X86_R_DX, X86_WO),
    [0xee] = OP2R(OUT, REG,w,X86_R_DX, REG,b,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xef] = OP2R(OUT, REG,w,X86_R_DX, REG,v,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xf4] = OP0(HLT, X86_NOWB),
    [0xfa] = OP0(CLI, 0),
    [0xfb] = OP0(STI, 0),
};

const X86OpEntry x86_optab_sys_0f[256] = {
    [0] = { 0 },
};
