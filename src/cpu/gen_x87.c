/* gen_x87.c — the x87 gen functions (rows in optab_x87.c, see gen_x87.h).
 *
 * Each instruction is one helper call (helpers_fpu.def) between
 * gen_x87_begin() and gen_x87_end(). What they add around it (SDM Vol. 1
 * 8.1.8, 8.6, Vol. 3A 2.5 and 6.15 #NM/#MF):
 *  - CR0.EM or CR0.TS: #NM, decided at translation time (hflags);
 *  - waiting instructions first deliver a pending unmasked exception
 *    (FSW.ES): #MF with CR0.NE, helper_fpu_pending();
 *  - non-control instructions then record FCS:FIP (first byte, prefixes
 *    included — measured), FOP (low 3 bits of the escape, then ModRM) and,
 *    with a memory operand, FDS:FDP (the operand's offset).
 */
#include "cpu/gen.h"
#include "cpu/helpers_fpu.h"

/* Bytes of each memory operand format (helpers_fpu.h X87_M*) */
static const uint8_t x87_fmt_size[] = {
    [X87_M32FP] = 4, [X87_M64FP] = 8, [X87_M80FP] = 10, [X87_M16INT] = 2,
    [X87_M32INT] = 4, [X87_M64INT] = 8, [X87_M80BCD] = 10,
};

static void gen_x87_wait(DisasContext *s)
{
    int done = ir_label_new(s->f);
    IrTemp t = gen_tmp(s);
    ir_ld16u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, fpus));
    ir_brcond(s->f, IR_I32, IR_COND_TSTEQ, t, gen_const(s, FSW_ES), done);
    gen_helper_fpu_pending(s);
    ir_set_label(s->f, done);
}

bool gen_x87_begin(DisasContext *s, unsigned flags)
{
    if (s->hflags & (HF_EM | HF_TS)) {
        gen_exception(s, EXCP_NM);
        return false;
    }
    if (!(flags & X87_NOWAIT))
        gen_x87_wait(s);
    return true;
}

void gen_x87_end(DisasContext *s, X86Insn *d, unsigned flags)
{
    IrFunc *f = s->f;
    uint32_t fop = (d->opcode & 7) << 8 | d->modrm;
    if (flags & X87_CTRL)
        return;
    ir_st32(f, IR_I32, gen_const(s, cur_eip(s)), IR_TEMP_ENV, offsetof(CpuState, fpip));
    ir_st16(f, IR_I32, gen_get_seg_selector(s, CPU_CS), IR_TEMP_ENV, offsetof(CpuState, fpcs));
    ir_st16(f, IR_I32, gen_const(s, fop), IR_TEMP_ENV, offsetof(CpuState, fpop));
    if (d->mod == 3)
        return;
    ir_st32(f, IR_I32, d->ea, IR_TEMP_ENV, offsetof(CpuState, fpdp));
    ir_st16(f, IR_I32, gen_get_seg_selector(s, d->mem_seg), IR_TEMP_ENV,
            offsetof(CpuState, fpds));
}

/* WAIT/FWAIT (9B): #NM only when both MP and TS are set (SDM Vol. 3A
 * table 2-2), then the pending-exception check. */
void gen_FWAIT(DisasContext *s, X86Insn *d)
{
    if ((s->hflags & (HF_MP | HF_TS)) == (HF_MP | HF_TS)) {
        gen_exception(s, EXCP_NM);
        return;
    }
    gen_x87_wait(s);
}

/* -- Memory forms (the row's reg[0] is the operand format) -- */

static int x87_fmt(const X86Insn *d) { return d->e->reg[0]; }

/* D8, DA, DC, DE /0-7: FADD FMUL FCOM FCOMP FSUB FSUBR FDIV FDIVR and FI... */
void gen_x87_arith_m(DisasContext *s, X86Insn *d)
{
    IrTemp addr;
    if (!gen_x87_begin(s, 0))
        return;
    addr = gen_mem_addr(s, d, x87_fmt_size[x87_fmt(d)], false);
    gen_helper_farith_m(s, addr, gen_const(s, (uint32_t)x87_fmt(d)), gen_const(s, d->reg));
    gen_x87_end(s, d, 0);
}

/* FLD m32fp/m64fp/m80fp, FILD m16/m32/m64int, FBLD */
void gen_x87_fld_m(DisasContext *s, X86Insn *d)
{
    IrTemp addr;
    if (!gen_x87_begin(s, 0))
        return;
    addr = gen_mem_addr(s, d, x87_fmt_size[x87_fmt(d)], false);
    gen_helper_fld_m(s, addr, gen_const(s, (uint32_t)x87_fmt(d)));
    gen_x87_end(s, d, 0);
}

static void gen_x87_store(DisasContext *s, X86Insn *d, bool pop)
{
    IrTemp addr;
    if (!gen_x87_begin(s, 0))
        return;
    addr = gen_mem_addr(s, d, x87_fmt_size[x87_fmt(d)], true);
    gen_helper_fst_m(s, addr, gen_const(s, (uint32_t)x87_fmt(d)), gen_const(s, pop));
    gen_x87_end(s, d, 0);
}

/* FST, FIST */
void gen_x87_fst_m(DisasContext *s, X86Insn *d) { gen_x87_store(s, d, false); }
/* FSTP, FISTP, FBSTP */
void gen_x87_fstp_m(DisasContext *s, X86Insn *d) { gen_x87_store(s, d, true); }

