/* optab_int.c — the integer ISA's rows of the one-byte and 0F opcode maps,
 * in SDM Vol. 2 appendix A notation (see decode.h for the row macros).
 * Rows of other areas live in optab_sys.c, optab_sse.c, optab_x87.c. */
#include "cpu/gen.h"

#define ALU_ROWS(base, mn)                                          \
    [base + 0] = OP2(mn, E,b, G,b, X86_LOCK),                       \
    [base + 1] = OP2(mn, E,v, G,v, X86_LOCK),                       \
    [base + 2] = OP2(mn, G,b, E,b, 0),                              \
    [base + 3] = OP2(mn, G,v, E,v, 0),                              \
    [base + 4] = OP2R(mn, REG,b,X86_R_AX, I,b,0, 0),                \
    [base + 5] = OP2R(mn, REG,v,X86_R_AX, I,z,0, 0)

#define CMP_ROWS(base)                                              \
    [base + 0] = OP2(CMP, E,b, G,b, X86_RO),                        \
    [base + 1] = OP2(CMP, E,v, G,v, X86_RO),                        \
    [base + 2] = OP2(CMP, G,b, E,b, X86_RO),                        \
    [base + 3] = OP2(CMP, G,v, E,v, X86_RO),                        \
    [base + 4] = OP2R(CMP, REG,b,X86_R_AX, I,b,0, X86_RO),          \
    [base + 5] = OP2R(CMP, REG,v,X86_R_AX, I,z,0, X86_RO)

/* Group 1 (80-83): ADD OR ADC SBB AND SUB XOR CMP, by ModRM.reg */
#define GRP1(ks, is, fl)                                                     \
    {                                                                        \
        OP2(ADD, E,ks, I,is, X86_LOCK | fl), OP2(OR, E,ks, I,is, X86_LOCK | fl),   \
        OP2(ADC, E,ks, I,is, X86_LOCK | fl), OP2(SBB, E,ks, I,is, X86_LOCK | fl),  \
        OP2(AND, E,ks, I,is, X86_LOCK | fl), OP2(SUB, E,ks, I,is, X86_LOCK | fl),  \
        OP2(XOR, E,ks, I,is, X86_LOCK | fl), OP2(CMP, E,ks, I,is, X86_RO | fl),    \
    }
static const X86OpEntry grp1_Eb_Ib[8] = GRP1(b, b, 0);
static const X86OpEntry grp1_Ev_Iz[8] = GRP1(v, z, 0);
static const X86OpEntry grp1_Ev_Ib[8] = GRP1(v, b, X86_BYTE_IMM);

/* Group 3 (F6/F7): TEST, -, NOT, NEG, MUL, IMUL, DIV, IDIV */
static const X86OpEntry grp3_Eb[8] = {
    [0] = OP2(TEST, E,b, I,b, X86_RO),
    [2] = OP1(NOT, E,b, X86_LOCK),
    [3] = OP1(NEG, E,b, X86_LOCK),
};
static const X86OpEntry grp3_Ev[8] = {
    [0] = OP2(TEST, E,v, I,z, X86_RO),
    [2] = OP1(NOT, E,v, X86_LOCK),
    [3] = OP1(NEG, E,v, X86_LOCK),
};

/* Group 4 (FE) and group 5 (FF); far CALL/JMP (FF /3, /5) are system rows. */
static const X86OpEntry grp4[8] = {
    [0] = OP1(INC, E,b, X86_LOCK),
    [1] = OP1(DEC, E,b, X86_LOCK),
};
static const X86OpEntry grp5[8] = {
    [0] = OP1(INC, E,v, X86_LOCK),
    [1] = OP1(DEC, E,v, X86_LOCK),
    [2] = OP1(CALL_Ev, E,v, X86_NOWB),
    [4] = OP1(JMP_Ev, E,v, X86_NOWB),
    [6] = OP1(PUSH, E,v, X86_RO),
};

#define Z8(mn, fl) OP1(mn, Z,v, fl), OP1(mn, Z,v, fl), OP1(mn, Z,v, fl), OP1(mn, Z,v, fl), \
                   OP1(mn, Z,v, fl), OP1(mn, Z,v, fl), OP1(mn, Z,v, fl), OP1(mn, Z,v, fl)
#define JCC16(k, s) OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), \
                    OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), \
                    OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), \
                    OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), \
                    OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), OP1(Jcc, k,s, X86_NOWB), \
                    OP1(Jcc, k,s, X86_NOWB)

