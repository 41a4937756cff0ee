/* helpers_sse_int.c — integer SIMD on one 64-bit lane (helpers_sse.def).
 *
 * Each helper computes an MMX instruction on 64-bit operands; the 128-bit
 * SSE2 forms call it once per half (gen_sse_int.c). Semantics from the SDM
 * Vol. 2 pages of each instruction. Lanes are taken apart with lane()/slane()
 * and put together with put(); LANEWISE() writes the common one-result-per-
 * lane shape.
 */
#include "cpu/helpers.h"

static inline uint64_t lane_mask(unsigned bits) { return bits == 64 ? ~0ull : (1ull << bits) - 1; }
static inline uint64_t lane(uint64_t v, unsigned bits, unsigned i)
{
    return (v >> (i * bits)) & lane_mask(bits);
}
static inline int64_t slane(uint64_t v, unsigned bits, unsigned i)
{
    return (int64_t)(lane(v, bits, i) << (64 - bits)) >> (64 - bits);
}
static inline uint64_t put(uint64_t x, unsigned bits, unsigned i)
{
    return (x & lane_mask(bits)) << (i * bits);
}
static inline int64_t sat_s(int64_t x, unsigned bits)
{
    int64_t hi = (int64_t)(lane_mask(bits) >> 1), lo = -hi - 1;
    return x > hi ? hi : x < lo ? lo : x;
}
static inline int64_t sat_u(int64_t x, unsigned bits)
{
    int64_t hi = (int64_t)lane_mask(bits);
    return x > hi ? hi : x < 0 ? 0 : x;
}

/* r.lane[i] = expr, with x, y the signed and ux, uy the unsigned lanes of a, b. */
#define LANEWISE(name, bits, expr)                                                   \
    uint64_t helper_##name(CpuState *env, uint64_t a, uint64_t b)                    \
    {                                                                                \
        uint64_t r = 0;                                                             \
        (void)env;                                                                  \
        for (unsigned i = 0; i < 64 / (bits); i++) {                                \
            int64_t x = slane(a, bits, i), y = slane(b, bits, i);                   \
            uint64_t ux = lane(a, bits, i), uy = lane(b, bits, i);                  \
            (void)x, (void)y, (void)ux, (void)uy;                                   \
            r |= put((uint64_t)(expr), bits, i);                                    \
        }                                                                           \
        return r;                                                                   \
    }

/* -- Saturating add/subtract (PADDS/PADDUS/PSUBS/PSUBUS) -- */
LANEWISE(paddsb, 8, sat_s(x + y, 8))
LANEWISE(paddsw, 16, sat_s(x + y, 16))
LANEWISE(paddusb, 8, sat_u((int64_t)(ux + uy), 8))
LANEWISE(paddusw, 16, sat_u((int64_t)(ux + uy), 16))
LANEWISE(psubsb, 8, sat_s(x - y, 8))
LANEWISE(psubsw, 16, sat_s(x - y, 16))
LANEWISE(psubusb, 8, sat_u((int64_t)ux - (int64_t)uy, 8))
LANEWISE(psubusw, 16, sat_u((int64_t)ux - (int64_t)uy, 16))

/* -- Multiplies -- */
LANEWISE(pmullw, 16, x * y)
LANEWISE(pmulhw, 16, (x * y) >> 16)
LANEWISE(pmulhuw, 16, (ux * uy) >> 16)

/* PMADDWD: each doubleword is the sum of two signed word products; the one
 * overflowing case (all four words 8000h) wraps to 80000000h. */
uint64_t helper_pmaddwd(CpuState *env, uint64_t a, uint64_t b)
{
    uint64_t r = 0;
    (void)env;
    for (unsigned i = 0; i < 2; i++) {
        int64_t sum = slane(a, 16, 2 * i) * slane(b, 16, 2 * i) +
                      slane(a, 16, 2 * i + 1) * slane(b, 16, 2 * i + 1);
        r |= put((uint64_t)sum, 32, i);
    }
    return r;
}

/* PSADBW: sum of absolute byte differences in the low word, the rest 0. */
uint64_t helper_psadbw(CpuState *env, uint64_t a, uint64_t b)
{
    uint64_t sum = 0;
    (void)env;
    for (unsigned i = 0; i < 8; i++) {
        uint64_t x = lane(a, 8, i), y = lane(b, 8, i);
        sum += x > y ? x - y : y - x;
    }
    return sum;
}

/* -- Compares: all ones or all zeros per lane -- */
LANEWISE(pcmpeqb, 8, ux == uy ? ~0ull : 0)
LANEWISE(pcmpeqw, 16, ux == uy ? ~0ull : 0)
LANEWISE(pcmpeqd, 32, ux == uy ? ~0ull : 0)
LANEWISE(pcmpgtb, 8, x > y ? ~0ull : 0)
LANEWISE(pcmpgtw, 16, x > y ? ~0ull : 0)
LANEWISE(pcmpgtd, 32, x > y ? ~0ull : 0)

