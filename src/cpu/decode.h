/* decode.h — x86 instruction decoding: opcode table rows and decoded insns.
 *
 * Opcode maps are tables of X86OpEntry rows written in the Intel SDM's
 * operand notation (Vol. 2, appendix A.2):
 *
 *     [0x00] = OP2(ADD, E,b, G,b, X86_LOCK),
 *     [0x80] = GROUP(grp1_Eb_Ib),
 *     [0xb8] = OP2(MOV, Z,v, I,v, X86_WO),
 *
 * so adding an instruction is one row plus one gen_MNEMONIC() function.
 * Each area keeps its own one-byte and two-byte (0F) maps in its own file —
 * optab_int.c (integer ISA), optab_sys.c (system instructions), optab_sse.c
 * (MMX/SSE/SSE2), optab_x87.c (the D8-DF escapes) — and the decoder merges
 * them: for an opcode, the first area with a row wins, and GROUP / BY_PREFIX
 * / BY_MOD / BY_RM rows of several areas are merged level by level (so the
 * integer and system areas can share group 5, say). Two areas defining the
 * same final row is a bug caught by the decoder self-check at start-up.
 *
 * The translator (translate.c) decodes prefixes, opcode, ModRM/SIB,
 * displacement and immediates per the row, computes the memory operand's
 * address, loads the source operands into temps, calls the gen function,
 * writes operand 0 back (register or memory) and commits the flags the gen
 * function described. Gen functions therefore deal in values, not encodings.
 */
#ifndef EMU_CPU_DECODE_H
#define EMU_CPU_DECODE_H

#include "base/compiler.h"
#include "tcg/ir.h"
#include "cpu/cc.h"

/* Addressing methods (SDM Vol. 2 A.2.1) plus a few of our own. */
typedef enum X86OpKind {
    X86_KIND_NONE,
    X86_KIND_E,     /* ModRM r/m: register or memory */
    X86_KIND_G,     /* ModRM reg: general register */
    X86_KIND_M,     /* ModRM r/m: memory only (#UD for a register) */
    X86_KIND_R,     /* ModRM r/m: general register only (mod is ignored: MOV CRn) */
    X86_KIND_I,     /* immediate */
    X86_KIND_J,     /* relative branch offset: the value is the target EIP */
    X86_KIND_O,     /* moffs: offset encoded in the instruction, no ModRM */
    X86_KIND_A,     /* far pointer immediate: imm = offset, imm2 = selector */
    X86_KIND_S,     /* ModRM reg: segment register */
    X86_KIND_C,     /* ModRM reg: control register */
    X86_KIND_D,     /* ModRM reg: debug register */
    X86_KIND_Z,     /* general register from the opcode's low 3 bits */
    X86_KIND_X,     /* DS:[eSI] string source (value not loaded) */
    X86_KIND_Y,     /* ES:[eDI] string destination (value not loaded) */
    X86_KIND_1,     /* the constant 1 */
    X86_KIND_REG,   /* a fixed general register (row's reg: AL/eAX/DX...) */
    X86_KIND_SEG,   /* a fixed segment register */
    X86_KIND_N,     /* ModRM r/m: MMX register */
    X86_KIND_P,     /* ModRM reg: MMX register */
    X86_KIND_Q,     /* ModRM r/m: MMX register or memory */
    X86_KIND_U,     /* ModRM r/m: XMM register */
    X86_KIND_V,     /* ModRM reg: XMM register */
    X86_KIND_W,     /* ModRM r/m: XMM register or memory */
} X86OpKind;

/* Operand sizes (SDM Vol. 2 A.2.2). */
typedef enum X86OpSize {
    X86_SZ_NONE,
    X86_SZ_b,       /* byte */
    X86_SZ_w,       /* word */
    X86_SZ_d,       /* doubleword */
    X86_SZ_q,       /* quadword */
    X86_SZ_v,       /* word or doubleword by operand size */
    X86_SZ_z,       /* word (16-bit operand size) or doubleword: immediates */
    X86_SZ_p,       /* far pointer: 32 or 48 bits by operand size */
    X86_SZ_a,       /* two words or two doublewords in memory (BOUND) */
    X86_SZ_s,       /* 6-byte pseudo-descriptor (LGDT/SIDT) */
    X86_SZ_dq,      /* 128 bits */
    X86_SZ_x,       /* x87: the size is the instruction's business (M only) */
} X86OpSize;

