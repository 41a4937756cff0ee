/* emit.h — x86-64 instruction encodings and the byte emitter.
 *
 * An opcode is a named constant: the opcode byte with prefix bits above it
 * (OPC_MOVZBL | P_REXW). emit_opc() turns the bits into legacy prefixes, a
 * REX prefix and the opcode bytes; emit_rr()/emit_rm() add ModRM, SIB and
 * displacement. Encodings: Intel SDM Vol. 2, chapter 2 (ModRM, SIB, REX) and
 * the instruction pages. To add an instruction: one OPC_ constant (and an
 * extension number for group opcodes), then the generic emitters.
 *
 * Code is written through the RW view of the code buffer (Asm.p) while
 * addresses (branch targets, return addresses) are those of the RX view:
 * asm_rx() converts. Emitters never check for room; the driver keeps a
 * margin per IR op.
 */
#ifndef EMU_TCG_X86_64_EMIT_H
#define EMU_TCG_X86_64_EMIT_H

#include "base/compiler.h"

typedef enum HostReg {
    R_RAX, R_RCX, R_RDX, R_RBX, R_RSP, R_RBP, R_RSI, R_RDI,
    R_R8, R_R9, R_R10, R_R11, R_R12, R_R13, R_R14, R_R15,
    R_NONE = -1,
} HostReg;

/* Prefix bits above the opcode byte. */
enum {
    P_EXT = 0x100,          /* 0x0f escape */
    P_DATA16 = 0x400,       /* 0x66: 16-bit operand */
    P_SIMDF3 = 0x800,       /* 0xf3 mandatory prefix (lzcnt, tzcnt, popcnt) */
    P_REXW = 0x1000,        /* REX.W: 64-bit operand */
    P_REXB_R = 0x2000,      /* ModRM.reg is a byte register: REX for spl..dil */
    P_REXB_RM = 0x4000,     /* ModRM.rm is a byte register */
};

enum {
    OPC_ARITH_EvIz = 0x81,
    OPC_ARITH_EvIb = 0x83,
    OPC_ARITH_GvEv = 0x03,          /* + (ext << 3): add r, r/m; cmp r, r/m ... */
    OPC_BSF = 0xbc | P_EXT,
    OPC_BSR = 0xbd | P_EXT,
    OPC_BSWAP = 0xc8 | P_EXT,
    OPC_CALL_Jz = 0xe8,
    OPC_CMOVCC = 0x40 | P_EXT,      /* + condition */
    OPC_GRP3_Ev = 0xf7,
    OPC_GRP5 = 0xff,
    OPC_IMUL_GvEv = 0xaf | P_EXT,
    OPC_IMUL_GvEvIz = 0x69,
    OPC_IMUL_GvEvIb = 0x6b,
    OPC_JCC_long = 0x80 | P_EXT,    /* + condition */
    OPC_JCC_short = 0x70,
    OPC_JMP_long = 0xe9,
    OPC_JMP_short = 0xeb,
    OPC_LEA = 0x8d,
    OPC_LZCNT = 0xbd | P_EXT | P_SIMDF3,
    OPC_MOVB_EvGv = 0x88 | P_REXB_R,
    OPC_MOVB_EvIb = 0xc6,
    OPC_MOVL_EvGv = 0x89,
    OPC_MOVL_GvEv = 0x8b,
    OPC_MOVL_EvIz = 0xc7,
    OPC_MOVL_Iv = 0xb8,             /* + register */
    OPC_MOVSBL = 0xbe | P_EXT | P_REXB_RM,
    OPC_MOVSWL = 0xbf | P_EXT,
    OPC_MOVSLQ = 0x63 | P_REXW,
    OPC_MOVZBL = 0xb6 | P_EXT | P_REXB_RM,
    OPC_MOVZWL = 0xb7 | P_EXT,
    OPC_POP_r32 = 0x58,             /* + register */
    OPC_POPCNT = 0xb8 | P_EXT | P_SIMDF3,
    OPC_PUSH_r32 = 0x50,            /* + register */
    OPC_RET = 0xc3,
    OPC_SETCC = 0x90 | P_EXT | P_REXB_RM,   /* + condition */
    OPC_SHIFT_1 = 0xd1,
    OPC_SHIFT_Ib = 0xc1,
    OPC_SHIFT_cl = 0xd3,
    OPC_TESTL = 0x85,
    OPC_TESTi = 0xf7,               /* /0 id */
    OPC_TZCNT = 0xbc | P_EXT | P_SIMDF3,
    OPC_UD2 = 0x0b | P_EXT,
};

