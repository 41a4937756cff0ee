/* sf_host.h — the host x86-64 FPU as the oracle for the softfloat tests.
 *
 * Each host_* helper loads the operands into the real x87 or SSE unit with a
 * given control word / MXCSR, runs one instruction, and returns the result
 * and the exception flags read back with FNSTSW/STMXCSR. Every x87 sequence
 * starts and ends with FNINIT and every SSE sequence restores MXCSR, so the
 * test process never sees a changed FPU state. Also here: a fixed-seed
 * random generator and operand generators that favour edge cases.
 */
#ifndef EMU_TESTS_SF_HOST_H
#define EMU_TESTS_SF_HOST_H

#include <stdio.h>
#include <string.h>
#include "cpu/fpu/softfloat.h"

/* The oracle needs an x86-64 host; elsewhere only the host-independent
 * tests (values from the manuals) run. */
#if defined(__x86_64__)
#define SF_HAVE_HOST 1

typedef struct HostX {
    uint64_t m;
    uint16_t e;
    uint16_t pad[3];
} HostX;

static inline HostX hx(Fx80 a) { return (HostX){ a.mant, a.se, { 0 } }; }
static inline Fx80 fx(HostX h) { return (Fx80){ h.m, h.e }; }

/* x87 control word: RC, PC, exception masks (bit 6 reads as 1). */
static inline uint16_t x87_cw(int rc, int prec, uint8_t masks)
{
    int pc = prec == 24 ? 0 : prec == 53 ? 2 : 3;
    return (uint16_t)(0x40 | masks | pc << 8 | rc << 10);
}

static inline uint32_t sse_mxcsr(int rc, bool ftz, bool daz)
{
    return 0x1f80 | (uint32_t)rc << 13 | (ftz ? 0x8000 : 0) | (daz ? 0x40 : 0);
}

/* -- x87 -- */

#define X87_BEGIN "fninit\n\tfldcw %[cw]\n\t"
#define X87_END "fninit\n\t"

/* st0 = a, st1 = b; insn; result st0 */
#define HOST_X87_BIN(name, insn)                                                      \
    static inline uint16_t name(Fx80 a, Fx80 b, uint16_t cw, Fx80 *r)                 \
    {                                                                                 \
        HostX ha = hx(a), hb = hx(b), hr;                                             \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN "fldt %[b]\n\tfldt %[a]\n\t" insn "\n\t"               \
                     "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\t" X87_END               \
                     : [sw] "=m"(sw), [r] "=m"(hr)                                    \
                     : [a] "m"(ha), [b] "m"(hb), [cw] "m"(cw));                       \
        *r = fx(hr);                                                                  \
        return sw;                                                                    \
    }
HOST_X87_BIN(host_fadd, "fadd %%st(1), %%st")
HOST_X87_BIN(host_fsub, "fsub %%st(1), %%st")
HOST_X87_BIN(host_fmul, "fmul %%st(1), %%st")
HOST_X87_BIN(host_fdiv, "fdiv %%st(1), %%st")
HOST_X87_BIN(host_fprem, "fprem")
HOST_X87_BIN(host_fprem1, "fprem1")
HOST_X87_BIN(host_fscale, "fscale")
/* these pop: st1 = f(st1, st0) with st0 = a, st1 = b */
HOST_X87_BIN(host_fpatan, "fpatan")
HOST_X87_BIN(host_fyl2x, "fyl2x")
HOST_X87_BIN(host_fyl2xp1, "fyl2xp1")

#define HOST_X87_UN(name, insn)                                                       \
    static inline uint16_t name(Fx80 a, uint16_t cw, Fx80 *r)                         \
    {                                                                                 \
        HostX ha = hx(a), hr;                                                         \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN "fldt %[a]\n\t" insn "\n\t"                            \
                     "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\t" X87_END               \
                     : [sw] "=m"(sw), [r] "=m"(hr)                                    \
                     : [a] "m"(ha), [cw] "m"(cw));                                    \
        *r = fx(hr);                                                                  \
        return sw;                                                                    \
    }
