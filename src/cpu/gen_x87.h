/* gen_x87.h — x87 gen functions (included by gen.h with GEN defined).
 *
 * The escapes D8-DF are split by ModRM.mod (optab_x87.c):
 *  - memory forms are ordinary rows of kind M (the decoder computes the
 *    effective address), one GEN per instruction family below;
 *  - register forms (mod = 3) are X87_ESCAPE rows: x86_translate_x87() looks
 *    the ModRM byte up in X87Row tables written by ModRM ranges (D8 C0+i...)
 *    and calls an X87GenFn with the row's argument.
 * Every x87 gen function brackets its IR with gen_x87_begin()/gen_x87_end():
 * #NM (CR0.EM/TS, decided at translation time), the pending-exception check
 * of waiting instructions (#MF), and the last-instruction pointers.
 */
GEN(FWAIT)
GEN(x87_arith_m) GEN(x87_fld_m) GEN(x87_fst_m) GEN(x87_fstp_m)
GEN(x87_fldenv) GEN(x87_fnstenv) GEN(x87_frstor) GEN(x87_fnsave)
GEN(x87_fldcw) GEN(x87_fnstcw) GEN(x87_fnstsw_m)

#ifndef EMU_CPU_GEN_X87_H
#define EMU_CPU_GEN_X87_H

/* Row flags of x87 instructions */
enum {
    X87_CTRL = 1 << 0,      /* control instruction: FIP/FCS/FOP/FDP/FDS untouched */
    X87_NOWAIT = 1 << 1,    /* FN...: no check for a pending unmasked exception */
};

typedef struct X87Row X87Row;
typedef void X87GenFn(DisasContext *s, X86Insn *d, int arg);
struct X87Row {
    X87GenFn *gen;
    const char *name;
    uint8_t flags;          /* X87_CTRL, X87_NOWAIT */
    uint8_t arg;            /* the gen function's argument (operation, constant...) */
};

/* Register forms; `arg` as documented at each (gen_x87.c). */
X87GenFn gen_x87_arith_r, gen_x87_fcom_r, gen_x87_fcomi, gen_x87_fld_r, gen_x87_fst_r,
    gen_x87_fxch, gen_x87_ffree, gen_x87_fcmov, gen_x87_op, gen_x87_fnop, gen_x87_fninit,
    gen_x87_fnclex, gen_x87_fnstsw_ax;

/* Prologue: false if the instruction already ended (#NM). */
bool gen_x87_begin(DisasContext *s, unsigned flags);
/* Epilogue: the last-instruction pointers, unless flags has X87_CTRL. */
void gen_x87_end(DisasContext *s, X86Insn *d, unsigned flags);

#endif
