/* translate.h — what gen_MNEMONIC() functions use to emit IR.
 *
 * Conventions for gen functions (see decode.h for how they are called):
 *  - Source operand temps (d->op[i].t) are read-only; they may be guest
 *    register globals. Put results in new temps (gen_tmp) and set
 *    d->op[0].t to the value operand 0 should receive.
 *  - Describe flags with set_cc(d, CC_OP_xxxB + ot, dst, src, src2); they
 *    are committed after the writeback, so a faulting store leaves the flags
 *    of the previous instruction intact (precise exceptions).
 *  - An instruction that writes several things must do every access that
 *    can fault before it changes any guest register.
 *  - Raise an exception with gen_exception(); the EIP and flags of the
 *    instruction are recovered automatically (no EIP store needed).
 *  - Anything that changes the CPU mode (hflags), IF, or the code the block
 *    was made from ends the block (X86_END_TB row flag, or gen_eob()).
 */
#ifndef EMU_CPU_TRANSLATE_H
#define EMU_CPU_TRANSLATE_H

#include "cpu/state.h"
#include "cpu/decode.h"
#include "cpu/helpers.h"

#define TB_MAX_INSNS CF_COUNT_MASK

typedef enum {
    DISAS_NEXT,          /* keep translating */
    DISAS_TOO_MANY,      /* stop here: size/page/count limit; chain to the next insn */
    DISAS_NORETURN,      /* the block's exit has been emitted */
    DISAS_EOB_NEXT,      /* store the next EIP and leave to the loop (mode changed) */
    DISAS_EOB_INHIBIT,   /* as EOB_NEXT, and hold interrupts for one instruction */
} DisasJumpType;

struct DisasContext {
    Cpu *cpu;
    IrFunc *f;
    uint64_t tb_pc;               /* linear address of the block's first insn */
    uint64_t insn_pc;             /* linear address of the current insn */
    uint64_t pc;                  /* next byte to decode */
    uint64_t cs_base;
    uint32_t hflags;
    uint32_t cflags;
    int cpl;
    bool pe, vm86, code32, ss32;
    int mem_idx;                  /* MMU_KERNEL / MMU_USER */
    int cc_op;                    /* CcOp known at this point, or CC_OP_DYNAMIC */
    bool cc_op_dirty;             /* env->cc_op must be written before leaving */
    bool cc_op_entry;             /* cc_op is still the one env held on entry */
    bool entry_cc_used;           /* code depends on it: the TB is specific to it */
    IrTemp cc_srcT;               /* with a SUB-group cc_op set in this block: its
                                     first operand (cmp a, b; jcc compares a, b) */
    DisasJumpType is_jmp;
    int ninsns, max_insns;
    uint16_t insn_pc_off[TB_MAX_INSNS];
    uint16_t insn_aux[TB_MAX_INSNS];
    uint64_t page_ram[2];         /* ram address of each code page (~0: none) */
    uint8_t *page_host[2];        /* host pointer of each code page's start */
    bool fetch_fault;             /* a byte of this insn could not be fetched */
    bool too_long;                /* more than 15 bytes */
    X86Insn *insn;                /* the instruction being translated */
};

/* IR globals: guest registers and lazy flags (set up by translate_init). */
typedef struct X86Globals {
    IrTemp regs[8];
    IrTemp eip;
    IrTemp cc_op, cc_dst, cc_src, cc_src2;
} X86Globals;
extern const X86Globals x86_globals;
#define G (&x86_globals)

/* -- Temps -- */
static inline IrTemp gen_tmp(DisasContext *s) { return ir_temp_new(s->f); }
static inline IrTemp gen_const(DisasContext *s, uint64_t v) { return ir_const(s->f, v); }
static inline uint32_t cur_eip(const DisasContext *s) { return (uint32_t)(s->insn_pc - s->cs_base); }
static inline uint32_t next_eip(const DisasContext *s) { return (uint32_t)(s->pc - s->cs_base); }
static inline int ot_bits(int ot) { return 8 << ot; }

/* -- Registers -- */
IrTemp gen_get_reg(DisasContext *s, int ot, int reg);       /* zero-extended value */
void gen_set_reg(DisasContext *s, int ot, int reg, IrTemp v);
IrTemp gen_ext(DisasContext *s, int ot, IrTemp v, bool sign); /* to 32 bits */
IrTemp gen_get_seg_selector(DisasContext *s, int seg);
IrTemp gen_get_seg_base(DisasContext *s, int seg);