HOST_X87_UN(host_fsqrt, "fsqrt")
HOST_X87_UN(host_frndint, "frndint")
HOST_X87_UN(host_fsin, "fsin")
HOST_X87_UN(host_fcos, "fcos")
HOST_X87_UN(host_f2xm1, "f2xm1")

/* two results: r0 = st0, r1 = st1 afterwards */
#define HOST_X87_UN2(name, insn)                                                      \
    static inline uint16_t name(Fx80 a, uint16_t cw, Fx80 *r0, Fx80 *r1)              \
    {                                                                                 \
        HostX ha = hx(a), h0, h1;                                                     \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN "fldt %[a]\n\t" insn "\n\t"                            \
                     "fnstsw %[sw]\n\tfnclex\n\tfstpt %[r0]\n\tfstpt %[r1]\n\t" X87_END \
                     : [sw] "=m"(sw), [r0] "=m"(h0), [r1] "=m"(h1)                    \
                     : [a] "m"(ha), [cw] "m"(cw));                                    \
        *r0 = fx(h0);                                                                 \
        *r1 = fx(h1);                                                                 \
        return sw;                                                                    \
    }
HOST_X87_UN2(host_fxtract, "fxtract")
HOST_X87_UN2(host_fsincos, "fsincos")
HOST_X87_UN2(host_fptan, "fptan")

#define HOST_X87_CMP(name, insn)                                                      \
    static inline uint16_t name(Fx80 a, Fx80 b, uint16_t cw)                          \
    {                                                                                 \
        HostX ha = hx(a), hb = hx(b);                                                 \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN "fldt %[b]\n\tfldt %[a]\n\t" insn "\n\t"               \
                     "fnstsw %[sw]\n\t" X87_END                                       \
                     : [sw] "=m"(sw) : [a] "m"(ha), [b] "m"(hb), [cw] "m"(cw));       \
        return sw;                                                                    \
    }
HOST_X87_CMP(host_fcom, "fcom %%st(1)")
HOST_X87_CMP(host_fucom, "fucom %%st(1)")

static inline uint16_t host_fcomi(Fx80 a, Fx80 b, bool quiet, uint16_t cw, uint8_t *eflags)
{
    HostX ha = hx(a), hb = hx(b);
    uint16_t sw;
    uint16_t ax;
    if (quiet)
        asm volatile(X87_BEGIN "fldt %[b]\n\tfldt %[a]\n\tfucomi %%st(1), %%st\n\tlahf\n\t"
                     "fnstsw %[sw]\n\t" X87_END
                     : [sw] "=m"(sw), "=a"(ax) : [a] "m"(ha), [b] "m"(hb), [cw] "m"(cw));
    else
        asm volatile(X87_BEGIN "fldt %[b]\n\tfldt %[a]\n\tfcomi %%st(1), %%st\n\tlahf\n\t"
                     "fnstsw %[sw]\n\t" X87_END
                     : [sw] "=m"(sw), "=a"(ax) : [a] "m"(ha), [b] "m"(hb), [cw] "m"(cw));
    *eflags = (ax >> 8) & 0x45;
    return sw;
}

static inline uint16_t host_fxam(Fx80 a)
{
    HostX ha = hx(a);
    uint16_t sw, cw = 0x37f;
    asm volatile(X87_BEGIN "fldt %[a]\n\tfxam\n\tfnstsw %[sw]\n\t" X87_END
                 : [sw] "=m"(sw) : [a] "m"(ha), [cw] "m"(cw));
    return sw;
}

