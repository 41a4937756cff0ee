/* test_cpu_diff.c — the CPU differential test (suite cpu_diff): random
 * sequences of user-level integer instructions (cpu_diff_gen.h) run
 * natively on the host CPU (the 32-bit tests/native/diff-runner) and in
 * emu, under each backend (cpu_backends.h: under the JIT this tests the
 * JIT's code against the host), and the end states must agree: the
 * exception that ended the run (the final HLT's #GP at CPL 3, or an
 * earlier fault) and where, every GPR, EFLAGS (the flags defined at that
 * point) and the 64 KiB data segment.
 *
 * Layout and protocol: tests/native/diff_proto.h. Sequences come from a
 * fixed seed (EMU_FUZZ_SEED overrides it); `make check` runs
 * DIFF_CHECK_SEQUENCES of them, `make fuzz-cpu` EMU_FUZZ_SEQUENCES. A
 * mismatch prints the sequence (offset, bytes, what it is) and both states.
 *
 * Skips itself (passing, with a message) on hosts that are not x86 or when
 * the runner could not be built.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "unit/testlib.h"
#include "unit/cpu_diff_gen.h"

#define DIFF_CHECK_SEQUENCES 10000
#define MAX_REPORTS 5

/* -- Running a sequence natively (the runner process) and in emu -------------------- */

typedef struct DiffState {
    int vector;
    uint32_t regs[8], eip, eflags;
    uint32_t ndiff;
    DiffByte diff[DIFF_DATA_SIZE];
} DiffState;

typedef struct Runner {
    pid_t pid;
    int to, from;
} Runner;

