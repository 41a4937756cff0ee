/* exec.c — the CPU run loop: find or translate the block at CS:EIP, run it,
 * deliver exceptions and interrupts between blocks, count instructions.
 *
 * Instruction budget: env->tcg.icount_left is what translated code may still
 * start; every block subtracts its instruction count on entry and leaves
 * (without running) when the rest is too small. An exit request parks the
 * remaining budget in env->icount_extra and zeroes icount_left, so the next
 * block boundary leaves. Exceptions unwind the instructions a block did not
 * complete (cpu_restore_state). A block is shortened (cflags count) when the
 * budget ends inside it, so cpu_run() stops at exactly max_insns.
 */
#include <string.h>
#include "cpu/exec.h"
#include "cpu/translate.h"
#include "base/log.h"

#define JC_BITS 12

static inline uint32_t jc_hash(uint64_t pc)
{
    return (uint32_t)((pc >> 2) ^ (pc >> (2 + JC_BITS))) & ((1u << JC_BITS) - 1);
}

/* -- Leaving translated code ------------------------------------------------------- */

void cpu_loop_exit(CpuState *env)
{
    longjmp(env->cpu->jmp_env, 1);
}

bool cpu_restore_state(CpuState *env, uintptr_t ra)
{
    Cpu *cpu = env->cpu;
    TB *tb = env->tcg.current_tb;
    int i;

    if (!tb && ra)
        tb = tb_find_by_host_pc(cpu->tbs, ra);
    if (!tb)
        return false;
    i = tb_cache_backend(cpu->tbs)->insn_at(tb, &env->tcg, ra);
    if (i < 0 || i >= tb->icount)
        return false;
    env->eip = (uint32_t)(tb->pc + tb->insn_pc[i] - tb->cs_base);
    if (tb->insn_aux[i] != CC_OP_DYNAMIC)
        env->cc_op = tb->insn_aux[i];
    /* Instructions i.. did not complete: give their budget back. */
    env->tcg.icount_left += tb->icount - i;
    env->tcg.current_tb = NULL;
    return true;
}

void cpu_loop_exit_restore(CpuState *env, uintptr_t ra)
{
    cpu_restore_state(env, ra);
    cpu_loop_exit(env);
}

/* Double-fault classes (SDM Vol. 3A 6.15, table 6-4/6-5). */
static bool excp_contributory(int e)
{
    return e == EXCP_DE || (e >= EXCP_TS && e <= EXCP_GP);
}

/* Combine a new exception with one being delivered. Returns the vector to
 * raise (EXCP_DF for a double fault) or -1 for a triple fault. */
static int combine_exceptions(int first, int second)
{
    if (first < 0)
        return second;
    if (first == EXCP_DF)
        return -1;
    if ((excp_contributory(first) && excp_contributory(second)) ||
        (first == EXCP_PF && (second == EXCP_PF || excp_contributory(second))))
        return EXCP_DF;
    return second;
}

static NORETURN void raise_common(CpuState *env, int excp, uint32_t err, bool has_err,
                                  int is_int, uint32_t next_eip, uintptr_t ra)
{
    cpu_restore_state(env, ra);
    if (env->delivering_excp >= 0 && !is_int) {
        /* A fault while delivering an exception (SDM Vol. 3A 6.15). */
        int combined = combine_exceptions(env->delivering_excp, excp);
        env->delivering_excp = -1;
        if (combined < 0) {
            LOG(LOG_INT | LOG_RESET, "triple fault: shutdown\n");
            env->exception_index = EXCP_SHUTDOWN;
            cpu_loop_exit(env);
        }
        if (combined == EXCP_DF && excp != EXCP_DF) {
            excp = EXCP_DF;
            err = 0;
            has_err = true;
        }
    }
    env->exception_index = excp;
    env->error_code = err;
    env->error_code_valid = has_err;
    env->exception_is_int = is_int;
    env->exception_next_eip = next_eip;
    cpu_loop_exit(env);
}

void raise_exception_err(CpuState *env, int excp, uint32_t error_code, uintptr_t ra)
{
    raise_common(env, excp, error_code, true, 0, 0, ra);
}

void raise_exception(CpuState *env, int excp, uintptr_t ra)
{
    raise_common(env, excp, 0, false, 0, 0, ra);
}

void raise_interrupt(CpuState *env, int intno, int is_int, uint32_t next_eip, uintptr_t ra)
{
    raise_common(env, intno, 0, false, is_int, next_eip, ra);
}

/* -- Finding blocks ----------------------------------------------------------------------
 * A block is made for the mode (hflags) and, if its code depends on it, for
 * the cc_op env holds on entry (state.h TB_CC_SHIFT; such a block starts
 * with a tb_guard, so a linked jump with another cc_op does not run it);
 * others are for any cc_op. A lookup accepts either. */