/* Fixed registers for X86_KIND_REG/SEG rows */
enum { X86_R_AX = 0, X86_R_CX = 1, X86_R_DX = 2, X86_R_BX = 3,
       X86_R_SP = 4, X86_R_BP = 5, X86_R_SI = 6, X86_R_DI = 7 };

/* Row flags */
enum {
    X86_LOCK = 1 << 0,        /* LOCK allowed (with a memory destination) */
    X86_WO = 1 << 1,          /* operand 0 is written, not read (MOV) */
    X86_RO = 1 << 2,          /* operand 0 is read, not written (CMP, TEST, PUSH) */
    X86_NOWB = 1 << 3,        /* the gen function does its own writes (no writeback) */
    X86_PRIV = 1 << 4,        /* CPL 0 only: #GP(0) otherwise */
    X86_NO_REAL = 1 << 5,     /* #UD in real-address mode */
    X86_NO_V86 = 1 << 6,      /* #UD in virtual-8086 mode */
    X86_END_TB = 1 << 7,      /* end the block after this instruction (mode may change) */
    X86_REP = 1 << 8,         /* REP/REPNE prefixes mean something (string ops) */
    X86_MODRM = 1 << 9,       /* has a ModRM byte even without E/G/M... operands */
    X86_DEF64 = 1 << 10,      /* (64-bit mode, later) default 64-bit operand size */
    X86_BYTE_IMM = 1 << 11,   /* immediate is a sign-extended byte (Ib for a v-sized op) */
    X86_NO_LOCK_UD = 0,
};

typedef struct X86Insn X86Insn;
typedef struct DisasContext DisasContext;
typedef void X86GenFn(DisasContext *s, X86Insn *d);

typedef enum X86EntryType {
    X86_ENTRY_OP,       /* a plain instruction */
    X86_ENTRY_GROUP,    /* 8 rows selected by ModRM.reg */
    X86_ENTRY_PREFIX,   /* 4 rows selected by mandatory prefix: none, 66, F3, F2 */
    X86_ENTRY_MODRM_MOD,/* 2 rows: [0] memory forms, [1] register forms (mod == 3) */
    X86_ENTRY_RM,       /* 8 rows by ModRM.rm (register forms of a group: 0F 01 C8...) */
    X86_ENTRY_X87,      /* x87 escape: handled by the x87 table */
} X86EntryType;

typedef struct X86OpEntry {
    X86GenFn *gen;
    const char *name;
    uint8_t type;                 /* X86EntryType */
    uint8_t kind[3];
    uint8_t size[3];
    uint8_t reg[3];               /* fixed register of KIND_REG/KIND_SEG operands */
    uint32_t flags;
    const struct X86OpEntry *sub; /* GROUP/PREFIX/MODRM_MOD/RM: the sub-rows */
} X86OpEntry;

