/* translate.c — guest x86 code to IR: the decoder driver and the services
 * gen_MNEMONIC() functions use (translate.h).
 *
 * One instruction: prefixes -> opcode row (following group/prefix sub-tables)
 * -> ModRM/SIB/displacement -> immediates -> mode checks -> memory operand
 * address -> source loads -> gen function -> writeback of operand 0 ->
 * flag commit. A block ends at control flow, a mode change, a page end or
 * the instruction limit.
 */
#include <string.h>
#include "cpu/translate.h"
#include "base/log.h"

/* The globals in registration order (x86_register_globals checks it). */
const X86Globals x86_globals = {
    .regs = { 1, 2, 3, 4, 5, 6, 7, 8 },
    .eip = 9,
    .cc_op = 10, .cc_dst = 11, .cc_src = 12, .cc_src2 = 13,
};

void x86_register_globals(IrGlobalSet *set)
{
    static const char *const names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    ir_globals_init(set);
    for (int i = 0; i < 8; i++)
        if (ir_global_new(set, IR_I32, offsetof(CpuState, regs[i]), names[i]) != G->regs[i])
            panic("x86 globals out of order");
    if (ir_global_new(set, IR_I32, offsetof(CpuState, eip), "eip") != G->eip ||
        ir_global_new(set, IR_I32, offsetof(CpuState, cc_op), "cc_op") != G->cc_op ||
        ir_global_new(set, IR_I32, offsetof(CpuState, cc_dst), "cc_dst") != G->cc_dst ||
        ir_global_new(set, IR_I32, offsetof(CpuState, cc_src), "cc_src") != G->cc_src ||
        ir_global_new(set, IR_I32, offsetof(CpuState, cc_src2), "cc_src2") != G->cc_src2)
        panic("x86 globals out of order");
}

/* -- Registers ----------------------------------------------------------------- */

IrTemp gen_get_reg(DisasContext *s, int ot, int reg)
{
    IrTemp t;
    if (ot == MO_32)
        return G->regs[reg];
    t = gen_tmp(s);
    if (ot == MO_8 && reg >= 4)   /* AH, CH, DH, BH */
        ir_extract(s->f, IR_I32, t, G->regs[reg - 4], 8, 8);
    else if (ot == MO_8)
        ir_ext8u(s->f, IR_I32, t, G->regs[reg]);
    else
        ir_ext16u(s->f, IR_I32, t, G->regs[reg]);
    return t;
}

void gen_set_reg(DisasContext *s, int ot, int reg, IrTemp v)
{
    if (ot == MO_32)
        ir_mov(s->f, IR_I32, G->regs[reg], v);
    else if (ot == MO_8 && reg >= 4)
        ir_deposit(s->f, IR_I32, G->regs[reg - 4], G->regs[reg - 4], v, 8, 8);
    else
        ir_deposit(s->f, IR_I32, G->regs[reg], G->regs[reg], v, 0, ot == MO_8 ? 8 : 16);
}

IrTemp gen_ext(DisasContext *s, int ot, IrTemp v, bool sign)
{
    IrTemp t;
    if (ot >= MO_32)
        return v;
    t = gen_tmp(s);
    if (ot == MO_8)
        sign ? ir_ext8s(s->f, IR_I32, t, v) : ir_ext8u(s->f, IR_I32, t, v);
    else
        sign ? ir_ext16s(s->f, IR_I32, t, v) : ir_ext16u(s->f, IR_I32, t, v);
    return t;
}

IrTemp gen_get_seg_selector(DisasContext *s, int seg)
{
    IrTemp t = gen_tmp(s);
    ir_ld16u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, seg[seg].selector));
    return t;
}

IrTemp gen_get_seg_base(DisasContext *s, int seg)
{
    IrTemp t = gen_tmp(s);
    ir_ld32u(s->f, IR_I32, t, IR_TEMP_ENV, offsetof(CpuState, seg[seg].base));
    return t;
}

/* -- Memory ------------------------------------------------------------------ */

IrTemp gen_ea_mask(DisasContext *s, int aflag, IrTemp offset)
{
    IrTemp t;
    if (aflag == MO_32)
        return offset;
    t = gen_tmp(s);
    ir_ext16u(s->f, IR_I32, t, offset);
    return t;
}

/* Segment limit and type check (SDM Vol. 3A 5.3): an access of `size`
 * bytes at `offset` must end at or below the limit; SS faults are #SS(0),
 * the others #GP(0). Flat segments (4 GiB, expand-up, usable) skip it. */
static void gen_limit_check(DisasContext *s, int seg, IrTemp offset, unsigned size, bool write)
{
    int excp = seg == CPU_SS ? EXCP_SS : EXCP_GP;
    int ok = ir_label_new(s->f);
    IrTemp end, lim;

    if (s->hflags & HF_EXPDOWN) {
        gen_helper_seg_check(s, gen_const(s, (uint32_t)seg), offset, gen_const(s, size),
                             gen_const(s, write));
        return;
    }
    if (write && seg == CPU_CS && s->pe && !s->vm86) {
        gen_exception_err(s, EXCP_GP, 0);   /* code segments are never writable */
        return;
    }
    end = gen_tmp(s);
    lim = gen_tmp(s);
    /* 64-bit arithmetic: offset + size cannot wrap. */
    ir_addi(s->f, IR_I64, end, offset, size);
    ir_ld64(s->f, IR_I64, lim, IR_TEMP_ENV, write ? offsetof(CpuState, seg[seg].lim_end_w) :
                                                    offsetof(CpuState, seg[seg].lim_end));
    ir_brcond(s->f, IR_I64, IR_COND_LEU, end, lim, ok);
    gen_helper_raise_exception_err(s, gen_const(s, excp), gen_const(s, 0));
    ir_set_label(s->f, ok);
}

IrTemp gen_seg_addr(DisasContext *s, int seg, IrTemp offset, unsigned size, bool write)
{
    IrTemp addr;
    if (!hf_seg_nolimit(s->hflags, seg))
        gen_limit_check(s, seg, offset, size, write);
    if (hf_seg_base0(s->hflags, seg))
        return offset;
    addr = gen_tmp(s);
    ir_add(s->f, IR_I32, addr, offset, gen_get_seg_base(s, seg));
    return addr;
}

static unsigned memop_for(DisasContext *s, int ot, bool sign)
{
    return memop_make((unsigned)ot | (sign ? MO_SIGN : 0), (unsigned)s->mem_idx);
}