/* Group extensions (ModRM.reg) */
enum { ARITH_ADD = 0, ARITH_OR = 1, ARITH_AND = 4, ARITH_SUB = 5, ARITH_XOR = 6, ARITH_CMP = 7 };
enum { SHIFT_ROL = 0, SHIFT_ROR = 1, SHIFT_SHL = 4, SHIFT_SHR = 5, SHIFT_SAR = 7 };
enum { EXT3_NOT = 2, EXT3_NEG = 3, EXT3_MUL = 4, EXT3_IMUL = 5 };
enum { EXT5_CALLN_Ev = 2, EXT5_JMPN_Ev = 4 };

/* Condition codes (SDM Vol. 1 B.1) */
enum {
    JCC_JO = 0x0, JCC_JB = 0x2, JCC_JAE = 0x3, JCC_JE = 0x4, JCC_JNE = 0x5, JCC_JBE = 0x6,
    JCC_JA = 0x7, JCC_JS = 0x8, JCC_JL = 0xc, JCC_JGE = 0xd, JCC_JLE = 0xe, JCC_JG = 0xf,
};

typedef struct Asm {
    uint8_t *p;             /* next byte, in the RW view */
    uint8_t *end;           /* end of the buffer (RW view) */
    intptr_t rx_delta;      /* RX address = RW address + rx_delta */
} Asm;

static inline uintptr_t asm_rx(const Asm *a, const uint8_t *rw) { return (uintptr_t)rw + a->rx_delta; }
static inline uintptr_t asm_rx_here(const Asm *a) { return asm_rx(a, a->p); }

static inline void emit8(Asm *a, uint8_t v) { *a->p++ = v; }
static inline void emit16(Asm *a, uint16_t v) { st16(a->p, v); a->p += 2; }
static inline void emit32(Asm *a, uint32_t v) { st32(a->p, v); a->p += 4; }
static inline void emit64(Asm *a, uint64_t v) { st64(a->p, v); a->p += 8; }

static inline bool fits_i8(int64_t v) { return v == (int8_t)v; }
static inline bool fits_i32(int64_t v) { return v == (int32_t)v; }

/* Prefixes, REX and opcode bytes; r, rm, x are the registers that go into
 * ModRM.reg, ModRM.rm/SIB.base and SIB.index (0 when unused). */
static inline void emit_opc(Asm *a, int opc, int r, int rm, int x)
{
    int rex = 0;
    if (opc & P_DATA16)
        emit8(a, 0x66);
    if (opc & P_SIMDF3)
        emit8(a, 0xf3);
    rex |= (opc & P_REXW) ? 8 : 0;
    rex |= (r & 8) >> 1;
    rex |= (x & 8) >> 2;
    rex |= (rm & 8) >> 3;
    /* spl, bpl, sil, dil exist as byte registers only with a REX prefix */
    if (((opc & P_REXB_R) && r >= 4) || ((opc & P_REXB_RM) && rm >= 4))
        rex |= 0x40;
    if (rex)
        emit8(a, (uint8_t)(0x40 | rex));
    if (opc & P_EXT)
        emit8(a, 0x0f);
    emit8(a, (uint8_t)opc);
}

/* Register-direct operand: ModRM.mod = 3. */
static inline void emit_rr(Asm *a, int opc, int r, int rm)
{
    emit_opc(a, opc, r, rm, 0);
    emit8(a, (uint8_t)(0xc0 | (r & 7) << 3 | (rm & 7)));
}

/* Memory operand [base + index << shift + disp]; index R_NONE for none. */
static inline void emit_rm_sib(Asm *a, int opc, int r, int base, int index, int shift, int32_t disp)
{
    int mod = disp == 0 && (base & 7) != R_RBP ? 0 : fits_i8(disp) ? 1 : 2;
    if (index == R_NONE && (base & 7) != R_RSP) {
        emit_opc(a, opc, r, base, 0);
        emit8(a, (uint8_t)(mod << 6 | (r & 7) << 3 | (base & 7)));
    } else {
        int idx = index == R_NONE ? R_RSP : index;     /* SIB.index 100: none */
        emit_opc(a, opc, r, base, index == R_NONE ? 0 : index);
        emit8(a, (uint8_t)(mod << 6 | (r & 7) << 3 | 4));
        emit8(a, (uint8_t)(shift << 6 | (idx & 7) << 3 | (base & 7)));
    }
    if (mod == 1)
        emit8(a, (uint8_t)disp);
    else if (mod == 2)
        emit32(a, (uint32_t)disp);
}

