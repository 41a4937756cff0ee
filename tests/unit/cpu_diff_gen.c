/* cpu_diff_gen.c — see cpu_diff_gen.h. No suite of its own. */
#include <stdarg.h>
#include <string.h>
#include "unit/cpu_diff_gen.h"

enum { F_CF = 0x1, F_PF = 0x4, F_AF = 0x10, F_ZF = 0x40, F_SF = 0x80, F_DF = 0x400,
       F_OF = 0x800, F_ALL = F_CF | F_PF | F_AF | F_ZF | F_SF | F_OF };
enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

/* -- The sequence under construction -------------------------------------------- */

static uint32_t rnd(Seq *q)
{
    q->rng ^= q->rng << 13;
    q->rng ^= q->rng >> 7;
    q->rng ^= q->rng << 17;
    return (uint32_t)(q->rng >> 16);
}
static uint32_t rn(Seq *q, uint32_t n) { return rnd(q) % n; }
static bool chance(Seq *q, int percent) { return rn(q, 100) < (uint32_t)percent; }

static void emit8(Seq *q, uint32_t b) { q->code[q->len++] = (uint8_t)b; }
static void emit16(Seq *q, uint32_t v) { emit8(q, v); emit8(q, v >> 8); }
static void emit32(Seq *q, uint32_t v) { emit16(q, v); emit16(q, v >> 16); }
static void emit_sized(Seq *q, int bytes, uint32_t v)
{
    for (int i = 0; i < bytes; i++)
        emit8(q, v >> (8 * i));
}

/* A template unit starts: resolve forward branches that land here. */
static void unit_begin(Seq *q)
{
    for (int i = 0; i < q->nfix; i++) {
        Fixup *f = &q->fix[i];
        if (f->units_left-- > 0 && q->len - (f->pos + (uint32_t)f->size) < 100)
            continue;
        uint32_t rel = q->len - (f->pos + (uint32_t)f->size);
        memcpy(q->code + f->pos, &rel, (size_t)f->size);
        q->undef |= f->undef;
        q->fix[i--] = q->fix[--q->nfix];
    }
}

static void begin(Seq *q, const char *fmt, ...)
{
    SeqInsn *in = &q->insn[q->n];
    va_list ap;
    in->off = (uint16_t)q->len;
    in->undef_before = q->undef;
    va_start(ap, fmt);
    vsnprintf(in->desc, sizeof(in->desc), fmt, ap);
    va_end(ap);
}

/* The instruction is complete: it defines `def` and leaves `undef` undefined. */
static void end(Seq *q, uint32_t def, uint32_t undef)
{
    q->insn[q->n].len = (uint8_t)(q->len - q->insn[q->n].off);
    q->n++;
    q->undef = (q->undef & ~def) | undef;
}

static bool room(const Seq *q) { return q->n < DIFF_MAX_INSNS - 12 && q->len < DIFF_CODE_MAX - 200; }

/* -- Operands ----------------------------------------------------------------------- */

/* A random register that may be written (never ESP for 16/32 bits). */
static int reg_w(Seq *q, int bytes)
{
    static const int r[7] = { EAX, ECX, EDX, EBX, EBP, ESI, EDI };
    return bytes == 1 ? (int)rn(q, 8) : r[rn(q, 7)];
}
static int reg_any(Seq *q) { return (int)rn(q, 8); }

static void mov_imm(Seq *q, int reg, uint32_t v)
{
    begin(q, "mov r32(%d), %#x", reg, v);
    emit8(q, 0xb8 + reg);
    emit32(q, v);
    end(q, 0, 0);
}

/* CMP r, r: defines all six flags (put before readers of undefined ones). */
static void need_flags(Seq *q, uint32_t flags)
{
    if (!(q->undef & flags))
        return;
    begin(q, "cmp (define flags)");
    emit8(q, 0x39);
    emit8(q, 0xc0 | rn(q, 8) << 3 | rn(q, 8));
    end(q, F_ALL, 0);
}

/* A memory operand: ModRM (reg field 0) + SIB + displacement, pointing at
 * a random offset of the data segment where `size` bytes fit. The MOVs that
 * set its registers are emitted now, as instructions of their own. */
typedef struct MemOp {
    uint8_t b[8];
    int n;
    bool a16;
} MemOp;

static void mem_a32(Seq *q, MemOp *m, uint32_t off)
{
    int base = reg_any(q), form = (int)rn(q, 4);
    int32_t disp = (int32_t)rn(q, 256) - 128;
    if ((q->reserved & (1u << base)) || (q->align && base == ESP))
        form = 0;
    if (form == 0) {                                /* [disp32] */
        m->b[m->n++] = 0x05;
        memcpy(m->b + m->n, &off, 4);
        m->n += 4;
        return;
    }
    if (base == ESP) {                              /* [esp + disp8]: the stack area */
        m->b[m->n++] = 0x44;
        m->b[m->n++] = 0x24;
        m->b[m->n++] = (uint8_t)rn(q, 64);
        return;
    }
    if (form == 1 || form == 2) {                   /* [base + disp8/32] */
        mov_imm(q, base, off - (uint32_t)disp);
        m->b[m->n++] = (uint8_t)((form == 1 ? 0x40 : 0x80) | base);
        if (form == 1) {
            m->b[m->n++] = (uint8_t)disp;
        } else {
            memcpy(m->b + m->n, &disp, 4);
            m->n += 4;
        }
        return;
    }
    {                                               /* [base + index*scale + disp8] */
        int index, scale = (int)rn(q, 4);
        uint32_t iv = rn(q, 0x40);
        do
            index = reg_w(q, 4);
        while (index == base || (q->reserved & (1u << index)));
        mov_imm(q, index, iv);
        mov_imm(q, base, off - (iv << scale) - (uint32_t)disp);
        m->b[m->n++] = 0x44;
        m->b[m->n++] = (uint8_t)(scale << 6 | index << 3 | base);
        m->b[m->n++] = (uint8_t)disp;
    }
}