typedef struct TbKey {
    uint64_t pc, cs_base;
    uint32_t mode;              /* hflags without HF_INHIBIT_IRQ */
    uint32_t cc;                /* env->cc_op, or TB_CC_ANY if not a real one */
} TbKey;

static inline void tb_key(const CpuState *env, TbKey *k)
{
    k->cs_base = env->seg[CPU_CS].base;
    k->pc = k->cs_base + (uint32_t)env->eip;
    k->mode = env->hflags & TB_MODE_MASK;
    k->cc = env->cc_op > CC_OP_DYNAMIC && env->cc_op < CC_OP_NB ? (uint32_t)env->cc_op : TB_CC_ANY;
}

static inline bool tb_fits(const TB *tb, const TbKey *k, uint32_t cflags)
{
    return tb->pc == k->pc && tb->cs_base == k->cs_base && tb->cflags == cflags && !tb->invalid &&
           (tb->flags == (k->mode | TB_CC_ANY << TB_CC_SHIFT) ||
            tb->flags == (k->mode | k->cc << TB_CC_SHIFT));
}

/* The ram page the code at addr is in; ~0 if it is not in RAM/ROM or not
 * mapped. fill: walk the page tables on a TLB miss (never faulting);
 * otherwise a miss is ~0 too (translated code's lookup must not walk: the
 * walk's accessed-bit writes could invalidate the running block). */
static uint64_t code_page(CpuState *env, uint64_t addr, bool fill)
{
    int mmu = cpu_mmu_index(env);
    uint8_t *host;
    bool ok;
    uint64_t ram = fill ? tlb_probe_code(&env->tcg, addr, mmu, &host, &ok)
                        : tlb_cached_code_ram_addr(&env->tcg, addr, mmu);
    return ram == ~0ull ? ~0ull : ram & GUEST_PAGE_MASK;
}

/* Whether a block that crosses into a second page was made from the page
 * its pc maps to now (the first page is part of every lookup's key). */
typedef struct PageCheck { CpuState *env; bool fill; } PageCheck;

static bool second_page_ok(const TB *tb, void *opaque)
{
    const PageCheck *check = opaque;
    return tb->page_addr[1] == ~0ull ||
           code_page(check->env, (tb->pc & GUEST_PAGE_MASK) + GUEST_PAGE_SIZE, check->fill) ==
               tb->page_addr[1];
}

/* The jump cache holds blocks by linear pc: every TLB flush and CR3 load
 * clears it (cpustate.c), so a hit was made from the pages mapped now. */
static TB *jc_lookup(Cpu *cpu, const TbKey *k, uint32_t cflags)
{
    TB *tb = cpu->jmp_cache[jc_hash(k->pc)];
    return tb && tb_fits(tb, k, cflags) ? tb : NULL;
}

static TB *hash_lookup(Cpu *cpu, uint64_t phys, const TbKey *k, uint32_t cflags, bool fill)
{
    PageCheck check = { &cpu->env, fill };
    TB *tb = tb_lookup_if(cpu->tbs, phys, k->pc, k->cs_base, k->mode | TB_CC_ANY << TB_CC_SHIFT,
                          cflags, second_page_ok, &check);
    if (!tb && k->cc != TB_CC_ANY)
        tb = tb_lookup_if(cpu->tbs, phys, k->pc, k->cs_base, k->mode | k->cc << TB_CC_SHIFT,
                          cflags, second_page_ok, &check);
    return tb;
}

/* Hook for lookup_tb in translated code: a cached block only, never
 * translating (that needs the loop). */
static TB *lookup_tb_hook(void *opaque)
{
    CpuState *env = opaque;
    Cpu *cpu = env->cpu;
    uint64_t page;
    TbKey k;
    TB *tb;

    tb_key(env, &k);
    tb = jc_lookup(cpu, &k, 0);
    if (tb)
        return tb;
    page = code_page(env, k.pc, false);
    if (page == ~0ull)
        return NULL;                    /* the loop fills the TLB (or faults) */
    tb = hash_lookup(cpu, page + (k.pc & (GUEST_PAGE_SIZE - 1)), &k, 0, false);
    if (tb)
        cpu->jmp_cache[jc_hash(k.pc)] = tb;
    return tb;
}

