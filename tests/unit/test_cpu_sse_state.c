/* test_cpu_sse_state.c — SIMD exceptions and state instructions: #UD/#NM
 * from CR0/CR4, #XM vs #UD, #GP for misaligned operands and reserved MXCSR
 * bits, #MF for a pending x87 exception, faults leaving the state alone,
 * LDMXCSR/STMXCSR, the FXSAVE image (SDM Vol. 1 table 10-2) and FXRSTOR,
 * hint and fence decoding. Expected values come from the SDM; where the
 * host can run the case too, it is checked against the host. Every test
 * runs under each backend (cpu_backends.h). */
#include "unit/testlib.h"
#include "unit/test_cpu_sse_rig.h"
#include "cpu/decode.h"

#define CR0_MP 0x2u
#define CR0_EM 0x4u
#define CR0_TS 0x8u
#define CR0_NE 0x20u
#define CR4_OSFXSR 0x200u
#define CR4_OSXMMEXCPT 0x400u
enum { UD = 6, NM = 7, GP = 13, MF = 16, XM = 19 };

static const uint8_t addps_rr[] = { 0x0f, 0x58, 0xca };        /* addps xmm1, xmm2 */
static const uint8_t addps_rm[] = { 0x0f, 0x58, 0x08 };        /* addps xmm1, [eax] */
static const uint8_t paddb_rr[] = { 0x0f, 0xfc, 0xca };        /* paddb mm1, mm2 */
static const uint8_t paddb_rm[] = { 0x0f, 0xfc, 0x08 };        /* paddb mm1, [eax] */
static const uint8_t fxsave_m[] = { 0x0f, 0xae, 0x00 };        /* fxsave [eax] */
static const uint8_t fxrstor_m[] = { 0x0f, 0xae, 0x08 };       /* fxrstor [eax] */
static const uint8_t ldmxcsr_m[] = { 0x0f, 0xae, 0x10 };       /* ldmxcsr [eax] */
static const uint8_t stmxcsr_m[] = { 0x0f, 0xae, 0x18 };       /* stmxcsr [eax] */

static void clean_state(SimdState *st)
{
    memset(st, 0, sizeof(*st));
    st16(st->fx, 0x037f);
    fx_set_mxcsr(st, 0x1f80);
}

static int run1(Rig *r, const uint8_t *code, size_t len, SimdState *st)
{
    return rig_guest(r, code, len, 1, st);
}

/* SDM Vol. 3B table 22-4 ff.: SSE: #UD if CR4.OSFXSR = 0 or CR0.EM = 1,
 * else #NM if CR0.TS = 1. MMX: #UD if CR0.EM, #NM if CR0.TS. */
START_TEST(test_cpu_sse_state_ud_nm)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st;
    clean_state(&st);
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), -1);
    r->cr4 = 0;
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), UD);
    ck_assert_int_eq(run1(r, paddb_rr, 3, &st), -1);     /* MMX needs no OSFXSR */
    r->cr0 |= CR0_TS;
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), UD);     /* #UD before #NM */
    ck_assert_int_eq(run1(r, paddb_rr, 3, &st), NM);
    r->cr4 = CR4_OSFXSR | CR4_OSXMMEXCPT;
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), NM);
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), NM);
    r->cr0 = (r->cr0 & ~CR0_TS) | CR0_EM;
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), UD);
    ck_assert_int_eq(run1(r, paddb_rr, 3, &st), UD);
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), NM);     /* FXSAVE: #NM for EM too */
    ck_assert_int_eq(run1(r, ldmxcsr_m, 3, &st), UD);
    r->cr0 &= ~CR0_EM;
    r->cr4 = 0;                                          /* FXSAVE works without OSFXSR */
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), -1);
    ck_assert_int_eq(run1(r, stmxcsr_m, 3, &st), UD);
    rig_free(r);
}
END_TEST

