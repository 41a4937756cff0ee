/* test_cpu_sse_rig.h — running one MMX/SSE instruction on the emulated CPU
 * and on the host CPU from the same state, for the test_cpu_sse*.c and
 * test_cpu_mmx*.c suites.
 *
 * The guest runs in flat 32-bit protected mode (CPL 0, CR0.NE, CR4.OSFXSR
 * and OSXMMEXCPT unless a test changes rig->cr0/cr4), code at RIG_CODE,
 * the memory operand area at RIG_MEM, an IDT whose vector v handler is a
 * `jmp $` at RIG_HANDLERS + 2v (so the vector taken is read off EIP).
 * The host runs the very same instruction bytes between an FXRSTOR and an
 * FXSAVE of the state image: SSE/MMX encodings mean the same in 64-bit
 * mode, and memory operands are written as [eax] ([rax] on the host).
 * Faults on the host come back as their vector (from the signal's trap
 * number) with the FP state at the fault.
 */
#ifndef EMU_TESTS_TEST_CPU_SSE_RIG_H
#define EMU_TESTS_TEST_CPU_SSE_RIG_H

#include "unit/cpu_harness.h"
#include "unit/sf_host.h"

#define RIG_HANDLERS 0x1000
#define RIG_CODE 0x10000
#define RIG_MEM 0x20000
#define RIG_STACK 0x9000

/* Machine state an instruction sees: the FXSAVE image (x87, MMX, XMM,
 * MXCSR), a 64-byte memory area that EAX and EDI point into, ECX, EDX and
 * EFLAGS. */
typedef struct SimdState {
    uint8_t fx[512] __attribute__((aligned(16)));
    uint8_t mem[64] __attribute__((aligned(16)));
    uint32_t eax_off, edi_off;
    uint32_t ecx, edx;
    uint32_t eflags;
} SimdState;

typedef struct Rig {
    CpuHarness *h;
    uint32_t cr0, cr4;          /* used by the next rig_guest */
    uint32_t ds_limit;          /* DS limit (byte granular) if not 0; else flat */
    uint32_t cr3;               /* with CR0.PG in cr0 */
    uint32_t cr2;               /* after the run */
    uint8_t code[32];           /* what is loaded at RIG_CODE */
    size_t code_len;
    uint32_t err;               /* error code of the last exception with one */
} Rig;

Rig *rig_new(CpuBackendKind backend);
void rig_free(Rig *r);
/* Run `ninsns` instructions of code (followed by jmp $) from st; st gets
 * the final state. Returns -1 when they completed, else the vector. */
int rig_guest(Rig *r, const uint8_t *code, size_t len, int ninsns, SimdState *st);
/* The same on the host (one instruction). Returns -1 or the vector. */
int rig_host(const uint8_t *code, size_t len, SimdState *st);

/* Image fields */
static inline uint32_t fx_mxcsr(const SimdState *s) { return ld32(s->fx + 24); }
static inline void fx_set_mxcsr(SimdState *s, uint32_t v) { st32(s->fx + 24, v); }
static inline uint8_t *fx_xmm(SimdState *s, int i) { return s->fx + 160 + 16 * i; }
/* ST(i) slot: with TOP = 0 this is MMX register i */
static inline uint8_t *fx_st(SimdState *s, int i) { return s->fx + 32 + 16 * i; }

/* Data kinds for random states */
enum { RIG_INT = 1, RIG_F32 = 2, RIG_F64 = 4, RIG_ANY = 7 };
/* A random starting state: all MXCSR exceptions masked, random rounding,
 * DAZ, FZ and sticky flags, random TOP and tags, registers and memory
 * filled with `kinds` of data. */
void rig_random_state(SfRng *rng, SimdState *st, unsigned kinds);
/* Compare what the instruction can change; writes the first difference to
 * why (256 bytes). approx: XMM1's single-precision lanes may differ within
 * RCPPS/RSQRTPS accuracy. */
bool rig_same(const SimdState *g, const SimdState *h, bool approx, char *why);

/* One instruction form checked against the host on random states. */
typedef struct RigCase {
    const char *name;
    uint8_t bytes[12];
    uint8_t len;
    uint8_t kinds;              /* RIG_INT/F32/F64: the data to try */
    bool approx;
    bool unmask;                /* random MXCSR exception masks */
} RigCase;
/* Runs n random states of each case; returns the number of mismatches
 * (printing the first few). Faulting runs must fault the same way and
 * leave the same state. */
long rig_diff(Rig *r, const RigCase *cases, size_t ncases, int n, uint64_t seed);

#endif
