/* optab_sse.c — MMX/SSE/SSE2 rows of the 0F opcode map (decode.h), from
 * SDM Vol. 2 appendix A tables A-3 (two-byte opcodes) and A-6 (groups).
 *
 * Most rows split by mandatory prefix: PFX(none, 66, F3, F2). An MMX
 * instruction's 66 form is its SSE2 version on XMM registers (MMX_SSE2).
 * Register-only forms (N, U operands take ModRM.rm whatever mod says) sit
 * under MODS(memory row, register row) with an empty memory row, so their
 * memory encodings are #UD; general-register-or-memory operands are split
 * the same way into M (read by the gen function, after its #UD/#NM checks)
 * and R rows. Empty rows are #UD.
 *
 * Adding an instruction: a row here, a gen_MNEMONIC in gen_sse*.c and its
 * name in gen_sse.h.
 */
#include "cpu/gen.h"

#define NONE { 0 }
/* Variadic: the rows they receive are already brace lists with commas. */
#define PFX(...) BY_PREFIX(((const X86OpEntry[4]){ __VA_ARGS__ }))     /* none, 66, F3, F2 */
#define MODS(...) BY_MOD(((const X86OpEntry[2]){ __VA_ARGS__ }))       /* memory, register */
#define REGONLY(...) MODS(NONE, __VA_ARGS__)

