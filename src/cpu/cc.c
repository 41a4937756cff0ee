/* cc.c — materialising lazy flags (see cc.h). SDM Vol. 1 3.4.3.1 and
 * appendix A define each flag; AF is carry out of bit 3, PF the even parity
 * of the low result byte. */
#include "cpu/cc.h"
#include "cpu/state.h"

static const uint8_t parity_even[256] = {
#define P2(n) n, n ^ 1, n ^ 1, n
#define P4(n) P2(n), P2(n ^ 1), P2(n ^ 1), P2(n)
#define P6(n) P4(n), P4(n ^ 1), P4(n ^ 1), P4(n)
    P6(1), P6(0), P6(0), P6(1)
#undef P2
#undef P4
#undef P6
};

static inline uint64_t size_mask_bits(int bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }

/* ZF, SF and PF of a result of the given width. */
static uint32_t szp(uint64_t dst, int bits)
{
    uint64_t v = dst & size_mask_bits(bits);
    uint32_t f = 0;
    if (v == 0)
        f |= EF_ZF;
    if ((v >> (bits - 1)) & 1)
        f |= EF_SF;
    if (parity_even[v & 0xff])
        f |= EF_PF;
    return f;
}

static uint32_t flags_add(uint64_t dst, uint64_t src, uint64_t cin, int bits)
{
    uint64_t m = size_mask_bits(bits);
    uint64_t src1 = (dst - src - cin) & m;
    uint32_t f = szp(dst, bits);
    dst &= m;
    src &= m;
    if (cin ? dst <= src1 : dst < src1)
        f |= EF_CF;
    if ((dst ^ src1 ^ src) & 0x10)
        f |= EF_AF;
    if ((((src1 ^ src ^ m) & (src1 ^ dst)) >> (bits - 1)) & 1)
        f |= EF_OF;
    return f;
}

static uint32_t flags_sub(uint64_t dst, uint64_t src, uint64_t bin, int bits)
{
    uint64_t m = size_mask_bits(bits);
    uint64_t src1 = (dst + src + bin) & m;
    uint32_t f = szp(dst, bits);
    dst &= m;
    src &= m;
    if (bin ? src1 <= src : src1 < src)
        f |= EF_CF;
    if ((dst ^ src1 ^ src) & 0x10)
        f |= EF_AF;
    if ((((src1 ^ src) & (src1 ^ dst)) >> (bits - 1)) & 1)
        f |= EF_OF;
    return f;
}

uint32_t cc_compute_all(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    int sz = cc_op_size((CcOp)cc_op);
    int bits = sz >= 0 ? 8 << sz : 32;
    uint64_t m = size_mask_bits(bits), sign = 1ull << (bits - 1);
    uint32_t f;

    switch (cc_op_group((CcOp)cc_op)) {
    case CC_OP_EFLAGS: return (uint32_t)src & EF_ARITH;
    case CC_OP_CLR: return EF_ZF | EF_PF;
    case CC_OP_ADDB: return flags_add(dst, src, 0, bits);
    case CC_OP_ADCB: return flags_add(dst, src, src2 & 1, bits);
    case CC_OP_SUBB: return flags_sub(dst, src, 0, bits);
    case CC_OP_SBBB: return flags_sub(dst, src, src2 & 1, bits);
    case CC_OP_LOGICB: return szp(dst, bits);
    case CC_OP_INCB:
        f = szp(dst, bits) | (src & 1 ? EF_CF : 0);
        if ((dst & m) == sign)                      /* 0x7f.. + 1 */
            f |= EF_OF;
        if ((dst & 0xf) == 0)                       /* carry out of the low nibble */
            f |= EF_AF;
        return f;
    case CC_OP_DECB:
        f = szp(dst, bits) | (src & 1 ? EF_CF : 0);
        if ((dst & m) == sign - 1)                  /* 0x80.. - 1 */
            f |= EF_OF;
        if ((dst & 0xf) == 0xf)                     /* borrow into the low nibble */
            f |= EF_AF;
        return f;
    case CC_OP_SHLB:
        f = szp(dst, bits);
        if (src & sign)
            f |= EF_CF;
        if ((src ^ dst) & sign)     /* SDM: OF = MSB(result) XOR CF for 1-bit shifts */
            f |= EF_OF;
        return f;
    case CC_OP_SARB:
        f = szp(dst, bits);
        if (src & 1)
            f |= EF_CF;
        if ((src ^ dst) & sign)     /* SHR: the original MSB; SAR: 0 */
            f |= EF_OF;
        return f;
    case CC_OP_MULB:
        f = szp(dst, bits);
        if (src != 0)
            f |= EF_CF | EF_OF;
        return f;
    default:
        return 0;
    }
}

uint32_t cc_compute_c(uint32_t cc_op, uint64_t dst, uint64_t src, uint64_t src2)
{
    int sz = cc_op_size((CcOp)cc_op);
    int bits = sz >= 0 ? 8 << sz : 32;
    uint64_t m = size_mask_bits(bits);
    switch (cc_op_group((CcOp)cc_op)) {
    case CC_OP_ADDB: return (dst & m) < ((dst - src) & m);
    case CC_OP_SUBB: return ((dst + src) & m) < (src & m);
    case CC_OP_LOGICB: case CC_OP_CLR: return 0;
    case CC_OP_INCB: case CC_OP_DECB: return (uint32_t)(src & 1);
    case CC_OP_SARB: return (uint32_t)(src & 1);
    case CC_OP_MULB: return src != 0;
    default: return cc_compute_all(cc_op, dst, src, src2) & EF_CF;
    }
}

const char *cc_op_name(uint32_t cc_op)
{
#define G(name) #name "B", #name "W", #name "L", #name "Q"
    static const char *const names[CC_OP_NB] = {
        "DYNAMIC", "EFLAGS", "CLR", G(ADD), G(ADC), G(SUB), G(SBB), G(LOGIC), G(INC), G(DEC),
        G(SHL), G(SAR), G(MUL),
    };
#undef G
    return cc_op < CC_OP_NB ? names[cc_op] : "?";
}