static inline void emit_rm(Asm *a, int opc, int r, int base, int32_t disp)
{
    emit_rm_sib(a, opc, r, base, R_NONE, 0, disp);
}

/* [rip + disp] addressing a RX address. */
static inline void emit_rm_rip(Asm *a, int opc, int r, uintptr_t target)
{
    emit_opc(a, opc, r, 0, 0);
    emit8(a, (uint8_t)(((r & 7) << 3) | 5));
    emit32(a, (uint32_t)(int32_t)(target - (asm_rx_here(a) + 4)));
}

/* -- Small helpers ---------------------------------------------------------- */

static inline void emit_mov_rr(Asm *a, int rexw, int dst, int src)
{
    if (dst != src || !rexw)
        emit_rr(a, OPC_MOVL_GvEv | rexw, dst, src);
}

/* Load a constant without touching the flags. */
static inline void emit_movi(Asm *a, int reg, uint64_t v)
{
    if (v == (uint32_t)v) {
        emit_opc(a, OPC_MOVL_Iv + (reg & 7), 0, reg, 0);    /* zero-extends */
        emit32(a, (uint32_t)v);
    } else if (fits_i32((int64_t)v)) {
        emit_rr(a, OPC_MOVL_EvIz | P_REXW, 0, reg);
        emit32(a, (uint32_t)v);
    } else {
        emit_opc(a, (OPC_MOVL_Iv + (reg & 7)) | P_REXW, 0, reg, 0);
        emit64(a, v);
    }
}

/* op reg, imm with the ARITH_* extension; imm as a 32-bit immediate. */
static inline void emit_arithi(Asm *a, int rexw, int ext, int reg, int32_t imm)
{
    if (fits_i8(imm)) {
        emit_rr(a, OPC_ARITH_EvIb | rexw, ext, reg);
        emit8(a, (uint8_t)imm);
    } else {
        emit_rr(a, OPC_ARITH_EvIz | rexw, ext, reg);
        emit32(a, (uint32_t)imm);
    }
}

static inline void emit_arith_rr(Asm *a, int rexw, int ext, int dst, int src)
{
    emit_rr(a, (OPC_ARITH_GvEv + (ext << 3)) | rexw, dst, src);
}

static inline void emit_shifti(Asm *a, int rexw, int ext, int reg, int count)
{
    if (count == 1) {
        emit_rr(a, OPC_SHIFT_1 | rexw, ext, reg);
    } else {
        emit_rr(a, OPC_SHIFT_Ib | rexw, ext, reg);
        emit8(a, (uint8_t)count);
    }
}

static inline void emit_push(Asm *a, int reg) { emit_opc(a, OPC_PUSH_r32 + (reg & 7), 0, reg, 0); }
static inline void emit_pop(Asm *a, int reg) { emit_opc(a, OPC_POP_r32 + (reg & 7), 0, reg, 0); }

/* jmp/jcc rel32 to a known RX address. */
static inline void emit_jmp_to(Asm *a, uintptr_t target)
{
    emit8(a, OPC_JMP_long);
    emit32(a, (uint32_t)(int32_t)(target - (asm_rx_here(a) + 4)));
}

/* jcc rel32 with a placeholder; returns where the rel32 lives (RW view). */
static inline uint8_t *emit_jcc_fwd(Asm *a, int cond)
{
    emit_opc(a, OPC_JCC_long + cond, 0, 0, 0);
    emit32(a, 0);
    return a->p - 4;
}

/* Point the rel32 at `field` to the RX address `target`. */
static inline void patch_rel32(const Asm *a, uint8_t *field, uintptr_t target)
{
    st32(field, (uint32_t)(int32_t)(target - (asm_rx(a, field) + 4)));
}

/* call to a C function: rel32 when in reach, else through rax (never an
 * argument register, and clobbered by the call anyway). */
static inline void emit_callfn(Asm *a, const void *fn)
{
    intptr_t rel = (intptr_t)fn - (intptr_t)(asm_rx_here(a) + 5);
    if (fits_i32(rel)) {
        emit8(a, OPC_CALL_Jz);
        emit32(a, (uint32_t)rel);
    } else {
        emit_movi(a, R_RAX, (uintptr_t)fn);
        emit_rr(a, OPC_GRP5, EXT5_CALLN_Ev, R_RAX);
    }
}

#endif