/* -- SSE additions: rounded average, min, max -- */
LANEWISE(pavgb, 8, (ux + uy + 1) >> 1)
LANEWISE(pavgw, 16, (ux + uy + 1) >> 1)
LANEWISE(pminub, 8, ux < uy ? ux : uy)
LANEWISE(pmaxub, 8, ux > uy ? ux : uy)
LANEWISE(pminsw, 16, x < y ? x : y)
LANEWISE(pmaxsw, 16, x > y ? x : y)

/* -- Packs: a's lanes narrowed into the low half, b's into the high half -- */
static uint64_t pack(uint64_t a, uint64_t b, unsigned bits, bool is_signed)
{
    unsigned n = 64 / bits, half = bits / 2;
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        int64_t x = slane(a, bits, i), y = slane(b, bits, i);
        r |= put((uint64_t)(is_signed ? sat_s(x, half) : sat_u(x, half)), half, i);
        r |= put((uint64_t)(is_signed ? sat_s(y, half) : sat_u(y, half)), half, i + n);
    }
    return r;
}

uint64_t helper_packsswb(CpuState *env, uint64_t a, uint64_t b) { (void)env; return pack(a, b, 16, true); }
uint64_t helper_packssdw(CpuState *env, uint64_t a, uint64_t b) { (void)env; return pack(a, b, 32, true); }
uint64_t helper_packuswb(CpuState *env, uint64_t a, uint64_t b) { (void)env; return pack(a, b, 16, false); }

/* -- Unpacks: interleave the low (first = 0) or high half's lanes of a and b -- */
static uint64_t interleave(uint64_t a, uint64_t b, unsigned bits, unsigned first)
{
    unsigned n = 32 / bits;
    uint64_t r = 0;
    for (unsigned i = 0; i < n; i++) {
        r |= put(lane(a, bits, first + i), bits, 2 * i);
        r |= put(lane(b, bits, first + i), bits, 2 * i + 1);
    }
    return r;
}

uint64_t helper_punpcklbw(CpuState *env, uint64_t a, uint64_t b) { (void)env; return interleave(a, b, 8, 0); }
uint64_t helper_punpckhbw(CpuState *env, uint64_t a, uint64_t b) { (void)env; return interleave(a, b, 8, 4); }
uint64_t helper_punpcklwd(CpuState *env, uint64_t a, uint64_t b) { (void)env; return interleave(a, b, 16, 0); }
uint64_t helper_punpckhwd(CpuState *env, uint64_t a, uint64_t b) { (void)env; return interleave(a, b, 16, 2); }

/* -- Shifts by a 64-bit count: beyond the lane width, logical shifts clear
 * the lane and arithmetic ones fill it with the sign (SDM PSLLW/PSRAW). -- */
static uint64_t shift(uint64_t a, uint64_t count, unsigned bits, int kind)
{
    uint64_t r = 0;
    for (unsigned i = 0; i < 64 / bits; i++) {
        if (kind == 2)
            r |= put((uint64_t)(slane(a, bits, i) >> (count >= bits ? bits - 1 : count)), bits, i);
        else if (count < bits)
            r |= put(kind ? lane(a, bits, i) >> count : lane(a, bits, i) << count, bits, i);
    }
    return r;
}

enum { SH_LEFT, SH_RIGHT, SH_ARITH };
uint64_t helper_psllw(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 16, SH_LEFT); }
uint64_t helper_pslld(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 32, SH_LEFT); }
uint64_t helper_psllq(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 64, SH_LEFT); }
uint64_t helper_psrlw(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 16, SH_RIGHT); }
uint64_t helper_psrld(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 32, SH_RIGHT); }
uint64_t helper_psrlq(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 64, SH_RIGHT); }
uint64_t helper_psraw(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 16, SH_ARITH); }
uint64_t helper_psrad(CpuState *env, uint64_t a, uint64_t c) { (void)env; return shift(a, c, 32, SH_ARITH); }

/* PMOVMSKB: bit i = the top bit of byte i. */
uint64_t helper_pmovmskb(CpuState *env, uint64_t a)
{
    uint64_t r = 0;
    (void)env;
    for (unsigned i = 0; i < 8; i++)
        r |= ((a >> (8 * i + 7)) & 1) << i;
    return r;
}

/* PSLLDQ (n > 0) / PSRLDQ (n < 0): XMM register `reg` shifted by |n| bytes. */
void helper_pbyteshift(CpuState *env, uint32_t reg, uint32_t n)
{
    int32_t by = (int32_t)n;
    uint8_t src[16], *dst = env->xmm[reg & 15].b;
    __builtin_memcpy(src, dst, 16);
    for (int i = 0; i < 16; i++) {
        int j = i - by;                   /* left: byte i comes from i - n */
        dst[i] = j >= 0 && j < 16 ? src[j] : 0;
    }
}
