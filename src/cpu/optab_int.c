/* optab_int.c — the integer ISA's rows of the one-byte and 0F opcode maps,
 * in SDM Vol. 2 appendix A notation (see decode.h for the row macros).
 * Rows of other areas live in optab_sys.c, optab_sse.c, optab_x87.c.
 *
 * Left empty on purpose (#UD): D6 (SALC: the brief is #UD), and what other
 * areas own (segment/far/system rows, x87, SSE). */
#include "cpu/gen.h"

/* A three-operand row whose third operand is a fixed register (SHLD Ev,Gv,CL). */
#define OP3R(mn, k0, s0, k1, s1, k2, s2, r2, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, \
      .kind = { X86_KIND_##k0, X86_KIND_##k1, X86_KIND_##k2 }, \
      .size = { X86_SZ_##s0, X86_SZ_##s1, X86_SZ_##s2 }, .reg = { 0, 0, r2 }, .flags = (fl) }

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

/* Group 2 (C0/C1/D0-D3): ROL ROR RCL RCR SHL SHR SAL(=SHL) SAR, by Ib, 1 or CL */
#define GRP2(ks, k1, s1, r1)                                                         \
    {                                                                                \
        OP2R(ROL, E,ks,0, k1,s1,r1, 0), OP2R(ROR, E,ks,0, k1,s1,r1, 0),              \
        OP2R(RCL, E,ks,0, k1,s1,r1, 0), OP2R(RCR, E,ks,0, k1,s1,r1, 0),              \
        OP2R(SHL, E,ks,0, k1,s1,r1, 0), OP2R(SHR, E,ks,0, k1,s1,r1, 0),              \
        OP2R(SHL, E,ks,0, k1,s1,r1, 0), OP2R(SAR, E,ks,0, k1,s1,r1, 0),              \
    }
static const X86OpEntry grp2_Eb_Ib[8] = GRP2(b, I, b, 0);
static const X86OpEntry grp2_Ev_Ib[8] = GRP2(v, I, b, 0);
static const X86OpEntry grp2_Eb_1[8] = GRP2(b, 1, b, 0);
static const X86OpEntry grp2_Ev_1[8] = GRP2(v, 1, b, 0);
static const X86OpEntry grp2_Eb_CL[8] = GRP2(b, REG, b, X86_R_CX);
static const X86OpEntry grp2_Ev_CL[8] = GRP2(v, REG, b, X86_R_CX);

/* Group 3 (F6/F7): TEST, TEST (/1: an alias on Intel CPUs), NOT, NEG, MUL,
 * IMUL, DIV, IDIV */
static const X86OpEntry grp3_Eb[8] = {
    [0] = OP2(TEST, E,b, I,b, X86_RO),
    [1] = OP2(TEST, E,b, I,b, X86_RO),
    [2] = OP1(NOT, E,b, X86_LOCK),
    [3] = OP1(NEG, E,b, X86_LOCK),
    [4] = OP1(MUL, E,b, X86_RO),
    [5] = OP1(IMUL, E,b, X86_RO),
    [6] = OP1(DIV, E,b, X86_RO),
    [7] = OP1(IDIV, E,b, X86_RO),
};
static const X86OpEntry grp3_Ev[8] = {
    [0] = OP2(TEST, E,v, I,z, X86_RO),
    [1] = OP2(TEST, E,v, I,z, X86_RO),
    [2] = OP1(NOT, E,v, X86_LOCK),
    [3] = OP1(NEG, E,v, X86_LOCK),
    [4] = OP1(MUL, E,v, X86_RO),
    [5] = OP1(IMUL, E,v, X86_RO),
    [6] = OP1(DIV, E,v, X86_RO),
    [7] = OP1(IDIV, E,v, X86_RO),
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
    [0x27] = OP0(DAA, 0),
    [0x2f] = OP0(DAS, 0),
    [0x37] = OP0(AAA, 0),
    [0x3f] = OP0(AAS, 0),
    [0x40] = Z8(INC, 0),
    [0x48] = Z8(DEC, 0),
    [0x50] = Z8(PUSH, X86_RO),
    [0x58] = Z8(POP, X86_NOWB),
    [0x60] = OP0(PUSHA, 0),
    [0x61] = OP0(POPA, 0),
    [0x62] = OP2(BOUND, G,v, M,a, X86_RO),
    [0x68] = OP1(PUSH, I,z, X86_RO),
    [0x69] = OP3(IMUL, G,v, E,v, I,z, X86_WO),
    [0x6a] = OP1(PUSH, I,b, X86_RO | X86_BYTE_IMM),
    [0x6b] = OP3(IMUL, G,v, E,v, I,b, X86_WO | X86_BYTE_IMM),
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
    [0x9e] = OP0(SAHF, 0),
    [0x9f] = OP0(LAHF, 0),
    [0xa0] = OP2R(MOV, REG,b,X86_R_AX, O,b,0, X86_WO),
    [0xa1] = OP2R(MOV, REG,v,X86_R_AX, O,v,0, X86_WO),
    [0xa2] = OP2R(MOV, O,b,0, REG,b,X86_R_AX, X86_WO),
    [0xa3] = OP2R(MOV, O,v,0, REG,v,X86_R_AX, X86_WO),
    [0xa4] = OP2(MOVS, Y,b, X,b, X86_REP | X86_NOWB),
    [0xa5] = OP2(MOVS, Y,v, X,v, X86_REP | X86_NOWB),
    [0xa6] = OP2(CMPS, X,b, Y,b, X86_REP | X86_RO),
    [0xa7] = OP2(CMPS, X,v, Y,v, X86_REP | X86_RO),
    [0xa8] = OP2R(TEST, REG,b,X86_R_AX, I,b,0, X86_RO),
    [0xa9] = OP2R(TEST, REG,v,X86_R_AX, I,z,0, X86_RO),
    [0xaa] = OP2R(STOS, Y,b,0, REG,b,X86_R_AX, X86_REP | X86_NOWB),
    [0xab] = OP2R(STOS, Y,v,0, REG,v,X86_R_AX, X86_REP | X86_NOWB),
    [0xac] = OP2R(LODS, REG,b,X86_R_AX, X,b,0, X86_REP | X86_NOWB | X86_WO),
    [0xad] = OP2R(LODS, REG,v,X86_R_AX, X,v,0, X86_REP | X86_NOWB | X86_WO),
    [0xae] = OP2R(SCAS, REG,b,X86_R_AX, Y,b,0, X86_REP | X86_RO),
    [0xaf] = OP2R(SCAS, REG,v,X86_R_AX, Y,v,0, X86_REP | X86_RO),
    [0xb0] = OP2(MOV, Z,b, I,b, X86_WO), [0xb1] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb2] = OP2(MOV, Z,b, I,b, X86_WO), [0xb3] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb4] = OP2(MOV, Z,b, I,b, X86_WO), [0xb5] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb6] = OP2(MOV, Z,b, I,b, X86_WO), [0xb7] = OP2(MOV, Z,b, I,b, X86_WO),
    [0xb8] = OP2(MOV, Z,v, I,v, X86_WO), [0xb9] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xba] = OP2(MOV, Z,v, I,v, X86_WO), [0xbb] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xbc] = OP2(MOV, Z,v, I,v, X86_WO), [0xbd] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xbe] = OP2(MOV, Z,v, I,v, X86_WO), [0xbf] = OP2(MOV, Z,v, I,v, X86_WO),
    [0xc0] = GROUP(grp2_Eb_Ib),
    [0xc1] = GROUP(grp2_Ev_Ib),
    [0xc2] = OP1(RET, I,w, X86_NOWB),
    [0xc3] = OP0(RET, X86_NOWB),
    [0xc6] = OP2(MOV, E,b, I,b, X86_WO | X86_MODRM),
    [0xc7] = OP2(MOV, E,v, I,z, X86_WO | X86_MODRM),
    [0xc8] = OP3(ENTER, NONE,NONE, I,w, I,b, X86_NOWB),
    [0xc9] = OP0(LEAVE, 0),
    [0xd0] = GROUP(grp2_Eb_1),
    [0xd1] = GROUP(grp2_Ev_1),
    [0xd2] = GROUP(grp2_Eb_CL),
    [0xd3] = GROUP(grp2_Ev_CL),
    [0xd4] = OP1(AAM, I,b, X86_NOWB),
    [0xd5] = OP1(AAD, I,b, X86_NOWB),
    [0xd7] = OP0(XLAT, 0),
    [0xe0] = OP1(LOOPNE, J,b, X86_NOWB),
    [0xe1] = OP1(LOOPE, J,b, X86_NOWB),
    [0xe2] = OP1(LOOP, J,b, X86_NOWB),
    [0xe3] = OP1(JCXZ, J,b, X86_NOWB),
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

