/* work.h — the benchmark's workloads, shared by the guest ROM (sys.c) and the
 * host reference build (host.c), which must compute the same checksums.
 * Everything is uint32_t arithmetic on data the code makes itself, so the
 * results do not depend on the CPU, the emulator or the pointer size.
 * To add a workload: a function `uint32_t work_xxx(uint32_t iters)` here and
 * in work.c, a row in the table in work.c. */
#ifndef BENCH_WORK_H
#define BENCH_WORK_H

#include <stdint.h>

typedef uint32_t (*SyscallFn)(uint32_t nr, uint32_t arg);

typedef struct Workload {
    const char *name;
    uint32_t (*run)(uint32_t iters);
    uint32_t iters;
} Workload;

extern const Workload workloads[];
extern const int n_workloads;

/* The syscall-heavy loop: user code calling `sys` (int 0x80 in the guest). */
uint32_t work_syscalls(uint32_t iters, SyscallFn sys);
#define SYSCALL_ITERS 4500000u
/* What system call 1 computes on the kernel side, given its state. */
uint32_t sys_compute(uint32_t *state, uint32_t arg);

uint32_t crc16_update(uint32_t crc, uint32_t byte);
uint32_t mix(uint32_t h, uint32_t v);

void *memcpy(void *dst, const void *src, __SIZE_TYPE__ n);
void *memset(void *dst, int c, __SIZE_TYPE__ n);

#endif