/* Environment images: 14/28 bytes by operand size, real-mode layout in
 * real and V86 mode (SDM Vol. 1 8.1.10). */
static uint32_t x87_env_mode(DisasContext *s, X86Insn *d)
{
    return (d->ot == MO_32 ? X87_ENV_32 : 0) | (!s->pe || s->vm86 ? X87_ENV_REAL : 0);
}

typedef void X87EnvHelper(DisasContext *s, IrTemp addr, IrTemp mode);

static void gen_x87_env(DisasContext *s, X86Insn *d, X87EnvHelper *helper, unsigned flags,
                        unsigned regs_size, bool write)
{
    unsigned size = (d->ot == MO_32 ? 28 : 14) + regs_size;
    IrTemp addr;
    if (!gen_x87_begin(s, flags))
        return;
    addr = gen_mem_addr(s, d, size, write);
    helper(s, addr, gen_const(s, x87_env_mode(s, d)));
}

void gen_x87_fldenv(DisasContext *s, X86Insn *d)
{
    gen_x87_env(s, d, gen_helper_fldenv, X87_CTRL, 0, false);
}

void gen_x87_fnstenv(DisasContext *s, X86Insn *d)
{
    gen_x87_env(s, d, gen_helper_fnstenv, X87_CTRL | X87_NOWAIT, 0, true);
}

void gen_x87_frstor(DisasContext *s, X86Insn *d)
{
    gen_x87_env(s, d, gen_helper_frstor, X87_CTRL, 80, false);
}

void gen_x87_fnsave(DisasContext *s, X86Insn *d)
{
    gen_x87_env(s, d, gen_helper_fnsave, X87_CTRL | X87_NOWAIT, 80, true);
}

typedef void X87WordHelper(DisasContext *s, IrTemp addr);

static void gen_x87_word(DisasContext *s, X86Insn *d, X87WordHelper *helper, unsigned flags,
                         bool write)
{
    if (!gen_x87_begin(s, flags))
        return;
    helper(s, gen_mem_addr(s, d, 2, write));
}

void gen_x87_fldcw(DisasContext *s, X86Insn *d)
{
    gen_x87_word(s, d, gen_helper_fldcw, X87_CTRL, false);
}

void gen_x87_fnstcw(DisasContext *s, X86Insn *d)
{
    gen_x87_word(s, d, gen_helper_fnstcw, X87_CTRL | X87_NOWAIT, true);
}

void gen_x87_fnstsw_m(DisasContext *s, X86Insn *d)
{
    gen_x87_word(s, d, gen_helper_fnstsw_m, X87_CTRL | X87_NOWAIT, true);
}

/* -- Register forms (called by x86_translate_x87 between begin and end) -- */

static IrTemp sti(DisasContext *s, X86Insn *d) { return gen_const(s, d->rm); }

/* arg: X87_TO_STI, X87_POP (optab_x87.c); the operation is ModRM.reg. */
void gen_x87_arith_r(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_farith_r(s, gen_const(s, d->reg), gen_const(s, (uint32_t)(d->rm | arg)));
}

/* arg: bit 0 quiet (FUCOM), bits 1-2 the number of pops */
void gen_x87_fcom_r(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fcom_r(s, sti(s, d), gen_const(s, arg & 1), gen_const(s, (uint32_t)arg >> 1));
}

/* arg: bit 0 quiet (FUCOMI), bit 1 pop. EFLAGS: ZF PF CF, the rest cleared. */
void gen_x87_fcomi(DisasContext *s, X86Insn *d, int arg)
{
    IrTemp fl = gen_compute_eflags(s), r = gen_tmp(s);
    gen_helper_fcomi(s, r, sti(s, d), gen_const(s, arg & 1), gen_const(s, (uint32_t)arg >> 1), fl);
    ir_mov(s->f, IR_I32, G->cc_src, r);
    gen_set_cc_op(s, CC_OP_EFLAGS);
}

void gen_x87_fld_r(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fld_r(s, sti(s, d));
}

/* arg: bit 0 pop, bit 1 the D9 D8+i alias */
void gen_x87_fst_r(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fst_r(s, sti(s, d), gen_const(s, (uint32_t)arg));
}

void gen_x87_fxch(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fxch(s, sti(s, d));
}

/* arg: pop (FFREEP) */
void gen_x87_ffree(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_ffree(s, sti(s, d), gen_const(s, (uint32_t)arg));
}

/* arg: the x86 condition (B, Z, BE, P and their negations) */
void gen_x87_fcmov(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fcmov(s, sti(s, d), gen_setcc(s, arg));
}

/* D9 E0-FF: FCHS ... FCOS by the ModRM byte */
void gen_x87_op(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fpu_op(s, gen_const(s, d->modrm - 0xe0u));
}

/* FNOP, and the 8087/287 leftovers FNENI, FNDISI, FNSETPM (no-ops) */
void gen_x87_fnop(DisasContext *s, X86Insn *d, int arg)
{
}

void gen_x87_fninit(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fninit(s);
}

void gen_x87_fnclex(DisasContext *s, X86Insn *d, int arg)
{
    gen_helper_fnclex(s);
}

void gen_x87_fnstsw_ax(DisasContext *s, X86Insn *d, int arg)
{
    IrTemp t = gen_tmp(s);
    gen_helper_fnstsw(s, t);
    gen_set_reg(s, MO_16, X86_R_AX, t);
}
