/* optab_sys.c — system instructions' rows of the opcode maps (decode.h), in
 * SDM Vol. 2 appendix A notation. Group 7 (0F 01) register forms (MONITOR,
 * MWAIT, SWAPGS, RDTSCP...) and SYSCALL/SYSRET are not offered by this CPU:
 * their rows are empty, which is #UD.
 */
#include "cpu/gen.h"

#define NO_PM_ONLY (X86_NO_REAL | X86_NO_V86)   /* #UD in real and V86 mode */
#define SEG_WO (X86_WO | X86_NOWB)

/* Group 5 (FF): the far forms; the integer area has the others. */
static const X86OpEntry grp5_far[8] = {
    [3] = OP1(CALLF, M,p, X86_NOWB),
    [5] = OP1(JMPF, M,p, X86_NOWB),
};

const X86OpEntry x86_optab_sys_1[256] = {
    [0x06] = OP1R(PUSH_Sreg, SEG,w,CPU_ES, X86_RO),
    [0x07] = OP1R(POP_Sreg, SEG,w,CPU_ES, SEG_WO),
    [0x0e] = OP1R(PUSH_Sreg, SEG,w,CPU_CS, X86_RO),
    [0x16] = OP1R(PUSH_Sreg, SEG,w,CPU_SS, X86_RO),
    [0x17] = OP1R(POP_Sreg, SEG,w,CPU_SS, SEG_WO),
    [0x1e] = OP1R(PUSH_Sreg, SEG,w,CPU_DS, X86_RO),
    [0x1f] = OP1R(POP_Sreg, SEG,w,CPU_DS, SEG_WO),
    [0x63] = OP2(ARPL, E,w, G,w, NO_PM_ONLY),
    [0x6c] = OP2R(INS, Y,b,0, REG,w,X86_R_DX, X86_REP | X86_NOWB),
    [0x6d] = OP2R(INS, Y,v,0, REG,w,X86_R_DX, X86_REP | X86_NOWB),
    [0x6e] = OP2R(OUTS, REG,w,X86_R_DX, X,b,0, X86_REP | X86_NOWB),
    [0x6f] = OP2R(OUTS, REG,w,X86_R_DX, X,v,0, X86_REP | X86_NOWB),
    [0x8c] = OP2(MOV_EwSw, E,w, S,w, SEG_WO),
    [0x8e] = OP2(MOV_SwEw, S,w, E,w, SEG_WO),
    [0x9a] = OP1(CALLF, A,p, X86_NOWB),
    [0x9c] = OP0(PUSHF, 0),
    [0x9d] = OP0(POPF, X86_NOWB),
    [0xc4] = OP2(LES, G,v, M,p, SEG_WO),
    [0xc5] = OP2(LDS, G,v, M,p, SEG_WO),
    [0xca] = OP1(RETF, I,w, X86_NOWB),
    [0xcb] = OP0(RETF, X86_NOWB),
    [0xcc] = OP0(INT3, X86_NOWB),
    [0xcd] = OP1(INT, I,b, X86_NOWB),
    [0xce] = OP0(INTO, X86_NOWB),
    [0xcf] = OP0(IRET, X86_NOWB),
    [0xe4] = OP2R(IN, REG,b,X86_R_AX, I,b,0, X86_WO),
    [0xe5] = OP2R(IN, REG,v,X86_R_AX, I,b,0, X86_WO),
    [0xe6] = OP2R(OUT, I,b,0, REG,b,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xe7] = OP2R(OUT, I,b,0, REG,v,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xea] = OP1(JMPF, A,p, X86_NOWB),
    [0xec] = OP2R(IN, REG,b,X86_R_AX, REG,w,X86_R_DX, X86_WO),
    [0xed] = OP2R(IN, REG,v,X86_R_AX, REG,w,X86_R_DX, X86_WO),
    [0xee] = OP2R(OUT, REG,w,X86_R_DX, REG,b,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xef] = OP2R(OUT, REG,w,X86_R_DX, REG,v,X86_R_AX, X86_NOWB | X86_END_TB),
    [0xf1] = OP0(INT1, X86_NOWB),
    [0xf4] = OP0(HLT, X86_NOWB),
    [0xfa] = OP0(CLI, 0),
    [0xfb] = OP0(STI, 0),
    [0xff] = GROUP(grp5_far),
};

