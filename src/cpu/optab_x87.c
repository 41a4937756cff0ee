/* optab_x87.c — the x87 escapes D8-DF and WAIT (9B), in the notation of
 * SDM Vol. 2 appendix A.4 (see gen_x87.h for how the two halves work).
 *
 * Memory forms (mod != 3): X86OpEntry rows of kind M by ModRM.reg; reg[0]
 * holds the operand format (X87_M*). Register forms (mod = 3): X87Row
 * tables by ModRM ranges, `[C(0xc0, 0xc7)]` being "D8 C0+i". Empty slots
 * are #UD. Besides the SDM's rows, P6 processors run the aliases measured
 * on Intel hardware: DC D0/D8 (FCOM/FCOMP), DE D0 (FCOMP), DD C8 and DF C8
 * (FXCH), D9 D8, DF D0 and DF D8 (FSTP), DF C0 (FFREEP), DB E0/E1/E4 (the
 * 8087/287 FNENI/FNDISI/FNSETPM, no-ops). FISTTP (DB/DD/DF /1) is SSE3: #UD.
 * To add an instruction: a row here and its gen function in gen_x87.c.
 */
#include "cpu/gen.h"
#include "cpu/helpers_fpu.h"

/* -- Memory forms -- */

#define XM(mn, fn, fmt) \
    { .gen = gen_x87_##fn, .name = #mn, .type = X86_ENTRY_OP, .kind = { X86_KIND_M }, \
      .size = { X86_SZ_x }, .reg = { fmt } }