void gen_ld(DisasContext *s, int ot, IrTemp dst, IrTemp addr)
{
    ir_qemu_ld(s->f, ot == MO_64 ? IR_I64 : IR_I32, dst, addr, memop_for(s, ot, false));
}

void gen_lds(DisasContext *s, int ot, IrTemp dst, IrTemp addr)
{
    ir_qemu_ld(s->f, IR_I32, dst, addr, memop_for(s, ot, true));
}

void gen_st(DisasContext *s, int ot, IrTemp val, IrTemp addr)
{
    ir_qemu_st(s->f, ot == MO_64 ? IR_I64 : IR_I32, val, addr, memop_for(s, ot, false));
}

/* -- Stack ------------------------------------------------------------------------ */

IrTemp gen_stack_addr(DisasContext *s, IrTemp sp_offset, unsigned size, bool write)
{
    return gen_seg_addr(s, CPU_SS, gen_ea_mask(s, s->ss32 ? MO_32 : MO_16, sp_offset), size,
                        write);
}

static void gen_set_sp(DisasContext *s, IrTemp v)
{
    gen_set_reg(s, s->ss32 ? MO_32 : MO_16, X86_R_SP, v);
}

void gen_push(DisasContext *s, int ot, IrTemp val)
{
    IrTemp sp = gen_tmp(s);
    unsigned size = 1u << ot;
    ir_addi(s->f, IR_I32, sp, G->regs[X86_R_SP], (uint32_t)-size);
    if (!s->ss32)
        ir_ext16u(s->f, IR_I32, sp, sp);
    gen_st(s, ot, val, gen_stack_addr(s, sp, size, true));
    gen_set_sp(s, sp);
}

IrTemp gen_pop_load(DisasContext *s, int ot)
{
    IrTemp v = gen_tmp(s);
    gen_ld(s, ot, v, gen_stack_addr(s, G->regs[X86_R_SP], 1u << ot, false));
    return v;
}

void gen_pop_commit(DisasContext *s, int ot)
{
    IrTemp sp = gen_tmp(s);
    ir_addi(s->f, IR_I32, sp, G->regs[X86_R_SP], 1u << ot);
    gen_set_sp(s, sp);
}

/* -- Flags ------------------------------------------------------------------------ */

void gen_set_cc_op(DisasContext *s, int cc_op)
{
    s->cc_srcT = 0;
    if (s->cc_op == cc_op && !s->cc_op_entry)
        return;
    s->cc_op = cc_op;
    s->cc_op_dirty = cc_op != CC_OP_DYNAMIC;
    s->cc_op_entry = false;
}

/* The static cc_op, for code that is better for knowing it. While it is
 * still the one the block was entered with, using it makes the block
 * specific to that cc_op (TB_CC_SHIFT in its flags). */
static int cc_op_use(DisasContext *s)
{
    if (s->cc_op_entry)
        s->entry_cc_used = true;
    return s->cc_op;
}

void gen_update_cc_op(DisasContext *s)
{
    if (s->cc_op_dirty) {
        ir_movi(s->f, IR_I32, G->cc_op, (uint32_t)s->cc_op);
        s->cc_op_dirty = false;
    }
}

/* The cc_op operand of the compute helpers: the static one, else env's. */
static IrTemp cc_op_arg(DisasContext *s)
{
    /* A helper call either way: not worth a block per entry cc_op. */
    if (s->cc_op == CC_OP_DYNAMIC || s->cc_op_entry)
        return G->cc_op;
    return gen_const(s, (uint32_t)s->cc_op);
}

IrTemp gen_compute_eflags(DisasContext *s)
{
    IrTemp t = gen_tmp(s);
    if (s->cc_op == CC_OP_EFLAGS && cc_op_use(s) == CC_OP_EFLAGS)
        return G->cc_src;
    gen_helper_cc_flags(s, t, cc_op_arg(s), G->cc_dst, G->cc_src, G->cc_src2);
    return t;
}

/* The first operand of a SUB/SBB/ADD-family op recovered from dst/src. */
static IrTemp sub_src1(DisasContext *s, int size)
{
    IrTemp t;
    if (s->cc_srcT)
        return s->cc_srcT;          /* zero-extended to its size already */
    t = gen_tmp(s);
    ir_add(s->f, IR_I32, t, G->cc_dst, G->cc_src);
    return gen_ext(s, size, t, false);
}

/* ADC/SBB carry out (cc.h: src = second operand, src2 = carry in):
 * with carry in, a <= b instead of a < b — for ADC a = result, b = src;
 * for SBB a = first operand, b = src. */
static IrTemp carry_with_cin(DisasContext *s, int size, IrTemp a)
{
    IrTemp t = gen_tmp(s), lt = gen_tmp(s), le = gen_tmp(s), cin = gen_tmp(s);
    IrTemp b = gen_ext(s, size, G->cc_src, false);
    ir_setcond(s->f, IR_I32, IR_COND_LTU, lt, a, b);
    ir_setcond(s->f, IR_I32, IR_COND_LEU, le, a, b);
    ir_andi(s->f, IR_I32, cin, G->cc_src2, 1);
    ir_movcond(s->f, IR_I32, IR_COND_NE, t, cin, gen_const(s, 0), le, lt);
    return t;
}