/* Group 6 (0F 00): LDTR, TR, pointer verification. */
static const X86OpEntry grp6[8] = {
    [0] = OP1(SLDT, E,w, NO_PM_ONLY | SEG_WO),
    [1] = OP1(STR, E,w, NO_PM_ONLY | SEG_WO),
    [2] = OP1(LLDT, E,w, NO_PM_ONLY | X86_PRIV | X86_RO),
    [3] = OP1(LTR, E,w, NO_PM_ONLY | X86_PRIV | X86_RO),
    [4] = OP1(VERR, E,w, NO_PM_ONLY | X86_RO),
    [5] = OP1(VERW, E,w, NO_PM_ONLY | X86_RO),
};

/* Group 7 (0F 01): descriptor-table registers, MSW, INVLPG (memory forms). */
static const X86OpEntry grp7[8] = {
    [0] = OP1(SGDT, M,s, X86_NOWB),
    [1] = OP1(SIDT, M,s, X86_NOWB),
    [2] = OP1(LGDT, M,s, X86_PRIV | X86_NOWB),
    [3] = OP1(LIDT, M,s, X86_PRIV | X86_NOWB),
    [4] = OP1(SMSW, E,w, SEG_WO),
    [6] = OP1(LMSW, E,w, X86_PRIV | X86_RO),
    [7] = OP1(INVLPG, M,b, X86_PRIV | X86_NOWB),
};

/* Group 15 (0F AE): CLFLUSH is the memory form of /7; the rest is SSE's. */
static const X86OpEntry grp15_7[2] = {
    [0] = OP1(CLFLUSH, M,b, X86_NOWB),
};
static const X86OpEntry grp15[8] = {
    [7] = BY_MOD(grp15_7),
};

const X86OpEntry x86_optab_sys_0f[256] = {
    [0x00] = GROUP(grp6),
    [0x01] = GROUP(grp7),
    [0x02] = OP2(LAR, G,v, E,w, NO_PM_ONLY | X86_NOWB),
    [0x03] = OP2(LSL, G,v, E,w, NO_PM_ONLY | X86_NOWB),
    [0x06] = OP0(CLTS, X86_PRIV),
    [0x08] = OP0(INVD, X86_PRIV),
    [0x09] = OP0(WBINVD, X86_PRIV),
    [0x0b] = OP0(UD2, 0),
    [0x20] = OP2(MOV_RdCd, R,d, C,d, X86_PRIV | X86_WO),
    [0x21] = OP2(MOV_RdDd, R,d, D,d, X86_PRIV | X86_WO),
    [0x22] = OP2(MOV_CdRd, C,d, R,d, X86_PRIV | X86_NOWB),
    [0x23] = OP2(MOV_DdRd, D,d, R,d, X86_PRIV | X86_NOWB),
    [0x30] = OP0(WRMSR, X86_PRIV),
    [0x31] = OP0(RDTSC, 0),
    [0x32] = OP0(RDMSR, X86_PRIV),
    [0x33] = OP0(RDPMC, 0),
    [0x34] = OP0(SYSENTER, 0),
    [0x35] = OP0(SYSEXIT, 0),
    [0xa0] = OP1R(PUSH_Sreg, SEG,w,CPU_FS, X86_RO),
    [0xa1] = OP1R(POP_Sreg, SEG,w,CPU_FS, SEG_WO),
    [0xa2] = OP0(CPUID, 0),
    [0xa8] = OP1R(PUSH_Sreg, SEG,w,CPU_GS, X86_RO),
    [0xa9] = OP1R(POP_Sreg, SEG,w,CPU_GS, SEG_WO),
    [0xae] = GROUP(grp15),
    [0xb2] = OP2(LSS, G,v, M,p, SEG_WO),
    [0xb4] = OP2(LFS, G,v, M,p, SEG_WO),
    [0xb5] = OP2(LGS, G,v, M,p, SEG_WO),
};