static int io_all(int fd, void *buf, size_t n, bool wr)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = wr ? write(fd, p, n) : read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static bool runner_start(Runner *rn, const char *path)
{
    int in[2], out[2];
    if (access(path, X_OK) != 0 || pipe(in) || pipe(out))
        return false;
    rn->pid = fork();
    if (rn->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[1]);
        close(out[0]);
        execl(path, path, (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    rn->to = in[1];
    rn->from = out[0];
    signal(SIGPIPE, SIG_IGN);
    return rn->pid > 0;
}

static void runner_stop(Runner *rn)
{
    close(rn->to);
    close(rn->from);
    waitpid(rn->pid, NULL, 0);
}

static bool run_native(Runner *rn, const Seq *q, DiffState *st)
{
    DiffReq rq = { .magic = DIFF_MAGIC, .seed = q->seed, .code_len = q->len,
                   .eflags = q->eflags };
    DiffResp rs;
    memcpy(rq.regs, q->regs, sizeof(rq.regs));
    if (io_all(rn->to, &rq, sizeof(rq), true) || io_all(rn->to, (void *)q->code, q->len, true) ||
        io_all(rn->from, &rs, sizeof(rs), false) || rs.magic != DIFF_MAGIC ||
        rs.ndiff > DIFF_DATA_SIZE ||
        io_all(rn->from, st->diff, rs.ndiff * sizeof(DiffByte), false))
        return false;
    st->vector = rs.vector;
    memcpy(st->regs, rs.regs, sizeof(st->regs));
    st->eip = rs.eip;
    st->eflags = rs.eflags;
    st->ndiff = rs.ndiff;
    return true;
}

static uint8_t g_fill[DIFF_DATA_SIZE], g_mem[DIFF_DATA_SIZE];

/* The same sequence in emu: CPL 3, the same segments and addresses. */
static void run_emu(CpuHarness *h, const Seq *q, DiffState *st)
{
    CpuRegs r;
    uint32_t eip, fl, esp;

    diff_load(h, q, g_fill);
    harness_run(h, 2000000);
    cpu_get_regs(h->cpu, &r);
    memcpy(st->regs, r.gpr, sizeof(st->regs));
    st->vector = harness_exception(h);
    if (st->vector >= 0) {
        harness_excp_frame(h, &eip, &fl, &esp);
        st->eip = eip;
        st->eflags = fl;
        st->regs[CPU_ESP] = esp;
    } else {
        st->eip = r.eip;
        st->eflags = r.eflags;
    }
    cpu_read_virt(h->cpu, DIFF_DATA_BASE, g_mem, DIFF_DATA_SIZE);
    st->ndiff = 0;
    for (uint32_t i = 0; i < DIFF_DATA_SIZE; i++)
        if (g_mem[i] != g_fill[i])
            st->diff[st->ndiff++] = (DiffByte){ .offset = (uint16_t)i, .value = g_mem[i] };
}

/* -- Comparing and reporting -------------------------------------------------------- */

static bool same(const Seq *q, const DiffState *a, const DiffState *b)
{
    uint32_t m = diff_flag_mask(q, a->eip);
    return a->vector == b->vector && a->eip == b->eip && !memcmp(a->regs, b->regs, sizeof(a->regs)) &&
           !((a->eflags ^ b->eflags) & m) && a->ndiff == b->ndiff &&
           !memcmp(a->diff, b->diff, a->ndiff * sizeof(DiffByte));
}

static void print_state(const char *who, const Seq *q, const DiffState *st)
{
    static const char *const names[8] = { "eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi" };
    fprintf(stderr, "  %-6s vector %d at %#x, eflags %#x (compared: %#x)\n        ", who,
            st->vector, st->eip, st->eflags, diff_flag_mask(q, st->eip));
    for (int i = 0; i < 8; i++)
        fprintf(stderr, "%s=%08x%s", names[i], st->regs[i], i == 3 ? "\n        " : " ");
    fprintf(stderr, "\n        %u bytes changed:", st->ndiff);
    for (uint32_t i = 0; i < st->ndiff && i < 24; i++)
        fprintf(stderr, " %04x=%02x", st->diff[i].offset, st->diff[i].value);
    fprintf(stderr, "%s\n", st->ndiff > 24 ? " ..." : "");
}

static void report(int b, uint64_t index, const Seq *q, const DiffState *nat,
                   const DiffState *emu)
{
    fprintf(stderr, "cpu_diff (%s): sequence %llu differs (data seed %#x, eflags in %#x):\n",
            cpu_test_backend_name(b), (unsigned long long)index, q->seed, q->eflags);
    diff_print_sequence(stderr, q, nat->eip, "   <- native stop");
    print_state("native", q, nat);
    print_state("emu", q, emu);
}

/* -- The test ----------------------------------------------------------------------- */

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

static uint64_t env_u64(const char *name, uint64_t def)
{
    const char *v = getenv(name);
    return v && *v ? strtoull(v, NULL, 0) : def;
}

START_TEST(test_cpu_diff_random_sequences)
{
#if !defined(__x86_64__) && !defined(__i386__)
    fprintf(stderr, "cpu_diff: skipped: the host is not x86, nothing to compare with\n");
    return;
#else
    static Seq q;
    static DiffState nat, emu;
    const char *path = test_build_path("tests/native/diff-runner");
    uint64_t count = env_u64("EMU_FUZZ_SEQUENCES", DIFF_CHECK_SEQUENCES);
    uint64_t seed = env_u64("EMU_FUZZ_SEED", DIFF_SEED), bad = 0, faults = 0, vectors[32] = { 0 };
    Runner rn;
    CpuHarness *h;
    double t_native = 0, t_emu = 0;

    if (!runner_start(&rn, path)) {
        fprintf(stderr, "cpu_diff: skipped: no native runner at %s (needs gcc -m32)\n", path);
        return;
    }
    h = harness_new(cpu_test_backend(_i), 4 << 20);
    for (uint64_t i = 0; i < count; i++) {
        double t0 = now(), t1;
        diff_gen_sequence(&q, seed + i);
        ck_assert_msg(run_native(&rn, &q, &nat), "cpu_diff: the native runner failed at %llu",
                      (unsigned long long)i);
        t1 = now();
        run_emu(h, &q, &emu);
        t_native += t1 - t0;
        t_emu += now() - t1;
        if (nat.vector >= 0 && nat.vector < 32)
            vectors[nat.vector]++;
        if (nat.eip != DIFF_CODE_BASE + q.len - 1)
            faults++;
        if (!same(&q, &nat, &emu) && bad++ < MAX_REPORTS)
            report(_i, i, &q, &nat, &emu);
    }
    fprintf(stderr, "cpu_diff (%s): %llu sequences (seed %#llx), %llu ended early in a fault "
            "(#DE %llu, #BR %llu, #GP %llu, #SS %llu), %llu mismatches\n",
            cpu_test_backend_name(_i), (unsigned long long)count, (unsigned long long)seed, (unsigned long long)faults,
            (unsigned long long)vectors[0], (unsigned long long)vectors[5],
            (unsigned long long)vectors[13] - (count - faults), (unsigned long long)vectors[12],
            (unsigned long long)bad);
    fprintf(stderr, "cpu_diff (%s): %.1f s generating and running natively, %.1f s in emu\n",
            cpu_test_backend_name(_i), t_native, t_emu);
    harness_free(h);
    runner_stop(&rn);
    ck_assert_msg(bad == 0, "cpu_diff (%s): %llu of %llu sequences differ from the host",
                  cpu_test_backend_name(_i), (unsigned long long)bad, (unsigned long long)count);
#endif
}
END_TEST

TEST_SUITE(cpu_diff)
{
    Suite *s = suite_create("cpu_diff");
    for (int b = 0; b < CPU_TEST_NBACKENDS; b++) {
        TCase *tc = cpu_tcase(s, b);
        if (!tc)
            continue;
        tcase_set_timeout(tc, 3600);
        CPU_TEST(tc, test_cpu_diff_random_sequences, b);
    }
    return s;
}