const X86OpEntry x86_optab_int_1[256] = {
    ALU_ROWS(0x00, ADD),
    ALU_ROWS(0x08, OR),
    ALU_ROWS(0x10, ADC),
    ALU_ROWS(0x18, SBB),
    ALU_ROWS(0x20, AND),
    ALU_ROWS(0x28, SUB),
    ALU_ROWS(0x30, XOR),
    CMP_ROWS(0x38),
    [0x40] = Z8(INC, 0),
    [0x48] = Z8(DEC, 0),
    [0x50] = Z8(PUSH, X86_RO),
    [0x58] = Z8(POP, X86_NOWB),
    [0x70] = JCC16(J, b),
    [0x80] = GROUP(grp1_Eb_Ib),
    [0x81] = GROUP(grp1_Ev_Iz),
    [0x82] = GROUP(grp1_Eb_Ib),     /* 82 aliases 80 outside 64-bit mode */
    [0x83] = GROUP(grp1_Ev_Ib),
    [0x84] = OP2(TEST, E,b, G,b, X86_RO),
    [0x85] = OP2(TEST, E,v, G,v, X86_RO),
    [0x86] = OP2(XCHG, E,b, G,b, X86_LOCK | X86_NOWB),
    [0x87] = OP2(XCHG, E,v, G,v, X86_LOCK | X86_NOWB),
    [0x88] = OP2(MOV, E,b, G,b, X86_WO),
    [0x89] = OP2(MOV, E,v, G,v, X86_WO),
    [0x8a] = OP2(MOV, G,b, E,b, X86_WO),
    [0x8b] = OP2(MOV, G,v, E,v, X86_WO),
    [0x8d] = OP2(LEA, G,v, M,v, X86_WO),
    [0x8f] = OP1(POP, E,v, X86_NOWB | X86_WO),
    [0x90] = OP0(NOP, 0),
    [0x91] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x92] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x93] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x94] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x95] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x96] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x97] = OP2R(XCHG, Z,v,0, REG,v,X86_R_AX, X86_NOWB),
    [0x98] = OP0(CBW, 0),
    [0x99] = OP0(CWD, 0),
    [0xa0] = OP2R(MOV, REG,b,X86_R_AX, O,b,0, X86_WO),
    [0xa1] = OP2R(MOV, REG,v,X86_R_AX, O,v,0, X86_WO),
    [0xa2] = OP2R(MOV, O,b,0, REG,b,X86_R_AX, X86_WO),
    [0xa3] = OP2R(MOV, O,v,0, REG,v,X86_R_AX, X86_WO),
    [0xa8] = OP2R(TEST, REG,b,X86_R_AX, I,b,0, X86_RO),
    [0xa9] = OP2R(TEST, REG,v,X86_R_AX, I,z,0, X86_RO),
    [0xb0] = OP2(MOV, Z,b, I,b, X86_WO), [0xb1] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb2] = OP2(MOV, Z,b, I,b, X86_WO), [0xb3] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb4] = OP2(MOV, Z,b, I,b, X86_WO), [0xb5] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb6] = OP2(MOV, Z,b, I,b, X86_WO), [0xb7] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb8] = OP2(MOV, Z,v, I,v, X86_WO), [0xb9] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xba] = OP2(MOV, Z,v, I,v, X86_WO), [0xbb] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xbc] = OP2(MOV, Z,v, I,v, X86_WO), [0xbd] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xbe] = OP2(MOV, Z,v, I,v, X86_WO), [0xbf] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xc2] = OP1(RET, I,w, X86_NOWB),
    [0xc3] = OP0(RET, X86_NOWB),
    [0xc6] = OP2(MOV, E,b, I,b, X86_WO | X86_MODRM),
    [0xc7] = OP2(MOV, E,v, I,z, X86_WO | X86_MODRM),
    [0xe8] = OP1(CALL, J,z, X86_NOWB),
    [0xe9] = OP1(JMP, J,z, X86_NOWB),
    [0xeb] = OP1(JMP, J,b, X86_NOWB),
    [0xf5] = OP0(CMC, 0),
    [0xf6] = GROUP(grp3_Eb),
    [0xf7] = GROUP(grp3_Ev),
    [0xf8] = OP0(CLC, 0),
    [0xf9] = OP0(STC, 0),
    [0xfc] = OP0(CLD, 0),
    [0xfd] = OP0(STD, 0),
    [0xfe] = GROUP(grp4),
    [0xff] = GROUP(grp5),
};

#define SETCC16 OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), \
                OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), \
                OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), \
                OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), \
                OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), OP1(SETcc, E,b, X86_WO), \
                OP1(SETcc, E,b, X86_WO)

const X86OpEntry x86_optab_int_0f[256] = {
    [0x1f] = OP1(NOP, E,v, X86_RO),     /* multi-byte NOP (SDM NOP: 0F 1F /0) */
    [0x80] = JCC16(J, z),
    [0x90] = SETCC16,
    [0xb6] = OP2(MOVZX, G,v, E,b, X86_WO),
    [0xb7] = OP2(MOVZX, G,v, E,w, X86_WO),
    [0xbe] = OP2(MOVSX, G,v, E,b, X86_WO),
    [0xbf] = OP2(MOVSX, G,v, E,w, X86_WO),
};