static void mem_a16(Seq *q, MemOp *m, uint32_t off)
{
    static const int8_t base16[8] = { EBX, EBX, EBP, EBP, -1, -1, EBP, EBX };
    static const int8_t index16[8] = { ESI, EDI, ESI, EDI, ESI, EDI, -1, -1 };
    int rm = (int)rn(q, 8), mod = (int)rn(q, 3);
    int32_t disp = mod == 1 ? (int8_t)rn(q, 256) : mod == 2 ? (int16_t)rn(q, 0x10000) : 0;
    uint32_t iv = rn(q, 0x10000), hi = rnd(q) << 16;

    m->a16 = true;
    if ((base16[rm] >= 0 && (q->reserved & (1u << base16[rm]))) ||
        (index16[rm] >= 0 && (q->reserved & (1u << index16[rm]))))
        mod = 0, rm = 6;
    if (mod == 0 && rm == 6) {                      /* [disp16] */
        m->b[m->n++] = 0x06;
        m->b[m->n++] = (uint8_t)off;
        m->b[m->n++] = (uint8_t)(off >> 8);
        return;
    }
    if (index16[rm] >= 0 && base16[rm] >= 0) {
        mov_imm(q, index16[rm], hi | iv);
        mov_imm(q, base16[rm], hi ^ ((off - iv - (uint32_t)disp) & 0xffff));
    } else {
        mov_imm(q, base16[rm] >= 0 ? base16[rm] : index16[rm],
                hi | ((off - (uint32_t)disp) & 0xffff));
    }
    m->b[m->n++] = (uint8_t)(mod << 6 | rm);
    if (mod == 1)
        m->b[m->n++] = (uint8_t)disp;
    else if (mod == 2) {
        m->b[m->n++] = (uint8_t)disp;
        m->b[m->n++] = (uint8_t)(disp >> 8);
    }
}

/* Offsets avoid the stack area (0xe000-0xf000) most of the time. */
static void mem_prepare(Seq *q, MemOp *m, int size)
{
    uint32_t off = chance(q, 5) ? 0xe000 + rn(q, 0x1000) : rn(q, 0xd000) + 0x100;
    memset(m, 0, sizeof(*m));
    if (chance(q, 3))
        off = 0x10000 - (uint32_t)size;             /* the last bytes of the segment */
    if (q->align)
        off &= ~7u;
    if (chance(q, 25))
        mem_a16(q, m, off);
    else
        mem_a32(q, m, off);
}

/* Prefixes for a memory operand: 67, a segment override sometimes. */
static void mem_prefixes(Seq *q, const MemOp *m)
{
    static const uint8_t segs[3] = { 0x26, 0x36, 0x3e };
    if (m->a16)
        emit8(q, 0x67);
    if (chance(q, 10))
        emit8(q, segs[rn(q, 3)]);
}

static void emit_modrm_mem(Seq *q, const MemOp *m, int reg)
{
    emit8(q, m->b[0] | reg << 3);
    for (int i = 1; i < m->n; i++)
        emit8(q, m->b[i]);
}

/* The r/m operand of a template: a register, or memory with its set-up
 * emitted. Call rm_prefixes() after the size prefix, then rm_emit(). */
typedef struct Rm {
    bool mem;
    int reg;
    MemOp m;
} Rm;

static void rm_pick(Seq *q, Rm *rm, int bytes, bool write, int mem_percent)
{
    rm->mem = chance(q, mem_percent);
    if (rm->mem)
        mem_prepare(q, &rm->m, bytes);
    else
        rm->reg = write ? reg_w(q, bytes) : reg_any(q);
}

static void rm_prefixes(Seq *q, const Rm *rm)
{
    if (rm->mem)
        mem_prefixes(q, &rm->m);
}

static void rm_emit(Seq *q, const Rm *rm, int reg)
{
    if (rm->mem)
        emit_modrm_mem(q, &rm->m, reg);
    else
        emit8(q, 0xc0 | reg << 3 | rm->reg);
}

/* Operand size: 1, 2 or 4 bytes; o16 adds the 66 prefix. */
static int pick_size(Seq *q, bool bytes_too)
{
    int r = (int)rn(q, bytes_too ? 3 : 2);
    return bytes_too ? (r == 0 ? 1 : r == 1 ? 2 : 4) : (r == 0 ? 2 : 4);
}

