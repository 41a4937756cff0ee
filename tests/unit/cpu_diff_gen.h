/* cpu_diff_gen.h — random sequences of user-level integer instructions,
 * made for the CPU differential test against the host (test_cpu_diff.c)
 * and also run by the lockstep test of the backends (test_cpu_lockstep.c).
 *
 * A sequence runs as tests/native/diff_proto.h lays out: 32-bit code at
 * DIFF_CODE_BASE at CPL 3, DS = ES = SS a 64 KiB data segment filled from
 * a seed, ending with a HLT (which faults at CPL 3). Generator rules:
 * memory operands get their base/index registers set by a MOV just before
 * (so they point into the data segment), branches only go forward, shift
 * and SHLD/SHRD counts in CL are set just before (their flags depend on the
 * count), results the SDM leaves undefined (SHLD/SHRD 16-bit counts > 16,
 * BSWAP r16) are not generated, and the generator tracks which flags each
 * instruction leaves undefined, putting a flag-defining CMP before any
 * instruction that reads an undefined one.
 *
 * To add an instruction form: a template t_xxx() in cpu_diff_gen.c (begin,
 * emit the bytes, end with the flags it defines and leaves undefined) and a
 * row in `templates` with its weight.
 */
#ifndef EMU_TESTS_CPU_DIFF_GEN_H
#define EMU_TESTS_CPU_DIFF_GEN_H

#include <stdio.h>
#include "native/diff_proto.h"
#include "unit/cpu_harness.h"

#define DIFF_SEED 0x1d1ff5eedull        /* cpu_diff's default seed */
#define DIFF_MAX_INSNS 160

typedef struct SeqInsn {
    uint16_t off;
    uint8_t len;
    uint32_t undef_before;          /* flags undefined when it starts */
    char desc[40];
} SeqInsn;

typedef struct Fixup {
    uint32_t pos;                   /* the displacement */
    int size;                       /* its size: 1 or 4 */
    int units_left;                 /* template units to skip */
    uint32_t undef;                 /* undefined flags on the taken path */
} Fixup;

typedef struct Seq {
    uint64_t rng;
    uint8_t code[DIFF_CODE_MAX];
    uint32_t len;
    SeqInsn insn[DIFF_MAX_INSNS];
    int n;
    uint32_t undef;                 /* flags undefined now */
    Fixup fix[16];
    int nfix;
    uint32_t regs[8], eflags, seed;
    uint32_t reserved;              /* registers memory operands must not use */
    bool align;                     /* next memory operand aligned (LOCK: no split locks,
                                     * which Linux may punish with a 10 ms sleep) */
} Seq;

/* The sequence of a seed: code, starting registers, EFLAGS and data seed. */
void diff_gen_sequence(Seq *q, uint64_t seed);
/* The flags to compare when a run stops at eip: DF and the arithmetic
 * flags defined there (DF alone if no instruction of q starts at eip). */
uint32_t diff_flag_mask(const Seq *q, uint32_t eip);
/* The listing: starting registers, then each instruction's address, bytes
 * and what it is; the one at mark_eip is followed by `mark`. */
void diff_print_sequence(FILE *f, const Seq *q, uint32_t mark_eip, const char *mark);
/* Set h up to run q as the native runner does: the data segment filled
 * from q->seed (a copy of the fill in `fill`), the code, CPL 3, the
 * registers and flags. harness_run() then runs it to its end. */
void diff_load(CpuHarness *h, const Seq *q, uint8_t fill[DIFF_DATA_SIZE]);

#endif