/* MMX mm, mm/m64 and its SSE2 form xmm, xmm/m128 */
#define MMX_SSE2(mn) PFX(OP2(mn, P,q, Q,q, 0), OP2(mn, V,dq, W,dq, 0), NONE, NONE)
/* Low unpacks read only 32 bits of an MMX memory operand (SDM PUNPCKLBW). */
#define UNPCKL(mn) PFX(OP2(mn, P,q, Q,d, 0), OP2(mn, V,dq, W,dq, 0), NONE, NONE)
/* PS, PD, SS, SD */
#define FP4(mn) PFX(OP2(mn##PS, V,dq, W,dq, 0), OP2(mn##PD, V,dq, W,dq, 0), \
                    OP2(mn##SS, V,dq, W,d, 0), OP2(mn##SD, V,dq, W,q, 0))
#define FP2(ps, pd) PFX(OP2(ps, V,dq, W,dq, 0), OP2(pd, V,dq, W,dq, 0), NONE, NONE)
/* Groups 12-14: shift mm/xmm (register only) by imm8 */
#define SHIFT_IMM(mn) REGONLY(PFX(OP2(mn, N,q, I,b, 0), OP2(mn, U,dq, I,b, 0), NONE, NONE))
#define SHIFT_IMM_XMM(mn) REGONLY(PFX(NONE, OP2(mn, U,dq, I,b, 0), NONE, NONE))
/* Group 16 (0F 18): prefetch hints; the other encodings are hint NOPs too */
#define HINT MODS(OP1(PREFETCH, M,b, 0), OP0(PREFETCH, 0))

static const X86OpEntry grp12[8] = {
    [2] = SHIFT_IMM(PSRLW), [4] = SHIFT_IMM(PSRAW), [6] = SHIFT_IMM(PSLLW),
};
static const X86OpEntry grp13[8] = {
    [2] = SHIFT_IMM(PSRLD), [4] = SHIFT_IMM(PSRAD), [6] = SHIFT_IMM(PSLLD),
};
static const X86OpEntry grp14[8] = {
    [2] = SHIFT_IMM(PSRLQ), [3] = SHIFT_IMM_XMM(PSRLDQ),
    [6] = SHIFT_IMM(PSLLQ), [7] = SHIFT_IMM_XMM(PSLLDQ),
};
static const X86OpEntry grp15[8] = {
    [0] = OP1(FXSAVE, M,x, 0), [1] = OP1(FXRSTOR, M,x, 0),
    [2] = OP1(LDMXCSR, M,d, 0), [3] = OP1(STMXCSR, M,d, 0),
    [5] = REGONLY(OP0(LFENCE, 0)), [6] = REGONLY(OP0(MFENCE, 0)),
    [7] = REGONLY(OP0(SFENCE, 0)),      /* memory form: CLFLUSH (system area) */
};
static const X86OpEntry grp16[8] = { HINT, HINT, HINT, HINT, HINT, HINT, HINT, HINT };

const X86OpEntry x86_optab_sse_0f[256] = {
    [0x10] = PFX(OP2(MOVUPS, V,dq, W,dq, 0), OP2(MOVUPD, V,dq, W,dq, 0),
                 OP2(MOVSS, V,dq, W,d, 0), OP2(MOVSD, V,dq, W,q, 0)),
    [0x11] = PFX(OP2(MOVUPS, W,dq, V,dq, 0), OP2(MOVUPD, W,dq, V,dq, 0),
                 OP2(MOVSS, W,d, V,dq, 0), OP2(MOVSD, W,q, V,dq, 0)),
    [0x12] = PFX(MODS(OP2(MOVLPS, V,dq, M,q, 0), OP2(MOVHLPS, V,dq, U,dq, 0)),
                 OP2(MOVLPD, V,dq, M,q, 0), NONE, NONE),
    [0x13] = PFX(OP2(MOVLPS, M,q, V,dq, 0), OP2(MOVLPD, M,q, V,dq, 0), NONE, NONE),
    [0x14] = FP2(UNPCKLPS, UNPCKLPD),
    [0x15] = FP2(UNPCKHPS, UNPCKHPD),
    [0x16] = PFX(MODS(OP2(MOVHPS, V,dq, M,q, 0), OP2(MOVLHPS, V,dq, U,dq, 0)),
                 OP2(MOVHPD, V,dq, M,q, 0), NONE, NONE),
    [0x17] = PFX(OP2(MOVHPS, M,q, V,dq, 0), OP2(MOVHPD, M,q, V,dq, 0), NONE, NONE),
    [0x18] = GROUP(grp16),

    [0x28] = FP2(MOVAPS, MOVAPD),
    [0x29] = PFX(OP2(MOVAPS, W,dq, V,dq, 0), OP2(MOVAPD, W,dq, V,dq, 0), NONE, NONE),
    [0x2a] = PFX(OP2(CVTPI2PS, V,dq, Q,q, 0), OP2(CVTPI2PD, V,dq, Q,q, 0),
                 MODS(OP2(CVTSI2SS, V,dq, M,d, 0), OP2(CVTSI2SS, V,dq, R,d, 0)),
                 MODS(OP2(CVTSI2SD, V,dq, M,d, 0), OP2(CVTSI2SD, V,dq, R,d, 0))),
    [0x2b] = PFX(OP2(MOVNTPS, M,dq, V,dq, 0), OP2(MOVNTPD, M,dq, V,dq, 0), NONE, NONE),
    [0x2c] = PFX(OP2(CVTTPS2PI, P,q, W,q, 0), OP2(CVTTPD2PI, P,q, W,dq, 0),
                 OP2(CVTTSS2SI, G,d, W,d, X86_WO), OP2(CVTTSD2SI, G,d, W,q, X86_WO)),
    [0x2d] = PFX(OP2(CVTPS2PI, P,q, W,q, 0), OP2(CVTPD2PI, P,q, W,dq, 0),
                 OP2(CVTSS2SI, G,d, W,d, X86_WO), OP2(CVTSD2SI, G,d, W,q, X86_WO)),
    [0x2e] = PFX(OP2(UCOMISS, V,dq, W,d, 0), OP2(UCOMISD, V,dq, W,q, 0), NONE, NONE),
    [0x2f] = PFX(OP2(COMISS, V,dq, W,d, 0), OP2(COMISD, V,dq, W,q, 0), NONE, NONE),

    [0x50] = PFX(REGONLY(OP2(MOVMSKPS, G,d, U,dq, X86_WO)),
                 REGONLY(OP2(MOVMSKPD, G,d, U,dq, X86_WO)), NONE, NONE),
    [0x51] = FP4(SQRT),
    [0x52] = PFX(OP2(RSQRTPS, V,dq, W,dq, 0), NONE, OP2(RSQRTSS, V,dq, W,d, 0), NONE),
    [0x53] = PFX(OP2(RCPPS, V,dq, W,dq, 0), NONE, OP2(RCPSS, V,dq, W,d, 0), NONE),
    [0x54] = FP2(ANDPS, ANDPD),
    [0x55] = FP2(ANDNPS, ANDNPD),
    [0x56] = FP2(ORPS, ORPD),
    [0x57] = FP2(XORPS, XORPD),
    [0x58] = FP4(ADD),
    [0x59] = FP4(MUL),
    [0x5a] = PFX(OP2(CVTPS2PD, V,dq, W,q, 0), OP2(CVTPD2PS, V,dq, W,dq, 0),
                 OP2(CVTSS2SD, V,dq, W,d, 0), OP2(CVTSD2SS, V,dq, W,q, 0)),
    [0x5b] = PFX(OP2(CVTDQ2PS, V,dq, W,dq, 0), OP2(CVTPS2DQ, V,dq, W,dq, 0),
                 OP2(CVTTPS2DQ, V,dq, W,dq, 0), NONE),
    [0x5c] = FP4(SUB),
    [0x5d] = FP4(MIN),
    [0x5e] = FP4(DIV),
    [0x5f] = FP4(MAX),

    [0x60] = UNPCKL(PUNPCKLBW),
    [0x61] = UNPCKL(PUNPCKLWD),
    [0x62] = UNPCKL(PUNPCKLDQ),
    [0x63] = MMX_SSE2(PACKSSWB),
    [0x64] = MMX_SSE2(PCMPGTB),
    [0x65] = MMX_SSE2(PCMPGTW),
    [0x66] = MMX_SSE2(PCMPGTD),
    [0x67] = MMX_SSE2(PACKUSWB),
    [0x68] = MMX_SSE2(PUNPCKHBW),
    [0x69] = MMX_SSE2(PUNPCKHWD),
    [0x6a] = MMX_SSE2(PUNPCKHDQ),
    [0x6b] = MMX_SSE2(PACKSSDW),
    [0x6c] = PFX(NONE, OP2(PUNPCKLQDQ, V,dq, W,dq, 0), NONE, NONE),
    [0x6d] = PFX(NONE, OP2(PUNPCKHQDQ, V,dq, W,dq, 0), NONE, NONE),
    [0x6e] = PFX(MODS(OP2(MOVD, P,q, M,d, 0), OP2(MOVD, P,q, R,d, 0)),
                 MODS(OP2(MOVD, V,dq, M,d, 0), OP2(MOVD, V,dq, R,d, 0)), NONE, NONE),
    [0x6f] = PFX(OP2(MOVQ, P,q, Q,q, 0), OP2(MOVDQA, V,dq, W,dq, 0),
                 OP2(MOVDQU, V,dq, W,dq, 0), NONE),

    [0x70] = PFX(OP3(PSHUFW, P,q, Q,q, I,b, 0), OP3(PSHUFD, V,dq, W,dq, I,b, 0),
                 OP3(PSHUFHW, V,dq, W,dq, I,b, 0), OP3(PSHUFLW, V,dq, W,dq, I,b, 0)),
    [0x71] = GROUP(grp12),
    [0x72] = GROUP(grp13),
    [0x73] = GROUP(grp14),
    [0x74] = MMX_SSE2(PCMPEQB),
    [0x75] = MMX_SSE2(PCMPEQW),
    [0x76] = MMX_SSE2(PCMPEQD),
    [0x77] = OP0(EMMS, 0),
    [0x7e] = PFX(MODS(OP2(MOVD, M,d, P,q, 0), OP2(MOVD, R,d, P,q, X86_WO)),
                 MODS(OP2(MOVD, M,d, V,dq, 0), OP2(MOVD, R,d, V,dq, X86_WO)),
                 OP2(MOVQ, V,dq, W,q, 0), NONE),
    [0x7f] = PFX(OP2(MOVQ, Q,q, P,q, 0), OP2(MOVDQA, W,dq, V,dq, 0),
                 OP2(MOVDQU, W,dq, V,dq, 0), NONE),

    [0xae] = GROUP(grp15),

    [0xc2] = PFX(OP3(CMPPS, V,dq, W,dq, I,b, 0), OP3(CMPPD, V,dq, W,dq, I,b, 0),
                 OP3(CMPSS, V,dq, W,d, I,b, 0), OP3(CMPSD, V,dq, W,q, I,b, 0)),
    [0xc3] = PFX(OP2(MOVNTI, M,d, G,d, 0), NONE, NONE, NONE),
    [0xc4] = PFX(MODS(OP3(PINSRW, P,q, M,w, I,b, 0), OP3(PINSRW, P,q, R,d, I,b, 0)),
                 MODS(OP3(PINSRW, V,dq, M,w, I,b, 0), OP3(PINSRW, V,dq, R,d, I,b, 0)),
                 NONE, NONE),
    [0xc5] = PFX(REGONLY(OP3(PEXTRW, G,d, N,q, I,b, X86_WO)),
                 REGONLY(OP3(PEXTRW, G,d, U,dq, I,b, X86_WO)), NONE, NONE),
    [0xc6] = PFX(OP3(SHUFPS, V,dq, W,dq, I,b, 0), OP3(SHUFPD, V,dq, W,dq, I,b, 0), NONE, NONE),

    [0xd1] = MMX_SSE2(PSRLW),
    [0xd2] = MMX_SSE2(PSRLD),
    [0xd3] = MMX_SSE2(PSRLQ),
    [0xd4] = MMX_SSE2(PADDQ),
    [0xd5] = MMX_SSE2(PMULLW),
    [0xd6] = PFX(NONE, OP2(MOVQ, W,q, V,dq, 0), REGONLY(OP2(MOVQ2DQ, V,dq, N,q, 0)),
                 REGONLY(OP2(MOVDQ2Q, P,q, U,dq, 0))),
    [0xd7] = PFX(REGONLY(OP2(PMOVMSKB, G,d, N,q, X86_WO)),
                 REGONLY(OP2(PMOVMSKB, G,d, U,dq, X86_WO)), NONE, NONE),
    [0xd8] = MMX_SSE2(PSUBUSB),
    [0xd9] = MMX_SSE2(PSUBUSW),
    [0xda] = MMX_SSE2(PMINUB),
    [0xdb] = MMX_SSE2(PAND),
    [0xdc] = MMX_SSE2(PADDUSB),
    [0xdd] = MMX_SSE2(PADDUSW),
    [0xde] = MMX_SSE2(PMAXUB),
    [0xdf] = MMX_SSE2(PANDN),

    [0xe0] = MMX_SSE2(PAVGB),
    [0xe1] = MMX_SSE2(PSRAW),
    [0xe2] = MMX_SSE2(PSRAD),
    [0xe3] = MMX_SSE2(PAVGW),
    [0xe4] = MMX_SSE2(PMULHUW),
    [0xe5] = MMX_SSE2(PMULHW),
    [0xe6] = PFX(NONE, OP2(CVTTPD2DQ, V,dq, W,dq, 0), OP2(CVTDQ2PD, V,dq, W,q, 0),
                 OP2(CVTPD2DQ, V,dq, W,dq, 0)),
    [0xe7] = PFX(OP2(MOVNTQ, M,q, P,q, 0), OP2(MOVNTDQ, M,dq, V,dq, 0), NONE, NONE),
    [0xe8] = MMX_SSE2(PSUBSB),
    [0xe9] = MMX_SSE2(PSUBSW),
    [0xea] = MMX_SSE2(PMINSW),
    [0xeb] = MMX_SSE2(POR),
    [0xec] = MMX_SSE2(PADDSB),
    [0xed] = MMX_SSE2(PADDSW),
    [0xee] = MMX_SSE2(PMAXSW),
    [0xef] = MMX_SSE2(PXOR),

    [0xf1] = MMX_SSE2(PSLLW),
    [0xf2] = MMX_SSE2(PSLLD),
    [0xf3] = MMX_SSE2(PSLLQ),
    [0xf4] = MMX_SSE2(PMULUDQ),
    [0xf5] = MMX_SSE2(PMADDWD),
    [0xf6] = MMX_SSE2(PSADBW),
    [0xf7] = PFX(REGONLY(OP2(MASKMOVQ, P,q, N,q, 0)), REGONLY(OP2(MASKMOVDQU, V,dq, U,dq, 0)),
                 NONE, NONE),
    [0xf8] = MMX_SSE2(PSUBB),
    [0xf9] = MMX_SSE2(PSUBW),
    [0xfa] = MMX_SSE2(PSUBD),
    [0xfb] = MMX_SSE2(PSUBQ),
    [0xfc] = MMX_SSE2(PADDB),
    [0xfd] = MMX_SSE2(PADDW),
    [0xfe] = MMX_SSE2(PADDD),
};
