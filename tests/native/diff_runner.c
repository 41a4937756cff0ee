/* diff_runner.c — runs integer instruction sequences natively for the CPU
 * differential test (tests/unit/test_cpu_diff.c). A 32-bit Linux program
 * (gcc -m32): it maps the code and data areas of diff_proto.h at their fixed
 * addresses, makes the data area an LDT data segment (base DIFF_DATA_BASE,
 * limit 0xffff) for DS/ES/SS, and for each request on stdin loads the
 * registers, jumps to the code and catches the fault that ends it (the
 * final HLT, or an earlier exception) with a signal handler on an
 * alternate stack. The state in the signal context is the answer.
 */
#define _GNU_SOURCE
#include <asm/ldt.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>
#include "diff_proto.h"

#define LDT_SEL 0x7                     /* LDT entry 0, RPL 3 */

/* Read by the trampoline with absolute addresses. */
uint32_t g_regs[8], g_eflags, g_code = DIFF_CODE_BASE;
uint16_t g_sel = LDT_SEL;

static sigjmp_buf g_jmp;
static DiffResp g_resp;
static uint8_t g_ref[DIFF_DATA_SIZE];
static DiffByte g_diff[DIFF_DATA_SIZE];

void diff_enter(void);
__asm__(".text\n"
        ".globl diff_enter\n"
        "diff_enter:\n"
        "  pushl g_eflags\n"
        "  popfl\n"
        "  movl g_regs+0, %eax\n"
        "  movl g_regs+4, %ecx\n"
        "  movl g_regs+8, %edx\n"
        "  movl g_regs+12, %ebx\n"
        "  movl g_regs+20, %ebp\n"
        "  movl g_regs+24, %esi\n"
        "  movl g_regs+28, %edi\n"
        "  movw %cs:g_sel, %ss\n"
        "  movl %cs:g_regs+16, %esp\n"
        "  movw %cs:g_sel, %ds\n"
        "  movw %cs:g_sel, %es\n"
        "  jmp *%cs:g_code\n");

static void on_fault(int sig, siginfo_t *si, void *ctx)
{
    greg_t *g = ((ucontext_t *)ctx)->uc_mcontext.gregs;
    static const int order[8] = { REG_EAX, REG_ECX, REG_EDX, REG_EBX, REG_ESP, REG_EBP,
                                  REG_ESI, REG_EDI };
    g_resp.vector = (int32_t)g[REG_TRAPNO];
    g_resp.error_code = (uint32_t)g[REG_ERR];
    for (int i = 0; i < 8; i++)
        g_resp.regs[i] = (uint32_t)g[order[i]];
    g_resp.eip = (uint32_t)g[REG_EIP];
    g_resp.eflags = (uint32_t)g[REG_EFL];
    siglongjmp(g_jmp, 1);
}

static int read_all(void *buf, size_t n)
{
    uint8_t *p = buf;
    while (n) {
        ssize_t r = read(0, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int write_all(const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n) {
        ssize_t r = write(1, p, n);
        if (r <= 0)
            return -1;
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

static int setup(void)
{
    static uint8_t altstack[65536];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof(altstack) };
    struct sigaction sa = { .sa_sigaction = on_fault, .sa_flags = SA_SIGINFO | SA_ONSTACK };
    struct user_desc ud = { .entry_number = 0, .base_addr = DIFF_DATA_BASE,
                            .limit = DIFF_DATA_SIZE - 1, .seg_32bit = 1, .useable = 1 };
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGTRAP };

    if (mmap((void *)DIFF_DATA_BASE, DIFF_DATA_SIZE, PROT_READ | PROT_WRITE,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)DIFF_DATA_BASE ||
        mmap((void *)DIFF_CODE_BASE, DIFF_CODE_MAX, PROT_READ | PROT_WRITE | PROT_EXEC,
             MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0) != (void *)DIFF_CODE_BASE) {
        perror("diff-runner: mmap");
        return -1;
    }
    if (syscall(SYS_modify_ldt, 1, &ud, sizeof(ud)) != 0) {
        perror("diff-runner: modify_ldt");
        return -1;
    }
    if (sigaltstack(&ss, NULL) != 0)
        return -1;
    sigemptyset(&sa.sa_mask);
    for (unsigned i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
        sigaction(sigs[i], &sa, NULL);
    return 0;
}

/* One request: fill, run, diff. */
static int serve(const DiffReq *rq)
{
    uint8_t *data = (uint8_t *)DIFF_DATA_BASE;
    uint32_t n = 0;

    if (read_all((void *)DIFF_CODE_BASE, rq->code_len))
        return -1;
    __builtin___clear_cache((char *)DIFF_CODE_BASE, (char *)DIFF_CODE_BASE + rq->code_len);
    diff_fill(g_ref, rq->seed);
    memcpy(data, g_ref, DIFF_DATA_SIZE);
    memcpy(g_regs, rq->regs, sizeof(g_regs));
    g_eflags = (rq->eflags & 0xcd5) | 0x202;
    memset(&g_resp, 0, sizeof(g_resp));
    if (!sigsetjmp(g_jmp, 1))
        diff_enter();
    g_resp.magic = DIFF_MAGIC;
    for (uint32_t i = 0; i < DIFF_DATA_SIZE; i++)
        if (data[i] != g_ref[i])
            g_diff[n++] = (DiffByte){ .offset = (uint16_t)i, .value = data[i] };
    g_resp.ndiff = n;
    if (write_all(&g_resp, sizeof(g_resp)) || write_all(g_diff, n * sizeof(DiffByte)))
        return -1;
    return 0;
}

int main(void)
{
    DiffReq rq;
    if (setup())
        return 2;
    while (!read_all(&rq, sizeof(rq))) {
        if (rq.magic != DIFF_MAGIC || rq.code_len > DIFF_CODE_MAX)
            return 3;
        if (serve(&rq))
            return 4;
    }
    return 0;
}