static void size_prefix(Seq *q, int bytes)
{
    if (bytes == 2)
        emit8(q, 0x66);
}

static const char *rmdesc(const Rm *rm)
{
    return rm->mem ? (rm->m.a16 ? "m(a16)" : "m") : "r";
}

/* Condition codes read by Jcc/SETcc/CMOVcc cc (SDM Vol. 2 Jcc table). */
static uint32_t cc_reads(int cc)
{
    static const uint32_t r[8] = { F_OF, F_CF, F_ZF, F_CF | F_ZF, F_SF, F_PF, F_SF | F_OF,
                                   F_ZF | F_SF | F_OF };
    return r[(cc >> 1) & 7];
}

/* -- Templates ---------------------------------------------------------------------- */

static const char *const alu_names[8] = { "add", "or", "adc", "sbb", "and", "sub", "xor", "cmp" };
static uint32_t alu_undef(int op) { return op == 1 || op == 4 || op == 6 ? F_AF : 0; }

/* ADD OR ADC SBB AND SUB XOR CMP in all their encodings. */
static void t_alu(Seq *q)
{
    int op = (int)rn(q, 8), bytes = pick_size(q, true), form = (int)rn(q, 4), reg = reg_any(q);
    bool w = bytes > 1, lock;
    Rm rm;
    if (op == 2 || op == 3)
        need_flags(q, F_CF);
    if (form == 3) {                                /* AL/eAX, imm */
        begin(q, "%s acc, imm (%d)", alu_names[op], bytes);
        size_prefix(q, bytes);
        emit8(q, op << 3 | 4 | w);
        emit_sized(q, bytes, rnd(q));
        end(q, F_ALL & ~alu_undef(op), alu_undef(op));
        return;
    }
    lock = form != 1 && op != 7 && chance(q, 20);
    q->align = lock;
    rm_pick(q, &rm, bytes, op != 7 && form != 1, 50);
    q->align = false;
    if (form == 1 && op != 7)
        reg = reg_w(q, bytes);
    begin(q, "%s %s (%d) form %d", alu_names[op], rmdesc(&rm), bytes, form);
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    if (rm.mem && lock)
        emit8(q, 0xf0);                             /* LOCK */
    if (form == 0) {                                /* Ev, Gv */
        emit8(q, op << 3 | w);
        rm_emit(q, &rm, reg);
    } else if (form == 1) {                         /* Gv, Ev */
        emit8(q, op << 3 | 2 | w);
        rm_emit(q, &rm, reg);
    } else {                                        /* group 1: 80/81/83 (and 82) */
        bool ib = w && chance(q, 50);
        emit8(q, !w ? (chance(q, 10) ? 0x82 : 0x80) : ib ? 0x83 : 0x81);
        rm_emit(q, &rm, op);
        emit_sized(q, ib ? 1 : bytes, rnd(q));
    }
    end(q, F_ALL & ~alu_undef(op), alu_undef(op));
}