/* Loads: FLD m32/m64, FILD m64, FBLD, FLDxx constants. */
#define HOST_X87_LOAD(name, T, insn)                                                  \
    static inline uint16_t name(T a, uint16_t cw, Fx80 *r)                            \
    {                                                                                 \
        HostX hr;                                                                     \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN insn " %[a]\n\tfnstsw %[sw]\n\tfnclex\n\t"             \
                     "fstpt %[r]\n\t" X87_END                                         \
                     : [sw] "=m"(sw), [r] "=m"(hr) : [a] "m"(a), [cw] "m"(cw));       \
        *r = fx(hr);                                                                  \
        return sw;                                                                    \
    }
HOST_X87_LOAD(host_flds, F32, "flds")
HOST_X87_LOAD(host_fldl, F64, "fldl")
HOST_X87_LOAD(host_fildll, int64_t, "fildll")

static inline uint16_t host_fbld(const uint8_t bcd[10], Fx80 *r)
{
    HostX hr;
    uint16_t sw, cw = 0x37f;
    struct { uint8_t b[10]; } m;
    memcpy(m.b, bcd, 10);
    asm volatile(X87_BEGIN "fbld %[a]\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\t" X87_END
                 : [sw] "=m"(sw), [r] "=m"(hr) : [a] "m"(m), [cw] "m"(cw));
    *r = fx(hr);
    return sw;
}

#define HOST_X87_CONST(name, insn)                                                    \
    static inline uint16_t name(uint16_t cw, Fx80 *r)                                 \
    {                                                                                 \
        HostX hr;                                                                     \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN insn "\n\tfnstsw %[sw]\n\tfnclex\n\tfstpt %[r]\n\t"    \
                     X87_END : [sw] "=m"(sw), [r] "=m"(hr) : [cw] "m"(cw));           \
        *r = fx(hr);                                                                  \
        return sw;                                                                    \
    }
HOST_X87_CONST(host_fld1, "fld1")
HOST_X87_CONST(host_fldl2t, "fldl2t")
HOST_X87_CONST(host_fldl2e, "fldl2e")
HOST_X87_CONST(host_fldpi, "fldpi")
HOST_X87_CONST(host_fldlg2, "fldlg2")
HOST_X87_CONST(host_fldln2, "fldln2")
HOST_X87_CONST(host_fldz, "fldz")

/* Stores: FST m32/m64, FIST(P)/FISTTP, FBSTP. */
#define HOST_X87_STORE(name, T, insn)                                                 \
    static inline uint16_t name(Fx80 a, uint16_t cw, T *r)                            \
    {                                                                                 \
        HostX ha = hx(a);                                                             \
        uint16_t sw;                                                                  \
        asm volatile(X87_BEGIN "fldt %[a]\n\t" insn " %[r]\n\tfnstsw %[sw]\n\t"       \
                     X87_END : [sw] "=m"(sw), [r] "=m"(*r) : [a] "m"(ha), [cw] "m"(cw)); \
        return sw;                                                                    \
    }
HOST_X87_STORE(host_fsts, F32, "fsts")
HOST_X87_STORE(host_fstl, F64, "fstl")
HOST_X87_STORE(host_fists, int16_t, "fists")
HOST_X87_STORE(host_fistl, int32_t, "fistl")
HOST_X87_STORE(host_fistpll, int64_t, "fistpll")
HOST_X87_STORE(host_fisttps, int16_t, "fisttps")
HOST_X87_STORE(host_fisttpl, int32_t, "fisttpl")
HOST_X87_STORE(host_fisttpll, int64_t, "fisttpll")

static inline uint16_t host_fbstp(Fx80 a, uint16_t cw, uint8_t bcd[10])
{
    HostX ha = hx(a);
    uint16_t sw;
    struct { uint8_t b[10]; } m;
    asm volatile(X87_BEGIN "fldt %[a]\n\tfbstp %[r]\n\tfnstsw %[sw]\n\t" X87_END
                 : [sw] "=m"(sw), [r] "=m"(m) : [a] "m"(ha), [cw] "m"(cw));
    memcpy(bcd, m.b, 10);
    return sw;
}

/* -- SSE: xmm0 = a, xmm1 = b; result in xmm0 -- */