IrTemp gen_compute_cf(DisasContext *s)
{
    IrTemp t = gen_tmp(s);
    int op = cc_op_use(s), size = cc_op_size((CcOp)op);
    switch (op >= 0 ? cc_op_group((CcOp)op) : op) {
    case CC_OP_SUBB:                    /* borrow: src1 < src */
        ir_setcond(s->f, IR_I32, IR_COND_LTU, t, sub_src1(s, size), G->cc_src);
        return t;
    case CC_OP_ADDB: {                  /* carry: result < src */
        IrTemp r = gen_ext(s, size, G->cc_dst, false);
        ir_setcond(s->f, IR_I32, IR_COND_LTU, t, r, gen_ext(s, size, G->cc_src, false));
        return t;
    }
    case CC_OP_ADCB:
        return carry_with_cin(s, size, gen_ext(s, size, G->cc_dst, false));
    case CC_OP_SBBB: {                  /* first operand = result + src + borrow in */
        IrTemp a = gen_tmp(s), bin = gen_tmp(s);
        ir_andi(s->f, IR_I32, bin, G->cc_src2, 1);
        ir_add(s->f, IR_I32, a, G->cc_dst, G->cc_src);
        ir_add(s->f, IR_I32, a, a, bin);
        return carry_with_cin(s, size, gen_ext(s, size, a, false));
    }
    case CC_OP_LOGICB: case CC_OP_CLR:
        return gen_const(s, 0);
    case CC_OP_INCB: case CC_OP_DECB:
        return G->cc_src;
    case CC_OP_SARB:
        ir_andi(s->f, IR_I32, t, G->cc_src, 1);
        return t;
    case CC_OP_SHLB:                    /* the last bit shifted out */
        ir_extract(s->f, IR_I32, t, G->cc_src, ot_bits(size) - 1, 1);
        return t;
    case CC_OP_MULB:
        ir_setcondi(s->f, IR_I32, IR_COND_NE, t, G->cc_src, 0);
        return t;
    case CC_OP_EFLAGS:
        ir_andi(s->f, IR_I32, t, G->cc_src, EF_CF);
        return t;
    default:
        gen_helper_cc_carry(s, t, G->cc_op, G->cc_dst, G->cc_src, G->cc_src2);
        return t;
    }
}

/* Condition as (a cond b); returns false if it needs the full flags. */
typedef struct CcTest { IrCond cond; IrTemp a, b; } CcTest;

static bool fast_cc(DisasContext *s, int cc, CcTest *ct)
{
    int op = s->cc_op, size = cc_op_size((CcOp)op), group;
    int jcc = cc >> 1;      /* 0 O, 1 B, 2 Z, 3 BE, 4 S, 5 P, 6 L, 7 LE */
    if (op < CC_OP_ADDB)
        return false;
    cc_op_use(s);
    group = cc_op_group((CcOp)op);
    if (group == CC_OP_SUBB) {
        /* After CMP/SUB, compare the original operands directly. */
        switch (jcc) {
        case 1:
            *ct = (CcTest){ IR_COND_LTU, sub_src1(s, size), gen_ext(s, size, G->cc_src, false) };
            goto ok;
        case 3:
            *ct = (CcTest){ IR_COND_LEU, sub_src1(s, size), gen_ext(s, size, G->cc_src, false) };
            goto ok;
        case 6: case 7: {
            IrTemp a = gen_ext(s, size, sub_src1(s, size), true);
            *ct = (CcTest){ jcc == 6 ? IR_COND_LT : IR_COND_LE, a,
                            gen_ext(s, size, G->cc_src, true) };
            goto ok;
        }
        default:
            break;
        }
    }
    if (group == CC_OP_LOGICB && (jcc == 6 || jcc == 7)) {
        /* OF = 0: L is SF, LE is ZF or SF, i.e. a signed compare with 0. */
        IrTemp a = gen_ext(s, size, G->cc_dst, true);
        *ct = (CcTest){ jcc == 6 ? IR_COND_LT : IR_COND_LE, a, gen_const(s, 0) };
        goto ok;
    }
    switch (jcc) {
    case 1:     /* B: CF */
        *ct = (CcTest){ IR_COND_NE, gen_compute_cf(s), gen_const(s, 0) };
        goto ok;
    case 2:     /* Z: every sized group keeps the zero-extended result in cc_dst */
        *ct = (CcTest){ IR_COND_EQ, G->cc_dst, gen_const(s, 0) };
        goto ok;
    case 4:     /* S */
        *ct = (CcTest){ IR_COND_TSTNE, G->cc_dst, gen_const(s, 1u << (ot_bits(size) - 1)) };
        goto ok;
    default:
        return false;
    }
ok:
    if (cc & 1)
        ct->cond = ir_cond_invert(ct->cond);
    return true;
}

/* Condition from materialised flags (SDM Vol. 2 Jcc table). */
static void slow_cc(DisasContext *s, int cc, CcTest *ct)
{
    IrTemp f = gen_compute_eflags(s), t = gen_tmp(s), u = gen_tmp(s);
    switch (cc >> 1) {
    case 0: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_OF) }; break;
    case 1: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_CF) }; break;
    case 2: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_ZF) }; break;
    case 3: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_CF | EF_ZF) }; break;
    case 4: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_SF) }; break;
    case 5: *ct = (CcTest){ IR_COND_TSTNE, f, gen_const(s, EF_PF) }; break;
    case 6:  /* L: SF != OF */
    case 7:  /* LE: ZF or SF != OF */
        ir_shri(s->f, IR_I32, t, f, 4);             /* OF (bit 11) -> bit 7 (SF) */
        ir_xor(s->f, IR_I32, u, t, f);
        ir_andi(s->f, IR_I32, u, u, EF_SF);
        if ((cc >> 1) == 7) {
            ir_andi(s->f, IR_I32, t, f, EF_ZF);
            ir_or(s->f, IR_I32, u, u, t);
        }
        *ct = (CcTest){ IR_COND_NE, u, gen_const(s, 0) };
        break;
    }
    if (cc & 1)
        ct->cond = ir_cond_invert(ct->cond);
}

static void prepare_cc(DisasContext *s, int cc, CcTest *ct)
{
    if (!fast_cc(s, cc, ct))
        slow_cc(s, cc, ct);
}

IrTemp gen_setcc(DisasContext *s, int cc)
{
    CcTest ct;
    IrTemp t = gen_tmp(s);
    prepare_cc(s, cc, &ct);
    ir_setcond(s->f, IR_I32, ct.cond, t, ct.a, ct.b);
    return t;
}

void gen_brcc(DisasContext *s, int cc, int label)
{
    CcTest ct;
    prepare_cc(s, cc, &ct);
    ir_brcond(s->f, IR_I32, ct.cond, ct.a, ct.b, label);
}

/* -- Control flow ---------------------------------------------------------------- */

void gen_update_eip_cur(DisasContext *s)
{
    ir_movi(s->f, IR_I32, G->eip, cur_eip(s));
}

void gen_update_eip_next(DisasContext *s)
{
    ir_movi(s->f, IR_I32, G->eip, next_eip(s));
}

/* Direct links are only safe to targets on a page this block already
 * depends on: a cross-page jump must look its target up again, since the
 * page's mapping may change without this block being invalidated. */
static bool can_chain(DisasContext *s, uint32_t eip)
{
    uint64_t target = s->cs_base + eip;
    if (s->hflags & HF_TF)
        return false;
    return (target & GUEST_PAGE_MASK) == (s->tb_pc & GUEST_PAGE_MASK) ||
           (target & GUEST_PAGE_MASK) == (s->insn_pc & GUEST_PAGE_MASK);
}