static TB *find_tb(Cpu *cpu, uint32_t cflags)
{
    CpuState *env = &cpu->env;
    uint8_t *host;
    uint64_t phys, pc, cs_base;
    uint32_t flags;
    TbKey k;
    TB *tb;

    tb_key(env, &k);
    tb = jc_lookup(cpu, &k, cflags);
    if (tb)
        return tb;
    pc = k.pc;
    cs_base = k.cs_base;
    flags = k.mode | k.cc << TB_CC_SHIFT;   /* the translator may make it any-cc */
    phys = tlb_code_ram_addr(&env->tcg, pc, cpu_mmu_index(env), &host);   /* may fault */
    tb = phys == ~0ull ? NULL : hash_lookup(cpu, phys, &k, cflags, true);
    if (!tb) {
        tb = x86_translate_block(cpu, pc, cs_base, flags, cflags);
        if (!tb) {
            /* The cache is full: start over (no block is running now). */
            tb_flush(cpu->tbs);
            tb = x86_translate_block(cpu, pc, cs_base, flags, cflags);
            if (!tb)
                panic("cannot translate the block at 0x%llx even in an empty cache",
                      (unsigned long long)pc);
        }
    }
    if (!(tb->cflags & CF_NOCACHE))
        cpu->jmp_cache[jc_hash(pc)] = tb;
    return tb;
}

/* TbCache invalidate hook: drop the TB (or all, on a flush) from the jump cache. */
static void jc_invalidate(void *opaque, TB *tb)
{
    Cpu *cpu = opaque;
    if (!tb) {
        memset(cpu->jmp_cache, 0, sizeof(cpu->jmp_cache));
        return;
    }
    if (cpu->jmp_cache[jc_hash(tb->pc)] == tb)
        cpu->jmp_cache[jc_hash(tb->pc)] = NULL;
}

void x86_exec_init(Cpu *cpu)
{
    cpu->env.tcg.lookup_tb = lookup_tb_hook;
    tb_cache_set_invalidate_hook(cpu->tbs, jc_invalidate, cpu);
}

/* -- Interrupts between blocks ----------------------------------------------------------- */

static bool deliver_pending(Cpu *cpu)
{
    CpuState *env = &cpu->env;
    if (env->hflags & HF_INHIBIT_IRQ)
        return false;
    if (env->nmi_pending && !env->nmi_blocked) {
        env->nmi_pending = false;
        env->nmi_blocked = true;
        env->halted = false;
        LOG(LOG_INT, "NMI at %04x:%08x\n", env->seg[CPU_CS].selector, (uint32_t)env->eip);
        do_interrupt(env, EXCP_NMI, 0, 0, false, (uint32_t)env->eip, true);
        return true;
    }
    if (env->intr_line && (env->eflags & EF_IF)) {
        int vector = cpu->cfg.hooks.intr_ack ? cpu->cfg.hooks.intr_ack(cpu->cfg.hooks.opaque) : -1;
        if (vector < 0)
            return false;
        env->halted = false;
        LOG(LOG_INT, "interrupt 0x%02x at %04x:%08x\n", vector, env->seg[CPU_CS].selector,
            (uint32_t)env->eip);
        do_interrupt(env, vector, 0, 0, false, (uint32_t)env->eip, true);
        return true;
    }
    return false;
}

/* The exception raised by the last block (or by delivering one). */
static void deliver_exception(Cpu *cpu)
{
    CpuState *env = &cpu->env;
    int excp = env->exception_index;
    env->exception_index = -1;
    LOG(LOG_INT, "exception %d (error 0x%x) at %04x:%08x\n", excp, env->error_code,
        env->seg[CPU_CS].selector, (uint32_t)env->eip);
    do_interrupt(env, excp, env->exception_is_int, env->error_code, env->error_code_valid,
                 env->exception_is_int ? env->exception_next_eip : (uint32_t)env->eip, false);
}

/* -- The loop -------------------------------------------------------------------------------- */

/* Give the unused part of a slice back to cpu->run_budget and count the rest. */
static void settle_budget(Cpu *cpu, int32_t granted)
{
    CpuState *env = &cpu->env;
    int64_t unused = (int64_t)env->tcg.icount_left + env->icount_extra;
    cpu->icount += (uint64_t)(granted - unused);
    cpu->run_budget += unused;
    env->tcg.icount_left = 0;
    env->icount_extra = 0;
    cpu->exec_granted = 0;
}

