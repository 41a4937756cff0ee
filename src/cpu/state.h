/* state.h — the x86 CPU state (CpuState, "env") and the Cpu around it.
 *
 * CpuState starts with the TcgCpuState that generated code and backends
 * use. Then the IR globals: 64-bit slots the translator reads and writes
 * directly (guest registers use the low 32 bits; 32-bit writes zero the
 * upper half, as in x86-64, so 64-bit guests can widen them later). The six
 * arithmetic flags are not kept in eflags but lazily in cc_op/cc_dst/
 * cc_src/cc_src2 (cc.h); cpu_compute_eflags() materialises them.
 *
 * Translation-relevant mode bits are mirrored in `hflags` (HF_*), which is
 * part of every TB's key: whenever CR0, CR4, EFLAGS.VM/IOPL, CS/SS or a
 * segment cache changes, cpu_update_hflags() must run (the helpers that
 * change them do) and the TB must end.
 */
#ifndef EMU_CPU_STATE_H
#define EMU_CPU_STATE_H

#include <setjmp.h>
#include "cpu/cpu.h"
#include "tcg/tb.h"

/* -- EFLAGS (SDM Vol. 1 3.4.3) -- */
enum {
    EF_CF = 1 << 0, EF_FIXED1 = 1 << 1, EF_PF = 1 << 2, EF_AF = 1 << 4, EF_ZF = 1 << 6,
    EF_SF = 1 << 7, EF_TF = 1 << 8, EF_IF = 1 << 9, EF_DF = 1 << 10, EF_OF = 1 << 11,
    EF_IOPL = 3 << 12, EF_NT = 1 << 14, EF_RF = 1 << 16, EF_VM = 1 << 17, EF_AC = 1 << 18,
    EF_VIF = 1 << 19, EF_VIP = 1 << 20, EF_ID = 1 << 21,
    EF_ARITH = EF_CF | EF_PF | EF_AF | EF_ZF | EF_SF | EF_OF,
};
#define EF_IOPL_SHIFT 12

/* -- Control registers (SDM Vol. 3A 2.5) -- */
enum {
    CR0_PE = 1 << 0, CR0_MP = 1 << 1, CR0_EM = 1 << 2, CR0_TS = 1 << 3, CR0_ET = 1 << 4,
    CR0_NE = 1 << 5, CR0_WP = 1 << 16, CR0_AM = 1 << 18, CR0_NW = 1 << 29, CR0_CD = 1 << 30,
    CR0_PG = 1u << 31,
};
enum {
    CR4_VME = 1 << 0, CR4_PVI = 1 << 1, CR4_TSD = 1 << 2, CR4_DE = 1 << 3, CR4_PSE = 1 << 4,
    CR4_PAE = 1 << 5, CR4_MCE = 1 << 6, CR4_PGE = 1 << 7, CR4_PCE = 1 << 8,
    CR4_OSFXSR = 1 << 9, CR4_OSXMMEXCPT = 1 << 10,
};
enum { EFER_SCE = 1 << 0, EFER_LME = 1 << 8, EFER_LMA = 1 << 10, EFER_NXE = 1 << 11 };

/* -- Exceptions (SDM Vol. 3A 6.3.1) -- */
enum {
    EXCP_DE = 0, EXCP_DB = 1, EXCP_NMI = 2, EXCP_BP = 3, EXCP_OF = 4, EXCP_BR = 5, EXCP_UD = 6,
    EXCP_NM = 7, EXCP_DF = 8, EXCP_TS = 10, EXCP_NP = 11, EXCP_SS = 12, EXCP_GP = 13,
    EXCP_PF = 14, EXCP_MF = 16, EXCP_AC = 17, EXCP_MC = 18, EXCP_XM = 19,
    EXCP_SHUTDOWN = 0x100,      /* not a vector: triple fault, the CPU shuts down */
};

/* -- Segment descriptor cache: attr layout as CpuSegment.attr (cpu.h) -- */
enum {
    SEG_ATTR_TYPE = 0x0f, SEG_ATTR_S = 0x10, SEG_ATTR_DPL = 0x60, SEG_ATTR_P = 0x80,
    SEG_ATTR_AVL = 0x100, SEG_ATTR_L = 0x200, SEG_ATTR_DB = 0x400, SEG_ATTR_G = 0x800,
};
#define SEG_ATTR_DPL_SHIFT 5