#define SSE_BEGIN "stmxcsr %[old]\n\tldmxcsr %[mx]\n\t"
#define SSE_END "stmxcsr %[mx]\n\tldmxcsr %[old]\n\t"

#define HOST_SSE_BIN(name, T, mov, insn)                                              \
    static inline T name(T a, T b, uint32_t *mxcsr)                                   \
    {                                                                                 \
        uint32_t old;                                                                 \
        T r;                                                                          \
        asm volatile(SSE_BEGIN mov " %[a], %%xmm0\n\t" mov " %[b], %%xmm1\n\t"        \
                     insn " %%xmm1, %%xmm0\n\t" mov " %%xmm0, %[r]\n\t" SSE_END       \
                     : [r] "=m"(r), [mx] "+m"(*mxcsr), [old] "=m"(old)                \
                     : [a] "m"(a), [b] "m"(b) : "xmm0", "xmm1");                      \
        return r;                                                                     \
    }
HOST_SSE_BIN(host_addss, F32, "movd", "addss")
HOST_SSE_BIN(host_subss, F32, "movd", "subss")
HOST_SSE_BIN(host_mulss, F32, "movd", "mulss")
HOST_SSE_BIN(host_divss, F32, "movd", "divss")
HOST_SSE_BIN(host_sqrtss, F32, "movd", "sqrtss")   /* sqrt of b */
HOST_SSE_BIN(host_minss, F32, "movd", "minss")
HOST_SSE_BIN(host_maxss, F32, "movd", "maxss")
HOST_SSE_BIN(host_rcpss, F32, "movd", "rcpss")     /* of b */
HOST_SSE_BIN(host_rsqrtss, F32, "movd", "rsqrtss") /* of b */
HOST_SSE_BIN(host_addsd, F64, "movq", "addsd")
HOST_SSE_BIN(host_subsd, F64, "movq", "subsd")
HOST_SSE_BIN(host_mulsd, F64, "movq", "mulsd")
HOST_SSE_BIN(host_divsd, F64, "movq", "divsd")
HOST_SSE_BIN(host_sqrtsd, F64, "movq", "sqrtsd")
HOST_SSE_BIN(host_minsd, F64, "movq", "minsd")
HOST_SSE_BIN(host_maxsd, F64, "movq", "maxsd")

#define HOST_SSE_CVT(name, T, U, movin, movout, insn)                                 \
    static inline U name(T a, uint32_t *mxcsr)                                        \
    {                                                                                 \
        uint32_t old;                                                                 \
        U r;                                                                          \
        asm volatile(SSE_BEGIN movin " %[a], %%xmm1\n\t" insn " %%xmm1, %%xmm0\n\t"   \
                     movout " %%xmm0, %[r]\n\t" SSE_END                               \
                     : [r] "=m"(r), [mx] "+m"(*mxcsr), [old] "=m"(old)                \
                     : [a] "m"(a) : "xmm0", "xmm1");                                  \
        return r;                                                                     \
    }
HOST_SSE_CVT(host_cvtss2sd, F32, F64, "movd", "movq", "cvtss2sd")
HOST_SSE_CVT(host_cvtsd2ss, F64, F32, "movq", "movd", "cvtsd2ss")

#define HOST_SSE_TOINT(name, T, U, movin, insn, reg)                                  \
    static inline U name(T a, uint32_t *mxcsr)                                        \
    {                                                                                 \
        uint32_t old;                                                                 \
        U r;                                                                          \
        asm volatile(SSE_BEGIN movin " %[a], %%xmm1\n\t" insn " %%xmm1, %" reg "\n\t" \
                     SSE_END                                                          \
                     : "=a"(r), [mx] "+m"(*mxcsr), [old] "=m"(old)                    \
                     : [a] "m"(a) : "xmm1");                                          \
        return r;                                                                     \
    }
