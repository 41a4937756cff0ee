/* host.c — the benchmark's workloads built for the host (bench/guest/build
 * --host): prints the checksum the guest must print, from the same work.c. */
#include <stdio.h>
#include <string.h>
#include "work.h"

static uint32_t state;

static uint32_t direct_call(uint32_t nr, uint32_t arg)
{
    (void)nr;
    return sys_compute(&state, arg);
}

int main(void)
{
    uint32_t total = 0, s;

    for (int i = 0; i < n_workloads; i++) {
        s = workloads[i].run(workloads[i].iters);
        printf("bench: %s 0x%08x\n", workloads[i].name, s);
        total = mix(total, s);
    }
    s = work_syscalls(SYSCALL_ITERS, direct_call);
    printf("bench: syscall 0x%08x\n", s);
    total = mix(total, s);
    printf("checksum 0x%08x\n", total);
    return 0;
}