#define ARITH_M(p, fmt)                                                                  \
    {                                                                                    \
        XM(p##ADD, arith_m, fmt), XM(p##MUL, arith_m, fmt), XM(p##COM, arith_m, fmt),    \
        XM(p##COMP, arith_m, fmt), XM(p##SUB, arith_m, fmt), XM(p##SUBR, arith_m, fmt),  \
        XM(p##DIV, arith_m, fmt), XM(p##DIVR, arith_m, fmt),                             \
    }

static const X86OpEntry d8_m[8] = ARITH_M(F, X87_M32FP);
static const X86OpEntry da_m[8] = ARITH_M(FI, X87_M32INT);
static const X86OpEntry dc_m[8] = ARITH_M(F, X87_M64FP);
static const X86OpEntry de_m[8] = ARITH_M(FI, X87_M16INT);

static const X86OpEntry d9_m[8] = {
    [0] = XM(FLD, fld_m, X87_M32FP),
    [2] = XM(FST, fst_m, X87_M32FP),
    [3] = XM(FSTP, fstp_m, X87_M32FP),
    [4] = XM(FLDENV, fldenv, 0),
    [5] = XM(FLDCW, fldcw, 0),
    [6] = XM(FNSTENV, fnstenv, 0),
    [7] = XM(FNSTCW, fnstcw, 0),
};

static const X86OpEntry db_m[8] = {
    [0] = XM(FILD, fld_m, X87_M32INT),
    [2] = XM(FIST, fst_m, X87_M32INT),
    [3] = XM(FISTP, fstp_m, X87_M32INT),
    [5] = XM(FLD, fld_m, X87_M80FP),
    [7] = XM(FSTP, fstp_m, X87_M80FP),
};

static const X86OpEntry dd_m[8] = {
    [0] = XM(FLD, fld_m, X87_M64FP),
    [2] = XM(FST, fst_m, X87_M64FP),
    [3] = XM(FSTP, fstp_m, X87_M64FP),
    [4] = XM(FRSTOR, frstor, 0),
    [6] = XM(FNSAVE, fnsave, 0),
    [7] = XM(FNSTSW, fnstsw_m, 0),
};

static const X86OpEntry df_m[8] = {
    [0] = XM(FILD, fld_m, X87_M16INT),
    [2] = XM(FIST, fst_m, X87_M16INT),
    [3] = XM(FISTP, fstp_m, X87_M16INT),
    [4] = XM(FBLD, fld_m, X87_M80BCD),
    [5] = XM(FILD, fld_m, X87_M64INT),
    [6] = XM(FBSTP, fstp_m, X87_M80BCD),
    [7] = XM(FISTP, fstp_m, X87_M64INT),
};

#define ESC(mem) { GROUP(mem), X87_ESCAPE }
static const X86OpEntry d8[2] = ESC(d8_m), d9[2] = ESC(d9_m), da[2] = ESC(da_m),
    db[2] = ESC(db_m), dc[2] = ESC(dc_m), dd[2] = ESC(dd_m), de[2] = ESC(de_m),
    df[2] = ESC(df_m);

const X86OpEntry x86_optab_x87_1[256] = {
    [0x9b] = OP0(FWAIT, X86_NOWB),
    [0xd8] = BY_MOD(d8), [0xd9] = BY_MOD(d9), [0xda] = BY_MOD(da), [0xdb] = BY_MOD(db),
    [0xdc] = BY_MOD(dc), [0xdd] = BY_MOD(dd), [0xde] = BY_MOD(de), [0xdf] = BY_MOD(df),
};

/* -- Register forms -- */

enum { X87_TO_STI = 8, X87_POP = 16 };          /* gen_x87_arith_r */
enum { FCOM_QUIET = 1, FCOM_POP1 = 2, FCOM_POP2 = 4 };  /* gen_x87_fcom_r, gen_x87_fcomi */
enum { CC_B = 2, CC_NB = 3, CC_Z = 4, CC_NZ = 5, CC_BE = 6, CC_NBE = 7, CC_P = 10, CC_NP = 11 };

#define C(lo, hi) [(lo) - 0xc0 ... (hi) - 0xc0]
#define XR(mn, fn, arg, fl) { gen_x87_##fn, #mn, fl, arg }
#define NOWAIT_CTRL (X87_CTRL | X87_NOWAIT)
#define D9(b, mn) C(b, b) = XR(mn, op, 0, 0)      /* helper_fpu_op(b - 0xe0) */

#define ARITH_R(sub, subr, div, divr, a)                               \
    C(0xc0, 0xc7) = XR(FADD, arith_r, a, 0),                          \
    C(0xc8, 0xcf) = XR(FMUL, arith_r, a, 0),                          \
    C(0xe0, 0xe7) = XR(sub, arith_r, a, 0),                           \
    C(0xe8, 0xef) = XR(subr, arith_r, a, 0),                          \
    C(0xf0, 0xf7) = XR(div, arith_r, a, 0),                           \
    C(0xf8, 0xff) = XR(divr, arith_r, a, 0)

static const X87Row x87_reg[8][64] = {
    [0] = {     /* D8 */
        ARITH_R(FSUB, FSUBR, FDIV, FDIVR, 0),
        C(0xd0, 0xd7) = XR(FCOM, fcom_r, 0, 0),
        C(0xd8, 0xdf) = XR(FCOMP, fcom_r, FCOM_POP1, 0),
    },
    [1] = {     /* D9 */
        C(0xc0, 0xc7) = XR(FLD, fld_r, 0, 0),
        C(0xc8, 0xcf) = XR(FXCH, fxch, 0, 0),
        C(0xd0, 0xd0) = XR(FNOP, fnop, 0, 0),
        C(0xd8, 0xdf) = XR(FSTP, fst_r, 3, 0),      /* "FSTP1": see helper_fst_r */
        D9(0xe0, FCHS), D9(0xe1, FABS), D9(0xe4, FTST), D9(0xe5, FXAM),
        D9(0xe8, FLD1), D9(0xe9, FLDL2T), D9(0xea, FLDL2E), D9(0xeb, FLDPI),
        D9(0xec, FLDLG2), D9(0xed, FLDLN2), D9(0xee, FLDZ),
        D9(0xf0, F2XM1), D9(0xf1, FYL2X), D9(0xf2, FPTAN), D9(0xf3, FPATAN),
        D9(0xf4, FXTRACT), D9(0xf5, FPREM1), D9(0xf6, FDECSTP), D9(0xf7, FINCSTP),
        D9(0xf8, FPREM), D9(0xf9, FYL2XP1), D9(0xfa, FSQRT), D9(0xfb, FSINCOS),
        D9(0xfc, FRNDINT), D9(0xfd, FSCALE), D9(0xfe, FSIN), D9(0xff, FCOS),
    },
    [2] = {     /* DA */
        C(0xc0, 0xc7) = XR(FCMOVB, fcmov, CC_B, 0),
        C(0xc8, 0xcf) = XR(FCMOVE, fcmov, CC_Z, 0),
        C(0xd0, 0xd7) = XR(FCMOVBE, fcmov, CC_BE, 0),
        C(0xd8, 0xdf) = XR(FCMOVU, fcmov, CC_P, 0),
        C(0xe9, 0xe9) = XR(FUCOMPP, fcom_r, FCOM_QUIET | FCOM_POP2, 0),
    },
    [3] = {     /* DB */
        C(0xc0, 0xc7) = XR(FCMOVNB, fcmov, CC_NB, 0),
        C(0xc8, 0xcf) = XR(FCMOVNE, fcmov, CC_NZ, 0),
        C(0xd0, 0xd7) = XR(FCMOVNBE, fcmov, CC_NBE, 0),
        C(0xd8, 0xdf) = XR(FCMOVNU, fcmov, CC_NP, 0),
        C(0xe0, 0xe0) = XR(FNENI, fnop, 0, NOWAIT_CTRL),
        C(0xe1, 0xe1) = XR(FNDISI, fnop, 0, NOWAIT_CTRL),
        C(0xe2, 0xe2) = XR(FNCLEX, fnclex, 0, NOWAIT_CTRL),
        C(0xe3, 0xe3) = XR(FNINIT, fninit, 0, NOWAIT_CTRL),
        C(0xe4, 0xe4) = XR(FNSETPM, fnop, 0, NOWAIT_CTRL),
        C(0xe8, 0xef) = XR(FUCOMI, fcomi, FCOM_QUIET, 0),
        C(0xf0, 0xf7) = XR(FCOMI, fcomi, 0, 0),
    },
    [4] = {     /* DC: "FSUBR ST(i), ST(0)" is ST(0) - ST(i) into ST(i) */
        ARITH_R(FSUBR, FSUB, FDIVR, FDIV, X87_TO_STI),
        C(0xd0, 0xd7) = XR(FCOM, fcom_r, 0, 0),
        C(0xd8, 0xdf) = XR(FCOMP, fcom_r, FCOM_POP1, 0),
    },
    [5] = {     /* DD */
        C(0xc0, 0xc7) = XR(FFREE, ffree, 0, 0),
        C(0xc8, 0xcf) = XR(FXCH, fxch, 0, 0),
        C(0xd0, 0xd7) = XR(FST, fst_r, 0, 0),
        C(0xd8, 0xdf) = XR(FSTP, fst_r, 1, 0),
        C(0xe0, 0xe7) = XR(FUCOM, fcom_r, FCOM_QUIET, 0),
        C(0xe8, 0xef) = XR(FUCOMP, fcom_r, FCOM_QUIET | FCOM_POP1, 0),
    },
    [6] = {     /* DE */
        ARITH_R(FSUBRP, FSUBP, FDIVRP, FDIVP, X87_TO_STI | X87_POP),
        C(0xd0, 0xd7) = XR(FCOMP, fcom_r, FCOM_POP1, 0),
        C(0xd9, 0xd9) = XR(FCOMPP, fcom_r, FCOM_POP2, 0),
    },
    [7] = {     /* DF */
        C(0xc0, 0xc7) = XR(FFREEP, ffree, 1, 0),
        C(0xc8, 0xcf) = XR(FXCH, fxch, 0, 0),
        C(0xd0, 0xdf) = XR(FSTP, fst_r, 1, 0),
        C(0xe0, 0xe0) = XR(FNSTSW, fnstsw_ax, 0, NOWAIT_CTRL),
        C(0xe8, 0xef) = XR(FUCOMIP, fcomi, FCOM_QUIET | FCOM_POP1, 0),
        C(0xf0, 0xf7) = XR(FCOMIP, fcomi, FCOM_POP1, 0),
    },
};

/* The register forms: X87_ESCAPE rows (mod = 3) come here from the decoder. */
void x86_translate_x87(DisasContext *s, X86Insn *d)
{
    const X87Row *r = NULL;
    if (d->mod == 3 && d->opcode >= 0xd8 && d->opcode <= 0xdf)
        r = &x87_reg[d->opcode - 0xd8][d->modrm - 0xc0];
    if (!r || !r->gen || (d->prefixes & PREFIX_LOCK)) {
        gen_illegal(s);
        return;
    }
    if (s->too_long) {
        gen_exception_err(s, EXCP_GP, 0);       /* SDM Vol. 2 2.3.11 */
        return;
    }
    if (!gen_x87_begin(s, r->flags))
        return;
    r->gen(s, d, r->arg);
    gen_x87_end(s, d, r->flags);
}