CpuRunResult cpu_run(Cpu *cpu, uint64_t max_insns)
{
    CpuState *env = &cpu->env;
    volatile CpuRunResult result = CPU_RUN_BUDGET;
    TB *volatile last_tb = NULL;
    volatile int last_slot = -1;

    cpu->run_budget = (int64_t)MIN(max_insns, (uint64_t)INT64_MAX);
    cpu->in_run = true;
    if (setjmp(cpu->jmp_env)) {
        /* Back from a helper: an exception, HLT, an exit, or an SMC restart. */
        env->tcg.current_tb = NULL;
        if (cpu->exec_granted)
            settle_budget(cpu, cpu->exec_granted);
        last_tb = NULL;
    }
    for (;;) {
        uint32_t cflags;
        int32_t granted;
        uintptr_t ret;
        TB *tb;

        if (env->exception_index >= 0) {
            int pending = env->exception_index;
            if (pending == EXCP_SHUTDOWN) {
                env->exception_index = -1;
                if (cpu->cfg.hooks.shutdown)
                    cpu->cfg.hooks.shutdown(cpu->cfg.hooks.opaque);
                result = CPU_RUN_SHUTDOWN;
                break;
            }
            deliver_exception(cpu);
            last_tb = NULL;
            continue;
        }
        if (env->exit_request) {
            env->exit_request = false;
            result = CPU_RUN_EXIT_REQUEST;
            break;
        }
        if (deliver_pending(cpu)) {
            last_tb = NULL;
            continue;
        }
        if (env->halted) {
            result = CPU_RUN_HALTED;
            break;
        }
        if (cpu->run_budget <= 0) {
            result = CPU_RUN_BUDGET;
            break;
        }

        cflags = cpu->next_cflags;
        cpu->next_cflags = 0;
        if (env->hflags & HF_INHIBIT_IRQ) {
            cflags = 1;         /* one instruction, then look at interrupts again */
            env->hflags &= ~(uint32_t)HF_INHIBIT_IRQ;
        }
        granted = (int32_t)MIN(cpu->run_budget, (int64_t)INT32_MAX);
        /* The shadowed instruction alone: a block it ends with lookup_tb
         * must not carry on, or a pending interrupt would wait. */
        if (cflags == 1)
            granted = 1;
        tb = find_tb(cpu, cflags);
        if (tb->icount > granted) {
            /* The budget ends inside this block: run a shorter one. */
            tb = find_tb(cpu, (uint32_t)granted);
            last_tb = NULL;
        }
        /* No link to a block crossing into a second page: the jump would
         * skip the check that the page still maps to what it was made from. */
        if (last_tb && !last_tb->invalid && last_slot >= 0 && !(cflags & CF_COUNT_MASK) &&
            !(last_tb->cflags & CF_COUNT_MASK) && !(tb->cflags & CF_COUNT_MASK) &&
            tb->page_addr[1] == ~0ull)
            tb_link(cpu->tbs, last_tb, last_slot, tb);

        cpu->run_budget -= granted;
        env->tcg.icount_left = granted;
        cpu->exec_granted = granted;
        if (log_enabled(LOG_CPU))
            cpu_dump(cpu, log_file());
        LOG(LOG_EXEC, "exec TB pc=0x%llx\n", (unsigned long long)tb->pc);
        ret = tb_cache_backend(cpu->tbs)->exec(&env->tcg, tb);
        settle_budget(cpu, granted);

        last_tb = (TB *)(ret & ~(uintptr_t)TB_EXIT_MASK);
        switch (ret & TB_EXIT_MASK) {
        case TB_EXIT_SLOT0: last_slot = 0; break;
        case TB_EXIT_SLOT1: last_slot = 1; break;
        default: last_slot = -1; break;
        }
    }
    cpu->in_run = false;
    return result;
}

/* Stop chained blocks at their next entry check, without ending cpu_run:
 * the loop then looks at interrupts. */
void cpu_request_exit_soft(Cpu *cpu)
{
    CpuState *env = &cpu->env;
    env->icount_extra += env->tcg.icount_left;
    env->tcg.icount_left = 0;
}

void cpu_request_exit(Cpu *cpu)
{
    cpu->env.exit_request = true;
    cpu_request_exit_soft(cpu);
}

uint64_t cpu_icount(const Cpu *cpu)
{
    const CpuState *env = &cpu->env;
    uint64_t n = cpu->icount;
    if (cpu->exec_granted)
        n += (uint64_t)(cpu->exec_granted - ((int64_t)env->tcg.icount_left + env->icount_extra));
    return n;
}

/* -- Self-modifying code ---------------------------------------------------------------------- */

/* tcg code_write hook: the CPU is about to store into a page with code. */
void x86_code_write(void *opaque, uint64_t ram_addr, uint64_t len, uintptr_t ra)
{
    CpuState *env = opaque;
    Cpu *cpu = env->cpu;
    TB *cur = env->tcg.current_tb;
    if (!cur && ra)
        cur = tb_find_by_host_pc(cpu->tbs, ra);
    if (tb_invalidate_range(cpu->tbs, ram_addr, len, cur) && cur &&
        (cur->cflags & CF_COUNT_MASK) != 1) {
        /* The running block was made from the bytes being written: redo
         * this instruction alone, in a block of its own, so the rest of the
         * stale block never runs (SDM Vol. 3A 11.6). */
        cpu_restore_state(env, ra);
        cpu->next_cflags = 1;
        cpu_loop_exit(env);
    }
}