/* Unmasked SIMD FP exception: #XM with CR4.OSXMMEXCPT, else #UD (SDM Vol. 3A
 * 6.15, interrupt 19); either way xmm1 keeps its value and ZE is set. */
START_TEST(test_cpu_sse_state_xm_or_ud)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    static const uint8_t divss[] = { 0xf3, 0x0f, 0x5e, 0xca };
    for (int osxmm = 0; osxmm < 2; osxmm++) {
        SimdState st;
        clean_state(&st);
        fx_set_mxcsr(&st, 0x1f80 & ~0x200u);             /* ZE unmasked */
        st32(fx_xmm(&st, 1), 0x3f800000);                /* 1.0 / 0.0 */
        r->cr4 = CR4_OSFXSR | (osxmm ? CR4_OSXMMEXCPT : 0);
        ck_assert_int_eq(run1(r, divss, 4, &st), osxmm ? XM : UD);
        ck_assert_uint_eq(ld32(fx_xmm(&st, 1)), 0x3f800000);
        ck_assert_uint_eq(fx_mxcsr(&st), 0x1d84);
    }
    rig_free(r);
}
END_TEST

/* 16-byte operands of the aligned forms: #GP(0) when misaligned (SDM
 * MOVAPS, ADDPS); MOVUPS and scalar forms take any address. */
START_TEST(test_cpu_sse_state_alignment)
{
    static const uint8_t movaps[] = { 0x0f, 0x28, 0x08 }, movups[] = { 0x0f, 0x10, 0x08 };
    static const uint8_t movaps_st[] = { 0x0f, 0x29, 0x08 };
    static const uint8_t addss[] = { 0xf3, 0x0f, 0x58, 0x08 };
    static const uint8_t pxor[] = { 0x66, 0x0f, 0xef, 0x08 }, pxor_mmx[] = { 0x0f, 0xef, 0x08 };
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st, h;
    clean_state(&st);
    for (int i = 0; i < 64; i++)
        st.mem[i] = (uint8_t)i;
    st.eax_off = 8;
    ck_assert_int_eq(run1(r, movaps, 3, &st), GP);
    ck_assert_uint_eq(r->err, 0);
    ck_assert_int_eq(run1(r, movaps_st, 3, &st), GP);
    ck_assert_int_eq(run1(r, addps_rm, 3, &st), GP);
    ck_assert_int_eq(run1(r, pxor, 4, &st), GP);
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), GP);
    ck_assert_int_eq(run1(r, movups, 3, &st), -1);
    ck_assert_uint_eq(ld64(fx_xmm(&st, 1)), 0x0f0e0d0c0b0a0908ull);
    ck_assert_int_eq(run1(r, addss, 4, &st), -1);
    ck_assert_int_eq(run1(r, pxor_mmx, 3, &st), -1);     /* 8-byte MMX operand: any */
    /* the host agrees on the vector */
    clean_state(&h);
    h.eax_off = 8;
    ck_assert_int_eq(rig_host(movaps, 3, &h), GP);
    ck_assert_int_eq(rig_host(movups, 3, &h), -1);
    rig_free(r);
}
END_TEST

/* A pending unmasked x87 exception (FSW.ES) is taken as #MF by an MMX
 * instruction with CR0.NE (SDM PADDB "#MF"), not by an SSE one. */
START_TEST(test_cpu_sse_state_pending_x87)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st, h;
    clean_state(&st);
    st16(st.fx, 0x037e);                     /* IM unmasked */
    st16(st.fx + 2, 0x0081);                 /* IE + ES */
    h = st;
    ck_assert_int_eq(run1(r, paddb_rr, 3, &st), MF);
    ck_assert_uint_eq(st.fx[4], 0);          /* taken before the transition */
    ck_assert_int_eq(rig_host(paddb_rr, 3, &h), MF);
    ck_assert_int_eq(run1(r, addps_rr, 3, &st), -1);
    r->cr0 &= ~CR0_NE;                       /* FERR#/IGNNE# style: no #MF */
    ck_assert_int_eq(run1(r, paddb_rr, 3, &st), -1);
    rig_free(r);
}
END_TEST