/* EFLAGS.TF was set when the instruction started: the #DB trap follows it
 * (SDM Vol. 3A 17.3.1.4); EIP and cc_op are already those of after it. */
static void gen_single_step_exit(DisasContext *s)
{
    gen_helper_debug_trap(s);
    ir_exit_tb(s->f, IR_EXIT_NORMAL);
}

void gen_goto_eip(DisasContext *s, int slot, uint32_t eip)
{
    ir_movi(s->f, IR_I32, G->eip, eip);
    if (can_chain(s, eip))
        ir_goto_tb(s->f, slot);
    else if (s->hflags & HF_TF)
        gen_single_step_exit(s);
    else
        ir_lookup_tb(s->f);
}

void gen_jmp(DisasContext *s, uint32_t eip)
{
    gen_update_cc_op(s);
    gen_goto_eip(s, 0, eip);
    s->is_jmp = DISAS_NORETURN;
}

void gen_jmp_indirect(DisasContext *s, IrTemp eip)
{
    gen_update_cc_op(s);
    ir_mov(s->f, IR_I32, G->eip, eip);
    if (s->hflags & HF_TF)
        gen_single_step_exit(s);
    else
        ir_lookup_tb(s->f);
    s->is_jmp = DISAS_NORETURN;
}

void gen_jcc_block_end(DisasContext *s, int cc, uint32_t target)
{
    int not_taken = ir_label_new(s->f);
    gen_update_cc_op(s);
    gen_brcc(s, cc ^ 1, not_taken);
    gen_goto_eip(s, 0, target);
    ir_set_label(s->f, not_taken);
    gen_goto_eip(s, 1, next_eip(s));
    s->is_jmp = DISAS_NORETURN;
}

void gen_branch_end(DisasContext *s, IrTemp cond, uint32_t target)
{
    int not_taken = ir_label_new(s->f);
    gen_update_cc_op(s);
    ir_brcondi(s->f, IR_I32, IR_COND_EQ, cond, 0, not_taken);
    gen_goto_eip(s, 0, target);
    ir_set_label(s->f, not_taken);
    gen_goto_eip(s, 1, next_eip(s));
    s->is_jmp = DISAS_NORETURN;
}

void gen_eob(DisasContext *s)
{
    if (s->is_jmp == DISAS_NEXT || s->is_jmp == DISAS_TOO_MANY)
        s->is_jmp = DISAS_EOB_NEXT;
}

void gen_exception_err(DisasContext *s, int excp, uint32_t error_code)
{
    gen_helper_raise_exception_err(s, gen_const(s, (uint32_t)excp), gen_const(s, error_code));
    s->is_jmp = DISAS_NORETURN;
}

void gen_exception(DisasContext *s, int excp)
{
    gen_helper_raise_exception(s, gen_const(s, (uint32_t)excp));
    s->is_jmp = DISAS_NORETURN;
}

void gen_illegal(DisasContext *s)
{
    char bytes[64];
    int n = 0;
    for (uint64_t pc = s->insn_pc; pc < s->pc && n < 60; pc++)
        n += snprintf(bytes + n, sizeof(bytes) - (size_t)n, "%s%02x", n ? " " : "",
                      x86_code_byte(s, pc));
    log_unimp("instruction at %04x:%08x: %s (raises #UD)",
              (unsigned)(s->cs_base >> 4), cur_eip(s), bytes);
    gen_helper_raise_illegal(s);
    s->is_jmp = DISAS_NORETURN;
}

/* -- Fetching code ------------------------------------------------------------------ */

/* A byte of the current block's code; sets s->fetch_fault if its page is not
 * mapped (the caller ends the block before this insn, or faults if it is the
 * first). */