#define CMOV16 OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), \
               OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), \
               OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), \
               OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), \
               OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), OP2(CMOVcc, G,v, E,v, 0), \
               OP2(CMOVcc, G,v, E,v, 0)

/* BT* Ev,Gv: the memory forms (M) address the bit string themselves (gen_bits.c). */
#define BT_BY_MOD(mn, mfl, rfl) { OP2(mn, M,v, G,v, mfl), OP2(mn, E,v, G,v, rfl) }
static const X86OpEntry bt_Ev_Gv[2] = BT_BY_MOD(BT, X86_RO, X86_RO);
static const X86OpEntry bts_Ev_Gv[2] = BT_BY_MOD(BTS, X86_LOCK, 0);
static const X86OpEntry btr_Ev_Gv[2] = BT_BY_MOD(BTR, X86_LOCK, 0);
static const X86OpEntry btc_Ev_Gv[2] = BT_BY_MOD(BTC, X86_LOCK, 0);

/* Group 8 (0F BA): BT BTS BTR BTC Ev, Ib at /4-/7 */
static const X86OpEntry grp8[8] = {
    [4] = OP2(BT, E,v, I,b, X86_RO),
    [5] = OP2(BTS, E,v, I,b, X86_LOCK),
    [6] = OP2(BTR, E,v, I,b, X86_LOCK),
    [7] = OP2(BTC, E,v, I,b, X86_LOCK),
};