/* A faulting MMX/SSE instruction changes nothing: no x87 transition, no
 * register write (DS limit violation: #GP(0)). */
START_TEST(test_cpu_sse_state_fault_is_precise)
{
    static const uint8_t cvtpi2ps_m[] = { 0x0f, 0x2a, 0x08 };
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st;
    clean_state(&st);
    st16(st.fx + 2, 3 << 11);                /* TOP = 3, all empty */
    st64(fx_st(&st, 6), 0x1111);             /* MM1 (physical 1 = ST(6)) */
    r->ds_limit = RIG_MEM + 4;
    ck_assert_int_eq(run1(r, paddb_rm, 3, &st), GP);
    ck_assert_uint_eq(ld16(st.fx + 2) >> 11, 3);
    ck_assert_uint_eq(st.fx[4], 0);
    ck_assert_uint_eq(ld64(fx_st(&st, 6)), 0x1111);
    ck_assert_int_eq(run1(r, cvtpi2ps_m, 3, &st), GP);
    ck_assert_int_eq(run1(r, addps_rm, 3, &st), GP);
    r->ds_limit = 0;
    ck_assert_int_eq(run1(r, paddb_rm, 3, &st), -1);
    ck_assert_uint_eq(ld16(st.fx + 2) >> 11, 0);
    ck_assert_uint_eq(st.fx[4], 0xff);
    rig_free(r);
}
END_TEST

/* LDMXCSR: #GP(0) for bits 16-31 (MXCSR_MASK FFFFh), else loads; STMXCSR. */
START_TEST(test_cpu_sse_state_mxcsr)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st, h;
    clean_state(&st);
    st32(st.mem, 0x0000ffff);
    ck_assert_int_eq(run1(r, ldmxcsr_m, 3, &st), -1);
    ck_assert_uint_eq(fx_mxcsr(&st), 0xffff);
    st32(st.mem, 0x00011f80);
    h = st;
    ck_assert_int_eq(run1(r, ldmxcsr_m, 3, &st), GP);
    ck_assert_uint_eq(fx_mxcsr(&st), 0xffff);
    ck_assert_int_eq(rig_host(ldmxcsr_m, 3, &h), GP);
    fx_set_mxcsr(&st, 0x9fc0);
    ck_assert_int_eq(run1(r, stmxcsr_m, 3, &st), -1);
    ck_assert_uint_eq(ld32(st.mem), 0x9fc0);
    rig_free(r);
}
END_TEST