typedef struct SegCache {
    uint32_t base;
    uint32_t limit;         /* byte granular, expanded */
    uint16_t selector;
    uint16_t attr;
    /* Precomputed for translated code's limit checks (expand-up segments):
     * a read of n bytes at offset o is allowed iff o + n <= lim_end, a write
     * iff o + n <= lim_end_w. lim_end is limit + 1, or 0 when the segment is
     * unusable (null selector) or not readable; lim_end_w is 0 unless it is
     * a writable data segment (real and V86 mode: always writable). */
    uint64_t lim_end;
    uint64_t lim_end_w;
    uint32_t hf;            /* the hflags bits of this segment (HF_SEGBASE0 etc.) */
} SegCache;

/* -- hflags: the CPU mode as translated code depends on it (TB key) -- */
enum {
    HF_CPL_MASK = 3,
    HF_PE = 1 << 2,              /* CR0.PE */
    HF_VM = 1 << 3,              /* EFLAGS.VM */
    HF_CS32 = 1 << 4,            /* CS.D: default operand/address size 32 */
    HF_SS32 = 1 << 5,            /* SS.B: 32-bit stack pointer */
    HF_TF = 1 << 6,              /* EFLAGS.TF: #DB after each instruction */
    HF_EM = 1 << 7,              /* CR0.EM */
    HF_MP = 1 << 8,              /* CR0.MP */
    HF_TS = 1 << 9,              /* CR0.TS */
    HF_OSFXSR = 1 << 10,         /* CR4.OSFXSR: SSE enabled */
    HF_IOPL_SHIFT = 11,          /* 2 bits: EFLAGS.IOPL */
    HF_IOPL_MASK = 3 << 11,
    HF_EXPDOWN = 1 << 13,        /* some segment is expand-down: checks go to a helper */
    HF_SEGBASE0_SHIFT = 14,      /* 6 bits: segment i has base 0 */
    HF_SEGNOLIM_SHIFT = 20,      /* 6 bits: segment i needs no limit check (4 GiB, expand-up) */
    HF_INHIBIT_IRQ = 1 << 26,    /* after STI/MOV SS: no interrupt before the next insn */
};
/* A TB's flags: hflags without HF_INHIBIT_IRQ, and in TB_CC_SHIFT.. the
 * cc_op the block was translated for (the one env->cc_op holds on entry),
 * or TB_CC_ANY for a block whose code does not depend on it (exec.c). */
#define TB_CC_SHIFT 26
#define TB_CC_ANY 63u
#define TB_MODE_MASK ((1u << TB_CC_SHIFT) - 1)
static inline uint32_t tb_cc_of(uint32_t tb_flags) { return tb_flags >> TB_CC_SHIFT; }

static inline bool hf_seg_base0(uint32_t hf, int seg) { return hf & (1u << (HF_SEGBASE0_SHIFT + seg)); }
static inline bool hf_seg_nolimit(uint32_t hf, int seg) { return hf & (1u << (HF_SEGNOLIM_SHIFT + seg)); }

/* An x87 register: 64-bit significand and sign+exponent, as in FXSAVE. */
typedef struct FpReg {
    uint64_t mant;
    uint16_t se;
    uint16_t pad[3];
} FpReg;

/* MMU indexes for the TLB and memops */
enum { MMU_KERNEL = 0, MMU_USER = 1, MMU_PHYS = 2 };