/* Group 9 (0F C7): CMPXCHG8B Mq at /1 */
static const X86OpEntry grp9[8] = {
    [1] = OP1(CMPXCHG8B, M,q, X86_LOCK | X86_NOWB),
};

#define BSWAP8 OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0), \
               OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0), OP1(BSWAP, Z,v, 0)

static const X86OpEntry nop_0f1f[2] = {
    OP1(NOP, M,v, 0),                   /* the address is decoded, never accessed */
    OP1(NOP, R,v, 0),
};

const X86OpEntry x86_optab_int_0f[256] = {
    [0x1f] = BY_MOD(nop_0f1f),          /* multi-byte NOP (SDM NOP: 0F 1F /0): no access */
    [0x40] = CMOV16,
    [0x80] = JCC16(J, z),
    [0x90] = SETCC16,
    [0xa3] = BY_MOD(bt_Ev_Gv),
    [0xa4] = OP3(SHLD, E,v, G,v, I,b, 0),
    [0xa5] = OP3R(SHLD, E,v, G,v, REG,b,X86_R_CX, 0),
    [0xab] = BY_MOD(bts_Ev_Gv),
    [0xac] = OP3(SHRD, E,v, G,v, I,b, 0),
    [0xad] = OP3R(SHRD, E,v, G,v, REG,b,X86_R_CX, 0),
    [0xaf] = OP2(IMUL, G,v, E,v, 0),
    [0xb0] = OP2(CMPXCHG, E,b, G,b, X86_LOCK | X86_NOWB),
    [0xb1] = OP2(CMPXCHG, E,v, G,v, X86_LOCK | X86_NOWB),
    [0xb3] = BY_MOD(btr_Ev_Gv),
    [0xba] = GROUP(grp8),
    [0xbb] = BY_MOD(btc_Ev_Gv),
    [0xbc] = OP2(BSF, G,v, E,v, 0),
    [0xbd] = OP2(BSR, G,v, E,v, 0),
    [0xc0] = OP2(XADD, E,b, G,b, X86_LOCK | X86_NOWB),
    [0xc1] = OP2(XADD, E,v, G,v, X86_LOCK | X86_NOWB),
    [0xc7] = GROUP(grp9),
    [0xc8] = BSWAP8,
    [0xb6] = OP2(MOVZX, G,v, E,b, X86_WO),
    [0xb7] = OP2(MOVZX, G,v, E,w, X86_WO),
    [0xbe] = OP2(MOVSX, G,v, E,b, X86_WO),
    [0xbf] = OP2(MOVSX, G,v, E,w, X86_WO),
};