/* FXSAVE image layout (SDM Vol. 1 table 10-2, 32-bit format) */
START_TEST(test_cpu_sse_state_fxsave_layout)
{
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st;
    uint8_t img[512], fill[512];
    clean_state(&st);
    st16(st.fx, 0x0362);                     /* FCW */
    st16(st.fx + 2, (2 << 11) | 0x0041);     /* TOP = 2, SF + IE */
    st.fx[4] = 0x0c;                         /* physical 2, 3 valid */
    fx_set_mxcsr(&st, 0x3f81);
    for (int i = 0; i < 8; i++) {
        st64(fx_st(&st, i), 0x8000000000000000ull | (uint64_t)i << 8);
        st16(fx_st(&st, i) + 8, (uint16_t)(0x3fff + i));
        for (int b = 0; b < 16; b++)
            fx_xmm(&st, i)[b] = (uint8_t)(16 * i + b);
    }
    memset(fill, 0xaa, sizeof(fill));
    harness_load(r->h, 0x30000, fill, sizeof(fill));
    st.eax_off = 0x10000;                    /* EAX = 30000h */
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), -1);
    memmap_rw(bus_memmap(r->h->bus), 0x30000, img, sizeof(img), false);
    ck_assert_uint_eq(ld16(img + 0), 0x0362);
    ck_assert_uint_eq(ld16(img + 2), (2 << 11) | 0x0041);
    ck_assert_uint_eq(img[4], 0x0c);
    ck_assert_uint_eq(ld32(img + 24), 0x3f81);
    ck_assert_uint_eq(ld32(img + 28), 0xffff);          /* MXCSR_MASK: DAZ supported */
    for (int i = 0; i < 8; i++) {                       /* ST(i) in stack order */
        ck_assert_uint_eq(ld64(img + 32 + 16 * i), 0x8000000000000000ull | (uint64_t)i << 8);
        ck_assert_uint_eq(ld16(img + 40 + 16 * i), 0x3fff + i);
        ck_assert_uint_eq(img[160 + 16 * i], 16 * i);
        ck_assert_uint_eq(img[175 + 16 * i], 16 * i + 15);
    }
    for (int i = 288; i < 512; i++)                     /* reserved/available: untouched */
        ck_assert_uint_eq(img[i], 0xaa);

    /* FXRSTOR of a modified image */
    st16(img + 2, 5 << 11);
    img[4] = 0x81;
    st32(img + 24, 0x1f80 | 0x6000);
    st64(img + 160 + 16 * 3, 0x123456789abcdef0ull);
    harness_load(r->h, 0x30000, img, sizeof(img));
    ck_assert_int_eq(run1(r, fxrstor_m, 3, &st), -1);
    ck_assert_uint_eq(ld16(st.fx + 2), 5 << 11);
    ck_assert_uint_eq(st.fx[4], 0x81);
    ck_assert_uint_eq(fx_mxcsr(&st), 0x7f80);
    ck_assert_uint_eq(ld64(fx_xmm(&st, 3)), 0x123456789abcdef0ull);
    /* reserved MXCSR bits: #GP(0), nothing restored */
    st32(img + 24, 0x10000);
    st16(img + 2, 1 << 11);
    harness_load(r->h, 0x30000, img, sizeof(img));
    ck_assert_int_eq(run1(r, fxrstor_m, 3, &st), GP);
    ck_assert_uint_eq(r->err, 0);
    ck_assert_uint_eq(ld16(st.fx + 2), 5 << 11);
    ck_assert_uint_eq(fx_mxcsr(&st), 0x7f80);
    rig_free(r);
}
END_TEST

/* The guest's FXSAVE image of a random state matches what the host's
 * FXSAVE writes for the same state (after its FXRSTOR), field by field;
 * FXRSTOR of that image and FXSAVE again give it back. */
START_TEST(test_cpu_sse_state_fxsave_vs_host)
{
    static const uint8_t fxsave_fxrstor[] = { 0x0f, 0xae, 0x00, 0x0f, 0xae, 0x08 };
    static const uint8_t nop[] = { 0x90 };
    Rig *r = rig_new(cpu_test_backend(_i));
    SfRng rng = { 21 };
    for (int i = 0; i < 50; i++) {
        SimdState st, h;
        uint8_t gi[512];
        rig_random_state(&rng, &st, RIG_ANY);
        h = st;
        ck_assert_int_eq(rig_host(nop, 1, &h), -1);          /* h.fx: the host's image */
        st.eax_off = 0x10000;
        ck_assert_int_eq(rig_guest(r, fxsave_fxrstor, 6, 2, &st), -1);
        memmap_rw(bus_memmap(r->h->bus), 0x30000, gi, sizeof(gi), false);
        ck_assert_msg(!memcmp(gi, h.fx, 6), "FCW/FSW/FTW %d", i);
        ck_assert_msg(!memcmp(gi + 24, h.fx + 24, 8), "MXCSR/MASK %d", i);
        for (int k = 0; k < 8; k++)
            ck_assert_msg(!memcmp(gi + 32 + 16 * k, h.fx + 32 + 16 * k, 10), "ST%d %d", k, i);
        ck_assert_msg(!memcmp(gi + 160, h.fx + 160, 128), "XMM %d", i);
        /* after FXRSTOR of its own image the state is unchanged */
        ck_assert_msg(!memcmp(st.fx, h.fx, 6) && !memcmp(st.fx + 160, h.fx + 160, 128),
                      "round trip %d", i);
    }
    rig_free(r);
}
END_TEST