/* TEST, INC, DEC, NEG, NOT. */
static void t_unary(Seq *q)
{
    int kind = (int)rn(q, 5), bytes = pick_size(q, true), w = bytes > 1;
    bool lock = kind != 0 && chance(q, 20);
    Rm rm;
    q->align = lock;
    rm_pick(q, &rm, bytes, kind != 0, 40);
    q->align = false;
    if (kind == 1 || kind == 2) {                  /* INC/DEC: 40+r or FE/FF */
        bool short_form = !rm.mem && w && chance(q, 50);
        begin(q, "%s %s (%d)", kind == 1 ? "inc" : "dec", rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        if (short_form) {
            emit8(q, (kind == 1 ? 0x40 : 0x48) + rm.reg);
        } else {
            if (rm.mem && lock)
                emit8(q, 0xf0);
            emit8(q, w ? 0xff : 0xfe);
            rm_emit(q, &rm, kind - 1);
        }
        end(q, F_ALL & ~F_CF, 0);
        return;
    }
    begin(q, "%s %s (%d)", kind == 0 ? "test" : kind == 3 ? "neg" : "not", rmdesc(&rm), bytes);
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    if (kind == 0) {
        int f = (int)rn(q, 3);
        if (f == 0) {
            emit8(q, 0x84 | w);
            rm_emit(q, &rm, reg_any(q));
        } else {
            emit8(q, 0xf6 | w);
            rm_emit(q, &rm, f == 1 ? 0 : 1);        /* F6/F7 /1: TEST alias */
            emit_sized(q, bytes, rnd(q));
        }
        end(q, F_ALL & ~F_AF, F_AF);
        return;
    }
    if (rm.mem && lock)
        emit8(q, 0xf0);
    emit8(q, 0xf6 | w);
    rm_emit(q, &rm, kind == 3 ? 3 : 2);
    end(q, kind == 3 ? F_ALL : 0, 0);
}

/* Shifts and rotates: C0/C1 imm, D0/D1 by 1, D2/D3 by CL (CL set first). */
static void t_shift(Seq *q)
{
    static const char *const names[8] = { "rol", "ror", "rcl", "rcr", "shl", "shr", "sal", "sar" };
    int op = (int)rn(q, 8), bytes = pick_size(q, true), bits = bytes * 8, form = (int)rn(q, 3);
    uint32_t count = rn(q, 4) == 0 ? rn(q, 256) : rn(q, 4) == 0 ? (uint32_t)bits + rn(q, 3) - 1
                                                                : rn(q, (uint32_t)bits + 1);
    uint32_t c, def = 0, undef = 0;
    Rm rm;
    if (form == 1)
        count = 1;
    c = count & 31;
    if (op == 2 || op == 3)
        need_flags(q, F_CF);
    if (form == 2)
        mov_imm(q, ECX, (rnd(q) & ~0xffu) | count);
    q->reserved = form == 2 ? 1u << ECX : 0;
    rm_pick(q, &rm, bytes, true, 40);
    q->reserved = 0;
    if (!rm.mem && rm.reg == (bytes == 1 ? 1 : ECX) && form == 2)
        rm.reg = EDX;                               /* keep CL the count we know */
    begin(q, "%s %s (%d) by %s%u", names[op], rmdesc(&rm), bytes, form == 2 ? "cl=" : "", count);
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    emit8(q, (form == 0 ? 0xc0 : form == 1 ? 0xd0 : 0xd2) | (bytes > 1));
    rm_emit(q, &rm, op);
    if (form == 0)
        emit8(q, count);
    if (c == 0) {
        end(q, 0, 0);
        return;
    }
    if (op < 4) {                                   /* rotates: CF, OF (count 1) */
        def = F_CF | (c == 1 ? F_OF : 0);
        undef = c == 1 ? 0 : F_OF;
    } else {
        def = F_CF | F_SF | F_ZF | F_PF | (c == 1 ? F_OF : 0);
        undef = F_AF | (c == 1 ? 0 : F_OF);
        if (op != 7 && c >= (uint32_t)bits)         /* SDM: CF undefined for SHL/SHR */
            undef |= F_CF;
    }
    end(q, def & ~undef, undef);
}

/* SHLD/SHRD by imm8 or CL; 16-bit counts above 16 are undefined: not made. */
static void t_shxd(Seq *q)
{
    int right = (int)rn(q, 2), bytes = pick_size(q, false), byCL = (int)rn(q, 2);
    uint32_t count = rn(q, 4) == 0 ? rn(q, 3) : rn(q, bytes == 2 ? 17 : 32), c;
    Rm rm;
    if (bytes == 4 && chance(q, 20))
        count |= 32 * rn(q, 8);                     /* masked to 5 bits */
    c = count & 31;
    if (byCL)
        mov_imm(q, ECX, (rnd(q) & ~0xffu) | count);
    q->reserved = byCL ? 1u << ECX : 0;
    rm_pick(q, &rm, bytes, true, 40);
    q->reserved = 0;
    if (!rm.mem && rm.reg == ECX && byCL)
        rm.reg = EBX;
    begin(q, "%s %s (%d) by %s%u", right ? "shrd" : "shld", rmdesc(&rm), bytes, byCL ? "cl=" : "",
          count);
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    emit8(q, 0x0f);
    emit8(q, 0xa4 | right << 3 | byCL);
    rm_emit(q, &rm, byCL ? reg_any(q) & ~1 : reg_any(q));
    if (!byCL)
        emit8(q, count);
    if (c == 0)
        end(q, 0, 0);
    else
        end(q, (F_CF | F_SF | F_ZF | F_PF | (c == 1 ? F_OF : 0)),
            F_AF | (c == 1 ? 0 : F_OF));
}

/* MUL/IMUL (one, two, three operands) and DIV/IDIV with a dividend that
 * mostly fits (EDX cleared or sign-extended first). */
static void t_muldiv(Seq *q)
{
    int kind = (int)rn(q, 6), bytes = pick_size(q, kind < 4), w = bytes > 1;
    Rm rm;
    if (kind >= 2 && kind < 4 && !chance(q, 10)) { /* DIV/IDIV set-up */
        bool sign = kind == 3;
        begin(q, "div set-up");
        if (bytes == 1) {
            if (sign) {
                emit8(q, 0x66);
                emit8(q, 0x98);                     /* cbw */
            } else {
                emit8(q, 0xb4);                     /* mov ah, 0 */
                emit8(q, 0);
            }
        } else {
            size_prefix(q, bytes);
            if (sign) {
                emit8(q, 0x99);                     /* cwd/cdq */
            } else {
                emit8(q, 0xba);                     /* mov (e)dx, 0 */
                emit_sized(q, bytes, 0);
            }
        }
        end(q, 0, 0);
    }
    q->reserved = kind >= 2 && kind < 4 ? 1u << EDX | 1u << EAX : 0;
    rm_pick(q, &rm, bytes, kind >= 4, 40);
    q->reserved = 0;
    if (kind < 4) {
        static const char *const n[4] = { "mul", "imul", "div", "idiv" };
        begin(q, "%s %s (%d)", n[kind], rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0xf6 | w);
        rm_emit(q, &rm, 4 + kind);
        if (kind < 2)
            end(q, F_CF | F_OF, F_SF | F_ZF | F_AF | F_PF);
        else
            end(q, 0, F_ALL);
        return;
    }
    begin(q, "imul %s (%d) %s", rmdesc(&rm), bytes, kind == 4 ? "2-op" : "3-op");
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    if (kind == 4) {
        emit8(q, 0x0f);
        emit8(q, 0xaf);
        rm_emit(q, &rm, reg_w(q, bytes));
    } else {
        bool ib = chance(q, 50);
        emit8(q, ib ? 0x6b : 0x69);
        rm_emit(q, &rm, reg_w(q, bytes));
        emit_sized(q, ib ? 1 : bytes, rnd(q));
    }
    end(q, F_CF | F_OF, F_SF | F_ZF | F_AF | F_PF);
}

/* MOV forms, MOVZX/MOVSX, LEA, XCHG, CBW/CWD, BSWAP, CMOVcc, SETcc, XLAT, NOP. */
static void t_move(Seq *q)
{
    int kind = (int)rn(q, 12), bytes = pick_size(q, true), w = bytes > 1, cc = (int)rn(q, 16);
    Rm rm;
    switch (kind) {
    case 0: case 1:                                 /* 88-8B */
        rm_pick(q, &rm, bytes, kind == 0, 50);
        begin(q, "mov %s (%d) dir %d", rmdesc(&rm), bytes, kind);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0x88 | kind << 1 | w);
        rm_emit(q, &rm, kind == 1 ? reg_w(q, bytes) : reg_any(q));
        break;
    case 2:                                         /* C6/C7, B0+r/B8+r */
        rm_pick(q, &rm, bytes, true, 50);
        begin(q, "mov %s (%d), imm", rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        if (rm.mem) {
            emit8(q, 0xc6 | w);
            rm_emit(q, &rm, 0);
        } else {
            emit8(q, (w ? 0xb8 : 0xb0) + rm.reg);
        }
        emit_sized(q, bytes, rnd(q));
        break;
    case 3: {                                       /* MOVZX/MOVSX */
        int sb = rn(q, 2) ? 1 : 2;
        bool zx = rn(q, 2);
        bytes = sb == 2 ? 4 : pick_size(q, false);
        rm_pick(q, &rm, sb, false, 40);
        begin(q, "mov%cx %s (%d<-%d)", zx ? 'z' : 's', rmdesc(&rm), bytes, sb);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, (zx ? 0xb6 : 0xbe) | (sb == 2));
        rm_emit(q, &rm, reg_w(q, bytes));
        break;
    }
    case 4: {                                       /* LEA */
        MemOp m;
        bytes = pick_size(q, false);
        mem_prepare(q, &m, 1);
        begin(q, "lea (%d)%s", bytes, m.a16 ? " a16" : "");
        size_prefix(q, bytes);
        if (m.a16)
            emit8(q, 0x67);
        emit8(q, 0x8d);
        emit_modrm_mem(q, &m, reg_w(q, bytes));
        break;
    }
    case 5:                                         /* XCHG */
        rm_pick(q, &rm, bytes, true, 40);
        begin(q, "xchg %s (%d)", rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        if (!rm.mem && w && chance(q, 50)) {
            emit8(q, 0x90 + rm.reg);
        } else {
            emit8(q, 0x86 | w);
            rm_emit(q, &rm, reg_w(q, bytes));
        }
        break;
    case 6:                                         /* CBW/CWDE, CWD/CDQ */
        bytes = pick_size(q, false);
        begin(q, "cbw/cwd (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0x98 + rn(q, 2));
        break;
    case 7:                                         /* BSWAP r32 (r16 is undefined) */
        begin(q, "bswap");
        emit8(q, 0x0f);
        emit8(q, 0xc8 + reg_w(q, 4));
        break;
    case 8:                                         /* CMOVcc */
        bytes = pick_size(q, false);
        need_flags(q, cc_reads(cc));
        rm_pick(q, &rm, bytes, false, 40);
        begin(q, "cmov%d %s (%d)", cc, rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, 0x40 + cc);
        rm_emit(q, &rm, reg_w(q, bytes));
        break;
    case 9:                                         /* SETcc */
        need_flags(q, cc_reads(cc));
        rm_pick(q, &rm, 1, true, 40);
        begin(q, "set%d %s", cc, rmdesc(&rm));
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, 0x90 + cc);
        rm_emit(q, &rm, 0);
        break;
    case 10: {                                      /* XLAT with EBX set */
        bool a16 = chance(q, 30);
        mov_imm(q, EBX, (a16 ? rnd(q) << 16 : 0) | rn(q, 0xff00));
        begin(q, "xlat%s", a16 ? " a16" : "");
        if (a16)
            emit8(q, 0x67);
        emit8(q, 0xd7);
        break;
    }
    default:                                        /* NOP, 0F 1F /0 */
        rm_pick(q, &rm, 4, false, 50);
        begin(q, "nop %s", rmdesc(&rm));
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, 0x1f);
        rm_emit(q, &rm, 0);
        break;
    }
    end(q, 0, 0);
}