HOST_SSE_TOINT(host_cvtss2si32, F32, int32_t, "movd", "cvtss2si", "%eax")
HOST_SSE_TOINT(host_cvttss2si32, F32, int32_t, "movd", "cvttss2si", "%eax")
HOST_SSE_TOINT(host_cvtss2si64, F32, int64_t, "movd", "cvtss2si", "%rax")
HOST_SSE_TOINT(host_cvttss2si64, F32, int64_t, "movd", "cvttss2si", "%rax")
HOST_SSE_TOINT(host_cvtsd2si32, F64, int32_t, "movq", "cvtsd2si", "%eax")
HOST_SSE_TOINT(host_cvttsd2si32, F64, int32_t, "movq", "cvttsd2si", "%eax")
HOST_SSE_TOINT(host_cvtsd2si64, F64, int64_t, "movq", "cvtsd2si", "%rax")
HOST_SSE_TOINT(host_cvttsd2si64, F64, int64_t, "movq", "cvttsd2si", "%rax")

#define HOST_SSE_FROMINT(name, T, U, insn, movout)                                    \
    static inline U name(T a, uint32_t *mxcsr)                                        \
    {                                                                                 \
        uint32_t old;                                                                 \
        U r;                                                                          \
        asm volatile(SSE_BEGIN insn " %[a], %%xmm0\n\t" movout " %%xmm0, %[r]\n\t"    \
                     SSE_END                                                          \
                     : [r] "=m"(r), [mx] "+m"(*mxcsr), [old] "=m"(old)                \
                     : [a] "m"(a) : "xmm0");                                          \
        return r;                                                                     \
    }
HOST_SSE_FROMINT(host_cvtsi2ss32, int32_t, F32, "cvtsi2ssl", "movd")
HOST_SSE_FROMINT(host_cvtsi2ss64, int64_t, F32, "cvtsi2ssq", "movd")
HOST_SSE_FROMINT(host_cvtsi2sd32, int32_t, F64, "cvtsi2sdl", "movq")
HOST_SSE_FROMINT(host_cvtsi2sd64, int64_t, F64, "cvtsi2sdq", "movq")

#define HOST_SSE_COMI(name, T, mov, insn)                                             \
    static inline uint8_t name(T a, T b, uint32_t *mxcsr)                             \
    {                                                                                 \
        uint32_t old;                                                                 \
        uint16_t ax;                                                                  \
        asm volatile(SSE_BEGIN mov " %[a], %%xmm0\n\t" mov " %[b], %%xmm1\n\t"        \
                     insn " %%xmm1, %%xmm0\n\tlahf\n\t" SSE_END                       \
                     : "=a"(ax), [mx] "+m"(*mxcsr), [old] "=m"(old)                   \
                     : [a] "m"(a), [b] "m"(b) : "xmm0", "xmm1", "cc");                \
        return (ax >> 8) & 0x45;                                                      \
    }
HOST_SSE_COMI(host_comiss, F32, "movd", "comiss")
HOST_SSE_COMI(host_ucomiss, F32, "movd", "ucomiss")
HOST_SSE_COMI(host_comisd, F64, "movq", "comisd")
HOST_SSE_COMI(host_ucomisd, F64, "movq", "ucomisd")

/* VCMPSS/VCMPSD a, b with every immediate 0-31: all-ones or zero. */
#define SF_IMM_LIST(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) \
    X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24)    \
    X(25) X(26) X(27) X(28) X(29) X(30) X(31)