/* 0F 18 hints never touch memory; fences are decoded and do nothing;
 * encodings the SDM leaves undefined are #UD. */
START_TEST(test_cpu_sse_state_hints_and_undefined)
{
    static const uint8_t prefetch[] = {
        0x0f, 0x18, 0x80, 0xf0, 0xff, 0xff, 0x7f,      /* prefetchnta [eax+7ffffff0h] */
        0x0f, 0x18, 0x18,                              /* prefetcht2 [eax] */
        0x0f, 0x18, 0xe0,                              /* hint nop, register form */
        0x0f, 0xae, 0xe8, 0x0f, 0xae, 0xf0, 0x0f, 0xae, 0xf8,  /* lfence mfence sfence */
        0x0f, 0x7e, 0xc8,                              /* movd eax, mm1 */
    };
    static const struct { uint8_t b[4]; size_t len; } bad[] = {
        { { 0xf3, 0x0f, 0xfc, 0xca }, 4 },      /* F3 on an MMX op */
        { { 0x66, 0x0f, 0x53, 0xca }, 4 },      /* no RCPPD */
        { { 0x0f, 0x71, 0x10, 0x01 }, 4 },      /* psrlw [eax], 1: register only */
        { { 0x0f, 0xae, 0x28 }, 3 },            /* 0F AE /5 memory form */
        { { 0x0f, 0xd7, 0x08 }, 3 },            /* pmovmskb ecx, [eax] */
        { { 0x66, 0x0f, 0x12, 0xca }, 4 },      /* movlpd: memory only */
        { { 0xf0, 0x0f, 0x58, 0xca }, 4 },      /* LOCK addps */
    };
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st;
    clean_state(&st);
    st64(fx_st(&st, 1), 0xfeedface);
    r->ds_limit = RIG_MEM + 0x40;        /* the hints' addresses are far beyond it */
    ck_assert_int_eq(rig_guest(r, prefetch, sizeof(prefetch), 7, &st), -1);
    ck_assert_uint_eq(st.eax_off + RIG_MEM, 0xfeedface);
    r->ds_limit = 0;
    for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
        clean_state(&st);
        ck_assert_msg(rig_guest(r, bad[i].b, bad[i].len, 1, &st) == UD, "encoding %zu", i);
    }
    rig_free(r);
}
END_TEST

/* MASKMOVQ with a zero mask writes nothing and faults on nothing
 * (implementation-specific per the SDM; hardware takes no #GP here). */
START_TEST(test_cpu_sse_state_maskmov)
{
    static const uint8_t maskmovq[] = { 0x0f, 0xf7, 0xca };    /* maskmovq mm1, mm2 */
    Rig *r = rig_new(cpu_test_backend(_i));
    SimdState st;
    clean_state(&st);
    st64(fx_st(&st, 1), 0x1122334455667788ull);
    st64(fx_st(&st, 2), 0x8000800000800080ull);             /* bytes 0, 2, 5, 7 */
    st.edi_off = 3;
    ck_assert_int_eq(run1(r, maskmovq, 3, &st), -1);
    ck_assert_uint_eq(ld64(st.mem + 3), 0x1100330000660088ull);
    rig_free(r);
}
END_TEST

/* Multi-byte stores check every page first: an FXSAVE, MASKMOVDQU or
 * MOVUPS that runs into a not-present page raises #PF with nothing written. */
