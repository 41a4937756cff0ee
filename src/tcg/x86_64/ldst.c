/* ldst.c — qemu_ld/qemu_st for the x86-64 JIT: the softmmu TLB hit path
 * inline, the miss path out of line after the block body.
 *
 * Hit path (tlb.h's fast path, with r10/r11 as scratch):
 *     r10 = (addr >> (12 - 5)) & ((TLB_SIZE - 1) << 5)   ; entry offset
 *     r11 = (addr + size - 1) & TLB_PAGE_MASK              ; page-crossing never matches
 *     cmp r11, tlb.e[mmu][idx].addr_read/addr_write ; jne miss
 *     r10 = tlb.e[mmu][idx].addend ; access [addr + r10]
 * Miss path: save the caller-saved registers live across the op, call
 * tlb_load/tlb_store(env, addr, [value,] memop, ra) with ra = the address
 * just after the hit path's access — inside the guest instruction's own
 * code, so a fault unwinds to it — restore, and jump back to ra.
 * Only the miss path can raise, so that is where cached globals that are
 * newer than their homes get stored (ra_collect_dirty lists them); the hit
 * path leaves them in registers.
 */
#include "tcg/x86_64/jit.h"
#include "base/log.h"

#define TLB_ENTRY_BITS 5
_Static_assert(sizeof(TlbEntry) == 1 << TLB_ENTRY_BITS, "the index computation shifts by 5");

/* Look up addr's entry; leaves the addend in r10 and returns the rel32
 * field of the jump to the miss path. */
static uint8_t *emit_tlb_lookup(Jit *j, int addr, unsigned memop, bool store)
{
    Asm *a = &j->a;
    unsigned size = memop_size(memop);
    int64_t mode = (int64_t)memop_mmu(memop) * TLB_SIZE * sizeof(TlbEntry);
    int64_t tlb_off = (char *)j->env->tlb - (char *)j->env;
    int base = JIT_ENV, index = JIT_TMP0;
    int32_t disp;
    uint8_t *jne;

    emit_mov_rr(a, P_REXW, JIT_TMP0, addr);
    emit_shifti(a, P_REXW, SHIFT_SHR, JIT_TMP0, GUEST_PAGE_BITS - TLB_ENTRY_BITS);
    emit_arithi(a, 0, ARITH_AND, JIT_TMP0, (TLB_SIZE - 1) << TLB_ENTRY_BITS);
    if (fits_i32(tlb_off + mode) && fits_i32(tlb_off + mode + TLB_SIZE * sizeof(TlbEntry))) {
        disp = (int32_t)(tlb_off + mode);
    } else {
        /* The TLB is not near env (a test's state): go through env->tlb. */
        emit_rm(a, (OPC_ARITH_GvEv + (ARITH_ADD << 3)) | P_REXW, JIT_TMP0, JIT_ENV,
                offsetof(TcgCpuState, tlb));
        base = JIT_TMP0;
        index = R_NONE;
        disp = (int32_t)mode;
    }
    if (size > 1)
        emit_rm(a, OPC_LEA | P_REXW, JIT_TMP1, addr, (int32_t)size - 1);
    else
        emit_mov_rr(a, P_REXW, JIT_TMP1, addr);
    emit_arithi(a, P_REXW, ARITH_AND, JIT_TMP1, (int32_t)TLB_PAGE_MASK);
    emit_rm_sib(a, (OPC_ARITH_GvEv + (ARITH_CMP << 3)) | P_REXW, JIT_TMP1, base, index, 0,
                disp + (int32_t)(store ? offsetof(TlbEntry, addr_write) : offsetof(TlbEntry, addr_read)));
    jne = emit_jcc_fwd(a, JCC_JNE);
    emit_rm_sib(a, OPC_MOVL_GvEv | P_REXW, JIT_TMP0, base, index, 0,
                disp + (int32_t)offsetof(TlbEntry, addend));
    return jne;
}

/* Room for another miss path: when the list is full, emit the pending ones
 * here, jumped around. */
static SlowPath *new_slow_path(Jit *j)
{
    if (j->nslow == JIT_MAX_SLOW) {
        uint8_t *skip;
        emit8(&j->a, OPC_JMP_long);
        emit32(&j->a, 0);
        skip = j->a.p - 4;
        jit_emit_slow_paths(j);
        patch_rel32(&j->a, skip, asm_rx_here(&j->a));
    }
    return &j->slow[j->nslow++];
}

static int load_opc(unsigned memop, int type)
{
    int w = type == IR_I64 ? P_REXW : 0;
    switch (memop & (MO_SIZE | MO_SIGN)) {
    case MO_8: return OPC_MOVZBL;
    case MO_8 | MO_SIGN: return OPC_MOVSBL | w;
    case MO_16: return OPC_MOVZWL;
    case MO_16 | MO_SIGN: return OPC_MOVSWL | w;
    case MO_32: return OPC_MOVL_GvEv;
    case MO_32 | MO_SIGN: return w ? OPC_MOVSLQ : OPC_MOVL_GvEv;
    default: return OPC_MOVL_GvEv | w;     /* MO_64; an I32 op keeps the low half */
    }
}