/* Row builders. Operands are given as (kind letter, size letter) pairs. */
#define X86_OPND(k, s) X86_KIND_##k, X86_SZ_##s
#define OP0(mn, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, .flags = (fl) }
#define OP1(mn, k0, s0, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, .kind = { X86_KIND_##k0 }, \
      .size = { X86_SZ_##s0 }, .flags = (fl) }
#define OP2(mn, k0, s0, k1, s1, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, \
      .kind = { X86_KIND_##k0, X86_KIND_##k1 }, .size = { X86_SZ_##s0, X86_SZ_##s1 }, \
      .flags = (fl) }
#define OP3(mn, k0, s0, k1, s1, k2, s2, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, \
      .kind = { X86_KIND_##k0, X86_KIND_##k1, X86_KIND_##k2 }, \
      .size = { X86_SZ_##s0, X86_SZ_##s1, X86_SZ_##s2 }, .flags = (fl) }
/* Rows with fixed registers: OP2R(ADD, REG,b,AX, I,b, 0) is ADD AL, Ib. */
#define OP2R(mn, k0, s0, r0, k1, s1, r1, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, \
      .kind = { X86_KIND_##k0, X86_KIND_##k1 }, .size = { X86_SZ_##s0, X86_SZ_##s1 }, \
      .reg = { r0, r1 }, .flags = (fl) }
#define OP1R(mn, k0, s0, r0, fl) \
    { .gen = gen_##mn, .name = #mn, .type = X86_ENTRY_OP, .kind = { X86_KIND_##k0 }, \
      .size = { X86_SZ_##s0 }, .reg = { r0 }, .flags = (fl) }
#define GROUP(table) { .type = X86_ENTRY_GROUP, .sub = table, .flags = X86_MODRM }
#define BY_PREFIX(table) { .type = X86_ENTRY_PREFIX, .sub = table }
#define BY_MOD(table) { .type = X86_ENTRY_MODRM_MOD, .sub = table, .flags = X86_MODRM }
#define BY_RM(table) { .type = X86_ENTRY_RM, .sub = table, .flags = X86_MODRM }
#define X87_ESCAPE { .type = X86_ENTRY_X87, .flags = X86_MODRM }

/* The areas' maps, merged in this order (decode.c). */
extern const X86OpEntry x86_optab_int_1[256], x86_optab_int_0f[256];
extern const X86OpEntry x86_optab_sys_1[256], x86_optab_sys_0f[256];
extern const X86OpEntry x86_optab_sse_0f[256];
extern const X86OpEntry x86_optab_x87_1[256];
static inline bool x86_entry_empty(const X86OpEntry *e) { return !e->gen && !e->sub && e->type == X86_ENTRY_OP; }
/* Check that no two areas define the same final row (panics on overlap). */
void x86_decode_selfcheck(void);

/* -- A decoded instruction -- */

typedef struct X86Operand {
    uint8_t kind;                 /* X86OpKind */
    uint8_t ot;                   /* MO_8/16/32/64 for integer operands */
    bool is_mem;
    uint8_t reg;                  /* register number (GPR, segment, CR, DR, MMX, XMM) */
    IrTemp t;                     /* value: loaded sources, and the result of operand 0 */
} X86Operand;

enum {                            /* prefix bits */
    PREFIX_REPZ = 1 << 0, PREFIX_REPNZ = 1 << 1, PREFIX_LOCK = 1 << 2,
    PREFIX_DATA = 1 << 3, PREFIX_ADR = 1 << 4,
};

struct X86Insn {
    const X86OpEntry *e;
    uint32_t opcode;              /* 0x00-0xff, 0x0f00-0x0fff, 0x0f3800.. */
    uint32_t prefixes;
    int seg_override;             /* -1 or CPU_ES.. */
    uint8_t modrm, mod, reg, rm;
    bool has_modrm;
    uint8_t ot;                   /* operand size for v/z: MO_16 or MO_32 */
    uint8_t aflag;                /* address size: MO_16 or MO_32 */
    uint64_t imm, imm2;           /* immediates (imm2: ENTER's second, far pointer selector) */

    /* The memory operand, if any */
    int mem_seg;                  /* segment used */
    int8_t ea_base, ea_index;     /* ModRM/SIB base and index registers, -1 if none */
    IrTemp ea;                    /* offset within the segment (address size wide) */
    IrTemp addr;                  /* linear address (checked against the segment) */

    X86Operand op[3];

    /* Flags the gen function wants committed after writeback (cc_op < 0: none) */
    int cc_op;
    IrTemp cc_dst, cc_src, cc_src2;
    IrTemp cc_srcT;               /* SUB/CMP: the first operand (flags of a later jcc) */
};

#endif