START_TEST(test_cpu_sse_state_store_page_fault)
{
    static const uint8_t maskmovdqu[] = { 0x66, 0x0f, 0xf7, 0xca };
    static const uint8_t movups_st[] = { 0x0f, 0x11, 0x08 };
    Rig *r = rig_new(cpu_test_backend(_i));
    uint8_t pt[4096], buf[256], fill[256];
    SimdState st;
    /* identity-mapped 4 MiB, page 31000h not present; PD at 40000h, PT at 41000h */
    for (uint32_t i = 0; i < 1024; i++)
        st32(pt + 4 * i, i == 0x31 ? 0 : (i << 12) | 3);
    harness_load(r->h, 0x41000, pt, sizeof(pt));
    memset(pt, 0, sizeof(pt));
    st32(pt, 0x41000 | 3);
    harness_load(r->h, 0x40000, pt, sizeof(pt));
    memset(fill, 0x5a, sizeof(fill));
    harness_load(r->h, 0x30f00, fill, sizeof(fill));
    r->cr3 = 0x40000;
    r->cr0 |= 0x80000000u;
    clean_state(&st);
    st.eax_off = 0x30f00 - RIG_MEM;          /* 288 bytes from 30F00h cross into 31000h */
    ck_assert_int_eq(run1(r, fxsave_m, 3, &st), 14);
    ck_assert_uint_eq(r->cr2, 0x31000);
    memmap_rw(bus_memmap(r->h->bus), 0x30f00, buf, sizeof(buf), false);
    ck_assert_int_eq(memcmp(buf, fill, sizeof(buf)), 0);
    clean_state(&st);
    memset(fx_xmm(&st, 2), 0x80, 16);        /* every byte selected */
    st.edi_off = 0x30ff8 - RIG_MEM;
    ck_assert_int_eq(run1(r, maskmovdqu, 4, &st), 14);
    memmap_rw(bus_memmap(r->h->bus), 0x30f00, buf, sizeof(buf), false);
    ck_assert_int_eq(memcmp(buf, fill, sizeof(buf)), 0);
    st.eax_off = 0x30ff8 - RIG_MEM;
    ck_assert_int_eq(run1(r, movups_st, 3, &st), 14);
    memmap_rw(bus_memmap(r->h->bus), 0x30f00, buf, sizeof(buf), false);
    ck_assert_int_eq(memcmp(buf, fill, sizeof(buf)), 0);
    st.edi_off = 0x30fe0 - RIG_MEM;          /* within the page: written */
    ck_assert_int_eq(run1(r, maskmovdqu, 4, &st), -1);
    memmap_rw(bus_memmap(r->h->bus), 0x30fe0, buf, 16, false);
    ck_assert_uint_eq(buf[0], 0);
    rig_free(r);
}
END_TEST

/* No row of the SSE map collides with another area's (panics otherwise). */
START_TEST(test_cpu_sse_state_decoder_selfcheck)
{
    x86_decode_selfcheck();
}
END_TEST

TEST_SUITE(cpu_sse_state)
{
    Suite *s = suite_create("cpu_sse_state");
    TCase *tc = tcase_create("decoder");
    tcase_add_test(tc, test_cpu_sse_state_decoder_selfcheck);
    suite_add_tcase(s, tc);
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 30);
        CPU_TEST(tc, test_cpu_sse_state_ud_nm, b);
        CPU_TEST(tc, test_cpu_sse_state_xm_or_ud, b);
        CPU_TEST(tc, test_cpu_sse_state_fault_is_precise, b);
        CPU_TEST(tc, test_cpu_sse_state_mxcsr, b);
        CPU_TEST(tc, test_cpu_sse_state_fxsave_layout, b);
        CPU_TEST(tc, test_cpu_sse_state_hints_and_undefined, b);
        CPU_TEST(tc, test_cpu_sse_state_maskmov, b);
        CPU_TEST(tc, test_cpu_sse_state_store_page_fault, b);
        if (!SF_HAVE_HOST)
            continue;
        CPU_TEST(tc, test_cpu_sse_state_alignment, b);
        CPU_TEST(tc, test_cpu_sse_state_pending_x87, b);
        CPU_TEST(tc, test_cpu_sse_state_fxsave_vs_host, b);
    }
    return s;
}