void jit_qemu_ld(Jit *j, const IrOp *op)
{
    unsigned memop = op->args[2];
    int addr, out;
    uint8_t *jne;
    SlowPath *s = new_slow_path(j);

    if (ir_temp_is_global(j->f, op->args[0]))
        ra_sync_one(j, op->args[0]);    /* its old value, should the load fault */
    addr = ra_in(j, op->args[1]);
    out = ra_out_reuse(j, op, 1);
    ra_collect_dirty(j, s, op->args[0]);
    jne = emit_tlb_lookup(j, addr, memop, false);
    emit_rm_sib(&j->a, load_opc(memop, op->type), out, addr, JIT_TMP0, 0, 0);
    s->jne = jne;
    s->ret = asm_rx_here(&j->a);
    s->memop = (uint8_t)memop;
    s->type = op->type;
    s->is_store = 0;
    s->save = (uint16_t)(ra_live_after(j, op) & JIT_CALLER_SAVED & ~(1u << out));
    s->addr = (int8_t)addr;
    s->val = R_NONE;
    s->out = (int8_t)out;
}

void jit_qemu_st(Jit *j, const IrOp *op)
{
    static const int opc_r[] = { OPC_MOVB_EvGv, OPC_MOVL_EvGv | P_DATA16, OPC_MOVL_EvGv,
                                 OPC_MOVL_EvGv | P_REXW };
    static const int opc_i[] = { OPC_MOVB_EvIb, OPC_MOVL_EvIz | P_DATA16, OPC_MOVL_EvIz,
                                 OPC_MOVL_EvIz | P_REXW };
    unsigned memop = op->args[2], lg = memop & MO_SIZE;
    IrTemp v = op->args[0];
    uint64_t imm = jit_is_const(j, v) ? jit_const(j, v) : 0;
    bool use_imm = jit_is_const(j, v) && (lg < MO_64 || fits_i32((int64_t)imm));
    int addr, val = R_NONE;
    uint8_t *jne;
    SlowPath *s = new_slow_path(j);

    if (!use_imm)
        val = ra_in(j, v);
    addr = ra_in(j, op->args[1]);
    ra_collect_dirty(j, s, 0);
    jne = emit_tlb_lookup(j, addr, memop, true);
    emit_rm_sib(&j->a, use_imm ? opc_i[lg] : opc_r[lg], use_imm ? 0 : val, addr, JIT_TMP0, 0, 0);
    if (use_imm) {
        if (lg == MO_8)
            emit8(&j->a, (uint8_t)imm);
        else if (lg == MO_16)
            emit16(&j->a, (uint16_t)imm);
        else
            emit32(&j->a, (uint32_t)imm);
    }
    s->jne = jne;
    s->ret = asm_rx_here(&j->a);
    s->memop = (uint8_t)memop;
    s->type = op->type;
    s->is_store = 1;
    s->save = (uint16_t)(ra_live_after(j, op) & JIT_CALLER_SAVED);
    s->addr = (int8_t)addr;
    s->val = (int8_t)val;
    s->out = R_NONE;
    s->imm = imm;
}

static void emit_slow_path(Jit *j, const SlowPath *s)
{
    Asm *a = &j->a;
    int npush = __builtin_popcount(s->save), n = 0;
    Move mv[2];

    patch_rel32(a, s->jne, asm_rx_here(a));
    /* The access may fault: cached globals go home first. */
    for (int i = 0; i < s->nsync; i++) {
        const SlowSync *g = &s->sync[i];
        if (g->reg != R_NONE) {
            emit_rm(a, OPC_MOVL_EvGv | P_REXW, g->reg, JIT_ENV, g->off);
        } else if (fits_i32((int64_t)g->imm)) {
            emit_rm(a, OPC_MOVL_EvIz | P_REXW, 0, JIT_ENV, g->off);
            emit32(a, (uint32_t)g->imm);
        } else {
            emit_movi(a, JIT_TMP1, g->imm);
            emit_rm(a, OPC_MOVL_EvGv | P_REXW, JIT_TMP1, JIT_ENV, g->off);
        }
    }
    for (int r = 0; r < 16; r++)
        if (s->save >> r & 1)
            emit_push(a, r);
    if (npush & 1)      /* rsp 16-byte aligned at the call */
        emit_arithi(a, P_REXW, ARITH_SUB, R_RSP, 8);
    mv[n++] = (Move){ R_RSI, s->addr, 0 };
    if (s->is_store && s->val != R_NONE)
        mv[n++] = (Move){ R_RDX, s->val, 0 };
    jit_parallel_move(j, mv, n);
    emit_mov_rr(a, P_REXW, R_RDI, JIT_ENV);
    if (s->is_store && s->val == R_NONE)
        emit_movi(a, R_RDX, s->imm);
    /* tlb_store(env, addr, value, memop, ra); tlb_load(env, addr, memop, ra) */
    emit_movi(a, s->is_store ? R_RCX : R_RDX, s->memop);
    emit_rm_rip(a, OPC_LEA | P_REXW, s->is_store ? R_R8 : R_RCX, s->ret);
    jit_icount_store(a);                /* a device may ask the CPU to stop */
    emit_callfn(a, s->is_store ? (const void *)tlb_store : (const void *)tlb_load);
    jit_icount_load(a);
    if (!s->is_store)
        emit_mov_rr(a, s->type == IR_I64 ? P_REXW : 0, s->out, R_RAX);
    if (npush & 1)
        emit_arithi(a, P_REXW, ARITH_ADD, R_RSP, 8);
    for (int r = 15; r >= 0; r--)
        if (s->save >> r & 1)
            emit_pop(a, r);
    emit_jmp_to(a, s->ret);
}

void jit_emit_slow_paths(Jit *j)
{
    for (int i = 0; i < j->nslow; i++) {
        if (j->a.p + 256 > j->a.end) {
            j->overflow = true;
            break;
        }
        emit_slow_path(j, &j->slow[i]);
    }
    j->nslow = 0;
}