uint8_t x86_code_byte(DisasContext *s, uint64_t pc)
{
    int page = (pc & GUEST_PAGE_MASK) != (s->tb_pc & GUEST_PAGE_MASK);
    if (page && !s->page_host[1] && s->page_ram[1] == 0) {
        CpuState *env = &s->cpu->env;
        bool ok;
        uint8_t *host;
        if ((pc & GUEST_PAGE_MASK) != (s->tb_pc & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE) {
            s->fetch_fault = true;
            return 0;
        }
        s->page_ram[1] = tlb_probe_code(&env->tcg, pc, s->mem_idx, &host, &ok);
        if (!ok || !host) {
            s->page_ram[1] = 0;
            s->fetch_fault = true;
            return 0;
        }
        s->page_host[1] = host - (pc & (GUEST_PAGE_SIZE - 1));
    }
    if (!s->page_host[page]) {
        s->fetch_fault = true;
        return 0;
    }
    return s->page_host[page][pc & (GUEST_PAGE_SIZE - 1)];
}

static uint8_t fetch8(DisasContext *s)
{
    uint8_t b = x86_code_byte(s, s->pc);
    s->pc++;
    if (s->pc - s->insn_pc > 15)
        s->too_long = true;
    return b;
}

static uint16_t fetch16(DisasContext *s)
{
    uint16_t v = fetch8(s);
    return v | (uint16_t)(fetch8(s) << 8);
}

static uint32_t fetch32(DisasContext *s)
{
    uint32_t v = fetch16(s);
    return v | ((uint32_t)fetch16(s) << 16);
}

static uint32_t fetch_sized(DisasContext *s, int ot)
{
    switch (ot) {
    case MO_8: return fetch8(s);
    case MO_16: return fetch16(s);
    default: return fetch32(s);
    }
}

/* -- Decoding ------------------------------------------------------------------------ */

static void decode_prefixes(DisasContext *s, X86Insn *d, uint8_t *b)
{
    d->seg_override = -1;
    for (;;) {
        *b = fetch8(s);
        switch (*b) {
        case 0xf3: d->prefixes = (d->prefixes & ~PREFIX_REPNZ) | PREFIX_REPZ; continue;
        case 0xf2: d->prefixes = (d->prefixes & ~PREFIX_REPZ) | PREFIX_REPNZ; continue;
        case 0xf0: d->prefixes |= PREFIX_LOCK; continue;
        case 0x2e: d->seg_override = CPU_CS; continue;
        case 0x36: d->seg_override = CPU_SS; continue;
        case 0x3e: d->seg_override = CPU_DS; continue;
        case 0x26: d->seg_override = CPU_ES; continue;
        case 0x64: d->seg_override = CPU_FS; continue;
        case 0x65: d->seg_override = CPU_GS; continue;
        case 0x66: d->prefixes |= PREFIX_DATA; continue;
        case 0x67: d->prefixes |= PREFIX_ADR; continue;
        default: break;
        }
        if (s->too_long || s->fetch_fault)
            return;
        break;
    }
    d->ot = (s->code32 ^ !!(d->prefixes & PREFIX_DATA)) ? MO_32 : MO_16;
    d->aflag = (s->code32 ^ !!(d->prefixes & PREFIX_ADR)) ? MO_32 : MO_16;
}

static void decode_modrm(DisasContext *s, X86Insn *d)
{
    if (d->has_modrm)
        return;
    d->modrm = fetch8(s);
    d->has_modrm = true;
    d->mod = d->modrm >> 6;
    d->reg = (d->modrm >> 3) & 7;
    d->rm = d->modrm & 7;
}

/* Follow group/prefix/mod sub-tables to the instruction's row, merging the
 * areas' maps level by level (decode.h). cand[] holds each area's row. */
#define MAX_AREAS 4
static const X86OpEntry *resolve_entry(DisasContext *s, X86Insn *d, const X86OpEntry **cand,
                                       int n)
{
    for (;;) {
        const X86OpEntry *first = NULL;
        int idx, m = 0;
        for (int i = 0; i < n; i++) {
            if (cand[i] && !x86_entry_empty(cand[i])) {
                cand[m++] = cand[i];
                if (!first)
                    first = cand[i];
            }
        }
        n = m;
        if (!first)
            return NULL;
        switch (first->type) {
        case X86_ENTRY_OP:
            return first;
        case X86_ENTRY_X87:
            return first;
        case X86_ENTRY_GROUP:
            decode_modrm(s, d);
            idx = d->reg;
            break;
        case X86_ENTRY_PREFIX:
            /* Mandatory prefix (SDM Vol. 2 2.1.2): F3/F2 win over 66. */
            idx = d->prefixes & PREFIX_REPZ ? 2 : d->prefixes & PREFIX_REPNZ ? 3 :
                  d->prefixes & PREFIX_DATA ? 1 : 0;
            if (idx == 1)   /* 66 selected the row: it no longer sizes operands */
                d->ot = s->code32 ? MO_32 : MO_16;
            break;
        case X86_ENTRY_MODRM_MOD:
            decode_modrm(s, d);
            idx = d->mod == 3;
            break;
        case X86_ENTRY_RM:
            decode_modrm(s, d);
            idx = d->rm;
            break;
        default:
            return NULL;
        }
        for (int i = 0; i < n; i++)
            cand[i] = cand[i]->type == first->type ? &cand[i]->sub[idx] : NULL;
    }
}

/* Effective address of a ModRM memory operand (SDM Vol. 2 2.1.5), as an
 * offset of address-size width; also picks the default segment. */
static IrTemp decode_ea(DisasContext *s, X86Insn *d)
{
    IrFunc *f = s->f;
    IrTemp ea = gen_tmp(s);
    int32_t disp = 0;
    int def_seg = CPU_DS;

    if (d->aflag == MO_16) {
        static const int8_t base16[8] = { X86_R_BX, X86_R_BX, X86_R_BP, X86_R_BP, -1, -1, X86_R_BP, X86_R_BX };
        static const int8_t index16[8] = { X86_R_SI, X86_R_DI, X86_R_SI, X86_R_DI, X86_R_SI, X86_R_DI, -1, -1 };
        d->ea_base = base16[d->rm];
        d->ea_index = index16[d->rm];
        if (d->mod == 0 && d->rm == 6) {
            d->ea_base = -1;
            disp = fetch16(s);
            ir_movi(f, IR_I32, ea, (uint32_t)disp);
            d->mem_seg = d->seg_override >= 0 ? d->seg_override : CPU_DS;
            return ea;
        }
        if (d->mod == 1)
            disp = (int8_t)fetch8(s);
        else if (d->mod == 2)
            disp = (int16_t)fetch16(s);
        if (base16[d->rm] >= 0)
            ir_mov(f, IR_I32, ea, G->regs[base16[d->rm]]);
        else
            ir_movi(f, IR_I32, ea, 0);
        if (index16[d->rm] >= 0)
            ir_add(f, IR_I32, ea, ea, G->regs[index16[d->rm]]);
        if (disp)
            ir_addi(f, IR_I32, ea, ea, (uint32_t)disp);
        ir_ext16u(f, IR_I32, ea, ea);
        if (base16[d->rm] == X86_R_BP)
            def_seg = CPU_SS;
    } else {
        int base = d->rm, index = -1, scale = 0;
        if (base == 4) {                      /* SIB byte */
            uint8_t sib = fetch8(s);
            scale = sib >> 6;
            index = (sib >> 3) & 7;
            base = sib & 7;
            if (index == 4)
                index = -1;                   /* no index */
            if (base == 5 && d->mod == 0) {
                base = -1;
                disp = (int32_t)fetch32(s);
            }
        } else if (base == 5 && d->mod == 0) {
            base = -1;
            disp = (int32_t)fetch32(s);
        }
        if (d->mod == 1)
            disp = (int8_t)fetch8(s);
        else if (d->mod == 2)
            disp = (int32_t)fetch32(s);
        d->ea_base = (int8_t)base;
        d->ea_index = (int8_t)index;
        if (base >= 0)
            ir_mov(f, IR_I32, ea, G->regs[base]);
        else
            ir_movi(f, IR_I32, ea, 0);
        if (index >= 0) {
            IrTemp idx = G->regs[index];
            if (scale) {
                idx = gen_tmp(s);
                ir_shli(f, IR_I32, idx, G->regs[index], (unsigned)scale);
            }
            ir_add(f, IR_I32, ea, ea, idx);
        }
        if (disp)
            ir_addi(f, IR_I32, ea, ea, (uint32_t)disp);
        if (base == X86_R_SP || base == X86_R_BP)
            def_seg = CPU_SS;
    }
    d->mem_seg = d->seg_override >= 0 ? d->seg_override : def_seg;
    return ea;
}

static int operand_ot(X86Insn *d, int size)
{
    switch (size) {
    case X86_SZ_b: return MO_8;
    case X86_SZ_w: return MO_16;
    case X86_SZ_d: return MO_32;
    case X86_SZ_q: return MO_64;
    case X86_SZ_v: case X86_SZ_z: return d->ot;
    default: return d->ot;
    }
}

static bool kind_uses_modrm(int kind)
{
    switch (kind) {
    case X86_KIND_E: case X86_KIND_G: case X86_KIND_M: case X86_KIND_R: case X86_KIND_S:
    case X86_KIND_C: case X86_KIND_D: case X86_KIND_N: case X86_KIND_P: case X86_KIND_Q:
    case X86_KIND_U: case X86_KIND_V: case X86_KIND_W:
        return true;
    default:
        return false;
    }
}

static bool kind_is_rm(int kind)
{
    return kind == X86_KIND_E || kind == X86_KIND_M || kind == X86_KIND_Q || kind == X86_KIND_W;
}

/* Decode operand i's encoding (immediates, registers, memory address). */
static bool decode_operand(DisasContext *s, X86Insn *d, int i)
{
    const X86OpEntry *e = d->e;
    X86Operand *op = &d->op[i];
    int kind = e->kind[i], size = e->size[i];

    op->kind = (uint8_t)kind;
    op->ot = (uint8_t)operand_ot(d, size);
    switch (kind) {
    case X86_KIND_NONE:
        return true;
    case X86_KIND_E: case X86_KIND_M: case X86_KIND_Q: case X86_KIND_W:
        if (d->mod != 3) {
            op->is_mem = true;
            d->ea = decode_ea(s, d);
            return true;
        }
        if (kind == X86_KIND_M)
            return false;                       /* register form of a memory-only op */
        op->reg = d->rm;
        return true;
    case X86_KIND_R: case X86_KIND_N: case X86_KIND_U:
        op->reg = d->rm;
        return true;
    case X86_KIND_G: case X86_KIND_S: case X86_KIND_C: case X86_KIND_D: case X86_KIND_P:
    case X86_KIND_V:
        op->reg = d->reg;
        return kind != X86_KIND_S || d->reg < 6;  /* segment registers 6, 7 do not exist */
    case X86_KIND_Z:
        op->reg = d->opcode & 7;
        return true;
    case X86_KIND_REG: case X86_KIND_SEG:
        op->reg = e->reg[i];
        return true;
    case X86_KIND_I:
        if (size == X86_SZ_b && (e->flags & X86_BYTE_IMM)) {
            d->imm = (uint32_t)(int32_t)(int8_t)fetch8(s);
            if (d->op[0].ot == MO_16)
                d->imm &= 0xffff;
        } else if (i == 2 && d->e->kind[1] == X86_KIND_I) {
            d->imm2 = fetch_sized(s, op->ot);     /* ENTER Iw, Ib */
        } else {
            d->imm = fetch_sized(s, size == X86_SZ_z ? d->ot : op->ot);
        }
        return true;
    case X86_KIND_J: {
        int32_t rel = size == X86_SZ_b ? (int8_t)fetch8(s) :
                      d->ot == MO_16 ? (int16_t)fetch16(s) : (int32_t)fetch32(s);
        uint32_t target = next_eip(s) + (uint32_t)rel;
        d->imm = d->ot == MO_16 ? (target & 0xffff) : target;
        return true;
    }
    case X86_KIND_O:
        op->is_mem = true;
        d->mem_seg = d->seg_override >= 0 ? d->seg_override : CPU_DS;
        d->ea = gen_const(s, fetch_sized(s, d->aflag));
        return true;
    case X86_KIND_A:
        d->imm = fetch_sized(s, d->ot);
        d->imm2 = fetch16(s);
        return true;
    case X86_KIND_1:
    case X86_KIND_X: case X86_KIND_Y:
        return true;
    }
    return false;
}

/* Load source operand i into op->t. */
static void load_operand(DisasContext *s, X86Insn *d, int i)
{
    X86Operand *op = &d->op[i];
    switch (op->kind) {
    case X86_KIND_E: case X86_KIND_G: case X86_KIND_Z: case X86_KIND_REG: case X86_KIND_R:
        if (op->is_mem) {
            op->t = gen_tmp(s);
            gen_ld(s, op->ot, op->t, d->addr);
        } else {
            op->t = gen_get_reg(s, op->ot, op->reg);
        }
        break;
    case X86_KIND_O:
        op->t = gen_tmp(s);
        gen_ld(s, op->ot, op->t, d->addr);
        break;
    case X86_KIND_I: case X86_KIND_J: case X86_KIND_A:
        op->t = gen_const(s, i == 2 && d->e->kind[1] == X86_KIND_I ? d->imm2 : d->imm);
        break;
    case X86_KIND_1:
        op->t = gen_const(s, 1);
        break;
    case X86_KIND_S: case X86_KIND_SEG:
        op->t = gen_get_seg_selector(s, op->reg);
        break;
    default:
        break;                          /* M, X, Y, C, D, MMX/XMM: the gen function's business */
    }
}

static void writeback(DisasContext *s, X86Insn *d)
{
    X86Operand *op = &d->op[0];
    switch (op->kind) {
    case X86_KIND_E: case X86_KIND_G: case X86_KIND_Z: case X86_KIND_REG: case X86_KIND_R:
    case X86_KIND_O:
        if (op->is_mem)
            gen_st(s, op->ot, op->t, d->addr);
        else
            gen_set_reg(s, op->ot, op->reg, op->t);
        break;
    default:
        break;
    }
}

/* The lazy-flag globals cc_op's group does not read (cc.h) are dead: say
 * so, so that the optimiser drops earlier stores to them (and the flag
 * computations feeding those stores). */
void gen_discard_unused_cc(DisasContext *s, int cc_op)
{
    int group = cc_op >= CC_OP_ADDB ? cc_op_group((CcOp)cc_op) : cc_op;
    bool dst = true, src = true, src2 = false;
    switch (group) {
    case CC_OP_DYNAMIC: return;
    case CC_OP_ADCB: case CC_OP_SBBB: src2 = true; break;
    case CC_OP_LOGICB: src = false; break;
    case CC_OP_EFLAGS: dst = false; break;
    case CC_OP_CLR: dst = src = false; break;
    default: break;
    }
    if (!dst)
        ir_discard(s->f, G->cc_dst);
    if (!src)
        ir_discard(s->f, G->cc_src);
    if (!src2)
        ir_discard(s->f, G->cc_src2);
}

/* Flags are committed after the writeback; a flag source that is a guest
 * register global would by then hold the new value, so copy it first. */
static void keep_cc_sources(DisasContext *s, X86Insn *d)
{
    IrTemp *src[4] = { &d->cc_dst, &d->cc_src, &d->cc_src2, &d->cc_srcT };
    if (d->cc_op < 0)
        return;
    for (int i = 0; i < 4; i++) {
        if (*src[i] && ir_temp_is_global(s->f, *src[i])) {
            IrTemp t = gen_tmp(s);
            ir_mov(s->f, IR_I32, t, *src[i]);
            *src[i] = t;
        }
    }
}

static void commit_flags(DisasContext *s, X86Insn *d)
{
    int size;
    if (d->cc_op < 0)
        return;
    size = cc_op_size((CcOp)d->cc_op);
    /* Results are kept zero-extended to their size so conditions can test
     * cc_dst directly. */
    if (d->cc_dst)
        ir_mov(s->f, IR_I32, G->cc_dst, size >= 0 ? gen_ext(s, size, d->cc_dst, false) : d->cc_dst);
    if (d->cc_src)
        ir_mov(s->f, IR_I32, G->cc_src, d->cc_src);
    if (d->cc_src2)
        ir_mov(s->f, IR_I32, G->cc_src2, d->cc_src2);
    gen_set_cc_op(s, d->cc_op);
    if (cc_op_group((CcOp)d->cc_op) == CC_OP_SUBB)
        s->cc_srcT = d->cc_srcT;
    gen_discard_unused_cc(s, d->cc_op);
}

/* Mode checks a row asks for (SDM: "Protected Mode Exceptions" etc.). */
static bool check_mode(DisasContext *s, X86Insn *d)
{
    uint32_t fl = d->e->flags;
    if ((fl & X86_NO_REAL) && !s->pe) {
        gen_illegal(s);
        return false;
    }
    if ((fl & X86_NO_V86) && s->vm86) {
        gen_illegal(s);
        return false;
    }
    if ((fl & X86_PRIV) && s->cpl != 0) {
        gen_exception_err(s, EXCP_GP, 0);
        return false;
    }
    /* LOCK: only on the listed instructions with a memory destination. */
    if ((d->prefixes & PREFIX_LOCK) && (!(fl & X86_LOCK) || !d->op[0].is_mem)) {
        gen_illegal(s);
        return false;
    }
    return true;
}

static void disas_insn(DisasContext *s)
{
    X86Insn insn, *d = &insn;
    const X86OpEntry *e;
    uint8_t b;
    bool decoded = true;

    memset(d, 0, sizeof(*d));
    d->cc_op = -1;
    s->insn = d;
    const X86OpEntry *cand[MAX_AREAS];
    int ncand;

    decode_prefixes(s, d, &b);
    if (b == 0x0f) {
        b = fetch8(s);
        d->opcode = 0x0f00 | b;
        cand[0] = &x86_optab_int_0f[b];
        cand[1] = &x86_optab_sys_0f[b];
        cand[2] = &x86_optab_sse_0f[b];
        ncand = 3;
    } else {
        d->opcode = b;
        cand[0] = &x86_optab_int_1[b];
        cand[1] = &x86_optab_sys_1[b];
        cand[2] = &x86_optab_x87_1[b];
        ncand = 3;
    }
    e = resolve_entry(s, d, cand, ncand);
    if (e && (e->flags & X86_MODRM || kind_uses_modrm(e->kind[0]) ||
              kind_uses_modrm(e->kind[1]) || kind_uses_modrm(e->kind[2])))
        decode_modrm(s, d);
    if (s->fetch_fault)
        return;
    if (!e) {
        gen_illegal(s);
        return;
    }
    d->e = e;
    if (e->type == X86_ENTRY_X87) {
        x86_translate_x87(s, d);
        return;
    }
    for (int i = 0; i < 3; i++) {
        if (!decoded)
            break;
        if (kind_uses_modrm(e->kind[i]))
            decode_modrm(s, d);
        if (kind_is_rm(e->kind[i]) && d->op[0].is_mem && i > 0) {
            d->op[i] = d->op[0];          /* never two memory operands */
            continue;
        }
        decoded = decode_operand(s, d, i);
    }
    if (s->fetch_fault)
        return;
    if (s->too_long) {
        gen_exception_err(s, EXCP_GP, 0);   /* SDM Vol. 2 2.3.11: > 15 bytes */
        return;
    }
    if (!decoded) {
        gen_illegal(s);
        return;
    }
    if (!check_mode(s, d))
        return;

    /* The memory operand's linear address, checked for the kind of access. */
    for (int i = 0; i < 3; i++) {
        if (d->op[i].is_mem && d->op[i].kind != X86_KIND_M && e->kind[i] != X86_KIND_Q &&
            e->kind[i] != X86_KIND_W) {
            bool write = i == 0 && !(e->flags & X86_RO);
            d->addr = gen_seg_addr(s, d->mem_seg, d->ea, 1u << d->op[i].ot, write);
            break;
        }
    }
    if (!(e->flags & X86_WO))
        load_operand(s, d, 0);
    for (int i = 1; i < 3; i++)
        load_operand(s, d, i);

    e->gen(s, d);
    if (s->is_jmp == DISAS_NORETURN)
        return;
    keep_cc_sources(s, d);
    if (!(e->flags & (X86_RO | X86_NOWB)))
        writeback(s, d);
    commit_flags(s, d);
    if (e->flags & X86_END_TB)
        gen_eob(s);
}

/* Address of the memory operand for gen functions that need another size
 * or kind of access than the row's (M operands: LGDT, far pointers...). */
IrTemp gen_mem_addr(DisasContext *s, X86Insn *d, unsigned size, bool write)
{
    return gen_seg_addr(s, d->mem_seg, d->ea, size, write);
}

/* -- The block loop ------------------------------------------------------------------ */

static void start_block(DisasContext *s, Cpu *cpu, uint64_t pc, uint64_t cs_base,
                        uint32_t flags, uint32_t cflags)
{
    memset(s, 0, sizeof(*s));
    s->cpu = cpu;
    s->f = cpu->ir;
    s->tb_pc = s->pc = pc;
    s->cs_base = cs_base;
    s->hflags = flags & TB_MODE_MASK;
    s->cflags = cflags;
    s->cpl = flags & HF_CPL_MASK;
    s->pe = flags & HF_PE;
    s->vm86 = flags & HF_VM;
    s->code32 = flags & HF_CS32;
    s->ss32 = flags & HF_SS32;
    s->mem_idx = s->cpl == 3 ? MMU_USER : MMU_KERNEL;
    s->cc_op = CC_OP_DYNAMIC;
    ir_func_reset(s->f, &cpu->globals);
    if (tb_cc_of(flags) > CC_OP_DYNAMIC && tb_cc_of(flags) < CC_OP_NB) {
        /* env->cc_op on entry: the guard makes sure of it (a linked jump
         * may come with another), and goes if no code depends on it. */
        s->cc_op = (int)tb_cc_of(flags);
        s->cc_op_entry = true;
        ir_tb_guard(s->f, G->cc_op, (uint32_t)s->cc_op);
    }
    s->max_insns = (cflags & CF_COUNT_MASK) ? (int)(cflags & CF_COUNT_MASK) : TB_MAX_INSNS;
    if (flags & HF_TF)
        s->max_insns = 1;
    s->page_ram[1] = 0;
}

static void end_block(DisasContext *s)
{
    switch (s->is_jmp) {
    case DISAS_NEXT:
    case DISAS_TOO_MANY:
        gen_jmp(s, next_eip(s));
        break;
    case DISAS_EOB_NEXT:
    case DISAS_EOB_INHIBIT:
        gen_update_cc_op(s);
        gen_update_eip_next(s);
        if (s->is_jmp == DISAS_EOB_INHIBIT)
            gen_helper_set_inhibit_irq(s);
        if (s->hflags & HF_TF)
            gen_helper_debug_trap(s);
        ir_exit_tb(s->f, IR_EXIT_NORMAL);
        break;
    case DISAS_NORETURN:
        break;
    }
}

/* The TB for what was translated: made for the entry cc_op only if its
 * code used it (flags' TB_CC_SHIFT field), with the guard start_block put
 * first; else for any cc_op, without the guard. */
static TB *create_tb(DisasContext *s, uint64_t pc, uint64_t cs_base, uint32_t flags,
                     uint32_t cflags)
{
    uint32_t cc = s->entry_cc_used ? tb_cc_of(flags) : TB_CC_ANY;
    IrOp *guard = &s->f->ops[0];
    if (!s->entry_cc_used && guard->opc == IR_tb_guard) {
        guard->opc = IR_discard;                /* dropped by the optimiser */
        guard->args[0] = gen_const(s, 0);
    }
    return tb_create(s->cpu->tbs, &s->cpu->env.tcg, s->f, pc, cs_base,
                     (flags & TB_MODE_MASK) | cc << TB_CC_SHIFT, cflags,
                     (uint16_t)(s->pc - s->tb_pc), s->page_ram[0],
                     s->page_host[1] ? (s->page_ram[1] & GUEST_PAGE_MASK) : ~0ull, s->ninsns,
                     s->insn_pc_off, s->insn_aux);
}

TB *x86_translate_block(Cpu *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags, uint32_t cflags)
{
    CpuState *env = &cpu->env;
    DisasContext s;
    uint8_t *host;
    uint64_t ram;

    start_block(&s, cpu, pc, cs_base, flags, cflags);
    /* The first page: a fault here is the first instruction's, raised now. */
    ram = tlb_code_ram_addr(&env->tcg, pc, s.mem_idx, &host);
    if (ram == ~0ull) {
        log_unimp("executing code from MMIO at 0x%llx", (unsigned long long)pc);
        helper_raise_exception_err(env, EXCP_GP, 0);
    }
    s.page_ram[0] = ram;
    s.page_host[0] = host - (pc & (GUEST_PAGE_SIZE - 1));

    for (;;) {
        int nops = s.f->nops, ntemps = s.f->ntemps, nlabels = s.f->nlabels;
        int cc_op = s.cc_op;
        bool dirty = s.cc_op_dirty, entry = s.cc_op_entry;
        IrTemp srcT = s.cc_srcT;
        /* For the unwinder: the cc_op at the insn's start, if env does not
         * hold it (while it is the entry one, env does). */
        int aux = s.cc_op_entry ? CC_OP_DYNAMIC : s.cc_op;

        s.insn_pc = s.pc;
        s.fetch_fault = s.too_long = false;
        s.insn_pc_off[s.ninsns] = (uint16_t)(s.insn_pc - s.tb_pc);
        s.insn_aux[s.ninsns] = (uint16_t)aux;
        ir_insn_start(s.f, (uint32_t)(s.insn_pc - s.tb_pc), (uint32_t)aux);
        disas_insn(&s);
        if (s.fetch_fault) {
            /* Undo this instruction: it runs (and faults) as the next block's first. */
            s.f->nops = nops;
            s.f->ntemps = ntemps;
            s.f->nlabels = nlabels;
            s.cc_op = cc_op;
            s.cc_op_dirty = dirty;
            s.cc_op_entry = entry;
            s.cc_srcT = srcT;
            s.pc = s.insn_pc;
            if (s.ninsns == 0) {
                /* The first instruction itself runs into an unmapped page:
                 * this raises the #PF (CR2 = that page's first byte). */
                tlb_code_ram_addr(&env->tcg, (s.insn_pc & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE,
                                  s.mem_idx, &host);
                log_unimp("instruction at 0x%llx runs into MMIO", (unsigned long long)s.insn_pc);
                helper_raise_exception_err(env, EXCP_GP, 0);
            }
            s.is_jmp = DISAS_TOO_MANY;
            break;
        }
        s.ninsns++;
        if (s.is_jmp != DISAS_NEXT)
            break;
        if (s.ninsns >= s.max_insns || s.f->nops > IR_MAX_OPS - 512 ||
            s.f->ntemps > IR_MAX_TEMPS - 256 ||
            (s.pc & GUEST_PAGE_MASK) != (s.tb_pc & GUEST_PAGE_MASK)) {
            s.is_jmp = DISAS_TOO_MANY;
            break;
        }
    }
    end_block(&s);
    if (s.f->overflow)
        panic("translate: block at 0x%llx overflowed the IR buffers",
              (unsigned long long)pc);
    if (log_enabled(LOG_IN_ASM))
        log_printf("IN: pc=0x%llx %d insns, %u bytes\n", (unsigned long long)pc, s.ninsns,
                   (unsigned)(s.pc - s.tb_pc));
    return create_tb(&s, pc, cs_base, flags, cflags);
}