#define HOST_VCMP(name, T, mov, insn)                                                 \
    static inline T name(T a, T b, unsigned imm, uint32_t *mxcsr)                     \
    {                                                                                 \
        uint32_t old;                                                                 \
        T r = 0;                                                                      \
        switch (imm) {                                                                \
            SF_IMM_LIST(VCMP_CASE_##T)                                                \
        }                                                                             \
        return r;                                                                     \
    }
#define VCMP_CASE(i, mov, insn)                                                       \
    case i:                                                                           \
        asm volatile(SSE_BEGIN mov " %[a], %%xmm0\n\t" mov " %[b], %%xmm1\n\t"        \
                     insn " $" #i ", %%xmm1, %%xmm0, %%xmm0\n\t" mov " %%xmm0, %[r]\n\t" \
                     SSE_END                                                          \
                     : [r] "=m"(r), [mx] "+m"(*mxcsr), [old] "=m"(old)                \
                     : [a] "m"(a), [b] "m"(b) : "xmm0", "xmm1");                      \
        break;
#define VCMP_CASE_F32(i) VCMP_CASE(i, "movd", "vcmpss")
#define VCMP_CASE_F64(i) VCMP_CASE(i, "movq", "vcmpsd")
HOST_VCMP(host_vcmpss, F32, "movd", "vcmpss")
HOST_VCMP(host_vcmpsd, F64, "movq", "vcmpsd")
#else
#define SF_HAVE_HOST 0
#endif /* __x86_64__ */

/* -- Random operands (xorshift64*, fixed seeds) -- */

static const int sf_precisions[3] = { 24, 53, 64 };

typedef struct SfRng {
    uint64_t s;
} SfRng;

static inline uint64_t sf_rand(SfRng *r)
{
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return x * 0x2545F4914F6CDD1Dull;
}

static inline unsigned sf_below(SfRng *r, unsigned n) { return (unsigned)(sf_rand(r) % n); }

/* A 64-bit significand with bit 63 set, biased towards rounding edge cases:
 * few significant bits, runs of ones, halfway points at 24/53/64 bits. */
static inline uint64_t sf_rand_mant(SfRng *r)
{
    uint64_t m = sf_rand(r);
    int k = (int)sf_below(r, 64);

    switch (sf_below(r, 8)) {
    case 0:
        m &= ~0ull << k;                        /* few significant bits */
        break;
    case 1:
        m |= (1ull << k) - 1;                   /* trailing ones */
        break;
    case 2:
        m = ~0ull << k;                         /* ones then zeros */
        break;
    case 3: {
        int p = sf_precisions[sf_below(r, 3)];  /* exactly halfway at p bits */
        if (p < 64)
            m = (m & ~0ull << (64 - p)) | 1ull << (63 - p);
        break;
    }
    case 4:
        m = sf_below(r, 2) ? 0 : ~0ull;
        break;
    default:
        break;
    }
    return m | 1ull << 63;
}

/* kinds of Fx80 operands, in proportion */
static inline Fx80 sf_rand_fx80_exp(SfRng *r, int exp)
{
    bool sign = sf_rand(r) & 1;
    uint64_t m = sf_rand_mant(r);
    unsigned c = sf_below(r, 64);

    if (c < 2)
        return fx80_make(sign, 0, 0);
    if (c < 4)
        return fx80_make(sign, 0x7fff, 1ull << 63);
    if (c < 6)
        return fx80_make(sign, 0x7fff, m | 3ull << 62);             /* QNaN */
    if (c < 8)
        return fx80_make(sign, 0x7fff, (m & ~(1ull << 62)) | (sf_rand(r) & 1) |
                         (m << 2 == 0));                            /* SNaN */
    if (c < 11)
        return fx80_make(sign, 0, (m >> (1 + sf_below(r, 63))) | 1);  /* denormal */
    if (c == 11)
        return fx80_make(sign, 0, m);                               /* pseudo-denormal */
    if (c == 12)                                                    /* unnormal etc. */
        return fx80_make(sign, sf_below(r, 2) ? 0x7fff : 1 + sf_below(r, 0x7ffe), m >> 1);
    if (c < 15)
        return fx80_make(sign, 0x7ffe - sf_below(r, 70), m);        /* near overflow */
    if (c < 18)
        return fx80_make(sign, 1 + sf_below(r, 70), m);             /* near underflow */
    if (c == 18)
        return fx80_make(sign, sf_below(r, 2) ? 0x7ffe : 1, sf_below(r, 2) ? ~0ull : 1ull << 63);
    if (c < 24)
        return fx80_make(sign, 1 + sf_below(r, 0x7ffe), m);         /* anywhere */
    exp += (int)sf_below(r, 141) - 70;                              /* near exp */
    if (exp < 1 || exp > 0x7ffe)
        exp = 0x3fff;
    return fx80_make(sign, (uint16_t)exp, m);
}

static inline Fx80 sf_rand_fx80(SfRng *r) { return sf_rand_fx80_exp(r, 0x3fff); }

/* A pair with related exponents (to hit cancellation and exact cases). */
static inline void sf_rand_fx80_pair(SfRng *r, Fx80 *a, Fx80 *b)
{
    *a = sf_rand_fx80(r);
    *b = sf_rand_fx80_exp(r, (a->se & 0x7fff) ? (a->se & 0x7fff) : 0x3fff);
    if (sf_below(r, 16) == 0)
        *b = fx80_make(sf_rand(r) & 1, a->se & 0x7fff, a->mant ^ (sf_rand(r) & 0xff));
}

/* IEEE operands: fbits fraction and ebits exponent bits. */
static inline uint64_t sf_rand_ieee(SfRng *r, int fbits, int ebits, int exp)
{
    uint64_t sign = (uint64_t)(sf_rand(r) & 1) << (fbits + ebits);
    uint64_t emax = (1ull << ebits) - 1, fmask = (1ull << fbits) - 1;
    uint64_t f = (sf_rand_mant(r) >> (63 - fbits)) & fmask;
    unsigned c = sf_below(r, 64);
    uint64_t e;

    if (c < 2)
        return sign;
    if (c < 4)
        return sign | emax << fbits;
    if (c < 6)
        return sign | emax << fbits | f | 1ull << (fbits - 1);        /* QNaN */
    if (c < 8)
        return sign | emax << fbits | (f & (fmask >> 1)) | 1;        /* SNaN */
    if (c < 12)
        return sign | ((f >> sf_below(r, fbits)) | 1);               /* denormal */
    if (c < 15)
        e = emax - 1 - sf_below(r, 30);
    else if (c < 18)
        e = 1 + sf_below(r, 30);
    else if (c == 18)
        return sign | (sf_below(r, 2) ? (emax - 1) << fbits | fmask : 1ull << fbits);
    else if (c < 24)
        e = 1 + sf_below(r, (unsigned)emax - 1);
    else {
        int64_t x = exp + (int64_t)sf_below(r, 61) - 30;
        e = x < 1 || x >= (int64_t)emax ? emax >> 1 : (uint64_t)x;
    }
    return sign | e << fbits | f;
}

static inline F32 sf_rand_f32(SfRng *r, int exp) { return (F32)sf_rand_ieee(r, 23, 8, exp); }
static inline F64 sf_rand_f64(SfRng *r, int exp) { return sf_rand_ieee(r, 52, 11, exp); }

/* -- Mismatch reporting: the first few are printed, all are counted -- */

typedef struct SfReport {
    const char *what;
    long fails, total;
} SfReport;

#define SF_CHECK(rep, cond, ...)                                                      \
    do {                                                                              \
        (rep)->total++;                                                               \
        if (!(cond) && (rep)->fails++ < 12) {                                         \
            fprintf(stderr, "%s: ", (rep)->what);                                     \
            fprintf(stderr, __VA_ARGS__);                                             \
            fputc('\n', stderr);                                                      \
        }                                                                             \
    } while (0)

#define SF_DONE(rep)                                                                  \
    ck_assert_msg((rep)->fails == 0, "%s: %ld of %ld checks failed", (rep)->what,    \
                  (rep)->fails, (rep)->total)

#define FXF "%04x:%016llx"
#define FXA(x) (x).se, (unsigned long long)(x).mant

static inline bool fx80_same(Fx80 a, Fx80 b) { return a.se == b.se && a.mant == b.mant; }

#endif