/* -- Memory -- */
/* Linear address for an access of `size` bytes at `offset` (address-size
 * wide) in segment seg, with the segment limit/type checks. */
IrTemp gen_seg_addr(DisasContext *s, int seg, IrTemp offset, unsigned size, bool write);
void gen_ld(DisasContext *s, int ot, IrTemp dst, IrTemp addr);
void gen_lds(DisasContext *s, int ot, IrTemp dst, IrTemp addr); /* sign-extending */
void gen_st(DisasContext *s, int ot, IrTemp val, IrTemp addr);
/* Offset (address-size wide) of the memory operand for insns that compute
 * their own address (string ops, stack ops use their own). */
IrTemp gen_ea_mask(DisasContext *s, int aflag, IrTemp offset);

/* -- Stack: SS:eSP with the stack-size attribute -- */
/* Push: store first (may fault), then update ESP. */
void gen_push(DisasContext *s, int ot, IrTemp val);
/* Pop in two steps so the destination can be written after the ESP change
 * is known to be safe: load the value, then gen_pop_commit. */
IrTemp gen_pop_load(DisasContext *s, int ot);
void gen_pop_commit(DisasContext *s, int ot);
IrTemp gen_stack_addr(DisasContext *s, IrTemp sp_offset, unsigned size, bool write);

/* -- Flags -- */
static inline void set_cc(X86Insn *d, int cc_op, IrTemp dst, IrTemp src, IrTemp src2)
{
    d->cc_op = cc_op;
    d->cc_dst = dst;
    d->cc_src = src;
    d->cc_src2 = src2;
}
void gen_set_cc_op(DisasContext *s, int cc_op);
void gen_update_cc_op(DisasContext *s);      /* write env->cc_op if it is stale */
IrTemp gen_compute_eflags(DisasContext *s);  /* all of EFLAGS' OSZAPC bits */
IrTemp gen_compute_cf(DisasContext *s);      /* 0 or 1 */
/* The lazy-flag globals cc_op does not use are dead from here (discard). */
void gen_discard_unused_cc(DisasContext *s, int cc_op);
/* x86 condition code 0..15 (O, NO, B, NB, Z, NZ, BE, NBE, S, NS, P, NP, L, NL, LE, NLE). */
IrTemp gen_setcc(DisasContext *s, int cc);   /* 0 or 1 */
void gen_brcc(DisasContext *s, int cc, int label);  /* branch if condition holds */

/* -- Control flow -- */
void gen_update_eip_cur(DisasContext *s);
void gen_update_eip_next(DisasContext *s);
/* Jump to a known EIP (chains when it can) and end the block. */
void gen_jmp(DisasContext *s, uint32_t eip);
/* Jump to a computed EIP (in a temp) and end the block. */
void gen_jmp_indirect(DisasContext *s, IrTemp eip);
/* End the block after this insn and return to the loop (mode changes). */
void gen_eob(DisasContext *s);
/* Continue at eip: a linked jump (slot 0/1) when the target is on a page
 * the block depends on, else a lookup; no links while single-stepping. */
void gen_goto_eip(DisasContext *s, int slot, uint32_t eip);
/* End the block: to target if cond (a temp) is nonzero, else the next insn. */
void gen_branch_end(DisasContext *s, IrTemp cond, uint32_t target);
/* Jcc at the end of a block: to target if condition cc holds, else fall through. */
void gen_jcc_block_end(DisasContext *s, int cc, uint32_t target);
/* Raise exception excp (with error code, if the vector has one) at this insn. */
void gen_exception(DisasContext *s, int excp);
void gen_exception_err(DisasContext *s, int excp, uint32_t error_code);
/* #UD for an instruction we do not implement: logs its bytes once. */
void gen_illegal(DisasContext *s);

/* The memory operand's linear address for an access of `size` bytes, for gen
 * functions of M-operand rows (LGDT, far pointers, CMPXCHG8B...). */
IrTemp gen_mem_addr(DisasContext *s, X86Insn *d, unsigned size, bool write);
/* A byte of guest code at linear pc within the block being translated. */
uint8_t x86_code_byte(DisasContext *s, uint64_t pc);
void x86_register_globals(IrGlobalSet *set);

/* Translate one block starting at env's CS:EIP (translate.c). */
TB *x86_translate_block(Cpu *cpu, uint64_t pc, uint64_t cs_base, uint32_t flags,
                        uint32_t cflags);

/* The per-area dispatch for x87 escapes (optab_x87.c). */
void x86_translate_x87(DisasContext *s, X86Insn *d);

#include "cpu/helpers_gen.h"

#endif