/* -- The state translated code runs with -- */
typedef struct CpuState {
    TcgCpuState tcg;            /* must be first */

    /* IR globals: 64-bit slots */
    uint64_t regs[16];
    uint64_t eip;
    uint64_t cc_op;
    uint64_t cc_dst, cc_src, cc_src2;

    /* Other state the translator reads with ld ops */
    uint32_t eflags;            /* all but the arithmetic flags (those are lazy) */
    int32_t df;                 /* +1 or -1 from EFLAGS.DF, for string ops */
    uint32_t hflags;
    uint32_t a20_mask;          /* ~0, or ~(1 << 20) with A20 masked */
    SegCache seg[6];            /* CPU_ES.. CPU_GS */
    SegCache ldt, tr;
    uint32_t gdt_base, gdt_limit, idt_base, idt_limit;
    uint32_t cr[5];
    uint64_t efer;
    uint32_t dr[8];

    /* x87 FPU (SDM Vol. 1 ch. 8). MMX register i aliases fpregs[i].mant. */
    FpReg fpregs[8];            /* physical registers; ST(i) = fpregs[(fpstt + i) & 7] */
    uint32_t fpstt;             /* TOP */
    uint16_t fpus;              /* status word (TOP bits kept in fpstt) */
    uint16_t fpuc;              /* control word */
    uint8_t fptags[8];          /* 1 = empty */
    uint16_t fpop;
    uint32_t fpip, fpdp;
    uint16_t fpcs, fpds;

    /* SSE (SDM Vol. 1 ch. 10) */
    union { uint8_t b[16]; uint32_t d[4]; uint64_t q[2]; } xmm[16] ALIGNED(16);
    uint32_t mxcsr;

    /* MSRs */
    uint32_t sysenter_cs, sysenter_esp, sysenter_eip;
    uint64_t apic_base;
    uint64_t pat;
    uint64_t mtrr_def_type, mtrr_fixed[11], mtrr_var[16];
    int64_t tsc_offset;         /* TSC = virtual ns * TSC_PER_NS + offset */

    /* Pending events */
    bool intr_line;             /* INTR pin level */
    bool nmi_pending;
    bool nmi_blocked;           /* from NMI delivery until IRET */
    bool halted;
    bool exit_request;
    int32_t exception_index;    /* exception to deliver in the loop, or -1 */
    uint32_t error_code;
    bool error_code_valid;
    int32_t exception_is_int;   /* 1: INT n (software), 2: INT3/INTO; affects gates' DPL checks */
    uint32_t exception_next_eip;
    int32_t delivering_excp;    /* exception being delivered (double-fault rules), or -1 */
    int32_t icount_extra;       /* budget parked by an exit request */
    bool walk_debug;            /* page walks for debuggers: no A/D updates */

    struct Cpu *cpu;            /* back pointer */

    /* Large, rarely touched from generated code: at the end. */
    Tlb tlb;
    uint64_t interp_frame[IR_MAX_TEMPS];
} CpuState;

/* One per CPU: everything that is not guest-visible register state. */
struct Cpu {
    CpuState env;
    CpuConfig cfg;
    Bus *bus;
    MemMap *mem;
    VClock *clock;
    TbCache *tbs;
    IrFunc *ir;
    IrGlobalSet globals;
    TB *jmp_cache[4096];        /* by pc hash: recently run TBs */
    uint32_t next_cflags;       /* forces the next TB's cflags (SMC restart) */
    jmp_buf jmp_env;            /* cpu_loop_exit target */
    uint64_t icount;            /* instructions completed before the current cpu_run */
    int64_t run_budget;         /* instructions cpu_run may still start */
    int32_t exec_granted;       /* budget handed to the block running now, or 0 */
    bool in_run;
};

#define TSC_PER_NS 1            /* the TSC runs at 1 GHz virtual */
/* CPUID(1).EAX and EDX at reset: family 6, model 13, stepping 6 (a P6-class
 * part with SSE2, as the Pentium M). */
#define CPU_SIGNATURE 0x6d6

static inline Cpu *env_cpu(CpuState *env) { return env->cpu; }
static inline int cpu_cpl(const CpuState *env) { return env->hflags & HF_CPL_MASK; }
static inline int cpu_mmu_index(const CpuState *env)
{
    return cpu_cpl(env) == 3 ? MMU_USER : MMU_KERNEL;
}

/* Recompute hflags from CR0/CR4/EFLAGS/segment caches (all of them:
 * after the caches were written directly or the mode changed). */
void cpu_update_hflags(CpuState *env);
/* The same after CR0/CR4/EFLAGS bits changed but no segment cache did
 * (cpu_set_seg_cache keeps each cache's derived fields up to date). */
void cpu_update_hflags_mode(CpuState *env);

#endif