/* CLC STC CMC CLD STD LAHF SAHF. */
static void t_flags(Seq *q)
{
    static const uint8_t op[7] = { 0xf8, 0xf9, 0xf5, 0xfc, 0xfd, 0x9f, 0x9e };
    int k = (int)rn(q, 7);
    if (k == 2)
        need_flags(q, F_CF);
    if (k == 5)
        need_flags(q, F_SF | F_ZF | F_AF | F_PF | F_CF);
    begin(q, "flag op %02x", op[k]);
    emit8(q, op[k]);
    end(q, k <= 2 ? F_CF : k == 6 ? F_SF | F_ZF | F_AF | F_PF | F_CF : 0, 0);
}

/* BT BTS BTR BTC (register offset kept small for memory), BSF, BSR. */
static void t_bits(Seq *q)
{
    int kind = (int)rn(q, 6), op = (int)rn(q, 4), bytes = pick_size(q, false);
    bool lock = op && chance(q, 20);
    Rm rm;
    if (kind >= 4) {
        rm_pick(q, &rm, bytes, false, 40);
        begin(q, "%s %s (%d)", kind == 4 ? "bsf" : "bsr", rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, 0xbc + kind - 4);
        rm_emit(q, &rm, reg_w(q, bytes));
        end(q, F_ZF, F_CF | F_OF | F_SF | F_AF | F_PF);
        return;
    }
    if (kind < 2) {                                 /* Ev, Gv */
        int oreg = reg_w(q, 4);
        mov_imm(q, oreg, rn(q, 2) ? rn(q, 512) - 256 : rnd(q));
        q->reserved = 1u << oreg;                   /* the address set-up keeps it */
        rm_pick(q, &rm, bytes, op != 0, 40);
        q->reserved = 0;
        lock = false;                               /* the bit string may straddle lines */
        if (rm.mem)                                 /* keep the bit string in the segment */
            mov_imm(q, oreg, rn(q, 1024) - 512);
        begin(q, "bt%c %s (%d), r", "_src"[op], rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, 0x0f);
        emit8(q, 0xa3 | op << 3);
        rm_emit(q, &rm, oreg);
    } else {                                        /* 0F BA /4-7 Ev, Ib */
        q->align = lock;
        rm_pick(q, &rm, bytes, op != 0, 40);
        q->align = false;
        begin(q, "bt%c %s (%d), imm", "_src"[op], rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        if (rm.mem && lock)
            emit8(q, 0xf0);
        emit8(q, 0x0f);
        emit8(q, 0xba);
        rm_emit(q, &rm, 4 + op);
        emit8(q, rnd(q));
    }
    end(q, F_CF, F_OF | F_SF | F_AF | F_PF);
}

/* XADD, CMPXCHG, CMPXCHG8B. */
static void t_xchgop(Seq *q)
{
    int kind = (int)rn(q, 3), bytes = pick_size(q, true);
    bool lock = chance(q, 30);
    Rm rm;
    q->align = lock;
    if (kind == 2) {
        MemOp m;
        mem_prepare(q, &m, 8);
        q->align = false;
        begin(q, "cmpxchg8b m%s", m.a16 ? "(a16)" : "");
        mem_prefixes(q, &m);
        if (lock)
            emit8(q, 0xf0);
        emit8(q, 0x0f);
        emit8(q, 0xc7);
        emit_modrm_mem(q, &m, 1);
        end(q, F_ZF, 0);
        return;
    }
    rm_pick(q, &rm, bytes, true, 50);
    q->align = false;
    begin(q, "%s %s (%d)", kind ? "cmpxchg" : "xadd", rmdesc(&rm), bytes);
    size_prefix(q, bytes);
    rm_prefixes(q, &rm);
    if (rm.mem && lock)
        emit8(q, 0xf0);
    emit8(q, 0x0f);
    emit8(q, (kind ? 0xb0 : 0xc0) | (bytes > 1));
    rm_emit(q, &rm, reg_w(q, bytes));
    end(q, F_ALL, 0);
}

/* DAA DAS AAA AAS AAM AAD. */
static void t_bcd(Seq *q)
{
    int k = (int)rn(q, 6);
    uint32_t imm = chance(q, 50) ? 10 : rn(q, 256);
    if (k == 4 && imm == 0 && !chance(q, 5))
        imm = 10;
    if (k <= 1)
        need_flags(q, F_AF | F_CF);
    else if (k <= 3)
        need_flags(q, F_AF);
    begin(q, "%s", (const char *[]){ "daa", "das", "aaa", "aas", "aam", "aad" }[k]);
    if (k < 4) {
        emit8(q, (const uint8_t[]){ 0x27, 0x2f, 0x37, 0x3f }[k]);
        if (k < 2)
            end(q, F_ALL & ~F_OF, F_OF);
        else
            end(q, F_AF | F_CF, F_OF | F_SF | F_ZF | F_PF);
        return;
    }
    emit8(q, k == 4 ? 0xd4 : 0xd5);
    emit8(q, imm);
    end(q, F_SF | F_ZF | F_PF, F_OF | F_AF | F_CF);
}

/* MOVS CMPS STOS LODS SCAS with REP/REPE/REPNE, 66, 67, DS overrides. */
static void t_string(Seq *q)
{
    static const uint8_t ops[5] = { 0xa4, 0xa6, 0xaa, 0xac, 0xae };
    static const char *const names[5] = { "movs", "cmps", "stos", "lods", "scas" };
    int k = (int)rn(q, 5), bytes = pick_size(q, true), rep = (int)rn(q, 3);
    bool a16 = chance(q, 30);
    uint32_t hi = a16 ? rnd(q) << 16 : 0;
    uint32_t span = 0x40 * (uint32_t)bytes, ecx = 0;

    mov_imm(q, ESI, hi | (chance(q, 10) && a16 ? 0x10000 - rn(q, 8) : 0x100 + rn(q, 0xc000)));
    mov_imm(q, EDI, hi | (chance(q, 10) && a16 ? 0x10000 - rn(q, 8) : 0x100 + rn(q, 0xc000)));
    if (rep) {
        ecx = (a16 ? rnd(q) << 16 : 0) | rn(q, span);
        mov_imm(q, ECX, ecx);
    }
    if (rep == 2 && (k == 1 || k == 4) && chance(q, 50))
        need_flags(q, F_ZF);
    begin(q, "%s%s (%d)%s", rep == 1 ? "rep " : rep == 2 ? "repne " : "", names[k], bytes,
          a16 ? " a16" : "");
    size_prefix(q, bytes);
    if (a16)
        emit8(q, 0x67);
    if (rep)
        emit8(q, rep == 1 ? 0xf3 : 0xf2);
    if ((k == 0 || k == 1 || k == 3) && chance(q, 15))
        emit8(q, (const uint8_t[]){ 0x26, 0x36, 0x3e }[rn(q, 3)]);
    emit8(q, ops[k] | (bytes > 1));
    if (k == 1 || k == 4)
        end(q, rep ? 0 : F_ALL, 0);
    else
        end(q, 0, 0);
    if (rep && (k == 1 || k == 4) && (a16 ? ecx & 0xffff : ecx))
        q->undef &= ~F_ALL;                         /* eCX = 0: the flags are unchanged */
}

/* PUSH/POP forms, PUSHA/POPA, ENTER/LEAVE (EBP set first). */
static void t_stack(Seq *q)
{
    int k = (int)rn(q, 9), bytes = pick_size(q, false);
    Rm rm;
    switch (k) {
    case 0:
        begin(q, "push r (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0x50 + reg_any(q));
        break;
    case 1:
        begin(q, "pop r (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0x58 + reg_w(q, 4));
        break;
    case 2:
        begin(q, "push imm (%d)", bytes);
        size_prefix(q, bytes);
        if (chance(q, 50)) {
            emit8(q, 0x6a);
            emit8(q, rnd(q));
        } else {
            emit8(q, 0x68);
            emit_sized(q, bytes, rnd(q));
        }
        break;
    case 3: case 4:
        rm_pick(q, &rm, bytes, k == 4, 100);
        if (k == 4 && chance(q, 30)) {              /* pop [esp + disp8]: ESP-relative */
            rm.m.n = 0;
            rm.m.a16 = false;
            rm.m.b[rm.m.n++] = 0x44;
            rm.m.b[rm.m.n++] = 0x24;
            rm.m.b[rm.m.n++] = (uint8_t)rn(q, 32);
        }
        begin(q, "%s %s (%d)", k == 3 ? "push" : "pop", rmdesc(&rm), bytes);
        size_prefix(q, bytes);
        rm_prefixes(q, &rm);
        emit8(q, k == 3 ? 0xff : 0x8f);
        rm_emit(q, &rm, k == 3 ? 6 : 0);
        break;
    case 5:
        begin(q, "pusha (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0x60);
        break;
    case 6:
        begin(q, "popa (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0x61);
        break;
    case 7: {
        uint32_t level = chance(q, 50) ? 0 : rn(q, 4);
        mov_imm(q, EBP, 0xe800 + rn(q, 0x400));
        begin(q, "enter (%d) level %u", bytes, level);
        size_prefix(q, bytes);
        emit8(q, 0xc8);
        emit16(q, rn(q, 64));
        emit8(q, level | (chance(q, 10) ? 0x20 : 0));
        break;
    }
    default:
        mov_imm(q, EBP, 0xe800 + rn(q, 0x400));
        begin(q, "leave (%d)", bytes);
        size_prefix(q, bytes);
        emit8(q, 0xc9);
        break;
    }
    end(q, 0, 0);
}

/* Forward branches: Jcc rel8/rel32, JMP rel8, LOOP/LOOPE/LOOPNE/JCXZ (a16 too). */
static void t_branch(Seq *q)
{
    int k = (int)rn(q, 5), cc = (int)rn(q, 16), op = (int)rn(q, 4);
    uint32_t reads = k <= 1 ? cc_reads(cc) : k >= 3 && op <= 1 ? F_ZF : 0;   /* LOOPNE/LOOPE */
    Fixup *f;
    if (q->nfix >= (int)(sizeof(q->fix) / sizeof(q->fix[0])))
        return;
    need_flags(q, reads);
    begin(q, "%s fwd", k < 2 ? "jcc" : k == 2 ? "jmp" : "loop/jcxz");
    if (k >= 3 && chance(q, 30))
        emit8(q, 0x67);
    if (k == 1) {                                   /* 0F 8x rel32: a rel8-sized target */
        emit8(q, 0x0f);
        emit8(q, 0x80 + cc);
    } else {
        emit8(q, k == 0 ? 0x70 + cc : k == 2 ? 0xeb : 0xe0 + op);
    }
    f = &q->fix[q->nfix++];
    f->pos = q->len;
    f->units_left = 1 + (int)rn(q, 3);
    f->size = k == 1 ? 4 : 1;
    emit_sized(q, f->size, 0);
    f->undef = q->undef;
    end(q, 0, 0);
}

/* BOUND with a range from memory (random contents: #BR mostly, so rare). */
static void t_bound(Seq *q)
{
    int bytes = pick_size(q, false);
    MemOp m;
    if (!chance(q, 20))
        return;
    mem_prepare(q, &m, 2 * bytes);
    begin(q, "bound (%d)%s", bytes, m.a16 ? " a16" : "");
    size_prefix(q, bytes);
    mem_prefixes(q, &m);
    emit8(q, 0x62);
    emit_modrm_mem(q, &m, reg_w(q, bytes));
    end(q, 0, 0);
}

typedef void Template(Seq *);
static const struct { Template *fn; int weight; } templates[] = {
    { t_alu, 20 }, { t_unary, 8 }, { t_shift, 14 }, { t_shxd, 6 }, { t_muldiv, 8 },
    { t_move, 14 }, { t_flags, 4 }, { t_bits, 8 }, { t_xchgop, 5 }, { t_bcd, 4 },
    { t_string, 8 }, { t_stack, 8 }, { t_branch, 6 }, { t_bound, 1 },
};

void diff_gen_sequence(Seq *q, uint64_t seed)
{
    int total = 0, count;
    memset(q, 0, offsetof(Seq, code));
    q->len = 0;
    q->n = 0;
    q->nfix = 0;
    q->rng = seed * 0x9e3779b97f4a7c15ull + 1;
    for (int i = 0; i < 8; i++)
        q->regs[i] = rn(q, 4) == 0 ? rn(q, 0x10000) : rnd(q) ^ rnd(q) << 16;
    q->regs[ESP] = 0xe800 + 4 * rn(q, 0x200);
    q->eflags = rnd(q) & (F_ALL | F_DF);
    q->seed = rnd(q);
    q->undef = 0;
    for (unsigned i = 0; i < sizeof(templates) / sizeof(templates[0]); i++)
        total += templates[i].weight;
    count = 4 + (int)rn(q, 20);
    for (int i = 0; i < count && room(q); i++) {
        int pick = (int)rn(q, (uint32_t)total), t = 0;
        while (pick >= templates[t].weight)
            pick -= templates[t++].weight;
        unit_begin(q);
        templates[t].fn(q);
    }
    for (int i = 0; i < q->nfix; i++)
        q->fix[i].units_left = 0;
    unit_begin(q);
    begin(q, "hlt (end)");
    emit8(q, 0xf4);
    end(q, 0, 0);
}

/* -- Using a sequence -------------------------------------------------------------- */

uint32_t diff_flag_mask(const Seq *q, uint32_t eip)
{
    for (int i = 0; i < q->n; i++)
        if (DIFF_CODE_BASE + q->insn[i].off == eip)
            return (F_ALL | F_DF) & ~q->insn[i].undef_before;
    return F_DF;
}

void diff_print_sequence(FILE *f, const Seq *q, uint32_t mark_eip, const char *mark)
{
    static const char *const names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    for (int i = 0; i < 8; i++)
        fprintf(f, "  %s=%08x", names[i], q->regs[i]);
    fprintf(f, "\n");
    for (int i = 0; i < q->n; i++) {
        uint32_t at = DIFF_CODE_BASE + q->insn[i].off;
        char hex[64] = "";
        int n = 0;
        for (int j = 0; j < q->insn[i].len && n < 60; j++)
            n += snprintf(hex + n, sizeof(hex) - (size_t)n, "%02x ", q->code[q->insn[i].off + j]);
        fprintf(f, "  %08x  %-36s %s%s\n", at, hex, q->insn[i].desc, at == mark_eip ? mark : "");
    }
}

void diff_load(CpuHarness *h, const Seq *q, uint8_t fill[DIFF_DATA_SIZE])
{
    CpuRegs r;
    diff_fill(fill, q->seed);
    harness_load(h, DIFF_DATA_BASE, fill, DIFF_DATA_SIZE);
    harness_load(h, DIFF_CODE_BASE, q->code, q->len);
    harness_pm32(h, DIFF_CODE_BASE, 3);
    harness_set_data_seg(h, DIFF_DATA_BASE, DIFF_DATA_SIZE - 1);
    cpu_get_regs(h->cpu, &r);
    memcpy(r.gpr, q->regs, sizeof(r.gpr));
    r.eflags = 0x202 | q->eflags;
    cpu_set_regs(h->cpu, &r);
    h->last = CPU_RUN_BUDGET;
    h->stopped = false;
}
